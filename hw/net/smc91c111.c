/*
 * The SMSC LAN91C111 10/100 Ethernet controller (SMSC datasheet), as
 * boards such as the Gumstix connex put it on the static memory bus:
 * 16 bytes of registers in four banks chosen by the bank select register
 * at offset 14, an MMU that hands out packet buffers in its internal RAM
 * (4 packets of 2 KiB, as QEMU's model), a TX FIFO of packet numbers
 * queued for sending and a TX completion FIFO.
 *
 * There is no network backend yet: a queued packet is "sent" at once
 * (while TCR.TXENA is set), with a successful status, and dropped; no
 * packet is ever received.  The link is always up (EPH status LINK_OK);
 * the PHY's MII management interface is not modelled (MDI reads 0).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/arm/pxa-devices.h"
#include "hw/sysbus.h"

#define SMC_NUM_PACKETS   4
#define SMC_PACKET_SIZE   2048
#define SMC_MMIO_SIZE     16

#define SMC_BANK_SELECT   14     /* in every bank */
#define SMC_HIGH_BYTE     0x33   /* what reserved high bytes read as */

/* Bank 0 */
#define TCR_TXENA         0x0001
#define EPH_TX_SUC        0x0001
#define EPH_LINK_OK       0x4000
#define RCR_SOFT_RST      0x8000
/* Bank 1 */
#define CTL_STORE         0x0001
#define CTL_RELOAD        0x0002
#define CTL_AUTO_RELEASE  0x0800
/* Bank 2 */
#define ARR_FAILED        0x80
#define FIFO_EMPTY        0x80
#define PTR_MASK          0x07ff
#define PTR_NOT_EMPTY     0x0800
#define PTR_AUTO_INCR     0x4000
#define PTR_RCV           0x8000
#define INT_RCV           0x01
#define INT_TX            0x02
#define INT_TX_EMPTY      0x04
#define INT_ALLOC         0x08
#define INT_RX_OVRN       0x10
#define INT_EPH           0x20
#define INT_ERCV          0x40
#define INT_MD            0x80
/* Interrupts the ACK register clears; the others follow conditions. */
#define INT_ACKABLE       (INT_TX | INT_TX_EMPTY | INT_RX_OVRN | INT_ERCV | \
                           INT_MD)
/* Bank 3 */
#define MGMT_RESET        0x3330
#define MGMT_WRITABLE     0x400d /* MSK_CRS100, MDOE, MCLK, MDO */
#define SMC_REVISION      0x3391 /* chip 9 (LAN91C111), revision 1 */

/* Reset values from the datasheet's register descriptions. */
#define CONFIG_RESET      0xa0b1
#define BASE_RESET        0x1801
#define CONTROL_RESET     0x1210
#define ERCV_RESET        0x001f

enum {
    MMU_NOOP,
    MMU_ALLOC,
    MMU_RESET,
    MMU_REMOVE_RX,
    MMU_REMOVE_RELEASE_RX,
    MMU_RELEASE,
    MMU_ENQUEUE_TX,
    MMU_RESET_TX_FIFOS,
};

typedef struct SMC91C111State {
    SysBusDevice parent_obj;
    MemoryRegion mmio;
    IRQLine *irq;
    int irq_level;
    char *mac;                   /* property */
    uint8_t eeprom_mac[6];       /* what RELOAD brings back */

    uint8_t bank;
    /* bank 0 */
    uint16_t tcr;
    uint16_t eph_status;
    uint16_t rcr;
    uint16_t rpcr;
    /* bank 1 */
    uint16_t config;
    uint16_t base;
    uint8_t ia[6];
    uint16_t gp;
    uint16_t control;
    /* bank 2 */
    uint8_t pnr;
    uint8_t arr;
    uint16_t ptr;
    uint8_t int_latched;         /* TX_EMPTY, ALLOC, ... as latched */
    uint8_t int_mask;
    /* bank 3 */
    uint8_t mt[8];
    uint16_t mgmt;
    uint16_t ercv;

    /* the MMU */
    uint8_t allocated;           /* bit n: packet n is in use */
    bool alloc_pending;          /* an ALLOC waits for a free packet */
    uint8_t tx_fifo[SMC_NUM_PACKETS];
    unsigned tx_fifo_len;
    uint8_t tx_done[SMC_NUM_PACKETS];
    unsigned tx_done_len;
    uint8_t data[SMC_NUM_PACKETS][SMC_PACKET_SIZE];

    bool tx_drop_logged;
    bool mii_logged;
} SMC91C111State;

