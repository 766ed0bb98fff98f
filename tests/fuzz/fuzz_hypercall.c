/*
 * libFuzzer target: the hypervisor's exit handling, hypercall decoding and
 * the hypercall handlers (the hv/ sources as they are), on a host fake of the
 * machine (hv_host.h) and of the vendor backend (hv_host_vcpu.c).
 *
 * Each input boots a fresh hypervisor and then plays exits as lp_run would
 * see them, on LP 0 or LP 1: whatever VP the LP runs (a root VP, a child
 * VP the root dispatched, a child VP the hypervisor's scheduler picked)
 * executes a hypercall with registers and an input page from the input,
 * accesses an MSR, runs CPUID, writes its own memory, halts, faults... and
 * time passes. After every exit the invariants of hv_invariants.c must
 * hold, and a hypercall must have completed the TLFS way: a TLFS status,
 * reps complete within the rep count, RIP past the call unless it is to
 * be re-executed from the new rep start (which the harness then does, as
 * the guest would), #UD exactly where the TLFS says. Handlers only see the
 * bytes of the LP's parameter pages the call has (AddressSanitizer).
 * At the end the root deletes every child: nothing may be left behind.
 *
 * Input: one configuration byte (scheduler type, what LP 1 is), then
 * steps, each an operation byte and its operands, little endian
 * (tests/fuzz/hypercall_seeds.py writes the seeds in this format).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sanitizer/asan_interface.h>
#include "tests/fuzz/hv_host.h"
#include "tests/fuzz/hv_invariants.h"
#include "hv/hvcall.h"
#include "hv/lp.h"
#include "hv/partition.h"
#include "hv/vp.h"
#include "hv/vp_interrupt.h"
#include "hv/vp_sched.h"
#include "hv/vp_tlb.h"
#include "hv/vlapic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vcpu.h"
#include "arch/x86/event.h"

#define MAX_STEPS 256
/* A rep call re-executed more often than 4095 / HYPERCALL_REP_BUDGET + 1 would need is stuck: move on. */
#define MAX_REEXECUTIONS 40
#define VMMCALL_LEN 3
#define WRMSR_LEN 2
#define CPUID_LEN 2
#define X86_UD 6
/* An operand GPA: a 16-bit selector of an 8-byte slot from the partition's RAM base, or this and 8 raw bytes. */
#define GPA_RAW 0xffff
#define RESULT_RESERVED_MASK (0xffff0000ULL | (0xfffffULL << 44))

enum op {
	OP_HYPERCALL,      /* 0-5 and 12-15: the common case */
	OP_MSR_WRITE = 6,
	OP_MSR_READ,
	OP_CPUID,
	OP_MEMORY_WRITE,
	OP_TIME,
	OP_OTHER_EXIT,
};

struct input {
	const u8 *p;
	size_t n;
};

static u64 take(struct input *in, unsigned bytes)
{
	u64 v = 0;
	unsigned i;

	for (i = 0; i < bytes && in->n; i++, in->n--)
		v |= (u64)*in->p++ << (8 * i);
	return v;
}

static bool is_root(const struct vp *vp)
{
	return vp->partition == root_partition;
}

static u64 take_gpa(struct input *in, const struct vp *vp)
{
	u64 sel = take(in, 2);

	if (sel == GPA_RAW)
		return take(in, 8);
	return (is_root(vp) ? HOST_ROOT_RAM_BASE : 0) + sel * 8;
}

/* What the guest can do itself: write its own memory where it is mapped writable. */
static void guest_write(struct vp *vp, u64 gpa, struct input *in, u32 len)
{
	len = MIN(len, (u32)in->n);
	while (len) {
		u32 chunk = MIN(len, (u32)(PAGE_SIZE - gpa % PAGE_SIZE));
		u64 spa;

		if (!gpa_map_translate(&vp->partition->gpa_map, gpa,
				       HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE, &spa))
			memcpy(phys_to_virt(spa), in->p, chunk);
		in->p += chunk;
		in->n -= chunk;
		len -= chunk;
		gpa += chunk;
	}
}

/* --- hypercalls -------------------------------------------------------------- */

/* One execution of the hypercall instruction, as decoded before the exit. */
struct call {
	u64 control;
	u64 rip;
	bool long_mode;
	bool ud;
	HV_STATUS decode_status;
	const struct hypercall_desc *d;
	struct hypercall hc;
};

