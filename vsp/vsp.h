/*
 * The VSP framework: parent-side devices on VMBus.
 *
 * A VSP (virtualization service provider) is the host half of a synthetic
 * device. It is described by a struct vsp_class (class GUID, ring size
 * limits, open/close callbacks, a packet handler, an optional timer) and
 * instantiated as a struct vsp (instance GUID, private state). A struct
 * vsp_host runs any number of them over one guest's VMBus connection: it
 * owns the channel management server (vmbus/channel_server.h), turns
 * channel events into packets for the VSPs and gives them send and
 * completion helpers. VSPs never look at ring memory: every packet is read
 * by the vmbus library, validated and copied out before a VSP sees it.
 *
 * The embedder provides the transport (struct vsp_transport_ops): SynIC
 * messages and events to and from the guest, and access to guest memory.
 * Everything is single-threaded: the embedder calls vsp_host_message for
 * each guest message, vsp_host_event for each channel signal, and
 * vsp_host_run whenever it has the CPU (after each dispatch of the guest).
 *
 *   vsp_host_init(&h, &transport_ops, ctx, &cfg);
 *   vsp_host_add(&h, &echo);                   offered now, or at REQUESTOFFERS
 *   loop: vsp_host_message(&h, connid, msg, len) / vsp_host_event(&h, relid)
 *         vsp_host_run(&h, now);
 *   vsp_host_remove(&h, &echo);                rescind; detached once the guest released it
 *
 * Files: host.c (server glue, registry, messages), channel.c (packets in,
 * send and completion helpers, signalling), msgq.c (messages waiting for a
 * free guest message slot); echo.c, ic.c and heartbeat.c are VSPs.
 */
#ifndef VSP_VSP_H
#define VSP_VSP_H

#include "vmbus/channel_server.h"
#include "vmbus/packet.h"

/* Largest packet body (after the type-specific header) a VSP can receive. */
#define VSP_MAX_PACKET 8192
/* Largest GPA-direct range table (struct vmbus_gpa_direct_hdr + ranges). */
#define VSP_MAX_RANGE_TABLE 2048
/* Host -> guest channel messages that can wait for a free guest message buffer. */
#define VSP_MSGQ_DEPTH 64

struct vsp;
struct vsp_host;

/* A packet as a VSP receives it: copied out of the ring, stable. */
struct vsp_packet {
	u16 type;       /* VM_PKT_DATA_INBAND, VM_PKT_COMP or VM_PKT_DATA_USING_GPA_DIRECT */
	u16 flags;      /* VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED */
	u64 trans_id;
	const u8 *data; /* body after the type-specific header */
	u32 len;        /* as on the wire: padded to 8 bytes (the ring keeps no exact length) */
	const struct gpa_range *ranges; /* GPA direct: validated range table, else NULL */
	u32 range_count;
};

struct vsp_class {
	const char *name;
	vmbus_guid_t class_id; /* the offer's interface type: what the guest's driver binds to */
	u16 chn_flags;         /* offer chn_flags (0 for ordinary devices) */
	/* Data bytes of each ring (guest -> host "in", host -> guest "out") the
	 * guest must provide at OPENCHANNEL; 0: no limit. */
	u32 ring_in_min, ring_in_max, ring_out_min, ring_out_max;
	/* Packets with a longer body are dropped and counted; 0 means VSP_MAX_PACKET. */
	u32 max_packet;
	/* The guest opens the channel: 0 accepts, anything else is the
	 * OPENCHANNEL_RESULT status. Do not send from here: the guest does not
	 * know the channel is open yet (send from poll). Optional. */
	u32 (*open)(struct vsp *v, const u8 *userdata);
	/* The channel closed: guest close, rescind, unload or reset. Optional. */
	void (*close)(struct vsp *v);
	/* One packet from the guest. 0: consumed. -VMBUS_EAGAIN: the reply did
	 * not fit the host -> guest ring; the packet stays in the ring and is
	 * offered again once the guest has made room. */
	int (*packet)(struct vsp *v, const struct vsp_packet *p);
	/* Called on every vsp_host_run while the channel is open (timers, deferred work). Optional. */
	void (*poll)(struct vsp *v);
};

enum vsp_state {
	VSP_DETACHED,  /* not added, or removed and released by the guest */
	VSP_OFFERED,   /* added: offered (or to be offered) to the guest, not open */
	VSP_OPEN,
	VSP_RESCINDED, /* removed: waiting for the guest's RELID_RELEASED */
};

struct vsp_stats {
	u64 packets_in, bytes_in;   /* delivered to the VSP's packet handler */
	u64 packets_out, bytes_out; /* sent through vsp_send_inband / vsp_complete */
	u64 signals_in;             /* guest -> host channel signals */
	u64 signals_out;            /* host -> guest channel signals */
	u64 dropped;                /* oversized or unreadable packets */
	u64 blocked;                /* sends that found the host -> guest ring full */
	u64 ring_errors;            /* corrupt ring indices or descriptors (channel stops) */
};

struct vsp {
	/* Set by the owner before vsp_host_add. */
	const struct vsp_class *cls;
	vmbus_guid_t instance;
	void *priv;
	/* The framework's. */
	struct vsp_host *host;
	u32 relid;
	u8 state;          /* enum vsp_state */
	bool event;        /* signalled by the guest, not yet looked at */
	bool want_signal;  /* the out ring went non-empty while the guest listens */
	bool broken;       /* the guest corrupted a ring: no more traffic until reopened */
	u32 blocked;       /* ring bytes the last refused send needed (0: not blocked) */
	struct vmbus_server_channel *ch; /* while open */
	struct vsp_stats stats;
};

