/*
 * The VSP framework (vsp/host.c, channel.c, msgq.c) with a probe VSP and
 * our vmbus client as the guest: offers and the transport's channel
 * hooks, ring-size limits and open refusals, packets in and completions
 * out with coalesced signals, flow control when the ring back is full,
 * messages queued while the guest's message slot is busy, rescind and
 * relid release, signal suppression, bad packets and corrupt rings,
 * unload and reset.
 */
#include "test_vsp_harness.h"

static const vmbus_guid_t probe_guid = { { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,
					   0x0c, 0x0d, 0x0e, 0x0f, 0x10 } };
static const vmbus_guid_t other_guid = { { 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab,
					   0xac, 0xad, 0xae, 0xaf, 0xb0 } };

enum { REPLY_NONE, REPLY_COMPLETE, REPLY_INBAND };

struct probe {
	u32 opens, closes, packets, polls;
	u32 open_status;
	u8 userdata[2];
	int reply;
	u32 reply_len; /* 0: the packet's own length */
	u16 last_type, last_flags;
	u64 last_trans;
	u32 last_len;
	u8 last_data[VSP_MAX_PACKET];
	u32 last_ranges;
	u32 last_range_bytes;
	u64 last_first_pfn;
};

static u32 probe_open(struct vsp *v, const u8 *userdata)
{
	struct probe *p = v->priv;

	p->opens++;
	memcpy(p->userdata, userdata, 2);
	return p->open_status;
}

static void probe_close(struct vsp *v)
{
	((struct probe *)v->priv)->closes++;
}

static void probe_poll(struct vsp *v)
{
	((struct probe *)v->priv)->polls++;
}

static int probe_packet(struct vsp *v, const struct vsp_packet *pk)
{
	static u8 reply[VSP_MAX_PACKET];
	struct probe *p = v->priv;
	u32 n = p->reply_len ? p->reply_len : pk->len;

	p->last_type = pk->type;
	p->last_flags = pk->flags;
	p->last_trans = pk->trans_id;
	p->last_len = pk->len;
	memcpy(p->last_data, pk->data, pk->len);
	p->last_ranges = pk->range_count;
	if (pk->ranges) {
		p->last_range_bytes = pk->ranges[0].byte_count;
		p->last_first_pfn = pk->ranges[0].pfn_array[0];
	}
	memset(reply, 0x5a, sizeof(reply));
	memcpy(reply, pk->data, MIN(n, pk->len));
	if (p->reply == REPLY_COMPLETE) {
		int ret = vsp_complete(v, pk->trans_id, reply, n);

		if (ret)
			return ret;
	} else if (p->reply == REPLY_INBAND) {
		int ret = vsp_send_inband(v, pk->trans_id, 0, reply, n);

		if (ret)
			return ret;
	}
	p->packets++;
	return 0;
}

static struct vsp_class probe_class = {
	.name = "probe",
	.class_id = { { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
			0x10 } },
	.open = probe_open,
	.close = probe_close,
	.packet = probe_packet,
	.poll = probe_poll,
};

static struct vsp_class other_class = {
	.name = "other",
	.class_id = { { 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf,
			0xb0 } },
	.packet = probe_packet,
};

static struct vsp pv, ov;
static struct probe pp, op;

static void setup(const struct vsp_host_config *cfg, u32 ring_in_min)
{
	vmbus_guid_t inst = { { 0x77 } };

	harness_init(cfg);
	probe_class.ring_in_min = ring_in_min;
	probe_class.ring_in_max = 0;
	probe_class.max_packet = 0;
	memset(&pv, 0, sizeof(pv));
	memset(&ov, 0, sizeof(ov));
	memset(&pp, 0, sizeof(pp));
	memset(&op, 0, sizeof(op));
	pv.cls = &probe_class;
	pv.instance = inst;
	pv.priv = &pp;
	inst.b[0] = 0x78;
	ov.cls = &other_class;
	ov.instance = inst;
	ov.priv = &op;
}

