/* Mailbox of tests/payloads/fpu.c, shared with tests/efi/test_fpu.c. */
#ifndef TESTS_PAYLOAD_FPU_H
#define TESTS_PAYLOAD_FPU_H

#define FPU_SEED 0      /* set by the parent: this child's pattern */
#define FPU_ROUND 1     /* rounds done */
#define FPU_BAD 2       /* rounds in which a register had changed */
#define FPU_AVX 3       /* 1: the YMM upper halves were checked too */
#define FPU_FIRST_BAD 4 /* the first changed register: 0-15 XMM/YMM, 16 MXCSR, 17 x87 control word */
#define FPU_KEEP_XCR0 5 /* set by the parent: XCR0 stays 1, SSE only through CR4.OSFXSR */
#define FPU_SCHEDULED 6 /* set by the parent: no stops for it; each round spins through time slices instead */
#define FPU_ROUNDS 40
#define FPU_SYNC_PORT 0x600 /* the end of each round: the parent runs the other child */

#endif
