/*
 * Guest TLB shootdown. A VP's cached translations must go when its
 * partition asks (HvCallFlushVirtualAddress*) and when its parent takes a
 * GPA mapping away or narrows it; either call returns only once no target
 * VP can still use a translation from before it. A VP flushes on its own
 * LP, at its next entry: the caller raises the VP's flag and waits for the
 * VPs in guest mode on other LPs to leave it once, which an IPI forces
 * where the hypervisor may send one and the LP's next timer or interrupt
 * otherwise (hv/vp_sched.c, lp_interrupt).
 */
#ifndef HV_VP_TLB_H
#define HV_VP_TLB_H

#include "hv/vp.h"
#include "hv/lp.h"
#include "arch/x86/vcpu.h"

/*
 * Right before @vp enters guest mode on @lp. With vp_tlb_flush this is
 * Dekker's pattern: each side stores, fences, then loads what the other
 * stored, so either the VP sees the flag here or the caller sees it entered.
 */
static inline void vp_tlb_enter(struct vp *vp, struct lp *lp)
{
	__atomic_store_n(&lp->guest_seq, lp->guest_seq + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&vp->entered, lp, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&vp->tlb_flush, __ATOMIC_RELAXED)) {
		__atomic_store_n(&vp->tlb_flush, false, __ATOMIC_RELAXED);
		vcpu_arch_flush_tlb(vp);
	}
}

/* Right after @vp left guest mode on @lp. */
static inline void vp_tlb_leave(struct vp *vp, struct lp *lp)
{
	__atomic_store_n(&lp->guest_seq, lp->guest_seq + 1, __ATOMIC_RELEASE);
	__atomic_store_n(&vp->entered, NULL, __ATOMIC_RELEASE);
}

/*
 * Flushes the VPs of @p in @mask (bit n: VP index n) and returns once each
 * has. The caller holds partitions_lock, which keeps the VPs alive.
 */
void vp_tlb_flush(struct partition *p, u64 mask);

#endif
