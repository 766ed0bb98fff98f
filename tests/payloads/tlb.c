/*
 * Guest TLB flushes (tests/efi/test_tlb.c). VP 1 reads a GVA window in a
 * loop that never exits; VP 0, on another LP, points the window's PTE at
 * another page and calls a HvCallFlushVirtualAddress form for VP 1: from
 * the call's return on, VP 1 must read the new page. VP 1 also reads a page
 * its parent will unmap, which it must stop reaching once the unmap
 * returns. VP 0 also makes the calls that must fail.
 */
#include "payload.h"
#include "tlb.h"
#include "hv/vp_sched.h" /* HV_X64_MSR_SCHED_PROBE */

#define PTE_P 1ULL
#define PTE_RW 2ULL
#define PD_GPA 0x3000

static volatile u64 *const pt = (volatile u64 *)TLB_PT_GPA;

static void reader(void)
{
	/*
	 * Nothing is injected either way (no interrupt source is set up). With
	 * IF clear, only the LP's timer or the VMX preemption timer gets VP 1
	 * off its LP: Bochs takes no external-interrupt exit then (docs/vmx.md).
	 */
	if (!MAILBOX[TLB_IF_CLEAR])
		asm volatile("sti");
	while (!MAILBOX[TLB_GO])
		;
	/* Where it runs from now on: its loop has no exit to move it by. */
	MAILBOX[TLB_PROBE1] = rdmsr(HV_X64_MSR_SCHED_PROBE);
	for (;;) {
		MAILBOX[TLB_SEEN] = *(volatile u64 *)TLB_WINDOW_GVA;
		MAILBOX[TLB_SEEN_UNMAP] = *(volatile u64 *)TLB_UNMAP_GPA;
		MAILBOX[TLB_ITER]++;
	}
}

/* What VP 1 reads once it has gone round its loop a few times from now. */
static u64 reader_sees(void)
{
	u64 start = MAILBOX[TLB_ITER];
	u32 spins;

	for (spins = 0; spins < 100000000 && MAILBOX[TLB_ITER] < start + 3; spins++)
		;
	return MAILBOX[TLB_SEEN];
}

/* A flush for VP 1 (bank 0 of an Ex set when @banks), with @reps copies of the window's GVA. */
static u64 flush_call(u16 code, u64 flags, u64 mask_or_format, u16 reps, u16 banks)
{
	volatile u64 *in = (volatile u64 *)PARAM_IN;
	bool ex = code == HvCallFlushVirtualAddressSpaceEx || code == HvCallFlushVirtualAddressListEx;
	u32 list = ex ? 4 + banks : 3, i;

	in[0] = TLB_PT_GPA; /* any CR3: all address spaces are flushed */
	in[1] = flags;
	in[2] = mask_or_format;
	if (ex) {
		in[3] = banks ? 1 : 0;
		in[4] = 2;
	}
	for (i = 0; i < reps; i++)
		in[list + i] = TLB_WINDOW_GVA;
	return hypercall(code | (u64)banks << HV_HYPERCALL_VARHEAD_SHIFT |
			 (u64)reps << HV_HYPERCALL_REP_COUNT_SHIFT, PARAM_IN, PARAM_OUT);
}

static u64 apic_call(u8 vtl, u32 count, const u32 *ids)
{
	volatile u64 *in = (volatile u64 *)PARAM_IN;
	u32 i;

	in[0] = HV_PARTITION_ID_SELF;
	in[1] = vtl;
	for (i = 0; i < count; i++)
		in[2 + i] = ids[i];
	return hypercall(HvCallGetVpIndexFromApicId | (u64)count << HV_HYPERCALL_REP_COUNT_SHIFT,
			 PARAM_IN, PARAM_OUT);
}

