/*
 * The standard VGA core, shared by the bus front ends (vga-pci.c): the
 * registers at 0x3b0-0x3df (sequencer, CRT controller, graphics
 * controller, attribute controller, DAC), the 0xa0000-0xbffff window
 * with its planar, odd/even and chain-4 access, the Bochs VBE
 * extensions (0x1ce/0x1cf) and the renderer that turns video memory into
 * the console's picture.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_DISPLAY_VGA_H
#define HW_DISPLAY_VGA_H

#include "hw/qdev.h"
#include "softmmu/memory.h"
#include "ui/console.h"

#define VGA_WINDOW_BASE   0xa0000
#define VGA_WINDOW_SIZE   0x20000
#define VGA_IOPORT_BASE   0x3b0
#define VGA_IOPORT_SIZE   0x30
#define VBE_IOPORT_BASE   0x1ce

/* Bochs VBE (DISPI) register indices. */
enum {
    VBE_DISPI_INDEX_ID,
    VBE_DISPI_INDEX_XRES,
    VBE_DISPI_INDEX_YRES,
    VBE_DISPI_INDEX_BPP,
    VBE_DISPI_INDEX_ENABLE,
    VBE_DISPI_INDEX_BANK,
    VBE_DISPI_INDEX_VIRT_WIDTH,
    VBE_DISPI_INDEX_VIRT_HEIGHT,
    VBE_DISPI_INDEX_X_OFFSET,
    VBE_DISPI_INDEX_Y_OFFSET,
    VBE_DISPI_INDEX_VIDEO_MEMORY_64K,
    VBE_DISPI_INDEX_NB,
};

typedef struct VGAState {
    Object *owner;
    MemoryRegion vram;           /* the frame buffer, BAR 0 on PCI */
    uint8_t *vram_ptr;
    uint32_t vram_size;
    MemoryRegion window;         /* 0xa0000-0xbffff */
    MemoryRegion ioports;        /* 0x3b0-0x3df */
    MemoryRegion vbe_ports;      /* 0x1ce-0x1cf */
    DisplayConsole *con;

    /* Legacy registers. */
    uint8_t misc_output;
    uint8_t sr_index, sr[8];
    uint8_t gr_index, gr[16];
    uint8_t ar_index, ar[21];
    bool ar_flip_flop;           /* next 0x3c0 write is data */
    uint8_t cr_index, cr[256];
    uint8_t st01;                /* input status 1 */
    uint8_t feature_control;
    uint32_t latch;              /* one byte per plane, plane 0 lowest */
    /* DAC */
    uint8_t dac_state;           /* 0: read mode, 3: write mode */
    uint8_t dac_read_index, dac_write_index, dac_sub_index;
    uint8_t dac_pel_mask;
    uint8_t dac_cache[3];
    uint8_t palette[768];

    /* Bochs VBE */
    uint16_t vbe_index;
    uint16_t vbe_regs[VBE_DISPI_INDEX_NB];
    uint32_t vbe_start_addr;     /* bytes into vram */
    uint32_t vbe_line_offset;    /* bytes per line */
    uint32_t bank_offset;        /* the 64 KiB bank seen at 0xa0000 */

    /* Text blinking (cursor and blink attribute), by host time. */
    int64_t blink_time_ms;
    bool blink_on;
} VGAState;

/* Allocates vram (vram_mb MiB) and the regions; the front end maps
 * them.  Returns false with errp when the size is not accepted. */
bool vga_common_init(VGAState *s, Object *owner, uint32_t vram_mb,
                     Error **errp);
void vga_common_reset(VGAState *s);
void vga_common_destroy(VGAState *s);
/* The console, once the device is realized. */
void vga_console_init(VGAState *s, DeviceState *dev);

/* Register access by offset from 0x3b0 (the PCI MMIO BAR reuses it). */
uint64_t vga_ioport_read(void *opaque, hwaddr addr, unsigned size);
void vga_ioport_write(void *opaque, hwaddr addr, uint64_t val, unsigned size);
uint16_t vbe_read_reg(VGAState *s, unsigned index);
void vbe_write_reg(VGAState *s, unsigned index, uint16_t val);

#endif
