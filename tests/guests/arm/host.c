/*
 * The host's side of the differential test: ctest.c's output goes to
 * stdout instead of through semihosting.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include "print.h"

void print_write(const char *buf, unsigned len)
{
    fwrite(buf, 1, len, stdout);
}
