/*
 * Tests for the PXA255 SoC core: interrupt controller, OS timers and
 * watchdog, RTC, GPIO, clocks and power manager, memory controller, DMA,
 * and the SoC assembly (pxa255_init) with interrupts reaching the CPU.
 *
 * Devices are made through the object model at their PXA255 addresses
 * and driven with 32-bit accesses on the system address space, as the
 * core would; timers run on the virtual clock with glib's main context
 * dispatched as emu's main loop does.  The SoC test builds the whole
 * chip, so it runs in a subprocess with a memory map of its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "test-line.h"
#include "bus-access.h"
#include "main-loop-util.h"
#include "hw/arm/pxa.h"
#include "hw/core/cpu.h"
#include "softmmu/memory.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"
#include "sysemu/timer.h"
#include "target/arm/cpu.h"

#define PIC_BASE    0x40d00000
#define OST_BASE    0x40a00000
#define RTC_BASE    0x40900000
#define GPIO_BASE   0x40e00000
#define CM_BASE     0x41300000
#define PM_BASE     0x40f00000
#define MM_BASE     0x48000000
#define DMA_BASE    0x40000000
#define RAM_BASE    0xa0000000

#define ICIP (PIC_BASE + 0x00)
#define ICMR (PIC_BASE + 0x04)
#define ICLR (PIC_BASE + 0x08)
#define ICFP (PIC_BASE + 0x0c)
#define ICPR (PIC_BASE + 0x10)
#define ICCR (PIC_BASE + 0x14)

#define OSMR(n) (OST_BASE + 4 * (n))
#define OSCR (OST_BASE + 0x10)
#define OSSR (OST_BASE + 0x14)
#define OWER (OST_BASE + 0x18)
#define OIER (OST_BASE + 0x1c)
#define OST_HZ 3686400

#define RCNR (RTC_BASE + 0x00)
#define RTAR (RTC_BASE + 0x04)
#define RTSR (RTC_BASE + 0x08)
#define RTTR (RTC_BASE + 0x0c)

#define GPLR(b) (GPIO_BASE + 0x00 + 4 * (b))
#define GPDR(b) (GPIO_BASE + 0x0c + 4 * (b))
#define GPSR(b) (GPIO_BASE + 0x18 + 4 * (b))
#define GPCR(b) (GPIO_BASE + 0x24 + 4 * (b))
#define GRER(b) (GPIO_BASE + 0x30 + 4 * (b))
#define GFER(b) (GPIO_BASE + 0x3c + 4 * (b))
#define GEDR(b) (GPIO_BASE + 0x48 + 4 * (b))
#define GAFR(n) (GPIO_BASE + 0x54 + 4 * (n))

#define DCSR(n) (DMA_BASE + 4 * (n))
#define DINT (DMA_BASE + 0xf0)
#define DRCMR(n) (DMA_BASE + 0x100 + 4 * (n))
#define DDADR(n) (DMA_BASE + 0x200 + 16 * (n))
#define DSADR(n) (DDADR(n) + 4)
#define DTADR(n) (DDADR(n) + 8)
#define DCMD(n) (DDADR(n) + 12)

#define DCSR_RUN (1u << 31)
#define DCSR_NODESCFETCH (1u << 30)
#define DCSR_STOPIRQEN (1u << 29)
#define DCSR_STOPSTATE (1u << 3)
#define DCSR_ENDINTR (1u << 2)
#define DCSR_STARTINTR (1u << 1)
#define DCSR_BUSERRINTR (1u << 0)
#define DCMD_INC (3u << 30)
#define DCMD_FLOWTRG (1u << 28)
#define DCMD_STARTIRQEN (1u << 22)
#define DCMD_ENDIRQEN (1u << 21)

/* ---- access and helpers ---- */

/* The devices under test, made once (not in the SoC subprocess). */
static struct {
    DeviceState *pic, *ost, *rtc, *gpio, *clkpm, *memctl, *dma;
    TestLine *irq, *fiq;
    TestLine *ost_out[4];
    TestLine *rtc_hz, *rtc_alarm;
    TestLine *gpio_irq[3];
    TestLine *gpio_pin3;
    TestLine *dma_irq;
    MemoryRegion ram;
} t;

static DeviceState *new_device(const char *type, hwaddr base)
{
    DeviceState *dev = qdev_new(type);

    g_assert_true(qdev_realize_and_unref(dev, sysbus_get_default(),
                                         &error_fatal));
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, base);
    device_reset(dev);
    return dev;
}

