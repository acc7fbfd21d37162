# Debian's Linux writes the PC's IDE disk and finds it again after a
# reboot: booted on two vCPUs (-smp 2: SeaBIOS wakes and parks the second,
# Linux starts it again; both run the boot after the guest's reset too)
# from an ISOLINUX CD (-boot d) with a qcow2 image as -hda, it writes 1 MiB of random bytes to /dev/sda with dd (ata_piix's
# bus-master DMA, a FLUSH CACHE from conv=fsync), reboots with
# `reboot -f` (the guest resets the machine; SeaBIOS and ISOLINUX boot
# again from the CD), reads the bytes back, powers off, and qemu-img
# check finds the image clean.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import subprocess

from emutest import main, tempdir
from pclinux import PC, isolinux_iso

# Where the pattern goes: 64 KiB blocks, from 3 MiB in.
BLOCKS = "bs=64k count=16"
OFFSET_BLOCKS = 48


def check_both_cpus(pc, boot):
    """Linux started the second vCPU and each takes its local APIC timer's
    interrupts (LOC: in /proc/interrupts, one count per CPU)."""
    assert "smp: Brought up 1 node, 2 CPUs" in boot, boot
    out = pc.run("grep -c ^processor /proc/cpuinfo; grep LOC: "
                 "/proc/interrupts; echo counted-$((2+2))", "counted-4\n")
    assert re.search(r"^2$", out, re.M), out
    counts = re.search(r"LOC:\s+(\d+)\s+(\d+)", out)
    assert counts and all(int(n) > 0 for n in counts.groups()), out


def test_dd_survives_a_guest_reboot_and_qcow2_is_clean():
    iso = isolinux_iso()
    disk = os.path.join(tempdir(), "disk.qcow2")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", disk, "64M"],
                   check=True, timeout=60)
    pc = PC(["-smp", "2", "-cdrom", iso, "-drive", f"file={disk},format=qcow2,if=ide,"
             "index=0", "-boot", "d"])
    try:
        assert "[sda] 131072 512-byte logical blocks" in pc.boot, pc.boot
        check_both_cpus(pc, pc.boot)
        written = pc.run(
            f"dd if=/dev/urandom of=/pattern {BLOCKS} 2>/dev/null; "
            f"dd if=/pattern of=/dev/sda {BLOCKS} seek={OFFSET_BLOCKS} "
            "conv=fsync 2>/dev/null; md5sum </pattern; "
            "echo written-$((40+2))", "written-42\n", 120)
        digest = re.findall(r"^([0-9a-f]{32})  -$", written, re.M)
        assert len(digest) == 1, written
        pc.type("reboot -f")
        pc.out.read_until("reboot: Restarting system\n", 60)
        check_both_cpus(pc, pc.wait_boot())
        pc.run(f"dd if=/dev/sda {BLOCKS} skip={OFFSET_BLOCKS} 2>/dev/null "
               "| md5sum", f"{digest[0]}  -\n", 120)
        pc.poweroff()
    finally:
        pc.close()
    check = subprocess.run(["qemu-img", "check", disk], capture_output=True,
                           text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No errors were found on the image." in check.stdout, check.stdout
    # The guest's writes allocated clusters (1 MiB at least).
    info = subprocess.run(["qemu-img", "map", "--output=json", disk],
                          capture_output=True, text=True, timeout=60)
    assert '"data": true' in info.stdout, info.stdout


if __name__ == "__main__":
    main(globals())
