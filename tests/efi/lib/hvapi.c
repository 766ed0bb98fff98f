#include "hvapi.h"

typedef u64 (EFIAPI *hypercall_page_fn)(u64 control, u64 in, u64 out);

/* Linux's HV_LINUX_VENDOR_ID layout: open source, OS type 1, any version. */
#define TEST_GUEST_OS_ID 0x8100000000000000ULL

static hypercall_page_fn page;
static u8 *in_page, *out_page;

static u64 rdmsr64(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

void hv_wrmsr(u32 msr, u64 v)
{
	asm volatile("wrmsr" ::"c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

void *hv_pages(UINTN count)
{
	EFI_PHYSICAL_ADDRESS pa = 0;

	if (EFI_ERROR(uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages,
					EfiLoaderData, count, &pa)))
		return NULL;
	ZeroMem((void *)pa, count * 4096);
	return (void *)pa;
}

bool hv_setup(void)
{
	u32 a, b, c, d;
	u8 *hc;

	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(HV_CPUID_INTERFACE), "c"(0));
	if (a != 0x31237648)
		return false;
	hc = hv_pages(1);
	in_page = hv_pages(1);
	out_page = hv_pages(1);
	hv_wrmsr(HV_X64_MSR_GUEST_OS_ID, TEST_GUEST_OS_ID);
	hv_wrmsr(HV_X64_MSR_HYPERCALL, (u64)hc | HV_X64_MSR_HYPERCALL_ENABLE);
	if (!(rdmsr64(HV_X64_MSR_HYPERCALL) & HV_X64_MSR_HYPERCALL_ENABLE))
		return false;
	page = (hypercall_page_fn)hc;
	return true;
}

void *hv_hypercall_page(void)
{
	return (void *)page;
}

u64 hv_call(u64 control, u64 in_gpa, u64 out_gpa)
{
	return page(control, in_gpa, out_gpa);
}

void *hv_in(void)
{
	return in_page;
}

void *hv_out(void)
{
	return out_page;
}

u64 hv_in_gpa(void)
{
	return (u64)in_page;
}

u64 hv_out_gpa(void)
{
	return (u64)out_page;
}

HV_STATUS hv_create_partition(HV_PARTITION_ID *id)
{
	struct hv_input_create_partition *in = hv_in();
	HV_STATUS s;

	ZeroMem(in, sizeof(*in));
	s = hv_status(hv_call(HvCallCreatePartition, hv_in_gpa(), hv_out_gpa()));
	*id = *(HV_PARTITION_ID *)hv_out();
	return s;
}

HV_STATUS hv_partition_op(u16 code, HV_PARTITION_ID id)
{
	*(HV_PARTITION_ID *)hv_in() = id;
	return hv_status(hv_call(code, hv_in_gpa(), 0));
}

/* Issues a rep call and re-issues it from the reported rep start until done. */
static u64 rep_call(u16 code, u16 count, u64 out)
{
	u64 control = hv_rep_control(code, count), r;

	for (;;) {
		r = hv_call(control, hv_in_gpa(), out);
		if (hv_status(r) || hv_reps(r) >= count)
			return r;
		control = (control & ~(0xfffULL << 48)) | ((u64)hv_reps(r) << 48);
	}
}

HV_STATUS hv_deposit(HV_PARTITION_ID id, u64 spa, u32 count)
{
	struct hv_input_deposit_memory *in = hv_in();
	u32 i;

	in->PartitionId = id;
	for (i = 0; i < count; i++)
		in->GpaPageList[i] = spa / 4096 + i;
	return hv_status(rep_call(HvCallDepositMemory, count, 0));
}

HV_STATUS hv_map_gpa(HV_PARTITION_ID id, u64 gpa, u64 spa, u32 count, u32 flags)
{
	struct hv_input_map_gpa_pages *in = hv_in();
	u32 i;

	in->TargetPartitionId = id;
	in->TargetGpaBase = gpa / 4096;
	in->MapFlags = flags;
	for (i = 0; i < count; i++)
		in->SourceGpaPageList[i] = spa / 4096 + i;
	return hv_status(rep_call(HvCallMapGpaPages, count, 0));
}

HV_STATUS hv_get_property(HV_PARTITION_ID id, u32 code, u64 *value)
{
	struct hv_input_get_partition_property *in = hv_in();
	HV_STATUS s;

	ZeroMem(in, sizeof(*in));
	in->PartitionId = id;
	in->PropertyCode = code;
	s = hv_status(hv_call(HvCallGetPartitionProperty, hv_in_gpa(), hv_out_gpa()));
	*value = *(u64 *)hv_out();
	return s;
}

HV_STATUS hv_set_property(HV_PARTITION_ID id, u32 code, u64 value)
{
	struct hv_input_set_partition_property *in = hv_in();

	ZeroMem(in, sizeof(*in));
	in->PartitionId = id;
	in->PropertyCode = code;
	in->PropertyValue = value;
	return hv_status(hv_call(HvCallSetPartitionProperty, hv_in_gpa(), 0));
}

HV_STATUS hv_create_vp(HV_PARTITION_ID id, u32 vp)
{
	struct hv_input_create_vp *in = hv_in();

	ZeroMem(in, sizeof(*in));
	in->PartitionId = id;
	in->VpIndex = vp;
	return hv_status(hv_call(HvCallCreateVp, hv_in_gpa(), 0));
}

HV_STATUS hv_set_reg(HV_PARTITION_ID id, u32 vp, HV_REGISTER_NAME name, const HV_REGISTER_VALUE *v)
{
	struct hv_input_vp_registers *in = hv_in();
	struct hv_register_assoc *r = (void *)(in + 1);

	ZeroMem(in, sizeof(*in) + sizeof(*r));
	in->PartitionId = id;
	in->VpIndex = vp;
	r->Name = name;
	r->Value = *v;
	return hv_status(hv_call(hv_rep_control(HvCallSetVpRegisters, 1), hv_in_gpa(), 0));
}

HV_STATUS hv_set_reg64(HV_PARTITION_ID id, u32 vp, HV_REGISTER_NAME name, u64 v)
{
	HV_REGISTER_VALUE val = { .Reg128 = { v, 0 } };

	return hv_set_reg(id, vp, name, &val);
}

HV_STATUS hv_get_reg64(HV_PARTITION_ID id, u32 vp, HV_REGISTER_NAME name, u64 *v)
{
	struct hv_input_vp_registers *in = hv_in();
	HV_REGISTER_NAME *names = (void *)(in + 1);
	HV_STATUS s;

	ZeroMem(in, sizeof(*in) + 8);
	in->PartitionId = id;
	in->VpIndex = vp;
	names[0] = name;
	s = hv_status(hv_call(hv_rep_control(HvCallGetVpRegisters, 1), hv_in_gpa(), hv_out_gpa()));
	*v = ((HV_REGISTER_VALUE *)hv_out())->Reg64;
	return s;
}

HV_STATUS hv_map_intercept_page(HV_PARTITION_ID id, u32 vp, u64 spa)
{
	struct hv_input_map_vp_state_page *in = hv_in();

	ZeroMem(in, sizeof(*in));
	in->PartitionId = id;
	in->VpIndex = vp;
	in->Type = HvVpStatePageInterceptMessage;
	in->Flags = HV_MAP_VP_STATE_PAGE_LOCATION_PROVIDED;
	in->RequestedMapLocation = spa / 4096;
	return hv_status(hv_call(HvCallMapVpStatePage, hv_in_gpa(), hv_out_gpa()));
}

HV_STATUS hv_dispatch(HV_PARTITION_ID id, u32 vp, struct hv_output_dispatch_vp *out)
{
	struct hv_input_dispatch_vp *in = hv_in();
	HV_STATUS s;

	ZeroMem(in, sizeof(*in));
	in->PartitionId = id;
	in->VpIndex = vp;
	s = hv_status(hv_call(HvCallDispatchVp, hv_in_gpa(), hv_out_gpa()));
	*out = *(struct hv_output_dispatch_vp *)hv_out();
	return s;
}

HV_STATUS hv_create_port(HV_PARTITION_ID owner, HV_PORT_ID id, u32 type, u32 sint, u16 base,
			 u16 count, HV_PARTITION_ID connector)
{
	struct hv_input_create_port *in = hv_in();

	ZeroMem(in, sizeof(*in));
	in->PortPartition = owner;
	in->PortId = id;
	in->ConnectionPartition = connector;
	in->PortInfo.PortType = type;
	/* TargetSint and TargetVp sit at the same offsets in both port kinds. */
	in->PortInfo.MessagePortInfo.TargetSint = sint;
	if (type == HvPortTypeEvent) {
		in->PortInfo.EventPortInfo.BaseFlagNumber = base;
		in->PortInfo.EventPortInfo.FlagCount = count;
	}
	return hv_status(hv_call(HvCallCreatePort, hv_in_gpa(), 0));
}

HV_STATUS hv_connect_port(HV_PARTITION_ID sender, HV_CONNECTION_ID id, HV_PARTITION_ID owner,
			  HV_PORT_ID port, u32 type)
{
	struct hv_input_connect_port *in = hv_in();

	ZeroMem(in, sizeof(*in));
	in->ConnectionPartition = sender;
	in->ConnectionId = id;
	in->PortPartition = owner;
	in->PortId = port;
	in->ConnectionInfo.PortType = type;
	return hv_status(hv_call(HvCallConnectPort, hv_in_gpa(), 0));
}

HV_STATUS hv_post_message(HV_CONNECTION_ID id, u32 type, const void *payload, u32 size)
{
	struct hv_input_post_message *in = hv_in();

	ZeroMem(in, sizeof(*in));
	in->ConnectionId = id;
	in->MessageType = type;
	in->PayloadSize = size;
	CopyMem(in->Message, (void *)payload, size <= sizeof(in->Message) ? size : sizeof(in->Message));
	return hv_status(hv_call(HvCallPostMessage, hv_in_gpa(), 0));
}

HV_STATUS hv_signal_event(HV_CONNECTION_ID id, u16 flag)
{
	return hv_status(hv_call(HvCallSignalEvent | HV_HYPERCALL_FAST, id | ((u64)flag << 32), 0));
}
