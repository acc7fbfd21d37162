/*
 * Keyboard input: keys by QEMU's key names ("a", "ctrl", "kp_enter"),
 * from a window or from the monitor's sendkey, to the machine's
 * keyboard.  Each key knows its PC scan codes (set 1, what the i8042
 * translates to, and set 2, what a PS/2 keyboard sends; 0xe0xx for the
 * extended keys) and its USB usage (which SDL reports as its scancode).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef UI_INPUT_H
#define UI_INPUT_H

#include "util/osdep.h"

typedef struct KeyInfo {
    const char *name;            /* QEMU's QKeyCode name */
    uint16_t set1;               /* 0xe0xx: after an 0xe0 prefix */
    uint16_t set2;
    uint16_t usb;                /* USB HID usage, SDL_Scancode */
} KeyInfo;

const KeyInfo *key_by_name(const char *name);
const KeyInfo *key_by_usb(unsigned usage);
/* The key whose set 1 code is code (sendkey's numeric keys, "0x1e"). */
const KeyInfo *key_by_set1(unsigned code);
/* Calls fn for every key, in table order. */
void key_foreach(void (*fn)(const KeyInfo *key, void *opaque), void *opaque);

/* The machine's keyboard (one; the last registered wins). */
typedef void (*KeyboardHandler)(void *opaque, const KeyInfo *key, bool down);
void input_register_keyboard(KeyboardHandler handler, void *opaque);
void input_unregister_keyboard(void *opaque);
/* A key went down or up; dropped without a keyboard. */
void input_key_event(const KeyInfo *key, bool down);

#endif
