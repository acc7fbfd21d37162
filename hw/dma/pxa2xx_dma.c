/*
 * The PXA255 DMA controller (PXA255 developer's manual, "DMA
 * Controller"): 16 channels, each with a control/status register DCSR
 * and the descriptor registers DDADR, DSADR, DTADR and DCMD; the
 * request-to-channel map DRCMR0-39 and the interrupt summary DINT.
 *
 * A channel starts when DCSR.RUN is set.  In descriptor-fetch mode it
 * loads DDADR/DSADR/DTADR/DCMD from the descriptor DDADR points at and
 * follows the chain until a descriptor whose next pointer has the STOP
 * bit; with DCSR.NODESCFETCH it runs the registers as written.
 * Memory-to-memory transfers (no flow control in DCMD) are done at once
 * through address_space_read/write on the system address space, with
 * the start, end, stop and bus-error status and interrupts the manual
 * describes.  Transfers paced by a peripheral's requests (DCMD.FLOWSRC
 * or FLOWTRG, DRCMR mappings) are not modelled: they are logged under
 * -d unimp and the channel waits for requests that never come.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/arm/pxa.h"
#include "sysemu/timer.h"

#define PXA2XX_DMA_MMIO_SIZE 0x10000
#define PXA255_DMA_CHANNELS 16
#define PXA255_DMA_REQUESTS 40
/* Descriptors run per start before the rest of a chain is left to the
 * main loop, so that a looping chain cannot hang the guest's write. */
#define PXA2XX_DMA_DESC_BURST 256

enum {
    DCSR0 = 0x000,               /* 4 bytes per channel */
    DINT = 0x0f0,
    DRCMR0 = 0x100,              /* 4 bytes per request line */
    DDADR0 = 0x200,              /* then DSADR, DTADR, DCMD: 16 bytes per
                                  * channel */
};

#define DCSR_RUN         (1u << 31)
#define DCSR_NODESCFETCH (1u << 30)
#define DCSR_STOPIRQEN   (1u << 29)
#define DCSR_REQPEND     (1u << 8)
#define DCSR_STOPSTATE   (1u << 3)
#define DCSR_ENDINTR     (1u << 2)
#define DCSR_STARTINTR   (1u << 1)
#define DCSR_BUSERRINTR  (1u << 0)
#define DCSR_W1C (DCSR_ENDINTR | DCSR_STARTINTR | DCSR_BUSERRINTR)

#define DDADR_STOP 1u

#define DCMD_INCSRCADDR (1u << 31)
#define DCMD_INCTRGADDR (1u << 30)
#define DCMD_FLOWSRC    (1u << 29)
#define DCMD_FLOWTRG    (1u << 28)
#define DCMD_STARTIRQEN (1u << 22)
#define DCMD_ENDIRQEN   (1u << 21)
#define DCMD_LENGTH     0x1fffu

#define DRCMR_MAPVLD (1u << 7)
#define DRCMR_CHLNUM 0xfu

typedef struct PXA2xxDMAChannel {
    uint32_t dcsr;
    uint32_t ddadr;
    uint32_t dsadr;
    uint32_t dtadr;
    uint32_t dcmd;
    bool chain_pending;          /* a burst ended with more descriptors */
} PXA2xxDMAChannel;

typedef struct PXA2xxDMAState {
    SysBusDevice parent_obj;
    MemoryRegion iomem;
    IRQLine *irq;
    EmuTimer *resume;            /* goes on with chains left running */
    PXA2xxDMAChannel chan[PXA255_DMA_CHANNELS];
    uint32_t drcmr[PXA255_DMA_REQUESTS];
} PXA2xxDMAState;

#define PXA2XX_DMA(obj) INSTANCE_CAST(PXA2xxDMAState, (obj), TYPE_PXA2XX_DMA)

static bool pxa2xx_dma_chan_irq(const PXA2xxDMAChannel *c)
{
    return (c->dcsr & DCSR_W1C) ||
           ((c->dcsr & DCSR_STOPSTATE) && (c->dcsr & DCSR_STOPIRQEN));
}

static uint32_t pxa2xx_dma_dint(PXA2xxDMAState *s)
{
    uint32_t dint = 0;

    for (int n = 0; n < PXA255_DMA_CHANNELS; n++) {
        if (pxa2xx_dma_chan_irq(&s->chan[n])) {
            dint |= 1u << n;
        }
    }
    return dint;
}

static void pxa2xx_dma_update_irq(PXA2xxDMAState *s)
{
    irq_set_level(s->irq, pxa2xx_dma_dint(s) != 0);
}

static void pxa2xx_dma_stop(PXA2xxDMAChannel *c)
{
    c->dcsr = (c->dcsr & ~DCSR_RUN) | DCSR_STOPSTATE;
}

