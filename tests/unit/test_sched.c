/*
 * The scheduling policy against a simulated clock and topology.
 *
 * A small discrete-event simulator plays the hypervisor's part: every LP
 * calls sched_pick when its time is up or it is kicked, runs what it got,
 * and VPs spin, or run in bursts and sleep. Invariants are checked at every
 * step (pinned VPs stay home, one partition per core under the core type,
 * caps never exceeded), shares at the end.
 */
#include "unit.h"
#include "hv/sched.h"

#include <string.h>

#define MS 1000000ULL /* the clock counts nanoseconds */
#define QUANTUM (10 * MS)
#define PERIOD (100 * MS)
#define MAX_VPS 96

struct sim_vp {
	struct sched_vp v;
	u64 burst, sleep; /* 0 burst: spins forever */
	u64 left;         /* of the current burst */
	bool asleep;      /* blocked for good: an idle VP */
};

struct sim {
	struct sched s;
	struct hv_lp_info info[SCHED_MAX_LPS];
	u32 lps;
	u64 now;
	u64 until[SCHED_MAX_LPS];
	bool kicked[SCHED_MAX_LPS];
	struct sim_vp vp[MAX_VPS];
	u32 nvps;
	u64 core_violations; /* two partitions on one core at once */
	u64 cap_violations;
	u64 late;            /* every slice ends this much after its LP's timer was due */
};

static struct sim sim;

/* packages x cores x threads, LPs numbered thread-fastest like EFI's enumeration. */
static void sim_init(u32 type, u32 packages, u32 cores, u32 threads, u64 child_lps)
{
	u32 p, c, t;

	memset(&sim, 0, sizeof(sim));
	for (p = 0; p < packages; p++)
		for (c = 0; c < cores; c++)
			for (t = 0; t < threads; t++, sim.lps++)
				sim.info[sim.lps] = (struct hv_lp_info){
					.apic_id = sim.lps, .package = p, .core = c, .thread = t };
	sched_init(&sim.s, type, sim.lps, sim.info, child_lps ? child_lps : ~0ULL, QUANTUM, PERIOD);
}

static struct sim_vp *sim_vp(struct sched_partition *sp, s32 pinned, u64 burst, u64 sleep)
{
	struct sim_vp *sv = &sim.vp[sim.nvps++];

	sched_vp_add(&sim.s, &sv->v, sp, pinned);
	sv->burst = burst;
	sv->sleep = sleep;
	sv->left = burst;
	return sv;
}

static void sim_start(struct sim_vp *sv)
{
	u64 kick = sched_vp_wake(&sim.s, &sv->v, sim.now);
	u32 i;

	for (i = 0; i < sim.lps; i++)
		if (kick & BIT(i))
			sim.kicked[i] = true;
}

static void check_invariants(void)
{
	u32 i, j;

	for (i = 0; i < sim.lps; i++) {
		const struct sched_vp *v = sim.s.lp[i].current;

		if (!v)
			continue;
		CHECK(v->lp == (s32)i);
		if (v->pinned_lp >= 0)
			CHECK(v->pinned_lp == (s32)i);
		if (v->part->group >= 0)
			CHECK(sim.s.group[v->part->group].affinity & BIT(i));
		for (j = 0; j < sim.lps; j++) {
			const struct sched_vp *w = sim.s.lp[j].current;

			if (j != i && w && sim.s.lp[j].core == sim.s.lp[i].core && w->part != v->part)
				sim.core_violations++;
		}
	}
}

/* Calls sched_pick on every LP that is due or kicked, until nobody waits. */
static void settle(void)
{
	u32 pass, i;

	for (pass = 0; pass < 16; pass++) {
		bool busy = false;

		for (i = 0; i < sim.lps; i++) {
			u64 kick;

			if (!sim.s.lp[i].online || (!sim.kicked[i] && sim.until[i] > sim.now))
				continue;
			sim.kicked[i] = false;
			sched_pick(&sim.s, i, sim.now, &sim.until[i], &kick);
			CHECK(sim.until[i] >= sim.now);
			if (sim.s.lp[i].current)
				sim.until[i] += sim.late;
			for (u32 k = 0; k < sim.lps; k++)
				if (kick & BIT(k))
					sim.kicked[k] = true;
			busy |= kick || sim.until[i] <= sim.now;
		}
		if (!busy)
			return;
	}
	CHECK(!"sched_pick never settled");
}

