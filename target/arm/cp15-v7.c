/*
 * The system control coprocessor (cp15) as ARMv7-A defines it, for the
 * Cortex models: one table of registers by (opc1, CRn, CRm, opc2) with
 * who may access them and where their state lives, plus the operations
 * (TLB and cache maintenance, address translation) that act rather
 * than store.  The ARMv5/ARMv6 cores keep the switch in helper.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "sysemu/main-loop.h"
#include "sysemu/timer.h"
#include "target/arm/internals.h"

/* The generic timer counts at 62.5 MHz, as on QEMU's boards. */
#define GT_NS_PER_TICK 16
#define GT_FREQ (NANOSECONDS_PER_SECOND / GT_NS_PER_TICK)
#define GT_CTL_ENABLE 1u
#define GT_CTL_IMASK 2u
#define GT_CTL_ISTATUS 4u

/* Who may access a register. */
enum {
    CP_R = 1 << 0,               /* PL1 reads */
    CP_W = 1 << 1,               /* PL1 writes */
    CP_UR = 1 << 2,              /* user mode reads too */
    CP_UW = 1 << 3,              /* user mode writes too */
    CP_RW = CP_R | CP_W,
};

/*
 * A register is a constant, or a uint32_t of CPUARMState (field), or
 * both; read and write functions, where given, replace the plain
 * access to the field.
 */
typedef struct ARMCPReg {
    const char *name;
    uint8_t opc1, crn, crm, opc2;
    uint8_t access;
    bool is_const;               /* reads as value, writes ignored */
    bool field;
    size_t offset;               /* of the field */
    uint32_t value;              /* the constant; a field's writable bits
                                  * (0: all) */
    uint32_t (*read)(CPUARMState *env, const struct ARMCPReg *r);
    void (*write)(CPUARMState *env, const struct ARMCPReg *r, uint32_t v);
} ARMCPReg;

#define FIELD(f) .field = true, .offset = offsetof(CPUARMState, f)
#define CONST(v) .is_const = true, .value = (v)
#define FN(rd, wr) .read = (rd), .write = (wr)

static const ARMCPUModel *model_of(CPUARMState *env)
{
    return ARM_CPU_GET_CLASS(env_archcpu(env))->model;
}

/* ---- identification ---- */

/* ID_PFR1's Security (7:4) and Virtualization (15:12) fields */
#define ID_PFR1_EL3_EL2 0xf0f0u

static uint32_t id_read(CPUARMState *env, const ARMCPReg *r)
{
    const ARMCPUModel *m = model_of(env);

    if (r->crm == 1 && r->opc2 == 1) {
        /* The cores have both extensions, emu's CPUs neither (as
         * QEMU's virt with secure=off and virtualization=off, its
         * defaults, says) */
        return m->id_regs[0][1] & ~ID_PFR1_EL3_EL2;
    }
    if (r->crm == 1 || r->crm == 2) {
        return m->id_regs[r->crm - 1][r->opc2];
    }
    return 0;
}

static uint32_t ccsidr_read(CPUARMState *env, const ARMCPReg *r)
{
    unsigned sel = env->cp15.csselr;

    return sel < ARRAY_SIZE(model_of(env)->ccsidr) ?
           model_of(env)->ccsidr[sel] : 0;
}

static uint32_t clidr_read(CPUARMState *env, const ARMCPReg *r)
{
    return model_of(env)->clidr;
}

static uint32_t mpidr_read(CPUARMState *env, const ARMCPReg *r)
{
    return env->cp15.mpidr;
}

/* A15/A7 L2CTLR: the number of cores in the cluster, less one. */
static uint32_t l2ctlr_read(CPUARMState *env, const ARMCPReg *r)
{
    return (cpus ? cpus->len - 1 : 0) << 24;
}

/* ---- control ---- */

static void sctlr_write(CPUARMState *env, const ARMCPReg *r, uint32_t v)
{
    uint32_t old = env->cp15.sctlr;

    env->cp15.sctlr = v;
    /* M, AFE and TRE change what every cached translation says. */
    if ((old ^ v) & (SCTLR_M | SCTLR_AFE | SCTLR_TRE)) {
        tlb_flush(env_cpu(env));
    }
    arm_rebuild_hflags(env);
}

