/* Launch: global set-up once, then each LP becomes a VP of the root partition. */
#include "hv/init.h"
#include "hv/minroot.h"
#include "hv/vp_sched.h"
#include "arch/x86/apic.h"
#include "hv/boot_info.h"
#include "hv/lp.h"
#include "hv/vp.h"
#include "hv/partition.h"
#include "hv/page_pool.h"
#include "hv/log.h"
#include "hv/version.h"
#include "arch/x86/serial.h"
#include "arch/x86/tsc.h"
#include "hv/time.h"
#include "hv/reftime.h"
#include "arch/x86/launch.h"
#include "arch/x86/vcpu.h"

_Static_assert(HV_MAX_LPS == HV_MAX_LPS_ARRAY, "LP limits agree");

#define LP_STACK_SIZE (16 * 1024)

enum { INIT_NONE, INIT_RUNNING, INIT_DONE, INIT_FAILED };

const struct hv_boot_info *boot_info;
static struct page_pool hv_heap;
static volatile u32 init_state;
static s32 root_vp_index[HV_MAX_LPS]; /* by LP: its root VP, -1 = none (minroot) */
static int init_status;
static u8 lp_stacks[HV_MAX_LPS][LP_STACK_SIZE] __aligned(PAGE_SIZE);

static const char *const scheduler_names[] = {
	[HV_SCHEDULER_CLASSIC_NO_SMT] = "classic, SMT disabled",
	[HV_SCHEDULER_CLASSIC] = "classic",
	[HV_SCHEDULER_CORE] = "core",
	[HV_SCHEDULER_ROOT] = "root",
};

bool hv_option(const char *word)
{
	const char *options = boot_info->cmdline;
	unsigned i, j;

	for (i = 0; options[i]; i++) {
		for (j = 0; word[j] && options[i + j] == word[j]; j++)
			;
		if (!word[j] && (options[i + j] == 0 || options[i + j] == ' ') &&
		    (i == 0 || options[i - 1] == ' '))
			return true;
	}
	return false;
}

u64 hv_alloc_page(void)
{
	return page_pool_alloc(&hv_heap);
}

void hv_free_page(u64 pa)
{
	page_pool_free(&hv_heap, pa);
}

/*
 * Minroot decides which LPs carry root VPs; with the classic and core types
 * the others run child VPs under the hypervisor's scheduler.
 */
static void sched_start(const struct hv_boot_info *bi)
{
	u64 child_lps = 0;
	u32 i, roots;

	roots = minroot_select(bi->lp_count, bi->lp, bi->root_lp_limit, root_vp_index);
	for (i = 0; i < bi->lp_count; i++)
		if (root_vp_index[i] < 0)
			child_lps |= BIT(i);
	vp_sched_init(bi, bi->scheduler_type == HV_SCHEDULER_ROOT ? 0 : child_lps);
	/* Hyper-V's launch event numbering (seeds/004, scheduler types). */
	hv_log("hypervisor scheduler type is 0x%x (%s)", vp_sched_type(),
	       scheduler_names[vp_sched_type()]);
	if (roots < bi->lp_count)
		hv_log("minroot: the root partition has %u of %u LPs", roots, bi->lp_count);
}

static int global_init(struct hv_boot_info *bi)
{
	u64 region_end = bi->region_base + bi->region_size;
	u64 ft_bytes = ALIGN_UP(frame_table_bytes(bi->ram_limit), PAGE_SIZE);
	u64 heap = bi->free_base + ft_bytes;

	boot_info = bi;
	serial_init(bi->serial_port);
	time_init(tsc_measure_hz());
	reftime_init(time_tsc_hz());
	hv_log("%s %u.%u.%u starting on %u LPs, TSC %llu kHz", HV_NAME, HV_VERSION_MAJOR,
	       HV_VERSION_MINOR, HV_VERSION_BUILD, bi->lp_count,
	       (unsigned long long)(time_tsc_hz() / 1000));
	if (bi->scheduler_type < HV_SCHEDULER_CLASSIC_NO_SMT ||
	    bi->scheduler_type > HV_SCHEDULER_ROOT)
		return HV_LAUNCH_BAD_BOOT_INFO;
	sched_start(bi);
	if (heap + 16 * PAGE_SIZE > region_end) {
		hv_log("region too small for the frame table of %llu MiB of RAM",
		       (unsigned long long)(bi->ram_limit >> 20));
		return HV_LAUNCH_NO_MEMORY;
	}
	frame_table_init(&frames, phys_to_virt(bi->free_base), bi->ram_limit);
	page_pool_add(&hv_heap, heap, (region_end - heap) / PAGE_SIZE);
	hv_log("region 0x%llx-0x%llx, heap %llu KiB, RAM limit 0x%llx, address limit 0x%llx",
	       (unsigned long long)bi->region_base, (unsigned long long)region_end,
	       (unsigned long long)(hv_heap.free_pages * 4), (unsigned long long)bi->ram_limit,
	       (unsigned long long)bi->phys_limit);
	if (partition_create_root(bi->phys_limit, bi->region_base, bi->region_size))
		return HV_LAUNCH_NO_MEMORY;
	return HV_LAUNCH_OK;
}

