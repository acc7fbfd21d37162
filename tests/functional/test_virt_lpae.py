# Debian's armmp-lpae kernel on the virt board with -cpu cortex-a15
# (issue 9): Linux on the long-descriptor (LPAE) translation tables, to a
# busybox shell.  A file of its own: each Linux boot takes a minute on a
# loaded machine, and each file must stay under the 300 s limit.
# SPDX-License-Identifier: GPL-2.0-or-later
from armmp import Linux, armmp_lpae_kernel
from emutest import main


def test_linux_lpae():
    # The kernel switches to the long-descriptor format (TTBCR.EAE)
    # before it prints anything and runs itself and every process on
    # 3-level tables: reaching the shell and running commands in forked
    # processes is the LPAE walk, ASIDs in TTBR0 and the TLB maintenance
    # by ASID at work.  The CPU is what QEMU's cortex-a15 reports
    # (ID_MMFR0 has VMSAv7 with LPAE, which /proc/cpuinfo shows).
    linux = Linux(["-cpu", "cortex-a15"], kernel=armmp_lpae_kernel())
    try:
        for line in ("-armmp-lpae (debian-kernel@lists.debian.org)",
                     "CPU: ARMv7 Processor [414fc0f0] revision 0 (ARMv7)",
                     "K/262144K available",
                     "Run /init as init process"):
            assert line in linux.boot, (line, linux.boot)
        linux.out.read_until("# ", 60)
        linux.type("echo lpae=$(grep -c -w lpae /proc/cpuinfo); "
                   "for i in 1 2 3 4 5 6 7 8; do echo $((i*i)) & done; "
                   "wait; echo sum=$(($(seq -s + 1 100)))")
        linux.out.read_until("lpae=1\n", 60)
        linux.out.read_until("sum=5050\n", 60)
    finally:
        linux.close()


if __name__ == "__main__":
    main(globals())
