/*
 * The root partition's side of VMBus transport for a test parent: the SynIC
 * ports and connections between the root and one child (wired as in
 * tests/payloads/vmbus_guest.h and docs/vmbus.md), the root's own SynIC
 * pages polled for guest messages and channel events, and a
 * vsp_transport_ops that posts, signals and maps child memory through the
 * parent's view of the child's RAM.
 */
#ifndef TESTS_EFI_VMBUS_SYNIC_H
#define TESTS_EFI_VMBUS_SYNIC_H

#include "lib/hvapi.h"
#include "vsp/vsp.h"

struct vmbus_synic {
	HV_PARTITION_ID child;
	u8 *ram;         /* the parent's view of child GPA 0.. */
	u64 ram_bytes;
	HV_MESSAGE *sim; /* the root's SynIC pages */
	u8 *sief;
	/* Counters. */
	u64 messages_in, events_in, posts, posts_full, signals, post_errors;
	u32 ports_created, ports_deleted;
	HV_STATUS last_error;
};

/* Enable the root's SynIC (SINT 2 polled) and wire the child's VMBus ports and connections. */
HV_STATUS vmbus_synic_init(struct vmbus_synic *s, HV_PARTITION_ID child, u8 *ram, u64 ram_bytes);
/* Give each guest message waiting in the root's SIM slot and each channel
 * event flag to the host; returns how many there were. */
u32 vmbus_synic_poll(struct vmbus_synic *s, struct vsp_host *h);

extern const struct vsp_transport_ops vmbus_synic_transport; /* ctx: struct vmbus_synic * */

#endif
