/*
 * The object model: types with single inheritance, classes, typed
 * properties and a tree of named objects.
 *
 * A type is described by a TypeInfo and registered from a constructor
 * with type_init().  An instance starts with its parent's instance struct
 * (Object first), a class starts with its parent's class struct
 * (ObjectClass first), so a pointer can be cast up the chain.
 *
 * Properties are declared on the class as Property records that describe
 * a field of the instance struct; parsing, printing, defaults and help
 * text come from that one description.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef QOM_OBJECT_H
#define QOM_OBJECT_H

#include "util/osdep.h"
#include "util/error.h"

typedef struct Object Object;
typedef struct ObjectClass ObjectClass;
typedef struct TypeImpl TypeImpl;
typedef struct Property Property;

#define TYPE_OBJECT "object"
#define TYPE_CONTAINER "container"

typedef struct TypeInfo {
    const char *name;
    const char *parent;          /* NULL only for TYPE_OBJECT */
    size_t instance_size;        /* 0: same as parent */
    size_t class_size;           /* 0: same as parent */
    bool abstract;               /* abstract types cannot be instantiated */
    void (*class_init)(ObjectClass *klass);
    void (*instance_init)(Object *obj);
    void (*instance_finalize)(Object *obj);
} TypeInfo;

#define OBJECT_CLASS_CAST_CACHE 4

struct ObjectClass {
    TypeImpl *type;
    const char *desc;            /* one line, shown by "-device help" */
    GPtrArray *props;            /* Property * declared by this class only */
    /* Type names (by address) this class was last cast to successfully:
     * casts on hot paths (CPU_GET_CLASS in the vCPU loop) then cost a
     * pointer compare instead of a walk with strcmp. */
    const char *cast_cache[OBJECT_CLASS_CAST_CACHE];
    /* Set by the types -object may create (QEMU's user-creatable ones):
     * called once the object's properties are set and it is in the
     * tree; an error means the object is unusable. */
    bool (*complete)(Object *obj, Error **errp);
};

struct Object {
    ObjectClass *klass;
    unsigned ref;
    Object *parent;              /* in the object tree; NULL if detached */
    char *name;                  /* name under parent */
    GHashTable *children;        /* name -> Object *, owned references */
};

/* Registers a type; normally called from a type_init() constructor. */
void type_register_static(const TypeInfo *info);

void type_register_static_array(const TypeInfo *infos, size_t count);

/*
 * The one registration hook: registers a file's array of TypeInfo at
 * program start, before main().  Sources are linked whole, so every
 * DEFINE_TYPES in the tree runs.
 */
#define DEFINE_TYPES(infos)                                          \
    static void __attribute__((constructor)) register_##infos(void)  \
    {                                                                \
        type_register_static_array(infos, ARRAY_SIZE(infos));        \
    }

ObjectClass *object_class_by_name(const char *typename);
const char *object_class_get_name(const ObjectClass *klass);
ObjectClass *object_class_get_parent(const ObjectClass *klass);
bool object_class_is_abstract(const ObjectClass *klass);
/* Returns klass if it is typename or derives from it, else NULL. */
ObjectClass *object_class_dynamic_cast(ObjectClass *klass,
                                       const char *typename);
/* All non-abstract (unless include_abstract) classes derived from
 * implements_type (NULL: all), sorted by name.  Free with g_slist_free. */
GSList *object_class_get_list_sorted(const char *implements_type,
                                     bool include_abstract);

/* Creates an instance with one reference; its properties at defaults. */
Object *object_new(const char *typename);
Object *object_new_with_class(ObjectClass *klass);
void object_ref(Object *obj);
void object_unref(Object *obj);

const char *object_get_typename(const Object *obj);
/* Returns obj if it is an instance of typename (or derived), else NULL. */
Object *object_dynamic_cast(Object *obj, const char *typename);
/* Like object_dynamic_cast, but aborts on a mismatch: a programming error. */
Object *object_dynamic_cast_assert(Object *obj, const char *typename,
                                   const char *file, int line);
ObjectClass *object_class_dynamic_cast_assert(ObjectClass *klass,
                                              const char *typename,
                                              const char *file, int line);

