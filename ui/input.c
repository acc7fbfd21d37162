/*
 * The machine's keyboard and mice (see include/ui/input.h), and the
 * monitor's mouse commands: mouse_move, mouse_button, mouse_set and
 * info mice, as QEMU has them.  Input devices are numbered in the
 * order they register, from 1, as QEMU numbers its input handlers (the
 * PC's PS/2 keyboard is 1, its mouse 2).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "monitor/monitor.h"
#include "ui/input.h"

static int next_input_index = 1;

/* ---- the keyboard ---- */

static KeyboardHandler keyboard_handler;
static void *keyboard_opaque;

void input_register_keyboard(KeyboardHandler handler, void *opaque)
{
    keyboard_handler = handler;
    keyboard_opaque = opaque;
    next_input_index++;
}

void input_unregister_keyboard(void *opaque)
{
    if (keyboard_opaque == opaque) {
        keyboard_handler = NULL;
        keyboard_opaque = NULL;
    }
}

void input_key_event(const KeyInfo *key, bool down)
{
    if (keyboard_handler) {
        keyboard_handler(keyboard_opaque, key, down);
    }
}

/* ---- mice ---- */

typedef struct Mouse {
    int index;
    const char *name;
    MouseHandler handler;
    void *opaque;
} Mouse;

static GPtrArray *mice;          /* Mouse *, in registration order */
static Mouse *current_mouse;
static unsigned mouse_buttons;   /* the last event's, for mouse_move */

void input_register_mouse(const char *name, MouseHandler handler,
                          void *opaque)
{
    Mouse *m = g_new0(Mouse, 1);

    m->index = next_input_index++;
    m->name = name;
    m->handler = handler;
    m->opaque = opaque;
    if (!mice) {
        mice = g_ptr_array_new_with_free_func(g_free);
    }
    g_ptr_array_add(mice, m);
    current_mouse = m;
}

void input_unregister_mouse(void *opaque)
{
    for (guint i = 0; mice && i < mice->len; i++) {
        Mouse *m = g_ptr_array_index(mice, i);

        if (m->opaque == opaque) {
            if (current_mouse == m) {
                current_mouse = NULL;
            }
            g_ptr_array_remove_index(mice, i);
            break;
        }
    }
    if (!current_mouse && mice && mice->len) {
        current_mouse = g_ptr_array_index(mice, mice->len - 1);
    }
}

void input_mouse_event(int dx, int dy, int dz, unsigned buttons)
{
    mouse_buttons = buttons;
    if (current_mouse) {
        current_mouse->handler(current_mouse->opaque, dx, dy, dz, buttons);
    }
}

/* ---- monitor ---- */

/* QEMU reads mouse_move's numbers as words with strtol (so they may be
 * negative, which the monitor's 32-bit integers refuse, and a word that is
 * no number is 0); motion beyond an int is clamped. */
static int motion_arg(const MonitorArgs *args, const char *name)
{
    long v = strtol(monitor_arg_str(args, name), NULL, 0);

    return CLAMP(v, -INT_MAX, INT_MAX);
}

static void hmp_mouse_move(Monitor *mon, const MonitorArgs *args)
{
    int dz = 0;

    /* As with QEMU, a wheel argument is one click, up when positive. */
    if (monitor_arg_has(args, "dz")) {
        dz = CLAMP(motion_arg(args, "dz"), -1, 1);
    }
    input_mouse_event(motion_arg(args, "dx"), motion_arg(args, "dy"), dz,
                      mouse_buttons);
}

static void hmp_mouse_button(Monitor *mon, const MonitorArgs *args)
{
    unsigned state = monitor_arg_int(args, "state");

    input_mouse_event(0, 0, 0, state & (MOUSE_BUTTON_LEFT |
                                         MOUSE_BUTTON_RIGHT |
                                         MOUSE_BUTTON_MIDDLE));
}

static void hmp_mouse_set(Monitor *mon, const MonitorArgs *args)
{
    int64_t index = monitor_arg_int(args, "index");

    for (guint i = 0; mice && i < mice->len; i++) {
        Mouse *m = g_ptr_array_index(mice, i);

        if (m->index == index) {
            current_mouse = m;
            return;
        }
    }
    monitor_printf(mon, "Mouse at index '%" PRId64 "' not found\n", index);
}

static void hmp_info_mice(Monitor *mon, const MonitorArgs *args)
{
    if (!mice || !mice->len) {
        monitor_printf(mon, "No mouse devices connected\n");
        return;
    }
    for (guint i = 0; i < mice->len; i++) {
        Mouse *m = g_ptr_array_index(mice, i);

        monitor_printf(mon, "%c Mouse #%d: %s\n",
                       m == current_mouse ? '*' : ' ', m->index, m->name);
    }
}

static const HMPCommand hmp_mouse_commands[] = {
    { "mouse_move", "dx:s,dy:s,dz:s?", "dx dy [dz]",
      "send mouse move events", hmp_mouse_move },
    /* (QEMU's help says 2=M, 4=R; its buttons are as here.) */
    { "mouse_button", "state:i", "state",
      "change mouse button state (1=L, 2=R, 4=M)", hmp_mouse_button },
    { "mouse_set", "index:i", "index",
      "set which mouse device receives events", hmp_mouse_set },
};

static const HMPCommand hmp_mouse_info_commands[] = {
    { "mice", "", "", "show which guest mouse is receiving events",
      hmp_info_mice },
};

DEFINE_HMP_COMMANDS(HMP_TABLE_TOP, hmp_mouse_commands)
DEFINE_HMP_COMMANDS(HMP_TABLE_INFO, hmp_mouse_info_commands)
