/*
 * The host side of the VMBus channel management protocol. Which message is
 * valid when, and what answers it, follows what Linux's hv_vmbus expects
 * (drivers/hv/connection.c, channel_mgmt.c, channel.c).
 */
#include "vmbus/channel_server.h"

/* Room for any channel message, aligned so handlers can read fields in place. */
union server_msg {
	struct vmbus_channel_message_header hdr;
	struct vmbus_channel_initiate_contact initiate;
	struct vmbus_channel_gpadl_header gpadl_header;
	struct vmbus_channel_gpadl_body gpadl_body;
	struct vmbus_channel_gpadl_teardown gpadl_teardown;
	struct vmbus_channel_open_channel open;
	struct vmbus_channel_close_channel close;
	struct vmbus_channel_relid_released released;
	struct vmbus_channel_modifychannel modify;
	u8 raw[VMBUS_MSG_MAX_SIZE];
} __aligned(8);

/* --- replies ----------------------------------------------------------------- */

static int post(struct vmbus_server *s, void *msg, u32 len, u32 type)
{
	((struct vmbus_channel_message_header *)msg)->msgtype = type;
	return s->ops->post_msg(s->ctx, s->target_vcpu, s->msg_sint, msg, len);
}

static int post_gpadl_created(struct vmbus_server *s, u32 relid, u32 handle, u32 status)
{
	struct vmbus_channel_gpadl_created m = { .child_relid = relid, .gpadl = handle, .creation_status = status };

	return post(s, &m, sizeof(m), CHANNELMSG_GPADL_CREATED);
}

static int post_open_result(struct vmbus_server *s, u32 relid, u32 openid, u32 status)
{
	struct vmbus_channel_open_result m = { .child_relid = relid, .openid = openid, .status = status };

	return post(s, &m, sizeof(m), CHANNELMSG_OPENCHANNEL_RESULT);
}

static int post_offer(struct vmbus_server *s, struct vmbus_server_channel *ch)
{
	struct vmbus_channel_offer_channel m = {
		.offer = ch->offer,
		.child_relid = ch->relid,
		.monitorid = VMBUS_NO_MONITOR_ID,
		.connection_id = ch->connection_id,
	};

	ch->state = VMBUS_CHAN_OFFERED;
	return post(s, &m, sizeof(m), CHANNELMSG_OFFERCHANNEL);
}

/* --- objects ----------------------------------------------------------------- */

struct vmbus_server_channel *vmbus_server_channel(struct vmbus_server *s, u32 relid)
{
	struct vmbus_server_channel *ch;

	if (relid < 1 || relid > VMBUS_SERVER_MAX_CHANNELS)
		return NULL;
	ch = &s->channels[relid - 1];
	return ch->state == VMBUS_CHAN_FREE ? NULL : ch;
}

/* A channel the guest knows about (offered, open, or rescinded but not released). */
static struct vmbus_server_channel *guest_channel(struct vmbus_server *s, u32 relid)
{
	struct vmbus_server_channel *ch = vmbus_server_channel(s, relid);

	return ch && ch->state != VMBUS_CHAN_REGISTERED ? ch : NULL;
}

struct vmbus_server_channel *vmbus_server_channel_by_connid(struct vmbus_server *s, u32 connection_id)
{
	struct vmbus_server_channel *ch = vmbus_server_channel(s, connection_id - VMBUS_SERVER_CONNID_BASE);

	return ch && ch->state == VMBUS_CHAN_OPEN ? ch : NULL;
}

static struct vmbus_server_gpadl *find_gpadl(struct vmbus_server *s, u32 handle)
{
	u32 i;

	for (i = 0; i < VMBUS_SERVER_MAX_GPADLS; i++)
		if (s->gpadls[i].ranges && s->gpadls[i].handle == handle)
			return &s->gpadls[i];
	return NULL;
}

const struct vmbus_server_gpadl *vmbus_server_gpadl(const struct vmbus_server *s, u32 handle)
{
	struct vmbus_server_gpadl *g = find_gpadl((struct vmbus_server *)s, handle);

	return g && g->complete ? g : NULL;
}

static void free_gpadl(struct vmbus_server *s, struct vmbus_server_gpadl *g)
{
	s->ops->free(s->ctx, g->ranges, g->range_buflen);
	memset(g, 0, sizeof(*g));
}

