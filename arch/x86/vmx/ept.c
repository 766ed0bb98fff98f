/*
 * Extended page tables (SDM 28.3): the partition GPA maps on VMX.
 *
 * EPT entries share the 4-level layout arch/x86/paging.c builds: bit 0 is
 * read (always set on our leaves, so it doubles as the present bit), bit 1
 * write, bit 2 execute (paging.c's PTE_US, which it also sets on every
 * non-leaf entry), bits 5:3 the memory type and bit 6 "ignore PAT" on
 * leaves, bit 7 the large-page bit.
 *
 * Memory types (SDM 28.3.7): for a guest-physical access the processor
 * combines the EPT memory type with the guest's PAT type exactly as it
 * would combine an MTRR type with a PAT type natively, and the MTRRs
 * themselves are not consulted. So every leaf gets the memory type the
 * MTRRs (as the firmware programmed them at launch) give its host-physical
 * range, and "ignore PAT" stays clear: the root's identity map then yields
 * the same effective types as the bare machine (UC MMIO stays UC, RAM is
 * WB unless the guest's PAT says otherwise), and a child's RAM is WB.
 * Leaves never straddle two MTRR types: paging.c only builds a large page
 * when the whole range handed to it fits, and ranges are cut at MTRR
 * boundaries first.
 */
#include "arch/x86/gpa_map.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vmx/vmcs.h"
#include "hv/tlfs.h"
#include "hv/page_pool.h"

#define MSR_MTRRCAP 0xfe
#define MSR_MTRR_DEF_TYPE 0x2ff
#define MSR_MTRR_PHYSBASE0 0x200
#define MSR_MTRR_FIX64K 0x250
#define MSR_MTRR_FIX16K_80000 0x258
#define MSR_MTRR_FIX16K_A0000 0x259
#define MSR_MTRR_FIX4K_C0000 0x268
#define MTRRCAP_FIXED BIT(8)
#define MTRR_DEF_FIXED_ENABLE BIT(10)
#define MTRR_DEF_ENABLE BIT(11)
#define MTRR_MASK_VALID BIT(11)
#define CPUID_1_EDX_MTRR BIT(12)
#define MAX_VAR_MTRRS 16
#define FIXED_LIMIT 0x100000ULL

struct var_mtrr {
	u64 base, mask; /* mask: address bits 12 and up that must match */
	u64 end;        /* contiguous masks: base + size; 0 for a non-contiguous mask */
	u8 type;
};

static struct {
	bool ready, enabled, fixed;
	u8 default_type;
	u8 fixed_types[88]; /* 8 x 64 KiB, 16 x 16 KiB, 64 x 4 KiB */
	unsigned nvar;
	struct var_mtrr var[MAX_VAR_MTRRS];
	u64 addr_mask;
} mtrr;

static void mtrr_snapshot(void)
{
	struct cpuid_regs r;
	u64 def, cap;
	unsigned i, j, bits = 36;

	mtrr.ready = true;
	cpuid_count(0x80000000, 0, &r);
	if (r.eax >= 0x80000008) {
		cpuid_count(0x80000008, 0, &r);
		bits = r.eax & 0xff;
	}
	mtrr.addr_mask = ((1ULL << bits) - 1) & ~0xfffULL;
	cpuid_count(1, 0, &r);
	if (!(r.edx & CPUID_1_EDX_MTRR)) {
		/* No MTRRs: nothing narrows the PAT's choice. */
		mtrr.enabled = true;
		mtrr.default_type = MEMTYPE_WB;
		return;
	}
	cap = rdmsr(MSR_MTRRCAP);
	def = rdmsr(MSR_MTRR_DEF_TYPE);
	mtrr.enabled = def & MTRR_DEF_ENABLE;
	mtrr.default_type = (u8)def;
	mtrr.fixed = (cap & MTRRCAP_FIXED) && (def & MTRR_DEF_FIXED_ENABLE);
	if (mtrr.fixed) {
		static const u32 msrs[11] = {
			MSR_MTRR_FIX64K, MSR_MTRR_FIX16K_80000, MSR_MTRR_FIX16K_A0000,
			MSR_MTRR_FIX4K_C0000, MSR_MTRR_FIX4K_C0000 + 1, MSR_MTRR_FIX4K_C0000 + 2,
			MSR_MTRR_FIX4K_C0000 + 3, MSR_MTRR_FIX4K_C0000 + 4, MSR_MTRR_FIX4K_C0000 + 5,
			MSR_MTRR_FIX4K_C0000 + 6, MSR_MTRR_FIX4K_C0000 + 7,
		};

		for (i = 0; i < 11; i++) {
			u64 v = rdmsr(msrs[i]);

			for (j = 0; j < 8; j++)
				mtrr.fixed_types[i * 8 + j] = (u8)(v >> (8 * j));
		}
	}
	for (i = 0; i < (cap & 0xff) && mtrr.nvar < MAX_VAR_MTRRS; i++) {
		u64 base = rdmsr(MSR_MTRR_PHYSBASE0 + 2 * i);
		u64 mask = rdmsr(MSR_MTRR_PHYSBASE0 + 2 * i + 1);
		struct var_mtrr *v = &mtrr.var[mtrr.nvar];
		u64 inv;

		if (!(mask & MTRR_MASK_VALID))
			continue;
		v->mask = mask & mtrr.addr_mask;
		v->base = base & v->mask;
		v->type = (u8)base;
		inv = ~v->mask & mtrr.addr_mask;
		v->end = !(inv & (inv + 0x1000)) ? v->base + inv + 0x1000 : 0;
		mtrr.nvar++;
	}
}

