/*
 * Line editor of the human monitor: see include/monitor/readline.h.
 *
 * The editing mode keeps a copy of what the terminal shows after the
 * prompt.  Every key only changes the line buffer and the cursor; at the
 * end of the byte, refresh() compares the buffer with that copy and writes
 * the smallest update: move back to the first changed character, print
 * from there, clear what is left over, move to the cursor.  Keys thus need
 * no drawing code of their own, and a history recall that shares a prefix
 * with the current line only rewrites the tail.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/readline.h"

/* The listing of several completions is laid out for this width. */
#define COMPLETION_SCREEN_WIDTH 80

typedef enum InputState {
    IN_NORMAL,
    IN_ESC,          /* after ESC */
    IN_SEQUENCE,     /* after ESC [ or ESC O: parameters, then a final byte */
} InputState;

struct ReadLineState {
    ReadLineOutputFunc *out_func;
    ReadLineCompletionFunc *complete_func;
    void *opaque;
    bool editing;

    char *prompt;
    ReadLineLineFunc *done_func;
    void *done_opaque;

    char buf[READLINE_MAX_LINE];
    size_t len;
    size_t cursor;               /* byte offset, always between characters */

    /* What the terminal shows after the prompt (editing mode). */
    char shown[READLINE_MAX_LINE];
    size_t shown_len;
    size_t shown_cursor;

    /* Output of one call, written at once so a redraw is not torn. */
    GString *out;

    InputState in_state;
    unsigned seq_param;          /* first numeric parameter of a sequence */
    bool seq_param_done;         /* a ';' ended it: the rest are ignored */
    bool after_cr;               /* the previous byte was a CR */

    /* A UTF-8 character still waiting for continuation bytes. */
    char utf8[4];
    size_t utf8_len;
    size_t utf8_need;

    GPtrArray *history;          /* of char *, oldest first */
    unsigned hist_pos;           /* entry shown; history->len: the new line */
    char *saved_line;            /* the new line while walking the history */

    GPtrArray *completions;      /* of char *, filled by complete_func */
    int completion_index;
};

static bool is_continuation(char c)
{
    return ((guchar)c & 0xc0) == 0x80;
}

/* Where the code point after the one starting at pos begins. */
static size_t next_code_point(const char *s, size_t len, size_t pos)
{
    do {
        pos++;
    } while (pos < len && is_continuation(s[pos]));
    return pos;
}

/*
 * The code point s[pos, end) as a character, or (gunichar)-1 for bytes
 * that are not valid UTF-8 (a lead byte followed by stray continuation
 * bytes is invalid too).
 */
static gunichar decode(const char *s, size_t pos, size_t end)
{
    size_t n = end - pos;
    gunichar c = g_utf8_get_char_validated(s + pos, n);

    if (c < 0x110000 && (size_t)g_utf8_skip[(guchar)s[pos]] == n) {
        return c;
    }
    return (gunichar)-1;
}

/*
 * Whether a character starts at pos.  Zero-width code points (combining
 * accents) belong to the character before them: a terminal draws them in
 * its cell, so the cursor cannot stop between them and a redraw cannot
 * start at one of them.
 */
static bool is_char_start(const char *s, size_t len, size_t pos)
{
    gunichar c;

    if (pos == 0 || pos >= len) {
        return true;
    }
    if (is_continuation(s[pos])) {
        return false;
    }
    c = decode(s, pos, next_code_point(s, len, pos));
    return c == (gunichar)-1 || !g_unichar_iszerowidth(c);
}

/* Where the character after the one starting at pos begins. */
static size_t next_char(const char *s, size_t len, size_t pos)
{
    do {
        pos++;
    } while (!is_char_start(s, len, pos));
    return pos;
}

/* Where the character before pos begins. */
static size_t prev_char(const char *s, size_t len, size_t pos)
{
    do {
        pos--;
    } while (!is_char_start(s, len, pos));
    return pos;
}

/* Terminal columns taken by s[from, to); from and to are char starts. */
static size_t text_width(const char *s, size_t from, size_t to)
{
    size_t cols = 0;

    while (from < to) {
        size_t end = next_code_point(s, to, from);
        gunichar c = decode(s, from, end);

        if (c == (gunichar)-1) {
            /* Terminals show a replacement character per stray byte. */
            cols += end - from;
        } else if (!g_unichar_iszerowidth(c)) {
            cols += g_unichar_iswide(c) ? 2 : 1;
        }
        from = end;
    }
    return cols;
}

static void flush_output(ReadLineState *rs)
{
    if (rs->out->len) {
        rs->out_func(rs->opaque, rs->out->str, rs->out->len);
        g_string_truncate(rs->out, 0);
    }
}

