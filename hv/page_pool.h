/*
 * A pool of 4 KiB pages: the hypervisor's own heap, and each partition's
 * deposited memory. Free pages are linked through their first word.
 */
#ifndef HV_PAGE_POOL_H
#define HV_PAGE_POOL_H

#include "hv/types.h"
#include "hv/spinlock.h"

struct page_pool {
	struct spinlock lock;
	u64 free_head; /* physical address of the first free page, 0 = empty */
	u64 free_pages;
	u64 total_pages;
};

void page_pool_add(struct page_pool *pool, u64 pa, u64 pages);
/* A zeroed page's physical address, or 0 when the pool is empty. */
u64 page_pool_alloc(struct page_pool *pool);
void page_pool_free(struct page_pool *pool, u64 pa);
/* Takes one free page out of the pool for good (withdrawal). 0 when none. */
u64 page_pool_take(struct page_pool *pool);

/* The hypervisor accesses physical memory through an identity map. */
static inline void *phys_to_virt(u64 pa)
{
	return (void *)(uintptr_t)pa;
}

static inline u64 virt_to_phys(const void *va)
{
	return (u64)(uintptr_t)va;
}

#endif
