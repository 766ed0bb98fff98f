/* xAPIC through its MMIO page, x2APIC through MSRs: whichever mode the firmware left. */
#include "arch/x86/apic.h"
#include "arch/x86/cpu.h"

#define APIC_BASE_EXTD BIT(10)
#define APIC_BASE_ADDR_MASK 0xffffffffff000ULL
#define X2APIC_MSR(reg) (0x800 + ((reg) >> 4))

enum {
	REG_TPR = 0x80, REG_EOI = 0xb0, REG_SVR = 0xf0, REG_ICR_LO = 0x300, REG_ICR_HI = 0x310,
	REG_LVT_TIMER = 0x320, REG_TIMER_INITIAL = 0x380, REG_TIMER_CURRENT = 0x390,
	REG_TIMER_DIVIDE = 0x3e0,
};

#define SVR_ENABLE BIT(8)
#define LVT_MASKED BIT(16)
#define ICR_BUSY BIT(12)
#define DIVIDE_BY_1 0xb

/* APIC timer ticks per 2^32 TSC ticks. */
static u64 apic_per_tsc;

static bool x2apic(void)
{
	return rdmsr(MSR_APIC_BASE) & APIC_BASE_EXTD;
}

static volatile u32 *mmio(u32 reg)
{
	return (volatile u32 *)(uintptr_t)((rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR_MASK) + reg);
}

static u32 apic_read(u32 reg)
{
	return x2apic() ? (u32)rdmsr(X2APIC_MSR(reg)) : *mmio(reg);
}

static void apic_write(u32 reg, u32 v)
{
	if (x2apic())
		wrmsr(X2APIC_MSR(reg), v);
	else
		*mmio(reg) = v;
}

static void calibrate(u64 tsc_hz)
{
	u64 t0, dt;
	u32 left;

	apic_write(REG_LVT_TIMER, LVT_MASKED);
	apic_write(REG_TIMER_DIVIDE, DIVIDE_BY_1);
	apic_write(REG_TIMER_INITIAL, 0xffffffff);
	t0 = rdtsc();
	while (rdtsc() - t0 < tsc_hz / 1000)
		cpu_relax();
	left = apic_read(REG_TIMER_CURRENT);
	dt = rdtsc() - t0;
	apic_write(REG_TIMER_INITIAL, 0);
	apic_per_tsc = ((u64)(0xffffffffu - left) << 32) / (dt ? dt : 1);
}

void apic_lp_take(u64 tsc_hz)
{
	/* Measured here rather than on the BSP, whose APIC timer is the root's. */
	if (!apic_per_tsc)
		calibrate(tsc_hz);
	apic_write(REG_SVR, SVR_ENABLE | APIC_VECTOR_SPURIOUS);
	apic_write(REG_TPR, 0);
	apic_write(REG_TIMER_DIVIDE, DIVIDE_BY_1);
	apic_write(REG_TIMER_INITIAL, 0);
	apic_write(REG_LVT_TIMER, APIC_VECTOR_TIMER);
}

void apic_timer_arm(u64 tsc_ticks)
{
	u64 count = tsc_ticks ? ((tsc_ticks * apic_per_tsc) >> 32) + 1 : 0;

	apic_write(REG_TIMER_INITIAL, count > 0xffffffffu ? 0xffffffffu : (u32)count);
}

void apic_eoi(void)
{
	apic_write(REG_EOI, 0);
}

void apic_send_ipi(u32 apic_id, u8 vector)
{
	u32 high;

	if (x2apic()) {
		wrmsr(X2APIC_MSR(REG_ICR_LO), ((u64)apic_id << 32) | vector);
		return;
	}
	/* The root may own this APIC: leave its destination register as it was. */
	while (*mmio(REG_ICR_LO) & ICR_BUSY)
		cpu_relax();
	high = *mmio(REG_ICR_HI);
	*mmio(REG_ICR_HI) = apic_id << 24;
	*mmio(REG_ICR_LO) = vector;
	*mmio(REG_ICR_HI) = high;
}