#define OBJECT(obj) ((Object *)(obj))
#define OBJECT_CLASS(klass) ((ObjectClass *)(klass))
#define OBJECT_GET_CLASS(obj) (OBJECT(obj)->klass)
/* Whether klass was recently cast to typename: the casts' fast path. */
static inline bool object_class_cast_cached(const ObjectClass *klass,
                                            const char *typename)
{
    for (int i = 0; i < OBJECT_CLASS_CAST_CACHE; i++) {
        if (__atomic_load_n(&klass->cast_cache[i], __ATOMIC_RELAXED) ==
            typename) {
            return true;
        }
    }
    return false;
}

static inline Object *object_cast_checked(Object *obj, const char *typename,
                                          const char *file, int line)
{
    if (obj && object_class_cast_cached(obj->klass, typename)) {
        return obj;
    }
    return object_dynamic_cast_assert(obj, typename, file, line);
}

static inline ObjectClass *object_class_cast_checked(ObjectClass *klass,
                                                     const char *typename,
                                                     const char *file,
                                                     int line)
{
    if (klass && object_class_cast_cached(klass, typename)) {
        return klass;
    }
    return object_class_dynamic_cast_assert(klass, typename, file, line);
}

/* Checked downcasts: INSTANCE_CAST(MyState, obj, TYPE_MY).  After the
 * first success a cast is a few pointer compares, inline. */
#define INSTANCE_CAST(type, obj, name) \
    ((type *)object_cast_checked(OBJECT(obj), (name), __FILE__, __LINE__))
#define CLASS_CAST(type, klass, name) \
    ((type *)object_class_cast_checked(OBJECT_CLASS(klass), (name), \
                                       __FILE__, __LINE__))

/* ---- the object tree ---- */

/* "/" : the root container; "/machine" and the rest hang below it. */
Object *object_get_root(void);
/* Adds child under parent as name, taking a reference.  A duplicate name
 * is an error. */
bool object_add_child(Object *parent, const char *name, Object *child,
                      Error **errp);
/* Detaches child from its parent, dropping the tree's reference. */
void object_unparent(Object *child);
Object *object_get_child(Object *parent, const char *name);
/* Children sorted by name.  Free the list with g_slist_free. */
GSList *object_get_children_sorted(Object *parent);
/* Returns the child container "name" of parent, creating it if missing. */
Object *container_get(Object *parent, const char *name);
/* "/machine/peripheral/foo"; NULL when obj is not in the tree. */
char *object_get_canonical_path(Object *obj);
/* Absolute path from the root; NULL if nothing is there. */
Object *object_resolve_path(const char *path);

/* ---- properties ---- */

typedef enum PropertyKind {
    PROP_KIND_BOOL,
    PROP_KIND_INT,      /* signed, field of width 1/2/4/8 bytes */
    PROP_KIND_UINT,     /* unsigned, field of width 1/2/4/8 bytes */
    PROP_KIND_SIZE,     /* uint64_t, accepts K/M/G/T/P/E suffixes */
    PROP_KIND_STRING,   /* char *, owned by the object */
    PROP_KIND_LINK,     /* Object *, a path in the object tree */
    PROP_KIND_ENUM,     /* int, one of enum_names[] */
} PropertyKind;

struct Property {
    const char *name;
    PropertyKind kind;
    size_t offset;               /* of the field in the instance struct */
    unsigned width;              /* of the field in bytes (INT/UINT) */
    const char *help;            /* may be NULL */
    union {
        int64_t i;
        uint64_t u;
        bool b;
        const char *s;
    } defval;
    bool has_default;            /* printed as "(default: ...)" */
    const char *const *enum_names;   /* ENUM: NULL terminated */
    const char *enum_type;       /* ENUM: QEMU's type name, or NULL */
    const char *link_type;       /* LINK: the type the target must have */
    bool read_only;              /* shown (qom-get), never set from outside */
};

#define DEFINE_PROP_BOOL(_n, _s, _f, _d, _h) { .name = (_n), \
    .kind = PROP_KIND_BOOL, .offset = offsetof(_s, _f), \
    .width = sizeof(((_s *)0)->_f), .help = (_h), .defval.b = (_d), \
    .has_default = true }
#define DEFINE_PROP_UINT(_n, _s, _f, _d, _h) { .name = (_n), \
    .kind = PROP_KIND_UINT, .offset = offsetof(_s, _f), \
    .width = sizeof(((_s *)0)->_f), .help = (_h), .defval.u = (_d), \
    .has_default = true }
#define DEFINE_PROP_INT(_n, _s, _f, _d, _h) { .name = (_n), \
    .kind = PROP_KIND_INT, .offset = offsetof(_s, _f), \
    .width = sizeof(((_s *)0)->_f), .help = (_h), .defval.i = (_d), \
    .has_default = true }
