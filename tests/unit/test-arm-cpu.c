/*
 * Unit tests for the ARM CPU model: the models' identification, the
 * reset state and its "info registers" text (QEMU 7.2's), CPSR writes
 * with register banking, exception entry, the IRQ/FIQ inputs, the ARMv5
 * MMU over page tables built in RAM with what it puts in the real softmmu
 * TLB and the aborts it raises, the coprocessors, semihosting and
 * registers by name.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <setjmp.h>
#include <capstone/capstone.h>
#include "util/log.h"
#include "softmmu/memory.h"
#include "sysemu/main-loop.h"
#include "accel/tcg/internal.h"
#include "target/arm/internals.h"

#define MiB (1024 * 1024)

/* The 16 MiB of RAM at guest physical 0 every case shares. */
static MemoryRegion ram;

/* ---- helpers ---- */

static ARMCPU *new_cpu(const char *model)
{
    ObjectClass *klass = cpu_class_by_name(model);
    CPUState *cs;

    g_assert_nonnull(klass);
    cs = cpu_create(object_class_get_name(klass), &error_fatal);
    cpu_reset(cs);
    cs->interrupt_request = 0;
    return ARM_CPU(cs);
}

static void free_cpu(ARMCPU *cpu)
{
    g_ptr_array_remove(cpus, cpu);
    object_unref(OBJECT(cpu));
}

static char *dump(ARMCPU *cpu)
{
    GString *out = g_string_new(NULL);

    CPU_GET_CLASS(cpu)->dump_state(CPU(cpu), out, CPU_DUMP_FPU);
    return g_string_free(out, false);
}

static uint32_t cp_read(CPUARMState *env, int cp, int opc1, int crn,
                        int crm, int opc2)
{
    bool ok;
    uint32_t v = arm_cp_read(env, cp, opc1, crn, crm, opc2, &ok);

    g_assert_true(ok);
    return v;
}

static void cp_write(CPUARMState *env, int cp, int opc1, int crn, int crm,
                     int opc2, uint32_t value)
{
    bool ok;

    arm_cp_write(env, cp, opc1, crn, crm, opc2, value, &ok);
    g_assert_true(ok);
}

static void put32(hwaddr addr, uint32_t value)
{
    uint32_t le = GUINT32_TO_LE(value);

    g_assert_cmpint(address_space_write(&address_space_memory, addr, &le, 4),
                    ==, MEMTX_OK);
}

/* The real softmmu TLB inside the CPU: the entry holding vaddr's page. */
static CPUTLBEntry *tlb_entry(ARMCPU *cpu, int mmu_idx, uint64_t vaddr)
{
    return &cpu->tlb.table[mmu_idx][(vaddr >> TARGET_PAGE_BITS) &
                                    (TLB_SIZE - 1)];
}

/* Whether the TLB maps vaddr's page for any kind of access. */
static bool tlb_holds(ARMCPU *cpu, int mmu_idx, uint64_t vaddr)
{
    CPUTLBEntry *e = tlb_entry(cpu, mmu_idx, vaddr);
    uint64_t page = vaddr & TARGET_PAGE_MASK;

    return (e->addr_read != UINT64_MAX &&
            (e->addr_read & TARGET_PAGE_MASK) == page) ||
           (e->addr_write != UINT64_MAX &&
            (e->addr_write & TARGET_PAGE_MASK) == page) ||
           (e->addr_code != UINT64_MAX &&
            (e->addr_code & TARGET_PAGE_MASK) == page);
}

/* A successful probing tlb_fill, as semihosting does one. */
static void fill(ARMCPU *cpu, uint64_t vaddr, MMUAccessType type,
                 int mmu_idx)
{
    g_assert_true(arm_cpu_tlb_fill(CPU(cpu), vaddr, 4, type, mmu_idx, true,
                                   0));
    g_assert_true(tlb_holds(cpu, mmu_idx, vaddr));
}

/* The host address the TLB entry gives for vaddr. */
static uint8_t *tlb_host(ARMCPU *cpu, int mmu_idx, uint64_t vaddr)
{
    return (uint8_t *)(tlb_entry(cpu, mmu_idx, vaddr)->addend +
                       (uintptr_t)vaddr);
}

/*
 * A fault leaves through cpu_loop_exit (retaddr 0: no generated code to
 * restore the state from), which siglongjmps to the vCPU's jmp_env where
 * cpu_exec would be waiting (accel/tcg/cpu-exec.c): the test waits there
 * itself.
 */
#define EXPECT_LOOP_EXIT(cs, call)                                      \
    do {                                                                \
        if (sigsetjmp(tcg_vcpu(cs)->jmp_env, 0) == 0) {                 \
            call;                                                       \
            g_assert_not_reached();                                     \
        }                                                               \
    } while (0)

/* ---- models ---- */

static void test_models(void)
{
    static const struct {
        const char *name;
        uint32_t midr, ctr, sctlr;
    } models[] = {
        { "pxa255", 0x69052d00, 0xd172172, 0x00000078 },
        { "arm926", 0x41069265, 0x1dd20d2, 0x00090078 },
        { "arm1136", 0x4117b363, 0x1dd20d2, 0x00050078 },
        { "cortex-a15", 0x414fc0f0, 0x8444c004, 0x00c50078 },
        { "cortex-a7", 0x410fc075, 0x84448003, 0x00c50078 },
        { "cortex-a9", 0x410fc090, 0x80038003, 0x00c50078 },
        { "cortex-a8", 0x410fc080, 0x82048004, 0x00c50078 },
    };
    GString *list = g_string_new(NULL);
    bool ok;

    cpu_list(list);
    g_assert_true(g_str_has_prefix(list->str, "Available CPUs:\n"));
    for (size_t i = 0; i < ARRAY_SIZE(models); i++) {
        g_autofree char *line = g_strdup_printf("  %s\n", models[i].name);
        ARMCPU *cpu = new_cpu(models[i].name);
        CPUARMState *env = &cpu->env;

        g_assert_nonnull(strstr(list->str, line));
        g_assert_cmphex(cp_read(env, 15, 0, 0, 0, 0), ==, models[i].midr);
        g_assert_cmphex(cp_read(env, 15, 0, 0, 0, 1), ==, models[i].ctr);
        /* unimplemented c0 registers read as the main ID */
        g_assert_cmphex(cp_read(env, 15, 0, 0, 0, 7), ==, models[i].midr);
        g_assert_cmphex(cp_read(env, 15, 0, 1, 0, 0), ==, models[i].sctlr);
        g_assert_true(arm_feature(env, ARM_FEATURE_V5TE));
        g_assert_true(arm_feature(env, ARM_FEATURE_MMU));
        free_cpu(cpu);
    }
    g_assert_null(cpu_class_by_name("arm"));
    g_assert_null(cpu_class_by_name("cortex-a5"));
    g_string_free(list, true);

    {
        ARMCPU *cpu = new_cpu("pxa255");

        g_assert_true(arm_feature(&cpu->env, ARM_FEATURE_XSCALE));
        g_assert_false(arm_feature(&cpu->env, ARM_FEATURE_V6));
        cp_write(&cpu->env, 15, 0, 1, 0, 1, 0x3);       /* aux control */
        g_assert_cmphex(cp_read(&cpu->env, 15, 0, 1, 0, 1), ==, 0x3);
        free_cpu(cpu);
    }
    {
        ARMCPU *cpu = new_cpu("arm926");

        g_assert_false(arm_feature(&cpu->env, ARM_FEATURE_XSCALE));
        arm_cp_read(&cpu->env, 15, 0, 1, 0, 1, &ok);    /* no aux control */
        g_assert_false(ok);
        arm_cp_read(&cpu->env, 15, 0, 0, 1, 4, &ok);    /* no ID_MMFR0 */
        g_assert_false(ok);
        free_cpu(cpu);
    }
    {
        ARMCPU *cpu = new_cpu("arm1136");

        g_assert_true(arm_feature(&cpu->env, ARM_FEATURE_V6));
        g_assert_cmphex(cp_read(&cpu->env, 15, 0, 0, 1, 4), ==, 0x01130003);
        g_assert_cmphex(cp_read(&cpu->env, 15, 0, 0, 2, 0), ==, 0x00140011);
        g_assert_cmphex(cp_read(&cpu->env, 15, 0, 1, 0, 1), ==, 7);
        free_cpu(cpu);
    }
}

