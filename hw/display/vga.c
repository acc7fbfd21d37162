/*
 * The standard VGA core (see include/hw/display/vga.h).  Register facts
 * from IBM's VGA Technical Reference and the Bochs VBE (DISPI)
 * interface that SeaBIOS's vgabios-stdvga drives.
 *
 * Video memory is kept as the card keeps it: four planes side by side,
 * planar address a of plane p at vram[a * 4 + p].  Chain-4 addresses
 * (mode 13h) and the VBE linear frame buffer are then the same bytes
 * seen linearly, and odd/even (text) mode puts characters in plane 0,
 * attributes in plane 1 and the font in plane 2, where the BIOS loads
 * it and where the text renderer reads the glyphs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/display/vga.h"

/* Sequencer */
#define SR_CLOCK_MODE     1
#define  SR01_8DOT         0x01  /* 8-dot characters (else 9) */
#define  SR01_DOT_CLOCK_2  0x08  /* half dot clock: pixels doubled */
#define  SR01_SCREEN_OFF   0x20
#define SR_PLANE_WRITE    2
#define SR_CHAR_MAP       3
#define SR_MEMORY_MODE    4
#define  SR04_SEQ_MODE     0x04  /* sequential (no odd/even) */
#define  SR04_CHAIN4       0x08
/* Graphics controller */
#define GR_SET_RESET      0
#define GR_ENABLE_SR      1
#define GR_COMPARE_VALUE  2
#define GR_DATA_ROTATE    3
#define GR_READ_MAP       4
#define GR_MODE           5
#define  GR05_ODD_EVEN     0x10
#define GR_MISC           6
#define  GR06_GRAPHICS     0x01
#define GR_COMPARE_MASK   7
#define GR_BIT_MASK       8
/* Attribute controller */
#define AR_MODE           0x10
#define  AR10_LINE_GRAPHICS 0x04
#define  AR10_BLINK        0x08
#define  AR10_P54S         0x80
#define AR_PLANE_ENABLE   0x12
#define AR_COLOR_SELECT   0x14
#define AR_INDEX_PAS      0x20   /* palette address source: video on */
/* CRT controller */
#define CR_H_DISP         0x01
#define CR_OVERFLOW       0x07
#define CR_MAX_SCAN       0x09
#define CR_CURSOR_START   0x0a
#define  CR0A_CURSOR_OFF   0x20
#define CR_CURSOR_END     0x0b
#define CR_START_HI       0x0c
#define CR_START_LO       0x0d
#define CR_CURSOR_HI      0x0e
#define CR_CURSOR_LO      0x0f
#define CR_V_DISP_END     0x12
#define CR_OFFSET         0x13
#define CR_MODE           0x17
#define CR_LINE_COMPARE   0x18
/* Misc output */
#define MISC_COLOR_IO     0x01   /* CRTC at 0x3d4 (else 0x3b4) */
/* Input status 1 */
#define ST01_DISP_ENABLE  0x01
#define ST01_V_RETRACE    0x08

/* VBE */
#define VBE_DISPI_ID0             0xb0c0
#define VBE_DISPI_ID5             0xb0c5
#define VBE_DISPI_MAX_XRES        16000
#define VBE_DISPI_MAX_YRES        12000
#define VBE_DISPI_MAX_BPP         32
#define VBE_DISPI_ENABLED         0x01
#define VBE_DISPI_GETCAPS         0x02
#define VBE_DISPI_8BIT_DAC        0x20
#define VBE_DISPI_LFB_ENABLED     0x40
#define VBE_DISPI_NOCLEARMEM      0x80

/* Half a period of the text cursor and blink: 16 frames at 60 Hz. */
#define VGA_BLINK_HALF_PERIOD_MS  267

/* Each bit of a 4-bit plane mask as a byte of a 32-bit plane word. */
static uint32_t plane_mask(unsigned bits)
{
    return (bits & 1 ? 0x000000ffu : 0) | (bits & 2 ? 0x0000ff00u : 0) |
           (bits & 4 ? 0x00ff0000u : 0) | (bits & 8 ? 0xff000000u : 0);
}

static uint32_t *vram_word(VGAState *s, uint32_t planar_addr)
{
    return (uint32_t *)(s->vram_ptr + planar_addr * 4);
}

static bool vbe_enabled(VGAState *s)
{
    return s->vbe_regs[VBE_DISPI_INDEX_ENABLE] & VBE_DISPI_ENABLED;
}

/* ---- the 0xa0000-0xbffff window ---- */

/* The offset into the memory map's range, or -1 outside it (GR06). */
static int64_t vga_window_offset(VGAState *s, hwaddr addr)
{
    switch ((s->gr[GR_MISC] >> 2) & 3) {
    case 0:
        return addr;
    case 1:
        return addr < 0x10000 ? (int64_t)(addr + s->bank_offset) : -1;
    case 2:
        return addr >= 0x10000 && addr < 0x18000 ? (int64_t)addr - 0x10000
                                                 : -1;
    default:
        return addr >= 0x18000 ? (int64_t)addr - 0x18000 : -1;
    }
}

