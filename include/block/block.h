/*
 * Raw image files: the backing store of a drive (a CFI flash's
 * -pflash FILE).  A thin layer over a file descriptor that turns every
 * failure into a message naming the file, retries interrupted and short
 * transfers, and makes data durable on request (fdatasync), so a device
 * can promise the guest that what it reported done is on disk.
 *
 * Files opened read-write are synced once more when emu exits.
 *
 * Images are locked as QEMU locks them (block/image-lock.h): a writer
 * refuses other writers and resizers, a reader refuses writers.  A file
 * that is deleted, replaced or shrunk while open is seen by
 * raw_file_state and, for a watched file, reported as it happens.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BLOCK_BLOCK_H
#define BLOCK_BLOCK_H

#include "util/osdep.h"
#include "util/error.h"

typedef struct RawFile RawFile;

enum {
    RAW_FILE_READONLY = 1 << 0,
    RAW_FILE_NO_LOCK = 1 << 1,   /* file.locking=off */
    RAW_FILE_CREATE = 1 << 2,    /* an empty file when there is none */
    RAW_FILE_DIRECT = 1 << 3,    /* O_DIRECT: transfers must be aligned
                                  * (the file driver's bounce buffers) */
};

/*
 * Opens path read-write (or read-only) and locks it.  Errors name the
 * file and say why: it does not exist, it is a directory, access is
 * denied, another process uses it (QEMU's message).
 */
RawFile *raw_file_open(const char *path, unsigned flags, Error **errp);
/*
 * Reopens the file read-only or read-write in place, its locks changed
 * to match (a read-write file refuses other writers again); on failure
 * (no permission, another process holds a lock) it stays as it was.
 */
bool raw_file_reopen(RawFile *f, bool readonly, Error **errp);
/* Syncs (when writable) and closes; NULL is accepted. */
void raw_file_close(RawFile *f);

const char *raw_file_path(const RawFile *f);
/* For lseek(SEEK_DATA) and fstat by the block layer's file driver. */
int raw_file_fd(const RawFile *f);
bool raw_file_is_readonly(const RawFile *f);
/* The file's length in bytes: at open time, or as far as emu wrote. */
uint64_t raw_file_length(const RawFile *f);

/* Whole transfers or an error: a read past the end is an error too. */
bool raw_file_pread(RawFile *f, uint64_t offset, void *buf, size_t len,
                    Error **errp);
/* Reads up to len bytes, stopping early only at the end of the file;
 * *done says how many were read. */
bool raw_file_pread_to_eof(RawFile *f, uint64_t offset, void *buf,
                           size_t len, size_t *done, Error **errp);
bool raw_file_pwrite(RawFile *f, uint64_t offset, const void *buf,
                     size_t len, Error **errp);
/*
 * Makes [offset, offset + len) read as zeros, extending the file if it
 * ends before: without writing them where the file system can
 * (fallocate), and with may_unmap by giving the space back (a hole).
 */
bool raw_file_write_zeroes(RawFile *f, uint64_t offset, uint64_t len,
                           bool may_unmap, Error **errp);
/* Sets the file's length (ftruncate): cut, or extended with zeros. */
bool raw_file_truncate(RawFile *f, uint64_t length, Error **errp);
/* Makes every completed write durable (fdatasync). */
bool raw_file_flush(RawFile *f, Error **errp);

typedef enum RawFileState {
    RAW_FILE_INTACT,
    RAW_FILE_SHRUNK,             /* shorter than at open time */
    RAW_FILE_GONE,               /* deleted, renamed or replaced */
} RawFileState;

/*
 * Is the file still the one opened, at its path, and as long as it was?
 * Writes to a deleted or replaced file reach no file the user has; writes
 * to a shrunk one would leave a hole where data was.  Anything but
 * RAW_FILE_INTACT sets errp to what happened.
 */
RawFileState raw_file_state(RawFile *f, Error **errp);

/*
 * Calls changed (from the main loop) whenever the file stops being
 * intact: deleted, replaced or shrunk by another process.  err is freed
 * by the caller after changed returns.
 */
typedef void RawFileChangedFunc(void *opaque, Error *err);
void raw_file_watch(RawFile *f, RawFileChangedFunc *changed, void *opaque);

#endif
