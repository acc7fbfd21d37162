/*
 * Checks the translator core on its own: the optimiser and liveness on
 * small op lists, the softmmu TLB (fill, victim cache, flushes, MMIO),
 * and, with the x86-64 back end, whole blocks of a tiny made-up target
 * run through the vCPU loop: a loop over labels, a helper call, guest
 * loads and stores, chaining, a fault restored to its instruction, and
 * invalidation when a store hits translated code.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "tcg/tcg-op.h"
#include "softmmu/memory.h"
#include "accel/tcg/internal.h"

/* ---- a tiny target ---- */

typedef struct FakeEnv {
    uint32_t pc;
    uint32_t acc;
    uint32_t n;
    uint32_t helper_calls;
    bool exit_in_count;          /* helper_count also asks the vCPU out */
    uint32_t fault_pc;           /* pc restored when the fault was taken */
    int last_excp;
} FakeEnv;

typedef struct FakeCPU {
    CPUState parent_obj;
    CPUTLB tlb;
    FakeEnv env;
} FakeCPU;

#define TYPE_FAKE_CPU "fake-tcg-cpu"
#define EXCP_FAKE_ABORT 1
#define UNMAPPED_BASE 0x200000u

enum {
    PC_SUM = 0x100,              /* acc = n + ... + 1 via memory, then halt */
    PC_HALT = 0x200,
    PC_FAULT = 0x300,            /* second insn loads from unmapped memory */
};

static TCGv_i32 g_pc, g_acc, g_n;
static int tlb_fills;
static MemoryRegion ram, mmio;
static unsigned mmio_reads;

static FakeEnv *fake_env(CPUState *cpu)
{
    return &((FakeCPU *)cpu)->env;
}

static void fake_initialize(void)
{
    g_pc = tcg_global_mem_new_i32(offsetof(FakeEnv, pc), "pc");
    g_acc = tcg_global_mem_new_i32(offsetof(FakeEnv, acc), "acc");
    g_n = tcg_global_mem_new_i32(offsetof(FakeEnv, n), "n");
}

static void fake_get_tb_cpu_state(CPUState *cpu, uint64_t *pc,
                                  uint64_t *cs_base, uint32_t *flags)
{
    *pc = fake_env(cpu)->pc;
    *cs_base = 0;
    *flags = 0;
}

static void helper_count(void *env)
{
    ((FakeEnv *)env)->helper_calls++;
    if (((FakeEnv *)env)->exit_in_count) {
        env_to_cpu(env)->exit_request = 1;
    }
}

static void helper_halt(void *env)
{
    CPUState *cpu = env_to_cpu(env);

    cpu->exception_index = EXCP_HLT;
    cpu_loop_exit(cpu);
}

static const TCGHelperInfo count_info = {
    .func = (void *)helper_count, .name = "count",
    .flags = TCG_CALL_NO_RWG, .nb_args = 1, .arg_types = { TCG_TYPE_I64 },
};

static const TCGHelperInfo halt_info = {
    .func = (void *)helper_halt, .name = "halt",
    .flags = TCG_CALL_NO_RETURN, .nb_args = 1,
    .arg_types = { TCG_TYPE_I64 },
};

static void gen_helper(const TCGHelperInfo *info)
{
    TCGTemp *env = tcgv_ptr_temp(tcg_env());

    tcg_gen_callN(info, NULL, &env);
}

/* Fetches each "instruction" word so the block covers its bytes. */
static void fake_insn(CPUState *cpu, uint64_t pc)
{
    tcg_gen_insn_start(pc, 0);
    translator_ldl(cpu, pc, 0);
}

