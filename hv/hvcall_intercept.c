/*
 * HvCallInstallIntercept (hypercalls/HvCallInstallIntercept.md): the parent
 * asks for CPUID leaves, MSR accesses and exceptions of a child to come to
 * it as intercept messages instead of being answered by the hypervisor or
 * delivered through the child's IDT. Port I/O of children always goes to
 * the parent, so I/O-port intercepts are already in place and installing
 * one changes nothing.
 */
#include "hv/hvcall.h"
#include "hv/partition.h"
#include "hv/vp.h"

static bool listed(const u32 *list, u8 count, u32 value)
{
	unsigned i;

	for (i = 0; i < count; i++)
		if (list[i] == value)
			return true;
	return false;
}

bool intercept_installed_cpuid(const struct partition *p, u32 leaf)
{
	return listed(p->cpuid_intercepts, p->cpuid_intercept_count, leaf);
}

bool intercept_installed_msr(const struct partition *p, u32 msr, bool write)
{
	unsigned i;

	for (i = 0; i < p->msr_intercept_count; i++)
		if (p->msr_intercepts[i] == msr)
			return p->msr_intercept_access[i] &
			       (write ? HV_INTERCEPT_ACCESS_MASK_WRITE : HV_INTERCEPT_ACCESS_MASK_READ);
	return false;
}

/*
 * The exceptions a parent may take over: the faults and aborts the
 * processor raises on its own, which both backends intercept before
 * delivery with the VP's state as at the faulting instruction. Left out:
 * #DB (1: a trap or a fault, with DR6 and pending-debug state each vendor
 * keeps differently), NMI (2: not an exception; physical NMIs are the
 * root's), #BP and #OF (3, 4: raised by INT3/INTO, which QEMU's SVM model
 * checks against the INTn intercept instead, and whose re-injection needs
 * the instruction length SVM without NRIP save does not give), #MC (18:
 * the host's machine check), and vectors nothing here raises (9, 15, 20
 * to 31: #VE, #CP, #HV, #VC and #SX need features children do not get).
 */
#define INTERCEPTABLE_EXCEPTIONS (BIT(0) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | BIT(10) | \
				  BIT(11) | BIT(12) | BIT(13) | BIT(14) | BIT(16) | BIT(17) | \
				  BIT(19))

bool intercept_installed_exception(const struct partition *p, u8 vector)
{
	return __atomic_load_n(&p->exception_intercepts, __ATOMIC_ACQUIRE) & BIT(vector);
}

static HV_STATUS install(struct partition *p, const struct hv_input_install_intercept *in)
{
	u32 value = (u32)in->InterceptParameter;

	switch (in->InterceptType) {
	case HvInterceptTypeX64IoPort:
		if (in->InterceptParameter >> 16 || (in->AccessType & ~3u))
			return HV_STATUS_INVALID_PARAMETER;
		return HV_STATUS_SUCCESS;
	case HvInterceptTypeX64Cpuid:
		if (in->InterceptParameter >> 32 || in->AccessType != HV_INTERCEPT_ACCESS_MASK_EXECUTE)
			return HV_STATUS_INVALID_PARAMETER;
		if (listed(p->cpuid_intercepts, p->cpuid_intercept_count, value))
			return HV_STATUS_SUCCESS;
		if (p->cpuid_intercept_count == HV_MAX_INSTALLED_INTERCEPTS)
			return HV_STATUS_INSUFFICIENT_MEMORY;
		p->cpuid_intercepts[p->cpuid_intercept_count++] = value;
		return HV_STATUS_SUCCESS;
	case HvInterceptTypeX64Msr:
		if (in->InterceptParameter >> 32 || !in->AccessType || (in->AccessType & ~3u))
			return HV_STATUS_INVALID_PARAMETER;
		if (p->msr_intercept_count == HV_MAX_INSTALLED_INTERCEPTS &&
		    !listed(p->msr_intercepts, p->msr_intercept_count, value))
			return HV_STATUS_INSUFFICIENT_MEMORY;
		if (!listed(p->msr_intercepts, p->msr_intercept_count, value))
			p->msr_intercepts[p->msr_intercept_count++] = value;
		for (unsigned i = 0; i < p->msr_intercept_count; i++)
			if (p->msr_intercepts[i] == value)
				p->msr_intercept_access[i] = (u8)in->AccessType;
		return HV_STATUS_SUCCESS;
	case HvInterceptTypeException:
		/*
		 * An exception is neither read nor written: execute installs the
		 * intercept, an empty mask removes it again (as Hyper-V's users,
		 * e.g. hyperlight's debugger, switch them).
		 */
		if (in->InterceptParameter > 31 || !(INTERCEPTABLE_EXCEPTIONS & BIT(in->InterceptParameter)))
			return HV_STATUS_INVALID_PARAMETER;
		if (in->AccessType == HV_INTERCEPT_ACCESS_MASK_EXECUTE)
			__atomic_fetch_or(&p->exception_intercepts, (u32)BIT(in->InterceptParameter),
					  __ATOMIC_RELEASE);
		else if (!in->AccessType)
			__atomic_fetch_and(&p->exception_intercepts, ~(u32)BIT(in->InterceptParameter),
					   __ATOMIC_RELEASE);
		else
			return HV_STATUS_INVALID_PARAMETER;
		return HV_STATUS_SUCCESS;
	}
	/* APIC and the other intercept types are not offered yet (docs/abi-coverage.md). */
	return HV_STATUS_INVALID_PARAMETER;
}

HV_STATUS hvcall_install_intercept(struct hypercall *hc)
{
	const struct hv_input_install_intercept *in = hc->in;
	struct partition *p;
	HV_STATUS status;

	partitions_lock();
	p = partition_child(hc->caller->partition, in->PartitionId);
	status = p ? install(p, in) : HV_STATUS_INVALID_PARTITION_ID;
	partitions_unlock();
	return status;
}
