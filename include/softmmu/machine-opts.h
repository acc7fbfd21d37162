/*
 * The options of every -machine (-M) on a command line, merged as QEMU
 * merges them: "-M connex -machine accel=tcg" is one machine, connex,
 * with accel=tcg; a key given twice keeps its last value.  Each value
 * remembers the option that gave it, so an error names that option.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SOFTMMU_MACHINE_OPTS_H
#define SOFTMMU_MACHINE_OPTS_H

#include "util/osdep.h"
#include "util/error.h"
#include "qom/object.h"

typedef struct MachineOpts MachineOpts;

MachineOpts *machine_opts_new(void);
void machine_opts_free(MachineOpts *mo);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MachineOpts, machine_opts_free)

/* Merges one "-machine ARG" (option is "-M" or "-machine" as typed). */
bool machine_opts_add(MachineOpts *mo, const char *option, const char *arg,
                      Error **errp);
/* Adds key=value as if a -machine had said it (-enable-kvm: accel=kvm). */
void machine_opts_set(MachineOpts *mo, const char *option, const char *key,
                      const char *value);
/* The value of key, or NULL; it will not be applied as a property.  The
 * error location is set to the option that gave it. */
const char *machine_opts_take(MachineOpts *mo, const char *key);
/* Whether any -machine was given. */
bool machine_opts_given(const MachineOpts *mo);
/* Sets every key not taken as a property of the machine object. */
bool machine_opts_apply(MachineOpts *mo, Object *machine, Error **errp);

#endif
