# QMP's block-commit as a block job (issue 10): one QMP script runs
# against emu and against QEMU 7.2, each on its own copy of a three-image
# chain; their answers and their event sequences must be the same
# (timestamps and the random digits of generated node names aside), and
# the images they leave must compare equal (qemu-img compare) and check
# clean.  Covered: an intermediate commit ending by itself, an active
# commit waiting in "ready" for block-job-complete (and cancelled once
# ready: no switch), a job slowed by speed= then paused, resumed and sped
# up, a cancelled job, auto-finalize/auto-dismiss off with finalize and
# dismiss, QEMU's errors, HMP's block job commands, and a commit into a
# base whose writes fail (a file size limit: EFBIG, emu not killed).
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import os
import queue
import re
import resource
import shutil
import signal
import subprocess
import threading
import time

from emutest import TIMEOUT, Skip, binary, main, need_emulator, tempdir

QEMU = shutil.which("qemu-system-x86_64")
KiB = 1024
MiB = 1024 * KiB


def need_qemu():
    need_emulator("x86_64")
    if not QEMU or not shutil.which("qemu-img"):
        raise Skip("qemu-system-x86_64 and qemu-img are not installed")


def sh(*args):
    return subprocess.run(list(args), capture_output=True, text=True,
                          check=True).stdout


def make_chain(d):
    """base.qcow2 <- mid.qcow2 <- top.qcow2 (4 MiB), each holding data
    the others do not (mid overlapping base, top past both)."""
    sh("qemu-img", "create", "-q", "-f", "qcow2", f"{d}/base.qcow2", "4M")
    sh("qemu-io", "-f", "qcow2", "-c", "write -P 0x11 0 1M",
       f"{d}/base.qcow2")
    sh("qemu-img", "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F",
       "qcow2", f"{d}/mid.qcow2")
    sh("qemu-io", "-f", "qcow2", "-c", "write -P 0x22 512k 1M",
       "-c", "write -P 0x24 2M 1M", f"{d}/mid.qcow2")
    sh("qemu-img", "create", "-q", "-f", "qcow2", "-b", "mid.qcow2", "-F",
       "qcow2", f"{d}/top.qcow2")
    sh("qemu-io", "-f", "qcow2", "-c", "write -P 0x33 3M 512k",
       f"{d}/top.qcow2")
    sh("qemu-img", "create", "-q", "-f", "qcow2", f"{d}/plain.qcow2", "1M")


DRIVES = ["-drive", "if=none,id=d0,file=top.qcow2,node-name=ntop",
          "-drive", "if=none,id=d1,file=plain.qcow2"]


class QMP:
    """A QMP session on the program's stdio: every message it sends is
    kept in order (self.log), events also in self.pending until waited
    for."""

    def __init__(self, program, cwd, preexec_fn=None, drives=DRIVES):
        self.proc = subprocess.Popen(
            [program, "-M", "none", "-nodefaults", "-display", "none",
             "-qmp", "stdio"] + drives, cwd=cwd, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, preexec_fn=preexec_fn)
        self.messages = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.log, self.pending, self.events = [], [], []
        self._next()
        self.cmd("qmp_capabilities")

    def _read(self):
        for line in self.proc.stdout:
            self.messages.put(json.loads(line))
        self.messages.put(None)

    def _next(self):
        m = self.messages.get(timeout=TIMEOUT)
        assert m is not None, "the program ended"
        m.pop("timestamp", None)
        if "event" in m:
            self.pending.append(m)
            self.events.append(m)
        return m

    def cmd(self, name, args=None, record=True):
        request = {"execute": name}
        if args:
            request["arguments"] = args
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        while True:
            m = self._next()
            if "event" not in m:
                if record:
                    self.log.append((name, m))
                return m

    def wait_event(self, name):
        while True:
            for i, e in enumerate(self.pending):
                if e["event"] == name:
                    del self.pending[:i + 1]
                    return e
            self._next()

    def settle(self):
        """Until no job has a step running: QEMU runs a job's first
        steps before it answers, emu on its block threads meanwhile."""
        deadline = time.time() + TIMEOUT
        while any(j["busy"] for j in
                  self.cmd("query-block-jobs", record=False)["return"]):
            assert time.time() < deadline, "a job stays busy"
            time.sleep(0.02)

    def quit(self):
        self.cmd("quit")
        self.proc.wait(timeout=TIMEOUT)
        while self.messages.get(timeout=TIMEOUT) is not None:
            pass            # SHUTDOWN came before quit's answer


