/*
 * SCTLR.A on ARMv5: with the bit set, every misaligned word or halfword
 * access (LDR, STR, LDRH, STRH, LDM, STM) takes a data abort with the
 * alignment fault status (DFSR 0b0001) and the address in FAR, and
 * leaves memory and registers alone; bytes never fault.  LDRD and STRD
 * need 8-byte alignment before ARMv6 (QEMU 7.2 checks 4: see
 * docs/arm.md).  With the bit clear again, LDR rotates as before.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include "guest.h"
#include "print.h"

void check_eq(uint32_t got, uint32_t want, uint32_t line);
int report(void);
const char test_name[] = "alignment";
#define CHECK(got, want) check_eq((got), (want), __LINE__)

extern volatile uint32_t fault_info[8];
void dabt_skip_handler(void);

static volatile uint32_t buf[8] __attribute__((aligned(8)));

#define SENTINEL 0xfa11u

/* One access each, r0 = SENTINEL when it aborted (the handler skips
 * it); the label marks the access for the return-address check. */
#define ACCESS(name, before, insn, after)                               \
    extern char name##_insn[];                                          \
    uint32_t name(uint32_t addr, uint32_t value);                       \
    __asm__(".text\n.arm\n.global " #name "\n" #name ":\n"              \
            " mov r2, r0\n ldr r0, =0xfa11\n" before "\n"               \
            #name "_insn: " insn "\n" after "\n bx lr\n.ltorg\n")

ACCESS(ldr_at, "", "ldr r0, [r2]", "");
ACCESS(ldrh_at, "", "ldrh r0, [r2]", "");
ACCESS(ldrb_at, "", "ldrb r0, [r2]", "");
ACCESS(str_at, "", "str r1, [r2]", "");
ACCESS(strh_at, "", "strh r1, [r2]", "");
ACCESS(ldm_at, "", "ldmia r2, {r0, r3}", "");
ACCESS(stm_at, "", "stmia r2, {r1, r3}", "");
ACCESS(ldrd_at, "push {r4, r5}\n mov r4, r0", "ldrd r4, [r2]",
       "mov r0, r4\n pop {r4, r5}");
ACCESS(strd_at, "push {r4, r5}\n mov r4, r1\n mov r5, r1", "strd r4, [r2]",
       "pop {r4, r5}");

static void set_alignment_check(int on)
{
    uint32_t sctlr;

    __asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(sctlr));
    sctlr = on ? sctlr | 2 : sctlr & ~2u;
    /* XScale: a CP15 write takes effect once CP15 is read back */
    __asm__ volatile("mcr p15, 0, %0, c1, c0, 0\n"
                     "mrc p15, 0, %0, c1, c0, 0\n"
                     "mov %0, %0\n"
                     "sub pc, pc, #4" : "+r"(sctlr) : : "memory");
}

static uint32_t base(void)
{
    return (uint32_t)buf;
}

/* An access that must abort: sentinel back, the fault recorded. */
static void aborts(uint32_t got, uint32_t addr, const char *insn,
                   uint32_t line)
{
    static uint32_t count;

    check_eq(got, SENTINEL, line);
    check_eq(fault_info[3], ++count, line);
    check_eq(fault_info[1] & 0xf, 0x1, line);     /* alignment */
    check_eq(fault_info[2], addr, line);
    check_eq(fault_info[0], (uint32_t)insn + 8, line);
}
#define ABORTS(fn, off, value) \
    aborts(fn(base() + (off), (value)), base() + (off), fn##_insn, __LINE__)

int main(void)
{
    vector_table[4] = (uint32_t)dabt_skip_handler;
    for (int i = 0; i < 7; i++) {
        buf[i] = 0x11111111u * (uint32_t)(i + 1);
    }
    buf[7] = 0x03020100u;

    /* A clear: no abort (the value is the ARMv5 rotation, which QEMU
     * does not give: tests/guests/arm/unaligned.S checks it) */
    CHECK(ldr_at(base() + 29, 0) != SENTINEL, 1);
    CHECK(fault_info[3], 0);

    set_alignment_check(1);
    ABORTS(ldr_at, 1, 0);
    ABORTS(ldr_at, 6, 0);
    CHECK(ldr_at(base() + 4, 0), 0x22222222u);
    ABORTS(str_at, 2, 0xdead);
    CHECK(buf[0], 0x11111111u);
    ABORTS(ldrh_at, 1, 0);
    CHECK(ldrh_at(base() + 2, 0), 0x1111u);
    ABORTS(strh_at, 3, 0xbeef);
    CHECK(buf[0], 0x11111111u);
    CHECK(ldrb_at(base() + 3, 0), 0x11u);
    ABORTS(ldm_at, 2, 0);
    ABORTS(stm_at, 1, 0xdead);
    CHECK(buf[0], 0x11111111u);
    CHECK(buf[1], 0x22222222u);
    ABORTS(ldrd_at, 2, 0);
    CHECK(ldrd_at(base() + 8, 0), 0x33333333u);
    /* word-aligned but not doubleword-aligned */
    ABORTS(strd_at, 4, 0xdead);
    CHECK(buf[1], 0x22222222u);
    CHECK(buf[2], 0x33333333u);
    ABORTS(ldrd_at, 4, 0);

    /* A clear again: the blocks translated with it set are not used */
    set_alignment_check(0);
    CHECK(ldr_at(base() + 29, 0) != SENTINEL, 1);
    CHECK(fault_info[3], 10);
    CHECK(ldrh_at(base() + 2, 0), 0x1111u);
    return report();
}
