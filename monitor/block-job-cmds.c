/*
 * Block jobs in the monitor, as QEMU 7.2: QMP block-commit,
 * query-block-jobs, block-job-{set-speed,pause,resume,cancel,complete,
 * finalize,dismiss} and the events JOB_STATUS_CHANGE, BLOCK_JOB_READY,
 * BLOCK_JOB_PENDING, BLOCK_JOB_COMPLETED, BLOCK_JOB_CANCELLED and
 * BLOCK_JOB_ERROR; HMP "info block-jobs", block_job_cancel,
 * block_job_complete, block_job_set_speed, block_job_pause and
 * block_job_resume.  The jobs are block/blockjob.c's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/monitor.h"
#include "monitor/qmp.h"
#include "qmp-internal.h"
#include "block/blockjob.h"
#include "block/commit-job.h"

/* ---- events ---- */

/* BLOCK_JOB_COMPLETED, _READY and _CANCELLED: QEMU's members, order. */
static JsonObject *job_event_data(const BlockJobInfo *info, bool error)
{
    JsonObject *data = json_object_new();

    json_object_set_string_member(data, "device", info->id);
    json_object_set_int_member(data, "len", info->len);
    json_object_set_int_member(data, "offset", info->offset);
    json_object_set_int_member(data, "speed", info->speed);
    json_object_set_string_member(data, "type", info->type);
    if (error && info->error) {
        json_object_set_string_member(data, "error", info->error);
    }
    return data;
}

static void qmp_on_block_job(BlockJob *job, BlockJobEvent event)
{
    JsonObject *data = json_object_new();
    BlockJobInfo info;

    block_job_info(job, &info);
    switch (event) {
    case BLOCK_JOB_EVENT_STATUS_CHANGE:
        json_object_set_string_member(data, "status",
                                      job_status_name(info.status));
        json_object_set_string_member(data, "id", info.id);
        qmp_broadcast_event("JOB_STATUS_CHANGE", data);
        return;
    case BLOCK_JOB_EVENT_PENDING:
        json_object_set_string_member(data, "type", info.type);
        json_object_set_string_member(data, "id", info.id);
        qmp_broadcast_event("BLOCK_JOB_PENDING", data);
        return;
    case BLOCK_JOB_EVENT_ERROR:
        json_object_set_string_member(data, "device", info.id);
        json_object_set_string_member(data, "operation",
                                      info.error_read ? "read" : "write");
        json_object_set_string_member(data, "action", "report");
        qmp_broadcast_event("BLOCK_JOB_ERROR", data);
        return;
    case BLOCK_JOB_EVENT_READY:
        json_object_unref(data);
        qmp_broadcast_event("BLOCK_JOB_READY", job_event_data(&info, false));
        return;
    case BLOCK_JOB_EVENT_COMPLETED:
        json_object_unref(data);
        qmp_broadcast_event("BLOCK_JOB_COMPLETED",
                            job_event_data(&info, true));
        return;
    case BLOCK_JOB_EVENT_CANCELLED:
        json_object_unref(data);
        qmp_broadcast_event("BLOCK_JOB_CANCELLED",
                            job_event_data(&info, false));
        return;
    }
}

static void __attribute__((constructor)) register_block_job_events(void)
{
    block_job_set_listener(qmp_on_block_job);
}

/* ---- QMP ---- */

static JsonNode *qmp_block_commit(QMPCall *call, Error **errp)
{
    BlockCommitOptions opts = {
        .device = qmp_arg_str(call, "device"),
        .job_id = qmp_arg_str(call, "job-id"),
        .top = qmp_arg_str(call, "top"),
        .top_node = qmp_arg_str(call, "top-node"),
        .base = qmp_arg_str(call, "base"),
        .base_node = qmp_arg_str(call, "base-node"),
        .backing_file = qmp_arg_str(call, "backing-file"),
        .speed = qmp_arg_has(call, "speed") ? qmp_arg_int(call, "speed") : 0,
        .on_error = qmp_arg_str(call, "on-error"),
        .filter_node_name = qmp_arg_str(call, "filter-node-name"),
        .auto_finalize = !qmp_arg_has(call, "auto-finalize") ||
                         qmp_arg_bool(call, "auto-finalize"),
        .auto_dismiss = !qmp_arg_has(call, "auto-dismiss") ||
                        qmp_arg_bool(call, "auto-dismiss"),
    };
    bool not_found;

    if (!block_commit_start(&opts, &not_found, errp)) {
        if (not_found) {
            call->error_class = "DeviceNotFound";
        }
        return NULL;
    }
    return qmp_return_empty();
}

