/*
 * A child's virtual x2APIC in action: a self IPI and a one-shot timer, then
 * SynIC messages (normal SINT, EOI by the handler) and an event (auto-EOI
 * SINT) that arrive as interrupts and wake the child from HLT. The
 * handlers EOI as Linux does with a VP assist page (HV_X64_MSR_VP_ASSIST_PAGE).
 */
#include "lib/tefi.h"
#include "lib/child.h"

extern const u8 payload_apic_start[], payload_apic_end[];

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct child c;
	const CHAR16 *step;
	HV_STATUS s;
	u32 type, runs = 0;

	tefi_init(image, systab);
	tefi_print(L"test_apic: interrupts through a child's virtual x2APIC\n");
	tefi_check(hv_setup(), L"hypercall page");
	s = child_create(&c, payload_apic_start, payload_apic_end - payload_apic_start, &step);
	tefi_check(!s, L"child created");
	if (s)
		tefi_finish();
	tefi_check(hv_create_port(c.id, 0x20, HvPortTypeMessage, 3, 0, 0, 0) == 0 &&
		   hv_connect_port(HV_PARTITION_ID_SELF, 0x21, c.id, 0x20, HvPortTypeMessage) == 0 &&
		   hv_create_port(c.id, 0x30, HvPortTypeEvent, 4, 0, 1, 0) == 0 &&
		   hv_connect_port(HV_PARTITION_ID_SELF, 0x31, c.id, 0x30, HvPortTypeEvent) == 0, L"message and event ports in the child");
	type = child_run(&c, &s);
	tefi_check(type == HvMessageTypeX64IoPortIntercept && child_complete_io(&c, &s) == 1 && !s,
		   L"self IPI and APIC timer taken; child waits for messages");
	tefi_check(hv_post_message(0x21, 0x10, NULL, 0) == 0 && hv_post_message(0x21, 0x11, NULL, 0) == 0 &&
		   hv_post_message(0x21, 0x12, NULL, 0) == 0,
		   L"three messages posted");
	tefi_check(hv_signal_event(0x31, 0) == 0,
		   L"event signalled");
	/* The child halts whenever it has nothing to do; each dispatch lets it take what is pending. */
	do {
		type = child_run(&c, &s);
	} while (type == HvMessageTypeX64Halt && c.mailbox[5] != 0x600d && ++runs < 50);
	tefi_check(c.mailbox[5] == 0x600d, L"child finished");
	tefi_check(c.mailbox[2] == 3, L"self IPI and two synthetic cluster IPIs (fast, Ex) delivered");
	tefi_check((c.mailbox[6] & 0xffff) == 0 && (c.mailbox[7] & 0xffff) == 0,
		   L"HvCallSendSyntheticClusterIpiEx and HvCallNotifyLongSpinWait succeeded");
	tefi_check(c.spin_yields == 1, L"the long spin wait gave the LP back to the parent once");
	tefi_check(c.mailbox[3] == 1, L"one-shot timer fired once");
	tefi_check(c.mailbox[0] == 3 && c.mailbox[4] == 1,
		   L"three message interrupts, in order (EOI and EOM let the next one in)");
	tefi_check(c.mailbox[1] == 1, L"event interrupt on the auto-EOI SINT");
	tefi_check(c.mailbox[8] == (0x23000 | HV_X64_MSR_VP_ASSIST_PAGE_ENABLE) && c.mailbox[9] == 0,
		   L"HV_X64_MSR_VP_ASSIST_PAGE: enabled, RsvdP bits read as zero, the page zeroed");
	tefi_print(L"  EOI writes the assist bit saved: %d of 5\n", (u32)c.mailbox[10]);
	tefi_check(c.mailbox[10] >= 1 && c.mailbox[10] <= 5,
		   L"EOI assist: the hypervisor set \"No EOI required\" for some, and every interrupt still came");
	tefi_print(L"  dispatches after the messages: %d\n", runs + 1);
	tefi_check(hv_partition_op(HvCallDeletePartition, c.id) == HV_STATUS_SUCCESS, L"child deleted");
	tefi_finish();
}
