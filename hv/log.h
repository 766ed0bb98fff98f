#ifndef HV_LOG_H
#define HV_LOG_H

#include "hv/types.h"

/* One line to the hypervisor log, prefixed with the LP number. */
void hv_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints the reason and the state of this LP, then stops this LP for good. */
__noreturn void hv_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
