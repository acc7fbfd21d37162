# The command line: lists, help and bad input (exit 1, the bad word named).
# SPDX-License-Identifier: GPL-2.0-or-later
import os

from emutest import PipeMonitor, binary, main, run, run_fails


def test_machine_help():
    status, out, err = run(["-M", "help"])
    assert status == 0, err
    assert out == ("Supported machines are:\n"
                   "connex               Gumstix Connex (PXA255)\n"
                   "none                 empty machine\n"), out


def test_machine_help_on_both_emulators():
    for arch in ("arm", "x86_64"):
        if not os.path.exists(binary(arch)):
            continue            # not in --target-list
        status, out, _ = run(["-machine", "help"], arch)
        assert status == 0 and "none                 empty machine\n" in out


def test_device_help():
    status, out, _ = run(["-device", "help"])
    assert status == 0
    assert out.startswith("Misc devices:\n"), out
    assert 'name "loader", desc "Generic Loader"\n' in out, out
    assert ('name "unimplemented-device", bus system-bus, '
            'desc "a window of MMIO that logs accesses under -d unimp"\n') in out, out


def test_device_properties_help():
    status, out, _ = run(["-device", "unimplemented-device,help"])
    assert status == 0
    assert out == ("unimplemented-device options:\n"
                   "  base=<uint64>          - address to map it at (with -device) "
                   "(default: 18446744073709551615)\n"
                   "  name=<str>             - name shown in info mtree and in the logs\n"
                   "  size=<size>            - size of the window (default: 0)\n"), out


def test_accel_help():
    status, out, _ = run(["-accel", "help"])
    assert status == 0
    assert out == "Accelerators supported in emu binary:\ntcg\nkvm\n", out


def test_cpu_help():
    status, out, _ = run(["-cpu", "help"])
    assert status == 0 and out.startswith("Available CPUs:\n"), out


def test_log_help():
    status, out, _ = run(["-d", "help"])
    assert status == 0
    # QEMU's items and texts, in QEMU's order
    assert out.startswith("Log items (comma separated):\nout_asm         show "
                          "generated host assembly code for each compiled TB\n"), out
    for item in ("in_asm", "op", "op_opt", "int", "exec", "cpu", "nochain",
                 "unimp", "guest_errors"):
        assert f"\n{item:<15} " in out, (item, out)


def test_version_and_help():
    status, out, _ = run(["-version"])
    assert status == 0 and out.startswith("emu emulator version "), out
    status, out, _ = run(["-help"])
    assert status == 0 and "-nographic" in out and "-machine|-M" in out, out


def test_unknown_machine():
    err = run_fails(["-M", "foo"])
    assert err == ("emu-system-arm: -M foo: unsupported machine type 'foo'\n"
                   "emu-system-arm: -M foo: Use -machine help to list "
                   "supported machines\n"), err


def test_unknown_machine_property():
    err = run_fails(["-M", "none,foo=bar"])
    assert err == ("emu-system-arm: -M none,foo=bar: 'none-machine' has no "
                   "property 'foo'\nIt has no properties.\n"), err


def test_bad_ram_size():
    err = run_fails(["-M", "none", "-m", "16Q"])
    assert "-m 16Q: invalid RAM size '16Q'" in err, err
    err = run_fails(["-M", "none", "-m", "0"])
    assert "-m 0: RAM size must be larger than 0" in err, err
    err = run_fails(["-M", "none", "-m", "size=16M,slots=2"])
    assert "unsupported -m parameter 'slots'" in err, err


def test_ram_size_the_host_cannot_give():
    err = run_fails(["-M", "none", "-m", "15E", "-nodefaults"])
    assert err == ("emu-system-arm: cannot allocate 15 EiB for 'ram': Cannot "
                   "allocate memory\nAsk for less guest RAM with -m.\n"), err


def test_bad_smp():
    err = run_fails(["-M", "none", "-smp", "x"])
    assert "-smp x: invalid number of CPUs 'x'" in err, err
    err = run_fails(["-M", "none", "-smp", "2"])
    assert "machine 'none' supports at most 1 CPU(s), not 2" in err, err


def test_unknown_cpu():
    err = run_fails(["-M", "none", "-cpu", "foo"])
    assert "-cpu foo: unable to find CPU model 'foo'" in err, err


def test_unknown_device():
    err = run_fails(["-M", "none", "-device", "foo"])
    assert ("emu-system-arm: -device foo: 'foo' is not a valid device model "
            "name\n") in err, err


