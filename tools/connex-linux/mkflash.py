#!/usr/bin/env python3
# Lays out a 16 MiB flash image for the Gumstix connex that boots Linux:
# the boot stub (boot.S, assembled here) at 0, its boot table at 0x100,
# the ATAG list, the zImage and the initramfs further on.  At reset the
# stub copies them into SDRAM and enters the kernel as a boot loader
# would (machine type 373, MACH_TYPE_GUMSTIX).
#
#   tools/connex-linux/mkflash.py ZIMAGE INITRAMFS FLASH [--append ARGS]
#
# SPDX-License-Identifier: GPL-2.0-or-later
import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile

FLASH_SIZE = 16 << 20
SDRAM = 0xa0000000
SDRAM_SIZE = 64 << 20
MACH_TYPE_GUMSTIX = 373
TABLE = 0x100
# Where the pieces sit in the flash, and where the stub puts them.  The
# kernel decompresses itself to SDRAM + 0x8000; the zImage and the
# initramfs wait well above what it unpacks to.
ATAGS_FLASH, ATAGS_RAM = 0x1000, SDRAM + 0x100
ZIMAGE_FLASH, ZIMAGE_RAM = 0x10000, SDRAM + (16 << 20)
INITRD_FLASH, INITRD_RAM = 0x800000, SDRAM + (32 << 20)
DEFAULT_APPEND = "console=ttyS0,115200"

ATAG_NONE, ATAG_CORE, ATAG_MEM = 0, 0x54410001, 0x54410002
ATAG_INITRD2, ATAG_CMDLINE = 0x54420005, 0x54410009


def tag(kind, payload):
    """One ATAG: its size in words (header included), its kind, payload."""
    assert len(payload) % 4 == 0
    return struct.pack("<II", 2 + len(payload) // 4, kind) + payload


def atags(initrd_size, append):
    cmdline = append.encode() + b"\0"
    cmdline += b"\0" * (-len(cmdline) % 4)
    return (tag(ATAG_CORE, struct.pack("<III", 0, 4096, 0)) +
            tag(ATAG_MEM, struct.pack("<II", SDRAM_SIZE, SDRAM)) +
            tag(ATAG_INITRD2, struct.pack("<II", INITRD_RAM, initrd_size)) +
            tag(ATAG_CMDLINE, cmdline) +
            struct.pack("<II", 0, ATAG_NONE))


def assemble_stub():
    """boot.S as raw bytes, by whichever ARM assembler is installed."""
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "boot.S")
    for prefix in ("arm-none-eabi-", "arm-linux-gnueabi-", "arm-linux-gnueabihf-"):
        if shutil.which(prefix + "as") and shutil.which(prefix + "objcopy"):
            break
    else:
        sys.exit("mkflash: no ARM assembler (Debian: apt-get install "
                 "gcc-arm-none-eabi or binutils-arm-linux-gnueabi)")
    with tempfile.TemporaryDirectory() as tmp:
        obj, raw = os.path.join(tmp, "boot.o"), os.path.join(tmp, "boot.bin")
        subprocess.run([prefix + "as", "-march=armv5te", "-o", obj, source],
                       check=True)
        subprocess.run([prefix + "objcopy", "-O", "binary", obj, raw],
                       check=True)
        with open(raw, "rb") as f:
            return f.read()


def place(image, offset, data, limit, what):
    if offset + len(data) > limit:
        sys.exit(f"mkflash: {what} is too big ({len(data)} bytes, "
                 f"room for {limit - offset})")
    image[offset:offset + len(data)] = data


def padded(data):
    return data + b"\0" * (-len(data) % 4)


def main():
    parser = argparse.ArgumentParser(
        description="Make a connex flash image that boots Linux.")
    parser.add_argument("zimage")
    parser.add_argument("initramfs")
    parser.add_argument("flash")
    parser.add_argument("--append", default=DEFAULT_APPEND,
                        help=f"the kernel command line ({DEFAULT_APPEND!r})")
    args = parser.parse_args()
    with open(args.zimage, "rb") as f:
        zimage = padded(f.read())
    with open(args.initramfs, "rb") as f:
        initrd = f.read()
    tags = atags(len(initrd), args.append)
    stub = assemble_stub()

    image = bytearray(b"\xff" * FLASH_SIZE)    # erased flash
    place(image, 0, stub, TABLE, "the boot stub")
    copies = [(ATAGS_FLASH, ATAGS_RAM, len(tags)),
              (ZIMAGE_FLASH, ZIMAGE_RAM, len(zimage)),
              (INITRD_FLASH, INITRD_RAM, len(padded(initrd)))]
    table = struct.pack("<I", len(copies))
    for copy in copies:
        table += struct.pack("<III", *copy)
    table += struct.pack("<III", MACH_TYPE_GUMSTIX, ATAGS_RAM, ZIMAGE_RAM)
    place(image, TABLE, table, ATAGS_FLASH, "the boot table")
    place(image, ATAGS_FLASH, tags, ZIMAGE_FLASH, "the command line")
    place(image, ZIMAGE_FLASH, zimage, INITRD_FLASH, "the zImage")
    place(image, INITRD_FLASH, padded(initrd), FLASH_SIZE, "the initramfs")
    with open(args.flash, "wb") as f:
        f.write(image)


if __name__ == "__main__":
    main()
