/*
 * An IDE channel and its ATA commands (see include/hw/ide/ide.h).
 * Register and command semantics from ATA/ATAPI-6 (T13 1410D); the
 * IDENTIFY strings are QEMU's ("QEMU HARDDISK"), so guests see the same
 * drive names.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/trace.h"
#include "util/log.h"
#include "hw/ide/ide.h"

#define IDE_DEVCTL_NIEN  0x02
#define IDE_DEVCTL_SRST  0x04
#define IDE_DEVCTL_HOB   0x80
#define IDE_SELECT_LBA   0x40
#define IDE_MAX_MULT     16
#define IDE_HEADS        16
#define IDE_SECTORS      63
#define IDE_MAX_CYLS     16383
#define IDE_LBA28_MAX    0x0fffffffull

/* ---- interrupts and transfers ---- */

void ide_set_irq(IDEBus *bus)
{
    if (!(bus->devctl & IDE_DEVCTL_NIEN)) {
        bus->irq_level = true;
        irq_raise(bus->irq);
    }
}

static void ide_lower_irq(IDEBus *bus)
{
    bus->irq_level = false;
    irq_lower(bus->irq);
}

void ide_transfer_start(IDEState *s, uint32_t size, IDETransferDone *done)
{
    s->data_ptr = 0;
    s->data_end = size;
    s->transfer_done = done;
    s->status |= IDE_STAT_DRQ;
}

void ide_transfer_stop(IDEState *s)
{
    s->data_ptr = 0;
    s->data_end = 0;
    s->transfer_done = NULL;
    s->status &= ~IDE_STAT_DRQ;
}

void ide_abort_command(IDEState *s)
{
    ide_transfer_stop(s);
    s->dma_pending = false;
    s->status = IDE_STAT_DRDY | IDE_STAT_ERR;
    s->error = IDE_ERR_ABRT;
}

static void ide_command_done(IDEState *s)
{
    ide_transfer_stop(s);
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
    ide_set_irq(s->bus);
}

/* A disk error: the sector is bad as far as the guest knows. */
static void ide_io_error(IDEState *s)
{
    emu_log_mask(LOG_GUEST_ERROR, "ide: %s\n", blk_last_error(s->blk));
    ide_transfer_stop(s);
    s->dma_pending = false;
    s->status = IDE_STAT_DRDY | IDE_STAT_ERR;
    s->error = IDE_ERR_UNC;
    ide_set_irq(s->bus);
}

/* ---- addresses ---- */

static uint32_t ide_cylinders(IDEState *s)
{
    return MIN(s->nb_sectors / (IDE_HEADS * IDE_SECTORS), IDE_MAX_CYLS);
}

static uint64_t ide_get_sector(IDEState *s)
{
    if (!(s->select & IDE_SELECT_LBA)) {
        uint32_t cyl = s->hcyl << 8 | s->lcyl;

        return ((uint64_t)cyl * IDE_HEADS + (s->select & 0x0f)) *
               IDE_SECTORS + s->sector - 1;
    }
    if (s->lba48) {
        return (uint64_t)s->hob_hcyl << 40 | (uint64_t)s->hob_lcyl << 32 |
               (uint64_t)s->hob_sector << 24 | s->hcyl << 16 |
               s->lcyl << 8 | s->sector;
    }
    return (s->select & 0x0f) << 24 | s->hcyl << 16 | s->lcyl << 8 |
           s->sector;
}

/* The task file names the last sector moved, as after a command. */
static void ide_set_sector(IDEState *s, uint64_t n)
{
    if (!(s->select & IDE_SELECT_LBA)) {
        uint32_t cyl = n / (IDE_HEADS * IDE_SECTORS);
        uint32_t r = n % (IDE_HEADS * IDE_SECTORS);

        s->hcyl = cyl >> 8;
        s->lcyl = cyl;
        s->select = (s->select & 0xf0) | (r / IDE_SECTORS);
        s->sector = r % IDE_SECTORS + 1;
    } else if (s->lba48) {
        s->sector = n;
        s->lcyl = n >> 8;
        s->hcyl = n >> 16;
        s->hob_sector = n >> 24;
        s->hob_lcyl = n >> 32;
        s->hob_hcyl = n >> 40;
    } else {
        s->select = (s->select & 0xf0) | ((n >> 24) & 0x0f);
        s->hcyl = n >> 16;
        s->lcyl = n >> 8;
        s->sector = n;
    }
}