/* ---- reset and info registers ---- */

static void test_reset(void)
{
    ARMCPU *cpu = new_cpu("pxa255");
    CPUARMState *env = &cpu->env;
    CPUClass *cc = CPU_GET_CLASS(cpu);
    g_autofree char *text = dump(cpu);
    g_autofree char *text2 = NULL;
    g_autofree char *text3 = NULL;
    int arch, mode;

    /* what QEMU 7.2 prints for -M connex -S */
    g_assert_cmpstr(text, ==,
        "R00=00000000 R01=00000000 R02=00000000 R03=00000000\n"
        "R04=00000000 R05=00000000 R06=00000000 R07=00000000\n"
        "R08=00000000 R09=00000000 R10=00000000 R11=00000000\n"
        "R12=00000000 R13=00000000 R14=00000000 R15=00000000\n"
        "PSR=400001d3 -Z-- A svc32\n"
        "FPSCR: 00000000\n");
    g_assert_cmphex(cpsr_read(env), ==, 0x400001d3);
    g_assert_cmpint(arm_mmu_idx(env), ==, ARM_MMU_IDX_PRIV);
    g_assert_cmpint(cc->address_bytes, ==, 4);

    env->regs[0] = 5;
    env->regs[1] = 4;
    env->regs[2] = 9;
    env->regs[15] = 0xc;
    text2 = dump(cpu);
    g_assert_true(g_str_has_prefix(text2,
        "R00=00000005 R01=00000004 R02=00000009 R03=00000000\n"));
    g_assert_nonnull(strstr(text2, "R15=0000000c\n"));

    /* everything back to zero, banks included */
    env->banked_r13[2] = 0x1234;
    env->fiq_regs[0] = 0x55;
    cpsr_write(env, 0xf0000010 | CPSR_T, 0xffffffff);
    env->cp15.sctlr |= SCTLR_M;
    cpu_reset(CPU(cpu));
    g_assert_cmphex(cpsr_read(env), ==, 0x400001d3);
    g_assert_cmpuint(env->regs[0], ==, 0);
    g_assert_cmpuint(env->banked_r13[2], ==, 0);
    g_assert_cmpuint(env->fiq_regs[0], ==, 0);
    g_assert_cmphex(env->cp15.sctlr, ==, 0x78);
    g_assert_cmpuint(cc->get_pc(CPU(cpu)), ==, 0);

    /* bit 0 of a new PC selects Thumb, as QEMU's set_pc */
    cc->set_pc(CPU(cpu), 0x8001);
    g_assert_cmphex(env->regs[15], ==, 0x8000);
    g_assert_cmpuint(env->thumb, ==, 1);
    cc->disas_config(CPU(cpu), &arch, &mode);
    g_assert_cmpint(arch, ==, CS_ARCH_ARM);
    g_assert_cmpint(mode, ==, CS_MODE_THUMB);
    cpsr_write(env, 0xa0000000 | ARM_CPU_MODE_USR, CPSR_NZCV | CPSR_M);
    text3 = dump(cpu);
    g_assert_nonnull(strstr(text3, "PSR=a00001f0 N-C- T usr32\n"));
    cc->set_pc(CPU(cpu), 0x100);
    g_assert_cmpuint(env->thumb, ==, 0);
    cc->disas_config(CPU(cpu), &arch, &mode);
    g_assert_cmpint(mode, ==, CS_MODE_ARM);
    free_cpu(cpu);
}

/* ---- CPSR and banking ---- */

static void test_cpsr_banking(void)
{
    ARMCPU *cpu = new_cpu("pxa255");
    CPUARMState *env = &cpu->env;

    for (int i = 0; i < 15; i++) {
        env->regs[i] = 0x100 + i;                      /* svc's view */
    }
    env->spsr = 0x53;

    cpsr_write(env, ARM_CPU_MODE_FIQ, CPSR_M);
    g_assert_cmpint(arm_current_mode(env), ==, ARM_CPU_MODE_FIQ);
    for (int i = 8; i < 15; i++) {
        g_assert_cmpuint(env->regs[i], ==, 0);         /* fiq's own */
        env->regs[i] = 0xf00 + i;
    }
    g_assert_cmpuint(env->regs[7], ==, 0x107);        /* shared */
    g_assert_cmpuint(env->spsr, ==, 0);
    env->spsr = 0xf1;

    cpsr_write(env, ARM_CPU_MODE_IRQ, CPSR_M);
    for (int i = 8; i < 13; i++) {
        g_assert_cmpuint(env->regs[i], ==, 0x100 + i); /* back to usr's */
    }
    g_assert_cmpuint(env->regs[13], ==, 0);
    g_assert_cmpuint(env->regs[14], ==, 0);
    env->regs[13] = 0x1d13;

    cpsr_write(env, ARM_CPU_MODE_SVC, CPSR_M);
    g_assert_cmpuint(env->regs[13], ==, 0x10d);
    g_assert_cmpuint(env->regs[14], ==, 0x10e);
    g_assert_cmpuint(env->spsr, ==, 0x53);

    cpsr_write(env, ARM_CPU_MODE_FIQ, CPSR_M);
    for (int i = 8; i < 15; i++) {
        g_assert_cmpuint(env->regs[i], ==, 0xf00 + i);
    }
    g_assert_cmpuint(env->spsr, ==, 0xf1);

    /* usr and sys share one bank */
    cpsr_write(env, ARM_CPU_MODE_SYS, CPSR_M);
    env->regs[13] = 0x5555;
    cpsr_write(env, ARM_CPU_MODE_USR, CPSR_M);
    g_assert_cmpuint(env->regs[13], ==, 0x5555);
    g_assert_cmpuint(env->regs[8], ==, 0x108);
    g_assert_cmpint(arm_mmu_idx(env), ==, ARM_MMU_IDX_USER);

    /* an invalid mode is ignored, the other bits still land */
    cpsr_write(env, 0x80000000 | CPSR_I | 0x15, 0xffffffff);
    g_assert_cmpint(arm_current_mode(env), ==, ARM_CPU_MODE_USR);
    g_assert_cmphex(cpsr_read(env), ==, 0x80000000 | CPSR_I | 0x10);

    /* flags: each one on its own, Q and T */
    cpsr_write(env, 1u << 30, CPSR_NZCV);
    g_assert_cmphex(cpsr_read(env) & 0xf8000020, ==, 1u << 30);
    cpsr_write(env, (1u << 29) | (1u << 28) | CPSR_Q | CPSR_T,
               CPSR_NZCV | CPSR_Q | CPSR_T);
    g_assert_cmphex(cpsr_read(env) & 0xf8000020, ==,
                    (1u << 29) | (1u << 28) | CPSR_Q | CPSR_T);
    g_assert_cmpuint(env->thumb, ==, 1);

    g_assert_cmpint(arm_bank_number(ARM_CPU_MODE_USR), ==, 0);
    g_assert_cmpint(arm_bank_number(ARM_CPU_MODE_SYS), ==, 0);
    g_assert_cmpint(arm_bank_number(ARM_CPU_MODE_SVC), ==, 1);
    g_assert_cmpint(arm_bank_number(ARM_CPU_MODE_ABT), ==, 2);
    g_assert_cmpint(arm_bank_number(ARM_CPU_MODE_UND), ==, 3);
    g_assert_cmpint(arm_bank_number(ARM_CPU_MODE_IRQ), ==, 4);
    g_assert_cmpint(arm_bank_number(ARM_CPU_MODE_FIQ), ==, 5);
    free_cpu(cpu);
}

