/*
 * Launch-time measurements asked for with hv_options=bench in hv.cfg
 * (docs/benchmarks.md). Under QEMU with -icount shift=0 the TSC counts
 * instructions, so the figure is an exact path length.
 */
#include "hv/bench.h"
#include "hv/boot_info.h"
#include "hv/init.h"
#include "hv/log.h"
#include "arch/x86/vcpu.h"

#define FLOOR_ITERATIONS 10000

static u64 heap_page(void *ctx)
{
	(void)ctx;
	return hv_alloc_page();
}

static void heap_free(void *ctx, u64 pa)
{
	(void)ctx;
	hv_free_page(pa);
}

void bench_at_launch(void)
{
	u64 ticks;

	if (!hv_option("bench"))
		return;
	ticks = vcpu_arch_measure_round_trip(FLOOR_ITERATIONS, heap_page, NULL, heap_free);
	hv_log("bench: floor (bare VM entry + exit, %u runs): %llu TSC ticks each",
	       FLOOR_ITERATIONS, (unsigned long long)ticks);
}
