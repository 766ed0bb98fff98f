/*
 * The physical local APIC, as the hypervisor uses it on LPs it owns alone
 * (minroot: LPs without a root VP): a one-shot timer for time slices and
 * IPIs that kick an LP into its scheduler. On LPs the root shares the APIC
 * stays the root's; the hypervisor only ever sends kick IPIs from there.
 */
#ifndef ARCH_X86_APIC_H
#define ARCH_X86_APIC_H

#include "hv/types.h"

/* Host vectors: the top class, above anything the LPs it owns could carry. */
#define APIC_VECTOR_KICK 0xf2
#define APIC_VECTOR_TIMER 0xf3
#define APIC_VECTOR_SPURIOUS 0xff

/*
 * Takes this LP's APIC: software-enabled, timer one-shot on
 * APIC_VECTOR_TIMER and stopped. The first call measures the timer's rate.
 */
void apic_lp_take(u64 tsc_hz);
/* Fires APIC_VECTOR_TIMER once, @tsc_ticks from now (0: stop). */
void apic_timer_arm(u64 tsc_ticks);
void apic_eoi(void);
void apic_send_ipi(u32 apic_id, u8 vector);

#endif
