/*
 * The local APIC (Intel SDM vol. 3, chapter 10), in xAPIC mode, for tcg
 * CPUs; kvm keeps its own in the kernel.
 *
 * Fixed interrupts wait in IRR; the CPU's INTR is raised while the
 * highest of them outranks the processor priority (PPR: TPR or the
 * class of the highest vector in service), and the INTA cycle moves it
 * to ISR.  EOI retires the highest in-service vector and tells the
 * IOAPIC, saying whether it was level triggered (TMR).  When no vector is
 * deliverable and LINT0 is in ExtINT mode (virtual wire), INTA goes to
 * the 8259.  The timer counts down at the bus clock divided by DCR, the
 * bus clock being the virtual clock's nanoseconds (as QEMU's: 1 GHz);
 * TSC-deadline mode fires when the TSC (also 1 GHz) reaches
 * IA32_TSC_DEADLINE.  ICR sends fixed, lowest-priority, NMI, INIT and
 * start-up IPIs over the APIC bus, which the IOAPIC's messages use too.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/boards.h"
#include "hw/core/cpu.h"
#include "hw/intc/apic.h"
#include "hw/intc/i8259.h"
#include "hw/i386/x86-boot.h"
#include "monitor/monitor.h"
#include "softmmu/memory.h"
#include "sysemu/timer.h"
#include "target/i386/cpu.h"

/* Register offsets (>> 4). */
enum {
    REG_ID = 0x02,
    REG_VERSION = 0x03,
    REG_TPR = 0x08,
    REG_APR = 0x09,
    REG_PPR = 0x0a,
    REG_EOI = 0x0b,
    REG_LDR = 0x0d,
    REG_DFR = 0x0e,
    REG_SVR = 0x0f,
    REG_ISR = 0x10,              /* 8 registers */
    REG_TMR = 0x18,
    REG_IRR = 0x20,
    REG_ESR = 0x28,
    REG_ICR_LO = 0x30,
    REG_ICR_HI = 0x31,
    REG_LVT_TIMER = 0x32,        /* 6 LVT entries, in lvt[] order */
    REG_LVT_ERROR = 0x37,
    REG_TIMER_INIT = 0x38,
    REG_TIMER_CURRENT = 0x39,
    REG_TIMER_DCR = 0x3e,
};

/* lvt[] indexes, as the registers from 0x320 are laid out. */
enum { LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR,
       LVT_COUNT };

#define APIC_VERSION        0x14 /* an integrated APIC */
#define LVT_MASKED          (1u << 16)
#define LVT_LEVEL           (1u << 15)
#define LVT_REMOTE_IRR      (1u << 14)
#define LVT_POLARITY_LOW    (1u << 13)
#define LVT_PENDING         (1u << 12)
#define LVT_TIMER_PERIODIC  (1u << 17)
#define LVT_TIMER_DEADLINE  (2u << 17)
#define LVT_TIMER_MODE      (3u << 17)
#define SVR_ENABLED         (1u << 8)
#define SVR_FOCUS_OFF       (1u << 9)
#define ICR_DEST_LOGICAL    (1u << 11)
#define ICR_LEVEL_ASSERT    (1u << 14)
#define ICR_TRIGGER_LEVEL   (1u << 15)
#define ICR_SHORTHAND_SHIFT 18
#define ICR_WRITABLE        0x000ccfffu
#define DFR_FLAT            0xf
#define ESR_ILLEGAL_VECTOR  (1u << 6)
#define BROADCAST           0xff

/* Writable bits of each LVT entry (the rest read as 0). */
static const uint32_t lvt_writable[LVT_COUNT] = {
    [LVT_TIMER] = 0x000710ff,
    [LVT_THERMAL] = 0x000107ff,
    [LVT_PERF] = 0x000107ff,
    [LVT_LINT0] = 0x0001a7ff,
    [LVT_LINT1] = 0x0001a7ff,
    [LVT_ERROR] = 0x000100ff,
};

