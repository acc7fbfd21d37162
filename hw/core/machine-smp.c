/*
 * -smp [cpus=]N[,sockets=S][,dies=D][,clusters=C][,cores=C][,threads=T]
 *      [,maxcpus=M]
 *
 * The topology is completed and checked as QEMU 7.2 does it, with its
 * messages: omitted values are derived from the given ones, preferring
 * cores over sockets; sockets * cores * threads must equal maxcpus, and
 * maxcpus must cover cpus and fit the board.  No board of emu has dies
 * or clusters.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "util/keyval.h"
#include "hw/boards.h"

typedef struct SMPValue {
    const char *key;
    unsigned value;              /* 0: not given */
} SMPValue;

enum { SMP_CPUS, SMP_SOCKETS, SMP_DIES, SMP_CLUSTERS, SMP_CORES, SMP_THREADS,
       SMP_MAXCPUS, SMP_COUNT };

static bool parse_smp_values(const char *opts, SMPValue *v, Error **errp)
{
    g_autoptr(KeyValList) kv = keyval_parse(opts, "cpus", errp);
    const KeyValPair *extra;
    bool zero = false;

    if (!kv) {
        return false;
    }
    for (int i = 0; i < SMP_COUNT; i++) {
        const char *text = keyval_take(kv, v[i].key);
        uint64_t n;

        if (!text) {
            continue;
        }
        if (!parse_uint64(text, &n) || n > UINT32_MAX) {
            error_setg(errp, "Parameter 'smp.%s' expects integer", v[i].key);
            return false;
        }
        zero |= n == 0;
        v[i].value = n;
    }
    extra = keyval_first_unused(kv);
    if (extra) {
        error_setg(errp, "Parameter 'smp.%s' is unexpected", extra->key);
        return false;
    }
    if (zero) {
        /* QEMU still runs, reading 0 as "not given". */
        warn_report("Deprecated CPU topology (considered invalid): CPU "
                    "topology parameters must be greater than zero");
    }
    return true;
}

bool machine_parse_smp_config(MachineState *ms, const char *opts,
                              Error **errp)
{
    MachineClass *mc = MACHINE_GET_CLASS(ms);
    g_autofree char *mname = machine_class_short_name(OBJECT_CLASS(mc));
    SMPValue v[SMP_COUNT] = {
        [SMP_CPUS] = { "cpus" }, [SMP_SOCKETS] = { "sockets" },
        [SMP_DIES] = { "dies" }, [SMP_CLUSTERS] = { "clusters" },
        [SMP_CORES] = { "cores" }, [SMP_THREADS] = { "threads" },
        [SMP_MAXCPUS] = { "maxcpus" },
    };
    uint64_t cpus, sockets, cores, threads, maxcpus;

    if (!parse_smp_values(opts, v, errp)) {
        return false;
    }
    if (v[SMP_DIES].value > 1) {
        error_setg(errp, "dies not supported by this machine's CPU topology");
        return false;
    }
    if (v[SMP_CLUSTERS].value > 1) {
        error_setg(errp, "clusters not supported by this machine's CPU "
                   "topology");
        return false;
    }
    cpus = v[SMP_CPUS].value;
    sockets = v[SMP_SOCKETS].value;
    cores = v[SMP_CORES].value;
    threads = v[SMP_THREADS].value;
    maxcpus = v[SMP_MAXCPUS].value;
    if (cpus == 0 && maxcpus == 0) {
        sockets = sockets ? sockets : 1;
        cores = cores ? cores : 1;
        threads = threads ? threads : 1;
    } else {
        maxcpus = maxcpus ? maxcpus : cpus;
        /* Cores before sockets, as QEMU since 6.2. */
        if (cores == 0) {
            sockets = sockets ? sockets : 1;
            threads = threads ? threads : 1;
            cores = maxcpus / (sockets * threads);
        } else if (sockets == 0) {
            threads = threads ? threads : 1;
            sockets = maxcpus / (cores * threads);
        }
        if (threads == 0) {
            threads = maxcpus / (sockets * cores);
        }
    }
    if (!maxcpus) {
        /* Only 1 or values given: at most 2^96, cut to what the board
         * check below refuses anyway. */
        unsigned __int128 product = (unsigned __int128)sockets * cores *
                                    threads;

        maxcpus = product > UINT32_MAX ? UINT32_MAX : (uint64_t)product;
    }
    cpus = cpus ? cpus : maxcpus;
    /* Each value fits 32 bits: the product of three fits 128. */
    if ((unsigned __int128)sockets * cores * threads != maxcpus) {
        error_setg(errp, "Invalid CPU topology: product of the hierarchy must "
                   "match maxcpus: sockets (%" PRIu64 ") * cores (%" PRIu64
                   ") * threads (%" PRIu64 ") != maxcpus (%" PRIu64 ")",
                   sockets, cores, threads, maxcpus);
        return false;
    }
    if (maxcpus < cpus) {
        error_setg(errp, "Invalid CPU topology: maxcpus must be equal to or "
                   "greater than smp: sockets (%" PRIu64 ") * cores (%"
                   PRIu64 ") * threads (%" PRIu64 ") == maxcpus (%" PRIu64
                   ") < smp_cpus (%" PRIu64 ")", sockets, cores, threads,
                   maxcpus, cpus);
        return false;
    }
    if (maxcpus > MAX(mc->max_cpus, 1)) {
        error_setg(errp, "Invalid SMP CPUs %" PRIu64 ". The max CPUs "
                   "supported by machine '%s' is %u", maxcpus, mname,
                   MAX(mc->max_cpus, 1));
        return false;
    }
    ms->smp_cpus = cpus;
    ms->smp_sockets = sockets;
    ms->smp_cores = cores;
    ms->smp_threads = threads;
    ms->smp_max_cpus = maxcpus;
    return true;
}
