/*
 * The Intel 82540EM Gigabit Ethernet controller ("-device e1000"), QEMU's
 * default NIC of the PC: what Linux's e1000 driver and firmware use of
 * the 8254x family's interface (Intel's software developer's manual).
 *
 * - BAR0: the registers (128 KiB); BAR1: the same through IOADDR/IODATA
 *   (Linux resets the 82540 through it).
 * - The EEPROM (64 words: the MAC address, IDs, a checksum word making
 *   the sum 0xbaba) read by bit-banging its Microwire interface in EECD,
 *   or through EERD.
 * - The PHY (a Marvell 88E1011, as on the board the 82540EM sits on)
 *   through MDIC: the link is always up at 1000 Mbit/s full duplex, and
 *   auto-negotiation completes as soon as it is (re)started.
 * - Receive: the address filters (16 exact addresses, the 4096-bit
 *   multicast hash, promiscuous and broadcast bits, the VLAN filter),
 *   VLAN tag stripping, frames spread over as many descriptors as the
 *   buffer size needs, the FCS appended (unless RCTL.SECRC); checksums
 *   are not checked (descriptors say so: IXSM).
 * - Transmit (e1000-tx.c): legacy and extended descriptors, checksum
 *   insertion and TCP segmentation (TSO).
 * - Interrupts: ICR (read to clear), ICS, IMS, IMC; INTx while ICR &
 *   IMS.  There is no moderation: ITR and the delay timers are kept but
 *   a cause interrupts at once.
 *
 * Descriptor rings live in guest memory: a ring or buffer the guest
 * placed outside RAM, or a ring whose head or tail is past its end, is
 * logged (-d guest_errors) and leaves the ring where it stands.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include <zlib.h>
#include "e1000-internal.h"

#define E1000_DEVICE_ID 0x100e           /* 82540EM */
#define E1000_REVISION 3

#define CTRL_SLU 0x00000040              /* set link up */
#define CTRL_SPD_1000 0x00000200
#define CTRL_FD 0x00000001
#define CTRL_RST 0x04000000              /* device reset, self-clearing */
#define CTRL_VME 0x40000000              /* VLAN mode: strip tags */
#define CTRL_PHY_RST 0x80000000

#define STATUS_FD 0x00000001
#define STATUS_LU 0x00000002
#define STATUS_SPEED_1000 0x00000080
#define STATUS_ASDV_1000 0x00000200      /* speed detected: 1000 */

/* EECD: the EEPROM's pins and the grant to drive them. */
#define EECD_SK 0x00000001               /* clock */
#define EECD_CS 0x00000002               /* chip select */
#define EECD_DI 0x00000004               /* data into the EEPROM */
#define EECD_DO 0x00000008               /* data out of it */
#define EECD_FWE_DISABLED 0x00000010     /* flash writes disabled */
#define EECD_FWE_MASK 0x00000030
#define EECD_REQ 0x00000040
#define EECD_GNT 0x00000080
#define EECD_PRES 0x00000100             /* an EEPROM is present */
#define EECD_DRIVEN (EECD_SK | EECD_CS | EECD_DI | EECD_FWE_MASK | EECD_REQ)
/* Microwire: a start bit, the 2-bit opcode (READ is 10), 6 address bits. */
#define MICROWIRE_READ 0x6
#define MICROWIRE_COMMAND_BITS 9
#define EEPROM_CHECKSUM_WORD 0x3f
#define EEPROM_CHECKSUM_SUM 0xbaba

#define EERD_START 0x00000001
#define EERD_DONE 0x00000010
#define EERD_ADDR_SHIFT 8
#define EERD_DATA_SHIFT 16

#define MDIC_DATA_MASK 0x0000ffff
#define MDIC_REG_SHIFT 16
#define MDIC_REG_MASK 0x001f0000
#define MDIC_PHY_SHIFT 21
#define MDIC_PHY_MASK 0x03e00000
#define MDIC_OP_WRITE 0x04000000
#define MDIC_OP_READ 0x08000000
#define MDIC_READY 0x10000000
#define MDIC_ERROR 0x40000000
#define PHY_ADDRESS 1                    /* the one PHY on the MDIO bus */

