/*
 * VMBus channel management: the server driven by byte sequences written
 * from the Linux structure definitions (include/linux/hyperv.h), replies
 * checked byte by byte; then our client and server talking to each other
 * through message queues, over rings in shared "guest memory".
 *
 * Guest memory is a memfd: the guest's view maps it whole, the server's
 * map_pages maps the listed pages anew, in GPADL order, as a parent would.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "unit.h"
#include "vmbus/channel_client.h"
#include "vmbus/channel_server.h"
#include "vmbus/packet.h"

#define GUEST_PAGES 512

/* --- the embedder ----------------------------------------------------------- */

struct posted {
	u32 vp;
	u8 sint;
	u32 len;
	u8 data[VMBUS_MSG_MAX_SIZE];
};

static struct env {
	int memfd;
	u8 *guest; /* the guest's view of its memory */
	struct posted out[128];
	u32 nout, taken;
	u32 live_maps, live_allocs;
	u32 signals, last_signal_relid;
	u32 opened, closed, open_status;
	bool fail_alloc;
	u8 userdata[MAX_USER_DEFINED_BYTES];
} env;

static int post_msg(void *ctx, u32 vp, u8 sint, const void *msg, u32 len)
{
	struct posted *p = &env.out[env.nout++ % ARRAY_SIZE(env.out)];

	(void)ctx;
	CHECK(len <= VMBUS_MSG_MAX_SIZE);
	p->vp = vp;
	p->sint = sint;
	p->len = len;
	memcpy(p->data, msg, len);
	return 0;
}

static void signal_guest(void *ctx, u32 vp, u8 sint, u32 relid)
{
	(void)ctx, (void)vp, (void)sint;
	env.signals++;
	env.last_signal_relid = relid;
}

