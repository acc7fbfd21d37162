/*
 * fw_cfg: the item store, the selector/data protocol and DMA (see
 * include/hw/nvram/fw_cfg.h), the PC's I/O port flavour and the MMIO
 * flavour of the ARM virt board.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/boards.h"
#include "hw/misc/isa-ports.h"
#include "hw/nvram/fw_cfg.h"
#include "hw/sysbus.h"
#include "sysemu/process.h"
#include "sysemu/sysemu.h"

#define FW_CFG_ENTRY_MASK     0x3fff   /* without the write and arch bits */
#define FW_CFG_MAX_ENTRY      FW_CFG_FILE_FIRST
#define FW_CFG_MAX_FILES      0x1000

#define FW_CFG_VERSION        0x01     /* ID: the traditional interface */
#define FW_CFG_VERSION_DMA    0x02     /* ID: DMA as well */
#define FW_CFG_DMA_SIGNATURE  0x51454d5520434647ull   /* "QEMU CFG" */

/* The DMA control word (big endian in guest memory). */
#define FW_CFG_DMA_CTL_ERROR  0x01
#define FW_CFG_DMA_CTL_READ   0x02
#define FW_CFG_DMA_CTL_SKIP   0x04
#define FW_CFG_DMA_CTL_SELECT 0x08
#define FW_CFG_DMA_CTL_WRITE  0x10

typedef struct FWCfgEntry {
    uint8_t *data;
    uint32_t len;
} FWCfgEntry;

typedef struct FWCfgFile {
    char name[FW_CFG_MAX_FILE_PATH];
    FWCfgEntry entry;
    FWCfgSelectCallback select_cb;
    void *cb_opaque;
} FWCfgFile;

struct FWCfgState {
    SysBusDevice parent_obj;
    FWCfgEntry entries[2][FW_CFG_MAX_ENTRY];   /* generic, arch-local */
    GPtrArray *files;            /* FWCfgFile *, sorted by name */
    uint16_t cur_key;
    uint32_t cur_offset;
    AddressSpace *dma_as;
    uint64_t dma_addr;
    /* The I/O flavour. */
    uint32_t iobase;
    uint32_t dma_iobase;
    MemoryRegion comb_io;
    MemoryRegion dma_io;
    /* The MMIO flavour. */
    hwaddr mmio_base;
    MemoryRegion data_mem;
    MemoryRegion ctl_mem;
    MemoryRegion dma_mem;
};

#define FW_CFG(obj) INSTANCE_CAST(FWCfgState, (obj), TYPE_FW_CFG)

/* The MMIO flavour's registers, from its base (QEMU's virt layout). */
#define FW_CFG_MEM_DATA       0x00     /* 8 bytes wide */
#define FW_CFG_MEM_CTL        0x08     /* the selector, 16 bits */
#define FW_CFG_MEM_DMA        0x10     /* the DMA address, 64 bits */
#define FW_CFG_MEM_DATA_WIDTH 8

/* ---- the item store ---- */

static void fw_cfg_set_entry(FWCfgEntry *e, const void *data, size_t len)
{
    g_free(e->data);
    e->data = g_memdup2(data, len);
    e->len = len;
}

void fw_cfg_add_bytes(FWCfgState *s, uint16_t key, const void *data,
                      size_t len)
{
    int arch = !!(key & FW_CFG_ARCH_LOCAL);

    key &= FW_CFG_ENTRY_MASK;
    g_assert(key < FW_CFG_MAX_ENTRY && key != FW_CFG_FILE_DIR);
    fw_cfg_set_entry(&s->entries[arch][key], data, len);
}

void fw_cfg_add_string(FWCfgState *s, uint16_t key, const char *value)
{
    fw_cfg_add_bytes(s, key, value, strlen(value) + 1);
}

void fw_cfg_add_i16(FWCfgState *s, uint16_t key, uint16_t value)
{
    uint16_t le = GUINT16_TO_LE(value);

    fw_cfg_add_bytes(s, key, &le, sizeof(le));
}

