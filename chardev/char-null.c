/*
 * The null backend: swallows output, never has input.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "chardev-internal.h"

static bool null_parse(Chardev *chr, KeyValList *kv, Error **errp)
{
    return true;
}

static bool null_open(Chardev *chr, Error **errp)
{
    chr->be_open = true;
    return true;
}

static int null_write(Chardev *chr, const uint8_t *buf, int len, bool all)
{
    return len;
}

static char *null_filename(Chardev *chr)
{
    return g_strdup("null");
}

static void null_close(Chardev *chr)
{
}

const ChardevDriver chardev_null_driver = {
    .name = "null",
    .instance_size = sizeof(Chardev),
    .parse = null_parse,
    .open = null_open,
    .write = null_write,
    .filename = null_filename,
    .close = null_close,
};
