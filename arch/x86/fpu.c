#include "arch/x86/fpu.h"
#include "arch/x86/cpu.h"
#include "hv/lp.h"
#include "hv/vp.h"

#define XCR0_X87 BIT(0)
#define XCR0_SSE BIT(1)

/* XCR0 bits that are valid only all set or all clear (SDM 13.3): MPX, AVX-512, AMX. */
static const u64 xcr0_groups[] = { BIT(3) | BIT(4), BIT(5) | BIT(6) | BIT(7), BIT(17) | BIT(18) };

static bool use_xsave;
/*
 * The components every switch saves and restores, whatever the VP's own
 * XCR0: XSAVE and XRSTOR act only on components XCR0 enables, but a guest
 * with XCR0 = 1 (the reset value, which the firmware as root keeps) still
 * uses SSE through CR4.OSFXSR. Switched under its XCR0, its XMM registers
 * went from one partition to the next. All the CPU supports that fits the
 * VP's one-page area (AMX's tile data does not).
 */
static u64 xcr0_switched;

void fpu_init(void)
{
	struct cpuid_regs r;
	u32 i;

	cpuid_count(1, 0, &r);
	use_xsave = r.ecx & BIT(26);
	if (!use_xsave)
		return;
	cpuid_count(0xd, 0, &r);
	xcr0_switched = XCR0_X87 | XCR0_SSE;
	for (i = 2; i < 32; i++) {
		struct cpuid_regs c;

		if (!(r.eax & BIT(i)))
			continue;
		cpuid_count(0xd, i, &c);
		if (c.eax + c.ebx <= PAGE_SIZE)
			xcr0_switched |= BIT(i);
	}
	for (i = 0; i < ARRAY_SIZE(xcr0_groups); i++)
		if ((xcr0_switched & xcr0_groups[i]) != xcr0_groups[i])
			xcr0_switched &= ~xcr0_groups[i];
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
		if (*xcr0 != xcr0_switched)
			xsetbv(0, xcr0_switched);
		asm volatile("xsave64 (%0)" ::"r"(area), "a"(~0u), "d"(~0u) : "memory");
	} else {
		asm volatile("fxsave64 (%0)" ::"r"(area) : "memory");
	}
}

void fpu_restore(const void *area, u64 xcr0)
{
	if (use_xsave) {
		if (xgetbv(0) != xcr0_switched)
			xsetbv(0, xcr0_switched);
		asm volatile("xrstor64 (%0)" ::"r"(area), "a"(~0u), "d"(~0u) : "memory");
		if (xcr0 != xcr0_switched)
			xsetbv(0, xcr0);
	} else {
		asm volatile("fxrstor64 (%0)" ::"r"(area) : "memory");
	}
}

/*
 * An LP the root shares switches eagerly: the root's state is back in
 * before anything of the root's can run. An LP the hypervisor owns has no
 * state of its own to protect, so a child's stays loaded across its exits
 * and is written back only when another child comes in or it leaves the
 * LP (fpu_put), which saves two XSAVE/XRSTOR per exit there.
 */
void fpu_enter_child(struct lp *lp, struct vp *child)
{
	if (lp->root_vp) {
		fpu_save(lp->root_vp->arch.fpu, &lp->root_vp->arch.xcr0);
		fpu_restore(child->arch.fpu, child->arch.xcr0);
		return;
	}
	if (lp->arch.fpu_owner == child)
		return;
	if (lp->arch.fpu_owner)
		fpu_save(lp->arch.fpu_owner->arch.fpu, &lp->arch.fpu_owner->arch.xcr0);
	fpu_restore(child->arch.fpu, child->arch.xcr0);
	lp->arch.fpu_owner = child;
}

void fpu_leave_child(struct lp *lp, struct vp *child)
{
	if (!lp->root_vp)
		return;
	fpu_save(child->arch.fpu, &child->arch.xcr0);
	fpu_restore(lp->root_vp->arch.fpu, lp->root_vp->arch.xcr0);
}

void fpu_put(struct lp *lp, struct vp *vp)
{
	if (lp->arch.fpu_owner != vp)
		return;
	fpu_save(vp->arch.fpu, &vp->arch.xcr0);
	lp->arch.fpu_owner = NULL;
}

bool fpu_live(const struct lp *lp, const struct vp *vp)
{
	return lp && lp->arch.fpu_owner == vp;
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

	/* Loaded here: the CPUID just run answered under the VP's own XCR0. */
	if (!use_xsave || subleaf > 1 || fpu_live(this_lp(), vp))
		return;
	live = xgetbv(0);
	if (live == vp->arch.xcr0)
		return;
	xsetbv(0, vp->arch.xcr0);
	cpuid_count(0xd, subleaf, r);
	xsetbv(0, live);
}
