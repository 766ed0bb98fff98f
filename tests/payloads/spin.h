/* What tests/payloads/spin.c records, shared with its parent (tests/efi/test_sched.c). */
#ifndef TESTS_SPIN_H
#define TESTS_SPIN_H

#define SPIN_LOG_GPA 0x20000
#define SPIN_LOG_SIZE 0x4000 /* per VP */
#define SPIN_MAX_VPS 8
#define SPIN_STACK_SIZE 0x800
#define HV_X64_MSR_SCHED_PROBE 0x400000f0

/* A stretch of time (TSC) during which the VP ran on one LP without a switch. */
struct spin_interval {
	u64 lp, start, end;
};

struct spin_log {
	u64 count;                   /* loop iterations */
	u64 n;                       /* closed intervals */
	struct spin_interval open;   /* the one in progress */
	u64 pad;
	struct spin_interval iv[(SPIN_LOG_SIZE - 48) / sizeof(struct spin_interval)];
};

#endif
