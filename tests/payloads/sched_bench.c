/*
 * Scheduler benchmarks from inside (tests/efi/bench_sched.c sets the mode
 * in MAILBOX[0] before starting the VPs; under -icount the TSC counts
 * instructions):
 *   COUNT   every VP counts in a two-instruction loop, so the parent can
 *           tell useful instructions from the scheduler's.
 *   SWITCH  two VPs on one LP log the stretches they ran (first and last
 *           TSC reading); between one VP's last reading and the other's
 *           first lies the switch.
 *   WAKE_MESSAGE  VP 0 halts with SynIC SINT 3 on vector 0x40; each
 *           message's interrupt records the TSC for the parent to compare
 *           with the moment it posted.
 *   WAKE_TIMER    VP 0 halts until its one-shot STIMER0 sends its message
 *           to SINT 3; the interrupt records how long after the expiration
 *           it ran, in TSC ticks, the expiration converted with the
 *           reference TSC page's offset as the hypervisor converts it.
 *   INTERCEPT     VP 0 writes ports 0x99 and 0x9A, which its parent
 *           handles, then counts 2 in MAILBOX[1] and halts for good.
 *   CPUID         each VP n stores what CPUID tells it of the topology at
 *           MAILBOX[8 + 4n...]: leaf 1 EBX, leaf 0xB EAX and EBX, leaf
 *           0x8000001E EBX; then halts for good.
 */
#include "payload.h"

#define MODE_COUNT 1
#define MODE_SWITCH 2
#define MODE_WAKE_MESSAGE 3
#define MODE_WAKE_TIMER 4
#define MODE_INTERCEPT 5
#define MODE_CPUID 6
#define SHARED ((volatile u64 *)0x30000)  /* counters from [8] */
#define STRETCHES(vp) ((volatile u64 *)(0x31000 + (vp) * 0x800)) /* [0] count, then (first, last) */
#define MAX_STRETCHES 127
#define GAP 20000
#define SIM 0x20000
#define TSC_PAGE 0x24000
#define REF_HZ 10000000ULL
#define WAKE_AFTER 2000 /* 200 us of reference time */
#define WAKE_RECORDS 60
#define WAKE_SINT 3
#define X2APIC_SVR 0x80f
#define X2APIC_EOI 0x80b
#define MSR_APIC_BASE 0x1b

extern char irq_stub_0x40[];
static u64 tsc_hz;

/* The TSC at which reference time @ref begins: reftime_to_tsc's arithmetic. */
static u64 ref_to_tsc(u64 ref)
{
	u64 ticks = ref - (u64)((volatile HV_REFERENCE_TSC_PAGE *)TSC_PAGE)->TscOffset;

	return ticks / REF_HZ * tsc_hz + ticks % REF_HZ * tsc_hz / REF_HZ;
}

void irq_handler(u32 vector, u64 *frame);
void irq_handler(u32 vector, u64 *frame)
{
	volatile HV_MESSAGE *slot = (volatile HV_MESSAGE *)SIM + WAKE_SINT;
	u64 t = rdtsc();

	(void)vector;
	(void)frame;
	if (MAILBOX[0] == MODE_WAKE_TIMER)
		t -= ref_to_tsc(((volatile HV_TIMER_MESSAGE_PAYLOAD *)slot->Payload)->ExpirationTime);
	if (MAILBOX[1] < WAKE_RECORDS)
		MAILBOX[2 + MAILBOX[1]] = t;
	MAILBOX[1]++;
	slot->Header.MessageType = HvMessageTypeNone;
	if (slot->Header.MessageFlags & HV_MESSAGE_FLAG_PENDING)
		wrmsr(HV_X64_MSR_EOM, 0);
	wrmsr(X2APIC_EOI, 0);
}

static void wake(void)
{
	idt_set_gate(0x40, irq_stub_0x40);
	idt_load();
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | BIT(10) | BIT(11));
	wrmsr(X2APIC_SVR, 0x1ff);
	wrmsr(HV_X64_MSR_SIMP, SIM | HV_SYNIC_PAGE_ENABLE);
	wrmsr(HV_X64_MSR_SINT0 + WAKE_SINT, 0x40);
	wrmsr(HV_X64_MSR_SCONTROL, HV_SYNIC_CONTROL_ENABLE);
	MAILBOX[2 + WAKE_RECORDS] = 1; /* ready */
	if (MAILBOX[0] == MODE_WAKE_TIMER) {
		tsc_hz = rdmsr(HV_X64_MSR_TSC_FREQUENCY);
		wrmsr(HV_X64_MSR_REFERENCE_TSC, TSC_PAGE | 1);
		wrmsr(HV_X64_MSR_STIMER0_CONFIG, HV_STIMER_AUTO_ENABLE |
						 ((u64)WAKE_SINT << HV_STIMER_SINT_SHIFT));
	}
	for (;;) {
		u64 seen = MAILBOX[1];

		if (MAILBOX[0] == MODE_WAKE_TIMER && seen < WAKE_RECORDS)
			wrmsr(HV_X64_MSR_STIMER0_CONFIG + 1,
			      rdmsr(HV_X64_MSR_TIME_REF_COUNT) + WAKE_AFTER);
		while (MAILBOX[1] == seen)
			asm volatile("sti; hlt; cli");
	}
}

/* Each stretch the VP ran without a gap: its first and last reading. */
static void switches(u64 vp)
{
	volatile u64 *log = STRETCHES(vp);
	u64 start = rdtsc(), prev = start, t;

	for (;;) {
		t = rdtsc();
		if (t - prev > GAP) {
			if (log[0] < MAX_STRETCHES) {
				log[1 + 2 * log[0]] = start;
				log[2 + 2 * log[0]] = prev;
				log[0]++;
			}
			start = t;
		}
		prev = t;
	}
}

void payload_main(void)
{
	u64 vp = rdmsr(HV_X64_MSR_VP_INDEX);
	volatile u64 *counter = &SHARED[8 + vp];

	switch (MAILBOX[0]) {
	case MODE_WAKE_MESSAGE:
	case MODE_WAKE_TIMER:
		wake();
		break;
	case MODE_SWITCH:
		switches(vp);
		break;
	case MODE_CPUID: {
		u32 a, b, c, d;

		cpuid(1, &a, &b, &c, &d);
		MAILBOX[8 + 4 * vp] = b;
		cpuid(0xb, &a, &b, &c, &d);
		MAILBOX[9 + 4 * vp] = a;
		MAILBOX[10 + 4 * vp] = b;
		cpuid(0x8000001e, &a, &b, &c, &d);
		MAILBOX[11 + 4 * vp] = b | 1ULL << 32; /* done */
		for (;;)
			asm volatile("cli; hlt");
	}
	case MODE_INTERCEPT:
		asm volatile("outb %%al, $0x99" ::"a"(0x1234ULL));
		asm volatile("outb %%al, $0x9a" ::"a"(0x5678ULL));
		MAILBOX[1] = 2;
		for (;;)
			asm volatile("cli; hlt");
	default:
		/* Two instructions an iteration: the parent counts on it. */
		asm volatile("1: incq (%0); jmp 1b" ::"r"(counter) : "memory");
	}
}
