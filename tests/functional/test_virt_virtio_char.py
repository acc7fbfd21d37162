# The virt board's virtio-rng (/dev/hwrng) and virtio-serial (a
# virtconsole's hvc0 on a socket chardev) under Debian's armmp kernel
# (issue 9).
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re

from armmp import linux_with_virtio, poweroff
from emutest import Stream, main, tempdir, unix_connect


def test_linux_virtio_rng_console():
    # /dev/hwrng reads the host's entropy through virtio-rng; a shell on
    # hvc0 (a virtconsole on a socket chardev) answers what the test
    # sends, both ways through the virtio-serial queues.
    sock_path = os.path.join(tempdir(), "hvc.sock")
    linux = linux_with_virtio(
        ["-device", "virtio-rng-device",
         "-chardev", f"socket,id=vc,path={sock_path},server=on,wait=off",
         "-device", "virtio-serial-device",
         "-device", "virtconsole,chardev=vc"])
    sock = unix_connect(sock_path)
    try:
        linux.type("echo rng=$(cat /sys/class/misc/hw_random/rng_current)")
        linux.out.read_until("rng=virtio_rng.0\n", 60)
        samples = []
        for _ in range(2):
            # (he""x: the echoed command line does not match)
            linux.type("echo he\"\"x=$(head -c 64 /dev/hwrng | od -An "
                       "-tx1 | tr -d ' \\n')")
            linux.out.read_until("hex=", 60)
            samples.append(linux.out.read_until("\n", 60).strip())
        assert all(re.fullmatch(r"[0-9a-f]{128}", h) for h in samples), \
            samples
        assert samples[0] != samples[1] and len(set(samples[0])) > 4, samples
        linux.type("echo hello-hvc > /dev/hvc0; "
                   "setsid sh -c 'exec sh -i </dev/hvc0 >/dev/hvc0 2>&1' &")
        console = Stream(sock.fileno(), drop_cr=True)
        console.read_until("hello-hvc\n", 60)
        console.read_until("# ", 60)
        sock.sendall(b"echo hvc-$((6*7)); tty\n")
        console.read_until("hvc-42\n", 60)
        console.read_until("/dev/hvc0\n", 60)
        poweroff(linux)
    finally:
        sock.close()
        linux.close()


if __name__ == "__main__":
    main(globals())