/* CPACR decides whether VFP instructions are translated as such. */
static void cpacr_write(CPUARMState *env, const ARMCPReg *r, uint32_t v)
{
    env->cp15.cpacr = v & r->value;
    arm_rebuild_hflags(env);
}

static void ttbcr_write(CPUARMState *env, const ARMCPReg *r, uint32_t v)
{
    bool lpae = arm_feature(env, ARM_FEATURE_LPAE);
    /* N and PD0/PD1; with EAE set, the long format's T0SZ, EPD0, IRGN0,
     * ORGN0, SH0, T1SZ, A1, EPD1, IRGN1, ORGN1, SH1 and the
     * implementation defined bit 30 (kept, as QEMU keeps it) */
    uint32_t mask = lpae && (v & TTBCR_EAE) ? 0xffc73f87u
                                             : 0x37 | (lpae ? TTBCR_EAE : 0);

    env->cp15.ttbcr = v & mask;
    tlb_flush(env_cpu(env));
}

/* TTBR0/TTBR1 as a whole (MCRR) or their low word (MCR).  Under the
 * long format they hold the ASID (bits 55:48), and the TLB is not
 * tagged with it: a change flushes it. */
static void ttbr_set(CPUARMState *env, int n, uint64_t v)
{
    uint64_t *ttbr = n ? &env->cp15.ttbr1 : &env->cp15.ttbr0;

    if (*ttbr != v && arm_long_fsr_format(env)) {
        tlb_flush(env_cpu(env));
    }
    *ttbr = v;
}

static uint32_t ttbr_read(CPUARMState *env, const ARMCPReg *r)
{
    return r->opc2 ? env->cp15.ttbr1 : env->cp15.ttbr0;
}

static void ttbr_write(CPUARMState *env, const ARMCPReg *r, uint32_t v)
{
    uint64_t old = r->opc2 ? env->cp15.ttbr1 : env->cp15.ttbr0;

    ttbr_set(env, r->opc2, (old & ~0xffffffffull) | v);
}

static void dacr_write(CPUARMState *env, const ARMCPReg *r, uint32_t v)
{
    env->cp15.dacr = v;
    tlb_flush(env_cpu(env));
}

/* The TLB is not tagged with the ASID: a new ASID empties it, so the
 * global bit and ASID-wide maintenance need nothing more. */
static void contextidr_write(CPUARMState *env, const ARMCPReg *r, uint32_t v)
{
    if ((env->cp15.contextidr ^ v) & 0xff) {
        tlb_flush(env_cpu(env));
    }
    env->cp15.contextidr = v;
}

/* Pending interrupts, masked or not: A (8), I (7), F (6). */
static uint32_t isr_read(CPUARMState *env, const ARMCPReg *r)
{
    uint32_t req = env_cpu(env)->interrupt_request;

    return ((req & CPU_INTERRUPT_HARD) ? 1u << 7 : 0) |
           ((req & CPU_INTERRUPT_FIQ) ? 1u << 6 : 0);
}

/* ---- maintenance ---- */

static void nop_write(CPUARMState *env, const ARMCPReg *r, uint32_t v)
{
    /* Caches, branch predictors and barriers: nothing is cached beyond
     * what the code cache and the TLB track on their own. */
}

static void tlb_all_cpus(CPUARMState *env, bool inner_shareable,
                         bool by_mva, uint32_t mva)
{
    for (guint i = 0; i < cpus->len; i++) {
        CPUState *cs = g_ptr_array_index(cpus, i);

        if (cs != env_cpu(env) && !inner_shareable) {
            continue;
        }
        if (by_mva) {
            tlb_flush_page(cs, mva & TARGET_PAGE_MASK);
        } else {
            tlb_flush(cs);
        }
    }
}

/* c8: opc2 0 all, 1 by MVA (and ASID), 2 by ASID, 3 by MVA any ASID;
 * CRm 3 is the inner-shareable (every core) form. */
static void tlbi_write(CPUARMState *env, const ARMCPReg *r, uint32_t v)
{
    bool by_mva = r->opc2 == 1 || r->opc2 == 3;

    tlb_all_cpus(env, r->crm == 3, by_mva, v);
}

/* The long-format PAR's fields (ARM ARM B4.1.112). */
#define PAR_F (1ull << 0)                /* the translation faulted */
#define PAR_LPAE (1ull << 11)
#define PAR_SH_SHIFT 7
#define PAR_ATTR_SHIFT 56
#define SH_OUTER 2

