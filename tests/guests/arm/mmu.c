/*
 * The ARMv5 MMU and translated-code invalidation: sections, coarse
 * tables with small pages, translation, domain and permission faults
 * with their DFSR/FAR and return addresses, a prefetch abort, TLB
 * flushes after a page-table change, self-modifying code (also written
 * through another virtual mapping), code copied to RAM and run, and
 * cached code whose page loses its permission (domain or AP, then a TLB
 * flush): the next call takes the prefetch abort, and blocks chained to
 * code on another page (a fall-through and a branch) that is remapped or
 * loses its permission: after the TLB flush the jump reaches the new
 * code, or the abort.  LDM and STM of eight words, which take one TLB
 * lookup for the range when it lies in one page of RAM: within a page,
 * across a 1 KiB boundary, into a page without a translation (the words
 * before it written, FAR at its first word, the base not written back),
 * into a page that lost its write permission after STMs used its TLB
 * entry, and over code that ran.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include "guest.h"
#include "mmu-support.h"
#include "print.h"

void check_eq(uint32_t got, uint32_t want, uint32_t line);
int report(void);
const char test_name[] = "mmu";
#define CHECK(got, want) check_eq((got), (want), __LINE__)

#define SECTION(pa, ap, domain) \
    ((pa) | (ap) << 10 | (domain) << 5 | 0x12)
#define COARSE(pa, domain) ((pa) | (domain) << 5 | 0x11)

static uint32_t l1[4096] __attribute__((aligned(16384)));
static uint32_t l2[256] __attribute__((aligned(1024)));
static volatile uint32_t page_a[1024] __attribute__((aligned(4096)));
static volatile uint32_t page_b[1024] __attribute__((aligned(4096)));
static volatile uint32_t code[1024] __attribute__((aligned(4096)));
/* the pages of chained_across_pages: a caller and two callees */
static volatile uint32_t caller_page[1024] __attribute__((aligned(4096)));
static volatile uint32_t callee_a[1024] __attribute__((aligned(4096)));
static volatile uint32_t callee_b[1024] __attribute__((aligned(4096)));

#define TEST_VA 0x04000000u     /* through the coarse table */
#define UNMAPPED 0x08000000u
#define NO_ACCESS 0x05000000u   /* AP 00 with S = R = 0 */
#define DOMAIN1 0x06000000u     /* domain 1, set to no access */
#define NO_DEVICE 0x07000000u   /* mapped to a physical hole */
#define CODE_DOMAIN2 0x09000000u /* the MiB holding code[], domain 2 */
#define DACR_CLIENTS 0x1u       /* domain 0 client, the others no access */
#define DACR_DOMAIN2 (DACR_CLIENTS | 0x1u << 4)

static uint32_t small(uint32_t pa, uint32_t ap)
{
    return pa | ap << 10 | ap << 8 | ap << 6 | ap << 4 | 0x2;
}

static void build_tables(void)
{
    /* the RAM, identity-mapped by sections */
    for (uint32_t mb = 0; mb < 64; mb++) {
        l1[mb] = SECTION(mb << 20, 3u, 0u);
    }
    l1[TEST_VA >> 20] = COARSE((uint32_t)l2, 0u);
    l2[0] = small((uint32_t)page_a, 3);
    /* l2[1] is a translation fault */
    l2[2] = small((uint32_t)code, 3);
    l2[3] = small((uint32_t)caller_page, 3);
    l2[4] = small((uint32_t)callee_a, 3);
    l1[NO_ACCESS >> 20] = SECTION(0x00000000u, 0u, 0u);
    l1[DOMAIN1 >> 20] = SECTION(0x00000000u, 3u, 1u);
    l1[NO_DEVICE >> 20] = SECTION(0x10000000u, 3u, 0u);
    l1[CODE_DOMAIN2 >> 20] = SECTION((uint32_t)code & 0xfff00000u, 3u, 2u);
}

