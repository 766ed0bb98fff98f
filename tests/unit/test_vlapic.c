#include "unit.h"
#include "hv/vlapic.h"

/* MSR numbers as the SDM (table 11-6) names them. */
enum {
	ID = 0x802, VERSION = 0x803, TPR = 0x808, PPR = 0x80a, EOI = 0x80b, LDR = 0x80d,
	SVR = 0x80f, ISR0 = 0x810, TMR0 = 0x818, IRR0 = 0x820, ESR = 0x828, LVT_CMCI = 0x82f,
	ICR = 0x830, LVT_TIMER = 0x832, LVT_THERMAL = 0x833, LVT_PERF = 0x834, LVT_LINT0 = 0x835,
	LVT_LINT1 = 0x836, LVT_ERROR = 0x837, INITIAL = 0x838, CURRENT = 0x839, DIVIDE = 0x83e,
	SELF_IPI = 0x83f,
};

#define BASE_BSP 0x100ULL
#define BASE_EXTD 0x400ULL
#define BASE_EN 0x800ULL
#define MASKED 0x10000u
#define PERIODIC 0x20000u
#define DEADLINE 0x40000u
#define TSC_HZ 2000000000ULL	/* 2 TSC ticks per ns */

/* The test's clock: the guest TSC runs at TSC_HZ from 7000. */
static u64 now;
static struct vlapic_effects fx;

static struct vlapic_clock clk(void)
{
	return (struct vlapic_clock){ .ns = now, .tsc = 7000 + 2 * now };
}

static bool rdmsr(struct vlapic *a, u32 msr, u64 *v)
{
	return vlapic_msr_read(a, msr, v, clk());
}

static bool wrmsr(struct vlapic *a, u32 msr, u64 v)
{
	return vlapic_msr_write(a, msr, v, clk(), &fx);
}

static u64 rd_line(struct vlapic *a, u32 msr, int line)
{
	u64 v = 0;

	if (!rdmsr(a, msr, &v)) {
		fprintf(stderr, "  %s:%d: rdmsr 0x%x faulted\n", __FILE__, line, msr);
		unit_case_failed = 1;
	}
	return v;
}

#define RD(a, msr) rd_line(a, msr, __LINE__)
#define WR(a, msr, v) CHECK(wrmsr(a, msr, v))
#define WR_GP(a, msr, v) CHECK(!wrmsr(a, msr, v))
#define RD_GP(a, msr) do { u64 _v; CHECK(!rdmsr(a, msr, &_v)); } while (0)

/* Reset, switch to x2APIC mode and software-enable with spurious vector FF. */
static void x2apic_up(struct vlapic *a, u32 id)
{
	now = 0;
	vlapic_reset(a, id, id == 0, TSC_HZ, 48);
	WR(a, 0x1b, 0xfee00000 | BASE_EN | BASE_EXTD);
	WR(a, SVR, 0x1ff);
}

static bool irr_has(struct vlapic *a, u8 v)
{
	return RD(a, IRR0 + v / 32) & (1u << (v % 32));
}

static void reset_values(void)
{
	struct vlapic a;
	u32 lvts[] = { LVT_CMCI, LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR };

	vlapic_reset(&a, 0, true, TSC_HZ, 48);
	CHECK_EQ(RD(&a, 0x1b), 0xfee00900);
	CHECK(vlapic_enabled(&a));
	CHECK(!vlapic_x2apic_mode(&a));
	RD_GP(&a, ID);		/* xAPIC mode: no x2APIC MSRs */
	WR_GP(&a, TPR, 0);
	CHECK(!a.wait_for_sipi);

	vlapic_reset(&a, 0x23, false, TSC_HZ, 48);
	CHECK_EQ(RD(&a, 0x1b), 0xfee00800);
	WR(&a, 0x1b, 0xfee00c00);
	CHECK(vlapic_x2apic_mode(&a));
	CHECK_EQ(RD(&a, ID), 0x23);
	CHECK_EQ(RD(&a, VERSION), 0x60014);
	CHECK_EQ(RD(&a, LDR), 0x20008);
	CHECK_EQ(RD(&a, SVR), 0xff);
	for (unsigned i = 0; i < ARRAY_SIZE(lvts); i++)
		CHECK_EQ(RD(&a, lvts[i]), MASKED);
	CHECK_EQ(RD(&a, TPR), 0);
	CHECK_EQ(RD(&a, PPR), 0);
	CHECK_EQ(RD(&a, ICR), 0);
	CHECK_EQ(RD(&a, ESR), 0);
	CHECK_EQ(RD(&a, INITIAL), 0);
	CHECK_EQ(RD(&a, CURRENT), 0);
	CHECK_EQ(RD(&a, DIVIDE), 0);
	for (unsigned i = 0; i < 8; i++) {
		CHECK_EQ(RD(&a, ISR0 + i), 0);
		CHECK_EQ(RD(&a, TMR0 + i), 0);
		CHECK_EQ(RD(&a, IRR0 + i), 0);
	}
	CHECK_EQ(vlapic_timer_next(&a), VLAPIC_TIMER_NONE);

	vlapic_reset(&a, 5, false, TSC_HZ, 48);
	WR(&a, 0x1b, 0xfee00c00);
	CHECK_EQ(RD(&a, LDR), 0x20);
	vlapic_reset(&a, 0x12b, false, TSC_HZ, 48);
	WR(&a, 0x1b, 0xfee00c00);
	CHECK_EQ(RD(&a, LDR), 0x120800);
}

