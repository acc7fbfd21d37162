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
 * guest's x87/SSE state into the host's FPU (FXRSTOR, every exception
 * masked so that the host never traps), runs the stub, saves the state
 * back (FXSAVE), puts the host's own state back, and applies what the
 * guest's exception masks say (the x87's ES and #MF on the next waiting
 * instruction, SSE's #XM).
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
 * What x86_host_run sees: the host's state (saved and put back), the
 * guest's (loaded and saved), the three general registers and RFLAGS
 * given to the stub and taken from it, and the memory operand.
 */
typedef struct X86HostFrame {
    uint8_t host[X86_FXSAVE_SIZE];
    uint8_t guest[X86_FXSAVE_SIZE];
    uint64_t rax, rcx, rdx, rflags;
    uint8_t mem[16];
} __attribute__((aligned(16))) X86HostFrame;

_Static_assert(offsetof(X86HostFrame, guest) == 512, "frame layout");
_Static_assert(offsetof(X86HostFrame, rax) == 1024, "frame layout");
_Static_assert(offsetof(X86HostFrame, rflags) == 1048, "frame layout");
_Static_assert(offsetof(X86HostFrame, mem) == 1056, "frame layout");

void x86_host_run(X86HostFrame *frame, const void *stub)
    __asm__("x86_host_run");

/* rdi: the frame, rsi: the stub.  The stub may change rax, rcx, rdx,
 * RFLAGS, the FPU and the memory operand, nothing else. */
__asm__(".text\n"
        ".p2align 4\n"
        ".globl x86_host_run\n"
        ".hidden x86_host_run\n"
        ".type x86_host_run, @function\n"
        "x86_host_run:\n"
        "    mov %rdi, %r11\n"
        "    fxsave64 (%r11)\n"
        "    fxrstor64 512(%r11)\n"
        "    pushq 1048(%r11)\n"
        "    popfq\n"
        "    mov 1024(%r11), %rax\n"
        "    mov 1032(%r11), %rcx\n"
        "    mov 1040(%r11), %rdx\n"
        "    lea 1056(%r11), %rdi\n"
        "    push %r11\n"
        "    call *%rsi\n"
        "    pop %r11\n"
        "    pushfq\n"
        "    popq 1048(%r11)\n"
        "    mov %rax, 1024(%r11)\n"
        "    mov %rcx, 1032(%r11)\n"
        "    mov %rdx, 1040(%r11)\n"
        "    fxsave64 512(%r11)\n"
        "    fxrstor64 (%r11)\n"
        "    ret\n"
        ".size x86_host_run, . - x86_host_run\n");

/* ---- the stubs ---- */

#define STUB_SLOT 32                     /* instruction, ret, padding */
#define STUB_AREA (4u << 20)

typedef struct StubKey {
    uint8_t len;
    uint8_t bytes[X86_HOST_INSN_MAX];
} StubKey;

static uint8_t *stub_area;
static unsigned stub_count;
static GHashTable *stub_table;           /* StubKey -> index + 1 */
static GMutex stub_lock;

static guint stub_hash(gconstpointer p)
{
    const StubKey *k = p;
    guint h = k->len;

    for (unsigned i = 0; i < k->len; i++) {
        h = h * 31 + k->bytes[i];
    }
    return h;
}

static gboolean stub_equal(gconstpointer a, gconstpointer b)
{
    const StubKey *x = a, *y = b;

    return x->len == y->len && !memcmp(x->bytes, y->bytes, x->len);
}

uint32_t x86_host_stub(const uint8_t *insn, unsigned len)
{
    StubKey key = { .len = len };
    uint32_t index;
    gpointer found;

    g_assert(len <= X86_HOST_INSN_MAX);
    memcpy(key.bytes, insn, len);
    g_mutex_lock(&stub_lock);
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
    }
    found = g_hash_table_lookup(stub_table, &key);
    if (found) {
        index = GPOINTER_TO_UINT(found) - 1;
    } else {
        uint8_t *slot;

        if (stub_count == STUB_AREA / STUB_SLOT) {
            error_report("x86 tcg: more than %u different x87/SSE "
                         "instructions", STUB_AREA / STUB_SLOT);
            exit(1);
        }
        index = stub_count++;
        slot = stub_area + index * STUB_SLOT;
        memcpy(slot, insn, len);
        memset(slot + len, 0xc3, STUB_SLOT - len);        /* ret */
        g_hash_table_insert(stub_table, g_memdup2(&key, sizeof(key)),
                            GUINT_TO_POINTER(index + 1));
    }
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
#define MXCSR_FLAGS 0x3f
#define MXCSR_PRE 0x07                   /* IE DE ZE */
#define MXCSR_MASKS 0x1f80

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
    env->fpus = fsw_summary(env->fpus, env->fpuc);
}

