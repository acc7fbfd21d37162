# The x87/MMX/SSE suite of test_x86_tcg.py: the same instructions on the
# same pseudo-random states, natively on the (x86-64) host and inside a
# 32-bit protected-mode guest on emu's tcg, compared bit for bit.
#
# Every case loads a whole x87/SSE state with fxrstor (80-bit values,
# NaNs, infinities, denormals, empty and full stack slots, every x87
# rounding and precision control, every MXCSR rounding mode with and
# without DAZ/FTZ), a 128-byte memory operand, eax/ecx/edx and the
# arithmetic flags, runs one instruction, and prints eax ecx edx eflags,
# the fxsave image (through XMM7) and the memory operand in hex.  So the
# FXSAVE image itself is compared with the host's, and every x87 status
# bit, tag, register, MXCSR flag and XMM byte is.  The guest and the host
# run the very same instruction text (x87 and SSE encodings are the same
# in 32- and 64-bit mode for these operands).
#
# Unmasked exceptions: some cases unmask x87 or SSE exceptions first; the
# x87 then sets ES and the next waiting instruction (fwait) takes #MF, SSE
# takes #XM at once.  The guest's handlers and the host's SIGFPE handler
# (the kernel's saved state and trap number) record the vector and the
# state at the fault the same way, and the case goes on after it.
#
# Not compared: FOP, FIP/FCS and FDP/FDS (the host's instruction and data
# addresses differ from the guest's) and MXCSR_MASK (a host property).
# SPDX-License-Identifier: GPL-2.0-or-later
import random
import struct

from x86_insn_suite import emit_data, emit_exit, emit_output_routines

STATES = 48                # distinct register states
CASES_PER_TEMPLATE = 3
MEM_SIZE = 128             # bytes of memory operand (fnsave writes 108)
IMAGE_PRINTED = 288        # fxsave bytes compared: through XMM7
# words a case prints: its number, eax ecx edx eflags, the vector of the
# exception taken (0: none) and three unused words (so that the memory
# operand after them is 16-byte aligned), memory, image
WORDS = 1 + 8 + MEM_SIZE // 4 + IMAGE_PRINTED // 4
# x87 control words with invalid operation, denormal and zero divide
# unmasked (an unmasked overflow or underflow is delivered re-biased by
# hardware, which emu does not do: docs/x86-tcg.md), and MXCSRs with
# exceptions unmasked
FCW_UNMASKED = [0x0378, 0x0b78, 0x0358]
MXCSR_UNMASKED = [0x1c00, 0x0000, 0x5c40]

# fxsave dwords not compared (see above), as (index, mask of bits compared)
IMAGE_MASKS = {1: 0x0000ffff, 2: 0, 3: 0, 4: 0, 5: 0, 7: 0}
# fnstenv/fnsave (32-bit protected mode): FIP, FCS|FOP, FDP, FDS
ENV_MASKS = {3: 0, 4: 0, 5: 0, 6: 0}

X87_VALUES = [
    (0x0000, 0), (0x8000, 0), (0x3fff, 1 << 63), (0xbfff, 1 << 63),
    (0x3fff, 0xc000000000000000), (0x4000, 0xc90fdaa22168c235),
    (0x7fff, 1 << 63), (0xffff, 1 << 63),                  # infinities
    (0x7fff, 0xc000000000000001), (0xffff, 0xc000000000000000),  # QNaNs
    (0x7fff, 0x8000000000000001),                          # SNaN
    (0x0000, 0x0000000000000123), (0x8000, 0x7fffffffffffffff),  # denormal
    (0x7ffe, 0xffffffffffffffff), (0x0001, 1 << 63),       # max, min
    (0x403e, 1 << 63), (0x401e, 0xffffffff00000000),       # 2^63, 2^32-1
    (0x3ffe, 0x8000000000000001), (0x4001, 0xa000000000000000),
]
FLOAT_VALUES = [0, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000,
                0xff800000, 0x7fc00000, 0xffc00001, 0x7f800001, 0x00000001,
                0x807fffff, 0x7f7fffff, 0x00800000, 0x40400000, 0x3dcccccd,
                0x4effffff, 0xcf000000, 0x3f000000, 0x3fc00000, 0x4f000000]
