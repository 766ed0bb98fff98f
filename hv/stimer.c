#include "hv/stimer.h"
#include "hv/vp.h"
#include "hv/partition.h"
#include "hv/reftime.h"
#include "hv/vp_interrupt.h"
#include "hv/lib/string.h"

void stimer_reset(struct stimer *t)
{
	memset(t, 0, sizeof(*t));
}

bool stimer_owns_msr(u32 msr)
{
	return msr >= HV_X64_MSR_STIMER0_CONFIG && msr <= HV_X64_MSR_STIMER3_COUNT;
}

static u32 sint_of(u64 config)
{
	return (config >> HV_STIMER_SINT_SHIFT) & 0xf;
}

static u8 vector_of(u64 config)
{
	return (config >> HV_STIMER_APIC_VECTOR_SHIFT) & 0xff;
}

/* Recomputes the next expiry after a write; enforces the disable rules. */
static void arm(struct vp *vp, struct stimer *t)
{
	if (!(t->config & HV_STIMER_ENABLE))
		return;
	/* A zero count stops the timer; a message timer needs a SINT other than 0. */
	if (!t->count || (!(t->config & HV_STIMER_DIRECT_MODE) && !sint_of(t->config))) {
		t->config &= ~HV_STIMER_ENABLE;
		return;
	}
	if (t->config & HV_STIMER_PERIODIC)
		t->expiration = reftime_now(vp->partition) + t->count;
	else
		t->expiration = t->count;
}

bool stimer_msr_read(struct vp *vp, u32 msr, u64 *value)
{
	struct stimer *t = &vp->stimers[(msr - HV_X64_MSR_STIMER0_CONFIG) / 2];

	if (!(vp->partition->privileges & HV_ACCESS_SYNTHETIC_TIMER_REGS))
		return false;
	*value = (msr - HV_X64_MSR_STIMER0_CONFIG) % 2 ? t->count : t->config;
	return true;
}

bool stimer_msr_write(struct vp *vp, u32 msr, u64 value)
{
	struct stimer *t = &vp->stimers[(msr - HV_X64_MSR_STIMER0_CONFIG) / 2];

	if (!(vp->partition->privileges & HV_ACCESS_SYNTHETIC_TIMER_REGS))
		return false;
	if ((msr - HV_X64_MSR_STIMER0_CONFIG) % 2) {
		t->count = value;
		if (value && (t->config & HV_STIMER_AUTO_ENABLE))
			t->config |= HV_STIMER_ENABLE;
	} else {
		if (value & HV_STIMER_RSVDZ)
			return false;
		t->config = value;
	}
	arm(vp, t);
	return true;
}

/* Timer expiration message (timers.md; datatypes/hv_timer_message_payload.md). */
static bool send_message(struct vp *vp, struct stimer *t, u32 index, u64 now)
{
	HV_TIMER_MESSAGE_PAYLOAD *pl = (HV_TIMER_MESSAGE_PAYLOAD *)t->msg.msg.Payload;

	if (t->msg.queued || !synic_accepts_messages(vp))
		return false; /* the previous expiry is still waiting; try again later */
	memset(&t->msg.msg, 0, sizeof(t->msg.msg));
	t->msg.port = NULL;
	t->msg.msg.Header.MessageType = HvMessageTimerExpired;
	t->msg.msg.Header.PayloadSize = sizeof(*pl);
	pl->TimerIndex = index;
	pl->ExpirationTime = t->expiration;
	pl->DeliveryTime = now;
	synic_post(vp, sint_of(t->config), &t->msg);
	return true;
}

void stimer_poll(struct vp *vp)
{
	const struct stimer *s = vp->stimers;
	u64 now = 0;
	u32 i;

	/* Every entry comes here: most find no timer enabled (8 instructions, not a loop of 40). */
	_Static_assert(HV_SYNIC_STIMER_COUNT == 4, "the test below names every timer");
	if (!((s[0].config | s[1].config | s[2].config | s[3].config) & HV_STIMER_ENABLE))
		return;
	for (i = 0; i < HV_SYNIC_STIMER_COUNT; i++) {
		struct stimer *t = &vp->stimers[i];

		if (!(t->config & HV_STIMER_ENABLE))
			continue;
		if (!now)
			now = reftime_now(vp->partition);
		if ((s64)(now - t->expiration) < 0)
			continue;
		if (t->config & HV_STIMER_DIRECT_MODE)
			vp_raise_interrupt(vp, vector_of(t->config), false);
		else if (!send_message(vp, t, i, now))
			continue;
		if (!(t->config & HV_STIMER_PERIODIC)) {
			t->config &= ~HV_STIMER_ENABLE;
			continue;
		}
		/* Missed periods are not replayed: the next expiry is the next period boundary. */
		t->expiration += t->count;
		if ((s64)(now - t->expiration) >= 0)
			t->expiration = now + t->count;
	}
}
