#include "hv/cpuid_topology.h"

#define CPUID_1_EDX_HTT BIT(28)
/* Leaves 0xB and 0x1F: level types (SDM vol. 2A, CPUID). */
#define LEVEL_SMT 1
#define LEVEL_CORE 2

/* Bits an APIC ID needs to tell @n things apart. */
static u32 width(u32 n)
{
	u32 w = 0;

	while ((1u << w) < n)
		w++;
	return w;
}

void cpuid_topology(u32 leaf, u32 subleaf, u32 apic_id, u32 threads_per_core, u32 package_lps,
		    struct cpuid_regs *r)
{
	u32 smt = width(threads_per_core), package = width(package_lps);
	u32 level, sharing;

	switch (leaf) {
	case 1:
		r->ebx = (r->ebx & 0xffff) | (1u << package) << 16 | apic_id << 24;
		r->edx |= CPUID_1_EDX_HTT;
		break;
	case 4:
		if (!(r->eax & 0x1f))
			break; /* no cache at this subleaf */
		level = (r->eax >> 5) & 7;
		sharing = level <= 2 ? 1u << smt : 1u << package;
		r->eax = (r->eax & 0x3fff) | (sharing - 1) << 14 |
			 ((1u << (package - smt)) - 1) << 26;
		break;
	case 0xb:
	case 0x1f:
		r->edx = apic_id;
		if (subleaf == 0) {
			r->eax = smt;
			r->ebx = threads_per_core;
			r->ecx = LEVEL_SMT << 8;
		} else if (subleaf == 1) {
			r->eax = package;
			r->ebx = 1u << package;
			r->ecx = LEVEL_CORE << 8 | 1;
		} else {
			r->eax = r->ebx = 0;
			r->ecx = subleaf & 0xff;
		}
		break;
	case 0x80000008:
		/* ApicIdSize and NC: logical processors per package. */
		r->ecx = (r->ecx & ~0xf0ffu) | package << 12 | ((1u << package) - 1);
		break;
	case 0x8000001e:
		/* Extended APIC ID; threads per core - 1 and core ID; node 0 of 1. */
		r->eax = apic_id;
		r->ebx = (r->ebx & ~0xffffu) | (threads_per_core - 1) << 8 | (apic_id >> smt);
		r->ecx = 0;
		break;
	}
}
