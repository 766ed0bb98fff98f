/* The hypervisor's clock: nanoseconds since launch, read from the TSC. */
#ifndef HV_TIME_H
#define HV_TIME_H

#include "hv/types.h"

void time_init(u64 tsc_hz);
u64 time_tsc_hz(void);
u64 time_now_ns(void);
u64 time_tsc(void);

#endif