DOUBLE_VALUES = [0, 1 << 63, 0x3ff0000000000000, 0xbff0000000000000,
                 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
                 0x7ff0000000000001, 0x0000000000000001, 0x000fffffffffffff,
                 0x7fefffffffffffff, 0x0010000000000000, 0x3fb999999999999a,
                 0x41dfffffffc00000, 0xc1e0000000000000, 0x3fe0000000000000,
                 0x3ff8000000000000, 0x43e0000000000000, 0x4004000000000000]
GPR_VALUES = [0, 1, 2, 5, 16, 17, 0x7f, 0x80, 0xffff, 0x8000, 0x7fffffff,
              0x80000000, 0xffffffff, 0xfffffff0, 0x12345678]
# x87 control words: precision (single, double, extended) x rounding,
# every exception masked
FCWS = [0x037f, 0x027f, 0x007f, 0x077f, 0x0b7f, 0x0f7f, 0x067f, 0x0e7f]
MXCSRS = [0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x1fc0, 0x9f80, 0x9fc0, 0xdfc0]


def lanes(rng):
    """16 bytes for an XMM register or the memory operand."""
    kind = rng.randrange(5)
    if kind == 0:
        return b"".join(struct.pack("<I", rng.choice(FLOAT_VALUES))
                        for _ in range(4))
    if kind == 1:
        return b"".join(struct.pack("<Q", rng.choice(DOUBLE_VALUES))
                        for _ in range(2))
    if kind == 2:       # a string with a terminator here and there
        return bytes(rng.choice(b"abcAB0 \0") for _ in range(16))
    if kind == 3:
        return b"".join(struct.pack("<I", rng.choice(GPR_VALUES))
                        for _ in range(4))
    return bytes(rng.randrange(256) for _ in range(16))


def x87_value(rng):
    if rng.randrange(3):
        exp, mant = rng.choice(X87_VALUES)
    else:
        exp = (rng.randrange(0x3fc0, 0x4040) |
               (rng.randrange(2) << 15))
        mant = (1 << 63) | rng.getrandbits(63)
    return struct.pack("<QH", mant, exp) + bytes(6)


def state(rng):
    """A 512-byte fxsave image: a loadable x87/SSE state."""
    top = rng.randrange(8)
    full = rng.choice([0xff, 0xff, 0x7f, 0xfe, 0x0f, 0x00, 0xf0])
    tags = 0
    for i in range(8):          # full[i]: ST(i) in use
        if full & (1 << i):
            tags |= 1 << ((top + i) & 7)
    image = struct.pack("<HHBBHIIII", rng.choice(FCWS), top << 11, tags, 0,
                        0, 0, 0, 0, 0)
    image += struct.pack("<II", rng.choice(MXCSRS), 0)
    for _ in range(8):
        image += x87_value(rng)
    for _ in range(8):
        image += lanes(rng)
    return image + bytes(512 - len(image))


class Template:
    """Instruction text run on a loaded state.  env: the memory operand
    receives an x87 environment (its FIP/FOP/FDP fields not compared);
    defined: the eflags bits compared."""

    def __init__(self, text, env=False):
        self.text = text if isinstance(text, list) else [text]
        self.env = env