static uint32_t ide_sector_count(IDEState *s)
{
    if (s->lba48) {
        uint32_t n = s->hob_nsector << 8 | s->nsector;

        return n ? n : 65536;
    }
    return s->nsector ? s->nsector : 256;
}

/* Starts a transfer of the task file's sectors; false (command aborted
 * with IDNF) when they pass the end of the disk. */
static bool ide_start_sectors(IDEState *s)
{
    s->sector_num = ide_get_sector(s);
    s->nsector_left = ide_sector_count(s);
    if (s->sector_num + s->nsector_left > s->nb_sectors) {
        ide_abort_command(s);
        s->error = IDE_ERR_IDNF | IDE_ERR_ABRT;
        ide_set_irq(s->bus);
        return false;
    }
    return true;
}

/* ---- PIO ---- */

static uint32_t ide_pio_chunk(IDEState *s)
{
    bool multiple = s->command == 0xc4 || s->command == 0xc5 ||
                    s->command == 0x29 || s->command == 0x39;

    return MIN(s->nsector_left, multiple ? (uint32_t)s->mult_sectors : 1u);
}

/* Called to start a read and whenever the guest has drained a block. */
static void ide_sector_read(IDEState *s)
{
    uint32_t n;

    if (!s->nsector_left) {
        ide_transfer_stop(s);
        s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
        return;
    }
    n = ide_pio_chunk(s);
    if (blk_pread(s->blk, s->sector_num * IDE_SECTOR_SIZE,
                  n * IDE_SECTOR_SIZE, s->buffer) < 0) {
        ide_io_error(s);
        return;
    }
    ide_set_sector(s, s->sector_num + n - 1);
    s->sector_num += n;
    s->nsector_left -= n;
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
    ide_transfer_start(s, n * IDE_SECTOR_SIZE, ide_sector_read);
    ide_set_irq(s->bus);
}

/* Called when the guest has filled a block. */
static void ide_sector_write(IDEState *s)
{
    uint32_t n = s->data_end / IDE_SECTOR_SIZE;

    if (blk_pwrite(s->blk, s->sector_num * IDE_SECTOR_SIZE,
                   n * IDE_SECTOR_SIZE, s->buffer) < 0) {
        ide_io_error(s);
        return;
    }
    ide_set_sector(s, s->sector_num + n - 1);
    s->sector_num += n;
    s->nsector_left -= n;
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
    if (s->nsector_left) {
        ide_transfer_start(s, ide_pio_chunk(s) * IDE_SECTOR_SIZE,
                           ide_sector_write);
    } else {
        ide_transfer_stop(s);
    }
    ide_set_irq(s->bus);
}

/* ---- DMA ---- */

static void ide_dma_run(IDEState *s)
{
    const IDEDMAOps *ops = s->bus->dma_ops;
    bool error = false;

    s->dma_pending = false;
    while (s->nsector_left && !error) {
        uint32_t n = MIN(s->nsector_left, IDE_BUFFER_SIZE / IDE_SECTOR_SIZE);
        uint32_t len = n * IDE_SECTOR_SIZE;
        uint64_t offset = s->sector_num * IDE_SECTOR_SIZE;

        if (s->dma_to_memory) {
            if (blk_pread(s->blk, offset, len, s->buffer) < 0) {
                ide_io_error(s);
                ops->done(s->bus->dma_opaque, true);
                return;
            }
            error = ops->transfer(s->bus->dma_opaque, s->buffer, len,
                                  true) < len;
        } else {
            error = ops->transfer(s->bus->dma_opaque, s->buffer, len,
                                  false) < len;
            if (!error && blk_pwrite(s->blk, offset, len, s->buffer) < 0) {
                ide_io_error(s);
                ops->done(s->bus->dma_opaque, true);
                return;
            }
        }
        s->sector_num += n;
        s->nsector_left -= n;
    }
    ide_set_sector(s, s->sector_num - 1);
    if (error) {
        /* The PRD table ended before the command's sectors did. */
        ide_abort_command(s);
        ops->done(s->bus->dma_opaque, true);
        ide_set_irq(s->bus);
        return;
    }
    ops->done(s->bus->dma_opaque, false);
    ide_command_done(s);
}

