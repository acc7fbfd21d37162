/*
 * Host execution of the guest's x87, MMX and SSE instructions.
 *
 * The host is x86-64 (tcg's only back end), so an x87/MMX/SSE
 * instruction of the guest computes exactly what the host's own
 * instruction computes: the 80-bit x87 with its precision control and
 * rounding modes, transcendental results, NaN propagation, MXCSR
 * rounding, DAZ and FTZ.  The translator turns each such instruction into
 * a normalized host instruction (a "stub", made once and cached here): the
 * same opcode and register numbers, with a memory operand moved to a
 * buffer addressed by %rdi and a general register operand moved to %eax
 * (ModRM reg) or %ecx (ModRM r/m).  helper_host_exec then loads the
 * guest's state into the host's FPU with every exception masked, so that
 * the host never traps: for an x87 or MMX instruction all of env->fx
 * (kept in the FXSAVE layout for this) with FXRSTOR, for an SSE one
 * XMM0-15 and MXCSR only; runs the stub, saves the state back, puts the
 * host's control words back, and applies what the guest's exception
 * masks say (the x87's ES and #MF on the next waiting instruction, SSE's
 * #XM).  The moves and the bitwise logic of SSE do not come here: the
 * translator does them inline (translate-fpu.c); nor, while the guest's
 * MXCSR is live in the host's, the SSE instructions on XMM registers and
 * memory only: generated code calls a direct stub for each (below).
 *
 * Stubs are built only from the decoder's tables of the x87 and SSE
 * opcodes (translate-fpu.c), never from guest bytes as such.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/osdep.h"
#include "util/bswap.h"
#include "util/error.h"
#include "target/i386/fpu.h"
#include <sys/mman.h>

/*
 * What the run functions see: the guest's x87/SSE state (the x87 path
 * loads and saves all of it; the SSE path only XMM0-15, from and to
 * env), the three general registers and RFLAGS given to the stub and
 * taken from it (RFLAGS loaded only if load_rflags: fcmov reads it, and
 * POPF is slow), the memory operand, and the host's FCW.
 *
 * Of the host's FPU state only the control words have to survive: XMM
 * registers and the MXCSR flags are caller-saved in the host's calling
 * convention and the x87 stack is empty between calls.  MXCSR is the C
 * side's business (host_mxcsr_control, mxcsr_store).
 */
typedef struct X86HostFrame {
    X86FXState guest;
    uint64_t rax, rcx, rdx, rflags;
    uint8_t mem[16];
    uint16_t host_fcw;
    uint8_t load_rflags;
    uint16_t run_fcw;            /* x87 path: FCW and MXCSR for the stub */
    uint32_t run_mxcsr;
} __attribute__((aligned(16))) X86HostFrame;

_Static_assert(offsetof(X86HostFrame, rax) == 512, "frame layout");
_Static_assert(offsetof(X86HostFrame, rflags) == 536, "frame layout");
_Static_assert(offsetof(X86HostFrame, mem) == 544, "frame layout");
_Static_assert(offsetof(X86HostFrame, host_fcw) == 560, "frame layout");
_Static_assert(offsetof(X86HostFrame, load_rflags) == 562, "frame layout");
_Static_assert(offsetof(X86HostFrame, run_fcw) == 564, "frame layout");
_Static_assert(offsetof(X86HostFrame, run_mxcsr) == 568, "frame layout");

/* The whole state: FXRSTOR state (the guest's own, read in place: a
 * copy costs as much as the FXRSTOR), then FNCLEX (no exception flag
 * set, so that what the stub raises shows; a no-wait instruction, so a
 * pending unmasked exception of the guest does not trap) and
 * frame->run_fcw and run_mxcsr; the stub; FXSAVE to frame->guest; then
 * an empty x87 stack (EMMS: every register empty; FNINIT would do it
 * too, but costs a hundred times more here) and the host's FCW. */
void x86_host_run_x87(X86HostFrame *frame, const void *stub,
                      const X86FXState *state)
    __asm__("x86_host_run_x87");
/* SSE only: XMM0-15 from xmm_in, the stub, XMM0-15 to xmm_out (which
 * may be xmm_in); MXCSR as the caller set it. */
void x86_host_run_sse(X86HostFrame *frame, const void *stub,
                      const void *xmm_in, void *xmm_out)
    __asm__("x86_host_run_sse");

