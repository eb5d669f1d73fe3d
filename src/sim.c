/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Monte Carlo: a block of synapses through one dt's protocol, by the lockstep kernel or the
 * step-by-step methods (see sim.h). */
#include "sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "ptrain.h"
#include "rng.h"

/* A synapse's way through one run of a periodic protocol: the calcium schedule and the operations
 * built from it. ops[rep_first .. rep_end) come rep_times times in a row (the schedule's repeated
 * block); the same ops serve every synapse of the point. */
typedef struct path {
	schedule sch;
	kernel_op *ops;
	uint32_t nops, cap;
	uint32_t rep_first, rep_end;
	uint64_t rep_times;
} path;

struct sim_point {
	param_set p;
	int dt_index;
	double x; /* the grid value: dt (ms), frequency or post rate (Hz) */
	sim_method method;
	int poisson;    /* every synapse draws its own trains: no shared path */
	ptrain *pt;     /* their event-driven runs, for the segments method */
	path shared;    /* the path of every synapse, for periodic protocols */
	uint64_t steps; /* steps of one run */
	double a;       /* h / tau */
	double rho_star;
	uint64_t kmax; /* most Euler steps one active operation composes */
};

int sim_method_parse(const char *name)
{
	if (strcmp(name, "segments") == 0)
		return SIM_SEGMENTS;
	if (strcmp(name, "stepwise") == 0)
		return SIM_STEPWISE;
	if (strcmp(name, "reference") == 0)
		return SIM_REFERENCE;
	return -1;
}

const char *sim_method_name(sim_method m)
{
	return m == SIM_SEGMENTS ? "segments" : m == SIM_STEPWISE ? "stepwise" : "reference";
}

static inline double cubic(double rho, double rho_star)
{
	return -rho * (1 - rho) * (rho_star - rho);
}

/* Largest drift time (units of tau) one operation may cover: keeps the splitting error and that of
 * the gaps' fourth-order steps below 1e-8 per operation for rates of order one. */
#define ACTIVE_MAX_U 0.01
#define GAP_MAX_U    0.025
/* Steps of the cubic drift per application of a gap operation (longer gaps repeat it). */
#define GAP_MAX_SUB 64

/* K Euler-Maruyama steps of rho' = q rho + m + s xi composed into one: the mean and variance of the
 * K-step linear recurrence are geometric sums, computed with log1p/expm1 so that tiny rates keep
 * their precision. *D is what a constant drift of 1 per unit time adds over the K steps, carried
 * through the linear map (sum of a (1 - k)^j), for the split of the cubic drift. */
static kernel_op active_op(const sim_point *sp, int hd, int hp, uint64_t K, double *D)
{
	const double *v = sp->p.v;
	double a = sp->a;
	double k = a * (v[P_GAMMA_P] * hp + v[P_GAMMA_D] * hd);
	double m = a * v[P_GAMMA_P] * hp;
	double s2 = v[P_SIGMA] * v[P_SIGMA] * (hd + hp) * a;
	double Kd = (double)K;
	kernel_op o = {.times = 1, .steps = K};
	double g = Kd; /* sum of (1 - k)^j, j < K */
	if (k > 0) {
		double l = log1p(-k);
		o.A = exp(Kd * l);
		g = -expm1(Kd * l) / k;
		o.S = sqrt(s2 * (-expm1(2 * Kd * l) / (k * (2 - k))));
	} else {
		o.A = 1;
		o.S = sqrt(s2 * Kd);
	}
	o.B = m * g;
	*D = a * g;
	return o;
}

/* The cubic drift around an active operation of drift time T (units of tau) whose linear map A
 * carries a constant drift to D: pre before and post after, pre + post = T and A pre + post = D, so
 * that a constant drift comes out exactly (for a map of constant rate this is Strang's T/2 and T/2
 * up to O((kK)^2); it stays right when the composed rates differ). */