static void sim_run(u64 horizon)
{
	u32 stuck = 0;

	while (sim.now < horizon) {
		u64 next = horizon, dt;
		u32 i;

		settle();
		check_invariants();
		for (i = 0; i < sim.lps; i++) {
			struct sched_vp *v = sim.s.lp[i].current;

			next = MIN(next, sim.until[i]);
			if (v && ((struct sim_vp *)v)->burst)
				next = MIN(next, sim.now + ((struct sim_vp *)v)->left);
		}
		dt = next - sim.now;
		if (dt ? (stuck = 0) : ++stuck > 1000) {
			CHECK(!"time stands still");
			return;
		}
		sim.now = next;
		for (i = 0; i < sim.lps; i++) {
			struct sim_vp *sv = (struct sim_vp *)sim.s.lp[i].current;

			if (!sv || !sv->burst)
				continue;
			sv->left -= dt;
			if (sv->left)
				continue;
			/* The burst is over: the VP halts until its sleep is over. */
			sv->left = sv->burst;
			sched_vp_block(&sim.s, &sv->v, sv->asleep ? SCHED_NEVER : sim.now + sv->sleep);
			sim.kicked[i] = true;
		}
	}
	/* Charge what is running up to the horizon. */
	for (u32 i = 0; i < sim.lps; i++)
		sim.kicked[i] = true;
	settle();
}

static double share(const struct sim_vp *sv, u64 horizon)
{
	return (double)sv->v.total / (double)horizon;
}

static bool near(double got, double want, double tolerance)
{
	bool ok = got >= want * (1 - tolerance) && got <= want * (1 + tolerance);

	if (!ok)
		fprintf(stderr, "  share %.4f, expected %.4f +-%.0f%%\n", got, want, tolerance * 100);
	return ok;
}

/* Weights 1:2:3:4 on two LPs: shares 0.2, 0.4, 0.6, 0.8 LP (round robin would give 0.5 each). */
static void classic_weights(void)
{
	static struct sched_partition p[4];
	struct sim_vp *v[4];
	u32 i;

	sim_init(HV_SCHEDULER_CLASSIC, 1, 2, 1, 0);
	for (i = 0; i < 4; i++) {
		sched_partition_init(&p[i], false);
		CHECK_EQ(sched_set_weight(&sim.s, &p[i], 100 * (i + 1)), SCHED_OK);
		v[i] = sim_vp(&p[i], -1, 0, 0);
		sim_start(v[i]);
	}
	sim_run(20000 * MS);
	for (i = 0; i < 4; i++)
		CHECK(near(share(v[i], sim.now), 0.2 * (i + 1), 0.05));
}

/*
 * 2 sockets x 4 cores x 2 threads with a root VP pinned on every LP (idle,
 * so it gets nothing), 16 VPs of weight 100 and 16 of weight 300: 0.25 and
 * 0.75 LP each.
 */
static void classic_big_topology(void)
{
	static struct sched_partition root, a, b;
	struct sim_vp *rv[16], *v[32];
	u32 i;

	sim_init(HV_SCHEDULER_CLASSIC, 2, 4, 2, 0);
	sched_partition_init(&root, true);
	sched_partition_init(&a, false);
	sched_partition_init(&b, false);
	CHECK_EQ(sched_set_weight(&sim.s, &b, 300), SCHED_OK);
	for (i = 0; i < 16; i++)
		rv[i] = sim_vp(&root, i, 0, 0);
	for (i = 0; i < 32; i++) {
		v[i] = sim_vp(i < 16 ? &a : &b, -1, 0, 0);
		sim_start(v[i]);
	}
	sim_run(10000 * MS);
	for (i = 0; i < 16; i++)
		CHECK_EQ(rv[i]->v.total, 0);
	for (i = 0; i < 32; i++)
		CHECK(near(share(v[i], sim.now), i < 16 ? 0.25 : 0.75, 0.05));
}

