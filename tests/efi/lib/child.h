/*
 * A child partition built the way a VMM would: create, deposit, initialize,
 * map RAM, create VP 0 in 64-bit mode at the payload's entry, map its
 * intercept message page, then dispatch it until it needs the parent.
 *
 * Child GPA layout (CHILD_PAGES pages of RAM from GPA 0):
 *   0x1000 PML4, 0x2000 PDPT, 0x3000 PD (first 1 GiB, 2 MiB pages)
 *   0x4000 GDT (0x08 code64, 0x10 data), 0x5000 mailbox, 0x6000 hypercall page,
 *   0x7000-0xffff stack, 0x10000 payload.
 */
#ifndef TESTS_EFI_CHILD_H
#define TESTS_EFI_CHILD_H

#include "hvapi.h"

#define CHILD_PAGES 64
#define CHILD_DEPOSIT_PAGES 16
#define CHILD_MAILBOX_GPA 0x5000
#define CHILD_PAYLOAD_GPA 0x10000
#define CHILD_STACK_TOP 0x10000
#define CHILD_DEBUG_PORT 0xe9

struct child {
	HV_PARTITION_ID id;
	u8 *ram;          /* parent's view of the child's RAM */
	HV_MESSAGE *msg;  /* intercept message page */
	volatile u64 *mailbox; /* the payload writes its results here, while the parent reads */
	char console[256];
	UINTN console_len;
	unsigned spin_yields; /* dispatches ended by HvCallNotifyLongSpinWait */
};

/* Returns HV_STATUS_SUCCESS or the first failing call's status; *step names it. */
HV_STATUS child_create(struct child *c, const void *payload, UINTN size, const CHAR16 **step);
/*
 * The same with one early property (HwThreadCountPerCore, PrivilegeFlags)
 * set before the partition is initialized; property code 0: none.
 */
HV_STATUS child_create_early(struct child *c, const void *payload, UINTN size,
			     u32 property, u64 value, const CHAR16 **step);

/* Another VP in the same 64-bit state as VP 0, with its own stack. */
HV_STATUS child_add_vp(struct child *c, u32 vp, u64 rsp);
/* A stopped VP back at the payload's entry. */
HV_STATUS child_reset_vp(struct child *c, u32 vp, u64 rsp);

/*
 * Dispatches VP 0 until it halts, faults for good or needs something the
 * loop does not handle; port 0xE9 output is collected in c->console (and
 * echoed). Returns the last intercept message type (HvMessageTypeNone if
 * dispatch itself failed; *status then says why).
 */
u32 child_run(struct child *c, HV_STATUS *status);

/* Completes the I/O instruction child_run stopped at; returns the value an OUT wrote. */
u32 child_complete_io(struct child *c, HV_STATUS *status);

/*
 * VP 0 scheduled by the hypervisor (ExplicitSuspend cleared, with LPs left
 * for children: docs/scheduler.md) has no dispatch to return from: its
 * intercepts arrive on SINT 0 of the parent's SynIC (@sim, the parent's SIM
 * page; SINT 0 unmasked and taking only this child's intercepts) while it
 * waits in InterceptSuspend. child_intercept takes the one waiting, if
 * any, into c->msg and returns its type (HvMessageTypeNone: none); port
 * 0xE9 output is collected and the VP resumed here, as child_run does.
 * child_resume completes the instruction and lets the VP go on.
 */
u32 child_intercept(struct child *c, HV_MESSAGE *sim, HV_STATUS *status);
HV_STATUS child_resume(struct child *c);
/* Port a payload writes to when it wants the parent to act (tests/payloads/payload.h). */
#define CHILD_SYNC_PORT 0x600

#endif
