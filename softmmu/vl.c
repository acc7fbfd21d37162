/*
 * The command line: options -> chardevs -> accelerator -> machine ->
 * devices -> monitors -> main loop.
 *
 * Options are parsed first into a Config; nothing is created until the
 * whole line is known, so "-monitor stdio -nographic" and
 * "-nographic -monitor stdio" mean the same.  Every error names the
 * option and the word at fault and exits 1.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "util/keyval.h"
#include "util/log.h"
#include "util/trace.h"
#include "softmmu/memory.h"
#include "softmmu/vl.h"
#include "softmmu/machine-opts.h"
#include "sysemu/datadir.h"
#include "sysemu/process.h"
#include "sysemu/qdev-monitor.h"
#include "sysemu/sandbox.h"
#include "hw/smbios/smbios.h"
#include "sysemu/rtc.h"
#include "sysemu/icount.h"
#include "sysemu/accel.h"
#include "sysemu/main-loop.h"
#include "sysemu/runstate.h"
#include "sysemu/sysemu.h"
#include "sysemu/target.h"
#include "hw/boards.h"
#include "hw/loader.h"
#include "hw/sysbus.h"
#include "hw/core/cpu.h"
#include "chardev/char.h"
#include "gdbstub/gdbstub.h"
#include "monitor/monitor.h"
#include "monitor/qmp.h"
#include "net/net.h"
#include "semihosting/semihost.h"
#include "ui/console.h"
#include "sysemu/blockdev.h"
#include "sysemu/hostmem.h"

/* An option as typed, kept to name it in errors. */
typedef struct OptionUse {
    const char *name;            /* "-device" */
    const char *arg;
} OptionUse;

typedef struct Config {
    MachineOpts *machine;        /* every -M, -machine, merged */
    OptionUse ram;               /* -m */
    GArray *objects;             /* OptionUse: -object */
    OptionUse smp;
    OptionUse cpu;
    GArray *accels;              /* OptionUse */
    const char *kernel_irqchip;  /* -machine kernel-irqchip=, for kvm */
    GArray *devices;
    GArray *serials;
    GArray *monitors;            /* -monitor and -mon */
    GArray *chardevs;
    GArray *drives;              /* -drive, -hda, -cdrom, -pflash... */
    GArray *nets;                /* -netdev, -nic, -net */
    OptionUse log_items;
    OptionUse log_file;
    GArray *traces;              /* OptionUse: -trace */
    OptionUse display;
    OptionUse vga;               /* -vga */
    OptionUse bios;
    OptionUse kernel;
    OptionUse initrd;
    OptionUse append;
    OptionUse dtb;
    OptionUse semihosting_config;
    OptionUse gdb;               /* -gdb DEV, -s */
    bool semihosting;
    bool one_insn_per_tb;        /* -singlestep */
    bool nographic;
    bool nodefaults;
    bool snapshot;               /* -snapshot */
    bool start_paused;           /* -S */
    bool no_reboot;
    bool no_shutdown;
    OptionUse name;              /* -name */
    OptionUse pidfile;
    OptionUse msg;
    OptionUse overcommit;
    OptionUse rtc;
    OptionUse boot;
    OptionUse sandbox;
    OptionUse icount;
    OptionUse debugcon;          /* -debugcon DEV */
    bool daemonize;
} Config;

static void config_free(Config *cfg)
{
    machine_opts_free(cfg->machine);
    g_array_unref(cfg->accels);
    g_array_unref(cfg->devices);
    g_array_unref(cfg->serials);
    g_array_unref(cfg->monitors);
    g_array_unref(cfg->chardevs);
    g_array_unref(cfg->drives);
    g_array_unref(cfg->nets);
    g_array_unref(cfg->objects);
    g_array_unref(cfg->traces);
}

static Chardev *serial_backends[MAX_SERIAL_PORTS];

Chardev *serial_hd(int n)
{
    return n >= 0 && n < MAX_SERIAL_PORTS ? serial_backends[n] : NULL;
}

/* ---- the option table ---- */

typedef void (*OptionHandler)(Config *cfg, const OptionUse *use);

static bool is_help(const char *text);
static void EMU_NORETURN fail(Error *err);

typedef struct OptionDef {
    const char *name;            /* without the dash */
    const char *alias;
    const char *synopsis;        /* for -help; NULL: takes no argument */
    const char *help;
    OptionHandler handler;
} OptionDef;

static void set_once(OptionUse *slot, const OptionUse *use)
{
    /* Later options override earlier ones, as QEMU does. */
    *slot = *use;
}

static void opt_machine(Config *cfg, const OptionUse *use)
{
    Error *err = NULL;

    error_set_cmdline_location(use->name, use->arg);
    if (!machine_opts_add(cfg->machine, use->name, use->arg, &err)) {
        error_report_err(err);
        exit(1);
    }
    error_clear_cmdline_location();
}

/* QEMU's shorthand for -machine accel=kvm. */
static void opt_enable_kvm(Config *cfg, const OptionUse *use)
{
    machine_opts_set(cfg->machine, use->name, "accel", "kvm");
}

/* QEMU's shorthand for -machine hpet=off. */
static void opt_no_hpet(Config *cfg, const OptionUse *use)
{
    machine_opts_set(cfg->machine, use->name, "hpet", "off");
}

static void opt_ram(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->ram, use);
}

static void opt_smp(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->smp, use);
}

static void opt_cpu(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->cpu, use);
}

static void opt_accel(Config *cfg, const OptionUse *use)
{
    g_array_append_val(cfg->accels, *use);
}

static void opt_device(Config *cfg, const OptionUse *use)
{
    g_array_append_val(cfg->devices, *use);
}

static void opt_serial(Config *cfg, const OptionUse *use)
{
    g_array_append_val(cfg->serials, *use);
}

static void opt_monitor(Config *cfg, const OptionUse *use)
{
    g_array_append_val(cfg->monitors, *use);
}

static void opt_chardev(Config *cfg, const OptionUse *use)
{
    g_array_append_val(cfg->chardevs, *use);
}

static void opt_drive(Config *cfg, const OptionUse *use)
{
    g_array_append_val(cfg->drives, *use);
}

static void opt_snapshot(Config *cfg, const OptionUse *use)
{
    cfg->snapshot = true;
}

static void opt_log_items(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->log_items, use);
}

static void opt_trace(Config *cfg, const OptionUse *use)
{
    g_array_append_val(cfg->traces, *use);
}

static void opt_log_file(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->log_file, use);
}

static void opt_display(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->display, use);
}

static void opt_vga(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->vga, use);
}

static void opt_bios(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->bios, use);
}

static void opt_kernel(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->kernel, use);
}

static void opt_initrd(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->initrd, use);
}

static void opt_append(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->append, use);
}

static void opt_dtb(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->dtb, use);
}

static void opt_semihosting(Config *cfg, const OptionUse *use)
{
    cfg->semihosting = true;
}

static void opt_semihosting_config(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->semihosting_config, use);
}

/* QEMU's older spelling of -accel tcg,one-insn-per-tb=on. */
static void opt_singlestep(Config *cfg, const OptionUse *use)
{
    cfg->one_insn_per_tb = true;
}

static void opt_nographic(Config *cfg, const OptionUse *use)
{
    cfg->nographic = true;
}

/* Cleared by -vga none, -nodefaults and a -device of a display card. */
static bool default_vga = true;

bool default_vga_wanted(void)
{
    return default_vga;
}

/* Cleared by -netdev, -nic, -net (none too) and -nodefaults, as
 * QEMU's default_net. */
static bool default_nic = true;

bool default_nic_wanted(void)
{
    return default_nic;
}

/* Cleared by -nodefaults, as QEMU's default_parallel and
 * default_floppy. */
static bool default_legacy_devices = true;

bool default_legacy_devices_wanted(void)
{
    return default_legacy_devices;
}

static void opt_nodefaults(Config *cfg, const OptionUse *use)
{
    cfg->nodefaults = true;
    default_nic = false;
    default_legacy_devices = false;
}

static void opt_gdb(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->gdb, use);
}

static void opt_gdb_default(Config *cfg, const OptionUse *use)
{
    OptionUse gdb = { use->name, "tcp::" GDBSTUB_DEFAULT_PORT };

    set_once(&cfg->gdb, &gdb);
}

static void opt_start_paused(Config *cfg, const OptionUse *use)
{
    cfg->start_paused = true;
}

static void opt_no_reboot(Config *cfg, const OptionUse *use)
{
    cfg->no_reboot = true;
}

static void opt_no_shutdown(Config *cfg, const OptionUse *use)
{
    cfg->no_shutdown = true;
}

static void opt_name(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->name, use);
}

static void opt_uuid(Config *cfg, const OptionUse *use)
{
    Error *err = NULL;

    error_set_cmdline_location(use->name, use->arg);
    if (!process_parse_uuid(use->arg, &err)) {
        fail(err);
    }
    error_clear_cmdline_location();
}

static void opt_smbios(Config *cfg, const OptionUse *use)
{
    Error *err = NULL;

    error_set_cmdline_location(use->name, use->arg);
    if (!smbios_parse_option(use->arg, &err)) {
        fail(err);
    }
    error_clear_cmdline_location();
}

static void opt_pidfile(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->pidfile, use);
}

static void opt_daemonize(Config *cfg, const OptionUse *use)
{
    cfg->daemonize = true;
}

