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
