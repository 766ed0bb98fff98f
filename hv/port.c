#include "hv/port.h"
#include "hv/partition.h"
#include "hv/vp.h"
#include "hv/lib/string.h"

_Static_assert(PORT_BUFFERS_PER_PAGE * PORT_BUFFER_PAGES >= HV_PORT_MESSAGE_BUFFER_COUNT,
	       "message buffers fit the port's pages");

static struct port **port_slot(struct partition *p, HV_PORT_ID id)
{
	unsigned i;

	for (i = 0; i < HV_MAX_PORTS; i++)
		if (p->ports[i] && p->ports[i]->id == id)
			return &p->ports[i];
	return NULL;
}

static struct connection *connection_of(struct partition *p, HV_CONNECTION_ID id)
{
	unsigned i;

	for (i = 0; i < HV_MAX_CONNECTIONS; i++)
		if (p->connections[i].used && p->connections[i].id == id)
			return &p->connections[i];
	return NULL;
}

static HV_STATUS check_info(const HV_PORT_INFO *info)
{
	if (info->Padding)
		return HV_STATUS_INVALID_PARAMETER;
	switch (info->PortType) {
	case HvPortTypeMessage:
		if (info->MessagePortInfo.TargetSint >= HV_SYNIC_SINT_COUNT ||
		    info->MessagePortInfo.RsvdZ)
			return HV_STATUS_INVALID_PARAMETER;
		return HV_STATUS_SUCCESS;
	case HvPortTypeEvent:
		if (info->EventPortInfo.TargetSint >= HV_SYNIC_SINT_COUNT ||
		    info->EventPortInfo.RsvdZ || !info->EventPortInfo.FlagCount ||
		    (u32)info->EventPortInfo.BaseFlagNumber + info->EventPortInfo.FlagCount >
			    HV_EVENT_FLAGS_COUNT)
			return HV_STATUS_INVALID_PARAMETER;
		return HV_STATUS_SUCCESS;
	}
	/* Monitor and doorbell ports are not implemented (docs/abi-coverage.md). */
	return HV_STATUS_INVALID_PARAMETER;
}

static void free_port(struct port *port)
{
	unsigned i;

	for (i = 0; i < PORT_BUFFER_PAGES; i++)
		if (port->buffer_pages[i])
			partition_free_page(port->owner, port->buffer_pages[i]);
	partition_free_page(port->owner, virt_to_phys(port));
}

/* Sixteen guest message buffers from the owner's pool (Guest Message Buffers). */
static bool alloc_buffers(struct port *port)
{
	unsigned page, i, n = 0;

	for (page = 0; page < PORT_BUFFER_PAGES; page++) {
		struct synic_msgbuf *b;

		port->buffer_pages[page] = partition_alloc_page(port->owner);
		if (!port->buffer_pages[page])
			return false;
		b = phys_to_virt(port->buffer_pages[page]);
		for (i = 0; i < PORT_BUFFERS_PER_PAGE && n < HV_PORT_MESSAGE_BUFFER_COUNT; i++, n++) {
			b[i].port = port;
			b[i].next = port->free;
			port->free = &b[i];
		}
	}
	return true;
}

HV_STATUS port_create(struct partition *owner, HV_PORT_ID id, const HV_PORT_INFO *info,
		      HV_PARTITION_ID connection_partition)
{
	struct port *port, **slot = NULL;
	HV_STATUS status = check_info(info);
	unsigned i;

	if (status)
		return status;
	/* Only deletion follows (HvCallFinalizePartition.md), which would not free the port. */
	if (owner->state == PARTITION_FINALIZED)
		return HV_STATUS_INVALID_PARTITION_STATE;
	if ((id & ~HV_PORT_ID_MASK) || port_slot(owner, id))
		return HV_STATUS_INVALID_PORT_ID;
	for (i = 0; i < HV_MAX_PORTS && !slot; i++)
		if (!owner->ports[i])
			slot = &owner->ports[i];
	if (!slot)
		return HV_STATUS_INSUFFICIENT_MEMORY;
	port = phys_to_virt(partition_alloc_page(owner));
	if (!port)
		return HV_STATUS_INSUFFICIENT_MEMORY;
	port->id = id;
	port->type = info->PortType;
	port->owner = owner;
	port->connection_partition = connection_partition;
	port->target_sint = info->MessagePortInfo.TargetSint;
	port->target_vp = info->MessagePortInfo.TargetVp;
	if (port->type == HvPortTypeEvent) {
		port->base_flag = info->EventPortInfo.BaseFlagNumber;
		port->flag_count = info->EventPortInfo.FlagCount;
	} else if (!alloc_buffers(port)) {
		free_port(port);
		return HV_STATUS_INSUFFICIENT_MEMORY;
	}
	*slot = port;
	return HV_STATUS_SUCCESS;
}

static void destroy(struct port **slot)
{
	struct port *port = *slot;
	unsigned i;

	/* Deleting a port frees its buffers, queued ones too. */
	for (i = 0; i < HV_MAX_VPS_PER_PARTITION; i++)
		if (port->owner->vps[i])
			synic_drop_port(port->owner->vps[i], port);
	*slot = NULL;
	free_port(port);
}

HV_STATUS port_delete(struct partition *owner, HV_PORT_ID id)
{
	struct port **slot = port_slot(owner, id);

	if (!slot)
		return HV_STATUS_INVALID_PORT_ID;
	destroy(slot);
	return HV_STATUS_SUCCESS;
}

