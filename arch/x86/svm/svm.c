/*
 * AMD SVM backend: VMCB set-up, the run loop step, exit decoding, event
 * injection. References are to the AMD APM vol. 2, chapter 15.
 */
#include "hv/vp.h"
#include "hv/lp.h"
#include "hv/partition.h"
#include "hv/boot_info.h"
#include "hv/lib/string.h"
#include "arch/x86/vcpu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/fpu.h"
#include "arch/x86/launch.h"
#include "arch/x86/event.h"
#include "arch/x86/svm/vmcb.h"

#define CPUID_8000_0001_ECX_SVM BIT(2)
#define CPUID_8000_0001_EDX_NX BIT(20)
#define CPUID_8000_0001_EDX_PAGE1GB BIT(26)
#define CPUID_8000_000A_EDX_NP BIT(0)
#define CPUID_8000_000A_EDX_NRIPS BIT(3)

#define ROOT_ASID 1
#define CHILD_ASID 2

/* Permission maps are shared by all VPs of a kind; the image is physically contiguous. */
static u8 msrpm_root[2 * PAGE_SIZE] __aligned(PAGE_SIZE);
static u8 msrpm_child[2 * PAGE_SIZE] __aligned(PAGE_SIZE);
static u8 iopm_root[3 * PAGE_SIZE] __aligned(PAGE_SIZE);
static u8 iopm_child[3 * PAGE_SIZE] __aligned(PAGE_SIZE);
static bool has_nrip;
static u32 large_mask;
static bool bitmaps_ready;

void svm_vmrun(u64 vmcb_pa, struct vp_regs *regs, u64 host_state_pa);

static struct vmcb *vmcb_of(const struct vp *vp)
{
	return vp->arch.control;
}

static bool is_root_vp(const struct vp *vp)
{
	return vp->partition == root_partition;
}

/* APM 15.11: two bits per MSR (read, write) in three 2 KiB ranges. */
static void msrpm_set(u8 *map, u32 msr, bool intercept)
{
	u32 base, off;

	if (msr <= 0x1fff)
		base = 0;
	else if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		base = 0x800, msr -= 0xc0000000;
	else if (msr >= 0xc0010000 && msr <= 0xc0011fff)
		base = 0x1000, msr -= 0xc0010000;
	else
		return; /* outside the map: always intercepted */
	off = base + msr / 4;
	if (intercept)
		map[off] |= 3 << ((msr % 4) * 2);
	else
		map[off] &= ~(3 << ((msr % 4) * 2));
}

static void bitmaps_init(void)
{
	/* VMLOAD/VMSAVE switch these for every VP, so children may use them freely. */
	static const u32 swapped[] = {
		MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR,
		MSR_CSTAR, MSR_SFMASK, MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP,
	};
	unsigned i;

	memset(msrpm_child, 0xff, sizeof(msrpm_child));
	for (i = 0; i < ARRAY_SIZE(swapped); i++)
		msrpm_set(msrpm_child, swapped[i], false);
	/* The root keeps SVM to itself: EFER.SVME and the SVM MSRs are ours. */
	msrpm_set(msrpm_root, MSR_EFER, true);
	msrpm_set(msrpm_root, MSR_VM_CR, true);
	msrpm_set(msrpm_root, MSR_VM_HSAVE_PA, true);
	memset(iopm_child, 0xff, sizeof(iopm_child));
	bitmaps_ready = true;
}

int vcpu_arch_probe(void)
{
	struct cpuid_regs r;

	cpuid_count(0x80000001, 0, &r);
	if (!(r.ecx & CPUID_8000_0001_ECX_SVM))
		return HV_LAUNCH_NO_VIRTUALIZATION;
	large_mask = PAGING_LARGE_2M | (r.edx & CPUID_8000_0001_EDX_PAGE1GB ? PAGING_LARGE_1G : 0);
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS)
		return HV_LAUNCH_VIRTUALIZATION_DISABLED;
	cpuid_count(0x8000000a, 0, &r);
	if (!(r.edx & CPUID_8000_000A_EDX_NP) || r.ebx <= CHILD_ASID)
		return HV_LAUNCH_NO_SLAT;
	has_nrip = r.edx & CPUID_8000_000A_EDX_NRIPS;
	return HV_LAUNCH_OK;
}

u32 vcpu_arch_gpa_map_large_mask(void)
{
	return large_mask;
}