def normalize(value):
    """What may differ between emu and QEMU: generated node names
    ("#block429") and host sizes of images."""
    text = json.dumps(value, sort_keys=True)
    text = re.sub(r'#block[0-9]+', '#block', text)
    text = re.sub(r'"actual-size": [0-9]+', '"actual-size": 0', text)
    return json.loads(text)


def run_script(program, d, script, preexec_fn=None):
    """Runs SCRIPT's steps: (command, arguments), ("wait", EVENT) or
    ("settle",).  Returns the answers and every event, in order."""
    session = QMP(program, d, preexec_fn)
    for step in script:
        if step[0] == "wait":
            session.wait_event(step[1])
        elif step[0] == "settle":
            session.settle()
        else:
            session.cmd(step[0], step[1])
    session.quit()
    return normalize(session.log), normalize(session.events)


def compare(script, name, setup=make_chain, preexec_fn=None):
    """SCRIPT against emu and QEMU; returns both directories after
    checking that their answers and events are the same."""
    results, dirs = [], []
    for who, program in (("emu", binary("x86_64")), ("qemu", QEMU)):
        d = os.path.join(tempdir(), f"{name}-{who}")
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        setup(d)
        results.append(run_script(program, d, script, preexec_fn))
        dirs.append(d)
    (emu_answers, emu_events), (qemu_answers, qemu_events) = results
    for ours, theirs in zip(emu_answers, qemu_answers):
        assert ours == theirs, (name, ours, theirs)
    assert len(emu_answers) == len(qemu_answers), (name, emu_answers)
    assert emu_events == qemu_events, (name, emu_events, qemu_events)
    return dirs, emu_answers, emu_events


def same_images(dirs, images=("base.qcow2", "mid.qcow2", "top.qcow2")):
    emu_dir, qemu_dir = dirs
    for image in images:
        out = sh("qemu-img", "compare", f"{qemu_dir}/{image}",
                 f"{emu_dir}/{image}")
        assert out == "Images are identical.\n", (image, out)
        out = sh("qemu-img", "check", f"{emu_dir}/{image}")
        assert "No errors were found on the image." in out, (image, out)
        chains = [sh("qemu-img", "info", "--output=json", "-U",
                     f"{d}/{image}") for d in dirs]
        backing = [json.loads(c).get("backing-filename") for c in chains]
        assert backing[0] == backing[1], (image, backing)


def events_named(events, name):
    return [e for e in events if e["event"] == name]


def query_chain(answers):
    """The file names of d0's chain in the last query-block answer."""
    block = [a for name, a in answers if name == "query-block"][-1]
    image = block["return"][0]["inserted"]["image"]
    names = []
    while image:
        names.append(image["filename"])
        image = image.get("backing-image")
    return names


def test_intermediate_commit_as_qemu():
    # mid into base: the job ends by itself, top names base now.
    need_qemu()
    dirs, answers, events = compare(
        [("block-commit", {"device": "d0", "top": "mid.qcow2"}),
         ("wait", "JOB_STATUS_CHANGE"), ("wait", "BLOCK_JOB_COMPLETED"),
         ("settle",), ("query-block-jobs", {}), ("query-block", {}),
         ("human-monitor-command", {"command-line": "info block"})],
        "intermediate")
    assert [e["data"]["status"] for e in events
            if e["event"] == "JOB_STATUS_CHANGE"] == \
        ["created", "running", "waiting", "pending", "concluded", "null"]
    assert query_chain(answers) == ["top.qcow2", "base.qcow2"]
    same_images(dirs)
    assert json.loads(sh("qemu-img", "info", "--output=json",
                         f"{dirs[0]}/top.qcow2"))["backing-filename"] == \
        "base.qcow2"