static void opt_msg(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->msg, use);
}

static void opt_overcommit(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->overcommit, use);
}

static void opt_rtc(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->rtc, use);
}

static void opt_boot(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->boot, use);
}

static void opt_debugcon(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->debugcon, use);
}

static void opt_sandbox(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->sandbox, use);
}

/* emu reads no configuration file: there is nothing to skip. */
static void opt_no_user_config(Config *cfg, const OptionUse *use)
{
}

static void opt_datadir(Config *cfg, const OptionUse *use)
{
    if (is_help(use->arg)) {
        datadir_print_list(stdout);
        exit(0);
    }
    datadir_add(use->arg);
}

static void opt_global(Config *cfg, const OptionUse *use)
{
    Error *err = NULL;

    error_set_cmdline_location(use->name, use->arg);
    if (!qdev_add_global(use->arg, &err)) {
        fail(err);
    }
    error_clear_cmdline_location();
}

/*
 * -netdev, -nic and -net, kept in command-line order for
 * create_net_clients (net/net-opts.c reads them); "none" is the
 * absence of the default NIC, as QEMU's.
 */
static void opt_net(Config *cfg, const OptionUse *use)
{
    default_nic = false;
    if (strcmp(use->name, "-netdev") && !strcmp(use->arg, "none")) {
        return;
    }
    g_array_append_val(cfg->nets, *use);
}

/* -object TYPE,id=ID,...: kept in order and created before the board
 * (a memory backend can be its RAM). */
static void opt_object(Config *cfg, const OptionUse *use)
{
    g_array_append_val(cfg->objects, *use);
}

/* -icount [shift=]N|auto[,sleep=on|off]: before the accelerator, whose
 * translator then counts instructions (softmmu/icount.c). */
static void opt_icount(Config *cfg, const OptionUse *use)
{
    set_once(&cfg->icount, use);
}

static void opt_help(Config *cfg, const OptionUse *use);

static void opt_version(Config *cfg, const OptionUse *use)
{
    printf("emu emulator version %s\n", EMU_VERSION);
    printf("Copyright (c) the emu developers; GPL-2.0-or-later\n");
    exit(0);
}

static const OptionDef option_defs[] = {
    { "h", "help", NULL, "show this help and exit", opt_help },
    { "version", NULL, NULL, "show the version and exit", opt_version },
    { "machine", "M", "NAME[,prop=value...]",
      "select the board (-M help lists them; -M NAME,help its properties)",
      opt_machine },
    { "m", NULL, "[size=]SIZE", "guest RAM size (MiB unless suffixed: 64M, "
      "1G)", opt_ram },
    { "smp", NULL, "[cpus=]N", "number of vCPUs", opt_smp },
    { "cpu", NULL, "MODEL", "CPU model (-cpu help lists them)", opt_cpu },
    { "enable-kvm", NULL, NULL, "same as -machine accel=kvm",
      opt_enable_kvm },
    { "name", NULL, "[guest=]NAME[,process=PNAME][,debug-threads=on|off]",
      "the guest's name (info name, query-name, -msg guest-name=on); "
      "process= names the host process", opt_name },
    { "uuid", NULL, "UUID", "the machine's UUID (info uuid, query-uuid)",
      opt_uuid },
    { "smbios", NULL, "type=1|3|11[,field=value...]", "SMBIOS fields of "
      "the system, the chassis, OEM strings (the PC; QEMU's names)",
      opt_smbios },
    { "pidfile", NULL, "FILE", "write emu's PID to FILE (locked; removed "
      "at exit)", opt_pidfile },
    { "daemonize", NULL, NULL, "detach from the terminal once the machine "
      "is up", opt_daemonize },
    { "msg", NULL, "[timestamp=on|off][,guest-name=on|off]",
      "prefix error messages with the time and/or the guest's name",
      opt_msg },
    { "overcommit", NULL, "[mem-lock=on|off][,cpu-pm=on|off]",
      "mem-lock=on: keep emu's memory locked in RAM (mlockall); cpu-pm=on "
      "is refused", opt_overcommit },
    { "rtc", NULL, "[base=utc|localtime|DATE][,clock=host|rt|vm]"
      "[,driftfix=none|slew]", "the date the guest's RTC starts from and "
      "the clock it follows", opt_rtc },
    { "boot", NULL, "[order=DRIVES][,once=DRIVES][,menu=on|off][,...]",
      "boot order for firmware (checked; no board of emu reads it yet)",
      opt_boot },
    { "L", NULL, "DIR", "look for -bios files in DIR (-L help lists the "
      "directories)", opt_datadir },
    { "global", NULL, "DRIVER.PROP=VALUE", "default a property of every "
      "device of type DRIVER", opt_global },
    { "object", NULL, "TYPE,id=ID[,...]", "create an object: "
      "memory-backend-ram|memory-backend-file,id=ID,size=SIZE[,mem-path="
      "PATH][,share=on|off]... for -machine memory-backend=ID "
      "(-object help)", opt_object },
    { "netdev", NULL, "user,id=ID[,hostfwd=tcp::HOSTPORT-:GUESTPORT]"
      "[,net=ADDR[/MASK]][,host=ADDR][,dns=ADDR][,restrict=on|off]",
      "a network backend for -device NIC,netdev=ID (user: libslirp)",
      opt_net },
    { "nic", NULL, "user[,model=TYPE][,mac=ADDR][,...]|none",
      "a network card of the board's with a backend (-nic none: none)",
      opt_net },
    { "net", NULL, "nic[,model=TYPE][,macaddr=ADDR]|user[,...]|none",
      "legacy: NICs and backends joined on hub 0", opt_net },
    { "no-user-config", NULL, NULL, "read no user configuration file "
      "(emu reads none anyway)", opt_no_user_config },
    { "sandbox", NULL, "on|off[,...]", "seccomp filter of system calls",
      opt_sandbox },
    { "icount", NULL, "[shift=]N|auto[,sleep=on|off]", "virtual time from "
      "the instruction count: 2^N ns each (tcg, one vCPU)", opt_icount },
    { "accel", NULL, "NAME[,prop=value...]",
      "accelerator: tcg or kvm (-accel help; repeat to give fallbacks)",
      opt_accel },
    { "device", NULL, "TYPE[,prop=value...]", "add a device (-device help "
      "lists types; -device TYPE,help its properties)", opt_device },
    { "serial", NULL, "DEV", "connect the next serial port to a character "
      "device: stdio, null, none, file:PATH, pty, mon:stdio, "
      "unix:PATH[,server,nowait], tcp:[HOST]:PORT[,server,nowait], "
      "chardev:ID", opt_serial },
    { "monitor", NULL, "DEV", "put a monitor on a character device (same "
      "forms as -serial)", opt_monitor },
    { "mon", NULL, "chardev=ID[,mode=readline|control][,pretty=on|off]",
      "put a monitor on a -chardev (mode=control: QMP)", opt_monitor },
    { "qmp", NULL, "DEV", "put a QMP monitor on a character device (same "
      "forms as -serial)", opt_monitor },
    { "qmp-pretty", NULL, "DEV", "like -qmp, with indented JSON",
      opt_monitor },
    { "chardev", NULL, "BACKEND,id=ID[,...]", "create a character device "
      "(-chardev help lists backends)", opt_chardev },
    { "pflash", NULL, "FILE", "the next parallel flash of the board, backed "
      "by FILE (raw; writes go to the file)", opt_drive },
    { "drive", NULL, "[file=FILE][,if=TYPE][,format=FMT][,index=N]"
      "[,bus=N][,unit=N][,media=disk|cdrom][,id=NAME][,readonly=on]"
      "[,snapshot=on][,cache=writeback|writethrough|none|directsync|unsafe]"
      "[,aio=threads]"
      "[,node-name=NAME][,file.locking=on|off|auto]",
      "a drive (if=none|ide|scsi|floppy|pflash|mtd|sd|virtio)", opt_drive },
    { "blockdev", NULL, "driver=file|raw|qcow2,node-name=NAME[,...] or "
      "JSON", "an image node that -device ...,drive=NAME takes",
      opt_drive },
    { "hda", NULL, "FILE", "hard disk image, index 0 of the board's default "
      "interface", opt_drive },
    { "hdb", NULL, "FILE", "hard disk image, index 1", opt_drive },
    { "hdc", NULL, "FILE", "hard disk image, index 2", opt_drive },
    { "hdd", NULL, "FILE", "hard disk image, index 3", opt_drive },
    { "cdrom", NULL, "FILE", "CD-ROM image (index 2, read-only)",
      opt_drive },
    { "snapshot", NULL, NULL, "write to temporary files instead of disk "
      "image files", opt_snapshot },
    { "nographic", NULL, NULL, "no display: the first serial port and the "
      "monitor share the terminal (Ctrl-A h for help)", opt_nographic },
    { "display", NULL, "sdl|none", "where the screen shows: an SDL window "
      "(the default with a host display) or nowhere (-display help)",
      opt_display },
    { "vga", NULL, "std|none", "the graphics card: std (the standard VGA, "
      "the PC's default) or none", opt_vga },
    { "nodefaults", NULL, NULL, "create no default serial port or monitor",
      opt_nodefaults },
    { "bios", NULL, "FILE", "firmware image for boards that take one",
      opt_bios },
    { "kernel", NULL, "FILE", "boot this Linux kernel (bzImage) directly",
      opt_kernel },
    { "initrd", NULL, "FILE", "initial ramdisk for -kernel", opt_initrd },
    { "append", NULL, "CMDLINE", "kernel command line for -kernel",
      opt_append },
    { "dtb", NULL, "FILE", "device tree for -kernel or -bios instead of "
      "the board's", opt_dtb },
    { "S", NULL, NULL, "do not start the vCPUs (\"cont\" in the monitor "
      "starts them)", opt_start_paused },
    { "debugcon", NULL, "DEV", "the debug console port (isa-debugcon at "
      "0xe9) writes to DEV (any -serial form)", opt_debugcon },
    { "gdb", NULL, "DEV", "accept a gdb connection on DEV: tcp::PORT, "
      "unix:PATH,server, chardev:ID (any -serial form)", opt_gdb },
    { "s", NULL, NULL, "shorthand for -gdb tcp::" GDBSTUB_DEFAULT_PORT,
      opt_gdb_default },
    { "no-hpet", NULL, NULL, "same as -machine hpet=off (the PC's HPET)",
      opt_no_hpet },
    { "no-reboot", NULL, NULL, "exit instead of rebooting when the guest "
      "resets", opt_no_reboot },
    { "no-shutdown", NULL, NULL, "pause instead of exiting when the guest "
      "powers off", opt_no_shutdown },
    { "semihosting", NULL, NULL, "let the guest use the host's console, "
      "files and exit (ARM: svc 0x123456)", opt_semihosting },
    { "semihosting-config", NULL,
      "enable=on|off[,target=native|gdb|auto][,arg=ARG]",
      "configure semihosting; each arg= is a word of the guest's command "
      "line", opt_semihosting_config },
    { "singlestep", NULL, NULL, "translate one guest instruction per block "
      "(same as -accel tcg,one-insn-per-tb=on)", opt_singlestep },
    { "d", NULL, "ITEM[,...]", "enable debug logs (-d help lists items)",
      opt_log_items },
    { "D", NULL, "FILE", "write debug logs to FILE instead of stderr",
      opt_log_file },
    { "trace", NULL, "[enable=]PATTERN][,events=FILE][,file=FILE]",
      "enable trace events matching PATTERN, or those listed in FILE "
      "(-trace help lists them); file= writes them there instead of the "
      "-D log", opt_trace },
};

