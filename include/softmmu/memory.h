/*
 * The memory API: a tree of MemoryRegions rendered by each AddressSpace
 * into a flat, sorted view that accelerators and dispatch use.
 *
 * Kinds of region:
 *   container  groups subregions; has no storage of its own
 *   ram        host memory, read and written in place
 *   rom        host memory, read in place; writes are ignored (logged)
 *   romd       "ROM device": reads come from host memory while the region
 *              is in ROMD mode, writes always go to ops (flash); with ROMD
 *              mode off, reads go to ops too (flash status/query modes)
 *   io         MMIO: every access goes to ops
 *   alias      a window onto part of another region
 *
 * Subregions are placed at an offset in a container with a priority; where
 * they overlap, the higher priority wins, and a container's own area not
 * covered by any subregion is unassigned (accesses are logged under
 * "-d guest_errors" and read as 0).
 *
 * Regions are not objects in the object tree: devices embed them and
 * name them; "owner" is the object that owns one (for info mtree -o).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SOFTMMU_MEMORY_H
#define SOFTMMU_MEMORY_H

#include "util/osdep.h"
#include "util/error.h"
#include "qom/object.h"

typedef struct MemoryRegion MemoryRegion;
typedef struct AddressSpace AddressSpace;
typedef struct FlatView FlatView;
typedef struct FlatRange FlatRange;
typedef struct MemoryListener MemoryListener;

/* Result of a transaction: anything but MEMTX_OK is a bus error. */
typedef enum MemTxResult {
    MEMTX_OK = 0,
    MEMTX_ERROR = 1 << 0,        /* the device or bus reported an error */
    MEMTX_DECODE_ERROR = 1 << 1, /* nothing at that address */
    MEMTX_ACCESS_ERROR = 1 << 2, /* size or alignment not accepted */
} MemTxResult;

typedef enum MemoryEndian {
    MEMORY_NATIVE_ENDIAN,    /* the guest's; emu's guests are little endian */
    MEMORY_LITTLE_ENDIAN,
    MEMORY_BIG_ENDIAN,
} MemoryEndian;

/*
 * The one MMIO callback signature, for every device and both accelerators.
 * addr is the offset within the region; size is 1, 2, 4 or 8 bytes.
 */
typedef struct MemoryRegionOps {
    uint64_t (*read)(void *opaque, hwaddr addr, unsigned size);
    void (*write)(void *opaque, hwaddr addr, uint64_t value, unsigned size);
    MemoryEndian endianness;
    /* What the guest may do; anything else is an access error.  0 means
     * the defaults: 1 byte at least, 4 at most, as in QEMU. */
    struct {
        unsigned min_access_size;    /* default 1 */
        unsigned max_access_size;    /* default 4 */
        bool unaligned;              /* default: unaligned accesses refused */
    } valid;
    /* What the callbacks implement; wider or narrower guest accesses are
     * split or combined by the dispatcher.  0 = same as valid. */
    struct {
        unsigned min_access_size;
        unsigned max_access_size;
    } impl;
} MemoryRegionOps;

typedef enum MemoryRegionKind {
    MR_CONTAINER,
    MR_RAM,
    MR_ROM,
    MR_ROMD,
    MR_IO,
    MR_ALIAS,
} MemoryRegionKind;

struct MemoryRegion {
    MemoryRegionKind kind;
    char *name;
    Object *owner;
    uint64_t size;               /* UINT64_MAX stands for 2^64 */
    bool size_is_2_64;
    /* storage: RAM, ROM and ROMD */
    uint8_t *ram_ptr;
    bool ram_owned;              /* allocated by the memory API */
    bool romd_mode;              /* ROMD: reads in place while true */
    bool readonly;               /* RAM marked read-only */
    /* io and romd */
    const MemoryRegionOps *ops;
    void *opaque;
    /* alias */
    MemoryRegion *alias;
    hwaddr alias_offset;
    /* placement */
    MemoryRegion *container;
    hwaddr addr;                 /* offset within container */
    int priority;
    bool enabled;
    bool may_overlap;
    /* subregions, highest priority first; equal priority: latest first */
    GPtrArray *subregions;
    /* unimplemented-device regions log every access under -d unimp */
    bool log_unimp;
};

/* One constructor, one kind flag: size UINT64_MAX means 2^64. */
void memory_region_init(MemoryRegion *mr, Object *owner, const char *name,
                        uint64_t size);
/* Allocates zeroed host memory; errors if the host has too little, and
 * then leaves nothing to destroy. */
