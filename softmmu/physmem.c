/*
 * Dispatch: reads and writes on an address space, as CPUs (through the
 * accelerators), DMA-capable devices, loaders and the monitor make them.
 *
 * An access is cut at flat-range boundaries; RAM and ROM are copied in
 * place, MMIO goes to the region's ops after the size and alignment the
 * device accepts are checked, split or widened to what its callbacks
 * implement, and put in the device's byte order.  Holes read as zero.
 * Everything a guest does wrong is logged under -d guest_errors, with the
 * vCPU's PC when an accelerator says who is accessing.
 *
 * Also creates the system address spaces ("memory" and "I/O").
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/bswap.h"
#include "util/log.h"
#include "util/trace.h"
#include "softmmu/memory.h"
#include "memory-internal.h"

typedef enum AccessMode {
    ACCESS_READ,
    ACCESS_WRITE,
    ACCESS_WRITE_ROM,            /* loaders: storage even if read-only */
} AccessMode;

static MemoryAccessorPcFunc accessor_pc_func;
static MemoryAccessorCpuIndexFunc accessor_cpu_index_func;

void memory_set_accessor_pc_func(MemoryAccessorPcFunc fn)
{
    accessor_pc_func = fn;
}

void memory_set_accessor_cpu_index_func(MemoryAccessorCpuIndexFunc fn)
{
    accessor_cpu_index_func = fn;
}

static int accessor_cpu_index(void)
{
    return accessor_cpu_index_func ? accessor_cpu_index_func() : -1;
}

/* QEMU's address in the trace lines: offset plus the region's place in
 * each container up to the root of its tree. */
static hwaddr region_absolute_addr(const MemoryRegion *mr, hwaddr offset)
{
    for (; mr; mr = mr->container) {
        offset += mr->addr;
    }
    return offset;
}

/*
 * One line per bad access:
 *   "<what> <read|write> of size N at 0xADDR[ in 'region'][, value 0xV]
 *    [ (reason)][ (pc 0xPC)]"
 * value is NULL for reads.
 */
static void log_access(int mask, const char *what, bool is_write,
                       hwaddr addr, uint64_t size, const MemoryRegion *mr,
                       const uint64_t *value, const char *reason)
{
    GString *line;
    uint64_t pc;

    if (!emu_log_enabled(mask)) {
        return;
    }
    line = g_string_new(NULL);
    g_string_append_printf(line, "%s %s of size %" PRIu64 " at 0x%"
                           HWADDR_PRIx, what, is_write ? "write" : "read",
                           size, addr);
    if (mr) {
        g_string_append_printf(line, " in '%s'", mr->name ? mr->name : "");
    }
    if (value) {
        g_string_append_printf(line, ", value 0x%" PRIx64, *value);
    }
    if (reason) {
        g_string_append_printf(line, " (%s)", reason);
    }
    if (accessor_pc_func && accessor_pc_func(&pc)) {
        g_string_append_printf(line, " (pc 0x%08" PRIx64 ")", pc);
    }
    emu_log("%s\n", line->str);
    g_string_free(line, TRUE);
}

/* Bulk writes wider than a register have no single value to show. */
static void log_buffer_access(int mask, const char *what, bool is_write,
                              hwaddr addr, hwaddr len, const MemoryRegion *mr,
                              const uint8_t *data, const char *reason)
{
    uint64_t value;

    if (is_write && len <= 8) {
        value = ldn_le_p(data, len);
        log_access(mask, what, true, addr, len, mr, &value, reason);
    } else {
        log_access(mask, what, is_write, addr, len, mr, NULL, reason);
    }
}

/* ---- MMIO ---- */

/* Regions without ops behave like a device that ignores everything. */
static const MemoryRegionOps no_ops;

static const MemoryRegionOps *region_ops(const MemoryRegion *mr)
{
    return mr->ops ? mr->ops : &no_ops;
}

static unsigned valid_min(const MemoryRegionOps *ops)
{
    return ops->valid.min_access_size ? ops->valid.min_access_size : 1;
}

static unsigned valid_max(const MemoryRegionOps *ops)
{
    return ops->valid.max_access_size ? ops->valid.max_access_size : 4;
}

/*
 * Byte i of the access (i counted from the lowest address) travels on
 * this bit position of a k-byte device value.
 */
static unsigned lane_shift(const MemoryRegionOps *ops, unsigned i, unsigned k)
{
    return ops->endianness == MEMORY_BIG_ENDIAN ? 8 * (k - 1 - i) : 8 * i;
}