/* ---- exceptions ---- */

static void take(ARMCPU *cpu, int excp)
{
    CPU(cpu)->exception_index = excp;
    arm_cpu_do_interrupt(CPU(cpu));
}

static void test_exceptions(void)
{
    static const struct {
        int excp;
        bool thumb;
        int mode;
        uint32_t vector, lr, masks;
    } cases[] = {
        /* PC in user mode at 0x1000 (what it means: see internals.h) */
        { EXCP_UDEF, false, ARM_CPU_MODE_UND, 0x04, 0x1004, CPSR_I },
        { EXCP_UDEF, true, ARM_CPU_MODE_UND, 0x04, 0x1002, CPSR_I },
        { EXCP_SWI, false, ARM_CPU_MODE_SVC, 0x08, 0x1000, CPSR_I },
        { EXCP_SWI, true, ARM_CPU_MODE_SVC, 0x08, 0x1000, CPSR_I },
        { EXCP_PREFETCH_ABORT, false, ARM_CPU_MODE_ABT, 0x0c, 0x1004,
          CPSR_I | CPSR_A },
        { EXCP_BKPT, true, ARM_CPU_MODE_ABT, 0x0c, 0x1004,
          CPSR_I | CPSR_A },
        { EXCP_DATA_ABORT, false, ARM_CPU_MODE_ABT, 0x10, 0x1008,
          CPSR_I | CPSR_A },
        { EXCP_DATA_ABORT, true, ARM_CPU_MODE_ABT, 0x10, 0x1008,
          CPSR_I | CPSR_A },
        { EXCP_IRQ, false, ARM_CPU_MODE_IRQ, 0x18, 0x1004,
          CPSR_I | CPSR_A },
        { EXCP_FIQ, true, ARM_CPU_MODE_FIQ, 0x1c, 0x1004,
          CPSR_I | CPSR_A | CPSR_F },
    };
    ARMCPU *cpu = new_cpu("pxa255");
    CPUARMState *env = &cpu->env;

    for (int high = 0; high < 2; high++) {
        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
            uint32_t user_cpsr = 0x60000000 | ARM_CPU_MODE_USR |
                                 (cases[i].thumb ? CPSR_T : 0);

            cpu_reset(CPU(cpu));
            if (high) {
                env->cp15.sctlr |= SCTLR_V;
            }
            cpsr_write(env, user_cpsr, 0xffffffff);
            env->regs[13] = 0x7000;
            env->regs[15] = 0x1000;
            take(cpu, cases[i].excp);
            g_assert_cmpint(arm_current_mode(env), ==, cases[i].mode);
            g_assert_cmphex(env->regs[15], ==,
                            cases[i].vector | (high ? 0xffff0000 : 0));
            g_assert_cmphex(env->regs[14], ==, cases[i].lr);
            g_assert_cmphex(env->spsr, ==, user_cpsr);
            g_assert_cmphex(cpsr_read(env), ==,
                            0x60000000 | cases[i].mode | cases[i].masks);
            g_assert_cmpuint(env->regs[13], ==, 0);     /* mode's own sp */
            /* the user registers are where they were */
            cpsr_write(env, ARM_CPU_MODE_USR, CPSR_M);
            g_assert_cmpuint(env->regs[13], ==, 0x7000);
        }
    }

    /* F stays as it was except for FIQ; SVC from SVC keeps the bank */
    cpu_reset(CPU(cpu));
    cpsr_write(env, ARM_CPU_MODE_SVC, 0xffffffff);
    env->regs[13] = 0x8000;
    env->regs[15] = 0x2004;
    take(cpu, EXCP_SWI);
    g_assert_cmphex(cpsr_read(env), ==, CPSR_I | ARM_CPU_MODE_SVC);
    g_assert_cmphex(env->spsr, ==, ARM_CPU_MODE_SVC);
    g_assert_cmpuint(env->regs[13], ==, 0x8000);
    g_assert_cmphex(env->regs[14], ==, 0x2004);

    /* -d int says what it takes, as QEMU */
    {
        g_autofree char *path = NULL;
        g_autofree char *log = NULL;
        g_autofree char *want = NULL;
        int fd = g_file_open_tmp("arm-cpu-log-XXXXXX", &path, NULL);

        g_assert_cmpint(fd, >=, 0);
        close(fd);
        g_assert_true(emu_log_set_file(path, &error_fatal));
        emu_log_set_mask(LOG_INT);
        cpu_reset(CPU(cpu));
        cpsr_write(env, ARM_CPU_MODE_USR, CPSR_M);
        env->cp15.dfsr = 0x35;
        env->cp15.far = 0x1234;
        take(cpu, EXCP_SWI);
        take(cpu, EXCP_DATA_ABORT);
        emu_log_set_mask(0);
        emu_log_close();
        g_assert_true(g_file_get_contents(path, &log, NULL, NULL));
        want = g_strdup_printf("Taking exception 2 [SVC] on CPU %d\n"
                               "...from EL0 to EL1\n"
                               "Taking exception 4 [Data Abort] on CPU %d\n"
                               "...from EL1 to EL1\n"
                               "...with DFSR 0x35 DFAR 0x1234\n",
                               CPU(cpu)->cpu_index, CPU(cpu)->cpu_index);
        g_assert_cmpstr(log, ==, want);
        unlink(path);
    }

    /* ARMv6 reports BKPT in IFSR */
    free_cpu(cpu);
    cpu = new_cpu("arm1136");
    cpu->env.regs[15] = 0x400;
    take(cpu, EXCP_BKPT);
    g_assert_cmphex(cpu->env.cp15.ifsr, ==, ARM_FSR_DEBUG);
    g_assert_cmphex(cpu->env.regs[15], ==, 0x0c);
    free_cpu(cpu);
}

