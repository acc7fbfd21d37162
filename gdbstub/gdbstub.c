/*
 * The gdb stub's session: one debugger on one character device, the
 * packets it sends and what they do to the machine.
 *
 * Everything runs in the main loop with the big lock held (chardev
 * handlers and run-state changes).  The debugger runs the machine with
 * c/s/vCont; stops reach it as stop replies, sent when the run state
 * leaves "running" after it resumed the machine: "debug" (a vCPU hit a
 * breakpoint, a watchpoint or finished a step: cpu->debug_stop says
 * which), "paused" (Ctrl-C, or "stop" in the monitor), and the others.
 * Threads are vCPUs, numbered cpu_index + 1.
 *
 * Breakpoints, watchpoints and single-step are the accelerator's
 * (AccelOps), set on every vCPU; an accelerator without them (kvm on a
 * host without KVM_CAP_SET_GUEST_DEBUG) gets Z and s refused with an
 * error, so that gdb neither patches trap instructions into the guest
 * nor waits forever for a step.
 * Registers come from the target
 * (CPUClass.gdb_*); memory goes through cpu_memory_rw_debug.  Replies
 * follow QEMU's stub where gdb's documentation leaves a choice (error
 * numbers, thread ids, what D and k do).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "chardev/char.h"
#include "gdbstub/gdbstub.h"
#include "gdbstub/internal.h"
#include "monitor/monitor.h"
#include "sysemu/accel.h"
#include "sysemu/runstate.h"

/* gdb's signal numbers in stop replies. */
enum {
    GDB_SIGNAL_INT = 2,
    GDB_SIGNAL_QUIT = 3,
    GDB_SIGNAL_TRAP = 5,
    GDB_SIGNAL_ABRT = 6,
};

/* The machine as a process, for gdbs that speak multiprocess. */
#define GDB_PROCESS_ID 1

typedef struct GDBBreakpoint {
    int type;                    /* Z packet type, 0-4 */
    uint64_t addr;
    uint64_t kind;
} GDBBreakpoint;

typedef struct GDBState {
    CharBackend be;
    Chardev *chr;
    bool own_chr;                /* created by the stub, closed with it */
    bool connected;
    GDBReader reader;
    bool no_ack;                 /* QStartNoAckMode */
    bool swbreak;                /* gdb takes swbreak:/hwbreak: */
    bool multiprocess;           /* thread ids are pPID.TID */
    GString *last_packet;        /* framed, sent again on a NAK */
    CPUState *c_cpu;             /* Hc: what c and s act on */
    CPUState *g_cpu;             /* Hg: whose registers */
    bool running;                /* resumed by the debugger */
    GArray *breakpoints;         /* GDBBreakpoint, as inserted */
} GDBState;

static GDBState *gdb;
static bool runstate_hooked;

/*
 * A semihosting call forwarded to gdb (File-I/O): the "F..." request,
 * sent as the stop reply of the stop gdb_syscall asked for (or, when no
 * debugger was running the machine then, at its next c/s/vCont), and
 * completed by gdb's "Fretcode[,errno[,C]]".  Kept apart from the
 * session, so that a debugger that reconnects gets the request again.
 */
static struct {
    char *request;               /* NULL: none pending */
    bool sent;
    CPUState *cpu;
    GDBSyscallDone done;
} syscall_pending;

/* ---- sending ---- */

static void send_raw(const char *data, size_t len)
{
    chr_fe_write_all(&gdb->be, (const uint8_t *)data, len);
}

static void put_packet_len(const char *body, size_t len)
{
    g_string_truncate(gdb->last_packet, 0);
    gdb_frame_packet(gdb->last_packet, (const uint8_t *)body, len);
    send_raw(gdb->last_packet->str, gdb->last_packet->len);
}

static void put_packet(const char *body)
{
    put_packet_len(body, strlen(body));
}

static void put_error(int errnum)
{
    char reply[8];

    snprintf(reply, sizeof(reply), "E%02x", errnum);
    put_packet(reply);
}

/* ---- vCPUs as threads ---- */

static CPUState *cpu_by_index(guint i)
{
    return cpus && i < cpus->len ? g_ptr_array_index(cpus, i) : NULL;
}

/* The thread id of cpu as gdb reads it: "p01.02" once gdb said it
 * knows processes (the machine is process 1), else "02". */
static void append_thread_id(GString *out, CPUState *cpu)
{
    if (gdb->multiprocess) {
        g_string_append_printf(out, "p%02x.", GDB_PROCESS_ID);
    }
    g_string_append_printf(out, "%02x", cpu->cpu_index + 1);
}

/* One part of a thread id: -1 (all), 0 (any) or a number. */
static bool parse_id(const char **p, int64_t *id)
{
    uint64_t v;

    if ((*p)[0] == '-' && (*p)[1] == '1') {
        *p += 2;
        *id = -1;
        return true;
    }
    if (!gdb_parse_hex(p, &v) || v > INT_MAX) {
        return false;
    }
    *id = v;
    return true;
}

