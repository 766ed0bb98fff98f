/* The scheduling policy (hv/sched.h): classic, core and root types. */
#include "hv/sched.h"

static bool is_core_type(const struct sched *s)
{
	return s->type == HV_SCHEDULER_CORE && s->smt;
}

static u32 lp_count_in(u64 mask)
{
	u32 n = 0;

	for (; mask; mask &= mask - 1)
		n++;
	return n;
}

void sched_init(struct sched *s, u32 type, u32 lp_count, const struct hv_lp_info *info,
		u64 child_lps, u64 quantum, u64 period)
{
	u32 i, j;

	*s = (struct sched){ .type = type, .lp_count = lp_count, .quantum = quantum,
			     .period = period };
	for (i = 0; i < lp_count; i++) {
		for (j = 0; j < s->core_count; j++) {
			const struct hv_lp_info *first = &info[__builtin_ctzll(s->core[j].lps)];

			if (first->package == info[i].package && first->core == info[i].core)
				break;
		}
		if (j == s->core_count)
			s->core_count++;
		else
			s->smt = true;
		s->core[j].lps |= BIT(i);
		s->threads_per_core = MAX(s->threads_per_core, lp_count_in(s->core[j].lps));
		s->lp[i].core = j;
		s->lp[i].online = true;
		/* Without SMT in use, a core's secondary threads keep only their root VPs. */
		s->lp[i].child_ok = (child_lps & BIT(i)) &&
				    !(type == HV_SCHEDULER_CLASSIC_NO_SMT && info[i].thread);
	}
}

bool sched_no_core_sharing(const struct sched *s)
{
	return !s->smt || s->type == HV_SCHEDULER_CORE;
}

bool sched_time_slices(const struct sched *s)
{
	return s->type != HV_SCHEDULER_ROOT;
}

void sched_partition_init(struct sched_partition *sp, bool is_root)
{
	*sp = (struct sched_partition){ .weight = SCHED_WEIGHT_DEFAULT, .cap = SCHED_FULL_LP,
					.group = -1, .is_root = is_root };
}

/* --- resource controls ---------------------------------------------------- */

static u64 share_of_period(const struct sched *s, u64 share)
{
	return share * s->period / SCHED_FULL_LP;
}

static u32 lp_count_of(const struct sched *s, u64 mask)
{
	u32 n = 0, i;

	for (i = 0; i < s->lp_count; i++)
		n += (mask & BIT(i)) && s->lp[i].child_ok;
	return n;
}

/* Reserves are admitted only while every reserve can be met at once. */
static bool reserves_admissible(const struct sched *s, const struct sched_partition *changed,
				u64 reserve)
{
	const struct sched_vp *v;
	u64 sum = 0;

	for (v = s->vps; v; v = v->next)
		sum += v->part == changed ? reserve : v->part->reserve;
	return sum <= (u64)lp_count_of(s, ~0ULL) * SCHED_FULL_LP;
}

enum sched_status sched_set_weight(struct sched *s, struct sched_partition *sp, u64 weight)
{
	if (!sched_time_slices(s))
		return SCHED_DENIED;
	if (!weight || weight > SCHED_WEIGHT_MAX)
		return SCHED_OUT_OF_RANGE;
	sp->weight = weight;
	return SCHED_OK;
}

enum sched_status sched_set_cap(struct sched *s, struct sched_partition *sp, u64 cap)
{
	if (!sched_time_slices(s))
		return SCHED_DENIED;
	if (!cap || cap > SCHED_FULL_LP || cap < sp->reserve)
		return SCHED_OUT_OF_RANGE;
	sp->cap = cap;
	return SCHED_OK;
}

enum sched_status sched_set_reserve(struct sched *s, struct sched_partition *sp, u64 reserve)
{
	if (!sched_time_slices(s))
		return SCHED_DENIED;
	if (reserve > sp->cap || !reserves_admissible(s, sp, reserve))
		return SCHED_OUT_OF_RANGE;
	sp->reserve = reserve;
	return SCHED_OK;
}

u32 sched_host_threads_per_core(const struct sched *s)
{
	return s->type == HV_SCHEDULER_CLASSIC_NO_SMT ? 1 : s->threads_per_core;
}

enum sched_status sched_set_threads_per_core(struct sched *s, struct sched_partition *sp, u64 n)
{
	if (n > sched_host_threads_per_core(s) || sp->vp_count)
		return SCHED_OUT_OF_RANGE;
	sp->threads_per_core = n;
	return SCHED_OK;
}

enum sched_status sched_group_create(struct sched *s, u64 affinity, u32 cap, u32 *id)
{
	u32 i;

