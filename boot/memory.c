/*
 * The hypervisor's memory: how much physical address space its identity map
 * must cover, the reserved region that holds its image, page tables, boot
 * info and heap, and the page tables themselves.
 */
#include <cpuid.h>

#include "boot/loader.h"

/* gnu-efi's EFI_MEMORY_TYPE stops before UEFI 2.5's persistent memory. */
#define EFI_PERSISTENT_MEMORY 14

/* Identity-mapped addresses are virtual ones too: stay in the lower canonical half. */
#define IDENTITY_MAP_MAX (1ULL << 47)

#define GIB (1ULL << 30)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))

static bool is_ram(UINT32 type)
{
	switch (type) {
	case EfiConventionalMemory:
	case EfiLoaderCode:
	case EfiLoaderData:
	case EfiBootServicesCode:
	case EfiBootServicesData:
	case EfiRuntimeServicesCode:
	case EfiRuntimeServicesData:
	case EfiACPIReclaimMemory:
	case EfiACPIMemoryNVS:
	case EFI_PERSISTENT_MEMORY:
		return true;
	}
	return false;
}

EFI_STATUS phys_layout_probe(struct phys_layout *pl)
{
	UINTN entries, key, desc_size, i;
	EFI_MEMORY_DESCRIPTOR *map;
	UINT32 desc_version;
	u32 a, b, c, d;
	u64 map_end = 0;
	bool gb_pages;
	int level;

	map = LibMemoryMap(&entries, &key, &desc_size, &desc_version);
	if (!map) {
		Print(LOADER_NAME L": cannot read the EFI memory map\n");
		return EFI_OUT_OF_RESOURCES;
	}
	pl->ram_limit = 0;
	for (i = 0; i < entries; i++) {
		/* Descriptors may be larger than the struct we know: step by desc_size. */
		const EFI_MEMORY_DESCRIPTOR *md = (void *)((u8 *)map + i * desc_size);
		u64 end = md->PhysicalStart + md->NumberOfPages * PAGE_SIZE;

		map_end = MAX(map_end, end);
		if (is_ram(md->Type))
			pl->ram_limit = MAX(pl->ram_limit, end);
	}
	FreePool(map);

	pl->phys_bits = 36;
	if (__get_cpuid(0x80000008, &a, &b, &c, &d))
		pl->phys_bits = a & 0xff;
	gb_pages = __get_cpuid(0x80000001, &a, &b, &c, &d) && (d & BIT(26));
	if (gb_pages) {
		/* 1 GiB leaves make covering all of it nearly free. */
		pl->phys_limit = 1ULL << pl->phys_bits;
		pl->large_mask = PAGING_LARGE_1G | PAGING_LARGE_2M;
	} else {
		pl->phys_limit = MAX(4 * GIB, map_end);
		pl->large_mask = PAGING_LARGE_2M;
	}
	pl->phys_limit = MIN(ALIGN_UP(pl->phys_limit, GIB), IDENTITY_MAP_MAX);

	/* phys_limit is 1 GiB aligned, so no level below the largest leaf is needed. */
	pl->table_pages = 1;
	for (level = 3; level >= (gb_pages ? 3 : 2); level--)
		pl->table_pages += DIV_ROUND_UP(pl->phys_limit, paging_level_size(level + 1));
	return EFI_SUCCESS;
}

EFI_STATUS region_alloc(u64 size, u64 *base)
{
	/* Over-allocate by the alignment, then hand back the unaligned ends. */
	UINTN pages = EFI_SIZE_TO_PAGES(size + HV_REGION_ALIGN);
	EFI_PHYSICAL_ADDRESS addr;
	EFI_STATUS status;
	u64 aligned, tail;

	status = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages,
				   EfiReservedMemoryType, pages, &addr);
	if (EFI_ERROR(status)) {
		Print(LOADER_NAME L": cannot allocate %ld MiB for the hypervisor: %r\n",
		      (size + HV_REGION_ALIGN) >> 20, status);
		return status;
	}
	aligned = ALIGN_UP(addr, HV_REGION_ALIGN);
	tail = addr + pages * PAGE_SIZE - (aligned + size);
	if (aligned > addr)
		uefi_call_wrapper(BS->FreePages, 2, addr, EFI_SIZE_TO_PAGES(aligned - addr));
	if (tail)
		uefi_call_wrapper(BS->FreePages, 2, aligned + size, EFI_SIZE_TO_PAGES(tail));
	uefi_call_wrapper(BS->SetMem, 3, (void *)aligned, size, 0);
	*base = aligned;
	return EFI_SUCCESS;
}

void region_free(u64 base, u64 size)
{
	uefi_call_wrapper(BS->FreePages, 2, base, EFI_SIZE_TO_PAGES(size));
}

struct table_pool {
	u64 next;
	u64 end;
};

/* The region is zeroed up front, so pages come out zeroed as the contract asks. */
static u64 table_alloc(void *ctx)
{
	struct table_pool *pool = ctx;
	u64 pa = pool->next;

	if (pa >= pool->end)
		return 0;
	pool->next += PAGE_SIZE;
	return pa;
}

static void *identity(void *ctx, u64 pa)
{
	(void)ctx;
	return (void *)(UINTN)pa;
}

EFI_STATUS identity_map_build(const struct phys_layout *pl, u64 tables, u64 *cr3)
{
	struct table_pool pool = { tables, tables + pl->table_pages * PAGE_SIZE };
	const struct paging_ops ops = { &pool, table_alloc, identity };
	u64 root = table_alloc(&pool);

	if (paging_map(&ops, root, 0, 0, pl->phys_limit, PTE_RW, pl->large_mask)) {
		Print(LOADER_NAME L": %ld page-table pages are not enough for the identity map\n",
		      pl->table_pages);
		return EFI_OUT_OF_RESOURCES;
	}
	*cr3 = root;
	return EFI_SUCCESS;
}
