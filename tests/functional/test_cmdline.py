# The command line: lists, help and bad input (exit 1, the bad word named).
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import shutil
import subprocess

from emutest import (BUILD_DIR, TIMEOUT, PipeMonitor, Skip, binary, main, run,
                     run_fails, tempdir)

QEMU = shutil.which("qemu-system-arm")


def test_machine_help():
    status, out, err = run(["-M", "help"])
    assert status == 0, err
    assert out == ("Supported machines are:\n"
                   "connex               Gumstix Connex (PXA255)\n"
                   "none                 empty machine\n"
                   "virt                 QEMU 7.2 ARM Virtual Machine "
                   "(alias of virt-7.2)\n"
                   "virt-7.2             QEMU 7.2 ARM Virtual Machine\n"), out


def test_machine_help_lines_are_qemus():
    """Every board emu lists, QEMU 7.2 lists with the same line, and in
    the same order (families newest first, aliases before their type)."""
    for arch in ("arm", "x86_64"):
        qemu = shutil.which(f"qemu-system-{arch}")
        if not os.path.exists(binary(arch)) or not qemu:
            continue            # not in --target-list, or no QEMU to ask
        status, out, err = run(["-M", "help"], arch)
        assert status == 0, err
        theirs = subprocess.run([qemu, "-M", "help"], capture_output=True,
                                text=True, timeout=TIMEOUT).stdout
        lines = out.splitlines()
        common = [line for line in theirs.splitlines() if line in lines]
        assert common == lines, (out, theirs)