static void unmap_rings(struct vmbus_server *s, struct vmbus_server_channel *ch)
{
	s->ops->unmap_pages(s->ctx, ch->ring_va, ch->ring_pages);
	ch->ring_va = NULL;
	ch->ring_pages = 0;
	ch->ring_gpadl = 0;
}

static void close_rings(struct vmbus_server *s, struct vmbus_server_channel *ch)
{
	struct vmbus_server_gpadl *g;

	if (!ch->ring_va)
		return;
	if (s->ops->channel_closed)
		s->ops->channel_closed(s->ctx, ch);
	g = find_gpadl(s, ch->ring_gpadl);
	if (g)
		g->in_use = false;
	unmap_rings(s, ch);
}

/* Forget everything the guest set up: its channels go back to "not offered". */
static void reset_guest_state(struct vmbus_server *s)
{
	u32 i;

	for (i = 0; i < VMBUS_SERVER_MAX_CHANNELS; i++) {
		struct vmbus_server_channel *ch = &s->channels[i];

		if (ch->state == VMBUS_CHAN_FREE)
			continue;
		close_rings(s, ch);
		if (ch->state == VMBUS_CHAN_RESCINDED)
			memset(ch, 0, sizeof(*ch));
		else
			ch->state = VMBUS_CHAN_REGISTERED;
	}
	for (i = 0; i < VMBUS_SERVER_MAX_GPADLS; i++)
		if (s->gpadls[i].ranges)
			free_gpadl(s, &s->gpadls[i]);
	s->state = VMBUS_SERVER_DISCONNECTED;
	s->version = 0;
}

/* --- connection ------------------------------------------------------------------ */

static int version_index(const struct vmbus_server *s, u32 version)
{
	u32 mask = s->cfg.version_mask ? s->cfg.version_mask : (1u << VMBUS_VERSION_COUNT) - 1;
	int i;

	for (i = 0; i < VMBUS_VERSION_COUNT; i++)
		if (vmbus_versions[i] == version)
			return (mask >> i) & 1 ? i : -1;
	return -1;
}

static void record_contact(struct vmbus_server *s, const struct vmbus_channel_initiate_contact *m)
{
	s->target_vcpu = m->target_vcpu;
	s->monitor_page1 = m->monitor_page1;
	s->monitor_page2 = m->monitor_page2;
	if (m->vmbus_version_requested >= VERSION_WIN10_V5) {
		s->msg_sint = m->msg_sint;
		s->msg_vtl = m->msg_vtl;
		s->interrupt_page = 0;
	} else {
		s->msg_sint = VMBUS_MESSAGE_SINT;
		s->msg_vtl = 0;
		s->interrupt_page = m->interrupt_page;
	}
}

/*
 * INITIATE_CONTACT: Linux tries each version, highest first, and needs an
 * answer to every try. A guest that reconnects without UNLOAD (kexec on a
 * pre-3.0 connection, a crash kernel) starts over from a clean state.
 */
static int on_initiate_contact(struct vmbus_server *s, u32 connid, const union server_msg *m)
{
	struct vmbus_channel_version_response r = { 0 };
	u32 version = m->initiate.vmbus_version_requested;
	bool ok = version_index(s, version) >= 0 && connid == vmbus_initiate_contact_connid(version);

	if (version >= VERSION_WIN10_V5 && m->initiate.msg_sint > 15)
		ok = false;
	if (s->state != VMBUS_SERVER_DISCONNECTED)
		reset_guest_state(s);
	record_contact(s, &m->initiate);
	if (!ok) {
		s->msg_sint = VMBUS_MESSAGE_SINT;
		post(s, &r, sizeof(r), CHANNELMSG_VERSION_RESPONSE);
		return -VMBUS_EINVAL;
	}
	s->version = version;
	s->state = VMBUS_SERVER_CONNECTED;
	s->msg_conn_id = VMBUS_MESSAGE_CONNECTION_ID;
	if (version >= VERSION_WIN10_V5) {
		if (s->cfg.msg_conn_id)
			s->msg_conn_id = s->cfg.msg_conn_id;
		r.msg_conn_id = s->msg_conn_id;
	}
	r.version_supported = 1;
	return post(s, &r, sizeof(r), CHANNELMSG_VERSION_RESPONSE);
}