/* ---- interrupt inputs ---- */

static void test_interrupts(void)
{
    ARMCPU *cpu = new_cpu("pxa255");
    CPUState *cs = CPU(cpu);
    CPUARMState *env = &cpu->env;
    IRQLine *irq = qdev_get_gpio_in(DEVICE(cpu), ARM_CPU_IRQ);
    IRQLine *fiq = qdev_get_gpio_in(DEVICE(cpu), ARM_CPU_FIQ);

    g_assert_false(arm_cpu_has_work(cs));
    irq_raise(irq);
    g_assert_true(env->irq_line);
    g_assert_true(cs->interrupt_request & CPU_INTERRUPT_HARD);
    g_assert_true(arm_cpu_has_work(cs));      /* even while masked */
    g_assert_false(arm_cpu_exec_interrupt(cs, cs->interrupt_request));

    irq_raise(fiq);
    g_assert_true(env->fiq_line);
    g_assert_true(cs->interrupt_request & CPU_INTERRUPT_FIQ);
    /* both unmasked: FIQ first */
    cpsr_write(env, ARM_CPU_MODE_USR, 0xffffffff);
    env->regs[15] = 0x500;
    g_assert_true(arm_cpu_exec_interrupt(cs, cs->interrupt_request));
    g_assert_cmpint(arm_current_mode(env), ==, ARM_CPU_MODE_FIQ);
    g_assert_cmphex(env->regs[15], ==, 0x1c);
    g_assert_cmphex(env->regs[14], ==, 0x504);
    g_assert_cmpint(cs->exception_index, ==, -1);
    /* in the handler both are masked */
    g_assert_false(arm_cpu_exec_interrupt(cs, cs->interrupt_request));

    irq_lower(fiq);
    g_assert_false(env->fiq_line);
    g_assert_false(cs->interrupt_request & CPU_INTERRUPT_FIQ);
    /* F masked, I clear: the IRQ gets in */
    cpsr_write(env, ARM_CPU_MODE_SVC | CPSR_F, 0xffffffff);
    g_assert_true(arm_cpu_exec_interrupt(cs, cs->interrupt_request));
    g_assert_cmpint(arm_current_mode(env), ==, ARM_CPU_MODE_IRQ);
    g_assert_cmphex(env->regs[15], ==, 0x18);

    irq_lower(irq);
    g_assert_false(env->irq_line);
    g_assert_false(arm_cpu_has_work(cs));
    free_cpu(cpu);
}

/* ---- MMU ---- */

#define TTB 0x4000
#define COARSE 0x8000
#define FINE 0x9000

static void l1(uint32_t va, uint32_t desc)
{
    put32(TTB + (va >> 20) * 4, desc);
}

/* Section: 1 MiB, AP in 11:10, domain in 8:5. */
static uint32_t section(uint32_t pa, int ap, int domain)
{
    return (pa & 0xfff00000) | ap << 10 | domain << 5 | 0x2;
}

static bool walk(CPUARMState *env, uint32_t va, int mmu_idx,
                 ARMMMUResult *res)
{
    memset(res, 0xa5, sizeof(*res));
    return arm_get_phys_addr(env, va, mmu_idx, res);
}

static void setup_tables(CPUARMState *env)
{
    /* clear the first-level table: every section faults */
    for (int i = 0; i < 4096; i++) {
        put32(TTB + i * 4, 0);
    }
    for (int i = 0; i < 256; i++) {
        put32(COARSE + i * 4, 0);
    }
    for (int i = 0; i < 1024; i++) {
        put32(FINE + i * 4, 0);
    }
    l1(0x00100000, section(0x00300000, 3, 0));          /* RW all */
    l1(0x00a00000, section(0x00a00000, 1, 0));          /* priv only */
    l1(0x00b00000, section(0x00b00000, 2, 0));          /* user RO */
    l1(0x00c00000, section(0x00c00000, 0, 0));          /* S/R decide */
    l1(0x00900000, section(0x00900000, 3, 1));          /* domain 1 */
    l1(0x00d00000, (0x00d00000) | 0 << 10 | 2 << 5 | 0);  /* fault, dom 2 */
    /* coarse table for 0x00200000 in domain 3 */
    l1(0x00200000, COARSE | 3 << 5 | 0x1);
    /* small page 0x00201000 -> 0x00500000, subpage APs 3, 2, 1, 0 */
    put32(COARSE + 0x01 * 4, 0x00500000 | 0x1b << 4 | 0x2);
    /* large page 0x00210000-0x0021ffff -> 0x00600000, APs 3, 3, 2, 2 */
    for (int i = 0x10; i < 0x20; i++) {
        put32(COARSE + i * 4, 0x00600000 | 0xaf << 4 | 0x1);
    }
    /* type 3 in a coarse table: XScale extended small page, AP 2 */
    put32(COARSE + 0x30 * 4, 0x00700000 | 2 << 4 | 0x3);
    /* fine table for 0x00400000 in domain 0 */
    l1(0x00400000, FINE | 0 << 5 | 0x3);
    /* tiny page 0x00400400 -> 0x00780c00, AP 3 */
    put32(FINE + 0x001 * 4, 0x00780c00 | 3 << 4 | 0x3);
    /* small page through the fine table: 4 entries for 0x00401000 */
    for (int i = 4; i < 8; i++) {
        put32(FINE + i * 4, 0x00790000 | 0xff << 4 | 0x2);
    }
    env->cp15.ttbr0 = TTB;
    /* domain 0 client, 1 no access, 2 client, 3 client */
    env->cp15.dacr = 0x1 | 0x0 << 2 | 0x1 << 4 | 0x1 << 6;
    env->cp15.sctlr |= SCTLR_M;
}