static void *map_pages(void *ctx, const u64 *pfns, u32 count)
{
	u8 *va;
	u32 i;

	(void)ctx;
	for (i = 0; i < count; i++)
		if (pfns[i] >= GUEST_PAGES)
			return NULL;
	va = mmap(NULL, (size_t)count * PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (i = 0; i < count; i++)
		mmap(va + (size_t)i * PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, env.memfd,
		     (off_t)(pfns[i] * PAGE_SIZE));
	env.live_maps++;
	return va;
}

static void unmap_pages(void *ctx, void *va, u32 count)
{
	(void)ctx;
	munmap(va, (size_t)count * PAGE_SIZE);
	env.live_maps--;
}

static void *alloc(void *ctx, size_t size)
{
	(void)ctx;
	if (env.fail_alloc)
		return NULL;
	env.live_allocs++;
	return malloc(size);
}

static void release(void *ctx, void *p, size_t size)
{
	(void)ctx, (void)size;
	env.live_allocs--;
	free(p);
}

static u32 channel_opened(void *ctx, struct vmbus_server_channel *ch, const u8 *userdata)
{
	(void)ctx, (void)ch;
	env.opened++;
	memcpy(env.userdata, userdata, sizeof(env.userdata));
	return env.open_status;
}

static void channel_closed(void *ctx, struct vmbus_server_channel *ch)
{
	(void)ctx, (void)ch;
	env.closed++;
}

static const struct vmbus_server_ops server_ops = {
	post_msg, signal_guest, map_pages, unmap_pages, alloc, release, channel_opened, channel_closed,
};

static void env_init(void)
{
	if (env.guest) {
		munmap(env.guest, GUEST_PAGES * PAGE_SIZE);
		close(env.memfd);
	}
	memset(&env, 0, sizeof(env));
	env.memfd = memfd_create("guest", 0);
	CHECK(ftruncate(env.memfd, GUEST_PAGES * PAGE_SIZE) == 0);
	env.guest = mmap(NULL, GUEST_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, env.memfd, 0);
}

/* The next reply the server posted, or NULL. */
static struct posted *reply(void)
{
	return env.taken < env.nout ? &env.out[env.taken++ % ARRAY_SIZE(env.out)] : NULL;
}

static bool no_reply(void)
{
	return env.taken == env.nout;
}

/* --- building guest messages byte by byte ------------------------------------- */

struct msg {
	u8 b[VMBUS_MSG_MAX_SIZE];
	u32 len;
};

static void put32(struct msg *m, u32 off, u32 v)
{
	memcpy(m->b + off, &v, 4);
	m->len = MAX(m->len, off + 4);
}

static void put64(struct msg *m, u32 off, u64 v)
{
	memcpy(m->b + off, &v, 8);
	m->len = MAX(m->len, off + 8);
}

static void put16(struct msg *m, u32 off, u16 v)
{
	memcpy(m->b + off, &v, 2);
	m->len = MAX(m->len, off + 2);
}

static struct msg header(u32 type)
{
	struct msg m = { { 0 }, 0 };

	put32(&m, 0, type);
	put32(&m, 4, 0);
	return m;
}

static u32 get32(const struct posted *p, u32 off)
{
	u32 v;

	memcpy(&v, p->data + off, 4);
	return v;
}

static int send_msg(struct vmbus_server *s, u32 connid, const struct msg *m)
{
	return vmbus_server_on_message(s, connid, m->b, m->len);
}

static struct msg initiate_contact(u32 version, u32 vcpu)
{
	struct msg m = header(CHANNELMSG_INITIATE_CONTACT);

	put32(&m, 8, version);
	put32(&m, 12, vcpu);
	if (version >= VERSION_WIN10_V5)
		put64(&m, 16, VMBUS_MESSAGE_SINT); /* msg_sint 2, msg_vtl 0 */
	else
		put64(&m, 16, 0x7000); /* interrupt page */
	put64(&m, 24, 0x8000);
	put64(&m, 32, 0x9000);
	return m;
}

static const vmbus_guid_t guid_a = { { 0x32, 0x26, 0x41, 0x32, 0xcb, 0x86, 0xa2, 0x44,
				       0x9b, 0x5c, 0x50, 0xd1, 0x41, 0x73, 0x54, 0xf5 } }; /* storvsc */
static const vmbus_guid_t guid_b = { { 0x63, 0x51, 0x61, 0xf8, 0x3e, 0xdf, 0xc5, 0x46,
				       0x91, 0x3f, 0xf2, 0xd2, 0xf9, 0x65, 0xed, 0x0e } }; /* netvsc */

static struct vmbus_channel_offer make_offer(const vmbus_guid_t *type, u8 instance)
{
	struct vmbus_channel_offer o;

	memset(&o, 0, sizeof(o));
	o.if_type = *type;
	memset(&o.if_instance, instance, sizeof(o.if_instance));
	o.mmio_megabytes = 0;
	o.u.std.user_def[0] = 0xab;
	return o;
}

/* Server connected at `version`, offers requested, two channels (relids 1, 2). */
static void connected_server(struct vmbus_server *s, u32 version)
{
	struct vmbus_channel_offer a = make_offer(&guid_a, 1), b = make_offer(&guid_b, 2);
	struct msg m = initiate_contact(version, 0);

	env_init();
	vmbus_server_init(s, &server_ops, NULL, NULL);
	CHECK_EQ(vmbus_server_add_channel(s, &a, NULL), 1);
	CHECK_EQ(vmbus_server_add_channel(s, &b, NULL), 2);
	CHECK_EQ(send_msg(s, vmbus_initiate_contact_connid(version), &m), 0);
	m = header(CHANNELMSG_REQUESTOFFERS);
	CHECK_EQ(send_msg(s, VMBUS_MESSAGE_CONNECTION_ID, &m), 0);
	env.taken = env.nout;
}

/* --- server, byte by byte ---------------------------------------------------------- */

static void initiate_contact_each_version(void)
{
	struct vmbus_server s;
	u32 i;

	for (i = 0; i < VMBUS_VERSION_COUNT; i++) {
		u32 v = vmbus_versions[i];
		struct msg m = initiate_contact(v, 3);
		struct posted *p;

		env_init();
		vmbus_server_init(&s, &server_ops, NULL, NULL);
		CHECK_EQ(m.len, 40);
		CHECK_EQ(send_msg(&s, vmbus_initiate_contact_connid(v), &m), 0);
		p = reply();
		CHECK(p != NULL);
		if (!p)
			continue;
		/* VERSION_RESPONSE: type 15, supported 1, state 0, msg_conn_id for >= 5.0 */
		u8 want[16] = { 15, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, v >= VERSION_WIN10_V5 ? 1 : 0, 0, 0, 0 };
		CHECK_EQ(p->len, 16);
		CHECK(!memcmp(p->data, want, 16));
		CHECK_EQ(p->vp, 3);
		CHECK_EQ(p->sint, VMBUS_MESSAGE_SINT);
		CHECK_EQ(s.version, v);
		CHECK_EQ(s.monitor_page1, 0x8000);
		CHECK_EQ(s.monitor_page2, 0x9000);
		CHECK_EQ(s.interrupt_page, v >= VERSION_WIN10_V5 ? 0 : 0x7000);
		CHECK(no_reply());
	}
}

static void initiate_contact_refused(void)
{
	static const u32 bad[] = { VMBUS_VERSION(0, 13), VMBUS_VERSION(1, 1), VMBUS_VERSION(6, 0), 0, 0xffffffffu };
	struct vmbus_server s;
	struct vmbus_server_config cfg = { .version_mask = 1u << 6 }; /* 3.0 only */
	struct posted *p;
	struct msg m;
	u32 i;

	env_init();
	vmbus_server_init(&s, &server_ops, NULL, NULL);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		m = initiate_contact(bad[i], 0);
		CHECK_EQ(send_msg(&s, VMBUS_MESSAGE_CONNECTION_ID, &m), -VMBUS_EINVAL);
		p = reply();
		CHECK(p && p->len == 16 && p->data[0] == 15 && p->data[8] == 0);
	}
	/* 5.0 and later must come on connection 4, older on 1 (connection.c). */
	m = initiate_contact(VERSION_WIN10_V5_3, 0);
	CHECK_EQ(send_msg(&s, VMBUS_MESSAGE_CONNECTION_ID, &m), -VMBUS_EINVAL);
	CHECK(reply()->data[8] == 0);
	m = initiate_contact(VERSION_WIN10, 0);
	CHECK_EQ(send_msg(&s, VMBUS_MESSAGE_CONNECTION_ID_4, &m), -VMBUS_EINVAL);
	CHECK(reply()->data[8] == 0);
	/* A SINT that does not exist. */
	m = initiate_contact(VERSION_WIN10_V5_3, 0);
	m.b[16] = 16;
	CHECK_EQ(send_msg(&s, VMBUS_MESSAGE_CONNECTION_ID_4, &m), -VMBUS_EINVAL);
	CHECK(reply()->data[8] == 0);
	CHECK_EQ(s.state, VMBUS_SERVER_DISCONNECTED);

	/* Linux's walk down the list against a 3.0-only host. */
	vmbus_server_init(&s, &server_ops, NULL, &cfg);
	for (i = 0; i < VMBUS_VERSION_COUNT; i++) {
		m = initiate_contact(vmbus_versions[i], 0);
		send_msg(&s, vmbus_initiate_contact_connid(vmbus_versions[i]), &m);
		p = reply();
		if (p->data[8])
			break;
	}
	CHECK_EQ(vmbus_versions[i], VERSION_WIN8_1);
	CHECK_EQ(s.msg_conn_id, VMBUS_MESSAGE_CONNECTION_ID);
}

