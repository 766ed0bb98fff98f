/* Page pools and the frame ownership table. */
#include <string.h>
#include "unit.h"
#include "hv/page_pool.h"
#include "hv/frame.h"

static void pool_alloc_free(void)
{
	struct page_pool pool = { 0 };
	u8 *mem = aligned_alloc(4096, 4 * 4096);
	u64 base = (u64)(uintptr_t)mem, a, b, c, d, e;

	memset(mem, 0xaa, 4 * 4096);
	page_pool_add(&pool, base, 4);
	CHECK_EQ(pool.free_pages, 4);
	a = page_pool_alloc(&pool);
	CHECK_EQ(a, base);
	CHECK_EQ(((u8 *)(uintptr_t)a)[4095], 0);
	b = page_pool_alloc(&pool);
	c = page_pool_alloc(&pool);
	d = page_pool_alloc(&pool);
	e = page_pool_alloc(&pool);
	CHECK(b && c && d);
	CHECK_EQ(e, 0);
	page_pool_free(&pool, b);
	CHECK_EQ(page_pool_alloc(&pool), b);
	page_pool_free(&pool, c);
	CHECK_EQ(page_pool_take(&pool), c);
	CHECK_EQ(pool.total_pages, 3);
	CHECK_EQ(page_pool_take(&pool), 0);
	free(mem);
}

static void frames_ownership_and_maps(void)
{
	struct frame_table ft;
	void *mem = malloc(frame_table_bytes(1 << 20));

	frame_table_init(&ft, mem, 1 << 20);
	CHECK_EQ(ft.frames, 256);
	CHECK_EQ(frame_owner(&ft, 10), FRAME_OWNER_ROOT);
	frame_set_owner(&ft, 10, FRAME_OWNER_POOL + 3);
	CHECK_EQ(frame_owner(&ft, 10), FRAME_OWNER_POOL + 3);
	CHECK(frame_map_get(&ft, 11));
	CHECK(frame_map_get(&ft, 11));
	CHECK_EQ(frame_maps(&ft, 11), 2);
	CHECK_EQ(frame_owner(&ft, 11), FRAME_OWNER_ROOT);
	frame_map_put(&ft, 11);
	frame_map_put(&ft, 11);
	frame_map_put(&ft, 11);
	CHECK_EQ(frame_maps(&ft, 11), 0);
	free(mem);
}

static void frame_map_count_saturates(void)
{
	struct frame_table ft;
	void *mem = malloc(frame_table_bytes(1 << 20));
	unsigned i;

	frame_table_init(&ft, mem, 1 << 20);
	for (i = 0; i < FRAME_MAX_MAPS; i++)
		CHECK(frame_map_get(&ft, 5));
	CHECK(!frame_map_get(&ft, 5));
	CHECK_EQ(frame_owner(&ft, 5), FRAME_OWNER_ROOT);
	/* MMIO above RAM is not tracked and always mappable. */
	CHECK(!frame_is_tracked(&ft, 256));
	CHECK(frame_map_get(&ft, 100000));
	free(mem);
}

UNIT_MAIN("memory", CASE(pool_alloc_free), CASE(frames_ownership_and_maps),
	  CASE(frame_map_count_saturates))
