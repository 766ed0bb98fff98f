/*
 * VMBus ring buffer: packet layout byte by byte, the signalling rules,
 * wrap-around, in-place access, and a producer and a consumer thread
 * signalling each other only as the rules say (a lost wakeup fails).
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "unit.h"
#include "vmbus/packet.h"

struct test_ring {
	u8 *buf;
	struct vmbus_ring_mem m;
	struct vmbus_ring_writer w;
	struct vmbus_ring_reader r;
};

/* A ring whose indices both start at `start` (to place the wrap point). */
static void ring_new(struct test_ring *t, u32 size, u32 start)
{
	t->buf = aligned_alloc(PAGE_SIZE, ALIGN_UP(PAGE_SIZE + size, PAGE_SIZE));
	memset(t->buf, 0xee, PAGE_SIZE + size);
	vmbus_ring_format((struct hv_ring_buffer *)t->buf);
	t->m = (struct vmbus_ring_mem){ (struct hv_ring_buffer *)t->buf, t->buf + PAGE_SIZE, size };
	t->m.ctl->write_index = t->m.ctl->read_index = start;
	CHECK_EQ(vmbus_ring_writer_init(&t->w, &t->m), 0);
	CHECK_EQ(vmbus_ring_reader_init(&t->r, &t->m), 0);
}

static void ring_free(struct test_ring *t)
{
	free(t->buf);
}

static u8 *data(struct test_ring *t)
{
	return t->buf + PAGE_SIZE;
}

static void control_page_layout(void)
{
	struct test_ring t;

	ring_new(&t, PAGE_SIZE, 0);
	CHECK_EQ(*(u32 *)(t.buf + 64), 1); /* feature_bits.feat_pending_send_sz */
	CHECK_EQ(*(u32 *)(t.buf + 0), 0);
	CHECK_EQ(*(u32 *)(t.buf + 12), 0);
	ring_free(&t);
}

static void inband_bytes(void)
{
	static const u8 payload[5] = { 1, 2, 3, 4, 5 };
	struct test_ring t;
	struct vmbus_pkt pkt;
	u8 out[16];
	bool signal;

	ring_new(&t, PAGE_SIZE, 0);
	CHECK_EQ(vmbus_send_inband(&t.w, 0x1122334455667788ull, VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED, payload,
				   sizeof(payload), &signal), 0);
	CHECK(signal);
	/* vmpacket_descriptor: type 6, offset8 2, len8 3 (16 + 5 -> 24), flags 1, trans_id */
	static const u8 want[40] = { 6, 0, 2, 0, 3, 0, 1, 0, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
				     1, 2, 3, 4, 5, 0, 0, 0,
				     /* trailer: start offset 0 in the upper half */
				     0, 0, 0, 0, 0, 0, 0, 0 };
	CHECK(!memcmp(data(&t), want, 32));
	CHECK_EQ(t.m.ctl->write_index, 32);
	CHECK_EQ(vmbus_ring_recv(&t.r, &pkt, out, sizeof(out)), 8);
	CHECK_EQ(pkt.type, VM_PKT_DATA_INBAND);
	CHECK_EQ(pkt.flags, 1);
	CHECK_EQ(pkt.trans_id, 0x1122334455667788ull);
	CHECK(!memcmp(out, payload, 5));
	CHECK(!vmbus_ring_read_done(&t.r));
	CHECK_EQ(t.m.ctl->read_index, 32);
	/* The second packet's trailer holds its start, 32. */
	CHECK_EQ(vmbus_send_inband(&t.w, 1, 0, "abcdefgh", 8, &signal), 0);
	CHECK(signal);
	CHECK_EQ(*(u64 *)(data(&t) + 32 + 24), 32ull << 32);
	ring_free(&t);
}

