/*
 * Tests for the virt board's devices: the GICv2, the PL011 UART, the
 * PL031 RTC and the (empty) virtio-mmio transport.  Each is made through
 * the object model, mapped where the board maps it and driven with loads
 * and stores on the memory address space, as a vCPU would; interrupt
 * outputs go to test lines.  The GIC sees the CPU making an access in
 * current_cpu, which the tests set to stand-in CPUs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <sys/socket.h>
#include <sys/un.h>
#include "test-line.h"
#include "bus-access.h"
#include "main-loop-util.h"
#include "chardev/char.h"
#include "hw/char/pl011.h"
#include "hw/core/cpu.h"
#include "hw/intc/arm_gic.h"
#include "hw/rtc/pl031.h"
#include "hw/sysbus.h"
#include "hw/virtio/virtio-mmio.h"
#include "softmmu/memory.h"
#include "sysemu/main-loop.h"
#include "sysemu/timer.h"

static char tmpdir[] = "/tmp/emu-virt-XXXXXX";

/* Maps a realized device's regions at bases, in order. */
static DeviceState *map_dev(DeviceState *dev, const hwaddr *bases, int n)
{
    g_assert_true(qdev_realize(dev, sysbus_get_default(), &error_fatal));
    for (int i = 0; i < n; i++) {
        sysbus_mmio_map(SYS_BUS_DEVICE(dev), i, bases[i]);
    }
    return dev;
}

static void free_dev(DeviceState *dev)
{
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

    for (int i = 0; i < sbd->num_mmio; i++) {
        memory_region_del_subregion(get_system_memory(),
                                    sbd->mmio[i].memory);
    }
    qdev_unrealize(dev);
    object_unref(OBJECT(dev));
}

static TestLine *connect_irq(DeviceState *dev, int n)
{
    TestLine *t = g_new0(TestLine, 1);

    t->line = irq_line_new(test_line_handler, t, 0);
    sysbus_connect_irq(SYS_BUS_DEVICE(dev), n, t->line);
    return t;
}

static void free_line(TestLine *t)
{
    irq_line_free(t->line);
    g_free(t);
}

/* ---- GIC ---- */

#define GICD 0x08000000
#define GICC 0x08010000
#define GICD_CTLR (GICD + 0x000)
#define GICD_TYPER (GICD + 0x004)
#define GICD_IIDR (GICD + 0x008)
#define GICD_ISENABLER(n) (GICD + 0x100 + (n) * 4)
#define GICD_ICENABLER(n) (GICD + 0x180 + (n) * 4)
#define GICD_ISPENDR(n) (GICD + 0x200 + (n) * 4)
#define GICD_ICPENDR(n) (GICD + 0x280 + (n) * 4)
#define GICD_ISACTIVER(n) (GICD + 0x300 + (n) * 4)
#define GICD_IPRIORITYR(irq) (GICD + 0x400 + (irq))
#define GICD_ITARGETSR(irq) (GICD + 0x800 + (irq))
#define GICD_ICFGR(n) (GICD + 0xc00 + (n) * 4)
#define GICD_SGIR (GICD + 0xf00)
#define GICD_SPENDSGIR(sgi) (GICD + 0xf20 + (sgi))
#define GICC_CTLR (GICC + 0x00)
#define GICC_PMR (GICC + 0x04)
#define GICC_BPR (GICC + 0x08)
#define GICC_IAR (GICC + 0x0c)
#define GICC_EOIR (GICC + 0x10)
#define GICC_RPR (GICC + 0x14)
#define GICC_HPPIR (GICC + 0x18)
#define GICC_IIDR (GICC + 0xfc)
#define GICC_DIR (GICC + 0x1000)

#define GIC_NUM_IRQ 288
#define SPURIOUS 1023

typedef struct GICTest {
    DeviceState *gic;
    TestLine *irq[2], *fiq[2];
    CPUState cpu[2];             /* stand-ins: only cpu_index is read */
} GICTest;