static void apic_base_transitions(void)
{
	struct vlapic a;

	vlapic_reset(&a, 0, true, TSC_HZ, 48);
	WR_GP(&a, 0x1b, 0xfee00400);		/* EN=0 EXTD=1: invalid */
	WR_GP(&a, 0x1b, 0xfee00a00);		/* bit 9 reserved */
	WR_GP(&a, 0x1b, 0xfee00801);		/* bit 0 reserved */
	WR_GP(&a, 0x1b, (1ULL << 48) | 0xfee00800);	/* beyond MAXPHYADDR */
	CHECK_EQ(RD(&a, 0x1b), 0xfee00900);
	WR(&a, 0x1b, 0xfee00c00);		/* xAPIC -> x2APIC; BSP flag kept */
	CHECK_EQ(RD(&a, 0x1b), 0xfee00d00);
	WR_GP(&a, 0x1b, 0xfee00800);		/* x2APIC -> xAPIC: illegal */
	WR_GP(&a, 0x1b, 0xfee00400);
	CHECK_EQ(RD(&a, 0x1b), 0xfee00d00);
	WR(&a, 0x1b, 0x7ffffee00c00);		/* base moves within MAXPHYADDR */
	CHECK_EQ(RD(&a, 0x1b), 0x7ffffee00d00);

	WR(&a, SVR, 0x1ff);
	WR(&a, TPR, 0x30);
	CHECK(vlapic_accept(&a, 0x40, false));
	WR(&a, 0x1b, 0xfee00000);		/* x2APIC -> disabled */
	CHECK_EQ(RD(&a, 0x1b), 0xfee00100);
	CHECK(!vlapic_enabled(&a));
	RD_GP(&a, TPR);
	CHECK_EQ(vlapic_pending(&a), -1);
	CHECK(!vlapic_accept(&a, 0x41, false));
	CHECK(!vlapic_match_destination(&a, 0xffffffff, false));
	WR_GP(&a, 0x1b, 0xfee00c00);		/* disabled -> x2APIC: illegal */
	WR(&a, 0x1b, 0xfee00800);		/* disabled -> xAPIC -> x2APIC */
	WR(&a, 0x1b, 0xfee00c00);
	/* Nothing but the ID survives the disable. */
	CHECK_EQ(RD(&a, TPR), 0);
	CHECK_EQ(RD(&a, SVR), 0xff);
	CHECK_EQ(RD(&a, IRR0 + 2), 0);
	CHECK_EQ(RD(&a, ID), 0);
}

static void register_access_faults(void)
{
	struct vlapic a;
	u32 read_only[] = { ID, VERSION, PPR, LDR, ISR0, ISR0 + 7, TMR0, TMR0 + 7,
			    IRR0, IRR0 + 7, CURRENT };
	u32 unimplemented[] = { 0x800, 0x801, 0x809, 0x80c, 0x80e, 0x831, 0x83a, 0x840, 0xbff };

	x2apic_up(&a, 1);
	RD_GP(&a, EOI);
	RD_GP(&a, SELF_IPI);
	for (unsigned i = 0; i < ARRAY_SIZE(read_only); i++)
		WR_GP(&a, read_only[i], 0);
	for (unsigned i = 0; i < ARRAY_SIZE(unimplemented); i++) {
		RD_GP(&a, unimplemented[i]);
		WR_GP(&a, unimplemented[i], 0);
	}
	/* Reserved bits. */
	WR_GP(&a, TPR, 0x100);
	WR_GP(&a, TPR, 1ULL << 32);
	WR_GP(&a, SVR, 0x11ff);			/* EOI-broadcast suppression not offered */
	WR_GP(&a, SVR, 0x5ff);
	WR_GP(&a, LVT_TIMER, 0x80000);
	WR_GP(&a, LVT_TIMER, 0x60000);		/* timer mode 11b */
	WR_GP(&a, LVT_TIMER, 0x100);		/* the timer has no delivery mode */
	WR_GP(&a, LVT_ERROR, 0x400);
	WR_GP(&a, LVT_LINT0, 0x800);
	WR_GP(&a, LVT_THERMAL, 0x2000);
	WR_GP(&a, LVT_CMCI, 0x20000);
	WR_GP(&a, DIVIDE, 0x4);
	WR_GP(&a, INITIAL, 1ULL << 32);
	WR_GP(&a, ESR, 1);
	WR_GP(&a, EOI, 1);
	WR_GP(&a, SELF_IPI, 0x100);
	/* Nothing of the faulting writes stuck. */
	CHECK_EQ(RD(&a, TPR), 0);
	CHECK_EQ(RD(&a, SVR), 0x1ff);
	CHECK_EQ(RD(&a, LVT_TIMER), MASKED);
	CHECK_EQ(RD(&a, DIVIDE), 0);
	/* Every defined LINT field is writable; delivery status and remote IRR are read-only. */
	WR(&a, LVT_LINT0, 0x1a7ff);
	CHECK_EQ(RD(&a, LVT_LINT0), 0x1a7ff);
	WR(&a, LVT_LINT1, 0x5030);
	CHECK_EQ(RD(&a, LVT_LINT1), 0x30);
	WR(&a, LVT_TIMER, MASKED | 0x1000 | 0x31);
	CHECK_EQ(RD(&a, LVT_TIMER), MASKED | 0x31);
	WR_GP(&a, LVT_TIMER, 0x4000);		/* no remote IRR outside LINT */
	WR_GP(&a, LVT_ERROR, 0x8000);

	CHECK(vlapic_owns_msr(0x1b));
	CHECK(vlapic_owns_msr(0x6e0));
	CHECK(vlapic_owns_msr(0x800));
	CHECK(vlapic_owns_msr(0xbff));
	CHECK(vlapic_owns_msr(0x40000070));
	CHECK(vlapic_owns_msr(0x40000072));
	CHECK(!vlapic_owns_msr(0x7ff));
	CHECK(!vlapic_owns_msr(0xc00));
	CHECK(!vlapic_owns_msr(0x40000073));
	CHECK(!vlapic_owns_msr(0x10));
}

