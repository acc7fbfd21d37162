/*
 * IDE (ATA/ATAPI) channels: the task file of ATA/ATAPI-6 (T13 1410D) for
 * up to two drives per channel, PIO data transfers through the data
 * port, and DMA through a bus-master controller (the PIIX's, SFF-8038i).
 * A drive is an ATA hard disk (LBA28 and LBA48) or an ATAPI CD-ROM
 * (MMC packet commands, 2048-byte sectors), both on a BlockBackend.
 *
 * hw/ide/core.c has the channel and the ATA commands, hw/ide/atapi.c the
 * packet commands, hw/ide/piix.c the PIIX3 IDE PCI function.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_IDE_IDE_H
#define HW_IDE_IDE_H

#include "hw/irq.h"
#include "hw/qdev.h"
#include "block/block-backend.h"

#define IDE_SECTOR_SIZE   512
#define ATAPI_SECTOR_SIZE 2048
/* The largest PIO or DMA chunk the drive stages at once. */
#define IDE_BUFFER_SIZE   (256 * 1024)

/* Status register bits. */
#define IDE_STAT_ERR  0x01
#define IDE_STAT_DRQ  0x08
#define IDE_STAT_DSC  0x10
#define IDE_STAT_DF   0x20
#define IDE_STAT_DRDY 0x40
#define IDE_STAT_BSY  0x80

/* Error register bits. */
#define IDE_ERR_ABRT  0x04
#define IDE_ERR_IDNF  0x10
#define IDE_ERR_UNC   0x40

typedef enum IDEDriveKind {
    IDE_DRIVE_NONE,
    IDE_DRIVE_HD,
    IDE_DRIVE_CD,
} IDEDriveKind;

typedef struct IDEBus IDEBus;
typedef struct IDEState IDEState;

/* What happens when the guest has moved the whole PIO buffer. */
typedef void IDETransferDone(IDEState *s);

struct IDEState {
    IDEBus *bus;
    int unit;
    IDEDriveKind kind;
    BlockBackend *blk;
    uint64_t nb_sectors;         /* of 512 bytes (disk) */
    /* The cylinders IDENTIFY reports, fixed when the disk is made as in
     * QEMU: a resize changes the sector counts only. */
    uint32_t cylinders;
    /* IDENTIFY's strings: QEMU's defaults or the device's properties */
    char serial[21];
    char model[41];
    char version[9];
    uint16_t identify[256];

    /* task file: the current and the previous ("HOB") values */
    uint8_t feature, hob_feature;
    uint8_t nsector, hob_nsector;
    uint8_t sector, hob_sector;
    uint8_t lcyl, hob_lcyl;
    uint8_t hcyl, hob_hcyl;
    uint8_t select;
    uint8_t status;
    uint8_t error;
    uint8_t command;
    bool lba48;                  /* the command uses 48-bit addressing */
    int mult_sectors;            /* SET MULTIPLE MODE; 0: off */

    /* the transfer in progress */
    uint64_t sector_num;         /* next sector (512 or 2048 bytes) */
    uint32_t nsector_left;       /* sectors still to move */
    bool dma_pending;            /* a DMA command waits for the engine */
    bool dma_to_memory;          /* its direction */
    uint8_t *buffer;             /* IDE_BUFFER_SIZE bytes */
    uint32_t data_ptr, data_end;
    IDETransferDone *transfer_done;

    /* ATAPI */
    uint8_t sense_key, asc;
    /* A medium change still to be reported to the next command that
     * needs the disc: first "no medium" (1), then UNIT ATTENTION (2), so
     * that a guest polling with TEST UNIT READY sees the tray open and
     * close as QEMU shows it. */
    uint8_t cdrom_changed;
    /* For GET EVENT STATUS NOTIFICATION: a new medium, and the
     * monitor's request to let the medium go (eject without -f). */
    bool event_new_media;
    bool event_eject_request;
    bool tray_open;
    bool tray_locked;            /* PREVENT MEDIUM REMOVAL */
    uint32_t atapi_byte_limit;   /* the byte count the driver allows */
    uint32_t atapi_left;         /* bytes of the response still to go */
    bool atapi_dma;              /* the packet asked for DMA */
};

/* The bus-master side a channel reports to (the PIIX's BMDMA). */
typedef struct IDEDMAOps {
    /* Moves len bytes between buf and guest memory along the PRD table;
     * returns the bytes moved (fewer: the table ended first). */
    uint32_t (*transfer)(void *opaque, uint8_t *buf, uint32_t len,
                         bool to_memory);
    /* The command ended: stop the engine, set the interrupt bit. */
    void (*done)(void *opaque, bool error);
    /* Whether the guest has started the engine. */
    bool (*active)(void *opaque);
} IDEDMAOps;

struct IDEBus {
    IDEState ifs[2];
    int unit;                    /* selected drive */
    uint8_t devctl;              /* device control: nIEN, SRST */
    IRQLine *irq;
    bool irq_level;
    const IDEDMAOps *dma_ops;
    void *dma_opaque;
};

/* A channel's bus in the device tree ("ide.0"...): the drives (ide-hd,
 * ide-cd, hw/ide/ide-dev.c) sit on it. */
#define TYPE_IDE_BUS "IDE"

#define IDE_DEFAULT_VERSION  "2.5+"
#define IDE_HD_DEFAULT_MODEL "QEMU HARDDISK"
#define IDE_CD_DEFAULT_MODEL "QEMU DVD-ROM"

/* Sets up a channel's two units, without drives. */
void ide_bus_init(IDEBus *bus);
/* The device-tree bus of channel ide, named name, under parent. */
BusState *ide_qbus_new(IDEBus *ide, DeviceState *parent, const char *name);
/* Puts a drive on an empty unit: an ATA disk on blk, or an ATAPI CD-ROM
 * (cd).  Errors when the image does not suit (a disk without one). */
bool ide_drive_attach(IDEState *s, BlockBackend *blk, bool cd, Error **errp);
/* Takes the drive away: the unit is empty again. */
void ide_drive_detach(IDEState *s);
void ide_bus_reset(IDEBus *bus);
void ide_bus_cleanup(IDEBus *bus);

/* Port access: the command block (offsets 0-7) and the control block
 * (alternate status / device control). */
uint32_t ide_ioport_read(IDEBus *bus, uint32_t reg);
void ide_ioport_write(IDEBus *bus, uint32_t reg, uint32_t val);
uint32_t ide_data_read(IDEBus *bus, unsigned size);
void ide_data_write(IDEBus *bus, uint32_t val, unsigned size);
uint32_t ide_status_read(IDEBus *bus);
void ide_ctrl_write(IDEBus *bus, uint32_t val);

/* The engine was started: run a pending DMA command. */
void ide_dma_start(IDEBus *bus);

/* ---- shared between core.c and atapi.c ---- */

void ide_set_irq(IDEBus *bus);
void ide_abort_command(IDEState *s);
/* Hands data_end bytes of the buffer to the guest by PIO. */
void ide_transfer_start(IDEState *s, uint32_t size, IDETransferDone *done);
void ide_transfer_stop(IDEState *s);
void ide_atapi_identify(IDEState *s);
/* IDENTIFY's strings: len characters, space-padded, two to a word with
 * the first in the high byte. */
void ide_put_string(uint16_t *words, const char *text, int len);
/* The tray of an ATAPI drive's backend (block/removable-media.h). */
extern const BlockDevOps ide_cd_block_ops;
void ide_atapi_packet(IDEState *s);
/* ATAPI data-in for the PACKET command's next piece (PIO) or all of it
 * (DMA). */
void ide_atapi_dma(IDEState *s);

#endif
