/*
 * Typed properties: one Property record describes a field of an instance
 * struct; defaults, parsing from text, printing and help come from it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "qom/object.h"
#include "util/cutils.h"
#include "qom-internal.h"

/* ---- declaration ---- */

void class_add_properties(ObjectClass *klass, const Property *props,
                          size_t count)
{
    for (size_t i = 0; i < count; i++) {
        g_ptr_array_add(klass->props, (gpointer)&props[i]);
    }
}

const Property *object_class_find_property(ObjectClass *klass,
                                           const char *name)
{
    for (; klass; klass = object_class_get_parent(klass)) {
        for (guint i = 0; i < klass->props->len; i++) {
            const Property *prop = g_ptr_array_index(klass->props, i);

            if (!strcmp(prop->name, name)) {
                return prop;
            }
        }
    }
    return NULL;
}

static gint compare_prop_names(gconstpointer a, gconstpointer b)
{
    const Property *pa = *(const Property *const *)a;
    const Property *pb = *(const Property *const *)b;

    return strcmp(pa->name, pb->name);
}

GPtrArray *object_class_get_properties_declared(ObjectClass *klass)
{
    GPtrArray *all = g_ptr_array_new();

    for (; klass; klass = object_class_get_parent(klass)) {
        for (guint i = 0; i < klass->props->len; i++) {
            g_ptr_array_add(all, g_ptr_array_index(klass->props, i));
        }
    }
    return all;
}

GPtrArray *object_class_get_properties(ObjectClass *klass)
{
    GPtrArray *all = object_class_get_properties_declared(klass);

    g_ptr_array_sort(all, compare_prop_names);
    return all;
}

/* ---- field access ---- */

static void *field(Object *obj, const Property *prop)
{
    return (char *)obj + prop->offset;
}

static uint64_t load_uint(Object *obj, const Property *prop)
{
    void *p = field(obj, prop);

    switch (prop->width) {
    case 1: return *(uint8_t *)p;
    case 2: return *(uint16_t *)p;
    case 4: return *(uint32_t *)p;
    default: return *(uint64_t *)p;
    }
}

static int64_t load_int(Object *obj, const Property *prop)
{
    void *p = field(obj, prop);

    switch (prop->width) {
    case 1: return *(int8_t *)p;
    case 2: return *(int16_t *)p;
    case 4: return *(int32_t *)p;
    default: return *(int64_t *)p;
    }
}

static void store_uint(Object *obj, const Property *prop, uint64_t v)
{
    void *p = field(obj, prop);

    switch (prop->width) {
    case 1: *(uint8_t *)p = v; break;
    case 2: *(uint16_t *)p = v; break;
    case 4: *(uint32_t *)p = v; break;
    default: *(uint64_t *)p = v; break;
    }
}

static uint64_t uint_max(const Property *prop)
{
    return prop->width >= 8 ? UINT64_MAX : (1ULL << (prop->width * 8)) - 1;
}

static int64_t int_max(const Property *prop)
{
    return prop->width >= 8 ? INT64_MAX : (1LL << (prop->width * 8 - 1)) - 1;
}

static int64_t int_min(const Property *prop)
{
    return -int_max(prop) - 1;
}

static void store_string(Object *obj, const Property *prop, const char *s)
{
    char **p = field(obj, prop);

    g_free(*p);
    *p = g_strdup(s);
}

static void store_link(Object *obj, const Property *prop, Object *target)
{
    Object **p = field(obj, prop);

    if (target) {
        object_ref(target);
    }
    object_unref(*p);
    *p = target;
}

void object_property_set_defaults(Object *obj)
{
    GPtrArray *props = object_class_get_properties(obj->klass);

    for (guint i = 0; i < props->len; i++) {
        const Property *prop = g_ptr_array_index(props, i);

        switch (prop->kind) {
        case PROP_KIND_BOOL:
            *(bool *)field(obj, prop) = prop->defval.b;
            break;
        case PROP_KIND_UINT:
        case PROP_KIND_SIZE:
        case PROP_KIND_INT:
            store_uint(obj, prop, prop->defval.u);
            break;
        case PROP_KIND_ENUM:
            *(int *)field(obj, prop) = prop->defval.i;
            break;
        case PROP_KIND_STRING:
            store_string(obj, prop, prop->defval.s);
            break;
        case PROP_KIND_LINK:
            break;
        }
    }
    g_ptr_array_unref(props);
}