int vcpu_arch_lp_init(struct lp *lp, u64 (*alloc_page)(void))
{
	struct cpuid_regs r;
	u64 efer = rdmsr(MSR_EFER) | EFER_SVME;

	if (!bitmaps_ready) {
		bitmaps_init();
		fpu_init();
	}
	/* NPT entries carry NX only when the host has EFER.NXE (APM 15.25.5). */
	cpuid_count(0x80000001, 0, &r);
	if (r.edx & CPUID_8000_0001_EDX_NX)
		efer |= EFER_NXE;
	lp->arch.vendor_pa[0] = alloc_page();
	lp->arch.vendor_pa[1] = alloc_page();
	if (!lp->arch.vendor_pa[0] || !lp->arch.vendor_pa[1])
		return HV_LAUNCH_NO_MEMORY;
	wrmsr(MSR_EFER, efer);
	wrmsr(MSR_VM_HSAVE_PA, lp->arch.vendor_pa[0]);
	return HV_LAUNCH_OK;
}

void vcpu_arch_lp_enter(struct lp *lp)
{
	/* Host FS/GS/TR are final now; GIF stays clear in host mode from here on. */
	asm volatile("vmsave %%rax" ::"a"(lp->arch.vendor_pa[1]) : "memory");
	asm volatile("clgi; sti" ::: "memory");
}

/* A VMCB holds no LP state: nothing to hand back. */
void vcpu_arch_put(struct vp *vp)
{
	fpu_put(this_lp(), vp);
}

/* Host mode runs with GIF clear and IF set: GIF alone gates interrupts. */
void vcpu_arch_host_irq_window(void)
{
	asm volatile("stgi; nop; clgi" ::: "memory");
}

void vcpu_arch_host_idle(void)
{
	/* STI's shadow covers HLT: an interrupt arriving after STGI still wakes it. */
	asm volatile("cli; stgi; sti; hlt; cli; clgi; sti" ::: "memory");
}

static int alloc_vp_pages(struct vp *vp, u64 (*alloc_page)(void *), void *ctx)
{
	u64 vmcb = alloc_page(ctx), fpu = alloc_page(ctx);

	/* Recorded even if the other failed: vcpu_arch_destroy gives back what was taken. */
	vp->arch.control_pa = vmcb;
	vp->arch.control = phys_to_virt(vmcb);
	vp->arch.fpu = phys_to_virt(fpu);
	if (!vmcb || !fpu)
		return -1;
	vp->arch.xcr0 = FPU_RESET_XCR0;
	fpu_area_reset(vp->arch.fpu);
	return 0;
}

static void set_common_control(struct vmcb *v, struct gpa_map *map)
{
	v->control.intercept_misc2 = INTERCEPT_VMRUN | INTERCEPT_VMMCALL | INTERCEPT_VMLOAD |
				     INTERCEPT_VMSAVE | INTERCEPT_STGI | INTERCEPT_CLGI |
				     INTERCEPT_SKINIT;
	v->control.np_enable = NP_ENABLE;
	v->control.n_cr3 = map->root;
}

static void seg_to_vmcb(struct vmcb_seg *d, const struct x86_segment *s)
{
	d->selector = s->selector;
	d->attrib = s->attrib;
	d->limit = s->limit;
	d->base = s->base;
}

int vcpu_arch_create_root(struct vp *vp, const struct launch_state *ls,
			  u64 (*alloc_page)(void *), void *ctx)
{
	const struct launch_frame *f = ls->frame;
	struct vmcb *v;

	if (alloc_vp_pages(vp, alloc_page, ctx))
		return -1;
	v = vp->arch.control;
	/* FS, GS, TR, LDTR and the syscall MSRs exactly as the firmware has them. */
	asm volatile("vmsave %%rax" ::"a"(vp->arch.control_pa) : "memory");
	set_common_control(v, &vp->partition->gpa_map);
	v->control.intercept_misc1 = INTERCEPT_CPUID | INTERCEPT_MSR_PROT |
				     INTERCEPT_SHUTDOWN | INTERCEPT_INVLPGA;
	v->control.iopm_base_pa = virt_to_phys(iopm_root);
	v->control.msrpm_base_pa = virt_to_phys(msrpm_root);
	v->control.asid = ROOT_ASID;
	/* V_INTR_MASKING clear: physical interrupts reach the root directly through its IDT. */
	seg_to_vmcb(&v->save.cs, &ls->cs);
	seg_to_vmcb(&v->save.ss, &ls->ss);
	seg_to_vmcb(&v->save.ds, &ls->ds);
	seg_to_vmcb(&v->save.es, &ls->es);
	v->save.gdtr.base = ls->gdt_base;
	v->save.gdtr.limit = ls->gdt_limit;
	v->save.idtr.base = ls->idt_base;
	v->save.idtr.limit = ls->idt_limit;
	v->save.cpl = 0;
	v->save.efer = ls->efer | EFER_SVME;
	v->save.cr0 = ls->cr0;
	v->save.cr2 = read_cr2();
	v->save.cr3 = ls->cr3;
	v->save.cr4 = ls->cr4;
	v->save.dr6 = ls->dr6;
	v->save.dr7 = ls->dr7;
	v->save.g_pat = ls->pat;
	v->save.rflags = f->rflags;
	v->save.rip = f->rip;
	v->save.rsp = ls->rsp;
	v->save.rax = 0; /* hv_entry "returns" HV_LAUNCH_OK */
	vp->regs.rbx = f->rbx;
	vp->regs.rbp = f->rbp;
	vp->regs.r12 = f->r12;
	vp->regs.r13 = f->r13;
	vp->regs.r14 = f->r14;
	vp->regs.r15 = f->r15;
	return 0;
}

