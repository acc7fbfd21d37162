/*
 * The v7.1 debug architecture of cortex-a15 (monitor debug-mode): the
 * cp14 identification and status registers, the OS lock, and the debug
 * exceptions of a breakpoint (prefetch abort before the instruction) and
 * of a watchpoint (data abort before the access), with the fault codes,
 * DFAR and DBGDSCR.MOE a handler reads, as Linux's hw_breakpoint driver
 * uses them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include "guest.h"
#include "mmu-support.h"

void check_eq(uint32_t got, uint32_t want, uint32_t line);
int report(void);
const char test_name[] = "debug";
#define CHECK(got, want) check_eq((got), (want), __LINE__)

extern uint32_t vector_table[8];

#define CP14_READ(crn, crm, op2) ({ uint32_t v_; \
    __asm__ volatile("mrc p14, 0, %0, c" #crn ", c" #crm ", " #op2 \
                     : "=r"(v_)); v_; })
#define CP14_WRITE(crn, crm, op2, v) \
    __asm__ volatile("mcr p14, 0, %0, c" #crn ", c" #crm ", " #op2 \
                     "\n isb" :: "r"(v) : "memory")

#define DSCR_MDBGEN (1u << 15)
#define MOE(dscr) (((dscr) >> 2) & 0xf)
#define OSLAR_KEY 0xc5acce55u

/* DBGBCR/DBGWCR: enabled, at PL1 and PL0 (PMC/PAC 0b11); BAS. */
#define CR_ANY_MODE (1u | 3u << 1)
#define CR_USER_ONLY (1u | 2u << 1)
#define BCR_ARM_INSN (0xfu << 5)
#define WCR_LOAD (1u << 3)
#define WCR_STORE (2u << 3)
#define WCR_WORD (0xfu << 5)

#define FSR_DEBUG 0x2
#define FSR_WNR (1u << 11)

static volatile uint32_t calls;
static volatile uint32_t watched[4] __attribute__((aligned(8)));

/* Single stores, so that the abort handler skips exactly them. */
static void store_word(uint32_t addr, uint32_t value)
{
    __asm__ volatile("str %0, [%1]" :: "r"(value), "r"(addr) : "memory");
}

static void store_byte(uint32_t addr, uint32_t value)
{
    __asm__ volatile("strb %0, [%1]" :: "r"(value), "r"(addr) : "memory");
}

__attribute__((noinline)) static void breakpoint_target(void)
{
    calls++;
}

static void identification(void)
{
    CHECK(CP14_READ(0, 0, 0), 0x3515f021);      /* DBGDIDR: v7.1 */
    CHECK(CP14_READ(1, 0, 0), 0);               /* DBGDRAR: no ROM table */
    CHECK(CP14_READ(0, 2, 2), 0);               /* DBGDSCRext at reset */
    CHECK(CP14_READ(1, 1, 4), 0xa);             /* DBGOSLSR: locked */
    CHECK(CP14_READ(1, 5, 4) & 1, 1);           /* DBGPRSR: powered up */
    CHECK(fault_info[6], 0);                    /* all of them exist */
    CP14_WRITE(1, 0, 4, OSLAR_KEY - 1);         /* any other value unlocks */
    CHECK(CP14_READ(1, 1, 4), 0x8);
    CP14_WRITE(1, 0, 4, OSLAR_KEY);
    CHECK(CP14_READ(1, 1, 4), 0xa);
    CP14_WRITE(1, 0, 4, 0);
    /* The pairs hold what is written. */
    CP14_WRITE(0, 5, 4, 0x1234);                /* DBGBVR5 */
    CHECK(CP14_READ(0, 5, 4), 0x1234);
    CP14_WRITE(0, 5, 4, 0);
    CP14_WRITE(0, 3, 7, WCR_WORD);              /* DBGWCR3 */
    CHECK(CP14_READ(0, 3, 7), WCR_WORD);
    CP14_WRITE(0, 3, 7, 0);
}

