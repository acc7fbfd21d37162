# The x86 instruction suite of test_x86_tcg.py: the same instruction
# sequences, with the same pseudo-random operands, run natively on the
# (x86-64) host and inside a guest on emu's tcg; results, flags, the 16
# conditions and memory are compared wherever the SDM defines them.
#
# Two suites: bits=32 runs in a 32-bit protected-mode guest (the 8-, 16-
# and 32-bit forms compute the same results and flags in 64-bit mode as
# in 32-bit mode, so the host runs the very same instruction text);
# bits=64 runs in a 64-bit long-mode guest, with 64-bit operands (REX.W),
# r8-r15, the byte registers only REX reaches and rip-relative memory.
# Both guests run the cases at CPL 3 under a small kernel, as the host
# runs them in a Linux process; a case that raises an exception resumes
# after its instructions (the host's signal handler, the guest's IDT) and
# prints the vector, the error code and where RIP pointed.
#
# generate(mode, bits) writes the assembly of one program for both sides:
# a firmware image for emu ("guest") or a static x86-64 Linux program
# ("host").  Every case prints one line in hex: the template number, the
# inputs (the registers, eflags and mem; the host only: the guest draws
# the same ones), the outputs, the fault word (fault_word) and the 16
# condition bytes (seto..setnle), in words of the suite's width.
# SPDX-License-Identifier: GPL-2.0-or-later

REGS = ["eax", "ebx", "ecx", "edx", "esi", "edi", "ebp"]
NAMES = REGS + ["eflags", "mem"]
REGS64 = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9",
          "r10", "r11", "r12", "r13", "r14", "r15"]
NAMES64 = REGS64 + ["eflags", "mem"]

CF, PF, AF, ZF, SF, DF, OF = 0x1, 0x4, 0x10, 0x40, 0x80, 0x400, 0x800
ARITH = CF | PF | AF | ZF | SF | OF
ALL = ARITH | DF

# The flags each condition (in setcc order) reads.
CONDITIONS = [("o", OF), ("no", OF), ("b", CF), ("nb", CF), ("z", ZF),
              ("nz", ZF), ("be", CF | ZF), ("nbe", CF | ZF), ("s", SF),
              ("ns", SF), ("p", PF), ("np", PF), ("l", SF | OF),
              ("nl", SF | OF), ("le", ZF | SF | OF), ("nle", ZF | SF | OF)]

# Operands the generator favours, the rest being random or small.
EDGES = [0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff,
         0x80000000, 0xffffffff, 0xfffffffe, 0x80000001, 0x100, 0x10000]
EDGES64 = [0, 1, 2, 0x80, 0xff, 0x8000, 0x7fffffff, 0x80000000, 0xffffffff,
           0x100000000, 0x7fffffffffffffff, 0x8000000000000000,
           0xffffffffffffffff, 0xfffffffffffffffe, 0x8000000000000001,
           0xffffffff80000000]

ITERATIONS = 24
STRING_BUFFER = 256        # bytes of source, then as many of destination

# Register names by operand size (8, 16, 32) for the operands a, b (the
# destination and source of two-operand templates) and the count in cl.
A = {8: "%al", 16: "%ax", 32: "%eax"}
B = {8: "%bl", 16: "%bx", 32: "%ebx"}
D = {8: "%dl", 16: "%dx", 32: "%edx"}
SUFFIX = {8: "b", 16: "w", 32: "l"}


class Template:
    """Instructions run between popf and pushf.  prep: instructions run
    on the input words in memory (in_eax...) before they are loaded, to
    keep a case inside what the instruction defines (no #DE, buffers in
    range).  defined(inputs) gives the flags the SDM defines for those
    inputs, or None when nothing about the outcome is defined."""

    def __init__(self, text, defined=ALL, prep=(), string=False,
                 buffers=False, undefined_regs=lambda inputs: (),
                 host_text=None, architecture=None):
        self.text = text
        # what the host runs instead, for an instruction that 64-bit mode
        # does not have (into): the same outcome by other means
        self.host_text = host_text or text
        # the fault word the SDM gives for these inputs, where the host
        # cannot show it (bound); None: the host's is the reference
        self.architecture = architecture
        self.prep = list(prep)
        self.defined = defined if callable(defined) else (lambda i: defined)
        self.string = string
        # reads or writes the buffers (string instructions do, and their
        # esi and edi are printed as offsets into them)
        self.buffers = buffers or string
        # the registers the SDM leaves undefined for these inputs
        self.undefined_regs = undefined_regs


def count_mask(size):
    """Shift counts are taken mod 64 for 64-bit operands, else mod 32."""
    return 63 if size == 64 else 31


def shift_defined(op, size, count_of):
    """SHL/SHR/SAR/SAL: a zero count changes nothing; AF is undefined, OF
    beyond a count of 1, CF for SHL/SHR at counts of the size or more."""
    def defined(inputs):
        count = count_of(inputs) & count_mask(size)
        if count == 0:
            return ALL
        flags = ALL & ~AF
        if count != 1:
            flags &= ~OF
        if op in ("shl", "shr", "sal") and count >= size:
            flags &= ~CF
        return flags
    return defined


def rotate_defined(count_of, size=32):
    """ROL/ROR/RCL/RCR: only CF and OF change; OF is defined for a masked
    count of 1 only."""
    def defined(inputs):
        count = count_of(inputs) & count_mask(size)
        return ALL if count == 0 else (ALL & ~OF if count != 1 else ALL)
    return defined


def double_shift_defined(size, count_of):
    """SHLD/SHRD: beyond the operand size nothing is defined."""
    def defined(inputs):
        count = count_of(inputs) & count_mask(size)
        if count == 0:
            return ALL
        if count > size:
            return None
        return ALL & ~AF & (ALL if count == 1 else ~OF)
    return defined


def cl_count(inputs):
    return inputs[2] & 0xff


