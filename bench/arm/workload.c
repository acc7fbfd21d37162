/*
 * The ARM integer workload of bench/arm-tcg.py: a mix of the kinds of
 * code firmware and small kernels spend their time in, so the translator
 * is measured on realistic blocks rather than on one hot loop.  Each
 * kernel returns a checksum; the checksums are printed so a run can be
 * checked against another emulator's run of the same binary.
 *
 *   crc32    table-driven CRC-32 over a 64 KiB buffer (loads, shifts, xor)
 *   sort     quicksort with an insertion-sort cut-off of 8192 words
 *   hash     open-addressing hash table of string keys: insert, look up
 *            hits and misses, delete (FNV-1a, memcmp, calls)
 *   matmul   48x48 integer matrix multiply (MLA, address arithmetic)
 *   string   tokenise a text, count word lengths, reverse words, itoa/atoi
 *   wide     64-bit arithmetic: libgcc's division and modulo, 64-bit
 *            multiplies and shifts (modular exponentiation, gcd)
 *
 * ROUNDS (default 8, set with -DROUNDS=N) repeats the whole mix.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include "print.h"

#ifndef ROUNDS
#define ROUNDS 8
#endif

/* Keeps the compiler from folding a kernel's input into constants. */
static uint32_t opaque(uint32_t x)
{
    __asm__ volatile("" : "+r"(x));
    return x;
}

static uint32_t rng_state;

static uint32_t rng(void)
{
    /* xorshift32: cheap and the same on every host. */
    uint32_t x = rng_state;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x;
}

/* --- crc32 --- */

#define CRC_BUF_SIZE (64 * 1024)
static uint8_t crc_buf[CRC_BUF_SIZE];
static uint32_t crc_table[256];

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;

        for (int k = 0; k < 8; k++) {
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        }
        crc_table[i] = c;
    }
}

static uint32_t crc32(const uint8_t *p, size_t len)
{
    uint32_t c = 0xffffffffu;

    while (len--) {
        c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
    }
    return ~c;
}

static uint32_t kernel_crc32(uint32_t seed)
{
    rng_state = seed;
    for (size_t i = 0; i < CRC_BUF_SIZE; i += 4) {
        uint32_t r = rng();

        crc_buf[i] = (uint8_t)r;
        crc_buf[i + 1] = (uint8_t)(r >> 8);
        crc_buf[i + 2] = (uint8_t)(r >> 16);
        crc_buf[i + 3] = (uint8_t)(r >> 24);
    }
    uint32_t sum = 0;
    for (int pass = 0; pass < 4; pass++) {
        sum = sum * 31 + crc32(crc_buf + pass, CRC_BUF_SIZE - pass);
    }
    return sum;
}

/* --- sort --- */

#define SORT_N 8192
static uint32_t sort_buf[SORT_N];

