#!/bin/sh
# Builds Linux for the Gumstix connex and a busybox initramfs for it, from
# Debian 12's packages, once per machine: the result is kept in a cache
# directory named after everything it is made of, and later calls print
# that directory at once.
#
#   tools/connex-linux/build.sh
#
# prints the directory holding zImage and initramfs.cpio.gz.  The cache
# is $EMU_LINUX_CACHE, else $XDG_CACHE_HOME/emu/connex-linux, else
# ~/.cache/emu/connex-linux; concurrent callers wait for one build (flock).
# Needs linux-source-6.1, gcc-arm-linux-gnueabi, flex, bison, bc and the
# armel architecture in apt (dpkg --add-architecture armel; apt-get
# update) to download busybox-static:armel; .ci/install-deps has them.
# Exit status 2: something it needs is missing (the message says what).
# The kernel build takes about 470 CPU-seconds; it runs under nice.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

here=$(cd "$(dirname "$0")" && pwd)
source_tar=/usr/src/linux-source-6.1.tar.xz
cross=arm-linux-gnueabi-

missing() {
    echo "connex-linux: $1" >&2
    exit 2
}
[ -r "$source_tar" ] ||
    missing "$source_tar not found (Debian: apt-get install linux-source-6.1)"
for tool in ${cross}gcc flex bison bc make gzip xz flock dpkg-deb apt-get; do
    command -v $tool >/dev/null 2>&1 ||
        missing "$tool not found (.ci/install-deps lists the packages)"
done
source_version=$(dpkg-query -W -f '${Version}' linux-source-6.1 2>/dev/null ||
                 stat -c %s-%Y "$source_tar")
busybox_version=$(apt-cache policy busybox-static:armel 2>/dev/null |
                  sed -n 's/^ *Candidate: //p')
case $busybox_version in
    ""|"(none)")
        missing "busybox-static:armel is not known to apt" \
                "(dpkg --add-architecture armel; apt-get update)" ;;
esac

# The cache key: the kernel's and busybox's versions, the compiler, and
# the files here that shape the result.
key=$( (echo "$source_version" "$busybox_version";
        ${cross}gcc --version | head -1;
        cat "$here/kernel.config" "$here/init" "$here/build.sh") |
      sha256sum | cut -c1-16)
cache=${EMU_LINUX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/emu/connex-linux}
out=$cache/$key
mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9
if [ -f "$out/zImage" ] && [ -f "$out/initramfs.cpio.gz" ]; then
    echo "$out"
    exit 0
fi

work=$cache/$key.tmp
rm -rf "$work"
mkdir -p "$work"
echo "connex-linux: building Linux $source_version for connex in $work" >&2

# Busybox, for the initramfs.
(cd "$work" && apt-get download -q -o APT::Sandbox::User=root \
        busybox-static:armel >&2) ||
    missing "cannot download busybox-static:armel (is the Debian archive reachable?)"
dpkg-deb -x "$work"/busybox-static_*_armel.deb "$work/busybox"

# The kernel: tinyconfig, then the fragment on top.
nice tar -C "$work" -xJf "$source_tar"
src=$work/linux-source-6.1
jobs=$(nproc)
kmake() {
    nice make -C "$src" ARCH=arm CROSS_COMPILE=$cross -j"$jobs" -s "$@" >&2
}
kmake tinyconfig
(cd "$src" && ARCH=arm scripts/kconfig/merge_config.sh -m .config \
    "$here/kernel.config" >&2)
kmake olddefconfig
# A fragment line the kernel dropped (a misspelt or unmet option) would
# give a kernel that silently lacks it.
grep '^CONFIG_.*=' "$here/kernel.config" | while IFS= read -r line; do
    grep -qx "$line" "$src/.config" ||
        { echo "connex-linux: the kernel refused $line" >&2; exit 1; }
done
kmake zImage
cp "$src/arch/arm/boot/zImage" "$src/.config" "$work/"

# The initramfs, by the kernel's own packer: it makes /dev/console
# without root, which /init's shell needs before devtmpfs is up.
cat >"$work/initramfs.list" <<LIST
dir /bin 755 0 0
dir /dev 755 0 0
nod /dev/console 600 0 0 c 5 1
file /bin/busybox $work/busybox/bin/busybox 755 0 0
file /init $here/init 755 0 0
LIST
"$src/usr/gen_init_cpio" "$work/initramfs.list" | gzip -9n >"$work/initramfs.cpio.gz"
rm -rf "$src" "$work/busybox" "$work/initramfs.list" "$work"/*.deb
mv "$work" "$out"
echo "$out"
