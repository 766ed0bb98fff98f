/*
 * A partition's guest-physical address map (nested page tables on AMD,
 * extended page tables on Intel). Access rights use HV_MAP_GPA_* bits.
 */
#ifndef ARCH_X86_GPA_MAP_H
#define ARCH_X86_GPA_MAP_H

#include "hv/types.h"
#include "arch/x86/paging.h"

struct gpa_map {
	u64 root;              /* physical address of the top-level table */
	struct paging_ops ops; /* where table pages come from */
	u32 large_mask;        /* PAGING_LARGE_* the CPU supports */
	volatile u64 generation; /* bumped on every unmap or permission cut */
};

int gpa_map_init(struct gpa_map *map, u64 (*alloc_table)(void *), void *ctx,
		 u32 large_mask);
int gpa_map_map(struct gpa_map *map, u64 gpa, u64 spa, u64 size, u32 access);
int gpa_map_unmap(struct gpa_map *map, u64 gpa, u64 size);
/* 0 with *spa set when gpa is mapped with at least @access, -1 otherwise. */
int gpa_map_translate(const struct gpa_map *map, u64 gpa, u32 access, u64 *spa);
/* Gives back every table page (not the mapped pages). */
void gpa_map_destroy(struct gpa_map *map, void (*free_table)(void *, u64), void *ctx);
/* Calls fn for every mapped 4 KiB-or-larger leaf (spa, bytes). */
void gpa_map_for_each(const struct gpa_map *map,
		      void (*fn)(void *ctx, u64 gpa, u64 spa, u64 size), void *ctx);

#endif
