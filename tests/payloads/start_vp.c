/*
 * HvCallStartVirtualProcessor from inside a child (tests/efi/test_start_vp.c):
 * VP 0 tries the starts that must fail, halts at a checkpoint so that its
 * parent can see VP 1 untouched, then starts VP 1 in VP 0's own 64-bit
 * state at vp1_entry, on a stack of its own, and tries once more. Each VP
 * records the CPUID leaves its parent compares with HvCallGetVpCpuidValues
 * (tests/payloads/start_vp.h has the mailbox layout).
 */
#include "payload.h"
#include "start_vp.h"

#define MSR_EFER 0xc0000080
#define MSR_PAT 0x277
#define EFER_LMA BIT(10)
#define CR0_PE BIT(0)
#define SEGMENT_CODE64 0xa09b
#define SEGMENT_DATA 0xc093
#define SEGMENT_TSS_BUSY 0x8b
#define SEGMENT_LDT 0x82

void vp1_entry(void);
void vp1_main(u64 rsp);

/* With the stack as the context left it: a call keeps it ABI-aligned for vp1_main. */
asm(".globl vp1_entry\n"
    "vp1_entry:\n"
    "	mov %rsp, %rdi\n"
    "	call vp1_main\n"
    "1:	cli\n"
    "	hlt\n"
    "	jmp 1b\n");

static u64 xgetbv0(void)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return lo | (u64)hi << 32;
}

/* The legacy area and the header, then each enabled component where 0xD.n puts it. */
static u32 xsave_size(u64 xcr0)
{
	u32 size = 576, n, a, b, c, d;

	for (n = 2; n < 63; n++) {
		if (!(xcr0 & BIT(n)))
			continue;
		asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0xd), "c"(n));
		if (a + b > size)
			size = a + b;
	}
	return size;
}

static void record_cpuid(u64 vp)
{
	volatile u64 *out = &MAILBOX[START_VP_CPUID(vp)];
	u32 i, a, b, c, d;

	for (i = 0; i < START_VP_LEAVES; i++) {
		asm volatile("cpuid"
			     : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			     : "a"(start_vp_leaves[i].leaf), "c"(start_vp_leaves[i].subleaf));
		out[2 * i] = a | (u64)b << 32;
		out[2 * i + 1] = c | (u64)d << 32;
	}
	MAILBOX[START_VP_XCR0(vp)] = xgetbv0();
	MAILBOX[START_VP_XSAVE_SIZE(vp)] = xsave_size(xgetbv0());
}

/* XCR0 with AVX where the CPU has it, so that VP 0's XSAVE size differs from VP 1's. */
static void enable_xsave(void)
{
	u32 a, b, c, d;
	u64 cr4, xcr0 = 3;

	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" ::"r"(cr4 | BIT(18))); /* OSXSAVE */
	asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0xd), "c"(0));
	if (a & BIT(2))
		xcr0 |= BIT(2);
	asm volatile("xsetbv" ::"c"(0), "a"((u32)xcr0), "d"((u32)(xcr0 >> 32)));
}

void vp1_main(u64 rsp)
{
	u64 vp = rdmsr(HV_X64_MSR_VP_INDEX);

	MAILBOX[START_VP_RSP] = rsp;
	MAILBOX[START_VP_INDEX] = vp;
	record_cpuid(vp);
	MAILBOX[START_VP_RAN] = START_VP_MAGIC;
}

static HV_X64_SEGMENT_REGISTER segment(u16 selector, u32 limit, u16 attributes)
{
	HV_X64_SEGMENT_REGISTER s = { .Base = 0, .Limit = limit, .Selector = selector,
				      .Attributes = attributes };

	return s;
}

