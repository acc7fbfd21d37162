/*
 * GICv2 (ARM IHI 0048B): the distributor and one CPU interface per CPU,
 * no Security Extensions (every access is treated as Secure, as the
 * architecture says for such a GIC), no virtualization interface.
 * Register values QEMU 7.2's arm_gic shows for the same configuration
 * (8 priority bits, the IIDRs, the ID registers).
 *
 * Interrupt state is kept per interrupt as CPU masks, as the banking
 * needs: an SGI or PPI (ID < 32) has one bit per CPU, an SPI uses all
 * bits at once (GIC_ALL_CPUS) and goes to the CPUs of its target mask.
 * SGIs also remember which CPUs sent them (GICC_IAR[12:10]).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/intc/arm_gic.h"
#include "hw/core/cpu.h"
#include "hw/sysbus.h"

#define GIC_ALL_CPUS 0xff
#define GIC_SPURIOUS 1023
#define GIC_SPURIOUS_GROUP1 1022     /* a Group 1 IAR read without AckCtl */
#define GIC_IDLE_PRIORITY 0x100      /* nothing active: any priority runs */

#define GICD_CTLR_EN_GRP0 (1u << 0)
#define GICD_CTLR_EN_GRP1 (1u << 1)
#define GICC_CTLR_EN_GRP0 (1u << 0)
#define GICC_CTLR_EN_GRP1 (1u << 1)
#define GICC_CTLR_ACKCTL (1u << 2)
#define GICC_CTLR_FIQEN (1u << 3)
#define GICC_CTLR_CBPR (1u << 4)
#define GICC_CTLR_EOIMODE (1u << 9)
#define GICC_CTLR_MASK 0x21f

#define GICD_IIDR_VALUE 0x0000043b   /* ARM (product and revision 0) */
#define GICC_IIDR_VALUE 0x0002043b   /* ARM, architecture version 2 */

/* Every interrupt a CPU has acknowledged and not yet ended runs at its
 * priority: a stack, since only a higher priority can preempt. */
#define GIC_RUNNING_DEPTH 256

typedef struct GICRunning {
    uint16_t irq;
    uint8_t src;                 /* the sending CPU, for an SGI */
    uint16_t prio;               /* group priority at acknowledge time */
} GICRunning;

typedef struct GICCPUIface {
    uint32_t ctlr;
    uint32_t pmr;
    uint32_t bpr, abpr;
    GICRunning running[GIC_RUNNING_DEPTH];
    unsigned depth;
} GICCPUIface;

typedef struct GICState {
    SysBusDevice parent_obj;
    MemoryRegion dist_mr, cpu_mr;
    uint32_t num_cpu;
    uint32_t num_irq;
    IRQLine *irq_out[GIC_MAX_CPUS];
    IRQLine *fiq_out[GIC_MAX_CPUS];

    uint32_t ctlr;
    uint8_t enabled[GIC_MAX_IRQ];    /* CPU masks */
    uint8_t pending[GIC_MAX_IRQ];    /* latched (edge or GICD_ISPENDR) */
    uint8_t active[GIC_MAX_IRQ];
    uint8_t level[GIC_MAX_IRQ];      /* input line high */
    uint8_t group[GIC_MAX_IRQ];
    bool edge[GIC_MAX_IRQ];
    uint8_t target[GIC_MAX_IRQ];     /* SPIs */
    uint8_t priority_spi[GIC_MAX_IRQ];
    uint8_t priority_private[GIC_MAX_CPUS][GIC_INTERNAL];
    uint8_t sgi_source[GIC_MAX_CPUS][GIC_NR_SGIS];
    GICCPUIface cpu[GIC_MAX_CPUS];
} GICState;

#define ARM_GIC(obj) INSTANCE_CAST(GICState, (obj), TYPE_ARM_GIC)

/* The CPU making the access (CPU 0 for accesses no vCPU makes: the
 * monitor, tests). */
