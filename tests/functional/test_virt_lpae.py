# Debian's armmp-lpae kernel on the virt board with -cpu cortex-a15
# (issue 9): Linux on the long-descriptor (LPAE) translation tables, to a
# busybox shell, started as a U-Boot uImage with a device tree of the
# user's (-dtb).  A file of its own: each Linux boot takes a minute on a
# loaded machine, and each file must stay under the 300 s limit.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import shutil
import subprocess

from armmp import UIMAGE_GZIP, Linux, armmp_lpae_kernel, uimage
from emutest import Skip, binary, main, tempdir


def user_tree(model):
    """The tree emu makes for the board, with another model: what a
    user passes with -dtb after editing the board's."""
    if not shutil.which("dtc"):
        raise Skip("dtc is not installed (device-tree-compiler)")
    board = os.path.join(tempdir(), "board.dtb")
    subprocess.run([binary("arm"), "-M", "virt,dumpdtb=" + board, "-m",
                    "256M"], capture_output=True, check=True, timeout=60)
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", board],
                         capture_output=True, text=True, check=True).stdout
    dts = dts.replace('model = "linux,dummy-virt";', f'model = "{model}";')
    path = os.path.join(tempdir(), "user.dtb")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", path, "-"],
                   input=dts, text=True, check=True)
    return path


def test_linux_lpae():
    # The kernel switches to the long-descriptor format (TTBCR.EAE)
    # before it prints anything and runs itself and every process on
    # 3-level tables: reaching the shell and running commands in forked
    # processes is the LPAE walk, ASIDs in TTBR0 and the TLB maintenance
    # by ASID at work.  The CPU is what QEMU's cortex-a15 reports
    # (ID_MMFR0 has VMSAv7 with LPAE, which /proc/cpuinfo shows).
    # The zImage goes in a gzip uImage loaded at 0x40008000, as
    # `mkimage -A arm -O linux -T kernel -C gzip -a 0x40008000` makes it,
    # and the kernel reads the model of the user's tree.
    with open(armmp_lpae_kernel(), "rb") as f:
        image = uimage(f.read(), 0x40008000, 0x40008000, comp=UIMAGE_GZIP)
    kernel = os.path.join(tempdir(), "uImage")
    with open(kernel, "wb") as f:
        f.write(image)
    linux = Linux(["-cpu", "cortex-a15", "-dtb",
                   user_tree("emu user tree")], kernel=kernel)
    try:
        for line in ("-armmp-lpae (debian-kernel@lists.debian.org)",
                     "CPU: ARMv7 Processor [414fc0f0] revision 0 (ARMv7)",
                     "OF: fdt: Machine model: emu user tree\n",
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
