/*
 * A child that takes real interrupts through its virtual x2APIC: SynIC
 * messages on a normal SINT (handler EOIs), events on an auto-EOI SINT
 * (no EOI), a self IPI, and a one-shot APIC timer.
 */
#include "payload.h"

#define SIM 0x20000
#define SIEF 0x21000
#define VP_ASSIST 0x23000
#define MSG_SINT 3
#define EVENT_SINT 4
#define MSR_APIC_BASE 0x1b
#define X2APIC_SVR 0x80f
#define X2APIC_EOI 0x80b
#define X2APIC_LVT_TIMER 0x832
#define X2APIC_TIMER_INITIAL 0x838
#define X2APIC_TIMER_DIVIDE 0x83e
#define X2APIC_SELF_IPI 0x83f
#define APIC_BASE_EXTD BIT(10)
#define APIC_BASE_EN BIT(11)

extern char irq_stub_0x40[], irq_stub_0x41[], irq_stub_0x50[], irq_stub_0x51[];

static volatile u32 messages, events, ipis, timers, order_ok = 1, eois_skipped;

/* Linux's hv_apic_eoi_write: the EOI assist bit, if the hypervisor set it, saves the EOI write. */
static void eoi(void)
{
	if (__atomic_exchange_n((volatile u32 *)VP_ASSIST, 0, __ATOMIC_SEQ_CST) & 1) {
		eois_skipped++;
		return;
	}
	wrmsr(X2APIC_EOI, 0);
}

void irq_handler(u32 vector, u64 *frame);
void irq_handler(u32 vector, u64 *frame)
{
	(void)frame;
	volatile HV_MESSAGE *slot = (volatile HV_MESSAGE *)SIM + MSG_SINT;
	volatile u8 *flags = (volatile u8 *)SIEF + EVENT_SINT * 256;

	switch (vector) {
	case 0x40:
		if (slot->Header.MessageType != 0x10 + messages)
			order_ok = 0;
		messages++;
		slot->Header.MessageType = HvMessageTypeNone;
		if (slot->Header.MessageFlags & HV_MESSAGE_FLAG_PENDING)
			wrmsr(HV_X64_MSR_EOM, 0);
		eoi();
		break;
	case 0x41: /* auto-EOI: no EOI write */
		if (__atomic_exchange_n(&flags[0], 0, __ATOMIC_SEQ_CST) & 1)
			events++;
		break;
	case 0x50:
		ipis++;
		eoi();
		break;
	case 0x51:
		timers++;
		eoi();
		break;
	}
}

void payload_main(void)
{

	idt_set_gate(0x40, irq_stub_0x40);
	idt_set_gate(0x41, irq_stub_0x41);
	idt_set_gate(0x50, irq_stub_0x50);
	idt_set_gate(0x51, irq_stub_0x51);
	idt_load();
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_EN | APIC_BASE_EXTD);
	wrmsr(X2APIC_SVR, 0x1ff);
	/* The assist page starts zeroed, whatever the guest page held; RsvdP bits read as zero. */
	for (u32 i = 0; i < 512; i++)
		((volatile u64 *)VP_ASSIST)[i] = ~0ULL;
	wrmsr(HV_X64_MSR_VP_ASSIST_PAGE, VP_ASSIST | 0xffe | HV_X64_MSR_VP_ASSIST_PAGE_ENABLE);
	MAILBOX[8] = rdmsr(HV_X64_MSR_VP_ASSIST_PAGE);
	MAILBOX[9] = ((volatile u64 *)VP_ASSIST)[0] | ((volatile u64 *)VP_ASSIST)[511];
	enable_hypercalls();
	wrmsr(HV_X64_MSR_SIMP, SIM | HV_SYNIC_PAGE_ENABLE);
	wrmsr(HV_X64_MSR_SIEFP, SIEF | HV_SYNIC_PAGE_ENABLE);
	wrmsr(HV_X64_MSR_SINT0 + MSG_SINT, 0x40);
	wrmsr(HV_X64_MSR_SINT0 + EVENT_SINT, 0x41 | HV_SYNIC_SINT_AUTO_EOI);
	wrmsr(HV_X64_MSR_SCONTROL, HV_SYNIC_CONTROL_ENABLE);
	asm volatile("sti");
	wrmsr(X2APIC_SELF_IPI, 0x50);
	wrmsr(X2APIC_TIMER_DIVIDE, 0xb); /* divide by 1 */
	wrmsr(X2APIC_LVT_TIMER, 0x51);   /* one-shot */
	wrmsr(X2APIC_TIMER_INITIAL, 1000000);
	while (!timers || !ipis)
		asm volatile("pause");
	/* Synthetic cluster IPIs to itself: the fast form, then the Ex form with a sparse VP set. */
	hypercall(HvCallSendSyntheticClusterIpi | HV_HYPERCALL_FAST, 0x50, 1);
	{
		volatile struct hv_input_send_synthetic_cluster_ipi_ex *ex = (void *)PARAM_IN;

		ex->Vector = 0x50;
		ex->TargetVtl = 0;
		ex->Padding[0] = ex->Padding[1] = ex->Padding[2] = 0;
		ex->Format = HV_GENERIC_SET_SPARSE_4K;
		ex->ValidBanksMask = 1;
		ex->BankContents[0] = 1;
		MAILBOX[6] = hypercall(HvCallSendSyntheticClusterIpiEx | (1ULL << HV_HYPERCALL_VARHEAD_SHIFT),
				       PARAM_IN, 0);
	}
	while (ipis < 3)
		asm volatile("pause");
	MAILBOX[7] = hypercall(HvCallNotifyLongSpinWait | HV_HYPERCALL_FAST, 0x1000, 0);
	sync_parent(1); /* the parent posts three messages and signals an event */
	while (messages < 3 || events < 1)
		asm volatile("sti; hlt");
	MAILBOX[0] = messages;
	MAILBOX[1] = events;
	MAILBOX[2] = ipis;
	MAILBOX[3] = timers;
	MAILBOX[4] = order_ok;
	MAILBOX[10] = eois_skipped;
	MAILBOX[5] = 0x600d;
	asm volatile("cli");
}
