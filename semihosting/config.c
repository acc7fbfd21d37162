/*
 * -semihosting and -semihosting-config enable=on|off,target=native|auto,
 * arg=ARG... as QEMU reads them.  target=gdb (the calls carried out by
 * an attached gdb through its File-I/O protocol) is not implemented and
 * is refused; auto means native, gdb attached or not.  chroot=DIR is
 * emu's own: the
 * guest's files only beneath DIR (files.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "util/keyval.h"
#include "semihosting/semihost.h"

static bool enabled;
static GString *cmdline;         /* from arg=, NULL when none given */
static char *default_cmdline;

bool semihosting_enabled(void)
{
    return enabled;
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
            if (strcmp(value, "native") && strcmp(value, "auto")) {
                error_setg(errp, "semihosting target '%s' is not supported "
                           "(native or auto; gdb's File-I/O is not "
                           "implemented)", value);
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
