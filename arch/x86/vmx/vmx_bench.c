/* The bare VM entry + VM exit round trip (docs/benchmarks.md, docs/vmx.md): the floor for path lengths. */
#include "hv/vp_regs.h"
#include "hv/lp.h"
#include "hv/tlfs.h"
#include "hv/log.h"
#include "hv/vp.h"
#include "hv/page_pool.h"
#include "arch/x86/vcpu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/gpa_map.h"
#include "arch/x86/vmx/vmx.h"

#define BENCH_VPID 3

/* A real-mode guest whose only instruction is VMCALL at 0:0, re-executed every entry. */
static void guest_state(u64 eptp)
{
	unsigned s;

	vmwrite(VMCS_LINK_POINTER, ~0ULL);
	if (vmx.vpid)
		vmwrite(VPID, BENCH_VPID);
	vmwrite(EPT_POINTER, eptp);
	vmwrite(PIN_BASED_CONTROLS, vmx.pin_root);
	vmwrite(PROC_BASED_CONTROLS, vmx.proc_root & ~PROC_MSR_BITMAPS);
	vmwrite(PROC_BASED_CONTROLS2, vmx.proc2);
	vmwrite(EXIT_CONTROLS, vmx.exit);
	vmwrite(ENTRY_CONTROLS, vmx.entry);
	vmwrite(EXCEPTION_BITMAP, 0);
	vmwrite(CR3_TARGET_COUNT, 0);
	vmwrite(EXIT_MSR_STORE_COUNT, 0);
	vmwrite(EXIT_MSR_LOAD_COUNT, 0);
	vmwrite(ENTRY_MSR_LOAD_COUNT, 0);
	vmwrite(ENTRY_INTR_INFO, 0);
	vmwrite(CR0_GUEST_HOST_MASK, vmx.cr0_mask);
	vmwrite(CR4_GUEST_HOST_MASK, vmx.cr4_mask);
	for (s = SEG_ES; s <= SEG_GS; s++) {
		vmwrite(GUEST_SEL(s), 0);
		vmwrite(GUEST_BASE(s), 0);
		vmwrite(GUEST_LIMIT(s), 0xffff);
		vmwrite(GUEST_AR(s), s == SEG_CS ? 0x9b : 0x93);
	}
	vmwrite(GUEST_SEL(SEG_LDTR), 0);
	vmwrite(GUEST_BASE(SEG_LDTR), 0);
	vmwrite(GUEST_LIMIT(SEG_LDTR), 0xffff);
	vmwrite(GUEST_AR(SEG_LDTR), 0x82);
	vmwrite(GUEST_SEL(SEG_TR), 0);
	vmwrite(GUEST_BASE(SEG_TR), 0);
	vmwrite(GUEST_LIMIT(SEG_TR), 0xffff);
	vmwrite(GUEST_AR(SEG_TR), 0x8b);
	vmwrite(GUEST_GDTR_BASE, 0);
	vmwrite(GUEST_GDTR_LIMIT, 0xffff);
	vmwrite(GUEST_IDTR_BASE, 0);
	vmwrite(GUEST_IDTR_LIMIT, 0xffff);
	vmwrite(GUEST_CR0, vmx_guest_cr0(CR0_ET));
	vmwrite(CR0_READ_SHADOW, CR0_ET);
	vmwrite(GUEST_CR3, 0);
	vmwrite(GUEST_CR4, vmx_guest_cr4(0));
	vmwrite(CR4_READ_SHADOW, 0);
	vmwrite(GUEST_IA32_EFER, 0);
	vmwrite(GUEST_IA32_PAT, 0x0007040600070406ULL);
	vmwrite(GUEST_IA32_DEBUGCTL, 0);
	vmwrite(GUEST_DR7, 0x400);
	vmwrite(GUEST_SYSENTER_CS, 0);
	vmwrite(GUEST_SYSENTER_ESP, 0);
	vmwrite(GUEST_SYSENTER_EIP, 0);
	vmwrite(GUEST_RIP, 0);
	vmwrite(GUEST_RSP, 0);
	vmwrite(GUEST_RFLAGS, RFLAGS_FIXED);
	vmwrite(GUEST_INTERRUPTIBILITY, 0);
	vmwrite(GUEST_ACTIVITY_STATE, ACTIVITY_ACTIVE);
	vmwrite(GUEST_PENDING_DEBUG, 0);
}

u64 vcpu_arch_measure_round_trip(u32 iterations, u64 (*alloc_page)(void *), void *ctx,
				 void (*free_page)(void *, u64))
{
	struct lp *lp = this_lp();
	struct vp_regs regs = { 0 };
	struct gpa_map map;
	u64 vmcs = alloc_page(ctx), code = alloc_page(ctx), start, ticks = 0, eptp;
	u32 i;

	if (!vmcs || !code || gpa_map_init(&map, alloc_page, ctx, 0) ||
	    gpa_map_map(&map, 0, code, PAGE_SIZE, HV_MAP_GPA_READABLE | HV_MAP_GPA_KERNEL_EXECUTABLE))
		return 0;
	vcpu_arch_hypercall_code(phys_to_virt(code), PAGE_SIZE);
	*(u32 *)phys_to_virt(vmcs) = vmx.revision;
	eptp = vmx_eptp(map.root);
	/* Called before any child exists: the LP's current VMCS is its root's, which stays active. */
	if (!vmclear(vmcs) || !vmptrld(vmcs))
		return 0;
	guest_state(eptp);
	vmx_write_host_state(lp);
	invept(vmx.ept_cap & EPT_CAP_INVEPT_SINGLE ? INVEPT_SINGLE : INVEPT_ALL, eptp);
	if (vmx_run(&regs, 0) == 0) { /* warm-up: VMLAUNCH */
		start = rdtsc();
		for (i = 0; i < iterations; i++)
			vmx_run(&regs, 1);
		if ((u32)vmread(EXIT_REASON) == EXIT_VMCALL)
			ticks = (rdtsc() - start) / iterations;
	} else {
		hv_log("bench: VMLAUNCH failed, error %llu",
		       (unsigned long long)vmread(VM_INSTRUCTION_ERROR));
	}
	vmclear(vmcs);
	if (lp->arch.current_vmcs && !vmptrld(lp->arch.current_vmcs))
		hv_panic("bench: cannot reload the VMCS of VP %u", lp->arch.current_vp->index);
	if (vmx.vpid)
		invvpid(vmx.ept_cap & VPID_CAP_SINGLE ? INVVPID_SINGLE : INVVPID_ALL, BENCH_VPID);
	gpa_map_destroy(&map, free_page, ctx);
	free_page(ctx, code);
	free_page(ctx, vmcs);
	return ticks;
}
