/*
 * Scheduler benchmarks from inside (tests/efi/bench_sched.c sets the mode
 * in MAILBOX[0] before starting the VPs; under -icount the TSC counts
 * instructions):
 *   COUNT   every VP counts in a two-instruction loop, so the parent can
 *           tell useful instructions from the scheduler's.
 *   SWITCH  two VPs on one LP log the stretches they ran (first and last
 *           TSC reading); between one VP's last reading and the other's
 *           first lies the switch.
 *   WAKE    VP 0 halts with SynIC SINT 3 on vector 0x40; each message's
 *           interrupt records the TSC for the parent to compare with the
 *           moment it posted.
 */
#include "payload.h"

#define MODE_COUNT 1
#define MODE_SWITCH 2
#define MODE_WAKE 3
#define SHARED ((volatile u64 *)0x30000)  /* counters from [8] */
#define STRETCHES(vp) ((volatile u64 *)(0x31000 + (vp) * 0x800)) /* [0] count, then (first, last) */
#define MAX_STRETCHES 127
#define GAP 20000
#define SIM 0x20000
#define IDT 0x22000
#define WAKE_SINT 3
#define X2APIC_SVR 0x80f
#define X2APIC_EOI 0x80b
#define MSR_APIC_BASE 0x1b

extern char irq_stub_0x40[];


void irq_handler(u32 vector, u64 *frame);
void irq_handler(u32 vector, u64 *frame)
{
	volatile HV_MESSAGE *slot = (volatile HV_MESSAGE *)SIM + WAKE_SINT;
	u64 t = rdtsc();

	(void)vector;
	(void)frame;
	if (MAILBOX[1] < 60)
		MAILBOX[2 + MAILBOX[1]] = t;
	MAILBOX[1]++;
	slot->Header.MessageType = HvMessageTypeNone;
	if (slot->Header.MessageFlags & HV_MESSAGE_FLAG_PENDING)
		wrmsr(HV_X64_MSR_EOM, 0);
	wrmsr(X2APIC_EOI, 0);
}

static void wake(void)
{
	struct __attribute__((packed)) {
		u16 limit;
		u64 base;
	} idtr = { 256 * 16 - 1, IDT };
	u64 *gate = (u64 *)IDT + 0x40 * 2, a = (u64)irq_stub_0x40;

	gate[0] = (a & 0xffff) | (0x08ULL << 16) | (0x8eULL << 40) | ((a >> 16) << 48);
	gate[1] = a >> 32;
	asm volatile("lidt %0" ::"m"(idtr));
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | BIT(10) | BIT(11));
	wrmsr(X2APIC_SVR, 0x1ff);
	wrmsr(HV_X64_MSR_SIMP, SIM | HV_SYNIC_PAGE_ENABLE);
	wrmsr(HV_X64_MSR_SINT0 + WAKE_SINT, 0x40);
	wrmsr(HV_X64_MSR_SCONTROL, HV_SYNIC_CONTROL_ENABLE);
	MAILBOX[8 + 60] = 1; /* ready */
	for (;;)
		asm volatile("sti; hlt; cli");
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
	case MODE_WAKE:
		wake();
		break;
	case MODE_SWITCH:
		switches(vp);
		break;
	default:
		/* Two instructions an iteration: the parent counts on it. */
		asm volatile("1: incq (%0); jmp 1b" ::"r"(counter) : "memory");
	}
}
