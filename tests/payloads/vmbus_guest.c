/*
 * A VMBus guest in a child partition, doing what Linux's hv_vmbus and
 * hv_utils do (vmbus/channel_client.c speaks the channel protocol): enable
 * the SynIC with SINT 2 in polling mode, connect (INITIATE_CONTACT on
 * connection 4), take the offers, give each channel rings in its own
 * memory through a GPADL and open it. Then exchange echo packets with the
 * parent's echo VSP and check every byte, answer the heartbeat service's
 * negotiation and heartbeats as hv_utils would, follow the echo channel's
 * rescind through to RELID_RELEASED, close the heartbeat channel, unload.
 *
 * Whenever it has to wait for the host it hands the CPU to the parent
 * (sync_parent), which runs the host side and dispatches it again. With
 * MB_CONCURRENT it runs on an LP of its own while the parent serves it
 * from another: then it waits as Linux does, polling a while and then
 * halting until SINT 2's interrupt; sync_parent is left for what needs
 * the parent's action (the rescind, a failure).
 * Results and the step reached are in the mailbox (vmbus_guest.h).
 */
#include "payload.h"
#include "vmbus_guest.h"
#include "vmbus_ic_guest.h"
#include "vmbus/channel_client.h"
#include "vmbus/packet.h"

/* Waits without progress before giving up (each is a trip through the parent). */
#define WAIT_LIMIT 200000
/* Concurrent: poll this long (1/SPIN_PER_SECOND s) before halting; give up after IDLE_LIMIT s. */
#define SPIN_PER_SECOND 1000
#define IDLE_LIMIT 30
#define ECHO_MAX 3100
#define VMBUS_VECTOR 0x50
#define MSR_APIC_BASE 0x1b
#define APIC_BASE_EN_EXTD (BIT(10) | BIT(11))
#define X2APIC_SVR 0x80f
#define X2APIC_EOI 0x80b

struct chan {
	u32 relid;
	u32 gpadl;
	bool ready;   /* rings set up: process its events */
	bool polling; /* benchmark: ring kept masked, polled */
	struct vmbus_ring_writer out;
	struct vmbus_ring_reader in;
};

static struct vmbus_client client;
static struct chan echo, hb;
static struct ic_guest_heartbeat hbst;
static u8 msgbuf[VMBUS_MSG_MAX_SIZE] __aligned(8);
static u8 pktbuf[2 * PAGE_SIZE] __aligned(8);
static u8 txbuf[ECHO_MAX + 8] __aligned(8);
static u64 echo_sent, echo_recvd;
static u32 fixed_size; /* benchmark: every echo packet this size */
static u32 step;
static bool concurrent; /* MB_CONCURRENT */
static u64 tsc_hz;
static u64 idt[2 * (VMBUS_VECTOR + 1)] __aligned(16);

extern char irq_stub_0x50[];
void irq_handler(u32 vector, u64 *frame);


static __noreturn void fail(u32 detail)
{
	if (!MAILBOX[MB_ERROR])
		MAILBOX[MB_ERROR] = (u64)step << 16 | detail;
	puts("vmbus_guest: failed\n");
	for (;;)
		sync_parent(VMBUS_SYNC_FAILED);
}

static void at(u32 s)
{
	step = s;
	MAILBOX[MB_STEP] = s;
}

/* --- the client's transport: HvPostMessage and fast HvSignalEvent ---------------------- */

static int post_msg(void *ctx, u32 connid, const void *msg, u32 len)
{
	struct hv_input_post_message *in = (void *)PARAM_IN;
	u32 tries = 0;
	u16 status;

	(void)ctx;
	for (;;) {
		in->ConnectionId = connid;
		in->RsvdZ = 0;
		in->MessageType = VMBUS_SYNIC_MESSAGE_TYPE;
		in->PayloadSize = len;
		memcpy(in->Message, msg, len);
		status = (u16)hypercall(HvCallPostMessage, PARAM_IN, 0);
		/* Linux retries when the host's buffers are all in use; so do we, letting it run. */
		if (status != HV_STATUS_INSUFFICIENT_BUFFERS || ++tries > 1000)
			break;
		MAILBOX[MB_POST_RETRIES]++;
		sync_parent(VMBUS_SYNC_WAIT);
	}
	if (status)
		return -VMBUS_EIO;
	MAILBOX[MB_MESSAGES_OUT]++;
	return 0;
}