/* Offers carry class and instance; each channel is wired before the guest can use it. */
static void offers_and_hot_add(void)
{
	struct vmbus_client_channel *c;
	struct vsp extra;
	struct probe ep;

	setup(NULL, 0);
	CHECK_EQ(vsp_host_add(&H.host, &pv), 1);
	CHECK_EQ(pv.state, VSP_OFFERED);
	CHECK_EQ(H.added[1], 1);
	CHECK_EQ(H.nto_guest, 0); /* nothing is offered before the guest asks */
	CHECK_EQ(vsp_host_add(&H.host, &pv), -VMBUS_EINVAL); /* already added */
	guest_connect();
	c = vmbus_client_find(&H.client, &probe_guid);
	CHECK(c != NULL);
	if (c) {
		CHECK(!memcmp(&c->offer.offer.if_instance, &pv.instance, 16));
		CHECK_EQ(c->offer.child_relid, 1);
		CHECK_EQ(c->offer.connection_id, VMBUS_SERVER_CONNID_BASE + 1);
	}
	CHECK(vmbus_client_find(&H.client, &other_guid) == NULL);
	/* Hot add: offered at once. */
	CHECK_EQ(vsp_host_add(&H.host, &ov), 2);
	CHECK_EQ(H.added[2], 1);
	pump();
	CHECK(vmbus_client_find(&H.client, &other_guid) != NULL);
	CHECK(vsp_host_by_connid(&H.host, VMBUS_SERVER_CONNID_BASE + 2) == &ov);
	CHECK(vsp_host_by_connid(&H.host, VMBUS_SERVER_CONNID_BASE + 3) == NULL);
	CHECK(vsp_host_by_connid(&H.host, 4) == NULL);
	/* The transport refusing to wire a channel fails the add and leaves no offer behind. */
	memset(&extra, 0, sizeof(extra));
	memset(&ep, 0, sizeof(ep));
	extra.cls = &probe_class;
	extra.priv = &ep;
	H.add_error = -VMBUS_ENOSPC;
	CHECK_EQ(vsp_host_add(&H.host, &extra), -VMBUS_ENOSPC);
	CHECK_EQ(extra.state, VSP_DETACHED);
	CHECK(vmbus_server_channel(&H.host.server, 3) == NULL ||
	      vmbus_server_channel(&H.host.server, 3)->state == VMBUS_CHAN_RESCINDED);
	/* A VSP without a packet handler is refused. */
	H.add_error = 0;
	extra.cls = &(struct vsp_class){ .name = "empty" };
	CHECK_EQ(vsp_host_add(&H.host, &extra), -VMBUS_EINVAL);
}

/* The VSP's ring limits and its open callback decide OPENCHANNEL_RESULT. */
static void open_limits_and_refusal(void)
{
	struct gchan g;

	setup(NULL, 3 * PAGE_SIZE);
	vsp_host_add(&H.host, &pv);
	guest_connect();
	/* 4 pages, downstream 2: one data page per ring, too small for ring_in_min. */
	CHECK_EQ(guest_open(&probe_guid, 10, 4, 2, &g), VMBUS_STATUS_UNSUCCESSFUL);
	CHECK_EQ(pp.opens, 0);
	CHECK_EQ(pv.state, VSP_OFFERED);
	CHECK_EQ(vmbus_client_gpadl_teardown(&H.client, g.gpadl), 0);
	pump();
	/* The VSP refuses with its own status. */
	pp.open_status = 0x12345;
	CHECK_EQ(guest_open(&probe_guid, 10, 8, 4, &g), 0x12345);
	CHECK_EQ(pp.opens, 1);
	CHECK_EQ(pv.state, VSP_OFFERED);
	CHECK_EQ(vmbus_client_gpadl_teardown(&H.client, g.gpadl), 0);
	pump();
	/* Ring max too. */
	probe_class.ring_in_max = 2 * PAGE_SIZE;
	pp.open_status = 0;
	CHECK_EQ(guest_open(&probe_guid, 10, 8, 4, &g), VMBUS_STATUS_UNSUCCESSFUL);
	CHECK_EQ(vmbus_client_gpadl_teardown(&H.client, g.gpadl), 0);
	pump();
	probe_class.ring_in_max = 0;
	CHECK_EQ(guest_open(&probe_guid, 10, 8, 4, &g), 0);
	CHECK_EQ(pp.opens, 2);
	CHECK(!memcmp(pp.userdata, "ud", 2));
	CHECK_EQ(pv.state, VSP_OPEN);
	CHECK(pp.polls > 0);
	guest_close(&g);
	CHECK_EQ(pp.closes, 1);
	CHECK_EQ(pv.state, VSP_OFFERED);
	CHECK_EQ(H.live_maps, 0);
	CHECK_EQ(H.live_allocs, 0);
}

