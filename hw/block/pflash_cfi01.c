/*
 * Intel/Sharp CFI parallel NOR flash (command set 0x0001: Intel
 * StrataFlash 28F128J3 and relatives), the boot flash of the PXA boards.
 *
 * A bank "width" bytes wide with "num-blocks" uniform erase blocks of
 * "sector-length" bytes, made of one chip as wide as the bank or, with
 * "device-width", of width / device-width chips side by side, each on
 * its lane of the data bus (two x16 parts make a 32-bit bank, as on
 * QEMU's virt).  Every chip decodes the same commands and addresses: the
 * bank's word n is word n of each chip, an erase block of the bank is
 * one block of each.  So reads of status, identifier codes and the CFI
 * query table give each chip's answer in each lane (0x00800080 for
 * "ready" from two x16 parts), and the query table describes one chip
 * (its size, its block size, its write buffer), as software that
 * interleaves chips expects (Intel's CFI application note AP-646; QEMU's
 * pflash_cfi01 likewise).  "max-device-width" is the chip's widest bus
 * (an x16 part used 8 bits wide: query addresses count in its native
 * words, the answers repeat in each byte).  In read-array mode the
 * storage is a ROM device
 * read in place (the translator runs code from it); any other command
 * switches the region to I/O mode, where reads return the status
 * register, the identifier codes or the CFI query table.
 *
 * The image is the drive's BlockBackend (raw, qcow2, a snapshot=on
 * overlay).  Program and erase complete at once: by the time the guest
 * can read the status register, the changed bytes are written to the
 * image and flushed (fdatasync), so a guest that saw "ready" loses
 * nothing if emu is killed.  A write the image refuses (disk full, I/O
 * error) fails with the status register's error bit and the storage is
 * read back from the image, so the guest sees what the image holds.  A
 * plain raw file deleted, replaced or cut short under emu stops the
 * machine with an I/O error (QEMU's werror=stop); the operation under
 * way waits, busy, and "cont" writes the whole flash to the file again
 * (a new one at the same path if it is gone), then finishes it.  Programming only clears bits, as on the
 * real part.  Block lock
 * bits start cleared every run (they are not kept in the image); reset
 * clears lock-down.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "util/log.h"
#include "hw/block/flash.h"
#include "hw/boards.h"
#include "sysemu/runstate.h"

/* The CFI query table: byte n is read at word address n. */
#define CFI_TABLE_SIZE 0x50
/* Query mode decodes the low 8 bits of the word address, so the table
 * repeats every 256 words. */
#define CFI_QUERY_ADDR_MASK 0xff

typedef enum PFlashWriteState {
    WSTATE_IDLE,                 /* the next write is a command */
    WSTATE_PROGRAM,              /* 0x40/0x10: the next write is data */
    WSTATE_ERASE,                /* 0x20: expecting the 0xd0 confirm */
    WSTATE_LOCK,                 /* 0x60: expecting 0x01, 0xd0 or 0x2f */
    WSTATE_BUF_COUNT,            /* 0xe8: expecting the word count - 1 */
    WSTATE_BUF_DATA,             /* collecting the buffer's words */
    WSTATE_BUF_CONFIRM,          /* expecting the 0xd0 confirm */
} PFlashWriteState;

/* What reads return outside read-array mode. */
typedef enum PFlashReadMode {
    RMODE_ARRAY,
    RMODE_STATUS,
    RMODE_IDENT,
    RMODE_QUERY,
} PFlashReadMode;

/* A program or erase waiting for the file to be usable again. */
typedef struct PFlashPending {
    hwaddr offset;
    uint8_t *data;
    size_t len;
    uint8_t err_bit;
} PFlashPending;