typedef struct APICState {
    DeviceState parent_obj;
    X86CPU *cpu;
    DeviceState *pic;            /* ExtINT acknowledges go here */
    uint8_t id;
    uint8_t tpr;
    uint32_t ldr, dfr, svr, esr;
    uint32_t icr[2];
    uint32_t isr[8], tmr[8], irr[8];
    uint32_t lvt[LVT_COUNT];
    uint32_t dcr;
    uint32_t initial_count;
    int64_t count_start;         /* virtual ns at which the count loaded */
    uint64_t tsc_deadline;
    EmuTimer *timer;
    bool lint_level[2];
} APICState;

#define APIC(obj) INSTANCE_CAST(APICState, (obj), TYPE_APIC)

/* The APIC bus: every local APIC, in CPU order, and the IOAPIC's ear. */
static GPtrArray *apics;
static void (*eoi_listener)(void *opaque, uint8_t vector, bool level);
static void *eoi_listener_opaque;
static MemoryRegion apic_mmio;

static bool get_bit(const uint32_t *bits, int n)
{
    return bits[n >> 5] & (1u << (n & 31));
}

static void set_bit32(uint32_t *bits, int n)
{
    bits[n >> 5] |= 1u << (n & 31);
}

static void clear_bit32(uint32_t *bits, int n)
{
    bits[n >> 5] &= ~(1u << (n & 31));
}

/* The highest vector set in bits, or -1. */
static int highest(const uint32_t *bits)
{
    for (int i = 7; i >= 0; i--) {
        if (bits[i]) {
            return i * 32 + 31 - __builtin_clz(bits[i]);
        }
    }
    return -1;
}

static bool hw_enabled(APICState *s)
{
    return s->cpu->env.apic_base & APIC_BASE_ENABLE;
}

static bool sw_enabled(APICState *s)
{
    return s->svr & SVR_ENABLED;
}

static uint8_t ppr(APICState *s)
{
    int isrv = highest(s->isr);
    uint8_t isr_class = isrv < 0 ? 0 : isrv & 0xf0;

    return (s->tpr & 0xf0) >= isr_class ? s->tpr : isr_class;
}

/* The IRR vector INTA would take now, or -1. */
static int deliverable(APICState *s)
{
    int v = highest(s->irr);

    if (v < 0 || !hw_enabled(s) || !sw_enabled(s) ||
        (v & 0xf0) <= (ppr(s) & 0xf0)) {
        return -1;
    }
    return v;
}

/* Whether the 8259's INT reaches INTR: LINT0 in ExtINT mode, or the
 * APIC globally disabled (then LINT0 is INTR itself). */
static bool accepts_pic(APICState *s)
{
    uint32_t lint0 = s->lvt[LVT_LINT0];

    if (!hw_enabled(s)) {
        return true;
    }
    return sw_enabled(s) && !(lint0 & LVT_MASKED) &&
           ((lint0 >> 8) & 7) == APIC_DM_EXTINT;
}

static void update_intr(APICState *s)
{
    bool level = deliverable(s) >= 0 ||
                 (s->lint_level[0] && accepts_pic(s));

    irq_set_level(qdev_get_gpio_in(DEVICE(s->cpu), X86_CPU_INTR), level);
}

/* A fixed interrupt arrives: into IRR (TMR for level), INTR follows. */
static void accept_fixed(APICState *s, uint8_t vector, bool level)
{
    if (vector < 16) {
        s->esr |= ESR_ILLEGAL_VECTOR;
        emu_log_mask(LOG_GUEST_ERROR, "apic %u: illegal vector %u\n", s->id,
                     vector);
        return;
    }
    set_bit32(s->irr, vector);
    if (level) {
        set_bit32(s->tmr, vector);
    } else {
        clear_bit32(s->tmr, vector);
    }
    update_intr(s);
}

/* INIT: every register as after power-on but the ID. */
static void apic_reset_registers(APICState *s)
{
    s->tpr = 0;
    s->ldr = 0;
    s->dfr = 0xffffffff;
    s->svr = 0xff;
    s->esr = 0;
    memset(s->icr, 0, sizeof(s->icr));
    memset(s->isr, 0, sizeof(s->isr));
    memset(s->tmr, 0, sizeof(s->tmr));
    memset(s->irr, 0, sizeof(s->irr));
    for (int i = 0; i < LVT_COUNT; i++) {
        s->lvt[i] = LVT_MASKED;
    }
    s->dcr = 0;
    s->initial_count = 0;
    s->tsc_deadline = 0;
    if (s->timer) {
        timer_del(s->timer);
    }
}

