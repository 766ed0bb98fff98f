/* The x86-64 page-table builder shared by the loader, hypervisor page tables and NPT. */
#include <string.h>
#include "unit.h"
#include "arch/x86/paging.h"

#define ARENA_PAGES 64
static u8 arena[ARENA_PAGES][4096] __attribute__((aligned(4096)));
static unsigned tables_used, table_limit = ARENA_PAGES;

static u64 alloc_table(void *ctx)
{
	(void)ctx;
	if (tables_used >= table_limit)
		return 0;
	memset(arena[tables_used], 0, 4096);
	return (u64)(uintptr_t)arena[tables_used++];
}

static void *to_virt(void *ctx, u64 pa)
{
	(void)ctx;
	return (void *)(uintptr_t)pa;
}

static const struct paging_ops ops = { NULL, alloc_table, to_virt };

static u64 new_root(void)
{
	tables_used = 0;
	table_limit = ARENA_PAGES;
	return alloc_table(NULL);
}

static void identity_with_large_pages(void)
{
	u64 root = new_root(), pa, flags;
	int level;

	CHECK_EQ(paging_map(&ops, root, 0, 0, 8ULL << 30, PTE_RW, PAGING_LARGE_1G | PAGING_LARGE_2M), 0);
	/* 8 GiB in 1 GiB leaves: PML4 + one PDPT. */
	CHECK_EQ(tables_used, 2);
	CHECK_EQ(paging_lookup(&ops, root, 0x123456789ULL, &pa, &flags, &level), 0);
	CHECK_EQ(pa, 0x123456789ULL);
	CHECK_EQ(level, 3);
	CHECK(flags & PTE_RW);
	CHECK(paging_lookup(&ops, root, 8ULL << 30, &pa, NULL, NULL) != 0);
}

static void unaligned_range_uses_smaller_pages(void)
{
	u64 root = new_root(), pa;
	int level;

	CHECK_EQ(paging_map(&ops, root, 0x1ff000, 0x1ff000, 0x402000, PTE_RW, PAGING_LARGE_2M), 0);
	CHECK_EQ(paging_lookup(&ops, root, 0x1ff000, &pa, NULL, &level), 0);
	CHECK_EQ(level, 1);
	CHECK_EQ(paging_lookup(&ops, root, 0x200000, &pa, NULL, &level), 0);
	CHECK_EQ(level, 2);
	CHECK_EQ(paging_lookup(&ops, root, 0x600000, &pa, NULL, &level), 0);
	CHECK_EQ(level, 1);
	CHECK(paging_lookup(&ops, root, 0x601000, &pa, NULL, NULL) != 0);
	CHECK(paging_lookup(&ops, root, 0x1fe000, &pa, NULL, NULL) != 0);
}

static void unmap_one_page_splits_1g(void)
{
	u64 root = new_root(), pa, flags;
	int level;

	paging_map(&ops, root, 0, 0, 1ULL << 30, PTE_RW | PTE_US, PAGING_LARGE_1G | PAGING_LARGE_2M);
	CHECK_EQ(paging_unmap(&ops, root, 0x12345000, 0x1000), 0);
	CHECK(paging_lookup(&ops, root, 0x12345000, &pa, NULL, NULL) != 0);
	CHECK_EQ(paging_lookup(&ops, root, 0x12344fff, &pa, &flags, &level), 0);
	CHECK_EQ(pa, 0x12344fff);
	CHECK_EQ(level, 1);
	CHECK(flags & PTE_US);
	CHECK_EQ(paging_lookup(&ops, root, 0x12346000, &pa, NULL, NULL), 0);
	CHECK_EQ(pa, 0x12346000);
	/* Far away the 2 MiB leaves from the split stay large. */
	CHECK_EQ(paging_lookup(&ops, root, 0x30000000, &pa, NULL, &level), 0);
	CHECK_EQ(level, 2);
}

static void remap_over_large_page(void)
{
	u64 root = new_root(), pa;

	paging_map(&ops, root, 0, 0, 2ULL << 20, PTE_RW, PAGING_LARGE_2M);
	CHECK_EQ(paging_map(&ops, root, 0x5000, 0x99000, 0x1000, PTE_RW, PAGING_LARGE_2M), 0);
	CHECK_EQ(paging_lookup(&ops, root, 0x5008, &pa, NULL, NULL), 0);
	CHECK_EQ(pa, 0x99008);
	CHECK_EQ(paging_lookup(&ops, root, 0x6008, &pa, NULL, NULL), 0);
	CHECK_EQ(pa, 0x6008);
}

static void out_of_tables_fails_cleanly(void)
{
	u64 root = new_root();

	table_limit = 2;
	CHECK(paging_map(&ops, root, 0x40000000, 0x1000, 0x1000, PTE_RW, 0) != 0);
	CHECK(paging_map(&ops, root, 1, 0, 0x1000, PTE_RW, 0) != 0);
}

static u64 leaf_bytes;
static unsigned leaf_count, freed;

static void count_leaf(void *ctx, u64 va, u64 pa, u64 size)
{
	(void)ctx;
	CHECK_EQ(va, pa);
	leaf_bytes += size;
	leaf_count++;
}

static void count_free(void *ctx, u64 pa)
{
	(void)ctx;
	(void)pa;
	freed++;
}

static void leaves_and_teardown(void)
{
	u64 root = new_root();

	paging_map(&ops, root, 0x1ff000, 0x1ff000, 0x402000, PTE_RW, PAGING_LARGE_2M);
	paging_map(&ops, root, 1ULL << 39, 1ULL << 39, 1ULL << 30, PTE_RW, PAGING_LARGE_1G);
	leaf_bytes = leaf_count = freed = 0;
	paging_for_each_leaf(&ops, root, count_leaf, NULL);
	CHECK_EQ(leaf_bytes, 0x402000 + (1ULL << 30));
	CHECK_EQ(leaf_count, 1 + 2 + 1 + 1); /* 4K, two 2M, 4K, one 1G */
	paging_free_tables(&ops, root, count_free, NULL);
	CHECK_EQ(freed, tables_used);
}

UNIT_MAIN("paging", CASE(leaves_and_teardown), CASE(identity_with_large_pages), CASE(unaligned_range_uses_smaller_pages),
	  CASE(unmap_one_page_splits_1g), CASE(remap_over_large_page),
	  CASE(out_of_tables_fails_cleanly))
