/*
 * Interrupts into VPs. A child VP has a virtual local APIC (hv/vlapic.c);
 * the root keeps the physical APIC, so the few synthetic interrupts it
 * receives (SynIC) are injected directly and are auto-EOI by construction.
 */
#ifndef HV_VP_INTERRUPT_H
#define HV_VP_INTERRUPT_H

#include "hv/types.h"

struct vp;

void vp_interrupt_init(struct vp *vp);
/* A SINT (or other fixed) interrupt for @vp; @auto_eoi: no ISR bit, no EOI expected. */
void vp_raise_interrupt(struct vp *vp, u8 vector, bool auto_eoi);
/* Before each run: expire timers, inject the highest deliverable vector or ask for a window. */
void vp_prepare_entry(struct vp *vp);
/* Does @vp have an interrupt it could take, interrupts enabled (so HLT need not stop it)? */
bool vp_interrupt_pending(struct vp *vp);
/* APIC MSRs of a child VP; false: #GP. */
bool vp_apic_msr_read(struct vp *vp, u32 msr, u64 *value);
bool vp_apic_msr_write(struct vp *vp, u32 msr, u64 value);
bool vp_owns_apic_msr(const struct vp *vp, u32 msr);
/* The VP assist page moves or goes: an EOI it still owes is settled now. */
void vp_eoi_assist_settle(struct vp *vp);

#endif
