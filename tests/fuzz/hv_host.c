/*
 * What hv/init.c, hv/lp.c, hv/log.c, hv/time.c and arch/x86/apic.c
 * provide on the machine, for the hypervisor compiled for the host
 * (hv_host.h): the launch, LPs, the log, a simulated clock, the APIC.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sanitizer/asan_interface.h>
#include "tests/fuzz/hv_host.h"
#include "hv/boot_info.h"
#include "hv/init.h"
#include "hv/lp.h"
#include "hv/log.h"
#include "hv/msr.h"
#include "hv/partition.h"
#include "hv/reftime.h"
#include "hv/time.h"
#include "hv/vp.h"
#include "hv/vp_sched.h"
#include "arch/x86/apic.h"
#include "arch/x86/vcpu.h"

#define GUARD_SIZE (2ULL << 20)
/* Timer arms in one lp_sched_next before the LP counts as idle for good. */
#define IDLE_ROUNDS 64
/* What the firmware wrote to HV_X64_MSR_GUEST_OS_ID before its first hypercall. */
#define ROOT_GUEST_OS_ID 0x8100000000000000ULL

const struct hv_boot_info *boot_info;
struct lp *lps[HV_MAX_LPS_ARRAY];
u32 lp_count;

static struct hv_boot_info boot;
static u16 frame_entries[HOST_PHYS_LIMIT / PAGE_SIZE];
static struct page_pool hv_heap;
static struct lp lp_objects[2];
static struct lp *current_lp;
static u64 now, timer_deadline;
static jmp_buf *idle_escape;
static u32 idle_rounds;

/* The arena at its fixed address, guards around it, once per process. */
static void map_arena(void)
{
	void *guard = (void *)(uintptr_t)(HOST_ARENA_BASE - GUARD_SIZE);
	u64 span = GUARD_SIZE + HOST_ARENA_SIZE + GUARD_SIZE;

	if (mmap(guard, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE,
		 -1, 0) != guard ||
	    mprotect((void *)(uintptr_t)HOST_ARENA_BASE, HOST_ARENA_SIZE, PROT_READ | PROT_WRITE)) {
		fprintf(stderr, "fuzz_hypercall: cannot map the arena at 0x%llx\n",
			(unsigned long long)HOST_ARENA_BASE);
		abort();
	}
}

u64 hv_alloc_page(void)
{
	return page_pool_alloc(&hv_heap);
}

void hv_free_page(u64 pa)
{
	page_pool_free(&hv_heap, pa);
}

bool hv_option(const char *word)
{
	(void)word;
	return false;
}

static u64 hv_page(void *ctx)
{
	(void)ctx;
	return hv_alloc_page();
}

struct lp *this_lp(void)
{
	return current_lp;
}

void host_enter_lp(struct lp *lp)
{
	current_lp = lp;
}

static void log_line(const char *tag, const char *fmt, va_list ap)
{
	fprintf(stderr, "hv lp%u: %s", current_lp ? current_lp->index : 0, tag);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Quiet unless HV_FUZZ_LOG is set: partitions terminate all the time here. */
bool host_verbose(void)
{
	static int verbose = -1;

	if (verbose < 0)
		verbose = getenv("HV_FUZZ_LOG") != NULL;
	return verbose;
}

void hv_log(const char *fmt, ...)
{
	va_list ap;

	if (!host_verbose())
		return;
	va_start(ap, fmt);
	log_line("", fmt, ap);
	va_end(ap);
}

/* A panic is the hypervisor giving up: a finding, whatever the input. */
void hv_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("PANIC: ", fmt, ap);
	va_end(ap);
	abort();
}

/* --- the clock: 1 GHz, so nanoseconds and ticks are the same number --------- */

void time_init(u64 hz)
{
	(void)hz;
	now = 0;
}

u64 time_tsc_hz(void)
{
	return HOST_TSC_HZ;
}

u64 time_tsc(void)
{
	return now++;
}

u64 time_now_ns(void)
{
	return time_tsc();
}

u64 time_ns_to_tsc(u64 ns)
{
	return ns;
}

u64 time_tsc_to_100ns(u64 ticks)
{
	return ticks / 100;
}

void host_advance(u64 ticks)
{
	now += ticks;
}

/* --- the APIC and idling --------------------------------------------------- */

void apic_send_ipi(u32 apic_id, u8 vector)
{
	(void)apic_id, (void)vector;
}

