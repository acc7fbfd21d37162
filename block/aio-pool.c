/*
 * The block layer's thread pool (include/block/aio-pool.h).
 *
 * A queue with requests waiting is handed to a pool thread, which runs
 * them until the queue is empty; so a queue is served by one thread at a
 * time, in order.  Finished requests go to one list of completions, run
 * by an idle source on glib's default context (emu's main loop, which
 * dispatches with the global lock held) or by aio_poll/aio_queue_drain
 * directly.  At most one idle source is outstanding: the worker adds it
 * when none is, and only the source itself clears the flag, so a
 * program that never runs the main context (emu-img) leaves at most one
 * source behind.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "block/aio-pool.h"

/* QEMU's pool has up to 64 threads; one per busy drive is what emu can
 * use (a queue runs on one thread at a time). */
#define AIO_POOL_MAX_THREADS 16

typedef struct AioRequest {
    AioQueue *queue;
    AioWorkFunc *work;
    AioDoneFunc *done;
    void *opaque;
    int ret;
} AioRequest;

struct AioQueue {
    GQueue waiting;              /* AioRequest *, not started */
    bool running;                /* a pool thread is serving the queue */
    unsigned pending;            /* submitted, callback not yet run */
};

static GMutex pool_lock;         /* everything below and in AioQueue */
static GCond pool_cond;          /* a request finished */
static GThreadPool *pool;
static GQueue finished;          /* AioRequest *, callback not yet run */
static bool idle_scheduled;
static unsigned total_pending;   /* of every queue */
static unsigned waiters;         /* threads in g_cond_wait(&pool_cond) */

AioQueue *aio_queue_new(void)
{
    return g_new0(AioQueue, 1);
}

void aio_queue_free(AioQueue *q)
{
    if (q) {
        aio_queue_drain(q);
        g_free(q);
    }
}

/* Runs every finished request's callback, in the order they finished;
 * the list is taken whole so the workers meet the lock once a batch. */
static void run_finished(void)
{
    for (;;) {
        GQueue batch = G_QUEUE_INIT;
        AioRequest *req;

        g_mutex_lock(&pool_lock);
        batch = finished;
        g_queue_init(&finished);
        g_mutex_unlock(&pool_lock);
        if (g_queue_is_empty(&batch)) {
            return;
        }
        for (GList *l = batch.head; l; l = l->next) {
            req = l->data;
            req->done(req->opaque, req->ret);
        }
        g_mutex_lock(&pool_lock);
        while ((req = g_queue_pop_head(&batch))) {
            req->queue->pending--;
            total_pending--;
            g_free(req);
        }
        if (waiters) {
            g_cond_broadcast(&pool_cond);
        }
        g_mutex_unlock(&pool_lock);
    }
}

static gboolean run_finished_idle(gpointer unused)
{
    g_mutex_lock(&pool_lock);
    idle_scheduled = false;
    g_mutex_unlock(&pool_lock);
    run_finished();
    return G_SOURCE_REMOVE;
}

/*
 * A pool thread: serves the queue until nothing waits in it.  It takes
 * every request waiting at once and publishes their completions
 * together, so that a deep queue costs a few lock round trips a batch
 * rather than several a request.
 */
static void serve_queue(gpointer data, gpointer unused)
{
    AioQueue *q = data;

    g_mutex_lock(&pool_lock);
    while (!g_queue_is_empty(&q->waiting)) {
        GQueue batch = q->waiting;

        g_queue_init(&q->waiting);
        g_mutex_unlock(&pool_lock);
        for (GList *l = batch.head; l; l = l->next) {
            AioRequest *req = l->data;

            req->ret = req->work(req->opaque);
        }
        g_mutex_lock(&pool_lock);
        while (!g_queue_is_empty(&batch)) {
            g_queue_push_tail(&finished, g_queue_pop_head(&batch));
        }
        if (!idle_scheduled) {
            idle_scheduled = true;
            g_idle_add(run_finished_idle, NULL);
        }
        if (waiters) {
            g_cond_broadcast(&pool_cond);
        }
    }
    q->running = false;
    g_mutex_unlock(&pool_lock);
}

void aio_queue_submit(AioQueue *q, AioWorkFunc *work, AioDoneFunc *done,
                      void *opaque)
{
    AioRequest *req = g_new(AioRequest, 1);

    *req = (AioRequest) {
        .queue = q, .work = work, .done = done, .opaque = opaque,
    };
    g_mutex_lock(&pool_lock);
    if (!pool) {
        pool = g_thread_pool_new(serve_queue, NULL, AIO_POOL_MAX_THREADS,
                                 false, NULL);
    }
    g_queue_push_tail(&q->waiting, req);
    q->pending++;
    total_pending++;
    if (!q->running) {
        q->running = true;
        g_thread_pool_push(pool, q, NULL);
    }
    g_mutex_unlock(&pool_lock);
}

unsigned aio_queue_pending(AioQueue *q)
{
    unsigned n;

    g_mutex_lock(&pool_lock);
    n = q->pending;
    g_mutex_unlock(&pool_lock);
    return n;
}

void aio_queue_drain(AioQueue *q)
{
    g_mutex_lock(&pool_lock);
    while (q->pending) {
        if (!g_queue_is_empty(&finished)) {
            g_mutex_unlock(&pool_lock);
            run_finished();
            g_mutex_lock(&pool_lock);
        } else {
            waiters++;
            g_cond_wait(&pool_cond, &pool_lock);
            waiters--;
        }
    }
    g_mutex_unlock(&pool_lock);
}

void aio_poll(bool wait)
{
    if (wait) {
        g_mutex_lock(&pool_lock);
        while (g_queue_is_empty(&finished) && total_pending) {
            waiters++;
            g_cond_wait(&pool_cond, &pool_lock);
            waiters--;
        }
        g_mutex_unlock(&pool_lock);
    }
    run_finished();
}
