#include "hv/crash.h"
#include "hv/vp.h"
#include "hv/partition.h"
#include "hv/log.h"

#define SUPPORTED (HV_CRASH_CTL_CRASH_NOTIFY | HV_CRASH_CTL_CRASH_MESSAGE)
#define LOGGED_MESSAGE_CHARS 160

bool crash_owns_msr(u32 msr)
{
	return msr >= HV_X64_MSR_CRASH_P0 && msr <= HV_X64_MSR_CRASH_CTL;
}

bool crash_msr_read(struct vp *vp, u32 msr, u64 *value)
{
	/* Reading the control register tells what the hypervisor supports. */
	*value = msr == HV_X64_MSR_CRASH_CTL ? SUPPORTED
					     : vp->partition->crash_params[msr - HV_X64_MSR_CRASH_P0];
	return true;
}

/* The guest's message, P3 = GPA, P4 = length: logged as printable characters only. */
static void log_message(struct partition *p)
{
	char text[LOGGED_MESSAGE_CHARS + 1];
	u64 gpa = p->crash_params[3], len = MIN(p->crash_params[4], (u64)LOGGED_MESSAGE_CHARS);
	unsigned i, n = 0;

	if (p->crash_params[4] > HV_CRASH_MESSAGE_MAX)
		return;
	for (i = 0; i < len; i++) {
		u64 spa;
		char c;

		if (gpa_map_translate(&p->gpa_map, gpa + i, HV_MAP_GPA_READABLE, &spa))
			break;
		c = *(const volatile char *)phys_to_virt(spa);
		if (!c || c == '\n')
			break;
		text[n++] = c >= 0x20 && c < 0x7f ? c : '?';
	}
	text[n] = '\0';
	hv_log("partition %llu crash message: %s", (unsigned long long)p->id, text);
}

bool crash_msr_write(struct vp *vp, u32 msr, u64 value)
{
	struct partition *p = vp->partition;

	if (msr != HV_X64_MSR_CRASH_CTL) {
		p->crash_params[msr - HV_X64_MSR_CRASH_P0] = value;
		return true;
	}
	if (value & ~SUPPORTED)
		return false;
	if (value & HV_CRASH_CTL_CRASH_NOTIFY) {
		hv_log("partition %llu VP %u reports a crash: P0 0x%llx P1 0x%llx P2 0x%llx P3 0x%llx P4 0x%llx",
		       (unsigned long long)p->id, vp->index, (unsigned long long)p->crash_params[0],
		       (unsigned long long)p->crash_params[1], (unsigned long long)p->crash_params[2],
		       (unsigned long long)p->crash_params[3], (unsigned long long)p->crash_params[4]);
		if (value & HV_CRASH_CTL_CRASH_MESSAGE)
			log_message(p);
	}
	return true;
}
