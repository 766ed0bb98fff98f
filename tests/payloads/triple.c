/* A child that dies: no IDT, then an invalid opcode, so #UD escalates to a triple fault. */
#include "payload.h"

void payload_main(void)
{
	struct __attribute__((packed)) {
		u16 limit;
		u64 base;
	} idtr = { 0, 0 };

	puts("about to triple fault\n");
	MAILBOX[0] = 0xdead;
	asm volatile("lidt %0; ud2" ::"m"(idtr));
}
