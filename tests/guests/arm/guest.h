/*
 * Constants shared by the ARM test guests, in C and in assembly.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef GUEST_H
#define GUEST_H

#define MODE_USR 0x10
#define MODE_FIQ 0x11
#define MODE_IRQ 0x12
#define MODE_SVC 0x13
#define MODE_ABT 0x17
#define MODE_UND 0x1b
#define MODE_SYS 0x1f
#define PSR_T 0x20
#define PSR_F 0x40
#define PSR_I 0x80

#define FLAG_N 0x80000000
#define FLAG_Z 0x40000000
#define FLAG_C 0x20000000
#define FLAG_V 0x10000000
#define FLAG_Q 0x08000000

#define SYS_OPEN 0x01
#define SYS_CLOSE 0x02
#define SYS_WRITEC 0x03
#define SYS_WRITE0 0x04
#define SYS_WRITE 0x05
#define SYS_READ 0x06
#define SYS_ISERROR 0x08
#define SYS_ISTTY 0x09
#define SYS_SEEK 0x0a
#define SYS_FLEN 0x0c
#define SYS_TMPNAM 0x0d
#define SYS_REMOVE 0x0e
#define SYS_RENAME 0x0f
#define SYS_CLOCK 0x10
#define SYS_TIME 0x11
#define SYS_SYSTEM 0x12
#define SYS_ERRNO 0x13
#define SYS_GET_CMDLINE 0x15
#define SYS_HEAPINFO 0x16
#define SYS_EXIT 0x18
#define SYS_EXIT_EXTENDED 0x20
#define SYS_ELAPSED 0x30
#define SYS_TICKFREQ 0x31

#ifdef __ASSEMBLER__

/*
 * CHECK(reg, value): counts a check, and prints the line when reg does
 * not hold value.  Every register and the flags are preserved (reg must
 * not be sp).  CHECK_FLAGS(nzcvq) does the same for CPSR[31:27].
 */
#define CHECK(reg, value) \
    stmfd sp!, {r0-r3, ip, lr} ; \
    mov r0, reg ; \
    ldr r1, =(value) ; \
    ldr r2, =__LINE__ ; \
    bl check_asm ; \
    ldmfd sp!, {r0-r3, ip, lr}

#define CHECK_FLAGS(value) \
    stmfd sp!, {r0-r3, ip, lr} ; \
    mrs r0, cpsr ; \
    and r0, r0, #0xf8000000 ; \
    ldr r1, =(value) ; \
    ldr r2, =__LINE__ ; \
    bl check_asm ; \
    ldmfd sp!, {r0-r3, ip, lr}

/* The name the report line starts with. */
#define TEST_NAME(name) \
    .section .rodata ; \
    .global test_name ; \
test_name: ; \
    .asciz name ; \
    .text

#else

#include <stdint.h>

/* Semihosting: svc 0x123456 in ARM state, svc 0xab in Thumb state. */
static inline uint32_t semi_call(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;

#ifdef __thumb__
    __asm__ volatile("svc 0xab" : "+r"(r0) : "r"(r1) : "memory");
#else
    __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
#endif
    return r0;
}

/* The same call through HLT 0xf000 (ARM) or HLT 0x3c (Thumb), the trap
 * the semihosting specification gives besides the SVC, which QEMU takes
 * on any core (HLT is undefined before ARMv8). */
static inline uint32_t semi_call_hlt(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;

#ifdef __thumb__
    __asm__ volatile(".inst.n 0xbabc" : "+r"(r0) : "r"(r1) : "memory");
#else
    __asm__ volatile(".inst 0xe10f0070" : "+r"(r0) : "r"(r1) : "memory");
#endif
    return r0;
}

void exit(int status) __attribute__((noreturn));
extern uint32_t vector_table[8];

#endif
#endif
