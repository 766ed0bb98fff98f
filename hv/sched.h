/*
 * The scheduling policy: which VP each LP runs next, and for how long.
 *
 * Pure policy over an abstract clock (any monotonic unit: the hypervisor
 * passes TSC ticks, the host tests a simulated clock). It never blocks,
 * allocates or talks to hardware; the caller holds one lock around every
 * call and carries out what the answers say: run a VP until a time, idle,
 * kick (IPI) some LPs so they call sched_pick again.
 *
 * Types (seeds/004, "Manage Hyper-V hypervisor scheduler types"):
 *   classic  fair share by weight over all LPs, caps and reserves per VP,
 *            CPU groups; root VPs pinned to their LPs.
 *   classic without SMT  the same, but secondary SMT threads run no child VP.
 *   core     as classic, but the threads of one core only ever run VPs of
 *            one partition at a time; a non-SMT partition takes a whole core.
 *   root     no time slicing: the parent dispatches child VPs itself, and
 *            caps, weights and reserves are refused.
 *
 * Caps and reserves are per VP in CPU-group units: SCHED_FULL_LP is one LP's
 * worth of time. Both are measured over an accounting period; weights share
 * what is left after reserves by weighted run time (lowest runs first).
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include "hv/types.h"
#include "hv/boot_info.h"

#define SCHED_MAX_LPS HV_MAX_LPS
#define SCHED_MAX_GROUPS 16
#define SCHED_FULL_LP 65536u
#define SCHED_WEIGHT_DEFAULT 100u
#define SCHED_WEIGHT_MAX 10000u
#define SCHED_NEVER (~0ULL)

enum sched_status {
	SCHED_OK,
	SCHED_DENIED,       /* not available with this scheduler type, or object busy */
	SCHED_OUT_OF_RANGE, /* value invalid, or a reserve that cannot be admitted */
	SCHED_NO_GROUP,
};

struct sched_group {
	u64 affinity; /* the group's LPs; its VPs run nowhere else */
	u32 cap;      /* C: G = n x C LPs' worth per period, n = LPs in the group */
	u32 members;  /* partitions bound to it */
	u64 used;     /* run time of all its VPs in this period */
	bool in_use;
};

struct sched_partition {
	u32 weight;
	u32 cap;              /* per VP; SCHED_FULL_LP = no cap */
	u32 reserve;          /* per VP; 0 = none */
	u32 threads_per_core; /* core type: 1 = each VP takes a whole core */
	s32 group;            /* -1 = none */
	u32 vp_count;
	bool is_root;
};

enum sched_vp_state { SCHED_VP_BLOCKED, SCHED_VP_RUNNABLE };

struct sched_vp {
	struct sched_partition *part;
	struct sched_vp *next;
	u64 affinity;
	s32 pinned_lp;  /* root VPs run on their own LP only; -1 = any allowed LP */
	s32 lp;         /* LP running it now, -1 = none */
	s32 home_lp;    /* LP that watches its wake time while it is blocked */
	u8 state;
	u64 wake_at;    /* blocked: when to wake it anyway (its timers), SCHED_NEVER = none */
	u64 vruntime;   /* run time scaled by 1/weight: lowest runs first */
	u64 used;       /* run time in this period */
	u64 total;      /* run time since it was added */
	u64 run_start;
};

struct sched_lp {
	u32 core;
	bool online;    /* an LP of the machine */
	bool child_ok;  /* may run child VPs (not root LPs in practice, nor secondary threads without SMT) */
	struct sched_vp *current;
	u64 until;      /* when it looks again */
};

struct sched_core {
	u64 lps;
	struct sched_partition *owner; /* core type: the only partition on this core */
	u64 epoch_end;                 /* owner decided until then */
};

struct sched {
	u32 type;
	u32 lp_count, core_count;
	u32 threads_per_core; /* the most any core has */
	bool smt;
	u64 quantum, period, period_start;
	u64 min_vruntime;
	struct sched_vp *vps;
	struct sched_lp lp[SCHED_MAX_LPS];
	struct sched_core core[SCHED_MAX_LPS];
	struct sched_group group[SCHED_MAX_GROUPS];
};

/* @child_lps: LPs child VPs may run on. Cores are (package, core) pairs of @info. */
void sched_init(struct sched *s, u32 type, u32 lp_count, const struct hv_lp_info *info,
		u64 child_lps, u64 quantum, u64 period);
/* Whether the core type's no-sharing guarantee holds (CPUID NoNonArchitecturalCoreSharing). */
bool sched_no_core_sharing(const struct sched *s);
/* Whether the hypervisor time-slices VPs itself (not the root type). */
bool sched_time_slices(const struct sched *s);

void sched_partition_init(struct sched_partition *sp, bool is_root);
enum sched_status sched_set_weight(struct sched *s, struct sched_partition *sp, u64 weight);
enum sched_status sched_set_cap(struct sched *s, struct sched_partition *sp, u64 cap);
enum sched_status sched_set_reserve(struct sched *s, struct sched_partition *sp, u64 reserve);
/* Threads per core a partition may ask for: the host's, 1 under classic without SMT. */
u32 sched_host_threads_per_core(const struct sched *s);
/* HwThreadCountPerCore: 0 = the host's; only before the partition has VPs. */
enum sched_status sched_set_threads_per_core(struct sched *s, struct sched_partition *sp, u64 n);

enum sched_status sched_group_create(struct sched *s, u64 affinity, u32 cap, u32 *id);
enum sched_status sched_group_delete(struct sched *s, u32 id);
enum sched_status sched_group_set_cap(struct sched *s, u32 id, u64 cap);
/* @id -1 unbinds. */
enum sched_status sched_group_bind(struct sched *s, struct sched_partition *sp, s32 id);

/* A VP starts blocked. @pinned_lp >= 0 for root VPs. */
void sched_vp_add(struct sched *s, struct sched_vp *v, struct sched_partition *sp, s32 pinned_lp);
/* @v must not be running. */
void sched_vp_remove(struct sched *s, struct sched_vp *v);
/* Returns the LPs to kick so that one of them picks @v up. */
u64 sched_vp_wake(struct sched *s, struct sched_vp *v, u64 now);
/* @v stops being runnable; if it is running, its LP must call sched_pick. */
void sched_vp_block(struct sched *s, struct sched_vp *v, u64 wake_at);

/*
 * Ends what @lp ran (charging it) and chooses what it runs next, until
 * *until at the latest. NULL = idle until *until (SCHED_NEVER: until
 * kicked). *kick: other LPs that must call sched_pick now.
 */
struct sched_vp *sched_pick(struct sched *s, u32 lp, u64 now, u64 *until, u64 *kick);

#endif
