# The x86 instruction suite of test_x86_tcg.py: the same instruction
# sequences, with the same pseudo-random operands, run natively on the
# (x86-64) host and inside a 32-bit protected-mode guest on emu's tcg;
# results, flags, the 16 conditions and memory are compared wherever the
# SDM defines them.
#
# generate(mode) writes the assembly of one program for both sides: a
# 32-bit firmware image for emu ("guest") or a static x86-64 Linux program
# ("host").  The 8-, 16- and 32-bit forms of these instructions compute
# the same results and flags in 64-bit mode as in 32-bit mode, so the host
# runs the very same instruction text.  Every case prints one line in
# hex: the template number, the nine inputs (eax ebx ecx edx esi edi ebp
# eflags mem; the host only: the guest draws the same ones), the nine
# outputs and the 16 condition bytes (seto..setnle).
# SPDX-License-Identifier: GPL-2.0-or-later

REGS = ["eax", "ebx", "ecx", "edx", "esi", "edi", "ebp"]
NAMES = REGS + ["eflags", "mem"]

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
                 buffers=False, undefined_regs=lambda inputs: ()):
        self.text = text
        self.prep = list(prep)
        self.defined = defined if callable(defined) else (lambda i: defined)
        self.string = string
        # reads or writes the buffers (string instructions do, and their
        # esi and edi are printed as offsets into them)
        self.buffers = buffers or string
        # the registers the SDM leaves undefined for these inputs
        self.undefined_regs = undefined_regs


def shift_defined(op, size, count_of):
    """SHL/SHR/SAR/SAL: a zero count changes nothing; AF is undefined, OF
    beyond a count of 1, CF for SHL/SHR at counts of the size or more."""
    def defined(inputs):
        count = count_of(inputs) & 31
        if count == 0:
            return ALL
        flags = ALL & ~AF
        if count != 1:
            flags &= ~OF
        if op in ("shl", "shr", "sal") and count >= size:
            flags &= ~CF
        return flags
    return defined


def rotate_defined(count_of):
    """ROL/ROR/RCL/RCR: only CF and OF change; OF is defined for a masked
    count of 1 only."""
    def defined(inputs):
        count = count_of(inputs) & 31
        return ALL if count == 0 else (ALL & ~OF if count != 1 else ALL)
    return defined


def double_shift_defined(size, count_of):
    """SHLD/SHRD: beyond the operand size nothing is defined."""
    def defined(inputs):
        count = count_of(inputs) & 31
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
    return t


BIT_STRING_PREP = ["andl $0x7ff, in_ebx", "subl $0x400, in_ebx"]

# Source and destination pointers inside the buffers (with room for 15
# dwords either way), and counts of 0 to 15.
STRING_PREP = ["andl $63, in_esi", f"addl $buf + 64, in_esi",
               "andl $63, in_edi", f"addl $buf + {STRING_BUFFER} + 64, in_edi",
               "andl $15, in_ecx"]


