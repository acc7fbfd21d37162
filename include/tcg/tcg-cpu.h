/*
 * What a target gives the tcg accelerator and what it may call back.
 *
 * A target that tcg runs sets CPUClass.tcg_ops to a TCGCPUOps table and
 * lays out its CPU object as
 *     struct ArchCPU { CPUState parent_obj; CPUTLB tlb; CPUArchState env; }
 * with the TLB immediately before env: generated code holds env in a host
 * register and reaches the TLB at a fixed negative offset from it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TCG_TCG_CPU_H
#define TCG_TCG_CPU_H

#include "hw/core/cpu.h"
#include "softmmu/memory.h"
#include "sysemu/target.h"
#include "tcg/tcg.h"

/* ---- the softmmu TLB ---- */

/*
 * The guest page: the unit of a TLB entry, of the code the translator
 * protects, and the span within which blocks chain directly.  It is the
 * target's smallest page (ARMv5's tiny pages are 1 KiB, x86's are
 * 4 KiB), so it is the target's, read at run time: the accelerator is
 * built once for every emulator.  A smaller one than the target's
 * costs four times the TLB fills and breaks the chains of most loops.
 */
#define TARGET_PAGE_BITS (target_info.page_bits)
#define TARGET_PAGE_BITS_MAX 12
#define TARGET_PAGE_SIZE (1u << TARGET_PAGE_BITS)
#define TARGET_PAGE_MASK (~(uint64_t)(TARGET_PAGE_SIZE - 1))
/* 1024 direct-mapped entries: with 256, a Linux kernel's accesses to
 * pages 1 MiB apart (text, stacks, the direct map of the same frames)
 * evicted each other at a rate of one slow path per few hundred
 * instructions; a flush clears 4 x 32 KiB. */
#define TLB_BITS 10
#define TLB_SIZE (1 << TLB_BITS)
#define TLB_VICTIM_SIZE 8
#define NB_MMU_MODES 4

/* Low bits of the addr_* fields (below every target's TARGET_PAGE_BITS,
 * above the bits an aligned access of up to 8 bytes checks, so that the
 * fast path's one compare catches both a flag and a misalignment): */
#define TLB_INVALID_MASK (1u << 5)   /* no mapping for this access */
#define TLB_MMIO (1u << 6)           /* go through the slow path */
#define TLB_NOTDIRTY (1u << 7)       /* page holds translated code */
#define TLB_WATCHPOINT (1u << 8)

typedef struct CPUTLBEntry {
    /* Page address of the guest virtual page, ORed with TLB_* flags, or
     * -1 when empty.  The fast path compares addr & (page mask | flags)
     * with the tag: any flag sends the access to the slow path. */
    uint64_t addr_read;
    uint64_t addr_write;
    uint64_t addr_code;
    /* host address = guest virtual address + addend (RAM and ROM) */
    uintptr_t addend;
} CPUTLBEntry;

typedef struct CPUTLBEntryFull {
    hwaddr phys_addr;            /* of the page */
    MemoryRegion *mr;            /* the leaf region the page is in */
    hwaddr offset_in_region;     /* of the page */
    int prot;                    /* PAGE_READ | PAGE_WRITE | PAGE_EXEC */
} CPUTLBEntryFull;

typedef struct CPUTLB {
    CPUTLBEntry table[NB_MMU_MODES][TLB_SIZE];
    CPUTLBEntryFull full[NB_MMU_MODES][TLB_SIZE];
    CPUTLBEntry vtable[NB_MMU_MODES][TLB_VICTIM_SIZE];
    CPUTLBEntryFull vfull[NB_MMU_MODES][TLB_VICTIM_SIZE];
    unsigned vindex[NB_MMU_MODES];
} CPUTLB;

enum {
    PAGE_READ = 1,
    PAGE_WRITE = 2,
    PAGE_EXEC = 4,
    /* kept by tlb_flush_nonglobal (an x86 global page with CR4.PGE) */
    PAGE_GLOBAL = 8,
};

typedef enum MMUAccessType {
    MMU_DATA_LOAD,
    MMU_DATA_STORE,
    MMU_INST_FETCH,
} MMUAccessType;