/* PHY registers (IEEE 802.3 clause 22, and the 88E1011's). */
#define PHY_CTRL 0x00
#define PHY_STATUS 0x01
#define PHY_ID1 0x02
#define PHY_ID2 0x03
#define PHY_AUTONEG_ADV 0x04
#define PHY_LP_ABILITY 0x05
#define PHY_AUTONEG_EXP 0x06
#define PHY_1000T_CTRL 0x09
#define PHY_1000T_STATUS 0x0a
#define PHY_EXT_STATUS 0x0f
#define M88_PHY_SPEC_CTRL 0x10
#define M88_PHY_SPEC_STATUS 0x11
#define M88_EXT_PHY_SPEC_CTRL 0x14
#define PHY_CTRL_RESET 0x8000
#define PHY_CTRL_RESTART_AUTONEG 0x0200

#define RCTL_EN 0x00000002
#define RCTL_UPE 0x00000008              /* unicast promiscuous */
#define RCTL_MPE 0x00000010              /* multicast promiscuous */
#define RCTL_RDMTS_SHIFT 8               /* descriptors-low threshold */
#define RCTL_MO_SHIFT 12                 /* which address bits hash */
#define RCTL_BAM 0x00008000              /* accept broadcast */
#define RCTL_BSIZE_SHIFT 16
#define RCTL_VFE 0x00040000              /* VLAN filter */
#define RCTL_BSEX 0x02000000             /* buffer sizes times 16 */
#define RCTL_SECRC 0x04000000            /* strip the FCS */

#define RAH_AV 0x80000000                /* the address is valid */

#define RXD_STAT_DD 0x01
#define RXD_STAT_EOP 0x02
#define RXD_STAT_IXSM 0x04               /* checksums not checked */
#define RXD_STAT_VP 0x08                 /* a VLAN tag was stripped */

#define ETH_HEADER 14
#define ETH_MIN_FRAME 60                 /* without the FCS */
#define ETH_FCS 4
#define VLAN_TAG 4

/* Registers the driver writes and reads back, with no side effect. */
static const uint16_t plain_registers[] = {
    E1000_CTRL_EXT, E1000_FCAL, E1000_FCAH, E1000_FCT, E1000_VET,
    E1000_ITR, E1000_FCTTV, E1000_TXCW, E1000_TIPG, E1000_AIT,
    E1000_LEDCTL, E1000_PBA, E1000_FCRTL, E1000_FCRTH, E1000_RDBAL,
    E1000_RDBAH, E1000_RDLEN, E1000_RDTR, E1000_RXDCTL, E1000_RADV,
    E1000_RSRPD, E1000_TXDMAC, E1000_TDBAL, E1000_TDBAH, E1000_TDLEN,
    E1000_TIDV, E1000_TXDCTL, E1000_TADV, E1000_TSPMT, E1000_RXCSUM,
    E1000_WUC, E1000_WUFC, E1000_WUS, E1000_MANC,
};

static bool in_table(unsigned offset, unsigned base, unsigned words)
{
    return offset >= base && offset < base + 4 * words;
}

static bool is_plain_register(unsigned offset)
{
    for (size_t i = 0; i < ARRAY_SIZE(plain_registers); i++) {
        if (plain_registers[i] == offset) {
            return true;
        }
    }
    return in_table(offset, E1000_MTA, E1000_MTA_WORDS) ||
           in_table(offset, E1000_RA, 2 * E1000_RA_ENTRIES) ||
           in_table(offset, E1000_VFTA, E1000_MTA_WORDS);
}

/* ---- interrupts ---- */

static void e1000_update_irq(E1000State *s)
{
    pci_set_irq(PCI_DEVICE(s),
                (e1000_reg(s, E1000_ICR) & e1000_reg(s, E1000_IMS)) != 0);
}

void e1000_set_interrupt_cause(E1000State *s, uint32_t causes)
{
    e1000_set_reg(s, E1000_ICR, e1000_reg(s, E1000_ICR) | causes);
    e1000_update_irq(s);
}

void e1000_count(E1000State *s, unsigned offset, uint64_t n)
{
    bool pair = offset == E1000_GORCL || offset == E1000_GOTCL ||
                offset == E1000_TORL || offset == E1000_TOTL;
    uint64_t value = e1000_reg(s, offset);
    uint64_t limit = pair ? UINT64_MAX : UINT32_MAX;

    if (pair) {
        value |= (uint64_t)e1000_reg(s, offset + 4) << 32;
    }
    /* The counters stick at their largest value. */
    value = n > limit - value ? limit : value + n;
    e1000_set_reg(s, offset, value);
    if (pair) {
        e1000_set_reg(s, offset + 4, value >> 32);
    }
}

/* ---- the EEPROM ---- */

