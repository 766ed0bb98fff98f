/*
 * Spins and counts, and records from inside where it ran: every stretch
 * between two LP switches (HV_X64_MSR_SCHED_PROBE: LP index and that LP's
 * switch count) with its first and last TSC (the parent compares partitions
 * by it: children run without a TSC offset). A time read
 * between two equal probe values was taken during that very stretch, so
 * every recorded interval lies within a real one.
 */
#include "payload.h"
#include "spin.h"


void payload_main(void)
{
	volatile struct spin_log *log =
		(void *)(SPIN_LOG_GPA + rdmsr(HV_X64_MSR_VP_INDEX) * SPIN_LOG_SIZE);
	u64 cur = rdmsr(HV_X64_MSR_SCHED_PROBE), start = 0, last = 0;

	for (;;) {
		u64 p1 = rdmsr(HV_X64_MSR_SCHED_PROBE);
		u64 t = rdtsc();
		u64 p2 = rdmsr(HV_X64_MSR_SCHED_PROBE);

		log->count++;
		if (p1 != p2)
			continue;
		if (p1 != cur) {
			if (start && log->n < sizeof(log->iv) / sizeof(log->iv[0])) {
				log->iv[log->n].lp = cur & 0xff;
				log->iv[log->n].start = start;
				log->iv[log->n].end = last;
				log->n++;
			}
			cur = p1;
			start = 0;
		}
		if (!start)
			start = t;
		last = t;
		log->open.lp = cur & 0xff;
		log->open.start = start;
		log->open.end = last;
	}
}