static void opt_help(Config *cfg, const OptionUse *use)
{
    printf("usage: %s [options]\n\n", g_get_prgname());
    for (size_t i = 0; i < ARRAY_SIZE(option_defs); i++) {
        const OptionDef *def = &option_defs[i];
        g_autofree char *head = g_strdup_printf("-%s%s%s%s%s", def->name,
                                                def->alias ? "|-" : "",
                                                def->alias ? def->alias : "",
                                                def->synopsis ? " " : "",
                                                def->synopsis ? def->synopsis
                                                              : "");

        printf("%-36s %s\n", head, def->help);
    }
    printf("\nDuring emulation with -nographic: Ctrl-A h lists the terminal "
           "keys, Ctrl-A c\nswitches between the serial port and the "
           "monitor, Ctrl-A x quits.\n");
    exit(0);
}

static const OptionDef *find_option(const char *word)
{
    /* QEMU accepts "-opt" and "--opt" alike. */
    const char *name = word + (word[1] == '-' ? 2 : 1);

    for (size_t i = 0; i < ARRAY_SIZE(option_defs); i++) {
        const OptionDef *def = &option_defs[i];

        if (!strcmp(def->name, name) ||
            (def->alias && !strcmp(def->alias, name))) {
            return def;
        }
    }
    return NULL;
}

static void parse_command_line(Config *cfg, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *word = argv[i];
        const OptionDef *def;
        OptionUse use = { .name = word };

        if (word[0] != '-' || !word[1]) {
            error_report("'%s': not an option (options start with '-'; "
                         "try -help)", word);
            exit(1);
        }
        def = find_option(word);
        if (!def) {
            error_report("%s: invalid option", word);
            error_report("try '%s -help' for the list of options",
                         g_get_prgname());
            exit(1);
        }
        if (def->synopsis) {
            if (i + 1 >= argc) {
                error_report("%s: requires an argument: %s %s", word, word,
                             def->synopsis);
                exit(1);
            }
            use.arg = argv[++i];
        }
        def->handler(cfg, &use);
    }
}

/* ---- help requests, answered before anything is created ---- */

static bool is_help(const char *text)
{
    return !strcmp(text, "help") || !strcmp(text, "?");
}

static void print_and_exit(GString *text)
{
    fputs(text->str, stdout);
    g_string_free(text, TRUE);
    exit(0);
}

static void print_class_properties_and_exit(ObjectClass *klass,
                                            const char *name)
{
    GString *out = g_string_new(NULL);
    GString *props = g_string_new(NULL);

    object_class_print_properties(klass, props);
    g_string_append_printf(out, "%s options:\n%s", name,
                           props->len ? props->str : "  (none)\n");
    g_string_free(props, TRUE);
    print_and_exit(out);
}

/* "-device TYPE,help" etc.: the value of the implied key and "help". */
static bool wants_class_help(KeyValList *kv)
{
    return keyval_has(kv, "help") || keyval_has(kv, "?");
}

static void enter_location(const OptionUse *use)
{
    error_set_cmdline_location(use->name, use->arg);
}

/* Reports err against the option being processed and exits. */
static void EMU_NORETURN fail(Error *err)
{
    error_report_err(err);
    exit(1);
}

static KeyValList *parse_keyval_or_fail(const OptionUse *use,
                                        const char *implied)
{
    Error *err = NULL;
    KeyValList *kv = keyval_parse(use->arg, implied, &err);

    if (!kv) {
        fail(err);
    }
    return kv;
}

/* Applies every unused key=value to obj's properties. */
static void set_properties_or_fail(Object *obj, KeyValList *kv)
{
    Error *err = NULL;
    const KeyValPair *pair;

    while ((pair = keyval_first_unused(kv))) {
        if (!object_property_parse(obj, pair->key, pair->value, &err)) {
            fail(err);
        }
        keyval_take(kv, pair->key);
    }
}

/* ---- machine ---- */

/*
 * -machine kernel=,initrd=,append=,dtb=,firmware= are what -kernel,
 * -initrd, -append, -dtb and -bios set in QEMU: the later of the two
 * wins.
 */
static void take_machine_boot_options(Config *cfg)
{
    static const struct {
        const char *key;
        size_t offset;
    } keys[] = {
        { "kernel", offsetof(Config, kernel) },
        { "initrd", offsetof(Config, initrd) },
        { "append", offsetof(Config, append) },
        { "dtb", offsetof(Config, dtb) },
        { "firmware", offsetof(Config, bios) },
    };

    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        OptionUse *slot = (OptionUse *)((char *)cfg + keys[i].offset);
        const char *value = machine_opts_take(cfg->machine, keys[i].key);

        if (value && !slot->name) {
            slot->name = "-machine";
            slot->arg = value;
        }
    }
}

/* -machine accel=kvm:tcg: the accelerators to try, in order. */
static void take_machine_accels(Config *cfg)
{
    const char *list = machine_opts_take(cfg->machine, "accel");
    g_auto(GStrv) names = NULL;

    if (!list) {
        return;
    }
    if (cfg->accels->len) {
        error_clear_cmdline_location();
        error_report("The -accel and \"-machine accel=\" options are "
                     "incompatible");
        exit(1);
    }
    names = g_strsplit(list, ":", -1);
    for (char **n = names; *n; n++) {
        g_autofree char *arg = g_strdup_printf("accel=%s", *n);
        OptionUse use = { "-machine", g_intern_string(arg) };

        g_array_append_val(cfg->accels, use);
    }
}

static MachineClass *select_machine(Config *cfg)
{
    MachineClass *mc;
    const char *name = machine_opts_take(cfg->machine, "type");

    /* No -M, or none that names a type (-M "", -machine accel=tcg): the
     * default, as QEMU. */
    if (!name || !*name) {
        mc = machine_class_default();
        if (!mc) {
            Error *err = NULL;

            error_clear_cmdline_location();
            error_setg(&err, "No machine specified, and there is no default");
            error_append_hint(&err, "Use -machine help to list supported "
                              "machines\n");
            fail(err);
        }
    } else if (is_help(name)) {
        GString *out = g_string_new(NULL);

        machine_print_list(out);
        print_and_exit(out);
    } else {
        mc = machine_class_find(name);
        if (!mc) {
            /* QEMU's words, without the option or the name. */
            error_clear_cmdline_location();
            error_report("unsupported machine type");
            fprintf(stderr, "Use -machine help to list supported machines\n");
            exit(1);
        }
    }
    if (machine_opts_take(cfg->machine, "help") ||
        machine_opts_take(cfg->machine, "?")) {
        print_class_properties_and_exit(OBJECT_CLASS(mc),
                                        object_class_get_name(OBJECT_CLASS(mc)));
    }
    take_machine_boot_options(cfg);
    take_machine_accels(cfg);
    /* QEMU's sugar for -accel kvm,kernel-irqchip=: any value passes
     * until kvm is the accelerator (configure_accel). */
    cfg->kernel_irqchip =
        g_intern_string(machine_opts_take(cfg->machine, "kernel-irqchip"));
    error_clear_cmdline_location();
    return mc;
}