/*
 * The long format's result: the output address, AttrIndx's attribute
 * byte of MAIR0/MAIR1 and the shareability, or the fault's status.
 * Device and Normal Non-cacheable memory are outer shareable whatever
 * the descriptor says (the ARM ARM treats them as Outer Shareable;
 * ARMv8's PAREncodeShareability reports them so), and so is everything
 * with the MMU off, which is Strongly-ordered (MAIR byte 0x00).  NS
 * stays 0: the cores have no Security Extensions.
 */
static uint64_t ats_par_long(CPUARMState *env, bool ok,
                             const ARMMMUResult *res)
{
    uint64_t attr = 0, sh = SH_OUTER;

    if (!ok) {
        return PAR_LPAE | (res->fsr & 0x3f) << 1 | PAR_F;
    }
    if (env->cp15.sctlr & SCTLR_M) {
        unsigned idx = (res->desc >> 2) & 7;
        uint32_t mair = idx < 4 ? env->cp15.prrr : env->cp15.nmrr;

        attr = (mair >> (8 * (idx & 3))) & 0xff;
        if ((attr & 0xf0) && attr != 0x44) {
            sh = (res->desc >> 8) & 3;
        }
    }
    return attr << PAR_ATTR_SHIFT | (res->phys & 0xfffffff000ull) |
           PAR_LPAE | sh << PAR_SH_SHIFT;
}

/* The short format: the page's address, or the fault's status
 * (PAR[6:1] = ExT, FS[4], FS[3:0]). */
static uint64_t ats_par_short(bool ok, const ARMMMUResult *res)
{
    uint32_t fsr = res->fsr;

    if (ok) {
        return (uint32_t)res->phys & ~0xfffu;
    }
    return 1 | (fsr & 0xf) << 1 | ((fsr >> 10) & 1) << 5 |
           ((fsr >> 12) & 1) << 6;
}

/* c7, c8: ATS1CPR, ATS1CPW, ATS1CUR, ATS1CUW: the stage 1 translation
 * of a PL1 or user read or write, result in the PAR, in the format
 * TTBCR.EAE selects. */
static void ats_write(CPUARMState *env, const ARMCPReg *r, uint32_t va)
{
    static const int needed[2] = { PAGE_READ, PAGE_WRITE };
    int mmu_idx = r->opc2 >= 2 ? ARM_MMU_IDX_USER : ARM_MMU_IDX_PRIV;
    ARMMMUResult res;
    bool ok = arm_get_phys_addr(env, va, mmu_idx, &res) &&
              (res.prot & needed[r->opc2 & 1]);

    env->cp15.par = (env->cp15.ttbcr & TTBCR_EAE)
                    ? ats_par_long(env, ok, &res) : ats_par_short(ok, &res);
}

/* MRC/MCR reach the low word of the PAR (MCR leaves the high one, as
 * QEMU). */
static uint32_t par_read(CPUARMState *env, const ARMCPReg *r)
{
    return env->cp15.par;
}

static void par_write(CPUARMState *env, const ARMCPReg *r, uint32_t v)
{
    env->cp15.par = (env->cp15.par & ~(uint64_t)UINT32_MAX) | v;
}

/* ---- the generic timer ---- */

/* The system counter (CNTPCT; CNTVCT too: the virtual offset is 0). */
static uint64_t gt_count(void)
{
    return clock_virtual_ns() / GT_NS_PER_TICK;
}

/* opc2 of c14 c2 (physical) / c3 (virtual): the timer's CTL and CVAL. */
static uint32_t *gt_ctl(CPUARMState *env, const ARMCPReg *r)
{
    return r->crm == 2 ? &env->cp15.cntp_ctl : &env->cp15.cntv_ctl;
}

static uint64_t *gt_cval(CPUARMState *env, int crm)
{
    return crm == 2 ? &env->cp15.cntp_cval : &env->cp15.cntv_cval;
}

static uint32_t gt_ctl_read(CPUARMState *env, const ARMCPReg *r)
{
    uint32_t ctl = *gt_ctl(env, r) & (GT_CTL_ENABLE | GT_CTL_IMASK);

    if ((ctl & GT_CTL_ENABLE) && gt_count() >= *gt_cval(env, r->crm)) {
        ctl |= GT_CTL_ISTATUS;
    }
    return ctl;
}

