/*
 * Tests of the monitor's line editor: exact echo and redraw output, the
 * lines handed over, history, completion, the plain mode for scripts.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/readline.h"

#define PROMPT "(emu) "

typedef struct Fixture {
    ReadLineState *rs;
    GString *out;
    GPtrArray *lines;            /* of char *, as the line callback got them */
    const char *const *words;    /* what the completion callback offers */
    char *asked;                 /* line_up_to_cursor of the last Tab */
} Fixture;

static void capture_output(void *opaque, const char *text, size_t len)
{
    Fixture *f = opaque;

    g_string_append_len(f->out, text, len);
}

/* Behaves like the monitor: takes the line, then asks for the next one. */
static void take_line(void *opaque, const char *line)
{
    Fixture *f = opaque;

    g_ptr_array_add(f->lines, g_strdup(line));
    readline_start(f->rs, PROMPT, take_line, f);
    readline_show_prompt(f->rs);
}

/* Completes the last word of the line from f->words, as the monitor does. */
static void complete_word(void *opaque, const char *line, ReadLineState *rs)
{
    Fixture *f = opaque;
    const char *word = strrchr(line, ' ');
    size_t i;

    g_free(f->asked);
    f->asked = g_strdup(line);
    word = word ? word + 1 : line;
    for (i = 0; f->words && f->words[i]; i++) {
        readline_add_completion_of(rs, word, f->words[i]);
    }
    readline_set_completion_index(rs, strlen(word));
}

static void setup(Fixture *f, bool editing)
{
    f->out = g_string_new(NULL);
    f->lines = g_ptr_array_new_with_free_func(g_free);
    f->rs = readline_new(capture_output, complete_word, f, editing);
    readline_start(f->rs, PROMPT, take_line, f);
    readline_show_prompt(f->rs);
    g_assert_cmpstr(f->out->str, ==, PROMPT);
    g_string_truncate(f->out, 0);
}

static void setup_editing(Fixture *f, gconstpointer data)
{
    setup(f, true);
}

static void setup_plain(Fixture *f, gconstpointer data)
{
    setup(f, false);
}

static void teardown(Fixture *f, gconstpointer data)
{
    readline_free(f->rs);
    g_string_free(f->out, TRUE);
    g_ptr_array_free(f->lines, TRUE);
    g_free(f->asked);
}

static void type(Fixture *f, const char *bytes)
{
    for (; *bytes; bytes++) {
        readline_handle_byte(f->rs, (guchar)*bytes);
    }
}

/* Types bytes and checks everything they made the editor write. */
static void type_expect(Fixture *f, const char *bytes, const char *output)
{
    g_string_truncate(f->out, 0);
    type(f, bytes);
    g_assert_cmpstr(f->out->str, ==, output);
}

static void assert_lines(Fixture *f, const char *const *expected)
{
    guint i;

    for (i = 0; expected[i]; i++) {
        g_assert_cmpuint(i, <, f->lines->len);
        g_assert_cmpstr(g_ptr_array_index(f->lines, i), ==, expected[i]);
    }
    g_assert_cmpuint(f->lines->len, ==, i);
}

static const char *last_line(Fixture *f)
{
    g_assert_cmpuint(f->lines->len, >, 0);
    return g_ptr_array_index(f->lines, f->lines->len - 1);
}

static void test_type_line(Fixture *f, gconstpointer data)
{
    type_expect(f, "info status", "info status");
    g_assert_cmpuint(f->lines->len, ==, 0);
    type_expect(f, "\r", "\r\n" PROMPT);
    assert_lines(f, (const char *const[]){ "info status", NULL });
}

