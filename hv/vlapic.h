/*
 * A software local APIC for a virtual processor, in x2APIC mode (Intel SDM
 * vol. 3A chapter 11, esp. 11.12; AMD APM vol. 2 chapter 16), with the
 * Hyper-V APIC MSR aliases (TLFS virtual-interrupts.md, "Local APIC MSR
 * Accesses"). Pure logic: the caller routes IPIs, injects what
 * vlapic_pending() returns and runs the timer; nothing here touches hardware.
 *
 * xAPIC mode exists architecturally (it is the reset state) but its MMIO
 * page is not emulated: a guest programs this APIC only after switching it
 * to x2APIC mode through IA32_APIC_BASE.
 *
 * Time: the caller passes its monotonic clock in ns. The timer's input
 * clock is VLAPIC_BUS_HZ before the divider. The TSC-deadline timer works
 * in guest TSC units, so MSR accesses also take the guest TSC at the same
 * instant (struct vlapic_clock) and the guest TSC frequency is fixed at
 * reset; deadlines are converted to ns once, when written.
 *
 * After every call that changes state, the caller re-reads
 * vlapic_pending() and vlapic_timer_next().
 */
#ifndef HV_VLAPIC_H
#define HV_VLAPIC_H

#include "hv/types.h"

#define VLAPIC_BUS_HZ 1000000000ULL	/* timer input clock: 1 tick per ns at divide-by-1 */
#define VLAPIC_TIMER_NONE UINT64_MAX	/* vlapic_timer_next(): nothing armed */

#define VLAPIC_MSR_APIC_BASE 0x1b		/* IA32_APIC_BASE */
#define VLAPIC_MSR_TSC_DEADLINE 0x6e0		/* IA32_TSC_DEADLINE */
#define VLAPIC_MSR_X2APIC_FIRST 0x800		/* SDM 11.12.1.2: 800H-BFFH belong to the x2APIC */
#define VLAPIC_MSR_X2APIC_LAST 0xbff
#define VLAPIC_MSR_HV_EOI 0x40000070		/* HV_X64_MSR_EOI */
#define VLAPIC_MSR_HV_ICR 0x40000071		/* HV_X64_MSR_ICR */
#define VLAPIC_MSR_HV_TPR 0x40000072		/* HV_X64_MSR_TPR */

/* ICR delivery modes (SDM 11.6.1, 11.12.9). */
enum vlapic_delivery {
	VLAPIC_DM_FIXED = 0,
	VLAPIC_DM_LOWEST = 1,
	VLAPIC_DM_SMI = 2,
	VLAPIC_DM_NMI = 4,
	VLAPIC_DM_INIT = 5,
	VLAPIC_DM_SIPI = 6,
};

/* ICR destination shorthands. */
enum vlapic_shorthand {
	VLAPIC_DEST_FIELD = 0,		/* no shorthand: use dest and logical */
	VLAPIC_DEST_SELF = 1,
	VLAPIC_DEST_ALL = 2,		/* all including self */
	VLAPIC_DEST_OTHERS = 3,		/* all excluding self */
};

/* An IPI the guest sent through the ICR, for the caller to route. */
struct vlapic_ipi {
	u32 dest;			/* x2APIC ID, or cluster:bitmap when logical */
	u8 vector;			/* SIPI: the start page number */
	u8 mode;			/* enum vlapic_delivery */
	u8 shorthand;			/* enum vlapic_shorthand */
	bool logical;
};

/* What an MSR write asks of the caller beyond the vlapic's own state. */
struct vlapic_effects {
	bool send_ipi;			/* ipi is a message to deliver */
	struct vlapic_ipi ipi;
	bool level_eoi;			/* a level-triggered vector was EOIed: tell its source */
	u8 eoi_vector;
};

/* One instant as the caller's clock and the guest's TSC see it. */
struct vlapic_clock {
	u64 ns;
	u64 tsc;
};

enum vlapic_lvt {
	VLAPIC_LVT_TIMER,		/* MSRs 832H-837H in order */
	VLAPIC_LVT_THERMAL,
	VLAPIC_LVT_PERF,
	VLAPIC_LVT_LINT0,
	VLAPIC_LVT_LINT1,
	VLAPIC_LVT_ERROR,
	VLAPIC_LVT_CMCI,		/* MSR 82FH */
	VLAPIC_LVT_COUNT,
};

