#ifndef ARCH_X86_TSC_H
#define ARCH_X86_TSC_H

#include "hv/types.h"

/* Busy-waits about 10 ms; call once, before partitions run. */
u64 tsc_measure_hz(void);

#endif