	if (!sched_time_slices(s))
		return SCHED_DENIED;
	if (!lp_count_of(s, affinity) || (affinity >> s->lp_count) || !cap ||
	    cap > SCHED_FULL_LP)
		return SCHED_OUT_OF_RANGE;
	for (i = 0; i < SCHED_MAX_GROUPS; i++) {
		if (s->group[i].in_use)
			continue;
		s->group[i] = (struct sched_group){ .affinity = affinity, .cap = cap,
						    .in_use = true };
		*id = i;
		return SCHED_OK;
	}
	return SCHED_DENIED;
}

static struct sched_group *group_of(struct sched *s, u32 id)
{
	return id < SCHED_MAX_GROUPS && s->group[id].in_use ? &s->group[id] : NULL;
}

enum sched_status sched_group_delete(struct sched *s, u32 id)
{
	struct sched_group *g = group_of(s, id);

	if (!g)
		return SCHED_NO_GROUP;
	if (g->members)
		return SCHED_DENIED;
	g->in_use = false;
	return SCHED_OK;
}

enum sched_status sched_group_set_cap(struct sched *s, u32 id, u64 cap)
{
	struct sched_group *g = group_of(s, id);

	if (!g)
		return SCHED_NO_GROUP;
	if (!cap || cap > SCHED_FULL_LP)
		return SCHED_OUT_OF_RANGE;
	g->cap = cap;
	return SCHED_OK;
}

enum sched_status sched_group_bind(struct sched *s, struct sched_partition *sp, s32 id)
{
	struct sched_group *g = id >= 0 ? group_of(s, id) : NULL;

	if (sp->is_root || !sched_time_slices(s))
		return SCHED_DENIED;
	if (id >= 0 && !g)
		return SCHED_NO_GROUP;
	if (sp->group >= 0)
		s->group[sp->group].members--;
	sp->group = id;
	if (g)
		g->members++;
	return SCHED_OK;
}

/* --- VPs -------------------------------------------------------------------- */

void sched_vp_add(struct sched *s, struct sched_vp *v, struct sched_partition *sp, s32 pinned_lp)
{
	*v = (struct sched_vp){ .part = sp, .next = s->vps, .affinity = ~0ULL,
				.pinned_lp = pinned_lp, .lp = -1,
				.home_lp = pinned_lp >= 0 ? pinned_lp : -1,
				.state = SCHED_VP_BLOCKED, .wake_at = SCHED_NEVER,
				.vruntime = s->min_vruntime };
	s->vps = v;
	sp->vp_count++;
}

void sched_vp_remove(struct sched *s, struct sched_vp *v)
{
	struct sched_vp **pp;

	for (pp = &s->vps; *pp; pp = &(*pp)->next) {
		if (*pp == v) {
			*pp = v->next;
			v->part->vp_count--;
			return;
		}
	}
}

static bool allowed(const struct sched *s, const struct sched_vp *v, u32 lp)
{
	const struct sched_lp *l = &s->lp[lp];

	if (v->pinned_lp >= 0)
		return v->pinned_lp == (s32)lp && l->online;
	if (!l->child_ok || !(v->affinity & BIT(lp)))
		return false;
	return v->part->group < 0 || (s->group[v->part->group].affinity & BIT(lp));
}

static u64 reserve_left(const struct sched *s, const struct sched_vp *v)
{
	u64 r = share_of_period(s, v->part->reserve);

	return v->used < r ? r - v->used : 0;
}

/* G = n x C: the group's time per period. */
static u64 group_budget(const struct sched *s, const struct sched_group *g)
{
	return lp_count_of(s, g->affinity) * share_of_period(s, g->cap);
}

/*
 * Time @v may still run in this period under its cap and its group's cap.
 * Group members running elsewhere are assumed to run to the end of their
 * slices, so concurrent members never overrun the group's budget together.
 */
static u64 budget_left(const struct sched *s, const struct sched_vp *v, u64 now)
{
	const struct sched_partition *sp = v->part;
	u64 left = SCHED_NEVER;
	u32 i;

	if (sp->cap < SCHED_FULL_LP) {
		u64 b = share_of_period(s, sp->cap);

		left = v->used < b ? b - v->used : 0;
	}
	if (sp->group >= 0 && s->group[sp->group].cap < SCHED_FULL_LP) {
		const struct sched_group *g = &s->group[sp->group];
		u64 spent = g->used;
		u64 b = group_budget(s, g);

		for (i = 0; i < s->lp_count; i++) {
			const struct sched_vp *c = s->lp[i].current;

			if (c && c != v && c->part->group == sp->group)
				spent += (now - c->run_start) + (s->lp[i].until > now ?
								 s->lp[i].until - now : 0);
		}
		left = MIN(left, spent < b ? b - spent : 0);
	}
	return left;
}

