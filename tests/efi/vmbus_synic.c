/*
 * VMBus over the SynIC for a root partition and one child (see
 * vmbus_synic.h). Everything goes through TLFS hypercalls: ports and
 * connections (HvCallCreatePort, HvCallConnectPort, and their undoing as
 * channels come and go), HvCallPostMessage to the child's message port,
 * fast HvCallSignalEvent to the child's event port. The root's SINT 2 is
 * polled after each dispatch of the child.
 */
#include "vmbus_synic.h"
#include "tests/payloads/vmbus_guest.h"

#define ROOT_PARTITION_ID 1
#define ROOT_SINT VMBUS_GUEST_SINT
#define ROOT_SINT_VECTOR 0x52

#define TRY(call)                              \
	do {                                   \
		HV_STATUS st_ = (call);        \
		if (st_) {                     \
			s->last_error = st_;   \
			return st_;            \
		}                              \
	} while (0)

HV_STATUS vmbus_synic_init(struct vmbus_synic *s, HV_PARTITION_ID child, u8 *ram, u64 ram_bytes)
{
	ZeroMem(s, sizeof(*s));
	s->child = child;
	s->ram = ram;
	s->ram_bytes = ram_bytes;
	s->sim = hv_pages(1);
	s->sief = hv_pages(1);
	if (!s->sim || !s->sief)
		return HV_STATUS_INSUFFICIENT_MEMORY;
	hv_wrmsr(HV_X64_MSR_SIMP, (u64)s->sim | HV_SYNIC_PAGE_ENABLE);
	hv_wrmsr(HV_X64_MSR_SIEFP, (u64)s->sief | HV_SYNIC_PAGE_ENABLE);
	hv_wrmsr(HV_X64_MSR_SINT0 + ROOT_SINT, ROOT_SINT_VECTOR | HV_SYNIC_SINT_POLLING);
	hv_wrmsr(HV_X64_MSR_SCONTROL, HV_SYNIC_CONTROL_ENABLE);
	/* Guest -> host messages: connections 4 and 1 of the child, one root port each. */
	TRY(hv_create_port(HV_PARTITION_ID_SELF, VMBUS_ROOT_PORT_CONN4, HvPortTypeMessage, VMBUS_GUEST_SINT, 0, 0, child));
	TRY(hv_connect_port(child, VMBUS_MESSAGE_CONNECTION_ID_4, HV_PARTITION_ID_SELF, VMBUS_ROOT_PORT_CONN4,
			 HvPortTypeMessage));
	TRY(hv_create_port(HV_PARTITION_ID_SELF, VMBUS_ROOT_PORT_CONN1, HvPortTypeMessage, VMBUS_GUEST_SINT, 0, 0, child));
	TRY(hv_connect_port(child, VMBUS_MESSAGE_CONNECTION_ID, HV_PARTITION_ID_SELF, VMBUS_ROOT_PORT_CONN1,
			 HvPortTypeMessage));
	/* Host -> guest: a message port and an event port in the child, both on SINT 2. */
	TRY(hv_create_port(child, VMBUS_CHILD_MSG_PORT, HvPortTypeMessage, VMBUS_GUEST_SINT, 0, 0, ROOT_PARTITION_ID));
	TRY(hv_connect_port(HV_PARTITION_ID_SELF, VMBUS_ROOT_CONN_MSG, child, VMBUS_CHILD_MSG_PORT,
			 HvPortTypeMessage));
	TRY(hv_create_port(child, VMBUS_CHILD_EVENT_PORT, HvPortTypeEvent, VMBUS_GUEST_SINT, 0, VMBUS_CHILD_EVENT_FLAGS,
			ROOT_PARTITION_ID));
	TRY(hv_connect_port(HV_PARTITION_ID_SELF, VMBUS_ROOT_CONN_EVENT, child, VMBUS_CHILD_EVENT_PORT,
			 HvPortTypeEvent));
	s->ports_created = 4;
	return HV_STATUS_SUCCESS;
}

/* --- polling the root's SINT -------------------------------------------------------------- */

static u32 take_messages(struct vmbus_synic *s, struct vsp_host *h)
{
	volatile HV_MESSAGE *slot = &s->sim[ROOT_SINT];
	static u64 buf[HV_MESSAGE_PAYLOAD_QWORD_COUNT];
	u32 n = 0;

	while (slot->Header.MessageType != HvMessageTypeNone) {
		u32 type = slot->Header.MessageType, len = slot->Header.PayloadSize;
		u64 sender = slot->Header.Sender;

		if (len > sizeof(buf))
			len = sizeof(buf);
		CopyMem(buf, (void *)slot->Payload, len);
		slot->Header.MessageType = HvMessageTypeNone;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (slot->Header.MessageFlags & HV_MESSAGE_FLAG_PENDING)
			hv_wrmsr(HV_X64_MSR_EOM, 0);
		n++;
		s->messages_in++;
		if (type != VMBUS_SYNIC_MESSAGE_TYPE)
			continue;
		/* The port a message came through names the connection the guest used. */
		if (sender == VMBUS_ROOT_PORT_CONN4)
			vsp_host_message(h, VMBUS_MESSAGE_CONNECTION_ID_4, buf, len);
		else if (sender == VMBUS_ROOT_PORT_CONN1)
			vsp_host_message(h, VMBUS_MESSAGE_CONNECTION_ID, buf, len);
	}
	return n;
}

