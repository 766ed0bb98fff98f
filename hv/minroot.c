#include "hv/minroot.h"

u32 minroot_select(u32 lp_count, const struct hv_lp_info *info, u32 limit,
		   s32 root_vp_index[HV_MAX_LPS])
{
	u16 nodes[HV_MAX_LPS];
	u32 node_count = 0, taken[HV_MAX_LPS] = { 0 };
	u32 i, j, n = 0;

	for (i = 0; i < lp_count; i++) {
		for (j = 0; j < node_count && nodes[j] != info[i].package; j++)
			;
		if (j == node_count)
			nodes[node_count++] = info[i].package;
	}
	if (!limit || limit > lp_count)
		limit = lp_count;
	for (i = 0; i < lp_count; i++) {
		u32 quota;

		for (j = 0; nodes[j] != info[i].package; j++)
			;
		/* limit/nodes each; the remainder goes to the first nodes; the BSP's node always gets one. */
		quota = limit / node_count + (j < limit % node_count);
		if (i == 0 && !quota)
			quota = 1;
		root_vp_index[i] = -1;
		if (taken[j] < quota && n < limit) {
			taken[j]++;
			root_vp_index[i] = n++;
		}
	}
	return n;
}
