/*
 * emu-img bench: qemu-img's request benchmark.  count requests of
 * buffer_size bytes, depth of them in flight at a time, go through the
 * block layer's asynchronous requests (the thread pool devices use),
 * starting at offset and each step bytes after the last, wrapping
 * before the end of the image (QEMU's rule since 10.0: modulo the
 * image size less the buffer size, so a request never runs past the
 * end; QEMU 7.2 wrapped modulo the image size and could fail there); reads by default, writes of the pattern
 * byte with -w, optionally a flush every flush_interval requests (with
 * the queue drained first unless --no-drain).  The output is
 * qemu-img's: what is sent, then the time the run took.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <getopt.h>
#include "block/aio-pool.h"
#include "block/block-backend.h"
#include "tools/emu-img.h"

typedef struct Bench {
    BlockBackend *blk;
    uint64_t image_size;
    uint64_t bufsize, step, offset;
    int n;                       /* requests not yet completed */
    int in_flight;
    int depth;
    bool write;
    int flush_interval;
    bool drain_on_flush;
    bool in_flush;               /* a draining flush is running */
    uint8_t *buf;                /* depth slots of bufsize bytes */
    GArray *free_slots;          /* int */
    bool failed;
} Bench;

typedef struct BenchRequest {
    Bench *b;
    int slot;
} BenchRequest;

static void bench_fill(Bench *b);

static void bench_check(Bench *b, int ret)
{
    if (ret < 0 && !b->failed) {
        img_error("Failed request: %s (%s)", strerror(-ret),
                  blk_last_error(b->blk));
        b->failed = true;
    }
}

static void bench_undrained_flush_done(void *opaque, int ret)
{
    bench_check(opaque, ret);
}

static void bench_drained_flush_done(void *opaque, int ret)
{
    Bench *b = opaque;

    bench_check(b, ret);
    b->in_flush = false;
    bench_fill(b);
}

static void bench_request_done(void *opaque, int ret)
{
    BenchRequest *req = opaque;
    Bench *b = req->b;
    int remaining = b->n - b->in_flight;

    bench_check(b, ret);
    g_array_append_val(b->free_slots, req->slot);
    g_free(req);
    b->n--;
    b->in_flight--;
    /* Every flush_interval requests sent, a flush: after the requests
     * in flight have finished unless --no-drain, as qemu-img does. */
    if (b->flush_interval && remaining % b->flush_interval == 0) {
        if (!b->drain_on_flush) {
            blk_aio_flush(b->blk, bench_undrained_flush_done, b);
        } else if (b->in_flight == 0) {
            b->in_flush = true;
            blk_aio_flush(b->blk, bench_drained_flush_done, b);
            return;
        } else {
            return;
        }
    }
    bench_fill(b);
}

/* Sends requests until depth are in flight or none are left to send. */
static void bench_fill(Bench *b)
{
    while (!b->failed && !b->in_flush && b->n > b->in_flight &&
           b->in_flight < b->depth) {
        BenchRequest *req = g_new(BenchRequest, 1);
        uint64_t offset = b->offset;
        uint8_t *buf;

        req->b = b;
        req->slot = g_array_index(b->free_slots, int,
                                  b->free_slots->len - 1);
        g_array_set_size(b->free_slots, b->free_slots->len - 1);
        buf = b->buf + req->slot * b->bufsize;
        b->in_flight++;
        /* The next offset wraps so that a request never passes the end
         * (qemu-img's arithmetic, so both tools touch the same bytes). */
        b->offset += b->step;
        b->offset = b->image_size <= b->bufsize
                    ? 0 : b->offset % (b->image_size - b->bufsize);
        if (b->write) {
            blk_aio_pwrite(b->blk, offset, b->bufsize, buf,
                           bench_request_done, req);
        } else {
            blk_aio_pread(b->blk, offset, b->bufsize, buf,
                          bench_request_done, req);
        }
    }
}

/* A number in [min, max] (decimal, 0x hex or 0 octal, as qemu-img
 * takes them); qemu-img's message when it is not. */
static bool bench_int(const char *text, int min, int max, const char *what,
                      int *value)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(text, &end, 0);
    if (errno || end == text || *end || text[0] == '-' ||
        v < (unsigned long long)min || v > (unsigned long long)max) {
        img_error("Invalid %s specified", what);
        return false;
    }
    *value = v;
    return true;
}

enum {
    OPT_FLUSH_INTERVAL = 256,
    OPT_IMAGE_OPTS,
    OPT_PATTERN,
    OPT_NO_DRAIN,
};

