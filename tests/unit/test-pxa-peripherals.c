/*
 * Tests for the PXA255 peripherals (UART with the PXA additions, LCD,
 * MMC, I2C, SSP, I2S and PCMCIA register files) and the SMC91C111.
 * Devices are made through the object model and mapped on the system
 * bus as the SoC code does, then driven with loads and stores on the
 * memory address space, as a vCPU would; interrupt outputs go to test
 * lines that record the level.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "test-line.h"
#include "bus-access.h"
#include "main-loop-util.h"
#include <sys/socket.h>
#include <sys/un.h>
#include "chardev/char.h"
#include "hw/arm/pxa-devices.h"
#include "hw/sysbus.h"
#include "softmmu/memory.h"
#include "sysemu/main-loop.h"

static char tmpdir[] = "/tmp/emu-pxa-XXXXXX";

static char *tmp_path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

/* A realized device mapped at base, its gpio-out 0 on a test line. */
typedef struct TestDev {
    DeviceState *dev;
    TestLine irq;
} TestDev;

static TestDev *test_dev_map(DeviceState *dev, hwaddr base)
{
    TestDev *t = g_new0(TestDev, 1);

    t->dev = dev;
    g_assert_true(qdev_realize(dev, sysbus_get_default(), &error_fatal));
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, base);
    if (dev->gpio_out->len) {
        t->irq.line = irq_line_new(test_line_handler, &t->irq, 0);
        qdev_connect_gpio_out(dev, 0, t->irq.line);
    }
    return t;
}

static TestDev *test_dev_new(const char *type, hwaddr base)
{
    return test_dev_map(qdev_new(type), base);
}

/* Boards never remove sysbus devices; the tests do it by hand. */
static void test_dev_free(TestDev *t)
{
    memory_region_del_subregion(get_system_memory(),
                                SYS_BUS_DEVICE(t->dev)->mmio[0].memory);
    qdev_unrealize(t->dev);
    object_unref(OBJECT(t->dev));
    if (t->irq.line) {
        irq_line_free(t->irq.line);
    }
    g_free(t);
}

/* ---- UART ---- */

#define UART 0x40100000
#define RBR (UART + 0x00)
#define IER (UART + 0x04)
#define IIR (UART + 0x08)
#define LCR (UART + 0x0c)
#define MCR (UART + 0x10)
#define LSR (UART + 0x14)
#define MSR (UART + 0x18)
#define SPR (UART + 0x1c)
#define ISR (UART + 0x20)
#define FOR (UART + 0x24)
#define ABR (UART + 0x28)

#define IER_UUE   0x40
#define IER_RTOIE 0x10

static TestDev *new_uart(const char *chardev)
{
    DeviceState *dev = qdev_new(TYPE_PXA2XX_UART);

    if (chardev) {
        object_property_set_str(OBJECT(dev), "chardev", chardev,
                                &error_fatal);
    }
    return test_dev_map(dev, UART);
}

static void test_uart_registers(void)
{
    TestDev *t = new_uart(NULL);

    g_assert_cmphex(rd(IER), ==, 0x00);
    g_assert_cmphex(rd(IIR), ==, 0x01);
    g_assert_cmphex(rd(LSR), ==, 0x60);
    g_assert_cmphex(rd(ISR), ==, 0x00);
    g_assert_cmphex(rd(FOR), ==, 0x00);
    g_assert_cmphex(rd(ABR), ==, 0x00);
    /* The PXA bits of IER sit above the 16550's. */
    wr(IER, 0xf5);
    g_assert_cmphex(rd(IER), ==, 0xf5);
    wr(IER, 0x00);
    wr(SPR, 0xa5);
    g_assert_cmphex(rd(SPR), ==, 0xa5);
    wr(ISR, 0x1c);
    g_assert_cmphex(rd(ISR), ==, 0x1c);
    wr(ABR, 0x0e);
    g_assert_cmphex(rd(ABR), ==, 0x0e);
    wr(FOR, 0x12);                           /* read-only */
    g_assert_cmphex(rd(FOR), ==, 0x00);
    /* Divisor latch behind DLAB; byte accesses reach the registers. */
    st(LCR, 1, 0x83);
    g_assert_cmphex(ld(RBR, 1), ==, 12);
    st(RBR, 1, 0x08);
    st(IER, 1, 0x00);
    g_assert_cmphex(rd(RBR), ==, 0x08);
    st(LCR, 1, 0x03);
    g_assert_cmphex(ld(LCR, 1), ==, 0x03);
    g_assert_cmphex(ld(LCR + 1, 1), ==, 0x00);

    device_reset(t->dev);
    g_assert_cmphex(rd(ISR), ==, 0x00);
    g_assert_cmphex(rd(ABR), ==, 0x00);
    g_assert_cmphex(rd(SPR), ==, 0x00);
    g_assert_cmphex(rd(LCR), ==, 0x00);
    test_dev_free(t);
}

