/*
 * -display sdl: an SDL2 window showing console 0, redrawn every 30 ms
 * from the main loop (SDL wants the thread that made the window, which
 * is the main loop's).  Keys go to the machine's keyboard by their USB
 * usage.  The machine's mouse is relative, so as with QEMU the window
 * sends motion only while it holds the pointer: a left click in the
 * window grabs it (SDL's relative mode: the host pointer hidden and
 * confined), Ctrl-Alt-G grabs and releases keyboard and pointer.
 * Closing the window quits, as with QEMU.  The title names the guest (-name) or the board,
 * with "[Paused]" while the machine is stopped.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include <SDL.h>
#include "hw/boards.h"
#include "sysemu/process.h"
#include "sysemu/runstate.h"
#include "ui/console.h"
#include "ui/input.h"

#define SDL_REFRESH_MS 30
#define SDL_GRAB_KEY   SDL_SCANCODE_G

typedef struct SDLDisplay {
    SDL_Window *window;
    SDL_Renderer *renderer;
    SDL_Texture *texture;
    int width, height;           /* of the texture */
    bool grabbed;
    bool ctrl_down, alt_down;    /* the host's modifiers, for the hot key */
    unsigned buttons;            /* MOUSE_BUTTON_*, while grabbed */
} SDLDisplay;

static SDLDisplay sdl;

static void sdl_update_title(void)
{
    g_autofree char *board = NULL;
    g_autofree char *title = NULL;
    const char *name = vm_name();

    if (!name) {
        board = machine_class_display_name(OBJECT(current_machine)->klass);
        name = board;
    }
    title = g_strdup_printf("emu (%s)%s%s", name,
                            sdl.grabbed ? " - Press Ctrl-Alt-G to exit grab"
                                        : "",
                            runstate_is_running() ? "" : " [Paused]");
    SDL_SetWindowTitle(sdl.window, title);
}

static void sdl_vm_state_changed(void *opaque, bool running)
{
    sdl_update_title();
}

static void sdl_set_grab(bool grab)
{
    sdl.grabbed = grab;
    SDL_SetWindowKeyboardGrab(sdl.window, grab);
    SDL_SetRelativeMouseMode(grab);
    if (!grab && sdl.buttons) {
        /* Buttons held when the grab ends must not stay down. */
        sdl.buttons = 0;
        input_mouse_event(0, 0, 0, 0);
    }
    sdl_update_title();
}

static void sdl_key(const SDL_KeyboardEvent *ev)
{
    bool down = ev->type == SDL_KEYDOWN;
    SDL_Scancode code = ev->keysym.scancode;
    const KeyInfo *key;

    if (code == SDL_SCANCODE_LCTRL || code == SDL_SCANCODE_RCTRL) {
        sdl.ctrl_down = down;
    } else if (code == SDL_SCANCODE_LALT || code == SDL_SCANCODE_RALT) {
        sdl.alt_down = down;
    }
    /* Ctrl-Alt-G is the window's; the guest does not see the G. */
    if (code == SDL_GRAB_KEY && sdl.ctrl_down && sdl.alt_down) {
        if (down && !ev->repeat) {
            sdl_set_grab(!sdl.grabbed);
        }
        return;
    }
    key = key_by_usb(code);
    if (key) {
        input_key_event(key, down);
    }
}

static unsigned sdl_button_bit(uint8_t button)
{
    switch (button) {
    case SDL_BUTTON_LEFT:
        return MOUSE_BUTTON_LEFT;
    case SDL_BUTTON_MIDDLE:
        return MOUSE_BUTTON_MIDDLE;
    case SDL_BUTTON_RIGHT:
        return MOUSE_BUTTON_RIGHT;
    case SDL_BUTTON_X1:
        return MOUSE_BUTTON_SIDE;
    case SDL_BUTTON_X2:
        return MOUSE_BUTTON_EXTRA;
    default:
        return 0;
    }
}

static void sdl_mouse_button(const SDL_MouseButtonEvent *ev)
{
    unsigned bit = sdl_button_bit(ev->button);

    if (!sdl.grabbed) {
        /* The click that grabs is the window's, not the guest's. */
        if (ev->type == SDL_MOUSEBUTTONUP && ev->button == SDL_BUTTON_LEFT) {
            sdl_set_grab(true);
        }
        return;
    }
    if (ev->type == SDL_MOUSEBUTTONDOWN) {
        sdl.buttons |= bit;
    } else {
        sdl.buttons &= ~bit;
    }
    input_mouse_event(0, 0, 0, sdl.buttons);
}

