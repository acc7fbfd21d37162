/*
 * The stdio backend: input from fd 0, output to fd 1.  When stdin is a
 * terminal it goes into raw mode (no echo, no line editing by the tty;
 * with signal=off Ctrl-C arrives as a byte), and every way out of the
 * process puts the terminal back as it was: cleanup, exit() through
 * atexit, and every signal whose default action ends the process (the
 * process then still dies of that signal).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "sysemu/process.h"
#include <signal.h>
#include <termios.h>
#include "chardev-internal.h"

typedef struct StdioChardev {
    Chardev parent;
    bool allow_signal;
    bool tty;
    GSource *read_src;
} StdioChardev;

static bool stdio_in_use;

/* Set while the terminal is raw; read by signal handlers. */
static volatile sig_atomic_t terminal_raw;
static struct termios saved_termios;

void chardev_restore_terminal(void)
{
    /* Only async-signal-safe calls: this runs in signal handlers. */
    if (terminal_raw) {
        terminal_raw = 0;
        tcsetattr(0, TCSANOW, &saved_termios);
    }
}

/*
 * Every signal whose default action ends the process, but SIGKILL and
 * SIGSTOP (which cannot be caught); the real-time ones are added in a
 * loop.  The first seven are crashes: a handler already there can only
 * be a crash reporter (AddressSanitizer's for SIGSEGV, SIGBUS, SIGFPE),
 * which is kept and runs after the terminal is restored.
 */
static const int fatal_signals[] = {
    SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS,
    SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGALRM, SIGVTALRM, SIGPROF,
    SIGUSR1, SIGUSR2, SIGXCPU, SIGXFSZ, SIGIO,
#ifdef SIGPWR
    SIGPWR,
#endif
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
};
#define N_CRASH_SIGNALS 7

/* What each signal did before ours: the default, or a crash reporter. */
static struct sigaction previous_action[NSIG];

static void restore_and_die(int sig, siginfo_t *info, void *context)
{
    chardev_restore_terminal();
    sigaction(sig, &previous_action[sig], NULL);
    /*
     * A fault by an instruction (the kernel sent it: si_code > 0) comes
     * back when this returns, now to the previous action with its real
     * details.  Any other signal, including a trap whose instruction is
     * done (int3), is sent again; SA_NODEFER delivers it right here.
     */
    if (info->si_code <= 0 ||
        (sig != SIGSEGV && sig != SIGBUS && sig != SIGFPE && sig != SIGILL)) {
        raise(sig);
    }
}

static void take_signal(int sig, bool crash)
{
    struct sigaction act = {
        .sa_sigaction = restore_and_die,
        .sa_flags = SA_SIGINFO | SA_NODEFER,
    };
    struct sigaction old;

    if (sigaction(sig, NULL, &old) < 0) {
        return;
    }
    /* Left alone: a signal something else handles (vl.c shuts down
     * cleanly on SIGTERM, the kvm vCPU kick is SIGUSR1) or ignores. */
    if (!crash && ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL)) {
        return;
    }
    if (crash && !(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_IGN) {
        return;
    }
    previous_action[sig] = old;
    sigemptyset(&act.sa_mask);
    sigaction(sig, &act, NULL);
}

static void install_restore_handlers(void)
{
    static bool installed;

    if (installed) {
        return;
    }
    installed = true;
    atexit(chardev_restore_terminal);
    for (size_t i = 0; i < ARRAY_SIZE(fatal_signals); i++) {
        take_signal(fatal_signals[i], i < N_CRASH_SIGNALS);
    }
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++) {
        take_signal(sig, false);
    }
}

static void make_terminal_raw(bool allow_signal)
{
    struct termios tio;

    if (tcgetattr(0, &saved_termios) < 0) {
        return;
    }
    tio = saved_termios;
    tio.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
                     ICRNL | IXON);
    /* Keep output processing: "\n" still moves to a new line. */
    tio.c_oflag |= OPOST;
    tio.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
    if (!allow_signal) {
        tio.c_lflag &= ~ISIG;
    }
    tio.c_cflag &= ~(CSIZE | PARENB);
    tio.c_cflag |= CS8;
    tio.c_cc[VMIN] = 1;
    tio.c_cc[VTIME] = 0;
    install_restore_handlers();
    terminal_raw = 1;
    tcsetattr(0, TCSANOW, &tio);
}

static void stdio_ready(Chardev *chr, GIOCondition cond)
{
    StdioChardev *s = container_of(chr, StdioChardev, parent);
    uint8_t buf[1024];
    int room = MIN(chr_be_can_write(chr), (int)sizeof(buf));
    ssize_t n;

    if (room <= 0) {
        return;
    }
    n = read(0, buf, room);
    if (n > 0) {
        chr_be_write(chr, buf, n);
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        /* End of input: output still works, so the backend stays. */
        chr_fd_source_remove(&s->read_src);
    }
}

static bool stdio_parse(Chardev *chr, KeyValList *kv, Error **errp)
{
    StdioChardev *s = container_of(chr, StdioChardev, parent);

    return chr_opt_bool(kv, "signal", true, &s->allow_signal, errp);
}

static bool stdio_open(Chardev *chr, Error **errp)
{
    StdioChardev *s = container_of(chr, StdioChardev, parent);

    /* A daemon's stdio is /dev/null: refused as QEMU refuses it. */
    if (process_is_daemonized()) {
        error_setg(errp, "cannot use stdio with -daemonize");
        return false;
    }
    if (stdio_in_use) {
        error_setg(errp, "cannot use stdio by multiple character devices");
        return false;
    }
    stdio_in_use = true;
    s->tty = isatty(0);
    if (s->tty) {
        make_terminal_raw(s->allow_signal);
    }
    s->read_src = chr_fd_source_add(chr, 0, stdio_ready);
    chr->be_open = true;
    return true;
}

static int stdio_write(Chardev *chr, const uint8_t *buf, int len, bool all)
{
    int ret;

    /* Terminal output is never dropped: wait for room even without all. */
    g_mutex_lock(&chr->lock);
    ret = chr_fd_write(1, buf, len, true, false);
    g_mutex_unlock(&chr->lock);
    return ret;
}

static char *stdio_filename(Chardev *chr)
{
    return g_strdup("stdio");
}

static bool stdio_is_terminal(Chardev *chr)
{
    return container_of(chr, StdioChardev, parent)->tty;
}

static void stdio_close(Chardev *chr)
{
    StdioChardev *s = container_of(chr, StdioChardev, parent);

    if (chr->opened) {
        chr_fd_source_remove(&s->read_src);
        chardev_restore_terminal();
        stdio_in_use = false;
    }
}

const ChardevDriver chardev_stdio_driver = {
    .name = "stdio",
    .instance_size = sizeof(StdioChardev),
    .parse = stdio_parse,
    .open = stdio_open,
    .write = stdio_write,
    .filename = stdio_filename,
    .is_terminal = stdio_is_terminal,
    .close = stdio_close,
};
