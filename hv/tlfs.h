/*
 * TLFS names, numbers and wire layouts used by the hypervisor.
 * Sources: ../shared/reference/tlfs (hypercall-interface.md, hypercalls/,
 * datatypes/) and the appendices of tlfs-v6.0b.txt (call codes, status
 * codes, MSRs). HvCallDispatchVp and its output follow Linux's
 * include/hyperv/hvhdk.h (the root-scheduler dispatch ABI).
 */
#ifndef HV_TLFS_H
#define HV_TLFS_H

#include "hv/types.h"

/* datatypes/hv_status.md, tlfs-v6.0b.txt Appendix B */
typedef u16 HV_STATUS;
#define HV_STATUS_SUCCESS 0x0000
#define HV_STATUS_INVALID_HYPERCALL_CODE 0x0002
#define HV_STATUS_INVALID_HYPERCALL_INPUT 0x0003
#define HV_STATUS_INVALID_ALIGNMENT 0x0004
#define HV_STATUS_INVALID_PARAMETER 0x0005
#define HV_STATUS_ACCESS_DENIED 0x0006
#define HV_STATUS_INVALID_PARTITION_STATE 0x0007
#define HV_STATUS_OPERATION_DENIED 0x0008
#define HV_STATUS_UNKNOWN_PROPERTY 0x0009
#define HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE 0x000A
#define HV_STATUS_INSUFFICIENT_MEMORY 0x000B
#define HV_STATUS_INVALID_PARTITION_ID 0x000D
#define HV_STATUS_INVALID_VP_INDEX 0x000E
#define HV_STATUS_INVALID_PORT_ID 0x0011
#define HV_STATUS_INVALID_CONNECTION_ID 0x0012
#define HV_STATUS_INSUFFICIENT_BUFFERS 0x0013 /* Appendix B's 0x0033 is a typo (reference/README.md) */
#define HV_STATUS_INVALID_VP_STATE 0x0015
#define HV_STATUS_INVALID_SYNIC_STATE 0x0018
#define HV_STATUS_OBJECT_IN_USE 0x0019
#define HV_STATUS_NO_RESOURCES 0x001D
#define HV_STATUS_INVALID_REGISTER_VALUE 0x0050
/* Not in Appendix B: the value Hyper-V's and Linux's headers give it. */
#define HV_STATUS_INVALID_VTL_STATE 0x0051

/* Appendix A: call codes */
#define HvCallFlushVirtualAddressSpace 0x0002
#define HvCallFlushVirtualAddressList 0x0003
#define HvCallNotifyLongSpinWait 0x0008
#define HvCallSendSyntheticClusterIpi 0x000B
#define HvCallFlushVirtualAddressSpaceEx 0x0013
#define HvCallFlushVirtualAddressListEx 0x0014
#define HvCallSendSyntheticClusterIpiEx 0x0015
#define HvCallCreatePartition 0x0040
#define HvCallInitializePartition 0x0041
#define HvCallFinalizePartition 0x0042
#define HvCallDeletePartition 0x0043
#define HvCallGetPartitionProperty 0x0044
#define HvCallGetSystemProperty 0x007B
#define HvCallSetPartitionProperty 0x0045
#define HvCallGetPartitionId 0x0046
#define HvCallGetNextChildPartition 0x0047
#define HvCallDepositMemory 0x0048
#define HvCallWithdrawMemory 0x0049
#define HvCallGetMemoryBalance 0x004A
#define HvCallMapGpaPages 0x004B
#define HvCallUnmapGpaPages 0x004C
#define HvCallInstallIntercept 0x004D
#define HvCallCreateVp 0x004E
#define HvCallDeleteVp 0x004F
#define HvCallGetVpRegisters 0x0050
#define HvCallSetVpRegisters 0x0051
#define HvCallTranslateVirtualAddress 0x0052
#define HvCallDeletePort 0x0058
#define HvCallDisconnectPort 0x005B
#define HvCallPostMessage 0x005C
#define HvCallSignalEvent 0x005D
#define HvCallAssertVirtualInterrupt 0x0094
#define HvCallCreatePort 0x0095
#define HvCallConnectPort 0x0096
#define HvCallStartVirtualProcessor 0x0099
#define HvCallGetVpIndexFromApicId 0x009A
#define HvCallDispatchVp 0x00C2
#define HvCallMapVpStatePage 0x00E1
/* hypercalls/HvCallGetVpCpuidValues.md (newer than Appendix A) */
#define HvCallGetVpCpuidValues 0x00F4
/* hypercalls/HvCallInstallInterceptEx.md: ARM64 only, so not offered here (docs/abi-coverage.md) */
#define HvCallInstallInterceptEx 0x0110
/*
 * CPU groups: this hypervisor's own calls (docs/scheduler.md). Hyper-V
 * manages groups through calls it does not publish; these codes lie above
 * every published one (0x0131 is the highest in Linux's headers).
 */
#define HvCallCreateCpuGroup 0x0180
#define HvCallDeleteCpuGroup 0x0181
#define HvCallSetCpuGroupCap 0x0182

/* hypercall-interface.md: hypercall input value */
#define HV_HYPERCALL_CODE_MASK 0xffffULL
#define HV_HYPERCALL_FAST BIT(16)
#define HV_HYPERCALL_VARHEAD_SHIFT 17
#define HV_HYPERCALL_VARHEAD_MASK (0x3ffULL << 17)
#define HV_HYPERCALL_RSVD0_MASK (0xfULL << 27)
#define HV_HYPERCALL_NESTED BIT(31)
#define HV_HYPERCALL_REP_COUNT_SHIFT 32
#define HV_HYPERCALL_REP_COUNT_MASK (0xfffULL << 32)
#define HV_HYPERCALL_RSVD1_MASK (0xfULL << 44)
#define HV_HYPERCALL_REP_START_SHIFT 48
#define HV_HYPERCALL_REP_START_MASK (0xfffULL << 48)
#define HV_HYPERCALL_RSVD2_MASK (0xfULL << 60)
/* hypercall result value */
#define HV_HYPERCALL_REPS_COMPLETE_SHIFT 32

