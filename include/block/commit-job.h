/*
 * QMP's block-commit (block/commit-job.c): a block job
 * (block/blockjob.h) that commits a drive's images into a lower one
 * while the guest runs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BLOCK_COMMIT_JOB_H
#define BLOCK_COMMIT_JOB_H

#include "util/osdep.h"
#include "util/error.h"

/* block-commit's arguments, as QMP names them (NULL: not given). */
typedef struct BlockCommitOptions {
    const char *device;          /* a drive, or a top node's name */
    const char *job_id;
    const char *top, *top_node;  /* default: the drive's top image */
    const char *base, *base_node;    /* default: the bottom image */
    const char *backing_file;    /* what the image above top will name */
    int64_t speed;               /* bytes a second, 0: no limit */
    const char *on_error;        /* "report" only */
    const char *filter_node_name;    /* refused: emu inserts no filter */
    bool auto_finalize, auto_dismiss;
} BlockCommitOptions;

/*
 * Starts the job, or says why not in QEMU's words (*not_found: the
 * device does not exist, QMP's DeviceNotFound).
 */
bool block_commit_start(const BlockCommitOptions *opts, bool *not_found,
                        Error **errp);

#endif