static void comp_and_gpa_direct_bytes(void)
{
	static const u64 pfns_a[1] = { 0x1234 };
	static const u64 pfns_b[2] = { 0x5000, 0x5001 };
	struct vmbus_gpa_range_desc ranges[2] = { { 100, 4000, pfns_b }, { 64, 8, pfns_a } };
	const struct gpa_range *range;
	struct test_ring t;
	struct vmbus_pkt pkt;
	u8 table[256], msg[8] = "request";
	u32 count;
	bool signal;

	ring_new(&t, PAGE_SIZE, 0);
	CHECK_EQ(vmbus_send_comp(&t.w, 77, "ok", 2, &signal), 0);
	CHECK_EQ(data(&t)[0], VM_PKT_COMP);
	CHECK_EQ(*(u16 *)(data(&t) + 6), 0);
	CHECK_EQ(vmbus_ring_peek(&t.r, &pkt), 0);
	CHECK_EQ(pkt.trans_id, 77);
	vmbus_ring_advance(&t.r, &pkt);

	CHECK_EQ(vmbus_send_gpa_direct(&t.w, 9, VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED, ranges, 2, msg,
				       sizeof(msg), &signal), 0);
	u8 *p = data(&t) + 32;
	/* header 16 + reserved/rangecount 8 + range (8 + 2 pfns) + range (8 + 1 pfn) = 64 */
	CHECK_EQ(*(u16 *)p, VM_PKT_DATA_USING_GPA_DIRECT);
	CHECK_EQ(*(u16 *)(p + 2), 64 / 8);
	CHECK_EQ(*(u16 *)(p + 4), 72 / 8);
	CHECK_EQ(*(u32 *)(p + 16), 0);
	CHECK_EQ(*(u32 *)(p + 20), 2);
	CHECK_EQ(*(u32 *)(p + 24), 100);
	CHECK_EQ(*(u32 *)(p + 28), 4000);
	CHECK_EQ(*(u64 *)(p + 32), 0x5000);
	CHECK_EQ(*(u64 *)(p + 40), 0x5001);
	CHECK_EQ(*(u32 *)(p + 48), 64);
	CHECK_EQ(*(u64 *)(p + 56), 0x1234);
	CHECK(!memcmp(p + 64, "request", 8));

	CHECK_EQ(vmbus_ring_peek(&t.r, &pkt), 0);
	CHECK_EQ(pkt.hdr_len, 64);
	CHECK_EQ(vmbus_recv_gpa_ranges(&t.r, &pkt, table, sizeof(table), &range, &count), 0);
	CHECK_EQ(count, 2);
	CHECK_EQ(range->byte_count, 100);
	CHECK_EQ(range->pfn_array[1], 0x5001);
	range = vmbus_gpa_range_next(range);
	CHECK_EQ(range->pfn_array[0], 0x1234);
	/* A range table that claims more pfns than it carries is refused. */
	*(u32 *)(p + 24) = 3 * PAGE_SIZE;
	CHECK_EQ(vmbus_recv_gpa_ranges(&t.r, &pkt, table, sizeof(table), &range, &count), -VMBUS_EINVAL);
	CHECK_EQ(vmbus_recv_gpa_ranges(&t.r, &pkt, table, 16, &range, &count), -VMBUS_ENOSPC);
	ring_free(&t);
}

static void signal_rules(void)
{
	struct test_ring t;
	struct vmbus_pkt pkt;
	u8 buf[64];

	ring_new(&t, PAGE_SIZE, 0);
	/* Batch: nothing visible before the flush, one signal for three packets. */
	struct vmbus_iov iov = { "abcdefgh", 8 };
	struct vmbus_pkt_out p = { .type = VM_PKT_DATA_INBAND, .iov = &iov, .iov_count = 1 };
	CHECK_EQ(vmbus_ring_put(&t.w, &p), 0);
	CHECK_EQ(vmbus_ring_put(&t.w, &p), 0);
	CHECK_EQ(vmbus_ring_put(&t.w, &p), 0);
	CHECK_EQ(t.m.ctl->write_index, 0);
	CHECK_EQ(vmbus_ring_peek(&t.r, &pkt), -VMBUS_EAGAIN);
	CHECK(vmbus_ring_flush(&t.w));
	CHECK(!vmbus_ring_flush(&t.w));
	CHECK_EQ(t.m.ctl->write_index, 3 * 32);
	/* Not empty before the write: no signal. */
	CHECK_EQ(vmbus_ring_put(&t.w, &p), 0);
	CHECK(!vmbus_ring_flush(&t.w));
	/* Drained, then masked: no signal either; unmask reports the new data. */
	while (vmbus_ring_recv(&t.r, &pkt, buf, sizeof(buf)) > 0)
		;
	CHECK(!vmbus_ring_read_done(&t.r));
	vmbus_ring_mask(&t.r);
	CHECK_EQ(vmbus_ring_put(&t.w, &p), 0);
	CHECK(!vmbus_ring_flush(&t.w));
	CHECK(vmbus_ring_unmask(&t.r));
	CHECK_EQ(vmbus_ring_recv(&t.r, &pkt, buf, sizeof(buf)), 8);
	vmbus_ring_read_done(&t.r);
	CHECK(!vmbus_ring_unmask(&t.r));
	CHECK_EQ(vmbus_ring_put(&t.w, &p), 0);
	CHECK(vmbus_ring_flush(&t.w));
	ring_free(&t);
}

