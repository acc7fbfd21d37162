/*
 * "info mtree": the region tree of every address space, then the regions
 * that aliases point into; "info mtree -f": the rendered flat views.
 * The text is QEMU's, so that output can be compared line by line; -o
 * adds region owners and -D shows disabled regions.
 *
 * QEMU prints address spaces and flat views in hash-table order, which
 * changes from run to run; here they come in creation order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "softmmu/memory.h"
#include "memory-internal.h"

typedef struct MtreePrinter {
    GString *out;
    bool owner;
    bool disabled;
    GPtrArray *alias_targets;    /* printed after the address spaces */
} MtreePrinter;

static const char *region_label(const MemoryRegion *mr)
{
    return mr->name ? mr->name : "(null)";
}

/* An alias has the type of what it shows; a container is "i/o". */
static const char *region_type(const MemoryRegion *mr)
{
    while (mr->kind == MR_ALIAS) {
        mr = mr->alias;
    }
    switch (mr->kind) {
    case MR_ROMD:
        return mr->romd_mode ? "romd" : "i/o";
    case MR_ROM:
        return "rom";
    case MR_RAM:
        return mr->readonly ? "rom" : "ram";
    default:
        return "i/o";
    }
}

/* The last byte's offset, wrapping as QEMU's 64-bit arithmetic does. */
static uint64_t region_last(const MemoryRegion *mr)
{
    if (mr->size_is_2_64) {
        return UINT64_MAX;
    }
    return mr->size ? mr->size - 1 : 0;
}

static void mtree_print_object(GString *out, const char *label, Object *obj)
{
    /* "device" is the base type of devices, defined in hw/core. */
    bool is_dev = object_class_by_name("device") &&
                  object_dynamic_cast(obj, "device");
    char *path = object_get_canonical_path(obj);
    const char *peripheral = "/machine/peripheral/";

    g_string_append_printf(out, " %s:{%s", label, is_dev ? "dev" : "obj");
    if (is_dev && path && g_str_has_prefix(path, peripheral)) {
        /* Devices given an id on the command line live there. */
        g_string_append_printf(out, " id=%s", path + strlen(peripheral));
    } else if (path) {
        g_string_append_printf(out, " path=%s", path);
    } else {
        g_string_append_printf(out, " type=%s", object_get_typename(obj));
    }
    g_string_append_c(out, '}');
    g_free(path);
}

static void mtree_print_owner(GString *out, const MemoryRegion *mr)
{
    Object *parent;

    if (mr->owner) {
        mtree_print_object(out, "owner", mr->owner);
        return;
    }
    /* QEMU files regions without an owner under /machine/unattached. */
    parent = object_resolve_path("/machine/unattached");
    if (parent) {
        mtree_print_object(out, "parent", parent);
    } else {
        g_string_append(out, " orphan");
    }
}

/* Lower addresses first; at one address, higher priority first. */
static gint mtree_child_compare(gconstpointer a, gconstpointer b)
{
    const MemoryRegion *ra = *(MemoryRegion *const *)a;
    const MemoryRegion *rb = *(MemoryRegion *const *)b;

    if (ra->addr != rb->addr) {
        return ra->addr < rb->addr ? -1 : 1;
    }
    return rb->priority < ra->priority ? -1 : rb->priority > ra->priority;
}

/*
 * A disabled region's line is left out (unless -D), but its subregions
 * are still printed, one level deeper, as QEMU does; aliases queue their
 * target even when disabled.
 */
static void mtree_print_region(MtreePrinter *p, MemoryRegion *mr,
                               unsigned level, uint64_t base)
{
    uint64_t start = base + mr->addr;
    uint64_t end = start + region_last(mr);
    GPtrArray *children;

    if (start < base || end < start) {
        g_string_append(p->out, "[DETECTED OVERFLOW!] ");
    }
    if (mr->kind == MR_ALIAS &&
        !g_ptr_array_find(p->alias_targets, mr->alias, NULL)) {
        g_ptr_array_add(p->alias_targets, mr->alias);
    }

    if (mr->enabled || p->disabled) {
        for (unsigned i = 0; i < level; i++) {
            g_string_append(p->out, "  ");
        }
        g_string_append_printf(p->out, "%016" PRIx64 "-%016" PRIx64
                               " (prio %d, %s): ", start, end, mr->priority,
                               region_type(mr));
        if (mr->kind == MR_ALIAS) {
            g_string_append_printf(p->out,
                                   "alias %s @%s %016" PRIx64 "-%016" PRIx64,
                                   region_label(mr), region_label(mr->alias),
                                   mr->alias_offset,
                                   mr->alias_offset + region_last(mr));
        } else {
            g_string_append(p->out, region_label(mr));
        }
        if (!mr->enabled) {
            g_string_append(p->out, " [disabled]");
        }
        if (p->owner) {
            mtree_print_owner(p->out, mr);
        }
        g_string_append_c(p->out, '\n');
    }

    /* The sort is stable: equals keep their newest-first order. */
    children = g_ptr_array_copy(mr->subregions, NULL, NULL);
    g_ptr_array_sort(children, mtree_child_compare);
    for (guint i = 0; i < children->len; i++) {
        mtree_print_region(p, g_ptr_array_index(children, i), level + 1,
                           start);
    }
    g_ptr_array_unref(children);
}