static void setup_devices(void)
{
    static bool done;

    if (done) {
        return;
    }
    done = true;
    t.pic = new_device(TYPE_PXA2XX_PIC, PIC_BASE);
    t.irq = test_line_connect(t.pic, PXA2XX_PIC_OUT_IRQ);
    t.fiq = test_line_connect(t.pic, PXA2XX_PIC_OUT_FIQ);

    t.ost = new_device(TYPE_PXA25X_TIMER, OST_BASE);
    for (int n = 0; n < 4; n++) {
        t.ost_out[n] = test_line_connect(t.ost, n);
    }
    t.clkpm = new_device(TYPE_PXA2XX_CLKPM, CM_BASE);
    sysbus_mmio_map(SYS_BUS_DEVICE(t.clkpm), 1, PM_BASE);
    device_reset(t.clkpm);
    qdev_connect_gpio_out(t.ost, PXA2XX_OST_OUT_WATCHDOG,
                          qdev_get_gpio_in(t.clkpm, PXA2XX_CLKPM_IN_WATCHDOG));

    t.rtc = new_device(TYPE_PXA2XX_RTC, RTC_BASE);
    t.rtc_hz = test_line_connect(t.rtc, 0);
    t.rtc_alarm = test_line_connect(t.rtc, 1);

    t.gpio = new_device(TYPE_PXA2XX_GPIO, GPIO_BASE);
    for (int n = 0; n < 3; n++) {
        t.gpio_irq[n] = test_line_connect(t.gpio, n);
    }
    t.gpio_pin3 = test_line_connect(t.gpio, PXA2XX_GPIO_OUT_LINE0 + 3);

    t.memctl = new_device(TYPE_PXA2XX_MEMCTL, MM_BASE);
    t.dma = new_device(TYPE_PXA2XX_DMA, DMA_BASE);
    t.dma_irq = test_line_connect(t.dma, 0);

    g_assert_true(memory_region_init_ram(&t.ram, NULL, "test.sdram",
                                         0x100000, &error_fatal));
    memory_region_add_subregion(get_system_memory(), RAM_BASE, &t.ram);
}

/* ---- interrupt controller ---- */

static void test_pic(void)
{
    IRQLine *ost0, *rtc_alarm;

    setup_devices();
    device_reset(t.pic);
    ost0 = qdev_get_gpio_in(t.pic, PXA2XX_PIC_OST0);
    rtc_alarm = qdev_get_gpio_in(t.pic, PXA2XX_PIC_RTC_ALARM);
    for (hwaddr a = ICIP; a <= ICCR; a += 4) {
        g_assert_cmphex(rd(a), ==, 0);
    }

    /* Pending but masked: ICPR shows it, nothing reaches the core. */
    irq_raise(ost0);
    g_assert_cmphex(rd(ICPR), ==, 1u << 26);
    g_assert_cmphex(rd(ICIP), ==, 0);
    g_assert_cmphex(rd(ICFP), ==, 0);
    g_assert_cmpint(t.irq->level, ==, 0);

    /* Unmasked: an IRQ. */
    wr(ICMR, 1u << 26);
    g_assert_cmphex(rd(ICIP), ==, 1u << 26);
    g_assert_cmpint(t.irq->level, ==, 1);
    g_assert_cmpint(t.fiq->level, ==, 0);

    /* ICLR moves it to FIQ. */
    wr(ICLR, 1u << 26);
    g_assert_cmphex(rd(ICIP), ==, 0);
    g_assert_cmphex(rd(ICFP), ==, 1u << 26);
    g_assert_cmpint(t.irq->level, ==, 0);
    g_assert_cmpint(t.fiq->level, ==, 1);

    /* A second source on IRQ while the first stays on FIQ. */
    wr(ICMR, (1u << 26) | (1u << 31));
    irq_raise(rtc_alarm);
    g_assert_cmphex(rd(ICPR), ==, (1u << 26) | (1u << 31));
    g_assert_cmphex(rd(ICIP), ==, 1u << 31);
    g_assert_cmphex(rd(ICFP), ==, 1u << 26);
    g_assert_cmpint(t.irq->level, ==, 1);
    g_assert_cmpint(t.fiq->level, ==, 1);

    /* Sources are levels: lowering them clears everything. */
    irq_lower(ost0);
    irq_lower(rtc_alarm);
    g_assert_cmphex(rd(ICPR), ==, 0);
    g_assert_cmpint(t.irq->level, ==, 0);
    g_assert_cmpint(t.fiq->level, ==, 0);

    /* Masking a pending source drops the line at once. */
    irq_raise(rtc_alarm);
    g_assert_cmpint(t.irq->level, ==, 1);
    wr(ICMR, 0);
    g_assert_cmpint(t.irq->level, ==, 0);
    irq_lower(rtc_alarm);

    /* ICCR keeps DIM only; the pending views are read-only. */
    wr(ICCR, 0xffffffff);
    g_assert_cmphex(rd(ICCR), ==, 1);
    wr(ICPR, 0xffffffff);
    wr(ICIP, 0xffffffff);
    g_assert_cmphex(rd(ICPR), ==, 0);

    device_reset(t.pic);
    g_assert_cmphex(rd(ICCR), ==, 0);
    g_assert_cmphex(rd(ICLR), ==, 0);
}

/* ---- OS timers ---- */

static void ost_reset(void)
{
    setup_devices();
    device_reset(t.ost);
    g_assert_cmphex(rd(OSSR), ==, 0);
    g_assert_cmphex(rd(OIER), ==, 0);
    g_assert_cmphex(rd(OWER), ==, 0);
}

