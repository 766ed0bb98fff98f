/* Scheduling controls: weights, caps, reserves, CPU groups (docs/scheduler.md). */
#include "hv/hvcall.h"
#include "hv/partition.h"
#include "hv/vp_sched.h"

static HV_STATUS sched_status(enum sched_status s)
{
	switch (s) {
	case SCHED_OK:
		return HV_STATUS_SUCCESS;
	case SCHED_DENIED:
		return HV_STATUS_OPERATION_DENIED;
	case SCHED_NO_GROUP:
		return HV_STATUS_INVALID_PARAMETER;
	default:
		return HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE;
	}
}

/* Caps, weights and reserves (docs/scheduler.md): 65536 is one LP's worth, per VP; threads per core. */
HV_STATUS hvcall_set_sched_property(struct partition *p, u32 code, u64 value)
{
	enum sched_status s;

	vp_sched_lock();
	switch (code) {
	case HvPartitionPropertyCpuReserve:
		s = sched_set_reserve(&hv_sched, &p->sched, value);
		break;
	case HvPartitionPropertyCpuCap:
		s = sched_set_cap(&hv_sched, &p->sched, value);
		break;
	case HvPartitionPropertyCpuWeight:
		s = sched_set_weight(&hv_sched, &p->sched, value);
		break;
	case HvPartitionPropertyHwThreadCountPerCore:
		s = sched_set_threads_per_core(&hv_sched, &p->sched, value);
		break;
	default:
		/* A group index, or all ones to unbind. */
		s = value == ~0ULL || value < SCHED_MAX_GROUPS ?
		    sched_group_bind(&hv_sched, &p->sched, (s32)value) : SCHED_NO_GROUP;
	}
	vp_sched_unlock();
	return sched_status(s);
}

HV_STATUS hvcall_create_cpu_group(struct hypercall *hc)
{
	const struct hv_input_create_cpu_group *in = hc->in;
	enum sched_status s;
	u32 id = 0;

	if (in->RsvdZ)
		return HV_STATUS_INVALID_PARAMETER;
	vp_sched_lock();
	s = sched_group_create(&hv_sched, in->LpAffinity, in->Cap, &id);
	vp_sched_unlock();
	*(u64 *)hc->out = id;
	/* Out of group slots: the table is fixed hypervisor memory. */
	return s == SCHED_DENIED && sched_time_slices(&hv_sched) ? HV_STATUS_INSUFFICIENT_MEMORY
								 : sched_status(s);
}

HV_STATUS hvcall_delete_cpu_group(struct hypercall *hc)
{
	const struct hv_input_cpu_group *in = hc->in;
	enum sched_status s;

	if (in->Cap)
		return HV_STATUS_INVALID_PARAMETER;
	vp_sched_lock();
	s = sched_group_delete(&hv_sched, in->GroupId);
	vp_sched_unlock();
	/* A group partitions are still bound to is busy. */
	return s == SCHED_DENIED ? HV_STATUS_OBJECT_IN_USE : sched_status(s);
}

HV_STATUS hvcall_set_cpu_group_cap(struct hypercall *hc)
{
	const struct hv_input_cpu_group *in = hc->in;
	enum sched_status s;

	vp_sched_lock();
	s = sched_group_set_cap(&hv_sched, in->GroupId, in->Cap);
	vp_sched_unlock();
	return sched_status(s);
}