static void request_offers_bytes(void)
{
	struct vmbus_channel_offer a = make_offer(&guid_a, 1), b = make_offer(&guid_b, 2);
	struct vmbus_server s;
	struct msg m = initiate_contact(VERSION_WIN10_V5_2, 1);
	struct posted *p;
	u32 relid;

	env_init();
	vmbus_server_init(&s, &server_ops, NULL, NULL);
	vmbus_server_add_channel(&s, &a, NULL);
	vmbus_server_add_channel(&s, &b, NULL);
	/* Before the version is agreed nothing but INITIATE_CONTACT is valid. */
	struct msg req = header(CHANNELMSG_REQUESTOFFERS);
	CHECK_EQ(send_msg(&s, VMBUS_MESSAGE_CONNECTION_ID, &req), -VMBUS_EPROTO);
	CHECK_EQ(send_msg(&s, VMBUS_MESSAGE_CONNECTION_ID_4, &m), 0);
	reply();
	CHECK_EQ(req.len, 8);
	/* Wrong connection for later messages. */
	CHECK_EQ(send_msg(&s, VMBUS_MESSAGE_CONNECTION_ID_4, &req), -VMBUS_EPROTO);
	CHECK_EQ(send_msg(&s, VMBUS_MESSAGE_CONNECTION_ID, &req), 0);
	for (relid = 1; relid <= 2; relid++) {
		p = reply();
		CHECK(p && p->len == 196);
		if (!p)
			return;
		CHECK_EQ(get32(p, 0), CHANNELMSG_OFFERCHANNEL);
		CHECK(!memcmp(p->data + 8, relid == 1 ? &guid_a : &guid_b, 16)); /* if_type */
		CHECK_EQ(p->data[24], relid);                                   /* if_instance */
		CHECK_EQ(p->data[8 + 52], 0xab);                                /* user_def[0] */
		CHECK_EQ(get32(p, 184), relid);                                 /* child_relid */
		CHECK_EQ(p->data[188], VMBUS_NO_MONITOR_ID);
		CHECK_EQ(p->data[189], 0);                                      /* monitor_allocated */
		CHECK_EQ(p->data[190] | p->data[191], 0);                       /* is_dedicated_interrupt */
		CHECK_EQ(get32(p, 192), VMBUS_SERVER_CONNID_BASE + relid);      /* connection_id */
		CHECK_EQ(p->vp, 1);
	}
	p = reply();
	CHECK(p && p->len == 8 && get32(p, 0) == CHANNELMSG_ALLOFFERS_DELIVERED && get32(p, 4) == 0);
	CHECK_EQ(send_msg(&s, VMBUS_MESSAGE_CONNECTION_ID, &req), -VMBUS_EPROTO);
	CHECK(no_reply());
	/* Hot add: offered at once. */
	CHECK_EQ(vmbus_server_add_channel(&s, &a, NULL), 3);
	p = reply();
	CHECK(p && get32(p, 0) == CHANNELMSG_OFFERCHANNEL && get32(p, 184) == 3);
}

/* GPADL_HEADER with one range of `pages` pages and the first `in_header` pfns. */
static struct msg gpadl_header(u32 relid, u32 handle, const u64 *pfns, u32 pages, u32 in_header)
{
	struct msg m = header(CHANNELMSG_GPADL_HEADER);
	u32 i;

	put32(&m, 8, relid);
	put32(&m, 12, handle);
	put16(&m, 16, (u16)(8 + 8 * pages)); /* range_buflen */
	put16(&m, 18, 1);                    /* rangecount */
	put32(&m, 20, pages * PAGE_SIZE);    /* byte_count */
	put32(&m, 24, 0);                    /* byte_offset */
	for (i = 0; i < in_header; i++)
		put64(&m, 28 + 8 * i, pfns[i]);
	return m;
}

static struct msg gpadl_body(u32 handle, const u64 *pfns, u32 n)
{
	struct msg m = header(CHANNELMSG_GPADL_BODY);
	u32 i;

	put32(&m, 8, 0); /* msgnumber: Linux leaves it 0 */
	put32(&m, 12, handle);
	for (i = 0; i < n; i++)
		put64(&m, 16 + 8 * i, pfns[i]);
	return m;
}

static void check_gpadl_created(u32 relid, u32 handle, bool ok)
{
	struct posted *p = reply();

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_EQ(p->len, 20);
	CHECK_EQ(get32(p, 0), CHANNELMSG_GPADL_CREATED);
	CHECK_EQ(get32(p, 8), relid);
	CHECK_EQ(get32(p, 12), handle);
	CHECK_EQ(get32(p, 16), ok ? 0 : VMBUS_STATUS_UNSUCCESSFUL);
}

static void gpadl_header_and_body(void)
{
	struct vmbus_server s;
	u64 pfns[60];
	struct msg m;
	u32 i;

	connected_server(&s, VERSION_WIN10_V5_3);
	for (i = 0; i < ARRAY_SIZE(pfns); i++)
		pfns[i] = 100 + i;
	/* 60 pages: a full header (26 pfns, 236 bytes), a full body (28, 240) and one of 6. */
	m = gpadl_header(1, 0xe1e11, pfns, 60, 26);
	CHECK_EQ(m.len, 236);
	CHECK_EQ(send_msg(&s, 1, &m), 0);
	CHECK(no_reply());
	m = gpadl_body(0xe1e11, pfns + 26, 28);
	CHECK_EQ(m.len, 240);
	CHECK_EQ(send_msg(&s, 1, &m), 0);
	CHECK(no_reply());
	m = gpadl_body(0xe1e11, pfns + 54, 6);
	CHECK_EQ(send_msg(&s, 1, &m), 0);
	check_gpadl_created(1, 0xe1e11, true);
	const struct vmbus_server_gpadl *g = vmbus_server_gpadl(&s, 0xe1e11);
	CHECK(g && g->rangecount == 1 && !memcmp(g->ranges + 8, pfns, sizeof(pfns)));

	/* Small: everything in the header. */
	m = gpadl_header(2, 0xe1e12, pfns, 3, 3);
	CHECK_EQ(send_msg(&s, 1, &m), 0);
	check_gpadl_created(2, 0xe1e12, true);

	/* Teardown: TORNDOWN carries the handle. */
	m = header(CHANNELMSG_GPADL_TEARDOWN);
	put32(&m, 8, 2);
	put32(&m, 12, 0xe1e12);
	CHECK_EQ(m.len, 16);
	CHECK_EQ(send_msg(&s, 1, &m), 0);
	struct posted *p = reply();
	CHECK(p && p->len == 12 && get32(p, 0) == CHANNELMSG_GPADL_TORNDOWN && get32(p, 8) == 0xe1e12);
	CHECK(vmbus_server_gpadl(&s, 0xe1e12) == NULL);
	/* Twice, or with the wrong relid: dropped. */
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	put32(&m, 8, 2);
	put32(&m, 12, 0xe1e11);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	CHECK(no_reply());
	vmbus_server_reset(&s);
	CHECK_EQ(env.live_allocs, 0);
}

