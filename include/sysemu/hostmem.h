/*
 * Host memory backends: the user-creatable objects that give guest RAM
 * its host memory (-object memory-backend-ram|memory-backend-file, and
 * -machine memory-backend=ID), as QEMU 7.2 has them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_HOSTMEM_H
#define SYSEMU_HOSTMEM_H

#include "qom/object.h"
#include "softmmu/memory.h"

#define TYPE_MEMORY_BACKEND "memory-backend"
#define TYPE_MEMORY_BACKEND_RAM "memory-backend-ram"
#define TYPE_MEMORY_BACKEND_FILE "memory-backend-file"

typedef struct HostMemoryBackend {
    Object parent_obj;
    uint64_t size;
    bool merge, dump, prealloc, share, reserve;
    char *mem_path;              /* memory-backend-file */
    MemoryRegion mr;             /* its host memory, once allocated */
    bool allocated;
    bool used;                   /* taken by the machine (guest RAM) */
} HostMemoryBackend;

typedef struct HostMemoryBackendClass {
    ObjectClass parent_class;
    /* Sets up b->mr over host memory of b->size bytes. */
    bool (*alloc)(HostMemoryBackend *b, Error **errp);
} HostMemoryBackendClass;

#define MEMORY_BACKEND(obj) \
    INSTANCE_CAST(HostMemoryBackend, (obj), TYPE_MEMORY_BACKEND)
#define MEMORY_BACKEND_GET_CLASS(obj) \
    CLASS_CAST(HostMemoryBackendClass, OBJECT(obj)->klass, \
               TYPE_MEMORY_BACKEND)

/* What -object does once the properties are set: checks that the
 * required ones are there (the class's complete then allocates the host
 * memory); errors in QEMU's words. */
bool host_memory_backend_check(HostMemoryBackend *b, Error **errp);
/* mem-merge / merge (KSM) and dump-guest-core / dump (core dumps) of
 * guest RAM at ptr, as madvise hints. */
void host_memory_advise(void *ptr, uint64_t size, bool merge, bool dump);
/*
 * The machine's RAM when no memory-backend= names one, as QEMU 7.2 makes
 * it: a memory-backend-ram /objects/ID of SIZE bytes with the machine's
 * mem-merge and dump-guest-core, already taken by the machine.
 */
HostMemoryBackend *host_memory_backend_new_ram(const char *id, uint64_t size,
                                               bool merge, bool dump,
                                               Error **errp);
/* The backend /objects/ID, or NULL. */
HostMemoryBackend *host_memory_backend_find(const char *id);
/* "info memdev": every backend under /objects, as QEMU prints them. */
void host_memory_backends_print(GString *out);

#endif
