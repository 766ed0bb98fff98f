#include "hv/vp_sched.h"
#include "hv/vp.h"
#include "hv/lp.h"
#include "hv/partition.h"
#include "hv/hypercall.h"
#include "hv/reftime.h"
#include "hv/time.h"
#include "hv/spinlock.h"
#include "hv/vp_interrupt.h"
#include "hv/init.h"
#include "arch/x86/apic.h"
#include "arch/x86/vcpu.h"

/* Slices of 10 ms, caps and reserves over 100 ms (docs/scheduler.md). */
#define QUANTUM_PER_SECOND 100
#define PERIOD_PER_SECOND 10
/* An idle LP looks for kicks from the root's LPs at least this often. */
#define IDLE_POLL_PER_SECOND 1000

struct sched hv_sched;
static struct spinlock sched_lock;
/* LPs child VPs may run on: none without minroot, and none under the root type. */
static u64 child_lps;

#define vp_of(sv) ((struct vp *)((char *)(sv) - offsetof(struct vp, sched)))

void vp_sched_init(const struct hv_boot_info *bi, u64 lps)
{
	child_lps = lps;
	sched_init(&hv_sched, bi->scheduler_type, bi->lp_count, bi->lp, child_lps,
		   time_tsc_hz() / QUANTUM_PER_SECOND, time_tsc_hz() / PERIOD_PER_SECOND);
}

u32 vp_sched_type(void)
{
	return hv_sched.type;
}

void vp_sched_lock(void)
{
	spin_lock(&sched_lock);
}

void vp_sched_unlock(void)
{
	spin_unlock(&sched_lock);
}

u32 vp_sched_threads_per_core(const struct partition *p)
{
	return p->sched.threads_per_core ? p->sched.threads_per_core
					 : sched_host_threads_per_core(&hv_sched);
}

void vp_sched_partition_init(struct partition *p)
{
	sched_partition_init(&p->sched, p == root_partition);
}

/*
 * Only LPs the hypervisor owns send kick IPIs. Sent from the host mode of
 * an LP the root shares, they left that LP's root VP with host state in
 * about one QEMU run in ten (docs/scheduler.md, "Kicks"); until that is
 * understood the root's LPs only raise the flag, which an idle LP looks at
 * within IDLE_POLL and a busy one at its next exit.
 */
void lp_interrupt(struct lp *lp)
{
	struct lp *self = this_lp();

	if (lp != self && lp->owned && self && self->owned)
		apic_send_ipi(lp->apic_id, APIC_VECTOR_KICK);
}

static void kick(u64 mask)
{
	u32 i;

	for (i = 0; mask; i++, mask >>= 1) {
		struct lp *lp = lps[i];

		if (!(mask & 1) || !lp || !lp->owned)
			continue;
		lp->kicked = true;
		lp_interrupt(lp);
	}
}

static bool runnable(const struct vp *vp)
{
	return vp->scheduled && !vp->detached && !vp->explicit_suspend &&
	       !vp->intercept_suspend && !vp->halted &&
	       vp->partition->state != PARTITION_TERMINATED;
}

void vp_sched_add_root(struct vp *vp, struct lp *lp)
{
	u64 until, kicks;

	spin_lock(&sched_lock);
	sched_vp_add(&hv_sched, &vp->sched, &root_partition->sched, (s32)lp->index);
	sched_vp_wake(&hv_sched, &vp->sched, time_tsc());
	/* It stays the LP's current VP for good: the root's LPs are not time-sliced. */
	sched_pick(&hv_sched, lp->index, time_tsc(), &until, &kicks);
	spin_unlock(&sched_lock);
}

void vp_sched_add(struct vp *vp)
{
	vp->explicit_suspend = true;
	spin_lock(&sched_lock);
	sched_vp_add(&hv_sched, &vp->sched, &vp->partition->sched, -1);
	spin_unlock(&sched_lock);
}

bool vp_sched_detach(struct vp *vp)
{
	bool ok;

	spin_lock(&sched_lock);
	ok = !vp->lp;
	if (ok && !vp->detached) {
		vp->detached = true;
		sched_vp_remove(&hv_sched, &vp->sched);
	}
	spin_unlock(&sched_lock);
	return ok;
}