static void ide_dma_command(IDEState *s, bool to_memory)
{
    if (!s->bus->dma_ops) {
        ide_abort_command(s);
        ide_set_irq(s->bus);
        return;
    }
    if (!ide_start_sectors(s)) {
        return;
    }
    s->dma_to_memory = to_memory;
    s->dma_pending = true;
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC | IDE_STAT_DRQ;
    if (s->bus->dma_ops->active(s->bus->dma_opaque)) {
        ide_dma_start(s->bus);
    }
}

void ide_dma_start(IDEBus *bus)
{
    IDEState *s = &bus->ifs[bus->unit];

    if (!s->dma_pending) {
        return;
    }
    if (s->kind == IDE_DRIVE_CD) {
        ide_atapi_dma(s);
    } else {
        ide_dma_run(s);
    }
}

/* ---- IDENTIFY ---- */

/* ATA strings: two characters a word, the first in the high byte,
 * padded with spaces. */
void ide_put_string(uint16_t *words, const char *text, int len)
{
    for (int i = 0; i < len; i++) {
        char c = *text ? *text++ : ' ';

        if (i & 1) {
            words[i / 2] |= (uint8_t)c;
        } else {
            words[i / 2] = (uint8_t)c << 8;
        }
    }
}

static void ide_disk_identify(IDEState *s)
{
    uint16_t *w = s->identify;
    uint32_t cyls = s->cylinders;
    uint32_t chs = cyls * IDE_HEADS * IDE_SECTORS;
    uint64_t lba28 = MIN(s->nb_sectors, IDE_LBA28_MAX);

    memset(w, 0, sizeof(s->identify));
    w[0] = 0x0040;                       /* fixed disk */
    w[1] = cyls;
    w[3] = IDE_HEADS;
    w[4] = IDE_SECTOR_SIZE * IDE_SECTORS;
    w[5] = IDE_SECTOR_SIZE;
    w[6] = IDE_SECTORS;
    ide_put_string(w + 10, s->serial, 20);
    w[20] = 3;                           /* buffer type */
    w[21] = IDE_BUFFER_SIZE / IDE_SECTOR_SIZE;
    ide_put_string(w + 23, s->version, 8);
    ide_put_string(w + 27, s->model, 40);
    w[47] = 0x8000 | IDE_MAX_MULT;
    w[48] = 1;                           /* dword I/O */
    w[49] = (1 << 11) | (1 << 9) | (1 << 8);  /* IORDY, LBA, DMA */
    w[51] = 0x200;
    w[52] = 0x200;
    w[53] = 1 | 2 | 4;                   /* words 54-58, 64-70, 88 valid */
    w[54] = cyls;
    w[55] = IDE_HEADS;
    w[56] = IDE_SECTORS;
    w[57] = chs;
    w[58] = chs >> 16;
    if (s->mult_sectors) {
        w[59] = 0x100 | s->mult_sectors;
    }
    w[60] = lba28;
    w[61] = lba28 >> 16;
    w[62] = 0x07;                        /* single word DMA 0-2 */
    w[63] = 0x07;                        /* multiword DMA 0-2 */
    w[64] = 0x03;                        /* PIO 3-4 */
    w[65] = 120;
    w[66] = 120;
    w[67] = 120;
    w[68] = 120;
    w[80] = 0xf0;                        /* ATA-4 to ATA-7 */
    w[81] = 0x16;
    w[82] = (1 << 14) | (1 << 5);        /* NOP, write cache */
    /* FLUSH CACHE EXT, FLUSH CACHE, 48-bit addresses */
    w[83] = (1 << 14) | (1 << 13) | (1 << 12) | (1 << 10);
    w[84] = 1 << 14;
    w[85] = (1 << 14) | (1 << 5);
    w[86] = (1 << 13) | (1 << 12) | (1 << 10);
    w[87] = 1 << 14;
    w[88] = 0x3f | (1 << 13);            /* UDMA 0-5, mode 5 selected */
    w[93] = 1 | (1 << 14) | 0x2000;
    w[100] = s->nb_sectors;
    w[101] = s->nb_sectors >> 16;
    w[102] = s->nb_sectors >> 32;
    w[103] = s->nb_sectors >> 48;
}