static uint64_t vga_window_read(void *opaque, hwaddr addr, unsigned size)
{
    VGAState *s = opaque;
    int64_t off = vga_window_offset(s, addr);
    uint32_t ret;

    if (off < 0) {
        return 0xff;
    }
    if (s->sr[SR_MEMORY_MODE] & SR04_CHAIN4) {
        return off < s->vram_size ? s->vram_ptr[off] : 0xff;
    }
    if (s->gr[GR_MODE] & GR05_ODD_EVEN) {
        /* Even addresses read plane 0 or 2, odd ones plane 1 or 3. */
        unsigned plane = (s->gr[GR_READ_MAP] & 2) | (off & 1);
        uint64_t a = ((off & ~1) << 1) | plane;

        return a < s->vram_size ? s->vram_ptr[a] : 0xff;
    }
    if ((uint64_t)off * 4 >= s->vram_size) {
        return 0xff;
    }
    s->latch = *vram_word(s, off);
    if (!(s->gr[GR_MODE] & 0x08)) {
        /* Read mode 0: the byte of the selected plane. */
        return s->latch >> ((s->gr[GR_READ_MAP] & 3) * 8) & 0xff;
    }
    /* Read mode 1: 1 where all enabled planes match the compare colour. */
    ret = (s->latch ^ plane_mask(s->gr[GR_COMPARE_VALUE])) &
          plane_mask(s->gr[GR_COMPARE_MASK]);
    ret |= ret >> 16;
    ret |= ret >> 8;
    return ~ret & 0xff;
}

static uint32_t ror8(uint32_t v, unsigned n)
{
    return ((v >> n) | (v << (8 - n))) & 0xff;
}

static void vga_window_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    VGAState *s = opaque;
    int64_t off = vga_window_offset(s, addr);
    uint32_t v, bit_mask, write_mask, *word;
    unsigned rotate = s->gr[GR_DATA_ROTATE] & 7;

    if (off < 0) {
        return;
    }
    if (s->sr[SR_MEMORY_MODE] & SR04_CHAIN4) {
        if (off < s->vram_size &&
            (s->sr[SR_PLANE_WRITE] & (1u << (off & 3)))) {
            s->vram_ptr[off] = val;
        }
        return;
    }
    if (!(s->sr[SR_MEMORY_MODE] & SR04_SEQ_MODE)) {
        /* Odd/even: even addresses write plane 0 (2), odd ones 1 (3). */
        unsigned plane = off & 1;
        uint64_t a = ((off & ~1) << 1) | plane;

        if ((s->sr[SR_PLANE_WRITE] & (1u << plane)) && a < s->vram_size) {
            s->vram_ptr[a] = val;
        }
        return;
    }
    if ((uint64_t)off * 4 >= s->vram_size) {
        return;
    }
    bit_mask = s->gr[GR_BIT_MASK];
    switch (s->gr[GR_MODE] & 3) {
    case 0:
        v = ror8(val & 0xff, rotate) * 0x01010101u;
        v = (v & ~plane_mask(s->gr[GR_ENABLE_SR])) |
            (plane_mask(s->gr[GR_SET_RESET]) &
             plane_mask(s->gr[GR_ENABLE_SR]));
        break;
    case 1:
        /* The latches as they are: a fast copy. */
        v = s->latch;
        goto store;
    case 2:
        v = plane_mask(val & 0xf);
        break;
    default:
        bit_mask &= ror8(val & 0xff, rotate);
        v = plane_mask(s->gr[GR_SET_RESET]);
        break;
    }
    switch (s->gr[GR_DATA_ROTATE] >> 3 & 3) {
    case 1:
        v &= s->latch;
        break;
    case 2:
        v |= s->latch;
        break;
    case 3:
        v ^= s->latch;
        break;
    }
    bit_mask *= 0x01010101u;
    v = (v & bit_mask) | (s->latch & ~bit_mask);
store:
    write_mask = plane_mask(s->sr[SR_PLANE_WRITE]);
    word = vram_word(s, off);
    *word = (*word & ~write_mask) | (v & write_mask);
}

