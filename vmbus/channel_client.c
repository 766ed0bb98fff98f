/*
 * The guest side of the VMBus channel management protocol, message for
 * message what Linux's hv_vmbus sends (connection.c vmbus_negotiate_version,
 * channel_mgmt.c vmbus_request_offers, channel.c create_gpadl_header,
 * __vmbus_open, vmbus_close_internal, vmbus_teardown_gpadl).
 */
#include "vmbus/channel_client.h"

union client_msg {
	struct vmbus_channel_message_header hdr;
	struct vmbus_channel_version_response version;
	struct vmbus_channel_offer_channel offer;
	struct vmbus_channel_rescind_offer rescind;
	struct vmbus_channel_gpadl_created gpadl_created;
	struct vmbus_channel_gpadl_torndown gpadl_torndown;
	struct vmbus_channel_open_result open_result;
	struct vmbus_channel_gpadl_header gpadl_header;
	struct vmbus_channel_gpadl_body gpadl_body;
	u8 raw[VMBUS_MSG_MAX_SIZE];
} __aligned(8);

static int post(struct vmbus_client *c, u32 connid, void *msg, u32 len, u32 type)
{
	((struct vmbus_channel_message_header *)msg)->msgtype = type;
	return c->ops->post_msg(c->ctx, connid, msg, len);
}

static int post_conn(struct vmbus_client *c, void *msg, u32 len, u32 type)
{
	if (c->state != VMBUS_CLIENT_CONNECTED)
		return -VMBUS_EPROTO;
	return post(c, c->msg_conn_id, msg, len, type);
}

void vmbus_client_init(struct vmbus_client *c, const struct vmbus_client_ops *ops, void *ctx,
		       const struct vmbus_client_config *cfg)
{
	memset(c, 0, sizeof(*c));
	c->ops = ops;
	c->ctx = ctx;
	c->cfg = *cfg;
	if (!c->cfg.msg_sint)
		c->cfg.msg_sint = VMBUS_MESSAGE_SINT;
	c->next_gpadl = VMBUS_FIRST_GPADL_HANDLE;
}

/* --- connection ------------------------------------------------------------------ */

static int send_initiate_contact(struct vmbus_client *c)
{
	u32 version = vmbus_versions[c->try_index];
	struct vmbus_channel_initiate_contact m = {
		.vmbus_version_requested = version,
		.target_vcpu = c->cfg.target_vcpu,
		.monitor_page1 = c->cfg.monitor_page1,
		.monitor_page2 = c->cfg.monitor_page2,
	};

	/* >= 5.0: no interrupt page; its bytes name the SINT and VTL instead. */
	if (version >= VERSION_WIN10_V5) {
		m.msg_sint = c->cfg.msg_sint;
		m.msg_vtl = c->cfg.msg_vtl;
	} else {
		m.interrupt_page = c->cfg.interrupt_page;
	}
	return post(c, vmbus_initiate_contact_connid(version), &m, sizeof(m), CHANNELMSG_INITIATE_CONTACT);
}

int vmbus_client_connect(struct vmbus_client *c)
{
	if (c->state != VMBUS_CLIENT_DISCONNECTED && c->state != VMBUS_CLIENT_REFUSED)
		return -VMBUS_EPROTO;
	c->try_index = 0;
	c->state = VMBUS_CLIENT_CONNECTING;
	return send_initiate_contact(c);
}

static int on_version_response(struct vmbus_client *c, const union client_msg *m)
{
	u32 version = vmbus_versions[c->try_index];

	if (c->state != VMBUS_CLIENT_CONNECTING)
		return -VMBUS_EPROTO;
	if (!m->version.version_supported) {
		if (++c->try_index == VMBUS_VERSION_COUNT) {
			c->state = VMBUS_CLIENT_REFUSED;
			return 0;
		}
		return send_initiate_contact(c);
	}
	c->version = version;
	c->msg_conn_id = version >= VERSION_WIN10_V5 ? m->version.msg_conn_id : VMBUS_MESSAGE_CONNECTION_ID;
	c->state = VMBUS_CLIENT_CONNECTED;
	return 0;
}

