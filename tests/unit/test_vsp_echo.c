/*
 * The echo VSP (vsp/echo.c) against our client: completions when asked
 * for, in-band replies otherwise, payload and transaction id unchanged, in
 * order through a ring that fills up; what it does not echo.
 */
#include "test_vsp_harness.h"
#include "vsp/echo.h"

static const vmbus_guid_t echo_guid = VSP_ECHO_CLASS_ID;
static struct vsp ev;
static struct vsp_echo es;

static void setup(void)
{
	vmbus_guid_t inst = { { 0xec, 0x40 } };

	harness_init(NULL);
	vsp_echo_init(&ev, &es, &inst);
	CHECK_EQ(vsp_host_add(&H.host, &ev), 1);
	guest_connect();
}

static u8 pattern(u64 seq, u32 i)
{
	return (u8)(seq * 131 + i * 7 + (i >> 8));
}

static u32 size_of(u64 seq)
{
	return seq % 64 == 0 ? 2048 + (u32)(seq % 1000) : 1 + (u32)((seq * 37) % 300);
}

/* Sends packets with a window, verifies each reply as it comes; returns replies seen. */
static u32 exchange(struct gchan *g, u32 count, u32 window)
{
	static u8 buf[4096], got[4200];
	u32 sent = 0, recvd = 0, rounds = 0, i;

	while (recvd < count && rounds++ < 100000) {
		while (sent < count && sent - recvd < window) {
			u32 n = size_of(sent);
			u16 flags = sent & 1 ? VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED : 0;
			int ret;

			for (i = 0; i < n; i++)
				buf[i] = pattern(sent, i);
			ret = guest_send(g, sent + 1, flags, buf, n);
			if (ret == -VMBUS_EAGAIN)
				break;
			CHECK_EQ(ret, 0);
			sent++;
		}
		vsp_host_run(&H.host, 0);
		for (;;) {
			struct vmbus_pkt pkt;
			s64 len = guest_recv(g, &pkt, got, sizeof(got));
			u32 n = size_of(recvd);
			bool ok = true;

			if (len == -VMBUS_EAGAIN)
				break;
			CHECK_EQ(len, ALIGN_UP(n, 8));
			CHECK_EQ(pkt.trans_id, recvd + 1);
			CHECK_EQ(pkt.type, recvd & 1 ? VM_PKT_COMP : VM_PKT_DATA_INBAND);
			for (i = 0; i < n && ok; i++)
				ok = got[i] == pattern(recvd, i);
			for (; i < (u32)len && ok; i++)
				ok = got[i] == 0;
			CHECK(ok);
			recvd++;
		}
	}
	return recvd;
}

static void echo_many(void)
{
	struct gchan g;

	setup();
	CHECK_EQ(guest_open(&echo_guid, 10, 16, 8, &g), 0);
	CHECK_EQ(es.opens, 1);
	CHECK_EQ(exchange(&g, 3000, 16), 3000);
	CHECK_EQ(es.completions, 1500);
	CHECK_EQ(es.inband, 1500);
	CHECK_EQ(es.failed, 0);
	CHECK_EQ(ev.stats.packets_in, 3000);
	CHECK_EQ(ev.stats.packets_out, 3000);
	/* Far fewer signals than packets: only empty -> non-empty transitions. */
	CHECK(ev.stats.signals_out < 3000);
	guest_close(&g);
	CHECK_EQ(es.closes, 1);
}

/* One data page back: the echo waits for room (pending_send_sz) and loses nothing. */
static void echo_small_ring(void)
{
	struct gchan g;

	setup();
	/* 8 KiB from the guest, 4 KiB back. */
	CHECK_EQ(guest_open(&echo_guid, 10, 5, 3, &g), 0);
	CHECK_EQ(exchange(&g, 500, 32), 500);
	CHECK(ev.stats.blocked > 0);
	CHECK_EQ(es.failed, 0);
}

/* Completions and GPA-direct packets from the guest are not echoed; a reply that can never fit is dropped. */
static void echo_ignores(void)
{
	static u8 buf[4096];
	struct vmbus_pkt pkt;
	struct gchan g;
	bool signal;

	setup();
	CHECK_EQ(guest_open(&echo_guid, 10, 5, 3, &g), 0);
	CHECK_EQ(vmbus_send_comp(&g.out, 5, buf, 8, &signal), 0);
	{
		u64 pfn = 3;
		struct vmbus_gpa_range_desc r = { 100, 0, &pfn };

		CHECK_EQ(vmbus_send_gpa_direct(&g.out, 6, 0, &r, 1, buf, 8, &signal), 0);
	}
	vsp_host_event(&H.host, g.relid);
	vsp_host_run(&H.host, 0);
	CHECK_EQ(es.ignored, 2);
	CHECK_EQ(guest_recv(&g, &pkt, buf, sizeof(buf)), -VMBUS_EAGAIN);
	/* 4000 bytes fit the 8 KiB ring in but never the 4 KiB ring back. */
	CHECK_EQ(guest_send(&g, 7, 0, buf, 4090), 0);
	CHECK_EQ(guest_send(&g, 8, 0, buf, 8), 0);
	vsp_host_run(&H.host, 0);
	CHECK_EQ(es.failed, 1);
	CHECK_EQ(guest_recv(&g, &pkt, buf, sizeof(buf)), 8);
	CHECK_EQ(pkt.trans_id, 8);
}

UNIT_MAIN("vsp_echo", CASE(echo_many), CASE(echo_small_ring), CASE(echo_ignores))
