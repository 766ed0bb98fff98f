/*
 * The machine the hypercall fuzzer runs the arch-neutral hypervisor on.
 *
 * The hypervisor reaches physical memory through an identity map
 * (phys_to_virt), so "physical memory" here is a small arena mapped at a
 * fixed low host address, with inaccessible guard pages around it:
 *
 *   [0, HOST_ARENA_BASE)                   not RAM: owned by the hypervisor, never backed
 *   [HOST_ARENA_BASE, HOST_ROOT_RAM_BASE)  the hypervisor's heap (hv_alloc_page)
 *   [HOST_ROOT_RAM_BASE, HOST_PHYS_LIMIT)  the root's RAM: what it deposits, maps, passes
 *
 * The region the loader would reserve for the hypervisor is [0,
 * HOST_ROOT_RAM_BASE), so the root's identity GPA map covers exactly the
 * backed RAM and an access outside it faults. HOST_PHYS_LIMIT is also
 * the RAM limit: there is no MMIO the root could hand out.
 *
 * Time is a simulated TSC at 1 GHz: it moves a tick per read, jumps to an
 * idle LP's timer, and moves as far as the input says.
 */
#ifndef TESTS_FUZZ_HV_HOST_H
#define TESTS_FUZZ_HV_HOST_H

#include "hv/types.h"

#define HOST_PHYS_LIMIT (1ULL << 24)
#define HOST_ARENA_SIZE (4ULL << 20)
#define HOST_ARENA_BASE (HOST_PHYS_LIMIT - HOST_ARENA_SIZE)
#define HOST_HEAP_PAGES 64
#define HOST_ROOT_RAM_BASE (HOST_ARENA_BASE + HOST_HEAP_PAGES * PAGE_SIZE)
#define HOST_TSC_HZ 1000000000ULL
/* Pages vcpu_arch_create takes from a partition's pool (control block and FPU area, as SVM). */
#define HOST_VP_ARCH_PAGES 2

struct lp;
struct vp;
struct partition;

/* What LP 1 is; LP 0 always runs root VP 0. */
enum host_lp1 {
	HOST_LP1_NONE,
	HOST_LP1_ROOT,     /* root VP 1 */
	HOST_LP1_CHILDREN, /* minroot: the hypervisor's scheduler runs child VPs there */
};

struct host_config {
	u32 scheduler_type; /* HV_SCHEDULER_* */
	enum host_lp1 lp1;
	bool lp1_sibling;   /* LP 1 is LP 0's SMT sibling rather than another core */
};

/* A freshly launched hypervisor: every input starts here. */
void host_boot(const struct host_config *config);

/* HV_FUZZ_LOG is set: the hypervisor's log and each exit's outcome go to stderr. */
bool host_verbose(void);
/* this_lp() from now on. */
void host_enter_lp(struct lp *lp);
void host_advance(u64 ticks);
/*
 * lp_sched_next on an LP the hypervisor owns, or NULL when it would idle
 * for good (nothing it may run: the real LP would wait for a kick).
 */
struct vp *host_sched_next(struct lp *lp);

/* hv_host_partition.c: what hv/partition.c keeps to itself. */
void host_partition_reset(void);
struct partition *host_partition_slot(unsigned slot);
bool host_partitions_locked(void);

/* hv_host_vcpu.c: the VP as the fake backend holds it. */
/* Runs @vp: what was injected is delivered. */
void host_vcpu_run(struct vp *vp);
/* The exception vector + 1 injected since the last run, or 0. */
u32 host_vcpu_pending_exception(const struct vp *vp);
u64 host_vcpu_rip(const struct vp *vp);

#endif