/* In-band and GPA-direct packets reach the VSP intact; completions come back; signals coalesce. */
static void packets_and_completions(void)
{
	u8 data[1000], got[1100];
	struct vmbus_pkt pkt;
	struct gchan g;
	u32 i;

	setup(NULL, 0);
	vsp_host_add(&H.host, &pv);
	guest_connect();
	CHECK_EQ(guest_open(&probe_guid, 10, 16, 8, &g), 0);
	pp.reply = REPLY_COMPLETE;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (u8)(i * 7 + 3);
	/* Ten packets in one go: one signal each way. */
	for (i = 0; i < 10; i++)
		CHECK_EQ(guest_send(&g, 100 + i, VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED, data, 50 + i), 0);
	CHECK_EQ(H.host_signals[g.relid], 1);
	CHECK_EQ(pv.stats.signals_in, 1);
	vsp_host_run(&H.host, 0);
	CHECK_EQ(pp.packets, 10);
	CHECK_EQ(H.guest_signals[g.relid], 1);
	CHECK_EQ(pv.stats.signals_out, 1);
	for (i = 0; i < 10; i++) {
		CHECK_EQ(guest_recv(&g, &pkt, got, sizeof(got)), ALIGN_UP(50 + i, 8));
		CHECK_EQ(pkt.type, VM_PKT_COMP);
		CHECK_EQ(pkt.trans_id, 100 + i);
		CHECK(!memcmp(got, data, 50 + i));
	}
	CHECK_EQ(guest_recv(&g, &pkt, got, sizeof(got)), -VMBUS_EAGAIN);
	CHECK_EQ(pp.last_type, VM_PKT_DATA_INBAND);
	CHECK_EQ(pp.last_flags, VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED);
	CHECK_EQ(pp.last_len, 64); /* 59 bytes, padded */
	CHECK_EQ(pv.stats.packets_in, 10);
	CHECK_EQ(pv.stats.packets_out, 10);
	/* No signal: nothing to do. */
	vsp_host_run(&H.host, 0);
	CHECK_EQ(pp.packets, 10);
	/* GPA direct: the VSP gets the validated range table. */
	{
		u64 pfns[2] = { 0x1234, 0x1235 };
		struct vmbus_gpa_range_desc r = { 5000, 100, pfns };
		bool signal;

		pp.reply = REPLY_NONE;
		CHECK_EQ(vmbus_send_gpa_direct(&g.out, 77, 0, &r, 1, data, 16, &signal), 0);
		CHECK(signal);
		vmbus_client_signal(&H.client, g.relid);
		vsp_host_run(&H.host, 0);
		CHECK_EQ(pp.last_type, VM_PKT_DATA_USING_GPA_DIRECT);
		CHECK_EQ(pp.last_trans, 77);
		CHECK_EQ(pp.last_ranges, 1);
		CHECK_EQ(pp.last_range_bytes, 5000);
		CHECK_EQ(pp.last_first_pfn, 0x1234);
		CHECK_EQ(pp.last_len, 16);
		CHECK(!memcmp(pp.last_data, data, 16));
	}
	/* In-band replies. */
	pp.reply = REPLY_INBAND;
	CHECK_EQ(guest_send(&g, 9, 0, data, 8), 0);
	vsp_host_run(&H.host, 0);
	CHECK_EQ(guest_recv(&g, &pkt, got, sizeof(got)), 8);
	CHECK_EQ(pkt.type, VM_PKT_DATA_INBAND);
	CHECK_EQ(pkt.trans_id, 9);
	guest_close(&g);
	CHECK_EQ(H.live_maps, 0);
}