static void priority_nesting(void)
{
	struct vlapic a;

	x2apic_up(&a, 0);
	CHECK(vlapic_accept(&a, 0x51, false));
	CHECK(vlapic_accept(&a, 0x52, false));
	CHECK_EQ(vlapic_pending(&a), 0x52);
	vlapic_ack(&a, 0x52);
	CHECK_EQ(RD(&a, ISR0 + 2), 1u << 18);
	CHECK_EQ(RD(&a, IRR0 + 2), 1u << 17);
	CHECK_EQ(RD(&a, PPR), 0x50);
	CHECK_EQ(vlapic_pending(&a), -1);	/* 0x51: same class as in service */

	CHECK(vlapic_accept(&a, 0x61, false));
	CHECK_EQ(vlapic_pending(&a), 0x61);	/* higher class nests */
	vlapic_ack(&a, 0x61);
	CHECK_EQ(RD(&a, PPR), 0x60);
	CHECK(vlapic_accept(&a, 0x62, false));
	CHECK_EQ(vlapic_pending(&a), -1);

	WR(&a, TPR, 0x7f);			/* TPR above the ISR class: PPR = TPR */
	CHECK_EQ(RD(&a, PPR), 0x7f);
	WR(&a, TPR, 0x3a);			/* below: PPR = ISR class, low bits 0 */
	CHECK_EQ(RD(&a, PPR), 0x60);
	WR(&a, TPR, 0x6f);			/* same class: PPR = TPR */
	CHECK_EQ(RD(&a, PPR), 0x6f);
	WR(&a, TPR, 0);

	WR(&a, EOI, 0);				/* retires 0x61 */
	CHECK_EQ(RD(&a, PPR), 0x50);
	CHECK_EQ(vlapic_pending(&a), 0x62);
	vlapic_ack(&a, 0x62);
	WR(&a, EOI, 0);
	CHECK_EQ(vlapic_pending(&a), -1);	/* 0x51 still behind 0x52 */
	WR(&a, EOI, 0);
	CHECK_EQ(RD(&a, PPR), 0);
	CHECK_EQ(vlapic_pending(&a), 0x51);

	WR(&a, TPR, 0x5f);			/* TPR class 5 holds 0x51 back */
	CHECK_EQ(vlapic_pending(&a), -1);
	WR(&a, TPR, 0x4f);
	CHECK_EQ(vlapic_pending(&a), 0x51);
	vlapic_set_tpr(&a, 0x90);		/* CR8 = 9 */
	CHECK_EQ(RD(&a, TPR), 0x90);
	CHECK_EQ(vlapic_tpr(&a), 0x90);
	CHECK_EQ(vlapic_pending(&a), -1);
}

static void eoi_unblocks_lower(void)
{
	struct vlapic a;

	x2apic_up(&a, 0);
	CHECK(vlapic_accept(&a, 0x80, false));
	CHECK(vlapic_accept(&a, 0x40, false));
	CHECK_EQ(vlapic_pending(&a), 0x80);
	vlapic_ack(&a, 0x80);
	CHECK_EQ(vlapic_pending(&a), -1);
	WR(&a, EOI, 0);
	CHECK(!fx.level_eoi);
	CHECK_EQ(RD(&a, ISR0 + 4), 0);
	CHECK_EQ(vlapic_pending(&a), 0x40);
	vlapic_ack(&a, 0x40);
	WR(&a, EOI, 0);
	WR(&a, EOI, 0);				/* nothing in service: no effect */
	CHECK(!fx.level_eoi);

	/* Level-triggered: TMR set, the EOI is reported for the source. */
	CHECK(vlapic_accept(&a, 0x90, true));
	CHECK_EQ(RD(&a, TMR0 + 4), 1u << 16);
	vlapic_ack(&a, 0x90);
	WR(&a, EOI, 0);
	CHECK(fx.level_eoi);
	CHECK_EQ(fx.eoi_vector, 0x90);
	CHECK(vlapic_accept(&a, 0x90, false));	/* edge acceptance clears TMR */
	CHECK_EQ(RD(&a, TMR0 + 4), 0);
}

