/*
 * FPU state belongs to its VP (tests/efi/test_fpu.c). Each round loads
 * XMM0-15 (YMM0-15 where there is AVX), MXCSR and the x87 control word
 * with a pattern of its own, then makes an exit the hypervisor handles
 * (CPUID), a hypercall, output that goes to the parent (port 0xE9) and a
 * stop at which the parent runs another child (or, scheduled by the
 * hypervisor, spins while the other child's slices come between), and
 * checks that every register still holds it.
 */
#include "payload.h"
#include "fpu.h"

#define YMM_BYTES 32

static u8 want[16 * YMM_BYTES] __attribute__((aligned(32)));
static u8 got[16 * YMM_BYTES] __attribute__((aligned(32)));
static bool avx;

/* One register at a time: the asm names each, and no compiler code runs in between. */
#define ALL(op) op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7) \
		op(8) op(9) op(10) op(11) op(12) op(13) op(14) op(15)
#define LOAD_YMM(n) "vmovdqu " #n "*32(%0), %%ymm" #n "\n"
#define STORE_YMM(n) "vmovdqu %%ymm" #n ", " #n "*32(%0)\n"
#define LOAD_XMM(n) "movdqu " #n "*32(%0), %%xmm" #n "\n"
#define STORE_XMM(n) "movdqu %%xmm" #n ", " #n "*32(%0)\n"

static void load(u16 fcw, u32 mxcsr)
{
	asm volatile("fldcw %0\nldmxcsr %1" ::"m"(fcw), "m"(mxcsr));
	if (avx)
		asm volatile(ALL(LOAD_YMM)::"r"(want) : "memory");
	else
		asm volatile(ALL(LOAD_XMM)::"r"(want) : "memory");
}

static void store(u16 *fcw, u32 *mxcsr)
{
	asm volatile("fnstcw %0\nstmxcsr %1" : "=m"(*fcw), "=m"(*mxcsr));
	if (avx)
		asm volatile(ALL(STORE_YMM)::"r"(got) : "memory");
	else
		asm volatile(ALL(STORE_XMM)::"r"(got) : "memory");
}

static void enable_avx(void)
{
	u32 a, b, c, d;
	u64 cr4;

	cpuid(1, &a, &b, &c, &d);
	if (!(c & BIT(26)) || !(c & BIT(28))) /* XSAVE, AVX */
		return;
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" ::"r"(cr4 | BIT(18)));
	asm volatile("xsetbv" ::"c"(0), "a"(7), "d"(0));
	avx = true;
}

/* The first register that differs, or -1. */
static int compare(u16 fcw, u32 mxcsr, u16 fcw_now, u32 mxcsr_now)
{
	u32 reg, i, bytes = avx ? YMM_BYTES : 16;

	for (reg = 0; reg < 16; reg++)
		for (i = 0; i < bytes; i++)
			if (want[reg * YMM_BYTES + i] != got[reg * YMM_BYTES + i])
				return (int)reg;
	if (mxcsr != mxcsr_now)
		return 16;
	return fcw != fcw_now ? 17 : -1;
}

void payload_main(void)
{
	u64 seed = MAILBOX[FPU_SEED];
	u32 round, i, a, b, c, d;

	enable_hypercalls();
	if (!MAILBOX[FPU_KEEP_XCR0])
		enable_avx();
	MAILBOX[FPU_AVX] = avx;
	MAILBOX[FPU_FIRST_BAD] = ~0ULL;
	for (round = 0; round < FPU_ROUNDS; round++) {
		/* Rounding control and precision differ per round, the exception masks stay set. */
		u16 fcw = 0x037f ^ (u16)((round & 3) << 10), fcw_now;
		u32 mxcsr = 0x1f80 ^ ((round & 3) << 13), mxcsr_now;
		int bad;

		for (i = 0; i < sizeof(want); i++)
			want[i] = (u8)(seed * 131 + round * 17 + i);
		load(fcw, mxcsr);
		cpuid(0, &a, &b, &c, &d);
		hypercall(0x7777 | HV_HYPERCALL_FAST, 0, 0);
		if (MAILBOX[FPU_SCHEDULED]) {
			/* Long enough for the other child's slices to come between. */
			for (i = 0; i < 3000000; i++)
				asm volatile("" ::: "memory");
		} else {
			outb(0xe9, '.');
			outl(FPU_SYNC_PORT, round);
		}
		store(&fcw_now, &mxcsr_now);
		bad = compare(fcw, mxcsr, fcw_now, mxcsr_now);
		if (bad >= 0) {
			MAILBOX[FPU_BAD]++;
			if (MAILBOX[FPU_FIRST_BAD] == ~0ULL)
				MAILBOX[FPU_FIRST_BAD] = (u64)bad;
		}
		MAILBOX[FPU_ROUND] = round + 1;
	}
}