/* Both: r11 the frame, rsi the stub.  The stub may change rax, rcx, rdx,
 * RFLAGS, the FPU and the memory operand, nothing else. */
#define HOST_RUN_STUB                                                   \
        "    cmpb $0, 562(%r11)\n"                                      \
        "    je 1f\n"                                                   \
        "    pushq 536(%r11)\n"                                         \
        "    popfq\n"                                                   \
        "1:  mov 512(%r11), %rax\n"                                     \
        "    mov 520(%r11), %rcx\n"                                     \
        "    mov 528(%r11), %rdx\n"                                     \
        "    lea 544(%r11), %rdi\n"                                     \
        "    push %r11\n"                                               \
        "    call *%rsi\n"                                              \
        "    pop %r11\n"                                                \
        "    pushfq\n"                                                  \
        "    popq 536(%r11)\n"                                          \
        "    mov %rax, 512(%r11)\n"                                     \
        "    mov %rcx, 520(%r11)\n"                                     \
        "    mov %rdx, 528(%r11)\n"
#define XMM_ALL(insn, base)                                             \
        insn(base, 0) insn(base, 1) insn(base, 2) insn(base, 3)         \
        insn(base, 4) insn(base, 5) insn(base, 6) insn(base, 7)         \
        insn(base, 8) insn(base, 9) insn(base, 10) insn(base, 11)       \
        insn(base, 12) insn(base, 13) insn(base, 14) insn(base, 15)
#define XMM_LOAD(base, n) "    movdqu " #n "*16(" base "), %xmm" #n "\n"
#define XMM_STORE(base, n) "    movdqu %xmm" #n ", " #n "*16(" base ")\n"

__asm__(".text\n"
        ".p2align 4\n"
        ".globl x86_host_run_x87\n"
        ".hidden x86_host_run_x87\n"
        ".type x86_host_run_x87, @function\n"
        "x86_host_run_x87:\n"
        "    mov %rdi, %r11\n"
        "    fnstcw 560(%r11)\n"
        "    fxrstor64 (%rdx)\n"
        "    fnclex\n"
        "    fldcw 564(%r11)\n"
        "    ldmxcsr 568(%r11)\n"
        HOST_RUN_STUB
        "    fxsave64 (%r11)\n"
        "    emms\n"
        "    fldcw 560(%r11)\n"
        "    ret\n"
        ".size x86_host_run_x87, . - x86_host_run_x87\n"
        "\n"
        ".p2align 4\n"
        ".globl x86_host_run_sse\n"
        ".hidden x86_host_run_sse\n"
        ".type x86_host_run_sse, @function\n"
        "x86_host_run_sse:\n"
        "    mov %rdi, %r11\n"
        XMM_ALL(XMM_LOAD, "%rdx")
        "    push %rcx\n"
        HOST_RUN_STUB
        "    pop %rcx\n"
        XMM_ALL(XMM_STORE, "%rcx")
        "    ret\n"
        ".size x86_host_run_sse, . - x86_host_run_sse\n");

#define MXCSR_FLAGS 0x3f
#define MXCSR_PRE 0x07                   /* IE DE ZE */
#define MXCSR_MASKS 0x1f80

/* STMXCSR is slow (tens of host cycles; LDMXCSR is a few): done only
 * where the flags one instruction raised matter (below). */
static uint32_t mxcsr_store(void)
{
    uint32_t v;

    __asm__ volatile("stmxcsr %0" : "=m"(v));
    return v;
}

static void mxcsr_load(uint32_t v)
{
    __asm__ volatile("ldmxcsr %0" : : "m"(v));
}

/* The control bits of the host's MXCSR, which the host's code never
 * changes (they are callee-saved): read once per thread. */
static uint32_t host_mxcsr_control(void)
{
    static __thread uint32_t control;
    static __thread bool known;

    if (!known) {
        control = mxcsr_store() & ~0x3fu;
        known = true;
    }
    return control;
}

