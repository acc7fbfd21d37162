# The e1000 (82540EM) on the PC (issue 11): the NIC of `-nic user` and
# `-net nic` there, as on QEMU.  info pci (before and after SeaBIOS
# placed the BARs) and info network against QEMU's for the same command
# lines; a boot disk built here drives the device from real mode through
# its I/O BAR, hands it malformed rings and descriptors (outside RAM,
# tails past the ring, oversized packets, impossible offload offsets)
# and then gets slirp's ARP reply through sane rings; bad options are
# refused as QEMU refuses them.  Linux's driver: test_pc_linux_e1000.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import subprocess

from emutest import binary, main, monitor_script, run, run_fails, \
    strip_ansi, tempdir
from test_pc import EXIT_DEVICE, PASSED, QEMU, build_guest, need_qemu, \
    need_seabios, qemu_info_pci
from test_pc_virtio import emu_monitor, info_pci_after_seabios

# QEMU loads iPXE's efi-e1000.rom into BAR6 by default; emu loads an
# option ROM only when asked (docs/boards/pc.md).
QEMU_AS_EMU = ["-global", "e1000.romfile="]

COMMAND_LINES = (
    ["-nic", "user"],
    ["-nic", "user,id=u,mac=52:54:00:aa:bb:cc"],
    ["-net", "nic", "-net", "user,id=s"],
    ["-netdev", "user,id=n", "-device", "e1000,netdev=n,id=nic0,addr=7"],
    ["-netdev", "user,id=n", "-device", "virtio-rng-pci",
     "-nic", "user,model=e1000,id=u2"],
)


def test_info_pci_as_qemu():
    need_seabios()
    need_qemu()
    for args in COMMAND_LINES:
        ours = emu_monitor(["-S"] + args, "info pci")
        assert "Ethernet controller: PCI device 8086:100e" in ours, ours
        expected = qemu_info_pci(["-S"] + args + QEMU_AS_EMU)
        assert ours == expected, (args, ours, expected)


def default_network(program, args):
    """info network and info pci of PROGRAM with ARGS and its defaults
    (no -nodefaults); QEMU's generated backend name (#net and random
    digits) as emu's."""
    (network, pci), _ = monitor_script(
        program, ["-S", "-display", "none"] + args,
        ["info network", "info pci"])
    return re.sub(r"#net\d+", "#net0", network), pci


def test_default_nic_as_qemu():
    # No network option: QEMU's "-net nic -net user", the e1000 on hub 0
    # with user networking; -nic none, -net none, -netdev and -nodefaults
    # leave it out.
    need_seabios()
    need_qemu()
    network, pci = default_network(binary("x86_64"), [])
    assert network == "hub 0\n" \
        " \\ hub0port1: #net0: index=0,type=user,net=10.0.2.0,restrict=off\n" \
        " \\ hub0port0: e1000.0: index=0,type=nic,model=e1000," \
        "macaddr=52:54:00:12:34:56\n", network
    assert "Ethernet controller: PCI device 8086:100e" in pci, pci
    assert (network, pci) == default_network(QEMU, QEMU_AS_EMU)
    for args in (["-nic", "none"], ["-net", "none"], ["-nodefaults"],
                 ["-netdev", "user,id=n"]):
        network, pci = default_network(binary("x86_64"), args)
        assert "e1000" not in network and "8086:100e" not in pci, \
            (args, network, pci)
        assert (network, pci) == default_network(QEMU, args + QEMU_AS_EMU), \
            args


def test_nic_model_help():
    # QEMU's list for the PC, of the models emu has, in its order.
    need_qemu()
    ours = subprocess.run([binary("x86_64"), "-nic", "model=help"],
                          capture_output=True, text=True, timeout=60)
    assert ours.returncode == 0, ours
    assert ours.stdout == "Supported NIC models:\ne1000\nvirtio-net-pci\n", \
        ours.stdout
    theirs = subprocess.run([QEMU, "-nic", "model=help"],
                            capture_output=True, text=True, timeout=60)
    assert [line for line in theirs.stdout.split("\n")
            if line in ours.stdout.split("\n")] == \
        ours.stdout.split("\n"), theirs.stdout
    for args in (["-net", "nic,model=?"], ["-nic", "user,model=help"]):
        same = subprocess.run([binary("x86_64")] + args, capture_output=True,
                              text=True, timeout=60)
        assert same.stdout == ours.stdout, (args, same)


def test_info_pci_after_seabios_as_qemu():
    # SeaBIOS sized and placed BAR0 (128 KiB of memory) and BAR1 (64
    # bytes of I/O) and routed pin A, the same on both.
    need_seabios()
    need_qemu()
    ours = info_pci_after_seabios(binary("x86_64"), ["-nic", "user"])
    assert "BAR1: I/O at 0xc000 [0xc03f]." in ours, ours
    assert ours == info_pci_after_seabios(QEMU, ["-nic", "user"] +
                                          QEMU_AS_EMU), ours


def qemu_info_network(args):
    proc = subprocess.run([QEMU, "-S", "-display", "none", "-nodefaults",
                           "-monitor", "stdio"] + args + QEMU_AS_EMU,
                          input="info network\nquit\n", capture_output=True,
                          text=True, timeout=60)
    # What follows the command's line up to the next prompt (QEMU's
    # readline redraws the line it echoes).
    lines = strip_ansi(proc.stdout).replace("\r", "").split("\n")
    start = next(i for i, l in enumerate(lines) if "network" in l) + 1
    end = next(i for i in range(start, len(lines))
               if lines[i].startswith("("))
    return "".join(line + "\n" for line in lines[start:end])