/* datatypes/hv_partition_id.md */
typedef u64 HV_PARTITION_ID;
#define HV_PARTITION_ID_INVALID 0ULL
#define HV_PARTITION_ID_SELF 0xffffffffffffffffULL

typedef u32 HV_VP_INDEX;
typedef u64 HV_GVA; /* datatypes/hv_gva.md */
typedef u64 HV_GPA_PAGE_NUMBER;

/* datatypes/hv_partition_privilege_mask.md (bit positions in the 64-bit mask) */
#define HV_ACCESS_HYPERCALL_MSRS BIT(5)
#define HV_ACCESS_PARTITION_REFERENCE_COUNTER BIT(1)
#define HV_ACCESS_SYNIC_REGS BIT(2)
#define HV_ACCESS_SYNTHETIC_TIMER_REGS BIT(3)
#define HV_ACCESS_INTR_CTRL_REGS BIT(4)
#define HV_ACCESS_VP_INDEX BIT(6)
#define HV_ACCESS_PARTITION_REFERENCE_TSC BIT(9)
#define HV_ACCESS_FREQUENCY_REGS BIT(11)
#define HV_CREATE_PARTITIONS BIT(32)
#define HV_ACCESS_PARTITION_ID BIT(33)
#define HV_ACCESS_MEMORY_POOL BIT(34)
#define HV_POST_MESSAGES BIT(36)
#define HV_SIGNAL_EVENTS BIT(37)
#define HV_CREATE_PORT BIT(38)
#define HV_CONNECT_PORT BIT(39)
#define HV_CPU_MANAGEMENT BIT(44)
#define HV_ACCESS_VP_REGISTERS BIT(49)
#define HV_START_VIRTUAL_PROCESSOR BIT(53)

/* datatypes/hv_map_gpa_flags.md */
#define HV_MAP_GPA_READABLE 0x1
#define HV_MAP_GPA_WRITABLE 0x2
#define HV_MAP_GPA_KERNEL_EXECUTABLE 0x4
#define HV_MAP_GPA_USER_EXECUTABLE 0x8
#define HV_MAP_GPA_PERMISSIONS_MASK 0xf

/* Synthetic MSRs, Appendix C */
#define HV_X64_MSR_GUEST_OS_ID 0x40000000
#define HV_X64_MSR_HYPERCALL 0x40000001
#define HV_X64_MSR_VP_INDEX 0x40000002
#define HV_X64_MSR_HYPERCALL_ENABLE BIT(0)
#define HV_X64_MSR_HYPERCALL_LOCKED BIT(1)

#define HV_MESSAGE_PAYLOAD_QWORD_COUNT 30

/* Timers (timers.md), frequency MSRs (tlfs-v6.0b.txt Appendix C) */
#define HV_X64_MSR_TIME_REF_COUNT 0x40000020
#define HV_X64_MSR_REFERENCE_TSC 0x40000021
#define HV_X64_MSR_TSC_FREQUENCY 0x40000022
#define HV_X64_MSR_APIC_FREQUENCY 0x40000023
#define HV_X64_MSR_STIMER0_CONFIG 0x400000B0
#define HV_X64_MSR_STIMER3_COUNT 0x400000B7
#define HV_SYNIC_STIMER_COUNT 4
#define HV_STIMER_ENABLE BIT(0)
#define HV_STIMER_PERIODIC BIT(1)
#define HV_STIMER_LAZY BIT(2)
#define HV_STIMER_AUTO_ENABLE BIT(3)
#define HV_STIMER_APIC_VECTOR_SHIFT 4
#define HV_STIMER_DIRECT_MODE BIT(12)
#define HV_STIMER_SINT_SHIFT 16
#define HV_STIMER_RSVDZ (~0xf1fffULL)
#define HvMessageTimerExpired 0x80000010

typedef struct {
	volatile u32 TscSequence;
	u32 Reserved1;
	volatile u64 TscScale;
	volatile s64 TscOffset;
	u64 Reserved2[509];
} HV_REFERENCE_TSC_PAGE;
_Static_assert(sizeof(HV_REFERENCE_TSC_PAGE) == 4096, "HV_REFERENCE_TSC_PAGE");

typedef struct {
	u32 TimerIndex;
	u32 Reserved;
	u64 ExpirationTime;
	u64 DeliveryTime;
} HV_TIMER_MESSAGE_PAYLOAD;

/* 0x40000003 EDX (tlfs-v6.0b.txt 2.4.4) */
#define HV_FEATURE_FREQUENCY_REGS_AVAILABLE BIT(8)
#define HV_FEATURE_SINT_POLLING_MODE_AVAILABLE BIT(17)
#define HV_FEATURE_HYPERCALL_MSR_LOCK_AVAILABLE BIT(18)
#define HV_FEATURE_DIRECT_SYNTHETIC_TIMERS BIT(19)
/* 0x40000004 EAX */
#define HV_HINT_APIC_MSRS BIT(3)