static void sdl_mouse_wheel(const SDL_MouseWheelEvent *ev)
{
    int clicks = ev->direction == SDL_MOUSEWHEEL_FLIPPED ? -ev->y : ev->y;

    if (sdl.grabbed && clicks) {
        input_mouse_event(0, 0, clicks, sdl.buttons);
    }
}

/* The picture of console 0, the window following its size. */
static void sdl_redraw(void)
{
    DisplayConsole *con = console_by_index(0);
    pixman_image_t *img;
    int w, h;

    if (!con) {
        return;
    }
    console_update(con);
    img = console_surface(con);
    if (!img) {
        return;
    }
    w = pixman_image_get_width(img);
    h = pixman_image_get_height(img);
    if (!sdl.texture || w != sdl.width || h != sdl.height) {
        if (sdl.texture) {
            SDL_DestroyTexture(sdl.texture);
        }
        sdl.texture = SDL_CreateTexture(sdl.renderer, SDL_PIXELFORMAT_RGB888,
                                        SDL_TEXTUREACCESS_STREAMING, w, h);
        sdl.width = w;
        sdl.height = h;
        SDL_SetWindowSize(sdl.window, w, h);
    }
    if (!sdl.texture) {
        return;
    }
    SDL_UpdateTexture(sdl.texture, NULL, pixman_image_get_data(img),
                      pixman_image_get_stride(img));
    SDL_RenderClear(sdl.renderer);
    SDL_RenderCopy(sdl.renderer, sdl.texture, NULL, NULL);
    SDL_RenderPresent(sdl.renderer);
}

static gboolean sdl_refresh(gpointer opaque)
{
    SDL_Event ev;

    while (SDL_PollEvent(&ev)) {
        switch (ev.type) {
        case SDL_KEYDOWN:
        case SDL_KEYUP:
            sdl_key(&ev.key);
            break;
        case SDL_MOUSEMOTION:
            if (sdl.grabbed) {
                input_mouse_event(ev.motion.xrel, ev.motion.yrel, 0,
                                  sdl.buttons);
            }
            break;
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEBUTTONUP:
            sdl_mouse_button(&ev.button);
            break;
        case SDL_MOUSEWHEEL:
            sdl_mouse_wheel(&ev.wheel);
            break;
        case SDL_QUIT:
            system_shutdown_request(SHUTDOWN_CAUSE_HOST_UI);
            break;
        case SDL_WINDOWEVENT:
            if (ev.window.event == SDL_WINDOWEVENT_FOCUS_LOST) {
                /* Keys held when the focus went stay held otherwise. */
                sdl.ctrl_down = sdl.alt_down = false;
            }
            break;
        default:
            break;
        }
    }
    sdl_redraw();
    return G_SOURCE_CONTINUE;
}

static bool sdl_display_init(Error **errp)
{
    const char *driver;

    /* emu handles SIGINT and SIGTERM itself. */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        error_setg(errp, "could not initialize SDL (%s): is there a host "
                   "display ($DISPLAY)?", SDL_GetError());
        error_append_hint(errp, "Use -display none or -nographic to run "
                          "without a window.\n");
        return false;
    }
    driver = SDL_GetCurrentVideoDriver();
    if (driver && (!strcmp(driver, "offscreen") || !strcmp(driver, "dummy")) &&
        !getenv("SDL_VIDEODRIVER")) {
        /* SDL's fallbacks show nothing: no window is a clear error. */
        error_setg(errp, "could not initialize SDL (no host display: SDL "
                   "found only its '%s' video driver)", driver);
        error_append_hint(errp, "Set DISPLAY or WAYLAND_DISPLAY, or use "
                          "-display none or -nographic.\n");
        SDL_Quit();
        return false;
    }
    sdl.window = SDL_CreateWindow("emu", SDL_WINDOWPOS_UNDEFINED,
                                  SDL_WINDOWPOS_UNDEFINED, 640, 480, 0);
    if (sdl.window) {
        sdl.renderer = SDL_CreateRenderer(sdl.window, -1, 0);
    }
    if (!sdl.renderer) {
        error_setg(errp, "could not open an SDL window: %s", SDL_GetError());
        if (sdl.window) {
            SDL_DestroyWindow(sdl.window);
            sdl.window = NULL;
        }
        SDL_Quit();
        return false;
    }
    sdl_update_title();
    vm_add_change_state_handler(sdl_vm_state_changed, NULL);
    g_timeout_add(SDL_REFRESH_MS, sdl_refresh, NULL);
    return true;
}

static const DisplayBackend sdl_backend = {
    .name = "sdl",
    .init = sdl_display_init,
};

static void __attribute__((constructor)) sdl_register(void)
{
    display_backend_register(&sdl_backend);
}
