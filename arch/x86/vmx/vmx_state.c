/*
 * VP register access by TLFS name, control-register emulation, guest MSRs
 * held in the VMCS, and diagnostics.
 */
#include "hv/vp.h"
#include "hv/lp.h"
#include "hv/partition.h"
#include "hv/log.h"
#include "arch/x86/vcpu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/gpa_map.h"
#include "arch/x86/event.h"
#include "arch/x86/vmx/vmx.h"

#define EFER_VALID (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)
#define CR4_VMXE BIT(13)
#define CR4_SMXE BIT(14)
#define CR4_RESERVED (~0x3f7fffULL | CR4_VMXE | CR4_SMXE)

static int segment(HV_REGISTER_NAME name)
{
	switch (name) {
	case HvX64RegisterEs: return SEG_ES;
	case HvX64RegisterCs: return SEG_CS;
	case HvX64RegisterSs: return SEG_SS;
	case HvX64RegisterDs: return SEG_DS;
	case HvX64RegisterFs: return SEG_FS;
	case HvX64RegisterGs: return SEG_GS;
	case HvX64RegisterLdtr: return SEG_LDTR;
	case HvX64RegisterTr: return SEG_TR;
	}
	return -1;
}

/* Registers that are one VMCS field each. */
static int vmcs_register(HV_REGISTER_NAME name)
{
	switch (name) {
	case HvX64RegisterRax + 4: return GUEST_RSP;
	case HvX64RegisterRip: return GUEST_RIP;
	case HvX64RegisterRflags: return GUEST_RFLAGS;
	case HvX64RegisterDr7: return GUEST_DR7;
	case HvX64RegisterEfer: return GUEST_IA32_EFER;
	case HvX64RegisterPat: return GUEST_IA32_PAT;
	case HvX64RegisterSysenterCs: return GUEST_SYSENTER_CS;
	case HvX64RegisterSysenterEip: return GUEST_SYSENTER_EIP;
	case HvX64RegisterSysenterEsp: return GUEST_SYSENTER_ESP;
	}
	return -1;
}

/* KERNEL_GS_BASE, STAR, LSTAR, CSTAR, SFMASK: in the LP while their VP owns it. */
static int syscall_msr(HV_REGISTER_NAME name, u32 *msr)
{
	switch (name) {
	case HvX64RegisterKernelGsBase: *msr = MSR_KERNEL_GS_BASE; return 0;
	case HvX64RegisterStar: *msr = MSR_STAR; return 1;
	case HvX64RegisterLstar: *msr = MSR_LSTAR; return 2;
	case HvX64RegisterCstar: *msr = MSR_CSTAR; return 3;
	case HvX64RegisterSfmask: *msr = MSR_SFMASK; return 4;
	}
	return -1;
}

static bool owns_lp_state(const struct vp *vp)
{
	struct lp *lp = this_lp();

	return lp && lp->arch.msr_owner == vp;
}

static u64 get_cr0(void)
{
	return (vmread(GUEST_CR0) & ~vmx.cr0_mask) | (vmread(CR0_READ_SHADOW) & vmx.cr0_mask);
}

static u64 get_cr4(void)
{
	return (vmread(GUEST_CR4) & ~vmx.cr4_mask) | (vmread(CR4_READ_SHADOW) & vmx.cr4_mask);
}

/* With EPT, PAE paging takes its PDPTEs from the VMCS at VM entry (SDM 26.3.2.4). */
static void load_pdptes(struct vp *vp)
{
	u64 cr3 = vmread(GUEST_CR3) & 0xffffffe0ULL, spa;
	const u64 *pdpte;
	unsigned i;

	if (!(get_cr0() & CR0_PG) || !(get_cr4() & CR4_PAE) || (vmread(GUEST_IA32_EFER) & EFER_LMA))
		return;
	if (gpa_map_translate(&vp->partition->gpa_map, cr3, HV_MAP_GPA_READABLE, &spa))
		return;
	pdpte = phys_to_virt(spa);
	for (i = 0; i < 4; i++)
		vmwrite(GUEST_PDPTE0 + 2 * i, pdpte[i]);
}

