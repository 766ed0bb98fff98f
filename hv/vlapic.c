/*
 * Software local x2APIC (Intel SDM vol. 3A chapter 11; AMD APM vol. 2
 * chapter 16). Register semantics follow SDM 11.12 and its table 11-6; the
 * x2APIC's rule that a WRMSR setting a reserved bit raises #GP(0) (SDM
 * 11.12.1.3) is applied everywhere, including the reserved encodings of the
 * ICR delivery mode and the timer mode, which the vlapic could give no
 * meaning to.
 */
#include "hv/vlapic.h"
#include "hv/lib/string.h"

#define NS_PER_SEC 1000000000ULL
_Static_assert(NS_PER_SEC % VLAPIC_BUS_HZ == 0, "a bus tick is a whole number of ns");

/* IA32_APIC_BASE (SDM 11.4.4, 11.12.1). */
#define APIC_BASE_BSP BIT(8)
#define APIC_BASE_EXTD BIT(10)
#define APIC_BASE_EN BIT(11)
#define APIC_BASE_DEFAULT 0xfee00000ULL

enum apic_mode { MODE_DISABLED, MODE_INVALID, MODE_XAPIC, MODE_X2APIC };

/* Version 14H, highest LVT entry 6 (CMCI), no EOI-broadcast suppression (SDM 11.4.8). */
#define APIC_VERSION 0x00060014u

/* x2APIC registers: MSR 800H + (xAPIC offset >> 4) (SDM table 11-6). */
enum {
	REG_ID = 0x02,
	REG_VERSION = 0x03,
	REG_TPR = 0x08,
	REG_PPR = 0x0a,
	REG_EOI = 0x0b,
	REG_LDR = 0x0d,
	REG_SVR = 0x0f,
	REG_ISR = 0x10,			/* 8 registers each */
	REG_TMR = 0x18,
	REG_IRR = 0x20,
	REG_ESR = 0x28,
	REG_LVT_CMCI = 0x2f,
	REG_ICR = 0x30,
	REG_LVT_TIMER = 0x32,		/* through REG_LVT_ERROR, in enum vlapic_lvt order */
	REG_LVT_ERROR = 0x37,
	REG_TIMER_INITIAL = 0x38,
	REG_TIMER_CURRENT = 0x39,
	REG_TIMER_DIVIDE = 0x3e,
	REG_SELF_IPI = 0x3f,
};

/* Spurious-interrupt vector register (SDM 11.9): vector, APIC software
 * enable, focus processor checking. EOI-broadcast suppression (bit 12) is
 * reserved because the version register does not offer it. */
#define SVR_ENABLE BIT(8)
#define SVR_WRITABLE 0x3ffu

/* LVT entries (SDM figure 11-8): the bits each one defines. Delivery
 * status (12) and remote IRR (14, LINT only) are read-only: writes ignore
 * them, and they read 0 because delivery here is immediate and no
 * level-triggered LINT input exists. */
#define LVT_MASKED BIT(16)
#define LVT_READ_ONLY (BIT(12) | BIT(14))
#define LVT_TIMER_MODE(lvt) (((lvt) >> 17) & 3)
enum { TIMER_ONESHOT, TIMER_PERIODIC, TIMER_TSC_DEADLINE, TIMER_RESERVED };

static const u32 lvt_defined[VLAPIC_LVT_COUNT] = {
	[VLAPIC_LVT_TIMER] = 0xff | BIT(12) | LVT_MASKED | (3u << 17),
	[VLAPIC_LVT_THERMAL] = 0x7ff | BIT(12) | LVT_MASKED,
	[VLAPIC_LVT_PERF] = 0x7ff | BIT(12) | LVT_MASKED,
	[VLAPIC_LVT_LINT0] = 0x7ff | 0xf000 | LVT_MASKED,
	[VLAPIC_LVT_LINT1] = 0x7ff | 0xf000 | LVT_MASKED,
	[VLAPIC_LVT_ERROR] = 0xff | BIT(12) | LVT_MASKED,
	[VLAPIC_LVT_CMCI] = 0x7ff | BIT(12) | LVT_MASKED,
};

