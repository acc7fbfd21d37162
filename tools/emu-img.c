/*
 * emu-img: qemu-img's commands, options and output over emu's block
 * layer (block/), so scripts written for qemu-img work unchanged.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <getopt.h>
#include <stdarg.h>
#include "util/cutils.h"
#include "block/block-int.h"
#include "block/block-backend.h"
#include "tools/emu-img.h"

/* ---- shared helpers ---- */

static void img_verror(const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", g_get_prgname());
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void img_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    img_verror(fmt, ap);
    va_end(ap);
}

/* A command-line mistake: the error, then where to read the usage. */
void img_usage_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    img_verror(fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try '%s --help' for more information\n",
            g_get_prgname());
}

/* An Error from the block layer, with its hint, after "emu-img: ". */
void img_report_err(const char *prefix, Error *err)
{
    if (prefix) {
        img_error("%s%s", prefix, error_get_pretty(err));
    } else {
        img_error("%s", error_get_pretty(err));
    }
    if (error_get_hint(err)) {
        fputs(error_get_hint(err), stderr);
    }
    error_free(err);
}

BlockDriverState *img_open(const char *filename, const char *fmt, int flags)
{
    Error *err = NULL;
    BlockDriverState *bs = bdrv_open(filename, fmt, flags, &err);

    if (!bs) {
        img_report_err(NULL, err);
    }
    return bs;
}

bool img_parse_size(const char *text, uint64_t *size)
{
    if (!parse_size(text, 0, size) || *size > INT64_MAX) {
        img_error("Invalid image size specified. You may use k, M, G, T, P "
                  "or E suffixes for");
        img_error("kilobytes, megabytes, gigabytes, terabytes, petabytes "
                  "and exabytes.");
        return false;
    }
    return true;
}

bool img_cvtnum(const char *name, const char *text, uint64_t max,
                uint64_t *value)
{
    if (!parse_size(text, 0, value)) {
        img_error("Invalid %s specified. You may use k, M, G, T, P or E "
                  "suffixes for", name);
        img_error("kilobytes, megabytes, gigabytes, terabytes, petabytes "
                  "and exabytes.");
        return false;
    }
    if (*value > max) {
        img_error("Invalid %s specified. Must be between 0 and %" PRIu64 ".",
                  name, max);
        return false;
    }
    return true;
}

void img_progress(bool on, double percent)
{
    if (on) {
        printf("    (%0.2f/100%%)\r", percent);
        fflush(stdout);
    }
}

/* "--output=human|json" */
bool img_parse_output(const char *text, bool *json)
{
    if (!strcmp(text, "json")) {
        *json = true;
    } else if (!strcmp(text, "human")) {
        *json = false;
    } else {
        img_error("--output must be used with human or json as argument.");
        return false;
    }
    return true;
}

/* Cache mode names for -t/-T: the open flags each means here. */
bool img_parse_cache(const char *mode, int *flags)
{
    BlockCacheMode m;

    if (!block_cache_mode_parse(mode, &m)) {
        img_error("Invalid cache option: %s", mode);
        return false;
    }
    *flags = (m == BLOCK_CACHE_UNSAFE ? BDRV_O_UNSAFE : 0) |
             (block_cache_mode_is_direct(m) ? BDRV_O_NOCACHE : 0);
    return true;
}

bool img_parse_compat(const char *name, int *version)
{
    if (!strcmp(name, "0.10") || !strcmp(name, "v2")) {
        *version = 2;
    } else if (!strcmp(name, "1.1") || !strcmp(name, "v3")) {
        *version = 3;
    } else {
        return false;
    }
    return true;
}

