/*
 * -sandbox: a seccomp filter that denies emu the system calls it never
 * needs once the machine is built, as QEMU 7.2's -sandbox does (see
 * docs/user-manual.md, "The host process").
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_SANDBOX_H
#define SYSEMU_SANDBOX_H

#include "util/osdep.h"
#include "util/error.h"

/*
 * -sandbox on|off[,obsolete=allow|deny][,elevateprivileges=allow|deny|
 * children][,spawn=allow|deny][,resourcecontrol=allow|deny]: checked
 * and remembered, with QEMU's messages.  Refuses "on" where this build
 * or the host kernel cannot filter system calls.
 */
bool sandbox_parse(const char *opts, Error **errp);

/*
 * Installs the filter that sandbox_parse() asked for, on every thread of
 * the process (nothing when there was no "-sandbox on").  Called once,
 * when the machine is up and only the main loop is left to run.
 */
bool sandbox_install(Error **errp);

#endif