static void illegal_vectors_esr(void)
{
	struct vlapic a;

	x2apic_up(&a, 0);
	CHECK(!vlapic_accept(&a, 5, false));
	CHECK_EQ(RD(&a, IRR0), 0);
	CHECK_EQ(RD(&a, ESR), 0);		/* not latched until written */
	WR(&a, ESR, 0);
	CHECK_EQ(RD(&a, ESR), 0x40);		/* received illegal vector */
	WR(&a, ESR, 0);
	CHECK_EQ(RD(&a, ESR), 0);

	WR(&a, ICR, (2ULL << 32) | 0x0f);	/* fixed, vector 15 */
	CHECK(!fx.send_ipi);
	WR(&a, ICR, 0x103);			/* lowest priority, vector 3 */
	CHECK(!fx.send_ipi);
	WR(&a, ICR, 0x400);			/* NMI ignores the vector */
	CHECK(fx.send_ipi);
	WR(&a, SELF_IPI, 10);
	CHECK_EQ(RD(&a, IRR0), 0);
	WR(&a, ESR, 0);
	CHECK_EQ(RD(&a, ESR), 0x20);		/* send illegal vector */

	/* The LVT error entry signals a newly logged error once. */
	WR(&a, LVT_ERROR, 0xe0);
	CHECK(!vlapic_accept(&a, 1, false));
	CHECK(irr_has(&a, 0xe0));
	vlapic_ack(&a, 0xe0);
	WR(&a, EOI, 0);
	CHECK(!vlapic_accept(&a, 2, false));	/* same error still pending */
	CHECK_EQ(RD(&a, IRR0 + 7), 0);
	WR(&a, ESR, 0);
	CHECK_EQ(RD(&a, ESR), 0x40);

	/* An illegal error vector is itself a receive error, never delivered. */
	WR(&a, LVT_ERROR, 0x05);
	WR(&a, SELF_IPI, 1);
	WR(&a, ESR, 0);
	CHECK_EQ(RD(&a, ESR), 0x60);
	CHECK_EQ(RD(&a, IRR0), 0);

	/* So is an illegal timer vector. */
	WR(&a, LVT_ERROR, MASKED);
	WR(&a, LVT_TIMER, 0x08);
	WR(&a, DIVIDE, 0xb);
	WR(&a, INITIAL, 10);
	vlapic_timer_expire(&a, 10);
	WR(&a, ESR, 0);
	CHECK_EQ(RD(&a, ESR), 0x40);
	CHECK_EQ(RD(&a, IRR0), 0);
}

static void check_ipi(u32 dest, u8 vector, u8 mode, u8 shorthand, bool logical, int line)
{
	if (!fx.send_ipi || fx.ipi.dest != dest || fx.ipi.vector != vector || fx.ipi.mode != mode ||
	    fx.ipi.shorthand != shorthand || fx.ipi.logical != logical) {
		fprintf(stderr, "  %s:%d: ipi %d {%x %x %u %u %d}\n", __FILE__, line, fx.send_ipi,
			fx.ipi.dest, fx.ipi.vector, fx.ipi.mode, fx.ipi.shorthand, fx.ipi.logical);
		unit_case_failed = 1;
	}
}

#define CHECK_IPI(dest, vector, mode, shorthand, logical) \
	check_ipi(dest, vector, mode, shorthand, logical, __LINE__)

static void icr_encodings(void)
{
	struct vlapic a;

	vlapic_reset(&a, 0, true, TSC_HZ, 48);
	WR_GP(&a, ICR, 0x40);			/* xAPIC mode */
	x2apic_up(&a, 0);

	WR(&a, ICR, (0x12345678ULL << 32) | 0x4040);
	CHECK_IPI(0x12345678, 0x40, VLAPIC_DM_FIXED, VLAPIC_DEST_FIELD, false);
	CHECK_EQ(RD(&a, ICR), (0x12345678ULL << 32) | 0x4040);
	WR(&a, ICR, (0x20003ULL << 32) | 0x941);
	CHECK_IPI(0x20003, 0x41, VLAPIC_DM_LOWEST, VLAPIC_DEST_FIELD, true);
	WR(&a, ICR, (7ULL << 32) | 0x200);
	CHECK_IPI(7, 0, VLAPIC_DM_SMI, VLAPIC_DEST_FIELD, false);
	WR(&a, ICR, (5ULL << 32) | 0x4400);
	CHECK_IPI(5, 0, VLAPIC_DM_NMI, VLAPIC_DEST_FIELD, false);
	WR(&a, ICR, (3ULL << 32) | 0xc500);	/* INIT, level, assert */
	CHECK_IPI(3, 0, VLAPIC_DM_INIT, VLAPIC_DEST_FIELD, false);
	WR(&a, ICR, (3ULL << 32) | 0x8500);	/* INIT level de-assert: nothing sent */
	CHECK(!fx.send_ipi);
	CHECK_EQ(RD(&a, ICR), (3ULL << 32) | 0x8500);
	WR(&a, ICR, (3ULL << 32) | 0x69a);
	CHECK_IPI(3, 0x9a, VLAPIC_DM_SIPI, VLAPIC_DEST_FIELD, false);

	WR(&a, ICR, 0x40050);
	CHECK_IPI(0, 0x50, VLAPIC_DM_FIXED, VLAPIC_DEST_SELF, false);
	WR(&a, ICR, 0x80051);
	CHECK_IPI(0, 0x51, VLAPIC_DM_FIXED, VLAPIC_DEST_ALL, false);
	WR(&a, ICR, 0xc0400);
	CHECK_IPI(0, 0, VLAPIC_DM_NMI, VLAPIC_DEST_OTHERS, false);
	WR(&a, ICR, 0xc4500);
	CHECK_IPI(0, 0, VLAPIC_DM_INIT, VLAPIC_DEST_OTHERS, false);
	WR(&a, ICR, 0xc0620);
	CHECK_IPI(0, 0x20, VLAPIC_DM_SIPI, VLAPIC_DEST_OTHERS, false);
	CHECK_EQ(RD(&a, IRR0 + 2), 0);		/* shorthand self is routed by the caller */

	WR(&a, ICR, 0x1040);			/* delivery status is ignored */
	CHECK_IPI(0, 0x40, VLAPIC_DM_FIXED, VLAPIC_DEST_FIELD, false);
	CHECK_EQ(RD(&a, ICR), 0x40);

	WR_GP(&a, ICR, 0x2040);			/* bit 13 */
	WR_GP(&a, ICR, 0x10040);
	WR_GP(&a, ICR, 0x20040);
	WR_GP(&a, ICR, 0x100040);
	WR_GP(&a, ICR, 0x80000040);
	WR_GP(&a, ICR, 0x340);			/* reserved delivery modes */
	WR_GP(&a, ICR, 0x740);
	CHECK(!fx.send_ipi);
	CHECK_EQ(RD(&a, ICR), 0x40);
}

