/*
 * An HV_INITIAL_VP_CONTEXT (HvCallStartVirtualProcessor) loaded into a VP:
 * checked as a whole the way every x86 processor checks such a state, then
 * written register by register through the backend, all or nothing.
 */
#ifndef ARCH_X86_VP_CONTEXT_H
#define ARCH_X86_VP_CONTEXT_H

#include "hv/tlfs.h"

struct vp;

/* HV_STATUS_INVALID_REGISTER_VALUE (and @vp unchanged) if no processor could be in state @c. */
HV_STATUS vp_context_load(struct vp *vp, const HV_INITIAL_VP_CONTEXT *c);

#endif
