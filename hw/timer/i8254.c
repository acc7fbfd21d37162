/*
 * The 8254 programmable interval timer (Intel 8254 datasheet) and the
 * PC's port 0x61 (system control port B).
 *
 * Three 16-bit down counters clocked at 1.193182 MHz.  A channel does
 * not tick: its counter and OUT are worked out from the virtual clock
 * and the time counting started, in ticks d since then:
 *   mode 0  interrupt on terminal count: OUT low, high from d = N on
 *   mode 1  one-shot triggered by a rising GATE: OUT low until d = N
 *   mode 2  rate generator: OUT low for the tick before each reload
 *   mode 3  square wave: OUT high for ceil(N/2) ticks, low for floor(N/2)
 *   mode 4  software strobe: OUT low for the one tick at d = N
 *   mode 5  hardware strobe: mode 4, started by a rising GATE
 * (N is the count written, 0 meaning 65536, or 10000 in BCD.)  GATE low
 * pauses modes 0 and 4, and stops 2 and 3 with OUT high until a rising
 * GATE reloads them.  Channel 0's OUT is IRQ 0: a virtual-clock timer
 * follows its transitions.  Channel 1 (DRAM refresh) only counts;
 * channel 2's GATE and OUT are bits 0 and 5 of port 0x61.
 *
 * Lost ticks (lost_tick_policy=delay, the default, as kvm's in-kernel
 * PIT and QEMU's kvm-pit): a host that runs the board late delivers
 * several of OUT's rising edges at once, which the interrupt controller
 * would merge into one request.  So a rising edge that comes while the
 * guest has not acknowledged the last one (its EOI at the 8259 or the
 * IOAPIC, include/hw/intc/irq-ack.h) is held, and each acknowledgement
 * sends one held edge.  lost_tick_policy=discard puts OUT on IRQ 0 as
 * it is (QEMU's user-space PIT).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "sysemu/timer.h"
#include "hw/timer/i8254.h"
#include "hw/misc/isa-ports.h"

/* Read/write mode of a channel: which bytes of the count go through
 * the port; WORD0/WORD1 step through low then high. */
enum { RW_LATCH, RW_LSB, RW_MSB, RW_WORD0, RW_WORD1 };

#define CTRL_READBACK     3      /* select counter field */
#define READBACK_NO_COUNT 0x20
#define READBACK_NO_STATUS 0x10
#define STATUS_OUT        0x80
#define STATUS_NULL_COUNT 0x40

#define PORT61_GATE2      0x01
#define PORT61_SPEAKER    0x02
#define PORT61_WRITABLE   0x0f   /* read back as written */
#define PORT61_REFRESH    0x10   /* toggles every 15.085 us */
#define PORT61_OUT2       0x20
#define REFRESH_NS        15085

enum { LOST_TICK_DISCARD, LOST_TICK_DELAY };
static const char *const lost_tick_policies[] = { "discard", "delay", NULL };

typedef struct PITChannel {
    struct PITState *pit;
    uint32_t count;              /* N in binary: 1..65536 */
    uint16_t latched_count;
    uint8_t count_latched;       /* RW_* of the latch, RW_LATCH: none */
    uint8_t status;
    bool status_latched;
    uint8_t read_state, write_state;
    uint8_t write_latch;         /* the low byte of a word write */
    uint8_t rw_mode;
    uint8_t mode;                /* 0-5 (6 and 7 are 2 and 3) */
    bool bcd;
    bool gate;
    bool loaded;                 /* a count was written for this mode */
    bool running;                /* counting: ticks run from start_ns */
    uint64_t paused_ticks;       /* ticks counted when it stopped */
    int64_t start_ns;
    /* channel 0: the OUT level on IRQ 0 and when it next changes */
    EmuTimer *timer;
    int64_t next_ns;
} PITChannel;

typedef struct PITState {
    DeviceState parent_obj;
    MemoryRegion io;
    MemoryRegion port61_io;
    IRQLine *irq;
    uint32_t iobase;
    PITChannel channels[3];
    uint8_t port61;              /* the writable bits */
    int lost_tick_policy;
    /* IRQ 0: channel 0's OUT, the line, and the ticks held back */
    bool out;
    bool irq_level;
    bool tick_unacked;           /* an edge sent, not acknowledged yet */
    uint64_t ticks_held;         /* rising edges of OUT not sent yet */
} PITState;

#define I8254(obj) INSTANCE_CAST(PITState, (obj), TYPE_I8254)

static uint64_t ns_to_ticks(int64_t ns)
{
    return (unsigned __int128)ns * PIT_FREQ / NANOSECONDS_PER_SECOND;
}

