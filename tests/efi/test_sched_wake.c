/*
 * VPs the hypervisor schedules, waiting and being waited for:
 * - a VP that halts consumes nothing and runs again once an interrupt is
 *   pending, whether its parent posts it a SynIC message from another LP or
 *   its own synthetic timer expires (issue #4, "Classic");
 * - an intercepted VP waits in InterceptSuspend while its parent, told on
 *   SINT 0 of its own SynIC, handles the intercept (issue #3, "Intercepts");
 * - HwThreadCountPerCore shapes the topology a child's CPUID shows (issue
 *   #4, "Core").
 * Run on one core of two threads with root_lps=1, so that LP 1 runs the
 * child (tests/payloads/sched_bench.c, modes WAKE_MESSAGE, WAKE_TIMER,
 * INTERCEPT and CPUID) while the parent stays on LP 0.
 */
#include "lib/tefi.h"
#include "lib/child.h"

extern const u8 payload_sched_bench_start[], payload_sched_bench_end[];

#define MODE_WAKE_MESSAGE 3
#define MODE_WAKE_TIMER 4
#define MODE_INTERCEPT 5
#define MODE_CPUID 6
#define READY 62 /* the payload's MAILBOX[2 + WAKE_RECORDS] */
#define WAKES 20
#define MS 1000
#define PORT 0x30
#define CONNECTION 0x31
#define WAKE_SINT 3

static bool start_vp0(struct child *c, u64 mode)
{
	u32 i;

	c->mailbox[0] = mode;
	c->mailbox[1] = 0;
	c->mailbox[READY] = 0;
	if (child_reset_vp(c, 0, CHILD_STACK_TOP) ||
	    hv_set_reg64(c->id, 0, HvRegisterExplicitSuspend, 0))
		return false;
	for (i = 0; i < 1000 && !c->mailbox[READY]; i++)
		uefi_call_wrapper(BS->Stall, 1, MS);
	return c->mailbox[READY];
}

static u64 runtime(struct child *c)
{
	u64 v = ~0ULL;

	hv_get_reg64(c->id, 0, HvRegisterVpRuntime, &v);
	return v;
}

/* Milliseconds until the handler has run @count times, or ~0 after 1 s. */
static u32 wait_handled(struct child *c, u64 count)
{
	u32 ms;

	for (ms = 0; ms < 1000; ms++) {
		if (c->mailbox[1] >= count)
			return ms;
		uefi_call_wrapper(BS->Stall, 1, MS);
	}
	return ~0u;
}

static void parent_messages(struct child *c)
{
	u32 i, ms, worst = 0;
	u64 before, activity = 0;

	tefi_check(hv_create_port(c->id, PORT, HvPortTypeMessage, WAKE_SINT, 0, 0, 0) == 0 &&
		   hv_connect_port(HV_PARTITION_ID_SELF, CONNECTION, c->id, PORT,
				   HvPortTypeMessage) == 0,
		   L"message port into the child");
	tefi_check(start_vp0(c, MODE_WAKE_MESSAGE), L"VP 0 set up its SynIC and halted");
	for (i = 0; i < 1000 && activity != HV_INTERNAL_ACTIVITY_HALT_SUSPEND; i++) {
		uefi_call_wrapper(BS->Stall, 1, MS);
		hv_get_reg64(c->id, 0, HvRegisterInternalActivityState, &activity);
	}
	tefi_check(activity == HV_INTERNAL_ACTIVITY_HALT_SUSPEND,
		   L"HvRegisterInternalActivityState: HaltSuspend once it is in HLT");
	/*
	 * Halted for 200 ms: the VP must not have been given the LP meanwhile.
	 * (A little slack: its LP's QEMU thread may be descheduled between the
	 * HLT and putting the VP down, and that time counts as the VP's.)
	 */
	uefi_call_wrapper(BS->Stall, 1, 5 * MS);
	before = runtime(c);
	uefi_call_wrapper(BS->Stall, 1, 200 * MS);
	tefi_print(L"  halted VP ran %ld us in 200 ms\n", (runtime(c) - before) / 10);
	tefi_check(runtime(c) - before < 100000, L"a halted VP gets no time (< 10 ms in 200 ms)");
	tefi_check(hv_set_reg64(c->id, 0, HvRegisterInternalActivityState, 0) ==
			   HV_STATUS_INVALID_VP_STATE,
		   L"and cannot be changed while the VP is not stopped");
	for (i = 0; i < WAKES; i++) {
		if (hv_post_message(CONNECTION, 1, "wake", 4))
			break;
		ms = wait_handled(c, i + 1);
		if (ms == ~0u)
			break;
		worst = ms > worst ? ms : worst;
		/* Long enough for the VP to halt again and its LP to go idle. */
		uefi_call_wrapper(BS->Stall, 1, 3 * MS);
	}
	tefi_print(L"  %d of %d messages woke the VP, the slowest after %d ms\n", i, WAKES, worst);
	tefi_check(i == WAKES, L"every message from the parent woke the halted VP within 1 s");
	tefi_check(hv_set_reg64(c->id, 0, HvRegisterExplicitSuspend, 1) == 0, L"and stopped");
	tefi_check(hv_set_reg64(c->id, 0, HvRegisterInternalActivityState, 1) ==
			   HV_STATUS_INVALID_PARAMETER &&
		   hv_set_reg64(c->id, 0, HvRegisterInternalActivityState, 8) ==
			   HV_STATUS_INVALID_PARAMETER,
		   L"InternalActivityState: StartupSuspend and reserved bits refused");
}

