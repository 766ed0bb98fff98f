/*
 * A hostile peer owns half of every ring: indices, descriptors and data can
 * hold anything and change at any moment. Targeted corruptions must be
 * reported as -VMBUS_EIO; random ones and a thread scribbling over the ring
 * while we read and write must never make us touch memory outside the ring
 * (AddressSanitizer watches) or loop forever.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "vmbus/packet.h"

#define SIZE (2 * PAGE_SIZE)

struct ring {
	u8 *buf; /* exactly control page + data: ASan flags any byte beyond */
	struct vmbus_ring_mem m;
	struct vmbus_ring_writer w;
	struct vmbus_ring_reader r;
};

static void ring_new(struct ring *t)
{
	t->buf = malloc(PAGE_SIZE + SIZE);
	memset(t->buf, 0, PAGE_SIZE + SIZE);
	vmbus_ring_format((struct hv_ring_buffer *)t->buf);
	t->m = (struct vmbus_ring_mem){ (struct hv_ring_buffer *)t->buf, t->buf + PAGE_SIZE, SIZE };
	CHECK_EQ(vmbus_ring_writer_init(&t->w, &t->m), 0);
	CHECK_EQ(vmbus_ring_reader_init(&t->r, &t->m), 0);
}

static u64 rnd(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void send(struct ring *t, u32 len)
{
	static u8 zero[PAGE_SIZE];
	bool signal;

	CHECK_EQ(vmbus_send_inband(&t->w, 1, 0, zero, len, &signal), 0);
}

static struct vmpacket_descriptor *desc_at(struct ring *t, u32 off)
{
	return (struct vmpacket_descriptor *)(t->buf + PAGE_SIZE + off);
}

static int peek(struct ring *t)
{
	struct vmbus_pkt pkt;

	return vmbus_ring_peek(&t->r, &pkt);
}

static void bad_write_index(void)
{
	static const u32 bad[] = { SIZE, SIZE + 8, 0xfffffff8u, 4, 17, 8 /* too short for a packet */ };
	struct ring t;
	u32 i;

	ring_new(&t);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		t.m.ctl->write_index = bad[i];
		CHECK_EQ(peek(&t), -VMBUS_EIO);
		CHECK(vmbus_ring_unmask(&t.r)); /* "something there": the caller peeks and sees the error */
	}
	free(t.buf);
}

static void bad_descriptor(void)
{
	struct { u16 offset8, len8; } bad[] = {
		{ 2, 0 }, { 2, 1 }, { 0, 4 }, { 1, 4 }, { 5, 4 }, { 2, 5 } /* + trailer past write_index */, { 2, 0xffff },
	};
	struct ring t;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ring_new(&t);
		send(&t, 16); /* len8 4 */
		desc_at(&t, 0)->offset8 = bad[i].offset8;
		desc_at(&t, 0)->len8 = bad[i].len8;
		CHECK_EQ(peek(&t), -VMBUS_EIO);
		free(t.buf);
	}
	/* The boundary that is still valid: payload offset == packet length. */
	ring_new(&t);
	send(&t, 16);
	desc_at(&t, 0)->offset8 = 4;
	CHECK_EQ(peek(&t), 0);
	free(t.buf);
}

static void bad_read_index(void)
{
	static u8 payload[1000];
	struct ring t;
	bool signal;
	int ret;
	u32 n = 0;

	ring_new(&t);
	t.m.ctl->read_index = SIZE;
	CHECK_EQ(vmbus_ring_write_space(&t.w), -VMBUS_EIO);
	/* The writer rereads read_index when its cached copy says "full": then it notices. */
	t.m.ctl->read_index = 12;
	while ((ret = vmbus_send_inband(&t.w, 1, 0, payload, sizeof(payload), &signal)) == 0)
		n++;
	CHECK_EQ(ret, -VMBUS_EIO);
	CHECK(n < SIZE / 1000);
	/* A corrupt index at open time refuses the ring. */
	struct vmbus_ring_reader r;
	struct vmbus_ring_writer w;
	CHECK_EQ(vmbus_ring_reader_init(&r, &t.m), -VMBUS_EIO);
	CHECK_EQ(vmbus_ring_writer_init(&w, &t.m), -VMBUS_EIO);
	t.m.ctl->read_index = 0;
	t.m.ctl->write_index = 0xfff0;
	CHECK_EQ(vmbus_ring_writer_init(&w, &t.m), -VMBUS_EIO);
	free(t.buf);
}

/* Corrupt pending_send_sz/write_index seen by read_done: no signal, no fault. */
static void bad_signal_state(void)
{
	struct ring t;
	u8 buf[64];
	struct vmbus_pkt pkt;

	ring_new(&t);
	send(&t, 8);
	CHECK_EQ(vmbus_ring_recv(&t.r, &pkt, buf, sizeof(buf)), 8);
	t.m.ctl->pending_send_sz = 0xffffffffu;
	t.m.ctl->write_index = 3;
	CHECK(!vmbus_ring_read_done(&t.r));
	free(t.buf);
}