/* Replies bigger than the room left: the VSP is called again once the guest has read. */
static void flow_control(void)
{
	u8 req[8] = { 1 }, got[4096];
	struct vmbus_pkt pkt;
	struct gchan g;
	u32 i, received = 0, rounds = 0;

	setup(NULL, 0);
	vsp_host_add(&H.host, &pv);
	guest_connect();
	/* 4 pages, downstream 2: 4 KiB of data each way. */
	CHECK_EQ(guest_open(&probe_guid, 20, 4, 2, &g), 0);
	pp.reply = REPLY_COMPLETE;
	pp.reply_len = 1500;
	for (i = 0; i < 8; i++) {
		req[1] = (u8)i;
		CHECK_EQ(guest_send(&g, i, VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED, req, 8), 0);
	}
	vsp_host_run(&H.host, 0);
	/* Two 1.5 KiB replies fit in 4 KiB; the third waits. */
	CHECK_EQ(pp.packets, 2);
	CHECK(pv.blocked != 0);
	CHECK_EQ(pv.stats.blocked, 1);
	/* The host asked to be told when there is room. */
	CHECK(g.in.m.ctl->pending_send_sz != 0);
	while (received < 8 && rounds++ < 100) {
		s64 n;

		while ((n = guest_recv(&g, &pkt, got, sizeof(got))) >= 0) {
			CHECK_EQ(n, 1504);
			CHECK_EQ(pkt.trans_id, received);
			CHECK_EQ(got[1], received);
			CHECK_EQ(got[1400], 0x5a);
			received++;
		}
		vsp_host_run(&H.host, 0);
	}
	CHECK_EQ(received, 8);
	CHECK_EQ(pp.packets, 8);
	CHECK_EQ(pv.blocked, 0);
	/* Every wake-up came from the guest's pending_send_sz signal, not from polling. */
	CHECK(H.host_signals[g.relid] >= 3);
	CHECK_EQ(g.in.m.ctl->pending_send_sz, 0);
}

/* Messages wait in order while the guest's message slot is busy. */
static void message_queue(void)
{
	struct vmbus_channel_initiate_contact ic;
	u32 i;

	setup(NULL, 0);
	vsp_host_add(&H.host, &pv);
	vsp_host_add(&H.host, &ov);
	CHECK_EQ(vmbus_client_connect(&H.client), 0);
	H.busy = 1;
	pump(); /* VERSION_RESPONSE queued; the run's retry went through */
	CHECK_EQ(H.host.stats.messages_queued, 1);
	CHECK_EQ(H.client.state, VMBUS_CLIENT_CONNECTED);
	/* The first offer finds the slot busy: the second offer and ALLOFFERS queue behind it. */
	H.busy = 1;
	CHECK_EQ(vmbus_client_request_offers(&H.client), 0);
	for (i = 0; i < 3 && !H.client.offers_done; i++)
		pump();
	CHECK(H.client.offers_done);
	CHECK_EQ(H.host.stats.messages_queued, 4);
	CHECK_EQ(H.to_guest[1].data[0], CHANNELMSG_OFFERCHANNEL);
	CHECK_EQ(H.to_guest[1].data[184], 1);
	CHECK_EQ(H.to_guest[2].data[184], 2);
	CHECK_EQ(H.to_guest[3].data[0], CHANNELMSG_ALLOFFERS_DELIVERED);
	/* A guest that never takes its messages: the queue holds VSP_MSGQ_DEPTH, then loses. */
	memset(&ic, 0, sizeof(ic));
	ic.header.msgtype = CHANNELMSG_INITIATE_CONTACT;
	ic.vmbus_version_requested = VERSION_WIN10_V5_3;
	ic.msg_sint = VMBUS_MESSAGE_SINT;
	H.busy = 1000;
	for (i = 0; i < VSP_MSGQ_DEPTH + 6; i++)
		vsp_host_message(&H.host, VMBUS_MESSAGE_CONNECTION_ID_4, &ic, sizeof(ic));
	CHECK_EQ(H.host.msgq.count, VSP_MSGQ_DEPTH);
	CHECK_EQ(H.host.stats.messages_lost, 6);
	/* Other transport errors drop the message. */
	H.busy = 0;
	vsp_host_run(&H.host, 0);
	CHECK_EQ(H.host.msgq.count, 0);
	H.post_error = -VMBUS_EINVAL;
	vsp_host_message(&H.host, VMBUS_MESSAGE_CONNECTION_ID_4, &ic, sizeof(ic));
	CHECK_EQ(H.host.stats.messages_lost, 7);
	CHECK_EQ(H.host.msgq.count, 0);
}

