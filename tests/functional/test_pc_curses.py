# -display curses on a pseudo-terminal: SeaBIOS's text screen drawn
# with ANSI sequences (read back through a small terminal model: cursor
# position, SGR, erase) equals the VGA text buffer, character for
# character (code page 437 as Unicode) and colour for colour; the Esc
# key typed on the terminal opens SeaBIOS's boot menu; the terminal's
# screen and mode come back at exit; a terminal already taken by
# -serial stdio is refused.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import re
import time

from emutest import Terminal, main, qmp_connect, run_fails, tempdir
from pclinux import need_pc
from vgascreen import screen_text, xp_bytes

# ANSI colour numbers (red is bit 0) to VGA ones (blue is bit 0).
ANSI_TO_VGA = [0, 4, 2, 6, 1, 5, 3, 7]


class TerminalModel:
    """The screen an ANSI terminal shows for what emu wrote: the
    sequences -display curses uses, nothing else."""

    def __init__(self, cols=80, rows=25):
        self.cols, self.rows = cols, rows
        self.clear()
        self.row = self.col = 0
        self.attr = 0x07
        self.pending = ""

    def clear(self):
        self.cells = [[(" ", 0x07)] * self.cols for _ in range(self.rows)]

    def sgr(self, params):
        for p in [int(v or 0) for v in params.split(";")]:
            if p == 0:
                self.attr = 0x07
            elif 30 <= p <= 37:
                self.attr = (self.attr & 0xf0) | ANSI_TO_VGA[p - 30]
            elif 90 <= p <= 97:
                self.attr = (self.attr & 0xf0) | 8 | ANSI_TO_VGA[p - 90]
            elif 40 <= p <= 47:
                self.attr = (self.attr & 0x0f) | ANSI_TO_VGA[p - 40] << 4

    def feed(self, text):
        text = self.pending + text
        self.pending = ""
        i = 0
        while i < len(text):
            if text[i] == "\x1b":
                m = re.match(r"\x1b\[(\??)([0-9;]*)([A-Za-z])", text[i:])
                if not m:
                    self.pending = text[i:]      # the rest comes later
                    return
                private, params, final = m.groups()
                if final == "H" and not private:
                    row, col = (params.split(";") + ["1"])[:2]
                    self.row, self.col = int(row) - 1, int(col) - 1
                elif final == "J":
                    self.clear()
                elif final == "m":
                    self.sgr(params)
                i += m.end()
                continue
            if self.row < self.rows and self.col < self.cols:
                self.cells[self.row][self.col] = (text[i], self.attr)
            self.col += 1
            i += 1

    def text(self):
        return "\n".join("".join(c for c, _ in row) for row in self.cells)


def buffer_cells(buf):
    """The (character, attribute) cells of an 80x25 text buffer, the
    characters decoded as code page 437."""
    return [[(bytes([buf[2 * (80 * r + c)]]).decode("cp437")
              if buf[2 * (80 * r + c)] >= 0x20 else " ",
              buf[2 * (80 * r + c) + 1] & 0x7f) for c in range(80)]
            for r in range(25)]


def wait_screen(term, model, needle, timeout=120):
    deadline = time.monotonic() + timeout
    while needle not in model.text():
        assert time.monotonic() < deadline, model.text()
        model.feed(term.out.read_rest(0.2))
    return model.text()


def test_seabios_screen_and_keys_on_the_terminal():
    need_pc()
    sock = os.path.join(tempdir(), "qmp.sock")
    term = Terminal(["-nodefaults", "-vga", "std", "-display", "curses",
                     "-boot", "menu=on,splash-time=30000",
                     "-qmp", f"unix:{sock},server=on,wait=off"], "x86_64")
    try:
        mode = term.mode()
        model = TerminalModel()
        wait_screen(term, model, "Press ESC for boot menu.")
        qmp = qmp_connect(sock)
        qmp.negotiate()
        values = xp_bytes(qmp, 0xb8000, 80 * 25 * 2)
        # What the terminal shows is the text buffer (SeaBIOS has
        # written no more since: it waits for the key).
        model.feed(term.out.read_rest(0.5))
        assert model.cells == buffer_cells(values), \
            (model.text(), screen_text(values))
        term.send("\x1b")
        wait_screen(term, model, "Select boot device:")
        assert term.mode() != mode, "the terminal was not made raw"
        reply, _ = qmp.cmd("quit")
        rest = ""
        deadline = time.monotonic() + 60
        while True:
            rest += term.out.read_rest(0.2)
            pid, status = os.waitpid(term.pid, os.WNOHANG)
            if pid:
                break
            assert time.monotonic() < deadline, "emu did not quit"
        assert os.waitstatus_to_exitcode(status) == 0
        rest += term.out.read_rest(0.2)
        # The shell's screen back, the cursor shown, colours reset.
        assert rest.endswith("\x1b[0m\x1b[?25h\x1b[?1049l"), repr(rest)
    finally:
        term.close()


def test_terminal_taken_by_a_serial_port_is_refused():
    need_pc()
    err = run_fails(["-nodefaults", "-vga", "std", "-display", "curses",
                     "-serial", "stdio"], "x86_64")
    assert "-display curses needs the terminal: cannot use stdio by " \
        "multiple character devices" in err, err


if __name__ == "__main__":
    main(globals())
