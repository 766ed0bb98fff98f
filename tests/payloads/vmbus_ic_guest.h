/*
 * The guest's half of the Hyper-V IC framework as Linux's hv_utils does it,
 * for our test child (and the host unit tests): vmbus_prep_negotiate_resp
 * (drivers/hv/channel_mgmt.c, with its buffer-length checks) and the body
 * of heartbeat_onchannelcallback (drivers/hv/hv_util.c). Written from
 * Linux's behaviour, not its code.
 */
#ifndef TESTS_PAYLOADS_VMBUS_IC_GUEST_H
#define TESTS_PAYLOADS_VMBUS_IC_GUEST_H

#include "vsp/ic.h"

/* hv_util.c: fw_versions (UTIL_FW_VERSION, UTIL_WS2K8_FW_VERSION) and hb_versions. */
#define IC_GUEST_VERSION_COUNT 2
extern const u32 ic_guest_fw_versions[IC_GUEST_VERSION_COUNT];
extern const u32 ic_guest_hb_versions[IC_GUEST_VERSION_COUNT];

/*
 * Rewrite the NEGOTIATE request in buf (buflen bytes received) into the
 * response: the first of our versions (ours in order, highest first) that
 * the host lists, for the framework and then the service; counts 1, 1, or
 * 0, 0 when there is none. False when nothing matched (or the message was
 * malformed); *nego_* get what Linux reports either way.
 */
bool ic_guest_negotiate(u8 *buf, u32 buflen, const u32 *fw, u32 fw_count, const u32 *srv, u32 srv_count,
			u32 *nego_fw, u32 *nego_srv);

struct ic_guest_heartbeat {
	/* Our version lists (Linux's by default). */
	const u32 *fw_versions, *hb_versions;
	u32 fw_count, hb_count;
	u32 fw_version, hb_version; /* as negotiated */
	u32 negotiations, negotiated;
	u32 heartbeats;             /* answered */
	u64 last_seq;               /* the last sequence number we sent back */
	u32 unknown;                /* other message types: answered with HV_E_FAIL */
	u32 short_packets;          /* dropped */
};

void ic_guest_heartbeat_init(struct ic_guest_heartbeat *st);

/*
 * One packet of recvlen bytes (as vmbus_recvpacket returns it: padded to 8)
 * received on the heartbeat channel. Returns true when buf now holds the
 * reply (send recvlen bytes back in-band with the packet's transaction id),
 * false when Linux gives up on the packet (too short) and stops reading.
 */
bool ic_guest_heartbeat(struct ic_guest_heartbeat *st, u8 *buf, u32 recvlen);

#endif
