/*
 * libFuzzer target: a ring whose control page and data the input decides,
 * and which the input keeps rewriting between our steps, as a hostile peer
 * would. Reading, in-place access, GPA-direct parsing and writing must stay
 * inside the ring (AddressSanitizer) and finish (bounded loop).
 */
#include <stdlib.h>
#include <string.h>
#include "vmbus/packet.h"

struct input {
	const u8 *p;
	size_t n;
};

static u32 take(struct input *in, u32 bytes)
{
	u32 v = 0;

	while (bytes-- && in->n) {
		v = v << 8 | *in->p++;
		in->n--;
	}
	return v;
}

/* The peer writes 4 bytes somewhere in the control page or data area. */
static void poke(struct input *in, u8 *buf, u32 total)
{
	u32 off = take(in, 2) % (total - 3), v = take(in, 4);

	memcpy(buf + off, &v, 4);
}

static void read_all(struct vmbus_ring_reader *r, struct input *in, u8 *buf, u32 total)
{
	static u8 scratch[4 * PAGE_SIZE + 64];
	struct vmbus_pkt pkt;
	u32 steps = 0;

	while (vmbus_ring_peek(r, &pkt) == 0) {
		const struct gpa_range *range;
		u32 count, off = take(in, 2), len = take(in, 2);

		if (vmbus_ring_pkt_copy(r, &pkt, off, scratch, MIN(len, (u32)sizeof(scratch))) == 0 &&
		    off + MIN(len, (u32)sizeof(scratch)) > pkt.len)
			__builtin_trap();
		vmbus_ring_pkt_ptr(r, &pkt, off, len);
		if (vmbus_recv_gpa_ranges(r, &pkt, scratch, sizeof(scratch), &range, &count) == 0)
			while (count--)
				range = vmbus_gpa_range_next(range);
		poke(in, buf, total);
		vmbus_ring_advance(r, &pkt);
		if (++steps > r->m.size / 24 + 1)
			__builtin_trap(); /* each packet takes at least 24 bytes: no endless loop */
	}
	vmbus_ring_read_done(r);
}

static void write_some(struct vmbus_ring_writer *w, struct input *in)
{
	static const u64 pfns[4] = { 1, 2, 3, 4 };
	static u8 payload[2 * PAGE_SIZE];
	struct vmbus_gpa_range_desc range = { take(in, 2), take(in, 1), pfns };
	bool signal;

	if (range.byte_offset + range.byte_count > 4 * PAGE_SIZE)
		range.byte_count = 100;
	vmbus_send_inband(w, 1, 0, payload, take(in, 2) % sizeof(payload), &signal);
	vmbus_send_gpa_direct(w, 2, 0, &range, 1, payload, take(in, 1), &signal);
	vmbus_ring_want_space(w, take(in, 2));
	vmbus_ring_flush(w);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { data, size };
	u32 data_size = (take(&in, 1) % 4 + 1) * PAGE_SIZE - (take(&in, 1) % 8) * 8;
	u32 total = PAGE_SIZE + data_size;
	u8 *buf = malloc(total);
	struct vmbus_ring_mem m = { (struct hv_ring_buffer *)buf, buf + PAGE_SIZE, data_size };
	struct vmbus_ring_reader r;
	struct vmbus_ring_writer w;
	u32 round;

	memset(buf, 0, total);
	/* Indices and flags from the input; the data area from the rest of it. */
	m.ctl->write_index = take(&in, 2);
	m.ctl->read_index = take(&in, 2);
	m.ctl->interrupt_mask = take(&in, 1);
	m.ctl->pending_send_sz = take(&in, 2);
	m.ctl->feature_bits = take(&in, 1);
	memcpy(buf + PAGE_SIZE, in.p, MIN(in.n, (size_t)data_size));
	for (round = 0; round < 4; round++) {
		if (vmbus_ring_reader_init(&r, &m) == 0)
			read_all(&r, &in, buf, total);
		if (vmbus_ring_writer_init(&w, &m) == 0)
			write_some(&w, &in);
		poke(&in, buf, total);
	}
	free(buf);
	return 0;
}