static void split_drift(kernel_op *o, double T, double D)
{
	double c = 1 - o->A;
	double pre = c > 1e-12 ? (T - D) / c : 0.5 * T;
	if (!(pre >= 0 && pre <= T))
		pre = 0.5 * T;
	o->pre = pre;
	o->post = T - pre;
}

/* The operations of a quiet gap of `steps` steps, at most two: nsub steps of the cubic drift of equal
 * length (kernel_gap), as a repeated block of GAP_MAX_SUB and a remainder. extra: drift time of
 * neighbouring operations taken into the gap (units of tau). */
static int gap_ops(const sim_point *sp, uint64_t steps, double extra, kernel_op out[2])
{
	int n = 0;
	double u = sp->a * (double)steps + extra;
	uint64_t nsub = (uint64_t)ceil(u / GAP_MAX_U);
	if (nsub < 1)
		nsub = 1;
	kernel_op o = {.times = nsub / GAP_MAX_SUB};
	kernel_gap(&o, u / (double)nsub, GAP_MAX_SUB, sp->rho_star);
	/* The clock of the teaching views: the gap's steps spread over its applications. */
	o.steps = steps / (nsub / GAP_MAX_SUB + (nsub % GAP_MAX_SUB != 0));
	if (o.times)
		out[n++] = o;
	if (nsub % GAP_MAX_SUB) {
		o.nsub = (uint32_t)(nsub % GAP_MAX_SUB);
		o.times = 1;
		o.steps = steps - (n ? out[0].times * out[0].steps : 0);
		out[n++] = o;
	}
	return n;
}

/* Turns segments into operations. Consecutive active runs, whatever their threshold state, are
 * composed into one operation of at most kmax steps: the linear part of the Euler-Maruyama steps
 * composes exactly whatever its coefficients (an affine map plus a Gaussian whose variance adds up),
 * and the cubic drift is split around it as for a run of one state. A periodic protocol's pair then
 * needs one Gaussian, not one per threshold state it visits. */
typedef struct composer {
	const sim_point *sp;
	kernel_op acc; /* the active operation being composed (acc.S unused) */
	double var;    /* its noise variance */
	double D;      /* a constant unit drift carried through it */
	int have;
	/* A gap waits for the active operation after it: the cubic drift before that operation and
	 * after the one before it are the same flow as the gap's, so the gap's steps take them. */
	int gap_held;
	uint64_t gap_steps;
	double gap_extra;
} composer;

/* One active operation of K steps, its drift split, ready to run. */
static kernel_op active_full(const sim_point *sp, int hd, int hp, uint64_t K)
{
	double D;
	kernel_op o = active_op(sp, hd, hp, K, &D);
	split_drift(&o, sp->a * (double)K, D);
	return o;
}

/* Emits the held gap and the pending active operation (at most three operations). With post, the
 * active operation's drift after it goes to *post (a gap follows). */
static int compose_emit(composer *c, kernel_op *out, double *post)
{
	int n = 0;
	kernel_op a;
	double pre = 0;
	if (c->have) {
		a = c->acc;
		a.S = sqrt(c->var);
		split_drift(&a, c->sp->a * (double)c->acc.steps, c->D);
		if (c->gap_held)
			pre = a.pre, a.pre = 0;
		if (post)
			*post = a.post, a.post = 0;
	}
	if (c->gap_held)
		n += gap_ops(c->sp, c->gap_steps, c->gap_extra + pre, out);
	c->gap_held = 0;
	if (c->have)
		out[n++] = a;
	c->have = 0;
	return n;
}

static int compose_flush(composer *c, kernel_op *out)
{
	return compose_emit(c, out, NULL);
}