/* partition-properties.md, "Partition Crash Enlightenment" */
/* vp-properties.md, "Virtual Processor Assist Page"; virtual-interrupts.md, "EOI Assist" */
#define HV_X64_MSR_VP_ASSIST_PAGE 0x40000073
#define HV_X64_MSR_VP_ASSIST_PAGE_ENABLE BIT(0)
#define HV_X64_MSR_CRASH_P0 0x40000100
#define HV_X64_MSR_CRASH_P4 0x40000104
#define HV_X64_MSR_CRASH_CTL 0x40000105
#define HV_CRASH_CTL_CRASH_MESSAGE BIT(62)
#define HV_CRASH_CTL_CRASH_NOTIFY BIT(63)
#define HV_CRASH_MESSAGE_MAX 4096
#define HV_FEATURE_GUEST_CRASH_MSRS_AVAILABLE BIT(10)

/* SynIC MSRs (inter-partition-communication.md, "SynIC Registers") */
#define HV_X64_MSR_SCONTROL 0x40000080
#define HV_X64_MSR_SVERSION 0x40000081
#define HV_X64_MSR_SIEFP 0x40000082
#define HV_X64_MSR_SIMP 0x40000083
#define HV_X64_MSR_EOM 0x40000084
#define HV_X64_MSR_SINT0 0x40000090
#define HV_X64_MSR_SINT15 0x4000009F
#define HV_SYNIC_SINT_COUNT 16
#define HV_SYNIC_VERSION 1
#define HV_SYNIC_CONTROL_ENABLE BIT(0)
#define HV_SYNIC_PAGE_ENABLE BIT(0)
#define HV_SYNIC_SINT_VECTOR_MASK 0xffULL
#define HV_SYNIC_SINT_MASKED BIT(16)
#define HV_SYNIC_SINT_AUTO_EOI BIT(17)
#define HV_SYNIC_SINT_POLLING BIT(18)
#define HV_EVENT_FLAGS_COUNT (256 * 8)
#define HV_ANY_VP 0xffffffffu

/* Ports and connections (Linux include/hyperv/hvhdk_mini.h: hv_port_info, hv_connection_info) */
typedef u32 HV_PORT_ID;
typedef u32 HV_CONNECTION_ID;
#define HV_PORT_ID_MASK 0x00ffffffu
#define HvPortTypeMessage 1
#define HvPortTypeEvent 2
#define HvPortTypeMonitor 3
#define HV_PORT_MESSAGE_BUFFER_COUNT 16

typedef struct {
	u32 PortType;
	u32 Padding;
	union {
		struct {
			u32 TargetSint;
			u32 TargetVp;
			u64 RsvdZ;
		} MessagePortInfo;
		struct {
			u32 TargetSint;
			u32 TargetVp;
			u16 BaseFlagNumber;
			u16 FlagCount;
			u32 RsvdZ;
		} EventPortInfo;
	};
} HV_PORT_INFO;
_Static_assert(sizeof(HV_PORT_INFO) == 24, "HV_PORT_INFO");

typedef struct {
	u32 PortType;
	u32 Padding;
	u64 RsvdZ[3];
} HV_CONNECTION_INFO;
_Static_assert(sizeof(HV_CONNECTION_INFO) == 32, "HV_CONNECTION_INFO");

/* hypercalls/HvCallCreatePort.md */
struct hv_input_create_port {
	HV_PARTITION_ID PortPartition;
	HV_PORT_ID PortId;
	u8 PortVtl;
	u8 MinConnectionVtl;
	u16 ReservedZ0;
	HV_PARTITION_ID ConnectionPartition;
	HV_PORT_INFO PortInfo;
	u64 ProximityDomainInfo;
};
_Static_assert(sizeof(struct hv_input_create_port) == 56, "CreatePort input");

/* hypercalls/HvCallDeletePort.md */
struct hv_input_delete_port {
	HV_PARTITION_ID PortPartition;
	HV_PORT_ID PortId;
	u32 Reserved;
};

/* hypercalls/HvCallConnectPort.md */
struct hv_input_connect_port {
	HV_PARTITION_ID ConnectionPartition;
	HV_CONNECTION_ID ConnectionId;
	u8 ConnectionVtl;
	u8 ReservedZ0;
	u16 ReservedZ1;
	HV_PARTITION_ID PortPartition;
	HV_PORT_ID PortId;
	u32 ReservedZ2;
	HV_CONNECTION_INFO ConnectionInfo;
	u64 ProximityDomainInfo;
};
_Static_assert(sizeof(struct hv_input_connect_port) == 72, "ConnectPort input");

/* hypercalls/HvCallDisconnectPort.md */
struct hv_input_disconnect_port {
	HV_PARTITION_ID ConnectionPartition;
	HV_CONNECTION_ID ConnectionId;
	u32 Reserved;
};

/* hypercalls/HvCallPostMessage.md */
#define HV_MESSAGE_MAX_PAYLOAD_BYTE_COUNT 240
struct hv_input_post_message {
	HV_CONNECTION_ID ConnectionId;
	u32 RsvdZ;
	u32 MessageType;
	u32 PayloadSize;
	u64 Message[HV_MESSAGE_PAYLOAD_QWORD_COUNT];
};
_Static_assert(sizeof(struct hv_input_post_message) == 256, "PostMessage input");

/* hypercalls/HvCallSignalEvent.md */
struct hv_input_signal_event {
	HV_CONNECTION_ID ConnectionId;
	u16 FlagNumber;
	u16 RsvdZ;
};
_Static_assert(sizeof(struct hv_input_signal_event) == 8, "SignalEvent input");

/* CPUID leaves (feature-discovery.md) */
#define HV_CPUID_VENDOR_AND_MAX 0x40000000
#define HV_CPUID_INTERFACE 0x40000001
#define HV_CPUID_VERSION 0x40000002
#define HV_CPUID_FEATURES 0x40000003
#define HV_CPUID_ENLIGHTENMENT_INFO 0x40000004
#define HV_CPUID_IMPLEMENTATION_LIMITS 0x40000005
#define HV_CPUID_MAX_LEAF HV_CPUID_IMPLEMENTATION_LIMITS

