/*
 * Monitor commands that look at a vCPU and guest memory: info registers,
 * cpu, x, xp, print, sum.  They rely only on the CPUClass
 * hooks (register dump, page-table walk, disassembler mode, registers by
 * name), so every target gets them by filling those in.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/bswap.h"
#include <capstone/capstone.h>
#include "disas/disas.h"
#include "monitor/monitor.h"
#include "monitor-internal.h"
#include "softmmu/memory.h"

static CPUState *cpu_or_complain(Monitor *mon)
{
    CPUState *cpu = monitor_get_cpu(mon);

    if (!cpu) {
        monitor_printf(mon, "No CPU available\n");
    }
    return cpu;
}

static void dump_registers(Monitor *mon, CPUState *cpu)
{
    CPUClass *cc = CPU_GET_CLASS(cpu);
    GString *out = g_string_new(NULL);

    cpu_synchronize_state(cpu);
    g_string_append_printf(out, "\nCPU#%d\n", cpu->cpu_index);
    if (cc->dump_state) {
        cc->dump_state(cpu, out, CPU_DUMP_FPU);
    }
    monitor_puts(mon, out->str);
    g_string_free(out, TRUE);
}

static void hmp_info_registers(Monitor *mon, const MonitorArgs *args)
{
    CPUState *cpu;

    if (monitor_arg_flag(args, "all")) {
        for (guint i = 0; cpus && i < cpus->len; i++) {
            dump_registers(mon, g_ptr_array_index(cpus, i));
        }
        return;
    }
    if (monitor_arg_has(args, "vcpu")) {
        uint64_t index = monitor_arg_uint(args, "vcpu");   /* 32 bits */

        if (!cpus || index >= cpus->len) {
            monitor_printf(mon, "CPU#%" PRIu64 " not available\n", index);
            return;
        }
        cpu = g_ptr_array_index(cpus, index);
    } else {
        cpu = cpu_or_complain(mon);
    }
    if (cpu) {
        dump_registers(mon, cpu);
    }
}

static void hmp_cpu(Monitor *mon, const MonitorArgs *args)
{
    if (!monitor_set_cpu(mon, monitor_arg_int(args, "index"))) {
        monitor_printf(mon, "invalid CPU index\n");
    }
}

/* ---- reading guest memory ---- */

/* Reads len bytes at a virtual (through the vCPU's MMU) or physical
 * address; false when a virtual page is not mapped or the bus has
 * nothing (or an error) at some of the bytes. */
static bool read_guest(CPUState *cpu, bool physical, uint64_t addr,
                       uint8_t *buf, size_t len)
{
    if (physical) {
        return address_space_read(&address_space_memory, addr, buf,
                                  len) == MEMTX_OK;
    }
    return cpu_memory_rw_debug(cpu, addr, buf, len, false);
}

/* ---- /FMT ---- */

/*
 * Reads "/[count][format][size]" (the argument parser checked its
 * characters) as QEMU does, updating the remembered format: a missing
 * count is 1, a missing format or size is the last one, and "i" without
 * a size means "the vCPU's current mode" (size 0).
 */
void monitor_parse_format(Monitor *mon, const char *text,
                          MemoryDumpFormat *fmt)
{
    MemoryDumpFormat *last = monitor_last_format(mon);
    char format = 0;
    int size = 0;

    fmt->count = 1;
    if (!text) {
        fmt->format = last->format;
        fmt->size = last->format == 'i' ? 0 : last->size;
        return;
    }
    text++;                      /* the '/' */
    if (g_ascii_isdigit(*text)) {
        /* Decimal digits into 32 bits, wrapping as QEMU's int does: a
         * count that wraps to zero or below dumps nothing. */
        uint32_t count = 0;

        for (; g_ascii_isdigit(*text); text++) {
            count = count * 10 + (*text - '0');
        }
        fmt->count = (int32_t)count;
    }
    for (; *text; text++) {
        switch (*text) {
        case 'o': case 'd': case 'u': case 'x': case 'i': case 'c':
            format = *text;
            break;
        case 'b':
            size = 1;
            break;
        case 'h':
            size = 2;
            break;
        case 'w':
            size = 4;
            break;
        case 'g':
        case 'L':
            size = 8;
            break;
        }
    }
    fmt->format = format ? format : last->format;
    if (fmt->format != 'i') {
        fmt->size = size ? size : last->size;
        last->size = fmt->size;
    } else {
        fmt->size = size;
    }
    last->format = fmt->format;
}

static void print_char(GString *out, uint8_t c)
{
    switch (c) {
    case '\'':
        g_string_append(out, "'\\''");
        break;
    case '\\':
        g_string_append(out, "'\\\\'");
        break;
    case '\n':
        g_string_append(out, "'\\n'");
        break;
    case '\r':
        g_string_append(out, "'\\r'");
        break;
    default:
        if (c >= 32 && c <= 126) {
            g_string_append_printf(out, "'%c'", c);
        } else {
            g_string_append_printf(out, "'\\x%02x'", c);
        }
        break;
    }
}