int vmbus_client_request_offers(struct vmbus_client *c)
{
	struct vmbus_channel_message_header m = { 0 };

	return post_conn(c, &m, sizeof(m), CHANNELMSG_REQUESTOFFERS);
}

int vmbus_client_unload(struct vmbus_client *c)
{
	struct vmbus_channel_message_header m = { 0 };
	int ret = post_conn(c, &m, sizeof(m), CHANNELMSG_UNLOAD);

	if (!ret)
		c->state = VMBUS_CLIENT_UNLOADING;
	return ret;
}

static int on_unload_response(struct vmbus_client *c)
{
	const struct vmbus_client_ops *ops = c->ops;
	struct vmbus_client_config cfg = c->cfg;
	void *ctx = c->ctx;

	if (c->state != VMBUS_CLIENT_UNLOADING)
		return -VMBUS_EPROTO;
	vmbus_client_init(c, ops, ctx, &cfg);
	return 0;
}

/* --- offers ------------------------------------------------------------------------ */

struct vmbus_client_channel *vmbus_client_channel(struct vmbus_client *c, u32 relid)
{
	u32 i;

	for (i = 0; i < VMBUS_CLIENT_MAX_CHANNELS; i++)
		if (c->channels[i].state != VMBUS_CLIENT_CHAN_FREE && c->channels[i].offer.child_relid == relid)
			return &c->channels[i];
	return NULL;
}

struct vmbus_client_channel *vmbus_client_find(struct vmbus_client *c, const vmbus_guid_t *if_type)
{
	u32 i;

	for (i = 0; i < VMBUS_CLIENT_MAX_CHANNELS; i++)
		if (c->channels[i].state == VMBUS_CLIENT_CHAN_OFFERED &&
		    !memcmp(&c->channels[i].offer.offer.if_type, if_type, sizeof(*if_type)))
			return &c->channels[i];
	return NULL;
}

static int on_offer(struct vmbus_client *c, const union client_msg *m)
{
	struct vmbus_client_channel *ch;
	u32 i;

	if (!m->offer.child_relid || vmbus_client_channel(c, m->offer.child_relid))
		return -VMBUS_EPROTO;
	for (i = 0; i < VMBUS_CLIENT_MAX_CHANNELS; i++) {
		ch = &c->channels[i];
		if (ch->state == VMBUS_CLIENT_CHAN_FREE) {
			ch->offer = m->offer;
			ch->open_status = 0;
			ch->state = VMBUS_CLIENT_CHAN_OFFERED;
			return 0;
		}
	}
	return -VMBUS_ENOSPC;
}

static int on_rescind(struct vmbus_client *c, const union client_msg *m)
{
	struct vmbus_client_channel *ch = vmbus_client_channel(c, m->rescind.child_relid);

	if (!ch)
		return -VMBUS_EPROTO;
	ch->state = VMBUS_CLIENT_CHAN_RESCINDED;
	return 0;
}

int vmbus_client_release_relid(struct vmbus_client *c, u32 relid)
{
	struct vmbus_client_channel *ch = vmbus_client_channel(c, relid);
	struct vmbus_channel_relid_released m = { .child_relid = relid };
	int ret;

	if (!ch || ch->state != VMBUS_CLIENT_CHAN_RESCINDED)
		return -VMBUS_EPROTO;
	ret = post_conn(c, &m, sizeof(m), CHANNELMSG_RELID_RELEASED);
	if (!ret)
		memset(ch, 0, sizeof(*ch));
	return ret;
}

/* --- GPADLs ------------------------------------------------------------------------ */

struct vmbus_client_gpadl *vmbus_client_gpadl(struct vmbus_client *c, u32 handle)
{
	u32 i;

