/*
 * Host memory backends (-object memory-backend-ram|memory-backend-file):
 * host memory a user names and sizes, which -machine memory-backend=ID
 * makes the guest's RAM.  memory-backend-file maps a file (share=on:
 * the guest's writes reach it, as another process sees them; off: a
 * private copy), memory-backend-ram anonymous memory (share=on: memory
 * a forked helper would see).  merge and dump are the madvise hints of
 * -machine mem-merge and dump-guest-core for this memory; prealloc
 * touches every page up front.  Host NUMA binding (policy, host-nodes)
 * is not offered.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "sysemu/hostmem.h"

void host_memory_advise(void *ptr, uint64_t size, bool merge, bool dump)
{
    /* Advice only: a kernel without KSM or MADV_DONTDUMP ignores it, as
     * QEMU ignores the failure. */
#ifdef MADV_DONTDUMP
    if (!dump) {
        madvise(ptr, size, MADV_DONTDUMP);
    }
#endif
#ifdef MADV_MERGEABLE
    if (merge) {
        madvise(ptr, size, MADV_MERGEABLE);
    }
#endif
}

static bool map_storage(HostMemoryBackend *b, int fd, Error **errp)
{
    int flags = b->share ? MAP_SHARED : MAP_PRIVATE;
    void *ptr;

    if (fd < 0) {
        flags |= MAP_ANONYMOUS;
    }
    if (!b->reserve) {
        flags |= MAP_NORESERVE;
    }
    if (b->prealloc) {
        flags |= MAP_POPULATE;
    }
    ptr = mmap(NULL, b->size, PROT_READ | PROT_WRITE, flags, fd, 0);
    if (ptr == MAP_FAILED) {
        error_setg_errno(errp, errno, "cannot set up guest memory '%s'",
                         OBJECT(b)->name);
        return false;
    }
    memory_region_init_ram_ptr(&b->mr, OBJECT(b), OBJECT(b)->name, b->size,
                               ptr);
    host_memory_advise(ptr, b->size, b->merge, b->dump);
    return true;
}

static bool ram_backend_alloc(HostMemoryBackend *b, Error **errp)
{
    return map_storage(b, -1, errp);
}

/* The file at mem-path, made at least size bytes long; a directory
 * gets an unlinked temporary file in it, as QEMU does. */
static bool file_backend_alloc(HostMemoryBackend *b, Error **errp)
{
    struct stat st;
    int fd;
    bool ok;

    if (stat(b->mem_path, &st) == 0 && S_ISDIR(st.st_mode)) {
        fd = open(b->mem_path, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    } else {
        fd = open(b->mem_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    }
    if (fd < 0) {
        error_setg_errno(errp, errno, "can't open backing store %s for "
                         "guest RAM", b->mem_path);
        return false;
    }
    if (fstat(fd, &st) < 0 ||
        ((uint64_t)st.st_size < b->size && ftruncate(fd, b->size) < 0)) {
        error_setg_errno(errp, errno, "can't grow backing store %s for "
                         "guest RAM to %" PRIu64 " bytes", b->mem_path,
                         b->size);
        close(fd);
        return false;
    }
    ok = map_storage(b, fd, errp);
    close(fd);                   /* the mapping keeps the file */
    return ok;
}

bool host_memory_backend_check(HostMemoryBackend *b, Error **errp)
{
    if (!b->size) {
        error_setg(errp, "Parameter 'size' is missing");
        return false;
    }
    if (object_dynamic_cast(OBJECT(b), TYPE_MEMORY_BACKEND_FILE) &&
        !b->mem_path) {
        error_setg(errp, "Parameter 'mem-path' is missing");
        return false;
    }
    return true;
}

HostMemoryBackend *host_memory_backend_new_ram(const char *id, uint64_t size,
                                               bool merge, bool dump,
                                               Error **errp)
{
    Object *objects = container_get(object_get_root(), "objects");
    Object *obj = object_new(TYPE_MEMORY_BACKEND_RAM);
    HostMemoryBackend *b = MEMORY_BACKEND(obj);

    b->size = size;
    b->merge = merge;
    b->dump = dump;
    object_add_child(objects, id, obj, &error_fatal);
    object_unref(obj);
    if (!obj->klass->complete(obj, errp)) {
        object_unparent(obj);
        return NULL;
    }
    b->used = true;
    return b;
}

HostMemoryBackend *host_memory_backend_find(const char *id)
{
    Object *objects = container_get(object_get_root(), "objects");
    Object *obj = object_get_child(objects, id);

    return obj ? (HostMemoryBackend *)object_dynamic_cast(obj,
                                                  TYPE_MEMORY_BACKEND)
               : NULL;
}

void host_memory_backends_print(GString *out)
{
    Object *objects = container_get(object_get_root(), "objects");
    GSList *children = object_get_children_sorted(objects);

    for (GSList *l = children; l; l = l->next) {
        HostMemoryBackend *b = (HostMemoryBackend *)
            object_dynamic_cast(l->data, TYPE_MEMORY_BACKEND);

        if (!b) {
            continue;
        }
        g_string_append_printf(out, "memory backend: %s\n"
                               "  size:  %" PRIu64 "\n"
                               "  merge: %s\n"
                               "  dump: %s\n"
                               "  prealloc: %s\n"
                               "  share: %s\n"
                               "  reserve: %s\n"
                               "  policy: default\n"
                               "  host nodes: \n",
                               OBJECT(b)->name, b->size,
                               b->merge ? "true" : "false",
                               b->dump ? "true" : "false",
                               b->prealloc ? "true" : "false",
                               b->share ? "true" : "false",
                               b->reserve ? "true" : "false");
    }
    g_slist_free(children);
    /* One blank line after the list, none between backends, as QEMU. */
    g_string_append_c(out, '\n');
}

static void backend_finalize(Object *obj)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);

    if (b->allocated) {
        memory_region_destroy(&b->mr);
    }
}

