/*
 * Heartbeat VSP: IC negotiation, then one heartbeat request at a time.
 * Linux's side is heartbeat_onchannelcallback (drivers/hv/hv_util.c): it
 * answers NEGOTIATE with vmbus_prep_negotiate_resp and each heartbeat with
 * seq_num + 1, in the same buffer, as an in-band packet with the request's
 * transaction id.
 */
#include "vsp/heartbeat.h"

const u32 vsp_heartbeat_fw_versions[VSP_HEARTBEAT_VERSION_COUNT] = { IC_FRAMEWORK_VERSION_3,
								      IC_FRAMEWORK_VERSION_1 };
const u32 vsp_heartbeat_versions[VSP_HEARTBEAT_VERSION_COUNT] = { IC_VERSION(3, 0), IC_VERSION(1, 0) };

static bool due(u64 now, u64 when)
{
	return (s64)(now - when) >= 0;
}

static u32 hb_open(struct vsp *v, const u8 *userdata)
{
	struct vsp_heartbeat *hb = v->priv;

	(void)userdata;
	ic_host_reset(&hb->ic);
	hb->opens++;
	return 0;
}

static void hb_close(struct vsp *v)
{
	struct vsp_heartbeat *hb = v->priv;

	ic_host_reset(&hb->ic);
}

static void send_heartbeat(struct vsp *v, struct vsp_heartbeat *hb)
{
	struct heartbeat_msg_data m;

	memset(&m, 0, sizeof(m));
	m.seq_num = hb->seq;
	if (!ic_host_request(&hb->ic, v, ICMSGTYPE_HEARTBEAT, &m, sizeof(m)))
		hb->sent++;
}

/* A request (or the negotiation) went unanswered for too long. */
static bool timed_out(struct vsp_heartbeat *hb, u64 now)
{
	return hb->ic.pending && hb->timeout && due(now, hb->ic.pending_since + hb->timeout);
}

static void hb_poll(struct vsp *v)
{
	struct vsp_heartbeat *hb = v->priv;
	u64 now = vsp_now(v);

	switch (hb->ic.state) {
	case IC_HOST_IDLE:
		/* The channel is open and the guest knows it: negotiate first. */
		ic_host_negotiate(&hb->ic, v);
		return;
	case IC_HOST_NEGOTIATING:
		/* Unanswered: ask again (a late answer no longer matches and is counted bad). */
		if (timed_out(hb, now)) {
			hb->missed++;
			hb->ic.pending = false;
			ic_host_negotiate(&hb->ic, v);
		}
		return;
	case IC_HOST_READY:
		if (timed_out(hb, now)) {
			hb->missed++;
			hb->ic.pending = false;
			hb->seq++;
			hb->next_due = now;
		}
		if (!hb->ic.pending && due(now, hb->next_due))
			send_heartbeat(v, hb);
		return;
	}
}

static int hb_packet(struct vsp *v, const struct vsp_packet *p)
{
	struct vsp_heartbeat *hb = v->priv;
	struct heartbeat_msg_data m;
	const u8 *body;
	u32 len, status;

	if (!ic_host_response(&hb->ic, p, &body, &len, &status))
		return 0;
	if (hb->ic.pending_type == ICMSGTYPE_NEGOTIATE) {
		if (hb->ic.state == IC_HOST_READY) {
			hb->fw_version = hb->ic.fw_version;
			hb->hb_version = hb->ic.msg_version;
		}
		hb->next_due = vsp_now(v);
		return 0;
	}
	memcpy(&m, body, sizeof(m));
	if (status != IC_S_OK) {
		hb->failed++;
	} else if (m.seq_num != hb->seq + 1) {
		hb->wrong++;
	} else {
		hb->answered++;
	}
	/* The next request carries the number the guest was to answer with. */
	hb->seq = hb->seq + 1;
	hb->next_due = vsp_now(v) + hb->interval;
	return 0;
}

const struct vsp_class vsp_heartbeat_class = {
	.name = "heartbeat",
	.class_id = VSP_HEARTBEAT_CLASS_ID,
	/* Messages are small; Linux gives each direction 3 data pages. */
	.ring_in_min = PAGE_SIZE,
	.ring_out_min = PAGE_SIZE,
	.max_packet = PAGE_SIZE,
	.open = hb_open,
	.close = hb_close,
	.packet = hb_packet,
	.poll = hb_poll,
};

void vsp_heartbeat_init(struct vsp *v, struct vsp_heartbeat *hb, const vmbus_guid_t *instance, u64 interval,
			u64 timeout)
{
	memset(v, 0, sizeof(*v));
	memset(hb, 0, sizeof(*hb));
	hb->interval = interval;
	hb->timeout = timeout;
	hb->ic.fw_versions = vsp_heartbeat_fw_versions;
	hb->ic.fw_count = VSP_HEARTBEAT_VERSION_COUNT;
	hb->ic.msg_versions = vsp_heartbeat_versions;
	hb->ic.msg_count = VSP_HEARTBEAT_VERSION_COUNT;
	ic_host_reset(&hb->ic);
	v->cls = &vsp_heartbeat_class;
	v->instance = *instance;
	v->priv = hb;
}
