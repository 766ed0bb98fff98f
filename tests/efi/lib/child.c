#include "child.h"

#define PTE_P 1ULL
#define PTE_RW 2ULL
#define PTE_PS 0x80ULL
#define CR0_PE_MP_ET_NE_WP_PG 0x80010033ULL
#define CR4_PAE_OSFXSR 0x220ULL
#define EFER_LME_LMA 0x500ULL
/* HV_X64_SEGMENT_REGISTER attributes: code64 (type B, S, P, L, G), data (type 3, S, P, D, G) */
#define ATTR_CODE64 0xa09b
#define ATTR_DATA 0xc093

static void build_memory(struct child *c, const void *payload, UINTN size)
{
	u64 *pml4 = (u64 *)(c->ram + 0x1000), *pdpt = (u64 *)(c->ram + 0x2000);
	u64 *pd = (u64 *)(c->ram + 0x3000), *gdt = (u64 *)(c->ram + 0x4000);
	unsigned i;

	pml4[0] = 0x2000 | PTE_P | PTE_RW;
	pdpt[0] = 0x3000 | PTE_P | PTE_RW;
	for (i = 0; i < 512; i++)
		pd[i] = ((u64)i << 21) | PTE_P | PTE_RW | PTE_PS;
	gdt[1] = 0x00af9b000000ffffULL;
	gdt[2] = 0x00cf93000000ffffULL;
	CopyMem(c->ram + CHILD_PAYLOAD_GPA, (void *)payload, size);
}

static HV_STATUS set_segments(HV_PARTITION_ID id, u32 vp)
{
	static const HV_REGISTER_NAME data[] = { HvX64RegisterDs, HvX64RegisterEs, HvX64RegisterSs,
						 HvX64RegisterFs, HvX64RegisterGs };
	HV_REGISTER_VALUE v;
	HV_STATUS s;
	unsigned i;

	ZeroMem(&v, sizeof(v));
	v.Segment.Limit = 0xffffffff;
	v.Segment.Selector = 0x08;
	v.Segment.Attributes = ATTR_CODE64;
	s = hv_set_reg(id, vp, HvX64RegisterCs, &v);
	v.Segment.Selector = 0x10;
	v.Segment.Attributes = ATTR_DATA;
	for (i = 0; !s && i < sizeof(data) / sizeof(data[0]); i++)
		s = hv_set_reg(id, vp, data[i], &v);
	ZeroMem(&v, sizeof(v));
	v.Table.Base = 0x4000;
	v.Table.Limit = 23;
	if (!s)
		s = hv_set_reg(id, vp, HvX64RegisterGdtr, &v);
	return s;
}

static HV_STATUS set_registers(HV_PARTITION_ID id, u32 vp, u64 rsp)
{
	static const struct { HV_REGISTER_NAME name; u64 value; } regs[] = {
		{ HvX64RegisterCr4, CR4_PAE_OSFXSR },
		{ HvX64RegisterCr3, 0x1000 },
		{ HvX64RegisterEfer, EFER_LME_LMA },
		{ HvX64RegisterCr0, CR0_PE_MP_ET_NE_WP_PG },
		{ HvX64RegisterRip, CHILD_PAYLOAD_GPA },
		{ HvX64RegisterRax + 4 /* RSP */, 0 },
		{ HvX64RegisterRflags, 0x2 },
	};
	HV_STATUS s = set_segments(id, vp);
	unsigned i;

	for (i = 0; !s && i < sizeof(regs) / sizeof(regs[0]); i++)
		s = hv_set_reg64(id, vp, regs[i].name,
				 regs[i].name == HvX64RegisterRax + 4 ? rsp : regs[i].value);
	return s;
}

HV_STATUS child_reset_vp(struct child *c, u32 vp, u64 rsp)
{
	HV_STATUS s = set_registers(c->id, vp, rsp);

	/* A VP stopped in HLT would otherwise wait there for an interrupt. */
	return s ? s : hv_set_reg64(c->id, vp, HvRegisterInternalActivityState, 0);
}

HV_STATUS child_add_vp(struct child *c, u32 vp, u64 rsp)
{
	HV_STATUS s = hv_create_vp(c->id, vp);

	return s ? s : set_registers(c->id, vp, rsp);
}

#define STEP(call, name)              \
	do {                          \
		s = (call);           \
		if (s) {              \
			*step = name; \
			return s;     \
		}                     \
	} while (0)

HV_STATUS child_create(struct child *c, const void *payload, UINTN size, const CHAR16 **step)
{
	return child_create_early(c, payload, size, 0, 0, step);
}

