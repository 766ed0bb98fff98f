/*
 * The hypervisor's own scheduler (classic and core types) running child VPs
 * on minroot LPs. Booted with -smp 4 (1 socket x 2 cores x 2 threads, LP n
 * is core n/2 thread n%2), root_lps=1 and hv_options=sched_probe; the load
 * options say which type to expect ("classic" or "core"); "classic-serial"
 * is classic where the emulator runs one CPU at a time (Bochs), so that
 * co-scheduling cannot be seen from inside.
 *
 * Two partitions of spinning VPs (tests/payloads/spin.c) are started by
 * clearing HvRegisterExplicitSuspend, left to run, and suspended again.
 * Shares come from HvRegisterVpRuntime; where each VP ran, from the
 * intervals it logged from inside. Classic: partition B (weight 200) gets
 * twice the time of A (weight 100) and A and B do share cores. Core (equal
 * weights): A and B never overlap on sibling threads, share core 1 fairly,
 * and LP 1 (the root's sibling) runs no child VP at all.
 */
#include "lib/tefi.h"
#include "lib/child.h"
#include "../payloads/spin.h"
#include "hv/boot_info.h"

extern const u8 payload_sched_bench_start[], payload_sched_bench_end[];
extern const u8 payload_spin_start[], payload_spin_end[];

#define RUN_SECONDS 3

struct part {
	struct child c;
	u32 vps;
	u64 runtime[SPIN_MAX_VPS];
	struct spin_log *log[SPIN_MAX_VPS];
};

static bool is_core, serial;

static bool make_part(struct part *p, u32 vps, u32 weight)
{
	const CHAR16 *step;
	u32 i;

	p->vps = vps;
	if (child_create(&p->c, payload_spin_start, payload_spin_end - payload_spin_start, &step) ||
	    hv_deposit(p->c.id, (u64)hv_pages(4 * vps), 4 * vps))
		return false;
	for (i = 1; i < vps; i++)
		if (child_add_vp(&p->c, i, CHILD_STACK_TOP - i * SPIN_STACK_SIZE))
			return false;
	for (i = 0; i < vps; i++)
		p->log[i] = (struct spin_log *)(p->c.ram + SPIN_LOG_GPA + i * SPIN_LOG_SIZE);
	return hv_set_property(p->c.id, HvPartitionPropertyCpuWeight, weight) == HV_STATUS_SUCCESS;
}

static bool set_suspend(struct part *p, u64 suspend)
{
	u32 i;

	for (i = 0; i < p->vps; i++)
		if (hv_set_reg64(p->c.id, i, HvRegisterExplicitSuspend, suspend))
			return false;
	return true;
}

static u64 total_runtime(struct part *p)
{
	u64 sum = 0;
	u32 i;

	for (i = 0; i < p->vps; i++) {
		if (hv_get_reg64(p->c.id, i, HvRegisterVpRuntime, &p->runtime[i]))
			return 0;
		sum += p->runtime[i];
	}
	return sum;
}

static bool siblings(u64 a, u64 b)
{
	return a != b && a / 2 == b / 2;
}

static const struct spin_interval *interval(const struct spin_log *l, u64 k)
{
	return k < l->n ? &l->iv[k] : &l->open;
}

/* Stretches where a VP of @a and a VP of @b ran at once on two threads of one core. */
static u64 core_overlaps(struct part *a, struct part *b)
{
	u64 n = 0, i, j;
	u32 va, vb;

	for (va = 0; va < a->vps; va++)
		for (vb = 0; vb < b->vps; vb++)
			for (i = 0; i <= a->log[va]->n; i++)
				for (j = 0; j <= b->log[vb]->n; j++) {
					const struct spin_interval *x = interval(a->log[va], i);
					const struct spin_interval *y = interval(b->log[vb], j);

					if (x->start && y->start && siblings(x->lp, y->lp) &&
					    x->start < y->end && y->start < x->end)
						n++;
				}
	return n;
}

static bool ran_on(struct part *p, u64 lp)
{
	u64 k;
	u32 v;

	for (v = 0; v < p->vps; v++)
		for (k = 0; k <= p->log[v]->n; k++)
			if (interval(p->log[v], k)->start && interval(p->log[v], k)->lp == lp)
				return true;
	return false;
}

