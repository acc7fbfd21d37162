# Helpers for functional tests: run the emulators, talk to the monitor,
# drive a terminal, report TAP.
# SPDX-License-Identifier: GPL-2.0-or-later
import atexit
import ctypes
import os
import platform
import pty
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import termios
import time
import traceback

# ---- every program a test starts dies with the test ----
#
# A test killed from outside (`timeout`, a CI job's limit, Ctrl-C in a
# terminal that does not reach the children) must not leave emu or QEMU
# running for hours: each child asks the kernel for SIGKILL when the
# test goes (PR_SET_PDEATHSIG), however the test ends, SIGKILL included.
# Importing this module arranges it for every subprocess.Popen and
# subprocess.run of the test, and Terminal does it for its pty child.

_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)
_TEST_PID = os.getpid()


def die_with_test():
    """In a child between fork and exec: SIGKILL when the test ends (the
    signal follows the thread that forked, so tests start programs from
    their main thread), and at once if it already has."""
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != _TEST_PID:
        os.kill(os.getpid(), signal.SIGKILL)


class _PopenDyingWithTest(subprocess.Popen):
    def __init__(self, *args, preexec_fn=None, **kwargs):
        def preexec():
            die_with_test()
            if preexec_fn:
                preexec_fn()

        super().__init__(*args, preexec_fn=preexec, **kwargs)


# subprocess.run and friends look Popen up in the module when called.
subprocess.Popen = _PopenDyingWithTest

BUILD_DIR = os.environ.get("EMU_BUILD_DIR",
                           os.path.join(os.path.dirname(__file__), "..", "..", "build"))
TIMEOUT = 20
PROMPT = "(emu) "


def _sanitizer_report_dir():
    """Under a sanitizer build (configure --enable-sanitizers), emulators
    write their ASan/LSan/UBSan reports into a directory of this run, so
    that a finding fails the test that caused it even when the test does
    not look at the exit status (an emulator killed at the end, say)."""
    if "ASAN_OPTIONS" not in os.environ:
        return None
    path = tempfile.mkdtemp(prefix="emu-sanitizer-")
    for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
        options = os.environ.get(var, "")
        os.environ[var] = (options + ":" if options else "") + \
            "log_path=" + os.path.join(path, "report")
    return path


SANITIZER_REPORTS = _sanitizer_report_dir()


def take_sanitizer_reports():
    """Returns (and removes) the reports written since the last call."""
    if not SANITIZER_REPORTS:
        return []
    reports = []
    for name in sorted(os.listdir(SANITIZER_REPORTS)):
        path = os.path.join(SANITIZER_REPORTS, name)
        with open(path, errors="replace") as f:
            reports.append(f.read())
        os.unlink(path)
    return reports


def binary(arch="arm"):
    return os.path.join(BUILD_DIR, "emu-system-" + arch)


def qemu_binary(arch="arm"):
    """QEMU's qemu-system-ARCH, the reference emu is compared with, or
    None when it is not installed."""
    return shutil.which(f"qemu-system-{arch}")


def emu_and_qemu(arch="arm"):
    """The programs a comparison runs: emu's, then QEMU's if installed."""
    qemu = qemu_binary(arch)
    return [binary(arch)] + ([qemu] if qemu else [])


def run(args, arch="arm", timeout=TIMEOUT, stdin=subprocess.DEVNULL):
    """Runs an emulator to completion; returns (status, stdout, stderr)."""
    proc = subprocess.run([binary(arch)] + args, stdin=stdin,
                          capture_output=True, text=True, timeout=timeout)
    return proc.returncode, proc.stdout, proc.stderr


def run_fails(args, arch="arm"):
    """Runs an emulator that must refuse its command line; returns stderr."""
    status, out, err = run(args, arch)
    assert status == 1, f"exit status {status}, stderr: {err!r}"
    return err


