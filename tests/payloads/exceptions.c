/*
 * A child whose exceptions its parent intercepts (HvCallInstallIntercept,
 * HvInterceptTypeException): #UD twice (re-injected, then skipped by the
 * parent), #GP and #PF (re-injected with their error code and CR2), then
 * #UD once more after the parent removed that intercept and #DE, which it
 * never installed: those two go to the child's own IDT. tests/efi/test_lifecycle.c
 * checks what the handlers counted.
 */
#include "payload.h"

#define UNMAPPED 0x40000000 /* the parent's page tables map the first GiB only */

extern char irq_stub_0[], irq_stub_6[], gp_entry[], fault_stub_14[];
static volatile u64 seen[32];
static volatile u64 cr2;
volatile u64 gp_error;

/* #GP as fault_stub_13 handles it, keeping its error code for the parent to check. */
asm(".globl gp_entry\n"
    "gp_entry:\n"
    "	push %rax\n"
    "	mov 8(%rsp), %rax\n"
    "	mov %rax, gp_error(%rip)\n"
    "	pop %rax\n"
    "	jmp fault_stub_13\n");

void irq_handler(u32 vector, u64 *frame);
void irq_handler(u32 vector, u64 *frame)
{
	/* Each faulting instruction below, skipped by its length. */
	static const u8 length[32] = { [0] = 3, [6] = 2, [13] = 2, [14] = 8 };

	seen[vector]++;
	if (vector == 14)
		asm volatile("mov %%cr2, %0" : "=r"(cr2));
	frame[0] += length[vector];
}

void payload_main(void)
{
	u64 v;

	idt_set_gate(0, irq_stub_0);
	idt_set_gate(6, irq_stub_6);
	idt_set_gate(13, gp_entry);
	idt_set_gate(14, fault_stub_14);
	idt_load();
	asm volatile("ud2");                                           /* re-injected */
	asm volatile("ud2");                                           /* skipped */
	asm volatile("mov %0, %%ds" ::"r"((u16)0x28));                 /* #GP(0x28): beyond the GDT */
	asm volatile("mov %1, %0" : "=r"(v) : "m"(*(volatile u64 *)UNMAPPED)); /* #PF */
	asm volatile("ud2");                                           /* intercept removed */
	asm volatile("div %%rcx" ::"a"(1), "d"(0), "c"(0));          /* #DE: never intercepted */
	MAILBOX[0] = seen[6];
	MAILBOX[1] = seen[13];
	MAILBOX[2] = gp_error;
	MAILBOX[3] = seen[14];
	MAILBOX[4] = cr2;
	MAILBOX[5] = seen[0];
	MAILBOX[6] = 0x600d;
}
