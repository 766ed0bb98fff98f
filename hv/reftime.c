#include "hv/reftime.h"
#include "hv/partition.h"
#include "hv/vp.h"
#include "hv/vlapic.h"
#include "hv/time.h"
#include "hv/lib/string.h"

#define REF_HZ 10000000ULL /* 100 ns units */
#define PAGE_REG_RSVDP 0xffeULL

static u64 tsc_scale; /* 2^64 * REF_HZ / tsc_hz, as the TSC page wants it */

/* floor(REF_HZ * 2^64 / hz) by long division in 16-bit digits: no 128-bit divide. */
static u64 scale_for(u64 hz)
{
	u64 rem = REF_HZ % hz, q = REF_HZ / hz;
	int i;

	for (i = 0; i < 4; i++) {
		rem <<= 16;
		q = (q << 16) | (rem / hz);
		rem %= hz;
	}
	return q;
}

static u64 scaled(u64 tsc)
{
	return (u64)(((unsigned __int128)tsc * tsc_scale) >> 64);
}

void reftime_init(u64 tsc_hz)
{
	tsc_scale = scale_for(tsc_hz);
}

void reftime_partition_init(struct partition *p)
{
	/* The counter starts at zero when the partition is created (timers.md). */
	p->reftime_offset = -(s64)scaled(time_tsc());
}

u64 reftime_now(const struct partition *p)
{
	return scaled(time_tsc()) + (u64)p->reftime_offset;
}

u64 reftime_to_tsc(const struct partition *p, u64 ref)
{
	u64 ticks = ref - (u64)p->reftime_offset;

	return ticks / REF_HZ * time_tsc_hz() + ticks % REF_HZ * time_tsc_hz() / REF_HZ;
}

bool reftime_owns_msr(u32 msr)
{
	return msr >= HV_X64_MSR_TIME_REF_COUNT && msr <= HV_X64_MSR_APIC_FREQUENCY;
}

static bool has(const struct vp *vp, u64 privilege)
{
	return vp->partition->privileges & privilege;
}

bool reftime_msr_read(struct vp *vp, u32 msr, u64 *value)
{
	switch (msr) {
	case HV_X64_MSR_TIME_REF_COUNT:
		*value = reftime_now(vp->partition);
		return has(vp, HV_ACCESS_PARTITION_REFERENCE_COUNTER);
	case HV_X64_MSR_REFERENCE_TSC:
		*value = vp->partition->reference_tsc_msr;
		return has(vp, HV_ACCESS_PARTITION_REFERENCE_TSC);
	case HV_X64_MSR_TSC_FREQUENCY:
		*value = time_tsc_hz();
		return has(vp, HV_ACCESS_FREQUENCY_REGS);
	case HV_X64_MSR_APIC_FREQUENCY:
		*value = VLAPIC_BUS_HZ;
		return has(vp, HV_ACCESS_FREQUENCY_REGS);
	}
	return false;
}

/* Fills the partition's TSC page: guest TSC = host TSC (no offsetting yet). */
static bool publish_page(struct partition *p, u64 gpa)
{
	HV_REFERENCE_TSC_PAGE *page;
	u64 spa;

	if (gpa_map_translate(&p->gpa_map, gpa, HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE, &spa))
		return false;
	page = phys_to_virt(spa);
	memset(page, 0, sizeof(*page));
	page->TscScale = tsc_scale;
	page->TscOffset = p->reftime_offset;
	__atomic_store_n(&page->TscSequence, 1, __ATOMIC_RELEASE);
	return true;
}

bool reftime_msr_write(struct vp *vp, u32 msr, u64 value)
{
	struct partition *p = vp->partition;

	if (msr != HV_X64_MSR_REFERENCE_TSC || !has(vp, HV_ACCESS_PARTITION_REFERENCE_TSC))
		return false; /* the counter and the frequencies are read-only */
	value = (value & ~PAGE_REG_RSVDP) | (p->reference_tsc_msr & PAGE_REG_RSVDP);
	/* A page outside the GPA space is simply not accessible (timers.md); no #GP. */
	if (value & 1)
		publish_page(p, value & PAGE_MASK);
	p->reference_tsc_msr = value;
	return true;
}
