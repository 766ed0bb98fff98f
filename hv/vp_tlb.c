#include "hv/vp_tlb.h"
#include "hv/partition.h"
#include "hv/vp_sched.h"

void vp_tlb_flush(struct partition *p, u64 mask)
{
	u64 wait = 0, seq[HV_MAX_LPS_ARRAY];
	u32 i;

	for (i = 0; i < HV_MAX_VPS_PER_PARTITION && i < 64; i++) {
		struct vp *vp = p->vps[i];
		struct lp *lp;
		u64 s;

		if (!(mask & BIT(i)) || !vp)
			continue;
		__atomic_store_n(&vp->tlb_flush, true, __ATOMIC_SEQ_CST);
		lp = __atomic_load_n(&vp->entered, __ATOMIC_SEQ_CST);
		if (!lp || (wait & BIT(lp->index)))
			continue;
		s = __atomic_load_n(&lp->guest_seq, __ATOMIC_ACQUIRE);
		/*
		 * Even: out of guest mode, so it flushes before it enters again.
		 * Entered elsewhere by now: it left @lp, and saw the flag on entry.
		 */
		if (!(s & 1) || __atomic_load_n(&vp->entered, __ATOMIC_ACQUIRE) != lp)
			continue;
		seq[lp->index] = s;
		wait |= BIT(lp->index);
		lp_interrupt(lp);
	}
	for (i = 0; wait; i++, wait >>= 1)
		while ((wait & 1) && __atomic_load_n(&lps[i]->guest_seq, __ATOMIC_ACQUIRE) == seq[i])
			__builtin_ia32_pause();
}
