#include "hv/vp_interrupt.h"
#include "hv/vp.h"
#include "hv/partition.h"
#include "hv/synic.h"
#include "hv/vp_sched.h"
#include "hv/time.h"
#include "hv/boot_info.h"
#include "hv/init.h"
#include "hv/vp_assist.h"
#include "arch/x86/vcpu.h"
#include "arch/x86/cpu.h"

#define X2APIC_EOI 0x80b

static bool is_root(const struct vp *vp)
{
	return vp->partition == root_partition;
}

static void set_bit256(u64 *map, u8 v)
{
	__atomic_or_fetch(&map[v / 64], BIT(v % 64), __ATOMIC_SEQ_CST);
}

static void clear_bit256(u64 *map, u8 v)
{
	__atomic_and_fetch(&map[v / 64], ~BIT(v % 64), __ATOMIC_SEQ_CST);
}

static bool test_bit256(const u64 *map, u8 v)
{
	return map[v / 64] & BIT(v % 64);
}

static int highest_bit256(const u64 *map)
{
	int w;

	for (w = 3; w >= 0; w--)
		if (map[w])
			return w * 64 + 63 - __builtin_clzll(map[w]);
	return -1;
}

static struct vlapic_clock clock_now(void)
{
	return (struct vlapic_clock){ time_now_ns(), time_tsc() };
}

/*
 * EOI assist (virtual-interrupts.md): when a child takes an edge-triggered
 * vector with nothing else in service or requested, the hypervisor sets
 * "No EOI required" in its VP assist page, and a guest that clears the bit
 * skips the EOI write and its exit. The EOI then happens here, lazily: at
 * the VP's next entry or HLT, or as soon as another interrupt arrives
 * (taking the bit back first, so that an EOI still to come is a real one).
 * Every EOI retires the highest vector in service, so a consumed bit stands
 * for exactly one EOI whichever handler consumed it. Under irq_lock; an
 * EOI done here sets eoi_rescan (the SynIC must look at its queues again).
 */
static void eoi_assist_consumed(struct vp *vp, bool take_back)
{
	u32 *field, old = 0;

	if (!vp->eoi_assist_vector)
		return;
	field = vp_assist_eoi_field(vp);
	if (field)
		old = take_back ? __atomic_exchange_n(field, 0, __ATOMIC_SEQ_CST)
				: __atomic_load_n(field, __ATOMIC_ACQUIRE);
	if (old & 1) {
		if (take_back)
			vp->eoi_assist_vector = 0;
		return;
	}
	/* Cleared by the guest, or the page is gone: the EOI is owed either way. */
	vp->eoi_assist_vector = 0;
	vlapic_eoi(&vp->vlapic);
	vp->eoi_rescan = true;
}

static void eoi_assist_offer(struct vp *vp, u8 vector)
{
	u32 *field;

	if (!vp->vp_assist_msr || !vlapic_eoi_skippable(&vp->vlapic, vector))
		return;
	field = vp_assist_eoi_field(vp);
	if (!field)
		return;
	__atomic_or_fetch(field, 1, __ATOMIC_SEQ_CST);
	vp->eoi_assist_vector = vector;
}

/* The lazy EOI and the SynIC scan it calls for, before anything looks at what is pending. */
static __attribute__((noinline)) void eoi_assist_complete(struct vp *vp)
{
	bool rescan;

	spin_lock(&vp->irq_lock);
	eoi_assist_consumed(vp, false);
	rescan = vp->eoi_rescan;
	vp->eoi_rescan = false;
	spin_unlock(&vp->irq_lock);
	if (rescan)
		synic_scan(vp);
}

/* Inline: every entry asks, and almost never has anything to do. */
static inline void eoi_assist_sync(struct vp *vp)
{
	if (__atomic_load_n(&vp->eoi_assist_vector, __ATOMIC_RELAXED) ||
	    __atomic_load_n(&vp->eoi_rescan, __ATOMIC_RELAXED))
		eoi_assist_complete(vp);
}

void vp_eoi_assist_settle(struct vp *vp)
{
	spin_lock(&vp->irq_lock);
	eoi_assist_consumed(vp, true);
	spin_unlock(&vp->irq_lock);
}

void vp_interrupt_init(struct vp *vp)
{
	vp->eoi_assist_vector = 0;
	vlapic_reset(&vp->vlapic, vp->index, vp->index == 0, time_tsc_hz(),
		     (u8)__builtin_ctzll(boot_info->phys_limit));
}

void vp_raise_interrupt(struct vp *vp, u8 vector, bool auto_eoi)
{
	spin_lock(&vp->irq_lock);
	if (is_root(vp)) {
		set_bit256(vp->irq_pending, vector);
	} else if (vlapic_accept(&vp->vlapic, vector, false)) {
		eoi_assist_consumed(vp, true);
		if (auto_eoi)
			set_bit256(vp->irq_auto_eoi, vector);
		else
			clear_bit256(vp->irq_auto_eoi, vector);
	}
	spin_unlock(&vp->irq_lock);
	if (vp->scheduled)
		vp_sched_interrupt(vp);
}