#define DEFINE_PROP_SIZE(_n, _s, _f, _d, _h) { .name = (_n), \
    .kind = PROP_KIND_SIZE, .offset = offsetof(_s, _f), \
    .width = sizeof(uint64_t), .help = (_h), .defval.u = (_d), \
    .has_default = true }
#define DEFINE_PROP_STRING(_n, _s, _f, _h) { .name = (_n), \
    .kind = PROP_KIND_STRING, .offset = offsetof(_s, _f), \
    .width = sizeof(char *), .help = (_h) }
#define DEFINE_PROP_LINK(_n, _s, _f, _type, _h) { .name = (_n), \
    .kind = PROP_KIND_LINK, .offset = offsetof(_s, _f), \
    .width = sizeof(Object *), .help = (_h), .link_type = (_type) }
#define DEFINE_PROP_ENUM(_n, _s, _f, _names, _d, _h) { .name = (_n), \
    .kind = PROP_KIND_ENUM, .offset = offsetof(_s, _f), \
    .width = sizeof(int), .help = (_h), .enum_names = (_names), \
    .defval.i = (_d), .has_default = true }

/* QEMU's OnOffAuto, for DEFINE_PROP_ENUM. */
typedef enum OnOffAuto {
    ON_OFF_AUTO_AUTO,
    ON_OFF_AUTO_ON,
    ON_OFF_AUTO_OFF,
} OnOffAuto;
extern const char *const on_off_auto_names[];

/* Declares the properties of a class (called from class_init). */
void class_add_properties(ObjectClass *klass, const Property *props,
                          size_t count);
/* Looks in the class and its ancestors. */
const Property *object_class_find_property(ObjectClass *klass,
                                           const char *name);
/* Every property of the class and its ancestors, sorted by name.
 * Free with g_ptr_array_unref. */
GPtrArray *object_class_get_properties(ObjectClass *klass);
/* The same in QEMU's info qtree order: the class's own in the order it
 * declared them, then each ancestor's. */
GPtrArray *object_class_get_properties_declared(ObjectClass *klass);

/* "<uint32>", "<bool>", "<size>", "<str>", "<link<cpu>>", "<on|off>"... */
char *property_type_name(const Property *prop);
/* The same for an object that is not a device, whose strings QEMU calls
 * "<string>" (a device's "<str>"). */
char *property_object_type_name(const Property *prop);
/* The default as "-device T,help" shows it, or NULL when it has none. */
char *property_default_string(const Property *prop);
/* Help lines: "  name=<type>  - help (default: x)" for every property. */
void object_class_print_properties(ObjectClass *klass, GString *out);
/* The same as QEMU prints them for -object TYPE,help: the properties a
 * user may set, QOM's type names ("string"), no defaults. */
void object_class_print_object_options(ObjectClass *klass, GString *out);

/*
 * Sets a property from text as written on the command line (a
 * read_only one is refused: "Property 'T.NAME' is not writable"): "on"/"off"
 * (also yes/no/true/false) for bools, decimal/0x-hex/octal for integers,
 * suffixes for sizes, a path for links, a name for enums.  Errors name the
 * property, the value and what is accepted.
 */
bool object_property_parse(Object *obj, const char *name, const char *value,
                           Error **errp);
/* The current value as text ("on", "4096", "/machine/foo"). */
char *object_property_print(Object *obj, const char *name, Error **errp);

bool object_property_set_bool(Object *obj, const char *name, bool value,
                              Error **errp);
bool object_property_set_int(Object *obj, const char *name, int64_t value,
                             Error **errp);
bool object_property_set_uint(Object *obj, const char *name, uint64_t value,
                              Error **errp);
bool object_property_set_str(Object *obj, const char *name, const char *value,
                             Error **errp);
bool object_property_set_link(Object *obj, const char *name, Object *target,
                              Error **errp);
bool object_property_get_bool(Object *obj, const char *name, Error **errp);
int64_t object_property_get_int(Object *obj, const char *name, Error **errp);
uint64_t object_property_get_uint(Object *obj, const char *name,
                                  Error **errp);
/* Returns a new string (NULL if the property is unset). */
char *object_property_get_str(Object *obj, const char *name, Error **errp);
Object *object_property_get_link(Object *obj, const char *name,
                                 Error **errp);

#endif