static bool pxa2xx_dma_fetch(PXA2xxDMAChannel *c)
{
    uint32_t desc[4];

    if (address_space_read(&address_space_memory, c->ddadr & ~0xfu, desc,
                           sizeof(desc)) != MEMTX_OK) {
        return false;
    }
    /* Descriptors are little-endian words, as is the host. */
    c->ddadr = GUINT32_FROM_LE(desc[0]);
    c->dsadr = GUINT32_FROM_LE(desc[1]);
    c->dtadr = GUINT32_FROM_LE(desc[2]);
    c->dcmd = GUINT32_FROM_LE(desc[3]);
    if (c->dcmd & DCMD_STARTIRQEN) {
        c->dcsr |= DCSR_STARTINTR;
    }
    return true;
}

/* Moves DCMD.LENGTH bytes memory to memory; false on a bus error. */
static bool pxa2xx_dma_copy(PXA2xxDMAChannel *c)
{
    uint32_t len = c->dcmd & DCMD_LENGTH;
    bool inc_src = c->dcmd & DCMD_INCSRCADDR;
    bool inc_dst = c->dcmd & DCMD_INCTRGADDR;
    uint8_t buf[256];

    while (len) {
        /* A fixed address (a FIFO-like location) is moved a word at a
         * time; incrementing ones a buffer at a time. */
        uint32_t chunk = MIN(len, (inc_src && inc_dst) ? sizeof(buf) : 4u);

        if (address_space_read(&address_space_memory, c->dsadr, buf,
                               chunk) != MEMTX_OK ||
            address_space_write(&address_space_memory, c->dtadr, buf,
                                chunk) != MEMTX_OK) {
            return false;
        }
        c->dsadr += inc_src ? chunk : 0;
        c->dtadr += inc_dst ? chunk : 0;
        len -= chunk;
        c->dcmd = (c->dcmd & ~DCMD_LENGTH) | len;
    }
    if (c->dcmd & DCMD_ENDIRQEN) {
        c->dcsr |= DCSR_ENDINTR;
    }
    return true;
}

/*
 * Runs channel n from its current descriptor registers (fetching first
 * when fetch is set) for up to a burst of descriptors.  Returns true
 * when the chain goes on and must be resumed later.
 */
static bool pxa2xx_dma_run(PXA2xxDMAState *s, int n, bool fetch)
{
    PXA2xxDMAChannel *c = &s->chan[n];
    bool desc_mode = !(c->dcsr & DCSR_NODESCFETCH);

    c->chain_pending = false;
    for (int i = 0; i < PXA2XX_DMA_DESC_BURST; i++) {
        if (fetch && !pxa2xx_dma_fetch(c)) {
            c->dcsr |= DCSR_BUSERRINTR;
            pxa2xx_dma_stop(c);
            return false;
        }
        if (c->dcmd & (DCMD_FLOWSRC | DCMD_FLOWTRG)) {
            emu_log_mask(LOG_UNIMP, "pxa2xx-dma: channel %d: transfers "
                         "paced by a peripheral (DCMD 0x%08x) are not "
                         "modelled; the channel waits\n", n, c->dcmd);
            return false;
        }
        if (!pxa2xx_dma_copy(c)) {
            c->dcsr |= DCSR_BUSERRINTR;
            pxa2xx_dma_stop(c);
            return false;
        }
        if (!desc_mode || (c->ddadr & DDADR_STOP)) {
            pxa2xx_dma_stop(c);
            return false;
        }
        fetch = true;
    }
    c->chain_pending = true;
    return true;
}

static void pxa2xx_dma_start(PXA2xxDMAState *s, int n)
{
    PXA2xxDMAChannel *c = &s->chan[n];

    c->dcsr &= ~DCSR_STOPSTATE;
    if (pxa2xx_dma_run(s, n, !(c->dcsr & DCSR_NODESCFETCH))) {
        timer_mod(s->resume, clock_virtual_ns());
    }
}

/* Long chains go on here, a burst at a time, from the main loop. */
static void pxa2xx_dma_resume(void *opaque)
{
    PXA2xxDMAState *s = PXA2XX_DMA(opaque);
    bool more = false;

    for (int n = 0; n < PXA255_DMA_CHANNELS; n++) {
        if (s->chan[n].chain_pending) {
            more |= pxa2xx_dma_run(s, n, true);
        }
    }
    if (more) {
        timer_mod(s->resume, clock_virtual_ns());
    }
    pxa2xx_dma_update_irq(s);
}

static void pxa2xx_dma_write_dcsr(PXA2xxDMAState *s, int n, uint32_t value)
{
    PXA2xxDMAChannel *c = &s->chan[n];
    bool was_running = c->dcsr & DCSR_RUN;

    c->dcsr &= ~(value & DCSR_W1C);
    c->dcsr = (c->dcsr & ~(DCSR_RUN | DCSR_NODESCFETCH | DCSR_STOPIRQEN)) |
              (value & (DCSR_RUN | DCSR_NODESCFETCH | DCSR_STOPIRQEN));
    if ((value & DCSR_RUN) && !was_running) {
        pxa2xx_dma_start(s, n);
    } else if (!(value & DCSR_RUN) && was_running) {
        c->chain_pending = false;
        pxa2xx_dma_stop(c);
    }
}

