# Debian's amd64 kernel (linux-image-amd64) on -M microvm under tcg
# (issue 8): booted with -kernel/-initrd/-append to a busybox shell built
# here (busybox-static, amd64), with one vCPU and with -smp 2, its
# console on the 16550 at 0x3f8; the shell runs typed commands and
# "reboot -f" ends emu (-no-reboot).
# SPDX-License-Identifier: GPL-2.0-or-later
import subprocess

from armmp import INIT, busybox_initramfs
from emutest import Stream, binary, main, need_emulator
from pclinux import TROUBLE, amd64_kernel


def boot_type_reboot(args, boot_lines, cpus, apic_ids=None):
    """Boots the kernel on microvm with ARGS, checks BOOT_LINES and the
    absence of TROUBLE in its log, runs commands in the shell (which
    sees CPUS processors, with APIC_IDS if given) and reboots, ending emu
    with status 0."""
    need_emulator("x86_64")
    kernel = amd64_kernel()
    initrd = busybox_initramfs(INIT, busybox="busybox-static:amd64")
    proc = subprocess.Popen(
        [binary("x86_64"), "-M", "microvm", "-accel", "tcg", "-m", "512M",
         "-nodefaults", "-display", "none", "-serial", "stdio",
         "-no-reboot", "-kernel", kernel, "-initrd", initrd,
         "-append", "console=ttyS0"] + args,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT)
    try:
        out = Stream(proc.stdout.fileno(), drop_cr=True)
        boot = out.read_until("emu-init: x86_64\n", 240)
        for line in boot_lines:
            assert line in boot, (line, boot)
        for line in TROUBLE:
            assert line not in boot, (line, boot)
        out.read_until("# ", 60)
        # Typed input through the 16550's receive interrupt, user space
        # running busybox.
        proc.stdin.write(b"echo typed-$((6*7)); cat /proc/cmdline; "
                         b"grep -c ^processor /proc/cpuinfo\n")
        proc.stdin.flush()
        out.read_until(f"typed-42\nconsole=ttyS0\n{cpus}\n", 60)
        if apic_ids:
            proc.stdin.write(b"grep ^apicid /proc/cpuinfo | tr -d ' \\t' "
                             b"| tr '\\n' ,; echo\n")
            proc.stdin.flush()
            out.read_until("".join(f"apicid:{i}," for i in apic_ids) +
                           "\n", 60)
        proc.stdin.write(b"reboot -f\n")
        proc.stdin.flush()
        out.read_until("reboot: Restarting system\n", 60)
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_debian_kernel_boots_to_a_shell_on_microvm_tcg():
    # The boot protocol, microvm's MP table, the machine-check banks
    # (MCG_CAP), the 16550 and the initramfs reached the kernel.
    boot_type_reboot([], ("Linux version 6.",
                          "MPTABLE: OEM ID: EMU",
                          "smpboot: CPU0: AMD QEMU Virtual CPU version 2.5+",
                          "serial8250: ttyS0 at I/O 0x3f8 (irq = 4, "
                          "base_baud = 115200) is a 16550A",
                          "Trying to unpack rootfs image as initramfs...",
                          "Run /init as init process"), 1)


def test_debian_kernel_smp2_on_microvm_tcg():
    # The second vCPU (a host thread of its own) started through
    # INIT/SIPI, the kernel's locked operations atomic between them.
    boot_type_reboot(["-smp", "2"], ("smpboot: Allowing 2 CPUs",
                                     "smp: Brought up 1 node, 2 CPUs",
                                     "Run /init as init process"), 2)


def test_debian_kernel_on_nehalem_with_apic_id_gaps():
    # -cpu Nehalem (every feature of it runs on tcg): the kernel names it
    # and takes its SSE4.2/POPCNT paths.  Two packages of three cores, one
    # of them with a single CPU (maxcpus 6): APIC IDs 0 1 2 4 as QEMU gives
    # them, in the MP table and CPUID (leaf 0xb on this Intel model); the
    # kernel starts each by its APIC ID and counts two packages.
    boot_type_reboot(["-cpu", "Nehalem",
                      "-smp", "4,sockets=2,cores=3,maxcpus=6"],
                     ("smpboot: CPU0: Intel Core i7 9xx (Nehalem Class Core "
                      "i7) (family: 0x6, model: 0x1a, stepping: 0x3)",
                      "smpboot: Allowing 4 CPUs",
                      "smp: Brought up 1 node, 4 CPUs",
                      "smpboot: Max logical packages: 2"), 4, (0, 1, 2, 4))


if __name__ == "__main__":
    main(globals())
