#include "hv/synic.h"
#include "hv/vp.h"
#include "hv/partition.h"
#include "hv/port.h"
#include "hv/vp_interrupt.h"
#include "hv/lib/string.h"

#define PAGE_REG_RSVDP 0xffeULL /* bits 11:1 of SIEFP and SIMP are preserved */
#define SINT_WRITABLE (HV_SYNIC_SINT_VECTOR_MASK | HV_SYNIC_SINT_MASKED | \
		       HV_SYNIC_SINT_AUTO_EOI | HV_SYNIC_SINT_POLLING)
#define MIN_VECTOR 16

void synic_reset(struct synic *s)
{
	unsigned i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < HV_SYNIC_SINT_COUNT; i++)
		s->sint[i] = HV_SYNIC_SINT_MASKED;
}

static u64 translate(const struct vp *vp, u64 reg)
{
	u64 spa;

	if (!(reg & HV_SYNIC_PAGE_ENABLE) ||
	    gpa_map_translate(&vp->partition->gpa_map, reg & PAGE_MASK,
			      HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE, &spa))
		return 0;
	return spa;
}

/*
 * The page an enabled SIMP or SIEFP register points at, or NULL. A found
 * translation is kept until the register or the partition's GPA map changes
 * (unmapping bumps the map's generation), so a page taken away is never
 * written; a page not mapped yet is looked for again on every use.
 */
static void *synic_page(struct vp *vp, bool sief)
{
	struct synic *s = &vp->synic;
	u64 gen = __atomic_load_n(&vp->partition->gpa_map.generation, __ATOMIC_ACQUIRE) + 1;
	u64 *spa = sief ? &s->sief_spa : &s->sim_spa;

	if (s->pages_generation != gen) {
		s->sim_spa = s->sief_spa = 0;
		s->pages_generation = gen;
	}
	if (!*spa)
		*spa = translate(vp, sief ? s->siefp : s->simp);
	return *spa ? phys_to_virt(*spa) : NULL;
}

static void pages_changed(struct synic *s)
{
	s->sim_spa = s->sief_spa = 0;
}

bool synic_accepts_messages(const struct vp *vp)
{
	return (vp->synic.scontrol & HV_SYNIC_CONTROL_ENABLE) &&
	       (vp->synic.simp & HV_SYNIC_PAGE_ENABLE);
}

bool synic_accepts_events(const struct vp *vp)
{
	return (vp->synic.scontrol & HV_SYNIC_CONTROL_ENABLE) &&
	       (vp->synic.siefp & HV_SYNIC_PAGE_ENABLE);
}

/* Edge-triggered SINT interrupt: lost when masked, not generated when polling. */
static void raise_sint(struct vp *vp, u32 sint)
{
	u64 r = vp->synic.sint[sint];

	if (r & (HV_SYNIC_SINT_MASKED | HV_SYNIC_SINT_POLLING))
		return;
	vp_raise_interrupt(vp, r & HV_SYNIC_SINT_VECTOR_MASK, r & HV_SYNIC_SINT_AUTO_EOI);
}

/*
 * Moves the head of SINT @sint's queue into its SIM slot if the slot is
 * empty. The guest only ever empties a slot, so a slot seen empty stays
 * empty until we fill it; a full slot gets MessagePending, and is looked at
 * again in case the guest emptied it before seeing the flag.
 */
static bool deliver_one(struct vp *vp, HV_MESSAGE *sim, u32 sint)
{
	struct synic_msgbuf *b = vp->synic.head[sint];
	HV_MESSAGE *slot = &sim[sint];

	if (!b)
		return false;
	if (__atomic_load_n(&slot->Header.MessageType, __ATOMIC_ACQUIRE) != HvMessageTypeNone) {
		__atomic_or_fetch(&slot->Header.MessageFlags, HV_MESSAGE_FLAG_PENDING, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&slot->Header.MessageType, __ATOMIC_SEQ_CST) != HvMessageTypeNone)
			return false;
	}
	vp->synic.head[sint] = b->next;
	if (!b->next)
		vp->synic.tail[sint] = NULL;
	memcpy(slot->Payload, b->msg.Payload, b->msg.Header.PayloadSize);
	slot->Header.PayloadSize = b->msg.Header.PayloadSize;
	slot->Header.Sender = b->msg.Header.Sender;
	slot->Header.MessageFlags = vp->synic.head[sint] ? HV_MESSAGE_FLAG_PENDING : 0;
	__atomic_store_n(&slot->Header.MessageType, b->msg.Header.MessageType, __ATOMIC_RELEASE);
	b->queued = false;
	if (b->port)
		port_release_buffer(b);
	raise_sint(vp, sint);
	return true;
}

static void scan_locked(struct vp *vp)
{
	HV_MESSAGE *sim;
	u32 sint;

	if (!synic_accepts_messages(vp))
		return;
	sim = synic_page(vp, false);
	if (!sim)
		return;
	for (sint = 0; sint < HV_SYNIC_SINT_COUNT; sint++)
		deliver_one(vp, sim, sint);
}

void synic_scan(struct vp *vp)
{
	spin_lock(&vp->synic.lock);
	scan_locked(vp);
	spin_unlock(&vp->synic.lock);
}

