/*
 * The contract between the VMBus test parent (tests/efi/test_vmbus.c, the
 * host) and its child (tests/payloads/vmbus_guest.c, the guest): where the
 * child keeps its SynIC pages and rings, the SynIC ports and connections
 * the parent wires (docs/vmbus.md), the sync_parent() codes and the
 * mailbox slots.
 */
#ifndef TESTS_PAYLOADS_VMBUS_GUEST_H
#define TESTS_PAYLOADS_VMBUS_GUEST_H

/* Child GPAs (the payload itself must end below VMBUS_GUEST_SIM: vsp/vsp.mk checks). */
#define VMBUS_GUEST_SIM 0x20000
#define VMBUS_GUEST_SIEF 0x21000
/* Echo: 16 pages; 40 KiB of data towards the host, 16 KiB back, so that a
 * burst of requests can produce more replies than the ring back holds
 * (the host then waits for room: pending_send_sz). */
#define VMBUS_GUEST_ECHO_RING 0x22000
#define VMBUS_GUEST_ECHO_PAGES 16
#define VMBUS_GUEST_ECHO_DOWN 11
/* Heartbeat: as hv_utils, VMBUS_RING_SIZE(3 pages) each way. */
#define VMBUS_GUEST_HB_RING 0x32000
#define VMBUS_GUEST_HB_PAGES 8
#define VMBUS_GUEST_HB_DOWN 4

/* The SINT Linux uses for VMBus (VMBUS_MESSAGE_SINT): messages and channel events. */
#define VMBUS_GUEST_SINT 2

/*
 * SynIC wiring. Guest -> host messages: the child's connections 4
 * (INITIATE_CONTACT for 5.0 and later) and 1 (everything after: the
 * msg_conn_id of VERSION_RESPONSE) lead to two message ports in the root;
 * a message's sender port tells the parent which connection it came on.
 * Host -> guest messages: the root's connection to a message port in the
 * child (SINT 2: its SIM slot 2). Guest -> host channel signals: one event
 * port per channel in the root (flag = relid), the child's connection id
 * 0x10000 + relid, which is the offer's connection_id. Host -> guest
 * signals: the root's connection to one event port in the child on SINT 2
 * whose flags 0..63 are relids.
 */
#define VMBUS_ROOT_PORT_CONN4 0x100       /* root message port behind the child's connection 4 */
#define VMBUS_ROOT_PORT_CONN1 0x101       /* ... behind connection 1 */
#define VMBUS_ROOT_EVENT_PORT_BASE 0x1000 /* + relid: root event port of a channel */
#define VMBUS_CHILD_MSG_PORT 0x200        /* the child's message port (SINT 2) */
#define VMBUS_ROOT_CONN_MSG 0x201         /* the root's connection to it */
#define VMBUS_CHILD_EVENT_PORT 0x300      /* the child's event port (SINT 2, flags 0..63) */
#define VMBUS_ROOT_CONN_EVENT 0x301       /* the root's connection to it */
#define VMBUS_CHILD_EVENT_FLAGS 64

/* sync_parent() codes: what the child wants from the parent. */
#define VMBUS_SYNC_WAIT 1        /* nothing to do until the host has run */
#define VMBUS_SYNC_ECHO_DONE 2   /* echo traffic done: the parent rescinds the echo channel */
#define VMBUS_SYNC_BENCH_POLL 3  /* benchmark: host polls, rings masked (signal suppression) */
#define VMBUS_SYNC_BENCH_EVENT 4 /* benchmark: back to signals */
#define VMBUS_SYNC_FAILED 0xdead /* the child gave up: MB_ERROR says why */

/* Mailbox slots (u64 at CHILD_MAILBOX_GPA). In: set by the parent before the child first runs. */
enum vmbus_guest_mailbox {
	MB_ECHO_PACKETS,    /* in: echo packets to exchange */
	MB_HEARTBEATS,      /* in: heartbeats to answer before closing */
	MB_BENCH_TRIPS,     /* in: benchmark round trips per mode (0: no benchmark) */
	MB_CONCURRENT,      /* in: 1 if the child runs on an LP of its own, alongside the parent */
	MB_STEP,            /* out: the last step reached (enum vmbus_guest_step) */
	MB_ERROR,           /* out: first failure (step << 16 | detail), 0 if none */
	MB_VERSION,         /* out: VMBus protocol version agreed */
	MB_OFFERS,          /* out: offers received */
	MB_ECHO_SENT,       /* out: echo packets sent */
	MB_ECHO_OK,         /* out: echo replies that matched */
	MB_ECHO_BAD,        /* out: echo replies that did not */
	MB_ECHO_BYTES,      /* out: payload bytes sent */
	MB_ECHO_FULL,       /* out: sends that found the ring to the host full */
	MB_HB_VERSIONS,     /* out: framework << 32 | heartbeat version the guest agreed */
	MB_HB_ANSWERED,     /* out: heartbeats answered */
	MB_SIGNALS_OUT,     /* out: HvSignalEvent calls (guest -> host) */
	MB_EVENTS_IN,       /* out: channel event flags seen (host -> guest) */
	MB_MESSAGES_IN,     /* out: channel messages received */
	MB_MESSAGES_OUT,    /* out: channel messages posted */
	MB_POST_RETRIES,    /* out: HvPostMessage refused for lack of buffers, retried */
	MB_WAITS,           /* out: sync_parent(VMBUS_SYNC_WAIT) calls */
	MB_BENCH_EVENT,     /* out: TSC ticks (instructions under -icount) per round trip, signalled */
	MB_BENCH_POLL,      /* out: ... with signal suppression (both sides poll) */
	MB_ECHO_TSC,        /* out: TSC ticks of the echo traffic */
	MB_TSC_HZ,          /* out: the TSC frequency (HV_X64_MSR_TSC_FREQUENCY) */
	MB_SPIN_HITS,       /* out: concurrent: waits the host ended while the child spun, not having left its LP */
	MB_HALTS,           /* out: concurrent: HLTs until SINT 2's interrupt */
	MB_IRQS,            /* out: concurrent: SINT 2 interrupts taken */
	MB_IRQS_AT_HLT,     /* out: concurrent: ... of them between STI and HLT (vmbus_guest.c, idle_halt) */
	MB_DONE,            /* out: 0x600d when the child finished */
};

enum vmbus_guest_step {
	STEP_START = 1,
	STEP_CONNECTED,
	STEP_OFFERS,
	STEP_ECHO_OPEN,
	STEP_HB_OPEN,
	STEP_ECHO_TRAFFIC,
	STEP_BENCH,
	STEP_RESCIND,
	STEP_ECHO_RELEASED,
	STEP_HEARTBEATS,
	STEP_HB_CLOSED,
	STEP_UNLOADED,
};

#endif
