#ifndef HV_MSR_H
#define HV_MSR_H

#include "hv/types.h"

struct vp;

/* false: the access raises #GP in the guest. */
bool msr_read(struct vp *vp, u32 index, u64 *value);
bool msr_write(struct vp *vp, u32 index, u64 value);

#endif