static void test_redraw(Fixture *f, gconstpointer data)
{
    type_expect(f, "abc", "abc");
    type_expect(f, "\033[D", "\033[D");
    type_expect(f, "\033[D", "\033[D");
    /* Insertion rewrites the tail and comes back. */
    type_expect(f, "X", "Xbc\033[2D");
    /* Deletion rewrites the tail, clears the leftover, comes back. */
    type_expect(f, "\x7f", "\033[Dbc\033[K\033[2D");
    type_expect(f, "\033[3~", "c\033[K\033[D");
    type_expect(f, "\x05", "\033[C");
    type_expect(f, "\x01", "\033[2D");
    /* Nothing to do: nothing written. */
    type_expect(f, "\033[D\x02\x08", "");
    type_expect(f, "\x0b", "\033[K");
    type_expect(f, "\x0c", "\033[H\033[2J" PROMPT);
    type_expect(f, "xy\033[D\x0c",
                "xy\033[D\033[H\033[2J" PROMPT "xy\033[D");
    type_expect(f, "\r", "\r\n" PROMPT);
    assert_lines(f, (const char *const[]){ "xy", NULL });
}

static void test_editing_keys(Fixture *f, gconstpointer data)
{
    static const struct {
        const char *keys;
        const char *line;
    } cases[] = {
        { "abcdef\033[D\033[D\x7f", "abcef" },
        { "abcdef\033OD\033OD\x08", "abcef" },
        { "bc\x01" "a\x05" "d", "abcd" },
        { "bc\033[H" "a\033[F" "d", "abcd" },
        { "bc\033OH" "a\033OF" "d", "abcd" },
        { "bc\033[1~" "a\033[4~" "d", "abcd" },
        { "bc\033[7~" "a\033[8~" "d", "abcd" },
        { "ac\x02" "b\x06" "d", "abcd" },
        { "ac\033[D" "b\033[C" "d", "abcd" },
        { "ac\033OD" "b\033OC" "d", "abcd" },
        { "xabc\x01\033[3~", "abc" },
        { "xabc\x01\x04", "abc" },
        { "abc\x04", "abc" },
        { "foo bar\033[D\033[D\033[D\x0b", "foo " },
        { "foo bar\033[D\033[D\033[D\x15", "bar" },
        { "foo bar\x01\x15", "foo bar" },
        { "info  status\x17", "info  " },
        { "info status  \x17", "info " },
        { "info status\033[D\033[D\x17", "info us" },
        { "a b\x17\x17\x17", "" },
        { "\x7f\033[3~\x0b\x15\x17" "ok", "ok" },
        /* Ctrl-C and other unbound control keys are ignored. */
        { "a\x03\x07\x1a" "b", "ab" },
        /* Ctrl-Left and Alt+key. */
        { "ac\033[1;5D" "b", "abc" },
        { "a\033xb", "ab" },
        { "a\033\033[Db", "ba" },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        type(f, cases[i].keys);
        type(f, "\r");
        g_assert_cmpuint(f->lines->len, ==, i + 1);
        g_assert_cmpstr(last_line(f), ==, cases[i].line);
    }
}

static void test_ctrl_d_empty(Fixture *f, gconstpointer data)
{
    type_expect(f, "\x04", "");
    g_assert_cmpuint(f->lines->len, ==, 0);
    type_expect(f, "a\x04", "a");
    type_expect(f, "\x01\x04", "\033[D\033[K");
    g_assert_cmpuint(f->lines->len, ==, 0);
}

static void test_history(Fixture *f, gconstpointer data)
{
    type(f, "a\r\r   \rb\rb\ra\rc\r");
    /* "a" entered again moved to the newest place; blanks are not kept. */
    g_assert_cmpstr(readline_get_history(f->rs, 0), ==, "b");
    g_assert_cmpstr(readline_get_history(f->rs, 1), ==, "a");
    g_assert_cmpstr(readline_get_history(f->rs, 2), ==, "c");
    g_assert_null(readline_get_history(f->rs, 3));

    type(f, "xy\033[D");
    type_expect(f, "\033[A", "\033[Dc\033[K");
    type_expect(f, "\033[A", "\033[Da");
    type_expect(f, "\x10", "\033[Db");
    type_expect(f, "\033[A", "");
    type_expect(f, "\033[B", "\033[Da");
    type_expect(f, "\x0e", "\033[Dc");
    /* Past the newest entry: what was being typed, cursor at its end. */
    type_expect(f, "\033[B", "\033[Dxy");
    type_expect(f, "\033[B", "");

    /* A recalled line can be edited; the entry itself is unchanged. */
    type(f, "\x15\033[A\033[A\x7fz\r");
    g_assert_cmpstr(last_line(f), ==, "z");
    g_assert_cmpstr(readline_get_history(f->rs, 1), ==, "a");
    g_assert_cmpstr(readline_get_history(f->rs, 3), ==, "z");

    /* Only the tail after the shared prefix is redrawn. */
    type(f, "info status\rinfo history\r");
    type_expect(f, "\033[A", "info history");
    type_expect(f, "\033[A", "\033[7Dstatus\033[K");
}

