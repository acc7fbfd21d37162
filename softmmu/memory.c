/*
 * The memory region tree and the flat views rendered from it.
 *
 * Regions are built by devices and boards; every change marks the
 * topology dirty and, when the outermost transaction commits, each
 * address space renders its root into a new sorted FlatView and tells
 * its listeners what changed between the old view and the new one.
 * Dispatch (physmem.c) and "info mtree" (memory-mtree.c) only read the
 * results.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include <sys/mman.h>
#include "softmmu/memory.h"
#include "memory-internal.h"

static GPtrArray *address_spaces;      /* AddressSpace *, creation order */
static unsigned transaction_depth;
static bool topology_changed;

GPtrArray *memory_address_spaces(void)
{
    if (!address_spaces) {
        address_spaces = g_ptr_array_new();
    }
    return address_spaces;
}

/* ---- regions ---- */

static void region_store_size(MemoryRegion *mr, uint64_t size)
{
    mr->size = size;
    mr->size_is_2_64 = size == UINT64_MAX;
}

static void region_init_kind(MemoryRegion *mr, Object *owner,
                             const char *name, uint64_t size,
                             MemoryRegionKind kind)
{
    memset(mr, 0, sizeof(*mr));
    mr->kind = kind;
    mr->name = g_strdup(name);
    mr->owner = owner;
    region_store_size(mr, size);
    mr->enabled = true;
    mr->subregions = g_ptr_array_new();
}

/*
 * Guest memory comes from mmap rather than malloc: KVM memory slots need
 * page-aligned host addresses, and untouched pages cost nothing.  On
 * failure the region is destroyed again: the caller has nothing to undo.
 */
static bool region_alloc_storage(MemoryRegion *mr, Error **errp)
{
    void *ptr;

    if (mr->size_is_2_64) {
        error_setg(errp, "cannot set up guest memory '%s': size too large",
                   mr->name);
        memory_region_destroy(mr);
        return false;
    }
    if (mr->size == 0) {
        return true;
    }
    ptr = mmap(NULL, mr->size, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ptr == MAP_FAILED) {
        g_autofree char *size = format_size(mr->size);

        error_setg_errno(errp, errno, "cannot allocate %s for '%s'", size,
                         mr->name);
        memory_region_destroy(mr);
        return false;
    }
    mr->ram_ptr = ptr;
    mr->ram_owned = true;
    return true;
}

void memory_region_init(MemoryRegion *mr, Object *owner, const char *name,
                        uint64_t size)
{
    region_init_kind(mr, owner, name, size, MR_CONTAINER);
}

bool memory_region_init_ram(MemoryRegion *mr, Object *owner,
                            const char *name, uint64_t size, Error **errp)
{
    region_init_kind(mr, owner, name, size, MR_RAM);
    return region_alloc_storage(mr, errp);
}

void memory_region_init_ram_ptr(MemoryRegion *mr, Object *owner,
                                const char *name, uint64_t size, void *ptr)
{
    region_init_kind(mr, owner, name, size, MR_RAM);
    mr->ram_ptr = ptr;
    mr->ram_owned = true;
}

bool memory_region_init_rom(MemoryRegion *mr, Object *owner,
                            const char *name, uint64_t size, Error **errp)
{
    region_init_kind(mr, owner, name, size, MR_ROM);
    return region_alloc_storage(mr, errp);
}

bool memory_region_init_rom_device(MemoryRegion *mr, Object *owner,
                                   const MemoryRegionOps *ops, void *opaque,
                                   const char *name, uint64_t size,
                                   Error **errp)
{
    region_init_kind(mr, owner, name, size, MR_ROMD);
    mr->ops = ops;
    mr->opaque = opaque;
    mr->romd_mode = true;
    return region_alloc_storage(mr, errp);
}

void memory_region_init_io(MemoryRegion *mr, Object *owner,
                           const MemoryRegionOps *ops, void *opaque,
                           const char *name, uint64_t size)
{
    region_init_kind(mr, owner, name, size, MR_IO);
    mr->ops = ops;
    mr->opaque = opaque;
}

void memory_region_init_alias(MemoryRegion *mr, Object *owner,
                              const char *name, MemoryRegion *orig,
                              hwaddr offset, uint64_t size)
{
    region_init_kind(mr, owner, name, size, MR_ALIAS);
    mr->alias = orig;
    mr->alias_offset = offset;
}

