/*
 * Tests for the PC's port I/O devices: the 16550A UART (isa-serial and
 * serial-mm), the i8042 controller, the MC146818 RTC and isa-debug-exit.
 * Devices are made through the object model, as boards and -device do,
 * and driven with port accesses on the I/O address space, as a vCPU
 * would; their interrupt pins go to test lines that record the level.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "test-line.h"
#include "main-loop-util.h"
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include "chardev/char.h"
#include "hw/char/serial.h"
#include "hw/misc/debugexit.h"
#include "hw/misc/i8042.h"
#include "ui/input.h"
#include "hw/misc/mc146818rtc.h"
#include "hw/sysbus.h"
#include "softmmu/memory.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"

#define COM1 0x3f8
#define RBR (COM1 + 0)
#define IER (COM1 + 1)
#define IIR (COM1 + 2)
#define LCR (COM1 + 3)
#define MCR (COM1 + 4)
#define LSR (COM1 + 5)
#define MSR (COM1 + 6)
#define SCR (COM1 + 7)

static char tmpdir[] = "/tmp/emu-isa-XXXXXX";

static char *tmp_path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

/* ---- port access and helpers ---- */

static uint8_t inb(uint16_t port)
{
    uint64_t value;

    g_assert_cmpint(address_space_ld(&address_space_io, port, 1, &value),
                    ==, MEMTX_OK);
    return value;
}

static void outb(uint16_t port, uint8_t value)
{
    g_assert_cmpint(address_space_st(&address_space_io, port, 1, value),
                    ==, MEMTX_OK);
}

static void test_line_free(TestLine *t)
{
    irq_line_free(t->line);
    g_free(t);
}


static DeviceState *realize_or_die(DeviceState *dev)
{
    g_assert_true(qdev_realize(dev, NULL, &error_fatal));
    return dev;
}