static void test_uart_output(void)
{
    g_autofree char *path = tmp_path("uart-out.txt");
    g_autofree char *opts = g_strdup_printf("file,id=uartout,path=%s", path);
    g_autofree char *text = NULL;
    TestDev *t;

    g_assert_nonnull(chardev_new_from_opts(opts, &error_fatal));
    t = new_uart("uartout");
    wr(LCR, 0x03);

    /* A disabled unit sends nothing. */
    wr(RBR, 'x');
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "");
    g_clear_pointer(&text, g_free);

    wr(IER, IER_UUE);
    for (const char *p = "ok\n"; *p; p++) {
        g_assert_cmphex(rd(LSR) & 0x60, ==, 0x60);   /* TEMT, TDRQ */
        wr(RBR, *p);
    }
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "ok\n");

    /* THR empty interrupt: only while the unit is enabled. */
    g_assert_cmpint(t->irq.level, ==, 0);
    wr(IER, 0x02);
    g_assert_cmpint(t->irq.level, ==, 0);
    wr(IER, IER_UUE | 0x02);
    g_assert_cmpint(t->irq.level, ==, 1);
    g_assert_cmphex(rd(IIR), ==, 0x02);
    g_assert_cmpint(t->irq.level, ==, 0);
    wr(RBR, '!');
    g_assert_cmpint(t->irq.level, ==, 1);
    wr(IER, 0x02);                           /* UUE off: line drops */
    g_assert_cmpint(t->irq.level, ==, 0);
    test_dev_free(t);
}

static void send_str(int fd, const char *s)
{
    g_assert_cmpint(write(fd, s, strlen(s)), ==, strlen(s));
}

static void test_uart_input(void)
{
    g_autofree char *path = tmp_path("uart-in.sock");
    g_autofree char *opts = NULL;
    GString *got = g_string_new(NULL);
    TestDev *t;
    int c;

    opts = g_strdup_printf("socket,id=uartin,path=%s,server=on,wait=off",
                           path);
    g_assert_nonnull(chardev_new_from_opts(opts, &error_fatal));
    t = new_uart("uartin");
    c = unix_connect(path);
    wr(LCR, 0x03);
    wr(IIR, 0xc1);                           /* FIFOs on, trigger 14 */

    /* A disabled unit receives nothing: input waits in the socket. */
    send_str(c, "abc");
    pump_for(50);
    g_assert_cmphex(rd(LSR) & 0x01, ==, 0);
    g_assert_cmphex(rd(FOR), ==, 0);

    /* Enabled, with data below the trigger level: without RTOIE the
     * timeout does not interrupt. */
    wr(IER, IER_UUE | 0x01);
    WAIT_FOR(rd(FOR) == 3);
    g_assert_cmphex(rd(LSR) & 0x01, ==, 0x01);
    g_assert_cmphex(rd(IIR), ==, 0xc1);
    g_assert_cmpint(t->irq.level, ==, 0);

    /* With RTOIE it does, as a character timeout (IIR TOD). */
    wr(IER, IER_UUE | IER_RTOIE | 0x01);
    g_assert_cmpint(t->irq.level, ==, 1);
    g_assert_cmphex(rd(IIR), ==, 0xcc);
    while (rd(LSR) & 0x01) {
        g_string_append_c(got, rd(RBR));
    }
    g_assert_cmpstr(got->str, ==, "abc");
    g_assert_cmphex(rd(FOR), ==, 0);
    g_assert_cmpint(t->irq.level, ==, 0);
    g_assert_cmphex(rd(IIR), ==, 0xc1);

    /* The masked timeout does not hide a THR empty interrupt. */
    wr(IER, IER_UUE | 0x03);
    g_assert_cmpint(t->irq.level, ==, 1);
    g_assert_cmphex(rd(IIR), ==, 0xc2);
    g_assert_cmpint(t->irq.level, ==, 0);
    send_str(c, "d");
    WAIT_FOR(rd(FOR) == 1);
    g_assert_cmphex(rd(IIR), ==, 0xc1);
    g_assert_cmpint(t->irq.level, ==, 0);
    wr(RBR, 'z');                            /* THR empty again */
    g_assert_cmpint(t->irq.level, ==, 1);
    g_assert_cmphex(rd(IIR), ==, 0xc2);      /* reading it clears THRE */
    g_assert_cmphex(rd(IIR), ==, 0xc1);
    g_assert_cmpint(t->irq.level, ==, 0);
    g_assert_cmphex(rd(RBR), ==, 'd');

    /* Reaching the trigger level interrupts without RTOIE. */
    wr(IER, IER_UUE | 0x01);
    wr(IIR, 0x41);                           /* trigger 4 */
    send_str(c, "wxyz");
    WAIT_FOR(rd(FOR) == 4);
    g_assert_cmpint(t->irq.level, ==, 1);
    g_assert_cmphex(rd(IIR), ==, 0xc4);
    g_assert_cmphex(rd(RBR), ==, 'w');
    g_assert_cmphex(rd(FOR), ==, 3);
    g_assert_cmpint(t->irq.level, ==, 0);

    close(c);
    test_dev_free(t);
    g_string_free(got, TRUE);
}