static void test_history_limit(Fixture *f, gconstpointer data)
{
    int i;

    for (i = 0; i < READLINE_MAX_HISTORY + 6; i++) {
        g_autofree char *line = g_strdup_printf("cmd %d\r", i);

        type(f, line);
    }
    g_assert_cmpstr(readline_get_history(f->rs, 0), ==, "cmd 6");
    g_assert_cmpstr(readline_get_history(f->rs, READLINE_MAX_HISTORY - 1),
                    ==, "cmd 69");
    g_assert_null(readline_get_history(f->rs, READLINE_MAX_HISTORY));
    for (i = 0; i < READLINE_MAX_HISTORY + 6; i++) {
        type(f, "\033[A");
    }
    type(f, "\r");
    g_assert_cmpstr(last_line(f), ==, "cmd 6");
}

static const char *const info_words[] = {
    "status", "history", "block", "blockstats", "block-jobs", "balloon",
    "block", "dir/", NULL
};

static void test_complete_one(Fixture *f, gconstpointer data)
{
    f->words = info_words;
    type(f, "info sta");
    type_expect(f, "\t", "tus ");
    g_assert_cmpstr(f->asked, ==, "info sta");
    /* No space after a directory. */
    type(f, "di");
    type_expect(f, "\t", "r/");
    g_assert_cmpstr(f->asked, ==, "info status di");
    type(f, "\r");
    g_assert_cmpstr(last_line(f), ==, "info status dir/");

    /* In the middle of the line, the word before the cursor is completed. */
    type(f, "info st x\x01\033[C\033[C\033[C\033[C\033[C\033[C\033[C");
    type_expect(f, "\t", "atus  x\033[2D");
    g_assert_cmpstr(f->asked, ==, "info st");
    type(f, "\r");
    g_assert_cmpstr(last_line(f), ==, "info status  x");

    /* Nothing matches: nothing happens. */
    type(f, "info x");
    type_expect(f, "\t", "");
    g_assert_cmpstr(f->asked, ==, "info x");
}

static void test_complete_many(Fixture *f, gconstpointer data)
{
    f->words = info_words;
    /* Sorted, deduplicated, in columns of the widest + 2. */
    type_expect(f, "info b\t",
                "info b\r\n"
                "balloon     block       block-jobs  blockstats\r\n"
                PROMPT "info b");
    /* The common prefix is inserted before listing. */
    type_expect(f, "l\t",
                "l\r\n"
                "block       block-jobs  blockstats\r\n"
                PROMPT "info block");
    type(f, "\r");
    g_assert_cmpstr(last_line(f), ==, "info block");

    /* The cursor is put back where it was. */
    type(f, "info b x\033[D\033[D");
    type_expect(f, "\t", "\r\n"
                "balloon     block       block-jobs  blockstats\r\n"
                PROMPT "info b x\033[2D");
    type(f, "\r");
    g_assert_cmpstr(last_line(f), ==, "info b x");
}

static void test_complete_columns(Fixture *f, gconstpointer data)
{
    static const char *const words[] = {
        "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8", "w9", NULL
    };
    static const char *const wide[] = {
        "a-rather-long-word-number-one", "a-rather-long-word-number-two",
        "a-rather-long-word-number-three", NULL
    };
    g_autofree char *h = g_strnfill(90, 'h');
    g_autofree char *h1 = g_strconcat(h, "1", NULL);
    g_autofree char *h2 = g_strconcat(h, "2", NULL);
    const char *const huge[] = { h1, h2, NULL };
    g_autofree char *expected =
        g_strconcat("\r\n", h1, "\r\n", h2, "\r\n", PROMPT, h, NULL);

    /* At least 10 columns each, 8 per row. */
    f->words = words;
    type_expect(f, "w\t",
                "w\r\n"
                "w1        w2        w3        w4        "
                "w5        w6        w7        w8\r\n"
                "w9\r\n" PROMPT "w");
    type(f, "\x15");

    /* 31 + 2 columns each, 2 per row. */
    f->words = wide;
    type(f, "a");
    type_expect(f, "\t", "\r\n"
                "a-rather-long-word-number-one    "
                "a-rather-long-word-number-three\r\n"
                "a-rather-long-word-number-two\r\n"
                PROMPT "a-rather-long-word-number-");
    type(f, "\x15");

    /* Wider than the screen: one per row. */
    f->words = huge;
    type(f, "h");
    g_string_truncate(f->out, 0);
    type(f, "\t");
    g_assert_cmpstr(f->out->str, ==, expected);
}