/*
 * A thread id as gdb writes it: "TID" or "pPID[.TID]".  Sets *cpu to
 * the vCPU, or NULL for "all"; false for a thread there is not.
 */
static bool parse_thread(const char **p, CPUState **cpu)
{
    int64_t pid, tid = -1;

    if (**p == 'p') {
        (*p)++;
        if (!parse_id(p, &pid) || (pid > 0 && pid != GDB_PROCESS_ID)) {
            return false;
        }
        if (**p == '.') {
            (*p)++;
            if (!parse_id(p, &tid)) {
                return false;
            }
        }
    } else if (!parse_id(p, &tid)) {
        return false;
    }
    if (tid < 0) {
        *cpu = NULL;
        return true;
    }
    *cpu = cpu_by_index(tid == 0 ? 0 : tid - 1);
    return *cpu != NULL;
}

/* ---- run control ---- */

/* Stops the vCPUs for a change the accelerator wants made while they
 * are out of guest code; returns whether to resume them. */
static bool hold_vcpus(void)
{
    if (runstate_is_running()) {
        pause_all_vcpus();
        return true;
    }
    return false;
}

static void release_vcpus(bool held)
{
    if (held) {
        resume_all_vcpus();
    }
}

/* Whether the accelerator has breakpoints, watchpoints and
 * single-step on this host: without them, a step is refused rather than
 * left running forever. */
static bool accel_can_debug(void)
{
    const AccelOps *ops = accel_ops();

    return ops->insert_breakpoint && ops->set_single_step &&
           (!ops->guest_debug_supported || ops->guest_debug_supported());
}

static void set_single_step(CPUState *cpu, bool enable)
{
    const AccelOps *ops = accel_ops();

    if (ops->set_single_step) {
        ops->set_single_step(cpu, enable);
    }
}

/* A semihosting call gdb has not been asked yet: asks it now (the
 * reply to gdb's c/s, or the stop reply).  False when there is none. */
static bool send_pending_syscall(void)
{
    if (!syscall_pending.request || syscall_pending.sent) {
        return false;
    }
    syscall_pending.sent = true;
    put_packet(syscall_pending.request);
    return true;
}

/* Lets the machine run; step_cpus get one instruction each.  A
 * semihosting call still waiting for gdb is asked for first. */
static void resume(GPtrArray *step_cpus)
{
    if (send_pending_syscall()) {
        return;
    }
    for (guint i = 0; cpus && i < cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cpus, i);

        cpu->debug_stop = (CPUDebugStop){ .reason = CPU_DEBUG_NONE };
    }
    for (guint i = 0; step_cpus && i < step_cpus->len; i++) {
        set_single_step(g_ptr_array_index(step_cpus, i), true);
    }
    gdb->running = true;
    vm_start();
}

static void stop_reply_for(CPUState *cpu, int signal, GString *reply)
{
    const CPUDebugStop *stop = &cpu->debug_stop;

    g_string_printf(reply, "T%02xthread:", signal);
    append_thread_id(reply, cpu);
    g_string_append_c(reply, ';');
    if (stop->reason == CPU_DEBUG_WATCHPOINT) {
        g_string_append_printf(reply, "%s:%" PRIx64 ";",
                               stop->watch_type == BP_WATCH_WRITE ? "watch" :
                               stop->watch_type == BP_WATCH_READ ? "rwatch" :
                               "awatch", stop->watch_addr);
    } else if (stop->reason == CPU_DEBUG_BREAKPOINT && gdb->swbreak) {
        uint64_t pc = CPU_GET_CLASS(cpu)->get_pc(cpu);
        bool hw = false;

        for (guint i = 0; i < gdb->breakpoints->len; i++) {
            GDBBreakpoint *bp = &g_array_index(gdb->breakpoints,
                                               GDBBreakpoint, i);

            hw |= bp->type == 1 && bp->addr == pc;
        }
        g_string_append(reply, hw ? "hwbreak:;" : "swbreak:;");
    }
}

/* The vCPU a debug stop is about: the first that says why it stopped. */
static CPUState *debug_stop_cpu(void)
{
    for (guint i = 0; cpus && i < cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cpus, i);

        if (cpu->debug_stop.reason != CPU_DEBUG_NONE) {
            return cpu;
        }
    }
    return gdb->c_cpu;
}

