/*
 * ATAPI CD-ROM: the PACKET protocol of ATA/ATAPI-6 and the MMC commands
 * that SeaBIOS, ISOLINUX and Linux's sr driver send (see
 * include/hw/ide/ide.h).  Responses are staged in the drive's buffer;
 * READ(10)/READ(12) stream 2048-byte sectors from the BlockBackend.
 * Identification strings are QEMU's ("QEMU DVD-ROM") or the ide-cd
 * device's model and ver.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/ide/ide.h"

/* Interrupt reason, in the sector count register. */
#define ATAPI_INT_REASON_CD 0x01         /* command (1) or data (0) */
#define ATAPI_INT_REASON_IO 0x02         /* to the host */

#define SENSE_NONE            0x00
#define SENSE_NOT_READY       0x02
#define SENSE_ILLEGAL_REQUEST 0x05
#define SENSE_UNIT_ATTENTION  0x06

#define ASC_INVALID_COMMAND   0x20
#define ASC_LBA_OUT_OF_RANGE  0x21
#define ASC_INVALID_FIELD     0x24
#define ASC_MEDIUM_CHANGED    0x28
#define ASC_NO_MEDIUM         0x3a
#define ASC_REMOVAL_PREVENTED 0x53

static uint32_t be16(const uint8_t *p)
{
    return p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* INQUIRY's fixed-width fields: the text, then spaces. */
static void atapi_put_string(uint8_t *p, const char *text, size_t len)
{
    size_t n = MIN(strlen(text), len);

    memcpy(p, text, n);
    memset(p + n, ' ', len - n);
}

static void put_be16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    put_be16(p, v >> 16);
    put_be16(p + 2, v);
}

static uint32_t atapi_nb_sectors(IDEState *s)
{
    return s->nb_sectors / (ATAPI_SECTOR_SIZE / IDE_SECTOR_SIZE);
}

void ide_atapi_identify(IDEState *s)
{
    uint16_t *w = s->identify;

    memset(w, 0, sizeof(s->identify));
    /* ATAPI, CD-ROM, removable, DRQ within 50 us, 12-byte packets */
    w[0] = (2 << 14) | (5 << 8) | (1 << 7) | (2 << 5);
    ide_put_string(w + 10, s->serial, 20);
    ide_put_string(w + 23, s->version, 8);
    ide_put_string(w + 27, s->model, 40);
    w[48] = 1;
    w[49] = (1 << 9) | (1 << 8);         /* LBA, DMA */
    w[53] = 7;
    w[62] = 7;
    w[63] = 7;
    w[64] = 3;
    w[65] = 0xb4;
    w[66] = 0xb4;
    w[67] = 0x12c;
    w[68] = 0xb4;
    w[71] = 30;
    w[72] = 30;
    w[80] = 0x1e;                        /* ATAPI-1 to ATAPI-4 */
    w[88] = 0x3f | (1 << 13);
}

/* ---- ending a command ---- */

static void atapi_cmd_ok(IDEState *s)
{
    ide_transfer_stop(s);
    s->error = 0;
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
    s->nsector = ATAPI_INT_REASON_IO | ATAPI_INT_REASON_CD;
    s->sense_key = SENSE_NONE;
    s->asc = 0;
    ide_set_irq(s->bus);
}

static void atapi_cmd_error(IDEState *s, uint8_t sense_key, uint8_t asc)
{
    ide_transfer_stop(s);
    s->dma_pending = false;
    s->nsector_left = 0;
    s->atapi_left = 0;
    s->error = sense_key << 4;
    s->status = IDE_STAT_DRDY | IDE_STAT_ERR;
    s->nsector = ATAPI_INT_REASON_IO | ATAPI_INT_REASON_CD;
    s->sense_key = sense_key;
    s->asc = asc;
    ide_set_irq(s->bus);
}

/* ---- data to the host ---- */

/*
 * The next piece of the response, in the buffer from offset 0: sectors
 * of a READ (nsector_left) or what is left of a staged reply
 * (atapi_left bytes at the start of the buffer).  Returns its size, 0 at
 * the end, -1 after an error was reported.
 */