/* Busy root VPs share their own LP and never leave it. */
static void classic_root_vps_pinned(void)
{
	static struct sched_partition root, c;
	struct sim_vp *rv[2], *v[2];
	u32 i;

	sim_init(HV_SCHEDULER_CLASSIC, 1, 2, 1, 0);
	sched_partition_init(&root, true);
	sched_partition_init(&c, false);
	for (i = 0; i < 2; i++) {
		rv[i] = sim_vp(&root, i, 0, 0);
		sim_start(rv[i]);
	}
	for (i = 0; i < 2; i++) {
		v[i] = sim_vp(&c, -1, 0, 0);
		sim_start(v[i]);
	}
	sim_run(5000 * MS);
	for (i = 0; i < 2; i++) {
		CHECK(near(share(rv[i], sim.now), 0.5, 0.05));
		CHECK(near(share(v[i], sim.now), 0.5, 0.05));
	}
}

/* A capped heavyweight: 25% of an LP and no more, whatever its weight. */
static void classic_cap(void)
{
	static struct sched_partition capped, other;
	struct sim_vp *c, *o[2];
	u64 budget = PERIOD / 4;
	u32 i;

	sim_init(HV_SCHEDULER_CLASSIC, 1, 2, 1, 0);
	sched_partition_init(&capped, false);
	sched_partition_init(&other, false);
	CHECK_EQ(sched_set_weight(&sim.s, &capped, SCHED_WEIGHT_MAX), SCHED_OK);
	CHECK_EQ(sched_set_cap(&sim.s, &capped, SCHED_FULL_LP / 4), SCHED_OK);
	c = sim_vp(&capped, -1, 0, 0);
	sim_start(c);
	for (i = 0; i < 2; i++) {
		o[i] = sim_vp(&other, -1, 0, 0);
		sim_start(o[i]);
	}
	/* Period by period: the cap holds in every one of them. */
	for (i = 1; i <= 50; i++) {
		u64 before = c->v.total;

		sim_run(i * PERIOD);
		CHECK(c->v.total - before <= budget);
	}
	CHECK(near(share(c, sim.now), 0.25, 0.02));
	for (i = 0; i < 2; i++)
		CHECK(near(share(o[i], sim.now), 0.875, 0.05));
}

/*
 * Late timers: every slice of the capped VP ends 2 ms after its LP was told
 * to look again. What it overran is owed to the next period, so the cap
 * still holds on average (without the carry it would get about 31%).
 */
static void classic_cap_late_timer(void)
{
	static struct sched_partition capped, other;
	struct sim_vp *c, *o;
	u64 until, kick;

	sim_init(HV_SCHEDULER_CLASSIC, 1, 1, 1, 0);
	sched_partition_init(&capped, false);
	sched_partition_init(&other, false);
	CHECK_EQ(sched_set_cap(&sim.s, &capped, SCHED_FULL_LP / 4), SCHED_OK);
	c = sim_vp(&capped, -1, 0, 0);
	o = sim_vp(&other, -1, 0, 0);
	sim_start(c);
	sim_start(o);
	while (sim.now < 5000 * MS) {
		struct sched_vp *v = sched_pick(&sim.s, 0, sim.now, &until, &kick);

		sim.now = until + (v == &c->v ? 2 * MS : 0);
	}
	sched_pick(&sim.s, 0, sim.now, &until, &kick);
	CHECK(near(share(c, sim.now), 0.25, 0.02));
	CHECK(near(share(o, sim.now), 0.75, 0.02));
}

/* Over-subscription: four VPs capped at 50% on one LP get 25% each. */
static void classic_oversubscribed_caps(void)
{
	static struct sched_partition p;
	struct sim_vp *v[4];
	u32 i;

	sim_init(HV_SCHEDULER_CLASSIC, 1, 1, 1, 0);
	sched_partition_init(&p, false);
	CHECK_EQ(sched_set_cap(&sim.s, &p, SCHED_FULL_LP / 2), SCHED_OK);
	for (i = 0; i < 4; i++) {
		v[i] = sim_vp(&p, -1, 0, 0);
		sim_start(v[i]);
	}
	sim_run(5000 * MS);
	for (i = 0; i < 4; i++)
		CHECK(near(share(v[i], sim.now), 0.25, 0.05));
}

