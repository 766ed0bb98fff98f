/*
 * SynIC messages and events through ports and connections, in polling mode:
 * parent -> child messages with the pending/EOM protocol (queue depth 3),
 * an event flag, child -> parent messages, buffer exhaustion, deleted ports,
 * masked SINTs, and each documented failure status.
 */
#include "lib/tefi.h"
#include "lib/child.h"

extern const u8 payload_synic_start[], payload_synic_end[];

#define ROOT_MSG_PORT 0x10
#define CHILD_TO_ROOT 0x11
#define CHILD_MSG_PORT 0x20
#define ROOT_TO_CHILD 0x21
#define CHILD_EVENT_PORT 0x30
#define ROOT_EVENT_CONN 0x31
#define ROOT_SELF_PORT 0x40
#define ROOT_SELF_CONN 0x41
#define ROOT_MASKED_PORT 0x50
#define ROOT_MASKED_CONN 0x51

static HV_MESSAGE *root_sim;
static u8 *root_sief;

static void root_synic(void)
{
	root_sim = hv_pages(1);
	root_sief = hv_pages(1);
	hv_wrmsr(HV_X64_MSR_SIMP, (u64)root_sim | HV_SYNIC_PAGE_ENABLE);
	hv_wrmsr(HV_X64_MSR_SIEFP, (u64)root_sief | HV_SYNIC_PAGE_ENABLE);
	hv_wrmsr(HV_X64_MSR_SINT0 + 2, 0x50 | HV_SYNIC_SINT_POLLING);
	hv_wrmsr(HV_X64_MSR_SINT0 + 5, 0x51 | HV_SYNIC_SINT_POLLING);
	hv_wrmsr(HV_X64_MSR_SINT0 + 6, 0x52 | HV_SYNIC_SINT_MASKED);
	hv_wrmsr(HV_X64_MSR_SCONTROL, HV_SYNIC_CONTROL_ENABLE);
}

/* Message buffers are per port: 16 queued plus the one in the slot; then the port is full. */
static void buffers_and_order(void)
{
	volatile HV_MESSAGE *slot = &root_sim[5];
	HV_STATUS s = HV_STATUS_SUCCESS;
	unsigned i, sent = 0, in_order = 1;
	char text[2] = { 0, 0 };

	tefi_check(hv_create_port(HV_PARTITION_ID_SELF, ROOT_SELF_PORT, HvPortTypeMessage, 5, 0, 0, 0) == 0 &&
		   hv_connect_port(HV_PARTITION_ID_SELF, ROOT_SELF_CONN, HV_PARTITION_ID_SELF, ROOT_SELF_PORT,
			   HvPortTypeMessage) == 0, L"root port and connection to itself");
	for (i = 0; i < 20 && !s; i++) {
		text[0] = (char)('a' + i);
		s = hv_post_message(ROOT_SELF_CONN, 0x100 + i, text, 1);
		if (!s)
			sent++;
	}
	tefi_check(sent == 17 && s == HV_STATUS_INSUFFICIENT_BUFFERS,
		   L"17 posts fit (slot + 16 buffers), the 18th: HV_STATUS_INSUFFICIENT_BUFFERS");
	for (i = 0; i < sent; i++) {
		u8 pending = slot->Header.MessageFlags & HV_MESSAGE_FLAG_PENDING;

		if (slot->Header.MessageType != 0x100 + i || *(volatile u8 *)slot->Payload != 'a' + i ||
		    slot->Header.Sender != ROOT_SELF_PORT || pending != (i + 1 < sent)) {
			if (in_order)
				tefi_print(L"  message %d: type 0x%x payload %c sender 0x%lx pending %d\n", i,
					   slot->Header.MessageType, *(volatile u8 *)slot->Payload,
					   slot->Header.Sender, pending);
			in_order = 0;
		}
		slot->Header.MessageType = HvMessageTypeNone;
		if (pending)
			hv_wrmsr(HV_X64_MSR_EOM, 0);
	}
	tefi_check(sent && in_order, L"messages arrive in order, each with MessagePending until the last");
	{
		struct hv_input_delete_port *d = hv_in();

		d->PortPartition = HV_PARTITION_ID_SELF;
		d->PortId = ROOT_SELF_PORT;
		d->Reserved = 0;
		tefi_check(hv_status(hv_call(HvCallDeletePort, hv_in_gpa(), 0)) == HV_STATUS_SUCCESS,
			   L"HvCallDeletePort");
	}
	tefi_check(hv_post_message(ROOT_SELF_CONN, 1, "x", 1) == HV_STATUS_INVALID_PORT_ID,
		   L"posting through a connection whose port was deleted: HV_STATUS_INVALID_PORT_ID");
}