static void test_uart_errors(void)
{
    DeviceState *dev = qdev_new(TYPE_PXA2XX_UART);
    Error *err = NULL;

    object_property_set_str(OBJECT(dev), "chardev", "nosuch", &error_fatal);
    g_assert_false(qdev_realize(dev, sysbus_get_default(), &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "pxa2xx-uart: chardev 'nosuch' not found (create it "
                    "with -chardev ...,id=nosuch or -serial)");
    error_free(err);
    object_unref(OBJECT(dev));
}

/* ---- LCD ---- */

#define LCD 0x44000000

static void test_lcd(void)
{
    static const struct {
        hwaddr offset;
        uint32_t reset;
    } regs[] = {
        { 0x000, 0 }, { 0x004, 0 }, { 0x008, 0 }, { 0x00c, 0 },
        { 0x020, 0 }, { 0x024, 0 }, { 0x038, 0 }, { 0x03c, 0 },
        { 0x040, 0x00aa5500 }, { 0x044, 0x0000754f },
        { 0x200, 0 }, { 0x204, 0 }, { 0x208, 0 }, { 0x20c, 0 },
        { 0x210, 0 }, { 0x214, 0 }, { 0x218, 0 }, { 0x21c, 0 },
    };
    TestDev *t = test_dev_new(TYPE_PXA2XX_LCD, LCD);

    for (size_t i = 0; i < ARRAY_SIZE(regs); i++) {
        g_assert_cmphex(rd(LCD + regs[i].offset), ==, regs[i].reset);
    }
    /* Plain registers read back; the descriptor-loaded ones do not
     * take writes. */
    wr(LCD + 0x004, 0x12345678);
    wr(LCD + 0x00c, 0x04000000);
    wr(LCD + 0x040, 0x00112233);
    wr(LCD + 0x200, 0xa0001000);
    wr(LCD + 0x204, 0xdeadbeef);
    g_assert_cmphex(rd(LCD + 0x004), ==, 0x12345678);
    g_assert_cmphex(rd(LCD + 0x00c), ==, 0x04000000);
    g_assert_cmphex(rd(LCD + 0x040), ==, 0x00112233);
    g_assert_cmphex(rd(LCD + 0x200), ==, 0xa0001000);
    g_assert_cmphex(rd(LCD + 0x204), ==, 0);

    /* Enable, then a quick disable: LDD, an interrupt unless LDM. */
    wr(LCD + 0x000, 0x00000001 | 0x08);
    g_assert_cmphex(rd(LCD + 0x000), ==, 0x09);
    wr(LCD + 0x000, 0x08);
    g_assert_cmphex(rd(LCD + 0x038), ==, 0x01);
    g_assert_cmpint(t->irq.level, ==, 0);
    wr(LCD + 0x000, 0x00);                   /* unmask LDD */
    g_assert_cmpint(t->irq.level, ==, 1);
    wr(LCD + 0x038, 0x01);                   /* write 1 to clear */
    g_assert_cmphex(rd(LCD + 0x038), ==, 0);
    g_assert_cmpint(t->irq.level, ==, 0);
    /* A regular disable (DIS) completes as well. */
    wr(LCD + 0x000, 0x01);
    wr(LCD + 0x000, 0x401);
    g_assert_cmphex(rd(LCD + 0x000), ==, 0);
    g_assert_cmpint(t->irq.level, ==, 1);

    device_reset(t->dev);
    g_assert_cmphex(rd(LCD + 0x004), ==, 0);
    g_assert_cmphex(rd(LCD + 0x040), ==, 0x00aa5500);
    g_assert_cmpint(t->irq.level, ==, 0);
    test_dev_free(t);
}

/* ---- MMC ---- */

#define MMC 0x41100000

static void test_mmci(void)
{
    static const struct {
        hwaddr offset;
        uint32_t reset;
        uint32_t written;        /* read back after writing all ones */
    } regs[] = {
        { 0x08, 0, 0x7 },        /* CLKRT */
        { 0x0c, 0, 0xf },        /* SPI */
        { 0x10, 0, 0xff },       /* CMDAT */
        { 0x14, 0x40, 0x7f },    /* RESTO */
        { 0x18, 0xffff, 0xffff },/* RDTO */
        { 0x1c, 0, 0x3ff },      /* BLKLEN */
        { 0x20, 0, 0xffff },     /* NOB */
        { 0x24, 0, 0x1 },        /* PRTBUF */
        { 0x28, 0x7f, 0x7f },    /* I_MASK */
        { 0x30, 0, 0x3f },       /* CMD */
        { 0x34, 0, 0xffff },     /* ARGH */
        { 0x38, 0, 0xffff },     /* ARGL */
    };
    TestDev *t = test_dev_new(TYPE_PXA2XX_MMCI, MMC);

    g_assert_cmphex(rd(MMC + 0x04), ==, 0x40);       /* STAT: idle */
    g_assert_cmphex(rd(MMC + 0x2c), ==, 0x10);       /* I_REG: clk off */
    for (size_t i = 0; i < ARRAY_SIZE(regs); i++) {
        g_assert_cmphex(rd(MMC + regs[i].offset), ==, regs[i].reset);
        wr(MMC + regs[i].offset, 0xffffffff);
        g_assert_cmphex(rd(MMC + regs[i].offset), ==, regs[i].written);
    }
    device_reset(t->dev);

    /* A command with a response: no card, so a response timeout. */
    wr(MMC + 0x00, 1);                       /* stop the clock */
    wr(MMC + 0x28, 0x7b);                    /* unmask END_CMD_RES */
    wr(MMC + 0x30, 2);                       /* CMD2 */
    wr(MMC + 0x10, 0x02);                    /* R2 response */
    g_assert_cmpint(t->irq.level, ==, 0);
    wr(MMC + 0x00, 2);                       /* start the clock */
    g_assert_cmpint(t->irq.level, ==, 1);
    g_assert_cmphex(rd(MMC + 0x2c), ==, 0x04);
    g_assert_cmphex(rd(MMC + 0x04), ==, 0x2142);  /* END_CMD_RES, CLK_EN,
                                                   * TIME_OUT_RESPONSE */
    g_assert_cmphex(rd(MMC + 0x3c), ==, 0);
    /* Stopping the clock: CLK_IS_OFF, END_CMD_RES stays until the next
     * command. */
    wr(MMC + 0x28, 0x6f);
    wr(MMC + 0x00, 1);
    g_assert_cmphex(rd(MMC + 0x2c), ==, 0x14);
    g_assert_cmphex(rd(MMC + 0x04) & 0x100, ==, 0);
    /* CMD0 expects no response: it completes without an error. */
    wr(MMC + 0x30, 0);
    wr(MMC + 0x10, 0x40);                    /* INIT, no response */
    wr(MMC + 0x00, 2);
    g_assert_cmphex(rd(MMC + 0x04), ==, 0x2140);
    /* Starting the clock again without writing CMDAT sends nothing. */
    wr(MMC + 0x00, 1);
    wr(MMC + 0x00, 2);
    g_assert_cmphex(rd(MMC + 0x04), ==, 0x2140);
    /* STAT is read-only. */
    wr(MMC + 0x04, 0);
    g_assert_cmphex(rd(MMC + 0x04), ==, 0x2140);
    test_dev_free(t);
}

/* ---- I2C ---- */

#define I2C      0x40300000
#define IBMR     (I2C + 0x1680)
#define IDBR     (I2C + 0x1688)
#define ICR      (I2C + 0x1690)
#define I2C_ISR  (I2C + 0x1698)
#define ISAR     (I2C + 0x16a0)

static void test_i2c(void)
{
    TestDev *t = test_dev_new(TYPE_PXA2XX_I2C, I2C);

    g_assert_cmphex(rd(IBMR), ==, 0x3);
    g_assert_cmphex(rd(IDBR), ==, 0);
    g_assert_cmphex(rd(ICR), ==, 0);
    g_assert_cmphex(rd(I2C_ISR), ==, 0);
    g_assert_cmphex(rd(ISAR), ==, 0);
    wr(ISAR, 0xff);
    g_assert_cmphex(rd(ISAR), ==, 0x7f);
    wr(IDBR, 0x1a5);
    g_assert_cmphex(rd(IDBR), ==, 0xa5);
    wr(IBMR, 0);
    g_assert_cmphex(rd(IBMR), ==, 0x3);

    /* Address 0x50, write: nobody answers. */
    wr(ICR, 0x0060 | 0x0100 | 0x0400);       /* IUE, SCLE, ITEIE, BEIE */
    wr(IDBR, 0x50 << 1);
    wr(ICR, 0x0560 | 0x0009);                /* START, TB */
    g_assert_cmphex(rd(ICR) & 0x8, ==, 0);   /* TB done */
    g_assert_cmphex(rd(I2C_ISR), ==, 0x446); /* BED, ITE, UB, ACKNAK */
    g_assert_cmpint(t->irq.level, ==, 1);
    wr(I2C_ISR, 0x440);
    g_assert_cmpint(t->irq.level, ==, 0);
    /* Master abort frees the bus. */
    wr(ICR, 0x0560 | 0x0010);
    g_assert_cmphex(rd(I2C_ISR) & 0x4, ==, 0);
    g_assert_cmphex(rd(ICR) & 0x10, ==, 0);
    /* A read address, then a byte with STOP: the idle bus reads 0xff. */
    wr(IDBR, (0x50 << 1) | 1);
    wr(ICR, 0x0560 | 0x0009);
    g_assert_cmphex(rd(I2C_ISR) & 0x5, ==, 0x5);  /* UB, RWM */
    wr(I2C_ISR, 0x7f0);
    wr(ICR, 0x0560 | 0x000e);                /* STOP, ACKNAK, TB */
    g_assert_cmphex(rd(IDBR), ==, 0xff);
    g_assert_cmphex(rd(I2C_ISR), ==, 0x82);  /* IRF, ACKNAK sent */
    /* Unit reset. */
    wr(ICR, 0x4000);
    g_assert_cmphex(rd(I2C_ISR), ==, 0);
    wr(ICR, 0);
    g_assert_cmpint(t->irq.level, ==, 0);
    test_dev_free(t);

    /* The power-manager unit: PIBMR at 0x40f00180. */
    {
        DeviceState *dev = qdev_new(TYPE_PXA2XX_I2C);
        Error *err = NULL;

        object_property_set_uint(OBJECT(dev), "size", PXA2XX_PWRI2C_SIZE,
                                 &error_fatal);
        object_property_set_uint(OBJECT(dev), "offset", PXA2XX_PWRI2C_OFFSET,
                                 &error_fatal);
        t = test_dev_map(dev, PXA2XX_PWRI2C_BASE);
        g_assert_cmphex(rd(0x40f00180), ==, 0x3);
        wr(0x40f001a0, 0x12);
        g_assert_cmphex(rd(0x40f001a0), ==, 0x12);
        test_dev_free(t);

        dev = qdev_new(TYPE_PXA2XX_I2C);
        object_property_set_uint(OBJECT(dev), "size", 0x100, &error_fatal);
        g_assert_false(qdev_realize(dev, sysbus_get_default(), &err));
        g_assert_cmpstr(error_get_pretty(err), ==,
                        "pxa2xx-i2c: offset 0x1600 puts the registers "
                        "(0x1680..0x16a3) outside the region of size 0x100 "
                        "(need offset + 0xa4 <= size)");
        error_free(err);
        object_unref(OBJECT(dev));
    }
}

/* ---- SSP ---- */

#define SSP 0x41000000

static void test_ssp(void)
{
    TestDev *t = test_dev_new(TYPE_PXA2XX_SSP, SSP);

    g_assert_cmphex(rd(SSP + 0x00), ==, 0);
    g_assert_cmphex(rd(SSP + 0x04), ==, 0);
    g_assert_cmphex(rd(SSP + 0x08), ==, 0x04);   /* TNF */
    g_assert_cmphex(rd(SSP + 0x0c), ==, 0);
    g_assert_cmphex(rd(SSP + 0x10), ==, 0);      /* RX FIFO empty */
    wr(SSP + 0x00, 0x0000ff07);
    wr(SSP + 0x04, 0x00000002);                  /* TIE */
    g_assert_cmphex(rd(SSP + 0x00), ==, 0x0000ff07);
    g_assert_cmphex(rd(SSP + 0x04), ==, 0x00000002);
    g_assert_cmpint(t->irq.level, ==, 0);
    /* Enabled (SSE), the empty TX FIFO asks for data. */
    wr(SSP + 0x00, 0x0000ff87);
    g_assert_cmphex(rd(SSP + 0x08), ==, 0x24);
    g_assert_cmpint(t->irq.level, ==, 1);
    wr(SSP + 0x10, 0x1234);                      /* discarded */
    g_assert_cmphex(rd(SSP + 0x08), ==, 0x24);
    wr(SSP + 0x04, 0);
    g_assert_cmpint(t->irq.level, ==, 0);
    /* The test register forces ROR, which interrupts. */
    wr(SSP + 0x0c, 0x80);
    g_assert_cmphex(rd(SSP + 0x08), ==, 0xa4);
    g_assert_cmpint(t->irq.level, ==, 1);
    wr(SSP + 0x0c, 0);
    g_assert_cmpint(t->irq.level, ==, 0);
    wr(SSP + 0x28, 0x55);
    wr(SSP + 0x2c, 0x66);
    g_assert_cmphex(rd(SSP + 0x28), ==, 0x55);
    g_assert_cmphex(rd(SSP + 0x2c), ==, 0x66);
    device_reset(t->dev);
    g_assert_cmphex(rd(SSP + 0x00), ==, 0);
    g_assert_cmphex(rd(SSP + 0x08), ==, 0x04);
    test_dev_free(t);
}

/* ---- I2S ---- */

#define I2S 0x40400000

static void test_i2s(void)
{
    TestDev *t = test_dev_new(TYPE_PXA2XX_I2S, I2S);

    g_assert_cmphex(rd(I2S + 0x00), ==, 0x7700);
    g_assert_cmphex(rd(I2S + 0x04), ==, 0);
    g_assert_cmphex(rd(I2S + 0x0c), ==, 0x81);   /* I2SOFF, TNF */
    g_assert_cmphex(rd(I2S + 0x14), ==, 0);
    g_assert_cmphex(rd(I2S + 0x60), ==, 0x1a);
    wr(I2S + 0x04, 0x39);
    wr(I2S + 0x60, 0x0c);
    g_assert_cmphex(rd(I2S + 0x04), ==, 0x39);
    g_assert_cmphex(rd(I2S + 0x60), ==, 0x0c);
    wr(I2S + 0x14, 0x08);                        /* TFS interrupt */
    g_assert_cmpint(t->irq.level, ==, 0);
    wr(I2S + 0x00, 0x7701);                      /* ENB */
    g_assert_cmphex(rd(I2S + 0x0c), ==, 0x09);
    g_assert_cmpint(t->irq.level, ==, 1);
    wr(I2S + 0x80, 0x12345678);                  /* discarded */
    g_assert_cmphex(rd(I2S + 0x80), ==, 0);
    wr(I2S + 0x00, 0x7700);
    g_assert_cmpint(t->irq.level, ==, 0);
    device_reset(t->dev);
    g_assert_cmphex(rd(I2S + 0x60), ==, 0x1a);
    g_assert_cmphex(rd(I2S + 0x14), ==, 0);
    test_dev_free(t);
}

/* ---- PCMCIA ---- */

static void test_pcmcia(void)
{
    TestDev *t = test_dev_new(TYPE_PXA2XX_PCMCIA, 0x20000000);

    g_assert_cmphex(ld(0x20000000, 1), ==, 0xff);            /* I/O */
    g_assert_cmphex(ld(0x28000000, 2), ==, 0xffff);          /* attr */
    g_assert_cmphex(ld(0x2c000000, 4), ==, 0xffffffff);      /* common */
    st(0x28000000, 1, 0x41);
    g_assert_cmphex(ld(0x28000000, 1), ==, 0xff);
    test_dev_free(t);
}

/* ---- SMC91C111 ---- */

#define SMC 0x04000300

static void smc_bank(unsigned bank)
{
    st(SMC + 14, 2, bank);
}

static TestDev *new_smc(void)
{
    return test_dev_new(TYPE_SMC91C111, SMC);
}

static void test_smc_registers(void)
{
    TestDev *t = new_smc();

    /* Bank select: the high byte reads 0x33 in every bank. */
    g_assert_cmphex(ld(SMC + 14, 2), ==, 0x3300);
    smc_bank(3);
    g_assert_cmphex(ld(SMC + 14, 2), ==, 0x3303);
    g_assert_cmphex(ld(SMC + 10, 2), ==, 0x3391);        /* REV */
    g_assert_cmphex(ld(SMC + 8, 2), ==, 0x3330);         /* MGMT */
    g_assert_cmphex(ld(SMC + 12, 2), ==, 0x001f);        /* ERCV */
    st(SMC + 0, 4, 0x04030201);                          /* MT0-3 */
    g_assert_cmphex(ld(SMC + 0, 4), ==, 0x04030201);

    smc_bank(0);
    g_assert_cmphex(ld(SMC + 0, 2), ==, 0x0000);         /* TCR */
    g_assert_cmphex(ld(SMC + 2, 2), ==, 0x4000);         /* EPH: link */
    g_assert_cmphex(ld(SMC + 4, 2), ==, 0x0000);         /* RCR */
    g_assert_cmphex(ld(SMC + 8, 2), ==, 0x0404);         /* MIR */
    st(SMC + 10, 2, 0x0800);                             /* RPCR */
    g_assert_cmphex(ld(SMC + 10, 2), ==, 0x0800);

    /* Bank 1: the MAC address from the property, byte by byte. */
    smc_bank(1);
    g_assert_cmphex(ld(SMC + 0, 2), ==, 0xa0b1);         /* CONFIG */
    g_assert_cmphex(ld(SMC + 2, 2), ==, 0x1801);         /* BASE */
    g_assert_cmphex(ld(SMC + 12, 2), ==, 0x1210);        /* CONTROL */
    g_assert_cmphex(ld(SMC + 4, 1), ==, 0x52);
    g_assert_cmphex(ld(SMC + 4, 2), ==, 0x5452);
    g_assert_cmphex(ld(SMC + 6, 2), ==, 0x1200);
    g_assert_cmphex(ld(SMC + 8, 2), ==, 0x5634);
    st(SMC + 4, 2, 0x0002);
    g_assert_cmphex(ld(SMC + 4, 2), ==, 0x0002);
    /* EEPROM reload brings the address back and clears itself. */
    st(SMC + 12, 2, 0x1212);
    g_assert_cmphex(ld(SMC + 12, 2), ==, 0x1210);
    g_assert_cmphex(ld(SMC + 4, 2), ==, 0x5452);
    /* Still bank 1 after all this. */
    g_assert_cmphex(ld(SMC + 14, 2), ==, 0x3301);
    test_dev_free(t);

    /* Another MAC, and a bad one. */
    {
        DeviceState *dev = qdev_new(TYPE_SMC91C111);
        Error *err = NULL;

        object_property_set_str(OBJECT(dev), "mac", "00:11:22:aa:bb:cc",
                                &error_fatal);
        t = test_dev_map(dev, SMC);
        smc_bank(1);
        g_assert_cmphex(ld(SMC + 4, 4), ==, 0xaa221100);
        g_assert_cmphex(ld(SMC + 8, 2), ==, 0xccbb);
        test_dev_free(t);

        dev = qdev_new(TYPE_SMC91C111);
        object_property_set_str(OBJECT(dev), "mac", "00:11:22", &error_fatal);
        g_assert_false(qdev_realize(dev, sysbus_get_default(), &err));
        g_assert_cmpstr(error_get_pretty(err), ==,
                        "smc91c111: mac '00:11:22' is not a MAC address "
                        "(accepted: six hex bytes separated by colons, "
                        "e.g. 52:54:00:12:34:56)");
        error_free(err);
        object_unref(OBJECT(dev));
    }
}

static void test_smc_mmu(void)
{
    TestDev *t = new_smc();

    smc_bank(2);
    g_assert_cmphex(ld(SMC + 2, 2), ==, 0x8000);         /* PNR, ARR */
    g_assert_cmphex(ld(SMC + 4, 2), ==, 0x8080);         /* FIFOs empty */
    g_assert_cmphex(ld(SMC + 12, 1), ==, 0x04);          /* TX_EMPTY */
    /* Four packets, then the allocation fails and waits. */
    for (unsigned n = 0; n < 4; n++) {
        st(SMC + 0, 2, 0x20);
        g_assert_cmphex(ld(SMC + 12, 1) & 0x08, ==, 0x08);
        g_assert_cmphex(ld(SMC + 3, 1), ==, n);
    }
    smc_bank(0);
    g_assert_cmphex(ld(SMC + 8, 2), ==, 0x0004);         /* none free */
    smc_bank(2);
    st(SMC + 13, 1, 0x08);                               /* ALLOC irq */
    st(SMC + 0, 2, 0x20);
    g_assert_cmphex(ld(SMC + 3, 1), ==, 0x80);           /* FAILED */
    g_assert_cmphex(ld(SMC + 12, 1) & 0x08, ==, 0);
    g_assert_cmpint(t->irq.level, ==, 0);
    /* Releasing packet 2 satisfies the pending request. */
    st(SMC + 2, 1, 2);
    st(SMC + 0, 2, 0xa0);
    g_assert_cmphex(ld(SMC + 3, 1), ==, 2);
    g_assert_cmpint(t->irq.level, ==, 1);
    /* Release two, then MMU reset frees everything. */
    st(SMC + 2, 1, 1);
    st(SMC + 0, 2, 0xa0);
    smc_bank(0);
    g_assert_cmphex(ld(SMC + 8, 2), ==, 0x0104);
    smc_bank(2);
    st(SMC + 0, 2, 0x40);
    g_assert_cmphex(ld(SMC + 3, 1), ==, 0x80);
    g_assert_cmpint(t->irq.level, ==, 0);                /* ALLOC gone */
    smc_bank(0);
    g_assert_cmphex(ld(SMC + 8, 2), ==, 0x0404);
    test_dev_free(t);
}

static void test_smc_tx(void)
{
    static const uint8_t frame[] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff,  0x52, 0x54, 0x00, 0x12, 0x34,
        0x56, 0x08, 0x06, 0xde, 0xad,
    };
    TestDev *t = new_smc();
    unsigned pkt;
    uint16_t status;

    smc_bank(0);
    st(SMC + 0, 2, 0x0001);                  /* TCR: TXENA */
    smc_bank(2);
    st(SMC + 0, 2, 0x20);
    pkt = ld(SMC + 3, 1);
    g_assert_cmpuint(pkt, ==, 0);
    st(SMC + 2, 1, pkt);
    /* Status, byte count, data, control byte, auto-increment. */
    st(SMC + 6, 2, 0x4000);
    st(SMC + 8, 2, 0);
    st(SMC + 8, 2, 4 + sizeof(frame) + 2);
    for (size_t i = 0; i < sizeof(frame); i += 4) {
        st(SMC + 8, 4, frame[i] | frame[i + 1] << 8 | frame[i + 2] << 16 |
           (uint32_t)frame[i + 3] << 24);
    }
    st(SMC + 8, 2, 0);
    g_assert_cmphex(ld(SMC + 6, 2), ==, 0x4000 + 4 + sizeof(frame) + 2);
    /* The bytes read back through the pointer. */
    st(SMC + 6, 2, 0x6004);                  /* AUTO_INCR, READ, 4 */
    g_assert_cmphex(ld(SMC + 8, 4), ==, 0xffffffff);
    g_assert_cmphex(ld(SMC + 8, 2), ==, 0xffff);
    g_assert_cmphex(ld(SMC + 8, 1), ==, 0x52);

    /* Interrupts: TX_INT and TX_EMPTY; ack TX_EMPTY first. */
    st(SMC + 12, 1, 0x04);
    g_assert_cmphex(ld(SMC + 12, 1), ==, 0x08);  /* ALLOC still set */
    st(SMC + 13, 1, 0x06);
    g_assert_cmpint(t->irq.level, ==, 0);
    st(SMC + 0, 2, 0xc0);                    /* enqueue */
    g_assert_cmpint(t->irq.level, ==, 1);
    g_assert_cmphex(ld(SMC + 12, 1), ==, 0x0e);
    g_assert_cmphex(ld(SMC + 4, 2), ==, 0x8000 | pkt);  /* TX done */
    /* The status word went into the packet. */
    st(SMC + 6, 2, 0x6000);
    status = ld(SMC + 8, 2);
    g_assert_cmphex(status, ==, 0x4001);     /* LINK_OK, TX_SUC */
    smc_bank(0);
    g_assert_cmphex(ld(SMC + 2, 2), ==, 0x4001);
    smc_bank(2);
    /* Release the packet and acknowledge: the interrupt goes. */
    st(SMC + 0, 2, 0xa0);
    st(SMC + 12, 1, 0x06);
    g_assert_cmphex(ld(SMC + 4, 2), ==, 0x8080);
    g_assert_cmphex(ld(SMC + 12, 1), ==, 0x08);
    g_assert_cmpint(t->irq.level, ==, 0);

    /* With AUTO_RELEASE the packet frees itself: only TX_EMPTY. */
    smc_bank(1);
    st(SMC + 12, 2, 0x1a10);
    smc_bank(2);
    st(SMC + 0, 2, 0x20);
    st(SMC + 2, 1, ld(SMC + 3, 1));
    st(SMC + 0, 2, 0xc0);
    g_assert_cmphex(ld(SMC + 4, 2), ==, 0x8080);
    g_assert_cmphex(ld(SMC + 12, 1), ==, 0x0c);
    g_assert_cmpint(t->irq.level, ==, 1);
    smc_bank(0);
    g_assert_cmphex(ld(SMC + 8, 2), ==, 0x0404);

    /* With TXENA clear a packet waits in the TX FIFO. */
    st(SMC + 0, 2, 0x0000);
    smc_bank(2);
    st(SMC + 12, 1, 0x04);
    st(SMC + 0, 2, 0x20);
    st(SMC + 2, 1, ld(SMC + 3, 1));
    st(SMC + 0, 2, 0xc0);
    g_assert_cmphex(ld(SMC + 12, 1) & 0x04, ==, 0);
    smc_bank(0);
    st(SMC + 0, 2, 0x0001);
    smc_bank(2);
    g_assert_cmphex(ld(SMC + 12, 1) & 0x04, ==, 0x04);

    /* Soft reset: registers back to their reset values. */
    smc_bank(0);
    st(SMC + 4, 2, 0x8000);
    st(SMC + 4, 2, 0x0000);
    g_assert_cmphex(ld(SMC + 0, 2), ==, 0);
    smc_bank(1);
    g_assert_cmphex(ld(SMC + 12, 2), ==, 0x1210);
    test_dev_free(t);
}

