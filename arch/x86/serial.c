/* 16550 UART output for the hypervisor log. The root keeps using the port too. */
#include "arch/x86/serial.h"
#include "arch/x86/cpu.h"

#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20

static u16 serial_port;

void serial_init(u16 port)
{
	/* The firmware already programmed the UART; reprogramming would garble its console. */
	serial_port = port;
}

static void serial_putc(char c)
{
	unsigned spins = 100000;

	while (!(inb(serial_port + UART_LSR) & UART_LSR_THRE) && --spins)
		cpu_relax();
	outb(serial_port + UART_THR, (u8)c);
}

void serial_write(const char *s, size_t n)
{
	if (!serial_port)
		return;
	while (n--) {
		if (*s == '\n')
			serial_putc('\r');
		serial_putc(*s++);
	}
}
