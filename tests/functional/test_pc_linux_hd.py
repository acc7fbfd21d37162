# The PC's IDE disk as a boot disk: a raw image built here without
# mounts (SYSLINUX's MBR from Debian's syslinux-common, a FAT partition
# written with mtools, SYSLINUX installed by Debian's syslinux) holding
# Debian's amd64 kernel and a busybox initramfs; `-hda` boots it through
# SeaBIOS to a shell where ata_piix and sd_mod see the disk, its
# partition table and its size.
# SPDX-License-Identifier: GPL-2.0-or-later
from emutest import main
from pclinux import DISK_SIZE, PC, syslinux_disk


def test_hda_boots_syslinux_to_a_shell():
    disk = syslinux_disk()
    pc = PC(["-drive", f"file={disk},format=raw,if=ide,index=0"])
    try:
        for line in ("SYSLINUX 6.04",
                     "Loading /vmlinuz... ok",
                     "Loading /initrd.gz...ok",
                     "ata1.00: ATA-7: QEMU HARDDISK",
                     f"sd 0:0:0:0: [sda] {DISK_SIZE // 512} 512-byte "
                     "logical blocks",
                     " sda: sda1\n",
                     "Run /init as init process"):
            assert line in pc.boot, (line, pc.boot)
        pc.run("cat /sys/block/sda/size /sys/block/sda/sda1/start",
               f"{DISK_SIZE // 512}\n2048\n")
        pc.poweroff()
    finally:
        pc.close()


if __name__ == "__main__":
    main(globals())
