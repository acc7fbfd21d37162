# The options CI scripts put around a machine: -name, -pidfile,
# -daemonize, -msg, -rtc, -boot, -global, -L, -net/-nic none, -sandbox off
# (-sandbox on is test_sandbox.py),
# -accel tcg,thread=, and what emu refuses (-object types other than
# the memory backends of test_memory_backend.py; -icount is in
# test_icount.py).  Refusals
# are compared with qemu-system-arm's own words where it is installed.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import shutil
import signal
import subprocess
import time

from emutest import (PipeMonitor, Skip, binary, main, run, run_fails, tempdir,
                     TIMEOUT)

QEMU = shutil.which("qemu-system-arm")


def qemu_stderr(args):
    """QEMU's refusal of the same line, in emu's name; None without QEMU."""
    if not QEMU:
        return None
    proc = subprocess.run([QEMU, *args, "-display", "none"],
                          stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert proc.returncode == 1, (args, proc.returncode, proc.stderr)
    return proc.stderr.replace("qemu-system-arm", "emu-system-arm")


def refused_as_qemu(args, expected):
    """emu refuses args with exactly expected; so does QEMU if here."""
    err = run_fails([*args, "-display", "none"])
    assert err == expected, err
    reference = qemu_stderr(args)
    assert reference is None or reference == expected, reference


def test_refusals_match_qemu():
    cases = [
        (["-M", "none", "-name", "guest=g1,foo=1"],
         "emu-system-arm: -name guest=g1,foo=1: Invalid parameter 'foo'\n"),
        (["-M", "none", "-msg", "foo=on"],
         "emu-system-arm: -msg foo=on: Invalid parameter 'foo'\n"),
        (["-M", "none", "-sandbox", "foo"],
         "emu-system-arm: -sandbox foo: Parameter 'enable' expects 'on' or "
         "'off'\n"),
        (["-M", "none", "-nographic", "-daemonize"],
         "emu-system-arm: -nographic cannot be used with -daemonize\n"),
        (["-M", "none", "-daemonize", "-serial", "stdio"],
         "emu-system-arm: -serial stdio: cannot use stdio with -daemonize\n"
         "emu-system-arm: -serial stdio: could not connect serial device to "
         "character backend 'stdio'\n"),
        (["-M", "none", "-pidfile", "/nonexistent/x.pid"],
         "emu-system-arm: cannot create PID file: Could not create "
         "'/nonexistent/x.pid': No such file or directory\n"),
        (["-M", "none", "-rtc", "base=foo"],
         "emu-system-arm: invalid datetime format\nvalid formats: "
         "'2006-06-17T16:01:21' or '2006-06-17'\n"),
        (["-M", "none", "-rtc", "clock=foo"],
         "emu-system-arm: invalid option value 'foo'\n"),
        (["-M", "none", "-boot", "cc"],
         "emu-system-arm: Boot device 'c' was given twice\n"),
        (["-M", "none", "-boot", "once=z"],
         "emu-system-arm: Invalid boot device 'z'\n"),
        (["-M", "none", "-boot", "menu=foo"],
         "emu-system-arm: Parameter 'boot.menu' expects 'on' or 'off'\n"),
        (["-M", "none", "-boot", "order=c,foo=1"],
         "emu-system-arm: Parameter 'boot.foo' is unexpected\n"),
        (["-M", "none", "-accel", "tcg,thread=foo"],
         "emu-system-arm: -accel tcg,thread=foo: Invalid 'thread' setting "
         "foo\n"),
        (["-M", "none,accel=tcg", "-accel", "tcg"],
         "emu-system-arm: The -accel and \"-machine accel=\" options are "
         "incompatible\n"),
    ]
    for args, expected in cases:
        refused_as_qemu(args, expected)


def test_msg_timestamp_and_guest_name():
    err = run_fails(["-M", "none", "-name", "g1", "-msg",
                     "timestamp=on,guest-name=on", "-serial", "foo:"])
    lines = err.splitlines()
    # QEMU's form: ISO 8601 UTC time, the guest's name, then the message.
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z"
    assert re.match(stamp + r" g1 emu-system-arm: -serial foo:: 'foo:' is "
                    r"not a valid char driver$", lines[0]), err
    assert re.match(stamp + " g1 emu-system-arm: -serial foo:: could not "
                    "connect serial device", lines[-1]), err


def test_pidfile_written_locked_and_removed():
    d = tempdir()
    pidfile = f"{d}/emu.pid"
    mon = PipeMonitor(["-M", "none", "-pidfile", pidfile])
    try:
        with open(pidfile) as f:
            assert f.read() == f"{mon.proc.pid}\n"
        # A second emu with the same file is refused, as with QEMU.
        err = run_fails(["-M", "none", "-pidfile", pidfile])
        assert err == ("emu-system-arm: cannot create PID file: Cannot lock "
                       "pid file: Resource temporarily unavailable\n"), err
        status, err = mon.quit()
        assert status == 0, err
    finally:
        mon.kill()
    assert not os.path.exists(pidfile)


def test_daemonize_returns_once_up_and_pidfile_names_the_daemon():
    d = tempdir()
    pidfile = f"{d}/emu.pid"
    qmp_path = f"{d}/qmp.sock"
    # The parent exits 0 only when the machine is up: the QMP socket
    # exists by then, with nothing to wait for.
    status, out, err = run(["-M", "none", "-daemonize", "-pidfile",
                            pidfile, "-qmp",
                            f"unix:{qmp_path},server=on,wait=off"])
    assert status == 0 and out == "" and err == "", (status, out, err)
    with open(pidfile) as f:
        pid = int(f.read())
    try:
        assert os.path.exists(qmp_path)
        # A session of its own, away from the terminal.
        assert os.getsid(pid) == pid
    finally:
        os.kill(pid, 15)
    deadline = time.monotonic() + TIMEOUT
    while os.path.exists(pidfile) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not os.path.exists(pidfile)


def test_daemonize_failure_is_the_parents_exit_status():
    status, _, err = run(["-M", "none", "-daemonize", "-device", "nosuch"])
    assert status == 1, status
    assert "'nosuch' is not a valid device model name" in err, err


def test_name_process_names_the_host_process():
    mon = PipeMonitor(["-M", "none", "-name", "guest=g1,process=emu-g1,"
                       "debug-threads=on"])
    try:
        with open(f"/proc/{mon.proc.pid}/comm") as f:
            assert f.read() == "emu-g1\n"
        status, err = mon.quit()
        assert status == 0, err
    finally:
        mon.kill()


def killed_report(program, sig):
    """What PROGRAM prints, and its exit status, when this test sends it
    SIG once it is up."""
    proc = subprocess.Popen([program, "-M", "none", "-display", "none",
                             "-monitor", "none", "-qmp", "stdio"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().startswith('{"QMP"')
        proc.send_signal(sig)
        err = proc.communicate(timeout=TIMEOUT)[1]
    finally:
        proc.kill()
        proc.wait()
    return err.replace("qemu-system-arm", "emu-system-arm"), proc.returncode


def test_termination_signal_report_names_the_sender():
    # QEMU names the process that sent the signal (by its argv[0]; the
    # sender here stays alive, so its name can be read).
    with open("/proc/self/cmdline") as f:
        me = f.read().split("\0")[0]
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        expected = (f"emu-system-arm: terminating on signal {int(sig)} from "
                    f"pid {os.getpid()} ({me})\n", 0)
        assert killed_report(binary("arm"), sig) == expected
        if QEMU:
            assert killed_report(QEMU, sig) == expected


def test_accepted_as_qemu_accepts_them():
    """Lines QEMU runs; emu runs them too (the monitor answers)."""
    for extra in (["-no-user-config", "-net", "none", "-nic", "none"],
                  ["-sandbox", "off"],
                  ["-boot", "order=cd,menu=on,splash-time=5,strict=off"],
                  ["-rtc", "base=localtime,clock=vm,driftfix=slew"],
                  ["-rtc", "base=2006-06-17T16:01:21,clock=rt"],
                  ["-accel", "tcg,thread=single"],
                  ["-accel", "tcg,thread=multi"],
                  ["-L", "/nonexistent"]):
        mon = PipeMonitor(["-M", "none", *extra])
        try:
            status, err = mon.quit()
            assert status == 0 and err == "", (extra, err)
        finally:
            mon.kill()


def test_global_sets_device_defaults():
    # The -device value still wins over the global.
    mon = PipeMonitor(["-M", "none", "-global", "unimplemented-device.size=0x100",
                       "-device", "unimplemented-device,name=u,base=0x1000",
                       "-device", "unimplemented-device,name=v,base=0x2000,"
                       "size=0x10"])
    try:
        text = mon.cmd("info mtree")
        assert "0000000000001000-00000000000010ff (prio -1000, i/o): u" in text, text
        assert "0000000000002000-000000000000200f (prio -1000, i/o): v" in text, text
        mon.quit()
    finally:
        mon.kill()
    err = run_fails(["-M", "none", "-global", "loader.bogus=5", "-device",
                     "loader,data=1,data-len=1"])
    assert err.startswith("emu-system-arm: -device loader,data=1,data-len=1: "
                          "can't apply global loader.bogus=5: "), err

def test_global_warnings():
    for spec, warning in (("foo.bar=1", "global foo.bar has invalid class name"),
                          ("loader.addr=5", "global loader.addr=5 not used")):
        mon = PipeMonitor(["-M", "none", "-global", spec])
        try:
            status, err = mon.quit()
            assert status == 0
            assert err == f"emu-system-arm: warning: {warning}\n", err
        finally:
            mon.kill()


def test_thread_single_with_several_vcpus_is_refused():
    if not os.path.exists(binary("x86_64")):
        raise Skip("no board of emu-system-arm has two vCPUs and x86_64 is not built")
    err = run_fails(["-M", "microvm", "-accel", "tcg,thread=single", "-smp",
                     "2"], "x86_64")
    assert err == ("emu-system-x86_64: -accel tcg,thread=single: "
                   "thread=single with 2 vCPUs is not supported: emu runs "
                   "each vCPU on its own host thread\nUse thread=multi (the "
                   "default).\n"), err


def test_refused_with_reason():
    err = run_fails(["-M", "none", "-nic", "user"])
    assert "this machine has no network card to connect -nic or -net " \
        "nic to" in err, err
    err = run_fails(["-M", "none", "-object", "tls-creds-anon,id=t"])
    assert err == "emu-system-arm: -object tls-creds-anon,id=t: Parameter " \
        "'qom-type' does not accept value 'tls-creds-anon'\n", err
    status, out, _ = run(["-object", "help"])
    # QEMU's list, of the types emu has.
    assert status == 0 and out == "List of user creatable objects:\n" \
        "  memory-backend-file\n  memory-backend-ram\n  rng-builtin\n" \
        "  rng-random\n  secret\n", out


def test_bios_found_through_L():
    d = tempdir()
    with open(f"{d}/fw.bin", "wb") as f:
        f.write(b"\xf4" * 65536)
    status, out, _ = run(["-L", d, "-L", "help"])
    assert status == 0 and out == f"{d}\n", out
    if not os.path.exists(binary("x86_64")):
        return
    mon = PipeMonitor(["-M", "microvm", "-L", d, "-bios", "fw.bin"], "x86_64")
    try:
        status, err = mon.quit()
        assert status == 0, err
    finally:
        mon.kill()

if __name__ == "__main__":
    main(globals())