static void self_ipi(void)
{
	struct vlapic a;

	x2apic_up(&a, 4);
	WR(&a, SELF_IPI, 0x55);
	CHECK(!fx.send_ipi);
	CHECK_EQ(RD(&a, IRR0 + 2), 1u << 21);
	CHECK_EQ(RD(&a, TMR0 + 2), 0);
	CHECK_EQ(vlapic_pending(&a), 0x55);
	vlapic_ack(&a, 0x55);
	CHECK_EQ(RD(&a, ISR0 + 2), 1u << 21);

	WR(&a, SVR, 0xff);			/* software-disabled: self IPIs dropped */
	WR(&a, SELF_IPI, 0x66);
	CHECK_EQ(RD(&a, IRR0 + 3), 0);
}

static void destination_matching(void)
{
	struct vlapic a;

	vlapic_reset(&a, 0x23, false, TSC_HZ, 48);
	/* xAPIC mode: physical and broadcast only (no LDR without MMIO). */
	CHECK(vlapic_match_destination(&a, 0x23, false));
	CHECK(!vlapic_match_destination(&a, 0x20008, true));
	CHECK(vlapic_match_destination(&a, 0xffffffff, true));

	WR(&a, 0x1b, 0xfee00c00);
	CHECK(vlapic_match_destination(&a, 0x23, false));
	CHECK(!vlapic_match_destination(&a, 0x24, false));
	CHECK(!vlapic_match_destination(&a, 0x123, false));
	CHECK(vlapic_match_destination(&a, 0xffffffff, false));
	CHECK(vlapic_match_destination(&a, 0x20008, true));	/* cluster 2, bit 3 */
	CHECK(vlapic_match_destination(&a, 0x2000c, true));
	CHECK(vlapic_match_destination(&a, 0x2ffff, true));
	CHECK(!vlapic_match_destination(&a, 0x20004, true));
	CHECK(!vlapic_match_destination(&a, 0x30008, true));
	CHECK(!vlapic_match_destination(&a, 0x8, true));
	CHECK(!vlapic_match_destination(&a, 0x23, true));
	CHECK(vlapic_match_destination(&a, 0xffffffff, true));

	vlapic_reset(&a, 0, true, TSC_HZ, 48);
	WR(&a, 0x1b, 0xfee00c00);
	CHECK(vlapic_match_destination(&a, 0x1, true));
	CHECK(vlapic_match_destination(&a, 0xffff, true));
	CHECK(!vlapic_match_destination(&a, 0x10001, true));
	CHECK(!vlapic_match_destination(&a, 0x2, true));
}

static void timer_oneshot(void)
{
	struct vlapic a;

	x2apic_up(&a, 0);
	now = 1000;
	WR(&a, LVT_TIMER, 0xec);
	WR(&a, DIVIDE, 0xb);			/* divide by 1 */
	WR(&a, INITIAL, 1000);
	CHECK_EQ(vlapic_timer_next(&a), 2000);
	CHECK_EQ(RD(&a, INITIAL), 1000);
	CHECK_EQ(RD(&a, CURRENT), 1000);
	now = 1400;
	CHECK_EQ(RD(&a, CURRENT), 600);
	vlapic_timer_expire(&a, 1999);
	CHECK_EQ(vlapic_pending(&a), -1);
	vlapic_timer_expire(&a, 2000);
	CHECK_EQ(vlapic_pending(&a), 0xec);
	CHECK_EQ(vlapic_timer_next(&a), VLAPIC_TIMER_NONE);
	now = 2000;
	CHECK_EQ(RD(&a, CURRENT), 0);
	vlapic_ack(&a, 0xec);
	WR(&a, EOI, 0);
	vlapic_timer_expire(&a, 9000);		/* one-shot: no second interrupt */
	CHECK_EQ(vlapic_pending(&a), -1);
	now = 9000;
	CHECK_EQ(RD(&a, CURRENT), 0);

	/* Divide by 2: a tick every 2 ns. */
	now = 10000;
	WR(&a, DIVIDE, 0);
	WR(&a, INITIAL, 100);
	CHECK_EQ(vlapic_timer_next(&a), 10200);
	now = 10101;
	CHECK_EQ(RD(&a, CURRENT), 50);

	/* Changing the divider mid-count: the rest counts at the new rate. */
	now = 20000;
	WR(&a, DIVIDE, 0xb);
	WR(&a, INITIAL, 1000);
	now = 20400;
	WR(&a, DIVIDE, 0x1);			/* divide by 4 */
	CHECK_EQ(vlapic_timer_next(&a), 20400 + 600 * 4);
	now = 20800;
	CHECK_EQ(RD(&a, CURRENT), 500);

	/* Initial count 0 stops the timer. */
	WR(&a, INITIAL, 0);
	CHECK_EQ(vlapic_timer_next(&a), VLAPIC_TIMER_NONE);
	CHECK_EQ(RD(&a, CURRENT), 0);
}

