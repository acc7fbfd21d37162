/*
 * BlockBackend, the API a disk device uses (block/block-backend.h):
 * reads and writes through raw and qcow2, read-only drives, the guard
 * on block 0 of a probed raw image, snapshot=on leaving the image
 * untouched, and the drive table's names and numbering.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <glib/gstdio.h>
#include "block/block-backend.h"
#include "block/block-int.h"
#include "block/aio-pool.h"
#include "sysemu/blockdev.h"

static char tmpdir[] = "/tmp/emu-test-blk-XXXXXX";

static char *make_image(const char *name, const char *format, uint64_t size)
{
    char *path = g_build_filename(tmpdir, name, NULL);
    BlockCreateOptions opts = { .size = size };

    g_assert_true(bdrv_create(bdrv_find_format(format), path, &opts,
                              &error_fatal));
    return path;
}

static void test_read_write(gconstpointer format)
{
    g_autofree char *path = make_image("rw.img", format, 1 << 20);
    BlockOpenOptions opts = { .format = format };
    BlockBackend *blk = blk_new_open("disk", path, &opts, &error_fatal);
    uint8_t out[3000], in[3000];

    g_assert_cmpuint(blk_getlength(blk), ==, 1 << 20);
    g_assert_true(blk_is_inserted(blk));
    for (size_t i = 0; i < sizeof(out); i++) {
        out[i] = i * 7;
    }
    g_assert_cmpint(blk_pwrite(blk, 70000, sizeof(out), out), ==, 0);
    g_assert_cmpint(blk_flush(blk), ==, 0);
    blk_unref(blk);

    blk = blk_new_open("disk", path, &opts, &error_fatal);
    g_assert_cmpint(blk_pread(blk, 70000, sizeof(in), in), ==, 0);
    g_assert_cmpmem(in, sizeof(in), out, sizeof(out));
    g_assert_cmpint(blk_pread(blk, (1 << 20) - 10, 20, in), ==, -EIO);
    g_assert_nonnull(strstr(blk_last_error(blk), "past the end"));
    blk_unref(blk);
    g_unlink(path);
}

/* discard=unmap gives whole clusters back and reads zeros; partial
 * ranges, and discard=ignore, write zeros. */
static void test_discard(gconstpointer format)
{
    g_autofree char *path = make_image("discard.img", format, 4 << 20);
    BlockOpenOptions opts = { .format = format, .discard_unmap = true };
    BlockBackend *blk = blk_new_open("disk", path, &opts, &error_fatal);
    g_autofree uint8_t *data = g_malloc(1 << 20);
    g_autofree uint8_t *back = g_malloc(1 << 20);
    g_autofree uint8_t *zeros = g_malloc0(1 << 20);

    memset(data, 0x5a, 1 << 20);
    g_assert_cmpint(blk_pwrite(blk, 1 << 20, 1 << 20, data), ==, 0);
    g_assert_cmpint(blk_flush(blk), ==, 0);
    /* 1000 bytes into the first cluster to 1000 bytes before the end. */
    g_assert_cmpint(blk_pdiscard(blk, (1 << 20) + 1000, (1 << 20) - 2000),
                    ==, 0);
    g_assert_cmpint(blk_pread(blk, 1 << 20, 1 << 20, back), ==, 0);
    g_assert_cmpmem(back, 1000, data, 1000);
    g_assert_cmpmem(back + 1000, (1 << 20) - 2000, zeros, (1 << 20) - 2000);
    g_assert_cmpmem(back + (1 << 20) - 1000, 1000, data, 1000);
    /* Whole clusters: deallocated. */
    g_assert_cmpint(blk_pwrite(blk, 2 << 20, 1 << 20, data), ==, 0);
    g_assert_cmpint(blk_pdiscard(blk, 2 << 20, 1 << 20), ==, 0);
    g_assert_cmpint(blk_pread(blk, 2 << 20, 1 << 20, back), ==, 0);
    g_assert_cmpmem(back, 1 << 20, zeros, 1 << 20);
    g_assert_cmpint(blk_flush(blk), ==, 0);
    blk_unref(blk);
    g_unlink(path);
}

static void test_read_only(void)
{
    g_autofree char *path = make_image("ro.img", "raw", 4096);
    BlockOpenOptions opts = { .format = "raw", .read_only = true };
    BlockBackend *blk = blk_new_open("cd", path, &opts, &error_fatal);
    uint8_t buf[512] = { 1 };

    g_assert_true(blk_is_read_only(blk));
    g_assert_cmpint(blk_pwrite(blk, 0, sizeof(buf), buf), ==, -EACCES);
    g_assert_cmpstr(blk_last_error(blk), ==, "cd: the drive is read-only");
    blk_unref(blk);
    g_unlink(path);
}

