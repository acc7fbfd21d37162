/*
 * The High Precision Event Timer (IA-PC HPET specification 1.0a), as
 * QEMU 7.2 models it on the PC: one block of registers at 0xfed00000.
 *
 *   0x000 General Capabilities and ID: revision 1, timers - 1, 64-bit
 *         counter, legacy replacement capable, vendor 0x8086; the high
 *         half the counter's period in femtoseconds (10 ns)
 *   0x010 General Configuration: ENABLE_CNF (bit 0), LEG_RT_CNF (bit 1)
 *   0x020 General Interrupt Status: a bit per level-triggered timer
 *         whose interrupt is active; writing 1 ends it
 *   0x0f0 Main Counter (writable while the counter is stopped)
 *   0x100 + 0x20 n: timer n's Configuration and Capabilities (its
 *         interrupt routing capabilities in the high half), Comparator
 *         and FSB Interrupt Route
 *
 * The counter is the virtual clock in units of 10 ns from where it
 * started, and does not tick: a timer's virtual-clock timer is armed for
 * the time the counter reaches its comparator (and run at a register
 * access if it is overdue).  Then the timer interrupts (edge: a
 * pulse; level: its status bit and its line held until the guest clears
 * the bit) and, in periodic mode, its comparator moves on by the period.
 * A timer in 32-bit mode compares the counter's low half; in one-shot
 * mode it also interrupts when that half wraps, as QEMU's does.  In legacy
 * replacement mode timer 0 drives IRQ 0 and timer 1 IRQ 8 in place of the
 * PIT and the RTC, whose interrupts the HPET then holds back.
 *
 * Lost ticks: timer 0 in legacy replacement mode is the guest's tick,
 * and a host that runs the timer's callback late (several periods due
 * at once), or a guest that has not taken the last tick yet, would
 * merge ticks in the interrupt controller.  As the PIT does with
 * lost_tick_policy=delay (hw/timer/i8254.c, as kvm's in-kernel PIT),
 * such ticks are held and one is sent each time the guest acknowledges
 * IRQ 0 (hpet_irq0_ack_listener); QEMU's HPET merges them.
 *
 * Where this differs from QEMU (the specification wins): an interrupt
 * route the timer's capabilities do not offer, or the FSB enable bit
 * without FSB capability, is not taken (QEMU stores either); accesses of
 * 8 bytes work (QEMU's take 4 only).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/sysbus.h"
#include "hw/intc/irq-ack.h"
#include "hw/timer/hpet.h"
#include "softmmu/memory.h"
#include "sysemu/timer.h"

#define HPET_MIN_TIMERS 3
#define HPET_MAX_TIMERS 32
#define HPET_NS_PER_TICK 10
#define MAX_ARM_TICKS (1ULL << 58)
#define MIN_PERIOD_TICKS 1000    /* 10 us */

#define REG_CAP           0x000
#define REG_CFG           0x010
#define REG_STATUS        0x020
#define REG_COUNTER       0x0f0
#define REG_TIMER0        0x100
#define TIMER_STRIDE      0x20
#define TN_CFG            0x00
#define TN_CMP            0x08
#define TN_FSB            0x10

#define CAP_LEG_RT        (1u << 15)
#define CAP_COUNT_64      (1u << 13)
#define CAP_VENDOR_INTEL  (0x8086u << 16)
#define CAP_REV           1
#define CAP_NUM_TIM_SHIFT 8

#define CFG_ENABLE        (1u << 0)
#define CFG_LEGACY        (1u << 1)

#define TN_TYPE_LEVEL     (1u << 1)
#define TN_INT_ENABLE     (1u << 2)
#define TN_PERIODIC       (1u << 3)
#define TN_PERIODIC_CAP   (1u << 4)
#define TN_SIZE_CAP       (1u << 5)   /* a 64-bit comparator */
#define TN_SETVAL         (1u << 6)
#define TN_32BIT          (1u << 8)
#define TN_ROUTE_SHIFT    9
#define TN_ROUTE_MASK     (0x1fu << TN_ROUTE_SHIFT)
#define TN_FSB_ENABLE     (1u << 14)
#define TN_FSB_CAP        (1u << 15)
#define TN_WRITABLE       (TN_TYPE_LEVEL | TN_INT_ENABLE | TN_PERIODIC | \
                           TN_SETVAL | TN_32BIT | TN_ROUTE_MASK | \
                           TN_FSB_ENABLE)