def test_info_network_as_qemu():
    need_qemu()
    # The anonymous backend of a bare -nic is "#net" and digits QEMU
    # picks at random: the command lines here name their backends.
    for args in COMMAND_LINES[1:]:
        ours = emu_monitor(["-S"] + args, "info network")
        assert ours == qemu_info_network(args), (args, ours)


# Network clients left unconnected: QEMU warns of each, in the order
# they were made (the -netdev backends before the devices), and of hubs missing a NIC or a host side.
UNCONNECTED = (
    ("x86_64", ["-device", "e1000"]),
    ("x86_64", ["-device", "e1000,id=foo", "-device", "virtio-net-pci",
                "-netdev", "user,id=n"]),
    ("x86_64", ["-net", "nic"]),
    ("x86_64", ["-net", "user"]),
    ("x86_64", ["-nic", "none"]),
    ("x86_64", ["-netdev", "user,id=n", "-device", "e1000,netdev=n"]),
    ("arm", ["-M", "virt", "-device", "virtio-net-device"]),
)


def unconnected_warnings(program, args):
    return monitor_script(program, ["-nodefaults", "-display", "none", "-S"]
                          + args, [])[1].replace("qemu-", "emu-")


def test_unconnected_clients_warned_as_qemu():
    assert unconnected_warnings(binary("x86_64"), UNCONNECTED[1][1]) == (
        "emu-system-x86_64: warning: netdev n has no peer\n"
        "emu-system-x86_64: warning: nic foo has no peer\n"
        "emu-system-x86_64: warning: nic virtio-net-pci.0 has no peer\n")
    need_qemu()
    for arch, args in UNCONNECTED:
        ours = unconnected_warnings(binary(arch), args)
        assert ours == unconnected_warnings(f"qemu-system-{arch}", args), \
            (args, ours)


def test_malformed_descriptors_then_arp():
    need_seabios()
    disk = os.path.join(tempdir(), "e1000-hostile.img")
    with open(build_guest("e1000-hostile"), "rb") as f:
        code = f.read()
    with open(disk, "wb") as f:
        f.write(code)
        f.truncate(1024 * 1024)
    log = os.path.join(tempdir(), "e1000-guest-errors.log")
    status, out, err = run(["-display", "none", "-nodefaults", "-debugcon",
                            "stdio", "-d", "guest_errors", "-D", log] +
                           EXIT_DEVICE +
                           ["-drive", f"file={disk},format=raw,if=ide",
                            "-netdev", "user,id=n", "-device",
                            "e1000,netdev=n"], "x86_64")
    out = out.replace("\r", "")
    assert status == PASSED, (status, out, err)
    assert out == "e1000 found\n" \
                  "malformed rings and descriptors: the device went on\n" \
                  "ARP reply: 10.0.2.2 is at 52:55:0a:00:02:02\n", out
    with open(log) as f:
        logged = f.read()
    for line in (
            "e1000: transmit descriptor 0 at 0x10000000000 is outside "
            "RAM: stopped\n",
            "e1000: transmit ring of 8 descriptors with head 0, tail 200: "
            "stopped\n",
            "e1000: transmit buffer at 0x10000000000 (65535 bytes) is "
            "outside RAM: packet dropped\n",
            "e1000: a packet of more than 65792 bytes: dropped\n",
            "e1000: TCP segmentation of 100 bytes with 200 of headers, "
            "MSS 0, IP at 0, TCP/UDP at 0: dropped\n",
            "e1000: legacy checksum from 200 to 0 at 250, in a 42-byte "
            "packet: not inserted\n",
            "e1000: receive descriptor 0 at 0x10000000000 (buffer 0x0, 68 "
            "bytes) is outside RAM: frame dropped\n"):
        assert line in logged, (line, logged)


def test_bad_options_as_qemu():
    need_qemu()
    for line in ("-device e1000,netdev=nope",
                 "-device e1000,mac=zz",
                 "-netdev user,id=n -device e1000,netdev=n "
                 "-device e1000,netdev=n",
                 "-nic user,model=e1000,mac=01:00:00:00:00:01",
                 # PCI addresses: taken, and functions of a slot whose
                 # function 0 is a single-function device.
                 "-device e1000,addr=1",
                 "-device e1000,addr=3,id=a -device e1000,addr=3",
                 "-device e1000,addr=3.1 -device e1000,addr=3",
                 "-device e1000,addr=3 -device virtio-net-pci,addr=3.2"):
        args = ["-display", "none", "-S", "-monitor", "none", "-serial",
                "none"] + line.split()
        ours = run_fails(args, "x86_64")
        theirs = subprocess.run([QEMU] + args, capture_output=True,
                                text=True, timeout=60)
        assert theirs.returncode == 1, (line, theirs.stderr)
        assert ours == theirs.stderr.replace("qemu-system-x86_64",
                                             "emu-system-x86_64"), \
            (line, ours, theirs.stderr)


if __name__ == "__main__":
    main(globals())