static const MemoryRegionOps vga_window_ops = {
    .read = vga_window_read,
    .write = vga_window_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 4 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

/* ---- registers at 0x3b0-0x3df ---- */

/* Whether port (0x3b0 + addr) is the CRTC or status of the other
 * (mono vs colour) address range, which the card does not decode. */
static bool vga_port_inactive(VGAState *s, unsigned port)
{
    bool color = s->misc_output & MISC_COLOR_IO;

    return (port >= 0x3b0 && port <= 0x3bf && color) ||
           (port >= 0x3d0 && port <= 0x3df && !color);
}

uint64_t vga_ioport_read(void *opaque, hwaddr addr, unsigned size)
{
    VGAState *s = opaque;
    unsigned port = VGA_IOPORT_BASE + addr;
    uint8_t val;

    if (vga_port_inactive(s, port)) {
        return 0xff;
    }
    switch (port) {
    case 0x3c0:
        return s->ar_flip_flop ? 0 : s->ar_index;
    case 0x3c1:
        /* Indexes 0x15-0x1f name no register: they read 0. */
        return (s->ar_index & 0x1f) < ARRAY_SIZE(s->ar) ?
               s->ar[s->ar_index & 0x1f] : 0;
    case 0x3c2:
        return 0;                /* input status 0 */
    case 0x3c4:
        return s->sr_index;
    case 0x3c5:
        return s->sr[s->sr_index & 7];
    case 0x3c6:
        return s->dac_pel_mask;
    case 0x3c7:
        return s->dac_state;
    case 0x3c8:
        return s->dac_write_index;
    case 0x3c9:
        val = s->palette[s->dac_read_index * 3 + s->dac_sub_index];
        if (++s->dac_sub_index == 3) {
            s->dac_sub_index = 0;
            s->dac_read_index++;
        }
        return val;
    case 0x3ca:
        return s->feature_control;
    case 0x3cc:
        return s->misc_output;
    case 0x3ce:
        return s->gr_index;
    case 0x3cf:
        return s->gr[s->gr_index & 15];
    case 0x3b4:
    case 0x3d4:
        return s->cr_index;
    case 0x3b5:
    case 0x3d5:
        return s->cr[s->cr_index];
    case 0x3ba:
    case 0x3da:
        /* Reading the status resets the attribute flip-flop.  The
         * retrace and display-enable bits toggle at every read so that
         * guests waiting for a retrace see one. */
        s->ar_flip_flop = false;
        s->st01 ^= ST01_V_RETRACE | ST01_DISP_ENABLE;
        return s->st01;
    default:
        return 0xff;
    }
}

void vga_ioport_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    VGAState *s = opaque;
    unsigned port = VGA_IOPORT_BASE + addr;

    val &= 0xff;
    if (vga_port_inactive(s, port)) {
        return;
    }
    switch (port) {
    case 0x3c0:
        if (!s->ar_flip_flop) {
            s->ar_index = val & 0x3f;
        } else if ((s->ar_index & 0x1f) < ARRAY_SIZE(s->ar)) {
            s->ar[s->ar_index & 0x1f] = val;
        }
        s->ar_flip_flop = !s->ar_flip_flop;
        break;
    case 0x3c2:
        s->misc_output = val;
        break;
    case 0x3c4:
        s->sr_index = val & 7;
        break;
    case 0x3c5:
        s->sr[s->sr_index] = val;
        break;
    case 0x3c6:
        s->dac_pel_mask = val;
        break;
    case 0x3c7:
        s->dac_read_index = val;
        s->dac_sub_index = 0;
        s->dac_state = 0;
        break;
    case 0x3c8:
        s->dac_write_index = val;
        s->dac_sub_index = 0;
        s->dac_state = 3;
        break;
    case 0x3c9:
        s->dac_cache[s->dac_sub_index] = val;
        if (++s->dac_sub_index == 3) {
            memcpy(&s->palette[s->dac_write_index * 3], s->dac_cache, 3);
            s->dac_sub_index = 0;
            s->dac_write_index++;
        }
        break;
    case 0x3ce:
        s->gr_index = val & 15;
        break;
    case 0x3cf:
        s->gr[s->gr_index] = val;
        break;
    case 0x3b4:
    case 0x3d4:
        s->cr_index = val;
        break;
    case 0x3b5:
    case 0x3d5:
        /* CR7 bit 4 and CR0-CR6 are write-protected by CR11 bit 7,
         * except the line compare bit of the overflow register. */
        if ((s->cr[0x11] & 0x80) && s->cr_index <= CR_OVERFLOW) {
            if (s->cr_index == CR_OVERFLOW) {
                s->cr[CR_OVERFLOW] = (s->cr[CR_OVERFLOW] & ~0x10) |
                                     (val & 0x10);
            }
            break;
        }
        s->cr[s->cr_index] = val;
        break;
    case 0x3ba:
    case 0x3da:
        s->feature_control = val & 0x10;
        break;
    default:
        break;
    }
}

static const MemoryRegionOps vga_ioport_ops = {
    .read = vga_ioport_read,
    .write = vga_ioport_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 2 },
    .impl = { .min_access_size = 1, .max_access_size = 1 },
};

/* ---- Bochs VBE ---- */

static unsigned vbe_bytes_per_pixel(VGAState *s)
{
    return (s->vbe_regs[VBE_DISPI_INDEX_BPP] + 7) / 8;
}

/*
 * Line offset and start address from the virtual size and offsets,
 * kept inside video memory whatever the guest wrote.
 */
static void vbe_update_geometry(VGAState *s)
{
    uint16_t *r = s->vbe_regs;
    unsigned bpp = r[VBE_DISPI_INDEX_BPP];
    uint32_t line;

    if (r[VBE_DISPI_INDEX_VIRT_WIDTH] < r[VBE_DISPI_INDEX_XRES]) {
        r[VBE_DISPI_INDEX_VIRT_WIDTH] = r[VBE_DISPI_INDEX_XRES];
    }
    line = bpp == 4 ? r[VBE_DISPI_INDEX_VIRT_WIDTH] / 2
                    : r[VBE_DISPI_INDEX_VIRT_WIDTH] * vbe_bytes_per_pixel(s);
    s->vbe_line_offset = line;
    r[VBE_DISPI_INDEX_VIRT_HEIGHT] = line ? MIN(s->vram_size / line, 0xffff)
                                          : 0;
    s->vbe_start_addr = line * r[VBE_DISPI_INDEX_Y_OFFSET] +
                        (bpp == 4 ? r[VBE_DISPI_INDEX_X_OFFSET] / 2
                                  : r[VBE_DISPI_INDEX_X_OFFSET] *
                                    vbe_bytes_per_pixel(s));
    if (s->vbe_start_addr >= s->vram_size) {
        s->vbe_start_addr = 0;
    }
}

