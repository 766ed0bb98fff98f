#include "unit.h"
#include "hv/minroot.h"

static struct hv_lp_info info[HV_MAX_LPS];
static s32 idx[HV_MAX_LPS];

static u32 topology(u32 packages, u32 cores, u32 threads)
{
	u32 p, c, t, n = 0;

	for (p = 0; p < packages; p++)
		for (c = 0; c < cores; c++)
			for (t = 0; t < threads; t++, n++)
				info[n] = (struct hv_lp_info){ .apic_id = n, .package = p,
							       .core = c, .thread = t };
	return n;
}

/* The seed's example: 2 nodes x 16 LPs, 8 root VPs: LPs 0-3 and 16-19, VPs numbered in order. */
static void two_nodes(void)
{
	u32 n = topology(2, 8, 2), i;

	CHECK_EQ(minroot_select(n, info, 8, idx), 8);
	for (i = 0; i < n; i++) {
		if (i < 4)
			CHECK_EQ(idx[i], i);
		else if (i >= 16 && i < 20)
			CHECK_EQ(idx[i], i - 12);
		else
			CHECK_EQ(idx[i], -1);
	}
}

static void no_limit_means_all(void)
{
	u32 n = topology(1, 2, 2), i;

	CHECK_EQ(minroot_select(n, info, 0, idx), 4);
	for (i = 0; i < n; i++)
		CHECK_EQ(idx[i], i);
	CHECK_EQ(minroot_select(n, info, 9, idx), 4);
}

/* One root LP on an SMT core: the BSP; the sibling runs children only. */
static void one_root_lp(void)
{
	u32 n = topology(1, 2, 2);

	CHECK_EQ(minroot_select(n, info, 1, idx), 1);
	CHECK_EQ(idx[0], 0);
	CHECK_EQ(idx[1], -1);
	CHECK_EQ(idx[2], -1);
	CHECK_EQ(idx[3], -1);
}

/* Fewer root LPs than nodes: the BSP's node first. */
static void fewer_than_nodes(void)
{
	u32 n = topology(4, 2, 1);

	CHECK_EQ(minroot_select(n, info, 3, idx), 3);
	CHECK_EQ(idx[0], 0);
	CHECK_EQ(idx[2], 1);
	CHECK_EQ(idx[4], 2);
	CHECK_EQ(idx[6], -1);
}

UNIT_MAIN("minroot", CASE(two_nodes), CASE(no_limit_means_all), CASE(one_root_lp),
	  CASE(fewer_than_nodes))
