/*
 * Synthetic timers STIMER0-3 of a VP (timers.md, "Synthetic Timers"), in
 * reference time. Expiry is checked whenever the VP is about to run.
 */
#ifndef HV_STIMER_H
#define HV_STIMER_H

#include "hv/types.h"
#include "hv/tlfs.h"
#include "hv/synic.h"

struct vp;

struct stimer {
	u64 config;
	u64 count;
	u64 expiration;          /* reference time of the next expiry, while enabled */
	struct synic_msgbuf msg; /* each timer has its own message buffer */
};

void stimer_reset(struct stimer *t);
bool stimer_owns_msr(u32 msr);
bool stimer_msr_read(struct vp *vp, u32 msr, u64 *value);
bool stimer_msr_write(struct vp *vp, u32 msr, u64 value);
/* Fires every due timer of @vp. */
void stimer_poll(struct vp *vp);

#endif