/* Error status register bits (SDM 11.5.3). */
#define ESR_SEND_ILLEGAL BIT(5)
#define ESR_RECV_ILLEGAL BIT(6)

/* x2APIC ICR (SDM 11.12.9). Delivery status (bit 12) is ignored on write. */
#define ICR_MODE(icr) (((icr) >> 8) & 7)
#define ICR_LOGICAL BIT(11)
#define ICR_DELIVERY_STATUS BIT(12)
#define ICR_ASSERT BIT(14)
#define ICR_LEVEL BIT(15)
#define ICR_SHORTHAND(icr) (((icr) >> 18) & 3)
#define ICR_RESERVED (0xfff00000ULL | BIT(17) | BIT(16) | BIT(13))

/* Timer divide configuration: bits 0, 1 and 3 (SDM figure 11-10). */
#define DIVIDE_WRITABLE 0xbu

/* --- 256-bit vector registers ------------------------------------------- */

static bool vec_test(const u64 *bm, unsigned v)
{
	return bm[v / 64] & BIT(v % 64);
}

static void vec_set(u64 *bm, unsigned v)
{
	bm[v / 64] |= BIT(v % 64);
}

static void vec_clear(u64 *bm, unsigned v)
{
	bm[v / 64] &= ~BIT(v % 64);
}

static int vec_highest(const u64 *bm)
{
	for (int i = 3; i >= 0; i--)
		if (bm[i])
			return i * 64 + 63 - __builtin_clzll(bm[i]);
	return -1;
}

/* The i-th 32-bit register of ISR, TMR or IRR. */
static u32 vec_word(const u64 *bm, unsigned i)
{
	return (u32)(bm[i / 2] >> (32 * (i % 2)));
}

/* --- state --------------------------------------------------------------- */

static enum apic_mode base_mode(u64 apic_base)
{
	return (enum apic_mode)((apic_base >> 10) & 3);
}

bool vlapic_enabled(const struct vlapic *a)
{
	return a->apic_base & APIC_BASE_EN;
}

bool vlapic_x2apic_mode(const struct vlapic *a)
{
	return base_mode(a->apic_base) == MODE_X2APIC;
}

/* Register state after RESET or INIT (SDM 11.4.7.1, 11.12.5.1). */
static void reset_registers(struct vlapic *a)
{
	a->tpr = 0;
	a->svr = 0xff;
	a->esr = 0;
	a->esr_pending = 0;
	for (int i = 0; i < VLAPIC_LVT_COUNT; i++)
		a->lvt[i] = LVT_MASKED;
	a->icr = 0;
	memset(a->irr, 0, sizeof(a->irr));
	memset(a->isr, 0, sizeof(a->isr));
	memset(a->tmr, 0, sizeof(a->tmr));
	a->initial_count = 0;
	a->divide_config = 0;
	a->ref_ns = 0;
	a->ref_count = 0;
	a->next_ns = VLAPIC_TIMER_NONE;
	a->tsc_deadline = 0;
}

void vlapic_reset(struct vlapic *a, u32 vp_index, bool bsp, u64 tsc_hz, u8 phys_addr_bits)
{
	memset(a, 0, sizeof(*a));
	a->id = vp_index;
	a->tsc_hz = tsc_hz;
	a->phys_addr_bits = phys_addr_bits;
	a->apic_base = APIC_BASE_DEFAULT | APIC_BASE_EN | (bsp ? APIC_BASE_BSP : 0);
	reset_registers(a);
}

/*
 * INIT keeps the APIC ID and IA32_APIC_BASE, so the mode too (SDM 11.12.5.1);
 * the BSP restarts at the reset vector, an AP waits for a SIPI (SDM 9.4).
 */
void vlapic_init(struct vlapic *a)
{
	reset_registers(a);
	a->wait_for_sipi = !(a->apic_base & APIC_BASE_BSP);
}

/* Only a VP waiting for a SIPI acts on one (SDM 9.4, MP initialization). */
bool vlapic_sipi(struct vlapic *a)
{
	if (!a->wait_for_sipi)
		return false;
	a->wait_for_sipi = false;
	return true;
}

