/*
 * -L DIR: where firmware named without a path (-bios NAME) is looked
 * for, after the current directory, in the order given.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SYSEMU_DATADIR_H
#define SYSEMU_DATADIR_H

#include "util/osdep.h"

void datadir_add(const char *dir);
/* "-L help": the directories, one a line. */
void datadir_print_list(FILE *out);
/* name itself when readable, else DIR/name of the first -L that has it,
 * else name (so that the error names what the user typed). */
const char *datadir_find_file(const char *name);

/* A board's default firmware: name in the -L directories, then in the
 * directories where Debian's packages put it (/usr/share/seabios...).
 * NULL when none has it; *searched then lists where emu looked. */
const char *datadir_find_default_firmware(const char *name,
                                          char **searched);

#endif
