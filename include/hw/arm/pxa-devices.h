/*
 * Type names of the PXA255 peripherals and of the SMC91C111, with what
 * the SoC and board code needs to place them.  Each is a sysbus device
 * with one MMIO region (sysbus_mmio_map(dev, 0, base)) and, where the
 * unit has an interrupt, gpio-out 0 = sysbus irq 0 = that interrupt.
 *
 *   "pxa2xx-uart"    prop "chardev" (chardev id; unset: no backend);
 *                    region "serial", PXA2XX_UART_SIZE bytes (through ABR)
 *   "pxa2xx-lcd"     region "pxa2xx-lcd-controller", 1 MiB (0x44000000)
 *   "pxa2xx-mmci"    region "pxa2xx-mmci", 1 MiB (0x41100000)
 *   "pxa2xx-i2c"     region "pxa2xx-i2c" of prop "size" bytes whose
 *                    registers start at prop "offset" + 0x80, as QEMU's:
 *                    the standard unit is the default (size 0x10000,
 *                    offset 0x1600, mapped at 0x40300000: IBMR at
 *                    0x40301680); the power-manager unit has size 0x100,
 *                    offset 0, mapped at 0x40f00100 (PIBMR at 0x40f00180)
 *   "pxa2xx-ssp"     region "pxa2xx-ssp", 4 KiB (SSP 0x41000000, NSSP
 *                    0x41400000)
 *   "pxa2xx-i2s"     region "pxa2xx-i2s", 1 MiB (0x40400000)
 *   "pxa2xx-pcmcia"  one per socket: a 256 MiB container "pxa2xx-pcmcia"
 *                    with "pxa2xx-pcmcia-io" at 0, "-attribute" at
 *                    0x08000000 and "-common" at 0x0c000000 (socket 0 at
 *                    0x20000000, socket 1 at 0x30000000); no interrupt
 *   "smc91c111"      prop "mac" ("52:54:00:12:34:56" by default); region
 *                    "smc91c111-mmio", 16 bytes (connex: 0x04000300)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_ARM_PXA_DEVICES_H
#define HW_ARM_PXA_DEVICES_H

#define TYPE_PXA2XX_UART   "pxa2xx-uart"
#define TYPE_PXA2XX_LCD    "pxa2xx-lcd"
#define TYPE_PXA2XX_MMCI   "pxa2xx-mmci"
#define TYPE_PXA2XX_I2C    "pxa2xx_i2c"
#define TYPE_PXA2XX_SSP    "pxa2xx-ssp"
#define TYPE_PXA2XX_I2S    "pxa2xx-i2s"
#define TYPE_PXA2XX_PCMCIA "pxa2xx-pcmcia"
#define TYPE_SMC91C111     "smc91c111"

#define PXA2XX_UART_SIZE   0x2c

/* Where the two I2C units sit (QEMU's map). */
#define PXA2XX_I2C_BASE        0x40300000
#define PXA2XX_PWRI2C_BASE     0x40f00100
#define PXA2XX_PWRI2C_SIZE     0x100
#define PXA2XX_PWRI2C_OFFSET   0

#endif