static void ide_send_identify(IDEState *s)
{
    for (int i = 0; i < 256; i++) {
        s->buffer[2 * i] = s->identify[i];
        s->buffer[2 * i + 1] = s->identify[i] >> 8;
    }
    s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
    ide_transfer_start(s, IDE_SECTOR_SIZE, ide_transfer_stop);
    ide_set_irq(s->bus);
}

/* The signature a drive leaves in the task file after a reset or
 * EXECUTE DEVICE DIAGNOSTIC, by which drivers tell ATA from ATAPI. */
static void ide_set_signature(IDEState *s)
{
    s->select &= 0xf0;
    s->nsector = 1;
    s->sector = 1;
    if (s->kind == IDE_DRIVE_CD) {
        s->lcyl = 0x14;
        s->hcyl = 0xeb;
    } else {
        s->lcyl = 0;
        s->hcyl = 0;
    }
}

/* ---- commands ---- */

static void ide_set_features(IDEState *s)
{
    switch (s->feature) {
    case 0x02:                           /* write cache on */
    case 0x82:                           /* write cache off */
    case 0x03:                           /* transfer mode */
    case 0x55:                           /* read look-ahead off */
    case 0xaa:                           /* read look-ahead on */
    case 0x66:                           /* keep settings over reset */
    case 0xcc:
        ide_command_done(s);
        break;
    default:
        ide_abort_command(s);
        ide_set_irq(s->bus);
        break;
    }
}

static void ide_disk_command(IDEState *s, uint8_t cmd)
{
    switch (cmd) {
    case 0xec:                           /* IDENTIFY DEVICE */
        ide_disk_identify(s);
        ide_send_identify(s);
        return;
    case 0x20:                           /* READ SECTORS */
    case 0x21:
    case 0x24:                           /* READ SECTORS EXT */
    case 0xc4:                           /* READ MULTIPLE */
    case 0x29:                           /* READ MULTIPLE EXT */
        if ((cmd == 0xc4 || cmd == 0x29) && !s->mult_sectors) {
            break;
        }
        if (ide_start_sectors(s)) {
            ide_sector_read(s);
        }
        return;
    case 0x30:                           /* WRITE SECTORS */
    case 0x31:
    case 0x34:                           /* WRITE SECTORS EXT */
    case 0xc5:                           /* WRITE MULTIPLE */
    case 0x39:                           /* WRITE MULTIPLE EXT */
        if ((cmd == 0xc5 || cmd == 0x39) && !s->mult_sectors) {
            break;
        }
        if (blk_is_read_only(s->blk)) {
            break;
        }
        if (ide_start_sectors(s)) {
            s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
            ide_transfer_start(s, ide_pio_chunk(s) * IDE_SECTOR_SIZE,
                               ide_sector_write);
        }
        return;
    case 0xc8:                           /* READ DMA */
    case 0xc9:
    case 0x25:                           /* READ DMA EXT */
        ide_dma_command(s, true);
        return;
    case 0xca:                           /* WRITE DMA */
    case 0xcb:
    case 0x35:                           /* WRITE DMA EXT */
        if (blk_is_read_only(s->blk)) {
            break;
        }
        ide_dma_command(s, false);
        return;
    case 0x40:                           /* READ VERIFY SECTORS */
    case 0x41:
    case 0x42:                           /* READ VERIFY SECTORS EXT */
        if (ide_start_sectors(s)) {
            ide_set_sector(s, s->sector_num + s->nsector_left - 1);
            ide_command_done(s);
        }
        return;
    case 0xf8:                           /* READ NATIVE MAX ADDRESS */
    case 0x27:                           /* ... EXT */
        ide_set_sector(s, s->nb_sectors - 1);
        ide_command_done(s);
        return;
    case 0xc6:                           /* SET MULTIPLE MODE */
        if (s->nsector > IDE_MAX_MULT ||
            (s->nsector & (s->nsector - 1))) {
            break;
        }
        s->mult_sectors = s->nsector;
        ide_command_done(s);
        return;
    case 0xe7:                           /* FLUSH CACHE */
    case 0xea:                           /* FLUSH CACHE EXT */
        if (blk_flush(s->blk) < 0) {
            ide_io_error(s);
            return;
        }
        ide_command_done(s);
        return;
    case 0x91:                           /* INITIALIZE DEVICE PARAMETERS */
        ide_command_done(s);
        return;
    default:
        if ((cmd & 0xf0) == 0x10) {      /* RECALIBRATE */
            ide_command_done(s);
            return;
        }
        break;
    }
    ide_abort_command(s);
    ide_set_irq(s->bus);
}

