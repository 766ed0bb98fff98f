#ifndef HV_LIB_FORMAT_H
#define HV_LIB_FORMAT_H

#include <stdarg.h>
#include "hv/types.h"

/*
 * printf subset: %d %i %u %x %X %p %s %c %%, flags '0' '-', width, and the
 * length modifiers l, ll, z. Always NUL-terminates; returns the length the
 * full output would have had.
 */
int vsnformat(char *buf, size_t size, const char *fmt, va_list ap);
int snformat(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