static int on_request_offers(struct vmbus_server *s, u32 connid, const union server_msg *m)
{
	struct vmbus_channel_message_header done = { 0 };
	u32 i;
	int ret;

	(void)connid, (void)m;
	if (s->state != VMBUS_SERVER_CONNECTED)
		return -VMBUS_EPROTO;
	for (i = 0; i < VMBUS_SERVER_MAX_CHANNELS; i++) {
		if (s->channels[i].state != VMBUS_CHAN_REGISTERED)
			continue;
		ret = post_offer(s, &s->channels[i]);
		if (ret)
			return ret;
	}
	s->state = VMBUS_SERVER_OFFERED;
	return post(s, &done, sizeof(done), CHANNELMSG_ALLOFFERS_DELIVERED);
}

static int on_unload(struct vmbus_server *s, u32 connid, const union server_msg *m)
{
	struct vmbus_channel_message_header r = { 0 };

	(void)connid, (void)m;
	reset_guest_state(s);
	return post(s, &r, sizeof(r), CHANNELMSG_UNLOAD_RESPONSE);
}

/* --- GPADLs ---------------------------------------------------------------------- */

/* The received range buffer holds exactly rangecount non-empty ranges. */
static bool gpadl_ranges_ok(const struct vmbus_server_gpadl *g)
{
	const u8 *p = g->ranges, *end = g->ranges + g->range_buflen;
	u32 i;

	for (i = 0; i < g->rangecount; i++) {
		const struct gpa_range *r = (const struct gpa_range *)p;
		u64 pfns;

		if ((u64)(end - p) < sizeof(*r) || !r->byte_count)
			return false;
		pfns = vmbus_gpa_range_pfns(r->byte_offset, r->byte_count);
		if (pfns > (u64)(end - p - sizeof(*r)) / sizeof(u64))
			return false;
		p += sizeof(*r) + pfns * sizeof(u64);
	}
	return p == end;
}

static int gpadl_fail(struct vmbus_server *s, struct vmbus_server_gpadl *g, u32 relid, u32 handle)
{
	if (g)
		free_gpadl(s, g);
	post_gpadl_created(s, relid, handle, VMBUS_STATUS_UNSUCCESSFUL);
	return -VMBUS_EINVAL;
}

/* Append range bytes from a HEADER or BODY; answer once the GPADL is whole. */
static int gpadl_receive(struct vmbus_server *s, struct vmbus_server_gpadl *g, const void *bytes, u32 n)
{
	if (n & 7 || n > (u32)(g->range_buflen - g->received))
		return gpadl_fail(s, g, g->relid, g->handle);
	memcpy(g->ranges + g->received, bytes, n);
	g->received += n;
	if (g->received < g->range_buflen)
		return 0;
	if (!gpadl_ranges_ok(g))
		return gpadl_fail(s, g, g->relid, g->handle);
	g->complete = true;
	return post_gpadl_created(s, g->relid, g->handle, 0);
}

static struct vmbus_server_gpadl *free_gpadl_slot(struct vmbus_server *s)
{
	u32 i;

	for (i = 0; i < VMBUS_SERVER_MAX_GPADLS; i++)
		if (!s->gpadls[i].ranges)
			return &s->gpadls[i];
	return NULL;
}

static int on_gpadl_header(struct vmbus_server *s, u32 len, const union server_msg *m)
{
	const struct vmbus_channel_gpadl_header *h = &m->gpadl_header;
	struct vmbus_server_channel *ch = guest_channel(s, h->child_relid);
	struct vmbus_server_gpadl *g;

	if (!ch || ch->state == VMBUS_CHAN_RESCINDED || !h->gpadl || find_gpadl(s, h->gpadl) || !h->rangecount ||
	    h->range_buflen < sizeof(struct gpa_range) * (u32)h->rangecount)
		return gpadl_fail(s, NULL, h->child_relid, h->gpadl);
	g = free_gpadl_slot(s);
	if (!g) {
		gpadl_fail(s, NULL, h->child_relid, h->gpadl);
		return -VMBUS_ENOSPC;
	}
	g->ranges = s->ops->alloc(s->ctx, h->range_buflen);
	if (!g->ranges) {
		gpadl_fail(s, NULL, h->child_relid, h->gpadl);
		return -VMBUS_ENOMEM;
	}
	g->handle = h->gpadl;
	g->relid = h->child_relid;
	g->range_buflen = h->range_buflen;
	g->rangecount = h->rangecount;
	return gpadl_receive(s, g, h->range, len - sizeof(*h));
}

