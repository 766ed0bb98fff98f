/*
 * The heartbeat VSP (vsp/heartbeat.c, vsp/ic.c) against a guest that
 * answers as Linux's hv_utils does (tests/payloads/vmbus_ic_guest.c): the
 * NEGOTIATE bytes, the versions agreed with new, old and incompatible
 * guests, heartbeat sequence numbers and pacing, timeouts, and responses
 * that do not match the request. Then the Linux guest's own quirks.
 */
#include "test_vsp_harness.h"
#include "vsp/heartbeat.h"
#include "vmbus_ic_guest.h"

static const vmbus_guid_t hb_guid = VSP_HEARTBEAT_CLASS_ID;
static struct vsp hv;
static struct vsp_heartbeat hb;
static struct ic_guest_heartbeat guest;
static struct gchan g;

#define INTERVAL 1000
#define TIMEOUT 5000

static void setup(void)
{
	vmbus_guid_t inst = { { 0x4b, 0x42 } };

	harness_init(NULL);
	vsp_heartbeat_init(&hv, &hb, &inst, INTERVAL, TIMEOUT);
	CHECK_EQ(vsp_host_add(&H.host, &hv), 1);
	ic_guest_heartbeat_init(&guest);
	guest_connect();
	/* hv_utils: 3 data pages each way. */
	CHECK_EQ(guest_open(&hb_guid, 10, 8, 4, &g), 0);
}

/* hv_utils' channel callback: read everything, answer what it answers. Returns packets answered. */
static u32 guest_answer(void)
{
	static u8 buf[PAGE_SIZE];
	struct vmbus_pkt pkt;
	u32 n = 0;
	s64 len;

	while ((len = guest_recv(&g, &pkt, buf, sizeof(buf))) >= 0) {
		bool signal = false;

		if (!ic_guest_heartbeat(&guest, buf, (u32)len))
			break;
		CHECK_EQ(vmbus_send_inband(&g.out, pkt.trans_id, 0, buf, (u32)len, &signal), 0);
		if (signal)
			vmbus_client_signal(&H.client, g.relid);
		n++;
	}
	return n;
}

static void step(u64 now)
{
	H.now = now;
	vsp_host_run(&H.host, now);
}

/* The NEGOTIATE request, byte for byte. */
static void negotiate_bytes(void)
{
	u8 buf[256];
	struct vmbus_pkt pkt;
	static const u8 want[52] = {
		1, 0, 0, 0, 44, 0, 0, 0,            /* pipe: data, 44 bytes follow */
		1, 0, 0, 0, 0, 0, 1, 0, 0, 0,       /* framework 1.0, type NEGOTIATE, message 1.0 */
		24, 0, 0, 0, 0, 0, 0, 3, 0, 0,      /* icmsgsize 24, status 0, txn 0, TRANSACTION|REQUEST */
		2, 0, 2, 0, 0, 0, 0, 0,             /* 2 framework and 2 heartbeat versions */
		3, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, /* 3.0 1.0, 3.0 1.0 */
	};

	setup();
	CHECK_EQ(hb.opens, 1);
	CHECK_EQ(H.guest_signals[g.relid], 1);
	CHECK_EQ(hb.ic.state, IC_HOST_NEGOTIATING);
	CHECK_EQ(guest_recv(&g, &pkt, buf, sizeof(buf)), 56);
	CHECK_EQ(pkt.type, VM_PKT_DATA_INBAND);
	CHECK_EQ(pkt.flags, 0);
	CHECK_EQ(pkt.trans_id, 1);
	CHECK(!memcmp(buf, want, sizeof(want)));
	CHECK(!memcmp(buf + 52, "\0\0\0\0", 4));
	/* Only one request at a time. */
	step(100);
	CHECK_EQ(guest_recv(&g, &pkt, buf, sizeof(buf)), -VMBUS_EAGAIN);
}

