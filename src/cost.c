/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a run will cost, from a model of its work priced in CPU time (see cost.h). */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include "cost.h"

#include <math.h>
#include <stdio.h>
#include <time.h>
#include <uv.h>

#include "analytic.h"
#include "kernel.h"

/* CPU seconds of the calling thread: what the work costs, however busy the machine is. */
static double thread_cpu_s(void)
{
	struct timespec t;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) != 0)
		return (double)uv_hrtime() * 1e-9;
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The rates, CPU seconds: per active operation of one lane (its Gaussian included), per quiet gap
 * of one lane (independent lanes: the vector units' throughput), per further step of a gap's
 * polynomial (a chain of dependent steps: their latency), per point of a curve (its path, its units),
 * per analytic point; and a factor that makes the model meet a real point's time (what the rates
 * of the parts alone leave out: the synapses' streams, the units' set-up). */
typedef struct rates {
	double act, gap, sub, point, analytic, fit;
	double check; /* checking a set (params_check_set): a grid's cells are all checked first */
} rates;

/* Generous upper bounds, for cost_curve_below (about four times this project's development
 * machine, 2-core x86-64 with AVX-512). */
static const rates bound = {
    .act = 1e-8, .gap = 2e-9, .sub = 8e-9, .point = 4e-4, .analytic = 1e-5, .fit = 1, .check = 2e-4};
static rates rate;
static uv_once_t once = UV_ONCE_INIT;

#define LANES 64
#define NOPS  64

/* Tries of each timing: the least is kept (a try that a busy machine interrupted, or whose core's
 * twin was busy, only takes longer). */
#define TRIES 7

/* The CPU time of `reps` rounds of ops on LANES lanes, the least of TRIES tries. */
static double time_kernel(const kernel_op *ops, uint32_t nops, uint64_t reps, double rho_star)
{
	double rho[LANES], spare[LANES];
	uint64_t key[LANES];
	double best = INFINITY;
	for (int t = 0; t < TRIES; t++) {
		for (int i = 0; i < LANES; i++) {
			rho[i] = i & 1;
			spare[i] = 0;
			key[i] = kernel_noise_key((uint64_t)i * 0x9e3779b97f4a7c15ULL + (uint64_t)t);
		}
		kernel_lanes l = {rho, spare, key, LANES};
		uint64_t draw = 0;
		double t0 = thread_cpu_s();
		kernel_run(ops, nops, reps, rho_star, &draw, &l);
		double dt = thread_cpu_s() - t0;
		if (dt < best)
			best = dt;
	}
	return best;
}

/* A sample point's synapses: CPU seconds per synapse, blocks of 32 repetitions as the engine runs them. */
static double time_point(const sim_point *sp, int blocks)
{
	uint64_t ups = 0, downs = 0;
	double best = INFINITY;
	for (int t = 0; t < TRIES; t++) {
		double t0 = thread_cpu_s();
		for (int b = 0; b < blocks; b++)
			sim_run_block(sp, 1, (uint64_t)b * 32, 32, NULL, 0, &ups, &downs);
		double dt = (thread_cpu_s() - t0) / (64.0 * blocks);
		if (dt < best)
			best = dt;
	}
	return best;
}

static double model(const rates *r, double act, double gaps, double steps)
{
	return (act * r->act + gaps * r->gap + (steps - gaps) * r->sub) * r->fit;
}

static void calibrate(void)
{
	double rho_star = 0.5;
	/* Active operations: a typical composed pair (weak contraction, some noise). */
	kernel_op ops[NOPS];
	for (int i = 0; i < NOPS; i++)
		ops[i] = (kernel_op){.A = 0.995, .B = 1e-3, .S = 0.02, .pre = 2e-3, .post = 2e-3, .times = 1};
	rate.act = time_kernel(ops, NOPS, 16, rho_star) / (16.0 * NOPS * LANES);
	/* Quiet gaps of one step, then of GAP_MAX_SUB (64) steps. */
	for (int i = 0; i < NOPS; i++) {
		ops[i] = (kernel_op){.times = 1};
		kernel_gap(&ops[i], 0.02, 1, rho_star);
	}
	rate.gap = time_kernel(ops, NOPS, 16, rho_star) / (16.0 * NOPS * LANES);
	for (int i = 0; i < NOPS / 4; i++)
		kernel_gap(&ops[i], 0.02, 64, rho_star);
	double t = time_kernel(ops, NOPS / 4, 4, rho_star) / (4.0 * (NOPS / 4) * LANES);
	rate.sub = fmax(0, (t - rate.gap) / 63);
	rate.fit = 1;
	/* What a synapse and a point cost besides: from the default set's middle point, the part of its
	 * time that the operations do not explain. */
	param_set p;
	params_defaults(&p);
	int mid = (int)p.v[P_POINTS] / 2;
	double t0 = thread_cpu_s();
	sim_point *sp = sim_point_new(&p, mid, SIM_SEGMENTS);
	rate.point = thread_cpu_s() - t0;
	if (sp) {
		double a, g, st;
		sim_point_work(sp, &a, &g, &st);
		double m = model(&rate, a, g, st);
		if (m > 0)
			rate.fit = fmin(2, fmax(0.5, time_point(sp, 8) / m));
		sim_point_free(sp);
	}
	/* The analytic curve: a point of the default set. */
	analytic_point ap;
	t0 = thread_cpu_s();
	for (int i = 0; i < 64; i++)
		analytic_at(&p, params_x(&p, i % (int)p.v[P_POINTS]), &ap);
	rate.analytic = (thread_cpu_s() - t0) / 64;
	char why[256];
	t0 = thread_cpu_s();
	for (int i = 0; i < 16; i++)
		params_check_set(&p, why, sizeof why);
	rate.check = (thread_cpu_s() - t0) / 16;
}

