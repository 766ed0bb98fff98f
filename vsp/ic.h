/*
 * The Hyper-V integration component (IC) framework: the message format the
 * utility services (heartbeat, shutdown, time sync, KVP, VSS, file copy)
 * share, as Linux's hv_utils reads it (include/linux/hyperv.h: struct
 * vmbuspipe_hdr, struct icmsg_hdr, struct icmsg_negotiate, struct
 * ic_version; drivers/hv/channel_mgmt.c: vmbus_prep_negotiate_resp).
 *
 * Every IC message is one in-band VMBus packet: a pipe header, the IC
 * header, then the message body. The host sends requests (flags
 * TRANSACTION | REQUEST); the guest rewrites the same buffer into the
 * response (flags TRANSACTION | RESPONSE) and sends back as many bytes as
 * it received, with the packet's transaction id. The first exchange on a
 * channel is NEGOTIATE: the host lists framework versions and then
 * service versions, the guest answers with one of each (counts 1, 1), or
 * counts 0, 0 when nothing matches.
 */
#ifndef VSP_IC_H
#define VSP_IC_H

#include "vsp/vsp.h"

/* Pipe-mode packet types (the pipe header's first word). */
#define IC_PIPE_PACKET_TYPE_DATA 1

struct vmbuspipe_hdr {
	u32 flags;   /* IC_PIPE_PACKET_TYPE_DATA */
	u32 msgsize; /* bytes after the pipe header */
} __packed;

struct ic_version {
	u16 major;
	u16 minor;
} __packed;

struct icmsg_hdr {
	struct ic_version icverframe; /* framework version */
	u16 icmsgtype;
	struct ic_version icvermsg;   /* service (message) version */
	u16 icmsgsize;                /* body bytes */
	u32 status;                   /* HRESULT of the response */
	u8 ictransaction_id;
	u8 icflags;
	u8 reserved[2];
} __packed;

struct icmsg_negotiate {
	u16 icframe_vercnt;
	u16 icmsg_vercnt;
	u32 reserved;
	struct ic_version icversion_data[]; /* framework versions, then service versions */
} __packed;

struct heartbeat_msg_data {
	u64 seq_num;
	u32 reserved[8];
} __packed;

_Static_assert(sizeof(struct vmbuspipe_hdr) == 8, "vmbuspipe_hdr");
_Static_assert(sizeof(struct ic_version) == 4, "ic_version");
_Static_assert(sizeof(struct icmsg_hdr) == 20, "icmsg_hdr");
_Static_assert(__builtin_offsetof(struct icmsg_hdr, icmsgtype) == 4, "icmsgtype");
_Static_assert(__builtin_offsetof(struct icmsg_hdr, icvermsg) == 6, "icvermsg");
_Static_assert(__builtin_offsetof(struct icmsg_hdr, icmsgsize) == 10, "icmsgsize");
_Static_assert(__builtin_offsetof(struct icmsg_hdr, status) == 12, "status");
_Static_assert(__builtin_offsetof(struct icmsg_hdr, ictransaction_id) == 16, "ictransaction_id");
_Static_assert(__builtin_offsetof(struct icmsg_hdr, icflags) == 17, "icflags");
_Static_assert(sizeof(struct icmsg_negotiate) == 8, "icmsg_negotiate");
_Static_assert(sizeof(struct heartbeat_msg_data) == 40, "heartbeat_msg_data");

/* Bytes before an IC message body (Linux ICMSG_HDR). */
#define ICMSG_HDR (sizeof(struct vmbuspipe_hdr) + sizeof(struct icmsg_hdr))
/* A negotiate message with this many versions (Linux ICMSG_NEGOTIATE_PKT_SIZE). */
#define ICMSG_NEGOTIATE_PKT_SIZE(fw_count, msg_count) \
	(ICMSG_HDR + sizeof(struct icmsg_negotiate) + ((fw_count) + (msg_count)) * sizeof(struct ic_version))
/* Linux refuses negotiate messages listing more versions than this. */
#define IC_VERSION_NEGOTIATION_MAX_VER_COUNT 100

/* icmsgtype */
#define ICMSGTYPE_NEGOTIATE 0
#define ICMSGTYPE_HEARTBEAT 1
#define ICMSGTYPE_KVPEXCHANGE 2
#define ICMSGTYPE_SHUTDOWN 3
#define ICMSGTYPE_TIMESYNC 4
#define ICMSGTYPE_VSS 5
#define ICMSGTYPE_FCOPY 7

/* icflags */
#define ICMSGHDRFLAG_TRANSACTION 1
#define ICMSGHDRFLAG_REQUEST 2
#define ICMSGHDRFLAG_RESPONSE 4

/* status */
#define IC_S_OK 0x00000000u
#define IC_E_FAIL 0x80004005u

/* Versions as Linux writes them in its tables: (major << 16) | minor. */
#define IC_VERSION(major, minor) (((u32)(major) << 16) | (u32)(minor))
#define IC_FRAMEWORK_VERSION_1 IC_VERSION(1, 0) /* UTIL_WS2K8_FW_VERSION */
#define IC_FRAMEWORK_VERSION_3 IC_VERSION(3, 0) /* UTIL_FW_VERSION */

/* The host's half of an IC channel: negotiation and one request at a time. */
enum ic_host_state {
	IC_HOST_IDLE,        /* channel open, nothing sent yet */
	IC_HOST_NEGOTIATING, /* NEGOTIATE sent */
	IC_HOST_READY,       /* versions agreed */
	IC_HOST_FAILED,      /* the guest shares no version with us */
};

struct ic_host {
	/* Versions we offer, highest first (set before use). */
	const u32 *fw_versions;
	u32 fw_count;
	const u32 *msg_versions;
	u32 msg_count;
	/* State. */
	u8 state;            /* enum ic_host_state */
	u32 fw_version;      /* agreed (READY) */
	u32 msg_version;
	bool pending;        /* a request waits for its response */
	u16 pending_type;
	u8 pending_txn;      /* its ictransaction_id */
	u64 pending_trans;   /* its VMBus transaction id */
	u32 pending_len;     /* bytes sent */
	u64 pending_since;   /* vsp_now() when sent */
	u8 next_txn;
	u64 next_trans;
	u32 bad;             /* responses that did not match the request */
	u8 req[VMBUS_MSG_MAX_SIZE] __aligned(8); /* the outstanding request, as sent */
};

/* Forget everything but the offered versions (channel (re)opened). */
void ic_host_reset(struct ic_host *ic);
/* Send NEGOTIATE with our versions: 0 or the send's error (-VMBUS_EAGAIN: try later). */
int ic_host_negotiate(struct ic_host *ic, struct vsp *v);
/* Send a request of `type` in the agreed versions. */
int ic_host_request(struct ic_host *ic, struct vsp *v, u16 type, const void *body, u16 len);
/*
 * A packet from the guest. Returns 1 for the response to our outstanding
 * request (NEGOTIATE is handled here: state becomes READY or FAILED; for
 * other types *body and *body_len give the response body and *status holds
 * the guest's status), 0 for anything else (counted in ic->bad).
 */
int ic_host_response(struct ic_host *ic, const struct vsp_packet *p, const u8 **body, u32 *body_len,
		     u32 *status);

#endif