static int on_gpadl_body(struct vmbus_server *s, u32 len, const union server_msg *m)
{
	const struct vmbus_channel_gpadl_body *b = &m->gpadl_body;
	struct vmbus_server_gpadl *g = find_gpadl(s, b->gpadl);

	if (!g || g->complete)
		return -VMBUS_EPROTO;
	return gpadl_receive(s, g, b->pfn, len - sizeof(*b));
}

static int on_gpadl_teardown(struct vmbus_server *s, const union server_msg *m)
{
	struct vmbus_channel_gpadl_torndown r = { .gpadl = m->gpadl_teardown.gpadl };
	struct vmbus_server_gpadl *g = find_gpadl(s, m->gpadl_teardown.gpadl);

	if (!g || g->relid != m->gpadl_teardown.child_relid)
		return -VMBUS_EINVAL;
	/* Linux closes the channel before it tears down the ring GPADL. */
	if (g->in_use)
		return -VMBUS_EBUSY;
	free_gpadl(s, g);
	return post(s, &r, sizeof(r), CHANNELMSG_GPADL_TORNDOWN);
}

/* --- channels ---------------------------------------------------------------------- */

/*
 * The ring GPADL as Linux builds it (vmbus_alloc_ring/__vmbus_open): one
 * page-aligned range; the guest->host ring at page 0, host->guest at the
 * downstream page offset; each ring a control page and at least one data page.
 */
static u32 map_rings(struct vmbus_server *s, struct vmbus_server_channel *ch, const struct vmbus_server_gpadl *g,
		     u32 downstream)
{
	const struct gpa_range *r = (const struct gpa_range *)g->ranges;
	u32 pages = (u32)vmbus_gpa_range_pfns(r->byte_offset, r->byte_count);
	struct vmbus_ring_mem in, out;
	u8 *va, *down;

	if (g->rangecount != 1 || r->byte_offset || r->byte_count & (PAGE_SIZE - 1) || pages < 4 ||
	    downstream < 2 || downstream > pages - 2)
		return VMBUS_STATUS_UNSUCCESSFUL;
	/* The range buffer comes 8-aligned from alloc: the pfns are aligned u64s. */
	va = s->ops->map_pages(s->ctx, (const u64 *)(const void *)(r + 1), pages);
	if (!va)
		return VMBUS_STATUS_UNSUCCESSFUL;
	ch->ring_va = va;
	ch->ring_pages = pages;
	ch->ring_gpadl = g->handle;
	down = va + (u64)downstream * PAGE_SIZE;
	in = (struct vmbus_ring_mem){ (void *)va, va + PAGE_SIZE, (downstream - 1) * PAGE_SIZE };
	out = (struct vmbus_ring_mem){ (void *)down, down + PAGE_SIZE, (pages - downstream - 1) * PAGE_SIZE };
	if (vmbus_ring_reader_init(&ch->in, &in) || vmbus_ring_writer_init(&ch->out, &out)) {
		unmap_rings(s, ch);
		return VMBUS_STATUS_UNSUCCESSFUL;
	}
	return 0;
}

static int on_open_channel(struct vmbus_server *s, const union server_msg *m)
{
	const struct vmbus_channel_open_channel *o = &m->open;
	struct vmbus_server_channel *ch = guest_channel(s, o->child_relid);
	struct vmbus_server_gpadl *g = find_gpadl(s, o->ringbuffer_gpadlhandle);
	u32 status;

	if (!ch)
		return -VMBUS_EINVAL;
	if (ch->state != VMBUS_CHAN_OFFERED || !g || !g->complete || g->in_use || g->relid != ch->relid) {
		post_open_result(s, o->child_relid, o->openid, VMBUS_STATUS_UNSUCCESSFUL);
		return -VMBUS_EPROTO;
	}
	ch->target_vp = o->target_vp;
	status = map_rings(s, ch, g, o->downstream_ringbuffer_pageoffset);
	if (!status && s->ops->channel_opened) {
		status = s->ops->channel_opened(s->ctx, ch, o->userdata);
		if (status)
			unmap_rings(s, ch);
	}
	if (status) {
		post_open_result(s, o->child_relid, o->openid, status);
		return -VMBUS_EINVAL;
	}
	g->in_use = true;
	ch->openid = o->openid;
	ch->state = VMBUS_CHAN_OPEN;
	return post_open_result(s, ch->relid, ch->openid, 0);
}