void fw_cfg_add_i32(FWCfgState *s, uint16_t key, uint32_t value)
{
    uint32_t le = GUINT32_TO_LE(value);

    fw_cfg_add_bytes(s, key, &le, sizeof(le));
}

void fw_cfg_add_i64(FWCfgState *s, uint16_t key, uint64_t value)
{
    uint64_t le = GUINT64_TO_LE(value);

    fw_cfg_add_bytes(s, key, &le, sizeof(le));
}

/* The directory: a big-endian count, then per file its big-endian size
 * and selector, two reserved bytes and the NUL-padded name. */
static void fw_cfg_rebuild_dir(FWCfgState *s)
{
    size_t len = 4 + s->files->len * (8 + FW_CFG_MAX_FILE_PATH);
    g_autofree uint8_t *dir = g_malloc0(len);
    uint32_t count = GUINT32_TO_BE(s->files->len);
    uint8_t *p = dir + 4;

    memcpy(dir, &count, 4);
    for (guint i = 0; i < s->files->len; i++) {
        FWCfgFile *f = g_ptr_array_index(s->files, i);
        uint32_t size = GUINT32_TO_BE(f->entry.len);
        uint16_t select = GUINT16_TO_BE(FW_CFG_FILE_FIRST + i);

        memcpy(p, &size, 4);
        memcpy(p + 4, &select, 2);
        memcpy(p + 8, f->name, FW_CFG_MAX_FILE_PATH);
        p += 8 + FW_CFG_MAX_FILE_PATH;
    }
    fw_cfg_set_entry(&s->entries[0][FW_CFG_FILE_DIR], dir, len);
}

void fw_cfg_add_file(FWCfgState *s, const char *filename, const void *data,
                     size_t len)
{
    fw_cfg_add_file_callback(s, filename, NULL, NULL, data, len);
}

void fw_cfg_add_file_callback(FWCfgState *s, const char *filename,
                              FWCfgSelectCallback select_cb, void *opaque,
                              const void *data, size_t len)
{
    FWCfgFile *f;
    guint i;

    g_assert(strlen(filename) < FW_CFG_MAX_FILE_PATH);
    for (i = 0; i < s->files->len; i++) {
        int cmp;

        f = g_ptr_array_index(s->files, i);
        cmp = strcmp(filename, f->name);
        if (cmp == 0) {
            fw_cfg_set_entry(&f->entry, data, len);
            if (select_cb) {
                f->select_cb = select_cb;
                f->cb_opaque = opaque;
            }
            fw_cfg_rebuild_dir(s);
            return;
        }
        if (cmp < 0) {
            break;
        }
    }
    g_assert(s->files->len < FW_CFG_MAX_FILES);
    f = g_new0(FWCfgFile, 1);
    g_strlcpy(f->name, filename, sizeof(f->name));
    fw_cfg_set_entry(&f->entry, data, len);
    f->select_cb = select_cb;
    f->cb_opaque = opaque;
    g_ptr_array_insert(s->files, i, f);
    fw_cfg_rebuild_dir(s);
}

bool fw_cfg_add_machine_options(FWCfgState *s, MachineState *ms,
                                Error **errp)
{
    const BootOptions *boot = boot_options();
    uint8_t uuid[16];
    uint32_t reboot_wait;

    vm_uuid_bytes(uuid);
    fw_cfg_add_bytes(s, FW_CFG_UUID, uuid, sizeof(uuid));
    fw_cfg_add_i16(s, FW_CFG_NOGRAPHIC, !ms->graphics);
    fw_cfg_add_i16(s, FW_CFG_BOOT_MENU, boot->has_menu && boot->menu);
    if (boot->has_splash_time) {
        uint16_t wait;

        if (boot->splash_time < 0 || boot->splash_time > 0xffff) {
            error_setg(errp, "splash-time is invalid,it should be a value "
                       "between 0 and 65535");
            return false;
        }
        wait = GUINT16_TO_LE(boot->splash_time);
        fw_cfg_add_file(s, "etc/boot-menu-wait", &wait, sizeof(wait));
    }
    /* Always, as QEMU: -1 (no -boot reboot-timeout) means never retry. */
    if (boot->has_reboot_timeout &&
        (boot->reboot_timeout < -1 || boot->reboot_timeout > 0xffff)) {
        error_setg(errp, "reboot timeout is invalid,it should be a value "
                   "between -1 and 65535");
        return false;
    }
    reboot_wait = GUINT32_TO_LE(boot->has_reboot_timeout
                                ? (uint32_t)boot->reboot_timeout : UINT32_MAX);
    fw_cfg_add_file(s, "etc/boot-fail-wait", &reboot_wait,
                    sizeof(reboot_wait));
    return true;
}