#define LEGACY_PIT_GSI    0
#define LEGACY_RTC_GSI    8

typedef struct HPETTimer {
    struct HPETState *hpet;
    unsigned index;
    EmuTimer *timer;
    uint64_t config;             /* the capabilities in the high half */
    uint64_t cmp;
    uint64_t period;             /* periodic mode: what the comparator adds */
    uint64_t fsb;                /* FSB route: address high, data low */
    bool wrap_pending;           /* 32-bit one-shot: armed for the wrap */
} HPETTimer;

typedef struct HPETState {
    SysBusDevice parent_obj;
    MemoryRegion mmio;
    IRQLine *gsi[HPET_GSI_OUTPUTS];
    /* properties */
    uint32_t num_timers;
    uint32_t intcap;             /* the GSIs a timer may route to */
    bool msi;                    /* FSB (MSI) delivery */
    /* registers */
    uint64_t capability;
    uint64_t config;
    uint64_t isr;
    uint64_t counter;            /* the counter when it stopped or started */
    int64_t start_ns;            /* when it started */
    bool pit_level, rtc_level;   /* the legacy devices' inputs */
    HPETTimer timers[HPET_MAX_TIMERS];
    /* Timer 0's ticks on IRQ 0 in legacy replacement mode */
    IRQAckListener irq0_ack;
    bool tick_unacked;           /* a tick sent, not acknowledged yet */
    uint64_t ticks_held;         /* ticks due, not sent yet */
} HPETState;

#define HPET(obj) INSTANCE_CAST(HPETState, (obj), TYPE_HPET)

static bool hpet_enabled(HPETState *s)
{
    return s->config & CFG_ENABLE;
}

static bool legacy_mode(HPETState *s)
{
    return s->config & CFG_LEGACY;
}

static uint64_t ns_to_ticks(int64_t ns)
{
    return ns / HPET_NS_PER_TICK;
}

static int64_t ticks_to_ns(uint64_t ticks)
{
    return ticks * HPET_NS_PER_TICK;
}

static uint64_t current_ticks(HPETState *s)
{
    if (!hpet_enabled(s)) {
        return s->counter;
    }
    return s->counter + ns_to_ticks(clock_virtual_ns() - s->start_ns);
}

static bool is_32bit(HPETTimer *t)
{
    return t->config & TN_32BIT;
}

static bool is_periodic(HPETTimer *t)
{
    return t->config & TN_PERIODIC;
}

/* The GSI of timer t's interrupt. */
static int timer_gsi(HPETTimer *t)
{
    if (t->index <= 1 && legacy_mode(t->hpet)) {
        return t->index == 0 ? LEGACY_PIT_GSI : LEGACY_RTC_GSI;
    }
    return (t->config & TN_ROUTE_MASK) >> TN_ROUTE_SHIFT;
}

static void set_gsi(HPETState *s, int gsi, bool level)
{
    if (gsi < HPET_GSI_OUTPUTS) {
        irq_set_level(s->gsi[gsi], level);
    }
}

/* Raises (set) or ends timer t's interrupt. */
static void update_irq(HPETTimer *t, bool set)
{
    HPETState *s = t->hpet;
    uint64_t mask = 1ULL << t->index;
    int gsi = timer_gsi(t);

    if (!set || !(t->config & TN_INT_ENABLE) || !hpet_enabled(s)) {
        s->isr &= ~mask;
        if (!(t->config & TN_FSB_ENABLE)) {
            set_gsi(s, gsi, false);
        }
    } else if (t->config & TN_FSB_ENABLE) {
        /* A message: the data written at the address, as a device's
         * MSI (the local APICs' window at 0xfee00000). */
        address_space_st(&address_space_memory, t->fsb >> 32, 4,
                         (uint32_t)t->fsb);
    } else if (t->config & TN_TYPE_LEVEL) {
        s->isr |= mask;
        set_gsi(s, gsi, true);
    } else {
        s->isr &= ~mask;
        set_gsi(s, gsi, true);
        set_gsi(s, gsi, false);
    }
}

/* Timer t is the guest's tick on IRQ 0 whose edges wait for the
 * guest's acknowledgement of the last one. */