static int gic_current_cpu(GICState *s)
{
    int cpu = current_cpu ? current_cpu->cpu_index : 0;

    return cpu < (int)s->num_cpu ? cpu : 0;
}

/* The bank an interrupt's state lives in, for cpu. */
static uint8_t gic_cpu_mask(int irq, int cpu)
{
    return irq < GIC_INTERNAL ? 1u << cpu : GIC_ALL_CPUS;
}

static uint8_t gic_priority(GICState *s, int irq, int cpu)
{
    return irq < GIC_INTERNAL ? s->priority_private[cpu][irq]
                              : s->priority_spi[irq];
}

static bool gic_targets(GICState *s, int irq, int cpu)
{
    return irq < GIC_INTERNAL || (s->target[irq] & (1u << cpu));
}

static bool gic_is_pending(GICState *s, int irq, int cpu)
{
    uint8_t cm = gic_cpu_mask(irq, cpu);

    if (irq < GIC_NR_SGIS) {
        return s->sgi_source[cpu][irq] != 0;
    }
    return (s->pending[irq] & cm) || (!s->edge[irq] && (s->level[irq] & cm));
}

/* The group priority: the bits above the binary point. */
static unsigned gic_group_priority(GICState *s, int cpu, int irq)
{
    GICCPUIface *c = &s->cpu[cpu];
    unsigned bpr = c->bpr;

    if ((s->group[irq] & gic_cpu_mask(irq, cpu)) &&
        !(c->ctlr & GICC_CTLR_CBPR)) {
        bpr = c->abpr - 1;
    }
    return gic_priority(s, irq, cpu) & (0xffu << (bpr + 1)) & 0xff;
}

static unsigned gic_running_priority(GICState *s, int cpu)
{
    GICCPUIface *c = &s->cpu[cpu];

    return c->depth ? c->running[c->depth - 1].prio : GIC_IDLE_PRIORITY;
}

static bool gic_group_enabled(GICState *s, int irq, int cpu)
{
    bool grp1 = s->group[irq] & gic_cpu_mask(irq, cpu);
    uint32_t cpu_ctlr = s->cpu[cpu].ctlr;

    if (grp1) {
        return (s->ctlr & GICD_CTLR_EN_GRP1) &&
               (cpu_ctlr & GICC_CTLR_EN_GRP1);
    }
    return (s->ctlr & GICD_CTLR_EN_GRP0) && (cpu_ctlr & GICC_CTLR_EN_GRP0);
}

/* The highest-priority pending, enabled, inactive interrupt for cpu
 * (lowest ID on a tie), or -1. */
static int gic_best_pending(GICState *s, int cpu)
{
    int best = -1;
    unsigned best_prio = GIC_IDLE_PRIORITY;

    for (int irq = 0; irq < (int)s->num_irq; irq++) {
        uint8_t cm = gic_cpu_mask(irq, cpu);
        unsigned prio;

        if (!(s->enabled[irq] & cm) || (s->active[irq] & cm) ||
            !gic_targets(s, irq, cpu) || !gic_is_pending(s, irq, cpu) ||
            !gic_group_enabled(s, irq, cpu)) {
            continue;
        }
        prio = gic_priority(s, irq, cpu);
        if (prio < best_prio) {
            best = irq;
            best_prio = prio;
        }
    }
    return best;
}

/* Whether irq may be signalled to cpu now: above the priority mask and
 * above what is running. */
static bool gic_can_signal(GICState *s, int irq, int cpu)
{
    return gic_priority(s, irq, cpu) < s->cpu[cpu].pmr &&
           gic_group_priority(s, cpu, irq) < gic_running_priority(s, cpu);
}

static void gic_update(GICState *s)
{
    for (unsigned cpu = 0; cpu < s->num_cpu; cpu++) {
        int irq = gic_best_pending(s, cpu);
        bool irq_level = false, fiq_level = false;

        if (irq >= 0 && gic_can_signal(s, irq, cpu)) {
            bool grp0 = !(s->group[irq] & gic_cpu_mask(irq, cpu));

            if (grp0 && (s->cpu[cpu].ctlr & GICC_CTLR_FIQEN)) {
                fiq_level = true;
            } else {
                irq_level = true;
            }
        }
        irq_set_level(s->irq_out[cpu], irq_level);
        irq_set_level(s->fiq_out[cpu], fiq_level);
    }
}