static void fw_cfg_file_free(gpointer p)
{
    FWCfgFile *f = p;

    g_free(f->entry.data);
    g_free(f);
}

/* ---- the selector/data protocol ---- */

/* The selected item, NULL when the selector names none. */
static FWCfgEntry *fw_cfg_current(FWCfgState *s)
{
    uint16_t key = s->cur_key & FW_CFG_ENTRY_MASK;
    int arch = !!(s->cur_key & FW_CFG_ARCH_LOCAL);

    if (key < FW_CFG_MAX_ENTRY) {
        return &s->entries[arch][key];
    }
    if (!arch && (guint)(key - FW_CFG_FILE_FIRST) < s->files->len) {
        FWCfgFile *f = g_ptr_array_index(s->files, key - FW_CFG_FILE_FIRST);

        return &f->entry;
    }
    return NULL;
}

static void fw_cfg_select(FWCfgState *s, uint16_t key)
{
    guint file = (key & FW_CFG_ENTRY_MASK) - FW_CFG_FILE_FIRST;

    s->cur_key = key;
    s->cur_offset = 0;
    if (!(key & FW_CFG_ARCH_LOCAL) && (key & FW_CFG_ENTRY_MASK) >=
        FW_CFG_FILE_FIRST && file < s->files->len) {
        FWCfgFile *f = g_ptr_array_index(s->files, file);

        if (f->select_cb) {
            f->select_cb(f->cb_opaque);
        }
    }
}

/* Past the end of an item, or with no item selected, data reads 0. */
static uint8_t fw_cfg_read_byte(FWCfgState *s)
{
    FWCfgEntry *e = fw_cfg_current(s);

    if (!e || s->cur_offset >= e->len) {
        return 0;
    }
    return e->data[s->cur_offset++];
}

static void fw_cfg_dma_transfer(FWCfgState *s)
{
    uint64_t desc_addr = s->dma_addr;
    uint8_t desc[16];
    uint32_t control, length;
    uint64_t address;
    bool failed = false;

    /* The next transfer starts from a high half of 0 again. */
    s->dma_addr = 0;
    if (address_space_read(s->dma_as, desc_addr, desc, sizeof(desc))) {
        emu_log_mask(LOG_GUEST_ERROR, "fw_cfg: DMA descriptor at 0x%" PRIx64
                     " is not in memory\n", desc_addr);
        return;
    }
    control = GUINT32_FROM_BE(*(uint32_t *)desc);
    length = GUINT32_FROM_BE(*(uint32_t *)(desc + 4));
    address = GUINT64_FROM_BE(*(uint64_t *)(desc + 8));

    if (control & FW_CFG_DMA_CTL_SELECT) {
        fw_cfg_select(s, control >> 16);
    }
    if (control & FW_CFG_DMA_CTL_WRITE) {
        /* No item of emu's is writable. */
        failed = true;
    } else if (control & (FW_CFG_DMA_CTL_READ | FW_CFG_DMA_CTL_SKIP)) {
        FWCfgEntry *e = fw_cfg_current(s);
        uint32_t avail = e && s->cur_offset < e->len ? e->len - s->cur_offset
                                                     : 0;
        uint32_t len = MIN(length, avail);

        if ((control & FW_CFG_DMA_CTL_READ) && len &&
            address_space_write(s->dma_as, address,
                                e->data + s->cur_offset, len)) {
            failed = true;
        }
        s->cur_offset += len;
        /* Beyond the item's end a read gives zeros. */
        if (!failed && (control & FW_CFG_DMA_CTL_READ) && length > len) {
            g_autofree uint8_t *zeros = g_malloc0(length - len);

            failed = address_space_write(s->dma_as, address + len, zeros,
                                         length - len) != MEMTX_OK;
        }
    }
    control = GUINT32_TO_BE(failed ? FW_CFG_DMA_CTL_ERROR : 0);
    address_space_write(s->dma_as, desc_addr, &control, sizeof(control));
}

