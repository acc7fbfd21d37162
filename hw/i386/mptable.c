/*
 * The MP table (Intel MultiProcessor Specification 1.4) of the x86
 * boards: lets a kernel without ACPI find its application processors
 * and the IOAPIC.  Built into a buffer; the board copies it to RAM.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "hw/i386/mptable.h"
#include "hw/i386/x86-boot.h"

#define MPF_SIZE          16     /* floating pointer structure */
#define MPC_HEADER_SIZE   44     /* configuration table header */
#define MPC_CPU_SIZE      20
#define MPC_SHORT_SIZE    8      /* bus, IOAPIC, interrupt entries */

enum {
    MPC_PROCESSOR = 0,
    MPC_BUS = 1,
    MPC_IOAPIC = 2,
    MPC_IOINTSRC = 3,
    MPC_LINTSRC = 4,
};

enum { MP_INT = 0, MP_NMI = 1, MP_EXTINT = 3 };

#define MPC_CPU_ENABLED   0x01
#define MPC_CPU_BSP       0x02
#define MP_SPEC_REV_1_4   4
#define LAPIC_VERSION     0x14   /* an integrated local APIC */
#define IOAPIC_VERSION    0x11   /* what kvm's IOAPIC reports */
#define ISA_IRQS          16
#define MP_LOCAL_ALL      0xff   /* local interrupt to every local APIC */
/* Family 6, FPU and APIC: kernels take the real values from CPUID. */
#define MP_CPU_SIGNATURE  0x600
#define MP_CPU_FEATURES   0x201

static size_t mpc_size(unsigned nr_cpus)
{
    return MPC_HEADER_SIZE + nr_cpus * MPC_CPU_SIZE +
           (1 + 1 + ISA_IRQS + 2) * MPC_SHORT_SIZE;
}

/* The byte that makes the sum of buf[0..len) zero. */
static uint8_t mp_checksum(const uint8_t *buf, size_t len)
{
    uint8_t sum = 0;

    for (size_t i = 0; i < len; i++) {
        sum += buf[i];
    }
    return -sum;
}

/* Where the configuration table starts: 16-byte aligned below the
 * floating pointer. */
static uint32_t mpc_addr(unsigned nr_cpus)
{
    return (MPTABLE_END - MPF_SIZE - mpc_size(nr_cpus)) & ~0xfu;
}

uint32_t mptable_start(unsigned nr_cpus)
{
    return mpc_addr(nr_cpus) & ~0x3ffu;
}

static uint8_t *mpc_short_entry(uint8_t *p, uint8_t type, uint8_t b1,
                                uint8_t b2, uint8_t b3, uint8_t b4,
                                uint8_t b5, uint8_t b6, uint8_t b7)
{
    p[0] = type;
    p[1] = b1;
    p[2] = b2;
    p[3] = b3;
    p[4] = b4;
    p[5] = b5;
    p[6] = b6;
    p[7] = b7;
    return p + MPC_SHORT_SIZE;
}

void mptable_build(uint8_t *buf, const uint8_t *apic_ids, unsigned nr_cpus)
{
    uint32_t start = mptable_start(nr_cpus);
    uint32_t cfg_addr = mpc_addr(nr_cpus);
    uint8_t *cfg = buf + (cfg_addr - start);
    uint8_t *mpf = buf + (MPTABLE_END - MPF_SIZE - start);
    uint8_t ioapic_id = apic_ids[nr_cpus - 1] + 1;
    uint8_t *p;

    g_assert(nr_cpus >= 1 && apic_ids[nr_cpus - 1] < MPTABLE_MAX_CPUS);
    memset(buf, 0, MPTABLE_END - start);

    /* Configuration table header; the lengths and sums come last. */
    memcpy(cfg, "PCMP", 4);
    cfg[6] = MP_SPEC_REV_1_4;
    memcpy(cfg + 8, "EMU     ", 8);            /* OEM ID */
    memcpy(cfg + 16, "microvm     ", 12);      /* product ID */
    x86_st16(cfg + 34, nr_cpus + 1 + 1 + ISA_IRQS + 2);
    x86_st32(cfg + 36, X86_LAPIC_ADDR);

    p = cfg + MPC_HEADER_SIZE;
    for (unsigned i = 0; i < nr_cpus; i++) {
        p[0] = MPC_PROCESSOR;
        p[1] = apic_ids[i];                     /* local APIC ID */
        p[2] = LAPIC_VERSION;
        p[3] = MPC_CPU_ENABLED | (i == 0 ? MPC_CPU_BSP : 0);
        x86_st32(p + 4, MP_CPU_SIGNATURE);
        x86_st32(p + 8, MP_CPU_FEATURES);
        p += MPC_CPU_SIZE;
    }
    p[0] = MPC_BUS;
    p[1] = 0;                                   /* bus ID */
    memcpy(p + 2, "ISA   ", 6);
    p += MPC_SHORT_SIZE;
    p[0] = MPC_IOAPIC;
    p[1] = ioapic_id;
    p[2] = IOAPIC_VERSION;
    p[3] = 1;                                   /* enabled */
    x86_st32(p + 4, X86_IOAPIC_ADDR);
    p += MPC_SHORT_SIZE;
    /* Flags 0: polarity and trigger as the ISA bus defines them. */
    for (unsigned irq = 0; irq < ISA_IRQS; irq++) {
        p = mpc_short_entry(p, MPC_IOINTSRC, MP_INT, 0, 0, 0, irq,
                            ioapic_id, irq);
    }
    p = mpc_short_entry(p, MPC_LINTSRC, MP_EXTINT, 0, 0, 0, 0,
                        MP_LOCAL_ALL, 0);
    p = mpc_short_entry(p, MPC_LINTSRC, MP_NMI, 0, 0, 0, 0,
                        MP_LOCAL_ALL, 1);
    g_assert((size_t)(p - cfg) == mpc_size(nr_cpus));
    x86_st16(cfg + 4, p - cfg);
    cfg[7] = mp_checksum(cfg, p - cfg);

    /* Floating pointer: one 16-byte paragraph, no default config, the
     * IMCR absent (virtual wire mode). */
    memcpy(mpf, "_MP_", 4);
    x86_st32(mpf + 4, cfg_addr);
    mpf[8] = 1;                                 /* length in paragraphs */
    mpf[9] = MP_SPEC_REV_1_4;
    mpf[10] = mp_checksum(mpf, MPF_SIZE);
}
