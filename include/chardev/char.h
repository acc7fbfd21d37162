/*
 * Character devices: byte streams between the host and a frontend
 * (a UART model, the monitor).  A Chardev is a backend (stdio, file,
 * pty, socket, null, mux); a CharBackend is a frontend's handle on it.
 *
 * Backends register their input watches on glib's default main context;
 * the main loop dispatches them with the global lock held, so frontend
 * handlers run under the lock.  Writes may come from any thread that
 * holds the global lock (a vCPU thread writing a UART register).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef CHARDEV_CHAR_H
#define CHARDEV_CHAR_H

#include "util/osdep.h"
#include "util/error.h"

typedef struct Chardev Chardev;
typedef struct CharBackend CharBackend;
typedef struct ChardevDriver ChardevDriver;

typedef enum ChrEvent {
    CHR_EVENT_OPENED,    /* a peer is there: client connected, startup */
    CHR_EVENT_CLOSED,    /* the peer went away */
    CHR_EVENT_MUX_IN,    /* this frontend now has the mux focus */
    CHR_EVENT_MUX_OUT,   /* this frontend lost the mux focus */
    CHR_EVENT_BREAK,     /* serial break (Ctrl-A b on a mux) */
} ChrEvent;

/* How many bytes the frontend can take now (0: stop sending). */
typedef int (*ChrCanReadHandler)(void *opaque);
typedef void (*ChrReadHandler)(void *opaque, const uint8_t *buf, int len);
typedef void (*ChrEventHandler)(void *opaque, ChrEvent event);

struct CharBackend {
    Chardev *chr;
    ChrCanReadHandler can_read;
    ChrReadHandler read;
    ChrEventHandler event;
    void *opaque;
    int mux_tag;                 /* position among a mux's frontends */
};

/* ---- creating backends ---- */

/*
 * "-chardev" syntax: "BACKEND,id=ID[,key=value...]", e.g.
 *   stdio,id=c0[,signal=off]       null,id=c1
 *   file,id=c2,path=PATH           pty,id=c3
 *   socket,id=c4,path=PATH,server=on,wait=off
 *   socket,id=c5,host=H,port=P,server=on,wait=off
 *   mux=on may be added to share the backend between frontends.
 */
Chardev *chardev_new_from_opts(const char *opts, Error **errp);

/*
 * "-serial"/"-monitor" syntax: stdio, null, file:PATH, pty,
 * unix:PATH[,server][,nowait], tcp:[HOST]:PORT[,server][,nowait],
 * mon:stdio (a mux shared with the monitor), or "chardev:ID".
 * "none" is handled by the caller.  label names the new backend
 * ("serial0", "compat_monitor0").
 */
Chardev *chardev_new_from_legacy(const char *spec, const char *label,
                                 Error **errp);

Chardev *chardev_find(const char *id);
/* Closes and forgets a backend whose frontend let go of it (the gdb
 * stub's, when "gdbserver" moves it). */
void chardev_delete(Chardev *chr);
const char *chardev_label(const Chardev *chr);
/* Whether the backend is a mux ("mon:stdio" or mux=on). */
bool chardev_is_mux(const Chardev *chr);
/* What "info chardev" and QMP's query-chardev show of a backend. */
typedef struct ChardevInfo {
    char *label;
    char *filename;              /* "unix:/tmp/s,server=on", "stdio" */
    bool frontend_open;          /* a frontend (UART, monitor) uses it */
} ChardevInfo;

/* Every backend, in creation order; free with g_array_unref. */
GArray *chardev_query(void);
/* Names of the backend drivers, for "-chardev help". */
void chardev_print_help(FILE *out);

/* Restores the terminal and closes every backend; safe to call twice. */
void chardev_cleanup_all(void);
/* Restores only the terminal (from a signal handler or atexit). */
void chardev_restore_terminal(void);

/* ---- frontends ---- */

/*
 * Events a frontend hears:
 *   - when it sets its handlers on a backend that is open (stdio, file,
 *     null, pty with the slave open, socket with a client): OPENED;
 *   - on a mux, a frontend that does not have the focus hears MUX_OUT
 *     first, then OPENED; the first frontend attached has the focus and
 *     hears only OPENED;
 *   - later: OPENED/CLOSED as peers come and go (sent to every frontend
 *     of a mux), MUX_OUT to the old and MUX_IN to the new focus on
 *     Ctrl-A c or chr_fe_take_focus, BREAK on Ctrl-A b.
 * Handlers run in the main loop, never inside chr_fe_* calls other than
 * chr_fe_set_handlers, chr_fe_take_focus, chr_fe_accept_input and
 * chr_fe_deinit (a mux passes the focus on).
 */

/* Attaches a frontend.  A non-mux backend takes one frontend only. */
bool chr_fe_init(CharBackend *be, Chardev *chr, Error **errp);
void chr_fe_deinit(CharBackend *be);
void chr_fe_set_handlers(CharBackend *be, ChrCanReadHandler can_read,
                         ChrReadHandler read, ChrEventHandler event,
                         void *opaque);
/* Writes what the backend takes now without blocking; returns the count
 * (bytes may be dropped when nobody is connected, as on real wires).
 * stdio and file take everything.  -1 on a backend error (disk full). */
int chr_fe_write(CharBackend *be, const uint8_t *buf, int len);
/* Writes everything, waiting for the backend if needed. */
int chr_fe_write_all(CharBackend *be, const uint8_t *buf, int len);
void chr_fe_printf(CharBackend *be, const char *fmt, ...) EMU_PRINTF(2, 3);
/* The frontend can take input again after returning 0 from can_read. */
void chr_fe_accept_input(CharBackend *be);
/* Asks a mux to give the focus to this frontend. */
void chr_fe_take_focus(CharBackend *be);
/* Whether input goes to this frontend (always, without a mux). */
bool chr_fe_has_focus(CharBackend *be);
/* Whether a peer is connected (always true for stdio/file/null). */
bool chr_fe_is_connected(CharBackend *be);
bool chr_fe_backend_connected(CharBackend *be);
/*
 * Whether a person types on the other end: stdio when stdin is a tty,
 * or a pty (through a mux, its backend).  Such a terminal is raw: the
 * frontend echoes and ends lines with "\r\n" itself.
 */
bool chr_fe_is_terminal(CharBackend *be);

/*
 * The monitors' ringbuf_write and ringbuf_read on the ringbuf chardev
 * labelled device: write appends data to the ring (as if the frontend
 * wrote it), read takes up to size bytes from its oldest end.  Errors
 * are QEMU's ("Device 'x' not found", "x is not a ringbuf device").
 */
bool chardev_ringbuf_write(const char *device, const uint8_t *data,
                           size_t len, Error **errp);
GByteArray *chardev_ringbuf_read(const char *device, int64_t size,
                                 Error **errp);

/*
 * What Ctrl-A x does on a mux: asks the emulator to quit.  vl.c sets it;
 * the default exits at once.
 */
void chardev_set_quit_handler(void (*fn)(void));

#endif