static GICTest *gic_new(void)
{
    GICTest *t = g_new0(GICTest, 1);
    const hwaddr bases[] = { GICD, GICC };

    t->gic = qdev_new(TYPE_ARM_GIC);
    object_property_set_uint(OBJECT(t->gic), "num-cpu", 2, &error_fatal);
    object_property_set_uint(OBJECT(t->gic), "num-irq", GIC_NUM_IRQ,
                             &error_fatal);
    map_dev(t->gic, bases, 2);
    for (int i = 0; i < 2; i++) {
        t->irq[i] = connect_irq(t->gic, i);
        t->fiq[i] = connect_irq(t->gic, 2 + i);
        t->cpu[i].cpu_index = i;
    }
    return t;
}

static void gic_free(GICTest *t)
{
    current_cpu = NULL;
    free_dev(t->gic);
    for (int i = 0; i < 2; i++) {
        free_line(t->irq[i]);
        free_line(t->fiq[i]);
    }
    g_free(t);
}

static void as_cpu(GICTest *t, int cpu)
{
    current_cpu = &t->cpu[cpu];
}

/* SPI n of the board's numbering is GPIO input n. */
static void gic_set_spi(GICTest *t, int id, int level)
{
    irq_set_level(qdev_get_gpio_in(t->gic, id - 32), level);
}

/* Both CPU interfaces on, every priority let through. */
static void gic_enable_all(GICTest *t)
{
    wr(GICD_CTLR, 1);
    for (int cpu = 0; cpu < 2; cpu++) {
        as_cpu(t, cpu);
        wr(GICC_CTLR, 1);
        wr(GICC_PMR, 0xff);
    }
    as_cpu(t, 0);
}

static void test_gic_ids(void)
{
    GICTest *t = gic_new();

    /* As QEMU 7.2 shows them. */
    g_assert_cmphex(rd(GICD_TYPER), ==, 8 | 1 << 5);
    g_assert_cmphex(rd(GICD_IIDR), ==, 0x43b);
    g_assert_cmphex(rd(GICC_IIDR), ==, 0x2043b);
    g_assert_cmphex(rd(GICD + 0xfd0), ==, 0x04);
    g_assert_cmphex(rd(GICD + 0xfe0), ==, 0x90);
    g_assert_cmphex(rd(GICD + 0xfe8), ==, 0x2b);
    g_assert_cmphex(rd(GICD + 0xffc), ==, 0xb1);
    /* SGIs are enabled and edge-triggered, and stay so. */
    g_assert_cmphex(rd(GICD_ISENABLER(0)), ==, 0x0000ffff);
    wr(GICD_ICENABLER(0), 0xffffffff);
    g_assert_cmphex(rd(GICD_ISENABLER(0)), ==, 0x0000ffff);
    g_assert_cmphex(rd(GICD_ICFGR(0)), ==, 0xaaaaaaaa);
    /* The banked targets: each CPU reads itself. */
    g_assert_cmphex(ld(GICD_ITARGETSR(0), 1), ==, 1);
    as_cpu(t, 1);
    g_assert_cmphex(ld(GICD_ITARGETSR(0), 1), ==, 2);
    /* Nothing pending: spurious. */
    g_assert_cmpuint(rd(GICC_IAR), ==, SPURIOUS);
    gic_free(t);
}