static void gdb_vm_state_changed(void *opaque, bool vm_running)
{
    g_autoptr(GString) reply = g_string_new(NULL);
    RunState state = runstate_get();
    CPUState *cpu;
    int signal;

    if (!gdb || !gdb->connected || !gdb->running || vm_running) {
        return;
    }
    gdb->running = false;
    for (guint i = 0; cpus && i < cpus->len; i++) {
        set_single_step(g_ptr_array_index(cpus, i), false);
    }
    if (send_pending_syscall()) {
        gdb->c_cpu = gdb->g_cpu = syscall_pending.cpu;
        return;
    }
    switch (state) {
    case RUN_STATE_DEBUG:
        signal = GDB_SIGNAL_TRAP;
        break;
    case RUN_STATE_SHUTDOWN:
        signal = GDB_SIGNAL_QUIT;
        break;
    case RUN_STATE_INTERNAL_ERROR:
        signal = GDB_SIGNAL_ABRT;
        break;
    default:
        signal = GDB_SIGNAL_INT;
        break;
    }
    cpu = state == RUN_STATE_DEBUG ? debug_stop_cpu() : gdb->c_cpu;
    gdb->c_cpu = gdb->g_cpu = cpu;
    cpu_synchronize_state(cpu);
    stop_reply_for(cpu, signal, reply);
    put_packet(reply->str);
}

/* ---- registers ---- */

static void handle_read_registers(void)
{
    CPUClass *cc = CPU_GET_CLASS(gdb->g_cpu);
    g_autoptr(GPtrArray) regs = gdb_register_list(gdb->g_cpu);
    g_autoptr(GByteArray) bytes = g_byte_array_new();
    g_autoptr(GString) reply = g_string_new(NULL);

    cpu_synchronize_state(gdb->g_cpu);
    for (guint i = 0; i < regs->len; i++) {
        const GDBRegister *r = g_ptr_array_index(regs, i);

        cc->gdb_read_register(gdb->g_cpu, bytes, r->regnum);
    }
    gdb_hex_append(reply, bytes->data, bytes->len);
    put_packet(reply->str);
}

static void handle_write_registers(const char *hex)
{
    CPUClass *cc = CPU_GET_CLASS(gdb->g_cpu);
    g_autoptr(GPtrArray) regs = gdb_register_list(gdb->g_cpu);
    size_t avail = strlen(hex) / 2;
    bool held;

    /* As gdb allows: a shorter G writes the registers it covers. */
    if (strlen(hex) % 2) {
        put_error(0x16);
        return;
    }
    held = hold_vcpus();
    cpu_synchronize_state(gdb->g_cpu);
    for (guint i = 0; i < regs->len; i++) {
        const GDBRegister *r = g_ptr_array_index(regs, i);
        size_t size = r->bitsize / 8;
        uint8_t buf[64];

        if (size > avail || size > sizeof(buf) ||
            !gdb_hex_decode(hex, buf, size)) {
            break;
        }
        cc->gdb_write_register(gdb->g_cpu, buf, r->regnum);
        hex += 2 * size;
        avail -= size;
    }
    cpu_synchronize_post_write(gdb->g_cpu);
    release_vcpus(held);
    put_packet("OK");
}

static void handle_read_register(const char *args)
{
    CPUClass *cc = CPU_GET_CLASS(gdb->g_cpu);
    g_autoptr(GByteArray) bytes = g_byte_array_new();
    g_autoptr(GString) reply = g_string_new(NULL);
    uint64_t regnum;

    if (!gdb_parse_hex(&args, &regnum) || *args) {
        put_error(0x16);
        return;
    }
    cpu_synchronize_state(gdb->g_cpu);
    if (regnum > INT_MAX || !gdb_find_register(gdb->g_cpu, regnum) ||
        !cc->gdb_read_register(gdb->g_cpu, bytes, regnum)) {
        put_error(0x14);
        return;
    }
    gdb_hex_append(reply, bytes->data, bytes->len);
    put_packet(reply->str);
}

static void handle_write_register(const char *args)
{
    CPUClass *cc = CPU_GET_CLASS(gdb->g_cpu);
    const GDBRegister *r;
    uint64_t regnum;
    uint8_t buf[64];
    bool held, ok;

    if (!gdb_parse_hex(&args, &regnum) || *args++ != '=') {
        put_error(0x16);
        return;
    }
    r = regnum <= INT_MAX ? gdb_find_register(gdb->g_cpu, regnum) : NULL;
    if (!r) {
        put_error(0x14);
        return;
    }
    if (strlen(args) != (size_t)r->bitsize / 4 ||
        r->bitsize / 8 > (int)sizeof(buf) ||
        !gdb_hex_decode(args, buf, r->bitsize / 8)) {
        put_error(0x16);
        return;
    }
    held = hold_vcpus();
    cpu_synchronize_state(gdb->g_cpu);
    ok = cc->gdb_write_register(gdb->g_cpu, buf, regnum);
    cpu_synchronize_post_write(gdb->g_cpu);
    release_vcpus(held);
    if (ok) {
        put_packet("OK");
    } else {
        put_error(0x14);
    }
}

/* ---- memory ---- */

