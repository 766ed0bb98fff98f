/*
 * Intel VT-x backend: VMXON per LP, one VMCS per VP, EPT, the run loop
 * step, exit decoding, event injection. References are to the Intel SDM
 * vol. 3 (chapters 23-28); docs/vmx.md explains the design.
 *
 * A VMCS can only be read or written on the LP where it is current, so
 * every accessor first makes its VP's VMCS current (vmcs_use). A root VP's
 * VMCS never leaves its LP. A child's VMCS is active on at most one LP, and
 * only while it is that LP's current VMCS: switching away from it clears it
 * (VMCLEAR), so the next LP to need it - whichever dispatches the child
 * next, or reads its registers - can load it.
 */
#include "hv/vp.h"
#include "hv/lp.h"
#include "hv/log.h"
#include "hv/partition.h"
#include "hv/boot_info.h"
#include "hv/lib/string.h"
#include "arch/x86/vcpu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/fpu.h"
#include "arch/x86/apic.h"
#include "arch/x86/launch.h"
#include "arch/x86/event.h"
#include "arch/x86/vmx/vmx.h"

#define CPUID_1_ECX_VMX BIT(5)
#define CPUID_1_ECX_SMX BIT(6)
#define CPUID_7_EBX_INVPCID BIT(10)
#define CPUID_8000_0001_EDX_RDTSCP BIT(27)
#define CPUID_D_1_EAX_XSAVES BIT(3)

#define ROOT_VPID 1
#define CHILD_VPID 2

struct vmx_caps vmx;

/* Bitmaps are shared by all VPs of a kind; the image is physically contiguous. */
static u8 msr_bitmap_root[PAGE_SIZE] __aligned(PAGE_SIZE);
static u8 msr_bitmap_child[PAGE_SIZE] __aligned(PAGE_SIZE);
static u8 io_bitmap_child[2 * PAGE_SIZE] __aligned(PAGE_SIZE);
static bool bitmaps_ready;

/*
 * Host IDT: the hypervisor's exception gates, vector 2 recording NMIs for
 * the root, and host_irq.S for the interrupts of LPs the hypervisor owns.
 */
void vmx_host_nmi(void);
static struct idt_gate host_idt[256] __aligned(16);

static bool is_root_vp(const struct vp *vp)
{
	return vp->partition == root_partition;
}

/* SDM 24.6.9: one bit per MSR, read bitmaps for the low and high range, then write bitmaps. */
static void msr_intercept(u8 *map, u32 msr, bool intercept)
{
	u32 base;

	if (msr <= 0x1fff)
		base = 0;
	else if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		base = 1024, msr -= 0xc0000000;
	else
		return; /* outside the bitmaps: always exits */
	if (intercept) {
		map[base + msr / 8] |= 1 << (msr % 8);
		map[base + 2048 + msr / 8] |= 1 << (msr % 8);
	} else {
		map[base + msr / 8] &= ~(1 << (msr % 8));
		map[base + 2048 + msr / 8] &= ~(1 << (msr % 8));
	}
}

static void host_idt_init(void)
{
	unsigned i;

	for (i = 0; i < 32; i++)
		host_idt[i] = idt_gate(i == 2 ? (u64)(uintptr_t)vmx_host_nmi : exception_vectors[i]);
	for (; i < APIC_VECTOR_SPURIOUS; i++)
		host_idt[i] = idt_gate((u64)(uintptr_t)host_irq);
	host_idt[APIC_VECTOR_SPURIOUS] = idt_gate((u64)(uintptr_t)host_irq_spurious);
}

static void bitmaps_init(void)
{
	/* The VMCS (guest state) or the backend (vmx_swap_msrs) switches these for every VP. */
	static const u32 swapped[] = {
		MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR,
		MSR_CSTAR, MSR_SFMASK, MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP,
	};
	unsigned i;

	memset(msr_bitmap_child, 0xff, sizeof(msr_bitmap_child));
	for (i = 0; i < ARRAY_SIZE(swapped); i++)
		msr_intercept(msr_bitmap_child, swapped[i], false);
	/* The root keeps VMX to itself: it looks disabled by firmware (no capability MSRs). */
	msr_intercept(msr_bitmap_root, MSR_FEATURE_CONTROL, true);
	for (i = MSR_VMX_BASIC; i <= MSR_VMX_VMFUNC; i++)
		msr_intercept(msr_bitmap_root, i, true);
	memset(io_bitmap_child, 0xff, sizeof(io_bitmap_child));
	host_idt_init();
	bitmaps_ready = true;
}

/*
 * A control field's value: @want must be allowed, @optional bits are taken
 * when allowed, and the bits the CPU fixes to 1 are added (SDM A.3-A.5).
 */
static bool adjust(u32 msr, u32 want, u32 optional, u32 *out)
{
	u64 cap = rdmsr(msr);
	u32 must1 = (u32)cap, may1 = (u32)(cap >> 32);

	if (want & ~may1)
		return false;
	*out = (want | (optional & may1) | must1) & may1;
	return true;
}

