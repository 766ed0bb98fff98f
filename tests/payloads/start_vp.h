/* What tests/payloads/start_vp.c does and records, shared with its parent (tests/efi/test_start_vp.c). */
#ifndef TESTS_START_VP_H
#define TESTS_START_VP_H

/* MAILBOX[START_VP_MODE], set by the parent */
#define START_VP_MODE 0
#define START_VP_MODE_START 1  /* the failing starts, a checkpoint, then VP 1 started */
#define START_VP_MODE_DENIED 2 /* one start, in a partition without the privilege */
/* MAILBOX[START_VP_PHASE]: VP 0's progress; it sits in HLT at each */
#define START_VP_PHASE 1
#define START_VP_CHECKPOINT 1 /* the failing starts are done: the parent looks at VP 1 */
#define START_VP_DONE 2
/* MAILBOX[START_VP_STATUS + call]: the status of each of VP 0's calls */
#define START_VP_STATUS 2
enum start_vp_call {
	START_VP_VTL1,         /* TargetVtl 1 */
	START_VP_VTL16,        /* TargetVtl 16: no VTL at all */
	START_VP_PADDING,      /* a padding byte set */
	START_VP_PARENT,       /* the root's partition id */
	START_VP_NO_VP,        /* VP 2, never created */
	START_VP_INDEX_64,     /* beyond any VP index */
	START_VP_SELF,         /* VP 0 itself, running */
	START_VP_CR4_RESERVED, /* CR4 bit 63: refused by the backend after the segments are in */
	START_VP_PG_NO_PE,     /* CR0.PG without CR0.PE */
	START_VP_NO_LMA,       /* EFER.LME and CR0.PG but not EFER.LMA */
	START_VP_RIP,          /* a non-canonical RIP in 64-bit code */
	START_VP_RFLAGS,       /* RFLAGS bit 15 */
	START_VP_START,        /* the good start */
	START_VP_AGAIN,        /* the same once more */
	START_VP_CALLS
};
/* VP 1: START_VP_MAGIC once it ran, with its RSP at entry and its VP index */
#define START_VP_RAN 16
#define START_VP_RSP 17
#define START_VP_INDEX 18
#define START_VP_MAGIC 0x5717ed
#define START_VP_STACK_TOP 0x38000
/* VP n's CPUID answers, two slots a leaf: EAX | EBX << 32, ECX | EDX << 32 */
#define START_VP_CPUID(vp) (32 + 16 * (vp))
#define START_VP_LEAVES 6
static const struct {
	u32 leaf, subleaf;
} start_vp_leaves[START_VP_LEAVES] = {
	{ 1, 0 }, { 0xb, 0 }, { 0xb, 1 }, { 0x40000000, 0 }, { 0x40000003, 0 }, { 0xd, 0 },
};
/*
 * After them: the VP's XCR0 (VP 0 enables AVX where there is one, VP 1
 * keeps the reset value), and the XSAVE size CPUID 0xD.0 EBX must give
 * for it, from the components' offsets and sizes (0xD.n).
 */
#define START_VP_XCR0(vp) (START_VP_CPUID(vp) + 2 * START_VP_LEAVES)
#define START_VP_XSAVE_SIZE(vp) (START_VP_XCR0(vp) + 1)

#endif