static void signal_host(void *ctx, u32 connid)
{
	(void)ctx;
	/* vmbus_set_event: HvSignalEvent, fast, the offer's connection id, flag 0. */
	hypercall(HvCallSignalEvent | HV_HYPERCALL_FAST, connid, 0);
	MAILBOX[MB_SIGNALS_OUT]++;
}

static const struct vmbus_client_ops client_ops = { post_msg, signal_host };

/* --- channels ------------------------------------------------------------------------------ */

static u32 echo_size(u64 seq)
{
	if (fixed_size)
		return fixed_size;
	return seq % 64 == 0 ? 2048 + (u32)(seq % 1000) : 1 + (u32)((seq * 37) % 300);
}

static u8 echo_byte(u64 seq, u32 i)
{
	return (u8)(seq * 131 + i * 7 + (i >> 8));
}

static bool echo_check(const struct vmbus_pkt *pkt, s64 len)
{
	u64 seq = echo_recvd;
	u32 n = echo_size(seq), i;

	if (pkt->trans_id != seq + 1 || len != (s64)ALIGN_UP(n, 8) ||
	    pkt->type != (seq & 1 ? VM_PKT_COMP : VM_PKT_DATA_INBAND))
		return false;
	for (i = 0; i < n; i++)
		if (pktbuf[i] != echo_byte(seq, i))
			return false;
	for (; i < (u32)len; i++)
		if (pktbuf[i])
			return false;
	return true;
}

static void read_done(struct chan *c)
{
	/* hv_pkt_iter_close: a host waiting for room (pending_send_sz) gets its signal. */
	if (vmbus_ring_read_done(&c->in))
		vmbus_client_signal(&client, c->relid);
}

/* Our echo driver reads in batches, like netvsc: mask, drain, unmask, look again. */
static void echo_run(void)
{
	struct vmbus_pkt pkt;
	s64 len;

	if (!echo.polling)
		vmbus_ring_mask(&echo.in);
	for (;;) {
		while ((len = vmbus_ring_recv(&echo.in, &pkt, pktbuf, sizeof(pktbuf))) >= 0) {
			if (echo_check(&pkt, len))
				MAILBOX[MB_ECHO_OK]++;
			else
				MAILBOX[MB_ECHO_BAD]++;
			echo_recvd++;
		}
		if (len != -VMBUS_EAGAIN)
			fail(1);
		read_done(&echo);
		if (echo.polling || !vmbus_ring_unmask(&echo.in))
			return;
		vmbus_ring_mask(&echo.in);
	}
}

/* hv_utils reads its channels directly (HV_CALL_DIRECT): every packet, answered in place. */
static void hb_run(void)
{
	struct vmbus_pkt pkt;
	s64 len;

	while ((len = vmbus_ring_recv(&hb.in, &pkt, pktbuf, PAGE_SIZE)) >= 0) {
		bool signal = false;

		/*
		 * vmbus_recvpacket publishes the read index before the answer
		 * goes out (hv_ringbuffer_read). Published after it, a host on
		 * another LP that sends its next request as soon as the answer
		 * arrives (the first heartbeat follows NEGOTIATE at once) can
		 * find the ring not yet empty and not signal: that request would
		 * wait for ever.
		 */
		read_done(&hb);
		if (!ic_guest_heartbeat(&hbst, pktbuf, (u32)len))
			break;
		if (vmbus_send_inband(&hb.out, pkt.trans_id, 0, pktbuf, (u32)len, &signal))
			fail(2);
		if (signal)
			vmbus_client_signal(&client, hb.relid);
	}
	if (len < 0 && len != -VMBUS_EAGAIN)
		fail(3);
}

