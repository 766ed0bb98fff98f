/* Hypercall input value rules (hypercall-interface.md, "Hypercall Inputs"). */
#include "hv/hypercall.h"

#define RESERVED_MASK (HV_HYPERCALL_RSVD0_MASK | HV_HYPERCALL_RSVD1_MASK | \
		       HV_HYPERCALL_RSVD2_MASK)

HV_STATUS hypercall_decode(u64 control, const struct hypercall_desc *d,
			   struct hypercall *hc)
{
	hc->code = control & HV_HYPERCALL_CODE_MASK;
	hc->fast = control & HV_HYPERCALL_FAST;
	hc->var_header_bytes = ((control & HV_HYPERCALL_VARHEAD_MASK) >>
				HV_HYPERCALL_VARHEAD_SHIFT) * 8;
	hc->rep_count = (control & HV_HYPERCALL_REP_COUNT_MASK) >> HV_HYPERCALL_REP_COUNT_SHIFT;
	hc->rep_start = (control & HV_HYPERCALL_REP_START_MASK) >> HV_HYPERCALL_REP_START_SHIFT;
	hc->reps_done = 0;

	if (control & RESERVED_MASK)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (!d || !d->fn)
		return HV_STATUS_INVALID_HYPERCALL_CODE;
	if (d->rep) {
		if (hc->rep_count == 0 || hc->rep_start >= hc->rep_count)
			return HV_STATUS_INVALID_HYPERCALL_INPUT;
	} else if (hc->rep_count || hc->rep_start) {
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	}
	if (hc->var_header_bytes && !d->var_header_ok)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	if (hc->fast && !d->fast_ok)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	hc->reps_done = hc->rep_start;
	return HV_STATUS_SUCCESS;
}

u32 hypercall_in_bytes(const struct hypercall *hc, const struct hypercall_desc *d)
{
	return d->in_size + hc->var_header_bytes + (u32)hc->rep_count * d->rep_in_size;
}

u32 hypercall_out_bytes(const struct hypercall *hc, const struct hypercall_desc *d)
{
	return d->out_size + (u32)hc->rep_count * d->rep_out_size;
}