/* Realize must fail with exactly msg. */
static void assert_realize_error(DeviceState *dev, const char *msg)
{
    Error *err = NULL;

    g_assert_false(qdev_realize(dev, NULL, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(error_get_pretty(err), ==, msg);
    error_free(err);
    object_unref(OBJECT(dev));
}

static DeviceState *new_serial(const char *chardev)
{
    DeviceState *dev = qdev_new(TYPE_ISA_SERIAL);

    if (chardev) {
        object_property_set_str(OBJECT(dev), "chardev", chardev,
                                &error_fatal);
    }
    return realize_or_die(dev);
}

/* ---- 16550A ---- */

static void test_serial_reset_values(void)
{
    DeviceState *dev = new_serial(NULL);

    g_assert_cmphex(inb(IER), ==, 0x00);
    g_assert_cmphex(inb(IIR), ==, 0x01);
    g_assert_cmphex(inb(LCR), ==, 0x00);
    g_assert_cmphex(inb(MCR), ==, 0x00);
    g_assert_cmphex(inb(LSR), ==, 0x60);
    g_assert_cmphex(inb(MSR), ==, 0xb0);
    outb(SCR, 0xa5);
    g_assert_cmphex(inb(SCR), ==, 0xa5);

    /* Reset brings the registers back. */
    outb(LCR, 0x1b);
    outb(IER, 0x05);
    device_reset(dev);
    g_assert_cmphex(inb(LCR), ==, 0x00);
    g_assert_cmphex(inb(IER), ==, 0x00);
    g_assert_cmphex(inb(SCR), ==, 0x00);
    object_unref(OBJECT(dev));

    /* The ports are free again after the device went away. */
    g_assert_cmphex(inb(LSR), ==, 0xff);
}

static void test_serial_divisor(void)
{
    DeviceState *dev = new_serial(NULL);

    outb(LCR, 0x80);
    g_assert_cmphex(inb(RBR), ==, 12);   /* 9600 baud at reset */
    g_assert_cmphex(inb(IER), ==, 0);
    outb(RBR, 0x01);                     /* 115200 */
    outb(IER, 0x02);
    g_assert_cmphex(inb(RBR), ==, 0x01);
    g_assert_cmphex(inb(IER), ==, 0x02);
    /* With DLAB clear the same ports are RBR/THR and IER again. */
    outb(LCR, 0x03);
    g_assert_cmphex(inb(IER), ==, 0x00);
    outb(IER, 0xff);
    g_assert_cmphex(inb(IER), ==, 0x0f);
    outb(IER, 0x00);
    outb(LCR, 0x83);
    g_assert_cmphex(inb(RBR), ==, 0x01);
    g_assert_cmphex(inb(IER), ==, 0x02);
    /* A 16-bit port write reaches DLL and DLM, as on an 8-bit ISA card. */
    g_assert_cmpint(address_space_st(&address_space_io, RBR, 2, 0x0180),
                    ==, MEMTX_OK);
    g_assert_cmphex(inb(RBR), ==, 0x80);
    g_assert_cmphex(inb(IER), ==, 0x01);
    object_unref(OBJECT(dev));
}

static void test_serial_output(void)
{
    g_autofree char *path = tmp_path("serial-out.txt");
    g_autofree char *opts = g_strdup_printf("file,id=serout,path=%s", path);
    g_autofree char *text = NULL;
    DeviceState *dev;
    TestLine *irq;

    g_assert_nonnull(chardev_new_from_opts(opts, &error_fatal));
    dev = new_serial("serout");
    irq = test_line_connect(dev, 0);
    for (const char *p = "hello\n"; *p; p++) {
        g_assert_cmphex(inb(LSR) & 0x60, ==, 0x60);
        outb(RBR, *p);
    }
    /* The transmitter is empty again at once. */
    g_assert_cmphex(inb(LSR), ==, 0x60);
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "hello\n");

    /* THRE interrupt: raised when enabled with THR empty, cleared by
     * reading IIR, raised again by the next byte sent. */
    g_assert_cmpint(irq->level, ==, 0);
    outb(IER, 0x02);
    g_assert_cmpint(irq->level, ==, 1);
    g_assert_cmphex(inb(IIR), ==, 0x02);
    g_assert_cmpint(irq->level, ==, 0);
    g_assert_cmphex(inb(IIR), ==, 0x01);
    outb(RBR, 'x');
    g_assert_cmpint(irq->level, ==, 1);
    g_assert_cmpint(irq->raised, ==, 2);
    /* Each byte makes a new edge, for edge-triggered controllers. */
    outb(RBR, 'y');
    g_assert_cmpint(irq->raised, ==, 3);
    outb(IER, 0x00);
    g_assert_cmpint(irq->level, ==, 0);

    object_unref(OBJECT(dev));
    test_line_free(irq);
}

static void test_serial_loopback(void)
{
    DeviceState *dev = new_serial(NULL);

    outb(MCR, 0x10);
    g_assert_cmphex(inb(MSR), ==, 0x0b);     /* CTS, DSR, DCD went away */
    g_assert_cmphex(inb(MSR), ==, 0x00);
    outb(MCR, 0x1f);
    g_assert_cmphex(inb(MSR), ==, 0xfb);     /* RI rises: no TERI */
    outb(MCR, 0x1b);
    g_assert_cmphex(inb(MSR), ==, 0xb4);     /* RI falls: TERI */
    outb(MCR, 0x11);
    g_assert_cmphex(inb(MSR), ==, 0x29);     /* RTS->CTS, OUT2->DCD drop */

    outb(RBR, 0x42);
    g_assert_cmphex(inb(LSR), ==, 0x61);
    g_assert_cmphex(inb(RBR), ==, 0x42);
    g_assert_cmphex(inb(LSR), ==, 0x60);

    /* Without FIFOs a second byte overruns the first. */
    outb(RBR, 0x01);
    outb(RBR, 0x02);
    g_assert_cmphex(inb(LSR), ==, 0x63);
    g_assert_cmphex(inb(LSR), ==, 0x61);     /* OE cleared by reading */
    g_assert_cmphex(inb(RBR), ==, 0x02);

    /* Leaving loopback gives the modem lines back to the wire. */
    outb(MCR, 0x00);
    g_assert_cmphex(inb(MSR) & 0xf0, ==, 0xb0);
    object_unref(OBJECT(dev));
}

static void test_serial_priorities(void)
{
    DeviceState *dev = new_serial(NULL);
    TestLine *irq = test_line_connect(dev, 0);

    outb(MCR, 0x10);
    outb(IER, 0x0f);
    /* Pending now: THRE (enabled with THR empty) and modem status. */
    g_assert_cmpint(irq->level, ==, 1);
    outb(RBR, 0x11);
    outb(RBR, 0x22);                         /* overrun */
    g_assert_cmphex(inb(IIR), ==, 0x06);     /* line status first */
    inb(LSR);
    g_assert_cmphex(inb(IIR), ==, 0x04);     /* then received data */
    g_assert_cmphex(inb(RBR), ==, 0x22);
    g_assert_cmphex(inb(IIR), ==, 0x02);     /* then THR empty ... */
    g_assert_cmphex(inb(IIR), ==, 0x00);     /* ... then modem status */
    g_assert_cmpint(irq->level, ==, 1);
    inb(MSR);
    g_assert_cmphex(inb(IIR), ==, 0x01);
    g_assert_cmpint(irq->level, ==, 0);

    /* Disabled sources do not interrupt. */
    outb(IER, 0x00);
    outb(RBR, 0x33);
    g_assert_cmphex(inb(IIR), ==, 0x01);
    g_assert_cmpint(irq->level, ==, 0);
    object_unref(OBJECT(dev));
    test_line_free(irq);
}

static void test_serial_fifo(void)
{
    DeviceState *dev = new_serial(NULL);

    outb(MCR, 0x10);
    outb(IER, 0x01);
    outb(IIR, 0x81);                         /* FIFOs on, trigger 8 */
    g_assert_cmphex(inb(IIR), ==, 0xc1);
    for (int i = 0; i < 3; i++) {
        outb(RBR, 'a' + i);
    }
    /* Below the trigger level the (instant) timeout reports the data. */
    g_assert_cmphex(inb(IIR), ==, 0xcc);
    for (int i = 3; i < 18; i++) {
        outb(RBR, 'a' + i);
    }
    g_assert_cmphex(inb(IIR), ==, 0xc4);     /* at the trigger: data */
    /* 18 bytes into 16: the last two were lost, flagged OE. */
    g_assert_cmphex(inb(LSR), ==, 0x63);
    for (int i = 0; i < 16; i++) {
        g_assert_cmphex(inb(LSR) & 0x01, ==, 0x01);
        g_assert_cmphex(inb(RBR), ==, 'a' + i);
    }
    g_assert_cmphex(inb(LSR), ==, 0x60);
    g_assert_cmphex(inb(IIR), ==, 0xc1);

    /* FCR bit 1 empties the receive FIFO. */
    outb(RBR, 'z');
    outb(IIR, 0x83);
    g_assert_cmphex(inb(LSR), ==, 0x60);
    /* FIFOs off: IIR bits 6-7 clear again. */
    outb(RBR, 'z');
    outb(IIR, 0x00);
    g_assert_cmphex(inb(IIR), ==, 0x01);
    g_assert_cmphex(inb(LSR), ==, 0x60);
    object_unref(OBJECT(dev));
}

static void send_str(int fd, const char *s)
{
    g_assert_cmpint(write(fd, s, strlen(s)), ==, strlen(s));
}

/* LSR, remembering the error bits that reading it clears. */
static uint8_t lsr_errors;

static uint8_t read_lsr(void)
{
    uint8_t value = inb(LSR);

    lsr_errors |= value & 0x9e;
    return value;
}

static void test_serial_input(void)
{
    g_autofree char *path = tmp_path("serial-in.sock");
    g_autofree char *opts = NULL;
    DeviceState *dev;
    TestLine *irq;
    GString *got = g_string_new(NULL);
    int c;

    opts = g_strdup_printf("socket,id=serin,path=%s,server=on,wait=off",
                           path);
    g_assert_nonnull(chardev_new_from_opts(opts, &error_fatal));
    dev = new_serial("serin");
    irq = test_line_connect(dev, 0);
    c = unix_connect(path);
    outb(IER, 0x01);
    outb(IIR, 0xc1);                         /* FIFOs on, trigger 14 */

    /* 20 bytes: 16 fill the FIFO, the rest wait in the socket. */
    send_str(c, "abcdefghijklmnopqrst");
    WAIT_FOR(read_lsr() & 0x01);
    pump_for(50);
    g_assert_cmpint(irq->level, ==, 1);
    g_assert_cmphex(inb(IIR), ==, 0xc4);
    while (read_lsr() & 0x01) {
        g_string_append_c(got, inb(RBR));
    }
    g_assert_cmpstr(got->str, ==, "abcdefghijklmnop");
    g_assert_cmpint(irq->level, ==, 0);
    /* Draining the FIFO lets the rest in. */
    WAIT_FOR(read_lsr() & 0x01);
    pump_for(20);
    g_assert_cmphex(inb(IIR), ==, 0xcc);     /* 4 < 14: timeout */
    while (read_lsr() & 0x01) {
        g_string_append_c(got, inb(RBR));
    }
    g_assert_cmpstr(got->str, ==, "abcdefghijklmnopqrst");

    /* Without FIFOs the UART takes one byte at a time. */
    outb(IIR, 0x00);
    send_str(c, "xyz");
    for (const char *p = "xyz"; *p; p++) {
        WAIT_FOR(read_lsr() & 0x01);
        pump_for(10);
        g_assert_cmphex(inb(RBR), ==, *p);
    }

    /* Loopback cuts the receiver off the wire; input waits. */
    outb(MCR, 0x10);
    send_str(c, "w");
    pump_for(30);
    g_assert_cmphex(read_lsr() & 0x01, ==, 0);
    outb(MCR, 0x00);
    WAIT_FOR(read_lsr() & 0x01);
    g_assert_cmphex(inb(RBR), ==, 'w');

    /* Flow control: no overrun, ever. */
    g_assert_cmphex(lsr_errors, ==, 0);
    close(c);
    object_unref(OBJECT(dev));
    test_line_free(irq);
    g_string_free(got, TRUE);
}

static void test_serial_break(void)
{
    g_autofree char *path = tmp_path("serial-brk.sock");
    g_autofree char *opts = NULL;
    DeviceState *dev;
    int c;

    /* On a mux, Ctrl-A b sends a break to the frontend with focus. */
    opts = g_strdup_printf("socket,id=serbrk,path=%s,server=on,wait=off,"
                           "mux=on", path);
    g_assert_nonnull(chardev_new_from_opts(opts, &error_fatal));
    dev = new_serial("serbrk");
    c = unix_connect(path);
    outb(IER, 0x04);
    send_str(c, "\001b");
    WAIT_FOR(inb(IIR) != 0x01);
    g_assert_cmphex(inb(IIR), ==, 0x06);
    g_assert_cmphex(inb(LSR), ==, 0x71);     /* BI, DR */
    g_assert_cmphex(inb(RBR), ==, 0x00);
    g_assert_cmphex(inb(LSR), ==, 0x60);
    g_assert_cmphex(inb(IIR), ==, 0x01);
    close(c);
    object_unref(OBJECT(dev));
}

static void test_serial_errors(void)
{
    DeviceState *dev, *com1;

    dev = qdev_new(TYPE_ISA_SERIAL);
    object_property_set_str(OBJECT(dev), "chardev", "nosuch", &error_fatal);
    assert_realize_error(dev, "isa-serial: chardev 'nosuch' not found "
                         "(create it with -chardev ...,id=nosuch or -serial)");

    dev = qdev_new(TYPE_ISA_SERIAL);
    object_property_set_uint(OBJECT(dev), "iobase", 0xfffc, &error_fatal);
    assert_realize_error(dev, "device 'isa-serial': I/O ports 0xfffc-0x10003 "
                         "are outside the port space (0x0-0xffff)");

    com1 = new_serial(NULL);
    dev = qdev_new(TYPE_ISA_SERIAL);
    object_property_set_uint(OBJECT(dev), "iobase", 0x3fc, &error_fatal);
    assert_realize_error(dev, "device 'isa-serial': I/O port 0x3fc is "
                         "already used by 'serial'");
    object_unref(OBJECT(com1));

    dev = qdev_new(TYPE_SERIAL_MM);
    object_property_set_uint(OBJECT(dev), "regshift", 1, &error_fatal);
    g_assert_false(qdev_realize(dev, sysbus_get_default(), NULL));
    object_unref(OBJECT(dev));

    /* COM2 and the informational irq property. */
    dev = qdev_new(TYPE_ISA_SERIAL);
    object_property_set_uint(OBJECT(dev), "iobase", 0x2f8, &error_fatal);
    object_property_set_uint(OBJECT(dev), "irq", 3, &error_fatal);
    realize_or_die(dev);
    g_assert_cmphex(inb(0x2f8 + 5), ==, 0x60);
    g_assert_cmpuint(object_property_get_uint(OBJECT(dev), "irq", NULL),
                     ==, 3);
    object_unref(OBJECT(dev));
}

static void test_serial_mm(void)
{
    const hwaddr base = 0x40100000;
    DeviceState *dev = qdev_new(TYPE_SERIAL_MM);
    TestLine *irq;
    uint64_t v;

    object_property_set_uint(OBJECT(dev), "regshift", 2, &error_fatal);
    g_assert_true(qdev_realize(dev, sysbus_get_default(), &error_fatal));
    sysbus_mmio_map(SYS_BUS_DEVICE(dev), 0, base);
    irq = g_new0(TestLine, 1);
    irq->line = irq_line_new(test_line_handler, irq, 0);
    sysbus_connect_irq(SYS_BUS_DEVICE(dev), 0, irq->line);

    /* Registers are words 4 bytes apart. */
    g_assert_cmpint(address_space_ld(&address_space_memory, base + 5 * 4, 4,
                                     &v), ==, MEMTX_OK);
    g_assert_cmphex(v, ==, 0x60);
    address_space_st(&address_space_memory, base + 4 * 4, 4, 0x10);
    address_space_st(&address_space_memory, base + 1 * 4, 4, 0x01);
    address_space_st(&address_space_memory, base, 4, 0x5a);
    g_assert_cmpint(irq->level, ==, 1);
    address_space_ld(&address_space_memory, base + 2 * 4, 4, &v);
    g_assert_cmphex(v, ==, 0x04);
    address_space_ld(&address_space_memory, base, 1, &v);
    g_assert_cmphex(v, ==, 0x5a);
    g_assert_cmpint(irq->level, ==, 0);

    /* Boards never remove sysbus devices; the test does it by hand. */
    memory_region_del_subregion(get_system_memory(),
                                SYS_BUS_DEVICE(dev)->mmio[0].memory);
    qdev_unrealize(dev);
    object_unref(OBJECT(dev));
    test_line_free(irq);
}

/* ---- i8042 ---- */

static DeviceState *new_i8042(TestLine **irq1, TestLine **irq12)
{
    DeviceState *dev = realize_or_die(qdev_new(TYPE_I8042));

    *irq1 = test_line_connect(dev, 0);
    *irq12 = test_line_connect(dev, 1);
    return dev;
}

static void kbc_cmd(uint8_t cmd)
{
    outb(0x64, cmd);
}

static uint8_t kbc_reply(void)
{
    g_assert_cmphex(inb(0x64) & 0x01, ==, 0x01);
    return inb(0x60);
}

static void test_i8042_commands(void)
{
    TestLine *irq1, *irq12, *a20;
    DeviceState *dev = new_i8042(&irq1, &irq12);

    g_assert_cmphex(inb(0x64), ==, 0x18);    /* empty, unlocked */
    kbc_cmd(0x20);
    g_assert_cmpint(irq1->level, ==, 1);
    g_assert_cmphex(kbc_reply(), ==, 0x03);
    g_assert_cmpint(irq1->level, ==, 0);
    g_assert_cmphex(inb(0x64) & 0x01, ==, 0);
    /* Nothing queued: the last byte again. */
    g_assert_cmphex(inb(0x60), ==, 0x03);

    kbc_cmd(0xaa);
    g_assert_cmphex(kbc_reply(), ==, 0x55);
    g_assert_cmphex(inb(0x64) & 0x04, ==, 0x04);   /* system flag */
    kbc_cmd(0xab);
    g_assert_cmphex(kbc_reply(), ==, 0x00);
    kbc_cmd(0xa9);
    g_assert_cmphex(kbc_reply(), ==, 0x00);

    kbc_cmd(0xad);
    kbc_cmd(0xa7);
    kbc_cmd(0x20);
    g_assert_cmphex(kbc_reply(), ==, 0x37);
    kbc_cmd(0xae);
    kbc_cmd(0xa8);
    kbc_cmd(0x20);
    g_assert_cmphex(kbc_reply(), ==, 0x07);

    /* Command byte write: interrupts off, so no IRQ for the reply. */
    kbc_cmd(0x60);
    g_assert_cmphex(inb(0x64) & 0x08, ==, 0x08);
    outb(0x60, 0x44);
    g_assert_cmphex(inb(0x64) & 0x08, ==, 0x00);
    kbc_cmd(0x20);
    g_assert_cmpint(irq1->level, ==, 0);
    g_assert_cmphex(kbc_reply(), ==, 0x44);

    /* Aux output buffer write: IRQ 12 once enabled. */
    kbc_cmd(0x60);
    outb(0x60, 0x47);
    kbc_cmd(0xd3);
    outb(0x60, 0x5a);
    g_assert_cmphex(inb(0x64) & 0x21, ==, 0x21);
    g_assert_cmpint(irq12->level, ==, 1);
    g_assert_cmpint(irq1->level, ==, 0);
    g_assert_cmphex(inb(0x60), ==, 0x5a);
    g_assert_cmpint(irq12->level, ==, 0);

    /* Output port: reset line high, A20 on; bit 1 drives the A20 gate
     * (gpio out 2) at each write. */
    a20 = test_line_connect(dev, 2);
    kbc_cmd(0xd0);
    g_assert_cmphex(kbc_reply() & 0x03, ==, 0x03);
    kbc_cmd(0xd1);
    outb(0x60, 0x01);                        /* A20 off */
    g_assert_cmpint(a20->level, ==, 0);
    kbc_cmd(0xd0);
    g_assert_cmphex(kbc_reply() & 0x03, ==, 0x01);
    kbc_cmd(0xd1);
    outb(0x60, 0x03);
    g_assert_cmpint(a20->level, ==, 1);

    /* Reset brings the command byte back. */
    device_reset(dev);
    kbc_cmd(0x20);
    g_assert_cmphex(kbc_reply(), ==, 0x03);

    object_unref(OBJECT(dev));
    test_line_free(irq1);
    test_line_free(irq12);
    test_line_free(a20);
}

/* The PS/2 keyboard behind the controller: its replies, set 2 codes
 * translated to set 1 while command byte bit 6 is set, raw otherwise. */
static void test_i8042_keyboard(void)
{
    TestLine *irq1, *irq12;
    DeviceState *dev = new_i8042(&irq1, &irq12);

    outb(0x60, 0xff);                        /* keyboard reset */
    g_assert_cmpint(irq1->level, ==, 1);
    g_assert_cmphex(kbc_reply(), ==, 0xfa);
    g_assert_cmphex(kbc_reply(), ==, 0xaa);
    g_assert_cmphex(inb(0x64) & 0x01, ==, 0);
    outb(0x60, 0xf2);                        /* identify */
    g_assert_cmphex(kbc_reply(), ==, 0xfa);
    g_assert_cmphex(kbc_reply(), ==, 0xab);
    g_assert_cmphex(kbc_reply(), ==, 0x83);
    outb(0x60, 0x99);                        /* no such command */
    g_assert_cmphex(kbc_reply(), ==, 0xfe);

    /* Untranslated: set 2, 0xf0 before a release, 0xe0 for extended. */
    input_key_event(key_by_name("a"), true);
    input_key_event(key_by_name("a"), false);
    g_assert_cmphex(kbc_reply(), ==, 0x1c);
    g_assert_cmphex(kbc_reply(), ==, 0xf0);
    g_assert_cmphex(kbc_reply(), ==, 0x1c);
    input_key_event(key_by_name("delete"), false);
    g_assert_cmphex(kbc_reply(), ==, 0xe0);
    g_assert_cmphex(kbc_reply(), ==, 0xf0);
    g_assert_cmphex(kbc_reply(), ==, 0x71);

    /* Translated (command byte 0x41): set 1, releases with bit 7. */
    kbc_cmd(0x60);
    outb(0x60, 0x41);
    input_key_event(key_by_name("a"), true);
    input_key_event(key_by_name("a"), false);
    input_key_event(key_by_name("f7"), true);
    input_key_event(key_by_name("delete"), false);
    g_assert_cmphex(kbc_reply(), ==, 0x1e);
    g_assert_cmphex(kbc_reply(), ==, 0x9e);
    g_assert_cmphex(kbc_reply(), ==, 0x41);
    g_assert_cmphex(kbc_reply(), ==, 0xe0);
    g_assert_cmphex(kbc_reply(), ==, 0xd3);

    /* A disabled keyboard interface holds the bytes back. */
    kbc_cmd(0xad);
    input_key_event(key_by_name("esc"), true);
    g_assert_cmphex(inb(0x64) & 0x01, ==, 0);
    kbc_cmd(0xae);
    g_assert_cmphex(kbc_reply(), ==, 0x01);

    /* Scan code set 1 asked of the keyboard itself. */
    kbc_cmd(0x60);
    outb(0x60, 0x01);
    outb(0x60, 0xf0);
    g_assert_cmphex(kbc_reply(), ==, 0xfa);
    outb(0x60, 0x01);
    g_assert_cmphex(kbc_reply(), ==, 0xfa);
    input_key_event(key_by_name("a"), false);
    g_assert_cmphex(kbc_reply(), ==, 0x9e);

    /* Scanning off (0xf5): keys are not reported. */
    outb(0x60, 0xf5);
    g_assert_cmphex(kbc_reply(), ==, 0xfa);
    input_key_event(key_by_name("a"), true);
    g_assert_cmphex(inb(0x64) & 0x01, ==, 0);

    object_unref(OBJECT(dev));
    test_line_free(irq1);
    test_line_free(irq12);
}

/* A byte to the mouse through the controller (0xd4). */
static void mouse_write(uint8_t b)
{
    kbc_cmd(0xd4);
    outb(0x60, b);
}

/* The next byte, which must come from the aux port. */
static uint8_t mouse_reply(void)
{
    g_assert_cmphex(inb(0x64) & 0x21, ==, 0x21);
    return inb(0x60);
}

static void mouse_set_rate(uint8_t rate)
{
    mouse_write(0xf3);
    g_assert_cmphex(mouse_reply(), ==, 0xfa);
    mouse_write(rate);
    g_assert_cmphex(mouse_reply(), ==, 0xfa);
}

/* The next N bytes from the mouse are BYTES. */
static void assert_mouse_bytes(const uint8_t *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        g_assert_cmphex(mouse_reply(), ==, bytes[i]);
    }
}

