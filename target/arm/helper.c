/*
 * The ARM CPU's architectural machinery as ARMv5 (and ARMv6 in its
 * legacy page-table format) define it: the CPSR with its mode switches
 * and register banks, exception entry, interrupts, the MMU's page-table
 * walk and faults, and the system coprocessors (cp15, XScale cp14).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "softmmu/memory.h"
#include "sysemu/main-loop.h"
#include "semihosting/semihost.h"
#include "target/arm/internals.h"

#define PAGE_RWX (PAGE_READ | PAGE_WRITE | PAGE_EXEC)
#define FCSE_LIMIT 0x02000000u       /* FCSE relocates addresses below */
#define FCSE_PID_MASK 0xfe000000u

/* ---- CPSR and register banks ---- */

bool arm_mode_valid(int mode)
{
    switch (mode) {
    case ARM_CPU_MODE_USR:
    case ARM_CPU_MODE_FIQ:
    case ARM_CPU_MODE_IRQ:
    case ARM_CPU_MODE_SVC:
    case ARM_CPU_MODE_ABT:
    case ARM_CPU_MODE_UND:
    case ARM_CPU_MODE_SYS:
        return true;
    default:
        return false;
    }
}

int arm_bank_number(int mode)
{
    switch (mode) {
    case ARM_CPU_MODE_SVC:
        return 1;
    case ARM_CPU_MODE_ABT:
        return 2;
    case ARM_CPU_MODE_UND:
        return 3;
    case ARM_CPU_MODE_IRQ:
        return 4;
    case ARM_CPU_MODE_FIQ:
        return 5;
    default:                     /* usr and sys share their registers */
        return 0;
    }
}

/* Saves the outgoing mode's banked registers and loads the new mode's. */
static void arm_switch_mode(CPUARMState *env, int mode)
{
    int old_mode = arm_current_mode(env);
    int i;

    if (mode == old_mode) {
        return;
    }
    if (old_mode == ARM_CPU_MODE_FIQ) {
        memcpy(env->fiq_regs, env->regs + 8, sizeof(env->fiq_regs));
        memcpy(env->regs + 8, env->usr_regs, sizeof(env->usr_regs));
    } else if (mode == ARM_CPU_MODE_FIQ) {
        memcpy(env->usr_regs, env->regs + 8, sizeof(env->usr_regs));
        memcpy(env->regs + 8, env->fiq_regs, sizeof(env->fiq_regs));
    }
    i = arm_bank_number(old_mode);
    env->banked_r13[i] = env->regs[13];
    env->banked_r14[i] = env->regs[14];
    env->banked_spsr[i] = env->spsr;
    i = arm_bank_number(mode);
    env->regs[13] = env->banked_r13[i];
    env->regs[14] = env->banked_r14[i];
    env->spsr = env->banked_spsr[i];
    env->uncached_cpsr = (env->uncached_cpsr & ~CPSR_M) | mode;
    arm_rebuild_hflags(env);
}

void arm_cv_materialize(CPUARMState *env)
{
    arm_cv_values(env, &env->CF, &env->VF);
    env->cv_op = ARM_CV_EAGER;
}

uint32_t cpsr_read(CPUARMState *env)
{
    uint32_t c, v;

    /* Only reads: generated code calls this (MRS) as a helper that
     * leaves the globals alone. */
    arm_cv_values(env, &c, &v);
    return (env->NF & 0x80000000u) | ((env->ZF == 0) << 30) |
           ((c & 1) << 29) | ((v >> 31) << 28) |
           ((env->QF != 0) << 27) | (env->GE & 0xf) << 16 |
           (env->condexec_bits & 3) << 25 | (env->condexec_bits >> 2) << 10 |
           (env->thumb ? CPSR_T : 0) |
           (env->uncached_cpsr & ~(CPSR_NZCV | CPSR_Q | CPSR_GE | CPSR_IT |
                                   CPSR_T));
}