/* The 82540EM's EEPROM image as Intel's tools lay it out: the MAC
 * address, the compatibility and initialization control words, the
 * subsystem and vendor IDs, and the checksum. */
static void e1000_fill_eeprom(E1000State *s)
{
    uint16_t *e = s->eeprom;
    uint16_t sum = 0;

    memset(e, 0xff, sizeof(s->eeprom));
    for (int i = 0; i < 3; i++) {
        e[i] = ldn_le_p(s->props.mac.a + 2 * i, 2);
    }
    e[0x03] = 0x0000;                    /* compatibility */
    e[0x05] = 0x0000;                    /* image version */
    e[0x0a] = 0x6403;                    /* init control 1: valid, no LOM */
    e[0x0b] = PCI_SUBDEVICE_ID_QEMU;     /* subsystem ID */
    e[0x0c] = PCI_SUBVENDOR_ID_REDHAT_QUMRANET;
    e[0x0d] = E1000_DEVICE_ID;
    e[0x0e] = PCI_VENDOR_ID_INTEL;
    e[0x0f] = 0x3040;                    /* init control 2: symmetric pause */
    e[0x24] = 0x0400;                    /* init control 3: no APM wake */
    for (int i = 0; i < EEPROM_CHECKSUM_WORD; i++) {
        sum += e[i];
    }
    e[EEPROM_CHECKSUM_WORD] = EEPROM_CHECKSUM_SUM - sum;
}

/* EECD written: a Microwire read is a start bit, READ and the address
 * clocked in on rising edges of SK, then the word's 16 bits clocked out
 * (most significant first) on falling edges; raising CS starts over. */
static void e1000_eecd_write(E1000State *s, uint32_t value)
{
    uint32_t old = e1000_reg(s, E1000_EECD);

    e1000_set_reg(s, E1000_EECD, value & EECD_DRIVEN);
    if (!(value & EECD_CS)) {
        s->microwire.reading = false;
        return;
    }
    if (!(old & EECD_CS)) {
        s->microwire.in = 0;
        s->microwire.bits_in = 0;
        s->microwire.reading = false;
    }
    if (!((old ^ value) & EECD_SK)) {
        return;                          /* no clock edge */
    }
    if (!(value & EECD_SK)) {
        /* Falling edge: the next data bit (the first one after the
         * last address bit). */
        if (s->microwire.reading) {
            s->microwire.out_bit++;
        }
        return;
    }
    if (s->microwire.bits_in >= MICROWIRE_COMMAND_BITS) {
        return;                          /* clocking the data out */
    }
    s->microwire.in = s->microwire.in << 1 | !!(value & EECD_DI);
    if (++s->microwire.bits_in < MICROWIRE_COMMAND_BITS) {
        return;
    }
    if (s->microwire.in >> 6 == MICROWIRE_READ) {
        s->microwire.reading = true;
        s->microwire.out_bit = (s->microwire.in & 0x3f) * 16 - 1;
    } else {
        emu_log_mask(LOG_UNIMP, "e1000: EEPROM command 0x%x (only READ "
                     "is modelled)\n", s->microwire.in);
    }
}

static uint32_t e1000_eecd_read(E1000State *s)
{
    uint32_t value = e1000_reg(s, E1000_EECD) | EECD_PRES;
    int bit = s->microwire.out_bit;

    if (value & EECD_REQ) {
        value |= EECD_GNT;               /* no firmware competes */
    }
    if (s->microwire.reading && bit >= 0 &&
        bit < E1000_EEPROM_WORDS * 16 &&
        s->eeprom[bit / 16] & (0x8000 >> (bit % 16))) {
        value |= EECD_DO;
    }
    return value;
}

static void e1000_eerd_write(E1000State *s, uint32_t value)
{
    unsigned addr = (value >> EERD_ADDR_SHIFT) & 0xff;

    if (!(value & EERD_START)) {
        e1000_set_reg(s, E1000_EERD, value);
        return;
    }
    if (addr >= E1000_EEPROM_WORDS) {
        emu_log_mask(LOG_GUEST_ERROR, "e1000: EERD read of EEPROM word "
                     "0x%x (it has %d)\n", addr, E1000_EEPROM_WORDS);
        e1000_set_reg(s, E1000_EERD, value & ~EERD_START);
        return;
    }
    e1000_set_reg(s, E1000_EERD, (uint32_t)s->eeprom[addr] << EERD_DATA_SHIFT
                                 | addr << EERD_ADDR_SHIFT | EERD_DONE);
}

/* ---- the PHY ---- */

