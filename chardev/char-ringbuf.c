/*
 * The ringbuf backend: what the frontend writes is kept in a ring of
 * size bytes (a power of two; the oldest bytes are overwritten), for the
 * monitors' ringbuf_read and ringbuf_write.  There is no input.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "chardev-internal.h"

#define RINGBUF_DEFAULT_SIZE (64 * 1024)

typedef struct RingbufChardev {
    Chardev parent;
    uint64_t size;
    uint8_t *buf;
    /* Free-running counters: prod - cons bytes are held, at most size. */
    uint64_t prod;
    uint64_t cons;
} RingbufChardev;

static RingbufChardev *ringbuf_of(Chardev *chr)
{
    return container_of(chr, RingbufChardev, parent);
}

static bool ringbuf_parse(Chardev *chr, KeyValList *kv, Error **errp)
{
    RingbufChardev *r = ringbuf_of(chr);
    const char *size = keyval_take(kv, "size");

    r->size = RINGBUF_DEFAULT_SIZE;
    if (size && !parse_size(size, 'B', &r->size)) {
        error_setg(errp, "Parameter 'size' expects a non-negative number "
                   "below 2^64");
        return false;
    }
    /* QEMU takes size=0 too, and then keeps nothing: refused here. */
    if (r->size == 0 || (r->size & (r->size - 1))) {
        error_setg(errp, "size of ringbuf chardev must be power of two");
        return false;
    }
    return true;
}

static bool ringbuf_open(Chardev *chr, Error **errp)
{
    RingbufChardev *r = ringbuf_of(chr);

    r->buf = g_try_malloc0(r->size);
    if (!r->buf) {
        error_setg(errp, "cannot allocate a ring buffer of %" PRIu64
                   " bytes", r->size);
        return false;
    }
    chr->be_open = true;
    return true;
}

static void ringbuf_put(RingbufChardev *r, const uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        r->buf[r->prod++ & (r->size - 1)] = buf[i];
    }
    if (r->prod - r->cons > r->size) {
        r->cons = r->prod - r->size;
    }
}

static int ringbuf_write(Chardev *chr, const uint8_t *buf, int len, bool all)
{
    g_mutex_lock(&chr->lock);
    ringbuf_put(ringbuf_of(chr), buf, len);
    g_mutex_unlock(&chr->lock);
    return len;
}

static char *ringbuf_filename(Chardev *chr)
{
    return g_strdup("ringbuf");
}

static void ringbuf_close(Chardev *chr)
{
    g_free(ringbuf_of(chr)->buf);
}

const ChardevDriver chardev_ringbuf_driver = {
    .name = "ringbuf",
    .instance_size = sizeof(RingbufChardev),
    .parse = ringbuf_parse,
    .open = ringbuf_open,
    .write = ringbuf_write,
    .filename = ringbuf_filename,
    .close = ringbuf_close,
};

/* The ringbuf labelled device, or NULL with QEMU's message. */
static RingbufChardev *ringbuf_find(const char *device, Error **errp)
{
    Chardev *chr = chardev_find(device);

    if (!chr) {
        error_setg(errp, "Device '%s' not found", device);
        return NULL;
    }
    if (chr->drv != &chardev_ringbuf_driver) {
        error_setg(errp, "%s is not a ringbuf device", device);
        return NULL;
    }
    return ringbuf_of(chr);
}

bool chardev_ringbuf_write(const char *device, const uint8_t *data,
                           size_t len, Error **errp)
{
    RingbufChardev *r = ringbuf_find(device, errp);

    if (!r) {
        return false;
    }
    g_mutex_lock(&r->parent.lock);
    ringbuf_put(r, data, len);
    g_mutex_unlock(&r->parent.lock);
    return true;
}

GByteArray *chardev_ringbuf_read(const char *device, int64_t size,
                                 Error **errp)
{
    RingbufChardev *r = ringbuf_find(device, errp);
    GByteArray *out;

    if (!r) {
        return NULL;
    }
    if (size <= 0) {
        error_setg(errp, "size must be greater than zero");
        return NULL;
    }
    out = g_byte_array_new();
    g_mutex_lock(&r->parent.lock);
    while (out->len < (uint64_t)size && r->cons != r->prod) {
        g_byte_array_append(out, &r->buf[r->cons++ & (r->size - 1)], 1);
    }
    g_mutex_unlock(&r->parent.lock);
    return out;
}