/* datatypes/hv_register_name.md (the x64 subset this hypervisor accepts) */
typedef u32 HV_REGISTER_NAME;
#define HvRegisterExplicitSuspend 0x00000000
#define HvRegisterInterceptSuspend 0x00000001
/* Bits as in Linux's include/hyperv headers (hv_internal_activity_register); settable, as there. */
#define HvRegisterInternalActivityState 0x00000004
#define HV_INTERNAL_ACTIVITY_HALT_SUSPEND BIT(1)
/* tlfs-v6.0b.txt, HV_X64_PENDING_INTERRUPTION_REGISTER: the event the VP takes on its next entry */
#define HvRegisterPendingInterruption 0x00010002
#define HV_X64_PENDING_INTERRUPTION_PENDING BIT(0)
#define HV_X64_PENDING_INTERRUPTION_TYPE_SHIFT 1
#define HV_X64_PENDING_INTERRUPTION_TYPE_MASK (7ULL << 1)
#define HV_X64_PENDING_INTERRUPTION_DELIVER_ERROR_CODE BIT(4)
#define HV_X64_PENDING_INTERRUPTION_LENGTH_SHIFT 5
#define HV_X64_PENDING_INTERRUPTION_LENGTH_MASK (0xfULL << 5)
#define HV_X64_PENDING_INTERRUPTION_RESERVED (0x7fULL << 9)
#define HV_X64_PENDING_INTERRUPTION_VECTOR_SHIFT 16
#define HV_X64_PENDING_INTERRUPTION_VECTOR_MASK (0xffffULL << 16)
#define HV_X64_PENDING_INTERRUPTION_ERROR_SHIFT 32
#define HvX64PendingInterrupt 0
#define HvX64PendingNmi 2
#define HvX64PendingException 3
#define HvX64PendingSoftwareInterrupt 4
#define HvX64PendingPrivilegedSoftwareException 5
#define HvX64PendingSoftwareException 6
#define HvRegisterVpRuntime 0x00090000
#define HvX64RegisterRax 0x00020000
#define HvX64RegisterRcx 0x00020001
#define HvX64RegisterRdx 0x00020002
#define HvX64RegisterRbx 0x00020003
#define HvX64RegisterRsp 0x00020004
#define HvX64RegisterR15 0x0002000F
#define HvX64RegisterRip 0x00020010
#define HvX64RegisterRflags 0x00020011
#define HvX64RegisterCr0 0x00040000
#define HvX64RegisterCr2 0x00040001
#define HvX64RegisterCr3 0x00040002
#define HvX64RegisterCr4 0x00040003
#define HvX64RegisterCr8 0x00040004
#define HvX64RegisterDr7 0x00050005
#define HvX64RegisterEs 0x00060000
#define HvX64RegisterCs 0x00060001
#define HvX64RegisterSs 0x00060002
#define HvX64RegisterDs 0x00060003
#define HvX64RegisterFs 0x00060004
#define HvX64RegisterGs 0x00060005
#define HvX64RegisterLdtr 0x00060006
#define HvX64RegisterTr 0x00060007
#define HvX64RegisterIdtr 0x00070000
#define HvX64RegisterGdtr 0x00070001
#define HvX64RegisterEfer 0x00080001
#define HvX64RegisterKernelGsBase 0x00080002
#define HvX64RegisterPat 0x00080004
#define HvX64RegisterSysenterCs 0x00080005
#define HvX64RegisterSysenterEip 0x00080006
#define HvX64RegisterSysenterEsp 0x00080007
#define HvX64RegisterStar 0x00080008
#define HvX64RegisterLstar 0x00080009
#define HvX64RegisterCstar 0x0008000A
#define HvX64RegisterSfmask 0x0008000B

/* datatypes/hv_x64_segment_register.md */
typedef struct {
	u64 Base;
	u32 Limit;
	u16 Selector;
	u16 Attributes;
} HV_X64_SEGMENT_REGISTER;
_Static_assert(sizeof(HV_X64_SEGMENT_REGISTER) == 16, "HV_X64_SEGMENT_REGISTER");

/* datatypes/hv_x64_table_register.md */
typedef struct {
	u16 Pad[3];
	u16 Limit;
	u64 Base;
} HV_X64_TABLE_REGISTER;
_Static_assert(sizeof(HV_X64_TABLE_REGISTER) == 16, "HV_X64_TABLE_REGISTER");

/* datatypes/hv_register_value.md: 128 bits, zero-extended */
typedef union {
	struct {
		u64 Low64;
		u64 High64;
	} Reg128;
	u64 Reg64;
	u32 Reg32;
	HV_X64_SEGMENT_REGISTER Segment;
	HV_X64_TABLE_REGISTER Table;
} HV_REGISTER_VALUE;
_Static_assert(sizeof(HV_REGISTER_VALUE) == 16, "HV_REGISTER_VALUE");

/* hypercalls/HvCallCreatePartition.md (AMD64 layout, 56 bytes) */
struct hv_input_create_partition {
	u64 Flags;
	u64 ProximityDomainInfo;
	u32 CompatibilityVersion;
	u32 Padding;
	u64 DisabledProcessorFeatures[2];
	u64 DisabledProcessorXsaveFeatures;
	u64 ReservedZ0;
};
_Static_assert(sizeof(struct hv_input_create_partition) == 56, "CreatePartition input");