/* ... and they are all there is. */
static void assert_packet(const uint8_t *bytes, size_t n)
{
    assert_mouse_bytes(bytes, n);
    g_assert_cmphex(inb(0x64) & 0x01, ==, 0);
}

/* The PS/2 mouse behind the controller: Linux's psmouse probe (reset,
 * ID, the IntelliMouse knocks), stream packets with IRQ 12, motion
 * split over packets, status, remote mode, wrap mode. */
static void test_i8042_mouse(void)
{
    TestLine *irq1, *irq12;
    DeviceState *dev = new_i8042(&irq1, &irq12);

    mouse_write(0xff);                       /* reset: ACK, BAT, ID */
    g_assert_cmpint(irq12->level, ==, 1);
    g_assert_cmpint(irq1->level, ==, 0);
    g_assert_cmphex(mouse_reply(), ==, 0xfa);
    g_assert_cmphex(mouse_reply(), ==, 0xaa);
    g_assert_cmphex(mouse_reply(), ==, 0x00);
    g_assert_cmpint(irq12->level, ==, 0);

    /* Disabled (power-on): motion is not reported. */
    input_mouse_event(5, 5, 0, 0);
    g_assert_cmphex(inb(0x64) & 0x01, ==, 0);

    /* 200, 100, 80: a wheel mouse; 200, 200, 80: five buttons. */
    mouse_set_rate(200);
    mouse_set_rate(100);
    mouse_set_rate(80);
    mouse_write(0xf2);
    assert_packet((const uint8_t[]){ 0xfa, 0x03 }, 2);
    mouse_set_rate(200);
    mouse_set_rate(200);
    mouse_set_rate(80);
    mouse_write(0xf2);
    assert_packet((const uint8_t[]){ 0xfa, 0x04 }, 2);

    /* Status: stream mode, disabled, 1:1; resolution 2; rate 80. */
    mouse_write(0xe8);
    mouse_write(0x03);
    mouse_write(0xe9);
    assert_packet((const uint8_t[]){ 0xfa, 0xfa, 0xfa, 0x00, 0x03, 80 }, 6);

    /* Enabled: x right, y up in the packet (down on the screen), the
     * wheel towards the user positive in the low nibble. */
    mouse_write(0xf4);
    g_assert_cmphex(mouse_reply(), ==, 0xfa);
    input_mouse_event(10, 20, 1, MOUSE_BUTTON_LEFT);
    g_assert_cmpint(irq12->level, ==, 1);
    assert_packet((const uint8_t[]){ 0x29, 0x0a, 0xec, 0x0f }, 4);
    input_mouse_event(0, 0, 0, MOUSE_BUTTON_LEFT | MOUSE_BUTTON_SIDE);
    assert_packet((const uint8_t[]){ 0x09, 0x00, 0x00, 0x10 }, 4);
    /* More than a packet carries: 255 now, the rest after. */
    input_mouse_event(-300, 0, 0, 0);
    assert_packet((const uint8_t[]){ 0x18, 0x01, 0x00, 0x00,
                                     0x18, 0xd3, 0x00, 0x00 }, 8);
    /* A full queue (four packets) keeps the motion until the guest
     * reads: the last two events make one packet. */
    for (int i = 0; i < 6; i++) {
        input_mouse_event(1, 0, 0, 0);
    }
    for (int i = 0; i < 4; i++) {
        assert_mouse_bytes((const uint8_t[]){ 0x08, 0x01, 0x00, 0x00 }, 4);
    }
    assert_packet((const uint8_t[]){ 0x08, 0x02, 0x00, 0x00 }, 4);
    /* A disabled aux interface holds the bytes back. */
    kbc_cmd(0xa7);
    input_mouse_event(0, -1, 0, 0);
    g_assert_cmphex(inb(0x64) & 0x01, ==, 0);
    kbc_cmd(0xa8);
    assert_packet((const uint8_t[]){ 0x08, 0x00, 0x01, 0x00 }, 4);

    /* Status while a button is down: left is bit 2 there. */
    input_mouse_event(0, 0, 0, MOUSE_BUTTON_LEFT);
    assert_packet((const uint8_t[]){ 0x09, 0x00, 0x00, 0x00 }, 4);
    mouse_write(0xe9);
    assert_packet((const uint8_t[]){ 0xfa, 0x24, 0x03, 80 }, 4);

    /* Remote mode: nothing until read data (0xeb) asks. */
    mouse_write(0xf0);
    g_assert_cmphex(mouse_reply(), ==, 0xfa);
    input_mouse_event(3, 0, 0, MOUSE_BUTTON_LEFT);
    g_assert_cmphex(inb(0x64) & 0x01, ==, 0);
    mouse_write(0xeb);
    assert_packet((const uint8_t[]){ 0xfa, 0x09, 0x03, 0x00, 0x00 }, 5);

    /* Wrap mode echoes until 0xec. */
    mouse_write(0xee);
    g_assert_cmphex(mouse_reply(), ==, 0xfa);
    mouse_write(0x42);
    g_assert_cmphex(mouse_reply(), ==, 0x42);
    mouse_write(0xec);
    g_assert_cmphex(mouse_reply(), ==, 0xfa);
    mouse_write(0x99);                       /* no such command */
    g_assert_cmphex(mouse_reply(), ==, 0xfe);

    /* Reset: a standard mouse again, three-byte packets. */
    mouse_write(0xff);
    assert_packet((const uint8_t[]){ 0xfa, 0xaa, 0x00 }, 3);
    mouse_write(0xf4);
    g_assert_cmphex(mouse_reply(), ==, 0xfa);
    input_mouse_event(1, 1, 1, 0);
    assert_packet((const uint8_t[]){ 0x28, 0x01, 0xff }, 3);

    /* Keyboard bytes go first, on IRQ 1. */
    kbc_cmd(0xa7);
    input_mouse_event(2, 0, 0, 0);
    outb(0x60, 0xee);                        /* keyboard echo */
    kbc_cmd(0xa8);
    g_assert_cmphex(inb(0x64) & 0x21, ==, 0x01);
    g_assert_cmpint(irq1->level, ==, 1);
    g_assert_cmphex(inb(0x60), ==, 0xee);
    assert_packet((const uint8_t[]){ 0x08, 0x02, 0x00 }, 3);

    object_unref(OBJECT(dev));
    test_line_free(irq1);
    test_line_free(irq12);
}