static int next_vector(struct vp *vp)
{
	if (is_root(vp))
		return highest_bit256(vp->irq_pending);
	/* Reading the clock costs more than the common case: no APIC timer armed. */
	if (vp->vlapic.next_ns != VLAPIC_TIMER_NONE)
		vlapic_timer_expire(&vp->vlapic, time_now_ns());
	return vlapic_pending(&vp->vlapic);
}

bool vp_interrupt_pending(struct vp *vp)
{
	HV_REGISTER_VALUE rflags = { 0 };
	int v;

	stimer_poll(vp);
	eoi_assist_sync(vp);
	spin_lock(&vp->irq_lock);
	v = next_vector(vp);
	spin_unlock(&vp->irq_lock);
	/*
	 * A masked interrupt does not end HLT: cli; hlt waits for NMI or INIT
	 * (SDM, HLT). Counting it made a VP that halts for good with a vector
	 * in its IRR spin through HLT exits for ever instead of halting. The
	 * timers above are expired all the same, so their wake-up times move on.
	 */
	vcpu_arch_get_register(vp, HvX64RegisterRflags, &rflags);
	return v >= 0 && (rflags.Reg64 & RFLAGS_IF);
}

void vp_prepare_entry(struct vp *vp)
{
	bool rescan = false;
	int v;

	stimer_poll(vp);
	eoi_assist_sync(vp);
	spin_lock(&vp->irq_lock);
	v = next_vector(vp);
	if (v >= 0 && vcpu_arch_interruptible(vp)) {
		vcpu_arch_inject_interrupt(vp, (u8)v);
		if (is_root(vp)) {
			clear_bit256(vp->irq_pending, (u8)v);
		} else if (test_bit256(vp->irq_auto_eoi, (u8)v)) {
			vlapic_ack_auto_eoi(&vp->vlapic, (u8)v);
			rescan = true; /* an implicit EOI rescans the message queues too */
		} else {
			vlapic_ack(&vp->vlapic, (u8)v);
			eoi_assist_offer(vp, (u8)v);
		}
		v = next_vector(vp);
	}
	vcpu_arch_interrupt_window(vp, v >= 0);
	spin_unlock(&vp->irq_lock);
	if (rescan)
		synic_scan(vp);
}

bool vp_owns_apic_msr(const struct vp *vp, u32 msr)
{
	return !is_root(vp) && vlapic_owns_msr(msr);
}

bool vp_apic_msr_read(struct vp *vp, u32 msr, u64 *value)
{
	bool ok;

	spin_lock(&vp->irq_lock);
	eoi_assist_consumed(vp, true);
	ok = vlapic_msr_read(&vp->vlapic, msr, value, clock_now());
	spin_unlock(&vp->irq_lock);
	return ok;
}

/* Fixed and lowest-priority IPIs between the VPs of one partition. */
static void send_ipi(struct vp *from, const struct vlapic_ipi *ipi)
{
	struct partition *p = from->partition;
	unsigned i;

	if (ipi->mode != VLAPIC_DM_FIXED && ipi->mode != VLAPIC_DM_LOWEST)
		return; /* NMI, INIT and SIPI between child VPs: not yet; VPs start with HvCallStartVirtualProcessor */
	for (i = 0; i < HV_MAX_VPS_PER_PARTITION; i++) {
		struct vp *to = p->vps[i];
		bool hit;

		if (!to)
			continue;
		switch (ipi->shorthand) {
		case VLAPIC_DEST_SELF:
			hit = to == from;
			break;
		case VLAPIC_DEST_ALL:
			hit = true;
			break;
		case VLAPIC_DEST_OTHERS:
			hit = to != from;
			break;
		default:
			hit = vlapic_match_destination(&to->vlapic, ipi->dest, ipi->logical);
		}
		if (hit) {
			vp_raise_interrupt(to, ipi->vector, false);
			if (ipi->mode == VLAPIC_DM_LOWEST)
				return;
		}
	}
}

bool vp_apic_msr_write(struct vp *vp, u32 msr, u64 value)
{
	struct vlapic_effects fx = { 0 };
	bool ok;

	spin_lock(&vp->irq_lock);
	/* A real EOI while the bit is set is the one it stood for; after the guest took it, the next. */
	eoi_assist_consumed(vp, true);
	ok = vlapic_msr_write(&vp->vlapic, msr, value, clock_now(), &fx);
	spin_unlock(&vp->irq_lock);
	if (!ok)
		return false;
	if (fx.send_ipi) {
		partitions_lock();
		send_ipi(vp, &fx.ipi);
		partitions_unlock();
	}
	/* An EOI lets the SynIC deliver what waited behind the acknowledged message. */
	if (msr == X2APIC_EOI || msr == VLAPIC_MSR_HV_EOI)
		synic_scan(vp);
	return true;
}
