/*
 * The VSP host: the channel management server wired to the embedder's
 * transport, the registry of VSPs by relid, guest messages, and the run
 * loop that gives each VSP its signalled channels and timers.
 */
#include "vsp/vsp.h"

/* --- the server's callbacks ---------------------------------------------------- */

/* In order: once anything waits in the queue, later messages queue behind it. */
static int srv_post_msg(void *ctx, u32 vp, u8 sint, const void *msg, u32 len)
{
	struct vsp_host *h = ctx;
	int ret;

	if (!h->msgq.count) {
		ret = h->t->post_msg(h->ctx, vp, sint, msg, len);
		if (ret != -VMBUS_EAGAIN) {
			if (ret)
				h->stats.messages_lost++;
			else
				h->stats.messages_out++;
			return ret;
		}
	}
	if (!vsp_msgq_push(&h->msgq, vp, sint, msg, len)) {
		h->stats.messages_lost++;
		return -VMBUS_ENOSPC;
	}
	h->stats.messages_queued++;
	return 0;
}

static void srv_signal_guest(void *ctx, u32 vp, u8 sint, u32 relid)
{
	struct vsp_host *h = ctx;

	h->t->signal_guest(h->ctx, vp, sint, relid);
}

static void *srv_map_pages(void *ctx, const u64 *pfns, u32 count)
{
	struct vsp_host *h = ctx;

	return h->t->map_pages(h->ctx, pfns, count);
}

static void srv_unmap_pages(void *ctx, void *va, u32 count)
{
	struct vsp_host *h = ctx;

	h->t->unmap_pages(h->ctx, va, count);
}

static void *srv_alloc(void *ctx, size_t size)
{
	struct vsp_host *h = ctx;

	return h->t->alloc(h->ctx, size);
}

static void srv_free(void *ctx, void *p, size_t size)
{
	struct vsp_host *h = ctx;

	h->t->free(h->ctx, p, size);
}

static bool ring_fits(u32 size, u32 min, u32 max)
{
	return size >= min && (!max || size <= max);
}

static u32 srv_channel_opened(void *ctx, struct vmbus_server_channel *ch, const u8 *userdata)
{
	struct vsp_host *h = ctx;
	struct vsp *v = ch->priv;
	const struct vsp_class *c = v->cls;
	u32 status;

	if (!ring_fits(ch->in.m.size, c->ring_in_min, c->ring_in_max) ||
	    !ring_fits(ch->out.m.size, c->ring_out_min, c->ring_out_max))
		return VMBUS_STATUS_UNSUCCESSFUL;
	status = c->open ? c->open(v, userdata) : 0;
	if (!status)
		vsp_channel_opened(h, v, ch);
	return status;
}

static void srv_channel_closed(void *ctx, struct vmbus_server_channel *ch)
{
	struct vsp *v = ch->priv;

	(void)ctx;
	if (v->state != VSP_OPEN)
		return;
	if (v->cls->close)
		v->cls->close(v);
	v->ch = NULL;
	v->event = false;
	v->want_signal = false;
	v->blocked = 0;
	v->state = VSP_OFFERED;
}

static const struct vmbus_server_ops server_ops = {
	.post_msg = srv_post_msg,
	.signal_guest = srv_signal_guest,
	.map_pages = srv_map_pages,
	.unmap_pages = srv_unmap_pages,
	.alloc = srv_alloc,
	.free = srv_free,
	.channel_opened = srv_channel_opened,
	.channel_closed = srv_channel_closed,
};

/* --- registry ---------------------------------------------------------------------- */

void vsp_host_init(struct vsp_host *h, const struct vsp_transport_ops *t, void *ctx,
		   const struct vsp_host_config *cfg)
{
	memset(h, 0, sizeof(*h));
	h->t = t;
	h->ctx = ctx;
	if (cfg)
		h->cfg = *cfg;
	vsp_msgq_init(&h->msgq);
	vmbus_server_init(&h->server, &server_ops, h, &h->cfg.server);
}

static void detach(struct vsp_host *h, struct vsp *v)
{
	u32 relid = v->relid;

	h->vsps[relid] = NULL;
	v->relid = 0;
	v->ch = NULL;
	v->state = VSP_DETACHED;
	h->t->channel_removed(h->ctx, relid, VMBUS_SERVER_CONNID_BASE + relid);
}

