/*
 * Raw image files: the backing store of a drive (a CFI flash's
 * -pflash FILE).  A thin layer over a file descriptor that turns every
 * failure into a message naming the file, retries interrupted and short
 * transfers, and makes data durable on request (fdatasync), so a device
 * can promise the guest that what it reported done is on disk.
 *
 * Files opened read-write are synced once more when emu exits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BLOCK_BLOCK_H
#define BLOCK_BLOCK_H

#include "util/osdep.h"
#include "util/error.h"

typedef struct RawFile RawFile;

/*
 * Opens path read-write (or read-only).  Errors name the file and say
 * why: it does not exist, it is a directory, access is denied.
 */
RawFile *raw_file_open(const char *path, bool readonly, Error **errp);
/* Syncs (when writable) and closes; NULL is accepted. */
void raw_file_close(RawFile *f);

const char *raw_file_path(const RawFile *f);
bool raw_file_is_readonly(const RawFile *f);
/* The file's length in bytes, as it was at open time. */
uint64_t raw_file_length(const RawFile *f);

/* Whole transfers or an error: a read past the end is an error too. */
bool raw_file_pread(RawFile *f, uint64_t offset, void *buf, size_t len,
                    Error **errp);
bool raw_file_pwrite(RawFile *f, uint64_t offset, const void *buf,
                     size_t len, Error **errp);
/* Makes every completed write durable (fdatasync). */
bool raw_file_flush(RawFile *f, Error **errp);

#endif
