/*
 * -semihosting and -semihosting-config enable=on|off,
 * target=native|gdb|auto, arg=ARG... as QEMU reads them.  target=gdb
 * hands the calls on files and the console to the attached gdb (its
 * File-I/O protocol, gdbstub/); auto does so when a gdb is attached at
 * the guest's first call, as QEMU decides.  chroot=DIR is emu's own: the
 * guest's files only beneath DIR (files.c); it does not apply to the
 * files gdb opens.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "util/keyval.h"
#include "semihosting/semihost.h"
#include "gdbstub/gdbstub.h"

typedef enum SemihostingTarget {
    SEMIHOSTING_TARGET_NATIVE,
    SEMIHOSTING_TARGET_GDB,
    SEMIHOSTING_TARGET_AUTO,     /* not decided yet */
} SemihostingTarget;

static bool enabled;
static SemihostingTarget target = SEMIHOSTING_TARGET_AUTO;
static GString *cmdline;         /* from arg=, NULL when none given */
static char *default_cmdline;

bool semihosting_enabled(void)
{
    return enabled;
}

bool semihosting_use_gdb(void)
{
    if (target == SEMIHOSTING_TARGET_AUTO) {
        target = gdbserver_attached() ? SEMIHOSTING_TARGET_GDB
                                      : SEMIHOSTING_TARGET_NATIVE;
    }
    return target == SEMIHOSTING_TARGET_GDB;
}

void semihosting_enable(void)
{
    enabled = true;
}

const char *semihosting_get_cmdline(void)
{
    if (cmdline) {
        return cmdline->str;
    }
    return default_cmdline ? default_cmdline : "";
}

void semihosting_set_default_cmdline(const char *text)
{
    g_free(default_cmdline);
    default_cmdline = g_strdup(text);
}

bool semihosting_configure(const char *opts, Error **errp)
{
    static const char *const repeatable[] = { "arg", NULL };
    g_autoptr(KeyValList) kv = keyval_parse_repeatable(opts, NULL,
                                                       repeatable, errp);
    bool enable = true;

    if (!kv) {
        return false;
    }
    for (guint i = 0; i < kv->pairs->len; i++) {
        const KeyValPair *pair = &g_array_index(kv->pairs, KeyValPair, i);
        const char *key = pair->key, *value = pair->value;

        if (!strcmp(key, "enable")) {
            if (!parse_bool(value, &enable)) {
                error_setg(errp, "enable expects on or off, not '%s'", value);
                return false;
            }
        } else if (!strcmp(key, "target")) {
            if (!strcmp(value, "native")) {
                target = SEMIHOSTING_TARGET_NATIVE;
            } else if (!strcmp(value, "gdb")) {
                target = SEMIHOSTING_TARGET_GDB;
            } else if (!strcmp(value, "auto")) {
                target = SEMIHOSTING_TARGET_AUTO;
            } else {
                error_setg(errp, "unsupported semihosting-config %s", opts);
                return false;
            }
        } else if (!strcmp(key, "chroot")) {
            if (!semihosting_set_chroot(value, errp)) {
                return false;
            }
        } else if (!strcmp(key, "arg")) {
            if (!cmdline) {
                cmdline = g_string_new(NULL);
            } else {
                g_string_append_c(cmdline, ' ');
            }
            g_string_append(cmdline, value);
        } else {
            error_setg(errp, "unknown -semihosting-config parameter '%s' "
                       "(known: enable, target, chroot, arg)", key);
            return false;
        }
    }
    enabled = enable;
    return true;
}
