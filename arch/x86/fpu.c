#include "arch/x86/fpu.h"
#include "arch/x86/cpu.h"
#include "hv/lp.h"
#include "hv/vp.h"

static bool use_xsave;

void fpu_init(void)
{
	struct cpuid_regs r;

	cpuid_count(1, 0, &r);
	use_xsave = r.ecx & BIT(26);
}

void fpu_area_reset(void *area)
{
	*(u16 *)area = 0x37f;
	*(u32 *)((u8 *)area + 24) = 0x1f80;
}

void fpu_save(void *area, u64 *xcr0)
{
	if (use_xsave) {
		*xcr0 = xgetbv(0);
		asm volatile("xsave64 (%0)" ::"r"(area), "a"(~0u), "d"(~0u) : "memory");
	} else {
		asm volatile("fxsave64 (%0)" ::"r"(area) : "memory");
	}
}

void fpu_restore(const void *area, u64 xcr0)
{
	if (use_xsave) {
		xsetbv(0, xcr0);
		asm volatile("xrstor64 (%0)" ::"r"(area), "a"(~0u), "d"(~0u) : "memory");
	} else {
		asm volatile("fxrstor64 (%0)" ::"r"(area) : "memory");
	}
}

void fpu_enter_child(struct lp *lp, struct vp *child)
{
	if (lp->root_vp)
		fpu_save(lp->root_vp->arch.fpu, &lp->root_vp->arch.xcr0);
	fpu_restore(child->arch.fpu, child->arch.xcr0);
}

void fpu_leave_child(struct lp *lp, struct vp *child)
{
	fpu_save(child->arch.fpu, &child->arch.xcr0);
	if (lp->root_vp)
		fpu_restore(lp->root_vp->arch.fpu, lp->root_vp->arch.xcr0);
}

/*
 * CPUID leaf 0xD, subleaves 0 and 1: EBX is the XSAVE area size for the
 * XCR0 in force, which at a child's exit on an LP the root shares is the
 * root's. A guest that finds EBX disagreeing with its own XCR0 (Linux's
 * XSAVE consistency check) turns XSAVE off. Asked again under the VP's XCR0.
 */
void fpu_cpuid_xsave(const struct vp *vp, u32 subleaf, struct cpuid_regs *r)
{
	u64 live;

	if (!use_xsave || subleaf > 1)
		return;
	live = xgetbv(0);
	if (live == vp->arch.xcr0)
		return;
	xsetbv(0, vp->arch.xcr0);
	cpuid_count(0xd, subleaf, r);
	xsetbv(0, live);
}
