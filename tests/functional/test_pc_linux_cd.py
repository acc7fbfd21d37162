# The PC's CD-ROM under real software: a CD image built here (ISOLINUX
# from Debian's isolinux package, written with xorriso) holding Debian's
# amd64 kernel and a busybox initramfs; `emu-system-x86_64 -m 1G -cdrom
# linux.iso` boots it through SeaBIOS's El Torito support and ISOLINUX
# (which takes the timer interrupt in protected mode and reads the CD
# through the BIOS) to a shell, where ata_piix and sr_mod see the ATAPI
# drive and its medium reads back as the image.
# SPDX-License-Identifier: GPL-2.0-or-later
import hashlib

from emutest import main
from pclinux import PC, isolinux_iso


def test_cdrom_boots_isolinux_to_a_shell():
    iso = isolinux_iso()
    with open(iso, "rb") as f:
        digest = hashlib.md5(f.read()).hexdigest()
    pc = PC(["-cdrom", iso])
    try:
        for line in ("ISOLINUX 6.04",
                     "Loading /vmlinuz... ok", "Loading /initrd.gz...ok",
                     "Command line: BOOT_IMAGE=/vmlinuz console=ttyS0 "
                     "initrd=/initrd.gz",
                     "ata2.00: ATAPI: QEMU DVD-ROM",
                     "sr 1:0:0:0: [sr0] scsi3-mmc drive",
                     "Run /init as init process"):
            assert line in pc.boot, (line, pc.boot)
        pc.run("md5sum /dev/sr0", f"{digest}  /dev/sr0\n", 120)
        pc.poweroff()
    finally:
        pc.close()


if __name__ == "__main__":
    main(globals())
