# Paging in 32-bit protected mode with PAE and EFER.NXE, one line per
# check; page faults print their vector, error code and CR2:
#  - a read and a write of a not-present page (error codes 0 and 2);
#  - a supervisor write to a read-only page: done with CR0.WP clear,
#    #PF (error code 3) with it set;
#  - a fetch from a no-execute page (error code 0x11, I/D) and from the
#    same page executable;
#  - a reserved bit (51) set in a PTE (error code 9: RSVD and P);
#  - the accessed and dirty bits the walk writes back into the PTE;
#  - global pages (CR4.PGE): a CR3 write drops the TLB entry of an
#    ordinary page but keeps a global one (the SDM: a global page's
#    translation may outlive it), invlpg drops that, and so does clearing
#    CR4.PGE;
#  - PAE PDPTEs with a reserved bit set (bits 1, 5, 63, 40: above
#    MAXPHYADDR): #GP(0) at the CR3 write that loads them, CR3 unchanged;
#    not present, or with PWT, PCD and the ignored bits 9-11: loaded; one
#    made bad in the current PDPT: #GP(0) at the CR4 write that changes
#    PGE and at the CR0 write that enables paging.
# Exits with 1 (status 3).
# SPDX-License-Identifier: GPL-2.0-or-later
    .include "common.inc"
    .code16
    .text
    .set STACK, 0x90000
    .set IDT, 0x1000
    .set RECOVER, 0x5800
    .set SAVED_ESP, 0x5804
    .set PDPT, 0x20000
    .set PD, 0x21000
    .set PT, 0x22000                # 4 KiB pages for 0-2 MiB
    .set TEST_VA, 0x100000          # PT entries 0x100.. are the tests'
    .set FRAME_A, 0x300000          # frames above the identity map
    .set FRAME_B, 0x301000
    .set PTE_P, 1
    .set PTE_RW, 2
    .set PTE_G, 0x100
    .set PTE_NX_HI, 0x80000000      # bit 63, in the PTE's high dword
    .set PTE_RSVD_HI, 0x00080000    # bit 51
    .set PDPT2, 0x23000             # entry 0 as PDPT's, entry 1 the test's
    .set PD2, 0x24000               # (empty)

# Prints the string \text.
.macro SAY text
    mov $9f, %esi
    call puts
    jmp 8f
9:  .asciz "\text"
8:
.endm

# Prints " " and the low \digits nibbles of \reg (not ebx), then a newline.
.macro SHOW reg, digits
    mov \reg, %ebx
    mov $' ', %al
    call putc
    mov $\digits, %cl
    call puthex_n
    mov $'\n', %al
    call putc
.endm

# A fault resumes at \label with the current stack pointer.
.macro ON_FAULT label
    movl $\label, RECOVER
    mov %esp, SAVED_ESP
.endm

# The PTE of TEST_VA + \page * 4 KiB: \frame with \flags, high dword \hi.
.macro SET_PTE page, frame, flags, hi=0
    movl $(\frame | \flags), PT + (TEST_VA >> 12) * 8 + \page * 8
    movl $\hi, PT + (TEST_VA >> 12) * 8 + \page * 8 + 4
    invlpg TEST_VA + \page * 0x1000
.endm

# Loads CR3 with PDPT2, whose entry 1 is \lo and \hi; prints \text, what
# happened and CR3 after it, then goes back to PDPT.
.macro LOAD_PDPT2 text, lo, hi=0
    movl $(\lo), PDPT2 + 8
    movl $(\hi), PDPT2 + 12
    SAY "\text"
    ON_FAULT 1f
    mov $PDPT2, %eax
    mov %eax, %cr3
    SAY " loaded\n"
1:  SAY "cr3"
    mov %cr3, %eax
    SHOW %eax, 8
    mov $PDPT, %eax
    mov %eax, %cr3
.endm

start:
    cli
    cld
    ENTER_PM32 pm32

    .code32
