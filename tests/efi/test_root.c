/*
 * The root partition is contained: it cannot read or write the hypervisor's
 * memory (#GP at the access), nor pages it deposited; malformed hypercalls
 * get their TLFS status codes; and the hypervisor survives all of it.
 */
#include "lib/tefi.h"
#include "lib/hvapi.h"
#include "lib/probe.h"
#include "hv/boot_info.h"

static const struct hv_loader_table *find_table(void)
{
	EFI_GUID guid = HV_LOADER_TABLE_GUID;
	UINTN i;

	for (i = 0; i < ST->NumberOfTableEntries; i++)
		if (!CompareMem(&ST->ConfigurationTable[i].VendorGuid, &guid, sizeof(guid)))
			return ST->ConfigurationTable[i].VendorTable;
	return NULL;
}

static void check_hv_memory(const struct hv_loader_table *t)
{
	u64 v, mid = t->region_base + t->region_size / 2;

	tefi_check(!probe_read(t->region_base, &v), L"read of the hypervisor image faults");
	tefi_check(!probe_read(mid, &v), L"read of the hypervisor heap faults");
	tefi_check(!probe_write(t->region_base + 0x1000, 0x4141414141414141ULL),
		   L"write to the hypervisor image faults");
	tefi_check(!probe_read(t->region_base + t->region_size - 8, &v),
		   L"read of the region's last word faults");
}

static void check_malformed_hypercalls(const struct hv_loader_table *t)
{
	u64 r;

	r = hv_call(0x7777, 0, 0);
	tefi_check(hv_status(r) == HV_STATUS_INVALID_HYPERCALL_CODE, L"unknown call code");
	r = hv_call(HvCallGetPartitionId | (1ULL << 30), 0, hv_out_gpa());
	tefi_check(hv_status(r) == HV_STATUS_INVALID_HYPERCALL_INPUT, L"reserved bit 30 set");
	r = hv_call(HvCallGetPartitionId | (1ULL << 63), 0, hv_out_gpa());
	tefi_check(hv_status(r) == HV_STATUS_INVALID_HYPERCALL_INPUT, L"reserved bit 63 set");
	r = hv_call(hv_rep_control(HvCallGetPartitionId, 1), 0, hv_out_gpa());
	tefi_check(hv_status(r) == HV_STATUS_INVALID_HYPERCALL_INPUT, L"rep count on a simple call");
	r = hv_call(HvCallDepositMemory, hv_in_gpa(), 0);
	tefi_check(hv_status(r) == HV_STATUS_INVALID_HYPERCALL_INPUT, L"zero rep count on a rep call");
	r = hv_call(hv_rep_control(HvCallDepositMemory, 2) | (2ULL << 48), hv_in_gpa(), 0);
	tefi_check(hv_status(r) == HV_STATUS_INVALID_HYPERCALL_INPUT, L"rep start == rep count");
	r = hv_call(HvCallGetPartitionId | (1ULL << 17), 0, hv_out_gpa());
	tefi_check(hv_status(r) == HV_STATUS_INVALID_HYPERCALL_INPUT, L"variable header on a fixed call");
	r = hv_call(HvCallGetPartitionId, 0, hv_out_gpa() + 4);
	tefi_check(hv_status(r) == HV_STATUS_INVALID_ALIGNMENT, L"misaligned output GPA");
	r = hv_call(HvCallGetPartitionId, 0, hv_out_gpa() + 4096 - 4);
	tefi_check(hv_status(r) == HV_STATUS_INVALID_ALIGNMENT, L"output crossing a page");
	r = hv_call(HvCallGetPartitionId, 0, t->region_base + 0x2000);
	tefi_check(hv_status(r) == HV_STATUS_INVALID_ALIGNMENT,
		   L"output GPA inside the hypervisor is outside the root's GPA space");
	r = hv_call(HvCallInitializePartition, t->region_base, 0);
	tefi_check(hv_status(r) == HV_STATUS_INVALID_ALIGNMENT,
		   L"input GPA inside the hypervisor is refused");
	*(HV_PARTITION_ID *)hv_in() = 0x1234;
	r = hv_call(HvCallInitializePartition, hv_in_gpa(), 0);
	tefi_check(hv_status(r) == HV_STATUS_INVALID_PARTITION_ID, L"unknown partition id");
}

