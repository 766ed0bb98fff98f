/*
 * Path-length benchmark (not a test): run under -icount by tests/bench,
 * which puts these figures beside the hypervisor's floor measurement.
 */
#include "lib/tefi.h"
#include "lib/child.h"

extern const u8 payload_bench_start[], payload_bench_end[];

#define FAST_CALLS 2000
#define ROUND_TRIPS 200

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	HV_MESSAGE *sim;
	u8 *sief;
	struct child c;
	const CHAR16 *step;
	HV_STATUS s;
	u32 type;

	tefi_init(image, systab);
	sim = hv_pages(1);
	sief = hv_pages(1);
	tefi_check(hv_setup(), L"hypercall page");
	tefi_check(hv_deposit(HV_PARTITION_ID_SELF, (u64)hv_pages(8), 8) == 0, L"root pool");
	hv_wrmsr(HV_X64_MSR_SIMP, (u64)sim | 1);
	hv_wrmsr(HV_X64_MSR_SIEFP, (u64)sief | 1);
	hv_wrmsr(HV_X64_MSR_SINT0 + 2, 0x50 | HV_SYNIC_SINT_POLLING);
	hv_wrmsr(HV_X64_MSR_SCONTROL, 1);
	tefi_check(child_create(&c, payload_bench_start, payload_bench_end - payload_bench_start, &step) == 0,
		   L"child");
	tefi_check(hv_create_port(HV_PARTITION_ID_SELF, 0x10, HvPortTypeEvent, 2, 0, 1, 0) == 0 &&
		   hv_connect_port(c.id, 0x11, HV_PARTITION_ID_SELF, 0x10, HvPortTypeEvent) == 0 &&
		   hv_create_port(HV_PARTITION_ID_SELF, 0x20, HvPortTypeMessage, 2, 0, 0, 0) == 0 &&
		   hv_connect_port(c.id, 0x12, HV_PARTITION_ID_SELF, 0x20, HvPortTypeMessage) == 0 &&
		   hv_create_port(c.id, 0x30, HvPortTypeMessage, 3, 0, 0, 0) == 0 &&
		   hv_connect_port(HV_PARTITION_ID_SELF, 0x31, c.id, 0x30, HvPortTypeMessage) == 0,
		   L"ports and connections");
	c.mailbox[0] = FAST_CALLS;
	c.mailbox[4] = ROUND_TRIPS;
	for (;;) {
		type = child_run(&c, &s);
		if (type != HvMessageTypeX64IoPortIntercept)
			break;
		u16 io_port = ((HV_X64_IO_PORT_INTERCEPT_MESSAGE *)c.msg->Payload)->PortNumber;

		if (child_complete_io(&c, &s) == 2 && io_port == CHILD_SYNC_PORT) {
			/* Take the child's message and answer it. */
			sim[2].Header.MessageType = HvMessageTypeNone;
			hv_post_message(0x31, 2, "reply!!", 8);
		}
	}
	tefi_check(type == HvMessageTypeX64Halt && c.mailbox[8] == 0x600d, L"child finished");
	tefi_check((c.mailbox[3] & 0xffff) == 0 && (c.mailbox[7] & 0xffff) == 0,
		   L"the measured calls succeeded");
	tefi_print(L"bench: cpuid exit handled in the hypervisor: %ld\n", c.mailbox[1]);
	tefi_print(L"bench: fast hypercall with an unknown code (entry and decode only): %ld\n", c.mailbox[9]);
	tefi_print(L"bench: fast hypercall (HvCallSignalEvent): %ld\n", c.mailbox[2]);
	tefi_print(L"bench: I/O intercept round trip through the parent: %ld\n", c.mailbox[5]);
	tefi_print(L"bench: HvCallPostMessage to the parent and its reply: %ld\n", c.mailbox[6]);
	tefi_finish();
}