static bool ran_outside(struct part *p, u64 lps, u64 since)
{
	u64 k;
	u32 v;

	for (v = 0; v < p->vps; v++)
		for (k = 0; k <= p->log[v]->n; k++) {
			const struct spin_interval *x = interval(p->log[v], k);

			if (x->start >= since && !(lps & (1ULL << x->lp)))
				return true;
		}
	return false;
}


/*
 * Classic, second round: B bound to a CPU group on LPs 2-3 with C = 25%
 * (G = 2 x 25% = half an LP for its three VPs together), A capped at 20% of
 * an LP per VP. Caps hold per 100 ms period, so over a run of E they allow
 * cap x (E + 2 periods); 10% more covers the host descheduling vCPUs.
 */
static void caps_and_groups(struct part *a, struct part *b)
{
	struct hv_input_create_cpu_group *in = hv_in();
	u64 before_a[SPIN_MAX_VPS], before_b, b_ran, t0, t1, tsc0, elapsed, group = 0, period = 1000000;
	HV_STATUS s;
	u32 i;

	ZeroMem(in, sizeof(*in));
	in->LpAffinity = 0xc;
	in->Cap = 16384;
	s = hv_status(hv_call(HvCallCreateCpuGroup, hv_in_gpa(), hv_out_gpa()));
	group = *(u64 *)hv_out();
	tefi_check(!s, L"HvCallCreateCpuGroup: LPs 2-3, C = 25%");
	tefi_check(hv_set_property(b->c.id, HvPartitionPropertyCpuGroupId, group) == 0,
		   L"B bound to it (HvPartitionPropertyCpuGroupId)");
	tefi_check(hv_set_property(a->c.id, HvPartitionPropertyCpuCap, 13107) == 0,
		   L"A capped at 20% per VP");
	{
		struct hv_input_cpu_group *g = hv_in();

		g->GroupId = (u32)group;
		g->Cap = 0;
		tefi_check(hv_status(hv_call(HvCallDeleteCpuGroup, hv_in_gpa(), 0)) ==
			   HV_STATUS_OBJECT_IN_USE, L"a group with members cannot be deleted");
	}
	before_b = total_runtime(b);
	total_runtime(a);
	for (i = 0; i < a->vps; i++)
		before_a[i] = a->runtime[i];
	hv_get_property(a->c.id, HvPartitionPropertyReferenceTime, &t0);
	tsc0 = rdtsc();
	tefi_check(set_suspend(a, 0) && set_suspend(b, 0), L"second round started");
	uefi_call_wrapper(BS->Stall, 1, 2 * 1000000);
	tefi_check(set_suspend(a, 1) && set_suspend(b, 1), L"and stopped");
	hv_get_property(a->c.id, HvPartitionPropertyReferenceTime, &t1);
	elapsed = t1 - t0;
	b_ran = total_runtime(b) - before_b;
	total_runtime(a);
	tefi_print(L"  %ld ms: B %ld ms (group G = half an LP), A %ld %ld %ld ... ms (cap 20%% each)\n",
		   elapsed / 10000, b_ran / 10000, (a->runtime[0] - before_a[0]) / 10000,
		   (a->runtime[1] - before_a[1]) / 10000, (a->runtime[2] - before_a[2]) / 10000);
	tefi_check(b_ran * 10 <= (elapsed + 2 * period) / 2 * 11, L"group cap held: B got at most G");
	tefi_check(b_ran * 10 >= elapsed / 2 * 6, L"and B got most of G (at least 60% of it)");
	for (i = 0; i < a->vps; i++)
		if ((a->runtime[i] - before_a[i]) * 10 > (elapsed + 2 * period) / 5 * 11)
			break;
	tefi_check(i == a->vps, L"per-VP cap held: every A VP got at most 20%");
	tefi_check(!ran_outside(b, 0xc, tsc0), L"B ran only on its group's LPs");
	tefi_check(hv_set_property(b->c.id, HvPartitionPropertyCpuGroupId, ~0ULL) == 0,
		   L"B unbound");
	{
		struct hv_input_cpu_group *g = hv_in();

		g->GroupId = (u32)group;
		g->Cap = 0;
		tefi_check(hv_status(hv_call(HvCallDeleteCpuGroup, hv_in_gpa(), 0)) == 0,
			   L"HvCallDeleteCpuGroup");
	}
}

