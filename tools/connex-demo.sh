#!/bin/sh
# The first-run demo (issue 4): assemble a four-instruction program, put
# it at the start of a 16 MiB flash image, boot the Gumstix connex board
# from it with -nographic, and ask the monitor (Ctrl-A c) for the CPU's
# registers and the first four words of the flash as instructions.
# A pseudo-terminal stands in for the person at the keyboard, so the
# demo ends by itself and prints the monitor transcript.
#
#   tools/connex-demo.sh [DIR]
#
# keeps seed.s, seed.bin and flash.bin in DIR (default: a temporary
# directory, removed at the end).  EMU=path runs another emulator binary
# (EMU=qemu-system-arm shows what QEMU prints for the same steps).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
emu=${EMU:-$top/build/emu-system-arm}
if ! command -v "$emu" >/dev/null 2>&1; then
    echo "connex-demo: $emu not found: run ./configure && make first" >&2
    exit 1
fi
for tool in arm-linux-gnueabihf-as arm-linux-gnueabihf-ld \
            arm-linux-gnueabihf-objcopy python3; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "connex-demo: $tool not found (Debian: apt-get install" \
             "binutils-arm-linux-gnueabihf python3)" >&2
        exit 1
    fi
done

if [ $# -ge 1 ]; then
    dir=$1
    mkdir -p "$dir"
else
    dir=$(mktemp -d)
    trap 'rm -rf "$dir"' EXIT
fi
cd "$dir"

# Each step is shown before it runs, as the user would type it.
step() {
    echo "\$ $*"
    "$@"
}

cat > seed.s <<'EOF'
    .global _start
_start:
    mov r0, #5
    mov r1, #4
    add r2, r1, r0
    b .
EOF
step arm-linux-gnueabihf-as -o seed.o seed.s
step arm-linux-gnueabihf-ld -Ttext=0x0 -o seed.elf seed.o
step arm-linux-gnueabihf-objcopy -O binary seed.elf seed.bin
step dd if=/dev/zero of=flash.bin bs=1M count=16 status=none
step dd if=seed.bin of=flash.bin conv=notrunc status=none
echo "\$ $(basename "$emu") -M connex -pflash flash.bin -nographic"
echo "  (then Ctrl-A c, info registers, xp /4iw 0x0, quit)"
echo

python3 - "$emu" <<'EOF'
# Drives the emulator on a pseudo-terminal and prints each command with
# what the monitor answered, without the terminal's echo and redraws.
import os
import pty
import re
import select
import signal
import sys
import time

STEP_TIMEOUT = 10
emu = sys.argv[1]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(emu, [emu, "-M", "connex", "-pflash", "flash.bin",
                    "-nographic"])

buffer = b""


def fail(why):
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    sys.exit(f"connex-demo: {why}; the terminal showed {buffer!r}")


def read_until(pattern):
    """Reads until the regex pattern; returns the text before it."""
    global buffer
    deadline = time.monotonic() + STEP_TIMEOUT
    while True:
        text = buffer.decode("utf-8", "replace")
        match = re.search(pattern, text)
        if match:
            buffer = text[match.end():].encode()
            return text[:match.start()], match.group(0)
        left = deadline - time.monotonic()
        if left <= 0:
            fail(f"no {pattern!r} after {STEP_TIMEOUT} s")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                data = os.read(fd, 4096)
            except OSError:
                data = b""
            if not data:
                fail(f"the emulator ended before {pattern!r}")
            buffer += data


def clean(text):
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text).replace("\r", "")


def ask(command):
    """Runs a monitor command; returns what it printed."""
    os.write(fd, command.encode() + b"\r")
    answer, _ = read_until(r"\n\((?:q?emu)\) ")
    # The first line is the terminal's echo of the command.
    lines = clean(answer).split("\n", 1)
    return lines[1] if len(lines) > 1 else ""


# Switch to the monitor; the guest runs meanwhile.  Its four
# instructions take no time, but a loaded host may start it late: ask
# again (not shown) until the pc is at the final loop.
os.write(fd, b"\x01c")
_, prompt = read_until(r"\((?:q?emu)\) ")
deadline = time.monotonic() + STEP_TIMEOUT
registers = ask("info registers")
while "R15=0000000c" not in registers and time.monotonic() < deadline:
    time.sleep(0.1)
    registers = ask("info registers")
print(prompt + "info registers")
print(registers, flush=True)
print(prompt + "xp /4iw 0x0")
print(ask("xp /4iw 0x0"), flush=True)
os.write(fd, b"quit\r")
deadline = time.monotonic() + STEP_TIMEOUT
while time.monotonic() < deadline:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        sys.exit(os.waitstatus_to_exitcode(status))
    if select.select([fd], [], [], 0.1)[0]:
        try:
            os.read(fd, 4096)
        except OSError:
            pass
fail("the emulator did not exit after quit")
EOF