/* Enabling a VBE mode sets the VGA registers up for it, as the Bochs
 * card does: graphics at 0xa0000 (64 KiB banks), chain-4 or planar. */
static void vbe_enable(VGAState *s, uint16_t val)
{
    uint16_t *r = s->vbe_regs;
    unsigned bpp = r[VBE_DISPI_INDEX_BPP];
    unsigned shift_control;

    r[VBE_DISPI_INDEX_VIRT_WIDTH] = r[VBE_DISPI_INDEX_XRES];
    r[VBE_DISPI_INDEX_X_OFFSET] = 0;
    r[VBE_DISPI_INDEX_Y_OFFSET] = 0;
    r[VBE_DISPI_INDEX_ENABLE] = val;
    vbe_update_geometry(s);
    if ((uint64_t)s->vbe_line_offset * r[VBE_DISPI_INDEX_YRES] >
        s->vram_size) {
        emu_log_mask(LOG_GUEST_ERROR, "vga: VBE mode %ux%ux%u does not fit "
                     "in video memory\n", r[VBE_DISPI_INDEX_XRES],
                     r[VBE_DISPI_INDEX_YRES], bpp);
        r[VBE_DISPI_INDEX_YRES] = s->vbe_line_offset ?
                                  s->vram_size / s->vbe_line_offset : 0;
    }
    if (!(val & VBE_DISPI_NOCLEARMEM)) {
        memset(s->vram_ptr, 0,
               MIN((uint64_t)s->vbe_line_offset * r[VBE_DISPI_INDEX_YRES],
                   s->vram_size));
    }
    s->bank_offset = 0;
    s->gr[GR_MISC] = (s->gr[GR_MISC] & ~0x0c) | 0x04 | GR06_GRAPHICS;
    s->cr[CR_MODE] |= 3;         /* no CGA/Hercules address mapping */
    s->cr[CR_OFFSET] = s->vbe_line_offset >> 3;
    s->cr[CR_H_DISP] = (r[VBE_DISPI_INDEX_XRES] >> 3) - 1;
    s->cr[CR_V_DISP_END] = r[VBE_DISPI_INDEX_YRES] - 1;
    s->cr[CR_OVERFLOW] = (s->cr[CR_OVERFLOW] & ~0x42) |
                         (((r[VBE_DISPI_INDEX_YRES] - 1) >> 7) & 2) |
                         (((r[VBE_DISPI_INDEX_YRES] - 1) >> 3) & 0x40);
    s->cr[CR_LINE_COMPARE] = 0xff;
    s->cr[CR_OVERFLOW] |= 0x10;
    s->cr[CR_MAX_SCAN] |= 0x40;
    if (bpp == 4) {
        shift_control = 0;
        s->sr[SR_CLOCK_MODE] &= ~SR01_DOT_CLOCK_2;
    } else {
        shift_control = 2;
        s->sr[SR_MEMORY_MODE] |= SR04_CHAIN4;
        s->sr[SR_PLANE_WRITE] |= 0x0f;
    }
    s->gr[GR_MODE] = (s->gr[GR_MODE] & ~0x60) | (shift_control << 5);
    s->cr[CR_MAX_SCAN] &= ~0x9f;   /* one scan line per row, no doubling */
}

uint16_t vbe_read_reg(VGAState *s, unsigned index)
{
    uint16_t *r = s->vbe_regs;

    if (index >= VBE_DISPI_INDEX_NB) {
        return 0;
    }
    if (r[VBE_DISPI_INDEX_ENABLE] & VBE_DISPI_GETCAPS) {
        /* The capabilities: the largest mode the card takes. */
        switch (index) {
        case VBE_DISPI_INDEX_XRES:
            return VBE_DISPI_MAX_XRES;
        case VBE_DISPI_INDEX_YRES:
            return VBE_DISPI_MAX_YRES;
        case VBE_DISPI_INDEX_BPP:
            return VBE_DISPI_MAX_BPP;
        }
    }
    if (index == VBE_DISPI_INDEX_VIDEO_MEMORY_64K) {
        return s->vram_size >> 16;
    }
    return r[index];
}

