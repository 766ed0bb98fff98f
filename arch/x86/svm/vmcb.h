/* The VMCB (AMD APM vol. 2, appendix B), with static asserts on every offset used. */
#ifndef ARCH_X86_SVM_VMCB_H
#define ARCH_X86_SVM_VMCB_H

#include "hv/types.h"

/* Intercept vector 3 (offset 0x0c) */
#define INTERCEPT_INTR BIT(0)
#define INTERCEPT_NMI BIT(1)
#define INTERCEPT_INIT BIT(3)
#define INTERCEPT_VINTR BIT(4)
#define INTERCEPT_CPUID BIT(18)
#define INTERCEPT_HLT BIT(24)
#define INTERCEPT_INVLPGA BIT(26)
#define INTERCEPT_IOIO_PROT BIT(27)
#define INTERCEPT_MSR_PROT BIT(28)
#define INTERCEPT_SHUTDOWN BIT(31)
/* Intercept vector 4 (offset 0x10) */
#define INTERCEPT_VMRUN BIT(0)
#define INTERCEPT_VMMCALL BIT(1)
#define INTERCEPT_VMLOAD BIT(2)
#define INTERCEPT_VMSAVE BIT(3)
#define INTERCEPT_STGI BIT(4)
#define INTERCEPT_CLGI BIT(5)
#define INTERCEPT_SKINIT BIT(6)

#define V_IRQ BIT(8)
#define V_INTR_PRIO_SHIFT 16
#define V_IGN_TPR BIT(20)
#define V_INTR_MASKING BIT(24)
#define INTERRUPT_SHADOW BIT(0)
#define TLB_CONTROL_FLUSH_ALL 1
#define NP_ENABLE BIT(0)

#define EVENTINJ_VALID BIT(31)
#define EVENTINJ_TYPE_INTR (0u << 8)
#define EVENTINJ_TYPE_EXCEPTION (3u << 8)
#define EVENTINJ_ERROR_VALID BIT(11)

#define SVM_EXIT_EXCP_BASE 0x040
#define SVM_EXIT_INTR 0x060
#define SVM_EXIT_NMI 0x061
#define SVM_EXIT_SMI 0x062
#define SVM_EXIT_INIT 0x063
#define SVM_EXIT_VINTR 0x064
#define SVM_EXIT_CPUID 0x072
#define SVM_EXIT_HLT 0x078
#define SVM_EXIT_INVLPGA 0x07a
#define SVM_EXIT_IOIO 0x07b
#define SVM_EXIT_MSR 0x07c
#define SVM_EXIT_SHUTDOWN 0x07f
#define SVM_EXIT_VMRUN 0x080
#define SVM_EXIT_VMMCALL 0x081
#define SVM_EXIT_VMLOAD 0x082
#define SVM_EXIT_VMSAVE 0x083
#define SVM_EXIT_STGI 0x084
#define SVM_EXIT_CLGI 0x085
#define SVM_EXIT_SKINIT 0x086
#define SVM_EXIT_NPF 0x400
#define SVM_EXIT_INVALID 0xffffffffu /* QEMU stores it as 0x00000000ffffffff */

/* EXITINFO1 for IOIO */
#define IOIO_TYPE_IN BIT(0)
#define IOIO_STR BIT(2)
#define IOIO_REP BIT(3)
#define IOIO_SZ_SHIFT 4
#define IOIO_PORT_SHIFT 16
/* EXITINFO1 for NPF (page-fault error code plus these) */
#define NPF_WRITE BIT(1)
#define NPF_FETCH BIT(4)
#define NPF_GUEST_PAGE_WALK BIT(33)

struct vmcb_seg {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
};

struct vmcb_control {
	u32 intercept_cr;
	u32 intercept_dr;
	u32 intercept_exceptions;
	u32 intercept_misc1;
	u32 intercept_misc2;
	u32 intercept_misc3;
	u8 reserved0[0x3c - 0x18];
	u16 pause_filter_threshold;
	u16 pause_filter_count;
	u64 iopm_base_pa;
	u64 msrpm_base_pa;
	u64 tsc_offset;
	u32 asid;
	u8 tlb_control;
	u8 reserved1[3];
	u64 vintr;
	u64 interrupt_shadow;
	u64 exit_code;
	u64 exit_info1;
	u64 exit_info2;
	u64 exit_int_info;
	u64 np_enable;
	u64 avic_apic_bar;
	u64 ghcb_pa;
	u64 event_inj;
	u64 n_cr3;
	u64 virt_ext;
	u32 clean_bits;
	u32 reserved2;
	u64 next_rip;
	u8 insn_bytes_fetched;
	u8 insn_bytes[15];
	u8 reserved3[0x400 - 0xe0];
};

struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;
	u8 reserved0[0xcb - 0xa0];
	u8 cpl;
	u32 reserved1;
	u64 efer;
	u8 reserved2[0x148 - 0xd8];
	u64 cr4, cr3, cr0, dr7, dr6, rflags, rip;
	u8 reserved3[0x1d8 - 0x180];
	u64 rsp;
	u64 s_cet, ssp, isst_addr;
	u64 rax;
	u64 star, lstar, cstar, sfmask, kernel_gs_base;
	u64 sysenter_cs, sysenter_esp, sysenter_eip;
	u64 cr2;
	u8 reserved4[0x268 - 0x248];
	u64 g_pat;
	u64 dbgctl;
	u8 reserved5[0xc00 - 0x278];
};

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
};

_Static_assert(__builtin_offsetof(struct vmcb_control, iopm_base_pa) == 0x40, "iopm");
_Static_assert(__builtin_offsetof(struct vmcb_control, asid) == 0x58, "asid");
_Static_assert(__builtin_offsetof(struct vmcb_control, vintr) == 0x60, "vintr");
_Static_assert(__builtin_offsetof(struct vmcb_control, exit_code) == 0x70, "exit_code");
_Static_assert(__builtin_offsetof(struct vmcb_control, np_enable) == 0x90, "np_enable");
_Static_assert(__builtin_offsetof(struct vmcb_control, event_inj) == 0xa8, "event_inj");
_Static_assert(__builtin_offsetof(struct vmcb_control, n_cr3) == 0xb0, "n_cr3");
_Static_assert(__builtin_offsetof(struct vmcb_control, next_rip) == 0xc8, "next_rip");
_Static_assert(sizeof(struct vmcb_control) == 0x400, "control area");
_Static_assert(__builtin_offsetof(struct vmcb_save, tr) == 0x90, "tr");
_Static_assert(__builtin_offsetof(struct vmcb_save, cpl) == 0xcb, "cpl");
_Static_assert(__builtin_offsetof(struct vmcb_save, efer) == 0xd0, "efer");
_Static_assert(__builtin_offsetof(struct vmcb_save, cr4) == 0x148, "cr4");
_Static_assert(__builtin_offsetof(struct vmcb_save, rip) == 0x178, "rip");
_Static_assert(__builtin_offsetof(struct vmcb_save, rsp) == 0x1d8, "rsp");
_Static_assert(__builtin_offsetof(struct vmcb_save, rax) == 0x1f8, "rax");
_Static_assert(__builtin_offsetof(struct vmcb_save, cr2) == 0x240, "cr2");
_Static_assert(__builtin_offsetof(struct vmcb_save, g_pat) == 0x268, "g_pat");
_Static_assert(sizeof(struct vmcb) == PAGE_SIZE, "VMCB is one page");

#define MSR_VM_CR 0xc0010114
#define MSR_VM_HSAVE_PA 0xc0010117
#define VM_CR_SVMDIS BIT(4)

#endif
