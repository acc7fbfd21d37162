/*
 * U-Boot legacy images (see include/hw/core/uimage.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "hw/core/uimage.h"
#include <zlib.h>
#include "util/bswap.h"

#define UIMAGE_MAGIC 0x27051956
#define UIMAGE_HEADER_SIZE 64
#define UIMAGE_OS_LINUX 5
#define UIMAGE_TYPE_KERNEL 2
#define UIMAGE_TYPE_KERNEL_NOLOAD 14
#define UIMAGE_COMP_NONE 0
#define UIMAGE_COMP_GZIP 1
/* The most a gzip payload may expand to, QEMU's limit. */
#define UIMAGE_MAX_GUNZIP_BYTES (256 * 1024 * 1024)

bool uimage_is_uimage(const uint8_t *buf, size_t len)
{
    return len >= 4 && ldn_be_p(buf, 4) == UIMAGE_MAGIC;
}

/* The gzip stream in; a new buffer of what it expands to out. */
static bool gunzip(UImage *img, const char *path, const uint8_t *in,
                   size_t len, Error **errp)
{
    z_stream zs = { .next_in = (Bytef *)in, .avail_in = len };
    size_t cap = MAX(len * 4, 64 * 1024);
    int ret;

    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
        error_setg(errp, "uImage '%s': cannot start zlib", path);
        return false;
    }
    img->data = g_malloc(cap);
    do {
        if (zs.total_out == cap) {
            if (cap == UIMAGE_MAX_GUNZIP_BYTES) {
                error_setg(errp, "uImage '%s': the kernel expands to more "
                           "than %d MiB", path, UIMAGE_MAX_GUNZIP_BYTES >> 20);
                goto fail;
            }
            cap = MIN(cap * 2, UIMAGE_MAX_GUNZIP_BYTES);
            img->data = g_realloc(img->data, cap);
        }
        zs.next_out = img->data + zs.total_out;
        zs.avail_out = cap - zs.total_out;
        ret = inflate(&zs, Z_NO_FLUSH);
    } while (ret == Z_OK);
    if (ret != Z_STREAM_END) {
        error_setg(errp, "uImage '%s': the gzip data is corrupt (%s)", path,
                   ret == Z_BUF_ERROR ? "truncated" : zs.msg ? zs.msg
                                                             : "zlib error");
        goto fail;
    }
    img->size = zs.total_out;
    inflateEnd(&zs);
    return true;
fail:
    inflateEnd(&zs);
    g_free(img->data);
    img->data = NULL;
    return false;
}

bool uimage_parse(UImage *img, const char *path, const uint8_t *buf,
                  size_t len, Error **errp)
{
    uint32_t size, type, comp;

    memset(img, 0, sizeof(*img));
    if (len < UIMAGE_HEADER_SIZE || !uimage_is_uimage(buf, len)) {
        error_setg(errp, "'%s' is not a uImage", path);
        return false;
    }
    size = ldn_be_p(buf + 12, 4);
    img->load = ldn_be_p(buf + 16, 4);
    img->entry = ldn_be_p(buf + 20, 4);
    img->is_linux = buf[28] == UIMAGE_OS_LINUX;
    type = buf[30];
    comp = buf[31];
    memcpy(img->name, buf + 32, 32);
    if (type != UIMAGE_TYPE_KERNEL && type != UIMAGE_TYPE_KERNEL_NOLOAD) {
        error_setg(errp, "uImage '%s' has type %u, not a kernel (%u) or a "
                   "kernel_noload (%u)", path, type, UIMAGE_TYPE_KERNEL,
                   UIMAGE_TYPE_KERNEL_NOLOAD);
        return false;
    }
    img->noload = type == UIMAGE_TYPE_KERNEL_NOLOAD;
    if (size > len - UIMAGE_HEADER_SIZE) {
        error_setg(errp, "uImage '%s' is truncated: its header says %" PRIu32
                   " bytes of data, the file has %zu", path, size,
                   len - UIMAGE_HEADER_SIZE);
        return false;
    }
    switch (comp) {
    case UIMAGE_COMP_NONE:
        img->data = g_memdup2(buf + UIMAGE_HEADER_SIZE, size);
        img->size = size;
        return true;
    case UIMAGE_COMP_GZIP:
        return gunzip(img, path, buf + UIMAGE_HEADER_SIZE, size, errp);
    default:
        error_setg(errp, "uImage '%s' has compression type %u: only none "
                   "(0) and gzip (1) are supported", path, comp);
        return false;
    }
}