/* crm 2 is the physical timer, 3 the virtual one. */
static int gt_index(int crm)
{
    return crm == 2 ? ARM_GT_PHYS : ARM_GT_VIRT;
}

void arm_gt_update(ARMCPU *cpu, int t)
{
    CPUARMState *env = &cpu->env;
    uint32_t ctl = t == ARM_GT_PHYS ? env->cp15.cntp_ctl : env->cp15.cntv_ctl;
    uint64_t cval = *gt_cval(env, t == ARM_GT_PHYS ? 2 : 3);
    bool enabled = ctl & GT_CTL_ENABLE;
    bool fired = enabled && gt_count() >= cval;
    /* A vCPU writing the registers does not hold the lock; the host
     * timer's callback does. */
    bool locked = bql_locked();

    if (!cpu->gt_timer[t]) {
        return;
    }
    if (!locked) {
        bql_lock();
    }
    irq_set_level(cpu->gt_out[t], fired && !(ctl & GT_CTL_IMASK));
    if (enabled && !fired) {
        timer_mod(cpu->gt_timer[t], cval >= INT64_MAX / GT_NS_PER_TICK ?
                                    INT64_MAX : cval * GT_NS_PER_TICK);
    } else {
        timer_del(cpu->gt_timer[t]);
    }
    if (!locked) {
        bql_unlock();
    }
}

static void gt_ctl_write(CPUARMState *env, const ARMCPReg *r, uint32_t v)
{
    *gt_ctl(env, r) = v & (GT_CTL_ENABLE | GT_CTL_IMASK);
    arm_gt_update(env_archcpu(env), gt_index(r->crm));
}

/* TVAL: the signed distance from the counter to CVAL. */
static uint32_t gt_tval_read(CPUARMState *env, const ARMCPReg *r)
{
    return *gt_cval(env, r->crm) - gt_count();
}

static void gt_tval_write(CPUARMState *env, const ARMCPReg *r, uint32_t v)
{
    *gt_cval(env, r->crm) = gt_count() + (int64_t)(int32_t)v;
    arm_gt_update(env_archcpu(env), gt_index(r->crm));
}

bool arm_cp_access64(CPUARMState *env, int cp, int opc1, int crm,
                     bool write, uint64_t *value)
{
    bool user = arm_current_mode(env) == ARM_CPU_MODE_USR;
    bool timer = arm_feature(env, ARM_FEATURE_GENERIC_TIMER);

    if (cp != 15 || !arm_feature(env, ARM_FEATURE_V7)) {
        return false;
    }
    if (crm == 2 && opc1 <= 1 && !user) {       /* TTBR0, TTBR1 */
        /* 64 bits with LPAE, else the short format's low word */
        uint64_t mask = arm_feature(env, ARM_FEATURE_LPAE) ? UINT64_MAX
                                                           : UINT32_MAX;

        if (write) {
            ttbr_set(env, opc1, *value & mask);
        } else {
            *value = opc1 ? env->cp15.ttbr1 : env->cp15.ttbr0;
        }
        return true;
    }
    if (crm == 7 && opc1 == 0 && !user &&
        arm_feature(env, ARM_FEATURE_LPAE)) {   /* PAR, 64 bits */
        if (write) {
            env->cp15.par = *value;
        } else {
            *value = env->cp15.par;
        }
        return true;
    }
    if (crm != 14 || !timer) {
        return false;
    }
    switch (opc1) {
    case 0:                     /* CNTPCT: user mode with CNTKCTL.PL0PCTEN */
    case 1:                     /* CNTVCT: with PL0VCTEN */
        if (write || (user && !(env->cp15.cntkctl & (1u << opc1)))) {
            return false;
        }
        *value = gt_count();
        return true;
    case 2:                     /* CNTP_CVAL */
    case 3:                     /* CNTV_CVAL */
        if (user) {
            return false;
        }
        if (write) {
            *gt_cval(env, opc1 == 2 ? 2 : 3) = *value;
            arm_gt_update(env_archcpu(env), gt_index(opc1));
        } else {
            *value = *gt_cval(env, opc1 == 2 ? 2 : 3);
        }
        return true;
    default:
        return false;
    }
}

uint32_t arm_gt_default_freq(void)
{
    return GT_FREQ;
}

