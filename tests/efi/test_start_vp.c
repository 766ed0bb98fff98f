/*
 * HvCallStartVirtualProcessor and HvCallGetVpCpuidValues (issue #3).
 *
 * A child with two VPs runs tests/payloads/start_vp.c: VP 0 tries the
 * starts that must fail and halts; the parent sees VP 1 as it was (a
 * start refused half-way through its registers left nothing behind); then
 * VP 0 starts VP 1 in 64-bit mode on a stack of its own, and VP 1 runs.
 * Load option "scheduled" (root_lps=1, classic): the hypervisor runs both
 * VPs on LP 1, the parent only watches. "dispatch" (no LPs for children):
 * the parent dispatches VP 0, and VP 1 once the start has released it.
 * A second child, whose privilege mask lacks StartVirtualProcessor, is
 * refused. What each VP read with CPUID must be what
 * HvCallGetVpCpuidValues tells the parent.
 */
#include "lib/tefi.h"
#include "lib/child.h"
#include "../payloads/start_vp.h"

extern const u8 payload_start_vp_start[], payload_start_vp_end[];

#define MS 1000
#define INIT_RIP 0xfff0
#define INIT_CS_BASE 0xffff0000

static bool scheduled;

static HV_STATUS create(struct child *c, u32 property, u64 value)
{
	const CHAR16 *step;
	HV_STATUS s = child_create_early(c, payload_start_vp_start,
					 payload_start_vp_end - payload_start_vp_start, property, value,
					 &step);

	if (!s)
		s = hv_deposit(c->id, (u64)hv_pages(8), 8);
	if (!s)
		s = hv_create_vp(c->id, 1);
	if (!s)
		s = hv_map_intercept_page(c->id, 1, (u64)hv_pages(1));
	return s;
}

/* Lets VP 0 run until it halts at @phase: the hypervisor runs it, or the parent dispatches it. */
static bool vp0_reaches(struct child *c, u64 phase)
{
	u64 activity = 0;
	HV_STATUS s;
	u32 ms;

	if (!scheduled)
		return child_run(c, &s) == HvMessageTypeX64Halt && c->mailbox[START_VP_PHASE] == phase;
	for (ms = 0; ms < 2000; ms++) {
		if (c->mailbox[START_VP_PHASE] == phase &&
		    !hv_get_reg64(c->id, 0, HvRegisterInternalActivityState, &activity) &&
		    activity == HV_INTERNAL_ACTIVITY_HALT_SUSPEND)
			return true;
		uefi_call_wrapper(BS->Stall, 1, MS);
	}
	return false;
}

/* VP 0 goes on past the HLT it stopped at. */
static bool vp0_resume(struct child *c)
{
	const HV_X64_INTERCEPT_MESSAGE_HEADER *h = (const void *)c->msg->Payload;

	if (!scheduled)
		return !hv_set_reg64(c->id, 0, HvX64RegisterRip, h->Rip + (h->InstructionLength & 0xf));
	/* A scheduled VP is past its HLT already, waiting for an interrupt it masked. */
	return !hv_set_reg64(c->id, 0, HvRegisterExplicitSuspend, 1) &&
	       !hv_set_reg64(c->id, 0, HvRegisterInternalActivityState, 0) &&
	       !hv_set_reg64(c->id, 0, HvRegisterExplicitSuspend, 0);
}

/* VP 0 from its entry, with the payload in @mode. */
static bool vp0_start(struct child *c, u64 mode, u64 phase)
{
	c->mailbox[START_VP_MODE] = mode;
	if (scheduled && hv_set_reg64(c->id, 0, HvRegisterExplicitSuspend, 0))
		return false;
	return vp0_reaches(c, phase);
}

/* VP 1 after its start: the hypervisor runs it, or the parent dispatches it until it halts. */
static bool vp1_ran(struct child *c)
{
	struct hv_output_dispatch_vp out;
	u32 ms, preempted;

	if (!scheduled) {
		for (preempted = 0; preempted < 100000; preempted++)
			if (hv_dispatch(c->id, 1, &out) ||
			    out.DispatchEvent != HV_VP_DISPATCH_EVENT_PREEMPTED)
				break;
	}
	for (ms = 0; ms < 2000 && c->mailbox[START_VP_RAN] != START_VP_MAGIC; ms++)
		uefi_call_wrapper(BS->Stall, 1, MS);
	return c->mailbox[START_VP_RAN] == START_VP_MAGIC;
}