/* A weight-1 VP with a 30% reserve against two weight-10000 VPs still gets 30% every period. */
static void classic_reserve(void)
{
	static struct sched_partition r, heavy;
	struct sim_vp *rv, *h[2];
	u32 reserve = SCHED_FULL_LP * 3 / 10, i;

	sim_init(HV_SCHEDULER_CLASSIC, 1, 1, 1, 0);
	sched_partition_init(&r, false);
	sched_partition_init(&heavy, false);
	CHECK_EQ(sched_set_weight(&sim.s, &r, 1), SCHED_OK);
	CHECK_EQ(sched_set_weight(&sim.s, &heavy, SCHED_WEIGHT_MAX), SCHED_OK);
	rv = sim_vp(&r, -1, 0, 0);
	for (i = 0; i < 2; i++) {
		h[i] = sim_vp(&heavy, -1, 0, 0);
		sim_start(h[i]);
	}
	CHECK_EQ(sched_set_reserve(&sim.s, &r, reserve), SCHED_OK);
	sim_start(rv);
	for (i = 1; i <= 50; i++) {
		u64 before = rv->v.total;

		sim_run(i * PERIOD);
		CHECK(rv->v.total - before >= (u64)reserve * PERIOD / SCHED_FULL_LP);
	}
}

/* Reserves beyond what the LPs can give are refused; reserve never above cap. */
static void reserve_admission(void)
{
	static struct sched_partition a, b;
	u32 i;

	sim_init(HV_SCHEDULER_CLASSIC, 1, 2, 1, 0);
	sched_partition_init(&a, false);
	sched_partition_init(&b, false);
	for (i = 0; i < 2; i++)
		sim_vp(&a, -1, 0, 0);
	sim_vp(&b, -1, 0, 0);
	CHECK_EQ(sched_set_reserve(&sim.s, &a, SCHED_FULL_LP * 3 / 4), SCHED_OK);
	CHECK_EQ(sched_set_reserve(&sim.s, &b, SCHED_FULL_LP / 2 + 1), SCHED_OUT_OF_RANGE);
	CHECK_EQ(sched_set_reserve(&sim.s, &b, SCHED_FULL_LP / 2), SCHED_OK);
	CHECK_EQ(sched_set_cap(&sim.s, &b, SCHED_FULL_LP / 4), SCHED_OUT_OF_RANGE);
	CHECK_EQ(sched_set_cap(&sim.s, &b, SCHED_FULL_LP / 2), SCHED_OK);
	CHECK_EQ(sched_set_reserve(&sim.s, &b, SCHED_FULL_LP / 2 + 1), SCHED_OUT_OF_RANGE);
	CHECK_EQ(sched_set_weight(&sim.s, &b, 0), SCHED_OUT_OF_RANGE);
	CHECK_EQ(sched_set_weight(&sim.s, &b, SCHED_WEIGHT_MAX + 1), SCHED_OUT_OF_RANGE);
	CHECK_EQ(sched_set_cap(&sim.s, &b, SCHED_FULL_LP + 1), SCHED_OUT_OF_RANGE);
}

/*
 * CPU group on LPs 0-3 with C = 25%: G = 4 x 25% = one LP's worth, shared
 * by its four spinning VPs however many LPs they could use. A VP of the
 * group capped at 10% keeps its own cap inside the group. Four ungrouped
 * VPs take the rest of the eight LPs.
 */
static void group_cap(void)
{
	static struct sched_partition g1, g2, free_;
	struct sim_vp *gv[4], *fv[4];
	u32 id, i;
	u64 before[4];

	sim_init(HV_SCHEDULER_CLASSIC, 1, 8, 1, 0);
	sched_partition_init(&g1, false);
	sched_partition_init(&g2, false);
	sched_partition_init(&free_, false);
	CHECK_EQ(sched_group_create(&sim.s, 0xf, SCHED_FULL_LP / 4, &id), SCHED_OK);
	CHECK_EQ(sched_group_bind(&sim.s, &g1, id), SCHED_OK);
	CHECK_EQ(sched_group_bind(&sim.s, &g2, id), SCHED_OK);
	CHECK_EQ(sched_set_cap(&sim.s, &g2, SCHED_FULL_LP / 10), SCHED_OK);
	for (i = 0; i < 4; i++) {
		gv[i] = sim_vp(i < 3 ? &g1 : &g2, -1, 0, 0);
		sim_start(gv[i]);
		fv[i] = sim_vp(&free_, -1, 0, 0);
		sim_start(fv[i]);
	}
	CHECK_EQ(sched_group_delete(&sim.s, id), SCHED_DENIED);
	for (i = 1; i <= 50; i++) {
		u64 sum = 0;
		u32 j;

		for (j = 0; j < 4; j++)
			before[j] = gv[j]->v.total;
		sim_run(i * PERIOD);
		for (j = 0; j < 4; j++)
			sum += gv[j]->v.total - before[j];
		CHECK(sum <= PERIOD);
		CHECK(sum >= PERIOD * 95 / 100);
		CHECK(gv[3]->v.total - before[3] <= PERIOD / 10);
	}
	for (i = 0; i < 3; i++)
		CHECK(near(share(gv[i], sim.now), 0.3, 0.05));
	for (i = 0; i < 4; i++)
		CHECK(near(share(fv[i], sim.now), 1.0, 0.01));
	CHECK_EQ(sched_group_bind(&sim.s, &g1, -1), SCHED_OK);
	CHECK_EQ(sched_group_bind(&sim.s, &g2, -1), SCHED_OK);
	CHECK_EQ(sched_group_delete(&sim.s, id), SCHED_OK);
	CHECK_EQ(sched_group_delete(&sim.s, id), SCHED_NO_GROUP);
}