/* Rescind: closed at once, detached when the guest releases the relid; the relid is reused. */
static void rescind_and_release(void)
{
	struct vmbus_client_channel *c;
	struct gchan g;

	setup(NULL, 0);
	/* Removed before the guest ever saw it: gone at once. */
	vsp_host_add(&H.host, &ov);
	CHECK_EQ(vsp_host_remove(&H.host, &ov), 0);
	CHECK_EQ(ov.state, VSP_DETACHED);
	CHECK_EQ(H.removed[1], 1);
	CHECK_EQ(vsp_host_add(&H.host, &pv), 1);
	CHECK_EQ(H.added[1], 2);
	guest_connect();
	CHECK_EQ(guest_open(&probe_guid, 10, 8, 4, &g), 0);
	CHECK_EQ(vsp_host_remove(&H.host, &pv), 0);
	CHECK_EQ(pv.state, VSP_RESCINDED);
	CHECK_EQ(pp.closes, 1);
	CHECK_EQ(vsp_host_remove(&H.host, &pv), -VMBUS_EINVAL);
	pump();
	c = vmbus_client_channel(&H.client, g.relid);
	CHECK(c && c->state == VMBUS_CLIENT_CHAN_RESCINDED);
	/* Linux: close (the host ignores it), tear the GPADL down, release the relid. */
	CHECK_EQ(vmbus_client_close(&H.client, g.relid), 0);
	CHECK_EQ(vmbus_client_gpadl_teardown(&H.client, g.gpadl), 0);
	pump();
	CHECK(vmbus_client_gpadl(&H.client, g.gpadl) == NULL);
	CHECK_EQ(pv.state, VSP_RESCINDED);
	CHECK_EQ(H.removed[1], 1);
	CHECK_EQ(vmbus_client_release_relid(&H.client, g.relid), 0);
	pump();
	CHECK_EQ(pv.state, VSP_DETACHED);
	CHECK_EQ(pv.relid, 0);
	CHECK_EQ(H.removed[1], 2);
	CHECK_EQ(H.live_maps, 0);
	CHECK_EQ(H.live_allocs, 0);
	/* Added again: same relid, hot-added. */
	CHECK_EQ(vsp_host_add(&H.host, &pv), 1);
	pump();
	CHECK(vmbus_client_find(&H.client, &probe_guid) != NULL);
	CHECK_EQ(guest_open(&probe_guid, 30, 8, 4, &g), 0);
	CHECK_EQ(pv.state, VSP_OPEN);
}

/* Polling: the guest's writes never signal, the host reads anyway; switching back unmasks. */
static void signal_suppression(void)
{
	struct vsp_host_config cfg = { .poll_rings = true };
	u8 data[16] = { 9 }, got[64];
	struct vmbus_pkt pkt;
	struct gchan g;
	u32 i;

	setup(&cfg, 0);
	vsp_host_add(&H.host, &pv);
	guest_connect();
	CHECK_EQ(guest_open(&probe_guid, 10, 8, 4, &g), 0);
	pp.reply = REPLY_COMPLETE;
	/* The guest masks its own ring too: nobody signals anybody. */
	vmbus_ring_mask(&g.in);
	for (i = 0; i < 20; i++) {
		CHECK_EQ(guest_send(&g, i, VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED, data, 16), 0);
		vsp_host_run(&H.host, 0);
		CHECK_EQ(guest_recv(&g, &pkt, got, sizeof(got)), 16);
		CHECK_EQ(pkt.trans_id, i);
	}
	CHECK_EQ(H.host_signals[g.relid], 0);
	CHECK_EQ(H.guest_signals[g.relid], 0);
	CHECK_EQ(pp.packets, 20);
	/* A packet written while polling, then polling off: found without a signal. */
	CHECK_EQ(guest_send(&g, 99, 0, data, 16), 0);
	vsp_host_set_polling(&H.host, false);
	vsp_host_run(&H.host, 0);
	CHECK_EQ(pp.packets, 21);
	CHECK_EQ(g.out.m.ctl->interrupt_mask, 0);
	/* Now writes signal again. */
	CHECK_EQ(guest_send(&g, 100, 0, data, 16), 0);
	CHECK_EQ(H.host_signals[g.relid], 1);
}

