/*
 * The frontend side of a character device: attaching, handlers,
 * writes, focus.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "chardev-internal.h"

static void (*quit_handler)(void);

void chardev_set_quit_handler(void (*fn)(void))
{
    quit_handler = fn;
}

/* Called by the mux for Ctrl-A x. */
void chardev_request_quit(void)
{
    if (quit_handler) {
        quit_handler();
    } else {
        exit(0);
    }
}

bool chr_fe_init(CharBackend *be, Chardev *chr, Error **errp)
{
    *be = (CharBackend) { .mux_tag = -1 };
    if (!chr) {
        return true;
    }
    if (chr->drv->fe_attach) {
        if (!chr->drv->fe_attach(chr, be, errp)) {
            return false;
        }
    } else if (chr->be) {
        error_setg(errp, "Device '%s' is in use", chr->label);
        return false;
    } else {
        chr->be = be;
    }
    be->chr = chr;
    return true;
}

void chr_fe_deinit(CharBackend *be)
{
    Chardev *chr = be->chr;

    if (chr) {
        if (chr->drv->fe_detach) {
            chr->drv->fe_detach(chr, be);
        } else if (chr->be == be) {
            chr->be = NULL;
        }
    }
    *be = (CharBackend) { .mux_tag = -1 };
}

void chr_fe_set_handlers(CharBackend *be, ChrCanReadHandler can_read,
                         ChrReadHandler read, ChrEventHandler event,
                         void *opaque)
{
    Chardev *chr = be->chr;

    be->can_read = can_read;
    be->read = read;
    be->event = event;
    be->opaque = opaque;
    if (!chr) {
        return;
    }
    if (chr->drv->fe_handlers_set) {
        chr->drv->fe_handlers_set(chr, be);
    } else if (chr->be_open) {
        /* Attaching to a live backend: the frontend missed OPENED. */
        chr_fe_send_event(be, CHR_EVENT_OPENED);
    }
    /* The input watches re-ask can_read when the loop next prepares. */
    g_main_context_wakeup(NULL);
}

int chr_fe_write(CharBackend *be, const uint8_t *buf, int len)
{
    return be->chr ? chr_write(be->chr, buf, len, false) : 0;
}

int chr_fe_write_all(CharBackend *be, const uint8_t *buf, int len)
{
    return be->chr ? chr_write(be->chr, buf, len, true) : 0;
}

void chr_fe_printf(CharBackend *be, const char *fmt, ...)
{
    g_autofree char *text = NULL;
    va_list ap;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    chr_fe_write_all(be, (const uint8_t *)text, strlen(text));
}

void chr_fe_accept_input(CharBackend *be)
{
    Chardev *chr = be->chr;

    if (chr && chr->drv->fe_accept_input) {
        chr->drv->fe_accept_input(chr, be);
    }
    /* May come from a vCPU thread while the loop sleeps in poll()
     * without the fd the frontend now wants read. */
    g_main_context_wakeup(NULL);
}

void chr_fe_take_focus(CharBackend *be)
{
    Chardev *chr = be->chr;

    if (chr && chr->drv->fe_take_focus) {
        chr->drv->fe_take_focus(chr, be);
    }
}

bool chr_fe_has_focus(CharBackend *be)
{
    Chardev *chr = be->chr;

    return !chr || !chr->drv->fe_has_focus || chr->drv->fe_has_focus(chr, be);
}

bool chr_fe_is_connected(CharBackend *be)
{
    return be->chr && be->chr->be_open;
}

bool chr_fe_backend_connected(CharBackend *be)
{
    return be->chr != NULL;
}

bool chr_fe_is_terminal(CharBackend *be)
{
    Chardev *chr = be->chr;

    return chr && chr->drv->is_terminal && chr->drv->is_terminal(chr);
}
