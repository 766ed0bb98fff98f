#ifndef ARCH_X86_VP_ARCH_H
#define ARCH_X86_VP_ARCH_H

#include "hv/types.h"

struct vp_arch {
	u64 control_pa; /* VMCB (SVM) or VMCS (VMX) */
	void *control;
	void *fpu;      /* XSAVE (or FXSAVE) area, one page */
	u64 xcr0;
	u64 seen_generation; /* GPA map generation this VP's TLB reflects */
};

#endif
