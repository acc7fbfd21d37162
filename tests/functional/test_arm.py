# ARM guests under tcg: the instruction suites, the differential C test,
# self-modifying code, the MMU, random words and semihosting, built in
# tests/guests/arm and run on -M none with RAM at 0 and semihosting.
# Each guest's console output (stderr, as QEMU writes semihosting
# output) and exit status are compared exactly.  EMU_TEST_QEMU=1 runs
# the same checks on qemu-system-arm, to validate the guests.
# EMU_TEST_ONE_INSN_PER_TB=1 runs emu with one guest instruction per
# block (-accel tcg,one-insn-per-tb=on): every check must pass both ways,
# so a result that depends on how blocks are cut or chained shows up
# (meson runs the suite so as test_arm_one_insn_per_tb).
# EMU_TEST_NEON_SEEDS=1234abcd[,...] runs neon-random on those seeds on
# every CPU instead of the fixed seed and new ones: how a failure that a
# new seed found is replayed.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import random
import re
import shutil
import subprocess
import time

from emutest import BUILD_DIR, Skip, binary, main, tempdir

GUESTS = os.path.join(BUILD_DIR, "tests", "guests", "arm")
ON_QEMU = os.environ.get("EMU_TEST_QEMU") == "1"
ONE_INSN_PER_TB = os.environ.get("EMU_TEST_ONE_INSN_PER_TB") == "1"
TIMEOUT = 30


def guest(name):
    path = os.path.join(GUESTS, name + ".bin")
    if not os.path.exists(path):
        raise Skip(f"{path} was not built (arm-none-eabi-gcc missing?)")
    return path


def run_guest(name, *semihosting_args, timeout=TIMEOUT, cpu="pxa255",
              program=None, chroot=None, cwd=None, env=None):
    """Runs a guest (on program, else emu or EMU_TEST_QEMU's QEMU);
    returns (status, console output, emulator stderr)."""
    accel = []
    if program is None:
        program = shutil.which("qemu-system-arm") if ON_QEMU else binary("arm")
        if ONE_INSN_PER_TB and not ON_QEMU:
            accel = ["-accel", "tcg,one-insn-per-tb=on"]
    config = ["-semihosting"]
    if semihosting_args or chroot:
        config = ["-semihosting-config", "enable=on,target=native" +
                  "".join(",arg=" + a for a in semihosting_args) +
                  (",chroot=" + chroot.replace(",", ",,") if chroot else "")]
    args = [program] + accel + ["-M", "none", "-cpu", cpu, "-m", "64M",
            "-nodefaults", "-display", "none",
            "-device", f"loader,file={guest(name)},addr=0,cpu-num=0"] + config
    proc = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, errors="replace", timeout=timeout,
                          cwd=cwd, env=env)
    return proc.returncode, proc.stderr, proc.stdout


def expect(name, status, output, *args, stdout="", cpu="pxa255",
           chroot=None):
    got_status, got, got_stdout = run_guest(name, *args, cpu=cpu,
                                            chroot=chroot)
    assert (got_status, got, got_stdout) == (status, output, stdout), \
        f"{name}: status {got_status}, output {got!r}, stdout {got_stdout!r}"


def passes(name, checks, cpu="pxa255"):
    expect(name, 0, f"{name}: {checks} checks passed\n", cpu=cpu)


def test_dataproc():
    passes("dataproc", 163)


def test_multiply():
    passes("multiply", 68)


def test_loadstore():
    passes("loadstore", 97)


def test_unaligned():
    if ON_QEMU:
        raise Skip("QEMU 7.2 gives the ARMv6 result of an unaligned LDR")
    passes("unaligned", 5)


def test_branch():
    passes("branch", 12)


def test_exceptions():
    passes("exceptions", 52)


def test_alignment():
    if not ON_QEMU:
        passes("alignment", 65)
        return
    # QEMU 7.2 checks LDRD/STRD for word alignment only, where ARMv5
    # (SCTLR.U = 0) wants a doubleword: the checks of those two and the
    # count of aborts are all that may fail there.
    status, output, _ = run_guest("alignment")
    failed = {int(n) for n in re.findall(r"^FAIL alignment line (\d+):",
                                          output, re.M)}
    assert status == 1 and failed == {112, 113, 114, 115, 120}, output


def test_mmu():
    passes("mmu", 215)


def test_should_be_zero_fields_undefined():
    passes("sbz", 31)


