/*
 * Partition bookkeeping a parent relies on: child enumeration, partition
 * properties (early privilege narrowing, read-only and unknown codes), and
 * HvCallAssertVirtualInterrupt: a fixed interrupt, then INIT and SIPI
 * restarting the VP in real mode; installed CPUID, MSR and exception
 * intercepts with the parent completing or re-injecting what it got.
 */
#include "lib/tefi.h"
#include "lib/child.h"

extern const u8 payload_assert_start[], payload_assert_end[];
extern const u8 payload_intercepts_start[], payload_intercepts_end[];
extern const u8 payload_exceptions_start[], payload_exceptions_end[];

static HV_PARTITION_ID next_child(HV_PARTITION_ID previous)
{
	struct hv_input_get_next_child_partition *in = hv_in();

	in->ParentPartitionId = HV_PARTITION_ID_SELF;
	in->PreviousChildPartitionId = previous;
	if (hv_status(hv_call(HvCallGetNextChildPartition, hv_in_gpa(), hv_out_gpa())))
		return ~0ULL;
	return *(HV_PARTITION_ID *)hv_out();
}

static HV_STATUS assert_interrupt(HV_PARTITION_ID id, u32 type, u32 vector, u32 vp)
{
	struct hv_input_assert_virtual_interrupt *in = hv_in();

	ZeroMem(in, sizeof(*in));
	in->TargetPartition = id;
	in->InterruptType = type;
	in->DestinationAddress = vp; /* physical x2APIC id = VP index */
	in->RequestedVector = vector;
	return hv_status(hv_call(HvCallAssertVirtualInterrupt, hv_in_gpa(), 0));
}

static void enumeration_and_properties(void)
{
	HV_PARTITION_ID a, b;
	u64 v, t1, t2;

	tefi_check(hv_deposit(HV_PARTITION_ID_SELF, (u64)hv_pages(2), 2) == 0 &&
		   hv_create_partition(&a) == 0 && hv_create_partition(&b) == 0, L"two partitions created");
	tefi_check(next_child(HV_PARTITION_ID_INVALID) == a && next_child(a) == b &&
		   next_child(b) == HV_PARTITION_ID_INVALID, L"HvCallGetNextChildPartition walks both, then ends");
	tefi_check(hv_get_property(a, HvPartitionPropertyPrivilegeFlags, &v) == 0 && (v & (1ULL << 5)) &&
		   !(v & (1ULL << 32)), L"a child's privileges: hypercall MSRs, not CreatePartitions");
	tefi_check(hv_set_property(a, HvPartitionPropertyPrivilegeFlags, v | (1ULL << 32)) ==
		   HV_STATUS_PROPERTY_VALUE_OUT_OF_RANGE, L"a parent cannot grant CreatePartitions");
	tefi_check(hv_set_property(a, HvPartitionPropertyPrivilegeFlags, v & ~(1ULL << 6)) == 0 &&
		   hv_get_property(a, HvPartitionPropertyPrivilegeFlags, &v) == 0 && !(v & (1ULL << 6)),
		   L"a parent narrows privileges before initialization");
	tefi_check(hv_get_property(a, 0x12345, &v) == HV_STATUS_UNKNOWN_PROPERTY,
		   L"unknown property: HV_STATUS_UNKNOWN_PROPERTY");
	tefi_check(hv_set_property(a, HvPartitionPropertyReferenceTime, 5) == HV_STATUS_INVALID_PARAMETER,
		   L"setting a read-only property: HV_STATUS_INVALID_PARAMETER");
	hv_get_property(a, HvPartitionPropertyReferenceTime, &t1);
	uefi_call_wrapper(BS->Stall, 1, 2000);
	hv_get_property(a, HvPartitionPropertyReferenceTime, &t2);
	tefi_check(t2 > t1 && t2 - t1 >= 20000 && t2 - t1 < 2000000,
		   L"the partition's reference time advances in 100 ns units");
	tefi_check(hv_partition_op(HvCallDeletePartition, a) == 0 &&
		   hv_partition_op(HvCallDeletePartition, b) == 0 &&
		   next_child(HV_PARTITION_ID_INVALID) == HV_PARTITION_ID_INVALID, L"both deleted, none left");
}