def test_device_bad_property():
    err = run_fails(["-M", "none", "-device", "unimplemented-device,bar=1"])
    assert ("-device unimplemented-device,bar=1: 'unimplemented-device' has "
            "no property 'bar'\nIts properties are: base, name, size\n") in err, err


def test_device_bad_value():
    err = run_fails(["-M", "none", "-device",
                     "unimplemented-device,name=u,size=16Q"])
    assert ("property 'unimplemented-device.size' expects a size (a number "
            "with an optional k, M, G, T, P or E suffix), not '16Q'") in err, err


def test_device_realize_error():
    err = run_fails(["-M", "none", "-device", "unimplemented-device,name=u"])
    assert "unimplemented-device 'u' needs a size (size=...)" in err, err


def test_device_duplicate_and_bad_id():
    dev = "unimplemented-device,name=u,size=4k,base=0x1000,id=a"
    err = run_fails(["-M", "none", "-device", dev, "-device", dev])
    assert "duplicate id 'a'" in err, err
    err = run_fails(["-M", "none", "-device",
                     "unimplemented-device,name=u,size=4k,id=1x"])
    assert "invalid id '1x'" in err, err


def test_loader_errors():
    err = run_fails(["-M", "none", "-device", "loader,addr=0"])
    assert "loader: nothing to load" in err, err
    err = run_fails(["-M", "none", "-device", "loader,data=0x100,data-len=1"])
    assert "loader: data 0x100 does not fit in 1 bytes" in err, err
    err = run_fails(["-M", "none", "-device", "loader,data=1,data-len=3"])
    assert "loader: data-len must be 1, 2, 4 or 8, not 3" in err, err
    err = run_fails(["-M", "none", "-device", "loader,file=/nonexistent.bin"])
    assert "loader: cannot read '/nonexistent.bin'" in err, err


def test_boot_options_need_a_board_that_boots():
    err = run_fails(["-M", "none", "-kernel", "bzImage"])
    assert "-kernel bzImage: machine 'none' does not boot a kernel directly" in err, err
    err = run_fails(["-M", "none", "-bios", "x.bin"])
    assert "-bios x.bin: machine 'none' does not load firmware" in err, err


def test_unknown_accel():
    err = run_fails(["-M", "none", "-accel", "foo"])
    assert "-accel foo: invalid accelerator 'foo'" in err, err


# What -accel kvm says for an ARM guest: the host cannot run it, or (in a
# build configured with --disable-kvm) kvm is not there at all.
KVM_REFUSALS = ("kvm cannot run arm guests on this host: KVM runs guests of "
                "the host's own architecture only\nUse -accel tcg to emulate "
                "arm.\n",
                "kvm support is not compiled into this emu\nReconfigure "
                "without --disable-kvm")


def test_kvm_for_arm_guest():
    err = run_fails(["-M", "none", "-accel", "kvm"])
    assert any("-accel kvm: " + why in err for why in KVM_REFUSALS), err


def test_accel_fallback():
    mon = PipeMonitor(["-M", "none", "-accel", "kvm", "-accel", "tcg"])
    try:
        status, err = mon.quit()
    finally:
        mon.kill()
    assert status == 0
    assert any("warning: " + why.split("\n")[0] in err
               for why in KVM_REFUSALS), err


def test_bad_log_item():
    err = run_fails(["-M", "none", "-d", "unimp,bogus"])
    assert "-d unimp,bogus: unknown log item 'bogus'\nKnown items: out_asm, " in err, err


def test_invalid_option():
    err = run_fails(["-frobnicate"])
    assert err.startswith("emu-system-arm: -frobnicate: invalid option\n"), err
    err = run_fails(["-M", "none", "-m"])
    assert "-m: requires an argument: -m [size=]SIZE" in err, err
    err = run_fails(["stray"])
    assert "'stray': not an option" in err, err


def test_bad_serial_and_chardev():
    err = run_fails(["-M", "none", "-serial", "foo:"])
    assert "-serial foo:: 'foo:' is not a valid char driver" in err, err
    err = run_fails(["-M", "none", "-chardev", "foo,id=x"])
    assert "-chardev foo,id=x:" in err and "'foo'" in err, err
    err = run_fails(["-M", "none", "-mon", "chardev=nope"])
    assert "no chardev with id 'nope'" in err, err


def test_bad_display():
    err = run_fails(["-M", "none", "-display", "gtk"])
    assert "-display gtk: display 'gtk' is not available" in err, err


if __name__ == "__main__":
    main(globals())