void memory_region_destroy(MemoryRegion *mr)
{
    g_assert(!mr->container);

    memory_region_transaction_begin();
    while (mr->subregions->len) {
        memory_region_del_subregion(mr, g_ptr_array_index(mr->subregions, 0));
    }
    memory_region_transaction_commit();

    if (mr->ram_owned) {
        munmap(mr->ram_ptr, mr->size);
    }
    g_ptr_array_unref(mr->subregions);
    g_free(mr->name);
    memset(mr, 0, sizeof(*mr));
}

/* Every change outside an explicit transaction is a transaction itself. */
static void topology_touch(void)
{
    memory_region_transaction_begin();
    topology_changed = true;
    memory_region_transaction_commit();
}

/* Highest priority first; a newcomer goes before equals so it wins. */
static void subregion_attach(MemoryRegion *container, hwaddr offset,
                             MemoryRegion *subregion, int priority,
                             bool may_overlap)
{
    guint i;

    g_assert(!subregion->container);
    g_assert(subregion != container);

    subregion->container = container;
    subregion->addr = offset;
    subregion->priority = priority;
    subregion->may_overlap = may_overlap;
    for (i = 0; i < container->subregions->len; i++) {
        MemoryRegion *other = g_ptr_array_index(container->subregions, i);

        if (priority >= other->priority) {
            break;
        }
    }
    g_ptr_array_insert(container->subregions, i, subregion);
    topology_touch();
}

void memory_region_add_subregion(MemoryRegion *container, hwaddr offset,
                                 MemoryRegion *subregion)
{
    subregion_attach(container, offset, subregion, 0, false);
}

void memory_region_add_subregion_overlap(MemoryRegion *container,
                                         hwaddr offset,
                                         MemoryRegion *subregion,
                                         int priority)
{
    subregion_attach(container, offset, subregion, priority, true);
}

void memory_region_del_subregion(MemoryRegion *container,
                                 MemoryRegion *subregion)
{
    g_assert(subregion->container == container);

    subregion->container = NULL;
    g_ptr_array_remove(container->subregions, subregion);
    topology_touch();
}

void memory_region_set_enabled(MemoryRegion *mr, bool enabled)
{
    if (mr->enabled != enabled) {
        mr->enabled = enabled;
        topology_touch();
    }
}

/*
 * Moving a region re-inserts it, as QEMU does: it becomes the newest of
 * its priority, so it wins over equals at its new place.
 */
void memory_region_set_address(MemoryRegion *mr, hwaddr addr)
{
    MemoryRegion *container = mr->container;

    if (mr->addr == addr) {
        return;
    }
    if (!container) {
        mr->addr = addr;
        return;
    }
    memory_region_transaction_begin();
    memory_region_del_subregion(container, mr);
    subregion_attach(container, addr, mr, mr->priority, mr->may_overlap);
    memory_region_transaction_commit();
}

void memory_region_set_size(MemoryRegion *mr, uint64_t size)
{
    if (mr->size != size) {
        region_store_size(mr, size);
        topology_touch();
    }
}

void memory_region_rom_device_set_romd(MemoryRegion *mr, bool romd_mode)
{
    g_assert(mr->kind == MR_ROMD);
    if (mr->romd_mode != romd_mode) {
        mr->romd_mode = romd_mode;
        topology_touch();
    }
}

void memory_region_set_readonly(MemoryRegion *mr, bool readonly)
{
    if (mr->readonly != readonly) {
        mr->readonly = readonly;
        topology_touch();
    }
}

uint8_t *memory_region_get_ram_ptr(MemoryRegion *mr)
{
    hwaddr offset = 0;

    while (mr->kind == MR_ALIAS) {
        offset += mr->alias_offset;
        mr = mr->alias;
    }
    return mr->ram_ptr ? mr->ram_ptr + offset : NULL;
}

uint64_t memory_region_size(MemoryRegion *mr)
{
    return mr->size;
}

const char *memory_region_name(const MemoryRegion *mr)
{
    return mr->name;
}

bool memory_region_is_ram(const MemoryRegion *mr)
{
    return mr->kind == MR_RAM || mr->kind == MR_ROM || mr->kind == MR_ROMD;
}

/* ---- flat view rendering ---- */