void object_property_free_values(Object *obj)
{
    GPtrArray *props = object_class_get_properties(obj->klass);

    for (guint i = 0; i < props->len; i++) {
        const Property *prop = g_ptr_array_index(props, i);

        if (prop->kind == PROP_KIND_STRING) {
            store_string(obj, prop, NULL);
        } else if (prop->kind == PROP_KIND_LINK) {
            store_link(obj, prop, NULL);
        }
    }
    g_ptr_array_unref(props);
}

const char *const on_off_auto_names[] = { "auto", "on", "off", NULL };

/* ---- description ---- */

static char *enum_choices(const Property *prop, const char *sep)
{
    return g_strjoinv(sep, (char **)prop->enum_names);
}

char *property_type_name(const Property *prop)
{
    g_autofree char *choices = NULL;

    switch (prop->kind) {
    case PROP_KIND_BOOL:
        return g_strdup("<bool>");
    case PROP_KIND_UINT:
        return g_strdup_printf("<uint%u>", prop->width * 8);
    case PROP_KIND_INT:
        return g_strdup_printf("<int%u>", prop->width * 8);
    case PROP_KIND_SIZE:
        return g_strdup("<size>");
    case PROP_KIND_STRING:
        return g_strdup("<str>");
    case PROP_KIND_LINK:
        return g_strdup_printf("<link<%s>>", prop->link_type);
    case PROP_KIND_ENUM:
        if (prop->enum_type) {
            return g_strdup_printf("<%s>", prop->enum_type);
        }
        choices = enum_choices(prop, "|");
        return g_strdup_printf("<%s>", choices);
    }
    g_assert_not_reached();
}

char *property_object_type_name(const Property *prop)
{
    return prop->kind == PROP_KIND_STRING ? g_strdup("<string>")
                                          : property_type_name(prop);
}

char *property_default_string(const Property *prop)
{
    switch (prop->kind) {
    case PROP_KIND_BOOL:
        return g_strdup(prop->defval.b ? "true" : "false");
    case PROP_KIND_UINT:
    case PROP_KIND_SIZE:
        return g_strdup_printf("%" PRIu64, prop->defval.u);
    case PROP_KIND_INT:
        return g_strdup_printf("%" PRId64, prop->defval.i);
    case PROP_KIND_STRING:
        return prop->defval.s ? g_strdup_printf("\"%s\"", prop->defval.s)
                              : NULL;
    case PROP_KIND_ENUM:
        return g_strdup(prop->enum_names[prop->defval.i]);
    case PROP_KIND_LINK:
        return NULL;
    }
    g_assert_not_reached();
}

/* One help line: the name and type padded to 24 columns when a help
 * text or default follows, as QEMU pads them. */
static void print_property(const Property *prop, const char *type,
                           const char *def, GString *out)
{
    g_autofree char *name = g_strdup_printf("%s=%s", prop->name, type);

    if (prop->help || def) {
        g_string_append_printf(out, "  %-22s - %s", name,
                               prop->help ? prop->help : "");
    } else {
        g_string_append_printf(out, "  %s", name);
    }
    if (def) {
        g_string_append_printf(out, " (default: %s)", def);
    }
    g_string_append_c(out, '\n');
}

void object_class_print_properties(ObjectClass *klass, GString *out)
{
    GPtrArray *props = object_class_get_properties(klass);

    for (guint i = 0; i < props->len; i++) {
        const Property *prop = g_ptr_array_index(props, i);
        g_autofree char *type = property_type_name(prop);
        g_autofree char *def = property_default_string(prop);

        print_property(prop, type, def, out);
    }
    g_ptr_array_unref(props);
}

void object_class_print_object_options(ObjectClass *klass, GString *out)
{
    GPtrArray *props = object_class_get_properties(klass);

    for (guint i = 0; i < props->len; i++) {
        const Property *prop = g_ptr_array_index(props, i);
        g_autofree char *type = property_object_type_name(prop);

        if (!prop->read_only) {
            print_property(prop, type, NULL, out);
        }
    }
    g_ptr_array_unref(props);
}

/* ---- setting and getting ---- */

static const Property *find_or_error(Object *obj, const char *name,
                                     Error **errp)
{
    const Property *prop = object_class_find_property(obj->klass, name);

    if (!prop) {
        GPtrArray *props = object_class_get_properties(obj->klass);
        GString *names = g_string_new(NULL);

        for (guint i = 0; i < props->len; i++) {
            const Property *p = g_ptr_array_index(props, i);

            g_string_append_printf(names, "%s%s", i ? ", " : "", p->name);
        }
        error_setg(errp, "'%s' has no property '%s'", object_get_typename(obj),
                   name);
        if (props->len) {
            error_append_hint(errp, "Its properties are: %s\n", names->str);
        } else {
            error_append_hint(errp, "It has no properties.\n");
        }
        g_string_free(names, TRUE);
        g_ptr_array_unref(props);
    }
    return prop;
}