/* The first time at which ticks_since(start) reaches ticks. */
static int64_t ticks_to_ns(uint64_t ticks)
{
    return ((unsigned __int128)ticks * NANOSECONDS_PER_SECOND + PIT_FREQ - 1)
           / PIT_FREQ;
}

static int channel_mode(PITChannel *c)
{
    return c->mode >= 6 ? c->mode - 4 : c->mode;
}

static uint64_t elapsed(PITChannel *c, int64_t now)
{
    return c->running ? ns_to_ticks(now - c->start_ns) : c->paused_ticks;
}

/* Modes 1 and 5 wait for GATE before counting at all. */
static bool triggered(PITChannel *c)
{
    return c->running || c->paused_ticks;
}

static int get_out(PITChannel *c, int64_t now)
{
    uint64_t d = elapsed(c, now), n = c->count;

    if (!c->loaded) {
        return channel_mode(c) != 0;
    }
    switch (channel_mode(c)) {
    case 0:
        return d >= n;
    case 1:
        return !triggered(c) || d >= n;
    case 2:
        return !c->running || n < 2 || d % n != n - 1;
    case 3:
        return !c->running || d % n < (n + 1) / 2;
    default:                     /* 4 and 5 */
        return d != n;
    }
}

/* The counter as the guest reads it (binary; BCD converted by caller). */
static uint32_t get_count(PITChannel *c, int64_t now)
{
    uint64_t d = elapsed(c, now), n = c->count;

    if (!c->loaded) {
        return 0;
    }
    switch (channel_mode(c)) {
    case 2:
        return n - d % n;
    case 3:
        /* Decrements by two, through each half of the period. */
        return n - (2 * d) % n;
    default:
        /* Past terminal count it wraps and goes on down. */
        return (n - d) & 0xffff;
    }
}

/* The tick count after d at which OUT next changes; 0: never. */
static uint64_t next_transition(PITChannel *c, uint64_t d)
{
    uint64_t n = c->count, base = d - d % n;

    if (!c->loaded || !c->running) {
        return 0;
    }
    switch (channel_mode(c)) {
    case 0:
    case 1:
        return d < n ? n : 0;
    case 2:
        if (n < 2) {
            return 0;
        }
        return d % n < n - 1 ? base + n - 1 : base + n;
    case 3:
        return d % n < (n + 1) / 2 ? base + (n + 1) / 2 : base + n;
    default:
        return d < n ? n : d == n ? n + 1 : 0;
    }
}

/* A rising edge on IRQ 0, which the guest is to acknowledge under the
 * delay policy. */
static void send_tick(PITState *s)
{
    if (s->irq_level) {
        irq_set_level(s->irq, 0);
    }
    irq_set_level(s->irq, 1);
    s->irq_level = true;
    s->tick_unacked = s->lost_tick_policy == LOST_TICK_DELAY;
}

/* Channel 0's OUT changed to out: IRQ 0 follows it, but for a rising
 * edge the guest is not ready for, which waits for its turn. */
static void set_out(PITState *s, bool out)
{
    if (out == s->out) {
        return;
    }
    s->out = out;
    if (!out) {
        if (s->irq_level) {
            irq_set_level(s->irq, 0);
            s->irq_level = false;
        }
    } else if (s->tick_unacked) {
        s->ticks_held++;
    } else {
        send_tick(s);
    }
}

/* A new count or mode: the ticks of the old one are not owed. */
static void forget_ticks(PITState *s)
{
    s->tick_unacked = false;
    s->ticks_held = 0;
}

void i8254_irq_acked(DeviceState *dev)
{
    PITState *s = I8254(dev);

    s->tick_unacked = false;
    if (s->ticks_held) {
        s->ticks_held--;
        send_tick(s);
    }
}

void i8254_irq_forgotten(DeviceState *dev)
{
    forget_ticks(I8254(dev));
}

/* Channel 0: puts OUT as of time on IRQ 0 and arms the timer for its
 * next change.  The timer's callback passes the time it was due, so a
 * late main loop still shows every pulse (as QEMU's does). */
static void update_irq(PITChannel *c, int64_t time)
{
    uint64_t next;

    if (!c->timer) {
        return;
    }
    set_out(c->pit, get_out(c, time));
    next = next_transition(c, elapsed(c, time));
    if (next) {
        c->next_ns = c->start_ns + ticks_to_ns(next);
        timer_mod(c->timer, c->next_ns);
    } else {
        timer_del(c->timer);
    }
}

static void pit_timer_cb(void *opaque)
{
    PITChannel *c = opaque;

    update_irq(c, c->next_ns);
}

static void start_counting(PITChannel *c, int64_t now)
{
    c->running = true;
    c->paused_ticks = 0;
    c->start_ns = now;
}