void port_delete_all(struct partition *owner)
{
	unsigned i;

	for (i = 0; i < HV_MAX_PORTS; i++)
		if (owner->ports[i])
			destroy(&owner->ports[i]);
	memset(owner->connections, 0, sizeof(owner->connections));
}

HV_STATUS port_connect(struct partition *sender, HV_CONNECTION_ID id,
		       struct partition *port_owner, HV_PORT_ID port_id)
{
	struct port **slot = port_slot(port_owner, port_id);
	unsigned i;

	if (!slot || ((*slot)->connection_partition &&
		      (*slot)->connection_partition != sender->id))
		return HV_STATUS_INVALID_PORT_ID;
	if ((id & ~HV_PORT_ID_MASK) || connection_of(sender, id))
		return HV_STATUS_INVALID_CONNECTION_ID;
	for (i = 0; i < HV_MAX_CONNECTIONS; i++) {
		struct connection *c = &sender->connections[i];

		if (!c->used) {
			*c = (struct connection){ true, id, port_owner->id, port_id };
			return HV_STATUS_SUCCESS;
		}
	}
	return HV_STATUS_INSUFFICIENT_MEMORY;
}

HV_STATUS port_disconnect(struct partition *sender, HV_CONNECTION_ID id)
{
	struct connection *c = connection_of(sender, id);

	if (!c)
		return HV_STATUS_INVALID_CONNECTION_ID;
	c->used = false;
	return HV_STATUS_SUCCESS;
}

/* The live port behind @sender's connection @id, of @type. */
static HV_STATUS resolve(struct partition *sender, HV_CONNECTION_ID id, u32 type,
			 struct port **out)
{
	struct connection *c = connection_of(sender, id);
	struct partition *owner;
	struct port **slot;

	if (!c)
		return HV_STATUS_INVALID_CONNECTION_ID;
	owner = partition_by_id(c->port_partition);
	slot = owner ? port_slot(owner, c->port_id) : NULL;
	if (!slot || (*slot)->type != type || owner->state != PARTITION_INITIALIZED)
		return HV_STATUS_INVALID_PORT_ID;
	*out = *slot;
	return HV_STATUS_SUCCESS;
}

/* The port's target VP, or the first VP that can take it for HV_ANY_VP. */
static HV_STATUS target(struct port *port, bool (*accepts)(const struct vp *), struct vp **out)
{
	struct partition *p = port->owner;
	unsigned i;

	if (port->target_vp != HV_ANY_VP) {
		if (port->target_vp >= HV_MAX_VPS_PER_PARTITION || !p->vps[port->target_vp])
			return HV_STATUS_INVALID_VP_INDEX;
		*out = p->vps[port->target_vp];
		return accepts(*out) ? HV_STATUS_SUCCESS : HV_STATUS_INVALID_SYNIC_STATE;
	}
	for (i = 0; i < HV_MAX_VPS_PER_PARTITION; i++) {
		if (p->vps[i] && accepts(p->vps[i])) {
			*out = p->vps[i];
			return HV_STATUS_SUCCESS;
		}
	}
	return HV_STATUS_INVALID_VP_INDEX;
}

HV_STATUS port_post_message(struct partition *sender, HV_CONNECTION_ID id, u32 type,
			    const void *payload, u32 size)
{
	struct synic_msgbuf *b;
	struct port *port;
	struct vp *vp;
	HV_STATUS status;

	/* HvCallPostMessage.md: type non-zero without the hypervisor bit, payload <= 240. */
	if (!type || (type & 0x80000000u) || size > HV_MESSAGE_MAX_PAYLOAD_BYTE_COUNT)
		return HV_STATUS_INVALID_PARAMETER;
	status = resolve(sender, id, HvPortTypeMessage, &port);
	if (!status)
		status = target(port, synic_accepts_messages, &vp);
	if (status)
		return status;
	spin_lock(&port->free_lock);
	b = port->free;
	if (b)
		port->free = b->next;
	spin_unlock(&port->free_lock);
	if (!b)
		return HV_STATUS_INSUFFICIENT_BUFFERS;
	memset(&b->msg, 0, sizeof(b->msg));
	b->msg.Header.MessageType = type;
	b->msg.Header.PayloadSize = (u8)size;
	b->msg.Header.Sender = port->id; /* guest messages carry the port id (HV_MESSAGE) */
	memcpy(b->msg.Payload, payload, size);
	synic_post(vp, port->target_sint, b);
	return HV_STATUS_SUCCESS;
}

HV_STATUS port_signal_event(struct partition *sender, HV_CONNECTION_ID id, u16 flag)
{
	struct port *port;
	struct vp *vp;
	HV_STATUS status = resolve(sender, id, HvPortTypeEvent, &port);

	if (!status && flag >= port->flag_count)
		status = HV_STATUS_INVALID_PARAMETER;
	if (!status)
		status = target(port, synic_accepts_events, &vp);
	if (status)
		return status;
	return synic_signal(vp, port->target_sint, port->base_flag + flag);
}

void port_release_buffer(struct synic_msgbuf *b)
{
	struct port *port = b->port;

	spin_lock(&port->free_lock);
	b->next = port->free;
	port->free = b;
	spin_unlock(&port->free_lock);
}