/* A Linux guest agrees on 3.0/3.0; heartbeats then go every INTERVAL, each answered with seq + 1. */
static void linux_guest(void)
{
	u64 t;
	u32 i;

	setup();
	CHECK_EQ(guest_answer(), 1);
	CHECK_EQ(guest.negotiated, 1);
	CHECK_EQ(guest.fw_version, IC_VERSION(3, 0));
	CHECK_EQ(guest.hb_version, IC_VERSION(3, 0));
	step(10);
	CHECK_EQ(hb.ic.state, IC_HOST_READY);
	CHECK_EQ(hb.ic.fw_version, IC_VERSION(3, 0));
	CHECK_EQ(hb.ic.msg_version, IC_VERSION(3, 0));
	CHECK_EQ(hb.fw_version, IC_VERSION(3, 0));
	CHECK_EQ(hb.hb_version, IC_VERSION(3, 0));
	/* The first heartbeat goes at once; each next one INTERVAL after the answer. */
	CHECK_EQ(hb.sent, 1);
	t = 10;
	for (i = 1; i <= 10; i++) {
		CHECK_EQ(guest_answer(), 1);
		CHECK_EQ(guest.last_seq, i);
		step(++t);
		CHECK_EQ(hb.answered, i);
		step(t + INTERVAL - 1);
		CHECK_EQ(hb.sent, i);
		t += INTERVAL;
		step(t);
		CHECK_EQ(hb.sent, i + 1);
	}
	CHECK_EQ(hb.wrong + hb.failed + hb.missed + hb.ic.bad, 0);
	CHECK_EQ(guest.heartbeats, 10);
	/* Closed and opened again: negotiation starts over. */
	guest_close(&g);
	CHECK_EQ(hb.ic.state, IC_HOST_IDLE);
	CHECK_EQ(hb.fw_version, IC_VERSION(3, 0)); /* still reported after the close */
	CHECK_EQ(guest_open(&hb_guid, 30, 8, 4, &g), 0);
	CHECK_EQ(hb.opens, 2);
	CHECK_EQ(hb.ic.state, IC_HOST_NEGOTIATING);
	CHECK_EQ(guest_answer(), 1);
	step(20000);
	CHECK_EQ(hb.ic.state, IC_HOST_READY);
	CHECK_EQ(guest.negotiated, 2);
}

/* A guest that knows only framework 1.0 and heartbeat 1.0; one that shares nothing. */
static void old_and_incompatible_guests(void)
{
	static const u32 v1[] = { IC_VERSION(1, 0) }, v4[] = { IC_VERSION(4, 0) };

	setup();
	guest.fw_versions = v1;
	guest.fw_count = 1;
	guest.hb_versions = v1;
	guest.hb_count = 1;
	CHECK_EQ(guest_answer(), 1);
	step(1);
	CHECK_EQ(hb.ic.state, IC_HOST_READY);
	CHECK_EQ(hb.ic.fw_version, IC_VERSION(1, 0));
	CHECK_EQ(hb.ic.msg_version, IC_VERSION(1, 0));
	CHECK_EQ(hb.hb_version, IC_VERSION(1, 0));
	CHECK_EQ(guest_answer(), 1);
	step(2);
	CHECK_EQ(hb.answered, 1);

	setup();
	guest.hb_versions = v4;
	guest.hb_count = 1;
	CHECK_EQ(guest_answer(), 1);
	step(1);
	CHECK_EQ(guest.negotiated, 0);
	CHECK_EQ(hb.ic.state, IC_HOST_FAILED);
	step(100000);
	CHECK_EQ(hb.sent, 0);
	CHECK_EQ(hb.ic.bad, 0);
}

