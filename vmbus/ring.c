/*
 * VMBus ring buffer reader and writer. The signalling rules and barriers
 * follow Linux drivers/hv/ring_buffer.c (hv_ringbuffer_write,
 * hv_signal_on_write, hv_pkt_iter_first, hv_pkt_iter_close) so that a Linux
 * peer never misses a wakeup and is never signalled needlessly.
 */
#include "vmbus/ring.h"

/* Rings larger than this are refused, so offset + length never overflows. */
#define VMBUS_RING_MAX_SIZE (1u << 30)

static bool index_ok(const struct vmbus_ring_mem *m, u32 index)
{
	return index < m->size && !(index & 7);
}

/* Bytes from `from` up to `to` going forward around the ring. */
static u32 ring_distance(const struct vmbus_ring_mem *m, u32 from, u32 to)
{
	return to >= from ? to - from : m->size - from + to;
}

static u32 ring_wrap(const struct vmbus_ring_mem *m, u32 off)
{
	return off >= m->size ? off - m->size : off;
}

static void ring_zero(const struct vmbus_ring_mem *m, u32 off, u32 n)
{
	u32 first = MIN(n, m->size - off);

	memset((u8 *)m->data + off, 0, first);
	if (n > first)
		memset((u8 *)m->data, 0, n - first);
}

/* Copy n (<= size) bytes out of the ring from off; the split copy is the rare case. */
static void ring_copy_out(const struct vmbus_ring_mem *m, u32 off, void *dst, u32 n)
{
	u32 first = m->size - off;

	if (likely(n <= first)) {
		memcpy(dst, (const u8 *)m->data + off, n);
		return;
	}
	memcpy(dst, (const u8 *)m->data + off, first);
	memcpy((u8 *)dst + first, (const u8 *)m->data, n - first);
}

/*
 * Descriptors and trailers are 8-byte words at 8-aligned offsets of a ring
 * whose size is a multiple of 8: a word never straddles the end. Moving
 * them as whole words (not through a byte copy of a struct) also avoids
 * a store-forwarding stall on the descriptor built field by field.
 */
static void ring_store64(const struct vmbus_ring_mem *m, u32 off, u64 v)
{
	*(volatile u64 *)(m->data + off) = v;
}

static u64 ring_load64(const struct vmbus_ring_mem *m, u32 off)
{
	return *(const volatile u64 *)(m->data + off);
}

static bool mem_ok(const struct vmbus_ring_mem *m)
{
	return m->ctl && m->data && !((uintptr_t)m->data & 7) && m->size && !(m->size & 7) &&
	       m->size <= VMBUS_RING_MAX_SIZE;
}

void vmbus_ring_format(volatile struct hv_ring_buffer *ctl)
{
	memset((void *)ctl, 0, sizeof(*ctl));
	/* Linux hv_ringbuffer_init: we honour pending_send_sz on this ring. */
	vmbus_store32(&ctl->feature_bits, VMBUS_RING_FEAT_PENDING_SEND_SZ);
}

int vmbus_ring_writer_init(struct vmbus_ring_writer *w, const struct vmbus_ring_mem *m)
{
	u32 index, read;

	if (!mem_ok(m))
		return -VMBUS_EINVAL;
	index = vmbus_load32(&m->ctl->write_index);
	read = vmbus_load32(&m->ctl->read_index);
	if (!index_ok(m, index) || !index_ok(m, read))
		return -VMBUS_EIO;
	w->m = *m;
	w->next = w->published = index;
	w->read_seen = read;
	w->pending = false;
	return 0;
}

int vmbus_ring_reader_init(struct vmbus_ring_reader *r, const struct vmbus_ring_mem *m)
{
	u32 index;

	if (!mem_ok(m))
		return -VMBUS_EINVAL;
	index = vmbus_load32(&m->ctl->read_index);
	if (!index_ok(m, index))
		return -VMBUS_EIO;
	r->m = *m;
	r->next = r->published = r->write_seen = index;
	return 0;
}

/* --- writer ---------------------------------------------------------------- */

/* Free space as hv_get_bytes_to_write computes it, from our private index. */
static u32 space_from(const struct vmbus_ring_writer *w, u32 read)
{
	return read > w->next ? read - w->next : w->m.size - (w->next - read);
}

s64 vmbus_ring_write_space(struct vmbus_ring_writer *w)
{
	u32 read = vmbus_load32(&w->m.ctl->read_index);

	if (!index_ok(&w->m, read))
		return -VMBUS_EIO;
	w->read_seen = read;
	return space_from(w, read);
}

u32 vmbus_ring_pkt_footprint(u32 body_len)
{
	u64 len = ALIGN_UP((u64)sizeof(struct vmpacket_descriptor) + body_len, 8);

	return len > VMBUS_PKT_MAX_LEN ? 0xffffffffu : (u32)len + VMBUS_PKT_TRAILER;
}

