/*
 * The "file" protocol driver: a host file (or block device) under a
 * format node, through RawFile (locks, retries, messages).  Reads past
 * the end of the file read zeros, as a format growing its image expects;
 * writes past it extend the file.  Holes are reported as zeros.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/fs.h>
#include "block/block.h"
#include "block/block-int.h"

typedef struct FileState {
    RawFile *file;
    /*
     * cache=none|directsync: the file is opened with O_DIRECT, whose
     * transfers must start and end on request_align and whose buffers
     * must sit on buf_align in memory.  Requests that do not are done
     * through an aligned bounce buffer (read-modify-write at the edges),
     * as QEMU does.
     */
    bool direct;
    uint32_t request_align, buf_align;
    /* bdrv_file_watch: who hears that the file stopped being intact
     * (NULL: nobody); a recreated file is watched for them too. */
    RawFileChangedFunc *changed;
    void *changed_opaque;
} FileState;

/*
 * The alignment O_DIRECT needs on this file: the sector size of a
 * block device, what the file system reports (statx, Linux 6.1), or
 * else 4 KiB, which every device and file system accepts.
 */
static void file_probe_alignment(FileState *s, int fd)
{
    struct stat st;
    int sector;

    s->request_align = s->buf_align = 4096;
    if (fstat(fd, &st) == 0 && S_ISBLK(st.st_mode) &&
        ioctl(fd, BLKSSZGET, &sector) == 0 && sector > 0) {
        s->request_align = s->buf_align = sector;
        return;
    }
#ifdef STATX_DIOALIGN
    struct statx stx;

    if (statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &stx) == 0 &&
        (stx.stx_mask & STATX_DIOALIGN) && stx.stx_dio_offset_align) {
        s->request_align = stx.stx_dio_offset_align;
        s->buf_align = MAX(stx.stx_dio_mem_align, 1);
    }
#endif
}

static unsigned file_raw_flags(int flags)
{
    return (flags & BDRV_O_RDWR ? 0 : RAW_FILE_READONLY) |
           (flags & BDRV_O_NO_LOCK ? RAW_FILE_NO_LOCK : 0) |
           (flags & BDRV_O_NOCACHE ? RAW_FILE_DIRECT : 0);
}

static bool file_open(BlockDriverState *bs, int flags, Error **errp)
{
    FileState *s = bs->opaque;
    Error *err = NULL;

    s->file = raw_file_open(bs->filename, file_raw_flags(flags), &err);
    if (!s->file && access(bs->filename, F_OK) < 0 && errno == ENOENT) {
        /* QEMU's words for the commonest mistake. */
        error_setg(errp, "Could not open '%s': No such file or directory",
                   bs->filename);
        error_free(err);
        return false;
    }
    if (!s->file) {
        /* qemu-img's words: "Could not open 'f': <why>" */
        error_setg(errp, "Could not open '%s': %s", bs->filename,
                   error_get_pretty(err));
        if (error_get_hint(err)) {
            error_append_hint(errp, "%s", error_get_hint(err));
        }
        error_free(err);
        return false;
    }
    s->direct = flags & BDRV_O_NOCACHE;
    if (s->direct) {
        file_probe_alignment(s, raw_file_fd(s->file));
    }
    bs->size = raw_file_length(s->file);
    return true;
}

static bool file_reopen(BlockDriverState *bs, int flags, Error **errp)
{
    FileState *s = bs->opaque;

    return raw_file_reopen(s->file, !(flags & BDRV_O_RDWR), errp);
}

static void file_close(BlockDriverState *bs)
{
    FileState *s = bs->opaque;

    raw_file_close(s->file);
}

/* The host's errno goes up (a full disk is ENOSPC, a file size limit
 * EFBIG, as QEMU reports them); EIO when there is none. */
static int file_error(BlockDriverState *bs, Error *err)
{
    int os_errno = error_get_errno(err);
    int ret = bdrv_fail(bs, os_errno ? os_errno : EIO, "%s",
                        error_get_pretty(err));

    error_free(err);
    return ret;
}

static bool file_is_aligned(FileState *s, uint64_t offset, uint64_t bytes,
                            const void *buf)
{
    return !s->direct ||
           (offset % s->request_align == 0 &&
            bytes % s->request_align == 0 &&
            (uintptr_t)buf % s->buf_align == 0);
}

/* What lies past the end of the file reads as zeros. */
static int file_read_to_eof(BlockDriverState *bs, uint64_t offset,
                            uint64_t bytes, void *buf)
{
    FileState *s = bs->opaque;
    Error *err = NULL;
    size_t done;

    if (!raw_file_pread_to_eof(s->file, offset, buf, bytes, &done, &err)) {
        return file_error(bs, err);
    }
    memset((uint8_t *)buf + done, 0, bytes - done);
    return 0;
}