static int atapi_next_piece(IDEState *s, uint32_t limit)
{
    uint32_t len;

    if (s->nsector_left) {
        uint32_t n = MIN(s->nsector_left,
                         MAX(limit / ATAPI_SECTOR_SIZE, 1));

        n = MIN(n, IDE_BUFFER_SIZE / ATAPI_SECTOR_SIZE);
        len = n * ATAPI_SECTOR_SIZE;
        if (blk_pread(s->blk, s->sector_num * ATAPI_SECTOR_SIZE, len,
                      s->buffer) < 0) {
            emu_log_mask(LOG_GUEST_ERROR, "ide: %s\n", blk_last_error(s->blk));
            atapi_cmd_error(s, 0x03, 0x11);      /* medium error */
            return -1;
        }
        s->sector_num += n;
        s->nsector_left -= n;
        return len;
    }
    return MIN(s->atapi_left, limit);
}

static void atapi_pio_next(IDEState *s);

static void atapi_pio_send(IDEState *s)
{
    /* The byte count limit: even, and 0 means the largest. */
    uint32_t limit = s->atapi_byte_limit & ~1u;
    int len;

    if (!limit || limit > 0xfffe) {
        limit = 0xfffe;
    }
    len = atapi_next_piece(s, limit);
    if (len < 0) {
        return;
    }
    if (len == 0) {
        atapi_cmd_ok(s);
        return;
    }
    s->lcyl = len;
    s->hcyl = len >> 8;
    s->nsector = ATAPI_INT_REASON_IO;
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
    ide_transfer_start(s, len, atapi_pio_next);
    ide_set_irq(s->bus);
}

/* The guest has read a piece: drop it from a staged reply, send on. */
static void atapi_pio_next(IDEState *s)
{
    if (!s->nsector_left && s->atapi_left) {
        uint32_t sent = s->data_end;

        s->atapi_left -= sent;
        memmove(s->buffer, s->buffer + sent, s->atapi_left);
    }
    atapi_pio_send(s);
}

void ide_atapi_dma(IDEState *s)
{
    const IDEDMAOps *ops = s->bus->dma_ops;
    int len;

    s->dma_pending = false;
    while ((len = atapi_next_piece(s, IDE_BUFFER_SIZE)) > 0) {
        if (ops->transfer(s->bus->dma_opaque, s->buffer, len, true) <
            (uint32_t)len) {
            ops->done(s->bus->dma_opaque, true);
            atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
            return;
        }
        if (!s->nsector_left) {
            s->atapi_left = 0;
        }
    }
    ops->done(s->bus->dma_opaque, len < 0);
    if (len == 0) {
        atapi_cmd_ok(s);
    }
}

/* Sends the reply staged in the buffer (size bytes, cut to what the
 * command's allocation length allows), or the sectors set up in
 * sector_num/nsector_left when size is 0. */
static void atapi_reply(IDEState *s, uint32_t size, uint32_t alloc)
{
    s->atapi_left = MIN(size, alloc);
    if (!s->atapi_left && !s->nsector_left) {
        atapi_cmd_ok(s);
        return;
    }
    if (s->atapi_dma && s->bus->dma_ops) {
        s->dma_pending = true;
        s->dma_to_memory = true;
        s->status = IDE_STAT_DRDY | IDE_STAT_DSC | IDE_STAT_DRQ;
        if (s->bus->dma_ops->active(s->bus->dma_opaque)) {
            ide_dma_start(s->bus);
        }
        return;
    }
    atapi_pio_send(s);
}

/* ---- the tray ---- */

/* GET EVENT STATUS NOTIFICATION's media status byte. */
#define MEDIA_STATUS_TRAY_OPEN 0x01
#define MEDIA_STATUS_PRESENT   0x02
/* ... and its media event codes. */
#define MEDIA_EVENT_NONE          0x00
#define MEDIA_EVENT_EJECT_REQUEST 0x01
#define MEDIA_EVENT_NEW_MEDIA     0x02

static bool atapi_medium_present(IDEState *s)
{
    return !s->tray_open && blk_is_inserted(s->blk) && s->nb_sectors;
}

