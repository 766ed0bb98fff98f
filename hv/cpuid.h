#ifndef HV_CPUID_H
#define HV_CPUID_H

#include "hv/types.h"

struct vp;
struct cpuid_regs;

/* What a partition sees for a CPUID leaf (feature-discovery.md). */
void cpuid_partition_view(const struct vp *vp, u32 leaf, u32 subleaf, struct cpuid_regs *r);
void cpuid_exit(struct vp *vp, u32 leaf, u32 subleaf);

#endif