/* Hand-made responses: each mismatch is counted and the request stays outstanding. */
static void bad_responses(void)
{
	static u8 buf[PAGE_SIZE], req[PAGE_SIZE];
	struct vmbus_pkt pkt;
	u64 t = 1;
	s64 len;
	bool signal;

	setup();
	guest_answer();
	step(t);
	CHECK_EQ(hb.sent, 1);
	len = guest_recv(&g, &pkt, req, sizeof(req));
	CHECK_EQ(len, 72); /* 28 + 40, padded */
	CHECK_EQ(req[8 + 4], ICMSGTYPE_HEARTBEAT);
	CHECK_EQ(req[8 + 17], ICMSGHDRFLAG_TRANSACTION | ICMSGHDRFLAG_REQUEST);
	/* Version fields carry what was agreed. */
	CHECK_EQ(req[8 + 0], 3);
	CHECK_EQ(req[8 + 6], 3);

#define RESPOND(mutate, trans)                                                     \
	do {                                                                       \
		memcpy(buf, req, (u32)len);                                        \
		ic_guest_heartbeat(&guest, buf, (u32)len);                         \
		mutate;                                                            \
		vmbus_send_inband(&g.out, (trans), 0, buf, (u32)len, &signal);     \
		vmbus_client_signal(&H.client, g.relid);                           \
		step(++t);                                                         \
	} while (0)

	RESPOND((void)0, pkt.trans_id + 1);        /* wrong transaction id */
	CHECK_EQ(hb.ic.bad, 1);
	RESPOND(buf[8 + 17] = 1, pkt.trans_id);    /* no RESPONSE flag */
	CHECK_EQ(hb.ic.bad, 2);
	RESPOND(buf[8 + 16] ^= 1, pkt.trans_id);   /* wrong IC transaction id */
	CHECK_EQ(hb.ic.bad, 3);
	RESPOND(buf[4] = 1, pkt.trans_id);         /* pipe header changed */
	CHECK_EQ(hb.ic.bad, 4);
	CHECK(hb.ic.pending);
	CHECK_EQ(hb.answered, 0);
	/* Wrong sequence number: the transaction is over, counted as wrong. */
	RESPOND(buf[28] += 5, pkt.trans_id);
	CHECK_EQ(hb.wrong, 1);
	CHECK(!hb.ic.pending);
	/* The next one, answered with a failure status. */
	t += INTERVAL;
	step(t);
	CHECK_EQ(hb.sent, 2);
	len = guest_recv(&g, &pkt, req, sizeof(req));
	RESPOND(buf[8 + 12] = 5, pkt.trans_id);
	CHECK_EQ(hb.failed, 1);
	/* A short packet is no response at all. */
	t += INTERVAL;
	step(t);
	len = guest_recv(&g, &pkt, req, sizeof(req));
	memcpy(buf, req, (u32)len);
	ic_guest_heartbeat(&guest, buf, (u32)len);
	vmbus_send_inband(&g.out, pkt.trans_id, 0, buf, 16, &signal);
	vmbus_client_signal(&H.client, g.relid);
	step(++t);
	CHECK_EQ(hb.ic.bad, 5);
	CHECK(hb.ic.pending);
	/* And the right answer still counts. */
	RESPOND((void)0, pkt.trans_id);
	CHECK_EQ(hb.answered, 1);
#undef RESPOND
}

/* Nobody answers: after TIMEOUT the heartbeat is missed and the next one goes out. */
static void timeouts(void)
{
	static u8 buf[PAGE_SIZE];
	struct vmbus_pkt pkt;

	setup();
	/* Negotiation itself can time out: it starts over. */
	CHECK_EQ(guest_recv(&g, &pkt, buf, sizeof(buf)), 56);
	step(TIMEOUT);
	CHECK_EQ(hb.missed, 1);
	CHECK_EQ(hb.ic.state, IC_HOST_NEGOTIATING); /* sent again in the same run */
	CHECK_EQ(guest_answer(), 1);
	step(TIMEOUT + 1);
	CHECK_EQ(hb.ic.state, IC_HOST_READY);
	CHECK_EQ(hb.sent, 1);
	CHECK_EQ(guest_recv(&g, &pkt, buf, sizeof(buf)), 72);
	step(2 * TIMEOUT);
	CHECK_EQ(hb.missed, 1);
	step(2 * TIMEOUT + 1);
	CHECK_EQ(hb.missed, 2);
	CHECK_EQ(hb.sent, 2);
	/* The new request carries the next number; a Linux guest answers it. */
	CHECK_EQ(guest_answer(), 1);
	CHECK_EQ(guest.last_seq, 2);
	step(2 * TIMEOUT + 2);
	CHECK_EQ(hb.answered, 1);
	CHECK_EQ(hb.wrong, 0);
}