static HV_STATUS get_cpuid(HV_PARTITION_ID id, u32 vp, u32 flags, u32 reserved, HV_CPUID_RESULT *out)
{
	struct hv_input_get_vp_cpuid_values *in = hv_in();
	HV_CPUID_LEAF_INFO *leaf = (void *)(in + 1);
	u64 r;
	u32 i;

	ZeroMem(in, sizeof(*in));
	in->PartitionId = id;
	in->VpIndex = vp;
	in->Flags = flags;
	in->ReservedZ = reserved;
	for (i = 0; i < START_VP_LEAVES; i++) {
		leaf[i].Eax = start_vp_leaves[i].leaf;
		leaf[i].Ecx = start_vp_leaves[i].subleaf;
	}
	r = hv_call(hv_rep_control(HvCallGetVpCpuidValues, START_VP_LEAVES), hv_in_gpa(), hv_out_gpa());
	if (!hv_status(r) && hv_reps(r) != START_VP_LEAVES)
		return HV_STATUS_INVALID_HYPERCALL_INPUT;
	CopyMem(out, hv_out(), START_VP_LEAVES * sizeof(*out));
	return hv_status(r);
}

/* HvCallGetVpCpuidValues, as Linux's mshv asks (both flags), against what VP @vp recorded. */
static bool cpuid_matches(struct child *c, u32 vp, HV_CPUID_RESULT *got)
{
	const volatile u64 *seen = &c->mailbox[START_VP_CPUID(vp)];
	u32 i;

	if (get_cpuid(c->id, vp, HV_GET_VP_CPUID_VALUES_USE_VP_XFEM_XSS |
				     HV_GET_VP_CPUID_VALUES_APPLY_REGISTERED_VALUES, 0, got))
		return false;
	for (i = 0; i < START_VP_LEAVES; i++) {
		if (seen[2 * i] != (got[i].Eax | (u64)got[i].Ebx << 32) ||
		    seen[2 * i + 1] != (got[i].Ecx | (u64)got[i].Edx << 32)) {
			tefi_print(L"  VP %d leaf %x.%d: read %lx %lx, the call says %x %x %x %x\n", vp,
				   start_vp_leaves[i].leaf, start_vp_leaves[i].subleaf, seen[2 * i],
				   seen[2 * i + 1], got[i].Eax, got[i].Ebx, got[i].Ecx, got[i].Edx);
			return false;
		}
	}
	return true;
}

/* Leaf 0xD.0 is the last one recorded: its EBX against the size the VP computed for its XCR0. */
static bool xsave_size_right(struct child *c, u32 vp)
{
	u64 ebx = c->mailbox[START_VP_CPUID(vp) + 2 * (START_VP_LEAVES - 1)] >> 32;

	tefi_print(L"  VP %d: XCR0 0x%lx, CPUID 0xD.0 EBX %ld, its components end at %ld\n", vp,
		   c->mailbox[START_VP_XCR0(vp)], ebx, c->mailbox[START_VP_XSAVE_SIZE(vp)]);
	return ebx == c->mailbox[START_VP_XSAVE_SIZE(vp)];
}

static HV_STATUS status_of(struct child *c, enum start_vp_call call)
{
	return (HV_STATUS)c->mailbox[START_VP_STATUS + call];
}