static bool holds_ticks(HPETTimer *t)
{
    return t->index == 0 && legacy_mode(t->hpet) && hpet_enabled(t->hpet) &&
           (t->config & TN_INT_ENABLE) &&
           !(t->config & (TN_TYPE_LEVEL | TN_FSB_ENABLE));
}

/* Ticks of timer 0 on IRQ 0: the first at once unless the guest has
 * not taken the last one yet; the others held. */
static void send_ticks(HPETState *s, uint64_t ticks)
{
    if (!s->tick_unacked) {
        update_irq(&s->timers[0], true);
        s->tick_unacked = true;
        ticks--;
    }
    s->ticks_held += ticks;
}

/* A new program for timer 0: the ticks of the old one are not owed. */
static void forget_ticks(HPETState *s)
{
    s->tick_unacked = false;
    s->ticks_held = 0;
}

static void irq0_acked(void *opaque, int n)
{
    HPETState *s = opaque;

    s->tick_unacked = false;
    if (s->ticks_held && holds_ticks(&s->timers[0])) {
        s->ticks_held--;
        send_ticks(s, 1);
    }
}

static void irq0_forgotten(void *opaque, int n)
{
    forget_ticks(opaque);
}

const IRQAckListener *hpet_irq0_ack_listener(DeviceState *dev)
{
    return &HPET(dev)->irq0_ack;
}

/* Ticks from now until the counter reaches the comparator (in 32-bit
 * mode, its low half). */
static uint64_t ticks_to_match(HPETTimer *t, uint64_t now)
{
    if (is_32bit(t)) {
        return (uint32_t)((uint32_t)t->cmp - (uint32_t)now);
    }
    return t->cmp - now;
}

/* Arms t for when the counter, now at now, has gone ticks further; not
 * at all past MAX_ARM_TICKS (91 years). */
static void arm(HPETTimer *t, uint64_t now, uint64_t ticks)
{
    HPETState *s = t->hpet;

    if (ticks > MAX_ARM_TICKS) {
        timer_del(t->timer);
        return;
    }
    timer_mod(t->timer, s->start_ns + ticks_to_ns(now - s->counter + ticks));
}

/* Arms timer t for its next comparator match (or, in 32-bit one-shot
 * mode, the wrap of the counter's low half if that comes first). */
static void set_timer(HPETTimer *t)
{
    uint64_t now = current_ticks(t->hpet);
    uint64_t ticks = ticks_to_match(t, now);

    if (t->index == 0) {
        forget_ticks(t->hpet);
    }
    t->wrap_pending = false;
    if (is_32bit(t) && !is_periodic(t)) {
        uint32_t to_wrap = 0xffffffffu - (uint32_t)now;

        if (to_wrap < ticks) {
            ticks = to_wrap;
            t->wrap_pending = true;
        }
    }
    arm(t, now, ticks);
}

static void timer_expired(void *opaque)
{
    HPETTimer *t = opaque;
    uint64_t now = current_ticks(t->hpet);
    uint64_t due = 1;            /* comparator matches since the last */

    if (is_periodic(t) && t->period) {
        /* Past every period the counter has left behind (QEMU steps
         * through them one by one, which a tiny period makes endless). */
        int64_t behind = is_32bit(t) ? (int32_t)((uint32_t)now -
                                                 (uint32_t)t->cmp)
                                     : (int64_t)(now - t->cmp);

        if (behind >= 0) {
            due = behind / t->period + 1;
            t->cmp += due * t->period;
            if (is_32bit(t)) {
                t->cmp = (uint32_t)t->cmp;
            }
        }
        /* Periods shorter than MIN_PERIOD_TICKS interrupt at that pace:
         * the guest could not take more, and the host would do nothing
         * else. */
        if (t->period < MIN_PERIOD_TICKS) {
            due = 1;
        }
        arm(t, now, MAX(ticks_to_match(t, now), MIN_PERIOD_TICKS));
    } else if (t->wrap_pending) {
        t->wrap_pending = false;
        arm(t, now, ticks_to_match(t, now));
    }
    if (holds_ticks(t)) {
        send_ticks(t->hpet, due);
    } else {
        update_irq(t, true);
    }
}

static void stop_timer(HPETTimer *t)
{
    timer_del(t->timer);
    t->wrap_pending = false;
    if (t->index == 0) {
        forget_ticks(t->hpet);
    }
}