/* Oversized packets are dropped and counted; a corrupt ring stops the channel, nothing else. */
static void bad_packets_and_corrupt_ring(void)
{
	u8 data[200] = { 0 };
	struct gchan g;

	setup(NULL, 0);
	probe_class.max_packet = 64;
	vsp_host_add(&H.host, &pv);
	vsp_host_add(&H.host, &ov);
	guest_connect();
	CHECK_EQ(guest_open(&probe_guid, 10, 8, 4, &g), 0);
	CHECK_EQ(guest_send(&g, 1, 0, data, 100), 0);
	CHECK_EQ(guest_send(&g, 2, 0, data, 64), 0);
	vsp_host_run(&H.host, 0);
	CHECK_EQ(pv.stats.dropped, 1);
	CHECK_EQ(pp.packets, 1);
	CHECK_EQ(pp.last_trans, 2);
	/* A completion packet with a bogus type is dropped too. */
	{
		struct vmbus_iov iov = { data, 8 };
		struct vmbus_pkt_out o = { .type = 0x42, .trans_id = 3, .iov = &iov, .iov_count = 1 };

		CHECK_EQ(vmbus_ring_put(&g.out, &o), 0);
		vmbus_ring_flush(&g.out);
		vsp_host_event(&H.host, g.relid);
		vsp_host_run(&H.host, 0);
		CHECK_EQ(pv.stats.dropped, 2);
	}
	/* The guest scribbles over its write index. */
	g.out.m.ctl->write_index = 13;
	vsp_host_event(&H.host, g.relid);
	vsp_host_run(&H.host, 0);
	CHECK(pv.broken);
	CHECK_EQ(pv.stats.ring_errors, 1);
	CHECK_EQ(vsp_send_inband(&pv, 1, 0, data, 8), -VMBUS_EPROTO);
	/* Closing and reopening the channel clears it. */
	g.out.m.ctl->write_index = 0;
	guest_close(&g);
	CHECK_EQ(guest_open(&probe_guid, 40, 8, 4, &g), 0);
	CHECK(!pv.broken);
	CHECK_EQ(guest_send(&g, 5, 0, data, 8), 0);
	vsp_host_run(&H.host, 0);
	CHECK_EQ(pp.last_trans, 5);
	/* Events for unknown relids are ignored. */
	vsp_host_event(&H.host, 0);
	vsp_host_event(&H.host, 31);
	vsp_host_event(&H.host, 1000);
}

/* UNLOAD closes every channel; the VSPs stay offered for the next connection. Reset too. */
static void unload_and_reset(void)
{
	struct gchan g;

	setup(NULL, 0);
	vsp_host_add(&H.host, &pv);
	guest_connect();
	CHECK_EQ(guest_open(&probe_guid, 10, 8, 4, &g), 0);
	CHECK_EQ(vmbus_client_unload(&H.client), 0);
	pump();
	CHECK_EQ(H.client.state, VMBUS_CLIENT_DISCONNECTED);
	CHECK_EQ(H.host.server.state, VMBUS_SERVER_DISCONNECTED);
	CHECK_EQ(pp.closes, 1);
	CHECK_EQ(pv.state, VSP_OFFERED);
	CHECK_EQ(H.live_maps, 0);
	CHECK_EQ(H.live_allocs, 0);
	guest_connect();
	CHECK_EQ(guest_open(&probe_guid, 10, 8, 4, &g), 0);
	CHECK_EQ(pp.opens, 2);
	/* A rescinded channel the guest never released is forgotten by a reset. */
	vsp_host_add(&H.host, &ov);
	pump();
	vsp_host_remove(&H.host, &ov);
	H.busy = 5;
	vsp_host_reset(&H.host);
	CHECK_EQ(pp.closes, 2);
	CHECK_EQ(pv.state, VSP_OFFERED);
	CHECK_EQ(ov.state, VSP_DETACHED);
	CHECK_EQ(H.host.msgq.count, 0);
	CHECK_EQ(H.live_maps, 0);
	CHECK_EQ(H.live_allocs, 0);
}

UNIT_MAIN("vsp_core", CASE(offers_and_hot_add), CASE(open_limits_and_refusal), CASE(packets_and_completions),
	  CASE(flow_control), CASE(message_queue), CASE(rescind_and_release), CASE(signal_suppression),
	  CASE(bad_packets_and_corrupt_ring), CASE(unload_and_reset))
