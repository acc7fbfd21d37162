# emu-img bench (issue 10): qemu-img's request benchmark over the block
# layer's asynchronous requests.  What it prints is qemu-img's (but the
# time), the bytes it writes are the ones qemu-img bench writes with the
# same options (compared with qemu-img compare, then qemu-img check),
# and bad options and failing requests get qemu-img's messages.
# SPDX-License-Identifier: GPL-2.0-or-later
import re

from emutest import main
from imgtest import as_qemu, check_clean, emu_img, path, qemu_img

TIME_LINE = re.compile(r"Run completed in \d+\.\d{3} seconds\.\n\Z")


def same_bench(*args):
    """emu-img's and qemu-img's output of the same bench, time aside."""
    e, q = emu_img("bench", *args), qemu_img("bench", *args)
    assert TIME_LINE.search(e.stdout), e.stdout
    assert TIME_LINE.sub("", e.stdout) == TIME_LINE.sub("", q.stdout), \
        (args, e.stdout, q.stdout)
    return e.stdout


def test_reads_and_writes_as_qemu_img():
    for fmt in ("qcow2", "raw"):
        for tool in (emu_img, qemu_img):
            name = f"{tool.__name__}.{fmt}"
            qemu_img("create", "-q", "-f", fmt, path(name), "16M")
        # None of these wraps past the end: QEMU 7.2 (the reference
        # here) wraps modulo the image size, emu-img as QEMU 10 does
        # (test_offsets_wrap_before_the_end).
        for args in (["-c", "3000", "-d", "8", "-s", "4k"],
                     ["-c", "15", "-d", "3", "-s", "12k", "-S", "1000k",
                      "-o", "7k", "--pattern=0xa5"],
                     ["-c", "160", "-d", "16", "-S", "100k",
                      "--pattern=66", "--flush-interval=40"],
                     ["-c", "250", "-d", "16", "-S", "64k", "--pattern=7",
                      "--flush-interval=50", "--no-drain"],
                     ["-c", "5", "-s", "1M", "-S", "3M", "--pattern=9",
                      "-t", "writethrough"]):
            e = emu_img("bench", "-f", fmt, "-w", *args,
                        path(f"emu_img.{fmt}"))
            q = qemu_img("bench", "-f", fmt, "-w", *args,
                         path(f"qemu_img.{fmt}"))
            assert TIME_LINE.sub("", e.stdout) == \
                TIME_LINE.sub("", q.stdout), (args, e.stdout, q.stdout)
            # The same requests leave the same bytes.
            qemu_img("compare", "-f", fmt, "-F", fmt, path(f"emu_img.{fmt}"),
                     path(f"qemu_img.{fmt}"))
            if fmt == "qcow2":
                check_clean(path("emu_img.qcow2"))
        same_bench("-f", fmt, "-c", "5000", "-s", "8k", "-S", "24k",
                   path(f"emu_img.{fmt}"))
        same_bench("-f", fmt, "-c", "0", path(f"emu_img.{fmt}"))


def test_offsets_wrap_before_the_end():
    size, bufsize, step, start, count = 1 << 20, 12 << 10, 100 << 10, \
        7 << 10, 40
    qemu_img("create", "-q", "-f", "raw", path("wrap.raw"), str(size))
    emu_img("bench", "-f", "raw", "-w", "-c", str(count), "-d", "4", "-s",
            str(bufsize), "-S", str(step), "-o", str(start), "--pattern=0x3c",
            path("wrap.raw"))
    expected = bytearray(size)
    offset = start
    for _ in range(count):
        expected[offset:offset + bufsize] = b"\x3c" * bufsize
        offset = (offset + step) % (size - bufsize)
    with open(path("wrap.raw"), "rb") as f:
        assert f.read() == expected


def test_a_compressed_image_with_a_backing_file_reads():
    qemu_img("create", "-q", "-f", "qcow2", path("base.qcow2"), "4M")
    emu_img("bench", "-w", "-f", "qcow2", "-c", "64", "-s", "64k",
            "--pattern=0x5a", path("base.qcow2"))
    qemu_img("convert", "-c", "-O", "qcow2", path("base.qcow2"),
             path("packed.qcow2"))
    qemu_img("create", "-q", "-f", "qcow2", "-b", "packed.qcow2", "-F",
             "qcow2", path("top.qcow2"))
    out = same_bench("-f", "qcow2", "-c", "2000", "-d", "32", "-s", "4k",
                     "-S", "60k", path("top.qcow2"))
    assert out.startswith("Sending 2000 read requests, 4096 bytes each, "
                          "32 in parallel (starting at offset 0, step size "
                          "61440)\n"), out


def test_errors_as_qemu_img():
    qemu_img("create", "-q", "-f", "qcow2", path("e.qcow2"), "1M")
    for args in (["--flush-interval=64", "e.qcow2"],
                 ["-w", "--flush-interval=10", "e.qcow2"],
                 ["-c", "x", "e.qcow2"],
                 ["-d", "-1", "e.qcow2"],
                 ["-s", "2G", "e.qcow2"],
                 ["-s", "x", "e.qcow2"],
                 ["-S", "3G", "e.qcow2"],
                 ["-o", "9E", "e.qcow2"],
                 ["-o", "1q", "e.qcow2"],
                 ["--flush-interval=x", "-w", "e.qcow2"],
                 ["--pattern=256", "e.qcow2"],
                 ["-t", "fast", "e.qcow2"],
                 ["e.qcow2", "f.qcow2"],
                 []):
        e = emu_img("bench", *args, check=False)
        q = qemu_img("bench", *args, check=False)
        assert (e.returncode, as_qemu(e.stderr)) == \
            (q.returncode, q.stderr), (args, e.stderr, q.stderr)
    # qemu-img waits forever with no request in flight; emu-img refuses.
    e = emu_img("bench", "-d", "0", "e.qcow2", check=False)
    assert (e.returncode, e.stderr) == \
        (1, "emu-img: Invalid queue depth specified\n"), e
    e = emu_img("bench", "-n", "e.qcow2", check=False)
    assert e.returncode == 1 and "aio=native" in e.stderr, e.stderr
    e = emu_img("bench", "missing.qcow2", check=False)
    assert (e.returncode, e.stderr) == \
        (1, "emu-img: Could not open 'missing.qcow2': No such file or "
            "directory\n"), e.stderr
    # A request past the end fails the run, with the reason.
    e = emu_img("bench", "-s", "2M", "-c", "3", "e.qcow2", check=False)
    assert e.returncode == 1, e
    assert e.stderr.startswith("emu-img: Failed request: Input/output "
                               "error ("), e.stderr
    assert "past the end" in e.stderr, e.stderr
    assert "Run completed" not in e.stdout, e.stdout


if __name__ == "__main__":
    main(globals())
