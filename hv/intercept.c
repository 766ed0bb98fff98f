#include "hv/intercept.h"
#include "hv/vp.h"
#include "hv/partition.h"
#include "hv/vp_sched.h"
#include "hv/lib/string.h"
#include "hv/cpuid.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vcpu.h"
#include "arch/x86/gva_walk.h"

/*
 * SINT 0 of a parent VP that takes messages: the one with the child VP's
 * index if it can, so that a parent with a VP per LP spreads the work.
 */
static struct vp *sint0_target(const struct vp *vp)
{
	struct partition *parent = vp->partition->parent;
	u32 i;

	for (i = 0; i < HV_MAX_VPS_PER_PARTITION; i++) {
		struct vp *t = parent->vps[(vp->index + i) % HV_MAX_VPS_PER_PARTITION];

		if (t && synic_accepts_messages(t) && !(t->synic.sint[0] & HV_SYNIC_SINT_MASKED))
			return t;
	}
	return NULL;
}

/*
 * A VP the hypervisor schedules has no dispatch to return from: the
 * intercept message goes to the parent's SynIC, on SINT 0, implicit for
 * intercepts (inter-partition-communication.md). Such a VP waits for its
 * parent with one intercept at a time, so one buffer does; if the parent
 * resumed it without taking the last message, the queued one is brought
 * up to date instead.
 */
/* The message, type last: the parent may be polling it. */
static void fill(HV_MESSAGE *m, const struct vp *vp, u32 type, const void *payload, u8 size)
{
	memset(m, 0, sizeof(*m));
	memcpy(m->Payload, payload, size);
	m->Header.PayloadSize = size;
	m->Header.Sender = vp->partition->id;
	__atomic_store_n(&m->Header.MessageType, type, __ATOMIC_RELEASE);
}

static void notify_parent(struct vp *vp, u32 type, const void *payload, u8 size)
{
	struct vp *to = vp->intercept_msg_to;

	if (to) {
		HV_MESSAGE m;

		fill(&m, vp, type, payload, size);
		if (synic_update_queued(to, &vp->intercept_msg, &m))
			return;
	}
	to = sint0_target(vp);
	if (!to)
		return;
	/* Not queued anywhere: nobody else looks at it now. */
	vp->intercept_msg.port = NULL;
	fill(&vp->intercept_msg.msg, vp, type, payload, size);
	vp->intercept_msg_to = to;
	synic_post(to, 0, &vp->intercept_msg);
}

static void post(struct vp *vp, u32 type, const void *payload, u8 size)
{
	if (vp->intercept_page)
		fill(phys_to_virt(vp->intercept_page), vp, type, payload, size);
	if (vp->dispatcher) {
		vp_dispatch_return(vp, HV_VP_DISPATCH_STATE_READY, HV_VP_DISPATCH_EVENT_INTERCEPT);
	} else {
		/* Scheduled by the hypervisor: it waits until the parent clears InterceptSuspend. */
		vp->intercept_suspend = true;
		vp_sched_update(vp);
		notify_parent(vp, type, payload, size);
	}
}

static void post_io(struct vp *vp, const struct vp_exit *e)
{
	HV_X64_IO_PORT_INTERCEPT_MESSAGE m = { 0 };

	vcpu_arch_intercept_header(vp, &m.Header);
	m.Header.InstructionLength = e->insn_len;
	m.Header.InterceptAccessType = e->io.in ? HV_INTERCEPT_ACCESS_READ : HV_INTERCEPT_ACCESS_WRITE;
	m.PortNumber = e->io.port;
	m.AccessInfo = e->io.size | (e->io.string ? HV_X64_IO_PORT_ACCESS_STRING : 0) |
		       (e->io.rep ? HV_X64_IO_PORT_ACCESS_REP : 0);
	m.Rax = vp->regs.rax;
	m.Rcx = vp->regs.rcx;
	m.Rsi = vp->regs.rsi;
	m.Rdi = vp->regs.rdi;
	post(vp, HvMessageTypeX64IoPortIntercept, &m, sizeof(m));
}

static void post_memory(struct vp *vp, const struct vp_exit *e)
{
	HV_X64_MEMORY_INTERCEPT_MESSAGE m = { 0 };
	u64 spa;

	vcpu_arch_intercept_header(vp, &m.Header);
	m.Header.InterceptAccessType = e->fault.access;
	m.GuestPhysicalAddress = e->fault.gpa;
	post(vp, gpa_map_translate(&vp->partition->gpa_map, e->fault.gpa, 0, &spa) ?
		 HvMessageTypeUnmappedGpa : HvMessageTypeGpaIntercept, &m, sizeof(m));
}

static void post_cpuid(struct vp *vp, const struct vp_exit *e)
{
	HV_X64_CPUID_INTERCEPT_MESSAGE m = { 0 };
	struct cpuid_regs r;

	vcpu_arch_intercept_header(vp, &m.Header);
	m.Header.InstructionLength = e->insn_len;
	m.Header.InterceptAccessType = HV_INTERCEPT_ACCESS_EXECUTE;
	m.Rax = vp->regs.rax;
	m.Rcx = vp->regs.rcx;
	m.Rdx = vp->regs.rdx;
	m.Rbx = vp->regs.rbx;
	/* What the hypervisor would have answered, for the parent to start from. */
	cpuid_partition_view(vp, e->cpuid.leaf, e->cpuid.subleaf, &r);
	m.DefaultResultRax = r.eax;
	m.DefaultResultRcx = r.ecx;
	m.DefaultResultRdx = r.edx;
	m.DefaultResultRbx = r.ebx;
	post(vp, HvMessageTypeX64CpuidIntercept, &m, sizeof(m));
}