static void deliver(APICState *s, int mode, uint8_t vector, bool level)
{
    CPUState *cs = CPU(s->cpu);

    switch (mode) {
    case APIC_DM_FIXED:
    case APIC_DM_LOWEST:
        accept_fixed(s, vector, level);
        break;
    case APIC_DM_NMI:
        cpu_interrupt(cs, CPU_INTERRUPT_NMI);
        break;
    case APIC_DM_INIT:
        apic_reset_registers(s);
        update_intr(s);
        cpu_interrupt(cs, CPU_INTERRUPT_INIT);
        break;
    case APIC_DM_SIPI:
        x86_cpu_sipi(s->cpu, vector);
        break;
    case APIC_DM_EXTINT:
        /* The 8259 answers the INTA: only through LINT0 (virtual wire). */
        update_intr(s);
        break;
    default:
        emu_log_mask(LOG_UNIMP, "apic %u: delivery mode %d (SMI) not "
                     "modelled\n", s->id, mode);
        break;
    }
}

static bool matches(APICState *s, uint8_t dest, bool logical)
{
    uint8_t ldr = s->ldr >> 24;

    if (!logical) {
        return dest == BROADCAST || dest == s->id;
    }
    if ((s->dfr >> 28) == DFR_FLAT) {
        return (dest & ldr) != 0;
    }
    /* Cluster model: the high nibbles name the cluster. */
    return (dest >> 4 == 0xf || dest >> 4 == ldr >> 4) &&
           (dest & ldr & 0xf) != 0;
}

void apic_bus_deliver(uint8_t dest, bool logical, int mode, uint8_t vector,
                      bool level)
{
    APICState *lowest = NULL;

    for (guint i = 0; apics && i < apics->len; i++) {
        APICState *s = g_ptr_array_index(apics, i);

        if (!hw_enabled(s) || !matches(s, dest, logical)) {
            continue;
        }
        if (mode == APIC_DM_LOWEST) {
            /* The lowest processor priority takes it (first on a tie). */
            if (!lowest || ppr(s) < ppr(lowest)) {
                lowest = s;
            }
            continue;
        }
        deliver(s, mode, vector, level);
    }
    if (lowest) {
        deliver(lowest, mode, vector, level);
    }
}

void apic_bus_set_eoi_listener(void (*eoi)(void *opaque, uint8_t vector,
                                           bool level),
                               void *opaque)
{
    eoi_listener = eoi;
    eoi_listener_opaque = opaque;
}

static void send_ipi(APICState *s)
{
    uint32_t icr = s->icr[0];
    int mode = (icr >> 8) & 7, shorthand = (icr >> ICR_SHORTHAND_SHIFT) & 3;
    uint8_t vector = icr & 0xff;
    bool level = icr & ICR_TRIGGER_LEVEL;

    /* INIT level de-assert only resynchronizes arbitration IDs. */
    if (mode == APIC_DM_INIT && level && !(icr & ICR_LEVEL_ASSERT)) {
        return;
    }
    switch (shorthand) {
    case 0:
        apic_bus_deliver(s->icr[1] >> 24, icr & ICR_DEST_LOGICAL, mode,
                         vector, level);
        break;
    case 1:                      /* self */
        deliver(s, mode, vector, level);
        break;
    default:                     /* 2: all including self, 3: excluding */
        for (guint i = 0; i < apics->len; i++) {
            APICState *d = g_ptr_array_index(apics, i);

            if (hw_enabled(d) && (shorthand == 2 || d != s)) {
                deliver(d, mode, vector, level);
            }
        }
        break;
    }
}

static void eoi(APICState *s)
{
    int v = highest(s->isr);

    if (v < 0) {
        return;
    }
    clear_bit32(s->isr, v);
    if (eoi_listener) {
        eoi_listener(eoi_listener_opaque, v, get_bit(s->tmr, v));
    }
    update_intr(s);
}

/* ---- the timer ---- */

static unsigned divide_shift(APICState *s)
{
    unsigned v = ((s->dcr & 8) >> 1) | (s->dcr & 3);

    return v == 7 ? 0 : v + 1;   /* divide by 2^shift */
}

static unsigned timer_mode(APICState *s)
{
    return s->lvt[LVT_TIMER] & LVT_TIMER_MODE;
}