static void ide_cd_change_media(void *opaque, bool load)
{
    IDEState *s = opaque;

    s->tray_open = !load;
    s->nb_sectors = blk_getlength(s->blk) / IDE_SECTOR_SIZE;
    s->cdrom_changed = 1;
    s->event_new_media = true;
    s->event_eject_request = false;
    /* As QEMU: an interrupt, so that a driver waiting for one looks. */
    ide_set_irq(s->bus);
}

static void ide_cd_eject_request(void *opaque, bool force)
{
    IDEState *s = opaque;

    s->event_eject_request = true;
    if (force) {
        s->tray_locked = false;
    }
    ide_set_irq(s->bus);
}

static bool ide_cd_is_tray_open(void *opaque)
{
    return ((IDEState *)opaque)->tray_open;
}

static bool ide_cd_is_medium_locked(void *opaque)
{
    return ((IDEState *)opaque)->tray_locked;
}

const BlockDevOps ide_cd_block_ops = {
    .change_media = ide_cd_change_media,
    .eject_request = ide_cd_eject_request,
    .is_tray_open = ide_cd_is_tray_open,
    .is_medium_locked = ide_cd_is_medium_locked,
};

/* ---- commands ---- */

/* Which commands run while a UNIT ATTENTION is pending (MMC-5 4.1.6.1),
 * and which need a disc (4.1.8), as QEMU's table has them. */
#define ATAPI_ALLOW_UA    0x01
#define ATAPI_CHECK_READY 0x02

static int atapi_command_flags(uint8_t op)
{
    switch (op) {
    case 0x03:                           /* REQUEST SENSE */
    case 0x12:                           /* INQUIRY */
    case 0x46:                           /* GET CONFIGURATION */
    case 0x4a:                           /* GET EVENT STATUS NOTIFICATION */
        return ATAPI_ALLOW_UA;
    case 0x00:                           /* TEST UNIT READY */
    case 0x25:                           /* READ CAPACITY */
    case 0x28:                           /* READ(10) */
    case 0x2b:                           /* SEEK(10) */
    case 0x43:                           /* READ TOC */
    case 0xa8:                           /* READ(12) */
        return ATAPI_CHECK_READY;
    default:
        return 0;
    }
}

/*
 * What the drive says before it runs a command: a pending UNIT
 * ATTENTION again, a changed disc (first gone, then changed), no disc.
 * False when it answered the command with that.
 */
static bool atapi_may_run(IDEState *s, uint8_t op)
{
    int flags = atapi_command_flags(op);

    if (s->sense_key == SENSE_UNIT_ATTENTION && !(flags & ATAPI_ALLOW_UA)) {
        atapi_cmd_error(s, s->sense_key, s->asc);
        return false;
    }
    if (!(flags & ATAPI_ALLOW_UA) && s->cdrom_changed && !s->tray_open &&
        blk_is_inserted(s->blk)) {
        if (s->cdrom_changed == 1) {
            atapi_cmd_error(s, SENSE_NOT_READY, ASC_NO_MEDIUM);
            s->cdrom_changed = 2;
        } else {
            atapi_cmd_error(s, SENSE_UNIT_ATTENTION, ASC_MEDIUM_CHANGED);
            s->cdrom_changed = 0;
        }
        return false;
    }
    if ((flags & ATAPI_CHECK_READY) && !atapi_medium_present(s)) {
        atapi_cmd_error(s, SENSE_NOT_READY, ASC_NO_MEDIUM);
        return false;
    }
    return true;
}

/* START STOP UNIT with LoEj: the guest opens or closes the tray. */
static void atapi_start_stop_unit(IDEState *s, const uint8_t *cmd)
{
    bool start = cmd[4] & 0x01;
    bool load_eject = cmd[4] & 0x02;

    /* A power condition other than 0 does not move the tray. */
    if (load_eject && !(cmd[4] & 0xf0)) {
        if (!start && !s->tray_open && s->tray_locked) {
            atapi_cmd_error(s, blk_is_inserted(s->blk) ? SENSE_NOT_READY
                                                       : SENSE_ILLEGAL_REQUEST,
                            ASC_REMOVAL_PREVENTED);
            return;
        }
        if (s->tray_open != !start) {
            s->tray_open = !start;
            blk_tray_moved(s->blk, s->tray_open);
        }
    }
    atapi_cmd_ok(s);
}

