/*
 * Ring throughput between a producer and a consumer thread on two CPUs,
 * against memcpy bandwidth measured in the same run with the same chunk
 * size. The producer copies each payload into the ring (vmbus_ring_put);
 * the consumer either copies it out (vmbus_ring_recv, as a VSP that keeps
 * the data) or reads every payload byte in place and checks it
 * (vmbus_ring_pkt_ptr, as Linux's hv_pkt_iter consumers parse packets in
 * the ring). Either way every byte crosses from one CPU to the other.
 *
 *   make bench-vmbus
 *   build/bench/bench_vmbus_ring [ring KiB] [MiB per size and run] [runs] [producer CPU] [consumer CPU]
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vmbus/packet.h"

static u32 ring_kib = 256, total_mib = 1024, runs = 7;
static int cpu_prod = 0, cpu_cons = 1;
/* Packets per flush and per read-index publication, as a VSP draining a queue. */
#define BATCH 8

enum consume { COPY_OUT, IN_PLACE };

/* Wait for the other thread: spin briefly, then give the CPU away in case we share one. */
static void backoff(u32 *spins)
{
	if (++*spins < 200) {
		__builtin_ia32_pause();
		return;
	}
	*spins = 0;
	sched_yield();
}

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* A CPU of -1 leaves the thread where the scheduler puts it. */
static void pin(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set)) {
		fprintf(stderr, "cannot pin to CPU %d\n", cpu);
		exit(1);
	}
}

/* Payload words differ from packet to packet so a stale or torn read is caught. */
static u64 pattern(u64 trans_id, u32 word)
{
	return (trans_id << 32) ^ word ^ 0x5a5a5a5a00000000ull;
}

/*
 * The writer's and the reader's private state each get their own cache
 * line: side by side, every packet's private index update evicts the line
 * the other CPU reads its ring pointers from.
 */
struct run {
	_Alignas(64) struct vmbus_ring_writer w;
	_Alignas(64) struct vmbus_ring_reader r;
	_Alignas(64) u32 size;
	u64 count;
	enum consume consume;
	atomic_int ready;
	double t0, t1;
	double cpu_prod_s, cpu_cons_s; /* CPU time each thread got while spinning or copying */
};

static void *producer(void *arg)
{
	struct run *run = arg;
	u64 *payload = calloc(1, run->size);
	u32 spins = 0;
	u64 i;
	int ret;

	pin(cpu_prod);
	atomic_fetch_add(&run->ready, 1);
	while (atomic_load(&run->ready) < 2)
		;
	run->t0 = now();
	run->cpu_prod_s = -clock_s(CLOCK_THREAD_CPUTIME_ID);
	for (i = 0; i < run->count; i++) {
		struct vmbus_iov iov = { payload, run->size };
		struct vmbus_pkt_out p = { .type = VM_PKT_DATA_INBAND, .trans_id = i, .iov = &iov, .iov_count = 1 };

		/* Only the first word changes per packet: the copy, not the fill, is measured. */
		payload[0] = pattern(i, 0);
		while ((ret = vmbus_ring_put(&run->w, &p)) == -VMBUS_EAGAIN) {
			vmbus_ring_flush(&run->w);
			backoff(&spins);
		}
		if (ret)
			abort();
		spins = 0;
		if (i % BATCH == BATCH - 1)
			vmbus_ring_flush(&run->w);
	}
	vmbus_ring_flush(&run->w);
	run->cpu_prod_s += clock_s(CLOCK_THREAD_CPUTIME_ID);
	free(payload);
	return NULL;
}

/*
 * Read every payload word once where it lies in the ring (copied out only
 * when it wraps), summing it: the first word must carry this packet's id,
 * the others are zero.
 */
static bool consume_in_place(struct run *run, const struct vmbus_pkt *pkt, u64 *buf)
{
	u32 n = pkt->len - pkt->hdr_len, k;
	const volatile u8 *p = vmbus_ring_pkt_ptr(&run->r, pkt, pkt->hdr_len, n);
	const u64 *q = (const u64 *)p;
	u64 sum = 0;

	if (!p) {
		vmbus_ring_pkt_copy(&run->r, pkt, pkt->hdr_len, buf, n);
		q = buf;
	}
	for (k = 0; k < run->size / 8; k++)
		sum += q[k];
	return n >= run->size && sum == pattern(pkt->trans_id, 0);
}