static uint32_t current_count(APICState *s)
{
    uint64_t ticks;

    if (timer_mode(s) == LVT_TIMER_DEADLINE || !s->initial_count) {
        return 0;
    }
    ticks = (clock_virtual_ns() - s->count_start) >> divide_shift(s);
    if (timer_mode(s) == LVT_TIMER_PERIODIC) {
        return s->initial_count - ticks % s->initial_count;
    }
    return ticks >= s->initial_count ? 0 : s->initial_count - ticks;
}

/* Arms the timer for the next time the count reaches zero (or the TSC
 * the deadline). */
static void arm_timer(APICState *s)
{
    uint64_t period;
    int64_t expire, now;

    if (timer_mode(s) == LVT_TIMER_DEADLINE) {
        if (!s->tsc_deadline) {
            timer_del(s->timer);
            return;
        }
        timer_mod(s->timer, s->tsc_deadline - s->cpu->env.tsc_offset);
        return;
    }
    if (!s->initial_count) {
        timer_del(s->timer);
        return;
    }
    period = (uint64_t)s->initial_count << divide_shift(s);
    expire = s->count_start + period;
    now = clock_virtual_ns();
    if (timer_mode(s) == LVT_TIMER_PERIODIC && expire <= now) {
        expire += (now - expire) / period * period + period;
    }
    /*
     * A one-shot is armed only while its count runs (a new initial count,
     * a new divider).  If the host was slow enough for the count to run
     * out since it was read, the timer fires at once: dropping it, as
     * this did, lost the interrupt and a tickless Linux's clock with it.
     */
    timer_mod(s->timer, expire);
}

static void apic_timer_cb(void *opaque)
{
    APICState *s = opaque;
    uint32_t lvt = s->lvt[LVT_TIMER];

    if (!(lvt & LVT_MASKED)) {
        accept_fixed(s, lvt & 0xff, false);
    }
    if (timer_mode(s) == LVT_TIMER_DEADLINE) {
        s->tsc_deadline = 0;     /* disarmed once it fires */
    } else if (timer_mode(s) == LVT_TIMER_PERIODIC) {
        arm_timer(s);
    }
}

static uint64_t apic_get_tsc_deadline(void *opaque)
{
    APICState *s = opaque;

    return timer_mode(s) == LVT_TIMER_DEADLINE ? s->tsc_deadline : 0;
}

static void apic_set_tsc_deadline(void *opaque, uint64_t value)
{
    APICState *s = opaque;

    /* Ignored outside TSC-deadline mode, as the SDM says. */
    if (timer_mode(s) != LVT_TIMER_DEADLINE) {
        return;
    }
    s->tsc_deadline = value;
    arm_timer(s);
}

/* ---- the LINT pins ---- */

static void apic_set_lint(void *opaque, int n, int level)
{
    APICState *s = opaque;
    uint32_t lvt = s->lvt[LVT_LINT0 + n];
    bool rising = level && !s->lint_level[n];

    s->lint_level[n] = level;
    if (!hw_enabled(s)) {
        /* Globally disabled: LINT0 is INTR, LINT1 NMI. */
        if (n == 0) {
            update_intr(s);
        } else if (rising) {
            cpu_interrupt(CPU(s->cpu), CPU_INTERRUPT_NMI);
        }
        return;
    }
    if (lvt & LVT_MASKED) {
        update_intr(s);
        return;
    }
    switch ((lvt >> 8) & 7) {
    case APIC_DM_EXTINT:
        update_intr(s);
        break;
    case APIC_DM_FIXED:
        if (lvt & LVT_LEVEL ? level : rising) {
            accept_fixed(s, lvt & 0xff, lvt & LVT_LEVEL);
        }
        break;
    default:
        if (rising) {
            deliver(s, (lvt >> 8) & 7, lvt & 0xff, false);
        }
        break;
    }
}

/* ---- the register page ---- */

static int apic_intack(void *opaque)
{
    APICState *s = opaque;
    int v = deliverable(s);

    if (v >= 0) {
        clear_bit32(s->irr, v);
        set_bit32(s->isr, v);
        update_intr(s);
        return v;
    }
    if (s->lint_level[0] && accepts_pic(s) && s->pic) {
        return i8259_inta(s->pic);
    }
    return -1;
}

