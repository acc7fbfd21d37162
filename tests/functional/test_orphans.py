# A functional test killed from outside (`timeout`'s SIGTERM, SIGKILL)
# takes the emulators it started with it: emutest makes every program a
# test starts through subprocess, and the pty child of its Terminal, die
# with the test (PR_SET_PDEATHSIG).  Here a stand-in test starts emu and
# QEMU that would run forever (-S, no display), and is killed.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import signal
import subprocess
import sys
import time

from emutest import TIMEOUT, emu_and_qemu, main

HERE = os.path.dirname(os.path.abspath(__file__))

# Starts PROGRAMs as tests do (Popen, and emutest.Terminal for the
# first) and prints their process ids, then waits to be killed.
STAND_IN = """
import subprocess, sys, time
sys.path.insert(0, sys.argv[1])
import emutest
args = ["-M", "none", "-S", "-display", "none", "-monitor", "none"]
pids = [subprocess.Popen([p] + args, stdin=subprocess.DEVNULL).pid
        for p in sys.argv[2:]]
pids.append(emutest.Terminal(args).pid)
print(" ".join(map(str, pids)), flush=True)
time.sleep(3600)
"""


def alive(pid):
    """Running (a zombie waiting for its new parent to reap it is
    gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def kill_stand_in(sig):
    programs = emu_and_qemu("arm")
    test = subprocess.Popen([sys.executable, "-c", STAND_IN, HERE] +
                            programs, stdout=subprocess.PIPE, text=True)
    pids = [int(pid) for pid in test.stdout.readline().split()]
    assert len(pids) == len(programs) + 1, pids
    assert all(alive(pid) for pid in pids), pids
    test.send_signal(sig)
    test.wait(TIMEOUT)
    test.stdout.close()
    deadline = time.monotonic() + TIMEOUT
    while any(alive(pid) for pid in pids):
        assert time.monotonic() < deadline, \
            [pid for pid in pids if alive(pid)]
        time.sleep(0.05)


def test_emulators_die_with_a_test_timeout_ends():
    kill_stand_in(signal.SIGTERM)


def test_emulators_die_with_a_killed_test():
    kill_stand_in(signal.SIGKILL)


if __name__ == "__main__":
    main(globals())