/* Runs the timer to its next expiry and takes the interrupt. */
static void take_tick(struct vlapic *a, u8 vector, u64 when, int line)
{
	if (vlapic_timer_next(a) != when) {
		fprintf(stderr, "  %s:%d: next %llu != %llu\n", __FILE__, line,
			(unsigned long long)vlapic_timer_next(a), (unsigned long long)when);
		unit_case_failed = 1;
	}
	vlapic_timer_expire(a, when);
	if (vlapic_pending(a) != vector) {
		fprintf(stderr, "  %s:%d: no timer interrupt at %llu\n", __FILE__, line,
			(unsigned long long)when);
		unit_case_failed = 1;
	}
	vlapic_ack(a, vector);
	now = when;
	WR(a, EOI, 0);
}

#define TAKE_TICK(a, vector, when) take_tick(a, vector, when, __LINE__)

static void timer_periodic(void)
{
	struct vlapic a;

	x2apic_up(&a, 0);
	WR(&a, LVT_TIMER, PERIODIC | 0xed);
	WR(&a, DIVIDE, 0x3);			/* divide by 16 */
	WR(&a, INITIAL, 100);			/* period 1600 ns */
	now = 800;
	CHECK_EQ(RD(&a, CURRENT), 50);
	now = 808;				/* mid-tick: a new vector does not move the expiry */
	WR(&a, LVT_TIMER, PERIODIC | 0xed);
	CHECK_EQ(vlapic_timer_next(&a), 1600);
	TAKE_TICK(&a, 0xed, 1600);
	CHECK_EQ(RD(&a, CURRENT), 100);		/* reloaded */
	now = 2400;
	CHECK_EQ(RD(&a, CURRENT), 50);
	TAKE_TICK(&a, 0xed, 3200);
	TAKE_TICK(&a, 0xed, 4800);
	/* A late caller gets one interrupt and the period grid is kept. */
	vlapic_timer_expire(&a, 8100);
	CHECK_EQ(vlapic_pending(&a), 0xed);
	CHECK_EQ(vlapic_timer_next(&a), 9600);
	vlapic_ack(&a, 0xed);
	now = 8100;
	WR(&a, EOI, 0);
	CHECK_EQ(RD(&a, CURRENT), 94);	/* 8100 / 16 = 506 ticks: 6 into the period */

	/* Divide by 128, several periods. */
	now = 100000;
	WR(&a, DIVIDE, 0xa);
	WR(&a, INITIAL, 10);
	for (u64 k = 1; k <= 5; k++)
		TAKE_TICK(&a, 0xed, 100000 + k * 1280);
	/* Divide by 1. */
	WR(&a, DIVIDE, 0xb);
	WR(&a, INITIAL, 7);
	for (u64 k = 1; k <= 3; k++)
		TAKE_TICK(&a, 0xed, 106400 + k * 7);

	/* Periodic -> one-shot mid-count: the count finishes, then stops. */
	now = 106500;
	WR(&a, INITIAL, 100);
	now = 106530;
	WR(&a, LVT_TIMER, 0xed);
	CHECK_EQ(RD(&a, CURRENT), 70);
	TAKE_TICK(&a, 0xed, 106600);
	CHECK_EQ(vlapic_timer_next(&a), VLAPIC_TIMER_NONE);
}

static void timer_masked(void)
{
	struct vlapic a;

	x2apic_up(&a, 0);
	WR(&a, LVT_TIMER, MASKED | 0xec);
	WR(&a, DIVIDE, 0xb);
	WR(&a, INITIAL, 100);
	CHECK_EQ(vlapic_timer_next(&a), VLAPIC_TIMER_NONE);	/* nothing to wake for */
	now = 50;
	CHECK_EQ(RD(&a, CURRENT), 50);			/* but it counts */
	now = 300;
	WR(&a, LVT_TIMER, 0xec);			/* unmasked after expiry: nothing */
	CHECK_EQ(vlapic_pending(&a), -1);
	CHECK_EQ(vlapic_timer_next(&a), VLAPIC_TIMER_NONE);
	CHECK_EQ(RD(&a, CURRENT), 0);

	/* A masked periodic timer keeps its phase. */
	now = 1000;
	WR(&a, LVT_TIMER, MASKED | PERIODIC | 0xec);
	WR(&a, INITIAL, 100);
	now = 1250;
	CHECK_EQ(RD(&a, CURRENT), 50);
	vlapic_timer_expire(&a, 1250);
	CHECK_EQ(vlapic_pending(&a), -1);
	WR(&a, LVT_TIMER, PERIODIC | 0xec);
	CHECK_EQ(vlapic_timer_next(&a), 1300);
	TAKE_TICK(&a, 0xec, 1300);
}

