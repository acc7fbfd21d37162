# Debian's own builds of firmware and kernels as test guests: fetched
# with `apt-get download` and unpacked with `dpkg -x` into a cache under
# the build directory (never committed), once per build tree.
# SPDX-License-Identifier: GPL-2.0-or-later
import fcntl
import glob
import os
import subprocess

from emutest import BUILD_DIR, Skip

CACHE = os.path.join(BUILD_DIR, "debian-cache")


def package_root(name):
    """Unpacks Debian package NAME (this host's release) and returns the
    directory it was unpacked into; skips, saying why, when the archive
    cannot be reached."""
    root = os.path.join(CACHE, name)
    os.makedirs(CACHE, exist_ok=True)
    # Tests running in parallel fetch a package once.
    with open(os.path.join(CACHE, name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.isdir(root):
            return root
        download = os.path.join(CACHE, name + ".download")
        os.makedirs(download, exist_ok=True)
        proc = subprocess.run(["apt-get", "download", name], cwd=download,
                              capture_output=True, text=True, timeout=300)
        debs = glob.glob(os.path.join(download, name + "_*.deb"))
        if proc.returncode != 0 or not debs:
            raise Skip(f"apt-get download {name} failed: "
                       f"{proc.stderr.strip().splitlines()[-1:]}")
        subprocess.run(["dpkg", "-x", debs[0], root + ".tmp"], check=True,
                       timeout=300)
        os.rename(root + ".tmp", root)
        return root
