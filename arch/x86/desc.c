/*
 * The hypervisor's own descriptor tables. The firmware's GDT and IDT live in
 * root memory, which the root may rewrite; host mode must not depend on them.
 */
#include "hv/lp.h"
#include "hv/log.h"
#include "arch/x86/cpu.h"
#include "arch/x86/segment.h"
#include "arch/x86/desc.h"
#include "arch/x86/apic.h"

#define GDT_CODE64 0x00af9a000000ffffULL
#define GDT_DATA 0x00cf92000000ffffULL
#define TSS_TYPE_AVAILABLE 0x89ULL

static struct idt_gate idt[256] __aligned(16);

void segment_from_gdt(u64 gdt_base, u16 gdt_limit, u16 selector, struct x86_segment *s)
{
	u64 d;

	s->selector = selector;
	if ((selector & ~7u) == 0 || (selector | 7u) > gdt_limit || (selector & 4)) {
		s->attrib = 0;
		s->limit = 0;
		s->base = 0;
		return;
	}
	d = *(const u64 *)(uintptr_t)(gdt_base + (selector & ~7u));
	s->limit = (u32)((d & 0xffff) | ((d >> 32) & 0xf0000));
	s->attrib = (u16)(((d >> 40) & 0xff) | (((d >> 52) & 0xf) << 8));
	if (s->attrib & SEG_ATTR_G)
		s->limit = (s->limit << 12) | 0xfff;
	s->base = ((d >> 16) & 0xffffff) | (((d >> 56) & 0xff) << 24);
}

struct idt_gate idt_gate(u64 a)
{
	return (struct idt_gate){
		.offset0 = (u16)a,
		.selector = HOST_CS,
		.type = 0x8e, /* present, 64-bit interrupt gate */
		.offset1 = (u16)(a >> 16),
		.offset2 = (u32)(a >> 32),
	};
}

static void idt_init(void)
{
	unsigned i;

	for (i = 0; i < 32; i++)
		idt[i] = idt_gate(exception_vectors[i]);
	for (; i < APIC_VECTOR_SPURIOUS; i++)
		idt[i] = idt_gate((u64)(uintptr_t)host_irq);
	idt[APIC_VECTOR_SPURIOUS] = idt_gate((u64)(uintptr_t)host_irq_spurious);
}

void desc_load(struct lp *lp)
{
	u64 tss = (u64)(uintptr_t)&lp->arch.tss;
	struct dtr gdtr = { sizeof(lp->arch.gdt) - 1, (u64)(uintptr_t)lp->arch.gdt };
	struct dtr idtr = { sizeof(idt) - 1, (u64)(uintptr_t)idt };

	if (lp->index == 0)
		idt_init();
	lp->arch.gdt[0] = 0;
	lp->arch.gdt[HOST_CS >> 3] = GDT_CODE64;
	lp->arch.gdt[HOST_DS >> 3] = GDT_DATA;
	lp->arch.gdt[HOST_TR >> 3] = (sizeof(lp->arch.tss) - 1) | ((tss & 0xffffff) << 16) |
		(TSS_TYPE_AVAILABLE << 40) | (((tss >> 24) & 0xff) << 56);
	lp->arch.gdt[(HOST_TR >> 3) + 1] = tss >> 32;
	lp->arch.tss.iomap_base = sizeof(lp->arch.tss);

	asm volatile("lgdt %0" ::"m"(gdtr));
	asm volatile("pushq %0\n\t"
		     "leaq 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "lretq\n"
		     "1:\n\t"
		     "mov %1, %%ss\n\t"
		     "mov %1, %%ds\n\t"
		     "mov %1, %%es\n\t"
		     "mov %2, %%fs\n\t"
		     "mov %2, %%gs\n\t"
		     :
		     : "i"((u64)HOST_CS), "r"((u16)HOST_DS), "r"((u16)0)
		     : "rax", "memory");
	asm volatile("ltr %w0" ::"r"((u16)HOST_TR));
	asm volatile("lidt %0" ::"m"(idtr));
	wrmsr(MSR_GS_BASE, (u64)(uintptr_t)lp);
}

struct lp *this_lp(void)
{
	struct lp *lp;

	if (read_cs() != HOST_CS)
		return NULL;
	asm volatile("mov %%gs:0, %0" : "=r"(lp));
	return lp;
}

struct exception_frame {
	u64 vector, error, rip, cs, rflags, rsp, ss;
};

__noreturn void exception_fatal(const struct exception_frame *f);
__noreturn void exception_fatal(const struct exception_frame *f)
{
	hv_panic("exception %llu error 0x%llx at rip 0x%llx rsp 0x%llx cr2 0x%llx",
		 (unsigned long long)f->vector, (unsigned long long)f->error,
		 (unsigned long long)f->rip, (unsigned long long)f->rsp,
		 (unsigned long long)read_cr2());
}