static bool probe_controls(void)
{
	bool tc = vmx.true_ctls;
	struct cpuid_regs r;
	u32 opt2 = 0, base;

	cpuid_count(0x80000001, 0, &r);
	if (r.edx & CPUID_8000_0001_EDX_RDTSCP)
		opt2 |= PROC2_RDTSCP;
	cpuid_count(0, 0, &r);
	base = r.eax;
	if (base >= 7) {
		cpuid_count(7, 0, &r);
		if (r.ebx & CPUID_7_EBX_INVPCID)
			opt2 |= PROC2_INVPCID;
	}
	if (base >= 0xd) {
		cpuid_count(0xd, 1, &r);
		if (r.eax & CPUID_D_1_EAX_XSAVES)
			opt2 |= PROC2_XSAVES;
	}
	if (vmx.vpid)
		opt2 |= PROC2_VPID;
	return adjust(tc ? MSR_VMX_TRUE_PINBASED_CTLS : MSR_VMX_PINBASED_CTLS, 0, 0,
		      &vmx.pin_root) &&
	       adjust(tc ? MSR_VMX_TRUE_PINBASED_CTLS : MSR_VMX_PINBASED_CTLS,
		      PIN_EXTERNAL_INTERRUPT | PIN_NMI, PIN_PREEMPTION_TIMER, &vmx.pin_child) &&
	       adjust(tc ? MSR_VMX_TRUE_PROCBASED_CTLS : MSR_VMX_PROCBASED_CTLS,
		      PROC_MSR_BITMAPS | PROC_SECONDARY, 0, &vmx.proc_root) &&
	       adjust(tc ? MSR_VMX_TRUE_PROCBASED_CTLS : MSR_VMX_PROCBASED_CTLS,
		      PROC_MSR_BITMAPS | PROC_SECONDARY | PROC_IO_BITMAPS | PROC_HLT, 0,
		      &vmx.proc_child) &&
	       adjust(MSR_VMX_PROCBASED_CTLS2, PROC2_EPT | PROC2_UNRESTRICTED, opt2, &vmx.proc2) &&
	       adjust(tc ? MSR_VMX_TRUE_EXIT_CTLS : MSR_VMX_EXIT_CTLS,
		      EXIT_HOST_64 | EXIT_SAVE_PAT | EXIT_LOAD_PAT | EXIT_SAVE_EFER |
		      EXIT_LOAD_EFER, EXIT_SAVE_DEBUG, &vmx.exit) &&
	       adjust(tc ? MSR_VMX_TRUE_ENTRY_CTLS : MSR_VMX_ENTRY_CTLS,
		      ENTRY_LOAD_PAT | ENTRY_LOAD_EFER, ENTRY_LOAD_DEBUG, &vmx.entry) &&
	       ((rdmsr(tc ? MSR_VMX_TRUE_ENTRY_CTLS : MSR_VMX_ENTRY_CTLS) >> 32) & ENTRY_IA32E);
}

int vcpu_arch_probe(void)
{
	struct cpuid_regs r;
	u64 fc, basic, proc2_may1, ept;

	cpuid_count(1, 0, &r);
	if (!(r.ecx & CPUID_1_ECX_VMX))
		return HV_LAUNCH_NO_VIRTUALIZATION;
	fc = rdmsr(MSR_FEATURE_CONTROL);
	if ((fc & FEATURE_CONTROL_LOCKED) && !(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX))
		return HV_LAUNCH_VIRTUALIZATION_DISABLED;
	basic = rdmsr(MSR_VMX_BASIC);
	vmx.revision = (u32)basic & 0x7fffffff;
	vmx.true_ctls = basic & VMX_BASIC_TRUE_CTLS;
	if (((basic >> 32) & 0x1fff) > PAGE_SIZE)
		return HV_LAUNCH_NO_VIRTUALIZATION;
	/* Second-level translation and real-mode guests need the secondary controls. */
	if (!((rdmsr(MSR_VMX_PROCBASED_CTLS) >> 32) & PROC_SECONDARY))
		return HV_LAUNCH_NO_SLAT;
	proc2_may1 = rdmsr(MSR_VMX_PROCBASED_CTLS2) >> 32;
	if (!(proc2_may1 & PROC2_EPT) || !(proc2_may1 & PROC2_UNRESTRICTED))
		return HV_LAUNCH_NO_SLAT;
	ept = rdmsr(MSR_VMX_EPT_VPID_CAP);
	if (!(ept & EPT_CAP_WALK_4) || !(ept & (EPT_CAP_WB | EPT_CAP_UC)) ||
	    !(ept & EPT_CAP_INVEPT) || !(ept & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL)))
		return HV_LAUNCH_NO_SLAT;
	vmx.ept_cap = ept;
	vmx.vpid = (proc2_may1 & PROC2_VPID) && (ept & VPID_CAP_INVVPID) &&
		   (ept & (VPID_CAP_SINGLE | VPID_CAP_ALL));
	vmx.large_mask = (ept & EPT_CAP_2M ? PAGING_LARGE_2M : 0) |
			 (ept & EPT_CAP_1G ? PAGING_LARGE_1G : 0);
	vmx.wait_for_sipi = rdmsr(MSR_VMX_MISC) & VMX_MISC_WAIT_FOR_SIPI;
	vmx.preemption_timer_rate = rdmsr(MSR_VMX_MISC) & VMX_MISC_PREEMPTION_TIMER_RATE;
	if (!probe_controls())
		return HV_LAUNCH_NO_VIRTUALIZATION;
	vmx.cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0);
	vmx.cr0_fixed1 = rdmsr(MSR_VMX_CR0_FIXED1);
	vmx.cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
	vmx.cr4_fixed1 = rdmsr(MSR_VMX_CR4_FIXED1);
	/* Unrestricted guests may clear PE and PG; the other fixed bits are the host's (SDM 25.6.6). */
	vmx.cr0_must1 = vmx.cr0_fixed0 & ~(CR0_PE | CR0_PG);
	vmx.cr0_mask = (vmx.cr0_must1 | ~vmx.cr0_fixed1) & 0xffffffffULL;
	vmx.cr4_mask = (vmx.cr4_fixed0 | ~vmx.cr4_fixed1) & 0xffffffffULL;
	return HV_LAUNCH_OK;
}

u32 vcpu_arch_gpa_map_large_mask(void)
{
	return vmx.large_mask;
}

int vcpu_arch_lp_init(struct lp *lp, u64 (*alloc_page)(void))
{
	u64 fc = rdmsr(MSR_FEATURE_CONTROL);
	u32 *region;

	if (!bitmaps_ready) {
		bitmaps_init();
		fpu_init();
	}
	/* OVMF leaves the MSR unlocked (platform notes): allow VMX and lock it, as firmware would. */
	if (!(fc & FEATURE_CONTROL_LOCKED))
		wrmsr(MSR_FEATURE_CONTROL,
		      fc | FEATURE_CONTROL_VMX_OUTSIDE_SMX | FEATURE_CONTROL_LOCKED);
	lp->arch.vendor_pa[0] = alloc_page();
	if (!lp->arch.vendor_pa[0])
		return HV_LAUNCH_NO_MEMORY;
	region = phys_to_virt(lp->arch.vendor_pa[0]);
	region[0] = vmx.revision;
	/* SDM 23.8: CR0 and CR4 in VMX operation. */
	write_cr0((read_cr0() | vmx.cr0_fixed0) & vmx.cr0_fixed1);
	write_cr4((read_cr4() | vmx.cr4_fixed0) & vmx.cr4_fixed1);
	if (!vmxon(lp->arch.vendor_pa[0]))
		return HV_LAUNCH_VIRTUALIZATION_DISABLED;
	return HV_LAUNCH_OK;
}

