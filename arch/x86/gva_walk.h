/*
 * Walking a VP's own page tables, for HvCallTranslateVirtualAddress
 * (x86-64 4-level paging and paging off; legacy and PAE paging are refused).
 */
#ifndef ARCH_X86_GVA_WALK_H
#define ARCH_X86_GVA_WALK_H

#include "hv/types.h"
#include "hv/tlfs.h"

struct vp;

/* An HvTranslateGva* result code; *gpa set on success. HV_STATUS_INVALID_VP_STATE in *status for unsupported modes. */
u32 gva_translate(struct vp *vp, u64 gva, u64 flags, u64 *gpa, HV_STATUS *status);

#endif
