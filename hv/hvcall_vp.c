/* VP calls: create, delete, start, registers, CPUID values, state pages, dispatch (root scheduler). */
#include "hv/hvcall.h"
#include "hv/partition.h"
#include "hv/vp.h"
#include "hv/lp.h"
#include "hv/cpuid.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vcpu.h"
#include "arch/x86/vp_context.h"
#include "hv/vp_interrupt.h"
#include "hv/vp_sched.h"
#include "arch/x86/gva_walk.h"

HV_STATUS hvcall_create_vp(struct hypercall *hc)
{
	const struct hv_input_create_vp *in = hc->in;
	struct partition *p;
	HV_STATUS status;

	if (in->ReservedZ0[0] || in->ReservedZ0[1] || in->ReservedZ0[2] ||
	    in->SubnodeType || in->SubnodeId || in->ProximityDomainInfo || in->Flags)
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	p = partition_child(hc->caller->partition, in->PartitionId);
	if (!p)
		status = HV_STATUS_INVALID_PARTITION_ID;
	else
		vp_create(p, in->VpIndex, &status);
	partitions_unlock();
	return status;
}

/* A VP of a child of the caller, or of the caller itself with AccessVpRegisters. */
static struct vp *target_vp(struct hypercall *hc, HV_PARTITION_ID id, HV_VP_INDEX index,
			    bool self_ok, HV_STATUS *status)
{
	struct partition *caller = hc->caller->partition;
	struct partition *p = partition_lookup(caller, id);

	if (!p) {
		*status = HV_STATUS_INVALID_PARTITION_ID;
		return NULL;
	}
	if (p == caller && (!self_ok || !(caller->privileges & HV_ACCESS_VP_REGISTERS))) {
		*status = HV_STATUS_ACCESS_DENIED;
		return NULL;
	}
	if (index >= HV_MAX_VPS_PER_PARTITION || !p->vps[index]) {
		*status = HV_STATUS_INVALID_VP_INDEX;
		return NULL;
	}
	*status = HV_STATUS_SUCCESS;
	return p->vps[index];
}

HV_STATUS hvcall_delete_vp(struct hypercall *hc)
{
	const struct hv_input_vp_registers *in = hc->in;
	HV_STATUS status;
	struct vp *vp;

	partitions_lock();
	vp = target_vp(hc, in->PartitionId, in->VpIndex, false, &status);
	if (vp && !vp_sched_detach(vp))
		status = HV_STATUS_INVALID_VP_STATE;
	if (!status) {
		vp->partition->vps[vp->index] = NULL;
		vp_destroy(vp);
	}
	partitions_unlock();
	return status;
}

/*
 * The TLFS offers HvCallStartVirtualProcessor as the enlightened INIT-SIPI:
 * a partition starting its own VPs. A parent starts its children's VPs by
 * clearing ExplicitSuspend (virtualization-host.md), so no other partition
 * may be named. Started means what a parent clearing ExplicitSuspend means
 * (hv/vp_sched.c): run by the hypervisor's scheduler where it has LPs for
 * children, otherwise left for the parent to dispatch.
 */
HV_STATUS hvcall_start_virtual_processor(struct hypercall *hc)
{
	const struct hv_input_start_virtual_processor *in = hc->in;
	const HV_REGISTER_VALUE zero = { .Reg128 = { 0, 0 } };
	struct partition *p = hc->caller->partition;
	HV_STATUS status;
	struct vp *vp;

	if (in->Padding[0] || in->Padding[1] || in->Padding[2] || in->TargetVtl > HV_VTL_MAX)
		return HV_STATUS_INVALID_PARAMETER;
	if (in->PartitionId != HV_PARTITION_ID_SELF && in->PartitionId != p->id)
		return HV_STATUS_INVALID_PARTITION_ID;
	/* Without VSM no VTL but 0 is ever enabled. */
	if (in->TargetVtl)
		return HV_STATUS_INVALID_VTL_STATE;
	if (in->VpIndex >= HV_MAX_VPS_PER_PARTITION)
		return HV_STATUS_INVALID_VP_INDEX;
	partitions_lock();
	vp = p->vps[in->VpIndex];
	if (p->state != PARTITION_INITIALIZED)
		status = HV_STATUS_INVALID_PARTITION_STATE; /* another VP of the caller's terminated it */
	else if (!vp)
		status = HV_STATUS_INVALID_VP_INDEX;
	else if (vp->started)
		status = HV_STATUS_INVALID_VP_STATE;
	else
		status = vp_context_load(vp, &in->VpContext);
	if (!status) {
		vp->started = true;
		/* INIT and SIPI end in a running VP whatever came before: no SIPI awaited, no HLT. */
		vp->vlapic.wait_for_sipi = false;
		vp_sched_set_register(vp, HvRegisterInternalActivityState, &zero, &status);
		vp_sched_set_register(vp, HvRegisterExplicitSuspend, &zero, &status);
	}
	partitions_unlock();
	return status;
}

