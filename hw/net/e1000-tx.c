/*
 * The 82540EM's transmit side: the descriptor ring from TDH to TDT, the
 * packet gathered from data descriptors up to EOP, and the offloads a
 * driver asks for (Linux's e1000 uses all three):
 *
 * - a legacy descriptor's IC: a checksum from CSS to the end stored at
 *   CSO;
 * - an extended data descriptor's POPTS with the last context
 *   descriptor: IXSM (the IPv4 header checksum) and TXSM (the TCP or
 *   UDP checksum, whose field holds the pseudo-header sum);
 * - TSE: TCP segmentation, the payload after HDRLEN cut into MSS-sized
 *   frames, each with the headers copied and fixed up (IP length and
 *   ID, TCP sequence number, PSH and FIN on the last frame only) and
 *   its checksums computed.
 *
 * The walk goes from TDH to TDT once per doorbell and stops at a
 * descriptor outside RAM (logged); a packet with a buffer outside RAM or
 * larger than E1000_TX_MAX_PACKET is dropped, checksum offsets outside
 * a packet are ignored (logged), and its descriptors complete.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "e1000-internal.h"

#define POPTS_IXSM 0x01                  /* insert the IP checksum */
#define POPTS_TXSM 0x02                  /* insert the TCP/UDP checksum */
#define TUCMD_TCP 0x01                   /* else UDP */
#define TUCMD_IP 0x02                    /* IPv4, else IPv6 */
#define TCP_FIN 0x01
#define TCP_PSH 0x08
#define ETH_ADDRESSES 12                 /* where a VLAN tag goes */
#define IPV6_HEADER 40

typedef struct TxDescriptor {
    uint64_t addr;                       /* data: the buffer */
    uint32_t lower;                      /* length, type, command */
    uint32_t upper;                      /* status, options, special */
} TxDescriptor;