def test_register_allocation_across_conditionals():
    # A temp read after other conditional code: exit 0 when right.
    expect("regalloc", 0, "")


def test_random_words():
    status, out, other = run_guest("random", timeout=60)
    assert status == 0, f"status {status}, output {out!r} {other!r}"
    lines = out.splitlines()
    assert lines[0] == "random: 32 rounds of 1024 words", out
    assert re.fullmatch(r"counts: undefined \d+, aborts \d+, swi \d+",
                        lines[1]), out
    assert len(lines) == 2, out


def host_output(name):
    """The output of a guest's host build (tests/guests/arm/NAME)."""
    exe = os.path.join(GUESTS, name)
    if not os.path.exists(exe):
        raise Skip(f"{exe} was not built")
    return subprocess.run([exe], capture_output=True, text=True, check=True,
                          timeout=TIMEOUT).stdout


def host_ctest():
    out = host_output("ctest-host")
    assert out.startswith("ctest start\n") and out.endswith("ctest end\n")
    return out


def test_flags_match_host():
    # Each flag setter whose C and V the translator leaves pending, read
    # back by MRS, exceptions, conditions and the instructions that use
    # C, in the same block and the next: the same lines as the
    # architecture's definition computed on the host.
    out = host_output("flags-host")
    assert out.startswith("flags: 164 operand pairs\n"), out
    expect("flags", 0, out)


def test_ctest_arm_matches_host():
    expect("ctest", 0, host_ctest())


def test_ctest_thumb_matches_host():
    expect("ctest-thumb", 0, host_ctest())


# ARMv7-A (cortex-a15)

def test_v7_instructions():
    passes("v7-insns", 119, cpu="cortex-a15")


def test_v7_instructions_thumb2():
    # the same instructions as 32-bit Thumb encodings
    expect("v7-insns-thumb", 0, "v7-insns: 119 checks passed\n",
           cpu="cortex-a15")


def test_thumb2():
    # IT blocks, CBZ, TBB/TBH, modified immediates, addressing modes,
    # unaligned loads and stores, branches, exceptions inside IT blocks
    passes("thumb2", 85, cpu="cortex-a15")


def test_ctest_v7_thumb2_matches_host():
    expect("ctest-v7-thumb", 0, host_ctest(), cpu="cortex-a15")


def test_v7_system():
    # cp15, VBAR, the short-descriptor MMU and its fault codes
    passes("v7-system", 52, cpu="cortex-a15")


def test_ctest_v7_matches_host():
    # gcc -march=armv7-a code: MOVW/MOVT, UBFX, MLS, REV... in ARM state
    expect("ctest-v7", 0, host_ctest(), cpu="cortex-a15")


def test_lpae():
    # the long-descriptor format: TTBR0/TTBR1 by T1SZ, blocks and pages,
    # AF, AP and APTable, XN, EPD1, long-format fault codes, the ASID,
    # the 64-bit PAR of ATS1C*
    if ON_QEMU:
        # QEMU 7.2's PAR.SH is the descriptor's for Device memory and 0
        # with the MMU off, where the architecture has Outer Shareable
        # (2; QEMU 8 too): the checks marked so in lpae.c fail there.
        with open(os.path.join(os.path.dirname(__file__), "..", "guests",
                               "arm", "lpae.c")) as f:
            marked = [number for number, line in enumerate(f, 1)
                      if "/* QEMU 7.2: SH " in line]
        status, output, _ = run_guest("lpae", cpu="cortex-a15")
        failed = [int(n) for n in re.findall(r"^FAIL lpae line (\d+):",
                                             output, re.M)]
        assert (status, failed) == (1, marked), (status, output, marked)
        assert output.endswith(f"lpae: {len(marked)} of 70 checks failed\n")
        return
    passes("lpae", 70, cpu="cortex-a15")


def test_debug():
    # v7.1 debug: the cp14 registers, a breakpoint's prefetch abort and a
    # watchpoint's data abort (DFSR, DFAR, DBGDSCR.MOE), in monitor
    # debug-mode.  QEMU's cortex-a15 has EL2 and EL3, in whose modes it
    # takes no debug exceptions: without them it runs the same as emu's,
    # except that it has no DBGPRSR (v7.1 requires one) and leaves
    # DFSR.WnR clear for a store's watchpoint, which Linux's
    # hw_breakpoint driver reads to tell a write.
    if ON_QEMU:
        status, out, _ = run_guest("debug",
                                   cpu="cortex-a15,has_el3=off,has_el2=off")
        assert (status, re.sub(r"line \d+", "line N", out)) == (
            1, "FAIL debug line N: got 00000000 want 00000001\n"
               "FAIL debug line N: got 00000001 want 00000000\n"
               "FAIL debug line N: got 00000002 want 00000802\n"
               "debug: 3 of 36 checks failed\n"), out
        return
    passes("debug", 36, cpu="cortex-a15")


