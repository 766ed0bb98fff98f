/*
 * Minroot (seeds/004, "The Minimum Root, or Minroot Configuration"): the
 * root partition gets only some LPs; the others run child VPs alone.
 * Shared by the loader (which LPs to hand back to the firmware) and the
 * hypervisor (which LPs get a root VP), so both always agree.
 */
#ifndef HV_MINROOT_H
#define HV_MINROOT_H

#include "hv/types.h"
#include "hv/boot_info.h"

/*
 * Fills root_vp_index[lp]: the root VP index an LP carries, or -1. With
 * several nodes (packages stand in for NUMA nodes) each gets limit/nodes
 * root LPs, the first ones of the node in LP order, so whole cores go to the
 * root before a core is split. @limit 0 or >= lp_count: every LP. LP 0 (the
 * BSP) always carries root VP 0. Returns the number of root LPs.
 */
u32 minroot_select(u32 lp_count, const struct hv_lp_info *info, u32 limit,
		   s32 root_vp_index[HV_MAX_LPS]);

#endif
