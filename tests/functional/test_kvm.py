# The kvm accelerator's VM and memory slots (vCPUs come with the x86
# target).  Skipped where /dev/kvm is missing.
# SPDX-License-Identifier: GPL-2.0-or-later
import os

from emutest import PipeMonitor, Skip, main


def need_kvm():
    if not os.path.exists("/dev/kvm"):
        raise Skip("no /dev/kvm")
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        raise Skip("no permission on /dev/kvm")


def test_kvm_machine_with_ram():
    need_kvm()
    mon = PipeMonitor(["-M", "none", "-m", "16M", "-accel", "kvm", "-S"],
                      arch="x86_64")
    try:
        assert "(prio 0, ram): ram" in mon.cmd("info mtree")
        assert mon.cmd("cont") == ""
        assert mon.cmd("info status") == "VM status: running\n"
        status, err = mon.quit()
        assert status == 0, err
        assert err == "", err
    finally:
        mon.kill()


if __name__ == "__main__":
    main(globals())
