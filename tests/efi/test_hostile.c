/*
 * A hostile child against canaries: a page of the parent's that the child
 * never had, a sibling child's memory, and the hypervisor itself (it must
 * keep answering, and the log must show no panic).
 */
#include "lib/tefi.h"
#include "lib/child.h"

extern const u8 payload_hostile_start[], payload_hostile_end[];
extern const u8 payload_hello_start[], payload_hello_end[];

#define CANARY 0x6a6b6c6d6e6f7071ULL

static bool canary_intact(const u64 *p, UINTN words)
{
	UINTN i;

	for (i = 0; i < words; i++)
		if (p[i] != CANARY + i)
			return false;
	return true;
}

static void fill(u64 *p, UINTN words)
{
	UINTN i;

	for (i = 0; i < words; i++)
		p[i] = CANARY + i;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct child bad, sibling;
	const CHAR16 *step;
	u64 *parent_page;
	unsigned intercepts = 0, rounds = 0;
	HV_STATUS s;
	u32 type;

	tefi_init(image, systab);
	tefi_print(L"test_hostile: random hypercalls, MSRs and memory accesses from a child\n");
	tefi_check(hv_setup(), L"hypercall page");
	parent_page = hv_pages(1);
	fill(parent_page, 512);
	tefi_check(child_create(&sibling, payload_hello_start, payload_hello_end - payload_hello_start,
				&step) == 0, L"sibling child created (never run)");
	fill((u64 *)(sibling.ram + 0x20000), 512 * 16);
	tefi_check(child_create(&bad, payload_hostile_start, payload_hostile_end - payload_hostile_start,
				&step) == 0, L"hostile child created");
	bad.mailbox[0] = 0x1234567 ^ (u64)parent_page;
	for (;;) {
		type = child_run(&bad, &s);
		if (type == HvMessageTypeUnmappedGpa || type == HvMessageTypeGpaIntercept) {
			HV_X64_MEMORY_INTERCEPT_MESSAGE *m = (void *)bad.msg->Payload;

			/* The wild accesses are 3-byte MOVs: complete them as if the bus ignored them. */
			s = hv_set_reg64(bad.id, 0, HvX64RegisterRip, m->Header.Rip + 3);
			intercepts++;
			if (!s)
				continue;
		}
		if (type != HvMessageTypeX64IoPortIntercept || ++rounds > 100000)
			break;
		child_complete_io(&bad, &s);
	}
	tefi_print(L"  %d iterations, %d faults handled in the child, %d memory intercepts\n",
		   bad.mailbox[1], bad.mailbox[2], intercepts);
	tefi_check(type == HvMessageTypeX64Halt && bad.mailbox[3] == 0x600d,
		   L"the hostile child ran its whole script and halted");
	tefi_check(intercepts > 100 && bad.mailbox[2] > 100,
		   L"it really did fault and touch foreign addresses");
	tefi_check(canary_intact(parent_page, 512), L"the parent's canary page is intact");
	tefi_check(canary_intact((u64 *)(sibling.ram + 0x20000), 512 * 16), L"the sibling's memory is intact");
	tefi_check(hv_partition_op(HvCallDeletePartition, bad.id) == 0 &&
		   hv_partition_op(HvCallDeletePartition, sibling.id) == 0, L"both children deleted");
	tefi_check(hv_status(hv_call(HvCallGetPartitionId, 0, hv_out_gpa())) == 0,
		   L"the hypervisor still answers");
	tefi_finish();
}