static void fake_translate_code(CPUState *cpu, TranslationBlock *tb,
                                int max_insns)
{
    TCGLabel *loop;
    TCGv_i32 addr, t;

    tcg_gen_tb_start(tb);
    switch (tb->pc) {
    case PC_SUM:
        fake_insn(cpu, PC_SUM);
        /* acc = 0; do { acc += n; n -= 1; } while (n != 0) */
        tcg_gen_movi_i32(g_acc, 0);
        loop = gen_new_label();
        gen_set_label(loop);
        tcg_gen_add_i32(g_acc, g_acc, g_n);
        tcg_gen_subi_i32(g_n, g_n, 1);
        tcg_gen_brcondi_i32(TCG_COND_NE, g_n, 0, loop);
        fake_insn(cpu, PC_SUM + 4);
        gen_helper(&count_info);
        /* through guest memory: [0x2000] = acc; acc = [0x2000] * 2 */
        addr = tcg_constant_i32(0x2000);
        tcg_gen_qemu_st_i32(g_acc, addr, 0, MO_UL);
        t = tcg_temp_new_i32();
        tcg_gen_qemu_ld_i32(t, addr, 0, MO_UL);
        tcg_gen_add_i32(g_acc, t, t);
        tcg_temp_free_i32(t);
        tcg_gen_movi_i32(g_pc, PC_HALT);
        tcg_gen_goto_tb(0);
        tcg_gen_exit_tb(tb, 0);
        tb->size = 8;
        tb->icount = 2;
        break;
    case PC_FAULT:
        fake_insn(cpu, PC_FAULT);
        tcg_gen_movi_i32(g_acc, 7);
        fake_insn(cpu, PC_FAULT + 4);
        t = tcg_temp_new_i32();
        tcg_gen_qemu_ld_i32(t, tcg_constant_i32(UNMAPPED_BASE), 0, MO_UL);
        tcg_gen_mov_i32(g_acc, t);
        tcg_temp_free_i32(t);
        tcg_gen_movi_i32(g_pc, PC_HALT);
        tcg_gen_exit_tb(NULL, 0);
        tb->size = 8;
        tb->icount = 2;
        break;
    default:
        fake_insn(cpu, tb->pc);
        gen_helper(&halt_info);
        tb->size = 4;
        tb->icount = 1;
        break;
    }
    tcg_gen_tb_end(tb);
}

static void fake_restore_state_to_opc(CPUState *cpu,
                                      const TranslationBlock *tb,
                                      const uint64_t *data)
{
    fake_env(cpu)->pc = data[0];
}

static void fake_do_interrupt(CPUState *cpu)
{
    FakeEnv *env = fake_env(cpu);

    env->last_excp = cpu->exception_index;
    env->fault_pc = env->pc;
    env->pc = PC_HALT;
}

static bool fake_tlb_fill(CPUState *cpu, uint64_t addr, int size,
                          MMUAccessType access_type, int mmu_idx, bool probe,
                          uintptr_t retaddr)
{
    tlb_fills++;
    if (addr >= UNMAPPED_BASE && addr < 2 * UNMAPPED_BASE) {
        if (probe) {
            return false;
        }
        cpu->exception_index = EXCP_FAKE_ABORT;
        cpu_loop_exit_restore(cpu, retaddr);
    }
    tlb_set_page(cpu, addr & TARGET_PAGE_MASK, addr & TARGET_PAGE_MASK,
                 PAGE_READ | PAGE_WRITE | PAGE_EXEC, mmu_idx,
                 TARGET_PAGE_SIZE);
    return true;
}

static const TCGCPUOps fake_tcg_ops = {
    .initialize = fake_initialize,
    .get_tb_cpu_state = fake_get_tb_cpu_state,
    .translate_code = fake_translate_code,
    .restore_state_to_opc = fake_restore_state_to_opc,
    .do_interrupt = fake_do_interrupt,
    .tlb_fill = fake_tlb_fill,
    .env_offset = offsetof(FakeCPU, env),
};

static void fake_cpu_class_init(ObjectClass *klass)
{
    CPU_CLASS(klass)->tcg_ops = &fake_tcg_ops;
}

static const TypeInfo fake_cpu_types[] = {
    {
        .name = TYPE_FAKE_CPU,
        .parent = TYPE_CPU,
        .instance_size = sizeof(FakeCPU),
        .class_init = fake_cpu_class_init,
    },
};

DEFINE_TYPES(fake_cpu_types)

static uint64_t mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    mmio_reads++;
    return 0x11223344;
}

