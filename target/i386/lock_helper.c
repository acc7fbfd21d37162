/*
 * LOCKed read-modify-write instructions, and XCHG with memory (locked
 * without the prefix): each is one host atomic operation on the guest's
 * memory, so vCPU threads running at once see it whole (a spinlock taken
 * with "xchg" or "lock cmpxchg" holds, "lock add" counts every add).
 *
 * The translator calls these before the instruction changes anything
 * else (so a fault restarts it cleanly), then computes the flags and the
 * register results from the old value they return.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "target/i386/translate.h"

typedef struct LockUpdate {
    int op;                      /* LOCK_* */
    uint64_t src, expected;
} LockUpdate;

static uint64_t lock_update(uint64_t old, const void *opaque)
{
    const LockUpdate *u = opaque;

    switch (u->op) {
    case LOCK_ADD:
        return old + u->src;
    case LOCK_AND:
        return old & u->src;
    case LOCK_OR:
        return old | u->src;
    case LOCK_XOR:
        return old ^ u->src;
    case LOCK_XCHG:
        return u->src;
    case LOCK_NEG:
        return -old;
    default: /* LOCK_CMPXCHG: memory is written either way */
        return old == u->expected ? u->src : old;
    }
}

uint64_t helper_lock_rmw(CPUX86State *env, uint64_t addr, uint64_t src,
                         uint64_t expected, uint32_t ctl)
{
    MemOp ot = LOCK_CTL_OT(ctl);
    uint64_t mask = ot == MO_64 ? UINT64_MAX : (1ULL << (8 << ot)) - 1;
    LockUpdate u = {
        .op = LOCK_CTL_OP(ctl), .src = src, .expected = expected & mask,
    };

    return cpu_atomic_rmw_mmuidx_ra(env_cpu(env), addr, 1 << ot, lock_update,
                                    &u, LOCK_CTL_MMU_IDX(ctl), GETPC());
}

/*
 * cmpxchg8b: EDX:EAX against the 8 bytes at addr; equal: ECX:EBX go
 * there; not: EDX:EAX get them (a 32-bit write: the upper halves
 * clear).  Returns ZF.
 */
uint32_t helper_cmpxchg8b(CPUX86State *env, uint64_t addr, uint32_t mmu_idx)
{
    uint64_t *r = env->regs;
    LockUpdate u = {
        .op = LOCK_CMPXCHG,
        .src = (uint32_t)r[R_EBX] | (uint64_t)(uint32_t)r[R_ECX] << 32,
        .expected = (uint32_t)r[R_EAX] | (uint64_t)(uint32_t)r[R_EDX] << 32,
    };
    uint64_t old = cpu_atomic_rmw_mmuidx_ra(env_cpu(env), addr, 8,
                                            lock_update, &u, mmu_idx,
                                            GETPC());

    if (old == u.expected) {
        return 1;
    }
    r[R_EAX] = (uint32_t)old;
    r[R_EDX] = old >> 32;
    return 0;
}

/* cmpxchg16b (the translator checked the 16-byte alignment): the same
 * with RDX:RAX and RCX:RBX. */
uint32_t helper_cmpxchg16b(CPUX86State *env, uint64_t addr, uint32_t mmu_idx)
{
    uint64_t *r = env->regs;
    uint64_t expected[2] = { r[R_EAX], r[R_EDX] };
    const uint64_t val[2] = { r[R_EBX], r[R_ECX] };

    if (cpu_cmpxchg16_mmuidx_ra(env_cpu(env), addr, expected, val, mmu_idx,
                                GETPC())) {
        return 1;
    }
    r[R_EAX] = expected[0];
    r[R_EDX] = expected[1];
    return 0;
}
