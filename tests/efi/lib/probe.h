/*
 * Touching memory that may fault: a #GP handler installed through the CPU
 * architectural protocol skips the probing instruction and reports it.
 */
#ifndef TESTS_EFI_PROBE_H
#define TESTS_EFI_PROBE_H

#include <efi.h>
#include "hv/types.h"

bool probe_init(void);
/* true if the 8-byte read at @addr completed; *value holds it. */
bool probe_read(u64 addr, u64 *value);
bool probe_write(u64 addr, u64 value);

#endif
