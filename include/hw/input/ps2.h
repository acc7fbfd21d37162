/*
 * A PS/2 keyboard as the i8042 sees it: a byte queue towards the
 * controller (scan codes, command replies) and the keyboard's own
 * commands (reset, identify, scan code set, LEDs, typematic, enable).
 * It sends scan code set 2 unless the guest picks set 1; the i8042
 * translates to set 1 when its command byte says so.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_INPUT_PS2_H
#define HW_INPUT_PS2_H

#include "util/osdep.h"

#define PS2_QUEUE_SIZE 16

typedef struct PS2Keyboard {
    uint8_t queue[PS2_QUEUE_SIZE];
    unsigned rptr, count;
    uint8_t pending;             /* command waiting for its argument */
    uint8_t scancode_set;        /* 1 or 2 */
    bool scanning;               /* keys reported (F4 / F5) */
    uint8_t leds;
    /* Told when bytes were queued, so the controller can fetch them. */
    void (*notify)(void *opaque);
    void *opaque;
} PS2Keyboard;

/* Registers the keyboard as the machine's (ui/input.h). */
void ps2_kbd_init(PS2Keyboard *kbd, void (*notify)(void *), void *opaque);
void ps2_kbd_exit(PS2Keyboard *kbd);
void ps2_kbd_reset(PS2Keyboard *kbd);
/* A byte from the controller to the keyboard. */
void ps2_kbd_write(PS2Keyboard *kbd, uint8_t val);
bool ps2_kbd_has_data(const PS2Keyboard *kbd);
uint8_t ps2_kbd_read(PS2Keyboard *kbd);

#endif