/* A guest must not turn a guessed-raw disk into a qcow2 header. */
static void test_probed_raw_block0(void)
{
    g_autofree char *path = make_image("probed.img", "raw", 65536);
    BlockOpenOptions opts = { 0 };
    BlockBackend *blk = blk_new_open("disk", path, &opts, &error_fatal);
    uint8_t magic[8] = { 'Q', 'F', 'I', 0xfb, 0, 0, 0, 3 };
    uint8_t zeros[512] = { 0 };

    g_assert_cmpint(blk_pwrite(blk, 0, sizeof(magic), magic), ==, -EPERM);
    g_assert_nonnull(strstr(blk_last_error(blk), "block 0 refused"));
    /* Anything else, and the same bytes elsewhere, are fine. */
    g_assert_cmpint(blk_pwrite(blk, 0, sizeof(zeros), zeros), ==, 0);
    g_assert_cmpint(blk_pwrite(blk, 4096, sizeof(magic), magic), ==, 0);
    blk_unref(blk);

    /* Given as raw, the image is the guest's to write. */
    opts.format = "raw";
    blk = blk_new_open("disk", path, &opts, &error_fatal);
    g_assert_cmpint(blk_pwrite(blk, 0, sizeof(magic), magic), ==, 0);
    blk_unref(blk);
    g_unlink(path);
}

static void test_snapshot_overlay(void)
{
    g_autofree char *path = make_image("base.qcow2", "qcow2", 1 << 20);
    BlockOpenOptions opts = { .format = "qcow2", .snapshot = true };
    BlockBackend *blk = blk_new_open("disk", path, &opts, &error_fatal);
    uint8_t data[4096], back[4096];
    g_autoptr(GArray) info = NULL;
    BlockBackendInfo *b;

    memset(data, 0x5a, sizeof(data));
    g_assert_cmpint(blk_pwrite(blk, 8192, sizeof(data), data), ==, 0);
    g_assert_cmpint(blk_pread(blk, 8192, sizeof(back), back), ==, 0);
    g_assert_cmpmem(back, sizeof(back), data, sizeof(data));
    info = blk_query_all();
    b = &g_array_index(info, BlockBackendInfo, 0);
    g_assert_cmpstr(b->format, ==, "qcow2");
    g_assert_true(g_str_has_prefix(b->filename, "json:{\"backing\""));
    g_assert_cmpstr(b->backing_file, ==, path);
    g_assert_true(b->no_flush);
    blk_unref(blk);

    /* The image never saw the write. */
    opts.snapshot = false;
    blk = blk_new_open("disk", path, &opts, &error_fatal);
    g_assert_cmpint(blk_pread(blk, 8192, sizeof(back), back), ==, 0);
    for (size_t i = 0; i < sizeof(back); i++) {
        g_assert_cmpint(back[i], ==, 0);
    }
    blk_unref(blk);
    g_unlink(path);
}

static void test_cache_modes(void)
{
    static const char *const names[] = {
        "writeback", "writethrough", "unsafe", "none", "directsync",
    };
    BlockCacheMode mode;

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        g_assert_true(block_cache_mode_parse(names[i], &mode));
        g_assert_cmpint(mode, ==, i);
    }
    g_assert_false(block_cache_mode_parse("fast", &mode));
}

