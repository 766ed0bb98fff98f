/*
 * memcmp for the test applications: the vmbus library uses memcpy, memset
 * and memcmp; GNU-EFI's libefi provides the first two (lib/init.c), so
 * linking the hypervisor's hv/lib/string.c as well would define them twice.
 */
#include <stddef.h>

int memcmp(const void *a, const void *b, size_t n);

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}
