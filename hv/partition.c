#include "hv/partition.h"
#include "hv/vp_sched.h"
#include "hv/vp.h"
#include "hv/log.h"
#include "hv/init.h"
#include "hv/spinlock.h"
#include "hv/lib/string.h"
#include "hv/reftime.h"
#include "hv/boot_info.h"
#include "arch/x86/vcpu.h"

#define ROOT_PARTITION_ID 1
/* What a partition may use is what works for it (feature-discovery.md: advertise only that). */
#define COMMON_PRIVILEGES (HV_ACCESS_HYPERCALL_MSRS | HV_ACCESS_VP_INDEX | HV_ACCESS_PARTITION_ID | \
			   HV_ACCESS_SYNIC_REGS | HV_POST_MESSAGES | HV_SIGNAL_EVENTS | \
			   HV_ACCESS_PARTITION_REFERENCE_COUNTER | HV_ACCESS_PARTITION_REFERENCE_TSC | \
			   HV_ACCESS_FREQUENCY_REGS)
/*
 * Children have a virtual APIC, hence synthetic timers and the APIC MSRs;
 * and VPs their parent may leave to them to start. The root's VPs all run
 * from launch: it has none to start.
 */
#define CHILD_PRIVILEGES (COMMON_PRIVILEGES | HV_ACCESS_SYNTHETIC_TIMER_REGS | HV_ACCESS_INTR_CTRL_REGS | \
			  HV_START_VIRTUAL_PROCESSOR)
#define ROOT_PRIVILEGES (COMMON_PRIVILEGES | HV_CREATE_PARTITIONS | HV_ACCESS_MEMORY_POOL | \
			 HV_CPU_MANAGEMENT | HV_ACCESS_VP_REGISTERS | HV_CREATE_PORT | HV_CONNECT_PORT)
#define MAP_ALL (HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE | \
		 HV_MAP_GPA_KERNEL_EXECUTABLE | HV_MAP_GPA_USER_EXECUTABLE)

struct partition *root_partition;
struct frame_table frames;
static struct partition *table[HV_MAX_PARTITIONS];
static HV_PARTITION_ID next_id = ROOT_PARTITION_ID + 1;
static struct spinlock big_lock;

void partitions_lock(void)
{
	spin_lock(&big_lock);
}

void partitions_unlock(void)
{
	spin_unlock(&big_lock);
}

static u64 hv_table_page(void *ctx)
{
	(void)ctx;
	return hv_alloc_page();
}

u64 partition_alloc_page(void *partition)
{
	return page_pool_alloc(&((struct partition *)partition)->pool);
}

void partition_free_page(void *partition, u64 pa)
{
	page_pool_free(&((struct partition *)partition)->pool, pa);
}

int partition_create_root(u64 phys_limit, u64 hv_base, u64 hv_size)
{
	struct partition *p = phys_to_virt(hv_alloc_page());
	u64 pfn;

	if (!p)
		return -1;
	p->id = ROOT_PARTITION_ID;
	p->state = PARTITION_INITIALIZED;
	p->privileges = ROOT_PRIVILEGES;
	reftime_partition_init(p);
	vp_sched_partition_init(p);
	if (gpa_map_init(&p->gpa_map, hv_table_page, NULL, vcpu_arch_gpa_map_large_mask()))
		return -1;
	/* The root sees all of the physical address space but the hypervisor. */
	if (gpa_map_map(&p->gpa_map, 0, 0, hv_base, MAP_ALL) ||
	    gpa_map_map(&p->gpa_map, hv_base + hv_size, hv_base + hv_size,
			phys_limit - hv_base - hv_size, MAP_ALL))
		return -1;
	for (pfn = hv_base / PAGE_SIZE; pfn < (hv_base + hv_size) / PAGE_SIZE; pfn++)
		frame_set_owner(&frames, pfn, FRAME_OWNER_HV);
	table[0] = p;
	root_partition = p;
	return 0;
}

_Static_assert(sizeof(struct partition) <= PAGE_SIZE, "a partition object is one page");

struct partition *partition_by_id(HV_PARTITION_ID id)
{
	unsigned i;

	for (i = 0; i < HV_MAX_PARTITIONS; i++)
		if (table[i] && table[i]->id == id)
			return table[i];
	return NULL;
}