static void remove_tmpdir(void)
{
    g_autoptr(GDir) dir = g_dir_open(tmpdir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *path = tmp_path(name);

        unlink(path);
    }
    rmdir(tmpdir);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    g_assert_nonnull(mkdtemp(tmpdir));
    memory_system_init(true);
    bql_lock();

    g_test_add_func("/pxa/uart/registers", test_uart_registers);
    g_test_add_func("/pxa/uart/output", test_uart_output);
    g_test_add_func("/pxa/uart/input", test_uart_input);
    g_test_add_func("/pxa/uart/errors", test_uart_errors);
    g_test_add_func("/pxa/lcd", test_lcd);
    g_test_add_func("/pxa/mmci", test_mmci);
    g_test_add_func("/pxa/i2c", test_i2c);
    g_test_add_func("/pxa/ssp", test_ssp);
    g_test_add_func("/pxa/i2s", test_i2s);
    g_test_add_func("/pxa/pcmcia", test_pcmcia);
    g_test_add_func("/smc91c111/registers", test_smc_registers);
    g_test_add_func("/smc91c111/mmu", test_smc_mmu);
    g_test_add_func("/smc91c111/tx", test_smc_tx);
    ret = g_test_run();

    chardev_cleanup_all();
    remove_tmpdir();
    return ret;
}
