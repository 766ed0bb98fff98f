/*
 * Logical processors, through EFI_MP_SERVICES_PROTOCOL
 * (PI specification, volume 2: DXE), which gnu-efi does not declare.
 *
 * LP numbering: LP 0 is the BSP, then every other enabled processor in MP
 * services processor-number order. With the usual numbering (BSP = processor
 * 0, all enabled) LP n is processor n.
 */
#include <cpuid.h>

#include "boot/loader.h"

#define EFI_MP_SERVICES_PROTOCOL_GUID \
	{ 0x3fdda605, 0xa76e, 0x4f46, { 0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 } }

#define PROCESSOR_ENABLED_BIT 0x00000002

typedef struct _EFI_MP_SERVICES_PROTOCOL EFI_MP_SERVICES_PROTOCOL;

typedef VOID (EFIAPI *EFI_AP_PROCEDURE)(VOID *ProcedureArgument);

typedef struct {
	UINT32 Package;
	UINT32 Core;
	UINT32 Thread;
} EFI_CPU_PHYSICAL_LOCATION;

typedef struct {
	UINT64 ProcessorId;
	UINT32 StatusFlag;
	EFI_CPU_PHYSICAL_LOCATION Location;
	/*
	 * PI 1.7's EXTENDED_PROCESSOR_INFORMATION: only filled when the
	 * CPU_V2_EXTENDED_TOPOLOGY bit is set in ProcessorNumber, which we never
	 * do, but present so that the buffer has the size firmware expects.
	 */
	UINT32 ExtendedInformation[6];
} EFI_PROCESSOR_INFORMATION;

struct _EFI_MP_SERVICES_PROTOCOL {
	EFI_STATUS (EFIAPI *GetNumberOfProcessors)(EFI_MP_SERVICES_PROTOCOL *This,
						   UINTN *NumberOfProcessors,
						   UINTN *NumberOfEnabledProcessors);
	EFI_STATUS (EFIAPI *GetProcessorInfo)(EFI_MP_SERVICES_PROTOCOL *This,
					      UINTN ProcessorNumber,
					      EFI_PROCESSOR_INFORMATION *ProcessorInfoBuffer);
	EFI_STATUS (EFIAPI *StartupAllAPs)(EFI_MP_SERVICES_PROTOCOL *This,
					   EFI_AP_PROCEDURE Procedure, BOOLEAN SingleThread,
					   EFI_EVENT WaitEvent, UINTN TimeoutInMicroSeconds,
					   VOID *ProcedureArgument, UINTN **FailedCpuList);
	EFI_STATUS (EFIAPI *StartupThisAP)(EFI_MP_SERVICES_PROTOCOL *This,
					   EFI_AP_PROCEDURE Procedure, UINTN ProcessorNumber,
					   EFI_EVENT WaitEvent, UINTN TimeoutInMicroseconds,
					   VOID *ProcedureArgument, BOOLEAN *Finished);
	EFI_STATUS (EFIAPI *SwitchBSP)(EFI_MP_SERVICES_PROTOCOL *This,
				       UINTN ProcessorNumber, BOOLEAN EnableOldBSP);
	EFI_STATUS (EFIAPI *EnableDisableAP)(EFI_MP_SERVICES_PROTOCOL *This,
					     UINTN ProcessorNumber, BOOLEAN EnableAP,
					     UINT32 *HealthFlag);
	EFI_STATUS (EFIAPI *WhoAmI)(EFI_MP_SERVICES_PROTOCOL *This, UINTN *ProcessorNumber);
};

static void add_lp(struct lp_set *set, struct hv_boot_info *bi, UINTN proc)
{
	EFI_MP_SERVICES_PROTOCOL *mp = set->mp;
	EFI_PROCESSOR_INFORMATION info;
	struct hv_lp_info *lp = &bi->lp[set->count];

	if (set->count == HV_MAX_LPS ||
	    EFI_ERROR(uefi_call_wrapper(mp->GetProcessorInfo, 3, mp, proc, &info)) ||
	    !(info.StatusFlag & PROCESSOR_ENABLED_BIT))
		return;
	lp->apic_id = info.ProcessorId;
	lp->package = info.Location.Package;
	lp->core = info.Location.Core;
	lp->thread = info.Location.Thread;
	set->proc[set->count++] = proc;
}

