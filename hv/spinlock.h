#ifndef HV_SPINLOCK_H
#define HV_SPINLOCK_H

#include "hv/types.h"

/*
 * The hypervisor never takes interrupts (GIF stays clear in host mode), so a
 * plain test-and-set lock is enough.
 */
struct spinlock {
	volatile u32 locked;
};

static inline void spin_lock(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (l->locked)
			__builtin_ia32_pause();
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