static void kind_error(Object *obj, const Property *prop, const char *value,
                       const char *expected, Error **errp)
{
    error_setg(errp, "property '%s.%s' expects %s, not '%s'",
               object_get_typename(obj), prop->name, expected, value);
}

/* Finds "/machine/peripheral/ID" for a bare id, else an absolute path. */
static Object *resolve_link_target(const char *value)
{
    g_autofree char *path = NULL;

    if (value[0] == '/') {
        return object_resolve_path(value);
    }
    path = g_strdup_printf("/machine/peripheral/%s", value);
    return object_resolve_path(path);
}

/* QEMU's words for a property that has no setter. */
static bool check_writable(Object *obj, const Property *prop, Error **errp)
{
    if (prop->read_only) {
        error_setg(errp, "Property '%s.%s' is not writable",
                   object_get_typename(obj), prop->name);
        return false;
    }
    return true;
}

bool object_property_parse(Object *obj, const char *name, const char *value,
                           Error **errp)
{
    const Property *prop = find_or_error(obj, name, errp);
    g_autofree char *expected = NULL;
    uint64_t u;
    int64_t i;
    bool b;

    if (!prop || !check_writable(obj, prop, errp)) {
        return false;
    }
    switch (prop->kind) {
    case PROP_KIND_BOOL:
        if (!parse_bool(value, &b)) {
            kind_error(obj, prop, value, "'on' or 'off'", errp);
            return false;
        }
        *(bool *)field(obj, prop) = b;
        return true;
    case PROP_KIND_UINT:
        if (!parse_uint64(value, &u) || u > uint_max(prop)) {
            expected = g_strdup_printf("a number from 0 to %" PRIu64,
                                       uint_max(prop));
            kind_error(obj, prop, value, expected, errp);
            return false;
        }
        store_uint(obj, prop, u);
        return true;
    case PROP_KIND_INT:
        if (!parse_int64(value, &i) || i < int_min(prop) || i > int_max(prop)) {
            expected = g_strdup_printf("a number from %" PRId64 " to %" PRId64,
                                       int_min(prop), int_max(prop));
            kind_error(obj, prop, value, expected, errp);
            return false;
        }
        store_uint(obj, prop, (uint64_t)i);
        return true;
    case PROP_KIND_SIZE:
        if (!parse_size(value, 0, &u)) {
            kind_error(obj, prop, value, "a size (a number with an optional "
                       "k, M, G, T, P or E suffix)", errp);
            return false;
        }
        store_uint(obj, prop, u);
        return true;
    case PROP_KIND_STRING:
        store_string(obj, prop, value);
        return true;
    case PROP_KIND_ENUM:
        for (int n = 0; prop->enum_names[n]; n++) {
            if (!strcmp(prop->enum_names[n], value)) {
                *(int *)field(obj, prop) = n;
                return true;
            }
        }
        /* QEMU's words for an enumeration (its QAPI input visitor). */
        error_setg(errp, "Parameter '%s' does not accept value '%s'",
                   prop->name, value);
        return false;
    case PROP_KIND_LINK:
        if (!resolve_link_target(value)) {
            expected = g_strdup_printf("the path or id of a '%s' object",
                                       prop->link_type);
            kind_error(obj, prop, value, expected, errp);
            return false;
        }
        return object_property_set_link(obj, name, resolve_link_target(value),
                                        errp);
    }
    g_assert_not_reached();
}

char *object_property_print(Object *obj, const char *name, Error **errp)
{
    const Property *prop = find_or_error(obj, name, errp);
    Object *target;
    char *s;

    if (!prop) {
        return NULL;
    }
    switch (prop->kind) {
    case PROP_KIND_BOOL:
        return g_strdup(*(bool *)field(obj, prop) ? "on" : "off");
    case PROP_KIND_UINT:
    case PROP_KIND_SIZE:
        return g_strdup_printf("%" PRIu64, load_uint(obj, prop));
    case PROP_KIND_INT:
        return g_strdup_printf("%" PRId64, load_int(obj, prop));
    case PROP_KIND_STRING:
        s = *(char **)field(obj, prop);
        return g_strdup(s ? s : "");
    case PROP_KIND_ENUM:
        return g_strdup(prop->enum_names[*(int *)field(obj, prop)]);
    case PROP_KIND_LINK:
        target = *(Object **)field(obj, prop);
        s = target ? object_get_canonical_path(target) : NULL;
        return s ? s : g_strdup("");
    }
    g_assert_not_reached();
}

