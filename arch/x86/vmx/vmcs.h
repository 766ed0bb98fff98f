/*
 * VMX: VMCS field encodings, control bits, exit reasons and the VMX
 * instructions (Intel SDM vol. 3, chapters 24-28 and appendices A-C).
 */
#ifndef ARCH_X86_VMX_VMCS_H
#define ARCH_X86_VMX_VMCS_H

#include "hv/types.h"

/* Capability and control MSRs (SDM appendix A) */
#define MSR_FEATURE_CONTROL 0x3a
#define FEATURE_CONTROL_LOCKED BIT(0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX BIT(2)
#define MSR_DEBUGCTL 0x1d9
#define MSR_VMX_BASIC 0x480
#define MSR_VMX_PINBASED_CTLS 0x481
#define MSR_VMX_PROCBASED_CTLS 0x482
#define MSR_VMX_EXIT_CTLS 0x483
#define MSR_VMX_ENTRY_CTLS 0x484
#define MSR_VMX_MISC 0x485
#define MSR_VMX_CR0_FIXED0 0x486
#define MSR_VMX_CR0_FIXED1 0x487
#define MSR_VMX_CR4_FIXED0 0x488
#define MSR_VMX_CR4_FIXED1 0x489
#define MSR_VMX_PROCBASED_CTLS2 0x48b
#define MSR_VMX_EPT_VPID_CAP 0x48c
#define MSR_VMX_TRUE_PINBASED_CTLS 0x48d
#define MSR_VMX_TRUE_PROCBASED_CTLS 0x48e
#define MSR_VMX_TRUE_EXIT_CTLS 0x48f
#define MSR_VMX_TRUE_ENTRY_CTLS 0x490
#define MSR_VMX_VMFUNC 0x491
#define VMX_BASIC_TRUE_CTLS BIT(55)
#define VMX_MISC_WAIT_FOR_SIPI BIT(8)
#define VMX_MISC_PREEMPTION_TIMER_RATE 0x1f /* the timer counts once per 2^rate TSC ticks */

/* IA32_VMX_EPT_VPID_CAP */
#define EPT_CAP_EXECUTE_ONLY BIT(0)
#define EPT_CAP_WALK_4 BIT(6)
#define EPT_CAP_UC BIT(8)
#define EPT_CAP_WB BIT(14)
#define EPT_CAP_2M BIT(16)
#define EPT_CAP_1G BIT(17)
#define EPT_CAP_INVEPT BIT(20)
#define EPT_CAP_INVEPT_SINGLE BIT(25)
#define EPT_CAP_INVEPT_ALL BIT(26)
#define VPID_CAP_INVVPID BIT(32)
#define VPID_CAP_SINGLE BIT(41)
#define VPID_CAP_ALL BIT(42)

/* Pin-based controls */
#define PIN_EXTERNAL_INTERRUPT BIT(0)
#define PIN_NMI BIT(3)
#define PIN_PREEMPTION_TIMER BIT(6)
/* Primary processor-based controls */
#define PROC_INTERRUPT_WINDOW BIT(2)
#define PROC_HLT BIT(7)
#define PROC_INVLPG BIT(9)
#define PROC_CR3_LOAD BIT(15)
#define PROC_CR3_STORE BIT(16)
#define PROC_UNCONDITIONAL_IO BIT(24)
#define PROC_IO_BITMAPS BIT(25)
#define PROC_MSR_BITMAPS BIT(28)
#define PROC_SECONDARY BIT(31)
/* Secondary processor-based controls */
#define PROC2_EPT BIT(1)
#define PROC2_RDTSCP BIT(3)
#define PROC2_VPID BIT(5)
#define PROC2_UNRESTRICTED BIT(7)
#define PROC2_INVPCID BIT(12)
#define PROC2_XSAVES BIT(20)
/* VM-exit controls */
#define EXIT_SAVE_DEBUG BIT(2)
#define EXIT_HOST_64 BIT(9)
#define EXIT_ACK_INTERRUPT BIT(15)
#define EXIT_SAVE_PAT BIT(18)
#define EXIT_LOAD_PAT BIT(19)
#define EXIT_SAVE_EFER BIT(20)
#define EXIT_LOAD_EFER BIT(21)
/* VM-entry controls */
#define ENTRY_LOAD_DEBUG BIT(2)
#define ENTRY_IA32E BIT(9)
#define ENTRY_LOAD_PAT BIT(14)
#define ENTRY_LOAD_EFER BIT(15)

/* Interruption information (entry, exit, IDT vectoring) */
#define INTR_INFO_VALID BIT(31)
#define INTR_INFO_ERROR BIT(11)
#define INTR_TYPE_EXTERNAL (0u << 8)
#define INTR_TYPE_NMI (2u << 8)
#define INTR_TYPE_EXCEPTION (3u << 8)
#define INTR_TYPE_SOFT_INT (4u << 8)
#define INTR_TYPE_PRIV_SOFT (5u << 8)
#define INTR_TYPE_SOFT_EXC (6u << 8)
#define INTR_TYPE_MASK (7u << 8)
#define INTR_INFO_NMI_UNBLOCKING BIT(12) /* exit interruption information: an IRET faulted */

