/* Memory pool and GPA mapping calls. */
#include "hv/hvcall.h"
#include "hv/partition.h"
#include "hv/vp.h"
#include "hv/vp_tlb.h"

#define MAP_FLAGS_SUPPORTED HV_MAP_GPA_PERMISSIONS_MASK

typedef struct partition *(*partition_finder)(struct partition *caller, HV_PARTITION_ID id);
typedef HV_STATUS (*rep_op)(struct hypercall *hc, struct partition *p, u16 i);

/*
 * Applies @op to rep elements rep_start.. of a call on partition @id, at
 * most HYPERCALL_REP_BUDGET of them; stops at the first failure, with
 * reps_done counting the elements that succeeded.
 */
static HV_STATUS for_each_rep(struct hypercall *hc, partition_finder find,
			      HV_PARTITION_ID id, rep_op op)
{
	u16 i, end = MIN(hc->rep_count, (u16)(hc->rep_start + HYPERCALL_REP_BUDGET));
	HV_STATUS status = HV_STATUS_SUCCESS;
	struct partition *p;
	u64 generation = 0;

	partitions_lock();
	p = find(hc->caller->partition, id);
	if (!p)
		status = HV_STATUS_INVALID_PARTITION_ID;
	else
		generation = p->gpa_map.generation;
	for (i = hc->rep_start; p && i < end; i++) {
		status = op(hc, p, i);
		if (status)
			break;
		hc->reps_done = i + 1;
	}
	/* A child's mapping went or narrowed: none of its VPs may use it once the call returns. */
	if (p && p != root_partition && p->gpa_map.generation != generation)
		vp_tlb_flush(p, ~0ULL);
	partitions_unlock();
	return status;
}

static HV_STATUS deposit_one(struct hypercall *hc, struct partition *p, u16 i)
{
	const struct hv_input_deposit_memory *in = hc->in;

	return partition_deposit(p, in->GpaPageList[i]);
}

HV_STATUS hvcall_deposit_memory(struct hypercall *hc)
{
	const struct hv_input_deposit_memory *in = hc->in;

	return for_each_rep(hc, partition_lookup, in->PartitionId, deposit_one);
}

static HV_STATUS withdraw_one(struct hypercall *hc, struct partition *p, u16 i)
{
	HV_GPA_PAGE_NUMBER *out = hc->out;
	u64 spa = partition_withdraw(p);

	/* As Hyper-V: the pool ran dry; reps completed says how many came back. */
	if (!spa)
		return HV_STATUS_NO_RESOURCES;
	out[i] = spa / PAGE_SIZE;
	return HV_STATUS_SUCCESS;
}

HV_STATUS hvcall_withdraw_memory(struct hypercall *hc)
{
	const struct hv_input_withdraw_memory *in = hc->in;

	if (in->ProximityDomainInfo)
		return HV_STATUS_INVALID_PARAMETER;
	return for_each_rep(hc, partition_lookup, in->PartitionId, withdraw_one);
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

static HV_STATUS map_one(struct hypercall *hc, struct partition *p, u16 i)
{
	const struct hv_input_map_gpa_pages *in = hc->in;

	return partition_map_gpa(p, (in->TargetGpaBase + i) * PAGE_SIZE,
				 in->SourceGpaPageList[i] * PAGE_SIZE, (u32)in->MapFlags);
}

HV_STATUS hvcall_map_gpa_pages(struct hypercall *hc)
{
	const struct hv_input_map_gpa_pages *in = hc->in;

	if ((in->MapFlags & ~(u64)MAP_FLAGS_SUPPORTED) || !(in->MapFlags & HV_MAP_GPA_READABLE))
		return HV_STATUS_INVALID_PARAMETER;
	return for_each_rep(hc, partition_child, in->TargetPartitionId, map_one);
}

static HV_STATUS unmap_one(struct hypercall *hc, struct partition *p, u16 i)
{
	const struct hv_input_unmap_gpa_pages *in = hc->in;

	return partition_unmap_gpa(p, (in->TargetGpaBase + i) * PAGE_SIZE);
}

HV_STATUS hvcall_unmap_gpa_pages(struct hypercall *hc)
{
	const struct hv_input_unmap_gpa_pages *in = hc->in;

	if (in->UnmapFlags)
		return HV_STATUS_INVALID_PARAMETER;
	return for_each_rep(hc, partition_child, in->TargetPartitionId, unmap_one);
}
