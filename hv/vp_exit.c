/* What each kind of exit means, for root and child VPs alike. */
#include "hv/vp.h"
#include "hv/lp.h"
#include "hv/partition.h"
#include "hv/hypercall.h"
#include "hv/intercept.h"
#include "hv/cpuid.h"
#include "hv/msr.h"
#include "hv/log.h"
#include "hv/vp_interrupt.h"
#include "hv/vp_sched.h"
#include "arch/x86/vcpu.h"

#define X86_UD 6
#define X86_GP 13
#define X86_PF 14

static bool is_root(const struct vp *vp)
{
	return vp->partition == root_partition;
}

/*
 * The root touched a GPA outside its map: the hypervisor's own memory or a
 * page deposited into a partition. It gets #GP(0) at the faulting
 * instruction (docs/architecture.md, "Memory protection").
 */
static void root_gpa_fault(struct vp *vp, const struct vp_exit *e)
{
	HV_REGISTER_VALUE rip = { 0 };

	vcpu_arch_get_register(vp, HvX64RegisterRip, &rip);
	hv_log("root VP %u: %s access to protected GPA 0x%llx at RIP 0x%llx: #GP injected",
	       vp->index, e->fault.access == HV_INTERCEPT_ACCESS_WRITE ? "write" :
	       e->fault.access == HV_INTERCEPT_ACCESS_EXECUTE ? "execute" : "read",
	       (unsigned long long)e->fault.gpa, (unsigned long long)rip.Reg64);
	vcpu_arch_inject_exception(vp, X86_GP, true, 0);
}

static void msr_exit(struct vp *vp, const struct vp_exit *e)
{
	bool ok;

	if (e->reason == VP_EXIT_MSR_READ) {
		u64 v;

		ok = msr_read(vp, e->msr.index, &v);
		if (ok) {
			vp->regs.rax = (u32)v;
			vp->regs.rdx = v >> 32;
		}
	} else {
		ok = msr_write(vp, e->msr.index, e->msr.value);
	}
	if (ok)
		vcpu_arch_skip_instruction(vp, e->insn_len);
	else
		vcpu_arch_inject_exception(vp, X86_GP, true, 0);
}

/*
 * The parent removed the intercept while the VP still ran with it: the
 * exception goes where it would have gone, through the VP's own IDT.
 */
static void reflect_exception(struct vp *vp, const struct vp_exit *e)
{
	if (e->exception.vector == X86_PF) {
		HV_REGISTER_VALUE cr2 = { .Reg64 = e->exception.parameter };

		vcpu_arch_set_register(vp, HvX64RegisterCr2, &cr2);
	}
	vcpu_arch_inject_exception(vp, e->exception.vector, e->exception.has_error,
				   e->exception.error);
}

static void root_fatal(struct vp *vp, const char *what)
{
	vcpu_arch_dump(vp);
	hv_panic("root VP %u: %s", vp->index, what);
}

void vp_handle_exit(struct vp *vp, const struct vp_exit *e)
{
	switch (e->reason) {
	case VP_EXIT_NONE:
	case VP_EXIT_INTERRUPT_WINDOW: /* vp_prepare_entry injects on the way back in */
		return;
	case VP_EXIT_CPUID:
		if (intercept_installed_cpuid(vp->partition, e->cpuid.leaf) && !is_root(vp)) {
			intercept_to_parent(vp, e);
			return;
		}
		cpuid_exit(vp, e->cpuid.leaf, e->cpuid.subleaf);
		vcpu_arch_skip_instruction(vp, e->insn_len);
		return;
	case VP_EXIT_HYPERCALL:
		hypercall_exit(vp, e->insn_len);
		return;
	case VP_EXIT_MSR_READ:
	case VP_EXIT_MSR_WRITE:
		if (!is_root(vp) && intercept_installed_msr(vp->partition, e->msr.index,
							    e->reason == VP_EXIT_MSR_WRITE)) {
			intercept_to_parent(vp, e);
			return;
		}
		msr_exit(vp, e);
		return;
	case VP_EXIT_UNDEFINED:
		vcpu_arch_inject_exception(vp, X86_UD, false, 0);
		return;
	case VP_EXIT_EXCEPTION:
		if (is_root(vp))
			root_fatal(vp, "unexpected exception intercept");
		if (intercept_installed_exception(vp->partition, e->exception.vector))
			intercept_to_parent(vp, e);
		else
			reflect_exception(vp, e);
		return;
	case VP_EXIT_EXTERNAL:
		/*
		 * On a root LP the interrupt is still pending: it reaches the root
		 * once the root runs. On an LP the hypervisor owns it is the timer
		 * or a kick, for the scheduler to look at after this exit.
		 */
		if (vp->dispatcher)
			vp_dispatch_return(vp, HV_VP_DISPATCH_STATE_READY,
					   HV_VP_DISPATCH_EVENT_PREEMPTED);
		else if (!is_root(vp))
			vcpu_arch_host_irq_window();
		return;
	case VP_EXIT_GPA_FAULT:
		if (is_root(vp))
			root_gpa_fault(vp, e);
		else
			intercept_to_parent(vp, e);
		return;
	case VP_EXIT_HLT:
		if (is_root(vp))
			root_fatal(vp, "unexpected HLT intercept");
		/*
		 * With an interrupt to take, HLT ends at once. An idle VP the
		 * hypervisor schedules blocks; a dispatched one goes to the parent.
		 */
		if (vp_interrupt_pending(vp)) {
			vcpu_arch_skip_instruction(vp, e->insn_len);
		} else if (vp->scheduled) {
			vcpu_arch_skip_instruction(vp, e->insn_len);
			vp_sched_halt(vp);
		} else {
			intercept_to_parent(vp, e);
		}
		return;
	case VP_EXIT_IO:
		if (is_root(vp))
			root_fatal(vp, "unexpected I/O intercept");
		intercept_to_parent(vp, e);
		return;
	case VP_EXIT_TRIPLE_FAULT:
		if (is_root(vp))
			root_fatal(vp, "triple fault in the root partition");
		intercept_fatal(vp, HvMessageTypeUnrecoverableException, "triple fault");
		return;
	case VP_EXIT_BAD_STATE:
		if (is_root(vp))
			root_fatal(vp, "VM entry refused the root's state");
		intercept_fatal(vp, HvMessageTypeInvalidVpRegisterValue, "invalid VP state");
		return;
	case VP_EXIT_UNHANDLED:
		if (is_root(vp))
			root_fatal(vp, "unhandled exit");
		hv_log("partition %llu VP %u: unhandled exit 0x%llx",
		       (unsigned long long)vp->partition->id, vp->index,
		       (unsigned long long)e->unhandled);
		intercept_fatal(vp, HvMessageTypeUnsupportedFeature, "unhandled exit");
		return;
	}
}
