#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
QEMU's object paths: the devices and vCPUs of connex and virt at the
/machine/unattached/device[N] QEMU gives them, with QEMU's type names;
-device at /machine/peripheral/ID and /machine/peripheral-anon/device[N].

The expected trees (connex, virt, pc, microvm) are QEMU 7.2's
"info qom-tree" with what emu does not model taken out (memory regions, IRQs and buses as objects, the devices
named in QEMU_ONLY); with qemu-system-arm installed the same filter is
checked on QEMU's own output.  emu's own units (/machine/soc) are left
out of emu's tree.
"""
import os
import re
import shutil
import subprocess

from emutest import PipeMonitor, Skip, main, strip_ansi, tempdir, \
    TIMEOUT, binary

# Devices QEMU creates that emu does not model or keeps inside another
# device: emu leaves their numbers unused (docs/user-manual.md).
QEMU_ONLY = ("sd-card", "pxa2xx-i2c-slave", "platform-bus-device",
             # the PC's and microvm's
             "kvmvapic", "i8257", "isa-pcspk", "isa-parallel", "isa-fdc",
             "floppy", "vmport", "vmmouse", "smbus-eeprom",
             "isabus-bridge", "acpi-ged-x86")
# The same, where the type alone does not say: microvm's second IOAPIC
# and (emu's microvm has no PCI and no virtio-mmio) its virtio-mmio
# transports and fw_cfg.
MICROVM_QEMU_ONLY = ("/device[3]", "/fw_cfg") + tuple(
    f"/device[{n}]" for n in range(4, 28))
# The same place, another type: emu models the PXA UART's own registers
# (hardware wins).
TYPE_DIFFERENCES = {"serial-mm": "pxa2xx-uart"}

CONNEX_TREE = """\
/machine (connex-machine)
  /peripheral (container)
  /peripheral-anon (container)
  /unattached (container)
    /device[0] (pxa255-arm-cpu)
    /device[10] (pxa2xx-pcmcia)
    /device[11] (pxa2xx-pcmcia)
    /device[12] (pxa2xx_rtc)
    /device[13] (pxa2xx_i2c)
    /device[15] (pxa2xx_i2c)
    /device[17] (cfi.pflash01)
    /device[18] (smc91c111)
    /device[1] (pxa2xx_pic)
    /device[2] (pxa2xx-dma)
    /device[3] (pxa25x-timer)
    /device[4] (pxa2xx-gpio)
    /device[5] (pxa2xx-mmci)
    /device[7] (pxa2xx-uart)
    /device[8] (pxa2xx-ssp)
    /device[9] (pxa2xx-ssp)
    /sysbus (System)
"""


def machine_tree(machine, before, devices, after=""):
    """A machine's tree: the lines before /peripheral, the
    /machine/unattached/device[N] of devices ({N: type}), the lines after
    /machine/unattached."""
    lines = [f"    /device[{n}] ({t})" for n, t in devices.items()]
    lines.sort(key=lambda line: line.split(" (")[0])
    return (f"/machine ({machine})\n" + before +
            "  /peripheral (container)\n"
            "  /peripheral-anon (container)\n"
            "  /unattached (container)\n" + "\n".join(lines) + "\n"
            "    /sysbus (System)\n" + after)


def pc_tree(devices):
    return machine_tree("pc-i440fx-7.2-machine",
                        "  /fw_cfg (fw_cfg_io)\n"
                        "  /i440fx (i440FX-pcihost)\n"
                        "    /ioapic (ioapic)\n", devices)


PC_TREE = pc_tree({
    0: "qemu64-x86_64-cpu", 2: "i440FX", 3: "PIIX3", 6: "isa-i8259",
    7: "isa-i8259", 8: "VGA", 9: "hpet", 10: "mc146818rtc", 11: "isa-pit",
    13: "isa-serial", 17: "i8042", 20: "port92", 21: "e1000",
    22: "piix3-ide", 23: "ide-cd", 24: "PIIX4_PM"})

# Two vCPUs (QEMU's kvmvapic between them), no NIC, no default parallel
# port, floppy drive or CD-ROM (-nodefaults; -serial null is given),
# vmport=off.
PC_SMP2_TREE = pc_tree({
    0: "qemu64-x86_64-cpu", 2: "qemu64-x86_64-cpu", 3: "i440FX",
    4: "PIIX3", 7: "isa-i8259", 8: "isa-i8259", 9: "hpet",
    10: "mc146818rtc", 11: "isa-pit", 13: "isa-serial", 15: "i8042",
    16: "port92", 17: "piix3-ide", 18: "PIIX4_PM"})

# emu's microvm keeps an i8042 (device[34]) that QEMU's lacks: QEMU's
# tree is checked without it.
MICROVM_TREE = machine_tree("microvm-machine", "  /ioapic (ioapic)\n", {
    0: "qemu64-x86_64-cpu", 29: "isa-i8259", 30: "isa-i8259",
    31: "isa-pit", 32: "mc146818rtc", 33: "isa-serial"})
MICROVM_BIOS = "/usr/share/qemu/bios-microvm.bin"


def virt_tree(first_mmio):
    """QEMU's virt: cpu, GIC, its MSI frame, UART, RTC, the PCIe host
    and its default NIC, GPIO and its power key, then 32 virtio-mmio
    transports from device[first_mmio] (9 with the default NIC, 8
    without)."""
    devices = {0: "cortex-a15-arm-cpu", 1: "arm_gic", 2: "arm-gicv2m",
               3: "pl011", 4: "pl031", 5: "gpex-pcihost",
               first_mmio - 2: "pl061", first_mmio - 1: "gpio-key"}
    if first_mmio == 9:
        devices[6] = "virtio-net-pci"
    for n in range(first_mmio, first_mmio + 32):
        devices[n] = "virtio-mmio"
    return machine_tree("virt-7.2-machine", "  /fw_cfg (fw_cfg_mem)\n",
                        devices,
                        "  /virt.flash0 (cfi.pflash01)\n"
                        "  /virt.flash1 (cfi.pflash01)\n")


def tree_lines(text):
    """The "/name (type)" lines of a monitor's output."""
    return "".join(line + "\n" for line in strip_ansi(text).splitlines()
                   if re.match(r"\s*/\S* \(.*\)$", line))


