#include "hv/page_pool.h"
#include "hv/lib/string.h"

static void push(struct page_pool *pool, u64 pa)
{
	*(u64 *)phys_to_virt(pa) = pool->free_head;
	pool->free_head = pa;
	pool->free_pages++;
}

static u64 pop(struct page_pool *pool)
{
	u64 pa = pool->free_head;

	if (!pa)
		return 0;
	pool->free_head = *(u64 *)phys_to_virt(pa);
	pool->free_pages--;
	return pa;
}

void page_pool_add(struct page_pool *pool, u64 pa, u64 pages)
{
	spin_lock(&pool->lock);
	/* Highest address first, so allocation hands out ascending addresses. */
	while (pages--) {
		push(pool, pa + pages * PAGE_SIZE);
		pool->total_pages++;
	}
	spin_unlock(&pool->lock);
}

u64 page_pool_alloc(struct page_pool *pool)
{
	u64 pa;

	spin_lock(&pool->lock);
	pa = pop(pool);
	spin_unlock(&pool->lock);
	if (pa)
		memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

void page_pool_free(struct page_pool *pool, u64 pa)
{
	spin_lock(&pool->lock);
	push(pool, pa);
	spin_unlock(&pool->lock);
}

u64 page_pool_take(struct page_pool *pool)
{
	u64 pa;

	spin_lock(&pool->lock);
	pa = pop(pool);
	if (pa)
		pool->total_pages--;
	spin_unlock(&pool->lock);
	return pa;
}
