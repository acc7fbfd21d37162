/*
 * -icount: the virtual clock counts guest instructions (tcg only).
 *
 * With shift=N every instruction is 2^N ns of virtual time, so a guest
 * that reads its timers sees the same values on every run: the clock no
 * longer follows the host's.  The vCPU runs in slices that end at the
 * next timer's deadline (generated code counts the slice's instructions
 * down in CPUState.icount_decr), and the vCPU thread fires the virtual
 * timers between slices, at the same instruction every time.  While
 * the vCPU is halted, the clock jumps to the next deadline (sleep=off)
 * or goes there with host time (sleep=on, the default).  shift=auto
 * starts at 3 and adapts N every 100 ms so that virtual time keeps up
 * with host time, as QEMU does; that mode is not deterministic.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_ICOUNT_H
#define SYSEMU_ICOUNT_H

#include "util/osdep.h"
#include "util/error.h"

typedef struct CPUState CPUState;

/* -icount [shift=]N|auto[,sleep=on|off][,align=off]: false and errp on
 * bad input.  Without shift= icount stays off, as in QEMU. */
bool icount_configure(const char *opts, Error **errp);
bool icount_enabled(void);

/* The virtual clock in icount mode (softmmu/timer.c asks). */
int64_t icount_clock_ns(void);

/*
 * The vCPU thread's side (accel/tcg), with the global lock held:
 * icount_slice_begin fires the timers that are due and gives the vCPU
 * its budget in cpu->icount_decr; icount_slice_end counts what ran.
 */
void icount_slice_begin(CPUState *cpu);
void icount_slice_end(CPUState *cpu);
/* The vCPU is halted with no work: advance the clock to the next timer
 * (waiting host time with sleep=on) and fire it, or wait for a kick. */
void icount_wait_halted(CPUState *cpu);

/* A device access from inside a block (tcg_icount_io_begin): until
 * icount_io_end, the clock leaves out the block's insns_after
 * instructions that follow the accessing one. */
void icount_io_begin(int64_t insns_after);
void icount_io_end(void);

/* A timer now expires at expire_ns (softmmu/timer.c): the running slice
 * may end too late, or a halted vCPU wait too long. */
void icount_timers_changed(int64_t expire_ns);

#endif