# VFPv4 (cortex-a15)

def test_vfp():
    # CPACR, FPEXC.EN and user-mode access control, VMRS/VMSR, loads,
    # stores and transfers with D16-D31, FPSCR modes and flags
    passes("vfp", 64, cpu="cortex-a15")


def vfp_random(name, program=None):
    status, out, other = run_guest(name, cpu="cortex-a15", timeout=120,
                                   program=program)
    assert status == 0 and out.endswith("vfp-random: done\n"), \
        f"{name}: status {status}, output {out[-300:]!r} {other!r}"
    return out


def test_vfp_random_ieee_matches_host():
    # + - * / sqrt fma and the conversions on random and corner-case
    # operands in the four rounding modes: results and IEEE flags as the
    # host's arithmetic gives them
    host = host_output("vfp-random-host")
    assert host.count("\n") == 73, host
    out = vfp_random("vfp-random")
    ieee = "".join(l + "\n" for l in out.splitlines()
                   if l.startswith("ieee ") or l.startswith("vfp-random"))
    assert ieee == host


def test_vfp_random_matches_qemu():
    # everything, NaN propagation, flush-to-zero, default NaN, UFC, the
    # integer, fixed-point and half-precision conversions: bit for bit as
    # qemu-system-arm's softfloat; Thumb-2 encodings as the ARM ones
    qemu = shutil.which("qemu-system-arm")
    if qemu is None:
        raise Skip("qemu-system-arm is not installed")
    out = vfp_random("vfp-random")
    assert out.count("\n") == 905, out[-300:]
    assert vfp_random("vfp-random-thumb") == out
    assert out == vfp_random("vfp-random", program=qemu)


FILES_OUTPUT = """open w ok
write left 0
istty file 0
close 0
flen 18
seek 0
read left 0
read 'semihosting'
read at end left 7
close again -1
rename 0
open old name -1 errno 2
w+ read left 0 'scratch'
remove 0
remove again 1
"""


def check_files(name):
    directory = tempdir()
    try:
        expect(name, 0, FILES_OUTPUT, "files", directory)
        assert sorted(os.listdir(directory)) == ["b.txt"]
        with open(os.path.join(directory, "b.txt")) as f:
            # Mode 8 is "a": QEMU 7.2 opens without O_APPEND and
            # overwrites the start instead.
            assert f.read() == ("more\n semihosting\n" if ON_QEMU
                                else "hello semihosting\nmore\n")
    finally:
        shutil.rmtree(directory)


def test_semihosting_files():
    check_files("semihost")


def test_semihosting_files_thumb():
    check_files("semihost-thumb")


# ---- -semihosting-config chroot=DIR (emu's own: QEMU has no fence) ----

FENCE_OUTPUT = """inside read 'inside'
open sub/../inside.txt ok
open ../outside/secret.txt -1 errno 13
open OUTSIDE/secret.txt -1 errno 13
open escape/secret.txt -1 errno 13
open abs-escape/secret.txt -1 errno 13
open w escape/new.txt -1 errno 13
open w ../new.txt -1 errno 13
remove ../outside/victim.txt -1 errno 13
remove OUTSIDE/victim.txt -1 errno 13
remove escape/victim.txt -1 errno 13
rename inside.txt ../outside/moved.txt -1 errno 13
rename escape/victim.txt mine.txt -1 errno 13
remove .. -1 errno 13
tmpnam ok
open w tmpnam ok
open w new.txt ok
rename new.txt sub/renamed.txt ok
remove escape ok
"""


