/*
 * Unit tests for the memory API: how region trees render into flat
 * views, what listeners hear, how accesses are dispatched and logged,
 * and "info mtree" text checked against QEMU 7.2's for the same trees.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "softmmu/memory.h"

#define KiB 1024ULL
#define MiB (1024 * KiB)

/* ---- helpers ---- */

static MemoryRegion *new_container(const char *name, uint64_t size)
{
    MemoryRegion *mr = g_new(MemoryRegion, 1);

    memory_region_init(mr, NULL, name, size);
    return mr;
}

static MemoryRegion *new_ram(const char *name, uint64_t size)
{
    MemoryRegion *mr = g_new(MemoryRegion, 1);

    g_assert_true(memory_region_init_ram(mr, NULL, name, size, &error_fatal));
    return mr;
}

static MemoryRegion *new_rom(const char *name, uint64_t size)
{
    MemoryRegion *mr = g_new(MemoryRegion, 1);

    g_assert_true(memory_region_init_rom(mr, NULL, name, size, &error_fatal));
    return mr;
}

static MemoryRegion *new_alias(const char *name, MemoryRegion *orig,
                               hwaddr offset, uint64_t size)
{
    MemoryRegion *mr = g_new(MemoryRegion, 1);

    memory_region_init_alias(mr, NULL, name, orig, offset, size);
    return mr;
}

static void free_region(MemoryRegion *mr)
{
    memory_region_destroy(mr);
    g_free(mr);
}

/* Removes and frees a whole tree, leaves first. */
static void free_tree(MemoryRegion *mr)
{
    while (mr->subregions->len) {
        MemoryRegion *child = g_ptr_array_index(mr->subregions, 0);

        memory_region_del_subregion(mr, child);
        free_tree(child);
    }
    free_region(mr);
}

/* Checks range i of the current view of as. */
static void assert_range(AddressSpace *as, unsigned i, hwaddr addr,
                         uint64_t size, const MemoryRegion *mr,
                         hwaddr offset_in_region)
{
    FlatView *view = address_space_get_flatview(as);

    g_assert_cmpuint(i, <, view->nr);
    g_assert_cmphex(view->ranges[i].addr, ==, addr);
    g_assert_cmphex(view->ranges[i].size, ==, size);
    g_assert_true(view->ranges[i].mr == mr);
    g_assert_cmphex(view->ranges[i].offset_in_region, ==, offset_in_region);
    flatview_unref(view);
}

static unsigned view_nr(AddressSpace *as)
{
    FlatView *view = address_space_get_flatview(as);
    unsigned nr = view->nr;

    flatview_unref(view);
    return nr;
}

/*
 * A device whose byte at offset o reads as 0xa0 + o (composed in its own
 * byte order) and which records every call it gets.
 */
typedef struct TestCall {
    bool write;
    hwaddr addr;
    unsigned size;
    uint64_t value;
} TestCall;

typedef struct TestDev {
    MemoryRegion mr;
    MemoryRegionOps ops;
    TestCall calls[16];
    unsigned ncalls;
} TestDev;

static void testdev_record(TestDev *d, bool write, hwaddr addr,
                           unsigned size, uint64_t value)
{
    g_assert_cmpuint(d->ncalls, <, ARRAY_SIZE(d->calls));
    d->calls[d->ncalls++] = (TestCall) { write, addr, size, value };
}

static uint64_t testdev_read(void *opaque, hwaddr addr, unsigned size)
{
    TestDev *d = opaque;
    uint64_t value = 0;

    for (unsigned i = 0; i < size; i++) {
        uint64_t byte = (0xa0 + addr + i) & 0xff;

        if (d->ops.endianness == MEMORY_BIG_ENDIAN) {
            value |= byte << (8 * (size - 1 - i));
        } else {
            value |= byte << (8 * i);
        }
    }
    testdev_record(d, false, addr, size, value);
    return value;
}

static void testdev_write(void *opaque, hwaddr addr, uint64_t value,
                          unsigned size)
{
    testdev_record(opaque, true, addr, size, value);
}

static TestDev *testdev_new(const char *name, uint64_t size)
{
    TestDev *d = g_new0(TestDev, 1);

    d->ops.read = testdev_read;
    d->ops.write = testdev_write;
    d->ops.endianness = MEMORY_LITTLE_ENDIAN;
    memory_region_init_io(&d->mr, NULL, &d->ops, d, name, size);
    return d;
}

static void assert_call(TestDev *d, unsigned i, bool write, hwaddr addr,
                        unsigned size, uint64_t value)
{
    g_assert_cmpuint(i, <, d->ncalls);
    g_assert_cmpint(d->calls[i].write, ==, write);
    g_assert_cmphex(d->calls[i].addr, ==, addr);
    g_assert_cmpuint(d->calls[i].size, ==, size);
    g_assert_cmphex(d->calls[i].value, ==, value);
}

/* ---- the log: captured in a file the tests read back ---- */

static char *log_path;

static void log_reset(void)
{
    g_assert_true(emu_log_set_file(log_path, &error_fatal));
}

/* Everything logged since the last call. */
static char *log_take(void)
{
    char *text;

    g_assert_true(g_file_get_contents(log_path, &text, NULL, NULL));
    log_reset();
    return text;
}

static bool fake_pc_valid;

static bool fake_accessor_pc(uint64_t *pc)
{
    *pc = 0x8;
    return fake_pc_valid;
}

static char *mtree_text(bool flat, bool owner, bool disabled)
{
    GString *out = g_string_new(NULL);

    memory_mtree_print(out, flat, owner, disabled);
    return g_string_free(out, FALSE);
}

/* ---- rendering ---- */

static void test_overlap_priority(void)
{
    MemoryRegion *root = new_container("root", 0x10000);
    MemoryRegion *low = new_ram("low", 0x4000);
    MemoryRegion *high = new_ram("high", 0x1000);
    MemoryRegion *background = new_ram("background", 0x10000);
    MemoryRegion *older = new_ram("older", 0x100);
    MemoryRegion *newer = new_ram("newer", 0x100);
    AddressSpace as;

    address_space_init(&as, root, "test");
    g_assert_cmpuint(view_nr(&as), ==, 0);

    /* The higher priority wins wherever they overlap. */
    memory_region_add_subregion_overlap(root, 0x3000, high, 1);
    memory_region_add_subregion(root, 0, low);
    g_assert_cmpuint(view_nr(&as), ==, 2);
    assert_range(&as, 0, 0, 0x3000, low, 0);
    assert_range(&as, 1, 0x3000, 0x1000, high, 0);

    /* A lower priority only shows through the holes. */
    memory_region_add_subregion_overlap(root, 0, background, -1);
    g_assert_cmpuint(view_nr(&as), ==, 3);
    assert_range(&as, 2, 0x4000, 0xc000, background, 0x4000);

    /* At equal priority the later one wins. */
    memory_region_add_subregion_overlap(root, 0x5000, older, 2);
    memory_region_add_subregion_overlap(root, 0x5080, newer, 2);
    g_assert_cmpuint(view_nr(&as), ==, 6);
    assert_range(&as, 2, 0x4000, 0x1000, background, 0x4000);
    assert_range(&as, 3, 0x5000, 0x80, older, 0);
    assert_range(&as, 4, 0x5080, 0x100, newer, 0);
    assert_range(&as, 5, 0x5180, 0xae80, background, 0x5180);

    /* Lookups land in the right range; beyond the root is a hole. */
    {
        FlatView *view = address_space_get_flatview(&as);

        g_assert_true(flatview_lookup(view, 0x3fff)->mr == high);
        g_assert_true(flatview_lookup(view, 0x507f)->mr == older);
        g_assert_true(flatview_lookup(view, 0xffff)->mr == background);
        g_assert_null(flatview_lookup(view, 0x10000));
        flatview_unref(view);
    }

    address_space_destroy(&as);
    free_tree(root);
}

static void test_alias(void)
{
    MemoryRegion *root = new_container("root", 0x100000);
    MemoryRegion *target = new_ram("target", 0x4000);
    MemoryRegion *window = new_alias("window", target, 0x1000, 0x800);
    MemoryRegion *box = new_container("box", 0x4000);
    MemoryRegion *box_a = new_ram("box-a", 0x1000);
    MemoryRegion *box_b = new_ram("box-b", 0x1000);
    MemoryRegion *box_window = new_alias("box-window", box, 0x800, 0x2000);
    uint8_t *storage = memory_region_get_ram_ptr(target);
    uint64_t value;
    AddressSpace as;

    for (unsigned i = 0; i < 0x4000; i++) {
        storage[i] = i * 7;
    }
    address_space_init(&as, root, "test");

    /* A window onto part of a region, at an offset. */
    memory_region_add_subregion(root, 0x10000, window);
    g_assert_cmpuint(view_nr(&as), ==, 1);
    assert_range(&as, 0, 0x10000, 0x800, target, 0x1000);
    g_assert_true(memory_region_get_ram_ptr(window) == storage + 0x1000);
    g_assert_cmpint(address_space_ld(&as, 0x10004, 1, &value), ==, MEMTX_OK);
    g_assert_cmphex(value, ==, (uint8_t)(0x1004 * 7));
    g_assert_cmpint(address_space_st(&as, 0x107ff, 1, 0x5a), ==, MEMTX_OK);
    g_assert_cmphex(storage[0x17ff], ==, 0x5a);
    /* The window ends where its size says, not where the target does. */
    g_assert_cmpint(address_space_ld(&as, 0x10800, 1, &value), ==,
                    MEMTX_DECODE_ERROR);

    /*
     * A window onto a container that is itself mapped elsewhere: the
     * container's own address does not matter, its subregions are
     * clipped to the window, and its holes stay holes.
     */
    memory_region_add_subregion(box, 0, box_a);
    memory_region_add_subregion(box, 0x2000, box_b);
    memory_region_add_subregion(root, 0x50000, box);
    memory_region_add_subregion(root, 0x20000, box_window);
    g_assert_cmpuint(view_nr(&as), ==, 5);
    assert_range(&as, 0, 0x10000, 0x800, target, 0x1000);
    assert_range(&as, 1, 0x20000, 0x800, box_a, 0x800);
    assert_range(&as, 2, 0x21800, 0x800, box_b, 0);
    assert_range(&as, 3, 0x50000, 0x1000, box_a, 0);
    assert_range(&as, 4, 0x52000, 0x1000, box_b, 0);

    address_space_destroy(&as);
    memory_region_del_subregion(root, box_window);
    free_region(box_window);
    free_tree(root);
    free_region(target);
}