/* The Internet checksum's one's-complement sum, folded to 16 bits. */
static uint16_t ones_complement_sum(uint32_t sum, const uint8_t *p,
                                    size_t len)
{
    for (size_t i = 0; i + 1 < len; i += 2) {
        sum += ldn_be_p(p + i, 2);
    }
    if (len & 1) {
        sum += p[len - 1] << 8;
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum;
}

/* The checksum of packet[start..end] (end inclusive; 0: the packet's
 * end) stored at offset, over what the field holds already (a seed:
 * the pseudo-header sum, or 0). */
static void insert_checksum(uint8_t *packet, size_t len, unsigned start,
                            unsigned offset, unsigned end, const char *what)
{
    size_t stop = end ? MIN((size_t)end + 1, len) : len;

    if (start >= stop || offset + 2 > len) {
        emu_log_mask(LOG_GUEST_ERROR, "e1000: %s checksum from %u to %u "
                     "at %u, in a %zu-byte packet: not inserted\n", what,
                     start, end, offset, len);
        return;
    }
    stn_be_p(packet + offset, 2,
             ~ones_complement_sum(0, packet + start, stop - start));
}

/* A frame to the wire, its VLAN tag inserted when the packet asked. */
static void e1000_send_frame(E1000State *s, const uint8_t *frame, size_t len)
{
    g_autofree uint8_t *tagged = NULL;

    if (len < ETH_ADDRESSES) {
        emu_log_mask(LOG_GUEST_ERROR, "e1000: a %zu-byte frame: dropped\n",
                     len);
        return;
    }
    if (s->tx_first_cmd & E1000_TXD_CMD_VLE) {
        tagged = g_malloc(len + 4);
        memcpy(tagged, frame, ETH_ADDRESSES);
        stn_be_p(tagged + ETH_ADDRESSES, 2, e1000_reg(s, E1000_VET));
        stn_be_p(tagged + ETH_ADDRESSES + 2, 2, s->tx_vlan);
        memcpy(tagged + ETH_ADDRESSES + 4, frame + ETH_ADDRESSES,
               len - ETH_ADDRESSES);
        frame = tagged;
        len += 4;
    }
    net_send_packet(s->nic, frame, len);
    e1000_count(s, E1000_TPT, 1);
    e1000_count(s, E1000_GPTC, 1);
    e1000_count(s, E1000_TOTL, len);
    e1000_count(s, E1000_GOTCL, len);
    if (frame[0] & 1) {
        e1000_count(s, frame[0] == 0xff && frame[1] == 0xff ? E1000_BPTC
                                                            : E1000_MPTC, 1);
    }
}

/* The context's checksums into one frame (TXSM, IXSM). */
static void e1000_offload_checksums(E1000State *s, uint8_t *frame,
                                    size_t len)
{
    const E1000TxContext *c = &s->ctx;

    if (s->tx_popts & POPTS_IXSM) {
        if (c->ipcso + 2u <= len) {
            stn_be_p(frame + c->ipcso, 2, 0);
        }
        insert_checksum(frame, len, c->ipcss, c->ipcso, c->ipcse, "IP");
    }
    if (s->tx_popts & POPTS_TXSM) {
        insert_checksum(frame, len, c->tucss, c->tucso, c->tucse,
                        "TCP/UDP");
    }
}

/* TSE: one frame per MSS of payload after the headers. */
static void e1000_segment(E1000State *s)
{
    const E1000TxContext *c = &s->ctx;
    const uint8_t *packet = s->tx_packet;
    size_t hdr = c->hdr_len, payload = s->tx_len - MIN(s->tx_len, hdr);
    g_autofree uint8_t *frame = g_malloc(hdr + c->mss);
    uint16_t ip_id;
    uint32_t seq;

    if (!c->mss || !payload || c->ipcss + 6u > hdr ||
        c->tucss + ((c->tucmd & TUCMD_TCP) ? 14u : 6u) > hdr ||
        c->tucso + 2u > hdr) {
        emu_log_mask(LOG_GUEST_ERROR, "e1000: TCP segmentation of %zu "
                     "bytes with %zu of headers, MSS %u, IP at %u, TCP/UDP "
                     "at %u: dropped\n", s->tx_len, hdr, c->mss, c->ipcss,
                     c->tucss);
        return;
    }
    ip_id = ldn_be_p(packet + c->ipcss + 4, 2);
    seq = ldn_be_p(packet + c->tucss + 4, 4);
    e1000_count(s, E1000_TSCTC, 1);
    for (size_t done = 0, n = 0; done < payload; done += c->mss, n++) {
        size_t chunk = MIN((size_t)c->mss, payload - done);
        size_t len = hdr + chunk;
        bool last = done + chunk == payload;
        uint16_t seed;

        memcpy(frame, packet, hdr);
        memcpy(frame + hdr, packet + hdr + done, chunk);
        if (c->tucmd & TUCMD_IP) {
            stn_be_p(frame + c->ipcss + 2, 2, len - c->ipcss);
            stn_be_p(frame + c->ipcss + 4, 2, ip_id + n);
        } else {
            stn_be_p(frame + c->ipcss + 4, 2,
                     len - c->ipcss - IPV6_HEADER);
        }
        if (c->tucmd & TUCMD_TCP) {
            stn_be_p(frame + c->tucss + 4, 4, seq + done);
            if (!last) {
                frame[c->tucss + 13] &= ~(TCP_FIN | TCP_PSH);
            }
        } else {
            stn_be_p(frame + c->tucss + 4, 2, len - c->tucss);
        }
        /* The driver's pseudo-header sum leaves the length out: each
         * frame's goes in. */
        seed = ones_complement_sum(ldn_be_p(frame + c->tucso, 2), NULL, 0);
        stn_be_p(frame + c->tucso, 2,
                 ones_complement_sum(seed + (len - c->tucss), NULL, 0));
        e1000_offload_checksums(s, frame, len);
        e1000_send_frame(s, frame, len);
    }
}

/* EOP: the gathered packet goes out as the descriptors asked. */
static void e1000_send_packet(E1000State *s)
{
    if (s->tx_first_cmd & E1000_TXD_CMD_DEXT) {
        if (s->tx_first_cmd & E1000_TXD_CMD_TSE) {
            e1000_segment(s);
        } else {
            e1000_offload_checksums(s, s->tx_packet, s->tx_len);
            e1000_send_frame(s, s->tx_packet, s->tx_len);
        }
    } else {
        if (s->tx_first_cmd & E1000_TXD_CMD_IC) {
            insert_checksum(s->tx_packet, s->tx_len, s->tx_legacy_css,
                            s->tx_legacy_cso, 0, "legacy");
        }
        e1000_send_frame(s, s->tx_packet, s->tx_len);
    }
}

static void e1000_load_context(E1000State *s, const TxDescriptor *d)
{
    E1000TxContext *c = &s->ctx;

    c->ipcss = d->addr;
    c->ipcso = d->addr >> 8;
    c->ipcse = d->addr >> 16;
    c->tucss = d->addr >> 32;
    c->tucso = d->addr >> 40;
    c->tucse = d->addr >> 48;
    c->paylen = d->lower & 0xfffff;
    c->tucmd = d->lower >> 24;
    c->hdr_len = d->upper >> 8;
    c->mss = d->upper >> 16;
}

/* A data descriptor (legacy or extended): its buffer joins the packet;
 * the first descriptor of a packet says what to do with it.  A packet
 * too large or with a buffer outside RAM is dropped at its EOP. */
static void e1000_gather(E1000State *s, const TxDescriptor *d)
{
    bool extended = d->lower & E1000_TXD_CMD_DEXT;
    size_t len = extended ? d->lower & 0xfffff : d->lower & 0xffff;

    if (!s->tx_started) {
        s->tx_started = true;
        s->tx_first_cmd = d->lower;
        s->tx_popts = extended ? d->upper >> 8 : 0;
        s->tx_legacy_cso = d->lower >> 16;
        s->tx_legacy_css = d->upper >> 8;
        s->tx_vlan = d->upper >> 16;
    }
    if (s->tx_drop) {
        /* already logged */
    } else if (len > E1000_TX_MAX_PACKET - s->tx_len) {
        emu_log_mask(LOG_GUEST_ERROR, "e1000: a packet of more than %d "
                     "bytes: dropped\n", E1000_TX_MAX_PACKET);
        s->tx_drop = true;
    } else if (address_space_read(&address_space_memory, d->addr,
                                  s->tx_packet + s->tx_len, len)) {
        emu_log_mask(LOG_GUEST_ERROR, "e1000: transmit buffer at 0x%"
                     PRIx64 " (%zu bytes) is outside RAM: packet "
                     "dropped\n", d->addr, len);
        s->tx_drop = true;
    } else {
        s->tx_len += len;
    }
    if (d->lower & E1000_TXD_CMD_EOP) {
        if (!s->tx_drop) {
            e1000_send_packet(s);
        }
        s->tx_len = 0;
        s->tx_drop = false;
        s->tx_started = false;
    }
}

void e1000_transmit(E1000State *s)
{
    uint32_t size = e1000_ring_size(s, E1000_TDLEN);
    uint32_t head = e1000_reg(s, E1000_TDH), tail = e1000_reg(s, E1000_TDT);
    hwaddr base = e1000_ring_base(s, E1000_TDBAL, E1000_TDBAH);
    uint32_t causes = 0;

    if (!(e1000_reg(s, E1000_TCTL) & E1000_TCTL_EN) || head == tail) {
        return;
    }
    if (head >= size || tail >= size) {
        emu_log_mask(LOG_GUEST_ERROR, "e1000: transmit ring of %u "
                     "descriptors with head %u, tail %u: stopped\n", size,
                     head, tail);
        return;
    }
    while (head != tail) {
        hwaddr at = base + (hwaddr)head * E1000_DESC_SIZE;
        uint8_t raw[E1000_DESC_SIZE];
        TxDescriptor d;

        if (address_space_read(&address_space_memory, at, raw,
                               sizeof(raw))) {
            emu_log_mask(LOG_GUEST_ERROR, "e1000: transmit descriptor %u "
                         "at 0x%" PRIx64 " is outside RAM: stopped\n", head,
                         (uint64_t)at);
            break;
        }
        d.addr = (uint64_t)pci_get_long(raw + 4) << 32 | pci_get_long(raw);
        d.lower = pci_get_long(raw + 8);
        d.upper = pci_get_long(raw + 12);
        if ((d.lower & E1000_TXD_CMD_DEXT) &&
            (d.lower & E1000_TXD_DTYP_MASK) == E1000_TXD_DTYP_C) {
            e1000_load_context(s, &d);
        } else if (!(d.lower & E1000_TXD_CMD_DEXT) ||
                   (d.lower & E1000_TXD_DTYP_MASK) == E1000_TXD_DTYP_D) {
            e1000_gather(s, &d);
        } else {
            emu_log_mask(LOG_GUEST_ERROR, "e1000: transmit descriptor %u "
                         "of type %u: skipped\n", head,
                         (d.lower & E1000_TXD_DTYP_MASK) >> 20);
        }
        if (d.lower & E1000_TXD_CMD_RS) {
            uint8_t status = (d.upper & 0xff) | E1000_TXD_STAT_DD;

            address_space_write(&address_space_memory, at + 12, &status, 1);
            causes |= E1000_ICR_TXDW;
        }
        head = (head + 1) % size;
        e1000_set_reg(s, E1000_TDH, head);
    }
    e1000_set_interrupt_cause(s, causes | (head == tail ? E1000_ICR_TXQE
                                                        : 0));
}

void e1000_tx_reset(E1000State *s)
{
    memset(&s->ctx, 0, sizeof(s->ctx));
    s->tx_len = 0;
    s->tx_drop = false;
    s->tx_started = false;
}
