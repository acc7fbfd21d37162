# The virt board's PCIe host (gpex-pcihost) and the functions on it:
# the monitor's info pci, info mtree and info qtree against QEMU 7.2's
# for the same command lines (the device tree's pcie node is compared in
# test_virt.py, Linux on the bus in test_virt_pci_linux.py).
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import shutil

from emutest import Skip, binary, main, monitor_script, tempdir

QEMU = shutil.which("qemu-system-arm")
# QEMU's virtio-net-pci and e1000 carry iPXE's EFI ROM in BAR6 by
# default; emu's take one only when asked (docs/boards/virt.md).
NO_ROMS = ["-global", "virtio-net-pci.romfile=", "-global", "e1000.romfile="]


def need_qemu():
    if not QEMU:
        raise Skip("qemu-system-arm is not installed")


def disk():
    path = os.path.join(tempdir(), "disk.raw")
    with open(path, "wb") as f:
        f.truncate(1 << 20)
    return path


def monitor(program, args, commands):
    outputs, _ = monitor_script(program, ["-M", "virt", "-S", "-display",
                                          "none", "-serial", "none"] + args,
                                commands)
    return outputs


def both(args, commands):
    need_qemu()
    return monitor(binary("arm"), args, commands), \
        monitor(QEMU, args, commands)


def functions():
    return ["-nic", "none", "-drive",
            f"if=none,id=d,file={disk()},format=raw",
            "-device", "virtio-blk-pci,drive=d,id=blk",
            "-device", "virtio-rng-pci", "-device", "virtio-serial-pci",
            "-device", "e1000,addr=6", "-device",
            "virtio-net-pci,disable-legacy=on,vectors=0,addr=0x1f"]


def test_info_pci_as_qemu():
    # The host bridge at 00.0, the default NIC (virtio-net-pci with
    # MSI-X) at 01.0; then the other functions emu has, in slots of
    # their choosing and given.
    for args in ([], ["-nic", "user,model=virtio"], functions(),
                 ["-M", "virt,highmem=off", "-drive",
                  f"if=virtio,file={disk()},format=raw"]):
        ours, theirs = both(NO_ROMS + args, ["info pci"])
        assert ours == theirs, (args, ours, theirs)
    (ours,), _ = both([], ["info pci"])
    assert "  Bus  0, device   0, function 0:\n    Host bridge: PCI device " \
           "1b36:0008\n" in ours, ours


def test_config_space_as_qemu():
    # Every function's configuration space through the ECAM (low, with
    # highmem=off), as the guest reads it before firmware assigns BARs:
    # the 256 bytes with the capability list (MSI-X and virtio's vendor
    # capabilities; no PCI Express capability, as QEMU gives none to a
    # function on the root bus: only one behind a pcie-root-port is an
    # endpoint) and the first extended dword (all ones: no extended
    # space).
    ecam = 0x3f000000
    slots = (0, 1, 2, 3, 4, 6, 0x1f)
    commands = [f"xp /65wx {ecam + (slot << 15):#x}" for slot in slots]
    ours, theirs = both(NO_ROMS + ["-M", "virt,highmem=off"] + functions(),
                        commands)
    assert ours == theirs, (ours, theirs)
    # the functions are there: vendor:device words
    assert "0x10411af4" in "".join(ours) and "0x100e8086" in "".join(ours)


def memory_space(mtree):
    """info mtree's system address space, and the regions it aliases,
    without QEMU's platform bus (emu has none) and the name of QEMU's
    CPU address space, which shows the same tree."""
    blocks = mtree.replace("address-space: cpu-memory-0\n", "").split("\n\n")
    kept = [b for b in blocks if b.startswith(("address-space: memory",
                                               "memory-region: gpex",
                                               "memory-region: pcie"))]
    return re.sub(r".*: platform bus\n", "", "\n\n".join(kept))


def test_info_mtree_as_qemu():
    # The ECAM alias (high, or low under firmware or highmem=off), the
    # 32-bit window 1:1, the I/O window, the 64-bit window with highmem,
    # the GICv2m frame.
    bios = os.path.join(tempdir(), "bios.bin")
    with open(bios, "wb") as f:
        f.write(b"\0" * 4096)
    for args in ([], ["-M", "virt,highmem=off"], ["-bios", bios]):
        ours, theirs = both(args, ["info mtree"])
        ours, theirs = memory_space(ours[0]), memory_space(theirs[0])
        assert ours == theirs, (args, ours, theirs)
        assert "alias pcie-ecam @pcie-mmcfg-mmio" in ours, ours
    assert "0000000010000000-000000003efeffff (prio 0, i/o): alias " \
           "pcie-mmio @gpex_mmio_window" in ours, ours


def qtree_pcie(qtree):
    """info qtree from the PCIe host to the next device on the system
    bus, without the property and gpio lines (QEMU has properties emu
    does not): the host's regions, its bus and each function's class,
    address, IDs, BARs and the virtio device inside."""
    lines = qtree.split("\n")
    start = lines.index("  dev: gpex-pcihost, id \"\"")
    shape = [lines[start]]
    for line in lines[start + 1:]:
        if line.startswith("  dev: "):
            break
        if not re.match(r" +([\w.-]+ = |gpio-)", line):
            shape.append(line)
    return "\n".join(shape)


def test_info_qtree_as_qemu():
    for args in ([], functions()):
        ours, theirs = both(NO_ROMS + args, ["info qtree"])
        ours, theirs = qtree_pcie(ours[0]), qtree_pcie(theirs[0])
        assert ours == theirs, (args, ours, theirs)
    assert "    bus: pcie.0\n      type PCIE\n" in ours, ours


if __name__ == "__main__":
    main(globals())
