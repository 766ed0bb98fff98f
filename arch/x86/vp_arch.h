#ifndef ARCH_X86_VP_ARCH_H
#define ARCH_X86_VP_ARCH_H

#include "hv/types.h"

struct vp_arch {
	u64 control_pa; /* VMCB (SVM) or VMCS (VMX) */
	void *control;
	void *fpu;      /* XSAVE (or FXSAVE) area, one page */
	u64 xcr0;
	u64 seen_generation; /* GPA map generation this VP's TLB reflects */
	bool flush_tlb;      /* vcpu_arch_flush_tlb: flush at the next entry */
	/* VMX: a VMCS is reachable only through VMREAD/VMWRITE on the LP where it is active. */
	u32 vmcs_lp;         /* LP index + 1 where the VMCS is active; 0 = clear */
	u32 host_lp;         /* LP index + 1 whose host state the VMCS holds */
	bool launched;       /* VMRESUME, not VMLAUNCH */
	u32 proc_ctls;       /* primary processor-based controls as last written */
	u64 cr2;             /* CR2 and the syscall MSRs while not loaded in the LP */
	u64 syscall_msrs[5]; /* KERNEL_GS_BASE, STAR, LSTAR, CSTAR, SFMASK */
};

#endif