double cost_check_cpu(void)
{
	cost_calibrate();
	return rate.check;
}

void cost_calibrate(void)
{
	uv_once(&once, calibrate);
}

/* The points a curve's estimate builds: every one up to 64, else an even sample. */
#define SAMPLE_POINTS 64

/* Work of one synapse at point i by the model with rates r; -1 when the point cannot be built. */
static double synapse_model(const param_set *p, int i, const rates *r)
{
	sim_point *sp = sim_point_new(p, i, SIM_SEGMENTS);
	if (!sp)
		return -1;
	double a, g, st;
	sim_point_work(sp, &a, &g, &st);
	sim_point_free(sp);
	return model(r, a, g, st);
}

/* Poisson trains and the step-by-step methods: each synapse's work is its own, so one synapse is
 * timed (in CPU time) on a protocol shortened to about 2 10^5 steps, then scaled back (a synapse's
 * work grows linearly with the protocol's length). */
static double synapse_sample(const param_set *p, int index, sim_method method)
{
	param_set q = *p;
	double scale = 1;
	int poisson = params_random_protocol(p);
	sim_point *sp = sim_point_new(&q, index, method);
	if (!sp)
		return -1;
	double steps = (double)sim_point_steps(sp);
	if (steps > 2e5) {
		sim_point_free(sp);
		double k = steps / 2e5;
		if (poisson) {
			double d = fmax(params_table[P_DURATION_S].min, p->v[P_DURATION_S] / k);
			scale = p->v[P_DURATION_S] / d;
			q.v[P_DURATION_S] = d;
		} else {
			double n = fmax(1, floor(p->v[P_PAIRS] / k));
			scale = p->v[P_PAIRS] / n;
			q.v[P_PAIRS] = n;
		}
		if (!(sp = sim_point_new(&q, index, method)))
			return -1;
	}
	uint64_t ups = 0, downs = 0;
	double t0 = thread_cpu_s();
	int rc = sim_run_block(sp, (uint64_t)p->v[P_SEED], 0, 8, NULL, 0, &ups, &downs);
	double per = (thread_cpu_s() - t0) / 16;
	sim_point_free(sp);
	return rc < 0 ? -1 : per * scale;
}

static int modelled(const param_set *p, sim_method method)
{
	return method == SIM_SEGMENTS && !params_random_protocol(p);
}

double cost_curve_cpu(const param_set *p, sim_method method, int analytic)
{
	cost_calibrate();
	int n = (int)p->v[P_POINTS];
	if (analytic)
		return n * rate.analytic;
	double reps = p->v[P_REPS];
	double sum = 0;
	int used = 0;
	if (modelled(p, method)) {
		int step = n > SAMPLE_POINTS ? (n + SAMPLE_POINTS - 1) / SAMPLE_POINTS : 1;
		for (int i = 0; i < n; i += step, used++) {
			double s = synapse_model(p, i, &rate);
			if (s < 0)
				return -1;
			sum += s;
		}
	} else {
		int idx[3] = {0, n / 2, n - 1};
		for (int k = 0; k < 3; k++, used++) {
			double s = synapse_sample(p, idx[k], method);
			if (s < 0)
				return -1;
			sum += s;
		}
	}
	return sum / used * 2 * reps * n + n * rate.point;
}

int cost_curve_below(const param_set *p, sim_method method, int analytic, double cpu_s)
{
	int n = (int)p->v[P_POINTS];
	if (analytic)
		return n * bound.analytic < cpu_s;
	double syn;
	if (modelled(p, method)) {
		/* The middle point, and the end points' drift: the curve's points differ by their timing
		 * alone, which moves work between active runs and gaps; twice the middle bounds them. */
		syn = synapse_model(p, n / 2, &bound);
		if (syn < 0)
			return 0;
		syn *= 2;
	} else {
		sim_point *sp = sim_point_new(p, n / 2, method);
		if (!sp)
			return 0;
		/* Every step an active one: a generous bound for the step-by-step methods and trains. */
		syn = (double)sim_point_steps(sp) * 1e-8;
		if (params_random_protocol(p))
			syn *= 2;
		sim_point_free(sp);
	}
	return syn * 2 * p->v[P_REPS] * n + n * bound.point < cpu_s;
}

void cost_describe(char *buf, size_t len)
{
	cost_calibrate();
	snprintf(buf, len,
	         "%.3g ns per active operation, %.3g per gap, %.3g per further gap step, x%.3g for the "
	         "rest; %.3g us per point, %.3g us per analytic point, %.3g us per check",
	         rate.act * 1e9, rate.gap * 1e9, rate.sub * 1e9, rate.fit, rate.point * 1e6,
	         rate.analytic * 1e6, rate.check * 1e6);
}

double cost_wall_s(double cpu_s, int threads)
{
	unsigned cpus = uv_available_parallelism();
	int par = threads < 1 ? 1 : threads;
	if (cpus > 0 && (unsigned)par > cpus)
		par = (int)cpus;
	return cpu_s / par;
}
