/*
 * What the VSP unit tests share: a vsp_host with a transport made of
 * queues, and a guest made of our vmbus client, rings in a page-aligned
 * "guest memory" array. Messages move only in pump(); channel signals are
 * counted and (guest -> host) handed to vsp_host_event like an event port
 * would. Everything runs on one thread, like the parent's dispatch loop.
 */
#ifndef TESTS_UNIT_TEST_VSP_HARNESS_H
#define TESTS_UNIT_TEST_VSP_HARNESS_H

#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "vsp/vsp.h"
#include "vmbus/channel_client.h"

#define GUEST_PAGES 256
/* Not every test uses every helper. */
#define HARNESS static __attribute__((unused))

struct wire_msg {
	u32 connid; /* guest -> host */
	u32 len;
	u8 data[VMBUS_MSG_MAX_SIZE];
};

static struct harness {
	struct vsp_host host;
	struct vmbus_client client;
	u8 *mem;
	u64 now;
	/* host -> guest */
	struct wire_msg to_guest[512];
	u32 nto_guest, taken_guest;
	u32 busy;          /* the next `busy` posts find the guest's queue full */
	int post_error;    /* post_msg fails with this (not EAGAIN) when non-zero */
	u32 guest_signals[VMBUS_SERVER_MAX_CHANNELS + 1];
	/* guest -> host */
	struct wire_msg to_host[512];
	u32 nto_host, taken_host;
	u32 host_signals[VMBUS_SERVER_MAX_CHANNELS + 1];
	bool deliver_events; /* hand guest signals to vsp_host_event (default) */
	/* transport bookkeeping */
	u32 added[VMBUS_SERVER_MAX_CHANNELS + 1], removed[VMBUS_SERVER_MAX_CHANNELS + 1];
	int add_error;
	int live_maps, live_allocs;
} H;

/* --- the host's transport ----------------------------------------------------------- */

static int t_post_msg(void *ctx, u32 vp, u8 sint, const void *msg, u32 len)
{
	struct wire_msg *m;

	(void)ctx;
	CHECK_EQ(vp, 0);
	CHECK_EQ(sint, VMBUS_MESSAGE_SINT);
	CHECK(len <= VMBUS_MSG_MAX_SIZE);
	if (H.post_error)
		return H.post_error;
	if (H.busy) {
		H.busy--;
		return -VMBUS_EAGAIN;
	}
	m = &H.to_guest[H.nto_guest++ % ARRAY_SIZE(H.to_guest)];
	m->len = len;
	memcpy(m->data, msg, len);
	return 0;
}

static void t_signal_guest(void *ctx, u32 vp, u8 sint, u32 relid)
{
	(void)ctx, (void)vp, (void)sint;
	CHECK(relid >= 1 && relid <= VMBUS_SERVER_MAX_CHANNELS);
	if (relid >= 1 && relid <= VMBUS_SERVER_MAX_CHANNELS)
		H.guest_signals[relid]++;
}

static void *t_map_pages(void *ctx, const u64 *pfns, u32 count)
{
	u32 i;

	(void)ctx;
	for (i = 0; i < count; i++)
		if (pfns[i] != pfns[0] + i || pfns[i] >= GUEST_PAGES)
			return NULL;
	H.live_maps++;
	return H.mem + pfns[0] * PAGE_SIZE;
}

static void t_unmap_pages(void *ctx, void *va, u32 count)
{
	(void)ctx, (void)va, (void)count;
	H.live_maps--;
}

static void *t_alloc(void *ctx, size_t size)
{
	(void)ctx;
	H.live_allocs++;
	return malloc(size);
}

static void t_free(void *ctx, void *p, size_t size)
{
	(void)ctx, (void)size;
	H.live_allocs--;
	free(p);
}

static int t_channel_added(void *ctx, u32 relid, u32 connid)
{
	(void)ctx;
	CHECK_EQ(connid, VMBUS_SERVER_CONNID_BASE + relid);
	if (H.add_error)
		return H.add_error;
	H.added[relid]++;
	return 0;
}

static void t_channel_removed(void *ctx, u32 relid, u32 connid)
{
	(void)ctx;
	CHECK_EQ(connid, VMBUS_SERVER_CONNID_BASE + relid);
	H.removed[relid]++;
}

static const struct vsp_transport_ops transport = {
	t_post_msg, t_signal_guest, t_map_pages, t_unmap_pages, t_alloc, t_free, t_channel_added,
	t_channel_removed,
};

/* --- the guest's client ---------------------------------------------------------------- */

static int g_post_msg(void *ctx, u32 connid, const void *msg, u32 len)
{
	struct wire_msg *m = &H.to_host[H.nto_host++ % ARRAY_SIZE(H.to_host)];

	(void)ctx;
	m->connid = connid;
	m->len = len;
	memcpy(m->data, msg, len);
	return 0;
}