static void ide_exec_cmd(IDEBus *bus, uint8_t cmd)
{
    IDEState *s = &bus->ifs[bus->unit];

    trace_ide_exec_cmd(bus, s, cmd);
    /* Commands to a missing drive are not seen by anyone. */
    if (s->kind == IDE_DRIVE_NONE) {
        return;
    }
    s->command = cmd;
    s->error = 0;
    s->lba48 = cmd == 0x24 || cmd == 0x29 || cmd == 0x34 || cmd == 0x39 ||
               cmd == 0x25 || cmd == 0x35 || cmd == 0x42 || cmd == 0x27 ||
               cmd == 0xea;
    ide_transfer_stop(s);
    s->dma_pending = false;

    switch (cmd) {
    case 0x90:                           /* EXECUTE DEVICE DIAGNOSTIC */
        ide_set_signature(s);
        s->status = s->kind == IDE_DRIVE_CD ? 0 : IDE_STAT_DRDY | IDE_STAT_DSC;
        s->error = 0x01;
        ide_set_irq(bus);
        return;
    case 0xef:                           /* SET FEATURES */
        ide_set_features(s);
        return;
    case 0xe0:                           /* STANDBY IMMEDIATE */
    case 0xe1:                           /* IDLE IMMEDIATE */
    case 0xe2:                           /* STANDBY */
    case 0xe3:                           /* IDLE */
        ide_command_done(s);
        return;
    case 0xe5:                           /* CHECK POWER MODE */
        s->nsector = 0xff;               /* active or idle */
        ide_command_done(s);
        return;
    }
    if (s->kind == IDE_DRIVE_HD) {
        ide_disk_command(s, cmd);
        return;
    }
    switch (cmd) {
    case 0xa1:                           /* IDENTIFY PACKET DEVICE */
        ide_atapi_identify(s);
        ide_send_identify(s);
        return;
    case 0xa0:                           /* PACKET */
        s->atapi_dma = s->feature & 1;
        s->atapi_byte_limit = s->hcyl << 8 | s->lcyl;
        s->nsector = 1;                  /* command, to the device */
        s->status = IDE_STAT_DRDY | IDE_STAT_DSC;
        ide_transfer_start(s, 12, ide_atapi_packet);
        return;
    case 0x08:                           /* DEVICE RESET */
        ide_set_signature(s);
        s->status = 0;
        s->error = 0x01;
        return;
    case 0xec:                           /* IDENTIFY DEVICE: not ATA */
        ide_set_signature(s);
        break;
    }
    ide_abort_command(s);
    ide_set_irq(bus);
}

/* ---- registers ---- */