/* Many members on few LPs, every slice ending late: the group still gets G on average. */
static void group_cap_late_timers(void)
{
	static struct sched_partition g;
	struct sim_vp *v[7];
	u64 sum = 0;
	u32 id, i;

	sim_init(HV_SCHEDULER_CLASSIC, 1, 4, 1, 0);
	sim.late = 2 * MS;
	sched_partition_init(&g, false);
	CHECK_EQ(sched_group_create(&sim.s, 0x3, SCHED_FULL_LP / 4, &id), SCHED_OK);
	CHECK_EQ(sched_group_bind(&sim.s, &g, id), SCHED_OK);
	for (i = 0; i < 7; i++) {
		v[i] = sim_vp(&g, -1, 0, 0);
		sim_start(v[i]);
	}
	sim_run(5000 * MS);
	for (i = 0; i < 7; i++)
		sum += v[i]->v.total;
	/* G = 2 LPs x 25%: half an LP. */
	/* Without the carry it is 0.52: each LP overshoots once a period. */
	CHECK(near((double)sum / (double)sim.now, 0.5, 0.01));
}

/* Three partitions of three VPs on 4 cores x 2 threads: never two partitions on one core. */
static u64 run_three_partitions(u32 type, struct sim_vp **v)
{
	static struct sched_partition p[3];
	u32 i;

	sim_init(type, 1, 4, 2, 0);
	for (i = 0; i < 3; i++)
		sched_partition_init(&p[i], false);
	for (i = 0; i < 9; i++) {
		v[i] = sim_vp(&p[i / 3], -1, 0, 0);
		sim_start(v[i]);
	}
	sim_run(5000 * MS);
	return sim.core_violations;
}

static void core_no_sharing(void)
{
	struct sim_vp *v[9];
	double t[3] = { 0 };
	u32 i;

	CHECK_EQ(run_three_partitions(HV_SCHEDULER_CORE, v), 0);
	CHECK(sched_no_core_sharing(&sim.s));
	for (i = 0; i < 9; i++)
		t[i / 3] += share(v[i], sim.now);
	for (i = 0; i < 3; i++)
		CHECK(near(t[i], (t[0] + t[1] + t[2]) / 3, 0.05));
	/* The check can fail: classic co-schedules partitions on a core all the time. */
	CHECK(run_three_partitions(HV_SCHEDULER_CLASSIC, v) > 0);
	CHECK(!sched_no_core_sharing(&sim.s));
}

/* A non-SMT partition (one thread per core) leaves the sibling idle. */
static void core_non_smt_partition(void)
{
	static struct sched_partition solo, pair;
	struct sim_vp *s[2], *p[2];
	u32 i, j;

	sim_init(HV_SCHEDULER_CORE, 1, 2, 2, 0);
	sched_partition_init(&solo, false);
	sched_partition_init(&pair, false);
	CHECK_EQ(sched_set_threads_per_core(&sim.s, &solo, 1), SCHED_OK);
	for (i = 0; i < 2; i++) {
		s[i] = sim_vp(&solo, -1, 0, 0);
		p[i] = sim_vp(&pair, -1, 0, 0);
		sim_start(s[i]);
		sim_start(p[i]);
	}
	CHECK_EQ(sched_set_threads_per_core(&sim.s, &solo, 2), SCHED_OUT_OF_RANGE);
	for (i = 0; i < 400; i++) {
		sim_run((i + 1) * QUANTUM / 2);
		for (j = 0; j < 4; j += 2) {
			const struct sched_vp *a = sim.s.lp[j].current, *b = sim.s.lp[j + 1].current;

			CHECK(!(a && b && a->part == &solo && b->part == &solo));
		}
	}
	CHECK_EQ(sim.core_violations, 0);
	CHECK(s[0]->v.total > 0 && p[0]->v.total > 0);
}

