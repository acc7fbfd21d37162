/*
 * What the character device backends share: the Chardev struct, the
 * driver table, and the helpers backends use to hand input and events
 * to their frontend.
 *
 * A backend's state struct embeds a Chardev as its first member; the
 * driver's instance_size says how much to allocate.
 *
 * Locking: chr->lock serialises writes (which may come from any thread)
 * against the main thread replacing or closing the descriptors they
 * use.  Frontend handlers are always called from the main loop with no
 * chardev lock held, so they may write back at once.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef CHARDEV_INTERNAL_H
#define CHARDEV_INTERNAL_H

#include "chardev/char.h"
#include "util/keyval.h"

struct Chardev {
    const ChardevDriver *drv;
    char *label;
    GMutex lock;
    CharBackend *be;         /* the one frontend (a mux keeps its own) */
    bool be_open;            /* a peer is there: the last event was OPENED */
    bool opened;             /* open succeeded: close has work to undo */
    int logfd;               /* logfile=: a copy of the output, or -1 */
};

struct ChardevDriver {
    const char *name;        /* as in "-chardev NAME,..." */
    size_t instance_size;
    /* Takes the driver's options from kv; no side effects yet, so that
     * an unknown option can still be refused before anything opens. */
    bool (*parse)(Chardev *chr, KeyValList *kv, Error **errp);
    /* Opens the backend; on failure undoes its own work. */
    bool (*open)(Chardev *chr, Error **errp);
    /* Called without chr->lock; takes it as needed.  Returns the count
     * taken (dropped bytes count as taken) or -1 with errno set.  With
     * all, waits until everything is written or the peer has gone. */
    int (*write)(Chardev *chr, const uint8_t *buf, int len, bool all);
    /* The text after "filename=" in "info chardev". */
    char *(*filename)(Chardev *chr);
    /* Whether a person types on it: see chr_fe_is_terminal. */
    bool (*is_terminal)(Chardev *chr);
    /* Frees what parse kept; undoes open only when chr->opened. */
    void (*close)(Chardev *chr);

    /* Frontend hooks; only the mux has them.  Without them a backend
     * takes one frontend. */
    bool (*fe_attach)(Chardev *chr, CharBackend *be, Error **errp);
    void (*fe_detach)(Chardev *chr, CharBackend *be);
    void (*fe_handlers_set)(Chardev *chr, CharBackend *be);
    void (*fe_take_focus)(Chardev *chr, CharBackend *be);
    bool (*fe_has_focus)(Chardev *chr, CharBackend *be);
    void (*fe_accept_input)(Chardev *chr, CharBackend *be);
};

extern const ChardevDriver chardev_null_driver;
extern const ChardevDriver chardev_file_driver;
extern const ChardevDriver chardev_stdio_driver;
extern const ChardevDriver chardev_pty_driver;
extern const ChardevDriver chardev_socket_driver;
extern const ChardevDriver chardev_mux_driver;
extern const ChardevDriver chardev_ringbuf_driver;
extern const ChardevDriver chardev_serial_driver;
extern const ChardevDriver chardev_pipe_driver;
extern const ChardevDriver chardev_udp_driver;

/* ---- the backend side of a frontend (char.c) ---- */

/* How many bytes the frontend takes now. */
int chr_be_can_write(Chardev *chr);
void chr_be_write(Chardev *chr, const uint8_t *buf, int len);
/* Records OPENED/CLOSED in be_open and tells the frontend. */
void chr_be_event(Chardev *chr, ChrEvent event);

/* What a frontend takes now: 0 without a read handler. */
int chr_fe_room(CharBackend *be);
/* Calls the frontend's event handler, if any. */
void chr_fe_send_event(CharBackend *be, ChrEvent event);

/* Writes through chr's driver (frontend writes and the mux). */
int chr_write(Chardev *chr, const uint8_t *buf, int len, bool all);

/*
 * write(2)/send(2) on fd, retrying on EINTR.  Without all, stops at
 * EAGAIN and returns what was written; with all, polls for room.
 * Returns the count, or -1 with errno set (EPIPE when poll saw the
 * peer hang up).
 */
int chr_fd_write(int fd, const uint8_t *buf, int len, bool all, bool sock);

/*
 * An input watch on fd in the default main context.  It polls fd only
 * while the frontend can take bytes, so a busy frontend does not make
 * the loop spin; ready() then reads at most chr_be_can_write bytes.
 */
typedef void (*ChrFdReadyFunc)(Chardev *chr, GIOCondition cond);
GSource *chr_fd_source_add(Chardev *chr, int fd, ChrFdReadyFunc ready);
/* Destroys *src (also from its own ready callback) and clears it. */
void chr_fd_source_remove(GSource **src);

/* What Ctrl-A x does: the handler vl.c set, or exit(0). */
void chardev_request_quit(void);

/* ---- options ---- */

/* Parses an on/off option (absent: def), naming it in the error. */
bool chr_opt_bool(KeyValList *kv, const char *key, bool def, bool *out,
                  Error **errp);

/* ---- the mux (char-mux.c) ---- */

/* Puts a mux labelled label in front of base (registered already). */
Chardev *chardev_mux_new(const char *label, Chardev *base);

/* ---- the registry (char.c) ---- */

/* Allocates chr for drv with its label (no registration yet). */
Chardev *chardev_alloc(const ChardevDriver *drv, const char *label);
/* Adds chr to the list "info chardev" prints; a mux goes before its
 * base so that the pair reads as in QEMU. */
void chardev_register(Chardev *chr, Chardev *before);
/* Unregisters, closes and frees chr (no frontend may still use it). */
void chardev_free(Chardev *chr);

#endif