static void span_set(const struct vmbus_ring_mem *m, struct vmbus_ring_span *span, u32 off, u32 n)
{
	u32 first = MIN(n, m->size - off);

	span->p[0] = m->data + off;
	span->n[0] = first;
	span->p[1] = m->data;
	span->n[1] = n - first;
}

int vmbus_ring_reserve(struct vmbus_ring_writer *w, const struct vmbus_pkt_out *p, u32 body_len,
		       struct vmbus_ring_span *span)
{
	u32 footprint = vmbus_ring_pkt_footprint(body_len);
	u32 len = footprint - VMBUS_PKT_TRAILER;
	u32 hdr_len = sizeof(struct vmpacket_descriptor) + p->ext_len;
	s64 space;
	u32 off;

	if ((p->ext_len & 7) || p->ext_len > body_len)
		return -VMBUS_EINVAL;
	if (footprint >= w->m.size)
		return -VMBUS_ENOSPC;
	/* A ring filled exactly would look empty: keep it strictly below full. */
	if (space_from(w, w->read_seen) <= footprint) {
		space = vmbus_ring_write_space(w);
		if (space < 0)
			return (int)space;
		if ((u64)space <= footprint)
			return -VMBUS_EAGAIN;
	}

	/* struct vmpacket_descriptor: type, offset8, len8, flags; trans_id. */
	ring_store64(&w->m, w->next,
		     p->type | (u64)(hdr_len >> 3) << 16 | (u64)(len >> 3) << 32 | (u64)p->flags << 48);
	off = ring_wrap(&w->m, w->next + 8);
	ring_store64(&w->m, off, p->trans_id);
	off = ring_wrap(&w->m, off + 8);
	span_set(&w->m, span, off, body_len);
	if (len - sizeof(struct vmpacket_descriptor) > body_len)
		ring_zero(&w->m, ring_wrap(&w->m, off + body_len), len - sizeof(struct vmpacket_descriptor) - body_len);
	span->start = w->next;
	span->end = ring_wrap(&w->m, w->next + len);
	return 0;
}

void vmbus_ring_commit(struct vmbus_ring_writer *w, const struct vmbus_ring_span *span)
{
	/* The trailer: this packet's start offset in the upper 32 bits. */
	ring_store64(&w->m, span->end, (u64)span->start << 32);
	w->next = ring_wrap(&w->m, span->end + VMBUS_PKT_TRAILER);
}

static void span_copy(struct vmbus_ring_span *span, u32 off, const void *src, u32 n)
{
	u32 first = off < span->n[0] ? MIN(n, span->n[0] - off) : 0;

	if (first)
		memcpy((u8 *)span->p[0] + off, src, first);
	if (n > first)
		memcpy((u8 *)span->p[1] + (off + first - span->n[0]), (const u8 *)src + first, n - first);
}

int vmbus_ring_put(struct vmbus_ring_writer *w, const struct vmbus_pkt_out *p)
{
	struct vmbus_ring_span span;
	u64 total = 0;
	u32 i, off = 0;
	int ret;

	for (i = 0; i < p->iov_count; i++)
		total += p->iov[i].len;
	if (total > VMBUS_PKT_MAX_LEN)
		return -VMBUS_ENOSPC;
	ret = vmbus_ring_reserve(w, p, (u32)total, &span);
	if (ret)
		return ret;
	for (i = 0; i < p->iov_count; i++) {
		span_copy(&span, off, p->iov[i].base, p->iov[i].len);
		off += p->iov[i].len;
	}
	vmbus_ring_commit(w, &span);
	return 0;
}

bool vmbus_ring_flush(struct vmbus_ring_writer *w)
{
	volatile struct hv_ring_buffer *ctl = w->m.ctl;
	u32 old = w->published;

	if (w->next == old)
		return false;
	/* The packets must be visible before the index that exposes them. */
	vmbus_mb();
	vmbus_store32(&ctl->write_index, w->next);
	w->published = w->next;
	if (w->pending) {
		vmbus_store32(&ctl->pending_send_sz, 0);
		w->pending = false;
	}
	/*
	 * hv_signal_on_write: the index store must be ordered before the mask
	 * and read_index loads, or a reader that just went idle is missed.
	 */
	vmbus_mb();
	if (vmbus_load32(&ctl->interrupt_mask))
		return false;
	vmbus_rmb();
	/* Only an empty -> non-empty transition needs a signal. */
	return vmbus_load32(&ctl->read_index) == old;
}

bool vmbus_ring_want_space(struct vmbus_ring_writer *w, u32 bytes)
{
	s64 space;

	vmbus_store32(&w->m.ctl->pending_send_sz, bytes);
	w->pending = true;
	/* Publish the request before looking at read_index again. */
	vmbus_mb();
	space = vmbus_ring_write_space(w);
	if (space >= 0 && (u64)space <= bytes)
		return false;
	vmbus_store32(&w->m.ctl->pending_send_sz, 0);
	w->pending = false;
	return true;
}

/* --- reader ---------------------------------------------------------------- */

