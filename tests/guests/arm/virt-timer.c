/*
 * The generic timer under -icount, for -kernel on -M virt: the guest
 * reads the virtual and physical counters (CNTVCT, CNTPCT) around known
 * instructions, polls the virtual timer's ISTATUS until it expires, and
 * takes the timer's interrupt (PPI 27 through the GIC) in a counting
 * loop; it prints the counter values, the polls and the loop count at
 * the interrupt, then powers the machine off through PSCI.  With
 * -icount shift=4 a counter tick (16 ns at 62.5 MHz) is one instruction,
 * so every number is fixed by the instruction stream: QEMU prints the
 * same text.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>

#include "virt-uart.h"

#define GICD_BASE 0x08000000u
#define GICC_BASE 0x08010000u
#define GICD_CTLR (*(volatile uint32_t *)(GICD_BASE + 0x000))
#define GICD_ISENABLER0 (*(volatile uint32_t *)(GICD_BASE + 0x100))
#define GICC_CTLR (*(volatile uint32_t *)(GICC_BASE + 0x000))
#define GICC_PMR (*(volatile uint32_t *)(GICC_BASE + 0x004))
#define GICC_IAR (*(volatile uint32_t *)(GICC_BASE + 0x00c))
#define GICC_EOIR (*(volatile uint32_t *)(GICC_BASE + 0x010))
#define VTIMER_PPI 27
#define PSCI_SYSTEM_OFF 0x84000008u

#define CTL_ENABLE 1u
#define CTL_IMASK 2u
#define CTL_ISTATUS 4u

static uint8_t stack[4096] __attribute__((aligned(8), used));
static uint8_t irq_stack[1024] __attribute__((aligned(8), used));

void entry(void);
void vectors(void);
void start_c(void);
void irq_c(void);

/* The entry point: stacks for SVC and IRQ mode, then C. */
__attribute__((naked, used)) void entry(void)
{
    __asm__ volatile("cps #0x12\n"
                     "ldr sp, =irq_stack + 1024\n"
                     "cps #0x13\n"
                     "ldr sp, =stack + 4096\n"
                     "bl start_c\n");
}

/* VBAR's table: only IRQ is expected. */
__attribute__((naked, used, aligned(32))) void vectors(void)
{
    __asm__ volatile("b .\n b .\n b .\n b .\n b .\n b .\n"
                     "b irq_entry\n"
                     "b .\n"
                     "irq_entry:\n"
                     "sub lr, lr, #4\n"
                     "push {r0-r3, r12, lr}\n"
                     "bl irq_c\n"
                     "pop {r0-r3, r12, lr}\n"
                     "movs pc, lr\n");
}

static uint64_t cntvct(void)
{
    uint32_t lo, hi;

    __asm__ volatile("isb\n mrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
    return (uint64_t)hi << 32 | lo;
}

static uint64_t cntpct(void)
{
    uint32_t lo, hi;

    __asm__ volatile("isb\n mrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi));
    return (uint64_t)hi << 32 | lo;
}

static uint32_t cntv_ctl(void)
{
    uint32_t v;

    __asm__ volatile("mrc p15, 0, %0, c14, c3, 1" : "=r"(v));
    return v;
}

static void set_cntv_ctl(uint32_t v)
{
    __asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n isb" :: "r"(v));
}

static void set_cntv_tval(uint32_t v)
{
    __asm__ volatile("mcr p15, 0, %0, c14, c3, 0\n isb" :: "r"(v));
}

static uint64_t cntv_cval(void)
{
    uint32_t lo, hi;

    __asm__ volatile("mrrc p15, 3, %0, %1, c14" : "=r"(lo), "=r"(hi));
    return (uint64_t)hi << 32 | lo;
}

static void print_u64(const char *name, uint64_t v)
{
    print(name);
    print_hex(v >> 32);
    print_hex(v);
    print("\n");
}

static void psci_off(void)
{
    register uint32_t r0 __asm__("r0") = PSCI_SYSTEM_OFF;

    __asm__ volatile(".arch_extension virt\n hvc #0" : "+r"(r0) :: "memory");
}

static volatile uint32_t loops;
static volatile uint32_t irq_loops;
static volatile uint64_t irq_count;
static volatile uint32_t irq_id;

void irq_c(void)
{
    irq_id = GICC_IAR;
    irq_loops = loops;
    irq_count = cntvct();
    set_cntv_ctl(CTL_ENABLE | CTL_IMASK);
    GICC_EOIR = irq_id;
}

void start_c(void)
{
    uint64_t t0, t1, t2, p0;
    uint32_t polls = 0;

    /* Straight-line code between two reads, then a loop of 1000. */
    t0 = cntvct();
    __asm__ volatile("nop\n nop\n nop\n nop\n nop\n nop\n nop\n nop\n");
    t1 = cntvct();
    for (uint32_t i = 0; i < 1000; i++) {
        __asm__ volatile("" ::: "memory");
    }
    t2 = cntvct();
    p0 = cntpct();
    print_u64("cntvct ", t0);
    print_u64("after 8 nops ", t1 - t0);
    print_u64("after the loop ", t2 - t1);
    print_u64("cntpct - cntvct ", p0 - t2);

    /* The timer polled: expired after TVAL ticks. */
    set_cntv_tval(500);
    set_cntv_ctl(CTL_ENABLE | CTL_IMASK);
    while (!(cntv_ctl() & CTL_ISTATUS)) {
        polls++;
    }
    print_u64("cval - start ", cntv_cval() - t2);
    print_u64("polls ", polls);
    print_u64("late by ", cntvct() - cntv_cval());

    /* The timer's interrupt taken in a counting loop. */
    __asm__ volatile("mcr p15, 0, %0, c12, c0, 0\n isb" ::
                     "r"((uint32_t)vectors));
    GICD_ISENABLER0 = 1u << VTIMER_PPI;
    GICD_CTLR = 1;
    GICC_PMR = 0xff;
    GICC_CTLR = 1;
    set_cntv_tval(3000);
    set_cntv_ctl(CTL_ENABLE);
    __asm__ volatile("cpsie i");
    while (!irq_count) {
        loops++;
    }
    __asm__ volatile("cpsid i");
    print_u64("irq ", irq_id);
    print_u64("loops at the irq ", irq_loops);
    print_u64("irq late by ", irq_count - cntv_cval());
    psci_off();
    for (;;) {
    }
}
