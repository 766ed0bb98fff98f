/*
 * The guest side of the VMBus channel management protocol, for our own test
 * child payloads: connect and negotiate the version the way Linux does
 * (drivers/hv/connection.c), take offers, build GPADLs split into messages
 * exactly as Linux's create_gpadl_header does, open and close channels,
 * release rescinded relids and unload.
 *
 * Non-blocking: each request posts its messages and returns; the answer
 * arrives through vmbus_client_on_message and shows in the state fields
 * (the embedder polls its SynIC message slot and feeds it in). Not
 * thread-safe.
 */
#ifndef VMBUS_CHANNEL_CLIENT_H
#define VMBUS_CHANNEL_CLIENT_H

#include "vmbus/channel_msg.h"
#include "vmbus/ring.h"

#define VMBUS_CLIENT_MAX_CHANNELS 32
#define VMBUS_CLIENT_MAX_GPADLS 32
/* range_buflen is 16 bits: one range of at most this many pages. */
#define VMBUS_CLIENT_GPADL_MAX_PAGES ((0xffffu - sizeof(struct gpa_range)) / sizeof(u64))

struct vmbus_client_ops {
	/* HvPostMessage(connection_id, VMBUS_SYNIC_MESSAGE_TYPE, msg, len): 0 or error. */
	int (*post_msg)(void *ctx, u32 connection_id, const void *msg, u32 len);
	/* HvSignalEvent(connection_id). */
	void (*signal_host)(void *ctx, u32 connection_id);
};

struct vmbus_client_config {
	u32 target_vcpu;    /* VP the host posts to */
	u8 msg_sint;        /* >= 5.0; 0 means VMBUS_MESSAGE_SINT */
	u8 msg_vtl;
	u64 interrupt_page; /* GPA, used below 5.0 */
	u64 monitor_page1;  /* GPAs of the two monitor pages */
	u64 monitor_page2;
};

enum vmbus_client_conn_state {
	VMBUS_CLIENT_DISCONNECTED,
	VMBUS_CLIENT_CONNECTING,
	VMBUS_CLIENT_CONNECTED,
	VMBUS_CLIENT_REFUSED,   /* the host took none of our versions */
	VMBUS_CLIENT_UNLOADING,
};

enum vmbus_client_chan_state {
	VMBUS_CLIENT_CHAN_FREE,
	VMBUS_CLIENT_CHAN_OFFERED,
	VMBUS_CLIENT_CHAN_OPENING,
	VMBUS_CLIENT_CHAN_OPEN,
	VMBUS_CLIENT_CHAN_RESCINDED,
};

enum vmbus_client_gpadl_state {
	VMBUS_CLIENT_GPADL_FREE,
	VMBUS_CLIENT_GPADL_CREATING,
	VMBUS_CLIENT_GPADL_CREATED,
	VMBUS_CLIENT_GPADL_FAILED,
	VMBUS_CLIENT_GPADL_TEARING_DOWN,
};

struct vmbus_client_channel {
	u8 state;
	u32 open_status; /* of the last OPENCHANNEL_RESULT */
	struct vmbus_channel_offer_channel offer;
};

struct vmbus_client_gpadl {
	u8 state;
	u32 handle;
	u32 relid;
	u32 status; /* creation_status */
};

struct vmbus_client {
	const struct vmbus_client_ops *ops;
	void *ctx;
	struct vmbus_client_config cfg;
	u8 state;
	u32 version;
	u32 try_index;    /* vmbus_versions[] entry being offered */
	u32 msg_conn_id;
	bool offers_done; /* ALLOFFERS_DELIVERED seen */
	u32 next_gpadl;
	struct vmbus_client_channel channels[VMBUS_CLIENT_MAX_CHANNELS];
	struct vmbus_client_gpadl gpadls[VMBUS_CLIENT_MAX_GPADLS];
};

void vmbus_client_init(struct vmbus_client *c, const struct vmbus_client_ops *ops, void *ctx,
		       const struct vmbus_client_config *cfg);
int vmbus_client_on_message(struct vmbus_client *c, const void *msg, u32 len);

int vmbus_client_connect(struct vmbus_client *c);
int vmbus_client_request_offers(struct vmbus_client *c);
int vmbus_client_unload(struct vmbus_client *c);

struct vmbus_client_channel *vmbus_client_channel(struct vmbus_client *c, u32 relid);
/* The first offered channel of this interface type, or NULL. */
struct vmbus_client_channel *vmbus_client_find(struct vmbus_client *c, const vmbus_guid_t *if_type);

/* Describe `count` whole pages (guest pfns) to the host; *handle names the GPADL. */
int vmbus_client_gpadl_create(struct vmbus_client *c, u32 relid, const u64 *pfns, u32 count, u32 *handle);
int vmbus_client_gpadl_teardown(struct vmbus_client *c, u32 handle);
struct vmbus_client_gpadl *vmbus_client_gpadl(struct vmbus_client *c, u32 handle);

/*
 * Lay out a channel's rings in `buf` (total_pages, virtually contiguous):
 * our outgoing ring from page 0, the incoming one from `downstream` on.
 */
int vmbus_client_rings_init(void *buf, u32 total_pages, u32 downstream, struct vmbus_ring_writer *out,
			    struct vmbus_ring_reader *in);
int vmbus_client_open(struct vmbus_client *c, u32 relid, u32 gpadl, u32 downstream, u32 target_vp,
		      const void *userdata, u32 userdata_len);
int vmbus_client_close(struct vmbus_client *c, u32 relid);
int vmbus_client_release_relid(struct vmbus_client *c, u32 relid);
/* Interrupt the host for channel relid (vmbus_set_event without monitor pages). */
void vmbus_client_signal(struct vmbus_client *c, u32 relid);

#endif
