/*
 * Ports and connections (inter-partition-communication.md, "Ports and
 * Connections"). A port lives in the receiving partition and names the VP
 * and SINT that messages or events reach; a connection lives in the sending
 * partition and names a port by (partition, port id), so a deleted port
 * leaves its connections useless rather than dangling.
 */
#ifndef HV_PORT_H
#define HV_PORT_H

#include "hv/types.h"
#include "hv/tlfs.h"
#include "hv/synic.h"
#include "hv/spinlock.h"

#define HV_MAX_PORTS 32
#define HV_MAX_CONNECTIONS 32
#define PORT_BUFFERS_PER_PAGE (PAGE_SIZE / sizeof(struct synic_msgbuf))
#define PORT_BUFFER_PAGES ((HV_PORT_MESSAGE_BUFFER_COUNT + PORT_BUFFERS_PER_PAGE - 1) / \
			   PORT_BUFFERS_PER_PAGE)

struct partition;

struct port {
	HV_PORT_ID id;
	u32 type;
	struct partition *owner;
	HV_PARTITION_ID connection_partition; /* who may connect; 0 = any */
	u32 target_sint;
	HV_VP_INDEX target_vp;
	u16 base_flag;
	u16 flag_count;
	struct synic_msgbuf *free;  /* guest message buffers not in any queue */
	/*
	 * Guards free: a sender takes a buffer under the partitions lock, but
	 * a buffer comes back when its message reaches the SIM slot, which the
	 * receiver's EOM or EOI on its own LP can cause, without that lock.
	 */
	struct spinlock free_lock;
	u64 buffer_pages[PORT_BUFFER_PAGES];
};

struct connection {
	bool used;
	HV_CONNECTION_ID id;
	HV_PARTITION_ID port_partition;
	HV_PORT_ID port_id;
};

HV_STATUS port_create(struct partition *owner, HV_PORT_ID id, const HV_PORT_INFO *info,
		      HV_PARTITION_ID connection_partition);
HV_STATUS port_delete(struct partition *owner, HV_PORT_ID id);
void port_delete_all(struct partition *owner);
HV_STATUS port_connect(struct partition *sender, HV_CONNECTION_ID id,
		       struct partition *port_owner, HV_PORT_ID port_id);
HV_STATUS port_disconnect(struct partition *sender, HV_CONNECTION_ID id);

HV_STATUS port_post_message(struct partition *sender, HV_CONNECTION_ID id, u32 type,
			    const void *payload, u32 size);
HV_STATUS port_signal_event(struct partition *sender, HV_CONNECTION_ID id, u16 flag);

/* A delivered message's buffer goes back to its port. */
void port_release_buffer(struct synic_msgbuf *b);

#endif