static void check_deposit_protection(const struct hv_loader_table *t)
{
	u64 *page = hv_pages(1), v;
	struct hv_input_withdraw_memory *w = hv_in();
	HV_STATUS s;
	u64 r;

	*page = 0x5a5a;
	s = hv_deposit(HV_PARTITION_ID_SELF, t->region_base + 0x3000, 1);
	tefi_check(s == HV_STATUS_INVALID_PARAMETER, L"depositing a hypervisor page is refused");
	s = hv_deposit(HV_PARTITION_ID_SELF, (u64)page, 1);
	tefi_check(s == HV_STATUS_SUCCESS, L"deposit one root page into the root's pool");
	tefi_check(!probe_read((u64)page, &v), L"a deposited page is no longer readable");
	s = hv_deposit(HV_PARTITION_ID_SELF, (u64)page, 1);
	tefi_check(s == HV_STATUS_INVALID_PARAMETER, L"depositing it twice is refused");
	w->PartitionId = HV_PARTITION_ID_SELF;
	w->ProximityDomainInfo = 0;
	r = hv_call(hv_rep_control(HvCallWithdrawMemory, 1), hv_in_gpa(), hv_out_gpa());
	tefi_check(hv_status(r) == HV_STATUS_SUCCESS && hv_reps(r) == 1 &&
		   *(u64 *)hv_out() == (u64)page / 4096, L"HvCallWithdrawMemory returns it");
	tefi_check(probe_read((u64)page, &v) && v == 0, L"withdrawn page is readable again, zeroed");
}

/* More reps than one invocation processes: the TLFS continuation, both directions. */
static void check_rep_continuation(void)
{
	const u32 count = 200;
	u8 *pages = hv_pages(count);
	struct hv_input_withdraw_memory *w = hv_in();
	u64 *out = hv_out(), control = hv_rep_control(HvCallWithdrawMemory, count), r, sum = 0;
	unsigned calls = 0;
	u32 i;

	tefi_check(pages && hv_deposit(HV_PARTITION_ID_SELF, (u64)pages, count) == HV_STATUS_SUCCESS,
		   L"deposit 200 pages through rep continuation");
	w->PartitionId = HV_PARTITION_ID_SELF;
	w->ProximityDomainInfo = 0;
	do {
		r = hv_call(control, hv_in_gpa(), hv_out_gpa());
		calls++;
		control = (control & ~(0xfffULL << 48)) | ((u64)hv_reps(r) << 48);
	} while (hv_status(r) == HV_STATUS_SUCCESS && hv_reps(r) < count && calls < 10);
	/*
	 * 200 reps exceed one invocation's HYPERCALL_REP_BUDGET; the hypervisor
	 * continues by re-executing the call with the new rep start in RCX, so
	 * the caller sees a single call.
	 */
	tefi_check(hv_status(r) == HV_STATUS_SUCCESS && hv_reps(r) == count && calls == 1,
		   L"withdraw 200 pages in what the caller sees as one call");
	for (i = 0; i < count; i++)
		sum += out[i] - (u64)pages / 4096;
	tefi_check(sum == (u64)count * (count - 1) / 2,
		   L"the output list holds every withdrawn page, none overwritten by the continuation");
	r = hv_call(hv_rep_control(HvCallWithdrawMemory, 1), hv_in_gpa(), hv_out_gpa());
	tefi_check(hv_status(r) == HV_STATUS_NO_RESOURCES && hv_reps(r) == 0,
		   L"withdrawing from an empty pool: HV_STATUS_NO_RESOURCES");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	const struct hv_loader_table *t;

	tefi_init(image, systab);
	tefi_print(L"test_root: the root partition is contained\n");
	t = find_table();
	tefi_check(t && t->magic == HV_BOOT_INFO_MAGIC, L"loader table present");
	tefi_check(probe_init(), L"#GP handler installed");
	tefi_check(hv_setup(), L"hypercall page");
	if (t) {
		check_hv_memory(t);
		check_malformed_hypercalls(t);
		check_deposit_protection(t);
		check_rep_continuation();
	}
	tefi_check(!EFI_ERROR(uefi_call_wrapper(BS->Stall, 1, 1000)), L"firmware still runs");
	tefi_finish();
}
