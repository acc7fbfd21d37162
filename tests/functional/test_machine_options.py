# Machine and host options that QEMU users' scripts (and libvirt) pass:
# -M pc,smm=/vmport=, -M virt,gic-version=/secure=/virtualization=,
# -overcommit.  What describes emu's hardware is accepted and the machine
# starts; what asks for hardware emu does not model is refused with the
# reason, never ignored.  QEMU's own messages are compared with QEMU's.
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import shutil
import subprocess

from emutest import (SANITIZER_REPORTS, TIMEOUT, Skip, binary, main,
                     need_emulator, qemu_binary, run_fails)

QUIT = '{"execute":"qmp_capabilities"}{"execute":"quit"}'


def start_and_quit(program, args, prefix=()):
    """Starts a machine stopped, quits it over QMP; (status, stdout,
    stderr)."""
    proc = subprocess.run(list(prefix) + [program, "-S", "-display", "none",
                                          "-qmp", "stdio"] + args,
                          input=QUIT, capture_output=True, text=True,
                          timeout=TIMEOUT)
    return proc.returncode, proc.stdout, proc.stderr


def assert_starts(arch, args):
    status, out, err = start_and_quit(binary(arch), args)
    assert status == 0 and err == "", (args, status, err)
    replies = [json.loads(line) for line in out.splitlines()]
    assert {"return": {}} in replies, (args, out)


def qemu_error(arch, args):
    """QEMU's message for a command line it refuses, emu's program name."""
    qemu = qemu_binary(arch)
    if not qemu:
        return None
    status, _, err = start_and_quit(qemu, args)
    assert status == 1, (args, err)
    return err.replace(f"qemu-system-{arch}", f"emu-system-{arch}")


def test_pc_smm_and_vmport():
    need_emulator("x86_64")
    for value in ("auto", "off"):
        assert_starts("x86_64", ["-M", f"pc,smm={value},vmport={value}"])
    assert_starts("x86_64", ["-M", "pc-i440fx-7.2,vmport=off,smm=off"])
    err = run_fails(["-M", "pc,smm=on"], "x86_64")
    assert err == ("emu-system-x86_64: smm=on: emu does not emulate System "
                   "Management Mode; use smm=off or smm=auto\n"), err
    err = run_fails(["-M", "pc,vmport=on"], "x86_64")
    assert err == ("emu-system-x86_64: vmport=on: emu has no VMware I/O "
                   "port; use vmport=off or vmport=auto\n"), err
    err = run_fails(["-M", "pc,smm=maybe"], "x86_64")
    # QEMU's words (it names no option).
    assert err == ("emu-system-x86_64: -M pc,smm=maybe: Parameter 'smm' "
                   "does not accept value 'maybe'\n"), err


def test_virt_gic_version():
    need_emulator("arm")
    for value in ("2", "max"):
        assert_starts("arm", ["-M", f"virt,gic-version={value}"])
    for value in ("3", "4"):
        err = run_fails(["-M", f"virt,gic-version={value}"])
        assert err == (f"emu-system-arm: gic-version={value}: emu's virt "
                       "has a GICv2 only; use gic-version=2 or max\n"), err
    # Words QEMU has for these: the same.
    for value in ("host", "5"):
        args = ["-M", f"virt,gic-version={value}"]
        err = run_fails(args)
        expected = qemu_error("arm", args)
        assert expected is None or err == expected, (err, expected)
        assert err.startswith(("emu-system-arm: gic-version=host requires "
                               "KVM\n", "emu-system-arm: Invalid "
                               "gic-version value\n")), err


def test_virt_secure_and_virtualization():
    need_emulator("arm")
    assert_starts("arm", ["-M", "virt,secure=off,virtualization=off"])
    err = run_fails(["-M", "virt,secure=on"])
    assert err == ("emu-system-arm: secure=on: emu's virt boots in "
                   "Non-secure state only (no TrustZone); use secure=off\n"), err
    err = run_fails(["-M", "virt,virtualization=on"])
    assert err == ("emu-system-arm: virtualization=on: emu does not emulate "
                   "the ARM Virtualization Extensions (EL2); use "
                   "virtualization=off\n"), err


def test_overcommit():
    assert_starts("arm", ["-M", "none", "-overcommit",
                          "mem-lock=off,cpu-pm=off"])
    # Root may lock any amount: the machine runs with all of it locked.
    assert_starts("arm", ["-M", "virt", "-overcommit", "mem-lock=on"])
    err = run_fails(["-M", "none", "-overcommit", "cpu-pm=on"])
    assert err == ("emu-system-arm: -overcommit cpu-pm=on: cpu-pm=on: emu "
                   "does not let the guest's HLT and MWAIT idle the host CPU; "
                   "use cpu-pm=off\n"), err
    for bad in ("mem-lock=maybe", "foo=on"):
        args = ["-M", "none", "-overcommit", bad]
        err = run_fails(args)
        expected = qemu_error("arm", args)
        assert expected is None or err == expected, (err, expected)
        assert err.startswith(f"emu-system-arm: -overcommit {bad}: "), err


def test_overcommit_lock_refused():
    """Without CAP_IPC_LOCK and with a small ulimit -l, mem-lock=on fails
    at start with mlockall's reason, as QEMU's."""
    capsh = shutil.which("capsh")
    if not capsh:
        raise Skip("capsh is not installed: no way to drop CAP_IPC_LOCK")
    if SANITIZER_REPORTS:
        # ASan's terabytes of reserved shadow memory: not what this tests.
        raise Skip("mlockall's failure is not checked in a sanitizer build")
    prefix = ["sh", "-c", 'ulimit -l 1024 && exec "$@"', "sh", capsh,
              "--drop=cap_ipc_lock", "--", "-c", 'exec "$0" "$@"']
    for program in [binary("arm")] + ([qemu_binary()] if qemu_binary()
                                      else []):
        status, _, err = start_and_quit(program, ["-M", "none", "-overcommit",
                                                  "mem-lock=on"], prefix)
        name = program.rsplit("/", 1)[-1]
        assert status == 1 and err.startswith(
            f"{name}: mlockall: Cannot allocate memory\n"), (program, err)


if __name__ == "__main__":
    main(globals())