static void pending_send_size(void)
{
	struct test_ring t;
	struct vmbus_pkt pkt;
	u8 payload[480] = { 0 }, buf[512];
	struct vmbus_iov iov = { payload, sizeof(payload) };
	struct vmbus_pkt_out p = { .type = VM_PKT_DATA_INBAND, .iov = &iov, .iov_count = 1 };
	u32 fp = vmbus_ring_pkt_footprint(sizeof(payload)), n = 0;

	ring_new(&t, PAGE_SIZE, 0);
	CHECK_EQ(fp, 504);
	while (vmbus_ring_put(&t.w, &p) == 0)
		n++;
	CHECK_EQ(n, 8); /* 8 * 504 = 4032; a ninth would leave less than one free byte */
	vmbus_ring_flush(&t.w);
	CHECK(!vmbus_ring_want_space(&t.w, 2 * fp));
	CHECK_EQ(t.m.ctl->pending_send_sz, 2 * fp);
	/* Free 64 + 504 bytes: still not more than 2 * 504: no signal. */
	CHECK_EQ(vmbus_ring_recv(&t.r, &pkt, buf, sizeof(buf)), 480);
	CHECK(!vmbus_ring_read_done(&t.r));
	/* Now 1072 > 1008 free: the transition, one signal. */
	CHECK_EQ(vmbus_ring_recv(&t.r, &pkt, buf, sizeof(buf)), 480);
	CHECK(vmbus_ring_read_done(&t.r));
	/* Already had room: no second signal. */
	CHECK_EQ(vmbus_ring_recv(&t.r, &pkt, buf, sizeof(buf)), 480);
	CHECK(!vmbus_ring_read_done(&t.r));
	/* Writing clears the request. */
	CHECK_EQ(vmbus_ring_put(&t.w, &p), 0);
	vmbus_ring_flush(&t.w);
	CHECK_EQ(t.m.ctl->pending_send_sz, 0);
	/* A ring without feat_pending_send_sz never signals the writer. */
	t.m.ctl->feature_bits = 0;
	t.m.ctl->pending_send_sz = 8;
	CHECK_EQ(vmbus_ring_recv(&t.r, &pkt, buf, sizeof(buf)), 480);
	CHECK(!vmbus_ring_read_done(&t.r));
	/* Room already there: want_space says retry now and leaves no request. */
	CHECK(vmbus_ring_want_space(&t.w, fp));
	CHECK_EQ(t.m.ctl->pending_send_sz, 0);
	ring_free(&t);
}

static void too_big(void)
{
	struct test_ring t;
	static u8 big[PAGE_SIZE];
	bool signal;

	ring_new(&t, PAGE_SIZE, 0);
	CHECK_EQ(vmbus_send_inband(&t.w, 1, 0, big, PAGE_SIZE - 24, &signal), -VMBUS_ENOSPC);
	CHECK_EQ(vmbus_send_inband(&t.w, 1, 0, big, PAGE_SIZE - 32, &signal), 0);
	CHECK_EQ(vmbus_send_inband(&t.w, 1, 0, big, 0, &signal), -VMBUS_EAGAIN);
	ring_free(&t);
}

