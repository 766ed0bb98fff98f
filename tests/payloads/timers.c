/*
 * A child that reads the hypervisor's clocks and uses synthetic timers:
 * TSC/APIC frequency MSRs, the reference counter against the reference TSC
 * page, a periodic direct-mode stimer and a one-shot message-mode stimer.
 */
#include "payload.h"

#define SIM 0x20000
#define SIEF 0x21000
#define TSC_PAGE 0x23000
#define TIMER_SINT 3
#define X2APIC_SVR 0x80f
#define X2APIC_EOI 0x80b
#define MSR_APIC_BASE 0x1b

extern char irq_stub_0x40[], irq_stub_0x50[];

static volatile u32 direct_ticks, messages;
static volatile u64 message_info;

void irq_handler(u32 vector, u64 *frame);
void irq_handler(u32 vector, u64 *frame)
{
	(void)frame;
	volatile HV_MESSAGE *slot = (volatile HV_MESSAGE *)SIM + TIMER_SINT;
	volatile HV_TIMER_MESSAGE_PAYLOAD *pl = (volatile HV_TIMER_MESSAGE_PAYLOAD *)slot->Payload;

	if (vector == 0x50) {
		direct_ticks++;
	} else if (vector == 0x40) {
		message_info = slot->Header.MessageType == HvMessageTimerExpired &&
			       pl->TimerIndex == 1 && pl->ExpirationTime <= pl->DeliveryTime &&
			       slot->Header.PayloadSize == sizeof(HV_TIMER_MESSAGE_PAYLOAD);
		messages++;
		slot->Header.MessageType = HvMessageTypeNone;
		if (slot->Header.MessageFlags & HV_MESSAGE_FLAG_PENDING)
			wrmsr(HV_X64_MSR_EOM, 0);
	}
	wrmsr(X2APIC_EOI, 0);
}


/* timers.md, "Partition Reference TSC Mechanism" */
static u64 page_time(void)
{
	volatile HV_REFERENCE_TSC_PAGE *p = (volatile HV_REFERENCE_TSC_PAGE *)TSC_PAGE;
	u32 seq;
	u64 t;

	do {
		seq = p->TscSequence;
		t = (u64)(((unsigned __int128)rdtsc() * p->TscScale) >> 64) + (u64)p->TscOffset;
	} while (seq != p->TscSequence);
	return t;
}

void payload_main(void)
{
	u64 a, b, c, d;

	idt_set_gate(0x40, irq_stub_0x40);
	idt_set_gate(0x50, irq_stub_0x50);
	idt_load();
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | BIT(10) | BIT(11));
	wrmsr(X2APIC_SVR, 0x1ff);
	enable_hypercalls();
	MAILBOX[0] = rdmsr(HV_X64_MSR_TSC_FREQUENCY);
	MAILBOX[1] = rdmsr(HV_X64_MSR_APIC_FREQUENCY);
	wrmsr(HV_X64_MSR_REFERENCE_TSC, TSC_PAGE | 1);
	a = rdmsr(HV_X64_MSR_TIME_REF_COUNT);
	b = page_time();
	c = rdmsr(HV_X64_MSR_TIME_REF_COUNT);
	d = page_time();
	MAILBOX[2] = a <= b && b <= c && c <= d && d - a < 100000; /* ordered, within 10 ms */
	MAILBOX[3] = ((volatile HV_REFERENCE_TSC_PAGE *)TSC_PAGE)->TscSequence;

	/* Direct mode, periodic, 1 ms, vector 0x50. */
	wrmsr(HV_X64_MSR_STIMER0_CONFIG + 1, 10000);
	wrmsr(HV_X64_MSR_STIMER0_CONFIG, HV_STIMER_ENABLE | HV_STIMER_PERIODIC | HV_STIMER_DIRECT_MODE |
						 (0x50ULL << HV_STIMER_APIC_VECTOR_SHIFT));
	asm volatile("sti");
	while (direct_ticks < 3)
		asm volatile("pause");
	wrmsr(HV_X64_MSR_STIMER0_CONFIG, 0);
	MAILBOX[4] = direct_ticks;

	/* Message mode, one-shot, 2 ms from now, SINT3 (vector 0x40), auto-enabled by the count write. */
	wrmsr(HV_X64_MSR_SIMP, SIM | HV_SYNIC_PAGE_ENABLE);
	wrmsr(HV_X64_MSR_SINT0 + TIMER_SINT, 0x40);
	wrmsr(HV_X64_MSR_SCONTROL, HV_SYNIC_CONTROL_ENABLE);
	wrmsr(HV_X64_MSR_STIMER0_CONFIG + 2, HV_STIMER_AUTO_ENABLE | ((u64)TIMER_SINT << HV_STIMER_SINT_SHIFT));
	wrmsr(HV_X64_MSR_STIMER0_CONFIG + 3, rdmsr(HV_X64_MSR_TIME_REF_COUNT) + 20000);
	while (!messages)
		asm volatile("pause");
	MAILBOX[5] = messages;
	MAILBOX[6] = message_info;
	MAILBOX[7] = rdmsr(HV_X64_MSR_STIMER0_CONFIG + 2) & HV_STIMER_ENABLE; /* one-shot: off again */
	MAILBOX[8] = 0x600d;
	asm volatile("cli");
}
