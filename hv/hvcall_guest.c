/* Enlightenments a guest calls on its own behalf: synthetic IPIs, long spin waits. */
#include "hv/hvcall.h"
#include "hv/partition.h"
#include "hv/vp.h"
#include "hv/vp_interrupt.h"

#define MIN_VECTOR 0x10

/* The VPs of the caller's partition in bank 0 of @mask (we have at most 64 per partition). */
static void send_to_mask(struct vp *caller, u8 vector, u64 mask)
{
	struct partition *p = caller->partition;
	unsigned i;

	for (i = 0; i < HV_MAX_VPS_PER_PARTITION && i < 64; i++)
		if ((mask & BIT(i)) && p->vps[i])
			vp_raise_interrupt(p->vps[i], vector, false);
}

HV_STATUS hvcall_send_synthetic_cluster_ipi(struct hypercall *hc)
{
	const struct hv_input_send_synthetic_cluster_ipi *in = hc->in;

	if (in->Vector < MIN_VECTOR || in->Vector > 0xff || in->TargetVtl ||
	    in->Padding[0] || in->Padding[1] || in->Padding[2])
		return HV_STATUS_INVALID_PARAMETER;
	send_to_mask(hc->caller, (u8)in->Vector, in->ProcessorMask);
	return HV_STATUS_SUCCESS;
}

/* HV_VP_SET (datatypes/hv_vp_set.md): the banks present must match the variable header. */
HV_STATUS hvcall_send_synthetic_cluster_ipi_ex(struct hypercall *hc)
{
	const struct hv_input_send_synthetic_cluster_ipi_ex *in = hc->in;
	u64 mask = 0, bits = in->ValidBanksMask;
	u32 banks = 0;

	if (in->Vector < MIN_VECTOR || in->Vector > 0xff || in->TargetVtl ||
	    in->Padding[0] || in->Padding[1] || in->Padding[2])
		return HV_STATUS_INVALID_PARAMETER;
	if (in->Format == HV_GENERIC_SET_ALL) {
		mask = ~0ULL;
	} else if (in->Format == HV_GENERIC_SET_SPARSE_4K) {
		for (; bits; bits &= bits - 1) /* no popcnt instruction assumed, no libgcc */
			banks++;
		if (hc->var_header_bytes < banks * 8)
			return HV_STATUS_INVALID_HYPERCALL_INPUT;
		/* Bank 0 holds VPs 0-63; higher banks name VPs this partition cannot have. */
		if (in->ValidBanksMask & 1)
			mask = in->BankContents[0];
	} else {
		return HV_STATUS_INVALID_PARAMETER;
	}
	send_to_mask(hc->caller, (u8)in->Vector, mask);
	return HV_STATUS_SUCCESS;
}

HV_STATUS hvcall_notify_long_spin_wait(struct hypercall *hc)
{
	struct vp *vp = hc->caller;

	/* A dispatched VP gives its LP back to the parent, which can run another one. */
	if (vp->dispatcher)
		return HV_STATUS_YIELD_TO_DISPATCHER;
	return HV_STATUS_SUCCESS;
}