HV_PARTITION_ID partition_next_child(struct partition *parent, HV_PARTITION_ID previous)
{
	HV_PARTITION_ID best = HV_PARTITION_ID_INVALID;
	unsigned i;

	for (i = 1; i < HV_MAX_PARTITIONS; i++) {
		struct partition *p = table[i];

		if (p && p->parent == parent && p->id > previous &&
		    (best == HV_PARTITION_ID_INVALID || p->id < best))
			best = p->id;
	}
	return best;
}

u64 partition_child_privileges(void)
{
	return CHILD_PRIVILEGES;
}

struct partition *partition_lookup(struct partition *caller, HV_PARTITION_ID id)
{
	if (id == HV_PARTITION_ID_SELF || id == caller->id)
		return caller;
	return partition_child(caller, id);
}

struct partition *partition_child(struct partition *parent, HV_PARTITION_ID id)
{
	unsigned i;

	for (i = 1; i < HV_MAX_PARTITIONS; i++)
		if (table[i] && table[i]->id == id && table[i]->parent == parent)
			return table[i];
	return NULL;
}

struct partition *partition_create(struct partition *parent, HV_STATUS *status)
{
	struct partition *p;
	unsigned slot;

	for (slot = 1; slot < HV_MAX_PARTITIONS && table[slot]; slot++)
		;
	if (slot == HV_MAX_PARTITIONS) {
		*status = HV_STATUS_INSUFFICIENT_MEMORY;
		return NULL;
	}
	/* The partition object is charged to the parent's pool, as in Hyper-V. */
	p = phys_to_virt(partition_alloc_page(parent));
	if (!p) {
		*status = HV_STATUS_INSUFFICIENT_MEMORY;
		return NULL;
	}
	p->id = next_id++;
	p->slot = slot;
	p->state = PARTITION_CREATED;
	p->parent = parent;
	p->privileges = CHILD_PRIVILEGES;
	reftime_partition_init(p);
	vp_sched_partition_init(p);
	table[slot] = p;
	*status = HV_STATUS_SUCCESS;
	return p;
}

HV_STATUS partition_initialize(struct partition *p)
{
	if (p->state != PARTITION_CREATED)
		return HV_STATUS_INVALID_PARTITION_STATE;
	if (gpa_map_init(&p->gpa_map, partition_alloc_page, p, vcpu_arch_gpa_map_large_mask()))
		return HV_STATUS_INSUFFICIENT_MEMORY;
	p->state = PARTITION_INITIALIZED;
	return HV_STATUS_SUCCESS;
}

static void drop_mapping(void *ctx, u64 gpa, u64 spa, u64 size)
{
	u64 pfn;

	(void)ctx;
	(void)gpa;
	for (pfn = spa / PAGE_SIZE; pfn < (spa + size) / PAGE_SIZE; pfn++)
		frame_map_put(&frames, pfn);
}

/* Every page deposited into @p becomes free in its pool again. */
static void pool_reclaim(struct partition *p)
{
	u32 owner = FRAME_OWNER_POOL + p->slot;
	u64 pfn;

	p->pool.free_head = 0;
	p->pool.free_pages = 0;
	p->pool.total_pages = 0;
	for (pfn = frames.frames; pfn-- > 0;)
		if (frame_owner(&frames, pfn) == owner)
			page_pool_add(&p->pool, pfn * PAGE_SIZE, 1);
}

/* Destroys VPs and mappings; all deposited pages become free for withdrawal. */
static void teardown(struct partition *p)
{
	unsigned i;

	port_delete_all(p);
	for (i = 0; i < HV_MAX_VPS_PER_PARTITION; i++) {
		if (p->vps[i]) {
			vp_destroy(p->vps[i]);
			p->vps[i] = NULL;
		}
	}
	if (p->gpa_map.root)
		gpa_map_for_each(&p->gpa_map, drop_mapping, NULL);
	p->gpa_map.root = 0;
	pool_reclaim(p);
}

bool partition_stop_vps(struct partition *p)
{
	return vp_sched_detach_partition(p);
}

HV_STATUS partition_finalize(struct partition *p)
{
	if (p->state == PARTITION_FINALIZED)
		return HV_STATUS_INVALID_PARTITION_STATE;
	if (!partition_stop_vps(p))
		return HV_STATUS_OBJECT_IN_USE;
	teardown(p);
	p->state = PARTITION_FINALIZED;
	return HV_STATUS_SUCCESS;
}