static void move_columns(ReadLineState *rs, size_t cols, char direction)
{
    if (cols == 1) {
        g_string_append_printf(rs->out, "\033[%c", direction);
    } else if (cols > 1) {
        g_string_append_printf(rs->out, "\033[%zu%c", cols, direction);
    }
}

/* Moves the terminal cursor from offset from to offset to of text s. */
static void move_cursor(ReadLineState *rs, const char *s,
                        size_t from, size_t to)
{
    if (to < from) {
        move_columns(rs, text_width(s, to, from), 'D');
    } else {
        move_columns(rs, text_width(s, from, to), 'C');
    }
}

static void refresh(ReadLineState *rs)
{
    size_t pos = rs->shown_cursor;

    if (rs->len != rs->shown_len || memcmp(rs->buf, rs->shown, rs->len)) {
        size_t same = 0;

        while (same < rs->len && same < rs->shown_len &&
               rs->buf[same] == rs->shown[same]) {
            same++;
        }
        /* Two characters may share their first bytes: redraw both whole. */
        while (!is_char_start(rs->buf, rs->len, same) ||
               !is_char_start(rs->shown, rs->shown_len, same)) {
            same--;
        }
        move_cursor(rs, rs->shown, pos, same);
        g_string_append_len(rs->out, rs->buf + same, rs->len - same);
        if (text_width(rs->shown, same, rs->shown_len) >
            text_width(rs->buf, same, rs->len)) {
            g_string_append(rs->out, "\033[K");
        }
        memcpy(rs->shown, rs->buf, rs->len);
        rs->shown_len = rs->len;
        pos = rs->len;
    }
    move_cursor(rs, rs->buf, pos, rs->cursor);
    rs->shown_cursor = rs->cursor;
}

/* Appends the prompt and the line, as on a fresh row. */
static void draw_prompt(ReadLineState *rs)
{
    g_string_append(rs->out, rs->prompt);
    g_string_append_len(rs->out, rs->buf, rs->len);
    if (rs->editing) {
        move_cursor(rs, rs->buf, rs->len, rs->cursor);
        memcpy(rs->shown, rs->buf, rs->len);
        rs->shown_len = rs->len;
        rs->shown_cursor = rs->cursor;
    }
}

/*
 * Inserts what fits of text at the cursor, never part of a character;
 * returns the number of bytes inserted.
 */
static size_t insert_text(ReadLineState *rs, const char *text, size_t n)
{
    if (n > READLINE_MAX_LINE - rs->len) {
        n = READLINE_MAX_LINE - rs->len;
        while (n > 0 && is_continuation(text[n])) {
            n--;
        }
    }
    memmove(rs->buf + rs->cursor + n, rs->buf + rs->cursor,
            rs->len - rs->cursor);
    memcpy(rs->buf + rs->cursor, text, n);
    rs->len += n;
    rs->cursor += n;
    return n;
}

/* Inserts a typed character; the plain mode echoes it at once. */
static void insert_typed(ReadLineState *rs, const char *text, size_t n)
{
    if (rs->editing) {
        gunichar c = decode(text, 0, n);

        /*
         * A combining accent with no character before it would merge into
         * the prompt on the screen, where no redraw can remove it.
         */
        if (rs->cursor > 0 || c == (gunichar)-1 ||
            !g_unichar_iszerowidth(c)) {
            insert_text(rs, text, n);
        }
    } else {
        g_string_append_len(rs->out, text, insert_text(rs, text, n));
    }
}

/* Removes buf[from, to); the cursor ends up at from. */
static void delete_range(ReadLineState *rs, size_t from, size_t to)
{
    memmove(rs->buf + from, rs->buf + to, rs->len - to);
    rs->len -= to - from;
    rs->cursor = from;
}

static void set_line(ReadLineState *rs, const char *text)
{
    rs->len = 0;
    rs->cursor = 0;
    insert_text(rs, text, strlen(text));
}

static void reset_line(ReadLineState *rs)
{
    rs->len = 0;
    rs->cursor = 0;
    rs->shown_len = 0;
    rs->shown_cursor = 0;
    rs->hist_pos = rs->history->len;
    g_clear_pointer(&rs->saved_line, g_free);
}

static void history_add(ReadLineState *rs, const char *line)
{
    guint i;

    if (line[strspn(line, " \t")] == '\0') {
        return;
    }
    for (i = 0; i < rs->history->len; i++) {
        if (!strcmp(g_ptr_array_index(rs->history, i), line)) {
            g_ptr_array_remove_index(rs->history, i);
            break;
        }
    }
    if (rs->history->len == READLINE_MAX_HISTORY) {
        g_ptr_array_remove_index(rs->history, 0);
    }
    g_ptr_array_add(rs->history, g_strdup(line));
}