/* ---- the input lines ---- */

static void gic_set_irq(void *opaque, int n, int level)
{
    GICState *s = opaque;
    int spis = s->num_irq - GIC_INTERNAL;
    int irq;
    uint8_t cm;

    if (n < spis) {
        irq = n + GIC_INTERNAL;
        cm = GIC_ALL_CPUS;
    } else {
        n -= spis;
        irq = n % GIC_INTERNAL;
        cm = 1u << (n / GIC_INTERNAL);
        if (irq < GIC_NR_SGIS) {
            return;              /* SGIs come from GICD_SGIR only */
        }
    }
    if (level) {
        if (s->edge[irq] && !(s->level[irq] & cm)) {
            s->pending[irq] |= cm;
        }
        s->level[irq] |= cm;
    } else {
        s->level[irq] &= ~cm;
    }
    gic_update(s);
}

/* ---- the CPU interface ---- */

static uint32_t gic_acknowledge(GICState *s, int cpu)
{
    GICCPUIface *c = &s->cpu[cpu];
    int irq = gic_best_pending(s, cpu);
    uint8_t cm;
    unsigned src = 0;

    if (irq < 0 || !gic_can_signal(s, irq, cpu)) {
        return GIC_SPURIOUS;
    }
    cm = gic_cpu_mask(irq, cpu);
    if ((s->group[irq] & cm) && !(c->ctlr & GICC_CTLR_ACKCTL)) {
        return GIC_SPURIOUS_GROUP1;
    }
    if (c->depth == GIC_RUNNING_DEPTH) {
        /* Cannot happen: each level preempts a strictly lower one. */
        return GIC_SPURIOUS;
    }
    if (irq < GIC_NR_SGIS) {
        src = __builtin_ctz(s->sgi_source[cpu][irq]);
        s->sgi_source[cpu][irq] &= ~(1u << src);
    } else {
        s->pending[irq] &= ~cm;
    }
    c->running[c->depth++] = (GICRunning) {
        .irq = irq, .src = src, .prio = gic_group_priority(s, cpu, irq),
    };
    s->active[irq] |= cm;
    gic_update(s);
    return irq | (irq < GIC_NR_SGIS ? src << 10 : 0);
}

static void gic_deactivate(GICState *s, int cpu, int irq)
{
    s->active[irq] &= ~gic_cpu_mask(irq, cpu);
}

/* GICC_EOIR: the priority drop (and, unless EOImode, the deactivation)
 * of an acknowledged interrupt. */
static void gic_end_of_interrupt(GICState *s, int cpu, uint32_t value)
{
    GICCPUIface *c = &s->cpu[cpu];
    unsigned irq = value & 0x3ff, src = (value >> 10) & 7;

    if (irq >= s->num_irq) {
        return;                  /* a spurious ID: nothing to end */
    }
    for (unsigned i = c->depth; i-- > 0;) {
        if (c->running[i].irq == irq &&
            (irq >= GIC_NR_SGIS || c->running[i].src == src)) {
            if (i != c->depth - 1) {
                emu_log_mask(LOG_GUEST_ERROR, "arm_gic: EOI of interrupt %u "
                             "out of order\n", irq);
            }
            memmove(&c->running[i], &c->running[i + 1],
                    (c->depth - i - 1) * sizeof(c->running[0]));
            c->depth--;
            if (!(c->ctlr & GICC_CTLR_EOIMODE)) {
                gic_deactivate(s, cpu, irq);
            }
            gic_update(s);
            return;
        }
    }
    emu_log_mask(LOG_GUEST_ERROR, "arm_gic: EOI of interrupt %u, which is "
                 "not active\n", irq);
}

