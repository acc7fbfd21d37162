/*
 * The CPU base type: what the accelerators, the monitor and the gdb stub
 * need from any guest CPU.  Targets derive their CPU from it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef HW_CORE_CPU_H
#define HW_CORE_CPU_H

#include "hw/qdev.h"

#define TYPE_CPU "cpu"

typedef struct CPUState CPUState;
typedef struct TCGCPUOps TCGCPUOps;
typedef struct GDBFeature GDBFeature;   /* include/gdbstub/registers.h */

/* What a debugger asks an accelerator to stop at (AccelOps). */
typedef enum BreakpointType {
    BP_SOFTWARE,
    BP_HARDWARE,
    BP_WATCH_WRITE,
    BP_WATCH_READ,
    BP_WATCH_ACCESS,
} BreakpointType;

/* Why a vCPU stopped for the debugger: the accelerator fills it in
 * before it stops the machine with RUN_STATE_DEBUG, the gdb stub reads
 * it for its stop reply. */
typedef enum CPUDebugReason {
    CPU_DEBUG_NONE,
    CPU_DEBUG_BREAKPOINT,
    CPU_DEBUG_STEP,
    CPU_DEBUG_WATCHPOINT,
} CPUDebugReason;

typedef struct CPUDebugStop {
    CPUDebugReason reason;
    BreakpointType watch_type;   /* CPU_DEBUG_WATCHPOINT: which kind */
    uint64_t watch_addr;         /* and the address the guest accessed */
} CPUDebugStop;

#define CPU_DUMP_FPU 1

typedef struct CPUClass {
    DeviceClass parent_class;
    /* Architectural reset of the registers. */
    void (*cpu_reset)(CPUState *cpu);
    /* "info registers" text, in QEMU's format for the architecture;
     * flags as QEMU's: CPU_DUMP_FPU adds the floating-point registers
     * ("info registers" and -d cpu,fpu). */
    void (*dump_state)(CPUState *cpu, GString *out, int flags);
    uint64_t (*get_pc)(CPUState *cpu);
    void (*set_pc)(CPUState *cpu, uint64_t pc);
    /* Guest virtual to physical, for "x" and the gdb stub. */
    bool (*get_phys_addr_debug)(CPUState *cpu, uint64_t vaddr, hwaddr *paddr);
    /* Capstone's cs_arch and cs_mode for code at the current state
     * (ARM or Thumb, 16/32/64-bit x86): "x /i" and "-d in_asm". */
    void (*disas_config)(CPUState *cpu, int *cs_arch, int *cs_mode);
    /* Bytes in an address as "x" prints it (4 or 8). */
    int address_bytes;
    /* The value of register name ("pc", "r0", "rax"...) for "$name" in
     * monitor expressions; false when there is no such register. */
    bool (*monitor_get_register)(CPUState *cpu, const char *name,
                                 uint64_t *value);
    /* Applies the options of -cpu MODEL,OPTIONS (the text after the
     * first comma) before realize; NULL: the model takes none. */
    bool (*parse_options)(CPUState *cpu, const char *options, Error **errp);
    /* -cpu help where the target lists its models its own way (x86) */
    void (*list_models)(GString *out);
    /* How tcg translates and runs it (NULL: tcg cannot). */
    const TCGCPUOps *tcg_ops;
    /*
     * The gdb remote protocol's view (gdbstub/): the architecture name
     * of the target description, its features (a NULL-terminated array:
     * core first, optional units such as VFP only where the CPU has
     * them), and one register by its gdb number in target byte order.
     * read appends the register and returns its size, 0 for a number
     * the CPU does not have; write takes exactly the register's size.
     */
    const char *gdb_arch;
    const GDBFeature *const *(*gdb_features)(CPUState *cpu);
    int (*gdb_read_register)(CPUState *cpu, GByteArray *buf, int regnum);
    bool (*gdb_write_register)(CPUState *cpu, const uint8_t *buf,
                               int regnum);
    /* Raises a non-maskable interrupt (the monitor's "nmi"); NULL for
     * an architecture without one, where "nmi" is refused as in QEMU. */
    void (*inject_nmi)(CPUState *cpu);
    /*
     * dump-guest-memory's ELF core (monitor/dump.c): the e_machine for
     * the vCPU's current state, and its notes (elf_note_append of
     * sysemu/dump.h), id being the core's thread id (cpu_index + 1).
     * As QEMU, the core has every vCPU's register notes first, then
     * every vCPU's "QEMU" notes: late asks for the latter.
     */
    int (*elf_machine)(CPUState *cpu);
    void (*write_elf_notes)(CPUState *cpu, GByteArray *notes, int id,
                            bool late);
} CPUClass;

