/*
 * Ring throughput between a producer and a consumer thread, against memcpy
 * bandwidth measured in the same run with the same chunk size over a buffer
 * as large as the ring. The producer copies each payload into the ring
 * (vmbus_send_inband), the consumer copies it out (vmbus_ring_recv): the
 * ring moves the data the way a VSP and a VSC do.
 *
 *   make bench-vmbus        (build/bench/bench_vmbus_ring [ring KiB] [MiB per size and run])
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vmbus/packet.h"

static u32 ring_kib = 256, total_mib = 1024;
/* Each figure is the best of this many runs: other load only ever slows a run down. */
#define RUNS 3

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

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

struct run {
	struct vmbus_ring_writer w;
	struct vmbus_ring_reader r;
	u32 size;
	u64 count;
	atomic_int go;
};

static void *producer(void *arg)
{
	struct run *run = arg;
	u8 *payload = calloc(1, run->size);
	u64 i;
	u32 spins = 0;
	int ret;

	while (!atomic_load(&run->go))
		;
	for (i = 0; i < run->count; i++) {
		struct vmbus_iov iov = { payload, run->size };
		struct vmbus_pkt_out p = { .type = VM_PKT_DATA_INBAND, .trans_id = i, .iov = &iov, .iov_count = 1 };

		/* Spin while full; flush in batches of 8 as a VSP draining a queue would. */
		while ((ret = vmbus_ring_put(&run->w, &p)) == -VMBUS_EAGAIN) {
			vmbus_ring_flush(&run->w);
			backoff(&spins);
		}
		if (ret)
			abort();
		if (i % 8 == 7)
			vmbus_ring_flush(&run->w);
	}
	vmbus_ring_flush(&run->w);
	free(payload);
	return NULL;
}

static void *consumer(void *arg)
{
	struct run *run = arg;
	u8 *buf = malloc(run->size + 8);
	struct vmbus_pkt pkt;
	u64 got = 0;
	u32 spins = 0;
	s64 n;

	while (got < run->count) {
		n = vmbus_ring_recv(&run->r, &pkt, buf, run->size + 8);
		if (n >= 0) {
			if (pkt.trans_id != got)
				abort();
			if (++got % 8 == 0)
				vmbus_ring_read_done(&run->r);
		} else if (n == -VMBUS_EAGAIN) {
			vmbus_ring_read_done(&run->r);
			backoff(&spins);
		} else {
			abort();
		}
	}
	free(buf);
	return NULL;
}

/* Payload bytes per second through the ring. */
static double ring_rate(u32 size, double *ns_per_packet)
{
	u32 data_size = ring_kib * 1024;
	u8 *mem = aligned_alloc(PAGE_SIZE, PAGE_SIZE + data_size);
	struct vmbus_ring_mem m = { (struct hv_ring_buffer *)mem, mem + PAGE_SIZE, data_size };
	struct run run = { .size = size, .count = ((u64)total_mib << 20) / size };
	pthread_t tp, tc;
	double t0, t1;

	memset(mem, 0, PAGE_SIZE + data_size);
	vmbus_ring_format(m.ctl);
	vmbus_ring_writer_init(&run.w, &m);
	vmbus_ring_reader_init(&run.r, &m);
	pthread_create(&tp, NULL, producer, &run);
	pthread_create(&tc, NULL, consumer, &run);
	t0 = now();
	atomic_store(&run.go, 1);
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	t1 = now();
	free(mem);
	*ns_per_packet = (t1 - t0) * 1e9 / run.count;
	return (double)run.count * size / (t1 - t0);
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
		for (k = 0; k < 8; k++)
			if (vmbus_ring_put(&w, &p))
				abort();
		vmbus_ring_flush(&w);
		for (k = 0; k < 8; k++)
			if (vmbus_ring_recv(&r, &pkt, buf, sizeof(buf)) != size)
				abort();
		vmbus_ring_read_done(&r);
	}
	t1 = now();
	free(mem);
	return (t1 - t0) * 1e9 / (rounds * 8);
}

/* memcpy of size-byte chunks walking a destination of `span` bytes. */
static double memcpy_rate(u32 size, u32 span)
{
	u8 *src = calloc(1, size), *dst = malloc(span + size);
	u64 i, count = ((u64)total_mib << 20) / size;
	u32 off = 0;
	double t0, t1;

	memset(dst, 1, span + size); /* fault the pages in before timing */
	t0 = now();
	for (i = 0; i < count; i++) {
		memcpy(dst + off, src, size);
		__asm__ __volatile__("" ::: "memory");
		off += size + 24;
		if (off >= span)
			off = 0;
	}
	t1 = now();
	free(src);
	free(dst);
	return (double)count * size / (t1 - t0);
}

int main(int argc, char **argv)
{
	static const u32 sizes[] = { 64, 1024, 4096 };
	u32 i;

	if (argc > 1)
		ring_kib = (u32)atoi(argv[1]);
	if (argc > 2)
		total_mib = (u32)atoi(argv[2]);
	printf("vmbus ring: %u KiB data area, %u MiB per size and run, best of %d runs\n", ring_kib, total_mib,
	       RUNS);
	printf("memcpy baselines, same chunk size: into a ring-sized buffer (cache) and a 256 MiB one (DRAM)\n");
	printf("%8s %10s %12s %8s %12s %8s %10s\n", "packet", "ring MB/s", "memcpy-cache", "ratio", "memcpy-dram",
	       "ratio", "ns/packet");
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		double ns = 1e30, ring = 0, cache = 0, dram = 0;
		int k;

		for (k = 0; k < RUNS; k++) {
			double t, rate = ring_rate(sizes[i], &t);

			ring = MAX(ring, rate);
			ns = MIN(ns, t);
			cache = MAX(cache, memcpy_rate(sizes[i], ring_kib * 1024));
			dram = MAX(dram, memcpy_rate(sizes[i], 256u << 20));
		}

		printf("%8u %10.0f %12.0f %7.0f%% %12.0f %7.0f%% %10.1f\n", sizes[i], ring / 1e6, cache / 1e6,
		       100 * ring / cache, dram / 1e6, 100 * ring / dram, ns);
	}
	double one = 1e30;
	for (i = 0; i < RUNS; i++)
		one = MIN(one, single_thread_ns(64));
	printf("one thread, 64-byte packets, write 8 + flush + read 8: %.1f ns per packet\n", one);
	return 0;
}
