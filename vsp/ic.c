/*
 * The host's half of the IC framework: build NEGOTIATE and service
 * requests, match the guest's responses against the one outstanding
 * request. What the guest does with them is Linux's vmbus_prep_negotiate_resp
 * and the hv_utils channel callbacks (tests/payloads/vmbus_ic_guest.c
 * mirrors them for our test child).
 */
#include "vsp/ic.h"

void ic_host_reset(struct ic_host *ic)
{
	ic->state = IC_HOST_IDLE;
	ic->fw_version = 0;
	ic->msg_version = 0;
	ic->pending = false;
	ic->bad = 0;
	ic->next_txn = 0;
	ic->next_trans = 1;
}

static struct ic_version version_of(u32 v)
{
	return (struct ic_version){ (u16)(v >> 16), (u16)v };
}

static u32 version_value(struct ic_version v)
{
	return IC_VERSION(v.major, v.minor);
}

/* Pipe header and IC header in front of a body of `len` bytes in ic->req. */
static u32 frame(struct ic_host *ic, u16 type, u32 fw, u32 msg, u16 len)
{
	struct vmbuspipe_hdr *pipe = (struct vmbuspipe_hdr *)ic->req;
	struct icmsg_hdr *hdr = (struct icmsg_hdr *)(ic->req + sizeof(*pipe));

	pipe->flags = IC_PIPE_PACKET_TYPE_DATA;
	pipe->msgsize = (u32)(sizeof(*hdr) + len);
	memset(hdr, 0, sizeof(*hdr));
	hdr->icverframe = version_of(fw);
	hdr->icmsgtype = type;
	hdr->icvermsg = version_of(msg);
	hdr->icmsgsize = len;
	hdr->ictransaction_id = ic->next_txn;
	hdr->icflags = ICMSGHDRFLAG_TRANSACTION | ICMSGHDRFLAG_REQUEST;
	return (u32)ICMSG_HDR + len;
}

static int ic_send(struct ic_host *ic, struct vsp *v, u16 type, u32 len)
{
	int ret = vsp_send_inband(v, ic->next_trans, 0, ic->req, len);

	if (ret)
		return ret;
	ic->pending = true;
	ic->pending_type = type;
	ic->pending_txn = ic->next_txn++;
	ic->pending_trans = ic->next_trans++;
	ic->pending_len = len;
	ic->pending_since = vsp_now(v);
	return 0;
}

int ic_host_negotiate(struct ic_host *ic, struct vsp *v)
{
	struct icmsg_negotiate *neg = (struct icmsg_negotiate *)(ic->req + ICMSG_HDR);
	u32 i, n = ic->fw_count + ic->msg_count;
	u16 body = (u16)(sizeof(*neg) + n * sizeof(struct ic_version));
	u32 len;
	int ret;

	if (!ic->fw_count || !ic->msg_count || ICMSG_NEGOTIATE_PKT_SIZE(ic->fw_count, ic->msg_count) > sizeof(ic->req))
		return -VMBUS_EINVAL;
	/* Before agreement the header carries the oldest versions we speak. */
	len = frame(ic, ICMSGTYPE_NEGOTIATE, ic->fw_versions[ic->fw_count - 1],
		    ic->msg_versions[ic->msg_count - 1], body);
	neg->icframe_vercnt = (u16)ic->fw_count;
	neg->icmsg_vercnt = (u16)ic->msg_count;
	neg->reserved = 0;
	for (i = 0; i < ic->fw_count; i++)
		neg->icversion_data[i] = version_of(ic->fw_versions[i]);
	for (i = 0; i < ic->msg_count; i++)
		neg->icversion_data[ic->fw_count + i] = version_of(ic->msg_versions[i]);
	ret = ic_send(ic, v, ICMSGTYPE_NEGOTIATE, len);
	if (!ret)
		ic->state = IC_HOST_NEGOTIATING;
	return ret;
}

int ic_host_request(struct ic_host *ic, struct vsp *v, u16 type, const void *body, u16 len)
{
	u32 n;

	if (ic->state != IC_HOST_READY || ic->pending)
		return -VMBUS_EPROTO;
	if (ICMSG_HDR + len > sizeof(ic->req))
		return -VMBUS_EINVAL;
	n = frame(ic, type, ic->fw_version, ic->msg_version, len);
	memcpy(ic->req + ICMSG_HDR, body, len);
	return ic_send(ic, v, type, n);
}

static bool offered(const u32 *list, u32 count, u32 v)
{
	u32 i;

	for (i = 0; i < count; i++)
		if (list[i] == v)
			return true;
	return false;
}

/* The guest's negotiate answer: one version of each kind we offered, or none. */
static void negotiated(struct ic_host *ic, const u8 *data, u32 len)
{
	const struct icmsg_negotiate *neg = (const struct icmsg_negotiate *)(data + ICMSG_HDR);
	struct ic_version fw, msg;

	if (len < ICMSG_NEGOTIATE_PKT_SIZE(1, 1)) {
		ic->bad++;
		ic->state = IC_HOST_FAILED;
		return;
	}
	if (neg->icframe_vercnt == 0 && neg->icmsg_vercnt == 0) {
		ic->state = IC_HOST_FAILED;
		return;
	}
	memcpy(&fw, &neg->icversion_data[0], sizeof(fw));
	memcpy(&msg, &neg->icversion_data[1], sizeof(msg));
	if (neg->icframe_vercnt != 1 || neg->icmsg_vercnt != 1 ||
	    !offered(ic->fw_versions, ic->fw_count, version_value(fw)) ||
	    !offered(ic->msg_versions, ic->msg_count, version_value(msg))) {
		ic->bad++;
		ic->state = IC_HOST_FAILED;
		return;
	}
	ic->fw_version = version_value(fw);
	ic->msg_version = version_value(msg);
	ic->state = IC_HOST_READY;
}

int ic_host_response(struct ic_host *ic, const struct vsp_packet *p, const u8 **body, u32 *body_len,
		     u32 *status)
{
	const struct vmbuspipe_hdr *pipe = (const struct vmbuspipe_hdr *)p->data;
	const struct vmbuspipe_hdr *sent = (const struct vmbuspipe_hdr *)ic->req;
	const struct icmsg_hdr *hdr = (const struct icmsg_hdr *)(p->data + sizeof(*pipe));

	/* Linux answers with exactly the (padded) bytes it received, same transaction id. */
	if (!ic->pending || p->type != VM_PKT_DATA_INBAND || p->trans_id != ic->pending_trans ||
	    p->len != ALIGN_UP(ic->pending_len, 8) || pipe->flags != sent->flags ||
	    pipe->msgsize != sent->msgsize || hdr->icmsgtype != ic->pending_type ||
	    hdr->ictransaction_id != ic->pending_txn ||
	    hdr->icflags != (ICMSGHDRFLAG_TRANSACTION | ICMSGHDRFLAG_RESPONSE)) {
		ic->bad++;
		return 0;
	}
	ic->pending = false;
	*status = hdr->status;
	*body = p->data + ICMSG_HDR;
	*body_len = ic->pending_len - (u32)ICMSG_HDR;
	if (hdr->icmsgtype == ICMSGTYPE_NEGOTIATE) {
		if (hdr->status != IC_S_OK) {
			ic->bad++;
			ic->state = IC_HOST_FAILED;
		} else {
			negotiated(ic, p->data, p->len);
		}
	}
	return 1;
}
