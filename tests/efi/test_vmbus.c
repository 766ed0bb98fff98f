/*
 * VMBus end to end: this root partition runs the VMBus host (the channel
 * server in the VSP framework, vsp/) with two devices, the echo VSP and
 * the Hyper-V heartbeat service; a child partition (tests/payloads/
 * vmbus_guest.c) is the guest, doing what Linux's hv_vmbus and hv_utils do.
 * Messages and signals go through SynIC ports and connections as on
 * Hyper-V (tests/efi/vmbus_synic.c, docs/vmbus.md).
 *
 * The parent's loop: dispatch the child until it needs the host
 * (sync_parent), take the guest's messages and channel events from the
 * root's SynIC, run the VSPs, dispatch again. Checked: version and offers,
 * 10,240 echo packets verified byte for byte by the guest and counted by
 * the host, heartbeat negotiation (framework 3.0, heartbeat 3.0) and a few
 * heartbeats answered with the right sequence numbers, the echo channel's
 * rescind through to the relid's release (its event port deleted), the
 * heartbeat channel's close, UNLOAD; nothing lost, refused or corrupt.
 *
 * Load option "bench": also time one-packet round trips, signalled and
 * with signal suppression (meant for -icount: docs/vmbus.md).
 *
 * Load option "two-lps" (with root_lps=1, a classic or core scheduler and
 * two LPs or more): the same test with the child on an LP of its own under
 * the hypervisor's scheduler, and both sides running at once. The parent
 * starts the child (clears ExplicitSuspend) and keeps polling its SynIC and
 * running the VSPs; the child polls, halts when idle for long, and still
 * asks for the parent's action through port 0x600, whose intercepts reach
 * the parent on SINT 0. Checked as well: the two ran at the same time (the
 * child saw the host answer while it spun on its LP, and its VpRuntime
 * grew while the parent was busy on its own).
 */
#include "lib/tefi.h"
#include "lib/child.h"
#include "vmbus_synic.h"
#include "vsp/echo.h"
#include "vsp/heartbeat.h"
#include "tests/payloads/vmbus_guest.h"

extern const u8 payload_vmbus_guest_start[], payload_vmbus_guest_end[];

#define ECHO_PACKETS 10240
#define HEARTBEATS 5
#define BENCH_TRIPS 2000
/* Reference time: 100 ns units. */
#define HB_INTERVAL 100000ULL  /* 10 ms */
#define HB_TIMEOUT 50000000ULL /* 5 s: a missed heartbeat fails the test */
#define TIME_LIMIT 900000000ULL /* 90 s of the loop */
#define HALT_LIMIT 10000000ULL  /* 1 s for a started child to run, or one that is done to reach its HLT */
#define ROOT_DEPOSIT_PAGES 32
#define INTERCEPT_VECTOR 0x51   /* the parent's SINT 0, polled */

static struct vsp_host host;
static struct vmbus_synic syn;
static struct vsp echo_vsp, hb_vsp;
static struct vsp_echo echo;
static struct vsp_heartbeat hb;