static void post_msr(struct vp *vp, const struct vp_exit *e)
{
	HV_X64_MSR_INTERCEPT_MESSAGE m = { 0 };

	vcpu_arch_intercept_header(vp, &m.Header);
	m.Header.InstructionLength = e->insn_len;
	m.Header.InterceptAccessType = e->reason == VP_EXIT_MSR_WRITE ? HV_INTERCEPT_ACCESS_WRITE
								     : HV_INTERCEPT_ACCESS_READ;
	m.MsrNumber = e->msr.index;
	m.Rdx = vp->regs.rdx;
	m.Rax = vp->regs.rax;
	post(vp, HvMessageTypeMsrIntercept, &m, sizeof(m));
}

/*
 * Up to 16 bytes at the VP's CS:RIP, read through its own page tables and
 * GPA map as an instruction fetch; fewer where a page is not there or not
 * executable (and none under 32-bit paging, which gva_translate does not
 * walk). The parent decodes them to skip or emulate the instruction: the
 * processor reports no length for the exceptions intercepted here.
 */
static u8 fetch_instruction(struct vp *vp, const HV_X64_INTERCEPT_MESSAGE_HEADER *h, u8 *buf)
{
	bool long_mode = h->ExecutionState & HV_X64_EXECUTION_STATE_EFER_LMA &&
			 vcpu_arch_long_mode(vp);
	u64 linear = long_mode ? h->Rip : (u32)(h->CsSegment.Base + h->Rip);
	u8 n = 0;

	while (n < 16) {
		u64 gva = long_mode ? linear + n : (u32)(linear + n), gpa, spa;
		u32 chunk = MIN(16u - n, (u32)(PAGE_SIZE - (gva & ~PAGE_MASK)));
		HV_STATUS status;

		if (gva_translate(vp, gva, HV_TRANSLATE_GVA_VALIDATE_EXECUTE, &gpa, &status) !=
			    HvTranslateGvaSuccess || status ||
		    gpa_map_translate(&vp->partition->gpa_map, gpa + (gva & ~PAGE_MASK),
				      HV_MAP_GPA_READABLE, &spa))
			break;
		memcpy(buf + n, phys_to_virt(spa), chunk);
		n += chunk;
	}
	return n;
}

static void post_exception(struct vp *vp, const struct vp_exit *e)
{
	HV_X64_EXCEPTION_INTERCEPT_MESSAGE m = { 0 };
	/* In the TLFS register-name order, HvX64RegisterRax to HvX64RegisterR15. */
	u64 *const gprs[16] = { &m.Rax, &m.Rcx, &m.Rdx, &m.Rbx, &m.Rsp, &m.Rbp, &m.Rsi, &m.Rdi,
				&m.R8, &m.R9, &m.R10, &m.R11, &m.R12, &m.R13, &m.R14, &m.R15 };
	HV_REGISTER_VALUE v;
	unsigned i;

	vcpu_arch_intercept_header(vp, &m.Header);
	m.Header.InstructionLength = e->insn_len;
	m.Header.InterceptAccessType = HV_INTERCEPT_ACCESS_EXECUTE;
	m.ExceptionVector = e->exception.vector;
	m.ExceptionInfo = e->exception.has_error ? HV_X64_EXCEPTION_INFO_ERROR_CODE_VALID : 0;
	m.ErrorCode = e->exception.error;
	m.ExceptionParameter = e->exception.parameter;
	m.InstructionByteCount = fetch_instruction(vp, &m.Header, m.InstructionBytes);
	vcpu_arch_get_register(vp, HvX64RegisterDs, &v);
	m.DsSegment = v.Segment;
	vcpu_arch_get_register(vp, HvX64RegisterSs, &v);
	m.SsSegment = v.Segment;
	for (i = 0; i < 16; i++) {
		vcpu_arch_get_register(vp, HvX64RegisterRax + i, &v);
		*gprs[i] = v.Reg64;
	}
	post(vp, HvMessageTypeExceptionIntercept, &m, sizeof(m));
}

static void post_header_only(struct vp *vp, u32 type, u8 insn_len)
{
	HV_X64_INTERCEPT_MESSAGE_HEADER h;

	vcpu_arch_intercept_header(vp, &h);
	h.InstructionLength = insn_len;
	post(vp, type, &h, sizeof(h));
}

void intercept_to_parent(struct vp *vp, const struct vp_exit *e)
{
	switch (e->reason) {
	case VP_EXIT_IO:
		post_io(vp, e);
		break;
	case VP_EXIT_GPA_FAULT:
		post_memory(vp, e);
		break;
	case VP_EXIT_HLT:
		post_header_only(vp, HvMessageTypeX64Halt, e->insn_len);
		break;
	case VP_EXIT_CPUID:
		post_cpuid(vp, e);
		break;
	case VP_EXIT_MSR_READ:
	case VP_EXIT_MSR_WRITE:
		post_msr(vp, e);
		break;
	case VP_EXIT_EXCEPTION:
		post_exception(vp, e);
		break;
	default:
		intercept_fatal(vp, HvMessageTypeUnsupportedFeature, "unsupported exit");
	}
}

void intercept_fatal(struct vp *vp, u32 message_type, const char *reason)
{
	HV_X64_UNRECOVERABLE_EXCEPTION_MESSAGE m = { 0 };

	partition_terminate(vp->partition, reason);
	vcpu_arch_intercept_header(vp, &m.Header);
	post(vp, message_type, &m, sizeof(m));
}