static void failures(void)
{
	static const u32 ids[] = { 1, 0 }, missing[] = { 5 };
	volatile u64 *status = &MAILBOX[TLB_STATUS];
	volatile u64 *in = (volatile u64 *)PARAM_IN, *out = (volatile u64 *)PARAM_OUT;

	status[TLB_RESERVED_FLAG] = flush_call(HvCallFlushVirtualAddressSpace, BIT(4), 2, 0, 0);
	status[TLB_EMPTY_MASK] = flush_call(HvCallFlushVirtualAddressSpace, 0, 0, 0, 0);
	in[0] = BIT(63) | TLB_PT_GPA;
	in[2] = 2;
	status[TLB_BAD_SPACE] = hypercall(HvCallFlushVirtualAddressSpace, PARAM_IN, PARAM_OUT);
	status[TLB_LIST_NON_GLOBAL] = flush_call(HvCallFlushVirtualAddressList,
						 HV_FLUSH_NON_GLOBAL_MAPPINGS_ONLY, 2, 1, 0);
	status[TLB_LIST_EXTENDED] = flush_call(HvCallFlushVirtualAddressList,
					       HV_FLUSH_USE_EXTENDED_RANGE_FORMAT, 2, 1, 0);
	status[TLB_EX_BAD_FORMAT] = flush_call(HvCallFlushVirtualAddressSpaceEx, 0, 2, 0, 1);
	in[2] = HV_GENERIC_SET_SPARSE_4K;
	in[3] = 3; /* banks 0 and 1 valid, only one in the header */
	status[TLB_EX_SHORT_HEADER] = hypercall(HvCallFlushVirtualAddressSpaceEx |
						(u64)1 << HV_HYPERCALL_VARHEAD_SHIFT, PARAM_IN, PARAM_OUT);
	status[TLB_FAST] = hypercall(HvCallFlushVirtualAddressSpace | HV_HYPERCALL_FAST, 0, 0);
	status[TLB_LIST_REPS] = flush_call(HvCallFlushVirtualAddressList, 0, 2, 3, 0);
	status[TLB_APIC_IDS] = apic_call(0, 2, ids);
	MAILBOX[TLB_APIC_OUT] = out[0];
	MAILBOX[TLB_APIC_OUT + 1] = out[1];
	status[TLB_APIC_MISSING] = apic_call(0, 1, missing);
	status[TLB_APIC_VTL] = apic_call(1, 1, ids);
}

static void point_window(u64 page)
{
	pt[0] = page | PTE_P | PTE_RW;
}

static void flusher(void)
{
	static const u64 page[] = { TLB_PAGE_B_GPA, TLB_PAGE_A_GPA },
			 value[] = { TLB_VALUE_B, TLB_VALUE_A };
	u32 form, hints, b, c, d;

	cpuid(0x40000004, &hints, &b, &c, &d);
	MAILBOX[TLB_HINTS] = hints;
	enable_hypercalls();
	*(volatile u64 *)TLB_PAGE_A_GPA = TLB_VALUE_A;
	*(volatile u64 *)TLB_PAGE_B_GPA = TLB_VALUE_B;
	point_window(TLB_PAGE_A_GPA);
	((volatile u64 *)PD_GPA)[1] = TLB_PT_GPA | PTE_P | PTE_RW;
	asm volatile("invlpg (%0)" ::"r"((u64)TLB_WINDOW_GVA) : "memory");
	MAILBOX[TLB_GO] = 1;
	reader_sees();
	MAILBOX[TLB_PROBE0] = rdmsr(HV_X64_MSR_SCHED_PROBE);
	failures();
	/* Without a flush VP 1 may go on reading A; recorded, not required. */
	point_window(TLB_PAGE_B_GPA);
	MAILBOX[TLB_UNFLUSHED] = reader_sees();
	for (form = 0; form < TLB_FORMS; form++) {
		point_window(page[form & 1]);
		switch (form) {
		case TLB_SPACE:
			flush_call(HvCallFlushVirtualAddressSpace, 0, 2, 0, 0);
			break;
		case TLB_LIST:
			flush_call(HvCallFlushVirtualAddressList, 0, 2, 1, 0);
			break;
		case TLB_SPACE_EX:
			flush_call(HvCallFlushVirtualAddressSpaceEx, HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES,
				   HV_GENERIC_SET_SPARSE_4K, 0, 1);
			break;
		case TLB_LIST_EX_ALL:
			flush_call(HvCallFlushVirtualAddressListEx, HV_FLUSH_ALL_PROCESSORS,
				   HV_GENERIC_SET_ALL, 1, 0);
			break;
		}
		MAILBOX[TLB_RESULT + form] = reader_sees() == value[form & 1];
	}
	MAILBOX[TLB_DONE] = 1;
}

void payload_main(void)
{
	if (rdmsr(HV_X64_MSR_VP_INDEX) == 1)
		reader();
	flusher();
}