void apic_timer_arm(u64 tsc_ticks)
{
	timer_deadline = now + tsc_ticks;
	if (idle_escape && ++idle_rounds > IDLE_ROUNDS)
		longjmp(*idle_escape, 1);
}

/* Halts until the timer just armed fires. */
void vcpu_arch_host_idle(void)
{
	if (timer_deadline > now)
		now = timer_deadline;
}

struct vp *host_sched_next(struct lp *lp)
{
	jmp_buf escape;
	struct vp *vp = NULL;

	idle_rounds = 0;
	if (!setjmp(escape)) {
		idle_escape = &escape;
		vp = lp_sched_next(lp);
	}
	idle_escape = NULL;
	return vp;
}

/* --- launch --------------------------------------------------------------- */

static struct lp *lp_create(u32 index)
{
	struct lp *lp = &lp_objects[index];
	void *in = lp->hypercall_in, *out = lp->hypercall_out;

	memset(lp, 0, sizeof(*lp));
	lp->self = lp;
	lp->index = index;
	lp->apic_id = boot.lp[index].apic_id;
	/* Host heap, not the arena: AddressSanitizer guards what a call may touch of them. */
	lp->hypercall_in = in ? in : aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	lp->hypercall_out = out ? out : aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	lps[index] = lp;
	lp_count = index + 1;
	return lp;
}

/* init.c's root_vp_create. */
static void root_vp_create(struct lp *lp, HV_VP_INDEX index)
{
	struct vp *vp = phys_to_virt(hv_alloc_page());

	vp->partition = root_partition;
	vp->index = index;
	synic_reset(&vp->synic);
	if (vcpu_arch_create_root(vp, NULL, hv_page, NULL))
		abort();
	root_partition->vps[index] = vp;
	vp->lp = lp;
	vp_sched_add_root(vp, lp);
	lp->root_vp = vp;
	lp->current = vp;
}

void host_boot(const struct host_config *c)
{
	u32 lps_used = c->lp1 == HOST_LP1_NONE ? 1 : 2;
	u64 child_lps = c->lp1 == HOST_LP1_CHILDREN && c->scheduler_type != HV_SCHEDULER_ROOT ? BIT(1) : 0;

	if (!boot_info)
		map_arena();
	/* Zero RAM: the kernel hands out zero pages again where the last input wrote. */
	ASAN_UNPOISON_MEMORY_REGION((void *)(uintptr_t)HOST_ARENA_BASE, HOST_ARENA_SIZE);
	if (madvise((void *)(uintptr_t)HOST_ARENA_BASE, HOST_ARENA_SIZE, MADV_DONTNEED))
		abort();
	memset(lps, 0, sizeof(lps));
	current_lp = NULL;
	idle_escape = NULL;
	timer_deadline = 0;

	boot = (struct hv_boot_info){
		.magic = HV_BOOT_INFO_MAGIC,
		.version = HV_BOOT_INFO_VERSION,
		.lp_count = lps_used,
		.region_base = 0,
		.region_size = HOST_ROOT_RAM_BASE,
		.free_base = HOST_ARENA_BASE,
		.phys_limit = HOST_PHYS_LIMIT,
		.ram_limit = HOST_PHYS_LIMIT,
		.scheduler_type = c->scheduler_type,
		.lp = { { 0, 0, 0, 0, 0 },
			{ 1, 0, c->lp1_sibling ? 0 : 1, c->lp1_sibling ? 1 : 0, 0 } },
	};
	boot_info = &boot;

	/* init.c's global_init. */
	time_init(HOST_TSC_HZ);
	reftime_init(time_tsc_hz());
	vp_sched_init(&boot, child_lps);
	frame_table_init(&frames, frame_entries, boot.ram_limit);
	hv_heap = (struct page_pool){ 0 };
	page_pool_add(&hv_heap, HOST_ARENA_BASE, HOST_HEAP_PAGES);
	host_partition_reset();
	if (partition_create_root(boot.phys_limit, boot.region_base, boot.region_size))
		abort();

	/* init.c's lp_launch on each LP; the root then identifies itself. */
	host_enter_lp(lp_create(0));
	root_vp_create(lps[0], 0);
	if (c->lp1 != HOST_LP1_NONE) {
		host_enter_lp(lp_create(1));
		if (c->lp1 == HOST_LP1_ROOT)
			root_vp_create(lps[1], 1);
		else
			lps[1]->owned = true;
	}
	if (!msr_write(lps[0]->root_vp, HV_X64_MSR_GUEST_OS_ID, ROOT_GUEST_OS_ID))
		abort();
}
