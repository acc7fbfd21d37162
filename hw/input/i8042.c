/*
 * The i8042 keyboard controller of the PC: the status and command port
 * 0x64, the data port 0x60, the controller's own commands (self-tests,
 * command byte, output port), the CPU reset line, which is how x86
 * guests reboot ("pulse output line" 0xfe, or the output port with its
 * reset bit clear), and a PS/2 keyboard (hw/input/ps2.c) whose set 2
 * scan codes the controller translates to set 1 while command byte bit
 * 6 asks for it, as the part does, and a PS/2 mouse on the auxiliary
 * port (hw/input/ps2-mouse.c) whose bytes raise IRQ 12.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/qdev.h"
#include "hw/misc/i8042.h"
#include "hw/input/ps2.h"
#include "ui/input.h"
#include "hw/misc/isa-ports.h"
#include "sysemu/runstate.h"

#define I8042_DATA_PORT 0x60
#define I8042_CMD_PORT  0x64

/* Status register (read from 0x64). */
#define STAT_OBF        0x01     /* output buffer full */
#define STAT_SYS        0x04     /* system flag, from the command byte */
#define STAT_CMD        0x08     /* last write went to 0x64 */
#define STAT_UNLOCKED   0x10     /* keyboard not inhibited by the key lock */
#define STAT_AUX_OBF    0x20     /* the output byte comes from the aux port */

/* Command byte (controller RAM byte 0). */
#define CB_KBD_INT      0x01
#define CB_AUX_INT      0x02
#define CB_SYS          0x04
#define CB_KBD_DISABLE  0x10
#define CB_AUX_DISABLE  0x20
#define CB_XLATE        0x40     /* translate set 2 to set 1 */
#define KBD_BREAK_PREFIX 0xf0    /* set 2: the next code is a release */
#define XLATE_BREAK     0x80     /* set 1: release = code | 0x80 */

/* Output port. */
#define OUT_RESET       0x01     /* 0 holds the CPU in reset */
#define OUT_A20         0x02
#define OUT_KBD_IRQ     0x10
#define OUT_AUX_IRQ     0x20

/* Controller commands. */
#define CMD_READ_RAM        0x20 /* 0x20-0x3f: RAM byte n */
#define CMD_WRITE_RAM       0x60 /* 0x60-0x7f: RAM byte n */
#define CMD_AUX_DISABLE     0xa7
#define CMD_AUX_ENABLE      0xa8
#define CMD_AUX_TEST        0xa9
#define CMD_SELF_TEST       0xaa
#define CMD_KBD_TEST        0xab
#define CMD_KBD_DISABLE     0xad
#define CMD_KBD_ENABLE      0xae
#define CMD_READ_INPORT     0xc0
#define CMD_READ_OUTPORT    0xd0
#define CMD_WRITE_OUTPORT   0xd1
#define CMD_WRITE_KBD_OBUF  0xd2
#define CMD_WRITE_AUX_OBUF  0xd3
#define CMD_WRITE_AUX       0xd4
#define CMD_READ_TEST       0xe0
#define CMD_PULSE           0xf0 /* 0xf0-0xff: pulse lines with bit clear */

#define SELF_TEST_OK        0x55
#define INTERFACE_TEST_OK   0x00
#define INPORT_VALUE        0x80 /* keyboard not inhibited */
#define RAM_SIZE            32

typedef struct I8042State {
    DeviceState parent_obj;
    MemoryRegion data_io;
    MemoryRegion cmd_io;
    IRQLine *irqs[2];            /* IRQ 1, IRQ 12 */
    IRQLine *a20;                /* output port bit 1 */
    uint8_t ram[RAM_SIZE];       /* ram[0] is the command byte */
    uint8_t status;
    uint8_t outport;
    uint8_t obuf;                /* last byte put in the output buffer */
    uint8_t pending;             /* command waiting for its data byte */
    bool xlate_break;            /* translating: an 0xf0 came */
    PS2Keyboard kbd;
    PS2Mouse mouse;
} I8042State;

#define I8042(obj) INSTANCE_CAST(I8042State, (obj), TYPE_I8042)

static void i8042_update_irq(I8042State *s)
{
    bool full = s->status & STAT_OBF;
    bool aux = s->status & STAT_AUX_OBF;

    irq_set_level(s->irqs[0], full && !aux && (s->ram[0] & CB_KBD_INT));
    irq_set_level(s->irqs[1], full && aux && (s->ram[0] & CB_AUX_INT));
}

static void i8042_output(I8042State *s, uint8_t value, bool aux)
{
    s->obuf = value;
    s->status = (s->status & ~STAT_AUX_OBF) | STAT_OBF |
                (aux ? STAT_AUX_OBF : 0);
    i8042_update_irq(s);
}

/* Set 2 code -> set 1 code, the controller's translation table, built
 * from the key table (identity where no key has the code: replies such
 * as 0xfa and 0xaa pass unchanged). */
static uint8_t xlate_table[256];

