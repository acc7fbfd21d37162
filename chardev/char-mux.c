/*
 * The mux: up to four frontends (a serial port, the monitor) share one
 * backend.  Output from every frontend goes out; input goes to the one
 * with the focus.  Ctrl-A starts a command, as in QEMU:
 *
 *   C-a h  help          C-a x  quit         C-a c  next frontend
 *   C-a b  send break    C-a t  timestamps   C-a C-a  a literal C-a
 *
 * Input the focused frontend cannot take yet waits in a small buffer
 * per frontend until chr_fe_accept_input.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "chardev-internal.h"

#define MUX_MAX_FRONTENDS 4
#define MUX_BUFFER_SIZE 32
#define MUX_ESCAPE 0x01          /* Ctrl-A */

typedef struct MuxInput {
    uint8_t buf[MUX_BUFFER_SIZE];
    int len;
} MuxInput;

typedef struct MuxChardev {
    Chardev parent;
    Chardev *base;
    CharBackend base_be;             /* the mux is the base's frontend */
    CharBackend *fes[MUX_MAX_FRONTENDS];
    MuxInput input[MUX_MAX_FRONTENDS];
    int focus;                       /* index in fes; -1 with none */
    bool escape_pending;
    bool flushing;                   /* a frontend's read is running */
    /* Output state, under parent.lock: writers are on any thread. */
    bool timestamps;
    bool line_start;
    int64_t timestamps_start_ms;     /* -1 until the first stamp */
} MuxChardev;

static MuxChardev *mux_chardev(Chardev *chr)
{
    return container_of(chr, MuxChardev, parent);
}

/* ---- output ---- */

static int mux_write_stamp(MuxChardev *m)
{
    int64_t now = g_get_monotonic_time() / 1000;
    int64_t ms, secs;
    char stamp[48];

    if (m->timestamps_start_ms < 0) {
        m->timestamps_start_ms = now;
    }
    ms = now - m->timestamps_start_ms;
    secs = ms / 1000;
    snprintf(stamp, sizeof(stamp), "[%02d:%02d:%02d.%03d] ",
             (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
             (int)(ms % 1000));
    return chr_write(m->base, (const uint8_t *)stamp, strlen(stamp), true);
}

static int mux_write(Chardev *chr, const uint8_t *buf, int len, bool all)
{
    MuxChardev *m = mux_chardev(chr);
    int ret = len;

    g_mutex_lock(&chr->lock);
    if (!m->timestamps) {
        ret = chr_write(m->base, buf, len, all);
    } else {
        /* Stamp each line as its first byte goes out. */
        for (int i = 0; i < len;) {
            const uint8_t *nl = memchr(buf + i, '\n', len - i);
            int end = nl ? (int)(nl - buf) + 1 : len;

            if (m->line_start && mux_write_stamp(m) < 0) {
                ret = -1;
                break;
            }
            m->line_start = nl != NULL;
            if (chr_write(m->base, buf + i, end - i, all) < 0) {
                ret = -1;
                break;
            }
            i = end;
        }
    }
    g_mutex_unlock(&chr->lock);
    return ret;
}

static void mux_print(MuxChardev *m, const char *text)
{
    chr_write(m->base, (const uint8_t *)text, strlen(text), true);
}

static void mux_print_help(MuxChardev *m)
{
    static const struct {
        const char *key;
        const char *help;
    } keys[] = {
        { "h", "print this help" },
        { "x", "exit emulator" },
        { "s", "save disk data back to file (if -snapshot)" },
        { "t", "toggle console timestamps" },
        { "b", "send break (magic sysrq)" },
        { "c", "switch between console and monitor" },
        { "C-a", "sends C-a" },
    };
    g_autoptr(GString) text = g_string_new("\n\r");

    /* The terminal is raw, hence "\n\r"; the layout is QEMU's. */
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        g_string_append_printf(text, "C-a %-5s%s\n\r", keys[i].key,
                               keys[i].help);
    }
    mux_print(m, text->str);
}

/* ---- input ---- */