static void put_cr0(struct vp *vp, u64 val)
{
	vmwrite(GUEST_CR0, vmx_guest_cr0(val));
	vmwrite(CR0_READ_SHADOW, val);
	load_pdptes(vp);
}

static void put_cr4(struct vp *vp, u64 val)
{
	vmwrite(GUEST_CR4, vmx_guest_cr4(val));
	vmwrite(CR4_READ_SHADOW, val);
	load_pdptes(vp);
}

static void write_efer(u64 val)
{
	vmwrite(GUEST_IA32_EFER, val);
	vmwrite(ENTRY_CONTROLS, (vmread(ENTRY_CONTROLS) & ~(u64)ENTRY_IA32E) |
				(val & EFER_LMA ? ENTRY_IA32E : 0));
}

static bool cr0_valid(u64 val)
{
	return !(val >> 32) && !((val & CR0_NW) && !(val & CR0_CD)) &&
	       !((val & CR0_PG) && !(val & CR0_PE));
}

static bool cr4_valid(u64 val)
{
	return !(val & CR4_RESERVED) && !(val & ~vmx.cr4_fixed1 & ~CR4_VMXE);
}

/* MOV to CR0 as the processor does it, long-mode activation included (SDM 9.8.5). */
static bool mov_to_cr0(struct vp *vp, u64 val)
{
	u64 old = get_cr0(), efer = vmread(GUEST_IA32_EFER);

	if (!cr0_valid(val))
		return false;
	if ((val & CR0_PG) && !(old & CR0_PG) && (efer & EFER_LME)) {
		if (!(get_cr4() & CR4_PAE))
			return false;
		write_efer(efer | EFER_LMA);
	} else if (!(val & CR0_PG) && (old & CR0_PG) && (efer & EFER_LMA)) {
		write_efer(efer & ~EFER_LMA);
	}
	put_cr0(vp, val);
	return true;
}

static bool mov_to_cr4(struct vp *vp, u64 val)
{
	if (!cr4_valid(val))
		return false;
	if ((vmread(GUEST_IA32_EFER) & EFER_LMA) && !(val & CR4_PAE))
		return false;
	put_cr4(vp, val);
	return true;
}

static u64 *gpr(struct vp *vp, unsigned reg)
{
	return &((u64 *)&vp->regs)[reg];
}

/*
 * Only the bits VMX fixes exit (the guest/host masks); everything else in
 * CR0 and CR4, and CR3, belongs to the guest without exits.
 */
bool vmx_cr_access(struct vp *vp, u8 insn_len)
{
	u64 q = vmread(EXIT_QUALIFICATION), val;
	unsigned cr = q & 15, type = (q >> 4) & 3, reg = (q >> 8) & 15;
	bool ok;

	switch (type) {
	case 0: /* MOV to CR */
		val = reg == 4 ? vmread(GUEST_RSP) : *gpr(vp, reg);
		if (!vcpu_arch_long_mode(vp))
			val = (u32)val;
		if (cr == 0) {
			ok = mov_to_cr0(vp, val);
		} else if (cr == 4) {
			ok = mov_to_cr4(vp, val);
		} else if (cr == 3) {
			vmwrite(GUEST_CR3, val);
			load_pdptes(vp);
			ok = true;
		} else {
			return false;
		}
		break;
	case 1: /* MOV from CR */
		if (cr != 3)
			return false;
		if (reg == 4)
			vmwrite(GUEST_RSP, vmread(GUEST_CR3));
		else
			*gpr(vp, reg) = vmread(GUEST_CR3);
		ok = true;
		break;
	case 2: /* CLTS */
		put_cr0(vp, get_cr0() & ~CR0_TS);
		ok = true;
		break;
	default: /* LMSW: loads PE, MP, EM, TS; cannot clear PE */
		val = get_cr0();
		ok = mov_to_cr0(vp, (val & ~0xeULL) | ((q >> 16) & 0xf) | (val & CR0_PE));
		break;
	}
	if (ok)
		vcpu_arch_skip_instruction(vp, insn_len);
	else
		vcpu_arch_inject_exception(vp, 13, true, 0);
	return true;
}

