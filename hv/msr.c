/*
 * MSR intercepts: the synthetic MSRs of the TLFS (hypercall-interface.md,
 * "Reporting the Guest OS Identity", "Establishing the Hypercall
 * Interface"), then architectural MSRs the backend keeps per VP.
 */
#include "hv/msr.h"
#include "hv/vp_sched.h"
#include "hv/vp.h"
#include "hv/partition.h"
#include "hv/synic.h"
#include "hv/vp_interrupt.h"
#include "hv/reftime.h"
#include "hv/stimer.h"
#include "hv/crash.h"
#include "hv/vp_assist.h"
#include "hv/lib/string.h"
#include "arch/x86/vcpu.h"

#define HYPERCALL_MSR_RSVDP (~(PAGE_MASK | HV_X64_MSR_HYPERCALL_ENABLE | HV_X64_MSR_HYPERCALL_LOCKED))

static bool has(const struct vp *vp, u64 privilege)
{
	return (vp->partition->privileges & privilege) == privilege;
}

static bool is_synic_msr(u32 index)
{
	return (index >= HV_X64_MSR_SCONTROL && index <= HV_X64_MSR_EOM) ||
	       (index >= HV_X64_MSR_SINT0 && index <= HV_X64_MSR_SINT15);
}

static bool hypercall_msr_write(struct vp *vp, u64 value)
{
	struct partition *p = vp->partition;
	u64 spa;

	if (p->hypercall_msr & HV_X64_MSR_HYPERCALL_LOCKED)
		return true;
	value = (value & ~HYPERCALL_MSR_RSVDP) | (p->hypercall_msr & HYPERCALL_MSR_RSVDP);
	/* Without a guest identity the enable bit stays clear. */
	if (!p->guest_os_id)
		value &= ~HV_X64_MSR_HYPERCALL_ENABLE;
	if (value & HV_X64_MSR_HYPERCALL_ENABLE) {
		if (gpa_map_translate(&p->gpa_map, value & PAGE_MASK,
				      HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE, &spa))
			return false;
		/*
		 * The page is written in place rather than overlaid: the guest
		 * gave up its contents when it chose the page (step 6 of the TLFS).
		 */
		memset(phys_to_virt(spa), 0xcc, PAGE_SIZE);
		vcpu_arch_hypercall_code(phys_to_virt(spa), PAGE_SIZE);
	}
	p->hypercall_msr = value;
	return true;
}

bool msr_read(struct vp *vp, u32 index, u64 *value)
{
	switch (index) {
	case HV_X64_MSR_GUEST_OS_ID:
		if (!has(vp, HV_ACCESS_HYPERCALL_MSRS))
			return false;
		*value = vp->partition->guest_os_id;
		return true;
	case HV_X64_MSR_HYPERCALL:
		if (!has(vp, HV_ACCESS_HYPERCALL_MSRS))
			return false;
		*value = vp->partition->hypercall_msr;
		return true;
	case HV_X64_MSR_VP_INDEX:
		if (!has(vp, HV_ACCESS_VP_INDEX))
			return false;
		*value = vp->index;
		return true;
	case HV_X64_MSR_SCHED_PROBE:
		return vp_sched_probe(vp, value);
	}
	if (is_synic_msr(index))
		return has(vp, HV_ACCESS_SYNIC_REGS) && synic_msr_read(vp, index, value);
	if (vp_owns_apic_msr(vp, index))
		return vp_apic_msr_read(vp, index, value);
	if (reftime_owns_msr(index))
		return reftime_msr_read(vp, index, value);
	if (stimer_owns_msr(index))
		return stimer_msr_read(vp, index, value);
	if (crash_owns_msr(index))
		return crash_msr_read(vp, index, value);
	if (vp_assist_owns_msr(index))
		return vp_assist_msr_read(vp, value);
	return vcpu_arch_msr_read(vp, index, value);
}

bool msr_write(struct vp *vp, u32 index, u64 value)
{
	switch (index) {
	case HV_X64_MSR_GUEST_OS_ID:
		if (!has(vp, HV_ACCESS_HYPERCALL_MSRS))
			return false;
		vp->partition->guest_os_id = value;
		if (!value)
			vp->partition->hypercall_msr &= ~HV_X64_MSR_HYPERCALL_ENABLE;
		return true;
	case HV_X64_MSR_HYPERCALL:
		if (!has(vp, HV_ACCESS_HYPERCALL_MSRS))
			return false;
		return hypercall_msr_write(vp, value);
	case HV_X64_MSR_VP_INDEX:
		return false; /* read-only */
	}
	if (is_synic_msr(index))
		return has(vp, HV_ACCESS_SYNIC_REGS) && synic_msr_write(vp, index, value);
	if (vp_owns_apic_msr(vp, index))
		return vp_apic_msr_write(vp, index, value);
	if (reftime_owns_msr(index))
		return reftime_msr_write(vp, index, value);
	if (stimer_owns_msr(index))
		return stimer_msr_write(vp, index, value);
	if (crash_owns_msr(index))
		return crash_msr_write(vp, index, value);
	if (vp_assist_owns_msr(index))
		return vp_assist_msr_write(vp, value);
	return vcpu_arch_msr_write(vp, index, value);
}
