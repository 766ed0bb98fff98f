/*
 * The hypervisor's memory and object invariants, checked from the outside
 * (hv_invariants.h):
 *
 * - Every arena frame is the hypervisor's, the root's, or in the pool of a
 *   live partition: nothing is owned by a partition that is gone.
 * - A pool holds exactly the frames marked with its owner; its free list
 *   has free_pages distinct pages of its own, and what is not free is
 *   exactly what the hypervisor's objects charged to it occupy (child
 *   partition objects, GPA map tables, VPs, ports), none of it also free.
 * - Child GPA maps point only at root-owned RAM, and each frame's map
 *   count is the number of child mappings, intercept pages and dispatch
 *   outputs on it: a page a child can reach can never be deposited.
 * - The root's map is the identity over exactly the root-owned frames.
 * - No lock is held between exits; each running VP is its LP's current one.
 * - A child VP that runs or that the scheduler may pick has been started:
 *   HvCallStartVirtualProcessor can never reset a VP under way.
 * - A port's 16 message buffers are each either free or queued on a VP of
 *   its partition; SynIC queues are well formed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/fuzz/hv_invariants.h"
#include "tests/fuzz/hv_host.h"
#include "hv/lp.h"
#include "hv/partition.h"
#include "hv/port.h"
#include "hv/vp.h"

/* Checking is not what is fuzzed: its compares would only steer libFuzzer, and cost time. */
#pragma clang attribute push(__attribute__((no_sanitize("coverage"))), apply_to = function)

#define ARENA_FIRST_PFN (HOST_ARENA_BASE / PAGE_SIZE)
#define ROOT_RAM_FIRST_PFN (HOST_ROOT_RAM_BASE / PAGE_SIZE)
#define LIMIT_PFN (HOST_PHYS_LIMIT / PAGE_SIZE)
#define ARENA_PAGES (HOST_ARENA_SIZE / PAGE_SIZE)
/* Longer than any queue or free list can legitimately be. */
#define LIST_BOUND 4096

enum use { UNUSED, FREE, USED };

/* The frame table over the arena, read once per check. */
static u32 owner_of[ARENA_PAGES], map_count_of[ARENA_PAGES];
static u8 use_of[ARENA_PAGES];
static u32 maps_of[ARENA_PAGES];
static bool root_reaches[ARENA_PAGES];