void ide_ioport_write(IDEBus *bus, uint32_t reg, uint32_t val)
{
    /* Writing the command block selects the current task file again. */
    bus->devctl &= ~IDE_DEVCTL_HOB;
    for (int i = 0; i < 2 && reg >= 1 && reg <= 5; i++) {
        IDEState *s = &bus->ifs[i];

        switch (reg) {
        case 1:
            s->hob_feature = s->feature;
            s->feature = val;
            break;
        case 2:
            s->hob_nsector = s->nsector;
            s->nsector = val;
            break;
        case 3:
            s->hob_sector = s->sector;
            s->sector = val;
            break;
        case 4:
            s->hob_lcyl = s->lcyl;
            s->lcyl = val;
            break;
        case 5:
            s->hob_hcyl = s->hcyl;
            s->hcyl = val;
            break;
        }
    }
    if (reg == 6) {
        bus->ifs[0].select = (val & ~0x10) | 0xa0;
        bus->ifs[1].select = val | 0x10 | 0xa0;
        bus->unit = (val >> 4) & 1;
    } else if (reg == 7) {
        ide_lower_irq(bus);
        ide_exec_cmd(bus, val);
    }
}

static bool ide_no_drive(IDEBus *bus)
{
    IDEState *s = &bus->ifs[bus->unit];

    return (bus->ifs[0].kind == IDE_DRIVE_NONE &&
            bus->ifs[1].kind == IDE_DRIVE_NONE) ||
           (bus->unit && s->kind == IDE_DRIVE_NONE);
}

uint32_t ide_ioport_read(IDEBus *bus, uint32_t reg)
{
    IDEState *s = &bus->ifs[bus->unit];
    bool hob = bus->devctl & IDE_DEVCTL_HOB;
    bool none = bus->ifs[0].kind == IDE_DRIVE_NONE &&
                bus->ifs[1].kind == IDE_DRIVE_NONE;

    switch (reg) {
    case 1:
        return none ? 0 : hob ? s->hob_feature : s->error;
    case 2:
        return none ? 0 : hob ? s->hob_nsector : s->nsector;
    case 3:
        return none ? 0 : hob ? s->hob_sector : s->sector;
    case 4:
        return none ? 0 : hob ? s->hob_lcyl : s->lcyl;
    case 5:
        return none ? 0 : hob ? s->hob_hcyl : s->hcyl;
    case 6:
        return none ? 0 : s->select;
    case 7:
        if (ide_no_drive(bus)) {
            return 0;
        }
        ide_lower_irq(bus);
        return s->status;
    default:
        return 0xff;
    }
}

uint32_t ide_status_read(IDEBus *bus)
{
    return ide_no_drive(bus) ? 0 : bus->ifs[bus->unit].status;
}

static void ide_drive_soft_reset(IDEState *s)
{
    ide_transfer_stop(s);
    s->dma_pending = false;
    s->mult_sectors = IDE_MAX_MULT;
    ide_set_signature(s);
    s->status = s->kind == IDE_DRIVE_HD ? IDE_STAT_DRDY | IDE_STAT_DSC : 0;
    s->error = 0x01;
}

void ide_ctrl_write(IDEBus *bus, uint32_t val)
{
    if ((bus->devctl & IDE_DEVCTL_SRST) && !(val & IDE_DEVCTL_SRST)) {
        for (int i = 0; i < 2; i++) {
            ide_drive_soft_reset(&bus->ifs[i]);
        }
        bus->unit = 0;
    } else if (val & IDE_DEVCTL_SRST) {
        for (int i = 0; i < 2; i++) {
            bus->ifs[i].status = IDE_STAT_BSY | IDE_STAT_DSC;
            bus->ifs[i].error = 0x01;
        }
    }
    bus->devctl = val;
}

uint32_t ide_data_read(IDEBus *bus, unsigned size)
{
    IDEState *s = &bus->ifs[bus->unit];
    uint32_t val = 0;

    if (!(s->status & IDE_STAT_DRQ) || s->data_ptr + size > s->data_end) {
        return 0;
    }
    for (unsigned i = 0; i < size; i++) {
        val |= (uint32_t)s->buffer[s->data_ptr++] << (8 * i);
    }
    if (s->data_ptr >= s->data_end) {
        IDETransferDone *done = s->transfer_done;

        s->status &= ~IDE_STAT_DRQ;
        if (done) {
            done(s);
        }
    }
    return val;
}