static void load_count(PITChannel *c, uint32_t value)
{
    int64_t now = clock_virtual_ns();

    if (c->bcd) {
        value = (value >> 12 & 0xf) * 1000 + (value >> 8 & 0xf) * 100 +
                (value >> 4 & 0xf) * 10 + (value & 0xf);
    }
    c->count = value ? value : c->bcd ? 10000 : 0x10000;
    c->loaded = true;
    if (c->timer) {
        forget_ticks(c->pit);
    }
    /* Modes 1 and 5 wait for a rising GATE; the others count from now
     * (a new count in a running mode 2 or 3 restarts the period, where
     * the chip would wait for the next reload) while GATE is high. */
    c->running = false;
    c->paused_ticks = 0;
    if (c->gate && channel_mode(c) != 1 && channel_mode(c) != 5) {
        start_counting(c, now);
    }
    update_irq(c, now);
}

static void set_gate(PITChannel *c, bool gate)
{
    int64_t now = clock_virtual_ns();
    bool rising = gate && !c->gate;

    if (gate == c->gate) {
        return;
    }
    c->gate = gate;
    if (!c->loaded) {
        return;
    }
    switch (channel_mode(c)) {
    case 0:
    case 4:
        /* Counting pauses while GATE is low. */
        if (gate) {
            c->running = true;
            c->start_ns = now - ticks_to_ns(c->paused_ticks);
        } else {
            c->paused_ticks = elapsed(c, now);
            c->running = false;
        }
        break;
    default:
        /* 1, 5: (re)trigger; 2, 3: stop with OUT high, reload. */
        if (rising) {
            start_counting(c, now);
        } else if (channel_mode(c) == 2 || channel_mode(c) == 3) {
            c->running = false;
            c->paused_ticks = 0;
        }
        break;
    }
    update_irq(c, now);
}

static uint16_t to_bcd(uint32_t v)
{
    return (v / 1000 % 10) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 |
           (v % 10);
}

static uint16_t read_counter(PITChannel *c)
{
    uint32_t v = get_count(c, clock_virtual_ns());

    return c->bcd ? to_bcd(v) : v;
}

static void latch_count(PITChannel *c)
{
    if (c->count_latched == RW_LATCH) {
        c->latched_count = read_counter(c);
        c->count_latched = c->rw_mode;
    }
}

static void latch_status(PITChannel *c)
{
    if (!c->status_latched) {
        c->status = (get_out(c, clock_virtual_ns()) ? STATUS_OUT : 0) |
                    (c->loaded ? 0 : STATUS_NULL_COUNT) |
                    (c->rw_mode << 4) | (c->mode << 1) | c->bcd;
        c->status_latched = true;
    }
}

static void write_control(PITState *s, uint8_t value)
{
    int sel = value >> 6, rw = (value >> 4) & 3;
    PITChannel *c;

    if (sel == CTRL_READBACK) {
        for (int i = 0; i < 3; i++) {
            if (!(value & (2 << i))) {
                continue;
            }
            if (!(value & READBACK_NO_COUNT)) {
                latch_count(&s->channels[i]);
            }
            if (!(value & READBACK_NO_STATUS)) {
                latch_status(&s->channels[i]);
            }
        }
        return;
    }
    c = &s->channels[sel];
    if (rw == RW_LATCH) {
        latch_count(c);
        return;
    }
    c->rw_mode = rw;
    c->read_state = c->write_state = rw;
    c->mode = (value >> 1) & 7;
    c->bcd = value & 1;
    /* The mode write stops the channel until a count is written; OUT
     * goes low in mode 0 and high in the others. */
    c->loaded = false;
    c->running = false;
    c->paused_ticks = 0;
    c->count_latched = RW_LATCH;
    c->status_latched = false;
    if (c->timer) {
        forget_ticks(s);
    }
    update_irq(c, clock_virtual_ns());
}

static void pit_write(void *opaque, hwaddr addr, uint64_t value,
                      unsigned size)
{
    PITState *s = opaque;
    PITChannel *c;

    if (addr == 3) {
        write_control(s, value);
        return;
    }
    c = &s->channels[addr];
    switch (c->write_state) {
    case RW_LSB:
        load_count(c, value);
        break;
    case RW_MSB:
        load_count(c, value << 8);
        break;
    case RW_WORD0:
        c->write_latch = value;
        c->write_state = RW_WORD1;
        break;
    case RW_WORD1:
        load_count(c, c->write_latch | (value << 8));
        c->write_state = RW_WORD0;
        break;
    }
}

