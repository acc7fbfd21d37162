/*
 * Semihosting: the guest asks the host for console, files, time and
 * exit through a trapping instruction (ARM: svc 0x123456, Thumb:
 * svc 0xab), when -semihosting is given.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SEMIHOSTING_SEMIHOST_H
#define SEMIHOSTING_SEMIHOST_H

#include "util/osdep.h"
#include "util/error.h"

bool semihosting_enabled(void);
/* Whether the calls on files and the console go to gdb's File-I/O
 * (target=gdb, or auto with gdb attached at the first call). */
bool semihosting_use_gdb(void);
/* The command line SYS_GET_CMDLINE returns: the arg= values joined by
 * spaces, or the kernel name and -append, or "" . */
const char *semihosting_get_cmdline(void);

/* -semihosting and -semihosting-config (softmmu/vl.c). */
void semihosting_enable(void);
bool semihosting_configure(const char *opts, Error **errp);
/*
 * The host files of SYS_OPEN, SYS_REMOVE and SYS_RENAME (files.c):
 * anywhere emu's user may reach, or, after semihosting_set_chroot
 * (chroot=DIR), only beneath DIR.  -1 with errno set on failure; a name
 * that leads out of DIR fails with EACCES.
 */
bool semihosting_set_chroot(const char *dir, Error **errp);
bool semihosting_fenced(void);
int semihosting_open(const char *name, int flags, mode_t mode);
int semihosting_remove(const char *name);
int semihosting_rename(const char *from, const char *to);

/* For SYS_GET_CMDLINE when no arg= was given. */
void semihosting_set_default_cmdline(const char *cmdline);

/*
 * What SYS_HEAPINFO describes, as QEMU lays it out: the heap from the
 * end of the highest image loaded into RAM (the middle of RAM when there
 * is none) to the top of RAM, the stack growing down from the top.  The
 * board sets the RAM once it is known (size 0 = unknown); loaders
 * (-device loader, -kernel) note each image they put in guest memory.
 */
void semihosting_set_ram(uint64_t base, uint64_t size);
void semihosting_note_image(uint64_t addr, uint64_t size);
/* heap base and limit, stack base (top) and limit, in that order */
void semihosting_get_heapinfo(uint64_t info[4]);

#endif