def templates():
    t = []
    add = lambda *a, **k: t.append(Template(*a, **k))
    # x87: the register forms
    for op in ["fadd", "fmul", "fsub", "fsubr", "fdiv", "fdivr"]:
        add(f"{op} %st(1), %st")
        add(f"{op} %st, %st(2)")
        add(f"{op}p %st, %st(3)")
    for text in ["fcom %st(1)", "fcomp %st(2)", "fcompp", "fucom %st(3)",
                 "fucomp %st(1)", "fucompp", "fcomi %st(1), %st",
                 "fucomi %st(2), %st", "fcomip %st(1), %st",
                 "fucomip %st(3), %st", "ftst", "fxam", "fchs", "fabs",
                 "fld1", "fldl2t", "fldl2e", "fldpi", "fldlg2", "fldln2",
                 "fldz", "f2xm1", "fyl2x", "fptan", "fpatan", "fxtract",
                 "fprem1", "fdecstp", "fincstp", "fprem", "fyl2xp1", "fsqrt",
                 "fsincos", "frndint", "fscale", "fsin", "fcos",
                 "fxch %st(3)", "fld %st(2)", "fst %st(3)", "fstp %st(1)",
                 "ffree %st(2)", "fnop", "fnclex", "fninit", "fnstsw %ax",
                 "fcmovb %st(1), %st", "fcmove %st(2), %st",
                 "fcmovbe %st(3), %st", "fcmovu %st(1), %st",
                 "fcmovnb %st(1), %st", "fcmovne %st(2), %st",
                 "fcmovnbe %st(3), %st", "fcmovnu %st(1), %st"]:
        add(text)
    # x87: every memory format
    for text in ["flds mem", "fldl mem", "fldt mem", "fsts mem", "fstl mem",
                 "fstps mem", "fstpl mem", "fstpt mem", "filds mem",
                 "fildl mem", "fildll mem", "fists mem", "fistl mem",
                 "fistps mem", "fistpl mem", "fistpll mem", "fisttps mem",
                 "fisttpl mem", "fisttpll mem", "fbld mem", "fbstp mem",
                 "fadds mem", "faddl mem", "fiadds mem", "fiaddl mem",
                 "fsubs mem", "fsubrl mem", "fmuls mem", "fdivl mem",
                 "fdivrs mem", "fidivl mem", "fcoms mem", "fcompl mem",
                 "ficoms mem", "ficompl mem", "fnstcw mem", "fnstsw mem",
                 "fldcw mem", "frstor mem"]:
        add(text)
    # unmasked x87 exceptions: ES, then #MF at fwait
    for fcw in FCW_UNMASKED:
        for text in ["fdiv %st(1), %st", "fsqrt", "fadd %st(2), %st",
                     "fcom %st(1)", "fld %st(7)", "fstp %st(1)", "fistl mem",
                     "fsts mem", "fldl mem", "fdivrs mem", "fucomi %st(1), %st",
                     "fprem", "fyl2x", "fsin", "fxtract", "fscale"]:
            add([f"fldcw fcw_{fcw:x}", text, "fwait"])
    # runs: consecutive x87 instructions that emu's tcg gives the host as
    # one stub when every exception is masked (docs/x86-tcg.md, "Runs"),
    # after a register or a memory load; longer than a run takes; cut by
    # the end of a page (the block's last instruction); and the same with
    # an exception unmasked, where each runs on its own and #MF comes at
    # the waiting instruction after the one that raised it
    runs = [["fld %st(1)", "fmul %st(2), %st", "fxch %st(3)", "fsqrt",
             "faddp %st, %st(2)", "fchs", "fsin", "fdivr %st(1), %st",
             "fucompp", "fld1", "fscale", "fstp %st(1)"],
            ["fldl mem", "fadd %st(1), %st", "fmulp %st, %st(2)",
             "fprem", "fxam", "fdecstp", "ffree %st(0)", "fincstp"],
            ["filds mem", "fld %st(0)", "fmul %st(1), %st",
             "fsubr %st(2), %st", "fpatan", "fldpi", "fdivp %st, %st(1)",
             "fabs", "frndint", "fcom %st(1)", "fstp %st(0)"],
            ["fld1"] * 9 + ["fyl2x", "fsincos", "fptan", "f2xm1",
                            "fxtract", "fyl2xp1", "fcos", "fldz",
                            "fdiv %st, %st(1)"] * 3,
            # (.p2align would jump over its padding with a 16-bit jmp)
            [".space (-(. - suite_start) - 10) & 4095, 0x90", "fldl2e",
             "fmul %st(1), %st", "fldln2", "fadd %st(2), %st",
             "fdivrp %st, %st(1)", "fsqrt", "fxch %st(2)", "fsub %st(1), %st",
             "fldlg2", "fmulp %st, %st(3)"]]
    for text in runs:
        add(text)
    for fcw in FCW_UNMASKED:
        for text in runs[:3]:
            add([f"fldcw fcw_{fcw:x}"] + text + ["fwait"])
    # unmasked SSE exceptions: #XM
    for mxcsr in MXCSR_UNMASKED:
        for text in ["addps %xmm1, %xmm2", "divps mem, %xmm3",
                     "sqrtps %xmm4, %xmm5", "mulss %xmm6, %xmm7",
                     "divsd mem, %xmm1", "cvtps2dq %xmm2, %xmm3",
                     "cvttsd2si %xmm4, %eax", "comiss %xmm5, %xmm6",
                     "ucomisd mem, %xmm7", "minps %xmm1, %xmm2",
                     "cmpltps mem, %xmm3", "roundps $4, %xmm4, %xmm5",
                     "dpps $0xff, %xmm6, %xmm7", "cvtpd2ps mem, %xmm1",
                     "addsubpd %xmm2, %xmm3", "haddps mem, %xmm4"]:
            add([f"ldmxcsr mxcsr_{mxcsr:x}", text])
    # xsave, xrstor (x87 and SSE; XCR0 is 3 in the guest), xgetbv
    for rfbm in (1, 2, 3):
        add([f"mov ${rfbm}, %eax", "xor %edx, %edx", "xsave xarea",
             "fninit", "pxor %xmm1, %xmm1", "xrstor xarea",
             "mov xarea + 512, %ecx", "and $3, %ecx"])
    add(["mov $3, %eax", "xor %edx, %edx", "xsaveopt xarea",
         "movl $1, xarea + 512", "xrstor xarea"])
    add(["mov $3, %eax", "xor %edx, %edx", "xsave xarea",
         "movl $2, xarea + 512", "xrstor xarea"])
    add(["xor %ecx, %ecx", "xgetbv", "and $3, %eax"])
    add("fnstenv mem", env=True)
    add("fnsave mem", env=True)
    add(["fldenv mem", "fnstenv mem"], env=True)
    # SSE and SSE2: moves
    for text in ["movaps %xmm1, %xmm2", "movaps mem, %xmm3",
                 "movaps %xmm4, mem", "movups mem, %xmm1",
                 "movups %xmm5, mem", "movss mem, %xmm2", "movss %xmm3, %xmm4",
                 "movss %xmm6, mem", "movsd mem, %xmm2", "movsd %xmm3, %xmm4",
                 "movsd %xmm6, mem", "movlps mem, %xmm1", "movhps mem, %xmm2",
                 "movlps %xmm3, mem", "movhps %xmm4, mem",
                 "movhlps %xmm1, %xmm2", "movlhps %xmm3, %xmm4",
                 "movapd %xmm5, %xmm6", "movupd mem, %xmm7",
                 "movlpd mem, %xmm1", "movhpd %xmm2, mem",
                 "movd %eax, %xmm1", "movd mem, %xmm2", "movd %xmm3, %ecx",
                 "movd %xmm4, mem", "movq mem, %xmm1", "movq %xmm2, mem",
                 "movq %xmm3, %xmm4", "movdqa %xmm1, %xmm2",
                 "movdqa mem, %xmm3", "movdqa %xmm4, mem",
                 "movdqu mem, %xmm5", "movdqu %xmm6, mem", "lddqu mem, %xmm7",
                 "movntdq %xmm1, mem", "movntps %xmm2, mem",
                 # the store encodings between registers (66 0F D6 movq,
                 # F2/F3 0F 11, 0F 29, 66 0F 7F), done inline like the loads
                 "movq.s %xmm3, %xmm4", "movsd.s %xmm5, %xmm6",
                 "movss.s %xmm7, %xmm1", "movaps.s %xmm2, %xmm3",
                 "movdqa.s %xmm4, %xmm5", "movdqu.s %xmm6, %xmm7",
                 "unpcklpd %xmm1, %xmm2", "unpcklpd mem, %xmm3",
                 "orpd %xmm4, %xmm5", "andnpd mem, %xmm6",
                 "movntpd %xmm7, mem",
                 "movmskps %xmm1, %eax", "movmskpd %xmm2, %ecx",
                 "pmovmskb %xmm3, %edx", "stmxcsr mem",
                 ["movl $0x3fc0, mem", "ldmxcsr mem"]]:
        add(text)
    # SSE and SSE2: floating point, register and memory
    for op in ["add", "sub", "mul", "div", "min", "max", "sqrt"]:
        for kind in ["ps", "ss", "pd", "sd"]:
            add(f"{op}{kind} %xmm1, %xmm2")
            add(f"{op}{kind} mem, %xmm3")
    for text in ["rcpps %xmm1, %xmm2", "rsqrtps mem, %xmm3",
                 "rcpss %xmm4, %xmm5", "rsqrtss %xmm6, %xmm7",
                 "andps %xmm1, %xmm2", "andnps mem, %xmm3", "orps %xmm4, %xmm5",
                 "xorps %xmm6, %xmm7", "andpd %xmm1, %xmm2",
                 "xorpd mem, %xmm3", "comiss %xmm1, %xmm2",
                 "ucomiss mem, %xmm3", "comisd %xmm4, %xmm5",
                 "ucomisd %xmm6, %xmm7", "cvtsi2ss %eax, %xmm1",
                 "cvtsi2sdl mem, %xmm2", "cvtss2si %xmm3, %eax",
                 "cvttss2si %xmm4, %ecx", "cvtsd2si %xmm5, %edx",
                 "cvttsd2si mem, %eax", "cvtps2pd %xmm1, %xmm2",
                 "cvtpd2ps %xmm3, %xmm4", "cvtdq2ps %xmm5, %xmm6",
                 "cvtps2dq %xmm7, %xmm1", "cvttps2dq mem, %xmm2",
                 "cvtdq2pd %xmm3, %xmm4", "cvtpd2dq %xmm5, %xmm6",
                 "cvttpd2dq %xmm7, %xmm1", "cvtss2sd %xmm2, %xmm3",
                 "cvtsd2ss mem, %xmm4", "unpcklps %xmm1, %xmm2",
                 "unpckhpd mem, %xmm3", "shufps $0x1b, %xmm4, %xmm5",
                 "shufpd $1, %xmm6, %xmm7"]:
        add(text)
    for imm in range(8):
        add(f"cmpps ${imm}, %xmm1, %xmm2")
        add(f"cmpsd ${imm}, mem, %xmm3")
    add("cmpss $1, %xmm4, %xmm5")
    add("cmppd $3, mem, %xmm6")
    # SSE2 integers
    for op in ["paddb", "paddw", "paddd", "paddq", "psubb", "psubw", "psubd",
               "psubq", "paddsb", "paddsw", "paddusb", "paddusw", "psubsb",
               "psubsw", "psubusb", "psubusw", "pmullw", "pmulhw", "pmulhuw",
               "pmuludq", "pmaddwd", "psadbw", "pavgb", "pavgw", "pminub",
               "pmaxub", "pminsw", "pmaxsw", "pand", "pandn", "por", "pxor",
               "pcmpeqb", "pcmpeqw", "pcmpeqd", "pcmpgtb", "pcmpgtw",
               "pcmpgtd", "packsswb", "packssdw", "packuswb", "punpcklbw",
               "punpcklwd", "punpckldq", "punpcklqdq", "punpckhbw",
               "punpckhwd", "punpckhdq", "punpckhqdq", "psllw", "pslld",
               "psllq", "psrlw", "psrld", "psrlq", "psraw", "psrad"]:
        add(f"{op} %xmm1, %xmm2")
        add(f"{op} mem, %xmm3")
    for op in ["psllw", "pslld", "psllq", "psrlw", "psrld", "psrlq", "psraw",
               "psrad", "pslldq", "psrldq"]:
        for n in (0, 1, 7, 15, 16, 33, 64):
            add(f"{op} ${n}, %xmm4")
    for text in ["pshufd $0x1b, %xmm1, %xmm2", "pshufhw $0xe4, mem, %xmm3",
                 "pshuflw $0x55, %xmm4, %xmm5", "pinsrw $3, %eax, %xmm1",
                 "pinsrw $7, mem, %xmm2", "pextrw $5, %xmm3, %ecx",
                 # MMX (its registers are the x87's)
                 "paddb %mm1, %mm2", "pmulhw mem, %mm3", "psrlq $3, %mm4",
                 "movd %eax, %mm5", "movd %mm6, %ecx", "movq mem, %mm7",
                 "movq %mm1, mem", "punpcklbw %mm2, %mm3", "emms",
                 "pshufw $0x1b, %mm1, %mm2", "cvtpi2ps %mm3, %xmm1",
                 "cvtps2pi %xmm2, %mm4", "movq2dq %mm5, %xmm6",
                 "movdq2q %xmm7, %mm0",
                 # the bytes the mask selects, to [edi] (the host's rdi:
                 # the operand's address is below 4 GiB there too)
                 ["mov $mem, %edi", "maskmovq %mm1, %mm2"],
                 ["mov $mem, %edi", "maskmovdqu %xmm3, %xmm4"],
                 # SSE3
                 "addsubps %xmm1, %xmm2", "addsubpd mem, %xmm3",
                 "haddps %xmm4, %xmm5", "haddpd %xmm6, %xmm7",
                 "hsubps mem, %xmm1", "hsubpd %xmm2, %xmm3",
                 "movsldup %xmm4, %xmm5", "movshdup mem, %xmm6",
                 "movddup %xmm7, %xmm1"]:
        add(text)
    # SSSE3
    for op in ["pshufb", "phaddw", "phaddd", "phaddsw", "phsubw", "phsubd",
               "phsubsw", "pmaddubsw", "pmulhrsw", "psignb", "psignw",
               "psignd", "pabsb", "pabsw", "pabsd"]:
        add(f"{op} %xmm1, %xmm2")
        add(f"{op} mem, %xmm3")
    for n in (0, 3, 8, 17, 32):
        add(f"palignr ${n}, %xmm4, %xmm5")
    # SSE4.1
    for op in ["pblendvb", "blendvps", "blendvpd", "ptest", "pmovsxbw",
               "pmovsxbd", "pmovsxbq", "pmovsxwd", "pmovsxwq", "pmovsxdq",
               "pmovzxbw", "pmovzxbd", "pmovzxbq", "pmovzxwd", "pmovzxwq",
               "pmovzxdq", "pmuldq", "pcmpeqq", "packusdw", "pminsb",
               "pminsd", "pminuw", "pminud", "pmaxsb", "pmaxsd", "pmaxuw",
               "pmaxud", "pmulld", "phminposuw"]:
        add(f"{op} %xmm1, %xmm2")
        add(f"{op} mem, %xmm3")
    for imm in (0, 1, 2, 3, 4, 8, 9, 12):
        for op in ["roundps", "roundss", "roundpd", "roundsd"]:
            add(f"{op} ${imm}, %xmm1, %xmm2")
    for text in ["blendps $5, %xmm1, %xmm2", "blendpd $2, mem, %xmm3",
                 "pblendw $0xa5, %xmm4, %xmm5", "movntdqa mem, %xmm1",
                 "pextrb $9, %xmm1, %eax", "pextrb $3, %xmm2, mem",
                 "pextrw $6, %xmm3, mem", "pextrd $2, %xmm4, %ecx",
                 "pextrd $1, %xmm5, mem", "extractps $3, %xmm6, %edx",
                 "pinsrb $4, %eax, %xmm1", "pinsrb $15, mem, %xmm2",
                 "pinsrd $3, %ecx, %xmm3", "insertps $0x4d, %xmm4, %xmm5",
                 "insertps $0x30, mem, %xmm6", "dpps $0xf1, %xmm1, %xmm2",
                 "dpps $0x7f, mem, %xmm3", "dppd $0x31, %xmm4, %xmm5",
                 "mpsadbw $5, %xmm6, %xmm7", "mpsadbw $2, mem, %xmm1"]:
        add(text)
    # SSE4.2, popcnt
    add("pcmpgtq %xmm1, %xmm2")
    for imm in (0x00, 0x04, 0x08, 0x0c, 0x12, 0x18, 0x1a, 0x3a, 0x40, 0x44,
                0x4c, 0x70):
        add(f"pcmpistri ${imm:#x}, %xmm1, %xmm2")
        add(f"pcmpestri ${imm:#x}, mem, %xmm3")
    for imm in (0x00, 0x08, 0x40, 0x44):
        add(f"pcmpistrm ${imm:#x}, mem, %xmm4")
        add(f"pcmpestrm ${imm:#x}, %xmm5, %xmm6")
    for text in ["crc32b %bl, %eax", "crc32b %ah, %ecx", "crc32b %bh, %edx",
                 "crc32w mem, %ecx", "crc32l %edx, %eax",
                 "crc32b mem, %edx", "popcnt %ecx, %eax", "popcntw mem, %dx",
                 "popcntl mem, %ecx"]:
        add(text)
    return t