/* --- the SynIC: messages in SIM slot 2, channel events in SINT 2's flags ------------------- */

static bool take_messages(void)
{
	volatile HV_MESSAGE *slot = (volatile HV_MESSAGE *)VMBUS_GUEST_SIM + VMBUS_GUEST_SINT;
	bool any = false;

	while (slot->Header.MessageType != HvMessageTypeNone) {
		u32 type = slot->Header.MessageType, len = slot->Header.PayloadSize;

		if (len > VMBUS_MSG_MAX_SIZE)
			len = VMBUS_MSG_MAX_SIZE;
		memcpy(msgbuf, (const void *)slot->Payload, len);
		/* vmbus_signal_eom: free the slot, then look for more. */
		slot->Header.MessageType = HvMessageTypeNone;
		asm volatile("mfence" ::: "memory");
		if (slot->Header.MessageFlags & HV_MESSAGE_FLAG_PENDING)
			wrmsr(HV_X64_MSR_EOM, 0);
		if (type == VMBUS_SYNIC_MESSAGE_TYPE) {
			MAILBOX[MB_MESSAGES_IN]++;
			if (vmbus_client_on_message(&client, msgbuf, len))
				fail(4);
		}
		any = true;
	}
	return any;
}

static bool take_events(void)
{
	u64 *flags = (u64 *)(VMBUS_GUEST_SIEF + VMBUS_GUEST_SINT * 256);
	u64 bits = __atomic_exchange_n(flags, 0, __ATOMIC_SEQ_CST);
	bool any = false;

	if (echo.polling && echo.ready) {
		u64 before = echo_recvd;

		echo_run();
		any = echo_recvd != before;
	}
	if (!bits)
		return any;
	for (u64 b = bits; b; b &= b - 1)
		MAILBOX[MB_EVENTS_IN]++;
	if (echo.ready && echo.relid < 64 && (bits & BIT(echo.relid)))
		echo_run();
	if (hb.ready && hb.relid < 64 && (bits & BIT(hb.relid)))
		hb_run();
	return true;
}

static bool poll_once(void)
{
	bool any = take_messages();

	return take_events() || any;
}

/*
 * STI; HLT as one, the idle of an LP of our own. Under QEMU (TCG) the
 * interrupt can still come in between: its SVM drops the STI shadow when
 * an exit falls in it (VMRUN ignores the VMCB's interrupt shadow), and
 * resuming at the HLT would halt with the wake-up already taken. The
 * handler resumes past it instead.
 */
asm(".pushsection .text\n"
    "idle_halt:\n"
    "\tsti\n"
    "idle_hlt:\n"
    "\thlt\n"
    "\tcli\n"
    "\tret\n"
    ".popsection");
void idle_halt(void);
extern char idle_hlt[];

/* The SINT 2 interrupt only ends a HLT: what it announced is polled for. */
void irq_handler(u32 vector, u64 *frame)
{
	(void)vector;
	if (frame[0] == (u64)idle_hlt) {
		frame[0]++;
		MAILBOX[MB_IRQS_AT_HLT]++;
	}
	MAILBOX[MB_IRQS]++;
	wrmsr(X2APIC_EOI, 0);
}

struct idle {
	u32 trips;   /* trips through the parent in this wait */
	u64 since;   /* concurrent: TSC at which the current idle stretch began, 0 if none */
	bool halted; /* ... and whether it halted */
};

/*
 * Nothing to do until the host has run. On the parent's LP the parent
 * must run it; on an LP of our own the host runs meanwhile, and an answer
 * within the spin is one the host produced while we ran.
 */