/*
 * What the VP reads with CPUID, leaf by leaf: the view its CPUID exits
 * get, leaf 0xD's XSAVE sizes included (those of the VP's own XCR0).
 * Neither flag changes it: no CPUID results are ever registered
 * (HvCallRegisterInterceptResult is absent), and UseVpXfemXss asks for
 * what the view gives anyway (docs/abi-coverage.md).
 */
HV_STATUS hvcall_get_vp_cpuid_values(struct hypercall *hc)
{
	const struct hv_input_get_vp_cpuid_values *in = hc->in;
	const HV_CPUID_LEAF_INFO *leaves = (const void *)(in + 1);
	HV_CPUID_RESULT *out = hc->out;
	u16 i, end = MIN(hc->rep_count, (u16)(hc->rep_start + HYPERCALL_REP_BUDGET));
	HV_STATUS status;
	struct vp *vp;

	if ((in->Flags & ~(u32)(HV_GET_VP_CPUID_VALUES_USE_VP_XFEM_XSS |
				HV_GET_VP_CPUID_VALUES_APPLY_REGISTERED_VALUES)) ||
	    in->ReservedZ || in->Padding)
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	vp = target_vp(hc, in->PartitionId, in->VpIndex, true, &status);
	for (i = hc->rep_start; !status && i < end; i++) {
		struct cpuid_regs r;

		cpuid_partition_view(vp, leaves[i].Eax, leaves[i].Ecx, &r);
		out[i] = (HV_CPUID_RESULT){ r.eax, r.ebx, r.ecx, r.edx };
		hc->reps_done = i + 1;
	}
	partitions_unlock();
	return status;
}

/*
 * The VP must hold still while its registers are read or written: not
 * running, and if the hypervisor schedules it, suspended so that nothing
 * but the parent can let it run again. A suspended VP the hypervisor
 * schedules can still be on its way off its LP: the intercept reaches the
 * parent's SINT 0 before its LP has put it down, so a parent that polls
 * can ask at once. Then HV_STATUS_AGAIN: a rep call repeats from that
 * register until the VP has left, as setting ExplicitSuspend does.
 */
static HV_STATUS vp_quiescent(const struct hypercall *hc, const struct vp *vp)
{
	if (vp == hc->caller)
		return HV_STATUS_SUCCESS;
	if (vp->scheduled && !vp->explicit_suspend && !vp->intercept_suspend)
		return HV_STATUS_INVALID_VP_STATE;
	if (!vp->lp)
		return HV_STATUS_SUCCESS;
	return vp->scheduled ? HV_STATUS_AGAIN : HV_STATUS_INVALID_VP_STATE;
}

HV_STATUS hvcall_get_vp_registers(struct hypercall *hc)
{
	const struct hv_input_vp_registers *in = hc->in;
	const HV_REGISTER_NAME *names = (const void *)(in + 1);
	HV_REGISTER_VALUE *out = hc->out;
	HV_STATUS status;
	struct vp *vp;
	u16 i;

	if (in->TargetVtl || in->RsvdZ[0] || in->RsvdZ[1] || in->RsvdZ[2])
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	vp = target_vp(hc, in->PartitionId, in->VpIndex, true, &status);
	for (i = hc->rep_start; !status && i < hc->rep_count; i++) {
		if (vp_sched_get_register(vp, names[i], &out[i], &status))
			;
		else if (!(status = vp_quiescent(hc, vp)))
			status = vcpu_arch_get_register(vp, names[i], &out[i]);
		if (!status)
			hc->reps_done = i + 1;
	}
	/* A VP still leaving its LP: the call goes on from this register when re-executed. */
	if (status == HV_STATUS_AGAIN)
		status = HV_STATUS_SUCCESS;
	partitions_unlock();
	return status;
}