/* VP 0's own mode and tables (the flat GDT its parent built), at vp1_entry. */
static void context(HV_INITIAL_VP_CONTEXT *c)
{
	struct __attribute__((packed)) {
		u16 limit;
		u64 base;
	} gdtr, idtr;
	u64 cr0, cr3, cr4;

	asm volatile("mov %%cr0, %0" : "=r"(cr0));
	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("sgdt %0" : "=m"(gdtr));
	asm volatile("sidt %0" : "=m"(idtr));
	c->Rip = (u64)vp1_entry;
	c->Rsp = START_VP_STACK_TOP;
	c->Rflags = 2;
	c->Cs = segment(0x08, 0xffffffff, SEGMENT_CODE64);
	c->Ds = c->Es = c->Fs = c->Gs = c->Ss = segment(0x10, 0xffffffff, SEGMENT_DATA);
	/* What INIT leaves in them: 64-bit code never loads either here. */
	c->Tr = segment(0, 0xffff, SEGMENT_TSS_BUSY);
	c->Ldtr = segment(0, 0xffff, SEGMENT_LDT);
	c->Idtr = (HV_X64_TABLE_REGISTER){ .Limit = idtr.limit, .Base = idtr.base };
	c->Gdtr = (HV_X64_TABLE_REGISTER){ .Limit = gdtr.limit, .Base = gdtr.base };
	c->Efer = rdmsr(MSR_EFER);
	c->Cr0 = cr0;
	c->Cr3 = cr3;
	c->Cr4 = cr4;
	c->MsrCrPat = rdmsr(MSR_PAT);
}

static struct hv_input_start_virtual_processor *const in = (void *)PARAM_IN;

static void start(enum start_vp_call call)
{
	MAILBOX[START_VP_STATUS + call] = hypercall(HvCallStartVirtualProcessor, PARAM_IN, 0) & 0xffff;
}

/* Each with one thing wrong, put right again after. */
static void failing_starts(void)
{
	HV_INITIAL_VP_CONTEXT *c = &in->VpContext;

	in->TargetVtl = 1;
	start(START_VP_VTL1);
	in->TargetVtl = 16;
	start(START_VP_VTL16);
	in->TargetVtl = 0;
	in->Padding[1] = 1;
	start(START_VP_PADDING);
	in->Padding[1] = 0;
	in->PartitionId = 1;
	start(START_VP_PARENT);
	in->PartitionId = HV_PARTITION_ID_SELF;
	in->VpIndex = 2;
	start(START_VP_NO_VP);
	in->VpIndex = 64;
	start(START_VP_INDEX_64);
	in->VpIndex = 0;
	start(START_VP_SELF);
	in->VpIndex = 1;
	c->Cr4 |= BIT(63);
	start(START_VP_CR4_RESERVED);
	c->Cr4 &= ~BIT(63);
	c->Cr0 &= ~CR0_PE;
	start(START_VP_PG_NO_PE);
	c->Cr0 |= CR0_PE;
	c->Efer &= ~EFER_LMA;
	start(START_VP_NO_LMA);
	c->Efer |= EFER_LMA;
	c->Rip ^= BIT(47);
	start(START_VP_RIP);
	c->Rip ^= BIT(47);
	c->Rflags |= BIT(15);
	start(START_VP_RFLAGS);
	c->Rflags &= ~BIT(15);
}

/* The parent looks, then lets VP 0 go on past the HLT. */
static void checkpoint(u64 phase)
{
	MAILBOX[START_VP_PHASE] = phase;
	asm volatile("cli; hlt" ::: "memory");
}

void payload_main(void)
{
	enable_hypercalls();
	enable_xsave();
	record_cpuid(0);
	in->PartitionId = HV_PARTITION_ID_SELF;
	in->VpIndex = 1;
	in->TargetVtl = 0;
	in->Padding[0] = in->Padding[1] = in->Padding[2] = 0;
	context(&in->VpContext);
	if (MAILBOX[START_VP_MODE] == START_VP_MODE_START) {
		failing_starts();
		checkpoint(START_VP_CHECKPOINT);
	}
	start(START_VP_START);
	if (MAILBOX[START_VP_MODE] == START_VP_MODE_START)
		start(START_VP_AGAIN);
	for (;;)
		checkpoint(START_VP_DONE);
}