/* A size of -m, with QEMU's words when it is not one. */
static uint64_t take_ram_size(const char *text, const char *param)
{
    uint64_t bytes;
    Error *err = NULL;

    if (!parse_size(text, 'M', &bytes)) {
        error_setg(&err, "Parameter '%s' expects a non-negative number below "
                   "2^64", param);
        error_append_hint(&err, "Optional suffix k, M, G, T, P or E means "
                          "kilo-, mega-, giga-, tera-, peta-\nand exabytes, "
                          "respectively.\n");
        fail(err);
    }
    return bytes;
}

/*
 * -m [size=]SIZE[,slots=N,maxmem=SIZE], as QEMU reads it: -m "", no
 * size or 0 is the board's default.  emu has no memory hotplug, so maxmem may
 * only be the size itself (QEMU's own checks first).
 */
static void configure_ram(const Config *cfg, MachineState *ms,
                          MachineClass *mc)
{
    g_autoptr(KeyValList) kv = NULL;
    const KeyValPair *extra;
    const char *size, *maxmem, *slots;
    uint64_t bytes = 0, max_bytes;

    ms->ram_size = mc->default_ram_size;
    if (!cfg->ram.name || !*cfg->ram.arg) {
        return;
    }
    enter_location(&cfg->ram);
    kv = parse_keyval_or_fail(&cfg->ram, "size");
    size = keyval_take(kv, "size");
    maxmem = keyval_take(kv, "maxmem");
    slots = keyval_take(kv, "slots");
    extra = keyval_first_unused(kv);
    if (extra) {
        error_report("Invalid parameter '%s'", extra->key);
        exit(1);
    }
    if (size) {
        bytes = take_ram_size(size, "size");
    }
    if (bytes) {
        ms->ram_size = bytes;
        ms->ram_size_given = true;
    }
    if (maxmem) {
        max_bytes = take_ram_size(maxmem, "maxmem");
        error_clear_cmdline_location();
        if (max_bytes < ms->ram_size) {
            error_report("invalid value of maxmem: maximum memory size "
                         "(0x%" PRIx64 ") must be at least the initial "
                         "memory size (0x%" PRIx64 ")", max_bytes,
                         (uint64_t)ms->ram_size);
            exit(1);
        }
        if (slots && max_bytes == ms->ram_size) {
            error_report("invalid value of maxmem: memory slots were "
                         "specified but maximum memory size (0x%" PRIx64 ") "
                         "is equal to the initial memory size (0x%" PRIx64
                         ")", max_bytes, (uint64_t)ms->ram_size);
            exit(1);
        }
        if (max_bytes > ms->ram_size) {
            error_report("maxmem above the RAM size is not supported: emu "
                         "has no memory hotplug");
            exit(1);
        }
    } else if (slots) {
        error_clear_cmdline_location();
        error_report("slots specified but no max-size");
        exit(1);
    }
}

static void configure_smp(const Config *cfg, MachineState *ms)
{
    Error *err = NULL;

    ms->smp_cpus = ms->smp_sockets = ms->smp_cores = ms->smp_threads = 1;
    ms->smp_max_cpus = 1;
    /* QEMU names no option in these errors. */
    error_clear_cmdline_location();
    if (cfg->smp.name && !machine_parse_smp_config(ms, cfg->smp.arg, &err)) {
        fail(err);
    }
}

static void configure_cpu_model(const Config *cfg, MachineState *ms,
                                MachineClass *mc)
{
    const char *arg = cfg->cpu.name ? cfg->cpu.arg : mc->default_cpu_model;
    g_autofree char *mname = machine_class_display_name(OBJECT_CLASS(mc));
    g_autofree char *model = NULL;
    const char *options;
    ObjectClass *klass;

    if (!arg) {
        return;
    }
    /* -cpu MODEL,OPTIONS: the CPU applies the options (cpu_create) */
    options = strchr(arg, ',');
    model = options ? g_strndup(arg, options - arg) : g_strdup(arg);
    if (!*arg) {
        error_clear_cmdline_location();
        error_report("-cpu option cannot be empty");
        exit(1);
    }
    enter_location(&cfg->cpu);
    klass = cpu_class_by_name(model);
    if (!klass) {
        /* QEMU's words, without the option (-cpu help lists them). */
        error_clear_cmdline_location();
        error_report("unable to find CPU model '%s'", model);
        exit(1);
    }
    if (mc->max_cpus == 0) {
        error_report("machine '%s' has no CPU to choose", mname);
        exit(1);
    }
    ms->cpu_model = g_steal_pointer(&model);
    ms->cpu_options = options ? g_strdup(options + 1) : NULL;
    ms->cpu_type = g_strdup(object_class_get_name(klass));
}

/* -bios, -kernel, -initrd, -append, -dtb: for boards that load them. */
static void configure_boot(const Config *cfg, MachineState *ms,
                           MachineClass *mc)
{
    g_autofree char *mname = machine_class_display_name(OBJECT_CLASS(mc));
    const OptionUse *kernel_opts[] = { &cfg->kernel, &cfg->initrd,
                                       &cfg->append };

    if (cfg->bios.name) {
        enter_location(&cfg->bios);
        if (!mc->loads_firmware) {
            error_report("machine '%s' does not load firmware", mname);
            exit(1);
        }
        ms->firmware = datadir_find_file(cfg->bios.arg);
    }
    for (size_t i = 0; i < ARRAY_SIZE(kernel_opts); i++) {
        if (kernel_opts[i]->name && !mc->loads_kernel) {
            enter_location(kernel_opts[i]);
            error_report("machine '%s' does not boot a kernel directly",
                         mname);
            exit(1);
        }
    }
    if (cfg->dtb.name && !mc->loads_dtb) {
        enter_location(&cfg->dtb);
        error_report("machine '%s' does not take a device tree", mname);
        exit(1);
    }
    if ((cfg->initrd.name || cfg->append.name) && !cfg->kernel.name) {
        enter_location(cfg->initrd.name ? &cfg->initrd : &cfg->append);
        error_report("%s needs -kernel", cfg->initrd.name ? "-initrd"
                                                          : "-append");
        exit(1);
    }
    ms->kernel_filename = cfg->kernel.arg;
    ms->initrd_filename = cfg->initrd.arg;
    ms->kernel_cmdline = cfg->append.arg;
    ms->dtb_filename = cfg->dtb.arg;
    error_clear_cmdline_location();
}

/* Drives are opened here, before the machine: a missing image or a
 * locked one is reported before anything runs. */
/* Whether a -device makes an IDE drive: as in QEMU, it then takes the
 * place of the default CD-ROM drive. */
static bool ide_drive_device_given(const Config *cfg)
{
    bool given = false;

    for (guint i = 0; i < cfg->devices->len && !given; i++) {
        const OptionUse *use = &g_array_index(cfg->devices, OptionUse, i);
        g_autoptr(KeyValList) kv = NULL;
        const char *driver;

        enter_location(use);
        kv = parse_keyval_or_fail(use, "driver");
        driver = keyval_take(kv, "driver");
        given = driver && (!strcmp(driver, "ide-hd") ||
                           !strcmp(driver, "ide-cd"));
    }
    error_clear_cmdline_location();
    return given;
}

static void configure_drives(const Config *cfg, MachineClass *mc)
{
    drive_set_machine_defaults(mc->block_default_type,
                               mc->units_per_default_bus);
    drive_set_default_snapshot(cfg->snapshot);
    for (guint i = 0; i < cfg->drives->len; i++) {
        const OptionUse *use = &g_array_index(cfg->drives, OptionUse, i);
        const char *name = use->name + strspn(use->name, "-");
        Error *err = NULL;
        bool ok;

        enter_location(use);
        if (!strcmp(name, "pflash")) {
            ok = drive_add_pflash(use->arg, &err);
        } else if (!strcmp(name, "cdrom")) {
            ok = drive_add_cdrom(use->arg, &err);
        } else if (!strcmp(name, "drive")) {
            ok = drive_add(use->arg, &err);
        } else if (!strcmp(name, "blockdev")) {
            ok = blockdev_add(use->arg, &err);
        } else {
            ok = drive_add_hd(name[2] - 'a', use->arg, &err);
        }
        if (!ok) {
            fail(err);
        }
    }
    error_clear_cmdline_location();
    /* As QEMU: a board whose -cdrom is IDE gets an empty CD-ROM drive
     * there (ide1-cd0, for `change`) unless something else took index
     * 2, a -device makes an IDE drive or -nodefaults says no. */
    if (mc->block_default_type == IF_IDE && !cfg->nodefaults &&
        !drive_get(IF_IDE, 2) && !ide_drive_device_given(cfg)) {
        Error *err = NULL;

        if (!drive_add("if=ide,index=2,media=cdrom", &err)) {
            fail(err);
        }
    }
}

/* -drive if=virtio: a device each, after those of -device, as QEMU's
 * drive_new adds them to the -device list. */
