/*
 * The object model: type registry, classes, instances, the object tree.
 * Properties live in qom/property.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "qom/object.h"
#include "qom-internal.h"

struct TypeImpl {
    TypeInfo info;
    TypeImpl *parent;
    size_t instance_size;
    size_t class_size;
    ObjectClass *klass;          /* built on first use */
};

static GHashTable *type_table;   /* name -> TypeImpl * */

static GHashTable *types(void)
{
    if (!type_table) {
        type_table = g_hash_table_new(g_str_hash, g_str_equal);
    }
    return type_table;
}

void type_register_static(const TypeInfo *info)
{
    TypeImpl *ti;

    /* Two types of one name are a programming error: fail loudly. */
    if (g_hash_table_contains(types(), info->name)) {
        fprintf(stderr, "type '%s' registered twice\n", info->name);
        abort();
    }
    ti = g_new0(TypeImpl, 1);
    ti->info = *info;
    g_hash_table_insert(types(), (gpointer)info->name, ti);
}

void type_register_static_array(const TypeInfo *infos, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        type_register_static(&infos[i]);
    }
}

static TypeImpl *type_lookup(const char *name)
{
    return name ? g_hash_table_lookup(types(), name) : NULL;
}

/* Resolves the parent chain and builds the class, parents first. */
static void type_initialize(TypeImpl *ti)
{
    TypeImpl *parent;
    ObjectClass *klass;

    if (ti->klass) {
        return;
    }
    parent = type_lookup(ti->info.parent);
    if (ti->info.parent && !parent) {
        fprintf(stderr, "type '%s' has unknown parent '%s'\n",
                ti->info.name, ti->info.parent);
        abort();
    }
    ti->parent = parent;
    if (parent) {
        type_initialize(parent);
    }
    ti->class_size = ti->info.class_size ? ti->info.class_size :
                     parent ? parent->class_size : sizeof(ObjectClass);
    ti->instance_size = ti->info.instance_size ? ti->info.instance_size :
                        parent ? parent->instance_size : sizeof(Object);
    g_assert(!parent || ti->class_size >= parent->class_size);
    g_assert(!parent || ti->instance_size >= parent->instance_size);

    klass = g_malloc0(ti->class_size);
    if (parent) {
        /* A class starts as a copy of its parent's; it overrides what it
         * needs in class_init.  Properties are per class, not copied. */
        memcpy(klass, parent->klass, parent->class_size);
    }
    klass->type = ti;
    klass->props = g_ptr_array_new();
    ti->klass = klass;
    if (ti->info.class_init) {
        ti->info.class_init(klass);
    }
}

ObjectClass *object_class_by_name(const char *typename)
{
    TypeImpl *ti = type_lookup(typename);

    if (!ti) {
        return NULL;
    }
    type_initialize(ti);
    return ti->klass;
}

const char *object_class_get_name(const ObjectClass *klass)
{
    return klass->type->info.name;
}

ObjectClass *object_class_get_parent(const ObjectClass *klass)
{
    TypeImpl *parent = klass->type->parent;

    return parent ? parent->klass : NULL;
}

bool object_class_is_abstract(const ObjectClass *klass)
{
    return klass->type->info.abstract;
}

ObjectClass *object_class_dynamic_cast(ObjectClass *klass,
                                       const char *typename)
{
    if (!klass) {
        return NULL;
    }
    if (object_class_cast_cached(klass, typename)) {
        return klass;
    }
    for (TypeImpl *ti = klass->type; ti; ti = ti->parent) {
        if (!strcmp(ti->info.name, typename)) {
            /* Racing vCPU threads may overwrite each other's entry: any
             * entry left there is a true answer, so that is harmless. */
            for (int i = OBJECT_CLASS_CAST_CACHE - 1; i > 0; i--) {
                __atomic_store_n(&klass->cast_cache[i],
                                 __atomic_load_n(&klass->cast_cache[i - 1],
                                                 __ATOMIC_RELAXED),
                                 __ATOMIC_RELAXED);
            }
            __atomic_store_n(&klass->cast_cache[0], typename,
                             __ATOMIC_RELAXED);
            return klass;
        }
    }
    return NULL;
}

ObjectClass *object_class_dynamic_cast_assert(ObjectClass *klass,
                                              const char *typename,
                                              const char *file, int line)
{
    ObjectClass *ret = object_class_dynamic_cast(klass, typename);

    if (!ret) {
        fprintf(stderr, "%s:%d: class '%s' is not a '%s'\n", file, line,
                klass ? object_class_get_name(klass) : "(null)", typename);
        abort();
    }
    return ret;
}

static gint compare_class_names(gconstpointer a, gconstpointer b)
{
    return strcmp(object_class_get_name(a), object_class_get_name(b));
}

GSList *object_class_get_list_sorted(const char *implements_type,
                                     bool include_abstract)
{
    GSList *list = NULL;
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init(&iter, types());
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        TypeImpl *ti = value;

        type_initialize(ti);
        if ((!include_abstract && ti->info.abstract) ||
            (implements_type &&
             !object_class_dynamic_cast(ti->klass, implements_type))) {
            continue;
        }
        list = g_slist_prepend(list, ti->klass);
    }
    return g_slist_sort(list, compare_class_names);
}