def templates():
    t = []
    # Arithmetic and logic in every form: reg, reg / mem, reg / reg, mem
    # / imm.
    for op in ["add", "adc", "sub", "sbb", "cmp", "and", "or", "xor", "test"]:
        defined = ALL & ~AF if op in ("and", "or", "xor", "test") else ALL
        for size in (8, 16, 32):
            s = SUFFIX[size]
            t.append(Template([f"{op} {B[size]}, {A[size]}"], defined))
            t.append(Template([f"{op}{s} mem, {A[size]}" if op != "test"
                               else f"test{s} {A[size]}, mem"], defined))
            t.append(Template([f"{op} {A[size]}, mem"], defined))
            t.append(Template([f"{op} $0x{0x81 & ((1 << size) - 1):x}, {A[size]}"],
                              defined))
            t.append(Template([f"{op}{s} $0x7f, mem"], defined))
        t.append(Template([f"{op} $-2, %ebx"], defined))
    for op in ["inc", "dec", "neg", "not"]:
        for size in (8, 16, 32):
            t.append(Template([f"{op} {A[size]}"]))
            t.append(Template([f"{op}{SUFFIX[size]} mem"]))
    # Shifts and rotates by cl, by 1 and by immediates.
    for op in ["shl", "shr", "sar", "rol", "ror", "rcl", "rcr"]:
        for size in (8, 16, 32):
            counts = [("%cl", cl_count), ("$1", lambda i: 1)]
            counts += [(f"${n}", (lambda n: lambda i: n)(n))
                       for n in (2, size - 1, size, size + 1, 31)]
            for count, count_of in counts:
                defined = (shift_defined(op, size, count_of)
                           if op in ("shl", "shr", "sar")
                           else rotate_defined(count_of))
                t.append(Template([f"{op} {count}, {A[size]}"], defined))
            t.append(Template([f"{op}{SUFFIX[size]} %cl, mem"],
                              shift_defined(op, size, cl_count)
                              if op in ("shl", "shr", "sar")
                              else rotate_defined(cl_count)))
    for op in ["shld", "shrd"]:
        for size in (16, 32):
            t.append(Template([f"{op} %cl, {B[size]}, {A[size]}"],
                              double_shift_defined(size, cl_count)))
            for n in (1, 7, size - 1):
                t.append(Template([f"{op} ${n}, {B[size]}, {A[size]}"],
                                  double_shift_defined(size,
                                                       (lambda n: lambda i: n)(n))))
            t.append(Template([f"{op} %cl, {B[size]}, mem"],
                              double_shift_defined(size, cl_count)))
    # Multiplication: CF and OF only.
    for size in (8, 16, 32):
        t.append(Template([f"mul {B[size]}"], CF | OF | DF))
        t.append(Template([f"imul {B[size]}"], CF | OF | DF))
        t.append(Template([f"mul{SUFFIX[size]} mem"], CF | OF | DF))
        t.append(Template([f"imul{SUFFIX[size]} mem"], CF | OF | DF))
    for size in (16, 32):
        t.append(Template([f"imul {B[size]}, {A[size]}"], CF | OF | DF))
        t.append(Template([f"imul mem, {A[size]}"], CF | OF | DF))
        t.append(Template([f"imul $-3, {B[size]}, {A[size]}"], CF | OF | DF))
        t.append(Template([f"imul $0x1234, {B[size]}, {A[size]}"], CF | OF | DF))
    # Division without #DE: a divisor with its top bit set above a
    # dividend high half without, or a sign-extended dividend over a
    # divisor of magnitude 4 or more; no flag is defined.
    t.append(Template(["div %bl"], DF, ["orl $0x80, in_ebx",
                                        "andl $0xffff7fff, in_eax"]))
    t.append(Template(["div %bx"], DF, ["orl $0x8000, in_ebx",
                                        "andl $0x7fff, in_edx"]))
    t.append(Template(["div %ebx"], DF, ["orl $0x80000000, in_ebx",
                                         "andl $0x7fffffff, in_edx"]))
    t.append(Template(["divl mem"], DF, ["orl $0x80000000, in_mem",
                                         "andl $0x7fffffff, in_edx"]))
    t.append(Template(["div %ebx"], DF, ["orl $1, in_ebx", "movl $0, in_edx"]))
    for size, extend in [(8, "cbw"), (16, "cwd"), (32, "cdq")]:
        prep = [f"and{SUFFIX[size]} $-3, in_ebx", f"or{SUFFIX[size]} $4, in_ebx"]
        t.append(Template([extend, f"idiv {B[size]}"], DF, prep))
    t.append(Template(["cdq", "idivl mem"], DF, ["andl $-3, in_mem",
                                                 "orl $4, in_mem"]))
    # Bit instructions.
    for op in ["bt", "bts", "btr", "btc"]:
        for size in (16, 32):
            t.append(Template([f"{op} {B[size]}, {A[size]}"], CF | ZF | DF))
            t.append(Template([f"{op} $13, {A[size]}"], CF | ZF | DF))
            t.append(Template([f"{op}{SUFFIX[size]} $5, mem"], CF | ZF | DF))
        # a register bit offset addresses memory beyond the operand: keep
        # it in the dword
        t.append(Template([f"{op} %ebx, mem"], CF | ZF | DF,
                          ["andl $31, in_ebx"]))
        # bit strings: a register offset of -1024..1023 bits reaches
        # 128 bytes either side of the operand
        for size in (16, 32):
            t.append(Template([f"{op}{SUFFIX[size]} {B[size]}, buf + 256"],
                              CF | ZF | DF, BIT_STRING_PREP, buffers=True))
    # (the destination is undefined for a zero source: Intel's and AMD's
    # CPUs leave it alone, as emu does, but the SDM does not promise it)
    for op in ["bsf", "bsr"]:
        for size in (16, 32):
            mask = (1 << size) - 1
            for source, index in [(B[size], 1), ("mem", 8)]:
                t.append(Template(
                    [f"{op} {source}, {A[size]}"], ZF | DF,
                    undefined_regs=(lambda index, mask: lambda inputs:
                                    () if inputs[index] & mask else ("eax",))(
                                        index, mask)))
    t.append(Template(["bswap %eax"]))
    # Exchanges and compare-exchange.
    for size in (8, 16, 32):
        t.append(Template([f"xadd {B[size]}, {A[size]}"]))
        t.append(Template([f"xadd {B[size]}, mem"]))
        t.append(Template([f"cmpxchg {B[size]}, {D[size]}"]))
        t.append(Template([f"cmpxchg {B[size]}, mem"]))
        t.append(Template([f"xchg {B[size]}, {A[size]}"]))
        t.append(Template([f"xchg {B[size]}, mem"]))
    # cmpxchg with equal operands, so the store path runs too
    t.append(Template(["mov mem, %eax", "cmpxchg %ebx, mem"]))
    # LOCKed read-modify-writes (atomic helpers): the same results and
    # flags as the plain forms
    for size in (8, 16, 32):
        x = SUFFIX[size]
        for op in ["add", "or", "adc", "sbb", "and", "sub", "xor"]:
            t.append(Template([f"lock {op} {B[size]}, mem"]))
            t.append(Template([f"lock {op}{x} $0x5a, mem"]))
        for op in ["inc", "dec", "not", "neg"]:
            t.append(Template([f"lock {op}{x} mem"]))
        t.append(Template([f"lock xadd {B[size]}, mem"]))
        t.append(Template([f"lock cmpxchg {B[size]}, mem"]))
    t.append(Template(["mov mem, %eax", "lock cmpxchg %ebx, mem"]))
    for op in ["bts", "btr", "btc"]:
        t.append(Template([f"lock {op}l $5, mem"], CF | ZF | DF))
        t.append(Template([f"lock {op} %ebx, mem"], CF | ZF | DF,
                          ["andl $31, in_ebx"]))
        t.append(Template([f"lock {op}w %bx, buf + 256"], CF | ZF | DF,
                          BIT_STRING_PREP, buffers=True))
    t.append(Template(["mov buf + 64, %eax", "mov buf + 68, %edx",
                       "lock cmpxchg8b buf + 64"], buffers=True))
    t.append(Template(["cmpxchg8b buf + 64"], buffers=True))
    t.append(Template(["mov buf + 64, %eax", "mov buf + 68, %edx",
                       "cmpxchg8b buf + 64"], buffers=True))
    # a table lookup in the buffers (ebx back to 0: not an address)
    t.append(Template(["mov $buf, %ebx", "xlat", "mov $0, %ebx"],
                      buffers=True))
    t.append(Template(["sete mem", "setl %ah", "setnbe %bh"]))
    # Moves and extensions, flags untouched.
    for text in ["movzbl %bl, %eax", "movzwl %bx, %eax", "movsbl %bl, %eax",
                 "movswl %bx, %eax", "movsbw %bl, %ax", "movzbw mem, %ax",
                 "movswl mem, %eax", "cbw", "cwde", "cwd", "cdq",
                 "lea 0x12(%ebx,%ecx,4), %eax", "lea -1(%ebx,%ecx), %ax",
                 "lahf", "sahf", "clc", "stc", "cmc", "cld", "std", "nop"]:
        t.append(Template([text]))
    # Conditional moves and sets with the flags popf left.
    for name, _ in CONDITIONS:
        t.append(Template([f"cmov{name} %ebx, %eax"]))
        t.append(Template([f"cmov{name} mem, %ax"]))
    # Pairs: the second instruction reads flags the first left (the
    # translator knows the first one's kind while it translates).
    for first in ["add %ebx, %eax", "sub %ebx, %eax", "cmp %bl, %al",
                  "neg %edx", "sub %bx, %ax", "shl $1, %eax"]:
        for second in ["adc %ecx, %edx", "sbb %ecx, %edx", "inc %esi",
                       "dec %si", "rcl $1, %edi", "rcr $1, %bp",
                       "setb %cl", "cmc"]:
            # AF is undefined after a shift
            t.append(Template([first, second],
                              ALL & ~AF if first.startswith("shl") else ALL))
    # String instructions with every prefix, in either direction.
    for op in ["movs", "stos", "lods", "cmps", "scas"]:
        for size in (8, 16, 32):
            for prefix in (["", "rep "] if op in ("movs", "stos", "lods")
                           else ["", "repe ", "repne "]):
                t.append(Template([f"{prefix}{op}{SUFFIX[size]}"], string=True,
                                  prep=STRING_PREP))
    t += divide_faults({8: ("%al", "in_eax + 1", "in_eax"), 16: (
        "%ax", "in_edx", "in_eax"), 32: ("%eax", "in_edx", "in_eax")},
        B, "in_ebx", "mem", SUFFIX)
    # into: a trap after it when OF is set; the host (64-bit mode, where
    # into is #UD) raises the same #OF trap with int $4, which Linux
    # allows at CPL 3 as it does into
    t.append(Template(["into"], host_text=["jno 1f", "int $4\n1:"]))
    # bound: #BR (a fault) outside [in_ebx, in_ecx] (32-bit) or the two
    # halves of in_ebx (16-bit); 64-bit mode has no bound, so the fault
    # word is the SDM's
    for size, prep in [(16, []), (32, []), (16, ["movl $0x7fff8000, in_ebx"]),
                       (32, ["movl $0x80000000, in_ebx",
                             "movl $0x7fffffff, in_ecx"])]:
        t.append(Template([f"bound {A[size]}, in_ebx"], prep=prep,
                          host_text=["nop"],
                          architecture=bound_outcome(size)))
    t += [Template([text]) for text in PRIVILEGED + ["lgdt mem", "lidt mem",
                                                     "invlpg mem"]]
    return t


