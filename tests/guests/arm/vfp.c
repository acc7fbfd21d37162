/*
 * VFPv4 on cortex-a15: access control (CPACR, FPEXC.EN, user mode), the
 * system registers, loads, stores and transfers with D16-D31, a few
 * exact results of each kind of instruction, and the FPSCR modes and
 * flags.  The many-operand accuracy sweep is vfp-random.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include "guest.h"
#include "print.h"

const char test_name[] = "vfp";
void check_eq(uint32_t got, uint32_t want, uint32_t line);
int report(void);
extern uint32_t vector_table[8];
extern uint32_t fault_info[8];
void undef_skip_handler(void);
void dabt_skip_handler(void);
uint32_t user_call(uint32_t (*fn)(void));

#define CHECK(got, want) check_eq((got), (want), __LINE__)
#define UNDEFS (fault_info[6])

static void set_cpacr(uint32_t v)
{
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 2\n\tisb" : : "r"(v));
}

static uint32_t get_cpacr(void)
{
    uint32_t v;

    __asm__ volatile("mrc p15, 0, %0, c1, c0, 2" : "=r"(v));
    return v;
}

static void set_fpexc(uint32_t v)
{
    __asm__ volatile("vmsr fpexc, %0" : : "r"(v));
}

static uint32_t get_fpexc(void)
{
    uint32_t v = 0xdead;

    __asm__ volatile("vmrs %0, fpexc" : "+r"(v));
    return v;
}

static void set_fpscr(uint32_t v)
{
    __asm__ volatile("vmsr fpscr, %0" : : "r"(v));
}

static uint32_t get_fpscr(void)
{
    uint32_t v = 0xdead;

    __asm__ volatile("vmrs %0, fpscr" : "+r"(v));
    return v;
}

/* 1.5 + 2.25 in single precision; 0xdead when undefined (five
 * undefined instructions when VFP is off, one when only data processing
 * is) */
static uint32_t vadd_test(void)
{
    uint32_t r = 0xdead;

    __asm__ volatile("vmov s2, %0\n\tvmov s0, %1\n\tvmov s1, %2\n\t"
                     "vadd.f32 s2, s0, s1\n\tvmov %0, s2"
                     : "+r"(r) : "r"(0x3fc00000), "r"(0x40100000)
                     : "s0", "s1", "s2");
    return r;
}

static uint32_t fpexc_test(void)
{
    return get_fpexc();
}

static uint32_t fpscr_test(void)
{
    return get_fpscr();
}

static void access_control(void)
{
    uint32_t u;

    vector_table[1] = (uint32_t)undef_skip_handler;
    CHECK(get_cpacr(), 0);
    CHECK(get_fpexc(), 0xdead);             /* CPACR denies everything */
    CHECK(UNDEFS, 1);

    set_cpacr(0x00f00000);
    CHECK(get_cpacr(), 0x00f00000);
    /* FPEXC.EN clear: the ID registers and FPEXC only */
    CHECK(get_fpexc(), 0);
    u = 0;
    __asm__ volatile("vmrs %0, fpsid" : "=r"(u));
    CHECK(u, 0x410430f0);
    __asm__ volatile("vmrs %0, mvfr0" : "=r"(u));
    CHECK(u, 0x10110222);
    __asm__ volatile("vmrs %0, mvfr1" : "=r"(u));
    CHECK(u, 0x11111111);
    CHECK(get_fpscr(), 0xdead);
    CHECK(vadd_test(), 0xdead);
    CHECK(UNDEFS, 7);

    set_fpexc(0xffffffff);
    CHECK(get_fpexc(), 0x40000000);         /* only EN sticks */
    CHECK(vadd_test(), 0x40700000);
    set_fpscr(0xffffffff);
    CHECK(get_fpscr(), 0xfff7009f);         /* no trap enables */
    /* Len/Stride set: short vectors, which these cores lack */
    CHECK(vadd_test(), 0xdead);
    CHECK(UNDEFS, 8);
    set_fpscr(0);

    /* user mode: CPACR.cp10 = 01 is PL1 only */
    set_cpacr(0x00500000);
    CHECK(user_call(vadd_test), 0xdead);
    CHECK(user_call(fpscr_test), 0xdead);
    CHECK(UNDEFS, 14);
    set_cpacr(0x00f00000);
    CHECK(user_call(vadd_test), 0x40700000);
    CHECK(user_call(fpscr_test), 0);
    CHECK(user_call(fpexc_test), 0xdead);   /* FPEXC is PL1's */
    CHECK(UNDEFS, 15);
    /* disabled again: undefined, for a kernel's lazy switching */
    set_fpexc(0);
    CHECK(vadd_test(), 0xdead);
    CHECK(UNDEFS, 20);
    set_fpexc(1u << 30);
}