/* ---- the I/O port flavour ---- */

/* Port base: the 16-bit selector; base + 1: the data byte. */
static uint64_t fw_cfg_comb_read(void *opaque, hwaddr addr, unsigned size)
{
    FWCfgState *s = opaque;

    return addr == 1 ? fw_cfg_read_byte(s) : 0;
}

static void fw_cfg_comb_write(void *opaque, hwaddr addr, uint64_t value,
                              unsigned size)
{
    FWCfgState *s = opaque;

    if (addr == 0 && size == 2) {
        fw_cfg_select(s, value);
    }
    /* Data writes are ignored, as by QEMU since 2.4. */
}

static const MemoryRegionOps fw_cfg_comb_ops = {
    .read = fw_cfg_comb_read,
    .write = fw_cfg_comb_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 2 },
};

/* The DMA address register, big endian: the high half at +0, the low
 * half at +4 (which starts the transfer), or all 8 bytes at +0. Reads
 * give the signature "QEMU CFG". */
static uint64_t fw_cfg_dma_read(void *opaque, hwaddr addr, unsigned size)
{
    unsigned shift = 64 - addr * 8 - size * 8;

    return (FW_CFG_DMA_SIGNATURE >> shift) &
           (size == 8 ? UINT64_MAX : (1ull << (size * 8)) - 1);
}

static void fw_cfg_dma_write(void *opaque, hwaddr addr, uint64_t value,
                             unsigned size)
{
    FWCfgState *s = opaque;

    if (size == 4 && addr == 0) {
        s->dma_addr = value << 32;
    } else if (size == 4 && addr == 4) {
        s->dma_addr |= value;
        fw_cfg_dma_transfer(s);
    } else if (size == 8 && addr == 0) {
        s->dma_addr = value;
        fw_cfg_dma_transfer(s);
    }
}

static const MemoryRegionOps fw_cfg_dma_ops = {
    .read = fw_cfg_dma_read,
    .write = fw_cfg_dma_write,
    .endianness = MEMORY_BIG_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
};

/* ---- the MMIO flavour ---- */

/* The data register gives size bytes of the item at once, the first in
 * the most significant byte (big endian: they land in guest memory in
 * the item's order), zeros past its end, as QEMU's. */
static uint64_t fw_cfg_data_mem_read(void *opaque, hwaddr addr,
                                     unsigned size)
{
    FWCfgState *s = opaque;
    uint64_t value = 0;

    if (addr != 0) {
        emu_log_mask(LOG_GUEST_ERROR, "fw_cfg: read of the data register "
                     "at offset %" PRIu64 "\n", (uint64_t)addr);
        return 0;
    }
    for (unsigned i = 0; i < size; i++) {
        value = value << 8 | fw_cfg_read_byte(s);
    }
    return value;
}

static void fw_cfg_data_mem_write(void *opaque, hwaddr addr, uint64_t value,
                                  unsigned size)
{
    /* Ignored, as by QEMU since 2.4. */
}