# Instructions that fault at CPL 3 (the suite's user mode, as the host's):
# #GP(0) for the privileged ones and for port I/O above IOPL 0 (the TSS
# has no I/O bitmap, Linux gives the process none), #GP with the IDT
# entry's error code for int to a DPL 0 gate, the traps int3 and int1
# (icebp: no DPL check) with RIP after them, #UD at ud2.
PRIVILEGED = ["cli", "sti", "hlt", "in $0x80, %al", "out %al, $0x80",
              "in (%dx), %eax", "out %ax, (%dx)", "insb", "outsl",
              ".byte 0x0f, 0x20, 0xc0  # mov %cr0, %eax",
              ".byte 0x0f, 0x22, 0xd8  # mov %eax, %cr3",
              ".byte 0x0f, 0x21, 0xf8  # mov %dr7, %eax",
              "lldt %ax", "ltr %ax", "lmsw %ax", "clts", "invd", "wbinvd",
              "rdmsr", "wrmsr", "int $0x41", "int3", ".byte 0xf1  # int1",
              "ud2"]


def divide_faults(dividend, divisor, divisor_word, mem, suffix):
    """div and idiv that raise #DE, by zero and by quotient overflow, at
    each operand size of dividend (size: the low half's register, the high
    half's and the low half's input words) and some that just do not: the
    registers and flags stay as they were, RIP at the instruction."""
    t = []
    for size, (low, high_word, low_word) in dividend.items():
        s, b = suffix[size], divisor[size]
        by_zero = [f"mov{s} $0, {divisor_word}"]
        for op in ("div", "idiv"):
            t.append(Template([f"{op} {b}"], prep=by_zero))
            t.append(Template([f"{op}{s} {mem}"],
                              prep=[f"mov{s} $0, in_mem"]))
        # div: a high half at or above the divisor
        t.append(Template([f"div {b}"], prep=[
            f"mov{s} $-1, {high_word}", f"shr{s} $1, {divisor_word}",
            f"or{s} $1, {divisor_word}"]))
        t.append(Template([f"div {b}"], prep=[
            f"or{s} $1, {divisor_word}", f"mov{s} {divisor_word}, {low}",
            f"mov{s} {low}, {high_word}"]))
        # idiv: the most negative dividend by -1; a quotient of 2^(n-1)
        # (#DE) and of -2^(n-1) (no fault: it fits); low halves of 0
        if size == 8:
            highs = {"top": ["movw $0x8000, in_eax"],
                     "one": ["movw $0x100, in_eax"],
                     "ones": ["movw $0xff00, in_eax"]}
        else:
            zero_low = [f"mov{s} $0, {low_word}"]
            highs = {"top": zero_low + [f"mov{s} $0, {high_word}",
                                        f"bts{s} ${size - 1}, {high_word}"],
                     "one": zero_low + [f"mov{s} $1, {high_word}"],
                     "ones": zero_low + [f"mov{s} $-1, {high_word}"]}
        for high, by in (("top", -1), ("one", 2), ("ones", 2)):
            t.append(Template([f"idiv {b}"], DF if high == "ones" else ALL,
                              highs[high] + [f"mov{s} ${by}, {divisor_word}"]))
    return t


def bound_outcome(size):
    """The fault word of bound A, in_ebx: #BR at the instruction when the
    signed index in eax lies outside the signed bounds."""
    def signed(value):
        value &= (1 << size) - 1
        return value - (1 << size) if value >> (size - 1) else value

    def outcome(inputs):
        index, ebx, ecx = signed(inputs[0]), inputs[1], inputs[2]
        lower, upper = ((signed(ebx), signed(ebx >> 16)) if size == 16
                        else (signed(ebx), signed(ecx)))
        return fault_word(5, AT) if not lower <= index <= upper else 0
    return outcome


# Where a fault's RIP points, in the fault word: the faulting instruction
# (a fault), the end of the case's instructions (a trap), elsewhere.
AT, AFTER, ELSEWHERE = 0, 1, 2
WHERE = {AT: "at the instruction", AFTER: "after it", ELSEWHERE: "elsewhere"}


def fault_word(vector, where, error=0):
    """The word a case prints for an exception: vector + 1, where, the
    error code's low 16 bits; 0 for none."""
    return (vector + 1) << 24 | where << 16 | (error & 0xffff)


# The 64-bit suite's operands: r9 and r10 (REX.B/REX.R) in every width.
A64 = {8: "%r9b", 16: "%r9w", 32: "%r9d", 64: "%r9"}
B64 = {8: "%r10b", 16: "%r10w", 32: "%r10d", 64: "%r10"}
SUFFIX64 = {8: "b", 16: "w", 32: "l", 64: "q"}
MEM = "mem(%rip)"          # rip-relative


