/* Per logical processor state. */
#ifndef HV_LP_H
#define HV_LP_H

#include "hv/types.h"
#include "arch/x86/lp_arch.h"

struct vp;

struct lp {
	struct lp *self; /* first: this_lp() reads it through the per-LP segment */
	u32 index;
	u32 apic_id;
	struct vp *root_vp;  /* the root partition's VP pinned to this LP */
	struct vp *current;  /* the VP this LP runs next */
	bool owned;          /* no root VP: the hypervisor's scheduler runs child VPs here */
	volatile bool kicked; /* look at the scheduler again (hv/vp_sched.c) */
	u64 until;           /* the current VP's slice ends (TSC) */
	u32 switches;        /* VPs started here (HV_X64_MSR_SCHED_PROBE) */
	u64 guest_seq;       /* odd while a VP is in guest mode here (hv/vp_tlb.h) */
	void *hypercall_in;  /* one page each: hypercall parameters copied in/out */
	void *hypercall_out;
	struct lp_arch arch;
};

/* NULL before this LP finished its launch. */
struct lp *this_lp(void);
__noreturn void lp_run(struct lp *lp);
void lp_dump_state(void);

#define HV_MAX_LPS_ARRAY 64
extern struct lp *lps[HV_MAX_LPS_ARRAY];
extern u32 lp_count;

#endif
