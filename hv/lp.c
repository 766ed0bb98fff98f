#include "hv/lp.h"
#include "hv/vp.h"
#include "hv/log.h"
#include "hv/vp_interrupt.h"
#include "hv/bench.h"
#include "hv/vp_sched.h"
#include "hv/vp_tlb.h"
#include "arch/x86/vcpu.h"

struct lp *lps[HV_MAX_LPS_ARRAY];
u32 lp_count;

__noreturn void lp_run(struct lp *lp)
{
	struct vp_exit exit;

	vcpu_arch_lp_enter(lp);
	if (lp->index == 0)
		bench_at_launch();
	for (;;) {
		struct vp *vp = lp->current ? lp->current : lp_sched_next(lp);

		vp_prepare_entry(vp);
		vp_tlb_enter(vp, lp);
		vcpu_arch_run(vp, &exit);
		vp_tlb_leave(vp, lp);
		vp_handle_exit(vp, &exit);
		if (lp->owned && lp->current == vp && lp_sched_due(lp))
			lp_sched_put(lp);
	}
}

void lp_dump_state(void)
{
	struct lp *lp = this_lp();

	if (lp && lp->current)
		vcpu_arch_dump(lp->current);
}