uint32_t helper_host_exec(CPUX86State *env, uint32_t stub, uint32_t ctl,
                          uint32_t fip, uint32_t fop_flags)
{
    X86HostFrame frame;
    uint8_t *image = frame.guest;
    uint16_t fcw = env->fpuc, fsw = env->fpus, new_fsw;
    uint32_t mxcsr = env->mxcsr & X86_MXCSR_MASK, raised;
    int ra_reg = ctl & 15, rc_reg = (ctl >> 8) & 15;
    bool x87 = ctl & HX_X87;

    /* Loaded with every exception masked and no flag set, so that what
     * this instruction raises shows. */
    x86_fxsave_image(env, image);
    stn_le_p(image, 2, fcw | FSW_EXCEPTIONS);
    stn_le_p(image + 2, 2, fsw & ~(FSW_EXCEPTIONS | FSW_SF | FSW_ES_B));
    stn_le_p(image + 24, 4, (mxcsr & ~MXCSR_FLAGS) | MXCSR_MASKS);
    frame.rax = env->regs[(ctl & HX_A_IN) ? ra_reg : R_EAX];
    frame.rcx = env->regs[(ctl & HX_C_IN) ? rc_reg : R_ECX];
    frame.rdx = env->regs[R_EDX];
    /* the arithmetic flags (fcmov reads them); IF as the host has it */
    frame.rflags = ((fop_flags >> 16) & EFLAGS_CC_MASK) | EFLAGS_IF |
                   EFLAGS_FIXED;
    memcpy(frame.mem, env->hx_mem, sizeof(frame.mem));

    x86_host_run(&frame, x86_host_stub_code(stub));

    new_fsw = ldn_le_p(image + 2, 2);
    raised = ldn_le_p(image + 24, 4) & MXCSR_FLAGS;
    if (x87 && (new_fsw & FSW_FAULTS & ~fcw)) {
        /* An unmasked invalid operation or division by zero leaves the
         * registers and the stack as they were (but for the condition
         * codes); #MF comes with the next waiting instruction. */
        env->fpus = fsw_summary((fsw & ~FSW_CC) |
                                (new_fsw & (FSW_EXCEPTIONS | FSW_SF |
                                            FSW_CC)), fcw);
        env->fpip = fip;
        env->fpop = fop_flags & 0x7ff;
        return HX_DISCARDED;
    }
    if ((ctl & HX_SSE) && (raised & ~(mxcsr >> 7))) {
        /* Unmasked: the destination stays, the flags tell why; an
         * unmasked invalid operation, denormal or zero divide stops the
         * computation before the overflow, underflow and precision
         * checks. */
        if (raised & ~(mxcsr >> 7) & MXCSR_PRE) {
            raised &= MXCSR_PRE;
        }
        env->mxcsr = mxcsr | raised;
        x86_raise_exception(env, (env->cr[4] & CR4_OSXMMEXCPT_MASK)
                                 ? EXCP13_XM : EXCP06_ILLOP, GETPC());
    }
    /* The guest's masks and sticky flags back; only x87 instructions
     * (not the control ones) record FIP and FOP, and the host's own
     * addresses never show. */
    stn_le_p(image, 2, fcw);
    stn_le_p(image + 2, 2,
             fsw_summary(new_fsw | (fsw & (FSW_EXCEPTIONS | FSW_SF)), fcw));
    stn_le_p(image + 6, 2, x87 ? fop_flags & 0x7ff : env->fpop);
    stn_le_p(image + 8, 8, x87 ? fip : env->fpip);
    stn_le_p(image + 16, 8, env->fpdp);
    stn_le_p(image + 24, 4, mxcsr | raised);
    if (ctl & HX_A_OUT) {
        env->regs[ra_reg] = frame.rax;
    }
    if (ctl & HX_C_OUT) {
        env->regs[rc_reg] = frame.rcx;
    }
    memcpy(env->hx_mem, frame.mem, sizeof(frame.mem));
    memcpy(env->hx_pending, image, X86_FXSAVE_SIZE);
    if (!(ctl & HX_PENDING)) {
        /* else a store to guest memory comes first (helper_host_commit) */
        helper_host_commit(env);
    }
    return frame.rflags & EFLAGS_CC_MASK;
}

void helper_host_commit(CPUX86State *env)
{
    x86_fxrstor_image(env, env->hx_pending);
}