/* ---- translation blocks ---- */

struct TranslationBlock {
    uint64_t pc;                 /* guest virtual address of the first insn */
    uint64_t cs_base;
    uint32_t flags;              /* target state the code depends on */
    uint32_t cflags;             /* CF_* below */
    hwaddr phys_pc;              /* guest physical address of pc */
    uint16_t size;               /* guest bytes translated */
    uint16_t icount;             /* guest instructions */
    /* the rest belongs to accel/tcg (code pointer, chaining, pages) */
    void *tc_ptr;
    uint32_t tc_size;
    /* direct jumps (goto_tb n): where the back end put the patchable
     * jump, and where its "not chained" path starts (offsets into tc) */
    uint16_t jmp_insn_offset[2];
    uint16_t jmp_reset_offset[2];
    /* offset of the code after the entry check (0: none), where forward
     * chained jumps enter (accel/tcg/translate-all.c, tb_add_jump) */
    uint16_t body_offset;
    void *priv;
};

enum {
    CF_COUNT_MASK = 0x1ff,       /* max instructions (0 = default) */
    CF_NO_CHAIN = 0x200,         /* -d nochain */
    CF_SINGLE_STEP = 0x400,
    /* Set by accel/tcg when the block is invalidated: never in the cflags
     * a lookup asks for, so the jump-cache probe's cflags compare also
     * rejects dead blocks. */
    CF_INVALID = 0x800,
};

/* The host code of the block for pc, cs_base and flags (what the
 * target's get_tb_cpu_state gives now), or the epilogue's: the jump
 * cache, then the hash table.  For a target's own lookup helper, which
 * saves lookup_and_goto_ptr the indirect call (accel/tcg/cpu-exec.c). */
const void *tcg_lookup_tb_ptr(void *env, uint64_t pc, uint64_t cs_base,
                              uint32_t flags);

/* ---- the target's side ---- */

typedef struct TCGCPUOps {
    /* Registers the target's globals (tcg_global_mem_new_*); once. */
    void (*initialize)(void);
    /* The state selecting a translation: pc, cs_base, flags. */
    void (*get_tb_cpu_state)(CPUState *cpu, uint64_t *pc, uint64_t *cs_base,
                             uint32_t *flags);
    /* Translates guest code at tb->pc (at most max_insns) into IR,
     * ending every path with goto_tb/exit_tb/lookup_and_goto_ptr; sets
     * tb->size and tb->icount. */
    void (*translate_code)(CPUState *cpu, TranslationBlock *tb,
                           int max_insns);
    /* A block left at its entry check (TB_EXIT_REQUESTED) before running
     * any instruction: puts tb's start (pc and whatever else the target
     * keeps outside tb->flags) into the CPU state.  A chained jump does
     * not write the pc, so without this an interrupt taken there would
     * return to the block that jumped. */
    void (*synchronize_from_tb)(CPUState *cpu, const TranslationBlock *tb);
    /* After a fault inside a block: the insn_start data of the faulting
     * instruction go back into the CPU state (pc first). */
    void (*restore_state_to_opc)(CPUState *cpu, const TranslationBlock *tb,
                                 const uint64_t *data);
    /* Takes an enabled pending interrupt (sets up the exception entry);
     * true if it did. */
    bool (*cpu_exec_interrupt)(CPUState *cpu, int interrupt_request);
    /* Enters the exception in cpu->exception_index. */
    void (*do_interrupt)(CPUState *cpu);
    /* A TLB miss: walks the guest page tables for addr; on success calls
     * tlb_set_page and returns true; on a fault returns false if probe,
     * else raises the guest's abort (cpu_loop_exit_restore, retaddr). */
    bool (*tlb_fill)(CPUState *cpu, uint64_t addr, int size,
                     MMUAccessType access_type, int mmu_idx, bool probe,
                     uintptr_t retaddr);
    /* cpu_exec is returning to the vCPU thread's loop (to stop, halt,
     * or let the main loop in): state the target keeps in the host's
     * registers across blocks goes back into the CPU state, where the
     * monitor and gdb read it.  NULL: none kept. */
    void (*cpu_exec_exit)(CPUState *cpu);
    /* Whether a halted CPU should wake (an interrupt is pending). */
    bool (*has_work)(CPUState *cpu);
    /* An access with MO_ALIGN to a misaligned address: raises the
     * guest's alignment fault (does not return). */
    void (*do_unaligned_access)(CPUState *cpu, uint64_t addr,
                                MMUAccessType access_type, int mmu_idx,
                                uintptr_t retaddr);
    /* A data access that the bus refused (nothing mapped there, or the
     * device rejected its size): raises the guest's external abort (does
     * not return).  NULL: the access reads as 0, as the log says. */
    void (*do_transaction_failed)(CPUState *cpu, uint64_t addr,
                                  MMUAccessType access_type, int mmu_idx,
                                  uintptr_t retaddr);
    /* The MMU index a block with these TB flags fetches its code with
     * (the one its front end passes to translator_ld*).  Finding a
     * cached block goes through the TLB with it, so that a page which
     * lost execute permission takes the prefetch abort.  NULL: index 0. */
    int (*fetch_mmu_index)(uint32_t tb_flags);
    /* After an instruction whose accesses hit the guest's own
     * watchpoints (bit n: the one with id n, tcg_set_cpu_watchpoints): sets
     * up the guest's debug trap in exception_index, or nothing.  NULL
     * for a target that sets none. */
    void (*watchpoint_trap)(CPUState *cpu, unsigned hits);
    /* A target whose watchpoints stop before the access (ARM's
     * synchronous ones) has this instead: an access to addr hit the
     * guest's watchpoints in hits; it raises the guest's exception at
     * the instruction (cpu_loop_exit_restore with ra) or returns, the
     * hits not counting now (another mode...), and the access goes on. */
    void (*watchpoint_fault)(CPUState *cpu, unsigned hits, uint64_t addr,
                             MMUAccessType access, uintptr_t ra);
    /* Offset of env in the CPU object (offsetof(ArchCPU, env)). */
    size_t env_offset;
} TCGCPUOps;