/* Reserve still owed first (least of it met first), then lowest weighted run time. */
static bool ranks_before(const struct sched *s, const struct sched_vp *a, const struct sched_vp *b)
{
	bool ra = reserve_left(s, a), rb = reserve_left(s, b);

	if (ra != rb)
		return ra;
	if (ra) {
		u64 fa = a->used * b->part->reserve, fb = b->used * a->part->reserve;

		if (fa != fb)
			return fa < fb;
	}
	return a->vruntime < b->vruntime;
}

static void charge(struct sched *s, struct sched_vp *v, u64 now)
{
	u64 d = now > v->run_start ? now - v->run_start : 0;

	v->used += d;
	v->total += d;
	v->vruntime += d * SCHED_WEIGHT_DEFAULT / v->part->weight;
	if (v->part->group >= 0)
		s->group[v->part->group].used += d;
	v->run_start = now;
}

static u64 carry(u64 used, u64 budget)
{
	return used > budget ? used - budget : 0;
}

static void rollover(struct sched *s, u64 now)
{
	struct sched_vp *v;
	u32 i;

	if (now - s->period_start < s->period)
		return;
	for (i = 0; i < s->lp_count; i++)
		if (s->lp[i].current)
			charge(s, s->lp[i].current, now);
	/*
	 * A slice can end late (a late timer, an LP held up); what a VP or a
	 * group ran beyond its cap is owed to the next period, so caps hold on
	 * average, not just per period.
	 */
	for (v = s->vps; v; v = v->next)
		v->used = carry(v->used, v->part->cap < SCHED_FULL_LP ?
					 share_of_period(s, v->part->cap) : SCHED_NEVER);
	for (i = 0; i < SCHED_MAX_GROUPS; i++)
		s->group[i].used = carry(s->group[i].used, s->group[i].cap < SCHED_FULL_LP ?
				group_budget(s, &s->group[i]) : SCHED_NEVER);
	s->period_start = now - (now - s->period_start) % s->period;
}

/*
 * A thread no child may use that runs its pinned VP (a root LP the root
 * keeps for good): its partition owns the core for as long.
 */
static struct sched_vp *held_by(const struct sched *s, const struct sched_core *c)
{
	u32 i;

	for (i = 0; i < s->lp_count; i++) {
		struct sched_vp *v = s->lp[i].current;

		if ((c->lps & BIT(i)) && !s->lp[i].child_ok && v && v->pinned_lp == (s32)i)
			return v;
	}
	return NULL;
}

/*
 * An LP for @v: an idle one (under the core type, not one whose core the
 * root holds), else one whose VP ranks below a VP still owed its reserve.
 */
static u64 kick_for(const struct sched *s, const struct sched_vp *v)
{
	s32 victim = -1;
	u32 i;

	for (i = 0; i < s->lp_count; i++) {
		const struct sched_vp *c = s->lp[i].current;
		const struct sched_vp *holder;

		if (!allowed(s, v, i))
			continue;
		holder = is_core_type(s) ? held_by(s, &s->core[s->lp[i].core]) : NULL;
		if (holder && holder->part != v->part)
			continue;
		if (!c)
			return BIT(i);
		if (victim < 0 && reserve_left(s, v) && !reserve_left(s, c) && !c->part->is_root)
			victim = i;
	}
	return victim >= 0 ? BIT(victim) : 0;
}

u64 sched_vp_wake(struct sched *s, struct sched_vp *v, u64 now)
{
	(void)now;
	if (v->state == SCHED_VP_RUNNABLE)
		return 0;
	v->state = SCHED_VP_RUNNABLE;
	v->wake_at = SCHED_NEVER;
	/* A VP that slept does not come back owed the time it did not use. */
	if (v->vruntime < s->min_vruntime)
		v->vruntime = s->min_vruntime;
	return v->lp >= 0 ? 0 : kick_for(s, v);
}

void sched_vp_block(struct sched *s, struct sched_vp *v, u64 wake_at)
{
	(void)s;
	v->state = SCHED_VP_BLOCKED;
	v->wake_at = wake_at;
}

/* --- picking ---------------------------------------------------------------- */

struct pick {
	struct sched *s;
	u32 lp;
	u64 now;
	u64 until; /* the latest the LP should look again */
	u64 kick;
};

/* Wakes the blocked VPs this LP watches whose time has come; the earliest still to come bounds until. */
static void wake_due(struct pick *p)
{
	struct sched_vp *v;

	for (v = p->s->vps; v; v = v->next) {
		if (v->state != SCHED_VP_BLOCKED || v->home_lp != (s32)p->lp)
			continue;
		if (v->wake_at <= p->now)
			p->kick |= sched_vp_wake(p->s, v, p->now);
		else
			p->until = MIN(p->until, v->wake_at);
	}
	p->kick &= ~BIT(p->lp);
}

