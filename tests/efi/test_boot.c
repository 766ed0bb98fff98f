/*
 * After launch the firmware is the root partition: its timer interrupts
 * still arrive, console output and boot services work, and the hypervisor
 * answers CPUID and the hypercall interface. (The runner checks the
 * hypervisor's per-LP banners in the serial log.)
 */
#include "lib/tefi.h"
#include "lib/hvapi.h"

static void cpuid(u32 leaf, u32 r[4])
{
	asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

static void check_cpuid(void)
{
	u32 r[4];

	cpuid(1, r);
	tefi_check(r[2] & (1u << 31), L"CPUID.1:ECX.HV is set");
	cpuid(HV_CPUID_VENDOR_AND_MAX, r);
	tefi_check(r[0] >= 0x40000005, L"CPUID 0x40000000: max leaf >= 0x40000005");
	tefi_check(r[1] == 0x7263694d && r[2] == 0x666f736f && r[3] == 0x76482074,
		   L"CPUID 0x40000000: \"Microsoft Hv\"");
	cpuid(HV_CPUID_INTERFACE, r);
	tefi_check(r[0] == 0x31237648, L"CPUID 0x40000001: \"Hv#1\"");
	cpuid(HV_CPUID_FEATURES, r);
	tefi_check((r[1] & 1) && (r[0] & (1u << 5)),
		   L"CPUID 0x40000003: root has CreatePartitions and AccessHypercallMsrs");
	cpuid(0x80000001, r);
	tefi_check(!(r[2] & (1u << 2)), L"SVM is hidden from the root");
}

static void check_timer(void)
{
	EFI_EVENT ev;
	UINTN index;
	EFI_STATUS s;
	UINTN i;

	s = uefi_call_wrapper(BS->CreateEvent, 5, EVT_TIMER, 0, NULL, NULL, &ev);
	tefi_check(!EFI_ERROR(s), L"CreateEvent(EVT_TIMER)");
	/* 5 periodic ticks of 10 ms: each needs the firmware's timer interrupt. */
	s = uefi_call_wrapper(BS->SetTimer, 3, ev, TimerPeriodic, 100000);
	for (i = 0; i < 5 && !EFI_ERROR(s); i++)
		s = uefi_call_wrapper(BS->WaitForEvent, 3, 1, &ev, &index);
	tefi_check(!EFI_ERROR(s), L"five periodic timer events arrived");
	uefi_call_wrapper(BS->CloseEvent, 1, ev);
	tefi_check(!EFI_ERROR(uefi_call_wrapper(BS->Stall, 1, 20000)), L"Stall(20 ms)");
}

static void check_hypercalls(void)
{
	HV_PARTITION_ID *id;
	u64 r;

	tefi_check(hv_setup(), L"hypercall page enabled through HV_X64_MSR_HYPERCALL");
	r = hv_call(HvCallGetPartitionId, 0, hv_out_gpa());
	id = hv_out();
	tefi_check(hv_status(r) == HV_STATUS_SUCCESS && *id == 1,
		   L"HvCallGetPartitionId: the root is partition 1");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	tefi_init(image, systab);
	tefi_print(L"test_boot: the firmware as root partition\n");
	check_cpuid();
	check_timer();
	check_hypercalls();
	tefi_finish();
}