void mp_enumerate(struct lp_set *set, struct hv_boot_info *bi)
{
	EFI_GUID guid = EFI_MP_SERVICES_PROTOCOL_GUID;
	EFI_MP_SERVICES_PROTOCOL *mp;
	UINTN procs, enabled, bsp, n;
	u32 a, b, c, d;

	set->count = 0;
	set->mp = NULL;
	if (!EFI_ERROR(LibLocateProtocol(&guid, (void **)&mp)) &&
	    !EFI_ERROR(uefi_call_wrapper(mp->GetNumberOfProcessors, 3, mp, &procs, &enabled)) &&
	    !EFI_ERROR(uefi_call_wrapper(mp->WhoAmI, 2, mp, &bsp))) {
		set->mp = mp;
		add_lp(set, bi, bsp);
		for (n = 0; n < procs; n++)
			if (n != bsp)
				add_lp(set, bi, n);
		if (enabled > set->count)
			Print(LOADER_NAME L": using %d of %d enabled processors (HV_MAX_LPS)\n",
			      set->count, enabled);
	}
	if (!set->count) {
		/* Without MP services only the BSP can be entered. */
		Print(LOADER_NAME L": no EFI MP services: starting the BSP only\n");
		__cpuid(1, a, b, c, d);
		SetMem(&bi->lp[0], sizeof(bi->lp[0]), 0);
		bi->lp[0].apic_id = b >> 24;
		set->mp = NULL;
		set->proc[0] = 0;
		set->count = 1;
	}
	bi->lp_count = set->count;
}

struct ap_context {
	const struct lp_set *set;
	struct hv_boot_info *bi;
	hv_entry_fn entry;
	volatile int *results;
};

/* Runs on each AP, where only MP services (not boot services) may be used. */
static VOID EFIAPI ap_procedure(VOID *arg)
{
	const struct ap_context *ctx = arg;
	EFI_MP_SERVICES_PROTOCOL *mp = ctx->set->mp;
	UINTN self;
	u32 lp;

	if (EFI_ERROR(uefi_call_wrapper(mp->WhoAmI, 2, mp, &self)))
		return;
	/* Processors past HV_MAX_LPS run this too and find no LP. */
	for (lp = 1; lp < ctx->set->count; lp++) {
		if (ctx->set->proc[lp] == self) {
			ctx->results[lp] = MP_ENTERED;
			ctx->results[lp] = ctx->entry(ctx->bi, lp);
			return;
		}
	}
}

/*
 * Minroot LPs never return from the entry: each is started on its own,
 * without waiting, while the firmware thinks it busy for good. A launch
 * that fails returns at once; give it a moment to say so.
 */
static void launch_kept(const struct lp_set *set, struct ap_context *ctx, u32 lp)
{
	EFI_MP_SERVICES_PROTOCOL *mp = set->mp;
	EFI_EVENT done;
	u32 waited;

	if (EFI_ERROR(uefi_call_wrapper(mp->EnableDisableAP, 4, mp, set->proc[lp], TRUE, NULL)) ||
	    EFI_ERROR(uefi_call_wrapper(BS->CreateEvent, 5, 0, 0, NULL, NULL, &done)) ||
	    EFI_ERROR(uefi_call_wrapper(mp->StartupThisAP, 7, mp, ap_procedure, set->proc[lp],
					done, 0, ctx, NULL)))
		return;
	for (waited = 0; waited < 2000 && ctx->results[lp] == MP_NOT_RUN; waited++)
		uefi_call_wrapper(BS->Stall, 1, 1000);
	uefi_call_wrapper(BS->Stall, 1, 20000);
}

EFI_STATUS mp_launch_aps(const struct lp_set *set, struct hv_boot_info *bi,
			 hv_entry_fn entry, volatile int *results, const s32 *root_vp)
{
	/* Static: kept LPs may read it after this returns. */
	static struct ap_context ctx;
	EFI_MP_SERVICES_PROTOCOL *mp = set->mp;
	EFI_STATUS status = EFI_SUCCESS;
	u32 lp, roots = 1;

	ctx = (struct ap_context){ set, bi, entry, results };
	for (lp = 1; lp < set->count; lp++)
		results[lp] = MP_NOT_RUN;
	if (set->count < 2)
		return EFI_SUCCESS;
	for (lp = 1; lp < set->count; lp++) {
		if (root_vp[lp] >= 0)
			roots++;
		else
			uefi_call_wrapper(mp->EnableDisableAP, 4, mp, set->proc[lp], FALSE, NULL);
	}
	/* Blocking (no event) and without a timeout: each root AP returns once launched. */
	if (roots > 1)
		status = uefi_call_wrapper(mp->StartupAllAPs, 7, mp, ap_procedure, FALSE, NULL, 0,
					   &ctx, NULL);
	for (lp = 1; lp < set->count; lp++)
		if (root_vp[lp] < 0)
			launch_kept(set, &ctx, lp);
	return status;
}
