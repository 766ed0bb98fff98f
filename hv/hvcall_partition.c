/* Partition lifecycle calls (virtualization-host.md). Decode first, then act. */
#include "hv/hvcall.h"
#include "hv/partition.h"
#include "hv/vp.h"

static const HV_PARTITION_ID *partition_id_in(struct hypercall *hc)
{
	return hc->in;
}

HV_STATUS hvcall_create_partition(struct hypercall *hc)
{
	const struct hv_input_create_partition *in = hc->in;
	struct partition *p;
	HV_STATUS status;

	/* No creation flag, NUMA hint or disabled feature is supported yet: say so rather than ignore it. */
	if (in->Flags || in->ProximityDomainInfo || in->Padding || in->ReservedZ0 ||
	    in->DisabledProcessorFeatures[0] || in->DisabledProcessorFeatures[1] ||
	    in->DisabledProcessorXsaveFeatures)
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	p = partition_create(hc->caller->partition, &status);
	if (p)
		*(HV_PARTITION_ID *)hc->out = p->id;
	partitions_unlock();
	return status;
}

static HV_STATUS with_child(struct hypercall *hc, HV_STATUS (*op)(struct partition *))
{
	struct partition *p;
	HV_STATUS status;

	partitions_lock();
	p = partition_child(hc->caller->partition, *partition_id_in(hc));
	status = p ? op(p) : HV_STATUS_INVALID_PARTITION_ID;
	partitions_unlock();
	return status;
}

HV_STATUS hvcall_initialize_partition(struct hypercall *hc)
{
	return with_child(hc, partition_initialize);
}

HV_STATUS hvcall_finalize_partition(struct hypercall *hc)
{
	return with_child(hc, partition_finalize);
}

static HV_STATUS delete_op(struct partition *p)
{
	if (!partition_stop_vps(p))
		return HV_STATUS_OBJECT_IN_USE;
	partition_delete(p);
	return HV_STATUS_SUCCESS;
}

HV_STATUS hvcall_delete_partition(struct hypercall *hc)
{
	return with_child(hc, delete_op);
}

HV_STATUS hvcall_get_partition_id(struct hypercall *hc)
{
	*(HV_PARTITION_ID *)hc->out = hc->caller->partition->id;
	return HV_STATUS_SUCCESS;
}
