/* Port, connection, message and event calls (inter-partition-communication.md). */
#include "hv/hvcall.h"
#include "hv/partition.h"
#include "hv/port.h"
#include "hv/vp.h"

HV_STATUS hvcall_create_port(struct hypercall *hc)
{
	const struct hv_input_create_port *in = hc->in;
	struct partition *owner;
	HV_STATUS status;

	if (in->PortVtl || in->MinConnectionVtl || in->ReservedZ0 || in->ProximityDomainInfo)
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	owner = partition_lookup(hc->caller->partition, in->PortPartition);
	status = owner ? port_create(owner, in->PortId, &in->PortInfo, in->ConnectionPartition)
		       : HV_STATUS_INVALID_PARTITION_ID;
	partitions_unlock();
	return status;
}

HV_STATUS hvcall_delete_port(struct hypercall *hc)
{
	const struct hv_input_delete_port *in = hc->in;
	struct partition *owner;
	HV_STATUS status;

	if (in->Reserved)
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	owner = partition_lookup(hc->caller->partition, in->PortPartition);
	status = owner ? port_delete(owner, in->PortId) : HV_STATUS_INVALID_PARTITION_ID;
	partitions_unlock();
	return status;
}

HV_STATUS hvcall_connect_port(struct hypercall *hc)
{
	const struct hv_input_connect_port *in = hc->in;
	struct partition *sender, *owner;
	HV_STATUS status;

	if (in->ConnectionVtl || in->ReservedZ0 || in->ReservedZ1 || in->ReservedZ2 ||
	    in->ProximityDomainInfo)
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	sender = partition_lookup(hc->caller->partition, in->ConnectionPartition);
	owner = partition_lookup(hc->caller->partition, in->PortPartition);
	if (!sender || !owner)
		status = HV_STATUS_INVALID_PARTITION_ID;
	else
		status = port_connect(sender, in->ConnectionId, owner, in->PortId);
	partitions_unlock();
	return status;
}

HV_STATUS hvcall_disconnect_port(struct hypercall *hc)
{
	const struct hv_input_disconnect_port *in = hc->in;
	struct partition *sender;
	HV_STATUS status;

	partitions_lock();
	sender = partition_lookup(hc->caller->partition, in->ConnectionPartition);
	status = sender ? port_disconnect(sender, in->ConnectionId) : HV_STATUS_INVALID_PARTITION_ID;
	partitions_unlock();
	return status;
}

HV_STATUS hvcall_post_message(struct hypercall *hc)
{
	const struct hv_input_post_message *in = hc->in;
	HV_STATUS status;

	if (in->RsvdZ)
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	status = port_post_message(hc->caller->partition, in->ConnectionId, in->MessageType,
				   in->Message, in->PayloadSize);
	partitions_unlock();
	return status;
}

HV_STATUS hvcall_signal_event(struct hypercall *hc)
{
	const struct hv_input_signal_event *in = hc->in;
	HV_STATUS status;

	if (in->RsvdZ)
		return HV_STATUS_INVALID_PARAMETER;
	partitions_lock();
	status = port_signal_event(hc->caller->partition, in->ConnectionId, in->FlagNumber);
	partitions_unlock();
	return status;
}