struct CPUState {
    DeviceState parent_obj;
    int cpu_index;
    GThread *thread;
    int thread_id;               /* the host thread's id, for info cpus */
    bool created;                /* its thread is up */
    bool stop;                   /* asked to pause */
    bool stopped;                /* paused, out of guest code */
    bool halted;                 /* waiting for an interrupt */
    volatile int exit_request;   /* polled by guest code: leave now */
    /* -icount (softmmu/icount.c): the instructions the running slice may
     * still execute, counted down by guest code at each block entry, and
     * the slice's whole budget. */
    int32_t icount_decr;
    int64_t icount_budget;
    volatile uint32_t interrupt_request;  /* CPU_INTERRUPT_* (tcg) */
    int exception_index;         /* pending exception (tcg), -1: none */
    /* The board's ignore_memory_transaction_failures (hw/boards.h). */
    bool ignore_memory_transaction_failures;
    /* The machine's -smp topology (cpu_create; 1, 1, 1 without a
     * machine), for the CPUs that describe it to the guest. */
    unsigned nr_sockets, nr_cores, nr_threads;
    GCond halt_cond;             /* wakes the vCPU thread */
    CPUDebugStop debug_stop;     /* the last stop for the debugger */
    void *accel;                 /* the accelerator's per-vCPU state */
    void (*accel_free)(void *accel);  /* frees it when the CPU goes */
};

#define CPU(obj) INSTANCE_CAST(CPUState, (obj), TYPE_CPU)
#define CPU_GET_CLASS(obj) CLASS_CAST(CPUClass, OBJECT(obj)->klass, TYPE_CPU)
#define CPU_CLASS(klass) CLASS_CAST(CPUClass, (klass), TYPE_CPU)

/* Every vCPU, in index order. */
extern GPtrArray *cpus;
/* The vCPU this thread runs, or NULL on other threads. */
extern __thread CPUState *current_cpu;

/* "pxa255" -> its class for this target; NULL when unknown. */
ObjectClass *cpu_class_by_name(const char *model);
/* "Available CPUs:" and one model per line. */
void cpu_list(GString *out);
/* Creates, numbers and realizes a vCPU of the given type. */
CPUState *cpu_create(const char *typename, Error **errp);
void cpu_reset(CPUState *cpu);
/* The monitor's "nmi" and QMP's inject-nmi: an NMI to every vCPU, as
 * QEMU sends it; QEMU's "this feature or command is not currently
 * supported" for an architecture without one (CPUClass.inject_nmi). */
bool cpu_inject_nmi_all(Error **errp);

/* ---- run control (softmmu/cpus.c) ---- */

/* Asks every vCPU to leave guest code and waits until they have. */
void pause_all_vcpus(void);
void resume_all_vcpus(void);
/* The PC of the vCPU this thread runs, for logs of its memory accesses
 * (installed with memory_set_accessor_pc_func); false off vCPU threads. */
bool cpu_current_pc(uint64_t *pc);
/* The calling vCPU thread's cpu_index, or -1 on other threads. */
int cpu_current_index(void);
/* Makes a vCPU leave guest code soon (interrupt, monitor, stop). */
void cpu_exit(CPUState *cpu);
/* Wakes a halted vCPU or kicks a running one. */
void cpu_kick(CPUState *cpu);
/* A vCPU thread, with the lock held, says it is up (its thread id is
 * known); whoever started it may wait for that. */
void cpu_thread_created(CPUState *cpu);
void cpu_wait_created(CPUState *cpu);
/* Called by vCPU threads with the lock held: park while asked to stop. */
void cpu_wait_while_stopped(CPUState *cpu);
/* Register state between the accelerator and the CPU object: fetch it
 * before reading, push it back after writing (monitor, gdb stub). */
void cpu_synchronize_state(CPUState *cpu);
void cpu_synchronize_post_write(CPUState *cpu);
/*
 * A debugger's access to guest memory at a virtual address, through the
 * vCPU's page tables: reads go through the bus, writes also reach ROM
 * and flash storage (breakpoints in firmware).  False when a page is not
 * mapped or nothing answers at an address.  With the lock held.
 */
bool cpu_memory_rw_debug(CPUState *cpu, uint64_t addr, uint8_t *buf,
                         size_t len, bool is_write);

#endif