int vsp_host_add(struct vsp_host *h, struct vsp *v)
{
	struct vmbus_channel_offer offer;
	int relid, ret;

	if (!v->cls || !v->cls->packet || v->state != VSP_DETACHED)
		return -VMBUS_EINVAL;
	memset(&offer, 0, sizeof(offer));
	offer.if_type = v->cls->class_id;
	offer.if_instance = v->instance;
	offer.chn_flags = v->cls->chn_flags;
	memset(&v->stats, 0, sizeof(v->stats));
	v->host = h;
	v->event = v->want_signal = v->broken = false;
	v->blocked = 0;
	v->ch = NULL;
	relid = vmbus_server_add_channel(&h->server, &offer, v);
	if (relid < 0)
		return relid;
	ret = h->t->channel_added(h->ctx, (u32)relid, VMBUS_SERVER_CONNID_BASE + (u32)relid);
	if (ret) {
		vmbus_server_remove_channel(&h->server, (u32)relid);
		return ret;
	}
	v->relid = (u32)relid;
	v->state = VSP_OFFERED;
	h->vsps[relid] = v;
	return relid;
}

/* A rescinded channel whose relid the guest released (or forgot in an unload). */
static void reap(struct vsp_host *h)
{
	u32 relid;

	for (relid = 1; relid <= VMBUS_SERVER_MAX_CHANNELS; relid++) {
		struct vsp *v = h->vsps[relid];

		if (v && v->state == VSP_RESCINDED && !vmbus_server_channel(&h->server, relid))
			detach(h, v);
	}
}

int vsp_host_remove(struct vsp_host *h, struct vsp *v)
{
	int ret;

	if (v->host != h || (v->state != VSP_OFFERED && v->state != VSP_OPEN))
		return -VMBUS_EINVAL;
	ret = vmbus_server_remove_channel(&h->server, v->relid);
	if (ret)
		return ret;
	v->state = VSP_RESCINDED;
	/* Never offered: the server forgot it at once. */
	reap(h);
	return 0;
}

struct vsp *vsp_host_by_connid(struct vsp_host *h, u32 connection_id)
{
	u32 relid = connection_id - VMBUS_SERVER_CONNID_BASE;

	return relid >= 1 && relid <= VMBUS_SERVER_MAX_CHANNELS ? h->vsps[relid] : NULL;
}

/* --- the guest's side ---------------------------------------------------------------- */

int vsp_host_message(struct vsp_host *h, u32 connection_id, const void *msg, u32 len)
{
	int ret;

	h->stats.messages_in++;
	ret = vmbus_server_on_message(&h->server, connection_id, msg, len);
	if (ret)
		h->stats.messages_bad++;
	reap(h);
	return ret;
}

void vsp_host_event(struct vsp_host *h, u32 relid)
{
	struct vsp *v = relid >= 1 && relid <= VMBUS_SERVER_MAX_CHANNELS ? h->vsps[relid] : NULL;

	if (!v)
		return;
	v->stats.signals_in++;
	v->event = true;
}

static u32 flush_messages(struct vsp_host *h)
{
	const struct vsp_msg *m;
	u32 n = 0;

	while ((m = vsp_msgq_head(&h->msgq))) {
		int ret = h->t->post_msg(h->ctx, m->vp, m->sint, m->data, m->len);

		if (ret == -VMBUS_EAGAIN)
			break;
		if (ret)
			h->stats.messages_lost++;
		else
			h->stats.messages_out++;
		vsp_msgq_pop(&h->msgq);
		n++;
	}
	return n;
}

static void signal_if_wanted(struct vsp_host *h, struct vsp *v)
{
	if (!v->want_signal || v->state != VSP_OPEN)
		return;
	v->want_signal = false;
	v->stats.signals_out++;
	vmbus_server_signal(&h->server, v->ch);
}

u32 vsp_host_run(struct vsp_host *h, u64 now)
{
	u32 relid, n;

	h->now = now;
	h->stats.runs++;
	n = flush_messages(h);
	for (relid = 1; relid <= VMBUS_SERVER_MAX_CHANNELS; relid++) {
		struct vsp *v = h->vsps[relid];

		if (!v || v->state != VSP_OPEN)
			continue;
		if (v->event || v->blocked || h->cfg.poll_rings) {
			v->event = false;
			n += vsp_channel_run(h, v);
		}
		if (v->cls->poll && v->state == VSP_OPEN)
			v->cls->poll(v);
		signal_if_wanted(h, v);
	}
	return n;
}

void vsp_host_set_polling(struct vsp_host *h, bool poll)
{
	u32 relid;

	h->cfg.poll_rings = poll;
	for (relid = 1; relid <= VMBUS_SERVER_MAX_CHANNELS; relid++) {
		struct vsp *v = h->vsps[relid];

		if (!v || v->state != VSP_OPEN || v->broken)
			continue;
		if (poll) {
			vmbus_ring_mask(&v->ch->in);
		} else if (vmbus_ring_unmask(&v->ch->in)) {
			/* Packets came while masked: nobody will signal them. */
			v->event = true;
		}
	}
}

void vsp_host_reset(struct vsp_host *h)
{
	vmbus_server_reset(&h->server);
	vsp_msgq_init(&h->msgq);
	reap(h);
}
