/* The CPUID topology a child sees (hv/cpuid_topology.c), decoded the way Linux decodes it. */
#include "unit.h"
#include "hv/cpuid_topology.h"

#define VPS 64

static struct cpuid_regs view(u32 leaf, u32 subleaf, u32 apic, u32 tpc, struct cpuid_regs host)
{
	cpuid_topology(leaf, subleaf, apic, tpc, VPS, &host);
	return host;
}

/* Core ID from leaf 0xB as Linux's detect_extended_topology() finds it. */
static u32 core_of(u32 apic, u32 tpc)
{
	struct cpuid_regs smt = view(0xb, 0, apic, tpc, (struct cpuid_regs){ 0 });

	return apic >> (smt.eax & 0x1f);
}

static void extended_topology_smt2(void)
{
	struct cpuid_regs r;
	u32 leaf;

	for (leaf = 0xb; leaf <= 0x1f; leaf += 0x1f - 0xb) {
		r = view(leaf, 0, 5, 2, (struct cpuid_regs){ 0 });
		CHECK_EQ(r.eax, 1);
		CHECK_EQ(r.ebx, 2);
		CHECK_EQ((r.ecx >> 8) & 0xff, 1); /* SMT level */
		CHECK_EQ(r.edx, 5);
		r = view(leaf, 1, 5, 2, (struct cpuid_regs){ 0 });
		CHECK_EQ(r.eax, 6);
		CHECK_EQ(r.ebx, VPS);
		CHECK_EQ(r.ecx, 2 << 8 | 1); /* core level, number 1 */
		r = view(leaf, 2, 5, 2, (struct cpuid_regs){ 1, 1, 1, 1 });
		CHECK_EQ(r.ebx, 0);
		CHECK_EQ((r.ecx >> 8) & 0xff, 0); /* no more levels */
		CHECK_EQ(r.ecx & 0xff, 2);
	}
	CHECK_EQ(core_of(2, 2), core_of(3, 2));
	CHECK(core_of(1, 2) != core_of(2, 2));
}

static void extended_topology_non_smt(void)
{
	struct cpuid_regs r = view(0xb, 0, 3, 1, (struct cpuid_regs){ 0 });

	CHECK_EQ(r.eax, 0);
	CHECK_EQ(r.ebx, 1);
	CHECK(core_of(2, 1) != core_of(3, 1));
}

static void leaf_1(void)
{
	struct cpuid_regs r = view(1, 0, 9, 2, (struct cpuid_regs){ 0x800f12, 0x07030800, 0x1, 0 });

	CHECK_EQ(r.ebx >> 24, 9);           /* initial APIC ID: the VP's, not the host LP's */
	CHECK_EQ((r.ebx >> 16) & 0xff, VPS); /* logical processors per package */
	CHECK_EQ(r.ebx & 0xffff, 0x0800);    /* brand index and CLFLUSH size kept */
	CHECK(r.edx & (1u << 28));           /* HTT */
	CHECK_EQ(r.eax, 0x800f12);
	CHECK_EQ(r.ecx, 0x1);
}

static void amd_leaves(void)
{
	struct cpuid_regs r = view(0x8000001e, 0, 7, 2, (struct cpuid_regs){ 0, 0x00ff0000, 0x3ff, 0 });

	CHECK_EQ(r.eax, 7);
	CHECK_EQ((r.ebx >> 8) & 0xff, 1); /* threads per core - 1 */
	CHECK_EQ(r.ebx & 0xff, 3);        /* core ID */
	CHECK_EQ(r.ebx >> 16, 0xff);
	CHECK_EQ(r.ecx, 0);
	r = view(0x8000001e, 0, 7, 1, (struct cpuid_regs){ 0 });
	CHECK_EQ((r.ebx >> 8) & 0xff, 0);
	CHECK_EQ(r.ebx & 0xff, 7);
	r = view(0x80000008, 0, 7, 2, (struct cpuid_regs){ 0x3030, 0, 0x7f0f3, 0 });
	CHECK_EQ((r.ecx >> 12) & 0xf, 6);
	CHECK_EQ(r.ecx & 0xff, VPS - 1);
	CHECK_EQ(r.ecx & ~0xf0ffu, 0x70000); /* the rest kept */
	CHECK_EQ(r.eax, 0x3030);
}

static void cache_leaf(void)
{
	/* L1 data cache (type 1, level 1), L3 (type 3, level 3), no cache (type 0). */
	struct cpuid_regs l1 = view(4, 0, 0, 2, (struct cpuid_regs){ 0xfc004121, 1, 2, 3 });
	struct cpuid_regs l3 = view(4, 3, 0, 2, (struct cpuid_regs){ 0xfc03c163, 1, 2, 3 });
	struct cpuid_regs none = view(4, 4, 0, 2, (struct cpuid_regs){ 0, 0, 0, 0 });

	CHECK_EQ((l1.eax >> 14) & 0xfff, 1);  /* shared by the core's 2 threads */
	CHECK_EQ(l1.eax >> 26, VPS / 2 - 1);  /* cores per package */
	CHECK_EQ(l1.eax & 0x3fff, 0x0121);
	CHECK_EQ((l3.eax >> 14) & 0xfff, VPS - 1);
	CHECK_EQ(l1.ebx, 1);
	CHECK_EQ(none.eax, 0);
}

static void other_leaves_untouched(void)
{
	struct cpuid_regs host = { 1, 2, 3, 4 }, r = view(7, 0, 5, 2, host);

	CHECK_EQ(r.eax, 1);
	CHECK_EQ(r.ebx, 2);
	CHECK_EQ(r.ecx, 3);
	CHECK_EQ(r.edx, 4);
}

UNIT_MAIN("cpuid_topology", CASE(extended_topology_smt2), CASE(extended_topology_non_smt),
	  CASE(leaf_1), CASE(amd_leaves), CASE(cache_leaf), CASE(other_leaves_untouched))