static void test_container_clip(void)
{
    MemoryRegion *root = new_container("root", 0x10000);
    MemoryRegion *box = new_container("box", 0x1000);
    MemoryRegion *big = new_ram("big", 0x4000);
    MemoryRegion *outside = new_ram("outside", 0x100);
    AddressSpace as;

    address_space_init(&as, root, "test");
    memory_region_add_subregion(root, 0x2000, box);
    memory_region_add_subregion(box, 0x800, big);
    memory_region_add_subregion(box, 0x2000, outside);

    /* Only the part of big inside box shows; outside is past box's end. */
    g_assert_cmpuint(view_nr(&as), ==, 1);
    assert_range(&as, 0, 0x2800, 0x800, big, 0);

    /* Growing the container lets more through. */
    memory_region_set_size(box, 0x2000);
    g_assert_cmpuint(view_nr(&as), ==, 1);
    assert_range(&as, 0, 0x2800, 0x1800, big, 0);

    /* A root smaller than 2^64 clips too. */
    memory_region_set_address(box, 0xf000);
    g_assert_cmpuint(view_nr(&as), ==, 1);
    assert_range(&as, 0, 0xf800, 0x800, big, 0);

    address_space_destroy(&as);
    free_tree(root);
}

static void test_remove_disable_move(void)
{
    MemoryRegion *root = new_container("root", 0x10000);
    MemoryRegion *first = new_ram("first", 0x1000);
    MemoryRegion *second = new_ram("second", 0x1000);
    AddressSpace as;

    address_space_init(&as, root, "test");
    memory_region_add_subregion(root, 0x1000, first);
    g_assert_cmpuint(view_nr(&as), ==, 1);

    memory_region_del_subregion(root, first);
    g_assert_cmpuint(view_nr(&as), ==, 0);
    g_assert_null(first->container);

    memory_region_add_subregion(root, 0x1000, first);
    memory_region_set_enabled(first, false);
    g_assert_cmpuint(view_nr(&as), ==, 0);
    memory_region_set_enabled(first, true);
    assert_range(&as, 0, 0x1000, 0x1000, first, 0);

    /* Disabling a container hides its whole subtree. */
    memory_region_set_enabled(root, false);
    g_assert_cmpuint(view_nr(&as), ==, 0);
    memory_region_set_enabled(root, true);

    /* A moved region is re-inserted and so wins over older equals. */
    memory_region_add_subregion_overlap(root, 0x1800, second, 0);
    assert_range(&as, 0, 0x1000, 0x800, first, 0);
    assert_range(&as, 1, 0x1800, 0x1000, second, 0);
    memory_region_set_address(first, 0x1400);
    assert_range(&as, 0, 0x1400, 0x1000, first, 0);
    assert_range(&as, 1, 0x2400, 0x400, second, 0xc00);

    address_space_destroy(&as);
    free_tree(root);
}

/* ---- ROM devices ---- */

static TestDev *testdev_new_romd(const char *name, uint64_t size)
{
    TestDev *d = g_new0(TestDev, 1);

    d->ops.read = testdev_read;
    d->ops.write = testdev_write;
    d->ops.endianness = MEMORY_LITTLE_ENDIAN;
    g_assert_true(memory_region_init_rom_device(&d->mr, NULL, &d->ops, d,
                                                name, size, &error_fatal));
    return d;
}

static void test_romd(void)
{
    MemoryRegion *root = new_container("root", 0x100000);
    TestDev *flash = testdev_new_romd("flash", 0x1000);
    uint8_t *storage = memory_region_get_ram_ptr(&flash->mr);
    static const uint8_t image[4] = { 0x11, 0x22, 0x33, 0x44 };
    uint64_t value;
    AddressSpace as;
    FlatView *view;

    address_space_init(&as, root, "test");
    memory_region_add_subregion(root, 0x8000, &flash->mr);
    g_assert_true(memory_region_is_ram(&flash->mr));

    /* Loaders write the storage directly. */
    g_assert_cmpint(address_space_write_rom(&as, 0x8000, image, 4), ==,
                    MEMTX_OK);
    g_assert_cmpmem(storage, 4, image, 4);

    /* ROMD mode: reads in place, writes to the device. */
    g_assert_cmpint(address_space_ld(&as, 0x8000, 4, &value), ==, MEMTX_OK);
    g_assert_cmphex(value, ==, 0x44332211);
    g_assert_cmpint(address_space_st(&as, 0x8000, 2, 0x00ff), ==, MEMTX_OK);
    g_assert_cmpuint(flash->ncalls, ==, 1);
    assert_call(flash, 0, true, 0, 2, 0x00ff);
    g_assert_cmphex(storage[0], ==, 0x11);
    view = address_space_get_flatview(&as);
    g_assert_true(view->ranges[0].romd_mode);
    flatview_unref(view);

    /* Out of ROMD mode (flash in command mode) reads go to the device. */
    memory_region_rom_device_set_romd(&flash->mr, false);
    view = address_space_get_flatview(&as);
    g_assert_false(view->ranges[0].romd_mode);
    flatview_unref(view);
    g_assert_cmpint(address_space_ld(&as, 0x8004, 4, &value), ==, MEMTX_OK);
    g_assert_cmphex(value, ==, 0xa7a6a5a4);
    g_assert_cmpuint(flash->ncalls, ==, 2);
    assert_call(flash, 1, false, 4, 4, 0xa7a6a5a4);

    memory_region_rom_device_set_romd(&flash->mr, true);
    g_assert_cmpint(address_space_ld(&as, 0x8000, 1, &value), ==, MEMTX_OK);
    g_assert_cmphex(value, ==, 0x11);
    g_assert_cmpuint(flash->ncalls, ==, 2);

    address_space_destroy(&as);
    free_tree(root);
}

/* ---- listeners ---- */

typedef struct TestListener {
    MemoryListener listener;
    AddressSpace *expected_as;
} TestListener;

static GString *trace;

static void trace_section(MemoryListener *l, const char *what,
                          MemoryRegionSection *s)
{
    TestListener *tl = container_of(l, TestListener, listener);

    g_assert_true(s->as == tl->expected_as);
    g_string_append_printf(trace, "%s %s %s 0x%" PRIx64 "+0x%" PRIx64
                           " @0x%" PRIx64 "%s\n", l->name, what,
                           memory_region_name(s->mr),
                           s->offset_within_address_space, s->size,
                           s->offset_within_region,
                           s->readonly ? " ro" : "");
}

static void trace_begin(MemoryListener *l)
{
    g_string_append_printf(trace, "%s begin\n", l->name);
}

static void trace_commit(MemoryListener *l)
{
    g_string_append_printf(trace, "%s commit\n", l->name);
}

static void trace_add(MemoryListener *l, MemoryRegionSection *s)
{
    trace_section(l, "add", s);
}

static void trace_del(MemoryListener *l, MemoryRegionSection *s)
{
    trace_section(l, "del", s);
}

static void init_listener(TestListener *tl, const char *name, int priority,
                          AddressSpace *as)
{
    tl->listener = (MemoryListener) {
        .name = name,
        .priority = priority,
        .begin = trace_begin,
        .region_add = trace_add,
        .region_del = trace_del,
        .commit = trace_commit,
    };
    tl->expected_as = as;
}

/* Returns the trace so far and starts a new one. */
static char *trace_take(void)
{
    char *text = g_strdup(trace->str);

    g_string_truncate(trace, 0);
    return text;
}

static void assert_trace(const char *expected)
{
    g_autofree char *text = trace_take();

    g_assert_cmpstr(text, ==, expected);
}

