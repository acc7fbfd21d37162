/*
 * Unit tests of the object model: inheritance, casts, properties and
 * their errors, the object tree, devices.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "qom/object.h"
#include "hw/qdev.h"
#include "hw/sysbus.h"

/* ---- a small hierarchy: animal <- dog ---- */

#define TYPE_ANIMAL "test-animal"
#define TYPE_DOG "test-dog"

typedef struct Animal {
    Object parent_obj;
    uint32_t legs;
    int8_t mood;
    bool tame;
    uint64_t weight;
    char *name;
    int colour;
    Object *friend;
    int init_order;
} Animal;

typedef struct AnimalClass {
    ObjectClass parent_class;
    const char *(*speak)(Animal *a);
} AnimalClass;

typedef struct Dog {
    Animal parent_obj;
    uint16_t tricks;
} Dog;

static const char *const colours[] = { "black", "white", "brown", NULL };

static const Property animal_props[] = {
    DEFINE_PROP_UINT("legs", Animal, legs, 4, "number of legs"),
    DEFINE_PROP_INT("mood", Animal, mood, -1, NULL),
    DEFINE_PROP_BOOL("tame", Animal, tame, false, "tamed?"),
    DEFINE_PROP_SIZE("weight", Animal, weight, 0, NULL),
    DEFINE_PROP_STRING("name", Animal, name, NULL),
    DEFINE_PROP_ENUM("colour", Animal, colour, colours, 2, "fur colour"),
    DEFINE_PROP_LINK("friend", Animal, friend, TYPE_ANIMAL, NULL),
};

static const Property dog_props[] = {
    DEFINE_PROP_UINT("tricks", Dog, tricks, 0, NULL),
};

static int init_counter;
static int finalized;

static const char *animal_speak(Animal *a)
{
    return "...";
}

static const char *dog_speak(Animal *a)
{
    return "woof";
}

static void animal_class_init(ObjectClass *klass)
{
    ((AnimalClass *)klass)->speak = animal_speak;
    class_add_properties(klass, animal_props, ARRAY_SIZE(animal_props));
}

static void dog_class_init(ObjectClass *klass)
{
    ((AnimalClass *)klass)->speak = dog_speak;
    class_add_properties(klass, dog_props, ARRAY_SIZE(dog_props));
}

static void animal_init(Object *obj)
{
    ((Animal *)obj)->init_order = ++init_counter;
}

static void dog_init(Object *obj)
{
    /* Runs after the parent's instance_init: it sees its work. */
    g_assert_cmpint(((Animal *)obj)->init_order, ==, init_counter);
    ((Dog *)obj)->tricks = 3;
}

static void dog_finalize(Object *obj)
{
    finalized++;
}

static const TypeInfo test_types[] = {
    { .name = TYPE_ANIMAL, .parent = TYPE_OBJECT,
      .instance_size = sizeof(Animal), .class_size = sizeof(AnimalClass),
      .class_init = animal_class_init, .instance_init = animal_init },
    { .name = TYPE_DOG, .parent = TYPE_ANIMAL,
      .instance_size = sizeof(Dog), .class_init = dog_class_init,
      .instance_init = dog_init, .instance_finalize = dog_finalize },
};

DEFINE_TYPES(test_types)

static void test_inheritance(void)
{
    Object *dog = object_new(TYPE_DOG);
    Object *animal = object_new(TYPE_ANIMAL);

    g_assert_cmpstr(object_get_typename(dog), ==, TYPE_DOG);
    g_assert_true(object_dynamic_cast(dog, TYPE_ANIMAL) == dog);
    g_assert_true(object_dynamic_cast(dog, TYPE_OBJECT) == dog);
    g_assert_null(object_dynamic_cast(animal, TYPE_DOG));
    /* The subclass overrides the method; the parent keeps its own. */
    g_assert_cmpstr(((AnimalClass *)dog->klass)->speak((Animal *)dog), ==,
                    "woof");
    g_assert_cmpstr(((AnimalClass *)animal->klass)->speak((Animal *)animal),
                    ==, "...");
    g_assert_true(object_class_get_parent(dog->klass) == animal->klass);
    /* Defaults from the parent's properties, init from both. */
    g_assert_cmpuint(((Animal *)dog)->legs, ==, 4);
    g_assert_cmpint(((Animal *)dog)->mood, ==, -1);
    g_assert_cmpuint(((Dog *)dog)->tricks, ==, 3);
    g_assert_true(object_class_is_abstract(object_class_by_name(TYPE_OBJECT)));
    object_unref(dog);
    object_unref(animal);
    g_assert_cmpint(finalized, ==, 1);
}

static void test_class_list(void)
{
    GSList *list = object_class_get_list_sorted(TYPE_ANIMAL, false);

    g_assert_cmpuint(g_slist_length(list), ==, 2);
    g_assert_cmpstr(object_class_get_name(list->data), ==, TYPE_ANIMAL);
    g_assert_cmpstr(object_class_get_name(list->next->data), ==, TYPE_DOG);
    g_slist_free(list);
}

