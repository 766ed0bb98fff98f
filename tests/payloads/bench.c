/*
 * Path lengths seen from a child (docs/benchmarks.md): under -icount the
 * TSC counts instructions, the hypervisor's and the parent's included.
 */
#include "payload.h"

#define SIM 0x20000
#define EVENT_CONNECTION 0x11
#define MESSAGE_CONNECTION 0x12
#define REPLY_SINT 3
#define BENCH_PORT 0x601


static u64 per_call(u64 start, u32 n)
{
	return (rdtsc() - start) / n;
}

void payload_main(void)
{
	volatile HV_MESSAGE *reply = (volatile HV_MESSAGE *)SIM + REPLY_SINT;
	struct hv_input_post_message *in = (void *)PARAM_IN;
	u32 a, b, c, d, i, n;
	u64 t;

	enable_hypercalls();
	wrmsr(HV_X64_MSR_SIMP, SIM | HV_SYNIC_PAGE_ENABLE);
	wrmsr(HV_X64_MSR_SINT0 + REPLY_SINT, 0x40 | HV_SYNIC_SINT_POLLING);
	wrmsr(HV_X64_MSR_SCONTROL, HV_SYNIC_CONTROL_ENABLE);

	n = MAILBOX[0];
	t = rdtsc();
	for (i = 0; i < n; i++)
		cpuid(0, &a, &b, &c, &d);
	MAILBOX[1] = per_call(t, n);

	t = rdtsc();
	for (i = 0; i < n; i++)
		hypercall(HvCallSignalEvent | HV_HYPERCALL_FAST, EVENT_CONNECTION, 0);
	MAILBOX[2] = per_call(t, n);
	MAILBOX[3] = hypercall(HvCallSignalEvent | HV_HYPERCALL_FAST, EVENT_CONNECTION, 0);

	t = rdtsc();
	for (i = 0; i < n; i++)
		hypercall(0x7777 | HV_HYPERCALL_FAST, 0, 0);
	MAILBOX[9] = per_call(t, n);

	n = MAILBOX[4];
	t = rdtsc();
	for (i = 0; i < n; i++)
		outl(BENCH_PORT, i);
	MAILBOX[5] = per_call(t, n);

	in->ConnectionId = MESSAGE_CONNECTION;
	in->RsvdZ = 0;
	in->MessageType = 1;
	in->PayloadSize = 8;
	t = rdtsc();
	for (i = 0; i < n; i++) {
		MAILBOX[7] = hypercall(HvCallPostMessage, PARAM_IN, 0);
		sync_parent(2); /* the parent takes the message and replies */
		while (reply->Header.MessageType == HvMessageTypeNone)
			;
		reply->Header.MessageType = HvMessageTypeNone;
	}
	MAILBOX[6] = per_call(t, n);
	MAILBOX[8] = 0x600d;
}