static void mmio_write(void *opaque, hwaddr addr, uint64_t value,
                       unsigned size)
{
}

static const MemoryRegionOps mmio_ops = {
    .read = mmio_read,
    .write = mmio_write,
};

static CPUState *test_cpu;

/* ---- op lists ---- */

/* The -d op_opt listing with runs of spaces (the column) squeezed. */
static char *ops_text(void)
{
    GString *out = g_string_new(NULL);
    GString *squeezed = g_string_new(NULL);

    tcg_dump_ops(tcg_ctx, out, true);
    for (const char *p = out->str; *p; p++) {
        if (!(*p == ' ' && p[1] == ' ')) {
            g_string_append_c(squeezed, *p);
        }
    }
    g_string_free(out, TRUE);
    return g_string_free(squeezed, FALSE);
}

static void optimize_and_check(const char *expected)
{
    g_autofree char *text = NULL;

    tcg_optimize(tcg_ctx);
    tcg_liveness_analysis(tcg_ctx);
    text = ops_text();
    g_assert_cmpstr(text, ==, expected);
}

static void test_fold_constants(void)
{
    TCGv_i32 t, u;
    TCGLabel *l;

    tcg_func_start(tcg_ctx);
    t = tcg_temp_new_i32();
    u = tcg_temp_new_i32();
    l = gen_new_label();
    tcg_gen_movi_i32(t, 2);
    tcg_gen_addi_i32(u, t, 3);           /* 5 */
    tcg_gen_shli_i32(u, u, 4);           /* 0x50 */
    tcg_gen_mov_i32(g_acc, u);
    tcg_gen_setcondi_i32(TCG_COND_GTU, g_n, u, 0x4f);  /* 1 */
    tcg_gen_brcondi_i32(TCG_COND_EQ, t, 2, l);         /* always */
    tcg_gen_movi_i32(g_pc, 1);                         /* unreachable */
    tcg_gen_exit_tb(NULL, 0);
    gen_set_label(l);
    tcg_gen_brcondi_i32(TCG_COND_LT, g_n, 0, l);       /* unknown: kept */
    tcg_gen_exit_tb(NULL, 0);
    optimize_and_check(" mov_i32 acc,$0x50 sync: 0 dead: 0 1\n"
                       " mov_i32 n,$0x1 sync: 0 dead: 0 1\n"
                       " br $L0\n"
                       " set_label $L0\n"
                       " brcond_i32 n,$0x0,lt,$L0 dead: 0 1\n"
                       " exit_tb $0x0\n");
}

/* The 64-bit operations long-mode x86 needs fold to constants too. */
static void test_fold_constants_64(void)
{
    TCGv_i64 t, hi;

    tcg_func_start(tcg_ctx);
    t = tcg_temp_new_i64();
    hi = tcg_temp_new_i64();
    tcg_gen_movi_i64(t, 0x8000000000000001ULL);
    tcg_gen_rotli_i64(t, t, 1);                  /* 3 */
    tcg_gen_not_i64(t, t);                       /* ~3 */
    tcg_gen_ext32u_i64(t, t);                    /* 0xfffffffc */
    tcg_gen_mulu2_i64(t, hi, t, tcg_constant_i64(1ULL << 36));
    tcg_gen_extrl_i64_i32(g_acc, hi);            /* 0xf */
    tcg_gen_clz_i64(t, t, tcg_constant_i64(64)); /* t = 0xc << 60: 0 */
    tcg_gen_extrl_i64_i32(g_n, t);
    tcg_gen_exit_tb(NULL, 0);
    optimize_and_check(" mov_i32 acc,$0xf sync: 0 dead: 0 1\n"
                       " mov_i32 n,$0x0 sync: 0 dead: 0 1\n"
                       " exit_tb $0x0\n");
}

