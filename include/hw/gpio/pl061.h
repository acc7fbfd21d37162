/*
 * The ARM PrimeCell GPIO (PL061): one 4 KiB MMIO region, GPIOINTR as
 * sysbus IRQ 0, eight gpio-in and eight gpio-out lines.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_GPIO_PL061_H
#define HW_GPIO_PL061_H

#define TYPE_PL061 "pl061"

#endif
