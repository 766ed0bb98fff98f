/* Hypervisor CPUID leaves 0x40000000-0x40000005 and the bits we change in native leaves. */
#include "hv/cpuid.h"
#include "hv/cpuid_topology.h"
#include "hv/vp_sched.h"
#include "hv/vp.h"
#include "hv/partition.h"
#include "hv/version.h"
#include "hv/lib/string.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vcpu.h"
#include "arch/x86/fpu.h"

#define CPUID_1_ECX_HYPERVISOR BIT(31)
/* "Microsoft Hv", tlfs.md */
#define HV_VENDOR_EBX 0x7263694d
#define HV_VENDOR_ECX 0x666f736f
#define HV_VENDOR_EDX 0x76482074
#define HV_INTERFACE_HV1 0x31237648 /* "Hv#1" */

void cpuid_partition_view(const struct vp *vp, u32 leaf, u32 subleaf, struct cpuid_regs *r)
{
	u64 priv = vp->partition->privileges;

	memset(r, 0, sizeof(*r));
	switch (leaf) {
	case HV_CPUID_VENDOR_AND_MAX:
		r->eax = HV_CPUID_MAX_LEAF;
		r->ebx = HV_VENDOR_EBX;
		r->ecx = HV_VENDOR_ECX;
		r->edx = HV_VENDOR_EDX;
		return;
	case HV_CPUID_INTERFACE:
		r->eax = HV_INTERFACE_HV1;
		return;
	case HV_CPUID_VERSION:
		r->eax = HV_VERSION_BUILD;
		r->ebx = (HV_VERSION_MAJOR << 16) | HV_VERSION_MINOR;
		return;
	case HV_CPUID_FEATURES:
		/* EAX:EBX is the partition privilege mask; EDX what is implemented for it. */
		r->eax = (u32)priv;
		r->ebx = (u32)(priv >> 32);
		r->edx = HV_FEATURE_SINT_POLLING_MODE_AVAILABLE | HV_FEATURE_HYPERCALL_MSR_LOCK_AVAILABLE |
			 HV_FEATURE_GUEST_CRASH_MSRS_AVAILABLE;
		if (priv & HV_ACCESS_FREQUENCY_REGS)
			r->edx |= HV_FEATURE_FREQUENCY_REGS_AVAILABLE;
		if (priv & HV_ACCESS_SYNTHETIC_TIMER_REGS)
			r->edx |= HV_FEATURE_DIRECT_SYNTHETIC_TIMERS;
		return;
	case HV_CPUID_ENLIGHTENMENT_INFO:
		/* Synthetic IPIs need a virtual APIC to land in, hence children only. */
		if (priv & HV_ACCESS_INTR_CTRL_REGS)
			r->eax = HV_HINT_APIC_MSRS | HV_HINT_REMOTE_TLB_FLUSH | HV_HINT_SYNTHETIC_CLUSTER_IPI |
				 HV_HINT_EX_PROCESSOR_MASKS;
		/* Only while the core scheduler (or no SMT at all) keeps other VPs off sibling threads. */
		if (sched_no_core_sharing(&hv_sched))
			r->eax |= HV_HINT_NO_NONARCH_CORE_SHARING;
		r->ebx = HV_LONG_SPIN_WAIT_RETRIES;
		return;
	case HV_CPUID_IMPLEMENTATION_LIMITS:
		r->eax = HV_MAX_VPS_PER_PARTITION;
		r->ebx = HV_MAX_VPS_PER_PARTITION;
		return;
	}
	if (leaf >= HV_CPUID_VENDOR_AND_MAX && leaf <= 0x4fffffff)
		return;
	cpuid_count(leaf, subleaf, r);
	if (leaf == 1)
		r->ecx |= CPUID_1_ECX_HYPERVISOR;
	vcpu_arch_cpuid_filter(leaf, subleaf, r);
	/* The root's XCR0 is live; a child's is in its FPU state. */
	if (leaf == 0xd && vp->partition != root_partition)
		fpu_cpuid_xsave(vp, subleaf, r);
	/* The root sees the machine; a child its own VPs. */
	if (cpuid_topology_leaf(leaf) && vp->partition != root_partition)
		cpuid_topology(leaf, subleaf, vp->index, vp_sched_threads_per_core(vp->partition),
			       HV_MAX_VPS_PER_PARTITION, r);
}

void cpuid_exit(struct vp *vp, u32 leaf, u32 subleaf)
{
	struct cpuid_regs r;

	cpuid_partition_view(vp, leaf, subleaf, &r);
	vp->regs.rax = r.eax;
	vp->regs.rbx = r.ebx;
	vp->regs.rcx = r.ecx;
	vp->regs.rdx = r.edx;
}