static void history_prev(ReadLineState *rs)
{
    if (rs->hist_pos == 0) {
        return;
    }
    if (rs->hist_pos == rs->history->len) {
        /*
         * Keep what was being typed: Down past the newest entry brings it
         * back instead of losing it.
         */
        g_free(rs->saved_line);
        rs->saved_line = g_strndup(rs->buf, rs->len);
    }
    rs->hist_pos--;
    set_line(rs, g_ptr_array_index(rs->history, rs->hist_pos));
}

static void history_next(ReadLineState *rs)
{
    if (rs->hist_pos >= rs->history->len) {
        return;
    }
    rs->hist_pos++;
    if (rs->hist_pos == rs->history->len) {
        set_line(rs, rs->saved_line);
        g_clear_pointer(&rs->saved_line, g_free);
    } else {
        set_line(rs, g_ptr_array_index(rs->history, rs->hist_pos));
    }
}

static void accept_line(ReadLineState *rs)
{
    g_autofree char *line = g_strndup(rs->buf, rs->len);

    if (rs->editing) {
        refresh(rs);
        g_string_append(rs->out, "\r\n");
    } else {
        g_string_append_c(rs->out, '\n');
    }
    history_add(rs, line);
    reset_line(rs);
    /* The callback prints the command's output: ours must come first. */
    flush_output(rs);
    if (rs->done_func) {
        rs->done_func(rs->done_opaque, line);
    }
}

static void backward_delete_char(ReadLineState *rs)
{
    if (rs->cursor > 0) {
        delete_range(rs, prev_char(rs->buf, rs->len, rs->cursor), rs->cursor);
    }
}

static void delete_char(ReadLineState *rs)
{
    if (rs->cursor < rs->len) {
        delete_range(rs, rs->cursor, next_char(rs->buf, rs->len, rs->cursor));
    }
}

static void backward_char(ReadLineState *rs)
{
    if (rs->cursor > 0) {
        rs->cursor = prev_char(rs->buf, rs->len, rs->cursor);
    }
}

static void forward_char(ReadLineState *rs)
{
    if (rs->cursor < rs->len) {
        rs->cursor = next_char(rs->buf, rs->len, rs->cursor);
    }
}

/* Ctrl-W: the spaces before the cursor, then the word before them. */
static void backward_kill_word(ReadLineState *rs)
{
    size_t start = rs->cursor;

    while (start > 0 && rs->buf[start - 1] == ' ') {
        start--;
    }
    while (start > 0 && rs->buf[start - 1] != ' ') {
        start--;
    }
    delete_range(rs, start, rs->cursor);
}

static gint compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints the candidates in columns, then the prompt and line again. */
static void list_completions(ReadLineState *rs)
{
    size_t widest = 0, col_width, cols;
    guint i;

    for (i = 0; i < rs->completions->len; i++) {
        const char *c = g_ptr_array_index(rs->completions, i);

        widest = MAX(widest, text_width(c, 0, strlen(c)));
    }
    col_width = CLAMP(widest + 2, 10, COMPLETION_SCREEN_WIDTH);
    cols = COMPLETION_SCREEN_WIDTH / col_width;

    g_string_append(rs->out, "\r\n");
    for (i = 0; i < rs->completions->len; i++) {
        const char *c = g_ptr_array_index(rs->completions, i);

        g_string_append(rs->out, c);
        if ((i + 1) % cols == 0 || i + 1 == rs->completions->len) {
            g_string_append(rs->out, "\r\n");
        } else {
            /* Only when cols >= 2, so col_width > widest. */
            size_t pad = col_width - text_width(c, 0, strlen(c));

            g_string_append_printf(rs->out, "%*s", (int)pad, "");
        }
    }
    draw_prompt(rs);
}

