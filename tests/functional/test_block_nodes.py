# Node names below the top of a chain (issue 10), each against QEMU 7.2:
# -blockdev's backing=NODE in both forms and its errors (a missing node,
# key=value's backing=null naming a node "null", a cycle, "" deprecated,
# a wrong JSON type); query-named-block-nodes (flat or not) listing file
# and backing nodes with generated "#blockNNN" names; those names taken
# by block-commit's top-node/base-node and refused by block_resize as
# QEMU refuses them; and an active commit through a chain built of
# backing=NODE, whose images must come out as QEMU's.
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import os
import re
import shutil
import subprocess

from emutest import TIMEOUT, binary, main, tempdir
from test_block_commit_job import (QMP, QEMU, make_chain, need_qemu,
                                   normalize, sh)

MiB = 1 << 20


def fresh_dir(name, who):
    d = os.path.join(tempdir(), f"{name}-{who}")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    make_chain(d)
    return d


def startup_error(program, d, blockdevs):
    """What the program says when it stops at its command line (its own
    name taken out), or None when it starts."""
    args = [program, "-M", "none", "-nodefaults", "-display", "none",
            "-S", "-monitor", "stdio"]
    for b in blockdevs:
        args += ["-blockdev", b]
    r = subprocess.run(args, cwd=d, input="quit\n", capture_output=True,
                       text=True, timeout=TIMEOUT)
    return r.returncode, r.stderr.replace(os.path.basename(program), "PROG")


def node(driver, name, filename, extra=""):
    return (f"driver={driver},node-name={name},file.driver=file,"
            f"file.filename={filename}{extra}")


def json_node(name, filename, backing):
    return json.dumps({"driver": "qcow2", "node-name": name,
                       "file": {"driver": "file", "filename": filename},
                       "backing": backing})


BACKING_CASES = [
    [node("qcow2", "t", "top.qcow2", ",backing=x")],
    [json_node("t", "top.qcow2", "x")],
    # key=value has no null: this names a node called "null".
    [node("qcow2", "t", "top.qcow2", ",backing=null")],
    [node("qcow2", "t", "top.qcow2", ",backing=t")],
    [node("qcow2", "t", "top.qcow2", ",backing=")],
    [json_node("t", "top.qcow2", "")],
    [json_node("t", "top.qcow2", 5)],
    [json_node("t", "top.qcow2", None)],
    [node("raw", "t", "top.qcow2", ",backing=x")],
    [node("qcow2", "b", "base.qcow2"),
     node("qcow2", "t", "top.qcow2", ",backing=b")],
    [node("qcow2", "b", "base.qcow2"),
     json_node("t", "top.qcow2", "b")],
]


def test_backing_option_as_qemu():
    need_qemu()
    d = fresh_dir("backing-option", "both")
    for case in BACKING_CASES:
        ours = startup_error(binary("x86_64"), d, case)
        theirs = startup_error(QEMU, d, case)
        assert ours == theirs, (case, ours, theirs)
    # Both stop with QEMU's message where they should.
    assert "Cannot find device='null' nor node-name='null'" in \
        startup_error(binary("x86_64"), d, BACKING_CASES[2])[1]


def names_by_file(session):
    """{(file, driver): node name} from query-named-block-nodes."""
    nodes = session.cmd("query-named-block-nodes", {"flat": True},
                        record=False)["return"]
    return {(n["file"], n["drv"]): n["node-name"] for n in nodes}


CHAIN_DRIVE = ["-drive", "if=none,id=d0,file=top.qcow2",
               "-drive", "if=none,id=d1,file=plain.qcow2"]
# The same chain built by name, and with base given in place of mid
# (top's header names mid: the node given wins).
CHAIN_BLOCKDEV = ["-blockdev", node("qcow2", "b", "base.qcow2"),
                  "-blockdev", node("qcow2", "m", "mid.qcow2", ",backing=b"),
                  "-blockdev", json_node("t", "top.qcow2", "m")]
SKIP_MID = ["-blockdev", node("qcow2", "b", "base.qcow2"),
            "-blockdev", node("qcow2", "t", "top.qcow2", ",backing=b")]