/* vmbus_prep_negotiate_resp's checks and heartbeat_onchannelcallback's answers. */
static void linux_guest_quirks(void)
{
	u8 buf[256];
	struct icmsg_negotiate *neg = (struct icmsg_negotiate *)(buf + ICMSG_HDR);
	struct icmsg_hdr *hdr = (struct icmsg_hdr *)(buf + 8);
	u32 fw = 0, srv = 0;

	/* Too short to hold the counts: untouched, refused. */
	memset(buf, 0xee, sizeof(buf));
	CHECK(!ic_guest_negotiate(buf, ICMSG_HDR + 3, ic_guest_fw_versions, 2, ic_guest_hb_versions, 2, &fw, &srv));
	CHECK_EQ(buf[ICMSG_HDR], 0xee);
	CHECK_EQ(hdr->icmsgsize, 0xeeee);
	/* More than 100 versions: counts 0, the counts echoed as versions. */
	memset(buf, 0, sizeof(buf));
	neg->icframe_vercnt = 101;
	neg->icmsg_vercnt = 1;
	CHECK(!ic_guest_negotiate(buf, sizeof(buf), ic_guest_fw_versions, 2, ic_guest_hb_versions, 2, &fw, &srv));
	CHECK_EQ(neg->icframe_vercnt, 0);
	CHECK_EQ(neg->icmsg_vercnt, 0);
	CHECK_EQ(neg->icversion_data[0].major, 101);
	CHECK_EQ(neg->icversion_data[1].major, 1);
	CHECK_EQ(hdr->icmsgsize, 0x10);
	/* Versions listed beyond the bytes received do not count. */
	memset(buf, 0, sizeof(buf));
	neg->icframe_vercnt = 1;
	neg->icmsg_vercnt = 1;
	neg->icversion_data[0] = (struct ic_version){ 3, 0 };
	neg->icversion_data[1] = (struct ic_version){ 3, 0 };
	CHECK(!ic_guest_negotiate(buf, ICMSG_NEGOTIATE_PKT_SIZE(1, 1) - 1, ic_guest_fw_versions, 2,
				  ic_guest_hb_versions, 2, &fw, &srv));
	neg->icframe_vercnt = 1;
	neg->icmsg_vercnt = 1;
	neg->icversion_data[0] = (struct ic_version){ 3, 0 };
	neg->icversion_data[1] = (struct ic_version){ 3, 0 };
	CHECK(ic_guest_negotiate(buf, ICMSG_NEGOTIATE_PKT_SIZE(1, 1), ic_guest_fw_versions, 2,
				 ic_guest_hb_versions, 2, &fw, &srv));
	CHECK_EQ(fw, IC_VERSION(3, 0));
	CHECK_EQ(srv, IC_VERSION(3, 0));
	/* Framework found, service not: counts 0, the framework kept, the service slot its count. */
	memset(buf, 0, sizeof(buf));
	neg->icframe_vercnt = 1;
	neg->icmsg_vercnt = 1;
	neg->icversion_data[0] = (struct ic_version){ 1, 0 };
	neg->icversion_data[1] = (struct ic_version){ 7, 0 };
	CHECK(!ic_guest_negotiate(buf, sizeof(buf), ic_guest_fw_versions, 2, ic_guest_hb_versions, 2, &fw, &srv));
	CHECK_EQ(fw, IC_VERSION(1, 0));
	CHECK_EQ(srv, IC_VERSION(1, 0));
	CHECK_EQ(neg->icframe_vercnt, 0);
	/* Heartbeat callback: short packets dropped, unknown types failed, flags set. */
	ic_guest_heartbeat_init(&guest);
	memset(buf, 0, sizeof(buf));
	CHECK(!ic_guest_heartbeat(&guest, buf, ICMSG_HDR - 4));
	hdr->icmsgtype = ICMSGTYPE_HEARTBEAT;
	CHECK(!ic_guest_heartbeat(&guest, buf, ICMSG_HDR + 4));
	CHECK_EQ(guest.short_packets, 2);
	CHECK(ic_guest_heartbeat(&guest, buf, ICMSG_HDR + 8));
	{
		u64 seq;

		memcpy(&seq, buf + ICMSG_HDR, sizeof(seq));
		CHECK_EQ(seq, 1);
	}
	CHECK_EQ(hdr->icflags, ICMSGHDRFLAG_TRANSACTION | ICMSGHDRFLAG_RESPONSE);
	hdr->icmsgtype = ICMSGTYPE_SHUTDOWN;
	CHECK(ic_guest_heartbeat(&guest, buf, ICMSG_HDR + 8));
	CHECK_EQ(hdr->status, IC_E_FAIL);
	CHECK_EQ(guest.unknown, 1);
}

UNIT_MAIN("vsp_heartbeat", CASE(negotiate_bytes), CASE(linux_guest), CASE(old_and_incompatible_guests),
	  CASE(bad_responses), CASE(timeouts), CASE(linux_guest_quirks))