static void test_gic_spi_level(void)
{
    GICTest *t = gic_new();

    gic_enable_all(t);
    st(GICD_IPRIORITYR(40), 1, 0x80);
    st(GICD_ITARGETSR(40), 1, 0x01);
    g_assert_cmphex(ld(GICD_ITARGETSR(40), 1), ==, 0x01);
    /* Pending while disabled: seen in ISPENDR, not signalled. */
    gic_set_spi(t, 40, 1);
    g_assert_cmphex(rd(GICD_ISPENDR(1)), ==, 1u << 8);
    g_assert_cmpint(t->irq[0]->level, ==, 0);
    wr(GICD_ISENABLER(1), 1u << 8);
    g_assert_cmpint(t->irq[0]->level, ==, 1);
    g_assert_cmpint(t->irq[1]->level, ==, 0);   /* not a target */
    g_assert_cmpuint(rd(GICC_HPPIR), ==, 40);
    /* Acknowledged: active, running at its priority, line down. */
    g_assert_cmpuint(rd(GICC_IAR), ==, 40);
    g_assert_cmpint(t->irq[0]->level, ==, 0);
    g_assert_cmphex(rd(GICD_ISACTIVER(1)), ==, 1u << 8);
    g_assert_cmphex(rd(GICC_RPR), ==, 0x80);
    /* Still asserted at the end of the interrupt: pending again. */
    wr(GICC_EOIR, 40);
    g_assert_cmphex(rd(GICD_ISACTIVER(1)), ==, 0);
    g_assert_cmphex(rd(GICC_RPR), ==, 0xff);
    g_assert_cmpint(t->irq[0]->level, ==, 1);
    gic_set_spi(t, 40, 0);
    g_assert_cmpint(t->irq[0]->level, ==, 0);
    g_assert_cmphex(rd(GICD_ISPENDR(1)), ==, 0);
    /* Sent to CPU 1 instead. */
    st(GICD_ITARGETSR(40), 1, 0x02);
    gic_set_spi(t, 40, 1);
    g_assert_cmpint(t->irq[0]->level, ==, 0);
    g_assert_cmpint(t->irq[1]->level, ==, 1);
    as_cpu(t, 1);
    g_assert_cmpuint(rd(GICC_IAR), ==, 40);
    wr(GICC_EOIR, 40);
    /* Disabled distributor: nothing reaches a CPU. */
    wr(GICD_CTLR, 0);
    g_assert_cmpint(t->irq[1]->level, ==, 0);
    gic_free(t);
}

static void test_gic_edge_and_pending(void)
{
    GICTest *t = gic_new();

    gic_enable_all(t);
    st(GICD_ITARGETSR(50), 1, 0x01);
    wr(GICD_ICFGR(3), 2u << ((50 % 16) * 2));   /* edge-triggered */
    wr(GICD_ISENABLER(1), 1u << 18);
    /* A pulse stays pending after the line drops. */
    gic_set_spi(t, 50, 1);
    gic_set_spi(t, 50, 0);
    g_assert_cmpint(t->irq[0]->level, ==, 1);
    wr(GICD_ICPENDR(1), 1u << 18);
    g_assert_cmpint(t->irq[0]->level, ==, 0);
    /* Software sets it pending; acknowledging clears that. */
    wr(GICD_ISPENDR(1), 1u << 18);
    g_assert_cmpint(t->irq[0]->level, ==, 1);
    g_assert_cmpuint(rd(GICC_IAR), ==, 50);
    g_assert_cmphex(rd(GICD_ISPENDR(1)), ==, 0);
    wr(GICC_EOIR, 50);
    g_assert_cmpint(t->irq[0]->level, ==, 0);
    gic_free(t);
}

static void test_gic_priorities(void)
{
    GICTest *t = gic_new();

    gic_enable_all(t);
    for (int id = 33; id <= 35; id++) {
        st(GICD_ITARGETSR(id), 1, 0x01);
    }
    st(GICD_IPRIORITYR(33), 1, 0xa0);
    st(GICD_IPRIORITYR(34), 1, 0x40);
    st(GICD_IPRIORITYR(35), 1, 0xa0);
    wr(GICD_ISENABLER(1), 0xe);
    /* The higher priority (lower value) comes first. */
    gic_set_spi(t, 33, 1);
    gic_set_spi(t, 34, 1);
    g_assert_cmpuint(rd(GICC_IAR), ==, 34);
    /* 33 cannot preempt 34. */
    g_assert_cmpint(t->irq[0]->level, ==, 0);
    g_assert_cmpuint(rd(GICC_IAR), ==, SPURIOUS);
    wr(GICC_EOIR, 34);
    gic_set_spi(t, 34, 0);
    g_assert_cmpuint(rd(GICC_IAR), ==, 33);
    /* The same priority does not preempt; a higher one does. */
    gic_set_spi(t, 35, 1);
    g_assert_cmpint(t->irq[0]->level, ==, 0);
    gic_set_spi(t, 34, 1);
    g_assert_cmpint(t->irq[0]->level, ==, 1);
    g_assert_cmpuint(rd(GICC_IAR), ==, 34);
    g_assert_cmphex(rd(GICC_RPR), ==, 0x40);
    wr(GICC_EOIR, 34);
    g_assert_cmphex(rd(GICC_RPR), ==, 0xa0);
    wr(GICC_EOIR, 33);
    gic_set_spi(t, 33, 0);
    gic_set_spi(t, 34, 0);
    /* The priority mask holds back 35 (0xa0) but not 0x40. */
    wr(GICC_PMR, 0xa0);
    g_assert_cmpint(t->irq[0]->level, ==, 0);
    wr(GICC_PMR, 0xa8);
    g_assert_cmpint(t->irq[0]->level, ==, 1);
    /* The binary point groups 0xa0 and 0x80 into one preemption level. */
    wr(GICC_BPR, 6);
    st(GICD_IPRIORITYR(34), 1, 0x80);
    g_assert_cmpuint(rd(GICC_IAR), ==, 35);
    gic_set_spi(t, 34, 1);
    g_assert_cmpint(t->irq[0]->level, ==, 0);
    wr(GICC_EOIR, 35);
    g_assert_cmpint(t->irq[0]->level, ==, 1);
    gic_free(t);
}