static u32 take_events(struct vmbus_synic *s, struct vsp_host *h)
{
	u64 *flags = (u64 *)(s->sief + ROOT_SINT * 256);
	u64 bits = __atomic_exchange_n(flags, 0, __ATOMIC_SEQ_CST);
	u32 n = 0;

	while (bits) {
		u32 relid = (u32)__builtin_ctzll(bits);

		bits &= bits - 1;
		vsp_host_event(h, relid);
		n++;
	}
	s->events_in += n;
	return n;
}

u32 vmbus_synic_poll(struct vmbus_synic *s, struct vsp_host *h)
{
	return take_messages(s, h) + take_events(s, h);
}

/* --- the transport ------------------------------------------------------------------------- */

static int t_post_msg(void *ctx, u32 vp, u8 sint, const void *msg, u32 len)
{
	struct vmbus_synic *s = ctx;
	struct hv_input_post_message *in = hv_in();
	HV_STATUS st;

	/* The child's message port is on SINT 2 of VP 0: what Linux asks for. */
	if (vp != 0 || sint != VMBUS_GUEST_SINT || len > HV_MESSAGE_MAX_PAYLOAD_BYTE_COUNT) {
		s->post_errors++;
		return -VMBUS_EINVAL;
	}
	ZeroMem(in, 16);
	in->ConnectionId = VMBUS_ROOT_CONN_MSG;
	in->MessageType = VMBUS_SYNIC_MESSAGE_TYPE;
	in->PayloadSize = len;
	CopyMem(in->Message, (void *)msg, len);
	st = hv_status(hv_call(HvCallPostMessage, hv_in_gpa(), 0));
	if (st == HV_STATUS_INSUFFICIENT_BUFFERS) {
		s->posts_full++;
		return -VMBUS_EAGAIN;
	}
	if (st) {
		s->post_errors++;
		s->last_error = st;
		return -VMBUS_EIO;
	}
	s->posts++;
	return 0;
}

static void t_signal_guest(void *ctx, u32 vp, u8 sint, u32 relid)
{
	struct vmbus_synic *s = ctx;
	HV_STATUS st;

	if (vp != 0 || sint != VMBUS_GUEST_SINT || relid >= VMBUS_CHILD_EVENT_FLAGS) {
		s->post_errors++;
		return;
	}
	st = hv_status(hv_call(HvCallSignalEvent | HV_HYPERCALL_FAST,
			       VMBUS_ROOT_CONN_EVENT | ((u64)relid << 32), 0));
	if (st) {
		s->post_errors++;
		s->last_error = st;
		return;
	}
	s->signals++;
}

/* Child GPA g is at s->ram + g: a run of consecutive pfns maps in one piece. */
static void *t_map_pages(void *ctx, const u64 *pfns, u32 count)
{
	struct vmbus_synic *s = ctx;
	u32 i;

	for (i = 0; i < count; i++)
		if (pfns[i] != pfns[0] + i)
			return NULL;
	if (!count || pfns[0] >= s->ram_bytes / PAGE_SIZE || count > s->ram_bytes / PAGE_SIZE - pfns[0])
		return NULL;
	return s->ram + pfns[0] * PAGE_SIZE;
}

static void t_unmap_pages(void *ctx, void *va, u32 count)
{
	(void)ctx, (void)va, (void)count;
}

static void *t_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return AllocatePool(size);
}

static void t_free(void *ctx, void *p, size_t size)
{
	(void)ctx, (void)size;
	FreePool(p);
}

/* The channel's event port in the root: flag relid; the child signals it as the offer says. */
static int t_channel_added(void *ctx, u32 relid, u32 connection_id)
{
	struct vmbus_synic *s = ctx;
	HV_STATUS st;

	st = hv_create_port(HV_PARTITION_ID_SELF, VMBUS_ROOT_EVENT_PORT_BASE + relid, HvPortTypeEvent, VMBUS_GUEST_SINT, (u16)relid, 1,
			 s->child);
	if (!st)
		st = hv_connect_port(s->child, connection_id, HV_PARTITION_ID_SELF, VMBUS_ROOT_EVENT_PORT_BASE + relid,
				  HvPortTypeEvent);
	if (st) {
		s->last_error = st;
		return -VMBUS_EIO;
	}
	s->ports_created++;
	return 0;
}

static void t_channel_removed(void *ctx, u32 relid, u32 connection_id)
{
	struct vmbus_synic *s = ctx;
	struct hv_input_disconnect_port *d = hv_in();
	struct hv_input_delete_port *p = hv_in();
	HV_STATUS st;

	ZeroMem(d, sizeof(*d));
	d->ConnectionPartition = s->child;
	d->ConnectionId = connection_id;
	st = hv_status(hv_call(HvCallDisconnectPort, hv_in_gpa(), 0));
	ZeroMem(p, sizeof(*p));
	p->PortPartition = HV_PARTITION_ID_SELF;
	p->PortId = VMBUS_ROOT_EVENT_PORT_BASE + relid;
	if (!st)
		st = hv_status(hv_call(HvCallDeletePort, hv_in_gpa(), 0));
	if (st)
		s->last_error = st;
	else
		s->ports_deleted++;
}

const struct vsp_transport_ops vmbus_synic_transport = {
	.post_msg = t_post_msg,
	.signal_guest = t_signal_guest,
	.map_pages = t_map_pages,
	.unmap_pages = t_unmap_pages,
	.alloc = t_alloc,
	.free = t_free,
	.channel_added = t_channel_added,
	.channel_removed = t_channel_removed,
};