static void gpadl_invalid(void)
{
	struct vmbus_server s;
	u64 pfns[40] = { 0 };
	struct msg m;

	connected_server(&s, VERSION_WIN10_V5_3);
	/* rangecount 0 */
	m = gpadl_header(1, 10, pfns, 1, 1);
	put16(&m, 18, 0);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	check_gpadl_created(1, 10, false);
	/* rangecount larger than range_buflen can hold */
	m = gpadl_header(1, 11, pfns, 1, 1);
	put16(&m, 18, 0xffff);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	check_gpadl_created(1, 11, false);
	/* two ranges announced, bytes for one */
	m = gpadl_header(1, 12, pfns, 1, 1);
	put16(&m, 18, 2);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	check_gpadl_created(1, 12, false);
	/* byte_count claims more pages than the buffer carries */
	m = gpadl_header(1, 13, pfns, 2, 2);
	put32(&m, 20, 3 * PAGE_SIZE);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	check_gpadl_created(1, 13, false);
	/* byte_offset + byte_count overflowing 32 bits */
	m = gpadl_header(1, 14, pfns, 2, 2);
	put32(&m, 20, 0xfffff000u);
	put32(&m, 24, 0x2000);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	check_gpadl_created(1, 14, false);
	/* zero-length range */
	m = gpadl_header(1, 15, pfns, 1, 1);
	put32(&m, 20, 0);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	check_gpadl_created(1, 15, false);
	/* more bytes in the header than range_buflen */
	m = gpadl_header(1, 16, pfns, 2, 2);
	put16(&m, 16, 16);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	check_gpadl_created(1, 16, false);
	/* range bytes not a multiple of 8 */
	m = gpadl_header(1, 17, pfns, 2, 1);
	m.len -= 4;
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	check_gpadl_created(1, 17, false);
	/* unknown relid, relid 0, handle 0 */
	m = gpadl_header(9, 18, pfns, 1, 1);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	check_gpadl_created(9, 18, false);
	m = gpadl_header(0, 19, pfns, 1, 1);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	check_gpadl_created(0, 19, false);
	m = gpadl_header(1, 0, pfns, 1, 1);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	check_gpadl_created(1, 0, false);
	/* A body that overruns what the header announced fails the GPADL. */
	m = gpadl_header(1, 20, pfns, 30, 26);
	CHECK_EQ(send_msg(&s, 1, &m), 0);
	m = gpadl_body(20, pfns, 5);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	check_gpadl_created(1, 20, false);
	/* A body for no pending GPADL, or an empty one: dropped. */
	m = gpadl_body(20, pfns, 4);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EPROTO);
	m = gpadl_body(20, pfns, 0);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	CHECK(no_reply());
	/* A handle in use is refused and the first GPADL survives. */
	m = gpadl_header(1, 21, pfns, 1, 1);
	CHECK_EQ(send_msg(&s, 1, &m), 0);
	check_gpadl_created(1, 21, true);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	check_gpadl_created(1, 21, false);
	CHECK(vmbus_server_gpadl(&s, 21) != NULL);
	/* Two ranges, each with its own offset: valid. */
	m = header(CHANNELMSG_GPADL_HEADER);
	put32(&m, 8, 1);
	put32(&m, 12, 22);
	put16(&m, 16, 8 + 16 + 8 + 8);
	put16(&m, 18, 2);
	put32(&m, 20, 5000); /* 2 pages from offset 100 */
	put32(&m, 24, 100);
	put64(&m, 28, 7);
	put64(&m, 36, 8);
	put32(&m, 44, 10);
	put32(&m, 48, 0);
	put64(&m, 52, 9);
	CHECK_EQ(send_msg(&s, 1, &m), 0);
	check_gpadl_created(1, 22, true);
	/* The embedder out of memory, then the GPADL table full: refused, nothing leaks. */
	env.fail_alloc = true;
	m = gpadl_header(1, 23, pfns, 1, 1);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_ENOMEM);
	check_gpadl_created(1, 23, false);
	env.fail_alloc = false;
	u32 handle = 100;
	for (;;) {
		m = gpadl_header(1, handle, pfns, 1, 1);
		if (send_msg(&s, 1, &m))
			break;
		check_gpadl_created(1, handle++, true);
	}
	CHECK_EQ(handle - 100, VMBUS_SERVER_MAX_GPADLS - 2);
	check_gpadl_created(1, handle, false);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_ENOSPC);
	vmbus_server_reset(&s);
	CHECK_EQ(env.live_allocs, 0);
}

/* Guest pages for a ring GPADL: `pages` pages at descending pfns (not contiguous). */
static void ring_pfns(u64 *pfns, u32 pages, u32 first)
{
	u32 i;

	for (i = 0; i < pages; i++)
		pfns[i] = first + 2 * (pages - 1 - i);
}

static struct msg open_channel(u32 relid, u32 gpadl, u32 downstream)
{
	struct msg m = header(CHANNELMSG_OPENCHANNEL);

	put32(&m, 8, relid);
	put32(&m, 12, relid); /* openid */
	put32(&m, 16, gpadl);
	put32(&m, 20, 1);     /* target_vp */
	put32(&m, 24, downstream);
	memcpy(m.b + 28, "userdata", 8);
	m.len = 148;
	return m;
}

static void check_open_result(u32 relid, u32 status)
{
	struct posted *p = reply();

	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_EQ(p->len, 20);
	CHECK_EQ(get32(p, 0), CHANNELMSG_OPENCHANNEL_RESULT);
	CHECK_EQ(get32(p, 8), relid);
	CHECK_EQ(get32(p, 12), relid);
	CHECK_EQ(get32(p, 16), status);
}