unsigned flatview_find_index(const FlatView *view, hwaddr addr)
{
    unsigned lo = 0, hi = view->nr;

    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;

        if (flat_range_end128(&view->ranges[mid]) <= addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static void flat_range_set_size(FlatRange *fr, Int128 size)
{
    fr->size_is_2_64 = size == (Int128)1 << 64;
    fr->size = fr->size_is_2_64 ? UINT64_MAX : (uint64_t)size;
}

static void flat_insert(GArray *ranges, unsigned index, MemoryRegion *mr,
                        Int128 start, Int128 end, Int128 offset,
                        bool readonly)
{
    FlatRange fr = {
        .addr = (hwaddr)start,
        .mr = mr,
        .offset_in_region = (hwaddr)offset,
        .readonly = readonly,
        .romd_mode = mr->kind == MR_ROMD && mr->romd_mode,
    };

    flat_range_set_size(&fr, end - start);
    g_array_insert_val(ranges, index, fr);
}

/*
 * Places [start, end) of leaf mr into the holes the view still has:
 * whatever was rendered earlier had a higher precedence.
 */
static void render_fill(GArray *ranges, MemoryRegion *mr, Int128 start,
                        Int128 end, Int128 offset, bool readonly)
{
    FlatView probe = {
        .ranges = (FlatRange *)ranges->data,
        .nr = ranges->len,
    };
    unsigned i = flatview_find_index(&probe, (hwaddr)start);

    while (start < end) {
        const FlatRange *fr;
        Int128 next_start, next_end, stop;

        if (i == ranges->len) {
            flat_insert(ranges, i, mr, start, end, offset, readonly);
            return;
        }
        fr = &g_array_index(ranges, FlatRange, i);
        next_start = fr->addr;
        next_end = flat_range_end128(fr);
        if (start < next_start) {
            stop = MIN(end, next_start);
            flat_insert(ranges, i++, mr, start, stop, offset, readonly);
            offset += stop - start;
            start = stop;
        }
        /* Step over the range that is already there. */
        stop = MIN(end, next_end);
        if (stop > start) {
            offset += stop - start;
            start = stop;
        }
        i++;
    }
}

/*
 * base is where offset 0 of mr's container lies in the address space;
 * [clip_start, clip_end) is what the ancestors let through.
 */
static void render_region(GArray *ranges, MemoryRegion *mr, Int128 base,
                          Int128 clip_start, Int128 clip_end, bool readonly)
{
    Int128 start, end;

    if (!mr->enabled) {
        return;
    }
    base += mr->addr;
    readonly |= mr->readonly || mr->kind == MR_ROM;
    start = MAX(base, clip_start);
    end = MIN(base + memory_region_size128(mr), clip_end);
    if (start >= end) {
        return;
    }

    if (mr->kind == MR_ALIAS) {
        /* The target's own address is cancelled: it adds it back. */
        render_region(ranges, mr->alias,
                      base - mr->alias->addr - mr->alias_offset,
                      start, end, readonly);
        return;
    }

    for (guint i = 0; i < mr->subregions->len; i++) {
        render_region(ranges, g_ptr_array_index(mr->subregions, i), base,
                      start, end, readonly);
    }
    /* A leaf with subregions shows through wherever they leave holes. */
    if (mr->kind != MR_CONTAINER) {
        render_fill(ranges, mr, start, end, start - base, readonly);
    }
}

static bool flat_range_can_merge(const FlatRange *a, const FlatRange *b)
{
    return a->mr == b->mr &&
           flat_range_end128(a) == b->addr &&
           (Int128)a->offset_in_region + flat_range_size128(a) ==
               b->offset_in_region &&
           a->readonly == b->readonly &&
           a->romd_mode == b->romd_mode;
}

/* Pieces of one region split by something later removed become one. */
static void flatview_simplify(GArray *ranges)
{
    guint out = 0;

    for (guint i = 0; i < ranges->len; i++) {
        FlatRange *cur = &g_array_index(ranges, FlatRange, i);

        if (out > 0) {
            FlatRange *prev = &g_array_index(ranges, FlatRange, out - 1);

            if (flat_range_can_merge(prev, cur)) {
                flat_range_set_size(prev, flat_range_size128(prev) +
                                          flat_range_size128(cur));
                continue;
            }
        }
        g_array_index(ranges, FlatRange, out++) = *cur;
    }
    g_array_set_size(ranges, out);
}

/*
 * The region that really determines what the view looks like: descend
 * through a container whose single enabled child covers it from offset
 * 0, and through an alias showing all of its target from offset 0.
 * NULL when nothing is enabled.  "info mtree -f" prints it as QEMU does.
 */
static MemoryRegion *flatview_effective_root(MemoryRegion *mr)
{
    while (mr && mr->enabled) {
        if (mr->kind == MR_ALIAS) {
            if (mr->alias_offset == 0 &&
                memory_region_size128(mr) >=
                    memory_region_size128(mr->alias)) {
                mr = mr->alias;
                continue;
            }
        } else if (mr->kind == MR_CONTAINER) {
            MemoryRegion *next = NULL;
            unsigned found = 0;

            for (guint i = 0; i < mr->subregions->len; i++) {
                MemoryRegion *child = g_ptr_array_index(mr->subregions, i);

                if (!child->enabled) {
                    continue;
                }
                if (++found > 1) {
                    next = NULL;
                    break;
                }
                if (child->addr == 0 &&
                    memory_region_size128(mr) >=
                        memory_region_size128(child)) {
                    next = child;
                }
            }
            if (found == 0) {
                return NULL;
            }
            if (next) {
                mr = next;
                continue;
            }
        }
        return mr;
    }
    return NULL;
}

/*
 * The root is rendered at address 0 whatever its own offset in some
 * container is: an address space starts at its root.
 */
static FlatView *flatview_render(MemoryRegion *root)
{
    FlatView *view = g_new0(FlatView, 1);
    GArray *ranges = g_array_new(FALSE, FALSE, sizeof(FlatRange));

    view->ref = 1;
    if (root) {
        render_region(ranges, root, -(Int128)root->addr, 0, (Int128)1 << 64,
                      false);
    }
    flatview_simplify(ranges);
    view->nr = ranges->len;
    view->ranges = (FlatRange *)(void *)g_array_free(ranges, FALSE);
    view->root = flatview_effective_root(root);
    return view;
}

/*
 * vCPU threads dispatch without the big lock while the main loop or
 * another vCPU (holding it) replaces a view: taking the current view
 * and its reference is one step under this lock, the swap another, and
 * references are counted atomically, so a reader's view lives until it
 * drops it.
 */
static GMutex flatview_swap_lock;

FlatView *address_space_get_flatview(AddressSpace *as)
{
    FlatView *view;

    g_mutex_lock(&flatview_swap_lock);
    view = as->current_map;
    __atomic_add_fetch(&view->ref, 1, __ATOMIC_RELAXED);
    g_mutex_unlock(&flatview_swap_lock);
    return view;
}

void flatview_unref(FlatView *view)
{
    unsigned before = __atomic_fetch_sub(&view->ref, 1, __ATOMIC_ACQ_REL);

    g_assert(before > 0);
    if (before == 1) {
        g_free(view->ranges);
        g_free(view);
    }
}

const FlatRange *flatview_lookup(FlatView *view, hwaddr addr)
{
    unsigned i = flatview_find_index(view, addr);

    if (i < view->nr && view->ranges[i].addr <= addr) {
        return &view->ranges[i];
    }
    return NULL;
}

uint8_t *flatview_ram_ptr(FlatView *view, hwaddr addr, hwaddr len,
                          bool for_write)
{
    const FlatRange *fr = flatview_lookup(view, addr);

    if (!fr || !fr->mr->ram_ptr ||
        (!fr->size_is_2_64 && addr - fr->addr + len > fr->size)) {
        return NULL;
    }
    if (for_write ? fr->mr->kind != MR_RAM || fr->readonly
                  : fr->mr->kind != MR_RAM && fr->mr->kind != MR_ROM) {
        return NULL;
    }
    return fr->mr->ram_ptr + fr->offset_in_region + (addr - fr->addr);
}

/* ---- listeners ---- */

static MemoryListener *as_listener(AddressSpace *as, guint i)
{
    return g_ptr_array_index(as->listeners, i);
}

static void listeners_begin(AddressSpace *as)
{
    for (guint i = 0; i < as->listeners->len; i++) {
        MemoryListener *l = as_listener(as, i);

        if (l->begin) {
            l->begin(l);
        }
    }
}

static void listeners_commit(AddressSpace *as)
{
    for (guint i = 0; i < as->listeners->len; i++) {
        MemoryListener *l = as_listener(as, i);

        if (l->commit) {
            l->commit(l);
        }
    }
}

static void section_from_range(MemoryRegionSection *section,
                               AddressSpace *as, const FlatRange *fr)
{
    *section = (MemoryRegionSection) {
        .mr = fr->mr,
        .as = as,
        .offset_within_region = fr->offset_in_region,
        .offset_within_address_space = fr->addr,
        .size = fr->size,
        .readonly = fr->readonly,
        .romd_mode = fr->romd_mode,
    };
}

static void listener_call_add(MemoryListener *l, AddressSpace *as,
                              const FlatRange *fr)
{
    MemoryRegionSection section;

    if (l->region_add) {
        section_from_range(&section, as, fr);
        l->region_add(l, &section);
    }
}

static void listener_call_del(MemoryListener *l, AddressSpace *as,
                              const FlatRange *fr)
{
    MemoryRegionSection section;

    if (l->region_del) {
        section_from_range(&section, as, fr);
        l->region_del(l, &section);
    }
}

/* Deletions go to the listeners in reverse order, additions forward. */
static void listeners_range_changed(AddressSpace *as, const FlatRange *fr,
                                    bool adding)
{
    guint n = as->listeners->len;

    for (guint i = 0; i < n; i++) {
        if (adding) {
            listener_call_add(as_listener(as, i), as, fr);
        } else {
            listener_call_del(as_listener(as, n - 1 - i), as, fr);
        }
    }
}

static bool flat_range_equal(const FlatRange *a, const FlatRange *b)
{
    return a->mr == b->mr &&
           a->addr == b->addr &&
           a->size == b->size &&
           a->size_is_2_64 == b->size_is_2_64 &&
           a->offset_in_region == b->offset_in_region &&
           a->readonly == b->readonly &&
           a->romd_mode == b->romd_mode;
}

/*
 * Walks both sorted views together.  A range present in both, identical,
 * is left alone; every other old range is deleted (first pass) and every
 * other new range added (second pass).
 */
static void listeners_diff_pass(AddressSpace *as, const FlatView *old,
                                const FlatView *new, bool adding)
{
    unsigned iold = 0, inew = 0;

    while (iold < old->nr || inew < new->nr) {
        const FlatRange *frold = iold < old->nr ? &old->ranges[iold] : NULL;
        const FlatRange *frnew = inew < new->nr ? &new->ranges[inew] : NULL;

        if (frold && (!frnew || frold->addr < frnew->addr ||
                      (frold->addr == frnew->addr &&
                       !flat_range_equal(frold, frnew)))) {
            if (!adding) {
                listeners_range_changed(as, frold, false);
            }
            iold++;
        } else if (frold && flat_range_equal(frold, frnew)) {
            iold++;
            inew++;
        } else {
            if (adding) {
                listeners_range_changed(as, frnew, true);
            }
            inew++;
        }
    }
}

static void address_space_update(AddressSpace *as)
{
    FlatView *new_view = flatview_render(as->root);
    FlatView *old;

    g_mutex_lock(&flatview_swap_lock);
    old = as->current_map;
    as->current_map = new_view;
    g_mutex_unlock(&flatview_swap_lock);
    if (as->listeners->len) {
        listeners_begin(as);
        listeners_diff_pass(as, old, as->current_map, false);
        listeners_diff_pass(as, old, as->current_map, true);
        listeners_commit(as);
    }
    /* Readers that took a reference keep the old view until they drop it. */
    flatview_unref(old);
}

void memory_listener_register(MemoryListener *l, AddressSpace *as)
{
    FlatView *view = as->current_map;
    guint i;

    l->as = as;
    for (i = 0; i < as->listeners->len; i++) {
        if (as_listener(as, i)->priority > l->priority) {
            break;
        }
    }
    g_ptr_array_insert(as->listeners, i, l);

    if (l->begin) {
        l->begin(l);
    }
    for (unsigned r = 0; r < view->nr; r++) {
        listener_call_add(l, as, &view->ranges[r]);
    }
    if (l->commit) {
        l->commit(l);
    }
}

/* The listener hears region_del for every current range, then goes. */
void memory_listener_unregister(MemoryListener *l)
{
    AddressSpace *as = l->as;
    FlatView *view;

    if (!as) {
        return;
    }
    view = as->current_map;
    if (l->begin) {
        l->begin(l);
    }
    for (unsigned r = 0; r < view->nr; r++) {
        listener_call_del(l, as, &view->ranges[r]);
    }
    if (l->commit) {
        l->commit(l);
    }
    g_ptr_array_remove(as->listeners, l);
    l->as = NULL;
}

/* ---- transactions and address spaces ---- */

void memory_region_transaction_begin(void)
{
    transaction_depth++;
}

void memory_region_transaction_commit(void)
{
    g_assert(transaction_depth > 0);
    if (--transaction_depth > 0 || !topology_changed) {
        return;
    }
    topology_changed = false;
    for (guint i = 0; i < memory_address_spaces()->len; i++) {
        address_space_update(g_ptr_array_index(address_spaces, i));
    }
}

void address_space_init(AddressSpace *as, MemoryRegion *root,
                        const char *name)
{
    as->name = g_strdup(name);
    as->root = root;
    as->listeners = g_ptr_array_new();
    as->current_map = flatview_render(root);
    g_ptr_array_add(memory_address_spaces(), as);
}

void address_space_destroy(AddressSpace *as)
{
    while (as->listeners->len) {
        memory_listener_unregister(as_listener(as, as->listeners->len - 1));
    }
    g_ptr_array_remove(memory_address_spaces(), as);
    flatview_unref(as->current_map);
    g_ptr_array_unref(as->listeners);
    g_free(as->name);
    memset(as, 0, sizeof(*as));
}