static void test_i8042_reset_line(void)
{
    TestLine *irq1, *irq12;
    DeviceState *dev = new_i8042(&irq1, &irq12);
    int status = -1;

    /* In the object tree, so that the system reset reaches it. */
    g_assert_true(object_add_child(object_get_root(), "kbc", OBJECT(dev),
                                   &error_fatal));
    object_unref(OBJECT(dev));
    g_assert_false(main_loop_should_exit(&status));

    /* Pulse with bit 0 set: the reset line is not among the lines. */
    kbc_cmd(0xf1);
    kbc_cmd(0xf0 | 0x0e);                    /* 0xfe */
    kbc_cmd(0x60);
    outb(0x60, 0x00);
    /* The reset request is served by the main loop: a system reset. */
    g_assert_false(main_loop_should_exit(&status));
    kbc_cmd(0x20);
    g_assert_cmphex(kbc_reply(), ==, 0x03);
    g_assert_false(main_loop_should_exit(&status));

    /* With -no-reboot a guest reset ends emu; the output port does it
     * too, with its reset bit clear. */
    runstate_set_no_reboot(true);
    kbc_cmd(0xd1);
    outb(0x60, 0x02);
    status = -1;
    g_assert_true(main_loop_should_exit(&status));
    g_assert_cmpint(status, ==, 0);
    kbc_cmd(0xfa);                           /* bit 0 clear: reset too */
    g_assert_true(main_loop_should_exit(&status));
    kbc_cmd(0xff);                           /* no line pulsed */
    g_assert_false(main_loop_should_exit(&status));
    runstate_set_no_reboot(false);

    object_unparent(OBJECT(dev));
    test_line_free(irq1);
    test_line_free(irq12);
}

