/*
 * Partition reference time (timers.md, "Reference Counter"): 100 ns units
 * since the partition was created, readable through HV_X64_MSR_TIME_REF_COUNT
 * and, without an exit, through the reference TSC page.
 */
#ifndef HV_REFTIME_H
#define HV_REFTIME_H

#include "hv/types.h"

struct partition;
struct vp;

/* Once, after the TSC frequency is known. */
void reftime_init(u64 tsc_hz);
void reftime_partition_init(struct partition *p);
u64 reftime_now(const struct partition *p);
/* Reference time of a TSC value, then back: the TSC at which @p reaches @ref. */
u64 reftime_to_tsc(const struct partition *p, u64 ref);

bool reftime_msr_read(struct vp *vp, u32 msr, u64 *value);
bool reftime_msr_write(struct vp *vp, u32 msr, u64 value);
bool reftime_owns_msr(u32 msr);

#endif
