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

typedef struct GraphicHwOps {
    /* Redraws the console's surface (console_resize first when the mode
     * changed) from the device's memory and registers. */
    void (*gfx_update)(void *opaque);
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