static int on_close_channel(struct vmbus_server *s, const union server_msg *m)
{
	struct vmbus_server_channel *ch = guest_channel(s, m->close.child_relid);

	if (!ch)
		return -VMBUS_EINVAL;
	/* A rescinded channel was closed on our side already: nothing to do. */
	if (ch->state == VMBUS_CHAN_RESCINDED)
		return 0;
	if (ch->state != VMBUS_CHAN_OPEN)
		return -VMBUS_EPROTO;
	close_rings(s, ch);
	ch->state = VMBUS_CHAN_OFFERED;
	return 0;
}

static int on_relid_released(struct vmbus_server *s, const union server_msg *m)
{
	struct vmbus_server_channel *ch = guest_channel(s, m->released.child_relid);
	u32 i;

	if (!ch || ch->state != VMBUS_CHAN_RESCINDED)
		return -VMBUS_EPROTO;
	for (i = 0; i < VMBUS_SERVER_MAX_GPADLS; i++)
		if (s->gpadls[i].ranges && s->gpadls[i].relid == ch->relid)
			free_gpadl(s, &s->gpadls[i]);
	memset(ch, 0, sizeof(*ch));
	return 0;
}

static int on_modify_channel(struct vmbus_server *s, const union server_msg *m)
{
	struct vmbus_channel_modifychannel_response r = { .child_relid = m->modify.child_relid };
	struct vmbus_server_channel *ch = guest_channel(s, m->modify.child_relid);
	bool ok = ch && ch->state != VMBUS_CHAN_RESCINDED;

	if (s->version < VERSION_WIN10_V4_1)
		return -VMBUS_EPROTO;
	if (ok)
		ch->target_vp = m->modify.target_vp;
	/* Only 5.3 guests wait for an answer (vmbus_send_modifychannel). */
	if (s->version >= VERSION_WIN10_V5_3) {
		r.status = ok ? 0 : VMBUS_STATUS_UNSUCCESSFUL;
		post(s, &r, sizeof(r), CHANNELMSG_MODIFYCHANNEL_RESPONSE);
	}
	return ok ? 0 : -VMBUS_EINVAL;
}

/* --- dispatch ------------------------------------------------------------------------ */

struct server_handler {
	u32 min_len;
	u8 kind; /* which handler signature */
};

enum { H_NONE, H_INITIATE, H_REQUEST_OFFERS, H_UNLOAD, H_GPADL_HEADER, H_GPADL_BODY, H_GPADL_TEARDOWN,
       H_OPEN, H_CLOSE, H_RELEASED, H_MODIFY };

/* Guest-to-host messages and the least a valid one carries. */
static const struct server_handler handlers[CHANNELMSG_COUNT] = {
	[CHANNELMSG_REQUESTOFFERS] = { sizeof(struct vmbus_channel_message_header), H_REQUEST_OFFERS },
	[CHANNELMSG_OPENCHANNEL] = { sizeof(struct vmbus_channel_open_channel), H_OPEN },
	[CHANNELMSG_CLOSECHANNEL] = { sizeof(struct vmbus_channel_close_channel), H_CLOSE },
	[CHANNELMSG_GPADL_HEADER] = { sizeof(struct vmbus_channel_gpadl_header) + sizeof(struct gpa_range),
				      H_GPADL_HEADER },
	[CHANNELMSG_GPADL_BODY] = { sizeof(struct vmbus_channel_gpadl_body) + sizeof(u64), H_GPADL_BODY },
	[CHANNELMSG_GPADL_TEARDOWN] = { sizeof(struct vmbus_channel_gpadl_teardown), H_GPADL_TEARDOWN },
	[CHANNELMSG_RELID_RELEASED] = { sizeof(struct vmbus_channel_relid_released), H_RELEASED },
	[CHANNELMSG_INITIATE_CONTACT] = { sizeof(struct vmbus_channel_initiate_contact), H_INITIATE },
	[CHANNELMSG_UNLOAD] = { sizeof(struct vmbus_channel_message_header), H_UNLOAD },
	[CHANNELMSG_MODIFYCHANNEL] = { sizeof(struct vmbus_channel_modifychannel), H_MODIFY },
};

