/*
 * The emulator's entry point, shared by every emu-system-<arch>.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SOFTMMU_VL_H
#define SOFTMMU_VL_H

int emu_main(int argc, char **argv);

#endif
