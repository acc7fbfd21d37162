/*
 * screendump (HMP and QMP): a console's picture written to a file, as
 * PPM (binary P6, what QEMU writes by default) or PNG (8-bit RGB,
 * deflated with zlib, rows unfiltered).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <fcntl.h>
#include <zlib.h>
#include "monitor/monitor.h"
#include "monitor/qmp.h"
#include "ui/console.h"

/* One row of the surface as R, G, B bytes. */
static void screendump_rgb_row(pixman_image_t *image, int y, uint8_t *out)
{
    const uint32_t *row = surface_row(image, y);
    int width = pixman_image_get_width(image);

    for (int x = 0; x < width; x++) {
        out[3 * x] = row[x] >> 16;
        out[3 * x + 1] = row[x] >> 8;
        out[3 * x + 2] = row[x];
    }
}

static bool write_ppm(FILE *f, pixman_image_t *image)
{
    int width = pixman_image_get_width(image);
    int height = pixman_image_get_height(image);
    g_autofree uint8_t *line = g_malloc(width * 3);

    if (fprintf(f, "P6\n%d %d\n%d\n", width, height, 255) < 0) {
        return false;
    }
    for (int y = 0; y < height; y++) {
        screendump_rgb_row(image, y, line);
        if (fwrite(line, 1, width * 3, f) != (size_t)width * 3) {
            return false;
        }
    }
    return true;
}

/* A PNG chunk: length, type, data, CRC of type and data. */
static bool write_png_chunk(FILE *f, const char *type, const uint8_t *data,
                            uint32_t len)
{
    uint8_t head[8] = { len >> 24, len >> 16, len >> 8, len };
    uLong crc = crc32(0, (const Bytef *)type, 4);
    uint8_t tail[4];

    memcpy(head + 4, type, 4);
    if (len) {
        /* crc32() of a NULL buffer is zlib's initial value, not a no-op. */
        crc = crc32(crc, data, len);
    }
    tail[0] = crc >> 24;
    tail[1] = crc >> 16;
    tail[2] = crc >> 8;
    tail[3] = crc;
    /* fwrite() of a NULL buffer is undefined even for no bytes. */
    return fwrite(head, 1, 8, f) == 8 &&
           (!len || fwrite(data, 1, len, f) == len) &&
           fwrite(tail, 1, 4, f) == 4;
}

static bool write_png(FILE *f, pixman_image_t *image)
{
    static const uint8_t signature[8] = {
        0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
    };
    uint32_t width = pixman_image_get_width(image);
    uint32_t height = pixman_image_get_height(image);
    /* Width, height, bit depth 8, colour type 2 (RGB), deflate,
     * adaptive filtering, no interlace. */
    uint8_t ihdr[13] = {
        width >> 24, width >> 16, width >> 8, width,
        height >> 24, height >> 16, height >> 8, height,
        8, 2, 0, 0, 0,
    };
    size_t row_len = 1 + (size_t)width * 3;
    g_autofree uint8_t *raw = g_malloc(row_len * height);
    uLongf packed_len = compressBound(row_len * height);
    g_autofree uint8_t *packed = g_malloc(packed_len);

    for (uint32_t y = 0; y < height; y++) {
        raw[y * row_len] = 0;               /* filter type None */
        screendump_rgb_row(image, y, raw + y * row_len + 1);
    }
    if (compress2(packed, &packed_len, raw, row_len * height,
                  Z_DEFAULT_COMPRESSION) != Z_OK) {
        return false;
    }
    return fwrite(signature, 1, sizeof(signature), f) == sizeof(signature) &&
           write_png_chunk(f, "IHDR", ihdr, sizeof(ihdr)) &&
           write_png_chunk(f, "IDAT", packed, packed_len) &&
           write_png_chunk(f, "IEND", NULL, 0);
}