static void tsc_deadline(void)
{
	struct vlapic a;
	u64 far;

	x2apic_up(&a, 0);
	now = 1000;				/* TSC 9000 */
	WR(&a, 0x6e0, 11000);			/* not in TSC-deadline mode: ignored */
	CHECK_EQ(RD(&a, 0x6e0), 0);
	CHECK_EQ(vlapic_timer_next(&a), VLAPIC_TIMER_NONE);

	WR(&a, LVT_TIMER, DEADLINE | 0xee);
	WR(&a, INITIAL, 500);			/* ignored in this mode */
	CHECK_EQ(RD(&a, INITIAL), 0);
	CHECK_EQ(vlapic_timer_next(&a), VLAPIC_TIMER_NONE);
	WR(&a, 0x6e0, 11000);			/* 2000 TSC ticks = 1000 ns ahead */
	CHECK_EQ(RD(&a, 0x6e0), 11000);
	CHECK_EQ(RD(&a, CURRENT), 0);
	CHECK_EQ(vlapic_timer_next(&a), 2000);
	vlapic_timer_expire(&a, 1999);
	CHECK_EQ(vlapic_pending(&a), -1);
	vlapic_timer_expire(&a, 2000);
	CHECK_EQ(vlapic_pending(&a), 0xee);
	now = 2000;
	CHECK_EQ(RD(&a, 0x6e0), 0);		/* disarmed by firing */
	CHECK_EQ(vlapic_timer_next(&a), VLAPIC_TIMER_NONE);
	vlapic_ack(&a, 0xee);
	WR(&a, EOI, 0);

	/* Half a ns rounds up: never early. */
	WR(&a, 0x6e0, clk().tsc + 1);
	CHECK_EQ(vlapic_timer_next(&a), 2001);
	WR(&a, 0x6e0, 0);			/* 0 disarms */
	CHECK_EQ(vlapic_timer_next(&a), VLAPIC_TIMER_NONE);

	/* A deadline in the past fires at once. */
	WR(&a, 0x6e0, 5);
	CHECK_EQ(vlapic_pending(&a), 0xee);
	CHECK_EQ(RD(&a, 0x6e0), 0);
	vlapic_ack(&a, 0xee);
	WR(&a, EOI, 0);

	/* An access after the deadline sees it fired even without expire(). */
	WR(&a, 0x6e0, clk().tsc + 200);
	now += 150;
	CHECK_EQ(RD(&a, 0x6e0), 0);
	CHECK_EQ(vlapic_pending(&a), 0xee);
	vlapic_ack(&a, 0xee);
	WR(&a, EOI, 0);

	/* Far deadlines do not overflow. */
	far = UINT64_MAX - clk().tsc;
	WR(&a, 0x6e0, UINT64_MAX);
	CHECK_EQ(vlapic_timer_next(&a), now + (far + 1) / 2);

	/* Masked: the deadline passes and disarms without an interrupt. */
	WR(&a, LVT_TIMER, MASKED | DEADLINE | 0xee);
	WR(&a, 0x6e0, clk().tsc + 20);
	now += 10;
	CHECK_EQ(RD(&a, 0x6e0), 0);
	CHECK_EQ(vlapic_pending(&a), -1);

	/* Leaving TSC-deadline mode disarms, and so does entering it. */
	WR(&a, LVT_TIMER, DEADLINE | 0xee);
	WR(&a, 0x6e0, clk().tsc + 1000);
	WR(&a, LVT_TIMER, 0xee);
	CHECK_EQ(RD(&a, 0x6e0), 0);
	CHECK_EQ(vlapic_timer_next(&a), VLAPIC_TIMER_NONE);
	WR(&a, INITIAL, 1000);
	WR(&a, LVT_TIMER, DEADLINE | 0xee);
	CHECK_EQ(RD(&a, INITIAL), 0);
	CHECK_EQ(vlapic_timer_next(&a), VLAPIC_TIMER_NONE);
}

static void software_disabled(void)
{
	struct vlapic a;

	x2apic_up(&a, 0);
	WR(&a, SVR, 0xff);
	CHECK(!vlapic_accept(&a, 0x40, false));
	CHECK_EQ(RD(&a, IRR0 + 2), 0);
	WR(&a, LVT_TIMER, 0xec);		/* the mask stays set */
	CHECK_EQ(RD(&a, LVT_TIMER), MASKED | 0xec);
	WR(&a, LVT_LINT0, 0x700);
	CHECK_EQ(RD(&a, LVT_LINT0), MASKED | 0x700);

	WR(&a, SVR, 0x1ff);
	WR(&a, LVT_TIMER, 0xec);
	WR(&a, LVT_ERROR, 0xe0);
	CHECK_EQ(RD(&a, LVT_TIMER), 0xec);
	CHECK(vlapic_accept(&a, 0x40, false));
	WR(&a, SVR, 0xff);			/* disabling masks every LVT */
	CHECK_EQ(RD(&a, LVT_TIMER), MASKED | 0xec);
	CHECK_EQ(RD(&a, LVT_ERROR), MASKED | 0xe0);
	CHECK_EQ(RD(&a, LVT_CMCI), MASKED);
	CHECK_EQ(vlapic_pending(&a), 0x40);	/* what was accepted is held */
	CHECK(!vlapic_accept(&a, 0x50, false));
}

