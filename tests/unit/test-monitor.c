/*
 * Unit tests of the monitor core: dispatch, argument parsing, help and
 * the messages for bad input, and the core commands' output.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/monitor.h"
#include "softmmu/memory.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"

static char *run(const char *line)
{
    return monitor_run_command_to_string(line);
}

static void expect(const char *line, const char *output)
{
    g_autofree char *got = run(line);

    g_assert_cmpstr(got, ==, output);
}

/* A command with every kind of argument, echoing what it got. */
static void hmp_echo(Monitor *mon, const MonitorArgs *args)
{
    monitor_printf(mon, "v=%d word=%s n=%" PRId64 " rest=%s\n",
                   monitor_arg_flag(args, "verbose"),
                   monitor_arg_str(args, "word"),
                   monitor_arg_int(args, "n"),
                   monitor_arg_has(args, "rest") ?
                   monitor_arg_str(args, "rest") : "(none)");
}

static const HMPCommand test_commands[] = {
    { "echo|e", "verbose:-v,word:s,n:i,rest:S?", "[-v] word n [rest]",
      "echo the arguments", hmp_echo },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, test_commands)

static void test_arguments(void)
{
    expect("echo hello 0x10", "v=0 word=hello n=16 rest=(none)\n");
    expect("e -v \"two words\" 3 and the rest  ",
           "v=1 word=two words n=3 rest=and the rest  \n");
    /* Integers are expressions, as in QEMU, of at most 32 bits. */
    expect("echo w 2*0x8+'a'", "v=0 word=w n=113 rest=(none)\n");
    expect("echo w -3", "'echo|e' has failed: integer is for 32-bit values\n"
           "Try \"help echo\" for more information\n");
    /* QEMU's form: every name of the command, then the one typed. */
    expect("echo -x a 1", "echo|e: unsupported option -x\n"
           "Try \"help echo\" for more information\n");
    expect("e a", "unexpected end of expression\n"
           "Try \"help e\" for more information\n");
    expect("echo a b", "invalid char 'b' in expression\n"
           "Try \"help echo\" for more information\n");
}

static void test_unknown_and_extra(void)
{
    expect("foo", "unknown command: 'foo'\n");
    expect("info foo", "unknown command: 'info foo'\n");
    expect("system_reset bar", "system_reset: extraneous characters at the "
           "end of line\nTry \"help system_reset\" for more information\n");
    expect("info mtree -x", "mtree: unsupported option -x\n"
           "Try \"help info mtree\" for more information\n");
    expect("", "");
    expect("   ", "");
}

static void test_help(void)
{
    g_autofree char *all = run("help");
    g_autofree char *info = run("info");

    expect("help stop", "stop|s  -- stop emulation\n");
    expect("help c", "cont|c  -- resume emulation\n");
    expect("help info status",
           "info status  -- show the current VM status (running|paused)\n");
    expect("help nothing", "unknown command: 'nothing'\n");
    /* Sorted by name, one line each. */
    g_assert_nonnull(strstr(all, "echo|e [-v] word n [rest] -- echo the "
                                 "arguments\n"));
    g_assert_true(strstr(all, "echo|e ") <
                  strstr(all, "help|? [cmd] -- show the help\n"));
    g_assert_true(strstr(all, "cont|c  -- resume emulation\n") <
                  strstr(all, "echo|e "));
    g_assert_nonnull(strstr(info, "info mtree [-f][-o][-D] -- show memory "
                                  "tree"));
    /* The first, as in QEMU's list. */
    g_assert_true(g_str_has_prefix(info, "info balloon  -- show balloon "
                                         "information\n"));
}

static void test_status_and_run_control(void)
{
    expect("info status", "VM status: paused (prelaunch)\n");
    /* stop before the first start keeps prelaunch, as QEMU does */
    expect("stop", "");
    expect("info status", "VM status: paused (prelaunch)\n");
    expect("cont", "");
    expect("info status", "VM status: running\n");
    expect("s", "");
    expect("info status", "VM status: paused\n");
    expect("c", "");
    expect("info status", "VM status: running\n");
}

static void test_mtree(void)
{
    MemoryRegion ram;

    memory_region_init_ram(&ram, NULL, "ram", 16 * 1024 * 1024, &error_fatal);
    memory_region_add_subregion(get_system_memory(), 0, &ram);
    expect("info mtree",
           "address-space: memory\n"
           "  0000000000000000-ffffffffffffffff (prio 0, i/o): system\n"
           "    0000000000000000-0000000000ffffff (prio 0, ram): ram\n"
           "\n"
           "address-space: I/O\n"
           "  0000000000000000-000000000000ffff (prio 0, i/o): io\n"
           "\n");
    expect("info mtree -f",
           "FlatView #0\n"
           " AS \"memory\", root: system\n"
           " Root memory region: ram\n"
           "  0000000000000000-0000000000ffffff (prio 0, ram): ram\n"
           "\n"
           "FlatView #1\n"
           " AS \"I/O\", root: io\n"
           " Root memory region: io\n"
           "  0000000000000000-000000000000ffff (prio 0, i/o): io\n"
           "\n");
    memory_region_del_subregion(get_system_memory(), &ram);
    memory_region_destroy(&ram);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    memory_system_init(true);
    bql_lock();
    g_test_add_func("/monitor/arguments", test_arguments);
    g_test_add_func("/monitor/unknown-and-extra", test_unknown_and_extra);
    g_test_add_func("/monitor/help", test_help);
    g_test_add_func("/monitor/status-and-run-control",
                    test_status_and_run_control);
    g_test_add_func("/monitor/mtree", test_mtree);
    return g_test_run();
}