int vmbus_ring_peek(struct vmbus_ring_reader *r, struct vmbus_pkt *pkt)
{
	u32 write = r->write_seen;
	u32 avail, len, hdr_len;
	u64 d0;

	if (write == r->next) {
		write = vmbus_load32(&r->m.ctl->write_index);
		if (!index_ok(&r->m, write))
			return -VMBUS_EIO;
		if (write == r->next)
			return -VMBUS_EAGAIN;
		r->write_seen = write;
		/* Acquire: the packet is read after the index that published it. */
		vmbus_rmb();
	}
	avail = ring_distance(&r->m, r->next, write);
	/* A writer publishes whole packets only: anything shorter is corrupt. */
	if (avail < sizeof(struct vmpacket_descriptor) + VMBUS_PKT_TRAILER)
		return -VMBUS_EIO;
	/* The descriptor, read once as its two words: type, offset8, len8, flags; trans_id. */
	d0 = ring_load64(&r->m, r->next);
	len = (u32)(u16)(d0 >> 32) << 3;
	hdr_len = (u32)(u16)(d0 >> 16) << 3;
	if (len < sizeof(struct vmpacket_descriptor) || hdr_len < sizeof(struct vmpacket_descriptor) ||
	    hdr_len > len || len + VMBUS_PKT_TRAILER > avail)
		return -VMBUS_EIO;
	pkt->type = (u16)d0;
	pkt->flags = (u16)(d0 >> 48);
	pkt->trans_id = ring_load64(&r->m, ring_wrap(&r->m, r->next + 8));
	pkt->hdr_len = hdr_len;
	pkt->len = len;
	pkt->pos = r->next;
	return 0;
}

void vmbus_ring_advance(struct vmbus_ring_reader *r, const struct vmbus_pkt *pkt)
{
	r->next = ring_wrap(&r->m, pkt->pos + pkt->len + VMBUS_PKT_TRAILER);
}

bool vmbus_ring_read_done(struct vmbus_ring_reader *r)
{
	volatile struct hv_ring_buffer *ctl = r->m.ctl;
	u32 start = r->published, pending, write, free_now, bytes_read;

	if (r->next == start)
		return false;
	/* All packet reads are done before the writer may reuse the space. */
	vmbus_rmb();
	vmbus_store32(&ctl->read_index, r->next);
	r->published = r->next;
	if (!(vmbus_load32(&ctl->feature_bits) & VMBUS_RING_FEAT_PENDING_SEND_SZ))
		return false;
	/* hv_pkt_iter_close: read_index store before the pending_send_sz load. */
	vmbus_mb();
	pending = vmbus_load32(&ctl->pending_send_sz);
	if (!pending)
		return false;
	vmbus_rmb();
	write = vmbus_load32(&ctl->write_index);
	if (!index_ok(&r->m, write))
		return false;
	free_now = r->m.size - ring_distance(&r->m, r->next, write);
	bytes_read = ring_distance(&r->m, start, r->next);
	/* Signal only on the transition from "not enough room" to "enough room". */
	if (free_now - bytes_read > pending)
		return false;
	return free_now > pending;
}

int vmbus_ring_pkt_copy(const struct vmbus_ring_reader *r, const struct vmbus_pkt *pkt, u32 off, void *dst,
			u32 n)
{
	if (off > pkt->len || n > pkt->len - off)
		return -VMBUS_EINVAL;
	ring_copy_out(&r->m, ring_wrap(&r->m, pkt->pos + off), dst, n);
	return 0;
}

const volatile u8 *vmbus_ring_pkt_ptr(const struct vmbus_ring_reader *r, const struct vmbus_pkt *pkt, u32 off,
				      u32 n)
{
	u32 start;

	if (off > pkt->len || n > pkt->len - off)
		return NULL;
	start = ring_wrap(&r->m, pkt->pos + off);
	if (n > r->m.size - start)
		return NULL;
	return r->m.data + start;
}

s64 vmbus_ring_recv(struct vmbus_ring_reader *r, struct vmbus_pkt *pkt, void *buf, u32 buflen)
{
	int ret = vmbus_ring_peek(r, pkt);
	u32 n;

	if (ret)
		return ret;
	n = pkt->len - pkt->hdr_len;
	if (n > buflen)
		return -VMBUS_ENOSPC;
	vmbus_ring_pkt_copy(r, pkt, pkt->hdr_len, buf, n);
	vmbus_ring_advance(r, pkt);
	return n;
}

void vmbus_ring_mask(struct vmbus_ring_reader *r)
{
	vmbus_store32(&r->m.ctl->interrupt_mask, 1);
	vmbus_mb();
}

bool vmbus_ring_unmask(struct vmbus_ring_reader *r)
{
	vmbus_store32(&r->m.ctl->interrupt_mask, 0);
	/* hv_end_read: the unmask store before the write_index load. */
	vmbus_mb();
	return vmbus_load32(&r->m.ctl->write_index) != r->next;
}
