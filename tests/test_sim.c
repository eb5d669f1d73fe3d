/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Monte Carlo against the model: the analytic curve and the authors' stochastic values within
 * sampling error, the fast paths against the plain reference, and per-synapse determinism. */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytic.h"
#include "readout.h"
#include "sim.h"
#include "paper_sets.h"
#include "tap.h"
#include <uv.h>

typedef struct counts {
	uint64_t n, ups, downs;
} counts;

static counts run(const param_set *p, int i, sim_method m, uint64_t seed, uint64_t reps)
{
	counts c = {reps, 0, 0};
	sim_point *sp = sim_point_new(p, i, m);
	sim_run_block(sp, seed, 0, (uint32_t)reps, NULL, 0, &c.ups, &c.downs);
	sim_point_free(sp);
	return c;
}

/* Standard error of the change from binomial U and D. */
static double change_se(const param_set *p, double U, double D, uint64_t n)
{
	double beta = p->v[P_BETA], b = p->v[P_B], norm = beta + (1 - beta) * b;
	double cu = beta * (b - 1) / norm, cd = (1 - beta) * (b - 1) / norm;
	return sqrt(cu * cu * U * (1 - U) / n + cd * cd * D * (1 - D) / n);
}

/* Two binomial estimates agree: |a - b| < 4 SE of the difference + 0.01. */
static int agree(uint64_t ka, uint64_t kb, uint64_t n, double *diff, double *tol)
{
	double a = (double)ka / n, b = (double)kb / n;
	*diff = fabs(a - b);
	*tol = 4 * sqrt((a * (1 - a) + b * (1 - b)) / n) + 0.01;
	return *diff < *tol;
}

/* sim_trajectory: every sample written, in time order, ending where sim_synapse ends (pairs: one
 * sample per operation, 2 per pair; Poisson: thinned to the cap). */
static void trajectories(const param_set *p)
{
	param_set q = *p;
	enum { CAP = 300 };
	double t[CAP], r[CAP];
	for (int poisson = 0; poisson < 2; poisson++) {
		if (poisson) {
			q.v[P_PROTOCOL] = PROTO_POISSON;
			q.v[P_POINTS] = 1;
			q.v[P_RATE_POST_MIN_HZ] = q.v[P_RATE_POST_MAX_HZ] = 10;
		}
		sim_point *sp = sim_point_new(&q, poisson ? 0 : 22, SIM_SEGMENTS);
		for (int state = 0; state < 2; state++) {
			for (int i = 0; i < CAP; i++)
				t[i] = r[i] = NAN;
			int n = sim_trajectory(sp, 3, state, 4, t, r, CAP);
			int written = 1, ordered = 1;
			for (int i = 0; i < n; i++)
				written &= isfinite(t[i]) && isfinite(r[i]);
			for (int i = 1; i < n; i++)
				ordered &= t[i] > t[i - 1];
			double run_s = (double)sim_point_steps(sp) * q.v[P_STEP_MS] * 1e-3;
			double end = sim_synapse(sp, 3, state, 4);
			ok(n > 100 && n <= CAP && written && ordered && t[0] == 0 && r[0] == state,
			   "%s from %s: %d samples, all written (sample 1 at %.3f s), in time order from (0, "
			   "%d)",
			   poisson ? "poisson" : "pairs +10 ms", state ? "UP" : "DOWN", n, t[1], state);
			ok(r[n - 1] == end && fabs(t[n - 1] - run_s) < 1e-9 * run_s,
			   "  the last sample is sim_synapse's rho (%.9f) at the end of the run (%.3f s)",
			   end, run_s);
		}
		ok(sim_trajectory(sp, 3, 0, 4, t, r, 2) == 0, "fewer than 3 samples are refused");
		sim_point_free(sp);
	}
}

/* A stop request is seen inside a synapse's run, whatever the parameters: a Poisson synapse of
 * 10^9 steps (calcium above threshold throughout), and the reference integrator walking the 6 * 10^7
 * steps of the seed's run at 0.001 ms. */
typedef struct stopper {
	atomic_uint *flag;
	double delay_s;
	uint64_t at; /* when the flag changed (uv_hrtime) */
} stopper;

static void stop_later(void *arg)
{
	stopper *s = arg;
	uv_sleep((unsigned)(s->delay_s * 1e3));
	s->at = uv_hrtime();
	atomic_store(s->flag, 2);
}

