/*
 * The child's view of time: frequency MSRs, the reference counter and TSC
 * page agreeing, a periodic direct-mode synthetic timer and a one-shot
 * message-mode one (timers.md).
 */
#include "lib/tefi.h"
#include "lib/child.h"

extern const u8 payload_timers_start[], payload_timers_end[];

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct child c;
	const CHAR16 *step;
	HV_STATUS s;
	u32 type, runs = 0;

	tefi_init(image, systab);
	tefi_print(L"test_timers: reference time and synthetic timers in a child\n");
	tefi_check(hv_setup(), L"hypercall page");
	s = child_create(&c, payload_timers_start, payload_timers_end - payload_timers_start, &step);
	tefi_check(!s, L"child created");
	if (s)
		tefi_finish();
	do {
		type = child_run(&c, &s);
	} while (type == HvMessageTypeX64Halt && c.mailbox[8] != 0x600d && ++runs < 20);
	tefi_print(L"  TSC %ld Hz, APIC %ld Hz\n", c.mailbox[0], c.mailbox[1]);
	tefi_check(c.mailbox[8] == 0x600d, L"child finished");
	tefi_check(c.mailbox[0] > 100000000, L"HV_X64_MSR_TSC_FREQUENCY is plausible (> 100 MHz)");
	tefi_check(c.mailbox[1] == 1000000000, L"HV_X64_MSR_APIC_FREQUENCY is the 1 GHz virtual APIC bus");
	tefi_check(c.mailbox[3] != 0, L"reference TSC page enabled (non-zero sequence)");
	tefi_check(c.mailbox[2] == 1,
		   L"TIME_REF_COUNT and the TSC page agree and are monotonic");
	tefi_check(c.mailbox[4] >= 3, L"periodic direct-mode STIMER0 interrupted at least 3 times");
	tefi_check(c.mailbox[5] == 1 && c.mailbox[6] == 1,
		   L"one-shot STIMER1 sent one HvMessageTimerExpired (index 1, expiration <= delivery)");
	tefi_check(c.mailbox[7] == 0, L"the one-shot timer disabled itself");
	tefi_check(hv_partition_op(HvCallDeletePartition, c.id) == HV_STATUS_SUCCESS, L"child deleted");
	tefi_finish();
}