#define SMC91C111(obj) INSTANCE_CAST(SMC91C111State, (obj), TYPE_SMC91C111)

static uint8_t smc_int_status(const SMC91C111State *s)
{
    return s->int_latched | (s->tx_done_len ? INT_TX : 0);
}

static void smc_update_irq(SMC91C111State *s)
{
    int level = (smc_int_status(s) & s->int_mask) != 0;

    if (level != s->irq_level) {
        s->irq_level = level;
        irq_set_level(s->irq, level);
    }
}

static unsigned smc_free_packets(const SMC91C111State *s)
{
    return SMC_NUM_PACKETS - __builtin_popcount(s->allocated);
}

/* ALLOC: the lowest free packet, or FAILED and a pending request that a
 * later release satisfies. */
static void smc_allocate(SMC91C111State *s)
{
    for (unsigned n = 0; n < SMC_NUM_PACKETS; n++) {
        if (!(s->allocated & (1u << n))) {
            s->allocated |= 1u << n;
            s->arr = n;
            s->alloc_pending = false;
            s->int_latched |= INT_ALLOC;
            return;
        }
    }
    s->arr = ARR_FAILED;
    s->alloc_pending = true;
}

static void smc_release(SMC91C111State *s, unsigned n)
{
    if (n >= SMC_NUM_PACKETS || !(s->allocated & (1u << n))) {
        emu_log_mask(LOG_GUEST_ERROR, "smc91c111: release of packet %u, "
                     "which is not allocated\n", n);
        return;
    }
    s->allocated &= ~(1u << n);
    if (s->alloc_pending) {
        smc_allocate(s);
    }
}

/*
 * Sends what the TX FIFO holds while the transmitter is enabled: each
 * packet succeeds at once and goes nowhere.
 */
static void smc_transmit(SMC91C111State *s)
{
    bool sent = false;

    while ((s->tcr & TCR_TXENA) && s->tx_fifo_len) {
        unsigned n = s->tx_fifo[0];
        uint8_t *pkt = s->data[n];
        unsigned count = (pkt[2] | (pkt[3] << 8)) & 0x7fe;

        s->tx_fifo_len--;
        memmove(s->tx_fifo, s->tx_fifo + 1, s->tx_fifo_len);
        if (count < 6 + 12) {
            emu_log_mask(LOG_GUEST_ERROR, "smc91c111: packet %u has byte "
                         "count %u, too short for a frame\n", n, count);
        }
        if (!s->tx_drop_logged) {
            emu_log_mask(LOG_UNIMP, "smc91c111: no network backend: "
                         "transmitted packets are dropped\n");
            s->tx_drop_logged = true;
        }
        s->eph_status |= EPH_TX_SUC;
        /* The status word goes back into the packet's first word. */
        pkt[0] = s->eph_status & 0xff;
        pkt[1] = s->eph_status >> 8;
        if (s->control & CTL_AUTO_RELEASE) {
            smc_release(s, n);
        } else {
            s->tx_done[s->tx_done_len++] = n;
        }
        sent = true;
    }
    if (sent && !s->tx_fifo_len) {
        s->int_latched |= INT_TX_EMPTY;
    }
}

static void smc_mmu_reset(SMC91C111State *s)
{
    s->allocated = 0;
    s->alloc_pending = false;
    s->tx_fifo_len = 0;
    s->tx_done_len = 0;
    s->pnr = 0;
    s->arr = ARR_FAILED;
    s->int_latched &= ~INT_ALLOC;
}

static void smc_mmu_command(SMC91C111State *s, uint8_t value)
{
    switch (value >> 5) {
    case MMU_NOOP:
        break;
    case MMU_ALLOC:
        /* The size field (bits 0-2) is ignored: packets are 2 KiB. */
        s->int_latched &= ~INT_ALLOC;
        smc_allocate(s);
        break;
    case MMU_RESET:
        smc_mmu_reset(s);
        break;
    case MMU_REMOVE_RX:
    case MMU_REMOVE_RELEASE_RX:
        emu_log_mask(LOG_GUEST_ERROR, "smc91c111: MMU command 0x%02x "
                     "removes from an empty RX FIFO\n", value);
        break;
    case MMU_RELEASE:
        smc_release(s, s->pnr);
        break;
    case MMU_ENQUEUE_TX:
        if (s->pnr >= SMC_NUM_PACKETS || !(s->allocated & (1u << s->pnr))) {
            emu_log_mask(LOG_GUEST_ERROR, "smc91c111: enqueue of packet "
                         "%u, which is not allocated\n", s->pnr);
            break;
        }
        s->tx_fifo[s->tx_fifo_len++] = s->pnr;
        smc_transmit(s);
        break;
    case MMU_RESET_TX_FIFOS:
        s->tx_fifo_len = 0;
        s->tx_done_len = 0;
        break;
    }
}

