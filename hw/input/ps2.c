/*
 * The PS/2 keyboard (see include/hw/input/ps2.h) and the byte queue
 * both PS/2 devices send through.  Command set from
 * IBM's Keyboard and Auxiliary Device Controller reference: every
 * command is acknowledged with 0xfa, reset adds the self-test result
 * 0xaa, an unknown command gets 0xfe (resend).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/input/ps2.h"
#include "ui/input.h"

#define KBD_CMD_SET_LEDS      0xed
#define KBD_CMD_ECHO          0xee
#define KBD_CMD_SCANCODE      0xf0
#define KBD_CMD_GET_ID        0xf2
#define KBD_CMD_SET_RATE      0xf3
#define KBD_CMD_ENABLE        0xf4
#define KBD_CMD_RESET_DISABLE 0xf5
#define KBD_CMD_RESET_ENABLE  0xf6
#define KBD_CMD_RESEND        0xfe
#define KBD_CMD_RESET         0xff

#define KBD_REPLY_ACK         0xfa
#define KBD_REPLY_POR         0xaa   /* basic assurance test passed */
#define KBD_REPLY_ID0         0xab   /* MF2 keyboard, translated: 0x83 */
#define KBD_REPLY_ID1         0x83
#define KBD_REPLY_RESEND      0xfe
#define KBD_REPLY_OVERRUN     0x00   /* set 2 (and translated set 1) */

#define SET2_BREAK            0xf0
#define SET1_BREAK            0x80

/* ---- the byte queue towards the controller ---- */

void ps2_queue_clear(PS2Queue *q)
{
    q->rptr = q->count = 0;
}

unsigned ps2_queue_space(const PS2Queue *q)
{
    return PS2_QUEUE_SIZE - q->count;
}

void ps2_queue_push(PS2Queue *q, uint8_t b)
{
    if (q->count == PS2_QUEUE_SIZE) {
        return;
    }
    q->data[(q->rptr + q->count) % PS2_QUEUE_SIZE] = b;
    q->count++;
}

bool ps2_queue_empty(const PS2Queue *q)
{
    return q->count == 0;
}

uint8_t ps2_queue_pop(PS2Queue *q)
{
    uint8_t b;

    if (!q->count) {
        return 0;
    }
    b = q->data[q->rptr];
    q->rptr = (q->rptr + 1) % PS2_QUEUE_SIZE;
    q->count--;
    return b;
}

/* ---- the keyboard ---- */

static void ps2_queue(PS2Keyboard *kbd, uint8_t b)
{
    if (ps2_queue_space(&kbd->queue) == 1) {
        /* The last free slot tells the host that keys were lost. */
        b = KBD_REPLY_OVERRUN;
    }
    ps2_queue_push(&kbd->queue, b);
}

static void ps2_key_event(void *opaque, const KeyInfo *key, bool down)
{
    PS2Keyboard *kbd = opaque;
    uint16_t code = kbd->scancode_set == 1 ? key->set1 : key->set2;

    if (!kbd->scanning) {
        return;
    }
    if (code >> 8) {
        ps2_queue(kbd, code >> 8);
    }
    if (kbd->scancode_set == 1) {
        ps2_queue(kbd, (code & 0xff) | (down ? 0 : SET1_BREAK));
    } else {
        if (!down) {
            ps2_queue(kbd, SET2_BREAK);
        }
        ps2_queue(kbd, code & 0xff);
    }
    kbd->notify(kbd->opaque);
}

bool ps2_kbd_has_data(const PS2Keyboard *kbd)
{
    return !ps2_queue_empty(&kbd->queue);
}

uint8_t ps2_kbd_read(PS2Keyboard *kbd)
{
    return ps2_queue_pop(&kbd->queue);
}

/* Power-on defaults (also F5 and F6): set 2, scanning on, LEDs off. */
static void ps2_kbd_defaults(PS2Keyboard *kbd)
{
    kbd->scancode_set = 2;
    kbd->leds = 0;
    kbd->scanning = true;
}

/* The argument byte of ED, F0 or F3. */
static void ps2_kbd_argument(PS2Keyboard *kbd, uint8_t cmd, uint8_t val)
{
    switch (cmd) {
    case KBD_CMD_SET_LEDS:
        kbd->leds = val & 7;
        ps2_queue(kbd, KBD_REPLY_ACK);
        break;
    case KBD_CMD_SCANCODE:
        ps2_queue(kbd, KBD_REPLY_ACK);
        if (val == 0) {
            /* Report the current set, in set 2's numbering. */
            ps2_queue(kbd, kbd->scancode_set);
        } else if (val == 1 || val == 2) {
            kbd->scancode_set = val;
        } else {
            emu_log_mask(LOG_UNIMP, "ps2: scan code set %u is not "
                         "supported, set %u stays\n", val,
                         kbd->scancode_set);
        }
        break;
    case KBD_CMD_SET_RATE:
        ps2_queue(kbd, KBD_REPLY_ACK);
        break;
    }
}

void ps2_kbd_write(PS2Keyboard *kbd, uint8_t val)
{
    uint8_t cmd = kbd->pending;

    kbd->pending = 0;
    /* A command byte ends the wait for an argument, as on the part. */
    if (cmd && val < KBD_CMD_SET_LEDS) {
        ps2_kbd_argument(kbd, cmd, val);
        kbd->notify(kbd->opaque);
        return;
    }
    switch (val) {
    case KBD_CMD_SET_LEDS:
    case KBD_CMD_SCANCODE:
    case KBD_CMD_SET_RATE:
        kbd->pending = val;
        ps2_queue(kbd, KBD_REPLY_ACK);
        break;
    case KBD_CMD_ECHO:
        ps2_queue(kbd, KBD_CMD_ECHO);
        break;
    case KBD_CMD_GET_ID:
        ps2_queue(kbd, KBD_REPLY_ACK);
        ps2_queue(kbd, KBD_REPLY_ID0);
        ps2_queue(kbd, KBD_REPLY_ID1);
        break;
    case KBD_CMD_ENABLE:
        ps2_queue_clear(&kbd->queue);
        kbd->scanning = true;
        ps2_queue(kbd, KBD_REPLY_ACK);
        break;
    case KBD_CMD_RESET_DISABLE:
        ps2_queue_clear(&kbd->queue);
        ps2_kbd_defaults(kbd);
        kbd->scanning = false;
        ps2_queue(kbd, KBD_REPLY_ACK);
        break;
    case KBD_CMD_RESET_ENABLE:
        ps2_queue_clear(&kbd->queue);
        ps2_kbd_defaults(kbd);
        ps2_queue(kbd, KBD_REPLY_ACK);
        break;
    case KBD_CMD_RESET:
        ps2_queue_clear(&kbd->queue);
        ps2_kbd_defaults(kbd);
        ps2_queue(kbd, KBD_REPLY_ACK);
        ps2_queue(kbd, KBD_REPLY_POR);
        break;
    default:
        ps2_queue(kbd, KBD_REPLY_RESEND);
        break;
    }
    kbd->notify(kbd->opaque);
}

void ps2_kbd_reset(PS2Keyboard *kbd)
{
    ps2_queue_clear(&kbd->queue);
    kbd->pending = 0;
    ps2_kbd_defaults(kbd);
}

void ps2_kbd_init(PS2Keyboard *kbd, void (*notify)(void *), void *opaque)
{
    kbd->notify = notify;
    kbd->opaque = opaque;
    ps2_kbd_reset(kbd);
    input_register_keyboard(ps2_key_event, kbd);
}

void ps2_kbd_exit(PS2Keyboard *kbd)
{
    input_unregister_keyboard(kbd);
}