static void test_gic_eoimode_and_fiq(void)
{
    GICTest *t = gic_new();

    gic_enable_all(t);
    st(GICD_ITARGETSR(36), 1, 0x01);
    wr(GICD_ISENABLER(1), 1u << 4);
    /* EOImode: EOIR drops the priority, GICC_DIR deactivates. */
    wr(GICC_CTLR, 1 | 1u << 9);
    gic_set_spi(t, 36, 1);
    g_assert_cmpuint(rd(GICC_IAR), ==, 36);
    wr(GICC_EOIR, 36);
    g_assert_cmphex(rd(GICC_RPR), ==, 0xff);
    g_assert_cmphex(rd(GICD_ISACTIVER(1)), ==, 1u << 4);
    g_assert_cmpint(t->irq[0]->level, ==, 0);   /* active: not again */
    wr(GICC_DIR, 36);
    g_assert_cmphex(rd(GICD_ISACTIVER(1)), ==, 0);
    g_assert_cmpint(t->irq[0]->level, ==, 1);
    /* Group 0 with FIQEn comes as FIQ. */
    wr(GICC_CTLR, 1 | 1u << 3);
    g_assert_cmpint(t->irq[0]->level, ==, 0);
    g_assert_cmpint(t->fiq[0]->level, ==, 1);
    gic_set_spi(t, 36, 0);
    g_assert_cmpint(t->fiq[0]->level, ==, 0);
    gic_free(t);
}

static void test_gic_sgi_ppi(void)
{
    GICTest *t = gic_new();

    gic_enable_all(t);
    /* CPU 0 sends SGI 3 to CPU 1 (target list). */
    wr(GICD_SGIR, 3 | 0x2u << 16);
    g_assert_cmpint(t->irq[0]->level, ==, 0);
    g_assert_cmpint(t->irq[1]->level, ==, 1);
    as_cpu(t, 1);
    g_assert_cmphex(ld(GICD_SPENDSGIR(3), 1), ==, 0x01);  /* from CPU 0 */
    g_assert_cmpuint(rd(GICC_IAR), ==, 3);
    wr(GICC_EOIR, 3);
    /* CPU 1 to every other CPU, then to itself: the source shows. */
    wr(GICD_SGIR, 5 | 1u << 24);
    wr(GICD_SGIR, 6 | 2u << 24);
    g_assert_cmpuint(rd(GICC_IAR), ==, 6 | 1u << 10);
    wr(GICC_EOIR, 6 | 1u << 10);
    as_cpu(t, 0);
    g_assert_cmpuint(rd(GICC_IAR), ==, 5 | 1u << 10);
    wr(GICC_EOIR, 5 | 1u << 10);

    /* PPI 30 (the timer's) of CPU 1: banked enable and priority. */
    wr(GICD_ISENABLER(0), 1u << 30);             /* CPU 0's bank */
    irq_set_level(qdev_get_gpio_in(t->gic,
                                   arm_gic_ppi_index(GIC_NUM_IRQ, 1, 30)),
                  1);
    g_assert_cmpint(t->irq[1]->level, ==, 0);
    as_cpu(t, 1);
    g_assert_cmphex(rd(GICD_ISPENDR(0)), ==, 1u << 30);
    wr(GICD_ISENABLER(0), 1u << 30);
    g_assert_cmpint(t->irq[1]->level, ==, 1);
    g_assert_cmpint(t->irq[0]->level, ==, 0);
    as_cpu(t, 0);
    g_assert_cmphex(rd(GICD_ISPENDR(0)), ==, 0);
    gic_free(t);
}