static uint64_t pit_read(void *opaque, hwaddr addr, unsigned size)
{
    PITState *s = opaque;
    PITChannel *c;
    uint16_t count;

    if (addr == 3) {
        return 0xff;             /* the control word is write-only */
    }
    c = &s->channels[addr];
    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    if (c->count_latched != RW_LATCH) {
        switch (c->count_latched) {
        case RW_LSB:
            c->count_latched = RW_LATCH;
            return c->latched_count & 0xff;
        case RW_MSB:
            c->count_latched = RW_LATCH;
            return c->latched_count >> 8;
        default:
            c->count_latched = RW_MSB;   /* the high byte next */
            return c->latched_count & 0xff;
        }
    }
    count = read_counter(c);
    switch (c->read_state) {
    case RW_LSB:
        return count & 0xff;
    case RW_MSB:
        return count >> 8;
    case RW_WORD0:
        c->read_state = RW_WORD1;
        return count & 0xff;
    default:
        c->read_state = RW_WORD0;
        return count >> 8;
    }
}

static const MemoryRegionOps pit_ops = {
    .read = pit_read,
    .write = pit_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

static uint64_t port61_read(void *opaque, hwaddr addr, unsigned size)
{
    PITState *s = opaque;
    int64_t now = clock_virtual_ns();

    return s->port61 |
           ((now / REFRESH_NS) & 1 ? PORT61_REFRESH : 0) |
           (get_out(&s->channels[2], now) ? PORT61_OUT2 : 0);
}

static void port61_write(void *opaque, hwaddr addr, uint64_t value,
                         unsigned size)
{
    PITState *s = opaque;

    s->port61 = value & PORT61_WRITABLE;
    set_gate(&s->channels[2], value & PORT61_GATE2);
}

static const MemoryRegionOps port61_ops = {
    .read = port61_read,
    .write = port61_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 1 },
};

/* Power-on: every channel in mode 3 without a count, channels 0 and 1
 * gated on, channel 2 off (port 0x61 cleared). */
static void pit_reset(DeviceState *dev)
{
    PITState *s = I8254(dev);

    s->port61 = 0;
    for (int i = 0; i < 3; i++) {
        PITChannel *c = &s->channels[i];
        EmuTimer *timer = c->timer;

        *c = (PITChannel) {
            .pit = s, .timer = timer, .mode = 3, .rw_mode = RW_WORD0,
            .read_state = RW_WORD0, .write_state = RW_WORD0,
            .gate = i != 2, .count = 0x10000,
        };
        if (timer) {
            timer_del(timer);
        }
    }
    s->out = s->irq_level = false;
    forget_ticks(s);
    irq_set_level(s->irq, 0);
}

static void pit_init(Object *obj)
{
    PITState *s = I8254(obj);

    qdev_init_gpio_out(DEVICE(obj), &s->irq, 1);
    for (int i = 0; i < 3; i++) {
        s->channels[i].pit = s;
    }
}

static bool pit_realize(DeviceState *dev, Error **errp)
{
    PITState *s = I8254(dev);

    memory_region_init_io(&s->io, OBJECT(dev), &pit_ops, s, "pit", 4);
    memory_region_init_io(&s->port61_io, OBJECT(dev), &port61_ops, s,
                          "pcspk", 1);
    if (!isa_ports_map(dev, &s->io, s->iobase, errp)) {
        goto fail;
    }
    if (!isa_ports_map(dev, &s->port61_io, 0x61, errp)) {
        isa_ports_unmap(&s->io);
        goto fail;
    }
    s->channels[0].timer = timer_new_virtual(pit_timer_cb, &s->channels[0]);
    return true;

fail:
    memory_region_destroy(&s->io);
    memory_region_destroy(&s->port61_io);
    return false;
}

static void pit_unrealize(DeviceState *dev)
{
    PITState *s = I8254(dev);

    timer_free(s->channels[0].timer);
    s->channels[0].timer = NULL;
    isa_ports_unmap(&s->io);
    isa_ports_unmap(&s->port61_io);
    memory_region_destroy(&s->io);
    memory_region_destroy(&s->port61_io);
}

static void pit_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static const Property pit_properties[] = {
    DEFINE_PROP_UINT("iobase", PITState, iobase, 0x40,
                     "first of the four ports (counters 0-2, control)"),
    DEFINE_PROP_ENUM("lost_tick_policy", PITState, lost_tick_policy,
                     lost_tick_policies, LOST_TICK_DELAY,
                     "delay: IRQ 0's edges wait for the guest to take the "
                     "last; discard: as they come"),
};

static void pit_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "8254 programmable interval timer and port 0x61";
    dc->realize = pit_realize;
    dc->unrealize = pit_unrealize;
    dc->reset = pit_reset;
    class_add_properties(klass, pit_properties, ARRAY_SIZE(pit_properties));
}

static const TypeInfo pit_types[] = {
    {
        .name = TYPE_I8254,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(PITState),
        .instance_init = pit_init,
        .instance_finalize = pit_finalize,
        .class_init = pit_class_init,
    },
};

DEFINE_TYPES(pit_types)
