/* Virtual processors: object lifecycle, running, and what a run's exit means. */
#ifndef HV_VP_H
#define HV_VP_H

#include "hv/types.h"
#include "hv/tlfs.h"
#include "hv/vp_regs.h"
#include "hv/synic.h"
#include "hv/stimer.h"
#include "hv/vlapic.h"
#include "hv/spinlock.h"
#include "hv/sched.h"
#include "arch/x86/vp_arch.h"

struct partition;
struct lp;
struct vp_exit;

struct vp {
	struct vp_regs regs; /* first: the entry code saves guest GPRs here */
	struct partition *partition;
	HV_VP_INDEX index;
	struct lp *lp;            /* LP running this VP, NULL when not running */
	/* hv/vp_tlb.h: the LP it is in guest mode on, and a flush it owes before it enters again. */
	struct lp *entered;
	bool tlb_flush;
	u64 intercept_page;       /* SPA of the HvVpStatePageInterceptMessage page, 0 = none */
	/* Scheduled VPs: the intercept message for the parent's SINT 0, and the parent VP it went to. */
	struct synic_msgbuf intercept_msg;
	struct vp *intercept_msg_to;
	/* Root scheduler: the root VP that dispatched this VP, and where its output goes. */
	struct vp *dispatcher;
	u64 dispatch_output;      /* SPA of struct hv_output_dispatch_vp */
	u8 hypercall_insn_len;    /* of the call in progress, to complete it later */
	struct synic synic;
	struct stimer stimers[HV_SYNIC_STIMER_COUNT];
	struct vlapic vlapic;     /* children only: the root has the physical APIC */
	u64 vp_assist_msr;        /* HV_X64_MSR_VP_ASSIST_PAGE (hv/vp_assist.c) */
	u8 eoi_assist_vector;     /* in service with "No EOI required" set; 0 = none */
	bool eoi_rescan;          /* an EOI done for the guest: the SynIC looks again before entry */
	struct spinlock irq_lock;
	u64 irq_pending[4];       /* root: synthetic vectors waiting for injection */
	u64 irq_auto_eoi[4];      /* children: pending vectors that came from auto-EOI SINTs */
	/* The hypervisor scheduler (hv/vp_sched.c). */
	struct sched_vp sched;
	bool scheduled;           /* run by the hypervisor, not dispatched by the parent */
	/* Dispatched, handed to the scheduler or started by its partition: HvCallStartVirtualProcessor refuses it. */
	bool started;
	bool detached;            /* being deleted: never picked again */
	bool explicit_suspend;    /* HvRegisterExplicitSuspend */
	bool intercept_suspend;   /* HvRegisterInterceptSuspend: waiting for the parent */
	bool halted;              /* HLT with nothing to take */
	struct vp_arch arch;
};

struct vp *vp_create(struct partition *p, HV_VP_INDEX index, HV_STATUS *status);
void vp_destroy(struct vp *vp);

/* Handles one exit of @vp; afterwards lp->current says what to run next. */
void vp_handle_exit(struct vp *vp, const struct vp_exit *exit);

/* Root scheduler: runs child @vp on the caller's LP until it needs the parent. */
HV_STATUS vp_dispatch(struct vp *caller, struct vp *vp, u64 output_spa);
/* Ends a dispatch: writes the output, completes the root's hypercall. */
void vp_dispatch_return(struct vp *vp, u32 state, u32 event);

#endif
