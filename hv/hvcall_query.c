/* Partition properties and child enumeration (partition-properties.md). */
#include "hv/hvcall.h"
#include "hv/partition.h"
#include "hv/reftime.h"
#include "hv/boot_info.h"
#include "hv/init.h"
#include "hv/vp.h"
#include "hv/vp_sched.h"

/* Privileges a parent may grant a child: what children can use (CHILD_PRIVILEGES). */
static HV_STATUS get_property(struct partition *p, u32 code, u64 *value)
{
	switch (code) {
	case HvPartitionPropertyPrivilegeFlags:
		*value = p->privileges;
		return HV_STATUS_SUCCESS;
	case HvPartitionPropertyReferenceTime:
		*value = reftime_now(p);
		return HV_STATUS_SUCCESS;
	case HvPartitionPropertyImplementedPhysicalAddressBits:
		*value = (u64)__builtin_ctzll(boot_info->phys_limit);
		return HV_STATUS_SUCCESS;
	case HvPartitionPropertyGuestOsId:
		*value = p->guest_os_id;
		return HV_STATUS_SUCCESS;
	case HvPartitionPropertyCpuReserve:
		*value = p->sched.reserve;
		return HV_STATUS_SUCCESS;
	case HvPartitionPropertyCpuCap:
		*value = p->sched.cap;
		return HV_STATUS_SUCCESS;
	case HvPartitionPropertyCpuWeight:
		*value = p->sched.weight;
		return HV_STATUS_SUCCESS;
	case HvPartitionPropertyCpuGroupId:
		*value = (u64)(s64)p->sched.group;
		return HV_STATUS_SUCCESS;
	case HvPartitionPropertyNonArchitecturalCoreSharing:
		*value = !sched_no_core_sharing(&hv_sched);
		return HV_STATUS_SUCCESS;
	case HvPartitionPropertyHwThreadCountPerCore:
		*value = p->sched.threads_per_core;
		return HV_STATUS_SUCCESS;
	}
	return HV_STATUS_UNKNOWN_PROPERTY;
}

HV_STATUS hvcall_get_system_property(struct hypercall *hc)
{
	const struct hv_input_get_system_property *in = hc->in;
	u64 *out = hc->out;

	if (in->RsvdZ)
		return HV_STATUS_INVALID_PARAMETER;
	if (in->PropertyId != HvSystemPropertySchedulerType)
		return HV_STATUS_UNKNOWN_PROPERTY;
	*out = vp_sched_type();
	return HV_STATUS_SUCCESS;
}

HV_STATUS hvcall_get_partition_property(struct hypercall *hc)
{
	const struct hv_input_get_partition_property *in = hc->in;
	struct partition *p;
	HV_STATUS status;

	if (in->RsvdZ)
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	p = partition_lookup(hc->caller->partition, in->PartitionId);
	status = p ? get_property(p, in->PropertyCode, hc->out) : HV_STATUS_INVALID_PARTITION_ID;
	partitions_unlock();
	return status;
}

static HV_STATUS set_property(struct partition *p, u32 code, u64 value)
{
	u64 ignored;

	switch (code) {
	case HvPartitionPropertyPrivilegeFlags:
		/* Early property: only before HvCallInitializePartition, and only narrowing. */
		if (p->state != PARTITION_CREATED)
			return HV_STATUS_INVALID_PARTITION_STATE;
		if (value & ~partition_child_privileges())
			return HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE;
		p->privileges = value;
		return HV_STATUS_SUCCESS;
	case HvPartitionPropertyHwThreadCountPerCore:
		/* Early property: the CPUID topology must not change under a running guest. */
		if (p->state != PARTITION_CREATED)
			return HV_STATUS_INVALID_PARTITION_STATE;
		return hvcall_set_sched_property(p, code, value);
	case HvPartitionPropertyCpuReserve:
	case HvPartitionPropertyCpuCap:
	case HvPartitionPropertyCpuWeight:
	case HvPartitionPropertyCpuGroupId:
		return hvcall_set_sched_property(p, code, value);
	}
	/* Known but read-only properties are refused as such. */
	return get_property(p, code, &ignored) ? HV_STATUS_UNKNOWN_PROPERTY
					       : HV_STATUS_INVALID_PARAMETER;
}

HV_STATUS hvcall_set_partition_property(struct hypercall *hc)
{
	const struct hv_input_set_partition_property *in = hc->in;
	struct partition *p;
	HV_STATUS status;

	if (in->Padding)
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	p = partition_child(hc->caller->partition, in->PartitionId);
	status = p ? set_property(p, in->PropertyCode, in->PropertyValue)
		   : HV_STATUS_INVALID_PARTITION_ID;
	partitions_unlock();
	return status;
}

HV_STATUS hvcall_get_next_child_partition(struct hypercall *hc)
{
	const struct hv_input_get_next_child_partition *in = hc->in;
	struct partition *parent = hc->caller->partition;

	if (in->ParentPartitionId != HV_PARTITION_ID_SELF && in->ParentPartitionId != parent->id)
		return HV_STATUS_INVALID_PARTITION_ID;
	partitions_lock();
	*(HV_PARTITION_ID *)hc->out = partition_next_child(parent, in->PreviousChildPartitionId);
	partitions_unlock();
	return HV_STATUS_SUCCESS;
}