/* Logical processors in the package (CPUID 0xB, core level): QEMU's -smp. */
static u32 machine_lps(void)
{
	u32 eax, ebx, ecx, edx;

	__asm__ volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0xb), "c"(1));
	return ebx & 0xffff;
}

static u32 scheduler_type(void)
{
	u32 *in = hv_in();

	in[0] = HvSystemPropertySchedulerType;
	in[1] = 0;
	if (hv_status(hv_call(HvCallGetSystemProperty, hv_in_gpa(), hv_out_gpa())))
		return 0;
	return *(u32 *)hv_out();
}

/*
 * Root type: the hypervisor does not time-slice; a child VP runs only when
 * its parent dispatches it, and the controls of the other types are refused.
 */
static void root_type(void)
{
	struct hv_input_create_cpu_group *in = hv_in();
	const CHAR16 *step;
	struct child c;
	HV_STATUS s;
	u64 rt = 1;

	tefi_check(child_create(&c, payload_sched_bench_start,
				payload_sched_bench_end - payload_sched_bench_start, &step) == 0,
		   L"a child");
	tefi_check(hv_set_property(c.id, HvPartitionPropertyCpuWeight, 200) ==
			   HV_STATUS_OPERATION_DENIED &&
		   hv_set_property(c.id, HvPartitionPropertyCpuCap, 1000) == HV_STATUS_OPERATION_DENIED &&
		   hv_set_property(c.id, HvPartitionPropertyCpuReserve, 1000) ==
			   HV_STATUS_OPERATION_DENIED,
		   L"weight, cap and reserve: HV_STATUS_OPERATION_DENIED");
	ZeroMem(in, sizeof(*in));
	in->LpAffinity = 1;
	in->Cap = 16384;
	tefi_check(hv_status(hv_call(HvCallCreateCpuGroup, hv_in_gpa(), hv_out_gpa())) ==
			   HV_STATUS_OPERATION_DENIED,
		   L"HvCallCreateCpuGroup: HV_STATUS_OPERATION_DENIED");
	c.mailbox[0] = 6; /* tests/payloads/sched_bench.c MODE_CPUID: CPUID, then HLT */
	tefi_check(hv_set_reg64(c.id, 0, HvRegisterExplicitSuspend, 0) == 0,
		   L"ExplicitSuspend cleared");
	uefi_call_wrapper(BS->Stall, 1, 100000);
	tefi_check(hv_get_reg64(c.id, 0, HvRegisterVpRuntime, &rt) == 0 && rt == 0 && !c.mailbox[11],
		   L"the VP does not run by itself");
	tefi_check(child_run(&c, &s) == HvMessageTypeX64Halt && s == 0 && c.mailbox[11] >> 32,
		   L"the parent's dispatch loop runs it to its HLT");
	tefi_check(hv_get_reg64(c.id, 0, HvRegisterVpRuntime, &rt) == 0 && rt > 0,
		   L"and its run time counts");
	tefi_check(hv_partition_op(HvCallDeletePartition, c.id) == HV_STATUS_SUCCESS, L"deleted");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	static struct part a, b;
	u64 v, ta, tb, overlaps;
	u32 vps, weight_b, lps;

	tefi_init(image, systab);
	is_core = !StrCmp(tefi_load_options(), L"core");
	serial = !StrCmp(tefi_load_options(), L"classic-serial");
	tefi_print(L"test_sched: the %s scheduler\n", tefi_load_options());
	tefi_check(hv_setup(), L"hypercall page");
	if (!StrCmp(tefi_load_options(), L"root")) {
		tefi_check(scheduler_type() == HV_SCHEDULER_ROOT,
			   L"HvCallGetSystemProperty(SchedulerType): root (4)");
		root_type();
		tefi_finish();
	}
	tefi_check(scheduler_type() == (is_core ? HV_SCHEDULER_CORE : HV_SCHEDULER_CLASSIC),
		   L"HvCallGetSystemProperty(SchedulerType) names the configured type");

	/* Classic: more VPs than child LPs, or weights would not matter. */
	lps = machine_lps();
	vps = is_core ? 2 : lps > 4 ? MIN(lps - 1, SPIN_MAX_VPS) : 3;
	weight_b = is_core ? 100 : 200;
	tefi_print(L"  %d VPs per partition\n", vps);
	tefi_check(make_part(&a, vps, 100) && make_part(&b, vps, weight_b),
		   L"two partitions of spinning VPs (weights 100 and 200 under classic)");
	tefi_check(hv_get_property(a.c.id, HvPartitionPropertyNonArchitecturalCoreSharing, &v) == 0 &&
		   v == !is_core, L"NonArchitecturalCoreSharing: 0 under core, 1 under classic (SMT)");
	{
		u32 eax, ebx, ecx, edx;

		__asm__ volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0x40000004), "c"(0));
		tefi_check(!!(eax & (1u << 18)) == is_core,
			   L"CPUID 0x40000004 EAX[18] NoNonArchitecturalCoreSharing only under core");
	}
	tefi_check(hv_set_property(a.c.id, HvPartitionPropertyCpuWeight, 0) ==
		   HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE &&
		   hv_set_property(a.c.id, HvPartitionPropertyCpuCap, 65537) ==
		   HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE, L"out-of-range weight and cap refused");
	tefi_check(hv_get_property(b.c.id, HvPartitionPropertyCpuWeight, &v) == 0 && v == weight_b,
		   L"the weight reads back");
	tefi_check(total_runtime(&a) == 0, L"explicitly suspended VPs have not run");

	tefi_check(set_suspend(&a, 0) && set_suspend(&b, 0), L"HvRegisterExplicitSuspend cleared");
	uefi_call_wrapper(BS->Stall, 1, RUN_SECONDS * 1000000);
	tefi_check(set_suspend(&a, 1) && set_suspend(&b, 1), L"and set again: every VP stopped");
	ta = total_runtime(&a);
	tb = total_runtime(&b);
	tefi_print(L"  runtime A %ld ms (%ld %ld %ld), B %ld ms (%ld %ld %ld)\n", ta / 10000,
		   a.runtime[0] / 10000, a.runtime[1] / 10000, a.runtime[2] / 10000, tb / 10000,
		   b.runtime[0] / 10000, b.runtime[1] / 10000, b.runtime[2] / 10000);
	tefi_print(L"  iterations A %ld %ld, B %ld %ld; intervals A %ld %ld, B %ld %ld\n",
		   a.log[0]->count, a.log[1]->count, b.log[0]->count, b.log[1]->count,
		   a.log[0]->n, a.log[1]->n, b.log[0]->n, b.log[1]->n);
	tefi_check(a.log[0]->count && a.log[1]->count && b.log[0]->count && b.log[1]->count,
		   L"every VP ran");
	tefi_check(!ran_on(&a, 0) && !ran_on(&b, 0), L"no child VP ran on the root's LP");
	overlaps = core_overlaps(&a, &b);
	tefi_print(L"  A and B together on one core: %ld times\n", overlaps);
	if (is_core) {
		tefi_check(overlaps == 0, L"core: A and B never on sibling threads at once");
		tefi_check(!ran_on(&a, 1) && !ran_on(&b, 1),
			   L"core: LP 1, the root's sibling thread, ran no child VP");
		tefi_check(ta * 10 > (ta + tb) * 3 && tb * 10 > (ta + tb) * 3,
			   L"core: equal shares of core 1 between A and B (each over 30%)");
	} else {
		if (!serial)
			tefi_check(overlaps > 0,
				   L"classic: A and B do share cores (the core check can fail)");
		/* Wide margin: the host deschedules QEMU's vCPU threads at will. */
		tefi_print(L"  B/A = %ld.%02ld\n", tb / ta, tb * 100 / ta % 100);
		tefi_check(tb * 10 > ta * 14 && tb * 10 < ta * 26,
			   L"classic: B (weight 200) got 2x the time of A (weight 100), +-30%");
	}
	if (!is_core)
		caps_and_groups(&a, &b);
	tefi_check(hv_partition_op(HvCallDeletePartition, a.c.id) == HV_STATUS_SUCCESS &&
		   hv_partition_op(HvCallDeletePartition, b.c.id) == HV_STATUS_SUCCESS,
		   L"both partitions deleted");
	tefi_finish();
}