/* APM 14.1.3: processor state after INIT, what a new child VP starts from. */
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

int vcpu_arch_create(struct vp *vp, u64 (*alloc_page)(void *), void *ctx)
{
	struct vmcb *v;
	struct cpuid_regs r;

	if (alloc_vp_pages(vp, alloc_page, ctx))
		return -1;
	v = vp->arch.control;
	set_common_control(v, &vp->partition->gpa_map);
	v->control.intercept_misc1 = INTERCEPT_INTR | INTERCEPT_NMI | INTERCEPT_INIT |
				     INTERCEPT_CPUID | INTERCEPT_HLT | INTERCEPT_INVLPGA |
				     INTERCEPT_IOIO_PROT | INTERCEPT_MSR_PROT | INTERCEPT_SHUTDOWN;
	v->control.iopm_base_pa = virt_to_phys(iopm_child);
	v->control.msrpm_base_pa = virt_to_phys(msrpm_child);
	v->control.asid = CHILD_ASID;
	/* Physical interrupts exit to us (they are the root's); guest IF masks only virtual ones. */
	v->control.vintr = V_INTR_MASKING;
	reset_state(&v->save);
	cpuid_count(1, 0, &r);
	vp->regs.rdx = r.eax; /* processor signature, as after INIT */
	return 0;
}