/* "ADDR,LEN" then the separator sep (or the end when sep is 0). */
static bool parse_addr_len(const char **p, uint64_t *addr, uint64_t *len,
                           char sep)
{
    if (!gdb_parse_hex(p, addr) || *(*p)++ != ',' ||
        !gdb_parse_hex(p, len)) {
        return false;
    }
    if (sep) {
        return *(*p)++ == sep;
    }
    return **p == '\0';
}

static void handle_read_memory(const char *args)
{
    g_autoptr(GString) reply = g_string_new(NULL);
    g_autofree uint8_t *buf = NULL;
    uint64_t addr, len;

    if (!parse_addr_len(&args, &addr, &len, 0)) {
        put_error(0x16);
        return;
    }
    /* The reply is two digits a byte and must fit a packet. */
    if (len > GDB_MAX_PACKET / 2) {
        put_error(0x16);
        return;
    }
    buf = g_malloc(len + 1);
    if (!cpu_memory_rw_debug(gdb->g_cpu, addr, buf, len, false)) {
        put_error(0x14);
        return;
    }
    gdb_hex_append(reply, buf, len);
    put_packet(reply->str);
}

static void write_memory(uint64_t addr, const uint8_t *buf, uint64_t len)
{
    bool held = hold_vcpus();
    bool ok = cpu_memory_rw_debug(gdb->g_cpu, addr, (uint8_t *)buf, len,
                                  true);

    release_vcpus(held);
    if (ok) {
        put_packet("OK");
    } else {
        put_error(0x14);
    }
}

static void handle_write_memory_hex(const char *args)
{
    g_autofree uint8_t *buf = NULL;
    uint64_t addr, len;

    if (!parse_addr_len(&args, &addr, &len, ':') ||
        len > GDB_MAX_PACKET || strlen(args) != len * 2) {
        put_error(0x16);
        return;
    }
    buf = g_malloc(len + 1);
    if (!gdb_hex_decode(args, buf, len)) {
        put_error(0x16);
        return;
    }
    write_memory(addr, buf, len);
}

/* X: the data is binary (the reader undid the escapes). */
static void handle_write_memory_binary(const char *args, size_t packet_len)
{
    const char *start = args;
    uint64_t addr, len;

    if (!parse_addr_len(&args, &addr, &len, ':') ||
        len != packet_len - 1 - (size_t)(args - start)) {
        put_error(0x16);
        return;
    }
    write_memory(addr, (const uint8_t *)args, len);
}

/* ---- breakpoints ---- */

static const BreakpointType z_types[] = {
    BP_SOFTWARE, BP_HARDWARE, BP_WATCH_WRITE, BP_WATCH_READ, BP_WATCH_ACCESS,
};

static void handle_breakpoint(const char *args, bool insert)
{
    const AccelOps *ops = accel_ops();
    GDBBreakpoint bp;
    uint64_t type;
    Error *err = NULL;
    bool held, ok = true;
    guint done = 0;

    if (!gdb_parse_hex(&args, &type) || *args++ != ',' ||
        !parse_addr_len(&args, &bp.addr, &bp.kind, 0)) {
        /* Conditions and commands (";X...") are not offered. */
        put_error(0x16);
        return;
    }
    if (type >= ARRAY_SIZE(z_types)) {
        put_packet("");          /* not supported: gdb tries another way */
        return;
    }
    if (!accel_can_debug()) {
        /* An error, not "unsupported": gdb would then patch a trap
         * instruction into guest memory, which the guest would take
         * itself. */
        put_error(0x16);
        return;
    }
    bp.type = type;
    held = hold_vcpus();
    if (insert) {
        for (; done < cpus->len && ok; done++) {
            ok = ops->insert_breakpoint(g_ptr_array_index(cpus, done),
                                        z_types[type], bp.addr, bp.kind,
                                        &err);
        }
        if (!ok) {
            /* Undo it on the vCPUs before the one that refused. */
            for (guint i = 0; i + 1 < done; i++) {
                ops->remove_breakpoint(g_ptr_array_index(cpus, i),
                                       z_types[type], bp.addr, bp.kind);
            }
            error_free(err);
        } else {
            g_array_append_val(gdb->breakpoints, bp);
        }
    } else {
        ok = false;
        for (guint i = 0; i < gdb->breakpoints->len && !ok; i++) {
            GDBBreakpoint *b = &g_array_index(gdb->breakpoints,
                                              GDBBreakpoint, i);

            if (b->type == bp.type && b->addr == bp.addr &&
                b->kind == bp.kind) {
                g_array_remove_index(gdb->breakpoints, i);
                ok = true;
            }
        }
        for (guint i = 0; ok && i < cpus->len; i++) {
            ops->remove_breakpoint(g_ptr_array_index(cpus, i),
                                   z_types[type], bp.addr, bp.kind);
        }
    }
    release_vcpus(held);
    if (ok) {
        put_packet("OK");
    } else {
        put_error(0x16);
    }
}