/* Guest interruptibility state and activity state */
#define INTERRUPTIBILITY_STI BIT(0)
#define INTERRUPTIBILITY_MOV_SS BIT(1)
#define INTERRUPTIBILITY_NMI BIT(3)
#define ACTIVITY_ACTIVE 0
#define ACTIVITY_HLT 1
#define ACTIVITY_WAIT_SIPI 3

/* Segment access rights: the HV_X64_SEGMENT_REGISTER layout plus "unusable" */
#define AR_UNUSABLE BIT(16)
#define AR_P BIT(7)
#define AR_L BIT(13)

/* Exit reasons (SDM appendix C) */
#define EXIT_EXCEPTION_NMI 0
#define EXIT_EXTERNAL_INTERRUPT 1
#define EXIT_TRIPLE_FAULT 2
#define EXIT_INIT 3
#define EXIT_SIPI 4
#define EXIT_IO_SMI 5
#define EXIT_OTHER_SMI 6
#define EXIT_INTERRUPT_WINDOW 7
#define EXIT_NMI_WINDOW 8
#define EXIT_TASK_SWITCH 9
#define EXIT_CPUID 10
#define EXIT_GETSEC 11
#define EXIT_HLT 12
#define EXIT_INVD 13
#define EXIT_VMCALL 18
#define EXIT_VMCLEAR 19
#define EXIT_VMLAUNCH 20
#define EXIT_VMPTRLD 21
#define EXIT_VMPTRST 22
#define EXIT_VMREAD 23
#define EXIT_VMRESUME 24
#define EXIT_VMWRITE 25
#define EXIT_VMXOFF 26
#define EXIT_VMXON 27
#define EXIT_CR_ACCESS 28
#define EXIT_IO 30
#define EXIT_RDMSR 31
#define EXIT_WRMSR 32
#define EXIT_BAD_GUEST_STATE 33
#define EXIT_BAD_MSR_LOAD 34
#define EXIT_MACHINE_CHECK 41
#define EXIT_EPT_VIOLATION 48
#define EXIT_EPT_MISCONFIG 49
#define EXIT_INVEPT 50
#define EXIT_INVVPID 53
#define EXIT_PREEMPTION_TIMER 52
#define EXIT_XSETBV 55
#define EXIT_VMFUNC 59
#define EXIT_REASON_ENTRY_FAILURE BIT(31)

/* Exit qualification bits */
#define IO_QUAL_IN BIT(3)
#define IO_QUAL_STRING BIT(4)
#define IO_QUAL_REP BIT(5)
#define EPT_QUAL_READ BIT(0)
#define EPT_QUAL_WRITE BIT(1)
#define EPT_QUAL_FETCH BIT(2)
#define EPT_QUAL_LINEAR_VALID BIT(7)
#define EPT_QUAL_TRANSLATED BIT(8)
#define EPT_QUAL_NMI_UNBLOCKING BIT(12)