/*
 * Performs a guest access of size bytes at offset through the callbacks,
 * in pieces of the size they implement.  Narrower guest accesses become
 * one aligned wider access: reads keep the wanted bytes, writes put zero
 * in the other byte lanes (a read-modify-write would trigger read side
 * effects the guest never asked for).
 */
static void io_call(MemoryRegion *mr, hwaddr offset, unsigned size,
                    uint64_t *value, bool is_write)
{
    const MemoryRegionOps *ops = region_ops(mr);
    unsigned imin = ops->impl.min_access_size ? ops->impl.min_access_size
                                              : valid_min(ops);
    unsigned imax = ops->impl.max_access_size ? ops->impl.max_access_size
                                              : valid_max(ops);
    unsigned k = MIN(MAX(size, imin), imax);
    hwaddr first = k > size ? offset & ~(hwaddr)(k - 1) : offset;
    uint64_t result = 0;

    for (hwaddr piece = first; piece < offset + size; piece += k) {
        uint64_t v = 0;

        if (is_write) {
            for (unsigned j = 0; j < k; j++) {
                hwaddr pos = piece + j;

                if (pos >= offset && pos < offset + size) {
                    v |= ((*value >> (8 * (pos - offset))) & 0xff)
                         << lane_shift(ops, j, k);
                }
            }
            if (trace_event_enabled(TRACE_MEMORY_REGION_OPS_WRITE)) {
                trace_memory_region_ops_write(accessor_cpu_index(), mr,
                                              region_absolute_addr(mr, piece),
                                              v, k, memory_region_name(mr));
            }
            if (ops->write) {
                ops->write(mr->opaque, piece, v, k);
            }
        } else {
            if (ops->read) {
                v = ops->read(mr->opaque, piece, k);
            }
            if (trace_event_enabled(TRACE_MEMORY_REGION_OPS_READ)) {
                trace_memory_region_ops_read(accessor_cpu_index(), mr,
                                             region_absolute_addr(mr, piece),
                                             v, k, memory_region_name(mr));
            }
            for (unsigned j = 0; j < k; j++) {
                hwaddr pos = piece + j;

                if (pos >= offset && pos < offset + size) {
                    result |= ((v >> lane_shift(ops, j, k)) & 0xff)
                              << (8 * (pos - offset));
                }
            }
        }
    }
    if (!is_write) {
        *value = result;
    }
}

/* One guest access to an MMIO (or ROMD-in-I/O-mode) region. */
static MemTxResult io_access(MemoryRegion *mr, hwaddr addr, hwaddr offset,
                             unsigned size, uint64_t *value, bool is_write)
{
    const MemoryRegionOps *ops = region_ops(mr);
    char reason[40];

    if (size < valid_min(ops)) {
        snprintf(reason, sizeof(reason), "min access size %u",
                 valid_min(ops));
    } else if (size > valid_max(ops)) {
        snprintf(reason, sizeof(reason), "max access size %u",
                 valid_max(ops));
    } else if (!ops->valid.unaligned && (offset & (size - 1))) {
        snprintf(reason, sizeof(reason), "unaligned");
    } else {
        io_call(mr, offset, size, value, is_write);
        if (mr->log_unimp) {
            log_access(LOG_UNIMP, "unimplemented", is_write, addr, size, mr,
                       is_write ? value : NULL, NULL);
        }
        return MEMTX_OK;
    }
    log_access(LOG_GUEST_ERROR, "invalid", is_write, addr, size, mr,
               is_write ? value : NULL, reason);
    if (!is_write) {
        *value = 0;
    }
    return MEMTX_ACCESS_ERROR;
}

/* The widest power of two the device takes that fits and is aligned. */
static unsigned io_access_size(const MemoryRegion *mr, hwaddr offset,
                               hwaddr len)
{
    const MemoryRegionOps *ops = region_ops(mr);
    unsigned size = 8;

    while (size > valid_max(ops) || size > len) {
        size >>= 1;
    }
    if (!ops->valid.unaligned) {
        while (offset & (size - 1)) {
            size >>= 1;
        }
    }
    return size;
}