static void interrupts_init_sipi(void)
{
	static const u8 real_mode[] = { 0xb0, 'S', 0xe6, 0xe9, 0xf4 }; /* mov al,'S'; out 0xe9,al; hlt */
	struct hv_output_dispatch_vp out;
	HV_X64_IO_PORT_INTERCEPT_MESSAGE *io;
	HV_MESSAGE *ap_msg = hv_pages(1);
	struct child c;
	const CHAR16 *step;
	HV_STATUS s;
	u32 type;

	s = child_create(&c, payload_assert_start, payload_assert_end - payload_assert_start, &step);
	tefi_check(!s, L"child created");
	if (s)
		return;
	type = child_run(&c, &s);
	tefi_check(type == HvMessageTypeX64IoPortIntercept && child_complete_io(&c, &s) == 1,
		   L"child waits for an interrupt");
	tefi_check(assert_interrupt(c.id, HvX64InterruptTypeFixed, 5, 0) == HV_STATUS_INVALID_PARAMETER,
		   L"fixed vector 5: HV_STATUS_INVALID_PARAMETER");
	tefi_check(assert_interrupt(c.id, 4 /* NMI */, 2, 0) == HV_STATUS_INVALID_PARAMETER,
		   L"NMI is not offered yet: HV_STATUS_INVALID_PARAMETER");
	tefi_check(assert_interrupt(c.id, HvX64InterruptTypeFixed, 0x50, 0) == 0, L"fixed 0x50 asserted");
	type = child_run(&c, &s);
	tefi_check(type == HvMessageTypeX64Halt && c.mailbox[0] == 1 && c.mailbox[1] == 0x600d,
		   L"the child took exactly that interrupt");
	CopyMem(c.ram + 0x10000, (void *)real_mode, sizeof(real_mode));
	/* The BSP answers INIT by going to the reset vector, which this child has no memory at. */
	tefi_check(assert_interrupt(c.id, HvX64InterruptTypeInit, 0, 0) == 0, L"INIT asserted to VP 0 (BSP)");
	type = child_run(&c, &s);
	tefi_check(type == HvMessageTypeUnmappedGpa &&
		   ((HV_X64_MEMORY_INTERCEPT_MESSAGE *)c.msg->Payload)->GuestPhysicalAddress == 0xfffffff0,
		   L"after INIT the BSP fetches from the reset vector 0xFFFFFFF0");
	/* An AP waits for SIPI after INIT, then starts in real mode at vector << 12. */
	tefi_check(hv_create_vp(c.id, 1) == 0 && hv_map_intercept_page(c.id, 1, (u64)ap_msg) == 0,
		   L"VP 1 created with its intercept page");
	tefi_check(assert_interrupt(c.id, HvX64InterruptTypeInit, 0, 1) == 0, L"INIT asserted to VP 1");
	tefi_check(hv_dispatch(c.id, 1, &out) == 0 && out.DispatchState == HV_VP_DISPATCH_STATE_BLOCKED,
		   L"VP 1 waits for SIPI (dispatch: blocked)");
	tefi_check(assert_interrupt(c.id, HvX64InterruptTypeSipi, 0x110, 1) ==
		   HV_STATUS_INVALID_PARAMETER, L"SIPI vector above 0xff: HV_STATUS_INVALID_PARAMETER");
	tefi_check(assert_interrupt(c.id, HvX64InterruptTypeSipi, 0x10, 1) == 0, L"SIPI to page 0x10");
	do {
		s = hv_dispatch(c.id, 1, &out);
	} while (!s && out.DispatchEvent == HV_VP_DISPATCH_EVENT_PREEMPTED);
	io = (void *)ap_msg->Payload;
	tefi_check(!s && ap_msg->Header.MessageType == HvMessageTypeX64IoPortIntercept &&
		   io->PortNumber == 0xe9 && (u8)io->Rax == 'S' && io->Header.Rip == 2 &&
		   io->Header.CsSegment.Selector == 0x1000 &&
		   !(io->Header.ExecutionState & HV_X64_EXECUTION_STATE_CR0_PE),
		   L"VP 1 started in real mode at 1000:0000");
	tefi_check(hv_partition_op(HvCallDeletePartition, c.id) == 0, L"child deleted");
}

