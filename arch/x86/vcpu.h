/*
 * The virtual-processor interface between hv/ and a vendor backend
 * (arch/x86/svm today, arch/x86/vmx next). Exactly one backend is linked
 * into a hypervisor image; hv/ sees only these functions and struct vp_exit.
 */
#ifndef ARCH_X86_VCPU_H
#define ARCH_X86_VCPU_H

#include "hv/types.h"
#include "hv/tlfs.h"

struct vp;
struct lp;
struct launch_state;
struct gpa_map;
struct cpuid_regs;

enum vp_exit_reason {
	VP_EXIT_NONE,         /* handled inside the backend; resume */
	VP_EXIT_CPUID,
	VP_EXIT_HYPERCALL,
	VP_EXIT_MSR_READ,
	VP_EXIT_MSR_WRITE,
	VP_EXIT_IO,
	VP_EXIT_GPA_FAULT,    /* access to a GPA the partition may not make */
	VP_EXIT_HLT,
	VP_EXIT_EXTERNAL,     /* a physical interrupt or NMI that belongs to the root */
	VP_EXIT_TRIPLE_FAULT,
	VP_EXIT_BAD_STATE,    /* VM entry refused the VP's state */
	VP_EXIT_UNDEFINED,    /* an instruction the VP may not use: inject #UD */
	VP_EXIT_INTERRUPT_WINDOW, /* the VP can now take the interrupt it was waiting for */
	VP_EXIT_EXCEPTION,    /* a vector of partition->exception_intercepts, before delivery */
	VP_EXIT_UNHANDLED,    /* anything else: code in .unhandled */
};

struct vp_exit {
	enum vp_exit_reason reason;
	u8 insn_len; /* bytes to skip to complete the instruction; 0 = unknown */
	union {
		struct {
			u32 leaf, subleaf;
		} cpuid;
		struct {
			u32 index;
			u64 value; /* for writes */
		} msr;
		struct {
			u16 port;
			u8 size; /* 1, 2 or 4 */
			bool in;
			bool string;
			bool rep;
		} io;
		struct {
			u64 gpa;
			u8 access; /* HV_INTERCEPT_ACCESS_* */
			bool translating; /* during the guest's own page walk */
		} fault;
		struct {
			u8 vector;
			bool has_error;
			u32 error;
			u64 parameter; /* #PF: the faulting linear address (CR2 is not yet written) */
		} exception;
		u64 unhandled;
	};
};

/* Once per LP, before anything else: HV_LAUNCH_OK or why this CPU cannot host us. */
int vcpu_arch_probe(void);
/* Turns virtualization on for this LP. */
int vcpu_arch_lp_init(struct lp *lp, u64 (*alloc_page)(void));
/* Large pages the second-level translation supports (PAGING_LARGE_*). */
u32 vcpu_arch_gpa_map_large_mask(void);

/* Control block and state. alloc_page returns zeroed pages charged to the VP's partition. */
int vcpu_arch_create(struct vp *vp, u64 (*alloc_page)(void *), void *ctx);
int vcpu_arch_create_root(struct vp *vp, const struct launch_state *ls,
			  u64 (*alloc_page)(void *), void *ctx);
/* INIT: the VP waits in the x86 INIT state; SIPI: it starts in real mode at vector << 12. */
void vcpu_arch_init_state(struct vp *vp);
void vcpu_arch_sipi(struct vp *vp, u8 vector);
/* Every page vcpu_arch_create took, for the partition to reclaim; also after it failed. */
void vcpu_arch_destroy(struct vp *vp, void (*free_page)(void *, u64), void *ctx);

/* Runs the VP on this LP until the next exit that needs hv/ attention. */
void vcpu_arch_run(struct vp *vp, struct vp_exit *exit);
/* The VP's next entry starts without any cached guest translation. */
void vcpu_arch_flush_tlb(struct vp *vp);
/* The VP leaves this LP (hypervisor scheduler): any LP may run it next. */
void vcpu_arch_put(struct vp *vp);
/* Host state of this LP is final (own GDT, TSS, GS): ready to run VPs. */
void vcpu_arch_lp_enter(struct lp *lp);
/*
 * On LPs the hypervisor owns alone: let pending physical interrupts in
 * through the host IDT (arch/x86/host_irq.S), or halt until one comes.
 * Host mode otherwise keeps them out.
 */
void vcpu_arch_host_irq_window(void);
void vcpu_arch_host_idle(void);

void vcpu_arch_skip_instruction(struct vp *vp, u8 len);
/* External-interrupt delivery: can the VP take one now (IF set, no shadow, no event queued)? */
bool vcpu_arch_interruptible(const struct vp *vp);
void vcpu_arch_inject_interrupt(struct vp *vp, u8 vector);
/* Exit with VP_EXIT_INTERRUPT_WINDOW as soon as the VP becomes interruptible. */
void vcpu_arch_interrupt_window(struct vp *vp, bool on);
void vcpu_arch_inject_exception(struct vp *vp, u8 vector, bool has_error, u32 error);
bool vcpu_arch_long_mode(const struct vp *vp);
int vcpu_arch_cpl(const struct vp *vp);
HV_STATUS vcpu_arch_get_register(struct vp *vp, HV_REGISTER_NAME name, HV_REGISTER_VALUE *v);
HV_STATUS vcpu_arch_set_register(struct vp *vp, HV_REGISTER_NAME name, const HV_REGISTER_VALUE *v);
void vcpu_arch_intercept_header(const struct vp *vp, HV_X64_INTERCEPT_MESSAGE_HEADER *h);
/* EFER (and other VMCB-held MSRs) as the guest sees them. */
bool vcpu_arch_msr_read(struct vp *vp, u32 msr, u64 *value);
bool vcpu_arch_msr_write(struct vp *vp, u32 msr, u64 value);

/* Hides the virtualization extension itself from guests. */
void vcpu_arch_cpuid_filter(u32 leaf, u32 subleaf, struct cpuid_regs *r);
/* The code the hypercall page holds: the vendor's hypercall instruction and RET. */
size_t vcpu_arch_hypercall_code(u8 *buf, size_t size);

void vcpu_arch_dump(const struct vp *vp);

/*
 * The floor benchmarks are reported against: TSC ticks of one bare VM entry
 * and exit (a guest that only executes the hypercall instruction, a host
 * that handles nothing), averaged over @iterations. 0 if it could not run.
 */
u64 vcpu_arch_measure_round_trip(u32 iterations, u64 (*alloc_page)(void *), void *ctx,
				 void (*free_page)(void *, u64));

#endif