u8 vlapic_tpr(const struct vlapic *a)
{
	return (u8)a->tpr;
}

void vlapic_set_tpr(struct vlapic *a, u8 tpr)
{
	a->tpr = tpr;
}

/* SDM 11.8.3.1: the TPR, unless the highest in-service class is higher. */
u8 vlapic_ppr(const struct vlapic *a)
{
	int isrv = vec_highest(a->isr);

	if (isrv < 0 || (a->tpr & 0xf0) >= ((unsigned)isrv & 0xf0))
		return (u8)a->tpr;
	return (u8)(isrv & 0xf0);
}

/* Logical x2APIC ID (SDM 11.12.10.2): cluster in 31:16, one bit of 15:0. */
static u32 ldr(const struct vlapic *a)
{
	return (a->id >> 4) << 16 | 1u << (a->id & 0xf);
}

/* --- interrupt acceptance and delivery ----------------------------------- */

static void set_irr(struct vlapic *a, u8 vector, bool level)
{
	vec_set(a->irr, vector);
	if (level)
		vec_set(a->tmr, vector);
	else
		vec_clear(a->tmr, vector);
}

static void apic_error(struct vlapic *a, u32 bit);

/*
 * A locally generated interrupt (timer, error): fixed, edge. An illegal
 * vector is not delivered but logged (SDM 11.5.3).
 */
static void raise_lvt(struct vlapic *a, enum vlapic_lvt i)
{
	u32 lvt = a->lvt[i];

	if (lvt & LVT_MASKED)
		return;
	if ((lvt & 0xff) < 16)
		apic_error(a, ESR_RECV_ILLEGAL);
	else
		set_irr(a, lvt & 0xff, false);
}

/*
 * Logs an error and signals it through the LVT error entry once per newly
 * set bit, so an illegal LVT error vector ends after one more pass.
 */
static void apic_error(struct vlapic *a, u32 bit)
{
	if (a->esr_pending & bit)
		return;
	a->esr_pending |= bit;
	raise_lvt(a, VLAPIC_LVT_ERROR);
}

bool vlapic_accept(struct vlapic *a, u8 vector, bool level)
{
	/* A software-disabled APIC takes only NMI, SMI, INIT and SIPI
	 * (SDM 11.4.7.2), which the caller delivers itself. */
	if (!vlapic_enabled(a) || !(a->svr & SVR_ENABLE))
		return false;
	if (vector < 16) {
		apic_error(a, ESR_RECV_ILLEGAL);
		return false;
	}
	set_irr(a, vector, level);
	return true;
}

/* Interrupts already in the IRR stay deliverable after a software disable
 * (SDM 11.4.7.2: "held"); a hardware disable empties the IRR. */
int vlapic_pending(const struct vlapic *a)
{
	int v;

	/* The common case before every entry: nothing requested. */
	if (!(a->irr[0] | a->irr[1] | a->irr[2] | a->irr[3]))
		return -1;
	v = vec_highest(a->irr);

	if (v < 0 || ((unsigned)v & 0xf0) <= (vlapic_ppr(a) & 0xf0))
		return -1;
	return v;
}

void vlapic_ack(struct vlapic *a, u8 vector)
{
	vec_clear(a->irr, vector);
	vec_set(a->isr, vector);
}

void vlapic_ack_auto_eoi(struct vlapic *a, u8 vector)
{
	vec_clear(a->irr, vector);
}

/* EOI retires the highest in-service vector (SDM 11.8.5). */
static void eoi(struct vlapic *a, struct vlapic_effects *out)
{
	int v = vec_highest(a->isr);

	if (v < 0)
		return;
	vec_clear(a->isr, v);
	if (vec_test(a->tmr, v)) {
		out->level_eoi = true;
		out->eoi_vector = (u8)v;
	}
}

void vlapic_eoi(struct vlapic *a)
{
	struct vlapic_effects ignored = { 0 };

	eoi(a, &ignored);
}

bool vlapic_eoi_skippable(const struct vlapic *a, u8 vector)
{
	unsigned i;

	if (vec_test(a->tmr, vector))
		return false;
	for (i = 0; i < 4; i++)
		if (a->irr[i] || a->isr[i] != (i == vector / 64u ? BIT(vector % 64) : 0))
			return false;
	return true;
}

