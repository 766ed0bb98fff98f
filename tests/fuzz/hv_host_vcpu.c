/*
 * A vendor backend with no hardware behind it (arch/x86/vcpu.h). Each VP
 * has a VMCB that nothing runs, so arch/x86/svm/svm_state.c and
 * svm_event.c, linked as they are, give register access, intercept
 * headers, the VMCB-held MSRs and event injection; this file does in
 * memory what arch/x86/svm/svm.c does with VMRUN around it. Pages come from the partition's pool exactly as on SVM, so
 * memory accounting sees what the real backend would take.
 */
#include <string.h>
#include "tests/fuzz/hv_host.h"
#include "hv/vp.h"
#include "hv/partition.h"
#include "arch/x86/vcpu.h"
#include "arch/x86/fpu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/segment.h"
#include "arch/x86/paging.h"
#include "arch/x86/svm/vmcb.h"

static struct vmcb *vmcb_of(const struct vp *vp)
{
	return vp->arch.control;
}

u32 vcpu_arch_gpa_map_large_mask(void)
{
	return PAGING_LARGE_2M | PAGING_LARGE_1G;
}

static int alloc_vp_pages(struct vp *vp, u64 (*alloc_page)(void *), void *ctx)
{
	u64 vmcb = alloc_page(ctx), fpu = alloc_page(ctx);

	vp->arch.control_pa = vmcb;
	vp->arch.control = phys_to_virt(vmcb);
	vp->arch.fpu = phys_to_virt(fpu);
	return vmcb && fpu ? 0 : -1;
}

/* APM 14.1.3: the state after INIT, as svm.c sets it. */
static void reset_state(struct vmcb_save *s)
{
	s->cs = (struct vmcb_seg){ 0xf000, 0x9b, 0xffff, 0xffff0000 };
	s->ds = s->es = s->ss = s->fs = s->gs = (struct vmcb_seg){ 0, 0x93, 0xffff, 0 };
	s->gdtr = s->idtr = (struct vmcb_seg){ 0, 0, 0xffff, 0 };
	s->ldtr = (struct vmcb_seg){ 0, 0x82, 0xffff, 0 };
	s->tr = (struct vmcb_seg){ 0, 0x8b, 0xffff, 0 };
	s->rip = 0xfff0;
	s->rflags = RFLAGS_FIXED;
	s->cr0 = CR0_ET | CR0_NW | CR0_CD;
	s->efer = EFER_SVME;
	s->dr6 = 0xffff0ff0;
	s->dr7 = 0x400;
	s->g_pat = 0x0007040600070406ULL;
}

/* The firmware at launch: 64-bit code at CPL 0, interrupts on. */
int vcpu_arch_create_root(struct vp *vp, const struct launch_state *ls,
			  u64 (*alloc_page)(void *), void *ctx)
{
	struct vmcb_save *s;

	(void)ls;
	if (alloc_vp_pages(vp, alloc_page, ctx))
		return -1;
	s = &vmcb_of(vp)->save;
	s->cs = (struct vmcb_seg){ 0x38, 0x29b, 0xffffffff, 0 }; /* P, S, code, L */
	s->ds = s->es = s->ss = (struct vmcb_seg){ 0x30, 0xc93, 0xffffffff, 0 };
	s->efer = EFER_LME | EFER_LMA | EFER_NXE | EFER_SVME;
	s->cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	s->rflags = RFLAGS_FIXED | RFLAGS_IF;
	s->rip = 0x10000;
	return 0;
}

int vcpu_arch_create(struct vp *vp, u64 (*alloc_page)(void *), void *ctx)
{
	if (alloc_vp_pages(vp, alloc_page, ctx))
		return -1;
	reset_state(&vmcb_of(vp)->save);
	return 0;
}

void vcpu_arch_init_state(struct vp *vp)
{
	struct vmcb *v = vmcb_of(vp);
	u64 pat = v->save.g_pat;

	memset(&v->save, 0, sizeof(v->save));
	memset(&vp->regs, 0, sizeof(vp->regs));
	reset_state(&v->save);
	v->save.g_pat = pat;
	v->control.event_inj = 0;
}

void vcpu_arch_sipi(struct vp *vp, u8 vector)
{
	struct vmcb *v = vmcb_of(vp);

	v->save.cs.selector = (u16)vector << 8;
	v->save.cs.base = (u64)vector << 12;
	v->save.rip = 0;
}

void vcpu_arch_destroy(struct vp *vp, void (*free_page)(void *, u64), void *ctx)
{
	if (vp->arch.control_pa)
		free_page(ctx, vp->arch.control_pa);
	if (vp->arch.fpu)
		free_page(ctx, virt_to_phys(vp->arch.fpu));
}

/* arch/x86/fpu.c would switch XCR0, which host user mode cannot: the host's sizes stand. */
void fpu_cpuid_xsave(const struct vp *vp, u32 subleaf, struct cpuid_regs *r)
{
	(void)vp;
	(void)subleaf;
	(void)r;
}

void vcpu_arch_flush_tlb(struct vp *vp)
{
	vp->arch.flush_tlb = true;
}

void vcpu_arch_put(struct vp *vp)
{
	(void)vp;
}

/* The host IDT would take the kick or timer here; nothing to do without one. */
void vcpu_arch_host_irq_window(void)
{
}

void vcpu_arch_cpuid_filter(u32 leaf, u32 subleaf, struct cpuid_regs *r)
{
	(void)leaf, (void)subleaf, (void)r;
}

u32 host_vcpu_pending_exception(const struct vp *vp)
{
	u64 e = vmcb_of(vp)->control.event_inj;

	if ((e & EVENTINJ_VALID) && (e & (7u << 8)) == EVENTINJ_TYPE_EXCEPTION)
		return (u8)e + 1;
	return 0;
}

void host_vcpu_run(struct vp *vp)
{
	vmcb_of(vp)->control.event_inj = 0;
	vp->arch.flush_tlb = false; /* svm.c's TLB_CONTROL_FLUSH_ALL */
}

u64 host_vcpu_rip(const struct vp *vp)
{
	return vmcb_of(vp)->save.rip;
}