static u64 hv_page(void *ctx)
{
	(void)ctx;
	return hv_alloc_page();
}

static struct vp *root_vp_create(struct lp *lp, const struct launch_state *ls)
{
	struct vp *vp = phys_to_virt(hv_alloc_page());

	if (!vp)
		return NULL;
	vp->partition = root_partition;
	vp->index = (HV_VP_INDEX)root_vp_index[lp->index];
	synic_reset(&vp->synic);
	if (vcpu_arch_create_root(vp, ls, hv_page, NULL))
		return NULL;
	root_partition->vps[vp->index] = vp;
	vp->lp = lp;
	vp_sched_add_root(vp, lp);
	return vp;
}

static int lp_launch(struct hv_boot_info *bi, u32 index, const struct launch_state *ls)
{
	struct lp *lp = phys_to_virt(hv_alloc_page());
	int status;

	if (!lp)
		return HV_LAUNCH_NO_MEMORY;
	lp->self = lp;
	lp->index = index;
	lp->apic_id = bi->lp[index].apic_id;
	lp->hypercall_in = phys_to_virt(hv_alloc_page());
	lp->hypercall_out = phys_to_virt(hv_alloc_page());
	lp->arch.stack_top = (u64)(uintptr_t)(lp_stacks[index] + LP_STACK_SIZE);
	if (!lp->hypercall_in || !lp->hypercall_out)
		return HV_LAUNCH_NO_MEMORY;
	status = vcpu_arch_lp_init(lp, hv_alloc_page);
	if (status)
		return status;
	if (root_vp_index[index] >= 0) {
		lp->root_vp = root_vp_create(lp, ls);
		if (!lp->root_vp)
			return HV_LAUNCH_NO_MEMORY;
		lp->current = lp->root_vp;
	} else {
		/* Minroot: the firmware never gets this LP back; the scheduler runs child VPs here. */
		lp->owned = true;
		apic_lp_take(time_tsc_hz());
	}
	launch_switch_to_host(lp, bi->cr3);
	lps[index] = lp;
	__atomic_add_fetch(&lp_count, 1, __ATOMIC_RELEASE);
	if (lp->root_vp)
		hv_log("launched: APIC id %u, package %u core %u thread %u; firmware continues as root VP %u",
		       lp->apic_id, bi->lp[index].package, bi->lp[index].core,
		       bi->lp[index].thread, lp->root_vp->index);
	else
		hv_log("launched: APIC id %u, package %u core %u thread %u; runs child VPs only",
		       lp->apic_id, bi->lp[index].package, bi->lp[index].core,
		       bi->lp[index].thread);
	launch_jump(lp, lp->arch.stack_top, lp_run);
}

int hv_launch(struct hv_boot_info *bi, u32 lp_index, const struct launch_state *ls)
{
	u32 expected = INIT_NONE;
	int status;

	if (!bi || bi->magic != HV_BOOT_INFO_MAGIC || bi->version != HV_BOOT_INFO_VERSION)
		return HV_LAUNCH_BAD_BOOT_INFO;
	if (lp_index >= bi->lp_count || lp_index >= HV_MAX_LPS || lps[lp_index])
		return HV_LAUNCH_BAD_LP;
	status = vcpu_arch_probe();
	if (status)
		return status;
	if (__atomic_compare_exchange_n(&init_state, &expected, INIT_RUNNING, false,
					__ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
		init_status = global_init(bi);
		__atomic_store_n(&init_state, init_status ? INIT_FAILED : INIT_DONE,
				 __ATOMIC_RELEASE);
	}
	while (__atomic_load_n(&init_state, __ATOMIC_ACQUIRE) == INIT_RUNNING)
		__builtin_ia32_pause();
	if (init_state == INIT_FAILED)
		return init_status;
	return lp_launch(bi, lp_index, ls);
}
