# -nographic on a real terminal: the monitor and serial port share it,
# Ctrl-A commands work, and the terminal is restored on every exit.
# SPDX-License-Identifier: GPL-2.0-or-later
import signal
import os
import termios

from emutest import PROMPT, Terminal, binary, main, run, strip_ansi

CTRL_A = "\x01"


def start(extra=()):
    term = Terminal(["-M", "none", "-m", "16M", "-nographic", "-S", *extra])
    term.initial_mode = term.mode()
    term.read_until(PROMPT)
    return term


def assert_restored(term):
    mode = term.mode()
    # lflag: echo and canonical input are back as they were.
    assert mode[3] & (termios.ECHO | termios.ICANON) == \
        term.initial_mode[3] & (termios.ECHO | termios.ICANON), mode
    assert mode == term.initial_mode, (mode, term.initial_mode)


def test_prompt_info_mtree_and_ctrl_a_x():
    term = start()
    try:
        # The terminal is raw while emu runs: no echo by the tty itself.
        assert not term.mode()[3] & termios.ECHO
        term.send("info mtree\r")
        text = strip_ansi(term.read_until("\n" + PROMPT))
        assert ("    0000000000000000-0000000000ffffff (prio 0, ram): ram\n"
                in text), text
        term.send(CTRL_A + "x")
        text = term.read_until("emu: Terminated")
        assert term.wait() == 0
        assert_restored(term)
    finally:
        term.close()


def test_ctrl_a_h_lists_keys():
    term = start()
    try:
        term.send(CTRL_A + "h")
        text = term.read_until("sends C-a")
        for line in ("C-a h    print this help", "C-a x    exit emulator",
                     "C-a c    switch between console and monitor"):
            assert line in text, text
        term.send(CTRL_A + "x")
        assert term.wait() == 0
    finally:
        term.close()


def test_ctrl_a_c_switches_and_monitor_still_answers():
    term = start()
    try:
        term.send(CTRL_A + "c")
        term.send(CTRL_A + "c")
        term.send("info status\r")
        text = strip_ansi(term.read_until("VM status: paused (prelaunch)"))
        assert "VM status" in text
        term.send("quit\r")
        assert term.wait() == 0
        assert_restored(term)
    finally:
        term.close()


def test_line_editing_and_history():
    term = start()
    try:
        # Type "info statxs", fix it with Left, Backspace; then recall it.
        term.send("info statxs")
        term.send("\x1b[D\x7fu\r")
        text = strip_ansi(term.read_until("VM status: paused (prelaunch)\n" + PROMPT))
        term.send("\x1b[A\r")
        text = strip_ansi(term.read_until("VM status: paused (prelaunch)\n" + PROMPT))
        assert "info status" in text, text
        term.send("quit\r")
        assert term.wait() == 0
    finally:
        term.close()


def test_terminal_restored_after_sigterm():
    term = start()
    try:
        os.kill(term.pid, signal.SIGTERM)
        assert term.wait() == 0
        assert_restored(term)
    finally:
        term.close()


def sanitizer_reports(sig):
    """True when AddressSanitizer, built into emu, takes sig to report a
    crash: it then exits its own way, after emu restored the terminal."""
    with open(binary(), "rb") as f:
        asan = b"__asan_init" in f.read()
    return asan and sig in (signal.SIGSEGV, signal.SIGBUS, signal.SIGFPE)


def test_terminal_restored_after_fatal_signals():
    """Every signal whose default action ends a process: emu restores the
    terminal, then dies of that signal (SIGINT, SIGTERM and SIGHUP shut
    it down cleanly instead, as in QEMU)."""
    signals = [signal.SIGTRAP, signal.SIGILL, signal.SIGUSR1, signal.SIGUSR2,
               signal.SIGALRM, signal.SIGVTALRM, signal.SIGPROF,
               signal.SIGXCPU, signal.SIGSYS, signal.SIGPWR,
               signal.SIGSTKFLT, signal.SIGQUIT, signal.SIGSEGV,
               signal.SIGBUS, signal.SIGABRT, signal.SIGFPE, signal.SIGIO, signal.SIGRTMIN, signal.SIGRTMIN + 7,
               signal.SIGRTMAX]
    for sig in signals:
        term = start()
        try:
            os.kill(term.pid, sig)
            status = term.wait()
            if not sanitizer_reports(sig):
                assert status == -sig, (sig, status)
            assert_restored(term)
        finally:
            term.close()
    for sig in (signal.SIGINT, signal.SIGHUP):
        term = start()
        try:
            os.kill(term.pid, sig)
            assert term.wait() == 0, sig
            assert_restored(term)
        finally:
            term.close()
    # SIGPIPE is ignored, as in QEMU: a reader that went away is an error
    # on a write, not the end of emu.  So is SIGXFSZ: a disk image past the
    # file-size limit is a failed write (EFBIG), not a killed guest.
    for sig in (signal.SIGPIPE, signal.SIGXFSZ):
        term = start()
        try:
            os.kill(term.pid, sig)
            term.send("info status\r")
            term.read_until("VM status: paused (prelaunch)")
            term.send("quit\r")
            assert term.wait() == 0, sig
            assert_restored(term)
        finally:
            term.close()



def test_serial_elsewhere_leaves_the_monitor_on_the_terminal():
    """QEMU: with -serial given, -nographic still puts a monitor on stdio."""
    for serial in ("null", "file:/dev/null"):
        term = Terminal(["-M", "none", "-nographic", "-serial", serial, "-S"])
        try:
            term.read_until(PROMPT)
            term.send("info status\r")
            text = strip_ansi(term.read_until("VM status: paused (prelaunch)"))
            assert "VM status" in text, text
            term.send("quit\r")
            assert term.wait() == 0
        finally:
            term.close()


def test_serial_stdio_is_refused_as_qemu_refuses_it():
    # QEMU 7.2's two lines: the monitor took stdio first.
    for args in (["-nographic", "-serial", "stdio"],
                 ["-nographic", "-serial", "null", "-serial", "stdio"]):
        status, _, err = run(["-M", "none", *args])
        assert status == 1, err
        assert err == ("emu-system-arm: -serial stdio: cannot use stdio by "
                       "multiple character devices\nemu-system-arm: -serial "
                       "stdio: could not connect serial device to character "
                       "backend 'stdio'\n"), err


if __name__ == "__main__":
    main(globals())
