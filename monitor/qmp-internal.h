/*
 * Shared by the QMP files of monitor/ only.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MONITOR_QMP_INTERNAL_H
#define MONITOR_QMP_INTERNAL_H

#include "monitor/qmp.h"

/* The version object of query-version and of the greeting. */
JsonNode *qmp_encode_version(void);
/* Names of the commands, in registration order, with qmp_capabilities
 * (which the session answers itself). */
GPtrArray *qmp_command_names(void);

/* Sends the event NAME with DATA (taken; NULL: none) to every QMP
 * session past negotiation. */
void qmp_broadcast_event(const char *name, JsonObject *data);

#endif