bool screendump_save(DisplayConsole *con, const char *filename,
                     ScreendumpFormat format, Error **errp)
{
    pixman_image_t *image;
    bool written;
    FILE *f;
    int fd;

    console_update(con);
    image = console_surface(con);
    if (!image) {
        error_setg(errp, "no surface");
        return false;
    }
    fd = open(filename, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        error_setg(errp, "failed to open file '%s': %s", filename,
                   strerror(errno));
        return false;
    }
    f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        error_setg(errp, "failed to open file '%s': %s", filename,
                   strerror(errno));
        return false;
    }
    pixman_image_ref(image);
    written = format == SCREENDUMP_PNG ? write_png(f, image)
                                       : write_ppm(f, image);
    pixman_image_unref(image);
    /* A failed flush (disk full) counts as a failed write. */
    if (fclose(f) != 0 || !written) {
        error_setg(errp, "failed to write file '%s': %s", filename,
                   strerror(errno));
        unlink(filename);
        return false;
    }
    return true;
}

/*
 * What both monitors share: the console (console 0 without a device),
 * the format name (NULL: PPM), then the file.
 */
static bool screendump(const char *filename, const char *device,
                       bool has_head, int64_t head, const char *format_name,
                       bool qmp, Error **errp)
{
    ScreendumpFormat format = SCREENDUMP_PPM;
    DisplayConsole *con;

    if (format_name && !strcmp(format_name, "png")) {
        format = SCREENDUMP_PNG;
    } else if (format_name && strcmp(format_name, "ppm")) {
        /* QEMU's words: the QMP schema's enum check, HMP's enum parse. */
        if (qmp) {
            error_setg(errp, "Parameter 'format' does not accept value '%s'",
                       format_name);
        } else {
            error_setg(errp, "invalid parameter value: %s", format_name);
        }
        return false;
    }
    if (!device) {
        if (has_head) {
            error_setg(errp, "'head' must be specified together with "
                       "'device'");
            return false;
        }
        con = console_by_index(0);
        if (!con) {
            error_setg(errp, "There is no console to take a screendump "
                       "from");
            return false;
        }
    } else {
        con = console_by_device(device, has_head ? head : 0, errp);
        if (!con) {
            return false;
        }
    }
    return screendump_save(con, filename, format, errp);
}

/* ---- HMP ---- */

static void hmp_screendump(Monitor *mon, const MonitorArgs *args)
{
    Error *err = NULL;

    if (!screendump(monitor_arg_str(args, "filename"),
                    monitor_arg_str(args, "device"),
                    monitor_arg_has(args, "head"),
                    monitor_arg_has(args, "head") ?
                    monitor_arg_int(args, "head") : 0,
                    monitor_arg_str(args, "format"),
                    false, &err)) {
        monitor_printf(mon, "Error: %s\n", error_get_pretty(err));
        error_free(err);
    }
}

static const HMPCommand hmp_screendump_commands[] = {
    { "screendump", "filename:F,format:-fs,device:s?,head:i?",
      "filename [-f format] [device [head]]",
      "save screen from head 'head' of display device 'device'in specified "
      "format 'format' as image 'filename'.Currently only 'png' and 'ppm' "
      "formats are supported.", hmp_screendump },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, hmp_screendump_commands)

/* ---- QMP ---- */

static JsonNode *qmp_screendump(QMPCall *call, Error **errp)
{
    if (!screendump(qmp_arg_str(call, "filename"),
                    qmp_arg_has(call, "device") ?
                    qmp_arg_str(call, "device") : NULL,
                    qmp_arg_has(call, "head"),
                    qmp_arg_has(call, "head") ? qmp_arg_int(call, "head") : 0,
                    qmp_arg_has(call, "format") ?
                    qmp_arg_str(call, "format") : NULL,
                    true, errp)) {
        return NULL;
    }
    return qmp_return_empty();
}

static const QMPCommand qmp_screendump_commands[] = {
    { "screendump", "filename:s,device:s?,head:i?,format:s?",
      qmp_screendump },
};

DEFINE_QMP_COMMANDS(qmp_screendump_commands)
