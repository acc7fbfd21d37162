/*
 * main() of emu-system-<arch>: the target is chosen at link time.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "softmmu/vl.h"

int main(int argc, char **argv)
{
    return emu_main(argc, argv);
}
