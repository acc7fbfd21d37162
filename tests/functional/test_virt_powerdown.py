# The virt board's power key (issue 9): system_powerdown presses the
# gpio-key on line 3 of the PL061, Debian's armmp kernel reports
# KEY_POWER through its gpio-keys driver (the device tree's /gpio-keys
# node), and busybox's acpid, hearing it on /dev/input/event0, runs
# poweroff: emu ends with status 0 as QEMU does with the same guest.
# SPDX-License-Identifier: GPL-2.0-or-later
import os

from armmp import INIT_WITH_INIT, Linux
from emutest import SocketMonitor, main, qmp_connect, tempdir

# acpid's built-in tables map KEY_POWER to the action PWRF/00000080,
# a program under /etc/acpi.
ACPID_SETUP = b"""insmod /modules/evdev.ko
mkdir -p /etc/acpi/PWRF /var/run /var/log
printf '#!/bin/sh\\necho acpid: power button >/dev/console\\npoweroff\\n' \\
    > /etc/acpi/PWRF/00000080
chmod +x /etc/acpi/PWRF/00000080
"""


def test_system_powerdown():
    d = tempdir()
    hmp_path = os.path.join(d, "hmp.sock")
    qmp_path = os.path.join(d, "qmp.sock")
    linux = Linux(["-monitor", f"unix:{hmp_path},server=on,wait=off",
                   "-qmp", f"unix:{qmp_path},server=on,wait=off"],
                  INIT_WITH_INIT.replace(b"@MODULES@", ACPID_SETUP),
                  ("drivers/input/evdev.ko",))
    try:
        # The kernel found the PL061 and the key in the device tree.
        for line in ("pl061_gpio 9030000.pl061: PL061 GPIO chip registered",
                     "input: gpio-keys as /devices/platform/gpio-keys/"
                     "input/input0"):
            assert line in linux.boot, (line, linux.boot)
        linux.out.read_until("# ", 60)
        # An HMP press: the key goes down and comes up again 100 ms
        # later (EV_KEY KEY_POWER 1, EV_SYN, EV_KEY KEY_POWER 0, EV_SYN);
        # each input_event is 16 bytes, type, code and value at 8.  The
        # device is open before the press.  ($((...)): what the shell
        # prints, not the echo of the typed line.)
        linux.type("exec 3</dev/input/event0; echo open-$((1+1)); "
                   "dd bs=16 count=4 <&3 2>/dev/null | od -An -tu2 -w16 -v"
                   " | while read s0 s1 u0 u1 t c v w; do echo ev $t $c $v;"
                   " done; echo done-$((1+1))")
        linux.out.read_until("open-2\n", 60)
        hmp = SocketMonitor(hmp_path)
        hmp.cmd("system_powerdown")
        events = linux.out.read_until("done-2\n", 60)
        assert events.endswith("ev 1 116 1\nev 0 0 0\nev 1 116 0\n"
                               "ev 0 0 0\ndone-2\n"), events
        # A QMP press with acpid listening as a daemon: busybox powers
        # off through PSCI SYSTEM_OFF and emu exits 0.  Pressed once
        # acpid has the device open.  ps and pidof read /proc/N/stat
        # through busybox's 16-bit Thumb LDR of an unaligned word (emu
        # used to rotate it as ARMv5 does, and they found no process).
        linux.type("acpid; until ls -l /proc/$(pidof acpid)/fd 2>/dev/null"
                   " | grep -q event0; do sleep 0.1; done;"
                   " ps -o pid,comm; echo acpid-$((1+1))")
        listed = linux.out.read_until("acpid-2\n", 60)
        processes = [line.split() for line in listed.splitlines()]
        assert ["PID", "COMMAND"] in processes, listed
        assert ["1", "init"] in processes, listed
        assert sum(p[1:] == ["acpid"] for p in processes) == 1, listed
        qmp = qmp_connect(qmp_path)
        qmp.negotiate()
        # As QEMU: POWERDOWN before the reply, then the guest's SHUTDOWN.
        reply, events = qmp.cmd("system_powerdown")
        assert reply == {"return": {}}, reply
        assert [e["event"] for e in events] == ["POWERDOWN"], events
        rest = linux.out.read_until("reboot: Power down\n", 120)
        assert "acpid: power button" in rest, rest
        event = qmp.read_message()
        assert (event["event"], event["data"]) == \
            ("SHUTDOWN", {"guest": True, "reason": "guest-shutdown"}), event
        assert linux.proc.wait(60) == 0
        hmp.close()
        qmp.close()
    finally:
        linux.close()


if __name__ == "__main__":
    main(globals())
