/*
 * A newlib program built with -specs=rdimon.specs, as firmware tests
 * are: its exit status must reach the emulator's.  newlib's rdimon reads
 * the ":semihosting-features" file and only then passes the status with
 * SYS_EXIT_EXTENDED.  No argument: main returns 3; "exit": exit(5) from
 * a function main calls.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void leave(int status)
{
    printf("exit(%d)\n", status);
    exit(status);
}

int main(int argc, char **argv)
{
    printf("newlib: %d argument(s)\n", argc - 1);
    if (argc > 1 && !strcmp(argv[1], "exit")) {
        leave(5);
    }
    printf("return 3\n");
    return 3;
}
