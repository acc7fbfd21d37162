/*
 * -icount: virtual time from the instruction count (see
 * include/sysemu/icount.h).
 *
 * virtual ns = bias + (instructions executed << shift)
 *
 * The bias moves only when the clock jumps while the vCPU is halted, and
 * with shift=auto when the shift changes (so that the clock stays
 * continuous).  The instructions executed are those of finished slices
 * plus, while a slice runs, what the generated code has counted down in
 * cpu->icount_decr.  A block is charged whole when it starts; a device
 * access from inside it (icount_io_begin) leaves out the instructions
 * after the accessing one, so it sees the clock at its instruction, as
 * on QEMU (which ends a block at such an instruction instead).
 *
 * Only one vCPU: QEMU runs several in turns on one thread under icount,
 * a scheduler emu lacks; the tcg accelerator refuses -smp above 1 with
 * -icount (accel/tcg/tcg-accel.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sysemu/icount.h"
#include "sysemu/main-loop.h"
#include "sysemu/timer.h"
#include "hw/core/cpu.h"
#include "util/cutils.h"
#include "util/keyval.h"

#define ICOUNT_MAX_SHIFT 10       /* QEMU's limit: 1 us per instruction */
#define ICOUNT_AUTO_START_SHIFT 3
/* shift=auto re-evaluates every 100 ms of host time, and only moves when
 * the gap grew by more than this since last time (QEMU's wobble). */
#define ICOUNT_AUTO_PERIOD_MS 100
#define ICOUNT_WOBBLE (NANOSECONDS_PER_SECOND / 10)
/* The longest slice without a timer due: a kick ends it earlier. */
#define ICOUNT_MAX_BUDGET (1 << 30)

static bool enabled;
static bool sleep_on_halt = true;
static int shift;
static int64_t bias_ns;
static int64_t executed;          /* instructions of finished slices */
static int64_t auto_last_delta;
/* A slice is running on the vCPU: its budget is in cpu->icount_budget
 * and what is left of it in cpu->icount_decr. */
static CPUState *slice_cpu;
/* During a device access from inside a block: the instructions of the
 * block after the accessing one, charged but not yet run. */
static int64_t io_insns_after;

bool icount_enabled(void)
{
    return enabled;
}

static int64_t instructions_now(void)
{
    CPUState *cpu = slice_cpu;

    return executed + (cpu ? cpu->icount_budget - cpu->icount_decr -
                             io_insns_after : 0);
}

void icount_io_begin(int64_t insns_after)
{
    io_insns_after = slice_cpu ? insns_after : 0;
}

void icount_io_end(void)
{
    io_insns_after = 0;
}

int64_t icount_clock_ns(void)
{
    return bias_ns + (instructions_now() << shift);
}

/* Where the clock is when the running slice has used its budget. */
static int64_t slice_end_ns(CPUState *cpu)
{
    return bias_ns + ((executed + cpu->icount_budget) << shift);
}

/*
 * QEMU's icount_adjust: compare the instruction clock with host time
 * spent running; a guest ahead gets fewer ns per instruction, one
 * behind more.  The bias keeps the clock where it was.
 */
static gboolean auto_adjust(gpointer opaque)
{
    int64_t now = icount_clock_ns();
    int64_t delta = now - clock_host_running_ns();

    if (delta > 0 && auto_last_delta + ICOUNT_WOBBLE < delta * 2 &&
        shift > 0) {
        shift--;
    } else if (delta < 0 && auto_last_delta - ICOUNT_WOBBLE > delta * 2 &&
               shift < ICOUNT_MAX_SHIFT) {
        shift++;
    }
    auto_last_delta = delta;
    bias_ns = now - (instructions_now() << shift);
    return G_SOURCE_CONTINUE;
}