static void e1000_phy_reset(E1000State *s)
{
    static const uint16_t reset_values[32] = {
        [PHY_CTRL] = 0x1140,             /* autoneg on, 1000, full */
        /* 10/100 both duplexes, extended status, preamble suppression,
         * autoneg complete and able, link up, extended registers */
        [PHY_STATUS] = 0x796d,
        [PHY_ID1] = 0x0141,              /* Marvell 88E1011 */
        [PHY_ID2] = 0x0c20,
        [PHY_AUTONEG_ADV] = 0x01e1,      /* 10/100, both duplexes */
        /* the partner: acknowledged, pause, 10/100 both duplexes */
        [PHY_LP_ABILITY] = 0x45e1,
        [PHY_AUTONEG_EXP] = 0x0001,      /* the partner negotiates */
        [PHY_1000T_CTRL] = 0x0300,       /* advertise 1000 both */
        /* receivers OK, the partner does 1000 both */
        [PHY_1000T_STATUS] = 0x3c00,
        [PHY_EXT_STATUS] = 0x3000,       /* 1000BASE-T both */
        [M88_PHY_SPEC_CTRL] = 0x0068,
        /* 1000, full, resolved, link */
        [M88_PHY_SPEC_STATUS] = 0xac00,
        [M88_EXT_PHY_SPEC_CTRL] = 0x0c60,
    };

    memcpy(s->phy, reset_values, sizeof(s->phy));
}

static bool phy_register_is_read_only(unsigned reg)
{
    return reg == PHY_STATUS || reg == PHY_ID1 || reg == PHY_ID2 ||
           reg == PHY_LP_ABILITY || reg == PHY_AUTONEG_EXP ||
           reg == PHY_1000T_STATUS || reg == PHY_EXT_STATUS ||
           reg == M88_PHY_SPEC_STATUS;
}

static void e1000_phy_write(E1000State *s, unsigned reg, uint16_t value)
{
    if (phy_register_is_read_only(reg)) {
        emu_log_mask(LOG_GUEST_ERROR, "e1000: write of PHY register %u, "
                     "which is read-only\n", reg);
        return;
    }
    if (reg == PHY_CTRL) {
        /* A software reset keeps the configuration registers (they take
         * effect with it); the link comes back, negotiated, at once, as
         * does a restarted negotiation. */
        value &= ~(PHY_CTRL_RESET | PHY_CTRL_RESTART_AUTONEG);
    }
    s->phy[reg] = value;
}

static void e1000_mdic_write(E1000State *s, uint32_t value)
{
    unsigned phy = (value & MDIC_PHY_MASK) >> MDIC_PHY_SHIFT;
    unsigned reg = (value & MDIC_REG_MASK) >> MDIC_REG_SHIFT;
    uint32_t result = value & ~(MDIC_READY | MDIC_ERROR);

    if (phy != PHY_ADDRESS) {
        result |= MDIC_ERROR;            /* nobody answers there */
    } else if (value & MDIC_OP_READ) {
        result = (result & ~MDIC_DATA_MASK) | s->phy[reg];
    } else if (value & MDIC_OP_WRITE) {
        e1000_phy_write(s, reg, value & MDIC_DATA_MASK);
    } else {
        result |= MDIC_ERROR;
    }
    e1000_set_reg(s, E1000_MDIC, result | MDIC_READY);
    e1000_set_interrupt_cause(s, E1000_ICR_MDAC);
}

/* ---- receive ---- */

static uint32_t rx_ring_size(E1000State *s)
{
    return e1000_ring_size(s, E1000_RDLEN);
}

/* Descriptors the driver handed over (head to tail); 0 when the ring
 * is empty or its head or tail lies outside it. */
static uint32_t rx_descriptors_free(E1000State *s)
{
    uint32_t size = rx_ring_size(s);
    uint32_t head = e1000_reg(s, E1000_RDH), tail = e1000_reg(s, E1000_RDT);

    if (!size || head >= size || tail >= size) {
        return 0;
    }
    return (tail + size - head) % size;
}

static size_t rx_buffer_size(E1000State *s)
{
    uint32_t rctl = e1000_reg(s, E1000_RCTL);
    unsigned code = (rctl >> RCTL_BSIZE_SHIFT) & 3;

    if (rctl & RCTL_BSEX) {
        return code ? 16384 >> (code - 1) : 2048;   /* 00 is reserved */
    }
    return 2048 >> code;
}