/* SDM 11.11.4.1: how overlapping variable ranges combine. */
static u8 combine(u8 a, u8 b)
{
	if (a == b)
		return a;
	if (a == MEMTYPE_UC || b == MEMTYPE_UC)
		return MEMTYPE_UC;
	if ((a == MEMTYPE_WT && b == MEMTYPE_WB) || (a == MEMTYPE_WB && b == MEMTYPE_WT))
		return MEMTYPE_WT;
	return MEMTYPE_UC; /* undefined combinations: the safe choice */
}

/* Memory type at @pa and how many bytes from @pa on are sure to share it. */
static u8 mtrr_type(u64 pa, u64 *uniform)
{
	u64 run = ~0ULL;
	int type = -1;
	unsigned i;

	if (!mtrr.enabled) {
		*uniform = ~0ULL - pa;
		return MEMTYPE_UC;
	}
	if (mtrr.fixed && pa < FIXED_LIMIT) {
		unsigned idx;
		u64 size, start;

		if (pa < 0x80000) {
			size = 0x10000, idx = (unsigned)(pa / size), start = 0;
		} else if (pa < 0xc0000) {
			size = 0x4000, idx = 8 + (unsigned)((pa - 0x80000) / size), start = 0x80000;
		} else {
			size = 0x1000, idx = 24 + (unsigned)((pa - 0xc0000) / size), start = 0xc0000;
		}
		(void)start;
		*uniform = size - (pa & (size - 1));
		return mtrr.fixed_types[idx];
	}
	for (i = 0; i < mtrr.nvar; i++) {
		const struct var_mtrr *v = &mtrr.var[i];
		bool hit = (pa & v->mask) == v->base;

		if (v->end) {
			u64 left = pa < v->base ? v->base - pa : pa < v->end ? v->end - pa : ~0ULL;

			run = MIN(run, left);
		} else {
			/* The match repeats with the lowest mask bit's period. */
			u64 block = v->mask & -v->mask;

			run = MIN(run, block - (pa & (block - 1)));
		}
		if (hit)
			type = type < 0 ? v->type : combine((u8)type, v->type);
	}
	if (mtrr.fixed && pa < FIXED_LIMIT)
		run = MIN(run, FIXED_LIMIT - pa);
	*uniform = run;
	return type < 0 ? mtrr.default_type : (u8)type;
}

static void *identity(void *ctx, u64 pa)
{
	(void)ctx;
	return phys_to_virt(pa);
}

static u64 ept_flags(u32 access, u8 type)
{
	u64 f = EPT_R | ((u64)type << EPT_MEMTYPE_SHIFT);

	if (access & HV_MAP_GPA_WRITABLE)
		f |= EPT_W;
	if (access & (HV_MAP_GPA_KERNEL_EXECUTABLE | HV_MAP_GPA_USER_EXECUTABLE))
		f |= EPT_X;
	return f;
}

int gpa_map_init(struct gpa_map *map, u64 (*alloc_table)(void *), void *ctx, u32 large_mask)
{
	if (!mtrr.ready)
		mtrr_snapshot();
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
	while (size) {
		u64 uniform, len, more;
		u8 type = mtrr_type(spa, &uniform);

		len = MIN(size, uniform);
		/* Merge the following ranges of the same type into one call. */
		while (len < size && mtrr_type(spa + len, &more) == type)
			len += MIN(size - len, more);
		len = ALIGN_UP(len, PAGE_SIZE);
		if (len > size)
			len = size;
		if (paging_map(&map->ops, map->root, gpa, spa, len, ept_flags(access, type),
			       map->large_mask))
			return -1;
		gpa += len;
		spa += len;
		size -= len;
	}
	return 0;
}

int gpa_map_translate(const struct gpa_map *map, u64 gpa, u32 access, u64 *spa)
{
	u64 flags;

	if (!map->root || paging_lookup(&map->ops, map->root, gpa, spa, &flags, NULL))
		return -1;
	if ((access & HV_MAP_GPA_WRITABLE) && !(flags & EPT_W))
		return -1;
	if ((access & (HV_MAP_GPA_KERNEL_EXECUTABLE | HV_MAP_GPA_USER_EXECUTABLE)) &&
	    !(flags & EPT_X))
		return -1;
	return 0;
}