static void *consumer(void *arg)
{
	struct run *run = arg;
	u64 *buf = malloc(run->size + 8);
	struct vmbus_pkt pkt;
	u64 got = 0;
	u32 spins = 0;
	s64 n;

	pin(cpu_cons);
	atomic_fetch_add(&run->ready, 1);
	while (atomic_load(&run->ready) < 2)
		;
	run->cpu_cons_s = -clock_s(CLOCK_THREAD_CPUTIME_ID);
	while (got < run->count) {
		if (run->consume == COPY_OUT) {
			n = vmbus_ring_recv(&run->r, &pkt, buf, run->size + 8);
			if (n >= 0 && buf[0] != pattern(got, 0))
				abort();
		} else {
			n = vmbus_ring_peek(&run->r, &pkt);
			if (!n) {
				if (!consume_in_place(run, &pkt, buf))
					abort();
				vmbus_ring_advance(&run->r, &pkt);
			}
		}
		if (n >= 0) {
			if (pkt.trans_id != got)
				abort();
			spins = 0;
			if (++got % BATCH == 0)
				vmbus_ring_read_done(&run->r);
		} else if (n == -VMBUS_EAGAIN) {
			vmbus_ring_read_done(&run->r);
			backoff(&spins);
		} else {
			abort();
		}
	}
	run->t1 = now();
	run->cpu_cons_s += clock_s(CLOCK_THREAD_CPUTIME_ID);
	free(buf);
	return NULL;
}

/*
 * Payload bytes per second through the ring, timed from both threads
 * starting to the last packet read. *share is the smaller fraction of that
 * time either thread was on its CPU: below 1 another task took turns with it.
 */
static double ring_rate(u32 size, enum consume consume, double *share)
{
	u32 data_size = ring_kib * 1024;
	u8 *mem = aligned_alloc(PAGE_SIZE, PAGE_SIZE + data_size);
	struct vmbus_ring_mem m = { (struct hv_ring_buffer *)mem, mem + PAGE_SIZE, data_size };
	struct run run = { .size = size, .count = ((u64)total_mib << 20) / size, .consume = consume };
	pthread_t tp, tc;

	memset(mem, 0, PAGE_SIZE + data_size);
	vmbus_ring_format(m.ctl);
	vmbus_ring_writer_init(&run.w, &m);
	vmbus_ring_reader_init(&run.r, &m);
	pthread_create(&tp, NULL, producer, &run);
	pthread_create(&tc, NULL, consumer, &run);
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	free(mem);
	*share = MIN(run.cpu_prod_s, run.cpu_cons_s) / (run.t1 - run.t0);
	return (double)run.count * size / (run.t1 - run.t0);
}

/*
 * The hardware's share: the same two CPUs pass the same chunks through a
 * bare ring of the same size, stride and batching, both sides copying,
 * with no descriptors, validation or signalling. What the vmbus ring loses
 * against this is the library's; what this loses against memcpy is the
 * cost of moving cache lines from one CPU to the other.
 */
struct handoff {
	_Alignas(64) atomic_uint written; /* chunks published, on one line with `read` as in hv_ring_buffer */
	atomic_uint read;
	_Alignas(64) u8 *data;
	u32 size, slots;
	u64 count;
	atomic_int ready;
	double t0, t1, cpu_prod_s, cpu_cons_s;
};

static void *handoff_producer(void *arg)
{
	struct handoff *h = arg;
	u8 *payload = calloc(1, h->size);
	u32 spins = 0, read = 0, stride = h->size + 24;
	u64 i;

	pin(cpu_prod);
	atomic_fetch_add(&h->ready, 1);
	while (atomic_load(&h->ready) < 2)
		;
	h->t0 = now();
	h->cpu_prod_s = -clock_s(CLOCK_THREAD_CPUTIME_ID);
	for (i = 0; i < h->count; i++) {
		while ((u32)i - read >= h->slots - 1) {
			atomic_store_explicit(&h->written, (u32)i, memory_order_release);
			read = atomic_load_explicit(&h->read, memory_order_acquire);
			backoff(&spins);
		}
		spins = 0;
		memcpy(h->data + (i % h->slots) * stride, payload, h->size);
		if (i % BATCH == BATCH - 1)
			atomic_store_explicit(&h->written, (u32)i + 1, memory_order_release);
	}
	atomic_store_explicit(&h->written, (u32)i, memory_order_release);
	h->cpu_prod_s += clock_s(CLOCK_THREAD_CPUTIME_ID);
	free(payload);
	return NULL;
}

