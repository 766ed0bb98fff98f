/*
 * Guest TLB shootdown (issue #3, "Enlightenments" and "Robustness"): the
 * HvCallFlushVirtualAddress calls, HvCallGetVpIndexFromApicId, and a parent
 * unmapping a page a child VP is reading on another LP.
 *
 * Run with -smp 3, root_lps=1, the classic type and hv_options=sched_probe:
 * the parent keeps LP 0, and the child's two VPs (tests/payloads/tlb.c)
 * run on LPs 1 and 2. VP 1 reads through a GVA window in a loop that never
 * exits, so only a shootdown that reaches it on its own LP makes it see a
 * PTE change: under QEMU its translation cache otherwise lasts until its
 * LP's next world switch (its slice ends after 10 ms). Load option
 * "if-clear": VP 1 spins with interrupts off, so that only slice ends get
 * it off its LP under Bochs (the VMX preemption timer, docs/vmx.md).
 */
#include "lib/tefi.h"
#include "lib/child.h"
#include "../payloads/tlb.h"

extern const u8 payload_tlb_start[], payload_tlb_end[];

#define MS 1000
#define UNMAPPED_MAGIC 0xdeadbeefULL

static const struct {
	enum tlb_call call;
	HV_STATUS status;
	u32 reps;
	const CHAR16 *what;
} expected[] = {
	{ TLB_RESERVED_FLAG, HV_STATUS_INVALID_PARAMETER, 0, L"a reserved flag: INVALID_PARAMETER" },
	{ TLB_EMPTY_MASK, HV_STATUS_INVALID_PARAMETER, 0, L"no processors: INVALID_PARAMETER" },
	{ TLB_BAD_SPACE, HV_STATUS_INVALID_PARAMETER, 0,
	  L"a CR3 beyond the physical address width: INVALID_PARAMETER" },
	{ TLB_LIST_NON_GLOBAL, HV_STATUS_INVALID_PARAMETER, 0,
	  L"List with NonGlobalMappingsOnly: INVALID_PARAMETER" },
	{ TLB_LIST_EXTENDED, HV_STATUS_INVALID_PARAMETER, 0,
	  L"List with extended ranges (not offered): INVALID_PARAMETER" },
	{ TLB_EX_BAD_FORMAT, HV_STATUS_INVALID_PARAMETER, 0, L"Ex, VP set format 2: INVALID_PARAMETER" },
	{ TLB_EX_SHORT_HEADER, HV_STATUS_INVALID_HYPERCALL_INPUT, 0,
	  L"Ex, two banks in a one-bank header: INVALID_HYPERCALL_INPUT" },
	{ TLB_FAST, HV_STATUS_INVALID_HYPERCALL_INPUT, 0,
	  L"Space as a fast call (24 bytes): INVALID_HYPERCALL_INPUT" },
	{ TLB_LIST_REPS, HV_STATUS_SUCCESS, 3, L"List of 3 GVA ranges: success, 3 reps" },
	{ TLB_APIC_IDS, HV_STATUS_SUCCESS, 2, L"GetVpIndexFromApicId of APIC IDs 1, 0: success, 2 reps" },
	{ TLB_APIC_MISSING, HV_STATUS_INVALID_PARAMETER, 0,
	  L"GetVpIndexFromApicId of an APIC ID no VP has: INVALID_PARAMETER, 0 reps" },
	{ TLB_APIC_VTL, HV_STATUS_INVALID_VTL_STATE, 0,
	  L"GetVpIndexFromApicId for VTL 1: INVALID_VTL_STATE" },
};

static const CHAR16 *const form_names[TLB_FORMS] = {
	L"HvCallFlushVirtualAddressSpace: VP 1 reads the new page once the call returns",
	L"HvCallFlushVirtualAddressList: the same",
	L"HvCallFlushVirtualAddressSpaceEx (sparse set, all address spaces): the same",
	L"HvCallFlushVirtualAddressListEx (all processors): the same",
};

static bool wait_for(volatile u64 *slot, u64 value, u32 ms)
{
	while (ms-- && *slot != value)
		uefi_call_wrapper(BS->Stall, 1, MS);
	return *slot == value;
}

static HV_STATUS unmap(HV_PARTITION_ID id, u64 gpa)
{
	struct hv_input_unmap_gpa_pages *in = hv_in();

	in->TargetPartitionId = id;
	in->TargetGpaBase = gpa / 4096;
	in->UnmapFlags = 0;
	return hv_status(hv_call(hv_rep_control(HvCallUnmapGpaPages, 1), hv_in_gpa(), 0));
}