/* Operations ready after segment g (at most four); the last gap or active run may stay pending. */
static int compose_segment(composer *c, const segment *g, kernel_op out[4])
{
	const sim_point *sp = c->sp;
	int n = 0;
	if (!g->hd && !g->hp) {
		double post = 0;
		n = compose_emit(c, out, &post);
		c->gap_held = 1;
		c->gap_steps = g->steps;
		c->gap_extra = post;
		return n;
	}
	uint64_t left = g->steps;
	if (c->have) {
		uint64_t t = sp->kmax - c->acc.steps < left ? sp->kmax - c->acc.steps : left;
		double D;
		kernel_op o = active_op(sp, g->hd, g->hp, t, &D);
		c->acc.B = o.A * c->acc.B + o.B;
		c->D = o.A * c->D + D;
		c->acc.A = o.A * c->acc.A;
		c->var = o.A * o.A * c->var + o.S * o.S;
		c->acc.steps += t;
		left -= t;
		if (c->acc.steps == sp->kmax)
			n += compose_flush(c, out + n);
	}
	if (left >= sp->kmax) {
		n += compose_flush(c, out + n);
		out[n] = active_full(sp, g->hd, g->hp, sp->kmax);
		out[n++].times = left / sp->kmax;
		left %= sp->kmax;
	}
	if (left) {
		c->acc = active_op(sp, g->hd, g->hp, left, &c->D);
		c->var = c->acc.S * c->acc.S;
		c->have = 1;
	}
	return n;
}

static int push_ops(path *pa, const kernel_op *o, int n)
{
	if (n == 0)
		return 0;
	if (pa->nops + (uint32_t)n > pa->cap) {
		uint32_t c = pa->cap ? 2 * pa->cap : 256;
		kernel_op *nw = realloc(pa->ops, c * sizeof *nw);
		if (!nw)
			return -1;
		pa->ops = nw;
		pa->cap = c;
	}
	memcpy(pa->ops + pa->nops, o, (size_t)n * sizeof *o);
	pa->nops += (uint32_t)n;
	return 0;
}

static int build_ops(const sim_point *sp, path *pa)
{
	const schedule *s = &pa->sch;
	composer c = {.sp = sp};
	kernel_op o[4];
	pa->rep_times = s->rep_times;
	for (uint32_t i = 0; i < s->n; i++) {
		/* The repeated block's operations stand on their own. */
		if (i == s->rep_first) {
			if (push_ops(pa, o, compose_flush(&c, o)) < 0)
				return -1;
			pa->rep_first = pa->nops;
		}
		if (push_ops(pa, o, compose_segment(&c, &s->seg[i], o)) < 0)
			return -1;
		if (i + 1 == s->rep_first + s->rep_n) {
			if (push_ops(pa, o, compose_flush(&c, o)) < 0)
				return -1;
			pa->rep_end = pa->nops;
		}
	}
	if (push_ops(pa, o, compose_flush(&c, o)) < 0)
		return -1;
	if (s->rep_n == 0)
		pa->rep_first = pa->rep_end = pa->nops, pa->rep_times = 1;
	return 0;
}

static void path_free(path *pa)
{
	schedule_free(&pa->sch);
	free(pa->ops);
	memset(pa, 0, sizeof *pa);
}

sim_point *sim_point_new(const param_set *p, int dt_index, sim_method method)
{
	sim_point *sp = calloc(1, sizeof *sp);
	if (!sp)
		return NULL;
	sp->p = *p;
	sp->dt_index = dt_index;
	sp->x = params_x(p, dt_index);
	sp->method = method;
	sp->a = p->v[P_STEP_MS] * 1e-3 / p->v[P_TAU_S];
	sp->rho_star = p->v[P_RHO_STAR];
	sp->kmax = (uint64_t)(ACTIVE_MAX_U / sp->a);
	if (sp->kmax < 1)
		sp->kmax = 1;
	sp->poisson = params_random_protocol(p);
	if (sp->poisson) {
		sp->steps = (uint64_t)llround(p->v[P_DURATION_S] / (p->v[P_STEP_MS] * 1e-3));
		if (!(sp->pt = malloc(sizeof *sp->pt)))
			goto fail;
		ptrain_init(sp->pt, p, sp->x);
		return sp;
	}
	spike_train t;
	if (spike_train_at(p, sp->x, NULL, &t) < 0)
		goto fail;
	int rc = schedule_build(p, &t, &sp->shared.sch);
	spike_train_free(&t);
	if (rc < 0 || build_ops(sp, &sp->shared) < 0)
		goto fail;
	sp->steps = sp->shared.sch.steps;
	return sp;
fail:
	sim_point_free(sp);
	return NULL;
}