static void stop_inside_a_synapse(void)
{
	param_set q;
	params_defaults(&q);
	for (int k = 0; k < 2; k++) {
		if (k == 0) {
			q.v[P_PROTOCOL] = PROTO_POISSON;
			q.v[P_DURATION_S] = 1000;
			q.v[P_RATE_PRE_HZ] = 100;
			q.v[P_RATE_POST_MIN_HZ] = 90;
			q.v[P_RATE_POST_MAX_HZ] = 100;
			q.v[P_TAU_CA_MS] = 500;
		} else {
			params_defaults(&q);
		}
		q.v[P_STEP_MS] = 0.001;
		sim_point *sp = sim_point_new(&q, 0, k ? SIM_REFERENCE : SIM_SEGMENTS);
		atomic_uint flag;
		atomic_init(&flag, 1);
		stopper st = {&flag, 0.02, 0};
		uv_thread_t th;
		uv_thread_create(&th, stop_later, &st);
		uint64_t u = 0, d = 0;
		int rc = sp ? sim_run_block(sp, 1, 0, 4, &flag, 1, &u, &d) : -2;
		uint64_t back = uv_hrtime();
		uv_thread_join(&th);
		double ms = (double)(back - st.at) * 1e-6;
		/* The limit leaves room for a loaded machine; the work between two looks at the flag is
		 * a fraction of a millisecond. */
		ok(rc == 1 && ms < 50 && u == 0 && d == 0,
		   "%s at 0.001 ms steps: stopped 20 ms in, it returns %.2f ms after the request, counting "
		   "nothing",
		   k ? "reference, 60 pairs" : "poisson, 1000 s", ms);
		sim_point_free(sp);
	}
}

/* The fast kernel against the step-by-step Euler-Maruyama integrator at 100,000 repetitions:
 * U, D, and the mean and variance of the final rho, as z-scores of their differences. A short strong
 * protocol (10 pairs at 5 Hz, stronger drive and noise, 0.5 ms steps) keeps the stepwise walk cheap. */
static void against_stepwise(const param_set *p)
{
	param_set q = *p;
	q.v[P_PAIRS] = 10;
	q.v[P_FREQ_HZ] = 5;
	q.v[P_GAMMA_P] = 321.808 * 4;
	q.v[P_GAMMA_D] = 200 * 4;
	q.v[P_TAU_S] = 150 / 4.0;
	q.v[P_SIGMA] = 2.8284 / 2;
	q.v[P_STEP_MS] = 0.5;
	q.v[P_DELAY_MS] = 14;
	const uint64_t n = 100000;
	static const double dts[] = {-20, 5, 15};
	double worst = 0, sumz2 = 0;
	int tests = 0;
	for (size_t k = 0; k < sizeof dts / sizeof dts[0]; k++) {
		q.v[P_POINTS] = 1;
		q.v[P_DT_MIN_MS] = q.v[P_DT_MAX_MS] = dts[k];
		sim_point *a = sim_point_new(&q, 0, SIM_SEGMENTS), *b = sim_point_new(&q, 0, SIM_STEPWISE);
		uint64_t ua = 0, da = 0, ub = 0, db = 0;
		sim_run_block(a, 31, 0, (uint32_t)n, NULL, 0, &ua, &da);
		sim_run_block(b, 32, 0, (uint32_t)n, NULL, 0, &ub, &db);
		/* Moments of rho from DOWN on 20,000 synapses of each. */
		const int m = 20000;
		double sa = 0, sa2 = 0, sb = 0, sb2 = 0;
		for (int i = 0; i < m; i++) {
			double x = sim_synapse(a, 33, 0, (uint64_t)i), y = sim_synapse(b, 34, 0, (uint64_t)i);
			sa += x, sa2 += x * x, sb += y, sb2 += y * y;
		}
		double ma = sa / m, mb = sb / m, va = sa2 / m - ma * ma, vb = sb2 / m - mb * mb;
		double Ua = (double)ua / n, Ub = (double)ub / n, Da = (double)da / n, Db = (double)db / n;
		double z[4] = {
		    (Ua - Ub) / sqrt((Ua * (1 - Ua) + Ub * (1 - Ub)) / n + 1e-300),
		    (Da - Db) / sqrt((Da * (1 - Da) + Db * (1 - Db)) / n + 1e-300),
		    (ma - mb) / sqrt((va + vb) / m),
		    /* The variance's SE from the fourth moment is not at hand: 2 sigma^4 / m (Gaussian). */
		    (va - vb) / sqrt(2 * (va * va + vb * vb) / m),
		};
		for (int i = 0; i < 4; i++) {
			worst = fmax(worst, fabs(z[i]));
			sumz2 += z[i] * z[i];
			tests++;
		}
		tap_diag(
		    "dt %+g ms: U %.4f vs %.4f (z %+.2f), D %.4f vs %.4f (z %+.2f), mean rho %.5f vs %.5f "
		    "(z %+.2f), variance %.5f vs %.5f (z %+.2f)",
		    dts[k], Ua, Ub, z[0], Da, Db, z[1], ma, mb, z[2], va, vb, z[3]);
		ok(fabs(z[0]) < 4.5 && fabs(z[1]) < 4.5 && fabs(z[2]) < 4.5 && fabs(z[3]) < 4.5,
		   "dt %+g ms, 100,000 repetitions: segments kernel and stepwise agree (U %.4f/%.4f, D "
		   "%.4f/%.4f)",
		   dts[k], Ua, Ub, Da, Db);
		sim_point_free(a);
		sim_point_free(b);
	}
	ok(sumz2 < tests + 5 * sqrt(2.0 * tests) + 10,
	   "sum of z^2 over the %d comparisons: %.1f (expected about %d; largest |z| %.2f)", tests, sumz2,
	   tests, worst);
}

