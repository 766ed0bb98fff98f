#ifndef ARCH_X86_FPU_H
#define ARCH_X86_FPU_H

#include "hv/types.h"

/* VMRUN does not switch x87/SSE/AVX state or XCR0: these do, one page per VP. */
void fpu_init(void);
void fpu_save(void *area, u64 *xcr0);
void fpu_restore(const void *area, u64 xcr0);
/* XCR0 of a VP that never set it (x87 only, the reset value). */
#define FPU_RESET_XCR0 1
/* A fresh VP's area: FCW and MXCSR as after FNINIT and reset. */
void fpu_area_reset(void *area);

struct lp;
struct vp;
/*
 * Around a child VP's run: the root's state out and the child's in, then
 * back, on an LP with a root VP; on an LP without one (minroot), the child's
 * stays in until another child's replaces it or fpu_put.
 */
void fpu_enter_child(struct lp *lp, struct vp *child);
void fpu_leave_child(struct lp *lp, struct vp *child);
/* @vp leaves @lp (this LP): its state, if still loaded here, goes back to its area. */
void fpu_put(struct lp *lp, struct vp *vp);
/* Is @vp's state the one loaded in @lp (this LP)? */
bool fpu_live(const struct lp *lp, const struct vp *vp);
/* CPUID 0xD.@subleaf (0, 1) as the VP's own XCR0 makes it; other subleaves untouched. */
struct cpuid_regs;
void fpu_cpuid_xsave(const struct vp *vp, u32 subleaf, struct cpuid_regs *r);

#endif
