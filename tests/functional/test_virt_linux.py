# Debian's armmp kernel on the virt board (issue 9): booted with
# -kernel/-initrd/-append to a busybox shell, the console on the PL011,
# NEON offered to userspace, and with -smp 2 the second core started through PSCI, taken offline and
# back, and the machine powered off.
# SPDX-License-Identifier: GPL-2.0-or-later
from armmp import INIT_WITH_INIT, Linux
from emutest import main


def test_linux_busybox():
    linux = Linux()
    try:
        # The device tree reached the kernel, the generic timer ticks
        # through the GIC, the PL011 is the console.
        for line in ("OF: fdt: Machine model: linux,dummy-virt",
                     "arch_timer: cp15 timer(s) running at 62.50MHz (virt).",
                     "9000000.pl011: ttyAMA0 at MMIO 0x9000000 (irq = ",
                     # v7.1 debug (target/arm/debug.c), as on QEMU
                     "hw-breakpoint: found 5 (+1 reserved) breakpoint and "
                     "4 watchpoint registers.",
                     "hw-breakpoint: maximum watchpoint size is 8 bytes.",
                     "Run /init as init process"):
            assert line in linux.boot, (line, linux.boot)
        linux.out.read_until("# ", 60)
        # Typed input through the UART's receive interrupt.
        linux.type("echo typed-$((6*7)); cat /proc/cmdline")
        linux.out.read_until("typed-42\nconsole=ttyAMA0\n", 60)
        # MVFR1 reports Advanced SIMD: the kernel offers NEON to
        # userspace (and glibc's string functions in busybox take their
        # NEON versions from then on).
        linux.type("echo neon=$(grep -c -w neon /proc/cpuinfo)")
        linux.out.read_until("neon=1\n", 60)
    finally:
        linux.close()


def test_linux_smp_psci():
    # The kernel finds PSCI in the device tree (the same lines as on
    # QEMU), starts the second core with CPU_ON, takes it down and up
    # again (CPU_OFF, AFFINITY_INFO, CPU_ON), and busybox's poweroff ends
    # emu through SYSTEM_OFF with status 0.
    linux = Linux(["-smp", "2"], INIT_WITH_INIT.replace(b"@MODULES@", b""))
    try:
        for line in ("psci: PSCIv1.1 detected in firmware.",
                     "psci: Using standard PSCI v0.2 function IDs",
                     "psci: Trusted OS migration not required",
                     "CPU1: thread -1, cpu 1, socket 0, mpidr 80000001",
                     "smp: Brought up 1 node, 2 CPUs"):
            assert line in linux.boot, (line, linux.boot)
        linux.out.read_until("# ", 60)
        linux.type("echo cpus=$(grep -c ^processor /proc/cpuinfo)")
        linux.out.read_until("cpus=2\n", 60)
        linux.type("echo 0 > /sys/devices/system/cpu/cpu1/online; "
                   "echo off=$(cat /sys/devices/system/cpu/online)")
        linux.out.read_until("off=0\n", 60)
        linux.type("echo 1 > /sys/devices/system/cpu/cpu1/online; "
                   "echo on=$(cat /sys/devices/system/cpu/online)")
        linux.out.read_until("on=0-1\n", 60)
        linux.type("poweroff")
        rest = linux.out.read_until("reboot: Power down\n", 60)
        assert "Requesting system poweroff" in rest, rest
        assert linux.proc.wait(60) == 0
    finally:
        linux.close()


if __name__ == "__main__":
    main(globals())
