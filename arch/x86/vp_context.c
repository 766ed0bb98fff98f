/*
 * HV_INITIAL_VP_CONTEXT into a VP (arch/x86/vp_context.h). The backends
 * check register by register; what only the whole state shows is checked
 * here, for both alike.
 */
#include "arch/x86/vp_context.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vcpu.h"

/* HV_X64_SEGMENT_REGISTER attributes (datatypes/hv_x64_segment_register.md) */
#define HV_SEGMENT_L BIT(13)
#define HV_SEGMENT_DB BIT(14)
/* RFLAGS bits 3, 5, 15 and 63:22 are reserved (SDM vol. 1, 3.4.3). */
#define RFLAGS_DEFINED 0x3f7fd7ULL
#define CR4_LA57 BIT(12)

#define CONTEXT_REGISTERS 18

static bool canonical(u64 address, unsigned bits)
{
	return (u64)((s64)(address << (64 - bits)) >> (64 - bits)) == address;
}

/*
 * What VM entry would refuse on either vendor (SDM vol. 3C, "Checks on the
 * Guest State Area"; APM vol. 2, VMRUN's consistency checks) beyond one
 * register's reserved bits, which the backend checks as it writes each: a
 * refused entry would terminate the partition, where the TLFS has the call
 * fail instead.
 */
static bool consistent(const HV_INITIAL_VP_CONTEXT *c)
{
	bool lma = c->Efer & EFER_LMA, code64 = lma && (c->Cs.Attributes & HV_SEGMENT_L);
	unsigned va_bits = c->Cr4 & CR4_LA57 ? 57 : 48;
	struct cpuid_regs r;

	if ((c->Cr0 & CR0_PG) && !(c->Cr0 & CR0_PE))
		return false;
	/* The processor sets LMA itself when paging starts with LME set: a context must agree. */
	if (lma != ((c->Efer & EFER_LME) && (c->Cr0 & CR0_PG)))
		return false;
	if (lma && !(c->Cr4 & CR4_PAE))
		return false;
	if (code64 && (c->Cs.Attributes & HV_SEGMENT_DB))
		return false;
	if (c->Rflags & ~RFLAGS_DEFINED)
		return false;
	if (code64 ? !canonical(c->Rip, va_bits) : c->Rip >> 32)
		return false;
	if (!canonical(c->Fs.Base, va_bits) || !canonical(c->Gs.Base, va_bits) ||
	    !canonical(c->Tr.Base, va_bits) || !canonical(c->Ldtr.Base, va_bits) ||
	    !canonical(c->Gdtr.Base, va_bits) || !canonical(c->Idtr.Base, va_bits))
		return false;
	cpuid_count(0x80000008, 0, &r);
	return !(c->Cr3 >> (r.eax & 0xff));
}

/* In the order child set-up uses: the control registers after the segments, CR0 last of them. */
static void registers(const HV_INITIAL_VP_CONTEXT *c, HV_REGISTER_NAME *names, HV_REGISTER_VALUE *v)
{
	static const HV_REGISTER_NAME order[CONTEXT_REGISTERS] = {
		HvX64RegisterCs, HvX64RegisterDs, HvX64RegisterEs, HvX64RegisterFs,
		HvX64RegisterGs, HvX64RegisterSs, HvX64RegisterTr, HvX64RegisterLdtr,
		HvX64RegisterIdtr, HvX64RegisterGdtr, HvX64RegisterCr4, HvX64RegisterCr3,
		HvX64RegisterEfer, HvX64RegisterCr0, HvX64RegisterPat, HvX64RegisterRip,
		HvX64RegisterRsp, HvX64RegisterRflags,
	};
	unsigned i;

	for (i = 0; i < CONTEXT_REGISTERS; i++) {
		names[i] = order[i];
		v[i].Reg128.Low64 = v[i].Reg128.High64 = 0;
	}
	v[0].Segment = c->Cs;
	v[1].Segment = c->Ds;
	v[2].Segment = c->Es;
	v[3].Segment = c->Fs;
	v[4].Segment = c->Gs;
	v[5].Segment = c->Ss;
	v[6].Segment = c->Tr;
	v[7].Segment = c->Ldtr;
	v[8].Table = c->Idtr;
	v[9].Table = c->Gdtr;
	v[10].Reg64 = c->Cr4;
	v[11].Reg64 = c->Cr3;
	v[12].Reg64 = c->Efer;
	v[13].Reg64 = c->Cr0;
	v[14].Reg64 = c->MsrCrPat;
	v[15].Reg64 = c->Rip;
	v[16].Reg64 = c->Rsp;
	v[17].Reg64 = c->Rflags;
}

HV_STATUS vp_context_load(struct vp *vp, const HV_INITIAL_VP_CONTEXT *c)
{
	HV_REGISTER_NAME names[CONTEXT_REGISTERS];
	HV_REGISTER_VALUE v[CONTEXT_REGISTERS], old[CONTEXT_REGISTERS];
	unsigned i, n;

	if (!consistent(c))
		return HV_STATUS_INVALID_REGISTER_VALUE;
	registers(c, names, v);
	for (i = 0; i < CONTEXT_REGISTERS; i++)
		vcpu_arch_get_register(vp, names[i], &old[i]);
	for (n = 0; n < CONTEXT_REGISTERS; n++)
		if (vcpu_arch_set_register(vp, names[n], &v[n]))
			break;
	if (n == CONTEXT_REGISTERS)
		return HV_STATUS_SUCCESS;
	/* Values the VP held before are ones the backend took: putting them back cannot fail. */
	for (i = 0; i < n; i++)
		vcpu_arch_set_register(vp, names[i], &old[i]);
	return HV_STATUS_INVALID_REGISTER_VALUE;
}
