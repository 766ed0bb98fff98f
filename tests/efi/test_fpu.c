/*
 * FPU state stays with its owner (the hypervisor switches it: arch/x86/fpu.c).
 * Two children (tests/payloads/fpu.c) with patterns of their own in
 * XMM0-15 (YMM0-15 with AVX), MXCSR and the x87 control word take turns
 * on LP 0, the parent's LP: each round makes exits the hypervisor handles,
 * one the parent handles, and stops for the parent to run the other child.
 * Every dispatch is made with the parent's own pattern in XMM0-15, and the
 * parent checks it after each one. Load option "scheduled" (root_lps=1):
 * the children run on LP 1 under the hypervisor's scheduler instead, where
 * a child's state stays loaded across its exits (arch/x86/fpu.c), and take
 * turns by time slices.
 */
#include "lib/tefi.h"
#include "lib/child.h"
#include "../payloads/fpu.h"

extern const u8 payload_fpu_start[], payload_fpu_end[];

#define MS 1000

static u8 parent_want[16 * 16] __attribute__((aligned(16)));
static u8 parent_got[16 * 16] __attribute__((aligned(16)));

#define ALL(op) op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7) \
		op(8) op(9) op(10) op(11) op(12) op(13) op(14) op(15)
#define LOAD_XMM(n) "movdqu " #n "*16(%[want]), %%xmm" #n "\n"
#define STORE_XMM(n) "movdqu %%xmm" #n ", " #n "*16(%[got])\n"

/*
 * HvCallDispatchVp with the parent's pattern in XMM0-15 from before the
 * call to after it, in one asm statement so that no compiled code touches
 * them in between. True when they came back unchanged.
 */
static bool dispatch_keeps_xmm(struct child *c, struct hv_output_dispatch_vp *out)
{
	struct hv_input_dispatch_vp *in = hv_in();
	u64 control = HvCallDispatchVp, in_gpa = hv_in_gpa(), out_page = hv_out_gpa(), result;
	void *page = hv_hypercall_page();

	ZeroMem(in, sizeof(*in));
	in->PartitionId = c->id;
	c->msg->Header.MessageType = HvMessageTypeNone;
	/* Set only now: a call in between could clobber R8. */
	register u64 out_gpa asm("r8") = out_page;
	asm volatile(ALL(LOAD_XMM) "call *%[page]\n" ALL(STORE_XMM)
		     : "=a"(result), "+c"(control), "+d"(in_gpa), "+r"(out_gpa)
		     : [want] "S"(parent_want), [got] "D"(parent_got), [page] "b"(page)
		     : "memory", "r9", "r10", "r11");
	*out = *(struct hv_output_dispatch_vp *)hv_out();
	return hv_status(result) == HV_STATUS_SUCCESS &&
	       CompareMem(parent_want, parent_got, sizeof(parent_want)) == 0;
}

/* Runs @c until it stops at the end of a round or halts; false if the parent's XMM changed. */
static bool run_round(struct child *c, u32 *parent_bad, bool *halted)
{
	struct hv_output_dispatch_vp out;
	HV_STATUS s;
	u32 i;

	for (i = 0; i < 100000; i++) {
		HV_X64_IO_PORT_INTERCEPT_MESSAGE *io = (void *)c->msg->Payload;

		if (!dispatch_keeps_xmm(c, &out))
			(*parent_bad)++;
		if (out.DispatchEvent != HV_VP_DISPATCH_EVENT_INTERCEPT)
			continue;
		if (c->msg->Header.MessageType == HvMessageTypeX64Halt) {
			*halted = true;
			return true;
		}
		if (c->msg->Header.MessageType != HvMessageTypeX64IoPortIntercept)
			return false;
		child_complete_io(c, &s);
		if (s)
			return false;
		if (io->PortNumber == FPU_SYNC_PORT)
			return true;
	}
	return false;
}

static bool finished(struct child *c)
{
	u32 ms;

	for (ms = 0; ms < 60000 && c->mailbox[FPU_ROUND] < FPU_ROUNDS; ms++)
		uefi_call_wrapper(BS->Stall, 1, MS);
	return c->mailbox[FPU_ROUND] == FPU_ROUNDS;
}

/* Both on LP 1 under the hypervisor's scheduler, taking turns by time slices. */
static void scheduled(struct child *a, struct child *b)
{
	a->mailbox[FPU_SCHEDULED] = b->mailbox[FPU_SCHEDULED] = 1;
	tefi_check(hv_set_reg64(a->id, 0, HvRegisterExplicitSuspend, 0) == 0 &&
			   hv_set_reg64(b->id, 0, HvRegisterExplicitSuspend, 0) == 0,
		   L"both children handed to the scheduler");
	tefi_check(finished(a) && finished(b), L"both ran all their rounds, taking turns on LP 1");
}

static void report(struct child *c, const CHAR16 *name)
{
	tefi_print(L"  %s: %ld rounds, %ld with a changed register (first: %ld), AVX %ld\n", name,
		   c->mailbox[FPU_ROUND], c->mailbox[FPU_BAD], c->mailbox[FPU_FIRST_BAD],
		   c->mailbox[FPU_AVX]);
}

static void dispatched(struct child *a, struct child *b)
{
	bool a_done = false, b_done = false, ok = true;
	u32 parent_bad = 0, turns = 0, i;

	for (i = 0; i < sizeof(parent_want); i++)
		parent_want[i] = (u8)(0xa5 ^ i * 7);
	while (ok && !(a_done && b_done) && turns++ < 4 * FPU_ROUNDS) {
		if (!a_done)
			ok = run_round(a, &parent_bad, &a_done);
		if (ok && !b_done)
			ok = run_round(b, &parent_bad, &b_done);
	}
	tefi_check(ok && a_done && b_done, L"both children ran all their rounds, taking turns on LP 0");
	tefi_print(L"  dispatches that changed the parent's XMM0-15: %d\n", parent_bad);
	tefi_check(parent_bad == 0, L"the parent's XMM0-15 survived every dispatch");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct child a, b;
	const CHAR16 *step;

	tefi_init(image, systab);
	tefi_check(hv_setup(), L"hypercall page");
	tefi_check(hv_deposit(HV_PARTITION_ID_SELF, (u64)hv_pages(8), 8) == 0, L"root pool");
	tefi_check(child_create(&a, payload_fpu_start, payload_fpu_end - payload_fpu_start, &step) == 0 &&
			   child_create(&b, payload_fpu_start, payload_fpu_end - payload_fpu_start, &step) == 0,
		   L"two children");
	a.mailbox[FPU_SEED] = 1;
	b.mailbox[FPU_SEED] = 2;
	/* B never sets XCR0: like the firmware as root, it uses SSE with XCR0 = 1. */
	b.mailbox[FPU_KEEP_XCR0] = 1;
	if (!StrCmp(tefi_load_options(), L"scheduled"))
		scheduled(&a, &b);
	else
		dispatched(&a, &b);
	report(&a, L"child A");
	report(&b, L"child B");
	tefi_check(a.mailbox[FPU_ROUND] == FPU_ROUNDS && a.mailbox[FPU_BAD] == 0 &&
			   b.mailbox[FPU_ROUND] == FPU_ROUNDS && b.mailbox[FPU_BAD] == 0,
		   L"each child found its XMM/YMM, MXCSR and x87 control word as it left them, every round");
	tefi_check(hv_partition_op(HvCallDeletePartition, a.id) == 0 &&
			   hv_partition_op(HvCallDeletePartition, b.id) == 0,
		   L"children deleted");
	tefi_finish();
}
