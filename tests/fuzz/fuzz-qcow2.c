/*
 * Fuzz target: the qcow2 driver on a hostile image: header, extensions,
 * L1/L2 and refcount tables, snapshot table, compressed clusters.  The
 * input is the image file, held in memory (a memfd opened through
 * /proc/self/fd, so no host file is touched) and opened read-write
 * without its backing chain.  Then what emu-img and a disk do with it:
 * map it, read it, write a cluster (allocation and refcount updates),
 * list the snapshots and check it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <sys/mman.h>
#include <sys/resource.h>
#include "block/block-int.h"
#include "block/qcow2.h"
#include "fuzz.h"

/* Enough to cover a few clusters' worth of mapping without letting an
 * image of 2^63 bytes of holes take all night. */
#define MAX_EXTENTS 64
#define IO_BYTES (64 * 1024)
/* A file system's largest file, here small: corrupt metadata can point
 * writes anywhere, and a memfd would grow to 2^62 bytes (sparse). */
#define MAX_FILE_SIZE (64 * 1024 * 1024)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct rlimit limit = { MAX_FILE_SIZE, MAX_FILE_SIZE };

    /* Writes past it fail with EFBIG, as on a real file system. */
    signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &limit);
    return 0;
}

static void map_image(BlockDriverState *bs)
{
    uint64_t offset = 0;

    for (int i = 0; i < MAX_EXTENTS && offset < bs->size; i++) {
        uint64_t pnum = 0, map;

        if (bdrv_block_status(bs, offset, bs->size - offset, &pnum,
                              &map) < 0 || pnum == 0) {
            break;
        }
        offset += pnum;
    }
}

static void read_and_write(BlockDriverState *bs)
{
    static uint8_t buf[IO_BYTES];
    uint64_t len = MIN(bs->size, IO_BYTES);
    uint64_t tail = bs->size - len;

    bdrv_pread(bs, 0, len, buf);
    bdrv_pread(bs, tail / 2 & ~511ull, len, buf);
    bdrv_pread(bs, tail, len, buf);
    memset(buf, 0xa5, sizeof(buf));
    bdrv_pwrite(bs, tail / 2 & ~511ull, len, buf);
    bdrv_pread(bs, tail / 2 & ~511ull, len, buf);
}

static void list_and_check(BlockDriverState *bs)
{
    SnapshotInfo *list = NULL;
    int n = bs->drv->snapshot_list(bs, &list);
    BlockCheckResult res = { 0 };

    snapshot_info_list_free(list, MAX(n, 0));
    bs->drv->check(bs, &res, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz-qcow2", 0);
    g_autofree char *path = g_strdup_printf("/proc/self/fd/%d", fd);
    BlockDriverState *bs;
    Error *err = NULL;

    g_assert(fd >= 0);
    g_assert(write(fd, data, size) == (ssize_t)size);
    bs = bdrv_open(path, "qcow2", BDRV_O_RDWR | BDRV_O_NO_BACKING |
                   BDRV_O_NO_LOCK | BDRV_O_UNSAFE, &err);
    if (!bs) {
        g_assert(err && *error_get_pretty(err));
        error_free(err);
        close(fd);
        return 0;
    }
    map_image(bs);
    read_and_write(bs);
    list_and_check(bs);
    bdrv_unref(bs);
    close(fd);
    return 0;
}
