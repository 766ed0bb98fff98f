/*
 * The VP assist page (vp-properties.md, "Virtual Processor Assist Page"):
 * HV_X64_MSR_VP_ASSIST_PAGE for VPs with the APIC access MSRs
 * (AccessIntrCtrlRegs, which CPUID 0x40000003 advertises as the APIC MSRs
 * and this page together).
 */
#ifndef HV_VP_ASSIST_H
#define HV_VP_ASSIST_H

#include "hv/types.h"

struct vp;

bool vp_assist_owns_msr(u32 msr);
bool vp_assist_msr_read(struct vp *vp, u64 *value);
bool vp_assist_msr_write(struct vp *vp, u64 value);
/* The EOI assist field (offset 0) of an enabled page, NULL without one. */
u32 *vp_assist_eoi_field(struct vp *vp);

#endif
