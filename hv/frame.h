/*
 * Who owns each RAM frame, and how many child mappings point at it.
 *
 * The root owns all RAM at launch except the hypervisor's region. A frame
 * deposited into a partition belongs to the hypervisor until withdrawn; a
 * root frame mapped into children is counted so that it can never be
 * deposited (and become hypervisor metadata) while a child can reach it.
 * Frames above the RAM limit (MMIO) are not tracked.
 */
#ifndef HV_FRAME_H
#define HV_FRAME_H

#include "hv/types.h"

#define FRAME_OWNER_ROOT 0
#define FRAME_OWNER_HV 1
/* Deposited frames: FRAME_OWNER_POOL + partition slot. */
#define FRAME_OWNER_POOL 2
#define FRAME_MAX_MAPS 0xff

struct frame_table {
	u16 *entries;
	u64 frames;
};

/* Bytes of table needed to cover RAM below ram_limit. */
u64 frame_table_bytes(u64 ram_limit);
void frame_table_init(struct frame_table *ft, void *mem, u64 ram_limit);

bool frame_is_tracked(const struct frame_table *ft, u64 pfn);
u32 frame_owner(const struct frame_table *ft, u64 pfn);
u32 frame_maps(const struct frame_table *ft, u64 pfn);
void frame_set_owner(struct frame_table *ft, u64 pfn, u32 owner);
/* false when the count is saturated */
bool frame_map_get(struct frame_table *ft, u64 pfn);
void frame_map_put(struct frame_table *ft, u64 pfn);

#endif