bool memory_region_init_ram(MemoryRegion *mr, Object *owner,
                            const char *name, uint64_t size, Error **errp);
/* RAM over host memory the caller mapped (mmap: a memory backend's
 * file or shared memory); the region unmaps it when destroyed. */
void memory_region_init_ram_ptr(MemoryRegion *mr, Object *owner,
                                const char *name, uint64_t size, void *ptr);
bool memory_region_init_rom(MemoryRegion *mr, Object *owner,
                            const char *name, uint64_t size, Error **errp);
/* Host memory that reads in place (ROMD mode on) and writes through ops. */
bool memory_region_init_rom_device(MemoryRegion *mr, Object *owner,
                                   const MemoryRegionOps *ops, void *opaque,
                                   const char *name, uint64_t size,
                                   Error **errp);
void memory_region_init_io(MemoryRegion *mr, Object *owner,
                           const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size);
void memory_region_init_alias(MemoryRegion *mr, Object *owner,
                              const char *name, MemoryRegion *orig,
                              hwaddr offset, uint64_t size);
/* Frees owned storage; the region must not be mapped any more. */
void memory_region_destroy(MemoryRegion *mr);

void memory_region_add_subregion(MemoryRegion *container, hwaddr offset,
                                 MemoryRegion *subregion);
void memory_region_add_subregion_overlap(MemoryRegion *container,
                                         hwaddr offset,
                                         MemoryRegion *subregion,
                                         int priority);
void memory_region_del_subregion(MemoryRegion *container,
                                 MemoryRegion *subregion);
void memory_region_set_enabled(MemoryRegion *mr, bool enabled);
void memory_region_set_address(MemoryRegion *mr, hwaddr addr);
void memory_region_set_size(MemoryRegion *mr, uint64_t size);
/* ROMD regions: true = reads in place, false = reads go to ops. */
void memory_region_rom_device_set_romd(MemoryRegion *mr, bool romd_mode);
void memory_region_set_readonly(MemoryRegion *mr, bool readonly);

uint8_t *memory_region_get_ram_ptr(MemoryRegion *mr);
uint64_t memory_region_size(MemoryRegion *mr);
const char *memory_region_name(const MemoryRegion *mr);
bool memory_region_is_ram(const MemoryRegion *mr);  /* RAM, ROM or ROMD */

/*
 * Groups several changes so the flat views are rendered once at the end.
 * Nests.  Every change outside a transaction is its own transaction.
 */
void memory_region_transaction_begin(void);
void memory_region_transaction_commit(void);

/* ---- address spaces and their flat views ---- */

struct FlatRange {
    hwaddr addr;                 /* start in the address space */
    uint64_t size;               /* never 0; see size_is_2_64 */
    bool size_is_2_64;           /* one range covering everything */
    MemoryRegion *mr;            /* a leaf: ram, rom, romd, io, or NULL
                                  * never (holes are simply absent) */
    hwaddr offset_in_region;
    bool readonly;               /* ROM, read-only RAM */
    bool romd_mode;
};

struct FlatView {
    unsigned ref;
    FlatRange *ranges;           /* sorted by addr, non-overlapping */
    unsigned nr;
    /* What determines the view (info mtree -f "Root memory region"): the
     * AS root, or the single child or whole-target alias it reduces to;
     * NULL when nothing under the root is enabled. */
    MemoryRegion *root;
};

struct AddressSpace {
    char *name;
    MemoryRegion *root;
    FlatView *current_map;
    GPtrArray *listeners;        /* MemoryListener *, in priority order */
};

/* A range of an address space as listeners see it. */
typedef struct MemoryRegionSection {
    MemoryRegion *mr;
    AddressSpace *as;
    hwaddr offset_within_region;
    hwaddr offset_within_address_space;
    uint64_t size;               /* UINT64_MAX stands for 2^64 */
    bool readonly;
    bool romd_mode;
} MemoryRegionSection;

/*
 * Told of flat-view changes.  On every commit, for each address space it
 * listens to: begin, then region_del for every range that went away or
 * changed, region_add for every new or changed range, then commit.
 * Ranges that did not change produce no calls.
 */
struct MemoryListener {
    const char *name;
    int priority;                /* lower first on add, last on del */
    void (*begin)(MemoryListener *l);
    void (*region_add)(MemoryListener *l, MemoryRegionSection *section);
    void (*region_del)(MemoryListener *l, MemoryRegionSection *section);
    void (*commit)(MemoryListener *l);
    AddressSpace *as;            /* set by registration */
};