def generate(mode, bits=32, seed=0x5eed):
    """The assembly of the suite for mode "guest" or "host" (a 32-bit
    guest: bits is test_x86_tcg's parameter of both suites)."""
    assert bits == 32, "the x87/SSE suite runs in a 32-bit guest"
    host = mode == "host"
    rng = random.Random(seed)
    states = [state(rng) for _ in range(STATES)]
    patterns = [b"".join(lanes(rng) for _ in range(MEM_SIZE // 16))
                for _ in range(STATES)]
    out = []
    emit = out.append

    def ptr(reg):
        return ("%r" if host else "%e") + reg
    emit(".code64" if host else ".code32")
    emit(".text")
    emit("suite_start:")                # on a page boundary in the guest
    if host:
        emit(".globl _start")
        emit("_start:")
        # rt_sigaction(SIGFPE, {fp_fault, SA_SIGINFO | SA_RESTORER |
        # SA_NODEFER, sigreturn}, NULL, 8)
        emit("mov $13, %eax")
        emit("mov $8, %edi")
        emit("mov $sigaction, %esi")
        emit("xor %edx, %edx")
        emit("mov $8, %r10d")
        emit("syscall")
    else:
        emit(".globl pm32")
        emit("pm32:")
        emit("mov $0x10, %ax")
        for seg in ("ds", "es", "ss", "fs", "gs"):
            emit(f"mov %ax, %{seg}")
        emit("mov $0x90000, %esp")
        # the FPU present and native (#MF), SSE on (OSFXSR, OSXMMEXCPT)
        emit("mov %cr0, %eax")
        emit("and $~0xc, %eax")
        emit("or $0x22, %eax")
        emit("mov %eax, %cr0")
        emit("mov %cr4, %eax")
        emit("or $0x40600, %eax")       # and OSXSAVE, XCR0 = x87 | SSE
        emit("mov %eax, %cr4")
        emit("xor %ecx, %ecx")
        emit("xor %edx, %edx")
        emit("mov $3, %eax")
        emit("xsetbv")
        # #MF and #XM: 32-bit interrupt gates to fp_fault_16, fp_fault_19
        for vector in (16, 19):
            emit(f"mov $fp_fault_{vector}, %eax")
            emit(f"mov %ax, idt + {8 * vector}")
            emit(f"movw $8, idt + {8 * vector + 2}")
            emit(f"movw $0x8e00, idt + {8 * vector + 4}")
            emit("shr $16, %eax")
            emit(f"mov %ax, idt + {8 * vector + 6}")
        emit("lidt idt_ptr")
    emit("cld")
    number = 0
    for index, template in enumerate(templates()):
        for k in range(CASES_PER_TEMPLATE):
            which = (index * CASES_PER_TEMPLATE + k * 17) % STATES
            emit(f"movl ${number}, case_number")
            emit(f"mov $pattern_{which}, %esi")
            emit("call load_mem")
            for reg in ("eax", "ecx", "edx", "ebx"):
                emit(f"movl ${rng.choice(GPR_VALUES):#x}, %{reg}")
            emit(f"push ${rng.randrange(0x1000) & 0x8d5 | 2:#x}")
            emit("popf")
            emit(f"fxrstor state_{which}")
            emit("movl $0, out_vector")
            emit(f"movl $case_{number}_done, resume")
            for line in template.text:
                emit(line.replace("mem", "opmem"))
            emit("fxsave out_state")
            emit(f"case_{number}_done:")
            emit("pushf")
            emit(f"pop {ptr('bx')}")
            emit("call print_case")
            number += 1
    emit_exit(emit, host)
    # An exception: its vector and the state at the fault, then on at
    # resume.
    if host:
        # (sig, siginfo, ucontext): uc_mcontext.gregs at 40, REG_RIP 16,
        # REG_TRAPNO 20, the fxsave image's address at 224
        emit("fp_fault:")
        emit("mov 200(%rdx), %eax")
        emit("mov %eax, out_vector")
        emit("mov 224(%rdx), %rsi")
        emit("mov $out_state, %edi")
        emit("mov $128, %ecx")
        emit("1: mov (%rsi), %eax")
        emit("mov %eax, (%rdi)")
        emit("add $4, %rsi")
        emit("add $4, %rdi")
        emit("dec %ecx")
        emit("jnz 1b")
        emit("mov resume, %eax")
        emit("mov %rax, 168(%rdx)")
        emit("ret")
        emit("sigreturn:")
        emit("mov $15, %eax")
        emit("syscall")
    else:
        for vector in (16, 19):
            emit(f"fp_fault_{vector}:")
            emit(f"movl ${vector}, out_vector")
            emit("fxsave out_state")
            # the saved eip becomes resume
            emit("pushl resume")
            emit("popl (%esp)")
            emit("iret")
    # copies MEM_SIZE bytes from esi to the memory operand
    emit("load_mem:")
    emit("mov $opmem, %edi")
    emit(f"mov ${MEM_SIZE // 4}, %ecx")
    emit("1: mov (%" + ("rsi" if host else "esi") + "), %eax")
    emit("mov %eax, (%" + ("rdi" if host else "edi") + ")")
    emit("add $4, %esi")
    emit("add $4, %edi")
    emit("dec %ecx")
    emit("jnz 1b")
    emit("ret")
    # one line: case, eax ecx edx eflags (ebx), the memory, the image
    emit("print_case:")
    emit("mov %eax, out_regs")
    emit("mov %ecx, out_regs + 4")
    emit("mov %edx, out_regs + 8")
    emit("mov %ebx, out_regs + 12")
    emit("mov out_vector, %eax")
    emit("mov %eax, out_regs + 16")
    emit("mov case_number, %ebx")
    emit("call print_word")
    emit("mov $out_regs, %esi")
    emit(f"mov ${WORDS - 1}, %ecx")
    emit("1: push " + ptr("cx"))
    emit("push " + ptr("si"))
    emit("mov $0x20, %al")
    emit("call putc")
    emit("pop " + ptr("si"))
    emit("mov (" + ptr("si") + "), %ebx")
    emit("push " + ptr("si"))
    emit("call print_word")
    emit("pop " + ptr("si"))
    emit("pop " + ptr("cx"))
    emit("add $4, %esi")
    emit("dec %ecx")
    emit("jnz 1b")
    emit("mov $0x0a, %al")
    emit("call putc")
    emit("ret")
    emit_output_routines(emit, host)
    for fcw in FCW_UNMASKED:
        emit(f"fcw_{fcw:x}: .word {fcw:#x}")
    emit(".p2align 2")
    for mxcsr in MXCSR_UNMASKED:
        emit(f"mxcsr_{mxcsr:x}: .long {mxcsr:#x}")
    if host:
        emit(".p2align 3")
        emit("sigaction: .quad fp_fault, 0x44000004, sigreturn, 0")
    else:
        emit("idt_ptr: .word 0x100")
        emit(".long idt")
    # the states and patterns (read-only: in the image for the guest)
    emit(".p2align 4")
    for i, image in enumerate(states):
        emit(f"state_{i}: .byte " + ",".join(str(b) for b in image))
    for i, pattern in enumerate(patterns):
        emit(f"pattern_{i}: .byte " + ",".join(str(b) for b in pattern))
    # out_regs, opmem and out_state (fxsave: 512 bytes, 16-aligned; the
    # first IMAGE_PRINTED printed) are printed as one array; xarea (xsave)
    # is 64-byte aligned
    layout = [("xarea", 576), ("out_regs", 32), ("opmem", MEM_SIZE), ("out_state", 512),
              ("case_number", 4), ("out_vector", 4), ("resume", 8),
              ("output_end", 4), ("idt", 0x100)]
    emit_data(emit, host, layout)
    return "\n".join(out) + "\n"


def parse(text):
    """Cases from a program's output: lists of words, the case number
    first."""
    words = WORDS
    cases = []
    for line in text.splitlines():
        case = [int(w, 16) for w in line.split()]
        if len(case) != words:
            raise ValueError(f"malformed line {line!r}")
        cases.append(case)
    return cases


def differences(host_cases, guest_cases):
    """Human-readable differences, bit for bit but for the fields the
    header names."""
    table = [t for t in templates() for _ in range(CASES_PER_TEMPLATE)]
    found = []
    if len(host_cases) != len(guest_cases):
        found.append(f"{len(host_cases)} cases on the host, "
                     f"{len(guest_cases)} in the guest")
    names = (["eax", "ecx", "edx", "eflags", "vector"] + ["unused"] * 3 +
             [f"mem[{4 * i}]" for i in range(MEM_SIZE // 4)] +
             [f"fxsave[{4 * i}]" for i in range(IMAGE_PRINTED // 4)])
    image = 8 + MEM_SIZE // 4
    for host, guest in zip(host_cases, guest_cases):
        template = table[host[0]]
        if guest[0] != host[0]:
            found.append(f"case {host[0]}: the guest ran case {guest[0]}")
            break
        for i, (name, w, g) in enumerate(zip(names, host[1:], guest[1:])):
            mask = 0xffffffff
            if i == 3:
                mask = 0x8d5                      # the arithmetic flags
            elif i >= image:
                mask = IMAGE_MASKS.get(i - image, mask)
            elif i >= 8 and template.env:
                mask = ENV_MASKS.get(i - 8, mask)
            if (w ^ g) & mask:
                found.append(f"case {host[0]} ({'; '.join(template.text)}): "
                             f"{name} {g:08x}, the host gives {w:08x}")
    return found