void sim_point_free(sim_point *sp)
{
	if (!sp)
		return;
	path_free(&sp->shared);
	free(sp->pt);
	free(sp);
}

uint64_t sim_point_steps(const sim_point *sp)
{
	return sp->steps;
}

static uint64_t ops_applications(const kernel_op *o, uint32_t n)
{
	uint64_t k = 0;
	for (uint32_t i = 0; i < n; i++)
		k += o[i].times;
	return k;
}

uint32_t sim_point_ops(const sim_point *sp)
{
	const path *pa = &sp->shared;
	uint64_t k = ops_applications(pa->ops, pa->rep_first) +
	             pa->rep_times * ops_applications(pa->ops + pa->rep_first, pa->rep_end - pa->rep_first) +
	             ops_applications(pa->ops + pa->rep_end, pa->nops - pa->rep_end);
	return k > UINT32_MAX ? UINT32_MAX : (uint32_t)k;
}

/* Work between two looks at the stop flag, in lane-steps (gap steps or active operations times
 * lanes): a fraction of a millisecond. */
#define STOP_BUDGET (1u << 16)

/* A run of the kernel that looks at the stop flag now and then. */
typedef struct runner {
	const atomic_uint *stop;
	unsigned stop_unless;
	uint64_t spent; /* work since the last look */
	double rho_star;
	uint64_t draw;
	int plain; /* one synapse: the plain path */
} runner;

static int stopped(runner *r)
{
	r->spent = 0;
	return r->stop && atomic_load_explicit(r->stop, memory_order_relaxed) != r->stop_unless;
}

static void run_kernel(runner *r, const kernel_op *o, uint32_t n, uint64_t reps, const kernel_lanes *l)
{
	(r->plain ? kernel_run_plain : kernel_run)(o, n, reps, r->rho_star, &r->draw, l);
}

/* One application of o on these lanes, in lane-steps. */
static uint64_t op_cost(const kernel_op *o, uint32_t lanes)
{
	return (o->nsub ? o->nsub : 1) * (uint64_t)lanes;
}

/* ops[0 .. n) on the lanes, in pieces of about STOP_BUDGET; 1 if stopped. */
static int run_ops(runner *r, const kernel_op *ops, uint32_t n, const kernel_lanes *l)
{
	uint32_t i = 0;
	while (i < n) {
		uint32_t j = i;
		uint64_t cost = 0;
		while (j < n && cost < STOP_BUDGET) {
			uint64_t c = ops[j].times * op_cost(&ops[j], l->n);
			if (c > STOP_BUDGET && j == i) {
				/* One long operation: apply it in parts. */
				kernel_op o = ops[j];
				uint64_t per = STOP_BUDGET / op_cost(&o, l->n) + 1;
				for (uint64_t left = ops[j].times; left;) {
					o.times = left < per ? left : per;
					left -= o.times;
					run_kernel(r, &o, 1, 1, l);
					if (stopped(r))
						return 1;
				}
				j++;
				break;
			}
			cost += c;
			j++;
		}
		if (cost)
			run_kernel(r, ops + i, j - i, 1, l);
		r->spent += cost;
		if (r->spent >= STOP_BUDGET && stopped(r))
			return 1;
		i = j;
	}
	return 0;
}