static void data_aborts(void)
{
    uint32_t v;

    fault_info[3] = 0;
    v = probe_read(UNMAPPED + 0x124);
    CHECK(v, 0xfa11);
    CHECK(fault_info[3], 1);
    CHECK(fault_info[1] & 0xf, 0x5);            /* section translation */
    CHECK(fault_info[2], UNMAPPED + 0x124);
    CHECK(fault_info[0], (uint32_t)probe_read_insn + 8);

    probe_write(TEST_VA + 0x1008, 1);
    CHECK(fault_info[3], 2);
    CHECK(fault_info[1] & 0xf, 0x7);            /* page translation */
    CHECK(fault_info[2], TEST_VA + 0x1008);
    CHECK(fault_info[0], (uint32_t)probe_write_insn + 8);

    v = probe_read(NO_ACCESS + 0x40);
    CHECK(v, 0xfa11);
    CHECK(fault_info[1] & 0xff, 0x0d);          /* section permission */
    CHECK(fault_info[2], NO_ACCESS + 0x40);

    v = probe_read(DOMAIN1 + 0x80);
    CHECK(v, 0xfa11);
    CHECK(fault_info[1] & 0xff, 0x19);          /* section domain, 1 */
    CHECK(fault_info[2], DOMAIN1 + 0x80);
    /* domain 1 as manager: no permission checks at all */
    set_dacr(0x1 | 0x3 << 2);
    tlb_flush_all();
    v = probe_read(DOMAIN1 + 0x80);
    CHECK(v, probe_read(0x80));
    set_dacr(0x1);
    tlb_flush_all();
    CHECK(fault_info[3], 4);

    /* nothing at the physical address: an external abort */
    v = probe_read(NO_DEVICE + 0x10);
    CHECK(v, 0xfa11);
    CHECK(fault_info[1] & 0xf, 0x8);            /* external, non-linefetch */
    CHECK(fault_info[2], NO_DEVICE + 0x10);
    CHECK(fault_info[3], 5);
}

static void prefetch_abort(void)
{
    fault_info[5] = 0;
    call_expect_pabt(UNMAPPED + 0x200);
    CHECK(fault_info[5], 1);
    CHECK(fault_info[0], UNMAPPED + 0x204);
    /* a fetch from a page without a translation, through the coarse
     * table */
    call_expect_pabt(TEST_VA + 0x1000);
    CHECK(fault_info[5], 2);
    CHECK(fault_info[0], TEST_VA + 0x1004);
}

static void tlb_flushes(void)
{
    volatile uint32_t *va = (volatile uint32_t *)TEST_VA;

    page_a[5] = 0xaaaa0005;
    page_b[5] = 0xbbbb0005;
    CHECK(va[5], 0xaaaa0005);
    /* remap and flush everything */
    l2[0] = small((uint32_t)page_b, 3);
    tlb_flush_all();
    CHECK(va[5], 0xbbbb0005);
    /* remap and flush only that page */
    l2[0] = small((uint32_t)page_a, 3);
    tlb_flush_one(TEST_VA);
    CHECK(va[5], 0xaaaa0005);
    /* writes go to the new page too */
    va[6] = 0x66;
    CHECK(page_a[6], 0x66);
    /* unmap: the next access faults */
    l2[0] = 0;
    tlb_flush_one(TEST_VA);
    fault_info[3] = 0;
    CHECK(probe_read(TEST_VA), 0xfa11);
    CHECK(fault_info[3], 1);
    CHECK(fault_info[1] & 0xf, 0x7);
    l2[0] = small((uint32_t)page_a, 3);
    tlb_flush_one(TEST_VA);
}

/* ARM encodings written at run time */
#define MOV_R0(imm) (0xe3a00000u | (imm))
#define ADD_R0(imm) (0xe2800000u | (imm))
#define BX_LR 0xe12fff1eu

typedef uint32_t (*fn_t)(void);

static uint32_t run_code(void)
{
    return ((fn_t)(uintptr_t)code)();
}