static void test_listener(void)
{
    MemoryRegion *root = new_container("root", 0x10000);
    MemoryRegion *a = new_ram("a", 0x2000);
    MemoryRegion *b = new_ram("b", 0x800);
    MemoryRegion *c = new_rom("c", 0x100);
    TestListener l1, l2;
    AddressSpace as;

    trace = g_string_new(NULL);
    address_space_init(&as, root, "test");
    memory_region_add_subregion(root, 0, a);

    /* Registration replays what is there. */
    init_listener(&l1, "L1", 10, &as);
    memory_listener_register(&l1.listener, &as);
    g_assert_true(l1.listener.as == &as);
    assert_trace("L1 begin\n"
                 "L1 add a 0x0+0x2000 @0x0\n"
                 "L1 commit\n");
    init_listener(&l2, "L2", 0, &as);
    memory_listener_register(&l2.listener, &as);
    assert_trace("L2 begin\n"
                 "L2 add a 0x0+0x2000 @0x0\n"
                 "L2 commit\n");

    /*
     * Splitting a range: the old one goes, the pieces come.  Lower
     * priority listeners hear additions first and deletions last.
     */
    memory_region_add_subregion_overlap(root, 0x800, b, 1);
    assert_trace("L2 begin\n"
                 "L1 begin\n"
                 "L1 del a 0x0+0x2000 @0x0\n"
                 "L2 del a 0x0+0x2000 @0x0\n"
                 "L2 add a 0x0+0x800 @0x0\n"
                 "L1 add a 0x0+0x800 @0x0\n"
                 "L2 add b 0x800+0x800 @0x0\n"
                 "L1 add b 0x800+0x800 @0x0\n"
                 "L2 add a 0x1000+0x1000 @0x1000\n"
                 "L1 add a 0x1000+0x1000 @0x1000\n"
                 "L2 commit\n"
                 "L1 commit\n");

    /* Ranges that did not change are not mentioned. */
    memory_listener_unregister(&l1.listener);
    g_assert_null(l1.listener.as);
    assert_trace("L1 begin\n"
                 "L1 del a 0x0+0x800 @0x0\n"
                 "L1 del b 0x800+0x800 @0x0\n"
                 "L1 del a 0x1000+0x1000 @0x1000\n"
                 "L1 commit\n");
    memory_region_add_subregion(root, 0x8000, c);
    assert_trace("L2 begin\n"
                 "L2 add c 0x8000+0x100 @0x0 ro\n"
                 "L2 commit\n");

    /* A (nested) transaction renders once, at the outermost commit. */
    memory_region_transaction_begin();
    memory_region_set_enabled(c, false);
    memory_region_transaction_begin();
    memory_region_del_subregion(root, b);
    memory_region_transaction_commit();
    assert_trace("");
    memory_region_set_address(c, 0x9000);
    memory_region_set_enabled(c, true);
    memory_region_transaction_commit();
    assert_trace("L2 begin\n"
                 "L2 del a 0x0+0x800 @0x0\n"
                 "L2 del b 0x800+0x800 @0x0\n"
                 "L2 del a 0x1000+0x1000 @0x1000\n"
                 "L2 del c 0x8000+0x100 @0x0 ro\n"
                 "L2 add a 0x0+0x2000 @0x0\n"
                 "L2 add c 0x9000+0x100 @0x0 ro\n"
                 "L2 commit\n");

    /* A change that renders the same view produces no range calls. */
    memory_region_set_enabled(b, false);
    assert_trace("L2 begin\n"
                 "L2 commit\n");

    /* Destroying the address space unregisters what is left. */
    address_space_destroy(&as);
    assert_trace("L2 begin\n"
                 "L2 del a 0x0+0x2000 @0x0\n"
                 "L2 del c 0x9000+0x100 @0x0 ro\n"
                 "L2 commit\n");
    g_assert_null(l2.listener.as);

    free_tree(root);
    free_region(b);
    g_string_free(trace, TRUE);
}

/* A reader holding a view keeps it intact across a change. */
static void test_flatview_reference(void)
{
    MemoryRegion *root = new_container("root", 0x10000);
    MemoryRegion *ram = new_ram("ram", 0x1000);
    AddressSpace as;
    FlatView *old;

    address_space_init(&as, root, "test");
    memory_region_add_subregion(root, 0, ram);
    old = address_space_get_flatview(&as);
    memory_region_del_subregion(root, ram);
    g_assert_true(as.current_map != old);
    g_assert_cmpuint(as.current_map->nr, ==, 0);
    g_assert_cmpuint(old->nr, ==, 1);
    g_assert_true(flatview_lookup(old, 0x10)->mr == ram);
    flatview_unref(old);

    address_space_destroy(&as);
    free_tree(root);
    free_region(ram);
}

/* ---- dispatch ---- */

static void test_dispatch_ram_rom(void)
{
    MemoryRegion *root = new_container("root", 0x100000);
    MemoryRegion *ram = new_ram("ram", 0x1000);
    MemoryRegion *rom = new_rom("rom", 0x1000);
    static const uint8_t image[4] = { 0x01, 0x02, 0x03, 0x04 };
    uint8_t buf[8];
    uint64_t value;
    AddressSpace as;
    g_autofree char *log1 = NULL, *log2 = NULL, *log3 = NULL;

    address_space_init(&as, root, "test");
    memory_region_add_subregion(root, 0, ram);
    memory_region_add_subregion(root, 0x10000, rom);
    log_reset();

    /* RAM: in place, little endian. */
    g_assert_cmpint(address_space_st(&as, 0x10, 4, 0x12345678), ==, MEMTX_OK);
    g_assert_cmphex(memory_region_get_ram_ptr(ram)[0x10], ==, 0x78);
    g_assert_cmpint(address_space_ld(&as, 0x12, 2, &value), ==, MEMTX_OK);
    g_assert_cmphex(value, ==, 0x1234);
    g_assert_cmpint(address_space_read(&as, 0x10, buf, 4), ==, MEMTX_OK);
    g_assert_cmphex(buf[0], ==, 0x78);
    g_assert_cmphex(buf[3], ==, 0x12);

    /* ROM: loaders may write it, the guest may not. */
    g_assert_cmpint(address_space_write_rom(&as, 0x10000, image, 4), ==,
                    MEMTX_OK);
    g_assert_cmpint(address_space_st(&as, 0x10000, 4, 0xdeadbeef), ==,
                    MEMTX_OK);
    g_assert_cmpint(address_space_ld(&as, 0x10000, 4, &value), ==, MEMTX_OK);
    g_assert_cmphex(value, ==, 0x04030201);
    log1 = log_take();
    g_assert_cmpstr(log1, ==, "ignored write of size 4 at 0x10000 in 'rom', "
                              "value 0xdeadbeef (read-only)\n");

    /* Read-only RAM behaves like ROM until made writable again. */
    memory_region_set_readonly(ram, true);
    g_assert_cmpint(address_space_st(&as, 0x10, 1, 0xaa), ==, MEMTX_OK);
    g_assert_cmphex(memory_region_get_ram_ptr(ram)[0x10], ==, 0x78);
    memory_region_set_readonly(ram, false);
    g_assert_cmpint(address_space_st(&as, 0x10, 1, 0xaa), ==, MEMTX_OK);
    g_assert_cmphex(memory_region_get_ram_ptr(ram)[0x10], ==, 0xaa);
    log2 = log_take();
    g_assert_cmpstr(log2, ==, "ignored write of size 1 at 0x10 in 'ram', "
                              "value 0xaa (read-only)\n");

    /* An access running off the end of RAM: the rest is a hole. */
    memset(buf, 0xff, sizeof(buf));
    g_assert_cmpint(address_space_read(&as, 0xffc, buf, 8), ==,
                    MEMTX_DECODE_ERROR);
    g_assert_cmphex(buf[3], ==, 0);
    g_assert_cmphex(buf[4], ==, 0);
    g_assert_cmphex(buf[7], ==, 0);
    g_assert_cmpint(address_space_st(&as, 0xffe, 4, 0xcafef00d), ==,
                    MEMTX_DECODE_ERROR);
    g_assert_cmphex(memory_region_get_ram_ptr(ram)[0xfff], ==, 0xf0);
    log3 = log_take();
    g_assert_cmpstr(log3, ==,
                    "unassigned read of size 4 at 0x1000\n"
                    "unassigned write of size 2 at 0x1000, value 0xcafe\n");

    address_space_destroy(&as);
    free_tree(root);
}

