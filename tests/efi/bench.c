/*
 * Path-length benchmark (not a test): run under -icount by tests/bench,
 * which puts these figures beside the hypervisor's floor measurement.
 */
#include "lib/tefi.h"
#include "lib/child.h"

extern const u8 payload_bench_start[], payload_bench_end[];

#define FAST_CALLS 2000
#define ROUND_TRIPS 200

static HV_STATUS port(HV_PARTITION_ID owner, HV_PORT_ID id, u32 type, u32 sint)
{
	struct hv_input_create_port *in = hv_in();

	ZeroMem(in, sizeof(*in));
	in->PortPartition = owner;
	in->PortId = id;
	in->PortInfo.PortType = type;
	in->PortInfo.EventPortInfo.TargetSint = sint;
	if (type == HvPortTypeEvent)
		in->PortInfo.EventPortInfo.FlagCount = 1;
	return hv_status(hv_call(HvCallCreatePort, hv_in_gpa(), 0));
}

static HV_STATUS connect(HV_PARTITION_ID sender, HV_CONNECTION_ID id, HV_PARTITION_ID owner,
			 HV_PORT_ID p, u32 type)
{
	struct hv_input_connect_port *in = hv_in();

	ZeroMem(in, sizeof(*in));
	in->ConnectionPartition = sender;
	in->ConnectionId = id;
	in->PortPartition = owner;
	in->PortId = p;
	in->ConnectionInfo.PortType = type;
	return hv_status(hv_call(HvCallConnectPort, hv_in_gpa(), 0));
}

static void wrmsr64(u32 msr, u64 v)
{
	asm volatile("wrmsr" ::"c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct hv_input_post_message *msg;
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
	wrmsr64(HV_X64_MSR_SIMP, (u64)sim | 1);
	wrmsr64(HV_X64_MSR_SIEFP, (u64)sief | 1);
	wrmsr64(HV_X64_MSR_SINT0 + 2, 0x50 | HV_SYNIC_SINT_POLLING);
	wrmsr64(HV_X64_MSR_SCONTROL, 1);
	tefi_check(child_create(&c, payload_bench_start, payload_bench_end - payload_bench_start, &step) == 0,
		   L"child");
	tefi_check(port(HV_PARTITION_ID_SELF, 0x10, HvPortTypeEvent, 2) == 0 &&
		   connect(c.id, 0x11, HV_PARTITION_ID_SELF, 0x10, HvPortTypeEvent) == 0 &&
		   port(HV_PARTITION_ID_SELF, 0x20, HvPortTypeMessage, 2) == 0 &&
		   connect(c.id, 0x12, HV_PARTITION_ID_SELF, 0x20, HvPortTypeMessage) == 0 &&
		   port(c.id, 0x30, HvPortTypeMessage, 3) == 0 &&
		   connect(HV_PARTITION_ID_SELF, 0x31, c.id, 0x30, HvPortTypeMessage) == 0,
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
			msg = hv_in();
			ZeroMem(msg, 16);
			msg->ConnectionId = 0x31;
			msg->MessageType = 2;
			msg->PayloadSize = 8;
			hv_call(HvCallPostMessage, hv_in_gpa(), 0);
		}
	}
	tefi_check(type == HvMessageTypeX64Halt && c.mailbox[8] == 0x600d, L"child finished");
	tefi_check((c.mailbox[3] & 0xffff) == 0 && (c.mailbox[7] & 0xffff) == 0,
		   L"the measured calls succeeded");
	tefi_print(L"bench: cpuid exit handled in the hypervisor: %ld\n", c.mailbox[1]);
	tefi_print(L"bench: fast hypercall (HvCallSignalEvent): %ld\n", c.mailbox[2]);
	tefi_print(L"bench: I/O intercept round trip through the parent: %ld\n", c.mailbox[5]);
	tefi_print(L"bench: HvCallPostMessage to the parent and its reply: %ld\n", c.mailbox[6]);
	tefi_finish();
}