typedef struct PFlashCFI01 {
    SysBusDevice parent_obj;
    MemoryRegion mem;

    /* properties */
    uint32_t num_blocks;
    uint64_t sector_len;
    uint8_t width;
    uint8_t device_width;        /* 0: one chip as wide as the bank */
    uint8_t max_device_width;    /* 0: device_width */
    uint16_t id0;
    uint16_t id1;
    char *name;

    DriveInfo *drive;
    BlockBackend *blk;           /* the drive's image, or NULL */
    bool watching;               /* its plain file is watched */
    bool readonly;
    bool file_broken;            /* stopped for io-error until "cont" */
    PFlashPending *pending;      /* busy while set */
    uint64_t size;
    uint8_t *storage;            /* the ROM device's memory */
    uint8_t *block_lock;         /* PFLASH_BLOCK_* per block */
    uint8_t cfi_table[CFI_TABLE_SIZE];   /* one chip's */
    unsigned chip_width;         /* bytes of a chip's lane */
    unsigned query_shift;        /* bank byte offset -> chip's query
                                  * address */

    PFlashReadMode read_mode;
    PFlashWriteState wstate;
    uint8_t status;

    /* the write buffer (0xe8) */
    uint32_t wbuf_size;          /* bytes */
    uint8_t *wbuf;               /* wbuf_size bytes, 0xff where unwritten */
    hwaddr wbuf_block;           /* block the 0xe8 command addressed */
    hwaddr wbuf_base;            /* aligned window of the first data word */
    bool wbuf_started;
    uint32_t wbuf_words_left;
    uint32_t wbuf_lo, wbuf_hi;   /* written span within the window */
} PFlashCFI01;

#define PFLASH_CFI01(obj) INSTANCE_CAST(PFlashCFI01, (obj), TYPE_PFLASH_CFI01)

void pflash_cfi01_set_drive(DeviceState *dev, DriveInfo *drive)
{
    PFlashCFI01 *s = PFLASH_CFI01(dev);

    g_assert(!dev->realized);
    s->drive = drive;
}

/* ---- modes ---- */

static void pflash_set_read_mode(PFlashCFI01 *s, PFlashReadMode mode)
{
    s->read_mode = mode;
    /* In array mode the translator and the TLB read the storage in
     * place; everything else needs the ops. */
    memory_region_rom_device_set_romd(&s->mem, mode == RMODE_ARRAY);
}

static hwaddr pflash_block_of(PFlashCFI01 *s, hwaddr offset)
{
    return offset & ~(s->sector_len - 1);
}

static bool pflash_block_locked(PFlashCFI01 *s, hwaddr offset)
{
    return s->readonly || s->block_lock[offset / s->sector_len] != 0;
}

/* An improper command sequence: SR4 and SR5 together, as the part does. */
static void pflash_bad_sequence(PFlashCFI01 *s, hwaddr offset,
                                uint64_t value, const char *what)
{
    emu_log_mask(LOG_GUEST_ERROR, "%s: 0x%" PRIx64 " at 0x%" HWADDR_PRIx
                 " %s: command sequence error (SR4|SR5)\n", s->name, value,
                 offset, what);
    s->status |= PFLASH_SR_PROGRAM_ERROR | PFLASH_SR_ERASE_ERROR;
    s->wstate = WSTATE_IDLE;
    pflash_set_read_mode(s, RMODE_STATUS);
}

/* ---- storage changes, image first ---- */

/* The file is gone or cut short: stop the machine until the user says. */
static void pflash_file_failed(PFlashCFI01 *s, Error *err)
{
    if (!s->file_broken) {
        error_report("%s; the machine is stopped: 'cont' writes the whole "
                     "flash to %s again, 'quit' leaves the file as it is",
                     error_get_pretty(err), s->drive->file);
    }
    s->file_broken = true;
    vm_stop_request(RUN_STATE_IO_ERROR);
}

static void pflash_file_changed(void *opaque, Error *err)
{
    pflash_file_failed(opaque, err);
}

/*
 * Makes the file hold the whole flash again after it was deleted,
 * replaced or cut short: a file at the same path (made if there is none)
 * gets every byte the guest was told is written.
 */
static bool pflash_restore_file(PFlashCFI01 *s, Error **errp)
{
    if (!blk_recreate_file(s->blk, errp)) {
        return false;
    }
    if (blk_pwrite(s->blk, 0, s->size, s->storage) < 0 ||
        blk_flush(s->blk) < 0) {
        error_setg(errp, "%s", blk_last_error(s->blk));
        return false;
    }
    return true;
}

/*
 * Puts len bytes at offset into the image and flushes (nothing under
 * snapshot=on, whose overlay is thrown away), then into the storage.  On
 * a write error the guest sees a failed operation (err_bit) and the
 * storage is read back from the image, so it holds what the image holds.
 * A watched file that is no longer there to write leaves the operation
 * pending (busy) and stops the machine.
 */