static void failures(struct child *c)
{
	static const struct {
		enum start_vp_call call;
		HV_STATUS expected;
		const CHAR16 *what;
	} cases[] = {
		{ START_VP_VTL1, HV_STATUS_INVALID_VTL_STATE, L"TargetVtl 1: INVALID_VTL_STATE" },
		{ START_VP_VTL16, HV_STATUS_INVALID_PARAMETER, L"TargetVtl 16: INVALID_PARAMETER" },
		{ START_VP_PADDING, HV_STATUS_INVALID_PARAMETER, L"padding set: INVALID_PARAMETER" },
		{ START_VP_PARENT, HV_STATUS_INVALID_PARTITION_ID, L"the parent's id: INVALID_PARTITION_ID" },
		{ START_VP_NO_VP, HV_STATUS_INVALID_VP_INDEX, L"VP 2 (none): INVALID_VP_INDEX" },
		{ START_VP_INDEX_64, HV_STATUS_INVALID_VP_INDEX, L"VP 64: INVALID_VP_INDEX" },
		{ START_VP_SELF, HV_STATUS_INVALID_VP_STATE, L"VP 0, running: INVALID_VP_STATE" },
		{ START_VP_CR4_RESERVED, HV_STATUS_INVALID_REGISTER_VALUE,
		  L"CR4 bit 63: INVALID_REGISTER_VALUE" },
		{ START_VP_PG_NO_PE, HV_STATUS_INVALID_REGISTER_VALUE,
		  L"CR0.PG without PE: INVALID_REGISTER_VALUE" },
		{ START_VP_NO_LMA, HV_STATUS_INVALID_REGISTER_VALUE,
		  L"LME and PG without LMA: INVALID_REGISTER_VALUE" },
		{ START_VP_RIP, HV_STATUS_INVALID_REGISTER_VALUE,
		  L"non-canonical RIP: INVALID_REGISTER_VALUE" },
		{ START_VP_RFLAGS, HV_STATUS_INVALID_REGISTER_VALUE,
		  L"RFLAGS bit 15: INVALID_REGISTER_VALUE" },
	};
	u64 rip = 0, cs = 0, cr4 = ~0ULL, suspended = 0;
	u32 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		HV_STATUS s = status_of(c, cases[i].call);

		if (s != cases[i].expected)
			tefi_print(L"  status 0x%x\n", s);
		tefi_check(s == cases[i].expected, cases[i].what);
	}
	tefi_check(!hv_get_reg64(c->id, 1, HvX64RegisterRip, &rip) && rip == INIT_RIP &&
			   !hv_get_reg64(c->id, 1, HvX64RegisterCs, &cs) && cs == INIT_CS_BASE &&
			   !hv_get_reg64(c->id, 1, HvX64RegisterCr4, &cr4) && cr4 == 0,
		   L"VP 1 still in its INIT state (RIP, CS base, CR4) after the refused starts");
	tefi_check(!hv_get_reg64(c->id, 1, HvRegisterExplicitSuspend, &suspended) && suspended,
		   L"and still explicitly suspended");
}