/* The embedder's side: transport to the guest and access to its memory. */
struct vsp_transport_ops {
	/* Post a channel message (SynIC message type 1) to the guest's (vp, sint).
	 * 0, -VMBUS_EAGAIN when the guest's message queue is full (the host keeps
	 * the message and retries in order), or another negative error (dropped). */
	int (*post_msg)(void *ctx, u32 vp, u8 sint, const void *msg, u32 len);
	/* Set event flag `relid` of the guest's `sint` on `vp` and raise it. */
	void (*signal_guest)(void *ctx, u32 vp, u8 sint, u32 relid);
	/* Guest pages -> one virtually contiguous mapping in this order; NULL if not guest RAM. */
	void *(*map_pages)(void *ctx, const u64 *pfns, u32 count);
	void (*unmap_pages)(void *ctx, void *va, u32 count);
	void *(*alloc)(void *ctx, size_t size); /* 8-byte aligned, or NULL */
	void (*free)(void *ctx, void *p, size_t size);
	/* A channel exists: the guest's HvSignalEvent(connection_id) must now end
	 * in vsp_host_event(relid). 0 or a negative error (the add fails). */
	int (*channel_added)(void *ctx, u32 relid, u32 connection_id);
	/* The guest released the channel: undo channel_added. */
	void (*channel_removed)(void *ctx, u32 relid, u32 connection_id);
};

struct vsp_host_config {
	struct vmbus_server_config server;
	/* Poll every open channel on each run and keep the guest -> host rings
	 * masked, so the guest never signals (signal suppression). */
	bool poll_rings;
};

struct vsp_msg {
	u32 vp;
	u8 sint;
	u8 len;
	u8 data[VMBUS_MSG_MAX_SIZE] __aligned(8);
};

struct vsp_msgq {
	struct vsp_msg q[VSP_MSGQ_DEPTH];
	u32 head, count;
};

struct vsp_host_stats {
	u64 messages_in;     /* guest messages handed to the server */
	u64 messages_bad;    /* ... that it refused */
	u64 messages_out;    /* posted to the guest */
	u64 messages_queued; /* had to wait for a free guest message buffer */
	u64 messages_lost;   /* the queue overflowed or the transport failed */
	u64 runs;
};

struct vsp_host {
	struct vmbus_server server;
	const struct vsp_transport_ops *t;
	void *ctx;
	struct vsp_host_config cfg;
	struct vsp *vsps[VMBUS_SERVER_MAX_CHANNELS + 1]; /* by relid */
	struct vsp_msgq msgq;
	u64 now; /* the embedder's clock, as of the last vsp_host_run */
	struct vsp_host_stats stats;
	u8 buf[VSP_MAX_PACKET] __aligned(8);
	u8 ranges[VSP_MAX_RANGE_TABLE] __aligned(8);
};

void vsp_host_init(struct vsp_host *h, const struct vsp_transport_ops *t, void *ctx,
		   const struct vsp_host_config *cfg);
/* Offer v (its cls, instance and priv are set): returns the relid, or a negative error. */
int vsp_host_add(struct vsp_host *h, struct vsp *v);
/* Rescind v. It stays VSP_RESCINDED until the guest releases the relid, then is detached. */
int vsp_host_remove(struct vsp_host *h, struct vsp *v);
/* A guest message as it arrived on connection_id: 0, or the server's negative error. */
int vsp_host_message(struct vsp_host *h, u32 connection_id, const void *msg, u32 len);
/* The guest signalled channel relid. */
void vsp_host_event(struct vsp_host *h, u32 relid);
/* Do what is due: queued messages, signalled channels (all open ones when
 * polling), VSP timers. `now` is any monotonic clock the VSPs agree on.
 * Returns the number of packets and messages handled. */
u32 vsp_host_run(struct vsp_host *h, u64 now);
/* Switch signal suppression on or off for every channel (see poll_rings). */
void vsp_host_set_polling(struct vsp_host *h, bool poll);
/* Partition reset: close every channel, forget the guest's connection and queued messages. */
void vsp_host_reset(struct vsp_host *h);
/* The VSP whose channel has this connection id (HvSignalEvent target), or NULL. */
struct vsp *vsp_host_by_connid(struct vsp_host *h, u32 connection_id);

/* For VSPs: send an in-band packet, or complete the guest's transaction
 * trans_id. 0; -VMBUS_EAGAIN when the host -> guest ring is full (return it
 * from the packet handler to be called again later); other errors. */
int vsp_send_inband(struct vsp *v, u64 trans_id, u16 flags, const void *data, u32 len);
int vsp_complete(struct vsp *v, u64 trans_id, const void *data, u32 len);

static inline u64 vsp_now(const struct vsp *v)
{
	return v->host->now;
}

/* Internal, between host.c, channel.c and msgq.c. */
u32 vsp_channel_run(struct vsp_host *h, struct vsp *v);
void vsp_channel_opened(struct vsp_host *h, struct vsp *v, struct vmbus_server_channel *ch);
void vsp_msgq_init(struct vsp_msgq *q);
bool vsp_msgq_push(struct vsp_msgq *q, u32 vp, u8 sint, const void *msg, u32 len);
const struct vsp_msg *vsp_msgq_head(const struct vsp_msgq *q);
void vsp_msgq_pop(struct vsp_msgq *q);

#endif
