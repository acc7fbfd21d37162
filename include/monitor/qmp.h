/*
 * QMP, the machine monitor: JSON commands and events on a character
 * device (-qmp, -qmp-pretty, -mon mode=control).
 *
 * Commands are rows of a table, like HMP's: a name, an argument spec
 * and a handler.  The spec is comma-separated "name:type" items, a
 * trailing "?" making one optional:
 *   s  string    i  integer (int64)    u  integer (uint64)
 *   b  boolean   a  any value           o  object
 *   *  (alone) the command takes further members of its own
 * The dispatcher checks the arguments against the spec and answers
 * QEMU's errors ("Parameter 'x' is missing", ...), so a handler only
 * sees arguments of the declared types.  Handlers are thin: they call
 * the same query functions HMP prints, and encode the data.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MONITOR_QMP_H
#define MONITOR_QMP_H

#include "util/osdep.h"
#include "util/error.h"
#include "chardev/char.h"
#include <json-glib/json-glib.h>

typedef struct QMPCall {
    JsonObject *args;            /* checked against the spec */
    /* The error class a handler may set with its error (default
     * "GenericError"): "DeviceNotFound", "KVMMissingCap"... */
    const char *error_class;
} QMPCall;

/* Returns the "return" value (a new node), or NULL with *errp set. */
typedef JsonNode *(*QMPHandler)(QMPCall *call, Error **errp);

typedef struct QMPCommand {
    const char *name;
    const char *args_type;
    QMPHandler handler;
} QMPCommand;

void qmp_register_commands(const QMPCommand *cmds, size_t count);

#define DEFINE_QMP_COMMANDS(cmds)                                     \
    static void __attribute__((constructor)) register_qmp_##cmds(void) \
    {                                                                 \
        qmp_register_commands((cmds), ARRAY_SIZE(cmds));              \
    }

/* Argument accessors (the spec has made sure of the types). */
bool qmp_arg_has(QMPCall *call, const char *name);
const char *qmp_arg_str(QMPCall *call, const char *name);
int64_t qmp_arg_int(QMPCall *call, const char *name);
uint64_t qmp_arg_uint(QMPCall *call, const char *name);
bool qmp_arg_bool(QMPCall *call, const char *name);
JsonNode *qmp_arg_node(QMPCall *call, const char *name);

/* "{}", the return value of commands that return nothing. */
JsonNode *qmp_return_empty(void);
/* OBJ as a command's return value (takes it). */
JsonNode *qmp_return_object(JsonObject *obj);

/* A QMP monitor on chr; pretty is -qmp-pretty's layout. */
bool qmp_monitor_new(Chardev *chr, bool pretty, Error **errp);
void qmp_cleanup_all(void);

/*
 * Runs one JSON request (as a client would send it) with negotiation
 * already done, and returns the JSON replies and events it produced:
 * for tests.
 */
char *qmp_run_request_to_string(const char *request);

#endif
