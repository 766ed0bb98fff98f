#include "hv/hypercall.h"
#include "hv/lp.h"
#include "hv/vp.h"
#include "hv/partition.h"
#include "hv/lib/string.h"
#include "arch/x86/vcpu.h"

#define X86_UD 6

/* The three parameters, from the 64-bit or the 32-bit register convention. */
static void read_params(struct vp *vp, u64 *control, u64 *in, u64 *out)
{
	struct vp_regs *r = &vp->regs;

	if (vcpu_arch_long_mode(vp)) {
		*control = r->rcx;
		*in = r->rdx;
		*out = r->r8;
	} else {
		*control = (r->rdx << 32) | (u32)r->rax;
		*in = (r->rbx << 32) | (u32)r->rcx;
		*out = (r->rdi << 32) | (u32)r->rsi;
	}
}

static void write_result(struct vp *vp, u64 result)
{
	if (vcpu_arch_long_mode(vp)) {
		vp->regs.rax = result;
	} else {
		vp->regs.rax = (u32)result;
		vp->regs.rdx = result >> 32;
	}
}

/* Continuation: the caller re-executes the call from the new rep start. */
static void write_rep_start(struct vp *vp, u64 control, u16 rep_start)
{
	control &= ~HV_HYPERCALL_REP_START_MASK;
	control |= (u64)rep_start << HV_HYPERCALL_REP_START_SHIFT;
	if (vcpu_arch_long_mode(vp)) {
		vp->regs.rcx = control;
	} else {
		vp->regs.rax = (u32)control;
		vp->regs.rdx = control >> 32;
	}
}

/* A parameter block must be 8-byte aligned, inside one page, and mapped for the caller. */
static HV_STATUS param_spa(struct vp *vp, u64 gpa, u32 bytes, u32 access, u64 *spa)
{
	if (!bytes)
		return HV_STATUS_SUCCESS;
	if (gpa & 7)
		return HV_STATUS_INVALID_ALIGNMENT;
	if ((gpa & (PAGE_SIZE - 1)) + bytes > PAGE_SIZE)
		return HV_STATUS_INVALID_ALIGNMENT;
	if (gpa_map_translate(&vp->partition->gpa_map, gpa, access, spa))
		return HV_STATUS_INVALID_ALIGNMENT;
	return HV_STATUS_SUCCESS;
}

/*
 * A simple call's output only on success; a rep call's elements only for
 * the reps this invocation completed, so a continuation never overwrites
 * what an earlier one returned.
 */
static void copy_out(const struct hypercall *hc, const struct hypercall_desc *d,
		     HV_STATUS status, u8 *out)
{
	const u8 *buf = hc->out;
	u32 first, bytes;

	if (!d->rep) {
		if (status == HV_STATUS_SUCCESS)
			memcpy(out, buf, d->out_size);
		return;
	}
	memcpy(out, buf, d->out_size);
	first = d->out_size + (u32)hc->rep_start * d->rep_out_size;
	bytes = (u32)(hc->reps_done - hc->rep_start) * d->rep_out_size;
	memcpy(out + first, buf + first, bytes);
}

static HV_STATUS run_call(struct vp *vp, u64 control, u64 in_gpa, u64 out_gpa,
			  struct hypercall *hc)
{
	const struct hypercall_desc *d =
		hypercall_lookup(control & HV_HYPERCALL_CODE_MASK);
	struct lp *lp = vp->lp;
	u64 in_spa = 0, out_spa = 0;
	u32 in_bytes, out_bytes;
	HV_STATUS status;

	status = hypercall_decode(control, d, hc);
	if (status)
		return status;
	if ((vp->partition->privileges & d->privilege) != d->privilege)
		return HV_STATUS_ACCESS_DENIED;
	in_bytes = hypercall_in_bytes(hc, d);
	out_bytes = hypercall_out_bytes(hc, d);
	if (hc->fast) {
		u64 *in = lp->hypercall_in;

		if (in_bytes > 16 || out_bytes)
			return HV_STATUS_INVALID_HYPERCALL_INPUT;
		in[0] = in_gpa;
		in[1] = out_gpa;
	} else {
		status = param_spa(vp, in_gpa, in_bytes, HV_MAP_GPA_READABLE, &in_spa);
		if (status)
			return status;
		status = param_spa(vp, out_gpa, out_bytes,
				   HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE, &out_spa);
		if (status)
			return status;
		if (in_bytes && out_bytes && in_gpa < out_gpa + out_bytes &&
		    out_gpa < in_gpa + in_bytes)
			return HV_STATUS_INVALID_PARAMETER;
		memcpy(lp->hypercall_in, phys_to_virt(in_spa), in_bytes);
	}
	memset(lp->hypercall_out, 0, out_bytes);
	hc->caller = vp;
	hc->in = lp->hypercall_in;
	hc->out = lp->hypercall_out;
	hc->out_gpa = out_spa;
	status = d->fn(hc);
	if (status != HV_STATUS_DEFERRED && out_bytes)
		copy_out(hc, d, status, phys_to_virt(out_spa));
	return status;
}

void hypercall_exit(struct vp *vp, u8 insn_len)
{
	struct hypercall hc = { 0 };
	u64 control, in_gpa, out_gpa;
	HV_STATUS status;

	/* hypercall-interface.md "Legal Hypercall Environments"; and no calls before the guest identified itself. */
	if (vcpu_arch_cpl(vp) != 0 || !vp->partition->guest_os_id) {
		vcpu_arch_inject_exception(vp, X86_UD, false, 0);
		return;
	}
	read_params(vp, &control, &in_gpa, &out_gpa);
	vp->hypercall_insn_len = insn_len;
	status = run_call(vp, control, in_gpa, out_gpa, &hc);
	if (status == HV_STATUS_DEFERRED)
		return;
	if (status == HV_STATUS_YIELD_TO_DISPATCHER) {
		write_result(vp, hypercall_result(HV_STATUS_SUCCESS, 0));
		vcpu_arch_skip_instruction(vp, insn_len);
		vp_dispatch_return(vp, HV_VP_DISPATCH_STATE_READY, HV_VP_DISPATCH_EVENT_LONGSPINWAIT);
		return;
	}
	write_result(vp, hypercall_result(status, hc.reps_done));
	if (status == HV_STATUS_SUCCESS && hc.rep_count && hc.reps_done < hc.rep_count) {
		write_rep_start(vp, control, hc.reps_done);
		return;
	}
	vcpu_arch_skip_instruction(vp, insn_len);
}
