/*
 * The processor topology a child sees in CPUID: one package with room for
 * every VP the partition can have, cores of HwThreadCountPerCore threads,
 * and APIC ID = VP index, as its virtual APIC reports it.
 */
#ifndef HV_CPUID_TOPOLOGY_H
#define HV_CPUID_TOPOLOGY_H

#include "hv/types.h"
#include "arch/x86/cpu.h"

/* Whether @leaf has topology fields: most CPUID exits need nothing more. */
static inline bool cpuid_topology_leaf(u32 leaf)
{
	return leaf == 1 || leaf == 4 || leaf == 0xb || leaf == 0x1f || leaf == 0x80000008 ||
	       leaf == 0x8000001e;
}

/* Rewrites the topology fields of the host's @r for leaf @leaf/@subleaf;
 * @threads_per_core >= 1, @package_lps the VPs a partition can have. */
void cpuid_topology(u32 leaf, u32 subleaf, u32 apic_id, u32 threads_per_core, u32 package_lps,
		    struct cpuid_regs *r);

#endif
