/*
 * A push button on a GPIO line ("gpio-key"): gpio-in 0 presses it,
 * gpio-out 0 is the line, high for 100 ms of virtual time per press.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_GPIO_GPIO_KEY_H
#define HW_GPIO_GPIO_KEY_H

#define TYPE_GPIO_KEY "gpio-key"

#endif