static void xlate_add_key(const KeyInfo *key, void *opaque)
{
    xlate_table[key->set2 & 0xff] = key->set1 & 0xff;
}

static void xlate_table_init(void)
{
    static bool done;

    if (!done) {
        for (int i = 0; i < 256; i++) {
            xlate_table[i] = i;
        }
        key_foreach(xlate_add_key, NULL);
        done = true;
    }
}

/* A keyboard byte as the host reads it: translated to set 1 while the
 * command byte asks for it, where a set 2 break prefix becomes bit 7
 * of the next code.  False when the byte only prefixed the next. */
static bool i8042_kbd_byte(I8042State *s, uint8_t *b)
{
    if (!(s->ram[0] & CB_XLATE)) {
        return true;
    }
    if (*b == KBD_BREAK_PREFIX) {
        s->xlate_break = true;
        return false;
    }
    *b = xlate_table[*b] | (s->xlate_break ? XLATE_BREAK : 0);
    s->xlate_break = false;
    return true;
}

/* Fills the output buffer while it is empty: keyboard bytes first,
 * then the mouse's, each while its interface is enabled. */
static void i8042_pump(I8042State *s)
{
    while (!(s->status & STAT_OBF)) {
        if (!(s->ram[0] & CB_KBD_DISABLE) && ps2_kbd_has_data(&s->kbd)) {
            uint8_t b = ps2_kbd_read(&s->kbd);

            if (i8042_kbd_byte(s, &b)) {
                i8042_output(s, b, false);
            }
        } else if (!(s->ram[0] & CB_AUX_DISABLE) &&
                   ps2_mouse_has_data(&s->mouse)) {
            i8042_output(s, ps2_mouse_read(&s->mouse), true);
        } else {
            break;
        }
    }
}

static void i8042_ps2_notify(void *opaque)
{
    i8042_pump(opaque);
}

static void i8042_write_outport(I8042State *s, uint8_t value)
{
    s->outport = value;
    irq_set_level(s->a20, !!(value & OUT_A20));
    if (!(value & OUT_RESET)) {
        system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
    }
}

static uint8_t i8042_read_outport(I8042State *s)
{
    uint8_t value = s->outport & ~(OUT_KBD_IRQ | OUT_AUX_IRQ);

    if (s->status & STAT_OBF) {
        value |= s->status & STAT_AUX_OBF ? OUT_AUX_IRQ : OUT_KBD_IRQ;
    }
    return value;
}

static void i8042_command(I8042State *s, uint8_t cmd)
{
    if (cmd >= CMD_READ_RAM && cmd < CMD_READ_RAM + RAM_SIZE) {
        i8042_output(s, s->ram[cmd - CMD_READ_RAM], false);
        return;
    }
    if ((cmd >= CMD_WRITE_RAM && cmd < CMD_WRITE_RAM + RAM_SIZE) ||
        (cmd >= CMD_WRITE_OUTPORT && cmd <= CMD_WRITE_AUX)) {
        s->pending = cmd;
        return;
    }
    if (cmd >= CMD_PULSE) {
        /* Bits 0-3 clear are the lines pulsed; line 0 is CPU reset. */
        if (!(cmd & OUT_RESET)) {
            system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        }
        return;
    }
    switch (cmd) {
    case CMD_AUX_DISABLE:
        s->ram[0] |= CB_AUX_DISABLE;
        break;
    case CMD_AUX_ENABLE:
        s->ram[0] &= ~CB_AUX_DISABLE;
        i8042_pump(s);
        break;
    case CMD_KBD_DISABLE:
        s->ram[0] |= CB_KBD_DISABLE;
        break;
    case CMD_KBD_ENABLE:
        s->ram[0] &= ~CB_KBD_DISABLE;
        i8042_pump(s);
        break;
    case CMD_SELF_TEST:
        s->ram[0] |= CB_SYS;
        i8042_output(s, SELF_TEST_OK, false);
        break;
    case CMD_AUX_TEST:
    case CMD_KBD_TEST:
        i8042_output(s, INTERFACE_TEST_OK, false);
        break;
    case CMD_READ_INPORT:
        i8042_output(s, INPORT_VALUE, false);
        break;
    case CMD_READ_OUTPORT:
        i8042_output(s, i8042_read_outport(s), false);
        break;
    case CMD_READ_TEST:
        i8042_output(s, 0, false);
        break;
    default:
        emu_log_mask(LOG_UNIMP, "i8042: unsupported command 0x%02x\n", cmd);
        break;
    }
}

