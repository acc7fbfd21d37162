/*
 * The key table (see include/ui/input.h) and the monitor's sendkey.
 * Scan codes from IBM's PS/2 keyboard reference (sets 1 and 2); usages
 * from the USB HID usage tables.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/monitor.h"
#include "ui/input.h"

#define E0(code) (0xe000 | (code))

static const KeyInfo keys[] = {
    { "esc",           0x01, 0x76, 0x29 },
    { "1",             0x02, 0x16, 0x1e },
    { "2",             0x03, 0x1e, 0x1f },
    { "3",             0x04, 0x26, 0x20 },
    { "4",             0x05, 0x25, 0x21 },
    { "5",             0x06, 0x2e, 0x22 },
    { "6",             0x07, 0x36, 0x23 },
    { "7",             0x08, 0x3d, 0x24 },
    { "8",             0x09, 0x3e, 0x25 },
    { "9",             0x0a, 0x46, 0x26 },
    { "0",             0x0b, 0x45, 0x27 },
    { "minus",         0x0c, 0x4e, 0x2d },
    { "equal",         0x0d, 0x55, 0x2e },
    { "backspace",     0x0e, 0x66, 0x2a },
    { "tab",           0x0f, 0x0d, 0x2b },
    { "q",             0x10, 0x15, 0x14 },
    { "w",             0x11, 0x1d, 0x1a },
    { "e",             0x12, 0x24, 0x08 },
    { "r",             0x13, 0x2d, 0x15 },
    { "t",             0x14, 0x2c, 0x17 },
    { "y",             0x15, 0x35, 0x1c },
    { "u",             0x16, 0x3c, 0x18 },
    { "i",             0x17, 0x43, 0x0c },
    { "o",             0x18, 0x44, 0x12 },
    { "p",             0x19, 0x4d, 0x13 },
    { "bracket_left",  0x1a, 0x54, 0x2f },
    { "bracket_right", 0x1b, 0x5b, 0x30 },
    { "ret",           0x1c, 0x5a, 0x28 },
    { "ctrl",          0x1d, 0x14, 0xe0 },
    { "a",             0x1e, 0x1c, 0x04 },
    { "s",             0x1f, 0x1b, 0x16 },
    { "d",             0x20, 0x23, 0x07 },
    { "f",             0x21, 0x2b, 0x09 },
    { "g",             0x22, 0x34, 0x0a },
    { "h",             0x23, 0x33, 0x0b },
    { "j",             0x24, 0x3b, 0x0d },
    { "k",             0x25, 0x42, 0x0e },
    { "l",             0x26, 0x4b, 0x0f },
    { "semicolon",     0x27, 0x4c, 0x33 },
    { "apostrophe",    0x28, 0x52, 0x34 },
    { "grave_accent",  0x29, 0x0e, 0x35 },
    { "shift",         0x2a, 0x12, 0xe1 },
    { "backslash",     0x2b, 0x5d, 0x31 },
    { "z",             0x2c, 0x1a, 0x1d },
    { "x",             0x2d, 0x22, 0x1b },
    { "c",             0x2e, 0x21, 0x06 },
    { "v",             0x2f, 0x2a, 0x19 },
    { "b",             0x30, 0x32, 0x05 },
    { "n",             0x31, 0x31, 0x11 },
    { "m",             0x32, 0x3a, 0x10 },
    { "comma",         0x33, 0x41, 0x36 },
    { "dot",           0x34, 0x49, 0x37 },
    { "slash",         0x35, 0x4a, 0x38 },
    { "shift_r",       0x36, 0x59, 0xe5 },
    { "kp_multiply",   0x37, 0x7c, 0x55 },
    { "alt",           0x38, 0x11, 0xe2 },
    { "spc",           0x39, 0x29, 0x2c },
    { "caps_lock",     0x3a, 0x58, 0x39 },
    { "f1",            0x3b, 0x05, 0x3a },
    { "f2",            0x3c, 0x06, 0x3b },
    { "f3",            0x3d, 0x04, 0x3c },
    { "f4",            0x3e, 0x0c, 0x3d },
    { "f5",            0x3f, 0x03, 0x3e },
    { "f6",            0x40, 0x0b, 0x3f },
    { "f7",            0x41, 0x83, 0x40 },
    { "f8",            0x42, 0x0a, 0x41 },
    { "f9",            0x43, 0x01, 0x42 },
    { "f10",           0x44, 0x09, 0x43 },
    { "num_lock",      0x45, 0x77, 0x53 },
    { "scroll_lock",   0x46, 0x7e, 0x47 },
    { "kp_7",          0x47, 0x6c, 0x5f },
    { "kp_8",          0x48, 0x75, 0x60 },
    { "kp_9",          0x49, 0x7d, 0x61 },
    { "kp_subtract",   0x4a, 0x7b, 0x56 },
    { "kp_4",          0x4b, 0x6b, 0x5c },
    { "kp_5",          0x4c, 0x73, 0x5d },
    { "kp_6",          0x4d, 0x74, 0x5e },
    { "kp_add",        0x4e, 0x79, 0x57 },
    { "kp_1",          0x4f, 0x69, 0x59 },
    { "kp_2",          0x50, 0x72, 0x5a },
    { "kp_3",          0x51, 0x7a, 0x5b },
    { "kp_0",          0x52, 0x70, 0x62 },
    { "kp_decimal",    0x53, 0x71, 0x63 },
    { "less",          0x56, 0x61, 0x64 },
    { "f11",           0x57, 0x78, 0x44 },
    { "f12",           0x58, 0x07, 0x45 },
    { "kp_enter",      E0(0x1c), E0(0x5a), 0x58 },
    { "ctrl_r",        E0(0x1d), E0(0x14), 0xe4 },
    { "kp_divide",     E0(0x35), E0(0x4a), 0x54 },
    { "alt_r",         E0(0x38), E0(0x11), 0xe6 },
    { "home",          E0(0x47), E0(0x6c), 0x4a },
    { "up",            E0(0x48), E0(0x75), 0x52 },
    { "pgup",          E0(0x49), E0(0x7d), 0x4b },
    { "left",          E0(0x4b), E0(0x6b), 0x50 },
    { "right",         E0(0x4d), E0(0x74), 0x4f },
    { "end",           E0(0x4f), E0(0x69), 0x4d },
    { "down",          E0(0x50), E0(0x72), 0x51 },
    { "pgdn",          E0(0x51), E0(0x7a), 0x4e },
    { "insert",        E0(0x52), E0(0x70), 0x49 },
    { "delete",        E0(0x53), E0(0x71), 0x4c },
    { "meta_l",        E0(0x5b), E0(0x1f), 0xe3 },
    { "meta_r",        E0(0x5c), E0(0x27), 0xe7 },
    { "menu",          E0(0x5d), E0(0x2f), 0x65 },
};

const KeyInfo *key_by_name(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (!strcmp(keys[i].name, name)) {
            return &keys[i];
        }
    }
    return NULL;
}

const KeyInfo *key_by_usb(unsigned usage)
{
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (keys[i].usb == usage) {
            return &keys[i];
        }
    }
    return NULL;
}

const KeyInfo *key_by_set1(unsigned code)
{
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        if (keys[i].set1 == code) {
            return &keys[i];
        }
    }
    return NULL;
}

void key_foreach(void (*fn)(const KeyInfo *key, void *opaque), void *opaque)
{
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        fn(&keys[i], opaque);
    }
}

/* ---- sendkey ---- */