static uint64_t ns_to_ticks(int64_t ns)
{
    return (uint64_t)ns * OST_HZ / NANOSECONDS_PER_SECOND;
}

static void test_ost_rate(void)
{
    int64_t ta, tb, tc, td;
    uint32_t count;

    ost_reset();
    ta = clock_virtual_ns();
    wr(OSCR, 0x1000);
    tb = clock_virtual_ns();
    g_usleep(50 * 1000);
    tc = clock_virtual_ns();
    count = rd(OSCR) - 0x1000;
    td = clock_virtual_ns();
    /* The count is the ticks between the write and the read. */
    g_assert_cmpuint(count, >=, ns_to_ticks(tc - tb));
    g_assert_cmpuint(count, <=, ns_to_ticks(td - ta));
    g_assert_cmpuint(count, >=, OST_HZ / 20);

    /* A stopped clock stops the counter. */
    clock_virtual_stop();
    count = rd(OSCR);
    g_usleep(10 * 1000);
    g_assert_cmphex(rd(OSCR), ==, count);
    clock_virtual_start();
}

static void test_ost_match(void)
{
    int64_t start, fired;
    uint32_t match = OST_HZ / 20;            /* 50 ms */

    ost_reset();
    wr(OSCR, 0);
    start = clock_virtual_ns();
    wr(OSMR(0), match);
    wr(OIER, 1);
    g_assert_cmpint(t.ost_out[0]->level, ==, 0);
    WAIT_FOR(t.ost_out[0]->level);
    fired = clock_virtual_ns();
    g_assert_cmpint(fired - start, >=, 50 * 1000 * 1000 - 1000);
    g_assert_cmpuint(rd(OSCR), >=, match);
    g_assert_cmphex(rd(OSSR), ==, 1);

    /* OSSR is write 1 to clear; writing 0 changes nothing. */
    wr(OSSR, 0);
    g_assert_cmphex(rd(OSSR), ==, 1);
    wr(OSSR, 1);
    g_assert_cmphex(rd(OSSR), ==, 0);
    g_assert_cmpint(t.ost_out[0]->level, ==, 0);

    /* A match with its interrupt disabled sets no status. */
    wr(OIER, 0);
    wr(OSMR(1), rd(OSCR) + OST_HZ / 200);
    pump_for(20);
    g_assert_cmphex(rd(OSSR), ==, 0);
    g_assert_cmpint(t.ost_out[1]->level, ==, 0);

    /* Status with the enable off keeps the line low until enabled. */
    wr(OIER, 4);
    wr(OSMR(2), rd(OSCR) + OST_HZ / 200);
    WAIT_FOR(t.ost_out[2]->level);
    wr(OIER, 0);
    g_assert_cmpint(t.ost_out[2]->level, ==, 0);
    g_assert_cmphex(rd(OSSR), ==, 4);
    wr(OIER, 4);
    g_assert_cmpint(t.ost_out[2]->level, ==, 1);
    wr(OSSR, 4);
    wr(OIER, 0);
}

static void test_ost_wrap(void)
{
    ost_reset();
    /* About 1 ms before the counter wraps; the match is just after. */
    wr(OSCR, 0xffffffff - OST_HZ / 1000);
    wr(OSMR(3), 200);
    wr(OIER, 8);
    WAIT_FOR(t.ost_out[3]->level);
    g_assert_cmpuint(rd(OSCR), >=, 200);
    g_assert_cmpuint(rd(OSCR), <, 0x80000000);
    g_assert_cmphex(rd(OSSR), ==, 8);
    wr(OSSR, 8);
    wr(OIER, 0);
}

/* Runs the main loop's request handling until cond holds. */
#define WAIT_FOR_REQUESTS(cond)                                           \
    WAIT_FOR(({ int st_; (void)main_loop_should_exit(&st_); (cond); }))

static void test_ost_watchdog(void)
{
    int status = -1;

    ost_reset();
    device_reset(t.clkpm);
    g_assert_cmphex(rd(PM_BASE + 0x30), ==, 1);          /* RCSR: HWR */

    /* OWER.WME cannot be cleared by software. */
    wr(OSMR(3), rd(OSCR) + OST_HZ / 100);
    wr(OWER, 1);
    wr(OWER, 0);
    g_assert_cmphex(rd(OWER), ==, 1);

    /* The match resets the machine: every device on the system bus,
     * this timer among them, and RCSR records a watchdog reset. */
    wr(PM_BASE + 0x08, 0x12345678);                      /* PSPR */
    WAIT_FOR_REQUESTS(rd(OWER) == 0);
    g_assert_cmphex(rd(PM_BASE + 0x30), ==, 3);          /* HWR | WDR */
    g_assert_cmphex(rd(PM_BASE + 0x08), ==, 0);
    wr(PM_BASE + 0x30, 3);
    g_assert_cmphex(rd(PM_BASE + 0x30), ==, 0);

    /* With -no-reboot the watchdog ends emu instead. */
    runstate_set_no_reboot(true);
    wr(OSMR(3), rd(OSCR) + OST_HZ / 100);
    wr(OWER, 1);
    WAIT_FOR(main_loop_should_exit(&status));
    runstate_set_no_reboot(false);
    device_reset(t.ost);
    device_reset(t.clkpm);
}