bool vlapic_match_destination(const struct vlapic *a, u32 dest, bool logical)
{
	if (!vlapic_enabled(a))
		return false;
	/* FFFF_FFFFH is a broadcast in both modes (SDM 11.12.9). */
	if (dest == 0xffffffffu)
		return true;
	if (!logical)
		return dest == a->id;
	/* In xAPIC mode the LDR stays 0 (it is written only through MMIO,
	 * which is not emulated), so no logical destination names it. */
	if (!vlapic_x2apic_mode(a))
		return false;
	return (dest >> 16) == (ldr(a) >> 16) && (dest & ldr(a) & 0xffff);
}

/* --- timer (SDM 11.5.4) --------------------------------------------------- */

static u64 tick_ns(const struct vlapic *a)
{
	u32 v = (a->divide_config & 3) | ((a->divide_config >> 1) & 4);
	u64 divisor = v == 7 ? 1 : 2u << v;

	return divisor * (NS_PER_SEC / VLAPIC_BUS_HZ);
}

static unsigned timer_mode(const struct vlapic *a)
{
	return LVT_TIMER_MODE(a->lvt[VLAPIC_LVT_TIMER]);
}

/* The counter read ref_count at ref_ns, counts down to 0 and, when
 * periodic, reloads initial_count. */
static u32 current_count(const struct vlapic *a, u64 now_ns)
{
	u64 ticks;

	if (timer_mode(a) == TIMER_TSC_DEADLINE || !a->ref_count)
		return 0;
	ticks = now_ns > a->ref_ns ? (now_ns - a->ref_ns) / tick_ns(a) : 0;
	if (ticks < a->ref_count)
		return (u32)(a->ref_count - ticks);
	if (timer_mode(a) != TIMER_PERIODIC)
		return 0;
	return a->initial_count - (u32)((ticks - a->ref_count) % a->initial_count);
}

/* Counts down from count at now_ns (count 0: stopped). */
static void timer_restart(struct vlapic *a, u64 now_ns, u32 count)
{
	a->ref_ns = now_ns;
	a->ref_count = count;
	a->next_ns = count ? now_ns + count * tick_ns(a) : VLAPIC_TIMER_NONE;
}

/* A masked timer keeps counting but nothing observes its expiry until the
 * next register access, which runs vlapic_timer_expire() first. */
u64 vlapic_timer_next(const struct vlapic *a)
{
	if (a->lvt[VLAPIC_LVT_TIMER] & LVT_MASKED)
		return VLAPIC_TIMER_NONE;
	return a->next_ns;
}

void vlapic_timer_expire(struct vlapic *a, u64 now_ns)
{
	u64 period;

	if (a->next_ns == VLAPIC_TIMER_NONE || now_ns < a->next_ns)
		return;
	raise_lvt(a, VLAPIC_LVT_TIMER);
	switch (timer_mode(a)) {
	case TIMER_PERIODIC:
		/* Periods missed by a late caller coalesce, as they would in the IRR. */
		period = a->initial_count * tick_ns(a);
		a->next_ns += ((now_ns - a->next_ns) / period + 1) * period;
		break;
	case TIMER_TSC_DEADLINE:
		a->tsc_deadline = 0;	/* the timer disarms itself (SDM 11.5.4.1) */
		a->next_ns = VLAPIC_TIMER_NONE;
		break;
	default:
		a->next_ns = VLAPIC_TIMER_NONE;
	}
}

/* ceil(ticks / tsc_hz seconds) in ns, saturating: never early. */
static u64 tsc_to_ns(u64 ticks, u64 tsc_hz)
{
	u64 q = ticks / tsc_hz, r = ticks % tsc_hz;

	if (q >= UINT64_MAX / NS_PER_SEC)
		return UINT64_MAX;
	return q * NS_PER_SEC + (r * NS_PER_SEC + tsc_hz - 1) / tsc_hz;
}