class Stream:
    """Reads text from a file descriptor until a pattern shows up."""

    def __init__(self, fd, drop_cr=False):
        self.fd = fd
        self.buffer = ""
        # A terminal shows "\r\r\n" for the monitor's "\r\n" (the tty adds
        # one, as with QEMU); tests of terminals compare without them.
        self.drop_cr = drop_cr

    def read_until(self, pattern, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            index = self.buffer.find(pattern)
            if index >= 0:
                end = index + len(pattern)
                text, self.buffer = self.buffer[:end], self.buffer[end:]
                return text
            left = deadline - time.monotonic()
            if left <= 0:
                # The end of what came tells where it stopped; summaries
                # of failures cut long lines short at their end.
                got = self.buffer[-2000:]
                raise AssertionError(f"timed out waiting for {pattern!r}; "
                                     f"got {len(self.buffer)} characters, "
                                     f"ending {got!r}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    data = b""
                if not data:
                    raise AssertionError(f"end of output while waiting for "
                                         f"{pattern!r}; got {self.buffer!r}")
                self.append(data)

    def append(self, data):
        text = data.decode("utf-8", "replace")
        self.buffer += text.replace("\r", "") if self.drop_cr else text

    def read_rest(self, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    data = b""
                if not data:
                    break
                self.append(data)
        text, self.buffer = self.buffer, ""
        return text


class Console:
    """An emulator (COMMAND: its argv) whose serial console is its stdio
    on pipes, stderr mixed in: out reads what it prints (CRs dropped),
    type() sends a line.  boot is what WAIT_BOOT() returned; if it
    fails, the emulator is ended (no caller gets the object to close)."""

    def __init__(self, command, wait_boot):
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.out = Stream(self.proc.stdout.fileno(), drop_cr=True)
        try:
            self.boot = wait_boot()
        except BaseException:
            self.close()
            raise

    def type(self, line):
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()
        self.proc.stdin.close()


class PipeMonitor:
    """An emulator with -monitor stdio on pipes: a script's view."""

    def __init__(self, args, arch="arm"):
        self.proc = subprocess.Popen([binary(arch)] + args + ["-monitor", "stdio"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.out = Stream(self.proc.stdout.fileno())
        self.banner = self.out.read_until(PROMPT)

    def cmd(self, line):
        """Sends a command; returns what it printed (echo and prompt removed)."""
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()
        text = self.out.read_until("\n" + PROMPT)
        echo = line + "\n"
        assert text.startswith(echo), f"no echo of {line!r} in {text!r}"
        return text[len(echo):-len(PROMPT)]

    def quit(self):
        self.proc.stdin.write(b"quit\n")
        self.proc.stdin.flush()
        status = self.proc.wait(timeout=TIMEOUT)
        self.proc.stdout.close()
        err = self.proc.stderr.read().decode()
        self.proc.stderr.close()
        self.proc.stdin.close()
        return status, err

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Terminal:
    """An emulator on a pseudo-terminal: a person's view."""

    def __init__(self, args, arch="arm"):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            die_with_test()
            # A person's shell starts programs on a terminal with none of
            # these ignored.  Python ignores the first two (subprocess
            # restores them the same way); a shell without job control
            # starts a background command, a test run too, with the
            # last two ignored, which emu, as QEMU, keeps.
            for sig in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT,
                        signal.SIGQUIT):
                signal.signal(sig, signal.SIG_DFL)
            os.execv(binary(arch), [binary(arch)] + args)
        self.out = Stream(self.fd, drop_cr=True)
        self.initial_mode = None

    def mode(self):
        return termios.tcgetattr(self.fd)

    def send(self, data):
        os.write(self.fd, data.encode() if isinstance(data, str) else data)

    def read_until(self, pattern, timeout=TIMEOUT):
        return self.out.read_until(pattern, timeout)

    def wait(self, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            self.out.read_rest(0.1)
        raise AssertionError("the emulator did not exit")

    def close(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


def unix_connect(path, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        try:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(path)
            return sock
        except OSError:
            sock.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class QMPClient:
    """A QMP session on a socket, as a script drives QEMU: raw lines in
    and out, so tests see exactly what the emulator sends."""

    def __init__(self, sock):
        self.sock = sock
        self.out = Stream(sock.fileno())
        self.greeting = self.read_line()

    def read_line(self, timeout=TIMEOUT):
        line = self.out.read_until("\r\n", timeout)
        return line[:-2]

    def read_message(self, timeout=TIMEOUT):
        import json
        return json.loads(self.read_line(timeout))

    def send(self, text):
        self.sock.sendall(text.encode() + b"\n")

    def cmd(self, name, args=None, **extra):
        """Sends a command; returns (reply, events that came before it)."""
        import json
        request = {"execute": name}
        if args is not None:
            request["arguments"] = args
        request.update(extra)
        self.send(json.dumps(request))
        events = []
        while True:
            msg = self.read_message()
            if "event" in msg:
                events.append(msg)
            else:
                return msg, events

    def negotiate(self):
        reply, _ = self.cmd("qmp_capabilities")
        assert reply == {"return": {}}, reply

    def hmp(self, line):
        """What an HMP command printed, through human-monitor-command
        (carriage returns dropped: QEMU's and emu's text alike)."""
        reply, _ = self.cmd("human-monitor-command", {"command-line": line})
        assert "return" in reply, reply
        return reply["return"].replace("\r", "")

    def close(self):
        self.sock.close()


def qmp_connect(path, timeout=TIMEOUT):
    return QMPClient(unix_connect(path, timeout))


class SocketMonitor:
    """HMP on a socket (-monitor unix:PATH,server=on,wait=off) of emu or,
    for a comparison, QEMU: cmd() returns what a command printed, without
    the echo of the line, QEMU's terminal escapes and carriage returns."""

    def __init__(self, path, timeout=TIMEOUT):
        self.sock = unix_connect(path, timeout)
        self.out = Stream(self.sock.fileno())
        self.prompt = None
        banner = self.out.read_until(") ", timeout)
        self.prompt = re.search(r"\((?:qemu|emu)\) $", banner).group(0)

    def cmd(self, line, timeout=TIMEOUT):
        self.sock.sendall(line.encode() + b"\n")
        text = strip_ansi(self.out.read_until("\n" + self.prompt, timeout))
        return text.replace("\r", "").split("\n", 1)[1][:-len(self.prompt)]

    def close(self):
        self.sock.close()


def strip_ansi(text):
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def monitor_script(program, args, commands, cwd=None, timeout=TIMEOUT):
    """Runs PROGRAM (emu, or QEMU for a comparison) with ARGS and
    -monitor stdio on pipes, types COMMANDS then quit; returns the list
    of what each command printed (from the line after the one it was
    typed on to the next prompt, without QEMU's terminal escapes and
    carriage returns) and the program's stderr."""
    proc = subprocess.run([program] + args + ["-monitor", "stdio"], cwd=cwd,
                          input="".join(c + "\n" for c in commands) +
                          "quit\n", capture_output=True, text=True,
                          timeout=timeout)
    text = strip_ansi(proc.stdout).replace("\r", "")
    typed = re.split(r"\((?:qemu|emu)\) ", text)[1:]
    assert len(typed) > len(commands), (program, args, text, proc.stderr)
    return [chunk.split("\n", 1)[1] for chunk in typed[:len(commands)]], \
        proc.stderr


class Skip(Exception):
    pass


def need_emulator(arch):
    """Skips unless emu-system-ARCH was built (--target-list)."""
    if not os.path.exists(binary(arch)):
        raise Skip(f"emu-system-{arch} is not built")


def kvm_compiled():
    with open(os.path.join(BUILD_DIR, "config-host.h")) as f:
        return "#define CONFIG_KVM\n" in f.read()


def need_kvm():
    """Skips, saying why, unless x86-64 guests can run under kvm here."""
    need_emulator("x86_64")
    if platform.machine() != "x86_64":
        raise Skip("x86 guests under kvm need an x86-64 host")
    if not kvm_compiled():
        raise Skip("kvm is not compiled in (--disable-kvm)")
    if not os.path.exists("/dev/kvm"):
        raise Skip("no /dev/kvm")
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        raise Skip("no permission on /dev/kvm")


def main(module_globals):
    """Runs every test_* function of the calling module and prints TAP."""
    tests = [(name, fn) for name, fn in module_globals.items()
             if name.startswith("test_") and callable(fn)]
    print(f"1..{len(tests)}", flush=True)
    failed = 0
    for number, (name, fn) in enumerate(tests, 1):
        try:
            fn()
            reports = take_sanitizer_reports()
            if reports:
                raise AssertionError("sanitizer reports:\n" +
                                     "\n".join(reports))
        except Skip as why:
            print(f"ok {number} {name} # SKIP {why}", flush=True)
            print(f"SKIP: {why}", file=sys.stderr)
        except Exception:
            failed += 1
            print(f"not ok {number} {name}", flush=True)
            text = traceback.format_exc() + "".join(take_sanitizer_reports())
            for line in text.splitlines():
                print(f"# {line}", flush=True)
        else:
            print(f"ok {number} {name}", flush=True)
    if SANITIZER_REPORTS:
        os.rmdir(SANITIZER_REPORTS)
    sys.exit(1 if failed else 0)


_TEMP_ROOT = None


def _remove_temp_root(signum=None, frame=None):
    shutil.rmtree(_TEMP_ROOT, ignore_errors=True)
    if signum is not None:
        # meson ends a test that ran out of time with SIGTERM: go as that
        # signal would have ended the test, without the files.
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


def tempdir():
    """A new directory for a test's files, inside one directory of this
    test process's that goes when the process ends (images, initramfs
    and ISOs add up to gigabytes over a few runs of the suite)."""
    global _TEMP_ROOT
    if _TEMP_ROOT is None:
        _TEMP_ROOT = tempfile.mkdtemp(prefix="emu-test-")
        atexit.register(_remove_temp_root)
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _remove_temp_root)
    return tempfile.mkdtemp(dir=_TEMP_ROOT)