void cpsr_write(CPUARMState *env, uint32_t val, uint32_t mask)
{
    if (mask & (CPSR_C | CPSR_V)) {
        /* A pending C or V the mask leaves alone keeps its value. */
        arm_cv_materialize(env);
    }
    if (mask & (1u << 31)) {
        env->NF = val;
    }
    if (mask & (1u << 30)) {
        env->ZF = ~val & (1u << 30);
    }
    if (mask & (1u << 29)) {
        env->CF = (val >> 29) & 1;
    }
    if (mask & (1u << 28)) {
        env->VF = val << 3;
    }
    if (mask & CPSR_Q) {
        env->QF = (val >> 27) & 1;
    }
    if (mask & CPSR_GE) {
        env->GE = (env->GE & ~(mask >> 16) & 0xf) | ((val & mask) >> 16 & 0xf);
    }
    if ((mask & CPSR_IT) == CPSR_IT) {
        /* only whole: MSR cannot write them, exception returns do */
        env->condexec_bits = ((val >> 25) & 3) | ((val >> 8) & 0xfc);
    }
    if (mask & CPSR_T) {
        env->thumb = (val >> 5) & 1;
    }
    if ((mask & CPSR_M) && (int)(val & CPSR_M) != arm_current_mode(env)) {
        if (arm_mode_valid(val & CPSR_M)) {
            arm_switch_mode(env, val & CPSR_M);
        } else {
            emu_log_mask(LOG_GUEST_ERROR, "arm: CPSR write of invalid mode "
                         "0x%02x ignored (valid: 0x10-0x13, 0x17, 0x1b, "
                         "0x1f)\n", val & CPSR_M);
        }
    }
    mask &= ~(CPSR_NZCV | CPSR_Q | CPSR_GE | CPSR_IT | CPSR_T | CPSR_M);
    env->uncached_cpsr = (env->uncached_cpsr & ~mask) | (val & mask);
}

/* ---- exceptions and interrupts ---- */

static const char *const arm_excp_names[] = {
    [EXCP_UDEF] = "Undefined Instruction",
    [EXCP_SWI] = "SVC",
    [EXCP_PREFETCH_ABORT] = "Prefetch Abort",
    [EXCP_DATA_ABORT] = "Data Abort",
    [EXCP_IRQ] = "IRQ",
    [EXCP_FIQ] = "FIQ",
    [EXCP_BKPT] = "Breakpoint",
    [EXCP_SEMIHOST] = "Semihosting call",
    [EXCP_HVC] = "Hypervisor Call",
    [EXCP_SMC] = "Secure Monitor Call",
};

/* -d int: the lines QEMU prints for the same exception. */
static void arm_log_exception(CPUState *cs, CPUARMState *env, int excp)
{
    const char *name = NULL;

    if (!emu_log_enabled(LOG_INT)) {
        return;
    }
    if (excp >= 0 && excp < (int)ARRAY_SIZE(arm_excp_names)) {
        name = arm_excp_names[excp];
    }
    emu_log("Taking exception %d [%s] on CPU %d\n", excp,
            name ? name : "unknown", cs->cpu_index);
    if (excp == EXCP_SEMIHOST) {
        emu_log("...handling as semihosting call 0x%x\n", env->regs[0]);
        return;
    }
    emu_log("...from EL%d to EL1\n",
            arm_current_mode(env) == ARM_CPU_MODE_USR ? 0 : 1);
    if (excp == EXCP_DATA_ABORT) {
        emu_log("...with DFSR 0x%x DFAR 0x%x\n", env->cp15.dfsr,
                env->cp15.far);
    } else if (excp == EXCP_PREFETCH_ABORT &&
               arm_feature(env, ARM_FEATURE_V6)) {
        emu_log("...with IFSR 0x%x IFAR 0x%x\n", env->cp15.ifsr,
                env->cp15.ifar);
    }
}

/*
 * Enters the exception in cs->exception_index: the mode's registers
 * come in, SPSR takes the old CPSR, LR the return address (from where
 * regs[15] points, see internals.h), interrupts are masked, ARM state,
 * and the PC goes to the vector (high vectors with SCTLR.V).
 */
