# The virt board (issue 9): the device tree against QEMU 7.2's for the
# same command line (with -kernel/-initrd/-append too), Debian's U-Boot
# (u-boot-qemu, qemu_arm) started from -bios, and the command lines the
# board refuses, with QEMU's messages.  Linux boots are in
# test_virt_linux.py and test_virt_virtio.py.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import shutil
import subprocess

from armmp import armmp_kernel, busybox_initramfs
from debian import package_root
from emutest import Skip, Stream, binary, main, run_fails, tempdir

TIMEOUT = 60
QEMU = shutil.which("qemu-system-arm")
# What QEMU's virt has that emu's leaves out (docs/boards/virt.md).
NOT_MODELLED = ("platform-bus@c000000",
                "gpio-keys", "pl061@9030000", "pcie@10000000",
                "v2m@8020000")


def need_dtc():
    if not shutil.which("dtc"):
        raise Skip("dtc is not installed (device-tree-compiler)")


def dump_dts(program, args):
    """The device tree PROGRAM gives the virt board with ARGS, as dtc
    prints it, without the nodes emu leaves out and the random seeds."""
    path = os.path.join(tempdir(), "virt.dtb")
    proc = subprocess.run([program, "-M", "virt,dumpdtb=" + path,
                           "-nographic"] + args, capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, (proc.returncode, proc.stderr)
    assert proc.stderr.endswith(f"info: dtb dumped to {path}. Exiting.\n"), \
        proc.stderr
    assert os.path.getsize(path) == 1 << 20
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", path],
                         capture_output=True, text=True, check=True).stdout
    kept, skipping = [], 0
    for line in dts.splitlines():
        name = re.match(r"\s*(\S+) \{$", line)
        if skipping:
            skipping += line.count("{") - line.count("}")
        elif name and name.group(1) in NOT_MODELLED:
            skipping = 1
        elif line and not re.match(r"\s*(rng-seed|kaslr-seed) = ", line):
            kept.append(line)
    return "\n".join(kept)


def check_dtb(args):
    need_dtc()
    if not QEMU:
        raise Skip("qemu-system-arm is not installed")
    ours = dump_dts(binary("arm"), args)
    theirs = dump_dts(QEMU, args)
    assert ours == theirs, "\n".join(
        l for l in __import__("difflib").unified_diff(
            theirs.splitlines(), ours.splitlines(), "qemu", "emu",
            lineterm=""))


def test_dtb_default():
    check_dtb([])


def test_dtb_cortex_a7_512m():
    check_dtb(["-cpu", "cortex-a7", "-m", "512M"])


def test_dtb_smp():
    # PSCI's node and the CPUs' enable-method, the timer's CPU mask.
    check_dtb(["-smp", "2"])
    check_dtb(["-smp", "8", "-cpu", "cortex-a7"])


def test_dtb_seeds_change():
    need_dtc()
    path = os.path.join(tempdir(), "virt.dtb")
    seeds = []
    for _ in range(2):
        subprocess.run([binary("arm"), "-M", "virt,dumpdtb=" + path],
                       capture_output=True, check=True, timeout=TIMEOUT)
        dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", path],
                             capture_output=True, text=True,
                             check=True).stdout
        seeds.append(re.findall(r"(?:rng|kaslr)-seed = <([^>]*)>", dts))
    assert len(seeds[0]) == 2 and seeds[0] != seeds[1], seeds


def uboot():
    root = package_root("u-boot-qemu")
    return os.path.join(root, "usr", "lib", "u-boot", "qemu_arm",
                        "u-boot.bin")


class UBoot:
    """Debian's U-Boot on PROGRAM's virt board, at its prompt."""

    def __init__(self, program, args=()):
        # QEMU's board has a PCI network card unless told otherwise;
        # emu's has no PCI, so no card either.
        nic = ["-nic", "none"] if program == QEMU else []
        self.proc = subprocess.Popen(
            [program, "-M", "virt", "-m", "256M", "-display", "none",
             "-monitor", "none", "-serial", "stdio", "-bios", uboot()] + nic +
            list(args),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT)
        self.out = Stream(self.proc.stdout.fileno(), drop_cr=True)
        # The boot command finds nothing to boot and gives up.
        self.boot = self.out.read_until("\n=> ", TIMEOUT)

    def cmd(self, line):
        self.proc.stdin.write(line.encode() + b"\r")
        self.proc.stdin.flush()
        text = self.out.read_until("\n=> ", TIMEOUT)
        echo, _, rest = text.partition("\n")
        assert echo == line, (echo, line)
        return rest[:-len("=> ")]

    def close(self):
        self.proc.kill()
        self.proc.wait()


