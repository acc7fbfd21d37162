/*
 * -display curses: the guest's text screen (VGA text modes) in the
 * terminal emu runs in, and the terminal's keys to the guest's
 * keyboard.  No curses library: emu writes the ANSI (ECMA-48)
 * sequences every terminal emulator understands itself — cursor
 * position, SGR colours, the alternate screen — and only for the cells
 * that changed since the last refresh (every 30 ms).  Characters are
 * code page 437 shown as their Unicode equivalents in UTF-8.
 *
 * The terminal is the stdio character device (raw, restored at exit),
 * so it cannot also be a serial port or monitor (`-serial stdio` is
 * refused).  Ctrl-C ends emu, as in a -nographic terminal with
 * signal handling.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "chardev/char.h"
#include "ui/console.h"
#include "ui/input.h"

#define CURSES_REFRESH_MS 30
#define ESC "\033"

typedef struct CursesDisplay {
    CharBackend be;
    TextScreen shown;            /* what the terminal shows; cells NULL
                                    when it shows something else */
    bool graphics_notice;        /* the "graphics mode" line is shown */
    GString *out;                /* sequences of one refresh */
    /* A key's escape sequence arriving over several reads. */
    char seq[8];
    unsigned seq_len;
} CursesDisplay;

static CursesDisplay curses;

/* Code page 437 in UTF-8: what the VGA BIOS's font draws. */
static const char *const cp437[256] = {
    " ", "☺", "☻", "♥", "♦", "♣", "♠", "•", "◘", "○", "◙", "♂", "♀", "♪",
    "♫", "☼", "►", "◄", "↕", "‼", "¶", "§", "▬", "↨", "↑", "↓", "→", "←",
    "∟", "↔", "▲", "▼",
    " ", "!", "\"", "#", "$", "%", "&", "'", "(", ")", "*", "+", ",", "-",
    ".", "/", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ":", ";",
    "<", "=", ">", "?", "@", "A", "B", "C", "D", "E", "F", "G", "H", "I",
    "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W",
    "X", "Y", "Z", "[", "\\", "]", "^", "_", "`", "a", "b", "c", "d", "e",
    "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s",
    "t", "u", "v", "w", "x", "y", "z", "{", "|", "}", "~", "⌂",
    "Ç", "ü", "é", "â", "ä", "à", "å", "ç", "ê", "ë", "è", "ï", "î", "ì",
    "Ä", "Å", "É", "æ", "Æ", "ô", "ö", "ò", "û", "ù", "ÿ", "Ö", "Ü", "¢",
    "£", "¥", "₧", "ƒ", "á", "í", "ó", "ú", "ñ", "Ñ", "ª", "º", "¿", "⌐",
    "¬", "½", "¼", "¡", "«", "»", "░", "▒", "▓", "│", "┤", "╡", "╢", "╖",
    "╕", "╣", "║", "╗", "╝", "╜", "╛", "┐", "└", "┴", "┬", "├", "─", "┼",
    "╞", "╟", "╚", "╔", "╩", "╦", "╠", "═", "╬", "╧", "╨", "╤", "╥", "╙",
    "╘", "╒", "╓", "╫", "╪", "┘", "┌", "█", "▄", "▌", "▐", "▀", "α", "ß",
    "Γ", "π", "Σ", "σ", "µ", "τ", "Φ", "Θ", "Ω", "δ", "∞", "φ", "ε", "∩",
    "≡", "±", "≥", "≤", "⌠", "⌡", "÷", "≈", "°", "∙", "·", "√", "ⁿ", "²",
    "■", " ",
};