/* mov to and from CR8 */
static uint8_t apic_get_tpr(void *opaque)
{
    APICState *s = opaque;

    return s->tpr;
}

static void apic_set_tpr(void *opaque, uint8_t tpr)
{
    APICState *s = opaque;

    s->tpr = tpr;
    update_intr(s);
}

/*
 * An NMI from outside the CPU (the monitor's "nmi", as QEMU's
 * apic_deliver_nmi): a pulse on LINT1, where a PC's NMI sources are
 * wired, so it arrives as the guest programmed LINT1, an NMI once
 * firmware set it so, nothing while it is masked.  Nothing drives LINT1
 * on emu's boards, so it is low and the pulse an edge.
 */
static void apic_external_nmi(void *opaque)
{
    APICState *s = opaque;

    if (!s->lint_level[1]) {
        apic_set_lint(s, 1, 1);
        apic_set_lint(s, 1, 0);
    }
}

static const X86InterruptOps apic_interrupt_ops = {
    .intack = apic_intack,
    .external_nmi = apic_external_nmi,
    .get_tsc_deadline = apic_get_tsc_deadline,
    .set_tsc_deadline = apic_set_tsc_deadline,
    .get_tpr = apic_get_tpr,
    .set_tpr = apic_set_tpr,
};

/* The APIC of the CPU making the access (CPU 0's for others). */
static APICState *current_apic(void)
{
    guint index = current_cpu ? current_cpu->cpu_index : 0;

    return apics && index < apics->len ? g_ptr_array_index(apics, index)
                                       : NULL;
}

static uint32_t read_register(APICState *s, unsigned reg)
{
    switch (reg) {
    case REG_ID:
        return (uint32_t)s->id << 24;
    case REG_VERSION:
        return ((LVT_COUNT - 1) << 16) | APIC_VERSION;
    case REG_TPR:
        return s->tpr;
    case REG_APR:
        return 0;
    case REG_PPR:
        return ppr(s);
    case REG_LDR:
        return s->ldr;
    case REG_DFR:
        return s->dfr;
    case REG_SVR:
        return s->svr;
    case REG_ISR ... REG_ISR + 7:
        return s->isr[reg - REG_ISR];
    case REG_TMR ... REG_TMR + 7:
        return s->tmr[reg - REG_TMR];
    case REG_IRR ... REG_IRR + 7:
        return s->irr[reg - REG_IRR];
    case REG_ESR:
        return s->esr;
    case REG_ICR_LO:
        return s->icr[0];        /* delivery status: always idle */
    case REG_ICR_HI:
        return s->icr[1];
    case REG_LVT_TIMER ... REG_LVT_ERROR:
        return s->lvt[reg - REG_LVT_TIMER];
    case REG_TIMER_INIT:
        return s->initial_count;
    case REG_TIMER_CURRENT:
        return current_count(s);
    case REG_TIMER_DCR:
        return s->dcr;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "apic %u: read of reserved register "
                     "0x%03x\n", s->id, reg << 4);
        return 0;
    }
}