static void idle(struct idle *w)
{
	u64 t;

	if (!concurrent) {
		if (++w->trips > WAIT_LIMIT)
			fail(5);
		MAILBOX[MB_WAITS]++;
		sync_parent(VMBUS_SYNC_WAIT);
		return;
	}
	t = rdtsc();
	if (!w->since)
		w->since = t;
	if (t - w->since > IDLE_LIMIT * tsc_hz)
		fail(5);
	if (t - w->since < tsc_hz / SPIN_PER_SECOND) {
		__builtin_ia32_pause();
		return;
	}
	/* Interrupts stay off but here: one raised since the last poll ends the HLT at once. */
	w->halted = true;
	MAILBOX[MB_HALTS]++;
	idle_halt();
}

static void progress(struct idle *w)
{
	if (w->since && !w->halted)
		MAILBOX[MB_SPIN_HITS]++;
	w->since = 0;
	w->halted = false;
}

/* Process what is there; when nothing is, wait for the host; until cond. */
#define WAIT_FOR(cond)                                           \
	do {                                                     \
		struct idle idle_ = { 0 };                       \
		while (!(cond)) {                                \
			if (poll_once())                         \
				progress(&idle_);                \
			else                                     \
				idle(&idle_);                    \
		}                                                \
	} while (0)

/* --- steps ----------------------------------------------------------------------------------- */

/* Concurrent: the x2APIC on and the SINT 2 vector's gate, to wake from HLT. */
static void interrupts_enable(void)
{
	struct __attribute__((packed)) {
		u16 limit;
		u64 base;
	} idtr = { sizeof(idt) - 1, (u64)idt };
	u64 a = (u64)irq_stub_0x50, *gate = &idt[2 * VMBUS_VECTOR];

	gate[0] = (a & 0xffff) | (0x08ULL << 16) | (0x8eULL << 40) | ((a >> 16) << 48);
	gate[1] = a >> 32;
	asm volatile("lidt %0" ::"m"(idtr));
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_EN_EXTD);
	wrmsr(X2APIC_SVR, 0x1ff);
}

static void synic_enable(void)
{
	wrmsr(HV_X64_MSR_SIMP, VMBUS_GUEST_SIM | HV_SYNIC_PAGE_ENABLE);
	wrmsr(HV_X64_MSR_SIEFP, VMBUS_GUEST_SIEF | HV_SYNIC_PAGE_ENABLE);
	/*
	 * hv_synic_enable_regs sets a vector (and auto-EOI); dispatched, we
	 * poll instead of taking it, since the parent runs us only to poll.
	 */
	if (concurrent)
		interrupts_enable();
	wrmsr(HV_X64_MSR_SINT0 + VMBUS_GUEST_SINT, VMBUS_VECTOR | (concurrent ? 0 : HV_SYNIC_SINT_POLLING));
	wrmsr(HV_X64_MSR_SCONTROL, HV_SYNIC_CONTROL_ENABLE);
}

static struct vmbus_client_channel *find(const vmbus_guid_t *type)
{
	struct vmbus_client_channel *ch = vmbus_client_find(&client, type);

	if (!ch)
		fail(6);
	return ch;
}

/* vmbus_open: rings in our memory, a GPADL for them, OPENCHANNEL; wait for the result. */
static void open_channel(struct chan *c, const vmbus_guid_t *type, u64 gpa, u32 pages, u32 down)
{
	struct vmbus_client_channel *ch = find(type);
	struct vmbus_client_gpadl *g;
	u64 pfns[32];
	u32 i;

	c->relid = ch->offer.child_relid;
	if (vmbus_client_rings_init((void *)gpa, pages, down, &c->out, &c->in))
		fail(7);
	for (i = 0; i < pages; i++)
		pfns[i] = gpa / PAGE_SIZE + i;
	if (vmbus_client_gpadl_create(&client, c->relid, pfns, pages, &c->gpadl))
		fail(8);
	g = vmbus_client_gpadl(&client, c->gpadl);
	WAIT_FOR(g->state != VMBUS_CLIENT_GPADL_CREATING);
	if (g->state != VMBUS_CLIENT_GPADL_CREATED)
		fail(9);
	/* The channel callback is live before OPENCHANNEL goes out, as in Linux. */
	c->ready = true;
	if (vmbus_client_open(&client, c->relid, c->gpadl, down, 0, NULL, 0))
		fail(10);
	WAIT_FOR(ch->state != VMBUS_CLIENT_CHAN_OPENING);
	if (ch->state != VMBUS_CLIENT_CHAN_OPEN)
		fail(11);
}

