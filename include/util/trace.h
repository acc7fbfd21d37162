/*
 * Trace events, as QEMU's "log" trace backend has them: named points in
 * the code that, once enabled (-trace, -d trace:, the monitor's
 * trace-event), write one line each to the debug log (stderr or -D).
 * Names, arguments and formats are those of QEMU's trace-events files,
 * so that a QEMU user's patterns and the lines they get are the same.
 *
 * A disabled event costs its caller one load and one branch that is
 * predicted not taken: the wrappers below are inline and only call out
 * once the event is on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef UTIL_TRACE_H
#define UTIL_TRACE_H

#include "util/osdep.h"
#include "util/error.h"

/* In the order QEMU lists them (-trace help). */
typedef enum TraceEventID {
    TRACE_QCOW2_ALLOC_CLUSTERS_OFFSET,
    TRACE_IDE_EXEC_CMD,
    TRACE_PCI_CFG_READ,
    TRACE_PCI_CFG_WRITE,
    TRACE_VIRTIO_QUEUE_NOTIFY,
    TRACE_MEMORY_REGION_OPS_READ,
    TRACE_MEMORY_REGION_OPS_WRITE,
    TRACE_EVENT_COUNT
} TraceEventID;

extern bool trace_event_state[TRACE_EVENT_COUNT];

static inline bool trace_event_enabled(TraceEventID id)
{
    return __builtin_expect(__atomic_load_n(&trace_event_state[id],
                                            __ATOMIC_RELAXED), 0);
}

/* One line: "NAME " (after QEMU's "TID@SECONDS.MICROS:" with -msg
 * timestamp=on), the formatted arguments, a newline. */
void trace_event_emit(TraceEventID id, const char *fmt, ...)
    EMU_PRINTF(2, 3);

const char *trace_event_name(TraceEventID id);
/*
 * Turns the events matching pattern ('*' and '?' wildcards; a leading
 * '-' turns them off) on, as QEMU's -trace does: a name without '*' that
 * matches nothing is a warning; "help" lists the events on stdout.
 * Returns false for "help" (the caller exits, as QEMU does at start).
 */
bool trace_enable_events(const char *pattern);
/* -trace events=FILE: one pattern per line, '#' comments.  Messages
 * name the file and line.  False (reported) if the file cannot be
 * read; *asked_help when a line was "help" (listed: the caller exits). */
bool trace_enable_events_file(const char *path, bool *asked_help);
void trace_list_events(FILE *out);

/*
 * The monitor's and QMP's view: the events matching pattern, in the
 * order QEMU's query returns them (the reverse of its list).  A name
 * (no '*') that matches nothing is an error, "unknown event".
 */
bool trace_events_matching(const char *pattern, GArray *ids, Error **errp);
void trace_event_set_enabled(TraceEventID id, bool enabled);

/* ---- the events (QEMU's trace-events arguments and formats) ---- */

/* block/qcow2.c: clusters allocated for a guest write (emu has no
 * coroutines: co is the image's state). */
static inline void trace_qcow2_alloc_clusters_offset(void *co,
                                                     uint64_t offset,
                                                     int bytes)
{
    if (trace_event_enabled(TRACE_QCOW2_ALLOC_CLUSTERS_OFFSET)) {
        trace_event_emit(TRACE_QCOW2_ALLOC_CLUSTERS_OFFSET,
                         "co %p offset 0x%" PRIx64 " bytes %d", co, offset,
                         bytes);
    }
}

/* hw/ide/core.c: a command written to the command register. */
static inline void trace_ide_exec_cmd(void *bus, void *state, uint32_t cmd)
{
    if (trace_event_enabled(TRACE_IDE_EXEC_CMD)) {
        trace_event_emit(TRACE_IDE_EXEC_CMD,
                         "IDE exec cmd: bus %p; state %p; cmd 0x%02x", bus,
                         state, cmd);
    }
}

/* hw/pci/pci.c: configuration cycles through the host bridge. */
static inline void trace_pci_cfg_read(const char *dev, uint32_t bus,
                                      uint32_t slot, uint32_t func,
                                      unsigned offs, unsigned val)
{
    if (trace_event_enabled(TRACE_PCI_CFG_READ)) {
        trace_event_emit(TRACE_PCI_CFG_READ, "%s %02x:%02x.%x @0x%x -> 0x%x",
                         dev, bus, slot, func, offs, val);
    }
}

static inline void trace_pci_cfg_write(const char *dev, uint32_t bus,
                                       uint32_t slot, uint32_t func,
                                       unsigned offs, unsigned val)
{
    if (trace_event_enabled(TRACE_PCI_CFG_WRITE)) {
        trace_event_emit(TRACE_PCI_CFG_WRITE, "%s %02x:%02x.%x @0x%x <- 0x%x",
                         dev, bus, slot, func, offs, val);
    }
}

/* hw/virtio/virtio.c: the driver kicked queue n. */
static inline void trace_virtio_queue_notify(void *vdev, int n, void *vq)
{
    if (trace_event_enabled(TRACE_VIRTIO_QUEUE_NOTIFY)) {
        trace_event_emit(TRACE_VIRTIO_QUEUE_NOTIFY, "vdev %p n %d vq %p",
                         vdev, n, vq);
    }
}

/* softmmu/physmem.c: each call of an MMIO or port region's callbacks. */
static inline void trace_memory_region_ops_read(int cpu_index, void *mr,
                                                uint64_t addr, uint64_t value,
                                                unsigned size,
                                                const char *name)
{
    if (trace_event_enabled(TRACE_MEMORY_REGION_OPS_READ)) {
        trace_event_emit(TRACE_MEMORY_REGION_OPS_READ,
                         "cpu %d mr %p addr 0x%" PRIx64 " value 0x%" PRIx64
                         " size %u name '%s'", cpu_index, mr, addr, value,
                         size, name);
    }
}

static inline void trace_memory_region_ops_write(int cpu_index, void *mr,
                                                 uint64_t addr,
                                                 uint64_t value,
                                                 unsigned size,
                                                 const char *name)
{
    if (trace_event_enabled(TRACE_MEMORY_REGION_OPS_WRITE)) {
        trace_event_emit(TRACE_MEMORY_REGION_OPS_WRITE,
                         "cpu %d mr %p addr 0x%" PRIx64 " value 0x%" PRIx64
                         " size %u name '%s'", cpu_index, mr, addr, value,
                         size, name);
    }
}

#endif