/* hypercall.c's register conventions, from the guest's side. */
static void set_params(struct vp *vp, u64 control, u64 in, u64 out)
{
	struct vp_regs *r = &vp->regs;

	if (vcpu_arch_long_mode(vp)) {
		r->rcx = control;
		r->rdx = in;
		r->r8 = out;
	} else {
		r->rax = (u32)control, r->rdx = control >> 32;
		r->rcx = (u32)in, r->rbx = in >> 32;
		r->rsi = (u32)out, r->rdi = out >> 32;
	}
}

/* The control word in the 64-bit convention, the result value in both. */
static u64 pair(const struct vp *vp, bool long_mode, u64 reg64)
{
	return long_mode ? reg64 : (vp->regs.rdx << 32) | (u32)vp->regs.rax;
}

static bool tlfs_status(HV_STATUS s)
{
	switch (s) {
	case HV_STATUS_SUCCESS:
	case HV_STATUS_INVALID_HYPERCALL_CODE:
	case HV_STATUS_INVALID_HYPERCALL_INPUT:
	case HV_STATUS_INVALID_ALIGNMENT:
	case HV_STATUS_INVALID_PARAMETER:
	case HV_STATUS_ACCESS_DENIED:
	case HV_STATUS_INVALID_PARTITION_STATE:
	case HV_STATUS_OPERATION_DENIED:
	case HV_STATUS_UNKNOWN_PROPERTY:
	case HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE:
	case HV_STATUS_INSUFFICIENT_MEMORY:
	case HV_STATUS_INVALID_PARTITION_ID:
	case HV_STATUS_INVALID_VP_INDEX:
	case HV_STATUS_INVALID_PORT_ID:
	case HV_STATUS_INVALID_CONNECTION_ID:
	case HV_STATUS_INSUFFICIENT_BUFFERS:
	case HV_STATUS_INVALID_VP_STATE:
	case HV_STATUS_INVALID_SYNIC_STATE:
	case HV_STATUS_OBJECT_IN_USE:
	case HV_STATUS_NO_RESOURCES:
	case HV_STATUS_INVALID_REGISTER_VALUE:
	case HV_STATUS_INVALID_VTL_STATE:
		return true;
	}
	return false;
}

/*
 * The LP's parameter pages as far as this call has them: the input
 * (16 bytes of registers for a fast call) and the output. Any handler
 * access beyond is reported.
 */
static void guard_parameters(const struct lp *lp, const struct call *c)
{
	u32 in = 0, out = 0;

	if (!c->decode_status) {
		in = c->hc.fast ? 16 : MIN(hypercall_in_bytes(&c->hc, c->d), (u32)PAGE_SIZE);
		out = MIN(hypercall_out_bytes(&c->hc, c->d), (u32)PAGE_SIZE);
	}
	ASAN_POISON_MEMORY_REGION(lp->hypercall_in, PAGE_SIZE);
	ASAN_UNPOISON_MEMORY_REGION(lp->hypercall_in, in);
	ASAN_POISON_MEMORY_REGION(lp->hypercall_out, PAGE_SIZE);
	ASAN_UNPOISON_MEMORY_REGION(lp->hypercall_out, out);
}

static void call_begin(struct vp *vp, struct call *c)
{
	c->long_mode = vcpu_arch_long_mode(vp);
	c->control = pair(vp, c->long_mode, vp->regs.rcx);
	c->rip = host_vcpu_rip(vp);
	c->ud = vcpu_arch_cpl(vp) != 0 || !vp->partition->guest_os_id;
	c->d = hypercall_lookup(c->control & HV_HYPERCALL_CODE_MASK);
	c->decode_status = hypercall_decode(c->control, c->d, &c->hc);
}

/* HvCallSetVpRegisters on the caller itself (the root may): its RIP and mode are then the input's. */
static bool sets_own_registers(const struct lp *lp, const struct vp *vp, const struct call *c)
{
	const struct hv_input_vp_registers *in = lp->hypercall_in;

	return !c->decode_status && c->hc.code == HvCallSetVpRegisters && !c->hc.fast &&
	       (in->PartitionId == HV_PARTITION_ID_SELF || in->PartitionId == vp->partition->id) &&
	       in->VpIndex == vp->index;
}