void arm_cpu_do_interrupt(CPUState *cs)
{
    CPUARMState *env = &ARM_CPU(cs)->env;
    int excp = cs->exception_index;
    uint32_t mask = CPSR_I, vector, offset, old_cpsr;
    int mode;

    arm_log_exception(cs, env, excp);
    switch (excp) {
    case EXCP_SEMIHOST:
        arm_do_semihosting(env);
        env->regs[15] += env->thumb ? 2 : 4;
        return;
    case EXCP_HVC:
    case EXCP_SMC:
        if (arm_is_psci_call(ARM_CPU(cs), excp)) {
            arm_handle_psci_call(ARM_CPU(cs));
            emu_log_mask(LOG_INT, "...handled as PSCI call\n");
            return;
        }
        /* The cores have neither EL2 nor EL3: undefined, at the
         * instruction (both forms are 4 bytes; regs[15] is past it). */
        env->regs[15] -= 4;
        /* fall through */
    case EXCP_UDEF:
        mode = ARM_CPU_MODE_UND;
        vector = 0x04;
        offset = env->thumb ? 2 : 4;
        break;
    case EXCP_SWI:
        mode = ARM_CPU_MODE_SVC;
        vector = 0x08;
        offset = 0;
        break;
    case EXCP_BKPT:
        /* ARMv5 takes BKPT as a prefetch abort; ARMv6 says why in IFSR. */
        if (arm_feature(env, ARM_FEATURE_V6)) {
            env->cp15.ifsr = arm_long_fsr_format(env) ?
                             arm_lpae_fsr(ARM_LFSR_DEBUG, 0) : ARM_FSR_DEBUG;
        }
        arm_debug_note_bkpt(env);
        /* fall through */
    case EXCP_PREFETCH_ABORT:
        mode = ARM_CPU_MODE_ABT;
        vector = 0x0c;
        mask |= CPSR_A;
        offset = 4;
        break;
    case EXCP_DATA_ABORT:
        mode = ARM_CPU_MODE_ABT;
        vector = 0x10;
        mask |= CPSR_A;
        offset = 8;
        break;
    case EXCP_IRQ:
        mode = ARM_CPU_MODE_IRQ;
        vector = 0x18;
        mask |= CPSR_A;
        offset = 4;
        break;
    case EXCP_FIQ:
        mode = ARM_CPU_MODE_FIQ;
        vector = 0x1c;
        mask |= CPSR_A | CPSR_F;
        offset = 4;
        break;
    default:
        emu_log_mask(LOG_UNIMP, "arm: exception %d has no entry; "
                     "ignored\n", excp);
        return;
    }
    old_cpsr = cpsr_read(env);
    arm_switch_mode(env, mode);
    env->spsr = old_cpsr;
    env->condexec_bits = 0;
    env->uncached_cpsr |= mask;
    env->regs[14] = env->regs[15] + offset;
    if (env->cp15.sctlr & SCTLR_V) {
        vector |= 0xffff0000;
    } else if (arm_feature(env, ARM_FEATURE_V7)) {
        vector += env->cp15.vbar;
    }
    /* ARMv7 enters handlers in Thumb state when SCTLR.TE says so. */
    env->thumb = arm_feature(env, ARM_FEATURE_V7) &&
                 (env->cp15.sctlr & SCTLR_TE);
    env->regs[15] = vector;
}

/* FIQ before IRQ, each when the CPSR lets it in. */
bool arm_cpu_exec_interrupt(CPUState *cs, int interrupt_request)
{
    CPUARMState *env = &ARM_CPU(cs)->env;

    if ((interrupt_request & CPU_INTERRUPT_FIQ) &&
        !(env->uncached_cpsr & CPSR_F)) {
        cs->exception_index = EXCP_FIQ;
    } else if ((interrupt_request & CPU_INTERRUPT_HARD) &&
               !(env->uncached_cpsr & CPSR_I)) {
        cs->exception_index = EXCP_IRQ;
    } else {
        return false;
    }
    arm_cpu_do_interrupt(cs);
    cs->exception_index = -1;
    return true;
}

/* A pending interrupt wakes a halted core even when the CPSR masks it. */
bool arm_cpu_has_work(CPUState *cs)
{
    return !ARM_CPU(cs)->powered_off && (cs->interrupt_request &
            (CPU_INTERRUPT_HARD | CPU_INTERRUPT_FIQ)) != 0;
}

void arm_rebuild_hflags(CPUARMState *env)
{
    uint32_t f = 0;

    if (arm_current_mode(env) != ARM_CPU_MODE_USR) {
        f |= ARM_TBFLAG_PRIV;
    }
    if (semihosting_enabled()) {
        f |= ARM_TBFLAG_SEMIHOST;
    }
    if (arm_feature(env, ARM_FEATURE_XSCALE) && (env->cp15.cpar & 1)) {
        f |= ARM_TBFLAG_XSCALE_CP0;
    }
    if (arm_feature(env, ARM_FEATURE_VFP3)) {
        f |= vfp_hflags(env);
    }
    if (env->cp15.sctlr & SCTLR_A) {
        f |= ARM_TBFLAG_ALIGN;
    }
    if (arm_debug_breakpoints_armed(env)) {
        f |= ARM_TBFLAG_BREAKPOINTS;
    }
    env->hflags = f;
}

/* The TB flags of the current state: the cached hflags, T, ITSTATE. */
static uint32_t arm_tb_flags(const CPUARMState *env)
{
    return env->hflags | (env->thumb ? ARM_TBFLAG_THUMB : 0) |
           env->condexec_bits << ARM_TBFLAG_CONDEXEC_SHIFT;
}

void arm_cpu_get_tb_cpu_state(CPUState *cs, uint64_t *pc, uint64_t *cs_base,
                              uint32_t *flags)
{
    /* Unchecked: the loop's block lookup calls this. */
    CPUARMState *env = &container_of(cs, ARMCPU, parent_obj)->env;

    *pc = env->regs[15];
    *cs_base = 0;
    *flags = arm_tb_flags(env);
}

