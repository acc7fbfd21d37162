/*
 * The PS/2 mouse (see include/hw/input/ps2.h).  Commands and packet
 * formats from IBM's Keyboard and Auxiliary Device Controller reference
 * and Microsoft's IntelliMouse extensions: every command is
 * acknowledged with 0xfa, an unknown one gets 0xfe (resend).
 *
 * Packets go out as soon as there is motion or a button change and
 * room in the queue; motion that does not fit a packet (more than
 * 255 counts, or a queue the guest has not drained) stays in the
 * counters for the next one.  The sample rate and resolution are kept
 * for the guest to read back but pace and scale nothing, as with QEMU.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/log.h"
#include "hw/input/ps2.h"
#include "ui/input.h"

#define MOUSE_CMD_SCALING_1TO1  0xe6
#define MOUSE_CMD_SCALING_2TO1  0xe7
#define MOUSE_CMD_SET_RES       0xe8
#define MOUSE_CMD_STATUS        0xe9
#define MOUSE_CMD_STREAM_MODE   0xea
#define MOUSE_CMD_READ_DATA     0xeb
#define MOUSE_CMD_RESET_WRAP    0xec
#define MOUSE_CMD_WRAP_MODE     0xee
#define MOUSE_CMD_REMOTE_MODE   0xf0
#define MOUSE_CMD_GET_ID        0xf2
#define MOUSE_CMD_SET_RATE      0xf3
#define MOUSE_CMD_ENABLE        0xf4
#define MOUSE_CMD_DISABLE       0xf5
#define MOUSE_CMD_DEFAULTS      0xf6
#define MOUSE_CMD_RESEND        0xfe
#define MOUSE_CMD_RESET         0xff

#define MOUSE_REPLY_ACK         0xfa
#define MOUSE_REPLY_POR         0xaa   /* basic assurance test passed */
#define MOUSE_REPLY_RESEND      0xfe

/* Device IDs: the packet format. */
#define MOUSE_ID_STANDARD       0x00   /* 3 bytes, 3 buttons */
#define MOUSE_ID_WHEEL          0x03   /* 4th byte: wheel */
#define MOUSE_ID_5BUTTON        0x04   /* 4th byte: wheel, buttons 4 and 5 */

/* First packet byte; the status byte of E9 puts the buttons in the
 * other order (left in bit 2, right in bit 0). */
#define PKT_ALWAYS_ONE          0x08
#define PKT_X_SIGN              0x10
#define PKT_Y_SIGN              0x20
#define STATUS_RIGHT            0x01
#define STATUS_MIDDLE           0x02
#define STATUS_LEFT             0x04
#define STATUS_SCALING_2TO1     0x10
#define STATUS_REPORTING        0x20
#define STATUS_REMOTE           0x40
/* The 4th byte of an ID 4 packet: the wheel in bits 0-3, then. */
#define PKT4_BUTTON4            0x10
#define PKT4_BUTTON5            0x20

#define DEFAULT_SAMPLE_RATE     100
#define DEFAULT_RESOLUTION      2       /* 4 counts per mm */

/* How far one packet can carry: 9-bit signed x and y, the wheel in
 * 8 bits (ID 3) or 4 bits (ID 4). */
#define MOTION_MAX              255
#define WHEEL_MAX_ID3           127
#define WHEEL_MAX_ID4           7
/* Motion the counters hold at most; more is dropped. */
#define COUNTER_MAX             (1 << 20)

static unsigned packet_size(const PS2Mouse *mouse)
{
    return mouse->id == MOUSE_ID_STANDARD ? 3 : 4;
}

/* Queues one packet of the pending motion and buttons, taking what it
 * carries off the counters. */
static void ps2_mouse_queue_packet(PS2Mouse *mouse)
{
    int wheel_max = mouse->id == MOUSE_ID_5BUTTON ? WHEEL_MAX_ID4
                                                  : WHEEL_MAX_ID3;
    int x = CLAMP(mouse->dx, -MOTION_MAX, MOTION_MAX);
    int y = CLAMP(mouse->dy, -MOTION_MAX, MOTION_MAX);
    int z = CLAMP(mouse->dz, -wheel_max, wheel_max);
    uint8_t b0 = PKT_ALWAYS_ONE |
                 (mouse->buttons & (MOUSE_BUTTON_LEFT | MOUSE_BUTTON_RIGHT |
                                    MOUSE_BUTTON_MIDDLE)) |
                 (x < 0 ? PKT_X_SIGN : 0) | (y < 0 ? PKT_Y_SIGN : 0);

    ps2_queue_push(&mouse->queue, b0);
    ps2_queue_push(&mouse->queue, x & 0xff);
    ps2_queue_push(&mouse->queue, y & 0xff);
    if (mouse->id == MOUSE_ID_WHEEL) {
        ps2_queue_push(&mouse->queue, z & 0xff);
    } else if (mouse->id == MOUSE_ID_5BUTTON) {
        ps2_queue_push(&mouse->queue, (z & 0x0f) |
                       (mouse->buttons & MOUSE_BUTTON_SIDE ? PKT4_BUTTON4 : 0) |
                       (mouse->buttons & MOUSE_BUTTON_EXTRA ? PKT4_BUTTON5 : 0));
    }
    mouse->dx -= x;
    mouse->dy -= y;
    mouse->dz -= z;
    mouse->buttons_changed = false;
}