static void self_modifying(void)
{
    code[0] = MOV_R0(1);
    code[1] = BX_LR;
    sync_code();
    CHECK(run_code(), 1);
    /* the same address, new instruction */
    code[0] = MOV_R0(2);
    sync_code();
    CHECK(run_code(), 2);
    /* a longer block changed in its middle, many times */
    code[0] = MOV_R0(0);
    for (int i = 1; i < 9; i++) {
        code[i] = ADD_R0(1);
    }
    code[9] = BX_LR;
    uint32_t sum = 0;
    for (uint32_t i = 1; i < 9; i++) {
        code[i] = ADD_R0(i);
        sync_code();
        sum += run_code();
    }
    /* run k adds i for i <= k and 1 for the rest */
    uint32_t want = 0;
    for (uint32_t k = 1; k < 9; k++) {
        for (uint32_t i = 1; i < 9; i++) {
            want += i <= k ? i : 1;
        }
    }
    CHECK(sum, want);
    /* written through another virtual address of the same page */
    volatile uint32_t *alias = (volatile uint32_t *)(TEST_VA + 0x2000);
    alias[0] = MOV_R0(0x33);
    alias[1] = BX_LR;
    sync_code();
    CHECK(run_code(), 0x33);
}

/* Position-independent routines to copy: sum of 1..r0, and r0 * 3. */
extern char copy_sum[], copy_sum_end[], copy_triple[], copy_triple_end[];
__asm__(
    ".text\n.arm\n"
    "copy_sum: mov r1, r0\n mov r0, #0\n"
    "1: add r0, r0, r1\n subs r1, r1, #1\n bne 1b\n bx lr\n"
    "copy_sum_end:\n"
    "copy_triple: add r0, r0, r0, lsl #1\n bx lr\n"
    "copy_triple_end:\n");

static void copy_and_run(const char *start, const char *end)
{
    char *dst = (char *)code + 0x100;

    for (const char *p = start; p < end; p++) {
        *dst++ = *p;
    }
    sync_code();
}

static void copied_code(void)
{
    uint32_t (*fn)(uint32_t) = (uint32_t (*)(uint32_t))((char *)code + 0x100);

    copy_and_run(copy_sum, copy_sum_end);
    CHECK(fn(10), 55);
    copy_and_run(copy_triple, copy_triple_end);
    CHECK(fn(10), 30);
    copy_and_run(copy_sum, copy_sum_end);
    CHECK(fn(100), 5050);
}

/*
 * A block that ran (so it is translated and cached) must not run again
 * once its page may no longer be fetched: after the TLB flush the next
 * fetch walks the tables and takes the prefetch abort, lr = address + 4.
 */
static void lost_fetch_permission(void)
{
    uint32_t in_domain2 = CODE_DOMAIN2 + ((uint32_t)code & 0xfffffu);
    uint32_t in_page = TEST_VA + 0x2000;

    code[0] = MOV_R0(0x42);
    code[1] = BX_LR;
    sync_code();
    set_dacr(DACR_DOMAIN2);
    tlb_flush_all();
    fault_info[5] = 0;
    for (int i = 0; i < 3; i++) {
        CHECK(((fn_t)in_domain2)(), 0x42);
        CHECK(((fn_t)in_page)(), 0x42);
    }
    /* the domain set to no access */
    set_dacr(DACR_CLIENTS);
    tlb_flush_all();
    call_expect_pabt(in_domain2);
    CHECK(fault_info[5], 1);
    CHECK(fault_info[0], in_domain2 + 4);
    set_dacr(DACR_DOMAIN2);
    tlb_flush_all();
    CHECK(((fn_t)in_domain2)(), 0x42);
    /* the page's AP set to no access, that page flushed */
    l2[2] = small((uint32_t)code, 0);
    tlb_flush_one(in_page);
    call_expect_pabt(in_page);
    CHECK(fault_info[5], 2);
    CHECK(fault_info[0], in_page + 4);
    l2[2] = small((uint32_t)code, 3);
    tlb_flush_one(in_page);
    CHECK(((fn_t)in_page)(), 0x42);
    set_dacr(DACR_CLIENTS);
    tlb_flush_all();
}

/* B from the word at va to target */
static uint32_t branch(uint32_t va, uint32_t target)
{
    return 0xea000000u | (((target - (va + 8)) >> 2) & 0xffffffu);
}

/* A callee page: at 0 "add r0, r0, #tag; bx lr", at 0x40 the same
 * with tag + 1. */