static void test_mmu_walk(void)
{
    ARMCPU *cpu = new_cpu("pxa255");
    CPUARMState *env = &cpu->env;
    CPUClass *cc = CPU_GET_CLASS(cpu);
    ARMMMUResult r;
    hwaddr pa;

    /* MMU off: flat, everything allowed */
    g_assert_true(walk(env, 0x12345678, ARM_MMU_IDX_USER, &r));
    g_assert_cmphex(r.phys, ==, 0x12345678);
    g_assert_cmpint(r.prot, ==, PAGE_READ | PAGE_WRITE | PAGE_EXEC);
    g_assert_cmpuint(r.page_size, ==, TARGET_PAGE_SIZE);

    setup_tables(env);

    /* section */
    g_assert_true(walk(env, 0x00123456, ARM_MMU_IDX_USER, &r));
    g_assert_cmphex(r.phys, ==, 0x00323456);
    g_assert_cmpuint(r.page_size, ==, 1 * MiB);
    g_assert_cmpint(r.prot, ==, PAGE_READ | PAGE_WRITE | PAGE_EXEC);
    g_assert_true(cc->get_phys_addr_debug(CPU(cpu), 0x00123456, &pa));
    g_assert_cmphex(pa, ==, 0x00323456);

    /* section translation fault: FSR 5 with the descriptor's domain */
    g_assert_false(walk(env, 0x00800010, ARM_MMU_IDX_PRIV, &r));
    g_assert_cmphex(r.fsr, ==, 0x05);
    g_assert_false(walk(env, 0x00d00010, ARM_MMU_IDX_PRIV, &r));
    g_assert_cmphex(r.fsr, ==, 0x25);
    g_assert_false(cc->get_phys_addr_debug(CPU(cpu), 0x00800010, &pa));

    /* AP 01: privileged only; the fault would be a section permission */
    g_assert_true(walk(env, 0x00a00000, ARM_MMU_IDX_PRIV, &r));
    g_assert_cmpint(r.prot, ==, PAGE_READ | PAGE_WRITE | PAGE_EXEC);
    g_assert_true(walk(env, 0x00a00000, ARM_MMU_IDX_USER, &r));
    g_assert_cmpint(r.prot, ==, 0);
    g_assert_cmphex(r.fsr, ==, 0x0d);
    /* AP 10: user read-only */
    g_assert_true(walk(env, 0x00b00000, ARM_MMU_IDX_USER, &r));
    g_assert_cmpint(r.prot, ==, PAGE_READ | PAGE_EXEC);
    /* AP 00: none; S: privileged read; R: read for all */
    g_assert_true(walk(env, 0x00c00000, ARM_MMU_IDX_PRIV, &r));
    g_assert_cmpint(r.prot, ==, 0);
    env->cp15.sctlr |= SCTLR_S;
    g_assert_true(walk(env, 0x00c00000, ARM_MMU_IDX_PRIV, &r));
    g_assert_cmpint(r.prot, ==, PAGE_READ | PAGE_EXEC);
    g_assert_true(walk(env, 0x00c00000, ARM_MMU_IDX_USER, &r));
    g_assert_cmpint(r.prot, ==, 0);
    env->cp15.sctlr ^= SCTLR_S | SCTLR_R;
    g_assert_true(walk(env, 0x00c00000, ARM_MMU_IDX_USER, &r));
    g_assert_cmpint(r.prot, ==, PAGE_READ | PAGE_EXEC);
    env->cp15.sctlr &= ~SCTLR_R;

    /* domains: no access faults with 9 (section) and the domain */
    g_assert_true(walk(env, 0x00900000, ARM_MMU_IDX_PRIV, &r));
    g_assert_cmpint(r.prot, ==, 0);
    g_assert_cmphex(r.fsr, ==, 0x19);
    /* the debugger sees the mapping anyway */
    g_assert_true(cc->get_phys_addr_debug(CPU(cpu), 0x00900004, &pa));
    g_assert_cmphex(pa, ==, 0x00900004);
    /* manager: AP ignored */
    env->cp15.dacr |= 3 << 2 | 3;
    g_assert_true(walk(env, 0x00900000, ARM_MMU_IDX_USER, &r));
    g_assert_cmpint(r.prot, ==, PAGE_READ | PAGE_WRITE | PAGE_EXEC);
    g_assert_true(walk(env, 0x00c00000, ARM_MMU_IDX_USER, &r));
    g_assert_cmpint(r.prot, ==, PAGE_READ | PAGE_WRITE | PAGE_EXEC);
    env->cp15.dacr = 0x55 & ~(3 << 2);

    /* coarse: small page with one AP per 1 KiB subpage */
    g_assert_true(walk(env, 0x00201010, ARM_MMU_IDX_USER, &r));
    g_assert_cmphex(r.phys, ==, 0x00500010);
    g_assert_cmpuint(r.page_size, ==, 4096);
    g_assert_cmpint(r.prot, ==, PAGE_READ | PAGE_WRITE | PAGE_EXEC);
    g_assert_true(walk(env, 0x00201410, ARM_MMU_IDX_USER, &r));
    g_assert_cmpint(r.prot, ==, PAGE_READ | PAGE_EXEC);
    g_assert_true(walk(env, 0x00201810, ARM_MMU_IDX_USER, &r));
    g_assert_cmpint(r.prot, ==, 0);
    g_assert_cmphex(r.fsr, ==, 0x3f);                  /* page perm */
    g_assert_true(walk(env, 0x00201c10, ARM_MMU_IDX_PRIV, &r));
    g_assert_cmpint(r.prot, ==, 0);
    /* page translation fault: FSR 7 */
    g_assert_false(walk(env, 0x00202000, ARM_MMU_IDX_PRIV, &r));
    g_assert_cmphex(r.fsr, ==, 0x37);
    /* large page, 16 KiB subpages */
    g_assert_true(walk(env, 0x0021abcd, ARM_MMU_IDX_USER, &r));
    g_assert_cmphex(r.phys, ==, 0x0060abcd);
    g_assert_cmpuint(r.page_size, ==, 64 * 1024);
    g_assert_cmpint(r.prot, ==, PAGE_READ | PAGE_EXEC);
    g_assert_true(walk(env, 0x00213bcd, ARM_MMU_IDX_USER, &r));
    g_assert_cmpint(r.prot, ==, PAGE_READ | PAGE_WRITE | PAGE_EXEC);
    /* XScale extended small page */
    g_assert_true(walk(env, 0x00230123, ARM_MMU_IDX_USER, &r));
    g_assert_cmphex(r.phys, ==, 0x00700123);
    g_assert_cmpuint(r.page_size, ==, 4096);
    g_assert_cmpint(r.prot, ==, PAGE_READ | PAGE_EXEC);

    /* fine: tiny page and a small page spread over four entries */
    g_assert_true(walk(env, 0x00400432, ARM_MMU_IDX_USER, &r));
    g_assert_cmphex(r.phys, ==, 0x00780c32);
    g_assert_cmpuint(r.page_size, ==, 1024);
    g_assert_cmpint(r.prot, ==, PAGE_READ | PAGE_WRITE | PAGE_EXEC);
    g_assert_false(walk(env, 0x00400832, ARM_MMU_IDX_USER, &r));
    g_assert_cmphex(r.fsr, ==, 0x07);
    g_assert_true(walk(env, 0x00401f00, ARM_MMU_IDX_USER, &r));
    g_assert_cmphex(r.phys, ==, 0x00790f00);

    /* FCSE: addresses under 32 MiB move by the PID */
    cp_write(env, 15, 0, 13, 0, 0, 0x02000000);
    g_assert_cmphex(cp_read(env, 15, 0, 13, 0, 0), ==, 0x02000000);
    l1(0x02100000, section(0x00f00000, 3, 0));
    g_assert_true(walk(env, 0x00100010, ARM_MMU_IDX_USER, &r));
    g_assert_cmphex(r.mva, ==, 0x02100010);
    g_assert_cmphex(r.phys, ==, 0x00f00010);
    g_assert_true(walk(env, 0x02100010, ARM_MMU_IDX_USER, &r));
    g_assert_cmphex(r.phys, ==, 0x00f00010);
    cp_write(env, 15, 0, 13, 0, 0, 0);
    free_cpu(cpu);

    /* ARMv5 without XScale: type 3 in a coarse table faults */
    cpu = new_cpu("arm926");
    setup_tables(&cpu->env);
    g_assert_false(walk(&cpu->env, 0x00230123, ARM_MMU_IDX_USER, &r));
    g_assert_cmphex(r.fsr, ==, 0x37);
    free_cpu(cpu);
}

