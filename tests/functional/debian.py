# Debian's own builds of firmware and kernels as test guests: fetched
# with `apt-get download` and unpacked with `dpkg -x` into a cache under
# the build directory (never committed), once per build tree.  Packages
# of another architecture (":armhf") need it added to dpkg
# (.ci/install-deps does).
# SPDX-License-Identifier: GPL-2.0-or-later
import fcntl
import glob
import os
import re
import subprocess

from emutest import BUILD_DIR, Skip

CACHE = os.path.join(BUILD_DIR, "debian-cache")


def _apt(args, cwd=None):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def depends(spec, pattern):
    """The package SPEC ("linux-image-armmp:armhf") depends on whose name
    matches PATTERN, with SPEC's architecture: how a metapackage names
    the current kernel."""
    proc = _apt(["apt-cache", "depends", "--important", spec])
    found = re.findall(r"Depends: (" + pattern + r")(:\S+)?$",
                       proc.stdout, re.M)
    if proc.returncode != 0 or not found:
        raise Skip(f"apt-cache depends {spec} names no {pattern}: "
                   f"{proc.stderr.strip().splitlines()[-1:]}")
    arch = spec.partition(":")[2]
    return found[0][0] + (":" + arch if arch else "")


def package_root(spec):
    """Unpacks Debian package SPEC ("u-boot-qemu", "busybox-static:armhf")
    and returns the directory it was unpacked into; skips, saying why,
    when the archive cannot be reached."""
    name = spec.partition(":")[0]
    root = os.path.join(CACHE, spec.replace(":", "_"))
    os.makedirs(CACHE, exist_ok=True)
    # Tests running in parallel fetch a package once.
    with open(root + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.isdir(root):
            return root
        download = root + ".download"
        os.makedirs(download, exist_ok=True)
        # apt's sandbox user must be able to write there.
        os.chmod(download, 0o777)
        proc = _apt(["apt-get", "download", spec], cwd=download)
        debs = glob.glob(os.path.join(download, name + "_*.deb"))
        if proc.returncode != 0 or not debs:
            raise Skip(f"apt-get download {spec} failed: "
                       f"{proc.stderr.strip().splitlines()[-1:]}")
        subprocess.run(["dpkg", "-x", debs[0], root + ".tmp"], check=True,
                       timeout=300)
        os.rename(root + ".tmp", root)
        return root


def kernel_image(flavour, arch=""):
    """The vmlinuz of Debian's current linux-image-FLAVOUR (ARCH, as
    ":armhf", for another architecture's), unpacked."""
    root = package_root(depends(f"linux-image-{flavour}{arch}",
                                rf"linux-image-[0-9.-]+-{flavour}"))
    kernels = glob.glob(os.path.join(root, "boot", f"vmlinuz-*-{flavour}"))
    assert len(kernels) == 1, kernels
    return kernels[0]