static void remove_all_breakpoints(void)
{
    const AccelOps *ops = accel_ops();

    for (guint i = 0; cpus && i < cpus->len; i++) {
        CPUState *cpu = g_ptr_array_index(cpus, i);

        if (ops->remove_all_breakpoints) {
            ops->remove_all_breakpoints(cpu);
        }
        set_single_step(cpu, false);
    }
    g_array_set_size(gdb->breakpoints, 0);
}

/* ---- c, s, vCont ---- */

/* "c[ADDR]", "s[ADDR]", "Csig[;ADDR]", "Ssig[;ADDR]": resume at ADDR. */
static void handle_continue(const char *args, bool step, bool with_signal)
{
    g_autoptr(GPtrArray) step_cpus = g_ptr_array_new();
    uint64_t value;

    if (step && !accel_can_debug()) {
        put_error(0x16);
        return;
    }
    if (with_signal && *args) {
        /* The signal means nothing to a machine: skip it. */
        if (!gdb_parse_hex(&args, &value)) {
            put_error(0x16);
            return;
        }
        if (*args == ';') {
            args++;
        }
    }
    if (*args) {
        if (!gdb_parse_hex(&args, &value) || *args) {
            put_error(0x16);
            return;
        }
        CPU_GET_CLASS(gdb->c_cpu)->set_pc(gdb->c_cpu, value);
        cpu_synchronize_post_write(gdb->c_cpu);
    }
    if (step) {
        g_ptr_array_add(step_cpus, gdb->c_cpu);
    }
    resume(step_cpus);
}

/*
 * vCont;ACTION[:THREAD]...: the first action that names a thread (or
 * none) applies to it.  c and s run (s steps that vCPU); t, and a vCPU
 * no action names, stay stopped while the others run.
 */
static void handle_vcont(const char *args)
{
    guint n = cpus->len;
    g_autofree char *action = g_malloc0(n);
    g_autoptr(GPtrArray) step_cpus = g_ptr_array_new();
    bool any_run = false;

    while (*args == ';') {
        char act = *++args;
        CPUState *target = NULL;
        uint64_t sig;

        if (act != 'c' && act != 's' && act != 'C' && act != 'S' &&
            act != 't') {
            put_error(0x16);
            return;
        }
        args++;
        if ((act == 'C' || act == 'S') && !gdb_parse_hex(&args, &sig)) {
            put_error(0x16);
            return;
        }
        act = g_ascii_tolower(act);
        if (*args == ':') {
            args++;
            if (!parse_thread(&args, &target)) {
                put_error(0x16);
                return;
            }
        }
        for (guint i = 0; i < n; i++) {
            if (!action[i] && (!target || target->cpu_index == (int)i)) {
                action[i] = act;
            }
        }
    }
    if (*args) {
        put_error(0x16);
        return;
    }
    for (guint i = 0; i < n; i++) {
        if (action[i] == 's') {
            if (!accel_can_debug()) {
                put_error(0x16);
                return;
            }
            g_ptr_array_add(step_cpus, cpu_by_index(i));
            gdb->c_cpu = cpu_by_index(i);
        }
        any_run |= action[i] == 'c' || action[i] == 's';
    }
    if (!any_run) {
        put_error(0x16);
        return;
    }
    resume(step_cpus);
    /* The vCPUs left out stay parked until the next stop. */
    for (guint i = 0; i < n; i++) {
        if (action[i] != 'c' && action[i] != 's') {
            CPUState *cpu = cpu_by_index(i);

            cpu->stop = true;
            cpu_kick(cpu);
        }
    }
}

/* ---- queries ---- */

static void handle_supported(const char *features)
{
    g_autofree char *reply = NULL;
    g_auto(GStrv) list = g_strsplit(features, ";", -1);

    gdb->swbreak = gdb->multiprocess = false;
    for (char **f = list; *f; f++) {
        gdb->swbreak |= !strcmp(*f, "swbreak+");
        gdb->multiprocess |= !strcmp(*f, "multiprocess+");
    }
    reply = g_strdup_printf("PacketSize=%x;qXfer:features:read+;"
                            "QStartNoAckMode+;vContSupported+%s%s",
                            GDB_MAX_PACKET,
                            gdb->swbreak ? ";swbreak+;hwbreak+" : "",
                            gdb->multiprocess ? ";multiprocess+" : "");
    put_packet(reply);
}

/* qXfer:features:read:ANNEX:OFFSET,LENGTH */
static void handle_xfer_features(const char *args)
{
    g_autofree char *xml = NULL;
    const char *start = args, *colon = strchr(args, ':');
    g_autoptr(GString) reply = g_string_new(NULL);
    uint64_t offset, length;
    size_t total;

    if (!colon) {
        put_error(0x16);
        return;
    }
    args = colon + 1;
    if (!parse_addr_len(&args, &offset, &length, 0)) {
        put_error(0x16);
        return;
    }
    /* Everything is inline in target.xml: there is no other annex. */
    if ((size_t)(colon - start) != strlen("target.xml") ||
        strncmp(start, "target.xml", colon - start)) {
        put_error(0x00);
        return;
    }
    xml = gdb_target_xml(gdb->g_cpu);
    total = strlen(xml);
    if (offset > total) {
        put_error(0x16);
        return;
    }
    length = MIN(length, GDB_MAX_PACKET - 6);
    length = MIN(length, total - offset);
    g_string_append_c(reply, offset + length < total ? 'm' : 'l');
    g_string_append_len(reply, xml + offset, length);
    put_packet_len(reply->str, reply->len);
}