def qom_tree(program, args):
    """info qom-tree of a stopped machine, through HMP on a pipe."""
    proc = subprocess.run([program] + args + ["-S", "-nographic",
                                              "-serial", "null",
                                              "-monitor", "stdio"],
                          input="info qom-tree\nquit\n", capture_output=True,
                          text=True, timeout=TIMEOUT)
    return tree_lines(proc.stdout)


def top_level(tree, drop_subtree):
    """The tree down to the devices (not their children), without the
    objects listed by drop_subtree(name, type)."""
    kept = []
    skip_below = None
    for line in tree.splitlines():
        depth = (len(line) - len(line.lstrip())) // 2
        if skip_below is not None and depth > skip_below:
            continue
        skip_below = None
        name, typename = re.match(r"\s*(\S+) \((.*)\)$", line).groups()
        if depth > 2 or drop_subtree(depth, name, typename):
            skip_below = depth
            continue
        typename = TYPE_DIFFERENCES.get(typename, typename)
        kept.append(f"{'  ' * depth}{name} ({typename})")
    return "\n".join(kept) + "\n"


def emu_view(tree, args):
    microvm = "microvm" in args
    return top_level(tree, lambda depth, name, t: name == "/soc" or
                     (microvm and t == "i8042"))


def qemu_view(tree, args):
    microvm = "microvm" in args
    return top_level(tree, lambda depth, name, t:
                     t in QEMU_ONLY or
                     t in ("memory-region", "irq", "PCI") or
                     (microvm and name in MICROVM_QEMU_ONLY))


def flash_file(d):
    path = os.path.join(d, "flash.bin")
    with open(path, "wb") as f:
        f.truncate(16 << 20)
    return path


CASES = [
    ("arm", ["-M", "connex"], CONNEX_TREE),
    ("arm", ["-M", "virt"], virt_tree(9)),
    ("arm", ["-M", "virt", "-nic", "none"], virt_tree(8)),
    ("x86_64", ["-M", "pc"], PC_TREE),
    ("x86_64", ["-M", "pc,vmport=off", "-smp", "2", "-nodefaults"],
     PC_SMP2_TREE),
    ("x86_64", ["-M", "microvm", "-bios", MICROVM_BIOS], MICROVM_TREE),
]


def case_args(args, d):
    return args + (["-pflash", flash_file(d)] if "connex" in args else [])


def test_emu_tree_as_qemu_numbers_it():
    d = tempdir()
    for arch, args, expected in CASES:
        if not os.path.exists(binary(arch)):
            continue
        if MICROVM_BIOS in args and not os.path.exists(MICROVM_BIOS):
            continue
        tree = emu_view(qom_tree(binary(arch), case_args(args, d)), args)
        assert tree == expected, f"{args}:\n{tree}"


def test_qemu_tree_is_the_expected_one():
    d = tempdir()
    for arch, args, expected in CASES:
        qemu = shutil.which("qemu-system-" + arch)
        if not qemu:
            raise Skip(f"qemu-system-{arch} is not installed")
        args = case_args(args, d)
        if "-pflash" in args:
            args[args.index("-pflash"):] = [
                "-drive", f"if=pflash,format=raw,file={args[-1]}"]
        if "microvm" in args:
            args = args[:args.index("-bios")]
        tree = qemu_view(qom_tree(qemu, args), args)
        assert tree == expected, f"{args}:\n{tree}"