/* ---- MC146818 RTC ---- */

static uint8_t cmos_read(uint8_t index)
{
    outb(0x70, index);
    return inb(0x71);
}

static void cmos_write(uint8_t index, uint8_t value)
{
    outb(0x70, index);
    outb(0x71, value);
}

/* A value as the clock shows it in binary or BCD mode. */
static uint8_t rtc_enc(int v, bool binary)
{
    return binary ? v : (v / 10) << 4 | v % 10;
}

/* Reads the clock within one host second and compares every field. */
static void check_clock(bool binary, bool h24)
{
    static const uint8_t regs[] = { 0x00, 0x02, 0x04, 0x06, 0x07, 0x08,
                                    0x09, 0x32 };

    for (int tries = 0; tries < 5; tries++) {
        time_t before = time(NULL);
        uint8_t got[ARRAY_SIZE(regs)], want[ARRAY_SIZE(regs)];
        struct tm tm;
        int h12;

        for (size_t i = 0; i < ARRAY_SIZE(regs); i++) {
            got[i] = cmos_read(regs[i]);
        }
        if (time(NULL) != before) {
            continue;
        }
        gmtime_r(&before, &tm);
        h12 = tm.tm_hour % 12 ? tm.tm_hour % 12 : 12;
        want[0] = rtc_enc(tm.tm_sec, binary);
        want[1] = rtc_enc(tm.tm_min, binary);
        want[2] = h24 ? rtc_enc(tm.tm_hour, binary)
                      : rtc_enc(h12, binary) | (tm.tm_hour >= 12 ? 0x80 : 0);
        want[3] = rtc_enc(tm.tm_wday + 1, binary);
        want[4] = rtc_enc(tm.tm_mday, binary);
        want[5] = rtc_enc(tm.tm_mon + 1, binary);
        want[6] = rtc_enc(tm.tm_year % 100, binary);
        want[7] = rtc_enc((tm.tm_year + 1900) / 100, binary);
        for (size_t i = 0; i < ARRAY_SIZE(regs); i++) {
            g_assert_cmphex(got[i], ==, want[i]);
        }
        return;
    }
    g_error("the host clock kept ticking over a second boundary");
}

