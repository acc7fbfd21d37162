#!/usr/bin/env python3
# Disk image benchmarks, emu-img against Debian's qemu-img (issue 10):
# the time of `convert` between formats on the same image, alternating
# runs, medians and the ratio, plus peak RSS.  Every result is checked
# with `qemu-img compare` against the source, so a fast wrong answer is
# reported as an error, not a time.
#
# The source is a raw image of --size (default 1G): a quarter random
# bytes (incompressible), a quarter a repeated text (compressible), half
# zeros (holes), in 1 MiB stripes so every format sees all three.
#
# Then `bench` (4 KiB requests, 64 in flight, through each tool's
# asynchronous request path) with the same options for both tools,
# alternating, reporting each tool's own "Run completed in" time as
# MiB/s.  Writes go to images made afresh for every run, so each tool
# starts from the same state.
#
# Usage: bench/block.py [--size 1G] [--runs 3] [--build DIR] [--dir DIR]
#                       [--only convert|bench]
# SPDX-License-Identifier: GPL-2.0-or-later
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

from benchlib import run_measured

HERE = os.path.dirname(os.path.abspath(__file__))
STRIPE = 1 << 20

# (row name, source, target, options after "convert")
ROWS = [
    ("raw -> qcow2", "src.raw", "out.qcow2", ["-f", "raw", "-O", "qcow2"]),
    ("qcow2 -> raw", "src.qcow2", "out.raw", ["-f", "qcow2", "-O", "raw"]),
    ("qcow2 -> qcow2", "src.qcow2", "out.qcow2",
     ["-f", "qcow2", "-O", "qcow2"]),
    ("raw -> qcow2 compressed (-c)", "src.raw", "out.qcow2",
     ["-f", "raw", "-O", "qcow2", "-c"]),
]


# (row name, image to make for each run or None, image, options after
# "bench"); count x 4 KiB each
BENCH_ROWS = [
    ("4 KiB reads, qcow2, in order", None, "src.qcow2",
     ["-f", "qcow2", "-c", "75000"]),
    ("4 KiB reads, qcow2, scattered (-S 1028k)", None, "src.qcow2",
     ["-f", "qcow2", "-c", "75000", "-S", "1028k"]),
    ("4 KiB reads, raw, scattered (-S 1028k)", None, "src.raw",
     ["-f", "raw", "-c", "75000", "-S", "1028k"]),
    ("4 KiB writes, qcow2 preallocation=metadata, scattered", "metadata",
     "bench.qcow2", ["-f", "qcow2", "-w", "-c", "75000", "-S", "1028k"]),
    ("4 KiB writes, fresh qcow2, each allocating (-S 64k)", "empty",
     "bench.qcow2", ["-f", "qcow2", "-w", "-c", "4000", "-S", "64k"]),
]
RUN_TIME = re.compile(r"Run completed in (\d+\.\d+) seconds\.")


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if text[-1].upper() in units:
        return int(text[:-1]) * units[text[-1].upper()]
    return int(text)


