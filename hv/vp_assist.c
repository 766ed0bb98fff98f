#include "hv/vp_assist.h"
#include "hv/vp.h"
#include "hv/partition.h"
#include "hv/vp_interrupt.h"
#include "hv/lib/string.h"

/* Bits 11:1 are RsvdP: read as zero, writes ignored. */
#define VP_ASSIST_MSR_VALID (PAGE_MASK | HV_X64_MSR_VP_ASSIST_PAGE_ENABLE)

static bool allowed(const struct vp *vp)
{
	return (vp->partition->privileges & HV_ACCESS_INTR_CTRL_REGS) != 0;
}

bool vp_assist_owns_msr(u32 msr)
{
	return msr == HV_X64_MSR_VP_ASSIST_PAGE;
}

bool vp_assist_msr_read(struct vp *vp, u64 *value)
{
	if (!allowed(vp))
		return false;
	*value = vp->vp_assist_msr;
	return true;
}

/*
 * The TLFS overlays the page on the guest's GPA; like the hypercall page it
 * is the guest's own page here, so it must be RAM the VP can write. It
 * starts out zero, as an overlay would. An EOI the old page still owed is
 * settled first (hv/vp_interrupt.c).
 */
bool vp_assist_msr_write(struct vp *vp, u64 value)
{
	u64 spa;

	if (!allowed(vp))
		return false;
	value &= VP_ASSIST_MSR_VALID;
	if (value & HV_X64_MSR_VP_ASSIST_PAGE_ENABLE) {
		if (gpa_map_translate(&vp->partition->gpa_map, value & PAGE_MASK,
				      HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE, &spa))
			return false;
	}
	vp_eoi_assist_settle(vp);
	if (value & HV_X64_MSR_VP_ASSIST_PAGE_ENABLE)
		memset(phys_to_virt(spa), 0, PAGE_SIZE);
	vp->vp_assist_msr = value;
	return true;
}

u32 *vp_assist_eoi_field(struct vp *vp)
{
	u64 spa;

	if (!(vp->vp_assist_msr & HV_X64_MSR_VP_ASSIST_PAGE_ENABLE) ||
	    gpa_map_translate(&vp->partition->gpa_map, vp->vp_assist_msr & PAGE_MASK,
			      HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE, &spa))
		return NULL;
	return phys_to_virt(spa);
}