static const ARMCPReg cp15_v7_regs[] = {
    /* c0: identification (unlisted opc2 of c0,c0 read as the MIDR) */
    { "MIDR", 0, 0, 0, 0, CP_R, FIELD(cp15.midr) },
    { "CTR", 0, 0, 0, 1, CP_R, FIELD(cp15.ctr) },
    { "TCMTR", 0, 0, 0, 2, CP_R, CONST(0) },
    { "TLBTR", 0, 0, 0, 3, CP_R, CONST(0) },
    { "MIDR", 0, 0, 0, 4, CP_R, FIELD(cp15.midr) },
    { "MPIDR", 0, 0, 0, 5, CP_R, FN(mpidr_read, NULL) },
    { "REVIDR", 0, 0, 0, 6, CP_R, FIELD(cp15.midr) },
    { "MIDR", 0, 0, 0, 7, CP_R, FIELD(cp15.midr) },
    { "ID_PFR0", 0, 0, 1, 0, CP_R, FN(id_read, NULL) },
    { "ID_PFR1", 0, 0, 1, 1, CP_R, FN(id_read, NULL) },
    { "ID_DFR0", 0, 0, 1, 2, CP_R, FN(id_read, NULL) },
    { "ID_AFR0", 0, 0, 1, 3, CP_R, FN(id_read, NULL) },
    { "ID_MMFR0", 0, 0, 1, 4, CP_R, FN(id_read, NULL) },
    { "ID_MMFR1", 0, 0, 1, 5, CP_R, FN(id_read, NULL) },
    { "ID_MMFR2", 0, 0, 1, 6, CP_R, FN(id_read, NULL) },
    { "ID_MMFR3", 0, 0, 1, 7, CP_R, FN(id_read, NULL) },
    { "ID_ISAR0", 0, 0, 2, 0, CP_R, FN(id_read, NULL) },
    { "ID_ISAR1", 0, 0, 2, 1, CP_R, FN(id_read, NULL) },
    { "ID_ISAR2", 0, 0, 2, 2, CP_R, FN(id_read, NULL) },
    { "ID_ISAR3", 0, 0, 2, 3, CP_R, FN(id_read, NULL) },
    { "ID_ISAR4", 0, 0, 2, 4, CP_R, FN(id_read, NULL) },
    { "ID_ISAR5", 0, 0, 2, 5, CP_R, FN(id_read, NULL) },
    { "CCSIDR", 1, 0, 0, 0, CP_R, FN(ccsidr_read, NULL) },
    { "CLIDR", 1, 0, 0, 1, CP_R, FN(clidr_read, NULL) },
    { "AIDR", 1, 0, 0, 7, CP_R, CONST(0) },
    { "CSSELR", 2, 0, 0, 0, CP_RW, FIELD(cp15.csselr), .value = 0xf },
    /* c1: system control */
    { "SCTLR", 0, 1, 0, 0, CP_RW, FIELD(cp15.sctlr), .write = sctlr_write },
    { "ACTLR", 0, 1, 0, 1, CP_RW, FIELD(cp15.aux_ctrl) },
    /* cp10 and cp11 (VFP/NEON) access, ASEDIS and D32DIS */
    { "CPACR", 0, 1, 0, 2, CP_RW, FIELD(cp15.cpacr), .value = 0xc0f00000,
      .write = cpacr_write },
    /* c2, c3: translation tables and domains */
    { "TTBR0", 0, 2, 0, 0, CP_RW, FN(ttbr_read, ttbr_write) },
    { "TTBR1", 0, 2, 0, 1, CP_RW, FN(ttbr_read, ttbr_write) },
    { "TTBCR", 0, 2, 0, 2, CP_RW, FIELD(cp15.ttbcr), .write = ttbcr_write },
    { "DACR", 0, 3, 0, 0, CP_RW, FIELD(cp15.dacr), .write = dacr_write },
    /* c5, c6: faults */
    { "DFSR", 0, 5, 0, 0, CP_RW, FIELD(cp15.dfsr) },
    { "IFSR", 0, 5, 0, 1, CP_RW, FIELD(cp15.ifsr) },
    { "ADFSR", 0, 5, 1, 0, CP_RW, FIELD(cp15.adfsr) },
    { "AIFSR", 0, 5, 1, 1, CP_RW, FIELD(cp15.aifsr) },
    { "DFAR", 0, 6, 0, 0, CP_RW, FIELD(cp15.far) },
    { "IFAR", 0, 6, 0, 2, CP_RW, FIELD(cp15.ifar) },
    /* c7: cache maintenance, barriers, address translation */
    { "ICIALLUIS", 0, 7, 1, 0, CP_W, FN(NULL, nop_write) },
    { "BPIALLIS", 0, 7, 1, 6, CP_W, FN(NULL, nop_write) },
    { "PAR", 0, 7, 4, 0, CP_RW, FN(par_read, par_write) },
    { "ICIALLU", 0, 7, 5, 0, CP_W, FN(NULL, nop_write) },
    { "ICIMVAU", 0, 7, 5, 1, CP_W, FN(NULL, nop_write) },
    { "CP15ISB", 0, 7, 5, 4, CP_W | CP_UW, FN(NULL, nop_write) },
    { "BPIALL", 0, 7, 5, 6, CP_W, FN(NULL, nop_write) },
    { "BPIMVA", 0, 7, 5, 7, CP_W, FN(NULL, nop_write) },
    { "DCIMVAC", 0, 7, 6, 1, CP_W, FN(NULL, nop_write) },
    { "DCISW", 0, 7, 6, 2, CP_W, FN(NULL, nop_write) },
    { "ATS1CPR", 0, 7, 8, 0, CP_W, FN(NULL, ats_write) },
    { "ATS1CPW", 0, 7, 8, 1, CP_W, FN(NULL, ats_write) },
    { "ATS1CUR", 0, 7, 8, 2, CP_W, FN(NULL, ats_write) },
    { "ATS1CUW", 0, 7, 8, 3, CP_W, FN(NULL, ats_write) },
    { "DCCMVAC", 0, 7, 10, 1, CP_W, FN(NULL, nop_write) },
    { "DCCSW", 0, 7, 10, 2, CP_W, FN(NULL, nop_write) },
    { "CP15DSB", 0, 7, 10, 4, CP_W | CP_UW, FN(NULL, nop_write) },
    { "CP15DMB", 0, 7, 10, 5, CP_W | CP_UW, FN(NULL, nop_write) },
    { "DCCMVAU", 0, 7, 11, 1, CP_W, FN(NULL, nop_write) },
    { "DCCIMVAC", 0, 7, 14, 1, CP_W, FN(NULL, nop_write) },
    { "DCCISW", 0, 7, 14, 2, CP_W, FN(NULL, nop_write) },
    /* c8: TLB maintenance */
    { "TLBIALLIS", 0, 8, 3, 0, CP_W, FN(NULL, tlbi_write) },
    { "TLBIMVAIS", 0, 8, 3, 1, CP_W, FN(NULL, tlbi_write) },
    { "TLBIASIDIS", 0, 8, 3, 2, CP_W, FN(NULL, tlbi_write) },
    { "TLBIMVAAIS", 0, 8, 3, 3, CP_W, FN(NULL, tlbi_write) },
    { "ITLBIALL", 0, 8, 5, 0, CP_W, FN(NULL, tlbi_write) },
    { "ITLBIMVA", 0, 8, 5, 1, CP_W, FN(NULL, tlbi_write) },
    { "ITLBIASID", 0, 8, 5, 2, CP_W, FN(NULL, tlbi_write) },
    { "DTLBIALL", 0, 8, 6, 0, CP_W, FN(NULL, tlbi_write) },
    { "DTLBIMVA", 0, 8, 6, 1, CP_W, FN(NULL, tlbi_write) },
    { "DTLBIASID", 0, 8, 6, 2, CP_W, FN(NULL, tlbi_write) },
    { "TLBIALL", 0, 8, 7, 0, CP_W, FN(NULL, tlbi_write) },
    { "TLBIMVA", 0, 8, 7, 1, CP_W, FN(NULL, tlbi_write) },
    { "TLBIASID", 0, 8, 7, 2, CP_W, FN(NULL, tlbi_write) },
    { "TLBIMVAA", 0, 8, 7, 3, CP_W, FN(NULL, tlbi_write) },
    /* c9: L2 control (A15, A7) */
    { "L2CTLR", 1, 9, 0, 2, CP_RW, FN(l2ctlr_read, nop_write) },
    /* c10: memory attributes (TEX remap) and TLB lockdown */
    { "PRRR", 0, 10, 2, 0, CP_RW, FIELD(cp15.prrr) },   /* MAIR0 */
    { "NMRR", 0, 10, 2, 1, CP_RW, FIELD(cp15.nmrr) },   /* MAIR1 */
    /* implementation defined; nothing here uses them (as QEMU) */
    { "AMAIR0", 0, 10, 3, 0, CP_RW, CONST(0) },
    { "AMAIR1", 0, 10, 3, 1, CP_RW, CONST(0) },
    /* c12: vectors and pending interrupts */
    { "VBAR", 0, 12, 0, 0, CP_RW, FIELD(cp15.vbar), .value = ~0x1fu },
    { "ISR", 0, 12, 1, 0, CP_R, FN(isr_read, NULL) },
    /* c13: process and thread IDs (no FCSE on these cores) */
    { "FCSEIDR", 0, 13, 0, 0, CP_RW, CONST(0) },
    { "CONTEXTIDR", 0, 13, 0, 1, CP_RW, FIELD(cp15.contextidr),
      .write = contextidr_write },
    { "TPIDRURW", 0, 13, 0, 2, CP_RW | CP_UR | CP_UW, FIELD(cp15.tpidrurw) },
    { "TPIDRURO", 0, 13, 0, 3, CP_RW | CP_UR, FIELD(cp15.tpidruro) },
    { "TPIDRPRW", 0, 13, 0, 4, CP_RW, FIELD(cp15.tpidrprw) },
    /* c14: the generic timer (the compare values and counters are the
     * 64-bit registers of arm_cp_access64) */
    { "CNTFRQ", 0, 14, 0, 0, CP_RW | CP_UR, FIELD(cp15.cntfrq) },
    { "CNTKCTL", 0, 14, 1, 0, CP_RW, FIELD(cp15.cntkctl), .value = 0x303 },
    { "CNTP_TVAL", 0, 14, 2, 0, CP_RW, FN(gt_tval_read, gt_tval_write) },
    { "CNTP_CTL", 0, 14, 2, 1, CP_RW, FN(gt_ctl_read, gt_ctl_write) },
    { "CNTV_TVAL", 0, 14, 3, 0, CP_RW, FN(gt_tval_read, gt_tval_write) },
    { "CNTV_CTL", 0, 14, 3, 1, CP_RW, FN(gt_ctl_read, gt_ctl_write) },
    /* c15: the configuration base address (the board's private
     * peripherals; none on -M none) */
    { "CBAR", 4, 15, 0, 0, CP_R, CONST(0) },
};