static void auto_eoi(void)
{
	struct vlapic a;

	x2apic_up(&a, 0);
	CHECK(vlapic_accept(&a, 0x50, false));
	CHECK_EQ(vlapic_pending(&a), 0x50);
	vlapic_ack_auto_eoi(&a, 0x50);
	CHECK_EQ(RD(&a, IRR0 + 2), 0);
	CHECK_EQ(RD(&a, ISR0 + 2), 0);
	CHECK_EQ(RD(&a, PPR), 0);
	CHECK(vlapic_accept(&a, 0x51, false));	/* same class: not held back */
	CHECK_EQ(vlapic_pending(&a), 0x51);
	vlapic_ack(&a, 0x51);			/* an ordinary ack does hold it back */
	CHECK(vlapic_accept(&a, 0x52, false));
	CHECK_EQ(vlapic_pending(&a), -1);
}

static void hv_synthetic_msrs(void)
{
	struct vlapic a;

	vlapic_reset(&a, 0, true, TSC_HZ, 48);
	RD_GP(&a, 0x40000072);			/* only in x2APIC mode */
	WR_GP(&a, 0x40000072, 0x10);
	WR_GP(&a, 0x40000070, 0);
	x2apic_up(&a, 0);

	WR(&a, 0x40000072, 0x70);
	CHECK_EQ(RD(&a, TPR), 0x70);
	CHECK_EQ(RD(&a, 0x40000072), 0x70);
	WR_GP(&a, 0x40000072, 0x100);
	WR(&a, TPR, 0);

	CHECK(vlapic_accept(&a, 0x60, true));
	vlapic_ack(&a, 0x60);
	WR_GP(&a, 0x40000070, 1ULL << 32);
	CHECK_EQ(RD(&a, ISR0 + 3), 1);
	WR(&a, 0x40000070, 0x12345678);		/* the EOI value is ignored */
	CHECK_EQ(RD(&a, ISR0 + 3), 0);
	CHECK(fx.level_eoi);
	CHECK_EQ(fx.eoi_vector, 0x60);
	RD_GP(&a, 0x40000070);

	WR(&a, 0x40000071, (9ULL << 32) | 0x4043);
	CHECK_IPI(9, 0x43, VLAPIC_DM_FIXED, VLAPIC_DEST_FIELD, false);
	CHECK_EQ(RD(&a, ICR), (9ULL << 32) | 0x4043);
	CHECK_EQ(RD(&a, 0x40000071), (9ULL << 32) | 0x4043);
	WR_GP(&a, 0x40000071, 0x2040);
}

static void init_sipi(void)
{
	struct vlapic a;

	x2apic_up(&a, 3);
	WR(&a, TPR, 0x20);
	WR(&a, LVT_TIMER, 0xec);
	WR(&a, INITIAL, 100);
	CHECK(vlapic_accept(&a, 0x40, false));
	vlapic_init(&a);
	CHECK_EQ(RD(&a, 0x1b), 0xfee00c00);	/* still x2APIC */
	CHECK_EQ(RD(&a, ID), 3);
	CHECK_EQ(RD(&a, TPR), 0);
	CHECK_EQ(RD(&a, SVR), 0xff);
	CHECK_EQ(RD(&a, LVT_TIMER), MASKED);
	CHECK_EQ(RD(&a, IRR0 + 2), 0);
	CHECK_EQ(vlapic_timer_next(&a), VLAPIC_TIMER_NONE);
	CHECK(a.wait_for_sipi);
	CHECK(vlapic_sipi(&a));
	CHECK(!a.wait_for_sipi);
	CHECK(!vlapic_sipi(&a));		/* not waiting: ignored */

	x2apic_up(&a, 0);			/* the BSP restarts without a SIPI */
	vlapic_init(&a);
	CHECK(!a.wait_for_sipi);
	CHECK(!vlapic_sipi(&a));
}

static void vector_register_layout(void)
{
	struct vlapic a;

	x2apic_up(&a, 0);
	CHECK(vlapic_accept(&a, 0xff, true));
	CHECK(vlapic_accept(&a, 0x20, false));
	CHECK(vlapic_accept(&a, 0x3f, false));
	CHECK_EQ(RD(&a, IRR0 + 7), 1u << 31);
	CHECK_EQ(RD(&a, TMR0 + 7), 1u << 31);
	CHECK_EQ(RD(&a, IRR0 + 1), (1u << 31) | 1);
	CHECK_EQ(RD(&a, TMR0 + 1), 0);
	vlapic_ack(&a, 0xff);
	CHECK_EQ(RD(&a, ISR0 + 7), 1u << 31);
	CHECK_EQ(RD(&a, IRR0 + 7), 0);
}

UNIT_MAIN("vlapic",
	  CASE(reset_values),
	  CASE(apic_base_transitions),
	  CASE(register_access_faults),
	  CASE(priority_nesting),
	  CASE(eoi_unblocks_lower),
	  CASE(illegal_vectors_esr),
	  CASE(icr_encodings),
	  CASE(self_ipi),
	  CASE(destination_matching),
	  CASE(timer_oneshot),
	  CASE(timer_periodic),
	  CASE(timer_masked),
	  CASE(tsc_deadline),
	  CASE(software_disabled),
	  CASE(auto_eoi),
	  CASE(hv_synthetic_msrs),
	  CASE(init_sipi),
	  CASE(vector_register_layout))