int main(void)
{
	param_set p;
	params_defaults(&p);

	/* 1. The seed's figure, 1000 repetitions, against the analytic curve at all 41 points. */
	int worst_i = 0;
	double worst = 0;
	int bad = 0;
	for (int i = 0; i < 41; i++) {
		counts c = run(&p, i, SIM_SEGMENTS, 1, 1000);
		readout r;
		readout_from_counts(c.n, c.ups, c.downs, p.v[P_BETA], p.v[P_B], &r);
		analytic_point a;
		analytic_pair(&p, params_dt_ms(&p, i), &a);
		double se = change_se(&p, r.U, r.D, c.n), z = fabs(r.change - a.change) / (4 * se + 0.01);
		if (z >= 1) {
			bad++;
			tap_diag("dt %g: simulated %.4f, analytic %.4f, 4 SE + 0.01 = %.4f",
			         params_dt_ms(&p, i), r.change, a.change, 4 * se + 0.01);
		}
		if (z > worst) {
			worst = z;
			worst_i = i;
		}
	}
	ok(bad == 0,
	   "DP, 1000 repetitions: all 41 points within 4 SE + 0.01 of the analytic curve "
	   "(worst at %g ms: %.2f of the tolerance)",
	   params_dt_ms(&p, worst_i), worst);

	/* 2. The authors' stochastic values (their C++, 1000 runs per state, SE about 0.02). */
	static const double ref[][2] = {{-100, 0.980667}, {-25, 0.719333}, {-20, 0.76}, {0, 0.994},
	                                {5, 1.23667},     {10, 1.22733},   {20, 1.188}, {50, 1.04}};
	for (size_t k = 0; k < sizeof ref / sizeof ref[0]; k++) {
		int i = (int)lround((ref[k][0] + 100) / 5);
		counts c = run(&p, i, SIM_SEGMENTS, 7, 1000);
		readout r;
		readout_from_counts(c.n, c.ups, c.downs, p.v[P_BETA], p.v[P_B], &r);
		double se = change_se(&p, r.U, r.D, c.n);
		double tol = 4 * sqrt(se * se + 0.02 * 0.02);
		is_near(r.change, ref[k][1], tol, "DP %+g ms: the authors' stochastic value %.4f within 4 SE",
		        ref[k][0], ref[k][1]);
	}

	/* 3. Without noise the integrators are deterministic: the composed segments and the stepwise
	 * gaps must follow the plain step-by-step path over the whole run: stepwise to 1e-6, segments to
	 * 5e-6 (the active runs of a pair are composed into one operation across threshold states, the
	 * cubic drift split around it: about 1e-6 in rho after 60 pairs, four orders below the noise's
	 * spread over one pair; the 100,000-repetition comparison below sees no difference). */
	param_set q = p;
	q.v[P_SIGMA] = 0;
	q.v[P_RHO_STAR] = 0.4; /* asymmetric, so that the cubic drift matters */
	int idx[] = {0, 16, 20, 21, 22, 30, 40};
	for (size_t k = 0; k < sizeof idx / sizeof idx[0]; k++) {
		for (int state = 0; state < 2; state++) {
			sim_point *a = sim_point_new(&q, idx[k], SIM_SEGMENTS);
			sim_point *b = sim_point_new(&q, idx[k], SIM_STEPWISE);
			sim_point *c = sim_point_new(&q, idx[k], SIM_REFERENCE);
			double ra = sim_synapse(a, 1, state, 0), rb = sim_synapse(b, 1, state, 0);
			double rc = sim_synapse(c, 1, state, 0);
			ok(fabs(ra - rc) < 5e-6 && fabs(rb - rc) < 1e-6,
			   "sigma 0, dt %+g ms, from %s: segments %.9f, stepwise %.9f, reference %.9f",
			   params_dt_ms(&q, idx[k]), state ? "UP" : "DOWN", ra, rb, rc);
			sim_point_free(a);
			sim_point_free(b);
			sim_point_free(c);
		}
	}

	/* 4. With noise, at every dt: the fast paths against the reference (10 pairs keep the reference's
	 * every-step walk short), U and D within 4 SE of the difference + 0.01. */
	q = p;
	q.v[P_PAIRS] = 10;
	q.v[P_FREQ_HZ] = 5;           /* short quiet gaps: the reference walks every step of them */
	q.v[P_GAMMA_P] = 321.808 * 4; /* stronger drive: switching within 10 pairs */
	q.v[P_GAMMA_D] = 200 * 4;
	q.v[P_TAU_S] = 150 / 4.0;
	q.v[P_SIGMA] = 2.8284 / 2;
	const uint64_t n = 300;
	int fails_seg = 0, fails_step = 0;
	double mean_seg = 0, mean_ref = 0, sq_seg = 0, sq_ref = 0;
	for (int i = 0; i < 41; i++) {
		counts s = run(&q, i, SIM_SEGMENTS, 3, n), w = run(&q, i, SIM_STEPWISE, 4, n);
		counts r = run(&q, i, SIM_REFERENCE, 5, n);
		double d1, t1, d2, t2, d3, t3, d4, t4;
		int a1 = agree(s.ups, r.ups, n, &d1, &t1), a2 = agree(s.downs, r.downs, n, &d2, &t2);
		int a3 = agree(w.ups, r.ups, n, &d3, &t3), a4 = agree(w.downs, r.downs, n, &d4, &t4);
		if (!a1 || !a2) {
			fails_seg++;
			tap_diag("dt %g: segments U %.3f D %.3f, reference U %.3f D %.3f",
			         params_dt_ms(&q, i), (double)s.ups / n, (double)s.downs / n,
			         (double)r.ups / n, (double)r.downs / n);
		}
		if (!a3 || !a4) {
			fails_step++;
			tap_diag("dt %g: stepwise U %.3f D %.3f, reference U %.3f D %.3f",
			         params_dt_ms(&q, i), (double)w.ups / n, (double)w.downs / n,
			         (double)r.ups / n, (double)r.downs / n);
		}
		if (i == 22) {
			/* The distribution of rho itself, not only its side of rho_star. */
			sim_point *a = sim_point_new(&q, i, SIM_SEGMENTS),
			          *b = sim_point_new(&q, i, SIM_REFERENCE);
			for (uint64_t k = 0; k < 2 * n; k++) {
				double x = sim_synapse(a, 11, 0, k), y = sim_synapse(b, 12, 0, k);
				mean_seg += x;
				sq_seg += x * x;
				mean_ref += y;
				sq_ref += y * y;
			}
			sim_point_free(a);
			sim_point_free(b);
		}
	}
	ok(fails_seg == 0, "segments agree with the reference at all 41 dt (U and D, 300 repetitions)");
	ok(fails_step == 0, "stepwise agrees with the reference at all 41 dt (U and D, 300 repetitions)");
	double m = 2.0 * n;
	mean_seg /= m, mean_ref /= m;
	double var_seg = sq_seg / m - mean_seg * mean_seg, var_ref = sq_ref / m - mean_ref * mean_ref;
	is_near(mean_seg, mean_ref, 4 * sqrt((var_seg + var_ref) / m),
	        "dt +10 ms from DOWN: mean final rho, segments vs reference");
	ok(fabs(var_seg / var_ref - 1) < 0.35,
	   "dt +10 ms from DOWN: variance of final rho, segments %.4f vs "
	   "reference %.4f",
	   var_seg, var_ref);

	/* 5. The paper's other experiments against their analytic curves, 1000 repetitions. */
	static const struct {
		const char *set;
		int protocol, pairs;
		double fixed_dt, x;
	} other[] = {
	    {"hippocampal-slices", PROTO_BURST, 100, 0, -25},
	    {"hippocampal-slices", PROTO_BURST, 100, 0, 0},
	    {"hippocampal-slices", PROTO_BURST, 100, 0, 20},
	    {"hippocampal-slices", PROTO_BURST, 100, 0, 30},
	    {"hippocampal-slices", PROTO_PAIRS, 200, 0, 20},
	    {"cortical-slices", PROTO_FREQUENCY, 75, 10, 1},
	    {"cortical-slices", PROTO_FREQUENCY, 75, 10, 20},
	    {"cortical-slices", PROTO_FREQUENCY, 75, 10, 40},
	    {"cortical-slices", PROTO_FREQUENCY, 75, -10, 10},
	    {"cortical-slices", PROTO_FREQUENCY, 75, -10, 30},
	    {"cortical-slices", PROTO_FREQUENCY, 75, -10, 50},
	    {"DP", PROTO_POISSON, 60, 0, 5},
	    {"DP", PROTO_POISSON, 60, 0, 20},
	};
	for (size_t k = 0; k < sizeof other / sizeof other[0]; k++) {
		param_set q2;
		paper_set_params(paper_set_find(other[k].set), &q2);
		q2.v[P_PROTOCOL] = other[k].protocol;
		q2.v[P_PAIRS] = other[k].pairs;
		q2.v[P_FIXED_DT_MS] = other[k].fixed_dt;
		/* One point whose x is the one wanted. */
		q2.v[P_POINTS] = 1;
		q2.v[P_DT_MIN_MS] = q2.v[P_DT_MAX_MS] = other[k].x;
		q2.v[P_FREQ_MIN_HZ] = q2.v[P_FREQ_MAX_HZ] = other[k].x;
		q2.v[P_RATE_POST_MIN_HZ] = q2.v[P_RATE_POST_MAX_HZ] = other[k].x;
		counts c = run(&q2, 0, SIM_SEGMENTS, 21, 1000);
		readout r;
		readout_from_counts(c.n, c.ups, c.downs, q2.v[P_BETA], q2.v[P_B], &r);
		analytic_point a;
		analytic_at(&q2, params_x(&q2, 0), &a);
		double se = change_se(&q2, r.U, r.D, c.n);
		is_near(r.change, a.change, 4 * se + 0.01,
		        "%s, %s, x = %g%s: simulation within 4 SE + 0.01 of analytic", other[k].set,
		        params_table[P_PROTOCOL].names[other[k].protocol], other[k].x,
		        other[k].protocol == PROTO_FREQUENCY
		            ? (other[k].fixed_dt > 0 ? " Hz, +10 ms" : " Hz, -10 ms")
		            : "");
	}

	/* 6. A synapse's result depends only on its key: any split into blocks gives the same counts. */
	sim_point *sp = sim_point_new(&p, 21, SIM_SEGMENTS);
	uint64_t u1 = 0, d1 = 0, u2 = 0, d2 = 0;
	sim_run_block(sp, 9, 0, 100, NULL, 0, &u1, &d1);
	sim_run_block(sp, 9, 0, 37, NULL, 0, &u2, &d2);
	sim_run_block(sp, 9, 37, 63, NULL, 0, &u2, &d2);
	ok(u1 == u2 && d1 == d2, "blocks 0-99 and 0-36 + 37-99 give the same counts (%llu/%llu)",
	   (unsigned long long)u1, (unsigned long long)d1);
	ok(sim_synapse(sp, 9, 0, 5) == sim_synapse(sp, 9, 0, 5), "one synapse, one result");
	ok(sim_synapse(sp, 9, 0, 5) != sim_synapse(sp, 10, 0, 5), "another seed, another path");
	/* A stop request is honoured. */
	atomic_uint stop;
	atomic_init(&stop, 2);
	uint64_t u3 = 0, d3 = 0;
	ok(sim_run_block(sp, 9, 0, 100, &stop, 1, &u3, &d3) == 1 && u3 == 0 && d3 == 0,
	   "a block stops at once when its generation is stale, counting nothing");
	sim_point_free(sp);

	trajectories(&p);
	stop_inside_a_synapse();
	against_stepwise(&p);
	return tap_done();
}