/* ---- PL011 ---- */

#define UART 0x09000000
#define UART_DR (UART + 0x00)
#define UART_FR (UART + 0x18)
#define UART_LCR_H (UART + 0x2c)
#define UART_CR (UART + 0x30)
#define UART_IFLS (UART + 0x34)
#define UART_IMSC (UART + 0x38)
#define UART_RIS (UART + 0x3c)
#define UART_MIS (UART + 0x40)
#define UART_ICR (UART + 0x44)

static DeviceState *uart_new(const char *chardev, TestLine **irq)
{
    DeviceState *dev = qdev_new(TYPE_PL011);
    const hwaddr base = UART;

    if (chardev) {
        object_property_set_str(OBJECT(dev), "chardev", chardev,
                                &error_fatal);
    }
    map_dev(dev, &base, 1);
    *irq = connect_irq(dev, 0);
    return dev;
}

static void test_pl011_registers(void)
{
    TestLine *irq;
    DeviceState *dev = uart_new(NULL, &irq);
    const uint8_t id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

    g_assert_cmphex(rd(UART_FR), ==, 0x90);      /* TXFE, RXFE */
    g_assert_cmphex(rd(UART_CR), ==, 0x300);
    g_assert_cmphex(rd(UART_IFLS), ==, 0x12);
    for (int i = 0; i < 8; i++) {
        g_assert_cmphex(rd(UART + 0xfe0 + i * 4), ==, id[i]);
    }
    /* An empty FIFO reads zero. */
    g_assert_cmphex(rd(UART_DR), ==, 0);
    /* Sending raises TX; the mask decides the line; ICR clears. */
    wr(UART_DR, 'x');
    g_assert_cmphex(rd(UART_RIS), ==, 0x20);
    g_assert_cmpint(irq->level, ==, 0);
    wr(UART_IMSC, 0x20);
    g_assert_cmpint(irq->level, ==, 1);
    g_assert_cmphex(rd(UART_MIS), ==, 0x20);
    wr(UART_ICR, 0x20);
    g_assert_cmpint(irq->level, ==, 0);
    device_reset(dev);
    g_assert_cmphex(rd(UART_IMSC), ==, 0);
    free_dev(dev);
    free_line(irq);
}

static void test_pl011_output(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "pl011.txt", NULL);
    g_autofree char *opts = g_strdup_printf("file,id=pl011out,path=%s",
                                            path);
    g_autofree char *text = NULL;
    TestLine *irq;
    DeviceState *dev;

    g_assert_nonnull(chardev_new_from_opts(opts, &error_fatal));
    dev = uart_new("pl011out", &irq);
    for (const char *p = "U-Boot\n"; *p; p++) {
        g_assert_cmphex(rd(UART_FR) & 0x20, ==, 0);     /* not TXFF */
        wr(UART_DR, *p);
    }
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "U-Boot\n");
    free_dev(dev);
    free_line(irq);
}

static void test_pl011_input(void)
{
    g_autofree char *path = g_build_filename(tmpdir, "pl011.sock", NULL);
    g_autofree char *opts = g_strdup_printf(
        "socket,id=pl011in,path=%s,server=on,wait=off", path);
    GString *got = g_string_new(NULL);
    TestLine *irq;
    DeviceState *dev;
    int fd;

    g_assert_nonnull(chardev_new_from_opts(opts, &error_fatal));
    dev = uart_new("pl011in", &irq);
    fd = unix_connect(path);
    wr(UART_IMSC, 0x10);
    /* Without the FIFO one character waits; the rest stay outside. */
    g_assert_cmpint(write(fd, "hello", 5), ==, 5);
    WAIT_FOR(!(rd(UART_FR) & 0x10));
    pump_for(20);
    g_assert_cmphex(rd(UART_FR) & 0x50, ==, 0x40);   /* RXFF */
    g_assert_cmpint(irq->level, ==, 1);
    g_string_append_c(got, rd(UART_DR));
    g_assert_cmpint(irq->level, ==, 0);
    /* With it, the rest comes in. */
    wr(UART_LCR_H, 0x70);
    while (got->len < 5) {
        WAIT_FOR(!(rd(UART_FR) & 0x10));
        g_string_append_c(got, rd(UART_DR));
    }
    g_assert_cmpstr(got->str, ==, "hello");
    g_assert_cmphex(rd(UART_FR) & 0x10, ==, 0x10);
    g_assert_cmpint(irq->level, ==, 0);
    free_dev(dev);
    free_line(irq);
    close(fd);
    g_string_free(got, true);
}

