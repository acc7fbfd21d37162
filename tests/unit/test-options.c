/*
 * Unit tests of option parsing: key=value lists, sizes, numbers, bools.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/cutils.h"
#include "util/keyval.h"
#include "util/log.h"
#include "qom/object.h"
#include "semihosting/semihost.h"

static void test_keyval_implied_and_escapes(void)
{
    g_autoptr(KeyValList) kv = keyval_parse(
        "socket,id=m0,path=/tmp/a,,b,server,wait=off", "backend",
        &error_fatal);

    g_assert_cmpstr(keyval_take(kv, "backend"), ==, "socket");
    g_assert_cmpstr(keyval_take(kv, "id"), ==, "m0");
    g_assert_cmpstr(keyval_take(kv, "path"), ==, "/tmp/a,b");
    g_assert_cmpstr(keyval_take(kv, "server"), ==, "on");
    g_assert_true(keyval_has(kv, "wait"));
    g_assert_cmpstr(keyval_first_unused(kv)->key, ==, "wait");
    g_assert_cmpstr(keyval_take(kv, "wait"), ==, "off");
    g_assert_null(keyval_take(kv, "absent"));
}

static void test_keyval_explicit_first_key(void)
{
    g_autoptr(KeyValList) kv = keyval_parse("size=64M", "size", &error_fatal);

    g_assert_cmpstr(keyval_take(kv, "size"), ==, "64M");
}

static void expect_keyval_error(const char *text, const char *message)
{
    Error *err = NULL;

    g_assert_null(keyval_parse(text, "driver", &err));
    g_assert_cmpstr(error_get_pretty(err), ==, message);
    error_free(err);
}

static void test_keyval_errors(void)
{
    expect_keyval_error("loader,addr=1,addr=2",
                        "parameter 'addr' is given twice");
    expect_keyval_error("loader,=5", "'loader,=5' has an empty parameter name");
    expect_keyval_error("loader,", "'loader,' ends with a stray comma");
}

static void test_keyval_repeatable(void)
{
    static const char *const repeatable[] = { "arg", NULL };
    g_autoptr(KeyValList) kv = keyval_parse_repeatable(
        "enable=on,arg=print(1,,2),arg=x,,,,y", NULL, repeatable,
        &error_fatal);
    const char *expected[][2] = {
        { "enable", "on" }, { "arg", "print(1,2)" }, { "arg", "x,,y" },
    };

    g_assert_cmpuint(kv->pairs->len, ==, G_N_ELEMENTS(expected));
    for (guint i = 0; i < kv->pairs->len; i++) {
        const KeyValPair *pair = &g_array_index(kv->pairs, KeyValPair, i);

        g_assert_cmpstr(pair->key, ==, expected[i][0]);
        g_assert_cmpstr(pair->value, ==, expected[i][1]);
    }
    /* Only the listed keys may repeat. */
    g_assert_null(keyval_parse_repeatable("arg=1,enable=on,enable=off", NULL,
                                          repeatable, NULL));
}

/* -semihosting-config goes through the same parser: ",," is a comma. */
static void test_semihosting_config_commas(void)
{
    Error *err = NULL;

    g_assert_true(semihosting_configure("arg=print(1,,2),arg=done",
                                        &error_fatal));
    g_assert_true(semihosting_enabled());
    g_assert_cmpstr(semihosting_get_cmdline(), ==, "print(1,2) done");
    g_assert_false(semihosting_configure("arg=a,,b,bogus=1", &err));
    g_assert_cmpstr(error_get_pretty(err), ==,
                    "unknown -semihosting-config parameter 'bogus' "
                    "(known: enable, target, chroot, arg)");
    error_free(err);
}

static void test_parse_size(void)
{
    uint64_t v;

    g_assert_true(parse_size("64", 'M', &v));
    g_assert_cmpuint(v, ==, 64 << 20);
    g_assert_true(parse_size("64", 0, &v));
    g_assert_cmpuint(v, ==, 64);
    g_assert_true(parse_size("16k", 0, &v));
    g_assert_cmpuint(v, ==, 16384);
    g_assert_true(parse_size("2G", 'M', &v));
    g_assert_cmpuint(v, ==, 2ULL << 30);
    g_assert_true(parse_size("0x1000", 0, &v));
    g_assert_cmpuint(v, ==, 4096);
    g_assert_true(parse_size("1.5M", 0, &v));
    g_assert_cmpuint(v, ==, 3 << 19);
    g_assert_true(parse_size("15E", 0, &v));
    g_assert_false(parse_size("16E", 0, &v));
    g_assert_false(parse_size("16Q", 'M', &v));
    g_assert_false(parse_size("-1", 'M', &v));
    g_assert_false(parse_size("", 'M', &v));
    g_assert_false(parse_size("1MB", 0, &v));
}

static void test_parse_numbers(void)
{
    uint64_t u;
    int64_t i;
    bool b;

    g_assert_true(parse_uint64("0x10", &u));
    g_assert_cmpuint(u, ==, 16);
    g_assert_true(parse_uint64("010", &u));
    g_assert_cmpuint(u, ==, 8);
    g_assert_false(parse_uint64("-1", &u));
    g_assert_false(parse_uint64("12abc", &u));
    g_assert_false(parse_uint64("99999999999999999999", &u));
    g_assert_true(parse_int64("-5", &i));
    g_assert_cmpint(i, ==, -5);
    g_assert_false(parse_int64(" 5", &i));
    g_assert_true(parse_bool("on", &b) && b);
    g_assert_true(parse_bool("off", &b) && !b);
    g_assert_true(parse_bool("yes", &b) && b);
    g_assert_false(parse_bool("maybe", &b));
}

static void test_log_items(void)
{
    Error *err = NULL;
    int mask;

    g_assert_true(emu_log_parse_items("unimp,guest_errors", &mask,
                                      &error_fatal));
    g_assert_cmpint(mask, ==, LOG_UNIMP | LOG_GUEST_ERROR);
    g_assert_false(emu_log_parse_items("unimp,bogus", &mask, &err));
    g_assert_cmpstr(error_get_pretty(err), ==, "unknown log item 'bogus'");
    g_assert_cmpstr(error_get_hint(err), ==,
                    "Known items: out_asm, in_asm, op, op_opt, op_ind, int, "
                    "exec, cpu, fpu, mmu, pcall, cpu_reset, unimp, "
                    "guest_errors, page, nochain, plugin, strace, tid (-d "
                    "help describes them)\n");
    error_free(err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/options/keyval/implied-and-escapes",
                    test_keyval_implied_and_escapes);
    g_test_add_func("/options/keyval/explicit-first-key",
                    test_keyval_explicit_first_key);
    g_test_add_func("/options/keyval/errors", test_keyval_errors);
    g_test_add_func("/options/keyval/repeatable", test_keyval_repeatable);
    g_test_add_func("/options/semihosting-config/commas",
                    test_semihosting_config_commas);
    g_test_add_func("/options/size", test_parse_size);
    g_test_add_func("/options/numbers", test_parse_numbers);
    g_test_add_func("/options/log-items", test_log_items);
    return g_test_run();
}