static void *handoff_consumer(void *arg)
{
	struct handoff *h = arg;
	u8 *buf = malloc(h->size);
	u32 spins = 0, written = 0, stride = h->size + 24;
	u64 i;

	pin(cpu_cons);
	atomic_fetch_add(&h->ready, 1);
	while (atomic_load(&h->ready) < 2)
		;
	h->cpu_cons_s = -clock_s(CLOCK_THREAD_CPUTIME_ID);
	for (i = 0; i < h->count; i++) {
		while ((u32)i == written) {
			atomic_store_explicit(&h->read, (u32)i, memory_order_release);
			written = atomic_load_explicit(&h->written, memory_order_acquire);
			if ((u32)i == written)
				backoff(&spins);
		}
		spins = 0;
		memcpy(buf, h->data + (i % h->slots) * stride, h->size);
		if (i % BATCH == BATCH - 1)
			atomic_store_explicit(&h->read, (u32)i + 1, memory_order_release);
	}
	h->t1 = now();
	h->cpu_cons_s += clock_s(CLOCK_THREAD_CPUTIME_ID);
	free(buf);
	return NULL;
}

static double handoff_rate(u32 size, double *share)
{
	struct handoff *h = aligned_alloc(64, ALIGN_UP(sizeof(*h), 64));
	u32 data_size = ring_kib * 1024;
	pthread_t tp, tc;
	double rate;

	memset(h, 0, sizeof(*h));
	h->size = size;
	h->slots = data_size / (size + 24);
	h->count = ((u64)total_mib << 20) / size;
	h->data = aligned_alloc(PAGE_SIZE, data_size);
	memset(h->data, 0, data_size);
	pthread_create(&tp, NULL, handoff_producer, h);
	pthread_create(&tc, NULL, handoff_consumer, h);
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	*share = MIN(h->cpu_prod_s, h->cpu_cons_s) / (h->t1 - h->t0);
	rate = (double)h->count * size / (h->t1 - h->t0);
	free(h->data);
	free(h);
	return rate;
}

/*
 * Library cost without the second CPU: one thread writes 8 packets, flushes,
 * reads them back. Nanoseconds per packet (written and read).
 */
static double single_thread_ns(u32 size)
{
	u32 data_size = ring_kib * 1024;
	u8 *mem = aligned_alloc(PAGE_SIZE, PAGE_SIZE + data_size), payload[64], buf[72];
	struct vmbus_ring_mem m = { (struct hv_ring_buffer *)mem, mem + PAGE_SIZE, data_size };
	struct vmbus_ring_writer w;
	struct vmbus_ring_reader r;
	struct vmbus_iov iov = { payload, size };
	struct vmbus_pkt_out p = { .type = VM_PKT_DATA_INBAND, .iov = &iov, .iov_count = 1 };
	struct vmbus_pkt pkt;
	u64 i, rounds = 4u << 20;
	double t0, t1;
	int k;

	memset(mem, 0, PAGE_SIZE + data_size);
	memset(payload, 1, sizeof(payload));
	vmbus_ring_format(m.ctl);
	vmbus_ring_writer_init(&w, &m);
	vmbus_ring_reader_init(&r, &m);
	t0 = now();
	for (i = 0; i < rounds; i++) {
		for (k = 0; k < BATCH; k++)
			if (vmbus_ring_put(&w, &p))
				abort();
		vmbus_ring_flush(&w);
		for (k = 0; k < BATCH; k++)
			if (vmbus_ring_recv(&r, &pkt, buf, sizeof(buf)) != size)
				abort();
		vmbus_ring_read_done(&r);
	}
	t1 = now();
	free(mem);
	return (t1 - t0) * 1e9 / (rounds * BATCH);
}

/*
 * memcpy of size-byte chunks from one hot source, walking a destination of
 * `span` bytes with the ring's packet stride (descriptor and trailer: 24 bytes).
 */