static uint64_t gic_cpu_read(void *opaque, hwaddr addr, unsigned size)
{
    GICState *s = opaque;
    int cpu = gic_current_cpu(s);
    GICCPUIface *c = &s->cpu[cpu];
    int irq;

    switch (addr) {
    case 0x00:                   /* GICC_CTLR */
        return c->ctlr;
    case 0x04:                   /* GICC_PMR */
        return c->pmr;
    case 0x08:                   /* GICC_BPR */
        return c->bpr;
    case 0x0c:                   /* GICC_IAR */
        return gic_acknowledge(s, cpu);
    case 0x14:                   /* GICC_RPR */
        return c->depth ? gic_running_priority(s, cpu) : 0xff;
    case 0x18:                   /* GICC_HPPIR */
        irq = gic_best_pending(s, cpu);
        if (irq < 0) {
            return GIC_SPURIOUS;
        }
        if (irq < GIC_NR_SGIS) {
            return irq | __builtin_ctz(s->sgi_source[cpu][irq]) << 10;
        }
        return irq;
    case 0x1c:                   /* GICC_ABPR */
        return c->abpr;
    case 0xfc:                   /* GICC_IIDR */
        return GICC_IIDR_VALUE;
    case 0xd0 ... 0xdc:          /* GICC_APRn: see gic_cpu_write */
        return 0;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "arm_gic: read of the CPU "
                     "interface's offset 0x%" PRIx64 "\n", (uint64_t)addr);
        return 0;
    }
}

static void gic_cpu_write(void *opaque, hwaddr addr, uint64_t value,
                          unsigned size)
{
    GICState *s = opaque;
    int cpu = gic_current_cpu(s);
    GICCPUIface *c = &s->cpu[cpu];

    switch (addr) {
    case 0x00:
        c->ctlr = value & GICC_CTLR_MASK;
        break;
    case 0x04:
        c->pmr = value & 0xff;
        break;
    case 0x08:
        c->bpr = value & 7;
        break;
    case 0x10:                   /* GICC_EOIR */
        gic_end_of_interrupt(s, cpu, value);
        return;
    case 0x1c:
        c->abpr = MAX(value & 7, 1);
        break;
    case 0xd0 ... 0xdc:
        /* GICC_APRn: the active priorities live in the running stack;
         * software only saves and restores them (across power-down),
         * which the stack does not need. */
        return;
    case 0x1000:                 /* GICC_DIR */
        if ((value & 0x3ff) < s->num_irq) {
            gic_deactivate(s, cpu, value & 0x3ff);
        }
        break;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "arm_gic: write of the CPU "
                     "interface's offset 0x%" PRIx64 "\n", (uint64_t)addr);
        return;
    }
    gic_update(s);
}

/* ---- the distributor, a byte at a time (as its registers are laid
 * out: 8 interrupts a byte for the bit registers, one a byte for
 * priorities and targets) ---- */

/* The CoreLink GIC-400's peripheral and component IDs at 0xfd0. */
static const uint8_t gic_id_regs[] = {
    0x04, 0x00, 0x00, 0x00, 0x90, 0xb4, 0x2b, 0x00,
    0x0d, 0xf0, 0x05, 0xb1,
};

/* Bit registers: the byte of 8 interrupts starting at irq, for cpu. */
static uint8_t gic_bits_read(GICState *s, const uint8_t *state, int irq,
                             int cpu)
{
    uint8_t v = 0;

    for (int i = 0; i < 8 && irq + i < (int)s->num_irq; i++) {
        if (state[irq + i] & gic_cpu_mask(irq + i, cpu)) {
            v |= 1u << i;
        }
    }
    return v;
}

static uint8_t gic_pending_byte(GICState *s, int irq, int cpu)
{
    uint8_t v = 0;

    for (int i = 0; i < 8 && irq + i < (int)s->num_irq; i++) {
        if (gic_is_pending(s, irq + i, cpu)) {
            v |= 1u << i;
        }
    }
    return v;
}

