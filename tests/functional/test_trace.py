#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
Trace events as QEMU 7.2's log backend has them: -trace [enable=]PATTERN,
-trace events=FILE, -trace file=FILE, -d trace:PATTERN, the monitor's
trace-event and info trace-events, with QEMU's warnings and errors.

The lines come from real guests and firmware: an ARM program built here
driving virt's PL011 (memory_region_ops_*), SeaBIOS enumerating the PC's
PCI functions (pci_cfg_*), the IDE boot sector of test_pc writing a qcow2
disk by DMA (ide_exec_cmd, qcow2_alloc_clusters_offset) and the virtio
boot sector of test_pc_virtio (virtio_queue_notify).  With QEMU
installed each is compared with QEMU's lines for the same command line,
host pointers (%p) left out.
"""
import os
import re
import shutil
import subprocess
import time

from emutest import (PipeMonitor, Skip, binary, emu_and_qemu, main,
                     monitor_script, qemu_binary, tempdir)
from test_pc import EXIT_DEVICE, PASSED, build_guest, need_seabios
from test_pc_virtio import virtio_disk

EVENTS = ["qcow2_alloc_clusters_offset", "ide_exec_cmd", "pci_cfg_read",
          "pci_cfg_write", "virtio_queue_notify", "memory_region_ops_read",
          "memory_region_ops_write"]


def no_pointers(text):
    return re.sub(r"\b(mr|co|bus|state|vdev|vq) (0x[0-9a-f]+|\(nil\))",
                  r"\1 P", text)


def without_program(text, program):
    return text.replace(os.path.basename(program) + ":", "PROG:")


def stopped(program, args):
    """PROGRAM started paused with ARGS and quit at once; its stderr."""
    proc = subprocess.run([program, "-display", "none", "-S", "-monitor",
                           "stdio"] + args, input="quit\n",
                          capture_output=True, text=True, timeout=60)
    return proc.returncode, proc.stderr


def test_list_of_events():
    for option in (["-trace", "help"], ["-trace", "enable=help"],
                   ["-d", "trace:help"]):
        proc = subprocess.run([binary("arm")] + option, capture_output=True,
                              text=True, timeout=60)
        assert proc.returncode == 0, proc
        assert proc.stdout.split() == EVENTS, proc.stdout
    # They are QEMU's events, in QEMU's order.
    if qemu_binary("x86_64"):
        listed = subprocess.run([qemu_binary("x86_64"), "-trace", "help"],
                                capture_output=True, text=True).stdout.split()
        assert [e for e in listed if e in EVENTS] == EVENTS


def test_unknown_events_warned_not_fatal():
    d = tempdir()
    events = os.path.join(d, "events")
    with open(events, "w") as f:
        f.write("# a comment\n\npci_cfg_read\nno_such_event\n-pci_cfg*\n"
                "nothing*\n")
    args = ["-M", "virt", "-trace", "no_such_event", "-trace", "nomatch*",
            "-trace", f"events={events}", "-d", "trace:no_such_either"]
    for program in emu_and_qemu("arm"):
        status, err = stopped(program, args)
        assert status == 0, (program, err)
        # QEMU warns, in order, naming the option or the file and line.
        assert without_program(err, program) == (
            "PROG: -trace no_such_event: warning: trace event "
            "'no_such_event' does not exist\n"
            f"PROG:{events}:4: warning: trace event 'no_such_event' does "
            "not exist\n"
            "PROG: warning: trace event 'no_such_either' does not exist\n"
            ), (program, err)


def test_bad_trace_options_refused():
    for args, message in (
            (["-trace", "foo=bar"],
             "PROG: -trace foo=bar: Invalid parameter 'foo'\n"),
            (["-trace", "events=/nonexistent/events"],
             "PROG:/nonexistent/events: No such file or directory\n")):
        for program in emu_and_qemu("arm"):
            proc = subprocess.run([program, "-M", "virt", "-display", "none"]
                                  + args, stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, timeout=60)
            assert proc.returncode == 1, (program, proc)
            assert without_program(proc.stderr, program) == message, \
                (program, proc.stderr)


def pl011_program():
    """An ARM program for virt that stores two words to the PL011's data
    register and reads its flag and peripheral ID registers."""
    if not shutil.which("arm-none-eabi-gcc"):
        raise Skip("arm-none-eabi-gcc is not installed")
    d = tempdir()
    src = os.path.join(d, "pl011.s")
    with open(src, "w") as f:
        f.write(".text\n.global _start\n_start:\n"
                "    ldr r0, =0x09000000\n"
                "    mov r1, #'O'\n    str r1, [r0]\n"
                "    mov r1, #'K'\n    str r1, [r0]\n"
                "    ldr r2, [r0, #0x18]\n"
                "    ldr r3, [r0, #0xfe0]\n"
                "1:  b 1b\n")
    elf = os.path.join(d, "pl011.elf")
    subprocess.run(["arm-none-eabi-gcc", "-nostdlib", "-Ttext=0x40200000",
                    "-o", elf, src], check=True)
    return elf


def trace_until(program, args, log, lines, timeout=60):
    """Runs PROGRAM until LOG holds LINES lines (or it ends); LOG's text."""
    proc = subprocess.Popen([program] + args, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if os.path.exists(log):
                with open(log) as f:
                    if f.read().count("\n") >= lines:
                        break
            time.sleep(0.1)
    finally:
        proc.kill()
        proc.wait()
    with open(log) as f:
        return f.read()


PL011_LINES = (
    "memory_region_ops_write cpu 0 mr P addr 0x9000000 value 0x4f size 4 "
    "name 'pl011'\n"
    "memory_region_ops_write cpu 0 mr P addr 0x9000000 value 0x4b size 4 "
    "name 'pl011'\n"
    "memory_region_ops_read cpu 0 mr P addr 0x9000018 value 0x90 size 4 "
    "name 'pl011'\n"
    "memory_region_ops_read cpu 0 mr P addr 0x9000fe0 value 0x11 size 4 "
    "name 'pl011'\n")


def test_mmio_trace_of_a_program():
    elf = pl011_program()
    for program in emu_and_qemu("arm"):
        d = tempdir()
        # -trace file= wins over -D, as in QEMU.
        log = os.path.join(d, "trace.log")
        args = ["-M", "virt", "-display", "none", "-serial", "null",
                "-monitor", "none", "-device", f"loader,file={elf},cpu-num=0",
                "-D", os.path.join(d, "other.log"),
                "-trace", f"memory_region_ops_*,file={log}"]
        text = trace_until(program, args, log, 4)
        assert no_pointers(text) == PL011_LINES, (program, text)
    # -msg timestamp=on: QEMU's "TID@SECONDS.MICROSECONDS:" before each.
    log = os.path.join(tempdir(), "stamped.log")
    text = trace_until(binary("arm"), args[:-2] + [
        "-msg", "timestamp=on", "-trace", "memory_region_ops_write",
        "-D", log], log, 2)
    stamp = r"\d+@\d+\.\d{6}:"
    assert re.fullmatch(stamp + r"memory_region_ops_write cpu 0 mr 0x[0-9a-f]+"
                        r" addr 0x9000000 value 0x4f size 4 name 'pl011'\n" +
                        stamp + r"memory_region_ops_write .*\n", text), text


def pc_trace(program, args, patterns, log):
    """The PC with isa-debug-exit run to its end; the trace in LOG."""
    trace = sum((["-trace", p] for p in patterns), [])
    proc = subprocess.run([program, "-display", "none", "-nodefaults",
                           "-serial", "null"] + EXIT_DEVICE + args + trace +
                          ["-D", log], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == PASSED, (program, proc)
    with open(log) as f:
        return no_pointers(f.read())


def test_pci_config_cycles_of_seabios():
    # SeaBIOS finds and sets up the PC's PCI functions: its first hundred
    # configuration cycles are the same on both, values included.
    need_seabios()
    traces = []
    for program in emu_and_qemu("x86_64"):
        log = os.path.join(tempdir(), "pci.log")
        text = trace_until(program, ["-M", "pc", "-display", "none",
                                     "-nodefaults", "-trace", "pci_cfg*",
                                     "-D", log], log, 100)
        lines = text.splitlines()[:100]
        assert len(lines) == 100, (program, text)
        assert lines[0] == "pci_cfg_read i440FX 00:00.0 @0x0 -> 0x8086", lines
        assert any(l.startswith("pci_cfg_write PIIX3 00:01.0 ")
                   for l in lines), lines
        traces.append(lines)
    assert all(t == traces[0] for t in traces), traces


def test_ide_commands_and_qcow2_allocation():
    # The boot sector of test_pc writes a sector by DMA at LBA 0x12345678
    # of a qcow2 disk and reads it back.
    need_seabios()
    if not shutil.which("qemu-img"):
        raise Skip("qemu-img (qemu-utils) is not installed")
    traces = []
    for program in emu_and_qemu("x86_64"):
        d = tempdir()
        disk = os.path.join(d, "disk.qcow2")
        subprocess.run(["qemu-img", "convert", "-f", "raw", "-O", "qcow2",
                        build_guest("ide-dma"), disk], check=True)
        subprocess.run(["qemu-img", "resize", "-q", disk, "200G"], check=True)
        traces.append(pc_trace(program, [
            "-drive", f"file={disk},format=qcow2,if=ide"],
            ["ide_exec_cmd", "qcow2_alloc_clusters_offset"],
            os.path.join(d, "trace.log")))
    cmd = "ide_exec_cmd IDE exec cmd: bus P; state P; cmd "
    assert traces[0] == (
        cmd + "0xa1\n" + cmd + "0xec\n" + cmd + "0xa1\n" +  # SeaBIOS probes
        cmd + "0x20\n" +                                # reads the boot sector
        cmd + "0x35\n" +                                # WRITE DMA EXT
        "qcow2_alloc_clusters_offset co P offset 0x2468acf000 bytes 512\n" +
        cmd + "0x25\n"), traces[0]                      # READ DMA EXT
    assert all(t == traces[0] for t in traces), traces


def test_virtio_queue_notify():
    need_seabios()
    traces = []
    for program in emu_and_qemu("x86_64"):
        d = tempdir()
        traces.append(pc_trace(program, [
            "-debugcon", "null",
            "-drive", f"file={virtio_disk()},format=raw,if=virtio"],
            ["virtio_queue_notify"], os.path.join(d, "trace.log")))
    # Every request of SeaBIOS's driver: the boot sector, its text, the
    # INT 13h write and read.
    # (QEMU's SeaBIOS run makes one request more than emu's.)
    for trace in traces:
        assert set(trace.splitlines()) == \
            {"virtio_queue_notify vdev P n 0 vq P"}, traces
        assert len(trace.splitlines()) >= 4, traces


# The monitor's commands, and what QEMU 7.2 answers (its other events
# left out of info trace-events by the patterns).
MONITOR = [
    ("trace-event pci_cfg_read on", ""),
    ("info trace-events pci_cfg_r*", "pci_cfg_read : state 1\n"),
    ("info trace-events pci_cfg*",
     "pci_cfg_write : state 0\npci_cfg_read : state 1\n"),
    ("trace-event nosuch on", 'unknown event "nosuch"\n'),
    ("trace-event nosuch* on", ""),
    ("trace-event pci_cfg_read maybe",
     "Expected 'on' or 'off'\nTry \"help trace-event\" for more "
     "information\n"),
    ("trace-event pci_cfg_read",
     "Expected 'on' or 'off'\nTry \"help trace-event\" for more "
     "information\n"),
    ("trace-event pci_cfg* off", ""),
    ("info trace-events pci_cfg*",
     "pci_cfg_write : state 0\npci_cfg_read : state 0\n"),
    ("info trace-events nosuch", 'unknown event "nosuch"\n'),
    ("info trace-events pci_cfg_read 0",
     'event "pci_cfg_read" is not vCPU-specific\n'),
    ("info trace-events pci_cfg* 0", ""),
    ("trace-event pci_cfg* on 7", "invalid vCPU index 7\n"),
    ("help trace-event",
     "trace-event name on|off [vcpu] -- changes status of a specific trace "
     "event (vcpu: vCPU to set, default is all)\n"),
]


def test_monitor_commands_as_qemu():
    args = ["-M", "pc", "-display", "none", "-nodefaults", "-S"]
    for program in emu_and_qemu("x86_64"):
        answers, _ = monitor_script(program, args, [c for c, _ in MONITOR])
        for (command, expected), answer in zip(MONITOR, answers):
            assert answer == expected, (program, command, answer)
    answers, _ = monitor_script(binary("x86_64"), args, ["info trace-events"])
    assert answers[0] == "".join(f"{e} : state 0\n"
                                 for e in reversed(EVENTS)), answers


def test_monitor_turns_events_on_and_off():
    need_seabios()
    log = os.path.join(tempdir(), "trace.log")
    mon = PipeMonitor(["-M", "pc", "-display", "none", "-nodefaults", "-S",
                       "-D", log], "x86_64")
    try:
        assert mon.cmd("trace-event pci_cfg_* on") == ""
        assert mon.cmd("cont") == ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with open(log) as f:
                if f.read().count("\n") >= 10:
                    break
            time.sleep(0.1)
        assert mon.cmd("trace-event pci_cfg_* off") == ""
        assert mon.cmd("stop") == ""
        with open(log) as f:
            before = f.read()
        assert before.startswith(
            "pci_cfg_read i440FX 00:00.0 @0x0 -> 0x8086\n"), before
        assert mon.cmd("cont") == ""
        time.sleep(0.5)
        with open(log) as f:
            assert f.read() == before      # off: nothing more
    finally:
        status, err = mon.quit()
    assert status == 0, err


if __name__ == "__main__":
    main(globals())