void invariant_failed(const char *fmt, ...)
{
	va_list ap;

	fputs("invariant violated: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static u32 owner_at(u64 pfn)
{
	return owner_of[pfn - ARENA_FIRST_PFN];
}

static bool in_root_ram(u64 pfn)
{
	return pfn >= ROOT_RAM_FIRST_PFN && pfn < LIMIT_PFN;
}

static bool in_arena(u64 pfn)
{
	return pfn >= ARENA_FIRST_PFN && pfn < LIMIT_PFN;
}

/* A page an object charged to @owner's pool occupies. */
static void charge(u64 pa, u32 owner, const char *what)
{
	u64 pfn = pa / PAGE_SIZE;

	if (pa % PAGE_SIZE || !in_arena(pfn))
		invariant_failed("%s at 0x%llx is not an arena page", what, (unsigned long long)pa);
	if (owner_at(pfn) != owner)
		invariant_failed("%s at 0x%llx is owned by %u, not %u", what, (unsigned long long)pa,
				 owner_at(pfn), owner);
	if (use_of[pfn - ARENA_FIRST_PFN] != UNUSED)
		invariant_failed("%s at 0x%llx is also %s", what, (unsigned long long)pa,
				 use_of[pfn - ARENA_FIRST_PFN] == FREE ? "free" : "used by another object");
	use_of[pfn - ARENA_FIRST_PFN] = USED;
}

static u32 pool_owner(const struct partition *p)
{
	return FRAME_OWNER_POOL + p->slot;
}

static u64 count_tables(u64 table, int level, u32 owner)
{
	const u64 *t = phys_to_virt(table);
	u64 n = 1;
	unsigned i;

	charge(table, owner, "GPA map table");
	for (i = 0; level > 1 && i < 512; i++)
		if ((t[i] & PTE_P) && !(t[i] & PTE_PS))
			n += count_tables(t[i] & PTE_ADDR_MASK, level - 1, owner);
	return n;
}

static u64 port_pages(const struct port *port, u32 owner)
{
	u64 n = 1;
	unsigned i;

	charge(virt_to_phys(port), owner, "port");
	for (i = 0; i < PORT_BUFFER_PAGES; i++) {
		if (port->buffer_pages[i]) {
			charge(port->buffer_pages[i], owner, "port buffers");
			n++;
		}
	}
	if (port->type == HvPortTypeMessage && n != 1 + PORT_BUFFER_PAGES)
		invariant_failed("message port %u has %llu pages", port->id, (unsigned long long)n);
	return n;
}

/* Pages in use that the hypervisor's objects account for in @p's pool. */
static u64 pages_charged(const struct partition *p)
{
	u64 n = 0;
	unsigned i;

	for (i = 1; i < HV_MAX_PARTITIONS; i++) {
		const struct partition *c = host_partition_slot(i);

		if (c && c->parent == p) {
			charge(virt_to_phys(c), pool_owner(p), "partition object");
			n++;
		}
	}
	for (i = 0; i < HV_MAX_PORTS; i++)
		if (p->ports[i])
			n += port_pages(p->ports[i], pool_owner(p));
	if (p == root_partition)
		return n;
	if (p->gpa_map.root)
		n += count_tables(p->gpa_map.root, 4, pool_owner(p));
	for (i = 0; i < HV_MAX_VPS_PER_PARTITION; i++) {
		const struct vp *vp = p->vps[i];

		if (!vp)
			continue;
		charge(virt_to_phys(vp), pool_owner(p), "VP");
		charge(vp->arch.control_pa, pool_owner(p), "VP control block");
		charge(virt_to_phys(vp->arch.fpu), pool_owner(p), "VP FPU area");
		n += 1 + HOST_VP_ARCH_PAGES;
	}
	return n;
}

static u64 walk_free_list(const struct partition *p)
{
	u64 pa = p->pool.free_head, n = 0;

	for (; pa; pa = *(const u64 *)phys_to_virt(pa)) {
		u64 pfn = pa / PAGE_SIZE;

		if (pa % PAGE_SIZE || !in_root_ram(pfn) || owner_at(pfn) != pool_owner(p))
			invariant_failed("partition %llu: free page 0x%llx is not its own",
					 (unsigned long long)p->id, (unsigned long long)pa);
		if (use_of[pfn - ARENA_FIRST_PFN] != UNUSED)
			invariant_failed("partition %llu: page 0x%llx is in its free list twice",
					 (unsigned long long)p->id, (unsigned long long)pa);
		use_of[pfn - ARENA_FIRST_PFN] = FREE;
		if (++n > p->pool.total_pages)
			invariant_failed("partition %llu: free list longer than the pool",
					 (unsigned long long)p->id);
	}
	return n;
}

static void check_owners_and_pools(void)
{
	u64 owned[HV_MAX_PARTITIONS] = { 0 };
	u64 pfn;
	unsigned s;

	for (pfn = ARENA_FIRST_PFN; pfn < LIMIT_PFN; pfn++) {
		u32 owner = frame_owner(&frames, pfn);

		owner_of[pfn - ARENA_FIRST_PFN] = owner;
		map_count_of[pfn - ARENA_FIRST_PFN] = frame_maps(&frames, pfn);
		if (!in_root_ram(pfn) && owner != FRAME_OWNER_HV)
			invariant_failed("heap frame 0x%llx owned by %u", (unsigned long long)pfn, owner);
		if (in_root_ram(pfn) && owner != FRAME_OWNER_ROOT) {
			s = owner - FRAME_OWNER_POOL;
			if (owner < FRAME_OWNER_POOL || s >= HV_MAX_PARTITIONS || !host_partition_slot(s))
				invariant_failed("frame 0x%llx owned by %u: no such partition",
						 (unsigned long long)pfn, owner);
			owned[s]++;
		}
	}
	memset(use_of, UNUSED, sizeof(use_of));
	for (s = 0; s < HV_MAX_PARTITIONS; s++) {
		const struct partition *p = host_partition_slot(s);
		u64 free, used;

		if (!p)
			continue;
		if (p->slot != s || (s && (!p->parent || host_partition_slot(p->parent->slot) != p->parent)))
			invariant_failed("partition %llu: slot %u or parent wrong", (unsigned long long)p->id, s);
		if (owned[s] != p->pool.total_pages)
			invariant_failed("partition %llu: %llu frames owned, pool has %llu",
					 (unsigned long long)p->id, (unsigned long long)owned[s],
					 (unsigned long long)p->pool.total_pages);
		free = walk_free_list(p);
		if (free != p->pool.free_pages)
			invariant_failed("partition %llu: %llu pages in the free list, %llu counted",
					 (unsigned long long)p->id, (unsigned long long)free,
					 (unsigned long long)p->pool.free_pages);
		used = pages_charged(p);
		if (used != p->pool.total_pages - p->pool.free_pages)
			invariant_failed("partition %llu: %llu pages in use, objects account for %llu",
					 (unsigned long long)p->id,
					 (unsigned long long)(p->pool.total_pages - p->pool.free_pages),
					 (unsigned long long)used);
	}
}

/* Every leaf of a GPA map, read the way the MMU would rather than through arch/x86/paging.c. */
static void for_each_leaf(u64 table, int level, u64 base, void (*fn)(void *, u64, u64, u64), void *ctx)
{
	const u64 *t = phys_to_virt(table);
	u64 size = paging_level_size(level);
	unsigned i;

	if (!in_arena(table / PAGE_SIZE))
		invariant_failed("GPA map table at 0x%llx outside the arena", (unsigned long long)table);
	for (i = 0; i < 512; i++) {
		if (!(t[i] & PTE_P))
			continue;
		if (level == 1 || (t[i] & PTE_PS))
			fn(ctx, base + i * size, t[i] & PTE_ADDR_MASK & ~(size - 1), size);
		else
			for_each_leaf(t[i] & PTE_ADDR_MASK, level - 1, base + i * size, fn, ctx);
	}
}

static void count_child_leaf(void *ctx, u64 gpa, u64 spa, u64 size)
{
	const struct partition *p = ctx;
	u64 pfn;

	if (gpa + size > HOST_PHYS_LIMIT)
		invariant_failed("partition %llu maps GPA 0x%llx beyond the address limit",
				 (unsigned long long)p->id, (unsigned long long)gpa);
	for (pfn = spa / PAGE_SIZE; pfn < (spa + size) / PAGE_SIZE; pfn++) {
		if (!in_root_ram(pfn) || owner_at(pfn) != FRAME_OWNER_ROOT)
			invariant_failed("partition %llu maps GPA 0x%llx to frame 0x%llx, which its parent does not own",
					 (unsigned long long)p->id, (unsigned long long)gpa,
					 (unsigned long long)pfn);
		maps_of[pfn - ARENA_FIRST_PFN]++;
	}
}

/* A page the hypervisor writes for a VP's parent: the parent's, and counted as mapped. */
static void count_parent_page(const struct vp *vp, u64 spa, const char *what)
{
	u64 pfn = spa / PAGE_SIZE;

	if (!in_root_ram(pfn) || owner_at(pfn) != FRAME_OWNER_ROOT)
		invariant_failed("partition %llu VP %u: %s at 0x%llx is not the root's",
				 (unsigned long long)vp->partition->id, vp->index, what,
				 (unsigned long long)spa);
	maps_of[pfn - ARENA_FIRST_PFN]++;
}

static void root_leaf(void *ctx, u64 gpa, u64 spa, u64 size)
{
	u64 pfn;

	(void)ctx;
	if (gpa != spa)
		invariant_failed("the root maps GPA 0x%llx to 0x%llx", (unsigned long long)gpa,
				 (unsigned long long)spa);
	for (pfn = spa / PAGE_SIZE; pfn < (spa + size) / PAGE_SIZE; pfn++) {
		if (!in_root_ram(pfn) || owner_at(pfn) != FRAME_OWNER_ROOT)
			invariant_failed("the root reaches frame 0x%llx (owner %u)", (unsigned long long)pfn,
					 owner_at(pfn));
		root_reaches[pfn - ARENA_FIRST_PFN] = true;
	}
}

static void check_maps(void)
{
	u64 pfn;
	unsigned s, i;

	memset(maps_of, 0, sizeof(maps_of));
	memset(root_reaches, 0, sizeof(root_reaches));
	for (s = 0; s < HV_MAX_PARTITIONS; s++) {
		const struct partition *p = host_partition_slot(s);

		if (!p)
			continue;
		if (s && p->gpa_map.root)
			for_each_leaf(p->gpa_map.root, 4, 0, count_child_leaf, (void *)p);
		for (i = 0; i < HV_MAX_VPS_PER_PARTITION; i++) {
			const struct vp *vp = p->vps[i];

			if (vp && vp->intercept_page)
				count_parent_page(vp, vp->intercept_page, "intercept message page");
			if (vp && vp->dispatcher)
				count_parent_page(vp, vp->dispatch_output, "dispatch output");
		}
	}
	for_each_leaf(root_partition->gpa_map.root, 4, 0, root_leaf, NULL);
	for (pfn = ARENA_FIRST_PFN; pfn < LIMIT_PFN; pfn++) {
		u32 i = pfn - ARENA_FIRST_PFN;

		if (map_count_of[i] != maps_of[i])
			invariant_failed("frame 0x%llx: map count %u, but %u mappings",
					 (unsigned long long)pfn, map_count_of[i], maps_of[i]);
		if (in_root_ram(pfn) && (owner_at(pfn) == FRAME_OWNER_ROOT) != root_reaches[i])
			invariant_failed("frame 0x%llx: owned by %u, %sin the root's map",
					 (unsigned long long)pfn, owner_at(pfn),
					 root_reaches[i] ? "" : "not ");
	}
}

static void check_vp(const struct partition *p, const struct vp *vp, unsigned index)
{
	if (vp->partition != p || vp->index != index)
		invariant_failed("partition %llu: VP slot %u holds VP %u of partition %llu",
				 (unsigned long long)p->id, index, vp->index,
				 (unsigned long long)vp->partition->id);
	if (vp->irq_lock.locked || vp->synic.lock.locked)
		invariant_failed("partition %llu VP %u: a lock is held", (unsigned long long)p->id, index);
	if (p == root_partition) {
		if (!vp->lp || vp->lp->root_vp != vp)
			invariant_failed("root VP %u is not on its LP", index);
		return;
	}
	if (vp->lp && vp->lp->current != vp)
		invariant_failed("partition %llu VP %u: on LP %u, which runs something else",
				 (unsigned long long)p->id, index, vp->lp->index);
	if (vp->dispatcher && (!vp->lp || vp->dispatcher->partition != p->parent ||
			       vp->dispatcher->lp != vp->lp))
		invariant_failed("partition %llu VP %u: dispatched, but not on its dispatcher's LP",
				 (unsigned long long)p->id, index);
	if ((vp->lp || vp->scheduled) && !vp->started)
		invariant_failed("partition %llu VP %u: %s, but not started", (unsigned long long)p->id,
				 index, vp->lp ? "running" : "scheduled");
}

static bool is_timer_buffer(const struct vp *vp, const struct synic_msgbuf *b)
{
	unsigned i;

	for (i = 0; i < HV_SYNIC_STIMER_COUNT; i++)
		if (b == &vp->stimers[i].msg)
			return true;
	return false;
}

static bool in_port_buffers(const struct port *port, const struct synic_msgbuf *b)
{
	unsigned i;

	for (i = 0; i < PORT_BUFFER_PAGES; i++) {
		const struct synic_msgbuf *first = phys_to_virt(port->buffer_pages[i]);

		if (port->buffer_pages[i] && b >= first && b < first + PORT_BUFFERS_PER_PAGE)
			return true;
	}
	return false;
}

static int port_index(const struct partition *p, const struct port *port)
{
	int i;

	for (i = 0; i < HV_MAX_PORTS; i++)
		if (p->ports[i] && p->ports[i] == port)
			return i;
	return -1;
}

/* Walks every SINT queue of @vp; counts what each port of @p has queued. */
static void check_queues(const struct partition *p, const struct vp *vp, u32 *queued)
{
	unsigned sint, n;

	for (sint = 0; sint < HV_SYNIC_SINT_COUNT; sint++) {
		const struct synic_msgbuf *b = vp->synic.head[sint], *last = NULL;

		for (n = 0; b; last = b, b = b->next) {
			int port = b->port ? port_index(p, b->port) : -1;

			if (++n > LIST_BOUND || !b->queued)
				invariant_failed("partition %llu VP %u SINT %u: queue broken",
						 (unsigned long long)p->id, vp->index, sint);
			if (b->port ? port < 0 || !in_port_buffers(b->port, b) : !is_timer_buffer(vp, b))
				invariant_failed("partition %llu VP %u SINT %u: a queued buffer belongs to no port of the partition",
						 (unsigned long long)p->id, vp->index, sint);
			if (port >= 0)
				queued[port]++;
		}
		if (vp->synic.tail[sint] != last)
			invariant_failed("partition %llu VP %u SINT %u: tail is not the last buffer",
					 (unsigned long long)p->id, vp->index, sint);
	}
}

static void check_ports(const struct partition *p)
{
	u32 queued[HV_MAX_PORTS] = { 0 };
	unsigned i, n;

	for (i = 0; i < HV_MAX_VPS_PER_PARTITION; i++)
		if (p->vps[i])
			check_queues(p, p->vps[i], queued);
	for (i = 0; i < HV_MAX_PORTS; i++) {
		const struct port *port = p->ports[i];
		const struct synic_msgbuf *b;

		if (!port || port->type != HvPortTypeMessage)
			continue;
		if (port->owner != p)
			invariant_failed("partition %llu: port %u has another owner", (unsigned long long)p->id,
					 port->id);
		for (n = 0, b = port->free; b; b = b->next)
			if (++n > LIST_BOUND || b->queued || b->port != port || !in_port_buffers(port, b))
				invariant_failed("partition %llu port %u: free list broken",
						 (unsigned long long)p->id, port->id);
		if (n + queued[i] != HV_PORT_MESSAGE_BUFFER_COUNT)
			invariant_failed("partition %llu port %u: %u buffers free and %u queued of %u",
					 (unsigned long long)p->id, port->id, n, queued[i],
					 HV_PORT_MESSAGE_BUFFER_COUNT);
	}
}

static void check_objects(void)
{
	unsigned s, i;

	if (host_partitions_locked())
		invariant_failed("the partition lock is held between exits");
	for (i = 0; i < lp_count; i++) {
		const struct lp *lp = lps[i];

		if (lp->current && lp->current->lp != lp)
			invariant_failed("LP %u runs a VP that is not on it", i);
	}
	for (s = 0; s < HV_MAX_PARTITIONS; s++) {
		const struct partition *p = host_partition_slot(s);

		if (!p)
			continue;
		if (p->pool.lock.locked)
			invariant_failed("partition %llu: pool lock held", (unsigned long long)p->id);
		for (i = 0; i < HV_MAX_VPS_PER_PARTITION; i++)
			if (p->vps[i])
				check_vp(p, p->vps[i], i);
		check_ports(p);
	}
}

void invariants_check(void)
{
	check_owners_and_pools();
	check_maps();
	check_objects();
}

void invariants_check_all(void)
{
	u64 pfn;

	invariants_check();
	for (pfn = 0; pfn < ARENA_FIRST_PFN; pfn++)
		if (frame_owner(&frames, pfn) != FRAME_OWNER_HV || frame_maps(&frames, pfn))
			invariant_failed("frame 0x%llx below the arena changed", (unsigned long long)pfn);
}

#pragma clang attribute pop
