/*
 * VMBus channel management messages: the wire format of what travels in a
 * SynIC message payload (at most 240 bytes) between the guest's vmbus driver
 * and the host. Layouts follow Linux include/linux/hyperv.h (struct
 * vmbus_channel_*), constants drivers/hv/hyperv_vmbus.h and connection.c.
 * Every structure is packed, little-endian, and its size and field offsets
 * are pinned by _Static_assert below.
 */
#ifndef VMBUS_CHANNEL_MSG_H
#define VMBUS_CHANNEL_MSG_H

#include "vmbus/vmbus_env.h"

/* SynIC: the payload size of one message (HV_MESSAGE_PAYLOAD_BYTE_COUNT). */
#define VMBUS_MSG_MAX_SIZE 240
/* SynIC message type the host uses for channel messages (QEMU's HV_MESSAGE_VMBUS). */
#define VMBUS_SYNIC_MESSAGE_TYPE 1

/* hyperv_vmbus.h: connection ids and SINT. */
#define VMBUS_MESSAGE_CONNECTION_ID 1   /* messages, protocol < 5.0 */
#define VMBUS_MESSAGE_CONNECTION_ID_4 4 /* INITIATE_CONTACT for protocol >= 5.0 */
#define VMBUS_MESSAGE_SINT 2

/* Protocol versions, (major << 16) | minor (hyperv.h VERSION_*). */
#define VMBUS_VERSION(major, minor) (((u32)(major) << 16) | (u32)(minor))
#define VERSION_WIN8 VMBUS_VERSION(2, 4)
#define VERSION_WIN8_1 VMBUS_VERSION(3, 0)
#define VERSION_WIN10 VMBUS_VERSION(4, 0)
#define VERSION_WIN10_V4_1 VMBUS_VERSION(4, 1)
#define VERSION_WIN10_V5 VMBUS_VERSION(5, 0)
#define VERSION_WIN10_V5_1 VMBUS_VERSION(5, 1)
#define VERSION_WIN10_V5_2 VMBUS_VERSION(5, 2)
#define VERSION_WIN10_V5_3 VMBUS_VERSION(5, 3)

/* The versions this library speaks, highest first: Linux's vmbus_versions[]. */
#define VMBUS_VERSION_COUNT 8
extern const u32 vmbus_versions[VMBUS_VERSION_COUNT];

enum vmbus_channel_message_type {
	CHANNELMSG_INVALID = 0,
	CHANNELMSG_OFFERCHANNEL = 1,
	CHANNELMSG_RESCIND_CHANNELOFFER = 2,
	CHANNELMSG_REQUESTOFFERS = 3,
	CHANNELMSG_ALLOFFERS_DELIVERED = 4,
	CHANNELMSG_OPENCHANNEL = 5,
	CHANNELMSG_OPENCHANNEL_RESULT = 6,
	CHANNELMSG_CLOSECHANNEL = 7,
	CHANNELMSG_GPADL_HEADER = 8,
	CHANNELMSG_GPADL_BODY = 9,
	CHANNELMSG_GPADL_CREATED = 10,
	CHANNELMSG_GPADL_TEARDOWN = 11,
	CHANNELMSG_GPADL_TORNDOWN = 12,
	CHANNELMSG_RELID_RELEASED = 13,
	CHANNELMSG_INITIATE_CONTACT = 14,
	CHANNELMSG_VERSION_RESPONSE = 15,
	CHANNELMSG_UNLOAD = 16,
	CHANNELMSG_UNLOAD_RESPONSE = 17,
	CHANNELMSG_TL_CONNECT_REQUEST = 21,
	CHANNELMSG_MODIFYCHANNEL = 22,
	CHANNELMSG_TL_CONNECT_RESULT = 23,
	CHANNELMSG_MODIFYCHANNEL_RESPONSE = 24,
	CHANNELMSG_COUNT
};

