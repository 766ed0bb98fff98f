#ifndef HV_VP_REGS_H
#define HV_VP_REGS_H

#include "hv/types.h"

/*
 * General-purpose registers saved around each guest run. RSP and RIP (and on
 * AMD, RAX) live in the vendor control block; the backend keeps rax here in
 * sync so hv/ reads one place.
 */
struct vp_regs {
	u64 rax, rcx, rdx, rbx, rsp_unused, rbp, rsi, rdi;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
};

#endif