/* ---- PL031 ---- */

#define RTC 0x09010000

static void test_pl031(void)
{
    DeviceState *dev = qdev_new(TYPE_PL031);
    const hwaddr base = RTC;
    TestLine *irq;
    uint32_t now = g_get_real_time() / G_USEC_PER_SEC;
    uint32_t count;

    map_dev(dev, &base, 1);
    irq = connect_irq(dev, 0);
    /* The host's time, running. */
    count = rd(RTC);
    g_assert_cmpuint(count, >=, now - 1);
    g_assert_cmpuint(count, <=, now + 60);
    g_assert_cmphex(rd(RTC + 0x0c), ==, 1);
    g_assert_cmphex(rd(RTC + 0xfe0), ==, 0x31);
    /* Bytes and halfwords of a register are its lanes (EDK2 reads the
     * PrimeCell ID a byte at a time). */
    g_assert_cmphex(ld(RTC + 0xff0, 1), ==, 0x0d);
    g_assert_cmphex(ld(RTC + 0xff1, 1), ==, 0);
    g_assert_cmphex(ld(RTC + 0xffc, 2), ==, 0xb1);
    /* Loading sets the counter. */
    wr(RTC + 0x08, 1000);
    g_assert_cmpuint(rd(RTC), >=, 1000);
    g_assert_cmpuint(rd(RTC), <=, 1001);
    g_assert_cmpuint(rd(RTC + 0x08), ==, 1000);
    /* A match with the interrupt unmasked raises the line. */
    wr(RTC + 0x10, 1);
    wr(RTC + 0x04, rd(RTC) + 1);
    WAIT_FOR(irq->level);
    g_assert_cmphex(rd(RTC + 0x14), ==, 1);
    g_assert_cmphex(rd(RTC + 0x18), ==, 1);
    wr(RTC + 0x1c, 1);
    g_assert_cmpint(irq->level, ==, 0);
    free_dev(dev);
    free_line(irq);
}

/* ---- virtio-mmio ---- */

static void test_virtio_mmio_empty(void)
{
    DeviceState *dev = qdev_new(TYPE_VIRTIO_MMIO);
    const hwaddr base = 0x0a000000;

    map_dev(dev, &base, 1);
    g_assert_cmphex(rd(base), ==, 0x74726976);
    g_assert_cmphex(rd(base + 4), ==, 1);
    g_assert_cmphex(rd(base + 8), ==, 0);
    g_assert_cmphex(rd(base + 12), ==, 0x554d4551);
    g_assert_cmphex(rd(base + 0x70), ==, 0);
    free_dev(dev);
}

int main(int argc, char **argv)
{
    g_autofree char *cmd = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    g_assert_nonnull(mkdtemp(tmpdir));
    memory_system_init(false);
    bql_lock();
    clock_virtual_start();

    g_test_add_func("/gic/ids", test_gic_ids);
    g_test_add_func("/gic/spi-level", test_gic_spi_level);
    g_test_add_func("/gic/edge-and-pending", test_gic_edge_and_pending);
    g_test_add_func("/gic/priorities", test_gic_priorities);
    g_test_add_func("/gic/eoimode-and-fiq", test_gic_eoimode_and_fiq);
    g_test_add_func("/gic/sgi-ppi", test_gic_sgi_ppi);
    g_test_add_func("/pl011/registers", test_pl011_registers);
    g_test_add_func("/pl011/output", test_pl011_output);
    g_test_add_func("/pl011/input", test_pl011_input);
    g_test_add_func("/pl031", test_pl031);
    g_test_add_func("/virtio-mmio/empty", test_virtio_mmio_empty);
    ret = g_test_run();

    chardev_cleanup_all();
    cmd = g_strdup_printf("rm -rf %s", tmpdir);
    g_assert_cmpint(system(cmd), ==, 0);
    return ret;
}
