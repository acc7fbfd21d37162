/*
 * The random-operand guests' generator and hash (guest-random.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "guest.h"
#include "guest-random.h"

static uint32_t seed;

uint32_t random_seed_from_cmdline(uint32_t fallback)
{
    static char cmdline[128];
    uint32_t block[2] = { (uint32_t)cmdline, sizeof(cmdline) - 1 };
    uint32_t value = 0;
    int digits = 0;
    const char *p;

    seed = fallback;
    if (semi_call(SYS_GET_CMDLINE, block) != 0 || block[1] == 0) {
        return seed;
    }
    p = cmdline + block[1];
    while (p > cmdline && p[-1] != ' ') {
        p--;
    }
    for (; *p; p++, digits++) {
        char c = *p | 0x20;

        if (c >= '0' && c <= '9') {
            value = value << 4 | (uint32_t)(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            value = value << 4 | (uint32_t)(c - 'a' + 10);
        } else {
            return seed;
        }
    }
    if (digits && digits <= 8 && value) {
        seed = value;
    }
    return seed;
}

uint32_t rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    return seed;
}

uint32_t hash_mix(uint32_t hash, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        hash = (hash ^ ((v >> (8 * i)) & 0xff)) * 16777619u;
    }
    return hash;
}