/* ---- instances ---- */

static void object_init_with_type(Object *obj, TypeImpl *ti)
{
    if (ti->parent) {
        object_init_with_type(obj, ti->parent);
    }
    if (ti->info.instance_init) {
        ti->info.instance_init(obj);
    }
}

Object *object_new_with_class(ObjectClass *klass)
{
    TypeImpl *ti = klass->type;
    Object *obj;

    g_assert(!ti->info.abstract);
    obj = g_malloc0(ti->instance_size);
    obj->klass = klass;
    obj->ref = 1;
    obj->children = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                          NULL);
    object_property_set_defaults(obj);
    object_init_with_type(obj, ti);
    return obj;
}

Object *object_new(const char *typename)
{
    ObjectClass *klass = object_class_by_name(typename);

    g_assert(klass);
    return object_new_with_class(klass);
}

void object_ref(Object *obj)
{
    obj->ref++;
}

static void object_finalize(Object *obj)
{
    GSList *children = object_get_children_sorted(obj);

    for (GSList *l = children; l; l = l->next) {
        object_unparent(l->data);
    }
    g_slist_free(children);
    for (TypeImpl *ti = obj->klass->type; ti; ti = ti->parent) {
        if (ti->info.instance_finalize) {
            ti->info.instance_finalize(obj);
        }
    }
    object_property_free_values(obj);
    g_hash_table_unref(obj->children);
    g_free(obj->name);
    g_free(obj);
}

void object_unref(Object *obj)
{
    if (obj && --obj->ref == 0) {
        object_finalize(obj);
    }
}

const char *object_get_typename(const Object *obj)
{
    return object_class_get_name(obj->klass);
}

Object *object_dynamic_cast(Object *obj, const char *typename)
{
    return obj && object_class_dynamic_cast(obj->klass, typename) ? obj : NULL;
}

Object *object_dynamic_cast_assert(Object *obj, const char *typename,
                                   const char *file, int line)
{
    if (!object_dynamic_cast(obj, typename)) {
        fprintf(stderr, "%s:%d: object of type '%s' is not a '%s'\n", file,
                line, obj ? object_get_typename(obj) : "(null)", typename);
        abort();
    }
    return obj;
}

/* ---- the tree ---- */

Object *object_get_root(void)
{
    static Object *root;

    if (!root) {
        root = object_new(TYPE_CONTAINER);
    }
    return root;
}

bool object_add_child(Object *parent, const char *name, Object *child,
                      Error **errp)
{
    g_assert(!child->parent);
    if (!name[0] || strchr(name, '/')) {
        error_setg(errp, "invalid object name '%s'", name);
        return false;
    }
    if (g_hash_table_contains(parent->children, name)) {
        char *path = object_get_canonical_path(parent);

        error_setg(errp, "an object named '%s' already exists in '%s'", name,
                   path ? path : "(detached)");
        g_free(path);
        return false;
    }
    object_ref(child);
    child->parent = parent;
    child->name = g_strdup(name);
    g_hash_table_insert(parent->children, g_strdup(name), child);
    return true;
}

void object_unparent(Object *child)
{
    Object *parent = child->parent;

    if (!parent) {
        return;
    }
    g_hash_table_remove(parent->children, child->name);
    child->parent = NULL;
    object_unref(child);
}

Object *object_get_child(Object *parent, const char *name)
{
    return g_hash_table_lookup(parent->children, name);
}

static gint compare_object_names(gconstpointer a, gconstpointer b)
{
    return strcmp(((const Object *)a)->name, ((const Object *)b)->name);
}

GSList *object_get_children_sorted(Object *parent)
{
    GSList *list = NULL;
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init(&iter, parent->children);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        list = g_slist_prepend(list, value);
    }
    return g_slist_sort(list, compare_object_names);
}

Object *container_get(Object *parent, const char *name)
{
    Object *child = object_get_child(parent, name);

    if (!child) {
        child = object_new(TYPE_CONTAINER);
        object_add_child(parent, name, child, &error_fatal);
        object_unref(child);
    }
    return child;
}

char *object_get_canonical_path(Object *obj)
{
    Object *root = object_get_root();
    GString *path = g_string_new(NULL);

    if (obj == root) {
        g_string_free(path, TRUE);
        return g_strdup("/");
    }
    for (; obj != root; obj = obj->parent) {
        if (!obj->parent) {
            g_string_free(path, TRUE);
            return NULL;
        }
        g_string_prepend(path, obj->name);
        g_string_prepend_c(path, '/');
    }
    return g_string_free(path, FALSE);
}

Object *object_resolve_path(const char *path)
{
    g_auto(GStrv) parts = NULL;
    Object *obj = object_get_root();

    if (path[0] != '/') {
        return NULL;
    }
    parts = g_strsplit(path + 1, "/", -1);
    for (char **p = parts; *p && obj; p++) {
        if (**p) {
            obj = object_get_child(obj, *p);
        }
    }
    return obj;
}

static const TypeInfo base_types[] = {
    { .name = TYPE_OBJECT, .instance_size = sizeof(Object),
      .class_size = sizeof(ObjectClass), .abstract = true },
    { .name = TYPE_CONTAINER, .parent = TYPE_OBJECT },
};

DEFINE_TYPES(base_types)