static void create_virtio_drives(MachineClass *mc)
{
    DriveInfo *drive;

    while (mc->virtio_drive_model &&
           (drive = drive_first_unused_of(IF_VIRTIO))) {
        DeviceState *dev = qdev_new(mc->virtio_drive_model);
        BusState *bus = qbus_find_by_type(DEVICE_GET_CLASS(dev)->bus_type);
        Error *err = NULL;

        if (!bus) {
            error_setg(&err, "no bus for %s", mc->virtio_drive_model);
        }
        if (!bus || !object_property_set_str(OBJECT(dev), "drive",
                                             drive->id, &err) ||
            !qdev_realize_and_unref(dev, bus, &err)) {
            error_report("%s: %s", drive->option, error_get_pretty(err));
            exit(1);
        }
        drive_mark_used(drive);
    }
}

/* A drive the board did not take would silently do nothing: refuse. */
static void check_drives_used(MachineClass *mc)
{
    DriveInfo *drive = drive_first_unused();
    g_autofree char *mname = machine_class_display_name(OBJECT_CLASS(mc));

    if (drive && drive->type == IF_PFLASH) {
        error_report("%s: machine '%s' has no pflash %d to attach it to",
                     drive->option, mname, drive->index);
        exit(1);
    }
    if (drive) {
        error_report("%s: machine type does not support if=%s,bus=%d,"
                     "unit=%d", drive->option,
                     drive_interface_name(drive->type), drive->bus,
                     drive->unit);
        exit(1);
    }
}

/* ---- accelerator ---- */

static AccelClass *lookup_accel_or_fail(KeyValList *kv)
{
    const char *name = keyval_take(kv, "accel");
    AccelClass *ac;

    if (!name || is_help(name)) {
        GString *out = g_string_new(NULL);

        accel_print_list(out);
        print_and_exit(out);
    }
    ac = accel_find(name);
    if (!ac) {
        error_report("invalid accelerator '%s'", name);
        error_report("-accel help lists the accelerators of this emu");
        exit(1);
    }
    if (wants_class_help(kv)) {
        print_class_properties_and_exit(OBJECT_CLASS(ac), ac->name);
    }
    return ac;
}

/*
 * -machine kernel-irqchip=VALUE, applied as QEMU applies it: a global
 * property of the kvm accelerator, before -accel kvm's own properties
 * (which win), named in QEMU's words when VALUE is wrong; under
 * -machine accel=kvm the error has no option to point at.
 */
static void set_kernel_irqchip_or_fail(AccelState *accel, const char *value,
                                       const OptionUse *use)
{
    Error *err = NULL;

    if (!object_property_parse(OBJECT(accel), "kernel-irqchip", value,
                               &err)) {
        if (!strcmp(use->name, "-machine")) {
            error_clear_cmdline_location();
        }
        error_prepend(&err, "can't apply global %s.kernel-irqchip=%s: ",
                      object_get_typename(OBJECT(accel)), value);
        fail(err);
    }
}

/*
 * Tries each -accel in order; the first that can run this machine wins.
 * As QEMU: each failure is an error, the last one's fatal, and a later
 * accelerator that runs says "falling back to tcg"; failures of
 * -machine accel= (and -enable-kvm) name no option.
 */
static void configure_accel(const Config *cfg, MachineState *ms)
{
    static const OptionUse default_accel = { "-accel", "tcg" };
    guint count = cfg->accels->len ? cfg->accels->len : 1;
    bool failed = false;

    for (guint i = 0; i < count; i++) {
        const OptionUse *use = cfg->accels->len ?
            &g_array_index(cfg->accels, OptionUse, i) : &default_accel;
        g_autoptr(KeyValList) kv = NULL;
        AccelState *accel;
        AccelClass *ac;
        Error *err = NULL;

        enter_location(use);
        kv = parse_keyval_or_fail(use, "accel");
        ac = lookup_accel_or_fail(kv);
        accel = ACCEL(object_new(object_class_get_name(OBJECT_CLASS(ac))));
        if (cfg->one_insn_per_tb && !strcmp(ac->name, "tcg")) {
            object_property_set_bool(OBJECT(accel), "one-insn-per-tb", true,
                                     &error_fatal);
        }
        if (cfg->kernel_irqchip && !strcmp(ac->name, "kvm")) {
            set_kernel_irqchip_or_fail(accel, cfg->kernel_irqchip, use);
        }
        set_properties_or_fail(OBJECT(accel), kv);
        if (ac->ops->available(&err) &&
            ac->ops->init_machine(accel, ms, &err)) {
            current_accel = accel;
            ms->accel = ac->name;
            object_add_child(object_get_root(), "accel", OBJECT(accel),
                             &error_fatal);
            object_unref(OBJECT(accel));
            error_clear_cmdline_location();
            if (failed) {
                error_report("falling back to %s", ac->name);
            }
            return;
        }
        object_unref(OBJECT(accel));
        if (strcmp(use->name, "-accel")) {
            error_clear_cmdline_location();
        }
        if (i + 1 == count) {
            fail(err);
        }
        error_report_err(err);
        failed = true;
    }
}

/* ---- devices ---- */


/* ---- -object ---- */

static void print_object_types_and_exit(void)
{
    GString *out = g_string_new("List of user creatable objects:\n");
    GSList *list = object_class_get_list_sorted(TYPE_OBJECT, false);

    for (GSList *l = list; l; l = l->next) {
        if (((ObjectClass *)l->data)->complete) {
            g_string_append_printf(out, "  %s\n",
                                   object_class_get_name(l->data));
        }
    }
    g_slist_free(list);
    print_and_exit(out);
}

/* -object TYPE,help, in QEMU's words. */
static void print_object_options_and_exit(ObjectClass *klass,
                                          const char *type)
{
    GString *props = g_string_new(NULL);
    GString *out = g_string_new(NULL);

    object_class_print_object_options(klass, props);
    if (props->len) {
        g_string_append_printf(out, "%s options:\n%s", type, props->str);
    } else {
        g_string_append_printf(out, "There are no options for %s.\n", type);
    }
    g_string_free(props, TRUE);
    print_and_exit(out);
}

/* One key=value of -object; false with QEMU's words for the error. */
static bool set_object_property(Object *obj, const KeyValPair *pair,
                                Error **errp)
{
    const Property *prop = object_class_find_property(obj->klass, pair->key);
    uint64_t size;
    bool b;

    if (!prop) {
        error_setg(errp, "Invalid parameter '%s'", pair->key);
        return false;
    }
    if (prop->kind == PROP_KIND_BOOL && !parse_bool(pair->value, &b)) {
        error_setg(errp, "Parameter '%s' expects 'on' or 'off'", pair->key);
        return false;
    }
    if (prop->kind == PROP_KIND_SIZE && !parse_size(pair->value, 'B', &size)) {
        error_setg(errp, "Parameter '%s' expects a size value", pair->key);
        return false;
    }
    if (prop->read_only) {
        /* QEMU refuses it past the option's parsing: no location. */
        error_clear_cmdline_location();
    }
    if (!object_property_parse(obj, pair->key, pair->value, errp)) {
        if (prop->kind == PROP_KIND_ENUM) {
            error_free(*errp);
            *errp = NULL;
            error_setg(errp, "Parameter '%s' does not accept value '%s'",
                       pair->key, pair->value);
        }
        return false;
    }
    return true;
}

/* The class -object names (the user-creatable types are the memory
 * backends); "help" and TYPE,help print and exit. */
static ObjectClass *object_class_or_fail(KeyValList *kv)
{
    const char *type = keyval_take(kv, "qom-type");
    ObjectClass *klass;

    if (!type) {
        error_report("Parameter 'qom-type' is missing");
        exit(1);
    }
    if (is_help(type)) {
        print_object_types_and_exit();
    }
    klass = object_class_by_name(type);
    if (!klass || !klass->complete || object_class_is_abstract(klass)) {
        error_report("Parameter 'qom-type' does not accept value '%s'", type);
        exit(1);
    }
    if (wants_class_help(kv)) {
        print_object_options_and_exit(klass, type);
    }
    return klass;
}

/* Creates /objects/ID. */
static void create_object(const OptionUse *use)
{
    g_autoptr(KeyValList) kv = NULL;
    const KeyValPair *pair;
    const char *type, *id;
    Object *objects, *obj;
    Error *err = NULL;

    enter_location(use);
    kv = parse_keyval_or_fail(use, "qom-type");
    type = object_class_get_name(object_class_or_fail(kv));
    id = keyval_take(kv, "id");
    if (!id) {
        error_report("Parameter 'id' is missing");
        exit(1);
    }
    if (!id_wellformed(id)) {
        error_setg(&err, "Parameter 'id' expects an identifier");
        error_append_hint(&err, "Identifiers consist of letters, digits, "
                          "'-', '.', '_', starting with a letter.\n");
        fail(err);
    }
    objects = container_get(object_get_root(), "objects");
    if (object_get_child(objects, id)) {
        error_report("Duplicate ID '%s' for object", id);
        exit(1);
    }
    obj = object_new(type);
    while ((pair = keyval_first_unused(kv))) {
        if (!set_object_property(obj, pair, &err)) {
            /* Not in the tree yet: nothing else would free it. */
            object_unref(obj);
            fail(err);
        }
        keyval_take(kv, pair->key);
    }
    object_add_child(objects, id, obj, &error_fatal);
    object_unref(obj);
    if (object_dynamic_cast(obj, TYPE_MEMORY_BACKEND) &&
        !host_memory_backend_check(MEMORY_BACKEND(obj), &err)) {
        fail(err);
    }
    /* As QEMU: the host's refusal is not about the option's text. */
    error_clear_cmdline_location();
    if (!obj->klass->complete(obj, &err)) {
        fail(err);
    }
}