/*
 * Address spaces sharing a root are listed together by name; QEMU's
 * sorted insertion puts a later one before an earlier one of the same
 * name.
 */
static void mtree_insert_by_name(GPtrArray *group, AddressSpace *as)
{
    guint i;

    for (i = 0; i < group->len; i++) {
        AddressSpace *other = g_ptr_array_index(group, i);

        if (g_strcmp0(as->name, other->name) <= 0) {
            break;
        }
    }
    g_ptr_array_insert(group, i, as);
}

static void mtree_print_tree(MtreePrinter *p)
{
    GPtrArray *spaces = memory_address_spaces();
    GPtrArray *roots_done = g_ptr_array_new();

    for (guint i = 0; i < spaces->len; i++) {
        AddressSpace *as = g_ptr_array_index(spaces, i);
        GPtrArray *group;

        if (g_ptr_array_find(roots_done, as->root, NULL)) {
            continue;
        }
        g_ptr_array_add(roots_done, as->root);

        group = g_ptr_array_new();
        for (guint j = i; j < spaces->len; j++) {
            AddressSpace *other = g_ptr_array_index(spaces, j);

            if (other->root == as->root) {
                mtree_insert_by_name(group, other);
            }
        }
        for (guint j = 0; j < group->len; j++) {
            AddressSpace *member = g_ptr_array_index(group, j);

            g_string_append_printf(p->out, "address-space: %s\n",
                                   member->name);
        }
        if (as->root) {
            mtree_print_region(p, as->root, 1, 0);
        }
        g_string_append_c(p->out, '\n');
        g_ptr_array_unref(group);
    }
    g_ptr_array_unref(roots_done);

    /* The list grows while it is printed: targets can hold aliases. */
    for (guint i = 0; i < p->alias_targets->len; i++) {
        MemoryRegion *mr = g_ptr_array_index(p->alias_targets, i);

        g_string_append_printf(p->out, "memory-region: %s\n",
                               region_label(mr));
        mtree_print_region(p, mr, 1, 0);
        g_string_append_c(p->out, '\n');
    }
}

static void mtree_print_ranges(MtreePrinter *p, const FlatView *view)
{
    for (unsigned i = 0; i < view->nr; i++) {
        const FlatRange *fr = &view->ranges[i];
        uint64_t last = fr->size_is_2_64 ? UINT64_MAX : fr->size - 1;

        g_string_append_printf(p->out, "  %016" PRIx64 "-%016" PRIx64
                               " (prio %d, %s): %s", fr->addr,
                               fr->addr + last, fr->mr->priority,
                               fr->readonly ? "rom" : region_type(fr->mr),
                               region_label(fr->mr));
        if (fr->offset_in_region) {
            g_string_append_printf(p->out, " @%016" PRIx64,
                                   fr->offset_in_region);
        }
        if (p->owner) {
            mtree_print_owner(p->out, fr->mr);
        }
        g_string_append_c(p->out, '\n');
    }
}

/* Address spaces whose views have the same effective root share one. */
static void mtree_print_flat(MtreePrinter *p)
{
    GPtrArray *spaces = memory_address_spaces();
    g_autofree bool *printed = g_new0(bool, spaces->len);
    unsigned counter = 0;

    for (guint i = 0; i < spaces->len; i++) {
        AddressSpace *as = g_ptr_array_index(spaces, i);
        FlatView *view = as->current_map;

        if (printed[i]) {
            continue;
        }
        g_string_append_printf(p->out, "FlatView #%u\n", counter++);
        for (guint j = i; j < spaces->len; j++) {
            AddressSpace *other = g_ptr_array_index(spaces, j);

            if (other->current_map->root != view->root) {
                continue;
            }
            printed[j] = true;
            g_string_append_printf(p->out, " AS \"%s\", root: %s", other->name,
                                   other->root ? region_label(other->root)
                                               : "(none)");
            if (other->root && other->root->kind == MR_ALIAS) {
                g_string_append_printf(p->out, ", alias %s",
                                       region_label(other->root->alias));
            }
            g_string_append_c(p->out, '\n');
        }
        g_string_append_printf(p->out, " Root memory region: %s\n",
                               view->root ? region_label(view->root)
                                          : "(none)");
        if (view->nr == 0) {
            g_string_append(p->out, "  No rendered FlatView\n\n");
            continue;
        }
        mtree_print_ranges(p, view);
        g_string_append_c(p->out, '\n');
    }
}

void memory_mtree_print(GString *out, bool flat, bool owner, bool disabled)
{
    MtreePrinter p = {
        .out = out,
        .owner = owner,
        .disabled = disabled,
        .alias_targets = g_ptr_array_new(),
    };

    if (flat) {
        mtree_print_flat(&p);
    } else {
        mtree_print_tree(&p);
    }
    g_ptr_array_unref(p.alias_targets);
}
