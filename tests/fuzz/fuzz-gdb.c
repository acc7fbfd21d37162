/*
 * Fuzz target: the gdb stub's remote protocol (gdbstub/) as a debugger
 * speaks it: framing, checksums, escapes, acks, Ctrl-C, and every
 * packet's argument parsing and handling (registers, memory, break-
 * and watchpoints, thread ids, queries, vCont, qXfer, monitor
 * commands).  The stub runs on a "null" chardev fed with the input; the
 * machine is 64 KiB of RAM at 0 and an ARM CPU on tcg without a vCPU
 * thread (fuzz-machine.h), both reset between inputs.  Input: the byte stream from gdb.
 *
 * Not run: an input with a monitor command (qRcmd) that could write
 * host files, open a chardev or leave a timer behind (memsave,
 * pmemsave, dump-guest-memory, logfile, screendump, gdbserver, sendkey).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "chardev/char.h"
#include "chardev/chardev-internal.h"
#include "gdbstub/gdbstub.h"
#include "gdbstub/internal.h"
#include "sysemu/main-loop.h"
#include "fuzz.h"
#include "fuzz-machine.h"

#define RAM_SIZE (64 * 1024)

static MemoryRegion *ram;
static CPUState *cpu;
static Chardev *chr;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    ram = fuzz_machine_init(RAM_SIZE);
    cpu = fuzz_cpu_new("pxa255");
    bql_lock();
    gdbserver_start("null", &error_fatal);
    chr = chardev_find("gdb");
    g_assert(chr);
    return 0;
}

/* Whether a qRcmd packet of the stream names a command left out above:
 * the stub's own framing finds the packets it will see. */
static bool left_out(const uint8_t *data, size_t size)
{
    GDBReader reader;
    bool found = false;

    gdb_reader_init(&reader);
    for (size_t i = 0; i < size && !found; i++) {
        const char *body, *hex;
        g_autofree char *text = NULL;
        g_autoptr(GString) plain = NULL;
        size_t len;

        if (gdb_reader_feed(&reader, data[i]) != GDB_READ_PACKET) {
            continue;
        }
        body = (const char *)reader.body->data;
        if (!g_str_has_prefix(body, "qRcmd,")) {
            continue;
        }
        hex = body + strlen("qRcmd,");
        len = strlen(hex) / 2;
        text = g_malloc0(len + 1);
        for (size_t j = 0; j < len; j++) {
            if (!gdb_hex_decode(hex + 2 * j, (uint8_t *)text + j, 1)) {
                break;
            }
        }
        /* The monitor's quotes and backslashes can split a name. */
        plain = g_string_new(NULL);
        for (const char *c = text; *c; c++) {
            if (*c != '"' && *c != '\\') {
                g_string_append_c(plain, *c);
            }
        }
        found = strstr(plain->str, "memsave") ||
                strstr(plain->str, "logfile") ||
                strstr(plain->str, "dump-guest-memory") ||
                strstr(plain->str, "gdbserver") ||
                strstr(plain->str, "screendump") ||
                strstr(plain->str, "sendkey");
    }
    gdb_reader_free(&reader);
    return found;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (left_out(data, size)) {
        return 0;
    }
    memset(memory_region_get_ram_ptr(ram), 0, RAM_SIZE);
    cpu_reset(cpu);
    chr_be_event(chr, CHR_EVENT_OPENED);
    /* In pieces no larger than the stub says it can take. */
    for (size_t i = 0; i < size;) {
        int room = chr_be_can_write(chr);
        size_t n = MIN(size - i, (size_t)MAX(room, 1));

        chr_be_write(chr, data + i, n);
        i += n;
    }
    chr_be_event(chr, CHR_EVENT_CLOSED);
    return 0;
}
