/*
 * The one place where the vmbus library meets its environment: types,
 * memcpy/memset, error codes and the x86 memory barriers.
 *
 * Hosted builds (host unit tests, the parent daemon) take memcpy and memset
 * from libc; freestanding builds (-ffreestanding sets __STDC_HOSTED__ to 0)
 * take them from the hypervisor's hv/lib/string.h.
 */
#ifndef VMBUS_ENV_H
#define VMBUS_ENV_H

#include "hv/types.h"

#if __STDC_HOSTED__
#include <string.h>
#else
#include "hv/lib/string.h"
#endif

/* Negative return values of the library (values as Linux errno). */
#define VMBUS_EIO 5      /* the other side corrupted shared state */
#define VMBUS_EAGAIN 11  /* nothing to read, or no room to write yet */
#define VMBUS_ENOMEM 12  /* the embedder's allocator failed */
#define VMBUS_EBUSY 16   /* object in use (open channel, pending request) */
#define VMBUS_EINVAL 22  /* malformed message or argument */
#define VMBUS_ENOSPC 28  /* a table is full, or a packet can never fit */
#define VMBUS_EPROTO 71  /* message not valid in the current state */

/*
 * Barriers, as Linux maps virt_mb/virt_rmb on x86-64 (TSO): loads are not
 * reordered with loads, stores not with stores, so rmb (and Linux's wmb,
 * which the ring does not need: it uses mb where Linux does) only stops the
 * compiler; a store followed by a load of another location
 * can be reordered by the CPU, and that needs a locked instruction.
 * "lock; orl $0,(%rsp)" is what Linux's __smp_mb uses (with an offset) and
 * is cheaper than mfence; (%rsp) itself is always mapped and ours.
 */
static inline void vmbus_barrier(void)
{
	__asm__ __volatile__("" ::: "memory");
}

static inline void vmbus_mb(void)
{
	__asm__ __volatile__("lock; orl $0, (%%rsp)" ::: "memory", "cc");
}

static inline void vmbus_rmb(void)
{
	vmbus_barrier();
}

/* READ_ONCE/WRITE_ONCE for the shared 32-bit fields: exactly one access. */
static inline u32 vmbus_load32(const volatile u32 *p)
{
	return *p;
}

static inline void vmbus_store32(volatile u32 *p, u32 v)
{
	*p = v;
}

#endif