void vbe_write_reg(VGAState *s, unsigned index, uint16_t val)
{
    uint16_t *r = s->vbe_regs;

    switch (index) {
    case VBE_DISPI_INDEX_ID:
        if (val >= VBE_DISPI_ID0 && val <= VBE_DISPI_ID5) {
            r[index] = val;
        }
        break;
    case VBE_DISPI_INDEX_XRES:
        if (val && val <= VBE_DISPI_MAX_XRES && !(val & 7)) {
            r[index] = val;
        }
        break;
    case VBE_DISPI_INDEX_YRES:
        if (val && val <= VBE_DISPI_MAX_YRES) {
            r[index] = val;
        }
        break;
    case VBE_DISPI_INDEX_BPP:
        val = val ? val : 8;
        if (val == 4 || val == 8 || val == 15 || val == 16 || val == 24 ||
            val == 32) {
            r[index] = val;
        }
        break;
    case VBE_DISPI_INDEX_BANK:
        val &= (s->vram_size >> 16) - 1;
        r[index] = val;
        s->bank_offset = (uint32_t)val << 16;
        break;
    case VBE_DISPI_INDEX_ENABLE:
        if ((val & VBE_DISPI_ENABLED) && !vbe_enabled(s)) {
            vbe_enable(s, val);
        } else {
            if (!(val & VBE_DISPI_ENABLED)) {
                s->bank_offset = 0;
            }
            r[index] = val;
        }
        break;
    case VBE_DISPI_INDEX_VIRT_WIDTH:
    case VBE_DISPI_INDEX_X_OFFSET:
    case VBE_DISPI_INDEX_Y_OFFSET:
        r[index] = val;
        vbe_update_geometry(s);
        break;
    default:
        break;                   /* VIRT_HEIGHT and memory size: read-only */
    }
}

static uint64_t vbe_port_read(void *opaque, hwaddr addr, unsigned size)
{
    VGAState *s = opaque;

    return addr == 0 ? s->vbe_index : vbe_read_reg(s, s->vbe_index);
}

static void vbe_port_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    VGAState *s = opaque;

    if (addr == 0) {
        s->vbe_index = val;
    } else {
        vbe_write_reg(s, s->vbe_index, val);
    }
}

/* Index at 0x1ce, data at 0x1cf, both 16-bit ports. */
static const MemoryRegionOps vbe_port_ops = {
    .read = vbe_port_read,
    .write = vbe_port_write,
    .endianness = MEMORY_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 2,
               .unaligned = true },
    .impl = { .min_access_size = 2, .max_access_size = 2 },
};

/* ---- rendering ---- */

/* A 6-bit DAC value as 8 bits, the way QEMU's stdvga scales it. */
static uint8_t dac_to_8bit(VGAState *s, uint8_t v)
{
    if (s->vbe_regs[VBE_DISPI_INDEX_ENABLE] & VBE_DISPI_8BIT_DAC) {
        return v;
    }
    v &= 0x3f;
    return (v << 2) | ((v & 1) << 1) | (v & 1);
}

static uint32_t dac_color(VGAState *s, unsigned index)
{
    const uint8_t *p = &s->palette[(index & 0xff) * 3];

    return dac_to_8bit(s, p[0]) << 16 | dac_to_8bit(s, p[1]) << 8 |
           dac_to_8bit(s, p[2]);
}

/* The 16 colours of text and planar modes: attribute palette, colour
 * select bits, then the DAC. */
static void vga_palette16(VGAState *s, uint32_t colors[16])
{
    for (int i = 0; i < 16; i++) {
        unsigned v = s->ar[i];

        if (s->ar[AR_MODE] & AR10_P54S) {
            v = ((s->ar[AR_COLOR_SELECT] & 0xf) << 4) | (v & 0xf);
        } else {
            v = ((s->ar[AR_COLOR_SELECT] & 0xc) << 4) | (v & 0x3f);
        }
        colors[i] = dac_color(s, v);
    }
}

static unsigned vga_vertical_display_end(VGAState *s)
{
    return (s->cr[CR_V_DISP_END] | ((s->cr[CR_OVERFLOW] & 0x02) << 7) |
            ((s->cr[CR_OVERFLOW] & 0x40) << 3)) + 1;
}

static unsigned vga_line_compare(VGAState *s)
{
    return s->cr[CR_LINE_COMPARE] | ((s->cr[CR_OVERFLOW] & 0x10) << 4) |
           ((s->cr[CR_MAX_SCAN] & 0x40) << 3);
}

static uint32_t vga_start_addr(VGAState *s)
{
    return s->cr[CR_START_HI] << 8 | s->cr[CR_START_LO];
}

/* The cursor and blinking text alternate every half period. */
static void vga_update_blink(VGAState *s)
{
    int64_t now = g_get_monotonic_time() / 1000;

    if (now >= s->blink_time_ms) {
        s->blink_time_ms = now + VGA_BLINK_HALF_PERIOD_MS;
        s->blink_on = !s->blink_on;
    }
}

/* Where the text of a text mode is: the CRTC's geometry, start
 * address and cursor. */
typedef struct VGATextLayout {
    unsigned cheight;            /* scan lines a character */
    unsigned cols, rows;
    uint32_t line_offset;        /* cells from one row to the next */
    uint32_t start;              /* cell of the top left corner */
    uint32_t cursor;             /* cell of the cursor */
} VGATextLayout;

static void vga_text_layout(VGAState *s, VGATextLayout *t)
{
    t->cheight = (s->cr[CR_MAX_SCAN] & 0x1f) + 1;
    t->cols = s->cr[CR_H_DISP] + 1;
    t->rows = MAX(vga_vertical_display_end(s) / t->cheight, 1);
    t->line_offset = s->cr[CR_OFFSET] * 2;
    t->start = vga_start_addr(s);
    t->cursor = s->cr[CR_CURSOR_HI] << 8 | s->cr[CR_CURSOR_LO];
}

/* The byte offset in video memory of a text cell (plane 0: the
 * character; plane 1, the next byte: its attribute). */
