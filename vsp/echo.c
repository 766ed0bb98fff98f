/* The echo VSP: in-band packets back to the guest, payload and transaction id unchanged. */
#include "vsp/echo.h"

static u32 echo_open(struct vsp *v, const u8 *userdata)
{
	struct vsp_echo *e = v->priv;

	(void)userdata;
	e->opens++;
	return 0;
}

static void echo_close(struct vsp *v)
{
	struct vsp_echo *e = v->priv;

	e->closes++;
}

static int echo_packet(struct vsp *v, const struct vsp_packet *p)
{
	struct vsp_echo *e = v->priv;
	int ret;

	if (p->type != VM_PKT_DATA_INBAND) {
		e->ignored++;
		return 0;
	}
	if (p->flags & VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED) {
		ret = vsp_complete(v, p->trans_id, p->data, p->len);
		if (!ret)
			e->completions++;
	} else {
		ret = vsp_send_inband(v, p->trans_id, 0, p->data, p->len);
		if (!ret)
			e->inband++;
	}
	/* -VMBUS_EAGAIN: the ring back is full; the framework keeps the packet for later. */
	if (ret == -VMBUS_EAGAIN)
		return ret;
	if (ret)
		e->failed++; /* can never fit the ring back, or the ring is corrupt */
	return 0;
}

const struct vsp_class vsp_echo_class = {
	.name = "echo",
	.class_id = VSP_ECHO_CLASS_ID,
	/* A reply as big as the largest request must fit the ring back. */
	.ring_in_min = PAGE_SIZE,
	.ring_out_min = PAGE_SIZE,
	.max_packet = VSP_MAX_PACKET,
	.open = echo_open,
	.close = echo_close,
	.packet = echo_packet,
};

void vsp_echo_init(struct vsp *v, struct vsp_echo *e, const vmbus_guid_t *instance)
{
	memset(v, 0, sizeof(*v));
	memset(e, 0, sizeof(*e));
	v->cls = &vsp_echo_class;
	v->instance = *instance;
	v->priv = e;
}