void vmx_write_host_state(struct lp *lp)
{
	extern const u8 vmx_exit_entry[];

	vmwrite(HOST_CR0, read_cr0());
	vmwrite(HOST_CR3, read_cr3());
	vmwrite(HOST_CR4, read_cr4());
	vmwrite(HOST_CS_SELECTOR, HOST_CS);
	vmwrite(HOST_SS_SELECTOR, HOST_DS);
	vmwrite(HOST_DS_SELECTOR, HOST_DS);
	vmwrite(HOST_ES_SELECTOR, HOST_DS);
	vmwrite(HOST_FS_SELECTOR, 0);
	vmwrite(HOST_GS_SELECTOR, 0);
	vmwrite(HOST_TR_SELECTOR, HOST_TR);
	vmwrite(HOST_FS_BASE, 0);
	vmwrite(HOST_GS_BASE, (u64)(uintptr_t)lp);
	vmwrite(HOST_TR_BASE, (u64)(uintptr_t)&lp->arch.tss);
	vmwrite(HOST_GDTR_BASE, (u64)(uintptr_t)lp->arch.gdt);
	vmwrite(HOST_IDTR_BASE, (u64)(uintptr_t)host_idt);
	vmwrite(HOST_SYSENTER_CS, 0);
	vmwrite(HOST_SYSENTER_ESP, 0);
	vmwrite(HOST_SYSENTER_EIP, 0);
	vmwrite(HOST_IA32_EFER, rdmsr(MSR_EFER));
	vmwrite(HOST_IA32_PAT, rdmsr(MSR_PAT));
	vmwrite(HOST_RIP, (u64)(uintptr_t)vmx_exit_entry);
}

void vcpu_arch_lp_enter(struct lp *lp)
{
	struct dtr idtr = { sizeof(host_idt) - 1, (u64)(uintptr_t)host_idt };

	/* Host state is final now (own GDT, TSS, GS, page tables); interrupts stay off in host mode. */
	asm volatile("lidt %0; cli" ::"m"(idtr) : "memory");
	if (!lp->root_vp)
		return; /* minroot: no VMCS is current until the scheduler runs a child */
	lp->arch.current_vmcs = lp->root_vp->arch.control_pa;
	lp->arch.current_vp = lp->root_vp;
	lp->arch.msr_owner = lp->root_vp;
	vmx_write_host_state(lp);
	lp->root_vp->arch.host_lp = lp->index + 1;
}

/* Host mode runs with IF clear. */
void vcpu_arch_host_irq_window(void)
{
	asm volatile("sti; nop; cli" ::: "memory");
}

void vcpu_arch_host_idle(void)
{
	asm volatile("sti; hlt; cli" ::: "memory");
}

/* Called from vmx_host_nmi: an NMI in host mode belongs to the root. */
void vmx_nmi_in_host(void);
void vmx_nmi_in_host(void)
{
	struct lp *lp = this_lp();

	if (lp)
		lp->arch.nmi_pending = 1;
}

/* CR2 and the syscall MSRs are not part of the VMCS: the LP holds one VP's at a time. */
static void swap_msrs(struct lp *lp, struct vp *to)
{
	static const u32 msrs[5] = { MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK };
	struct vp *from = lp->arch.msr_owner;
	unsigned i;

	if (from == to)
		return;
	if (from) {
		from->arch.cr2 = read_cr2();
		for (i = 0; i < 5; i++)
			from->arch.syscall_msrs[i] = rdmsr(msrs[i]);
	}
	lp->arch.msr_owner = to;
	if (!to)
		return; /* an LP without a root VP just keeps the values saved */
	write_cr2(to->arch.cr2);
	for (i = 0; i < 5; i++)
		wrmsr(msrs[i], to->arch.syscall_msrs[i]);
}

/* Lets go of the child VMCS current on this LP, so any LP can load it next. */
static void release_child(struct lp *lp)
{
	struct vp *cur = lp->arch.current_vp;

	if (!cur || is_root_vp(cur))
		return;
	if (lp->arch.msr_owner == cur)
		swap_msrs(lp, lp->root_vp); /* NULL on a minroot LP: saved, nobody loaded */
	if (!vmclear(cur->arch.control_pa))
		hv_panic("VMCLEAR of VP %u failed", cur->index);
	cur->arch.launched = false;
	lp->arch.current_vmcs = 0;
	lp->arch.current_vp = NULL;
	lp->arch.last_control = 0;
	__atomic_store_n(&cur->arch.vmcs_lp, 0, __ATOMIC_RELEASE);
}

void vcpu_arch_put(struct vp *vp)
{
	struct lp *lp = this_lp();

	fpu_put(lp, vp);
	if (lp->arch.current_vp == vp)
		release_child(lp);
}

