/*
 * Block jobs (include/block/blockjob.h): QEMU 7.2's job states, verbs
 * and rate limit around a driver's steps, which run on the drive's
 * request queue.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "block/blockjob.h"
#include "block/block-backend.h"
#include "block/block-int.h"

/* QEMU's BLOCK_JOB_SLICE_TIME: the speed limit is kept per 100 ms. */
#define SLICE_NS (100 * 1000 * 1000LL)

/* QEMU's RateLimit: how much may be done in a slice, and when the
 * current (possibly stretched) slice ends. */
typedef struct RateLimit {
    uint64_t slice_quota;        /* 0: no limit */
    int64_t slice_start, slice_end;
    uint64_t dispatched;
} RateLimit;

struct BlockJob {
    char *id;
    const BlockJobDriver *drv;
    BlockBackend *blk;
    void *opaque;
    JobStatus status;
    uint64_t len, offset;
    int64_t speed;
    RateLimit limit;
    bool auto_finalize, auto_dismiss;
    bool busy;                   /* a step is on the drive's queue */
    guint timer;                 /* sleeping for the speed limit */
    bool user_paused;
    bool caught_up;              /* the driver has nothing to do now */
    bool should_complete;        /* block-job-complete */
    bool cancelled, force_cancel;
    bool done;                   /* no more steps: finishing */
    int ret;                     /* the failure, or 0 */
    int step_ret;                /* the last step's */
    bool error_read;
    uint64_t step_done;          /* booked by the step running now */
    uint64_t step_copied;        /* of which copied: the speed limit */
};

typedef enum JobVerb {
    JOB_VERB_CANCEL,
    JOB_VERB_PAUSE,
    JOB_VERB_RESUME,
    JOB_VERB_SET_SPEED,
    JOB_VERB_COMPLETE,
    JOB_VERB_FINALIZE,
    JOB_VERB_DISMISS,
    JOB_VERB__MAX,
} JobVerb;

static const char *const verb_names[JOB_VERB__MAX] = {
    "cancel", "pause", "resume", "set-speed", "complete", "finalize",
    "dismiss",
};

static const char *const status_names[JOB_STATUS__MAX] = {
    "undefined", "created", "running", "paused", "ready", "standby",
    "waiting", "pending", "aborting", "concluded", "null",
};

/* QEMU's JobVerbTable: which state takes which verb. */
static const bool verb_allowed[JOB_VERB__MAX][JOB_STATUS__MAX] = {
    /*                      U  C  R  P  Y  S  W  D  X  E  N */
    [JOB_VERB_CANCEL]    = {0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0},
    [JOB_VERB_PAUSE]     = {0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0},
    [JOB_VERB_RESUME]    = {0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0},
    [JOB_VERB_SET_SPEED] = {0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0},
    [JOB_VERB_COMPLETE]  = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0},
    [JOB_VERB_FINALIZE]  = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0},
    [JOB_VERB_DISMISS]   = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0},
};

static GPtrArray *jobs;          /* BlockJob *, creation order */
static BlockJobListener *listener;

static void job_kick(BlockJob *job);
static void job_finish(BlockJob *job);

const char *job_status_name(JobStatus status)
{
    return status_names[status];
}

void block_job_set_listener(BlockJobListener *l)
{
    listener = l;
}

static void job_event(BlockJob *job, BlockJobEvent event)
{
    if (listener) {
        listener(job, event);
    }
}

static void job_set_status(BlockJob *job, JobStatus status)
{
    if (job->status != status) {
        job->status = status;
        job_event(job, BLOCK_JOB_EVENT_STATUS_CHANGE);
    }
}

static bool job_apply_verb(BlockJob *job, JobVerb verb, Error **errp)
{
    if (verb_allowed[verb][job->status]) {
        return true;
    }
    error_setg(errp, "Job '%s' in state '%s' cannot accept command verb "
               "'%s'", job->id, status_names[job->status], verb_names[verb]);
    return false;
}

/* ---- the speed limit, as QEMU's ratelimit.h ---- */

static void ratelimit_set_speed(RateLimit *limit, int64_t speed)
{
    limit->slice_quota = speed ? MAX(speed * SLICE_NS / 1000000000LL, 1)
                               : 0;
}