/* Send echo packets, at most `window` unanswered, until `count` came back. */
static void echo_traffic(u64 count, u32 window)
{
	while (echo_recvd < count) {
		bool signal = false;
		u64 before = echo_recvd;

		while (echo_sent < count && echo_sent - echo_recvd < window) {
			u32 n = echo_size(echo_sent), i;
			u16 flags = echo_sent & 1 ? VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED : 0;
			bool s = false;
			int ret;

			for (i = 0; i < n; i++)
				txbuf[i] = echo_byte(echo_sent, i);
			ret = vmbus_send_inband(&echo.out, echo_sent + 1, flags, txbuf, n, &s);
			if (ret == -VMBUS_EAGAIN) {
				MAILBOX[MB_ECHO_FULL]++;
				/* Ring full: ask to be told when there is room, unless there is already. */
				if (vmbus_ring_want_space(&echo.out, vmbus_ring_pkt_footprint(n)))
					continue;
				break;
			}
			if (ret)
				fail(12);
			signal |= s;
			echo_sent++;
			MAILBOX[MB_ECHO_SENT] = echo_sent;
			MAILBOX[MB_ECHO_BYTES] += n;
		}
		if (signal)
			vmbus_client_signal(&client, echo.relid);
		WAIT_FOR(echo_recvd != before);
	}
}

/* Round trips of one 64-byte packet: signalled, then with both sides polling. */
static void bench(u32 trips)
{
	u32 mode;

	at(STEP_BENCH);
	fixed_size = 64;
	for (mode = 0; mode < 2; mode++) {
		u64 base = echo_recvd, t;

		if (mode == 1) {
			/* Signal suppression: each side keeps its incoming ring masked and polls it. */
			sync_parent(VMBUS_SYNC_BENCH_POLL);
			echo.polling = true;
			vmbus_ring_mask(&echo.in);
		}
		t = rdtsc();
		echo_traffic(echo_sent + trips, 1);
		MAILBOX[mode ? MB_BENCH_POLL : MB_BENCH_EVENT] = (rdtsc() - t) / trips;
		if (echo_recvd - base != trips)
			fail(13);
	}
	sync_parent(VMBUS_SYNC_BENCH_EVENT);
	echo.polling = false;
	fixed_size = 0;
	if (vmbus_ring_unmask(&echo.in))
		echo_run();
}

static void close_gpadl(struct chan *c)
{
	if (vmbus_client_gpadl_teardown(&client, c->gpadl))
		fail(14);
	WAIT_FOR(!vmbus_client_gpadl(&client, c->gpadl));
}

