/*
 * -name, -uuid, -pidfile, -daemonize, -overcommit mem-lock, and the
 * signals that end emu (see include/sysemu/process.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sysemu/process.h"
#include "util/cutils.h"
#include "util/keyval.h"
#include <fcntl.h>
#include <glib-unix.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>

static char *guest_name;
static char vm_uuid_text[37] = "00000000-0000-0000-0000-000000000000";
static char *pidfile_path;
static int pidfile_fd = -1;
static int daemon_status_fd = -1;  /* the child's end of the pipe */
static bool daemonized;

bool process_parse_name(const char *opts, Error **errp)
{
    g_autoptr(KeyValList) kv = keyval_parse(opts, "guest", errp);
    const char *process, *debug_threads;
    const KeyValPair *extra;
    bool on;

    if (!kv) {
        return false;
    }
    g_free(guest_name);
    guest_name = g_strdup(keyval_take(kv, "guest"));
    process = keyval_take(kv, "process");
    debug_threads = keyval_take(kv, "debug-threads");
    extra = keyval_first_unused(kv);
    if (extra) {
        error_setg(errp, "Invalid parameter '%s'", extra->key);
        return false;
    }
    /* emu names its threads always ("CPU 0/TCG"): accepted for QEMU's
     * scripts, nothing to switch. */
    if (debug_threads && !parse_bool(debug_threads, &on)) {
        error_setg(errp, "Parameter 'debug-threads' expects 'on' or 'off'");
        return false;
    }
    if (process) {
        /* What ps -o comm and top show; the kernel keeps 15 bytes. */
        prctl(PR_SET_NAME, process);
    }
    return true;
}

const char *vm_name(void)
{
    return guest_name;
}

bool process_parse_uuid(const char *text, Error **errp)
{
    /* QEMU's form only: glib's check takes the same 36 characters. */
    if (!g_uuid_string_is_valid(text)) {
        error_setg(errp, "failed to parse UUID string: wrong format");
        return false;
    }
    for (int i = 0; text[i]; i++) {
        vm_uuid_text[i] = g_ascii_tolower(text[i]);
    }
    return true;
}

const char *vm_uuid(void)
{
    return vm_uuid_text;
}

void vm_uuid_bytes(uint8_t out[16])
{
    const char *text = vm_uuid_text;

    for (int i = 0; i < 16; i++) {
        if (*text == '-') {
            text++;
        }
        out[i] = g_ascii_xdigit_value(text[0]) << 4 |
                 g_ascii_xdigit_value(text[1]);
        text += 2;
    }
}

static void remove_pidfile(void)
{
    /* Only the process that wrote it: a -daemonize parent leaves it. */
    if (pidfile_fd >= 0) {
        unlink(pidfile_path);
        close(pidfile_fd);
        pidfile_fd = -1;
    }
}

bool process_create_pidfile(const char *path, Error **errp)
{
    g_autofree char *text = g_strdup_printf("%d\n", (int)getpid());
    int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);

    /* QEMU's messages: a second emu with the same file is refused. */
    if (fd < 0) {
        error_setg(errp, "cannot create PID file: Could not create '%s': %s",
                   path, strerror(errno));
        return false;
    }
    if (lockf(fd, F_TLOCK, 0) < 0) {
        error_setg(errp, "cannot create PID file: Cannot lock pid file: %s",
                   strerror(errno));
        close(fd);
        return false;
    }
    if (ftruncate(fd, 0) < 0 ||
        write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
        error_setg(errp, "cannot create PID file: Failed to write pid "
                   "file: %s", strerror(errno));
        close(fd);
        return false;
    }
    pidfile_fd = fd;
    /* Absolute: -daemonize changes to / before emu exits. */
    pidfile_path = g_canonicalize_filename(path, NULL);
    atexit(remove_pidfile);
    return true;
}