static u64 rdmsr64(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static u64 now(void)
{
	return rdmsr64(HV_X64_MSR_TIME_REF_COUNT);
}

struct run {
	bool two_lps;
	u64 dispatches, waits, start, echo_done_at, end;
	u64 intercepts, polls, busy_polls;    /* two LPs: the parent's loop */
	u64 runtime_echo, runtime_end;        /* two LPs: the child's VpRuntime at ECHO_DONE and at the end */
	u32 exit_type;
	HV_STATUS status;
	bool failed, timed_out, halted;
};

static u64 vp_runtime(const struct child *c)
{
	u64 v = 0;

	hv_get_reg64(c->id, 0, HvRegisterVpRuntime, &v);
	return v;
}

/* What the child asked for through sync_parent(). */
static void sync(const struct child *c, struct run *r, u32 code, u64 t)
{
	switch (code) {
	case VMBUS_SYNC_WAIT:
		r->waits++;
		break;
	case VMBUS_SYNC_ECHO_DONE:
		r->echo_done_at = t;
		if (r->two_lps)
			r->runtime_echo = vp_runtime(c);
		tefi_check(vsp_host_remove(&host, &echo_vsp) == 0, L"echo channel rescinded");
		break;
	case VMBUS_SYNC_BENCH_POLL:
		vsp_host_set_polling(&host, true);
		break;
	case VMBUS_SYNC_BENCH_EVENT:
		vsp_host_set_polling(&host, false);
		break;
	case VMBUS_SYNC_FAILED:
		r->failed = true;
		break;
	}
}

static bool sync_port(const struct child *c, u32 type)
{
	return type == HvMessageTypeX64IoPortIntercept &&
	       ((HV_X64_IO_PORT_INTERCEPT_MESSAGE *)c->msg->Payload)->PortNumber == CHILD_SYNC_PORT;
}

/* Dispatch the child and serve it until it halts (done or failed). */
static void serve(struct child *c, struct run *r)
{
	HV_STATUS s;

	r->start = now();
	for (;;) {
		u32 type = child_run(c, &s), code = 0;
		u64 t;

		r->dispatches++;
		if (sync_port(c, type)) {
			code = child_complete_io(c, &s);
		} else {
			r->exit_type = type;
			r->halted = type == HvMessageTypeX64Halt;
			break;
		}
		t = now();
		sync(c, r, code, t);
		if (r->failed || s)
			break;
		vmbus_synic_poll(&syn, &host);
		vsp_host_run(&host, t);
		if (t - r->start > TIME_LIMIT) {
			r->timed_out = true;
			break;
		}
	}
	r->status = s;
	r->end = now();
}

/* The child has said it is done: its last instruction is a HLT, where the hypervisor keeps it. */
static bool reaches_hlt(const struct child *c)
{
	u64 t = now(), activity = 0;

	while (now() - t < HALT_LIMIT)
		if (!hv_get_reg64(c->id, 0, HvRegisterInternalActivityState, &activity) &&
		    activity == HV_INTERNAL_ACTIVITY_HALT_SUSPEND)
			return true;
	return false;
}

/*
 * Two LPs: start the child under the hypervisor's scheduler and serve it
 * while it runs, until it is done or failed. The parent never waits: each
 * round takes the child's intercept if one came, its messages and channel
 * signals, and runs the VSPs.
 */
static void serve_scheduled(struct child *c, struct run *r)
{
	HV_STATUS s;

	hv_wrmsr(HV_X64_MSR_SINT0, HV_SYNIC_SINT_POLLING | INTERCEPT_VECTOR);
	r->start = now();
	s = hv_set_reg64(c->id, 0, HvRegisterExplicitSuspend, 0);
	/* Without LPs for children the VP would wait for a dispatch that never comes. */
	while (!s && !c->mailbox[MB_STEP] && now() - r->start < HALT_LIMIT)
		;
	r->timed_out = !c->mailbox[MB_STEP];
	tefi_check(!s && !r->timed_out,
		   L"the hypervisor runs the child on an LP of its own (root_lps=1, classic or core)");
	while (!s && !r->timed_out) {
		u32 type = child_intercept(c, syn.sim, &s);
		u64 t = now();

		if (s)
			break;
		if (sync_port(c, type)) {
			r->intercepts++;
			sync(c, r, (u32)((HV_X64_IO_PORT_INTERCEPT_MESSAGE *)c->msg->Payload)->Rax, t);
			if (r->failed)
				break;
			s = child_resume(c);
		} else if (type != HvMessageTypeNone) {
			r->exit_type = type;
			break;
		}
		if (c->mailbox[MB_DONE] == 0x600d) {
			r->halted = reaches_hlt(c);
			break;
		}
		r->polls++;
		if (vmbus_synic_poll(&syn, &host))
			r->busy_polls++;
		vsp_host_run(&host, t);
		if (t - r->start > TIME_LIMIT) {
			r->timed_out = true;
			break;
		}
	}
	r->status = s;
	r->end = now();
	r->runtime_end = vp_runtime(c);
	/* Stopped (the call returns once it has left its LP), so that it can be deleted. */
	tefi_check(hv_set_reg64(c->id, 0, HvRegisterExplicitSuspend, 1) == 0, L"child VP stopped");
}

static void report(const struct child *c, const struct run *r)
{
	volatile u64 *mb = c->mailbox;
	u64 echo_ms = (r->echo_done_at - r->start) / 10000;
	u64 hz = mb[MB_TSC_HZ] ? mb[MB_TSC_HZ] : 1, ticks = mb[MB_ECHO_TSC] ? mb[MB_ECHO_TSC] : 1;

	tefi_print(L"  mode: %s\n", r->two_lps ? L"two LPs, the child under the hypervisor's scheduler"
					     : L"dispatched by the parent on its own LP");
	tefi_print(L"  guest: step %ld, error 0x%lx, version 0x%lx, offers %ld\n", mb[MB_STEP], mb[MB_ERROR],
		   mb[MB_VERSION], mb[MB_OFFERS]);
	tefi_print(L"  echo: %ld sent, %ld ok, %ld bad, %ld payload bytes; host %ld completions %ld in-band\n",
		   mb[MB_ECHO_SENT], mb[MB_ECHO_OK], mb[MB_ECHO_BAD], mb[MB_ECHO_BYTES], echo.completions,
		   echo.inband);
	tefi_print(L"  echo: %ld packets in %ld ms of echo traffic (guest's TSC), %ld packets/s\n",
		   mb[MB_ECHO_PACKETS], ticks * 1000 / hz, mb[MB_ECHO_PACKETS] * hz / ticks);
	tefi_print(L"  echo: %ld ms (start to ECHO_DONE), %ld dispatches in all, %ld waits\n", echo_ms,
		   r->dispatches, r->waits);
	if (r->two_lps) {
		tefi_print(L"  two LPs: %ld intercepts taken on SINT 0, %ld of %ld polls found guest messages or signals\n",
			   r->intercepts, r->busy_polls, r->polls);
		tefi_print(L"  two LPs: the guest saw the host answer %ld times while it spun, halted %ld times, "
			   L"woken by %ld interrupts (%ld of them between STI and HLT)\n",
			   mb[MB_SPIN_HITS], mb[MB_HALTS], mb[MB_IRQS], mb[MB_IRQS_AT_HLT]);
		tefi_print(L"  two LPs: child VpRuntime %ld ms of the parent's %ld ms to ECHO_DONE, %ld ms of %ld in all\n",
			   r->runtime_echo / 10000, echo_ms, r->runtime_end / 10000, (r->end - r->start) / 10000);
	}
	tefi_print(L"  echo traffic: %ld TSC ticks per packet (instructions under -icount)\n",
		   mb[MB_ECHO_TSC] / (mb[MB_ECHO_PACKETS] ? mb[MB_ECHO_PACKETS] : 1));
	tefi_print(L"  flow control: guest found its ring full %ld times, the echo VSP %ld times\n",
		   mb[MB_ECHO_FULL], echo_vsp.stats.blocked);
	tefi_print(L"  signals: guest->host %ld (host saw %ld), host->guest %ld (guest saw %ld)\n",
		   mb[MB_SIGNALS_OUT], syn.events_in, syn.signals, mb[MB_EVENTS_IN]);
	tefi_print(L"  messages: guest->host %ld (%ld retried), host->guest %ld (%ld queued for a full port)\n",
		   mb[MB_MESSAGES_OUT], mb[MB_POST_RETRIES], host.stats.messages_out, host.stats.messages_queued);
	tefi_print(L"  heartbeat: fw 0x%x hb 0x%x, %d sent, %d answered, guest answered %ld\n", hb.fw_version,
		   hb.hb_version, hb.sent, hb.answered, mb[MB_HB_ANSWERED]);
	tefi_print(L"  total: %ld ms\n", (r->end - r->start) / 10000);
}

static void check(const struct child *c, const struct run *r)
{
	volatile u64 *mb = c->mailbox;

	tefi_check(!r->failed && !r->timed_out && !r->status && r->halted && mb[MB_DONE] == 0x600d,
		   L"guest ran to the end and halted");
	if (!r->halted || r->status)
		tefi_print(L"  stopped by intercept type 0x%x, status 0x%x\n", r->exit_type, r->status);
	tefi_check(mb[MB_ERROR] == 0, L"guest saw no error");
	tefi_check(mb[MB_VERSION] == VERSION_WIN10_V5_3 && mb[MB_OFFERS] == 2,
		   L"VMBus 5.3 agreed (INITIATE_CONTACT on connection 4), two offers");
	tefi_check(mb[MB_ECHO_SENT] >= ECHO_PACKETS && mb[MB_ECHO_OK] == mb[MB_ECHO_SENT] && mb[MB_ECHO_BAD] == 0,
		   L"every echo packet came back with its payload and transaction id");
	tefi_check(echo.completions + echo.inband == mb[MB_ECHO_SENT] && echo.completions == mb[MB_ECHO_SENT] / 2 &&
			   echo.ignored == 0 && echo.failed == 0,
		   L"echo VSP: half completions, half in-band replies, nothing else");
	tefi_check(mb[MB_ECHO_FULL] > 0 && echo_vsp.stats.blocked > 0,
		   L"flow control both ways: the guest and the echo VSP each found their ring full and waited");
	tefi_check(echo_vsp.stats.dropped == 0 && echo_vsp.stats.ring_errors == 0 &&
			   hb_vsp.stats.dropped == 0 && hb_vsp.stats.ring_errors == 0,
		   L"no packet dropped, no ring corrupt");
	tefi_check(echo.opens == 1 && echo.closes == 1 && echo_vsp.state == VSP_DETACHED && echo_vsp.relid == 0,
		   L"echo channel: opened, rescinded, released");
	tefi_check(syn.ports_created == 6 && syn.ports_deleted == 1 && syn.last_error == 0,
		   L"event ports: one per channel; the released one deleted");
	tefi_check(hb.fw_version == IC_FRAMEWORK_VERSION_3 && hb.hb_version == IC_VERSION(3, 0) &&
			   mb[MB_HB_VERSIONS] == ((u64)IC_FRAMEWORK_VERSION_3 << 32 | IC_VERSION(3, 0)),
		   L"heartbeat negotiated framework 3.0, heartbeat 3.0 on both sides");
	tefi_check(hb.answered >= HEARTBEATS && mb[MB_HB_ANSWERED] >= HEARTBEATS &&
			   hb.wrong + hb.failed + hb.missed + hb.ic.bad == 0,
		   L"heartbeats answered with seq + 1, none missed or wrong");
	tefi_check(hb.opens == 1 && hb_vsp.state == VSP_OFFERED, L"heartbeat channel closed by the guest");
	tefi_check(host.server.state == VMBUS_SERVER_DISCONNECTED, L"guest unloaded VMBus");
	tefi_check(host.stats.messages_bad == 0 && host.stats.messages_lost == 0 && syn.post_errors == 0,
		   L"no channel message refused or lost");
	/* Signals made before the other side looks coalesce in one flag. */
	tefi_check(syn.events_in > 0 && syn.events_in <= mb[MB_SIGNALS_OUT] && mb[MB_EVENTS_IN] > 0 &&
			   mb[MB_EVENTS_IN] <= syn.signals,
		   L"channel signals arrive as event flags, both ways");
	if (!r->two_lps)
		return;
	tefi_check(r->dispatches == 0 && r->busy_polls > 0 && mb[MB_SPIN_HITS] > 0,
		   L"concurrent: the parent never ran the child, the child saw the host answer while it kept its LP");
	/* The parent never left LP 0 meanwhile: every bit of the child's run time overlapped with it. */
	tefi_check(r->runtime_echo * 4 > r->echo_done_at - r->start,
		   L"concurrent: the child ran on LP 1 for more than a quarter of the time the parent was busy serving it");
	tefi_check(mb[MB_IRQS] > 0, L"the halted child was woken by its SINT 2 interrupt");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	static const vmbus_guid_t echo_instance = { { 0x10, 0xec, 0x40, 0x01 } };
	static const vmbus_guid_t hb_instance = { { 0x20, 0x4b, 0x42, 0x01 } };
	struct vsp_host_config cfg = { .poll_rings = false };
	bool bench, two_lps;
	const CHAR16 *step;
	struct child c;
	struct run r;
	HV_STATUS s;

	tefi_init(image, systab);
	bench = !StrCmp((CHAR16 *)tefi_load_options(), L"bench");
	two_lps = !StrCmp((CHAR16 *)tefi_load_options(), L"two-lps");
	tefi_print(L"test_vmbus: VMBus host (VSP framework) and a guest child: echo and heartbeat\n");
	tefi_check(hv_setup(), L"hypercall page");
	/* Ports are charged to their owner's pool: the root's event and message ports too. */
	tefi_check(hv_deposit(HV_PARTITION_ID_SELF, (u64)hv_pages(ROOT_DEPOSIT_PAGES), ROOT_DEPOSIT_PAGES) == 0,
		   L"root deposits into its own pool");
	s = child_create(&c, payload_vmbus_guest_start, payload_vmbus_guest_end - payload_vmbus_guest_start, &step);
	tefi_check(!s, L"child created");
	if (s) {
		tefi_print(L"  %s: 0x%x\n", step, s);
		tefi_finish();
	}
	s = vmbus_synic_init(&syn, c.id, c.ram, CHILD_PAGES * PAGE_SIZE);
	tefi_check(!s, L"SynIC wired: message ports for connections 4 and 1, the child's message and event ports");
	vsp_host_init(&host, &vmbus_synic_transport, &syn, &cfg);
	vsp_echo_init(&echo_vsp, &echo, &echo_instance);
	vsp_heartbeat_init(&hb_vsp, &hb, &hb_instance, HB_INTERVAL, HB_TIMEOUT);
	tefi_check(vsp_host_add(&host, &echo_vsp) == 1 && vsp_host_add(&host, &hb_vsp) == 2,
		   L"echo (relid 1) and heartbeat (relid 2) registered, event ports wired");
	c.mailbox[MB_ECHO_PACKETS] = ECHO_PACKETS;
	c.mailbox[MB_HEARTBEATS] = HEARTBEATS;
	c.mailbox[MB_BENCH_TRIPS] = bench ? BENCH_TRIPS : 0;
	c.mailbox[MB_CONCURRENT] = two_lps;

	ZeroMem(&r, sizeof(r));
	r.two_lps = two_lps;
	if (two_lps)
		serve_scheduled(&c, &r);
	else
		serve(&c, &r);
	report(&c, &r);
	check(&c, &r);
	if (bench) {
		tefi_print(L"bench: vmbus echo round trip, signalled: %ld\n", c.mailbox[MB_BENCH_EVENT]);
		tefi_print(L"bench: vmbus echo round trip, signal suppression (polled): %ld\n",
			   c.mailbox[MB_BENCH_POLL]);
	}
	tefi_check(hv_partition_op(HvCallDeletePartition, c.id) == HV_STATUS_SUCCESS, L"child deleted");
	tefi_finish();
}
