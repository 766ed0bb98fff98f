/*
 * Child partitions through the TLFS calls: a well-behaved child runs,
 * prints through an intercepted port, is denied the parent's calls, and
 * halts; a second child triple-faults and ends alone; both are deleted and
 * the root carries on.
 */
#include "lib/tefi.h"
#include "lib/child.h"

extern const u8 payload_hello_start[], payload_hello_end[];
extern const u8 payload_triple_start[], payload_triple_end[];

static void well_behaved(void)
{
	struct child c;
	const CHAR16 *step;
	HV_STATUS s;
	u32 type;

	s = child_create(&c, payload_hello_start, payload_hello_end - payload_hello_start, &step);
	tefi_check(s == HV_STATUS_SUCCESS, L"child partition created, initialized, mapped, VP set up");
	if (s) {
		tefi_print(L"  %s failed: status 0x%x\n", step, s);
		return;
	}
	type = child_run(&c, &s);
	c.console[c.console_len] = 0;
	tefi_print(L"  child console: %a", c.console);
	tefi_check(type == HvMessageTypeX64Halt, L"child ran until HLT (HvMessageTypeX64Halt)");
	tefi_check(c.console_len && !CompareMem(c.console, "hello from a child partition\n", 29),
		   L"child's port 0xE9 output reached the parent as I/O intercepts");
	tefi_check(c.mailbox[0] == 0x7263694d, L"child sees CPUID 0x40000000 \"Micr\"");
	tefi_check(c.mailbox[1] == (0x6000 | 1), L"child enabled its hypercall page");
	tefi_check((c.mailbox[2] & 0xffff) == HV_STATUS_ACCESS_DENIED,
		   L"child's HvCallCreatePartition: HV_STATUS_ACCESS_DENIED");
	tefi_check((c.mailbox[3] & 0xffff) == HV_STATUS_INVALID_HYPERCALL_CODE,
		   L"child's unknown call: HV_STATUS_INVALID_HYPERCALL_CODE");
	tefi_check(c.mailbox[4] == 0, L"child's HV_X64_MSR_VP_INDEX is 0");
	tefi_check(c.mailbox[5] == 0x600d, L"child finished its script");
	tefi_check(c.mailbox[6] == (HV_CRASH_CTL_CRASH_NOTIFY | HV_CRASH_CTL_CRASH_MESSAGE),
		   L"HV_X64_MSR_CRASH_CTL offers CrashNotify and CrashMessage");
	tefi_check(hv_partition_op(HvCallDeletePartition, c.id) == HV_STATUS_SUCCESS,
		   L"HvCallDeletePartition");
	tefi_check(hv_partition_op(HvCallDeletePartition, c.id) == HV_STATUS_INVALID_PARTITION_ID,
		   L"deleting it again: HV_STATUS_INVALID_PARTITION_ID");
}

static void triple_fault(void)
{
	struct child c;
	struct hv_output_dispatch_vp out;
	const CHAR16 *step;
	HV_STATUS s;
	u32 type;

	s = child_create(&c, payload_triple_start, payload_triple_end - payload_triple_start, &step);
	tefi_check(s == HV_STATUS_SUCCESS, L"second child created");
	if (s)
		return;
	type = child_run(&c, &s);
	tefi_check(type == HvMessageTypeUnrecoverableException,
		   L"triple fault reported as HvMessageTypeUnrecoverableException");
	tefi_check(c.mailbox[0] == 0xdead, L"the child ran up to its fault");
	tefi_check(hv_dispatch(c.id, 0, &out) == HV_STATUS_INVALID_PARTITION_STATE,
		   L"a terminated partition cannot be dispatched again");
	tefi_check(hv_partition_op(HvCallDeletePartition, c.id) == HV_STATUS_SUCCESS,
		   L"the terminated partition is deleted");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	tefi_init(image, systab);
	tefi_print(L"test_child: child partitions through the TLFS calls\n");
	tefi_check(hv_setup(), L"hypercall page");
	well_behaved();
	triple_fault();
	tefi_check(!EFI_ERROR(uefi_call_wrapper(BS->Stall, 1, 1000)), L"the root keeps running");
	tefi_finish();
}