/* Hands buffered input to frontend tag as far as it takes it. */
static void mux_flush(MuxChardev *m, int tag)
{
    CharBackend *fe = tag >= 0 ? m->fes[tag] : NULL;
    MuxInput *in = tag >= 0 ? &m->input[tag] : NULL;

    /* A read handler calling chr_fe_accept_input must not get the
     * bytes after the ones it is handling ahead of their turn. */
    if (!fe || m->flushing) {
        return;
    }
    m->flushing = true;
    while (in->len > 0) {
        uint8_t chunk[MUX_BUFFER_SIZE];
        int n = MIN(chr_fe_room(fe), in->len);

        if (n <= 0) {
            break;
        }
        memcpy(chunk, in->buf, n);
        in->len -= n;
        memmove(in->buf, in->buf + n, in->len);
        fe->read(fe->opaque, chunk, n);
        /* The handler may have detached the frontend. */
        if (m->fes[tag] != fe) {
            break;
        }
    }
    m->flushing = false;
}

static void mux_queue(MuxChardev *m, uint8_t ch)
{
    MuxInput *in;

    if (m->focus < 0) {
        return;
    }
    in = &m->input[m->focus];
    if (in->len == MUX_BUFFER_SIZE) {
        mux_flush(m, m->focus);
    }
    /* Still full: mux_can_read promised no more than fits. */
    if (in->len < MUX_BUFFER_SIZE) {
        in->buf[in->len++] = ch;
    }
}

static void mux_set_focus(MuxChardev *m, int tag)
{
    if (m->focus >= 0) {
        chr_fe_send_event(m->fes[m->focus], CHR_EVENT_MUX_OUT);
    }
    m->focus = tag;
    chr_fe_send_event(m->fes[tag], CHR_EVENT_MUX_IN);
    /* The new frontend may take input the old one did not. */
    g_main_context_wakeup(NULL);
}

/* The next attached frontend after from (from itself if alone). */
static int mux_next(MuxChardev *m, int from)
{
    for (int k = 1; k <= MUX_MAX_FRONTENDS; k++) {
        int tag = (from + k) % MUX_MAX_FRONTENDS;

        if (m->fes[tag]) {
            return tag;
        }
    }
    return -1;
}

static void mux_command(MuxChardev *m, uint8_t ch)
{
    switch (ch) {
    case 'h':
    case '?':
        mux_print_help(m);
        break;
    case 'x':
        mux_print(m, "emu: Terminated\n\r");
        chardev_request_quit();
        break;
    case 'b':
        if (m->focus >= 0) {
            chr_fe_send_event(m->fes[m->focus], CHR_EVENT_BREAK);
        }
        break;
    case 'c':
        if (m->focus >= 0) {
            mux_set_focus(m, mux_next(m, m->focus));
        }
        break;
    case 't':
        g_mutex_lock(&m->parent.lock);
        m->timestamps = !m->timestamps;
        m->timestamps_start_ms = -1;
        m->line_start = false;
        g_mutex_unlock(&m->parent.lock);
        break;
    default:
        /* C-a s would commit -snapshot disks: nothing to do yet. */
        break;
    }
}

static int mux_can_read(void *opaque)
{
    MuxChardev *m = opaque;
    MuxInput *in;

    /* Nobody to read: still take bytes so that C-a x works. */
    if (m->focus < 0) {
        return MUX_BUFFER_SIZE;
    }
    in = &m->input[m->focus];
    return MUX_BUFFER_SIZE - in->len +
           (in->len ? 0 : chr_fe_room(m->fes[m->focus]));
}

static void mux_read(void *opaque, const uint8_t *buf, int len)
{
    MuxChardev *m = opaque;

    for (int i = 0; i < len; i++) {
        uint8_t ch = buf[i];

        if (m->escape_pending) {
            m->escape_pending = false;
            if (ch != MUX_ESCAPE) {
                /* What came before the command goes where it was typed. */
                mux_flush(m, m->focus);
                mux_command(m, ch);
                continue;
            }
        } else if (ch == MUX_ESCAPE) {
            m->escape_pending = true;
            continue;
        }
        mux_queue(m, ch);
    }
    mux_flush(m, m->focus);
}

static void mux_base_event(void *opaque, ChrEvent event)
{
    MuxChardev *m = opaque;

    if (event == CHR_EVENT_OPENED) {
        m->parent.be_open = true;
    } else if (event == CHR_EVENT_CLOSED) {
        m->parent.be_open = false;
    }
    for (int tag = 0; tag < MUX_MAX_FRONTENDS; tag++) {
        chr_fe_send_event(m->fes[tag], event);
    }
}

