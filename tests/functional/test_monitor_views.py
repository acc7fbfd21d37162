# Monitor views a script reads to learn what a machine has, as QEMU 7.2
# prints them: the board's RAM as the memory backend QEMU makes of it
# (info memdev, qom-list /objects), the status of the last dump (info
# dump, query-dump), where each vCPU slot sits in the topology
# (query-cpus-fast's props, query-hotpluggable-cpus and info
# hotpluggable-cpus), and the views of features emu does not have (NUMA,
# USB, balloon, iothreads, TPM, VNC, SPICE, SEV, record/replay), which
# answer as QEMU does on a machine without them.  Each is compared with
# qemu-system-* on the same command line when it is installed.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import subprocess

from emutest import (TIMEOUT, binary, main, qemu_binary, qmp_connect,
                     tempdir)

ABSENT = ("info numa", "info usb", "info balloon", "info iothreads",
          "info tpm", "info vnc", "info spice", "info replay", "info sev")
EXPECTED_ABSENT = ["0 nodes\n", "Error: USB support not enabled\n",
                   "Error: No balloon device has been activated\n", "", "",
                   "None\n", "Server: disabled\n",
                   "Record/replay is not active\n"]
SEABIOS = "/usr/share/seabios/bios.bin"


class Machine:
    """PROGRAM started paused with ARGS and QMP on a socket."""

    def __init__(self, program, args):
        self.dir = tempdir()
        sock = os.path.join(self.dir, "qmp.sock")
        self.proc = subprocess.Popen(
            [program, "-display", "none", "-S", "-nodefaults", "-qmp",
             f"unix:{sock},server=on,wait=off"] + args,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True)
        self.qmp = qmp_connect(sock)
        self.qmp.negotiate()

    def close(self):
        self.qmp.cmd("quit")
        self.qmp.close()
        self.proc.communicate(timeout=TIMEOUT)


def answers(program, args, script):
    """What SCRIPT (a function of the QMP client) returns on PROGRAM."""
    machine = Machine(program, args)
    try:
        return script(machine)
    finally:
        machine.close()


def same_on_qemu(arch, args, script, ours, normal=lambda answer: answer):
    qemu = qemu_binary(arch)
    if qemu:
        theirs = answers(qemu, args, script)
        assert normal(theirs) == normal(ours), (args, theirs, ours)


def backends_in_any_order(view):
    """QEMU lists backends in its hash table's order (emu by name)."""
    memdev, objects = view
    blocks = memdev[:-1].split("memory backend: ")
    return sorted(b if b.endswith("\n") else b + "\n" for b in blocks), \
        memdev[-1:], objects


def test_views_of_absent_features_as_qemu():
    def script(m):
        return [m.qmp.hmp(line) for line in ABSENT]
    # SEV is an x86 command, as in QEMU.
    sev = {"x86_64": "SEV is not enabled\n",
           "arm": "unknown command: 'info sev'\n"}
    for arch, args in (("x86_64", ["-M", "pc"]), ("arm", ["-M", "virt"])):
        ours = answers(binary(arch), args, script)
        assert ours == EXPECTED_ABSENT + [sev[arch]], ours
        same_on_qemu(arch, args, script, ours)


def memdev_view(m):
    reply = m.qmp.cmd("qom-list", {"path": "/objects"})[0]
    # Without any object, /objects does not exist (in QEMU either).
    objects = sorted((o["name"], o["type"]) for o in reply["return"]) \
        if "return" in reply else reply["error"]["desc"]
    return m.qmp.hmp("info memdev"), objects


def test_board_ram_is_a_memory_backend_as_qemu():
    # QEMU 7.2 makes the RAM of pc, microvm and virt a memory-backend-ram
    # named after the board's RAM; connex's stays the board's own.
    flash = os.path.join(tempdir(), "flash.bin")
    with open(flash, "wb") as f:
        f.truncate(16 << 20)
    for arch, args, backend in (
            ("x86_64", ["-M", "pc", "-m", "96"], "pc.ram"),
            ("x86_64", ["-M", "microvm", "-bios", SEABIOS,
                        "-m", "64,maxmem=64M"], "microvm.ram"),
            ("arm", ["-M", "virt,mem-merge=off,dump-guest-core=off"],
             "mach-virt.ram"),
            ("arm", ["-M", "connex", "-drive",
                     f"if=pflash,format=raw,file={flash}"], None),
            ("x86_64", ["-object", "memory-backend-ram,id=m0,size=32M",
                        "-object", "memory-backend-ram,id=m1,size=16M,"
                        "prealloc=on", "-M", "pc,memory-backend=m0"],
             None)):
        memdev, objects = answers(binary(arch), args, memdev_view)
        if backend:
            size = {"pc.ram": 96, "microvm.ram": 64,
                    "mach-virt.ram": 128}[backend] << 20
            flag = "false" if backend == "mach-virt.ram" else "true"
            assert memdev == (
                f"memory backend: {backend}\n  size:  {size}\n"
                f"  merge: {flag}\n  dump: {flag}\n  prealloc: false\n"
                "  share: false\n  reserve: true\n  policy: default\n"
                "  host nodes: \n\n"), memdev
            assert (backend, "child<memory-backend-ram>") in objects, objects
        elif arch == "arm":
            assert memdev == "\n", memdev
        else:
            # Two backends: one blank line after the list, as QEMU's.
            assert memdev.count("memory backend:") == 2, memdev
            assert memdev.endswith("host nodes: \n\n"), memdev
            assert "host nodes: \nmemory backend: m1\n" in memdev, memdev
        same_on_qemu(arch, args, memdev_view, (memdev, objects),
                     backends_in_any_order)