static bool motion_pending(const PS2Mouse *mouse)
{
    return mouse->dx || mouse->dy || mouse->dz || mouse->buttons_changed;
}

/* Stream mode: packets while there is something to report and room. */
static void ps2_mouse_stream(PS2Mouse *mouse)
{
    if (!mouse->reporting || mouse->remote || mouse->wrap) {
        return;
    }
    while (motion_pending(mouse) &&
           ps2_queue_space(&mouse->queue) >= packet_size(mouse)) {
        ps2_mouse_queue_packet(mouse);
    }
}

static void ps2_mouse_clear_motion(PS2Mouse *mouse)
{
    mouse->dx = mouse->dy = mouse->dz = 0;
    mouse->buttons_changed = false;
}

static void ps2_mouse_event(void *opaque, int dx, int dy, int dz,
                            unsigned buttons)
{
    PS2Mouse *mouse = opaque;

    /* A disabled mouse in stream mode reports nothing later either. */
    if (!mouse->reporting && !mouse->remote) {
        mouse->buttons = buttons;
        return;
    }
    /* PS/2's y grows upwards, its wheel towards the user. */
    mouse->dx = CLAMP(mouse->dx + (int64_t)dx, -COUNTER_MAX, COUNTER_MAX);
    mouse->dy = CLAMP(mouse->dy - (int64_t)dy, -COUNTER_MAX, COUNTER_MAX);
    if (mouse->id != MOUSE_ID_STANDARD) {
        /* (A standard mouse has no wheel.) */
        mouse->dz = CLAMP(mouse->dz - (int64_t)dz, -COUNTER_MAX,
                          COUNTER_MAX);
    }
    if (mouse->buttons != buttons) {
        mouse->buttons = buttons;
        mouse->buttons_changed = true;
    }
    ps2_mouse_stream(mouse);
    mouse->notify(mouse->opaque);
}

bool ps2_mouse_has_data(const PS2Mouse *mouse)
{
    return !ps2_queue_empty(&mouse->queue);
}

uint8_t ps2_mouse_read(PS2Mouse *mouse)
{
    uint8_t b = ps2_queue_pop(&mouse->queue);

    /* Motion held back for want of room goes out now. */
    ps2_mouse_stream(mouse);
    return b;
}

/* Power-on defaults (also F6 and FF): stream mode, reporting off. */
static void ps2_mouse_defaults(PS2Mouse *mouse)
{
    mouse->sample_rate = DEFAULT_SAMPLE_RATE;
    mouse->resolution = DEFAULT_RESOLUTION;
    mouse->scaling_2to1 = false;
    mouse->reporting = false;
    mouse->remote = false;
    ps2_mouse_clear_motion(mouse);
}

/* Setting the sample rates 200, 100, 80 in a row turns a standard
 * mouse into a wheel mouse; 200, 200, 80 then turns a wheel mouse into
 * a five-button one (what Linux's psmouse and Windows probe with). */
static void ps2_mouse_set_rate(PS2Mouse *mouse, uint8_t rate)
{
    const uint8_t *k = mouse->rate_knock;

    mouse->sample_rate = rate;
    mouse->rate_knock[0] = k[1];
    mouse->rate_knock[1] = k[2];
    mouse->rate_knock[2] = rate;
    if (k[0] == 200 && k[1] == 100 && k[2] == 80 &&
        mouse->id == MOUSE_ID_STANDARD) {
        mouse->id = MOUSE_ID_WHEEL;
    } else if (k[0] == 200 && k[1] == 200 && k[2] == 80 &&
               mouse->id == MOUSE_ID_WHEEL) {
        mouse->id = MOUSE_ID_5BUTTON;
    }
}

/* The argument byte of E8 or F3. */
static void ps2_mouse_argument(PS2Mouse *mouse, uint8_t cmd, uint8_t val)
{
    ps2_queue_push(&mouse->queue, MOUSE_REPLY_ACK);
    if (cmd == MOUSE_CMD_SET_RES) {
        mouse->resolution = val & 3;
        ps2_mouse_clear_motion(mouse);
    } else {
        ps2_mouse_set_rate(mouse, val);
    }
}

static uint8_t ps2_mouse_status(const PS2Mouse *mouse)
{
    return (mouse->remote ? STATUS_REMOTE : 0) |
           (mouse->reporting ? STATUS_REPORTING : 0) |
           (mouse->scaling_2to1 ? STATUS_SCALING_2TO1 : 0) |
           (mouse->buttons & MOUSE_BUTTON_LEFT ? STATUS_LEFT : 0) |
           (mouse->buttons & MOUSE_BUTTON_MIDDLE ? STATUS_MIDDLE : 0) |
           (mouse->buttons & MOUSE_BUTTON_RIGHT ? STATUS_RIGHT : 0);
}

