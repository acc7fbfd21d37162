# ACPI PCI hotplug on -M pc, against Debian's amd64 kernel (its acpiphp
# driver, built in): device_add of an e1000 and of a virtio-net-pci
# puts a NIC the guest finds in its slot (its driver binds it: the
# interface appears), device_del asks the guest to give it back, the
# guest ejects it through the DSDT's _EJ0 and QMP announces
# DEVICE_DELETED.  The same QMP conversation runs against
# qemu-system-x86_64, and the replies and events must be the same.
# SPDX-License-Identifier: GPL-2.0-or-later
import os

from emutest import main, qemu_binary, qmp_connect, tempdir
from pclinux import (DEVICE_TEST_APPEND, PC, VIRTIO_PCI_MODULES,
                     amd64_kernel, pc_initramfs)

E1000_MODULE = "drivers/net/ethernet/intel/e1000/e1000.ko"


def boot(program):
    """emu (PROGRAM None) or QEMU booted, with a QMP session."""
    name = os.path.basename(program) if program else "emu"
    qmp_path = os.path.join(tempdir(), f"hotplug-{name}.qmp")
    extra = ["-global", "apic-common.vapic=off"] if program else []
    pc = PC(["-accel", "tcg", "-nodefaults", "-kernel", amd64_kernel(),
             "-initrd", pc_initramfs((E1000_MODULE,) + VIRTIO_PCI_MODULES),
             "-append", DEVICE_TEST_APPEND, "-qmp",
             f"unix:{qmp_path},server=on,wait=off"] + extra, program=program)
    qmp = qmp_connect(qmp_path)
    qmp.negotiate()
    return pc, qmp


def wait_event(qmp, events, name, timeout=120):
    """The events up to NAME: those cmd() collected, then more."""
    while not any(e["event"] == name for e in events):
        events.append(qmp.read_message(timeout))
    return events


def slot_listing(pc):
    """The guest's PCI functions and network interfaces."""
    out = pc.run("ls /sys/bus/pci/devices /sys/class/net; echo done-$((1+1))",
                 "done-2\n")
    return out


def session(program):
    """What the guest and QMP said through plug and unplug of both NICs:
    the QMP messages without timestamps."""
    pc, qmp = boot(program)
    said = []
    try:
        before = slot_listing(pc)
        assert "0000:00:02.0" not in before, before
        for driver, vendor_device in (("e1000", "0x8086 0x100e"),
                                      ("virtio-net-pci", "0x1af4 0x1000")):
            reply, events = qmp.cmd("device_add",
                                    {"driver": driver, "id": "n1"})
            said.append(reply)
            # acpiphp found it and its driver took it.
            out = pc.run("sleep 3; cat /sys/bus/pci/devices/0000:00:02.0/"
                         "vendor /sys/bus/pci/devices/0000:00:02.0/device "
                         "| tr '\\n' ' '; ls /sys/class/net; "
                         "echo done-$((1+1))", "done-2\n")
            assert vendor_device in out and "eth0" in out, (driver, out)
            said.append(qmp.cmd("qom-get", {"path": "/machine/peripheral/n1",
                                            "property": "type"})[0])
            reply, events = qmp.cmd("device_del", {"id": "n1"})
            said.append(reply)
            events = wait_event(qmp, events, "DEVICE_DELETED")
            # The backend of virtio-net-pci goes first, then the NIC.
            while events[-1].get("data", {}).get("device") != "n1":
                events.append(qmp.read_message(60))
            said += [{k: v for k, v in e.items() if k != "timestamp"}
                     for e in events]
            out = slot_listing(pc)
            assert "0000:00:02.0" not in out and "eth0" not in out, out
            said.append(qmp.cmd("device_del", {"id": "n1"})[0])
        # Slots that cannot take part, as QEMU refuses them.
        said.append(qmp.cmd("device_add", {"driver": "VGA"})[0])
        said.append(qmp.cmd("device_add", {"driver": "e1000",
                                           "addr": "1"})[0])
    finally:
        qmp.close()
        pc.close()
    return said


def test_hotplug_nics_as_qemu():
    emu = session(None)
    assert emu[:2] == [{"return": {}}, {"return": "e1000"}], emu
    assert {"event": "DEVICE_DELETED", "data": {
        "device": "n1", "path": "/machine/peripheral/n1"}} in emu, emu
    qemu = qemu_binary("x86_64")
    if qemu:
        assert emu == session(qemu), emu


if __name__ == "__main__":
    main(globals())