/*
 * Core type with minroot: LP 0 is the root's alone (no child may use it)
 * and its root VP runs for good, so its sibling LP 1 never runs a child VP
 * and does not wait for LP 0 either; core 1 runs the children.
 */
static void core_root_lp_keeps_its_core(void)
{
	static struct sched_partition root, c;
	struct sim_vp *rv, *v[4];
	u32 i;

	sim_init(HV_SCHEDULER_CORE, 1, 2, 2, 0xe);
	sched_partition_init(&root, true);
	sched_partition_init(&c, false);
	rv = sim_vp(&root, 0, 0, 0);
	sim_start(rv);
	for (i = 0; i < 4; i++) {
		v[i] = sim_vp(&c, -1, 0, 0);
		sim_start(v[i]);
	}
	for (i = 0; i < 200; i++) {
		sim_run((i + 1) * QUANTUM / 2);
		CHECK(sim.s.lp[0].current == &rv->v);
		CHECK(!sim.s.lp[1].current);
	}
	CHECK_EQ(sim.core_violations, 0);
	for (i = 0; i < 4; i++)
		CHECK(near(share(v[i], sim.now), 0.5, 0.05));
	/* A waking VP is not sent to LP 1, idle as it is: it could not run there. */
	CHECK(!(sched_vp_wake(&sim.s, &sim_vp(&c, -1, 0, 0)->v, sim.now) & BIT(1)));
}

/* Classic without SMT: secondary threads run no child VP; their root VPs still run. */
static void classic_no_smt(void)
{
	static struct sched_partition root, c;
	struct sim_vp *rv, *v[4];
	u32 i;

	sim_init(HV_SCHEDULER_CLASSIC_NO_SMT, 1, 2, 2, 0);
	sched_partition_init(&root, true);
	sched_partition_init(&c, false);
	rv = sim_vp(&root, 1, 0, 0);
	sim_start(rv);
	for (i = 0; i < 4; i++) {
		v[i] = sim_vp(&c, -1, 0, 0);
		sim_start(v[i]);
	}
	for (i = 0; i < 100; i++) {
		sim_run((i + 1) * QUANTUM);
		CHECK(!sim.s.lp[1].current || sim.s.lp[1].current == &rv->v);
		CHECK(!sim.s.lp[3].current);
	}
	CHECK(near(share(rv, sim.now), 1.0, 0.01));
	for (i = 0; i < 4; i++)
		CHECK(near(share(v[i], sim.now), 0.5, 0.05));
}

/*
 * Bursty VPs: one runs 1 ms in every 10 and gets exactly its demand; an
 * idle one gets nothing; the spinner takes the rest of its LP.
 */
static void idle_vps_get_nothing(void)
{
	static struct sched_partition p;
	struct sim_vp *bursty, *idle, *spin;

	sim_init(HV_SCHEDULER_CLASSIC, 1, 1, 1, 0);
	sched_partition_init(&p, false);
	bursty = sim_vp(&p, -1, 1 * MS, 9 * MS);
	idle = sim_vp(&p, -1, 0, 0);
	spin = sim_vp(&p, -1, 0, 0);
	sim_start(bursty);
	sim_start(spin);
	sim_run(2000 * MS);
	CHECK_EQ(idle->v.total, 0);
	CHECK(near(share(bursty, sim.now), 0.1, 0.05));
	CHECK(near(share(spin, sim.now), 0.9, 0.02));
}