static uint8_t gic_dist_readb(GICState *s, hwaddr off, int cpu)
{
    int irq;

    if (off < 0x004) {
        return off == 0 ? s->ctlr : 0;
    }
    if (off < 0x008) {           /* GICD_TYPER */
        uint32_t typer = (s->num_irq / 32 - 1) | (s->num_cpu - 1) << 5;

        return typer >> ((off & 3) * 8);
    }
    if (off < 0x00c) {
        return GICD_IIDR_VALUE >> ((off & 3) * 8);
    }
    if (off >= 0x080 && off < 0x400) {
        irq = (off & 0x7f) * 8;
        if (irq >= (int)s->num_irq) {
            return 0;
        }
        switch (off >> 7) {
        case 1:
            return gic_bits_read(s, s->group, irq, cpu);
        case 2: case 3:
            return gic_bits_read(s, s->enabled, irq, cpu);
        case 4: case 5:
            return gic_pending_byte(s, irq, cpu);
        default:
            return gic_bits_read(s, s->active, irq, cpu);
        }
    }
    if (off >= 0x400 && off < 0x800) {
        irq = off - 0x400;
        return irq < (int)s->num_irq ? gic_priority(s, irq, cpu) : 0;
    }
    if (off >= 0x800 && off < 0xc00) {
        irq = off - 0x800;
        /* A uniprocessor GIC's targets read as zero. */
        if (irq >= (int)s->num_irq || s->num_cpu == 1) {
            return 0;
        }
        return irq < GIC_INTERNAL ? 1u << cpu : s->target[irq];
    }
    if (off >= 0xc00 && off < 0xd00) {
        uint8_t v = 0;

        irq = (off - 0xc00) * 4;
        for (int i = 0; i < 4 && irq + i < (int)s->num_irq; i++) {
            if (s->edge[irq + i]) {
                v |= 2u << (i * 2);
            }
        }
        return v;
    }
    if (off >= 0xf10 && off < 0xf30) {
        return s->sgi_source[cpu][off & 0xf];
    }
    if (off >= 0xfd0 && off < 0x1000) {
        unsigned i = (off - 0xfd0) / 4;

        return (off & 3) == 0 && i < sizeof(gic_id_regs) ? gic_id_regs[i]
                                                          : 0;
    }
    return 0;
}

/* A bit register write: set or clear the state of each interrupt whose
 * bit is 1. */
static void gic_bits_write(GICState *s, uint8_t *state, int irq, int cpu,
                           uint8_t value, bool set)
{
    for (int i = 0; i < 8 && irq + i < (int)s->num_irq; i++) {
        uint8_t cm = gic_cpu_mask(irq + i, cpu);

        if (!(value & (1u << i))) {
            continue;
        }
        if (set) {
            state[irq + i] |= cm;
        } else {
            state[irq + i] &= ~cm;
        }
    }
}