static uint64_t pxa2xx_dma_read(void *opaque, hwaddr addr, unsigned size)
{
    PXA2xxDMAState *s = PXA2XX_DMA(opaque);

    if (addr < DCSR0 + 4 * PXA255_DMA_CHANNELS) {
        return s->chan[addr / 4].dcsr;
    }
    if (addr == DINT) {
        return pxa2xx_dma_dint(s);
    }
    if (addr >= DRCMR0 && addr < DRCMR0 + 4 * PXA255_DMA_REQUESTS) {
        return s->drcmr[(addr - DRCMR0) / 4];
    }
    if (addr >= DDADR0 && addr < DDADR0 + 16 * PXA255_DMA_CHANNELS) {
        PXA2xxDMAChannel *c = &s->chan[(addr - DDADR0) / 16];
        const uint32_t regs[4] = { c->ddadr, c->dsadr, c->dtadr, c->dcmd };

        return regs[(addr % 16) / 4];
    }
    emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-dma: read of unknown register "
                 "0x%" PRIx64 "\n", addr);
    return 0;
}

static void pxa2xx_dma_write(void *opaque, hwaddr addr, uint64_t value,
                             unsigned size)
{
    PXA2xxDMAState *s = PXA2XX_DMA(opaque);

    if (addr < DCSR0 + 4 * PXA255_DMA_CHANNELS) {
        pxa2xx_dma_write_dcsr(s, addr / 4, value);
    } else if (addr >= DRCMR0 && addr < DRCMR0 + 4 * PXA255_DMA_REQUESTS) {
        s->drcmr[(addr - DRCMR0) / 4] = value & (DRCMR_MAPVLD | DRCMR_CHLNUM);
        if (value & DRCMR_MAPVLD) {
            emu_log_mask(LOG_UNIMP, "pxa2xx-dma: request line %d mapped to "
                         "channel %u: peripheral requests are not "
                         "modelled\n", (int)(addr - DRCMR0) / 4,
                         (unsigned)(value & DRCMR_CHLNUM));
        }
    } else if (addr >= DDADR0 && addr < DDADR0 + 16 * PXA255_DMA_CHANNELS) {
        PXA2xxDMAChannel *c = &s->chan[(addr - DDADR0) / 16];
        uint32_t *regs[4] = { &c->ddadr, &c->dsadr, &c->dtadr, &c->dcmd };

        *regs[(addr % 16) / 4] = value;
    } else {
        emu_log_mask(LOG_GUEST_ERROR, "pxa2xx-dma: write of 0x%" PRIx64
                     " to %s register 0x%" PRIx64 "\n", value,
                     addr == DINT ? "read-only" : "unknown", addr);
        return;
    }
    pxa2xx_dma_update_irq(s);
}

static const MemoryRegionOps pxa2xx_dma_ops = {
    .read = pxa2xx_dma_read,
    .write = pxa2xx_dma_write,
    .endianness = MEMORY_NATIVE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

static void pxa2xx_dma_reset(DeviceState *dev)
{
    PXA2xxDMAState *s = PXA2XX_DMA(dev);

    timer_del(s->resume);
    memset(s->chan, 0, sizeof(s->chan));
    memset(s->drcmr, 0, sizeof(s->drcmr));
    for (int n = 0; n < PXA255_DMA_CHANNELS; n++) {
        s->chan[n].dcsr = DCSR_STOPSTATE;
    }
    pxa2xx_dma_update_irq(s);
}

static void pxa2xx_dma_instance_init(Object *obj)
{
    PXA2xxDMAState *s = PXA2XX_DMA(obj);

    memory_region_init_io(&s->iomem, obj, &pxa2xx_dma_ops, s, "pxa2xx.dma",
                          PXA2XX_DMA_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(obj), &s->iomem);
    qdev_init_gpio_out(DEVICE(obj), &s->irq, 1);
    s->resume = timer_new_virtual(pxa2xx_dma_resume, s);
}

static void pxa2xx_dma_finalize(Object *obj)
{
    PXA2xxDMAState *s = PXA2XX_DMA(obj);

    timer_free(s->resume);
    memory_region_destroy(&s->iomem);
}

static void pxa2xx_dma_class_init(ObjectClass *klass)
{
    klass->desc = "PXA255 DMA controller";
    DEVICE_CLASS(klass)->reset = pxa2xx_dma_reset;
}

static const TypeInfo pxa2xx_dma_types[] = {
    {
        .name = TYPE_PXA2XX_DMA,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(PXA2xxDMAState),
        .instance_init = pxa2xx_dma_instance_init,
        .instance_finalize = pxa2xx_dma_finalize,
        .class_init = pxa2xx_dma_class_init,
    },
};

DEFINE_TYPES(pxa2xx_dma_types)
