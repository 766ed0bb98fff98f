/*
 * The Hyper-V heartbeat integration service, host side: the channel Linux's
 * hv_utils binds to as "heartbeat" (class 57164f39-9115-4e78-ab55-382f3bd5422d).
 * Once the guest opens it, the host negotiates the IC framework and
 * heartbeat versions, then sends a heartbeat request every `interval`;
 * the guest answers each with the sequence number plus one, which is how
 * the host knows the guest is alive.
 */
#ifndef VSP_HEARTBEAT_H
#define VSP_HEARTBEAT_H

#include "vsp/ic.h"

/* HV_HEART_BEAT_GUID, in the offer's byte order. */
#define VSP_HEARTBEAT_CLASS_ID                                                                        \
	{ { 0x39, 0x4f, 0x16, 0x57, 0x15, 0x91, 0x78, 0x4e, 0xab, 0x55, 0x38, 0x2f, 0x3b, 0xd5, 0x42, \
	    0x2d } }

/* What we offer, highest first: framework 3.0, 1.0; heartbeat 3.0, 1.0 (what Linux speaks). */
#define VSP_HEARTBEAT_VERSION_COUNT 2
extern const u32 vsp_heartbeat_fw_versions[VSP_HEARTBEAT_VERSION_COUNT];
extern const u32 vsp_heartbeat_versions[VSP_HEARTBEAT_VERSION_COUNT];

extern const struct vsp_class vsp_heartbeat_class;

struct vsp_heartbeat {
	/* Configuration, in the units of the clock given to vsp_host_run. */
	u64 interval; /* from an answer to the next request */
	u64 timeout;  /* a request unanswered this long is missed (0: wait forever) */
	/* State. */
	struct ic_host ic;
	u64 seq;      /* sequence number of the next request */
	u64 next_due;
	u32 fw_version, hb_version; /* as last agreed (the IC state forgets them at close) */
	u32 opens;    /* times the guest opened the channel */
	u32 sent;     /* heartbeat requests */
	u32 answered; /* ... answered with seq + 1 */
	u32 missed;   /* ... unanswered within timeout (negotiation too) */
	u32 failed;   /* ... answered with a failure status */
	u32 wrong;    /* ... answered with the wrong sequence number */
};

/* Set up v as a heartbeat VSP with state hb; then vsp_host_add(host, v). */
void vsp_heartbeat_init(struct vsp *v, struct vsp_heartbeat *hb, const vmbus_guid_t *instance, u64 interval,
			u64 timeout);

#endif
