/*
 * A hostile child: for a bounded count it makes random hypercalls, reads
 * and writes random MSRs and touches random guest-physical addresses. Its
 * own faults (#GP, #PF) are skipped by its handlers; accesses outside its
 * memory reach the parent as intercepts, which skips them too. Nothing it
 * does may reach the parent's, a sibling's or the hypervisor's memory.
 */
#include "payload.h"

#define SCRATCH 0x30000 /* where page-valued MSRs may point: nothing else lives there */
#define ITERATIONS 3000

extern char fault_stub_13[], fault_stub_14[];
static volatile u32 faults;
static u64 state;

void irq_handler(u32 vector, u64 *frame);
void irq_handler(u32 vector, u64 *frame)
{
	(void)vector;
	faults++;
	frame[0] += MAILBOX[7]; /* length of the instruction that faulted (always known here) */
}

static u64 rnd(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static u32 random_msr(void)
{
	static const u32 bases[] = { 0x40000000, 0x40000070, 0x40000080, 0x400000b0, 0x0, 0x800,
				     0xc0000080, 0xc0010000, 0x40000100 };
	u64 r = rnd();

	return bases[r % (sizeof(bases) / sizeof(bases[0]))] + (u32)((r >> 8) % 0x40);
}

/* Writes that would only hurt the child itself (and so end the test early) are aimed elsewhere. */
static bool self_destructive(u32 msr)
{
	return msr == HV_X64_MSR_GUEST_OS_ID || msr == HV_X64_MSR_HYPERCALL || msr == 0xc0000080 ||
	       (msr >= 0xc0000100 && msr <= 0xc0000102) || msr == 0x1b || (msr >= 0x800 && msr < 0x840);
}

static void random_hypercall(void)
{
	u64 control = (rnd() & 0xff) | (rnd() & 0xfff000ffff0000ULL);
	u64 in = rnd() % 2 ? rnd() & 0x3fff8 : rnd();
	u64 out = rnd() % 2 ? rnd() & 0x3fff8 : rnd();

	/* Keep the hypercall page, the code and the stack intact. */
	if ((in & ~0xfffULL) == HYPERCALL_PAGE || (out & ~0xfffULL) == HYPERCALL_PAGE ||
	    (out >= 0x7000 && out < 0x12000))
		return;
	hypercall(control, in, out);
}

static void random_msr_access(void)
{
	u32 msr = random_msr();
	u64 v;

	MAILBOX[7] = 2;
	if (rnd() % 2) {
		u32 lo, hi;

		asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
		return;
	}
	v = rnd();
	if (self_destructive(msr))
		return;
	if (msr == HV_X64_MSR_SIMP || msr == HV_X64_MSR_SIEFP || msr == HV_X64_MSR_REFERENCE_TSC ||
	    msr == HV_X64_MSR_VP_ASSIST_PAGE)
		v = SCRATCH + (v & 0xf001);
	asm volatile("wrmsr" ::"c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

static void wild_access(void)
{
	u64 gpa = 0x40000 + (rnd() & 0x3ffffff8); /* beyond the child's RAM, inside its page tables */
	u64 v = 0;

	MAILBOX[7] = 3;
	if (rnd() % 2)
		asm volatile("movq (%%rax), %%rcx" : "=c"(v) : "a"(gpa) : "memory");
	else
		asm volatile("movq %%rcx, (%%rax)" ::"a"(gpa), "c"(v) : "memory");
}

void payload_main(void)
{
	unsigned i;

	idt_set_gate(13, fault_stub_13);
	idt_set_gate(14, fault_stub_14);
	idt_load();
	state = MAILBOX[0] | 1;
	enable_hypercalls();
	for (i = 0; i < ITERATIONS; i++) {
		switch (rnd() % 3) {
		case 0:
			random_hypercall();
			break;
		case 1:
			random_msr_access();
			break;
		case 2:
			wild_access();
			break;
		}
	}
	MAILBOX[1] = i;
	MAILBOX[2] = faults;
	MAILBOX[3] = 0x600d;
}
