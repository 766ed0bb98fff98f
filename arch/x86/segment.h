#ifndef ARCH_X86_SEGMENT_H
#define ARCH_X86_SEGMENT_H

#include "hv/types.h"

/* A segment register with its hidden part, in the AMD VMCB attribute packing. */
struct x86_segment {
	u16 selector;
	u16 attrib; /* descriptor bits 47:40 in 7:0, bits 55:52 in 11:8 */
	u32 limit;
	u64 base;
};

#define SEG_ATTR_P BIT(7)
#define SEG_ATTR_L BIT(9)
#define SEG_ATTR_DB BIT(10)
#define SEG_ATTR_G BIT(11)

/* Reads the descriptor for @selector from a GDT in memory. */
void segment_from_gdt(u64 gdt_base, u16 gdt_limit, u16 selector, struct x86_segment *s);

#endif