static void failure_statuses(void)
{
	char big[241];

	SetMem(big, sizeof(big), 'z');
	tefi_check(hv_post_message(0x7777, 1, "x", 1) == HV_STATUS_INVALID_CONNECTION_ID, L"unknown connection");
	tefi_check(hv_post_message(ROOT_TO_CHILD, 0x80000001, "x", 1) == HV_STATUS_INVALID_PARAMETER,
		   L"message type with the hypervisor bit");
	tefi_check(hv_post_message(ROOT_TO_CHILD, 0, "x", 1) == HV_STATUS_INVALID_PARAMETER, L"message type 0");
	tefi_check(hv_post_message(ROOT_TO_CHILD, 1, big, 241) == HV_STATUS_INVALID_PARAMETER, L"241-byte payload");
	tefi_check(hv_signal_event(ROOT_EVENT_CONN, 4) == HV_STATUS_INVALID_PARAMETER,
		   L"event flag beyond the port's flag count");
	tefi_check(hv_signal_event(ROOT_TO_CHILD, 0) == HV_STATUS_INVALID_PORT_ID,
		   L"signalling through a message connection");
	tefi_check(hv_create_port(HV_PARTITION_ID_SELF, ROOT_MASKED_PORT, HvPortTypeEvent, 6, 0, 8, 0) == 0 &&
		   hv_connect_port(HV_PARTITION_ID_SELF, ROOT_MASKED_CONN, HV_PARTITION_ID_SELF, ROOT_MASKED_PORT,
			   HvPortTypeEvent) == 0, L"event port on a masked SINT");
	tefi_check(hv_signal_event(ROOT_MASKED_CONN, 1) == HV_STATUS_INVALID_SYNIC_STATE,
		   L"signalling a masked SINT: HV_STATUS_INVALID_SYNIC_STATE");
	tefi_check(hv_create_port(HV_PARTITION_ID_SELF, ROOT_MASKED_PORT, HvPortTypeEvent, 6, 0, 8, 0) ==
		   HV_STATUS_INVALID_PORT_ID, L"a port id used twice: HV_STATUS_INVALID_PORT_ID");
	tefi_check(hv_create_port(HV_PARTITION_ID_SELF, 0x60, HvPortTypeMessage, 16, 0, 0, 0) ==
		   HV_STATUS_INVALID_PARAMETER, L"SINT 16 does not exist");
}