static uint32_t vga_text_cell_addr(VGAState *s, uint32_t cell)
{
    return (cell * 4) & (s->vram_size - 1);
}

static void vga_draw_text(VGAState *s)
{
    VGATextLayout t;
    unsigned cw = s->sr[SR_CLOCK_MODE] & SR01_8DOT ? 8 : 9;
    unsigned cwidth = s->sr[SR_CLOCK_MODE] & SR01_DOT_CLOCK_2 ? cw * 2 : cw;
    unsigned cursor_first = s->cr[CR_CURSOR_START] & 0x1f;
    unsigned cursor_last;
    bool blink = s->ar[AR_MODE] & AR10_BLINK;
    uint32_t font_base[2];
    uint32_t colors[16];
    pixman_image_t *img;

    vga_text_layout(s, &t);
    cursor_last = MIN(s->cr[CR_CURSOR_END] & 0x1f, t.cheight - 1);
    img = console_resize(s->con, t.cols * cwidth, t.rows * t.cheight);
    vga_palette16(s, colors);
    vga_update_blink(s);
    /* SR03: map B (bits 0, 1, 4) for attribute bit 3 clear, map A
     * (bits 2, 3, 5) for it set; 8 KiB apart in plane 2, interleaved. */
    for (int m = 0; m < 2; m++) {
        unsigned v = m ? ((s->sr[SR_CHAR_MAP] >> 2) & 3) |
                         ((s->sr[SR_CHAR_MAP] >> 3) & 4)
                       : (s->sr[SR_CHAR_MAP] & 3) |
                         ((s->sr[SR_CHAR_MAP] >> 2) & 4);

        font_base[m] = (((v & 3) << 1) | (v >> 2)) * 0x2000;
    }
    for (unsigned row = 0; row < t.rows; row++) {
        for (unsigned col = 0; col < t.cols; col++) {
            uint32_t cell = t.start + row * t.line_offset + col;
            uint32_t a = vga_text_cell_addr(s, cell);
            uint8_t ch = s->vram_ptr[a];
            uint8_t attr = s->vram_ptr[a + 1];
            uint32_t fg = colors[attr & 0xf];
            uint32_t bg = colors[blink ? (attr >> 4) & 7 : attr >> 4];
            uint32_t glyph = font_base[(attr >> 3) & 1] + ch * 32;
            bool dup9 = cw == 9 && ch >= 0xc0 && ch <= 0xdf &&
                        (s->ar[AR_MODE] & AR10_LINE_GRAPHICS);
            bool hide = blink && (attr & 0x80) && !s->blink_on;
            bool is_cursor = cell == t.cursor &&
                             !(s->cr[CR_CURSOR_START] & CR0A_CURSOR_OFF) &&
                             s->blink_on;

            for (unsigned y = 0; y < t.cheight; y++) {
                uint32_t *out = surface_row(img, row * t.cheight + y) +
                                col * cwidth;
                unsigned bits = s->vram_ptr[((glyph + y) * 4 + 2) &
                                            (s->vram_size - 1)];

                if (hide) {
                    bits = 0;
                }
                bits <<= 1;
                if (dup9) {
                    bits |= (bits >> 1) & 1;
                }
                if (is_cursor && y >= cursor_first && y <= cursor_last) {
                    bits = 0x1ff;
                }
                for (unsigned x = 0; x < cw; x++) {
                    uint32_t c = (bits >> (8 - x)) & 1 ? fg : bg;

                    if (cwidth == cw) {
                        out[x] = c;
                    } else {
                        out[2 * x] = out[2 * x + 1] = c;
                    }
                }
            }
        }
    }
}

/* One scan line of a 16-colour planar mode (each pixel doubled when
 * dbl), from planar address addr. */
static void vga_line_planar16(VGAState *s, uint32_t *out, uint32_t addr,
                              unsigned width, bool dbl,
                              const uint32_t colors[16])
{
    uint32_t enable = plane_mask(s->ar[AR_PLANE_ENABLE] & 0xf);
    unsigned step = dbl ? 16 : 8;

    for (unsigned x = 0; x + step <= width; x += step, addr++) {
        uint32_t data = *vram_word(s, addr & (s->vram_size / 4 - 1)) & enable;

        for (int bit = 7; bit >= 0; bit--) {
            unsigned c = ((data >> bit) & 1) | ((data >> (bit + 7)) & 2) |
                         ((data >> (bit + 14)) & 4) |
                         ((data >> (bit + 21)) & 8);

            if (dbl) {
                *out++ = colors[c];
            }
            *out++ = colors[c];
        }
    }
}

/* CGA 4-colour modes: planes 0/2 then 1/3 give 2-bit pixels. */
static void vga_line_cga4(VGAState *s, uint32_t *out, uint32_t addr,
                          unsigned width, bool dbl, const uint32_t colors[16])
{
    uint32_t enable = plane_mask(s->ar[AR_PLANE_ENABLE] & 0xf);
    unsigned step = dbl ? 16 : 8;

    for (unsigned x = 0; x + step <= width; x += step, addr++) {
        uint32_t data = *vram_word(s, addr & (s->vram_size / 4 - 1)) & enable;

        for (int half = 0; half < 2; half++) {
            uint8_t lo = data >> (half * 8);
            uint8_t hi = data >> (16 + half * 8);

            for (int p = 3; p >= 0; p--) {
                unsigned c = ((lo >> (2 * p)) & 3) | (((hi >> (2 * p)) & 3)
                                                      << 2);

                if (dbl) {
                    *out++ = colors[c];
                }
                *out++ = colors[c];
            }
        }
    }
}

