/*
 * Packets on an open channel: the guest -> host ring drained the way
 * Linux's hv_begin_read/hv_end_read loop does, each packet copied out and
 * validated by the vmbus library before the VSP sees it; the send and
 * completion helpers; flow control when the host -> guest ring is full
 * (pending_send_sz: the guest signals us once it has made room).
 */
#include "vsp/vsp.h"

void vsp_channel_opened(struct vsp_host *h, struct vsp *v, struct vmbus_server_channel *ch)
{
	v->ch = ch;
	v->state = VSP_OPEN;
	v->event = false;
	v->want_signal = false;
	v->broken = false;
	v->blocked = 0;
	/* Signal suppression: a masked ring tells the guest not to signal writes. */
	if (h->cfg.poll_rings)
		vmbus_ring_mask(&ch->in);
}

static void broken(struct vsp *v)
{
	v->broken = true;
	v->stats.ring_errors++;
}

/* Copy a packet out of the ring into h->buf (and h->ranges). 0, or < 0 to drop it. */
static int fetch(struct vsp_host *h, struct vsp *v, const struct vmbus_pkt *pkt, struct vsp_packet *p)
{
	u32 max = v->cls->max_packet ? MIN(v->cls->max_packet, (u32)VSP_MAX_PACKET) : VSP_MAX_PACKET;
	u32 body = pkt->len - pkt->hdr_len;
	int ret;

	p->type = pkt->type;
	p->flags = pkt->flags;
	p->trans_id = pkt->trans_id;
	p->ranges = NULL;
	p->range_count = 0;
	if (pkt->type == VM_PKT_DATA_USING_GPA_DIRECT) {
		ret = vmbus_recv_gpa_ranges(&v->ch->in, pkt, h->ranges, sizeof(h->ranges), &p->ranges,
					    &p->range_count);
		if (ret)
			return ret;
	} else if (pkt->type != VM_PKT_DATA_INBAND && pkt->type != VM_PKT_COMP) {
		return -VMBUS_EINVAL;
	}
	if (body > max)
		return -VMBUS_ENOSPC;
	ret = vmbus_ring_pkt_copy(&v->ch->in, pkt, pkt->hdr_len, h->buf, body);
	if (ret)
		return ret;
	p->data = h->buf;
	p->len = body;
	return 0;
}

/* The reply of the last refused send can go now, or we asked the guest to tell us. */
static bool unblocked(struct vsp *v)
{
	if (!v->blocked)
		return true;
	if (!vmbus_ring_want_space(&v->ch->out, v->blocked))
		return false;
	v->blocked = 0;
	return true;
}

u32 vsp_channel_run(struct vsp_host *h, struct vsp *v)
{
	struct vmbus_server_channel *ch = v->ch;
	u32 n = 0;

	if (v->broken || !unblocked(v))
		return 0;
	vmbus_ring_mask(&ch->in);
	for (;;) {
		struct vmbus_pkt pkt;
		struct vsp_packet p;
		bool stalled = false;
		int ret;

		while ((ret = vmbus_ring_peek(&ch->in, &pkt)) == 0) {
			if (fetch(h, v, &pkt, &p)) {
				v->stats.dropped++;
				vmbus_ring_advance(&ch->in, &pkt);
				continue;
			}
			if (v->cls->packet(v, &p) == -VMBUS_EAGAIN) {
				stalled = true;
				break;
			}
			v->stats.packets_in++;
			v->stats.bytes_in += p.len;
			vmbus_ring_advance(&ch->in, &pkt);
			n++;
			if (v->state != VSP_OPEN)
				return n;
		}
		if (ret == -VMBUS_EIO) {
			broken(v);
			return n;
		}
		/* A guest writer waiting for room (pending_send_sz) gets its signal. */
		if (vmbus_ring_read_done(&ch->in))
			v->want_signal = true;
		if (stalled) {
			if (v->blocked && unblocked(v))
				continue; /* the guest made room meanwhile */
			/* Stay masked: the guest signals once it has read (pending_send_sz);
			 * a VSP stalled for its own reasons is retried on the next run. */
			if (!v->blocked)
				v->event = true;
			return n;
		}
		if (h->cfg.poll_rings)
			return n;
		if (!vmbus_ring_unmask(&ch->in))
			return n;
		vmbus_ring_mask(&ch->in); /* a packet slipped in before the unmask */
	}
}

static int sent(struct vsp *v, int ret, bool signal, u32 len)
{
	if (ret == -VMBUS_EAGAIN) {
		v->blocked = vmbus_ring_pkt_footprint(len);
		v->stats.blocked++;
		return ret;
	}
	if (ret == -VMBUS_EIO)
		broken(v);
	if (ret)
		return ret;
	v->want_signal |= signal;
	v->stats.packets_out++;
	v->stats.bytes_out += len;
	return 0;
}

int vsp_send_inband(struct vsp *v, u64 trans_id, u16 flags, const void *data, u32 len)
{
	bool signal = false;
	int ret;

	if (v->state != VSP_OPEN || v->broken)
		return -VMBUS_EPROTO;
	ret = vmbus_send_inband(&v->ch->out, trans_id, flags, data, len, &signal);
	return sent(v, ret, signal, len);
}

int vsp_complete(struct vsp *v, u64 trans_id, const void *data, u32 len)
{
	bool signal = false;
	int ret;

	if (v->state != VSP_OPEN || v->broken)
		return -VMBUS_EPROTO;
	ret = vmbus_send_comp(&v->ch->out, trans_id, data, len, &signal);
	return sent(v, ret, signal, len);
}
