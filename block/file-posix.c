/*
 * The "file" protocol driver: a host file (or block device) under a
 * format node, through RawFile (locks, retries, messages).  Reads past
 * the end of the file read zeros, as a format growing its image expects;
 * writes past it extend the file.  Holes are reported as zeros.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <sys/stat.h>
#include "block/block.h"
#include "block/block-int.h"

typedef struct FileState {
    RawFile *file;
} FileState;

static bool file_open(BlockDriverState *bs, int flags, Error **errp)
{
    FileState *s = bs->opaque;
    unsigned raw_flags = (flags & BDRV_O_RDWR ? 0 : RAW_FILE_READONLY) |
                         (flags & BDRV_O_NO_LOCK ? RAW_FILE_NO_LOCK : 0);
    Error *err = NULL;

    s->file = raw_file_open(bs->filename, raw_flags, &err);
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
    bs->size = raw_file_length(s->file);
    return true;
}

static void file_close(BlockDriverState *bs)
{
    FileState *s = bs->opaque;

    raw_file_close(s->file);
}

static int file_error(BlockDriverState *bs, Error *err)
{
    int ret = bdrv_fail(bs, EIO, "%s", error_get_pretty(err));

    error_free(err);
    return ret;
}

static int file_pread(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                      void *buf)
{
    FileState *s = bs->opaque;
    uint64_t length = raw_file_length(s->file);
    uint64_t in_file = offset < length ? MIN(bytes, length - offset) : 0;
    Error *err = NULL;

    if (in_file && !raw_file_pread(s->file, offset, buf, in_file, &err)) {
        return file_error(bs, err);
    }
    memset((uint8_t *)buf + in_file, 0, bytes - in_file);
    return 0;
}

static int file_pwrite(BlockDriverState *bs, uint64_t offset, uint64_t bytes,
                       const void *buf)
{
    FileState *s = bs->opaque;
    Error *err = NULL;

    if (!raw_file_pwrite(s->file, offset, buf, bytes, &err)) {
        return file_error(bs, err);
    }
    bs->size = raw_file_length(s->file);
    return 0;
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

/* Makes an empty file (a format writes its header into it). */
static bool file_create(const char *filename, const BlockCreateOptions *opts,
                        Error **errp)
{
    RawFile *f = raw_file_open(filename, RAW_FILE_CREATE, errp);
    bool ok;

    if (!f) {
        error_prepend(errp, "Could not create '%s': ", filename);
        return false;
    }
    ok = raw_file_truncate(f, 0, errp) &&
         raw_file_truncate(f, opts->size, errp);
    raw_file_close(f);
    return ok;
}

const BlockDriver bdrv_file = {
    .name = "file",
    .state_size = sizeof(FileState),
    .protocol = true,
    .open = file_open,
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