def differences(ours, theirs, path=""):
    """Where two JSON values differ, as paths: for a readable failure."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return [d for k in sorted(set(ours) | set(theirs))
                for d in differences(ours.get(k), theirs.get(k),
                                     f"{path}.{k}")]
    if isinstance(ours, list) and isinstance(theirs, list) and \
            len(ours) == len(theirs):
        return [d for i, (a, b) in enumerate(zip(ours, theirs))
                for d in differences(a, b, f"{path}[{i}]")]
    return [] if ours == theirs else [f"{path}: emu {ours!r:.200} "
                                      f"qemu {theirs!r:.200}"]


def run_both(name, drives, steps):
    """STEPS(session, names) against emu and QEMU on fresh chains:
    their answers (normalized) must be the same; returns the dirs."""
    logs, dirs = [], []
    for who, program in (("emu", binary("x86_64")), ("qemu", QEMU)):
        d = fresh_dir(name, who)
        session = QMP(program, d, drives=drives)
        steps(session, names_by_file(session))
        session.quit()
        logs.append(normalize(session.log))
        dirs.append(d)
    assert len(logs[0]) == len(logs[1]), logs
    for ours, theirs in zip(*logs):
        assert ours == theirs, (name, differences(ours, theirs))
    return dirs, logs[0]


def query_nodes(session, names):
    session.cmd("query-named-block-nodes")
    session.cmd("query-named-block-nodes", {"flat": True})
    session.cmd("query-block")


def test_named_nodes_listed_as_qemu():
    need_qemu()
    _, log = run_both("list-drive", CHAIN_DRIVE, query_nodes)
    # log[0] is qmp_capabilities.
    listed = [n["node-name"] for n in log[1][1]["return"]]
    # Newest first: plain's two nodes, then base's, mid's, top's (each
    # format node before its file node), every one generated.
    assert len(listed) == 8 and all(re.fullmatch(r"#block", n)
                                    for n in listed), listed
    _, log = run_both("list-blockdev", CHAIN_BLOCKDEV, query_nodes)
    assert [n["node-name"] for n in log[2][1]["return"]][::2] == \
        ["t", "m", "b"], log[2]
    run_both("list-skip", SKIP_MID, query_nodes)


def test_nodes_by_name_in_commands_as_qemu():
    need_qemu()

    def steps(s, n):
        base, mid = n[("base.qcow2", "qcow2")], n[("mid.qcow2", "qcow2")]
        top = n[("top.qcow2", "qcow2")]
        mid_file = n[("mid.qcow2", "file")]
        base_file = n[("base.qcow2", "file")]
        plain = n[("plain.qcow2", "qcow2")]
        for top_node, base_node in ((mid_file, base), (mid, base_file),
                                    (plain, base), (base, mid),
                                    ("nosuch", base)):
            s.cmd("block-commit", {"device": "d0", "job-id": "j",
                                   "top-node": top_node,
                                   "base-node": base_node})
        for name in (mid, base_file, n[("top.qcow2", "file")], "nosuch"):
            s.cmd("block_resize", {"node-name": name, "size": 8 * MiB})
        s.cmd("block_resize", {"device": "d0", "node-name": mid,
                               "size": 8 * MiB})
        s.cmd("block_resize", {"node-name": top, "size": 6 * MiB})
        # mid into base, both by their generated names.
        s.cmd("block-commit", {"device": "d0", "job-id": "j",
                               "top-node": mid, "base-node": base})
        s.wait_event("BLOCK_JOB_COMPLETED")
        s.settle()
        s.cmd("query-block")

    dirs, log = run_both("by-name", CHAIN_DRIVE, steps)
    errors = [a["error"]["desc"] for _, a in log if "error" in a]
    assert "Device '(null)' is in use" in errors, errors
    for d in dirs:
        info = json.loads(sh("qemu-img", "info", "--output=json",
                             f"{d}/top.qcow2"))
        assert info["backing-filename"] == "base.qcow2", info
        assert info["virtual-size"] == 6 * MiB, info
    for image in ("base.qcow2", "top.qcow2"):
        out = sh("qemu-img", "compare", f"{dirs[1]}/{image}",
                 f"{dirs[0]}/{image}")
        assert out == "Images are identical.\n", (image, out)
        out = sh("qemu-img", "check", f"{dirs[0]}/{image}")
        assert "No errors were found on the image." in out, out


def test_active_commit_into_a_backing_node_given_by_name():
    # top's header names mid; the node given is base, so top's data goes
    # into base and mid is never written.
    need_qemu()

    def steps(s, n):
        s.cmd("block-commit", {"device": "t", "job-id": "j"})
        s.wait_event("BLOCK_JOB_READY")
        s.cmd("block-job-complete", {"device": "j"})
        s.wait_event("BLOCK_JOB_COMPLETED")
        s.settle()
        s.cmd("query-named-block-nodes", {"flat": True})

    dirs, _ = run_both("commit-skip", SKIP_MID, steps)
    for d in dirs:
        out = sh("qemu-io", "-f", "qcow2", "-r", "-c", "read -P 0x33 3M 512k",
                 "-c", "read -P 0x11 0 1M", "-c", "read -P 0 2M 1M",
                 f"{d}/base.qcow2")
        assert "Pattern verification failed" not in out, out
    for image in ("base.qcow2", "mid.qcow2", "top.qcow2"):
        out = sh("qemu-img", "compare", f"{dirs[1]}/{image}",
                 f"{dirs[0]}/{image}")
        assert out == "Images are identical.\n", (image, out)
        out = sh("qemu-img", "check", f"{dirs[0]}/{image}")
        assert "No errors were found on the image." in out, out


if __name__ == "__main__":
    main(globals())