bool icount_configure(const char *opts, Error **errp)
{
    g_autoptr(KeyValList) kv = keyval_parse(opts, "shift", errp);
    const char *shift_text, *sleep, *align, *rr;
    const KeyValPair *extra;
    bool align_on = false;
    uint64_t n;

    if (!kv) {
        return false;
    }
    shift_text = keyval_take(kv, "shift");
    sleep = keyval_take(kv, "sleep");
    align = keyval_take(kv, "align");
    rr = keyval_take(kv, "rr");
    keyval_take(kv, "rrfile");
    keyval_take(kv, "rrsnapshot");
    extra = keyval_first_unused(kv);
    if (extra) {
        error_setg(errp, "Invalid parameter '%s'", extra->key);
        return false;
    }
    if (sleep && !parse_bool(sleep, &sleep_on_halt)) {
        error_setg(errp, "Parameter 'sleep' expects 'on' or 'off'");
        return false;
    }
    if (align && !parse_bool(align, &align_on)) {
        error_setg(errp, "Parameter 'align' expects 'on' or 'off'");
        return false;
    }
    if (rr && strcmp(rr, "off")) {
        error_setg(errp, "record/replay is not supported: emu has no "
                   "replay log (leave out rr=)");
        return false;
    }
    if (!shift_text) {
        /* QEMU turns icount on only with a shift. */
        if (align_on) {
            error_setg(errp, "Please specify shift option when using align");
            return false;
        }
        return true;
    }
    if (align_on && !sleep_on_halt) {
        error_setg(errp, "align=on and sleep=off are incompatible");
        return false;
    }
    if (align_on) {
        error_setg(errp, "align=on is not supported: emu does not slow "
                   "the guest down to host time (leave out align=)");
        return false;
    }
    if (!strcmp(shift_text, "auto")) {
        shift = ICOUNT_AUTO_START_SHIFT;
        g_timeout_add(ICOUNT_AUTO_PERIOD_MS, auto_adjust, NULL);
    } else if (parse_uint64(shift_text, &n) && n <= ICOUNT_MAX_SHIFT) {
        shift = n;
    } else {
        error_setg(errp, "icount: Invalid shift value");
        return false;
    }
    enabled = true;
    return true;
}

/* Instructions until the clock reaches deadline_ns (rounded up). */
static int64_t instructions_until(int64_t deadline_ns)
{
    int64_t ns = deadline_ns - icount_clock_ns();

    if (ns <= 0) {
        return 0;
    }
    return (ns + (1LL << shift) - 1) >> shift;
}

void icount_slice_begin(CPUState *cpu)
{
    int64_t deadline, budget;

    timers_run_expired();
    deadline = timers_deadline_ns();
    budget = deadline == INT64_MAX ? ICOUNT_MAX_BUDGET
                                   : instructions_until(deadline);
    budget = MIN(MAX(budget, 1), ICOUNT_MAX_BUDGET);
    cpu->icount_budget = budget;
    __atomic_store_n(&cpu->icount_decr, (int32_t)budget, __ATOMIC_RELAXED);
    slice_cpu = cpu;
}

void icount_slice_end(CPUState *cpu)
{
    executed += cpu->icount_budget - cpu->icount_decr;
    slice_cpu = NULL;
    cpu->icount_budget = 0;
    cpu->icount_decr = 0;
}

void icount_wait_halted(CPUState *cpu)
{
    int64_t deadline = timers_deadline_ns();
    int64_t ahead, start_us, waited_ns;

    if (deadline == INT64_MAX) {
        bql_cond_wait(&cpu->halt_cond);
        return;
    }
    ahead = deadline - icount_clock_ns();
    if (ahead > 0 && sleep_on_halt) {
        /* Time passes as on the host, up to the deadline or a kick. */
        start_us = g_get_monotonic_time();
        bql_cond_wait_until(&cpu->halt_cond, start_us + ahead / 1000);
        waited_ns = (g_get_monotonic_time() - start_us) * 1000;
        ahead = MIN(ahead, waited_ns);
    }
    if (ahead > 0) {
        bias_ns += ahead;
    }
    timers_run_expired();
}

void icount_timers_changed(int64_t expire_ns)
{
    CPUState *cpu = slice_cpu;

    if (cpu && expire_ns < slice_end_ns(cpu)) {
        /* The slice would run past it: end it at the next block. */
        cpu_exit(cpu);
    } else if (!cpu && cpus && cpus->len) {
        /* A halted vCPU waits for the earlier deadline. */
        g_cond_broadcast(&((CPUState *)g_ptr_array_index(cpus, 0))->halt_cond);
    }
}
