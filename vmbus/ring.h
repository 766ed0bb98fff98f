/*
 * VMBus ring buffers: one direction of a channel, shared between a writer
 * and a reader in guest memory. Layout as Linux's struct hv_ring_buffer
 * (include/linux/hyperv.h): a 4 KiB control page, then the data area.
 * Each packet in the data area is a struct vmpacket_descriptor, its
 * type-specific header and payload padded to 8 bytes, then an 8-byte
 * trailer whose upper half is the packet's start offset (ring_buffer.c
 * hv_get_ring_bufferindices). Offsets are bytes from the start of the data
 * area and wrap around its end. One byte is always left free so that
 * read_index == write_index means empty.
 *
 * Everything in the shared pages is written by the other side too, at any
 * time: each shared index is read once, validated, and corruption is
 * reported as -VMBUS_EIO (the caller then closes the channel). The writer
 * and the reader keep their own index privately and never read it back.
 */
#ifndef VMBUS_RING_H
#define VMBUS_RING_H

#include "vmbus/vmbus_env.h"

struct hv_ring_buffer {
	u32 write_index;
	u32 read_index;
	u32 interrupt_mask;  /* set by the reader: do not signal me */
	u32 pending_send_sz; /* set by a blocked writer: signal me when this much is free */
	u32 reserved1[12];
	u32 feature_bits;    /* bit 0: feat_pending_send_sz */
	u8 reserved2[PAGE_SIZE - 68];
}; /* naturally aligned: not packed, so its fields can be accessed through pointers */

#define VMBUS_RING_FEAT_PENDING_SEND_SZ 0x1

_Static_assert(sizeof(struct hv_ring_buffer) == PAGE_SIZE, "hv_ring_buffer control page");
_Static_assert(__builtin_offsetof(struct hv_ring_buffer, read_index) == 4, "read_index");
_Static_assert(__builtin_offsetof(struct hv_ring_buffer, interrupt_mask) == 8, "interrupt_mask");
_Static_assert(__builtin_offsetof(struct hv_ring_buffer, pending_send_sz) == 12, "pending_send_sz");
_Static_assert(__builtin_offsetof(struct hv_ring_buffer, feature_bits) == 64, "feature_bits");

struct vmpacket_descriptor {
	u16 type;
	u16 offset8; /* start of the payload, in 8-byte units from the descriptor */
	u16 len8;    /* whole packet without the trailer, in 8-byte units */
	u16 flags;
	u64 trans_id;
} __packed;

_Static_assert(sizeof(struct vmpacket_descriptor) == 16, "vmpacket_descriptor");
_Static_assert(__builtin_offsetof(struct vmpacket_descriptor, offset8) == 2, "offset8");
_Static_assert(__builtin_offsetof(struct vmpacket_descriptor, len8) == 4, "len8");
_Static_assert(__builtin_offsetof(struct vmpacket_descriptor, flags) == 6, "flags");
_Static_assert(__builtin_offsetof(struct vmpacket_descriptor, trans_id) == 8, "trans_id");

#define VMBUS_PKT_TRAILER 8
/* The largest packet a descriptor can describe (len8 is 16 bits). */
#define VMBUS_PKT_MAX_LEN (0xffffu * 8)

/* A ring as mapped by one side: the control page and a contiguous data area. */
struct vmbus_ring_mem {
	volatile struct hv_ring_buffer *ctl;
	volatile u8 *data;
	u32 size; /* bytes in the data area: a non-zero multiple of 8 */
};

/*
 * Each side also caches the other's index as last read and validated, and
 * reads the shared one again only when the cached one says "full" or
 * "empty": the indices share a cache line that both sides write, so this
 * keeps it from bouncing between CPUs on every packet. Indices only move
 * forward, so a stale value is merely conservative. Both structures are
 * written on every packet: a writer and a reader driven from two CPUs must
 * not share a cache line, or that line bounces per packet (it cost the
 * benchmark 4x at 64 bytes).
 */
struct vmbus_ring_writer {
	struct vmbus_ring_mem m;
	u32 next;      /* where the next packet goes (private) */
	u32 published; /* write_index as last published */
	u32 read_seen; /* read_index as last read */
	bool pending;  /* we set pending_send_sz and must clear it */
};