/* IA32_TSC_DEADLINE is ignored outside TSC-deadline mode; 0 disarms; a
 * deadline already passed fires at once (SDM 11.5.4.1). */
static void write_tsc_deadline(struct vlapic *a, u64 value, struct vlapic_clock now)
{
	u64 delta;

	if (timer_mode(a) != TIMER_TSC_DEADLINE)
		return;
	a->tsc_deadline = value;
	if (!value) {
		a->next_ns = VLAPIC_TIMER_NONE;
		return;
	}
	delta = value > now.tsc ? tsc_to_ns(value - now.tsc, a->tsc_hz) : 0;
	a->next_ns = delta > UINT64_MAX - 1 - now.ns ? UINT64_MAX - 1 : now.ns + delta;
}

static void write_lvt_timer(struct vlapic *a, u32 value, u64 now_ns)
{
	unsigned old = timer_mode(a), new = LVT_TIMER_MODE(value);
	u32 count = current_count(a, now_ns);

	a->lvt[VLAPIC_LVT_TIMER] = value;
	if (old == new)
		return;
	if (old == TIMER_TSC_DEADLINE || new == TIMER_TSC_DEADLINE) {
		/* Moving into or out of TSC-deadline mode disarms (SDM 11.5.4.1). */
		a->initial_count = 0;
		a->tsc_deadline = 0;
		count = 0;
	}
	/* One-shot <-> periodic: the count goes on; only the reload changes. */
	timer_restart(a, now_ns, count);
}

static void write_divide(struct vlapic *a, u32 value, u64 now_ns)
{
	u32 count = current_count(a, now_ns);

	a->divide_config = value;
	if (timer_mode(a) != TIMER_TSC_DEADLINE)
		timer_restart(a, now_ns, count);
}

/* --- register access ------------------------------------------------------ */

/* Software disable sets every LVT mask, and they stay set (SDM 11.4.7.2). */
static bool write_svr(struct vlapic *a, u32 value)
{
	if (value & ~SVR_WRITABLE)
		return false;
	a->svr = value;
	if (!(value & SVR_ENABLE))
		for (int i = 0; i < VLAPIC_LVT_COUNT; i++)
			a->lvt[i] |= LVT_MASKED;
	return true;
}

static bool write_lvt(struct vlapic *a, enum vlapic_lvt i, u32 value, u64 now_ns)
{
	if (value & ~lvt_defined[i])
		return false;
	value &= ~LVT_READ_ONLY;
	if (!(a->svr & SVR_ENABLE))
		value |= LVT_MASKED;
	if (i != VLAPIC_LVT_TIMER) {
		a->lvt[i] = value;
		return true;
	}
	if (LVT_TIMER_MODE(value) == TIMER_RESERVED)
		return false;
	write_lvt_timer(a, value, now_ns);
	return true;
}

/*
 * ICR write: the IPI goes to the caller, shorthand self included. A
 * level-triggered de-assert (INIT level de-assert) sends nothing, as on
 * Pentium 4 and later (SDM 11.6.1, valid ICR combinations); a fixed or
 * lowest-priority IPI with vector 0-15 is dropped and logged (SDM 11.5.3).
 */
static bool write_icr(struct vlapic *a, u64 value, struct vlapic_effects *out)
{
	unsigned mode = ICR_MODE(value);
	u8 vector = value & 0xff;

	if ((value & ICR_RESERVED) || mode == 3 || mode == 7)
		return false;
	a->icr = value & ~ICR_DELIVERY_STATUS;
	if ((value & ICR_LEVEL) && !(value & ICR_ASSERT))
		return true;
	if ((mode == VLAPIC_DM_FIXED || mode == VLAPIC_DM_LOWEST) && vector < 16) {
		apic_error(a, ESR_SEND_ILLEGAL);
		return true;
	}
	out->send_ipi = true;
	out->ipi.dest = (u32)(value >> 32);
	out->ipi.vector = vector;
	out->ipi.mode = (u8)mode;
	out->ipi.shorthand = (u8)ICR_SHORTHAND(value);
	out->ipi.logical = value & ICR_LOGICAL;
	return true;
}

