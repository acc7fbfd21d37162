/*
 * Input: keys and mouse motion from a window or from the monitor
 * (sendkey, mouse_move, mouse_button) to the machine's keyboard and
 * mouse (ui/input.c).  Keys go by QEMU's key names ("a", "ctrl",
 * "kp_enter"); ui/input-keys.c holds the table.  Each key knows its PC scan codes (set 1, what the i8042
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

/* Mouse buttons, the bits of the monitor's mouse_button (and of a PS/2
 * packet's first byte). */
#define MOUSE_BUTTON_LEFT    0x01
#define MOUSE_BUTTON_RIGHT   0x02
#define MOUSE_BUTTON_MIDDLE  0x04
#define MOUSE_BUTTON_SIDE    0x08    /* "back", the fourth button */
#define MOUSE_BUTTON_EXTRA   0x10    /* "forward", the fifth */

/* The machine's mouse: relative motion in counts (x right, y down),
 * wheel clicks (positive: away from the user) and the state of every
 * button.  The last registered mouse gets the events (`info mice`,
 * `mouse_set`). */
typedef void (*MouseHandler)(void *opaque, int dx, int dy, int dz,
                             unsigned buttons);
void input_register_mouse(const char *name, MouseHandler handler,
                          void *opaque);
void input_unregister_mouse(void *opaque);
/* Dropped without a mouse. */
void input_mouse_event(int dx, int dy, int dz, unsigned buttons);

#endif