static void gic_dist_writeb(GICState *s, hwaddr off, uint8_t value, int cpu)
{
    int irq;

    if (off < 4) {
        if (off == 0) {
            s->ctlr = value & (GICD_CTLR_EN_GRP0 | GICD_CTLR_EN_GRP1);
        }
        return;
    }
    if (off >= 0x080 && off < 0x400) {
        irq = (off & 0x7f) * 8;
        if (irq >= (int)s->num_irq) {
            return;
        }
        switch (off >> 7) {
        case 1:
            /* stored whole: set the ones, clear the zeros */
            gic_bits_write(s, s->group, irq, cpu, value, true);
            gic_bits_write(s, s->group, irq, cpu, ~value, false);
            return;
        case 2: case 3:
            if (irq < GIC_NR_SGIS) {
                return;          /* SGIs are always enabled */
            }
            gic_bits_write(s, s->enabled, irq, cpu, value, (off >> 7) == 2);
            return;
        case 4: case 5:
            if (irq < GIC_NR_SGIS) {
                return;          /* SGIs: GICD_SPENDSGIR/CPENDSGIR */
            }
            gic_bits_write(s, s->pending, irq, cpu, value, (off >> 7) == 4);
            return;
        default:
            gic_bits_write(s, s->active, irq, cpu, value, (off >> 7) == 6);
            return;
        }
    }
    if (off >= 0x400 && off < 0x800) {
        irq = off - 0x400;
        if (irq < GIC_INTERNAL) {
            s->priority_private[cpu][irq] = value;
        } else if (irq < (int)s->num_irq) {
            s->priority_spi[irq] = value;
        }
        return;
    }
    if (off >= 0x800 && off < 0xc00) {
        irq = off - 0x800;
        if (irq >= GIC_INTERNAL && irq < (int)s->num_irq &&
            s->num_cpu > 1) {
            s->target[irq] = value & ((1u << s->num_cpu) - 1);
        }
        return;
    }
    if (off >= 0xc00 && off < 0xd00) {
        irq = (off - 0xc00) * 4;
        for (int i = 0; i < 4 && irq + i < (int)s->num_irq; i++) {
            if (irq + i >= GIC_NR_SGIS) {
                s->edge[irq + i] = value & (2u << (i * 2));
            }
        }
        return;
    }
    if (off >= 0xf10 && off < 0xf20) {
        s->sgi_source[cpu][off & 0xf] &= ~value;
        return;
    }
    if (off >= 0xf20 && off < 0xf30) {
        s->sgi_source[cpu][off & 0xf] |= value & ((1u << s->num_cpu) - 1);
        return;
    }
    emu_log_mask(LOG_GUEST_ERROR, "arm_gic: write of the distributor's "
                 "read-only or reserved offset 0x%" PRIx64 "\n",
                 (uint64_t)off);
}

/* GICD_SGIR: software generated interrupt sgi from cpu to a target list,
 * to every other CPU, or to itself. */
static void gic_send_sgi(GICState *s, int cpu, uint32_t value)
{
    unsigned sgi = value & 0xf;
    unsigned filter = (value >> 24) & 3;
    uint8_t targets;

    switch (filter) {
    case 0:
        targets = (value >> 16) & 0xff;
        break;
    case 1:
        targets = GIC_ALL_CPUS & ~(1u << cpu);
        break;
    case 2:
        targets = 1u << cpu;
        break;
    default:
        emu_log_mask(LOG_GUEST_ERROR, "arm_gic: GICD_SGIR with the reserved "
                     "target list filter 3\n");
        return;
    }
    targets &= (1u << s->num_cpu) - 1;
    for (unsigned t = 0; t < s->num_cpu; t++) {
        if (targets & (1u << t)) {
            s->sgi_source[t][sgi] |= 1u << cpu;
        }
    }
}

static uint64_t gic_dist_read(void *opaque, hwaddr addr, unsigned size)
{
    GICState *s = opaque;
    int cpu = gic_current_cpu(s);
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++) {
        v |= (uint64_t)gic_dist_readb(s, addr + i, cpu) << (i * 8);
    }
    return v;
}

static void gic_dist_write(void *opaque, hwaddr addr, uint64_t value,
                           unsigned size)
{
    GICState *s = opaque;
    int cpu = gic_current_cpu(s);

    if (addr == 0xf00) {
        if (size == 4) {
            gic_send_sgi(s, cpu, value);
        } else {
            emu_log_mask(LOG_GUEST_ERROR, "arm_gic: GICD_SGIR written with "
                         "%u bytes\n", size);
        }
    } else {
        for (unsigned i = 0; i < size; i++) {
            gic_dist_writeb(s, addr + i, value >> (i * 8), cpu);
        }
    }
    gic_update(s);
}

static const MemoryRegionOps gic_dist_ops = {
    .read = gic_dist_read,
    .write = gic_dist_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
};

