/* What child payloads share: port 0xE9 console, MSRs, the hypercall page. */
#ifndef TESTS_PAYLOAD_H
#define TESTS_PAYLOAD_H

#include "hv/tlfs.h"

#define MAILBOX ((volatile u64 *)0x5000)
#define HYPERCALL_PAGE 0x6000
#define PARAM_IN 0x7000
#define PARAM_OUT 0x7800
#define GUEST_OS_ID 0x8100000000000000ULL

static inline void outb(u16 port, u8 v)
{
	asm volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline void outl(u16 port, u32 v)
{
	asm volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}

/* Asks the parent to do step @step (tests/efi/lib/child.h, CHILD_SYNC_PORT). */
static inline void sync_parent(u32 step)
{
	outl(0x600, step);
}

static inline void copy(void *dst, const void *src, u32 n)
{
	u8 *d = dst;
	const u8 *s = src;

	while (n--)
		*d++ = *s++;
}

static inline void puts(const char *s)
{
	while (*s)
		outb(0xe9, (u8)*s++);
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	asm volatile("wrmsr" ::"c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

/* LFENCE first: the reading is not taken before earlier instructions finish. */
static inline u64 rdtsc(void)
{
	u32 lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static inline u64 hypercall(u64 control, u64 in, u64 out)
{
	register u64 r8 asm("r8") = out;
	u64 result;

	asm volatile("call *%[page]"
		     : "=a"(result), "+c"(control), "+d"(in), "+r"(r8)
		     : [page] "r"((u64)HYPERCALL_PAGE)
		     : "memory", "r9", "r10", "r11");
	return result;
}

static inline void enable_hypercalls(void)
{
	wrmsr(HV_X64_MSR_GUEST_OS_ID, GUEST_OS_ID);
	wrmsr(HV_X64_MSR_HYPERCALL, HYPERCALL_PAGE | HV_X64_MSR_HYPERCALL_ENABLE);
}

/* Payloads that take interrupts or exceptions (tests/payloads/irq.S stubs) keep their IDT here. */
#define PAYLOAD_IDT 0x22000

/* A 64-bit interrupt gate, kernel code selector 0x08. */
static inline void idt_set_gate(unsigned vector, void *handler)
{
	u64 *gate = (u64 *)PAYLOAD_IDT + vector * 2, a = (u64)handler;

	gate[0] = (a & 0xffff) | (0x08ULL << 16) | (0x8eULL << 40) | ((a >> 16) << 48);
	gate[1] = a >> 32;
}

static inline void idt_load(void)
{
	struct __attribute__((packed)) {
		u16 limit;
		u64 base;
	} idtr = { 256 * 16 - 1, PAYLOAD_IDT };

	asm volatile("lidt %0" ::"m"(idtr));
}

void payload_main(void);

#endif
