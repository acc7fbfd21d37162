/*
 * The C side of mmu-support.S (and v7-support.S's probe_ldrex): the
 * routines the MMU guests use to turn translation on and off, flush the
 * TLB, and probe an address with the abort caught, and the CP15 access
 * macros they share.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MMU_SUPPORT_H
#define MMU_SUPPORT_H

#include <stdint.h>

/* What the last abort left: fault_info[0] is set by a taken abort. */
extern volatile uint32_t fault_info[8];
/* ttb is a short-descriptor (uint32_t) or long-descriptor (uint64_t)
 * first-level table. */
void mmu_on(void *ttb, uint32_t dacr);
void mmu_off(void);
void tlb_flush_all(void);
void tlb_flush_one(uint32_t va);
void sync_code(void);
void set_dacr(uint32_t dacr);
uint32_t probe_read(uint32_t addr);
void probe_write(uint32_t addr, uint32_t value);
extern char probe_read_insn[], probe_write_insn[];
uint32_t probe_ldrex(uint32_t addr);
void call_expect_pabt(uint32_t addr);
void dabt_skip_handler(void);
void pabt_resume_handler(void);
void undef_skip_handler(void);

#define CP15_READ(op1, crn, crm, op2) ({ uint32_t v_; \
    __asm__ volatile("mrc p15, " #op1 ", %0, c" #crn ", c" #crm ", " #op2 \
                     : "=r"(v_)); v_; })
#define CP15_WRITE(op1, crn, crm, op2, v) \
    __asm__ volatile("mcr p15, " #op1 ", %0, c" #crn ", c" #crm ", " #op2 \
                     "\n isb" :: "r"(v) : "memory")

#endif