/* ---- frontends ---- */

static bool mux_fe_attach(Chardev *chr, CharBackend *be, Error **errp)
{
    MuxChardev *m = mux_chardev(chr);

    for (int tag = 0; tag < MUX_MAX_FRONTENDS; tag++) {
        if (!m->fes[tag]) {
            m->fes[tag] = be;
            m->input[tag].len = 0;
            be->mux_tag = tag;
            /* The first frontend (the serial port) keeps the focus
             * until someone asks for it. */
            if (m->focus < 0) {
                m->focus = tag;
            }
            return true;
        }
    }
    error_setg(errp, "too many uses of multiplexed chardev '%s' "
               "(maximum is %d)", chr->label, MUX_MAX_FRONTENDS);
    return false;
}

static void mux_fe_detach(Chardev *chr, CharBackend *be)
{
    MuxChardev *m = mux_chardev(chr);
    int tag = be->mux_tag;

    if (tag < 0 || m->fes[tag] != be) {
        return;
    }
    m->fes[tag] = NULL;
    m->input[tag].len = 0;
    if (m->focus == tag) {
        int next = mux_next(m, tag);

        m->focus = -1;
        if (next >= 0) {
            mux_set_focus(m, next);
        }
    }
}

static void mux_fe_handlers_set(Chardev *chr, CharBackend *be)
{
    MuxChardev *m = mux_chardev(chr);

    /* A frontend starting in the background hears so before OPENED,
     * so that it can keep quiet (QEMU's monitor holds its banner). */
    if (m->focus != be->mux_tag) {
        chr_fe_send_event(be, CHR_EVENT_MUX_OUT);
    }
    if (chr->be_open) {
        chr_fe_send_event(be, CHR_EVENT_OPENED);
    }
    /* Input typed before it had a read handler. */
    mux_flush(m, be->mux_tag);
}

static void mux_fe_take_focus(Chardev *chr, CharBackend *be)
{
    MuxChardev *m = mux_chardev(chr);

    if (be->mux_tag >= 0 && m->focus != be->mux_tag) {
        mux_set_focus(m, be->mux_tag);
    }
}

static bool mux_fe_has_focus(Chardev *chr, CharBackend *be)
{
    return mux_chardev(chr)->focus == be->mux_tag;
}

static void mux_fe_accept_input(Chardev *chr, CharBackend *be)
{
    mux_flush(mux_chardev(chr), be->mux_tag);
}

/* ---- the chardev ---- */

static char *mux_filename(Chardev *chr)
{
    return g_strdup("mux");
}

static bool mux_is_terminal(Chardev *chr)
{
    Chardev *base = mux_chardev(chr)->base;

    return base->drv->is_terminal && base->drv->is_terminal(base);
}

static void mux_close(Chardev *chr)
{
    chr_fe_deinit(&mux_chardev(chr)->base_be);
}

const ChardevDriver chardev_mux_driver = {
    .name = "mux",
    .instance_size = sizeof(MuxChardev),
    .write = mux_write,
    .filename = mux_filename,
    .is_terminal = mux_is_terminal,
    .close = mux_close,
    .fe_attach = mux_fe_attach,
    .fe_detach = mux_fe_detach,
    .fe_handlers_set = mux_fe_handlers_set,
    .fe_take_focus = mux_fe_take_focus,
    .fe_has_focus = mux_fe_has_focus,
    .fe_accept_input = mux_fe_accept_input,
};

Chardev *chardev_mux_new(const char *label, Chardev *base)
{
    Chardev *chr = chardev_alloc(&chardev_mux_driver, label);
    MuxChardev *m = mux_chardev(chr);

    m->base = base;
    m->focus = -1;
    m->timestamps_start_ms = -1;
    chr->opened = true;
    chardev_register(chr, base);
    /* A fresh base has no other frontend: this cannot fail. */
    chr_fe_init(&m->base_be, base, NULL);
    chr_fe_set_handlers(&m->base_be, mux_can_read, mux_read, mux_base_event,
                        m);
    return chr;
}