/* Interrupt request bits (CPUState.interrupt_request). */
enum {
    CPU_INTERRUPT_HARD = 1 << 1, /* IRQ line */
    CPU_INTERRUPT_FIQ = 1 << 2,  /* ARM FIQ line */
    CPU_INTERRUPT_EXITTB = 1 << 3,
    CPU_INTERRUPT_HALT = 1 << 4,
    /* The target's own requests, handed to cpu_exec_interrupt like
     * HARD (x86: NMI, INIT, SIPI). */
    CPU_INTERRUPT_TGT_0 = 1 << 5,
    CPU_INTERRUPT_TGT_1 = 1 << 6,
    CPU_INTERRUPT_TGT_2 = 1 << 7,
};

/* Exception numbers at or above this are accel/tcg's own. */
enum {
    EXCP_INTERRUPT = 0x10000,    /* leave the loop (exit request) */
    EXCP_HLT,                    /* the CPU halted (wfi) */
    EXCP_DEBUG,                  /* breakpoint or single step */
    EXCP_HALTED,
};

/* ---- what targets call ---- */

/* Leaves generated code or a helper, back to the vCPU loop, with
 * cpu->exception_index set. */
void cpu_loop_exit(CPUState *cpu) EMU_NORETURN;
/* The same from a helper called by generated code at host address ra
 * (GETPC()): the guest state is restored to the faulting insn first. */
void cpu_loop_exit_restore(CPUState *cpu, uintptr_t ra) EMU_NORETURN;
#define GETPC() ((uintptr_t)__builtin_return_address(0))

/*
 * Around a device access or a clock read from a helper at ra (GETPC())
 * under -icount: the clock counts the block's instructions up to this
 * one only, as QEMU's does (it ends a block at such an instruction), not
 * the rest of the block, charged when the block began.  No-ops without
 * -icount.
 */
void tcg_icount_io_begin(CPUState *cpu, uintptr_t ra);
void tcg_icount_io_end(CPUState *cpu);

/* Sets cpu_interrupt bits and kicks the vCPU (board IRQ lines). */
void cpu_interrupt(CPUState *cpu, int mask);
void cpu_reset_interrupt(CPUState *cpu, int mask);

