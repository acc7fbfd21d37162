/*
 * Tests for the Intel/Sharp CFI flash (cfi.pflash01) and the raw file
 * backend under it.  The flash is made as the connex board makes it
 * (16-bit bus, 128 KiB blocks) over a temporary file, driven with loads
 * and stores on the system address space as a vCPU would, and the file
 * is read back with stdio right after the status register says ready,
 * before anything is closed: what the guest saw done must be on disk.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <sys/stat.h>
#include <glib/gstdio.h>
#include "block/block.h"
#include "sysemu/runstate.h"
#include "hw/block/flash.h"
#include "hw/sysbus.h"
#include "softmmu/memory.h"
#include "sysemu/main-loop.h"
#include "util/log.h"

#define SECTOR (128 * 1024)
#define CONNEX_BLOCKS 128
#define CONNEX_SIZE (CONNEX_BLOCKS * SECTOR)
#define SMALL_BLOCKS 4
#define SMALL_SIZE (SMALL_BLOCKS * SECTOR)
#define SR_OK PFLASH_SR_READY

static char tmpdir[] = "/tmp/emu-pflash-XXXXXX";

static char *tmp_path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

/* ---- files ---- */

/* A file of size bytes: byte i is (i * 7 + i / 251) & 0xff. */
static char *make_image(const char *name, size_t size)
{
    char *path = tmp_path(name);
    g_autofree uint8_t *data = g_malloc(size);

    for (size_t i = 0; i < size; i++) {
        data[i] = (i * 7 + i / 251) & 0xff;
    }
    g_assert_true(g_file_set_contents(path, (char *)data, size, NULL));
    return path;
}

static uint8_t image_byte(size_t i)
{
    return (i * 7 + i / 251) & 0xff;
}

/* Reads len bytes at offset with a fresh stdio stream: what is on disk
 * (in the page cache) now, whatever emu still has open. */
static void file_read(const char *path, long offset, void *buf, size_t len)
{
    FILE *f = fopen(path, "rb");

    g_assert_nonnull(f);
    g_assert_cmpint(fseek(f, offset, SEEK_SET), ==, 0);
    g_assert_cmpuint(fread(buf, 1, len, f), ==, len);
    fclose(f);
}

static uint16_t file_u16(const char *path, long offset)
{
    uint8_t b[2];

    file_read(path, offset, b, 2);
    return b[0] | b[1] << 8;
}

static char *file_checksum(const char *path)
{
    g_autofree char *data = NULL;
    gsize len;

    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    return g_compute_checksum_for_data(G_CHECKSUM_SHA256, (guchar *)data,
                                       len);
}

/* ---- the device ---- */

static DeviceState *flash_new(uint32_t blocks, DriveInfo *drive)
{
    DeviceState *dev = qdev_new(TYPE_PFLASH_CFI01);

    object_property_set_uint(OBJECT(dev), "num-blocks", blocks,
                             &error_fatal);
    object_property_set_uint(OBJECT(dev), "sector-length", SECTOR,
                             &error_fatal);
    object_property_set_uint(OBJECT(dev), "width", 2, &error_fatal);
    object_property_set_uint(OBJECT(dev), "id0", 0x89, &error_fatal);
    object_property_set_uint(OBJECT(dev), "id1", 0x18, &error_fatal);
    object_property_set_str(OBJECT(dev), "name", "connext.rom",
                            &error_fatal);
    if (drive) {
        pflash_cfi01_set_drive(dev, drive);
    }
    return dev;
}

/* A pflash drive of the raw file path, opened as -drive if=pflash,
 * format=raw opens it; NULL with *errp when it cannot be. */
static DriveInfo *drive_open(const char *path, bool readonly, Error **errp)
{
    BlockOpenOptions opts = { .format = "raw", .read_only = readonly };
    BlockBackend *blk = blk_new_open("pflash0", path, &opts, errp);
    DriveInfo *d;

    if (!blk) {
        return NULL;
    }
    d = g_new0(DriveInfo, 1);
    d->type = IF_PFLASH;
    d->file = g_strdup(path);
    d->blk = blk;
    return d;
}

static DriveInfo *drive_new(const char *path, bool readonly)
{
    return drive_open(path, readonly, &error_fatal);
}