static MemTxResult io_buffer(MemoryRegion *mr, hwaddr addr, hwaddr offset,
                             uint8_t *buf, hwaddr len, bool is_write)
{
    MemTxResult result = MEMTX_OK;

    while (len) {
        unsigned size = io_access_size(mr, offset, len);
        uint64_t value = is_write ? ldn_le_p(buf, size) : 0;

        result |= io_access(mr, addr, offset, size, &value, is_write);
        if (!is_write) {
            stn_le_p(buf, size, value);
        }
        addr += size;
        offset += size;
        buf += size;
        len -= size;
    }
    return result;
}

static MemoryRamWriteFunc ram_write_notifier;

void memory_set_ram_write_notifier(MemoryRamWriteFunc fn)
{
    ram_write_notifier = fn;
}

void memory_ram_written(hwaddr addr, hwaddr len)
{
    if (ram_write_notifier) {
        ram_write_notifier(addr, len);
    }
}

/* ---- walking the flat view ---- */

/* len bytes of one flat range, starting offset bytes into its region. */
static MemTxResult range_access(const FlatRange *fr, hwaddr addr,
                                hwaddr offset, uint8_t *buf, hwaddr len,
                                AccessMode mode)
{
    MemoryRegion *mr = fr->mr;
    bool in_place;

    switch (mr->kind) {
    case MR_RAM:
    case MR_ROM:
        in_place = true;
        break;
    case MR_ROMD:
        in_place = mode == ACCESS_WRITE_ROM ||
                   (mode == ACCESS_READ && fr->romd_mode);
        break;
    default:
        if (mode == ACCESS_WRITE_ROM) {
            return MEMTX_ACCESS_ERROR;
        }
        in_place = false;
        break;
    }

    if (!in_place) {
        return io_buffer(mr, addr, offset, buf, len, mode != ACCESS_READ);
    }
    if (mode == ACCESS_READ) {
        memcpy(buf, mr->ram_ptr + offset, len);
    } else if (mode == ACCESS_WRITE_ROM || !fr->readonly) {
        memcpy(mr->ram_ptr + offset, buf, len);
        memory_ram_written(addr, len);
    } else {
        log_buffer_access(LOG_GUEST_ERROR, "ignored", true, addr, len, mr,
                          buf, "read-only");
    }
    return MEMTX_OK;
}

static MemTxResult flatview_access(FlatView *view, hwaddr addr, uint8_t *buf,
                                   hwaddr len, AccessMode mode)
{
    MemTxResult result = MEMTX_OK;

    while (len) {
        unsigned i = flatview_find_index(view, addr);
        const FlatRange *fr = i < view->nr ? &view->ranges[i] : NULL;
        Int128 stop;
        hwaddr l;

        if (fr && fr->addr <= addr) {
            stop = flat_range_end128(fr);
        } else {
            stop = fr ? (Int128)fr->addr : (Int128)1 << 64;
        }
        l = MIN((Int128)len, stop - addr);

        if (fr && fr->addr <= addr) {
            result |= range_access(fr, addr,
                                   fr->offset_in_region + (addr - fr->addr),
                                   buf, l, mode);
        } else {
            if (mode == ACCESS_READ) {
                memset(buf, 0, l);
            }
            if (mode != ACCESS_WRITE_ROM) {
                log_buffer_access(LOG_GUEST_ERROR, "unassigned",
                                  mode != ACCESS_READ, addr, l, NULL, buf,
                                  NULL);
            }
            result |= MEMTX_DECODE_ERROR;
        }
        addr += l;
        buf += l;
        len -= l;
    }
    return result;
}

/* The view is held for the whole access: a device may remap on a write. */
static MemTxResult address_space_access(AddressSpace *as, hwaddr addr,
                                        uint8_t *buf, hwaddr len,
                                        AccessMode mode)
{
    FlatView *view = address_space_get_flatview(as);
    MemTxResult result = flatview_access(view, addr, buf, len, mode);

    flatview_unref(view);
    return result;
}

MemTxResult address_space_read(AddressSpace *as, hwaddr addr, void *buf,
                               hwaddr len)
{
    return address_space_access(as, addr, buf, len, ACCESS_READ);
}

MemTxResult address_space_write(AddressSpace *as, hwaddr addr,
                                const void *buf, hwaddr len)
{
    return address_space_access(as, addr, (uint8_t *)buf, len, ACCESS_WRITE);
}

MemTxResult address_space_write_rom(AddressSpace *as, hwaddr addr,
                                    const void *buf, hwaddr len)
{
    return address_space_access(as, addr, (uint8_t *)buf, len,
                                ACCESS_WRITE_ROM);
}