static void expect_parse_error(Object *obj, const char *name,
                               const char *value, const char *message)
{
    Error *err = NULL;

    g_assert_false(object_property_parse(obj, name, value, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, message);
    error_free(err);
}

static void test_property_parse(void)
{
    Object *obj = object_new(TYPE_DOG);
    Animal *a = (Animal *)obj;
    g_autofree char *text = NULL;

    g_assert_true(object_property_parse(obj, "legs", "0x10", &error_fatal));
    g_assert_cmpuint(a->legs, ==, 16);
    g_assert_true(object_property_parse(obj, "mood", "-128", &error_fatal));
    g_assert_cmpint(a->mood, ==, -128);
    g_assert_true(object_property_parse(obj, "tame", "on", &error_fatal));
    g_assert_true(a->tame);
    g_assert_true(object_property_parse(obj, "tame", "no", &error_fatal));
    g_assert_false(a->tame);
    g_assert_true(object_property_parse(obj, "weight", "16M", &error_fatal));
    g_assert_cmpuint(a->weight, ==, 16 * 1024 * 1024);
    g_assert_true(object_property_parse(obj, "weight", "1.5k", &error_fatal));
    g_assert_cmpuint(a->weight, ==, 1536);
    g_assert_true(object_property_parse(obj, "name", "rex", &error_fatal));
    g_assert_cmpstr(a->name, ==, "rex");
    g_assert_true(object_property_parse(obj, "colour", "white", &error_fatal));
    g_assert_cmpint(a->colour, ==, 1);
    g_assert_true(object_property_parse(obj, "tricks", "65535", &error_fatal));
    g_assert_cmpuint(((Dog *)obj)->tricks, ==, 65535);

    text = object_property_print(obj, "weight", &error_fatal);
    g_assert_cmpstr(text, ==, "1536");
    g_free(text);
    text = object_property_print(obj, "colour", &error_fatal);
    g_assert_cmpstr(text, ==, "white");

    expect_parse_error(obj, "legs", "-1",
                       "property 'test-dog.legs' expects a number from 0 to "
                       "4294967295, not '-1'");
    expect_parse_error(obj, "tricks", "65536",
                       "property 'test-dog.tricks' expects a number from 0 "
                       "to 65535, not '65536'");
    expect_parse_error(obj, "mood", "200",
                       "property 'test-dog.mood' expects a number from -128 "
                       "to 127, not '200'");
    expect_parse_error(obj, "tame", "maybe",
                       "property 'test-dog.tame' expects 'on' or 'off', not "
                       "'maybe'");
    expect_parse_error(obj, "weight", "16Q",
                       "property 'test-dog.weight' expects a size (a number "
                       "with an optional k, M, G, T, P or E suffix), not "
                       "'16Q'");
    /* QEMU's words for an enumeration. */
    expect_parse_error(obj, "colour", "green",
                       "Parameter 'colour' does not accept value 'green'");
    expect_parse_error(obj, "wings", "2", "'test-dog' has no property 'wings'");
    /* Failed parses leave the old value. */
    g_assert_cmpuint(a->legs, ==, 16);
    object_unref(obj);
}

static void test_property_help(void)
{
    GString *out = g_string_new(NULL);

    object_class_print_properties(object_class_by_name(TYPE_DOG), out);
    g_assert_cmpstr(out->str, ==,
        "  colour=<black|white|brown> - fur colour (default: brown)\n"
        "  friend=<link<test-animal>>\n"
        "  legs=<uint32>          - number of legs (default: 4)\n"
        "  mood=<int8>            -  (default: -1)\n"
        "  name=<str>\n"
        "  tame=<bool>            - tamed? (default: false)\n"
        "  tricks=<uint16>        -  (default: 0)\n"
        "  weight=<size>          -  (default: 0)\n");
    g_string_free(out, TRUE);
}

static void test_tree_and_links(void)
{
    Object *root = object_get_root();
    Object *zoo = container_get(root, "zoo");
    Object *a = object_new(TYPE_ANIMAL);
    Object *b = object_new(TYPE_DOG);
    Object *c;
    Error *err = NULL;
    g_autofree char *path = NULL;
    g_autofree char *link_text = NULL;

    g_assert_true(object_add_child(zoo, "a", a, &error_fatal));
    g_assert_true(object_add_child(zoo, "b", b, &error_fatal));
    c = object_new(TYPE_ANIMAL);
    g_assert_false(object_add_child(zoo, "a", c, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "an object named 'a' already exists in '/zoo'");
    error_free(err);
    err = NULL;
    object_unref(c);

    path = object_get_canonical_path(b);
    g_assert_cmpstr(path, ==, "/zoo/b");
    g_assert_true(object_resolve_path("/zoo/a") == a);
    g_assert_null(object_resolve_path("/zoo/c"));
    g_assert_true(container_get(root, "zoo") == zoo);

    g_assert_true(object_property_parse(b, "friend", "/zoo/a", &error_fatal));
    g_assert_true(object_property_get_link(b, "friend", &error_fatal) == a);
    link_text = object_property_print(b, "friend", &error_fatal);
    g_assert_cmpstr(link_text, ==, "/zoo/a");
    expect_parse_error(b, "friend", "/zoo/nothing",
                       "property 'test-dog.friend' expects the path or id of "
                       "a 'test-animal' object, not '/zoo/nothing'");
    g_assert_false(object_property_parse(b, "friend", "/zoo", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "property 'test-dog.friend' expects a 'test-animal' "
                    "object, not a 'container'");
    error_free(err);

    /* The tree holds its own reference. */
    object_unref(a);
    object_unref(b);
    g_assert_nonnull(object_resolve_path("/zoo/a"));
    object_unparent(zoo);
    g_assert_null(object_resolve_path("/zoo"));
}

static void test_typed_setters(void)
{
    Object *obj = object_new(TYPE_ANIMAL);
    Error *err = NULL;

    g_assert_true(object_property_set_uint(obj, "legs", 8, &error_fatal));
    g_assert_cmpuint(object_property_get_uint(obj, "legs", &error_fatal), ==,
                     8);
    g_assert_false(object_property_set_int(obj, "mood", 1000, &err));
    error_free(err);
    err = NULL;
    g_assert_false(object_property_set_bool(obj, "legs", true, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "property 'test-animal.legs' is of type <uint32>");
    error_free(err);
    object_unref(obj);
}

/* ---- devices ---- */

#define TYPE_TEST_DEV "test-device"

typedef struct TestDev {
    SysBusDevice parent_obj;
    uint32_t value;
    int resets;
    int irq_level;
    IRQLine *out;
    MemoryRegion mr;
} TestDev;

static bool test_dev_realize(DeviceState *dev, Error **errp)
{
    TestDev *s = (TestDev *)dev;

    if (s->value > 10) {
        error_setg(errp, "value %u is too large (at most 10)", s->value);
        return false;
    }
    return true;
}

static void test_dev_reset(DeviceState *dev)
{
    ((TestDev *)dev)->resets++;
}

static void test_dev_irq(void *opaque, int n, int level)
{
    ((TestDev *)opaque)->irq_level = level | (n << 4);
}

static const Property test_dev_props[] = {
    DEFINE_PROP_UINT("value", TestDev, value, 1, NULL),
};

static void test_dev_class_init(ObjectClass *klass)
{
    DEVICE_CLASS(klass)->realize = test_dev_realize;
    DEVICE_CLASS(klass)->reset = test_dev_reset;
    class_add_properties(klass, test_dev_props, ARRAY_SIZE(test_dev_props));
}

static const TypeInfo test_dev_types[] = {
    { .name = TYPE_TEST_DEV, .parent = TYPE_SYS_BUS_DEVICE,
      .instance_size = sizeof(TestDev), .class_init = test_dev_class_init },
};

DEFINE_TYPES(test_dev_types)

static void test_device_lifecycle(void)
{
    DeviceState *bad = qdev_new(TYPE_TEST_DEV);
    DeviceState *good = qdev_new(TYPE_TEST_DEV);
    BusState *bus = sysbus_get_default();
    Error *err = NULL;
    GString *tree = g_string_new(NULL);

    object_property_set_uint(OBJECT(bad), "value", 11, &error_fatal);
    g_assert_false(qdev_realize(bad, bus, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "value 11 is too large (at most 10)");
    error_free(err);
    g_assert_false(bad->realized);
    g_assert_null(bus->children);
    object_unref(OBJECT(bad));

    g_assert_true(qdev_realize_and_unref(good, bus, &error_fatal));
    g_assert_true(good->realized);
    bus_reset(bus);
    bus_reset(bus);
    g_assert_cmpint(((TestDev *)good)->resets, ==, 2);

    /* Pins: an input of one device drives the output of another. */
    qdev_init_gpio_in(good, test_dev_irq, 2);
    sysbus_init_irq(SYS_BUS_DEVICE(good), &((TestDev *)good)->out);
    sysbus_connect_irq(SYS_BUS_DEVICE(good), 0, qdev_get_gpio_in(good, 1));
    irq_raise(((TestDev *)good)->out);
    g_assert_cmpint(((TestDev *)good)->irq_level, ==, 0x11);
    irq_set_level(NULL, 1);      /* an unconnected pin is harmless */

    qdev_print_tree(bus, tree);
    g_assert_cmpstr(tree->str, ==,
                    "bus: main-system-bus\n"
                    "  type System\n"
                    "  dev: test-device, id \"\"\n"
                    "    gpio-in \"\" 2\n"
                    "    value = 1 (0x1)\n");
    g_string_free(tree, TRUE);
    qdev_unrealize(good);
    g_assert_null(bus->children);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qom/inheritance", test_inheritance);
    g_test_add_func("/qom/class-list", test_class_list);
    g_test_add_func("/qom/property/parse", test_property_parse);
    g_test_add_func("/qom/property/help", test_property_help);
    g_test_add_func("/qom/property/typed", test_typed_setters);
    g_test_add_func("/qom/tree-and-links", test_tree_and_links);
    g_test_add_func("/qom/device/lifecycle", test_device_lifecycle);
    return g_test_run();
}