/* VGA colour numbers (blue is bit 0) to ANSI ones (red is bit 0). */
static const uint8_t vga_to_ansi[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

/* SGR for an attribute: the 16 foreground colours (bright ones as
 * 90-97), the 8 background ones; bit 7 (blink) is not shown. */
static void curses_put_attr(GString *out, uint8_t attr)
{
    g_string_append_printf(out, ESC "[0;%u;%um",
                           (attr & 8 ? 90 : 30) + vga_to_ansi[attr & 7],
                           40 + vga_to_ansi[(attr >> 4) & 7]);
}

static void curses_flush(void)
{
    if (curses.out->len) {
        chr_fe_write_all(&curses.be, (const uint8_t *)curses.out->str,
                         curses.out->len);
        g_string_truncate(curses.out, 0);
    }
}

/* Writes the cells of screen that differ from what is shown (all of
 * them after a mode change), then places the cursor. */
static void curses_draw_text(TextScreen *screen)
{
    TextScreen *shown = &curses.shown;
    bool all = !shown->cells || shown->cols != screen->cols ||
               shown->rows != screen->rows;
    int last_attr = -1;

    if (all) {
        g_string_append(curses.out, ESC "[0m" ESC "[2J");
    }
    for (unsigned row = 0; row < screen->rows; row++) {
        int next_col = -1;       /* where the terminal's cursor is */

        for (unsigned col = 0; col < screen->cols; col++) {
            unsigned i = row * screen->cols + col;
            uint16_t cell = screen->cells[i];

            if (!all && shown->cells[i] == cell) {
                continue;
            }
            if ((int)col != next_col) {
                g_string_append_printf(curses.out, ESC "[%u;%uH", row + 1,
                                       col + 1);
            }
            if ((cell >> 8) != last_attr) {
                last_attr = cell >> 8;
                curses_put_attr(curses.out, last_attr);
            }
            g_string_append(curses.out, cp437[cell & 0xff]);
            next_col = col + 1;
        }
    }
    if (screen->cursor_row >= 0) {
        g_string_append_printf(curses.out, ESC "[%d;%dH" ESC "[?25h",
                               screen->cursor_row + 1,
                               screen->cursor_col + 1);
    } else {
        g_string_append(curses.out, ESC "[?25l");
    }
    g_free(shown->cells);
    *shown = *screen;
    curses.graphics_notice = false;
}

static void curses_draw_graphics_notice(DisplayConsole *con)
{
    pixman_image_t *img;

    if (curses.graphics_notice) {
        return;
    }
    console_update(con);
    img = console_surface(con);
    g_string_append(curses.out, ESC "[0m" ESC "[2J" ESC "[1;1H" ESC "[?25l");
    g_string_append_printf(curses.out, "emu: the guest shows graphics "
                           "(%d x %d): -display curses shows text modes "
                           "only", img ? pixman_image_get_width(img) : 0,
                           img ? pixman_image_get_height(img) : 0);
    g_clear_pointer(&curses.shown.cells, g_free);
    curses.graphics_notice = true;
}

static gboolean curses_refresh(gpointer opaque)
{
    DisplayConsole *con = console_by_index(0);
    TextScreen screen;

    if (!con) {
        return G_SOURCE_CONTINUE;
    }
    if (console_text(con, &screen)) {
        curses_draw_text(&screen);
    } else {
        curses_draw_graphics_notice(con);
    }
    curses_flush();
    return G_SOURCE_CONTINUE;
}

/* ---- keys ---- */

/* A key pressed and released, with shift or ctrl around it. */
static void curses_tap(const char *name, bool shift, bool ctrl)
{
    const KeyInfo *key = key_by_name(name);
    const KeyInfo *mod = shift ? key_by_name("shift")
                               : ctrl ? key_by_name("ctrl") : NULL;

    if (!key) {
        return;
    }
    if (mod) {
        input_key_event(mod, true);
    }
    input_key_event(key, true);
    input_key_event(key, false);
    if (mod) {
        input_key_event(mod, false);
    }
}

/* The terminal's escape sequences for keys without a character
 * (xterm's and the Linux console's). */
static const struct {
    const char *seq;
    const char *key;
} escape_keys[] = {
    { "[A", "up" }, { "[B", "down" }, { "[C", "right" }, { "[D", "left" },
    { "[H", "home" }, { "[F", "end" }, { "OH", "home" }, { "OF", "end" },
    { "[1~", "home" }, { "[4~", "end" }, { "[2~", "insert" },
    { "[3~", "delete" }, { "[5~", "pgup" }, { "[6~", "pgdn" },
    { "OP", "f1" }, { "OQ", "f2" }, { "OR", "f3" }, { "OS", "f4" },
    { "[[A", "f1" }, { "[[B", "f2" }, { "[[C", "f3" }, { "[[D", "f4" },
    { "[[E", "f5" }, { "[15~", "f5" }, { "[17~", "f6" }, { "[18~", "f7" },
    { "[19~", "f8" }, { "[20~", "f9" }, { "[21~", "f10" },
    { "[23~", "f11" }, { "[24~", "f12" },
};

/* US layout: the key and shift for each printable character. */
static const char shifted_keys[] = "~!@#$%^&*()_+{}|:\"<>?";
static const char *const shifted_names[] = {
    "grave_accent", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0",
    "minus", "equal", "bracket_left", "bracket_right", "backslash",
    "semicolon", "apostrophe", "comma", "dot", "slash",
};
static const char plain_keys[] = "`-=[]\\;',./ ";
static const char *const plain_names[] = {
    "grave_accent", "minus", "equal", "bracket_left", "bracket_right",
    "backslash", "semicolon", "apostrophe", "comma", "dot", "slash", "spc",
};

static void curses_char(uint8_t c)
{
    char name[2] = { 0 };
    const char *p;

    if (c >= 'a' && c <= 'z') {
        name[0] = c;
        curses_tap(name, false, false);
    } else if (c >= 'A' && c <= 'Z') {
        name[0] = c - 'A' + 'a';
        curses_tap(name, true, false);
    } else if (c >= '0' && c <= '9') {
        name[0] = c;
        curses_tap(name, false, false);
    } else if (c == '\r' || c == '\n') {
        curses_tap("ret", false, false);
    } else if (c == '\t') {
        curses_tap("tab", false, false);
    } else if (c == 0x7f || c == '\b') {
        curses_tap("backspace", false, false);
    } else if (c >= 1 && c <= 26) {
        name[0] = c - 1 + 'a';
        curses_tap(name, false, true);
    } else if (c && (p = strchr(shifted_keys, c))) {
        curses_tap(shifted_names[p - shifted_keys], true, false);
    } else if (c && (p = strchr(plain_keys, c))) {
        curses_tap(plain_names[p - plain_keys], false, false);
    }
}

/* Whether seq could still become one of the escape sequences. */
static bool escape_prefix(const char *seq, unsigned len, const char **key)
{
    bool prefix = false;

    *key = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(escape_keys); i++) {
        if (!strncmp(escape_keys[i].seq, seq, len)) {
            if (strlen(escape_keys[i].seq) == len) {
                *key = escape_keys[i].key;
            } else {
                prefix = true;
            }
        }
    }
    return prefix;
}