/*
 * The MMIO region a CPU access of size bytes at addr goes to as one
 * access, or NULL when it is memory, a hole, or crosses ranges (those
 * take the byte-buffer path).  As in QEMU, the region at the first byte
 * takes the whole access when the access fits in it, even where another
 * region covers part of it: the PC's doubleword CONFIG_ADDRESS at 0xcf8
 * around the reset control byte at 0xcf9.
 */
static MemoryRegion *single_io_target(FlatView *view, hwaddr addr,
                                      unsigned size, bool is_write,
                                      hwaddr *offset)
{
    const FlatRange *fr = flatview_lookup(view, addr);

    if (!fr) {
        return NULL;
    }
    *offset = fr->offset_in_region + (addr - fr->addr);
    if ((Int128)addr + size > flat_range_end128(fr) &&
        (fr->mr->kind != MR_IO || *offset + size > fr->mr->size)) {
        return NULL;
    }
    if (fr->mr->kind == MR_IO ||
        (fr->mr->kind == MR_ROMD && (is_write || !fr->romd_mode))) {
        return fr->mr;
    }
    return NULL;
}

MemTxResult address_space_ld(AddressSpace *as, hwaddr addr, unsigned size,
                             uint64_t *value)
{
    FlatView *view = address_space_get_flatview(as);
    MemTxResult result;
    MemoryRegion *mr;
    hwaddr offset;
    uint8_t buf[8];

    g_assert(size == 1 || size == 2 || size == 4 || size == 8);
    mr = single_io_target(view, addr, size, false, &offset);
    if (mr) {
        result = io_access(mr, addr, offset, size, value, false);
    } else {
        result = flatview_access(view, addr, buf, size, ACCESS_READ);
        *value = ldn_le_p(buf, size);
    }
    flatview_unref(view);
    return result;
}

MemTxResult address_space_st(AddressSpace *as, hwaddr addr, unsigned size,
                             uint64_t value)
{
    FlatView *view = address_space_get_flatview(as);
    MemTxResult result;
    MemoryRegion *mr;
    hwaddr offset;
    uint8_t buf[8];

    g_assert(size == 1 || size == 2 || size == 4 || size == 8);
    if (size < 8) {
        value &= (UINT64_C(1) << (8 * size)) - 1;
    }
    mr = single_io_target(view, addr, size, true, &offset);
    if (mr) {
        result = io_access(mr, addr, offset, size, &value, true);
    } else {
        stn_le_p(buf, size, value);
        result = flatview_access(view, addr, buf, size, ACCESS_WRITE);
    }
    flatview_unref(view);
    return result;
}

uint64_t ioport_read(unsigned port, unsigned size)
{
    uint64_t value = 0;

    /* Nobody drives an unclaimed ISA port: it floats high. */
    if (address_space_ld(&address_space_io, port, size, &value) !=
        MEMTX_OK) {
        value = UINT64_MAX;
    }
    return value;
}

/* ---- the system address spaces ---- */

AddressSpace address_space_memory;
AddressSpace address_space_io;
static MemoryRegion *system_memory;
static MemoryRegion *system_io;

/*
 * Like a PC bus: ports nobody decodes read as all ones and swallow
 * writes, silently, since guests probe for hardware this way.
 */
static uint64_t unassigned_io_read(void *opaque, hwaddr addr, unsigned size)
{
    return UINT64_MAX;
}

static void unassigned_io_write(void *opaque, hwaddr addr, uint64_t value,
                                unsigned size)
{
}

const MemoryRegionOps unassigned_io_ops = {
    .read = unassigned_io_read,
    .write = unassigned_io_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid.unaligned = true,
};

void memory_system_init(bool has_io)
{
    g_assert(!system_memory);

    system_memory = g_new(MemoryRegion, 1);
    memory_region_init(system_memory, NULL, "system", UINT64_MAX);
    address_space_init(&address_space_memory, system_memory, "memory");

    if (has_io) {
        system_io = g_new(MemoryRegion, 1);
        memory_region_init_io(system_io, NULL, &unassigned_io_ops, NULL, "io",
                              0x10000);
        address_space_init(&address_space_io, system_io, "I/O");
    }
}

bool memory_system_has_io(void)
{
    return system_io != NULL;
}

MemoryRegion *get_system_memory(void)
{
    return system_memory;
}

MemoryRegion *get_system_io(void)
{
    return system_io;
}