/* A descriptor straddling the end, and a payload wrapping: copy and in-place. */
static void wrap_around(void)
{
	struct test_ring t;
	struct vmbus_pkt pkt;
	struct vmbus_ring_span span;
	u8 payload[100], out[104];
	u32 i, start;
	bool signal;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (u8)(i * 7 + 1);
	for (start = PAGE_SIZE - 64; start < PAGE_SIZE; start += 8) {
		ring_new(&t, PAGE_SIZE, start);
		CHECK_EQ(vmbus_send_inband(&t.w, start, 0, payload, sizeof(payload), &signal), 0);
		CHECK(signal);
		CHECK_EQ(t.m.ctl->write_index, (start + 16 + 104 + 8) % PAGE_SIZE);
		CHECK_EQ(vmbus_ring_peek(&t.r, &pkt), 0);
		CHECK_EQ(pkt.trans_id, start);
		/* In place only when the payload does not wrap. */
		CHECK((vmbus_ring_pkt_ptr(&t.r, &pkt, 16, 100) == NULL) == (start + 16 < PAGE_SIZE));
		CHECK_EQ(vmbus_ring_pkt_copy(&t.r, &pkt, 16, out, 104), 0);
		CHECK(!memcmp(out, payload, 100));
		CHECK_EQ(vmbus_ring_pkt_copy(&t.r, &pkt, 16, out, 105), -VMBUS_EINVAL);
		vmbus_ring_advance(&t.r, &pkt);
		vmbus_ring_read_done(&t.r);
		/* In place: reserve, fill both pieces, commit. */
		struct vmbus_pkt_out p = { .type = VM_PKT_DATA_INBAND, .trans_id = 5 };
		CHECK_EQ(vmbus_ring_reserve(&t.w, &p, 40, &span), 0);
		CHECK_EQ(span.n[0] + span.n[1], 40);
		memcpy((u8 *)span.p[0], payload, span.n[0]);
		memcpy((u8 *)span.p[1], payload + span.n[0], span.n[1]);
		vmbus_ring_commit(&t.w, &span);
		CHECK(vmbus_ring_flush(&t.w));
		CHECK_EQ(vmbus_ring_peek(&t.r, &pkt), 0);
		const volatile u8 *in_place = vmbus_ring_pkt_ptr(&t.r, &pkt, 16, 40);
		CHECK(in_place != NULL);
		if (in_place)
			CHECK(!memcmp((const u8 *)in_place, payload, 40));
		ring_free(&t);
	}
}

/* --- two threads ---------------------------------------------------------- */

struct duo {
	struct test_ring t;
	u32 count, max_payload;
	sem_t to_reader, to_writer;
	const char *error;
	u64 signals_r, signals_w;
};

static u64 next_rand(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void fill(u8 *p, u32 n, u32 seq)
{
	u64 s = 0x9e3779b97f4a7c15ull ^ seq;
	u32 i;

	for (i = 0; i < n; i++)
		p[i] = (u8)next_rand(&s);
}

static u32 payload_len(u32 seq, u32 max)
{
	u64 s = 0x12345678ull + seq * 2654435761ull;

	return (u32)(next_rand(&s) % (max + 1));
}

/* Wait for the other thread's signal; ten seconds without one is a lost wakeup. */
static bool wait_signal(sem_t *sem)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 10;
	while (sem_timedwait(sem, &ts) != 0)
		if (errno != EINTR)
			return false;
	return true;
}

static void *writer_thread(void *arg)
{
	struct duo *d = arg;
	u8 buf[8192];
	u32 seq;

	for (seq = 0; seq < d->count && !d->error; seq++) {
		u32 n = payload_len(seq, d->max_payload);
		int ret;

		fill(buf, n, seq);
		struct vmbus_iov iov[2] = { { &seq, 4 }, { buf, n } };
		struct vmbus_pkt_out p = { .type = VM_PKT_DATA_INBAND, .trans_id = seq, .iov = iov, .iov_count = 2 };
		while ((ret = vmbus_ring_put(&d->t.w, &p)) == -VMBUS_EAGAIN) {
			if (vmbus_ring_flush(&d->t.w)) {
				d->signals_w++;
				sem_post(&d->to_reader);
			}
			if (!vmbus_ring_want_space(&d->t.w, vmbus_ring_pkt_footprint(4 + n)) &&
			    !wait_signal(&d->to_writer)) {
				d->error = "writer: lost wakeup";
				return NULL;
			}
		}
		if (ret) {
			d->error = "writer: put failed";
			return NULL;
		}
		/* Flush every few packets: batches of varying length. */
		if (seq % 3 == 0 && vmbus_ring_flush(&d->t.w)) {
			d->signals_w++;
			sem_post(&d->to_reader);
		}
	}
	if (vmbus_ring_flush(&d->t.w))
		sem_post(&d->to_reader);
	return NULL;
}