static void test_dispatch_io_sizes(void)
{
    MemoryRegion *root = new_container("root", 0x100000);
    TestDev *dev = testdev_new("dev", 0x100);
    TestDev *wide = testdev_new("wide", 0x100);
    TestDev *strict = testdev_new("strict", 0x100);
    uint8_t buf[8];
    uint64_t value;
    AddressSpace as;
    g_autofree char *log1 = NULL, *log2 = NULL;

    address_space_init(&as, root, "test");
    memory_region_add_subregion(root, 0x1000, &dev->mr);
    memory_region_add_subregion(root, 0x2000, &wide->mr);
    memory_region_add_subregion(root, 0x3000, &strict->mr);
    log_reset();

    /* Defaults: 1 to 4 bytes, aligned. */
    g_assert_cmpint(address_space_ld(&as, 0x1004, 4, &value), ==, MEMTX_OK);
    g_assert_cmphex(value, ==, 0xa7a6a5a4);
    g_assert_cmpuint(dev->ncalls, ==, 1);
    assert_call(dev, 0, false, 4, 4, 0xa7a6a5a4);
    value = 0x1234;
    g_assert_cmpint(address_space_ld(&as, 0x1000, 8, &value), ==,
                    MEMTX_ACCESS_ERROR);
    g_assert_cmphex(value, ==, 0);
    g_assert_cmpint(address_space_st(&as, 0x1001, 2, 0xbeef), ==,
                    MEMTX_ACCESS_ERROR);
    g_assert_cmpuint(dev->ncalls, ==, 1);

    /* Buffer accesses are cut into the widest accesses the device takes. */
    g_assert_cmpint(address_space_read(&as, 0x1000, buf, 8), ==, MEMTX_OK);
    g_assert_cmpuint(dev->ncalls, ==, 3);
    assert_call(dev, 1, false, 0, 4, 0xa3a2a1a0);
    assert_call(dev, 2, false, 4, 4, 0xa7a6a5a4);
    g_assert_cmphex(buf[0], ==, 0xa0);
    g_assert_cmphex(buf[7], ==, 0xa7);
    g_assert_cmpint(address_space_write(&as, 0x1001, "\x11\x22\x33", 3), ==,
                    MEMTX_OK);
    g_assert_cmpuint(dev->ncalls, ==, 5);
    assert_call(dev, 3, true, 1, 1, 0x11);
    assert_call(dev, 4, true, 2, 2, 0x3322);
    log1 = log_take();
    g_assert_cmpstr(log1, ==,
                    "invalid read of size 8 at 0x1000 in 'dev' "
                    "(max access size 4)\n"
                    "invalid write of size 2 at 0x1001 in 'dev', "
                    "value 0xbeef (unaligned)\n");

    /*
     * The guest may use 1 to 8 bytes, unaligned; the callbacks only do
     * aligned 4: wider accesses are split, narrower ones widened.
     */
    wide->ops.valid.max_access_size = 8;
    wide->ops.valid.unaligned = true;
    wide->ops.impl.min_access_size = 4;
    wide->ops.impl.max_access_size = 4;
    g_assert_cmpint(address_space_ld(&as, 0x2000, 8, &value), ==, MEMTX_OK);
    g_assert_cmphex(value, ==, 0xa7a6a5a4a3a2a1a0);
    g_assert_cmpint(address_space_ld(&as, 0x2006, 1, &value), ==, MEMTX_OK);
    g_assert_cmphex(value, ==, 0xa6);
    g_assert_cmpint(address_space_st(&as, 0x2002, 2, 0xbeef), ==, MEMTX_OK);
    g_assert_cmpuint(wide->ncalls, ==, 4);
    assert_call(wide, 0, false, 0, 4, 0xa3a2a1a0);
    assert_call(wide, 1, false, 4, 4, 0xa7a6a5a4);
    assert_call(wide, 2, false, 4, 4, 0xa7a6a5a4);
    assert_call(wide, 3, true, 0, 4, 0xbeef0000);
    /* Unaligned across two implemented words. */
    g_assert_cmpint(address_space_ld(&as, 0x2003, 2, &value), ==, MEMTX_OK);
    g_assert_cmphex(value, ==, 0xa4a3);
    g_assert_cmpuint(wide->ncalls, ==, 6);

    /* Big-endian device: values are byte-swapped on the way. */
    wide->ops.endianness = MEMORY_BIG_ENDIAN;
    wide->ncalls = 0;
    g_assert_cmpint(address_space_st(&as, 0x2000, 4, 0x12345678), ==,
                    MEMTX_OK);
    g_assert_cmpint(address_space_st(&as, 0x2008, 8, 0x1122334455667788),
                    ==, MEMTX_OK);
    g_assert_cmpint(address_space_ld(&as, 0x2000, 4, &value), ==, MEMTX_OK);
    g_assert_cmphex(value, ==, 0xa3a2a1a0);
    assert_call(wide, 0, true, 0, 4, 0x78563412);
    assert_call(wide, 1, true, 8, 4, 0x88776655);
    assert_call(wide, 2, true, 0xc, 4, 0x44332211);
    assert_call(wide, 3, false, 0, 4, 0xa0a1a2a3);

    /* Minimum size: a byte access to a word-only device is refused. */
    strict->ops.valid.min_access_size = 4;
    g_assert_cmpint(address_space_ld(&as, 0x3000, 1, &value), ==,
                    MEMTX_ACCESS_ERROR);
    g_assert_cmpint(address_space_ld(&as, 0x3000, 4, &value), ==, MEMTX_OK);
    g_assert_cmpuint(strict->ncalls, ==, 1);
    log2 = log_take();
    g_assert_cmpstr(log2, ==, "invalid read of size 1 at 0x3000 in 'strict' "
                              "(min access size 4)\n");

    address_space_destroy(&as);
    free_tree(root);
}

static void test_dispatch_unassigned(void)
{
    MemoryRegion *root = new_container("root", 0x100000);
    MemoryRegion *ram = new_ram("ram", 0x1000);
    uint8_t buf[64];
    uint64_t value = 0x1234;
    AddressSpace as;
    g_autofree char *log1 = NULL, *log2 = NULL, *log3 = NULL;

    address_space_init(&as, root, "test");
    memory_region_add_subregion(root, 0, ram);
    log_reset();

    /* Reads of holes give zero and a decode error. */
    g_assert_cmpint(address_space_ld(&as, 0x2000, 4, &value), ==,
                    MEMTX_DECODE_ERROR);
    g_assert_cmphex(value, ==, 0);
    memset(buf, 0x55, sizeof(buf));
    g_assert_cmpint(address_space_read(&as, 0x10000000, buf, sizeof(buf)),
                    ==, MEMTX_DECODE_ERROR);
    for (unsigned i = 0; i < sizeof(buf); i++) {
        g_assert_cmphex(buf[i], ==, 0);
    }
    log1 = log_take();
    g_assert_cmpstr(log1, ==, "unassigned read of size 4 at 0x2000\n"
                              "unassigned read of size 64 at 0x10000000\n");

    /* With an accessor hook the log names the vCPU's PC. */
    memory_set_accessor_pc_func(fake_accessor_pc);
    fake_pc_valid = true;
    g_assert_cmpint(address_space_st(&as, 0x10000000, 4, 0x12345678), ==,
                    MEMTX_DECODE_ERROR);
    fake_pc_valid = false;
    g_assert_cmpint(address_space_st(&as, 0x10000000, 1, 0x12), ==,
                    MEMTX_DECODE_ERROR);
    memory_set_accessor_pc_func(NULL);
    log2 = log_take();
    g_assert_cmpstr(log2, ==, "unassigned write of size 4 at 0x10000000, "
                              "value 0x12345678 (pc 0x00000008)\n"
                              "unassigned write of size 1 at 0x10000000, "
                              "value 0x12\n");

    /* Without -d guest_errors nothing is logged. */
    emu_log_set_mask(LOG_UNIMP);
    g_assert_cmpint(address_space_ld(&as, 0x2000, 4, &value), ==,
                    MEMTX_DECODE_ERROR);
    emu_log_set_mask(LOG_GUEST_ERROR | LOG_UNIMP);
    log3 = log_take();
    g_assert_cmpstr(log3, ==, "");

    address_space_destroy(&as);
    free_tree(root);
}

static void test_log_unimp(void)
{
    MemoryRegion *root = new_container("root", 0x100000);
    TestDev *unimp = testdev_new("unimp", 0x100);
    uint64_t value;
    AddressSpace as;
    g_autofree char *log1 = NULL, *log2 = NULL;

    unimp->mr.log_unimp = true;
    address_space_init(&as, root, "test");
    memory_region_add_subregion(root, 0x1000, &unimp->mr);
    log_reset();

    g_assert_cmpint(address_space_st(&as, 0x1000, 4, 5), ==, MEMTX_OK);
    g_assert_cmpint(address_space_ld(&as, 0x1004, 2, &value), ==, MEMTX_OK);
    g_assert_cmphex(value, ==, 0xa5a4);
    log1 = log_take();
    g_assert_cmpstr(log1, ==,
                    "unimplemented write of size 4 at 0x1000 in 'unimp', "
                    "value 0x5\n"
                    "unimplemented read of size 2 at 0x1004 in 'unimp'\n");

    emu_log_set_mask(LOG_GUEST_ERROR);
    g_assert_cmpint(address_space_ld(&as, 0x1004, 2, &value), ==, MEMTX_OK);
    emu_log_set_mask(LOG_GUEST_ERROR | LOG_UNIMP);
    log2 = log_take();
    g_assert_cmpstr(log2, ==, "");

    address_space_destroy(&as);
    free_tree(root);
}

