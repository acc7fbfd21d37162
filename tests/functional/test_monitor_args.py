# The human monitor's numeric arguments as QEMU 7.2 reads them: each is an
# expression ('c' character constants included), the 32-bit ones refuse
# more, an expression error names the character, an unquoted file name
# that starts with "/" after a number divides, "info registers VCPU" picks
# a vCPU and "i PORT .INDEX" takes its index after a dot.  Every answer is
# given here and compared with qemu-system-arm's on the same lines.
# SPDX-License-Identifier: GPL-2.0-or-later
from emutest import binary, main, tempdir
from test_monitor_views import answers, same_on_qemu

ERRORS = [
    ("x /x foo", "invalid char 'f' in expression\n"
     "Try \"help x\" for more information\n"),
    ("cpu 99999999999", "'cpu' has failed: integer is for 32-bit values\n"
     "Try \"help cpu\" for more information\n"),
    ("cpu -1", "'cpu' has failed: integer is for 32-bit values\n"
     "Try \"help cpu\" for more information\n"),
    ("cpu x", "invalid char 'x' in expression\n"
     "Try \"help cpu\" for more information\n"),
    ("cpu", "unexpected end of expression\n"
     "Try \"help cpu\" for more information\n"),
    ("sum 0 x", "invalid char 'x' in expression\n"
     "Try \"help sum\" for more information\n"),
    ("info registers 5", "CPU#5 not available\n"),
    ("info registers x", "invalid char 'x' in expression\n"
     "Try \"help info registers\" for more information\n"),
    ("info registers 0 1", "registers: extraneous characters at the end "
     "of line\nTry \"help info registers\" for more information\n"),
    ("info registers -1", "registers: unsupported option -1\n"
     "Try \"help info registers\" for more information\n"),
    ("i /b 0x80 5", "i: extraneous characters at the end of line\n"
     "Try \"help i\" for more information\n"),
    ("i /b 0x80 .", "unexpected end of expression\n"
     "Try \"help i\" for more information\n"),
    ("print 'a'", "0x61\n"),
    ("print 1+'b'*2", "0xc5\n"),
    ("print '", "character constant expected\n"
     "Try \"help print\" for more information\n"),
    ("print 'ab'", "missing terminating ' character\n"
     "Try \"help print\" for more information\n"),
    ("print $nosuchreg", "unknown register\n"
     "Try \"help print\" for more information\n"),
    ("print 0x1 +", "unexpected end of expression\n"
     "Try \"help print\" for more information\n"),
    ("memsave 0 16 /nonexistent/f", "invalid char 'n' in expression\n"
     "Try \"help memsave\" for more information\n"),
    ("pmemsave 0 16 \"/nonexistent/f\"", "Error: Could not open "
     "'/nonexistent/f': No such file or directory\n"),
]


def test_numeric_arguments_are_qemus_expressions():
    out = tempdir()

    def script(m):
        got = [m.qmp.hmp(line) for line, _ in ERRORS]
        # A vCPU by number; a quoted absolute file name after a size.
        got.append(m.qmp.hmp("info registers 0").splitlines()[:2])
        got.append(m.qmp.hmp(f'pmemsave 0x40000000 0x10*2 "{out}/ram"'))
        return got

    args = ["-M", "virt"]
    ours = answers(binary("arm"), args, script)
    for (line, expected), got in zip(ERRORS, ours):
        assert got == expected, (line, got)
    assert ours[-2] == ["", "CPU#0"], ours[-2]
    assert ours[-1] == "", ours[-1]
    with open(f"{out}/ram", "rb") as f:
        assert len(f.read()) == 32
    same_on_qemu("arm", args, script, ours)


if __name__ == "__main__":
    main(globals())
