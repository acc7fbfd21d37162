/*
 * The data behind the monitor's views of the machine.  HMP prints it
 * (hmp-cmds.c), QMP encodes it as JSON (qmp-cmds.c): one query, two
 * presentations, so the two monitors cannot disagree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MONITOR_QUERY_H
#define MONITOR_QUERY_H

#include "util/osdep.h"
#include "util/error.h"
#include "sysemu/runstate.h"
#include "hw/boards.h"

typedef struct VersionInfo {
    int major, minor, micro;
    const char *package;         /* QEMU's --with-pkgversion; "" */
} VersionInfo;

typedef struct StatusInfo {
    RunState status;
    bool running;
    bool singlestep;             /* -singlestep / one-insn-per-tb */
} StatusInfo;

typedef struct CpuInfoFast {
    int cpu_index;
    int thread_id;               /* the host thread running it */
    char *qom_path;
    const char *target;          /* "arm", "x86_64" */
    bool has_props;              /* the board places its slots */
    CpuSlotProps props;
} CpuInfoFast;

/* A vCPU slot of query-hotpluggable-cpus. */
typedef struct HotpluggableCpu {
    CpuSlotProps props;
    char *qom_path;              /* NULL: no vCPU in the slot */
    const char *type;            /* the vCPU's QOM type */
} HotpluggableCpu;

typedef struct KvmInfo {
    bool enabled;
    bool present;
} KvmInfo;

typedef struct MachineInfo {
    char *name;                  /* "connex" */
    bool is_default;
    unsigned cpu_max;
    const char *default_cpu_type;  /* NULL: none */
    const char *default_ram_id;    /* NULL: none */
    const char *alias;             /* "pc" for pc-i440fx-7.2; NULL: none */
} MachineInfo;

VersionInfo query_version(void);
StatusInfo query_status(void);
/* Of every vCPU; free with g_array_unref. */
GArray *query_cpus_fast(void);
KvmInfo query_kvm(void);
/* Every slot up to -smp maxcpus, last first as QEMU lists them; NULL
 * (and QEMU's error) where the board does not list its slots. */
GArray *query_hotpluggable_cpus(Error **errp);
/* Every board of this emu, sorted by name; free with g_array_unref. */
GArray *query_machines(void);

#endif
