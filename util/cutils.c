/*
 * Parsing numbers, sizes and booleans.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"

bool parse_bool(const char *text, bool *value)
{
    static const char *const yes[] = { "on", "yes", "true", "y", NULL };
    static const char *const no[] = { "off", "no", "false", "n", NULL };

    for (int i = 0; yes[i]; i++) {
        if (!strcmp(text, yes[i])) {
            *value = true;
            return true;
        }
        if (!strcmp(text, no[i])) {
            *value = false;
            return true;
        }
    }
    return false;
}

bool parse_uint64(const char *text, uint64_t *value)
{
    char *end;

    /* strtoull accepts a sign and wraps "-1" around: refuse that. */
    if (!text[0] || text[0] == '-' || text[0] == '+' || g_ascii_isspace(text[0])) {
        return false;
    }
    errno = 0;
    *value = strtoull(text, &end, 0);
    return errno == 0 && *end == '\0';
}

bool parse_int64(const char *text, int64_t *value)
{
    char *end;

    if (!text[0] || g_ascii_isspace(text[0])) {
        return false;
    }
    errno = 0;
    *value = strtoll(text, &end, 0);
    return errno == 0 && *end == '\0';
}

bool parse_size(const char *text, char default_suffix, uint64_t *value)
{
    static const char suffixes[] = "BKMGTPE";
    const char *pos;
    char *end;
    uint64_t integer;
    double number;
    bool fractional;
    int shift;
    char suffix;

    if (!text[0] || text[0] == '-' || g_ascii_isspace(text[0])) {
        return false;
    }
    errno = 0;
    integer = strtoull(text, &end, 0);
    if (errno) {
        return false;
    }
    /* Integers keep every bit; only "1.5G" needs floating point. */
    fractional = *end == '.';
    if (fractional) {
        number = g_ascii_strtod(text, &end);
    }
    if (*end && end[1]) {
        return false;
    }
    suffix = *end ? g_ascii_toupper(*end) : default_suffix ? default_suffix : 'B';
    pos = strchr(suffixes, suffix);
    if (!pos) {
        return false;
    }
    shift = (pos - suffixes) * 10;
    if (!fractional) {
        if (integer > (UINT64_MAX >> shift)) {
            return false;
        }
        *value = integer << shift;
        return true;
    }
    number *= (double)(1ULL << shift);
    if (!(number < 18446744073709551616.0)) {
        return false;
    }
    *value = (uint64_t)number;
    return true;
}

char *format_size(uint64_t bytes)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB",
                                         "PiB", "EiB" };
    double value = bytes;
    int i = 0;

    while (value >= 1024 && i < (int)ARRAY_SIZE(units) - 1) {
        value /= 1024;
        i++;
    }
    return g_strdup_printf("%0.3g %s", value, units[i]);
}

bool id_wellformed(const char *id)
{
    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (const char *p = id; *p; p++) {
        if (!g_ascii_isalnum(*p) && !strchr("-._", *p)) {
            return false;
        }
    }
    return true;
}

bool buffer_is_zero(const void *p, size_t len)
{
    const uint8_t *b = p;

    /* The first byte zero and each byte equal to the next. */
    return len == 0 || (b[0] == 0 && memcmp(b, b + 1, len - 1) == 0);
}