static void test_rtc_clock(void)
{
    DeviceState *dev = realize_or_die(qdev_new(TYPE_MC146818_RTC));

    g_assert_cmphex(cmos_read(0x0a) & 0x7f, ==, 0x26);
    g_assert_cmphex(cmos_read(0x0b), ==, 0x02);
    g_assert_cmphex(cmos_read(0x0d), ==, 0x80);
    g_assert_cmphex(inb(0x70), ==, 0xff);
    check_clock(false, true);
    cmos_write(0x0b, 0x06);                  /* binary, 24h */
    check_clock(true, true);
    cmos_write(0x0b, 0x04);                  /* binary, 12h */
    check_clock(true, false);
    cmos_write(0x0b, 0x00);                  /* BCD, 12h */
    check_clock(false, false);
    cmos_write(0x0b, 0x02);

    /* The guest sets 2001-02-03 04:05:06 under SET; the clock runs on
     * from there once SET is cleared. */
    cmos_write(0x0b, 0x82);
    cmos_write(0x00, 0x06);
    cmos_write(0x02, 0x05);
    cmos_write(0x04, 0x04);
    cmos_write(0x07, 0x03);
    cmos_write(0x08, 0x02);
    cmos_write(0x09, 0x01);
    g_usleep(20000);                         /* frozen meanwhile */
    g_assert_cmphex(cmos_read(0x00), ==, 0x06);
    g_assert_cmphex(cmos_read(0x0a) & 0x80, ==, 0);   /* no UIP */
    cmos_write(0x0b, 0x02);
    g_assert_cmphex(cmos_read(0x00), ==, 0x06);
    g_assert_cmphex(cmos_read(0x02), ==, 0x05);
    g_assert_cmphex(cmos_read(0x04), ==, 0x04);
    g_assert_cmphex(cmos_read(0x06), ==, 0x07);       /* a Saturday */
    g_assert_cmphex(cmos_read(0x07), ==, 0x03);
    g_assert_cmphex(cmos_read(0x08), ==, 0x02);
    g_assert_cmphex(cmos_read(0x09), ==, 0x01);

    /* A write to a running clock changes that field only. */
    cmos_write(0x02, 0x59);
    g_assert_cmphex(cmos_read(0x02), ==, 0x59);
    g_assert_cmphex(cmos_read(0x04), ==, 0x04);
    object_unref(OBJECT(dev));
}