static void guest_calls(struct child *c)
{
	volatile u64 *mb = c->mailbox;
	u32 i;

	for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		u64 r = mb[TLB_STATUS + expected[i].call];

		if (hv_status(r) != expected[i].status || hv_reps(r) != expected[i].reps)
			tefi_print(L"  call %d returned status 0x%x, %d reps\n", expected[i].call,
				   hv_status(r), hv_reps(r));
		tefi_check(hv_status(r) == expected[i].status && hv_reps(r) == expected[i].reps,
			   expected[i].what);
	}
	tefi_check(mb[TLB_HINTS] & HV_HINT_REMOTE_TLB_FLUSH,
		   L"CPUID 0x40000004 EAX[2]: remote TLB flushes by hypercall recommended");
	tefi_check(mb[TLB_APIC_OUT] == 1 && mb[TLB_APIC_OUT + 1] == 0,
		   L"GetVpIndexFromApicId: APIC ID n is VP n in a child");
	tefi_print(L"  without a flush VP 1 read %s\n",
		   mb[TLB_UNFLUSHED] == TLB_VALUE_A ? L"the old page (a stale translation)" :
						       L"the new page (its LP had switched)");
	for (i = 0; i < TLB_FORMS; i++)
		tefi_check(mb[TLB_RESULT + i] == 1, form_names[i]);
}

/* The parent takes a page away while VP 1 reads it: no read may reach it after the call. */
static void unmap_while_read(struct child *c)
{
	volatile u64 *page = (volatile u64 *)(c->ram + TLB_UNMAP_GPA);
	u64 iter, suspended = 0;

	tefi_check(c->mailbox[TLB_SEEN_UNMAP] == TLB_VALUE_UNMAP, L"VP 1 reads the page to unmap");
	tefi_check(unmap(c->id, TLB_UNMAP_GPA) == HV_STATUS_SUCCESS, L"HvCallUnmapGpaPages");
	*page = UNMAPPED_MAGIC;
	uefi_call_wrapper(BS->Stall, 1, 20 * MS);
	iter = c->mailbox[TLB_ITER];
	uefi_call_wrapper(BS->Stall, 1, 5 * MS);
	tefi_check(c->mailbox[TLB_SEEN_UNMAP] != UNMAPPED_MAGIC,
		   L"after the unmap returned, VP 1 never read what the parent wrote there");
	tefi_check(iter == c->mailbox[TLB_ITER] &&
		   !hv_get_reg64(c->id, 1, HvRegisterInterceptSuspend, &suspended) && suspended == 1,
		   L"its next read faulted: VP 1 waits in InterceptSuspend");
}

static void root_calls(void)
{
	struct hv_input_flush_virtual_address *in = hv_in();
	u32 a, b, c, d;
	u64 *ids = (u64 *)((u8 *)hv_in() + 16), *out = hv_out();
	u32 lo, hi;

	ZeroMem(in, sizeof(*in));
	in->Flags = HV_FLUSH_ALL_PROCESSORS | HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES;
	tefi_check(hv_status(hv_call(HvCallFlushVirtualAddressSpace, hv_in_gpa(), 0)) ==
			   HV_STATUS_ACCESS_DENIED,
		   L"the root's flush: ACCESS_DENIED (it keeps its own IPIs)");
	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(HV_X64_MSR_VP_INDEX));
	ZeroMem(hv_in(), 16);
	*(u64 *)hv_in() = HV_PARTITION_ID_SELF;
	ids[0] = b >> 24;
	tefi_check(hv_status(hv_call(hv_rep_control(HvCallGetVpIndexFromApicId, 1), hv_in_gpa(),
				     hv_out_gpa())) == HV_STATUS_SUCCESS &&
			   out[0] == lo,
		   L"GetVpIndexFromApicId: the root's own APIC ID gives its VP index");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct child c;
	const CHAR16 *step;

	tefi_init(image, systab);
	tefi_check(hv_setup(), L"hypercall page");
	tefi_check(hv_deposit(HV_PARTITION_ID_SELF, (u64)hv_pages(8), 8) == 0, L"root pool");
	root_calls();
	tefi_check(child_create(&c, payload_tlb_start, payload_tlb_end - payload_tlb_start, &step) == 0 &&
			   hv_deposit(c.id, (u64)hv_pages(64), 64) == 0 &&
			   child_add_vp(&c, 1, TLB_VP1_STACK) == 0,
		   L"child with two VPs");
	*(volatile u64 *)(c.ram + TLB_UNMAP_GPA) = TLB_VALUE_UNMAP;
	c.mailbox[TLB_IF_CLEAR] = !StrCmp(tefi_load_options(), L"if-clear");
	tefi_print(L"  VP 1 spins with interrupts %s\n", c.mailbox[TLB_IF_CLEAR] ? L"off" : L"on");
	tefi_check(hv_set_reg64(c.id, 1, HvRegisterExplicitSuspend, 0) == 0 &&
			   hv_set_reg64(c.id, 0, HvRegisterExplicitSuspend, 0) == 0,
		   L"both VPs scheduled");
	tefi_check(wait_for(&c.mailbox[TLB_DONE], 1, 5000), L"VP 0 finished its calls");
	tefi_print(L"  VP 0 ran on LP %d, VP 1 on LP %d\n", (u32)(c.mailbox[TLB_PROBE0] & 0xff),
		   (u32)(c.mailbox[TLB_PROBE1] & 0xff));
	tefi_check((c.mailbox[TLB_PROBE0] & 0xff) != (c.mailbox[TLB_PROBE1] & 0xff),
		   L"the VPs ran on different LPs");
	guest_calls(&c);
	unmap_while_read(&c);
	tefi_check(hv_partition_op(HvCallDeletePartition, c.id) == HV_STATUS_SUCCESS, L"child deleted");
	tefi_finish();
}