/* How the call ended, checked; true when the guest is to execute it again. */
static bool call_end(const struct lp *lp, const struct vp *vp, const struct call *c)
{
	u64 rip = host_vcpu_rip(vp), result, control;
	u32 exception = host_vcpu_pending_exception(vp), reps, start;
	HV_STATUS status;

	if (lp->current && lp->current != vp && lp->current->dispatcher == vp) {
		/* HvCallDispatchVp: the root's call completes when the child comes back. */
		if (c->decode_status || c->hc.code != HvCallDispatchVp || rip != c->rip || exception)
			invariant_failed("call 0x%llx: the caller was switched away from",
					 (unsigned long long)c->control);
		return false;
	}
	if (c->ud || exception) {
		if (!c->ud || exception != X86_UD + 1 || rip != c->rip)
			invariant_failed("call 0x%llx: #UD %s (exception %u)", (unsigned long long)c->control,
					 c->ud ? "expected" : "unexpected", exception - 1);
		return false;
	}
	if (sets_own_registers(lp, vp, c))
		return false;
	if (rip == c->rip) {
		/* Continuation: RCX (or EDX:EAX) holds the call again with the new rep start. */
		control = pair(vp, c->long_mode, vp->regs.rcx);
		start = (control & HV_HYPERCALL_REP_START_MASK) >> HV_HYPERCALL_REP_START_SHIFT;
		if (c->decode_status || !c->d->rep ||
		    (control & ~HV_HYPERCALL_REP_START_MASK) != (c->control & ~HV_HYPERCALL_REP_START_MASK) ||
		    start < c->hc.rep_start || start >= c->hc.rep_count ||
		    (c->long_mode && vp->regs.rax != hypercall_result(HV_STATUS_SUCCESS, start)))
			invariant_failed("call 0x%llx: not completed, but no continuation to rep start %u",
					 (unsigned long long)c->control, start);
		return true;
	}
	result = pair(vp, c->long_mode, vp->regs.rax);
	status = (HV_STATUS)result;
	reps = (result & HV_HYPERCALL_REP_COUNT_MASK) >> HV_HYPERCALL_REPS_COMPLETE_SHIFT;
	if (host_verbose())
		fprintf(stderr, "partition %llu VP %u: call 0x%llx: status 0x%x, %u reps\n",
			(unsigned long long)vp->partition->id, vp->index, (unsigned long long)c->control,
			status, reps);
	if (rip != c->rip + VMMCALL_LEN)
		invariant_failed("call 0x%llx: RIP moved by %lld", (unsigned long long)c->control,
				 (long long)(rip - c->rip));
	if (!tlfs_status(status) || (result & RESULT_RESERVED_MASK))
		invariant_failed("call 0x%llx: result 0x%llx is not a TLFS result value",
				 (unsigned long long)c->control, (unsigned long long)result);
	if (c->decode_status && (status != c->decode_status || reps))
		invariant_failed("call 0x%llx: decoding said 0x%x, the call 0x%llx",
				 (unsigned long long)c->control, c->decode_status, (unsigned long long)result);
	if (!c->decode_status && !c->d->rep && reps)
		invariant_failed("call 0x%llx: simple call with %u reps complete",
				 (unsigned long long)c->control, reps);
	if (!c->decode_status && c->d->rep &&
	    (reps < c->hc.rep_start || reps > c->hc.rep_count ||
	     (status == HV_STATUS_SUCCESS) != (reps == c->hc.rep_count)))
		invariant_failed("call 0x%llx: status 0x%x with %u of %u reps complete",
				 (unsigned long long)c->control, status, reps, c->hc.rep_count);
	return false;
}

/* --- running VPs the way lp_run does ------------------------------------------- */

/* The VP the LP runs next, entered (interrupts and timers delivered); NULL if it idles. */
static struct vp *enter(struct lp *lp)
{
	struct vp *vp = lp->current;

	host_enter_lp(lp);
	if (!vp && lp->owned)
		vp = host_sched_next(lp);
	if (!vp)
		return NULL;
	vp_prepare_entry(vp);
	vp_tlb_enter(vp, lp);
	host_vcpu_run(vp);
	vp_tlb_leave(vp, lp);
	return vp;
}

static void handle(struct lp *lp, struct vp *vp, const struct vp_exit *exit)
{
	if (host_verbose())
		fprintf(stderr, "LP %u: partition %llu VP %u: exit %u\n", lp->index,
			(unsigned long long)vp->partition->id, vp->index, exit->reason);
	vp_handle_exit(vp, exit);
	if (lp->owned && lp->current == vp && lp_sched_due(lp))
		lp_sched_put(lp);
	invariants_check();
}