def templates64():
    t = []
    for op in ["add", "adc", "sub", "sbb", "cmp", "and", "or", "xor", "test"]:
        defined = ALL & ~AF if op in ("and", "or", "xor", "test") else ALL
        for size in (8, 16, 32, 64):
            s = SUFFIX64[size]
            t.append(Template([f"{op} {B64[size]}, {A64[size]}"], defined))
            t.append(Template([f"{op}{s} {MEM}, {A64[size]}" if op != "test"
                               else f"test{s} {A64[size]}, {MEM}"], defined))
            t.append(Template([f"{op} {A64[size]}, {MEM}"], defined))
            t.append(Template([f"{op}{s} $0x7f, {MEM}"], defined))
        t.append(Template([f"{op} %rbx, %rax"], defined))
        t.append(Template([f"{op} $-0x7f000000, %rax"], defined))
        t.append(Template([f"{op} $-0x7f000000, %r9"], defined))
        t.append(Template([f"{op} $-2, %r11"], defined))
        t.append(Template([f"{op} %sil, %dil"], defined))
        t.append(Template([f"{op} $0x81, %bpl"], defined))
    for op in ["inc", "dec", "neg", "not"]:
        for size in (8, 32, 64):
            t.append(Template([f"{op} {A64[size]}"]))
        t.append(Template([f"{op}q {MEM}"]))
        t.append(Template([f"{op} %dil"]))
    for op in ["shl", "shr", "sar", "rol", "ror", "rcl", "rcr"]:
        for size in (32, 64):
            counts = [("%cl", cl_count), ("$1", lambda i: 1)]
            counts += [(f"${n}", (lambda n: lambda i: n)(n))
                       for n in (2, 31, 32, 33, 63)]
            for count, count_of in counts:
                defined = (shift_defined(op, size, count_of)
                           if op in ("shl", "shr", "sar")
                           else rotate_defined(count_of, size))
                t.append(Template([f"{op} {count}, {A64[size]}"], defined))
        t.append(Template([f"{op}q %cl, {MEM}"],
                          shift_defined(op, 64, cl_count)
                          if op in ("shl", "shr", "sar")
                          else rotate_defined(cl_count, 64)))
        t.append(Template([f"{op} %cl, %sil"],
                          shift_defined(op, 8, cl_count)
                          if op in ("shl", "shr", "sar")
                          else rotate_defined(cl_count, 8)))
    for op in ["shld", "shrd"]:
        t.append(Template([f"{op} %cl, %r10, %r9"],
                          double_shift_defined(64, cl_count)))
        for n in (1, 7, 33, 63):
            t.append(Template([f"{op} ${n}, %r10, %r9"],
                              double_shift_defined(64,
                                                   (lambda n: lambda i: n)(n))))
        t.append(Template([f"{op} %cl, %r10, {MEM}"],
                          double_shift_defined(64, cl_count)))
    for op in ["mul", "imul"]:
        t.append(Template([f"{op} %r10"], CF | OF | DF))
        t.append(Template([f"{op}q {MEM}"], CF | OF | DF))
        t.append(Template([f"{op} %r10d"], CF | OF | DF))
    t.append(Template(["imul %r10, %r9"], CF | OF | DF))
    t.append(Template([f"imul {MEM}, %r9"], CF | OF | DF))
    t.append(Template(["imul $-3, %r10, %r9"], CF | OF | DF))
    t.append(Template(["imul $0x12345678, %r10, %r9"], CF | OF | DF))
    t.append(Template(["imul %r10d, %r9d"], CF | OF | DF))
    # Division without #DE, as in the 32-bit suite.
    t.append(Template(["div %rbx"], DF, ["btsq $63, in_rbx",
                                         "btrq $63, in_rdx"]))
    t.append(Template([f"divq {MEM}"], DF, ["btsq $63, in_mem",
                                            "btrq $63, in_rdx"]))
    t.append(Template(["div %rbx"], DF, ["orq $1, in_rbx", "movq $0, in_rdx"]))
    t.append(Template(["div %r10d"], DF, ["btsq $31, in_r10",
                                          "btrq $31, in_rdx"]))
    t.append(Template(["cqo", "idiv %rbx"], DF, ["andq $-3, in_rbx",
                                                 "orq $4, in_rbx"]))
    t.append(Template(["cqo", f"idivq {MEM}"], DF, ["andq $-3, in_mem",
                                                    "orq $4, in_mem"]))
    for op in ["bt", "bts", "btr", "btc"]:
        t.append(Template([f"{op} %r10, %r9"], CF | ZF | DF))
        t.append(Template([f"{op} $45, %r9"], CF | ZF | DF))
        t.append(Template([f"{op}q $37, {MEM}"], CF | ZF | DF))
        t.append(Template([f"{op} %rbx, {MEM}"], CF | ZF | DF,
                          ["andq $63, in_rbx"]))
        t.append(Template([f"{op}q %rbx, buf + 256"], CF | ZF | DF,
                          BIT_STRING_PREP64, buffers=True))
    for op in ["bsf", "bsr"]:
        for source, index in [("%r10", 9), (MEM, 16)]:
            t.append(Template(
                [f"{op} {source}, %r9"], ZF | DF,
                undefined_regs=(lambda index: lambda inputs:
                                () if inputs[index] else ("r9",))(index)))
    t.append(Template(["bswap %r9"]))
    t.append(Template(["bswap %r9d"]))
    for size in (8, 32, 64):
        t.append(Template([f"xadd {B64[size]}, {A64[size]}"]))
        t.append(Template([f"cmpxchg {B64[size]}, {A64[size]}"]))
        t.append(Template([f"xchg {B64[size]}, {A64[size]}"]))
    t.append(Template([f"xadd %r10, {MEM}"]))
    t.append(Template([f"cmpxchg %r10, {MEM}"]))
    t.append(Template([f"xchg %r10, {MEM}"]))
    t.append(Template([f"mov {MEM}, %rax", f"cmpxchg %rbx, {MEM}"]))
    t.append(Template(["xchg %r8, %rax"]))
    t.append(Template(["cmpxchg16b buf + 64"], buffers=True))
    t.append(Template(["mov buf + 64, %rax", "mov buf + 72, %rdx",
                       "cmpxchg16b buf + 64"], buffers=True))
    t.append(Template(["cmpxchg8b buf + 64"], buffers=True))
    for op in ["add", "adc", "sbb", "sub", "xor"]:
        t.append(Template([f"lock {op} %r10, {MEM}"]))
        t.append(Template([f"lock {op}q $-7, {MEM}"]))
    t.append(Template([f"lock negq {MEM}"]))
    t.append(Template([f"lock xadd %r10, {MEM}"]))
    t.append(Template([f"mov {MEM}, %rax", f"lock cmpxchg %rbx, {MEM}"]))
    t.append(Template([f"lock cmpxchg %r10d, {MEM}"]))
    t.append(Template([f"lock btsq $37, {MEM}"], CF | ZF | DF))
    t.append(Template(["lock cmpxchg16b buf + 64"], buffers=True))
    for name, _ in CONDITIONS:
        t.append(Template([f"cmov{name} %r10, %r9"]))
        t.append(Template([f"cmov{name} {MEM}, %r9d"]))
        t.append(Template([f"set{name} %sil"]))
    for text in ["movslq %r10d, %r9", f"movslq {MEM}, %r9", "movzbq %r10b, %r9",
                 "movsbq %r10b, %r9", "movzwq %r10w, %r9", "movswq %r10w, %r9",
                 f"movsbq {MEM}, %r9", "movzbl %sil, %r9d", "cdqe", "cqo",
                 "cltq", "lea 0x12(%r10,%r11,8), %r9", "lea -1(%rbx,%rcx), %r9d",
                 "lea -8(%r13,%r12), %r9", "lea (%rbp,%r14,2), %r9w",
                 "movabs $0x123456789abcdef0, %r9", "mov $-1, %r9d",
                 "mov $-1, %r9", "mov %r10b, %r9b", "mov %sil, %dil",
                 "mov %bpl, %r11b", "mov %ah, %bh", "mov $0x12, %r15b",
                 "mov %r10d, %r9d", f"movb {MEM}, %r11b", f"mov %r12, {MEM}",
                 "push %r9\npop %r10", f"pushq {MEM}\npop %r11",
                 "pushq $-5\npop %r12", "pushw $7\npopw %r13w", "nop",
                 "xchg %eax, %eax"]:
        t.append(Template(text.split("\n")))
    for first in ["add %rbx, %rax", "sub %r10, %r9", "neg %rdx",
                  "shl $1, %r9", "cmp %r11d, %r12d"]:
        for second in ["adc %rcx, %rdx", "sbb %r11, %r12", "inc %r13",
                       "rcl $1, %r14", "setb %r15b", "cmc"]:
            t.append(Template([first, second],
                              ALL & ~AF if first.startswith("shl") else ALL))
    for op in ["movs", "stos", "lods", "cmps", "scas"]:
        for size in (8, 64):
            for prefix in (["", "rep "] if op in ("movs", "stos", "lods")
                           else ["", "repe ", "repne "]):
                t.append(Template([f"{prefix}{op}{SUFFIX64[size]}"],
                                  string=True, prep=STRING_PREP64))
    t += divide_faults({64: ("%rax", "in_rdx", "in_rax")}, B64, "in_r10",
                       MEM, SUFFIX64)
    t += [Template([text]) for text in PRIVILEGED + [
        f"lgdt {MEM}", f"lidt {MEM}", f"invlpg {MEM}", "swapgs",
        ".byte 0xce  # into: #UD in 64-bit mode"]]
    return t