static const char connex_mtree[] =
    "address-space: I/O\n"
    "  0000000000000000-000000000000ffff (prio 0, i/o): io\n"
    "\n"
    "address-space: cpu-memory-0\n"
    "address-space: memory\n"
    "  0000000000000000-ffffffffffffffff (prio 0, i/o): system\n"
    "    0000000000000000-0000000000ffffff (prio 0, romd): connext.rom\n"
    "    0000000004000300-000000000400030f (prio 0, i/o): smc91c111-mmio\n"
    "    0000000020000000-000000002fffffff (prio 0, i/o): container\n"
    "      0000000020000000-0000000023ffffff (prio 0, i/o): pxa2xx-pcmcia-io\n"
    "      0000000028000000-000000002bffffff (prio 0, i/o): pxa2xx-pcmcia-attribute\n"
    "      000000002c000000-000000002fffffff (prio 0, i/o): pxa2xx-pcmcia-common\n"
    "    0000000030000000-000000003fffffff (prio 0, i/o): container\n"
    "      0000000030000000-0000000033ffffff (prio 0, i/o): pxa2xx-pcmcia-io\n"
    "      0000000038000000-000000003bffffff (prio 0, i/o): pxa2xx-pcmcia-attribute\n"
    "      000000003c000000-000000003fffffff (prio 0, i/o): pxa2xx-pcmcia-common\n"
    "    0000000040000000-000000004000ffff (prio 0, i/o): pxa2xx.dma\n"
    "    0000000040300000-000000004030ffff (prio 0, i/o): pxa2xx-i2c\n"
    "    0000000040400000-00000000404fffff (prio 0, i/o): pxa2xx-i2s\n"
    "    0000000040900000-000000004090ffff (prio 0, i/o): pxa2xx-rtc\n"
    "    0000000040a00000-0000000040a00fff (prio 0, i/o): pxa2xx-timer\n"
    "    0000000040d00000-0000000040dfffff (prio 0, i/o): pxa2xx-pic\n"
    "    0000000040e00000-0000000040e00fff (prio 0, i/o): pxa2xx-gpio\n"
    "    0000000040f00000-0000000040f000ff (prio 0, i/o): pxa2xx-pm\n"
    "    0000000040f00100-0000000040f100ff (prio 0, i/o): pxa2xx-i2c\n"
    "    0000000041000000-0000000041000fff (prio 0, i/o): pxa2xx-ssp\n"
    "    0000000041100000-00000000411fffff (prio 0, i/o): pxa2xx-mmci\n"
    "    0000000041300000-0000000041300fff (prio 0, i/o): pxa2xx-cm\n"
    "    0000000041400000-0000000041400fff (prio 0, i/o): pxa2xx-ssp\n"
    "    0000000044000000-00000000440fffff (prio 0, i/o): pxa2xx-lcd-controller\n"
    "    0000000048000000-0000000048000fff (prio 0, i/o): pxa2xx-mm\n"
    "    000000005c000000-000000005c03ffff (prio 0, ram): pxa255.internal\n"
    "    00000000a0000000-00000000a3ffffff (prio 0, ram): pxa255.sdram\n"
    "\n";

static const char connex_mtree_flat[] =
    "FlatView #0\n"
    " AS \"I/O\", root: io\n"
    " Root memory region: io\n"
    "  0000000000000000-000000000000ffff (prio 0, i/o): io\n"
    "\n"
    "FlatView #1\n"
    " AS \"memory\", root: system\n"
    " AS \"cpu-memory-0\", root: system\n"
    " Root memory region: system\n"
    "  0000000000000000-0000000000ffffff (prio 0, romd): connext.rom\n"
    "  0000000004000300-000000000400030f (prio 0, i/o): smc91c111-mmio\n"
    "  0000000020000000-0000000023ffffff (prio 0, i/o): pxa2xx-pcmcia-io\n"
    "  0000000028000000-000000002bffffff (prio 0, i/o): pxa2xx-pcmcia-attribute\n"
    "  000000002c000000-000000002fffffff (prio 0, i/o): pxa2xx-pcmcia-common\n"
    "  0000000030000000-0000000033ffffff (prio 0, i/o): pxa2xx-pcmcia-io\n"
    "  0000000038000000-000000003bffffff (prio 0, i/o): pxa2xx-pcmcia-attribute\n"
    "  000000003c000000-000000003fffffff (prio 0, i/o): pxa2xx-pcmcia-common\n"
    "  0000000040000000-000000004000ffff (prio 0, i/o): pxa2xx.dma\n"
    "  0000000040300000-000000004030ffff (prio 0, i/o): pxa2xx-i2c\n"
    "  0000000040400000-00000000404fffff (prio 0, i/o): pxa2xx-i2s\n"
    "  0000000040900000-000000004090ffff (prio 0, i/o): pxa2xx-rtc\n"
    "  0000000040a00000-0000000040a00fff (prio 0, i/o): pxa2xx-timer\n"
    "  0000000040d00000-0000000040dfffff (prio 0, i/o): pxa2xx-pic\n"
    "  0000000040e00000-0000000040e00fff (prio 0, i/o): pxa2xx-gpio\n"
    "  0000000040f00000-0000000040f000ff (prio 0, i/o): pxa2xx-pm\n"
    "  0000000040f00100-0000000040f100ff (prio 0, i/o): pxa2xx-i2c\n"
    "  0000000041000000-0000000041000fff (prio 0, i/o): pxa2xx-ssp\n"
    "  0000000041100000-00000000411fffff (prio 0, i/o): pxa2xx-mmci\n"
    "  0000000041300000-0000000041300fff (prio 0, i/o): pxa2xx-cm\n"
    "  0000000041400000-0000000041400fff (prio 0, i/o): pxa2xx-ssp\n"
    "  0000000044000000-00000000440fffff (prio 0, i/o): pxa2xx-lcd-controller\n"
    "  0000000048000000-0000000048000fff (prio 0, i/o): pxa2xx-mm\n"
    "  000000005c000000-000000005c03ffff (prio 0, ram): pxa255.internal\n"
    "  00000000a0000000-00000000a3ffffff (prio 0, ram): pxa255.sdram\n"
    "\n";

static const char isapc_mtree[] =
    "address-space: cpu-memory-0\n"
    "address-space: memory\n"
    "  0000000000000000-ffffffffffffffff (prio 0, i/o): system\n"
    "    0000000000000000-0000000000ffffff (prio 0, ram): alias ram-below-4g @pc.ram 0000000000000000-0000000000ffffff\n"
    "    00000000000c0000-00000000000dffff (prio 1, ram): pc.rom\n"
    "    00000000000e0000-00000000000fffff (prio 1, ram): alias isa-bios @pc.bios 0000000000000000-000000000001ffff\n"
    "    00000000fffe0000-00000000ffffffff (prio 0, ram): pc.bios\n"
    "\n"
    "address-space: cpu-smm-0\n"
    "  0000000000000000-ffffffffffffffff (prio 0, i/o): memory\n"
    "    0000000000000000-ffffffffffffffff (prio 0, i/o): alias memory @system 0000000000000000-ffffffffffffffff\n"
    "\n"
    "address-space: I/O\n"
    "  0000000000000000-000000000000ffff (prio 0, i/o): io\n"
    "    0000000000000000-0000000000000007 (prio 0, i/o): dma-chan\n"
    "    0000000000000008-000000000000000f (prio 0, i/o): dma-cont\n"
    "    0000000000000020-0000000000000021 (prio 0, i/o): pic\n"
    "    0000000000000040-0000000000000043 (prio 0, i/o): pit\n"
    "    0000000000000060-0000000000000060 (prio 0, i/o): i8042-data\n"
    "    0000000000000061-0000000000000061 (prio 0, i/o): pcspk\n"
    "    0000000000000064-0000000000000064 (prio 0, i/o): i8042-cmd\n"
    "    0000000000000070-0000000000000071 (prio 0, i/o): rtc\n"
    "      0000000000000070-0000000000000070 (prio 0, i/o): rtc-index\n"
    "    0000000000000080-0000000000000080 (prio 0, i/o): ioport80\n"
    "    0000000000000081-0000000000000083 (prio 0, i/o): dma-page\n"
    "    0000000000000087-0000000000000087 (prio 0, i/o): dma-page\n"
    "    0000000000000089-000000000000008b (prio 0, i/o): dma-page\n"
    "    000000000000008f-000000000000008f (prio 0, i/o): dma-page\n"
    "    0000000000000092-0000000000000092 (prio 0, i/o): port92\n"
    "    00000000000000a0-00000000000000a1 (prio 0, i/o): pic\n"
    "    00000000000000c0-00000000000000cf (prio 0, i/o): dma-chan\n"
    "    00000000000000d0-00000000000000df (prio 0, i/o): dma-cont\n"
    "    00000000000000f0-00000000000000f0 (prio 0, i/o): ioportF0\n"
    "    0000000000000170-0000000000000177 (prio 0, i/o): ide\n"
    "    00000000000001f0-00000000000001f7 (prio 0, i/o): ide\n"
    "    0000000000000376-0000000000000376 (prio 0, i/o): ide\n"
    "    00000000000003f1-00000000000003f5 (prio 0, i/o): fdc\n"
    "    00000000000003f6-00000000000003f6 (prio 0, i/o): ide\n"
    "    00000000000003f7-00000000000003f7 (prio 0, i/o): fdc\n"
    "    00000000000004d0-00000000000004d0 (prio 0, i/o): elcr\n"
    "    00000000000004d1-00000000000004d1 (prio 0, i/o): elcr\n"
    "    0000000000000510-0000000000000511 (prio 0, i/o): fwcfg\n"
    "    0000000000000514-000000000000051b (prio 0, i/o): fwcfg.dma\n"
    "    0000000000005658-0000000000005658 (prio 0, i/o): vmport\n"
    "\n"
    "memory-region: pc.ram\n"
    "  0000000000000000-0000000000ffffff (prio 0, ram): pc.ram\n"
    "\n"
    "memory-region: pc.bios\n"
    "  00000000fffe0000-00000000ffffffff (prio 0, ram): pc.bios\n"
    "\n"
    "memory-region: system\n"
    "  0000000000000000-ffffffffffffffff (prio 0, i/o): system\n"
    "    0000000000000000-0000000000ffffff (prio 0, ram): alias ram-below-4g @pc.ram 0000000000000000-0000000000ffffff\n"
    "    00000000000c0000-00000000000dffff (prio 1, ram): pc.rom\n"
    "    00000000000e0000-00000000000fffff (prio 1, ram): alias isa-bios @pc.bios 0000000000000000-000000000001ffff\n"
    "    00000000fffe0000-00000000ffffffff (prio 0, ram): pc.bios\n"
    "\n";