/* Read everything the ring claims to hold; stops on empty or corrupt. */
static u32 drain(struct ring *t, u64 *seed)
{
	u8 buf[SIZE];
	struct vmbus_pkt pkt;
	u32 n = 0;
	int ret;

	while ((ret = vmbus_ring_peek(&t->r, &pkt)) == 0) {
		u32 off = (u32)(rnd(seed) % (pkt.len + 2)), len = (u32)(rnd(seed) % (pkt.len + 2));

		/* Any offset/length: either valid and inside the packet, or refused. */
		if (vmbus_ring_pkt_copy(&t->r, &pkt, off, buf, len) == 0)
			CHECK(off + len <= pkt.len);
		vmbus_ring_pkt_ptr(&t->r, &pkt, off, len);
		if (pkt.type == VM_PKT_DATA_USING_GPA_DIRECT) {
			const struct gpa_range *range;
			u32 count;

			vmbus_recv_gpa_ranges(&t->r, &pkt, buf, sizeof(buf), &range, &count);
		}
		vmbus_ring_advance(&t->r, &pkt);
		CHECK(++n <= SIZE / 24);
	}
	vmbus_ring_read_done(&t->r);
	return n;
}

static void random_rings(void)
{
	u64 seed = 0x5eed;
	u32 round, errors = 0, packets = 0;
	struct ring t;

	ring_new(&t);
	for (round = 0; round < 3000; round++) {
		u32 i, k = (u32)(rnd(&seed) % 64);

		/* Mostly valid traffic with some bytes flipped, or random indices. */
		for (i = 0; i < 4; i++)
			send(&t, (u32)(rnd(&seed) % 200));
		for (i = 0; i < k; i++)
			t.buf[PAGE_SIZE + rnd(&seed) % SIZE] = (u8)rnd(&seed);
		if (round % 7 == 0)
			t.m.ctl->write_index = (u32)rnd(&seed) % (SIZE + 64);
		packets += drain(&t, &seed);
		if (vmbus_ring_peek(&t.r, &(struct vmbus_pkt){ 0 }) == -VMBUS_EIO)
			errors++;
		/* What a caller does on corruption: reset the channel. */
		free(t.buf);
		ring_new(&t);
	}
	CHECK(errors > 100);
	CHECK(packets > 1000);
	free(t.buf);
}

/* --- a peer that rewrites the ring while we use it -------------------------- */

struct scribble {
	struct ring *t;
	atomic_bool stop;
};

static void *scribbler(void *arg)
{
	struct scribble *s = arg;
	volatile u8 *b = s->t->buf;
	u64 seed = 77;

	while (!atomic_load(&s->stop)) {
		u64 x = rnd(&seed);

		switch (x % 4) {
		case 0:
			((volatile u32 *)b)[x >> 8 & 1] = (u32)(x >> 32) % (SIZE + 64); /* write or read index */
			break;
		case 1:
			((volatile u32 *)b)[2 + (x >> 8 & 1)] = (u32)(x >> 32); /* mask, pending */
			break;
		default:
			b[PAGE_SIZE + (x >> 16) % SIZE] = (u8)(x >> 8); /* data and descriptors */
			break;
		}
	}
	return NULL;
}

static void concurrent_scribbler(void)
{
	struct ring t;
	struct scribble s = { &t, false };
	pthread_t th;
	u64 seed = 3;
	u32 i, eio = 0;
	static u8 payload[600];

	ring_new(&t);
	pthread_create(&th, NULL, scribbler, &s);
	for (i = 0; i < 200000; i++) {
		struct vmbus_pkt pkt;
		bool signal;
		int ret;

		ret = vmbus_send_inband(&t.w, i, 0, payload, (u32)(rnd(&seed) % sizeof(payload)), &signal);
		if (ret == -VMBUS_EIO)
			eio++;
		ret = vmbus_ring_peek(&t.r, &pkt);
		if (ret == 0) {
			u8 buf[SIZE];

			vmbus_ring_pkt_copy(&t.r, &pkt, pkt.hdr_len, buf, pkt.len - pkt.hdr_len);
			vmbus_ring_advance(&t.r, &pkt);
			vmbus_ring_read_done(&t.r);
		} else if (ret == -VMBUS_EIO) {
			eio++;
		}
	}
	atomic_store(&s.stop, true);
	pthread_join(th, NULL);
	CHECK(eio > 0);
	free(t.buf);
}

UNIT_MAIN("vmbus_ring_corrupt", CASE(bad_write_index), CASE(bad_descriptor), CASE(bad_read_index),
	  CASE(bad_signal_state), CASE(random_rings), CASE(concurrent_scribbler))