/* ops[0 .. n) reps times over, as many repeats per kernel call as STOP_BUDGET allows; 1 if stopped. */
static int run_reps(runner *r, const kernel_op *ops, uint32_t n, uint64_t reps, const kernel_lanes *l)
{
	uint64_t cost = 0;
	for (uint32_t i = 0; i < n; i++)
		cost += ops[i].times * op_cost(&ops[i], l->n);
	if (cost == 0 || cost > STOP_BUDGET) {
		for (uint64_t k = 0; k < reps; k++)
			if (run_ops(r, ops, n, l))
				return 1;
		return 0;
	}
	for (uint64_t left = reps, per = STOP_BUDGET / cost; left;) {
		uint64_t k = left < per ? left : per;
		run_kernel(r, ops, n, k, l);
		left -= k;
		r->spent += k * cost;
		if (r->spent >= STOP_BUDGET && stopped(r))
			return 1;
	}
	return 0;
}

/* The shared path of a periodic protocol, its repeated block rep_times times. */
static int run_path(runner *r, const path *pa, const kernel_lanes *l)
{
	if (run_ops(r, pa->ops, pa->rep_first, l))
		return 1;
	if (run_reps(r, pa->ops + pa->rep_first, pa->rep_end - pa->rep_first, pa->rep_times, l))
		return 1;
	return run_ops(r, pa->ops + pa->rep_end, pa->nops - pa->rep_end, l);
}

/* A synapse's stream key: rng_init's, which also draws its Poisson trains. */
static uint64_t stream_key(const sim_point *sp, uint64_t seed, int state, uint64_t rep)
{
	rng r;
	rng_init(&r, seed, (uint64_t)sp->dt_index, (uint64_t)state, rep);
	return r.s;
}

/* One Euler-Maruyama step of the seed's equation, with the threshold state of calcium given. */
static inline double em_step(double rho, double a, double sqa, const double *v, int hd, int hp, rng *r)
{
	double drift = cubic(rho, v[P_RHO_STAR]) + v[P_GAMMA_P] * (1 - rho) * hp - v[P_GAMMA_D] * rho * hd;
	double x = rho + a * drift;
	if (hd + hp)
		x += v[P_SIGMA] * sqrt((double)(hd + hp)) * sqa * rng_normal(r);
	return x;
}

/* The step-by-step integrators on one segment (stepwise: gaps as the kernel crosses them; reference: every
 * step). Noise from a sequential stream of their own. */
static int steps_segment(const sim_point *sp, runner *ru, const segment *g, double *rho, rng *r)
{
	const double *v = sp->p.v;
	const double a = sp->a, sqa = sqrt(a);
	if (!g->hd && !g->hp && sp->method == SIM_STEPWISE) {
		kernel_op o[2];
		int n = gap_ops(sp, g->steps, 0, o);
		kernel_lanes l = {rho, NULL, NULL, 1};
		return run_ops(ru, o, (uint32_t)n, &l);
	}
	for (uint64_t k = 0; k < g->steps; k++) {
		*rho = em_step(*rho, a, sqa, v, g->hd, g->hp, r);
		if (++ru->spent >= STOP_BUDGET && stopped(ru))
			return 1;
	}
	return 0;
}

/* A sample recorder for the teaching views: (time, rho) after every stride-th operation. */
typedef struct recorder {
	double *t_s, *rho;
	int cap, n;
	uint64_t stride, done, total, step;
	double h;
} recorder;

static void record(recorder *rec, double rho)
{
	rec->done++;
	if ((rec->done % rec->stride == 0 || rec->done == rec->total) && rec->n < rec->cap) {
		rec->t_s[rec->n] = (double)rec->step * rec->h;
		rec->rho[rec->n++] = rho;
	}
}