static const char isapc_mtree_flat[] =
    "FlatView #0\n"
    " AS \"memory\", root: system\n"
    " AS \"cpu-memory-0\", root: system\n"
    " AS \"cpu-smm-0\", root: memory\n"
    " Root memory region: system\n"
    "  0000000000000000-00000000000bffff (prio 0, ram): pc.ram\n"
    "  00000000000c0000-00000000000dffff (prio 1, ram): pc.rom\n"
    "  00000000000e0000-00000000000fffff (prio 0, ram): pc.bios\n"
    "  0000000000100000-0000000000ffffff (prio 0, ram): pc.ram @0000000000100000\n"
    "  00000000fffe0000-00000000ffffffff (prio 0, ram): pc.bios\n"
    "\n"
    "FlatView #1\n"
    " AS \"I/O\", root: io\n"
    " Root memory region: io\n"
    "  0000000000000000-0000000000000007 (prio 0, i/o): dma-chan\n"
    "  0000000000000008-000000000000000f (prio 0, i/o): dma-cont\n"
    "  0000000000000010-000000000000001f (prio 0, i/o): io @0000000000000010\n"
    "  0000000000000020-0000000000000021 (prio 0, i/o): pic\n"
    "  0000000000000022-000000000000003f (prio 0, i/o): io @0000000000000022\n"
    "  0000000000000040-0000000000000043 (prio 0, i/o): pit\n"
    "  0000000000000044-000000000000005f (prio 0, i/o): io @0000000000000044\n"
    "  0000000000000060-0000000000000060 (prio 0, i/o): i8042-data\n"
    "  0000000000000061-0000000000000061 (prio 0, i/o): pcspk\n"
    "  0000000000000062-0000000000000063 (prio 0, i/o): io @0000000000000062\n"
    "  0000000000000064-0000000000000064 (prio 0, i/o): i8042-cmd\n"
    "  0000000000000065-000000000000006f (prio 0, i/o): io @0000000000000065\n"
    "  0000000000000070-0000000000000070 (prio 0, i/o): rtc-index\n"
    "  0000000000000071-0000000000000071 (prio 0, i/o): rtc @0000000000000001\n"
    "  0000000000000072-000000000000007f (prio 0, i/o): io @0000000000000072\n"
    "  0000000000000080-0000000000000080 (prio 0, i/o): ioport80\n"
    "  0000000000000081-0000000000000083 (prio 0, i/o): dma-page\n"
    "  0000000000000084-0000000000000086 (prio 0, i/o): io @0000000000000084\n"
    "  0000000000000087-0000000000000087 (prio 0, i/o): dma-page\n"
    "  0000000000000088-0000000000000088 (prio 0, i/o): io @0000000000000088\n"
    "  0000000000000089-000000000000008b (prio 0, i/o): dma-page\n"
    "  000000000000008c-000000000000008e (prio 0, i/o): io @000000000000008c\n"
    "  000000000000008f-000000000000008f (prio 0, i/o): dma-page\n"
    "  0000000000000090-0000000000000091 (prio 0, i/o): io @0000000000000090\n"
    "  0000000000000092-0000000000000092 (prio 0, i/o): port92\n"
    "  0000000000000093-000000000000009f (prio 0, i/o): io @0000000000000093\n"
    "  00000000000000a0-00000000000000a1 (prio 0, i/o): pic\n"
    "  00000000000000a2-00000000000000bf (prio 0, i/o): io @00000000000000a2\n"
    "  00000000000000c0-00000000000000cf (prio 0, i/o): dma-chan\n"
    "  00000000000000d0-00000000000000df (prio 0, i/o): dma-cont\n"
    "  00000000000000e0-00000000000000ef (prio 0, i/o): io @00000000000000e0\n"
    "  00000000000000f0-00000000000000f0 (prio 0, i/o): ioportF0\n"
    "  00000000000000f1-000000000000016f (prio 0, i/o): io @00000000000000f1\n"
    "  0000000000000170-0000000000000177 (prio 0, i/o): ide\n"
    "  0000000000000178-00000000000001ef (prio 0, i/o): io @0000000000000178\n"
    "  00000000000001f0-00000000000001f7 (prio 0, i/o): ide\n"
    "  00000000000001f8-0000000000000375 (prio 0, i/o): io @00000000000001f8\n"
    "  0000000000000376-0000000000000376 (prio 0, i/o): ide\n"
    "  0000000000000377-00000000000003f0 (prio 0, i/o): io @0000000000000377\n"
    "  00000000000003f1-00000000000003f5 (prio 0, i/o): fdc\n"
    "  00000000000003f6-00000000000003f6 (prio 0, i/o): ide\n"
    "  00000000000003f7-00000000000003f7 (prio 0, i/o): fdc\n"
    "  00000000000003f8-00000000000004cf (prio 0, i/o): io @00000000000003f8\n"
    "  00000000000004d0-00000000000004d0 (prio 0, i/o): elcr\n"
    "  00000000000004d1-00000000000004d1 (prio 0, i/o): elcr\n"
    "  00000000000004d2-000000000000050f (prio 0, i/o): io @00000000000004d2\n"
    "  0000000000000510-0000000000000511 (prio 0, i/o): fwcfg\n"
    "  0000000000000512-0000000000000513 (prio 0, i/o): io @0000000000000512\n"
    "  0000000000000514-000000000000051b (prio 0, i/o): fwcfg.dma\n"
    "  000000000000051c-0000000000005657 (prio 0, i/o): io @000000000000051c\n"
    "  0000000000005658-0000000000005658 (prio 0, i/o): vmport\n"
    "  0000000000005659-000000000000ffff (prio 0, i/o): io @0000000000005659\n"
    "\n";

static const char none_mtree[] =
    "address-space: memory\n"
    "  0000000000000000-ffffffffffffffff (prio 0, i/o): system\n"
    "    0000000000000000-0000000000ffffff (prio 0, ram): ram\n"
    "\n"
    "address-space: I/O\n"
    "  0000000000000000-000000000000ffff (prio 0, i/o): io\n"
    "\n";

static const char none_mtree_flat[] =
    "FlatView #0\n"
    " AS \"memory\", root: system\n"
    " Root memory region: ram\n"
    "  0000000000000000-0000000000ffffff (prio 0, ram): ram\n"
    "\n"
    "FlatView #1\n"
    " AS \"I/O\", root: io\n"
    " Root memory region: io\n"
    "  0000000000000000-000000000000ffff (prio 0, i/o): io\n"
    "\n";

static const char none_mtree_owner[] =
    "address-space: memory\n"
    "  0000000000000000-ffffffffffffffff (prio 0, i/o): system parent:{obj path=/machine/unattached}\n"
    "    0000000000000000-0000000000ffffff (prio 0, ram): ram owner:{obj path=/objects/ram}\n"
    "\n"
    "address-space: I/O\n"
    "  0000000000000000-000000000000ffff (prio 0, i/o): io parent:{obj path=/machine/unattached}\n"
    "\n";

static const char none_mtree_flat_owner[] =
    "FlatView #0\n"
    " AS \"memory\", root: system\n"
    " Root memory region: ram\n"
    "  0000000000000000-0000000000ffffff (prio 0, ram): ram owner:{obj path=/objects/ram}\n"
    "\n"
    "FlatView #1\n"
    " AS \"I/O\", root: io\n"
    " Root memory region: io\n"
    "  0000000000000000-000000000000ffff (prio 0, i/o): io parent:{obj path=/machine/unattached}\n"
    "\n";

/*
 * ---- info mtree ----
 *
 * Expected texts are QEMU 7.2's output for the same trees (taken from
 * runs whose hash-table order matched emu's creation order).
 */

static uint64_t dummy_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void dummy_write(void *opaque, hwaddr addr, uint64_t value,
                        unsigned size)
{
}

static const MemoryRegionOps dummy_ops = {
    .read = dummy_read,
    .write = dummy_write,
};

typedef struct BoardRegion {
    char kind;                   /* c container, r ram, o rom device, i io */
    const char *name;
    int parent;                  /* index of an earlier entry; -1: root */
    hwaddr addr;
    uint64_t size;
} BoardRegion;

/* Creates the regions of table and maps them, in table order. */
static void board_build(MemoryRegion *root, const BoardRegion *table,
                        size_t n)
{
    g_autofree MemoryRegion **made = g_new0(MemoryRegion *, n);

    for (size_t i = 0; i < n; i++) {
        const BoardRegion *r = &table[i];
        MemoryRegion *mr = g_new(MemoryRegion, 1);

        switch (r->kind) {
        case 'c':
            memory_region_init(mr, NULL, r->name, r->size);
            break;
        case 'r':
            memory_region_init_ram(mr, NULL, r->name, r->size, &error_fatal);
            break;
        case 'o':
            memory_region_init_rom_device(mr, NULL, &dummy_ops, NULL, r->name,
                                          r->size, &error_fatal);
            break;
        default:
            memory_region_init_io(mr, NULL, &dummy_ops, NULL, r->name,
                                  r->size);
            break;
        }
        memory_region_add_subregion(r->parent < 0 ? root : made[r->parent],
                                    r->addr, mr);
        made[i] = mr;
    }
}

