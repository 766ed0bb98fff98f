#ifndef ARCH_X86_DESC_H
#define ARCH_X86_DESC_H

#define HOST_CS 0x08
#define HOST_DS 0x10
#define HOST_TR 0x18

#include "hv/types.h"

struct __packed idt_gate {
	u16 offset0;
	u16 selector;
	u8 ist;
	u8 type;
	u16 offset1;
	u32 offset2;
	u32 reserved;
};

/* A present 64-bit interrupt gate to @handler in the hypervisor's code segment. */
struct idt_gate idt_gate(u64 handler);

/* The fatal exception entries of exception.S, by vector. */
extern const u64 exception_vectors[32];
/* host_irq.S: every other vector (EOI and return), and the spurious one. */
void host_irq(void);
void host_irq_spurious(void);

struct lp;
/* Loads this LP's GDT, TSS and the shared IDT, and points GS at the lp. */
void desc_load(struct lp *lp);

#endif