/* The operations of one synapse with a recorder: one application at a time. */
static int run_recorded(runner *r, const kernel_op *ops, uint32_t n, const kernel_lanes *l, recorder *rec)
{
	if (!rec)
		return run_ops(r, ops, n, l);
	for (uint32_t i = 0; i < n; i++) {
		kernel_op o = ops[i];
		o.times = 1;
		for (uint64_t t = 0; t < ops[i].times; t++) {
			if (run_ops(r, &o, 1, l))
				return 1;
			rec->step += o.steps;
			record(rec, l->rho[0]);
		}
	}
	return 0;
}

/* One synapse of a Poisson point with the step-by-step integrators: its trains and calcium streamed a
 * segment at a time. */
static int poisson_synapse(const sim_point *sp, runner *ru, uint64_t key, double *rho)
{
	rng r = {.s = key};
	calcium_stream cs;
	calcium_stream_init(&cs, &sp->p, sp->x, &r);
	rng noise = {.s = kernel_noise_key(key)};
	segment g;
	while (calcium_stream_next(&cs, &g)) {
		/* Walking calcium to the next segment may have taken a while: look at the stop flag. */
		if (stopped(ru) || steps_segment(sp, ru, &g, rho, &noise))
			return 1;
	}
	return 0;
}

static void record_at(void *ctx, uint64_t step, double rho)
{
	recorder *rec = ctx;
	rec->step = step;
	record(rec, rho);
}

/* One synapse of a Poisson point with the segments method: event by event (ptrain.h). */
static int ptrain_synapse(const sim_point *sp, runner *ru, uint64_t key, double *rho, recorder *rec)
{
	ptrain_ctl c = {ru->stop, ru->stop_unless, rec ? record_at : NULL, rec};
	return ptrain_run(sp->pt, key, rho, &c);
}

/* One synapse of a periodic point with the step-by-step integrators. */
static int steps_synapse(const sim_point *sp, runner *ru, uint64_t key, double *rho)
{
	rng noise = {.s = kernel_noise_key(key)};
	const schedule *s = &sp->shared.sch;
	uint64_t len = schedule_length(s);
	for (uint64_t i = 0; i < len; i++)
		if (steps_segment(sp, ru, schedule_at(s, i), rho, &noise))
			return 1;
	return 0;
}

/* One synapse alone, any method: 0, or 1 if stopped. */
static int synapse_run(const sim_point *sp, runner *ru, uint64_t key, double *rho, recorder *rec)
{
	if (sp->poisson)
		return sp->method == SIM_SEGMENTS ? ptrain_synapse(sp, ru, key, rho, rec)
		                                  : poisson_synapse(sp, ru, key, rho);
	if (sp->method != SIM_SEGMENTS)
		return steps_synapse(sp, ru, key, rho);
	double spare = 0;
	uint64_t nkey = kernel_noise_key(key);
	kernel_lanes l = {rho, &spare, &nkey, 1};
	const path *pa = &sp->shared;
	if (run_recorded(ru, pa->ops, pa->rep_first, &l, rec))
		return 1;
	for (uint64_t k = 0; k < pa->rep_times; k++)
		if (run_recorded(ru, pa->ops + pa->rep_first, pa->rep_end - pa->rep_first, &l, rec))
			return 1;
	return run_recorded(ru, pa->ops + pa->rep_end, pa->nops - pa->rep_end, &l, rec);
}

double sim_synapse(const sim_point *sp, uint64_t seed, int state, uint64_t rep)
{
	runner ru = {.rho_star = sp->rho_star, .plain = 1};
	double rho = state;
	synapse_run(sp, &ru, stream_key(sp, seed, state, rep), &rho, NULL);
	return rho;
}