/* QEMU's connex board (PXA255): qemu-system-arm -M connex -pflash 16M */
static const BoardRegion connex_map[] = {
    { 'o', "connext.rom", -1, 0x00000000, 16 * MiB },
    { 'i', "smc91c111-mmio", -1, 0x04000300, 0x10 },
    { 'c', "container", -1, 0x20000000, 0x10000000 },
    { 'i', "pxa2xx-pcmcia-io", 2, 0x0, 0x4000000 },
    { 'i', "pxa2xx-pcmcia-attribute", 2, 0x8000000, 0x4000000 },
    { 'i', "pxa2xx-pcmcia-common", 2, 0xc000000, 0x4000000 },
    { 'c', "container", -1, 0x30000000, 0x10000000 },
    { 'i', "pxa2xx-pcmcia-io", 6, 0x0, 0x4000000 },
    { 'i', "pxa2xx-pcmcia-attribute", 6, 0x8000000, 0x4000000 },
    { 'i', "pxa2xx-pcmcia-common", 6, 0xc000000, 0x4000000 },
    { 'i', "pxa2xx.dma", -1, 0x40000000, 0x10000 },
    { 'i', "pxa2xx-i2c", -1, 0x40300000, 0x10000 },
    { 'i', "pxa2xx-i2s", -1, 0x40400000, 0x100000 },
    { 'i', "pxa2xx-rtc", -1, 0x40900000, 0x10000 },
    { 'i', "pxa2xx-timer", -1, 0x40a00000, 0x1000 },
    { 'i', "pxa2xx-pic", -1, 0x40d00000, 0x100000 },
    { 'i', "pxa2xx-gpio", -1, 0x40e00000, 0x1000 },
    { 'i', "pxa2xx-pm", -1, 0x40f00000, 0x100 },
    { 'i', "pxa2xx-i2c", -1, 0x40f00100, 0x10000 },
    { 'i', "pxa2xx-ssp", -1, 0x41000000, 0x1000 },
    { 'i', "pxa2xx-mmci", -1, 0x41100000, 0x100000 },
    { 'i', "pxa2xx-cm", -1, 0x41300000, 0x1000 },
    { 'i', "pxa2xx-ssp", -1, 0x41400000, 0x1000 },
    { 'i', "pxa2xx-lcd-controller", -1, 0x44000000, 0x100000 },
    { 'i', "pxa2xx-mm", -1, 0x48000000, 0x1000 },
    { 'r', "pxa255.internal", -1, 0x5c000000, 0x40000 },
    { 'r', "pxa255.sdram", -1, 0xa0000000, 64 * MiB },
};

/* The ISA ports of QEMU's isapc: qemu-system-x86_64 -M isapc -nodefaults */
static const BoardRegion isapc_ports[] = {
    { 'i', "dma-chan", -1, 0x0, 8 },
    { 'i', "dma-cont", -1, 0x8, 8 },
    { 'i', "pic", -1, 0x20, 2 },
    { 'i', "pit", -1, 0x40, 4 },
    { 'i', "i8042-data", -1, 0x60, 1 },
    { 'i', "pcspk", -1, 0x61, 1 },
    { 'i', "i8042-cmd", -1, 0x64, 1 },
    { 'i', "rtc", -1, 0x70, 2 },
    { 'i', "rtc-index", 7, 0x0, 1 },
    { 'i', "ioport80", -1, 0x80, 1 },
    { 'i', "dma-page", -1, 0x81, 3 },
    { 'i', "dma-page", -1, 0x87, 1 },
    { 'i', "dma-page", -1, 0x89, 3 },
    { 'i', "dma-page", -1, 0x8f, 1 },
    { 'i', "port92", -1, 0x92, 1 },
    { 'i', "pic", -1, 0xa0, 2 },
    { 'i', "dma-chan", -1, 0xc0, 0x10 },
    { 'i', "dma-cont", -1, 0xd0, 0x10 },
    { 'i', "ioportF0", -1, 0xf0, 1 },
    { 'i', "ide", -1, 0x170, 8 },
    { 'i', "ide", -1, 0x1f0, 8 },
    { 'i', "ide", -1, 0x376, 1 },
    { 'i', "fdc", -1, 0x3f1, 5 },
    { 'i', "ide", -1, 0x3f6, 1 },
    { 'i', "fdc", -1, 0x3f7, 1 },
    { 'i', "elcr", -1, 0x4d0, 1 },
    { 'i', "elcr", -1, 0x4d1, 1 },
    { 'i', "fwcfg", -1, 0x510, 2 },
    { 'i', "fwcfg.dma", -1, 0x514, 8 },
    { 'i', "vmport", -1, 0x5658, 1 },
};

static void assert_mtree(bool flat, bool owner, bool disabled,
                         const char *expected)
{
    g_autofree char *text = mtree_text(flat, owner, disabled);

    g_assert_cmpstr(text, ==, expected);
}

static void test_mtree_connex(void)
{
    MemoryRegion *system = new_container("system", UINT64_MAX);
    MemoryRegion *io = g_new(MemoryRegion, 1);
    AddressSpace as_io, as_memory, as_cpu;

    memory_region_init_io(io, NULL, &dummy_ops, NULL, "io", 0x10000);
    address_space_init(&as_io, io, "I/O");
    address_space_init(&as_memory, system, "memory");
    address_space_init(&as_cpu, system, "cpu-memory-0");
    board_build(system, connex_map, ARRAY_SIZE(connex_map));

    assert_mtree(false, false, false, connex_mtree);
    assert_mtree(true, false, false, connex_mtree_flat);

    address_space_destroy(&as_cpu);
    address_space_destroy(&as_memory);
    address_space_destroy(&as_io);
    free_tree(system);
    free_region(io);
}

/*
 * isapc has aliases (RAM below 4G, the BIOS shadow), priorities, an SMM
 * address space whose root is a container holding an alias of the whole
 * system memory (so it shares the system's flat view), and an I/O root
 * that is itself a device: its holes show as "io @offset".
 */
static void test_mtree_isapc(void)
{
    MemoryRegion *system = new_container("system", UINT64_MAX);
    MemoryRegion *smm = new_container("memory", UINT64_MAX);
    MemoryRegion *pc_ram = new_ram("pc.ram", 16 * MiB);
    MemoryRegion *pc_bios = new_ram("pc.bios", 128 * KiB);
    MemoryRegion *io = g_new(MemoryRegion, 1);
    AddressSpace as_memory, as_cpu, as_smm, as_io;

    memory_region_init_io(io, NULL, &dummy_ops, NULL, "io", 0x10000);
    address_space_init(&as_memory, system, "memory");
    address_space_init(&as_cpu, system, "cpu-memory-0");
    address_space_init(&as_smm, smm, "cpu-smm-0");
    address_space_init(&as_io, io, "I/O");

    memory_region_transaction_begin();
    memory_region_add_subregion(system, 0,
                                new_alias("ram-below-4g", pc_ram, 0,
                                          16 * MiB));
    memory_region_add_subregion_overlap(system, 0xc0000,
                                        new_ram("pc.rom", 128 * KiB), 1);
    memory_region_add_subregion_overlap(system, 0xe0000,
                                        new_alias("isa-bios", pc_bios, 0,
                                                  128 * KiB), 1);
    memory_region_add_subregion(system, 0xfffe0000, pc_bios);
    memory_region_add_subregion(smm, 0,
                                new_alias("memory", system, 0, UINT64_MAX));
    board_build(io, isapc_ports, ARRAY_SIZE(isapc_ports));
    memory_region_transaction_commit();

    assert_mtree(false, false, false, isapc_mtree);
    assert_mtree(true, false, false, isapc_mtree_flat);

    address_space_destroy(&as_io);
    address_space_destroy(&as_smm);
    address_space_destroy(&as_cpu);
    address_space_destroy(&as_memory);
    free_tree(smm);
    free_tree(system);
    free_region(pc_ram);
    free_tree(io);
}

/*
 * QEMU's PCI bus-master address spaces before the guest enables bus
 * mastering: a container holding only a disabled alias.  Nothing is
 * rendered, the alias target is still listed.
 */
