/* The vendor-independent half of a GPA map: both NPT and EPT trees are walked alike. */
#include "arch/x86/gpa_map.h"

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