static const Property *find_kind(Object *obj, const char *name,
                                 PropertyKind kind, Error **errp)
{
    const Property *prop = find_or_error(obj, name, errp);

    if (prop && prop->kind != kind &&
        !(kind == PROP_KIND_UINT && prop->kind == PROP_KIND_SIZE)) {
        g_autofree char *type = property_type_name(prop);

        error_setg(errp, "property '%s.%s' is of type %s",
                   object_get_typename(obj), name, type);
        return NULL;
    }
    return prop;
}

/* find_kind() for the setters. */
static const Property *find_settable(Object *obj, const char *name,
                                     PropertyKind kind, Error **errp)
{
    const Property *prop = find_kind(obj, name, kind, errp);

    return prop && check_writable(obj, prop, errp) ? prop : NULL;
}

bool object_property_set_bool(Object *obj, const char *name, bool value,
                              Error **errp)
{
    const Property *prop = find_settable(obj, name, PROP_KIND_BOOL, errp);

    if (prop) {
        *(bool *)field(obj, prop) = value;
    }
    return prop != NULL;
}

bool object_property_set_int(Object *obj, const char *name, int64_t value,
                             Error **errp)
{
    const Property *prop = find_settable(obj, name, PROP_KIND_INT, errp);

    if (prop && (value < int_min(prop) || value > int_max(prop))) {
        error_setg(errp, "property '%s.%s' expects a number from %" PRId64
                   " to %" PRId64 ", not %" PRId64, object_get_typename(obj),
                   name, int_min(prop), int_max(prop), value);
        return false;
    }
    if (prop) {
        store_uint(obj, prop, (uint64_t)value);
    }
    return prop != NULL;
}

bool object_property_set_uint(Object *obj, const char *name, uint64_t value,
                              Error **errp)
{
    const Property *prop = find_settable(obj, name, PROP_KIND_UINT, errp);

    if (prop && value > uint_max(prop)) {
        error_setg(errp, "property '%s.%s' expects a number from 0 to %"
                   PRIu64 ", not %" PRIu64, object_get_typename(obj), name,
                   uint_max(prop), value);
        return false;
    }
    if (prop) {
        store_uint(obj, prop, value);
    }
    return prop != NULL;
}

bool object_property_set_str(Object *obj, const char *name, const char *value,
                             Error **errp)
{
    const Property *prop = find_settable(obj, name, PROP_KIND_STRING, errp);

    if (prop) {
        store_string(obj, prop, value);
    }
    return prop != NULL;
}

bool object_property_set_link(Object *obj, const char *name, Object *target,
                              Error **errp)
{
    const Property *prop = find_settable(obj, name, PROP_KIND_LINK, errp);

    if (!prop) {
        return false;
    }
    if (!target) {
        error_setg(errp, "property '%s.%s' cannot link to nothing",
                   object_get_typename(obj), name);
        return false;
    }
    if (!object_dynamic_cast(target, prop->link_type)) {
        error_setg(errp, "property '%s.%s' expects a '%s' object, not a '%s'",
                   object_get_typename(obj), name, prop->link_type,
                   object_get_typename(target));
        return false;
    }
    store_link(obj, prop, target);
    return true;
}

bool object_property_get_bool(Object *obj, const char *name, Error **errp)
{
    const Property *prop = find_kind(obj, name, PROP_KIND_BOOL, errp);

    return prop ? *(bool *)field(obj, prop) : false;
}

int64_t object_property_get_int(Object *obj, const char *name, Error **errp)
{
    const Property *prop = find_kind(obj, name, PROP_KIND_INT, errp);

    return prop ? load_int(obj, prop) : 0;
}

uint64_t object_property_get_uint(Object *obj, const char *name,
                                  Error **errp)
{
    const Property *prop = find_kind(obj, name, PROP_KIND_UINT, errp);

    return prop ? load_uint(obj, prop) : 0;
}

char *object_property_get_str(Object *obj, const char *name, Error **errp)
{
    const Property *prop = find_kind(obj, name, PROP_KIND_STRING, errp);

    return prop ? g_strdup(*(char **)field(obj, prop)) : NULL;
}

Object *object_property_get_link(Object *obj, const char *name,
                                 Error **errp)
{
    const Property *prop = find_kind(obj, name, PROP_KIND_LINK, errp);

    return prop ? *(Object **)field(obj, prop) : NULL;
}
