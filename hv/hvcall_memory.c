/* Memory pool and GPA mapping calls. */
#include "hv/hvcall.h"
#include "hv/partition.h"
#include "hv/vp.h"

#define MAP_FLAGS_SUPPORTED HV_MAP_GPA_PERMISSIONS_MASK

static u16 rep_end(const struct hypercall *hc)
{
	return MIN(hc->rep_count, (u16)(hc->rep_start + HYPERCALL_REP_BUDGET));
}

HV_STATUS hvcall_deposit_memory(struct hypercall *hc)
{
	const struct hv_input_deposit_memory *in = hc->in;
	struct partition *p;
	HV_STATUS status = HV_STATUS_SUCCESS;
	u16 i, end = rep_end(hc);

	partitions_lock();
	p = partition_lookup(hc->caller->partition, in->PartitionId);
	if (!p)
		status = HV_STATUS_INVALID_PARTITION_ID;
	for (i = hc->rep_start; p && i < end; i++) {
		status = partition_deposit(p, in->GpaPageList[i]);
		if (status)
			break;
		hc->reps_done = i + 1;
	}
	partitions_unlock();
	return status;
}

HV_STATUS hvcall_withdraw_memory(struct hypercall *hc)
{
	const struct hv_input_withdraw_memory *in = hc->in;
	HV_GPA_PAGE_NUMBER *out = hc->out;
	struct partition *p;
	HV_STATUS status = HV_STATUS_SUCCESS;
	u16 i, end = rep_end(hc);

	if (in->ProximityDomainInfo)
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	p = partition_lookup(hc->caller->partition, in->PartitionId);
	if (!p)
		status = HV_STATUS_INVALID_PARTITION_ID;
	for (i = hc->rep_start; p && i < end; i++) {
		u64 spa = partition_withdraw(p);

		if (!spa) {
			/* As Hyper-V: the pool ran dry, reps completed says how many came back. */
			status = HV_STATUS_NO_RESOURCES;
			break;
		}
		out[i] = spa / PAGE_SIZE;
		hc->reps_done = i + 1;
	}
	partitions_unlock();
	return status;
}

HV_STATUS hvcall_get_memory_balance(struct hypercall *hc)
{
	const struct hv_input_withdraw_memory *in = hc->in;
	struct hv_output_get_memory_balance *out = hc->out;
	struct partition *p;

	if (in->ProximityDomainInfo)
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	p = partition_lookup(hc->caller->partition, in->PartitionId);
	if (p) {
		out->PagesAvailable = p->pool.free_pages;
		out->PagesInUse = p->pool.total_pages - p->pool.free_pages;
	}
	partitions_unlock();
	return p ? HV_STATUS_SUCCESS : HV_STATUS_INVALID_PARTITION_ID;
}

HV_STATUS hvcall_map_gpa_pages(struct hypercall *hc)
{
	const struct hv_input_map_gpa_pages *in = hc->in;
	struct partition *p;
	HV_STATUS status = HV_STATUS_SUCCESS;
	u16 i, end = rep_end(hc);

	if ((in->MapFlags & ~(u64)MAP_FLAGS_SUPPORTED) ||
	    !(in->MapFlags & HV_MAP_GPA_READABLE))
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	p = partition_child(hc->caller->partition, in->TargetPartitionId);
	if (!p)
		status = HV_STATUS_INVALID_PARTITION_ID;
	for (i = hc->rep_start; p && i < end; i++) {
		status = partition_map_gpa(p, (in->TargetGpaBase + i) * PAGE_SIZE,
					   in->SourceGpaPageList[i] * PAGE_SIZE,
					   (u32)in->MapFlags);
		if (status)
			break;
		hc->reps_done = i + 1;
	}
	partitions_unlock();
	return status;
}

HV_STATUS hvcall_unmap_gpa_pages(struct hypercall *hc)
{
	const struct hv_input_unmap_gpa_pages *in = hc->in;
	struct partition *p;
	HV_STATUS status = HV_STATUS_SUCCESS;
	u16 i, end = rep_end(hc);

	if (in->UnmapFlags)
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	p = partition_child(hc->caller->partition, in->TargetPartitionId);
	if (!p)
		status = HV_STATUS_INVALID_PARTITION_ID;
	for (i = hc->rep_start; p && i < end; i++) {
		status = partition_unmap_gpa(p, (in->TargetGpaBase + i) * PAGE_SIZE);
		if (status)
			break;
		hc->reps_done = i + 1;
	}
	partitions_unlock();
	return status;
}