static void pflash_commit(PFlashCFI01 *s, hwaddr offset, const uint8_t *data,
                          size_t len, uint8_t err_bit)
{
    Error *err = NULL;

    if (!s->blk) {
        memcpy(s->storage + offset, data, len);
        return;
    }
    if (s->file_broken || blk_file_state(s->blk, &err) != RAW_FILE_INTACT) {
        s->pending = g_new(PFlashPending, 1);
        s->pending->offset = offset;
        s->pending->data = g_memdup2(data, len);
        s->pending->len = len;
        s->pending->err_bit = err_bit;
        s->status &= ~PFLASH_SR_READY;
        if (err) {
            pflash_file_failed(s, err);
            error_free(err);
        } else {
            vm_stop_request(RUN_STATE_IO_ERROR);
        }
        return;
    }
    if (blk_pwrite(s->blk, offset, len, data) == 0 &&
        blk_flush(s->blk) == 0) {
        memcpy(s->storage + offset, data, len);
        return;
    }
    error_report("%s", blk_last_error(s->blk));
    s->status |= err_bit;
    if (blk_pread(s->blk, offset, len, s->storage + offset) < 0) {
        error_report("%s", blk_last_error(s->blk));
    }
}

/* "cont" after an io-error stop: restore the file, finish the operation. */
static void pflash_vm_state_change(void *opaque, bool running)
{
    PFlashCFI01 *s = opaque;
    PFlashPending *p = s->pending;
    Error *err = NULL;

    if (!running || !s->file_broken) {
        return;
    }
    if (!pflash_restore_file(s, &err)) {
        s->file_broken = false;          /* say again what is wrong */
        pflash_file_failed(s, err);
        error_free(err);
        return;
    }
    s->file_broken = false;
    if (p) {
        s->pending = NULL;
        s->status |= PFLASH_SR_READY;
        pflash_commit(s, p->offset, p->data, p->len, p->err_bit);
        g_free(p->data);
        g_free(p);
    }
}

static void pflash_drop_pending(PFlashCFI01 *s)
{
    if (s->pending) {
        g_free(s->pending->data);
        g_free(s->pending);
        s->pending = NULL;
    }
}

static bool pflash_check_writable(PFlashCFI01 *s, hwaddr offset,
                                  uint8_t err_bit, const char *what)
{
    if (!pflash_block_locked(s, offset)) {
        return true;
    }
    emu_log_mask(LOG_GUEST_ERROR, "%s: %s at 0x%" HWADDR_PRIx " in a %s "
                 "block (SR1)\n", s->name, what, offset,
                 s->readonly ? "read-only" : "locked");
    s->status |= PFLASH_SR_LOCKED | err_bit;
    return false;
}

/* Programming can only clear bits: new = old AND data. */
static void pflash_program(PFlashCFI01 *s, hwaddr offset, uint64_t value,
                           unsigned size)
{
    uint8_t data[4];

    if (!pflash_check_writable(s, offset, PFLASH_SR_PROGRAM_ERROR,
                               "program")) {
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        data[i] = s->storage[offset + i] & (uint8_t)(value >> (8 * i));
    }
    pflash_commit(s, offset, data, size, PFLASH_SR_PROGRAM_ERROR);
}

static void pflash_erase(PFlashCFI01 *s, hwaddr offset)
{
    hwaddr block = pflash_block_of(s, offset);
    g_autofree uint8_t *erased = NULL;

    if (!pflash_check_writable(s, block, PFLASH_SR_ERASE_ERROR, "erase")) {
        return;
    }
    erased = g_malloc(s->sector_len);
    memset(erased, 0xff, s->sector_len);
    pflash_commit(s, block, erased, s->sector_len, PFLASH_SR_ERASE_ERROR);
}

/* ---- the write buffer ---- */