/* ---- RTC ---- */

static void test_rtc(void)
{
    uint32_t now;

    setup_devices();
    device_reset(t.rtc);
    g_assert_cmphex(rd(RTTR), ==, 0x7fff);
    g_assert_cmphex(rd(RTSR), ==, 0);
    g_assert_cmpuint(rd(RCNR), >=, (uint32_t)time(NULL) - 1);
    g_assert_cmpuint(rd(RCNR), <=, (uint32_t)time(NULL) + 1);

    /* Set the count; it goes on counting seconds from there. */
    wr(RCNR, 1000);
    now = rd(RCNR);
    g_assert_cmpuint(now, >=, 1000);
    g_assert_cmpuint(now, <=, 1001);
    g_usleep(1100 * 1000);
    g_assert_cmpuint(rd(RCNR), >=, now + 1);
    g_assert_cmpuint(rd(RCNR), <=, now + 2);

    /* The alarm: AL and its interrupt when RCNR reaches RTAR. */
    wr(RTAR, rd(RCNR) + 1);
    wr(RTSR, 1u << 2);                                   /* ALE */
    WAIT_FOR(t.rtc_alarm->level);
    g_assert_cmpuint(rd(RCNR), ==, rd(RTAR));
    g_assert_cmphex(rd(RTSR) & 1, ==, 1);
    wr(RTSR, (1u << 2) | 1);                             /* clear AL */
    g_assert_cmphex(rd(RTSR), ==, 1u << 2);
    g_assert_cmpint(t.rtc_alarm->level, ==, 0);

    /* The 1 Hz tick. */
    wr(RTSR, 1u << 3);                                   /* HZE */
    WAIT_FOR(t.rtc_hz->level);
    g_assert_cmphex(rd(RTSR), ==, (1u << 3) | (1u << 1));
    wr(RTSR, 1u << 1);                                   /* clear, off */
    g_assert_cmpint(t.rtc_hz->level, ==, 0);
    g_assert_cmphex(rd(RTSR), ==, 0);

    /* RTTR reads back until LCK locks it. */
    wr(RTTR, 0x1234);
    g_assert_cmphex(rd(RTTR), ==, 0x1234);
    wr(RTTR, 0x80000005);
    wr(RTTR, 0x7fff);
    g_assert_cmphex(rd(RTTR), ==, 0x80000005);
    device_reset(t.rtc);
    g_assert_cmphex(rd(RTTR), ==, 0x7fff);
}

/* ---- GPIO ---- */