void partition_delete(struct partition *p)
{
	if (p->state != PARTITION_FINALIZED)
		teardown(p);
	while (partition_withdraw(p))
		;
	table[p->slot] = NULL;
	partition_free_page(p->parent, virt_to_phys(p));
}

void partition_terminate(struct partition *p, const char *why)
{
	if (p->state == PARTITION_TERMINATED)
		return;
	p->state = PARTITION_TERMINATED;
	for (unsigned i = 0; i < HV_MAX_VPS_PER_PARTITION; i++)
		if (p->vps[i])
			vp_sched_update(p->vps[i]);
	hv_log("partition %llu terminated: %s", (unsigned long long)p->id, why);
}

HV_STATUS partition_deposit(struct partition *p, u64 gpa_page)
{
	struct partition *root = root_partition;
	u64 spa, pfn;

	/* Only root-owned RAM, reachable by the root and by no child, can be deposited. */
	if (gpa_map_translate(&root->gpa_map, gpa_page * PAGE_SIZE,
			      HV_MAP_GPA_READABLE | HV_MAP_GPA_WRITABLE, &spa))
		return HV_STATUS_INVALID_PARAMETER;
	pfn = spa / PAGE_SIZE;
	if (!frame_is_tracked(&frames, pfn) || frame_owner(&frames, pfn) != FRAME_OWNER_ROOT)
		return HV_STATUS_INVALID_PARAMETER;
	if (frame_maps(&frames, pfn))
		return HV_STATUS_OBJECT_IN_USE;
	if (gpa_map_unmap(&root->gpa_map, spa, PAGE_SIZE))
		return HV_STATUS_INSUFFICIENT_MEMORY;
	frame_set_owner(&frames, pfn, FRAME_OWNER_POOL + p->slot);
	page_pool_add(&p->pool, spa, 1);
	return HV_STATUS_SUCCESS;
}

u64 partition_withdraw(struct partition *p)
{
	u64 spa = page_pool_take(&p->pool);

	if (!spa)
		return 0;
	/* Hypervisor metadata must not leak to the root. */
	memset(phys_to_virt(spa), 0, PAGE_SIZE);
	frame_set_owner(&frames, spa / PAGE_SIZE, FRAME_OWNER_ROOT);
	if (gpa_map_map(&root_partition->gpa_map, spa, spa, PAGE_SIZE, MAP_ALL))
		hv_panic("cannot give page 0x%llx back to the root", (unsigned long long)spa);
	return spa;
}

HV_STATUS partition_map_gpa(struct partition *p, u64 gpa, u64 parent_gpa, u32 access)
{
	u64 spa, old;
	u32 need = HV_MAP_GPA_READABLE;

	if (p->state != PARTITION_INITIALIZED)
		return HV_STATUS_INVALID_PARTITION_STATE;
	if (gpa >= boot_info->phys_limit)
		return HV_STATUS_INVALID_PARAMETER;
	if (access & HV_MAP_GPA_WRITABLE)
		need |= HV_MAP_GPA_WRITABLE;
	/* The parent can only give what it can reach itself. */
	if (gpa_map_translate(&p->parent->gpa_map, parent_gpa, need, &spa))
		return HV_STATUS_INVALID_PARAMETER;
	if (!frame_map_get(&frames, spa / PAGE_SIZE))
		return HV_STATUS_OPERATION_DENIED;
	if (!gpa_map_translate(&p->gpa_map, gpa, 0, &old)) {
		frame_map_put(&frames, old / PAGE_SIZE);
		gpa_map_unmap(&p->gpa_map, gpa, PAGE_SIZE);
	}
	if (gpa_map_map(&p->gpa_map, gpa, spa, PAGE_SIZE, access)) {
		frame_map_put(&frames, spa / PAGE_SIZE);
		return HV_STATUS_INSUFFICIENT_MEMORY;
	}
	return HV_STATUS_SUCCESS;
}

HV_STATUS partition_unmap_gpa(struct partition *p, u64 gpa)
{
	u64 spa;

	if (p->state != PARTITION_INITIALIZED)
		return HV_STATUS_INVALID_PARTITION_STATE;
	if (gpa_map_translate(&p->gpa_map, gpa, 0, &spa))
		return HV_STATUS_SUCCESS;
	if (gpa_map_unmap(&p->gpa_map, gpa, PAGE_SIZE))
		return HV_STATUS_INSUFFICIENT_MEMORY;
	frame_map_put(&frames, spa / PAGE_SIZE);
	return HV_STATUS_SUCCESS;
}