def fence_tree():
    """top/root (the chroot: inside.txt, sub/, symlinks escape ->
    ../outside and abs-escape -> /.../outside) beside top/outside
    (secret.txt, victim.txt)."""
    top = tempdir()
    root, outside = os.path.join(top, "root"), os.path.join(top, "outside")
    os.makedirs(os.path.join(root, "sub"))
    os.mkdir(outside)
    for directory, name, text in ((root, "inside.txt", "inside"),
                                  (outside, "secret.txt", "secret"),
                                  (outside, "victim.txt", "victim")):
        with open(os.path.join(directory, name), "w") as f:
            f.write(text)
    os.symlink("../outside", os.path.join(root, "escape"))
    os.symlink(outside, os.path.join(root, "abs-escape"))
    return top, root, outside


def need_emu():
    if ON_QEMU:
        raise Skip("chroot= is emu's own option")


def test_semihosting_chroot_refuses_escapes():
    need_emu()
    top, root, outside = fence_tree()
    try:
        expect("semihost", 0, FENCE_OUTPUT, "fence", outside, chroot=root)
        # Nothing outside was read into, created, removed or renamed.
        assert sorted(os.listdir(outside)) == ["secret.txt", "victim.txt"]
        with open(os.path.join(outside, "victim.txt")) as f:
            assert f.read() == "victim"
        assert sorted(os.listdir(top)) == ["outside", "root"]
        # Inside, the guest's files are where it put them.
        names = sorted(os.listdir(root))
        assert [n for n in names if not n.startswith("emu-semihosting-")] \
            == ["abs-escape", "inside.txt", "sub"], names
        assert len(names) == 4, names          # the TMPNAM file
        with open(os.path.join(root, "sub", "renamed.txt")) as f:
            assert f.read() == "made"
    finally:
        shutil.rmtree(top)


def test_semihosting_chroot_files_inside():
    # The whole file API works inside the fence.
    need_emu()
    top, root, outside = fence_tree()
    try:
        expect("semihost-thumb", 0, FILES_OUTPUT, "files", "sub",
               chroot=root)
        assert sorted(os.listdir(os.path.join(root, "sub"))) == ["b.txt"]
    finally:
        shutil.rmtree(top)


def test_semihosting_without_chroot_reaches_out():
    # What the fence is for: without it the same names reach the host
    # (run in root, with root's parent as the temporary directory, so
    # that reaching out stays in this test's tree).
    need_emu()
    top, root, outside = fence_tree()
    try:
        status, out, _ = run_guest("semihost", "fence", outside, cwd=root,
                                   env=dict(os.environ, TMPDIR=top))
        assert "open OUTSIDE/secret.txt ok\n" in out, out
        assert not os.path.exists(os.path.join(outside, "victim.txt"))
    finally:
        shutil.rmtree(top)