/* The packet the data register reaches, or -1 (logged). */
static int smc_data_packet(SMC91C111State *s, bool is_write)
{
    if (s->ptr & PTR_RCV) {
        emu_log_mask(LOG_GUEST_ERROR, "smc91c111: data %s with PTR.RCV "
                     "set, but the RX FIFO is empty\n",
                     is_write ? "write" : "read");
        return -1;
    }
    if (s->pnr >= SMC_NUM_PACKETS) {
        emu_log_mask(LOG_GUEST_ERROR, "smc91c111: data %s: PNR %u is no "
                     "packet (0..%u)\n", is_write ? "write" : "read",
                     s->pnr, SMC_NUM_PACKETS - 1);
        return -1;
    }
    return s->pnr;
}

static void smc_data_advance(SMC91C111State *s)
{
    if (s->ptr & PTR_AUTO_INCR) {
        s->ptr = (s->ptr & ~PTR_MASK) | ((s->ptr + 1) & PTR_MASK);
    }
}

static uint8_t smc_data_read(SMC91C111State *s)
{
    int n = smc_data_packet(s, false);
    uint8_t value = n < 0 ? 0 : s->data[n][s->ptr & PTR_MASK];

    smc_data_advance(s);
    return value;
}

static void smc_data_write(SMC91C111State *s, uint8_t value)
{
    int n = smc_data_packet(s, true);

    if (n >= 0) {
        s->data[n][s->ptr & PTR_MASK] = value;
    }
    smc_data_advance(s);
}

/* Byte lane `hi` (0 or 1) of a 16-bit register. */
static uint8_t lane(uint16_t reg, unsigned hi)
{
    return hi ? reg >> 8 : reg & 0xff;
}

static void set_lane(uint16_t *reg, unsigned hi, uint8_t value)
{
    *reg = hi ? (*reg & 0x00ff) | (value << 8) : (*reg & 0xff00) | value;
}

static uint8_t smc_read_byte(SMC91C111State *s, unsigned offset)
{
    unsigned hi = offset & 1;

    if (offset >= SMC_BANK_SELECT) {
        return hi ? SMC_HIGH_BYTE : s->bank;
    }
    switch (s->bank) {
    case 0:
        switch (offset & ~1u) {
        case 0:
            return lane(s->tcr, hi);
        case 2:
            return lane(s->eph_status, hi);
        case 4:
            return lane(s->rcr, hi);
        case 6:
            return 0;            /* counter: no collisions, ever */
        case 8:                  /* MIR: size, free (2 KiB units) */
            return hi ? smc_free_packets(s) : SMC_NUM_PACKETS;
        case 10:
            return lane(s->rpcr, hi);
        default:
            return 0;            /* reserved */
        }
    case 1:
        switch (offset & ~1u) {
        case 0:
            return lane(s->config, hi);
        case 2:
            return lane(s->base, hi);
        case 4:
        case 6:
        case 8:
            return s->ia[offset - 4];
        case 10:
            return lane(s->gp, hi);
        default:
            return lane(s->control, hi);
        }
    case 2:
        switch (offset) {
        case 0:
            return 0;            /* MMU command: never BUSY */
        case 1:
            return 0;
        case 2:
            return s->pnr;
        case 3:
            return s->arr;
        case 4:
            return s->tx_done_len ? s->tx_done[0] : FIFO_EMPTY;
        case 5:
            return FIFO_EMPTY;   /* nothing is ever received */
        case 6:
        case 7:
            /* NOT_EMPTY stays clear: writes reach the RAM at once. */
            return lane(s->ptr, hi);
        case 12:
            return smc_int_status(s);
        case 13:
            return s->int_mask;
        default:
            return smc_data_read(s);
        }
    case 3:
        switch (offset & ~1u) {
        case 0:
        case 2:
        case 4:
        case 6:
            return s->mt[offset];
        case 8:
            return lane(MGMT_RESET | s->mgmt, hi);
        case 10:
            return lane(SMC_REVISION, hi);
        default:
            return lane(s->ercv, hi);
        }
    default:
        emu_log_mask(LOG_GUEST_ERROR, "smc91c111: read of offset %u in "
                     "bank %u (banks are 0..3)\n", offset, s->bank);
        return 0;
    }
}

