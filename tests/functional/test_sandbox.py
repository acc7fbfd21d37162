# -sandbox on: the seccomp filter QEMU 7.2 installs, built by emu as raw
# BPF.  Its option errors are compared with qemu-system-arm's words; a
# denied call is made inside the running emulator (gdb attaches and
# calls libc's syscall()) and must end as it ends inside QEMU (killed
# with SIGSYS, or failing with EPERM); and a Debian guest on -M pc with
# a disk, user networking, HMP and QMP runs under the strictest filter.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import shutil
import signal
import subprocess
import time

from emutest import (QMPClient, Skip, SocketMonitor, TIMEOUT, binary, main,
                     qemu_binary, tempdir, unix_connect)
from test_cmdline_host import refused_as_qemu

# x86-64's numbers, what the filter is written for.
SYS_EXECVE = 59
SYS_SYSFS = 139
SYS_SETPRIORITY = 141
SYS_SETUID = 105
SYS_MOUNT = 165

ALL_DENIED = ("on,obsolete=deny,elevateprivileges=deny,spawn=deny,"
              "resourcecontrol=deny")


def test_wrong_values_refused_as_qemu():
    cases = {
        "on,obsolete=maybe": "invalid argument for obsolete",
        "on,elevateprivileges=maybe": "invalid argument for "
                                      "elevateprivileges",
        "on,spawn=children": "invalid argument for spawn",
        "on,resourcecontrol=x": "invalid argument for resourcecontrol",
        "on,foo=1": "Invalid parameter 'foo'",
        "maybe": "Parameter 'enable' expects 'on' or 'off'",
    }
    for opts, message in cases.items():
        refused_as_qemu(["-M", "none", "-sandbox", opts],
                        f"emu-system-arm: -sandbox {opts}: {message}\n")


def filtered(pid):
    """Whether every thread of PID is under a seccomp filter."""
    tasks = os.listdir(f"/proc/{pid}/task")
    for tid in tasks:
        with open(f"/proc/{pid}/task/{tid}/status") as f:
            if "Seccomp:\t2\n" not in f.read():
                return False
    return True


class Sandboxed:
    """PROGRAM (emu's or QEMU's) on -M none under -sandbox OPTS, paused,
    with nothing on stdio, once its filter is in place."""

    def __init__(self, program, opts):
        env = dict(os.environ)
        if "spawn=deny" in opts and "ASAN_OPTIONS" in env:
            # LeakSanitizer's exit check runs in a clone that is not a
            # thread, which spawn=deny rightly kills.
            env["ASAN_OPTIONS"] += ":detect_leaks=0"
        self.proc = subprocess.Popen(
            [program, "-M", "none", "-display", "none", "-S", "-monitor",
             "none", "-serial", "none", "-sandbox", opts],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, env=env)
        deadline = time.monotonic() + TIMEOUT
        while not filtered(self.proc.pid):
            assert self.proc.poll() is None, self.proc.stderr.read()
            assert time.monotonic() < deadline, "no filter installed"
            time.sleep(0.05)

    def syscall(self, nr, *args):
        """Makes the call in the emulator (gdb stops it, calls libc's
        syscall() in its main thread and lets it go on).  Returns
        (result, errno), or None when the call ended the process."""
        argv = ", ".join([str(nr)] + [str(a) for a in args])
        workdir = tempdir()
        out = subprocess.run(
            ["gdb", "-nx", "-batch", "-p", str(self.proc.pid),
             "-iex", "maint set internal-error quit yes",
             "-iex", "maint set internal-error corefile no",
             "-ex", f"print (long)syscall({argv})",
             "-ex", "print *(int *)__errno_location()"],
            cwd=workdir, stdin=subprocess.DEVNULL, capture_output=True,
            text=True, timeout=120)
        values = re.findall(r"^\$\d+ = (-?\d+)$", out.stdout, re.M)
        if len(values) == 2:
            return int(values[0]), int(values[1])
        self.proc.wait(TIMEOUT)
        return None

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc.stderr.close()


def need_gdb():
    if not shutil.which("gdb"):
        raise Skip("gdb is not installed (Debian's gdb)")
    if os.uname().machine != "x86_64":
        raise Skip("the filter is written for x86-64 hosts")


def programs():
    qemu = qemu_binary("arm")
    return [binary("arm")] + ([qemu] if qemu else [])


def outcome(program, opts, nr, *args):
    """What one call does inside PROGRAM under -sandbox OPTS: (result,
    errno) or "SIGSYS" when the process was killed for it."""
    sandboxed = Sandboxed(program, opts)
    try:
        result = sandboxed.syscall(nr, *args)
        if result is None:
            assert sandboxed.proc.returncode == -signal.SIGSYS, \
                sandboxed.proc.returncode
            return "SIGSYS"
        return result
    finally:
        sandboxed.close()