def make_source(directory, size, qemu_img):
    rng_block = os.urandom(STRIPE)
    text = (b"the quick brown fox jumps over the lazy dog " * 30000)[:STRIPE]
    raw = os.path.join(directory, "src.raw")
    with open(raw, "wb") as f:
        for i in range(size // STRIPE):
            kind = i % 4
            if kind == 0:
                # Fresh random bytes: a repeated block would compress.
                f.write(rng_block if i == 0 else os.urandom(STRIPE))
            elif kind == 1:
                f.write(text)
            else:
                f.seek(STRIPE, os.SEEK_CUR)
        f.truncate(size)
    subprocess.run([qemu_img, "convert", "-f", "raw", "-O", "qcow2", raw,
                    os.path.join(directory, "src.qcow2")], check=True)


def one_run(tool, directory, source, target, options):
    out = os.path.join(directory, target)
    if os.path.exists(out):
        os.unlink(out)
    argv = [tool, "convert"] + options + [os.path.join(directory, source),
                                          out]
    elapsed, rss, status, err = run_measured(argv)
    if status != 0:
        sys.exit(f"{' '.join(argv)} failed ({status}): {err}")
    return elapsed, rss


def check_same(qemu_img, directory, source, target, options):
    fmt = options[options.index("-O") + 1]
    src_fmt = options[options.index("-f") + 1]
    proc = subprocess.run([qemu_img, "compare", "-f", src_fmt, "-F", fmt,
                           os.path.join(directory, source),
                           os.path.join(directory, target)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"wrong result for {source} -> {target} {options}: "
                 f"{proc.stdout}{proc.stderr}")


def bench_once(tool, qemu_img, directory, fresh, image, options, size):
    target = os.path.join(directory, image)
    if fresh:
        if os.path.exists(target):
            os.unlink(target)
        prealloc = ["-o", "preallocation=metadata"] if fresh == "metadata" \
            else []
        subprocess.run([qemu_img, "create", "-q", "-f", "qcow2", *prealloc,
                        target, str(size)], check=True)
    proc = subprocess.run([tool, "bench", *options, target],
                          capture_output=True, text=True)
    m = RUN_TIME.search(proc.stdout)
    if proc.returncode != 0 or not m:
        sys.exit(f"{tool} bench {options} failed ({proc.returncode}): "
                 f"{proc.stdout}{proc.stderr}")
    if fresh:
        check = subprocess.run([qemu_img, "check", target],
                               capture_output=True, text=True)
        if check.returncode != 0:
            sys.exit(f"{tool} bench {options} left a damaged image: "
                     f"{check.stdout}{check.stderr}")
    return float(m.group(1))


def bench_rows(emu_img, qemu_img, directory, size, runs):
    print(f"\nemu-img bench against qemu-img bench, {size >> 20} MiB "
          f"images, 64 requests in flight, median of {runs} (alternating "
          f"runs)\n")
    print("| | emu-img | qemu-img | emu-img / qemu-img throughput |")
    print("| --- | --- | --- | --- |")
    for name, fresh, image, options in BENCH_ROWS:
        times = {"emu": [], "qemu": []}
        count = int(options[options.index("-c") + 1])
        for _ in range(runs):
            for key, tool in (("emu", emu_img), ("qemu", qemu_img)):
                times[key].append(bench_once(tool, qemu_img, directory,
                                             fresh, image, options, size))
        mib = count * 4096 / (1 << 20)
        e = mib / statistics.median(times["emu"])
        q = mib / statistics.median(times["qemu"])
        print(f"| {name} | {e:.0f} MiB/s | {q:.0f} MiB/s | {e / q:.2f} |",
              flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="1G")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--build", default=os.path.join(HERE, "..",
                                                        "build"))
    parser.add_argument("--only", choices=("convert", "bench"))
    parser.add_argument("--dir", default=None,
                        help="where the images go (default: a temporary "
                        "directory under /var/tmp, on disk, not tmpfs)")
    args = parser.parse_args()
    emu_img = os.path.join(args.build, "tools", "emu-img")
    qemu_img = shutil.which("qemu-img")
    if not qemu_img:
        sys.exit("qemu-img is not installed (Debian: qemu-utils)")
    size = parse_size(args.size)
    directory = args.dir or tempfile.mkdtemp(prefix="emu-bench-block-",
                                             dir="/var/tmp")
    try:
        make_source(directory, size, qemu_img)
        if args.only != "convert":
            bench_rows(emu_img, qemu_img, directory, size, args.runs)
        if args.only == "bench":
            return
        print(f"\nemu-img convert against qemu-img convert, {args.size} "
              f"image, median of {args.runs} (alternating runs)\n")
        print("| | emu-img | qemu-img | qemu-img time / emu-img time | "
              "peak RSS emu / qemu |")
        print("| --- | --- | --- | --- | --- |")
        for name, source, target, options in ROWS:
            times = {"emu": [], "qemu": []}
            rss = {"emu": [], "qemu": []}
            for _ in range(args.runs):
                for key, tool in (("emu", emu_img), ("qemu", qemu_img)):
                    t, r = one_run(tool, directory, source, target, options)
                    check_same(qemu_img, directory, source, target, options)
                    times[key].append(t)
                    rss[key].append(r)
            e = statistics.median(times["emu"])
            q = statistics.median(times["qemu"])
            print(f"| {name} | {e:.2f} s | {q:.2f} s | {q / e:.2f} | "
                  f"{max(rss['emu']) // 1024} / "
                  f"{max(rss['qemu']) // 1024} MiB |", flush=True)
    finally:
        if not args.dir:
            shutil.rmtree(directory, True)


if __name__ == "__main__":
    main()
