/*
 * Disassembly in QEMU's layout, for the monitor ("x /i"), -d in_asm
 * (guest code) and -d out_asm (host code):
 *   0x00000000:  e3a00005  mov      r0, #5
 *   0x000f00d0:  48 ff c0                 incq     %rax
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef DISAS_DISAS_H
#define DISAS_DISAS_H

#include "util/osdep.h"

/*
 * Disassembles at most count instructions from buf (len bytes of code
 * at address addr) with Capstone's arch and mode, appending one line
 * each to out; bytes that are no instruction show as ".byte".  Returns
 * the bytes consumed.  x86 is shown in AT&T syntax, as QEMU does.
 */
size_t disas_append(GString *out, int cs_arch, int cs_mode, uint64_t addr,
                    const uint8_t *buf, size_t len, int count);

/* Host code of the machine emu runs on (x86-64), for -d out_asm. */
size_t disas_append_host(GString *out, const void *code, size_t len);

#endif