static void handle_rcmd(const char *hex)
{
    size_t len = strlen(hex) / 2;
    g_autofree char *cmd = g_malloc0(len + 1);
    g_autofree char *output = NULL;
    const size_t chunk = (GDB_MAX_PACKET - 1) / 2;

    if (strlen(hex) % 2 || !gdb_hex_decode(hex, (uint8_t *)cmd, len) ||
        memchr(cmd, '\0', len)) {
        put_error(0x16);
        return;
    }
    /* Lines end in "\r\n", as on a monitor's terminal (and QEMU's). */
    {
        g_autofree char *text = monitor_run_command_to_string(cmd);
        g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

        output = g_strjoinv("\r\n", lines);
    }
    for (size_t done = 0; output[done];) {
        g_autoptr(GString) packet = g_string_new("O");
        size_t n = MIN(chunk, strlen(output + done));

        gdb_hex_append(packet, (const uint8_t *)output + done, n);
        put_packet(packet->str);
        done += n;
    }
    put_packet("OK");
}

static void append_thread_list(GString *reply)
{
    g_string_append_c(reply, 'm');
    for (guint i = 0; i < cpus->len; i++) {
        if (i) {
            g_string_append_c(reply, ',');
        }
        append_thread_id(reply, g_ptr_array_index(cpus, i));
    }
}

static void handle_thread_extra_info(const char *args)
{
    g_autoptr(GString) reply = g_string_new(NULL);
    g_autofree char *text = NULL;
    CPUState *cpu;

    if (!parse_thread(&args, &cpu) || !cpu || *args) {
        put_error(0x16);
        return;
    }
    text = g_strdup_printf("CPU#%d [%s]", cpu->cpu_index,
                           cpu->halted ? "halted " : "running");
    gdb_hex_append(reply, (const uint8_t *)text, strlen(text));
    put_packet(reply->str);
}

static void handle_query(const char *q)
{
    g_autoptr(GString) reply = g_string_new(NULL);

    if (g_str_has_prefix(q, "qSupported")) {
        handle_supported(q[10] == ':' ? q + 11 : "");
    } else if (g_str_has_prefix(q, "qXfer:features:read:")) {
        handle_xfer_features(q + strlen("qXfer:features:read:"));
    } else if (g_str_has_prefix(q, "qRcmd,")) {
        handle_rcmd(q + strlen("qRcmd,"));
    } else if (!strcmp(q, "qAttached") || g_str_has_prefix(q, "qAttached:")) {
        put_packet("1");         /* detaching leaves the machine running */
    } else if (!strcmp(q, "qC")) {
        g_string_assign(reply, "QC");
        append_thread_id(reply, gdb->g_cpu);
        put_packet(reply->str);
    } else if (!strcmp(q, "qfThreadInfo")) {
        /* All vCPUs in one reply while they fit; qsThreadInfo ends it. */
        append_thread_list(reply);
        put_packet(reply->str);
    } else if (!strcmp(q, "qsThreadInfo")) {
        put_packet("l");
    } else if (g_str_has_prefix(q, "qThreadExtraInfo,")) {
        handle_thread_extra_info(q + strlen("qThreadExtraInfo,"));
    } else if (!strcmp(q, "QStartNoAckMode")) {
        put_packet("OK");
        gdb->no_ack = true;
    } else {
        put_packet("");          /* unknown: gdb knows to do without */
    }
}

static void handle_set_thread(const char *args)
{
    char which = *args++;
    CPUState *cpu;

    if ((which != 'g' && which != 'c') || !parse_thread(&args, &cpu) ||
        *args) {
        put_error(0x16);
        return;
    }
    if (!cpu) {
        cpu = gdb->c_cpu;        /* -1: every thread; act on the current */
    }
    if (which == 'g') {
        gdb->g_cpu = cpu;
    } else {
        gdb->c_cpu = cpu;
    }
    put_packet("OK");
}

static void handle_thread_alive(const char *args)
{
    CPUState *cpu;

    if (parse_thread(&args, &cpu) && cpu && !*args) {
        put_packet("OK");
    } else {
        put_error(0x16);
    }
}

/* ---- File-I/O: semihosting calls carried out by gdb ---- */