/* The best VP @lp may start now, of partition @only if given. */
static struct sched_vp *best_for(struct pick *p, u32 lp, const struct sched_partition *only)
{
	struct sched *s = p->s;
	struct sched_vp *v, *best = NULL;
	u64 min_vr = SCHED_NEVER;

	for (v = s->vps; v; v = v->next) {
		if (v->state != SCHED_VP_RUNNABLE)
			continue;
		min_vr = MIN(min_vr, v->vruntime);
		if (v->lp >= 0 || (only && v->part != only) || !allowed(s, v, lp))
			continue;
		if (!budget_left(s, v, p->now)) {
			/* Throttled: a member of its group may stop early and free budget. */
			if (v->part->group >= 0)
				p->until = MIN(p->until, p->now + s->quantum);
			continue;
		}
		if (!best || ranks_before(s, v, best))
			best = v;
	}
	if (min_vr != SCHED_NEVER && min_vr > s->min_vruntime)
		s->min_vruntime = min_vr;
	return best;
}

static struct sched_vp *start(struct pick *p, struct sched_vp *v)
{
	struct sched *s = p->s;
	u64 left, r;

	if (!v) {
		s->lp[p->lp].until = p->until;
		return NULL;
	}
	p->until = MIN(p->until, p->now + s->quantum);
	left = budget_left(s, v, p->now);
	if (left != SCHED_NEVER)
		p->until = MIN(p->until, p->now + left);
	r = reserve_left(s, v);
	if (r)
		p->until = MIN(p->until, p->now + r);
	v->lp = p->lp;
	v->home_lp = p->lp;
	v->run_start = p->now;
	s->lp[p->lp].current = v;
	s->lp[p->lp].until = p->until;
	return v;
}

static bool sibling_runs(const struct sched *s, u32 lp, const struct sched_partition *sp)
{
	u64 m = s->core[s->lp[lp].core].lps & ~BIT(lp);
	u32 i;

	for (i = 0; m; i++, m >>= 1)
		if ((m & 1) && s->lp[i].current && s->lp[i].current->part == sp)
			return true;
	return false;
}

/* Core type: one partition per core per epoch, chosen by the best VP any thread could run. */
static struct sched_vp *pick_core(struct pick *p)
{
	struct sched *s = p->s;
	struct sched_core *c = &s->core[s->lp[p->lp].core];
	struct sched_vp *v;
	bool waiting = false;
	u32 i;

	v = held_by(s, c);
	if (v) {
		c->owner = v->part;
		c->epoch_end = SCHED_NEVER;
	} else if (!c->owner || p->now >= c->epoch_end ||
		   (!sibling_runs(s, p->lp, c->owner) && !best_for(p, p->lp, c->owner))) {
		struct sched_vp *best = NULL;

		for (i = 0; i < s->lp_count; i++) {
			if (!(c->lps & BIT(i)))
				continue;
			v = i == p->lp ? NULL : s->lp[i].current;
			if (!v || !s->lp[i].online)
				v = best_for(p, i, NULL);
			if (v && (!best || ranks_before(s, v, best)))
				best = v;
		}
		c->owner = best ? best->part : NULL;
		c->epoch_end = best ? MIN(p->now + s->quantum, p->until) : p->now;
	}
	/* A thread still running another partition must leave before this one enters. */
	for (i = 0; i < s->lp_count; i++) {
		if ((c->lps & BIT(i)) && i != p->lp && s->lp[i].current &&
		    s->lp[i].current->part != c->owner) {
			p->kick |= BIT(i);
			waiting = true;
		}
	}
	if (waiting) {
		p->until = p->now;
		return start(p, NULL);
	}
	if (!c->owner)
		return start(p, NULL);
	p->until = MIN(p->until, c->epoch_end);
	if (c->owner->threads_per_core == 1 && sibling_runs(s, p->lp, c->owner))
		return start(p, NULL);
	return start(p, best_for(p, p->lp, c->owner));
}

struct sched_vp *sched_pick(struct sched *s, u32 lp, u64 now, u64 *until, u64 *kick)
{
	struct sched_lp *l = &s->lp[lp];
	struct pick p = { .s = s, .lp = lp, .now = now, .until = SCHED_NEVER };
	struct sched_vp *v;

	if (l->current) {
		charge(s, l->current, now);
		l->current->lp = -1;
		l->current = NULL;
	}
	rollover(s, now);
	p.until = s->period_start + s->period;
	wake_due(&p);
	v = is_core_type(s) ? pick_core(&p) : start(&p, best_for(&p, lp, NULL));
	*until = p.until;
	*kick = p.kick & ~BIT(lp);
	return v;
}