static const ARMCPReg *cp15_v7_find(int opc1, int crn, int crm, int opc2)
{
    for (size_t i = 0; i < ARRAY_SIZE(cp15_v7_regs); i++) {
        const ARMCPReg *r = &cp15_v7_regs[i];

        if (r->opc1 == opc1 && r->crn == crn && r->crm == crm &&
            r->opc2 == opc2) {
            return r;
        }
    }
    return NULL;
}

static uint32_t *cp15_field(CPUARMState *env, const ARMCPReg *r)
{
    return (uint32_t *)((char *)env + r->offset);
}

bool arm_cp15_v7_access(CPUARMState *env, int opc1, int crn, int crm,
                        int opc2, bool write, uint32_t *value)
{
    const ARMCPReg *r = cp15_v7_find(opc1, crn, crm, opc2);
    bool user = arm_current_mode(env) == ARM_CPU_MODE_USR;
    uint8_t need = write ? (user ? CP_UW : CP_W) : (user ? CP_UR : CP_R);

    /* The reserved ID space of c0 (CRm 3-7, and what c0,c2 leaves)
     * reads as zero at PL1. */
    if (!r && !write && !user && opc1 == 0 && crn == 0 && crm >= 2) {
        *value = 0;
        return true;
    }
    if (!r || !(r->access & need) ||
        (crn == 14 && !arm_feature(env, ARM_FEATURE_GENERIC_TIMER)) ||
        (crn == 10 && crm == 3 && !arm_feature(env, ARM_FEATURE_LPAE))) {
        return false;
    }
    if (r->is_const) {
        if (!write) {
            *value = r->value;
        }
        return true;
    }
    if (write) {
        if (r->write) {
            r->write(env, r, *value);
        } else if (r->field) {
            uint32_t mask = r->value ? r->value : UINT32_MAX;
            uint32_t *f = cp15_field(env, r);

            *f = (*f & ~mask) | (*value & mask);
        }
    } else {
        *value = r->read ? r->read(env, r) : *cp15_field(env, r);
    }
    return true;
}
