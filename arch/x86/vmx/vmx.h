/* What the VMX backend's files share. */
#ifndef ARCH_X86_VMX_VMX_H
#define ARCH_X86_VMX_VMX_H

#include "hv/types.h"
#include "hv/vp_regs.h"
#include "arch/x86/vmx/vmcs.h"

struct vp;
struct lp;

/* What vcpu_arch_probe found, and the control values every VMCS starts from. */
struct vmx_caps {
	u32 revision;
	bool true_ctls, vpid, wait_for_sipi;
	u8 preemption_timer_rate; /* with PIN_PREEMPTION_TIMER in pin_child */
	u64 ept_cap;
	u32 large_mask;
	u32 pin_root, pin_child, proc_root, proc_child, proc2, exit, entry;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u64 cr0_must1;          /* CR0_FIXED0 less PE and PG (unrestricted guest) */
	u64 cr0_mask, cr4_mask; /* guest/host masks: the bits VMX fixes */
};
extern struct vmx_caps vmx;

/*
 * One guest run: VMLAUNCH (launched = 0) or VMRESUME. Guest GPRs but RSP
 * come from and go back to *regs. Returns 0 after a VM exit, non-zero when
 * the instruction itself failed (VM-instruction error field).
 */
int vmx_run(struct vp_regs *regs, u64 launched);
/* Makes @vp's VMCS the current one on this LP (see vmx.c). */
void vmx_vmcs_use(const struct vp *vp);
u64 vmx_eptp(u64 root);
/* Host-state fields for this LP into the current VMCS. */
void vmx_write_host_state(struct lp *lp);
/* CR0/CR4 as the guest asks for them -> as VMX needs them in the VMCS. */
u64 vmx_guest_cr0(u64 cr0);
u64 vmx_guest_cr4(u64 cr4);
/* Control-register access exit: emulated (or #GP injected); false if not ours to emulate. */
bool vmx_cr_access(struct vp *vp, u8 insn_len);

#endif