bool vp_sched_detach_partition(struct partition *p)
{
	unsigned i;

	spin_lock(&sched_lock);
	for (i = 0; i < HV_MAX_VPS_PER_PARTITION; i++) {
		if (p->vps[i] && p->vps[i]->lp) {
			spin_unlock(&sched_lock);
			return false;
		}
	}
	for (i = 0; i < HV_MAX_VPS_PER_PARTITION; i++) {
		struct vp *vp = p->vps[i];

		if (vp && !vp->detached) {
			vp->detached = true;
			sched_vp_remove(&hv_sched, &vp->sched);
		}
	}
	spin_unlock(&sched_lock);
	return true;
}

/* The TSC at which one of @vp's timers wants it back. */
static u64 wake_tsc(struct vp *vp)
{
	u64 t = SCHED_NEVER, now_ns, now_tsc;
	unsigned i;

	for (i = 0; i < HV_SYNIC_STIMER_COUNT; i++)
		if (vp->stimers[i].config & HV_STIMER_ENABLE)
			t = MIN(t, reftime_to_tsc(vp->partition, vp->stimers[i].expiration));
	if (vp->vlapic.next_ns != VLAPIC_TIMER_NONE) {
		now_ns = time_now_ns();
		now_tsc = time_tsc();
		t = MIN(t, vp->vlapic.next_ns <= now_ns ? now_tsc :
			   now_tsc + time_ns_to_tsc(vp->vlapic.next_ns - now_ns));
	}
	return t;
}

/* Call with sched_lock held; returns the LPs to kick. */
static u64 update_locked(struct vp *vp, u64 wake_at)
{
	if (vp->detached)
		return 0;
	if (runnable(vp))
		return sched_vp_wake(&hv_sched, &vp->sched, time_tsc());
	sched_vp_block(&hv_sched, &vp->sched, wake_at);
	return vp->sched.lp >= 0 ? BIT(vp->sched.lp) : 0;
}

void vp_sched_update(struct vp *vp)
{
	u64 kicks;

	spin_lock(&sched_lock);
	kicks = update_locked(vp, SCHED_NEVER);
	spin_unlock(&sched_lock);
	kick(kicks);
}

void vp_sched_halt(struct vp *vp)
{
	u64 kicks, wake_at = wake_tsc(vp);

	spin_lock(&sched_lock);
	vp->halted = true;
	kicks = update_locked(vp, wake_at);
	spin_unlock(&sched_lock);
	kick(kicks);
	/* An interrupt raised since the caller looked must not be lost. */
	if (vp_interrupt_pending(vp))
		vp_sched_interrupt(vp);
}

void vp_sched_interrupt(struct vp *vp)
{
	u64 kicks = 0;

	if (!vp->halted)
		return;
	spin_lock(&sched_lock);
	if (vp->halted) {
		vp->halted = false;
		kicks = update_locked(vp, SCHED_NEVER);
	}
	spin_unlock(&sched_lock);
	kick(kicks);
}

/* A dispatched VP's run time, for HvRegisterVpRuntime: the policy never runs it. */
void vp_sched_dispatch_begin(struct vp *vp)
{
	vp->sched.run_start = time_tsc();
}

void vp_sched_dispatch_end(struct vp *vp)
{
	vp->sched.total += time_tsc() - vp->sched.run_start;
}

static u64 runtime_100ns(const struct vp *vp)
{
	u64 ticks = vp->sched.total;

	if (vp->sched.lp >= 0)
		ticks += time_tsc() - vp->sched.run_start;
	return time_tsc_to_100ns(ticks);
}

bool vp_sched_get_register(struct vp *vp, HV_REGISTER_NAME name, HV_REGISTER_VALUE *v,
			   HV_STATUS *status)
{
	switch (name) {
	case HvRegisterExplicitSuspend:
		v->Reg64 = vp->explicit_suspend;
		break;
	case HvRegisterInterceptSuspend:
		v->Reg64 = vp->intercept_suspend;
		break;
	case HvRegisterInternalActivityState:
		v->Reg64 = vp->halted ? HV_INTERNAL_ACTIVITY_HALT_SUSPEND : 0;
		break;
	case HvRegisterVpRuntime:
		v->Reg64 = runtime_100ns(vp);
		break;
	default:
		return false;
	}
	*status = HV_STATUS_SUCCESS;
	return true;
}

