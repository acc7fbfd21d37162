/*
 * The display layer.  A graphics device (the VGA, an LCD controller)
 * owns a console: a pixman image in x8r8g8b8 that the device redraws
 * from its video memory when asked (the gfx_update hook).  Whoever shows
 * or saves the picture asks: the SDL window on its refresh timer,
 * screendump when the command comes.  -display none has no timer, so an
 * idle guest costs nothing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef UI_CONSOLE_H
#define UI_CONSOLE_H

#include <pixman.h>
#include "hw/qdev.h"

typedef struct DisplayConsole DisplayConsole;

/* A text screen as a text front end shows it (-display curses): cols x
 * rows cells, each a character of the PC's code page 437 in the low
 * byte and its VGA attribute (foreground in bits 0-3, background in
 * 4-6, blink or bright background in 7) in the high byte. */
typedef struct TextScreen {
    unsigned cols, rows;
    uint16_t *cells;             /* g_malloc'd; the caller frees */
    int cursor_col, cursor_row;  /* -1 when the cursor is off */
} TextScreen;

typedef struct GraphicHwOps {
    /* Redraws the console's surface (console_resize first when the mode
     * changed) from the device's memory and registers. */
    void (*gfx_update)(void *opaque);
    /* Fills screen when the device shows text; false in a graphics
     * mode (NULL for devices without text modes). */
    bool (*text_update)(void *opaque, TextScreen *screen);
} GraphicHwOps;

/* A console for dev, numbered in creation order (console 0 is the one
 * screendump and the window show by default). */
DisplayConsole *graphic_console_init(DeviceState *dev,
                                     const GraphicHwOps *ops, void *opaque);
void graphic_console_close(DisplayConsole *con);

/* The surface at width x height, a new image when the size changed
 * (black until drawn). */
pixman_image_t *console_resize(DisplayConsole *con, int width, int height);
/* The current surface; NULL before the device first drew. */
pixman_image_t *console_surface(DisplayConsole *con);
/* Asks the device for an up-to-date picture. */
void console_update(DisplayConsole *con);
/* The device's text screen; false when it shows graphics (see
 * TextScreen). */
bool console_text(DisplayConsole *con, TextScreen *screen);

/* The nth console (0 first), NULL when there is none. */
DisplayConsole *console_by_index(int index);
/* The console of the device whose id is dev_id, head 0 only. */
DisplayConsole *console_by_device(const char *dev_id, int head, Error **errp);
DeviceState *console_device(DisplayConsole *con);

/* The bytes of a surface row and its stride, for readers of the image. */
static inline uint32_t *surface_row(pixman_image_t *image, int y)
{
    return (uint32_t *)((uint8_t *)pixman_image_get_data(image) +
                        (size_t)y * pixman_image_get_stride(image));
}

/* An RGB 5:6:5 pixel as the surfaces' x8r8g8b8, each component widened
 * to 8 bits by a shift, as QEMU does (VBE 16 bpp, the PXA LCD). */
static inline uint32_t rgb565_to_pixel(uint16_t v)
{
    return (uint32_t)(v >> 11) << 19 | (uint32_t)((v >> 5) & 0x3f) << 10 |
           (uint32_t)(v & 0x1f) << 3;
}

/* Writes con's current picture to filename as PPM (P6, QEMU's layout)
 * or PNG (8-bit RGB). */
typedef enum ScreendumpFormat {
    SCREENDUMP_PPM,
    SCREENDUMP_PNG,
} ScreendumpFormat;
bool screendump_save(DisplayConsole *con, const char *filename,
                     ScreendumpFormat format, Error **errp);

/* ---- front ends (-display) ---- */

typedef struct DisplayBackend {
    const char *name;            /* "sdl" */
    /* Opens the front end for the machine; false (with errp) when it
     * cannot (no X display). */
    bool (*init)(Error **errp);
} DisplayBackend;

void display_backend_register(const DisplayBackend *backend);
/* -display NAME (NULL: the default, a window when one can be opened).
 * "none" and "help" are handled here. */
bool display_init(const char *name, Error **errp);
/* "-display help": the front ends built in. */
void display_print_help(FILE *out);

#endif