/* Books n bytes done; how long to wait (ns) before the next step. */
static int64_t ratelimit_delay(RateLimit *limit, uint64_t n)
{
    int64_t now = g_get_monotonic_time() * 1000;

    if (!limit->slice_quota) {
        return 0;
    }
    if (limit->slice_end < now) {
        limit->slice_start = now;
        limit->slice_end = now + SLICE_NS;
        limit->dispatched = 0;
    }
    limit->dispatched += n;
    if (limit->dispatched < limit->slice_quota) {
        return 0;
    }
    limit->slice_end = limit->slice_start +
        (int64_t)((double)limit->dispatched / limit->slice_quota * SLICE_NS);
    return limit->slice_end - now;
}

/* ---- life of a job ---- */

BlockJob *block_job_create(const BlockJobDriver *drv, BlockBackend *blk,
                           const BlockJobOptions *opts, void *opaque,
                           Error **errp)
{
    const char *id = opts->id ? opts->id : blk_name(blk);
    BlockJob *job;

    if (!id_wellformed(id)) {
        error_setg(errp, "Invalid job ID '%s'", id);
        return NULL;
    }
    if (block_job_find(id, NULL)) {
        error_setg(errp, "Job ID '%s' already in use", id);
        return NULL;
    }
    job = g_new0(BlockJob, 1);
    job->id = g_strdup(id);
    job->drv = drv;
    job->blk = blk;
    job->opaque = opaque;
    job->auto_finalize = !opts->manual_finalize;
    job->auto_dismiss = !opts->manual_dismiss;
    if (!jobs) {
        jobs = g_ptr_array_new();
    }
    g_ptr_array_add(jobs, job);
    job_set_status(job, JOB_STATUS_CREATED);
    if (opts->speed < 0) {
        error_setg(errp, "Parameter 'speed' expects a non-negative value");
        block_job_abandon(job);
        return NULL;
    }
    job->speed = opts->speed;
    ratelimit_set_speed(&job->limit, job->speed);
    return job;
}

static void job_free(BlockJob *job)
{
    g_ptr_array_remove(jobs, job);
    g_free(job->id);
    g_free(job);
}

void block_job_abandon(BlockJob *job)
{
    job_set_status(job, JOB_STATUS_NULL);
    job_free(job);
}

void block_job_start(BlockJob *job)
{
    job_set_status(job, JOB_STATUS_RUNNING);
    job_kick(job);
}

void *block_job_opaque(BlockJob *job)
{
    return job->opaque;
}

BlockBackend *block_job_backend(BlockJob *job)
{
    return job->blk;
}

void block_job_progress(BlockJob *job, uint64_t done, bool copied)
{
    job->step_done += done;
    job->step_copied += copied ? done : 0;
}

void block_job_more_work(BlockJob *job, uint64_t bytes)
{
    job->len += bytes;
}

void block_job_caught_up(BlockJob *job)
{
    job->caught_up = true;
}

bool block_job_should_complete(BlockJob *job)
{
    return job->should_complete;
}

/* On the drive's queue, under its lock. */
static int job_step_work(void *opaque)
{
    BlockJob *job = opaque;

    return job->drv->step(job, &job->error_read);
}

static gboolean job_timer_expired(gpointer opaque)
{
    BlockJob *job = opaque;

    job->timer = 0;
    job_kick(job);
    return G_SOURCE_REMOVE;
}

static void job_step_done(void *opaque, int ret);
static gboolean job_after_step(gpointer opaque);

/*
 * Sends the next step unless the job is busy, paused, caught up or
 * finishing; first sleeps as long as the speed limit says (recounted
 * when the sleep ends: the speed may have changed meanwhile).
 */
static void job_kick(BlockJob *job)
{
    int64_t delay;

    if (job->busy || job->timer || job->done || job->user_paused ||
        job->caught_up || job->cancelled) {
        return;
    }
    delay = ratelimit_delay(&job->limit, 0);
    if (delay > 0) {
        job->timer = g_timeout_add(MAX(delay / 1000000, 1),
                                   job_timer_expired, job);
        return;
    }
    job->busy = true;
    blk_run_job_step(job->blk, job_step_work, job_step_done, job);
}