/* BlockJobInfo, QEMU's members in its order. */
static JsonNode *qmp_query_block_jobs(QMPCall *call, Error **errp)
{
    JsonArray *arr = json_array_new();
    JsonNode *node = json_node_new(JSON_NODE_ARRAY);

    for (BlockJob *job = block_job_next(NULL); job;
         job = block_job_next(job)) {
        JsonObject *o = json_object_new();
        BlockJobInfo info;

        block_job_info(job, &info);
        json_object_set_boolean_member(o, "auto-finalize",
                                       info.auto_finalize);
        json_object_set_string_member(o, "io-status", "ok");
        json_object_set_string_member(o, "device", info.id);
        json_object_set_boolean_member(o, "auto-dismiss", info.auto_dismiss);
        json_object_set_boolean_member(o, "busy", info.busy);
        json_object_set_int_member(o, "len", info.len);
        json_object_set_int_member(o, "offset", info.offset);
        if (info.error) {
            json_object_set_string_member(o, "error", info.error);
        }
        json_object_set_string_member(o, "status",
                                      job_status_name(info.status));
        json_object_set_boolean_member(o, "paused", info.paused);
        json_object_set_int_member(o, "speed", info.speed);
        json_object_set_boolean_member(o, "ready", info.ready);
        json_object_set_string_member(o, "type", info.type);
        json_array_add_object_element(arr, o);
    }
    json_node_take_array(node, arr);
    return node;
}

/* The job named by the argument, or QEMU's DeviceNotActive error. */
static BlockJob *qmp_find_job(QMPCall *call, const char *arg, Error **errp)
{
    BlockJob *job = block_job_find(qmp_arg_str(call, arg), errp);

    if (!job) {
        call->error_class = "DeviceNotActive";
    }
    return job;
}

static JsonNode *qmp_result(bool ok)
{
    return ok ? qmp_return_empty() : NULL;
}

static JsonNode *qmp_block_job_set_speed(QMPCall *call, Error **errp)
{
    BlockJob *job = qmp_find_job(call, "device", errp);

    return qmp_result(job && block_job_set_speed(job, qmp_arg_int(call,
                                                                  "speed"),
                                                 errp));
}

/* QEMU's qmp_block_job_cancel: a paused job is only cancelled by force. */
static bool job_cancel(BlockJob *job, bool force, Error **errp)
{
    BlockJobInfo info;

    block_job_info(job, &info);
    if (info.paused && !force) {
        error_setg(errp, "The block job for device '%s' is currently paused",
                   info.id);
        return false;
    }
    return block_job_cancel(job, force, errp);
}

static JsonNode *qmp_block_job_cancel(QMPCall *call, Error **errp)
{
    BlockJob *job = qmp_find_job(call, "device", errp);

    return qmp_result(job && job_cancel(job, qmp_arg_has(call, "force") &&
                                             qmp_arg_bool(call, "force"),
                                        errp));
}

static JsonNode *qmp_block_job_pause(QMPCall *call, Error **errp)
{
    BlockJob *job = qmp_find_job(call, "device", errp);

    return qmp_result(job && block_job_pause(job, errp));
}

static JsonNode *qmp_block_job_resume(QMPCall *call, Error **errp)
{
    BlockJob *job = qmp_find_job(call, "device", errp);

    return qmp_result(job && block_job_resume(job, errp));
}

static JsonNode *qmp_block_job_complete(QMPCall *call, Error **errp)
{
    BlockJob *job = qmp_find_job(call, "device", errp);

    return qmp_result(job && block_job_complete(job, errp));
}

static JsonNode *qmp_block_job_finalize(QMPCall *call, Error **errp)
{
    BlockJob *job = qmp_find_job(call, "id", errp);

    return qmp_result(job && block_job_finalize(job, errp));
}

static JsonNode *qmp_block_job_dismiss(QMPCall *call, Error **errp)
{
    BlockJob *job = qmp_find_job(call, "id", errp);

    return qmp_result(job && block_job_dismiss(job, errp));
}

