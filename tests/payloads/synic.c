/*
 * A child that talks through its SynIC in polling mode: it enables the SIM
 * and SIEF pages, lets the parent post three messages and signal an event,
 * takes the messages one by one with the pending/EOM protocol, reads the
 * event flag, then posts a message back to the parent.
 */
#include "payload.h"

#define SIM 0x20000
#define SIEF 0x21000
#define MSG_SINT 3
#define EVENT_SINT 4
#define CONNECTION_TO_PARENT 0x11

void payload_main(void)
{
	volatile HV_MESSAGE *slot = (volatile HV_MESSAGE *)SIM + MSG_SINT;
	volatile u8 *flags = (volatile u8 *)SIEF + EVENT_SINT * 256;
	struct hv_input_post_message *in = (void *)PARAM_IN;
	unsigned i;

	enable_hypercalls();
	wrmsr(HV_X64_MSR_SIMP, SIM | HV_SYNIC_PAGE_ENABLE);
	wrmsr(HV_X64_MSR_SIEFP, SIEF | HV_SYNIC_PAGE_ENABLE);
	wrmsr(HV_X64_MSR_SINT0 + MSG_SINT, 0x40 | HV_SYNIC_SINT_POLLING);
	wrmsr(HV_X64_MSR_SINT0 + EVENT_SINT, 0x41 | HV_SYNIC_SINT_POLLING);
	wrmsr(HV_X64_MSR_SCONTROL, HV_SYNIC_CONTROL_ENABLE);
	MAILBOX[0] = rdmsr(HV_X64_MSR_SVERSION);
	sync_parent(1);
	for (i = 0; i < 3; i++) {
		u8 pending;

		while (slot->Header.MessageType == HvMessageTypeNone)
			;
		pending = slot->Header.MessageFlags & HV_MESSAGE_FLAG_PENDING;
		MAILBOX[1 + i] = slot->Header.MessageType | ((u64)*(volatile u8 *)slot->Payload << 32) |
				 ((u64)pending << 40) | ((u64)slot->Header.PayloadSize << 48);
		slot->Header.MessageType = HvMessageTypeNone;
		if (pending)
			wrmsr(HV_X64_MSR_EOM, 0);
	}
	MAILBOX[4] = flags[1];
	in->ConnectionId = CONNECTION_TO_PARENT;
	in->RsvdZ = 0;
	in->MessageType = 0x42;
	in->PayloadSize = 11;
	copy(in->Message, "hello root", 11);
	MAILBOX[5] = hypercall(HvCallPostMessage, PARAM_IN, 0);
	MAILBOX[6] = 0x600d;
}
