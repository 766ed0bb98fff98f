/*
 * x86-64 4-level page tables. The same format serves the hypervisor's own
 * address space and AMD nested page tables (APM vol. 2, 15.25), so one
 * builder serves both; it is also compiled into the loader and host tests.
 */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include "hv/types.h"

#define PTE_P BIT(0)
#define PTE_RW BIT(1)
#define PTE_US BIT(2)
#define PTE_PWT BIT(3)
#define PTE_PCD BIT(4)
#define PTE_A BIT(5)
#define PTE_D BIT(6)
#define PTE_PS BIT(7)
#define PTE_G BIT(8)
#define PTE_NX BIT(63)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL

/* Levels: 1 = 4 KiB entries (PT), 2 = 2 MiB (PD), 3 = 1 GiB (PDPT), 4 = PML4. */
#define PAGING_LARGE_2M BIT(2)
#define PAGING_LARGE_1G BIT(3)

static inline u64 paging_level_size(int level)
{
	return 1ULL << (12 + 9 * (level - 1));
}

struct paging_ops {
	void *ctx;
	/* Returns the physical address of a zeroed page, or 0 when out of memory. */
	u64 (*alloc_table)(void *ctx);
	void *(*phys_to_virt)(void *ctx, u64 pa);
};

int paging_map(const struct paging_ops *ops, u64 root, u64 va, u64 pa,
	       u64 size, u64 flags, u32 large_mask);
int paging_unmap(const struct paging_ops *ops, u64 root, u64 va, u64 size);
int paging_lookup(const struct paging_ops *ops, u64 root, u64 va, u64 *pa,
		  u64 *flags, int *level);
/* Every leaf (va, pa, bytes); bit 0 is "present" in both x86 and EPT entries. */
void paging_for_each_leaf(const struct paging_ops *ops, u64 root,
			  void (*fn)(void *ctx, u64 va, u64 pa, u64 size), void *ctx);
/* Gives back every table page of the tree, the root included. */
void paging_free_tables(const struct paging_ops *ops, u64 root,
			void (*free_table)(void *ctx, u64 pa), void *ctx);

#endif