static void test_mtree_no_flatview(void)
{
    MemoryRegion *system = new_container("system", UINT64_MAX);
    MemoryRegion *bm1 = new_container("bus master container", UINT64_MAX);
    MemoryRegion *bm2 = new_container("bus master container", UINT64_MAX);
    MemoryRegion *alias1 = new_alias("bus master", system, 0, UINT64_MAX);
    MemoryRegion *alias2 = new_alias("bus master", system, 0, UINT64_MAX);
    AddressSpace as1, as2;

    memory_region_set_enabled(alias1, false);
    memory_region_set_enabled(alias2, false);
    memory_region_add_subregion(bm1, 0, alias1);
    memory_region_add_subregion(bm2, 0, alias2);
    address_space_init(&as1, bm1, "i440FX");
    address_space_init(&as2, bm2, "PIIX3");

    assert_mtree(false, false, false,
        "address-space: i440FX\n"
        "  0000000000000000-ffffffffffffffff (prio 0, i/o): bus master container\n"
        "\n"
        "address-space: PIIX3\n"
        "  0000000000000000-ffffffffffffffff (prio 0, i/o): bus master container\n"
        "\n"
        "memory-region: system\n"
        "  0000000000000000-ffffffffffffffff (prio 0, i/o): system\n"
        "\n");
    assert_mtree(true, false, false,
        "FlatView #0\n"
        " AS \"i440FX\", root: bus master container\n"
        " AS \"PIIX3\", root: bus master container\n"
        " Root memory region: (none)\n"
        "  No rendered FlatView\n"
        "\n");
    assert_mtree(false, false, true,
        "address-space: i440FX\n"
        "  0000000000000000-ffffffffffffffff (prio 0, i/o): bus master container\n"
        "    0000000000000000-ffffffffffffffff (prio 0, i/o): alias bus master @system 0000000000000000-ffffffffffffffff [disabled]\n"
        "\n"
        "address-space: PIIX3\n"
        "  0000000000000000-ffffffffffffffff (prio 0, i/o): bus master container\n"
        "    0000000000000000-ffffffffffffffff (prio 0, i/o): alias bus master @system 0000000000000000-ffffffffffffffff [disabled]\n"
        "\n"
        "memory-region: system\n"
        "  0000000000000000-ffffffffffffffff (prio 0, i/o): system\n"
        "\n");

    address_space_destroy(&as2);
    address_space_destroy(&as1);
    free_tree(bm2);
    free_tree(bm1);
    free_tree(system);
}

/*
 * -D and -o on a small tree: a disabled container's line is left out but
 * its subregions are not (printed one level deeper, as QEMU does), equal
 * addresses list the newest first, and the flat view shows the winner.
 */
static void test_mtree_disabled_owner(void)
{
    MemoryRegion *top = new_container("top", 0x10000);
    MemoryRegion *box = new_container("box", 0x1000);
    MemoryRegion *inner = new_ram("inner", 0x100);
    MemoryRegion *window = new_alias("win", inner, 0, 0x100);
    Object *board = object_new(TYPE_CONTAINER);
    AddressSpace as;

    g_assert_true(object_add_child(object_get_root(), "board", board,
                                   &error_fatal));
    top->owner = board;
    memory_region_add_subregion(box, 0x10, inner);
    memory_region_add_subregion(top, 0x1000, box);
    memory_region_add_subregion(top, 0x3000, window);
    memory_region_add_subregion_overlap(top, 0x4000, new_ram("a", 0x100), 0);
    memory_region_add_subregion_overlap(top, 0x4000, new_ram("b", 0x100), 0);
    memory_region_set_enabled(box, false);
    memory_region_set_enabled(window, false);
    address_space_init(&as, top, "dtest");

    assert_mtree(false, false, false,
        "address-space: dtest\n"
        "  0000000000000000-000000000000ffff (prio 0, i/o): top\n"
        "      0000000000001010-000000000000110f (prio 0, ram): inner\n"
        "    0000000000004000-00000000000040ff (prio 0, ram): b\n"
        "    0000000000004000-00000000000040ff (prio 0, ram): a\n"
        "\n"
        "memory-region: inner\n"
        "  0000000000000010-000000000000010f (prio 0, ram): inner\n"
        "\n");
    assert_mtree(false, true, true,
        "address-space: dtest\n"
        "  0000000000000000-000000000000ffff (prio 0, i/o): top owner:{obj path=/board}\n"
        "    0000000000001000-0000000000001fff (prio 0, i/o): box [disabled] orphan\n"
        "      0000000000001010-000000000000110f (prio 0, ram): inner orphan\n"
        "    0000000000003000-00000000000030ff (prio 0, ram): alias win @inner 0000000000000000-00000000000000ff [disabled] orphan\n"
        "    0000000000004000-00000000000040ff (prio 0, ram): b orphan\n"
        "    0000000000004000-00000000000040ff (prio 0, ram): a orphan\n"
        "\n"
        "memory-region: inner\n"
        "  0000000000000010-000000000000010f (prio 0, ram): inner orphan\n"
        "\n");
    assert_mtree(true, true, false,
        "FlatView #0\n"
        " AS \"dtest\", root: top\n"
        " Root memory region: top\n"
        "  0000000000004000-00000000000040ff (prio 0, ram): b orphan\n"
        "\n");

    /* ROM devices print as "i/o" while out of ROMD mode. */
    memory_region_set_enabled(box, true);
    memory_region_del_subregion(box, inner);
    free_region(inner);
    {
        MemoryRegion *flash = g_new(MemoryRegion, 1);

        memory_region_init_rom_device(flash, NULL, &dummy_ops, NULL, "flash",
                                      0x100, &error_fatal);
        memory_region_add_subregion(box, 0, flash);
        memory_region_rom_device_set_romd(flash, false);
    }
    memory_region_del_subregion(top, window);
    free_region(window);
    assert_mtree(true, false, false,
        "FlatView #0\n"
        " AS \"dtest\", root: top\n"
        " Root memory region: top\n"
        "  0000000000001000-00000000000010ff (prio 0, i/o): flash\n"
        "  0000000000004000-00000000000040ff (prio 0, ram): b\n"
        "\n");

    address_space_destroy(&as);
    free_tree(top);
    object_unparent(board);
    object_unref(board);
}

/*
 * The system address spaces, as "-M none -m 16M" has them; runs last as
 * they cannot be taken down again.
 */
static void test_system(void)
{
    Object *objects = container_get(object_get_root(), "objects");
    Object *backend = object_new(TYPE_CONTAINER);
    MemoryRegion *ram = g_new(MemoryRegion, 1);
    uint64_t value = 0;

    g_assert_null(get_system_memory());
    memory_system_init(true);
    g_assert_true(memory_system_has_io());
    g_assert_cmpstr(memory_region_name(get_system_memory()), ==, "system");
    g_assert_cmphex(memory_region_size(get_system_memory()), ==, UINT64_MAX);
    g_assert_cmpstr(memory_region_name(get_system_io()), ==, "io");
    g_assert_cmphex(memory_region_size(get_system_io()), ==, 0x10000);
    g_assert_cmpstr(address_space_memory.name, ==, "memory");
    g_assert_cmpstr(address_space_io.name, ==, "I/O");

    g_assert_true(object_add_child(objects, "ram", backend, &error_fatal));
    g_assert_true(memory_region_init_ram(ram, backend, "ram", 16 * MiB,
                                         &error_fatal));
    memory_region_add_subregion(get_system_memory(), 0, ram);

    assert_mtree(false, false, false, none_mtree);
    assert_mtree(true, false, false, none_mtree_flat);
    container_get(container_get(object_get_root(), "machine"), "unattached");
    assert_mtree(false, true, false, none_mtree_owner);
    assert_mtree(true, true, false, none_mtree_flat_owner);

    /* Ports nobody decodes read as all ones, silently. */
    log_reset();
    g_assert_cmpint(address_space_ld(&address_space_io, 0x80, 1, &value), ==,
                    MEMTX_OK);
    g_assert_cmphex(value, ==, 0xff);
    g_assert_cmpint(address_space_st(&address_space_io, 0x81, 2, 0x1234), ==,
                    MEMTX_OK);
    g_assert_cmpint(address_space_st(&address_space_memory, 0x100, 4, 7), ==,
                    MEMTX_OK);
    g_assert_cmpint(address_space_ld(&address_space_memory, 0x100, 4, &value),
                    ==, MEMTX_OK);
    g_assert_cmphex(value, ==, 7);
    {
        g_autofree char *log = log_take();

        g_assert_cmpstr(log, ==, "");
    }
}

int main(int argc, char **argv)
{
    int fd, ret;

    g_test_init(&argc, &argv, NULL);

    fd = g_file_open_tmp("test-memory-XXXXXX.log", &log_path, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    emu_log_set_mask(LOG_GUEST_ERROR | LOG_UNIMP);
    log_reset();

    g_test_add_func("/memory/render/overlap-priority", test_overlap_priority);
    g_test_add_func("/memory/render/alias", test_alias);
    g_test_add_func("/memory/render/container-clip", test_container_clip);
    g_test_add_func("/memory/render/remove-disable-move",
                    test_remove_disable_move);
    g_test_add_func("/memory/render/flatview-reference",
                    test_flatview_reference);
    g_test_add_func("/memory/romd/switching", test_romd);
    g_test_add_func("/memory/listener/diff", test_listener);
    g_test_add_func("/memory/dispatch/ram-rom", test_dispatch_ram_rom);
    g_test_add_func("/memory/dispatch/io-sizes", test_dispatch_io_sizes);
    g_test_add_func("/memory/dispatch/unassigned", test_dispatch_unassigned);
    g_test_add_func("/memory/dispatch/log-unimp", test_log_unimp);
    g_test_add_func("/memory/mtree/connex", test_mtree_connex);
    g_test_add_func("/memory/mtree/isapc", test_mtree_isapc);
    g_test_add_func("/memory/mtree/no-flatview", test_mtree_no_flatview);
    g_test_add_func("/memory/mtree/disabled-owner", test_mtree_disabled_owner);
    g_test_add_func("/memory/system/init", test_system);

    ret = g_test_run();
    emu_log_close();
    unlink(log_path);
    g_free(log_path);
    return ret;
}