static void own_timer(struct child *c)
{
	tefi_check(start_vp0(c, MODE_WAKE_TIMER), L"VP 0 armed STIMER0 and halted");
	tefi_check(wait_handled(c, WAKES) != ~0u,
		   L"its one-shot timer messages woke it 20 times (200 us apart)");
	tefi_check(hv_set_reg64(c->id, 0, HvRegisterExplicitSuspend, 1) == 0, L"and stopped");
}

/* The next intercept message on the parent's SINT 0, or NULL after 1 s. */
static HV_X64_IO_PORT_INTERCEPT_MESSAGE *next_intercept(HV_MESSAGE *sim, HV_PARTITION_ID child)
{
	u32 ms;

	for (ms = 0; ms < 1000; ms++) {
		if (*(volatile u32 *)&sim[0].Header.MessageType == HvMessageTypeX64IoPortIntercept &&
		    sim[0].Header.Sender == child)
			return (HV_X64_IO_PORT_INTERCEPT_MESSAGE *)sim[0].Payload;
		uefi_call_wrapper(BS->Stall, 1, MS);
	}
	return NULL;
}

/* Skips the OUT, takes the message out of the slot and lets the VP go on. */
static bool resume(struct child *c, HV_MESSAGE *sim, const HV_X64_IO_PORT_INTERCEPT_MESSAGE *m)
{
	u64 rip, suspended = 0;
	bool pending = sim[0].Header.MessageFlags & HV_MESSAGE_FLAG_PENDING;

	if (hv_get_reg64(c->id, 0, HvRegisterInterceptSuspend, &suspended) || !suspended ||
	    hv_get_reg64(c->id, 0, HvX64RegisterRip, &rip) ||
	    hv_set_reg64(c->id, 0, HvX64RegisterRip, rip + m->Header.InstructionLength))
		return false;
	*(volatile u32 *)&sim[0].Header.MessageType = HvMessageTypeNone;
	if (pending)
		hv_wrmsr(HV_X64_MSR_EOM, 0);
	return hv_set_reg64(c->id, 0, HvRegisterInterceptSuspend, 0) == 0;
}

static void intercepts(struct child *c)
{
	HV_MESSAGE *sim = (HV_MESSAGE *)hv_pages(1);
	HV_X64_IO_PORT_INTERCEPT_MESSAGE *m;
	u32 ms;

	ZeroMem(sim, 4096);
	/* SINT 0 polled: the firmware has no handler for a SynIC vector. */
	hv_wrmsr(HV_X64_MSR_SIMP, (u64)sim | HV_SYNIC_PAGE_ENABLE);
	hv_wrmsr(HV_X64_MSR_SINT0, HV_SYNIC_SINT_POLLING | 0x30);
	hv_wrmsr(HV_X64_MSR_SCONTROL, HV_SYNIC_CONTROL_ENABLE);
	c->mailbox[0] = MODE_INTERCEPT;
	c->mailbox[1] = 0;
	tefi_check(child_reset_vp(c, 0, CHILD_STACK_TOP) == 0 &&
		   hv_set_reg64(c->id, 0, HvRegisterExplicitSuspend, 0) == 0, L"VP 0 started");
	m = next_intercept(sim, c->id);
	tefi_check(m && m->PortNumber == 0x99 && (u16)m->Rax == 0x1234 &&
		   m->Header.InstructionLength == 2,
		   L"OUT 0x99: the intercept message reached the parent's SINT 0");
	tefi_check(m && resume(c, sim, m),
		   L"the VP waited in InterceptSuspend; the parent skipped the OUT and resumed it");
	m = next_intercept(sim, c->id);
	tefi_check(m && m->PortNumber == 0x9a && (u16)m->Rax == 0x5678,
		   L"OUT 0x9A: the next intercept came the same way");
	tefi_check(m && resume(c, sim, m), L"resumed again");
	for (ms = 0; ms < 1000 && c->mailbox[1] != 2; ms++)
		uefi_call_wrapper(BS->Stall, 1, MS);
	tefi_check(c->mailbox[1] == 2, L"the VP went on past both");
	tefi_check(hv_set_reg64(c->id, 0, HvRegisterExplicitSuspend, 1) == 0, L"and stopped");
	hv_wrmsr(HV_X64_MSR_SCONTROL, 0);
	hv_wrmsr(HV_X64_MSR_SIMP, 0);
}