static void test_crlf(Fixture *f, gconstpointer data)
{
    type(f, "a\r\nb\n\nc\r\r\n\rd\r");
    readline_handle_byte(f->rs, '\n');
    type(f, "e\n\r");
    assert_lines(f, (const char *const[]){
        "a", "b", "", "c", "", "", "d", "e", "", NULL });
}

static void test_overlong(Fixture *f, gconstpointer data)
{
    g_autofree char *max = g_strnfill(READLINE_MAX_LINE, 'x');
    g_autofree char *more = g_strnfill(READLINE_MAX_LINE + 100, 'x');
    g_autofree char *almost = g_strnfill(READLINE_MAX_LINE - 1, 'x');
    g_autofree char *prefix = g_strnfill(READLINE_MAX_LINE - 3, 'y');
    static const char *const words[] = { "xyz", NULL };

    type_expect(f, more, max);
    type(f, "\r");
    g_assert_cmpstr(last_line(f), ==, max);

    /* A character that does not fit whole is dropped whole. */
    type(f, almost);
    type_expect(f, "\xc3\xa9" "\xe4\xb8\xad", "");
    type(f, "\r");
    g_assert_cmpstr(last_line(f), ==, almost);

    /* Completion stops at the limit too. */
    f->words = words;
    type(f, prefix);
    type(f, " x");
    type_expect(f, "\t", "y");
    type(f, "\r");
    g_assert_cmpuint(strlen(last_line(f)), ==, READLINE_MAX_LINE);
    g_assert_true(g_str_has_suffix(last_line(f), "y xy"));
}

static void test_escape_split(Fixture *f, gconstpointer data)
{
    type(f, "abc");
    type_expect(f, "\033", "");
    type_expect(f, "[", "");
    type_expect(f, "3", "");
    type_expect(f, "~", "");
    type_expect(f, "\033", "");
    type_expect(f, "O", "");
    type_expect(f, "D", "\033[D");
    type_expect(f, "\033", "");
    type_expect(f, "[", "");
    type_expect(f, "D", "\033[D");
    /* An unfinished sequence does not eat the key after it. */
    type_expect(f, "\033[", "");
    type_expect(f, "\r", "\r\n" PROMPT);
    g_assert_cmpstr(last_line(f), ==, "abc");
}

static void test_utf8(Fixture *f, gconstpointer data)
{
    /* Echoed when whole, stepped over and deleted whole. */
    type_expect(f, "\xc3", "");
    type_expect(f, "\xa9", "\xc3\xa9");
    type_expect(f, "\xe4\xb8\xad", "\xe4\xb8\xad");
    type_expect(f, "\033[D", "\033[2D");
    type_expect(f, "\033[D", "\033[D");
    type_expect(f, "x", "x\xc3\xa9\xe4\xb8\xad\033[3D");
    type_expect(f, "\033[3~", "\xe4\xb8\xad\033[K\033[2D");
    type_expect(f, "\x05\x7f", "\033[2C\033[2D\033[K");
    type(f, "\r");
    g_assert_cmpstr(last_line(f), ==, "x");

    /* Broken sequences keep their bytes. */
    type(f, "\xc3" "a\xa9" "b\xe4\xb8\r");
    g_assert_cmpstr(last_line(f), ==, "\xc3" "a\xa9" "b\xe4\xb8");
    g_assert_cmpstr(readline_get_history(f->rs, 1), ==, last_line(f));

    /*
     * A combining accent is part of the character before it: the cursor
     * never stops between them.  With nothing before it, it is refused.
     */
    type_expect(f, "\xcc\x81", "");
    type(f, "e");
    type_expect(f, "\xcc\x81", "\033[De\xcc\x81");
    type_expect(f, "x\033[D\033[D", "x\033[D\033[D");
    type_expect(f, "\033[3~", "x\033[K\033[D");
    type(f, "e\xcc\x81\x05\x7f\r");
    g_assert_cmpstr(last_line(f), ==, "e\xcc\x81");
}