/* SELF IPI: a fixed, edge interrupt straight into this APIC's IRR. */
static bool write_self_ipi(struct vlapic *a, u32 value)
{
	if (value & ~0xffu)
		return false;
	if (value < 16)
		apic_error(a, ESR_SEND_ILLEGAL);
	else
		vlapic_accept(a, (u8)value, false);
	return true;
}

/* Write-only registers (EOI, SELF IPI) and reserved ones fault (table 11-6). */
static bool read_reg(struct vlapic *a, unsigned reg, u64 *value, u64 now_ns)
{
	if (reg >= REG_ISR && reg < REG_ISR + 8) {
		*value = vec_word(a->isr, reg - REG_ISR);
		return true;
	}
	if (reg >= REG_TMR && reg < REG_TMR + 8) {
		*value = vec_word(a->tmr, reg - REG_TMR);
		return true;
	}
	if (reg >= REG_IRR && reg < REG_IRR + 8) {
		*value = vec_word(a->irr, reg - REG_IRR);
		return true;
	}
	if (reg >= REG_LVT_TIMER && reg <= REG_LVT_ERROR) {
		*value = a->lvt[reg - REG_LVT_TIMER];
		return true;
	}
	switch (reg) {
	case REG_ID:
		*value = a->id;
		return true;
	case REG_VERSION:
		*value = APIC_VERSION;
		return true;
	case REG_TPR:
		*value = a->tpr;
		return true;
	case REG_PPR:
		*value = vlapic_ppr(a);
		return true;
	case REG_LDR:
		*value = ldr(a);
		return true;
	case REG_SVR:
		*value = a->svr;
		return true;
	case REG_ESR:
		*value = a->esr;
		return true;
	case REG_LVT_CMCI:
		*value = a->lvt[VLAPIC_LVT_CMCI];
		return true;
	case REG_ICR:
		*value = a->icr;
		return true;
	case REG_TIMER_INITIAL:
		*value = a->initial_count;
		return true;
	case REG_TIMER_CURRENT:
		*value = current_count(a, now_ns);
		return true;
	case REG_TIMER_DIVIDE:
		*value = a->divide_config;
		return true;
	default:
		return false;
	}
}

/* Read-only registers and reserved ones fault; so do reserved bits,
 * including bits 63:32 of every register but the ICR (SDM 11.12.1.2-3). */
static bool write_reg(struct vlapic *a, unsigned reg, u64 value, u64 now_ns,
		      struct vlapic_effects *out)
{
	if (reg == REG_ICR)
		return write_icr(a, value, out);
	if (value >> 32)
		return false;
	if (reg >= REG_LVT_TIMER && reg <= REG_LVT_ERROR)
		return write_lvt(a, reg - REG_LVT_TIMER, (u32)value, now_ns);
	switch (reg) {
	case REG_TPR:
		if (value & ~0xffULL)
			return false;
		vlapic_set_tpr(a, (u8)value);
		return true;
	case REG_EOI:
		if (value)
			return false;
		eoi(a, out);
		return true;
	case REG_SVR:
		return write_svr(a, (u32)value);
	case REG_ESR:
		/* Only 0 may be written; the write latches the errors logged
		 * since the previous write (SDM 11.5.3). */
		if (value)
			return false;
		a->esr = a->esr_pending;
		a->esr_pending = 0;
		return true;
	case REG_LVT_CMCI:
		return write_lvt(a, VLAPIC_LVT_CMCI, (u32)value, now_ns);
	case REG_TIMER_INITIAL:
		/* Ignored in TSC-deadline mode (SDM 11.5.4.1); 0 stops the timer. */
		if (timer_mode(a) != TIMER_TSC_DEADLINE) {
			a->initial_count = (u32)value;
			timer_restart(a, now_ns, (u32)value);
		}
		return true;
	case REG_TIMER_DIVIDE:
		if (value & ~(u64)DIVIDE_WRITABLE)
			return false;
		write_divide(a, (u32)value, now_ns);
		return true;
	case REG_SELF_IPI:
		return write_self_ipi(a, (u32)value);
	default:
		return false;
	}
}