/* Core ID of VP @vp from what its CPUID said (leaf 0xB: shift of the SMT level). */
static u64 core_id(struct child *c, u32 vp)
{
	return (c->mailbox[8 + 4 * vp] >> 24) >> (c->mailbox[9 + 4 * vp] & 0x1f);
}

/* Two VPs of a child with @tpc threads per core report their CPUID topology. */
static bool cpuid_of_two(u32 tpc, struct child *c)
{
	const CHAR16 *step;
	u32 i, ms;

	if (child_create_early(c, payload_sched_bench_start,
			       payload_sched_bench_end - payload_sched_bench_start,
			       HvPartitionPropertyHwThreadCountPerCore, tpc, &step) ||
	    hv_deposit(c->id, (u64)hv_pages(16), 16) || child_add_vp(c, 1, CHILD_STACK_TOP - 0x800))
		return false;
	c->mailbox[0] = MODE_CPUID;
	for (i = 0; i < 2; i++)
		if (hv_set_reg64(c->id, i, HvRegisterExplicitSuspend, 0))
			return false;
	for (ms = 0; ms < 1000 && !(c->mailbox[11] >> 32 && c->mailbox[15] >> 32); ms++)
		uefi_call_wrapper(BS->Stall, 1, MS);
	tefi_print(L"  threads per core %d: VP 0 APIC %d core %ld, VP 1 APIC %d core %ld, 0x8000001E EBX %lx\n",
		   tpc, (u32)(c->mailbox[8] >> 24), core_id(c, 0), (u32)(c->mailbox[12] >> 24),
		   core_id(c, 1), (u32)c->mailbox[15]);
	return c->mailbox[11] >> 32 && c->mailbox[15] >> 32;
}

static void topology(void)
{
	HV_PARTITION_ID id;
	struct child smt, solo;
	u64 v = 0;

	tefi_check(hv_create_partition(&id) == 0, L"a partition to configure");
	tefi_check(hv_set_property(id, HvPartitionPropertyHwThreadCountPerCore, 3) ==
			   HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE,
		   L"HwThreadCountPerCore 3 on a host with 2: out of range");
	tefi_check(hv_set_property(id, HvPartitionPropertyHwThreadCountPerCore, 1) == 0 &&
			   hv_get_property(id, HvPartitionPropertyHwThreadCountPerCore, &v) == 0 && v == 1,
		   L"HwThreadCountPerCore 1 set and read back");
	tefi_check(hv_deposit(id, (u64)hv_pages(8), 8) == 0 &&
			   hv_partition_op(HvCallInitializePartition, id) == 0 &&
			   hv_set_property(id, HvPartitionPropertyHwThreadCountPerCore, 2) ==
				   HV_STATUS_INVALID_PARTITION_STATE,
		   L"and fixed once the partition is initialized");
	tefi_check(hv_partition_op(HvCallDeletePartition, id) == 0, L"deleted");
	tefi_check(cpuid_of_two(0, &smt), L"threads per core 0 (the host's 2): both VPs reported");
	tefi_check((smt.mailbox[8] >> 24) == 0 && (smt.mailbox[12] >> 24) == 1,
		   L"leaf 1 APIC IDs are the VP indexes");
	tefi_check(core_id(&smt, 0) == core_id(&smt, 1) && (u32)smt.mailbox[10] == 2,
		   L"VPs 0 and 1 are two threads of one core");
	tefi_check(cpuid_of_two(1, &solo), L"threads per core 1: both VPs reported");
	tefi_check(core_id(&solo, 0) != core_id(&solo, 1) && (u32)solo.mailbox[10] == 1,
		   L"VPs 0 and 1 are cores of their own");
	tefi_check(hv_partition_op(HvCallDeletePartition, smt.id) == 0 &&
			   hv_partition_op(HvCallDeletePartition, solo.id) == 0,
		   L"both deleted");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct child c;
	const CHAR16 *step;

	tefi_init(image, systab);
	tefi_check(hv_setup(), L"hypercall page");
	tefi_check(hv_deposit(HV_PARTITION_ID_SELF, (u64)hv_pages(8), 8) == 0, L"root pool");
	tefi_check(child_create(&c, payload_sched_bench_start,
				payload_sched_bench_end - payload_sched_bench_start, &step) == 0 &&
		   hv_deposit(c.id, (u64)hv_pages(64), 64) == 0, L"child");
	parent_messages(&c);
	own_timer(&c);
	intercepts(&c);
	topology();
	tefi_check(hv_partition_op(HvCallDeletePartition, c.id) == HV_STATUS_SUCCESS, L"child deleted");
	tefi_finish();
}
