/* x86-64 4-level page-table builder: map, unmap (splitting large pages), lookup. */
#include "arch/x86/paging.h"

static u64 *table_of(const struct paging_ops *ops, u64 entry)
{
	return ops->phys_to_virt(ops->ctx, entry & PTE_ADDR_MASK);
}

static unsigned index_at(u64 va, int level)
{
	return (va >> (12 + 9 * (level - 1))) & 511;
}

static u64 leaf_addr_mask(int level)
{
	return PTE_ADDR_MASK & ~(paging_level_size(level) - 1);
}

/* Replaces a large leaf at @level with a table of 512 next-level leaves. */
static int split_leaf(const struct paging_ops *ops, u64 *entry, int level)
{
	u64 table = ops->alloc_table(ops->ctx);
	u64 *t, base, flags, child = paging_level_size(level - 1);
	unsigned i;

	if (!table)
		return -1;
	t = ops->phys_to_virt(ops->ctx, table);
	base = *entry & leaf_addr_mask(level);
	flags = *entry & ~leaf_addr_mask(level) & ~PTE_PS;
	if (level - 1 > 1)
		flags |= PTE_PS;
	for (i = 0; i < 512; i++)
		t[i] = (base + i * child) | flags;
	/* Intermediate entries grant everything; leaves decide access. */
	*entry = table | PTE_P | PTE_RW | PTE_US;
	return 0;
}

/*
 * Returns the entry for @va at @target level, creating tables and splitting
 * large leaves above it. NULL when out of memory.
 */
static u64 *walk_create(const struct paging_ops *ops, u64 root, u64 va, int target)
{
	u64 *table = ops->phys_to_virt(ops->ctx, root);
	int level;

	for (level = 4; level > target; level--) {
		u64 *e = &table[index_at(va, level)];

		if (!(*e & PTE_P)) {
			u64 t = ops->alloc_table(ops->ctx);

			if (!t)
				return NULL;
			*e = t | PTE_P | PTE_RW | PTE_US;
		} else if (*e & PTE_PS) {
			if (split_leaf(ops, e, level))
				return NULL;
		}
		table = table_of(ops, *e);
	}
	return &table[index_at(va, target)];
}

/* Finds the leaf (or the empty slot) covering @va without changing anything. */
static u64 *walk_find(const struct paging_ops *ops, u64 root, u64 va, int *level_out)
{
	u64 *table = ops->phys_to_virt(ops->ctx, root);
	int level;

	for (level = 4;; level--) {
		u64 *e = &table[index_at(va, level)];

		if (level == 1 || !(*e & PTE_P) || (*e & PTE_PS)) {
			*level_out = level;
			return e;
		}
		table = table_of(ops, *e);
	}
}

static int pick_level(u64 va, u64 pa, u64 size, u32 large_mask)
{
	int level;

	for (level = 3; level >= 2; level--) {
		u64 sz = paging_level_size(level);

		if ((large_mask & BIT(level)) && !(va & (sz - 1)) &&
		    !(pa & (sz - 1)) && size >= sz)
			return level;
	}
	return 1;
}

int paging_map(const struct paging_ops *ops, u64 root, u64 va, u64 pa,
	       u64 size, u64 flags, u32 large_mask)
{
	if ((va | pa | size) & (PAGE_SIZE - 1))
		return -1;
	while (size) {
		int level = pick_level(va, pa, size, large_mask);
		u64 *e;

		for (;;) {
			e = walk_create(ops, root, va, level);
			if (!e)
				return -1;
			/* Never drop a whole subtree to place a large leaf. */
			if (level == 1 || !(*e & PTE_P) || (*e & PTE_PS))
				break;
			level--;
		}
		*e = pa | flags | PTE_P | (level > 1 ? PTE_PS : 0);
		va += paging_level_size(level);
		pa += paging_level_size(level);
		size -= paging_level_size(level);
	}
	return 0;
}

int paging_unmap(const struct paging_ops *ops, u64 root, u64 va, u64 size)
{
	if ((va | size) & (PAGE_SIZE - 1))
		return -1;
	while (size) {
		int level;
		u64 *e = walk_find(ops, root, va, &level);
		u64 sz = paging_level_size(level);
		u64 skip;

		if ((*e & PTE_P) && ((va & (sz - 1)) || size < sz)) {
			if (split_leaf(ops, e, level))
				return -1;
			continue;
		}
		*e = 0;
		skip = sz - (va & (sz - 1));
		if (skip >= size)
			break;
		va += skip;
		size -= skip;
	}
	return 0;
}

int paging_lookup(const struct paging_ops *ops, u64 root, u64 va, u64 *pa,
		  u64 *flags, int *level_out)
{
	int level;
	u64 *e = walk_find(ops, root, va, &level);

	if (!(*e & PTE_P))
		return -1;
	if (pa)
		*pa = (*e & leaf_addr_mask(level)) | (va & (paging_level_size(level) - 1));
	if (flags)
		*flags = *e & ~leaf_addr_mask(level);
	if (level_out)
		*level_out = level;
	return 0;
}

static void leaves(const struct paging_ops *ops, u64 table, int level, u64 base,
		   void (*fn)(void *, u64, u64, u64), void *ctx)
{
	const u64 *t = ops->phys_to_virt(ops->ctx, table);
	unsigned i;

	for (i = 0; i < 512; i++) {
		u64 e = t[i], va = base + i * paging_level_size(level);

		if (!(e & PTE_P))
			continue;
		if (level == 1 || (e & PTE_PS))
			fn(ctx, va, e & leaf_addr_mask(level), paging_level_size(level));
		else
			leaves(ops, e & PTE_ADDR_MASK, level - 1, va, fn, ctx);
	}
}

void paging_for_each_leaf(const struct paging_ops *ops, u64 root,
			  void (*fn)(void *ctx, u64 va, u64 pa, u64 size), void *ctx)
{
	leaves(ops, root, 4, 0, fn, ctx);
}

static void free_level(const struct paging_ops *ops, u64 table, int level,
		       void (*free_table)(void *, u64), void *ctx)
{
	const u64 *t = ops->phys_to_virt(ops->ctx, table);
	unsigned i;

	for (i = 0; level > 1 && i < 512; i++)
		if ((t[i] & PTE_P) && !(t[i] & PTE_PS))
			free_level(ops, t[i] & PTE_ADDR_MASK, level - 1, free_table, ctx);
	free_table(ctx, table);
}

void paging_free_tables(const struct paging_ops *ops, u64 root,
			void (*free_table)(void *ctx, u64 pa), void *ctx)
{
	free_level(ops, root, 4, free_table, ctx);
}