static void insertion_sort(uint32_t *a, int n)
{
    for (int i = 1; i < n; i++) {
        uint32_t v = a[i];
        int j = i - 1;

        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void quicksort(uint32_t *a, int n)
{
    while (n > 16) {
        /* Median of three as the pivot, Hoare partition. */
        uint32_t x = a[0], y = a[n / 2], z = a[n - 1];
        uint32_t pivot = x < y ? (y < z ? y : (x < z ? z : x))
                               : (x < z ? x : (y < z ? z : y));
        int i = -1, j = n;

        for (;;) {
            do {
                i++;
            } while (a[i] < pivot);
            do {
                j--;
            } while (a[j] > pivot);
            if (i >= j) {
                break;
            }
            uint32_t t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        /* Recurse into the smaller half, loop on the larger. */
        if (j + 1 < n - j - 1) {
            quicksort(a, j + 1);
            a += j + 1;
            n -= j + 1;
        } else {
            quicksort(a + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    insertion_sort(a, n);
}

static uint32_t kernel_sort(uint32_t seed)
{
    rng_state = seed;
    for (int i = 0; i < SORT_N; i++) {
        sort_buf[i] = rng() % 100000;
    }
    quicksort(sort_buf, SORT_N);
    uint32_t sum = 0;
    for (int i = 0; i < SORT_N; i++) {
        if (i && sort_buf[i - 1] > sort_buf[i]) {
            return 0xbad5047;
        }
        sum = sum * 33 + sort_buf[i];
    }
    return sum;
}

/* --- hash --- */

#define HASH_SLOTS 8192
#define HASH_KEYS 4096
#define KEY_MAX 16

struct slot {
    char key[KEY_MAX];
    uint8_t len;
    uint8_t state;              /* 0 empty, 1 used, 2 deleted */
    uint32_t value;
};

static struct slot table[HASH_SLOTS];

static uint32_t fnv1a(const char *s, unsigned len)
{
    uint32_t h = 0x811c9dc5u;

    while (len--) {
        h = (h ^ (uint8_t)*s++) * 0x01000193u;
    }
    return h;
}

static int key_equal(const struct slot *slot, const char *key, unsigned len)
{
    if (slot->len != len) {
        return 0;
    }
    for (unsigned i = 0; i < len; i++) {
        if (slot->key[i] != key[i]) {
            return 0;
        }
    }
    return 1;
}

/* "k" and the decimal digits of n; returns the length. */
static unsigned make_key(char *key, uint32_t n)
{
    char digits[10];
    unsigned nd = 0, len = 0;

    do {
        digits[nd++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    key[len++] = 'k';
    while (nd) {
        key[len++] = digits[--nd];
    }
    return len;
}

static struct slot *hash_find(const char *key, unsigned len, int for_insert)
{
    uint32_t i = fnv1a(key, len) & (HASH_SLOTS - 1);
    struct slot *tomb = NULL;

    for (;;) {
        struct slot *s = &table[i];

        if (s->state == 0) {
            return for_insert ? (tomb ? tomb : s) : NULL;
        }
        if (s->state == 2) {
            if (!tomb) {
                tomb = s;
            }
        } else if (key_equal(s, key, len)) {
            return s;
        }
        i = (i + 1) & (HASH_SLOTS - 1);
    }
}

static uint32_t kernel_hash(uint32_t seed)
{
    char key[KEY_MAX];
    uint32_t sum = 0;

    for (int i = 0; i < HASH_SLOTS; i++) {
        table[i].state = 0;
    }
    rng_state = seed;
    for (int i = 0; i < HASH_KEYS; i++) {
        unsigned len = make_key(key, rng() % (HASH_KEYS * 2));
        struct slot *s = hash_find(key, len, 1);

        if (s->state != 1) {
            for (unsigned k = 0; k < len; k++) {
                s->key[k] = key[k];
            }
            s->len = (uint8_t)len;
            s->state = 1;
            s->value = 0;
        }
        s->value++;
    }
    for (uint32_t n = 0; n < HASH_KEYS * 4; n++) {
        unsigned len = make_key(key, n % (HASH_KEYS * 2));
        struct slot *s = hash_find(key, len, 0);

        if (s) {
            sum = sum * 7 + s->value + n;
            if ((n & 3) == 0) {
                s->state = 2;
            }
        } else {
            sum ^= n;
        }
    }
    return sum;
}

/* --- matmul --- */

#define MAT_N 48
static int32_t mat_a[MAT_N][MAT_N], mat_b[MAT_N][MAT_N], mat_c[MAT_N][MAT_N];

static uint32_t kernel_matmul(uint32_t seed)
{
    rng_state = seed;
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            mat_a[i][j] = (int32_t)(rng() % 2001) - 1000;
            mat_b[i][j] = (int32_t)(rng() % 2001) - 1000;
        }
    }
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            int32_t acc = 0;

            for (int k = 0; k < MAT_N; k++) {
                acc += mat_a[i][k] * mat_b[k][j];
            }
            mat_c[i][j] = acc;
        }
    }
    uint32_t sum = 0;
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            sum = (sum << 3 | sum >> 29) ^ (uint32_t)mat_c[i][j];
        }
    }
    return sum;
}

/* --- string --- */

#define TEXT_SIZE 16384
static char text[TEXT_SIZE + 1];

static const char *const words[] = {
    "translation", "block", "guest", "host", "register", "allocator",
    "the", "a", "of", "softmmu", "flash", "interrupt", "timer", "uart",
    "exception", "vector", "page", "table", "domain", "section",
};

static int parse_uint(const char *s, unsigned len)
{
    int v = 0;

    for (unsigned i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static uint32_t kernel_string(uint32_t seed)
{
    unsigned pos = 0, counts[KEY_MAX] = { 0 };
    uint32_t sum = 0;

    /* A text of words, numbers and punctuation. */
    rng_state = seed;
    while (pos < TEXT_SIZE - 32) {
        uint32_t r = rng();

        if (r % 5 == 0) {
            text[pos++] = '#';
            pos += make_key(text + pos, r >> 8);
        } else {
            const char *w = words[(r >> 4) % (sizeof(words) / sizeof(words[0]))];

            while (*w) {
                text[pos++] = *w++;
            }
        }
        text[pos++] = (r & 0x100) ? ',' : ' ';
    }
    text[pos] = 0;

    /* Tokenise: count word lengths, sum numbers, reverse words in place. */
    for (char *p = text; *p;) {
        while (*p == ' ' || *p == ',' || *p == '#') {
            p++;
        }
        char *start = p;
        while (*p && *p != ' ' && *p != ',') {
            p++;
        }
        unsigned len = (unsigned)(p - start);
        if (!len) {
            continue;
        }
        counts[len < KEY_MAX ? len : KEY_MAX - 1]++;
        int n = parse_uint(start + 1, len - 1);
        if (start[0] == 'k' && n >= 0) {
            sum += (uint32_t)n;
        }
        for (char *l = start, *r = p - 1; l < r; l++, r--) {
            char t = *l;
            *l = *r;
            *r = t;
        }
    }
    for (unsigned i = 0; i < KEY_MAX; i++) {
        sum = sum * 131 + counts[i];
    }
    return sum ^ fnv1a(text, pos);
}

/* --- wide --- */

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    /* a, b < m < 2^32: the product fits in 64 bits. */
    return a * b % m;
}

static uint64_t powmod(uint64_t base, uint64_t exp, uint64_t m)
{
    uint64_t r = 1;

    base %= m;
    while (exp) {
        if (exp & 1) {
            r = mulmod(r, base, m);
        }
        base = mulmod(base, base, m);
        exp >>= 1;
    }
    return r;
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static uint32_t kernel_wide(uint32_t seed)
{
    uint64_t acc = 0;

    rng_state = seed;
    for (int i = 0; i < 600; i++) {
        uint64_t m = (rng() | 0x80000001u);
        uint64_t x = ((uint64_t)rng() << 32) | rng();
        uint64_t y = ((uint64_t)rng() << 32) | rng();

        acc += powmod(x, (uint64_t)rng() % 100000, m);
        acc ^= gcd64(x | 1, y | 1) + x / (y >> 33 | 1);
        acc = (acc << 7) | (acc >> 57);
        acc += (uint64_t)((int64_t)x >> (i & 63)) * 0x9e3779b97f4a7c15ull;
    }
    return (uint32_t)acc ^ (uint32_t)(acc >> 32);
}

int main(void)
{
    static const struct {
        const char *name;
        uint32_t (*run)(uint32_t seed);
    } kernels[] = {
        { "crc32", kernel_crc32 },
        { "sort", kernel_sort },
        { "hash", kernel_hash },
        { "matmul", kernel_matmul },
        { "string", kernel_string },
        { "wide", kernel_wide },
    };
    uint32_t sums[sizeof(kernels) / sizeof(kernels[0])] = { 0 };
    uint32_t total = 0;

    crc_init();
    for (unsigned round = 0; round < opaque(ROUNDS); round++) {
        for (unsigned k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
            uint32_t s = kernels[k].run(opaque(0x9e3779b9u * (round + 1) + k));

            sums[k] = sums[k] * 0x01000193u ^ s;
        }
    }
    for (unsigned k = 0; k < sizeof(kernels) / sizeof(kernels[0]); k++) {
        tprintf("%s %08x\n", kernels[k].name, (unsigned)sums[k]);
        total ^= sums[k];
    }
    tprintf("rounds %u total %08x\n", (unsigned)ROUNDS, (unsigned)total);
    print_flush();
    return 0;
}