static const QMPCommand qmp_block_job_commands[] = {
    { "block-commit", "job-id:s?,device:s,base-node:s?,base:s?,top-node:s?,"
      "top:s?,backing-file:s?,speed:i?,on-error:s?,filter-node-name:s?,"
      "auto-finalize:b?,auto-dismiss:b?", qmp_block_commit },
    { "query-block-jobs", "", qmp_query_block_jobs },
    { "block-job-set-speed", "device:s,speed:i", qmp_block_job_set_speed },
    { "block-job-cancel", "device:s,force:b?", qmp_block_job_cancel },
    { "block-job-pause", "device:s", qmp_block_job_pause },
    { "block-job-resume", "device:s", qmp_block_job_resume },
    { "block-job-complete", "device:s", qmp_block_job_complete },
    { "block-job-finalize", "id:s", qmp_block_job_finalize },
    { "block-job-dismiss", "id:s", qmp_block_job_dismiss },
};

DEFINE_QMP_COMMANDS(qmp_block_job_commands)

/* ---- HMP ---- */

static void hmp_info_block_jobs(Monitor *mon, const MonitorArgs *args)
{
    BlockJob *job = block_job_next(NULL);

    if (!job) {
        monitor_puts(mon, "No active jobs\n");
        return;
    }
    for (; job; job = block_job_next(job)) {
        BlockJobInfo info;

        block_job_info(job, &info);
        monitor_printf(mon, "Type %s, device %s: Completed %" PRIu64 " of %"
                       PRIu64 " bytes, speed limit %" PRIu64 " bytes/s\n",
                       info.type, info.id, info.offset, info.len,
                       info.speed);
    }
}

/* The job of the command's device argument, or QEMU's error. */
static BlockJob *hmp_find_job(Monitor *mon, const MonitorArgs *args)
{
    Error *err = NULL;
    BlockJob *job = block_job_find(monitor_arg_str(args, "device"), &err);

    hmp_handle_error(mon, err);
    return job;
}

static void hmp_block_job_set_speed(Monitor *mon, const MonitorArgs *args)
{
    BlockJob *job = hmp_find_job(mon, args);
    Error *err = NULL;

    if (job) {
        block_job_set_speed(job, monitor_arg_int(args, "speed"), &err);
        hmp_handle_error(mon, err);
    }
}

static void hmp_block_job_cancel(Monitor *mon, const MonitorArgs *args)
{
    BlockJob *job = hmp_find_job(mon, args);
    Error *err = NULL;

    if (job) {
        job_cancel(job, monitor_arg_flag(args, "force"), &err);
        hmp_handle_error(mon, err);
    }
}

static void hmp_block_job_complete(Monitor *mon, const MonitorArgs *args)
{
    BlockJob *job = hmp_find_job(mon, args);
    Error *err = NULL;

    if (job) {
        block_job_complete(job, &err);
        hmp_handle_error(mon, err);
    }
}

static void hmp_block_job_pause(Monitor *mon, const MonitorArgs *args)
{
    BlockJob *job = hmp_find_job(mon, args);
    Error *err = NULL;

    if (job) {
        block_job_pause(job, &err);
        hmp_handle_error(mon, err);
    }
}

static void hmp_block_job_resume(Monitor *mon, const MonitorArgs *args)
{
    BlockJob *job = hmp_find_job(mon, args);
    Error *err = NULL;

    if (job) {
        block_job_resume(job, &err);
        hmp_handle_error(mon, err);
    }
}

static const HMPCommand hmp_block_job_commands[] = {
    { "block_job_set_speed", "device:B,speed:o", "device speed",
      "set maximum speed for a background block operation",
      hmp_block_job_set_speed },
    { "block_job_cancel", "force:-f,device:B", "[-f] device",
      "stop an active background block operation (use -f\n\t\t\t if you "
      "want to abort the operation immediately\n\t\t\t instead of keep "
      "running until data is in sync)", hmp_block_job_cancel },
    { "block_job_complete", "device:B", "device",
      "stop an active background block operation", hmp_block_job_complete },
    { "block_job_pause", "device:B", "device",
      "pause an active background block operation", hmp_block_job_pause },
    { "block_job_resume", "device:B", "device",
      "resume a paused background block operation", hmp_block_job_resume },
};

static const HMPCommand hmp_block_job_info_commands[] = {
    { "block-jobs", "", "", "show progress of ongoing block device "
      "operations", hmp_info_block_jobs },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, hmp_block_job_commands)
DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, hmp_block_job_info_commands)