/* hypercalls/HvCallGetPartitionProperty.md, HvCallSetPartitionProperty.md */
/*
 * HvCallGetSystemProperty, not in the TLFS pages: the layout and the
 * property number Linux's mshv root driver uses (include/hyperv/hvhdk_mini.h).
 * The scheduler type numbering is the launch event's (HV_SCHEDULER_*).
 */
#define HvSystemPropertySchedulerType 15
struct hv_input_get_system_property {
	u32 PropertyId;
	u32 RsvdZ;
};

/* hypercalls/HvCallGetPartitionProperty.md, HvCallSetPartitionProperty.md */
struct hv_input_get_partition_property {
	HV_PARTITION_ID PartitionId;
	u32 PropertyCode;
	u32 RsvdZ;
};

struct hv_input_set_partition_property {
	HV_PARTITION_ID PartitionId;
	u32 PropertyCode;
	u32 Padding;
	u64 PropertyValue;
};

/* datatypes/hv_partition_property_code.md (the codes implemented) */
#define HvPartitionPropertyPrivilegeFlags 0x00010000
#define HvPartitionPropertyCpuReserve 0x00020001
#define HvPartitionPropertyCpuCap 0x00020002
#define HvPartitionPropertyCpuWeight 0x00020003
#define HvPartitionPropertyCpuGroupId 0x00020004
#define HvPartitionPropertyReferenceTime 0x00030005
#define HvPartitionPropertyNonArchitecturalCoreSharing 0x00050011
/* Ours, in TLFS style (docs/scheduler.md): Hyper-V's HwThreadCountPerCore setting. */
#define HvPartitionPropertyHwThreadCountPerCore 0x000500f0
#define HvPartitionPropertyImplementedPhysicalAddressBits 0x00050010
#define HvPartitionPropertyGuestOsId 0x00070000

/* hypercalls/HvCallGetNextChildPartition.md */
struct hv_input_get_next_child_partition {
	HV_PARTITION_ID ParentPartitionId;
	HV_PARTITION_ID PreviousChildPartitionId;
};

/* hypercalls/HvCallAssertVirtualInterrupt.md, datatypes/hv_interrupt_control.md */
struct hv_input_assert_virtual_interrupt {
	HV_PARTITION_ID TargetPartition;
	u32 InterruptType;
	u32 InterruptFlags; /* bit 0 LevelTriggered, bit 1 LogicalDestinationMode */
	u64 DestinationAddress;
	u32 RequestedVector;
	u8 TargetVtl;
	u8 ReservedZ0;
	u16 ReservedZ1;
};
_Static_assert(sizeof(struct hv_input_assert_virtual_interrupt) == 32, "AssertVirtualInterrupt input");
#define HvX64InterruptTypeFixed 0
#define HvX64InterruptTypeLowestPriority 1
#define HvX64InterruptTypeInit 5
#define HvX64InterruptTypeSipi 6
#define HV_INTERRUPT_LEVEL_TRIGGERED BIT(0)
#define HV_INTERRUPT_LOGICAL_DESTINATION BIT(1)

/* hypercalls/HvCallTranslateVirtualAddress.md, datatypes/hv_translate_gva_*.md */
struct hv_input_translate_virtual_address {
	HV_PARTITION_ID PartitionId;
	HV_VP_INDEX VpIndex;
	u32 Padding;
	u64 ControlFlags;
	u64 GvaPage;
};
_Static_assert(sizeof(struct hv_input_translate_virtual_address) == 32, "TranslateVirtualAddress input");

struct hv_output_translate_virtual_address {
	u32 ResultCode;
	u32 CacheType; /* bits 7:0; bit 8 OverlayPage */
	u64 GpaPage;
};

#define HV_TRANSLATE_GVA_VALIDATE_READ 0x0001
#define HV_TRANSLATE_GVA_VALIDATE_WRITE 0x0002
#define HV_TRANSLATE_GVA_VALIDATE_EXECUTE 0x0004
#define HV_TRANSLATE_GVA_PRIVILEGE_EXEMPT 0x0008
#define HV_TRANSLATE_GVA_SET_PAGE_TABLE_BITS 0x0010
#define HV_TRANSLATE_GVA_TLB_FLUSH_INHIBIT 0x0020
#define HV_TRANSLATE_GVA_SUPERVISOR_ACCESS 0x0040
#define HV_TRANSLATE_GVA_USER_ACCESS 0x0080
#define HV_TRANSLATE_GVA_SUPPORTED 0x00ff

#define HvTranslateGvaSuccess 0
#define HvTranslateGvaPageNotPresent 1
#define HvTranslateGvaPrivilegeViolation 2
#define HvTranslateGvaInvalidPageTableFlags 3
#define HvTranslateGvaGpaUnmapped 4
#define HvTranslateGvaGpaNoReadAccess 5
#define HvTranslateGvaGpaNoWriteAccess 6
#define HV_CACHE_TYPE_WRITE_BACK 6

/* hypercalls/HvCallNotifyLongSpinWait.md */
struct hv_input_notify_long_spin_wait {
	u32 SpinCount;
	u32 RsvdZ;
};

/* hypercalls/HvCallSendSyntheticClusterIpi(Ex).md, datatypes/hv_vp_set.md */
struct hv_input_send_synthetic_cluster_ipi {
	u32 Vector;
	u8 TargetVtl;
	u8 Padding[3];
	u64 ProcessorMask;
};
_Static_assert(sizeof(struct hv_input_send_synthetic_cluster_ipi) == 16, "SendSyntheticClusterIpi input");

#define HV_GENERIC_SET_SPARSE_4K 0
#define HV_GENERIC_SET_ALL 1
struct hv_input_send_synthetic_cluster_ipi_ex {
	u32 Vector;
	u8 TargetVtl;
	u8 Padding[3];
	u64 Format;          /* HV_VP_SET */
	u64 ValidBanksMask;
	u64 BankContents[];  /* in the variable header */
};
_Static_assert(sizeof(struct hv_input_send_synthetic_cluster_ipi_ex) == 24, "SendSyntheticClusterIpiEx header");