static const MemoryRegionOps fw_cfg_data_mem_ops = {
    .read = fw_cfg_data_mem_read,
    .write = fw_cfg_data_mem_write,
    .endianness = MEMORY_BIG_ENDIAN,
    .valid = { .min_access_size = 1,
               .max_access_size = FW_CFG_MEM_DATA_WIDTH },
};

static uint64_t fw_cfg_ctl_mem_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void fw_cfg_ctl_mem_write(void *opaque, hwaddr addr, uint64_t value,
                                 unsigned size)
{
    fw_cfg_select(opaque, value);
}

/* The selector takes 16-bit big-endian writes only. */
static const MemoryRegionOps fw_cfg_ctl_mem_ops = {
    .read = fw_cfg_ctl_mem_read,
    .write = fw_cfg_ctl_mem_write,
    .endianness = MEMORY_BIG_ENDIAN,
    .valid = { .min_access_size = 2, .max_access_size = 2 },
};

static bool fw_cfg_mem_realize(DeviceState *dev, Error **errp)
{
    FWCfgState *s = FW_CFG(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

    memory_region_init_io(&s->data_mem, OBJECT(dev), &fw_cfg_data_mem_ops, s,
                          "fwcfg.data", FW_CFG_MEM_DATA_WIDTH);
    memory_region_init_io(&s->ctl_mem, OBJECT(dev), &fw_cfg_ctl_mem_ops, s,
                          "fwcfg.ctl", 2);
    memory_region_init_io(&s->dma_mem, OBJECT(dev), &fw_cfg_dma_ops, s,
                          "fwcfg.dma", 8);
    /* QEMU's region order (info qtree): control, data, DMA. */
    sysbus_init_mmio(sbd, &s->ctl_mem);
    sysbus_init_mmio(sbd, &s->data_mem);
    sysbus_init_mmio(sbd, &s->dma_mem);
    sysbus_mmio_map(sbd, 0, s->mmio_base + FW_CFG_MEM_CTL);
    sysbus_mmio_map(sbd, 1, s->mmio_base + FW_CFG_MEM_DATA);
    sysbus_mmio_map(sbd, 2, s->mmio_base + FW_CFG_MEM_DMA);
    return true;
}

static void fw_cfg_mem_unrealize(DeviceState *dev)
{
    FWCfgState *s = FW_CFG(dev);
    MemoryRegion *sysmem = get_system_memory();

    memory_region_del_subregion(sysmem, &s->data_mem);
    memory_region_del_subregion(sysmem, &s->ctl_mem);
    memory_region_del_subregion(sysmem, &s->dma_mem);
    memory_region_destroy(&s->data_mem);
    memory_region_destroy(&s->ctl_mem);
    memory_region_destroy(&s->dma_mem);
}

/* ---- the I/O port flavour's realize ---- */

static bool fw_cfg_io_realize(DeviceState *dev, Error **errp)
{
    FWCfgState *s = FW_CFG(dev);

    memory_region_init_io(&s->comb_io, OBJECT(dev), &fw_cfg_comb_ops, s,
                          "fwcfg", 2);
    memory_region_init_io(&s->dma_io, OBJECT(dev), &fw_cfg_dma_ops, s,
                          "fwcfg.dma", 8);
    if (!isa_ports_map(dev, &s->comb_io, s->iobase, errp)) {
        goto fail;
    }
    if (!isa_ports_map(dev, &s->dma_io, s->dma_iobase, errp)) {
        isa_ports_unmap(&s->comb_io);
        goto fail;
    }
    return true;

fail:
    memory_region_destroy(&s->comb_io);
    memory_region_destroy(&s->dma_io);
    return false;
}

static void fw_cfg_io_unrealize(DeviceState *dev)
{
    FWCfgState *s = FW_CFG(dev);

    isa_ports_unmap(&s->comb_io);
    isa_ports_unmap(&s->dma_io);
    memory_region_destroy(&s->comb_io);
    memory_region_destroy(&s->dma_io);
}

static void fw_cfg_reset(DeviceState *dev)
{
    FWCfgState *s = FW_CFG(dev);

    fw_cfg_select(s, FW_CFG_SIGNATURE);
    s->dma_addr = 0;
}

static void fw_cfg_instance_init(Object *obj)
{
    FWCfgState *s = FW_CFG(obj);
    uint32_t id = FW_CFG_VERSION | FW_CFG_VERSION_DMA;

    s->files = g_ptr_array_new_with_free_func(fw_cfg_file_free);
    fw_cfg_add_bytes(s, FW_CFG_SIGNATURE, "QEMU", 4);
    fw_cfg_add_i32(s, FW_CFG_ID, id);
    fw_cfg_rebuild_dir(s);
}

static void fw_cfg_instance_finalize(Object *obj)
{
    FWCfgState *s = FW_CFG(obj);

    qdev_unrealize(DEVICE(obj));
    for (int arch = 0; arch < 2; arch++) {
        for (int key = 0; key < FW_CFG_MAX_ENTRY; key++) {
            g_free(s->entries[arch][key].data);
        }
    }
    g_ptr_array_unref(s->files);
}

static void fw_cfg_class_init(ObjectClass *klass)
{
    DEVICE_CLASS(klass)->reset = fw_cfg_reset;
}

static void fw_cfg_io_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "QEMU's firmware configuration device, I/O ports";
    dc->realize = fw_cfg_io_realize;
    dc->unrealize = fw_cfg_io_unrealize;
}