static int dispatch(struct vmbus_server *s, u32 connid, u8 kind, u32 len, const union server_msg *m)
{
	switch (kind) {
	case H_INITIATE:
		return on_initiate_contact(s, connid, m);
	case H_REQUEST_OFFERS:
		return on_request_offers(s, connid, m);
	case H_UNLOAD:
		return on_unload(s, connid, m);
	case H_GPADL_HEADER:
		return on_gpadl_header(s, len, m);
	case H_GPADL_BODY:
		return on_gpadl_body(s, len, m);
	case H_GPADL_TEARDOWN:
		return on_gpadl_teardown(s, m);
	case H_OPEN:
		return on_open_channel(s, m);
	case H_CLOSE:
		return on_close_channel(s, m);
	case H_RELEASED:
		return on_relid_released(s, m);
	case H_MODIFY:
		return on_modify_channel(s, m);
	}
	return -VMBUS_EINVAL;
}

int vmbus_server_on_message(struct vmbus_server *s, u32 connection_id, const void *msg, u32 len)
{
	const struct server_handler *h;
	union server_msg m;

	if (len < sizeof(m.hdr) || len > sizeof(m))
		return -VMBUS_EINVAL;
	/* One copy: the guest cannot change the message while we look at it. */
	memcpy(m.raw, msg, len);
	if (m.hdr.msgtype >= CHANNELMSG_COUNT)
		return -VMBUS_EINVAL;
	h = &handlers[m.hdr.msgtype];
	if (h->kind == H_NONE || len < h->min_len)
		return -VMBUS_EINVAL;
	if (h->kind != H_INITIATE &&
	    (s->state == VMBUS_SERVER_DISCONNECTED || connection_id != s->msg_conn_id))
		return -VMBUS_EPROTO;
	return dispatch(s, connection_id, h->kind, len, &m);
}

/* --- the embedder's side ---------------------------------------------------------------- */

void vmbus_server_init(struct vmbus_server *s, const struct vmbus_server_ops *ops, void *ctx,
		       const struct vmbus_server_config *cfg)
{
	memset(s, 0, sizeof(*s));
	s->ops = ops;
	s->ctx = ctx;
	if (cfg)
		s->cfg = *cfg;
	s->msg_sint = VMBUS_MESSAGE_SINT;
}

void vmbus_server_reset(struct vmbus_server *s)
{
	reset_guest_state(s);
}

int vmbus_server_add_channel(struct vmbus_server *s, const struct vmbus_channel_offer *offer, void *priv)
{
	u32 i;

	for (i = 0; i < VMBUS_SERVER_MAX_CHANNELS; i++) {
		struct vmbus_server_channel *ch = &s->channels[i];

		if (ch->state != VMBUS_CHAN_FREE)
			continue;
		memset(ch, 0, sizeof(*ch));
		ch->relid = i + 1;
		ch->offer = *offer;
		ch->connection_id = VMBUS_SERVER_CONNID_BASE + ch->relid;
		ch->priv = priv;
		ch->state = VMBUS_CHAN_REGISTERED;
		/* Offers made after ALLOFFERS_DELIVERED go out at once (hot add). */
		if (s->state == VMBUS_SERVER_OFFERED)
			post_offer(s, ch);
		return (int)ch->relid;
	}
	return -VMBUS_ENOSPC;
}

int vmbus_server_remove_channel(struct vmbus_server *s, u32 relid)
{
	struct vmbus_server_channel *ch = vmbus_server_channel(s, relid);
	struct vmbus_channel_rescind_offer m = { .child_relid = relid };

	if (!ch || ch->state == VMBUS_CHAN_RESCINDED)
		return -VMBUS_EINVAL;
	if (ch->state == VMBUS_CHAN_REGISTERED) {
		memset(ch, 0, sizeof(*ch));
		return 0;
	}
	close_rings(s, ch);
	ch->state = VMBUS_CHAN_RESCINDED;
	return post(s, &m, sizeof(m), CHANNELMSG_RESCIND_CHANNELOFFER);
}

void vmbus_server_signal(struct vmbus_server *s, const struct vmbus_server_channel *ch)
{
	if (ch->state == VMBUS_CHAN_OPEN)
		s->ops->signal_guest(s->ctx, ch->target_vp, s->msg_sint, ch->relid);
}