static void write_register(APICState *s, unsigned reg, uint32_t value)
{
    switch (reg) {
    case REG_ID:
        s->id = value >> 24;
        break;
    case REG_TPR:
        s->tpr = value & 0xff;
        update_intr(s);
        break;
    case REG_EOI:
        eoi(s);
        break;
    case REG_LDR:
        s->ldr = value & 0xff000000;
        break;
    case REG_DFR:
        s->dfr = value | 0x0fffffff;
        break;
    case REG_SVR:
        s->svr = value & 0x3ff;
        if (!sw_enabled(s)) {
            /* Software disable masks every LVT entry. */
            for (int i = 0; i < LVT_COUNT; i++) {
                s->lvt[i] |= LVT_MASKED;
            }
        }
        update_intr(s);
        break;
    case REG_ESR:
        s->esr = 0;
        break;
    case REG_ICR_LO:
        s->icr[0] = value & ICR_WRITABLE;
        send_ipi(s);
        break;
    case REG_ICR_HI:
        s->icr[1] = value & 0xff000000;
        break;
    case REG_LVT_TIMER ... REG_LVT_ERROR: {
        int n = reg - REG_LVT_TIMER;
        uint32_t old_mode = timer_mode(s);

        value &= lvt_writable[n];
        if (!sw_enabled(s)) {
            value |= LVT_MASKED;
        }
        s->lvt[n] = value;
        if (n == LVT_TIMER && timer_mode(s) != old_mode) {
            /* A mode change stops the timer. */
            s->initial_count = 0;
            s->tsc_deadline = 0;
            timer_del(s->timer);
        }
        if (n == LVT_LINT0) {
            update_intr(s);
        }
        break;
    }
    case REG_TIMER_INIT:
        if (timer_mode(s) == LVT_TIMER_DEADLINE) {
            break;               /* ignored in TSC-deadline mode */
        }
        s->initial_count = value;
        s->count_start = clock_virtual_ns();
        arm_timer(s);
        break;
    case REG_TIMER_DCR: {
        uint32_t count = current_count(s);

        s->dcr = value & 0xb;
        /* The count goes on from where it was at the new rate. */
        if (s->initial_count && count) {
            s->count_start = clock_virtual_ns() -
                ((int64_t)(s->initial_count - count) << divide_shift(s));
            arm_timer(s);
        }
        break;
    }
    case REG_VERSION:
    case REG_APR:
    case REG_PPR:
    case REG_ISR ... REG_IRR + 7:
    case REG_TIMER_CURRENT:
        break;                   /* read-only */
    default:
        emu_log_mask(LOG_GUEST_ERROR, "apic %u: write of reserved register "
                     "0x%03x\n", s->id, reg << 4);
        break;
    }
}

static uint64_t apic_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    APICState *s = current_apic();

    if (!s || !hw_enabled(s) || addr >= 0x1000) {
        return 0xffffffff;
    }
    return read_register(s, addr >> 4);
}

void apic_send_msi(uint64_t addr, uint32_t data)
{
    uint8_t dest = (addr >> MSI_ADDR_DEST_SHIFT) & 0xff;
    int mode = (data >> MSI_DATA_MODE_SHIFT) & 7;

    /* Start-up is reserved in an MSI's delivery mode (SDM 10.11.2). */
    if (mode == APIC_DM_SIPI) {
        emu_log_mask(LOG_GUEST_ERROR, "apic: MSI at 0x%" PRIx64 " with "
                     "the reserved delivery mode 6: ignored\n", addr);
        return;
    }
    /* The redirection hint (bit 3) only narrows lowest priority, which
     * already picks one APIC. */
    apic_bus_deliver(dest, addr & MSI_ADDR_DEST_LOGICAL, mode, data & 0xff,
                     data & MSI_DATA_TRIGGER_LEVEL);
}

static void apic_mmio_write(void *opaque, hwaddr addr, uint64_t value,
                            unsigned size)
{
    APICState *s = current_apic();

    /*
     * The window is shared: a CPU reaches its own APIC's registers, a
     * bus master's write is an MSI.  As in QEMU, they are told apart by
     * offset: an MSI's address has the destination in bits 19:12 and
     * nothing below bit 4, where the APIC has no register.
     */
    if (addr >= 0x1000 || addr < 0x10) {
        apic_send_msi(X86_LAPIC_ADDR + addr, value);
        return;
    }
    if (!s || !hw_enabled(s)) {
        return;
    }
    write_register(s, addr >> 4, value);
}