pm32:
    FLAT_SEGMENTS STACK
    # every exception to fault_stubs, 32-bit interrupt gates
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $4, %eax
    add $fault_stubs, %eax
    mov %ax, IDT(,%ecx,8)
    movw $0x08, IDT + 2(,%ecx,8)
    movw $0x8e00, IDT + 4(,%ecx,8)
    shr $16, %eax
    mov %ax, IDT + 6(,%ecx,8)
    inc %ecx
    cmp $32, %ecx
    jne 1b
    lidt idt_ptr

    # PAE tables: the first 2 MiB identity-mapped with 4 KiB pages
    # (read/write, supervisor), the test pages not present
    mov $PDPT, %edi
    xor %eax, %eax
    mov $((PD2 + 0x1000 - PDPT) / 4), %ecx
    rep stosl
    movl $(PD | PTE_P), PDPT
    movl $(PT | PTE_P | PTE_RW), PD
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $12, %eax
    or $(PTE_P | PTE_RW), %eax
    mov %eax, PT(,%ecx,8)
    inc %ecx
    cmp $(TEST_VA >> 12), %ecx
    jne 1b
    mov %cr4, %eax
    or $0x20, %eax                  # PAE
    mov %eax, %cr4
    mov $0xc0000080, %ecx           # EFER.NXE
    rdmsr
    or $0x800, %eax
    wrmsr
    mov $PDPT, %eax
    mov %eax, %cr3
    mov %cr0, %eax
    or $0x80000000, %eax            # PG, WP still clear
    mov %eax, %cr0
    # the frames' contents, through a read/write mapping
    SET_PTE 15, FRAME_A, PTE_P | PTE_RW
    movl $0xc3c3c3c3, TEST_VA + 15 * 0x1000         # ret
    SET_PTE 15, FRAME_B, PTE_P | PTE_RW
    movl $0x22222222, TEST_VA + 15 * 0x1000
    SAY "paging on (PAE, NXE)\n"

    # ---- not present ----
    SAY "read, not present:"
    ON_FAULT 1f
    mov TEST_VA, %eax
    SAY " read\n"
1:  SAY "write, not present:"
    ON_FAULT 1f
    movl $1, TEST_VA
    SAY " written\n"

    # ---- CR0.WP ----
1:  SET_PTE 0, FRAME_A, PTE_P
    SAY "write, read-only, WP clear:"
    ON_FAULT 1f
    movl $0xc3c3c3c3, TEST_VA
    SAY " written\n"
1:  mov %cr0, %eax
    or $0x10000, %eax
    mov %eax, %cr0
    SAY "write, read-only, WP set:"
    ON_FAULT 1f
    movl $0xc3c3c3c3, TEST_VA + 4
    SAY " written\n"

    # ---- NX ----
1:  SET_PTE 0, FRAME_A, PTE_P, PTE_NX_HI
    SAY "fetch, no-execute:"
    ON_FAULT 1f
    call TEST_VA
    SAY " ran\n"
1:  SET_PTE 0, FRAME_A, PTE_P
    SAY "fetch, executable:"
    ON_FAULT 1f
    call TEST_VA
    SAY " ran\n"

    # ---- a reserved bit ----
1:  SET_PTE 0, FRAME_A, PTE_P, PTE_RSVD_HI
    SAY "read, reserved bit 51:"
    ON_FAULT 1f
    mov TEST_VA, %eax
    SAY " read\n"

    # ---- accessed and dirty ----