/* A bounce buffer covering [offset, offset + bytes) on O_DIRECT's
 * boundaries: *start is where it begins in the file. */
static uint8_t *file_bounce_new(FileState *s, uint64_t offset,
                                uint64_t bytes, uint64_t *start,
                                uint64_t *len)
{
    void *bounce;

    *start = offset / s->request_align * s->request_align;
    *len = DIV_ROUND_UP(offset + bytes, s->request_align) *
           s->request_align - *start;
    if (posix_memalign(&bounce, MAX(s->buf_align, sizeof(void *)), *len)) {
        return NULL;
    }
    return bounce;
}

static int file_pread(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                      void *buf)
{
    FileState *s = bs->opaque;
    uint64_t start, len;
    uint8_t *bounce;
    int ret;

    if (file_is_aligned(s, offset, bytes, buf)) {
        return file_read_to_eof(bs, offset, bytes, buf);
    }
    bounce = file_bounce_new(s, offset, bytes, &start, &len);
    if (!bounce) {
        return bdrv_fail(bs, ENOMEM, "%s: no memory for a %" PRIu64
                         "-byte bounce buffer", bs->filename, len);
    }
    ret = file_read_to_eof(bs, start, len, bounce);
    if (!ret) {
        memcpy(buf, bounce + (offset - start), bytes);
    }
    free(bounce);
    return ret;
}

static int file_write_aligned(BlockDriverState *bs, uint64_t offset,
                              uint64_t bytes, const void *buf)
{
    FileState *s = bs->opaque;
    Error *err = NULL;

    if (!raw_file_pwrite(s->file, offset, buf, bytes, &err)) {
        return file_error(bs, err);
    }
    return 0;
}

/*
 * An O_DIRECT write that does not fall on the boundaries: the partial
 * blocks at either edge are read, the new bytes copied in, and the
 * whole blocks written.  A write ending inside the last block of the
 * file would leave the file longer by the rest of that block: it is cut
 * back, so a raw image keeps its size.
 */
static int file_bounce_pwrite(BlockDriverState *bs, uint64_t offset,
                              uint64_t bytes, const void *buf)
{
    FileState *s = bs->opaque;
    uint64_t old_length = raw_file_length(s->file);
    uint64_t start, len, end = offset + bytes;
    uint8_t *bounce = file_bounce_new(s, offset, bytes, &start, &len);
    Error *err = NULL;
    int ret = 0;

    if (!bounce) {
        return bdrv_fail(bs, ENOMEM, "%s: no memory for a %" PRIu64
                         "-byte bounce buffer", bs->filename, len);
    }
    if (offset > start) {
        ret = file_read_to_eof(bs, start, s->request_align, bounce);
    }
    if (!ret && end < start + len) {
        ret = file_read_to_eof(bs, start + len - s->request_align,
                               s->request_align,
                               bounce + len - s->request_align);
    }
    if (!ret) {
        memcpy(bounce + (offset - start), buf, bytes);
        ret = file_write_aligned(bs, start, len, bounce);
    }
    if (!ret && start + len > old_length && end < start + len &&
        !raw_file_truncate(s->file, MAX(old_length, end), &err)) {
        ret = file_error(bs, err);
    }
    free(bounce);
    return ret;
}

static int file_pwrite(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                       const void *buf)
{
    FileState *s = bs->opaque;
    int ret = file_is_aligned(s, offset, bytes, buf)
              ? file_write_aligned(bs, offset, bytes, buf)
              : file_bounce_pwrite(bs, offset, bytes, buf);

    bs->size = raw_file_length(s->file);
    return ret;
}

static int file_pwrite_zeroes(BlockDriverState *bs, uint64_t offset,
                              uint64_t bytes, int flags)
{
    FileState *s = bs->opaque;
    Error *err = NULL;

    if (!raw_file_write_zeroes(s->file, offset, bytes,
                               flags & BDRV_REQ_MAY_UNMAP, &err)) {
        return file_error(bs, err);
    }
    bs->size = raw_file_length(s->file);
    return 0;
}

static int file_flush(BlockDriverState *bs)
{
    FileState *s = bs->opaque;
    Error *err = NULL;

    if (bs->flags & BDRV_O_UNSAFE) {
        return 0;
    }
    return raw_file_flush(s->file, &err) ? 0 : file_error(bs, err);
}

