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

u64 time_now_ns(void)
{
	u64 ticks = rdtsc() - tsc_at_launch;

	/* Split so no product overflows for TSCs below 18 GHz, without 128-bit division. */
	return ticks / tsc_hz * 1000000000ULL + ticks % tsc_hz * 1000000000ULL / tsc_hz;
}