/* The guest's view of one of its pages. */
static u8 *guest_page(u64 pfn)
{
	return env.guest + pfn * PAGE_SIZE;
}

static void open_close_bytes(void)
{
	struct vmbus_server s;
	struct vmbus_server_channel *ch;
	u64 pfns[8];
	struct msg m;
	u32 i;

	connected_server(&s, VERSION_WIN10_V5_3);
	ring_pfns(pfns, 8, 40);
	for (i = 0; i < 8; i++)
		memset(guest_page(pfns[i]), 0, PAGE_SIZE);
	vmbus_ring_format((struct hv_ring_buffer *)guest_page(pfns[0]));
	vmbus_ring_format((struct hv_ring_buffer *)guest_page(pfns[4]));
	m = gpadl_header(1, 0xe1e11, pfns, 8, 8);
	send_msg(&s, 1, &m);
	check_gpadl_created(1, 0xe1e11, true);

	/* Bad downstream offsets, a GPADL of another channel, an unknown GPADL. */
	static const u32 bad_down[] = { 0, 1, 7, 8, 0xffffffffu };
	for (i = 0; i < ARRAY_SIZE(bad_down); i++) {
		m = open_channel(1, 0xe1e11, bad_down[i]);
		CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
		check_open_result(1, VMBUS_STATUS_UNSUCCESSFUL);
	}
	m = open_channel(2, 0xe1e11, 4);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EPROTO);
	check_open_result(2, VMBUS_STATUS_UNSUCCESSFUL);
	m = open_channel(1, 0x1234, 4);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EPROTO);
	check_open_result(1, VMBUS_STATUS_UNSUCCESSFUL);
	m = open_channel(9, 0xe1e11, 4);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	CHECK(no_reply());
	m = open_channel(1, 0xe1e11, 4);
	m.len = 147;
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	CHECK(no_reply());
	/* The device refuses: its status goes back. */
	env.open_status = 0xc000000d;
	m = open_channel(1, 0xe1e11, 4);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	check_open_result(1, 0xc000000d);
	CHECK_EQ(env.live_maps, 0);
	env.open_status = 0;

	CHECK_EQ(send_msg(&s, 1, &m), 0);
	check_open_result(1, 0);
	CHECK(!memcmp(env.userdata, "userdata", 8));
	ch = vmbus_server_channel(&s, 1);
	CHECK(ch && ch->state == VMBUS_CHAN_OPEN && ch->target_vp == 1);
	CHECK_EQ(ch->in.m.size, 3 * PAGE_SIZE);
	CHECK_EQ(ch->out.m.size, 3 * PAGE_SIZE);
	CHECK(vmbus_server_channel_by_connid(&s, VMBUS_SERVER_CONNID_BASE + 1) == ch);
	CHECK(vmbus_server_channel_by_connid(&s, VMBUS_SERVER_CONNID_BASE + 2) == NULL);
	/* Opening twice fails; the GPADL is busy. */
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EPROTO);
	check_open_result(1, VMBUS_STATUS_UNSUCCESSFUL);

	/* The server's rings are the guest's pages: a packet crosses page 1 -> host. */
	struct vmbus_ring_writer gw;
	struct vmbus_ring_mem gm = { (struct hv_ring_buffer *)guest_page(pfns[0]), guest_page(pfns[1]), PAGE_SIZE };
	struct vmbus_pkt pkt;
	u8 buf[64];
	bool signal;
	CHECK_EQ(vmbus_ring_writer_init(&gw, &gm), 0);
	CHECK_EQ(vmbus_send_inband(&gw, 42, 0, "from guest", 10, &signal), 0);
	CHECK_EQ(vmbus_ring_recv(&ch->in, &pkt, buf, sizeof(buf)), 16);
	CHECK(!memcmp(buf, "from guest", 10) && pkt.trans_id == 42);
	CHECK_EQ(vmbus_send_inband(&ch->out, 43, 0, "to guest", 8, &signal), 0);
	CHECK(signal);
	vmbus_server_signal(&s, ch);
	CHECK_EQ(env.signals, 1);
	CHECK_EQ(env.last_signal_relid, 1);
	CHECK(!memcmp(guest_page(pfns[5]) + 16, "to guest", 8));

	/* MODIFYCHANNEL: 5.3 answers it. */
	m = header(CHANNELMSG_MODIFYCHANNEL);
	put32(&m, 8, 1);
	put32(&m, 12, 5);
	CHECK_EQ(send_msg(&s, 1, &m), 0);
	struct posted *p = reply();
	CHECK(p && p->len == 16 && get32(p, 0) == CHANNELMSG_MODIFYCHANNEL_RESPONSE && get32(p, 8) == 1 &&
	      get32(p, 12) == 0);
	CHECK_EQ(ch->target_vp, 5);

	/* Teardown of the ring GPADL while open: refused, no answer. */
	m = header(CHANNELMSG_GPADL_TEARDOWN);
	put32(&m, 8, 1);
	put32(&m, 12, 0xe1e11);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EBUSY);
	CHECK(no_reply());
	/* CLOSECHANNEL: no answer; then the teardown goes through. */
	struct msg c = header(CHANNELMSG_CLOSECHANNEL);
	put32(&c, 8, 1);
	CHECK_EQ(c.len, 12);
	CHECK_EQ(send_msg(&s, 1, &c), 0);
	CHECK(no_reply());
	CHECK_EQ(env.closed, 1);
	CHECK_EQ(env.live_maps, 0);
	CHECK_EQ(send_msg(&s, 1, &c), -VMBUS_EPROTO);
	CHECK_EQ(send_msg(&s, 1, &m), 0);
	p = reply();
	CHECK(p && get32(p, 0) == CHANNELMSG_GPADL_TORNDOWN);
	CHECK_EQ(env.live_allocs, 0);
}

