/*
 * TSC frequency, measured once against PIT channel 2 (the 1.193182 MHz
 * crystal every PC keeps), so that time can be read with RDTSC.
 */
#include "arch/x86/tsc.h"
#include "arch/x86/cpu.h"

#define PIT_HZ 1193182ULL
#define PIT_CH2 0x42
#define PIT_MODE 0x43
#define PIT_GATE 0x61
#define CALIBRATE_TICKS 11932 /* 10 ms */

u64 tsc_measure_hz(void)
{
	u8 gate = inb(PIT_GATE);
	u64 start, end;

	/* Gate on, speaker off; channel 2, lobyte/hibyte, mode 0 (count down once). */
	outb(PIT_GATE, (gate & ~0x02) | 0x01);
	outb(PIT_MODE, 0xb0);
	outb(PIT_CH2, CALIBRATE_TICKS & 0xff);
	outb(PIT_CH2, CALIBRATE_TICKS >> 8);
	start = rdtsc();
	while (!(inb(PIT_GATE) & 0x20))
		cpu_relax();
	end = rdtsc();
	outb(PIT_GATE, gate);
	return (end - start) * PIT_HZ / CALIBRATE_TICKS;
}