const void *helper_arm_lookup_tb_ptr(CPUARMState *env)
{
    return tcg_lookup_tb_ptr(env, env->regs[15], 0, arm_tb_flags(env));
}

void arm_raise_exception(CPUARMState *env, int excp, uintptr_t ra)
{
    CPUState *cs = env_cpu(env);

    cs->exception_index = excp;
    if (ra) {
        cpu_loop_exit_restore(cs, ra);
    }
    cpu_loop_exit(cs);
}

/* ---- the MMU ---- */

static uint32_t arm_fcse_mva(const CPUARMState *env, uint32_t addr)
{
    if (addr < FCSE_LIMIT) {
        addr += env->cp15.fcseidr & FCSE_PID_MASK;
    }
    return addr;
}

/* Reads a table entry; false on a bus error (external abort). */
bool arm_ldl_ptw(hwaddr addr, uint32_t *desc)
{
    bool locked = bql_locked();
    MemTxResult r;
    uint32_t v = 0;

    /* Page-table walks run on vCPU threads, the memory API wants the
     * global lock. */
    if (!locked) {
        bql_lock();
    }
    r = address_space_read(&address_space_memory, addr, &v, 4);
    if (!locked) {
        bql_unlock();
    }
    *desc = GUINT32_FROM_LE(v);
    return r == MEMTX_OK;
}

/* What access permission bits give (ARMv5 has no execute-never: what can
 * be read can be executed); AP 00 depends on SCTLR.S and SCTLR.R. */
static int arm_ap_prot(const CPUARMState *env, int ap, bool user)
{
    switch (ap) {
    case 0:
        switch (env->cp15.sctlr & (SCTLR_S | SCTLR_R)) {
        case SCTLR_S:
            return user ? 0 : PAGE_READ | PAGE_EXEC;
        case SCTLR_R:
            return PAGE_READ | PAGE_EXEC;
        default:                 /* S = R = 1 is unpredictable: none */
            return 0;
        }
    case 1:
        return user ? 0 : PAGE_RWX;
    case 2:
        return user ? PAGE_READ | PAGE_EXEC : PAGE_RWX;
    default:
        return PAGE_RWX;
    }
}

bool arm_get_phys_addr(CPUARMState *env, uint32_t addr, int mmu_idx,
                       ARMMMUResult *res)
{
    uint32_t mva = arm_fcse_mva(env, addr);
    uint32_t desc, domain, domain_prot, table;
    bool section = false, coarse = false;
    int ap = 0;

    res->mva = mva;
    res->fsr = 0;
    res->desc = 0;
    res->domain = -1;
    if (!(env->cp15.sctlr & SCTLR_M)) {
        res->phys = mva;
        res->page_size = TARGET_PAGE_SIZE;
        res->prot = PAGE_RWX;
        return true;
    }
    if (arm_feature(env, ARM_FEATURE_V7)) {
        return arm_get_phys_addr_v7(env, addr, mmu_idx, res);
    }

    res->page_size = 0x100000;   /* what a first-level entry maps */
    if (!arm_ldl_ptw((env->cp15.ttbr0 & 0xffffc000) | ((mva >> 18) & 0x3ffc),
                     &desc)) {
        res->fsr = ARM_FSR_EXT_L1;
        return false;
    }
    domain = (desc >> 5) & 0xf;
    res->domain = domain;
    switch (desc & 3) {
    case 0:
        res->fsr = domain << 4 | ARM_FSR_TRANS_SECTION;
        return false;
    case 2:
        section = true;
        res->phys = (desc & 0xfff00000) | (mva & 0x000fffff);
        res->page_size = 0x100000;
        ap = (desc >> 10) & 3;
        break;
    case 1:
        coarse = true;
        table = (desc & 0xfffffc00) | ((mva >> 10) & 0x3fc);
        break;
    default:
        table = (desc & 0xfffff000) | ((mva >> 8) & 0xffc);
        break;
    }

    if (!section) {
        /* a coarse table's entries map 4 KiB, a fine table's 1 KiB */
        res->page_size = coarse ? 0x1000 : 0x400;
        if (!arm_ldl_ptw(table, &desc)) {
            res->fsr = domain << 4 | ARM_FSR_EXT_L2;
            return false;
        }
        switch (desc & 3) {
        case 0:
            res->fsr = domain << 4 | ARM_FSR_TRANS_PAGE;
            return false;
        case 1:                  /* 64 KiB: four 16 KiB subpages */
            res->phys = (desc & 0xffff0000) | (mva & 0xffff);
            res->page_size = 0x10000;
            ap = (desc >> (4 + ((mva >> 13) & 6))) & 3;
            break;
        case 2:                  /* 4 KiB: four 1 KiB subpages */
            res->phys = (desc & 0xfffff000) | (mva & 0xfff);
            res->page_size = 0x1000;
            ap = (desc >> (4 + ((mva >> 9) & 6))) & 3;
            break;
        default:
            if (!coarse) {       /* 1 KiB tiny page (fine tables) */
                res->phys = (desc & 0xfffffc00) | (mva & 0x3ff);
                res->page_size = 0x400;
            } else if (arm_feature(env, ARM_FEATURE_XSCALE) ||
                       arm_feature(env, ARM_FEATURE_V6)) {
                /* extended small page: 4 KiB with a single AP */
                res->phys = (desc & 0xfffff000) | (mva & 0xfff);
                res->page_size = 0x1000;
            } else {
                /* unpredictable on ARMv5: a fault, as QEMU chooses */
                res->fsr = domain << 4 | ARM_FSR_TRANS_PAGE;
                return false;
            }
            ap = (desc >> 4) & 3;
            break;
        }
    }

    res->desc = desc;
    domain_prot = (env->cp15.dacr >> (domain * 2)) & 3;
    if (domain_prot == 3) {      /* manager: no permission checks */
        res->prot = PAGE_RWX;
        res->fsr = domain << 4 |
                   (section ? ARM_FSR_PERM_SECTION : ARM_FSR_PERM_PAGE);
    } else if (domain_prot == 1) {   /* client: the AP bits decide */
        res->prot = arm_ap_prot(env, ap, mmu_idx == ARM_MMU_IDX_USER);
        res->fsr = domain << 4 |
                   (section ? ARM_FSR_PERM_SECTION : ARM_FSR_PERM_PAGE);
    } else {                     /* no access (or reserved) */
        res->prot = 0;
        res->fsr = domain << 4 |
                   (section ? ARM_FSR_DOMAIN_SECTION : ARM_FSR_DOMAIN_PAGE);
    }
    return true;
}

