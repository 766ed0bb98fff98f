/* Nested page tables (APM 15.25): the x86-64 page-table format, user bit set on every entry. */
#include "arch/x86/gpa_map.h"
#include "hv/page_pool.h"
#include "hv/tlfs.h"

static void *identity(void *ctx, u64 pa)
{
	(void)ctx;
	return phys_to_virt(pa);
}

static u64 pte_flags(u32 access)
{
	u64 f = PTE_US;

	if (access & HV_MAP_GPA_WRITABLE)
		f |= PTE_RW;
	if (!(access & (HV_MAP_GPA_KERNEL_EXECUTABLE | HV_MAP_GPA_USER_EXECUTABLE)))
		f |= PTE_NX;
	return f;
}

int gpa_map_init(struct gpa_map *map, u64 (*alloc_table)(void *), void *ctx, u32 large_mask)
{
	map->ops.ctx = ctx;
	map->ops.alloc_table = alloc_table;
	map->ops.phys_to_virt = identity;
	map->large_mask = large_mask;
	map->generation = 0;
	map->root = alloc_table(ctx);
	return map->root ? 0 : -1;
}

int gpa_map_map(struct gpa_map *map, u64 gpa, u64 spa, u64 size, u32 access)
{
	return paging_map(&map->ops, map->root, gpa, spa, size, pte_flags(access), map->large_mask);
}

int gpa_map_translate(const struct gpa_map *map, u64 gpa, u32 access, u64 *spa)
{
	u64 flags;

	if (!map->root || paging_lookup(&map->ops, map->root, gpa, spa, &flags, NULL))
		return -1;
	if ((access & HV_MAP_GPA_WRITABLE) && !(flags & PTE_RW))
		return -1;
	if ((access & (HV_MAP_GPA_KERNEL_EXECUTABLE | HV_MAP_GPA_USER_EXECUTABLE)) &&
	    (flags & PTE_NX))
		return -1;
	return 0;
}