/* guid_t: 16 bytes in the Windows mixed-endian order, copied as bytes. */
typedef struct {
	u8 b[16];
} __packed vmbus_guid_t;

struct vmbus_channel_message_header {
	u32 msgtype; /* enum vmbus_channel_message_type */
	u32 padding;
} __packed;

#define MAX_USER_DEFINED_BYTES 120
#define MAX_PIPE_USER_DEFINED_BYTES 116

/* The device description inside an offer (hyperv.h struct vmbus_channel_offer). */
struct vmbus_channel_offer {
	vmbus_guid_t if_type;
	vmbus_guid_t if_instance;
	u64 reserved1;
	u64 reserved2;
	u16 chn_flags;
	u16 mmio_megabytes;
	union {
		struct {
			u8 user_def[MAX_USER_DEFINED_BYTES];
		} __packed std;
		struct {
			u32 pipe_mode;
			u8 user_def[MAX_PIPE_USER_DEFINED_BYTES];
		} __packed pipe;
	} u;
	u16 sub_channel_index; /* 0: primary channel */
	u16 reserved3;
} __packed;

/*
 * Linux declares monitor_allocated and is_dedicated_interrupt as bit 0 of
 * a u8 and a u16 bitfield; here they are whole fields with the flag in bit 0
 * and the other bits reserved (zero), which is the same bytes on the wire.
 */
#define VMBUS_OFFER_MONITOR_ALLOCATED 0x1
#define VMBUS_OFFER_DEDICATED_INTERRUPT 0x1

struct vmbus_channel_offer_channel {
	struct vmbus_channel_message_header header;
	struct vmbus_channel_offer offer;
	u32 child_relid;
	u8 monitorid;
	u8 monitor_allocated;
	u16 is_dedicated_interrupt;
	u32 connection_id; /* the guest signals the host on this connection */
} __packed;

struct vmbus_channel_rescind_offer {
	struct vmbus_channel_message_header header;
	u32 child_relid;
} __packed;

/* One GPA range of a GPADL: pfn_array has DIV_ROUND_UP(byte_offset + byte_count, 4096) entries. */
struct gpa_range {
	u32 byte_count;
	u32 byte_offset;
	u64 pfn_array[];
} __packed;

struct vmbus_channel_gpadl_header {
	struct vmbus_channel_message_header header;
	u32 child_relid;
	u32 gpadl;
	u16 range_buflen; /* bytes of all ranges with their pfn arrays */
	u16 rangecount;
	struct gpa_range range[];
} __packed;

/* Continuation of a GPADL: more pfns (Linux leaves msgnumber 0). */
struct vmbus_channel_gpadl_body {
	struct vmbus_channel_message_header header;
	u32 msgnumber;
	u32 gpadl;
	u64 pfn[];
} __packed;

struct vmbus_channel_gpadl_created {
	struct vmbus_channel_message_header header;
	u32 child_relid;
	u32 gpadl;
	u32 creation_status; /* 0: success */
} __packed;

struct vmbus_channel_gpadl_teardown {
	struct vmbus_channel_message_header header;
	u32 child_relid;
	u32 gpadl;
} __packed;

struct vmbus_channel_gpadl_torndown {
	struct vmbus_channel_message_header header;
	u32 gpadl;
} __packed;

struct vmbus_channel_open_channel {
	struct vmbus_channel_message_header header;
	u32 child_relid;
	u32 openid;
	u32 ringbuffer_gpadlhandle;
	u32 target_vp;
	/* The guest->host ring starts at page 0 of the GPADL, host->guest here. */
	u32 downstream_ringbuffer_pageoffset;
	u8 userdata[MAX_USER_DEFINED_BYTES];
} __packed;

struct vmbus_channel_open_result {
	struct vmbus_channel_message_header header;
	u32 child_relid;
	u32 openid;
	u32 status; /* 0: success */
} __packed;