static void transfers(void)
{
    static uint32_t mem[16] __attribute__((aligned(8)));
    static uint32_t out[16] __attribute__((aligned(8)));
    uint32_t lo = 0, hi = 0, a = 0, b = 0;

    for (int i = 0; i < 16; i++) {
        mem[i] = 0x01010101u * (i + 1);
    }
    /* VLDM into the top half, VPUSH/VPOP through the stack, VSTM out */
    __asm__ volatile("vldmia %0, {d16-d23}\n\t"
                     "vpush {d16-d23}\n\t"
                     "vpop {d0-d7}\n\t"
                     "vstmia %1, {d0-d7}"
                     : : "r"(mem), "r"(out) : "memory", "d0", "d1", "d2",
                       "d3", "d4", "d5", "d6", "d7", "d16", "d17", "d18",
                       "d19", "d20", "d21", "d22", "d23");
    for (int i = 0; i < 16; i++) {
        CHECK(out[i], mem[i]);
    }
    /* single lists, write-back and decrement-before */
    uint32_t *p = out + 16;
    __asm__ volatile("vldr s15, [%1, #-4]\n\t"
                     "vstmdb %0!, {s13-s15}"
                     : "+r"(p) : "r"(mem + 8) : "memory", "s13", "s14",
                       "s15");
    CHECK((uint32_t)(p - out), 13);
    CHECK(out[15], mem[7]);
    /* VMOV core <-> D31, two singles, a scalar (d8-d15 are left
     * alone: the caller's under the calling convention) */
    __asm__ volatile("vmov d31, %2, %3\n\t"
                     "vmov.32 d17[1], %3\n\t"
                     "vmov.32 %0, d31[1]\n\t"
                     "vmov s14, s15, %2, %3\n\t"
                     "vmov %1, s15\n\t"
                     : "=r"(a), "=r"(b) : "r"(0x11111111), "r"(0x22222222)
                     : "d31", "d17", "s14", "s15");
    CHECK(a, 0x22222222);
    CHECK(b, 0x22222222);
    __asm__ volatile("vmov %0, %1, d31" : "=r"(lo), "=r"(hi));
    CHECK(lo, 0x11111111);
    CHECK(hi, 0x22222222);
    /* VMOV immediate */
    __asm__ volatile("vmov.f32 s0, #-1.5\n\tvmov %0, s0" : "=r"(a) : : "s0");
    CHECK(a, 0xbfc00000);
    __asm__ volatile("vmov.f64 d16, #0.125\n\tvmov %0, %1, d16"
                     : "=r"(lo), "=r"(hi) : : "d16");
    CHECK(lo, 0);
    CHECK(hi, 0x3fc00000);
    /* an unaligned VLDR is an alignment fault whatever SCTLR.A says */
    vector_table[4] = (uint32_t)dabt_skip_handler;
    __asm__ volatile("vldr s0, [%0]" : : "r"((uint32_t)mem + 2) : "s0");
    CHECK(fault_info[3], 1);
    CHECK(fault_info[1] & 0x40f, 1);        /* DFSR: alignment */
}

static void arithmetic(void)
{
    uint32_t lo, hi, r, apsr;

    __asm__ volatile("vmov.f64 d20, #1.0\n\tvmov.f64 d21, #3.0\n\t"
                     "vdiv.f64 d22, d20, d21\n\tvmov %0, %1, d22"
                     : "=r"(lo), "=r"(hi) : : "d20", "d21", "d22");
    CHECK(lo, 0x55555555);
    CHECK(hi, 0x3fd55555);
    CHECK(get_fpscr(), 0x10);               /* inexact */
    /* VCMP and VMRS APSR_nzcv: 1 < 3 sets N */
    __asm__ volatile("vcmp.f64 d20, d21\n\tvmrs APSR_nzcv, fpscr\n\t"
                     "mrs %0, apsr" : "=r"(apsr));
    CHECK(apsr & 0xf0000000, 0x80000000);
    set_fpscr(0);
    /* 1 / 0: division by zero, +inf */
    __asm__ volatile("vmov.f32 s0, #1.0\n\tvsub.f32 s1, s0, s0\n\t"
                     "vdiv.f32 s2, s0, s1\n\tvmov %0, s2"
                     : "=r"(r) : : "s0", "s1", "s2");
    CHECK(r, 0x7f800000);
    CHECK(get_fpscr(), 0x02);
    /* flush-to-zero: a denormal operand counts as zero (IDC) */
    set_fpscr(1u << 24);
    __asm__ volatile("vmov s0, %1\n\tvadd.f32 s1, s0, s0\n\tvmov %0, s1"
                     : "=r"(r) : "r"(0x00000001) : "s0", "s1");
    CHECK(r, 0);
    CHECK(get_fpscr(), (1u << 24) | 0x80);
    /* default NaN: 0 * inf */
    set_fpscr(0);
    __asm__ volatile("vmov s0, %1\n\tvmov s1, %2\n\tvmul.f32 s2, s0, s1\n\t"
                     "vmov %0, s2"
                     : "=r"(r) : "r"(0), "r"(0x7f800000) : "s0", "s1", "s2");
    CHECK(r, 0x7fc00000);
    CHECK(get_fpscr(), 0x01);
    /* round toward minus infinity for VCVTR, toward zero for VCVT */
    set_fpscr(2u << 22);
    __asm__ volatile("vmov s0, %2\n\tvcvtr.s32.f32 s1, s0\n\t"
                     "vcvt.s32.f32 s2, s0\n\tvmov %0, s1\n\tvmov %1, s2"
                     : "=r"(r), "=r"(lo) : "r"(0xbfc00000)
                     : "s0", "s1", "s2");
    CHECK(r, (uint32_t)-2);
    CHECK(lo, (uint32_t)-1);
    set_fpscr(0);
}

int main(void)
{
    access_control();
    transfers();
    arithmetic();
    return report();
}