/*
 * hypercalls/HvCallFlushVirtualAddress{Space,List}(Ex).md; the flags as
 * tlfs-v6.0b.txt's HV_FLUSH_FLAGS (the Ex forms: a HV_VP_SET in place of
 * ProcessorMask, banks in the variable header; the List forms: HV_GVA rep
 * elements, the low 12 bits counting further pages).
 */
#define HV_FLUSH_ALL_PROCESSORS BIT(0)
#define HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES BIT(1)
#define HV_FLUSH_NON_GLOBAL_MAPPINGS_ONLY BIT(2)
#define HV_FLUSH_USE_EXTENDED_RANGE_FORMAT BIT(3)
struct hv_input_flush_virtual_address {
	u64 AddressSpace;
	u64 Flags;
	u64 ProcessorMask;
};
_Static_assert(sizeof(struct hv_input_flush_virtual_address) == 24, "FlushVirtualAddress input");
struct hv_input_flush_virtual_address_ex {
	u64 AddressSpace;
	u64 Flags;
	u64 Format;          /* HV_VP_SET */
	u64 ValidBanksMask;
	u64 BankContents[];  /* in the variable header */
};
_Static_assert(sizeof(struct hv_input_flush_virtual_address_ex) == 32, "FlushVirtualAddressEx header");

/* hypercalls/HvCallGetVpIndexFromApicId.md */
struct hv_input_get_vp_index_from_apic_id {
	HV_PARTITION_ID PartitionId;
	u8 TargetVtl;
	u8 Padding[7];
};
_Static_assert(sizeof(struct hv_input_get_vp_index_from_apic_id) == 16, "GetVpIndexFromApicId input");

/* 0x40000004 EAX hints */
#define HV_HINT_REMOTE_TLB_FLUSH BIT(2)
#define HV_HINT_SYNTHETIC_CLUSTER_IPI BIT(10)
#define HV_HINT_EX_PROCESSOR_MASKS BIT(11)
#define HV_HINT_NO_NONARCH_CORE_SHARING BIT(18)
#define HV_LONG_SPIN_WAIT_RETRIES 0x1000

/* hypercalls/HvCallInstallIntercept.md, datatypes/hv_intercept_*.md */
struct hv_input_install_intercept {
	HV_PARTITION_ID PartitionId;
	u32 AccessType;     /* HV_INTERCEPT_ACCESS_MASK_* */
	u32 InterceptType;  /* HV_INTERCEPT_TYPE */
	u64 InterceptParameter;
};
_Static_assert(sizeof(struct hv_input_install_intercept) == 24, "InstallIntercept input");
#define HV_INTERCEPT_ACCESS_MASK_READ 0x1
#define HV_INTERCEPT_ACCESS_MASK_WRITE 0x2
#define HV_INTERCEPT_ACCESS_MASK_EXECUTE 0x4
#define HvInterceptTypeX64IoPort 0x00000000
#define HvInterceptTypeX64Msr 0x00000001
#define HvInterceptTypeX64Cpuid 0x00000002
#define HvInterceptTypeException 0x00000003 /* InterceptParameter: ExceptionVector */

/* hypercalls/HvCallCreateVp.md */
struct hv_input_create_vp {
	HV_PARTITION_ID PartitionId;
	HV_VP_INDEX VpIndex;
	u8 ReservedZ0[3];
	u8 SubnodeType;
	u64 SubnodeId;
	u64 ProximityDomainInfo;
	u64 Flags;
};
_Static_assert(sizeof(struct hv_input_create_vp) == 40, "CreateVp input");

/* hypercalls/HvCallMapGpaPages.md */
struct hv_input_map_gpa_pages {
	HV_PARTITION_ID TargetPartitionId;
	HV_GPA_PAGE_NUMBER TargetGpaBase;
	u64 MapFlags;
	HV_GPA_PAGE_NUMBER SourceGpaPageList[];
};
_Static_assert(sizeof(struct hv_input_map_gpa_pages) == 24, "MapGpaPages header");

/* hypercalls/HvCallUnmapGpaPages.md */
struct hv_input_unmap_gpa_pages {
	HV_PARTITION_ID TargetPartitionId;
	HV_GPA_PAGE_NUMBER TargetGpaBase;
	u64 UnmapFlags;
};
_Static_assert(sizeof(struct hv_input_unmap_gpa_pages) == 24, "UnmapGpaPages header");

/* hypercalls/HvCallDepositMemory.md, HvCallWithdrawMemory.md */
struct hv_input_deposit_memory {
	HV_PARTITION_ID PartitionId;
	HV_GPA_PAGE_NUMBER GpaPageList[];
};

struct hv_input_withdraw_memory {
	HV_PARTITION_ID PartitionId;
	u64 ProximityDomainInfo;
};

struct hv_output_get_memory_balance {
	u64 PagesAvailable;
	u64 PagesInUse;
};

/* hypercalls/HvCallSetVpRegisters.md, HvCallGetVpRegisters.md */
struct hv_input_vp_registers {
	HV_PARTITION_ID PartitionId;
	HV_VP_INDEX VpIndex;
	u8 TargetVtl;
	u8 RsvdZ[3];
};
_Static_assert(sizeof(struct hv_input_vp_registers) == 16, "Get/SetVpRegisters header");

struct hv_register_assoc {
	HV_REGISTER_NAME Name;
	u32 RsvdZ[3];
	HV_REGISTER_VALUE Value;
};
_Static_assert(sizeof(struct hv_register_assoc) == 32, "SetVpRegisters element");