static void pflash_wbuf_data(PFlashCFI01 *s, hwaddr offset, uint64_t value,
                             unsigned size)
{
    hwaddr pos;

    if (!s->wbuf_started) {
        s->wbuf_base = offset & ~(hwaddr)(s->wbuf_size - 1);
        s->wbuf_started = true;
    }
    if (offset < s->wbuf_base || offset + size > s->wbuf_base + s->wbuf_size
        || pflash_block_of(s, offset) != s->wbuf_block) {
        pflash_bad_sequence(s, offset, value,
                            "outside the write buffer's window");
        return;
    }
    pos = offset - s->wbuf_base;
    for (unsigned i = 0; i < size; i++) {
        s->wbuf[pos + i] &= (uint8_t)(value >> (8 * i));
    }
    s->wbuf_lo = MIN(s->wbuf_lo, pos);
    s->wbuf_hi = MAX(s->wbuf_hi, pos + size);
    if (--s->wbuf_words_left == 0) {
        s->wstate = WSTATE_BUF_CONFIRM;
    }
}

static void pflash_wbuf_program(PFlashCFI01 *s)
{
    hwaddr start = s->wbuf_base + s->wbuf_lo;
    uint32_t len = s->wbuf_hi - s->wbuf_lo;
    g_autofree uint8_t *data = NULL;

    if (!pflash_check_writable(s, start, PFLASH_SR_PROGRAM_ERROR,
                               "buffered program")) {
        return;
    }
    data = g_malloc(len);
    for (uint32_t i = 0; i < len; i++) {
        data[i] = s->storage[start + i] & s->wbuf[s->wbuf_lo + i];
    }
    pflash_commit(s, start, data, len, PFLASH_SR_PROGRAM_ERROR);
}

/* ---- commands ---- */

static void pflash_lock_command(PFlashCFI01 *s, hwaddr offset, uint8_t cmd)
{
    uint8_t *lock = &s->block_lock[offset / s->sector_len];

    switch (cmd) {
    case 0x01:                   /* set block lock bit */
        *lock |= PFLASH_BLOCK_LOCKED;
        break;
    case 0x2f:                   /* lock down: locked until reset */
        *lock |= PFLASH_BLOCK_LOCKED | PFLASH_BLOCK_LOCKED_DOWN;
        break;
    case 0xd0:                   /* clear the block's lock bit */
        if (*lock & PFLASH_BLOCK_LOCKED_DOWN) {
            emu_log_mask(LOG_GUEST_ERROR, "%s: unlock of the locked-down "
                         "block at 0x%" HWADDR_PRIx " has no effect\n",
                         s->name, pflash_block_of(s, offset));
        } else {
            *lock = 0;
        }
        break;
    default:
        pflash_bad_sequence(s, offset, cmd, "after block lock setup 0x60");
        return;
    }
    s->wstate = WSTATE_IDLE;
    pflash_set_read_mode(s, RMODE_STATUS);
}

static void pflash_idle_command(PFlashCFI01 *s, hwaddr offset, uint8_t cmd)
{
    switch (cmd) {
    case 0xff:                   /* read array */
    case 0x00:                   /* not Intel's: firmware probing for */
    case 0xf0:                   /* other flash types resets with these */
        pflash_set_read_mode(s, RMODE_ARRAY);
        break;
    case 0x70:
        pflash_set_read_mode(s, RMODE_STATUS);
        break;
    case 0x90:
        pflash_set_read_mode(s, RMODE_IDENT);
        break;
    case 0x98:
        pflash_set_read_mode(s, RMODE_QUERY);
        break;
    case 0x50:                   /* clear status, back to read array */
        s->status = PFLASH_SR_READY;
        pflash_set_read_mode(s, RMODE_ARRAY);
        break;
    case 0x40:
    case 0x10:
        s->wstate = WSTATE_PROGRAM;
        pflash_set_read_mode(s, RMODE_STATUS);
        break;
    case 0x20:
        s->wstate = WSTATE_ERASE;
        pflash_set_read_mode(s, RMODE_STATUS);
        break;
    case 0x60:
        s->wstate = WSTATE_LOCK;
        pflash_set_read_mode(s, RMODE_STATUS);
        break;
    case 0xe8:
        /* Reads now give the extended status: XSR7 = buffer available,
         * which it always is, as SR7 is. */
        s->wstate = WSTATE_BUF_COUNT;
        s->wbuf_block = pflash_block_of(s, offset);
        pflash_set_read_mode(s, RMODE_STATUS);
        break;
    case 0xb0:
        /* Program and erase finish before the guest can suspend them:
         * the status shows ready with SR6 and SR2 clear, which tells the
         * guest the operation completed. */
        pflash_set_read_mode(s, RMODE_STATUS);
        break;
    case 0xd0:
        /* Resume with nothing suspended does nothing. */
        break;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "%s: unknown command 0x%02x at 0x%"
                     HWADDR_PRIx ", back to read array\n", s->name, cmd,
                     offset);
        pflash_set_read_mode(s, RMODE_ARRAY);
        break;
    }
}