static void test_rtc_update_cycle(void)
{
    DeviceState *dev = realize_or_die(qdev_new(TYPE_MC146818_RTC));
    TestLine *irq = test_line_connect(dev, 0);
    /* UIP shows for 244 us a second: a loaded host (or a sanitizer
     * build) can miss a few windows between two polls, so allow many. */
    gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
    uint8_t sec;

    cmos_write(0x05, 0x25);                  /* an alarm that never rings */
    cmos_write(0x0a, 0x20);                  /* and no periodic flag */
    /* The firmware way to meet a second boundary: UIP up, then down. */
    while (!(cmos_read(0x0a) & 0x80)) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
    }
    sec = cmos_read(0x00);
    while (cmos_read(0x0a) & 0x80) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
    }
    g_assert_cmphex(cmos_read(0x00), !=, sec);
    /* The update set UF; the alarm (00:00:00 by default) did not go
     * off; nothing was enabled, so no IRQF and no interrupt. */
    g_assert_cmphex(cmos_read(0x0c), ==, 0x10);
    g_assert_cmphex(cmos_read(0x0c), ==, 0x00);     /* cleared by reading */
    g_assert_cmpint(irq->level, ==, 0);

    /* Update and alarm interrupts: an alarm of "any" time rings every
     * second; the timer raises IRQ 8 without the guest polling. */
    cmos_write(0x01, 0xc0);
    cmos_write(0x03, 0xff);
    cmos_write(0x05, 0xc0);
    cmos_write(0x0b, 0x32);
    WAIT_FOR(irq->level);
    g_assert_cmphex(cmos_read(0x0c), ==, 0xb0);
    g_assert_cmpint(irq->level, ==, 0);
    g_assert_cmphex(cmos_read(0x0c), ==, 0x00);
    cmos_write(0x0b, 0x02);
    pump_for(1100);
    g_assert_cmpint(irq->level, ==, 0);
    g_assert_cmphex(cmos_read(0x0c), ==, 0x30);      /* flags, no IRQF */

    object_unref(OBJECT(dev));
    test_line_free(irq);
}

static void test_rtc_periodic(void)
{
    DeviceState *dev = realize_or_die(qdev_new(TYPE_MC146818_RTC));
    TestLine *irq = test_line_connect(dev, 0);

    cmos_write(0x0a, 0x26);                  /* 1024 Hz */
    cmos_write(0x0b, 0x42);                  /* PIE */
    /* Each interrupt is acknowledged by reading C, as a driver does. */
    for (int i = 0; i < 5; i++) {
        WAIT_FOR(irq->level);
        g_assert_cmphex(cmos_read(0x0c) & 0xc0, ==, 0xc0);
        g_assert_cmpint(irq->level, ==, 0);
    }
    g_assert_cmpint(irq->raised, ==, 5);

    /* Rate 0 stops it. */
    cmos_write(0x0a, 0x20);
    cmos_read(0x0c);
    pump_for(20);
    g_assert_cmpint(irq->level, ==, 0);
    g_assert_cmphex(cmos_read(0x0c) & 0x40, ==, 0);

    /* Reset clears the enables (the clock and RAM are kept). */
    cmos_write(0x0a, 0x26);
    device_reset(dev);
    g_assert_cmphex(cmos_read(0x0b), ==, 0x02);
    cmos_read(0x0c);
    pump_for(20);
    g_assert_cmpint(irq->level, ==, 0);
    object_unref(OBJECT(dev));
    test_line_free(irq);
}