HV_STATUS child_create_early(struct child *c, const void *payload, UINTN size,
			     u32 property, u64 value, const CHAR16 **step)
{
	u8 *deposit = hv_pages(CHILD_DEPOSIT_PAGES), *self = hv_pages(1);
	HV_STATUS s;

	ZeroMem(c, sizeof(*c));
	c->ram = hv_pages(CHILD_PAGES);
	c->msg = hv_pages(1);
	c->mailbox = (u64 *)(c->ram + CHILD_MAILBOX_GPA);
	/* The partition object is charged to the parent's own pool. */
	STEP(hv_deposit(HV_PARTITION_ID_SELF, (u64)self, 1), L"deposit into self");
	STEP(hv_create_partition(&c->id), L"HvCallCreatePartition");
	STEP(hv_deposit(c->id, (u64)deposit, CHILD_DEPOSIT_PAGES), L"HvCallDepositMemory");
	if (property)
		STEP(hv_set_property(c->id, property, value), L"early HvCallSetPartitionProperty");
	STEP(hv_partition_op(HvCallInitializePartition, c->id), L"HvCallInitializePartition");
	build_memory(c, payload, size);
	STEP(hv_map_gpa(c->id, 0, (u64)c->ram, CHILD_PAGES,
			HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE | HV_MAP_GPA_KERNEL_EXECUTABLE),
	     L"HvCallMapGpaPages");
	STEP(hv_create_vp(c->id, 0), L"HvCallCreateVp");
	STEP(set_registers(c->id, 0, CHILD_STACK_TOP), L"HvCallSetVpRegisters");
	STEP(hv_map_intercept_page(c->id, 0, (u64)c->msg), L"HvCallMapVpStatePage");
	*step = L"";
	return HV_STATUS_SUCCESS;
}

static HV_STATUS skip(struct child *c, const HV_X64_INTERCEPT_MESSAGE_HEADER *h)
{
	return hv_set_reg64(c->id, 0, HvX64RegisterRip, h->Rip + (h->InstructionLength & 0xf));
}

/* Port 0xE9: the payload's console. */
static bool console_write(struct child *c, const HV_X64_IO_PORT_INTERCEPT_MESSAGE *io)
{
	if (io->PortNumber != CHILD_DEBUG_PORT || io->Header.InterceptAccessType != HV_INTERCEPT_ACCESS_WRITE)
		return false;
	if (c->console_len + 1 < sizeof(c->console))
		c->console[c->console_len++] = (char)io->Rax;
	return true;
}

u32 child_run(struct child *c, HV_STATUS *status)
{
	struct hv_output_dispatch_vp out;
	unsigned preempted = 0;

	for (;;) {
		u32 type;

		c->msg->Header.MessageType = HvMessageTypeNone;
		*status = hv_dispatch(c->id, 0, &out);
		if (*status)
			return HvMessageTypeNone;
		if (out.DispatchEvent == HV_VP_DISPATCH_EVENT_LONGSPINWAIT) {
			c->spin_yields++;
			continue;
		}
		if (out.DispatchEvent == HV_VP_DISPATCH_EVENT_PREEMPTED) {
			/* A root interrupt came first: the firmware handled it; go on. */
			if (++preempted > 1000000)
				return HvMessageTypeNone;
			continue;
		}
		type = c->msg->Header.MessageType;
		if (type == HvMessageTypeX64IoPortIntercept) {
			HV_X64_IO_PORT_INTERCEPT_MESSAGE *io = (void *)c->msg->Payload;

			if (!console_write(c, io))
				return type;
			*status = skip(c, &io->Header);
			if (*status)
				return type;
			continue;
		}
		return type;
	}
}

u32 child_complete_io(struct child *c, HV_STATUS *status)
{
	HV_X64_IO_PORT_INTERCEPT_MESSAGE *io = (void *)c->msg->Payload;

	*status = skip(c, &io->Header);
	return (u32)io->Rax;
}

u32 child_intercept(struct child *c, HV_MESSAGE *sim, HV_STATUS *status)
{
	volatile HV_MESSAGE *slot = &sim[0];
	u32 type = slot->Header.MessageType;

	*status = HV_STATUS_SUCCESS;
	if (type == HvMessageTypeNone)
		return type;
	CopyMem(c->msg, (void *)slot, sizeof(*c->msg));
	/* Free the slot before the VP can make its next intercept, so that one is not queued behind. */
	slot->Header.MessageType = HvMessageTypeNone;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (slot->Header.MessageFlags & HV_MESSAGE_FLAG_PENDING)
		hv_wrmsr(HV_X64_MSR_EOM, 0);
	if (type == HvMessageTypeX64IoPortIntercept && console_write(c, (void *)c->msg->Payload)) {
		*status = child_resume(c);
		return HvMessageTypeNone;
	}
	return type;
}

HV_STATUS child_resume(struct child *c)
{
	HV_STATUS s = skip(c, (const HV_X64_INTERCEPT_MESSAGE_HEADER *)c->msg->Payload);

	return s ? s : hv_set_reg64(c->id, 0, HvRegisterInterceptSuspend, 0);
}