static void with_child(void)
{
	struct child c;
	const CHAR16 *step;
	HV_STATUS s;
	u32 type;

	s = child_create(&c, payload_synic_start, payload_synic_end - payload_synic_start, &step);
	tefi_check(!s, L"child created");
	if (s)
		return;
	tefi_check(hv_create_port(HV_PARTITION_ID_SELF, ROOT_MSG_PORT, HvPortTypeMessage, 2, 0, 0, c.id) == 0 &&
		   hv_connect_port(c.id, CHILD_TO_ROOT, HV_PARTITION_ID_SELF, ROOT_MSG_PORT, HvPortTypeMessage) == 0,
		   L"port in the root, connection for the child");
	tefi_check(hv_create_port(c.id, CHILD_MSG_PORT, HvPortTypeMessage, 3, 0, 0, 1) == 0 &&
		   hv_connect_port(HV_PARTITION_ID_SELF, ROOT_TO_CHILD, c.id, CHILD_MSG_PORT, HvPortTypeMessage) == 0,
		   L"message port in the child, connection for the root");
	tefi_check(hv_create_port(c.id, CHILD_EVENT_PORT, HvPortTypeEvent, 4, 8, 4, 1) == 0 &&
		   hv_connect_port(HV_PARTITION_ID_SELF, ROOT_EVENT_CONN, c.id, CHILD_EVENT_PORT, HvPortTypeEvent) == 0,
		   L"event port in the child (flags 8-11), connection for the root");
	tefi_check(hv_connect_port(HV_PARTITION_ID_SELF, ROOT_TO_CHILD, c.id, CHILD_MSG_PORT, HvPortTypeMessage) ==
		   HV_STATUS_INVALID_CONNECTION_ID, L"a connection id used twice: HV_STATUS_INVALID_CONNECTION_ID");
	tefi_check(hv_connect_port(HV_PARTITION_ID_SELF, 0x98, c.id, 0x7777, HvPortTypeMessage) ==
		   HV_STATUS_INVALID_PORT_ID, L"connecting to a missing port: HV_STATUS_INVALID_PORT_ID");
	tefi_check(hv_post_message(ROOT_TO_CHILD, 1, "m", 1) == HV_STATUS_INVALID_SYNIC_STATE,
		   L"posting to a child whose SynIC is off: HV_STATUS_INVALID_SYNIC_STATE");
	type = child_run(&c, &s);
	tefi_check(type == HvMessageTypeX64IoPortIntercept && child_complete_io(&c, &s) == 1 && !s,
		   L"child enabled its SynIC and asked for messages");
	tefi_check(c.mailbox[0] == HV_SYNIC_VERSION, L"child reads SVERSION 1");
	tefi_check(hv_post_message(ROOT_TO_CHILD, 1, "1", 1) == 0 && hv_post_message(ROOT_TO_CHILD, 2, "22", 2) == 0 &&
		   hv_post_message(ROOT_TO_CHILD, 3, "333", 3) == 0, L"three messages posted to the child");
	tefi_check(hv_signal_event(ROOT_EVENT_CONN, 1) == 0, L"fast HvCallSignalEvent, flag 1 (SIEF bit 9)");
	type = child_run(&c, &s);
	tefi_check(type == HvMessageTypeX64Halt, L"child took its messages and halted");
	tefi_check(c.mailbox[1] == (1 | ((u64)'1' << 32) | (1ULL << 40) | (1ULL << 48)) &&
		   c.mailbox[2] == (2 | ((u64)'2' << 32) | (1ULL << 40) | (2ULL << 48)) &&
		   c.mailbox[3] == (3 | ((u64)'3' << 32) | (0ULL << 40) | (3ULL << 48)),
		   L"child saw types 1,2,3 in order, sizes 1,2,3, pending set on the first two");
	tefi_check(c.mailbox[4] == 0x02, L"child saw event flag 9 and no other in its byte");
	tefi_check((c.mailbox[5] & 0xffff) == HV_STATUS_SUCCESS, L"child's HvCallPostMessage succeeded");
	tefi_check(root_sim[2].Header.MessageType == 0x42 && root_sim[2].Header.PayloadSize == 11 &&
		   !CompareMem(root_sim[2].Payload, "hello root", 11) &&
		   root_sim[2].Header.Sender == ROOT_MSG_PORT,
		   L"the child's message is in the root's SINT2 slot, sender = port id");
	failure_statuses();
	tefi_check(hv_partition_op(HvCallDeletePartition, c.id) == HV_STATUS_SUCCESS,
		   L"child deleted with its ports");
	tefi_check(hv_post_message(ROOT_TO_CHILD, 1, "x", 1) == HV_STATUS_INVALID_PORT_ID,
		   L"the root's connection to the deleted child's port is useless now");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	tefi_init(image, systab);
	tefi_print(L"test_synic: messages and events through ports\n");
	tefi_check(hv_setup(), L"hypercall page");
	tefi_check(hv_create_port(HV_PARTITION_ID_SELF, 0x70, HvPortTypeMessage, 5, 0, 0, 0) ==
		   HV_STATUS_INSUFFICIENT_MEMORY, L"a port needs the owner's pool: HV_STATUS_INSUFFICIENT_MEMORY");
	/* Ports are charged to the receiving partition's pool, the root's too. */
	tefi_check(hv_deposit(HV_PARTITION_ID_SELF, (u64)hv_pages(16), 16) == HV_STATUS_SUCCESS,
		   L"root deposits 16 pages into its own pool");
	root_synic();
	buffers_and_order();
	with_child();
	tefi_finish();
}