int sim_trajectory(const sim_point *sp, uint64_t seed, int state, uint64_t rep, double *t_s, double *rho,
                   int cap)
{
	if (cap < 3)
		return 0;
	/* The recorder follows the segment operations: a point built for another method has none. */
	if (sp->method != SIM_SEGMENTS)
		return 0;
	uint64_t key = stream_key(sp, seed, state, rep);
	runner ru = {.rho_star = sp->rho_star, .plain = 1};
	recorder rec = {.t_s = t_s + 1, .rho = rho + 1, .cap = cap - 1, .h = sp->p.v[P_STEP_MS] * 1e-3};
	t_s[0] = 0;
	rho[0] = state;
	rec.total = sp->poisson ? ptrain_windows(sp->pt) : sim_point_ops(sp);
	/* At most cap - 2 samples on the stride, and the last one. */
	rec.stride = rec.total / (uint64_t)(cap - 2) + 1;
	double x = state;
	synapse_run(sp, &ru, key, &x, &rec);
	return rec.n + 1;
}

int sim_run_block(const sim_point *sp, uint64_t seed, uint64_t first, uint32_t count, const atomic_uint *stop,
                  unsigned stop_unless, uint64_t *ups, uint64_t *downs)
{
	uint64_t u = 0, d = 0;
	runner ru = {.stop = stop, .stop_unless = stop_unless, .rho_star = sp->rho_star};
	if (stopped(&ru))
		return 1;
	if (sp->poisson || sp->method != SIM_SEGMENTS) {
		/* One synapse at a time: each has its own trains, or the step-by-step methods. */
		ru.plain = 1;
		for (uint32_t i = 0; i < count; i++)
			for (int state = 0; state < 2; state++) {
				double rho = state;
				ru.draw = 0;
				if (synapse_run(sp, &ru, stream_key(sp, seed, state, first + i), &rho, NULL))
					return 1;
				if (!isfinite(rho))
					return -1;
				if (state)
					d += rho < sp->rho_star;
				else
					u += rho > sp->rho_star;
			}
		*ups += u;
		*downs += d;
		return 0;
	}
	/* Periodic protocols, segments method: every synapse of the block in lockstep through the shared
	 * path, the DOWN-started and UP-started synapse of each repetition side by side. */
	while (count > SIM_BLOCK_MAX) {
		int rc = sim_run_block(sp, seed, first, SIM_BLOCK_MAX, stop, stop_unless, &u, &d);
		if (rc)
			return rc;
		first += SIM_BLOCK_MAX;
		count -= SIM_BLOCK_MAX;
	}
	enum { MAXL = 2 * SIM_BLOCK_MAX };
	double rho[MAXL], spare[MAXL];
	uint64_t key[MAXL];
	uint32_t n = 2 * count, lanes = (n + KERNEL_LANES - 1) / KERNEL_LANES * KERNEL_LANES;
	/* stream_key's, its point's part once for the block. */
	const uint64_t pk = rng_point_key(seed, (uint64_t)sp->dt_index);
	for (uint32_t i = 0; i < lanes; i++) {
		rho[i] = (double)(i & 1);
		spare[i] = 0;
		key[i] = i < n ? kernel_noise_key(rng_synapse_key(pk, i & 1, first + i / 2)) : 0;
	}
	kernel_lanes l = {rho, spare, key, lanes};
	if (run_path(&ru, &sp->shared, &l))
		return 1;
	for (uint32_t i = 0; i < n; i++) {
		if (!isfinite(rho[i]))
			return -1;
		if (i & 1)
			d += rho[i] < sp->rho_star;
		else
			u += rho[i] > sp->rho_star;
	}
	*ups += u;
	*downs += d;
	return 0;
}

void sim_point_work(const sim_point *sp, double *active, double *gaps, double *gap_steps)
{
	const path *pa = &sp->shared;
	double act = 0, gap = 0, steps = 0;
	for (uint32_t i = 0; i < pa->nops; i++) {
		double times = (double)pa->ops[i].times;
		if (i >= pa->rep_first && i < pa->rep_end)
			times *= (double)pa->rep_times;
		if (pa->ops[i].nsub) {
			gap += times;
			steps += times * pa->ops[i].nsub;
		} else {
			act += times;
		}
	}
	*active = act;
	*gaps = gap;
	*gap_steps = steps;
}
