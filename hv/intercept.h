/* Intercept messages from a child VP to its parent (tlfs-v6.0b.txt 13.2). */
#ifndef HV_INTERCEPT_H
#define HV_INTERCEPT_H

#include "hv/types.h"
#include "hv/tlfs.h"

struct vp;
struct vp_exit;
struct partition;

bool intercept_installed_cpuid(const struct partition *p, u32 leaf);
bool intercept_installed_msr(const struct partition *p, u32 msr, bool write);
bool intercept_installed_exception(const struct partition *p, u8 vector);

/* Posts the message for @exit to the parent and hands the LP back to it. */
void intercept_to_parent(struct vp *vp, const struct vp_exit *exit);
/* Ends the child partition: unrecoverable for @reason, reported to the parent. */
void intercept_fatal(struct vp *vp, u32 message_type, const char *reason);

#endif
