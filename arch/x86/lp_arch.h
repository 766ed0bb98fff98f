#ifndef ARCH_X86_LP_ARCH_H
#define ARCH_X86_LP_ARCH_H

#include "hv/types.h"

struct __packed tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
};

struct vp;

struct lp_arch {
	u64 gdt[5] __aligned(16);
	struct tss64 tss;
	u64 stack_top;
	u64 vendor_pa[2];   /* SVM: host save area, host VMSAVE area */
	u64 last_control;   /* control block last run here, for TLB flush decisions */
	struct vp *fpu_owner; /* LPs without a root VP: the child whose FPU state is loaded (fpu.c) */
	/* VMX */
	u64 current_vmcs;   /* loaded with VMPTRLD, 0 = none */
	struct vp *current_vp; /* owner of current_vmcs */
	struct vp *msr_owner;  /* VP whose CR2 and syscall MSRs the LP holds */
	u8 nmi_pending;     /* an NMI the root has yet to receive */
	u8 init_pending;    /* an INIT the root has yet to receive */
};

#endif
