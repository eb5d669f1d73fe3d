#include "sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

/* One step of the precomputed path a synapse takes through the run. */
typedef struct op {
	double A, B, S; /* active run: rho <- A rho + B + S xi (exact composition of its Euler steps) */
	double half;    /* cubic drift applied before and after (units of tau): Strang splitting */
	double du;      /* quiet gap: RK4 step of the cubic drift, units of tau */
	uint32_t nsub;  /* quiet gap: number of RK4 steps; 0 for an active run */
} op;

/* A synapse's way through one run: the calcium schedule and the operations built from it. */
typedef struct path {
	schedule sch;
	op *ops;
	uint32_t nops;
} path;

struct sim_point {
	param_set p;
	int dt_index;
	double x; /* the grid value: dt (ms), frequency or post rate (Hz) */
	sim_method method;
	int poisson;    /* every synapse draws its own trains: no shared path */
	path shared;    /* the path of every synapse, for periodic protocols */
	uint64_t steps; /* steps of one run */
	double a;       /* h / tau */
	double rho_star;
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

/* Largest drift time (units of tau) one operation may cover: keeps the splitting and RK4 errors
 * below 1e-8 per operation for rates of order one. */
#define ACTIVE_MAX_U 0.01
#define GAP_MAX_U    0.05

static int push_op(path *pa, uint32_t *cap, op o)
{
	if (pa->nops == *cap) {
		uint32_t c = *cap ? 2 * *cap : 256;
		op *n = realloc(pa->ops, c * sizeof *n);
		if (!n)
			return -1;
		pa->ops = n;
		*cap = c;
	}
	pa->ops[pa->nops++] = o;
	return 0;
}

/* K Euler-Maruyama steps of rho' = q rho + m + s xi composed into one: the mean and variance of the
 * K-step linear recurrence are geometric sums, computed with log1p/expm1 so that tiny rates keep
 * their precision. */
static op active_op(const sim_point *sp, int hd, int hp, uint64_t K)
{
	const double *v = sp->p.v;
	double a = sp->a;
	double k = a * (v[P_GAMMA_P] * hp + v[P_GAMMA_D] * hd);
	double m = a * v[P_GAMMA_P] * hp;
	double s2 = v[P_SIGMA] * v[P_SIGMA] * (hd + hp) * a;
	double Kd = (double)K;
	op o = {0};
	if (k > 0) {
		double l = log1p(-k);
		o.A = exp(Kd * l);
		o.B = m * (-expm1(Kd * l) / k);
		o.S = sqrt(s2 * (-expm1(2 * Kd * l) / (k * (2 - k))));
	} else {
		o.A = 1;
		o.B = m * Kd;
		o.S = sqrt(s2 * Kd);
	}
	o.half = 0.5 * a * Kd;
	return o;
}

static int build_ops(const sim_point *sp, path *pa)
{
	uint32_t cap = 0;
	double a = sp->a;
	uint64_t kmax = (uint64_t)(ACTIVE_MAX_U / a);
	if (kmax < 1)
		kmax = 1;
	for (uint32_t i = 0; i < pa->sch.n; i++) {
		const segment *g = &pa->sch.seg[i];
		if (!g->hd && !g->hp) {
			double u = a * (double)g->steps;
			uint32_t nsub = (uint32_t)ceil(u / GAP_MAX_U);
			if (nsub < 1)
				nsub = 1;
			op o = {.du = u / nsub, .nsub = nsub};
			if (push_op(pa, &cap, o) < 0)
				return -1;
			continue;
		}
		for (uint64_t done = 0; done < g->steps;) {
			uint64_t K = g->steps - done < kmax ? g->steps - done : kmax;
			if (push_op(pa, &cap, active_op(sp, g->hd, g->hp, K)) < 0)
				return -1;
			done += K;
		}
	}
	return 0;
}

static void path_free(path *pa)
{
	schedule_free(&pa->sch);
	free(pa->ops);
	memset(pa, 0, sizeof *pa);
}

/* Calcium for a train, then the operations (only the segments method uses them). */
static int path_build(const sim_point *sp, const spike_train *t, path *pa)
{
	memset(pa, 0, sizeof *pa);
	if (schedule_build(&sp->p, t, &pa->sch) < 0)
		return -1;
	if (sp->method == SIM_SEGMENTS && build_ops(sp, pa) < 0) {
		path_free(pa);
		return -1;
	}
	return 0;
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
	sp->poisson = (int)p->v[P_PROTOCOL] == PROTO_POISSON;
	if (sp->poisson) {
		sp->steps = (uint64_t)llround(p->v[P_DURATION_S] / (p->v[P_STEP_MS] * 1e-3));
		return sp;
	}
	spike_train t;
	if (spike_train_at(p, sp->x, NULL, &t) < 0)
		goto fail;
	int rc = path_build(sp, &t, &sp->shared);
	spike_train_free(&t);
	if (rc < 0)
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
	free(sp);
}

uint64_t sim_point_steps(const sim_point *sp)
{
	return sp->steps;
}

uint32_t sim_point_ops(const sim_point *sp)
{
	return sp->shared.nops;
}

/* The cubic drift alone over nsub RK4 steps of du (units of tau). */
static inline double drift_rk4(double rho, double rs, double du, uint32_t nsub)
{
	for (uint32_t j = 0; j < nsub; j++) {
		double k1 = cubic(rho, rs);
		double k2 = cubic(rho + 0.5 * du * k1, rs);
		double k3 = cubic(rho + 0.5 * du * k2, rs);
		double k4 = cubic(rho + du * k3, rs);
		rho += du / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
	}
	return rho;
}

/* Follows the path; with rec, also records (time, rho) after the operations, every stride-th. */
typedef struct recorder {
	double *t_s, *rho;
	int cap, n, stride;
	double h;
} recorder;

static inline void record(recorder *rec, uint64_t at, uint64_t step, double rho)
{
	if (rec && at % (uint64_t)rec->stride == 0 && rec->n < rec->cap) {
		rec->t_s[rec->n] = (double)step * rec->h;
		rec->rho[rec->n++] = rho;
	}
}

static double run_segments(const sim_point *sp, const path *pa, double rho, rng *r, recorder *rec)
{
	const double rs = sp->rho_star;
	const op *o = pa->ops, *end = pa->ops + pa->nops;
	uint32_t si = 0; /* schedule segment of o, for the recorder's clock */
	uint64_t step = 0, left = pa->sch.n ? pa->sch.seg[0].steps : 0;
	for (; o < end; o++) {
		if (rec) {
			/* Each op covers a gap segment or up to kmax steps of an active one. */
			uint64_t k = o->nsub ? left : (uint64_t)llround(2 * o->half / sp->a);
			if (k > left)
				k = left;
			step += k;
			left -= k;
			while (!left && si + 1 < pa->sch.n)
				left = pa->sch.seg[++si].steps;
		}
		if (o->nsub) {
			rho = drift_rk4(rho, rs, o->du, o->nsub);
			record(rec, (uint64_t)(o - pa->ops), step, rho);
			continue;
		}
		rho += o->half * cubic(rho, rs);
		rho = o->A * rho + o->B + (o->S != 0 ? o->S * rng_normal(r) : 0);
		rho += o->half * cubic(rho, rs);
		record(rec, (uint64_t)(o - pa->ops), step, rho);
	}
	return rho;
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

static double run_steps(const sim_point *sp, const path *pa, double rho, rng *r, int every_step)
{
	const double *v = sp->p.v;
	const double a = sp->a, sqa = sqrt(a), rs = sp->rho_star;
	for (uint32_t i = 0; i < pa->sch.n; i++) {
		const segment *g = &pa->sch.seg[i];
		if (!g->hd && !g->hp && !every_step) {
			double u = a * (double)g->steps;
			uint32_t nsub = (uint32_t)ceil(u / GAP_MAX_U);
			rho = drift_rk4(rho, rs, u / (nsub ? nsub : 1), nsub ? nsub : 1);
			continue;
		}
		for (uint64_t k = 0; k < g->steps; k++)
			rho = em_step(rho, a, sqa, v, g->hd, g->hp, r);
	}
	return rho;
}

static double run_path(const sim_point *sp, const path *pa, double rho, rng *r, recorder *rec)
{
	switch (sp->method) {
	case SIM_SEGMENTS:
		return run_segments(sp, pa, rho, r, rec);
	case SIM_STEPWISE:
		return run_steps(sp, pa, rho, r, 0);
	case SIM_REFERENCE:
		break;
	}
	return run_steps(sp, pa, rho, r, 1);
}

static double synapse(const sim_point *sp, uint64_t seed, int state, uint64_t rep, recorder *rec)
{
	rng r;
	rng_init(&r, seed, (uint64_t)sp->dt_index, (uint64_t)state, rep);
	if (!sp->poisson)
		return run_path(sp, &sp->shared, state, &r, rec);
	/* The synapse's own trains come first from its stream, then its noise. */
	spike_train t;
	path pa;
	if (spike_train_at(&sp->p, sp->x, &r, &t) < 0)
		return NAN;
	int rc = path_build(sp, &t, &pa);
	spike_train_free(&t);
	if (rc < 0)
		return NAN;
	if (rec && pa.nops > (uint32_t)rec->cap)
		rec->stride = (int)((pa.nops + (uint32_t)rec->cap - 1) / (uint32_t)rec->cap);
	double rho = run_path(sp, &pa, state, &r, rec);
	path_free(&pa);
	return rho;
}

double sim_synapse(const sim_point *sp, uint64_t seed, int state, uint64_t rep)
{
	return synapse(sp, seed, state, rep, NULL);
}

int sim_trajectory(const sim_point *sp, uint64_t seed, int state, uint64_t rep, double *t_s, double *rho,
                   int cap)
{
	if (cap < 2)
		return 0;
	/* The recorder follows the segment operations: a shared path built for another method has none
	 * (Poisson paths are built per synapse, for the copy's method). */
	if (sp->method != SIM_SEGMENTS && !sp->poisson)
		return 0;
	sim_point copy = *sp;
	copy.method = SIM_SEGMENTS;
	recorder rec = {t_s, rho, cap - 1, 1, 1, sp->p.v[P_STEP_MS] * 1e-3};
	rec.t_s[0] = 0;
	rec.rho[0] = state;
	rec.t_s++, rec.rho++;
	if (!sp->poisson && sp->shared.nops > (uint32_t)rec.cap)
		rec.stride = (int)((sp->shared.nops + (uint32_t)rec.cap - 1) / (uint32_t)rec.cap);
	synapse(&copy, seed, state, rep, &rec);
	return rec.n + 1;
}

int sim_run_block(const sim_point *sp, uint64_t seed, uint64_t first, uint32_t count, const atomic_uint *stop,
                  unsigned stop_unless, uint64_t *ups, uint64_t *downs)
{
	uint64_t u = 0, d = 0;
	for (uint32_t i = 0; i < count; i++) {
		if (stop && atomic_load_explicit(stop, memory_order_relaxed) != stop_unless)
			return 1;
		u += synapse(sp, seed, 0, first + i, NULL) > sp->rho_star;
		d += synapse(sp, seed, 1, first + i, NULL) < sp->rho_star;
	}
	*ups += u;
	*downs += d;
	return 0;
}
