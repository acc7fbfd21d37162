/*
 * memsave and pmemsave, in HMP and QMP: guest memory (virtual through a
 * vCPU's MMU, or physical) written to a file.  One function does the
 * work; the commands only bring their arguments and print or encode its
 * error, so the two monitors fail alike.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <fcntl.h>
#include "monitor/monitor.h"
#include "monitor/qmp.h"
#include "monitor-internal.h"
#include "softmmu/memory.h"

/*
 * fopen(path, "wb") that fails (ENXIO) on a named pipe nobody reads
 * instead of waiting for a reader with the whole emulator stopped.
 */
static FILE *open_for_writing(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK,
                  0666);
    FILE *f;

    if (fd < 0) {
        return NULL;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
    }
    return f;
}

/*
 * Writes size bytes of guest memory at addr into filename as QEMU does:
 * open it for writing, truncate, write.  What the path is stays what it
 * was: a symlink still points at its (updated) target, a hard link
 * stays shared, the file keeps its mode, a device node stays a device.
 * Memory goes out a KiB at a time, so any size takes little memory.
 * cpu is NULL for physical memory, whose holes are written as zeros
 * (QEMU's pmemsave); an unmapped virtual page fails the command.
 */
static bool memory_save(CPUState *cpu, uint64_t addr, int64_t size,
                        const char *filename, Error **errp)
{
    bool written = true;
    FILE *f;

    if (size < 0) {
        error_setg(errp, "Invalid addr 0x%016" PRIx64 "/size %" PRId64
                   " specified", addr, size);
        return false;
    }
    f = open_for_writing(filename);
    if (!f) {
        error_setg(errp, "Could not open '%s': %s", filename,
                   strerror(errno));
        return false;
    }
    for (uint64_t done = 0; done < (uint64_t)size && written;) {
        uint8_t buf[1024];
        size_t l = MIN((uint64_t)size - done, sizeof(buf));

        if (!cpu) {
            address_space_read(&address_space_memory, addr + done, buf, l);
        } else if (!cpu_memory_rw_debug(cpu, addr + done, buf, l, false)) {
            error_setg(errp, "Invalid addr 0x%016" PRIx64 "/size %" PRId64
                       " specified", addr, size);
            fclose(f);
            return false;
        }
        written = fwrite(buf, 1, l, f) == l;
        done += l;
    }
    /* A failed flush (disk full) is reported too, where QEMU is silent. */
    if (fclose(f) != 0 || !written) {
        error_setg(errp, "An IO error has occurred");
        return false;
    }
    return true;
}

/* ---- HMP ---- */

/* The size is an "i" argument: the monitor has refused more than 32
 * bits, as QEMU's does. */
static void hmp_memory_save(Monitor *mon, const MonitorArgs *args,
                            bool physical)
{
    CPUState *cpu = monitor_get_cpu(mon);
    Error *err = NULL;

    if (!physical && !cpu) {
        monitor_printf(mon, "No CPU available\n");
        return;
    }
    if (!memory_save(physical ? NULL : cpu, monitor_arg_uint(args, "val"),
                     monitor_arg_uint(args, "size"),
                     monitor_arg_str(args, "filename"), &err)) {
        hmp_handle_error(mon, err);
    }
}

static void hmp_memsave(Monitor *mon, const MonitorArgs *args)
{
    hmp_memory_save(mon, args, false);
}

static void hmp_pmemsave(Monitor *mon, const MonitorArgs *args)
{
    hmp_memory_save(mon, args, true);
}

static const HMPCommand hmp_memsave_commands[] = {
    { "memsave", "val:l,size:i,filename:s", "addr size file",
      "save to disk virtual memory dump starting at 'addr' of size 'size'",
      hmp_memsave },
    { "pmemsave", "val:l,size:i,filename:s", "addr size file",
      "save to disk physical memory dump starting at 'addr' of size 'size'",
      hmp_pmemsave },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, hmp_memsave_commands)

/* ---- QMP ---- */

static JsonNode *qmp_memsave(QMPCall *call, Error **errp)
{
    int64_t index = qmp_arg_has(call, "cpu-index") ?
                    qmp_arg_int(call, "cpu-index") : 0;

    if (!cpus || index < 0 || index >= cpus->len) {
        error_setg(errp, "Parameter 'cpu-index' expects a CPU number");
        return NULL;
    }
    if (!memory_save(g_ptr_array_index(cpus, index), qmp_arg_int(call, "val"),
                     qmp_arg_int(call, "size"), qmp_arg_str(call, "filename"),
                     errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

static JsonNode *qmp_pmemsave(QMPCall *call, Error **errp)
{
    if (!memory_save(NULL, qmp_arg_int(call, "val"), qmp_arg_int(call, "size"),
                     qmp_arg_str(call, "filename"), errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

static const QMPCommand qmp_memsave_commands[] = {
    { "memsave", "val:i,size:i,filename:s,cpu-index:i?", qmp_memsave },
    { "pmemsave", "val:i,size:i,filename:s", qmp_pmemsave },
};

DEFINE_QMP_COMMANDS(qmp_memsave_commands)
