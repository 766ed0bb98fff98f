/*
 * What must hold between any two exits, whatever the partitions asked for.
 * A violation prints what broke and aborts, for libFuzzer to report.
 */
#ifndef TESTS_FUZZ_HV_INVARIANTS_H
#define TESTS_FUZZ_HV_INVARIANTS_H

#include "hv/types.h"

__attribute__((format(printf, 1, 2), noreturn)) void invariant_failed(const char *fmt, ...);

/* Memory ownership and accounting, GPA maps, locks, VPs on LPs, SynIC queues and port buffers. */
void invariants_check(void);
/* The same, plus the frames outside the arena (slower: once per input). */
void invariants_check_all(void);

#endif