static void test_no_completion_func(Fixture *f, gconstpointer data)
{
    g_autoptr(ReadLineState) rs =
        readline_new(capture_output, NULL, f, true);

    readline_start(rs, "> ", take_line, f);
    readline_handle_byte(rs, 'a');
    readline_handle_byte(rs, '\t');
    g_assert_cmpstr(f->out->str, ==, "a");
}

static void test_plain_echo(Fixture *f, gconstpointer data)
{
    type_expect(f, "info status\n", "info status\n" PROMPT);
    type_expect(f, "infx\x7fo\r\n", "infx\b \bo\n" PROMPT);
    /* Nothing to delete, nothing written. */
    type_expect(f, "\x08", "");
    /* Keys of the editing mode are swallowed or ignored, never echoed. */
    type_expect(f, "ab\033[Dc\033[A\x01\x0b\x15\x17\x0c\x03", "abc");
    type_expect(f, "\x7f\x7f\x7f\x7f", "\b \b\b \b\b \b");
    type_expect(f, "a\tb\r", "a\tb\n" PROMPT);
    type_expect(f, "\xc3\xa9\xe4\xb8\xad\x7f\x7f",
                "\xc3\xa9\xe4\xb8\xad\b \b\b \b\b \b");
    type_expect(f, "\r\n", "\n" PROMPT);
    assert_lines(f, (const char *const[]){
        "info status", "info", "a\tb", "", NULL });
    /* History is recorded even though it cannot be walked here. */
    g_assert_cmpstr(readline_get_history(f->rs, 0), ==, "info status");
    g_assert_cmpstr(readline_get_history(f->rs, 2), ==, "a\tb");
    g_assert_null(readline_get_history(f->rs, 3));

    readline_show_prompt(f->rs);
    type(f, "x");
    g_assert_cmpstr(f->out->str, ==, "\n" PROMPT PROMPT "x");
}

static void test_plain_overlong(Fixture *f, gconstpointer data)
{
    g_autofree char *max = g_strnfill(READLINE_MAX_LINE, 'x');
    g_autofree char *more = g_strnfill(READLINE_MAX_LINE + 5, 'x');

    type_expect(f, more, max);
    type_expect(f, "\x7fy", "\b \by");
    type(f, "\r");
    g_assert_cmpuint(strlen(last_line(f)), ==, READLINE_MAX_LINE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

#define ADD(path, mode, fn) \
    g_test_add("/readline/" path, Fixture, NULL, setup_##mode, fn, teardown)

    ADD("editing/type-line", editing, test_type_line);
    ADD("editing/redraw", editing, test_redraw);
    ADD("editing/keys", editing, test_editing_keys);
    ADD("editing/ctrl-d-empty", editing, test_ctrl_d_empty);
    ADD("editing/history", editing, test_history);
    ADD("editing/history-limit", editing, test_history_limit);
    ADD("editing/complete-one", editing, test_complete_one);
    ADD("editing/complete-many", editing, test_complete_many);
    ADD("editing/complete-columns", editing, test_complete_columns);
    ADD("editing/no-completion-func", editing, test_no_completion_func);
    ADD("editing/crlf", editing, test_crlf);
    ADD("editing/overlong", editing, test_overlong);
    ADD("editing/escape-split", editing, test_escape_split);
    ADD("editing/utf8", editing, test_utf8);
    ADD("plain/echo", plain, test_plain_echo);
    ADD("plain/crlf", plain, test_crlf);
    ADD("plain/overlong", plain, test_plain_overlong);

#undef ADD
    return g_test_run();
}