/* The class -device names, after answering "help" and "TYPE,help". */
static DeviceClass *device_class_or_fail(KeyValList *kv)
{
    GString *help = g_string_new(NULL);
    const char *driver;
    ObjectClass *klass;

    if (qdev_device_help(kv, help)) {
        print_and_exit(help);
    }
    g_string_free(help, TRUE);
    driver = keyval_take(kv, "driver");
    if (!driver) {
        error_report("Parameter 'driver' is missing");
        exit(1);
    }
    klass = object_class_by_name(driver);
    if (!klass || !object_class_dynamic_cast(klass, TYPE_DEVICE) ||
        object_class_is_abstract(klass)) {
        error_report("'%s' is not a valid device model name", driver);
        error_report("-device help lists the device types");
        exit(1);
    }
    return DEVICE_CLASS(klass);
}

/* After answer_help_requests() and its checks of the driver. */
static void create_device(const OptionUse *use)
{
    g_autoptr(KeyValList) kv = NULL;
    Error *err = NULL;

    enter_location(use);
    kv = parse_keyval_or_fail(use, "driver");
    if (!qdev_device_add(kv, false, &err)) {
        fail(err);
    }
    error_clear_cmdline_location();
}

/* The network backends and the NICs' settings, before the machine. */
static void create_net_clients(const Config *cfg, MachineClass *mc)
{
    Error *err = NULL;

    if (default_nic && mc->default_nic_on_user_net &&
        !net_add_default_nic(&err)) {
        fail(err);
    }
    for (guint i = 0; i < cfg->nets->len; i++) {
        const OptionUse *use = &g_array_index(cfg->nets, OptionUse, i);
        bool ok;

        enter_location(use);
        if (!strcmp(use->name, "-netdev")) {
            ok = net_parse_netdev(use->arg, &err);
        } else if (!strcmp(use->name, "-nic")) {
            ok = net_parse_nic(use->arg, &err);
        } else {
            ok = net_parse_legacy(use->arg, &err);
        }
        if (!ok) {
            fail(err);
        }
    }
    error_clear_cmdline_location();
}

/* -debugcon DEV: QEMU's isa-debugcon at its default port, writing to a
 * backend labelled "debugcon". */
static void create_debugcon(const Config *cfg)
{
    Chardev *chr;
    DeviceState *dev;
    Error *err = NULL;

    if (!cfg->debugcon.name) {
        return;
    }
    enter_location(&cfg->debugcon);
    chr = chardev_new_from_legacy(cfg->debugcon.arg, "debugcon", &err);
    if (!chr) {
        fail(err);
    }
    dev = qdev_new("isa-debugcon");
    object_add_child(container_get(OBJECT(current_machine),
                                   "peripheral-anon"), "debugcon",
                     OBJECT(dev), &error_fatal);
    if (!object_property_set_str(OBJECT(dev), "chardev", chardev_label(chr),
                                 &err) ||
        !qdev_realize_and_unref(dev, NULL, &err)) {
        fail(err);
    }
    error_clear_cmdline_location();
}

/* ---- character devices ---- */

static Chardev *chardev_from_spec_or_fail(const OptionUse *use,
                                          const char *label)
{
    Error *err = NULL;
    Chardev *chr = chardev_new_from_legacy(use->arg, label, &err);

    if (!chr) {
        error_report_err(err);
        /* QEMU's second line, for a serial port only. */
        if (g_str_has_prefix(label, "serial")) {
            error_report("could not connect serial device to character "
                         "backend '%s'", use->arg);
        }
        exit(1);
    }
    return chr;
}

/*
 * Whether QEMU's default monitor is wanted: no -monitor, -mon or -qmp,
 * no "-serial mon:...", no -nodefaults.
 */
static bool wants_default_monitor(const Config *cfg)
{
    if (cfg->nodefaults || cfg->monitors->len) {
        return false;
    }
    for (guint i = 0; i < cfg->serials->len; i++) {
        if (g_str_has_prefix(g_array_index(cfg->serials, OptionUse, i).arg,
                             "mon:")) {
            return false;
        }
    }
    return true;
}

static void create_chardevs(const Config *cfg)
{
    for (guint i = 0; i < cfg->chardevs->len; i++) {
        const OptionUse *use = &g_array_index(cfg->chardevs, OptionUse, i);
        Error *err = NULL;

        enter_location(use);
        if (!chardev_new_from_opts(use->arg, &err)) {
            fail(err);
        }
    }
    error_clear_cmdline_location();
}

/* A monitor to start once the machine is built. */
typedef struct MonitorSpec {
    Chardev *chr;
    bool qmp;
    bool pretty;
} MonitorSpec;

static void add_monitor_spec(GArray *specs, Chardev *chr, bool qmp,
                             bool pretty)
{
    MonitorSpec spec = { chr, qmp, pretty };

    g_array_append_val(specs, spec);
}

/* A monitor on every "mon:" serial port, then one per -monitor/-mon. */
static void create_serials(const Config *cfg, GArray *monitor_specs)
{
    GArray *specs = cfg->serials;
    /* No option to name in errors: QEMU names none. */
    OptionUse implicit = { NULL, NULL };

    if (!specs->len && cfg->nographic && !cfg->nodefaults) {
        /* -nographic: serial0 on the terminal, shared with the monitor
         * unless the monitor was put elsewhere. */
        implicit.arg = wants_default_monitor(cfg) ? "mon:stdio" : "stdio";
        specs = g_array_new(FALSE, FALSE, sizeof(OptionUse));
        g_array_append_val(specs, implicit);
    }
    if (specs->len > MAX_SERIAL_PORTS) {
        error_report("too many -serial options: at most %d",
                     MAX_SERIAL_PORTS);
        exit(1);
    }
    for (guint i = 0; i < specs->len; i++) {
        const OptionUse *use = &g_array_index(specs, OptionUse, i);
        g_autofree char *label = g_strdup_printf("serial%u", i);

        enter_location(use);
        if (!strcmp(use->arg, "none")) {
            continue;
        }
        serial_backends[i] = chardev_from_spec_or_fail(use, label);
        if (g_str_has_prefix(use->arg, "mon:")) {
            add_monitor_spec(monitor_specs, serial_backends[i], false, false);
        }
    }
    if (specs != cfg->serials) {
        g_array_free(specs, TRUE);
    }
    error_clear_cmdline_location();
}

/* -mon chardev=ID[,mode=readline|control][,pretty=on|off] */
static void parse_mon_option(const OptionUse *use, GArray *specs)
{
    g_autoptr(KeyValList) kv = parse_keyval_or_fail(use, "chardev");
    const char *id = keyval_take(kv, "chardev");
    const char *mode = keyval_take(kv, "mode");
    const char *pretty = keyval_take(kv, "pretty");
    const KeyValPair *extra = keyval_first_unused(kv);
    bool qmp = false;
    bool pretty_on = false;
    Chardev *chr;

    if (extra) {
        error_report("Invalid parameter '%s'", extra->key);
        exit(1);
    }
    if (mode && !strcmp(mode, "control")) {
        qmp = true;
    } else if (mode && strcmp(mode, "readline")) {
        error_report("Parameter 'mode' does not accept value '%s' (use "
                     "readline or control)", mode);
        exit(1);
    }
    if (pretty && !parse_bool(pretty, &pretty_on)) {
        error_report("Parameter 'pretty' expects 'on' or 'off'");
        exit(1);
    }
    if (pretty_on && !qmp) {
        /* QEMU's wording: pretty only applies to QMP. */
        error_report("'pretty' is not compatible with HMP monitors");
        exit(1);
    }
    chr = id ? chardev_find(id) : NULL;
    if (!chr) {
        error_report("chardev \"%s\" not found", id ? id : "");
        error_report("create it with -chardev ...,id=%s", id ? id : "ID");
        exit(1);
    }
    add_monitor_spec(specs, chr, qmp, pretty_on);
}

static void create_monitor_specs(const Config *cfg, GArray *specs)
{
    /* -nographic with the serial ports elsewhere: the monitor alone on
     * the terminal, as QEMU. */
    if (cfg->nographic && cfg->serials->len && wants_default_monitor(cfg)) {
        const OptionUse implicit = { NULL, "stdio" };

        enter_location(&implicit);
        add_monitor_spec(specs, chardev_from_spec_or_fail(&implicit,
                                                          "compat_monitor0"),
                         false, false);
    }
    for (guint i = 0; i < cfg->monitors->len; i++) {
        const OptionUse *use = &g_array_index(cfg->monitors, OptionUse, i);
        const char *name = use->name + strspn(use->name, "-");
        g_autofree char *label = g_strdup_printf("compat_monitor%u", i);

        enter_location(use);
        if (!strcmp(name, "mon")) {
            parse_mon_option(use, specs);
        } else if (strcmp(use->arg, "none")) {
            add_monitor_spec(specs, chardev_from_spec_or_fail(use, label),
                             g_str_has_prefix(name, "qmp"),
                             !strcmp(name, "qmp-pretty"));
        }
    }
    error_clear_cmdline_location();
}

