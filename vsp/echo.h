/*
 * The echo (loopback) VSP: every in-band packet the guest sends comes back
 * with the same payload and transaction id, as a completion when the guest
 * asked for one (VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED), otherwise as
 * an in-band packet. A device for testing the transport end to end and for
 * measuring it; no guest driver but our own binds to it.
 *
 * Class GUID (ours, random): 8e1f0a6b-5d2c-4b7a-9f31-0c6e2d4a9b15.
 */
#ifndef VSP_ECHO_H
#define VSP_ECHO_H

#include "vsp/vsp.h"

#define VSP_ECHO_CLASS_ID                                                                             \
	{ { 0x6b, 0x0a, 0x1f, 0x8e, 0x2c, 0x5d, 0x7a, 0x4b, 0x9f, 0x31, 0x0c, 0x6e, 0x2d, 0x4a, 0x9b, \
	    0x15 } }

extern const struct vsp_class vsp_echo_class;

struct vsp_echo {
	u64 completions;    /* packets returned as completions */
	u64 inband;         /* packets returned as in-band packets */
	u64 ignored;        /* completions and GPA-direct packets from the guest: not echoed */
	u64 failed;         /* replies that can never fit the ring back */
	u32 opens, closes;
};

void vsp_echo_init(struct vsp *v, struct vsp_echo *e, const vmbus_guid_t *instance);

#endif
