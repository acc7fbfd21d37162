/*
 * The 82540EM model's state and register map, shared by its register
 * file and receive side (e1000.c) and its transmit side (e1000-tx.c).
 * Offsets and bits are those of Intel's "PCI/PCI-X Family of Gigabit
 * Ethernet Controllers Software Developer's Manual" (8254x), chapter 13.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_NET_E1000_INTERNAL_H
#define HW_NET_E1000_INTERNAL_H

#include "hw/pci/pci.h"
#include "net/net.h"
#include "util/bswap.h"

#define E1000_MMIO_SIZE 0x20000          /* BAR0: 128 KiB of registers */
#define E1000_IO_SIZE 0x40               /* BAR1: IOADDR, IODATA */
#define E1000_EEPROM_WORDS 64            /* a 93C46: 6 address bits */

/* Registers (byte offsets in BAR0). */
#define E1000_CTRL 0x0000
#define E1000_STATUS 0x0008
#define E1000_EECD 0x0010
#define E1000_EERD 0x0014
#define E1000_CTRL_EXT 0x0018
#define E1000_MDIC 0x0020
#define E1000_FCAL 0x0028
#define E1000_FCAH 0x002c
#define E1000_FCT 0x0030
#define E1000_VET 0x0038
#define E1000_ICR 0x00c0
#define E1000_ITR 0x00c4
#define E1000_ICS 0x00c8
#define E1000_IMS 0x00d0
#define E1000_IMC 0x00d8
#define E1000_RCTL 0x0100
#define E1000_FCTTV 0x0170
#define E1000_TXCW 0x0178
#define E1000_RXCW 0x0180
#define E1000_TCTL 0x0400
#define E1000_TIPG 0x0410
#define E1000_AIT 0x0458
#define E1000_LEDCTL 0x0e00
#define E1000_PBA 0x1000
#define E1000_FCRTL 0x2160
#define E1000_FCRTH 0x2168
#define E1000_RDBAL 0x2800
#define E1000_RDBAH 0x2804
#define E1000_RDLEN 0x2808
#define E1000_RDH 0x2810
#define E1000_RDT 0x2818
#define E1000_RDTR 0x2820
#define E1000_RXDCTL 0x2828
#define E1000_RADV 0x282c
#define E1000_RSRPD 0x2c00
#define E1000_TXDMAC 0x3000
#define E1000_TDBAL 0x3800
#define E1000_TDBAH 0x3804
#define E1000_TDLEN 0x3808
#define E1000_TDH 0x3810
#define E1000_TDT 0x3818
#define E1000_TIDV 0x3820
#define E1000_TXDCTL 0x3828
#define E1000_TADV 0x382c
#define E1000_TSPMT 0x3830
#define E1000_STATS_FIRST 0x4000         /* statistics: clear on read */
#define E1000_STATS_LAST 0x40fc
#define E1000_RXCSUM 0x5000
#define E1000_MTA 0x5200                 /* 128 words: multicast hash */
#define E1000_MTA_WORDS 128
#define E1000_RA 0x5400                  /* 16 pairs RAL, RAH */
#define E1000_RA_ENTRIES 16
#define E1000_VFTA 0x5600                /* 128 words: VLAN filter */
#define E1000_WUC 0x5800
#define E1000_WUFC 0x5808
#define E1000_WUS 0x5810
#define E1000_MANC 0x5820

/* Statistics the model counts (the others stay 0). */
#define E1000_MPC 0x4010                 /* missed packets */
#define E1000_GPRC 0x4074
#define E1000_BPRC 0x4078
#define E1000_MPRC 0x407c
#define E1000_GPTC 0x4080
#define E1000_GORCL 0x4088
#define E1000_GOTCL 0x4090
#define E1000_TORL 0x40c0
#define E1000_TOTL 0x40c8
#define E1000_TPR 0x40d0
#define E1000_TPT 0x40d4
#define E1000_MPTC 0x40f0
#define E1000_BPTC 0x40f4
#define E1000_TSCTC 0x40f8

/* Interrupt causes (ICR, ICS, IMS, IMC). */
#define E1000_ICR_TXDW 0x00000001        /* a descriptor written back */
#define E1000_ICR_TXQE 0x00000002        /* transmit queue empty */
#define E1000_ICR_LSC 0x00000004         /* link status change */
#define E1000_ICR_RXDMT0 0x00000010      /* receive descriptors low */
#define E1000_ICR_RXO 0x00000040         /* receiver overrun */
#define E1000_ICR_RXT0 0x00000080        /* receiver timer: a frame in */
#define E1000_ICR_MDAC 0x00000200        /* MDI/O access complete */

#define E1000_TCTL_EN 0x00000002

/* The legacy and extended transmit descriptors' command bits, as they
 * sit in the descriptor's second quadword (cmd is its byte 3). */