static void start_monitors(GArray *specs)
{
    for (guint i = 0; i < specs->len; i++) {
        MonitorSpec *spec = &g_array_index(specs, MonitorSpec, i);
        Error *err = NULL;
        bool ok = spec->qmp ? qmp_monitor_new(spec->chr, spec->pretty, &err)
                            : monitor_new(spec->chr, &err) != NULL;

        if (!ok) {
            fail(err);
        }
    }
}

/* ---- signals and exit ---- */

/* QEMU's report, naming the sender when there is one. */
static void on_termination_signal(int sig, pid_t sender)
{
    if (sender) {
        g_autofree char *name = process_name_of(sender);

        error_report("terminating on signal %d from pid %d (%s)", sig,
                     (int)sender, name ? name : "<unknown process>");
    } else {
        error_report("terminating on signal %d", sig);
    }
    system_set_exit_status(0);
    system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL);
}

static void quit_from_terminal(void)
{
    system_shutdown_request(SHUTDOWN_CAUSE_HOST_UI);
}

/*
 * -trace [enable=]PATTERN[,events=FILE][,file=FILE], as QEMU takes it:
 * the events now; the last file= replaces -D's file.  Returns file=
 * (g_free it).
 */
static char *configure_tracing(const Config *cfg)
{
    char *file = NULL;

    for (guint i = 0; i < cfg->traces->len; i++) {
        const OptionUse *use = &g_array_index(cfg->traces, OptionUse, i);
        g_autoptr(KeyValList) kv = NULL;
        const char *enable, *events, *log;
        const KeyValPair *extra;
        bool asked_help = false;

        enter_location(use);
        kv = parse_keyval_or_fail(use, "enable");
        enable = keyval_take(kv, "enable");
        events = keyval_take(kv, "events");
        log = keyval_take(kv, "file");
        if (log) {
            g_free(file);
            file = g_strdup(log);
        }
        extra = keyval_first_unused(kv);
        if (extra) {
            error_report("Invalid parameter '%s'", extra->key);
            exit(1);
        }
        if (enable && !trace_enable_events(enable)) {
            exit(0);            /* help */
        }
        if (events && !trace_enable_events_file(events, &asked_help)) {
            exit(1);
        }
        if (asked_help) {
            exit(0);
        }
        error_clear_cmdline_location();
    }
    return file;
}

static void configure_logging(const Config *cfg)
{
    Error *err = NULL;
    g_autofree char *trace_file = configure_tracing(cfg);
    int mask;

    if (cfg->log_items.name) {
        /* The location only for errors: QEMU's warning about a trace
         * pattern that matches nothing names no option. */
        if (!emu_log_parse_items(cfg->log_items.arg, &mask, &err)) {
            if (!err) {
                exit(0);        /* -d help */
            }
            enter_location(&cfg->log_items);
            fail(err);
        }
        emu_log_set_mask(mask);
    }
    /* QEMU names no option for -d tid's needs. */
    if (emu_log_enabled(LOG_TID) && !cfg->log_file.name) {
        error_clear_cmdline_location();
        error_report("Filename template with '%%d' required for 'tid'");
        exit(1);
    }
    if (cfg->log_file.name) {
        if (emu_log_enabled(LOG_TID)) {
            error_clear_cmdline_location();
        } else {
            enter_location(&cfg->log_file);
        }
        if (!emu_log_set_file(cfg->log_file.arg, &err)) {
            fail(err);
        }
    }
    error_clear_cmdline_location();
    if (trace_file && !emu_log_set_file(trace_file, &err)) {
        fail(err);
    }
}

/*
 * Options made of on|off keys only (-msg, -overcommit): sets on[i] from
 * keys[i] where given, refuses other values and keys with QEMU's words.
 */
static void take_on_off_parameters(const OptionUse *use,
                                   const char *const *keys, bool *on,
                                   size_t count)
{
    g_autoptr(KeyValList) kv = NULL;
    const KeyValPair *extra;

    enter_location(use);
    kv = parse_keyval_or_fail(use, NULL);
    for (size_t i = 0; i < count; i++) {
        const char *v = keyval_take(kv, keys[i]);

        if (v && !parse_bool(v, &on[i])) {
            error_report("Parameter '%s' expects 'on' or 'off'", keys[i]);
            exit(1);
        }
    }
    extra = keyval_first_unused(kv);
    if (extra) {
        error_report("Invalid parameter '%s'", extra->key);
        exit(1);
    }
    error_clear_cmdline_location();
}

/* -msg timestamp=on|off,guest-name=on|off */
static void configure_messages(const Config *cfg)
{
    static const char *const keys[] = { "timestamp", "guest-name" };
    bool on[2] = { false, false };

    if (!cfg->msg.name) {
        return;
    }
    take_on_off_parameters(&cfg->msg, keys, on, ARRAY_SIZE(keys));
    error_set_message_prefix(on[0], on[1] ? vm_name() : NULL);
}

/*
 * -overcommit mem-lock=on|off,cpu-pm=on|off: libvirt passes it on every
 * command line.  mem-lock=on keeps all of emu's memory resident, as QEMU
 * (mlockall); cpu-pm=on would hand HLT and MWAIT to the guest, which emu
 * does not do, so it is refused rather than ignored.
 */
static void configure_overcommit(const Config *cfg)
{
    static const char *const keys[] = { "mem-lock", "cpu-pm" };
    bool on[2] = { false, false };
    Error *err = NULL;

    if (!cfg->overcommit.name) {
        return;
    }
    take_on_off_parameters(&cfg->overcommit, keys, on, ARRAY_SIZE(keys));
    if (on[1]) {
        enter_location(&cfg->overcommit);
        error_report("cpu-pm=on: emu does not let the guest's HLT and "
                     "MWAIT idle the host CPU; use cpu-pm=off");
        exit(1);
    }
    if (on[0] && !process_lock_memory(&err)) {
        fail(err);
    }
}

/* -sandbox: checked now, installed by install_sandbox() at the end. */
static void configure_sandbox(const Config *cfg)
{
    Error *err = NULL;

    if (!cfg->sandbox.name) {
        return;
    }
    enter_location(&cfg->sandbox);
    if (!sandbox_parse(cfg->sandbox.arg, &err)) {
        fail(err);
    }
    error_clear_cmdline_location();
}

/* Once the machine is up: nothing emu does from here on needs what the
 * filter denies (devices, monitors and backends are all created). */
static void install_sandbox(const Config *cfg)
{
    Error *err = NULL;

    if (!cfg->sandbox.name) {
        return;
    }
    enter_location(&cfg->sandbox);
    if (!sandbox_install(&err)) {
        fail(err);
    }
    error_clear_cmdline_location();
}

/*
 * The host-process options, before anything that can fail late: with
 * -daemonize the parent waits for the child, which reports its own
 * errors while it still has the terminal.
 */
static void configure_process(const Config *cfg)
{
    Error *err = NULL;

    if (cfg->name.name) {
        enter_location(&cfg->name);
        if (!process_parse_name(cfg->name.arg, &err)) {
            fail(err);
        }
        error_clear_cmdline_location();
    }
    configure_messages(cfg);
    configure_overcommit(cfg);
    configure_sandbox(cfg);
    if (cfg->daemonize) {
        if (cfg->nographic) {
            error_report("-nographic cannot be used with -daemonize");
            exit(1);
        }
        process_daemonize_begin();
    }
    /* After the fork: the PID is the daemon's.  QEMU names no option. */
    if (cfg->pidfile.name && !process_create_pidfile(cfg->pidfile.arg,
                                                     &err)) {
        fail(err);
    }
    if (cfg->rtc.name && !rtc_configure(cfg->rtc.arg, &err)) {
        fail(err);
    }
    if (cfg->boot.name && !boot_parse_options(cfg->boot.arg, &err)) {
        fail(err);
    }
}

static void configure_icount(const Config *cfg)
{
    Error *err = NULL;

    if (!cfg->icount.name) {
        return;
    }
    enter_location(&cfg->icount);
    if (!icount_configure(cfg->icount.arg, &err)) {
        fail(err);
    }
    error_clear_cmdline_location();
}

static void configure_semihosting(const Config *cfg)
{
    Error *err = NULL;

    if (cfg->semihosting) {
        semihosting_enable();
    }
    if (cfg->semihosting_config.name) {
        enter_location(&cfg->semihosting_config);
        if (!semihosting_configure(cfg->semihosting_config.arg, &err)) {
            fail(err);
        }
        error_clear_cmdline_location();
    }
}

static void configure_display(const Config *cfg)
{
    if (cfg->display.name && is_help(cfg->display.arg)) {
        display_print_help(stdout);
        exit(0);
    }
}

/* -vga, and whether a -device brings its own display card. */
static void configure_vga(const Config *cfg)
{
    if (cfg->nodefaults) {
        default_vga = false;
    }
    if (cfg->vga.name) {
        enter_location(&cfg->vga);
        if (is_help(cfg->vga.arg)) {
            printf("none                 no graphic card\n"
                   "std                  standard VGA (default)\n");
            exit(0);
        }
        if (strcmp(cfg->vga.arg, "std") && strcmp(cfg->vga.arg, "none")) {
            /* QEMU's words, without the option (-vga help lists them). */
            error_clear_cmdline_location();
            error_report("unknown vga type: %s", cfg->vga.arg);
            exit(1);
        }
        default_vga = !strcmp(cfg->vga.arg, "std");
    }
    for (guint i = 0; i < cfg->devices->len; i++) {
        const OptionUse *use = &g_array_index(cfg->devices, OptionUse, i);
        g_autoptr(KeyValList) kv = NULL;

        enter_location(use);
        kv = parse_keyval_or_fail(use, "driver");
        if (device_class_or_fail(kv)->category == DEVICE_CATEGORY_DISPLAY) {
            default_vga = false;
        }
    }
    error_clear_cmdline_location();
}