void vcpu_arch_init_state(struct vp *vp)
{
	struct vmcb *v = vmcb_of(vp);
	struct cpuid_regs r;
	u64 pat = v->save.g_pat;

	memset(&v->save, 0, sizeof(v->save));
	memset(&vp->regs, 0, sizeof(vp->regs));
	reset_state(&v->save);
	v->save.g_pat = pat; /* INIT keeps PAT (APM 14.1.3) */
	v->control.event_inj = 0;
	cpuid_count(1, 0, &r);
	vp->regs.rdx = r.eax;
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

static void decode_exit(struct vp *vp, struct vmcb *v, struct vp_exit *e)
{
	u32 code = (u32)v->control.exit_code;
	u64 info1 = v->control.exit_info1;

	e->insn_len = 0;
	switch (code) {
	case SVM_EXIT_CPUID:
		e->reason = VP_EXIT_CPUID;
		e->cpuid.leaf = (u32)v->save.rax;
		e->cpuid.subleaf = (u32)vp->regs.rcx;
		e->insn_len = 2;
		break;
	case SVM_EXIT_VMMCALL:
		e->reason = VP_EXIT_HYPERCALL;
		e->insn_len = 3;
		break;
	case SVM_EXIT_MSR:
		e->reason = info1 ? VP_EXIT_MSR_WRITE : VP_EXIT_MSR_READ;
		e->msr.index = (u32)vp->regs.rcx;
		e->msr.value = (vp->regs.rdx << 32) | (u32)v->save.rax;
		e->insn_len = 2;
		break;
	case SVM_EXIT_IOIO:
		e->reason = VP_EXIT_IO;
		e->io.port = info1 >> IOIO_PORT_SHIFT;
		e->io.size = (info1 >> IOIO_SZ_SHIFT) & 7;
		e->io.in = info1 & IOIO_TYPE_IN;
		e->io.string = info1 & IOIO_STR;
		e->io.rep = info1 & IOIO_REP;
		/* EXITINFO2 holds the next RIP even without NRIP save. */
		e->insn_len = (u8)(v->control.exit_info2 - v->save.rip);
		return;
	case SVM_EXIT_NPF:
		e->reason = VP_EXIT_GPA_FAULT;
		e->fault.gpa = v->control.exit_info2;
		e->fault.access = info1 & NPF_FETCH ? HV_INTERCEPT_ACCESS_EXECUTE :
				  info1 & NPF_WRITE ? HV_INTERCEPT_ACCESS_WRITE :
						      HV_INTERCEPT_ACCESS_READ;
		e->fault.translating = info1 & NPF_GUEST_PAGE_WALK;
		return;
	case SVM_EXIT_HLT:
		e->reason = VP_EXIT_HLT;
		e->insn_len = 1;
		break;
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
	case SVM_EXIT_SMI:
	case SVM_EXIT_INIT:
		e->reason = VP_EXIT_EXTERNAL;
		return;
	case SVM_EXIT_SHUTDOWN:
		e->reason = VP_EXIT_TRIPLE_FAULT;
		return;
	case SVM_EXIT_VINTR:
		e->reason = VP_EXIT_INTERRUPT_WINDOW;
		return;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
	case SVM_EXIT_INVLPGA:
		e->reason = VP_EXIT_UNDEFINED;
		return;
	case SVM_EXIT_INVALID:
		e->reason = VP_EXIT_BAD_STATE;
		return;
	case SVM_EXIT_EXCP_BASE ... SVM_EXIT_EXCP_BASE + 31:
		/*
		 * Before delivery, RIP at the faulting instruction, CR2 not yet
		 * written: EXITINFO1 has the error code, EXITINFO2 the #PF address
		 * (APM 15.12). No length: NRIP is saved for instruction intercepts only.
		 */
		e->reason = VP_EXIT_EXCEPTION;
		e->exception.vector = (u8)(code - SVM_EXIT_EXCP_BASE);
		e->exception.has_error = x86_exception_has_error_code(e->exception.vector,
								      v->save.cr0 & CR0_PE);
		e->exception.error = e->exception.has_error ? (u32)info1 : 0;
		e->exception.parameter = e->exception.vector == 14 ? v->control.exit_info2 : 0;
		return;
	default:
		e->reason = VP_EXIT_UNHANDLED;
		e->unhandled = v->control.exit_code;
		return;
	}
	/* Prefixes make some instructions longer than their opcode: trust NRIP when we have it. */
	if (has_nrip && v->control.next_rip > v->save.rip)
		e->insn_len = (u8)(v->control.next_rip - v->save.rip);
}

void vcpu_arch_flush_tlb(struct vp *vp)
{
	vp->arch.flush_tlb = true;
}

void vcpu_arch_run(struct vp *vp, struct vp_exit *exit)
{
	struct lp *lp = this_lp();
	struct vmcb *v = vmcb_of(vp);
	struct gpa_map *map = &vp->partition->gpa_map;
	u64 gen = map->generation;
	bool child = !is_root_vp(vp);

	v->save.rax = vp->regs.rax;
	v->control.n_cr3 = map->root;
	/* The parent installs and removes these at any time; the root never has any. */
	v->control.intercept_exceptions = __atomic_load_n(&vp->partition->exception_intercepts,
							  __ATOMIC_ACQUIRE);
	if (lp->arch.last_control != vp->arch.control_pa || vp->arch.seen_generation != gen ||
	    vp->arch.flush_tlb) {
		v->control.tlb_control = TLB_CONTROL_FLUSH_ALL;
		lp->arch.last_control = vp->arch.control_pa;
		vp->arch.seen_generation = gen;
		vp->arch.flush_tlb = false;
	} else {
		v->control.tlb_control = 0;
	}
	if (child)
		fpu_enter_child(lp, vp);
	svm_vmrun(vp->arch.control_pa, &vp->regs, lp->arch.vendor_pa[1]);
	if (child)
		fpu_leave_child(lp, vp);
	vp->regs.rax = v->save.rax;
	/* An event cut short by the exit is delivered again on the next entry. */
	v->control.event_inj = v->control.exit_int_info & EVENTINJ_VALID ?
			       v->control.exit_int_info : 0;
	decode_exit(vp, v, exit);
}

void vcpu_arch_cpuid_filter(u32 leaf, u32 subleaf, struct cpuid_regs *r)
{
	(void)subleaf;
	if (leaf == 0x80000001)
		r->ecx &= ~CPUID_8000_0001_ECX_SVM;
	else if (leaf == 0x8000000a)
		r->eax = r->ebx = r->ecx = r->edx = 0;
}