int img_bench(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "flush-interval", required_argument, NULL, OPT_FLUSH_INTERVAL },
        { "image-opts", no_argument, NULL, OPT_IMAGE_OPTS },
        { "pattern", required_argument, NULL, OPT_PATTERN },
        { "no-drain", no_argument, NULL, OPT_NO_DRAIN },
        { NULL, 0, NULL, 0 },
    };
    BlockOpenOptions opts = { .read_only = true };
    Bench b = { .bufsize = 4096, .depth = 64, .drain_on_flush = true };
    Error *err = NULL;
    uint64_t step = 0;
    int count = 75000, pattern = 0;
    gint64 start;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":hc:d:f:i:no:qs:S:t:wU",
                            long_options, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (!bench_int(optarg, 0, INT_MAX, "request count", &count)) {
                return 1;
            }
            break;
        case 'd':
            /* qemu-img takes 0 and then waits forever. */
            if (!bench_int(optarg, 1, INT_MAX, "queue depth", &b.depth)) {
                return 1;
            }
            break;
        case 'f':
            opts.format = optarg;
            break;
        case 'i':
            if (strcmp(optarg, "threads")) {
                img_error("Invalid aio option: %s (emu-img has aio=threads "
                          "only)", optarg);
                return 1;
            }
            break;
        case 'n':
            img_error("-n (aio=native) is not supported: emu-img's "
                      "requests run on its thread pool (aio=threads)");
            return 1;
        case 'o':
            if (!img_cvtnum("offset", optarg, INT64_MAX, &b.offset)) {
                return 1;
            }
            break;
        case 'q':
            break;
        case 's':
            if (!img_cvtnum("buffer size", optarg, INT_MAX, &b.bufsize)) {
                return 1;
            }
            if (!b.bufsize) {
                /* qemu-img takes 0 and sends empty requests. */
                img_error("Invalid buffer size specified. Must be between 1 "
                          "and %d.", INT_MAX);
                return 1;
            }
            break;
        case 'S':
            if (!img_cvtnum("step_size", optarg, INT_MAX, &step)) {
                return 1;
            }
            break;
        case 't':
            if (!block_cache_mode_parse(optarg, &opts.cache)) {
                img_error("Invalid cache mode");
                return 1;
            }
            break;
        case 'w':
            opts.read_only = false;
            b.write = true;
            break;
        case 'U':
            opts.share_write = true;
            break;
        case OPT_PATTERN:
            if (!bench_int(optarg, 0, 0xff, "pattern byte", &pattern)) {
                return 1;
            }
            break;
        case OPT_FLUSH_INTERVAL:
            if (!bench_int(optarg, 0, INT_MAX, "flush interval", &b.flush_interval)) {
                return 1;
            }
            break;
        case OPT_NO_DRAIN:
            b.drain_on_flush = false;
            break;
        case OPT_IMAGE_OPTS:
            img_error("--image-opts is not supported by emu-img");
            return 1;
        case 'h':
            printf("emu-img bench [-c count] [-d depth] [-f fmt] "
                   "[--flush-interval=flush_interval] [-i aio] [-n] "
                   "[--no-drain] [-o offset] [--pattern=pattern] [-q] "
                   "[-s buffer_size] [-S step_size] [-t cache] [-w] [-U] "
                   "filename\n");
            return 0;
        case ':':
            img_usage_error("option requires an argument -- '%c'", optopt);
            return 1;
        default:
            img_usage_error("invalid option -- '%c'", optopt);
            return 1;
        }
    }
    if (optind != argc - 1) {
        img_usage_error("Expecting one image file name");
        return 1;
    }
    if (!b.write && b.flush_interval) {
        img_error("--flush-interval is only available in write tests");
        return 1;
    }
    if (b.flush_interval && b.flush_interval < b.depth) {
        img_error("Flush interval can't be smaller than depth");
        return 1;
    }
    b.blk = blk_new_open(argv[optind], argv[optind], &opts, &err);
    if (!b.blk) {
        img_report_err(NULL, err);
        return 1;
    }
    b.image_size = blk_getlength(b.blk);
    b.step = step ? step : b.bufsize;
    b.n = count;
    printf("Sending %d %s requests, %" PRIu64 " bytes each, %d in parallel "
           "(starting at offset %" PRIu64 ", step size %" PRIu64 ")\n",
           b.n, b.write ? "write" : "read", b.bufsize, b.depth, b.offset,
           b.step);
    if (b.flush_interval) {
        printf("Sending flush every %d requests\n", b.flush_interval);
    }
    fflush(stdout);
    /* Page aligned, so that cache=none (O_DIRECT) needs no bounce
     * buffer, as qemu-img's blk_blockalign. */
    b.buf = g_aligned_alloc((size_t)b.depth, b.bufsize, 4096);
    memset(b.buf, pattern, (size_t)b.depth * b.bufsize);
    b.free_slots = g_array_sized_new(false, false, sizeof(int), b.depth);
    for (int i = b.depth - 1; i >= 0; i--) {
        g_array_append_val(b.free_slots, i);
    }

    start = g_get_monotonic_time();
    bench_fill(&b);
    while (b.in_flight || b.in_flush) {
        aio_poll(true);
    }
    if (!b.failed) {
        printf("Run completed in %3.3f seconds.\n",
               (g_get_monotonic_time() - start) / 1e6);
    }
    blk_unref(b.blk);
    g_array_unref(b.free_slots);
    g_aligned_free(b.buf);
    return b.failed ? 1 : 0;
}