static void ps2_mouse_command(PS2Mouse *mouse, uint8_t val)
{
    PS2Queue *q = &mouse->queue;

    switch (val) {
    case MOUSE_CMD_SET_RES:
    case MOUSE_CMD_SET_RATE:
        mouse->pending = val;
        ps2_queue_push(q, MOUSE_REPLY_ACK);
        break;
    case MOUSE_CMD_SCALING_1TO1:
    case MOUSE_CMD_SCALING_2TO1:
        mouse->scaling_2to1 = val == MOUSE_CMD_SCALING_2TO1;
        ps2_queue_push(q, MOUSE_REPLY_ACK);
        break;
    case MOUSE_CMD_STATUS:
        ps2_queue_push(q, MOUSE_REPLY_ACK);
        ps2_queue_push(q, ps2_mouse_status(mouse));
        ps2_queue_push(q, mouse->resolution);
        ps2_queue_push(q, mouse->sample_rate);
        break;
    case MOUSE_CMD_STREAM_MODE:
    case MOUSE_CMD_REMOTE_MODE:
        mouse->remote = val == MOUSE_CMD_REMOTE_MODE;
        ps2_mouse_clear_motion(mouse);
        ps2_queue_push(q, MOUSE_REPLY_ACK);
        break;
    case MOUSE_CMD_READ_DATA:
        /* One packet, even without motion, in either mode. */
        ps2_queue_push(q, MOUSE_REPLY_ACK);
        ps2_mouse_queue_packet(mouse);
        break;
    case MOUSE_CMD_RESET_WRAP:
        ps2_queue_push(q, MOUSE_REPLY_ACK);
        break;
    case MOUSE_CMD_WRAP_MODE:
        mouse->wrap = true;
        ps2_mouse_clear_motion(mouse);
        ps2_queue_push(q, MOUSE_REPLY_ACK);
        break;
    case MOUSE_CMD_GET_ID:
        ps2_queue_push(q, MOUSE_REPLY_ACK);
        ps2_queue_push(q, mouse->id);
        break;
    case MOUSE_CMD_ENABLE:
    case MOUSE_CMD_DISABLE:
        ps2_queue_clear(q);
        mouse->reporting = val == MOUSE_CMD_ENABLE;
        ps2_mouse_clear_motion(mouse);
        ps2_queue_push(q, MOUSE_REPLY_ACK);
        break;
    case MOUSE_CMD_DEFAULTS:
        ps2_queue_clear(q);
        ps2_mouse_defaults(mouse);
        ps2_queue_push(q, MOUSE_REPLY_ACK);
        break;
    case MOUSE_CMD_RESET:
        ps2_queue_clear(q);
        ps2_mouse_reset(mouse);
        ps2_queue_push(q, MOUSE_REPLY_ACK);
        ps2_queue_push(q, MOUSE_REPLY_POR);
        ps2_queue_push(q, mouse->id);
        break;
    default:
        emu_log_mask(LOG_UNIMP, "ps2-mouse: unknown command 0x%02x\n", val);
        ps2_queue_push(q, MOUSE_REPLY_RESEND);
        break;
    }
}

void ps2_mouse_write(PS2Mouse *mouse, uint8_t val)
{
    uint8_t cmd = mouse->pending;

    mouse->pending = 0;
    if (mouse->wrap && val != MOUSE_CMD_RESET &&
        val != MOUSE_CMD_RESET_WRAP) {
        /* Wrap mode: everything but the two ways out comes back. */
        ps2_queue_push(&mouse->queue, val);
    } else if (cmd && val < MOUSE_CMD_SCALING_1TO1) {
        /* (A command byte instead ends the wait for an argument.) */
        ps2_mouse_argument(mouse, cmd, val);
    } else {
        mouse->wrap = false;
        ps2_mouse_command(mouse, val);
    }
    mouse->notify(mouse->opaque);
}

void ps2_mouse_reset(PS2Mouse *mouse)
{
    ps2_queue_clear(&mouse->queue);
    mouse->pending = 0;
    mouse->id = MOUSE_ID_STANDARD;
    mouse->wrap = false;
    memset(mouse->rate_knock, 0, sizeof(mouse->rate_knock));
    ps2_mouse_defaults(mouse);
}

void ps2_mouse_init(PS2Mouse *mouse, void (*notify)(void *), void *opaque)
{
    mouse->notify = notify;
    mouse->opaque = opaque;
    mouse->buttons = 0;
    ps2_mouse_reset(mouse);
    /* QEMU's name, so that `info mice` reads as QEMU's. */
    input_register_mouse("QEMU PS/2 Mouse", ps2_mouse_event, mouse);
}

void ps2_mouse_exit(PS2Mouse *mouse)
{
    input_unregister_mouse(mouse);
}