void payload_main(void)
{
	static const vmbus_guid_t echo_type = { { 0x6b, 0x0a, 0x1f, 0x8e, 0x2c, 0x5d, 0x7a, 0x4b, 0x9f, 0x31, 0x0c,
						  0x6e, 0x2d, 0x4a, 0x9b, 0x15 } };
	static const vmbus_guid_t hb_type = { { 0x39, 0x4f, 0x16, 0x57, 0x15, 0x91, 0x78, 0x4e, 0xab, 0x55, 0x38,
						0x2f, 0x3b, 0xd5, 0x42, 0x2d } };
	struct vmbus_client_config cfg = { .target_vcpu = 0, .msg_sint = VMBUS_GUEST_SINT };
	struct vmbus_client_channel *ch;
	u64 t;

	at(STEP_START);
	concurrent = MAILBOX[MB_CONCURRENT];
	tsc_hz = rdmsr(HV_X64_MSR_TSC_FREQUENCY);
	MAILBOX[MB_TSC_HZ] = tsc_hz;
	enable_hypercalls();
	synic_enable();
	ic_guest_heartbeat_init(&hbst);
	vmbus_client_init(&client, &client_ops, NULL, &cfg);

	/* vmbus_negotiate_version: 5.3 first, INITIATE_CONTACT on connection 4. */
	if (vmbus_client_connect(&client))
		fail(20);
	WAIT_FOR(client.state != VMBUS_CLIENT_CONNECTING);
	if (client.state != VMBUS_CLIENT_CONNECTED)
		fail(21);
	MAILBOX[MB_VERSION] = client.version;
	at(STEP_CONNECTED);

	if (vmbus_client_request_offers(&client))
		fail(22);
	WAIT_FOR(client.offers_done);
	for (u32 i = 0; i < VMBUS_CLIENT_MAX_CHANNELS; i++)
		MAILBOX[MB_OFFERS] += client.channels[i].state != VMBUS_CLIENT_CHAN_FREE;
	at(STEP_OFFERS);

	open_channel(&echo, &echo_type, VMBUS_GUEST_ECHO_RING, VMBUS_GUEST_ECHO_PAGES, VMBUS_GUEST_ECHO_DOWN);
	at(STEP_ECHO_OPEN);
	open_channel(&hb, &hb_type, VMBUS_GUEST_HB_RING, VMBUS_GUEST_HB_PAGES, VMBUS_GUEST_HB_DOWN);
	at(STEP_HB_OPEN);

	/* Ping-pong first, then 16 packets in flight, then as many as the rings take. */
	at(STEP_ECHO_TRAFFIC);
	t = rdtsc();
	echo_traffic(MAILBOX[MB_ECHO_PACKETS] / 10, 1);
	echo_traffic(MAILBOX[MB_ECHO_PACKETS] * 7 / 10, 16);
	echo_traffic(MAILBOX[MB_ECHO_PACKETS], 1024);
	MAILBOX[MB_ECHO_TSC] = rdtsc() - t;
	if (MAILBOX[MB_BENCH_TRIPS])
		bench((u32)MAILBOX[MB_BENCH_TRIPS]);

	/* The parent rescinds the echo device; we do what vmbus_onoffer_rescind leads to. */
	ch = vmbus_client_channel(&client, echo.relid);
	sync_parent(VMBUS_SYNC_ECHO_DONE);
	at(STEP_RESCIND);
	WAIT_FOR(ch->state == VMBUS_CLIENT_CHAN_RESCINDED);
	echo.ready = false;
	if (vmbus_client_close(&client, echo.relid))
		fail(23);
	close_gpadl(&echo);
	if (vmbus_client_release_relid(&client, echo.relid))
		fail(24);
	at(STEP_ECHO_RELEASED);

	/* hv_utils keeps answering until the channel goes away. */
	at(STEP_HEARTBEATS);
	WAIT_FOR(hbst.heartbeats >= MAILBOX[MB_HEARTBEATS]);
	MAILBOX[MB_HB_VERSIONS] = (u64)hbst.fw_version << 32 | hbst.hb_version;
	MAILBOX[MB_HB_ANSWERED] = hbst.heartbeats;
	if (hbst.negotiated != 1 || hbst.unknown || hbst.short_packets)
		fail(25);

	/* util_remove -> vmbus_close: CLOSECHANNEL, then the ring GPADL; then UNLOAD. */
	hb.ready = false;
	if (vmbus_client_close(&client, hb.relid))
		fail(26);
	close_gpadl(&hb);
	at(STEP_HB_CLOSED);
	if (vmbus_client_unload(&client))
		fail(27);
	WAIT_FOR(client.state == VMBUS_CLIENT_DISCONNECTED);
	at(STEP_UNLOADED);
	MAILBOX[MB_DONE] = 0x600d;
}