/* One bus cycle of at most width bytes. */
static void pflash_write_cycle(PFlashCFI01 *s, hwaddr offset, uint64_t value,
                               unsigned size)
{
    uint8_t cmd = value;
    uint32_t words;

    switch (s->wstate) {
    case WSTATE_IDLE:
        pflash_idle_command(s, offset, cmd);
        break;
    case WSTATE_PROGRAM:
        pflash_program(s, offset, value, size);
        s->wstate = WSTATE_IDLE;
        break;
    case WSTATE_ERASE:
        if (cmd != 0xd0) {
            pflash_bad_sequence(s, offset, cmd, "after block erase setup "
                                "0x20 (0xd0 confirms)");
            break;
        }
        pflash_erase(s, offset);
        s->wstate = WSTATE_IDLE;
        break;
    case WSTATE_LOCK:
        pflash_lock_command(s, offset, cmd);
        break;
    case WSTATE_BUF_COUNT:
        /* Each chip gets the count (of its words, one per bank word) in
         * its lane; the lowest chip's is taken, as for commands. */
        words = (uint32_t)(value & (s->chip_width == 1 ? 0xff : 0xffff)) + 1;
        if (words > s->wbuf_size / s->width) {
            pflash_bad_sequence(s, offset, value, "as buffered write count: "
                                "more words than the write buffer holds");
            break;
        }
        memset(s->wbuf, 0xff, s->wbuf_size);
        s->wbuf_started = false;
        s->wbuf_words_left = words;
        s->wbuf_lo = s->wbuf_size;
        s->wbuf_hi = 0;
        s->wstate = WSTATE_BUF_DATA;
        break;
    case WSTATE_BUF_DATA:
        pflash_wbuf_data(s, offset, value, size);
        break;
    case WSTATE_BUF_CONFIRM:
        if (cmd != 0xd0) {
            pflash_bad_sequence(s, offset, cmd, "after the write buffer's "
                                "data (0xd0 confirms)");
            break;
        }
        pflash_wbuf_program(s);
        s->wstate = WSTATE_IDLE;
        break;
    }
}

static void pflash_write(void *opaque, hwaddr offset, uint64_t value,
                         unsigned size)
{
    PFlashCFI01 *s = opaque;

    if (s->pending) {
        emu_log_mask(LOG_GUEST_ERROR, "%s: write of 0x%" PRIx64 " at 0x%"
                     HWADDR_PRIx " while busy is ignored\n", s->name, value,
                     offset);
        return;
    }
    /* A wider access is several bus cycles, lowest address first. */
    for (unsigned done = 0; done < size; done += s->width) {
        unsigned n = MIN(size - done, s->width);

        pflash_write_cycle(s, offset + done, value >> (8 * done), n);
    }
}

/* What one chip answers at bank offset word_offset outside read-array
 * mode, in the low bits of its lane. */
static uint64_t pflash_chip_answer(PFlashCFI01 *s, hwaddr word_offset)
{
    hwaddr index;

    switch (s->read_mode) {
    case RMODE_STATUS:
        return s->status;
    case RMODE_IDENT:
        /* Word 2 of each block: its lock configuration. */
        index = (word_offset & (s->sector_len - 1)) >> s->query_shift;
        switch (index) {
        case 0:
            return s->id0;
        case 1:
            return s->id1;
        case 2:
            return s->readonly ? PFLASH_BLOCK_LOCKED | PFLASH_BLOCK_LOCKED_DOWN
                               : s->block_lock[word_offset / s->sector_len];
        default:
            return 0;
        }
    case RMODE_QUERY:
        index = (word_offset >> s->query_shift) & CFI_QUERY_ADDR_MASK;
        if (index >= CFI_TABLE_SIZE) {
            return 0;
        }
        /* A wide part used 8 bits wide repeats its byte (AP-646). */
        return s->chip_width < s->max_device_width
               ? 0x0101010101010101ull * s->cfi_table[index]
               : s->cfi_table[index];
    case RMODE_ARRAY:
        break;
    }
    g_assert_not_reached();
}

