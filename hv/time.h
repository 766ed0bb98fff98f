/* The hypervisor's clock: nanoseconds since launch, read from the TSC. */
#ifndef HV_TIME_H
#define HV_TIME_H

#include "hv/types.h"

void time_init(u64 tsc_hz);
u64 time_tsc_hz(void);
u64 time_now_ns(void);
u64 time_tsc(void);
/* Durations. */
u64 time_ns_to_tsc(u64 ns);
u64 time_tsc_to_100ns(u64 ticks);

#endif
