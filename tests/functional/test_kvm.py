# The kvm accelerator's VM and memory slots, and the x86-64 CPU models
# it runs.  Tests that need /dev/kvm skip where it is missing; guests
# that run on a board are in the board's tests.
# SPDX-License-Identifier: GPL-2.0-or-later
from emutest import PipeMonitor, main, need_emulator, need_kvm, run, run_fails


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


def test_x86_cpu_help():
    need_emulator("x86_64")
    status, out, err = run(["-cpu", "help"], arch="x86_64")
    assert status == 0, err
    assert out.startswith("Available CPUs:\nx86 Conroe  "), out
    assert "\nx86 %-20s  Common KVM processor\n" % "kvm64-v1" in out, out
    assert "\nx86 %-20s  processor with all supported host " \
        "features \n" % "host" in out, out


def test_x86_unknown_cpu():
    need_emulator("x86_64")
    err = run_fails(["-M", "none", "-cpu", "foo"], arch="x86_64")
    assert "unable to find CPU model 'foo'" in err, err


def test_kvm_irqchip_on_a_machine_without_cpus():
    # The in-kernel PIC, IOAPIC and PIT come with every x86 VM.
    need_kvm()
    mon = PipeMonitor(["-M", "none", "-accel", "kvm", "-S"], arch="x86_64")
    try:
        assert mon.cmd("info status") == "VM status: paused (prelaunch)\n"
        status, err = mon.quit()
        assert status == 0, err
        assert err == "", err
    finally:
        mon.kill()


if __name__ == "__main__":
    main(globals())
