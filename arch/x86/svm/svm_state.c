/* VP register access by TLFS name, guest-visible MSRs held in the VMCB, and diagnostics. */
#include "hv/vp.h"
#include "hv/partition.h"
#include "hv/log.h"
#include "arch/x86/vcpu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/segment.h"
#include "arch/x86/event.h"
#include "arch/x86/svm/vmcb.h"

#define EFER_VALID (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | BIT(13) | BIT(14) | BIT(15))
#define CR4_RESERVED (~0x3f7fffULL)

static struct vmcb *vmcb_of(const struct vp *vp)
{
	return vp->arch.control;
}

/* HV_X64_SEGMENT_REGISTER attributes <-> VMCB attribute packing. */
static u16 attr_from_hv(u16 a)
{
	return (a & 0xff) | ((a >> 12) & 0xf) << 8;
}

static u16 attr_to_hv(u16 a)
{
	return (a & 0xff) | ((a >> 8) & 0xf) << 12;
}

static struct vmcb_seg *segment(struct vmcb *v, HV_REGISTER_NAME name)
{
	switch (name) {
	case HvX64RegisterEs: return &v->save.es;
	case HvX64RegisterCs: return &v->save.cs;
	case HvX64RegisterSs: return &v->save.ss;
	case HvX64RegisterDs: return &v->save.ds;
	case HvX64RegisterFs: return &v->save.fs;
	case HvX64RegisterGs: return &v->save.gs;
	case HvX64RegisterLdtr: return &v->save.ldtr;
	case HvX64RegisterTr: return &v->save.tr;
	}
	return NULL;
}

static u64 *u64_register(struct vp *vp, HV_REGISTER_NAME name)
{
	struct vmcb *v = vmcb_of(vp);
	u64 *gprs = (u64 *)&vp->regs;

	if (name >= HvX64RegisterRax && name <= HvX64RegisterR15) {
		if (name == HvX64RegisterRax + 4)
			return &v->save.rsp;
		return &gprs[name - HvX64RegisterRax];
	}
	switch (name) {
	case HvX64RegisterRip: return &v->save.rip;
	case HvX64RegisterRflags: return &v->save.rflags;
	case HvX64RegisterCr0: return &v->save.cr0;
	case HvX64RegisterCr2: return &v->save.cr2;
	case HvX64RegisterCr3: return &v->save.cr3;
	case HvX64RegisterCr4: return &v->save.cr4;
	case HvX64RegisterDr7: return &v->save.dr7;
	case HvX64RegisterEfer: return &v->save.efer;
	case HvX64RegisterKernelGsBase: return &v->save.kernel_gs_base;
	case HvX64RegisterPat: return &v->save.g_pat;
	case HvX64RegisterSysenterCs: return &v->save.sysenter_cs;
	case HvX64RegisterSysenterEip: return &v->save.sysenter_eip;
	case HvX64RegisterSysenterEsp: return &v->save.sysenter_esp;
	case HvX64RegisterStar: return &v->save.star;
	case HvX64RegisterLstar: return &v->save.lstar;
	case HvX64RegisterCstar: return &v->save.cstar;
	case HvX64RegisterSfmask: return &v->save.sfmask;
	}
	return NULL;
}

/*
 * HvRegisterPendingInterruption is EVENTINJ: same vector, error code and
 * types (interrupt 0, NMI 2, exception 3, software interrupt 4), the valid
 * bit as InterruptionPending.
 */
static u64 pending_interruption(const struct vmcb *v)
{
	u64 e = v->control.event_inj;

	if (!(e & EVENTINJ_VALID))
		return 0;
	return HV_X64_PENDING_INTERRUPTION_PENDING |
	       ((e >> 8) & 7) << HV_X64_PENDING_INTERRUPTION_TYPE_SHIFT |
	       (e & EVENTINJ_ERROR_VALID ? HV_X64_PENDING_INTERRUPTION_DELIVER_ERROR_CODE : 0) |
	       (e & 0xff) << HV_X64_PENDING_INTERRUPTION_VECTOR_SHIFT |
	       (e & EVENTINJ_ERROR_VALID ? e >> 32 << HV_X64_PENDING_INTERRUPTION_ERROR_SHIFT : 0);
}

