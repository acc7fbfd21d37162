/*
 * LDREX/STREX with contention between two vCPUs (test_virt.py), an ELF
 * image for -kernel on -M virt -smp 2 linked at 0x40100000: CPU 0
 * starts CPU 1 through PSCI CPU_ON, then both add 1 to a shared word
 * (LDREX/STREX) ROUNDS times, then to a shared doubleword
 * (LDREXD/STREXD), retrying a store-exclusive that failed.  CPU 1 says it is done
 * and powers itself off (CPU_OFF); CPU 0 waits for it and prints both
 * totals, which are 2 * ROUNDS only if no increment was lost, then
 * powers the machine off.  emu and QEMU run each vCPU on a host thread
 * of its own, so the increments do race.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>

#include "virt-uart.h"

#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0x84000003u
#define PSCI_SYSTEM_OFF 0x84000008u
#define ROUNDS 1000000

static volatile uint32_t word;
static volatile uint64_t dword __attribute__((aligned(8)));
static volatile uint32_t cpu1_done;
static uint8_t stacks[2][4096] __attribute__((aligned(8), used));

void entry(void);
void secondary_entry(void);
void start_c(void);
void secondary_c(void);

/* CPU 0's entry point and CPU 1's (from CPU_ON): a stack each, then C */
__attribute__((naked, used)) void entry(void)
{
    __asm__ volatile("ldr sp, =stacks + 4096\n"
                     "bl start_c\n");
}

__attribute__((naked, used)) void secondary_entry(void)
{
    __asm__ volatile("ldr sp, =stacks + 8192\n"
                     "bl secondary_c\n");
}

static uint32_t psci(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
{
    register uint32_t r0 __asm__("r0") = fn;
    register uint32_t r1 __asm__("r1") = a1;
    register uint32_t r2 __asm__("r2") = a2;
    register uint32_t r3 __asm__("r3") = a3;

    __asm__ volatile(".arch_extension virt\n hvc #0"
                     : "+r"(r0) : "r"(r1), "r"(r2), "r"(r3) : "memory");
    return r0;
}


static void add_word(void)
{
    uint32_t value, failed;

    do {
        __asm__ volatile("ldrex %0, [%2]\n"
                         "add %0, %0, #1\n"
                         "strex %1, %0, [%2]"
                         : "=&r"(value), "=&r"(failed) : "r"(&word)
                         : "memory");
    } while (failed);
}

static void add_dword(void)
{
    uint64_t value;
    uint32_t failed;

    do {
        __asm__ volatile("ldrexd %0, %H0, [%2]\n"
                         "adds %Q0, %Q0, #1\n"
                         "adc %R0, %R0, #0\n"
                         "strexd %1, %0, %H0, [%2]"
                         : "=&r"(value), "=&r"(failed) : "r"(&dword)
                         : "memory", "cc");
    } while (failed);
}

/* The word first, then the doubleword: each a race of its own (the
 * same loop with a plain STR loses increments on both emulators) */
static void count(void)
{
    for (int i = 0; i < ROUNDS; i++) {
        add_word();
    }
    for (int i = 0; i < ROUNDS; i++) {
        add_dword();
    }
}

void secondary_c(void)
{
    count();
    __asm__ volatile("dmb" ::: "memory");
    cpu1_done = 1;
    psci(PSCI_CPU_OFF, 0, 0, 0);
    for (;;) {
    }
}

void start_c(void)
{
    uint32_t status = psci(PSCI_CPU_ON, 1, (uint32_t)secondary_entry, 0);

    print("virt-smp-exclusive: cpu_on ");
    print_hex(status);
    print("\n");
    count();
    while (!cpu1_done) {
    }
    __asm__ volatile("dmb" ::: "memory");
    print("word ");
    print_hex(word);
    print(" dword ");
    print_hex((uint32_t)(dword >> 32));
    print_hex((uint32_t)dword);
    print("\n");
    psci(PSCI_SYSTEM_OFF, 0, 0, 0);
}