static int file_block_status(BlockDriverState *bs, uint64_t offset,
                             uint64_t bytes, uint64_t *pnum, uint64_t *map)
{
    FileState *s = bs->opaque;
    int fd = raw_file_fd(s->file);
    off_t data = lseek(fd, offset, SEEK_DATA);
    off_t hole;

    *map = offset;
    if (data < 0 && errno == ENXIO) {
        *pnum = bytes;               /* a hole to the end */
        return BDRV_BLOCK_ZERO | BDRV_BLOCK_OFFSET_VALID;
    }
    if (data < 0) {                  /* no SEEK_DATA here: all data */
        *pnum = bytes;
        return BDRV_BLOCK_DATA | BDRV_BLOCK_OFFSET_VALID;
    }
    if ((uint64_t)data > offset) {
        *pnum = MIN(bytes, (uint64_t)data - offset);
        return BDRV_BLOCK_ZERO | BDRV_BLOCK_OFFSET_VALID;
    }
    hole = lseek(fd, offset, SEEK_HOLE);
    *pnum = hole > (off_t)offset ? MIN(bytes, (uint64_t)hole - offset)
                                 : bytes;
    return BDRV_BLOCK_DATA | BDRV_BLOCK_OFFSET_VALID;
}

static bool file_resize(BlockDriverState *bs, uint64_t size, Error **errp)
{
    FileState *s = bs->opaque;

    if (!raw_file_truncate(s->file, size, errp)) {
        return false;
    }
    bs->size = size;
    return true;
}

static uint64_t file_allocated_size(BlockDriverState *bs)
{
    FileState *s = bs->opaque;
    struct stat st;

    return fstat(raw_file_fd(s->file), &st) < 0 ? 0
                                                 : (uint64_t)st.st_blocks * 512;
}

void bdrv_file_watch(BlockDriverState *bs, RawFileChangedFunc *changed,
                     void *opaque)
{
    FileState *s = bs->opaque;

    g_assert(bs->drv == &bdrv_file);
    s->changed = changed;
    s->changed_opaque = opaque;
    raw_file_watch(s->file, changed, opaque);
}

RawFileState bdrv_file_state(BlockDriverState *bs, Error **errp)
{
    FileState *s = bs->opaque;

    g_assert(bs->drv == &bdrv_file);
    return raw_file_state(s->file, errp);
}

bool bdrv_file_recreate(BlockDriverState *bs, Error **errp)
{
    FileState *s = bs->opaque;
    Error *err = NULL;
    RawFile *f;

    g_assert(bs->drv == &bdrv_file);
    if (raw_file_state(s->file, &err) != RAW_FILE_GONE) {
        error_free(err);
        return true;
    }
    error_free(err);
    f = raw_file_open(bs->filename, file_raw_flags(bs->flags) |
                      RAW_FILE_CREATE, errp);
    if (!f) {
        return false;
    }
    raw_file_close(s->file);
    s->file = f;
    bs->size = raw_file_length(f);
    if (s->changed) {
        raw_file_watch(f, s->changed, s->changed_opaque);
    }
    return true;
}

/*
 * Makes a file of opts->size bytes (0: an empty file a format writes its
 * header into): sparse, or with its space reserved or written as
 * preallocation= says.
 */
static bool file_create(const char *filename, const BlockCreateOptions *opts,
                        Error **errp)
{
    BlockPrealloc mode = bdrv_prealloc_mode(opts);
    BlockDriverState *bs;
    RawFile *f;
    bool ok;

    if (mode == BDRV_PREALLOC_INVALID) {
        error_setg(errp, "invalid parameter value: %s", opts->preallocation);
        return false;
    }
    f = raw_file_open(filename, RAW_FILE_CREATE, errp);
    if (!f) {
        error_prepend(errp, "Could not create '%s': ", filename);
        return false;
    }
    ok = raw_file_truncate(f, 0, errp);
    if (ok && mode == BDRV_PREALLOC_METADATA) {
        /* QEMU's order: the file is made (empty), then refused. */
        error_setg(errp, "Unsupported preallocation mode: metadata");
        ok = false;
    }
    if (ok && mode == BDRV_PREALLOC_OFF) {
        ok = raw_file_truncate(f, opts->size, errp);
    }
    raw_file_close(f);
    if (!ok || mode == BDRV_PREALLOC_OFF || !opts->size) {
        return ok;
    }
    bs = bdrv_open(filename, "file", BDRV_O_RDWR, errp);
    if (!bs) {
        return false;
    }
    if (bdrv_file_preallocate(bs, 0, opts->size, mode) < 0 ||
        bdrv_flush(bs) < 0) {
        error_setg(errp, "Could not preallocate '%s': %s", filename,
                   bdrv_last_error(bs));
        ok = false;
    }
    bdrv_unref(bs);
    return ok;
}

const BlockDriver bdrv_file = {
    .name = "file",
    .state_size = sizeof(FileState),
    .protocol = true,
    .open = file_open,
    .reopen = file_reopen,
    .close = file_close,
    .pread = file_pread,
    .pwrite = file_pwrite,
    .pwrite_zeroes = file_pwrite_zeroes,
    .flush = file_flush,
    .block_status = file_block_status,
    .resize = file_resize,
    .allocated_size = file_allocated_size,
    .create = file_create,
};
