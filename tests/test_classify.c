/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Curve classes: made-up curves of every shape, the tolerance, intervals, and the paper's six Fig. 2
 * sets, which must classify as their names (DPD' as DPD, D' as D) from the analytic curve and from a
 * simulation through the engine. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analytic.h"
#include "batch.h"
#include "classify.h"
#include "paper_sets.h"
#include "tap.h"

static const char *shape(const double *c, int n, double tol)
{
	static classify_result r;
	double x[64];
	for (int i = 0; i < n; i++)
		x[i] = i;
	classify_curve(x, c, NULL, NULL, n, tol, &r);
	return r.name;
}

static void made_up_curves(void)
{
	const double flat[] = {1.0, 1.005, 0.995, 1.0};
	const double d[] = {1.0, 0.9, 0.8, 0.95, 1.0};
	const double p[] = {1.0, 1.2, 1.0};
	const double dp[] = {0.9, 0.8, 1.0, 1.3, 1.1};
	const double pd[] = {1.3, 1.0, 0.7};
	const double dpd[] = {0.9, 1.0, 1.2, 1.0, 0.9};
	const double pdp[] = {1.2, 0.8, 1.2};
	const double dpdp[] = {0.8, 1.2, 0.8, 1.2};
	is_str(shape(flat, 4, CLASSIFY_TOLERANCE), "flat", "within the tolerance everywhere: flat");
	is_str(shape(d, 5, CLASSIFY_TOLERANCE), "D", "depression only: D");
	is_str(shape(p, 3, CLASSIFY_TOLERANCE), "P", "potentiation only: P");
	is_str(shape(dp, 5, CLASSIFY_TOLERANCE), "DP", "depression then potentiation: DP");
	is_str(shape(pd, 3, CLASSIFY_TOLERANCE), "PD", "potentiation then depression: PD");
	is_str(shape(dpd, 5, CLASSIFY_TOLERANCE), "DPD", "a potentiation window between depressions: DPD");
	is_str(shape(pdp, 3, CLASSIFY_TOLERANCE), "PDP", "PDP");
	is_str(shape(dpdp, 4, CLASSIFY_TOLERANCE), "DPDP", "four alternations: DPDP");
	is_str(shape(flat, 4, 0.001), "PD", "a smaller tolerance sees the small departures of 'flat'");
	is_str(shape(dp, 5, 0.25), "P", "a larger tolerance keeps only the large departure");
	is_str(shape(p, 3, 0.2), "flat", "a departure equal to the tolerance is not beyond it");

	double zig[40], x[40];
	for (int i = 0; i < 40; i++) {
		zig[i] = i % 2 ? 1.5 : 0.5;
		x[i] = i;
	}
	classify_result r;
	classify_curve(x, zig, NULL, NULL, 40, 0.01, &r);
	ok(strlen(r.name) < CLASSIFY_MAX && r.name[strlen(r.name) - 1] == '+' &&
	       strncmp(r.name, "DPDP", 4) == 0,
	   "a class too long to write is cut and ends in '+' (%s)", r.name);

	const double c[] = {1.0, 0.95, NAN, 1.2, 1.1};
	const double xs[] = {-2, -1, 0, 1, 2};
	classify_curve(xs, c, NULL, NULL, 5, 0.01, &r);
	is_str(r.name, "DP", "a point that is not finite is skipped");
	is_near(r.change_min, 0.95, 0, "change_min");
	is_near(r.x_at_min, -1, 0, "x_at_min");
	is_near(r.change_max, 1.2, 0, "change_max");
	is_near(r.x_at_max, 1, 0, "x_at_max");

	/* Noise: 0.97 whose interval reaches 1.01 is not depression; 1.3 with a tight interval is P. */
	const double cn[] = {0.97, 1.3, 0.97};
	const double lo[] = {0.93, 1.25, 0.95};
	const double hi[] = {1.01, 1.35, 0.98};
	classify_curve(xs, cn, lo, hi, 3, 0.01, &r);
	is_str(r.name, "PD", "with intervals, a point counts only when its interval is beyond the tolerance");

	classify_curve(xs, c, NULL, NULL, 0, 0.01, &r);
	ok(strcmp(r.name, "flat") == 0 && isnan(r.change_min) && isnan(r.x_at_max),
	   "an empty curve is flat with no extremes");

	double t;
	char err[200];
	ok(classify_parse_tolerance("0.05", &t, err, sizeof err) == 0 && t == 0.05, "tolerance 0.05 parses");
	ok(classify_parse_tolerance("-0.1", &t, err, sizeof err) < 0 && strstr(err, "0 to 1"),
	   "a negative tolerance is refused with its range: %s", err);
	ok(classify_parse_tolerance("0.1x", &t, err, sizeof err) < 0, "'0.1x' is refused");
	ok(classify_parse_tolerance("nan", &t, err, sizeof err) < 0, "nan is refused");
}

/* The class each Fig. 2 set must have: its name, with the primes dropped. */
static const struct {
	const char *set, *cls;
} fig2[] = {{"DP", "DP"}, {"DPD", "DPD"}, {"P", "P"}, {"D", "D"}, {"DPDprime", "DPD"}, {"Dprime", "D"}};

static void paper_sets_analytic(void)
{
	for (size_t k = 0; k < sizeof fig2 / sizeof fig2[0]; k++) {
		param_set p;
		paper_set_params(paper_set_find(fig2[k].set), &p);
		/* The protocol's default grid (41 points), and a fine one (0.5 ms). */
		for (int pass = 0; pass < 2; pass++) {
			p.v[P_POINTS] = pass ? 401 : 41;
			int n = (int)p.v[P_POINTS];
			double x[401], c[401];
			for (int i = 0; i < n; i++) {
				analytic_point a;
				x[i] = params_x(&p, i);
				analytic_at(&p, x[i], &a);
				c[i] = a.change;
			}
			classify_result r;
			classify_curve(x, c, NULL, NULL, n, CLASSIFY_TOLERANCE, &r);
			is_str(r.name, fig2[k].cls, "Fig. 2 %s, analytic curve on %d points, is %s",
			       fig2[k].set, n, fig2[k].cls);
		}
	}
}

static void paper_sets_simulated(void)
{
	for (size_t k = 0; k < sizeof fig2 / sizeof fig2[0]; k++) {
		batch_opts o = {.threads = 2, .method = SIM_SEGMENTS};
		paper_set_params(paper_set_find(fig2[k].set), &o.p);
		o.p.v[P_REPS] = 1000;
		o.p.v[P_SEED] = 7;
		batch_row rows[41];
		char err[256];
		if (!ok(batch_compute(&o, rows, err, sizeof err) == 0, "simulate %s", fig2[k].set)) {
			tap_diag("%s", err);
			continue;
		}
		double x[41], c[41], lo[41], hi[41];
		for (int i = 0; i < 41; i++) {
			x[i] = rows[i].dt_ms;
			c[i] = rows[i].change;
			lo[i] = rows[i].change_lo;
			hi[i] = rows[i].change_hi;
		}
		classify_result r;
		classify_curve(x, c, lo, hi, 41, CLASSIFY_TOLERANCE, &r);
		is_str(r.name, fig2[k].cls, "Fig. 2 %s, simulated (1000 repetitions), is %s", fig2[k].set,
		       fig2[k].cls);
	}
}

int main(void)
{
	made_up_curves();
	paper_sets_analytic();
	paper_sets_simulated();
	return tap_done();
}
