#include "hv/frame.h"
#include "hv/lib/string.h"

#define OWNER_MASK 0xff
#define MAPS_SHIFT 8

u64 frame_table_bytes(u64 ram_limit)
{
	return ALIGN_UP(ram_limit, PAGE_SIZE) / PAGE_SIZE * sizeof(u16);
}

void frame_table_init(struct frame_table *ft, void *mem, u64 ram_limit)
{
	ft->entries = mem;
	ft->frames = ALIGN_UP(ram_limit, PAGE_SIZE) / PAGE_SIZE;
	memset(mem, 0, frame_table_bytes(ram_limit));
}

bool frame_is_tracked(const struct frame_table *ft, u64 pfn)
{
	return pfn < ft->frames;
}

u32 frame_owner(const struct frame_table *ft, u64 pfn)
{
	return pfn < ft->frames ? ft->entries[pfn] & OWNER_MASK : FRAME_OWNER_ROOT;
}

u32 frame_maps(const struct frame_table *ft, u64 pfn)
{
	return pfn < ft->frames ? ft->entries[pfn] >> MAPS_SHIFT : 0;
}

void frame_set_owner(struct frame_table *ft, u64 pfn, u32 owner)
{
	if (pfn < ft->frames)
		ft->entries[pfn] = (ft->entries[pfn] & ~OWNER_MASK) | owner;
}

bool frame_map_get(struct frame_table *ft, u64 pfn)
{
	if (pfn >= ft->frames)
		return true;
	if (frame_maps(ft, pfn) == FRAME_MAX_MAPS)
		return false;
	ft->entries[pfn] += 1 << MAPS_SHIFT;
	return true;
}

void frame_map_put(struct frame_table *ft, u64 pfn)
{
	if (pfn < ft->frames && frame_maps(ft, pfn))
		ft->entries[pfn] -= 1 << MAPS_SHIFT;
}