	for (i = 0; i < VMBUS_CLIENT_MAX_GPADLS; i++)
		if (c->gpadls[i].state != VMBUS_CLIENT_GPADL_FREE && c->gpadls[i].handle == handle)
			return &c->gpadls[i];
	return NULL;
}

static struct vmbus_client_gpadl *new_gpadl(struct vmbus_client *c, u32 relid)
{
	u32 i;

	for (i = 0; i < VMBUS_CLIENT_MAX_GPADLS; i++) {
		struct vmbus_client_gpadl *g = &c->gpadls[i];

		if (g->state == VMBUS_CLIENT_GPADL_FREE) {
			g->handle = c->next_gpadl++;
			g->relid = relid;
			g->status = 0;
			g->state = VMBUS_CLIENT_GPADL_CREATING;
			return g;
		}
	}
	return NULL;
}

/*
 * create_gpadl_header: one range covering all pages, as many pfns as fit
 * in the GPADL_HEADER (26), the rest in GPADL_BODY messages of up to 28.
 */
static int send_gpadl(struct vmbus_client *c, const struct vmbus_client_gpadl *g, const u64 *pfns, u32 count)
{
	union client_msg m;
	u32 n = MIN(count, (u32)VMBUS_GPADL_HEADER_PFNS), done;
	int ret;

	memset(&m, 0, sizeof(m));
	m.gpadl_header.child_relid = g->relid;
	m.gpadl_header.gpadl = g->handle;
	m.gpadl_header.range_buflen = (u16)(sizeof(struct gpa_range) + count * sizeof(u64));
	m.gpadl_header.rangecount = 1;
	m.gpadl_header.range[0].byte_count = count * PAGE_SIZE;
	m.gpadl_header.range[0].byte_offset = 0;
	memcpy(m.raw + sizeof(m.gpadl_header) + sizeof(struct gpa_range), pfns, n * sizeof(u64));
	ret = post_conn(c, &m, sizeof(m.gpadl_header) + sizeof(struct gpa_range) + n * sizeof(u64),
			CHANNELMSG_GPADL_HEADER);
	for (done = n; !ret && done < count; done += n) {
		n = MIN(count - done, (u32)VMBUS_GPADL_BODY_PFNS);
		memset(&m, 0, sizeof(m));
		m.gpadl_body.gpadl = g->handle;
		memcpy(m.raw + sizeof(m.gpadl_body), pfns + done, n * sizeof(u64));
		ret = post_conn(c, &m, sizeof(m.gpadl_body) + n * sizeof(u64), CHANNELMSG_GPADL_BODY);
	}
	return ret;
}

int vmbus_client_gpadl_create(struct vmbus_client *c, u32 relid, const u64 *pfns, u32 count, u32 *handle)
{
	struct vmbus_client_gpadl *g;
	int ret;

	if (!count || count > VMBUS_CLIENT_GPADL_MAX_PAGES || count > 0xffffffffu / PAGE_SIZE)
		return -VMBUS_EINVAL;
	if (c->state != VMBUS_CLIENT_CONNECTED)
		return -VMBUS_EPROTO;
	g = new_gpadl(c, relid);
	if (!g)
		return -VMBUS_ENOSPC;
	ret = send_gpadl(c, g, pfns, count);
	if (ret) {
		g->state = VMBUS_CLIENT_GPADL_FREE;
		return ret;
	}
	*handle = g->handle;
	return 0;
}

static int on_gpadl_created(struct vmbus_client *c, const union client_msg *m)
{
	struct vmbus_client_gpadl *g = vmbus_client_gpadl(c, m->gpadl_created.gpadl);

	if (!g || g->state != VMBUS_CLIENT_GPADL_CREATING || g->relid != m->gpadl_created.child_relid)
		return -VMBUS_EPROTO;
	g->status = m->gpadl_created.creation_status;
	g->state = g->status ? VMBUS_CLIENT_GPADL_FAILED : VMBUS_CLIENT_GPADL_CREATED;
	return 0;
}

