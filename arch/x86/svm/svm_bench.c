/* The bare VMRUN/#VMEXIT round trip (docs/benchmarks.md): the floor for path lengths. */
#include "hv/vp_regs.h"
#include "hv/lp.h"
#include "hv/page_pool.h"
#include "hv/tlfs.h"
#include "arch/x86/vcpu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/gpa_map.h"
#include "arch/x86/svm/vmcb.h"

#define BENCH_ASID 3

void svm_vmrun(u64 vmcb_pa, struct vp_regs *regs, u64 host_state_pa);

/* A real-mode guest whose only instruction is VMMCALL at 0:0, re-executed every entry. */
static void guest_state(struct vmcb *v, u64 ncr3)
{
	v->control.intercept_misc2 = INTERCEPT_VMRUN | INTERCEPT_VMMCALL;
	v->control.np_enable = NP_ENABLE;
	v->control.n_cr3 = ncr3;
	v->control.asid = BENCH_ASID;
	v->control.tlb_control = TLB_CONTROL_FLUSH_ALL;
	v->save.cs = (struct vmcb_seg){ 0, 0x9b, 0xffff, 0 };
	v->save.ds = v->save.es = v->save.ss = (struct vmcb_seg){ 0, 0x93, 0xffff, 0 };
	v->save.gdtr = v->save.idtr = (struct vmcb_seg){ 0, 0, 0xffff, 0 };
	v->save.tr = (struct vmcb_seg){ 0, 0x8b, 0xffff, 0 };
	v->save.cr0 = CR0_ET;
	v->save.efer = EFER_SVME;
	v->save.rflags = RFLAGS_FIXED;
	v->save.g_pat = 0x0007040600070406ULL;
}

u64 vcpu_arch_measure_round_trip(u32 iterations, u64 (*alloc_page)(void *), void *ctx,
				 void (*free_page)(void *, u64))
{
	struct lp *lp = this_lp();
	struct vp_regs regs = { 0 };
	struct gpa_map map;
	u64 vmcb_pa = alloc_page(ctx), code = alloc_page(ctx), start, ticks = 0;
	struct vmcb *v = phys_to_virt(vmcb_pa);
	u32 i;

	if (!vmcb_pa || !code || gpa_map_init(&map, alloc_page, ctx, 0) ||
	    gpa_map_map(&map, 0, code, PAGE_SIZE, HV_MAP_GPA_READABLE | HV_MAP_GPA_KERNEL_EXECUTABLE))
		return 0;
	vcpu_arch_hypercall_code(phys_to_virt(code), PAGE_SIZE);
	guest_state(v, map.root);
	svm_vmrun(vmcb_pa, &regs, lp->arch.vendor_pa[1]); /* warm-up, and the TLB flush */
	v->control.tlb_control = 0;
	start = rdtsc();
	for (i = 0; i < iterations; i++)
		svm_vmrun(vmcb_pa, &regs, lp->arch.vendor_pa[1]);
	if ((u32)v->control.exit_code == SVM_EXIT_VMMCALL)
		ticks = (rdtsc() - start) / iterations;
	/* The next root entry must not reuse this ASID's or this VMCB's cached state. */
	lp->arch.last_control = 0;
	gpa_map_destroy(&map, free_page, ctx);
	free_page(ctx, code);
	free_page(ctx, vmcb_pa);
	return ticks;
}
