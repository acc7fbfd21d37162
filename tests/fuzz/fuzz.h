/*
 * A fuzz target is one file that defines LLVMFuzzerTestOneInput and
 * LLVMFuzzerInitialize (set-up once; return 0), as libFuzzer expects.  It
 * links either with libFuzzer (make fuzz, clang) or with driver.c, which
 * replays the committed corpus in make check.  A target must not touch
 * host files, exit, or keep state from one input to the next that
 * changes what the next one does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