static bool e1000_can_receive(NetClientState *nc)
{
    E1000State *s = nc->owner;

    /* A stopped receiver drops what comes; a running one without
     * buffers holds it until the driver moves RDT. */
    return !(e1000_reg(s, E1000_RCTL) & RCTL_EN) ||
           rx_descriptors_free(s) > 0;
}

static bool multicast_hash_hit(E1000State *s, const uint8_t *dst)
{
    static const unsigned shifts[] = { 4, 3, 2, 0 };
    unsigned mo = (e1000_reg(s, E1000_RCTL) >> RCTL_MO_SHIFT) & 3;
    unsigned hash = ((dst[4] >> shifts[mo]) |
                     (dst[5] << (8 - shifts[mo]))) & 0xfff;

    return e1000_reg(s, E1000_MTA + 4 * (hash >> 5)) & (1u << (hash & 31));
}

static bool exact_address_hit(E1000State *s, const uint8_t *dst)
{
    for (int i = 0; i < E1000_RA_ENTRIES; i++) {
        uint32_t low = e1000_reg(s, E1000_RA + 8 * i);
        uint32_t high = e1000_reg(s, E1000_RA + 8 * i + 4);
        uint8_t addr[6] = { low, low >> 8, low >> 16, low >> 24, high,
                            high >> 8 };

        if ((high & RAH_AV) && !memcmp(addr, dst, sizeof(addr))) {
            return true;
        }
    }
    return false;
}

/* Whether the frame carries a VLAN tag (its type is VET's). */
static bool is_vlan_tagged(E1000State *s, const uint8_t *frame, size_t len)
{
    return len >= ETH_HEADER + VLAN_TAG &&
           (unsigned)(frame[12] << 8 | frame[13]) ==
           (e1000_reg(s, E1000_VET) & 0xffff);
}

/* The destination address filters; a tagged frame also passes the VLAN
 * filter when RCTL.VFE asks for it. */
static bool e1000_accepts(E1000State *s, const uint8_t *frame, size_t len)
{
    static const uint8_t broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff,
                                          0xff };
    uint32_t rctl = e1000_reg(s, E1000_RCTL);

    if (len < ETH_HEADER) {
        return false;
    }
    if ((rctl & RCTL_VFE) && is_vlan_tagged(s, frame, len)) {
        unsigned vid = (frame[14] << 8 | frame[15]) & 0xfff;

        if (!(e1000_reg(s, E1000_VFTA + 4 * (vid >> 5)) &
              (1u << (vid & 31)))) {
            return false;
        }
    }
    if (!memcmp(frame, broadcast, sizeof(broadcast))) {
        return rctl & (RCTL_BAM | RCTL_MPE);
    }
    if (frame[0] & 1) {
        return (rctl & RCTL_MPE) || multicast_hash_hit(s, frame);
    }
    return (rctl & RCTL_UPE) || exact_address_hit(s, frame);
}

/* Writes the frame into as many receive descriptors as it needs. */
static void e1000_fill_rx_descriptors(E1000State *s, const uint8_t *frame,
                                      size_t len, uint8_t status,
                                      uint16_t vlan)
{
    size_t buffer = rx_buffer_size(s);
    uint32_t size = rx_ring_size(s);
    hwaddr base = e1000_ring_base(s, E1000_RDBAL, E1000_RDBAH);
    uint32_t head = e1000_reg(s, E1000_RDH);
    size_t done = 0;

    while (done < len) {
        hwaddr desc = base + (hwaddr)head * E1000_DESC_SIZE;
        size_t chunk = MIN(buffer, len - done);
        uint64_t addr = 0;
        uint8_t wb[8];

        if (address_space_ld(&address_space_memory, desc, 8, &addr) ||
            address_space_write(&address_space_memory, addr, frame + done,
                                chunk)) {
            emu_log_mask(LOG_GUEST_ERROR, "e1000: receive descriptor %u at "
                         "0x%" PRIx64 " (buffer 0x%" PRIx64 ", %zu bytes) "
                         "is outside RAM: frame dropped\n", head,
                         (uint64_t)desc, (uint64_t)addr, chunk);
            e1000_count(s, E1000_MPC, 1);
            return;
        }
        done += chunk;
        wb[0] = chunk;
        wb[1] = chunk >> 8;
        wb[2] = wb[3] = 0;               /* packet checksum: not computed */
        wb[4] = status | RXD_STAT_DD | (done == len ? RXD_STAT_EOP : 0);
        wb[5] = 0;                       /* no errors */
        wb[6] = vlan;
        wb[7] = vlan >> 8;
        address_space_write(&address_space_memory, desc + 8, wb,
                            sizeof(wb));
        head = (head + 1) % size;
        e1000_set_reg(s, E1000_RDH, head);
    }
}