static const MemoryRegionOps apic_mmio_ops = {
    .read = apic_mmio_read,
    .write = apic_mmio_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

/* ---- info lapic ---- */

static const char *const delivery_mode_names[8] = {
    "Fixed", "...", "SMI", "...", "NMI", "INIT", "...", "ExtINT",
};

static void print_lvt(GString *out, const char *name, uint32_t lvt,
                      bool is_timer)
{
    unsigned mode = (lvt >> 8) & 7;
    const char *timer = "";

    if (is_timer) {
        timer = lvt & LVT_TIMER_PERIODIC ? "periodic"
                : lvt & LVT_TIMER_DEADLINE ? "tsc-deadline" : "one-shot";
    }
    g_string_append_printf(out, "%s\t 0x%08x %s %-5s %-6s %-7s %-12s %-6s",
                           name, lvt,
                           lvt & LVT_POLARITY_LOW ? "active-lo" : "active-hi",
                           lvt & LVT_LEVEL ? "level" : "edge",
                           lvt & LVT_MASKED ? "masked" : "",
                           lvt & LVT_PENDING ? "pending" : "", timer,
                           delivery_mode_names[mode]);
    if (mode == APIC_DM_NMI) {
        g_string_append(out, "\n");
    } else {
        g_string_append_printf(out, " (vec %u)\n", lvt & 0xff);
    }
}

static void print_vectors(GString *out, const char *name,
                          const uint32_t *bits, const uint32_t *tmr)
{
    bool any = false;

    g_string_append_printf(out, "%s\t ", name);
    for (int v = 0; v < 256; v++) {
        if (get_bit(bits, v)) {
            g_string_append_printf(out, "%u%s ", v,
                                   get_bit(tmr, v) ? "(level)" : "");
            any = true;
        }
    }
    g_string_append_printf(out, "%s\n", any ? "" : "(none)");
}

static void print_icr(APICState *s, GString *out)
{
    static const char *const shorthands[] = {
        "no-shorthand", "self", "all-self", "all",
    };
    uint32_t icr = s->icr[0], dest = s->icr[1] >> 24;
    unsigned shorthand = (icr >> ICR_SHORTHAND_SHIFT) & 3;
    bool logical = icr & ICR_DEST_LOGICAL;

    g_string_append_printf(out, "ICR\t 0x%08x %s %s %s %s\n", icr,
                           logical ? "logical" : "physical",
                           icr & ICR_TRIGGER_LEVEL ? "level" : "edge",
                           icr & ICR_LEVEL_ASSERT ? "assert" : "de-assert",
                           shorthands[shorthand]);
    g_string_append_printf(out, "ICR2\t 0x%08x", s->icr[1]);
    if (shorthand) {
        g_string_append(out, "\n");
    } else if (!logical) {
        g_string_append_printf(out, " cpu %u (APIC ID)\n", dest);
    } else if ((s->dfr >> 28) == DFR_FLAT) {
        g_string_append(out, " mask ");
        for (int bit = 7; bit >= 0; bit--) {
            g_string_append_c(out, dest & (1u << bit) ? '1' : '0');
        }
        g_string_append(out, " (APIC ID)\n");
    } else {
        g_string_append_printf(out, " cluster %u mask ", dest >> 4);
        for (int bit = 3; bit >= 0; bit--) {
            g_string_append_c(out, dest & (1u << bit) ? '1' : '0');
        }
        g_string_append(out, " (APIC ID)\n");
    }
}

void apic_print_state(unsigned cpu_index, GString *out)
{
    static const struct {
        const char *name;
        int lvt;
    } lvts[] = {
        { "LVT0", LVT_LINT0 }, { "LVT1", LVT_LINT1 }, { "LVTPC", LVT_PERF },
        { "LVTERR", LVT_ERROR }, { "LVTTHMR", LVT_THERMAL },
        { "LVTT", LVT_TIMER },
    };
    APICState *s;
    unsigned shift;

    if (!apics || cpu_index >= apics->len) {
        g_string_append(out, "local apic state not available\n");
        return;
    }
    s = g_ptr_array_index(apics, cpu_index);
    shift = divide_shift(s);
    g_string_append_printf(out, "dumping local APIC state for CPU %-2u\n\n",
                           cpu_index);
    for (size_t i = 0; i < ARRAY_SIZE(lvts); i++) {
        print_lvt(out, lvts[i].name, s->lvt[lvts[i].lvt],
                  lvts[i].lvt == LVT_TIMER);
    }
    g_string_append_printf(out, "Timer\t DCR=0x%x (divide by %u) "
                           "initial_count = %u current_count = %u\n",
                           s->dcr, 1u << shift, s->initial_count,
                           current_count(s));
    g_string_append_printf(out, "SPIV\t 0x%08x APIC %s, focus=%s, spurious "
                           "vec %u\n", s->svr,
                           sw_enabled(s) ? "enabled" : "disabled",
                           s->svr & SVR_FOCUS_OFF ? "on" : "off",
                           s->svr & 0xff);
    print_icr(s, out);
    g_string_append_printf(out, "ESR\t 0x%08x\n", s->esr);
    print_vectors(out, "ISR", s->isr, s->tmr);
    print_vectors(out, "IRR", s->irr, s->tmr);
    g_string_append_printf(out, "\nAPR 0x%02x TPR 0x%02x DFR 0x%02x "
                           "LDR 0x%02x", 0, s->tpr, s->dfr >> 28,
                           s->ldr >> 24);
    if ((s->dfr >> 28) == 0) {
        g_string_append_printf(out, "(cluster %u: id %u)", s->ldr >> 28,
                               (s->ldr >> 24) & 0xf);
    }
    g_string_append_printf(out, " PPR 0x%02x\n", ppr(s));
}

/* ---- the device ---- */

static void apic_reset(DeviceState *dev)
{
    APICState *s = APIC(dev);

    s->id = s->cpu->env.apic_id;
    apic_reset_registers(s);
    update_intr(s);
}

static void apic_init(Object *obj)
{
    qdev_init_gpio_in(DEVICE(obj), apic_set_lint, 2);
}

static bool apic_realize(DeviceState *dev, Error **errp)
{
    APICState *s = APIC(dev);

    s->timer = timer_new_virtual(apic_timer_cb, s);
    return true;
}

static void apic_unrealize(DeviceState *dev)
{
    APICState *s = APIC(dev);

    timer_free(s->timer);
    s->timer = NULL;
}

static void apic_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static void apic_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "local APIC";
    dc->realize = apic_realize;
    dc->unrealize = apic_unrealize;
    dc->reset = apic_reset;
}

