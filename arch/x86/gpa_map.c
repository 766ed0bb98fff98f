/* The vendor-independent half of a GPA map: both NPT and EPT trees are walked alike. */
#include "arch/x86/gpa_map.h"

int gpa_map_unmap(struct gpa_map *map, u64 gpa, u64 size)
{
	int r = paging_unmap(&map->ops, map->root, gpa, size);

	__atomic_add_fetch(&map->generation, 1, __ATOMIC_RELEASE);
	return r;
}

void gpa_map_for_each(const struct gpa_map *map, void (*fn)(void *, u64, u64, u64), void *ctx)
{
	if (map->root)
		paging_for_each_leaf(&map->ops, map->root, fn, ctx);
}

void gpa_map_destroy(struct gpa_map *map, void (*free_table)(void *, u64), void *ctx)
{
	if (map->root)
		paging_free_tables(&map->ops, map->root, free_table, ctx);
	map->root = 0;
}