/* Stops the speed limit's sleep (to pause, cancel or go faster). */
static void job_wake(BlockJob *job)
{
    if (job->timer) {
        g_source_remove(job->timer);
        job->timer = 0;
    }
}

/*
 * After a step, on the main loop: the step's request is retired by then
 * (job_step_done runs among the queue's completions, where draining the
 * queue, as a job's end does, would wait for the step itself).
 */
static gboolean job_after_step(gpointer opaque)
{
    BlockJob *job = opaque;
    int ret = job->step_ret;

    job->busy = false;
    job->offset += job->step_done;
    ratelimit_delay(&job->limit, job->step_copied);
    job->step_done = job->step_copied = 0;
    if (ret < 0) {
        job->ret = ret;
        job_event(job, BLOCK_JOB_EVENT_ERROR);
        job_finish(job);
    } else if (job->cancelled || (job->caught_up &&
                                  !job->drv->needs_complete)) {
        job_finish(job);
    } else if (job->caught_up) {
        if (job->status == JOB_STATUS_RUNNING) {
            job_set_status(job, JOB_STATUS_READY);
            job_event(job, BLOCK_JOB_EVENT_READY);
        } else if (job->status == JOB_STATUS_PAUSED) {
            /* Caught up while a pause was asked for: ready once resumed. */
            job_set_status(job, JOB_STATUS_STANDBY);
        }
        if (job->should_complete) {
            job_finish(job);
        }
    } else if (job->user_paused) {
        job_set_status(job, JOB_STATUS_PAUSED);
    } else {
        job_kick(job);
    }
    return G_SOURCE_REMOVE;
}

static void job_step_done(void *opaque, int ret)
{
    BlockJob *job = opaque;

    job->step_ret = ret;
    g_idle_add(job_after_step, job);
}

/* concluded, then null and gone unless the user dismisses it. */
static void job_conclude(BlockJob *job)
{
    job_set_status(job, JOB_STATUS_CONCLUDED);
    if (job->auto_dismiss) {
        block_job_abandon(job);
    }
}

/* A failure or cancellation: the driver puts things back. */
static void job_abort(BlockJob *job)
{
    job_set_status(job, JOB_STATUS_ABORTING);
    job->drv->clean(job);
    /* A cancelled job that also failed reports the failure, as QEMU. */
    job_event(job, job->ret < 0 ? BLOCK_JOB_EVENT_COMPLETED
                                : BLOCK_JOB_EVENT_CANCELLED);
    job_conclude(job);
}

/* pending -> the driver's result -> concluded. */
static void job_do_finalize(BlockJob *job)
{
    int ret = job->drv->prepare(job);

    if (ret < 0) {
        job->ret = ret;
        job_abort(job);
        return;
    }
    job->drv->clean(job);
    job_event(job, BLOCK_JOB_EVENT_COMPLETED);
    job_conclude(job);
}

/* The work is over (done, failed or cancelled). */
static void job_finish(BlockJob *job)
{
    job->done = true;
    job_wake(job);
    if (job->ret < 0 || (job->cancelled && job->force_cancel)) {
        job_abort(job);
        return;
    }
    job_set_status(job, JOB_STATUS_WAITING);
    job_set_status(job, JOB_STATUS_PENDING);
    if (!job->auto_finalize) {
        job_event(job, BLOCK_JOB_EVENT_PENDING);
        return;
    }
    job_do_finalize(job);
}

void block_job_info(BlockJob *job, BlockJobInfo *info)
{
    *info = (BlockJobInfo) {
        .id = job->id,
        .type = job->drv->type,
        .status = job->status,
        .len = job->len,
        .offset = job->offset,
        .speed = job->speed,
        .busy = job->busy,
        .paused = job->user_paused,
        .ready = job->status == JOB_STATUS_READY ||
                 job->status == JOB_STATUS_STANDBY,
        .auto_finalize = job->auto_finalize,
        .auto_dismiss = job->auto_dismiss,
        .error = job->ret < 0 ? g_strerror(-job->ret) : NULL,
        .error_read = job->error_read,
    };
}