def test_semihosting_chroot_errors():
    need_emu()
    proc = subprocess.run(
        [binary("arm"), "-M", "none", "-semihosting-config",
         "enable=on,chroot=/nonexistent/emu-fence"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=TIMEOUT)
    assert proc.returncode == 1
    assert proc.stderr.endswith(
        "semihosting chroot '/nonexistent/emu-fence': No such file or "
        "directory\n"), proc.stderr


def test_semihosting_console():
    # SYS_WRITEC and SYS_WRITE0 go to the semihosting console (stderr);
    # ":tt" opened for writing ("w") is the emulator's stdout.
    expect("semihost", 0, "A\nwrite0 line\ntt handle ok\n"
           "write left 0\niserror 1 0\nsystem -1\n", "console",
           stdout="to the console\n")


def test_semihosting_cmdline():
    expect("semihost-thumb", 0, "cmdline 'hello world' length 11\n",
           "hello", "world")
    expect("semihost", 0, "cmdline '' length 0\n")
    # ",," is a comma inside an option value, as in every QEMU option.
    expect("semihost", 0, "cmdline 'print(1,2) x' length 12\n",
           "print(1,,2)", "x")


def run_newlib_exit(*semihosting_args):
    """The rdimon program, loaded where it was linked and started at
    its ELF entry; returns (status, stdout)."""
    elf = os.path.join(GUESTS, "newlib-exit.elf")
    image = guest("newlib-exit")
    with open(elf, "rb") as f:
        header = f.read(28)
    entry = int.from_bytes(header[24:28], "little")
    program = shutil.which("qemu-system-arm") if ON_QEMU else binary("arm")
    config = ["-semihosting"]
    if semihosting_args:
        config = ["-semihosting-config",
                  "enable=on," + ",".join("arg=" + a
                                          for a in semihosting_args)]
    proc = subprocess.run(
        [program, "-M", "none", "-cpu", "pxa255", "-m", "64M", "-nodefaults",
         "-display", "none", "-device", f"loader,file={image},addr=0x8000",
         "-device", f"loader,addr={entry:#x},cpu-num=0"] + config,
        stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=TIMEOUT)
    return proc.returncode, proc.stdout


def test_newlib_exit_status():
    # newlib asks for :semihosting-features, then exits with
    # SYS_EXIT_EXTENDED: the status is the program's (QEMU 7.2 gives the
    # same), not 0.
    assert run_newlib_exit("newlib-exit") == \
        (3, "newlib: 0 argument(s)\nreturn 3\n")
    assert run_newlib_exit("newlib-exit", "exit") == \
        (5, "newlib: 1 argument(s)\nexit(5)\n")


def test_semihosting_time():
    expect("semihost", 0, "time after 2020 1\nclock sane 1\n"
           "tickfreq sane 1\nelapsed increases 1\n", "time")


def test_semihosting_heapinfo():
    # The heap starts after the loaded image and ends at the top of RAM,
    # where the stack starts, as QEMU lays them out.
    end = os.path.getsize(guest("semihost"))
    expect("semihost", 0, f"heapinfo 0\nheap {end:08x}-04000000 "
           f"stack {end:08x}-04000000\n", "heap")


def test_semihosting_errno():
    expect("semihost", 0, "open -1\nerrno 2\n", "errno")


def test_semihosting_exit():
    expect("semihost", 42, "", "exit42")
    expect("semihost-thumb", 42, "", "exit42")
    expect("semihost", 0, "", "exit")
    expect("semihost", 1, "", "exit-error")


def test_semihosting_hlt():
    # HLT 0xf000 (ARM) and HLT 0x3c (Thumb) are semihosting calls too,
    # as on QEMU, on an ARMv5 core as on an ARMv7 one
    for cpu in ("pxa255", "cortex-a15"):
        expect("semihost", 0, "hlt: written\n", "hlt", cpu=cpu)
        expect("semihost-thumb", 0, "hlt: written\n", "hlt", cpu=cpu)


def seeded_runs(env_var, fixed_seed, cpus):
    """(cpu, seed) pairs for a random guest: its fixed seed on the first
    CPU and a new seed on each, or env_var's seeds (hex, comma
    separated) on every CPU."""
    given = os.environ.get(env_var)
    if given:
        return [(cpu, int(seed, 16)) for seed in given.split(",")
                for cpu in cpus]
    new = random.SystemRandom()
    return [(cpus[0], fixed_seed)] + \
        [(cpu, new.randrange(1, 1 << 32)) for cpu in cpus]


def random_guest_matches_qemu(name, env_var, fixed_seed, cpus, lines,
                              check=None):
    """Runs the random guest name on each (cpu, seed) of seeded_runs on
    emu, checks its output (seed line, lines lines, done line, check)
    and compares it with qemu-system-arm's.  New seeds every run widen
    what the suite covers over time; a failure names its seed and how
    to replay it."""
    qemu = shutil.which("qemu-system-arm")
    if qemu is None:
        raise Skip("qemu-system-arm is not installed")
    for cpu, seed in seeded_runs(env_var, fixed_seed, cpus):
        args = (name, "%08x" % seed)              # the guest, its seed
        replay = f"{name} on {cpu}, seed {seed:08x} (replay: " \
                 f"{env_var}={seed:08x} {__file__})"
        status, out, other = run_guest(*args, cpu=cpu, timeout=120)
        assert status == 0 and out.endswith(f"{name}: done\n"), \
            f"{replay}: status {status}, output {out[-300:]!r} {other!r}"
        assert out.startswith(f"{name}: seed {seed:08x}\n"), \
            (replay, out[:100])
        assert out.count("\n") == lines, (replay, out.count("\n"))
        if check:
            check(replay, out)
        status, reference, other = run_guest(*args, cpu=cpu, timeout=120,
                                             program=qemu)
        assert out == reference, replay + ": emu and QEMU differ\n" + \
            "\n".join(a + "  |  " + b for a, b in zip(
                reference.splitlines(), out.splitlines()) if a != b)[:3000]


def test_neon_random_matches_qemu():
    # the Advanced SIMD classes with random fields (undefined
    # combinations, alignment faults and write-back included) on random
    # and corner-case operands: bit for bit as qemu-system-arm; each
    # word also as its Thumb-2 encoding.  cortex-a9 lacks VFPv4 and
    # cortex-a8 the half-precision conversions too.
    def thumb_same(replay, out):
        assert "thumb: " in out and " runs, 0 differ\n" in out, \
            (replay, out[-300:])

    random_guest_matches_qemu("neon-random", "EMU_TEST_NEON_SEEDS",
                              0x2545f491,
                              ("cortex-a15", "cortex-a9", "cortex-a8"), 76,
                              thumb_same)


def test_v7_random_matches_qemu():
    # the ARMv6/v7 integer instructions in ARM state, Thumb-2's 32-bit
    # data processing, 16-bit Thumb and IT blocks, alone and in mixed
    # sequences, on random registers and flags: r0-r12, NZCVQ, GE and
    # the undefined instructions after every round as qemu-system-arm
    # gives them (sdiv/udiv only on cortex-a15 and a7).
    random_guest_matches_qemu("v7-random", "EMU_TEST_V7_SEEDS", 0x6d2b79f5,
                              ("cortex-a15", "cortex-a7", "cortex-a9",
                               "cortex-a8"), 37 * 48 + 48 + 256 + 2)


def vfp_registers(program):
    """info registers' VFP lines (s00=... d00=... to FPSCR) while gdbvfp
    loops, once its values are in place (d31 and then the FPSCR set, and
    d3 = 1.0 from the first round); d2 (s04, s05) moves every round and
    is left out."""
    proc = subprocess.Popen(
        [program, "-M", "none", "-cpu", "cortex-a15", "-m", "64M",
         "-nodefaults", "-display", "none", "-monitor", "stdio", "-device",
         f"loader,file={guest('gdbvfp')},addr=0,cpu-num=0"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            proc.stdin.write("info registers\n")
            proc.stdin.flush()
            lines = []
            while not lines or not lines[-1].startswith("FPSCR: "):
                lines.append(proc.stdout.readline().rstrip("\n"))
            if "d31=89abcdef01234567" in lines[-2] and \
                    lines[-1] == "FPSCR: 03c00000" and \
                    any("d03=3ff0000000000000" in l for l in lines):
                return [l for l in lines if re.match(r"s\d\d=", l) and
                        "d02=" not in l] + lines[-1:]
            time.sleep(0.2)
        raise AssertionError(f"gdbvfp did not set its registers: {lines}")
    finally:
        proc.kill()
        proc.wait()


def test_info_registers_vfp():
    # "info registers" on a VFP core: the core registers, then S and D
    # registers two S to a D on 32 lines, then the FPSCR, as QEMU 7.2.
    ours = vfp_registers(binary("arm"))
    assert len(ours) == 32, ours
    assert ours[0] == "s00=00000000 s01=3ff80000 d00=3ff8000000000000", ours
    assert ours[1] == "s02=89abcdef s03=01234567 d01=0123456789abcdef", ours
    assert ours[-1] == "FPSCR: 03c00000", ours
    qemu = shutil.which("qemu-system-arm")
    if qemu:
        assert ours == vfp_registers(qemu)


FPU_LOG_TAIL = "\ns62=01234567 s63=89abcdef d31=89abcdef01234567\n" \
    "FPSCR: 03c00000\n"


def test_log_cpu_fpu():
    # -d cpu shows the core registers only; with fpu, the VFP registers
    # and FPSCR too, as QEMU's log.
    logs = {}
    for items in ("cpu", "cpu,fpu"):
        path = os.path.join(tempdir(), "log")
        logs[items] = ""
        proc = subprocess.Popen(
            [binary("arm"), "-M", "none", "-cpu", "cortex-a15", "-m", "64M",
             "-nodefaults", "-display", "none", "-d", items, "-D", path,
             "-device", f"loader,file={guest('gdbvfp')},addr=0,cpu-num=0"])
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if os.path.exists(path):
                    with open(path) as f:
                        logs[items] = f.read()
                if FPU_LOG_TAIL in logs[items] or \
                        logs[items].count("PSR=") > 1000:
                    break
                time.sleep(0.2)
        finally:
            proc.kill()
            proc.wait()
    assert "R15=" in logs["cpu"] and "s00=" not in logs["cpu"] and \
        "FPSCR" not in logs["cpu"], logs["cpu"][:2000]
    assert FPU_LOG_TAIL in logs["cpu,fpu"], logs["cpu,fpu"][-2000:]


if __name__ == "__main__":
    main(globals())

