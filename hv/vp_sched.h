/*
 * The hypervisor scheduler at work: hv/sched.c's policy applied to real VPs
 * and LPs (docs/scheduler.md).
 *
 * With the classic and core types, LPs without a root VP (minroot) run
 * child VPs under the policy: a one-shot APIC timer ends each slice and a
 * kick IPI makes an LP look again when a VP wakes. A child VP is the
 * scheduler's once its parent clears HvRegisterExplicitSuspend (or its
 * partition starts it: HvCallStartVirtualProcessor); until then the parent
 * may still dispatch it itself (HvCallDispatchVp), which is the only way
 * VPs run under the root type.
 */
#ifndef HV_VP_SCHED_H
#define HV_VP_SCHED_H

#include "hv/types.h"
#include "hv/tlfs.h"
#include "hv/sched.h"

struct vp;
struct lp;
struct partition;
struct hv_boot_info;

extern struct sched hv_sched;

void vp_sched_init(const struct hv_boot_info *bi, u64 child_lps);
u32 vp_sched_type(void);
/* Around a parent's dispatch of @vp (root scheduling): counts its run time. */
void vp_sched_dispatch_begin(struct vp *vp);
void vp_sched_dispatch_end(struct vp *vp);
/* HwThreadCountPerCore in effect for @p (0 set means the host's). */
u32 vp_sched_threads_per_core(const struct partition *p);
void vp_sched_partition_init(struct partition *p);

/* A root VP: pinned to @lp, running there for good. */
void vp_sched_add_root(struct vp *vp, struct lp *lp);
/* A child VP: known to the policy, explicitly suspended. */
void vp_sched_add(struct vp *vp);
/* False while @vp runs somewhere; otherwise it can never be picked again. */
bool vp_sched_detach(struct vp *vp);
/* vp_sched_detach for every VP of @p, or none. */
bool vp_sched_detach_partition(struct partition *p);

/* Something that decides whether @vp may run changed: suspends, halt, termination. */
void vp_sched_update(struct vp *vp);
/* HLT with nothing to take: blocked until an interrupt or one of its timers. */
void vp_sched_halt(struct vp *vp);
/* An interrupt became pending for @vp: wakes it if it halted. */
void vp_sched_interrupt(struct vp *vp);
/* The register accessors of the scheduler-owned VP registers; false = not one of them. */
bool vp_sched_get_register(struct vp *vp, HV_REGISTER_NAME name, HV_REGISTER_VALUE *v,
			   HV_STATUS *status);
bool vp_sched_set_register(struct vp *vp, HV_REGISTER_NAME name, const HV_REGISTER_VALUE *v,
			   HV_STATUS *status);
/* An IPI that makes @lp leave guest mode, if this LP may send one (hv/vp_sched.c). */
void lp_interrupt(struct lp *lp);
/* Register access needs the VP to hold still: these keep the scheduler from picking it. */
void vp_sched_lock(void);
void vp_sched_unlock(void);

/*
 * Test-only (hv_options=sched_probe): HV_X64_MSR_SCHED_PROBE reads the LP
 * running the VP and how many VPs that LP has started, so a payload can
 * tell from inside where and in which stretch it ran.
 */
#define HV_X64_MSR_SCHED_PROBE 0x400000f0
bool vp_sched_probe(const struct vp *vp, u64 *value);

/* LPs the hypervisor owns: the next VP to run (idles until there is one). */
struct vp *lp_sched_next(struct lp *lp);
/* After each exit: has the current VP's time ended, or must it stop? */
bool lp_sched_due(const struct lp *lp);
/* The current VP leaves the LP. */
void lp_sched_put(struct lp *lp);

#endif