static HV_STATUS translate(HV_PARTITION_ID id, u64 gva, u64 flags, u32 *result, u64 *gpa)
{
	struct hv_input_translate_virtual_address *in = hv_in();
	struct hv_output_translate_virtual_address *out = hv_out();
	HV_STATUS s;

	ZeroMem(in, sizeof(*in));
	in->PartitionId = id;
	in->ControlFlags = flags;
	in->GvaPage = gva / 4096;
	s = hv_status(hv_call(HvCallTranslateVirtualAddress, hv_in_gpa(), hv_out_gpa()));
	*result = out->ResultCode;
	*gpa = out->GpaPage * 4096;
	return s;
}

/* The child's own page tables (tests/efi/lib/child.c): 2 MiB pages over the first GiB, supervisor only. */
static void translation(void)
{
	const u64 rw = HV_TRANSLATE_GVA_VALIDATE_READ | HV_TRANSLATE_GVA_VALIDATE_WRITE;
	u64 *pd, gpa;
	struct child c;
	const CHAR16 *step;
	u32 r;

	tefi_check(child_create(&c, payload_assert_start, payload_assert_end - payload_assert_start, &step) == 0,
		   L"child for address translation");
	pd = (u64 *)(c.ram + 0x3000);
	tefi_check(translate(c.id, 0x12345, rw, &r, &gpa) == 0 && r == HvTranslateGvaSuccess && gpa == 0x12000,
		   L"GVA 0x12345 -> GPA 0x12000, readable and writable");
	tefi_check(translate(c.id, 0x12345, rw | HV_TRANSLATE_GVA_USER_ACCESS, &r, &gpa) == 0 &&
		   r == HvTranslateGvaPrivilegeViolation, L"a user-mode access to a supervisor page: privilege violation");
	tefi_check(translate(c.id, 0x80000000, rw, &r, &gpa) == 0 && r == HvTranslateGvaPageNotPresent,
		   L"beyond the mapped GiB: page not present");
	tefi_check(translate(c.id, 0x200000, HV_TRANSLATE_GVA_VALIDATE_READ, &r, &gpa) == 0 &&
		   r == HvTranslateGvaGpaUnmapped && gpa == 0x200000,
		   L"a GVA whose GPA the child has no memory at: GPA unmapped");
	pd[0] &= ~0x60ULL;
	tefi_check(translate(c.id, 0x1000, rw | HV_TRANSLATE_GVA_SET_PAGE_TABLE_BITS, &r, &gpa) == 0 &&
		   r == HvTranslateGvaSuccess && (pd[0] & 0x60) == 0x60,
		   L"SET_PAGE_TABLE_BITS with a write sets accessed and dirty");
	tefi_check(translate(c.id, 0x1000, 1ULL << 20, &r, &gpa) == HV_STATUS_INVALID_PARAMETER,
		   L"unknown control flag: HV_STATUS_INVALID_PARAMETER");
	tefi_check(hv_partition_op(HvCallDeletePartition, c.id) == 0, L"translation child deleted");
}

static HV_STATUS install(HV_PARTITION_ID id, u32 type, u32 access, u64 parameter)
{
	struct hv_input_install_intercept *in = hv_in();

	in->PartitionId = id;
	in->AccessType = access;
	in->InterceptType = type;
	in->InterceptParameter = parameter;
	return hv_status(hv_call(HvCallInstallIntercept, hv_in_gpa(), 0));
}