static const Property backend_props[] = {
    DEFINE_PROP_SIZE("size", HostMemoryBackend, size, 0,
                     "size of the memory region in bytes"),
    DEFINE_PROP_BOOL("merge", HostMemoryBackend, merge, true,
                     "Mark memory as mergeable"),
    DEFINE_PROP_BOOL("dump", HostMemoryBackend, dump, true,
                     "Set to 'off' to exclude from core dump"),
    DEFINE_PROP_BOOL("prealloc", HostMemoryBackend, prealloc, false,
                     "Preallocate memory"),
    DEFINE_PROP_BOOL("share", HostMemoryBackend, share, false,
                     "Mark the memory as private to QEMU or shared"),
    DEFINE_PROP_BOOL("reserve", HostMemoryBackend, reserve, true,
                     "Reserve swap space (or huge pages) if applicable"),
};

static const Property file_backend_props[] = {
    DEFINE_PROP_STRING("mem-path", HostMemoryBackend, mem_path,
                       "file to use as the backing store"),
};

/* -object's last step, after host_memory_backend_check: the host
 * memory. */
static bool backend_complete(Object *obj, Error **errp)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);

    if (!MEMORY_BACKEND_GET_CLASS(b)->alloc(b, errp)) {
        return false;
    }
    b->allocated = true;
    return true;
}

static void backend_class_init(ObjectClass *klass)
{
    klass->complete = backend_complete;
    class_add_properties(klass, backend_props, ARRAY_SIZE(backend_props));
}

static void ram_backend_class_init(ObjectClass *klass)
{
    HostMemoryBackendClass *bc = (HostMemoryBackendClass *)klass;

    bc->alloc = ram_backend_alloc;
}

static void file_backend_class_init(ObjectClass *klass)
{
    HostMemoryBackendClass *bc = (HostMemoryBackendClass *)klass;

    bc->alloc = file_backend_alloc;
    class_add_properties(klass, file_backend_props,
                         ARRAY_SIZE(file_backend_props));
}

static const TypeInfo hostmem_types[] = {
    {
        .name = TYPE_MEMORY_BACKEND,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(HostMemoryBackend),
        .class_size = sizeof(HostMemoryBackendClass),
        .abstract = true,
        .class_init = backend_class_init,
        .instance_finalize = backend_finalize,
    },
    {
        .name = TYPE_MEMORY_BACKEND_RAM,
        .parent = TYPE_MEMORY_BACKEND,
        .class_init = ram_backend_class_init,
    },
    {
        .name = TYPE_MEMORY_BACKEND_FILE,
        .parent = TYPE_MEMORY_BACKEND,
        .class_init = file_backend_class_init,
    },
};

DEFINE_TYPES(hostmem_types)
