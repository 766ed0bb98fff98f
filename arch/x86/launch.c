/* Capturing the firmware's CPU state at hv_entry and leaving it for host mode. */
#include "hv/boot_info.h"
#include "hv/init.h"
#include "hv/lp.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/launch.h"

int arch_launch(struct hv_boot_info *bi, u32 lp_index, const struct launch_frame *f);

void launch_capture(const struct launch_frame *f, struct launch_state *ls)
{
	struct dtr gdtr, idtr;

	sgdt(&gdtr);
	sidt(&idtr);
	ls->frame = f;
	ls->rsp = (u64)(uintptr_t)(&f->rip + 1);
	ls->gdt_base = gdtr.base;
	ls->gdt_limit = gdtr.limit;
	ls->idt_base = idtr.base;
	ls->idt_limit = idtr.limit;
	segment_from_gdt(gdtr.base, gdtr.limit, read_cs(), &ls->cs);
	segment_from_gdt(gdtr.base, gdtr.limit, read_ss(), &ls->ss);
	segment_from_gdt(gdtr.base, gdtr.limit, read_ds(), &ls->ds);
	segment_from_gdt(gdtr.base, gdtr.limit, read_es(), &ls->es);
	/* Long mode ignores these bases; the VMCB must still hold zero. */
	ls->cs.base = ls->ss.base = ls->ds.base = ls->es.base = 0;
	ls->cr0 = read_cr0();
	ls->cr3 = read_cr3();
	ls->cr4 = read_cr4();
	ls->efer = rdmsr(MSR_EFER);
	ls->pat = rdmsr(MSR_PAT);
	ls->dr7 = read_dr7();
	ls->dr6 = read_dr6();
}

void launch_switch_to_host(struct lp *lp, u64 cr3)
{
	struct cpuid_regs r;

	write_cr3(cr3);
	desc_load(lp);
	cpuid_count(1, 0, &r);
	/* XSAVE switches FPU state between VPs; the host needs OSXSAVE for it. */
	if (r.ecx & BIT(26))
		write_cr4(read_cr4() | CR4_OSXSAVE);
}

int arch_launch(struct hv_boot_info *bi, u32 lp_index, const struct launch_frame *f)
{
	struct launch_state ls;

	launch_capture(f, &ls);
	return hv_launch(bi, lp_index, &ls);
}
