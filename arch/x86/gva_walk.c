#include "arch/x86/gva_walk.h"
#include "arch/x86/paging.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vcpu.h"
#include "hv/vp.h"
#include "hv/partition.h"

static u64 reg(struct vp *vp, HV_REGISTER_NAME name)
{
	HV_REGISTER_VALUE v;

	vcpu_arch_get_register(vp, name, &v);
	return v.Reg64;
}

/* The guest's page-table entry at @gpa, read through the partition's own map. */
static volatile u64 *entry_at(struct vp *vp, u64 gpa)
{
	u64 spa;

	if (gpa_map_translate(&vp->partition->gpa_map, gpa, HV_MAP_GPA_READABLE, &spa))
		return NULL;
	return phys_to_virt(spa);
}

/* SDM 4.6: what the access needs from every level's R/W, U/S and XD bits. */
static bool allowed(u64 rights, u64 flags, bool user, u64 cr0, u64 efer)
{
	if ((flags & HV_TRANSLATE_GVA_PRIVILEGE_EXEMPT) == 0 && user && !(rights & PTE_US))
		return false;
	if ((flags & HV_TRANSLATE_GVA_VALIDATE_WRITE) && !(rights & PTE_RW) && (user || (cr0 & CR0_WP)))
		return false;
	if ((flags & HV_TRANSLATE_GVA_VALIDATE_EXECUTE) && (efer & EFER_NXE) && (rights & PTE_NX))
		return false;
	return true;
}

static u32 walk(struct vp *vp, u64 gva, u64 flags, u64 *gpa)
{
	u64 cr0 = reg(vp, HvX64RegisterCr0), efer = reg(vp, HvX64RegisterEfer);
	u64 table = reg(vp, HvX64RegisterCr3) & PTE_ADDR_MASK;
	u64 rights = PTE_RW | PTE_US, e = 0;
	volatile u64 *ep[4];
	int level, depth = 0;
	bool user = (flags & HV_TRANSLATE_GVA_USER_ACCESS) ||
		    (!(flags & HV_TRANSLATE_GVA_SUPERVISOR_ACCESS) && vcpu_arch_cpl(vp) == 3);

	for (level = 4; level >= 1; level--) {
		volatile u64 *p = entry_at(vp, table + ((gva >> (12 + 9 * (level - 1))) & 511) * 8);

		if (!p)
			return HvTranslateGvaGpaUnmapped;
		e = *p;
		if (!(e & PTE_P))
			return HvTranslateGvaPageNotPresent;
		ep[depth++] = p;
		rights = (rights & e & (PTE_RW | PTE_US)) | ((rights | e) & PTE_NX);
		if (level == 4 && (e & PTE_PS))
			return HvTranslateGvaInvalidPageTableFlags;
		if (level == 1 || (e & PTE_PS))
			break;
		table = e & PTE_ADDR_MASK;
	}
	if (!allowed(rights, flags, user, cr0, efer))
		return HvTranslateGvaPrivilegeViolation;
	*gpa = (e & PTE_ADDR_MASK & ~(paging_level_size(level) - 1)) |
	       (gva & (paging_level_size(level) - 1) & PAGE_MASK);
	/* As the CPU would: accessed on every level, dirty on the leaf for a write. */
	if (flags & HV_TRANSLATE_GVA_SET_PAGE_TABLE_BITS) {
		if (flags & HV_TRANSLATE_GVA_VALIDATE_WRITE)
			__atomic_or_fetch(ep[depth - 1], PTE_D, __ATOMIC_SEQ_CST);
		while (depth--)
			__atomic_or_fetch(ep[depth], PTE_A, __ATOMIC_SEQ_CST);
	}
	return HvTranslateGvaSuccess;
}

u32 gva_translate(struct vp *vp, u64 gva, u64 flags, u64 *gpa, HV_STATUS *status)
{
	u64 cr0 = reg(vp, HvX64RegisterCr0), spa;
	u32 access = HV_MAP_GPA_READABLE, result;

	*status = HV_STATUS_SUCCESS;
	if (!(cr0 & CR0_PG)) {
		*gpa = gva & PAGE_MASK;
	} else if (!(reg(vp, HvX64RegisterEfer) & EFER_LMA)) {
		*status = HV_STATUS_INVALID_VP_STATE; /* 32-bit and PAE paging are not walked yet */
		return 0;
	} else {
		result = walk(vp, gva, flags, gpa);
		if (result != HvTranslateGvaSuccess)
			return result;
	}
	if (flags & HV_TRANSLATE_GVA_VALIDATE_WRITE)
		access |= HV_MAP_GPA_WRITABLE;
	if (gpa_map_translate(&vp->partition->gpa_map, *gpa, 0, &spa))
		return HvTranslateGvaGpaUnmapped;
	if (gpa_map_translate(&vp->partition->gpa_map, *gpa, access, &spa))
		return access & HV_MAP_GPA_WRITABLE ? HvTranslateGvaGpaNoWriteAccess
						    : HvTranslateGvaGpaNoReadAccess;
	return HvTranslateGvaSuccess;
}