static void hypercall(struct lp *lp, struct vp *vp, struct input *in)
{
	const struct vp_exit exit = { .reason = VP_EXIT_HYPERCALL, .insn_len = VMMCALL_LEN };
	u64 control = take(in, 8), in_gpa, out_gpa;
	unsigned i;
	u32 len;

	if (control & HV_HYPERCALL_FAST) {
		in_gpa = take(in, 8);
		out_gpa = take(in, 8);
	} else {
		in_gpa = take_gpa(in, vp);
		out_gpa = take_gpa(in, vp);
		len = take(in, 2);
		guest_write(vp, in_gpa, in, MIN(len, (u32)(PAGE_SIZE - in_gpa % PAGE_SIZE)));
	}
	set_params(vp, control, in_gpa, out_gpa);
	for (i = 0; i < MAX_REEXECUTIONS; i++) {
		struct call c;

		call_begin(vp, &c);
		guard_parameters(lp, &c);
		handle(lp, vp, &exit);
		if (!call_end(lp, vp, &c) || enter(lp) != vp)
			return;
	}
}

static u32 take_msr(struct input *in)
{
	static const u32 others[] = {
		HV_X64_MSR_GUEST_OS_ID, HV_X64_MSR_HYPERCALL, HV_X64_MSR_VP_INDEX,
		HV_X64_MSR_SCONTROL, HV_X64_MSR_SVERSION, HV_X64_MSR_SIEFP, HV_X64_MSR_SIMP,
		HV_X64_MSR_EOM, HV_X64_MSR_TIME_REF_COUNT, HV_X64_MSR_REFERENCE_TSC,
		HV_X64_MSR_TSC_FREQUENCY, HV_X64_MSR_APIC_FREQUENCY, HV_X64_MSR_CRASH_P0,
		HV_X64_MSR_CRASH_P0 + 3, HV_X64_MSR_CRASH_P4, HV_X64_MSR_CRASH_CTL,
		VLAPIC_MSR_HV_EOI, VLAPIC_MSR_HV_ICR, VLAPIC_MSR_HV_TPR, VLAPIC_MSR_APIC_BASE,
		VLAPIC_MSR_TSC_DEADLINE, 0x802, 0x803, 0x808, 0x80b, 0x80d, 0x80f, 0x828, 0x830,
		0x832, 0x838, 0x839, 0x83e, 0x83f, MSR_EFER, MSR_PAT, HV_X64_MSR_SCHED_PROBE,
	};
	u32 sel = take(in, 1);

	if (sel < HV_SYNIC_SINT_COUNT)
		return HV_X64_MSR_SINT0 + sel;
	sel -= HV_SYNIC_SINT_COUNT;
	if (sel < 2 * HV_SYNIC_STIMER_COUNT)
		return HV_X64_MSR_STIMER0_CONFIG + sel;
	sel -= 2 * HV_SYNIC_STIMER_COUNT;
	if (sel < ARRAY_SIZE(others))
		return others[sel];
	return take(in, 4);
}

static u32 take_leaf(struct input *in)
{
	static const u32 leaves[] = { 0, 1, 7, 0xd, 0x40000000, 0x40000001, 0x40000002, 0x40000003,
				      0x40000004, 0x40000005, 0x40000006, 0x80000001, 0x8000000a };
	u32 sel = take(in, 1);

	return sel < ARRAY_SIZE(leaves) ? leaves[sel] : (u32)take(in, 4);
}

/* Exits other than calls and MSRs; the backend reports some only for children. */
static void other_exit(struct lp *lp, struct vp *vp, struct input *in)
{
	static const u8 io_sizes[] = { 1, 2, 4 };
	/* What HvCallInstallIntercept lets a parent intercept, so what the backend can report. */
	static const u8 vectors[] = { 0, 5, 6, 7, 8, 10, 11, 12, 13, 14, 16, 17, 19 };
	struct vp_exit e = { .reason = VP_EXIT_NONE, .insn_len = 1 };
	HV_REGISTER_VALUE cr0;
	u64 v;

	switch (take(in, 1) % 11) {
	case 1:
		e.reason = VP_EXIT_INTERRUPT_WINDOW;
		break;
	case 2:
		e.reason = VP_EXIT_UNDEFINED;
		break;
	case 3:
		e.reason = VP_EXIT_EXTERNAL;
		break;
	case 4:
		e.reason = VP_EXIT_GPA_FAULT;
		e.fault.gpa = take_gpa(in, vp);
		v = take(in, 1);
		e.fault.access = v % 3;
		e.fault.translating = v & 4;
		break;
	case 5:
		e.reason = VP_EXIT_HLT;
		break;
	case 6:
		e.reason = VP_EXIT_IO;
		e.io.port = take(in, 2);
		v = take(in, 1);
		e.io.size = io_sizes[v % 3];
		e.io.in = v & 4;
		e.io.string = v & 8;
		e.io.rep = v & 16;
		e.insn_len = 1 + (v >> 5);
		break;
	case 7:
		e.reason = VP_EXIT_TRIPLE_FAULT;
		break;
	case 8:
		e.reason = VP_EXIT_BAD_STATE;
		break;
	case 9:
		e.reason = VP_EXIT_UNHANDLED;
		e.unhandled = take(in, 8);
		break;
	case 10:
		/* Installed or not: the parent may have removed it while the VP ran. */
		e.reason = VP_EXIT_EXCEPTION;
		e.insn_len = 0;
		e.exception.vector = vectors[take(in, 1) % ARRAY_SIZE(vectors)];
		vcpu_arch_get_register(vp, HvX64RegisterCr0, &cr0);
		e.exception.has_error = x86_exception_has_error_code(e.exception.vector,
								      cr0.Reg64 & CR0_PE);
		e.exception.error = e.exception.has_error ? (u32)take(in, 4) : 0;
		e.exception.parameter = take(in, 8);
		break;
	}
	/* The root's VMCB intercepts none of these; a root triple fault resets the machine. */
	if (is_root(vp) && e.reason >= VP_EXIT_IO && e.reason != VP_EXIT_GPA_FAULT &&
	    e.reason != VP_EXIT_EXTERNAL && e.reason != VP_EXIT_UNDEFINED &&
	    e.reason != VP_EXIT_INTERRUPT_WINDOW)
		return;
	handle(lp, vp, &e);
}