static size_t e1000_receive(NetClientState *nc, const uint8_t *buf,
                            size_t len)
{
    E1000State *s = nc->owner;
    uint32_t rctl = e1000_reg(s, E1000_RCTL);
    uint8_t status = RXD_STAT_IXSM;
    uint16_t vlan = 0;
    g_autofree uint8_t *frame = NULL;
    size_t frame_len, needed;
    uint32_t free_descs, threshold;

    if (!(rctl & RCTL_EN) || !e1000_accepts(s, buf, len)) {
        return len;                      /* dropped, as by the wire */
    }
    frame = g_malloc(MAX(len, ETH_MIN_FRAME) + ETH_FCS);
    if ((e1000_reg(s, E1000_CTRL) & CTRL_VME) &&
        is_vlan_tagged(s, buf, len)) {
        vlan = buf[14] << 8 | buf[15];
        status |= RXD_STAT_VP;
        memcpy(frame, buf, 12);
        memcpy(frame + 12, buf + 12 + VLAN_TAG, len - 12 - VLAN_TAG);
        frame_len = len - VLAN_TAG;
    } else {
        memcpy(frame, buf, len);
        frame_len = len;
    }
    /* What a wire delivers: padded to the minimum, then the FCS. */
    if (frame_len < ETH_MIN_FRAME) {
        memset(frame + frame_len, 0, ETH_MIN_FRAME - frame_len);
        frame_len = ETH_MIN_FRAME;
    }
    if (!(rctl & RCTL_SECRC)) {
        uint32_t fcs = crc32(0, frame, frame_len);

        for (int i = 0; i < ETH_FCS; i++) {
            frame[frame_len++] = fcs >> (8 * i);
        }
    }

    needed = DIV_ROUND_UP(frame_len, rx_buffer_size(s));
    free_descs = rx_descriptors_free(s);
    if (needed > free_descs) {
        if (needed < rx_ring_size(s)) {
            return 0;                    /* waits for the driver's RDT */
        }
        emu_log_mask(LOG_GUEST_ERROR, "e1000: a %zu-byte frame needs %zu "
                     "receive descriptors, the ring has %u: dropped\n",
                     frame_len, needed, rx_ring_size(s));
        e1000_count(s, E1000_MPC, 1);
        e1000_set_interrupt_cause(s, E1000_ICR_RXO);
        return len;
    }
    e1000_fill_rx_descriptors(s, frame, frame_len, status, vlan);

    e1000_count(s, E1000_TPR, 1);
    e1000_count(s, E1000_GPRC, 1);
    e1000_count(s, E1000_TORL, frame_len);
    e1000_count(s, E1000_GORCL, frame_len);
    if (buf[0] & 1) {
        e1000_count(s, buf[0] == 0xff && buf[1] == 0xff ? E1000_BPRC
                                                        : E1000_MPRC, 1);
    }
    /* Few descriptors left: RDMTS says how few (1/2, 1/4, 1/8). */
    threshold = rx_ring_size(s) >> (((rctl >> RCTL_RDMTS_SHIFT) & 3) + 1);
    e1000_set_interrupt_cause(s, E1000_ICR_RXT0 |
                              (rx_descriptors_free(s) <= threshold
                               ? E1000_ICR_RXDMT0 : 0));
    return len;
}

/* ---- the registers ---- */

static void e1000_reset_registers(E1000State *s)
{
    memset(s->regs, 0, sizeof(s->regs));
    e1000_set_reg(s, E1000_CTRL, CTRL_FD | CTRL_SLU | CTRL_SPD_1000);
    e1000_set_reg(s, E1000_EECD, EECD_FWE_DISABLED);
    e1000_set_reg(s, E1000_VET, 0x8100);
    e1000_set_reg(s, E1000_LEDCTL, 0x07068302);
    e1000_set_reg(s, E1000_PBA, 0x00000030);   /* 48 KiB for receive */
    e1000_set_reg(s, E1000_RXCSUM, 0x00000300);
    /* The EEPROM's address is loaded into the first exact filter. */
    e1000_set_reg(s, E1000_RA, ldn_le_p(s->props.mac.a, 4));
    e1000_set_reg(s, E1000_RA + 4, ldn_le_p(s->props.mac.a + 4, 2) | RAH_AV);
    s->microwire.reading = false;
    e1000_phy_reset(s);
    e1000_tx_reset(s);
    e1000_update_irq(s);
}