void address_space_init(AddressSpace *as, MemoryRegion *root,
                        const char *name);
void address_space_destroy(AddressSpace *as);
/* The listener immediately hears region_add for every current range. */
void memory_listener_register(MemoryListener *l, AddressSpace *as);
/* The listener first hears region_del for every current range. */
void memory_listener_unregister(MemoryListener *l);

/* Takes a reference; release with flatview_unref. */
FlatView *address_space_get_flatview(AddressSpace *as);
void flatview_unref(FlatView *view);
/* The range containing addr, or NULL for a hole. */
const FlatRange *flatview_lookup(FlatView *view, hwaddr addr);
/*
 * The host address of [addr, addr + len) when it lies in one RAM or
 * ROM range of view (writable RAM if for_write), else NULL (devices,
 * ROM devices, holes).
 * For accesses that need neither the global lock nor the bus: the x86
 * page walk reads page tables and sets their A/D bits there.  Whoever
 * writes through the pointer calls memory_ram_written afterwards.
 */
uint8_t *flatview_ram_ptr(FlatView *view, hwaddr addr, hwaddr len,
                          bool for_write);

/*
 * Reads or writes len bytes at addr, crossing ranges and splitting into
 * accesses the devices accept.  Holes and refused accesses are logged
 * (see memory_log_bad_access) and reported in the result; reads from
 * holes return zeroes.  Must be called with the global lock held.
 */
MemTxResult address_space_read(AddressSpace *as, hwaddr addr, void *buf,
                               hwaddr len);
MemTxResult address_space_write(AddressSpace *as, hwaddr addr,
                                const void *buf, hwaddr len);
/* One access of 1/2/4/8 bytes, as a CPU makes it; value little endian. */
MemTxResult address_space_ld(AddressSpace *as, hwaddr addr, unsigned size,
                             uint64_t *value);
MemTxResult address_space_st(AddressSpace *as, hwaddr addr, unsigned size,
                             uint64_t value);
/* Writes even to ROM and ROMD storage: for loaders at machine setup.
 * Holes (MEMTX_DECODE_ERROR) and MMIO (MEMTX_ACCESS_ERROR) are skipped,
 * without logging. */
MemTxResult address_space_write_rom(AddressSpace *as, hwaddr addr,
                                    const void *buf, hwaddr len);

/* What an IN instruction of size bytes reads from port (all ones where
 * no device answers).  Must be called with the global lock held. */
uint64_t ioport_read(unsigned port, unsigned size);

/* The system address spaces (the I/O one only on targets with ports). */
extern AddressSpace address_space_memory;
extern AddressSpace address_space_io;
/* Reads all ones, ignores writes: the background of the PC's I/O space,
 * and of a bus window (an io region with subregions) that behaves so. */
extern const MemoryRegionOps unassigned_io_ops;
MemoryRegion *get_system_memory(void);
MemoryRegion *get_system_io(void);
/* Creates "system" (and "io" when has_io), called once at startup. */
void memory_system_init(bool has_io);
bool memory_system_has_io(void);

/*
 * Who is accessing: the accelerators set a hook so that logs name the
 * vCPU's PC.  Returns false when the access does not come from a vCPU.
 */
typedef bool (*MemoryAccessorPcFunc)(uint64_t *pc);
void memory_set_accessor_pc_func(MemoryAccessorPcFunc fn);
/* The accessing vCPU's index for the memory_region_ops_* trace events,
 * -1 when it is no vCPU (QEMU's "cpu -1"). */
typedef int (*MemoryAccessorCpuIndexFunc)(void);
void memory_set_accessor_cpu_index_func(MemoryAccessorCpuIndexFunc fn);

/*
 * Told of every write into RAM that does not come from a vCPU's own
 * stores (device DMA, loaders, the monitor): tcg drops the blocks it
 * translated from those bytes.  addr is in the address space written.
 */
typedef void (*MemoryRamWriteFunc)(hwaddr addr, hwaddr len);
void memory_set_ram_write_notifier(MemoryRamWriteFunc fn);
/* What a write into RAM through a host pointer owes the notifier. */
void memory_ram_written(hwaddr addr, hwaddr len);

/* ---- info mtree ---- */

/* "info mtree" (flat=false) and "info mtree -f" text, QEMU's format. */
void memory_mtree_print(GString *out, bool flat, bool owner, bool disabled);

#endif