/* The window, once the machine's graphics cards exist. */
static void start_display(const Config *cfg)
{
    const char *name = cfg->nographic ? "none" : NULL;
    g_autofree char *type = NULL;
    Error *err = NULL;

    if (cfg->display.name) {
        enter_location(&cfg->display);
        /* "sdl,gl=off": options of the front end are not taken yet. */
        type = g_strndup(cfg->display.arg, strcspn(cfg->display.arg, ","));
        if (strchr(cfg->display.arg, ',')) {
            error_report("display options are not supported: use "
                         "-display %s", type);
            exit(1);
        }
        name = type;
    }
    if (!display_init(name, &err)) {
        fail(err);
    }
    error_clear_cmdline_location();
}

static void start_vcpus(void)
{
    for (guint i = 0; cpus && i < cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cpus, i);
        Error *err = NULL;

        /* vCPUs start parked; vm_start lets them run. */
        cpu->stopped = true;
        if (!accel_ops()->create_vcpu_thread(cpu, &err)) {
            fail(err);
        }
        cpu_wait_created(cpu);
    }
}

/*
 * "-device help", "-cpu help" and the like print and exit before any
 * other option is checked, so they work on a partial command line.
 */
static void answer_help_requests(const Config *cfg)
{
    for (guint i = 0; i < cfg->objects->len; i++) {
        const OptionUse *use = &g_array_index(cfg->objects, OptionUse, i);
        g_autoptr(KeyValList) kv = NULL;

        enter_location(use);
        kv = parse_keyval_or_fail(use, "qom-type");
        object_class_or_fail(kv);
    }
    for (guint i = 0; i < cfg->devices->len; i++) {
        const OptionUse *use = &g_array_index(cfg->devices, OptionUse, i);
        g_autoptr(KeyValList) kv = NULL;

        enter_location(use);
        kv = parse_keyval_or_fail(use, "driver");
        device_class_or_fail(kv);
    }
    for (guint i = 0; i < cfg->accels->len; i++) {
        const OptionUse *use = &g_array_index(cfg->accels, OptionUse, i);
        g_autoptr(KeyValList) kv = NULL;

        enter_location(use);
        kv = parse_keyval_or_fail(use, "accel");
        lookup_accel_or_fail(kv);
    }
    for (guint i = 0; i < cfg->chardevs->len; i++) {
        if (is_help(g_array_index(cfg->chardevs, OptionUse, i).arg)) {
            chardev_print_help(stdout);
            exit(0);
        }
    }
    if (cfg->cpu.name && is_help(cfg->cpu.arg)) {
        GString *out = g_string_new(NULL);

        cpu_list(out);
        print_and_exit(out);
    }
    error_clear_cmdline_location();
}

int emu_main(int argc, char **argv)
{
    g_autofree char *prgname = g_path_get_basename(argv[0]);
    g_autoptr(GArray) monitor_specs = g_array_new(FALSE, FALSE,
                                                  sizeof(MonitorSpec));
    Config cfg = {
        .machine = machine_opts_new(),
        .accels = g_array_new(FALSE, FALSE, sizeof(OptionUse)),
        .devices = g_array_new(FALSE, FALSE, sizeof(OptionUse)),
        .serials = g_array_new(FALSE, FALSE, sizeof(OptionUse)),
        .monitors = g_array_new(FALSE, FALSE, sizeof(OptionUse)),
        .chardevs = g_array_new(FALSE, FALSE, sizeof(OptionUse)),
        .drives = g_array_new(FALSE, FALSE, sizeof(OptionUse)),
        .nets = g_array_new(FALSE, FALSE, sizeof(OptionUse)),
        .objects = g_array_new(FALSE, FALSE, sizeof(OptionUse)),
        .traces = g_array_new(FALSE, FALSE, sizeof(OptionUse)),
    };
    MachineClass *mc;
    MachineState *ms;
    Error *err = NULL;
    int status;

    g_set_prgname(prgname);
    /* As QEMU: a reader that goes away (stdout piped to a script that
     * quit) makes writes fail with EPIPE instead of ending emu. */
    signal(SIGPIPE, SIG_IGN);
    /* A file size limit (ulimit -f) fails an image write with EFBIG,
     * which the block layer reports, instead of ending emu. */
    signal(SIGXFSZ, SIG_IGN);
    parse_command_line(&cfg, argc, argv);
    answer_help_requests(&cfg);

    configure_process(&cfg);
    configure_logging(&cfg);
    configure_display(&cfg);
    configure_vga(&cfg);
    configure_semihosting(&cfg);
    configure_icount(&cfg);
    mc = select_machine(&cfg);
    memory_system_init(target_info.has_io_space);
    memory_set_accessor_pc_func(cpu_current_pc);
    memory_set_accessor_cpu_index_func(cpu_current_index);
    bql_lock();

    ms = MACHINE(object_new(object_class_get_name(OBJECT_CLASS(mc))));
    current_machine = ms;
    object_add_child(object_get_root(), "machine", OBJECT(ms), &error_fatal);
    object_unref(OBJECT(ms));
    /* The containers QEMU always has, so qom-list shows them. */
    container_get(OBJECT(ms), "peripheral");
    container_get(OBJECT(ms), "peripheral-anon");
    /* The main system bus where QEMU files it, with QEMU's type name. */
    object_add_child(container_get(OBJECT(ms), "unattached"), "sysbus",
                     OBJECT(sysbus_get_default()), &error_fatal);
    if (!machine_opts_apply(cfg.machine, OBJECT(ms), &err)) {
        fail(err);
    }
    /* As QEMU: -nographic turns the machine's graphics off, which PC
     * firmware reads (fw_cfg) to put its console on the serial port. */
    if (cfg.nographic) {
        ms->graphics = false;
    }
    for (guint i = 0; i < cfg.objects->len; i++) {
        create_object(&g_array_index(cfg.objects, OptionUse, i));
    }
    configure_ram(&cfg, ms, mc);
    error_clear_cmdline_location();
    if (!machine_resolve_memory_backend(ms, &err)) {
        fail(err);
    }
    configure_smp(&cfg, ms);
    configure_cpu_model(&cfg, ms, mc);
    configure_boot(&cfg, ms, mc);
    configure_drives(&cfg, mc);
    error_clear_cmdline_location();

    /* Backends before the machine, so that boards find their serial
     * ports; monitors attach after the boards' UARTs so the UART gets
     * the terminal's focus first, as with QEMU. */
    chardev_set_quit_handler(quit_from_terminal);
    create_chardevs(&cfg);
    /* Monitors before serial ports, as QEMU: in "-nographic -serial
     * stdio" the serial port is the one refused. */
    create_monitor_specs(&cfg, monitor_specs);
    create_serials(&cfg, monitor_specs);
    create_net_clients(&cfg, mc);

    /* The board builds its memory map in one go: listeners (kvm's
     * memory slots) see the finished map once, not every step of it. */
    memory_region_transaction_begin();
    configure_accel(&cfg, ms);
    if (icount_enabled() && strcmp(ms->accel, "tcg")) {
        error_report("-icount is not allowed with hardware virtualization");
        exit(1);
    }
    runstate_set_no_reboot(cfg.no_reboot);
    runstate_set_no_shutdown(cfg.no_shutdown);
    if (!mc->init(ms, &err) || !net_create_nics(mc->default_nic, &err)) {
        fail(err);
    }
    create_debugcon(&cfg);
    for (guint i = 0; i < cfg.devices->len; i++) {
        create_device(&g_array_index(cfg.devices, OptionUse, i));
    }
    create_virtio_drives(mc);
    memory_region_transaction_commit();
    if (!rom_list_check_overlaps(&err)) {
        fail(err);
    }
    start_display(&cfg);
    check_drives_used(mc);
    /* QEMU's default network is not checked: without libslirp its NIC
     * has nothing to talk to, and that is not the user's doing. */
    if (!default_nic) {
        net_check_clients();
    }
    qdev_check_globals();
    /* Before the monitors prompt: from then on a script may send them. */
    process_watch_termination_signals(on_termination_signal);
    start_monitors(monitor_specs);

    system_reset();
    start_vcpus();
    if (cfg.gdb.name) {
        enter_location(&cfg.gdb);
        if (!gdbserver_start(cfg.gdb.arg, &err)) {
            fail(err);
        }
        error_clear_cmdline_location();
    }
    if (!cfg.start_paused) {
        vm_start();
    }
    /* The machine is up: the filter goes on (a failure still reaches
     * the terminal), then a -daemonize parent may exit. */
    install_sandbox(&cfg);
    process_daemonize_done();
    status = main_loop_run();
    gdbserver_exit(status);

    qmp_cleanup_all();
    monitor_cleanup_all();
    chardev_cleanup_all();
    drive_cleanup_all();
    net_cleanup();
    emu_log_close();
    qdev_free_globals();
    config_free(&cfg);
    return status;
}
