/*
 * Trace events (include/util/trace.h): their names and states, the
 * patterns of -trace, -d trace: and the monitor, and the lines they
 * write to the debug log, with QEMU's words for every mistake.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <sys/time.h>
#include "util/error.h"
#include "util/log.h"
#include "util/trace.h"

bool trace_event_state[TRACE_EVENT_COUNT];

static const char *const trace_event_names[TRACE_EVENT_COUNT] = {
    [TRACE_QCOW2_ALLOC_CLUSTERS_OFFSET] = "qcow2_alloc_clusters_offset",
    [TRACE_IDE_EXEC_CMD] = "ide_exec_cmd",
    [TRACE_PCI_CFG_READ] = "pci_cfg_read",
    [TRACE_PCI_CFG_WRITE] = "pci_cfg_write",
    [TRACE_VIRTIO_QUEUE_NOTIFY] = "virtio_queue_notify",
    [TRACE_MEMORY_REGION_OPS_READ] = "memory_region_ops_read",
    [TRACE_MEMORY_REGION_OPS_WRITE] = "memory_region_ops_write",
};

const char *trace_event_name(TraceEventID id)
{
    return trace_event_names[id];
}

void trace_event_set_enabled(TraceEventID id, bool enabled)
{
    __atomic_store_n(&trace_event_state[id], enabled, __ATOMIC_RELAXED);
}

void trace_event_emit(TraceEventID id, const char *fmt, ...)
{
    g_autoptr(GString) line = g_string_new(NULL);
    va_list ap;

    /* QEMU's log backend: with -msg timestamp=on the thread and time. */
    if (error_message_timestamps()) {
        struct timeval now;

        gettimeofday(&now, NULL);
        g_string_append_printf(line, "%d@%zu.%06zu:", (int)gettid(),
                               (size_t)now.tv_sec, (size_t)now.tv_usec);
    }
    g_string_append_printf(line, "%s ", trace_event_names[id]);
    va_start(ap, fmt);
    g_string_append_vprintf(line, fmt, ap);
    va_end(ap);
    emu_log("%s\n", line->str);
}

void trace_list_events(FILE *out)
{
    for (int id = 0; id < TRACE_EVENT_COUNT; id++) {
        fprintf(out, "%s\n", trace_event_names[id]);
    }
}

/* QEMU calls a name with '*' a pattern: it may match nothing quietly. */
static bool trace_is_pattern(const char *name)
{
    return strchr(name, '*') != NULL;
}

bool trace_enable_events(const char *pattern)
{
    bool enable = pattern[0] != '-';
    const char *name = enable ? pattern : pattern + 1;
    bool found = false;

    if (!strcmp(pattern, "help") || !strcmp(pattern, "?")) {
        trace_list_events(stdout);
        return false;
    }
    for (int id = 0; id < TRACE_EVENT_COUNT; id++) {
        if (g_pattern_match_simple(name, trace_event_names[id])) {
            trace_event_set_enabled(id, enable);
            found = true;
        }
    }
    if (!found && !trace_is_pattern(name)) {
        warn_report("trace event '%s' does not exist", name);
    }
    return true;
}

bool trace_enable_events_file(const char *path, bool *asked_help)
{
    g_autofree char *line = NULL;
    size_t room = 0;
    int number = 0;
    FILE *f;

    *asked_help = false;
    /* Messages name the file, and the line once there is one. */
    error_set_file_location(path, 0);
    f = fopen(path, "re");
    if (!f) {
        error_report("%s", strerror(errno));
        error_clear_cmdline_location();
        return false;
    }
    while (getline(&line, &room, f) >= 0) {
        size_t len = strlen(line);

        error_set_file_location(path, ++number);
        if (len && line[len - 1] == '\n') {
            line[--len] = '\0';
        }
        if (len && line[0] != '#' && !trace_enable_events(line)) {
            *asked_help = true;
            break;
        }
    }
    fclose(f);
    error_clear_cmdline_location();
    return true;
}

bool trace_events_matching(const char *pattern, GArray *ids, Error **errp)
{
    /* QEMU's query builds its answer by prepending: the last first. */
    for (int id = TRACE_EVENT_COUNT - 1; id >= 0; id--) {
        if (g_pattern_match_simple(pattern, trace_event_names[id])) {
            g_array_append_val(ids, id);
        }
    }
    if (!ids->len && !trace_is_pattern(pattern)) {
        error_setg(errp, "unknown event \"%s\"", pattern);
        return false;
    }
    return true;
}
