#include "hv/vp.h"
#include "hv/lp.h"
#include "hv/partition.h"
#include "hv/hypercall.h"
#include "hv/log.h"
#include "hv/vp_interrupt.h"
#include "hv/vp_sched.h"
#include "arch/x86/vcpu.h"

_Static_assert(sizeof(struct vp) <= PAGE_SIZE, "a VP object is one page");

struct vp *vp_create(struct partition *p, HV_VP_INDEX index, HV_STATUS *status)
{
	struct vp *vp;

	if (p->state != PARTITION_INITIALIZED) {
		*status = HV_STATUS_INVALID_PARTITION_STATE;
		return NULL;
	}
	if (index >= HV_MAX_VPS_PER_PARTITION || p->vps[index]) {
		*status = HV_STATUS_INVALID_VP_INDEX;
		return NULL;
	}
	vp = phys_to_virt(partition_alloc_page(p));
	if (!vp) {
		*status = HV_STATUS_INSUFFICIENT_MEMORY;
		return NULL;
	}
	vp->partition = p;
	vp->index = index;
	synic_reset(&vp->synic);
	for (unsigned i = 0; i < HV_SYNIC_STIMER_COUNT; i++)
		stimer_reset(&vp->stimers[i]);
	vp_interrupt_init(vp);
	if (vcpu_arch_create(vp, partition_alloc_page, p)) {
		vcpu_arch_destroy(vp, partition_free_page, p);
		partition_free_page(p, virt_to_phys(vp));
		*status = HV_STATUS_INSUFFICIENT_MEMORY;
		return NULL;
	}
	p->vps[index] = vp;
	vp_sched_add(vp);
	*status = HV_STATUS_SUCCESS;
	return vp;
}

void vp_destroy(struct vp *vp)
{
	struct partition *p = vp->partition;

	vp_sched_detach(vp);
	if (vp->intercept_msg_to)
		synic_cancel(vp->intercept_msg_to, &vp->intercept_msg);
	/* Messages for it are lost, but their port's buffers must not be. */
	synic_release_all(vp);
	if (vp->intercept_page)
		frame_map_put(&frames, vp->intercept_page / PAGE_SIZE);
	vcpu_arch_destroy(vp, partition_free_page, p);
	partition_free_page(p, virt_to_phys(vp));
}

HV_STATUS vp_dispatch(struct vp *caller, struct vp *vp, u64 output_spa)
{
	struct partition *p = vp->partition;

	if (p->state == PARTITION_TERMINATED || p->state == PARTITION_FINALIZED)
		return HV_STATUS_INVALID_PARTITION_STATE;
	if (vp->lp || vp->scheduled)
		return HV_STATUS_INVALID_VP_STATE;
	/* The output page must stay the root's until the dispatch returns. */
	if (!frame_map_get(&frames, output_spa / PAGE_SIZE))
		return HV_STATUS_OPERATION_DENIED;
	vp->started = true;
	vp->lp = caller->lp;
	vp->dispatcher = caller;
	vp->dispatch_output = output_spa;
	caller->lp->current = vp;
	vp_sched_dispatch_begin(vp);
	return HV_STATUS_DEFERRED;
}

void vp_dispatch_return(struct vp *vp, u32 state, u32 event)
{
	struct vp *root = vp->dispatcher;
	struct hv_output_dispatch_vp *out = phys_to_virt(vp->dispatch_output);

	vp_sched_dispatch_end(vp);
	out->DispatchState = state;
	out->DispatchEvent = event;
	frame_map_put(&frames, vp->dispatch_output / PAGE_SIZE);
	root->regs.rax = hypercall_result(HV_STATUS_SUCCESS, 0);
	vcpu_arch_skip_instruction(root, root->hypercall_insn_len);
	vp->lp->current = root;
	partitions_lock();
	vp->lp = NULL;
	vp->dispatcher = NULL;
	partitions_unlock();
}
