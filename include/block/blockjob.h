/*
 * Block jobs: long operations on a drive (QMP's block-commit) that run
 * while the guest does, as QEMU 7.2's jobs do, with its states, verbs,
 * events and "query-block-jobs" answer.
 *
 * A job works in steps.  Each step runs on the drive's request queue
 * (block/aio-pool.h), between the guest's requests and under the same
 * lock, so the guest never waits for more than one step and sees its
 * own requests in order; when a step is done the main loop books its
 * progress, sleeps as long as the speed limit says (QEMU's 100 ms
 * slices), and sends the next one.  A job that needs the user to say
 * when to finish (an active commit) goes "ready" when it has caught up
 * and waits for block-job-complete.
 *
 *   created -> running -> [ready ->] waiting -> pending -> concluded -> null
 *                  \______ aborting (failed, cancelled) _____/
 *
 * with paused (standby when ready) in between on block-job-pause.
 * "pending" waits for block-job-finalize when auto-finalize is off,
 * "concluded" for block-job-dismiss when auto-dismiss is off.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BLOCK_BLOCKJOB_H
#define BLOCK_BLOCKJOB_H

#include "util/osdep.h"
#include "util/error.h"

typedef struct BlockBackend BlockBackend;
typedef struct BlockJob BlockJob;

/* QEMU's JobStatus, in its order (its verb table is indexed by it). */
typedef enum JobStatus {
    JOB_STATUS_UNDEFINED,
    JOB_STATUS_CREATED,
    JOB_STATUS_RUNNING,
    JOB_STATUS_PAUSED,
    JOB_STATUS_READY,
    JOB_STATUS_STANDBY,
    JOB_STATUS_WAITING,
    JOB_STATUS_PENDING,
    JOB_STATUS_ABORTING,
    JOB_STATUS_CONCLUDED,
    JOB_STATUS_NULL,
    JOB_STATUS__MAX,
} JobStatus;

const char *job_status_name(JobStatus status);

/* What a kind of job does; the job calls these on the main loop except
 * step, which runs on the drive's queue. */
typedef struct BlockJobDriver {
    const char *type;            /* "commit" */
    /*
     * One piece of work: 0 or -errno (*failed_read: the read failed,
     * else the write: BLOCK_JOB_ERROR's operation).  The driver books
     * its progress with block_job_progress; it says it has caught up
     * with block_job_caught_up.
     */
    int (*step)(BlockJob *job, bool *failed_read);
    /* The job succeeded: make its result the drive's (0 or -errno; the
     * job then fails with it). */
    int (*prepare)(BlockJob *job);
    /* Whatever the outcome (after prepare when it succeeded): let go of
     * what the job holds, and put back what it changed for the time. */
    void (*clean)(BlockJob *job);
    /* Jobs that wait in "ready" for block-job-complete. */
    bool needs_complete;
} BlockJobDriver;

/* What QMP sends when a job changes; the monitor listens. */
typedef enum BlockJobEvent {
    BLOCK_JOB_EVENT_STATUS_CHANGE,   /* JOB_STATUS_CHANGE */
    BLOCK_JOB_EVENT_READY,
    BLOCK_JOB_EVENT_PENDING,
    BLOCK_JOB_EVENT_COMPLETED,       /* with error when it failed */
    BLOCK_JOB_EVENT_CANCELLED,
    BLOCK_JOB_EVENT_ERROR,           /* BLOCK_JOB_ERROR (action report) */
} BlockJobEvent;

typedef void BlockJobListener(BlockJob *job, BlockJobEvent event);
void block_job_set_listener(BlockJobListener *listener);

/* What query-block-jobs and the events say of a job. */
typedef struct BlockJobInfo {
    const char *id;
    const char *type;
    JobStatus status;
    uint64_t len, offset, speed;
    bool busy, paused, ready;
    bool auto_finalize, auto_dismiss;
    const char *error;           /* when it failed: strerror */
    bool error_read;             /* BLOCK_JOB_ERROR's operation */
} BlockJobInfo;

void block_job_info(BlockJob *job, BlockJobInfo *info);

/* ---- for the drivers ---- */

typedef struct BlockJobOptions {
    const char *id;              /* NULL: the drive's name */
    int64_t speed;
    bool manual_finalize, manual_dismiss;
} BlockJobOptions;

/*
 * A new job on blk (state "created"); opaque is the driver's.  QEMU's
 * errors for a bad or used id, a negative speed (the job then goes to
 * "null" at once, as QEMU's does).
 */
BlockJob *block_job_create(const BlockJobDriver *drv, BlockBackend *blk,
                           const BlockJobOptions *opts, void *opaque,
                           Error **errp);
/* The driver could not set up: the job goes to "null" and is freed. */
void block_job_abandon(BlockJob *job);
/* Off it goes ("running"). */
void block_job_start(BlockJob *job);
void *block_job_opaque(BlockJob *job);
BlockBackend *block_job_backend(BlockJob *job);
/* From step: done bytes more of the work are done; copied ones count
 * against the speed limit (a run skipped because base has it does not). */
void block_job_progress(BlockJob *job, uint64_t done, bool copied);
/* The work grew (query-block-jobs' len). */
void block_job_more_work(BlockJob *job, uint64_t bytes);
/* From step: nothing left to do until the guest writes more (a job that
 * needs complete goes "ready"), or nothing left at all. */
void block_job_caught_up(BlockJob *job);
/* block-job-complete was given (prepare decides what that changes). */
bool block_job_should_complete(BlockJob *job);

/* ---- for the monitor: QEMU's verbs and their errors ---- */

/* By id; NULL with QEMU's "Block job 'x' not found" (class
 * DeviceNotActive, which the caller sets). */
BlockJob *block_job_find(const char *id, Error **errp);
/* Every job, in creation order: block_job_next(NULL) is the first. */
BlockJob *block_job_next(BlockJob *job);
bool block_job_set_speed(BlockJob *job, int64_t speed, Error **errp);
bool block_job_pause(BlockJob *job, Error **errp);
bool block_job_resume(BlockJob *job, Error **errp);
bool block_job_cancel(BlockJob *job, bool force, Error **errp);
bool block_job_complete(BlockJob *job, Error **errp);
bool block_job_finalize(BlockJob *job, Error **errp);
bool block_job_dismiss(BlockJob *job, Error **errp);

#endif