static void tab_complete(ReadLineState *rs)
{
    g_autofree char *head = NULL;
    const char *first;
    size_t index, common;
    guint i;

    if (!rs->complete_func) {
        return;
    }
    g_ptr_array_set_size(rs->completions, 0);
    rs->completion_index = 0;
    head = g_strndup(rs->buf, rs->cursor);
    rs->complete_func(rs->opaque, head, rs);
    if (rs->completions->len == 0) {
        return;
    }

    index = rs->completion_index;
    first = g_ptr_array_index(rs->completions, 0);
    if (rs->completions->len == 1) {
        common = strlen(first);
        if (index < common) {
            insert_text(rs, first + index, common - index);
        }
        /* A directory is likely followed by more of the path. */
        if (common > 0 && first[common - 1] != '/') {
            insert_text(rs, " ", 1);
        }
        return;
    }

    g_ptr_array_sort(rs->completions, compare_strings);
    first = g_ptr_array_index(rs->completions, 0);
    common = strlen(first);
    for (i = 1; i < rs->completions->len; i++) {
        const char *c = g_ptr_array_index(rs->completions, i);
        size_t n = 0;

        while (n < common && c[n] == first[n]) {
            n++;
        }
        common = n;
    }
    while (common > 0 && is_continuation(first[common])) {
        common--;
    }
    if (common > index) {
        insert_text(rs, first + index, common - index);
    }
    list_completions(rs);
}

/* Keys sent as ESC [ ... final or ESC O final. */
static void handle_sequence(ReadLineState *rs, char final, unsigned param)
{
    if (!rs->editing) {
        return;
    }
    switch (final) {
    case 'A':
        history_prev(rs);
        break;
    case 'B':
        history_next(rs);
        break;
    case 'C':
        forward_char(rs);
        break;
    case 'D':
        backward_char(rs);
        break;
    case 'H':
        rs->cursor = 0;
        break;
    case 'F':
        rs->cursor = rs->len;
        break;
    case '~':
        /* VT220 keys; 7 and 8 are rxvt's Home and End. */
        switch (param) {
        case 1:
        case 7:
            rs->cursor = 0;
            break;
        case 4:
        case 8:
            rs->cursor = rs->len;
            break;
        case 3:
            delete_char(rs);
            break;
        }
        break;
    }
}

/*
 * Feeds c to an escape sequence in progress.  Returns false when c is not
 * part of one and must be handled as a key: then the sequence, if any, is
 * abandoned, so that a stray ESC cannot swallow a following Enter.
 */
static bool parse_sequence(ReadLineState *rs, guchar c)
{
    switch (rs->in_state) {
    case IN_NORMAL:
        return false;
    case IN_ESC:
        if (c == '[' || c == 'O') {
            rs->in_state = IN_SEQUENCE;
            rs->seq_param = 0;
            rs->seq_param_done = false;
            return true;
        }
        rs->in_state = IN_NORMAL;
        /* Alt+key: nothing is bound to it. */
        return c >= 0x20 && c < 0x7f;
    case IN_SEQUENCE:
        if (c >= '0' && c <= '9') {
            if (!rs->seq_param_done && rs->seq_param < 10000) {
                rs->seq_param = rs->seq_param * 10 + (c - '0');
            }
            return true;
        }
        if (c == ';') {
            /* Modifiers (ESC[1;5D is Ctrl-Left) act as the plain key. */
            rs->seq_param_done = true;
            return true;
        }
        if (c >= 0x20 && c < 0x40) {
            return true;
        }
        rs->in_state = IN_NORMAL;
        if (c >= 0x40 && c < 0x7f) {
            handle_sequence(rs, c, rs->seq_param);
            return true;
        }
        return false;
    }
    return false;
}

/*
 * Gathers the bytes of a UTF-8 character so that it is inserted, and
 * echoed, whole.  Returns true when c was taken.  A character cut short
 * is inserted as the bytes that came, and c is then handled as usual.
 */
static bool collect_utf8(ReadLineState *rs, guchar c)
{
    if (rs->utf8_len) {
        if (is_continuation(c)) {
            rs->utf8[rs->utf8_len++] = c;
            if (rs->utf8_len == rs->utf8_need) {
                insert_typed(rs, rs->utf8, rs->utf8_len);
                rs->utf8_len = 0;
            }
            return true;
        }
        insert_typed(rs, rs->utf8, rs->utf8_len);
        rs->utf8_len = 0;
    }
    if (c >= 0xc2 && c <= 0xf4) {
        rs->utf8[0] = c;
        rs->utf8_len = 1;
        rs->utf8_need = g_utf8_skip[c];
        return true;
    }
    return false;
}

