# QMP as scripts use it: a client conversation compared line by line with
# what QEMU 7.2 sends, malformed input, events on several monitors.
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import os
import re
import shutil
import socket
import subprocess

from emutest import (PROMPT, TIMEOUT, PipeMonitor, QMPClient, Skip, Stream,
                     binary, main, qmp_connect, tempdir)

# (what the client sends, how many replies it gets).  Events do not
# count: they are read until the replies are in.
CONVERSATION = [
    ('{"execute":"query-status"}', 1),
    ('{"execute":"qmp_capabilities"}', 1),
    ('{"execute":"qmp_capabilities"}', 1),
    ('{"execute":"query-status","id":7}', 1),
    ('{"execute":"nope"}', 1),
    ('[1]', 1),
    ('{"foo":1}', 1),
    ('{"execute":1}', 1),
    ('{"execute":"query-status","arguments":1}', 1),
    ('{"execute":"query-status","arguments":{"x":1}}', 1),
    ('{"execute":"query-status","control":{}}', 1),
    ('{"exec-oob":"query-status"}', 1),
    ('{"execute":"human-monitor-command"}', 1),
    ('{"execute":"human-monitor-command","arguments":{"command-line":1}}', 1),
    ('{"execute":"human-monitor-command",'
     '"arguments":{"command-line":"info status"},"id":"a"}', 1),
    ('{"execute":"human-monitor-command",'
     '"arguments":{"command-line":"info status","cpu-index":5}}', 1),
    ('{"execute":"human-monitor-command","arguments":{"command-line":"nope"}}', 1),
    ('{"execute":"query-kvm"}', 1),
    ('{"execute":"query-cpus-fast"}', 1),
    ('{"execute":"query-hotpluggable-cpus"}', 1),
    ('{"execute":"cont"}', 1),
    ('{"execute":"query-status"}', 1),
    ('{"execute":"stop"}', 1),
    ('{"execute":"stop"}', 1),
    ('{"execute":"system_reset"}', 1),
    ('{"execute":"cont"}', 1),
    ('{"execute":"system_powerdown"}', 1),
    ('{"execute":"qom-get","arguments":{"path":"/machine","property":"type"}}', 1),
    ('{"execute":"qom-get","arguments":{"path":"/nope","property":"type"}}', 1),
    ('{"execute":"qom-get","arguments":{"path":"/machine","property":"nope"}}', 1),
    ('{"execute": "stop" ', 0),
    ('}', 1),
    ('{"execute":"query-status", "id": [1, {"a": null}]}', 1),
    ("{'execute':'query-status'}", 1),
    ('{"execute":"query-status"} {"execute":"query-status","id":2}', 2),
    ('xyz', 1),
    ('"str"', 1),
    ('1', 1),
    ('}', 1),
    ('{"a":}', 1),
    ('[1,]', 1),
    ('@', 1),
    ('{"execute" "x"}', 1),
    ('{1:2}', 1),
    ('"\\q"', 1),
    ('{"execute":"query-status","id":1.5e3}', 1),
    ('{"execute":"query-status","id":"\\u00e9x\\ud83d\\ude00"}', 1),
    ('{"execute":"quit"}', 1),
]

