/*
 * The PS/2 devices behind the i8042: each has a byte queue towards the
 * controller (codes, packets, command replies) and answers the bytes
 * the controller passes it.
 *
 * The keyboard (hw/input/ps2.c) sends scan code set 2 unless the guest
 * picks set 1; the i8042 translates to set 1 when its command byte
 * says so.
 *
 * The mouse (hw/input/ps2-mouse.c) is a relative pointer with three
 * buttons that becomes an IntelliMouse (wheel, ID 3) or IntelliMouse
 * Explorer (wheel and two more buttons, ID 4) when the guest knocks
 * with the sample-rate sequences those mice know, as Linux's psmouse
 * does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_INPUT_PS2_H
#define HW_INPUT_PS2_H

#include "util/osdep.h"

#define PS2_QUEUE_SIZE 16

typedef struct PS2Queue {
    uint8_t data[PS2_QUEUE_SIZE];
    unsigned rptr, count;
} PS2Queue;

void ps2_queue_clear(PS2Queue *q);
/* Room left, in bytes. */
unsigned ps2_queue_space(const PS2Queue *q);
/* Appends b; dropped when the queue is full. */
void ps2_queue_push(PS2Queue *q, uint8_t b);
bool ps2_queue_empty(const PS2Queue *q);
/* The oldest byte (0 when empty). */
uint8_t ps2_queue_pop(PS2Queue *q);

typedef struct PS2Keyboard {
    PS2Queue queue;
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

typedef struct PS2Mouse {
    PS2Queue queue;
    uint8_t pending;             /* command waiting for its argument */
    uint8_t id;                  /* 0, 3 or 4: the packet format */
    uint8_t sample_rate;         /* reports per second (not paced) */
    uint8_t resolution;          /* 0-3: 1, 2, 4, 8 counts per mm */
    uint8_t rate_knock[3];       /* the last three sample rates set */
    bool scaling_2to1;
    bool reporting;              /* stream mode packets on (F4 / F5) */
    bool remote;                 /* remote mode: packets on request only */
    bool wrap;                   /* echo mode (EE), left with EC or FF */
    /* Motion not reported yet: x right, y up, z wheel (down positive). */
    int dx, dy, dz;
    uint8_t buttons;             /* MOUSE_BUTTON_* (ui/input.h) */
    bool buttons_changed;
    void (*notify)(void *opaque);
    void *opaque;
} PS2Mouse;

/* Registers the mouse as the machine's (ui/input.h). */
void ps2_mouse_init(PS2Mouse *mouse, void (*notify)(void *), void *opaque);
void ps2_mouse_exit(PS2Mouse *mouse);
void ps2_mouse_reset(PS2Mouse *mouse);
/* A byte from the controller to the mouse (i8042 command 0xd4). */
void ps2_mouse_write(PS2Mouse *mouse, uint8_t val);
bool ps2_mouse_has_data(const PS2Mouse *mouse);
uint8_t ps2_mouse_read(PS2Mouse *mouse);

#endif
