/*
 * What the common exit handling asks of a VP's VMCB: skipping an
 * instruction, injecting events, the interrupt window, the mode the guest
 * is in. Plain VMCB memory, no SVM instruction: the host fuzz harness
 * (tests/fuzz) links this file as it is.
 */
#include "hv/vp.h"
#include "hv/lib/string.h"
#include "arch/x86/vcpu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/segment.h"
#include "arch/x86/svm/vmcb.h"

static struct vmcb *vmcb_of(const struct vp *vp)
{
	return vp->arch.control;
}

void vcpu_arch_skip_instruction(struct vp *vp, u8 len)
{
	struct vmcb *v = vmcb_of(vp);

	v->save.rip += len;
	v->control.interrupt_shadow = 0;
}

bool vcpu_arch_interruptible(const struct vp *vp)
{
	const struct vmcb *v = vmcb_of(vp);

	return (v->save.rflags & RFLAGS_IF) && !(v->control.interrupt_shadow & INTERRUPT_SHADOW) &&
	       !(v->control.event_inj & EVENTINJ_VALID);
}

void vcpu_arch_inject_interrupt(struct vp *vp, u8 vector)
{
	vmcb_of(vp)->control.event_inj = vector | EVENTINJ_TYPE_INTR | EVENTINJ_VALID;
}

/*
 * A virtual interrupt request that ignores TPR makes the CPU exit (VINTR
 * intercept) exactly when the guest could take an interrupt (APM 15.21.4);
 * the real vector is then injected through EVENTINJ.
 */
void vcpu_arch_interrupt_window(struct vp *vp, bool on)
{
	struct vmcb *v = vmcb_of(vp);

	if (on) {
		v->control.vintr |= V_IRQ | V_IGN_TPR | (0xfULL << V_INTR_PRIO_SHIFT);
		v->control.intercept_misc1 |= INTERCEPT_VINTR;
	} else {
		v->control.vintr &= ~(V_IRQ | V_IGN_TPR | (0xfULL << V_INTR_PRIO_SHIFT));
		v->control.intercept_misc1 &= ~INTERCEPT_VINTR;
	}
}

void vcpu_arch_inject_exception(struct vp *vp, u8 vector, bool has_error, u32 error)
{
	struct vmcb *v = vmcb_of(vp);

	v->control.event_inj = vector | EVENTINJ_TYPE_EXCEPTION | EVENTINJ_VALID |
			       (has_error ? EVENTINJ_ERROR_VALID | ((u64)error << 32) : 0);
}

bool vcpu_arch_long_mode(const struct vp *vp)
{
	const struct vmcb *v = vmcb_of(vp);

	return (v->save.efer & EFER_LMA) && (v->save.cs.attrib & SEG_ATTR_L);
}

int vcpu_arch_cpl(const struct vp *vp)
{
	return vmcb_of(vp)->save.cpl;
}

size_t vcpu_arch_hypercall_code(u8 *buf, size_t size)
{
	static const u8 code[] = { 0x0f, 0x01, 0xd9, /* vmmcall */ 0xc3 /* ret */ };

	if (size < sizeof(code))
		return 0;
	memcpy(buf, code, sizeof(code));
	return sizeof(code);
}