/* tlb_fill: the real TLB gets the page or nothing; faults set DFSR/FAR. */
static void test_mmu_tlb_fill(void)
{
    uint8_t *ram_host = memory_region_get_ram_ptr(&ram);
    ARMCPU *cpu = new_cpu("pxa255");
    CPUState *cs = CPU(cpu);
    CPUARMState *env = &cpu->env;
    CPUTLBEntry *e;
    ARMMMUResult r;

    setup_tables(env);
    /* reset flushed the TLB: nothing there yet */
    g_assert_false(tlb_holds(cpu, ARM_MMU_IDX_USER, 0x00123456));
    fill(cpu, 0x00123456, MMU_DATA_STORE, ARM_MMU_IDX_USER);
    e = tlb_entry(cpu, ARM_MMU_IDX_USER, 0x00123456);
    g_assert_cmphex(e->addr_read, ==, 0x00123400);
    g_assert_cmphex(e->addr_write, ==, 0x00123400);
    g_assert_cmphex(e->addr_code, ==, 0x00123400);
    g_assert_true(tlb_host(cpu, ARM_MMU_IDX_USER, 0x00123456) ==
                  ram_host + 0x00323456);
    g_assert_cmphex(cpu->tlb.full[ARM_MMU_IDX_USER]
                    [(0x00123456 >> TARGET_PAGE_BITS) & (TLB_SIZE - 1)]
                    .phys_addr, ==, 0x00323400);
    /* only the MMU index asked for */
    g_assert_false(tlb_holds(cpu, ARM_MMU_IDX_PRIV, 0x00123456));
    /* and what the guest reads through it is the RAM behind it */
    put32(0x00323454, 0xcafef00d);
    g_assert_cmphex(cpu_ldl_mmuidx_ra(cs, 0x00123454, ARM_MMU_IDX_USER, 0),
                    ==, 0xcafef00d);

    /* a store to a read-only page: refused when probing, TLB untouched */
    g_assert_false(arm_cpu_tlb_fill(cs, 0x00b00004, 4, MMU_DATA_STORE,
                                    ARM_MMU_IDX_USER, true, 0));
    g_assert_false(tlb_holds(cpu, ARM_MMU_IDX_USER, 0x00b00004));
    g_assert_true(walk(env, 0x00b00004, ARM_MMU_IDX_USER, &r));
    g_assert_false(r.prot & PAGE_WRITE);
    g_assert_cmphex(r.fsr, ==, 0x0d);                  /* section perm */
    fill(cpu, 0x00b00004, MMU_DATA_LOAD, ARM_MMU_IDX_USER);
    e = tlb_entry(cpu, ARM_MMU_IDX_USER, 0x00b00004);
    g_assert_cmphex(e->addr_read, ==, 0x00b00000);
    g_assert_cmphex(e->addr_write, ==, UINT64_MAX);
    g_assert_cmphex(e->addr_code, ==, 0x00b00000);
    g_assert_true(tlb_host(cpu, ARM_MMU_IDX_USER, 0x00b00004) ==
                  ram_host + 0x00b00004);

    /* a non-probing fill: a data abort with DFSR and FAR */
    EXPECT_LOOP_EXIT(cs, arm_cpu_tlb_fill(cs, 0x00b00004, 4, MMU_DATA_STORE,
                                          ARM_MMU_IDX_USER, false, 0));
    g_assert_cmpint(cs->exception_index, ==, EXCP_DATA_ABORT);
    g_assert_cmphex(env->cp15.dfsr, ==, 0x0d);
    g_assert_cmphex(env->cp15.far, ==, 0x00b00004);
    g_assert_cmphex(cp_read(env, 15, 0, 5, 0, 0), ==, 0x0d);
    g_assert_cmphex(cp_read(env, 15, 0, 6, 0, 0), ==, 0x00b00004);

    /* a page translation fault */
    g_assert_false(arm_cpu_tlb_fill(cs, 0x00202008, 4, MMU_DATA_LOAD,
                                    ARM_MMU_IDX_PRIV, true, 0));
    g_assert_false(tlb_holds(cpu, ARM_MMU_IDX_PRIV, 0x00202008));
    EXPECT_LOOP_EXIT(cs, arm_cpu_tlb_fill(cs, 0x00202008, 4, MMU_DATA_LOAD,
                                          ARM_MMU_IDX_PRIV, false, 0));
    g_assert_cmpint(cs->exception_index, ==, EXCP_DATA_ABORT);
    g_assert_cmphex(env->cp15.dfsr, ==, 0x37);
    g_assert_cmphex(env->cp15.far, ==, 0x00202008);

    /* a fetch: prefetch abort, FSR untouched on ARMv5 */
    g_assert_false(arm_cpu_tlb_fill(cs, 0x00800000, 4, MMU_INST_FETCH,
                                    ARM_MMU_IDX_PRIV, true, 0));
    EXPECT_LOOP_EXIT(cs, arm_cpu_tlb_fill(cs, 0x00800000, 4, MMU_INST_FETCH,
                                          ARM_MMU_IDX_PRIV, false, 0));
    g_assert_cmpint(cs->exception_index, ==, EXCP_PREFETCH_ABORT);
    g_assert_cmphex(env->cp15.dfsr, ==, 0x37);
    g_assert_cmphex(env->cp15.far, ==, 0x00202008);

    /* a fetch from a page without user access fills nothing */
    g_assert_false(arm_cpu_tlb_fill(cs, 0x00a00000, 4, MMU_INST_FETCH,
                                    ARM_MMU_IDX_USER, true, 0));
    g_assert_false(tlb_holds(cpu, ARM_MMU_IDX_USER, 0x00a00000));
    fill(cpu, 0x00a00000, MMU_INST_FETCH, ARM_MMU_IDX_PRIV);
    g_assert_cmphex(tlb_entry(cpu, ARM_MMU_IDX_PRIV, 0x00a00000)->addr_code,
                    ==, 0x00a00000);

    /* alignment fault */
    EXPECT_LOOP_EXIT(cs, arm_cpu_do_unaligned_access(cs, 0x00100002,
                                                     MMU_DATA_LOAD,
                                                     ARM_MMU_IDX_PRIV, 0));
    g_assert_cmpint(cs->exception_index, ==, EXCP_DATA_ABORT);
    g_assert_cmphex(env->cp15.dfsr, ==, 0x01);
    g_assert_cmphex(env->cp15.far, ==, 0x00100002);
    free_cpu(cpu);

    /* ARMv6: IFSR/IFAR for fetches, WnR for stores */
    cpu = new_cpu("arm1136");
    cs = CPU(cpu);
    env = &cpu->env;
    setup_tables(env);
    EXPECT_LOOP_EXIT(cs, arm_cpu_tlb_fill(cs, 0x00800040, 4, MMU_INST_FETCH,
                                          ARM_MMU_IDX_PRIV, false, 0));
    g_assert_cmpint(cs->exception_index, ==, EXCP_PREFETCH_ABORT);
    g_assert_cmphex(cp_read(env, 15, 0, 5, 0, 1), ==, 0x5);
    g_assert_cmphex(cp_read(env, 15, 0, 6, 0, 2), ==, 0x00800040);
    EXPECT_LOOP_EXIT(cs, arm_cpu_tlb_fill(cs, 0x00b00000, 4, MMU_DATA_STORE,
                                          ARM_MMU_IDX_USER, false, 0));
    g_assert_cmphex(env->cp15.dfsr, ==, 0x80d);
    g_assert_cmphex(env->cp15.far, ==, 0x00b00000);
    free_cpu(cpu);
}

