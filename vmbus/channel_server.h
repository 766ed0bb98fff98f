/*
 * The host side of the VMBus channel management protocol: a state machine
 * that consumes the guest's channel messages (raw SynIC payloads) and
 * answers through callbacks the embedder provides. It owns the offers, the
 * GPADLs and the rings of open channels; the embedder owns transport
 * (SynIC messages and events), guest memory and the device implementations.
 *
 * Nothing the guest sends is trusted: every message is length-checked,
 * every field validated against the connection state; a bad message is
 * answered with a failure status where the protocol has one, or dropped.
 * Not thread-safe: the embedder serialises calls.
 */
#ifndef VMBUS_CHANNEL_SERVER_H
#define VMBUS_CHANNEL_SERVER_H

#include "vmbus/channel_msg.h"
#include "vmbus/ring.h"

#define VMBUS_SERVER_MAX_CHANNELS 32 /* relids 1..32 */
#define VMBUS_SERVER_MAX_GPADLS 256
/* Channel n signals the host on connection id VMBUS_SERVER_CONNID_BASE + n. */
#define VMBUS_SERVER_CONNID_BASE 0x10000u
/* offer_channel.monitorid when no monitor is allocated. */
#define VMBUS_NO_MONITOR_ID 0xff

struct vmbus_server_channel;

struct vmbus_server_ops {
	/* Post a channel message to the guest (SynIC message type 1 on vp/sint). 0 or error. */
	int (*post_msg)(void *ctx, u32 vp, u8 sint, const void *msg, u32 len);
	/* Set event flag `relid` of SINT `sint` on `vp` and raise the SINT. */
	void (*signal_guest)(void *ctx, u32 vp, u8 sint, u32 relid);
	/* Map guest pages virtually contiguous, in this order; NULL if any pfn is not guest RAM. */
	void *(*map_pages)(void *ctx, const u64 *pfns, u32 count);
	void (*unmap_pages)(void *ctx, void *va, u32 count);
	void *(*alloc)(void *ctx, size_t size); /* 8-byte aligned, or NULL */
	void (*free)(void *ctx, void *p, size_t size);
	/* The guest opened a channel: 0 to accept, else the status to report. Optional. */
	u32 (*channel_opened)(void *ctx, struct vmbus_server_channel *ch, const u8 *userdata);
	/* The channel closed (guest close, rescind, unload or reset). Optional. */
	void (*channel_closed)(void *ctx, struct vmbus_server_channel *ch);
};

enum vmbus_server_conn_state {
	VMBUS_SERVER_DISCONNECTED,
	VMBUS_SERVER_CONNECTED,  /* version agreed, offers not requested yet */
	VMBUS_SERVER_OFFERED,    /* offers delivered: hot-add and rescind go out at once */
};

enum vmbus_server_chan_state {
	VMBUS_CHAN_FREE,
	VMBUS_CHAN_REGISTERED, /* added by the embedder, not offered to the guest yet */
	VMBUS_CHAN_OFFERED,
	VMBUS_CHAN_OPEN,
	VMBUS_CHAN_RESCINDED,  /* rescind sent: waiting for RELID_RELEASED */
};

struct vmbus_server_gpadl {
	u32 handle;
	u32 relid;
	u16 range_buflen;
	u16 rangecount;
	u16 received;   /* bytes of the range buffer received so far */
	bool complete;  /* GPADL_CREATED sent with success */
	bool in_use;    /* holds an open channel's rings */
	u8 *ranges;     /* range_buflen bytes: struct gpa_range records */
};

struct vmbus_server_channel {
	u32 relid;
	u8 state; /* enum vmbus_server_chan_state */
	struct vmbus_channel_offer offer;
	u32 connection_id;     /* the guest signals us here */
	u32 target_vp;
	u32 openid;
	u32 ring_gpadl;
	void *ring_va;         /* mapping of the ring GPADL */
	u32 ring_pages;
	struct vmbus_ring_reader in;   /* guest -> host (GPADL page 0 on) */
	struct vmbus_ring_writer out;  /* host -> guest (from the downstream offset) */
	void *priv;            /* the embedder's per-channel state */
};

struct vmbus_server_config {
	u32 version_mask;  /* bit i: accept vmbus_versions[i]; 0 means all */
	u32 msg_conn_id;   /* returned in VERSION_RESPONSE for >= 5.0; 0: VMBUS_MESSAGE_CONNECTION_ID */
};

struct vmbus_server {
	const struct vmbus_server_ops *ops;
	void *ctx;
	struct vmbus_server_config cfg;
	u8 state; /* enum vmbus_server_conn_state */
	u32 version;
	u32 msg_conn_id;   /* guest messages must arrive on this connection */
	u32 target_vcpu;
	u8 msg_sint;
	u8 msg_vtl;
	u64 interrupt_page; /* < 5.0 */
	u64 monitor_page1;
	u64 monitor_page2;
	struct vmbus_server_channel channels[VMBUS_SERVER_MAX_CHANNELS];
	struct vmbus_server_gpadl gpadls[VMBUS_SERVER_MAX_GPADLS];
};

void vmbus_server_init(struct vmbus_server *s, const struct vmbus_server_ops *ops, void *ctx,
		       const struct vmbus_server_config *cfg);
/* Close everything and forget the guest's connection (partition reset). */
void vmbus_server_reset(struct vmbus_server *s);

/*
 * One guest message as it arrived on `connection_id`. Returns 0 when it was
 * handled, or a negative error when it was rejected (answered with a
 * failure status or dropped, as the protocol allows).
 */
int vmbus_server_on_message(struct vmbus_server *s, u32 connection_id, const void *msg, u32 len);

/* Offer a device; returns the relid (>= 1) or a negative error. */
int vmbus_server_add_channel(struct vmbus_server *s, const struct vmbus_channel_offer *offer, void *priv);
/* Rescind it; the relid is reused once the guest released it. */
int vmbus_server_remove_channel(struct vmbus_server *s, u32 relid);

struct vmbus_server_channel *vmbus_server_channel(struct vmbus_server *s, u32 relid);
/* The channel the guest signalled through HvSignalEvent(connection_id), or NULL. */
struct vmbus_server_channel *vmbus_server_channel_by_connid(struct vmbus_server *s, u32 connection_id);
/* Interrupt the guest for an open channel. */
void vmbus_server_signal(struct vmbus_server *s, const struct vmbus_server_channel *ch);
/* A completed GPADL of the guest's, for devices that use GPADL handles (netvsc). */
const struct vmbus_server_gpadl *vmbus_server_gpadl(const struct vmbus_server *s, u32 handle);

#endif
