/*
 * The guest's half of the IC framework, behaving as Linux's hv_utils does
 * (see vmbus_ic_guest.h). The quirks are Linux's: on a negotiate message it
 * cannot use it still answers, with counts 0 and the raw counts in the
 * version slots; a short heartbeat ends the read loop without an answer.
 */
#include "vmbus_ic_guest.h"

const u32 ic_guest_fw_versions[IC_GUEST_VERSION_COUNT] = { IC_FRAMEWORK_VERSION_3, IC_FRAMEWORK_VERSION_1 };
const u32 ic_guest_hb_versions[IC_GUEST_VERSION_COUNT] = { IC_VERSION(3, 0), IC_VERSION(1, 0) };

static bool find(const struct icmsg_negotiate *neg, u32 first, u32 count, u32 want, struct ic_version *got)
{
	u32 j;

	for (j = first; j < first + count; j++) {
		struct ic_version v = neg->icversion_data[j];

		if (v.major == (u16)(want >> 16) && v.minor == (u16)want) {
			*got = v;
			return true;
		}
	}
	return false;
}

bool ic_guest_negotiate(u8 *buf, u32 buflen, const u32 *fw, u32 fw_count, const u32 *srv, u32 srv_count,
			u32 *nego_fw, u32 *nego_srv)
{
	struct icmsg_hdr *hdr = (struct icmsg_hdr *)(buf + sizeof(struct vmbuspipe_hdr));
	struct icmsg_negotiate *neg = (struct icmsg_negotiate *)(buf + ICMSG_HDR);
	struct ic_version frame, msg;
	bool found = false;
	u32 i, nfw, nmsg;

	/* Not even the two counts: leave the message alone. */
	if (buflen < ICMSG_HDR + __builtin_offsetof(struct icmsg_negotiate, reserved))
		return false;
	hdr->icmsgsize = 0x10;
	nfw = neg->icframe_vercnt;
	nmsg = neg->icmsg_vercnt;
	frame = (struct ic_version){ (u16)nfw, 0 };
	msg = (struct ic_version){ (u16)nmsg, 0 };
	if (nfw <= IC_VERSION_NEGOTIATION_MAX_VER_COUNT && nmsg <= IC_VERSION_NEGOTIATION_MAX_VER_COUNT &&
	    ICMSG_NEGOTIATE_PKT_SIZE(nfw, nmsg) <= buflen) {
		for (i = 0; i < fw_count && !found; i++)
			found = find(neg, 0, nfw, fw[i], &frame);
		if (found) {
			found = false;
			for (i = 0; i < srv_count && !found; i++)
				found = find(neg, nfw, nmsg, srv[i], &msg);
		}
	}
	neg->icframe_vercnt = found ? 1 : 0;
	neg->icmsg_vercnt = found ? 1 : 0;
	if (nego_fw)
		*nego_fw = IC_VERSION(frame.major, frame.minor);
	if (nego_srv)
		*nego_srv = IC_VERSION(msg.major, msg.minor);
	neg->icversion_data[0] = frame;
	neg->icversion_data[1] = msg;
	return found;
}

void ic_guest_heartbeat_init(struct ic_guest_heartbeat *st)
{
	memset(st, 0, sizeof(*st));
	st->fw_versions = ic_guest_fw_versions;
	st->fw_count = IC_GUEST_VERSION_COUNT;
	st->hb_versions = ic_guest_hb_versions;
	st->hb_count = IC_GUEST_VERSION_COUNT;
}

bool ic_guest_heartbeat(struct ic_guest_heartbeat *st, u8 *buf, u32 recvlen)
{
	struct icmsg_hdr *hdr = (struct icmsg_hdr *)(buf + sizeof(struct vmbuspipe_hdr));

	if (recvlen < ICMSG_HDR) {
		st->short_packets++;
		return false;
	}
	if (hdr->icmsgtype == ICMSGTYPE_NEGOTIATE) {
		st->negotiations++;
		if (ic_guest_negotiate(buf, recvlen, st->fw_versions, st->fw_count, st->hb_versions, st->hb_count,
				       &st->fw_version, &st->hb_version))
			st->negotiated++;
	} else if (hdr->icmsgtype == ICMSGTYPE_HEARTBEAT) {
		struct heartbeat_msg_data *m = (struct heartbeat_msg_data *)(buf + ICMSG_HDR);

		/* The reserved words need not be there; the sequence number must. */
		if (recvlen < ICMSG_HDR + sizeof(u64)) {
			st->short_packets++;
			return false;
		}
		m->seq_num += 1;
		st->last_seq = m->seq_num;
		st->heartbeats++;
	} else {
		hdr->status = IC_E_FAIL;
		st->unknown++;
	}
	hdr->icflags = ICMSGHDRFLAG_TRANSACTION | ICMSGHDRFLAG_RESPONSE;
	return true;
}
