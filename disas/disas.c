/*
 * Capstone disassembly in QEMU's layout.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <capstone/capstone.h>
#include "disas/disas.h"
#include "util/bswap.h"

/*
 * One instruction: the address, the bytes in units (4 for ARM, 2 for
 * Thumb, 1 for x86) padded to a fixed width so mnemonics line up, then
 * the text; long x86 instructions continue on the next line.
 */
static void print_insn(GString *out, const cs_insn *insn, int unit, int split)
{
    int n = insn->size;

    for (int start = 0; start < n || start == 0; start += split) {
        int end = MIN(n, start + split);

        g_string_append_printf(out, "0x%08" PRIx64 ": ",
                               insn->address + start);
        for (int i = start; i < end; i += unit) {
            g_string_append_printf(out, " %0*" PRIx64, unit * 2,
                                   ldn_le_p(insn->bytes + i, unit));
        }
        if (start == 0) {
            if (n < split) {
                g_string_append_printf(out, "%*s",
                                       (split - n) / unit * (2 * unit + 1), "");
            }
            g_string_append_printf(out, "  %-8s %s", insn->mnemonic,
                                   insn->op_str);
        }
        g_string_append_c(out, '\n');
    }
}

size_t disas_append(GString *out, int cs_arch, int cs_mode, uint64_t addr,
                    const uint8_t *buf, size_t len, int count)
{
    int unit = cs_arch == CS_ARCH_X86 ? 1 : (cs_mode & CS_MODE_THUMB) ? 2 : 4;
    int split = cs_arch == CS_ARCH_X86 ? 8 : 4;
    const uint8_t *code = buf;
    size_t left = len;
    uint64_t pc = addr;
    cs_insn *insn;
    csh handle;

    if (cs_open(cs_arch, cs_mode, &handle) != CS_ERR_OK) {
        g_string_append(out, "(the disassembler cannot handle this mode)\n");
        return len;
    }
    if (cs_arch == CS_ARCH_X86) {
        cs_option(handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
    }
    insn = cs_malloc(handle);
    for (int i = 0; i < count && left >= (size_t)unit; i++) {
        if (!cs_disasm_iter(handle, &code, &left, &pc, insn)) {
            /* Not an instruction: one unit shown as data, as QEMU does. */
            GString *bytes = g_string_new(NULL);

            for (int b = 0; b < unit; b++) {
                g_string_append_printf(bytes, "%s0x%02x", b ? ", " : "",
                                       code[b]);
            }
            insn->address = pc;
            insn->size = unit;
            memcpy(insn->bytes, code, unit);
            g_strlcpy(insn->mnemonic, ".byte", sizeof(insn->mnemonic));
            g_strlcpy(insn->op_str, bytes->str, sizeof(insn->op_str));
            g_string_free(bytes, TRUE);
            code += unit;
            left -= unit;
            pc += unit;
        }
        print_insn(out, insn, unit, split);
    }
    cs_free(insn, 1);
    cs_close(&handle);
    return code - buf;
}

size_t disas_append_host(GString *out, const void *code, size_t len)
{
    return disas_append(out, CS_ARCH_X86, CS_MODE_64, (uintptr_t)code, code,
                        len, INT_MAX);
}
