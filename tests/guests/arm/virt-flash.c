/*
 * An ELF image for -kernel on -M virt (linked at 0x40100000): drives the
 * second flash bank (0x04000000: 32 bits wide, two x16 CFI parts side by
 * side) with the commands U-Boot and Linux use, each written to both
 * parts at once (0x00980098), and prints what each read gives: the query
 * table, the identifier codes, the status register, a word program, a
 * buffered write of four words and a block erase.  test_virt.py compares
 * the output with QEMU's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>

#define UART_DR ((volatile uint32_t *)0x09000000)
#define FLASH 0x04000000u
#define PSCI_SYSTEM_OFF 0x84000008u

/* A command for both x16 parts of the bank. */
#define CMD(c) ((uint32_t)(c) * 0x00010001u)

static uint8_t stack[4096] __attribute__((aligned(8), used));

void entry(void);
void start_c(void);

__attribute__((naked, used)) void entry(void)
{
    __asm__ volatile("ldr sp, =stack + 4096\n"
                     "bl start_c\n");
}

static void put(char c)
{
    *UART_DR = (uint8_t)c;
}

static void print(const char *s)
{
    while (*s) {
        put(*s++);
    }
}

static void print_hex(uint32_t v, int digits)
{
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
        put("0123456789abcdef"[(v >> shift) & 0xf]);
    }
}

static void wr(uint32_t offset, uint32_t value)
{
    *(volatile uint32_t *)(FLASH + offset) = value;
}

static uint32_t rd(uint32_t offset)
{
    return *(volatile uint32_t *)(FLASH + offset);
}

/* "name offset=value" for a 32-bit read. */
static void show(const char *name, uint32_t offset)
{
    print(name);
    put(' ');
    print_hex(offset, 4);
    put('=');
    print_hex(rd(offset), 8);
    put('\n');
}

static void show16(const char *name, uint32_t offset)
{
    print(name);
    put(' ');
    print_hex(offset, 4);
    put('=');
    print_hex(*(volatile uint16_t *)(FLASH + offset), 4);
    put('\n');
}

static void psci(uint32_t fn)
{
    register uint32_t r0 __asm__("r0") = fn;

    __asm__ volatile(".arch_extension virt\n hvc #0" : "+r"(r0) :: "memory");
}

void start_c(void)
{
    /* The query table: a part's byte n at bank word n. */
    static const uint8_t query[] = {
        0x10, 0x11, 0x12, 0x13, 0x15, 0x27, 0x28, 0x2a, 0x2c, 0x2d, 0x2e,
        0x2f, 0x30, 0x31, 0x32, 0x33,
    };

    wr(0, CMD(0x98));
    for (unsigned i = 0; i < sizeof(query); i++) {
        show("query", query[i] * 4);
    }
    show16("query16", 0x10 * 4);
    show16("query16", 0x10 * 4 + 2);
    wr(0, CMD(0xff));
    show("array", 0);

    wr(0, CMD(0x90));
    show("ident", 0);
    show("ident", 4);
    wr(0, CMD(0x70));
    show("status", 0);

    /* Word program: only clears bits. */
    wr(8, CMD(0x40));
    wr(8, 0x12345678);
    show("program-status", 8);
    wr(0, CMD(0xff));
    show("array", 8);

    /* Buffered write of four bank words (the count is words - 1). */
    wr(0x100, CMD(0xe8));
    show("buffer-status", 0x100);
    wr(0x100, CMD(3));
    for (uint32_t i = 0; i < 4; i++) {
        wr(0x100 + i * 4, 0xa0b0c0d0 + i);
    }
    wr(0x100, CMD(0xd0));
    show("buffer-done", 0x100);
    wr(0, CMD(0xff));
    for (uint32_t i = 0; i < 4; i++) {
        show("array", 0x100 + i * 4);
    }

    /* An erase of the first block, then a bad sequence (SR4|SR5). */
    wr(0, CMD(0x20));
    wr(0, CMD(0xd0));
    show("erase-status", 0);
    wr(0, CMD(0xff));
    show("array", 8);
    show("array", 0x100);
    wr(0, CMD(0x20));
    wr(0, CMD(0x42));
    show("bad-sequence", 0);
    wr(0, CMD(0x50));
    wr(0, CMD(0x70));
    show("cleared", 0);
    wr(0, CMD(0xff));
    psci(PSCI_SYSTEM_OFF);
    for (;;) {
    }
}