/* ---- x /i ---- */

/* Capstone mode for "/i": the vCPU's, or the one a size letter picks. */
static bool disas_mode(CPUState *cpu, int size, int *arch, int *mode)
{
    CPUClass *cc = CPU_GET_CLASS(cpu);

    if (!cc->disas_config) {
        return false;
    }
    cc->disas_config(cpu, arch, mode);
    if (*arch == CS_ARCH_ARM && (size == 2 || size == 4)) {
        *mode = size == 2 ? CS_MODE_THUMB : CS_MODE_ARM;
    } else if (*arch == CS_ARCH_X86 && size >= 2) {
        *mode = size == 2 ? CS_MODE_16 : size == 4 ? CS_MODE_32 : CS_MODE_64;
    }
    return true;
}

/* Hex digits of an address as QEMU prints it: the target's width for a
 * virtual address, 64 bits for a physical one in "xp" dumps. */
static int address_digits(CPUState *cpu)
{
    return cpu && CPU_GET_CLASS(cpu)->address_bytes == 4 ? 8 : 16;
}

/* Dumps leave in pieces of about this size: few writes, little memory. */
#define DUMP_PIECE 16384

/* Sends what out holds once it is a piece, or all of it when done.
 * False when nobody gets the output any more: the dump stops. */
static bool dump_flush(Monitor *mon, GString *out, bool done)
{
    if (out->len && (done || out->len >= DUMP_PIECE)) {
        monitor_puts(mon, out->str);
        g_string_truncate(out, 0);
    }
    return !monitor_output_lost(mon);
}

/*
 * "x /Ni": one line per instruction, sent as the lines come, so a huge
 * count streams instead of piling up.  Code goes through a 32-byte
 * window topped up before each instruction, never further than the
 * next 1 KiB boundary past what the window holds: QEMU reads code that
 * way, so both stop with "unable to read memory" at the same
 * instruction.  A count below one still shows one instruction, as in
 * QEMU.
 */
static void disassemble(Monitor *mon, CPUState *cpu, bool physical,
                        uint64_t addr, const MemoryDumpFormat *fmt)
{
    g_autoptr(GString) out = g_string_new(NULL);
    uint8_t window[32];
    size_t have = 0;
    int left = fmt->count;
    int arch, mode;

    if (!cpu || !disas_mode(cpu, fmt->size, &arch, &mode)) {
        monitor_printf(mon, "No CPU available to choose a disassembler\n");
        return;
    }
    do {
        uint64_t boundary = (addr + have + 1024) & ~(uint64_t)1023;
        size_t want = MIN(sizeof(window) - have, boundary - addr);
        size_t used;

        if (!read_guest(cpu, physical, addr + have, window + have, want)) {
            g_string_append_printf(out, "0x%0*" PRIx64 ": unable to read "
                                   "memory\n", address_digits(cpu), addr);
            break;
        }
        have += want;
        /* Nothing used: too few bytes for an instruction yet. */
        used = disas_append(out, arch, mode, addr, window, have, 1);
        if (used) {
            memmove(window, window + used, have - used);
            have -= used;
            addr += used;
            left--;
            if (!dump_flush(mon, out, false)) {
                return;
            }
        }
    } while (left > 0);
    dump_flush(mon, out, true);
}

/* One item of a dump in a format other than 'i'. */
static void append_item(GString *line, char format, int digits, uint64_t v)
{
    g_string_append_c(line, ' ');
    switch (format) {
    case 'o':
        g_string_append_printf(line, "%#*" PRIo64, digits, v);
        break;
    case 'u':
        g_string_append_printf(line, "%*" PRIu64, digits, v);
        break;
    case 'd':
        /* QEMU does not sign-extend a smaller item: /dw of 0xffffffff
         * shows 4294967295, only /dg shows -1. */
        g_string_append_printf(line, "%*" PRId64, digits, (int64_t)v);
        break;
    case 'c':
        print_char(line, v);
        break;
    default:
        g_string_append_printf(line, "0x%0*" PRIx64, digits, v);
        break;
    }
}

/*
 * "x" and "xp": sent as the lines come, so a huge count streams in
 * constant memory.  The byte count is the item
 * size times the count in 32 bits, wrapping as QEMU's does, and nothing
 * is shown when that is not positive.  The dump stops at the first line
 * that cannot be read, with QEMU's "Cannot access memory".
 */