static bool check_packet(struct duo *d, const struct vmbus_pkt *pkt, u32 seq, u8 *buf, u8 *want)
{
	u32 n = payload_len(seq, d->max_payload), got_seq;

	if (pkt->trans_id != seq || pkt->len - pkt->hdr_len != ALIGN_UP(4 + n, 8))
		return false;
	vmbus_ring_pkt_copy(&d->t.r, pkt, pkt->hdr_len, &got_seq, 4);
	vmbus_ring_pkt_copy(&d->t.r, pkt, pkt->hdr_len + 4, buf, n);
	fill(want, n, seq);
	return got_seq == seq && !memcmp(buf, want, n);
}

static void *reader_thread(void *arg)
{
	struct duo *d = arg;
	static __thread u8 buf[8192], want[8192];
	struct vmbus_pkt pkt;
	u32 seq = 0;
	int ret;

	vmbus_ring_mask(&d->t.r);
	while (seq < d->count && !d->error) {
		ret = vmbus_ring_peek(&d->t.r, &pkt);
		if (ret == 0) {
			if (!check_packet(d, &pkt, seq, buf, want)) {
				d->error = "reader: bad packet";
				return NULL;
			}
			vmbus_ring_advance(&d->t.r, &pkt);
			seq++;
			if (seq % 5 == 0 && vmbus_ring_read_done(&d->t.r)) {
				d->signals_r++;
				sem_post(&d->to_writer);
			}
			continue;
		}
		if (ret != -VMBUS_EAGAIN) {
			d->error = "reader: ring corrupt";
			return NULL;
		}
		if (vmbus_ring_read_done(&d->t.r)) {
			d->signals_r++;
			sem_post(&d->to_writer);
		}
		/* Going idle: unmask, and sleep only if nothing slipped in meanwhile. */
		if (!vmbus_ring_unmask(&d->t.r) && !wait_signal(&d->to_reader)) {
			d->error = "reader: lost wakeup";
			return NULL;
		}
		vmbus_ring_mask(&d->t.r);
	}
	return NULL;
}

static void run_duo(u32 size, u32 start, u32 max_payload, u32 count)
{
	struct duo d = { .count = count, .max_payload = max_payload };
	pthread_t tw, tr;

	ring_new(&d.t, size, start);
	sem_init(&d.to_reader, 0, 0);
	sem_init(&d.to_writer, 0, 0);
	pthread_create(&tr, NULL, reader_thread, &d);
	pthread_create(&tw, NULL, writer_thread, &d);
	pthread_join(tw, NULL);
	pthread_join(tr, NULL);
	if (d.error)
		fprintf(stderr, "  size %u start %u max %u: %s\n", size, start, max_payload, d.error);
	CHECK(d.error == NULL);
	sem_destroy(&d.to_reader);
	sem_destroy(&d.to_writer);
	ring_free(&d.t);
}

static void threads_many_sizes(void)
{
	static const u32 sizes[] = { PAGE_SIZE, PAGE_SIZE + 8, 2 * PAGE_SIZE, 3 * PAGE_SIZE - 40, 16 * PAGE_SIZE };
	u32 i, start;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		for (start = 0; start < sizes[i]; start += sizes[i] / 3 & ~7u)
			run_duo(sizes[i], start, MIN(sizes[i] / 3, 8000u), 6000);
}

static void threads_tiny_packets(void)
{
	run_duo(PAGE_SIZE, PAGE_SIZE - 8, 16, 40000);
}

UNIT_MAIN("vmbus_ring", CASE(control_page_layout), CASE(inband_bytes), CASE(comp_and_gpa_direct_bytes),
	  CASE(signal_rules), CASE(pending_send_size), CASE(too_big), CASE(wrap_around), CASE(threads_many_sizes),
	  CASE(threads_tiny_packets))