1:  SET_PTE 1, FRAME_A, PTE_P | PTE_RW
    mov TEST_VA + 0x1000, %eax
    SAY "PTE after a read:"
    SHOW (PT+(TEST_VA>>12)*8+8), 3
    movl $0xc3c3c3c3, TEST_VA + 0x1000
    SAY "PTE after a write:"
    SHOW (PT+(TEST_VA>>12)*8+8), 3

    # ---- global pages ----
    mov %cr4, %eax
    or $0x80, %eax                  # PGE
    mov %eax, %cr4
    SET_PTE 2, FRAME_A, PTE_P | PTE_G
    SET_PTE 3, FRAME_A, PTE_P
    mov TEST_VA + 0x2000, %eax      # both in the TLB
    mov TEST_VA + 0x3000, %eax
    # both PTEs to FRAME_B, no invlpg; then CR3 reloaded
    movl $(FRAME_B | PTE_P | PTE_G), PT + (TEST_VA >> 12) * 8 + 2 * 8
    movl $(FRAME_B | PTE_P), PT + (TEST_VA >> 12) * 8 + 3 * 8
    mov %cr3, %eax
    mov %eax, %cr3
    SAY "after a CR3 write, global page:"
    SHOW (TEST_VA+0x2000), 8
    SAY "after a CR3 write, ordinary page:"
    SHOW (TEST_VA+0x3000), 8
    invlpg TEST_VA + 0x2000
    SAY "after invlpg, global page:"
    SHOW (TEST_VA+0x2000), 8
    movl $(FRAME_A | PTE_P | PTE_G), PT + (TEST_VA >> 12) * 8 + 2 * 8
    mov %cr4, %eax
    and $~0x80, %eax
    mov %eax, %cr4
    SAY "after clearing CR4.PGE, global page:"
    SHOW (TEST_VA+0x2000), 8

    # ---- PAE PDPTEs ----
    mov PDPT, %eax
    mov %eax, PDPT2
    LOAD_PDPT2 "PDPTE bit 1 (R/W):", PD2 | PTE_P | PTE_RW
    LOAD_PDPT2 "PDPTE bit 5 (A):", PD2 | PTE_P | 0x20
    LOAD_PDPT2 "PDPTE bit 63 (NX):", PD2 | PTE_P, PTE_NX_HI
    LOAD_PDPT2 "PDPTE bit 40:", PD2 | PTE_P, 0x100
    LOAD_PDPT2 "PDPTE not present, bits 1-2 and 5-8:", PD2 | 0x1e6
    LOAD_PDPT2 "PDPTE with PWT, PCD, bits 9-11:", PD2 | PTE_P | 0xe18
    movl $(PD2 | PTE_P | PTE_RW), PDPT + 8
    SAY "CR4.PGE set, the PDPTE bad:"
    ON_FAULT 1f
    mov %cr4, %eax
    or $0x80, %eax
    mov %eax, %cr4
    SAY " set\n"
1:  SAY "cr4"
    mov %cr4, %eax
    SHOW %eax, 8
    mov %cr0, %eax
    and $0x7fffffff, %eax
    mov %eax, %cr0
    SAY "CR0.PG set, the PDPTE bad:"
    ON_FAULT 1f
    mov %cr0, %eax
    or $0x80000000, %eax
    mov %eax, %cr0
    SAY " set\n"
1:  SAY "cr0"
    mov %cr0, %eax
    SHOW %eax, 8
    movl $0, PDPT + 8
    mov %cr0, %eax
    or $0x80000000, %eax
    mov %eax, %cr0
    SAY "CR0.PG set, the PDPTE not present: paging on\n"
    EXIT 1

# Faults: 16-byte stubs push the vector (and a 0 where the CPU pushes no
# error code); the handler prints " #vv eeee", and CR2 for a #PF, and
# resumes at RECOVER.
    DEF_FAULT_STUBS fault_stubs, fault
fault:
    SAY " #"
    mov (%esp), %ebx
    mov $2, %cl
    call puthex_n
    mov $' ', %al
    call putc
    mov 4(%esp), %ebx
    mov $4, %cl
    call puthex_n
    cmpl $14, (%esp)
    jne 1f
    SAY " cr2 "
    mov %cr2, %ebx
    mov $8, %cl
    call puthex_n
1:  mov $'\n', %al
    call putc
    mov SAVED_ESP, %esp
    jmp *RECOVER

    DEF_PUTHEX_N puthex_n, putc

    DEF_PUTC putc
    DEF_PUTS puts, putc

idt_ptr:
    .word 32 * 8 - 1
    .long IDT

    DEF_GDT

    RESET_VECTOR start