/* Records the abort in the fault registers and takes it. */
static void arm_raise_abort(CPUARMState *env, uint32_t fsr, uint32_t mva,
                            MMUAccessType access_type, uintptr_t ra)
    EMU_NORETURN;
static void arm_raise_abort(CPUARMState *env, uint32_t fsr, uint32_t mva,
                            MMUAccessType access_type, uintptr_t ra)
{
    bool v6 = arm_feature(env, ARM_FEATURE_V6);

    if (arm_long_fsr_format(env) && !(fsr & ARM_FSR_LPAE)) {
        /* the faults found outside the walk, in the long format */
        fsr = arm_lpae_fsr((fsr & 0xf) == ARM_FSR_ALIGN ? ARM_LFSR_ALIGN
                                                        : ARM_LFSR_EXT, 0);
    }
    if (access_type == MMU_INST_FETCH) {
        /* ARMv5 has no IFSR: a prefetch abort leaves FSR and FAR alone. */
        if (fsr & ARM_FSR_LPAE) {
            env->cp15.ifsr = fsr;
            env->cp15.ifar = mva;
        } else if (v6) {
            env->cp15.ifsr = fsr & 0xf;
            env->cp15.ifar = mva;
        }
        arm_raise_exception(env, EXCP_PREFETCH_ABORT, ra);
    }
    if (v6 && access_type == MMU_DATA_STORE) {
        fsr |= ARM_FSR_WNR;
    }
    env->cp15.dfsr = fsr;
    env->cp15.far = mva;
    arm_raise_exception(env, EXCP_DATA_ABORT, ra);
}

bool arm_cpu_tlb_fill(CPUState *cs, uint64_t addr, int size,
                      MMUAccessType access_type, int mmu_idx, bool probe,
                      uintptr_t retaddr)
{
    static const int needed[] = {
        [MMU_DATA_LOAD] = PAGE_READ,
        [MMU_DATA_STORE] = PAGE_WRITE,
        [MMU_INST_FETCH] = PAGE_EXEC,
    };
    CPUARMState *env = &ARM_CPU(cs)->env;
    ARMMMUResult res;

    if (arm_get_phys_addr(env, addr, mmu_idx, &res) &&
        (res.prot & needed[access_type])) {
        /* The TLB holds the accessed page; the size lets a flush by
         * address find every page of a section or large page. */
        tlb_set_page(cs, addr & TARGET_PAGE_MASK,
                     res.phys & TARGET_PAGE_MASK, res.prot, mmu_idx,
                     res.page_size);
        return true;
    }
    if (probe) {
        return false;
    }
    emu_log_mask(LOG_MMU, "arm: %s abort at 0x%08" PRIx64 " (FSR 0x%x)\n",
                 access_type == MMU_INST_FETCH ? "prefetch" : "data", addr,
                 res.fsr);
    arm_raise_abort(env, res.fsr, res.mva, access_type, retaddr);
}