/* ---- main ---- */

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *synopsis;
} commands[] = {
    { "amend", img_amend, "amend [--object objectdef] [--image-opts] [-p] "
      "[-q] [-f fmt] [-t cache] [--force] -o options filename" },
    { "bench", img_bench, "bench [-c count] [-d depth] [-f fmt] "
      "[--flush-interval=flush_interval] [-i aio] [-n] [--no-drain] "
      "[-o offset] [--pattern=pattern] [-q] [-s buffer_size] "
      "[-S step_size] [-t cache] [-w] [-U] filename" },
    { "check", img_check, "check [--object objectdef] [--image-opts] [-q] "
      "[-f fmt] [--output=ofmt] [-r [leaks | all]] [-T src_cache] [-U] "
      "filename" },
    { "commit", img_commit, "commit [--object objectdef] [--image-opts] "
      "[-q] [-f fmt] [-t cache] [-b base] [-r rate_limit] [-d] [-p] "
      "filename" },
    { "compare", img_compare, "compare [--object objectdef] [--image-opts] "
      "[-f fmt] [-F fmt] [-T src_cache] [-p] [-q] [-s] [-U] filename1 "
      "filename2" },
    { "convert", img_convert, "convert [--object objectdef] [--image-opts] "
      "[--target-image-opts] [--target-is-zero] [--bitmaps] [-U] [-C] [-c] "
      "[-p] [-q] [-n] [-f fmt] [-t cache] [-T src_cache] [-O output_fmt] "
      "[-B backing_file [-F backing_fmt]] [-o options] [-l snapshot_param] "
      "[-S sparse_size] [-r rate_limit] [-m num_coroutines] [-W] "
      "[--salvage] filename [filename2 [...]] output_filename" },
    { "create", img_create, "create [--object objectdef] [-q] [-f fmt] "
      "[-b backing_file [-F backing_fmt]] [-u] [-o options] filename "
      "[size]" },
    { "dd", img_dd, "dd [--image-opts] [-U] [-f fmt] [-O output_fmt] "
      "[bs=block_size] [count=blocks] [skip=blocks] if=input of=output" },
    { "info", img_info, "info [--object objectdef] [--image-opts] [-f fmt] "
      "[--output=ofmt] [--backing-chain] [-U] filename" },
    { "map", img_map, "map [--object objectdef] [--image-opts] [-f fmt] "
      "[--start-offset=offset] [--max-length=len] [--output=ofmt] [-U] "
      "filename" },
    { "measure", img_measure, "measure [--output=ofmt] [-O output_fmt] "
      "[-o options] [--size N | [--object objectdef] [--image-opts] "
      "[-f fmt] filename]" },
    { "rebase", img_rebase, "rebase [--object objectdef] [--image-opts] "
      "[-U] [-q] [-f fmt] [-t cache] [-T src_cache] [-p] [-u] -b "
      "backing_file [-F backing_fmt] filename" },
    { "resize", img_resize, "resize [--object objectdef] [--image-opts] "
      "[-f fmt] [--preallocation=prealloc] [-q] [--shrink] filename [+ | "
      "-]size" },
    { "snapshot", img_snapshot, "snapshot [--object objectdef] "
      "[--image-opts] [-U] [-q] [-l | -a snapshot | -c snapshot | -d "
      "snapshot] filename" },
};

static void help(void)
{
    g_autofree char *formats = bdrv_format_list();

    printf("emu-img version " EMU_VERSION "\n"
           "usage: emu-img [standard options] command [command options]\n"
           "Disk image utility (the commands and options of qemu-img)\n\n"
           "Command syntax:\n");
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        printf("  %s\n", commands[i].synopsis);
    }
    printf("\nSupported formats: %s\n\nSee docs/user-manual.md (emu-img) "
           "for the details.\n", formats);
}

int main(int argc, char **argv)
{
    g_autofree char *prgname = g_path_get_basename(argv[0]);

    g_set_prgname(prgname);
    /* A file size limit fails a write with EFBIG, reported with the
     * file's name, instead of killing emu-img half way. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        img_usage_error("Not enough arguments");
        return 1;
    }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        help();
        return 0;
    }
    if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
        printf("emu-img version " EMU_VERSION "\n");
        return 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        if (!strcmp(argv[1], commands[i].name)) {
            return commands[i].fn(argc - 1, argv + 1);
        }
    }
    img_error("Command not found: %s", argv[1]);
    return 1;
}