/* A line of VBE direct colour or 256-colour pixels at byte addr. */
static void vga_line_linear(VGAState *s, uint32_t *out, uint32_t addr,
                            unsigned width, unsigned bpp, bool dbl,
                            const uint32_t *palette)
{
    unsigned bytes = (bpp + 7) / 8;
    unsigned pixels = dbl ? width / 2 : width;

    if ((uint64_t)addr + (uint64_t)pixels * bytes > s->vram_size) {
        memset(out, 0, width * 4);
        return;
    }
    for (unsigned x = 0; x < pixels; x++) {
        const uint8_t *p = s->vram_ptr + addr + x * bytes;
        uint32_t c;
        uint16_t v;

        switch (bpp) {
        case 8:
            c = palette[p[0]];
            break;
        case 15:
            v = p[0] | p[1] << 8;
            c = ((v >> 7) & 0xf8) << 16 | ((v >> 2) & 0xf8) << 8 |
                ((v << 3) & 0xf8);
            break;
        case 16:
            c = rgb565_to_pixel(p[0] | p[1] << 8);
            break;
        default:                 /* 24 and 32: blue, green, red */
            c = p[2] << 16 | p[1] << 8 | p[0];
            break;
        }
        if (dbl) {
            *out++ = c;
        }
        *out++ = c;
    }
}

static void vga_draw_graphics(VGAState *s)
{
    unsigned shift_control = (s->gr[GR_MODE] >> 5) & 3;
    bool vbe = vbe_enabled(s);
    unsigned bpp = vbe ? s->vbe_regs[VBE_DISPI_INDEX_BPP] : 0;
    unsigned width, height, scan_repeat, line_compare;
    uint32_t addr, line_offset, colors[16], palette[256];
    bool dbl = s->sr[SR_CLOCK_MODE] & SR01_DOT_CLOCK_2;
    pixman_image_t *img;

    if (vbe) {
        width = s->vbe_regs[VBE_DISPI_INDEX_XRES];
        height = s->vbe_regs[VBE_DISPI_INDEX_YRES];
        dbl = false;
    } else {
        width = (s->cr[CR_H_DISP] + 1) * 8;
        height = vga_vertical_display_end(s);
        /* 256 colours take two dot clocks a pixel (mode 13h is 320
         * pixels in a 640-dot line): shown doubled. */
        if (shift_control >= 2) {
            dbl = true;
        } else if (dbl) {
            width *= 2;
        }
    }
    if (!width || !height) {
        return;
    }
    img = console_resize(s->con, width, height);
    vga_palette16(s, colors);
    for (int i = 0; i < 256; i++) {
        palette[i] = dac_color(s, i);
    }
    if (vbe && bpp > 4) {
        addr = s->vbe_start_addr;
        for (unsigned y = 0; y < height; y++, addr += s->vbe_line_offset) {
            vga_line_linear(s, surface_row(img, y), addr, width, bpp, false,
                            palette);
        }
        return;
    }
    /* The CRTC's addressing: start address and offset in planar words
     * (bytes in chain-4), rows repeated per the maximum scan line and
     * double scanning, the split screen at the line compare. */
    line_offset = s->cr[CR_OFFSET] * 2;
    addr = vga_start_addr(s);
    scan_repeat = shift_control == 1
                  ? (s->cr[CR_MAX_SCAN] >> 7) + 1
                  : ((s->cr[CR_MAX_SCAN] & 0x1f) + 1) <<
                    (s->cr[CR_MAX_SCAN] >> 7);
    line_compare = vga_line_compare(s);
    for (unsigned y = 0, scan = 0, row = 0; y < height; y++) {
        uint32_t *out = surface_row(img, y);
        uint32_t a = addr;

        if (y == line_compare) {
            addr = 0;
            a = 0;
            row = 0;
            scan = 0;
        }
        /* CGA compatibility: odd rows from the second 8 KiB bank, and
         * Hercules' four banks. */
        if (!(s->cr[CR_MODE] & 1)) {
            a = (a & ~0x2000) | ((row & 1) << 13);
        }
        if (!(s->cr[CR_MODE] & 2)) {
            a = (a & ~0x4000) | ((row & 2) << 13);
        }
        if (shift_control >= 2) {
            vga_line_linear(s, out, (a * 4) & (s->vram_size - 1), width, 8,
                            true, palette);
        } else if (shift_control == 1) {
            vga_line_cga4(s, out, a, width, dbl, colors);
        } else {
            vga_line_planar16(s, out, a, width, dbl, colors);
        }
        if (++scan == scan_repeat) {
            scan = 0;
            row++;
            addr += line_offset;
        }
    }
}

/* Off while the attribute controller's palette is being loaded (PAS
 * clear) or the sequencer blanks the screen, as during mode switches. */