static void i8042_data(I8042State *s, uint8_t value)
{
    uint8_t cmd = s->pending;

    s->pending = 0;
    if (cmd >= CMD_WRITE_RAM && cmd < CMD_WRITE_RAM + RAM_SIZE) {
        s->ram[cmd - CMD_WRITE_RAM] = value;
        i8042_update_irq(s);
        i8042_pump(s);
        return;
    }
    switch (cmd) {
    case CMD_WRITE_OUTPORT:
        i8042_write_outport(s, value);
        break;
    case CMD_WRITE_KBD_OBUF:
        i8042_output(s, value, false);
        break;
    case CMD_WRITE_AUX_OBUF:
        i8042_output(s, value, true);
        break;
    case CMD_WRITE_AUX:
        /* Writing to the mouse enables its interface. */
        s->ram[0] &= ~CB_AUX_DISABLE;
        ps2_mouse_write(&s->mouse, value);
        break;
    default:
        /* Writing to the keyboard enables its interface. */
        s->ram[0] &= ~CB_KBD_DISABLE;
        ps2_kbd_write(&s->kbd, value);
        break;
    }
}

static uint64_t i8042_data_read(void *opaque, hwaddr addr, unsigned size)
{
    I8042State *s = opaque;
    uint8_t value = s->obuf;

    /* With nothing new the last byte is read again, as on real parts. */
    s->status &= ~(STAT_OBF | STAT_AUX_OBF);
    i8042_update_irq(s);
    i8042_pump(s);
    return value;
}

static void i8042_data_write(void *opaque, hwaddr addr, uint64_t value,
                             unsigned size)
{
    I8042State *s = opaque;

    s->status &= ~STAT_CMD;
    i8042_data(s, value);
}

static uint64_t i8042_cmd_read(void *opaque, hwaddr addr, unsigned size)
{
    I8042State *s = opaque;

    return (s->status & ~STAT_SYS) | (s->ram[0] & CB_SYS ? STAT_SYS : 0);
}

static void i8042_cmd_write(void *opaque, hwaddr addr, uint64_t value,
                            unsigned size)
{
    I8042State *s = opaque;

    s->status |= STAT_CMD;
    /* A command abandons one that still waited for its data byte. */
    s->pending = 0;
    i8042_command(s, value);
}

static const MemoryRegionOps i8042_data_ops = {
    .read = i8042_data_read,
    .write = i8042_data_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static const MemoryRegionOps i8042_cmd_ops = {
    .read = i8042_cmd_read,
    .write = i8042_cmd_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static void i8042_reset(DeviceState *dev)
{
    I8042State *s = I8042(dev);

    memset(s->ram, 0, sizeof(s->ram));
    s->ram[0] = CB_KBD_INT | CB_AUX_INT;
    s->status = STAT_CMD | STAT_UNLOCKED;
    s->outport = OUT_RESET | OUT_A20;
    s->obuf = 0;
    s->pending = 0;
    s->xlate_break = false;
    ps2_kbd_reset(&s->kbd);
    ps2_mouse_reset(&s->mouse);
    i8042_update_irq(s);
}

static void i8042_init(Object *obj)
{
    I8042State *s = I8042(obj);

    qdev_init_gpio_out(DEVICE(obj), s->irqs, 2);
    qdev_init_gpio_out(DEVICE(obj), &s->a20, 1);
}

static bool i8042_realize(DeviceState *dev, Error **errp)
{
    I8042State *s = I8042(dev);

    memory_region_init_io(&s->data_io, OBJECT(dev), &i8042_data_ops, s,
                          "i8042-data", 1);
    memory_region_init_io(&s->cmd_io, OBJECT(dev), &i8042_cmd_ops, s,
                          "i8042-cmd", 1);
    if (!isa_ports_map(dev, &s->data_io, I8042_DATA_PORT, errp)) {
        goto fail;
    }
    if (!isa_ports_map(dev, &s->cmd_io, I8042_CMD_PORT, errp)) {
        isa_ports_unmap(&s->data_io);
        goto fail;
    }
    xlate_table_init();
    ps2_kbd_init(&s->kbd, i8042_ps2_notify, s);
    ps2_mouse_init(&s->mouse, i8042_ps2_notify, s);
    i8042_reset(dev);
    return true;

fail:
    memory_region_destroy(&s->data_io);
    memory_region_destroy(&s->cmd_io);
    return false;
}

static void i8042_unrealize(DeviceState *dev)
{
    I8042State *s = I8042(dev);

    ps2_kbd_exit(&s->kbd);
    ps2_mouse_exit(&s->mouse);
    isa_ports_unmap(&s->data_io);
    isa_ports_unmap(&s->cmd_io);
    memory_region_destroy(&s->data_io);
    memory_region_destroy(&s->cmd_io);
}

/* A realized device dropped without unrealize must not stay mapped. */
static void i8042_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static void i8042_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "PS/2 keyboard controller with a keyboard and a mouse";
    dc->realize = i8042_realize;
    dc->unrealize = i8042_unrealize;
    dc->reset = i8042_reset;
    dc->category = DEVICE_CATEGORY_INPUT;
}

static const TypeInfo i8042_types[] = {
    {
        .name = TYPE_I8042,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(I8042State),
        .instance_init = i8042_init,
        .instance_finalize = i8042_finalize,
        .class_init = i8042_class_init,
    },
};

DEFINE_TYPES(i8042_types)