/* Runs the timers that are due but whose callback the main loop has
 * not run yet, so that a guest that reads the counter past a
 * comparator also finds its interrupt (a busy host runs the main loop
 * late). */
static void catch_up(HPETState *s)
{
    int64_t now = clock_virtual_ns();

    for (unsigned i = 0; i < s->num_timers; i++) {
        HPETTimer *t = &s->timers[i];

        while (timer_pending(t->timer) && timer_expire_time(t->timer) <= now) {
            timer_del(t->timer);
            timer_expired(t);
        }
    }
}

/* ---- registers ---- */

static uint32_t read_timer(HPETTimer *t, hwaddr reg)
{
    switch (reg) {
    case TN_CFG:
        return t->config;
    case TN_CFG + 4:
        return t->config >> 32;
    case TN_CMP:
        return t->cmp;
    case TN_CMP + 4:
        return t->cmp >> 32;
    case TN_FSB:
        return t->fsb;
    case TN_FSB + 4:
        return t->fsb >> 32;
    default:
        return 0;
    }
}

static uint32_t hpet_read32(HPETState *s, hwaddr addr)
{
    if (addr >= REG_TIMER0) {
        unsigned n = (addr - REG_TIMER0) / TIMER_STRIDE;

        if (n >= s->num_timers) {
            emu_log_mask(LOG_GUEST_ERROR, "hpet: read of timer %u\n", n);
            return 0;
        }
        return read_timer(&s->timers[n], (addr - REG_TIMER0) % TIMER_STRIDE);
    }
    switch (addr) {
    case REG_CAP:
        return s->capability;
    case REG_CAP + 4:
        return s->capability >> 32;
    case REG_CFG:
        return s->config;
    case REG_STATUS:
        return s->isr;
    case REG_COUNTER:
        return current_ticks(s);
    case REG_COUNTER + 4:
        return current_ticks(s) >> 32;
    default:
        return 0;
    }
}

/* value with the 32 bits at byte offset high (0 or 4) replaced. */
static uint64_t with_half(uint64_t value, hwaddr high, uint32_t half)
{
    unsigned shift = high ? 32 : 0;

    return (value & ~(0xffffffffULL << shift)) | ((uint64_t)half << shift);
}

static void write_timer_config(HPETTimer *t, uint32_t value)
{
    HPETState *s = t->hpet;
    uint32_t old = t->config, writable = TN_WRITABLE;
    unsigned route = (value & TN_ROUTE_MASK) >> TN_ROUTE_SHIFT;

    if (!(t->config & TN_FSB_CAP)) {
        writable &= ~TN_FSB_ENABLE;
    }
    /* A route the timer cannot take reads back as it was. */
    if (!(s->intcap & (1u << route))) {
        writable &= ~TN_ROUTE_MASK;
        if (value & TN_INT_ENABLE) {
            emu_log_mask(LOG_GUEST_ERROR, "hpet: timer %u cannot route to "
                         "GSI %u\n", t->index, route);
        }
    }
    if (!(old & TN_FSB_ENABLE) && (value & writable & TN_FSB_ENABLE)) {
        update_irq(t, false);
    }
    t->config = (t->config & ~(uint64_t)writable) | (value & writable);
    if (value & TN_32BIT) {
        t->cmp = (uint32_t)t->cmp;
        t->period = (uint32_t)t->period;
    }
    if (!(old & TN_INT_ENABLE) && (value & TN_INT_ENABLE) &&
        hpet_enabled(s)) {
        set_timer(t);
    } else if ((old & TN_INT_ENABLE) && !(value & TN_INT_ENABLE)) {
        stop_timer(t);
    }
}

static void write_timer_cmp(HPETTimer *t, hwaddr high, uint32_t value)
{
    /* SETVAL lets a periodic timer's comparator be written; otherwise
     * the write sets the period only.  Either half clears SETVAL.
     * 32-bit mode ignores the high half. */
    if (is_32bit(t) && high) {
        return;
    }
    if (!is_periodic(t) || (t->config & TN_SETVAL)) {
        t->cmp = with_half(t->cmp, high, value);
    }
    /* As QEMU: the low half sets the period too, the high half only
     * when it does not set the comparator. */
    if (is_periodic(t) && (!high || !(t->config & TN_SETVAL))) {
        t->period = with_half(t->period, high, value);
        /* QEMU's cap: a 32-bit period stays below 2^31. */
        if (is_32bit(t)) {
            t->period = MIN(t->period, 0x7fffffffu);
        }
    }
    t->config &= ~(uint64_t)TN_SETVAL;
    if (hpet_enabled(t->hpet)) {
        set_timer(t);
    }
}