void process_daemonize_begin(void)
{
    int fds[2];
    pid_t pid;

    if (pipe(fds) < 0) {
        error_report("-daemonize: cannot create a pipe: %s", strerror(errno));
        exit(1);
    }
    pid = fork();
    if (pid < 0) {
        error_report("-daemonize: cannot fork: %s", strerror(errno));
        exit(1);
    }
    if (pid > 0) {
        char status = 1;

        close(fds[1]);
        /* EOF (the child died before it was up) reads as failure. */
        while (read(fds[0], &status, 1) < 0 && errno == EINTR) {
        }
        _exit(status ? 1 : 0);
    }
    close(fds[0]);
    daemon_status_fd = fds[1];
    daemonized = true;
    /* A session of its own: the terminal's hangup does not reach it. */
    setsid();
}

void process_daemonize_done(void)
{
    char ok = 0;
    int null_fd;

    if (daemon_status_fd < 0) {
        return;
    }
    if (chdir("/") < 0) {
        /* Only to not hold a directory busy: not worth failing for. */
    }
    null_fd = open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
        dup2(null_fd, STDIN_FILENO);
        dup2(null_fd, STDOUT_FILENO);
        dup2(null_fd, STDERR_FILENO);
        if (null_fd > STDERR_FILENO) {
            close(null_fd);
        }
    }
    while (write(daemon_status_fd, &ok, 1) < 0 && errno == EINTR) {
    }
    close(daemon_status_fd);
    daemon_status_fd = -1;
}

bool process_is_daemonized(void)
{
    return daemonized;
}

bool process_lock_memory(Error **errp)
{
    if (mlockall(MCL_CURRENT | MCL_FUTURE) < 0) {
        error_setg_errno(errp, errno, "mlockall");
        error_append_hint(errp, "locking memory failed: the limit of locked "
                          "memory (ulimit -l) is below emu's size, or the "
                          "host is short of RAM\n");
        return false;
    }
    return true;
}

/* ---- SIGINT, SIGTERM, SIGHUP ---- */

/*
 * glib's own signal sources do not say who sent a signal, and QEMU's
 * report names the sender, so the handler keeps the signal and the
 * sender's pid and wakes the main loop through a pipe.
 */
static volatile sig_atomic_t caught_signal;
static volatile sig_atomic_t caught_sender;
static int signal_pipe[2] = { -1, -1 };
static TerminationHandler termination_handler;

static void catch_termination_signal(int sig, siginfo_t *info, void *ctx)
{
    int saved_errno = errno;

    caught_sender = info->si_pid;
    caught_signal = sig;
    if (write(signal_pipe[1], "", 1) < 0) {
        /* The pipe is full: a wake-up is already pending. */
    }
    errno = saved_errno;
}

static gboolean deliver_termination_signal(int fd, GIOCondition cond,
                                           gpointer opaque)
{
    char drain[16];

    while (read(fd, drain, sizeof(drain)) > 0) {
    }
    if (caught_signal) {
        int sig = caught_signal;

        caught_signal = 0;
        termination_handler(sig, caught_sender);
    }
    return G_SOURCE_CONTINUE;
}

void process_watch_termination_signals(TerminationHandler handler)
{
    static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
    struct sigaction act = {
        .sa_sigaction = catch_termination_signal,
        .sa_flags = SA_SIGINFO | SA_RESTART,
    };
    GError *gerr = NULL;

    if (!g_unix_open_pipe(signal_pipe, FD_CLOEXEC, &gerr) ||
        !g_unix_set_fd_nonblocking(signal_pipe[0], true, &gerr) ||
        !g_unix_set_fd_nonblocking(signal_pipe[1], true, &gerr)) {
        g_error("signal pipe: %s", gerr->message);
    }
    termination_handler = handler;
    g_unix_fd_add_full(G_PRIORITY_HIGH, signal_pipe[0], G_IO_IN,
                       deliver_termination_signal, NULL, NULL);
    sigemptyset(&act.sa_mask);
    for (size_t i = 0; i < G_N_ELEMENTS(signals); i++) {
        sigaction(signals[i], &act, NULL);
    }
}

char *process_name_of(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/cmdline", (int)pid);
    char *cmdline = NULL;

    /* The command line's words are NUL-separated: the first is argv[0]. */
    g_file_get_contents(path, &cmdline, NULL, NULL);
    return cmdline;
}