/* hypercalls/HvCallMapVpStatePage.md, datatypes/hv_vp_state_page_type.md */
struct hv_input_map_vp_state_page {
	HV_PARTITION_ID PartitionId;
	HV_VP_INDEX VpIndex;
	u16 Type;
	u8 InputVtl;
	u8 Flags;
	HV_GPA_PAGE_NUMBER RequestedMapLocation;
};
_Static_assert(sizeof(struct hv_input_map_vp_state_page) == 24, "MapVpStatePage input");
#define HvVpStatePageInterceptMessage 1
#define HV_MAP_VP_STATE_PAGE_LOCATION_PROVIDED 1

/* datatypes/hv_vtl.md: 0-15 */
typedef u8 HV_VTL;
#define HV_VTL_MAX 15

/* datatypes/hv_initial_vp_context.md (x64) */
typedef struct {
	u64 Rip;
	u64 Rsp;
	u64 Rflags;
	HV_X64_SEGMENT_REGISTER Cs;
	HV_X64_SEGMENT_REGISTER Ds;
	HV_X64_SEGMENT_REGISTER Es;
	HV_X64_SEGMENT_REGISTER Fs;
	HV_X64_SEGMENT_REGISTER Gs;
	HV_X64_SEGMENT_REGISTER Ss;
	HV_X64_SEGMENT_REGISTER Tr;
	HV_X64_SEGMENT_REGISTER Ldtr;
	HV_X64_TABLE_REGISTER Idtr;
	HV_X64_TABLE_REGISTER Gdtr;
	u64 Efer;
	u64 Cr0;
	u64 Cr3;
	u64 Cr4;
	u64 MsrCrPat;
} HV_INITIAL_VP_CONTEXT;
_Static_assert(sizeof(HV_INITIAL_VP_CONTEXT) == 224, "HV_INITIAL_VP_CONTEXT");

/* hypercalls/HvCallStartVirtualProcessor.md; tlfs-v6.0b.txt names the 3 bytes after TargetVtl Padding */
struct hv_input_start_virtual_processor {
	HV_PARTITION_ID PartitionId;
	HV_VP_INDEX VpIndex;
	HV_VTL TargetVtl;
	u8 Padding[3];
	HV_INITIAL_VP_CONTEXT VpContext;
};
_Static_assert(sizeof(struct hv_input_start_virtual_processor) == 240, "StartVirtualProcessor input");

/*
 * hypercalls/HvCallGetVpCpuidValues.md, datatypes/hv_get_vp_cpuid_values_flags.md,
 * hv_cpuid_result.md. The page gives CpuidLeafInfo 8 bytes at offset 24 and
 * leaves bytes 20-23 unnamed; HV_CPUID_LEAF_INFO has no page of its own:
 * the leaf in Eax and the subleaf in Ecx, as CPUID takes them.
 */
#define HV_GET_VP_CPUID_VALUES_USE_VP_XFEM_XSS BIT(0)
#define HV_GET_VP_CPUID_VALUES_APPLY_REGISTERED_VALUES BIT(1)
struct hv_input_get_vp_cpuid_values {
	HV_PARTITION_ID PartitionId;
	HV_VP_INDEX VpIndex;
	u32 Flags; /* HV_GET_VP_CPUID_VALUES_FLAGS */
	u32 ReservedZ;
	u32 Padding;
};
_Static_assert(sizeof(struct hv_input_get_vp_cpuid_values) == 24, "GetVpCpuidValues header");

typedef struct {
	u32 Eax;
	u32 Ecx;
} HV_CPUID_LEAF_INFO;

typedef struct {
	u32 Eax;
	u32 Ebx;
	u32 Ecx;
	u32 Edx;
} HV_CPUID_RESULT;
_Static_assert(sizeof(HV_CPUID_RESULT) == 16, "HV_CPUID_RESULT");

/* CPU groups: LpAffinity bit n is LP n; Cap is C of G = n x C, 65536 = 100%. */
struct hv_input_create_cpu_group {
	u64 LpAffinity;
	u32 Cap;
	u32 RsvdZ;
};

struct hv_input_cpu_group {
	u32 GroupId;
	u32 Cap; /* HvCallSetCpuGroupCap; must be 0 for HvCallDeleteCpuGroup */
};

/* HvCallDispatchVp (Linux include/hyperv/hvhdk.h) */
struct hv_input_dispatch_vp {
	HV_PARTITION_ID PartitionId;
	HV_VP_INDEX VpIndex;
	u32 Flags;
	u64 TimeSlice; /* 100 ns units, 0 = until the next event */
	u64 SpecCtrl;
};
_Static_assert(sizeof(struct hv_input_dispatch_vp) == 32, "DispatchVp input");

struct hv_output_dispatch_vp {
	u32 DispatchState;
	u32 DispatchEvent;
};
#define HV_VP_DISPATCH_STATE_BLOCKED 1
#define HV_VP_DISPATCH_STATE_READY 2
#define HV_VP_DISPATCH_EVENT_SUSPEND 1
#define HV_VP_DISPATCH_EVENT_INTERCEPT 2
#define HV_VP_DISPATCH_EVENT_PREEMPTED 4
#define HV_VP_DISPATCH_EVENT_LONGSPINWAIT 7

