/*
 * The Intel PXA255 system on chip (XScale core and its on-chip
 * peripherals, as the Gumstix boards use it): interrupt numbers, device
 * type names and the SoC assembly that boards call.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_ARM_PXA_H
#define HW_ARM_PXA_H

#include "hw/boards.h"
#include "hw/sysbus.h"

/*
 * Interrupt controller sources: bit numbers of ICPR, as the PXA255
 * developer's manual (table "first-level interrupts") numbers them.
 * 6, 15 and 16 are the PXA26x/PXA255 power I2C, ASSP and NSSP units,
 * which the Gumstix firmware does not use; QEMU wires them the same way.
 */
enum {
    PXA2XX_PIC_PWRI2C = 6,
    PXA2XX_PIC_HWUART = 7,
    PXA2XX_PIC_GPIO0 = 8,
    PXA2XX_PIC_GPIO1 = 9,
    PXA2XX_PIC_GPIO_X = 10,          /* GPIO 2..84 */
    PXA2XX_PIC_USB = 11,
    PXA2XX_PIC_PMU = 12,
    PXA2XX_PIC_I2S = 13,
    PXA2XX_PIC_AC97 = 14,
    PXA2XX_PIC_ASSP = 15,
    PXA2XX_PIC_NSSP = 16,
    PXA2XX_PIC_LCD = 17,
    PXA2XX_PIC_I2C = 18,
    PXA2XX_PIC_ICP = 19,
    PXA2XX_PIC_STUART = 20,
    PXA2XX_PIC_BTUART = 21,
    PXA2XX_PIC_FFUART = 22,
    PXA2XX_PIC_MMC = 23,
    PXA2XX_PIC_SSP = 24,
    PXA2XX_PIC_DMA = 25,
    PXA2XX_PIC_OST0 = 26,            /* OST1..3 follow */
    PXA2XX_PIC_RTC_HZ = 30,
    PXA2XX_PIC_RTC_ALARM = 31,
    PXA2XX_PIC_SOURCES = 32,
};

/* Output pins of the interrupt controller (gpio-out). */
enum {
    PXA2XX_PIC_OUT_IRQ = 0,
    PXA2XX_PIC_OUT_FIQ = 1,
};

/* Output pins of the GPIO unit: the three interrupts, then the level of
 * each line (PXA2XX_GPIO_OUT_LINE0 + n), for boards that watch pins. */
enum {
    PXA2XX_GPIO_OUT_GPIO0 = 0,
    PXA2XX_GPIO_OUT_GPIO1 = 1,
    PXA2XX_GPIO_OUT_GPIO_X = 2,
    PXA2XX_GPIO_OUT_LINE0 = 3,
};
#define PXA255_GPIO_LINES 85

/* Output pins of the OS timers: OSMR0..3 matches, then the watchdog
 * (pulsed just before the reset it requests, so the power manager can
 * record the cause in RCSR). */
#define PXA2XX_OST_OUT_WATCHDOG 4

/* Input pin of the clocks and power manager: a watchdog reset follows. */
#define PXA2XX_CLKPM_IN_WATCHDOG 0

#define TYPE_PXA2XX_PIC "pxa2xx_pic"
#define TYPE_PXA25X_TIMER "pxa25x-timer"
#define TYPE_PXA2XX_RTC "pxa2xx_rtc"
#define TYPE_PXA2XX_GPIO "pxa2xx-gpio"
#define TYPE_PXA2XX_CLKPM "pxa2xx-clkpm"
#define TYPE_PXA2XX_MEMCTL "pxa2xx-memctl"
#define TYPE_PXA2XX_DMA "pxa2xx-dma"

/* Where the SoC puts things (the PXA255 memory map, as QEMU 7.2). */
#define PXA2XX_SDRAM_BASE 0xa0000000
#define PXA255_SRAM_BASE 0x5c000000
#define PXA255_SRAM_SIZE 0x40000

/* The SoC as pxa255_init leaves it for the board. */
typedef struct PXA2xxState {
    struct ARMCPU *cpu;
    DeviceState *pic;            /* qdev_get_gpio_in(pic, PXA2XX_PIC_*) */
    DeviceState *gpio;           /* gpio-in N: level of input line N */
    DeviceState *ost;
    DeviceState *dma;
    MemoryRegion sram;
} PXA2xxState;

/*
 * Builds the PXA255: the CPU (ms->cpu_type, pxa255 when unset), SDRAM
 * (ms->ram, created here if the board did not, at 0xa0000000), the
 * internal SRAM, every on-chip device wired to the interrupt controller,
 * the UARTs on serial_hd(0..3) (FFUART, BTUART, STUART, HWUART) and
 * unimplemented-device windows over the rest of the SoC's space.
 * Devices sit on the system bus and under /machine/soc.
 */
PXA2xxState *pxa255_init(MachineState *ms, Error **errp);

#endif
