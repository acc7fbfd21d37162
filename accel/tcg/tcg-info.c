/*
 * info jit: the state of the translator's code cache and the TLB flush
 * counts, in QEMU 7.2's layout with emu's figures.  QEMU's three "TB
 * hash" lines describe its own hash table's buckets; emu's blocks are in
 * a glib hash table, which has no such figures, so they are left out.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/core/cpu.h"
#include "monitor/monitor.h"
#include "sysemu/accel.h"
#include "internal.h"

static size_t percent(size_t part, size_t whole)
{
    return whole ? part * 100 / whole : 0;
}

static void tcg_info_format(GString *out)
{
    TCGCodeCacheStats st;
    size_t n, full = 0, part = 0, elided = 0;

    tcg_code_cache_stats(&st);
    n = st.tb_count;
    g_string_append(out, "Translation buffer state:\n");
    g_string_append_printf(out, "gen code size       %zu/%zu\n",
                           st.code_size, st.code_capacity);
    g_string_append_printf(out, "TB count            %zu\n", n);
    g_string_append_printf(out, "TB avg target size  %zu max=%zu bytes\n",
                           n ? st.target_size / n : 0, st.max_target_size);
    g_string_append_printf(out, "TB avg host size    %zu bytes (expansion "
                           "ratio: %0.1f)\n", n ? st.host_size / n : 0,
                           st.target_size ?
                           (double)st.host_size / st.target_size : 0);
    g_string_append_printf(out, "cross page TB count %zu (%zu%%)\n",
                           st.cross_page, percent(st.cross_page, n));
    g_string_append_printf(out, "direct jump count   %zu (%zu%%) (2 jumps=%zu "
                           "%zu%%)\n", st.direct_jmp,
                           percent(st.direct_jmp, n), st.direct_jmp2,
                           percent(st.direct_jmp2, n));

    for (guint i = 0; cpus && i < cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cpus, i);
        TCGVCPU *v = cpu->accel;

        if (v) {
            full += __atomic_load_n(&v->tlb_full_flushes, __ATOMIC_RELAXED);
            part += __atomic_load_n(&v->tlb_part_flushes, __ATOMIC_RELAXED);
            elided += __atomic_load_n(&v->tlb_elided_flushes,
                                      __ATOMIC_RELAXED);
        }
    }
    g_string_append(out, "\nStatistics:\n");
    g_string_append_printf(out, "TB flush count      %u\n", st.flush_count);
    g_string_append_printf(out, "TB invalidate count %u\n",
                           st.invalidate_count);
    g_string_append_printf(out, "TLB full flushes    %zu\n", full);
    g_string_append_printf(out, "TLB partial flushes %zu\n", part);
    g_string_append_printf(out, "TLB elided flushes  %zu\n", elided);
    /* emu has no op-level profiler either. */
    g_string_append(out, "[TCG profiler not compiled]\n");
}

static void hmp_info_jit(Monitor *mon, const MonitorArgs *args)
{
    g_autoptr(GString) out = g_string_new(NULL);
    const char *accel = accel_name();

    if (!accel || strcmp(accel, "tcg")) {
        monitor_puts(mon, "Error: JIT information is only available with "
                     "accel=tcg\n");
        return;
    }
    tcg_info_format(out);
    monitor_puts(mon, out->str);
}

static const HMPCommand tcg_info_commands[] = {
    { "jit", "", "", "show dynamic compiler info", hmp_info_jit },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, tcg_info_commands)
