/* Enlightenments a guest calls on its own behalf: synthetic IPIs, TLB flushes, long spin waits. */
#include "hv/hvcall.h"
#include "hv/partition.h"
#include "hv/vp.h"
#include "hv/vp_interrupt.h"
#include "hv/vp_tlb.h"
#include "hv/boot_info.h"
#include "hv/init.h"

#define MIN_VECTOR 0x10

/* The VPs of the caller's partition in bank 0 of @mask (we have at most 64 per partition). */
static void send_to_mask(struct vp *caller, u8 vector, u64 mask)
{
	struct partition *p = caller->partition;
	unsigned i;

	for (i = 0; i < HV_MAX_VPS_PER_PARTITION && i < 64; i++)
		if ((mask & BIT(i)) && p->vps[i])
			vp_raise_interrupt(p->vps[i], vector, false);
}

HV_STATUS hvcall_send_synthetic_cluster_ipi(struct hypercall *hc)
{
	const struct hv_input_send_synthetic_cluster_ipi *in = hc->in;

	if (in->Vector < MIN_VECTOR || in->Vector > 0xff || in->TargetVtl ||
	    in->Padding[0] || in->Padding[1] || in->Padding[2])
		return HV_STATUS_INVALID_PARAMETER;
	send_to_mask(hc->caller, (u8)in->Vector, in->ProcessorMask);
	return HV_STATUS_SUCCESS;
}

/*
 * HV_VP_SET (datatypes/hv_vp_set.md) as a mask of VPs 0-63: the banks
 * present must match the variable header; higher banks name VPs this
 * partition cannot have.
 */
static HV_STATUS vp_set_mask(const struct hypercall *hc, u64 format, u64 valid_banks,
			     const u64 *banks, u64 *mask)
{
	u32 count = 0;
	u64 bits;

	if (format == HV_GENERIC_SET_ALL) {
		*mask = ~0ULL;
		return HV_STATUS_SUCCESS;
	}
	if (format != HV_GENERIC_SET_SPARSE_4K)
		return HV_STATUS_INVALID_PARAMETER;
	for (bits = valid_banks; bits; bits &= bits - 1) /* no popcnt instruction assumed, no libgcc */
		count++;
	if (hc->var_header_bytes < count * 8)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	*mask = valid_banks & 1 ? banks[0] : 0;
	return HV_STATUS_SUCCESS;
}

HV_STATUS hvcall_send_synthetic_cluster_ipi_ex(struct hypercall *hc)
{
	const struct hv_input_send_synthetic_cluster_ipi_ex *in = hc->in;
	HV_STATUS status;
	u64 mask;

	if (in->Vector < MIN_VECTOR || in->Vector > 0xff || in->TargetVtl ||
	    in->Padding[0] || in->Padding[1] || in->Padding[2])
		return HV_STATUS_INVALID_PARAMETER;
	status = vp_set_mask(hc, in->Format, in->ValidBanksMask, in->BankContents, &mask);
	if (status)
		return status;
	send_to_mask(hc->caller, (u8)in->Vector, mask);
	return HV_STATUS_SUCCESS;
}

/*
 * The four HvCallFlushVirtualAddress calls flush every translation of the
 * target VPs: a flush may do more than asked, and one whole flush at the
 * VP's next entry costs less than walking GVA lists. So the address space,
 * HV_FLUSH_NON_GLOBAL_MAPPINGS_ONLY and the GVA list are checked, then
 * ignored. The root may not call them: its VPs leave guest mode only at
 * their own exits (its LPs get no IPIs from us), so the wait could be
 * unbounded; it keeps its own IPI-based flushes.
 */
static HV_STATUS flush_checks(const struct hypercall *hc, u64 space, u64 flags, bool list)
{
	u64 valid = HV_FLUSH_ALL_PROCESSORS | HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES;

	if (hc->caller->partition == root_partition)
		return HV_STATUS_ACCESS_DENIED;
	/* NonGlobalMappingsOnly makes no sense for a list; extended ranges are not offered. */
	if (!list)
		valid |= HV_FLUSH_NON_GLOBAL_MAPPINGS_ONLY;
	if (flags & ~valid)
		return HV_STATUS_INVALID_PARAMETER;
	/* A CR3 value: no bits at or above the physical address width. */
	if (!(flags & HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES) && space >= boot_info->phys_limit)
		return HV_STATUS_INVALID_PARAMETER;
	return HV_STATUS_SUCCESS;
}

static HV_STATUS flush(struct hypercall *hc, u64 mask)
{
	partitions_lock();
	vp_tlb_flush(hc->caller->partition, mask);
	partitions_unlock();
	hc->reps_done = hc->rep_count;
	return HV_STATUS_SUCCESS;
}

static HV_STATUS flush_mask(struct hypercall *hc, bool list)
{
	const struct hv_input_flush_virtual_address *in = hc->in;
	HV_STATUS status = flush_checks(hc, in->AddressSpace, in->Flags, list);

	if (status)
		return status;
	if (in->Flags & HV_FLUSH_ALL_PROCESSORS)
		return flush(hc, ~0ULL);
	if (!in->ProcessorMask)
		return HV_STATUS_INVALID_PARAMETER;
	return flush(hc, in->ProcessorMask);
}

static HV_STATUS flush_set(struct hypercall *hc, bool list)
{
	const struct hv_input_flush_virtual_address_ex *in = hc->in;
	HV_STATUS status = flush_checks(hc, in->AddressSpace, in->Flags, list);
	u64 mask;

	if (status)
		return status;
	status = vp_set_mask(hc, in->Format, in->ValidBanksMask, in->BankContents, &mask);
	if (status)
		return status;
	return flush(hc, in->Flags & HV_FLUSH_ALL_PROCESSORS ? ~0ULL : mask);
}

HV_STATUS hvcall_flush_virtual_address_space(struct hypercall *hc)
{
	return flush_mask(hc, false);
}

HV_STATUS hvcall_flush_virtual_address_list(struct hypercall *hc)
{
	return flush_mask(hc, true);
}

HV_STATUS hvcall_flush_virtual_address_space_ex(struct hypercall *hc)
{
	return flush_set(hc, false);
}

HV_STATUS hvcall_flush_virtual_address_list_ex(struct hypercall *hc)
{
	return flush_set(hc, true);
}

HV_STATUS hvcall_notify_long_spin_wait(struct hypercall *hc)
{
	struct vp *vp = hc->caller;

	/* A dispatched VP gives its LP back to the parent, which can run another one. */
	if (vp->dispatcher)
		return HV_STATUS_YIELD_TO_DISPATCHER;
	return HV_STATUS_SUCCESS;
}