/* The bank's word at a word address, in the current read mode. */
static uint64_t pflash_read_word(PFlashCFI01 *s, hwaddr word_offset)
{
    uint64_t value;

    if (s->read_mode != RMODE_ARRAY) {
        uint64_t lane_mask = (1ull << (8 * s->chip_width)) - 1;
        uint64_t answer = pflash_chip_answer(s, word_offset) & lane_mask;

        /* Every chip answers the same, each on its lane. */
        value = 0;
        for (unsigned lane = 0; lane < s->width; lane += s->chip_width) {
            value |= answer << (8 * lane);
        }
        return value;
    }
    /* Array reads run in place; the ops see one only while the flat view
     * still has the region in I/O mode (inside a memory transaction). */
    value = 0;
    for (unsigned i = 0; i < s->width; i++) {
        value |= (uint64_t)s->storage[word_offset + i] << (8 * i);
    }
    return value;
}

static uint64_t pflash_read(void *opaque, hwaddr offset, unsigned size)
{
    PFlashCFI01 *s = opaque;
    uint64_t value = 0;

    /* Byte by byte: each comes from its lane of the chip's word. */
    for (unsigned i = 0; i < size; i++) {
        hwaddr byte = offset + i;
        hwaddr word = byte & ~(hwaddr)(s->width - 1);
        uint64_t w = pflash_read_word(s, word);

        value |= ((w >> (8 * (byte - word))) & 0xff) << (8 * i);
    }
    return value;
}

