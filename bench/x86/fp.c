/*
 * The x87/SSE workload of bench/x86-tcg.py: floating-point and SIMD code
 * as compilers emit it for x86-64, so the front end's x87/SSE paths are
 * measured on realistic instruction mixes.  Each kernel returns a
 * checksum of the bit patterns it computed; the host runs the same
 * build, so every bit must match.
 *
 *   mandel   scalar double: Mandelbrot escape counts (mulsd, addsd,
 *            ucomisd, cvtsi2sd)
 *   nbody    scalar double with sqrtsd and divsd: a small n-body step
 *   saxpy    packed single and double (vector extensions: movaps,
 *            mulps, addps, shufps)
 *   simdint  128-bit integers: xor/and/or/add/shifts, movdqa and
 *            unaligned movdqu loads and stores, movq/movd to and from
 *            general registers
 *   x87      long double: series and Newton iterations in 80-bit
 *            precision, fild/fistp conversions, fsqrt
 *
 * ROUNDS (default 4, -DROUNDS=N) repeats the whole mix.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "print.h"

#ifndef ROUNDS
#define ROUNDS 4
#endif

typedef float v4sf __attribute__((vector_size(16)));
typedef double v2df __attribute__((vector_size(16)));
typedef uint32_t v4si __attribute__((vector_size(16)));
typedef uint64_t v2di __attribute__((vector_size(16)));

/* Keeps the compiler from folding a kernel's input into constants. */
static uint32_t opaque(uint32_t x)
{
    __asm__ volatile("" : "+r"(x));
    return x;
}

static uint32_t mix(uint32_t h, uint64_t bits)
{
    h ^= (uint32_t)bits;
    h *= 0x01000193u;
    h ^= (uint32_t)(bits >> 32);
    h *= 0x01000193u;
    return h;
}

static uint64_t double_bits(double d)
{
    uint64_t b;

    memcpy(&b, &d, sizeof(b));
    return b;
}

/* --- mandel --- */

static uint32_t kernel_mandel(uint32_t seed)
{
    uint32_t h = seed;
    double scale = 3.0 / (64 + (seed & 3));

    for (int py = 0; py < 48; py++) {
        for (int px = 0; px < 64; px++) {
            double cx = px * scale - 2.0, cy = py * scale - 1.125;
            double x = 0, y = 0;
            int n = 0;

            while (n < 200 && x * x + y * y <= 4.0) {
                double t = x * x - y * y + cx;

                y = 2 * x * y + cy;
                x = t;
                n++;
            }
            h = mix(h, n);
            h = mix(h, double_bits(x));
        }
    }
    return h;
}

/* --- nbody --- */

#define BODIES 24

static uint32_t kernel_nbody(uint32_t seed)
{
    static double px[BODIES], py[BODIES], vx[BODIES], vy[BODIES], m[BODIES];
    uint32_t h = seed;

    for (int i = 0; i < BODIES; i++) {
        px[i] = (int)((seed >> (i & 15)) & 255) - 128 + i * 0.75;
        py[i] = (int)((seed * (i + 3)) & 255) - 128;
        vx[i] = vy[i] = 0;
        m[i] = 1.0 + (i & 7) * 0.25;
    }
    for (int step = 0; step < 60; step++) {
        for (int i = 0; i < BODIES; i++) {
            double ax = 0, ay = 0;

            for (int j = 0; j < BODIES; j++) {
                double dx = px[j] - px[i], dy = py[j] - py[i];
                double d2 = dx * dx + dy * dy + 0.01;
                double inv = m[j] / (d2 * __builtin_sqrt(d2));

                ax += dx * inv;
                ay += dy * inv;
            }
            vx[i] += ax * 0.01;
            vy[i] += ay * 0.01;
        }
        for (int i = 0; i < BODIES; i++) {
            px[i] += vx[i] * 0.01;
            py[i] += vy[i] * 0.01;
        }
    }
    for (int i = 0; i < BODIES; i++) {
        h = mix(h, double_bits(px[i]));
        h = mix(h, double_bits(vy[i]));
    }
    return h;
}

/* --- saxpy --- */

#define VLEN 1024