BIT_STRING_PREP64 = ["andq $0x7ff, in_rbx", "subq $0x400, in_rbx"]
# (room for 15 qwords either way)
STRING_PREP64 = ["andq $7, in_rsi", "addq $buf + 124, in_rsi",
                 "andq $7, in_rdi", f"addq $buf + {STRING_BUFFER} + 124, in_rdi",
                 "andq $15, in_rcx"]


BIT_STRING_PREP = ["andl $0x7ff, in_ebx", "subl $0x400, in_ebx"]

# Source and destination pointers inside the buffers (with room for 15
# dwords either way), and counts of 0 to 15.
STRING_PREP = ["andl $63, in_esi", f"addl $buf + 64, in_esi",
               "andl $63, in_edi", f"addl $buf + {STRING_BUFFER} + 64, in_edi",
               "andl $15, in_ecx"]


def generate(mode, bits=32, iterations=ITERATIONS, seed=0x2545f491):
    """The assembly of the bits-wide suite for mode "guest" or "host"."""
    host = mode == "host"
    wide = bits == 64
    regs, names = (REGS64, NAMES64) if wide else (REGS, NAMES)
    word = bits // 8                # bytes of a printed word
    acc = "%rax" if wide else "%eax"
    q = "q" if wide else "l"
    # registers used as pointers: 64-bit names in 64-bit code
    def ptr(reg):
        return ("%r" if host or wide else "%e") + reg
    out = []
    emit = out.append
    emit(".code64" if host or wide else ".code32")
    emit(".text")
    emit(".globl _start" if host else ".globl lm64" if wide else ".globl pm32")
    if host:
        emit("_start:")
        emit_install_fault_handler(emit)
    else:
        emit("lm64:" if wide else "pm32:")
        emit_user_mode_entry(emit, wide)
    emit("cld")
    emit(f"movl ${seed:#x}, seed")
    for number, template in enumerate(templates64() if wide
                                      else templates()):
        emit(f"movl ${iterations}, iterations_left")
        emit(f"case_{number}:")
        emit("call random_inputs")
        for line in template.prep:
            emit(line)
        if template.buffers:
            emit("call fill_buffers")
        emit(f"mov in_mem, {acc}")
        emit(f"mov {acc}, mem")
        emit(f"mov in_eflags, {acc}")
        emit(f"mov{q} $-1, fault_vector")
        emit(f"mov{q} $at_{number}, fault_at")
        emit(f"mov{q} $resume_{number}, resume_at")
        emit(f"push {ptr('ax')}")
        emit("popf")
        for reg in regs:
            emit(f"mov in_{reg}, %{reg}")
        # the label of the instruction that may fault: the last one
        text = template.host_text if host else template.text
        for line in text[:-1]:
            emit(line)
        emit(f"at_{number}:")
        emit(text[-1])
        emit(f"resume_{number}:")
        emit("pushf")
        for reg in regs:
            emit(f"mov %{reg}, out_{reg}")
        emit("mov $conditions, %ebx")
        for index, (name, _) in enumerate(CONDITIONS):
            emit(f"set{name} {index}({ptr('bx')})")
        emit(f"pop {ptr('ax')}")
        emit(f"mov {acc}, out_eflags")
        emit_fault_word(emit, number, wide)
        emit("cld")
        if template.buffers:
            emit("call checksum_buffers")
        else:
            emit(f"mov mem, {acc}")
        if template.string:
            si, di = ("rsi", "rdi") if wide else ("esi", "edi")
            for where in ("out", "in"):
                emit(f"sub{q} $buf, {where}_{si}")
                emit(f"sub{q} $buf, {where}_{di}")
        emit(f"mov {acc}, out_mem")
        emit(f"movl ${number}, case_number")
        emit("call print_case")
        emit("decl iterations_left")
        emit(f"jnz case_{number}")
    emit_exit(emit, host, user=True)

    # xorshift32
    emit("random:")
    emit("mov seed, %eax")
    for op, n in [("shl", 13), ("shr", 17), ("shl", 5)]:
        emit("mov %eax, %edx")
        emit(f"{op} ${n}, %edx")
        emit("xor %edx, %eax")
    emit("mov %eax, seed")
    emit("ret")

    # The input words: an edge value, a small one or a random one.
    emit("random_inputs:")
    emit("xor %ecx, %ecx")
    emit("1: call random")
    emit("mov %eax, %esi")
    emit("and $3, %esi")
    emit("call random")
    if wide:
        # a random word of 64 bits from two draws
        emit("mov %eax, %edi")
        emit("call random")
        emit("shl $32, %rax")
        emit("or %rdi, %rax")
    emit("cmp $0, %esi")
    emit("jne 2f")
    emit("and $15, %eax")
    emit(f"mov edges(,{ptr('ax')},{word}), {acc}")
    emit("jmp 3f")
    emit("2: cmp $1, %esi")
    emit("jne 3f")
    emit("and $63, %eax")
    emit(f"3: mov {acc}, in_{regs[0]}(,{ptr('cx')},{word})")
    emit("inc %ecx")
    emit(f"cmp ${len(names)}, %ecx")
    emit("jne 1b")
    emit(f"and{q} ${ALL:#x}, in_eflags")
    emit(f"or{q} $2, in_eflags")
    emit("ret")

    # Buffers of 'A' and 'B', so that compares often match.
    emit("fill_buffers:")
    emit("xor %ecx, %ecx")
    emit("1: call random")
    emit("and $1, %eax")
    emit("add $0x41, %eax")
    emit(f"mov %al, buf({ptr('cx')})")
    emit("inc %ecx")
    emit(f"cmp ${2 * STRING_BUFFER}, %ecx")
    emit("jne 1b")
    emit("ret")

    # (a 32-bit checksum; a 32-bit result clears the upper half of rax)
    emit("checksum_buffers:")
    emit("xor %eax, %eax")
    emit("xor %ecx, %ecx")
    emit("1: imul $31, %eax, %eax")
    emit(f"add buf({ptr('cx')}), %eax")
    emit("add $4, %ecx")
    emit(f"cmp ${2 * STRING_BUFFER}, %ecx")
    emit("jne 1b")
    emit("ret")

    # One line: the case number, the inputs (host) and the outputs.
    emit("print_case:")
    emit("mov case_number, %ebx")
    emit("call print_word")
    emit(f"mov ${1 if host else 1 + len(names)}, %ecx")
    emit("1: mov $0x20, %al")
    emit("call putc")
    emit(f"mov case_number(,{ptr('cx')},{word}), {'%rbx' if wide else '%ebx'}")
    emit("call print_word")
    emit("inc %ecx")
    emit(f"cmp ${2 + 2 * len(names) + 16 // word}, %ecx")
    emit("jne 1b")
    emit("2: mov $0x0a, %al")
    emit("call putc")
    emit("ret")

    emit_output_routines(emit, host, bits, user=True)
    if host:
        emit_host_fault_handler(emit, wide)
    else:
        emit_kernel(emit, wide)
    emit(("edges: .quad " if wide else "edges: .long ") +
         ", ".join(f"{e:#x}" for e in (EDGES64 if wide else EDGES)))

    # Data: words in order case_number, in_*, out_*, out_fault,
    # conditions (printed as one array); the exception a case took
    # (fault_vector -1 for none) and the addresses of its faulting
    # instruction and of the end of its instructions.
    words = (["case_number"] + [f"in_{n}" for n in names] +
             [f"out_{n}" for n in names] + ["out_fault"])
    layout = [(w, word) for w in words] + [("conditions", 16),
                                          ("mem", word), ("seed", 4),
                                          ("iterations_left", 4),
                                          ("output_end", 4)] + [
        (w, word) for w in ("fault_vector", "fault_error", "fault_rip",
                            "fault_at", "resume_at")] + [
        ("buf", 2 * STRING_BUFFER)]
    if host:
        emit(".data")
        emit("output_end: .long output")
        emit(".bss")
        for name, size in layout:
            if name == "buf":
                emit(".balign 64")       # cmpxchg16b's operand is aligned
            if name != "output_end":
                emit(f"{name}: .skip {size}")
        emit("output: .skip 0x1000000")
    else:
        address = 0x10000
        for name, size in layout:
            if name == "buf":
                address = (address + 63) & ~63
            emit(f".set {name}, {address:#x}")
            address += size
        if wide:
            emit_long_mode_entry(emit)
        # The 16-bit reset code at the end of the image: into flat 32-bit
        # protected mode.  CS.base is 0xffff0000 and the image's ROM copy
        # ends at 4 GiB; the 64-bit suite is linked in RAM (rip-relative
        # operands reach its data only from there), so its 32-bit code
        # copies the image down first.
        rom = (1 << 32) - IMAGE_SIZE
        link = link_address(bits)
        emit(f".org {IMAGE_SIZE - 0x100}")
        emit(".code16")
        emit(".balign 8")
        gdt = GDT64 if wide else GDT32
        emit("gdt: .quad " + ", ".join(f"{d:#018x}" for d in gdt))
        emit(f"gdt_ptr: .word {8 * len(gdt) - 1}")
        emit(".long gdt")
        emit(f"gdt_ptr_rom: .word {8 * len(gdt) - 1}")
        emit(f".long gdt - {link:#x} + {rom:#x}")
        emit("entry16:")
        emit("cli")
        emit(f"lgdtl %cs:(gdt_ptr_rom - {link + IMAGE_SIZE - 0x10000:#x})")
        emit("mov %cr0, %eax")
        emit("or $1, %eax")
        emit("mov %eax, %cr0")
        if not wide:
            emit("ljmpl $0x08, $pm32")
        else:
            emit(f"ljmpl $0x08, $(copy_down - {link:#x} + {rom:#x})")
            emit(".code32")
            emit("copy_down:")
            emit("mov $0x10, %ax")
            for seg in ("ds", "es", "ss", "fs", "gs"):
                emit(f"mov %ax, %{seg}")
            emit(f"mov ${rom:#x}, %esi")
            emit(f"mov ${link:#x}, %edi")
            emit(f"mov ${IMAGE_SIZE // 4:#x}, %ecx")
            emit("cld")
            emit("rep movsl")
            emit("lgdtl gdt_ptr")
            emit("ljmpl $0x08, $set_up_long_mode")
        emit(f".org {IMAGE_SIZE - 16}")
        emit(".code16")
        emit("jmp entry16")
        emit(f".org {IMAGE_SIZE}")
    return "\n".join(out) + "\n"