#define E1000_TXD_CMD_EOP 0x01000000     /* end of packet */
#define E1000_TXD_CMD_IC 0x04000000      /* legacy: insert checksum */
#define E1000_TXD_CMD_TSE 0x04000000     /* extended: TCP segmentation */
#define E1000_TXD_CMD_RS 0x08000000      /* report status */
#define E1000_TXD_CMD_DEXT 0x20000000    /* extended descriptor */
#define E1000_TXD_CMD_VLE 0x40000000     /* insert the VLAN tag */
#define E1000_TXD_DTYP_MASK 0x00f00000
#define E1000_TXD_DTYP_C 0x00000000      /* context */
#define E1000_TXD_DTYP_D 0x00100000      /* data */
#define E1000_TXD_STAT_DD 0x01           /* descriptor done */

/* The offload context (last context descriptor). */
typedef struct E1000TxContext {
    uint8_t ipcss, ipcso;                /* IP checksum start, offset */
    uint16_t ipcse;                      /* ... end (inclusive, 0: end) */
    uint8_t tucss, tucso;                /* TCP/UDP checksum */
    uint16_t tucse;
    uint32_t paylen;                     /* TSO: the payload's length */
    uint8_t tucmd;                       /* TCP (else UDP), IP (else v6) */
    uint8_t hdr_len;                     /* TSO: headers copied per frame */
    uint16_t mss;                        /* TSO: payload per frame */
} E1000TxContext;

/* The largest packet the transmit side gathers from descriptors: a TSO
 * payload of 64 KiB and its headers (Linux's largest), or a jumbo frame.
 * More is the guest's error: the packet is dropped. */
#define E1000_TX_MAX_PACKET (0x10000 + 256)

typedef struct E1000State {
    PCIDevice parent_obj;
    MemoryRegion mmio;                   /* BAR0 */
    MemoryRegion io;                     /* BAR1 */
    NICProperties props;                 /* netdev, mac; the MAC */
    char *romfile;                       /* "romfile" property */
    NetClientState *nic;

    uint32_t regs[E1000_MMIO_SIZE / 4];
    uint32_t ioaddr;                     /* IOADDR of BAR1 */
    uint16_t eeprom[E1000_EEPROM_WORDS];
    uint16_t phy[32];

    /* The EEPROM's Microwire interface, bit-banged through EECD. */
    struct {
        uint32_t in;                     /* bits shifted in since CS */
        unsigned bits_in;
        bool reading;                    /* a READ is clocking data out */
        int out_bit;                     /* the data bit on DO */
    } microwire;

    /* Transmit: the packet being gathered from data descriptors. */
    E1000TxContext ctx;
    uint8_t *tx_packet;                  /* E1000_TX_MAX_PACKET bytes */
    size_t tx_len;
    bool tx_drop;                        /* too large, or unreadable */
    bool tx_started;                     /* a descriptor of it was seen */
    uint32_t tx_first_cmd;               /* its first descriptor's cmd */
    uint8_t tx_popts;                    /* its first descriptor's POPTS */
    uint8_t tx_legacy_css, tx_legacy_cso;
    uint16_t tx_vlan;                    /* its VLAN tag (VLE) */
} E1000State;

#define TYPE_E1000 "e1000"
#define E1000(obj) INSTANCE_CAST(E1000State, (obj), TYPE_E1000)

static inline uint32_t e1000_reg(E1000State *s, unsigned offset)
{
    return s->regs[offset >> 2];
}

static inline void e1000_set_reg(E1000State *s, unsigned offset,
                                 uint32_t value)
{
    s->regs[offset >> 2] = value;
}

/* The descriptor rings: 16-byte descriptors from the 16-byte aligned
 * address in a BAL, BAH pair, as many as fit the LEN register's bytes. */
#define E1000_DESC_SIZE 16

static inline hwaddr e1000_ring_base(E1000State *s, unsigned bal,
                                     unsigned bah)
{
    return ((uint64_t)e1000_reg(s, bah) << 32 | e1000_reg(s, bal)) & ~0xfULL;
}

static inline uint32_t e1000_ring_size(E1000State *s, unsigned len)
{
    return (e1000_reg(s, len) & 0xfff80) / E1000_DESC_SIZE;
}

/* Raises the interrupt causes in ICR (the line follows ICR & IMS). */
void e1000_set_interrupt_cause(E1000State *s, uint32_t causes);
/* Adds to a statistics counter (a 64-bit pair for the octet counts). */
void e1000_count(E1000State *s, unsigned offset, uint64_t n);

/* e1000-tx.c: the guest moved TDT or enabled the transmitter. */
void e1000_transmit(E1000State *s);
/* Drops a half-gathered packet and the offload context (reset). */
void e1000_tx_reset(E1000State *s);

#endif