static void write_callee(volatile uint32_t *page, uint32_t tag)
{
    page[0] = ADD_R0(tag);
    page[1] = BX_LR;
    page[0x10] = ADD_R0(tag + 1);
    page[0x11] = BX_LR;
}

/*
 * Blocks chained to a block on another page: the chained jump skips the
 * TLB, so a remapping of the other page (then a TLB flush of that page
 * or of everything) must reach the code now mapped there, and a page
 * that lost its permission must abort.  The caller page's last two words
 * fall through into the callee page; its first words branch into it.
 */
static void chained_across_pages(void)
{
    uint32_t caller = TEST_VA + 0x3000, callee = TEST_VA + 0x4000;
    fn_t fall_through = (fn_t)(caller + 0xff8);
    fn_t branching = (fn_t)caller;
    uint32_t sum = 0;

    caller_page[0] = MOV_R0(0);
    caller_page[1] = branch(caller + 4, callee + 0x40);
    caller_page[1022] = MOV_R0(0);
    caller_page[1023] = ADD_R0(1);
    write_callee(callee_a, 0x10);
    write_callee(callee_b, 0x20);
    sync_code();
    tlb_flush_all();
    /* several calls: the second one runs the jumps chained */
    for (int i = 0; i < 4; i++) {
        sum += fall_through() + branching();
    }
    CHECK(sum, 4 * (0x11 + 0x11));
    /* the callee page remapped, that page flushed */
    l2[4] = small((uint32_t)callee_b, 3);
    tlb_flush_one(callee);
    CHECK(fall_through(), 0x21);
    CHECK(branching(), 0x21);
    CHECK(fall_through(), 0x21);
    /* and back, everything flushed */
    l2[4] = small((uint32_t)callee_a, 3);
    tlb_flush_all();
    CHECK(fall_through(), 0x11);
    CHECK(branching(), 0x11);
    CHECK(branching(), 0x11);
    /* the callee page without access: the jump's fetch aborts there */
    l2[4] = small((uint32_t)callee_a, 0);
    tlb_flush_one(callee);
    fault_info[5] = 0;
    call_expect_pabt((uint32_t)fall_through);
    CHECK(fault_info[5], 1);
    CHECK(fault_info[0], callee + 4);
    call_expect_pabt((uint32_t)branching);
    CHECK(fault_info[5], 2);
    CHECK(fault_info[0], callee + 0x40 + 4);
    l2[4] = small((uint32_t)callee_a, 3);
    tlb_flush_one(callee);
    CHECK(fall_through(), 0x11);
}

/* stm8_wb(addr, tag): "stmia r0!, {r1-r8}" of tag, tag + 1 ... tag + 7;
 * returns r0 after it.  ldm8_wb(addr, out): "ldmia r0!, {r2-r9}" into
 * out[0..7]; returns r0 after it.  stm2(addr, a, b): "stmia r0, {r1, r2}".
 * An abort skips the LDM or STM (dabt_skip_handler). */
uint32_t stm8_wb(uint32_t addr, uint32_t tag);
uint32_t ldm8_wb(uint32_t addr, uint32_t *out);
void stm2(volatile uint32_t *addr, uint32_t a, uint32_t b);
__asm__(".text\n"
        ".global stm8_wb\n"
        "stm8_wb:\n"
        "    push    {r4-r8, lr}\n"
        "    add     r2, r1, #1\n"
        "    add     r3, r1, #2\n"
        "    add     r4, r1, #3\n"
        "    add     r5, r1, #4\n"
        "    add     r6, r1, #5\n"
        "    add     r7, r1, #6\n"
        "    add     r8, r1, #7\n"
        "    stmia   r0!, {r1-r8}\n"
        "    pop     {r4-r8, pc}\n"
        ".global ldm8_wb\n"
        "ldm8_wb:\n"
        "    push    {r4-r9, lr}\n"
        "    mov     r12, r1\n"
        "    ldmia   r0!, {r2-r9}\n"
        "    stmia   r12, {r2-r9}\n"
        "    pop     {r4-r9, pc}\n"
        ".global stm2\n"
        "stm2:\n"
        "    stmia   r0, {r1, r2}\n"
        "    bx      lr\n");

