/* Mailbox layout shared by tests/payloads/tlb.c and tests/efi/test_tlb.c. */
#ifndef TESTS_PAYLOAD_TLB_H
#define TESTS_PAYLOAD_TLB_H

/* Child GPAs (inside CHILD_PAGES): a page table, the two pages it maps in turn, a page to unmap. */
#define TLB_PT_GPA 0x38000
#define TLB_PAGE_A_GPA 0x39000
#define TLB_PAGE_B_GPA 0x3a000
#define TLB_UNMAP_GPA 0x3b000
#define TLB_WINDOW_GVA 0x200000 /* PD entry 1: the page table above */
#define TLB_VP1_STACK 0xc000
#define TLB_VALUE_A 0xaaaa
#define TLB_VALUE_B 0xbbbb
#define TLB_VALUE_UNMAP 0x5ee

/* MAILBOX slots */
#define TLB_GO 0          /* VP 0 built the window: VP 1 may read it */
#define TLB_ITER 1        /* VP 1's loop count */
#define TLB_SEEN 2        /* what VP 1 last read through the window */
#define TLB_SEEN_UNMAP 3  /* what VP 1 last read at TLB_UNMAP_GPA */
#define TLB_PROBE0 4      /* HV_X64_MSR_SCHED_PROBE of VP 0 and VP 1 */
#define TLB_PROBE1 5
#define TLB_DONE 6        /* VP 0 finished: statuses and results below */
#define TLB_UNFLUSHED 7   /* what VP 1 read after a PTE change without a flush */
#define TLB_STATUS 8      /* TLB_CALLS statuses, result values as the call returned them */
#define TLB_RESULT 32     /* per flush form: what VP 1 read after the flush */
#define TLB_APIC_OUT 40   /* HvCallGetVpIndexFromApicId output for APIC IDs 1 and 0 */
#define TLB_HINTS 42      /* CPUID 0x40000004 EAX */
#define TLB_IF_CLEAR 43   /* set by the parent: VP 1 spins with interrupts off */

enum tlb_call {
	TLB_RESERVED_FLAG,    /* Space, flag bit 4 */
	TLB_EMPTY_MASK,       /* Space, no processors */
	TLB_BAD_SPACE,        /* Space, CR3 with bit 63 and no "all spaces" */
	TLB_LIST_NON_GLOBAL,  /* List, NonGlobalMappingsOnly */
	TLB_LIST_EXTENDED,    /* List, UseExtendedRangeFormat (not offered) */
	TLB_EX_BAD_FORMAT,    /* SpaceEx, HV_VP_SET format 2 */
	TLB_EX_SHORT_HEADER,  /* SpaceEx, two banks, one in the variable header */
	TLB_FAST,             /* Space as a fast call: 24 bytes do not fit */
	TLB_LIST_REPS,        /* List, 3 GVA ranges: success, 3 reps */
	TLB_APIC_IDS,         /* GetVpIndexFromApicId, APIC IDs 1 and 0 */
	TLB_APIC_MISSING,     /* GetVpIndexFromApicId, APIC ID 5 */
	TLB_APIC_VTL,         /* GetVpIndexFromApicId, TargetVtl 1 */
	TLB_CALLS
};

/* The four forms, each moving the window to the other page: B, A, B, A. */
enum tlb_form { TLB_SPACE, TLB_LIST, TLB_SPACE_EX, TLB_LIST_EX_ALL, TLB_FORMS };

#endif