void synic_post(struct vp *vp, u32 sint, struct synic_msgbuf *b)
{
	struct synic *s = &vp->synic;

	spin_lock(&s->lock);
	b->next = NULL;
	b->queued = true;
	if (s->tail[sint])
		s->tail[sint]->next = b;
	else
		s->head[sint] = b;
	s->tail[sint] = b;
	scan_locked(vp);
	spin_unlock(&s->lock);
}

HV_STATUS synic_signal(struct vp *vp, u32 sint, u32 flag)
{
	u8 *flags;

	if (!synic_accepts_events(vp))
		return HV_STATUS_INVALID_SYNIC_STATE;
	if (vp->synic.sint[sint] & HV_SYNIC_SINT_MASKED)
		return HV_STATUS_INVALID_SYNIC_STATE;
	flags = synic_page(vp, true);
	if (!flags)
		return HV_STATUS_INVALID_SYNIC_STATE;
	flags += sint * (HV_EVENT_FLAGS_COUNT / 8);
	/* Only a flag going from clear to set interrupts (inter-partition-communication.md). */
	if (!(__atomic_fetch_or(&flags[flag / 8], (u8)(1u << (flag % 8)), __ATOMIC_SEQ_CST) &
	      (1u << (flag % 8))))
		raise_sint(vp, sint);
	return HV_STATUS_SUCCESS;
}

/* Takes out of @vp's queues the buffers of @port, or buffer @only. */
static void drop(struct vp *vp, const struct port *port, struct synic_msgbuf *only)
{
	u32 sint;

	spin_lock(&vp->synic.lock);
	for (sint = 0; sint < HV_SYNIC_SINT_COUNT; sint++) {
		struct synic_msgbuf **pp = &vp->synic.head[sint], *last = NULL;

		while (*pp) {
			if (only ? *pp == only : (*pp)->port == port) {
				(*pp)->queued = false;
				*pp = (*pp)->next;
				continue;
			}
			last = *pp;
			pp = &(*pp)->next;
		}
		vp->synic.tail[sint] = last;
	}
	spin_unlock(&vp->synic.lock);
}

void synic_drop_port(struct vp *vp, const struct port *port)
{
	drop(vp, port, NULL);
}

void synic_cancel(struct vp *vp, struct synic_msgbuf *b)
{
	drop(vp, NULL, b);
}

bool synic_update_queued(struct vp *vp, struct synic_msgbuf *b, const HV_MESSAGE *m)
{
	bool queued;

	spin_lock(&vp->synic.lock);
	queued = b->queued;
	if (queued)
		b->msg = *m;
	spin_unlock(&vp->synic.lock);
	return queued;
}

void synic_release_all(struct vp *vp)
{
	u32 sint;

	spin_lock(&vp->synic.lock);
	for (sint = 0; sint < HV_SYNIC_SINT_COUNT; sint++) {
		struct synic_msgbuf *b;

		while ((b = vp->synic.head[sint])) {
			vp->synic.head[sint] = b->next;
			b->queued = false;
			if (b->port)
				port_release_buffer(b);
		}
		vp->synic.tail[sint] = NULL;
	}
	spin_unlock(&vp->synic.lock);
}

bool synic_msr_read(struct vp *vp, u32 msr, u64 *value)
{
	struct synic *s = &vp->synic;

	switch (msr) {
	case HV_X64_MSR_SCONTROL:
		*value = s->scontrol;
		return true;
	case HV_X64_MSR_SVERSION:
		*value = HV_SYNIC_VERSION;
		return true;
	case HV_X64_MSR_SIEFP:
		*value = s->siefp;
		return true;
	case HV_X64_MSR_SIMP:
		*value = s->simp;
		return true;
	case HV_X64_MSR_EOM:
		*value = 0;
		return true;
	}
	if (msr >= HV_X64_MSR_SINT0 && msr <= HV_X64_MSR_SINT15) {
		*value = s->sint[msr - HV_X64_MSR_SINT0];
		return true;
	}
	return false;
}

bool synic_msr_write(struct vp *vp, u32 msr, u64 value)
{
	struct synic *s = &vp->synic;
	u64 *sint;

	switch (msr) {
	case HV_X64_MSR_SCONTROL:
		s->scontrol = value;
		synic_scan(vp);
		return true;
	case HV_X64_MSR_SVERSION:
		return false;
	case HV_X64_MSR_SIEFP:
		s->siefp = (value & ~PAGE_REG_RSVDP) | (s->siefp & PAGE_REG_RSVDP);
		pages_changed(s);
		return true;
	case HV_X64_MSR_SIMP:
		s->simp = (value & ~PAGE_REG_RSVDP) | (s->simp & PAGE_REG_RSVDP);
		pages_changed(s);
		synic_scan(vp);
		return true;
	case HV_X64_MSR_EOM:
		synic_scan(vp);
		return true;
	}
	if (msr < HV_X64_MSR_SINT0 || msr > HV_X64_MSR_SINT15)
		return false;
	/* Vectors 0-15 are not interrupts (SINTx Registers: #GP). */
	if ((value & HV_SYNIC_SINT_VECTOR_MASK) < MIN_VECTOR && !(value & HV_SYNIC_SINT_MASKED))
		return false;
	sint = &s->sint[msr - HV_X64_MSR_SINT0];
	*sint = (value & SINT_WRITABLE) | (*sint & ~SINT_WRITABLE);
	synic_scan(vp);
	return true;
}