static void check_words(volatile uint32_t *p, const uint32_t *out,
                        uint32_t tag, int n)
{
    for (int i = 0; i < n; i++) {
        CHECK(p ? p[i] : out[i], tag + i);
    }
}

/* Each case twice at least: the first fills the TLB, the next ones take
 * the one-lookup path where the range allows it. */
static void ldm_stm_one_page(void)
{
    uint32_t out[8];
    uint32_t tag = 0x51000000u;
    uint32_t perm_va = TEST_VA + 0x200;

    for (int round = 0; round < 3; round++, tag += 0x100) {
        CHECK(stm8_wb(TEST_VA + 0x200, tag), TEST_VA + 0x220);
        check_words(&page_a[0x80], 0, tag, 8);
        CHECK(ldm8_wb(TEST_VA + 0x200, out), TEST_VA + 0x220);
        check_words(0, out, tag, 8);
        /* across a 1 KiB boundary of the page */
        CHECK(stm8_wb(TEST_VA + 0x3f0, tag + 0x10), TEST_VA + 0x410);
        check_words(&page_a[0xfc], 0, tag + 0x10, 8);
        CHECK(ldm8_wb(TEST_VA + 0x3f0, out), TEST_VA + 0x410);
        check_words(0, out, tag + 0x10, 8);
    }
    /* into the page without a translation */
    fault_info[3] = 0;
    for (int round = 0; round < 2; round++, tag += 0x100) {
        CHECK(stm8_wb(TEST_VA + 0xff0, tag), TEST_VA + 0xff0);
        CHECK(fault_info[3], 2 * round + 1);
        CHECK(fault_info[1] & 0xf, 0x7);            /* page translation */
        CHECK(fault_info[2], TEST_VA + 0x1000);
        check_words(&page_a[0x3fc], 0, tag, 4);
        CHECK(ldm8_wb(TEST_VA + 0xff0, out), TEST_VA + 0xff0);
        CHECK(fault_info[3], 2 * round + 2);
        CHECK(fault_info[2], TEST_VA + 0x1000);
    }
    /* all of it in that page: FAR is the first word */
    CHECK(stm8_wb(TEST_VA + 0x1100, tag), TEST_VA + 0x1100);
    CHECK(fault_info[3], 5);
    CHECK(fault_info[2], TEST_VA + 0x1100);
    /* the page loses its write permission after STMs went through its
     * TLB entry: after the flush the STM aborts and writes nothing */
    CHECK(stm8_wb(perm_va, tag), perm_va + 0x20);
    CHECK(stm8_wb(perm_va, tag), perm_va + 0x20);
    l2[0] = small((uint32_t)page_a, 0);
    tlb_flush_one(TEST_VA);
    CHECK(stm8_wb(perm_va, tag + 0x100), perm_va);
    CHECK(fault_info[3], 6);
    CHECK(fault_info[1] & 0xf, 0xf);                /* page permission */
    CHECK(fault_info[2], perm_va);
    l2[0] = small((uint32_t)page_a, 3);
    tlb_flush_one(TEST_VA);
    check_words(&page_a[0x80], 0, tag, 8);
    /* STM over code that ran: the next call runs the new code */
    for (uint32_t v = 1; v <= 3; v++) {
        stm2(code, MOV_R0(v), BX_LR);
        sync_code();
        CHECK(run_code(), v);
    }
}

int main(void)
{
    build_tables();
    vector_table[3] = (uint32_t)pabt_resume_handler;
    vector_table[4] = (uint32_t)dabt_skip_handler;
    /* MMU off: code changes still seen */
    {
        code[0] = MOV_R0(7);
        code[1] = BX_LR;
        sync_code();
        CHECK(run_code(), 7);
        code[0] = MOV_R0(8);
        sync_code();
        CHECK(run_code(), 8);
    }
    mmu_on(l1, DACR_CLIENTS);
    data_aborts();
    prefetch_abort();
    tlb_flushes();
    self_modifying();
    copied_code();
    lost_fetch_permission();
    chained_across_pages();
    ldm_stm_one_page();
    mmu_off();
    return report();
}
