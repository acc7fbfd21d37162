/*
 * The PXA255 LCD controller drawing a picture: a frame descriptor in
 * SDRAM that points to itself, a 16 bpp (RGB 5:6:5) frame of colour
 * bars over a gradient, the controller enabled; then, after a byte on
 * the UART, the same panel at 8 bpp through a palette loaded by a
 * descriptor with the PAL bit.  The test takes a screendump at each
 * "lcd:" line and compares it with the picture it computes the same
 * way (test_connex_lcd.py).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "connex.h"
#include "../print.h"

#define LCD_BASE 0x44000000u
#define LCCR0 (LCD_BASE + 0x000)
#define LCCR1 (LCD_BASE + 0x004)
#define LCCR2 (LCD_BASE + 0x008)
#define LCCR3 (LCD_BASE + 0x00c)
#define FDADR0 (LCD_BASE + 0x200)
#define LCCR0_ENB 0x00000001u
#define LCCR0_PAS 0x00000080u             /* active (TFT) panel */
#define LCCR0_MASKS 0x003008f8u           /* every interrupt masked */
#define LCCR3_BPP(n) ((uint32_t)(n) << 24) /* 3: 8 bpp, 4: 16 bpp */
#define LDCMD_PAL (1u << 26)

#define UART_RBR (FFUART_BASE + 0x00)
#define UART_LSR_DR 0x01

#define WIDTH 160
#define HEIGHT 120

struct descriptor {
    uint32_t fdadr, fsadr, fidr, ldcmd;
};

/* In SDRAM, well past the guest's data and stacks. */
#define FRAME16 ((volatile uint16_t *)0xa0100000u)
#define FRAME8 ((volatile uint8_t *)0xa0140000u)
#define PALETTE ((volatile uint16_t *)0xa0160000u)
#define DESC ((volatile struct descriptor *)0xa0170000u)

static uint16_t rgb565(unsigned r, unsigned g, unsigned b)
{
    return (uint16_t)((r >> 3) << 11 | (g >> 2) << 5 | (b >> 3));
}

static void wait_for_byte(void)
{
    while (!(REG32(UART_LSR) & UART_LSR_DR)) {
        continue;
    }
    (void)REG32(UART_RBR);
}

static void lcd_enable(uint32_t bpp, uint32_t fdadr)
{
    REG32(LCCR0) = 0;                   /* quick disable */
    REG32(LCCR1) = WIDTH - 1;           /* pixels per line - 1 */
    REG32(LCCR2) = HEIGHT - 1;          /* lines per panel - 1 */
    REG32(LCCR3) = LCCR3_BPP(bpp);
    REG32(FDADR0) = fdadr;
    REG32(LCCR0) = LCCR0_MASKS | LCCR0_PAS | LCCR0_ENB;
}

int main(void)
{
    volatile struct descriptor *frame = &DESC[0];
    volatile struct descriptor *palette = &DESC[1];

    uart_init();
    /* Eight bars across the top half, a grey ramp along x and a red
     * ramp along y below. */
    for (unsigned y = 0; y < HEIGHT; y++) {
        for (unsigned x = 0; x < WIDTH; x++) {
            unsigned bar = x / (WIDTH / 8);
            uint16_t p;

            if (y < HEIGHT / 2) {
                p = rgb565(bar & 4 ? 255 : 0, bar & 2 ? 255 : 0,
                           bar & 1 ? 255 : 0);
            } else {
                p = rgb565(y * 2, x * 255 / (WIDTH - 1), x);
            }
            FRAME16[y * WIDTH + x] = p;
        }
    }
    frame->fdadr = (uint32_t)frame;
    frame->fsadr = (uint32_t)FRAME16;
    frame->fidr = 0;
    frame->ldcmd = WIDTH * HEIGHT * 2;
    lcd_enable(4, (uint32_t)frame);
    tprintf("lcd: 16bpp %ux%u\n", WIDTH, HEIGHT);
    wait_for_byte();

    /* 8 bpp: pixel x ^ y through a palette of 256 colours. */
    for (unsigned i = 0; i < 256; i++) {
        PALETTE[i] = rgb565(i, 255 - i, (i * 4) & 0xff);
    }
    for (unsigned y = 0; y < HEIGHT; y++) {
        for (unsigned x = 0; x < WIDTH; x++) {
            FRAME8[y * WIDTH + x] = (uint8_t)(x ^ y);
        }
    }
    frame->fsadr = (uint32_t)FRAME8;
    frame->ldcmd = WIDTH * HEIGHT;
    palette->fdadr = (uint32_t)frame;
    palette->fsadr = (uint32_t)PALETTE;
    palette->fidr = 0;
    palette->ldcmd = LDCMD_PAL | 256 * 2;
    lcd_enable(3, (uint32_t)palette);
    tprintf("lcd: 8bpp %ux%u\n", WIDTH, HEIGHT);
    wait_for_byte();
    return 0;
}