/* The parent as a VMM completing intercepted CPUID and MSR instructions. */
static void installed_intercepts(void)
{
	HV_X64_CPUID_INTERCEPT_MESSAGE *cpuid;
	HV_X64_MSR_INTERCEPT_MESSAGE *msr;
	struct child c;
	const CHAR16 *step;
	u64 written = 0;
	HV_STATUS s;
	u32 type;

	tefi_check(child_create(&c, payload_intercepts_start, payload_intercepts_end - payload_intercepts_start,
				&step) == 0, L"child for installed intercepts");
	tefi_check(install(c.id, HvInterceptTypeX64Cpuid, HV_INTERCEPT_ACCESS_MASK_EXECUTE, 0x40000100) == 0 &&
		   install(c.id, HvInterceptTypeX64Msr, HV_INTERCEPT_ACCESS_MASK_READ | HV_INTERCEPT_ACCESS_MASK_WRITE,
			   0x9999) == 0 &&
		   install(c.id, HvInterceptTypeX64IoPort, HV_INTERCEPT_ACCESS_MASK_READ, 0x60) == 0,
		   L"HvCallInstallIntercept: a CPUID leaf, an MSR, an I/O port");
	type = child_run(&c, &s);
	cpuid = (void *)c.msg->Payload;
	tefi_check(type == HvMessageTypeX64CpuidIntercept && cpuid->Rax == 0x40000100 &&
		   cpuid->Header.InstructionLength == 2, L"CPUID 0x40000100 came to the parent");
	hv_set_reg64(c.id, 0, HvX64RegisterRax, 0xabc);
	hv_set_reg64(c.id, 0, HvX64RegisterRbx, 0xdef);
	hv_set_reg64(c.id, 0, HvX64RegisterRip, cpuid->Header.Rip + 2);
	type = child_run(&c, &s);
	msr = (void *)c.msg->Payload;
	tefi_check(type == HvMessageTypeMsrIntercept && msr->MsrNumber == 0x9999 &&
		   msr->Header.InterceptAccessType == HV_INTERCEPT_ACCESS_READ, L"RDMSR 0x9999 came to the parent");
	hv_set_reg64(c.id, 0, HvX64RegisterRax, 0x55);
	hv_set_reg64(c.id, 0, HvX64RegisterRdx, 0x66);
	hv_set_reg64(c.id, 0, HvX64RegisterRip, msr->Header.Rip + 2);
	type = child_run(&c, &s);
	if (type == HvMessageTypeMsrIntercept) {
		written = (msr->Rdx << 32) | (u32)msr->Rax;
		hv_set_reg64(c.id, 0, HvX64RegisterRip, msr->Header.Rip + 2);
	}
	tefi_check(msr->Header.InterceptAccessType == HV_INTERCEPT_ACCESS_WRITE &&
		   written == 0x1122334455667788ULL, L"WRMSR 0x9999 came to the parent with its value");
	type = child_run(&c, &s);
	tefi_check(type == HvMessageTypeX64Halt && c.mailbox[4] == 0x600d, L"child finished");
	tefi_check(c.mailbox[0] == 0xabc && c.mailbox[1] == 0xdef && c.mailbox[2] == 0x6600000055ULL,
		   L"the child saw the parent's answers");
	tefi_check(c.mailbox[3] == 0x31237648, L"other leaves are still the hypervisor's");
	tefi_check(hv_partition_op(HvCallDeletePartition, c.id) == 0, L"intercept child deleted");
}

/* HvRegisterPendingInterruption for a hardware exception (tlfs-v6.0b.txt). */
static u64 pending_exception(u8 vector, bool error, u32 code)
{
	return HV_X64_PENDING_INTERRUPTION_PENDING |
	       (u64)HvX64PendingException << HV_X64_PENDING_INTERRUPTION_TYPE_SHIFT |
	       (error ? HV_X64_PENDING_INTERRUPTION_DELIVER_ERROR_CODE |
			(u64)code << HV_X64_PENDING_INTERRUPTION_ERROR_SHIFT : 0) |
	       (u64)vector << HV_X64_PENDING_INTERRUPTION_VECTOR_SHIFT;
}

/* The exception intercept message the child stopped with, if it is one for @vector. */
static HV_X64_EXCEPTION_INTERCEPT_MESSAGE *exception_message(struct child *c, u8 vector)
{
	HV_X64_EXCEPTION_INTERCEPT_MESSAGE *m = (void *)c->msg->Payload;
	HV_STATUS s;
	u32 type = child_run(c, &s);

	if (type != HvMessageTypeExceptionIntercept || m->ExceptionVector != vector) {
		tefi_print(L"  child stopped with message 0x%x vector %u, status %u\n", type,
			   type == HvMessageTypeExceptionIntercept ? m->ExceptionVector : 0, s);
		return NULL;
	}
	return m;
}

/*
 * The parent as a debugger or VMM taking the child's exceptions
 * (tests/payloads/exceptions.c): re-injecting them, skipping the
 * instruction, removing an intercept again.
 */