static const MemoryRegionOps pflash_ops = {
    .read = pflash_read,
    .write = pflash_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

/* ---- setup ---- */

/* One chip's query table, with QEMU's values for the same geometry: the
 * bank's blocks and bytes shared among its chips. */
static void pflash_build_cfi_table(PFlashCFI01 *s)
{
    unsigned chips = s->width / s->chip_width;
    uint8_t *t = s->cfi_table;
    uint32_t regions = s->num_blocks - 1;
    uint32_t unit = s->sector_len / chips / 256;
    unsigned size_log2 = 0;

    while ((1ull << size_log2) < s->size / chips) {
        size_log2++;
    }
    memset(t, 0, CFI_TABLE_SIZE);
    t[0x10] = 'Q';
    t[0x11] = 'R';
    t[0x12] = 'Y';
    t[0x13] = 0x01;              /* primary command set: Intel/Sharp */
    t[0x15] = 0x31;              /* primary extended table at 0x31 */
    t[0x1b] = 0x45;              /* Vcc min 4.5 V */
    t[0x1c] = 0x55;              /* Vcc max 5.5 V */
    t[0x1f] = 0x07;              /* typical word program 2^7 us */
    t[0x20] = 0x07;              /* typical buffer write 2^7 us */
    t[0x21] = 0x0a;              /* typical block erase 2^10 ms */
    t[0x23] = 0x04;              /* maximum: 2^4 times typical */
    t[0x24] = 0x04;
    t[0x25] = 0x04;
    t[0x27] = size_log2;         /* device size 2^n bytes */
    t[0x28] = 0x02;              /* interface: x8/x16 */
    /* write buffer 2^n bytes */
    t[0x2a] = s->max_device_width == 1 ? 8 : 11;
    t[0x2c] = 0x01;              /* one erase block region: */
    t[0x2d] = regions;           /*   number of blocks - 1 */
    t[0x2e] = regions >> 8;
    t[0x2f] = unit;              /*   block size / 256 */
    t[0x30] = unit >> 8;
    t[0x31] = 'P';               /* primary extended table, version 1.0 */
    t[0x32] = 'R';
    t[0x33] = 'I';
    t[0x34] = '1';
    t[0x35] = '0';
    t[0x3f] = 0x01;              /* one protection register field */
    /* The bank's buffer: each chip's, side by side. */
    s->wbuf_size = (1u << t[0x2a]) * chips;
}

/* "16M" for truncate -s. */
static char *pflash_size_arg(uint64_t size)
{
    if (size % (1024 * 1024) == 0) {
        return g_strdup_printf("%" PRIu64 "M", size / (1024 * 1024));
    }
    if (size % 1024 == 0) {
        return g_strdup_printf("%" PRIu64 "K", size / 1024);
    }
    return g_strdup_printf("%" PRIu64, size);
}

/* The drive's image is len bytes, not the flash's size: how to mend it
 * (truncate for a plain file, emu-img resize for an image). */
static void pflash_wrong_size(PFlashCFI01 *s, uint64_t len, bool plain,
                              Error **errp)
{
    const char *path = s->drive->file;
    g_autofree char *size_arg = pflash_size_arg(s->size);
    g_autofree char *pretty = NULL;
    g_autofree char *machine = NULL;
    g_autofree char *whose = NULL;

    if (!plain) {
        error_setg(errp, "%s: the image is %" PRIu64 " bytes, but the flash "
                   "is %" PRIu64 " bytes; make it that size with: emu-img "
                   "resize %s %s", path, len, s->size, path, size_arg);
        return;
    }
    pretty = format_size(s->size);
    machine = current_machine ?
        machine_class_display_name(OBJECT_GET_CLASS(current_machine)) : NULL;
    whose = machine ? g_strdup_printf("the %s flash", machine)
                    : g_strdup("the flash");
    error_setg(errp, "%s: %" PRIu64 " bytes, but %s is %" PRIu64
               " bytes (%s); make it that size with: truncate -s %s %s%s",
               path, len, whose, s->size, pretty, size_arg, path,
               len > s->size ? " (this cuts off what is past the end)" : "");
}

/*
 * The drive's image holds the flash: it must be the flash's size.  A
 * plain raw file is watched, so that the flash can be written again if
 * another process deletes or cuts it.
 */
static bool pflash_open_drive(PFlashCFI01 *s, Error **errp)
{
    BlockBackend *blk = s->drive->blk;
    uint64_t len = blk_getlength(blk);
    bool plain = blk_is_plain_file(blk);

    if (!blk_attach_dev(blk, DEVICE(s), errp)) {
        return false;
    }
    s->blk = blk;
    s->readonly = blk_is_read_only(blk);
    if (len != s->size) {
        pflash_wrong_size(s, len, plain, errp);
        return false;
    }
    if (blk_pread(blk, 0, s->size, s->storage) < 0) {
        error_setg(errp, "%s", blk_last_error(blk));
        return false;
    }
    if (!s->readonly && plain) {
        blk_watch_file(blk, pflash_file_changed, s);
        s->watching = true;
        vm_add_change_state_handler(pflash_vm_state_change, s);
    }
    return true;
}

/* Lets go of the image; the region must be unmapped by then. */
static void pflash_unrealize(DeviceState *dev)
{
    PFlashCFI01 *s = PFLASH_CFI01(dev);

    if (s->watching) {
        vm_del_change_state_handler(pflash_vm_state_change, s);
    }
    pflash_drop_pending(s);
    if (s->blk) {
        blk_detach_dev(s->blk, dev);
        s->blk = NULL;
    }
    memory_region_destroy(&s->mem);
    g_free(s->wbuf);
    g_free(s->block_lock);
}

static bool pflash_realize(DeviceState *dev, Error **errp)
{
    PFlashCFI01 *s = PFLASH_CFI01(dev);
    const char *name = s->name ? s->name : TYPE_PFLASH_CFI01;

    if (s->width != 1 && s->width != 2 && s->width != 4) {
        error_setg(errp, "%s: width %u is not supported; width is the bus "
                   "width in bytes: 1, 2 or 4", name, s->width);
        return false;
    }
    if (s->device_width && (s->device_width > s->width ||
                            s->width % s->device_width ||
                            (s->device_width & (s->device_width - 1)))) {
        error_setg(errp, "%s: device-width %u does not divide the bank's "
                   "width %u into chips of 1, 2 or 4 bytes", name,
                   s->device_width, s->width);
        return false;
    }
    s->chip_width = s->device_width ? s->device_width : s->width;
    if (!s->max_device_width) {
        s->max_device_width = s->chip_width;
    }
    if (s->max_device_width < s->chip_width || s->max_device_width > 4 ||
        (s->max_device_width & (s->max_device_width - 1))) {
        error_setg(errp, "%s: max-device-width %u is not 1, 2 or 4 bytes "
                   "and at least the device's width %u", name,
                   s->max_device_width, s->chip_width);
        return false;
    }
    /* A chip's query address: its word index, in its widest words. */
    s->query_shift = __builtin_ctz(s->width) +
                     __builtin_ctz(s->max_device_width) -
                     __builtin_ctz(s->chip_width);
    if (s->num_blocks == 0 || s->num_blocks > 65536) {
        error_setg(errp, "%s: num-blocks %" PRIu32 " is out of range; it "
                   "must be 1 to 65536", name, s->num_blocks);
        return false;
    }
    if (s->sector_len < 256 * s->width / s->chip_width ||
        s->sector_len > 16 * 1024 * 1024 ||
        (s->sector_len & (s->sector_len - 1))) {
        error_setg(errp, "%s: sector-length %" PRIu64 " is not a power of "
                   "two from 256 bytes per chip to 16M", name, s->sector_len);
        return false;
    }
    if (!s->name) {
        s->name = g_strdup(name);
    }
    s->size = (uint64_t)s->num_blocks * s->sector_len;
    if (!memory_region_init_rom_device(&s->mem, OBJECT(s), &pflash_ops, s,
                                       s->name, s->size, errp)) {
        return false;
    }
    s->storage = memory_region_get_ram_ptr(&s->mem);
    pflash_build_cfi_table(s);
    s->wbuf = g_malloc(s->wbuf_size);
    s->block_lock = g_malloc0(s->num_blocks);
    s->status = PFLASH_SR_READY;

    if (s->drive) {
        if (!pflash_open_drive(s, errp)) {
            pflash_unrealize(dev);
            return false;
        }
    } else {
        memset(s->storage, 0xff, s->size);
    }
    sysbus_init_mmio(SYS_BUS_DEVICE(s), &s->mem);
    return true;
}

static void pflash_reset(DeviceState *dev)
{
    PFlashCFI01 *s = PFLASH_CFI01(dev);

    /* An operation the guest never saw finish is forgotten. */
    pflash_drop_pending(s);
    s->status = PFLASH_SR_READY;
    s->wstate = WSTATE_IDLE;
    for (uint32_t i = 0; i < s->num_blocks; i++) {
        s->block_lock[i] &= ~PFLASH_BLOCK_LOCKED_DOWN;
    }
    pflash_set_read_mode(s, RMODE_ARRAY);
}

static void pflash_finalize(Object *obj)
{
    if (DEVICE(obj)->realized) {
        pflash_unrealize(DEVICE(obj));
    }
}

static const Property pflash_properties[] = {
    DEFINE_PROP_UINT("num-blocks", PFlashCFI01, num_blocks, 0,
                     "number of erase blocks"),
    DEFINE_PROP_UINT("sector-length", PFlashCFI01, sector_len, 0,
                     "size of an erase block"),
    DEFINE_PROP_UINT("width", PFlashCFI01, width, 0,
                     "bus width in bytes (1, 2 or 4)"),
    DEFINE_PROP_UINT("device-width", PFlashCFI01, device_width, 0,
                     "width of each chip of the bank in bytes (0: one chip "
                     "as wide as the bank)"),
    DEFINE_PROP_UINT("max-device-width", PFlashCFI01, max_device_width, 0,
                     "the chips' widest bus in bytes (0: device-width)"),
    DEFINE_PROP_UINT("id0", PFlashCFI01, id0, 0,
                     "manufacturer code (read identifier, word 0)"),
    DEFINE_PROP_UINT("id1", PFlashCFI01, id1, 0,
                     "device code (read identifier, word 1)"),
    DEFINE_PROP_STRING("name", PFlashCFI01, name,
                       "name of the memory region"),
};

static void pflash_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "Intel/Sharp CFI parallel NOR flash";
    dc->realize = pflash_realize;
    dc->unrealize = pflash_unrealize;
    dc->reset = pflash_reset;
    dc->category = DEVICE_CATEGORY_STORAGE;
    class_add_properties(klass, pflash_properties,
                         ARRAY_SIZE(pflash_properties));
}

static const TypeInfo pflash_types[] = {
    {
        .name = TYPE_PFLASH_CFI01,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PFlashCFI01),
        .class_init = pflash_class_init,
        .instance_finalize = pflash_finalize,
    },
};

DEFINE_TYPES(pflash_types)
