/*
 * VMBus packet kinds on a channel's rings (Linux include/linux/hyperv.h:
 * enum vmbus_packet_type, struct vmbus_channel_packet_page_buffer,
 * struct vmbus_packet_mpb_array, struct hv_page_buffer, struct hv_mpb_array).
 */
#ifndef VMBUS_PACKET_H
#define VMBUS_PACKET_H

#include "vmbus/ring.h"
#include "vmbus/channel_msg.h"

enum vmbus_packet_type {
	VM_PKT_DATA_INBAND = 0x6,
	VM_PKT_DATA_USING_GPA_DIRECT = 0x9,
	VM_PKT_COMP = 0xb,
};

#define VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED 1

/* Linux MAX_PAGE_BUFFER_COUNT: ranges a page-buffer packet may carry. */
#define MAX_PAGE_BUFFER_COUNT 32
/* Linux MAX_MULTIPAGE_BUFFER_COUNT: pfns of the one range of a multipage packet. */
#define MAX_MULTIPAGE_BUFFER_COUNT 32

/* One range of a page-buffer packet: len bytes at offset within page pfn. */
struct hv_page_buffer {
	u32 len;
	u32 offset;
	u64 pfn;
} __packed;

/*
 * The type-specific header of a GPA-direct packet (struct vmdata_gpa_direct
 * after its descriptor): then rangecount ranges, each a struct gpa_range
 * (byte_count, byte_offset, pfns), which is what hv_page_buffer and
 * hv_mpb_array are on the wire. offset8 covers all of it.
 */
struct vmbus_gpa_direct_hdr {
	u32 reserved;
	u32 rangecount;
} __packed;

/*
 * Linux's fixed-size page-buffer and multipage packets, to pin their
 * layouts: vmbus_send_gpa_direct writes exactly these bytes, trimmed to the
 * ranges and pfns in use, as vmbus_sendpacket_pagebuffer and
 * vmbus_sendpacket_multipagebuffer/mpb_desc do.
 */
struct vmbus_channel_packet_page_buffer {
	u16 type;
	u16 dataoffset8;
	u16 length8;
	u16 flags;
	u64 transactionid;
	u32 reserved;
	u32 rangecount;
	struct hv_page_buffer range[MAX_PAGE_BUFFER_COUNT];
} __packed;

/* Linux's multipage packet: one range of len bytes from offset over pfn_array. */
struct hv_multipage_buffer {
	u32 len;
	u32 offset;
	u64 pfn_array[MAX_MULTIPAGE_BUFFER_COUNT];
} __packed;

struct vmbus_channel_packet_multipage_buffer {
	u16 type;
	u16 dataoffset8;
	u16 length8;
	u16 flags;
	u64 transactionid;
	u32 reserved;
	u32 rangecount; /* always 1 */
	struct hv_multipage_buffer range;
} __packed;

_Static_assert(sizeof(struct hv_page_buffer) == 16, "hv_page_buffer");
_Static_assert(__builtin_offsetof(struct vmbus_channel_packet_multipage_buffer, range) == 24, "multipage range");
_Static_assert(__builtin_offsetof(struct vmbus_channel_packet_multipage_buffer, range.pfn_array) == 32,
	       "multipage pfns");
_Static_assert(sizeof(struct vmbus_channel_packet_multipage_buffer) == 32 + 8 * MAX_MULTIPAGE_BUFFER_COUNT,
	       "multipage_buffer");
_Static_assert(sizeof(struct vmbus_gpa_direct_hdr) == 8, "vmdata_gpa_direct header");
_Static_assert(__builtin_offsetof(struct vmbus_channel_packet_page_buffer, rangecount) == 20, "rangecount");
_Static_assert(__builtin_offsetof(struct vmbus_channel_packet_page_buffer, range) == 24, "range");
_Static_assert(sizeof(struct vmbus_channel_packet_page_buffer) == 24 + 16 * MAX_PAGE_BUFFER_COUNT, "page_buffer");

/* A range to send: byte_count bytes from byte_offset in the first of pfns. */
struct vmbus_gpa_range_desc {
	u32 byte_count;
	u32 byte_offset;
	const u64 *pfns; /* vmbus_gpa_range_pfns(byte_offset, byte_count) entries */
};

/* Send packets (written and published; *signal says whether to signal the reader). */
int vmbus_send_inband(struct vmbus_ring_writer *w, u64 trans_id, u16 flags, const void *data, u32 len,
		      bool *signal);
int vmbus_send_comp(struct vmbus_ring_writer *w, u64 trans_id, const void *data, u32 len, bool *signal);
int vmbus_send_gpa_direct(struct vmbus_ring_writer *w, u64 trans_id, u16 flags,
			  const struct vmbus_gpa_range_desc *ranges, u32 range_count, const void *data, u32 len,
			  bool *signal);

/*
 * Receiving a GPA-direct packet: copy its range table out of the ring into
 * buf (stable, unlike ring memory) and check it. On success *first points
 * at the first range in buf; walk with vmbus_gpa_range_next.
 */
int vmbus_recv_gpa_ranges(const struct vmbus_ring_reader *r, const struct vmbus_pkt *pkt, void *buf,
			  u32 buflen, const struct gpa_range **first, u32 *range_count);

static inline const struct gpa_range *vmbus_gpa_range_next(const struct gpa_range *range)
{
	return (const struct gpa_range *)&range->pfn_array[vmbus_gpa_range_pfns(range->byte_offset,
										 range->byte_count)];
}

#endif