def test_x86_interrupt_controllers_where_qemu_has_them():
    """Each vCPU's local APIC is its child "lapic", the PC's IOAPIC the
    host bridge's child, microvm's the machine's, on emu and QEMU."""
    cases = [(["-M", "pc", "-smp", "2"],
              {"/machine/unattached/device[0]/lapic": "apic",
               "/machine/unattached/device[2]/lapic": "apic",
               "/machine/i440fx/ioapic": "ioapic"}),
             (["-M", "microvm"], {"/machine/ioapic": "ioapic"})]
    programs = [binary("x86_64")]
    if shutil.which("qemu-system-x86_64"):
        programs.append(shutil.which("qemu-system-x86_64"))
    for program in programs:
        for args, paths in cases:
            if "microvm" in args and program == binary("x86_64"):
                args = args + ["-bios", MICROVM_BIOS]
            script = "".join(f"qom-get {p} type\n" for p in paths)
            proc = subprocess.run(
                [program] + args + ["-S", "-nographic", "-serial", "null",
                                    "-monitor", "stdio"],
                input=script + "quit\n", capture_output=True, text=True,
                timeout=TIMEOUT)
            answers = [line for line in strip_ansi(proc.stdout).splitlines()
                       if line.startswith('"')]
            assert answers == [f'"{t}"' for t in paths.values()], \
                (program, args, proc.stdout)


def test_soc_units_emu_has_of_its_own():
    d = tempdir()
    mon = PipeMonitor(["-M", "connex", "-pflash", flash_file(d), "-S",
                       "-nographic", "-serial", "null"])
    try:
        assert mon.cmd("info qom-tree /machine/soc") == (
            "/soc (container)\n"
            "  /clkpm (pxa2xx-clkpm)\n"
            "  /i2s (pxa2xx-i2s)\n"
            "  /lcd (pxa2xx-lcd)\n"
            "  /memctl (pxa2xx-memctl)\n"
            "  /pxa255.lcd (unimplemented-device)\n"
            "  /pxa255.memctl (unimplemented-device)\n"
            "  /pxa255.pcmcia0 (unimplemented-device)\n"
            "  /pxa255.pcmcia1 (unimplemented-device)\n"
            "  /pxa255.peripherals (unimplemented-device)\n")
        # The paths scripts written for QEMU use answer as on QEMU.
        assert mon.cmd("qom-get /machine/unattached/device[1] type") == \
            '"pxa2xx_pic"\n'
        assert mon.cmd("qom-get /machine/unattached/device[17] name") == \
            '"connext.rom"\n'
        assert mon.cmd("qom-get /machine/unattached/sysbus type") == \
            '"System"\n'
    finally:
        mon.quit()


def test_device_ids_and_anonymous_devices():
    """-device with and without id=, on emu and (installed) QEMU."""
    args = ["-M", "virt", "-nic", "none",
            "-device", "loader,addr=0x40000000,data=0,data-len=4",
            "-device", "loader,id=ld,addr=0x40000004,data=0,data-len=4",
            "-device", "loader,addr=0x40000008,data=0,data-len=4"]
    expected = ("/peripheral (container)\n"
                "  /ld (loader)\n"
                "/peripheral-anon (container)\n"
                "  /device[0] (loader)\n"
                "  /device[1] (loader)\n")
    programs = [binary()]
    if shutil.which("qemu-system-arm"):
        programs.append(shutil.which("qemu-system-arm"))
    for program in programs:
        proc = subprocess.run(
            [program] + args + ["-S", "-nographic", "-serial", "null",
                                "-monitor", "stdio"],
            input="info qom-tree /machine/peripheral\n"
                  "info qom-tree /machine/peripheral-anon\nquit\n",
            capture_output=True, text=True, timeout=TIMEOUT)
        assert tree_lines(proc.stdout) == expected, (program, proc.stdout)


def virtio_mmio_qtree(program):
    """virt's virtio-mmio transports in info qtree: each one's address,
    bus name and device, with two -device virtio-rng-device."""
    proc = subprocess.run(
        [program, "-M", "virt", "-nic", "none",
         "-device", "virtio-rng-device,id=rng0",
         "-device", "virtio-rng-device,id=rng1",
         "-S", "-nographic", "-serial", "null", "-monitor", "stdio"],
        input="info qtree\nquit\n", capture_output=True, text=True,
        timeout=TIMEOUT)
    # The transports are what virt has at 0x0a000000-0x0a003fff.
    return [line.strip() for line in strip_ansi(proc.stdout).splitlines()
            if re.match(r" *(bus: virtio-mmio-bus|dev: virtio-rng|"
                        r"mmio 000000000a00)", line)]


def test_virtio_mmio_buses_as_qemu():
    """The transports in QEMU's order: virtio-mmio-bus.0 at the lowest
    address, -device on the highest free one (the newest bus)."""
    got = virtio_mmio_qtree(binary())
    assert got[:6] == [
        "mmio 000000000a003e00/0000000000000200",
        "bus: virtio-mmio-bus.31", 'dev: virtio-rng-device, id "rng0"',
        "mmio 000000000a003c00/0000000000000200",
        "bus: virtio-mmio-bus.30", 'dev: virtio-rng-device, id "rng1"'], got
    assert got[-2:] == ["mmio 000000000a000000/0000000000000200",
                        "bus: virtio-mmio-bus.0"], got
    qemu = shutil.which("qemu-system-arm")
    if qemu:
        assert got == virtio_mmio_qtree(qemu)


if __name__ == "__main__":
    main(globals())