static int curses_can_read(void *opaque)
{
    return 64;
}

static void curses_read(void *opaque, const uint8_t *buf, int len)
{
    for (int i = 0; i < len; i++) {
        uint8_t c = buf[i];
        const char *key;

        if (curses.seq_len) {
            curses.seq[curses.seq_len - 1] = c;
            if (escape_prefix(curses.seq, curses.seq_len, &key) &&
                curses.seq_len < sizeof(curses.seq) - 1) {
                curses.seq_len++;
                continue;
            }
            curses.seq_len = 0;
            if (key) {
                curses_tap(key, false, false);
                continue;
            }
            /* Not a sequence: Esc was a key of its own. */
            curses_tap("esc", false, false);
        }
        if (c == 0x1b) {
            curses.seq_len = 1;
            memset(curses.seq, 0, sizeof(curses.seq));
            continue;
        }
        curses_char(c);
    }
    /* An Esc that nothing followed in this read is the Esc key. */
    if (curses.seq_len == 1) {
        curses.seq_len = 0;
        curses_tap("esc", false, false);
    }
}

/* ---- life cycle ---- */

static void curses_leave(void)
{
    static const char leave[] = ESC "[0m" ESC "[?25h" ESC "[?1049l";

    if (write(STDOUT_FILENO, leave, sizeof(leave) - 1) < 0) {
        /* Nothing to do about a terminal that went away. */
    }
}

static bool curses_display_init(Error **errp)
{
    Chardev *chr = chardev_new_from_legacy("stdio", "curses", errp);

    if (!chr) {
        error_prepend(errp, "-display curses needs the terminal: ");
        return false;
    }
    if (!chr_fe_init(&curses.be, chr, errp)) {
        return false;
    }
    if (!chr_fe_is_terminal(&curses.be)) {
        error_setg(errp, "-display curses needs a terminal on stdin");
        return false;
    }
    curses.out = g_string_new(NULL);
    chr_fe_set_handlers(&curses.be, curses_can_read, curses_read, NULL,
                        NULL);
    /* The alternate screen: the shell's screen comes back at exit. */
    g_string_append(curses.out, ESC "[?1049h");
    curses_flush();
    atexit(curses_leave);
    g_timeout_add(CURSES_REFRESH_MS, curses_refresh, NULL);
    return true;
}

static const DisplayBackend curses_backend = {
    .name = "curses",
    .init = curses_display_init,
};

static void __attribute__((constructor)) curses_register(void)
{
    display_backend_register(&curses_backend);
}