/*
 * IA32_APIC_BASE (SDM 11.12.5): x2APIC is entered only from
 * xAPIC and left only to disabled; EN=0 with EXTD=1 is invalid. Register
 * state does not survive a disable. BSP is the VP's role: writes keep it.
 */
static bool write_apic_base(struct vlapic *a, u64 value)
{
	u64 writable = ((BIT(a->phys_addr_bits) - 1) & PAGE_MASK) | APIC_BASE_EN |
		       APIC_BASE_EXTD | APIC_BASE_BSP;
	enum apic_mode old = base_mode(a->apic_base), new = base_mode(value);

	if ((value & ~writable) || new == MODE_INVALID ||
	    (old == MODE_X2APIC && new == MODE_XAPIC) ||
	    (old == MODE_DISABLED && new == MODE_X2APIC))
		return false;
	if (new == MODE_DISABLED && old != MODE_DISABLED)
		reset_registers(a);
	a->apic_base = (value & ~APIC_BASE_BSP) | (a->apic_base & APIC_BASE_BSP);
	return true;
}

bool vlapic_owns_msr(u32 msr)
{
	return msr == VLAPIC_MSR_APIC_BASE || msr == VLAPIC_MSR_TSC_DEADLINE ||
	       (msr >= VLAPIC_MSR_X2APIC_FIRST && msr <= VLAPIC_MSR_X2APIC_LAST) ||
	       (msr >= VLAPIC_MSR_HV_EOI && msr <= VLAPIC_MSR_HV_TPR);
}

/*
 * The x2APIC register an MSR names, or -1. The Hyper-V aliases name the
 * x2APIC EOI, ICR and TPR and share their x2APIC-mode availability: in
 * xAPIC mode they would need the xAPIC ICR format, and that mode is not
 * emulated.
 */
static int x2apic_reg(const struct vlapic *a, u32 msr)
{
	if (!vlapic_x2apic_mode(a))
		return -1;
	switch (msr) {
	case VLAPIC_MSR_HV_EOI:
		return REG_EOI;
	case VLAPIC_MSR_HV_ICR:
		return REG_ICR;
	case VLAPIC_MSR_HV_TPR:
		return REG_TPR;
	}
	if (msr < VLAPIC_MSR_X2APIC_FIRST || msr > VLAPIC_MSR_X2APIC_LAST)
		return -1;
	return (int)(msr - VLAPIC_MSR_X2APIC_FIRST);
}

/* Every access first brings the timer up to now, so what a read returns and
 * what a write changes see the expiries that are due. */
bool vlapic_msr_read(struct vlapic *a, u32 msr, u64 *value, struct vlapic_clock now)
{
	int reg = x2apic_reg(a, msr);

	vlapic_timer_expire(a, now.ns);
	if (msr == VLAPIC_MSR_APIC_BASE) {
		*value = a->apic_base;
		return true;
	}
	if (msr == VLAPIC_MSR_TSC_DEADLINE) {
		*value = a->tsc_deadline;
		return true;
	}
	return reg >= 0 && read_reg(a, (unsigned)reg, value, now.ns);
}

bool vlapic_msr_write(struct vlapic *a, u32 msr, u64 value, struct vlapic_clock now,
		      struct vlapic_effects *out)
{
	int reg = x2apic_reg(a, msr);
	bool ok = true;

	memset(out, 0, sizeof(*out));
	vlapic_timer_expire(a, now.ns);
	if (msr == VLAPIC_MSR_APIC_BASE) {
		ok = write_apic_base(a, value);
	} else if (msr == VLAPIC_MSR_TSC_DEADLINE) {
		write_tsc_deadline(a, value, now);
	} else if (msr == VLAPIC_MSR_HV_EOI) {
		/* TLFS: bits 31:0 are the EOI value (ignored, as in xAPIC), 63:32 RsvdZ. */
		ok = reg >= 0 && !(value >> 32) && write_reg(a, REG_EOI, 0, now.ns, out);
	} else {
		ok = reg >= 0 && write_reg(a, (unsigned)reg, value, now.ns, out);
	}
	/* A TSC deadline already in the past fires now. */
	vlapic_timer_expire(a, now.ns);
	return ok;
}