/*
 * The guest's MXCSR in the host's.  An SSE instruction's exception flags
 * are only needed one by one when the guest has an exception unmasked
 * (#XM); with every one masked they only accumulate.  So when the guest's
 * control bits are the host's own (all masked, round to nearest, no DAZ
 * or FTZ: what every compiler's code runs with), the first SSE
 * instruction loads the guest's MXCSR, flags included, into the vCPU
 * thread's MXCSR and the following ones run with no MXCSR access at all
 * (LDMXCSR and STMXCSR were three quarters of an SSE instruction's time
 * here, STMXCSR waiting for the arithmetic to retire).  The flags go
 * back into env (x86_mxcsr_sync) before anything reads or replaces
 * env->fx.mxcsr, and when the vCPU leaves the execution loop, so that
 * the monitor, gdb and FXSAVE see them.  Host code computes the same
 * with the guest's MXCSR loaded (same controls); what it must not do in
 * between is raise flags of its own, and emu's code does no floating
 * point arithmetic on a vCPU thread.
 */
static __thread CPUX86State *mxcsr_live;    /* and its hx_mxcsr_live set */

void x86_mxcsr_sync(CPUX86State *env)
{
    if (mxcsr_live == env) {
        env->fx.mxcsr = (env->fx.mxcsr & ~MXCSR_FLAGS) |
                        (mxcsr_store() & MXCSR_FLAGS);
        mxcsr_load(host_mxcsr_control());
        mxcsr_live = NULL;
        env->hx_mxcsr_live = 0;
    }
}

/* ---- the stubs ---- */

#define STUB_SLOT 128            /* a direct stub's code, or an instruction
                                  * and ret */
#define STUB_AREA (16u << 20)    /* reserved; pages are used as filled */

typedef struct StubKey {
    uint8_t len;
    uint8_t bytes[X86_HOST_STUB_MAX];
    /* direct stubs: ModRM's XMM registers (rm 0xff: memory), whether
     * XMM0 is used implicitly, whether the flags are a result */
    uint8_t reg, rm, xmm0, flags_out;
} StubKey;

static uint8_t *stub_area;
static unsigned stub_count;
static GHashTable *stub_table;           /* StubKey -> index + 1 */
static GHashTable *direct_table;         /* StubKey -> TCGHelperInfo */
static GMutex stub_lock;

static guint stub_hash(gconstpointer p)
{
    const StubKey *k = p;
    guint h = k->len;

    for (unsigned i = 0; i < k->len; i++) {
        h = h * 31 + k->bytes[i];
    }
    return ((h * 31 + k->reg) * 31 + k->rm) * 31 + k->xmm0 * 2 +
           k->flags_out;
}

static gboolean stub_equal(gconstpointer a, gconstpointer b)
{
    const StubKey *x = a, *y = b;

    return x->len == y->len && !memcmp(x->bytes, y->bytes, x->len) &&
           x->reg == y->reg && x->rm == y->rm && x->xmm0 == y->xmm0 &&
           x->flags_out == y->flags_out;
}

