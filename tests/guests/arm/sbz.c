/*
 * Data-processing encodings whose "should be zero" field is not: MOV
 * and MVN with Rn != 0, TST/TEQ/CMP/CMN with Rd != 0, in the immediate,
 * register and register-shifted forms.  The architecture calls them
 * UNPREDICTABLE; QEMU 7.2 (and emu) take the undefined instruction, and
 * only when the condition holds.  The well-formed neighbours run.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include "guest.h"

void check_eq(uint32_t got, uint32_t want, uint32_t line);
int report(void);
uint32_t exec_word(uint32_t word, uint32_t nzcv);
void undef_skip_handler(void);
extern uint32_t vector_table[8];
const char test_name[] = "sbz";

#define RUNS 0
#define UNDEF 1
#define EXPECT(word, nzcv, want) \
    check_eq(exec_word((word), (nzcv)), (want), __LINE__)

int main(void)
{
    vector_table[1] = (uint32_t)undef_skip_handler;

    /* well formed */
    EXPECT(0xe1a00002, 0, RUNS);        /* mov r0, r2 */
    EXPECT(0xe1110002, 0, RUNS);        /* tst r1, r2 */
    EXPECT(0xe1510002, 0, RUNS);        /* cmp r1, r2 */
    EXPECT(0xe3e00001, 0, RUNS);        /* mvn r0, #1 */
    /* MOV/MVN with Rn = r1 */
    EXPECT(0xe1a10002, 0, UNDEF);       /* register */
    EXPECT(0xe1b10002, 0, UNDEF);       /* register, S */
    EXPECT(0xe3a10001, 0, UNDEF);       /* immediate */
    EXPECT(0xe1a10312, 0, UNDEF);       /* register-shifted register */
    EXPECT(0xe1e10002, 0, UNDEF);
    EXPECT(0xe1f10002, 0, UNDEF);
    EXPECT(0xe3e10001, 0, UNDEF);
    EXPECT(0xe1e10312, 0, UNDEF);
    EXPECT(0xe1a1f002, 0, UNDEF);       /* into the PC */
    /* the word random testing found: MVNLS r12, Rn = r13 */
    EXPECT(0x93fdcab8, FLAG_Z, UNDEF);
    EXPECT(0x93fdcab8, FLAG_C, RUNS);   /* LS fails: nothing happens */
    EXPECT(0xe3fdcab8, 0, UNDEF);
    /* compares with Rd = r3 or the PC */
    EXPECT(0xe1113002, 0, UNDEF);       /* tst */
    EXPECT(0xe3113001, 0, UNDEF);
    EXPECT(0xe1113312, 0, UNDEF);
    EXPECT(0xe1313002, 0, UNDEF);       /* teq */
    EXPECT(0xe3313001, 0, UNDEF);
    EXPECT(0xe1313312, 0, UNDEF);
    EXPECT(0xe1513002, 0, UNDEF);       /* cmp */
    EXPECT(0xe3513001, 0, UNDEF);
    EXPECT(0xe1513312, 0, UNDEF);
    EXPECT(0xe151f002, 0, UNDEF);       /* the ARMv2 CMPP form */
    EXPECT(0xe351f001, 0, UNDEF);
    EXPECT(0xe1713002, 0, UNDEF);       /* cmn */
    EXPECT(0xe3713001, 0, UNDEF);
    EXPECT(0xe1713312, 0, UNDEF);
    EXPECT(0x01513002, FLAG_C, RUNS);   /* cmpeq, Z clear: skipped */
    return report();
}