static void smc_reset_registers(SMC91C111State *s);

static void smc_write_byte(SMC91C111State *s, unsigned offset, uint8_t value)
{
    unsigned hi = offset & 1;

    if (offset >= SMC_BANK_SELECT) {
        if (!hi) {
            s->bank = value & 7;
        }
        return;
    }
    switch (s->bank) {
    case 0:
        switch (offset & ~1u) {
        case 0:
            set_lane(&s->tcr, hi, value);
            smc_transmit(s);
            return;
        case 4:
            set_lane(&s->rcr, hi, value);
            if (s->rcr & RCR_SOFT_RST) {
                smc_reset_registers(s);
                s->rcr = RCR_SOFT_RST;
            }
            return;
        case 10:
            set_lane(&s->rpcr, hi, value);
            return;
        case 2:
        case 6:
        case 8:
            emu_log_mask(LOG_GUEST_ERROR, "smc91c111: write 0x%02x to "
                         "read-only %s\n", value,
                         offset < 4 ? "EPH status" :
                         offset < 8 ? "counter" : "MIR");
            return;
        }
        break;
    case 1:
        switch (offset & ~1u) {
        case 0:
            set_lane(&s->config, hi, value);
            return;
        case 2:
            set_lane(&s->base, hi, value);
            return;
        case 4:
        case 6:
        case 8:
            s->ia[offset - 4] = value;
            return;
        case 10:
            set_lane(&s->gp, hi, value);
            return;
        case 12:
            set_lane(&s->control, hi, value);
            if (s->control & CTL_RELOAD) {
                memcpy(s->ia, s->eeprom_mac, sizeof(s->ia));
            }
            if (s->control & CTL_STORE) {
                emu_log_mask(LOG_UNIMP, "smc91c111: CONTROL.STORE: the "
                             "serial EEPROM is not modelled, nothing "
                             "stored\n");
            }
            /* Both complete at once and clear themselves. */
            s->control &= ~(CTL_RELOAD | CTL_STORE);
            return;
        }
        break;
    case 2:
        switch (offset) {
        case 0:
            smc_mmu_command(s, value);
            return;
        case 1:
            return;              /* reserved half of the MMU command */
        case 2:
            s->pnr = value & 0x3f;
            return;
        case 3:
        case 4:
        case 5:
            emu_log_mask(LOG_GUEST_ERROR, "smc91c111: write 0x%02x to "
                         "read-only %s\n", value,
                         offset == 3 ? "ARR" : "FIFO ports");
            return;
        case 6:
        case 7:
            set_lane(&s->ptr, hi, value);
            s->ptr &= ~PTR_NOT_EMPTY;
            return;
        case 12:
            s->int_latched &= ~(value & INT_ACKABLE);
            if ((value & INT_TX) && s->tx_done_len) {
                /* Acknowledging TX_INT pops the completion FIFO. */
                s->tx_done_len--;
                memmove(s->tx_done, s->tx_done + 1, s->tx_done_len);
            }
            return;
        case 13:
            s->int_mask = value;
            return;
        default:
            smc_data_write(s, value);
            return;
        }
    case 3:
        switch (offset & ~1u) {
        case 0:
        case 2:
        case 4:
        case 6:
            s->mt[offset] = value;
            return;
        case 8:
            if (!s->mii_logged) {
                emu_log_mask(LOG_UNIMP, "smc91c111: MGMT: the PHY's MII "
                             "management interface is not modelled (the "
                             "link is always up)\n");
                s->mii_logged = true;
            }
            set_lane(&s->mgmt, hi, value);
            s->mgmt &= MGMT_WRITABLE;
            return;
        case 10:
            emu_log_mask(LOG_GUEST_ERROR, "smc91c111: write 0x%02x to "
                         "read-only REV\n", value);
            return;
        case 12:
            set_lane(&s->ercv, hi, value);
            return;
        }
        break;
    }
    emu_log_mask(LOG_GUEST_ERROR, "smc91c111: write 0x%02x to offset %u "
                 "of bank %u, which has no register there\n", value, offset,
                 s->bank);
}