static uint32_t kernel_saxpy(uint32_t seed)
{
    static v4sf xs[VLEN / 4], ys[VLEN / 4];
    static v2df xd[VLEN / 2], yd[VLEN / 2];
    v4sf a = { 1.5f, -0.25f, 0.125f, 3.0f };
    v2df b = { 0.75, -1.5 };
    uint32_t h = seed;

    for (int i = 0; i < VLEN / 4; i++) {
        for (int l = 0; l < 4; l++) {
            xs[i][l] = (float)(int)((seed + i * 4 + l) & 1023) * 0.001f;
            ys[i][l] = (float)l - 1.0f;
        }
    }
    for (int i = 0; i < VLEN / 2; i++) {
        xd[i] = (v2df){ i * 0.5, -i * 0.25 };
        yd[i] = (v2df){ 1.0, (int)(seed & 15) };
    }
    for (int pass = 0; pass < 40; pass++) {
        for (int i = 0; i < VLEN / 4; i++) {
            ys[i] = a * xs[i] + ys[i];
            xs[i] = __builtin_shuffle(ys[i], (v4si){ 1, 2, 3, 0 }) * 0.5f;
        }
        for (int i = 0; i < VLEN / 2; i++) {
            yd[i] = b * xd[i] + yd[i] * 0.5;
            xd[i] = yd[i] - xd[i] / 4.0;
        }
    }
    for (int i = 0; i < VLEN / 4; i++) {
        uint64_t lo, hi;

        memcpy(&lo, &ys[i], 8);
        memcpy(&hi, (char *)&ys[i] + 8, 8);
        h = mix(h, lo ^ (hi << 1));
    }
    for (int i = 0; i < VLEN / 2; i++) {
        h = mix(h, double_bits(yd[i][0]) ^ double_bits(xd[i][1]));
    }
    return h;
}

/* --- simdint --- */

#define BUF 4096

static uint32_t kernel_simdint(uint32_t seed)
{
    static uint8_t buf[BUF + 16] __attribute__((aligned(16)));
    static v4si out[BUF / 16];
    v4si acc = { seed, ~seed, seed * 3, seed ^ 0x5a5a5a5a };
    v2di wide = { seed, 0 };
    uint32_t h = seed;

    for (int i = 0; i < BUF + 16; i++) {
        buf[i] = (uint8_t)(seed >> (i & 7)) + i * 7;
    }
    for (int pass = 0; pass < 24; pass++) {
        /* unaligned loads at an offset that moves with the pass */
        const uint8_t *p = buf + (pass & 15);

        for (int i = 0; i < BUF / 16; i++) {
            v4si v;

            memcpy(&v, p + i * 16, 16);
            acc = (acc ^ v) + ((acc << 3) | (acc >> 29));
            acc &= ~(v >> 7) | (v4si){ 0xffff0000u, 0x00ffff00u,
                                       0x0000ffffu, 0xff0000ffu };
            out[i] = acc | (v & 0x01010101u);
        }
        for (int i = 0; i < BUF / 16; i += 2) {
            v2di x;

            memcpy(&x, &out[i], 16);
            wide += x ^ (wide >> 5);
            memcpy(buf + 1 + i * 8, &out[i + 1], 16);
        }
    }
    for (int i = 0; i < 4; i++) {
        h = mix(h, acc[i]);
    }
    return mix(h, wide[0] ^ wide[1]);
}

/* --- x87 --- */

static uint32_t kernel_x87(uint32_t seed)
{
    long double sum = 0, root = 1, x = (long double)(seed & 0xffff) + 2;
    uint32_t h = seed;

    for (int k = 1; k <= 3000; k++) {
        long double kk = k;

        sum += 1.0L / (kk * kk);
        if (k & 1) {
            sum -= 1.0L / (kk * kk * kk + x);
        }
    }
    for (int i = 0; i < 2000; i++) {
        long double n = x + i;

        root = 0.5L * (root + n / root);       /* Newton: tracks sqrt(n) */
        h = mix(h, (uint64_t)(int64_t)(root * 1024));
        h = mix(h, (uint64_t)(int64_t)(__builtin_sqrtl(n) * 65536));
    }
    h = mix(h, (uint64_t)(int64_t)(sum * 1e15L));
    return h;
}

int main(void)
{
    static const struct {
        const char *name;
        uint32_t (*run)(uint32_t seed);
    } kernels[] = {
        { "mandel", kernel_mandel },
        { "nbody", kernel_nbody },
        { "saxpy", kernel_saxpy },
        { "simdint", kernel_simdint },
        { "x87", kernel_x87 },
    };
    uint32_t sums[sizeof(kernels) / sizeof(kernels[0])] = { 0 };
    uint32_t total = 0;

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