/*
 * A parent that resets a VP (or restores a saved one) says whether it sits
 * in HLT. Startup and idle suspend have no meaning here: VPs start with
 * ExplicitSuspend, and there is no idle state but HLT.
 */
static HV_STATUS set_activity(struct vp *vp, u64 v)
{
	u64 kicks;

	if (v & ~(u64)HV_INTERNAL_ACTIVITY_HALT_SUSPEND)
		return HV_STATUS_INVALID_PARAMETER;
	spin_lock(&sched_lock);
	vp->halted = v & HV_INTERNAL_ACTIVITY_HALT_SUSPEND;
	kicks = update_locked(vp, vp->halted ? wake_tsc(vp) : SCHED_NEVER);
	spin_unlock(&sched_lock);
	kick(kicks);
	return HV_STATUS_SUCCESS;
}

bool vp_sched_set_register(struct vp *vp, HV_REGISTER_NAME name, const HV_REGISTER_VALUE *v,
			   HV_STATUS *status)
{
	bool suspend = v->Reg64 & 1;

	if (name == HvRegisterInternalActivityState) {
		*status = v->Reg128.High64 ? HV_STATUS_INVALID_PARAMETER : set_activity(vp, v->Reg64);
		return true;
	}
	if (name != HvRegisterExplicitSuspend && name != HvRegisterInterceptSuspend)
		return false;
	*status = HV_STATUS_SUCCESS;
	if (v->Reg64 > 1 || v->Reg128.High64) {
		*status = HV_STATUS_INVALID_PARAMETER;
		return true;
	}
	if (name == HvRegisterExplicitSuspend) {
		vp->explicit_suspend = suspend;
		/*
		 * From now on the hypervisor runs it (classic, core, with LPs for
		 * children); the parent no longer dispatches it.
		 */
		if (!suspend && child_lps && !vp->dispatcher)
			vp->scheduled = vp->started = true;
	} else {
		vp->intercept_suspend = suspend;
	}
	vp_sched_update(vp);
	/* A suspend takes effect once the VP has left its LP: the parent's call repeats until then. */
	if (suspend && vp->scheduled && vp->lp)
		*status = HV_STATUS_AGAIN;
	return true;
}

struct vp *lp_sched_next(struct lp *lp)
{
	for (;;) {
		u64 now = time_tsc(), until, kicks;
		struct sched_vp *sv;
		struct vp *vp = NULL;

		lp->kicked = false;
		spin_lock(&sched_lock);
		sv = sched_pick(&hv_sched, lp->index, now, &until, &kicks);
		if (sv) {
			vp = vp_of(sv);
			vp->lp = lp;
		}
		spin_unlock(&sched_lock);
		kick(kicks);
		lp->until = until;
		/* A halted VP woken by its timer runs only if the timer made an interrupt pending. */
		if (vp && vp->halted) {
			if (vp_interrupt_pending(vp)) {
				vp_sched_interrupt(vp);
			} else {
				vp_sched_halt(vp);
				vp->lp = NULL;
				continue;
			}
		}
		if (!vp && until > now && until - now > time_tsc_hz() / IDLE_POLL_PER_SECOND)
			until = now + time_tsc_hz() / IDLE_POLL_PER_SECOND;
		apic_timer_arm(until > now ? until - now : 1);
		if (vp) {
			lp->current = vp;
			lp->switches++;
			return vp;
		}
		if (until <= now) {
			__builtin_ia32_pause(); /* core type: a sibling is leaving another partition's VP */
			continue;
		}
		if (!lp->kicked)
			vcpu_arch_host_idle();
	}
}

bool vp_sched_probe(const struct vp *vp, u64 *value)
{
	static int enabled = -1;

	if (enabled < 0)
		enabled = hv_option("sched_probe");
	if (!enabled || !vp->lp)
		return false;
	*value = vp->lp->index | (u64)vp->lp->switches << 8;
	return true;
}

bool lp_sched_due(const struct lp *lp)
{
	return lp->kicked || time_tsc() >= lp->until || !runnable(lp->current);
}

void lp_sched_put(struct lp *lp)
{
	struct vp *vp = lp->current;

	vcpu_arch_put(vp);
	lp->current = NULL;
	__atomic_store_n(&vp->lp, NULL, __ATOMIC_RELEASE);
}