static void set_pending_interruption(struct vp *vp, u64 value)
{
	if (!(value & HV_X64_PENDING_INTERRUPTION_PENDING))
		vmcb_of(vp)->control.event_inj = 0;
	else
		vcpu_arch_inject_exception(vp, (u8)(value >> HV_X64_PENDING_INTERRUPTION_VECTOR_SHIFT),
					   value & HV_X64_PENDING_INTERRUPTION_DELIVER_ERROR_CODE,
					   (u32)(value >> HV_X64_PENDING_INTERRUPTION_ERROR_SHIFT));
}

HV_STATUS vcpu_arch_get_register(struct vp *vp, HV_REGISTER_NAME name, HV_REGISTER_VALUE *out)
{
	struct vmcb *v = vmcb_of(vp);
	struct vmcb_seg *s = segment(v, name);
	u64 *r = u64_register(vp, name);

	out->Reg128.Low64 = out->Reg128.High64 = 0;
	if (s) {
		out->Segment.Base = s->base;
		out->Segment.Limit = s->limit;
		out->Segment.Selector = s->selector;
		out->Segment.Attributes = attr_to_hv(s->attrib);
	} else if (name == HvX64RegisterGdtr || name == HvX64RegisterIdtr) {
		s = name == HvX64RegisterGdtr ? &v->save.gdtr : &v->save.idtr;
		out->Table.Base = s->base;
		out->Table.Limit = (u16)s->limit;
	} else if (r) {
		out->Reg64 = name == HvX64RegisterEfer ? *r & ~EFER_SVME : *r;
	} else if (name == HvRegisterPendingInterruption) {
		out->Reg64 = pending_interruption(v);
	} else {
		return HV_STATUS_INVALID_PARAMETER;
	}
	return HV_STATUS_SUCCESS;
}

/* Rejects values VM entry would refuse or that would let the guest escape its partition. */
static bool valid_value(HV_REGISTER_NAME name, u64 val)
{
	switch (name) {
	case HvX64RegisterCr0:
		return !(val >> 32) && !((val & CR0_NW) && !(val & CR0_CD));
	case HvX64RegisterCr4:
		return !(val & CR4_RESERVED);
	case HvX64RegisterEfer:
		return !(val & ~EFER_VALID);
	case HvX64RegisterDr7:
		return !(val >> 32);
	case HvX64RegisterRip:
	case HvX64RegisterRflags:
		return true;
	}
	return true;
}

HV_STATUS vcpu_arch_set_register(struct vp *vp, HV_REGISTER_NAME name, const HV_REGISTER_VALUE *in)
{
	struct vmcb *v = vmcb_of(vp);
	struct vmcb_seg *s = segment(v, name);
	u64 *r = u64_register(vp, name);

	if (s) {
		s->base = in->Segment.Base;
		s->limit = in->Segment.Limit;
		s->selector = in->Segment.Selector;
		s->attrib = attr_from_hv(in->Segment.Attributes);
		if (name == HvX64RegisterSs)
			v->save.cpl = (s->attrib >> 5) & 3; /* SS.DPL is the CPL (APM 15.5.1) */
	} else if (name == HvX64RegisterGdtr || name == HvX64RegisterIdtr) {
		s = name == HvX64RegisterGdtr ? &v->save.gdtr : &v->save.idtr;
		s->base = in->Table.Base;
		s->limit = in->Table.Limit;
	} else if (r) {
		if (!valid_value(name, in->Reg64))
			return HV_STATUS_INVALID_PARAMETER;
		*r = in->Reg64;
		if (name == HvX64RegisterEfer)
			*r |= EFER_SVME;
		if (name == HvX64RegisterRflags)
			*r |= RFLAGS_FIXED;
	} else if (name == HvRegisterPendingInterruption) {
		if (!pending_interruption_valid(in->Reg64, v->save.cr0 & CR0_PE))
			return HV_STATUS_INVALID_PARAMETER;
		set_pending_interruption(vp, in->Reg64);
	} else {
		return HV_STATUS_INVALID_PARAMETER;
	}
	return HV_STATUS_SUCCESS;
}