struct vlapic {
	/* Fixed at reset. */
	u32 id;				/* x2APIC ID = VP index */
	u64 tsc_hz;			/* guest TSC frequency, for TSC-deadline */
	u8 phys_addr_bits;		/* MAXPHYADDR, for IA32_APIC_BASE */

	u64 apic_base;			/* IA32_APIC_BASE */
	bool wait_for_sipi;		/* after INIT on an AP: runs only after a SIPI */

	u32 tpr, svr, esr, esr_pending;
	u32 lvt[VLAPIC_LVT_COUNT];
	u64 icr;
	u64 irr[4], isr[4], tmr[4];	/* 256-bit, vector n = bit n % 64 of word n / 64 */

	/* Timer (SDM 11.5.4). */
	u32 initial_count;
	u32 divide_config;
	u64 ref_ns;			/* the counter read ref_count at ref_ns */
	u32 ref_count;
	u64 next_ns;			/* next expiry, VLAPIC_TIMER_NONE if none */
	u64 tsc_deadline;		/* IA32_TSC_DEADLINE, 0 = disarmed */
};

/*
 * Power-on reset: xAPIC mode at 0xFEE00000, the BSP flag for the BSP, x2APIC
 * ID = vp_index. The VP is left runnable: a child VP starts when its parent
 * dispatches it, not on a SIPI. tsc_hz (guest TSC frequency) must be
 * between 1 and 10^10; phys_addr_bits is MAXPHYADDR (at most 52).
 */
void vlapic_reset(struct vlapic *a, u32 vp_index, bool bsp, u64 tsc_hz, u8 phys_addr_bits);
/* INIT (SDM 11.4.7.3, 11.12.5.1): registers reset, ID and mode kept; APs wait for SIPI. */
void vlapic_init(struct vlapic *a);
/* A SIPI arrived: true when the VP was waiting for one; the caller then
 * starts it in real mode at CS = vector << 8, IP = 0. */
bool vlapic_sipi(struct vlapic *a);

/* IA32_APIC_BASE, IA32_TSC_DEADLINE, 800H-BFFH and the Hyper-V aliases. */
bool vlapic_owns_msr(u32 msr);
/* false: the guest gets #GP(0). */
bool vlapic_msr_read(struct vlapic *a, u32 msr, u64 *value, struct vlapic_clock now);
bool vlapic_msr_write(struct vlapic *a, u32 msr, u64 value, struct vlapic_clock now,
		      struct vlapic_effects *out);

bool vlapic_enabled(const struct vlapic *a);	/* IA32_APIC_BASE.EN */
bool vlapic_x2apic_mode(const struct vlapic *a);
u8 vlapic_tpr(const struct vlapic *a);
void vlapic_set_tpr(struct vlapic *a, u8 tpr);	/* also how CR8 writes arrive (TPR = CR8 << 4) */
u8 vlapic_ppr(const struct vlapic *a);		/* also for lowest-priority arbitration */

/* A fixed interrupt arrives; false when refused (disabled APIC, vector 0-15). */
bool vlapic_accept(struct vlapic *a, u8 vector, bool level);
/* The vector to inject now, or -1. */
int vlapic_pending(const struct vlapic *a);
/* The CPU took vector: IRR -> ISR. */
void vlapic_ack(struct vlapic *a, u8 vector);
/* An EOI the guest did not write (the TLFS EOI assist): the highest in-service vector retires. */
void vlapic_eoi(struct vlapic *a);
/* Edge-triggered, the only vector in service, nothing else requested: its EOI may wait. */
bool vlapic_eoi_skippable(const struct vlapic *a, u8 vector);
/* Same for an auto-EOI SINT (TLFS inter-partition-communication.md): ISR untouched. */
void vlapic_ack_auto_eoi(struct vlapic *a, u8 vector);
/* Does a message for dest (physical or logical, x2APIC format) reach this APIC? */
bool vlapic_match_destination(const struct vlapic *a, u32 dest, bool logical);

/* Absolute ns of the next timer expiry, VLAPIC_TIMER_NONE if none. */
u64 vlapic_timer_next(const struct vlapic *a);
/* Raises the LVT timer vector if the timer is due at now_ns; rearms periodic. */
void vlapic_timer_expire(struct vlapic *a, u64 now_ns);

#endif