HV_STATUS hvcall_set_vp_registers(struct hypercall *hc)
{
	const struct hv_input_vp_registers *in = hc->in;
	const struct hv_register_assoc *regs = (const void *)(in + 1);
	HV_STATUS status;
	struct vp *vp;
	u16 i;

	if (in->TargetVtl || in->RsvdZ[0] || in->RsvdZ[1] || in->RsvdZ[2])
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	vp = target_vp(hc, in->PartitionId, in->VpIndex, true, &status);
	for (i = hc->rep_start; !status && i < hc->rep_count; i++) {
		const struct hv_register_assoc *r = &regs[i];

		if (r->RsvdZ[0] || r->RsvdZ[1] || r->RsvdZ[2])
			status = HV_STATUS_INVALID_PARAMETER;
		/* HLT or not is VP state like RIP: only a stopped VP's changes. */
		else if (r->Name == HvRegisterInternalActivityState && (status = vp_quiescent(hc, vp)))
			;
		else if (vp_sched_set_register(vp, r->Name, &r->Value, &status))
			;
		else if (!(status = vp_quiescent(hc, vp)))
			status = vcpu_arch_set_register(vp, r->Name, &r->Value);
		if (!status)
			hc->reps_done = i + 1;
	}
	/* A suspend still under way, or a VP still leaving its LP: the call goes on from this register when re-executed. */
	if (status == HV_STATUS_AGAIN)
		status = HV_STATUS_SUCCESS;
	partitions_unlock();
	return status;
}

HV_STATUS hvcall_translate_virtual_address(struct hypercall *hc)
{
	const struct hv_input_translate_virtual_address *in = hc->in;
	struct hv_output_translate_virtual_address *out = hc->out;
	HV_STATUS status;
	struct vp *vp;
	u64 gpa = 0;

	if (in->Padding || (in->ControlFlags & ~(u64)HV_TRANSLATE_GVA_SUPPORTED))
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	vp = target_vp(hc, in->PartitionId, in->VpIndex, true, &status);
	if (vp && vp_quiescent(hc, vp))
		status = HV_STATUS_INVALID_VP_STATE;
	if (!status) {
		out->ResultCode = gva_translate(vp, in->GvaPage * PAGE_SIZE, in->ControlFlags, &gpa, &status);
		out->CacheType = HV_CACHE_TYPE_WRITE_BACK;
		out->GpaPage = gpa / PAGE_SIZE;
	}
	partitions_unlock();
	return status;
}

HV_STATUS hvcall_map_vp_state_page(struct hypercall *hc)
{
	const struct hv_input_map_vp_state_page *in = hc->in;
	struct partition *caller = hc->caller->partition;
	HV_STATUS status;
	struct vp *vp;
	u64 spa;

	/* Only the intercept message page, at a page the parent names. */
	if (in->Type != HvVpStatePageInterceptMessage || in->InputVtl ||
	    in->Flags != HV_MAP_VP_STATE_PAGE_LOCATION_PROVIDED)
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	vp = target_vp(hc, in->PartitionId, in->VpIndex, false, &status);
	if (vp && gpa_map_translate(&caller->gpa_map, in->RequestedMapLocation * PAGE_SIZE,
				    HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE, &spa))
		status = HV_STATUS_INVALID_PARAMETER;
	if (!status && !frame_map_get(&frames, spa / PAGE_SIZE))
		status = HV_STATUS_OPERATION_DENIED;
	if (!status) {
		if (vp->intercept_page)
			frame_map_put(&frames, vp->intercept_page / PAGE_SIZE);
		vp->intercept_page = spa;
		*(HV_GPA_PAGE_NUMBER *)hc->out = in->RequestedMapLocation;
	}
	partitions_unlock();
	return status;
}

HV_STATUS hvcall_dispatch_vp(struct hypercall *hc)
{
	const struct hv_input_dispatch_vp *in = hc->in;
	HV_STATUS status;
	struct vp *vp;

	/* No dispatch flag or time slice is honoured yet; refuse rather than ignore them. */
	if (in->Flags || in->TimeSlice || in->SpecCtrl)
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	vp = target_vp(hc, in->PartitionId, in->VpIndex, false, &status);
	if (vp && vp->vlapic.wait_for_sipi) {
		/* An AP after INIT does nothing until its SIPI: blocked, not run. */
		struct hv_output_dispatch_vp *out = hc->out;

		out->DispatchState = HV_VP_DISPATCH_STATE_BLOCKED;
		out->DispatchEvent = HV_VP_DISPATCH_EVENT_SUSPEND;
	} else if (vp) {
		status = vp_dispatch(hc->caller, vp, hc->out_gpa);
	}
	partitions_unlock();
	return status;
}