static uint32_t e1000_read_register(E1000State *s, unsigned offset)
{
    uint32_t value;

    switch (offset) {
    case E1000_CTRL:
    case E1000_EERD:
    case E1000_MDIC:
    case E1000_IMS:
    case E1000_RCTL:
    case E1000_TCTL:
    case E1000_RDH:
    case E1000_RDT:
    case E1000_TDH:
    case E1000_TDT:
        return e1000_reg(s, offset);
    case E1000_STATUS:
        return STATUS_FD | STATUS_LU | STATUS_SPEED_1000 | STATUS_ASDV_1000;
    case E1000_EECD:
        return e1000_eecd_read(s);
    case E1000_ICR:
        value = e1000_reg(s, E1000_ICR);
        e1000_set_reg(s, E1000_ICR, 0);
        e1000_update_irq(s);
        return value;
    case E1000_RXCW:
        return 0;                        /* copper: no fiber code words */
    }
    if (offset >= E1000_STATS_FIRST && offset <= E1000_STATS_LAST) {
        value = e1000_reg(s, offset);
        e1000_set_reg(s, offset, 0);
        return value;
    }
    if (is_plain_register(offset)) {
        return e1000_reg(s, offset);
    }
    emu_log_mask(LOG_UNIMP, "e1000: read of register 0x%05x\n", offset);
    return 0;
}

static void e1000_write_register(E1000State *s, unsigned offset,
                                 uint32_t value)
{
    switch (offset) {
    case E1000_CTRL:
        if (value & CTRL_RST) {
            e1000_reset_registers(s);
            return;
        }
        if (value & CTRL_PHY_RST) {
            e1000_phy_reset(s);
        }
        e1000_set_reg(s, E1000_CTRL, value & ~CTRL_PHY_RST);
        return;
    case E1000_STATUS:
    case E1000_RXCW:
        return;                          /* read-only */
    case E1000_EECD:
        e1000_eecd_write(s, value);
        return;
    case E1000_EERD:
        e1000_eerd_write(s, value);
        return;
    case E1000_MDIC:
        e1000_mdic_write(s, value);
        return;
    case E1000_ICR:                      /* write 1 to clear */
        e1000_set_reg(s, E1000_ICR, e1000_reg(s, E1000_ICR) & ~value);
        e1000_update_irq(s);
        return;
    case E1000_ICS:
        e1000_set_interrupt_cause(s, value);
        return;
    case E1000_IMS:
        e1000_set_reg(s, E1000_IMS, e1000_reg(s, E1000_IMS) | value);
        e1000_update_irq(s);
        return;
    case E1000_IMC:
        e1000_set_reg(s, E1000_IMS, e1000_reg(s, E1000_IMS) & ~value);
        e1000_update_irq(s);
        return;
    case E1000_RCTL:
    case E1000_RDT:
        e1000_set_reg(s, offset, offset == E1000_RDT ? value & 0xffff
                                                     : value);
        net_flush_queued_packets(s->nic);
        return;
    case E1000_RDH:
    case E1000_TDH:
        e1000_set_reg(s, offset, value & 0xffff);
        return;
    case E1000_TCTL:
    case E1000_TDT:
        e1000_set_reg(s, offset, offset == E1000_TDT ? value & 0xffff
                                                     : value);
        e1000_transmit(s);
        return;
    }
    if (offset >= E1000_STATS_FIRST && offset <= E1000_STATS_LAST) {
        return;                          /* read-only counters */
    }
    if (is_plain_register(offset)) {
        e1000_set_reg(s, offset, value);
        return;
    }
    emu_log_mask(LOG_UNIMP, "e1000: write of 0x%08x to register 0x%05x\n",
                 value, offset);
}

static uint64_t e1000_mmio_read(void *opaque, hwaddr addr, unsigned size)
{
    return e1000_read_register(opaque, addr);
}

static void e1000_mmio_write(void *opaque, hwaddr addr, uint64_t value,
                             unsigned size)
{
    e1000_write_register(opaque, addr, value);
}

/* Registers are 32 bits wide; narrower accesses read or write part of
 * one (the dispatcher combines them). */