# What QEMU 7.2 answers (qemu-system-arm -M none -S), timestamps zeroed.
STAMP = '"timestamp": {"seconds": 0, "microseconds": 0}'
EXPECTED = f'''\
{{"error": {{"class": "CommandNotFound", "desc": "Expecting capabilities negotiation with 'qmp_capabilities'"}}}}
{{"return": {{}}}}
{{"error": {{"class": "CommandNotFound", "desc": "Capabilities negotiation is already complete, command ignored"}}}}
{{"return": {{"status": "prelaunch", "singlestep": false, "running": false}}, "id": 7}}
{{"error": {{"class": "CommandNotFound", "desc": "The command nope has not been found"}}}}
{{"error": {{"class": "GenericError", "desc": "QMP input must be a JSON object"}}}}
{{"error": {{"class": "GenericError", "desc": "QMP input member 'foo' is unexpected"}}}}
{{"error": {{"class": "GenericError", "desc": "QMP input member 'execute' must be a string"}}}}
{{"error": {{"class": "GenericError", "desc": "QMP input member 'arguments' must be an object"}}}}
{{"error": {{"class": "GenericError", "desc": "Parameter 'x' is unexpected"}}}}
{{"error": {{"class": "GenericError", "desc": "QMP input member 'control' is unexpected"}}}}
{{"error": {{"class": "GenericError", "desc": "QMP input member 'exec-oob' is unexpected"}}}}
{{"error": {{"class": "GenericError", "desc": "Parameter 'command-line' is missing"}}}}
{{"error": {{"class": "GenericError", "desc": "Invalid parameter type for 'command-line', expected: string"}}}}
{{"return": "VM status: paused (prelaunch)\\r\\n", "id": "a"}}
{{"error": {{"class": "GenericError", "desc": "Parameter 'cpu-index' expects a CPU number"}}}}
{{"return": "unknown command: 'nope'\\r\\n"}}
{{"return": {{"enabled": false, "present": false}}}}
{{"return": []}}
{{"error": {{"class": "GenericError", "desc": "The feature 'query-hotpluggable-cpus' is not enabled"}}}}
{{{STAMP}, "event": "RESUME"}}
{{"return": {{}}}}
{{"return": {{"status": "running", "singlestep": false, "running": true}}}}
{{{STAMP}, "event": "STOP"}}
{{"return": {{}}}}
{{"return": {{}}}}
{{{STAMP}, "event": "RESET", "data": {{"guest": false, "reason": "host-qmp-system-reset"}}}}
{{"return": {{}}}}
{{{STAMP}, "event": "RESUME"}}
{{"return": {{}}}}
{{{STAMP}, "event": "POWERDOWN"}}
{{"return": {{}}}}
{{"return": "none-machine"}}
{{"error": {{"class": "DeviceNotFound", "desc": "Device '/nope' not found"}}}}
{{"error": {{"class": "GenericError", "desc": "Property 'none-machine.nope' not found"}}}}
{{{STAMP}, "event": "STOP"}}
{{"return": {{}}}}
{{"return": {{"status": "paused", "singlestep": false, "running": false}}, "id": [1, {{"a": null}}]}}
{{"return": {{"status": "paused", "singlestep": false, "running": false}}}}
{{"return": {{"status": "paused", "singlestep": false, "running": false}}}}
{{"return": {{"status": "paused", "singlestep": false, "running": false}}, "id": 2}}
{{"error": {{"class": "GenericError", "desc": "JSON parse error, invalid keyword 'xyz'"}}}}
{{"error": {{"class": "GenericError", "desc": "QMP input must be a JSON object"}}}}
{{"error": {{"class": "GenericError", "desc": "QMP input must be a JSON object"}}}}
{{"error": {{"class": "GenericError", "desc": "JSON parse error, expecting value"}}}}
{{"error": {{"class": "GenericError", "desc": "JSON parse error, expecting value"}}}}
{{"error": {{"class": "GenericError", "desc": "JSON parse error, expecting value"}}}}
{{"error": {{"class": "GenericError", "desc": "JSON parse error, stray '@'"}}}}
{{"error": {{"class": "GenericError", "desc": "JSON parse error, missing : in object pair"}}}}
{{"error": {{"class": "GenericError", "desc": "JSON parse error, key is not a string in object"}}}}
{{"error": {{"class": "GenericError", "desc": "JSON parse error, invalid escape sequence in string"}}}}
{{"return": {{"status": "paused", "singlestep": false, "running": false}}, "id": 1500}}
{{"return": {{"status": "paused", "singlestep": false, "running": false}}, "id": "\\u00E9x\\uD83D\\uDE00"}}
{{{STAMP}, "event": "SHUTDOWN", "data": {{"guest": false, "reason": "host-qmp-quit"}}}}
{{"return": {{}}}}
'''


def normalise(line):
    """Zeroes timestamps and hides whose version it is."""
    line = re.sub(r'"seconds": \d+, "microseconds": \d+',
                  '"seconds": 0, "microseconds": 0', line)
    return re.sub(r'\{"qemu": \{"micro": \d+, "minor": \d+, "major": \d+\}, '
                  r'"package": "[^"]*"\}', '{"qemu": VERSION}', line)


class Session:
    """emu with a QMP socket, connected; it must exit 0 after quit."""

    def __init__(self, args, program=None):
        self.proc, self.qmp = start(program or binary(), args)

    def __enter__(self):
        return self.qmp

    def __exit__(self, kind, value, tb):
        try:
            if kind is None:
                assert self.proc.wait(timeout=TIMEOUT) == 0
        finally:
            self.qmp.close()
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            self.proc.stdout.close()
            self.proc.stderr.close()