static void test_drive_names(void)
{
    g_autofree char *path = make_image("drive.img", "raw", 4096);
    g_autofree char *opts = g_strdup_printf("file=%s,format=raw,if=ide,"
                                            "index=3", path);
    g_autofree char *cd = g_strdup_printf("file=%s,format=raw,if=ide,"
                                          "media=cdrom", path);
    DriveInfo *d;
    Error *err = NULL;

    drive_set_machine_defaults(IF_NONE, 0);
    g_assert_true(drive_add(opts, &error_fatal));
    d = drive_get(IF_IDE, 3);
    g_assert_nonnull(d);
    g_assert_cmpstr(d->id, ==, "ide1-hd1");
    g_assert_cmpint(d->bus, ==, 1);
    /* The same image read-write twice in one emu: our own lock refuses. */
    g_assert_false(drive_add(opts, &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "drive with bus=1, unit=1 (index=3) exists");
    g_clear_pointer(&err, error_free);
    g_assert_true(drive_add("if=ide,media=cdrom", &error_fatal));
    d = drive_get(IF_IDE, 0);
    g_assert_cmpstr(d->id, ==, "ide0-cd0");
    g_assert_false(blk_is_inserted(d->blk));
    /* Unused drives come in the order they were given. */
    g_assert_true(drive_first_unused() == drive_get(IF_IDE, 3));
    drive_mark_used(drive_get(IF_IDE, 3));
    g_assert_true(drive_first_unused() == d);
    drive_mark_used(d);
    g_assert_null(drive_first_unused());
    g_assert_false(drive_add(cd, &err));
    g_assert_nonnull(strstr(error_get_pretty(err), "lock"));
    error_free(err);
    drive_cleanup_all();
    g_assert_null(blk_next(NULL));
    g_unlink(path);
}

/* Asynchronous requests: what each callback saw, in completion order. */
typedef struct AioLog {
    GArray *done;                /* int: the request's number */
    int ret[8];
    bool on_main_thread;
    GThread *main_thread;
} AioLog;

typedef struct AioCall {
    AioLog *log;
    int number;
} AioCall;

static void aio_logged(void *opaque, int ret)
{
    AioCall *call = opaque;

    call->log->ret[call->number] = ret;
    call->log->on_main_thread &= g_thread_self() == call->log->main_thread;
    g_array_append_val(call->log->done, call->number);
}

static void test_aio_requests(gconstpointer format)
{
    g_autofree char *path = make_image("aio.img", format, 1 << 20);
    BlockOpenOptions opts = { .format = format };
    BlockBackend *blk = blk_new_open("disk", path, &opts, &error_fatal);
    AioLog log = {
        .done = g_array_new(false, false, sizeof(int)),
        .on_main_thread = true,
        .main_thread = g_thread_self(),
    };
    AioCall calls[8];
    uint8_t a[8192], b[8192], in[8192], past[16];

    for (int i = 0; i < 8; i++) {
        calls[i] = (AioCall) { &log, i };
    }
    memset(a, 0xaa, sizeof(a));
    memset(b, 0xbb, sizeof(b));
    /* Two writes to the same bytes, a flush, a read of them, a read
     * past the end: they complete in that order, the read sees the
     * second write, the last fails as blk_pread would. */
    blk_aio_pwrite(blk, 4096, sizeof(a), a, aio_logged, &calls[0]);
    blk_aio_pwrite(blk, 4096, sizeof(b), b, aio_logged, &calls[1]);
    blk_aio_flush(blk, aio_logged, &calls[2]);
    blk_aio_pread(blk, 4096, sizeof(in), in, aio_logged, &calls[3]);
    blk_aio_pread(blk, (1 << 20) - 8, sizeof(past), past, aio_logged,
                  &calls[4]);
    /* Nothing runs a callback before the caller polls or drains. */
    g_assert_cmpuint(log.done->len, ==, 0);
    g_assert_cmpuint(blk_in_flight(blk), ==, 5);
    blk_drain(blk);
    g_assert_cmpuint(blk_in_flight(blk), ==, 0);
    g_assert_cmpuint(log.done->len, ==, 5);
    for (int i = 0; i < 5; i++) {
        g_assert_cmpint(g_array_index(log.done, int, i), ==, i);
    }
    g_assert_true(log.on_main_thread);
    g_assert_cmpint(log.ret[0] | log.ret[1] | log.ret[2] | log.ret[3], ==,
                    0);
    g_assert_cmpmem(in, sizeof(in), b, sizeof(b));
    g_assert_cmpint(log.ret[4], ==, -EIO);
    g_assert_nonnull(strstr(blk_last_error(blk), "past the end"));

    /* aio_poll, the loop of programs without emu's main loop. */
    blk_aio_pread(blk, 0, 4096, in, aio_logged, &calls[5]);
    while (blk_in_flight(blk)) {
        aio_poll(true);
    }
    g_assert_cmpint(g_array_index(log.done, int, 5), ==, 5);

    /* Closing drains: the write lands and its callback has run. */
    blk_aio_pwrite(blk, 0, sizeof(a), a, aio_logged, &calls[6]);
    blk_unref(blk);
    g_assert_cmpuint(log.done->len, ==, 7);
    blk = blk_new_open("disk", path, &opts, &error_fatal);
    g_assert_cmpint(blk_pread(blk, 0, sizeof(in), in), ==, 0);
    g_assert_cmpmem(in, sizeof(in), a, sizeof(a));
    blk_unref(blk);
    g_array_unref(log.done);
    g_unlink(path);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    g_assert_nonnull(mkdtemp(tmpdir));
    g_test_add_data_func("/block-backend/read-write/raw", "raw",
                         test_read_write);
    g_test_add_data_func("/block-backend/read-write/qcow2", "qcow2",
                         test_read_write);
    g_test_add_data_func("/block-backend/aio/raw", "raw", test_aio_requests);
    g_test_add_data_func("/block-backend/aio/qcow2", "qcow2",
                         test_aio_requests);
    g_test_add_data_func("/block-backend/discard/raw", "raw", test_discard);
    g_test_add_data_func("/block-backend/discard/qcow2", "qcow2",
                         test_discard);
    g_test_add_func("/block-backend/read-only", test_read_only);
    g_test_add_func("/block-backend/probed-raw-block0",
                    test_probed_raw_block0);
    g_test_add_func("/block-backend/snapshot-overlay", test_snapshot_overlay);
    g_test_add_func("/block-backend/cache-modes", test_cache_modes);
    g_test_add_func("/block-backend/drive-names", test_drive_names);
    ret = g_test_run();
    g_rmdir(tmpdir);
    return ret;
}