/* A woken VP on an idle system runs at once; a timed wake fires on time. */
static void wake_latency(void)
{
	static struct sched_partition p;
	struct sim_vp *v;
	u64 kick, until;

	sim_init(HV_SCHEDULER_CLASSIC, 1, 2, 1, 0);
	sched_partition_init(&p, false);
	v = sim_vp(&p, -1, 0, 0);
	sim_run(50 * MS);
	CHECK_EQ(v->v.total, 0);
	kick = sched_vp_wake(&sim.s, &v->v, sim.now);
	CHECK(kick != 0);
	CHECK_EQ(sched_vp_wake(&sim.s, &v->v, sim.now), 0);
	CHECK_EQ(sched_pick(&sim.s, __builtin_ctzll(kick), sim.now, &until, &kick), &v->v);
	/* It halts with a timer 3 ms ahead: its LP looks again exactly then. */
	sched_vp_block(&sim.s, &v->v, sim.now + 3 * MS);
	CHECK(!sched_pick(&sim.s, v->v.home_lp, sim.now, &until, &kick));
	CHECK_EQ(until, sim.now + 3 * MS);
	sim.now += 3 * MS;
	CHECK_EQ(sched_pick(&sim.s, v->v.home_lp, sim.now, &until, &kick), &v->v);
}

/* Root type: no time slicing, so no resource controls. */
static void root_type_refuses_controls(void)
{
	static struct sched_partition p;
	u32 id;

	sim_init(HV_SCHEDULER_ROOT, 1, 2, 2, 0);
	sched_partition_init(&p, false);
	CHECK(!sched_time_slices(&sim.s));
	CHECK(!sched_no_core_sharing(&sim.s));
	CHECK_EQ(sched_set_weight(&sim.s, &p, 200), SCHED_DENIED);
	CHECK_EQ(sched_set_cap(&sim.s, &p, SCHED_FULL_LP / 2), SCHED_DENIED);
	CHECK_EQ(sched_set_reserve(&sim.s, &p, SCHED_FULL_LP / 2), SCHED_DENIED);
	CHECK_EQ(sched_group_create(&sim.s, 3, SCHED_FULL_LP, &id), SCHED_DENIED);
	CHECK_EQ(p.weight, SCHED_WEIGHT_DEFAULT);
}

/* Without SMT the core type is the classic one, and core sharing cannot happen. */
static void core_without_smt(void)
{
	sim_init(HV_SCHEDULER_CORE, 1, 4, 1, 0);
	CHECK(!sim.s.smt);
	CHECK(sched_no_core_sharing(&sim.s));
	sim_init(HV_SCHEDULER_CLASSIC, 1, 4, 1, 0);
	CHECK(sched_no_core_sharing(&sim.s));
}

/* HwThreadCountPerCore: 0 (the host's) up to the host's threads per core. */
static void threads_per_core_limits(void)
{
	static struct sched_partition p;

	sim_init(HV_SCHEDULER_CORE, 1, 2, 2, 0);
	sched_partition_init(&p, false);
	CHECK_EQ(sched_host_threads_per_core(&sim.s), 2);
	CHECK_EQ(sched_set_threads_per_core(&sim.s, &p, 3), SCHED_OUT_OF_RANGE);
	CHECK_EQ(sched_set_threads_per_core(&sim.s, &p, 2), SCHED_OK);
	CHECK_EQ(sched_set_threads_per_core(&sim.s, &p, 0), SCHED_OK);
	sim_init(HV_SCHEDULER_CLASSIC_NO_SMT, 1, 2, 2, 0);
	CHECK_EQ(sched_host_threads_per_core(&sim.s), 1);
	CHECK_EQ(sched_set_threads_per_core(&sim.s, &p, 2), SCHED_OUT_OF_RANGE);
	sim_init(HV_SCHEDULER_CLASSIC, 2, 4, 1, 0);
	CHECK_EQ(sched_host_threads_per_core(&sim.s), 1);
}

UNIT_MAIN("sched",
	  CASE(classic_weights), CASE(classic_big_topology), CASE(classic_root_vps_pinned),
	  CASE(classic_cap), CASE(classic_cap_late_timer), CASE(classic_oversubscribed_caps), CASE(classic_reserve),
	  CASE(reserve_admission), CASE(group_cap), CASE(core_no_sharing),
	  CASE(core_non_smt_partition), CASE(core_root_lp_keeps_its_core), CASE(classic_no_smt), CASE(idle_vps_get_nothing),
	  CASE(wake_latency), CASE(root_type_refuses_controls), CASE(core_without_smt),
	  CASE(threads_per_core_limits), CASE(group_cap_late_timers))
