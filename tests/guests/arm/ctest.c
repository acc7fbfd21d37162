/*
 * The differential C suite: integer arithmetic, shifts, 64-bit
 * arithmetic (libgcc on ARM), string handling, sorting and hashing,
 * printed line by line.  Built for the guest (ARM and Thumb) and for
 * the host; every build must print the same lines.  Only fixed-width
 * types and defined behaviour, so the host's answers are the truth.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include "print.h"

/* Keeps the compiler from folding the tests away. */
static unsigned opaque(unsigned x)
{
    __asm__ volatile("" : "+r"(x));
    return x;
}

static uint64_t opaque64(uint64_t x)
{
    __asm__ volatile("" : "+r"(x));
    return x;
}

static void arithmetic(void)
{
    unsigned a = opaque(123456789), b = opaque(987654321);
    int s = (int)opaque(0xfffffc19), t = (int)opaque(7);

    tprintf("add %u sub %u mul %u\n", a + b, a - b, a * b);
    tprintf("div %u mod %u\n", b / a, b % a);
    tprintf("sdiv %d smod %d\n", s / t, s % t);
    tprintf("sdiv2 %d smod2 %d\n", t / s, (s * 3) % t);
    for (unsigned i = 1; i < 32; i += 6) {
        unsigned x = opaque(0xdeadbeef);

        tprintf("shift %u: %08x %08x %08x %08x\n", i, x << i, x >> i,
                (unsigned)((int)x >> i), (x >> i) | (x << (32 - i)));
    }
    unsigned acc = 1;
    for (unsigned i = 0; i < 20; i++) {
        acc = acc * 2654435761u + (acc >> 7) - i;
    }
    tprintf("mix %08x\n", acc);
    tprintf("min %d max %d\n", s < t ? s : t, s > t ? s : t);
    tprintf("cmp %d %d %d\n", a < b, s < (int)a, (unsigned)s < a);
}

static void wide(void)
{
    uint64_t x = opaque64(0x0123456789abcdefull);
    uint64_t y = opaque64(0xfedcba9876543210ull);
    int64_t sx = (int64_t)opaque64((uint64_t)-1234567890123ll);

    tprintf("add64 %llx sub64 %llx\n", (unsigned long long)(x + y),
            (unsigned long long)(x - y));
    tprintf("mul64 %llx\n", (unsigned long long)(x * y));
    tprintf("div64 %llu mod64 %llu\n", (unsigned long long)(y / 1000003),
            (unsigned long long)(y % 1000003));
    tprintf("div64b %llu\n", (unsigned long long)(y / (x >> 20)));
    tprintf("sdiv64 %lld smod64 %lld\n", (long long)(sx / 77),
            (long long)(sx % 77));
    for (unsigned i = 0; i < 64; i += 13) {
        unsigned n = opaque(i);

        tprintf("shl64 %u %llx shr64 %llx sar64 %llx\n", n,
                (unsigned long long)(x << n), (unsigned long long)(y >> n),
                (unsigned long long)((int64_t)y >> n));
    }
    unsigned a = opaque(0xffffffff);
    tprintf("widening %llx\n", (unsigned long long)((uint64_t)a * a));
    tprintf("signed widening %lld\n",
            (long long)((int64_t)(int)a * (int)opaque(5)));
}

static unsigned str_len(const char *s)
{
    unsigned n = 0;

    while (s[n]) {
        n++;
    }
    return n;
}

static void str_copy(char *d, const char *s)
{
    while ((*d++ = *s++)) {
    }
}

static int str_cmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (int)(unsigned char)*a - (int)(unsigned char)*b;
}

static void reverse(char *s)
{
    for (unsigned i = 0, j = str_len(s); i + 1 < j; i++, j--) {
        char c = s[i];

        s[i] = s[j - 1];
        s[j - 1] = c;
    }
}

static void strings(void)
{
    char buf[64];
    static const char *const words[] = {
        "emulator", "translator", "arm", "thumb", "x86", "", "Zebra",
    };

    for (unsigned i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        str_copy(buf, words[i]);
        reverse(buf);
        tprintf("word %s len %u reversed '%s' cmp %d\n", words[i],
                str_len(words[i]), buf, str_cmp(words[i], "thumb") > 0);
    }
    /* upper-casing and counting */
    str_copy(buf, "Hello, semihosting World 123!");
    unsigned letters = 0, digits = 0;
    for (char *p = buf; *p; p++) {
        if (*p >= 'a' && *p <= 'z') {
            *p = (char)(*p - 'a' + 'A');
        }
        letters += (*p >= 'A' && *p <= 'Z');
        digits += (*p >= '0' && *p <= '9');
    }
    tprintf("%s letters %u digits %u\n", buf, letters, digits);
    tprintf("pad [%5d] [%3s] [%08x] [%c]\n", -42, "ab", 0xbeefu, 'q');
}

static void sort(int *v, unsigned n)
{
    /* a quicksort with an explicit stack, then an insertion pass */
    unsigned stack[64], top = 0;

    stack[top++] = 0;
    stack[top++] = n;
    while (top) {
        unsigned hi = stack[--top], lo = stack[--top];

        if (hi - lo < 8) {
            continue;
        }
        int pivot = v[lo + (hi - lo) / 2];
        unsigned i = lo, j = hi - 1;
        while (i <= j) {
            while (v[i] < pivot) {
                i++;
            }
            while (v[j] > pivot) {
                j--;
            }
            if (i <= j) {
                int t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0) {
                    break;
                }
                j--;
            }
        }
        stack[top++] = lo;
        stack[top++] = j + 1;
        stack[top++] = i;
        stack[top++] = hi;
    }
    for (unsigned i = 1; i < n; i++) {
        int x = v[i];
        unsigned j = i;

        while (j && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

static void sorting(void)
{
    static int v[300];
    unsigned seed = 42;

    for (unsigned i = 0; i < 300; i++) {
        seed = seed * 1103515245u + 12345u;
        v[i] = (int)(seed >> 8) % 10000 - 5000;
    }
    sort(v, 300);
    unsigned ordered = 1;
    int64_t sum = 0;
    for (unsigned i = 0; i < 300; i++) {
        ordered &= i == 0 || v[i - 1] <= v[i];
        sum += v[i];
    }
    tprintf("sorted %u min %d median %d max %d sum %lld\n", ordered, v[0],
            v[150], v[299], (long long)sum);
}

static unsigned crc32(const uint8_t *p, unsigned n)
{
    unsigned crc = 0xffffffff;

    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) {
            crc = crc >> 1 ^ (0xedb88320u & (0 - (crc & 1)));
        }
    }
    return ~crc;
}

static void hashing(void)
{
    static const char text[] = "The quick brown fox jumps over the lazy dog";
    unsigned fnv = 2166136261u;
    uint64_t fnv64 = 14695981039346656037ull;

    for (const char *p = text; *p; p++) {
        fnv = (fnv ^ (uint8_t)*p) * 16777619u;
        fnv64 = (fnv64 ^ (uint8_t)*p) * 1099511628211ull;
    }
    tprintf("crc32 %08x\n", crc32((const uint8_t *)text, str_len(text)));
    tprintf("fnv1a %08x fnv1a64 %016llx\n", fnv, (unsigned long long)fnv64);
}

int main(void)
{
    tprintf("ctest start\n");
    arithmetic();
    wide();
    strings();
    sorting();
    hashing();
    tprintf("ctest end\n");
    print_flush();
    return 0;
}
