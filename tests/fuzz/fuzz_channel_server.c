/*
 * libFuzzer target: the channel server fed a script of guest messages and
 * embedder actions. Any message the guest can send, in any order, on any
 * connection, with guest memory it controls: the server must not crash,
 * must only post messages that fit a SynIC payload, and must not leak
 * mappings or allocations once reset.
 */
#include <stdlib.h>
#include <string.h>
#include "vmbus/channel_server.h"
#include "vmbus/packet.h"

#define GUEST_PAGES 16

static u8 guest[GUEST_PAGES * PAGE_SIZE] __aligned(PAGE_SIZE);
static int live_maps, live_allocs;

static int post_msg(void *ctx, u32 vp, u8 sint, const void *msg, u32 len)
{
	(void)ctx, (void)vp, (void)sint, (void)msg;
	if (len < 8 || len > VMBUS_MSG_MAX_SIZE)
		__builtin_trap();
	return 0;
}

static void signal_guest(void *ctx, u32 vp, u8 sint, u32 relid)
{
	(void)ctx, (void)vp, (void)sint, (void)relid;
}

/* Contiguous guest pages only (enough for the server; the unit test maps any order). */
static void *map_pages(void *ctx, const u64 *pfns, u32 count)
{
	u32 i;

	(void)ctx;
	for (i = 0; i < count; i++)
		if (pfns[i] >= GUEST_PAGES || pfns[i] != pfns[0] + i)
			return NULL;
	live_maps++;
	return guest + pfns[0] * PAGE_SIZE;
}

static void unmap_pages(void *ctx, void *va, u32 count)
{
	(void)ctx, (void)va, (void)count;
	live_maps--;
}

static void *alloc(void *ctx, size_t size)
{
	(void)ctx;
	live_allocs++;
	return malloc(size);
}

static void release(void *ctx, void *p, size_t size)
{
	(void)ctx, (void)size;
	live_allocs--;
	free(p);
}

static const struct vmbus_server_ops ops = { post_msg, signal_guest, map_pages, unmap_pages, alloc, release,
					     NULL, NULL };

struct input {
	const u8 *p;
	size_t n;
};

static u32 take(struct input *in, u32 bytes)
{
	u32 v = 0;

	while (bytes-- && in->n) {
		v = v << 8 | *in->p++;
		in->n--;
	}
	return v;
}

static void message(struct vmbus_server *s, struct input *in, u8 op)
{
	static const u32 connids[] = { VMBUS_MESSAGE_CONNECTION_ID, VMBUS_MESSAGE_CONNECTION_ID_4, 2 };
	u8 msg[VMBUS_MSG_MAX_SIZE + 1] = { 0 };
	u32 len = take(in, 1) % (sizeof(msg) + 1), connid = connids[(op >> 4) % 3];

	len = MIN(len, (u32)in->n);
	memcpy(msg, in->p, len);
	in->p += len;
	in->n -= len;
	/* The message type is small most of the time so that handlers get exercised. */
	if (op & 8)
		msg[0] %= CHANNELMSG_COUNT, msg[1] = msg[2] = msg[3] = 0;
	vmbus_server_on_message(s, connid, msg, len);
}

/* What a device would do with an open channel's rings. */
static void traffic(struct vmbus_server *s, struct input *in)
{
	struct vmbus_server_channel *ch = vmbus_server_channel(s, take(in, 1) % (VMBUS_SERVER_MAX_CHANNELS + 2));
	u8 buf[256];
	struct vmbus_pkt pkt;
	bool signal;
	u32 n = 0;

	if (!ch || ch->state != VMBUS_CHAN_OPEN)
		return;
	while (vmbus_ring_recv(&ch->in, &pkt, buf, sizeof(buf)) >= 0 && n++ < 64)
		;
	vmbus_ring_read_done(&ch->in);
	vmbus_send_inband(&ch->out, 1, 0, buf, take(in, 1), &signal);
	vmbus_server_signal(s, ch);
}

static void guest_write(struct input *in)
{
	u32 off = take(in, 3) % (sizeof(guest) - 8), v = take(in, 4);

	memcpy(guest + off, &v, 4);
}

/* Connect at 5.3 and take the offers, so scripts start where the interesting states are. */
static void connect(struct vmbus_server *s)
{
	struct vmbus_channel_initiate_contact ic = { .header.msgtype = CHANNELMSG_INITIATE_CONTACT,
						     .vmbus_version_requested = VERSION_WIN10_V5_3,
						     .msg_sint = VMBUS_MESSAGE_SINT };
	struct vmbus_channel_message_header req = { CHANNELMSG_REQUESTOFFERS, 0 };

	vmbus_server_on_message(s, VMBUS_MESSAGE_CONNECTION_ID_4, &ic, sizeof(ic));
	vmbus_server_on_message(s, VMBUS_MESSAGE_CONNECTION_ID, &req, sizeof(req));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct vmbus_server s;
	struct vmbus_channel_offer offer = { 0 };
	struct input in = { data, size };
	u32 steps = 0;

	memset(guest, 0, sizeof(guest));
	vmbus_server_init(&s, &ops, NULL, NULL);
	vmbus_server_add_channel(&s, &offer, NULL);
	vmbus_server_add_channel(&s, &offer, NULL);
	if (take(&in, 1) & 1)
		connect(&s);
	while (in.n && steps++ < 256) {
		u8 op = (u8)take(&in, 1);

		switch (op & 7) {
		case 0: case 1: case 2: case 3:
			message(&s, &in, op);
			break;
		case 4:
			vmbus_server_add_channel(&s, &offer, NULL);
			break;
		case 5:
			vmbus_server_remove_channel(&s, take(&in, 1) % (VMBUS_SERVER_MAX_CHANNELS + 2));
			break;
		case 6:
			traffic(&s, &in);
			break;
		default:
			if (op & 8)
				vmbus_server_reset(&s);
			else
				guest_write(&in);
			break;
		}
	}
	vmbus_server_reset(&s);
	if (live_maps || live_allocs)
		__builtin_trap();
	return 0;
}
