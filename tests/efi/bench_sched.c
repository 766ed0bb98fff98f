/*
 * Scheduler benchmark (not a test), run by tests/bench under -icount with
 * -smp 2 and root_lps=1: LP 1 runs the child VPs (tests/payloads/sched_bench.c)
 * under the classic scheduler. Figures are instructions.
 */
#include "lib/tefi.h"
#include "lib/child.h"

extern const u8 payload_sched_bench_start[], payload_sched_bench_end[];

#define VPS 16
#define MODE_COUNT 1
#define MODE_SWITCH 2
#define MODE_WAKE_TIMER 4
#define SHARED(c) ((volatile u64 *)((c)->ram + 0x30000))
#define STRETCHES(c, vp) ((volatile u64 *)((c)->ram + 0x31000 + (vp) * 0x800))
#define WAKES 20
#define MS 1000


/* Starts VPs 0..n-1 afresh at the payload's entry, or stops them. */
static bool run_vps(struct child *c, u32 n, u64 suspend)
{
	u32 i;

	for (i = 0; i < n; i++)
		if ((!suspend && child_reset_vp(c, i, CHILD_STACK_TOP - i * 0x800)) ||
		    hv_set_reg64(c->id, i, HvRegisterExplicitSuspend, suspend))
			return false;
	return true;
}

static u64 counted(struct child *c, u32 n)
{
	u64 sum = 0;
	u32 i;

	for (i = 0; i < n; i++)
		sum += SHARED(c)[8 + i];
	return sum;
}

static void sort(u64 *v, u32 n)
{
	u32 i, j;

	for (i = 1; i < n; i++)
		for (j = i; j && v[j - 1] > v[j]; j--) {
			u64 t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* N spinning VPs on one LP: what the scheduler takes, per second of LP time, in steady state. */
static void overhead(struct child *c, u32 n)
{
	u64 t0, t1, c0, c1, lost;

	c->mailbox[0] = MODE_COUNT;
	tefi_check(run_vps(c, n, 0), L"VPs started");
	uefi_call_wrapper(BS->Stall, 1, 50 * MS);
	t0 = rdtsc();
	c0 = counted(c, n);
	uefi_call_wrapper(BS->Stall, 1, 500 * MS);
	t1 = rdtsc();
	c1 = counted(c, n);
	tefi_check(run_vps(c, n, 1), L"and stopped");
	/* Two instructions per count; the rest of LP 1's time went to the scheduler. */
	lost = (t1 - t0) - 2 * (c1 - c0);
	tefi_print(L"bench: scheduling overhead, %d VP%s on one LP, per second of LP time: %ld\n", n,
		   n > 1 ? L"s" : L"", lost * 1000000000 / (t1 - t0));
}

/* Two VPs on one LP: from one's last reading before preemption to the other's first. */
static void switch_cost(struct child *c)
{
	static u64 v[256];
	volatile u64 *l0 = STRETCHES(c, 0), *l1 = STRETCHES(c, 1);
	u32 i = 0, j = 0, n = 0;

	c->mailbox[0] = MODE_SWITCH;
	l0[0] = l1[0] = 0;
	tefi_check(run_vps(c, 2, 0), L"two VPs started");
	uefi_call_wrapper(BS->Stall, 1, 400 * MS);
	tefi_check(run_vps(c, 2, 1), L"and stopped");
	/* Merge the two logs by time; a switch is where the next stretch is the other VP's. */
	while (i < l0[0] && j < l1[0]) {
		if (l0[1 + 2 * i] < l1[1 + 2 * j]) {
			if (l1[1 + 2 * j] > l0[2 + 2 * i] && n < 256)
				v[n++] = l1[1 + 2 * j] - l0[2 + 2 * i];
			i++;
		} else {
			if (l0[1 + 2 * i] > l1[2 + 2 * j] && n < 256)
				v[n++] = l0[1 + 2 * i] - l1[2 + 2 * j];
			j++;
		}
	}
	sort(v, n);
	tefi_check(n > 10, L"VP switches seen");
	if (n)
		tefi_print(L"bench: VP switch, preemption to the next VP's first instruction (median of %d): %ld\n",
			   n, v[n / 2]);
}

/* A halted VP woken by its own one-shot STIMER0 message, on its LP. */
static void wake_latency(struct child *c)
{
	static u64 v[WAKES];
	u32 i;

	c->mailbox[0] = MODE_WAKE_TIMER;
	c->mailbox[1] = 0;
	tefi_check(run_vps(c, 1, 0), L"VP 0 started");
	for (i = 0; i < 5000 && c->mailbox[1] < WAKES; i++)
		uefi_call_wrapper(BS->Stall, 1, MS);
	tefi_check(c->mailbox[1] >= WAKES, L"every timer message woke the VP");
	tefi_check(run_vps(c, 1, 1), L"and stopped");
	for (i = 0; i < WAKES && i < c->mailbox[1]; i++)
		v[i] = c->mailbox[2 + i];
	sort(v, i);
	if (i)
		tefi_print(L"bench: wake-up of a halted VP, STIMER0 expiry to its message's first handler instruction (median of %d): %ld\n",
			   i, v[i / 2]);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct child c;
	const CHAR16 *step;
	u32 i;

	tefi_init(image, systab);
	tefi_check(hv_setup(), L"hypercall page");
	tefi_check(hv_deposit(HV_PARTITION_ID_SELF, (u64)hv_pages(8), 8) == 0, L"root pool");
	tefi_check(child_create(&c, payload_sched_bench_start,
				payload_sched_bench_end - payload_sched_bench_start, &step) == 0 &&
		   hv_deposit(c.id, (u64)hv_pages(64), 64) == 0, L"child");
	for (i = 1; i < VPS; i++)
		if (child_add_vp(&c, i, CHILD_STACK_TOP - i * 0x800))
			break;
	tefi_check(i == VPS, L"16 VPs");
	overhead(&c, 1);
	overhead(&c, 4);
	overhead(&c, 16);
	switch_cost(&c);
	wake_latency(&c);
	tefi_finish();
}