static void editing_key(ReadLineState *rs, guchar c)
{
    switch (c) {
    case 0x01:                   /* Ctrl-A */
        rs->cursor = 0;
        break;
    case 0x02:                   /* Ctrl-B */
        backward_char(rs);
        break;
    case 0x04:                   /* Ctrl-D: not end of input, as in QEMU */
        delete_char(rs);
        break;
    case 0x05:                   /* Ctrl-E */
        rs->cursor = rs->len;
        break;
    case 0x06:                   /* Ctrl-F */
        forward_char(rs);
        break;
    case 0x08:                   /* Ctrl-H */
    case 0x7f:
        backward_delete_char(rs);
        break;
    case '\t':
        tab_complete(rs);
        break;
    case 0x0b:                   /* Ctrl-K */
        delete_range(rs, rs->cursor, rs->len);
        break;
    case 0x0c:                   /* Ctrl-L */
        g_string_append(rs->out, "\033[H\033[2J");
        draw_prompt(rs);
        break;
    case '\r':
    case '\n':
        accept_line(rs);
        break;
    case 0x0e:                   /* Ctrl-N */
        history_next(rs);
        break;
    case 0x10:                   /* Ctrl-P */
        history_prev(rs);
        break;
    case 0x15:                   /* Ctrl-U */
        delete_range(rs, 0, rs->cursor);
        break;
    case 0x17:                   /* Ctrl-W */
        backward_kill_word(rs);
        break;
    default:
        /*
         * Other control characters, Ctrl-C included, are ignored.  0x9b,
         * the 8-bit CSI of some terminals, is left alone: in UTF-8 it is a
         * continuation byte.
         */
        if (c >= 0x20) {
            insert_typed(rs, (const char *)&c, 1);
        }
        break;
    }
}

static void plain_key(ReadLineState *rs, guchar c)
{
    if (c == '\r' || c == '\n') {
        accept_line(rs);
    } else if (c == 0x08 || c == 0x7f) {
        if (rs->len > 0) {
            size_t start = prev_char(rs->buf, rs->len, rs->len);
            size_t cols = text_width(rs->buf, start, rs->len);

            delete_range(rs, start, rs->len);
            while (cols--) {
                g_string_append(rs->out, "\b \b");
            }
        }
    } else if (c == '\t' || c >= 0x20) {
        /* A script's Tab separates words like a space. */
        insert_typed(rs, (const char *)&c, 1);
    }
}

void readline_handle_byte(ReadLineState *rs, int ch)
{
    guchar c = ch;

    if (c == '\n' && rs->after_cr) {
        rs->after_cr = false;
        return;
    }
    rs->after_cr = c == '\r';

    if (!parse_sequence(rs, c) && !collect_utf8(rs, c)) {
        if (c == 0x1b) {
            rs->in_state = IN_ESC;
        } else if (rs->editing) {
            editing_key(rs, c);
        } else {
            plain_key(rs, c);
        }
    }
    if (rs->editing) {
        refresh(rs);
    }
    flush_output(rs);
}

void readline_show_prompt(ReadLineState *rs)
{
    draw_prompt(rs);
    flush_output(rs);
}

void readline_start(ReadLineState *rs, const char *prompt,
                    ReadLineLineFunc *done, void *done_opaque)
{
    g_free(rs->prompt);
    rs->prompt = g_strdup(prompt);
    rs->done_func = done;
    rs->done_opaque = done_opaque;
    reset_line(rs);
}

void readline_add_completion(ReadLineState *rs, const char *candidate)
{
    guint i;

    for (i = 0; i < rs->completions->len; i++) {
        if (!strcmp(g_ptr_array_index(rs->completions, i), candidate)) {
            return;
        }
    }
    g_ptr_array_add(rs->completions, g_strdup(candidate));
}

void readline_add_completion_of(ReadLineState *rs, const char *prefix,
                                const char *candidate)
{
    if (g_str_has_prefix(candidate, prefix)) {
        readline_add_completion(rs, candidate);
    }
}

void readline_set_completion_index(ReadLineState *rs, int index)
{
    rs->completion_index = MAX(index, 0);
}

const char *readline_get_history(ReadLineState *rs, unsigned index)
{
    return index < rs->history->len ?
           g_ptr_array_index(rs->history, index) : NULL;
}

ReadLineState *readline_new(ReadLineOutputFunc *out,
                            ReadLineCompletionFunc *complete, void *opaque,
                            bool editing)
{
    ReadLineState *rs = g_new0(ReadLineState, 1);

    rs->out_func = out;
    rs->complete_func = complete;
    rs->opaque = opaque;
    rs->editing = editing;
    rs->prompt = g_strdup("");
    rs->out = g_string_new(NULL);
    rs->history = g_ptr_array_new_with_free_func(g_free);
    rs->completions = g_ptr_array_new_with_free_func(g_free);
    return rs;
}

void readline_free(ReadLineState *rs)
{
    if (!rs) {
        return;
    }
    g_free(rs->prompt);
    g_free(rs->saved_line);
    g_string_free(rs->out, TRUE);
    g_ptr_array_free(rs->history, TRUE);
    g_ptr_array_free(rs->completions, TRUE);
    g_free(rs);
}