/* Delivers to every VP of @p that @dest names (physical or logical x2APIC destination). */
static HV_STATUS assert_interrupt(struct partition *p, const struct hv_input_assert_virtual_interrupt *in)
{
	bool logical = in->InterruptFlags & HV_INTERRUPT_LOGICAL_DESTINATION;
	bool hit = false;
	unsigned i;

	for (i = 0; i < HV_MAX_VPS_PER_PARTITION; i++) {
		struct vp *vp = p->vps[i];

		if (!vp || !vlapic_match_destination(&vp->vlapic, (u32)in->DestinationAddress, logical))
			continue;
		hit = true;
		switch (in->InterruptType) {
		case HvX64InterruptTypeFixed:
		case HvX64InterruptTypeLowestPriority:
			vp_raise_interrupt(vp, (u8)in->RequestedVector, false);
			break;
		case HvX64InterruptTypeInit:
			if (vp->lp)
				return HV_STATUS_INVALID_VP_STATE;
			vlapic_init(&vp->vlapic);
			vcpu_arch_init_state(vp);
			break;
		case HvX64InterruptTypeSipi:
			if (vlapic_sipi(&vp->vlapic))
				vcpu_arch_sipi(vp, (u8)in->RequestedVector);
			break;
		}
		if (in->InterruptType == HvX64InterruptTypeLowestPriority)
			break;
	}
	return hit ? HV_STATUS_SUCCESS : HV_STATUS_INVALID_VP_INDEX;
}

HV_STATUS hvcall_assert_virtual_interrupt(struct hypercall *hc)
{
	const struct hv_input_assert_virtual_interrupt *in = hc->in;
	struct partition *p;
	HV_STATUS status;

	if (in->TargetVtl || in->ReservedZ0 || in->ReservedZ1 || (in->InterruptFlags & ~3u) ||
	    in->RequestedVector > 0xff)
		return HV_STATUS_INVALID_PARAMETER;
	/* NMI, SMI and the LINT/ExtINT kinds are not delivered yet (docs/abi-coverage.md). */
	if (in->InterruptType != HvX64InterruptTypeFixed &&
	    in->InterruptType != HvX64InterruptTypeLowestPriority &&
	    in->InterruptType != HvX64InterruptTypeInit && in->InterruptType != HvX64InterruptTypeSipi)
		return HV_STATUS_INVALID_PARAMETER;
	if (in->InterruptType <= HvX64InterruptTypeLowestPriority && in->RequestedVector < 16)
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	p = partition_child(hc->caller->partition, in->TargetPartition);
	status = p ? assert_interrupt(p, in) : HV_STATUS_INVALID_PARTITION_ID;
	partitions_unlock();
	return status;
}

/* A child's APIC ID is its VP index (hv/cpuid_topology.c); a root VP's is its LP's. */
static struct vp *vp_with_apic_id(struct partition *p, u32 apic_id)
{
	u32 i;

	if (p != root_partition)
		return apic_id < HV_MAX_VPS_PER_PARTITION ? p->vps[apic_id] : NULL;
	for (i = 0; i < lp_count; i++)
		if (lps[i] && lps[i]->root_vp && lps[i]->apic_id == apic_id)
			return lps[i]->root_vp;
	return NULL;
}

/*
 * hypercalls/HvCallGetVpIndexFromApicId.md. An APIC ID no VP of the
 * partition has is an invalid parameter; reps completed says which.
 */
HV_STATUS hvcall_get_vp_index_from_apic_id(struct hypercall *hc)
{
	const struct hv_input_get_vp_index_from_apic_id *in = hc->in;
	const u64 *apic_ids = (const void *)(in + 1);
	u64 *vp_indexes = hc->out;
	HV_STATUS status = HV_STATUS_SUCCESS;
	struct partition *p;
	u16 i;

	for (i = 0; i < sizeof(in->Padding); i++)
		if (in->Padding[i])
			return HV_STATUS_INVALID_PARAMETER;
	if (in->TargetVtl > HV_VTL_MAX)
		return HV_STATUS_INVALID_PARAMETER;
	if (in->TargetVtl)
		return HV_STATUS_INVALID_VTL_STATE;
	partitions_lock();
	p = partition_lookup(hc->caller->partition, in->PartitionId);
	if (!p)
		status = HV_STATUS_INVALID_PARTITION_ID;
	for (i = hc->rep_start; p && i < hc->rep_count; i++) {
		struct vp *vp = apic_ids[i] >> 32 ? NULL : vp_with_apic_id(p, (u32)apic_ids[i]);

		if (!vp) {
			status = HV_STATUS_INVALID_PARAMETER;
			break;
		}
		vp_indexes[i] = vp->index;
		hc->reps_done = i + 1;
	}
	partitions_unlock();
	return status;
}