def emit_fault_word(emit, number, wide):
    """out_fault from what the fault handler saw (fault_word's layout)."""
    dx = "%rdx" if wide else "%edx"
    emit("xor %eax, %eax")
    emit(f"cmp{'q' if wide else 'l'} $-1, fault_vector")
    emit(f"je fault_done_{number}")
    emit("mov fault_error, %eax")
    emit("and $0xffff, %eax")
    emit(f"mov fault_rip, {dx}")
    emit(f"cmp fault_at, {dx}")
    emit(f"je fault_vector_{number}")
    emit(f"add ${AFTER << 16:#x}, %eax")
    emit(f"cmp resume_at, {dx}")
    emit(f"je fault_vector_{number}")
    emit(f"add ${(ELSEWHERE - AFTER) << 16:#x}, %eax")
    emit(f"fault_vector_{number}:")
    emit("mov fault_vector, %edx")
    emit("inc %edx")
    emit("shl $24, %edx")
    emit("or %edx, %eax")
    emit(f"fault_done_{number}:")
    emit(f"mov {'%rax' if wide else '%eax'}, out_fault")


SIGNALS = {"SIGILL": 4, "SIGTRAP": 5, "SIGBUS": 7, "SIGFPE": 8, "SIGSEGV": 11}


def emit_install_fault_handler(emit):
    """The host's handler for every signal an exception raises:
    rt_sigaction(sig, {handler, SA_SIGINFO | SA_RESTORER, restorer}, 0, 8)."""
    for signal in SIGNALS.values():
        emit("mov $13, %eax")
        emit(f"mov ${signal}, %edi")
        emit("mov $fault_sigaction, %esi")
        emit("xor %edx, %edx")
        emit("mov $8, %r10d")
        emit("syscall")


def emit_host_fault_handler(emit, wide):
    """The host's signal handler: Linux gives the exception's vector
    (trapno), error code and RIP in the ucontext (rdx); it records them
    as the guest's kernel does and returns to resume_at."""
    gregs = 40                  # uc_flags, uc_link, uc_stack
    rip, err, trapno = gregs + 16 * 8, gregs + 19 * 8, gregs + 20 * 8
    ax = "%rax" if wide else "%eax"
    emit("host_fault_handler:")
    for offset, name in [(trapno, "fault_vector"), (err, "fault_error"),
                         (rip, "fault_rip")]:
        emit(f"mov {offset}(%rdx), %rax")
        emit(f"mov {ax}, {name}")
    emit(f"mov resume_at, {ax}")
    emit(f"mov %rax, {rip}(%rdx)")
    emit("ret")
    emit("fault_restorer:")
    emit("mov $15, %eax")           # rt_sigreturn
    emit("syscall")
    emit(".pushsection .data")
    emit(".balign 8")
    emit("fault_sigaction: .quad host_fault_handler, 0x04000004, "
         "fault_restorer, 0")
    emit(".popsection")


