/*
 * -boot [order=DRIVES][,once=DRIVES][,menu=on|off][,splash=FILE]
 *       [,splash-time=MS][,reboot-timeout=MS][,strict=on|off]
 *
 * Checked as QEMU 7.2 checks them, so a script's line is accepted or
 * refused alike.  The PC (-M pc) hands order, menu, splash-time and
 * reboot-timeout to its firmware (CMOS and fw_cfg); other boards ignore
 * them.  A bare "-boot cd" is order=cd.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sysemu/sysemu.h"
#include "util/cutils.h"
#include "util/keyval.h"

/* Drives a..p (floppy a-b, disk c, cdrom d, network n-p), each once. */
static bool check_boot_devices(const char *devices, Error **errp)
{
    uint32_t seen = 0;

    for (const char *p = devices; *p; p++) {
        if (*p < 'a' || *p > 'p') {
            error_setg(errp, "Invalid boot device '%c'", *p);
            return false;
        }
        if (seen & (1u << (*p - 'a'))) {
            error_setg(errp, "Boot device '%c' was given twice", *p);
            return false;
        }
        seen |= 1u << (*p - 'a');
    }
    return true;
}

static BootOptions boot_opts = { .order = "cad" };

const BootOptions *boot_options(void)
{
    return &boot_opts;
}

bool boot_parse_options(const char *opts, Error **errp)
{
    BootOptions parsed = boot_opts;
    static const char *const bools[] = { "menu", "strict" };
    static const char *const numbers[] = { "splash-time", "reboot-timeout" };
    g_autoptr(KeyValList) kv = keyval_parse(opts, "order", errp);
    const char *order, *once;
    const KeyValPair *extra;

    if (!kv) {
        return false;
    }
    order = keyval_take(kv, "order");
    once = keyval_take(kv, "once");
    if ((order && !check_boot_devices(order, errp)) ||
        (once && !check_boot_devices(once, errp))) {
        return false;
    }
    bool *bool_fields[][2] = {
        { &parsed.has_menu, &parsed.menu },
        { &parsed.has_strict, &parsed.strict },
    };
    int64_t *number_fields[] = { &parsed.splash_time,
                                 &parsed.reboot_timeout };
    bool *number_given[] = { &parsed.has_splash_time,
                             &parsed.has_reboot_timeout };

    for (size_t i = 0; i < ARRAY_SIZE(bools); i++) {
        const char *v = keyval_take(kv, bools[i]);

        if (v && !parse_bool(v, bool_fields[i][1])) {
            error_setg(errp, "Parameter 'boot.%s' expects 'on' or 'off'",
                       bools[i]);
            return false;
        }
        *bool_fields[i][0] = v != NULL;
    }
    for (size_t i = 0; i < ARRAY_SIZE(numbers); i++) {
        const char *v = keyval_take(kv, numbers[i]);
        char *end;

        if (v && (*number_fields[i] = strtoll(v, &end, 0), !*v || *end)) {
            error_setg(errp, "Parameter 'boot.%s' expects integer",
                       numbers[i]);
            return false;
        }
        *number_given[i] = v != NULL;
    }
    keyval_take(kv, "splash");
    extra = keyval_first_unused(kv);
    if (extra) {
        error_setg(errp, "Parameter 'boot.%s' is unexpected", extra->key);
        return false;
    }
    if (order) {
        parsed.order = g_intern_string(order);
    }
    if (once) {
        parsed.once = g_intern_string(once);
    }
    boot_opts = parsed;
    return true;
}