static void modify_channel_old_version(void)
{
	struct vmbus_server s;
	struct msg m = header(CHANNELMSG_MODIFYCHANNEL);

	put32(&m, 8, 1);
	put32(&m, 12, 2);
	connected_server(&s, VERSION_WIN10);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EPROTO);
	connected_server(&s, VERSION_WIN10_V5_2);
	CHECK_EQ(send_msg(&s, 1, &m), 0);
	CHECK(no_reply()); /* only 5.3 answers */
	put32(&m, 8, 7);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
}

static void rescind_and_release(void)
{
	struct vmbus_server s;
	u64 pfns[4];
	struct msg m;
	struct posted *p;

	connected_server(&s, VERSION_WIN10_V5_3);
	ring_pfns(pfns, 4, 10);
	vmbus_ring_format((struct hv_ring_buffer *)guest_page(pfns[0]));
	vmbus_ring_format((struct hv_ring_buffer *)guest_page(pfns[2]));
	m = gpadl_header(2, 5, pfns, 4, 4);
	send_msg(&s, 1, &m);
	check_gpadl_created(2, 5, true);
	m = open_channel(2, 5, 2);
	CHECK_EQ(send_msg(&s, 1, &m), 0);
	check_open_result(2, 0);

	/* RELID_RELEASED before a rescind is invalid. */
	struct msg rel = header(CHANNELMSG_RELID_RELEASED);
	put32(&rel, 8, 2);
	CHECK_EQ(send_msg(&s, 1, &rel), -VMBUS_EPROTO);

	CHECK_EQ(vmbus_server_remove_channel(&s, 2), 0);
	p = reply();
	CHECK(p && p->len == 12 && get32(p, 0) == CHANNELMSG_RESCIND_CHANNELOFFER && get32(p, 8) == 2);
	CHECK_EQ(env.closed, 1);
	CHECK_EQ(vmbus_server_remove_channel(&s, 2), -VMBUS_EINVAL);
	/* The guest closes and releases; the relid's GPADLs go with it. */
	struct msg c = header(CHANNELMSG_CLOSECHANNEL);
	put32(&c, 8, 2);
	CHECK_EQ(send_msg(&s, 1, &c), 0);
	CHECK_EQ(send_msg(&s, 1, &rel), 0);
	CHECK(vmbus_server_channel(&s, 2) == NULL);
	CHECK_EQ(env.live_allocs, 0);
	CHECK_EQ(env.live_maps, 0);
	CHECK(no_reply());
	/* The free relid is reused. */
	struct vmbus_channel_offer o = make_offer(&guid_b, 9);
	CHECK_EQ(vmbus_server_add_channel(&s, &o, NULL), 2);
}

static void unload_bytes(void)
{
	struct vmbus_server s;
	u64 pfns[4];
	struct msg m;
	struct posted *p;

	connected_server(&s, VERSION_WIN10_V5_3);
	ring_pfns(pfns, 4, 10);
	vmbus_ring_format((struct hv_ring_buffer *)guest_page(pfns[0]));
	vmbus_ring_format((struct hv_ring_buffer *)guest_page(pfns[2]));
	m = gpadl_header(1, 5, pfns, 4, 4);
	send_msg(&s, 1, &m);
	reply();
	m = open_channel(1, 5, 2);
	send_msg(&s, 1, &m);
	reply();
	m = header(CHANNELMSG_UNLOAD);
	CHECK_EQ(send_msg(&s, 1, &m), 0);
	p = reply();
	CHECK(p && p->len == 8 && get32(p, 0) == CHANNELMSG_UNLOAD_RESPONSE && get32(p, 4) == 0);
	CHECK_EQ(env.closed, 1);
	CHECK_EQ(env.live_maps, 0);
	CHECK_EQ(env.live_allocs, 0);
	CHECK_EQ(s.state, VMBUS_SERVER_DISCONNECTED);
	CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EPROTO);
	/* The channels are offered again after the next connection. */
	m = initiate_contact(VERSION_WIN10_V5_3, 0);
	send_msg(&s, 4, &m);
	reply();
	m = header(CHANNELMSG_REQUESTOFFERS);
	CHECK_EQ(send_msg(&s, 1, &m), 0);
	CHECK(get32(reply(), 0) == CHANNELMSG_OFFERCHANNEL);
	CHECK(get32(reply(), 0) == CHANNELMSG_OFFERCHANNEL);
	CHECK(get32(reply(), 0) == CHANNELMSG_ALLOFFERS_DELIVERED);
}

static void malformed_messages(void)
{
	static const u32 host_to_guest[] = { CHANNELMSG_INVALID, CHANNELMSG_OFFERCHANNEL,
					     CHANNELMSG_RESCIND_CHANNELOFFER, CHANNELMSG_ALLOFFERS_DELIVERED,
					     CHANNELMSG_OPENCHANNEL_RESULT, CHANNELMSG_GPADL_CREATED,
					     CHANNELMSG_GPADL_TORNDOWN, CHANNELMSG_VERSION_RESPONSE,
					     CHANNELMSG_UNLOAD_RESPONSE, 18, 19, 20, CHANNELMSG_TL_CONNECT_REQUEST,
					     CHANNELMSG_TL_CONNECT_RESULT, CHANNELMSG_MODIFYCHANNEL_RESPONSE,
					     CHANNELMSG_COUNT, 0x80000003u, 0xffffffffu };
	static const struct { u32 type, min; } mins[] = {
		{ CHANNELMSG_REQUESTOFFERS, 8 }, { CHANNELMSG_OPENCHANNEL, 148 }, { CHANNELMSG_CLOSECHANNEL, 12 },
		{ CHANNELMSG_GPADL_HEADER, 28 }, { CHANNELMSG_GPADL_BODY, 24 }, { CHANNELMSG_GPADL_TEARDOWN, 16 },
		{ CHANNELMSG_RELID_RELEASED, 12 }, { CHANNELMSG_INITIATE_CONTACT, 40 }, { CHANNELMSG_UNLOAD, 8 },
		{ CHANNELMSG_MODIFYCHANNEL, 16 },
	};
	struct vmbus_server s;
	u8 big[VMBUS_MSG_MAX_SIZE + 1] = { CHANNELMSG_REQUESTOFFERS };
	struct msg m;
	u32 i;

	connected_server(&s, VERSION_WIN10_V5_3);
	for (i = 0; i < ARRAY_SIZE(host_to_guest); i++) {
		m = header(host_to_guest[i]);
		m.len = 64;
		CHECK_EQ(send_msg(&s, 1, &m), -VMBUS_EINVAL);
	}
	for (i = 0; i < ARRAY_SIZE(mins); i++) {
		m = header(mins[i].type);
		m.len = mins[i].min - 1;
		CHECK_EQ(send_msg(&s, mins[i].type == CHANNELMSG_INITIATE_CONTACT ? 4 : 1, &m), -VMBUS_EINVAL);
	}
	CHECK_EQ(vmbus_server_on_message(&s, 1, big, 7), -VMBUS_EINVAL);
	CHECK_EQ(vmbus_server_on_message(&s, 1, big, sizeof(big)), -VMBUS_EINVAL);
	CHECK(no_reply());
	CHECK_EQ(s.state, VMBUS_SERVER_OFFERED);
}

