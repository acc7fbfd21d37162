/*
 * -sandbox on: QEMU 7.2's seccomp deny-list, written as a classic BPF
 * program for the kernel (linux/seccomp.h, linux/filter.h) rather than
 * through libseccomp, which emu does not depend on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "seccomp-filter.h"
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

/* The numbers below are x86-64's (meson builds this file there only):
 * a call made with another ABI (int 0x80, x32) is killed outright, as
 * libseccomp kills calls of an architecture its filter does not name. */
#define HOST_AUDIT_ARCH AUDIT_ARCH_X86_64
#define X32_SYSCALL_BIT 0x40000000u
/* clone's flags are its first argument on x86-64 (s390 swaps them). */
#define CLONE_FLAGS_ARG 0

typedef enum DenyAction {
    DENY_KILL,          /* QEMU's SCMP_ACT_TRAP, made kill-process */
    DENY_EPERM,
    DENY_ENOSYS,
} DenyAction;

typedef enum ArgTest {
    ARG_ANY,            /* every call of the syscall */
    ARG_MASKED_EQ,      /* (args[arg] & mask) == value */
    ARG_NE,             /* args[arg] != value */
} ArgTest;

typedef struct DeniedCall {
    int nr;
    unsigned set;
    DenyAction action;
    ArgTest test;
    unsigned arg;
    uint64_t mask;
    uint64_t value;
} DeniedCall;

#define DENY(name, set) { __NR_##name, set, DENY_KILL, ARG_ANY, 0, 0, 0 }
#define FAIL(name, set, action) { __NR_##name, set, action, ARG_ANY, 0, 0, 0 }
/* A clone that lacks a flag every pthread_create passes, or that has
 * one only a new process (or namespace) would: not a thread. */
#define CLONE_WITHOUT(flag) \
    { __NR_clone, SANDBOX_SPAWN, DENY_KILL, ARG_MASKED_EQ, \
      CLONE_FLAGS_ARG, flag, 0 }
#define CLONE_WITH(flag) \
    { __NR_clone, SANDBOX_SPAWN, DENY_KILL, ARG_MASKED_EQ, \
      CLONE_FLAGS_ARG, flag, flag }

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif

/*
 * QEMU 7.2's deny-list (softmmu/qemu-seccomp.c), in its order.  Its
 * entries for calls x86-64 does not have (break, ftime, gtty, lock, mpx,
 * prof, profil, stty, ulimit, umount, readdir, bdflush, sgetmask,
 * ssetmask) are left out: they have no number here to deny.
 */