struct vmbus_channel_close_channel {
	struct vmbus_channel_message_header header;
	u32 child_relid;
} __packed;

struct vmbus_channel_relid_released {
	struct vmbus_channel_message_header header;
	u32 child_relid;
} __packed;

/*
 * For protocol >= 5.0 the interrupt page is not used: its first bytes carry
 * the SINT and VTL the host must post messages to (Linux sends
 * VMBUS_MESSAGE_SINT and its VTL).
 */
struct vmbus_channel_initiate_contact {
	struct vmbus_channel_message_header header;
	u32 vmbus_version_requested;
	u32 target_vcpu; /* VP index the host posts messages to */
	union {
		u64 interrupt_page;
		struct {
			u8 msg_sint;
			u8 msg_vtl;
			u8 reserved[6];
		} __packed;
	};
	u64 monitor_page1; /* host -> guest monitor page */
	u64 monitor_page2; /* guest -> host monitor page */
} __packed;

struct vmbus_channel_version_response {
	struct vmbus_channel_message_header header;
	u8 version_supported;
	u8 connection_state;
	u16 padding;
	/* >= 5.0: the connection id for every later guest message. */
	u32 msg_conn_id;
} __packed;

struct vmbus_channel_modifychannel {
	struct vmbus_channel_message_header header;
	u32 child_relid;
	u32 target_vp;
} __packed;

struct vmbus_channel_modifychannel_response {
	struct vmbus_channel_message_header header;
	u32 child_relid;
	u32 status;
} __packed;

/* REQUESTOFFERS, ALLOFFERS_DELIVERED, UNLOAD and UNLOAD_RESPONSE are a bare header. */

/* Status the host uses for failures (STATUS_UNSUCCESSFUL); Linux checks != 0. */
#define VMBUS_STATUS_UNSUCCESSFUL 0xC0000001u

/* Linux's first GPADL handle is 0xE1E10 + 1 (vmbus_connection.next_gpadl_handle). */
#define VMBUS_FIRST_GPADL_HANDLE 0xE1E11u

/* create_gpadl_header(): pfns that fit in a GPADL_HEADER with one range, and in a BODY. */
#define VMBUS_GPADL_HEADER_PFNS \
	((VMBUS_MSG_MAX_SIZE - sizeof(struct vmbus_channel_gpadl_header) - sizeof(struct gpa_range)) / sizeof(u64))
#define VMBUS_GPADL_BODY_PFNS ((VMBUS_MSG_MAX_SIZE - sizeof(struct vmbus_channel_gpadl_body)) / sizeof(u64))