/* The drive cannot be opened, with exactly msg. */
static void assert_open_error(const char *path, bool readonly,
                              const char *msg)
{
    Error *err = NULL;

    g_assert_null(drive_open(path, readonly, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
}

static void drive_free(DriveInfo *d)
{
    blk_unref(d->blk);
    g_free(d->file);
    g_free(d);
}

/* A flash at address 0 over path, realized, mapped and reset. */
static DeviceState *flash_start(uint32_t blocks, DriveInfo *drive)
{
    DeviceState *dev = flash_new(blocks, drive);

    g_assert_true(qdev_realize(dev, sysbus_get_default(), &error_fatal));
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, 0);
    device_reset(dev);
    return dev;
}

static MemoryRegion *flash_mr(DeviceState *dev)
{
    return SYS_BUS_DEVICE(dev)->mmio[0].memory;
}

static void flash_stop(DeviceState *dev)
{
    memory_region_del_subregion(get_system_memory(), flash_mr(dev));
    qdev_unrealize(dev);
    object_unref(OBJECT(dev));
}

/* Realize must fail with exactly msg. */
static void assert_realize_error(DeviceState *dev, const char *msg)
{
    Error *err = NULL;

    g_assert_false(qdev_realize(dev, sysbus_get_default(), &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
    object_unref(OBJECT(dev));
}

static uint64_t ld(hwaddr addr, unsigned size)
{
    uint64_t v;

    g_assert_cmpint(address_space_ld(&address_space_memory, addr, size, &v),
                    ==, MEMTX_OK);
    return v;
}

static uint16_t ld16(hwaddr addr)
{
    return ld(addr, 2);
}

static void st16(hwaddr addr, uint16_t value)
{
    g_assert_cmpint(address_space_st(&address_space_memory, addr, 2, value),
                    ==, MEMTX_OK);
}

static uint8_t status(void)
{
    st16(0, 0x70);
    return ld16(0);
}

static void clear_status(void)
{
    st16(0, 0x50);
}

static void read_array(void)
{
    st16(0, 0xff);
}

static void program_word(hwaddr addr, uint16_t value)
{
    st16(addr, 0x40);
    st16(addr, value);
}

static void erase_block(hwaddr addr)
{
    st16(addr, 0x20);
    st16(addr, 0xd0);
}

static void lock_cmd(hwaddr addr, uint8_t second)
{
    st16(addr, 0x60);
    st16(addr, second);
}

static uint16_t block_lock_status(hwaddr block)
{
    uint16_t v;

    st16(block, 0x90);
    v = ld16(block + 2 * 2);
    read_array();
    return v;
}

/* ---- tests ---- */

static void test_read_array(void)
{
    g_autofree char *path = make_image("array.bin", SMALL_SIZE);
    DriveInfo *drive = drive_new(path, false);
    DeviceState *dev = flash_start(SMALL_BLOCKS, drive);

    g_assert_true(flash_mr(dev)->romd_mode);
    g_assert_cmpstr(memory_region_name(flash_mr(dev)), ==, "connext.rom");
    g_assert_cmpuint(memory_region_size(flash_mr(dev)), ==, SMALL_SIZE);
    for (hwaddr a = 0; a < SMALL_SIZE; a += 0x1234) {
        g_assert_cmphex(ld(a, 1), ==, image_byte(a));
    }
    g_assert_cmphex(ld(0x100, 4), ==,
                    image_byte(0x100) | image_byte(0x101) << 8 |
                    image_byte(0x102) << 16 |
                    (uint32_t)image_byte(0x103) << 24);
    g_assert_cmphex(ld16(SMALL_SIZE - 2), ==,
                    image_byte(SMALL_SIZE - 2) |
                    image_byte(SMALL_SIZE - 1) << 8);
    flash_stop(dev);
    drive_free(drive);
}

/* The table QEMU 7.2's connex flash answers, word address -> value. */
static const uint8_t connex_cfi[][2] = {
    { 0x10, 'Q' }, { 0x11, 'R' }, { 0x12, 'Y' },
    { 0x13, 0x01 }, { 0x14, 0x00 },     /* command set 0x0001 */
    { 0x15, 0x31 }, { 0x16, 0x00 },     /* extended table at 0x31 */
    { 0x17, 0x00 }, { 0x18, 0x00 }, { 0x19, 0x00 }, { 0x1a, 0x00 },
    { 0x1b, 0x45 }, { 0x1c, 0x55 },     /* Vcc 4.5-5.5 V */
    { 0x1d, 0x00 }, { 0x1e, 0x00 },     /* no Vpp */
    { 0x1f, 0x07 }, { 0x20, 0x07 }, { 0x21, 0x0a }, { 0x22, 0x00 },
    { 0x23, 0x04 }, { 0x24, 0x04 }, { 0x25, 0x04 }, { 0x26, 0x00 },
    { 0x27, 0x18 },                     /* 2^24 bytes */
    { 0x28, 0x02 }, { 0x29, 0x00 },     /* x8/x16 */
    { 0x2a, 0x0b }, { 0x2b, 0x00 },     /* 2 KiB write buffer */
    { 0x2c, 0x01 },                     /* one erase region: */
    { 0x2d, 0x7f }, { 0x2e, 0x00 },     /*   128 blocks */
    { 0x2f, 0x00 }, { 0x30, 0x02 },     /*   of 0x200 * 256 bytes */
    { 0x31, 'P' }, { 0x32, 'R' }, { 0x33, 'I' }, { 0x34, '1' },
    { 0x35, '0' },
    { 0x36, 0x00 }, { 0x37, 0x00 }, { 0x38, 0x00 }, { 0x39, 0x00 },
    { 0x3a, 0x00 }, { 0x3b, 0x00 }, { 0x3c, 0x00 }, { 0x3d, 0x00 },
    { 0x3e, 0x00 }, { 0x3f, 0x01 },
    { 0x00, 0x00 }, { 0x0f, 0x00 }, { 0x40, 0x00 }, { 0x4f, 0x00 },
    { 0x5f, 0x00 },
};

static void test_cfi_query(void)
{
    g_autofree char *path = tmp_path("query.bin");
    DriveInfo *drive;
    DeviceState *dev;

    g_assert_true(g_file_set_contents(path, "", 0, NULL));
    g_assert_cmpint(truncate(path, CONNEX_SIZE), ==, 0);
    drive = drive_new(path, false);
    dev = flash_start(CONNEX_BLOCKS, drive);

    st16(0, 0x98);
    g_assert_false(flash_mr(dev)->romd_mode);
    for (size_t i = 0; i < ARRAY_SIZE(connex_cfi); i++) {
        hwaddr word = connex_cfi[i][0];

        if (ld16(word * 2) != connex_cfi[i][1]) {
            g_error("CFI word 0x%02" HWADDR_PRIx ": 0x%02x, expected "
                    "0x%02x", word, ld16(word * 2), connex_cfi[i][1]);
        }
    }
    /* Bytes and wider reads see the 16-bit words lane by lane; a 32-bit
     * read is two bus cycles. */
    g_assert_cmphex(ld(0x10 * 2, 1), ==, 'Q');
    g_assert_cmphex(ld(0x10 * 2 + 1, 1), ==, 0);
    g_assert_cmphex(ld(0x10 * 2, 4), ==, 'Q' | 'R' << 16);
    /* The table repeats every 256 words, as the address decode ignores
     * the higher lines. */
    g_assert_cmphex(ld16(SECTOR + 0x10 * 2), ==, 'Q');
    read_array();
    g_assert_true(flash_mr(dev)->romd_mode);
    g_assert_cmphex(ld16(0x20), ==, 0);
    flash_stop(dev);
    drive_free(drive);
}

static void test_identifier(void)
{
    g_autofree char *path = make_image("ident.bin", SMALL_SIZE);
    DriveInfo *drive = drive_new(path, false);
    DeviceState *dev = flash_start(SMALL_BLOCKS, drive);

    st16(0, 0x90);
    g_assert_false(flash_mr(dev)->romd_mode);
    g_assert_cmphex(ld16(0), ==, 0x89);             /* Intel */
    g_assert_cmphex(ld16(2), ==, 0x18);             /* 28F128J3 */
    g_assert_cmphex(ld16(4), ==, 0);                /* block 0 unlocked */
    g_assert_cmphex(ld16(SECTOR), ==, 0x89);        /* in every block */
    g_assert_cmphex(ld16(6), ==, 0);
    read_array();
    lock_cmd(2 * SECTOR, 0x01);
    g_assert_cmphex(block_lock_status(2 * SECTOR), ==, PFLASH_BLOCK_LOCKED);
    g_assert_cmphex(block_lock_status(SECTOR), ==, 0);
    flash_stop(dev);
    drive_free(drive);
}

static void test_word_program(void)
{
    g_autofree char *path = tmp_path("program.bin");
    DriveInfo *drive;
    DeviceState *dev;

    g_assert_true(g_file_set_contents(path, "", 0, NULL));
    g_assert_cmpint(truncate(path, SMALL_SIZE), ==, 0);
    drive = drive_new(path, false);
    dev = flash_start(SMALL_BLOCKS, drive);
    erase_block(SECTOR);
    g_assert_cmphex(ld16(0), ==, SR_OK);            /* status mode */
    read_array();

    program_word(SECTOR + 0x10, 0x1234);
    /* The guest polls the status; once it says ready, the file has it. */
    g_assert_false(flash_mr(dev)->romd_mode);
    g_assert_cmphex(ld16(0), ==, SR_OK);
    g_assert_cmphex(file_u16(path, SECTOR + 0x10), ==, 0x1234);
    read_array();
    g_assert_cmphex(ld16(SECTOR + 0x10), ==, 0x1234);

    /* Programming clears bits only. */
    st16(SECTOR + 0x10, 0x10);                      /* 0x10: same command */
    st16(SECTOR + 0x10, 0xff0f);
    g_assert_cmphex(ld16(0), ==, SR_OK);
    g_assert_cmphex(file_u16(path, SECTOR + 0x10), ==, 0x1204);
    read_array();
    g_assert_cmphex(ld16(SECTOR + 0x10), ==, 0x1204);

    /* A 32-bit store is two bus cycles: the command, then the data. */
    g_assert_cmpint(address_space_st(&address_space_memory, SECTOR + 0x20, 4,
                                     0xabcd0040), ==, MEMTX_OK);
    g_assert_cmphex(ld16(0), ==, SR_OK);
    g_assert_cmphex(file_u16(path, SECTOR + 0x22), ==, 0xabcd);
    g_assert_cmphex(file_u16(path, SECTOR + 0x20), ==, 0xffff);
    /* A byte write programs that byte only. */
    st16(0, 0x40);
    g_assert_cmpint(address_space_st(&address_space_memory, SECTOR + 0x31, 1,
                                     0x5a), ==, MEMTX_OK);
    g_assert_cmphex(file_u16(path, SECTOR + 0x30), ==, 0x5aff);
    read_array();
    flash_stop(dev);
    drive_free(drive);
}

static void test_buffered_write(void)
{
    g_autofree char *path = make_image("buffer.bin", SMALL_SIZE);
    DriveInfo *drive = drive_new(path, false);
    DeviceState *dev = flash_start(SMALL_BLOCKS, drive);
    const hwaddr block = 2 * SECTOR;
    uint8_t back[32];

    erase_block(block);
    read_array();

    /* 16 words from block + 0x806 (not aligned to the buffer). */
    st16(block, 0xe8);
    g_assert_cmphex(ld16(block), ==, SR_OK);        /* XSR7: available */
    st16(block, 16 - 1);
    for (unsigned i = 0; i < 16; i++) {
        st16(block + 0x806 + 2 * i, 0xa000 + i);
    }
    /* Nothing programmed before the confirm. */
    g_assert_cmphex(file_u16(path, block + 0x806), ==, 0xffff);
    st16(block, 0xd0);
    g_assert_cmphex(ld16(block), ==, SR_OK);
    file_read(path, block + 0x806, back, sizeof(back));
    for (unsigned i = 0; i < 16; i++) {
        g_assert_cmphex(back[2 * i] | back[2 * i + 1] << 8, ==, 0xa000 + i);
    }
    g_assert_cmphex(file_u16(path, block + 0x804), ==, 0xffff);
    g_assert_cmphex(file_u16(path, block + 0x826), ==, 0xffff);
    read_array();
    g_assert_cmphex(ld16(block + 0x806 + 30), ==, 0xa00f);

    /* The whole 2 KiB buffer in one go. */
    st16(block + 0x1000, 0xe8);
    st16(block + 0x1000, 1024 - 1);
    for (unsigned i = 0; i < 1024; i++) {
        st16(block + 0x1000 + 2 * i, i);
    }
    st16(block + 0x1000, 0xd0);
    g_assert_cmphex(ld16(0), ==, SR_OK);
    g_assert_cmphex(file_u16(path, block + 0x1000 + 2 * 1023), ==, 1023);

    /* Too many words for the buffer: a sequence error. */
    st16(block, 0xe8);
    st16(block, 1024);
    g_assert_cmphex(ld16(block), ==, SR_OK | PFLASH_SR_PROGRAM_ERROR |
                    PFLASH_SR_ERASE_ERROR);
    clear_status();
    g_assert_cmphex(status(), ==, SR_OK);

    /* Data outside the buffer's window. */
    st16(block, 0xe8);
    st16(block, 1);
    st16(block + 0x3000, 0x1111);
    st16(block + 0x3000 + 2048, 0x2222);
    g_assert_cmphex(ld16(block), ==, 0xb0);
    clear_status();

    /* No confirm: nothing is written. */
    st16(block, 0xe8);
    st16(block, 0);
    st16(block + 0x4000, 0x3333);
    st16(block, 0xff);
    g_assert_cmphex(ld16(block), ==, 0xb0);
    g_assert_cmphex(file_u16(path, block + 0x4000), ==, 0xffff);
    clear_status();
    g_assert_cmphex(ld16(block + 0x4000), ==, 0xffff);  /* back in array */
    flash_stop(dev);
    drive_free(drive);
}

static void test_block_erase(void)
{
    g_autofree char *path = make_image("erase.bin", SMALL_SIZE);
    DriveInfo *drive = drive_new(path, false);
    DeviceState *dev = flash_start(SMALL_BLOCKS, drive);
    g_autofree uint8_t *back = g_malloc(SECTOR);

    /* The confirm's address picks the block. */
    st16(SECTOR, 0x20);
    st16(SECTOR + 0x1234, 0xd0);
    g_assert_cmphex(ld16(0), ==, SR_OK);
    file_read(path, SECTOR, back, SECTOR);
    for (size_t i = 0; i < SECTOR; i++) {
        g_assert_cmphex(back[i], ==, 0xff);
    }
    file_read(path, SECTOR - 1, back, 1);
    g_assert_cmphex(back[0], ==, image_byte(SECTOR - 1));
    file_read(path, 2 * SECTOR, back, 1);
    g_assert_cmphex(back[0], ==, image_byte(2 * SECTOR));
    read_array();
    g_assert_cmphex(ld(SECTOR + 0x100, 4), ==, 0xffffffff);
    g_assert_cmphex(ld(0x100, 1), ==, image_byte(0x100));

    /* Anything but 0xd0 after 0x20 is a sequence error; no erase. */
    st16(0, 0x20);
    st16(0, 0xff);
    g_assert_cmphex(ld16(0), ==, SR_OK | PFLASH_SR_PROGRAM_ERROR |
                    PFLASH_SR_ERASE_ERROR);
    g_assert_cmphex(file_u16(path, 0x100), ==,
                    image_byte(0x100) | image_byte(0x101) << 8);
    /* The error bits stay until cleared. */
    read_array();
    g_assert_cmphex(status(), ==, 0xb0);
    clear_status();
    g_assert_true(flash_mr(dev)->romd_mode);
    g_assert_cmphex(status(), ==, SR_OK);
    read_array();
    flash_stop(dev);
    drive_free(drive);
}

static void test_locking(void)
{
    g_autofree char *path = make_image("lock.bin", SMALL_SIZE);
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    DriveInfo *drive = drive_new(path, false);
    DeviceState *dev = flash_start(SMALL_BLOCKS, drive);
    const hwaddr blk = SECTOR;

    lock_cmd(blk, 0x01);
    g_assert_cmphex(ld16(0), ==, SR_OK);
    read_array();
    before = file_checksum(path);

    /* Program and erase on a locked block fail with SR1. */
    program_word(blk + 8, 0);
    g_assert_cmphex(ld16(0), ==, SR_OK | PFLASH_SR_PROGRAM_ERROR |
                    PFLASH_SR_LOCKED);
    clear_status();
    erase_block(blk);
    g_assert_cmphex(ld16(0), ==, SR_OK | PFLASH_SR_ERASE_ERROR |
                    PFLASH_SR_LOCKED);
    clear_status();
    st16(blk, 0xe8);
    st16(blk, 0);
    st16(blk + 8, 0);
    st16(blk, 0xd0);
    g_assert_cmphex(ld16(0), ==, SR_OK | PFLASH_SR_PROGRAM_ERROR |
                    PFLASH_SR_LOCKED);
    clear_status();
    after = file_checksum(path);
    g_assert_cmpstr(before, ==, after);
    /* Other blocks are not affected. */
    program_word(2 * SECTOR, 0);
    g_assert_cmphex(ld16(0), ==, SR_OK);
    read_array();

    /* Unlock: programs again. */
    lock_cmd(blk, 0xd0);
    g_assert_cmphex(block_lock_status(blk), ==, 0);
    program_word(blk + 8, 0);
    g_assert_cmphex(ld16(0), ==, SR_OK);
    g_assert_cmphex(file_u16(path, blk + 8), ==, 0);
    read_array();

    /* Lock-down: unlock does nothing until reset, which keeps the lock. */
    lock_cmd(blk, 0x2f);
    g_assert_cmphex(block_lock_status(blk), ==,
                    PFLASH_BLOCK_LOCKED | PFLASH_BLOCK_LOCKED_DOWN);
    lock_cmd(blk, 0xd0);
    g_assert_cmphex(ld16(0), ==, SR_OK);
    g_assert_cmphex(block_lock_status(blk), ==,
                    PFLASH_BLOCK_LOCKED | PFLASH_BLOCK_LOCKED_DOWN);
    erase_block(blk);
    g_assert_cmphex(ld16(0), ==, SR_OK | PFLASH_SR_ERASE_ERROR |
                    PFLASH_SR_LOCKED);
    clear_status();
    device_reset(dev);
    g_assert_cmphex(block_lock_status(blk), ==, PFLASH_BLOCK_LOCKED);
    lock_cmd(blk, 0xd0);
    g_assert_cmphex(block_lock_status(blk), ==, 0);

    /* 0x60 then something else: a sequence error. */
    lock_cmd(blk, 0x55);
    g_assert_cmphex(ld16(0), ==, 0xb0);
    clear_status();
    g_assert_cmphex(block_lock_status(blk), ==, 0);
    flash_stop(dev);
    drive_free(drive);
}

static void test_suspend_resume(void)
{
    g_autofree char *path = make_image("suspend.bin", SMALL_SIZE);
    DriveInfo *drive = drive_new(path, false);
    DeviceState *dev = flash_start(SMALL_BLOCKS, drive);

    /* An erase is done before the guest can suspend it: suspend shows
     * the status with SR6/SR2 clear (completed), resume does nothing. */
    erase_block(SECTOR);
    st16(SECTOR, 0xb0);
    g_assert_false(flash_mr(dev)->romd_mode);
    g_assert_cmphex(ld16(SECTOR), ==, SR_OK);
    g_assert_cmphex(ld16(SECTOR) & (PFLASH_SR_ERASE_SUSPENDED |
                                    PFLASH_SR_PROGRAM_SUSPENDED), ==, 0);
    st16(SECTOR, 0xd0);
    g_assert_cmphex(ld16(SECTOR), ==, SR_OK);
    read_array();
    g_assert_cmphex(ld16(SECTOR), ==, 0xffff);
    /* Resume from read array leaves read array. */
    st16(0, 0xd0);
    g_assert_true(flash_mr(dev)->romd_mode);
    program_word(SECTOR, 0x4321);
    st16(SECTOR, 0xb0);
    g_assert_cmphex(ld16(SECTOR), ==, SR_OK);
    st16(SECTOR, 0xd0);
    read_array();
    g_assert_cmphex(ld16(SECTOR), ==, 0x4321);
    g_assert_cmphex(file_u16(path, SECTOR), ==, 0x4321);
    flash_stop(dev);
    drive_free(drive);
}

static void test_readonly(void)
{
    g_autofree char *path = make_image("ro.bin", SMALL_SIZE);
    g_autofree char *before = file_checksum(path);
    g_autofree char *after = NULL;
    DriveInfo *drive = drive_new(path, true);
    DeviceState *dev;

    /* A file the user may only read is fine with readonly=on. */
    g_assert_cmpint(chmod(path, 0444), ==, 0);
    dev = flash_start(SMALL_BLOCKS, drive);
    g_assert_cmphex(ld(0x40, 1), ==, image_byte(0x40));

    program_word(0x40, 0);
    g_assert_cmphex(ld16(0), ==, SR_OK | PFLASH_SR_PROGRAM_ERROR |
                    PFLASH_SR_LOCKED);
    clear_status();
    erase_block(0);
    g_assert_cmphex(ld16(0), ==, SR_OK | PFLASH_SR_ERASE_ERROR |
                    PFLASH_SR_LOCKED);
    clear_status();
    st16(0, 0xe8);
    st16(0, 0);
    st16(0x40, 0);
    st16(0, 0xd0);
    g_assert_cmphex(ld16(0), ==, SR_OK | PFLASH_SR_PROGRAM_ERROR |
                    PFLASH_SR_LOCKED);
    clear_status();
    /* Every block reads as locked down; unlocking does not help. */
    lock_cmd(0, 0xd0);
    g_assert_cmphex(block_lock_status(0), ==,
                    PFLASH_BLOCK_LOCKED | PFLASH_BLOCK_LOCKED_DOWN);
    program_word(0x40, 0);
    g_assert_cmphex(ld16(0), ==, SR_OK | PFLASH_SR_PROGRAM_ERROR |
                    PFLASH_SR_LOCKED);
    read_array();
    g_assert_cmphex(ld(0x40, 1), ==, image_byte(0x40));
    flash_stop(dev);

    after = file_checksum(path);
    g_assert_cmpstr(before, ==, after);
    drive_free(drive);
}

static void test_no_drive(void)
{
    DeviceState *dev = flash_start(SMALL_BLOCKS, NULL);

    g_assert_cmphex(ld(0, 4), ==, 0xffffffff);
    program_word(4, 0xbeef);
    g_assert_cmphex(ld16(0), ==, SR_OK);
    read_array();
    g_assert_cmphex(ld16(4), ==, 0xbeef);
    flash_stop(dev);
}

static void test_unknown_command(void)
{
    DeviceState *dev = flash_start(SMALL_BLOCKS, NULL);

    st16(0, 0x70);
    g_assert_false(flash_mr(dev)->romd_mode);
    st16(0, 0x42);                                  /* logged */
    g_assert_true(flash_mr(dev)->romd_mode);
    g_assert_cmphex(ld16(0), ==, 0xffff);
    /* A byte store is a command too. */
    g_assert_cmpint(address_space_st(&address_space_memory, 0, 1, 0x70), ==,
                    MEMTX_OK);
    g_assert_cmphex(ld(0, 1), ==, SR_OK);
    read_array();
    flash_stop(dev);
}

static void test_realize_errors(void)
{
    g_autofree char *missing = tmp_path("missing.bin");
    g_autofree char *small = make_image("small.bin", 1024 * 1024);
    g_autofree char *big = make_image("big.bin", 2 * SMALL_SIZE);
    char *msg;
    DriveInfo *drive;
    DeviceState *dev;

    /* The drive is opened before the flash exists, with QEMU's words. */
    msg = g_strdup_printf("Could not open '%s': No such file or directory",
                          missing);
    assert_open_error(missing, false, msg);
    g_free(msg);
    msg = g_strdup_printf("Could not open '%s': %s: is a directory, not an "
                          "image file", tmpdir, tmpdir);
    assert_open_error(tmpdir, false, msg);
    assert_open_error(tmpdir, true, msg);
    g_free(msg);

    drive = drive_new(small, false);
    msg = g_strdup_printf("%s: 1048576 bytes, but the flash is 16777216 "
                          "bytes (16 MiB); make it that size with: "
                          "truncate -s 16M %s", small, small);
    assert_realize_error(flash_new(CONNEX_BLOCKS, drive), msg);
    g_free(msg);
    drive_free(drive);

    drive = drive_new(big, false);
    msg = g_strdup_printf("%s: 1048576 bytes, but the flash is 524288 "
                          "bytes (512 KiB); make it that size with: "
                          "truncate -s 512K %s (this cuts off what is past "
                          "the end)", big, big);
    assert_realize_error(flash_new(SMALL_BLOCKS, drive), msg);
    g_free(msg);
    drive_free(drive);

    dev = flash_new(SMALL_BLOCKS, NULL);
    object_property_set_uint(OBJECT(dev), "width", 3, &error_fatal);
    assert_realize_error(dev, "connext.rom: width 3 is not supported; width "
                         "is the bus width in bytes: 1, 2 or 4");
    dev = flash_new(0, NULL);
    assert_realize_error(dev, "connext.rom: num-blocks 0 is out of range; "
                         "it must be 1 to 65536");
    dev = flash_new(SMALL_BLOCKS, NULL);
    object_property_set_uint(OBJECT(dev), "sector-length", 3000,
                             &error_fatal);
    assert_realize_error(dev, "connext.rom: sector-length 3000 is not a "
                         "power of two from 256 bytes per chip to 16M");
}

static void test_raw_file(void)
{
    g_autofree char *path = make_image("raw.bin", 4096);
    g_autofree char *missing = tmp_path("nothing.bin");
    g_autofree char *msg = g_strdup_printf("%s: no such file", missing);
    Error *err = NULL;
    uint8_t buf[16];
    RawFile *f;

    g_assert_null(raw_file_open(missing, true, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
    err = NULL;

    f = raw_file_open(path, false, &error_fatal);
    g_assert_cmpuint(raw_file_length(f), ==, 4096);
    g_assert_false(raw_file_is_readonly(f));
    g_assert_cmpstr(raw_file_path(f), ==, path);
    g_assert_true(raw_file_pread(f, 4080, buf, 16, &error_fatal));
    g_assert_cmphex(buf[15], ==, image_byte(4095));
    g_assert_false(raw_file_pread(f, 4090, buf, 16, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "past the end"));
    error_free(err);
    err = NULL;
    memset(buf, 0x5a, sizeof(buf));
    g_assert_true(raw_file_pwrite(f, 8, buf, 16, &error_fatal));
    g_assert_true(raw_file_flush(f, &error_fatal));
    g_assert_cmphex(file_u16(path, 8), ==, 0x5a5a);
    raw_file_close(f);

    f = raw_file_open(path, true, &error_fatal);
    g_assert_false(raw_file_pwrite(f, 0, buf, 1, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "read-only"));
    error_free(err);
    g_assert_true(raw_file_flush(f, &error_fatal));
    raw_file_close(f);
}

/* QEMU's image locks between two opens, as between two processes. */
static void test_raw_file_locks(void)
{
    g_autofree char *path = make_image("locked.bin", 4096);
    g_autofree char *hint = g_strdup_printf("Is another process using the "
                                            "image [%s]?\n", path);
    Error *err = NULL;
    RawFile *f, *g;

    f = raw_file_open(path, 0, &error_fatal);
    g_assert_null(raw_file_open(path, 0, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Failed to get \"write\" lock");
    g_assert_cmpstr(error_get_hint(err), ==, hint);
    error_free(err);
    err = NULL;
    g_assert_null(raw_file_open(path, RAW_FILE_READONLY, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "Failed to get shared \"write\" lock");
    error_free(err);
    /* file.locking=off neither takes nor tests the locks. */
    g = raw_file_open(path, RAW_FILE_NO_LOCK, &error_fatal);
    raw_file_close(g);
    raw_file_close(f);

    /* Readers share with readers and keep writers out. */
    f = raw_file_open(path, RAW_FILE_READONLY, &error_fatal);
    g = raw_file_open(path, RAW_FILE_READONLY, &error_fatal);
    err = NULL;
    g_assert_null(raw_file_open(path, 0, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "Failed to get \"write\" lock");
    error_free(err);
    raw_file_close(g);
    raw_file_close(f);
    /* Closing released everything. */
    raw_file_close(raw_file_open(path, 0, &error_fatal));
}

static void assert_state(RawFile *f, RawFileState want, const char *msg)
{
    Error *err = NULL;

    g_assert_cmpint(raw_file_state(f, &err), ==, want);
    if (msg) {
        g_assert_cmpstr(error_get_pretty(err), ==, msg);
        error_free(err);
    } else {
        g_assert_null(err);
    }
}

static void test_raw_file_state(void)
{
    g_autofree char *path = make_image("state.bin", 4096);
    g_autofree char *other = make_image("other.bin", 4096);
    g_autofree char *cut = g_strdup_printf("%s: the file was cut to 100 "
                                           "bytes while in use (it is 4096 "
                                           "bytes)", path);
    g_autofree char *deleted = g_strdup_printf("%s: the file was deleted "
                                               "while in use", path);
    g_autofree char *replaced = g_strdup_printf("%s: the file was replaced "
                                                "by another file while in "
                                                "use", path);
    g_autofree char *renamed = g_strdup_printf("%s: the file was renamed or "
                                               "deleted while in use", path);
    RawFile *f = raw_file_open(path, 0, &error_fatal);

    assert_state(f, RAW_FILE_INTACT, NULL);
    /* Growing is fine; shrinking loses data. */
    g_assert_cmpint(truncate(path, 8192), ==, 0);
    assert_state(f, RAW_FILE_INTACT, NULL);
    g_assert_cmpint(truncate(path, 100), ==, 0);
    assert_state(f, RAW_FILE_SHRUNK, cut);
    g_assert_cmpint(truncate(path, 4096), ==, 0);
    assert_state(f, RAW_FILE_INTACT, NULL);
    /* A hard link keeps the inode alive at another name. */
    g_autofree char *link_path = g_strconcat(path, ".moved", NULL);
    g_assert_cmpint(rename(path, link_path), ==, 0);
    assert_state(f, RAW_FILE_GONE, renamed);
    g_assert_cmpint(link(link_path, path), ==, 0);
    assert_state(f, RAW_FILE_INTACT, NULL);
    g_assert_cmpint(unlink(link_path), ==, 0);
    g_assert_cmpint(link(path, link_path), ==, 0);
    g_assert_cmpint(rename(other, path), ==, 0);
    assert_state(f, RAW_FILE_GONE, replaced);
    g_assert_cmpint(unlink(link_path), ==, 0);
    assert_state(f, RAW_FILE_GONE, deleted);
    raw_file_close(f);
}

/*
 * A program into a file cut short does not reach the file (it would
 * leave a hole where data was): the flash stays busy until the machine
 * runs again, which writes the whole flash back and then finishes it.
 */
static void test_file_cut_under_flash(void)
{
    g_autofree char *path = make_image("cut.bin", SMALL_SIZE);
    DriveInfo *drive = drive_new(path, false);
    DeviceState *dev = flash_start(SMALL_BLOCKS, drive);
    struct stat st;

    g_assert_cmpint(truncate(path, 4096), ==, 0);
    program_word(0x1000, 0x0000);
    g_assert_cmphex(ld16(0), ==, 0);                /* busy */
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_size, ==, 4096);
    /* Commands while busy are ignored. */
    g_assert_cmphex(status(), ==, 0);

    vm_start();
    g_assert_cmphex(ld16(0), ==, SR_OK);
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_size, ==, SMALL_SIZE);
    g_assert_cmphex(file_u16(path, 0x1000), ==, 0x0000);
    g_assert_cmphex(file_u16(path, 0x1002), ==,
                    image_byte(0x1002) | image_byte(0x1003) << 8);
    g_assert_cmphex(file_u16(path, SMALL_SIZE - 2), ==,
                    image_byte(SMALL_SIZE - 2) |
                    image_byte(SMALL_SIZE - 1) << 8);
    vm_stop(RUN_STATE_PAUSED);
    read_array();
    flash_stop(dev);
    drive_free(drive);
}

static void remove_tmpdir(void)
{
    GDir *dir = g_dir_open(tmpdir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *path = tmp_path(name);

        g_remove(path);
    }
    if (dir) {
        g_dir_close(dir);
    }
    g_rmdir(tmpdir);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    g_assert_nonnull(mkdtemp(tmpdir));
    memory_system_init(true);
    bql_lock();
    /* Guest errors are expected here: keep them out of the TAP output. */
    emu_log_set_mask(0);

    g_test_add_func("/pflash/read-array", test_read_array);
    g_test_add_func("/pflash/cfi-query", test_cfi_query);
    g_test_add_func("/pflash/identifier", test_identifier);
    g_test_add_func("/pflash/word-program", test_word_program);
    g_test_add_func("/pflash/buffered-write", test_buffered_write);
    g_test_add_func("/pflash/block-erase", test_block_erase);
    g_test_add_func("/pflash/locking", test_locking);
    g_test_add_func("/pflash/suspend-resume", test_suspend_resume);
    g_test_add_func("/pflash/readonly", test_readonly);
    g_test_add_func("/pflash/no-drive", test_no_drive);
    g_test_add_func("/pflash/unknown-command", test_unknown_command);
    g_test_add_func("/pflash/realize-errors", test_realize_errors);
    g_test_add_func("/pflash/raw-file", test_raw_file);
    g_test_add_func("/pflash/raw-file-locks", test_raw_file_locks);
    g_test_add_func("/pflash/raw-file-state", test_raw_file_state);
    g_test_add_func("/pflash/file-cut-under-flash",
                    test_file_cut_under_flash);
    ret = g_test_run();

    remove_tmpdir();
    return ret;
}