def test_dump_status_as_qemu():
    out = tempdir()

    def script(m):
        seen = [m.qmp.cmd("query-dump")[0], m.qmp.hmp("info dump")]
        for protocol, extra in ((f"file:{out}/whole", {}),
                                ("file:/nonexistent/core", {}),
                                (f"file:{out}/part",
                                 {"begin": 4096, "length": 8192})):
            m.qmp.cmd("dump-guest-memory",
                      dict(paging=False, protocol=protocol, **extra))
            seen += [m.qmp.cmd("query-dump")[0], m.qmp.hmp("info dump")]
        return seen

    args = ["-M", "microvm", "-bios", SEABIOS, "-m", "64"]
    ours = answers(binary("x86_64"), args, script)
    whole = ours[2]["return"]
    assert ours[0] == {"return": {"status": "none", "completed": 0,
                                  "total": 0}}, ours
    assert (ours[1], ours[3]) == ("Status: none\n", "Status: completed\n"), \
        ours
    assert whole["status"] == "completed", ours
    assert whole["completed"] == whole["total"] >= 64 << 20, ours
    # A dump refused before its file leaves the last status as it was.
    assert ours[4:6] == ours[2:4], ours
    assert ours[6] == {"return": {"status": "completed", "completed": 8192,
                                  "total": 8192}}, ours
    same_on_qemu("x86_64", args, script, ours)


def cpu_slots(m):
    """The slots as QMP and HMP show them, without what differs by
    nature (host thread ids)."""
    cpus = m.qmp.cmd("query-cpus-fast")[0]["return"]
    for cpu in cpus:
        del cpu["thread-id"]
    slots = m.qmp.cmd("query-hotpluggable-cpus")[0]
    hmp = m.qmp.hmp("info hotpluggable-cpus").split("\n")
    return cpus, slots, hmp


def test_cpu_slots_as_qemu():
    for arch, args in (
            ("x86_64", ["-M", "pc", "-smp",
                        "3,sockets=1,cores=2,threads=2,maxcpus=4"]),
            ("x86_64", ["-M", "microvm", "-bios", SEABIOS, "-smp", "2"]),
            ("arm", ["-M", "virt", "-smp", "4,sockets=2,cores=2"])):
        ours = answers(binary(arch), args, cpu_slots)
        same_on_qemu(arch, args, cpu_slots, ours)
        cpus, slots, hmp = ours
        if arch == "arm":
            assert cpus[2]["props"] == {"core-id": 0, "thread-id": 0,
                                        "socket-id": 1, "cluster-id": 0}
        elif "microvm" in args:
            assert cpus[1]["props"] == {"core-id": 1, "thread-id": 0,
                                        "socket-id": 0}, cpus
        else:
            assert cpus[1]["props"] == {"core-id": 0, "thread-id": 1,
                                        "socket-id": 0}, cpus
        if "microvm" in args or arch == "arm":
            assert slots["error"]["desc"] == \
                "The feature 'query-hotpluggable-cpus' is not enabled"
            continue
        # The PC lists every slot up to maxcpus, the last first.
        assert [s.get("qom-path") for s in slots["return"]] == \
            [None, "/machine/unattached/device[3]",
             "/machine/unattached/device[2]",
             "/machine/unattached/device[0]"], slots
        assert hmp[:7] == ["Hotpluggable CPUs:",
                           '  type: "qemu64-x86_64-cpu"',
                           '  vcpus_count: "1"', "  CPUInstance Properties:",
                           '    socket-id: "0"', '    core-id: "1"',
                           '    thread-id: "1"'], hmp


if __name__ == "__main__":
    main(globals())