int vmbus_client_gpadl_teardown(struct vmbus_client *c, u32 handle)
{
	struct vmbus_client_gpadl *g = vmbus_client_gpadl(c, handle);
	struct vmbus_channel_gpadl_teardown m = { .gpadl = handle };
	int ret;

	if (!g)
		return -VMBUS_EINVAL;
	/* A GPADL the host refused is only ours to forget. */
	if (g->state == VMBUS_CLIENT_GPADL_FAILED) {
		g->state = VMBUS_CLIENT_GPADL_FREE;
		return 0;
	}
	if (g->state != VMBUS_CLIENT_GPADL_CREATED)
		return -VMBUS_EBUSY;
	m.child_relid = g->relid;
	ret = post_conn(c, &m, sizeof(m), CHANNELMSG_GPADL_TEARDOWN);
	if (!ret)
		g->state = VMBUS_CLIENT_GPADL_TEARING_DOWN;
	return ret;
}

static int on_gpadl_torndown(struct vmbus_client *c, const union client_msg *m)
{
	struct vmbus_client_gpadl *g = vmbus_client_gpadl(c, m->gpadl_torndown.gpadl);

	if (!g || g->state != VMBUS_CLIENT_GPADL_TEARING_DOWN)
		return -VMBUS_EPROTO;
	g->state = VMBUS_CLIENT_GPADL_FREE;
	return 0;
}

/* --- channels ------------------------------------------------------------------------ */

int vmbus_client_rings_init(void *buf, u32 total_pages, u32 downstream, struct vmbus_ring_writer *out,
			    struct vmbus_ring_reader *in)
{
	u8 *base = buf, *down;
	struct vmbus_ring_mem mo, mi;

	if (total_pages < 4 || downstream < 2 || downstream > total_pages - 2 || total_pages > 0xfffffu)
		return -VMBUS_EINVAL;
	down = base + (u64)downstream * PAGE_SIZE;
	vmbus_ring_format((struct hv_ring_buffer *)buf);
	vmbus_ring_format((struct hv_ring_buffer *)down);
	mo = (struct vmbus_ring_mem){ (struct hv_ring_buffer *)buf, base + PAGE_SIZE, (downstream - 1) * PAGE_SIZE };
	mi = (struct vmbus_ring_mem){ (struct hv_ring_buffer *)down, down + PAGE_SIZE,
				      (total_pages - downstream - 1) * PAGE_SIZE };
	if (vmbus_ring_writer_init(out, &mo))
		return -VMBUS_EINVAL;
	return vmbus_ring_reader_init(in, &mi);
}

int vmbus_client_open(struct vmbus_client *c, u32 relid, u32 gpadl, u32 downstream, u32 target_vp,
		      const void *userdata, u32 userdata_len)
{
	struct vmbus_client_channel *ch = vmbus_client_channel(c, relid);
	struct vmbus_channel_open_channel m = {
		.child_relid = relid,
		.openid = relid, /* Linux uses the relid as the open id */
		.ringbuffer_gpadlhandle = gpadl,
		.target_vp = target_vp,
		.downstream_ringbuffer_pageoffset = downstream,
	};
	int ret;

	if (!ch || ch->state != VMBUS_CLIENT_CHAN_OFFERED || userdata_len > sizeof(m.userdata))
		return -VMBUS_EINVAL;
	if (userdata_len)
		memcpy(m.userdata, userdata, userdata_len);
	ret = post_conn(c, &m, sizeof(m), CHANNELMSG_OPENCHANNEL);
	if (!ret)
		ch->state = VMBUS_CLIENT_CHAN_OPENING;
	return ret;
}

static int on_open_result(struct vmbus_client *c, const union client_msg *m)
{
	struct vmbus_client_channel *ch = vmbus_client_channel(c, m->open_result.child_relid);

	if (!ch || ch->state != VMBUS_CLIENT_CHAN_OPENING || m->open_result.openid != ch->offer.child_relid)
		return -VMBUS_EPROTO;
	ch->open_status = m->open_result.status;
	ch->state = ch->open_status ? VMBUS_CLIENT_CHAN_OFFERED : VMBUS_CLIENT_CHAN_OPEN;
	return 0;
}