/*
 * HvRegisterPendingInterruption is the VM-entry interruption information:
 * the TLFS types are VMX's, the length is the entry instruction length.
 */
static u64 pending_interruption(void)
{
	u32 info = (u32)vmread(ENTRY_INTR_INFO);

	if (!(info & INTR_INFO_VALID))
		return 0;
	return HV_X64_PENDING_INTERRUPTION_PENDING |
	       (u64)((info & INTR_TYPE_MASK) >> 8) << HV_X64_PENDING_INTERRUPTION_TYPE_SHIFT |
	       (info & INTR_INFO_ERROR ? HV_X64_PENDING_INTERRUPTION_DELIVER_ERROR_CODE |
					 vmread(ENTRY_EXCEPTION_ERROR) << HV_X64_PENDING_INTERRUPTION_ERROR_SHIFT
				       : 0) |
	       (vmread(ENTRY_INSTRUCTION_LEN) & 0xf) << HV_X64_PENDING_INTERRUPTION_LENGTH_SHIFT |
	       (u64)(info & 0xff) << HV_X64_PENDING_INTERRUPTION_VECTOR_SHIFT;
}

static void set_pending_interruption(struct vp *vp, u64 value)
{
	if (!(value & HV_X64_PENDING_INTERRUPTION_PENDING))
		vmwrite(ENTRY_INTR_INFO, 0);
	else
		vcpu_arch_inject_exception(vp, (u8)(value >> HV_X64_PENDING_INTERRUPTION_VECTOR_SHIFT),
					   value & HV_X64_PENDING_INTERRUPTION_DELIVER_ERROR_CODE,
					   (u32)(value >> HV_X64_PENDING_INTERRUPTION_ERROR_SHIFT));
}

HV_STATUS vcpu_arch_get_register(struct vp *vp, HV_REGISTER_NAME name, HV_REGISTER_VALUE *out)
{
	int s = segment(name), field = vmcs_register(name), idx;
	u32 msr;

	vmx_vmcs_use(vp);
	out->Reg128.Low64 = out->Reg128.High64 = 0;
	if (s >= 0) {
		u32 ar = (u32)vmread(GUEST_AR(s));

		out->Segment.Base = vmread(GUEST_BASE(s));
		out->Segment.Limit = (u32)vmread(GUEST_LIMIT(s));
		out->Segment.Selector = (u16)vmread(GUEST_SEL(s));
		out->Segment.Attributes = ar & AR_UNUSABLE ? 0 : (u16)(ar & 0xf0ff);
	} else if (name == HvX64RegisterGdtr) {
		out->Table.Base = vmread(GUEST_GDTR_BASE);
		out->Table.Limit = (u16)vmread(GUEST_GDTR_LIMIT);
	} else if (name == HvX64RegisterIdtr) {
		out->Table.Base = vmread(GUEST_IDTR_BASE);
		out->Table.Limit = (u16)vmread(GUEST_IDTR_LIMIT);
	} else if (field >= 0) {
		out->Reg64 = vmread(field);
	} else if (name >= HvX64RegisterRax && name <= HvX64RegisterR15) {
		out->Reg64 = *gpr(vp, name - HvX64RegisterRax);
	} else if (name == HvX64RegisterCr0) {
		out->Reg64 = get_cr0();
	} else if (name == HvX64RegisterCr3) {
		out->Reg64 = vmread(GUEST_CR3);
	} else if (name == HvX64RegisterCr4) {
		out->Reg64 = get_cr4();
	} else if (name == HvX64RegisterCr2) {
		out->Reg64 = owns_lp_state(vp) ? read_cr2() : vp->arch.cr2;
	} else if ((idx = syscall_msr(name, &msr)) >= 0) {
		out->Reg64 = owns_lp_state(vp) ? rdmsr(msr) : vp->arch.syscall_msrs[idx];
	} else if (name == HvRegisterPendingInterruption) {
		out->Reg64 = pending_interruption();
	} else {
		return HV_STATUS_INVALID_PARAMETER;
	}
	return HV_STATUS_SUCCESS;
}