#define VMBUS_ASSERT_LAYOUT(type, field, off) \
	_Static_assert(__builtin_offsetof(struct type, field) == (off), #type "." #field)

_Static_assert(sizeof(vmbus_guid_t) == 16, "guid");
_Static_assert(sizeof(struct vmbus_channel_message_header) == 8, "header");
VMBUS_ASSERT_LAYOUT(vmbus_channel_message_header, padding, 4);

_Static_assert(sizeof(struct vmbus_channel_offer) == 176, "offer");
VMBUS_ASSERT_LAYOUT(vmbus_channel_offer, if_instance, 16);
VMBUS_ASSERT_LAYOUT(vmbus_channel_offer, reserved1, 32);
VMBUS_ASSERT_LAYOUT(vmbus_channel_offer, reserved2, 40);
VMBUS_ASSERT_LAYOUT(vmbus_channel_offer, chn_flags, 48);
VMBUS_ASSERT_LAYOUT(vmbus_channel_offer, mmio_megabytes, 50);
VMBUS_ASSERT_LAYOUT(vmbus_channel_offer, u.std.user_def, 52);
VMBUS_ASSERT_LAYOUT(vmbus_channel_offer, u.pipe.user_def, 56);
VMBUS_ASSERT_LAYOUT(vmbus_channel_offer, sub_channel_index, 172);
VMBUS_ASSERT_LAYOUT(vmbus_channel_offer, reserved3, 174);

_Static_assert(sizeof(struct vmbus_channel_offer_channel) == 196, "offer_channel");
VMBUS_ASSERT_LAYOUT(vmbus_channel_offer_channel, offer, 8);
VMBUS_ASSERT_LAYOUT(vmbus_channel_offer_channel, child_relid, 184);
VMBUS_ASSERT_LAYOUT(vmbus_channel_offer_channel, monitorid, 188);
VMBUS_ASSERT_LAYOUT(vmbus_channel_offer_channel, monitor_allocated, 189);
VMBUS_ASSERT_LAYOUT(vmbus_channel_offer_channel, is_dedicated_interrupt, 190);
VMBUS_ASSERT_LAYOUT(vmbus_channel_offer_channel, connection_id, 192);

_Static_assert(sizeof(struct vmbus_channel_rescind_offer) == 12, "rescind");
VMBUS_ASSERT_LAYOUT(vmbus_channel_rescind_offer, child_relid, 8);

_Static_assert(sizeof(struct gpa_range) == 8, "gpa_range");
VMBUS_ASSERT_LAYOUT(gpa_range, byte_offset, 4);
VMBUS_ASSERT_LAYOUT(gpa_range, pfn_array, 8);

_Static_assert(sizeof(struct vmbus_channel_gpadl_header) == 20, "gpadl_header");
VMBUS_ASSERT_LAYOUT(vmbus_channel_gpadl_header, child_relid, 8);
VMBUS_ASSERT_LAYOUT(vmbus_channel_gpadl_header, gpadl, 12);
VMBUS_ASSERT_LAYOUT(vmbus_channel_gpadl_header, range_buflen, 16);
VMBUS_ASSERT_LAYOUT(vmbus_channel_gpadl_header, rangecount, 18);
VMBUS_ASSERT_LAYOUT(vmbus_channel_gpadl_header, range, 20);

_Static_assert(sizeof(struct vmbus_channel_gpadl_body) == 16, "gpadl_body");
VMBUS_ASSERT_LAYOUT(vmbus_channel_gpadl_body, msgnumber, 8);
VMBUS_ASSERT_LAYOUT(vmbus_channel_gpadl_body, gpadl, 12);
VMBUS_ASSERT_LAYOUT(vmbus_channel_gpadl_body, pfn, 16);

_Static_assert(sizeof(struct vmbus_channel_gpadl_created) == 20, "gpadl_created");
VMBUS_ASSERT_LAYOUT(vmbus_channel_gpadl_created, child_relid, 8);
VMBUS_ASSERT_LAYOUT(vmbus_channel_gpadl_created, gpadl, 12);
VMBUS_ASSERT_LAYOUT(vmbus_channel_gpadl_created, creation_status, 16);

_Static_assert(sizeof(struct vmbus_channel_gpadl_teardown) == 16, "gpadl_teardown");
VMBUS_ASSERT_LAYOUT(vmbus_channel_gpadl_teardown, child_relid, 8);
VMBUS_ASSERT_LAYOUT(vmbus_channel_gpadl_teardown, gpadl, 12);

_Static_assert(sizeof(struct vmbus_channel_gpadl_torndown) == 12, "gpadl_torndown");
VMBUS_ASSERT_LAYOUT(vmbus_channel_gpadl_torndown, gpadl, 8);

_Static_assert(sizeof(struct vmbus_channel_open_channel) == 148, "open_channel");
VMBUS_ASSERT_LAYOUT(vmbus_channel_open_channel, child_relid, 8);
VMBUS_ASSERT_LAYOUT(vmbus_channel_open_channel, openid, 12);
VMBUS_ASSERT_LAYOUT(vmbus_channel_open_channel, ringbuffer_gpadlhandle, 16);
VMBUS_ASSERT_LAYOUT(vmbus_channel_open_channel, target_vp, 20);
VMBUS_ASSERT_LAYOUT(vmbus_channel_open_channel, downstream_ringbuffer_pageoffset, 24);
VMBUS_ASSERT_LAYOUT(vmbus_channel_open_channel, userdata, 28);

_Static_assert(sizeof(struct vmbus_channel_open_result) == 20, "open_result");
VMBUS_ASSERT_LAYOUT(vmbus_channel_open_result, child_relid, 8);
VMBUS_ASSERT_LAYOUT(vmbus_channel_open_result, openid, 12);
VMBUS_ASSERT_LAYOUT(vmbus_channel_open_result, status, 16);

_Static_assert(sizeof(struct vmbus_channel_close_channel) == 12, "close_channel");
VMBUS_ASSERT_LAYOUT(vmbus_channel_close_channel, child_relid, 8);

_Static_assert(sizeof(struct vmbus_channel_relid_released) == 12, "relid_released");
VMBUS_ASSERT_LAYOUT(vmbus_channel_relid_released, child_relid, 8);

_Static_assert(sizeof(struct vmbus_channel_initiate_contact) == 40, "initiate_contact");
VMBUS_ASSERT_LAYOUT(vmbus_channel_initiate_contact, vmbus_version_requested, 8);
VMBUS_ASSERT_LAYOUT(vmbus_channel_initiate_contact, target_vcpu, 12);
VMBUS_ASSERT_LAYOUT(vmbus_channel_initiate_contact, interrupt_page, 16);
VMBUS_ASSERT_LAYOUT(vmbus_channel_initiate_contact, msg_sint, 16);
VMBUS_ASSERT_LAYOUT(vmbus_channel_initiate_contact, msg_vtl, 17);
VMBUS_ASSERT_LAYOUT(vmbus_channel_initiate_contact, monitor_page1, 24);
VMBUS_ASSERT_LAYOUT(vmbus_channel_initiate_contact, monitor_page2, 32);

_Static_assert(sizeof(struct vmbus_channel_version_response) == 16, "version_response");
VMBUS_ASSERT_LAYOUT(vmbus_channel_version_response, version_supported, 8);
VMBUS_ASSERT_LAYOUT(vmbus_channel_version_response, connection_state, 9);
VMBUS_ASSERT_LAYOUT(vmbus_channel_version_response, padding, 10);
VMBUS_ASSERT_LAYOUT(vmbus_channel_version_response, msg_conn_id, 12);

_Static_assert(sizeof(struct vmbus_channel_modifychannel) == 16, "modifychannel");
VMBUS_ASSERT_LAYOUT(vmbus_channel_modifychannel, child_relid, 8);
VMBUS_ASSERT_LAYOUT(vmbus_channel_modifychannel, target_vp, 12);
_Static_assert(sizeof(struct vmbus_channel_modifychannel_response) == 16, "modifychannel_response");
VMBUS_ASSERT_LAYOUT(vmbus_channel_modifychannel_response, status, 12);

_Static_assert(VMBUS_GPADL_HEADER_PFNS == 26, "Linux fits 26 pfns in a GPADL_HEADER");
_Static_assert(VMBUS_GPADL_BODY_PFNS == 28, "Linux fits 28 pfns in a GPADL_BODY");

/* The connection id a guest sends INITIATE_CONTACT for `version` to (connection.c). */
static inline u32 vmbus_initiate_contact_connid(u32 version)
{
	return version >= VERSION_WIN10_V5 ? VMBUS_MESSAGE_CONNECTION_ID_4 : VMBUS_MESSAGE_CONNECTION_ID;
}

/* Pages a GPA range spans: DIV_ROUND_UP(byte_offset + byte_count, 4096), no overflow. */
static inline u64 vmbus_gpa_range_pfns(u32 byte_offset, u32 byte_count)
{
	return ((u64)byte_offset + byte_count + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

#endif