static void breakpoints(void)
{
    uint32_t target = (uint32_t)breakpoint_target;

    CP14_WRITE(0, 0, 4, target);                /* DBGBVR0 */
    CP14_WRITE(0, 0, 5, CR_ANY_MODE | BCR_ARM_INSN);
    /* Monitor debug-mode off: nothing happens. */
    breakpoint_target();
    CHECK(calls, 1);
    CHECK(fault_info[5], 0);

    CP14_WRITE(0, 2, 2, DSCR_MDBGEN);
    CHECK(CP14_READ(0, 1, 0) & DSCR_MDBGEN, DSCR_MDBGEN);   /* DBGDSCRint */
    call_expect_pabt(target);
    CHECK(fault_info[5], 1);                    /* before the instruction */
    CHECK(calls, 1);
    CHECK(fault_info[0], target + 4);           /* LR_abt */
    CHECK(CP15_READ(0, 5, 0, 1), FSR_DEBUG);    /* IFSR */
    CHECK(MOE(CP14_READ(0, 1, 0)), 0x1);        /* breakpoint */

    /* A breakpoint for user mode only lets the kernel run there. */
    CP14_WRITE(0, 0, 5, CR_USER_ONLY | BCR_ARM_INSN);
    breakpoint_target();
    CHECK(calls, 2);
    /* Disabled. */
    CP14_WRITE(0, 0, 5, 0);
    breakpoint_target();
    CHECK(calls, 3);
    CHECK(fault_info[5], 1);
}

static void watchpoints(void)
{
    uint32_t addr = (uint32_t)&watched[1];
    uint32_t value;

    CP14_WRITE(0, 0, 6, addr);                  /* DBGWVR0 */
    CP14_WRITE(0, 0, 7, CR_ANY_MODE | WCR_STORE | WCR_WORD);
    store_word(addr, 0x11);
    /* The store aborts before it happens (the handler skips it). */
    CHECK(fault_info[3], 1);
    CHECK(watched[1], 0);
    CHECK(CP15_READ(0, 5, 0, 0), FSR_DEBUG | FSR_WNR);     /* DFSR */
    CHECK(CP15_READ(0, 6, 0, 0), addr);         /* DFAR */
    CHECK(MOE(CP14_READ(0, 1, 0)), 0xa);        /* synchronous watchpoint */
    /* A byte inside the watched word: DFAR names that byte. */
    store_byte(addr + 2, 0x22);
    CHECK(fault_info[3], 2);
    CHECK(CP15_READ(0, 6, 0, 0), addr + 2);
    /* Loads and the neighbouring words are not watched. */
    value = watched[1];
    watched[0] = 0x33;
    watched[2] = 0x44;
    CHECK(value, 0);
    CHECK(watched[0] + watched[2], 0x77);
    CHECK(fault_info[3], 2);

    /* Loads only: the load aborts, its register keeps what it had. */
    CP14_WRITE(0, 0, 7, CR_ANY_MODE | WCR_LOAD | WCR_WORD);
    watched[1] = 0x55;
    value = 0x66;
    __asm__ volatile("ldr %0, [%1]" : "+r"(value) : "r"(addr) : "memory");
    CHECK(value, 0x66);
    CHECK(fault_info[3], 3);
    CHECK(CP15_READ(0, 5, 0, 0), FSR_DEBUG);

    /* Monitor debug-mode off: the watchpoint is quiet. */
    CP14_WRITE(0, 2, 2, 0);
    CHECK(watched[1], 0x55);
    CHECK(fault_info[3], 3);
    CP14_WRITE(0, 0, 7, 0);
}

int main(void)
{
    vector_table[3] = (uint32_t)pabt_resume_handler;
    vector_table[4] = (uint32_t)dabt_skip_handler;
    vector_table[1] = (uint32_t)undef_skip_handler;
    identification();
    breakpoints();
    watchpoints();
    return report();
}