static const DeniedCall deny_list[] = {
    DENY(reboot, SANDBOX_DEFAULT),
    DENY(swapon, SANDBOX_DEFAULT),
    DENY(swapoff, SANDBOX_DEFAULT),
    DENY(syslog, SANDBOX_DEFAULT),
    DENY(mount, SANDBOX_DEFAULT),
    DENY(kexec_load, SANDBOX_DEFAULT),
    DENY(afs_syscall, SANDBOX_DEFAULT),
    DENY(getpmsg, SANDBOX_DEFAULT),
    DENY(putpmsg, SANDBOX_DEFAULT),
    DENY(security, SANDBOX_DEFAULT),
    DENY(tuxcall, SANDBOX_DEFAULT),
    DENY(vserver, SANDBOX_DEFAULT),

    DENY(_sysctl, SANDBOX_OBSOLETE),
    DENY(create_module, SANDBOX_OBSOLETE),
    DENY(get_kernel_syms, SANDBOX_OBSOLETE),
    DENY(query_module, SANDBOX_OBSOLETE),
    DENY(sysfs, SANDBOX_OBSOLETE),
    DENY(uselib, SANDBOX_OBSOLETE),
    DENY(ustat, SANDBOX_OBSOLETE),

    DENY(setuid, SANDBOX_PRIVILEGED),
    DENY(setgid, SANDBOX_PRIVILEGED),
    DENY(setpgid, SANDBOX_PRIVILEGED),
    DENY(setsid, SANDBOX_PRIVILEGED),
    DENY(setreuid, SANDBOX_PRIVILEGED),
    DENY(setregid, SANDBOX_PRIVILEGED),
    DENY(setresuid, SANDBOX_PRIVILEGED),
    DENY(setresgid, SANDBOX_PRIVILEGED),
    DENY(setfsuid, SANDBOX_PRIVILEGED),
    DENY(setfsgid, SANDBOX_PRIVILEGED),

    DENY(fork, SANDBOX_SPAWN),
    DENY(vfork, SANDBOX_SPAWN),
    DENY(execve, SANDBOX_SPAWN),
    /* clone with no flags but the exit signal: fork() as glibc makes it */
    { __NR_clone, SANDBOX_SPAWN, DENY_KILL, ARG_MASKED_EQ, CLONE_FLAGS_ARG,
      ~(uint64_t)CSIGNAL, 0 },
    CLONE_WITHOUT(CLONE_VM),
    CLONE_WITHOUT(CLONE_FS),
    CLONE_WITHOUT(CLONE_FILES),
    CLONE_WITHOUT(CLONE_SIGHAND),
    CLONE_WITHOUT(CLONE_THREAD),
    CLONE_WITHOUT(CLONE_SYSVSEM),
    CLONE_WITHOUT(CLONE_SETTLS),
    CLONE_WITHOUT(CLONE_PARENT_SETTID),
    CLONE_WITHOUT(CLONE_CHILD_CLEARTID),
    CLONE_WITH(CLONE_PIDFD),
    CLONE_WITH(CLONE_PTRACE),
    CLONE_WITH(CLONE_VFORK),
    CLONE_WITH(CLONE_PARENT),
    CLONE_WITH(CLONE_NEWNS),
    CLONE_WITH(CLONE_UNTRACED),
    CLONE_WITH(CLONE_NEWCGROUP),
    CLONE_WITH(CLONE_NEWUTS),
    CLONE_WITH(CLONE_NEWIPC),
    CLONE_WITH(CLONE_NEWUSER),
    CLONE_WITH(CLONE_NEWPID),
    CLONE_WITH(CLONE_NEWNET),
    CLONE_WITH(CLONE_IO),
    /* clone3 hides its flags in memory a filter cannot read: ENOSYS
     * sends glibc's pthread_create back to clone, which is checked. */
    FAIL(clone3, SANDBOX_SPAWN, DENY_ENOSYS),
    /* QEMU gives these three libseccomp's kill-thread; emu kills the
     * process as for the rest, so that no half-dead emulator is left. */
    DENY(execveat, SANDBOX_SPAWN),
    DENY(setns, SANDBOX_SPAWN),
    DENY(unshare, SANDBOX_SPAWN),

    FAIL(setpriority, SANDBOX_RESOURCECTL, DENY_EPERM),
    FAIL(sched_setparam, SANDBOX_RESOURCECTL, DENY_EPERM),
    /* Lowering a thread to SCHED_IDLE stays allowed, as in QEMU. */
    { __NR_sched_setscheduler, SANDBOX_RESOURCECTL, DENY_EPERM, ARG_NE, 1,
      0, SCHED_IDLE },
    FAIL(sched_setaffinity, SANDBOX_RESOURCECTL, DENY_EPERM),
};

static long seccomp_call(unsigned op, unsigned flags, void *args)
{
    return syscall(__NR_seccomp, op, flags, args);
}

bool seccomp_filter_available(void)
{
    /* With no program the call fails with EFAULT where the kernel has
     * filters and thread synchronisation, EINVAL or ENOSYS where not:
     * QEMU's own probe. */
    return seccomp_call(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC,
                        NULL) < 0 && errno == EFAULT;
}