static void test_rtc_cmos_ram(void)
{
    DeviceState *dev = realize_or_die(qdev_new(TYPE_MC146818_RTC));

    for (int i = 0x0e; i < 0x80; i++) {
        if (i != 0x32) {
            cmos_write(i, i ^ 0xa5);
        }
    }
    device_reset(dev);
    for (int i = 0x0e; i < 0x80; i++) {
        if (i != 0x32) {
            g_assert_cmphex(cmos_read(i), ==, i ^ 0xa5);
        }
    }
    /* Bit 7 of the index is the NMI mask, not part of the index. */
    outb(0x70, 0x80 | 0x40);
    g_assert_cmphex(inb(0x71), ==, 0x40 ^ 0xa5);
    outb(0x71, 0x77);
    g_assert_cmphex(cmos_read(0x40), ==, 0x77);
    /* What boards store for the firmware. */
    rtc_set_cmos(dev, 0x34, 0x12);
    g_assert_cmphex(cmos_read(0x34), ==, 0x12);
    g_assert_cmphex(rtc_get_cmos(dev, 0x40), ==, 0x77);
    /* C and D are read-only. */
    cmos_write(0x0d, 0x00);
    g_assert_cmphex(cmos_read(0x0d), ==, 0x80);
    object_unref(OBJECT(dev));

    /* Elsewhere, as the second CMOS bank of some chipsets sits. */
    dev = qdev_new(TYPE_MC146818_RTC);
    object_property_set_uint(OBJECT(dev), "iobase", 0x72, &error_fatal);
    realize_or_die(dev);
    outb(0x72, 0x0d);
    g_assert_cmphex(inb(0x73), ==, 0x80);
    g_assert_cmphex(inb(0x71), ==, 0xff);    /* nothing at 0x70 now */
    object_unref(OBJECT(dev));
}

/* ---- isa-debug-exit ---- */

/* Runs a write in a child and returns its exit status. */
static int debug_exit_status(uint32_t iobase, uint32_t iosize,
                             unsigned size, uint64_t value)
{
    pid_t pid = fork();
    int wstatus;

    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        DeviceState *dev = qdev_new(TYPE_ISA_DEBUG_EXIT);

        object_property_set_uint(OBJECT(dev), "iobase", iobase, &error_fatal);
        object_property_set_uint(OBJECT(dev), "iosize", iosize, &error_fatal);
        realize_or_die(dev);
        address_space_st(&address_space_io, iobase, size, value);
        _exit(99);
    }
    g_assert_cmpint(waitpid(pid, &wstatus, 0), ==, pid);
    g_assert_true(WIFEXITED(wstatus));
    return WEXITSTATUS(wstatus);
}

static void test_debug_exit(void)
{
    DeviceState *dev;
    uint64_t v = 1;

    g_assert_cmpint(debug_exit_status(0x501, 2, 1, 0x21), ==, 0x43);
    g_assert_cmpint(debug_exit_status(0xf4, 4, 4, 0x10), ==, 0x21);
    g_assert_cmpint(debug_exit_status(0xf4, 1, 1, 0x00), ==, 0x01);
    /* 0x80 << 1 | 1 is 0x101: the status keeps the low 8 bits. */
    g_assert_cmpint(debug_exit_status(0xf4, 4, 1, 0x80), ==, 0x01);

    dev = realize_or_die(qdev_new(TYPE_ISA_DEBUG_EXIT));
    g_assert_cmpint(address_space_ld(&address_space_io, 0x501, 2, &v), ==,
                    MEMTX_OK);
    g_assert_cmphex(v, ==, 0);
    object_unref(OBJECT(dev));

    dev = qdev_new(TYPE_ISA_DEBUG_EXIT);
    object_property_set_uint(OBJECT(dev), "iosize", 3, &error_fatal);
    assert_realize_error(dev, "isa-debug-exit: iosize 3 is not supported "
                         "(1, 2 or 4)");
    dev = qdev_new(TYPE_ISA_DEBUG_EXIT);
    object_property_set_uint(OBJECT(dev), "iobase", 0xfffe, &error_fatal);
    object_property_set_uint(OBJECT(dev), "iosize", 4, &error_fatal);
    assert_realize_error(dev, "device 'isa-debug-exit': I/O ports "
                         "0xfffe-0x10001 are outside the port space "
                         "(0x0-0xffff)");
    g_assert_true(DEVICE_CLASS(object_class_by_name(TYPE_ISA_DEBUG_EXIT))
                  ->user_creatable);
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

    g_test_add_func("/isa/serial/reset-values", test_serial_reset_values);
    g_test_add_func("/isa/serial/divisor", test_serial_divisor);
    g_test_add_func("/isa/serial/output", test_serial_output);
    g_test_add_func("/isa/serial/loopback", test_serial_loopback);
    g_test_add_func("/isa/serial/priorities", test_serial_priorities);
    g_test_add_func("/isa/serial/fifo", test_serial_fifo);
    g_test_add_func("/isa/serial/input", test_serial_input);
    g_test_add_func("/isa/serial/break", test_serial_break);
    g_test_add_func("/isa/serial/errors", test_serial_errors);
    g_test_add_func("/isa/serial/mm", test_serial_mm);
    g_test_add_func("/isa/i8042/commands", test_i8042_commands);
    g_test_add_func("/isa/i8042/keyboard", test_i8042_keyboard);
    g_test_add_func("/isa/i8042/mouse", test_i8042_mouse);
    g_test_add_func("/isa/i8042/reset-line", test_i8042_reset_line);
    g_test_add_func("/isa/rtc/clock", test_rtc_clock);
    g_test_add_func("/isa/rtc/update-cycle", test_rtc_update_cycle);
    g_test_add_func("/isa/rtc/periodic", test_rtc_periodic);
    g_test_add_func("/isa/rtc/cmos-ram", test_rtc_cmos_ram);
    g_test_add_func("/isa/debug-exit", test_debug_exit);
    ret = g_test_run();

    chardev_cleanup_all();
    remove_tmpdir();
    return ret;
}