static void test_copy_propagation_and_dead_code(void)
{
    TCGv_i32 t, u;

    tcg_func_start(tcg_ctx);
    t = tcg_temp_new_i32();
    u = tcg_temp_new_i32();
    tcg_gen_mov_i32(t, g_n);
    tcg_gen_addi_i32(g_acc, t, 1);       /* reads n directly */
    tcg_gen_xor_i32(u, t, t);            /* 0, and never read: removed */
    tcg_gen_mul_i32(u, g_acc, g_acc);    /* never read: removed */
    tcg_gen_movi_i32(g_pc, 0);           /* overwritten before the exit */
    tcg_gen_movi_i32(g_pc, 4);
    tcg_gen_exit_tb(NULL, 0);
    optimize_and_check(" add_i32 acc,n,$0x1 sync: 0 dead: 0 1 2\n"
                       " mov_i32 pc,$0x4 sync: 0 dead: 0 1\n"
                       " exit_tb $0x0\n");
}

static void test_liveness_side_effects(void)
{
    TCGv_i32 t;

    tcg_func_start(tcg_ctx);
    t = tcg_temp_new_i32();
    tcg_gen_addi_i32(g_acc, g_acc, 1);
    /* a guest load may fault: acc must be in env before it, and it
     * stays live in its register afterwards */
    tcg_gen_qemu_ld_i32(t, g_n, 0, MO_UL);
    tcg_gen_add_i32(g_acc, g_acc, t);
    tcg_temp_free_i32(t);
    tcg_gen_exit_tb(NULL, 0);
    optimize_and_check(" add_i32 acc,acc,$0x1 sync: 0 dead: 1 2\n"
                       " qemu_ld_i32 tmp0,n,leul,0 dead: 1\n"
                       " add_i32 acc,acc,tmp0 sync: 0 dead: 0 1 2\n"
                       " exit_tb $0x0\n");
}

/* ---- TLB ---- */

/* RAM below it: two pages that share a TLB entry (TLB_SIZE pages apart)
 * are both RAM. */
#define MMIO_BASE 0x400000

static CPUTLBEntry *tlb_entry(CPUState *cpu, uint64_t vaddr)
{
    return &cpu_tlb(cpu)->table[0][(vaddr >> TARGET_PAGE_BITS) &
                                   (TLB_SIZE - 1)];
}

static void test_tlb_victim_and_flush(void)
{
    CPUState *cpu = test_cpu;
    uint64_t a = 0x1400, b = a + TLB_SIZE * TARGET_PAGE_SIZE;
    int fills;

    tlb_flush(cpu);
    cpu_stl_mmuidx_ra(cpu, a, 0xcafe, 0, 0);
    cpu_stl_mmuidx_ra(cpu, b, 0xbeef, 0, 0);
    g_assert_cmphex(tlb_entry(cpu, a)->addr_read, ==, b);
    g_assert_cmphex(tlb_entry(cpu, b)->addend, ==,
                    (uintptr_t)memory_region_get_ram_ptr(&ram));
    fills = tlb_fills;
    /* a was moved to the victim cache: no fill to get it back */
    g_assert_cmphex(cpu_ldl_mmuidx_ra(cpu, a, 0, 0), ==, 0xcafe);
    g_assert_cmpint(tlb_fills, ==, fills);
    g_assert_cmphex(tlb_entry(cpu, a)->addr_read, ==, a);
    /* flushing the page drops it from both */
    tlb_flush_page(cpu, a);
    tlb_flush_page(cpu, b);
    g_assert_cmphex(cpu_ldl_mmuidx_ra(cpu, a, 0, 0), ==, 0xcafe);
    g_assert_cmphex(cpu_ldl_mmuidx_ra(cpu, b, 0, 0), ==, 0xbeef);
    g_assert_cmpint(tlb_fills, ==, fills + 2);
    tlb_flush(cpu);
    g_assert_cmphex(tlb_entry(cpu, a)->addr_read, ==, UINT64_MAX);
    /* unaligned, across two pages */
    cpu_stl_mmuidx_ra(cpu, 0x17fe, 0x44332211, 0, 0);
    g_assert_cmphex(cpu_lduw_mmuidx_ra(cpu, 0x17fe, 0, 0), ==, 0x2211);
    g_assert_cmphex(cpu_lduw_mmuidx_ra(cpu, 0x1800, 0, 0), ==, 0x4433);
    g_assert_cmphex(cpu_ldl_mmuidx_ra(cpu, 0x17fe, 0, 0), ==, 0x44332211);
}