static const MemoryRegionOps e1000_mmio_ops = {
    .read = e1000_mmio_read,
    .write = e1000_mmio_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

/* BAR1: IOADDR (offset 0) names a register, IODATA (offset 4) is it. */
#define E1000_IOADDR 0
#define E1000_IODATA 4

static uint64_t e1000_io_read(void *opaque, hwaddr addr, unsigned size)
{
    E1000State *s = opaque;

    switch (addr) {
    case E1000_IOADDR:
        return s->ioaddr;
    case E1000_IODATA:
        if (s->ioaddr < E1000_MMIO_SIZE) {
            return e1000_read_register(s, s->ioaddr);
        }
        break;
    }
    emu_log_mask(LOG_GUEST_ERROR, "e1000: I/O read at 0x%x (IOADDR "
                 "0x%x)\n", (unsigned)addr, s->ioaddr);
    return 0;
}

static void e1000_io_write(void *opaque, hwaddr addr, uint64_t value,
                           unsigned size)
{
    E1000State *s = opaque;

    switch (addr) {
    case E1000_IOADDR:
        s->ioaddr = value & ~3u;
        return;
    case E1000_IODATA:
        if (s->ioaddr < E1000_MMIO_SIZE) {
            e1000_write_register(s, s->ioaddr, value);
            return;
        }
        break;
    }
    emu_log_mask(LOG_GUEST_ERROR, "e1000: I/O write at 0x%x (IOADDR "
                 "0x%x)\n", (unsigned)addr, s->ioaddr);
}

static const MemoryRegionOps e1000_io_ops = {
    .read = e1000_io_read,
    .write = e1000_io_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 4 },
};

/* ---- the function ---- */

static const NetClientInfo e1000_net_info = {
    .type = "nic",
    .size = sizeof(NetClientState),
    .can_receive = e1000_can_receive,
    .receive = e1000_receive,
};

static void e1000_exit(PCIDevice *dev)
{
    E1000State *s = E1000(dev);

    if (s->nic) {
        net_client_free(s->nic);
        s->nic = NULL;
    }
    g_clear_pointer(&s->tx_packet, g_free);
    memory_region_destroy(&s->mmio);
    memory_region_destroy(&s->io);
}

static bool e1000_realize(PCIDevice *dev, Error **errp)
{
    E1000State *s = E1000(dev);

    s->nic = net_nic_new(&e1000_net_info, &s->props, TYPE_E1000,
                         DEVICE(dev)->id, s, errp);
    if (!s->nic) {
        return false;
    }
    memory_region_init_io(&s->mmio, OBJECT(dev), &e1000_mmio_ops, s,
                          "e1000-mmio", E1000_MMIO_SIZE);
    memory_region_init_io(&s->io, OBJECT(dev), &e1000_io_ops, s, "e1000-io",
                          E1000_IO_SIZE);
    if (!pci_add_option_rom(dev, s->romfile, "e1000.rom", errp)) {
        e1000_exit(dev);
        return false;
    }
    pci_register_bar(dev, 0, 0, &s->mmio);
    pci_register_bar(dev, 1, PCI_BASE_ADDRESS_SPACE_IO, &s->io);
    s->tx_packet = g_malloc(E1000_TX_MAX_PACKET);
    e1000_fill_eeprom(s);
    e1000_reset_registers(s);
    return true;
}

static void e1000_reset(PCIDevice *dev)
{
    e1000_reset_registers(E1000(dev));
}

static void e1000_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static const Property e1000_properties[] = {
    DEFINE_NIC_PROPERTIES(E1000State, props),
    /* QEMU's default is iPXE's efi-e1000.rom; as for virtio-net-pci,
     * emu loads it only when asked (docs/boards/pc.md). */
    DEFINE_PROP_STRING("romfile", E1000State, romfile,
                       "option ROM for BAR6 (iPXE: efi-e1000.rom)"),
};

static void e1000_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(klass);

    klass->desc = "Intel Gigabit Ethernet";
    dc->user_creatable = true;
    dc->category = DEVICE_CATEGORY_NETWORK;
    pc->realize = e1000_realize;
    pc->exit = e1000_exit;
    pc->reset = e1000_reset;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = E1000_DEVICE_ID;
    pc->revision = E1000_REVISION;
    pc->class_id = PCI_CLASS_NETWORK_ETHERNET;
    pc->interrupt_pin = 1;
    class_add_properties(klass, e1000_properties,
                         ARRAY_SIZE(e1000_properties));
}

static const TypeInfo e1000_types[] = {
    {
        .name = TYPE_E1000,
        .parent = TYPE_PCI_DEVICE,
        .instance_size = sizeof(E1000State),
        .class_init = e1000_class_init,
        .instance_finalize = e1000_finalize,
    },
};

DEFINE_TYPES(e1000_types)
