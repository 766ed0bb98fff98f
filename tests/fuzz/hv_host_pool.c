/*
 * Free pool pages are poisoned for AddressSanitizer, but for the word that
 * links them: a hypervisor object used after its page went back to a pool
 * (a VP after HvCallDeleteVp, a port after its partition's teardown, ...)
 * is reported at the access. The wrappers stand between every other file
 * and hv/page_pool.c (linked with --wrap=page_pool_*), which is unchanged.
 */
#include <sanitizer/asan_interface.h>
#include "hv/page_pool.h"

#define LINK_BYTES sizeof(u64)

u64 __real_page_pool_alloc(struct page_pool *pool);
void __real_page_pool_free(struct page_pool *pool, u64 pa);
void __real_page_pool_add(struct page_pool *pool, u64 pa, u64 pages);
u64 __real_page_pool_take(struct page_pool *pool);

static void poison(u64 pa)
{
	ASAN_POISON_MEMORY_REGION((u8 *)phys_to_virt(pa) + LINK_BYTES, PAGE_SIZE - LINK_BYTES);
}

static void unpoison(u64 pa)
{
	ASAN_UNPOISON_MEMORY_REGION(phys_to_virt(pa), PAGE_SIZE);
}

u64 __wrap_page_pool_alloc(struct page_pool *pool)
{
	/* The page about to be handed out is the head; page_pool_alloc zeroes it. */
	if (pool->free_head)
		unpoison(pool->free_head);
	return __real_page_pool_alloc(pool);
}

void __wrap_page_pool_free(struct page_pool *pool, u64 pa)
{
	__real_page_pool_free(pool, pa);
	poison(pa);
}

void __wrap_page_pool_add(struct page_pool *pool, u64 pa, u64 pages)
{
	u64 i;

	__real_page_pool_add(pool, pa, pages);
	for (i = 0; i < pages; i++)
		poison(pa + i * PAGE_SIZE);
}

u64 __wrap_page_pool_take(struct page_pool *pool)
{
	u64 pa = __real_page_pool_take(pool);

	if (pa)
		unpoison(pa);
	return pa;
}
