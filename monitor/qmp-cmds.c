/*
 * The QMP commands of the core: versions and command lists, run
 * control, vCPUs, machines, chardevs, and the human monitor inside QMP.
 * Each encodes what a query function of query.h returns, the data HMP
 * prints; members come in QEMU 7.2's order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/qmp.h"
#include "monitor-internal.h"
#include "qmp-internal.h"
#include "query.h"
#include "chardev/char.h"
#include "sysemu/runstate.h"
#include "sysemu/process.h"

static JsonNode *array_node(JsonArray *arr)
{
    JsonNode *node = json_node_new(JSON_NODE_ARRAY);

    json_node_take_array(node, arr);
    return node;
}

JsonNode *qmp_encode_version(void)
{
    VersionInfo info = query_version();
    JsonObject *qemu = json_object_new();
    JsonObject *version = json_object_new();

    json_object_set_int_member(qemu, "micro", info.micro);
    json_object_set_int_member(qemu, "minor", info.minor);
    json_object_set_int_member(qemu, "major", info.major);
    json_object_set_object_member(version, "qemu", qemu);
    json_object_set_string_member(version, "package", info.package);
    return qmp_return_object(version);
}

static JsonNode *qmp_query_version(QMPCall *call, Error **errp)
{
    return qmp_encode_version();
}

static JsonNode *qmp_query_commands(QMPCall *call, Error **errp)
{
    GPtrArray *names = qmp_command_names();
    JsonArray *list = json_array_new();

    for (guint i = 0; i < names->len; i++) {
        JsonObject *item = json_object_new();

        json_object_set_string_member(item, "name",
                                      g_ptr_array_index(names, i));
        json_array_add_object_element(list, item);
    }
    g_ptr_array_unref(names);
    return array_node(list);
}

static JsonNode *qmp_query_status(QMPCall *call, Error **errp)
{
    StatusInfo info = query_status();
    JsonObject *status = json_object_new();

    json_object_set_string_member(status, "status",
                                  runstate_name(info.status));
    json_object_set_boolean_member(status, "singlestep", info.singlestep);
    json_object_set_boolean_member(status, "running", info.running);
    return qmp_return_object(status);
}

static JsonNode *qmp_stop(QMPCall *call, Error **errp)
{
    vm_stop(RUN_STATE_PAUSED);
    return qmp_return_empty();
}

static JsonNode *qmp_cont(QMPCall *call, Error **errp)
{
    return vm_cont(errp) ? qmp_return_empty() : NULL;
}

static JsonNode *qmp_system_reset(QMPCall *call, Error **errp)
{
    system_reset_request(SHUTDOWN_CAUSE_HOST_RESET);
    return qmp_return_empty();
}

static JsonNode *qmp_system_powerdown(QMPCall *call, Error **errp)
{
    system_powerdown_request();
    return qmp_return_empty();
}

static JsonNode *qmp_inject_nmi(QMPCall *call, Error **errp)
{
    return cpu_inject_nmi_all(errp) ? qmp_return_empty() : NULL;
}

static JsonNode *qmp_quit(QMPCall *call, Error **errp)
{
    system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    return qmp_return_empty();
}

/* CpuInstanceProperties, in the order QEMU's output has them. */
static JsonObject *slot_props_object(const CpuSlotProps *props)
{
    JsonObject *obj = json_object_new();

    json_object_set_int_member(obj, "core-id", props->core);
    json_object_set_int_member(obj, "thread-id", props->thread);
    json_object_set_int_member(obj, "socket-id", props->socket);
    if (props->has_cluster) {
        json_object_set_int_member(obj, "cluster-id", props->cluster);
    }
    return obj;
}

static JsonNode *qmp_query_cpus_fast(QMPCall *call, Error **errp)
{
    GArray *cpus_info = query_cpus_fast();
    JsonArray *list = json_array_new();

    for (guint i = 0; i < cpus_info->len; i++) {
        CpuInfoFast *info = &g_array_index(cpus_info, CpuInfoFast, i);
        JsonObject *item = json_object_new();

        json_object_set_int_member(item, "thread-id", info->thread_id);
        if (info->has_props) {
            json_object_set_object_member(item, "props",
                                          slot_props_object(&info->props));
        }
        json_object_set_string_member(item, "qom-path", info->qom_path);
        json_object_set_int_member(item, "cpu-index", info->cpu_index);
        json_object_set_string_member(item, "target", info->target);
        json_array_add_object_element(list, item);
    }
    g_array_unref(cpus_info);
    return array_node(list);
}

static JsonNode *qmp_query_hotpluggable_cpus(QMPCall *call, Error **errp)
{
    g_autoptr(GArray) slots = query_hotpluggable_cpus(errp);
    JsonArray *list;

    if (!slots) {
        return NULL;
    }
    list = json_array_new();
    for (guint i = 0; i < slots->len; i++) {
        HotpluggableCpu *slot = &g_array_index(slots, HotpluggableCpu, i);
        JsonObject *item = json_object_new();

        json_object_set_object_member(item, "props",
                                      slot_props_object(&slot->props));
        json_object_set_int_member(item, "vcpus-count", 1);
        if (slot->qom_path) {
            json_object_set_string_member(item, "qom-path", slot->qom_path);
        }
        json_object_set_string_member(item, "type", slot->type);
        json_array_add_object_element(list, item);
    }
    return array_node(list);
}

