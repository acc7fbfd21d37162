/*
 * i and o: reads and writes of the I/O port space (x86's in/out; other
 * targets have the space with nothing in it), as QEMU's monitor does
 * them: the size comes from /FMT (b, h, w: 1, 2, 4 bytes; anything
 * else is a byte) and the port is masked to 16 bits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/monitor.h"
#include "monitor-internal.h"
#include "softmmu/memory.h"

#define IOPORTS_MASK 0xffff

/* The access size /FMT selects, as QEMU maps it: 2 and 4, else 1. */
static unsigned ioport_size(Monitor *mon, const MonitorArgs *args)
{
    MemoryDumpFormat fmt;

    monitor_parse_format(mon, monitor_arg_str(args, "fmt"), &fmt);
    return fmt.size == 2 || fmt.size == 4 ? fmt.size : 1;
}

static void ioport_write(uint32_t port, unsigned size, uint64_t value)
{
    address_space_st(&address_space_io, port & IOPORTS_MASK, size, value);
}

static void hmp_ioport_read(Monitor *mon, const MonitorArgs *args)
{
    unsigned size = ioport_size(mon, args);
    uint32_t port = monitor_arg_uint(args, "addr");
    uint64_t value = 0;

    /* An index register in front of the data port (the RTC's 0x70 and
     * 0x71): the index goes to addr, the value comes from addr + 1. */
    if (monitor_arg_has(args, "index")) {
        ioport_write(port, 1, monitor_arg_uint(args, "index") & 0xff);
        port++;
    }
    port &= IOPORTS_MASK;
    address_space_ld(&address_space_io, port, size, &value);
    monitor_printf(mon, "port%c[0x%04x] = 0x%0*" PRIx64 "\n",
                   size == 4 ? 'l' : size == 2 ? 'w' : 'b', port, size * 2,
                   value);
}

static void hmp_ioport_write(Monitor *mon, const MonitorArgs *args)
{
    unsigned size = ioport_size(mon, args);

    ioport_write(monitor_arg_uint(args, "addr"), size,
                 monitor_arg_uint(args, "val") &
                 (size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1));
}

static const HMPCommand hmp_ioport_commands[] = {
    { "i", "fmt:/,addr:i,index:i.", "/fmt addr", "I/O port read",
      hmp_ioport_read },
    { "o", "fmt:/,addr:i,val:i", "/fmt addr value", "I/O port write",
      hmp_ioport_write },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, hmp_ioport_commands)