static void write_timer(HPETTimer *t, hwaddr reg, uint32_t value)
{
    switch (reg) {
    case TN_CFG:
        write_timer_config(t, value);
        break;
    case TN_CMP:
    case TN_CMP + 4:
        write_timer_cmp(t, reg & 4, value);
        break;
    case TN_FSB:
    case TN_FSB + 4:
        t->fsb = with_half(t->fsb, reg & 4, value);
        break;
    default:
        break;                   /* the capabilities are read-only */
    }
}

static void write_config(HPETState *s, uint32_t value)
{
    uint64_t old = s->config;

    s->config = value & (CFG_ENABLE | CFG_LEGACY);
    if (!(old & CFG_ENABLE) && (value & CFG_ENABLE)) {
        /* The counter goes on from where it stopped. */
        s->start_ns = clock_virtual_ns();
        for (unsigned i = 0; i < s->num_timers; i++) {
            if (s->timers[i].cmp != UINT64_MAX) {
                set_timer(&s->timers[i]);
            }
        }
    } else if ((old & CFG_ENABLE) && !(value & CFG_ENABLE)) {
        s->counter += ns_to_ticks(clock_virtual_ns() - s->start_ns);
        for (unsigned i = 0; i < s->num_timers; i++) {
            stop_timer(&s->timers[i]);
        }
    }
    if ((old ^ value) & CFG_LEGACY) {
        forget_ticks(s);
    }
    if (!(old & CFG_LEGACY) && (value & CFG_LEGACY)) {
        /* Timers 0 and 1 take IRQ 0 and 8 from the PIT and the RTC. */
        set_gsi(s, LEGACY_PIT_GSI, false);
        set_gsi(s, LEGACY_RTC_GSI, false);
    } else if ((old & CFG_LEGACY) && !(value & CFG_LEGACY)) {
        set_gsi(s, LEGACY_PIT_GSI, s->pit_level);
        set_gsi(s, LEGACY_RTC_GSI, s->rtc_level);
    }
}

static void hpet_write32(HPETState *s, hwaddr addr, uint32_t value)
{
    if (addr >= REG_TIMER0) {
        unsigned n = (addr - REG_TIMER0) / TIMER_STRIDE;

        if (n >= s->num_timers) {
            emu_log_mask(LOG_GUEST_ERROR, "hpet: write of timer %u\n", n);
            return;
        }
        write_timer(&s->timers[n], (addr - REG_TIMER0) % TIMER_STRIDE, value);
        return;
    }
    switch (addr) {
    case REG_CFG:
        write_config(s, value);
        break;
    case REG_STATUS:
        for (unsigned i = 0; i < s->num_timers; i++) {
            if (value & s->isr & (1u << i)) {
                update_irq(&s->timers[i], false);
            }
        }
        break;
    case REG_COUNTER:
    case REG_COUNTER + 4:
        /* Only while it is stopped; QEMU drops the write too. */
        if (hpet_enabled(s)) {
            emu_log_mask(LOG_GUEST_ERROR, "hpet: main counter written "
                         "while it runs\n");
            break;
        }
        s->counter = with_half(s->counter, addr & 4, value);
        break;
    default:
        break;                   /* read-only or reserved */
    }
}

static uint64_t hpet_read(void *opaque, hwaddr addr, unsigned size)
{
    HPETState *s = opaque;
    uint64_t value;

    catch_up(s);
    value = hpet_read32(s, addr);

    if (size == 8) {
        value |= (uint64_t)hpet_read32(s, addr + 4) << 32;
    }
    return value;
}

static void hpet_write(void *opaque, hwaddr addr, uint64_t value,
                       unsigned size)
{
    HPETState *s = opaque;

    catch_up(s);
    hpet_write32(s, addr, value);
    if (size == 8) {
        hpet_write32(s, addr + 4, value >> 32);
    }
}

static const MemoryRegionOps hpet_ops = {
    .read = hpet_read,
    .write = hpet_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 8 },
};

/* The PIT's (gpio in 0) and the RTC's (1) interrupts: theirs unless
 * legacy replacement took their lines. */