/* --- our client against our server --------------------------------------------------- */

struct wire {
	struct vmbus_server s;
	struct vmbus_client c;
	u32 connids[64];
	struct msg to_host[64];
	u32 nto_host, taken_host;
	u32 host_signals, last_host_connid;
};

static struct wire wire;

static int client_post(void *ctx, u32 connid, const void *msg, u32 len)
{
	struct msg *m = &wire.to_host[wire.nto_host % 64];

	(void)ctx;
	CHECK(len <= VMBUS_MSG_MAX_SIZE);
	memcpy(m->b, msg, len);
	m->len = len;
	wire.connids[wire.nto_host++ % 64] = connid;
	return 0;
}

static void client_signal(void *ctx, u32 connid)
{
	(void)ctx;
	wire.host_signals++;
	wire.last_host_connid = connid;
}

static const struct vmbus_client_ops client_ops = { client_post, client_signal };

/* Deliver messages both ways until both sides are quiet. */
static void pump(void)
{
	struct posted *p;
	bool moved = true;

	while (moved) {
		moved = false;
		while (wire.taken_host < wire.nto_host) {
			u32 i = wire.taken_host++ % 64;

			vmbus_server_on_message(&wire.s, wire.connids[i], wire.to_host[i].b, wire.to_host[i].len);
			moved = true;
		}
		while ((p = reply())) {
			CHECK_EQ(vmbus_client_on_message(&wire.c, p->data, p->len), 0);
			moved = true;
		}
	}
}

static void wire_init(const struct vmbus_server_config *cfg)
{
	struct vmbus_client_config ccfg = { .target_vcpu = 0, .monitor_page1 = 0x1000, .monitor_page2 = 0x2000 };
	struct vmbus_channel_offer a = make_offer(&guid_a, 1), b = make_offer(&guid_b, 2);

	env_init();
	memset(&wire, 0, sizeof(wire));
	vmbus_server_init(&wire.s, &server_ops, NULL, cfg);
	vmbus_server_add_channel(&wire.s, &a, NULL);
	vmbus_server_add_channel(&wire.s, &b, NULL);
	vmbus_client_init(&wire.c, &client_ops, NULL, &ccfg);
}

static void roundtrip_connect_versions(void)
{
	u32 i;

	for (i = 0; i < VMBUS_VERSION_COUNT; i++) {
		struct vmbus_server_config cfg = { .version_mask = 1u << i };

		wire_init(&cfg);
		CHECK_EQ(vmbus_client_connect(&wire.c), 0);
		pump();
		CHECK_EQ(wire.c.state, VMBUS_CLIENT_CONNECTED);
		CHECK_EQ(wire.c.version, vmbus_versions[i]);
		CHECK_EQ(wire.s.version, vmbus_versions[i]);
		/* Every try went to the connection id Linux uses for its version. */
		CHECK_EQ(wire.nto_host, i + 1);
		for (u32 k = 0; k <= i; k++)
			CHECK_EQ(wire.connids[k], vmbus_initiate_contact_connid(vmbus_versions[k]));
	}
	struct vmbus_server_config none = { .version_mask = 1u << 31 };
	wire_init(&none);
	vmbus_client_connect(&wire.c);
	pump();
	CHECK_EQ(wire.c.state, VMBUS_CLIENT_REFUSED);
	CHECK_EQ(wire.nto_host, VMBUS_VERSION_COUNT);
}

