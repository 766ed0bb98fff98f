/*
 * A well-behaved child: prints through port 0xE9 (intercepted by the
 * parent), identifies itself, enables the hypercall page, and tries calls
 * only a parent may make. Results go to the mailbox for the parent to check.
 */
#include "payload.h"

void payload_main(void)
{
	u32 a, b, c, d;

	puts("hello from a child partition\n");
	cpuid(HV_CPUID_VENDOR_AND_MAX, &a, &b, &c, &d);
	MAILBOX[0] = b;
	enable_hypercalls();
	MAILBOX[1] = rdmsr(HV_X64_MSR_HYPERCALL);
	*(volatile struct hv_input_create_partition *)PARAM_IN = (struct hv_input_create_partition){ 0 };
	MAILBOX[2] = hypercall(HvCallCreatePartition, PARAM_IN, PARAM_OUT);
	MAILBOX[3] = hypercall(0x7777, 0, 0);
	MAILBOX[4] = rdmsr(HV_X64_MSR_VP_INDEX);
	/* What Linux does on panic (hyperv_report_panic): parameters, a message, then notify. */
	MAILBOX[6] = rdmsr(HV_X64_MSR_CRASH_CTL);
	copy((void *)PARAM_OUT, "not really a crash", 19);
	wrmsr(HV_X64_MSR_CRASH_P0, 0xdead0000);
	wrmsr(HV_X64_MSR_CRASH_P0 + 3, PARAM_OUT);
	wrmsr(HV_X64_MSR_CRASH_P0 + 4, 19);
	wrmsr(HV_X64_MSR_CRASH_CTL, HV_CRASH_CTL_CRASH_NOTIFY | HV_CRASH_CTL_CRASH_MESSAGE);
	MAILBOX[5] = 0x600d;
	puts("child done\n");
}