static void step(struct lp *lp, struct vp *vp, u8 op, struct input *in)
{
	struct vp_exit e = { .insn_len = WRMSR_LEN };

	switch (op & 15) {
	case OP_MSR_WRITE:
	case OP_MSR_READ:
		e.reason = (op & 15) == OP_MSR_WRITE ? VP_EXIT_MSR_WRITE : VP_EXIT_MSR_READ;
		e.msr.index = take_msr(in);
		if (e.reason == VP_EXIT_MSR_WRITE)
			e.msr.value = take(in, 8);
		handle(lp, vp, &e);
		return;
	case OP_CPUID:
		e.reason = VP_EXIT_CPUID;
		e.insn_len = CPUID_LEN;
		e.cpuid.leaf = take_leaf(in);
		e.cpuid.subleaf = take(in, 1);
		handle(lp, vp, &e);
		return;
	case OP_MEMORY_WRITE: {
		u64 gpa = take_gpa(in, vp);

		guest_write(vp, gpa, in, take(in, 2) % (2 * PAGE_SIZE));
		return;
	}
	case OP_TIME:
		host_advance(take(in, 4));
		return;
	case OP_OTHER_EXIT:
		other_exit(lp, vp, in);
		return;
	}
	hypercall(lp, vp, in);
}

/* Every VP off its LP, then HvCallDeletePartition for every child: it must work, and leave nothing. */
static void shutdown(void)
{
	const struct vp_exit preempted = { .reason = VP_EXIT_EXTERNAL };
	unsigned i;

	for (i = 0; i < lp_count; i++) {
		struct lp *lp = lps[i];

		host_enter_lp(lp);
		if (lp->current && lp->current->dispatcher)
			vp_handle_exit(lp->current, &preempted);
		else if (lp->current && lp->owned)
			lp_sched_put(lp);
	}
	host_enter_lp(lps[0]);
	for (i = 1; i < HV_MAX_PARTITIONS; i++) {
		struct partition *p = host_partition_slot(i);
		struct hypercall hc = { .caller = lps[0]->root_vp, .code = HvCallDeletePartition };
		HV_STATUS status;

		if (!p)
			continue;
		hc.in = &p->id;
		status = hvcall_delete_partition(&hc);
		if (status)
			invariant_failed("deleting partition %llu with every VP stopped: 0x%x",
					 (unsigned long long)p->id, status);
	}
	invariants_check_all();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const u32 types[] = { HV_SCHEDULER_CLASSIC, HV_SCHEDULER_CORE, HV_SCHEDULER_ROOT,
				     HV_SCHEDULER_CLASSIC_NO_SMT };
	struct input in = { data, size };
	u8 cfg = take(&in, 1);
	struct host_config config = { types[cfg & 3], ((cfg >> 2) & 3) % 3, cfg & 0x10 };
	unsigned steps;

	host_boot(&config);
	invariants_check();
	for (steps = 0; in.n && steps < MAX_STEPS; steps++) {
		u8 op = take(&in, 1);
		struct lp *lp = lps[(op >> 7) % lp_count];
		struct vp *vp = enter(lp);

		if (vp)
			step(lp, vp, op, &in);
	}
	shutdown();
	return 0;
}