/* For "x" and the gdb stub: any mapping counts, whatever its
 * permissions or domain say. */
bool arm_cpu_get_phys_addr_debug(CPUState *cs, uint64_t vaddr,
                                 hwaddr *paddr)
{
    CPUARMState *env = &ARM_CPU(cs)->env;
    ARMMMUResult res;

    if (!arm_get_phys_addr(env, vaddr, arm_mmu_idx(env), &res)) {
        return false;
    }
    *paddr = res.phys;
    return true;
}

void arm_cpu_do_unaligned_access(CPUState *cs, uint64_t addr,
                                 MMUAccessType access_type, int mmu_idx,
                                 uintptr_t ra)
{
    CPUARMState *env = &ARM_CPU(cs)->env;

    arm_raise_abort(env, ARM_FSR_ALIGN, arm_fcse_mva(env, addr),
                    access_type, ra);
}

/*
 * A data access the bus refused (no device at that physical address):
 * the external abort ARMv5 defines, "external abort on non-linefetch"
 * (FSR 0x8 for a section, 0xa for a page: the walk's page size is not at
 * hand here, so 0x8, as QEMU reports it for v5).
 */
void arm_cpu_do_transaction_failed(CPUState *cs, uint64_t addr,
                                   MMUAccessType access_type, int mmu_idx,
                                   uintptr_t ra)
{
    CPUARMState *env = &ARM_CPU(cs)->env;

    arm_raise_abort(env, ARM_FSR_EXT_ABORT, arm_fcse_mva(env, addr),
                    access_type, ra);
}

/* ---- coprocessors ---- */

static void arm_cp_log_unknown(const char *what, int cp, int opc1, int crn,
                               int crm, int opc2)
{
    emu_log_mask(LOG_UNIMP, "arm: %s of unknown coprocessor register "
                 "p%d, %d, c%d, c%d, %d: undefined instruction\n", what,
                 cp, opc1, crn, crm, opc2);
}

static const ARMCPUModel *arm_model(CPUARMState *env)
{
    return ARM_CPU_GET_CLASS(env_archcpu(env))->model;
}

/* cp15 registers user mode may touch: the ARMv6 barriers. */
static bool arm_cp15_user_ok(CPUARMState *env, int crn, int crm, int opc2)
{
    return arm_feature(env, ARM_FEATURE_V6) && crn == 7 &&
           ((crm == 10 && (opc2 == 4 || opc2 == 5)) ||
            (crm == 5 && opc2 == 4));
}

static bool arm_cp15_read(CPUARMState *env, int crn, int crm, int opc2,
                          uint32_t *value)
{
    bool v6 = arm_feature(env, ARM_FEATURE_V6);
    bool xscale = arm_feature(env, ARM_FEATURE_XSCALE);

    switch (crn) {
    case 0:
        if (crm == 0) {
            /* Unimplemented ID registers read as the main ID. */
            *value = opc2 == 1 ? env->cp15.ctr :
                     (v6 && (opc2 == 2 || opc2 == 3)) ? 0 : env->cp15.midr;
            return true;
        }
        if (v6 && (crm == 1 || (crm == 2 && opc2 < 6))) {
            *value = arm_model(env)->id_regs[crm - 1][opc2];
            return true;
        }
        return false;
    case 1:
        if (crm != 0) {
            return false;
        }
        if (opc2 == 0) {
            *value = env->cp15.sctlr;
        } else if (opc2 == 1 && (xscale || v6)) {
            *value = env->cp15.aux_ctrl;
        } else if (opc2 == 2 && v6) {
            *value = env->cp15.cpacr;
        } else {
            return false;
        }
        return true;
    case 2:
        if (crm != 0 || opc2 != 0) {
            return false;
        }
        *value = env->cp15.ttbr0;
        return true;
    case 3:
        if (crm != 0 || opc2 != 0) {
            return false;
        }
        *value = env->cp15.dacr;
        return true;
    case 5:
        if (crm == 0 && opc2 == 0) {
            *value = env->cp15.dfsr;
        } else if (crm == 0 && opc2 == 1 && v6) {
            *value = env->cp15.ifsr;
        } else {
            return false;
        }
        return true;
    case 6:
        if (crm == 0 && opc2 == 0) {
            *value = env->cp15.far;
        } else if (crm == 0 && opc2 == 2 && v6) {
            *value = env->cp15.ifar;
        } else {
            return false;
        }
        return true;
    case 7:
        /* ARM926 test-and-clean (MRC to r15 loops until Z): all clean. */
        if (!xscale && !v6 && opc2 == 3 && (crm == 10 || crm == 14)) {
            *value = 1u << 30;
            return true;
        }
        return false;
    case 9:
    case 10:                     /* cache and TLB lockdown: none */
        *value = 0;
        return true;
    case 13:
        if (crm == 0 && opc2 == 0) {
            *value = env->cp15.fcseidr;
        } else if (crm == 0 && opc2 == 1 && v6) {
            *value = env->cp15.contextidr;
        } else {
            return false;
        }
        return true;
    case 15:
        if (!xscale) {           /* implementation defined: reads 0 */
            *value = 0;
            return true;
        }
        if (crm == 1 && opc2 == 0) {
            *value = env->cp15.cpar;
            return true;
        }
        return false;
    default:
        return false;
    }
}