def test_machine_aliases_and_versions():
    """-M pc / -M virt and their versioned names start the same board."""
    for arch, names in (("arm", ("virt", "virt-7.2")),
                        ("x86_64", ("pc", "pc-i440fx-7.2"))):
        if not os.path.exists(binary(arch)):
            continue
        for name in names:
            status, out, err = run(["-M", f"{name},help"], arch)
            assert status == 0, err
            assert out.startswith(f"{names[1]}-machine options:\n"), out
    err = run_fails(["-M", "virt-7.1"])
    assert err.startswith("emu-system-arm: unsupported machine type\n"), err


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
    assert ('name "unimplemented-device", bus System, '
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


def test_log_help_is_qemus():
    status, out, _ = run(["-d", "help"])
    assert status == 0
    if QEMU:
        reference = subprocess.run([QEMU, "-d", "help"], capture_output=True,
                                   text=True, timeout=TIMEOUT).stdout
        assert out == reference, (out, reference)
    assert out.endswith("tid             open a separate log file per "
                        "thread; filename must contain '%d'\ntrace:PATTERN  "
                        " enable trace events\n\nUse \"-d trace:help\" to "
                        "get a list of trace events.\n\n"), out


def test_log_file_templates():
    d = tempdir()
    # -D with %d: the PID.
    mon = PipeMonitor(["-M", "none", "-d", "guest_errors", "-D",
                       f"{d}/log-%d.txt"])
    try:
        pid = mon.proc.pid
        mon.quit()
    finally:
        mon.kill()
    assert os.listdir(d) == [f"log-{pid}.txt"], os.listdir(d)
    # -d tid: one file per thread that logs, named by its id.
    mon = PipeMonitor(["-M", "none", "-m", "1M", "-cpu", "pxa255", "-d",
                       "tid,cpu_reset", "-D", f"{d}/tid-%d.txt"])
    try:
        mon.quit()
    finally:
        mon.kill()
    files = [f for f in os.listdir(d) if f.startswith("tid-")]
    assert files, os.listdir(d)
    with open(f"{d}/{files[0]}") as f:
        text = f.read()
    # cpu_reset: QEMU's heading, then the registers being replaced.
    assert text.startswith("CPU Reset (CPU 0)\nR00=00000000"), text
    for args, expected in (
            (["-d", "tid"], "Filename template with '%d' required for 'tid'"),
            (["-d", "tid", "-D", f"{d}/x.txt"],
             "Filename template with '%d' required for 'tid'"),
            (["-D", "x%s.txt"], "-D x%s.txt: Bad logfile template: x%s.txt")):
        err = run_fails(["-M", "none", *args])
        assert err == f"emu-system-arm: {expected}\n", err


def test_log_trace_patterns():
    # -d trace: is -trace's (test_trace): help lists the events, a name
    # that matches none is a warning, a pattern that matches none silent.
    status, out, _ = run(["-d", "trace:help"])
    assert status == 0 and "pci_cfg_read\n" in out, out
    mon = PipeMonitor(["-M", "none", "-d", "trace:foo*,trace:foo"])
    try:
        status, err = mon.quit()
        assert err == ("emu-system-arm: warning: trace event 'foo' does not "
                       "exist\n"), err
    finally:
        mon.kill()


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
    assert err == ("emu-system-arm: unsupported machine type\n"
                   "Use -machine help to list supported machines\n"), err


def test_unknown_machine_property():
    err = run_fails(["-M", "none,foo=bar"])
    assert err == "emu-system-arm: Property 'none-machine.foo' not found\n", \
        err


# Command lines QEMU 7.2 refuses, with the words and exit status emu's
# must have (the program's name aside).
BAD_COMMAND_LINES = [
    ("x86_64", ["-cpu", "foo"]),
    ("x86_64", ["-M", "foo"]),
    ("x86_64", ["-vga", "foo"]),
    ("x86_64", ["-machine", "pc,foo=bar"]),
    ("x86_64", ["-M", "pc,hpet"]),
    ("x86_64", ["-machine", "usb,pc"]),
    ("arm", ["-M", "virt,highmem"]),
    ("arm", ["-M", "virt", "-cpu", "foo"]),
]


def test_bad_command_lines_as_qemu():
    for arch, args in BAD_COMMAND_LINES:
        if not os.path.exists(binary(arch)):
            continue
        runs = [(binary(arch), "emu-system-" + arch)]
        qemu = shutil.which("qemu-system-" + arch)
        if qemu:
            runs.append((qemu, "qemu-system-" + arch))
        results = []
        for program, name in runs:
            proc = subprocess.run([program] + args + ["-display", "none",
                                                      "-S"],
                                  stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True,
                                  timeout=TIMEOUT)
            results.append((proc.returncode, proc.stdout,
                            proc.stderr.replace(name, "PROGRAM")))
        assert results[0][0] == 1, (args, results[0])
        assert all(r == results[0] for r in results), (args, results)


def test_repeated_machine_options_merge():
    """-M connex -machine accel=tcg is connex with accel=tcg, as QEMU:
    not the default machine, not a board list with exit 0."""
    mon = PipeMonitor(["-M", "none", "-machine", "accel=tcg", "-machine",
                       "usb=off,dump-guest-core=off,mem-merge=off",
                       "-nodefaults"])
    try:
        assert mon.cmd("info status") == "VM status: running\n"
        status, err = mon.quit()
        assert status == 0, err
    finally:
        mon.kill()
    # A later key wins; the error names the option that gave it.
    err = run_fails(["-M", "none,usb=on", "-M", "usb=maybe"])
    assert err == ("emu-system-arm: -M usb=maybe: property 'none-machine.usb' "
                   "expects 'on' or 'off', not 'maybe'\n"), err
    # A -machine without a type alone is still no machine.
    err = run_fails(["-machine", "accel=tcg"])
    assert err.startswith("emu-system-arm: No machine specified"), err


def test_machine_accel_and_enable_kvm():
    # QEMU's words, and no location: QEMU names none.
    for args in (["-M", "none,accel=tcg", "-accel", "tcg"],
                 ["-M", "none", "-enable-kvm", "-accel", "tcg"]):
        err = run_fails(args)
        assert err == ("emu-system-arm: The -accel and \"-machine accel=\" "
                       "options are incompatible\n"), err
    err = run_fails(["-M", "none", "-enable-kvm"])
    assert any(err.startswith("emu-system-arm: " + why)
               for why in KVM_REFUSALS), err
    # A list falls back as repeated -accel do, with QEMU's words.
    mon = PipeMonitor(["-M", "none,accel=kvm:tcg"])
    try:
        status, err = mon.quit()
        assert status == 0, err
        assert any(err.startswith("emu-system-arm: " + why.split("\n")[0])
                   for why in KVM_REFUSALS), err
        assert err.endswith("emu-system-arm: falling back to tcg\n"), err
    finally:
        mon.kill()


def test_bad_ram_size():
    """QEMU 7.2's -m checks, word for word."""
    suffixes = ("Optional suffix k, M, G, T, P or E means kilo-, mega-, "
                "giga-, tera-, peta-\nand exabytes, respectively.\n")
    for ram, expected in (
            ("16Q", "-m 16Q: Parameter 'size' expects a non-negative number "
             "below 2^64\n" + suffixes),
            ("size=", "-m size=: Parameter 'size' expects a non-negative "
             "number below 2^64\n" + suffixes),
            ("16M,foo=1", "-m 16M,foo=1: Invalid parameter 'foo'\n"),
            ("size=16M,slots=2", "slots specified but no max-size\n"),
            ("size=16M,maxmem=8M", "invalid value of maxmem: maximum memory "
             "size (0x800000) must be at least the initial memory size "
             "(0x1000000)\n"),
            ("size=16M,maxmem=16M,slots=2", "invalid value of maxmem: memory "
             "slots were specified but maximum memory size (0x1000000) is "
             "equal to the initial memory size (0x1000000)\n")):
        err = run_fails(["-M", "none", "-m", ram])
        assert err == f"emu-system-arm: {expected}", (ram, err)
        if QEMU:
            proc = subprocess.run([QEMU, "-M", "none", "-m", ram, "-display",
                                   "none"], capture_output=True, text=True,
                                  timeout=TIMEOUT)
            assert proc.stderr == f"qemu-system-arm: {expected}", proc.stderr
    # Where QEMU would add hotpluggable memory, emu says it has none.
    err = run_fails(["-M", "none", "-m", "16M,maxmem=1G"])
    assert err == ("emu-system-arm: maxmem above the RAM size is not "
                   "supported: emu has no memory hotplug\n"), err


def test_ram_size_zero_or_empty_is_the_default():
    # virt's default is 128 MiB at 1 GiB, as QEMU's.
    for ram, end in (("0", "47ffffff"), ("", "47ffffff"),
                     ("size=0", "47ffffff"), ("16M,maxmem=16M", "40ffffff")):
        mon = PipeMonitor(["-M", "virt", "-S", "-m", ram])
        try:
            out = mon.cmd("info mtree -f")
            assert (f"0000000040000000-00000000{end} (prio 0, ram): "
                    "mach-virt.ram") in out, (ram, out)
            assert mon.quit()[0] == 0
        finally:
            mon.kill()


def test_ram_size_the_host_cannot_give():
    err = run_fails(["-M", "none", "-m", "15E", "-nodefaults"])
    assert err == ("emu-system-arm: cannot allocate 15 EiB for 'ram': Cannot "
                   "allocate memory\nAsk for less guest RAM with -m.\n"), err


def test_bad_smp():
    """QEMU 7.2's topology checks, word for word (and no location)."""
    for smp, expected in (
            ("x", "Parameter 'smp.cpus' expects integer"),
            ("2,foo=1", "Parameter 'smp.foo' is unexpected"),
            ("cpus=2,dies=2", "dies not supported by this machine's CPU "
             "topology"),
            ("4,sockets=3", "Invalid CPU topology: product of the hierarchy "
             "must match maxcpus: sockets (3) * cores (1) * threads (1) != "
             "maxcpus (4)"),
            ("2,maxcpus=1", "Invalid CPU topology: maxcpus must be equal to or "
             "greater than smp: sockets (1) * cores (1) * threads (1) == "
             "maxcpus (1) < smp_cpus (2)"),
            ("2", "Invalid SMP CPUs 2. The max CPUs supported by machine "
             "'none' is 1"),
            ("sockets=2,cores=2,threads=2", "Invalid SMP CPUs 8. The max CPUs "
             "supported by machine 'none' is 1")):
        err = run_fails(["-M", "none", "-smp", smp])
        assert err == f"emu-system-arm: {expected}\n", (smp, err)


def test_smp_topology():
    # What QEMU derives shows in its messages: cores before sockets
    # (QEMU since 6.2), threads last.
    for smp, expected in (
            ("8,sockets=3", "sockets (3) * cores (2) * threads (1) != "
             "maxcpus (8)"),
            ("8,cores=3", "sockets (2) * cores (3) * threads (1) != "
             "maxcpus (8)"),
            ("8,sockets=3,cores=1", "sockets (3) * cores (1) * threads (2) "
             "!= maxcpus (8)"),
            ("maxcpus=8,sockets=3,threads=2", "sockets (3) * cores (1) * "
             "threads (2) != maxcpus (8)")):
        err = run_fails(["-M", "none", "-smp", smp])
        assert err == ("emu-system-arm: Invalid CPU topology: product of the "
                       f"hierarchy must match maxcpus: {expected}\n"), (smp, err)
    if os.path.exists(binary("x86_64")):
        # A topology the board takes (one vCPU now, room for four); the
        # firmware is never run (-S).
        firmware = f"{tempdir()}/hlt.bin"
        with open(firmware, "wb") as f:
            f.write(b"\xf4" * 65536)
        mon = PipeMonitor(["-M", "microvm", "-bios", firmware, "-smp",
                           "1,sockets=1,cores=2,threads=2,maxcpus=4", "-S"],
                          "x86_64")
        try:
            assert mon.cmd("info cpus").count("thread_id=") == 1
            status, err = mon.quit()
            # QEMU's warning: qemu64 is an AMD model without topoext.
            assert status == 0 and err == (
                "emu-system-x86_64: warning: This family of AMD CPU doesn't "
                "support hyperthreading(2)\nPlease configure -smp options "
                "properly or try enabling topoext feature.\n"), err
        finally:
            mon.kill()
    mon = PipeMonitor(["-M", "none", "-smp", "0"])
    try:
        status, err = mon.quit()
        assert err == ("emu-system-arm: warning: Deprecated CPU topology "
                       "(considered invalid): CPU topology parameters must be "
                       "greater than zero\n"), err
    finally:
        mon.kill()


def test_unknown_cpu():
    err = run_fails(["-M", "none", "-cpu", "foo"])
    assert err == "emu-system-arm: unable to find CPU model 'foo'\n", err


def test_cpu_options_the_model_does_not_take():
    # QEMU's words for options an ARM CPU does not have
    for options, message in [
            ("foo=on", "can't apply global pxa255-arm-cpu.foo=on: Property "
                       "'pxa255-arm-cpu.foo' not found"),
            ("+foo", "Expected key=value format, found +foo."),
            (",bar,baz=1", "Expected key=value format, found bar.")]:
        err = run_fails(["-M", "none", "-cpu", f"pxa255,{options}"])
        assert err == f"emu-system-arm: {message}\n", err


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


def test_loader_checks_as_qemu():
    """QEMU 7.2's messages, word for word."""
    err = run_fails(["-M", "none", "-device",
                     "loader,addr=0,data=1,data-len=4,cpu-num=0"])
    assert err == ("emu-system-arm: -device loader,addr=0,data=1,data-len=4,"
                   "cpu-num=0: Specified boot CPU#0 is nonexistent\n"), err
    err = run_fails(["-M", "none", "-cpu", "pxa255", "-m", "16M", "-device",
                     "loader,addr=0,data=1,data-len=4,cpu-num=99"])
    assert err.endswith(": Specified boot CPU#99 is nonexistent\n"), err
    d = tempdir()
    with open(f"{d}/big.bin", "wb") as f:
        f.truncate((16 << 20) + 1)
    err = run_fails(["-M", "none", "-m", "16M", "-device",
                     f"loader,file={d}/big.bin,addr=0"])
    assert err == (f"emu-system-arm: -device loader,file={d}/big.bin,addr=0: "
                   f"Cannot load specified image {d}/big.bin\n"), err
    # Without -m, -M none has no RAM: nothing fits.
    with open(f"{d}/small.bin", "wb") as f:
        f.write(b"hi")
    err = run_fails(["-M", "none", "-device", f"loader,file={d}/small.bin"])
    assert err.endswith(f": Cannot load specified image {d}/small.bin\n"), err
    # An endless file is read no further than the RAM size.
    err = run_fails(["-M", "none", "-m", "16M", "-device",
                     "loader,file=/dev/zero"])
    assert err.endswith(": Cannot load specified image /dev/zero\n"), err
    # Exactly the RAM size is fine.
    with open(f"{d}/big.bin", "wb") as f:
        f.truncate(16 << 20)
    mon = PipeMonitor(["-M", "none", "-m", "16M", "-device",
                       f"loader,file={d}/big.bin,addr=0"])
    try:
        status, err = mon.quit()
        assert status == 0, err
    finally:
        mon.kill()


def run_elf_with_loader(program, elf, *extra):
    proc = subprocess.run(
        [program, "-M", "none", "-cpu", "pxa255", "-m", "64M", "-nodefaults",
         "-display", "none", "-semihosting", "-device",
         f"loader,file={elf},cpu-num=0", *extra],
        stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=TIMEOUT)
    return proc.returncode, proc.stdout, proc.stderr


def test_loader_loads_elf_segments_and_entry():
    """-device loader,file=ELF: segments where linked, the vCPU at the
    entry (addr= is not used); the same run as qemu-system-arm's."""
    elf = os.path.join(BUILD_DIR, "tests", "guests", "arm", "newlib-exit.elf")
    if not os.path.exists(elf):
        raise Skip(f"{elf} was not built (arm-none-eabi-gcc missing?)")
    result = run_elf_with_loader(binary("arm"), elf)
    # -semihosting without arg=: newlib counts -1 arguments with QEMU too.
    assert result == (3, "newlib: -1 argument(s)\nreturn 3\n", ""), result
    if QEMU:
        assert run_elf_with_loader(QEMU, elf) == result
    # force-raw=on: the file's bytes at addr, as QEMU; nothing runs them.
    mon = PipeMonitor(["-M", "none", "-m", "1M", "-device",
                       f"loader,file={elf},force-raw=on,addr=0x1000"])
    try:
        assert mon.cmd("xp /1wx 0x1000") == "0000000000001000: 0x464c457f\n"
        mon.quit()
    finally:
        mon.kill()


def test_loader_refuses_broken_elf():
    d = tempdir()
    elf = os.path.join(BUILD_DIR, "tests", "guests", "arm", "newlib-exit.elf")
    if not os.path.exists(elf):
        raise Skip(f"{elf} was not built (arm-none-eabi-gcc missing?)")
    with open(elf, "rb") as f:
        data = f.read()
    cases = (
        (data[:40], "ELF header cut short"),
        (data[:60], "program headers outside the file"),
        (data[:0x2c] + b"\xff\xff" + data[0x2e:],
         "program headers outside the file"),
        (data[:5] + b"\x02" + data[6:],
         "is a big-endian ELF file; emu's targets are little-endian"),
        (data[:4] + b"\x07" + data[5:], "unknown ELF class 7"),
    )
    for i, (content, why) in enumerate(cases):
        path = f"{d}/bad{i}.elf"
        with open(path, "wb") as f:
            f.write(content)
        err = run_fails(["-M", "none", "-cpu", "pxa255", "-m", "1M", "-device",
                         f"loader,file={path},cpu-num=0"])
        assert f"loader: '{path}'" in err and why in err, (why, err)


def test_unimplemented_device_past_the_address_space():
    for base, size in (("0xfffffffffffff000", "0x1001"),
                       ("1", "0xffffffffffffffff")):
        err = run_fails(["-M", "none", "-device",
                         f"unimplemented-device,name=u,base={base},size={size}"])
        assert (f"unimplemented-device 'u' at {int(base, 0):#x} with size "
                f"{size} goes past the end of the address space\n") in err, err
    # The whole space is fine.
    mon = PipeMonitor(["-M", "none", "-device",
                       "unimplemented-device,name=u,base=0,size=0xffffffffffffffff"])
    try:
        assert ("    0000000000000000-ffffffffffffffff (prio -1000, i/o): u\n"
                in mon.cmd("info mtree"))
        status, err = mon.quit()
        assert status == 0, err
    finally:
        mon.kill()


def test_empty_option_values_are_errors():
    """QEMU's answers; none of them is a help listing with exit 0."""
    err = run_fails(["-M", "none", "-device", ""])
    assert err == "emu-system-arm: -device : Parameter 'driver' is missing\n", err
    for args in (["-M", ""], ["-machine", ""]):
        err = run_fails(args)
        assert err == ("emu-system-arm: No machine specified, and there is no "
                       "default\nUse -machine help to list supported "
                       "machines\n"), err
    err = run_fails(["-M", "none", "-cpu", ""])
    assert err == "emu-system-arm: -cpu option cannot be empty\n", err


def test_pflash_that_is_not_a_file():
    for args in (["-pflash", "/dev/zero"],
                 ["-drive", "if=pflash,format=raw,file=/dev/null,readonly=on"]):
        err = run_fails(["-M", "connex"] + args)
        path = "/dev/zero" if "/dev/zero" in args else "/dev/null"
        assert err == (f"emu-system-arm: {' '.join(args)}: Could not open "
                       f"'{path}': {path}: is a character device, not an "
                       "image file (a regular file or a block device)\n"), err


def test_boot_options_need_a_board_that_boots():
    # QEMU's message: none takes code through -device loader.
    for arch in ("arm", "x86_64"):
        err = run_fails(["-M", "none", "-kernel", "bzImage"], arch)
        assert err == (f"emu-system-{arch}: The -kernel parameter is not "
                       "supported (use the generic 'loader' device "
                       "instead).\n"), err
    err = run_fails(["-M", "connex", "-kernel", "bzImage"])
    assert "-kernel bzImage: machine 'connex' does not boot a kernel directly" in err, err
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
    assert any("emu-system-arm: -accel kvm: " + why.split("\n")[0] in err
               for why in KVM_REFUSALS), err
    assert err.endswith("emu-system-arm: falling back to tcg\n"), err


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
    assert '-mon chardev=nope: chardev "nope" not found' in err, err


def test_bad_display():
    err = run_fails(["-M", "none", "-display", "gtk"])
    assert "-display gtk: display 'gtk' is not available" in err, err


if __name__ == "__main__":
    main(globals())