/* ---- semihosting ---- */

/* The call runs in the exception entry and the PC steps over the trap. */
static void test_semihosting(void)
{
    ARMCPU *cpu = new_cpu("pxa255");
    CPUARMState *env = &cpu->env;
    time_t before = time(NULL);

    env->regs[15] = 0x3000;
    env->regs[0] = 0x11;                               /* SYS_TIME */
    take(cpu, EXCP_SEMIHOST);
    g_assert_cmpuint(env->regs[0], >=, before);
    g_assert_cmpuint(env->regs[0], <=, time(NULL));
    g_assert_cmphex(env->regs[15], ==, 0x3004);
    g_assert_cmphex(cpsr_read(env), ==, 0x400001d3);

    /* the parameter block is read through the guest's MMU */
    setup_tables(env);
    put32(0x00300040, 0xfffffffe);
    env->regs[0] = 0x08;                               /* SYS_ISERROR */
    env->regs[1] = 0x00100040;
    take(cpu, EXCP_SEMIHOST);
    g_assert_cmphex(env->regs[0], ==, 1);
    g_assert_cmphex(env->regs[15], ==, 0x3008);
    /* a block where nothing is mapped fails the call, no abort */
    env->regs[0] = 0x08;
    env->regs[1] = 0x00800000;
    take(cpu, EXCP_SEMIHOST);
    g_assert_cmphex(env->regs[0], ==, 0xffffffff);
    g_assert_cmphex(cpsr_read(env), ==, 0x400001d3);

    /* Thumb steps two bytes; SYS_ERRNO says why the last call failed */
    env->thumb = 1;
    env->regs[0] = 0x13;                               /* SYS_ERRNO */
    take(cpu, EXCP_SEMIHOST);
    g_assert_cmpint(env->regs[0], ==, EFAULT);
    g_assert_cmphex(env->regs[15], ==, 0x300e);
    free_cpu(cpu);
}

/* ---- coprocessors ---- */

static void test_cp15(void)
{
    ARMCPU *cpu = new_cpu("arm926");
    CPUState *cs = CPU(cpu);
    CPUARMState *env = &cpu->env;
    bool ok;

    cp_write(env, 15, 0, 2, 0, 0, 0x12344000);
    g_assert_cmphex(cp_read(env, 15, 0, 2, 0, 0), ==, 0x12344000);
    cp_write(env, 15, 0, 5, 0, 0, 0x1f);
    g_assert_cmphex(cp_read(env, 15, 0, 5, 0, 0), ==, 0x1f);
    cp_write(env, 15, 0, 6, 0, 0, 0xdeadbeef);
    g_assert_cmphex(cp_read(env, 15, 0, 6, 0, 0), ==, 0xdeadbeef);
    /* cache maintenance is accepted; test-and-clean says "clean" */
    cp_write(env, 15, 0, 7, 7, 0, 0);
    cp_write(env, 15, 0, 7, 10, 4, 0);
    g_assert_cmphex(cp_read(env, 15, 0, 7, 14, 3), ==, 0x40000000);
    /* unknown registers and opc1 != 0 are undefined */
    arm_cp_read(env, 15, 0, 4, 0, 0, &ok);
    g_assert_false(ok);
    arm_cp_write(env, 15, 1, 1, 0, 0, 0, &ok);
    g_assert_false(ok);
    arm_cp_write(env, 15, 0, 0, 0, 0, 0, &ok);        /* ID is read-only */
    g_assert_false(ok);
    arm_cp_read(env, 14, 0, 6, 0, 0, &ok);            /* no cp14 here */
    g_assert_false(ok);
    arm_cp_read(env, 10, 7, 0, 0, 0, &ok);
    g_assert_false(ok);
    /* cp15 is privileged */
    cpsr_write(env, ARM_CPU_MODE_USR, CPSR_M);
    arm_cp_read(env, 15, 0, 0, 0, 0, &ok);
    g_assert_false(ok);
    cpsr_write(env, ARM_CPU_MODE_SVC, CPSR_M);

    /* the TLB: by MVA drops one page, the others stay */
    fill(cpu, 0x1000, MMU_DATA_LOAD, ARM_MMU_IDX_PRIV);
    fill(cpu, 0x2000, MMU_DATA_LOAD, ARM_MMU_IDX_PRIV);
    fill(cpu, 0x1000, MMU_DATA_LOAD, ARM_MMU_IDX_USER);
    cp_write(env, 15, 0, 8, 6, 1, 0x1000);            /* D-TLB by MVA */
    g_assert_false(tlb_holds(cpu, ARM_MMU_IDX_PRIV, 0x1000));
    g_assert_false(tlb_holds(cpu, ARM_MMU_IDX_USER, 0x1000));
    g_assert_true(tlb_holds(cpu, ARM_MMU_IDX_PRIV, 0x2000));
    cp_write(env, 15, 0, 8, 7, 0, 0);                 /* flush all */
    g_assert_false(tlb_holds(cpu, ARM_MMU_IDX_PRIV, 0x2000));
    fill(cpu, 0x2000, MMU_INST_FETCH, ARM_MMU_IDX_PRIV);
    cp_write(env, 15, 0, 8, 5, 0, 0);                 /* I-TLB all */
    g_assert_false(tlb_holds(cpu, ARM_MMU_IDX_PRIV, 0x2000));
    arm_cp_write(env, 15, 0, 8, 7, 3, 0, &ok);        /* no such op */
    g_assert_false(ok);

    /* the domains: the TLB's permissions are stale */
    fill(cpu, 0x1000, MMU_DATA_STORE, ARM_MMU_IDX_USER);
    cp_write(env, 15, 0, 3, 0, 0, 0x5);               /* DACR */
    g_assert_cmphex(cp_read(env, 15, 0, 3, 0, 0), ==, 0x5);
    g_assert_false(tlb_holds(cpu, ARM_MMU_IDX_USER, 0x1000));

    /* the MMU coming on: flat entries must go */
    setup_tables(env);
    env->cp15.sctlr &= ~SCTLR_M;
    fill(cpu, 0x00123456, MMU_DATA_LOAD, ARM_MMU_IDX_PRIV);
    g_assert_true(tlb_host(cpu, ARM_MMU_IDX_PRIV, 0x00123456) ==
                  memory_region_get_ram_ptr(&ram) + 0x00123456);
    cp_write(env, 15, 0, 1, 0, 0, env->cp15.sctlr | SCTLR_M);
    g_assert_false(tlb_holds(cpu, ARM_MMU_IDX_PRIV, 0x00123456));
    fill(cpu, 0x00123456, MMU_DATA_LOAD, ARM_MMU_IDX_PRIV);
    g_assert_true(tlb_host(cpu, ARM_MMU_IDX_PRIV, 0x00123456) ==
                  memory_region_get_ram_ptr(&ram) + 0x00323456);
    /* the data cache bit leaves the TLB alone */
    cp_write(env, 15, 0, 1, 0, 0, env->cp15.sctlr | (1u << 2));
    g_assert_true(tlb_holds(cpu, ARM_MMU_IDX_PRIV, 0x00123456));
    /* by MVA anywhere in a section drops the section's pages */
    cp_write(env, 15, 0, 8, 6, 1, 0x00180000);
    g_assert_false(tlb_holds(cpu, ARM_MMU_IDX_PRIV, 0x00123456));
    /* a new FCSE PID moves every address under 32 MiB */
    fill(cpu, 0x00123456, MMU_DATA_LOAD, ARM_MMU_IDX_PRIV);
    cp_write(env, 15, 0, 13, 0, 0, 0x02000000);
    g_assert_false(tlb_holds(cpu, ARM_MMU_IDX_PRIV, 0x00123456));
    /* the MMU going off */
    cp_write(env, 15, 0, 13, 0, 0, 0);
    fill(cpu, 0x00123456, MMU_DATA_LOAD, ARM_MMU_IDX_PRIV);
    cp_write(env, 15, 0, 1, 0, 0, env->cp15.sctlr & ~SCTLR_M);
    g_assert_false(tlb_holds(cpu, ARM_MMU_IDX_PRIV, 0x00123456));

    /* wait for interrupt */
    cs->interrupt_request = 0;
    cp_write(env, 15, 0, 7, 0, 4, 0);
    g_assert_cmphex(cs->interrupt_request, ==, CPU_INTERRUPT_HALT);
    cs->interrupt_request = 0;
    free_cpu(cpu);
}