static void g_signal_host(void *ctx, u32 connid)
{
	u32 relid = connid - VMBUS_SERVER_CONNID_BASE;

	(void)ctx;
	CHECK(relid >= 1 && relid <= VMBUS_SERVER_MAX_CHANNELS);
	if (relid < 1 || relid > VMBUS_SERVER_MAX_CHANNELS)
		return;
	H.host_signals[relid]++;
	if (H.deliver_events)
		vsp_host_event(&H.host, relid);
}

static const struct vmbus_client_ops client_ops = { g_post_msg, g_signal_host };

HARNESS void harness_init(const struct vsp_host_config *cfg)
{
	struct vmbus_client_config ccfg = { .target_vcpu = 0 };

	u8 *mem;

	/* The last test's GPADLs and mappings go first. */
	if (H.host.t)
		vsp_host_reset(&H.host);
	if (!H.mem)
		H.mem = aligned_alloc(PAGE_SIZE, GUEST_PAGES * PAGE_SIZE);
	mem = H.mem;

	memset(&H, 0, sizeof(H));
	H.mem = mem;
	memset(H.mem, 0, GUEST_PAGES * PAGE_SIZE);
	H.deliver_events = true;
	vsp_host_init(&H.host, &transport, NULL, cfg);
	vmbus_client_init(&H.client, &client_ops, NULL, &ccfg);
}

/* Move messages both ways and run the host until nothing moves. */
HARNESS void pump(void)
{
	bool moved = true;

	while (moved) {
		moved = false;
		while (H.taken_host < H.nto_host) {
			struct wire_msg *m = &H.to_host[H.taken_host++ % ARRAY_SIZE(H.to_host)];

			vsp_host_message(&H.host, m->connid, m->data, m->len);
			moved = true;
		}
		if (vsp_host_run(&H.host, H.now))
			moved = true;
		while (H.taken_guest < H.nto_guest) {
			struct wire_msg *m = &H.to_guest[H.taken_guest++ % ARRAY_SIZE(H.to_guest)];

			CHECK_EQ(vmbus_client_on_message(&H.client, m->data, m->len), 0);
			moved = true;
		}
	}
}

HARNESS void guest_connect(void)
{
	CHECK_EQ(vmbus_client_connect(&H.client), 0);
	pump();
	CHECK_EQ(H.client.state, VMBUS_CLIENT_CONNECTED);
	CHECK_EQ(vmbus_client_request_offers(&H.client), 0);
	pump();
	CHECK(H.client.offers_done);
}

/* A guest channel: rings in guest pages [first, first + pages), in from `down` on. */
struct gchan {
	u32 relid, gpadl;
	struct vmbus_ring_writer out;
	struct vmbus_ring_reader in;
};

/* Offer of class `cls` -> GPADL -> OPENCHANNEL; returns the OPENCHANNEL_RESULT status. */
HARNESS u32 guest_open(const vmbus_guid_t *cls, u32 first, u32 pages, u32 down, struct gchan *g)
{
	struct vmbus_client_channel *ch = vmbus_client_find(&H.client, cls);
	u64 pfns[GUEST_PAGES];
	u32 i;

	CHECK(ch != NULL);
	if (!ch)
		return 0xdead;
	g->relid = ch->offer.child_relid;
	for (i = 0; i < pages; i++)
		pfns[i] = first + i;
	CHECK_EQ(vmbus_client_rings_init(H.mem + (u64)first * PAGE_SIZE, pages, down, &g->out, &g->in), 0);
	CHECK_EQ(vmbus_client_gpadl_create(&H.client, g->relid, pfns, pages, &g->gpadl), 0);
	pump();
	CHECK_EQ(vmbus_client_gpadl(&H.client, g->gpadl)->state, VMBUS_CLIENT_GPADL_CREATED);
	CHECK_EQ(vmbus_client_open(&H.client, g->relid, g->gpadl, down, 0, "ud", 2), 0);
	pump();
	return ch->open_status;
}

/* Guest close as Linux does it: CLOSECHANNEL, then tear the ring GPADL down. */
HARNESS void guest_close(struct gchan *g)
{
	CHECK_EQ(vmbus_client_close(&H.client, g->relid), 0);
	CHECK_EQ(vmbus_client_gpadl_teardown(&H.client, g->gpadl), 0);
	pump();
	CHECK(vmbus_client_gpadl(&H.client, g->gpadl) == NULL);
}

/* The guest sends one in-band packet and signals as the ring says. */
HARNESS int guest_send(struct gchan *g, u64 trans_id, u16 flags, const void *data, u32 len)
{
	bool signal = false;
	int ret = vmbus_send_inband(&g->out, trans_id, flags, data, len, &signal);

	if (!ret && signal)
		vmbus_client_signal(&H.client, g->relid);
	return ret;
}

/* The guest reads one packet: body length or a negative error. Signals the host when it must. */
HARNESS s64 guest_recv(struct gchan *g, struct vmbus_pkt *pkt, void *buf, u32 buflen)
{
	s64 n = vmbus_ring_recv(&g->in, pkt, buf, buflen);

	if (n >= 0 && vmbus_ring_read_done(&g->in))
		vmbus_client_signal(&H.client, g->relid);
	return n;
}

#endif