static void exception_intercepts(void)
{
	static const u8 ud2[] = { 0x0f, 0x0b }, mov_ds[] = { 0x8e, 0xd8 };
	const u64 exec = HV_INTERCEPT_ACCESS_MASK_EXECUTE;
	HV_X64_EXCEPTION_INTERCEPT_MESSAGE *m;
	u64 v, rsp, rip = 0, end = CHILD_PAYLOAD_GPA + (payload_exceptions_end - payload_exceptions_start);
	struct child c;
	const CHAR16 *step;
	HV_STATUS s;
	u32 type;

	tefi_check(child_create(&c, payload_exceptions_start, payload_exceptions_end - payload_exceptions_start,
				&step) == 0, L"child for exception intercepts");
	tefi_check(install(c.id, HvInterceptTypeException, exec, 6) == 0 &&
		   install(c.id, HvInterceptTypeException, exec, 13) == 0 &&
		   install(c.id, HvInterceptTypeException, exec, 14) == 0 &&
		   install(c.id, HvInterceptTypeException, exec, 6) == 0,
		   L"HvCallInstallIntercept: #UD, #GP, #PF (and #UD again)");
	tefi_check(install(c.id, HvInterceptTypeException, exec, 32) == HV_STATUS_INVALID_PARAMETER &&
		   install(c.id, HvInterceptTypeException, exec, 1ULL << 32 | 6) == HV_STATUS_INVALID_PARAMETER,
		   L"vector above 31: HV_STATUS_INVALID_PARAMETER");
	tefi_check(install(c.id, HvInterceptTypeException, exec, 1) == HV_STATUS_INVALID_PARAMETER &&
		   install(c.id, HvInterceptTypeException, exec, 2) == HV_STATUS_INVALID_PARAMETER &&
		   install(c.id, HvInterceptTypeException, exec, 3) == HV_STATUS_INVALID_PARAMETER &&
		   install(c.id, HvInterceptTypeException, exec, 18) == HV_STATUS_INVALID_PARAMETER &&
		   install(c.id, HvInterceptTypeException, exec, 15) == HV_STATUS_INVALID_PARAMETER,
		   L"#DB, NMI, #BP, #MC, reserved 15: HV_STATUS_INVALID_PARAMETER");
	tefi_check(install(c.id, HvInterceptTypeException, HV_INTERCEPT_ACCESS_MASK_READ, 6) ==
			   HV_STATUS_INVALID_PARAMETER &&
		   install(c.id, HvInterceptTypeException, exec | HV_INTERCEPT_ACCESS_MASK_WRITE, 6) ==
			   HV_STATUS_INVALID_PARAMETER,
		   L"access other than execute or none: HV_STATUS_INVALID_PARAMETER");
	tefi_check(install(0x7777, HvInterceptTypeException, exec, 6) == HV_STATUS_INVALID_PARTITION_ID &&
		   install(HV_PARTITION_ID_SELF, HvInterceptTypeException, exec, 6) ==
			   HV_STATUS_INVALID_PARTITION_ID,
		   L"not a child: HV_STATUS_INVALID_PARTITION_ID");
	tefi_check(hv_status(hv_call(HvCallInstallInterceptEx | 1ULL << HV_HYPERCALL_REP_COUNT_SHIFT,
				     hv_in_gpa(), 0)) == HV_STATUS_INVALID_HYPERCALL_CODE,
		   L"HvCallInstallInterceptEx (ARM64 only): HV_STATUS_INVALID_HYPERCALL_CODE");

	m = exception_message(&c, 6);
	hv_get_reg64(c.id, 0, HvX64RegisterRax + 4, &rsp);
	tefi_check(m && !(m->ExceptionInfo & HV_X64_EXCEPTION_INFO_ERROR_CODE_VALID) && m->ErrorCode == 0 &&
		   m->Header.Rip >= CHILD_PAYLOAD_GPA && m->Header.Rip < end &&
		   m->Header.InterceptAccessType == HV_INTERCEPT_ACCESS_EXECUTE && m->Rsp == rsp &&
		   m->SsSegment.Selector == 0x10 && m->DsSegment.Selector == 0x10,
		   L"ud2: #UD came to the parent with RIP, RSP, SS, DS");
	tefi_check(m && m->Header.InstructionLength == 0 && m->InstructionByteCount == 16 &&
		   CompareMem(m->InstructionBytes, ud2, 2) == 0,
		   L"no length from the processor; the instruction bytes instead");
	if (m)
		rip = m->Header.Rip;
	tefi_check(hv_get_reg64(c.id, 0, HvRegisterPendingInterruption, &v) == 0 && v == 0,
		   L"nothing pending after the intercept");
	tefi_check(hv_set_reg64(c.id, 0, HvRegisterPendingInterruption, pending_exception(6, true, 0)) ==
			   HV_STATUS_INVALID_PARAMETER &&
		   hv_set_reg64(c.id, 0, HvRegisterPendingInterruption, pending_exception(13, false, 0)) ==
			   HV_STATUS_INVALID_PARAMETER &&
		   hv_set_reg64(c.id, 0, HvRegisterPendingInterruption, pending_exception(2, false, 0)) ==
			   HV_STATUS_INVALID_PARAMETER &&
		   hv_set_reg64(c.id, 0, HvRegisterPendingInterruption, pending_exception(6, false, 0) | BIT(9)) ==
			   HV_STATUS_INVALID_PARAMETER &&
		   hv_set_reg64(c.id, 0, HvRegisterPendingInterruption,
				(pending_exception(0x30, false, 0) & ~HV_X64_PENDING_INTERRUPTION_TYPE_MASK)) ==
			   HV_STATUS_INVALID_PARAMETER,
		   L"PendingInterruption: error code not as the vector has it, NMI, reserved bits, interrupt refused");
	tefi_check(hv_set_reg64(c.id, 0, HvRegisterPendingInterruption, pending_exception(6, false, 0)) == 0 &&
		   hv_get_reg64(c.id, 0, HvRegisterPendingInterruption, &v) == 0 && v == pending_exception(6, false, 0),
		   L"the parent re-injects #UD through HvRegisterPendingInterruption");

	m = exception_message(&c, 6);
	tefi_check(m && m->Header.Rip == rip + 2, L"the child's handler skipped it: the second ud2 came next");
	if (m)
		hv_set_reg64(c.id, 0, HvX64RegisterRip, m->Header.Rip + 2);
	tefi_check(install(c.id, HvInterceptTypeException, 0, 6) == 0,
		   L"the parent skips the second and removes the #UD intercept (access type none)");

	m = exception_message(&c, 13);
	tefi_check(m && (m->ExceptionInfo & HV_X64_EXCEPTION_INFO_ERROR_CODE_VALID) && m->ErrorCode == 0x28 &&
		   m->Header.Rip > rip + 2 && m->Header.Rip < end && CompareMem(m->InstructionBytes, mov_ds, 2) == 0,
		   L"mov ds, 0x28: #GP(0x28) came to the parent");
	tefi_check(hv_set_reg64(c.id, 0, HvRegisterPendingInterruption, pending_exception(13, true, 0x28)) == 0,
		   L"the parent re-injects #GP with its error code");

	m = exception_message(&c, 14);
	tefi_check(m && (m->ExceptionInfo & HV_X64_EXCEPTION_INFO_ERROR_CODE_VALID) && m->ErrorCode == 0 &&
		   m->ExceptionParameter == 0x40000000 && m->InstructionBytes[0] == 0x48,
		   L"read of an unmapped page: #PF came to the parent with the address");
	tefi_check(hv_set_reg64(c.id, 0, HvX64RegisterCr2, 0x40000000) == 0 &&
		   hv_set_reg64(c.id, 0, HvRegisterPendingInterruption, pending_exception(14, true, 0)) == 0,
		   L"the parent re-injects #PF with CR2");

	type = child_run(&c, &s);
	tefi_check(type == HvMessageTypeX64Halt && c.mailbox[6] == 0x600d,
		   L"removed #UD and never-installed #DE did not come to the parent");
	tefi_check(c.mailbox[0] == 2 && c.mailbox[5] == 1, L"the child's IDT took the re-injected and the last #UD, and #DE");
	tefi_check(c.mailbox[1] == 1 && c.mailbox[2] == 0x28, L"the child's #GP handler got error code 0x28");
	tefi_check(c.mailbox[3] == 1 && c.mailbox[4] == 0x40000000, L"the child's #PF handler saw CR2");
	tefi_check(hv_partition_op(HvCallDeletePartition, c.id) == 0, L"exception child deleted");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	tefi_init(image, systab);
	tefi_print(L"test_lifecycle: enumeration, properties, asserted interrupts\n");
	tefi_check(hv_setup(), L"hypercall page");
	enumeration_and_properties();
	interrupts_init_sipi();
	translation();
	installed_intercepts();
	exception_intercepts();
	tefi_finish();
}
