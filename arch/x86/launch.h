/* Taking over a running logical processor from the firmware (late launch). */
#ifndef ARCH_X86_LAUNCH_H
#define ARCH_X86_LAUNCH_H

#include "hv/types.h"
#include "arch/x86/segment.h"

/* What entry.S pushed on the firmware's stack (lowest address first). */
struct launch_frame {
	u64 rflags, r15, r14, r13, r12, rbx, rbp;
	u64 rip; /* the loader's return address */
};

/* The firmware's state at the call: the root VP resumes from it. */
struct launch_state {
	const struct launch_frame *frame;
	u64 rsp; /* after the return */
	struct x86_segment cs, ss, ds, es;
	u64 gdt_base, idt_base;
	u16 gdt_limit, idt_limit;
	u64 cr0, cr3, cr4, efer, pat, dr7, dr6;
};

void launch_capture(const struct launch_frame *f, struct launch_state *ls);
/* Loads the hypervisor's own GDT, TSS, IDT and page tables on this LP. */
void launch_switch_to_host(struct lp *lp, u64 cr3);
/* Switches to @stack_top and calls fn(lp); never returns. */
__noreturn void launch_jump(struct lp *lp, u64 stack_top, __noreturn void (*fn)(struct lp *));

#endif