static bool vga_video_off(VGAState *s)
{
    return !(s->ar_index & AR_INDEX_PAS) ||
           (s->sr[SR_CLOCK_MODE] & SR01_SCREEN_OFF);
}

static bool vga_shows_graphics(VGAState *s)
{
    return vbe_enabled(s) || (s->gr[GR_MISC] & GR06_GRAPHICS);
}

static void vga_gfx_update(void *opaque)
{
    VGAState *s = opaque;
    pixman_image_t *img;

    if (vga_video_off(s)) {
        /* Video off (mode switch in progress): a black picture the
         * size of the last one. */
        img = console_surface(s->con);
        if (!img) {
            img = console_resize(s->con, 640, 480);
        }
        memset(pixman_image_get_data(img), 0,
               (size_t)pixman_image_get_stride(img) *
               pixman_image_get_height(img));
        return;
    }
    if (vga_shows_graphics(s)) {
        vga_draw_graphics(s);
    } else {
        vga_draw_text(s);
    }
}

/* Text front ends: the cells of a text mode, while the video is on. */
static bool vga_text_update(void *opaque, TextScreen *screen)
{
    VGAState *s = opaque;
    VGATextLayout t;

    if (vga_video_off(s) || vga_shows_graphics(s)) {
        return false;
    }
    vga_text_layout(s, &t);
    screen->cols = t.cols;
    screen->rows = t.rows;
    screen->cells = g_new(uint16_t, t.cols * t.rows);
    screen->cursor_col = screen->cursor_row = -1;
    for (unsigned row = 0; row < t.rows; row++) {
        for (unsigned col = 0; col < t.cols; col++) {
            uint32_t cell = t.start + row * t.line_offset + col;
            uint32_t a = vga_text_cell_addr(s, cell);

            screen->cells[row * t.cols + col] =
                s->vram_ptr[a] | s->vram_ptr[a + 1] << 8;
            if (cell == t.cursor &&
                !(s->cr[CR_CURSOR_START] & CR0A_CURSOR_OFF)) {
                screen->cursor_col = col;
                screen->cursor_row = row;
            }
        }
    }
    return true;
}

static const GraphicHwOps vga_gfx_ops = {
    .gfx_update = vga_gfx_update,
    .text_update = vga_text_update,
};

/* ---- life cycle ---- */

bool vga_common_init(VGAState *s, Object *owner, uint32_t vram_mb,
                     Error **errp)
{
    if (vram_mb < 1 || vram_mb > 256 || (vram_mb & (vram_mb - 1))) {
        error_setg(errp, "vgamem_mb must be a power of two from 1 to 256 "
                   "(got %u)", vram_mb);
        return false;
    }
    s->owner = owner;
    s->vram_size = vram_mb << 20;
    if (!memory_region_init_ram(&s->vram, owner, "vga.vram", s->vram_size,
                                errp)) {
        return false;
    }
    s->vram_ptr = memory_region_get_ram_ptr(&s->vram);
    memory_region_init_io(&s->window, owner, &vga_window_ops, s, "vga-lowmem",
                          VGA_WINDOW_SIZE);
    memory_region_init_io(&s->ioports, owner, &vga_ioport_ops, s, "vga",
                          VGA_IOPORT_SIZE);
    /* 0x1ce-0x1d0: a 16-bit access at 0x1cf covers 0x1d0. */
    memory_region_init_io(&s->vbe_ports, owner, &vbe_port_ops, s, "vbe", 3);
    return true;
}

void vga_console_init(VGAState *s, DeviceState *dev)
{
    s->con = graphic_console_init(dev, &vga_gfx_ops, s);
}

void vga_common_destroy(VGAState *s)
{
    if (s->con) {
        graphic_console_close(s->con);
        s->con = NULL;
    }
    memory_region_destroy(&s->vbe_ports);
    memory_region_destroy(&s->ioports);
    memory_region_destroy(&s->window);
    memory_region_destroy(&s->vram);
}

void vga_common_reset(VGAState *s)
{
    s->misc_output = 0;
    s->sr_index = s->gr_index = s->ar_index = s->cr_index = 0;
    memset(s->sr, 0, sizeof(s->sr));
    memset(s->gr, 0, sizeof(s->gr));
    memset(s->ar, 0, sizeof(s->ar));
    memset(s->cr, 0, sizeof(s->cr));
    s->ar_flip_flop = false;
    s->st01 = 0;
    s->feature_control = 0;
    s->latch = 0;
    s->dac_state = 0;
    s->dac_read_index = s->dac_write_index = s->dac_sub_index = 0;
    s->dac_pel_mask = 0xff;
    memset(s->palette, 0, sizeof(s->palette));
    s->vbe_index = 0;
    memset(s->vbe_regs, 0, sizeof(s->vbe_regs));
    s->vbe_regs[VBE_DISPI_INDEX_ID] = VBE_DISPI_ID5;
    s->vbe_regs[VBE_DISPI_INDEX_XRES] = 640;
    s->vbe_regs[VBE_DISPI_INDEX_YRES] = 480;
    s->vbe_regs[VBE_DISPI_INDEX_BPP] = 8;
    s->vbe_start_addr = s->vbe_line_offset = 0;
    s->bank_offset = 0;
}