/* Kernels before 4.14 cannot kill a whole process: SIGSYS, as QEMU. */
static uint32_t kill_action(void)
{
    uint32_t action = SECCOMP_RET_KILL_PROCESS;

    if (seccomp_call(SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0) {
        return SECCOMP_RET_KILL_PROCESS;
    }
    return SECCOMP_RET_TRAP;
}

static uint32_t return_value(DenyAction action, uint32_t kill)
{
    switch (action) {
    case DENY_KILL:
        return kill;
    case DENY_EPERM:
        return SECCOMP_RET_ERRNO | EPERM;
    case DENY_ENOSYS:
        return SECCOMP_RET_ERRNO | ENOSYS;
    }
    g_assert_not_reached();
}

static void put(GArray *prog, uint16_t code, uint32_t k, uint8_t jt,
                uint8_t jf)
{
    struct sock_filter insn = BPF_JUMP(code, k, jt, jf);

    g_array_append_val(prog, insn);
}

/* Offsets of an argument's two halves in struct seccomp_data (x86-64
 * is little-endian: the low word first). */
static uint32_t arg_low(unsigned arg)
{
    return offsetof(struct seccomp_data, args) + arg * sizeof(uint64_t);
}

static uint32_t arg_high(unsigned arg)
{
    return arg_low(arg) + sizeof(uint32_t);
}

/*
 * Appends the test of one entry: returns its action when the call
 * matches, falls through to the next instruction when it does not.
 */
static void put_rule(GArray *prog, const DeniedCall *d, uint32_t action)
{
    uint32_t mask_lo = (uint32_t)d->mask, mask_hi = d->mask >> 32;
    uint32_t value_lo = (uint32_t)d->value, value_hi = d->value >> 32;

    switch (d->test) {
    case ARG_ANY:
        break;
    case ARG_MASKED_EQ:
        /* A 64-bit compare in two words; the high one only when the
         * mask reaches it.  Each miss jumps past the return. */
        if (mask_hi) {
            put(prog, BPF_LD | BPF_W | BPF_ABS, arg_high(d->arg), 0, 0);
            put(prog, BPF_ALU | BPF_AND | BPF_K, mask_hi, 0, 0);
            put(prog, BPF_JMP | BPF_JEQ | BPF_K, value_hi, 0, 4);
        }
        put(prog, BPF_LD | BPF_W | BPF_ABS, arg_low(d->arg), 0, 0);
        put(prog, BPF_ALU | BPF_AND | BPF_K, mask_lo, 0, 0);
        put(prog, BPF_JMP | BPF_JEQ | BPF_K, value_lo, 0, 1);
        break;
    case ARG_NE:
        /* Different high words match at once; equal ones leave the
         * decision to the low words. */
        put(prog, BPF_LD | BPF_W | BPF_ABS, arg_high(d->arg), 0, 0);
        put(prog, BPF_JMP | BPF_JEQ | BPF_K, value_hi, 0, 2);
        put(prog, BPF_LD | BPF_W | BPF_ABS, arg_low(d->arg), 0, 0);
        put(prog, BPF_JMP | BPF_JEQ | BPF_K, value_lo, 1, 0);
        break;
    }
    put(prog, BPF_RET | BPF_K, action, 0, 0);
}

/*
 * The program: wrong ABI killed; then per denied syscall a jump over its
 * block unless the number matches; a block tests that syscall's entries
 * in turn and allows the call when none matched (the argument loads have
 * replaced the number, and no other block is for it anyway).
 */
static GArray *build_filter(unsigned sets)
{
    GArray *prog = g_array_new(FALSE, FALSE, sizeof(struct sock_filter));
    uint32_t kill = kill_action();
    bool *done = g_new0(bool, ARRAY_SIZE(deny_list));

    put(prog, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch),
        0, 0);
    put(prog, BPF_JMP | BPF_JEQ | BPF_K, HOST_AUDIT_ARCH, 1, 0);
    put(prog, BPF_RET | BPF_K, kill, 0, 0);
    put(prog, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr),
        0, 0);
    put(prog, BPF_JMP | BPF_JGE | BPF_K, X32_SYSCALL_BIT, 0, 1);
    put(prog, BPF_RET | BPF_K, kill, 0, 0);

    for (size_t i = 0; i < ARRAY_SIZE(deny_list); i++) {
        g_autoptr(GArray) block = NULL;
        bool conditional = false;

        if (done[i] || !(deny_list[i].set & sets)) {
            continue;
        }
        block = g_array_new(FALSE, FALSE, sizeof(struct sock_filter));
        for (size_t j = i; j < ARRAY_SIZE(deny_list); j++) {
            const DeniedCall *d = &deny_list[j];

            if (d->nr != deny_list[i].nr || !(d->set & sets)) {
                continue;
            }
            done[j] = true;
            put_rule(block, d, return_value(d->action, kill));
            conditional = d->test != ARG_ANY;
        }
        if (conditional) {
            put(block, BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
        }
        /* Jump offsets are 8 bits: the clone block, the longest, is
         * about 170 instructions. */
        g_assert(block->len <= 255);
        put(prog, BPF_JMP | BPF_JEQ | BPF_K, deny_list[i].nr, 0, block->len);
        g_array_append_vals(prog, block->data, block->len);
    }
    put(prog, BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
    g_free(done);
    return prog;
}

bool seccomp_filter_install(unsigned sets, Error **errp)
{
    g_autoptr(GArray) prog = build_filter(sets);
    struct sock_fprog fprog;
    long rc;

    fprog.len = prog->len;
    fprog.filter = (struct sock_filter *)prog->data;
    /* As libseccomp does for QEMU: an unprivileged process may only
     * filter itself with no_new_privs set. */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        error_setg_errno(errp, errno, "failed to set no_new_privs aborting");
        return false;
    }
    /* TSYNC: the vCPU, I/O and display threads get the filter too.  A
     * positive result names a thread that could not take it. */
    rc = seccomp_call(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC,
                      &fprog);
    if (rc != 0) {
        error_setg_errno(errp, rc < 0 ? errno : EAGAIN,
                         "failed to load seccomp syscall filter in kernel");
        return false;
    }
    return true;
}