static void test_gpio(void)
{
    IRQLine *in0, *in5, *in84;
    Error *err = NULL;
    DeviceState *bad;

    setup_devices();
    in0 = qdev_get_gpio_in(t.gpio, 0);
    in5 = qdev_get_gpio_in(t.gpio, 5);
    in84 = qdev_get_gpio_in(t.gpio, 84);
    irq_lower(in0);
    irq_lower(in5);
    irq_lower(in84);
    device_reset(t.gpio);
    for (int b = 0; b < 3; b++) {
        g_assert_cmphex(rd(GPDR(b)), ==, 0);
        g_assert_cmphex(rd(GEDR(b)), ==, 0);
    }

    /* Input levels show in GPLR; without edge enables no status. */
    irq_raise(in5);
    irq_raise(in84);
    g_assert_cmphex(rd(GPLR(0)), ==, 1u << 5);
    g_assert_cmphex(rd(GPLR(2)), ==, 1u << 20);
    g_assert_cmphex(rd(GEDR(0)), ==, 0);

    /* A rising edge on GPIO5 with GRER: GEDR and the GPIO_X interrupt. */
    irq_lower(in5);
    wr(GRER(0), 1u << 5);
    irq_raise(in5);
    g_assert_cmphex(rd(GEDR(0)), ==, 1u << 5);
    g_assert_cmpint(t.gpio_irq[2]->level, ==, 1);
    g_assert_cmpint(t.gpio_irq[0]->level, ==, 0);
    irq_lower(in5);                          /* falling: not enabled */
    wr(GEDR(0), 1u << 5);
    g_assert_cmphex(rd(GEDR(0)), ==, 0);
    g_assert_cmpint(t.gpio_irq[2]->level, ==, 0);

    /* A falling edge on GPIO0 with GFER: the GPIO0 interrupt. */
    irq_raise(in0);
    wr(GFER(0), 1);
    irq_lower(in0);
    g_assert_cmphex(rd(GEDR(0)), ==, 1);
    g_assert_cmpint(t.gpio_irq[0]->level, ==, 1);
    g_assert_cmpint(t.gpio_irq[2]->level, ==, 0);
    wr(GEDR(0), 1);
    g_assert_cmpint(t.gpio_irq[0]->level, ==, 0);

    /* Bank 2: GPIO 84 is bit 20; edges there are GPIO_X too. */
    wr(GFER(2), 0xffffffff);
    g_assert_cmphex(rd(GFER(2)), ==, 0x1fffff);
    irq_lower(in84);
    g_assert_cmphex(rd(GEDR(2)), ==, 1u << 20);
    g_assert_cmpint(t.gpio_irq[2]->level, ==, 1);
    wr(GEDR(2), 1u << 20);
    g_assert_cmpint(t.gpio_irq[2]->level, ==, 0);

    /* Outputs: GPSR/GPCR drive the pin, GPLR reads it back, its
     * gpio-out follows, and edges on outputs are detected too. */
    wr(GRER(0), 1u << 3);
    wr(GPDR(0), 1u << 3);
    wr(GPSR(0), 1u << 3);
    g_assert_cmphex(rd(GPLR(0)), ==, 1u << 3);
    g_assert_cmpint(t.gpio_pin3->level, ==, 1);
    g_assert_cmphex(rd(GEDR(0)), ==, 1u << 3);
    wr(GPCR(0), 1u << 3);
    g_assert_cmphex(rd(GPLR(0)), ==, 0);
    g_assert_cmpint(t.gpio_pin3->level, ==, 0);
    wr(GEDR(0), 1u << 3);

    /* Alternate functions are stored. */
    wr(GAFR(0), 0xa5a5a5a5);
    wr(GAFR(5), 0x3ff);
    g_assert_cmphex(rd(GAFR(0)), ==, 0xa5a5a5a5);
    g_assert_cmphex(rd(GAFR(5)), ==, 0x3ff);

    device_reset(t.gpio);
    g_assert_cmphex(rd(GAFR(0)), ==, 0);
    g_assert_cmphex(rd(GRER(0)), ==, 0);

    bad = qdev_new(TYPE_PXA2XX_GPIO);
    object_property_set_uint(OBJECT(bad), "lines", 200, &error_fatal);
    g_assert_false(qdev_realize(bad, sysbus_get_default(), &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "pxa2xx-gpio: lines=200 is "
                    "out of range (1 to 96; the PXA255 has 85)");
    error_free(err);
    object_unref(OBJECT(bad));
}

/* ---- clocks and power manager, memory controller ---- */

static void test_clkpm(void)
{
    static const uint32_t pm_regs[] = {
        0x00, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c, 0x20, 0x24, 0x28,
        0x34,
    };

    setup_devices();
    device_reset(t.clkpm);
    g_assert_cmphex(rd(CM_BASE + 0x00), ==, 0x121);      /* CCCR */
    g_assert_cmphex(rd(CM_BASE + 0x04), ==, 0x17def);    /* CKEN */
    g_assert_cmphex(rd(CM_BASE + 0x08), ==, 0);          /* OSCC */
    for (size_t i = 0; i < G_N_ELEMENTS(pm_regs); i++) {
        g_assert_cmphex(rd(PM_BASE + pm_regs[i]), ==, 0);
    }
    g_assert_cmphex(rd(PM_BASE + 0x30), ==, 1);          /* RCSR: HWR */

    /* OON turns the oscillator on, stable at once (OOK). */
    wr(CM_BASE + 0x08, 2);
    g_assert_cmphex(rd(CM_BASE + 0x08), ==, 3);
    wr(CM_BASE + 0x08, 0);
    g_assert_cmphex(rd(CM_BASE + 0x08), ==, 3);
    wr(CM_BASE + 0x00, 0x1a1);
    wr(CM_BASE + 0x04, 0xffffffff);
    g_assert_cmphex(rd(CM_BASE + 0x00), ==, 0x1a1);
    g_assert_cmphex(rd(CM_BASE + 0x04), ==, 0x1ffff);

    /* Plain registers read back; RCSR, PSSR, PEDR are write 1 to clear. */
    wr(PM_BASE + 0x08, 0xdeadbeef);
    wr(PM_BASE + 0x0c, 0x3);
    wr(PM_BASE + 0x20, 0x1234);
    g_assert_cmphex(rd(PM_BASE + 0x08), ==, 0xdeadbeef);
    g_assert_cmphex(rd(PM_BASE + 0x0c), ==, 0x3);
    g_assert_cmphex(rd(PM_BASE + 0x20), ==, 0x1234);
    wr(PM_BASE + 0x30, 0);
    g_assert_cmphex(rd(PM_BASE + 0x30), ==, 1);
    wr(PM_BASE + 0x30, 1);
    g_assert_cmphex(rd(PM_BASE + 0x30), ==, 0);

    device_reset(t.clkpm);
    g_assert_cmphex(rd(PM_BASE + 0x08), ==, 0);
    g_assert_cmphex(rd(CM_BASE + 0x08), ==, 0);
    g_assert_cmphex(rd(PM_BASE + 0x30), ==, 1);
}

static void test_memctl(void)
{
    setup_devices();
    device_reset(t.memctl);
    for (hwaddr off = 0; off <= 0x44; off += 4) {
        uint32_t expect = off == 0x04 ? 0x03ca4000 :     /* MDREFR */
                          off == 0x14 ? 0x00000001 :     /* MECR */
                          off == 0x40 ? 0x00020002 : 0;  /* MDMRS */

        g_assert_cmphex(rd(MM_BASE + off), ==, expect);
    }
    wr(MM_BASE + 0x00, 0x0ac90ac9);                      /* MDCNFG */
    wr(MM_BASE + 0x08, 0x7ff07ff8);                      /* MSC0 */
    wr(MM_BASE + 0x44, 0xff);                            /* BOOT_DEF: RO */
    g_assert_cmphex(rd(MM_BASE + 0x00), ==, 0x0ac90ac9);
    g_assert_cmphex(rd(MM_BASE + 0x08), ==, 0x7ff07ff8);
    g_assert_cmphex(rd(MM_BASE + 0x44), ==, 0);
    device_reset(t.memctl);
    g_assert_cmphex(rd(MM_BASE + 0x00), ==, 0);
}

/* ---- DMA ---- */

static void put_desc(hwaddr at, uint32_t next, uint32_t src, uint32_t dst,
                     uint32_t cmd)
{
    wr(at, next);
    wr(at + 4, src);
    wr(at + 8, dst);
    wr(at + 12, cmd);
}

static void test_dma(void)
{
    uint8_t src[300], dst[300];

    setup_devices();
    device_reset(t.dma);
    for (int n = 0; n < 16; n++) {
        g_assert_cmphex(rd(DCSR(n)), ==, DCSR_STOPSTATE);
    }
    g_assert_cmphex(rd(DINT), ==, 0);
    for (size_t i = 0; i < sizeof(src); i++) {
        src[i] = i * 7 + 1;
    }
    g_assert_cmpint(address_space_write(&address_space_memory,
                                        RAM_BASE + 0x1000, src, sizeof(src)),
                    ==, MEMTX_OK);

    /* A chain of two descriptors on channel 3: 64 + 236 bytes. */
    put_desc(RAM_BASE + 0x100, RAM_BASE + 0x110, RAM_BASE + 0x1000,
             RAM_BASE + 0x2000, DCMD_INC | DCMD_STARTIRQEN | 64);
    put_desc(RAM_BASE + 0x110, 1, RAM_BASE + 0x1040, RAM_BASE + 0x2040,
             DCMD_INC | DCMD_ENDIRQEN | 236);
    wr(DDADR(3), RAM_BASE + 0x100);
    wr(DCSR(3), DCSR_RUN | DCSR_STOPIRQEN);
    g_assert_cmpint(address_space_read(&address_space_memory,
                                       RAM_BASE + 0x2000, dst, sizeof(dst)),
                    ==, MEMTX_OK);
    g_assert_cmpmem(src, sizeof(src), dst, sizeof(dst));
    g_assert_cmphex(rd(DCSR(3)), ==, DCSR_STOPIRQEN | DCSR_STOPSTATE |
                    DCSR_ENDINTR | DCSR_STARTINTR);
    g_assert_cmphex(rd(DINT), ==, 1u << 3);
    g_assert_cmpint(t.dma_irq->level, ==, 1);
    /* The registers tell where the last descriptor ended. */
    g_assert_cmphex(rd(DDADR(3)), ==, 1);
    g_assert_cmphex(rd(DSADR(3)), ==, RAM_BASE + 0x1000 + 300);
    g_assert_cmphex(rd(DTADR(3)), ==, RAM_BASE + 0x2000 + 300);
    g_assert_cmphex(rd(DCMD(3)) & 0x1fff, ==, 0);

    /* Clearing the status and the stop enable drops the interrupt. */
    wr(DCSR(3), DCSR_STOPIRQEN | DCSR_ENDINTR | DCSR_STARTINTR);
    g_assert_cmphex(rd(DCSR(3)), ==, DCSR_STOPIRQEN | DCSR_STOPSTATE);
    g_assert_cmpint(t.dma_irq->level, ==, 1);
    wr(DCSR(3), 0);
    g_assert_cmphex(rd(DINT), ==, 0);
    g_assert_cmpint(t.dma_irq->level, ==, 0);

    /* No-descriptor mode: the registers as written, one transfer. */
    wr(DCSR(5), DCSR_NODESCFETCH);
    wr(DSADR(5), RAM_BASE + 0x1000);
    wr(DTADR(5), RAM_BASE + 0x3000);
    wr(DCMD(5), DCMD_INC | DCMD_ENDIRQEN | 16);
    wr(DCSR(5), DCSR_RUN | DCSR_NODESCFETCH);
    g_assert_cmphex(rd(DCSR(5)), ==, DCSR_NODESCFETCH | DCSR_STOPSTATE |
                    DCSR_ENDINTR);
    g_assert_cmphex(rd(RAM_BASE + 0x3000), ==, rd(RAM_BASE + 0x1000));
    g_assert_cmphex(rd(RAM_BASE + 0x300c), ==, rd(RAM_BASE + 0x100c));
    g_assert_cmpint(t.dma_irq->level, ==, 1);
    wr(DCSR(5), DCSR_ENDINTR);
    g_assert_cmpint(t.dma_irq->level, ==, 0);

    /* A descriptor where nothing answers: a bus error, always an irq. */
    wr(DDADR(7), 0x10000000);
    wr(DCSR(7), DCSR_RUN);
    g_assert_cmphex(rd(DCSR(7)), ==, DCSR_STOPSTATE | DCSR_BUSERRINTR);
    g_assert_cmphex(rd(DINT), ==, 1u << 7);
    wr(DCSR(7), DCSR_BUSERRINTR);

    /* Peripheral-paced: logged, and the channel waits for requests. */
    put_desc(RAM_BASE + 0x120, 1, RAM_BASE + 0x1000, 0x40100000,
             DCMD_INC | DCMD_FLOWTRG | 32);
    wr(DRCMR(3), 0x80 | 9);
    g_assert_cmphex(rd(DRCMR(3)), ==, 0x89);
    wr(DDADR(9), RAM_BASE + 0x120);
    wr(DCSR(9), DCSR_RUN);
    g_assert_cmphex(rd(DCSR(9)), ==, DCSR_RUN);
    wr(DCSR(9), 0);
    g_assert_cmphex(rd(DCSR(9)), ==, DCSR_STOPSTATE);

    /* A chain that loops on itself is run a burst at a time from the
     * main loop, never all at once, until the guest stops it. */
    put_desc(RAM_BASE + 0x130, RAM_BASE + 0x130, RAM_BASE + 0x1000,
             RAM_BASE + 0x4000, DCMD_INC | 4);
    wr(DDADR(2), RAM_BASE + 0x130);
    wr(DCSR(2), DCSR_RUN);
    g_assert_cmphex(rd(DCSR(2)), ==, DCSR_RUN);
    pump_for(5);
    g_assert_cmphex(rd(DCSR(2)), ==, DCSR_RUN);
    wr(DCSR(2), 0);
    g_assert_cmphex(rd(DCSR(2)), ==, DCSR_STOPSTATE);
    device_reset(t.dma);
}

/* ---- the SoC ---- */

static bool test_machine_init(MachineState *ms, Error **errp)
{
    return true;
}

static void test_machine_class_init(ObjectClass *klass)
{
    MachineClass *mc = MACHINE_CLASS(klass);

    mc->desc = "PXA255 test machine";
    mc->init = test_machine_init;
    mc->default_ram_size = 64 * 1024 * 1024;
    mc->default_ram_id = "pxa255.sdram";
}

static const TypeInfo test_machine_types[] = {
    {
        .name = "pxa-test" TYPE_MACHINE_SUFFIX,
        .parent = TYPE_MACHINE,
        .class_init = test_machine_class_init,
    },
};

DEFINE_TYPES(test_machine_types)

static void soc_child(void)
{
    MachineState *ms = MACHINE(object_new("pxa-test" TYPE_MACHINE_SUFFIX));
    CPUARMState *env;
    PXA2xxState *soc;
    GString *mtree = g_string_new(NULL);
    static const char *const regions[] = {
        "00000000a0000000-00000000a3ffffff (prio 0, ram): pxa255.sdram",
        "000000005c000000-000000005c03ffff (prio 0, ram): pxa255.internal",
        "0000000040000000-000000004000ffff (prio 0, i/o): pxa2xx.dma",
        "0000000040900000-000000004090ffff (prio 0, i/o): pxa2xx-rtc",
        "0000000040a00000-0000000040a00fff (prio 0, i/o): pxa2xx-timer",
        "0000000040d00000-0000000040dfffff (prio 0, i/o): pxa2xx-pic",
        "0000000040e00000-0000000040e00fff (prio 0, i/o): pxa2xx-gpio",
        "0000000040f00000-0000000040f000ff (prio 0, i/o): pxa2xx-pm",
        "0000000041300000-0000000041300fff (prio 0, i/o): pxa2xx-cm",
        "0000000048000000-0000000048000fff (prio 0, i/o): pxa2xx-mm",
        "0000000040300000-000000004030ffff (prio 0, i/o): pxa2xx-i2c",
        "0000000040f00100-0000000040f001ff (prio 0, i/o): pxa2xx-i2c",
        "0000000040400000-00000000404fffff (prio 0, i/o): pxa2xx-i2s",
        "0000000041000000-0000000041000fff (prio 0, i/o): pxa2xx-ssp",
        "0000000041400000-0000000041400fff (prio 0, i/o): pxa2xx-ssp",
        "0000000041100000-00000000411fffff (prio 0, i/o): pxa2xx-mmci",
        "0000000044000000-00000000440fffff (prio 0, i/o): "
        "pxa2xx-lcd-controller",
        "0000000020000000-000000002fffffff (prio 0, i/o): pxa2xx-pcmcia",
        "0000000030000000-000000003fffffff (prio 0, i/o): pxa2xx-pcmcia",
        "0000000040000000-0000000043ffffff (prio -1000, i/o): "
        "pxa255.peripherals",
    };

    ms->ram_size = 64 * 1024 * 1024;
    g_assert_true(object_add_child(object_get_root(), "machine", OBJECT(ms),
                                   &error_fatal));
    current_machine = ms;
    soc = pxa255_init(ms, &error_fatal);
    g_assert_nonnull(soc);
    g_assert_cmpstr(object_get_typename(OBJECT(soc->cpu)), ==,
                    "pxa255-arm-cpu");
    env = &soc->cpu->env;

    memory_mtree_print(mtree, false, false, false);
    for (size_t i = 0; i < G_N_ELEMENTS(regions); i++) {
        if (!strstr(mtree->str, regions[i])) {
            g_error("info mtree lacks '%s':\n%s", regions[i], mtree->str);
        }
    }
    g_string_free(mtree, true);
    /* QEMU's paths for the devices QEMU has, /machine/soc for emu's. */
    g_assert_true(object_resolve_path("/machine/unattached/device[0]") ==
                  OBJECT(soc->cpu));
    g_assert_true(object_resolve_path("/machine/unattached/device[1]") ==
                  OBJECT(soc->pic));
    g_assert_true(object_resolve_path("/machine/unattached/device[4]") ==
                  OBJECT(soc->gpio));
    g_assert_nonnull(object_resolve_path("/machine/soc/clkpm"));
    system_reset();

    /* SDRAM and SRAM are memory. */
    wr(0xa0000000, 0x11223344);
    wr(0x5c000000, 0x55667788);
    g_assert_cmphex(rd(0xa0000000), ==, 0x11223344);
    g_assert_cmphex(rd(0x5c000000), ==, 0x55667788);
    /* An unmodelled peripheral reads zero (and logs under -d unimp). */
    g_assert_cmphex(rd(0x40500000), ==, 0);

    /* OS timer 0 -> interrupt controller -> the core's IRQ, then FIQ. */
    wr(ICMR, 1u << PXA2XX_PIC_OST0);
    wr(OSMR(0), rd(OSCR) + OST_HZ / 1000);
    wr(OIER, 1);
    WAIT_FOR(env->irq_line);
    g_assert_cmphex(rd(ICIP), ==, 1u << PXA2XX_PIC_OST0);
    wr(ICLR, 1u << PXA2XX_PIC_OST0);
    g_assert_false(env->irq_line);
    g_assert_true(env->fiq_line);
    wr(OSSR, 1);
    g_assert_false(env->fiq_line);

    /* RTC, GPIO and DMA reach their interrupt numbers. */
    wr(ICLR, 0);
    wr(ICMR, 0);
    wr(RTSR, 1u << 3);
    WAIT_FOR(rd(ICPR) & (1u << PXA2XX_PIC_RTC_HZ));
    wr(RTSR, 1u << 1);
    wr(GRER(1), 1u << 4);                               /* GPIO 36 */
    irq_raise(qdev_get_gpio_in(soc->gpio, 36));
    g_assert_cmphex(rd(ICPR), ==, 1u << PXA2XX_PIC_GPIO_X);
    wr(GEDR(1), 1u << 4);
    wr(DDADR(0), 0x10000000);
    wr(DCSR(0), DCSR_RUN);
    g_assert_cmphex(rd(ICPR), ==, 1u << PXA2XX_PIC_DMA);
    wr(DCSR(0), DCSR_BUSERRINTR);
    g_assert_cmphex(rd(ICPR), ==, 0);

    /* A system reset reaches the SoC's devices. */
    wr(ICMR, 0xffffffff);
    system_reset();
    g_assert_cmphex(rd(ICMR), ==, 0);
    g_assert_cmphex(rd(PM_BASE + 0x30), ==, 1);
}

static void test_soc(void)
{
    if (g_test_subprocess()) {
        soc_child();
        return;
    }
    g_test_trap_subprocess(NULL, 20 * G_USEC_PER_SEC, 0);
    g_test_trap_assert_passed();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    memory_system_init(true);
    bql_lock();
    clock_virtual_start();

    g_test_add_func("/pxa2xx/pic", test_pic);
    g_test_add_func("/pxa2xx/ost/rate", test_ost_rate);
    g_test_add_func("/pxa2xx/ost/match", test_ost_match);
    g_test_add_func("/pxa2xx/ost/wrap", test_ost_wrap);
    g_test_add_func("/pxa2xx/ost/watchdog", test_ost_watchdog);
    g_test_add_func("/pxa2xx/rtc", test_rtc);
    g_test_add_func("/pxa2xx/gpio", test_gpio);
    g_test_add_func("/pxa2xx/clkpm", test_clkpm);
    g_test_add_func("/pxa2xx/memctl", test_memctl);
    g_test_add_func("/pxa2xx/dma", test_dma);
    g_test_add_func("/pxa2xx/soc", test_soc);
    return g_test_run();
}