static void test_tlb_mmio(void)
{
    CPUState *cpu = test_cpu;
    unsigned reads = mmio_reads;

    g_assert_cmphex(cpu_ldl_mmuidx_ra(cpu, MMIO_BASE, 0, 0), ==, 0x11223344);
    g_assert_cmpint(mmio_reads, ==, reads + 1);
    g_assert_cmphex(tlb_entry(cpu, MMIO_BASE)->addr_read & TLB_MMIO, ==,
                    TLB_MMIO);
}

/* ---- whole blocks through the back end and the loop ---- */

static int run(uint32_t pc)
{
    FakeEnv *env = fake_env(test_cpu);

    env->pc = pc;
    test_cpu->halted = false;
    return cpu_exec(test_cpu);
}

static void test_exec_sum(void)
{
    FakeEnv *env = fake_env(test_cpu);
    TranslationBlock *tb;

    env->n = 100;
    env->helper_calls = 0;
    g_assert_cmpint(run(PC_SUM), ==, EXCP_HLT);
    g_assert_cmpuint(env->acc, ==, 2 * 5050);
    g_assert_cmpuint(env->n, ==, 0);
    g_assert_cmpuint(env->helper_calls, ==, 1);
    g_assert_cmpuint(env->pc, ==, PC_HALT);
    g_assert_cmphex(cpu_ldl_mmuidx_ra(test_cpu, 0x2000, 0, 0), ==, 5050);
    g_assert_true(test_cpu->halted);

    /* the block is in the hash table and the jump cache; run it again
     * (chained to the halt block this time) */
    tb = tb_lookup_hash(PC_SUM, PC_SUM, 0, 0, 0);
    g_assert_nonnull(tb);
    g_assert_true(tcg_vcpu(test_cpu)->jmp_cache[tb_jmp_cache_hash(PC_SUM)]
                  == tb);
    env->n = 10;
    g_assert_cmpint(run(PC_SUM), ==, EXCP_HLT);
    g_assert_cmpuint(env->acc, ==, 110);
    g_assert_cmpuint(env->helper_calls, ==, 2);
    g_assert_true(tb_lookup_hash(PC_SUM, PC_SUM, 0, 0, 0) == tb);
}

static void test_exec_fault_restores_pc(void)
{
    FakeEnv *env = fake_env(test_cpu);

    env->acc = 0;
    env->last_excp = 0;
    g_assert_cmpint(run(PC_FAULT), ==, EXCP_HLT);
    g_assert_cmpint(env->last_excp, ==, EXCP_FAKE_ABORT);
    g_assert_cmphex(env->fault_pc, ==, PC_FAULT + 4);
    /* the write before the faulting insn reached env */
    g_assert_cmpuint(env->acc, ==, 7);
}

static void test_exec_exit_request(void)
{
    test_cpu->exit_request = 1;
    g_assert_cmpint(run(PC_SUM), ==, EXCP_INTERRUPT);
    g_assert_cmpint(test_cpu->exit_request, ==, 0);
}

/*
 * A chained jump to a higher pc enters its block after the exit-request
 * check (a loop of blocks always has a jump back, which checks): PC_SUM,
 * chained to PC_HALT by test_exec_sum, asks to leave in its helper and
 * still reaches the halt; the request waits for the next block entered
 * from the loop.
 */
static void test_exec_forward_chain_skips_check(void)
{
    FakeEnv *env = fake_env(test_cpu);

    env->n = 1;
    env->helper_calls = 0;
    env->exit_in_count = true;
    g_assert_cmpint(run(PC_SUM), ==, EXCP_HLT);
    env->exit_in_count = false;
    g_assert_cmpuint(env->helper_calls, ==, 1);
    g_assert_cmpint(test_cpu->exit_request, ==, 1);
    g_assert_cmpint(run(PC_SUM), ==, EXCP_INTERRUPT);
    g_assert_cmpuint(env->helper_calls, ==, 1);
}

