/*
 * A push button wired to a GPIO line, as QEMU's "gpio-key": a press
 * (gpio-in 0 going high) drives the line high and lets it go 100 ms of
 * virtual time later, as a finger would.  QEMU's virt board puts one on
 * line 3 of its PL061 and presses it for system_powerdown; the guest's
 * gpio-keys driver sees KEY_POWER go down and up again.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/gpio/gpio-key.h"
#include "hw/sysbus.h"
#include "sysemu/timer.h"

#define GPIO_KEY_PRESS_NS (100 * 1000 * 1000)

typedef struct GPIOKeyState {
    SysBusDevice parent_obj;
    IRQLine *line;
    EmuTimer *release;
} GPIOKeyState;

#define GPIO_KEY(obj) INSTANCE_CAST(GPIOKeyState, (obj), TYPE_GPIO_KEY)

static void gpio_key_release(void *opaque)
{
    GPIOKeyState *s = opaque;

    irq_lower(s->line);
}

/* A press while the key is down holds it 100 ms from this press. */
static void gpio_key_press(void *opaque, int n, int level)
{
    GPIOKeyState *s = opaque;

    if (level) {
        irq_raise(s->line);
        timer_mod(s->release, clock_virtual_ns() + GPIO_KEY_PRESS_NS);
    }
}

static void gpio_key_reset(DeviceState *dev)
{
    GPIOKeyState *s = GPIO_KEY(dev);

    timer_del(s->release);
    irq_lower(s->line);
}

static bool gpio_key_realize(DeviceState *dev, Error **errp)
{
    GPIOKeyState *s = GPIO_KEY(dev);

    s->release = timer_new_virtual(gpio_key_release, s);
    return true;
}

static void gpio_key_unrealize(DeviceState *dev)
{
    timer_free(GPIO_KEY(dev)->release);
}

static void gpio_key_instance_init(Object *obj)
{
    GPIOKeyState *s = GPIO_KEY(obj);

    sysbus_init_irq(SYS_BUS_DEVICE(obj), &s->line);
    qdev_init_gpio_in(DEVICE(obj), gpio_key_press, 1);
}

static void gpio_key_finalize(Object *obj)
{
    qdev_unrealize(DEVICE(obj));
}

static void gpio_key_class_init(ObjectClass *klass)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    klass->desc = "a push button on a GPIO line";
    dc->realize = gpio_key_realize;
    dc->unrealize = gpio_key_unrealize;
    dc->reset = gpio_key_reset;
}

static const TypeInfo gpio_key_types[] = {
    {
        .name = TYPE_GPIO_KEY,
        .parent = TYPE_SYS_BUS_DEVICE,
        .instance_size = sizeof(GPIOKeyState),
        .instance_init = gpio_key_instance_init,
        .class_init = gpio_key_class_init,
        .instance_finalize = gpio_key_finalize,
    },
};

DEFINE_TYPES(gpio_key_types)