/* Field encodings (SDM appendix B) */
enum vmcs_field {
	VPID = 0x0000,
	GUEST_ES_SELECTOR = 0x0800, /* + 2 * segment: ES CS SS DS FS GS LDTR TR */
	HOST_ES_SELECTOR = 0x0c00,
	HOST_CS_SELECTOR = 0x0c02,
	HOST_SS_SELECTOR = 0x0c04,
	HOST_DS_SELECTOR = 0x0c06,
	HOST_FS_SELECTOR = 0x0c08,
	HOST_GS_SELECTOR = 0x0c0a,
	HOST_TR_SELECTOR = 0x0c0c,
	IO_BITMAP_A = 0x2000,
	IO_BITMAP_B = 0x2002,
	MSR_BITMAP = 0x2004,
	EPT_POINTER = 0x201a,
	GUEST_PHYSICAL_ADDRESS = 0x2400,
	VMCS_LINK_POINTER = 0x2800,
	GUEST_IA32_DEBUGCTL = 0x2802,
	GUEST_IA32_PAT = 0x2804,
	GUEST_IA32_EFER = 0x2806,
	GUEST_PDPTE0 = 0x280a, /* + 2 * n */
	HOST_IA32_PAT = 0x2c00,
	HOST_IA32_EFER = 0x2c02,
	PIN_BASED_CONTROLS = 0x4000,
	PROC_BASED_CONTROLS = 0x4002,
	EXCEPTION_BITMAP = 0x4004,
	PAGE_FAULT_ERROR_MASK = 0x4006,
	PAGE_FAULT_ERROR_MATCH = 0x4008,
	CR3_TARGET_COUNT = 0x400a,
	EXIT_CONTROLS = 0x400c,
	EXIT_MSR_STORE_COUNT = 0x400e,
	EXIT_MSR_LOAD_COUNT = 0x4010,
	ENTRY_CONTROLS = 0x4012,
	ENTRY_MSR_LOAD_COUNT = 0x4014,
	ENTRY_INTR_INFO = 0x4016,
	ENTRY_EXCEPTION_ERROR = 0x4018,
	ENTRY_INSTRUCTION_LEN = 0x401a,
	PROC_BASED_CONTROLS2 = 0x401e,
	VM_INSTRUCTION_ERROR = 0x4400,
	EXIT_REASON = 0x4402,
	EXIT_INTR_INFO = 0x4404,
	EXIT_INTR_ERROR = 0x4406,
	IDT_VECTORING_INFO = 0x4408,
	IDT_VECTORING_ERROR = 0x440a,
	EXIT_INSTRUCTION_LEN = 0x440c,
	GUEST_ES_LIMIT = 0x4800, /* + 2 * segment */
	GUEST_GDTR_LIMIT = 0x4810,
	GUEST_IDTR_LIMIT = 0x4812,
	GUEST_ES_AR = 0x4814, /* + 2 * segment */
	GUEST_INTERRUPTIBILITY = 0x4824,
	GUEST_ACTIVITY_STATE = 0x4826,
	GUEST_SYSENTER_CS = 0x482a,
	PREEMPTION_TIMER_VALUE = 0x482e,
	HOST_SYSENTER_CS = 0x4c00,
	CR0_GUEST_HOST_MASK = 0x6000,
	CR4_GUEST_HOST_MASK = 0x6002,
	CR0_READ_SHADOW = 0x6004,
	CR4_READ_SHADOW = 0x6006,
	EXIT_QUALIFICATION = 0x6400,
	GUEST_LINEAR_ADDRESS = 0x640a,
	GUEST_CR0 = 0x6800,
	GUEST_CR3 = 0x6802,
	GUEST_CR4 = 0x6804,
	GUEST_ES_BASE = 0x6806, /* + 2 * segment */
	GUEST_GDTR_BASE = 0x6816,
	GUEST_IDTR_BASE = 0x6818,
	GUEST_DR7 = 0x681a,
	GUEST_RSP = 0x681c,
	GUEST_RIP = 0x681e,
	GUEST_RFLAGS = 0x6820,
	GUEST_PENDING_DEBUG = 0x6822,
	GUEST_SYSENTER_ESP = 0x6824,
	GUEST_SYSENTER_EIP = 0x6826,
	HOST_CR0 = 0x6c00,
	HOST_CR3 = 0x6c02,
	HOST_CR4 = 0x6c04,
	HOST_FS_BASE = 0x6c06,
	HOST_GS_BASE = 0x6c08,
	HOST_TR_BASE = 0x6c0a,
	HOST_GDTR_BASE = 0x6c0c,
	HOST_IDTR_BASE = 0x6c0e,
	HOST_SYSENTER_ESP = 0x6c10,
	HOST_SYSENTER_EIP = 0x6c12,
	HOST_RSP = 0x6c14,
	HOST_RIP = 0x6c16,
};

enum vmx_segment { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR };

#define GUEST_SEL(s) (GUEST_ES_SELECTOR + 2 * (s))
#define GUEST_LIMIT(s) (GUEST_ES_LIMIT + 2 * (s))
#define GUEST_AR(s) (GUEST_ES_AR + 2 * (s))
#define GUEST_BASE(s) (GUEST_ES_BASE + 2 * (s))

static inline u64 vmread(u64 field)
{
	u64 v;

	asm volatile("vmread %1, %0" : "=rm"(v) : "r"(field) : "cc");
	return v;
}

static inline void vmwrite(u64 field, u64 v)
{
	asm volatile("vmwrite %0, %1" ::"rm"(v), "r"(field) : "cc", "memory");
}

static inline bool vmxon(u64 pa)
{
	bool fail;

	asm volatile("vmxon %1; setna %0" : "=qm"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

static inline bool vmclear(u64 pa)
{
	bool fail;

	asm volatile("vmclear %1; setna %0" : "=qm"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

static inline bool vmptrld(u64 pa)
{
	bool fail;

	asm volatile("vmptrld %1; setna %0" : "=qm"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

struct invept_desc {
	u64 eptp, reserved;
};

struct invvpid_desc {
	u64 vpid, linear;
};

static inline void invept(u64 type, u64 eptp)
{
	struct invept_desc d = { eptp, 0 };

	asm volatile("invept %0, %1" ::"m"(d), "r"(type) : "cc", "memory");
}

static inline void invvpid(u64 type, u16 vpid)
{
	struct invvpid_desc d = { vpid, 0 };

	asm volatile("invvpid %0, %1" ::"m"(d), "r"(type) : "cc", "memory");
}

#define INVEPT_SINGLE 1
#define INVEPT_ALL 2
#define INVVPID_SINGLE 1
#define INVVPID_ALL 2

/* EPT entries (SDM 28.3.2) */
#define EPT_R BIT(0)
#define EPT_W BIT(1)
#define EPT_X BIT(2)
#define EPT_MEMTYPE_SHIFT 3
#define EPT_IGNORE_PAT BIT(6)
#define EPTP_WALK_4 (3ULL << 3)

#define MEMTYPE_UC 0
#define MEMTYPE_WC 1
#define MEMTYPE_WT 4
#define MEMTYPE_WP 5
#define MEMTYPE_WB 6

#endif