static void fw_cfg_mem_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "QEMU's firmware configuration device, MMIO";
    dc->realize = fw_cfg_mem_realize;
    dc->unrealize = fw_cfg_mem_unrealize;
}

static const TypeInfo fw_cfg_types[] = {
    {
        .name = TYPE_FW_CFG,
        .parent = TYPE_SYS_BUS_DEVICE,
        .abstract = true,
        .instance_size = sizeof(FWCfgState),
        .instance_init = fw_cfg_instance_init,
        .instance_finalize = fw_cfg_instance_finalize,
        .class_init = fw_cfg_class_init,
    },
    {
        .name = TYPE_FW_CFG_IO,
        .parent = TYPE_FW_CFG,
        .class_init = fw_cfg_io_class_init,
    },
    {
        .name = TYPE_FW_CFG_MEM,
        .parent = TYPE_FW_CFG,
        .class_init = fw_cfg_mem_class_init,
    },
};

DEFINE_TYPES(fw_cfg_types)

/* Realizes dev as /machine/fw_cfg, where QEMU's firmware tools look for
 * it; a device model test has no machine and keeps the reference. */
static FWCfgState *fw_cfg_realize_in_machine(DeviceState *dev, Error **errp)
{
    if (!current_machine) {
        return qdev_realize(dev, sysbus_get_default(), errp) ? FW_CFG(dev)
                                                              : NULL;
    }
    object_add_child(OBJECT(current_machine), "fw_cfg", OBJECT(dev),
                     &error_fatal);
    if (!qdev_realize_and_unref(dev, sysbus_get_default(), errp)) {
        object_unparent(OBJECT(dev));
        return NULL;
    }
    return FW_CFG(dev);
}

FWCfgState *fw_cfg_init_io_dma(uint32_t iobase, uint32_t dma_iobase,
                               AddressSpace *dma_as, Error **errp)
{
    DeviceState *dev = qdev_new(TYPE_FW_CFG_IO);
    FWCfgState *s = FW_CFG(dev);

    s->iobase = iobase;
    s->dma_iobase = dma_iobase;
    s->dma_as = dma_as;
    return fw_cfg_realize_in_machine(dev, errp);
}

FWCfgState *fw_cfg_init_mem_dma(hwaddr base, AddressSpace *dma_as,
                                Error **errp)
{
    DeviceState *dev = qdev_new(TYPE_FW_CFG_MEM);
    FWCfgState *s = FW_CFG(dev);

    s->mmio_base = base;
    s->dma_as = dma_as;
    return fw_cfg_realize_in_machine(dev, errp);
}
