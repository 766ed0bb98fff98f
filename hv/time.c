#include "hv/time.h"
#include "arch/x86/cpu.h"

static u64 tsc_hz;
static u64 tsc_at_launch;

void time_init(u64 hz)
{
	tsc_hz = hz;
	tsc_at_launch = rdtsc();
}

u64 time_tsc_hz(void)
{
	return tsc_hz;
}

u64 time_tsc(void)
{
	return rdtsc();
}

/* Split so no product overflows while b * c < 2^64, without 128-bit division. */
static u64 scale(u64 a, u64 b, u64 c)
{
	return a / c * b + a % c * b / c;
}

u64 time_now_ns(void)
{
	return scale(rdtsc() - tsc_at_launch, 1000000000ULL, tsc_hz);
}

u64 time_ns_to_tsc(u64 ns)
{
	return scale(ns, tsc_hz, 1000000000ULL);
}

u64 time_tsc_to_100ns(u64 ticks)
{
	return scale(ticks, 10000000ULL, tsc_hz);
}