static void memory_dump(Monitor *mon, CPUState *cpu, bool physical,
                        uint64_t addr, const MemoryDumpFormat *fmt)
{
    int size = fmt->size;
    int32_t len = (int32_t)((uint32_t)size * (uint32_t)fmt->count);
    int line_size = size == 1 ? 8 : 16;
    int digits = 0;
    int addr_digits = physical ? 16 : address_digits(cpu);
    g_autoptr(GString) out = NULL;

    if (fmt->format == 'i') {
        disassemble(mon, cpu, physical, addr, fmt);
        return;
    }
    switch (fmt->format) {
    case 'o':
        digits = (size * 8 + 2) / 3;
        break;
    case 'u':
    case 'd':
        digits = (size * 8 * 10 + 32) / 33;
        break;
    case 'c':
        size = 1;
        break;
    default:
        digits = size * 2;
        break;
    }
    out = g_string_new(NULL);
    while (len > 0) {
        uint8_t buf[16];
        int l = MIN(len, line_size);

        g_string_append_printf(out, "%0*" PRIx64 ":", addr_digits, addr);
        if (!read_guest(cpu, physical, addr, buf, l)) {
            g_string_append(out, " Cannot access memory\n");
            break;
        }
        for (int i = 0; i < l; i += size) {
            append_item(out, fmt->format, digits, ldn_le_p(buf + i, size));
        }
        g_string_append_c(out, '\n');
        if (!dump_flush(mon, out, false)) {
            return;
        }
        addr += l;
        len -= l;
    }
    dump_flush(mon, out, true);
}

static void hmp_memory_dump(Monitor *mon, const MonitorArgs *args,
                            bool physical)
{
    CPUState *cpu = monitor_get_cpu(mon);
    MemoryDumpFormat fmt;

    monitor_parse_format(mon, monitor_arg_str(args, "fmt"), &fmt);
    if (!physical && !cpu) {
        monitor_printf(mon, "No CPU available\n");
        return;
    }
    memory_dump(mon, cpu, physical, monitor_arg_uint(args, "addr"), &fmt);
}

static void hmp_x(Monitor *mon, const MonitorArgs *args)
{
    hmp_memory_dump(mon, args, false);
}

static void hmp_xp(Monitor *mon, const MonitorArgs *args)
{
    hmp_memory_dump(mon, args, true);
}

static void hmp_print(Monitor *mon, const MonitorArgs *args)
{
    uint64_t v = monitor_arg_uint(args, "val");
    MemoryDumpFormat fmt;
    GString *out;

    monitor_parse_format(mon, monitor_arg_str(args, "fmt"), &fmt);
    out = g_string_new(NULL);
    switch (fmt.format) {
    case 'o':
        g_string_append_printf(out, "%#" PRIo64, v);
        break;
    case 'u':
        g_string_append_printf(out, "%" PRIu64, v);
        break;
    case 'd':
        g_string_append_printf(out, "%" PRId64, (int64_t)v);
        break;
    case 'c':
        print_char(out, v);
        break;
    default:
        g_string_append_printf(out, "%#" PRIx64, v);
        break;
    }
    g_string_append_c(out, '\n');
    monitor_puts(mon, out->str);
    g_string_free(out, TRUE);
}

/* "sum": the BSD checksum (the "sum" utility's) of physical memory, a
 * byte at a time as QEMU reads it, holes reading as the bus gives them. */
static void hmp_sum(Monitor *mon, const MonitorArgs *args)
{
    uint32_t start = monitor_arg_uint(args, "start");
    uint32_t size = monitor_arg_uint(args, "size");
    uint16_t sum = 0;

    for (uint32_t i = 0; i < size; i++) {
        uint64_t byte = 0;

        address_space_ld(&address_space_memory, (uint32_t)(start + i), 1,
                         &byte);
        sum = (sum >> 1) | (sum << 15);
        sum += byte;
    }
    monitor_printf(mon, "%05d\n", sum);
}

static const HMPCommand hmp_cpu_commands[] = {
    { "cpu", "index:i", "index", "set the default CPU", hmp_cpu },
    { "x", "fmt:/,addr:l", "/fmt addr",
      "virtual memory dump starting at 'addr'", hmp_x },
    { "xp", "fmt:/,addr:l", "/fmt addr",
      "physical memory dump starting at 'addr'", hmp_xp },
    { "print|p", "fmt:/,val:l", "/fmt expr",
      "print expression value (use $reg for CPU register access)",
      hmp_print },
    { "sum", "start:i,size:i", "addr size",
      "compute the checksum of a memory region", hmp_sum },
};

static const HMPCommand hmp_cpu_info_commands[] = {
    { "registers", "all:-a,vcpu:i?", "[-a|vcpu]",
      "show the cpu registers (-a: show register info for all cpus; "
      "vcpu: specific vCPU to query; show the current CPU's registers if "
      "no argument is specified)",
      hmp_info_registers },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, hmp_cpu_commands)
DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, hmp_cpu_info_commands)