static void hpet_legacy_input(void *opaque, int n, int level)
{
    HPETState *s = opaque;

    if (n == HPET_IN_PIT) {
        s->pit_level = level;
    } else {
        s->rtc_level = level;
    }
    if (!legacy_mode(s)) {
        set_gsi(s, n == HPET_IN_PIT ? LEGACY_PIT_GSI : LEGACY_RTC_GSI, level);
    }
}

/* Power-on: stopped at 0, every comparator all ones, one-shot, no
 * interrupts. */
static void hpet_reset(DeviceState *dev)
{
    HPETState *s = HPET(dev);

    for (unsigned i = 0; i < s->num_timers; i++) {
        HPETTimer *t = &s->timers[i];

        stop_timer(t);
        t->cmp = UINT64_MAX;
        t->config = TN_PERIODIC_CAP | TN_SIZE_CAP |
                    (s->msi ? TN_FSB_CAP : 0) | (uint64_t)s->intcap << 32;
        t->period = 0;
        t->fsb = 0;
    }
    s->counter = 0;
    s->start_ns = 0;
    s->config = 0;
    s->isr = 0;
    forget_ticks(s);
}

static void hpet_init(Object *obj)
{
    HPETState *s = HPET(obj);

    qdev_init_gpio_in(DEVICE(obj), hpet_legacy_input, 2);
    s->irq0_ack = (IRQAckListener) {
        .acked = irq0_acked, .forgotten = irq0_forgotten, .opaque = s,
    };
    for (int i = 0; i < HPET_GSI_OUTPUTS; i++) {
        sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->gsi[i]);
    }
    qdev_init_gpio_out(DEVICE(obj), s->gsi, HPET_GSI_OUTPUTS);
}

static bool hpet_realize(DeviceState *dev, Error **errp)
{
    HPETState *s = HPET(dev);

    if (s->num_timers < HPET_MIN_TIMERS || s->num_timers > HPET_MAX_TIMERS) {
        error_setg(errp, "hpet: timers must be between %d and %d",
                   HPET_MIN_TIMERS, HPET_MAX_TIMERS);
        return false;
    }
    if (!s->intcap) {
        error_setg(errp, "hpet: hpet-intcap must name at least one GSI");
        return false;
    }
    s->capability = CAP_VENDOR_INTEL | CAP_LEG_RT | CAP_COUNT_64 | CAP_REV |
                    (s->num_timers - 1) << CAP_NUM_TIM_SHIFT |
                    (uint64_t)HPET_PERIOD_FS << 32;
    for (unsigned i = 0; i < s->num_timers; i++) {
        s->timers[i].hpet = s;
        s->timers[i].index = i;
        s->timers[i].timer = timer_new_virtual(timer_expired, &s->timers[i]);
    }
    memory_region_init_io(&s->mmio, OBJECT(dev), &hpet_ops, s, "hpet",
                          HPET_LEN);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    return true;
}

static void hpet_unrealize(DeviceState *dev)
{
    HPETState *s = HPET(dev);

    for (unsigned i = 0; i < s->num_timers; i++) {
        timer_free(s->timers[i].timer);
        s->timers[i].timer = NULL;
    }
    memory_region_destroy(&s->mmio);
}

static void hpet_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static const Property hpet_properties[] = {
    DEFINE_PROP_UINT("timers", HPETState, num_timers, HPET_MIN_TIMERS,
                     "number of comparators (3-32)"),
    DEFINE_PROP_BOOL("msi", HPETState, msi, false,
                     "FSB (MSI) interrupt delivery"),
    DEFINE_PROP_UINT("hpet-intcap", HPETState, intcap, 0x4,
                     "the GSIs a timer may route to (bit n: GSI n)"),
};

static void hpet_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "High Precision Event Timer";
    dc->realize = hpet_realize;
    dc->unrealize = hpet_unrealize;
    dc->reset = hpet_reset;
    class_add_properties(klass, hpet_properties,
                         ARRAY_SIZE(hpet_properties));
}

static const TypeInfo hpet_types[] = {
    {
        .name = TYPE_HPET,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(HPETState),
        .instance_init = hpet_init,
        .instance_finalize = hpet_finalize,
        .class_init = hpet_class_init,
    },
};

DEFINE_TYPES(hpet_types)