/* GET EVENT STATUS NOTIFICATION, polled: the media class only. */
static uint32_t atapi_event_status(IDEState *s, const uint8_t *cmd,
                                   uint8_t *buf)
{
    uint8_t status = s->tray_open ? MEDIA_STATUS_TRAY_OPEN
                   : blk_is_inserted(s->blk) ? MEDIA_STATUS_PRESENT : 0;
    uint8_t event = MEDIA_EVENT_NONE;

    memset(buf, 0, 8);
    buf[3] = 0x10;                       /* classes supported: media */
    if (!(cmd[4] & 0x10)) {              /* not asked for: none to give */
        buf[2] = 0x80;
        return 4;
    }
    if (status != MEDIA_STATUS_TRAY_OPEN) {
        if (s->event_new_media) {
            event = MEDIA_EVENT_NEW_MEDIA;
            s->event_new_media = false;
        } else if (s->event_eject_request) {
            event = MEDIA_EVENT_EJECT_REQUEST;
            s->event_eject_request = false;
        }
    }
    put_be16(buf, 6);
    buf[2] = 0x04;                       /* media class */
    buf[4] = event;
    buf[5] = status;
    return 8;
}

static void atapi_read(IDEState *s, uint32_t lba, uint32_t count)
{
    if ((uint64_t)lba + count > atapi_nb_sectors(s)) {
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE);
        return;
    }
    s->sector_num = lba;
    s->nsector_left = count;
    atapi_reply(s, 0, 0);
}

/* READ TOC, formats 0 (tracks) and 1 (sessions): one data track. */
static uint32_t atapi_read_toc(IDEState *s, const uint8_t *cmd, uint8_t *buf)
{
    int format = cmd[2] & 0x0f;
    bool msf = cmd[1] & 0x02;
    uint32_t lead_out = atapi_nb_sectors(s);

    if (format == 0) {
        memset(buf, 0, 20);
        buf[2] = 1;                      /* first track */
        buf[3] = 1;                      /* last track */
        buf[5] = 0x14;                   /* data track, copy permitted */
        buf[6] = 1;
        buf[13] = 0x14;
        buf[14] = 0xaa;                  /* lead-out */
        if (msf) {
            uint32_t f = lead_out + 150;

            buf[8 + 1] = 0;
            buf[8 + 2] = 2;              /* 00:02:00, LBA 0 */
            buf[16 + 1] = f / (75 * 60);
            buf[16 + 2] = f / 75 % 60;
            buf[16 + 3] = f % 75;
        } else {
            put_be32(buf + 16, lead_out);
        }
        put_be16(buf, 18);
        return 20;
    }
    if (format == 1) {
        memset(buf, 0, 12);
        put_be16(buf, 10);
        buf[2] = 1;
        buf[3] = 1;
        buf[5] = 0x14;
        buf[6] = 1;
        return 12;
    }
    return 0;
}

static uint32_t atapi_mode_sense(IDEState *s, const uint8_t *cmd,
                                 uint8_t *buf)
{
    int page = cmd[2] & 0x3f;
    uint32_t len = 8;

    memset(buf, 0, 8 + 30 + 12);
    buf[2] = 0x70;                       /* medium type: none given */
    if (page == 0x01 || page == 0x3f) {  /* read error recovery */
        buf[len] = 0x01;
        buf[len + 1] = 0x06;
        buf[len + 3] = 5;                /* retries */
        len += 8;
    }
    if (page == 0x2a || page == 0x3f) {  /* capabilities */
        uint8_t *p = buf + len;

        p[0] = 0x2a;
        p[1] = 0x12;
        p[2] = 0x00;                     /* reads CD-R/RW: no */
        p[4] = 0x71;                     /* audio play, multisession */
        p[5] = 0x03;                     /* CD-DA */
        p[6] = 0x29 | (s->tray_locked ? 0x02 : 0);  /* lock, eject, tray */
        p[7] = 0x03;
        put_be16(p + 8, 706);            /* max speed, kB/s */
        put_be16(p + 10, 2);             /* volume levels */
        put_be16(p + 12, 512);           /* buffer, KiB */
        put_be16(p + 14, 706);
        len += 20;
    }
    if (len == 8) {
        return 0;
    }
    put_be16(buf, len - 2);
    return len;
}