def test_active_commit_as_qemu():
    # top (the drive's image) into base: ready, then complete switches
    # the drive to base; a second chain is cancelled once ready and
    # keeps its images.
    need_qemu()
    dirs, answers, events = compare(
        [("block-commit", {"device": "d0"}),
         ("wait", "BLOCK_JOB_READY"), ("settle",),
         ("query-block-jobs", {}),
         ("human-monitor-command", {"command-line": "info block-jobs"}),
         ("block_resize", {"device": "d0", "size": 8 * MiB}),
         ("block-commit", {"device": "d0", "top": "mid.qcow2"}),
         ("block-job-complete", {"device": "d0"}),
         ("wait", "BLOCK_JOB_COMPLETED"), ("settle",),
         ("query-block", {}), ("query-block-jobs", {}),
         ("human-monitor-command", {"command-line": "info block"})],
        "active")
    ready = events_named(events, "BLOCK_JOB_READY")[0]["data"]
    assert ready["len"] == ready["offset"] == 2560 * KiB, ready
    assert query_chain(answers) == ["base.qcow2"]
    same_images(dirs)
    # base holds what the whole chain showed.
    for d in dirs:
        out = sh("qemu-io", "-f", "qcow2", "-r", "-c", "read -P 0x33 3M 512k",
                 "-c", "read -P 0x24 2M 1M", "-c", "read -P 0x22 512k 1M",
                 "-c", "read -P 0x11 0 512k", f"{d}/base.qcow2")
        assert "Pattern verification failed" not in out, out


def test_active_commit_cancelled_once_ready_as_qemu():
    need_qemu()
    dirs, answers, events = compare(
        [("block-commit", {"device": "d0", "job-id": "j"}),
         ("wait", "BLOCK_JOB_READY"),
         ("block-job-cancel", {"device": "j"}),
         ("wait", "BLOCK_JOB_COMPLETED"), ("settle",),
         ("query-block", {})],
        "active-cancel")
    assert query_chain(answers) == ["top.qcow2", "mid.qcow2", "base.qcow2"]
    same_images(dirs)


def test_speed_pause_resume_cancel_as_qemu():
    # speed=1 byte/s: one 512 KiB step is copied, then the job sleeps;
    # pause, resume, a faster speed to the end.  Then a second job,
    # cancelled while it sleeps.
    need_qemu()
    dirs, answers, events = compare(
        [("block-commit", {"device": "d0", "top": "mid.qcow2", "speed": 1}),
         ("settle",), ("query-block-jobs", {}),
         ("human-monitor-command", {"command-line": "info block-jobs"}),
         ("block-job-pause", {"device": "d0"}),
         ("block-job-pause", {"device": "d0"}),
         ("block-job-cancel", {"device": "d0"}),
         ("settle",), ("query-block-jobs", {}),
         ("block-job-resume", {"device": "d0"}),
         ("block-job-resume", {"device": "d0"}),
         ("block-job-complete", {"device": "d0"}),
         ("block-job-set-speed", {"device": "d0", "speed": -5}),
         ("block-job-set-speed", {"device": "nope", "speed": 5}),
         ("human-monitor-command",
          {"command-line": "block_job_set_speed d0 0"}),
         ("wait", "BLOCK_JOB_COMPLETED"), ("settle",),
         ("block-commit", {"device": "d0", "speed": 1, "job-id": "j2"}),
         ("settle",),
         ("human-monitor-command", {"command-line": "block_job_cancel j2"}),
         ("wait", "BLOCK_JOB_CANCELLED"), ("settle",),
         ("query-block-jobs", {}), ("query-block", {})],
        "speed")
    jobs = [a for name, a in answers if name == "query-block-jobs"]
    assert jobs[0]["return"][0]["offset"] == 1 * MiB, jobs
    assert jobs[1]["return"][0]["status"] == "paused", jobs
    same_images(dirs)


def test_manual_finalize_and_dismiss_as_qemu():
    need_qemu()
    dirs, answers, events = compare(
        [("block-commit", {"device": "d0", "top": "mid.qcow2", "job-id": "j",
                           "auto-finalize": False, "auto-dismiss": False}),
         ("wait", "BLOCK_JOB_PENDING"), ("settle",),
         ("query-block-jobs", {}),
         ("block-job-dismiss", {"id": "j"}),
         ("block-job-finalize", {"id": "j"}),
         ("wait", "BLOCK_JOB_COMPLETED"), ("settle",),
         ("query-block-jobs", {}),
         ("human-monitor-command", {"command-line": "info block-jobs"}),
         ("block-job-finalize", {"id": "j"}),
         ("block-job-dismiss", {"id": "j"}),
         ("query-block-jobs", {}),
         ("block-commit", {"device": "d0", "job-id": "k",
                           "auto-finalize": False}),
         ("wait", "BLOCK_JOB_READY"),
         ("block-job-complete", {"device": "k"}),
         ("wait", "BLOCK_JOB_PENDING"),
         ("block-job-cancel", {"device": "k"}),
         ("wait", "BLOCK_JOB_CANCELLED"), ("settle",),
         ("query-block", {})],
        "manual")
    assert query_chain(answers) == ["top.qcow2", "base.qcow2"]
    same_images(dirs)


