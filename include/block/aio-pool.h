/*
 * The block layer's thread pool: requests run on host threads so that
 * the thread asking (a vCPU in an MMIO handler, the main loop) never
 * waits for a disk, and each request's completion callback runs back on
 * the main loop, under the global lock, as device code expects.
 *
 * Requests go to an AioQueue, one per BlockBackend: a queue's requests
 * run one after another in the order they were submitted (so a device
 * sees its writes land in order, and a format driver, which is not
 * thread-safe, runs on one thread at a time), while different queues
 * (different drives) run in parallel on the pool's threads.
 *
 *     aio_queue_submit(q, work, done, opaque);
 *         work(opaque) runs on a pool thread and returns 0 or -errno;
 *         done(opaque, ret) runs later on the main loop (emu), or in
 *         aio_poll() / aio_queue_drain() (emu-img, tests, resets).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef BLOCK_AIO_POOL_H
#define BLOCK_AIO_POOL_H

#include "util/osdep.h"

typedef struct AioQueue AioQueue;
typedef int AioWorkFunc(void *opaque);
typedef void AioDoneFunc(void *opaque, int ret);

AioQueue *aio_queue_new(void);
/* Drains the queue, then frees it. */
void aio_queue_free(AioQueue *q);

void aio_queue_submit(AioQueue *q, AioWorkFunc *work, AioDoneFunc *done,
                      void *opaque);
/* Requests submitted whose done callback has not run yet. */
unsigned aio_queue_pending(AioQueue *q);
/*
 * Waits until every request of q has finished and had its callback run
 * (callbacks of other queues that finished meanwhile run too).  For a
 * device reset or a drive going away.
 */
void aio_queue_drain(AioQueue *q);

/*
 * Runs the callbacks of the requests that have finished; with wait, and
 * none finished but some pending, first waits for one.  For programs
 * without emu's main loop (emu-img bench).
 */
void aio_poll(bool wait);

#endif