void ide_atapi_packet(IDEState *s)
{
    uint8_t cmd[12];
    uint8_t *buf = s->buffer;

    memcpy(cmd, s->buffer, sizeof(cmd));
    s->nsector_left = 0;
    s->atapi_left = 0;
    if (!atapi_may_run(s, cmd[0])) {
        return;
    }

    switch (cmd[0]) {
    case 0x00:                           /* TEST UNIT READY */
        atapi_cmd_ok(s);
        return;
    case 0x03: {                         /* REQUEST SENSE */
        uint8_t key = s->sense_key, asc = s->asc;

        memset(buf, 0, 18);
        buf[0] = 0x70;
        buf[2] = key;
        buf[7] = 10;
        buf[12] = asc;
        atapi_reply(s, 18, cmd[4]);
        if (key == SENSE_UNIT_ATTENTION) {
            s->sense_key = SENSE_NONE;
        }
        return;
    }
    case 0x12:                           /* INQUIRY */
        memset(buf, 0, 36);
        buf[0] = 0x05;                   /* CD/DVD */
        buf[1] = 0x80;                   /* removable */
        buf[2] = 0x00;
        buf[3] = 0x21;                   /* ATAPI, SPC-3 format */
        buf[4] = 31;
        atapi_put_string(buf + 8, "QEMU", 8);
        atapi_put_string(buf + 16, s->model, 16);
        atapi_put_string(buf + 32, s->version, 4);
        atapi_reply(s, 36, cmd[4]);
        return;
    case 0x1b:                           /* START STOP UNIT */
        atapi_start_stop_unit(s, cmd);
        return;
    case 0x1e:                           /* PREVENT ALLOW MEDIUM REMOVAL */
        s->tray_locked = cmd[4] & 1;
        atapi_cmd_ok(s);
        return;
    case 0x25:                           /* READ CAPACITY */
        put_be32(buf, atapi_nb_sectors(s) - 1);
        put_be32(buf + 4, ATAPI_SECTOR_SIZE);
        atapi_reply(s, 8, 8);
        return;
    case 0x28:                           /* READ(10) */
        atapi_read(s, be32(cmd + 2), be16(cmd + 7));
        return;
    case 0xa8:                           /* READ(12) */
        atapi_read(s, be32(cmd + 2), be32(cmd + 6));
        return;
    case 0x2b:                           /* SEEK(10) */
        atapi_cmd_ok(s);
        return;
    case 0x43: {                         /* READ TOC */
        uint32_t len = atapi_read_toc(s, cmd, buf);

        if (!len) {
            atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
            return;
        }
        atapi_reply(s, len, be16(cmd + 7));
        return;
    }
    case 0x5a: {                         /* MODE SENSE(10) */
        uint32_t len = atapi_mode_sense(s, cmd, buf);

        if (!len) {
            atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
            return;
        }
        atapi_reply(s, len, be16(cmd + 7));
        return;
    }
    case 0x46:                           /* GET CONFIGURATION */
        memset(buf, 0, 8);
        put_be32(buf, 4);                /* header only */
        put_be16(buf + 6, atapi_medium_present(s) ? 0x0008 : 0);  /* CD */
        atapi_reply(s, 8, be16(cmd + 7));
        return;
    case 0x4a:                           /* GET EVENT STATUS NOTIFICATION */
        if (!(cmd[1] & 1)) {             /* only the polled form */
            atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
            return;
        }
        atapi_reply(s, atapi_event_status(s, cmd, buf), be16(cmd + 7));
        return;
    case 0xbd:                           /* MECHANISM STATUS */
        memset(buf, 0, 8);
        atapi_reply(s, 8, be16(cmd + 8));
        return;
    default:
        emu_log_mask(LOG_UNIMP, "ide: ATAPI command 0x%02x is not "
                     "implemented\n", cmd[0]);
        atapi_cmd_error(s, SENSE_ILLEGAL_REQUEST, ASC_INVALID_COMMAND);
        return;
    }
}
