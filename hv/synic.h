/*
 * The synthetic interrupt controller of a VP (inter-partition-communication.md):
 * SynIC MSRs, per-SINT message queues delivered into the SIM page with the
 * pending/EOM protocol, and event flags set in the SIEF page.
 */
#ifndef HV_SYNIC_H
#define HV_SYNIC_H

#include "hv/types.h"
#include "hv/tlfs.h"
#include "hv/spinlock.h"

struct vp;
struct port;

/* A message waiting for its SIM slot; lives in its port's buffer pool. */
struct synic_msgbuf {
	struct synic_msgbuf *next;
	struct port *port;        /* NULL: the hypervisor's own (a timer's) */
	bool queued;
	HV_MESSAGE msg;
};

struct synic {
	u64 scontrol;
	u64 siefp;
	u64 simp;
	u64 sint[HV_SYNIC_SINT_COUNT];
	struct synic_msgbuf *head[HV_SYNIC_SINT_COUNT];
	struct synic_msgbuf *tail[HV_SYNIC_SINT_COUNT];
	struct spinlock lock; /* queues: senders on other LPs, EOM on the VP's own */
	/* Where the SIM and SIEF pages are, valid while the GPA map has this generation. */
	u64 sim_spa, sief_spa;
	u64 pages_generation;
};

void synic_reset(struct synic *s);
bool synic_msr_read(struct vp *vp, u32 msr, u64 *value);
bool synic_msr_write(struct vp *vp, u32 msr, u64 value);

/* Can @vp receive messages / events at all (SynIC and the page enabled)? */
bool synic_accepts_messages(const struct vp *vp);
bool synic_accepts_events(const struct vp *vp);

/* Queues @b for SINT @sint of @vp and delivers what the SIM page has room for. */
void synic_post(struct vp *vp, u32 sint, struct synic_msgbuf *b);
/* Sets event flag @flag in SINT @sint's SIEF area; HV_STATUS_INVALID_SYNIC_STATE if masked. */
HV_STATUS synic_signal(struct vp *vp, u32 sint, u32 flag);
/* Delivers queued messages into free slots (after EOM, EOI or a new post). */
void synic_scan(struct vp *vp);
/* Forgets queued buffers of @port (the port is being deleted). */
void synic_drop_port(struct vp *vp, const struct port *port);
/* Forgets @b if it is still queued at @vp (its owner is being deleted). */
void synic_cancel(struct vp *vp, struct synic_msgbuf *b);
/* If @b still waits in one of @vp's queues, makes it carry @m instead; false if it does not. */
bool synic_update_queued(struct vp *vp, struct synic_msgbuf *b, const HV_MESSAGE *m);
/* Gives every buffer queued for @vp back to its port (the VP is being deleted). */
void synic_release_all(struct vp *vp);

#endif