/* A channel's whole life through our client and server, with traffic on its rings. */
static void roundtrip_channel_traffic(void)
{
	struct vmbus_client_channel *cch;
	struct vmbus_server_channel *sch;
	struct vmbus_ring_writer gw;
	struct vmbus_ring_reader gr;
	u64 pfns[64];
	u32 handle, i, relid;

	wire_init(NULL);
	vmbus_client_connect(&wire.c);
	pump();
	CHECK_EQ(vmbus_client_request_offers(&wire.c), 0);
	pump();
	CHECK(wire.c.offers_done);
	cch = vmbus_client_find(&wire.c, &guid_b);
	CHECK(cch != NULL);
	if (!cch)
		return;
	relid = cch->offer.child_relid;
	CHECK_EQ(relid, 2);
	/* 64 pages (header + 2 bodies): 32 out, 32 in. */
	for (i = 0; i < 64; i++)
		pfns[i] = 200 + i;
	CHECK_EQ(vmbus_client_rings_init(guest_page(200), 64, 32, &gw, &gr), 0);
	CHECK_EQ(vmbus_client_gpadl_create(&wire.c, relid, pfns, 64, &handle), 0);
	CHECK_EQ(handle, VMBUS_FIRST_GPADL_HANDLE);
	CHECK_EQ(wire.nto_host - wire.taken_host, 3);
	pump();
	CHECK_EQ(vmbus_client_gpadl(&wire.c, handle)->state, VMBUS_CLIENT_GPADL_CREATED);
	CHECK_EQ(vmbus_client_open(&wire.c, relid, handle, 32, 0, "hello", 5), 0);
	pump();
	CHECK_EQ(cch->state, VMBUS_CLIENT_CHAN_OPEN);
	sch = vmbus_server_channel(&wire.s, relid);
	CHECK(sch && sch->state == VMBUS_CHAN_OPEN);

	/* Requests guest -> host, completions back, checked both ways. */
	for (i = 0; i < 5000; i++) {
		u8 req[300], got[304];
		struct vmbus_pkt pkt;
		bool signal;
		u32 n = i % 300, k;

		for (k = 0; k < n; k++)
			req[k] = (u8)(i + k);
		CHECK_EQ(vmbus_send_inband(&gw, i, VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED, req, n, &signal), 0);
		if (signal)
			vmbus_client_signal(&wire.c, relid);
		CHECK(vmbus_server_channel_by_connid(&wire.s, wire.last_host_connid) == sch);
		CHECK_EQ(vmbus_ring_recv(&sch->in, &pkt, got, sizeof(got)), ALIGN_UP(n, 8));
		CHECK(pkt.trans_id == i && pkt.flags == VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED);
		CHECK(!memcmp(got, req, n));
		vmbus_ring_read_done(&sch->in);
		CHECK_EQ(vmbus_send_comp(&sch->out, pkt.trans_id, got, 4, &signal), 0);
		if (signal)
			vmbus_server_signal(&wire.s, sch);
		CHECK_EQ(vmbus_ring_recv(&gr, &pkt, got, sizeof(got)), 8);
		CHECK(pkt.type == VM_PKT_COMP && pkt.trans_id == i);
		vmbus_ring_read_done(&gr);
	}
	/* One signal per empty -> non-empty transition: every packet here. */
	CHECK_EQ(wire.host_signals, 5000);
	CHECK_EQ(env.signals, 5000);

	CHECK_EQ(vmbus_client_close(&wire.c, relid), 0);
	CHECK_EQ(vmbus_client_gpadl_teardown(&wire.c, handle), 0);
	pump();
	CHECK(vmbus_client_gpadl(&wire.c, handle) == NULL);
	CHECK_EQ(env.live_maps, 0);
	CHECK_EQ(env.live_allocs, 0);
	CHECK_EQ(vmbus_client_unload(&wire.c), 0);
	pump();
	CHECK_EQ(wire.c.state, VMBUS_CLIENT_DISCONNECTED);
	CHECK_EQ(wire.s.state, VMBUS_SERVER_DISCONNECTED);
}

static void roundtrip_rescind(void)
{
	struct vmbus_client_channel *cch;

	wire_init(NULL);
	vmbus_client_connect(&wire.c);
	pump();
	vmbus_client_request_offers(&wire.c);
	pump();
	CHECK_EQ(vmbus_server_remove_channel(&wire.s, 1), 0);
	pump();
	cch = vmbus_client_channel(&wire.c, 1);
	CHECK(cch && cch->state == VMBUS_CLIENT_CHAN_RESCINDED);
	CHECK_EQ(vmbus_client_release_relid(&wire.c, 1), 0);
	pump();
	CHECK(vmbus_server_channel(&wire.s, 1) == NULL);
	CHECK(vmbus_client_channel(&wire.c, 1) == NULL);
}

/* A guest that reconnects without UNLOAD (kexec, crash kernel) gets a clean start. */
static void roundtrip_reconnect_without_unload(void)
{
	u64 pfns[4] = { 300, 301, 302, 303 };
	struct vmbus_ring_writer gw;
	struct vmbus_ring_reader gr;
	u32 handle;

	wire_init(NULL);
	vmbus_client_connect(&wire.c);
	pump();
	vmbus_client_request_offers(&wire.c);
	pump();
	vmbus_client_rings_init(guest_page(300), 4, 2, &gw, &gr);
	vmbus_client_gpadl_create(&wire.c, 1, pfns, 4, &handle);
	pump();
	vmbus_client_open(&wire.c, 1, handle, 2, 0, NULL, 0);
	pump();
	CHECK_EQ(env.opened, 1);
	vmbus_client_init(&wire.c, &client_ops, NULL, &wire.c.cfg);
	vmbus_client_connect(&wire.c);
	pump();
	CHECK_EQ(env.closed, 1);
	CHECK_EQ(env.live_maps, 0);
	CHECK_EQ(env.live_allocs, 0);
	vmbus_client_request_offers(&wire.c);
	pump();
	CHECK(wire.c.offers_done);
	CHECK(vmbus_client_channel(&wire.c, 1) && vmbus_client_channel(&wire.c, 2));
}

static void client_rejects_garbage(void)
{
	u8 b[VMBUS_MSG_MAX_SIZE] = { 0 };
	u32 t;

	wire_init(NULL);
	for (t = 0; t < 30; t++) {
		b[0] = (u8)t;
		vmbus_client_on_message(&wire.c, b, 7);
		vmbus_client_on_message(&wire.c, b, 8);
		vmbus_client_on_message(&wire.c, b, sizeof(b));
	}
	CHECK_EQ(wire.c.state, VMBUS_CLIENT_DISCONNECTED);
	CHECK_EQ(vmbus_client_request_offers(&wire.c), -VMBUS_EPROTO);
	CHECK_EQ(vmbus_client_gpadl_create(&wire.c, 1, (u64[]){ 1 }, 1, &t), -VMBUS_EPROTO);
	CHECK_EQ(vmbus_client_gpadl_create(&wire.c, 1, (u64[]){ 1 }, 0, &t), -VMBUS_EINVAL);
}

UNIT_MAIN("vmbus_channel", CASE(initiate_contact_each_version), CASE(initiate_contact_refused),
	  CASE(request_offers_bytes), CASE(gpadl_header_and_body), CASE(gpadl_invalid), CASE(open_close_bytes),
	  CASE(modify_channel_old_version), CASE(rescind_and_release), CASE(unload_bytes),
	  CASE(malformed_messages), CASE(roundtrip_connect_versions), CASE(roundtrip_channel_traffic),
	  CASE(roundtrip_rescind), CASE(roundtrip_reconnect_without_unload), CASE(client_rejects_garbage))