void ide_data_write(IDEBus *bus, uint32_t val, unsigned size)
{
    IDEState *s = &bus->ifs[bus->unit];

    if (!(s->status & IDE_STAT_DRQ) || s->data_ptr + size > s->data_end) {
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        s->buffer[s->data_ptr++] = val >> (8 * i);
    }
    if (s->data_ptr >= s->data_end) {
        IDETransferDone *done = s->transfer_done;

        s->status &= ~IDE_STAT_DRQ;
        if (done) {
            done(s);
        }
    }
}

/* ---- set-up ---- */

/*
 * block_resize: as QEMU's ide_resize_cb, the disk's size changes under
 * the guest without a word; the next IDENTIFY gives the new sector counts
 * (the geometry stays) and requests up to the new end are taken.
 */
static void ide_hd_resize(void *opaque)
{
    IDEState *s = opaque;

    s->nb_sectors = blk_getlength(s->blk) / IDE_SECTOR_SIZE;
}

static const BlockDevOps ide_hd_block_ops = {
    .resize_cb = ide_hd_resize,
};

void ide_bus_init(IDEBus *bus)
{
    /* QEMU numbers the units as their channels are made (ide_init1), two
     * to a channel, whether a drive sits there or not. */
    static int serial_count;

    for (int unit = 0; unit < 2; unit++) {
        IDEState *s = &bus->ifs[unit];

        s->bus = bus;
        s->unit = unit;
        s->kind = IDE_DRIVE_NONE;
        s->buffer = g_malloc0(IDE_BUFFER_SIZE);
        snprintf(s->serial, sizeof(s->serial), "QM%05d", ++serial_count);
        g_strlcpy(s->version, IDE_DEFAULT_VERSION, sizeof(s->version));
    }
}

bool ide_drive_attach(IDEState *s, BlockBackend *blk, bool cd, Error **errp)
{
    if (!cd && !blk_is_inserted(blk)) {
        error_setg(errp, "Device needs media, but drive is empty");
        return false;
    }
    s->blk = blk;
    s->kind = cd ? IDE_DRIVE_CD : IDE_DRIVE_HD;
    g_strlcpy(s->model, cd ? IDE_CD_DEFAULT_MODEL : IDE_HD_DEFAULT_MODEL,
              sizeof(s->model));
    s->nb_sectors = blk_is_inserted(blk)
                    ? blk_getlength(blk) / IDE_SECTOR_SIZE : 0;
    if (cd) {
        /* The disc that was in when the machine started is news to the
         * guest's first command, as after a change. */
        s->cdrom_changed = blk_is_inserted(blk) ? 2 : 0;
        blk_set_dev_ops(blk, &ide_cd_block_ops, s);
    } else {
        s->cylinders = ide_cylinders(s);
        blk_set_dev_ops(blk, &ide_hd_block_ops, s);
    }
    return true;
}

void ide_drive_detach(IDEState *s)
{
    s->blk = NULL;
    s->kind = IDE_DRIVE_NONE;
}

void ide_bus_reset(IDEBus *bus)
{
    bus->unit = 0;
    bus->devctl = 0;
    ide_lower_irq(bus);
    for (int i = 0; i < 2; i++) {
        IDEState *s = &bus->ifs[i];

        s->feature = s->hob_feature = 0;
        s->hob_nsector = s->hob_sector = s->hob_lcyl = s->hob_hcyl = 0;
        s->select = 0xa0 | (i << 4);
        s->sense_key = 0;
        s->asc = 0;
        s->tray_locked = false;
        ide_drive_soft_reset(s);
    }
}

void ide_bus_cleanup(IDEBus *bus)
{
    for (int i = 0; i < 2; i++) {
        g_free(bus->ifs[i].buffer);
        bus->ifs[i].buffer = NULL;
    }
}