static void test_xscale_cp(void)
{
    ARMCPU *cpu = new_cpu("pxa255");
    CPUState *cs = CPU(cpu);
    CPUARMState *env = &cpu->env;
    uint64_t pc, cs_base;
    uint32_t flags;
    bool ok;

    /* CPAR gates cp0 (the accumulator) through the TB flags */
    arm_cpu_get_tb_cpu_state(cs, &pc, &cs_base, &flags);
    g_assert_cmphex(flags, ==, ARM_TBFLAG_PRIV);
    cp_write(env, 15, 0, 15, 1, 0, 0xffffffff);
    g_assert_cmphex(cp_read(env, 15, 0, 15, 1, 0), ==, 0x3fff);
    env->thumb = 1;
    env->regs[15] = 0x1234;
    arm_cpu_get_tb_cpu_state(cs, &pc, &cs_base, &flags);
    g_assert_cmphex(pc, ==, 0x1234);
    g_assert_cmphex(flags, ==, ARM_TBFLAG_THUMB | ARM_TBFLAG_PRIV |
                               ARM_TBFLAG_XSCALE_CP0);
    cpsr_write(env, ARM_CPU_MODE_USR, CPSR_M);
    arm_cpu_get_tb_cpu_state(cs, &pc, &cs_base, &flags);
    g_assert_false(flags & ARM_TBFLAG_PRIV);
    arm_cp_read(env, 14, 0, 6, 0, 0, &ok);            /* privileged */
    g_assert_false(ok);
    cpsr_write(env, ARM_CPU_MODE_SVC, CPSR_M);

    cp_write(env, 14, 0, 6, 0, 0, 0x2);
    g_assert_cmphex(cp_read(env, 14, 0, 6, 0, 0), ==, 0x2);
    cs->interrupt_request = 0;
    cp_write(env, 14, 0, 7, 0, 0, 0);                 /* run */
    g_assert_cmphex(cs->interrupt_request, ==, 0);
    cp_write(env, 14, 0, 7, 0, 0, 1);                 /* idle */
    g_assert_cmphex(cs->interrupt_request, ==, CPU_INTERRUPT_HALT);
    g_assert_cmphex(cp_read(env, 14, 0, 7, 0, 0), ==, 1);
    cs->interrupt_request = 0;
    arm_cp_read(env, 14, 0, 8, 0, 0, &ok);
    g_assert_false(ok);
    /* XScale has no wait-for-interrupt in c7: a plain cache op */
    cp_write(env, 15, 0, 7, 0, 4, 0);
    g_assert_cmphex(cs->interrupt_request, ==, 0);
    free_cpu(cpu);
}

/* ---- registers by name ---- */

static void test_monitor_registers(void)
{
    ARMCPU *cpu = new_cpu("pxa255");
    CPUState *cs = CPU(cpu);
    CPUARMState *env = &cpu->env;
    CPUClass *cc = CPU_GET_CLASS(cpu);
    uint64_t v;

    for (int i = 0; i < 16; i++) {
        env->regs[i] = 0x1000 + i;
    }
    env->spsr = 0x600000d3;
    for (int i = 0; i < 16; i++) {
        g_autofree char *name = g_strdup_printf("r%d", i);

        g_assert_true(cc->monitor_get_register(cs, name, &v));
        g_assert_cmphex(v, ==, 0x1000 + i);
    }
    g_assert_true(cc->monitor_get_register(cs, "sp", &v));
    g_assert_cmphex(v, ==, 0x100d);
    g_assert_true(cc->monitor_get_register(cs, "lr", &v));
    g_assert_cmphex(v, ==, 0x100e);
    g_assert_true(cc->monitor_get_register(cs, "pc", &v));
    g_assert_cmphex(v, ==, 0x100f);
    g_assert_true(cc->monitor_get_register(cs, "cpsr", &v));
    g_assert_cmphex(v, ==, 0x400001d3);
    g_assert_true(cc->monitor_get_register(cs, "spsr", &v));
    g_assert_cmphex(v, ==, 0x600000d3);
    g_assert_false(cc->monitor_get_register(cs, "r16", &v));
    g_assert_false(cc->monitor_get_register(cs, "r01", &v));
    g_assert_false(cc->monitor_get_register(cs, "r", &v));
    g_assert_false(cc->monitor_get_register(cs, "r1x", &v));
    g_assert_false(cc->monitor_get_register(cs, "eax", &v));
    free_cpu(cpu);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    memory_system_init(true);
    bql_lock();
    memory_region_init_ram(&ram, NULL, "ram", 16 * MiB, &error_fatal);
    memory_region_add_subregion(get_system_memory(), 0, &ram);

    g_test_add_func("/arm-cpu/models", test_models);
    g_test_add_func("/arm-cpu/reset", test_reset);
    g_test_add_func("/arm-cpu/cpsr-banking", test_cpsr_banking);
    g_test_add_func("/arm-cpu/exceptions", test_exceptions);
    g_test_add_func("/arm-cpu/interrupts", test_interrupts);
    g_test_add_func("/arm-cpu/mmu-walk", test_mmu_walk);
    g_test_add_func("/arm-cpu/mmu-tlb-fill", test_mmu_tlb_fill);
    g_test_add_func("/arm-cpu/semihosting", test_semihosting);
    g_test_add_func("/arm-cpu/cp15", test_cp15);
    g_test_add_func("/arm-cpu/xscale-cp", test_xscale_cp);
    g_test_add_func("/arm-cpu/monitor-registers", test_monitor_registers);
    return g_test_run();
}
