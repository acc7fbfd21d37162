/*
 * Graphic consoles: the surfaces devices draw into, found by index or
 * by device id (screendump's "device" argument), and the -display front
 * ends that show them (see include/ui/console.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "ui/console.h"

struct DisplayConsole {
    DeviceState *dev;
    const GraphicHwOps *ops;
    void *opaque;
    pixman_image_t *surface;
};

/* DisplayConsole *, in creation order. */
static GPtrArray *consoles;

DisplayConsole *graphic_console_init(DeviceState *dev,
                                     const GraphicHwOps *ops, void *opaque)
{
    DisplayConsole *con = g_new0(DisplayConsole, 1);

    con->dev = dev;
    con->ops = ops;
    con->opaque = opaque;
    if (!consoles) {
        consoles = g_ptr_array_new();
    }
    g_ptr_array_add(consoles, con);
    return con;
}

void graphic_console_close(DisplayConsole *con)
{
    g_ptr_array_remove(consoles, con);
    if (con->surface) {
        pixman_image_unref(con->surface);
    }
    g_free(con);
}

pixman_image_t *console_resize(DisplayConsole *con, int width, int height)
{
    if (con->surface && pixman_image_get_width(con->surface) == width &&
        pixman_image_get_height(con->surface) == height) {
        return con->surface;
    }
    if (con->surface) {
        pixman_image_unref(con->surface);
    }
    /* pixman allocates and clears the pixels itself (bits = NULL). */
    con->surface = pixman_image_create_bits(PIXMAN_x8r8g8b8, width, height,
                                            NULL, width * 4);
    return con->surface;
}

pixman_image_t *console_surface(DisplayConsole *con)
{
    return con->surface;
}

void console_update(DisplayConsole *con)
{
    con->ops->gfx_update(con->opaque);
}

bool console_text(DisplayConsole *con, TextScreen *screen)
{
    return con->ops->text_update && con->ops->text_update(con->opaque, screen);
}

DisplayConsole *console_by_index(int index)
{
    if (!consoles || index < 0 || (guint)index >= consoles->len) {
        return NULL;
    }
    return g_ptr_array_index(consoles, index);
}

DisplayConsole *console_by_device(const char *dev_id, int head, Error **errp)
{
    for (guint i = 0; consoles && i < consoles->len; i++) {
        DisplayConsole *con = g_ptr_array_index(consoles, i);

        if (con->dev->id && !strcmp(con->dev->id, dev_id)) {
            if (head != 0) {
                error_setg(errp, "Device '%s' (head %d) is not a graphic "
                           "console", dev_id, head);
                return NULL;
            }
            return con;
        }
    }
    error_setg(errp, "Device '%s' not found", dev_id);
    return NULL;
}

DeviceState *console_device(DisplayConsole *con)
{
    return con->dev;
}

/* ---- front ends ---- */

static GPtrArray *backends;

void display_backend_register(const DisplayBackend *backend)
{
    if (!backends) {
        backends = g_ptr_array_new();
    }
    g_ptr_array_add(backends, (gpointer)backend);
}

static const DisplayBackend *display_backend_find(const char *name)
{
    for (guint i = 0; backends && i < backends->len; i++) {
        const DisplayBackend *b = g_ptr_array_index(backends, i);

        if (!strcmp(b->name, name)) {
            return b;
        }
    }
    return NULL;
}

void display_print_help(FILE *out)
{
    fprintf(out, "Available display backend types:\nnone\n");
    for (guint i = 0; backends && i < backends->len; i++) {
        fprintf(out, "%s\n", ((DisplayBackend *)g_ptr_array_index(backends,
                                                                  i))->name);
    }
}

bool display_init(const char *name, Error **errp)
{
    const DisplayBackend *backend;

    if (!name) {
        /* As QEMU: a window when the host has a display and the machine
         * something to show in it; without one the machine runs on. */
        Error *err = NULL;

        backend = display_backend_find("sdl");
        if (!backend || !consoles || !consoles->len ||
            (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"))) {
            return true;
        }
        if (!backend->init(&err)) {
            warn_report_err(err);
        }
        return true;
    }
    if (!strcmp(name, "none")) {
        return true;
    }
    backend = display_backend_find(name);
    if (!backend) {
        /* QEMU's words: a front end it knows but emu lacks, or a name
         * that is no front end at all. */
        static const char *const qemu_displays[] = {
            "sdl", "gtk", "curses", "vnc", "egl-headless", "spice-app",
            "cocoa", "dbus",
        };

        for (size_t i = 0; i < ARRAY_SIZE(qemu_displays); i++) {
            if (!strcmp(qemu_displays[i], name)) {
                error_setg(errp, "display '%s' is not available", name);
                return false;
            }
        }
        error_setg(errp, "Parameter 'type' does not accept value '%s'", name);
        return false;
    }
    return backend->init(errp);
}
