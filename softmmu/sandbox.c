/*
 * -sandbox as QEMU 7.2 reads it; the filter is in seccomp-filter.c.
 *
 * The filter allows every system call except the groups QEMU names:
 * a default set (reboot, mount, kexec... always), "obsolete" calls
 * (denied unless obsolete=allow), "elevateprivileges" (setuid and
 * friends), "spawn" (fork, exec, clone of anything but a thread) and
 * "resourcecontrol" (scheduling and priorities).  A denied call kills
 * the process, except the resource-control calls and clone3, which fail
 * with EPERM and ENOSYS as QEMU makes them fail.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sysemu/sandbox.h"
#include "util/cutils.h"
#include "util/keyval.h"
#include "seccomp-filter.h"

/* The groups "-sandbox on" denies; 0 for no filter. */
static unsigned denied_sets;

/* value is NULL (not given), "allow" or "deny", or "children" where
 * accept_children: QEMU's words otherwise. */
static bool check_choice(const char *key, const char *value,
                         bool accept_children, Error **errp)
{
    if (!value || !strcmp(value, "allow") || !strcmp(value, "deny") ||
        (accept_children && !strcmp(value, "children"))) {
        return true;
    }
    error_setg(errp, "invalid argument for %s", key);
    return false;
}

bool sandbox_parse(const char *opts, Error **errp)
{
    g_autoptr(KeyValList) kv = keyval_parse(opts, "enable", errp);
    const char *enable, *obsolete, *privileges, *spawn, *resources;
    const KeyValPair *extra;
    bool on = false;

    if (!kv) {
        return false;
    }
    enable = keyval_take(kv, "enable");
    if (!enable || !parse_bool(enable, &on)) {
        error_setg(errp, "Parameter 'enable' expects 'on' or 'off'");
        return false;
    }
    obsolete = keyval_take(kv, "obsolete");
    privileges = keyval_take(kv, "elevateprivileges");
    spawn = keyval_take(kv, "spawn");
    resources = keyval_take(kv, "resourcecontrol");
    extra = keyval_first_unused(kv);
    if (extra) {
        error_setg(errp, "Invalid parameter '%s'", extra->key);
        return false;
    }
    /* As QEMU, the values count only when there is a filter to build:
     * "-sandbox off,spawn=x" is accepted. */
    denied_sets = 0;
    if (!on) {
        return true;
    }
    if (!check_choice("obsolete", obsolete, false, errp) ||
        !check_choice("elevateprivileges", privileges, true, errp) ||
        !check_choice("spawn", spawn, false, errp) ||
        !check_choice("resourcecontrol", resources, false, errp)) {
        return false;
    }
    if (!seccomp_filter_available()) {
        error_setg(errp, "seccomp support is disabled");
        error_append_hint(errp, "This emu build or the host kernel cannot "
                          "filter system calls with seccomp: leave out "
                          "-sandbox or give -sandbox off\n");
        return false;
    }
    denied_sets = SANDBOX_DEFAULT | SANDBOX_OBSOLETE;
    if (obsolete && !strcmp(obsolete, "allow")) {
        denied_sets &= ~SANDBOX_OBSOLETE;
    }
    /* "children" denies the same calls; no_new_privs, which keeps a
     * child from gaining privileges through exec, is set for every
     * filter (the kernel wants it from an unprivileged process). */
    if (privileges && strcmp(privileges, "allow")) {
        denied_sets |= SANDBOX_PRIVILEGED;
    }
    if (spawn && !strcmp(spawn, "deny")) {
        denied_sets |= SANDBOX_SPAWN;
    }
    if (resources && !strcmp(resources, "deny")) {
        denied_sets |= SANDBOX_RESOURCECTL;
    }
    return true;
}

bool sandbox_install(Error **errp)
{
    return !denied_sets || seccomp_filter_install(denied_sets, errp);
}