static bool arm_cp15_write(CPUARMState *env, int crn, int crm, int opc2,
                           uint32_t value)
{
    CPUState *cs = env_cpu(env);
    bool v6 = arm_feature(env, ARM_FEATURE_V6);
    bool xscale = arm_feature(env, ARM_FEATURE_XSCALE);
    uint32_t old;

    switch (crn) {
    case 1:
        if (crm != 0) {
            return false;
        }
        if (opc2 == 0) {
            old = env->cp15.sctlr;
            env->cp15.sctlr = value;
            /* M, S and R change what every cached translation says. */
            if ((old ^ value) & (SCTLR_M | SCTLR_S | SCTLR_R)) {
                tlb_flush(cs);
            }
            arm_rebuild_hflags(env);    /* A */
        } else if (opc2 == 1 && (xscale || v6)) {
            env->cp15.aux_ctrl = value;
        } else if (opc2 == 2 && v6) {
            env->cp15.cpacr = value;
        } else {
            return false;
        }
        return true;
    case 2:
        if (crm != 0 || opc2 != 0) {
            return false;
        }
        /* As on hardware, the TLB keeps its entries: software flushes. */
        env->cp15.ttbr0 = value;
        return true;
    case 3:
        if (crm != 0 || opc2 != 0) {
            return false;
        }
        /* The TLB holds permissions computed with the old domains. */
        env->cp15.dacr = value;
        tlb_flush(cs);
        return true;
    case 5:
        if (crm == 0 && opc2 == 0) {
            env->cp15.dfsr = value;
        } else if (crm == 0 && opc2 == 1 && v6) {
            env->cp15.ifsr = value;
        } else {
            return false;
        }
        return true;
    case 6:
        if (crm == 0 && opc2 == 0) {
            env->cp15.far = value;
        } else if (crm == 0 && opc2 == 2 && v6) {
            env->cp15.ifar = value;
        } else {
            return false;
        }
        return true;
    case 7:
        if (crm == 0 && opc2 == 4 && !xscale) {
            cpu_interrupt(cs, CPU_INTERRUPT_HALT);   /* wait for interrupt */
        }
        /* Caches and write buffers are not modelled: maintenance is a
         * no-op (self-modifying code is caught by the code cache). */
        return true;
    case 8:
        if (crm < 5 || crm > 7) {
            return false;
        }
        /* by MVA: the TLB is indexed by virtual address, which differs
         * from the MVA under a non-zero FCSE PID */
        if (opc2 == 1 && !(env->cp15.fcseidr & FCSE_PID_MASK)) {
            tlb_flush_page(cs, value & TARGET_PAGE_MASK);
        } else if (opc2 <= 2) {
            tlb_flush(cs);
        } else {
            return false;
        }
        return true;
    case 9:
    case 10:                     /* cache and TLB lockdown: ignored */
        return true;
    case 13:
        if (crm == 0 && opc2 == 0) {
            old = env->cp15.fcseidr;
            env->cp15.fcseidr = value & FCSE_PID_MASK;
            if (old != env->cp15.fcseidr) {
                tlb_flush(cs);
            }
        } else if (crm == 0 && opc2 == 1 && v6) {
            env->cp15.contextidr = value;
        } else {
            return false;
        }
        return true;
    case 15:
        if (!xscale) {           /* implementation defined: ignored */
            return true;
        }
        if (crm == 1 && opc2 == 0) {
            env->cp15.cpar = value & 0x3fff;
            arm_rebuild_hflags(env);
            return true;
        }
        return false;
    default:
        return false;
    }
}