def start(program, args):
    """Starts an emulator with a QMP socket; returns (process, client)."""
    path = os.path.join(tempdir(), "qmp.sock")
    proc = subprocess.Popen([program] + args +
                            ["-qmp", f"unix:{path},server,wait=off"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        return proc, qmp_connect(path)
    except Exception:
        proc.kill()
        raise


def converse(program):
    """Runs CONVERSATION; returns the greeting and the replies' text."""
    with Session(["-M", "none", "-display", "none", "-S"], program) as qmp:
        lines = []
        for request, replies in CONVERSATION:
            qmp.send(request)
            while replies:
                line = qmp.read_line()
                lines.append(normalise(line))
                if '"event"' not in line:
                    replies -= 1
        greeting = normalise(qmp.greeting)
    return greeting, "".join(line + "\n" for line in lines)


def test_conversation_matches_qemu():
    greeting, text = converse(binary())
    assert greeting == ('{"QMP": {"version": {"qemu": VERSION}, '
                        '"capabilities": ["oob"]}}'), greeting
    assert text == EXPECTED, "\n".join(
        f"{n}: got {g!r}\n{n}: want {w!r}" for n, (g, w) in
        enumerate(zip(text.splitlines(), EXPECTED.splitlines())) if g != w)


def test_conversation_side_by_side_with_qemu():
    qemu = shutil.which("qemu-system-arm")
    if not qemu:
        raise Skip("qemu-system-arm is not installed")
    assert converse(binary()) == converse(qemu)


def test_greeting_version():
    with Session(["-M", "none"]) as qmp:
        greeting = json.loads(qmp.greeting)
        assert greeting == {"QMP": {"version": {"qemu": {"micro": 0, "minor": 1, "major": 0},
                                                "package": ""},
                                    "capabilities": ["oob"]}}, greeting
        qmp.negotiate()
        reply, _ = qmp.cmd("query-version")
        assert reply == {"return": greeting["QMP"]["version"]}, reply
        reply, _ = qmp.cmd("query-commands")
        names = [c["name"] for c in reply["return"]]
        for name in ("qmp_capabilities", "query-status", "stop", "cont",
                     "system_reset", "system_powerdown", "quit",
                     "query-cpus-fast", "human-monitor-command", "qom-list",
                     "qom-get", "qom-set", "query-chardev", "query-machines",
                     "query-kvm", "query-version", "query-commands"):
            assert name in names, (name, names)
        reply, _ = qmp.cmd("quit")
        assert reply == {"return": {}}


def test_oob_negotiation():
    with Session(["-M", "none"]) as qmp:
        reply, _ = qmp.cmd("qmp_capabilities", {"enable": ["nope"]})
        assert reply == {"error": {"class": "GenericError",
                                   "desc": "Parameter 'enable[0]' does not "
                                           "accept value 'nope'"}}, reply
        reply, _ = qmp.cmd("qmp_capabilities", {"enable": ["oob"]})
        assert reply == {"return": {}}, reply
        qmp.send('{"exec-oob": "query-status", "id": 1}')
        assert qmp.read_message() == {
            "error": {"class": "GenericError",
                      "desc": "The command query-status does not support OOB"},
            "id": 1}
        qmp.send('{"exec-oob": "query-status", "execute": "stop"}')
        assert qmp.read_message()["error"]["desc"] == (
            "QMP input must have either 'execute' or 'exec-oob', not both")
        qmp.send('{"id": 3}')
        assert qmp.read_message() == {
            "error": {"class": "GenericError",
                      "desc": "QMP input lacks member 'execute'"}, "id": 3}
        qmp.cmd("quit")


def test_garbage_does_not_end_the_session():
    with Session(["-M", "none"]) as qmp:
        qmp.negotiate()
        # Bytes that are not text, deep nesting, a huge string: each gets
        # an error and the session goes on.
        qmp.sock.sendall(b"\x00\xff\n")
        assert qmp.read_message()["error"]["desc"] == \
            "JSON parse error, stray '\\x00'"
        assert qmp.read_message()["error"]["desc"] == \
            "JSON parse error, stray '\\xff'"
        qmp.send("[" * 1025)
        assert qmp.read_message()["error"]["desc"] == \
            "JSON parse error, too many nested values"
        qmp.send('{"execute": "query-status", "id": "' + "x" * 100000 + '"}')
        reply = qmp.read_message()
        assert reply["return"]["status"] == "running" and len(reply["id"]) == 100000
        reply, _ = qmp.cmd("query-status")
        assert reply["return"]["running"] is True, reply
        qmp.cmd("quit")


def test_events_reach_every_qmp_monitor():
    """An HMP on stdio and two QMP monitors (one pretty, on a -chardev):
    "stop" typed in HMP is a STOP event on both, once each."""
    d = tempdir()
    plain, pretty = os.path.join(d, "plain.sock"), os.path.join(d, "pretty.sock")
    mon = PipeMonitor(["-M", "none",
                       "-qmp", f"unix:{plain},server=on,wait=off",
                       "-chardev", f"socket,id=q2,path={pretty},server=on,wait=off",
                       "-mon", "chardev=q2,mode=control,pretty=on"])
    try:
        a = qmp_connect(plain)
        b = qmp_connect(pretty)
        # The pretty greeting spans lines ending in "\r\n", as in QEMU.
        assert b.greeting == "{"
        assert b.out.read_until("\r\n}\r\n").startswith('    "QMP": {\r\n')
        a.negotiate()
        b.send('{"execute": "qmp_capabilities"}')
        assert b.out.read_until("\r\n}\r\n") == '{\r\n    "return": {\r\n    }\r\n}\r\n'
        assert mon.cmd("stop") == ""
        event = a.read_message()
        assert event["event"] == "STOP" and "data" not in event, event
        text = b.out.read_until('"event": "STOP"\r\n}\r\n')
        assert re.fullmatch(r'\{\r\n    "timestamp": \{\r\n        "seconds": \d+,\r\n'
                            r'        "microseconds": \d+\r\n    \},\r\n'
                            r'    "event": "STOP"\r\n\}\r\n', text), text
        reply, events = a.cmd("cont")
        assert reply == {"return": {}} and [e["event"] for e in events] == ["RESUME"]
        assert b.out.read_until('"event": "RESUME"\r\n}\r\n')
        assert mon.cmd("info status") == "VM status: running\n"
        # Only one of each: the next thing either client sees is its reply.
        reply, events = a.cmd("query-status")
        assert events == [], events
        b.send('{"execute": "query-status"}')
        assert b.out.read_until("}\r\n}\r\n").startswith('{\r\n    "return": {\r\n')
        status, err = mon.quit()
        assert status == 0, err
        event = a.read_message()
        assert event["event"] == "SHUTDOWN" and event["data"] == {
            "guest": False, "reason": "host-qmp-quit"}, event
        a.close()
        b.close()
    finally:
        mon.kill()


def test_unnegotiated_sessions_hear_no_events():
    with Session(["-M", "none"]) as qmp:
        qmp.send('{"execute": "stop"}')
        assert qmp.read_message()["error"]["class"] == "CommandNotFound"
        qmp.negotiate()
        reply, events = qmp.cmd("human-monitor-command", {"command-line": "stop"})
        assert reply == {"return": ""} and [e["event"] for e in events] == ["STOP"]
        reply, _ = qmp.cmd("human-monitor-command",
                           {"command-line": "info status"})
        assert reply == {"return": "VM status: paused\r\n"}, reply
        qmp.cmd("quit")


def test_reconnect_starts_a_new_session():
    d = tempdir()
    path = os.path.join(d, "qmp.sock")
    proc = subprocess.Popen([binary(), "-M", "none", "-qmp",
                             f"unix:{path},server=on,wait=off"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        first = qmp_connect(path)
        first.negotiate()
        first.send('{"execute": "query-st')
        first.close()
        second = qmp_connect(path)
        assert second.greeting.startswith('{"QMP": ')
        reply, _ = second.cmd("query-status")
        assert reply["error"]["desc"] == ("Expecting capabilities negotiation "
                                          "with 'qmp_capabilities'"), reply
        second.negotiate()
        second.cmd("quit")
        assert proc.wait(timeout=TIMEOUT) == 0
        second.close()
    finally:
        proc.kill()
        proc.wait()


def test_qmp_on_stdio():
    proc = subprocess.Popen([binary(), "-M", "none", "-qmp", "stdio"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        out = Stream(proc.stdout.fileno())
        assert out.read_until("\r\n").startswith('{"QMP": {"version": ')
        proc.stdin.write(b'{"execute":"qmp_capabilities"}\n'
                         b'{"execute":"query-status"}\n{"execute":"quit"}\n')
        proc.stdin.flush()
        assert out.read_until("\r\n") == '{"return": {}}\r\n'
        assert out.read_until("\r\n") == ('{"return": {"status": "running", '
                                          '"singlestep": false, "running": true}}\r\n')
        assert '"event": "SHUTDOWN"' in out.read_until("\r\n")
        assert out.read_until("\r\n") == '{"return": {}}\r\n'
        assert proc.wait(timeout=TIMEOUT) == 0
    finally:
        proc.kill()
        proc.wait()
        for f in (proc.stdin, proc.stdout, proc.stderr):
            f.close()


def test_qom_commands():
    with Session(["-M", "none", "-device",
                                 "unimplemented-device,name=uart9,base=0x10000000,"
                                 "size=4k,id=u9"]) as qmp:
        qmp.negotiate()
        reply, _ = qmp.cmd("qom-list", {"path": "/machine/peripheral/u9"})
        assert {"name": "type", "type": "string"} in reply["return"], reply
        assert {"name": "size", "type": "size"} in reply["return"], reply
        assert {"name": "name", "type": "str"} in reply["return"], reply
        reply, _ = qmp.cmd("qom-get", {"path": "/machine/peripheral/u9",
                                       "property": "base"})
        assert reply == {"return": 0x10000000}, reply
        reply, _ = qmp.cmd("qom-get", {"path": "/machine/peripheral/u9",
                                       "property": "name"})
        assert reply == {"return": "uart9"}, reply
        reply, _ = qmp.cmd("qom-set", {"path": "/machine/peripheral/u9",
                                       "property": "name", "value": "x"})
        assert reply == {"error": {"class": "GenericError", "desc":
                                   "Attempt to set property 'name' on device "
                                   "'u9' (type 'unimplemented-device') after "
                                   "it was realized"}}, reply
        reply, _ = qmp.cmd("qom-set", {"path": "/machine/peripheral/u9",
                                       "property": "nope", "value": 1})
        assert reply["error"]["desc"] == ("Property 'unimplemented-device.nope' "
                                          "not found"), reply
        reply, _ = qmp.cmd("qom-list", {"path": "/nope"})
        assert reply["error"] == {"class": "DeviceNotFound",
                                  "desc": "Device '/nope' not found"}, reply
        reply, _ = qmp.cmd("human-monitor-command",
                           {"command-line": "qom-get /machine/peripheral/u9 name"})
        assert reply == {"return": '"uart9"\r\n'}, reply
        qmp.cmd("quit")


def test_cpus_and_machines():
    flash = os.path.join(tempdir(), "flash.img")
    with open(flash, "wb") as f:
        f.truncate(16 << 20)
    with Session(["-M", "connex", "-pflash", flash, "-S"]) as qmp:
        qmp.negotiate()
        reply, _ = qmp.cmd("query-cpus-fast")
        cpus = reply["return"]
        assert len(cpus) == 1 and cpus[0]["qom-path"] == "/machine/unattached/device[0]" \
            and cpus[0]["cpu-index"] == 0 and cpus[0]["target"] == "arm" \
            and cpus[0]["thread-id"] > 0, cpus
        assert list(cpus[0]) == ["thread-id", "qom-path", "cpu-index", "target"]
        reply, _ = qmp.cmd("qom-get", {"path": cpus[0]["qom-path"],
                                       "property": "type"})
        assert reply == {"return": "pxa255-arm-cpu"}, reply
        reply, _ = qmp.cmd("query-machines")
        connex = [m for m in reply["return"] if m["name"] == "connex"]
        assert connex and connex[0]["cpu-max"] == 1, reply
        virt = [m for m in reply["return"] if m["name"] == "virt-7.2"]
        assert virt and virt[0]["alias"] == "virt" \
            and list(virt[0])[-1] == "alias", reply
        reply, _ = qmp.cmd("query-chardev")
        assert {"frontend-open": True, "filename":
                reply["return"][-1]["filename"], "label": "compat_monitor0"} \
            in reply["return"], reply
        qmp.cmd("quit")


def test_qmp_option_errors():
    proc = subprocess.run([binary(), "-M", "none", "-mon", "chardev=nope,mode=control"],
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 1 and 'chardev "nope" not found' in proc.stderr, proc.stderr
    proc = subprocess.run([binary(), "-M", "none", "-chardev", "null,id=n",
                           "-mon", "chardev=n,mode=nope"],
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 1 and "mode" in proc.stderr, proc.stderr


if __name__ == "__main__":
    main(globals())