/* The stub area and tables, made on first use (stub_lock held). */
static void stubs_init_locked(void)
{
    if (!stub_area) {
        stub_area = mmap(NULL, STUB_AREA, PROT_READ | PROT_WRITE | PROT_EXEC,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (stub_area == MAP_FAILED) {
            error_report("x86 tcg: cannot map memory for the x87/SSE "
                         "instructions: %s", strerror(errno));
            exit(1);
        }
        stub_table = g_hash_table_new_full(stub_hash, stub_equal, g_free,
                                           NULL);
        direct_table = g_hash_table_new_full(stub_hash, stub_equal, g_free,
                                             g_free);
    }
}

/* A new slot of the stub area (stub_lock held): its index. */
static uint32_t stub_alloc(void)
{
    if (stub_count == STUB_AREA / STUB_SLOT) {
        error_report("x86 tcg: more than %u different x87/SSE "
                     "instructions", STUB_AREA / STUB_SLOT);
        exit(1);
    }
    return stub_count++;
}

static uint32_t host_stub_locked(const StubKey *key)
{
    gpointer found = g_hash_table_lookup(stub_table, key);
    uint32_t index;
    uint8_t *slot;

    if (found) {
        return GPOINTER_TO_UINT(found) - 1;
    }
    index = stub_alloc();
    slot = stub_area + index * STUB_SLOT;
    memcpy(slot, key->bytes, key->len);
    memset(slot + key->len, 0xc3, STUB_SLOT - key->len);     /* ret */
    g_hash_table_insert(stub_table, g_memdup2(key, sizeof(*key)),
                        GUINT_TO_POINTER(index + 1));
    return index;
}

uint32_t x86_host_stub(const uint8_t *insn, unsigned len)
{
    StubKey key = { .len = len };
    uint32_t index;

    g_assert(len <= X86_HOST_STUB_MAX);
    memcpy(key.bytes, insn, len);
    g_mutex_lock(&stub_lock);
    stubs_init_locked();
    index = host_stub_locked(&key);
    g_mutex_unlock(&stub_lock);
    return index;
}

static const void *x86_host_stub_code(uint32_t index)
{
    return stub_area + index * STUB_SLOT;
}

/* ---- running one ---- */

#define FSW_EXCEPTIONS 0x3f              /* IE DE ZE OE UE PE */
#define FSW_SF 0x40
#define FSW_ES_B 0x8080                  /* error summary, busy */
#define FSW_FAULTS 0x05                  /* IE ZE: no result */
#define FSW_CC 0x4700                    /* C3 C2 C1 C0 */

/* The x87 status word of a state: ES and B from the flags and masks. */
static uint16_t fsw_summary(uint16_t fsw, uint16_t fcw)
{
    fsw &= ~FSW_ES_B;
    if (fsw & FSW_EXCEPTIONS & ~fcw) {
        fsw |= FSW_ES_B;
    }
    return fsw;
}

void x86_fpu_update_summary(CPUX86State *env)
{
    env->fx.fsw = fsw_summary(env->fx.fsw, env->fx.fcw);
}

/* The SSE path: XMM registers and MXCSR only.  Returns the host's
 * arithmetic flags after the stub. */
static uint32_t host_exec_sse(CPUX86State *env, X86HostFrame *frame,
                              const void *code, uintptr_t ra)
{
    uint32_t mxcsr = env->fx.mxcsr & X86_MXCSR_MASK, raised;
    uint32_t load = (mxcsr & ~MXCSR_FLAGS) | MXCSR_MASKS;
    bool may_trap = (mxcsr & MXCSR_MASKS) != MXCSR_MASKS;
    uint64_t result[16][2] __attribute__((aligned(16)));

    if (mxcsr_live == env) {
        x86_host_run_sse(frame, code, env->fx.xmm, env->fx.xmm);
        return frame->rflags & EFLAGS_CC_MASK;
    }
    if ((mxcsr & ~MXCSR_FLAGS) == host_mxcsr_control()) {
        if (mxcsr_live) {
            x86_mxcsr_sync(mxcsr_live);  /* another vCPU's, on this thread */
        }
        mxcsr_load(mxcsr);
        mxcsr_live = env;
        env->hx_mxcsr_live = 1;
        x86_host_run_sse(frame, code, env->fx.xmm, env->fx.xmm);
        return frame->rflags & EFLAGS_CC_MASK;
    }

    /* Loaded with every exception masked and no flag set, so that what
     * this instruction raises shows; with an exception unmasked the
     * results go aside until it is known that none is taken.  The
     * host's flags need not be put back (caller-saved), its control
     * bits only if they differ. */
    mxcsr_load(load);
    x86_host_run_sse(frame, code, env->fx.xmm,
                     may_trap ? result : env->fx.xmm);
    raised = mxcsr_store() & MXCSR_FLAGS;
    if ((load & ~MXCSR_FLAGS) != host_mxcsr_control()) {
        mxcsr_load(host_mxcsr_control());
    }
    if (raised & ~(mxcsr >> 7)) {
        /* Unmasked: the destination stays, the flags tell why; an
         * unmasked invalid operation, denormal or zero divide stops the
         * computation before the overflow, underflow and precision
         * checks. */
        if (raised & ~(mxcsr >> 7) & MXCSR_PRE) {
            raised &= MXCSR_PRE;
        }
        env->fx.mxcsr = mxcsr | raised;
        x86_raise_exception(env, (env->cr[4] & CR4_OSXMMEXCPT_MASK)
                                 ? EXCP13_XM : EXCP06_ILLOP, ra);
    }
    if (may_trap) {
        memcpy(env->fx.xmm, result, sizeof(result));
    }
    env->fx.mxcsr = mxcsr | raised;
    return frame->rflags & EFLAGS_CC_MASK;
}

/* The x87 (and MMX) path: the whole state.  Returns the host's
 * arithmetic flags after the stub, or HX_DISCARDED. */
static uint32_t host_exec_x87(CPUX86State *env, X86HostFrame *frame,
                              const void *code, uint32_t ctl, uint32_t fip,
                              uint32_t fop_flags, uintptr_t ra)
{
    X86FXState *image = &frame->guest;
    uint16_t fcw = env->fx.fcw, fsw = env->fx.fsw, new_fsw;
    uint32_t mxcsr, raised = 0;
    bool x87 = ctl & HX_X87, sse = ctl & HX_SSE;

    /* FXRSTOR and the run's MXCSR replace the host's */
    x86_mxcsr_sync(env);
    mxcsr = env->fx.mxcsr & X86_MXCSR_MASK;
    /* Run with every exception masked and no flag set, so that what
     * this instruction raises shows.  Without SSE (the x87) MXCSR is
     * not the guest's business: the host's control bits stay. */
    frame->run_fcw = fcw | FSW_EXCEPTIONS;
    frame->run_mxcsr = sse ? (mxcsr & ~MXCSR_FLAGS) | MXCSR_MASKS
                           : host_mxcsr_control();

    x86_host_run_x87(frame, code, &env->fx);

    if (sse) {
        raised = image->mxcsr & MXCSR_FLAGS;
        if ((image->mxcsr & ~MXCSR_FLAGS) != host_mxcsr_control()) {
            mxcsr_load(host_mxcsr_control());
        }
    }
    new_fsw = image->fsw;
    if (x87 && (new_fsw & FSW_FAULTS & ~fcw)) {
        /* An unmasked invalid operation or division by zero leaves the
         * registers and the stack as they were (but for the condition
         * codes); #MF comes with the next waiting instruction. */
        env->fx.fsw = fsw_summary((fsw & ~FSW_CC) |
                                  (new_fsw & (FSW_EXCEPTIONS | FSW_SF |
                                              FSW_CC)), fcw);
        env->fx.fip = fip;
        env->fx.fop = fop_flags & 0x7ff;
        return HX_DISCARDED;
    }
    if (raised & ~(mxcsr >> 7)) {
        /* as in host_exec_sse */
        if (raised & ~(mxcsr >> 7) & MXCSR_PRE) {
            raised &= MXCSR_PRE;
        }
        env->fx.mxcsr = mxcsr | raised;
        x86_raise_exception(env, (env->cr[4] & CR4_OSXMMEXCPT_MASK)
                                 ? EXCP13_XM : EXCP06_ILLOP, ra);
    }
    /* The guest's masks and sticky flags back; only x87 instructions
     * (not the control ones) record FIP and FOP, and the host's own
     * addresses never show. */
    image->fcw = fcw;
    image->fsw = fsw_summary(new_fsw | (fsw & (FSW_EXCEPTIONS | FSW_SF)),
                             fcw);
    image->fop = x87 ? fop_flags & 0x7ff : env->fx.fop;
    image->fip = x87 ? fip : env->fx.fip;
    image->fdp = env->fx.fdp;
    image->mxcsr = mxcsr | raised;
    if (ctl & HX_PENDING) {
        /* a store to guest memory comes first (helper_host_commit) */
        env->hx_pending = *image;
    } else if (sse) {
        x86_fxrstor_image(env, (const uint8_t *)image);
    } else {
        /* the x87 alone leaves MXCSR and the XMM registers as they were */
        x86_fxrstor_image_x87(env, image);
    }
    return frame->rflags & EFLAGS_CC_MASK;
}

static uint32_t host_exec(CPUX86State *env, uint32_t stub, uint32_t ctl,
                          uint32_t fip, uint32_t fop_flags, uintptr_t ra)
{
    X86HostFrame frame;
    const void *code = x86_host_stub_code(stub);
    int ra_reg = ctl & 15, rc_reg = (ctl >> 8) & 15;
    uint32_t result;

    frame.rax = env->regs[(ctl & HX_A_IN) ? ra_reg : R_EAX];
    frame.rcx = env->regs[(ctl & HX_C_IN) ? rc_reg : R_ECX];
    frame.rdx = env->regs[R_EDX];
    /* the arithmetic flags (fcmov reads them); IF as the host has it */
    frame.rflags = ((fop_flags >> 16) & EFLAGS_CC_MASK) | EFLAGS_IF |
                   EFLAGS_FIXED;
    frame.load_rflags = (ctl & HX_FLAGS_IN) != 0;
    memcpy(frame.mem, env->hx_mem, sizeof(frame.mem));

    if ((ctl & (HX_SSE | HX_X87 | HX_MMX | HX_PENDING)) == HX_SSE) {
        result = host_exec_sse(env, &frame, code, ra);
    } else {
        result = host_exec_x87(env, &frame, code, ctl, fip, fop_flags, ra);
        if (result == HX_DISCARDED) {
            return result;
        }
    }
    if (ctl & HX_A_OUT) {
        env->regs[ra_reg] = frame.rax;
    }
    if (ctl & HX_C_OUT) {
        env->regs[rc_reg] = frame.rcx;
    }
    memcpy(env->hx_mem, frame.mem, sizeof(frame.mem));
    return result;
}

uint32_t helper_host_exec(CPUX86State *env, uint32_t stub, uint32_t ctl,
                          uint32_t fip, uint32_t fop_flags)
{
    return host_exec(env, stub, ctl, fip, fop_flags, GETPC());
}

/*
 * A run of x87 instructions as one stub: one FXRSTOR/FXSAVE pair (about
 * 400 ns here) for all of them instead of one each.  With every
 * exception masked in the guest's FCW the host computes, one after the
 * other, exactly what the instructions would compute each on its own:
 * the flags they raise only accumulate (ES stays clear), FCW does not
 * change, and FIP and FOP are the last one's.  The instructions of a run
 * read and write no general register and no EFLAGS, and only the first
 * may read memory (its operand at env->hx_mem, loaded before the call),
 * so nothing but the x87 state changes and nothing can fault.
 */
uint32_t helper_x87_run(CPUX86State *env, uint32_t stub, uint32_t fip,
                        uint32_t fop)
{
    X86HostFrame frame;

    if ((env->fx.fcw & FSW_EXCEPTIONS) != FSW_EXCEPTIONS ||
        (env->fx.fsw & FSW_ES_B)) {
        env->hx_x87_run = 0;
        return 0;
    }
    frame.rax = frame.rcx = frame.rdx = 0;
    frame.rflags = 0;
    frame.load_rflags = 0;
    memcpy(frame.mem, env->hx_mem, sizeof(frame.mem));
    host_exec_x87(env, &frame, x86_host_stub_code(stub), HX_X87, fip, fop,
                  GETPC());
    env->hx_x87_run = 1;
    return 1;
}

/*
 * Direct stubs.  Most SSE arithmetic has only XMM registers and a memory
 * operand: while the guest's MXCSR is live, such an instruction needs
 * nothing of the frame above, so generated code calls a stub made for it
 * that checks env->hx_mxcsr_live, loads the XMM registers the instruction
 * names (and XMM0 if it may use it implicitly) from env, runs it with
 * its memory operand at env->hx_mem, stores the same registers back and
 * returns the arithmetic flags; about ten host instructions instead of a
 * helper call with its frame, thirty-two register moves and the MXCSR
 * round trip.  Not live: it jumps to x86_sse_direct_slow, which goes
 * through helper_host_exec's SSE path with the instruction's plain stub
 * (and makes the MXCSR live if the guest's controls allow).
 */
uint32_t x86_sse_direct_slow(CPUX86State *env, uint32_t plain)
    __asm__("x86_sse_direct_slow");

uint32_t x86_sse_direct_slow(CPUX86State *env, uint32_t plain)
{
    /* reached by a jump from the stub: GETPC() is generated code's */
    return host_exec(env, plain, HX_SSE, 0, 0, GETPC());
}

typedef struct StubCode {
    uint8_t *p;
} StubCode;

static void code_bytes(StubCode *c, const void *bytes, unsigned n)
{
    memcpy(c->p, bytes, n);
    c->p += n;
}

static void code_u8(StubCode *c, uint8_t b)
{
    *c->p++ = b;
}

static void code_u32(StubCode *c, uint32_t v)
{
    stn_le_p(c->p, 4, v);
    c->p += 4;
}

/* movdqu disp32(%rsi), %xmmN (store: the other way) */
static void code_xmm_move(StubCode *c, unsigned n, bool store)
{
    code_u8(c, 0xf3);
    if (n >= 8) {
        code_u8(c, 0x44);                         /* REX.R */
    }
    code_u8(c, 0x0f);
    code_u8(c, store ? 0x7f : 0x6f);
    code_u8(c, 0x86 | ((n & 7) << 3));            /* mod 10, rm %rsi */
    code_u32(c, offsetof(CPUX86State, fx.xmm) + n * 16);
}

const TCGHelperInfo *x86_sse_direct_stub(const uint8_t *insn, unsigned len,
                                         unsigned reg, int rm, bool xmm0,
                                         bool flags_out)
{
    StubKey key = { .len = len, .reg = reg, .rm = rm < 0 ? 0xff : rm,
                    .xmm0 = xmm0, .flags_out = flags_out };
    StubKey plain_key = { 0 };
    TCGHelperInfo *info;
    unsigned regs[3], nregs = 0;
    uint8_t *je_rel, *start;
    uint32_t plain;
    StubCode c;

    g_assert(len <= X86_HOST_INSN_MAX && reg < 16 && rm < 16);
    memcpy(key.bytes, insn, len);
    g_mutex_lock(&stub_lock);
    stubs_init_locked();
    info = g_hash_table_lookup(direct_table, &key);
    if (info) {
        g_mutex_unlock(&stub_lock);
        return info;
    }
    plain_key.len = len;
    memcpy(plain_key.bytes, insn, len);
    plain = host_stub_locked(&plain_key);
    regs[nregs++] = reg;
    if (rm >= 0 && (unsigned)rm != reg) {
        regs[nregs++] = rm;
    }
    if (xmm0 && reg != 0 && rm != 0) {
        regs[nregs++] = 0;
    }
    start = c.p = stub_area + stub_alloc() * STUB_SLOT;
    code_bytes(&c, "\x48\x89\xfe", 3);          /* mov %rdi, %rsi */
    code_bytes(&c, "\x80\xbe", 2);               /* cmpb $0, live(%rsi) */
    code_u32(&c, offsetof(CPUX86State, hx_mxcsr_live));
    code_u8(&c, 0);
    code_bytes(&c, "\x0f\x84", 2);               /* je slow */
    je_rel = c.p;
    code_u32(&c, 0);
    for (unsigned i = 0; i < nregs; i++) {
        code_xmm_move(&c, regs[i], false);
    }
    if (rm < 0) {
        code_bytes(&c, "\x48\x8d\xbe", 3);      /* lea mem(%rsi), %rdi */
        code_u32(&c, offsetof(CPUX86State, hx_mem));
    }
    code_bytes(&c, insn, len);
    if (flags_out) {
        code_bytes(&c, "\x9c\x58\x25", 3);      /* pushfq; pop %rax; and */
        code_u32(&c, EFLAGS_CC_MASK);
    }
    for (unsigned i = 0; i < nregs; i++) {
        code_xmm_move(&c, regs[i], true);
    }
    code_u8(&c, 0xc3);                           /* ret */
    stn_le_p(je_rel, 4, c.p - (je_rel + 4));
    code_u8(&c, 0xbe);                           /* slow: mov $plain, %esi */
    code_u32(&c, plain);
    code_bytes(&c, "\x48\xb8", 2);               /* movabs $slow, %rax */
    stn_le_p(c.p, 8, (uintptr_t)x86_sse_direct_slow);
    c.p += 8;
    code_bytes(&c, "\xff\xe0", 2);               /* jmp *%rax */
    g_assert(c.p - start <= STUB_SLOT);

    info = g_new0(TCGHelperInfo, 1);
    info->func = start;
    info->name = "sse_direct";
    /* reads no guest register, writes none (a #XM leaves by longjmp) */
    info->flags = TCG_CALL_NO_WRITE_GLOBALS;
    info->ret_type = TCG_TYPE_I32;
    info->has_ret = true;
    info->nb_args = 1;
    info->arg_types[0] = TCG_TYPE_I64;
    g_hash_table_insert(direct_table, g_memdup2(&key, sizeof(key)), info);
    g_mutex_unlock(&stub_lock);
    return info;
}

void helper_host_commit(CPUX86State *env)
{
    x86_fxrstor_image(env, (const uint8_t *)&env->hx_pending);
}
