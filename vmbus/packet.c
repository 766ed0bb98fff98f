/*
 * Sending and parsing the packet kinds stock Linux VSCs use: in-band data
 * (vmbus_sendpacket), GPA direct (vmbus_sendpacket_pagebuffer and
 * vmbus_sendpacket_mpb_desc) and completions.
 */
#include "vmbus/packet.h"

static int send_one(struct vmbus_ring_writer *w, const struct vmbus_pkt_out *p, bool *signal)
{
	int ret = vmbus_ring_put(w, p);

	*signal = !ret && vmbus_ring_flush(w);
	return ret;
}

int vmbus_send_inband(struct vmbus_ring_writer *w, u64 trans_id, u16 flags, const void *data, u32 len,
		      bool *signal)
{
	struct vmbus_iov iov = { data, len };
	struct vmbus_pkt_out p = {
		.type = VM_PKT_DATA_INBAND, .flags = flags, .trans_id = trans_id, .iov = &iov, .iov_count = 1,
	};

	return send_one(w, &p, signal);
}

int vmbus_send_comp(struct vmbus_ring_writer *w, u64 trans_id, const void *data, u32 len, bool *signal)
{
	struct vmbus_iov iov = { data, len };
	struct vmbus_pkt_out p = { .type = VM_PKT_COMP, .trans_id = trans_id, .iov = &iov, .iov_count = 1 };

	return send_one(w, &p, signal);
}

int vmbus_send_gpa_direct(struct vmbus_ring_writer *w, u64 trans_id, u16 flags,
			  const struct vmbus_gpa_range_desc *ranges, u32 range_count, const void *data, u32 len,
			  bool *signal)
{
	struct vmbus_gpa_direct_hdr hdr = { 0, range_count };
	struct vmbus_iov iov[2 + 2 * MAX_PAGE_BUFFER_COUNT];
	struct gpa_range rh[MAX_PAGE_BUFFER_COUNT];
	struct vmbus_pkt_out p = {
		.type = VM_PKT_DATA_USING_GPA_DIRECT, .flags = flags, .trans_id = trans_id, .iov = iov,
	};
	u64 table = sizeof(hdr);
	u32 i, n = 0;

	if (!range_count || range_count > MAX_PAGE_BUFFER_COUNT)
		return -VMBUS_EINVAL;
	iov[n++] = (struct vmbus_iov){ &hdr, sizeof(hdr) };
	for (i = 0; i < range_count; i++) {
		u64 pfns = vmbus_gpa_range_pfns(ranges[i].byte_offset, ranges[i].byte_count);

		rh[i].byte_count = ranges[i].byte_count;
		rh[i].byte_offset = ranges[i].byte_offset;
		table += sizeof(rh[i]) + pfns * sizeof(u64);
		if (table > VMBUS_PKT_MAX_LEN)
			return -VMBUS_ENOSPC;
		iov[n++] = (struct vmbus_iov){ &rh[i], sizeof(rh[i]) };
		iov[n++] = (struct vmbus_iov){ ranges[i].pfns, (u32)(pfns * sizeof(u64)) };
	}
	/* The range table is the type-specific header: offset8 points past it. */
	iov[n++] = (struct vmbus_iov){ data, len };
	p.ext_len = (u32)table;
	p.iov_count = n;
	return send_one(w, &p, signal);
}

int vmbus_recv_gpa_ranges(const struct vmbus_ring_reader *r, const struct vmbus_pkt *pkt, void *buf,
			  u32 buflen, const struct gpa_range **first, u32 *range_count)
{
	const struct vmbus_gpa_direct_hdr *hdr = buf;
	u32 table = pkt->hdr_len - sizeof(struct vmpacket_descriptor);
	const u8 *p, *end;
	u32 i, count;

	if (pkt->type != VM_PKT_DATA_USING_GPA_DIRECT || table < sizeof(*hdr))
		return -VMBUS_EINVAL;
	if (table > buflen)
		return -VMBUS_ENOSPC;
	vmbus_ring_pkt_copy(r, pkt, sizeof(struct vmpacket_descriptor), buf, table);
	count = hdr->rangecount;
	if (!count)
		return -VMBUS_EINVAL;
	/* Each range and its pfn array must lie inside the copied table. */
	p = (const u8 *)buf + sizeof(*hdr);
	end = (const u8 *)buf + table;
	for (i = 0; i < count; i++) {
		const struct gpa_range *range = (const struct gpa_range *)p;

		if ((u64)(end - p) < sizeof(*range))
			return -VMBUS_EINVAL;
		if (vmbus_gpa_range_pfns(range->byte_offset, range->byte_count) >
		    (u64)(end - p - sizeof(*range)) / sizeof(u64))
			return -VMBUS_EINVAL;
		p = (const u8 *)vmbus_gpa_range_next(range);
	}
	*first = (const struct gpa_range *)((const u8 *)buf + sizeof(*hdr));
	*range_count = count;
	return 0;
}