static bool pat_valid(u64 pat)
{
	unsigned i;

	for (i = 0; i < 8; i++) {
		u8 t = (u8)(pat >> (8 * i));

		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

HV_STATUS vcpu_arch_set_register(struct vp *vp, HV_REGISTER_NAME name, const HV_REGISTER_VALUE *in)
{
	int s = segment(name), field = vmcs_register(name), idx;
	u64 v = in->Reg64;
	u32 msr;

	vmx_vmcs_use(vp);
	if (s >= 0) {
		u32 ar = in->Segment.Attributes & 0xf0ff;

		vmwrite(GUEST_BASE(s), in->Segment.Base);
		vmwrite(GUEST_LIMIT(s), in->Segment.Limit);
		vmwrite(GUEST_SEL(s), in->Segment.Selector);
		/* Not present means a null selector was loaded: "unusable" to VMX. */
		vmwrite(GUEST_AR(s), ar & AR_P ? ar : AR_UNUSABLE);
		return HV_STATUS_SUCCESS;
	}
	if (name == HvX64RegisterGdtr || name == HvX64RegisterIdtr) {
		bool g = name == HvX64RegisterGdtr;

		vmwrite(g ? GUEST_GDTR_BASE : GUEST_IDTR_BASE, in->Table.Base);
		vmwrite(g ? GUEST_GDTR_LIMIT : GUEST_IDTR_LIMIT, in->Table.Limit);
		return HV_STATUS_SUCCESS;
	}
	switch (name) {
	case HvRegisterPendingInterruption:
		if (!pending_interruption_valid(v, get_cr0() & CR0_PE))
			return HV_STATUS_INVALID_PARAMETER;
		set_pending_interruption(vp, v);
		return HV_STATUS_SUCCESS;
	case HvX64RegisterCr0:
		if (!cr0_valid(v))
			return HV_STATUS_INVALID_PARAMETER;
		put_cr0(vp, v);
		return HV_STATUS_SUCCESS;
	case HvX64RegisterCr4:
		if (!cr4_valid(v))
			return HV_STATUS_INVALID_PARAMETER;
		put_cr4(vp, v);
		return HV_STATUS_SUCCESS;
	case HvX64RegisterCr3:
		vmwrite(GUEST_CR3, v);
		load_pdptes(vp);
		return HV_STATUS_SUCCESS;
	case HvX64RegisterCr2:
		if (owns_lp_state(vp))
			write_cr2(v);
		else
			vp->arch.cr2 = v;
		return HV_STATUS_SUCCESS;
	case HvX64RegisterEfer:
		if (v & ~EFER_VALID)
			return HV_STATUS_INVALID_PARAMETER;
		write_efer(v);
		return HV_STATUS_SUCCESS;
	case HvX64RegisterPat:
		if (!pat_valid(v))
			return HV_STATUS_INVALID_PARAMETER;
		break;
	case HvX64RegisterDr7:
		if (v >> 32)
			return HV_STATUS_INVALID_PARAMETER;
		break;
	case HvX64RegisterRflags:
		v |= RFLAGS_FIXED;
		break;
	}
	if (field >= 0) {
		vmwrite(field, v);
	} else if (name >= HvX64RegisterRax && name <= HvX64RegisterR15) {
		*gpr(vp, name - HvX64RegisterRax) = v;
	} else if ((idx = syscall_msr(name, &msr)) >= 0) {
		if (owns_lp_state(vp))
			wrmsr(msr, v);
		else
			vp->arch.syscall_msrs[idx] = v;
	} else {
		return HV_STATUS_INVALID_PARAMETER;
	}
	return HV_STATUS_SUCCESS;
}

void vcpu_arch_intercept_header(const struct vp *vp, HV_X64_INTERCEPT_MESSAGE_HEADER *h)
{
	u32 ar;

	vmx_vmcs_use(vp);
	ar = (u32)vmread(GUEST_AR(SEG_CS));
	h->VpIndex = vp->index;
	h->InstructionLength = 0;
	h->InterceptAccessType = 0;
	h->ExecutionState = ((vmread(GUEST_AR(SEG_SS)) >> 5) & 3) |
			    (vmread(GUEST_CR0) & CR0_PE ? HV_X64_EXECUTION_STATE_CR0_PE : 0) |
			    (vmread(GUEST_IA32_EFER) & EFER_LMA ? HV_X64_EXECUTION_STATE_EFER_LMA : 0);
	h->CsSegment.Base = vmread(GUEST_BASE(SEG_CS));
	h->CsSegment.Limit = (u32)vmread(GUEST_LIMIT(SEG_CS));
	h->CsSegment.Selector = (u16)vmread(GUEST_SEL(SEG_CS));
	h->CsSegment.Attributes = (u16)(ar & 0xf0ff);
	h->Rip = vmread(GUEST_RIP);
	h->Rflags = vmread(GUEST_RFLAGS);
}

bool vcpu_arch_msr_read(struct vp *vp, u32 msr, u64 *value)
{
	vmx_vmcs_use(vp);
	switch (msr) {
	case MSR_EFER:
		*value = vmread(GUEST_IA32_EFER);
		return true;
	case MSR_FEATURE_CONTROL:
		/* Locked with VMX off: disabled by firmware, as the partition sees it. */
		*value = FEATURE_CONTROL_LOCKED;
		return true;
	case MSR_PAT:
		*value = vmread(GUEST_IA32_PAT);
		return true;
	case MSR_TSC:
		*value = rdtsc();
		return true;
	}
	return false;
}

bool vcpu_arch_msr_write(struct vp *vp, u32 msr, u64 value)
{
	vmx_vmcs_use(vp);
	switch (msr) {
	case MSR_EFER:
		if (value & ~EFER_VALID)
			return false;
		/* LMA is the processor's to set; keep the guest's view consistent with CR0.PG. */
		write_efer((value & ~EFER_LMA) | (vmread(GUEST_IA32_EFER) & EFER_LMA));
		return true;
	case MSR_PAT:
		if (!pat_valid(value))
			return false;
		vmwrite(GUEST_IA32_PAT, value);
		return true;
	}
	return false;
}

void vcpu_arch_dump(const struct vp *vp)
{
	vmx_vmcs_use(vp);
	hv_log("partition %llu VP %u: exit reason 0x%llx qualification 0x%llx intr 0x%llx "
	       "vectoring 0x%llx error %llu",
	       (unsigned long long)vp->partition->id, vp->index,
	       (unsigned long long)vmread(EXIT_REASON),
	       (unsigned long long)vmread(EXIT_QUALIFICATION),
	       (unsigned long long)vmread(EXIT_INTR_INFO),
	       (unsigned long long)vmread(IDT_VECTORING_INFO),
	       (unsigned long long)vmread(VM_INSTRUCTION_ERROR));
	hv_log("  rip 0x%llx rsp 0x%llx rflags 0x%llx cs %llx/%llx ss %llx/%llx gpa 0x%llx",
	       (unsigned long long)vmread(GUEST_RIP), (unsigned long long)vmread(GUEST_RSP),
	       (unsigned long long)vmread(GUEST_RFLAGS),
	       (unsigned long long)vmread(GUEST_SEL(SEG_CS)),
	       (unsigned long long)vmread(GUEST_AR(SEG_CS)),
	       (unsigned long long)vmread(GUEST_SEL(SEG_SS)),
	       (unsigned long long)vmread(GUEST_AR(SEG_SS)),
	       (unsigned long long)vmread(GUEST_PHYSICAL_ADDRESS));
	hv_log("  cr0 0x%llx cr3 0x%llx cr4 0x%llx efer 0x%llx entry 0x%llx intr-state 0x%llx "
	       "activity %llu",
	       (unsigned long long)vmread(GUEST_CR0), (unsigned long long)vmread(GUEST_CR3),
	       (unsigned long long)vmread(GUEST_CR4), (unsigned long long)vmread(GUEST_IA32_EFER),
	       (unsigned long long)vmread(ENTRY_CONTROLS),
	       (unsigned long long)vmread(GUEST_INTERRUPTIBILITY),
	       (unsigned long long)vmread(GUEST_ACTIVITY_STATE));
}