static const TypeInfo apic_types[] = {
    {
        .name = TYPE_APIC,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(APICState),
        .instance_init = apic_init,
        .instance_finalize = apic_finalize,
        .class_init = apic_class_init,
    },
};

DEFINE_TYPES(apic_types)

bool apic_init_all(DeviceState *pic, Error **errp)
{
    apics = g_ptr_array_new();
    for (guint i = 0; i < cpus->len; i++) {
        X86CPU *cpu = X86_CPU(g_ptr_array_index(cpus, i));
        DeviceState *dev = qdev_new(TYPE_APIC);
        APICState *s = APIC(dev);

        s->cpu = cpu;
        s->pic = pic;
        /* Where QEMU's x86 CPU keeps its APIC. */
        if (!object_add_child(OBJECT(cpu), "lapic", OBJECT(dev), errp)) {
            object_unref(OBJECT(dev));
            return false;
        }
        if (!qdev_realize_and_unref(dev, NULL, errp)) {
            object_unparent(OBJECT(dev));
            return false;
        }
        g_ptr_array_add(apics, s);
        x86_cpu_set_interrupt_ops(cpu, &apic_interrupt_ops, s);
    }
    /* One page for every CPU: each access reaches the accessing CPU's
     * APIC, at the architectural base (relocation is not modelled). */
    memory_region_init_io(&apic_mmio, NULL, &apic_mmio_ops, NULL, "apic-msi",
                          X86_MSI_WINDOW_SIZE);
    memory_region_add_subregion(get_system_memory(), X86_LAPIC_ADDR,
                                &apic_mmio);
    return true;
}

IRQLine *apic_lint0(unsigned cpu_index)
{
    return qdev_get_gpio_in(g_ptr_array_index(apics, cpu_index), 0);
}

static void hmp_info_lapic(Monitor *mon, const MonitorArgs *args)
{
    g_autoptr(GString) out = g_string_new(NULL);
    unsigned index = current_cpu ? current_cpu->cpu_index : 0;

    if (monitor_arg_has(args, "apic-id")) {
        /* the CPU whose initial APIC ID it is, as QEMU's cpu_by_arch_id */
        int64_t id = monitor_arg_int(args, "apic-id");

        for (index = 0; apics && index < apics->len; index++) {
            APICState *s = g_ptr_array_index(apics, index);

            if (s->cpu->env.apic_id == id) {
                break;
            }
        }
        if (!apics || index == apics->len) {
            monitor_puts(mon, "No CPU\n");
            return;
        }
    }
    apic_print_state(index, out);
    monitor_puts(mon, out->str);
}

static const HMPCommand apic_info_commands[] = {
    { "lapic", "apic-id:i?", "[apic-id]",
      "show local apic state (apic-id: local apic to read, default is "
      "which of current CPU)", hmp_info_lapic },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, apic_info_commands)