/* QEMU's other names for some keys. */
static const struct {
    const char *alias;
    const char *name;
} key_aliases[] = {
    { "asterisk", "kp_multiply" },
    { "control", "ctrl" },
    { "ctrl_l", "ctrl" },
    { "shift_l", "shift" },
    { "alt_l", "alt" },
    { "altgr", "alt_r" },
    { "enter", "ret" },
    { "return", "ret" },
    { "space", "spc" },
    { "escape", "esc" },
    { "backtab", "tab" },
};

/* A key of sendkey: a name, an alias, or a set 1 code in hex. */
static const KeyInfo *sendkey_lookup(const char *word)
{
    const KeyInfo *key = key_by_name(word);
    char *end;
    unsigned long code;

    if (key) {
        return key;
    }
    for (size_t i = 0; i < ARRAY_SIZE(key_aliases); i++) {
        if (!strcmp(key_aliases[i].alias, word)) {
            return key_by_name(key_aliases[i].name);
        }
    }
    if (word[0] == '0' && word[1] == 'x') {
        code = strtoul(word + 2, &end, 16);
        if (!*end && end != word + 2) {
            return key_by_set1(code);
        }
    }
    return NULL;
}

typedef struct SendkeyRelease {
    GPtrArray *keys;             /* const KeyInfo *, pressed in order */
} SendkeyRelease;

/* After the hold time: the keys go up in reverse order. */
static gboolean sendkey_release(gpointer opaque)
{
    SendkeyRelease *r = opaque;

    for (guint i = r->keys->len; i-- > 0;) {
        input_key_event(g_ptr_array_index(r->keys, i), false);
    }
    g_ptr_array_unref(r->keys);
    g_free(r);
    return G_SOURCE_REMOVE;
}

static void hmp_sendkey(Monitor *mon, const MonitorArgs *args)
{
    g_auto(GStrv) words = g_strsplit(monitor_arg_str(args, "keys"), "-", -1);
    int64_t hold = monitor_arg_has(args, "hold-time")
                   ? monitor_arg_int(args, "hold-time") : 100;
    SendkeyRelease *r;
    GPtrArray *pressed = g_ptr_array_new();

    for (char **w = words; *w; w++) {
        const KeyInfo *key = **w ? sendkey_lookup(*w) : NULL;

        if (!key) {
            monitor_printf(mon, "invalid parameter: %s\n", *w);
            g_ptr_array_unref(pressed);
            return;
        }
        g_ptr_array_add(pressed, (gpointer)key);
    }
    if (hold < 0 || hold > 60000) {
        monitor_printf(mon, "Error: hold-time must be between 0 and 60000 "
                       "ms\n");
        g_ptr_array_unref(pressed);
        return;
    }
    for (guint i = 0; i < pressed->len; i++) {
        input_key_event(g_ptr_array_index(pressed, i), true);
    }
    r = g_new0(SendkeyRelease, 1);
    r->keys = pressed;
    g_timeout_add(hold, sendkey_release, r);
}

static const HMPCommand hmp_sendkey_commands[] = {
    { "sendkey", "keys:s,hold-time:i?", "keys [hold_ms]",
      "send keys to the VM (e.g. 'sendkey ctrl-alt-f1', default hold time="
      "100 ms)", hmp_sendkey },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, hmp_sendkey_commands)
