/* A child whose CPUID leaf 0x40000100 and MSR 0x9999 its parent answers (HvCallInstallIntercept). */
#include "payload.h"

void payload_main(void)
{
	u32 a, b, c, d;

	cpuid(0x40000100, &a, &b, &c, &d);
	MAILBOX[0] = a;
	MAILBOX[1] = b;
	MAILBOX[2] = rdmsr(0x9999);
	wrmsr(0x9999, 0x1122334455667788ULL);
	cpuid(HV_CPUID_INTERFACE, &a, &b, &c, &d); /* not intercepted: the hypervisor answers */
	MAILBOX[3] = a;
	MAILBOX[4] = 0x600d;
}