static void test_smc_invalidates(void)
{
    TranslationBlock *tb = tb_lookup_hash(PC_SUM, PC_SUM, 0, 0, 0);

    g_assert_nonnull(tb);
    g_assert_true(tb_page_has_code(PC_SUM));
    /* a store to data near the code leaves it alone ... */
    cpu_stl_mmuidx_ra(test_cpu, PC_SUM + 0x40, 1, 0, 0);
    g_assert_true(tb_lookup_hash(PC_SUM, PC_SUM, 0, 0, 0) == tb);
    /* ... a store into it throws it away */
    cpu_stl_mmuidx_ra(test_cpu, PC_SUM + 4, 0, 0, 0);
    g_assert_null(tb_lookup_hash(PC_SUM, PC_SUM, 0, 0, 0));
    g_assert_true(tb_is_invalid(tb));
    /* and the next run translates it again */
    fake_env(test_cpu)->n = 3;
    g_assert_cmpint(run(PC_SUM), ==, EXCP_HLT);
    g_assert_cmpuint(fake_env(test_cpu)->acc, ==, 12);
    g_assert_nonnull(tb_lookup_hash(PC_SUM, PC_SUM, 0, 0, 0));
}

/* A device's DMA into code (address_space_write) drops the block too. */
static void test_dma_into_code_invalidates(void)
{
    uint32_t zero = 0;
    TranslationBlock *tb;

    fake_env(test_cpu)->n = 3;
    g_assert_cmpint(run(PC_SUM), ==, EXCP_HLT);
    tb = tb_lookup_hash(PC_SUM, PC_SUM, 0, 0, 0);
    g_assert_nonnull(tb);
    address_space_write(&address_space_memory, PC_SUM + 0x40, &zero, 4);
    g_assert_true(tb_lookup_hash(PC_SUM, PC_SUM, 0, 0, 0) == tb);
    address_space_write(&address_space_memory, PC_SUM + 4, &zero, 4);
    g_assert_null(tb_lookup_hash(PC_SUM, PC_SUM, 0, 0, 0));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    memory_system_init(false);
    memory_region_init_ram(&ram, NULL, "ram", MMIO_BASE, &error_fatal);
    memory_region_add_subregion(get_system_memory(), 0, &ram);
    memory_region_init_io(&mmio, NULL, &mmio_ops, NULL, "mmio", 0x1000);
    memory_region_add_subregion(get_system_memory(), MMIO_BASE, &mmio);
    if (!tcg_code_cache_init(16 << 20, &error_fatal)) {
        return 1;
    }
    tcg_context_init();
    tcg_memory_listener_init();
    tcg_exec_init_target(&fake_tcg_ops);
    test_cpu = cpu_create(TYPE_FAKE_CPU, &error_fatal);
    test_cpu->exception_index = -1;
    current_cpu = test_cpu;
    tcg_vcpu(test_cpu);

    g_test_add_func("/tcg/optimize/fold-constants", test_fold_constants);
    g_test_add_func("/tcg/optimize/fold-constants-64",
                    test_fold_constants_64);
    g_test_add_func("/tcg/optimize/copy-propagation-and-dead-code",
                    test_copy_propagation_and_dead_code);
    g_test_add_func("/tcg/liveness/side-effects",
                    test_liveness_side_effects);
    g_test_add_func("/tcg/tlb/victim-and-flush", test_tlb_victim_and_flush);
    g_test_add_func("/tcg/tlb/mmio", test_tlb_mmio);
    g_test_add_func("/tcg/exec/sum", test_exec_sum);
    g_test_add_func("/tcg/exec/fault-restores-pc",
                    test_exec_fault_restores_pc);
    g_test_add_func("/tcg/exec/exit-request", test_exec_exit_request);
    g_test_add_func("/tcg/exec/forward-chain-skips-check",
                    test_exec_forward_chain_skips_check);
    g_test_add_func("/tcg/exec/self-modifying-code", test_smc_invalidates);
    g_test_add_func("/tcg/exec/dma-into-code", test_dma_into_code_invalidates);
    return g_test_run();
}