static double memcpy_rate(u32 size, u32 span, double *share)
{
	u8 *src = calloc(1, size), *dst = malloc(span + size);
	u64 i, count = ((u64)total_mib << 20) / size;
	u32 off = 0;
	double t0, t1, cpu;

	memset(dst, 1, span + size); /* fault the pages in before timing */
	t0 = now();
	cpu = -clock_s(CLOCK_THREAD_CPUTIME_ID);
	for (i = 0; i < count; i++) {
		memcpy(dst + off, src, size);
		__asm__ __volatile__("" ::: "memory");
		off += size + 24;
		if (off >= span)
			off = 0;
	}
	t1 = now();
	cpu += clock_s(CLOCK_THREAD_CPUTIME_ID);
	*share = cpu / (t1 - t0);
	free(src);
	free(dst);
	return (double)count * size / (t1 - t0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median and best of one figure over the runs (rates: higher is better). */
struct stat {
	double median, best;
};

enum figure { RING_COPY, RING_IN_PLACE, HANDOFF, MEMCPY_CACHE, MEMCPY_DRAM, FIGURES };

/* A run in which another task took more than this share of a measured thread's wall time is redone. */
#define MIN_SHARE 0.95
#define MAX_REDO 5

static double measure(enum figure f, u32 size, double *share)
{
	switch (f) {
	case RING_COPY:
		return ring_rate(size, COPY_OUT, share);
	case RING_IN_PLACE:
		return ring_rate(size, IN_PLACE, share);
	case HANDOFF:
		return handoff_rate(size, share);
	case MEMCPY_CACHE:
		return memcpy_rate(size, ring_kib * 1024, share);
	default:
		return memcpy_rate(size, 256u << 20, share);
	}
}

static struct stat summarize(double *v)
{
	qsort(v, runs, sizeof(*v), cmp_double);
	return (struct stat){ runs % 2 ? v[runs / 2] : (v[runs / 2 - 1] + v[runs / 2]) / 2, v[runs - 1] };
}

int main(int argc, char **argv)
{
	static const u32 sizes[] = { 64, 1024, 4096 };
	static const char *const consumer[] = { "copy", "in-place", "handoff" };
	double *v[FIGURES], one = 1e30, min_share = 1;
	u32 i, k, f, redone = 0, contended = 0;
	struct stat s[FIGURES];

	if (argc > 1)
		ring_kib = (u32)atoi(argv[1]);
	if (argc > 2)
		total_mib = (u32)atoi(argv[2]);
	if (argc > 3)
		runs = (u32)atoi(argv[3]);
	if (argc > 5) {
		cpu_prod = atoi(argv[4]);
		cpu_cons = atoi(argv[5]);
	}
	if (!ring_kib || !total_mib || !runs)
		return 2;
	for (f = 0; f < FIGURES; f++)
		v[f] = calloc(runs, sizeof(double));
	/* The memcpy baselines run on the producer's CPU. */
	pin(cpu_prod);
	printf("vmbus ring: %u KiB data area, %u MiB per size and run, %u runs, producer CPU %d, consumer CPU %d\n",
	       ring_kib, total_mib, runs, cpu_prod, cpu_cons);
	printf("median (best) MB/s; ratios of medians; memcpy: same chunk size into a ring-sized buffer (cache)\n"
	       "and a 256 MiB one (DRAM); copy = consumer copies out, in-place = consumer reads in the ring;\n"
	       "handoff = a bare ring without VMBus (same CPUs, size, stride, batching; both sides copy)\n");
	printf("%6s %-8s %16s %16s %6s %16s %6s %17s\n", "packet", "consumer", "MB/s", "memcpy-cache", "ratio",
	       "memcpy-dram", "ratio", "ns/packet");
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		/* Interleaved so that a change in machine load hits every figure alike. */
		for (k = 0; k < runs; k++) {
			for (f = 0; f < FIGURES; f++) {
				double share;
				u32 redo = 0;

				while ((v[f][k] = measure(f, sizes[i], &share)), share < MIN_SHARE && redo < MAX_REDO)
					redo++;
				redone += redo;
				contended += share < MIN_SHARE;
				min_share = MIN(min_share, share);
			}
		}
		for (f = 0; f < FIGURES; f++)
			s[f] = summarize(v[f]);
		for (f = RING_COPY; f <= HANDOFF; f++)
			printf("%6u %-8s %7.0f (%6.0f) %7.0f (%6.0f) %5.0f%% %7.0f (%6.0f) %5.0f%% %7.1f (min %5.1f)\n",
			       sizes[i], consumer[f], s[f].median / 1e6, s[f].best / 1e6, s[MEMCPY_CACHE].median / 1e6,
			       s[MEMCPY_CACHE].best / 1e6, 100 * s[f].median / s[MEMCPY_CACHE].median,
			       s[MEMCPY_DRAM].median / 1e6, s[MEMCPY_DRAM].best / 1e6,
			       100 * s[f].median / s[MEMCPY_DRAM].median, sizes[i] * 1e9 / s[f].median,
			       sizes[i] * 1e9 / s[f].best);
	}
	for (i = 0; i < runs; i++)
		one = MIN(one, single_thread_ns(64));
	printf("one thread, 64-byte packets, write 8 + flush + read 8: %.1f ns per packet (min)\n", one);
	/* Runs that shared a CPU with another task measure the scheduler, not the ring. */
	printf("runs redone for sharing a CPU: %u; kept although shared: %u (lowest CPU share %.2f)\n", redone,
	       contended, min_share);
	return 0;
}