def test_denied_calls_end_as_in_qemu():
    need_gdb()
    # (options, call, what QEMU 7.2 does: killed, EPERM, or let through)
    cases = [
        ("on", (SYS_MOUNT, 0, 0, 0, 0, 0), "SIGSYS"),
        ("on", (SYS_SYSFS, 3), "SIGSYS"),
        ("on,obsolete=allow", (SYS_SYSFS, 3), "runs"),
        ("on,spawn=deny", (SYS_EXECVE, 0, 0, 0), "SIGSYS"),
        ("on,elevateprivileges=deny", (SYS_SETUID, 0), "SIGSYS"),
        ("on,elevateprivileges=children", (SYS_SETUID, 0), "SIGSYS"),
        ("on", (SYS_SETUID, 0), "runs"),
        ("on,resourcecontrol=deny", (SYS_SETPRIORITY, 0, 0, 5), (-1, 1)),
        ("on", (SYS_SETPRIORITY, 0, 0, 5), (0, None)),
    ]
    for program in programs():
        for opts, call, expected in cases:
            got = outcome(program, opts, *call)
            if expected == "runs":
                assert got != "SIGSYS", (program, opts, call)
            elif isinstance(expected, tuple) and expected[1] is None:
                assert got[0] == expected[0], (program, opts, call, got)
            else:
                assert got == expected, (program, opts, call, got)


def test_daemonize_then_filter():
    """emu filters once the machine is up, after -daemonize's fork: the
    daemon runs under spawn=deny (QEMU, filtering first, is killed)."""
    pidfile = os.path.join(tempdir(), "emu.pid")
    proc = subprocess.run([binary("arm"), "-M", "none", "-display", "none",
                           "-daemonize", "-pidfile", pidfile, "-sandbox",
                           "on,spawn=deny"], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr
    with open(pidfile) as f:
        pid = int(f.read())
    try:
        assert filtered(pid)
    finally:
        os.kill(pid, signal.SIGKILL)


def test_linux_guest_works_under_the_strictest_filter():
    """A Debian guest with a virtio disk and user networking, HMP and
    QMP on sockets, all under every group denied: the guest reads and
    writes its disk and talks to the host; both monitors answer; every
    thread of emu is filtered; poweroff ends emu with status 0."""
    from pclinux import DEVICE_TEST_APPEND, PC, VIRTIO_PCI_MODULES, \
        amd64_kernel, pc_initramfs
    from test_pc_linux_virtio import DISK_SIZE, GUEST_OFFSET, GUEST_TEXT, \
        HOST_TEXT, disk_image
    from test_virt_net import free_tcp_port, guest_network_checks, \
        host_listener

    fwd_port = free_tcp_port()
    disk = disk_image()
    sockets = tempdir()
    hmp_path = os.path.join(sockets, "hmp")
    qmp_path = os.path.join(sockets, "qmp")
    saved = os.environ.get("ASAN_OPTIONS")
    if saved is not None:
        # LeakSanitizer's exit check runs in a clone that is not a
        # thread, which spawn=deny rightly kills.
        os.environ["ASAN_OPTIONS"] = saved + ":detect_leaks=0"
    try:
        pc = PC(["-M", "pc", "-accel", "tcg", "-kernel", amd64_kernel(),
                 "-initrd", pc_initramfs(VIRTIO_PCI_MODULES), "-append",
                 DEVICE_TEST_APPEND,
                 "-netdev", f"user,id=n0,hostfwd=tcp:127.0.0.1:{fwd_port}-:80",
                 "-device", "virtio-net-pci,netdev=n0",
                 "-drive", f"file={disk},format=raw,if=none,id=d0",
                 "-device", "virtio-blk-pci,drive=d0",
                 "-monitor", f"unix:{hmp_path},server=on,wait=off",
                 "-qmp", f"unix:{qmp_path},server=on,wait=off",
                 "-sandbox", ALL_DENIED])
    finally:
        if saved is not None:
            os.environ["ASAN_OPTIONS"] = saved
    listener = host_listener()
    hmp = qmp = None
    try:
        assert filtered(pc.proc.pid)
        hmp = SocketMonitor(hmp_path)
        assert hmp.cmd("info status") == "VM status: running\n"
        qmp = QMPClient(unix_connect(qmp_path))
        qmp.negotiate()
        reply, _ = qmp.cmd("query-status")
        assert reply["return"]["status"] == "running", reply
        assert "virtio-blk-pci" in qmp.hmp("info qtree")

        pc.run(f"head -c {len(HOST_TEXT)} /dev/vda", HOST_TEXT.decode())
        pc.run(f"echo {GUEST_TEXT} | dd of=/dev/vda bs=512 "
               f"seek={GUEST_OFFSET // 512} conv=fsync 2>/dev/null; "
               "echo synced-$((40+2))", "synced-42\n")
        guest_network_checks(pc, listener, fwd_port)
        # Threads started since the filter went on have it too.
        assert filtered(pc.proc.pid)
        pc.poweroff()
    finally:
        listener.close()
        for monitor in (hmp, qmp):
            if monitor:
                monitor.close()
        pc.close()
    with open(disk, "rb") as f:
        assert os.path.getsize(disk) == DISK_SIZE
        f.seek(GUEST_OFFSET)
        assert f.read(len(GUEST_TEXT) + 1) == GUEST_TEXT.encode() + b"\n"


if __name__ == "__main__":
    main(globals())
