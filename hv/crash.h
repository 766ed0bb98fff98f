/* The guest crash MSRs (partition-properties.md, "Partition Crash Enlightenment"). */
#ifndef HV_CRASH_H
#define HV_CRASH_H

#include "hv/types.h"

struct vp;

bool crash_owns_msr(u32 msr);
bool crash_msr_read(struct vp *vp, u32 msr, u64 *value);
bool crash_msr_write(struct vp *vp, u32 msr, u64 value);

#endif