static JsonNode *qmp_query_kvm(QMPCall *call, Error **errp)
{
    KvmInfo info = query_kvm();
    JsonObject *kvm = json_object_new();

    json_object_set_boolean_member(kvm, "enabled", info.enabled);
    json_object_set_boolean_member(kvm, "present", info.present);
    return qmp_return_object(kvm);
}

static JsonNode *qmp_query_machines(QMPCall *call, Error **errp)
{
    GArray *machines = query_machines();
    JsonArray *list = json_array_new();

    for (guint i = 0; i < machines->len; i++) {
        MachineInfo *info = &g_array_index(machines, MachineInfo, i);
        JsonObject *item = json_object_new();

        json_object_set_boolean_member(item, "hotpluggable-cpus", false);
        json_object_set_string_member(item, "name", info->name);
        json_object_set_boolean_member(item, "numa-mem-supported", false);
        if (info->default_cpu_type) {
            json_object_set_string_member(item, "default-cpu-type",
                                          info->default_cpu_type);
        }
        if (info->is_default) {
            json_object_set_boolean_member(item, "is-default", true);
        }
        json_object_set_int_member(item, "cpu-max", info->cpu_max);
        json_object_set_boolean_member(item, "deprecated", false);
        if (info->default_ram_id) {
            json_object_set_string_member(item, "default-ram-id",
                                          info->default_ram_id);
        }
        if (info->alias) {
            json_object_set_string_member(item, "alias", info->alias);
        }
        json_array_add_object_element(list, item);
    }
    g_array_unref(machines);
    return array_node(list);
}

static JsonNode *qmp_query_chardev(QMPCall *call, Error **errp)
{
    GArray *chardevs = chardev_query();
    JsonArray *list = json_array_new();

    for (guint i = 0; i < chardevs->len; i++) {
        ChardevInfo *info = &g_array_index(chardevs, ChardevInfo, i);
        JsonObject *item = json_object_new();

        json_object_set_boolean_member(item, "frontend-open",
                                       info->frontend_open);
        json_object_set_string_member(item, "filename", info->filename);
        json_object_set_string_member(item, "label", info->label);
        json_array_add_object_element(list, item);
    }
    g_array_unref(chardevs);
    return array_node(list);
}

/* Runs an HMP command line and returns what it printed, with QEMU's
 * "\r\n" line ends. */
static JsonNode *qmp_human_monitor_command(QMPCall *call, Error **errp)
{
    int cpu_index = 0;
    g_autofree char *output = NULL;
    GString *text;
    JsonNode *node;

    if (qmp_arg_has(call, "cpu-index")) {
        int64_t index = qmp_arg_int(call, "cpu-index");

        if (!cpus || index < 0 || index >= cpus->len) {
            error_setg(errp, "Parameter 'cpu-index' expects a CPU number");
            return NULL;
        }
        cpu_index = index;
    }
    output = monitor_run_command_on_cpu(qmp_arg_str(call, "command-line"),
                                        cpu_index);
    text = g_string_new(NULL);
    for (const char *p = output; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(text, '\r');
        }
        g_string_append_c(text, *p);
    }
    node = json_node_new(JSON_NODE_VALUE);
    json_node_set_string(node, text->str);
    g_string_free(text, TRUE);
    return node;
}

static JsonNode *qmp_query_name(QMPCall *call, Error **errp)
{
    JsonObject *name = json_object_new();

    if (vm_name()) {
        json_object_set_string_member(name, "name", vm_name());
    }
    return qmp_return_object(name);
}

static JsonNode *qmp_query_uuid(QMPCall *call, Error **errp)
{
    JsonObject *uuid = json_object_new();

    json_object_set_string_member(uuid, "UUID", vm_uuid());
    return qmp_return_object(uuid);
}

static const QMPCommand qmp_core_commands[] = {
    { "query-version", "", qmp_query_version },
    { "query-commands", "", qmp_query_commands },
    { "query-status", "", qmp_query_status },
    { "stop", "", qmp_stop },
    { "cont", "", qmp_cont },
    { "system_reset", "", qmp_system_reset },
    { "system_powerdown", "", qmp_system_powerdown },
    { "inject-nmi", "", qmp_inject_nmi },
    { "quit", "", qmp_quit },
    { "query-cpus-fast", "", qmp_query_cpus_fast },
    { "query-hotpluggable-cpus", "", qmp_query_hotpluggable_cpus },
    { "query-kvm", "", qmp_query_kvm },
    { "query-name", "", qmp_query_name },
    { "query-uuid", "", qmp_query_uuid },
    { "query-machines", "", qmp_query_machines },
    { "query-chardev", "", qmp_query_chardev },
    { "human-monitor-command", "command-line:s,cpu-index:i?",
      qmp_human_monitor_command },
};

DEFINE_QMP_COMMANDS(qmp_core_commands)
