/*
 * -object rng-builtin,id=ID and -object rng-random,id=ID[,filename=PATH]
 * (include/sysemu/rng.h): rng-builtin is the host kernel's generator
 * (getrandom), rng-random reads a file or device (/dev/urandom unless
 * filename= says otherwise), opened when the object is created, as
 * QEMU 7.2 opens it.  Reads never block: a source with nothing to give
 * now gives nothing, and the guest's driver asks again.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <fcntl.h>
#include <sys/random.h>
#include "sysemu/rng.h"

struct RngBackend {
    Object parent_obj;
};

typedef struct RngBackendClass {
    ObjectClass parent_class;
    ssize_t (*fill)(RngBackend *rng, uint8_t *buf, size_t len);
} RngBackendClass;

typedef struct RngRandom {
    RngBackend parent_obj;
    char *filename;
    int fd;
} RngRandom;

#define RNG_BACKEND(obj) INSTANCE_CAST(RngBackend, (obj), TYPE_RNG_BACKEND)
#define RNG_BACKEND_GET_CLASS(obj) \
    CLASS_CAST(RngBackendClass, OBJECT(obj)->klass, TYPE_RNG_BACKEND)
#define RNG_RANDOM(obj) INSTANCE_CAST(RngRandom, (obj), TYPE_RNG_RANDOM)

static ssize_t rng_builtin_fill(RngBackend *rng, uint8_t *buf, size_t len)
{
    ssize_t got;

    do {
        got = getrandom(buf, len, GRND_NONBLOCK);
    } while (got < 0 && errno == EINTR);
    return got < 0 && errno == EAGAIN ? 0 : got;
}

ssize_t rng_backend_fill(RngBackend *rng, uint8_t *buf, size_t len)
{
    return rng ? RNG_BACKEND_GET_CLASS(rng)->fill(rng, buf, len)
               : rng_builtin_fill(NULL, buf, len);
}

RngBackend *rng_backend_find(const char *id, const char *prop, Error **errp)
{
    Object *objects = container_get(object_get_root(), "objects");
    Object *obj = object_get_child(objects, id);

    if (!obj) {
        error_setg(errp, "Device '%s' not found", id);
        return NULL;
    }
    if (!object_dynamic_cast(obj, TYPE_RNG_BACKEND)) {
        error_setg(errp, "Invalid parameter type for '%s', expected: %s",
                   prop, TYPE_RNG_BACKEND);
        return NULL;
    }
    return RNG_BACKEND(obj);
}

static bool rng_builtin_complete(Object *obj, Error **errp)
{
    return true;
}

static ssize_t rng_random_fill(RngBackend *rng, uint8_t *buf, size_t len)
{
    RngRandom *s = RNG_RANDOM(rng);
    ssize_t got;

    do {
        got = read(s->fd, buf, len);
    } while (got < 0 && errno == EINTR);
    return got < 0 && errno == EAGAIN ? 0 : got;
}

static bool rng_random_complete(Object *obj, Error **errp)
{
    RngRandom *s = RNG_RANDOM(obj);

    s->fd = open(s->filename, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (s->fd < 0) {
        error_setg(errp, "Could not open '%s': %s", s->filename,
                   strerror(errno));
        return false;
    }
    return true;
}

static void rng_random_init(Object *obj)
{
    RngRandom *s = RNG_RANDOM(obj);

    s->filename = g_strdup("/dev/urandom");
    s->fd = -1;
}

static void rng_random_finalize(Object *obj)
{
    RngRandom *s = RNG_RANDOM(obj);

    if (s->fd >= 0) {
        close(s->fd);
    }
    g_free(s->filename);
}

static const Property rng_random_properties[] = {
    /* No help text: -object rng-random,help as QEMU's. */
    DEFINE_PROP_STRING("filename", RngRandom, filename, NULL),
};

static void rng_builtin_class_init(ObjectClass *klass)
{
    klass->complete = rng_builtin_complete;
    CLASS_CAST(RngBackendClass, klass, TYPE_RNG_BACKEND)->fill =
        rng_builtin_fill;
}

static void rng_random_class_init(ObjectClass *klass)
{
    klass->complete = rng_random_complete;
    CLASS_CAST(RngBackendClass, klass, TYPE_RNG_BACKEND)->fill =
        rng_random_fill;
    class_add_properties(klass, rng_random_properties,
                         ARRAY_SIZE(rng_random_properties));
}

static const TypeInfo rng_types[] = {
    {
        .name = TYPE_RNG_BACKEND,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(RngBackend),
        .class_size = sizeof(RngBackendClass),
        .abstract = true,
    },
    {
        .name = TYPE_RNG_BUILTIN,
        .parent = TYPE_RNG_BACKEND,
        .class_init = rng_builtin_class_init,
    },
    {
        .name = TYPE_RNG_RANDOM,
        .parent = TYPE_RNG_BACKEND,
        .instance_size = sizeof(RngRandom),
        .class_init = rng_random_class_init,
        .instance_init = rng_random_init,
        .instance_finalize = rng_random_finalize,
    },
};

DEFINE_TYPES(rng_types)