ERRORS = [
    {},
    {"device": "nope"},
    {"device": "d1"},
    {"device": "d0", "top": "nope.qcow2"},
    {"device": "d0", "base": "nope.qcow2"},
    {"device": "d0", "top": "base.qcow2"},
    {"device": "d0", "top": "mid.qcow2", "base": "mid.qcow2"},
    {"device": "d0", "top": "base.qcow2", "base": "mid.qcow2"},
    {"device": "d0", "top": "top.qcow2", "base": "top.qcow2"},
    {"device": "d0", "top-node": "nope"},
    {"device": "d0", "base-node": "nope"},
    {"device": "d0", "top-node": "ntop", "top": "top.qcow2"},
    {"device": "d0", "base-node": "ntop", "base": "top.qcow2"},
    {"device": "d0", "base-node": "ntop"},
    {"device": "d0", "job-id": "1bad"},
    {"device": "d0", "speed": -1},
    {"device": "d0", "backing-file": "x"},
    {"device": "d0", "unknown": 1},
]


def test_errors_as_qemu():
    need_qemu()
    script = [("block-commit", args) for args in ERRORS]
    script += [("block-commit", {"device": "d0", "top": "mid.qcow2",
                                 "speed": 1}),
               ("settle",),
               ("block-commit", {"device": "d0", "top": "mid.qcow2",
                                 "job-id": "j2"}),
               ("block_resize", {"device": "d0", "size": 8 * MiB}),
               ("eject", {"device": "d0"}),
               ("human-monitor-command", {"command-line": "commit d0"}),
               ("block-job-cancel", {"device": "d0", "force": True}),
               ("wait", "BLOCK_JOB_CANCELLED"), ("settle",)]
    for cmd in ("block_job_cancel nope", "block_job_complete nope",
                "block_job_set_speed nope 1", "block_job_pause nope",
                "block_job_resume nope", "block_job_cancel",
                "help block_job_cancel", "help block_job_set_speed",
                "help block_job_complete", "help block_job_pause",
                "help block_job_resume", "info block-jobs"):
        script.append(("human-monitor-command", {"command-line": cmd}))
    dirs, answers, events = compare(script, "errors")
    assert answers[2] == ["block-commit", {"error": {
        "class": "DeviceNotFound", "desc": "Device 'nope' not found"}}]
    same_images(dirs)


def test_commit_into_a_base_that_cannot_grow():
    # A file size limit just above base's size: the first allocating
    # write past it fails with EFBIG (SIGXFSZ ignored, as a shell's
    # "trap '' XFSZ" leaves it; emu ignores it itself too).  The job
    # reports the error as QEMU does, the chain stays, and every image
    # checks clean.
    need_qemu()

    def setup(d):
        make_chain(d)
        size = os.path.getsize(f"{d}/base.qcow2")
        with open(f"{d}/limit", "w") as f:
            f.write(str(size + 200 * KiB))

    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        with open("limit") as f:
            limit = int(f.read())
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    dirs, answers, events = compare(
        [("block-commit", {"device": "d0", "top": "mid.qcow2"}),
         ("wait", "BLOCK_JOB_COMPLETED"), ("settle",),
         ("query-block", {})],
        "efbig", setup, limit_file_size)
    done = events_named(events, "BLOCK_JOB_COMPLETED")[0]["data"]
    assert done["error"] == "File too large", done
    assert events_named(events, "BLOCK_JOB_ERROR")[0]["data"] == {
        "device": "d0", "operation": "write", "action": "report"}
    assert query_chain(answers) == ["top.qcow2", "mid.qcow2", "base.qcow2"]
    for d in dirs:
        for image in ("base.qcow2", "mid.qcow2", "top.qcow2"):
            out = sh("qemu-img", "check", f"{d}/{image}")
            assert "No errors were found on the image." in out, (d, out)


if __name__ == "__main__":
    main(globals())
