/*
 * An ELF image for -kernel on -M virt, linked at 0x40100000 (1 MiB into
 * RAM, leaving room for the device tree at its start): it prints where
 * it was entered, a word of its .data, one of its .bss, the device
 * tree's magic, a boot count kept outside the image and ID_PFR1 (which
 * extensions the CPU has), then resets the
 * machine through PSCI once and powers it off the second time.  The
 * output shows that the segments were loaded (and .bss zeroed again at
 * the reset) and the entry taken from the ELF header.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>

#include "virt-uart.h"

#define DTB_MAGIC (*(volatile uint32_t *)0x40000000)
/* Past the image and its stack, untouched by the loader. */
#define BOOTS (*(volatile uint32_t *)0x40200000)
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u

static uint32_t data_word = 0x12345678;
static uint32_t bss_word;
static uint8_t stack[4096] __attribute__((aligned(8), used));

void entry(void);
void start_c(uint32_t pc);

/* The entry point: a stack, then C with the address it ran at. */
__attribute__((naked, used)) void entry(void)
{
    __asm__ volatile("adr r0, entry\n"
                     "ldr sp, =stack + 4096\n"
                     "bl start_c\n");
}


static void psci(uint32_t fn)
{
    register uint32_t r0 __asm__("r0") = fn;

    __asm__ volatile(".arch_extension virt\n hvc #0" : "+r"(r0) :: "memory");
}

/* ID_PFR1: the Security and Virtualization Extensions are not on the
 * board's CPUs (QEMU's virt turns them off with secure=off and
 * virtualization=off), the generic timer is */
static uint32_t id_pfr1(void)
{
    uint32_t v;

    __asm__ volatile("mrc p15, 0, %0, c0, c1, 1" : "=r"(v));
    return v;
}

void start_c(uint32_t pc)
{
    uint32_t magic = DTB_MAGIC;

    BOOTS++;
    print("virt-elf: entry ");
    print_hex(pc);
    print(" data ");
    print_hex(data_word);
    print(" bss ");
    print_hex(bss_word);
    print(" dtb ");
    print_hex(__builtin_bswap32(magic));
    print(" boot ");
    print_hex(BOOTS);
    print(" id_pfr1 ");
    print_hex(id_pfr1());
    print("\n");
    bss_word = 0xdeadbeef;
    data_word = 0;
    psci(BOOTS == 1 ? PSCI_SYSTEM_RESET : PSCI_SYSTEM_OFF);
    for (;;) {
    }
}
