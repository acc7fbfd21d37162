/*
 * Fuzz target: guest ARM code, as on -M none: the bytes are loaded into
 * RAM, translated by tcg and run, with and without the MMU, on one of
 * the ARM CPU models.  Finds crashes and hangs of the translator (front
 * end, optimiser, x86-64 back end), of the softmmu and page-table walk,
 * and of the helpers and exception entry, for any instruction stream.
 *
 * The machine: 1 MiB of RAM at 0, the code at 0x8000; with the MMU on,
 * the first-level table at 0x4000 maps the first MiB flat and takes the
 * descriptors of the next 15 MiB from the input.
 *
 * Input: a header of 4 bytes, then (MMU on) 60 bytes of descriptors,
 * then the code (at most 4 KiB):
 *   byte 0  the CPU model (index into models[])
 *   byte 1  bit 0: MMU on; bit 1: Thumb; bit 2: user mode;
 *           bit 3: run free (whole blocks, chained, stopped after
 *           RUN_FREE_US of host time) instead of single-stepping
 *   byte 2  bits 0-1: the access permissions of the flat section;
 *           bits 2-3: domain 0's type in DACR
 *   byte 3  single-stepping: (byte 3 + 1) * 4 instructions run
 *
 * Single-stepping runs exactly that many instructions, one per block;
 * running free translates and chains whole blocks (see fuzz-machine.h
 * for how both are bounded: code that cannot be fetched takes prefetch
 * aborts forever without completing an instruction, on the hardware as
 * here).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/bswap.h"
#include "accel/tcg/internal.h"
#include "target/arm/internals.h"
#include "fuzz.h"
#include "fuzz-machine.h"

#define RAM_SIZE (1024 * 1024)
#define L1_TABLE 0x4000
#define CODE_BASE 0x8000
#define CODE_MAX 4096
#define HEADER_BYTES 4
#define FUZZED_SECTIONS 15
#define RUN_FREE_US 2000
#define SINGLE_STEP_US 50000

enum {
    FLAG_MMU = 1 << 0,
    FLAG_THUMB = 1 << 1,
    FLAG_USER = 1 << 2,
    FLAG_RUN_FREE = 1 << 3,
};

static const char *const models[] = {
    "arm926", "arm1136", "pxa255", "cortex-a8", "cortex-a9", "cortex-a7",
    "cortex-a15",
};
static CPUState *cpus_by_model[G_N_ELEMENTS(models)];
static MemoryRegion *ram;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    ram = fuzz_machine_init(RAM_SIZE);
    for (size_t i = 0; i < G_N_ELEMENTS(models); i++) {
        cpus_by_model[i] = fuzz_cpu_new(models[i]);
    }
    return 0;
}

/* Flat first MiB, fuzzed descriptors for the next 15, faults above. */
static void setup_mmu(CPUARMState *env, uint8_t perms, const uint8_t *l1)
{
    /* RAM is zero: the entries above the fuzzed ones fault already. */
    fuzz_store(L1_TABLE, 4, (perms & 3) << 10 | 0x2);
    for (int i = 1; i <= FUZZED_SECTIONS; i++) {
        fuzz_store(L1_TABLE + i * 4, 4, ldn_le_p(l1 + (i - 1) * 4, 4));
    }
    env->cp15.ttbr0 = L1_TABLE;
    env->cp15.dacr = (perms >> 2) & 3;
    env->cp15.sctlr |= SCTLR_M;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    CPUState *cpu;
    CPUARMState *env;
    uint8_t flags;
    unsigned steps;
    size_t code_len;

    if (size < HEADER_BYTES) {
        return 0;
    }
    cpu = cpus_by_model[data[0] % G_N_ELEMENTS(models)];
    env = &ARM_CPU(cpu)->env;
    flags = data[1];
    steps = (data[3] + 1) * 4;
    cpu_reset(cpu);
    memset(memory_region_get_ram_ptr(ram), 0, RAM_SIZE);
    tb_flush_all();
    if (flags & FLAG_MMU) {
        if (size < HEADER_BYTES + FUZZED_SECTIONS * 4) {
            return 0;
        }
        setup_mmu(env, data[2], data + HEADER_BYTES);
        data += FUZZED_SECTIONS * 4;
        size -= FUZZED_SECTIONS * 4;
    }
    code_len = MIN(size - HEADER_BYTES, CODE_MAX);
    address_space_write(&address_space_memory, CODE_BASE,
                        data + HEADER_BYTES, code_len);
    cpsr_write(env, (flags & FLAG_USER ? ARM_CPU_MODE_USR : ARM_CPU_MODE_SVC) |
               (flags & FLAG_THUMB ? CPSR_T : 0) | CPSR_I | CPSR_F | CPSR_A,
               0xffffffff);
    env->regs[15] = CODE_BASE;
    tlb_flush(cpu);
    cpu->halted = false;
    cpu->exception_index = -1;
    current_cpu = cpu;
    if (flags & FLAG_RUN_FREE) {
        fuzz_run_free(cpu, RUN_FREE_US);
    } else {
        fuzz_single_step(cpu, steps, SINGLE_STEP_US);
    }
    current_cpu = NULL;
    return 0;
}