static const MemoryRegionOps gic_cpu_ops = {
    .read = gic_cpu_read,
    .write = gic_cpu_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

/* ---- device ---- */

static void gic_reset(DeviceState *dev)
{
    GICState *s = ARM_GIC(dev);

    s->ctlr = 0;
    memset(s->enabled, 0, sizeof(s->enabled));
    memset(s->pending, 0, sizeof(s->pending));
    memset(s->active, 0, sizeof(s->active));
    memset(s->group, 0, sizeof(s->group));
    memset(s->edge, 0, sizeof(s->edge));
    memset(s->target, s->num_cpu == 1 ? 1 : 0, sizeof(s->target));
    memset(s->priority_spi, 0, sizeof(s->priority_spi));
    memset(s->priority_private, 0, sizeof(s->priority_private));
    memset(s->sgi_source, 0, sizeof(s->sgi_source));
    for (int irq = 0; irq < GIC_NR_SGIS; irq++) {
        s->enabled[irq] = GIC_ALL_CPUS;
        s->edge[irq] = true;
    }
    for (unsigned cpu = 0; cpu < GIC_MAX_CPUS; cpu++) {
        s->cpu[cpu] = (GICCPUIface) { .abpr = 1 };
    }
    /* s->level is the input wires: it survives the reset. */
    gic_update(s);
}

static void gic_instance_init(Object *obj)
{
    GICState *s = ARM_GIC(obj);

    s->num_cpu = 1;
    s->num_irq = 288;
}

static bool gic_realize(DeviceState *dev, Error **errp)
{
    GICState *s = ARM_GIC(dev);
    SysBusDevice *sbd = SYS_BUS_DEVICE(dev);

    if (s->num_cpu < 1 || s->num_cpu > GIC_MAX_CPUS) {
        error_setg(errp, "arm_gic: num-cpu %u is not between 1 and %d",
                   s->num_cpu, GIC_MAX_CPUS);
        return false;
    }
    if (s->num_irq < 64 || s->num_irq > GIC_MAX_IRQ || s->num_irq % 32) {
        error_setg(errp, "arm_gic: num-irq %u is not a multiple of 32 "
                   "between 64 and %d", s->num_irq, GIC_MAX_IRQ - 28);
        return false;
    }
    qdev_init_gpio_in(dev, gic_set_irq,
                      s->num_irq - GIC_INTERNAL + s->num_cpu * GIC_INTERNAL);
    for (unsigned i = 0; i < s->num_cpu; i++) {
        sysbus_init_irq(sbd, &s->irq_out[i]);
    }
    for (unsigned i = 0; i < s->num_cpu; i++) {
        sysbus_init_irq(sbd, &s->fiq_out[i]);
    }
    memory_region_init_io(&s->dist_mr, OBJECT(dev), &gic_dist_ops, s,
                          "gic_dist", GIC_DIST_SIZE);
    memory_region_init_io(&s->cpu_mr, OBJECT(dev), &gic_cpu_ops, s,
                          "gic_cpu", GIC_CPU_SIZE);
    sysbus_init_mmio(sbd, &s->dist_mr);
    sysbus_init_mmio(sbd, &s->cpu_mr);
    gic_reset(dev);
    return true;
}

static void gic_unrealize(DeviceState *dev)
{
    GICState *s = ARM_GIC(dev);

    memory_region_destroy(&s->dist_mr);
    memory_region_destroy(&s->cpu_mr);
}

static void gic_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static const Property gic_properties[] = {
    DEFINE_PROP_UINT("num-cpu", GICState, num_cpu, 1,
                     "number of CPU interfaces"),
    DEFINE_PROP_UINT("num-irq", GICState, num_irq, 288,
                     "number of interrupt IDs, SGIs and PPIs included"),
};

static void gic_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "ARM Generic Interrupt Controller v2";
    dc->realize = gic_realize;
    dc->unrealize = gic_unrealize;
    dc->reset = gic_reset;
    class_add_properties(klass, gic_properties, ARRAY_SIZE(gic_properties));
}

static const TypeInfo gic_types[] = {
    {
        .name = TYPE_ARM_GIC,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(GICState),
        .instance_init = gic_instance_init,
        .class_init = gic_class_init,
        .instance_finalize = gic_finalize,
    },
};

DEFINE_TYPES(gic_types)
