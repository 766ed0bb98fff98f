/* A child waiting for an interrupt its parent asserts (HvCallAssertVirtualInterrupt). */
#include "payload.h"

#define X2APIC_SVR 0x80f
#define X2APIC_EOI 0x80b

extern char irq_stub_0x50[];
static volatile u32 got;

void irq_handler(u32 vector, u64 *frame);
void irq_handler(u32 vector, u64 *frame)
{
	(void)frame;
	if (vector == 0x50)
		got++;
	wrmsr(X2APIC_EOI, 0);
}

void payload_main(void)
{
	idt_set_gate(0x50, irq_stub_0x50);
	idt_load();
	wrmsr(0x1b, rdmsr(0x1b) | BIT(10) | BIT(11));
	wrmsr(X2APIC_SVR, 0x1ff);
	sync_parent(1);
	while (!got)
		asm volatile("sti; hlt");
	MAILBOX[0] = got;
	MAILBOX[1] = 0x600d;
	asm volatile("cli");
}