struct vmbus_ring_reader {
	struct vmbus_ring_mem m;
	u32 next;       /* descriptor of the next packet (private read index) */
	u32 published;  /* read_index as last published */
	u32 write_seen; /* write_index as last read */
};

/* A received packet: the descriptor as read once, and where it lies. */
struct vmbus_pkt {
	u16 type;
	u16 flags;
	u64 trans_id;
	u32 hdr_len; /* offset8 * 8: descriptor and type-specific header */
	u32 len;     /* len8 * 8 */
	u32 pos;     /* ring offset of the descriptor */
};

struct vmbus_iov {
	const void *base;
	u32 len;
};

/*
 * A packet to write: descriptor fields and the body after the descriptor,
 * gathered from iov. The first ext_len bytes of the body (a multiple of 8)
 * are the type-specific header: offset8 points past them.
 */
struct vmbus_pkt_out {
	u16 type;
	u16 flags;
	u64 trans_id;
	u32 ext_len;
	const struct vmbus_iov *iov;
	u32 iov_count;
};

/* Where to write a reserved packet's body in place: at most two pieces. */
struct vmbus_ring_span {
	volatile u8 *p[2];
	u32 n[2];
	u32 end; /* ring offset just past the padded packet (the trailer) */
	u32 start;
};

/* Lay out a fresh ring (the guest does this before it creates the GPADL). */
void vmbus_ring_format(volatile struct hv_ring_buffer *ctl);

int vmbus_ring_writer_init(struct vmbus_ring_writer *w, const struct vmbus_ring_mem *m);
int vmbus_ring_reader_init(struct vmbus_ring_reader *r, const struct vmbus_ring_mem *m);

/*
 * Writing. Packets are written at the private index and become visible
 * only at vmbus_ring_flush, so a batch of packets costs one signal.
 */
int vmbus_ring_put(struct vmbus_ring_writer *w, const struct vmbus_pkt_out *p);
int vmbus_ring_reserve(struct vmbus_ring_writer *w, const struct vmbus_pkt_out *p, u32 body_len,
		       struct vmbus_ring_span *span);
void vmbus_ring_commit(struct vmbus_ring_writer *w, const struct vmbus_ring_span *span);
/* Publish what was written; true when the reader must be signalled. */
bool vmbus_ring_flush(struct vmbus_ring_writer *w);
/* Free bytes for writing, or -VMBUS_EIO when read_index is corrupt. */
s64 vmbus_ring_write_space(struct vmbus_ring_writer *w);
/*
 * The ring is too full for `bytes` of packets: ask the reader to signal us
 * when it has made room (pending_send_sz). Returns true when the room is
 * already there (no signal will come: retry now).
 */
bool vmbus_ring_want_space(struct vmbus_ring_writer *w, u32 bytes);
/* Total ring bytes a packet with this body takes: descriptor, padding, trailer. */
u32 vmbus_ring_pkt_footprint(u32 body_len);

/* Reading. */
int vmbus_ring_peek(struct vmbus_ring_reader *r, struct vmbus_pkt *pkt);
void vmbus_ring_advance(struct vmbus_ring_reader *r, const struct vmbus_pkt *pkt);
/* Publish the read index; true when the writer must be signalled. */
bool vmbus_ring_read_done(struct vmbus_ring_reader *r);
/* Bytes of packet `pkt` from `off` on, copied out of the ring. */
int vmbus_ring_pkt_copy(const struct vmbus_ring_reader *r, const struct vmbus_pkt *pkt, u32 off, void *dst,
			u32 n);
/* In-place access: pointer to packet bytes [off, off + n), NULL if they wrap. */
const volatile u8 *vmbus_ring_pkt_ptr(const struct vmbus_ring_reader *r, const struct vmbus_pkt *pkt, u32 off,
				      u32 n);
/* Copy a whole packet's payload: returns its length or an error. */
s64 vmbus_ring_recv(struct vmbus_ring_reader *r, struct vmbus_pkt *pkt, void *buf, u32 buflen);

/* Interrupt masking by the reader (hv_begin_read/hv_end_read). */
void vmbus_ring_mask(struct vmbus_ring_reader *r);
/* Unmask; returns true if data arrived meanwhile (process it: no signal came). */
bool vmbus_ring_unmask(struct vmbus_ring_reader *r);

#endif