bool gdb_syscall(CPUState *cpu, GDBSyscallDone done, const char *request)
{
    if (!gdb || syscall_pending.request) {
        return false;
    }
    syscall_pending.request = g_strconcat("F", request, NULL);
    syscall_pending.sent = false;
    syscall_pending.cpu = cpu;
    syscall_pending.done = done;
    /* The vCPU leaves guest code before its next block: the result is
     * in its registers when it goes on. */
    vm_stop_request(RUN_STATE_DEBUG);
    return true;
}

/* Hands gdb's answer (or ret -1 with err) to the waiting call. */
static void syscall_complete(int64_t ret, int err)
{
    GDBSyscallDone done = syscall_pending.done;
    CPUState *cpu = syscall_pending.cpu;

    g_clear_pointer(&syscall_pending.request, g_free);
    done(cpu, ret, err);
}

/* "Fretcode[,errno[,C]]": the call's result, then the machine runs on,
 * or, after Ctrl-C (",C"), stays stopped with a SIGINT stop reply. */
static void handle_file_io_reply(const char *args)
{
    uint64_t value, err = 0;
    bool negative = *args == '-';
    int64_t ret;

    if (!syscall_pending.request || !syscall_pending.sent) {
        put_error(0x16);
        return;
    }
    args += negative;
    if (!gdb_parse_hex(&args, &value)) {
        put_error(0x16);
        return;
    }
    ret = negative ? -(int64_t)value : (int64_t)value;
    if (*args == ',' && (args++, !gdb_parse_hex(&args, &err))) {
        put_error(0x16);
        return;
    }
    syscall_complete(ret, err);
    if (g_str_has_prefix(args, ",C")) {
        put_packet("T02");
        return;
    }
    resume(NULL);
}

/* At exit, as QEMU: gdb hears that the program exited, with its status. */
void gdbserver_exit(int status)
{
    char reply[8];

    if (gdb && gdb->connected) {
        snprintf(reply, sizeof(reply), "W%02x", status & 0xff);
        put_packet(reply);
    }
}

static void handle_detach(void)
{
    /* Nobody will answer a pending semihosting call now. */
    if (syscall_pending.request) {
        syscall_complete(-1, EINTR);
    }
    remove_all_breakpoints();
    put_packet("OK");
    gdb->running = false;
    vm_start();
}