# The guest's user mode: flat segments of DPL 3 (and a 64-bit one), a
# TSS for the kernel stack (without an I/O bitmap: port I/O at CPL 3
# faults, as on Linux), an IDT for the exceptions and two system calls.
KERNEL_STACK, USER_STACK = 0x90000, 0x80000
TSS, GDT_RAM, IDT, DESC_PTR = 0x8000, 0x8400, 0x8800, 0x8f00
SYS_PUTC, SYS_EXIT = 0x30, 0x31
TSS_DESCRIPTOR = 0x0000890000000067 | TSS << 16      # 32/64-bit, available
GDT32 = [0, 0x00cf9b000000ffff, 0x00cf93000000ffff, 0x00cffb000000ffff,
         0x00cff3000000ffff, TSS_DESCRIPTOR]
GDT64 = [0, 0x00cf9b000000ffff, 0x00cf93000000ffff, 0x00af9b000000ffff,
         0x00cff3000000ffff, 0x00affb000000ffff, TSS_DESCRIPTOR, 0]
# kernel code, user code and data, TSS selectors
SELECTORS = {False: (0x08, 0x1b, 0x23, 0x28), True: (0x18, 0x2b, 0x23, 0x30)}
ERROR_CODE_VECTORS = (8, 10, 11, 12, 13, 14, 17, 21, 29, 30)


def emit_user_mode_entry(emit, wide):
    """From CPL 0 (flat 32-bit protected mode or 64-bit mode) to the
    suite's code at CPL 3, through the kernel set up by emit_kernel."""
    _, user_code, user_data, _ = SELECTORS[wide]
    if not wide:
        emit("mov $0x10, %ax")
        for seg in ("ds", "es", "ss", "fs", "gs"):
            emit(f"mov %ax, %{seg}")
    emit(f"mov ${KERNEL_STACK:#x}, %esp")
    if not wide:
        # the GDT into RAM, as ltr writes the TSS's busy bit into it
        emit("mov $gdt, %esi")
        emit(f"mov ${GDT_RAM:#x}, %edi")
        emit(f"mov ${2 * len(GDT32)}, %ecx")
        emit("cld")
        emit("rep movsl")
        emit(f"movw ${8 * len(GDT32) - 1}, {DESC_PTR:#x}")
        emit(f"movl ${GDT_RAM:#x}, {DESC_PTR + 2:#x}")
        emit(f"lgdtl {DESC_PTR:#x}")
    emit("call set_up_kernel")
    if not wide:
        emit(f"mov ${user_data:#x}, %ax")
        for seg in ("ds", "es", "fs", "gs"):
            emit(f"mov %ax, %{seg}")
    for value in (user_data, USER_STACK, 2, user_code):
        emit(f"push ${value:#x}")
    emit("push $user_start")
    emit("iretq" if wide else "iret")
    emit("user_start:")


def emit_kernel(emit, wide):
    """set_up_kernel (the TSS and IDT) and the handlers: every exception
    records its vector, error code and RIP and returns to resume_at; int
    0x30 writes al to the serial port, int 0x31 exits emu."""
    kernel_code, _, _, tss = SELECTORS[wide]
    gate = 16 if wide else 8
    vectors = list(range(32)) + [SYS_PUTC, SYS_EXIT]
    emit("set_up_kernel:")
    emit("xor %eax, %eax")
    emit(f"mov ${TSS:#x}, %edi")
    emit(f"mov ${0x68 // 4}, %ecx")
    emit("rep stosl")
    emit(f"movl ${KERNEL_STACK:#x}, {TSS + 4:#x}")      # ESP0 / RSP0
    if not wide:
        emit(f"movl $0x10, {TSS + 8:#x}")               # SS0
    emit(f"movw $0x68, {TSS + 0x66:#x}")               # no I/O bitmap
    emit(f"mov ${tss:#x}, %ax")
    emit("ltr %ax")
    emit(f"mov ${IDT:#x}, %edi")
    emit(f"mov ${(SYS_EXIT + 1) * gate // 4}, %ecx")
    emit("xor %eax, %eax")
    emit("rep stosl")
    for vector in vectors:
        # DPL 3 where Linux has it (int3, into) and for the system calls
        dpl = 3 if vector in (3, 4, SYS_PUTC, SYS_EXIT) else 0
        target = {SYS_PUTC: "sys_putc", SYS_EXIT: "sys_exit"}.get(
            vector, f"fault_stub_{vector}")
        emit(f"mov ${target}, %eax")
        emit("mov %eax, %edx")
        emit("and $0xffff, %eax")
        emit(f"or ${kernel_code << 16:#x}, %eax")
        emit(f"mov %eax, {IDT + gate * vector:#x}")
        emit("and $0xffff0000, %edx")
        emit(f"or ${0x8e00 | dpl << 13:#x}, %edx")
        emit(f"mov %edx, {IDT + gate * vector + 4:#x}")
    emit(f"movw ${(SYS_EXIT + 1) * gate - 1}, {DESC_PTR:#x}")
    emit(f"movl ${IDT:#x}, {DESC_PTR + 2:#x}")
    emit(f"movl $0, {DESC_PTR + 6:#x}")
    emit(f"lidt {DESC_PTR:#x}")
    emit("ret")

    for vector in range(32):
        emit(f"fault_stub_{vector}:")
        if vector not in ERROR_CODE_VECTORS:
            emit("push $0")
        emit(f"push ${vector}")
        emit("jmp fault_entry")
    # the frame: vector, error code, RIP, CS, RFLAGS, RSP, SS
    sp, ax, slot = ("%rsp", "%rax", 8) if wide else ("%esp", "%eax", 4)
    emit("fault_entry:")
    emit(f"push {ax}")
    for index, name in enumerate(["fault_vector", "fault_error",
                                  "fault_rip"], 1):
        emit(f"mov {slot * index}({sp}), {ax}")
        emit(f"mov {ax}, {name}")
    emit(f"mov resume_at, {ax}")
    emit(f"mov {ax}, {slot * 3}({sp})")
    emit(f"pop {ax}")
    emit(f"add ${2 * slot}, {sp}")
    emit("iretq" if wide else "iret")

    dx = "%rdx" if wide else "%edx"
    emit("sys_putc:")
    emit(f"push {ax}")
    emit(f"push {dx}")
    emit("mov %al, %ah")
    emit("mov $0x3fd, %dx")
    emit("1: in %dx, %al")
    emit("test $0x20, %al")
    emit("jz 1b")
    emit("mov %ah, %al")
    emit("mov $0x3f8, %dx")
    emit("out %al, %dx")
    emit(f"pop {dx}")
    emit(f"pop {ax}")
    emit("iretq" if wide else "iret")
    emit("sys_exit:")
    emit("mov $1, %al")
    emit("out %al, $0xf4")
    emit("cli")
    emit("hlt")


def emit_long_mode_entry(emit):
    """32-bit code that enters long mode and jumps to lm64: 2 MiB user
    pages identity-map the first GiB (data and stack) and the top 2 MiB
    below 4 GiB (the image)."""
    pml4, pdpt, pd0, pd3 = 0x20000, 0x21000, 0x22000, 0x23000
    emit(".code32")
    emit("set_up_long_mode:")
    emit("mov $0x20000, %edi")
    emit("mov $0x1000, %ecx")        # four pages of tables, cleared
    emit("xor %eax, %eax")
    emit("rep stosl")
    emit(f"movl ${pdpt | 7:#x}, {pml4:#x}")
    emit(f"movl ${pd0 | 7:#x}, {pdpt:#x}")
    emit(f"movl ${pd3 | 7:#x}, {pdpt + 3 * 8:#x}")
    emit(f"movl $0xffe00087, {pd3 + 511 * 8:#x}")
    emit("xor %ecx, %ecx")
    emit("1: mov %ecx, %eax")
    emit("shl $21, %eax")
    emit("or $0x87, %eax")
    emit(f"mov %eax, {pd0:#x}(,%ecx,8)")
    emit("inc %ecx")
    emit("cmp $512, %ecx")
    emit("jne 1b")
    emit("mov %cr4, %eax")
    emit("or $0x20, %eax")
    emit("mov %eax, %cr4")
    emit(f"mov ${pml4:#x}, %eax")
    emit("mov %eax, %cr3")
    emit("mov $0xc0000080, %ecx")
    emit("rdmsr")
    emit("or $0x100, %eax")
    emit("wrmsr")
    emit("mov %cr0, %eax")
    emit("or $0x80000000, %eax")
    emit("mov %eax, %cr0")
    emit("ljmp $0x18, $lm64")