/* datatypes/hv_message.md, hv_message_type.md */
#define HvMessageTypeNone 0x00000000
#define HvMessageTypeUnmappedGpa 0x80000000
#define HvMessageTypeGpaIntercept 0x80000001
#define HvMessageTypeInvalidVpRegisterValue 0x80000020
#define HvMessageTypeUnrecoverableException 0x80000021
#define HvMessageTypeUnsupportedFeature 0x80000022
#define HvMessageTypeX64IoPortIntercept 0x80010000
#define HvMessageTypeMsrIntercept 0x80010001
#define HvMessageTypeX64CpuidIntercept 0x80010002
#define HvMessageTypeExceptionIntercept 0x80010003
#define HvMessageTypeX64Halt 0x80010007

#define HV_MESSAGE_SIZE 256
#define HV_MESSAGE_FLAG_PENDING BIT(0)

typedef struct {
	u32 MessageType;
	u8 PayloadSize;
	u8 MessageFlags;
	u8 Reserved[2];
	u64 Sender; /* HV_PARTITION_ID or port id */
} HV_MESSAGE_HEADER;
_Static_assert(sizeof(HV_MESSAGE_HEADER) == 16, "HV_MESSAGE_HEADER");

typedef struct {
	HV_MESSAGE_HEADER Header;
	u64 Payload[HV_MESSAGE_PAYLOAD_QWORD_COUNT];
} HV_MESSAGE;
_Static_assert(sizeof(HV_MESSAGE) == HV_MESSAGE_SIZE, "HV_MESSAGE");

/* tlfs-v6.0b.txt 13.2: intercept message header */
#define HV_INTERCEPT_ACCESS_READ 0
#define HV_INTERCEPT_ACCESS_WRITE 1
#define HV_INTERCEPT_ACCESS_EXECUTE 2

typedef struct {
	HV_VP_INDEX VpIndex;
	u8 InstructionLength; /* bits 3:0; bits 7:4 hold CR8 as Linux defines it */
	u8 InterceptAccessType;
	u16 ExecutionState;   /* HV_X64_VP_EXECUTION_STATE */
	HV_X64_SEGMENT_REGISTER CsSegment;
	u64 Rip;
	u64 Rflags;
} HV_X64_INTERCEPT_MESSAGE_HEADER;
_Static_assert(sizeof(HV_X64_INTERCEPT_MESSAGE_HEADER) == 40, "intercept header");

#define HV_X64_EXECUTION_STATE_CR0_PE BIT(2)
#define HV_X64_EXECUTION_STATE_EFER_LMA BIT(4)

typedef struct {
	HV_X64_INTERCEPT_MESSAGE_HEADER Header;
	u16 PortNumber;
	u8 AccessInfo; /* HV_X64_IO_PORT_ACCESS_INFO */
	u8 InstructionByteCount;
	u32 Reserved;
	u64 Rax;
	u8 InstructionBytes[16];
	HV_X64_SEGMENT_REGISTER DsSegment;
	HV_X64_SEGMENT_REGISTER EsSegment;
	u64 Rcx;
	u64 Rsi;
	u64 Rdi;
} HV_X64_IO_PORT_INTERCEPT_MESSAGE;
_Static_assert(sizeof(HV_X64_IO_PORT_INTERCEPT_MESSAGE) <= 240, "io intercept fits");
#define HV_X64_IO_PORT_ACCESS_STRING BIT(3)
#define HV_X64_IO_PORT_ACCESS_REP BIT(4)

typedef struct {
	HV_X64_INTERCEPT_MESSAGE_HEADER Header;
	u32 CacheType;
	u8 InstructionByteCount;
	u8 MemoryAccessInfo;
	u16 Reserved;
	u64 GuestVirtualAddress;
	u64 GuestPhysicalAddress;
	u8 InstructionBytes[16];
} HV_X64_MEMORY_INTERCEPT_MESSAGE;

typedef struct {
	HV_X64_INTERCEPT_MESSAGE_HEADER Header;
	u32 MsrNumber;
	u32 Reserved;
	u64 Rdx;
	u64 Rax;
} HV_X64_MSR_INTERCEPT_MESSAGE;

/* Linux include/hyperv/hvhdk.h: struct hv_x64_cpuid_intercept_message */
typedef struct {
	HV_X64_INTERCEPT_MESSAGE_HEADER Header;
	u64 Rax, Rcx, Rdx, Rbx;
	u64 DefaultResultRax, DefaultResultRcx, DefaultResultRdx, DefaultResultRbx;
} HV_X64_CPUID_INTERCEPT_MESSAGE;

typedef struct {
	HV_X64_INTERCEPT_MESSAGE_HEADER Header;
	u32 ExceptionVector;
	u32 Reserved;
} HV_X64_UNRECOVERABLE_EXCEPTION_MESSAGE;

/* Linux include/hyperv/hvhdk.h: struct hv_x64_exception_intercept_message */
typedef struct {
	HV_X64_INTERCEPT_MESSAGE_HEADER Header;
	u16 ExceptionVector;
	u8 ExceptionInfo; /* HV_X64_EXCEPTION_INFO */
	u8 InstructionByteCount;
	u32 ErrorCode;
	u64 ExceptionParameter; /* the faulting address for #PF */
	u64 Reserved;
	u8 InstructionBytes[16];
	HV_X64_SEGMENT_REGISTER DsSegment;
	HV_X64_SEGMENT_REGISTER SsSegment;
	u64 Rax, Rcx, Rdx, Rbx, Rsp, Rbp, Rsi, Rdi;
	u64 R8, R9, R10, R11, R12, R13, R14, R15;
} HV_X64_EXCEPTION_INTERCEPT_MESSAGE;
_Static_assert(sizeof(HV_X64_EXCEPTION_INTERCEPT_MESSAGE) == 240, "exception intercept");
#define HV_X64_EXCEPTION_INFO_ERROR_CODE_VALID BIT(0)
#define HV_X64_EXCEPTION_INFO_SOFTWARE_EXCEPTION BIT(1)

#endif
