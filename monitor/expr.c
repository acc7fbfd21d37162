/*
 * Expressions in monitor arguments, as QEMU's monitor reads them:
 *   x /4x $pc - 8        p ($sp + 0x10) & ~0xf       xp 0x1000*4
 * Numbers are decimal, 0x hex or 0 octal; 'c' is a character's code;
 * $name is a register of the selected vCPU; operators + - * / % & | ^
 * << >> ~ and parentheses with C precedence.  Arithmetic is on signed 64-bit values, as in QEMU
 * (so / % and >> keep the sign), wrapping instead of overflowing.  An
 * expression ends where no operator follows, so "memsave 0x100 16 f"
 * reads three arguments.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor-internal.h"
#include "hw/core/cpu.h"

typedef struct ExprParser {
    const char *p;
    CPUState *cpu;
    Error **errp;
    bool failed;
} ExprParser;

static void EMU_PRINTF(2, 3) expr_error(ExprParser *ep, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    if (!ep->failed) {
        va_start(ap, fmt);
        msg = g_strdup_vprintf(fmt, ap);
        va_end(ap);
        error_setg(ep->errp, "%s", msg);
        ep->failed = true;
    }
}

static void skip_blanks(ExprParser *ep)
{
    while (*ep->p == ' ' || *ep->p == '\t') {
        ep->p++;
    }
}

static uint64_t parse_or(ExprParser *ep);

static uint64_t parse_register(ExprParser *ep)
{
    const char *start = ++ep->p;
    g_autofree char *name = NULL;
    CPUClass *cc;
    uint64_t value;

    while (g_ascii_isalnum(*ep->p) || *ep->p == '_' || *ep->p == '.') {
        ep->p++;
    }
    name = g_strndup(start, ep->p - start);
    if (!name[0]) {
        expr_error(ep, "missing register name after '$'");
        return 0;
    }
    if (!ep->cpu) {
        expr_error(ep, "no CPU to read registers from");
        return 0;
    }
    cc = CPU_GET_CLASS(ep->cpu);
    if (!cc->monitor_get_register ||
        !cc->monitor_get_register(ep->cpu, name, &value)) {
        expr_error(ep, "unknown register");
        return 0;
    }
    return value;
}

static uint64_t parse_unary(ExprParser *ep)
{
    uint64_t value;
    char *end;

    skip_blanks(ep);
    switch (*ep->p) {
    case '+':
        ep->p++;
        return parse_unary(ep);
    case '-':
        ep->p++;
        return -parse_unary(ep);
    case '~':
        ep->p++;
        return ~parse_unary(ep);
    case '(':
        ep->p++;
        value = parse_or(ep);
        skip_blanks(ep);
        if (*ep->p != ')') {
            expr_error(ep, "')' expected");
            return 0;
        }
        ep->p++;
        return value;
    case '$':
        return parse_register(ep);
    case '\'':
        /* A character constant, 'a', as QEMU reads one. */
        ep->p++;
        if (!*ep->p) {
            expr_error(ep, "character constant expected");
            return 0;
        }
        value = (unsigned char)*ep->p++;
        if (*ep->p != '\'') {
            expr_error(ep, "missing terminating ' character");
            return 0;
        }
        ep->p++;
        return value;
    case '\0':
        expr_error(ep, "unexpected end of expression");
        return 0;
    default:
        if (!g_ascii_isdigit(*ep->p)) {
            expr_error(ep, "invalid char '%c' in expression", *ep->p);
            return 0;
        }
        errno = 0;
        value = g_ascii_strtoull(ep->p, &end, 0);
        if (errno) {
            expr_error(ep, "number too large");
            return 0;
        }
        ep->p = end;
        return value;
    }
}

/* Binary operators by precedence level, tightest last. */
static const char *const levels[][4] = {
    { "|" }, { "^" }, { "&" }, { "<<", ">>" }, { "+", "-" }, { "*", "/", "%" },
};

static uint64_t apply(ExprParser *ep, const char *op, uint64_t a, uint64_t b)
{
    switch (op[0]) {
    case '|': return a | b;
    case '^': return a ^ b;
    case '&': return a & b;
    case '<': return b >= 64 ? 0 : a << b;
    case '>': return (uint64_t)((int64_t)a >> (b >= 64 ? 63 : b));
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    default:
        if (b == 0) {
            expr_error(ep, "division by zero");
            return 0;
        }
        if ((int64_t)b == -1) {
            /* INT64_MIN / -1 traps on x86: negate instead. */
            return op[0] == '/' ? -a : 0;
        }
        return op[0] == '/' ? (uint64_t)((int64_t)a / (int64_t)b)
                            : (uint64_t)((int64_t)a % (int64_t)b);
    }
}

static uint64_t parse_level(ExprParser *ep, size_t level)
{
    uint64_t value;

    if (level == ARRAY_SIZE(levels)) {
        return parse_unary(ep);
    }
    value = parse_level(ep, level + 1);
    for (;;) {
        const char *op = NULL;

        skip_blanks(ep);
        for (size_t i = 0; i < 4 && levels[level][i]; i++) {
            if (g_str_has_prefix(ep->p, levels[level][i])) {
                op = levels[level][i];
            }
        }
        if (!op || ep->failed) {
            return value;
        }
        ep->p += strlen(op);
        value = apply(ep, op, value, parse_level(ep, level + 1));
    }
}

static uint64_t parse_or(ExprParser *ep)
{
    return parse_level(ep, 0);
}

bool monitor_eval_expr(CPUState *cpu, const char **text, uint64_t *value,
                       Error **errp)
{
    ExprParser ep = { .p = *text, .cpu = cpu, .errp = errp };

    *value = parse_or(&ep);
    *text = ep.p;
    return !ep.failed;
}