int vmbus_client_close(struct vmbus_client *c, u32 relid)
{
	struct vmbus_client_channel *ch = vmbus_client_channel(c, relid);
	struct vmbus_channel_close_channel m = { .child_relid = relid };
	int ret;

	if (!ch || (ch->state != VMBUS_CLIENT_CHAN_OPEN && ch->state != VMBUS_CLIENT_CHAN_RESCINDED))
		return -VMBUS_EINVAL;
	ret = post_conn(c, &m, sizeof(m), CHANNELMSG_CLOSECHANNEL);
	if (!ret && ch->state == VMBUS_CLIENT_CHAN_OPEN)
		ch->state = VMBUS_CLIENT_CHAN_OFFERED;
	return ret;
}

void vmbus_client_signal(struct vmbus_client *c, u32 relid)
{
	struct vmbus_client_channel *ch = vmbus_client_channel(c, relid);

	if (ch)
		c->ops->signal_host(c->ctx, ch->offer.connection_id);
}

/* --- dispatch ------------------------------------------------------------------------ */

/* Host-to-guest messages and the least a valid one carries (channel_message_table). */
static const u8 min_len[CHANNELMSG_COUNT] = {
	[CHANNELMSG_OFFERCHANNEL] = sizeof(struct vmbus_channel_offer_channel),
	[CHANNELMSG_RESCIND_CHANNELOFFER] = sizeof(struct vmbus_channel_rescind_offer),
	[CHANNELMSG_ALLOFFERS_DELIVERED] = sizeof(struct vmbus_channel_message_header),
	[CHANNELMSG_OPENCHANNEL_RESULT] = sizeof(struct vmbus_channel_open_result),
	[CHANNELMSG_GPADL_CREATED] = sizeof(struct vmbus_channel_gpadl_created),
	[CHANNELMSG_GPADL_TORNDOWN] = sizeof(struct vmbus_channel_gpadl_torndown),
	[CHANNELMSG_VERSION_RESPONSE] = sizeof(struct vmbus_channel_version_response),
	[CHANNELMSG_UNLOAD_RESPONSE] = sizeof(struct vmbus_channel_message_header),
};

static int dispatch(struct vmbus_client *c, const union client_msg *m)
{
	if (m->hdr.msgtype == CHANNELMSG_VERSION_RESPONSE)
		return on_version_response(c, m);
	if (m->hdr.msgtype == CHANNELMSG_UNLOAD_RESPONSE)
		return on_unload_response(c);
	if (c->state != VMBUS_CLIENT_CONNECTED)
		return -VMBUS_EPROTO;
	switch (m->hdr.msgtype) {
	case CHANNELMSG_OFFERCHANNEL:
		return on_offer(c, m);
	case CHANNELMSG_RESCIND_CHANNELOFFER:
		return on_rescind(c, m);
	case CHANNELMSG_ALLOFFERS_DELIVERED:
		c->offers_done = true;
		return 0;
	case CHANNELMSG_OPENCHANNEL_RESULT:
		return on_open_result(c, m);
	case CHANNELMSG_GPADL_CREATED:
		return on_gpadl_created(c, m);
	case CHANNELMSG_GPADL_TORNDOWN:
		return on_gpadl_torndown(c, m);
	}
	return -VMBUS_EINVAL;
}

int vmbus_client_on_message(struct vmbus_client *c, const void *msg, u32 len)
{
	union client_msg m;

	if (len < sizeof(m.hdr) || len > sizeof(m))
		return -VMBUS_EINVAL;
	memset(&m, 0, sizeof(m));
	memcpy(m.raw, msg, len);
	if (m.hdr.msgtype >= CHANNELMSG_COUNT || !min_len[m.hdr.msgtype] || len < min_len[m.hdr.msgtype])
		return -VMBUS_EINVAL;
	return dispatch(c, &m);
}