IMAGE_SIZE = 0x80000       # -bios maps it to end at 4 GiB


def link_address(bits):
    """Where the guest image is linked: its ROM copy below 4 GiB, or for
    the 64-bit suite the RAM it copies itself to (rip-relative operands
    reach at most 2 GiB, and the data is at 64 KiB)."""
    return 0x100000 if bits == 64 else (1 << 32) - IMAGE_SIZE


def parse(text, bits=32):
    """Cases from a program's output: (template, inputs, outputs, fault,
    conditions) tuples; inputs are None in the guest's lines."""
    n = len(NAMES64 if bits == 64 else NAMES)
    cond_words = 16 // (bits // 8)
    cases = []
    for line in text.splitlines():
        words = [int(w, 16) for w in line.split()]
        if len(words) not in (2 + n + cond_words, 2 + 2 * n + cond_words):
            raise ValueError(f"malformed line {line!r}")
        inputs = words[1:1 + n] if len(words) == 2 + 2 * n + cond_words \
            else None
        outputs = words[-n - 1 - cond_words:-1 - cond_words]
        conditions = []
        for word in words[-cond_words:]:
            conditions += [(word >> (8 * i)) & 0xff
                           for i in range(bits // 8)]
        cases.append((words[0], inputs, outputs, words[-1 - cond_words],
                      conditions))
    return cases


def describe_fault(word):
    if not word:
        return "no exception"
    where, error = (word >> 16) & 0xff, word & 0xffff
    return (f"vector {(word >> 24) - 1} {WHERE.get(where, where)}"
            f" error code {error:#x}")


def differences(host_cases, guest_cases, bits=32):
    """Human-readable differences where the SDM defines the outcome."""
    table = templates64() if bits == 64 else templates()
    names = NAMES64 if bits == 64 else NAMES
    digits = bits // 4
    found = []
    if len(host_cases) != len(guest_cases):
        found.append(f"{len(host_cases)} cases on the host, "
                     f"{len(guest_cases)} in the guest")
    for host, guest in zip(host_cases, guest_cases):
        number, inputs, want, want_fault, want_cc = host
        template = table[number]
        where = f"{'; '.join(template.text)} with " + " ".join(
            f"{n}={v:0{digits}x}" for n, v in zip(names, inputs))
        if guest[0] != number:
            found.append(f"{where}: the guest ran template {guest[0]}")
            break
        if template.architecture:
            want_fault = template.architecture(inputs)
        if guest[3] != want_fault:
            found.append(f"{where}: {describe_fault(guest[3])}, "
                         f"{'the SDM' if template.architecture else 'the host'}"
                         f" gives {describe_fault(want_fault)}")
        defined = template.defined(inputs)
        if defined is None:
            continue
        got, got_cc = guest[2], guest[4]
        undefined = template.undefined_regs(inputs)
        for name, w, g in zip(names, want, got):
            if name in undefined:
                continue
            if name == "eflags":
                w &= defined
                g &= defined
            if w != g:
                found.append(f"{where}: {name} {g:0{digits}x}, the host "
                             f"gives {w:0{digits}x}")
        for (cond, reads), w, g in zip(CONDITIONS, want_cc, got_cc):
            if reads & defined == reads and w != g:
                found.append(f"{where}: set{cond} {g}, the host gives {w}")
    return found


# The pieces the x86 suites share (x86_fp_suite.py too).

def emit_exit(emit, host, user=False):
    """The end of the program: the host writes its output and exits, the
    guest exits emu through isa-debug-exit (user: through its kernel)."""
    if host:
        # write(1, output, length); exit(0)
        emit("mov $1, %eax")
        emit("mov $1, %edi")
        emit("mov $output, %esi")
        emit("mov output_end, %edx")
        emit("sub $output, %edx")
        emit("syscall")
        emit("mov $60, %eax")
        emit("xor %edi, %edi")
        emit("syscall")
    elif user:
        emit(f"int ${SYS_EXIT:#x}")
    else:
        emit("mov $1, %al")
        emit("out %al, $0xf4")
        emit("cli")
        emit("hlt")


def emit_output_routines(emit, host, bits=32, user=False):
    """print_word (ebx, or rbx for bits=64, in hex) and putc (al) to the
    output buffer (host) or the serial port (guest; user: through its
    kernel)."""
    def ptr(reg):
        return ("%r" if host or bits == 64 else "%e") + reg
    emit("print_word:")
    emit(f"mov ${bits // 4}, %edi")
    emit(f"1: rol $4, {'%rbx' if bits == 64 else '%ebx'}")
    emit("mov %bl, %al")
    emit("and $15, %al")
    emit("movzbl %al, %eax")
    emit(f"mov hex_digits({ptr('ax')}), %al")
    emit("call putc")
    emit("dec %edi")
    emit("jnz 1b")
    emit("ret")

    emit("putc:")
    if host:
        emit("mov output_end, %edx")
        emit("mov %al, (%rdx)")
        emit("incl output_end")
    elif user:
        emit(f"int ${SYS_PUTC:#x}")
    else:
        emit("mov %al, %ah")
        emit("mov $0x3fd, %dx")
        emit("1: in %dx, %al")
        emit("test $0x20, %al")
        emit("jz 1b")
        emit("mov %ah, %al")
        emit("mov $0x3f8, %dx")
        emit("out %al, %dx")
    emit("ret")

    emit("hex_digits: .ascii \"0123456789abcdef\"")


def emit_data(emit, host, layout):
    """The variables of layout ((name, bytes) pairs, one of them
    output_end), in order and 64-byte aligned at the start: in .bss (host),
    in RAM from 0x10000 (guest, whose image then ends with the reset
    code)."""
    if host:
        emit(".data")
        emit("output_end: .long output")
        emit(".bss")
        emit(".p2align 6")
        for name, size in layout:
            if name != "output_end":
                emit(f"{name}: .skip {size}")
        emit("output: .skip 0x400000")
    else:
        address = 0x10000
        for name, size in layout:
            emit(f".set {name}, {address:#x}")
            address += size
        emit_guest_reset(emit)


def emit_guest_reset(emit):
    """The 16-bit reset code at the end of the guest image: into flat
    32-bit protected mode at pm32 (offsets from CS.base 0xffff0000)."""
    emit(f".org {IMAGE_SIZE - 0x100}")
    emit(".code16")
    emit(".balign 8")
    emit("gdt: .quad 0, 0x00cf9b000000ffff, 0x00cf93000000ffff")
    emit("gdt_ptr: .word 23")
    emit(".long gdt")
    emit("entry16:")
    emit("cli")
    emit("lgdtl %cs:(gdt_ptr - 0xffff0000)")
    emit("mov %cr0, %eax")
    emit("or $1, %eax")
    emit("mov %eax, %cr0")
    emit("ljmpl $0x08, $pm32")
    emit(f".org {IMAGE_SIZE - 16}")
    emit("jmp entry16")
    emit(f".org {IMAGE_SIZE}")