static void start_vp(u64 *privileges)
{
	HV_CPUID_RESULT got[START_VP_LEAVES];
	struct hv_input_start_virtual_processor *in;
	struct child c;
	u64 suspended = 1;

	tefi_check(create(&c, 0, 0) == 0, L"a child with VPs 0 and 1");
	tefi_check(hv_get_property(c.id, HvPartitionPropertyPrivilegeFlags, privileges) == 0 &&
			   (*privileges & HV_START_VIRTUAL_PROCESSOR),
		   L"children hold StartVirtualProcessor");
	in = hv_in();
	ZeroMem(in, sizeof(*in));
	in->PartitionId = c.id;
	in->VpIndex = 1;
	tefi_check(hv_status(hv_call(HvCallStartVirtualProcessor, hv_in_gpa(), 0)) ==
			   HV_STATUS_ACCESS_DENIED,
		   L"the parent, without the privilege, may not start the child's VP: ACCESS_DENIED");
	tefi_check(vp0_start(&c, START_VP_MODE_START, START_VP_CHECKPOINT),
		   L"VP 0 tried the failing starts and stopped");
	failures(&c);
	tefi_check(vp0_resume(&c) && vp0_reaches(&c, START_VP_DONE), L"VP 0 went on and finished");
	tefi_check(status_of(&c, START_VP_START) == HV_STATUS_SUCCESS, L"VP 0 started VP 1");
	tefi_check(status_of(&c, START_VP_AGAIN) == HV_STATUS_INVALID_VP_STATE,
		   L"starting it again: INVALID_VP_STATE");
	tefi_check(!hv_get_reg64(c.id, 1, HvRegisterExplicitSuspend, &suspended) && !suspended,
		   L"the start cleared VP 1's ExplicitSuspend");
	tefi_check(vp1_ran(&c), L"VP 1 ran");
	tefi_check(c.mailbox[START_VP_RSP] == START_VP_STACK_TOP && c.mailbox[START_VP_INDEX] == 1,
		   L"on the context's stack, as VP 1");
	tefi_check(cpuid_matches(&c, 0, got), L"VP 0's CPUID leaves 1, 0xB.0, 0xB.1, 0x40000000, 0x40000003, 0xD.0 "
					      L"as HvCallGetVpCpuidValues gives them");
	tefi_check(cpuid_matches(&c, 1, got), L"and VP 1's");
	tefi_check(xsave_size_right(&c, 0) && xsave_size_right(&c, 1),
		   L"CPUID 0xD.0 EBX: the XSAVE size of each VP's own XCR0, whatever the LP's");
	tefi_check((got[0].Ebx >> 24) == 1 && got[1].Edx == 1, L"VP 1's APIC ID 1 in leaves 1 and 0xB");
	tefi_check(got[4].Ebx & (HV_START_VIRTUAL_PROCESSOR >> 32),
		   L"0x40000003 EBX advertises StartVirtualProcessor");
	tefi_check(get_cpuid(c.id, 1, 0, 0, got) == 0, L"HvCallGetVpCpuidValues without flags");
	tefi_check(get_cpuid(0x7777, 1, 0, 0, got) == HV_STATUS_INVALID_PARTITION_ID,
		   L"HvCallGetVpCpuidValues: unknown partition: INVALID_PARTITION_ID");
	tefi_check(get_cpuid(c.id, 2, 0, 0, got) == HV_STATUS_INVALID_VP_INDEX,
		   L"VP 2 (none): INVALID_VP_INDEX");
	tefi_check(get_cpuid(c.id, 1, 4, 0, got) == HV_STATUS_INVALID_PARAMETER,
		   L"a reserved flag: INVALID_PARAMETER");
	tefi_check(get_cpuid(c.id, 1, 0, 1, got) == HV_STATUS_INVALID_PARAMETER,
		   L"ReservedZ set: INVALID_PARAMETER");
	tefi_check(hv_partition_op(HvCallDeletePartition, c.id) == 0, L"deleted");
}

static void denied(u64 privileges)
{
	HV_CPUID_RESULT got[START_VP_LEAVES];
	struct child c;
	u64 suspended = 0;

	tefi_check(create(&c, HvPartitionPropertyPrivilegeFlags,
			  privileges & ~HV_START_VIRTUAL_PROCESSOR) == 0,
		   L"a child without StartVirtualProcessor");
	tefi_check(vp0_start(&c, START_VP_MODE_DENIED, START_VP_DONE), L"its VP 0 tried to start VP 1");
	tefi_check(status_of(&c, START_VP_START) == HV_STATUS_ACCESS_DENIED, L"ACCESS_DENIED");
	tefi_check(!hv_get_reg64(c.id, 1, HvRegisterExplicitSuspend, &suspended) && suspended &&
			   c.mailbox[START_VP_RAN] != START_VP_MAGIC,
		   L"VP 1 stayed suspended and never ran");
	tefi_check(cpuid_matches(&c, 0, got) &&
			   !(got[4].Ebx & (HV_START_VIRTUAL_PROCESSOR >> 32)),
		   L"0x40000003 EBX does not advertise it, read and as the call gives it");
	tefi_check(hv_partition_op(HvCallDeletePartition, c.id) == 0, L"deleted");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	u64 privileges = 0;
	u32 a, b, c, d;

	tefi_init(image, systab);
	scheduled = !StrCmp(tefi_load_options(), L"scheduled");
	tefi_print(L"  child VPs %a\n", scheduled ? "run by the hypervisor on LP 1" : "dispatched");
	tefi_check(hv_setup(), L"hypercall page");
	tefi_check(hv_deposit(HV_PARTITION_ID_SELF, (u64)hv_pages(8), 8) == 0, L"root pool");
	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(HV_CPUID_FEATURES), "c"(0));
	tefi_check(!(b & (HV_START_VIRTUAL_PROCESSOR >> 32)),
		   L"the root, whose VPs all run, is not offered StartVirtualProcessor");
	start_vp(&privileges);
	denied(privileges);
	tefi_finish();
}