static uint64_t smc_read(void *opaque, hwaddr addr, unsigned size)
{
    SMC91C111State *s = opaque;
    uint8_t value = smc_read_byte(s, addr);

    smc_update_irq(s);
    return value;
}

static void smc_write(void *opaque, hwaddr addr, uint64_t value,
                      unsigned size)
{
    SMC91C111State *s = opaque;

    smc_write_byte(s, addr, value);
    smc_update_irq(s);
}

/*
 * The chip decodes byte lanes: a 16- or 32-bit access is the bytes it
 * covers, lowest address first (a 32-bit data-register access moves 4
 * bytes through the pointer).
 */
static const MemoryRegionOps smc_ops = {
    .read = smc_read,
    .write = smc_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

/* Everything but the MAC address a RELOAD would fetch. */
static void smc_reset_registers(SMC91C111State *s)
{
    s->bank = 0;
    s->tcr = 0;
    s->eph_status = EPH_LINK_OK;
    s->rcr = 0;
    s->rpcr = 0;
    s->config = CONFIG_RESET;
    s->base = BASE_RESET;
    s->gp = 0;
    s->control = CONTROL_RESET;
    s->ptr = 0;
    s->int_latched = INT_TX_EMPTY;
    s->int_mask = 0;
    memset(s->mt, 0, sizeof(s->mt));
    s->mgmt = 0;
    s->ercv = ERCV_RESET;
    smc_mmu_reset(s);
}

static void smc_reset(DeviceState *dev)
{
    SMC91C111State *s = SMC91C111(dev);

    smc_reset_registers(s);
    memcpy(s->ia, s->eeprom_mac, sizeof(s->ia));
    /* Drive the line low even if we believe it is: the board may have
     * connected it after the last change. */
    s->irq_level = 0;
    irq_set_level(s->irq, 0);
}

static bool smc_parse_mac(const char *str, uint8_t mac[6])
{
    unsigned b[6];
    char end;

    if (sscanf(str, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2],
               &b[3], &b[4], &b[5], &end) != 6 || strlen(str) != 17) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        mac[i] = b[i];
    }
    return true;
}

static bool smc_realize(DeviceState *dev, Error **errp)
{
    SMC91C111State *s = SMC91C111(dev);

    if (!s->mac || !smc_parse_mac(s->mac, s->eeprom_mac)) {
        error_setg(errp, "smc91c111: mac '%s' is not a MAC address "
                   "(accepted: six hex bytes separated by colons, e.g. "
                   "52:54:00:12:34:56)", s->mac ? s->mac : "");
        return false;
    }
    memory_region_init_io(&s->mmio, OBJECT(dev), &smc_ops, s,
                          "smc91c111-mmio", SMC_MMIO_SIZE);
    sysbus_init_mmio(SYS_BUS_DEVICE(dev), &s->mmio);
    smc_reset(dev);
    return true;
}

static void smc_init(Object *obj)
{
    SMC91C111State *s = SMC91C111(obj);

    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->irq);
    qdev_init_gpio_out(DEVICE(obj), &s->irq, 1);
}

static void smc_unrealize(DeviceState *dev)
{
    memory_region_destroy(&SMC91C111(dev)->mmio);
}

static void smc_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static const Property smc_properties[] = {
    {
        .name = "mac", .kind = PROP_KIND_STRING,
        .offset = offsetof(SMC91C111State, mac), .width = sizeof(char *),
        .help = "MAC address (IA0-5 at reset and on EEPROM reload)",
        .defval.s = "52:54:00:12:34:56", .has_default = true,
    },
};

static void smc_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "SMSC LAN91C111 Ethernet controller";
    dc->realize = smc_realize;
    dc->unrealize = smc_unrealize;
    dc->reset = smc_reset;
    dc->category = DEVICE_CATEGORY_NETWORK;
    class_add_properties(klass, smc_properties, ARRAY_SIZE(smc_properties));
}

static const TypeInfo smc_types[] = {
    {
        .name = TYPE_SMC91C111,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(SMC91C111State),
        .instance_init = smc_init,
        .instance_finalize = smc_finalize,
        .class_init = smc_class_init,
    },
};

DEFINE_TYPES(smc_types)
