/*
 * Partitions and their lifecycle (virtualization-host.md):
 * created -> initialized -> (finalized) -> deleted. A partition that
 * faulted beyond repair is terminated: it keeps its objects until the parent
 * deletes it, but its VPs never run again.
 */
#ifndef HV_PARTITION_H
#define HV_PARTITION_H

#include "hv/types.h"
#include "hv/sched.h"
#include "hv/tlfs.h"
#include "hv/page_pool.h"
#include "hv/frame.h"
#include "arch/x86/gpa_map.h"
#include "hv/port.h"

#define HV_MAX_PARTITIONS 64
#define HV_MAX_VPS_PER_PARTITION 64
#define HV_MAX_INSTALLED_INTERCEPTS 16

enum partition_state {
	PARTITION_CREATED,
	PARTITION_INITIALIZED,
	PARTITION_FINALIZED,
	PARTITION_TERMINATED,
};

struct vp;

struct partition {
	struct sched_partition sched; /* weight, cap, reserve, CPU group */
	HV_PARTITION_ID id;
	u32 slot;                  /* index in the partition table */
	enum partition_state state;
	struct partition *parent;  /* NULL for the root */
	u64 privileges;            /* HV_PARTITION_PRIVILEGE_MASK */
	struct page_pool pool;     /* deposited memory */
	struct gpa_map gpa_map;
	u64 guest_os_id;
	u64 hypercall_msr;
	u64 crash_params[5];       /* HV_X64_MSR_CRASH_P0-P4 */
	/* HvCallInstallIntercept: CPUID leaves and MSRs the parent handles itself. */
	u32 cpuid_intercepts[HV_MAX_INSTALLED_INTERCEPTS];
	u32 msr_intercepts[HV_MAX_INSTALLED_INTERCEPTS];
	u8 msr_intercept_access[HV_MAX_INSTALLED_INTERCEPTS];
	u8 cpuid_intercept_count;
	u8 msr_intercept_count;
	/*
	 * Exception vectors (bit n = vector n) the parent handles: the backend
	 * intercepts them from a child VP's next entry on.
	 */
	u32 exception_intercepts;
	s64 reftime_offset;        /* reference time = scaled TSC + offset (timers.md) */
	u64 reference_tsc_msr;
	struct vp *vps[HV_MAX_VPS_PER_PARTITION];
	struct port *ports[HV_MAX_PORTS];           /* ports this partition receives on */
	struct connection connections[HV_MAX_CONNECTIONS]; /* connections it sends through */
};

extern struct partition *root_partition;
extern struct frame_table frames;

/* Builds the root partition: identity GPA map without the hypervisor's region. */
int partition_create_root(u64 phys_limit, u64 hv_base, u64 hv_size);

struct partition *partition_create(struct partition *parent, HV_STATUS *status);
HV_STATUS partition_initialize(struct partition *p);
HV_STATUS partition_finalize(struct partition *p);
/* Frees everything; deposited pages go back to the root. */
void partition_delete(struct partition *p);
/* True once no VP of @p runs or can be scheduled again; false while one still runs. */
bool partition_stop_vps(struct partition *p);
/* A child of @parent by id (not SELF), or NULL. */
struct partition *partition_child(struct partition *parent, HV_PARTITION_ID id);
/* The child of @parent with the smallest id above @previous; HV_PARTITION_ID_INVALID at the end. */
HV_PARTITION_ID partition_next_child(struct partition *parent, HV_PARTITION_ID previous);
u64 partition_child_privileges(void);
/* Any live partition by id (ports name their partition by id). */
struct partition *partition_by_id(HV_PARTITION_ID id);
/* @id resolved from @caller's view: SELF or its own id is itself, else a child. */
struct partition *partition_lookup(struct partition *caller, HV_PARTITION_ID id);
void partition_terminate(struct partition *p, const char *why);

/* Memory pool. */
HV_STATUS partition_deposit(struct partition *p, u64 gpa_page);
u64 partition_withdraw(struct partition *p);
u64 partition_alloc_page(void *partition);
void partition_free_page(void *partition, u64 pa);

/* Maps one page of the parent's into child @p, checking the parent owns it. */
HV_STATUS partition_map_gpa(struct partition *p, u64 gpa, u64 parent_gpa, u32 access);
HV_STATUS partition_unmap_gpa(struct partition *p, u64 gpa);

/* Big lock serialising partition and VP lifecycle changes. */
void partitions_lock(void);
void partitions_unlock(void);

#endif