void vmx_vmcs_use(const struct vp *cvp)
{
	struct vp *vp = (struct vp *)cvp;
	struct lp *lp = this_lp();

	if (lp->arch.current_vmcs == vp->arch.control_pa)
		return;
	release_child(lp);
	if (!is_root_vp(vp)) {
		u32 none = 0;

		/* Only in flight for the moment another LP needs to clear it (never in practice). */
		while (!__atomic_compare_exchange_n(&vp->arch.vmcs_lp, &none, lp->index + 1, false,
						    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
			none = 0;
			cpu_relax();
		}
	}
	if (!vmptrld(vp->arch.control_pa))
		hv_panic("VMPTRLD of VP %u failed", vp->index);
	lp->arch.current_vmcs = vp->arch.control_pa;
	lp->arch.current_vp = vp;
}

static int alloc_vp_pages(struct vp *vp, u64 (*alloc_page)(void *), void *ctx)
{
	u64 vmcs = alloc_page(ctx), fpu = alloc_page(ctx);

	/* Recorded even if the other failed: vcpu_arch_destroy gives back what was taken. */
	vp->arch.control_pa = vmcs;
	vp->arch.control = phys_to_virt(vmcs);
	vp->arch.fpu = phys_to_virt(fpu);
	if (!vmcs || !fpu)
		return -1;
	*(u32 *)vp->arch.control = vmx.revision;
	vp->arch.xcr0 = FPU_RESET_XCR0;
	fpu_area_reset(vp->arch.fpu);
	return 0;
}

u64 vmx_eptp(u64 root)
{
	return root | EPTP_WALK_4 | (vmx.ept_cap & EPT_CAP_WB ? MEMTYPE_WB : MEMTYPE_UC);
}

static void set_controls(struct vp *vp, bool child)
{
	vmwrite(VMCS_LINK_POINTER, ~0ULL);
	if (vmx.vpid)
		vmwrite(VPID, child ? CHILD_VPID : ROOT_VPID);
	vmwrite(EPT_POINTER, vmx_eptp(vp->partition->gpa_map.root));
	vmwrite(PIN_BASED_CONTROLS, child ? vmx.pin_child : vmx.pin_root);
	vp->arch.proc_ctls = child ? vmx.proc_child : vmx.proc_root;
	vmwrite(PROC_BASED_CONTROLS, vp->arch.proc_ctls);
	vmwrite(PROC_BASED_CONTROLS2, vmx.proc2);
	vmwrite(EXIT_CONTROLS, vmx.exit);
	vmwrite(ENTRY_CONTROLS, vmx.entry);
	vmwrite(EXCEPTION_BITMAP, 0);
	/* Mask and match 0: with bit 14 in the bitmap every #PF exits (SDM 25.2). */
	vmwrite(PAGE_FAULT_ERROR_MASK, 0);
	vmwrite(PAGE_FAULT_ERROR_MATCH, 0);
	vmwrite(CR3_TARGET_COUNT, 0);
	vmwrite(EXIT_MSR_STORE_COUNT, 0);
	vmwrite(EXIT_MSR_LOAD_COUNT, 0);
	vmwrite(ENTRY_MSR_LOAD_COUNT, 0);
	vmwrite(ENTRY_INTR_INFO, 0);
	vmwrite(MSR_BITMAP, virt_to_phys(child ? msr_bitmap_child : msr_bitmap_root));
	if (child) {
		vmwrite(IO_BITMAP_A, virt_to_phys(io_bitmap_child));
		vmwrite(IO_BITMAP_B, virt_to_phys(io_bitmap_child + PAGE_SIZE));
	}
	vmwrite(CR0_GUEST_HOST_MASK, vmx.cr0_mask);
	vmwrite(CR4_GUEST_HOST_MASK, vmx.cr4_mask);
}

/* A segment register as launch.c captured it (VMCB attribute packing) into the VMCS. */
static void put_segment(enum vmx_segment s, const struct x86_segment *seg)
{
	u32 ar = (seg->attrib & 0xff) | ((u32)(seg->attrib & 0xf00) << 4);

	vmwrite(GUEST_SEL(s), seg->selector);
	vmwrite(GUEST_BASE(s), seg->base);
	vmwrite(GUEST_LIMIT(s), seg->limit);
	vmwrite(GUEST_AR(s), (ar & AR_P) ? ar : AR_UNUSABLE);
}

static u16 read_sel(int which)
{
	u16 v = 0;

	switch (which) {
	case SEG_FS: asm volatile("mov %%fs, %0" : "=r"(v)); break;
	case SEG_GS: asm volatile("mov %%gs, %0" : "=r"(v)); break;
	case SEG_LDTR: asm volatile("sldt %0" : "=r"(v)); break;
	case SEG_TR: asm volatile("str %0" : "=r"(v)); break;
	}
	return v;
}

/* What VMSAVE would capture on AMD: FS, GS, TR, LDTR as they are, and the MSRs VMX leaves alone. */
static void capture_firmware_state(const struct launch_state *ls)
{
	struct x86_segment s;

	segment_from_gdt(ls->gdt_base, ls->gdt_limit, read_sel(SEG_FS), &s);
	s.base = rdmsr(MSR_FS_BASE);
	put_segment(SEG_FS, &s);
	segment_from_gdt(ls->gdt_base, ls->gdt_limit, read_sel(SEG_GS), &s);
	s.base = rdmsr(MSR_GS_BASE);
	put_segment(SEG_GS, &s);
	segment_from_gdt(ls->gdt_base, ls->gdt_limit, read_sel(SEG_LDTR), &s);
	put_segment(SEG_LDTR, &s);
	segment_from_gdt(ls->gdt_base, ls->gdt_limit, read_sel(SEG_TR), &s);
	if (!(s.attrib & SEG_ATTR_P)) {
		/*
		 * UEFI runs with TR = 0, which VM entry refuses (SDM 26.3.1.2): give
		 * the root the register as reset leaves it, a busy TSS at 0 (long
		 * mode never uses it without a task switch or an IST).
		 */
		s.base = 0;
		s.limit = 0xffff;
		s.attrib = 0x8b;
	} else if (s.selector) {
		/* A 64-bit TSS descriptor holds base bits 63:32 in its second half. */
		s.base |= (u64)*(const u32 *)(uintptr_t)(ls->gdt_base + (s.selector & ~7u) + 8) << 32;
		s.attrib |= 2; /* busy, as it was loaded */
	}
	put_segment(SEG_TR, &s);
	vmwrite(GUEST_SYSENTER_CS, rdmsr(MSR_SYSENTER_CS));
	vmwrite(GUEST_SYSENTER_ESP, rdmsr(MSR_SYSENTER_ESP));
	vmwrite(GUEST_SYSENTER_EIP, rdmsr(MSR_SYSENTER_EIP));
	vmwrite(GUEST_IA32_DEBUGCTL, 0);
}

u64 vmx_guest_cr0(u64 cr0)
{
	return (cr0 | vmx.cr0_must1) & vmx.cr0_fixed1;
}

u64 vmx_guest_cr4(u64 cr4)
{
	return (cr4 | vmx.cr4_fixed0) & vmx.cr4_fixed1;
}

int vcpu_arch_create_root(struct vp *vp, const struct launch_state *ls,
			  u64 (*alloc_page)(void *), void *ctx)
{
	const struct launch_frame *f = ls->frame;

	if (alloc_vp_pages(vp, alloc_page, ctx))
		return -1;
	/* This LP has no host state yet: load the VMCS directly; vcpu_arch_lp_enter records it. */
	if (!vmclear(vp->arch.control_pa) || !vmptrld(vp->arch.control_pa))
		return -1;
	set_controls(vp, false);
	if (ls->efer & EFER_LMA)
		vmwrite(ENTRY_CONTROLS, vmx.entry | ENTRY_IA32E);
	put_segment(SEG_CS, &ls->cs);
	put_segment(SEG_SS, &ls->ss);
	put_segment(SEG_DS, &ls->ds);
	put_segment(SEG_ES, &ls->es);
	capture_firmware_state(ls);
	vmwrite(GUEST_GDTR_BASE, ls->gdt_base);
	vmwrite(GUEST_GDTR_LIMIT, ls->gdt_limit);
	vmwrite(GUEST_IDTR_BASE, ls->idt_base);
	vmwrite(GUEST_IDTR_LIMIT, ls->idt_limit);
	vmwrite(GUEST_CR0, vmx_guest_cr0(ls->cr0));
	vmwrite(CR0_READ_SHADOW, ls->cr0);
	vmwrite(GUEST_CR3, ls->cr3);
	vmwrite(GUEST_CR4, vmx_guest_cr4(ls->cr4));
	vmwrite(CR4_READ_SHADOW, ls->cr4);
	vmwrite(GUEST_IA32_EFER, ls->efer);
	vmwrite(GUEST_IA32_PAT, ls->pat);
	vmwrite(GUEST_DR7, ls->dr7);
	vmwrite(GUEST_RFLAGS, f->rflags);
	vmwrite(GUEST_RIP, f->rip);
	vmwrite(GUEST_RSP, ls->rsp);
	vmwrite(GUEST_INTERRUPTIBILITY, 0);
	vmwrite(GUEST_ACTIVITY_STATE, ACTIVITY_ACTIVE);
	vmwrite(GUEST_PENDING_DEBUG, 0);
	vp->arch.cr2 = read_cr2();
	vp->arch.launched = false;
	vp->regs.rax = 0; /* hv_entry "returns" HV_LAUNCH_OK */
	vp->regs.rbx = f->rbx;
	vp->regs.rbp = f->rbp;
	vp->regs.r12 = f->r12;
	vp->regs.r13 = f->r13;
	vp->regs.r14 = f->r14;
	vp->regs.r15 = f->r15;
	return 0;
}

static void put_raw_segment(enum vmx_segment s, u16 sel, u64 base, u32 limit, u32 ar)
{
	vmwrite(GUEST_SEL(s), sel);
	vmwrite(GUEST_BASE(s), base);
	vmwrite(GUEST_LIMIT(s), limit);
	vmwrite(GUEST_AR(s), ar);
}

/* SDM 9.1.1, table 9-1: processor state after INIT (which keeps PAT); the VMCS must be current. */
static void reset_state(struct vp *vp)
{
	struct cpuid_regs r;
	unsigned s;

	memset(&vp->regs, 0, sizeof(vp->regs));
	cpuid_count(1, 0, &r);
	vp->regs.rdx = r.eax; /* processor signature */
	put_raw_segment(SEG_CS, 0xf000, 0xffff0000, 0xffff, 0x9b);
	for (s = SEG_ES; s <= SEG_GS; s++)
		if (s != SEG_CS)
			put_raw_segment(s, 0, 0, 0xffff, 0x93);
	put_raw_segment(SEG_LDTR, 0, 0, 0xffff, 0x82);
	put_raw_segment(SEG_TR, 0, 0, 0xffff, 0x8b);
	vmwrite(GUEST_GDTR_BASE, 0);
	vmwrite(GUEST_GDTR_LIMIT, 0xffff);
	vmwrite(GUEST_IDTR_BASE, 0);
	vmwrite(GUEST_IDTR_LIMIT, 0xffff);
	vmwrite(GUEST_RIP, 0xfff0);
	vmwrite(GUEST_RSP, 0);
	vmwrite(GUEST_RFLAGS, RFLAGS_FIXED);
	vmwrite(GUEST_CR0, vmx_guest_cr0(CR0_ET | CR0_NW | CR0_CD));
	vmwrite(CR0_READ_SHADOW, CR0_ET | CR0_NW | CR0_CD);
	vmwrite(GUEST_CR3, 0);
	vmwrite(GUEST_CR4, vmx_guest_cr4(0));
	vmwrite(CR4_READ_SHADOW, 0);
	vmwrite(GUEST_IA32_EFER, 0);
	vmwrite(ENTRY_CONTROLS, vmx.entry);
	vmwrite(GUEST_IA32_DEBUGCTL, 0);
	vmwrite(GUEST_DR7, 0x400);
	vmwrite(GUEST_SYSENTER_CS, 0);
	vmwrite(GUEST_SYSENTER_ESP, 0);
	vmwrite(GUEST_SYSENTER_EIP, 0);
	vmwrite(GUEST_INTERRUPTIBILITY, 0);
	vmwrite(GUEST_ACTIVITY_STATE, ACTIVITY_ACTIVE);
	vmwrite(GUEST_PENDING_DEBUG, 0);
	vmwrite(ENTRY_INTR_INFO, 0);
}

int vcpu_arch_create(struct vp *vp, u64 (*alloc_page)(void *), void *ctx)
{
	if (alloc_vp_pages(vp, alloc_page, ctx))
		return -1;
	if (!vmclear(vp->arch.control_pa))
		return -1;
	vmx_vmcs_use(vp);
	set_controls(vp, true);
	reset_state(vp);
	vmwrite(GUEST_IA32_PAT, 0x0007040600070406ULL);
	return 0;
}

void vcpu_arch_init_state(struct vp *vp)
{
	vmx_vmcs_use(vp);
	reset_state(vp);
}

void vcpu_arch_sipi(struct vp *vp, u8 vector)
{
	vmx_vmcs_use(vp);
	put_raw_segment(SEG_CS, (u16)vector << 8, (u64)vector << 12, 0xffff, 0x9b);
	vmwrite(GUEST_RIP, 0);
	vmwrite(GUEST_ACTIVITY_STATE, ACTIVITY_ACTIVE);
}

void vcpu_arch_destroy(struct vp *vp, void (*free_page)(void *, u64), void *ctx)
{
	struct lp *lp = this_lp();

	if (lp && lp->arch.current_vp == vp)
		release_child(lp);
	while (__atomic_load_n(&vp->arch.vmcs_lp, __ATOMIC_ACQUIRE))
		cpu_relax();
	if (vp->arch.control_pa)
		free_page(ctx, vp->arch.control_pa);
	if (vp->arch.fpu)
		free_page(ctx, virt_to_phys(vp->arch.fpu));
}

/* An INIT the root received (while it or a child ran): the x86 INIT state, waiting for SIPI. */
static void root_init(struct vp *vp)
{
	reset_state(vp);
	if (vmx.wait_for_sipi)
		vmwrite(GUEST_ACTIVITY_STATE, ACTIVITY_WAIT_SIPI);
	hv_log("root VP %u: INIT received, waiting for SIPI", vp->index);
}

static void root_sipi(struct vp *vp, u8 vector)
{
	vcpu_arch_sipi(vp, vector);
	hv_log("root VP %u: SIPI vector 0x%x", vp->index, vector);
}

/* Events the root gets from outside its own run: INIT and NMI taken while a child or the host ran. */
static void root_events(struct lp *lp, struct vp *vp)
{
	if (lp->arch.init_pending) {
		lp->arch.init_pending = 0;
		lp->arch.nmi_pending = 0;
		root_init(vp);
		return;
	}
	if (lp->arch.nmi_pending && !(vmread(ENTRY_INTR_INFO) & INTR_INFO_VALID) &&
	    !(vmread(GUEST_INTERRUPTIBILITY) &
	      (INTERRUPTIBILITY_NMI | INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS)) &&
	    vmread(GUEST_ACTIVITY_STATE) != ACTIVITY_WAIT_SIPI) {
		lp->arch.nmi_pending = 0;
		vmwrite(ENTRY_INTR_INFO, 2 | INTR_TYPE_NMI | INTR_INFO_VALID);
	}
}

static void flush(u64 eptp, bool linear, u16 vpid)
{
	invept(vmx.ept_cap & EPT_CAP_INVEPT_SINGLE ? INVEPT_SINGLE : INVEPT_ALL, eptp);
	if (linear && vmx.vpid)
		invvpid(vmx.ept_cap & VPID_CAP_SINGLE ? INVVPID_SINGLE : INVVPID_ALL, vpid);
}

static bool xsetbv_valid(u32 index, u64 value)
{
	struct cpuid_regs r;
	u64 supported;

	if (index != 0 || !(value & 1) || ((value & 4) && !(value & 2)))
		return false;
	cpuid_count(0xd, 0, &r);
	supported = ((u64)r.edx << 32) | r.eax;
	if (value & ~supported)
		return false;
	if (((value >> 3) & 3) == 1 || ((value >> 3) & 3) == 2) /* MPX: both or neither */
		return false;
	if ((value & 0xe0) && ((value & 0xe0) != 0xe0 || !(value & 4))) /* AVX-512 */
		return false;
	return true;
}

static void emulate_xsetbv(struct vp *vp, u8 len)
{
	u64 value = (vp->regs.rdx << 32) | (u32)vp->regs.rax;

	if (vcpu_arch_cpl(vp) != 0 || !xsetbv_valid((u32)vp->regs.rcx, value)) {
		vcpu_arch_inject_exception(vp, 13, true, 0);
		return;
	}
	/*
	 * The root's XCR0 is live; a child's is loaded from its save area on
	 * the next run, unless its state stays loaded (fpu.c, LPs without a root VP).
	 */
	if (is_root_vp(vp) || fpu_live(this_lp(), vp))
		xsetbv(0, value);
	if (!is_root_vp(vp))
		vp->arch.xcr0 = value;
	vcpu_arch_skip_instruction(vp, len);
}

static void reinject_vectoring(void)
{
	u32 idt = (u32)vmread(IDT_VECTORING_INFO);
	u32 type = idt & INTR_TYPE_MASK;

	/* Every VM exit clears the valid bit of what was injected (SDM 24.8.3). */
	if (!(idt & INTR_INFO_VALID))
		return;
	/* An event cut short by the exit is delivered again on the next entry (SDM 27.2.4). */
	vmwrite(ENTRY_INTR_INFO, idt & (INTR_INFO_VALID | INTR_INFO_ERROR | INTR_TYPE_MASK | 0xff));
	if (idt & INTR_INFO_ERROR)
		vmwrite(ENTRY_EXCEPTION_ERROR, vmread(IDT_VECTORING_ERROR));
	if (type == INTR_TYPE_SOFT_INT || type == INTR_TYPE_PRIV_SOFT || type == INTR_TYPE_SOFT_EXC)
		vmwrite(ENTRY_INSTRUCTION_LEN, vmread(EXIT_INSTRUCTION_LEN));
}

/*
 * A hardware exception of the exception bitmap, before delivery: RIP at
 * the faulting instruction, CR2 not yet written (the qualification has the
 * #PF address). The exit gives no length for it (SDM 27.2.5).
 */
static void decode_exception(u32 info, struct vp_exit *e)
{
	e->reason = VP_EXIT_EXCEPTION;
	e->exception.vector = (u8)info;
	e->exception.has_error = info & INTR_INFO_ERROR;
	e->exception.error = e->exception.has_error ? (u32)vmread(EXIT_INTR_ERROR) : 0;
	e->exception.parameter = e->exception.vector == 14 ? vmread(EXIT_QUALIFICATION) : 0;
	/* An IRET that unblocked NMIs faulted: it runs again, so block them again (SDM 27.2.3). */
	if ((info & INTR_INFO_NMI_UNBLOCKING) && !(vmread(IDT_VECTORING_INFO) & INTR_INFO_VALID))
		vmwrite(GUEST_INTERRUPTIBILITY, vmread(GUEST_INTERRUPTIBILITY) | INTERRUPTIBILITY_NMI);
}

static void decode_exit(struct vp *vp, struct lp *lp, struct vp_exit *e)
{
	u32 reason = (u32)vmread(EXIT_REASON);
	u64 qual;

	e->insn_len = 0;
	if (reason & EXIT_REASON_ENTRY_FAILURE) {
		hv_log("VP %u: VM entry failed, exit reason 0x%x qualification 0x%llx",
		       vp->index, reason, (unsigned long long)vmread(EXIT_QUALIFICATION));
		e->reason = VP_EXIT_BAD_STATE;
		return;
	}
	vp->arch.launched = true;
	reinject_vectoring();
	switch (reason & 0xffff) {
	case EXIT_CPUID:
		e->reason = VP_EXIT_CPUID;
		e->cpuid.leaf = (u32)vp->regs.rax;
		e->cpuid.subleaf = (u32)vp->regs.rcx;
		break;
	case EXIT_VMCALL:
		e->reason = VP_EXIT_HYPERCALL;
		break;
	case EXIT_RDMSR:
	case EXIT_WRMSR:
		e->reason = (reason & 0xffff) == EXIT_WRMSR ? VP_EXIT_MSR_WRITE : VP_EXIT_MSR_READ;
		e->msr.index = (u32)vp->regs.rcx;
		e->msr.value = (vp->regs.rdx << 32) | (u32)vp->regs.rax;
		break;
	case EXIT_IO:
		qual = vmread(EXIT_QUALIFICATION);
		e->reason = VP_EXIT_IO;
		e->io.port = (u16)(qual >> 16);
		e->io.size = (u8)((qual & 7) + 1);
		e->io.in = qual & IO_QUAL_IN;
		e->io.string = qual & IO_QUAL_STRING;
		e->io.rep = qual & IO_QUAL_REP;
		break;
	case EXIT_EPT_VIOLATION:
		qual = vmread(EXIT_QUALIFICATION);
		e->reason = VP_EXIT_GPA_FAULT;
		e->fault.gpa = vmread(GUEST_PHYSICAL_ADDRESS);
		e->fault.access = qual & EPT_QUAL_FETCH ? HV_INTERCEPT_ACCESS_EXECUTE :
				  qual & EPT_QUAL_WRITE ? HV_INTERCEPT_ACCESS_WRITE :
							  HV_INTERCEPT_ACCESS_READ;
		e->fault.translating = (qual & EPT_QUAL_LINEAR_VALID) && !(qual & EPT_QUAL_TRANSLATED);
		/* An IRET that unblocked NMIs faulted: it runs again, so block them again (SDM 27.2.3). */
		if ((qual & EPT_QUAL_NMI_UNBLOCKING) &&
		    !(vmread(IDT_VECTORING_INFO) & INTR_INFO_VALID))
			vmwrite(GUEST_INTERRUPTIBILITY,
				vmread(GUEST_INTERRUPTIBILITY) | INTERRUPTIBILITY_NMI);
		return;
	case EXIT_HLT:
		e->reason = VP_EXIT_HLT;
		break;
	case EXIT_PREEMPTION_TIMER:
		e->reason = VP_EXIT_NONE; /* lp_run sees the slice is over */
		return;
	case EXIT_EXCEPTION_NMI:
		if ((vmread(EXIT_INTR_INFO) & INTR_TYPE_MASK) == INTR_TYPE_EXCEPTION) {
			decode_exception((u32)vmread(EXIT_INTR_INFO), e);
			return;
		}
		if ((vmread(EXIT_INTR_INFO) & INTR_TYPE_MASK) != INTR_TYPE_NMI) {
			e->reason = VP_EXIT_UNHANDLED;
			e->unhandled = reason;
			return;
		}
		/* The exit consumed the NMI; the root receives it on its next entry. */
		lp->arch.nmi_pending = 1;
		e->reason = VP_EXIT_EXTERNAL;
		return;
	case EXIT_EXTERNAL_INTERRUPT:
	case EXIT_IO_SMI:
	case EXIT_OTHER_SMI:
		/* "Acknowledge interrupt on exit" is clear: the interrupt stays pending for the root. */
		e->reason = VP_EXIT_EXTERNAL;
		return;
	case EXIT_INIT:
		e->reason = VP_EXIT_NONE;
		if (is_root_vp(vp)) {
			root_init(vp);
		} else {
			lp->arch.init_pending = 1;
			e->reason = VP_EXIT_EXTERNAL;
		}
		return;
	case EXIT_SIPI:
		e->reason = VP_EXIT_NONE;
		if (is_root_vp(vp))
			root_sipi(vp, (u8)vmread(EXIT_QUALIFICATION));
		return;
	case EXIT_TRIPLE_FAULT:
		e->reason = VP_EXIT_TRIPLE_FAULT;
		return;
	case EXIT_INTERRUPT_WINDOW:
		e->reason = VP_EXIT_INTERRUPT_WINDOW;
		return;
	case EXIT_CR_ACCESS:
		e->reason = VP_EXIT_NONE;
		if (!vmx_cr_access(vp, (u8)vmread(EXIT_INSTRUCTION_LEN))) {
			e->reason = VP_EXIT_UNHANDLED;
			e->unhandled = reason;
		}
		return;
	case EXIT_XSETBV:
		e->reason = VP_EXIT_NONE;
		emulate_xsetbv(vp, (u8)vmread(EXIT_INSTRUCTION_LEN));
		return;
	case EXIT_INVD:
		/* Dropping caches without writing them back would lose other partitions' data. */
		asm volatile("wbinvd" ::: "memory");
		e->reason = VP_EXIT_NONE;
		vcpu_arch_skip_instruction(vp, (u8)vmread(EXIT_INSTRUCTION_LEN));
		return;
	case EXIT_GETSEC:
	case EXIT_VMCLEAR:
	case EXIT_VMLAUNCH:
	case EXIT_VMPTRLD:
	case EXIT_VMPTRST:
	case EXIT_VMREAD:
	case EXIT_VMRESUME:
	case EXIT_VMWRITE:
	case EXIT_VMXOFF:
	case EXIT_VMXON:
	case EXIT_INVEPT:
	case EXIT_INVVPID:
	case EXIT_VMFUNC:
		e->reason = VP_EXIT_UNDEFINED;
		return;
	case EXIT_EPT_MISCONFIG:
		hv_log("VP %u: EPT misconfiguration at GPA 0x%llx", vp->index,
		       (unsigned long long)vmread(GUEST_PHYSICAL_ADDRESS));
		e->reason = VP_EXIT_UNHANDLED;
		e->unhandled = reason;
		return;
	default:
		e->reason = VP_EXIT_UNHANDLED;
		e->unhandled = reason;
		return;
	}
	/* The exit's instruction length covers prefixes (SDM 27.2.5). */
	e->insn_len = (u8)vmread(EXIT_INSTRUCTION_LEN);
}

/*
 * A child's slice ends by the VMX preemption timer as well as by the LP's
 * APIC timer: an emulator (Bochs 2.7) was seen to take no external-interrupt
 * exit while the guest ran with IF clear, and the slice must end regardless.
 * On an LP the root shares (a dispatched VP) the root's interrupts end the
 * run; the timer is then as good as off.
 */
static u32 preemption_ticks(const struct lp *lp)
{
	u64 now = rdtsc(), ticks;

	if (!lp->owned)
		return 0xffffffffu;
	ticks = lp->until > now ? (lp->until - now) >> vmx.preemption_timer_rate : 0;
	return ticks > 0xffffffffu ? 0xffffffffu : (u32)ticks;
}

void vcpu_arch_flush_tlb(struct vp *vp)
{
	vp->arch.flush_tlb = true;
}

void vcpu_arch_run(struct vp *vp, struct vp_exit *exit)
{
	struct lp *lp = this_lp();
	struct gpa_map *map = &vp->partition->gpa_map;
	u64 gen = map->generation;
	bool child = !is_root_vp(vp);
	int failed;

	vmx_vmcs_use(vp);
	/* The parent installs and removes these at any time; the root never has any. */
	vmwrite(EXCEPTION_BITMAP, __atomic_load_n(&vp->partition->exception_intercepts, __ATOMIC_ACQUIRE));
	if (vp->arch.host_lp != lp->index + 1) {
		vmx_write_host_state(lp);
		vp->arch.host_lp = lp->index + 1;
	}
	if (child) {
		/* Children share a VPID: a new VP on this LP starts with a clean TLB, as on SVM. */
		if (lp->arch.last_control != vp->arch.control_pa || vp->arch.seen_generation != gen ||
		    vp->arch.flush_tlb) {
			flush(vmx_eptp(map->root), true, CHILD_VPID);
			lp->arch.last_control = vp->arch.control_pa;
			vp->arch.seen_generation = gen;
			vp->arch.flush_tlb = false;
		}
		swap_msrs(lp, vp);
		fpu_enter_child(lp, vp);
		if (vmx.pin_child & PIN_PREEMPTION_TIMER)
			vmwrite(PREEMPTION_TIMER_VALUE, preemption_ticks(lp));
	} else {
		/* The root's VPID is its own on this LP: only EPT changes need a flush. */
		if (vp->arch.seen_generation != gen || vp->arch.flush_tlb) {
			flush(vmx_eptp(map->root), vp->arch.flush_tlb, ROOT_VPID);
			vp->arch.seen_generation = gen;
			vp->arch.flush_tlb = false;
		}
		root_events(lp, vp);
	}
	failed = vmx_run(&vp->regs, vp->arch.launched);
	if (child)
		fpu_leave_child(lp, vp);
	if (failed) {
		hv_log("VP %u: VM%s failed, VM-instruction error %llu", vp->index,
		       vp->arch.launched ? "RESUME" : "LAUNCH",
		       (unsigned long long)vmread(VM_INSTRUCTION_ERROR));
		exit->insn_len = 0;
		exit->reason = VP_EXIT_BAD_STATE;
		return;
	}
	decode_exit(vp, lp, exit);
}

void vcpu_arch_skip_instruction(struct vp *vp, u8 len)
{
	vmx_vmcs_use(vp);
	vmwrite(GUEST_RIP, vmread(GUEST_RIP) + len);
	vmwrite(GUEST_INTERRUPTIBILITY, vmread(GUEST_INTERRUPTIBILITY) &
					~(u64)(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
}

bool vcpu_arch_interruptible(const struct vp *vp)
{
	vmx_vmcs_use(vp);
	return (vmread(GUEST_RFLAGS) & RFLAGS_IF) &&
	       !(vmread(GUEST_INTERRUPTIBILITY) & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS)) &&
	       !(vmread(ENTRY_INTR_INFO) & INTR_INFO_VALID) &&
	       vmread(GUEST_ACTIVITY_STATE) != ACTIVITY_WAIT_SIPI;
}

void vcpu_arch_inject_interrupt(struct vp *vp, u8 vector)
{
	vmx_vmcs_use(vp);
	vmwrite(ENTRY_INTR_INFO, vector | INTR_TYPE_EXTERNAL | INTR_INFO_VALID);
}

/* Interrupt-window exiting: an exit as soon as RFLAGS.IF = 1 and nothing blocks (SDM 26.7.5). */
void vcpu_arch_interrupt_window(struct vp *vp, bool on)
{
	u32 ctls = on ? vp->arch.proc_ctls | PROC_INTERRUPT_WINDOW :
			vp->arch.proc_ctls & ~PROC_INTERRUPT_WINDOW;

	if (ctls == vp->arch.proc_ctls)
		return;
	vmx_vmcs_use(vp);
	vmwrite(PROC_BASED_CONTROLS, ctls);
	vp->arch.proc_ctls = ctls;
}

void vcpu_arch_inject_exception(struct vp *vp, u8 vector, bool has_error, u32 error)
{
	u32 info = vector | INTR_TYPE_EXCEPTION | INTR_INFO_VALID;

	vmx_vmcs_use(vp);
	/*
	 * VM entry insists (SDM 26.2.1.3): an error code exactly for #DF, #TS,
	 * #NP, #SS, #GP, #PF and #AC, and never in real mode.
	 */
	if ((vmread(GUEST_CR0) & CR0_PE) &&
	    (vector == 8 || (vector >= 10 && vector <= 14) || vector == 17)) {
		info |= INTR_INFO_ERROR;
		vmwrite(ENTRY_EXCEPTION_ERROR, has_error ? error : 0);
	}
	vmwrite(ENTRY_INTR_INFO, info);
}

bool vcpu_arch_long_mode(const struct vp *vp)
{
	vmx_vmcs_use(vp);
	return (vmread(GUEST_IA32_EFER) & EFER_LMA) && (vmread(GUEST_AR(SEG_CS)) & AR_L);
}

int vcpu_arch_cpl(const struct vp *vp)
{
	vmx_vmcs_use(vp);
	return (vmread(GUEST_AR(SEG_SS)) >> 5) & 3;
}

void vcpu_arch_cpuid_filter(u32 leaf, u32 subleaf, struct cpuid_regs *r)
{
	(void)subleaf;
	/* No VMX for partitions, nor SMX (GETSEC exits and becomes #UD). */
	if (leaf == 1)
		r->ecx &= ~(u32)(CPUID_1_ECX_VMX | CPUID_1_ECX_SMX);
}

size_t vcpu_arch_hypercall_code(u8 *buf, size_t size)
{
	static const u8 code[] = { 0x0f, 0x01, 0xc1, /* vmcall */ 0xc3 /* ret */ };

	if (size < sizeof(code))
		return 0;
	memcpy(buf, code, sizeof(code));
	return sizeof(code);
}