/* The guest's own watchpoints (x86 data breakpoints, ARM's DBGWCR):
 * the whole set, replaced whenever the guest changes it.  An access that
 * hits one completes, and its instruction is followed by
 * tcg_ops->watchpoint_trap with bit id set in its hits; or, for a target
 * with tcg_ops->watchpoint_fault, that is called before the access. */
typedef struct CPUWatchpoint {
    uint64_t addr;
    uint64_t len;
    BreakpointType type;         /* BP_WATCH_WRITE, _READ or _ACCESS */
    int id;                      /* 0-31 */
} CPUWatchpoint;
void tcg_set_cpu_watchpoints(CPUState *cpu, const CPUWatchpoint *wps, int n);

/* Installs a translation in the TLB from tlb_fill. */
void tlb_set_page(CPUState *cpu, uint64_t vaddr, hwaddr paddr, int prot,
                  int mmu_idx, uint64_t size);
void tlb_flush(CPUState *cpu);
/* Flushes every entry but those installed with PAGE_GLOBAL (an x86 CR3
 * write keeps the kernel's global pages, as the processor does). */
void tlb_flush_nonglobal(CPUState *cpu);
void tlb_flush_page(CPUState *cpu, uint64_t vaddr);

/* Guest memory from helpers (semihosting, LDM/STM helpers...), through
 * the TLB, faulting like the guest's own access. ra: GETPC() or 0. */
uint32_t cpu_ldub_mmuidx_ra(CPUState *cpu, uint64_t addr, int mmu_idx,
                            uintptr_t ra);
uint32_t cpu_lduw_mmuidx_ra(CPUState *cpu, uint64_t addr, int mmu_idx,
                            uintptr_t ra);
uint32_t cpu_ldl_mmuidx_ra(CPUState *cpu, uint64_t addr, int mmu_idx,
                           uintptr_t ra);
void cpu_stb_mmuidx_ra(CPUState *cpu, uint64_t addr, uint32_t val,
                       int mmu_idx, uintptr_t ra);
void cpu_stw_mmuidx_ra(CPUState *cpu, uint64_t addr, uint32_t val,
                       int mmu_idx, uintptr_t ra);
void cpu_stl_mmuidx_ra(CPUState *cpu, uint64_t addr, uint32_t val,
                       int mmu_idx, uintptr_t ra);
/* Atomic compare-and-swap of size bytes at an aligned guest address (the
 * exclusive stores); returns the old value, stored val only if it was
 * expected. */
uint64_t cpu_cmpxchg_mmuidx_ra(CPUState *cpu, uint64_t addr, int size,
                               uint64_t expected, uint64_t val,
                               int mmu_idx, uintptr_t ra);
/* Atomic read-modify-write (x86 LOCK): size bytes (1, 2, 4 or 8, any
 * alignment) become update(old, opaque) in one host atomic operation on
 * RAM (a read and a write on MMIO, or across a page); returns old.
 * Faults like a store before anything is written. */
typedef uint64_t CPUAtomicUpdate(uint64_t old, const void *opaque);
uint64_t cpu_atomic_rmw_mmuidx_ra(CPUState *cpu, uint64_t addr, int size,
                                  CPUAtomicUpdate *update, const void *opaque,
                                  int mmu_idx, uintptr_t ra);
/* cmpxchg16b: the 16 bytes at a 16-byte aligned addr become val[0] (low)
 * and val[1] if they hold expected[0..1]; true if so, else false with
 * expected = what they hold. */
bool cpu_cmpxchg16_mmuidx_ra(CPUState *cpu, uint64_t addr,
                             uint64_t expected[2], const uint64_t val[2],
                             int mmu_idx, uintptr_t ra);
/* Instruction fetch for the translator (faults become prefetch aborts
 * through tlb_fill with MMU_INST_FETCH); x86 code fetches bytes. */
uint32_t translator_ldl(CPUState *cpu, uint64_t pc, int mmu_idx);
uint32_t translator_lduw(CPUState *cpu, uint64_t pc, int mmu_idx);
uint32_t translator_ldub(CPUState *cpu, uint64_t pc, int mmu_idx);

#endif
