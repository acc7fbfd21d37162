/*
 * Line editor of the human monitor.
 *
 * The monitor feeds it the bytes of its character device one at a time;
 * the editor echoes and redraws through an output callback and hands each
 * finished command line to a line callback.  Two modes:
 *
 *   editing   a terminal in raw mode: cursor keys, Emacs-style control
 *             keys, history, Tab completion; the line is redrawn with
 *             ANSI escapes (ESC[K, ESC[nD, ESC[nC), only from the first
 *             changed character on.
 *   plain     a pipe or socket driven by a script: characters are echoed
 *             as they come, Backspace echoes "\b \b", Enter echoes "\n";
 *             no escape sequence is ever written.  Escape sequences read
 *             are swallowed, history is recorded but cannot be walked,
 *             Tab is an ordinary character.
 *
 * In both modes CR, LF and the pair CR LF each end one line.  A line holds
 * at most READLINE_MAX_LINE bytes; input beyond that is dropped.  Bytes
 * above 0x7f are kept as they are: a UTF-8 character is inserted, deleted
 * and stepped over as a whole and counted as the columns a terminal gives
 * it (2 for East Asian wide characters); invalid bytes take a column each.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MONITOR_READLINE_H
#define MONITOR_READLINE_H

#include "util/osdep.h"

/* Longest command line in bytes, not counting the terminating NUL. */
#define READLINE_MAX_LINE 1023
/* Distinct lines remembered for Up/Down and "info history". */
#define READLINE_MAX_HISTORY 64

typedef struct ReadLineState ReadLineState;

/* Writes text (not NUL-terminated) to the user. */
typedef void ReadLineOutputFunc(void *opaque, const char *text, size_t len);
/* A complete command line, without its line terminator. */
typedef void ReadLineLineFunc(void *opaque, const char *line);
/*
 * Tab was pressed (editing mode only): offer the candidates for the word
 * that ends line_up_to_cursor with readline_add_completion() and tell how
 * much of it is typed with readline_set_completion_index().
 */
typedef void ReadLineCompletionFunc(void *opaque,
                                    const char *line_up_to_cursor,
                                    ReadLineState *rs);

/*
 * out and complete get opaque.  complete may be NULL (Tab then does
 * nothing).  editing selects the mode described above.
 */
ReadLineState *readline_new(ReadLineOutputFunc *out,
                            ReadLineCompletionFunc *complete, void *opaque,
                            bool editing);
void readline_free(ReadLineState *rs);

/*
 * Begins a new, empty line: stores the prompt and the callback that will
 * get the line, prints nothing (call readline_show_prompt()).  May be
 * called from within done itself, which is how the monitor asks for the
 * next command.
 */
void readline_start(ReadLineState *rs, const char *prompt,
                    ReadLineLineFunc *done, void *done_opaque);

/*
 * Prints the prompt and the line typed so far, leaving the terminal
 * cursor where the editing cursor is.  Assumes the terminal cursor is at
 * the start of an empty row, e.g. after the output of a command.
 */
void readline_show_prompt(ReadLineState *rs);

/*
 * Processes one input byte (0..255).  Escape sequences and UTF-8
 * characters may be split across calls.  The callbacks are called from
 * here; they must not free rs.
 */
void readline_handle_byte(ReadLineState *rs, int ch);

/* From a completion callback: offers a candidate; duplicates are dropped. */
void readline_add_completion(ReadLineState *rs, const char *candidate);
/* Same, but only when candidate starts with prefix. */
void readline_add_completion_of(ReadLineState *rs, const char *prefix,
                                const char *candidate);
/*
 * From a completion callback: how many bytes of the word being completed
 * are already typed, i.e. where in each candidate the text to insert
 * starts (strlen of the partial word, as in QEMU).  0 if never called.
 */
void readline_set_completion_index(ReadLineState *rs, int index);

/*
 * The index-th remembered line, 0 being the oldest, or NULL past the
 * newest.  Empty and blank lines are not remembered; entering a line that
 * is already there moves it to the newest position.
 */
const char *readline_get_history(ReadLineState *rs, unsigned index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ReadLineState, readline_free)

#endif