/* XScale cp14: clock configuration and power mode. */
static bool arm_cp14_access(CPUARMState *env, int opc1, int crn, int crm,
                            int opc2, bool write, uint32_t *value)
{
    uint32_t *reg;

    if (!arm_feature(env, ARM_FEATURE_XSCALE) || opc1 != 0 || crm != 0 ||
        opc2 != 0) {
        return false;
    }
    if (crn == 6) {
        reg = &env->cp14.cclkcfg;
    } else if (crn == 7) {
        reg = &env->cp14.pwrmode;
    } else {
        return false;
    }
    if (!write) {
        *value = *reg;
        return true;
    }
    *reg = *value;
    if (crn == 7) {
        switch (*value & 3) {
        case 0:                  /* run */
            break;
        case 1:                  /* idle until an interrupt */
            cpu_interrupt(env_cpu(env), CPU_INTERRUPT_HALT);
            break;
        default:
            emu_log_mask(LOG_UNIMP, "arm: XScale power mode %u (sleep) "
                         "not modelled: the core keeps running\n",
                         *value & 3);
            break;
        }
    }
    return true;
}

/*
 * ARMv7 cp14: the debug registers and ThumbEE's two registers.  The
 * cores with the v7.1 debug architecture have theirs in debug.c; the
 * others read DBGDIDR as 0 (no debug architecture), so software leaves
 * the breakpoint and watchpoint registers alone (Linux: "debug
 * architecture 0x0 unsupported").  The ROM and self address registers
 * read 0, "not present".  ThumbEE state itself is not modelled (ENTERX
 * is undefined), but its registers hold what the kernel saves and
 * restores for each thread: TEECR.XED (bit 0) keeps user mode off
 * TEEHBR.
 */
static bool arm_cp14_v7_access(CPUARMState *env, int opc1, int crn, int crm,
                               int opc2, bool write, uint32_t *value)
{
    bool user = arm_current_mode(env) == ARM_CPU_MODE_USR;

    if (opc1 == 0 && arm_debug_cp14_access(env, crn, crm, opc2, write,
                                           value)) {
        return true;
    }
    if (crm != 0 || opc2 != 0) {
        return false;
    }
    if (opc1 == 0 && crn <= 2 && !write) {
        *value = 0;              /* DBGDIDR, DBGDRAR (c1), DBGDSAR (c2) */
        return true;
    }
    if (opc1 == 6 && crn == 0 && !user) {       /* TEECR */
        if (write) {
            env->cp14.teecr = *value & 1;
        } else {
            *value = env->cp14.teecr;
        }
        return true;
    }
    if (opc1 == 6 && crn == 1 && (!user || !(env->cp14.teecr & 1))) {
        if (write) {                             /* TEEHBR */
            env->cp14.teehbr = *value & ~3u;
        } else {
            *value = env->cp14.teehbr;
        }
        return true;
    }
    return false;
}

static bool arm_cp_access(CPUARMState *env, int cp, int opc1, int crn,
                          int crm, int opc2, bool write, uint32_t *value)
{
    bool user = arm_current_mode(env) == ARM_CPU_MODE_USR;

    if (cp == 15 && arm_feature(env, ARM_FEATURE_V7)) {
        return arm_cp15_v7_access(env, opc1, crn, crm, opc2, write, value);
    }
    if (cp == 15 && opc1 == 0 && (!user || arm_cp15_user_ok(env, crn, crm,
                                                             opc2))) {
        return write ? arm_cp15_write(env, crn, crm, opc2, *value)
                     : arm_cp15_read(env, crn, crm, opc2, value);
    }
    if (cp == 14 && arm_feature(env, ARM_FEATURE_V7)) {
        return arm_cp14_v7_access(env, opc1, crn, crm, opc2, write, value);
    }
    if (cp == 14 && !user) {
        return arm_cp14_access(env, opc1, crn, crm, opc2, write, value);
    }
    return false;
}

uint32_t arm_cp_read(CPUARMState *env, int cp, int opc1, int crn, int crm,
                     int opc2, bool *ok)
{
    uint32_t value = 0;

    *ok = arm_cp_access(env, cp, opc1, crn, crm, opc2, false, &value);
    if (!*ok) {
        arm_cp_log_unknown("read", cp, opc1, crn, crm, opc2);
    }
    return value;
}

void arm_cp_write(CPUARMState *env, int cp, int opc1, int crn, int crm,
                  int opc2, uint32_t value, bool *ok)
{
    *ok = arm_cp_access(env, cp, opc1, crn, crm, opc2, true, &value);
    if (!*ok) {
        arm_cp_log_unknown("write", cp, opc1, crn, crm, opc2);
    }
}