static void handle_kill(void)
{
    error_report("Terminated via GDBstub");
    system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

static void handle_packet(const char *p, size_t len)
{
    switch (p[0]) {
    case '?':
        {
            g_autoptr(GString) reply = g_string_new(NULL);

            stop_reply_for(gdb->c_cpu, GDB_SIGNAL_TRAP, reply);
            put_packet(reply->str);
        }
        break;
    case 'g':
        handle_read_registers();
        break;
    case 'G':
        handle_write_registers(p + 1);
        break;
    case 'p':
        handle_read_register(p + 1);
        break;
    case 'P':
        handle_write_register(p + 1);
        break;
    case 'm':
        handle_read_memory(p + 1);
        break;
    case 'M':
        handle_write_memory_hex(p + 1);
        break;
    case 'X':
        handle_write_memory_binary(p + 1, len);
        break;
    case 'c':
    case 's':
        handle_continue(p + 1, p[0] == 's', false);
        break;
    case 'C':
    case 'S':
        handle_continue(p + 1, p[0] == 'S', true);
        break;
    case 'Z':
    case 'z':
        handle_breakpoint(p + 1, p[0] == 'Z');
        break;
    case 'H':
        handle_set_thread(p + 1);
        break;
    case 'T':
        handle_thread_alive(p + 1);
        break;
    case 'D':
        handle_detach();
        break;
    case 'k':
        handle_kill();
        break;
    case 'F':
        handle_file_io_reply(p + 1);
        break;
    case 'q':
    case 'Q':
        handle_query(p);
        break;
    case 'v':
        if (!strcmp(p, "vCont?")) {
            put_packet(accel_can_debug() ? "vCont;c;C;s;S;t" : "vCont;c;C;t");
        } else if (g_str_has_prefix(p, "vCont;")) {
            handle_vcont(p + strlen("vCont"));
        } else {
            put_packet("");      /* vMustReplyEmpty and the unknown */
        }
        break;
    default:
        put_packet("");
        break;
    }
}

/* ---- the chardev ---- */

static int gdb_can_read(void *opaque)
{
    return GDB_MAX_PACKET;
}

static void gdb_read(void *opaque, const uint8_t *buf, int len)
{
    for (int i = 0; i < len && gdb; i++) {
        switch (gdb_reader_feed(&gdb->reader, buf[i])) {
        case GDB_READ_PACKET:
            if (!gdb->no_ack) {
                send_raw("+", 1);
            }
            handle_packet((const char *)gdb->reader.body->data,
                          gdb->reader.body->len);
            break;
        case GDB_READ_BAD_PACKET:
            if (!gdb->no_ack) {
                send_raw("-", 1);
            }
            break;
        case GDB_READ_NAK:
            if (!gdb->no_ack && gdb->last_packet->len) {
                send_raw(gdb->last_packet->str, gdb->last_packet->len);
            }
            break;
        case GDB_READ_INTERRUPT:
            if (runstate_is_running()) {
                vm_stop(RUN_STATE_PAUSED);
            }
            break;
        case GDB_READ_ACK:
        case GDB_READ_NONE:
            break;
        }
    }
}

static void gdb_event(void *opaque, ChrEvent event)
{
    switch (event) {
    case CHR_EVENT_OPENED:
        /* A new debugger: a fresh session on a stopped machine. */
        gdb_reader_free(&gdb->reader);
        gdb_reader_init(&gdb->reader);
        gdb->no_ack = false;
        gdb->swbreak = gdb->multiprocess = false;
        gdb->running = false;
        gdb->c_cpu = gdb->g_cpu = cpu_by_index(0);
        g_string_truncate(gdb->last_packet, 0);
        gdb->connected = true;
        vm_stop(RUN_STATE_PAUSED);
        break;
    case CHR_EVENT_CLOSED:
        /* Nobody is left to hear about stops; the next debugger gets a
         * pending semihosting call asked again. */
        syscall_pending.sent = false;
        gdb->connected = false;
        gdb->running = false;
        remove_all_breakpoints();
        break;
    default:
        break;
    }
}

/* ---- starting and stopping ---- */

static void gdbserver_stop(void)
{
    if (!gdb) {
        return;
    }
    if (gdb->connected) {
        remove_all_breakpoints();
    }
    chr_fe_deinit(&gdb->be);
    if (gdb->own_chr) {
        chardev_delete(gdb->chr);
    }
    gdb_reader_free(&gdb->reader);
    g_string_free(gdb->last_packet, TRUE);
    g_array_unref(gdb->breakpoints);
    g_clear_pointer(&gdb, g_free);
}

/* Whether the comma-separated options after the address name key. */
static bool spec_has_option(const char *spec, const char *key)
{
    g_auto(GStrv) parts = g_strsplit(spec, ",", -1);

    for (char **p = parts + 1; *p && p[0]; p++) {
        if (g_str_has_prefix(*p, key)) {
            return true;
        }
    }
    return false;
}

/* "tcp:" listens without waiting for the debugger, as QEMU's -gdb. */
static char *chardev_spec(const char *device)
{
    GString *spec = g_string_new(device);

    if (g_str_has_prefix(device, "tcp:")) {
        if (!spec_has_option(device, "server")) {
            g_string_append(spec, ",server=on");
        }
        if (!spec_has_option(device, "wait") &&
            !spec_has_option(device, "nowait")) {
            g_string_append(spec, ",wait=off");
        }
    }
    return g_string_free(spec, FALSE);
}

bool gdbserver_start(const char *device, Error **errp)
{
    g_autofree char *spec = NULL;
    Chardev *chr;

    if (!cpus || !cpus->len) {
        error_setg(errp, "the machine has no vCPU to debug");
        return false;
    }
    if (!CPU_GET_CLASS(cpu_by_index(0))->gdb_arch) {
        error_setg(errp, "the gdb stub does not know this CPU's registers");
        return false;
    }
    if (!accel_can_debug()) {
        warn_report("the gdb stub has no breakpoints, watchpoints or "
                    "single-step under %s on this host: registers, memory, "
                    "continue and Ctrl-C only", accel_name());
    }
    gdbserver_stop();
    if (!strcmp(device, "none")) {
        return true;
    }
    spec = chardev_spec(device);
    chr = chardev_new_from_legacy(spec, "gdb", errp);
    if (!chr) {
        return false;
    }
    gdb = g_new0(GDBState, 1);
    gdb->chr = chr;
    gdb->own_chr = !g_str_has_prefix(device, "chardev:");
    gdb->last_packet = g_string_new(NULL);
    gdb->breakpoints = g_array_new(FALSE, FALSE, sizeof(GDBBreakpoint));
    gdb->c_cpu = gdb->g_cpu = cpu_by_index(0);
    gdb_reader_init(&gdb->reader);
    if (!chr_fe_init(&gdb->be, chr, errp)) {
        if (gdb->own_chr) {
            chardev_delete(chr);
        }
        gdb->own_chr = false;
        gdb->chr = NULL;
        gdb_reader_free(&gdb->reader);
        g_string_free(gdb->last_packet, TRUE);
        g_array_unref(gdb->breakpoints);
        g_clear_pointer(&gdb, g_free);
        return false;
    }
    if (!runstate_hooked) {
        vm_add_change_state_handler(gdb_vm_state_changed, NULL);
        runstate_hooked = true;
    }
    chr_fe_set_handlers(&gdb->be, gdb_can_read, gdb_read, gdb_event, NULL);
    return true;
}

bool gdbserver_running(void)
{
    return gdb != NULL;
}

bool gdbserver_attached(void)
{
    return gdb && gdb->connected;
}
