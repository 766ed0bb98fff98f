#include <stdarg.h>
#include "hv/log.h"
#include "hv/lp.h"
#include "hv/spinlock.h"
#include "hv/lib/format.h"
#include "arch/x86/serial.h"
#include "arch/x86/cpu.h"

static struct spinlock log_lock;

static void log_line(const char *tag, const char *fmt, va_list ap)
{
	char line[256];
	struct lp *lp = this_lp();
	int n;

	if (lp)
		n = snformat(line, sizeof(line), "hv lp%u: %s", lp->index, tag);
	else
		n = snformat(line, sizeof(line), "hv: %s", tag);
	if (n < (int)sizeof(line))
		n += vsnformat(line + n, sizeof(line) - n, fmt, ap);
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	spin_lock(&log_lock);
	serial_write(line, n);
	spin_unlock(&log_lock);
}

void hv_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("", fmt, ap);
	va_end(ap);
}

__noreturn void hv_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("PANIC: ", fmt, ap);
	va_end(ap);
	lp_dump_state();
	hv_log("PANIC: this LP is stopped; other LPs keep running");
	cpu_halt_forever();
}
