/*
 * Host -> guest channel messages waiting for a free guest message buffer.
 * The SynIC port behind the guest's message SINT holds a few messages; a
 * burst (offers, GPADL answers) can find it full, and the channel server
 * needs every message delivered, in order. A fixed ring, no allocation.
 */
#include "vsp/vsp.h"

void vsp_msgq_init(struct vsp_msgq *q)
{
	q->head = 0;
	q->count = 0;
}

bool vsp_msgq_push(struct vsp_msgq *q, u32 vp, u8 sint, const void *msg, u32 len)
{
	struct vsp_msg *m;

	if (q->count == VSP_MSGQ_DEPTH || len > VMBUS_MSG_MAX_SIZE)
		return false;
	m = &q->q[(q->head + q->count) % VSP_MSGQ_DEPTH];
	m->vp = vp;
	m->sint = sint;
	m->len = (u8)len;
	memcpy(m->data, msg, len);
	q->count++;
	return true;
}

const struct vsp_msg *vsp_msgq_head(const struct vsp_msgq *q)
{
	return q->count ? &q->q[q->head] : NULL;
}

void vsp_msgq_pop(struct vsp_msgq *q)
{
	if (!q->count)
		return;
	q->head = (q->head + 1) % VSP_MSGQ_DEPTH;
	q->count--;
}