/* ---- the verbs ---- */

BlockJob *block_job_find(const char *id, Error **errp)
{
    for (guint i = 0; jobs && i < jobs->len; i++) {
        BlockJob *job = g_ptr_array_index(jobs, i);

        if (!strcmp(job->id, id)) {
            return job;
        }
    }
    error_setg(errp, "Block job '%s' not found", id);
    return NULL;
}

BlockJob *block_job_next(BlockJob *job)
{
    guint i = 0;

    if (!jobs) {
        return NULL;
    }
    if (job && g_ptr_array_find(jobs, job, &i)) {
        i++;
    } else if (job) {
        return NULL;
    }
    return i < jobs->len ? g_ptr_array_index(jobs, i) : NULL;
}

bool block_job_set_speed(BlockJob *job, int64_t speed, Error **errp)
{
    int64_t old = job->speed;

    if (!job_apply_verb(job, JOB_VERB_SET_SPEED, errp)) {
        return false;
    }
    if (speed < 0) {
        error_setg(errp, "Parameter 'speed' expects a non-negative value");
        return false;
    }
    job->speed = speed;
    ratelimit_set_speed(&job->limit, speed);
    /* As QEMU: a sleeping job wakes when it may go faster. */
    if (!speed || speed > old) {
        job_wake(job);
        job_kick(job);
    }
    return true;
}

bool block_job_pause(BlockJob *job, Error **errp)
{
    if (!job_apply_verb(job, JOB_VERB_PAUSE, errp)) {
        return false;
    }
    if (job->user_paused) {
        error_setg(errp, "Job is already paused");
        return false;
    }
    job->user_paused = true;
    job_wake(job);
    /* A step in flight finishes first; the job pauses after it. */
    if (!job->busy) {
        job_set_status(job, job->status == JOB_STATUS_READY
                            ? JOB_STATUS_STANDBY : JOB_STATUS_PAUSED);
    }
    return true;
}

bool block_job_resume(BlockJob *job, Error **errp)
{
    if (!job->user_paused) {
        error_setg(errp, "Can't resume a job that was not paused");
        return false;
    }
    if (!job_apply_verb(job, JOB_VERB_RESUME, errp)) {
        return false;
    }
    job->user_paused = false;
    if (job->status == JOB_STATUS_STANDBY) {
        job_set_status(job, JOB_STATUS_READY);
    } else if (job->status == JOB_STATUS_PAUSED) {
        job_set_status(job, JOB_STATUS_RUNNING);
    }
    job_kick(job);
    return true;
}

bool block_job_cancel(BlockJob *job, bool force, Error **errp)
{
    if (!job_apply_verb(job, JOB_VERB_CANCEL, errp)) {
        return false;
    }
    /* As QEMU: before it is ready a job that needs complete (an active
     * commit) is cancelled for good; once ready, cancel finishes it
     * without the switch complete would make. */
    job->cancelled = true;
    job->force_cancel |= force || !job->drv->needs_complete ||
                         job->status != JOB_STATUS_READY;
    if (job->status == JOB_STATUS_PENDING) {
        job->force_cancel = true;
        job_abort(job);
    } else if (!job->busy && !job->done) {
        job_finish(job);
    }
    return true;
}

bool block_job_complete(BlockJob *job, Error **errp)
{
    if (!job_apply_verb(job, JOB_VERB_COMPLETE, errp)) {
        return false;
    }
    if (job->cancelled || !job->drv->needs_complete) {
        error_setg(errp, "The active block job '%s' cannot be completed",
                   job->id);
        return false;
    }
    job->should_complete = true;
    if (!job->busy) {
        job_finish(job);
    }
    return true;
}

bool block_job_finalize(BlockJob *job, Error **errp)
{
    if (!job_apply_verb(job, JOB_VERB_FINALIZE, errp)) {
        return false;
    }
    job_do_finalize(job);
    return true;
}

bool block_job_dismiss(BlockJob *job, Error **errp)
{
    if (!job_apply_verb(job, JOB_VERB_DISMISS, errp)) {
        return false;
    }
    block_job_abandon(job);
    return true;
}