# Where the boards differ: QEMU's has PCI (more devices, more early
# malloc) and builds each flash bank from two 16-bit parts, which U-Boot
# sizes differently.
UBOOT_DIFFERENCES = re.compile(r"^(flashsize|Early malloc usage).*\n", re.M)
SEEDS = re.compile(r"(rng|kaslr)-seed = <[^>]*>")


def uboot_session(program):
    uboot_run = UBoot(program)
    try:
        lines = []
        for cmd in ("version", "bdinfo",
                    "fdt addr $fdtcontroladdr; fdt print /chosen",
                    "fdt print /memory@40000000"):
            lines.append(uboot_run.cmd(cmd))
    finally:
        uboot_run.close()
    return SEEDS.sub("seed", UBOOT_DIFFERENCES.sub("", "".join(lines)))


def test_uboot_prompt():
    # Its boot to the prompt (the boot command finds nothing to boot),
    # then commands that show what it found: the device tree at the
    # start of RAM, the RAM, the console; the same answers as on QEMU.
    uboot_run = UBoot(binary("arm"))
    uboot_run.close()
    for line in ("\nU-Boot 2023.01", "\nDRAM:  256 MiB\n",
                 "\nIn:    pl011@9000000\n", "\nHit any key to stop autoboot"):
        assert line in uboot_run.boot, (line, uboot_run.boot)
    ours = uboot_session(binary("arm"))
    assert 'stdout-path = "/pl011@9000000";' in ours, ours
    assert "-> size     = 0x10000000\n" in ours, ours
    if QEMU:
        theirs = uboot_session(QEMU)
        assert ours == theirs, "\n".join(__import__("difflib").unified_diff(
            theirs.splitlines(), ours.splitlines(), "qemu", "emu",
            lineterm=""))


def test_uboot_reads_fw_cfg():
    # U-Boot finds fw_cfg through the device tree node and reads the CPU
    # count with its DMA interface, as on QEMU.
    for program in (binary("arm"),) + ((QEMU,) if QEMU else ()):
        uboot_run = UBoot(program, ["-smp", "2"])
        try:
            assert uboot_run.cmd("qfw cpus") == "2 cpu(s) online\n", program
        finally:
            uboot_run.close()


# ---- Linux ----

def test_dtb_kernel_boot():
    # /chosen with -append and -initrd, the tree QEMU hands the kernel.
    check_dtb(["-m", "256M", "-kernel", armmp_kernel(), "-initrd",
               busybox_initramfs(), "-append", "console=ttyAMA0 quiet"])


# ---- refused command lines ----

def test_cpu_not_supported():
    err = run_fails(["-M", "virt", "-cpu", "cortex-a9"])
    assert err == "emu-system-arm: mach-virt: CPU type cortex-a9-arm-cpu " \
                  "not supported\n", err


def test_bios_and_pflash():
    path = os.path.join(tempdir(), "flash0.img")
    with open(path, "wb") as f:
        f.truncate(64 << 20)
    err = run_fails(["-M", "virt", "-bios", path, "-drive",
                     f"if=pflash,format=raw,file={path}"])
    assert "you cannot use both options at once" in err, err


def test_bios_missing():
    err = run_fails(["-M", "virt", "-bios", "/nonexistent/u-boot.bin"])
    assert "/nonexistent/u-boot.bin" in err, err


def test_initrd_without_room():
    path = os.path.join(tempdir(), "big-initrd")
    with open(path, "wb") as f:
        f.truncate(200 << 20)
    kernel = os.path.join(tempdir(), "zImage")
    with open(kernel, "wb") as f:
        f.write(b"\0" * 4096)
    err = run_fails(["-M", "virt", "-m", "256M", "-kernel", kernel,
                     "-initrd", path])
    assert f"could not load initrd '{path}'" in err, err


def test_too_many_cpus():
    # The GICv2's eight CPU interfaces, QEMU's message.
    for smp in ("9", "2,maxcpus=9"):
        err = run_fails(["-M", "virt", "-smp", smp])
        assert err == "emu-system-arm: Number of SMP CPUs requested (9) " \
                      "exceeds max CPUs supported by machine 'mach-virt' " \
                      "(8)\n", err


def test_too_much_ram():
    err = run_fails(["-M", "virt", "-m", "256G"])
    assert "mach-virt: cannot model more than 255GB RAM" in err, err


if __name__ == "__main__":
    main(globals())