def generate(mode, iterations=ITERATIONS, seed=0x2545f491):
    """The assembly of the suite for mode "guest" or "host"."""
    host = mode == "host"
    # registers used as pointers: 64-bit names in 64-bit code
    def ptr(reg):
        return ("%r" if host else "%e") + reg
    out = []
    emit = out.append
    emit(".code64" if host else ".code32")
    emit(".text")
    emit(".globl _start" if host else ".globl pm32")
    if host:
        emit("_start:")
    else:
        emit("pm32:")
        emit("mov $0x10, %ax")
        for seg in ("ds", "es", "ss", "fs", "gs"):
            emit(f"mov %ax, %{seg}")
        emit("mov $0x90000, %esp")
    emit("cld")
    emit(f"movl ${seed:#x}, seed")
    for number, template in enumerate(templates()):
        emit(f"movl ${iterations}, iterations_left")
        emit(f"case_{number}:")
        emit("call random_inputs")
        for line in template.prep:
            emit(line)
        if template.buffers:
            emit("call fill_buffers")
        emit("mov in_mem, %eax")
        emit("mov %eax, mem")
        emit("mov in_eflags, %eax")
        emit(f"push {ptr('ax')}")
        emit("popf")
        for reg in REGS:
            emit(f"mov in_{reg}, %{reg}")
        for line in template.text:
            emit(line)
        emit("pushf")
        for reg in REGS:
            emit(f"mov %{reg}, out_{reg}")
        emit("mov $conditions, %ebx")
        for index, (name, _) in enumerate(CONDITIONS):
            emit(f"set{name} {index}({ptr('bx')})")
        emit(f"pop {ptr('ax')}")
        emit("mov %eax, out_eflags")
        emit("cld")
        if template.buffers:
            emit("call checksum_buffers")
        else:
            emit("mov mem, %eax")
        if template.string:
            emit("subl $buf, out_esi")
            emit("subl $buf, out_edi")
            emit("subl $buf, in_esi")
            emit("subl $buf, in_edi")
        emit("mov %eax, out_mem")
        emit(f"movl ${number}, case_number")
        emit("call print_case")
        emit("decl iterations_left")
        emit(f"jnz case_{number}")
    emit_exit(emit, host)

    # xorshift32
    emit("random:")
    emit("mov seed, %eax")
    for op, n in [("shl", 13), ("shr", 17), ("shl", 5)]:
        emit("mov %eax, %edx")
        emit(f"{op} ${n}, %edx")
        emit("xor %edx, %eax")
    emit("mov %eax, seed")
    emit("ret")

    # Nine input words: an edge value, a small one or a random one.
    emit("random_inputs:")
    emit("xor %ecx, %ecx")
    emit("1: call random")
    emit("mov %eax, %esi")
    emit("and $3, %esi")
    emit("call random")
    emit("cmp $0, %esi")
    emit("jne 2f")
    emit("and $15, %eax")
    emit(f"mov edges(,{ptr('ax')},4), %eax")
    emit("jmp 3f")
    emit("2: cmp $1, %esi")
    emit("jne 3f")
    emit("and $63, %eax")
    emit(f"3: mov %eax, in_eax(,{ptr('cx')},4)")
    emit("inc %ecx")
    emit("cmp $9, %ecx")
    emit("jne 1b")
    emit(f"andl ${ALL:#x}, in_eflags")
    emit("orl $2, in_eflags")
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
    emit(f"mov ${1 if host else 1 + len(NAMES)}, %ecx")
    emit("1: mov $0x20, %al")
    emit("call putc")
    emit(f"mov case_number(,{ptr('cx')},4), %ebx")
    emit("call print_word")
    emit("inc %ecx")
    emit(f"cmp ${1 + 2 * len(NAMES) + 4}, %ecx")
    emit("jne 1b")
    emit("2: mov $0x0a, %al")
    emit("call putc")
    emit("ret")

    emit_output_routines(emit, host)
    emit("edges: .long " + ", ".join(f"{e:#x}" for e in EDGES))

    # Data: words in order case_number, in_*, out_*, conditions (printed
    # as one array).
    words = (["case_number"] + [f"in_{n}" for n in NAMES] +
             [f"out_{n}" for n in NAMES])
    layout = [(w, 4) for w in words] + [("conditions", 16), ("mem", 4),
                                       ("seed", 4), ("iterations_left", 4),
                                       ("output_end", 4),
                                       ("buf", 2 * STRING_BUFFER)]
    emit_data(emit, host, layout)
    return "\n".join(out) + "\n"


IMAGE_SIZE = 0x40000       # -bios maps it to end at 4 GiB


def parse(text):
    """Cases from a program's output: (template, inputs, outputs,
    conditions) tuples; inputs are None in the guest's lines."""
    cases = []
    for line in text.splitlines():
        words = [int(w, 16) for w in line.split()]
        if len(words) not in (14, 23):
            raise ValueError(f"malformed line {line!r}")
        inputs = words[1:10] if len(words) == 23 else None
        outputs = words[-13:-4]
        conditions = []
        for word in words[-4:]:
            conditions += [(word >> (8 * i)) & 0xff for i in range(4)]
        cases.append((words[0], inputs, outputs, conditions))
    return cases


def differences(host_cases, guest_cases):
    """Human-readable differences where the SDM defines the outcome."""
    table = templates()
    found = []
    if len(host_cases) != len(guest_cases):
        found.append(f"{len(host_cases)} cases on the host, "
                     f"{len(guest_cases)} in the guest")
    for host, guest in zip(host_cases, guest_cases):
        number, inputs, want, want_cc = host
        template = table[number]
        where = f"{'; '.join(template.text)} with " + " ".join(
            f"{n}={v:08x}" for n, v in zip(NAMES, inputs))
        if guest[0] != number:
            found.append(f"{where}: the guest ran template {guest[0]}")
            break
        defined = template.defined(inputs)
        if defined is None:
            continue
        got, got_cc = guest[2], guest[3]
        undefined = template.undefined_regs(inputs)
        for name, w, g in zip(NAMES, want, got):
            if name in undefined:
                continue
            if name == "eflags":
                w &= defined
                g &= defined
            if w != g:
                found.append(f"{where}: {name} {g:08x}, the host gives {w:08x}")
        for (cond, reads), w, g in zip(CONDITIONS, want_cc, got_cc):
            if reads & defined == reads and w != g:
                found.append(f"{where}: set{cond} {g}, the host gives {w}")
    return found


# The pieces the x86 suites share (x86_fp_suite.py too).

def emit_exit(emit, host):
    """The end of the program: the host writes its output and exits, the
    guest exits emu through isa-debug-exit."""
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
    else:
        emit("mov $1, %al")
        emit("out %al, $0xf4")
        emit("cli")
        emit("hlt")


def emit_output_routines(emit, host):
    """print_word (ebx in hex) and putc (al) to the output buffer (host)
    or the serial port (guest)."""
    def ptr(reg):
        return ("%r" if host else "%e") + reg
    emit("print_word:")
    emit("mov $8, %edi")
    emit("1: rol $4, %ebx")
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