void vcpu_arch_intercept_header(const struct vp *vp, HV_X64_INTERCEPT_MESSAGE_HEADER *h)
{
	const struct vmcb *v = vmcb_of(vp);

	h->VpIndex = vp->index;
	h->InstructionLength = 0;
	h->InterceptAccessType = 0;
	h->ExecutionState = (v->save.cpl & 3) |
			    (v->save.cr0 & CR0_PE ? HV_X64_EXECUTION_STATE_CR0_PE : 0) |
			    (v->save.efer & EFER_LMA ? HV_X64_EXECUTION_STATE_EFER_LMA : 0);
	h->CsSegment.Base = v->save.cs.base;
	h->CsSegment.Limit = v->save.cs.limit;
	h->CsSegment.Selector = v->save.cs.selector;
	h->CsSegment.Attributes = attr_to_hv(v->save.cs.attrib);
	h->Rip = v->save.rip;
	h->Rflags = v->save.rflags;
}

bool vcpu_arch_msr_read(struct vp *vp, u32 msr, u64 *value)
{
	struct vmcb *v = vmcb_of(vp);

	switch (msr) {
	case MSR_EFER:
		*value = v->save.efer & ~EFER_SVME;
		return true;
	case MSR_VM_CR:
		/* SVM looks disabled by firmware to the partition (APM 15.30.1). */
		*value = VM_CR_SVMDIS;
		return true;
	case MSR_PAT:
		*value = v->save.g_pat;
		return true;
	case MSR_TSC:
		*value = rdtsc() + v->control.tsc_offset;
		return true;
	}
	return false;
}

bool vcpu_arch_msr_write(struct vp *vp, u32 msr, u64 value)
{
	struct vmcb *v = vmcb_of(vp);

	switch (msr) {
	case MSR_EFER:
		if (value & ~EFER_VALID)
			return false;
		/* LMA is the processor's to set; keep the guest's view consistent with CR0.PG. */
		value = (value & ~EFER_LMA) | (v->save.efer & EFER_LMA);
		v->save.efer = value | EFER_SVME;
		return true;
	case MSR_PAT:
		v->save.g_pat = value;
		return true;
	}
	return false;
}

void vcpu_arch_dump(const struct vp *vp)
{
	const struct vmcb *v = vmcb_of(vp);

	hv_log("partition %llu VP %u: exit 0x%llx info1 0x%llx info2 0x%llx intinfo 0x%llx",
	       (unsigned long long)vp->partition->id, vp->index,
	       (unsigned long long)v->control.exit_code,
	       (unsigned long long)v->control.exit_info1,
	       (unsigned long long)v->control.exit_info2,
	       (unsigned long long)v->control.exit_int_info);
	hv_log("  rip 0x%llx rsp 0x%llx rflags 0x%llx cs %x/%x ss %x cpl %u",
	       (unsigned long long)v->save.rip, (unsigned long long)v->save.rsp,
	       (unsigned long long)v->save.rflags, v->save.cs.selector, v->save.cs.attrib,
	       v->save.ss.selector, v->save.cpl);
	hv_log("  cr0 0x%llx cr3 0x%llx cr4 0x%llx efer 0x%llx",
	       (unsigned long long)v->save.cr0, (unsigned long long)v->save.cr3,
	       (unsigned long long)v->save.cr4, (unsigned long long)v->save.efer);
}
