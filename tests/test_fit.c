/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fitting: synthetic data from the program's own analytic curve plus noise are recovered within the
 * reported intervals for most seeds (the intervals' coverage, for three sets of parameters); the
 * global minimum is found from far starts; the paper's data are fitted at least as well as the paper's
 * set; the profile intervals end where chi^2 re-minimised rises by 3.84; what the data cannot pin down
 * is said; bad requests and data that give no finite chi^2 are refused; a fit can be stopped.
 * Usage: test_fit [DATA_DIR] (default $CALCIUM_STDP_DATA, then "data"). */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytic.h"
#include "datafile.h"
#include "fit.h"
#include "paper_sets.h"
#include "tap.h"

static char data_dir[512];

static void cortical_slices(param_set *p)
{
	for (int i = 0; i < PAPER_SETS; i++)
		if (strcmp(paper_sets[i].name, "cortical-slices") == 0)
			paper_set_params(&paper_sets[i], p);
}

/* Rows at these (frequency, dt) points with the given sem; change filled in by the caller. */
static void make_rows(datafile *d, int n)
{
	memset(d, 0, sizeof *d);
	d->rows = calloc((size_t)n, sizeof *d->rows);
	d->n = n;
	d->path = d->name = d->source = NULL;
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < P_COUNT; k++)
			d->rows[i].v[k] = NAN;
		d->rows[i].line = i + 2;
	}
}

/* The synthetic design: dt from -40 to +40 ms at 1 Hz and +-10 ms at 10 to 50 Hz, sem 0.04. */
#define SYN_ROWS 19
static void synthetic(datafile *d, const param_set *truth, gsl_rng *r)
{
	make_rows(d, SYN_ROWS);
	int i = 0;
	for (int dt = -40; dt <= 40; dt += 10, i++) {
		d->rows[i].dt_ms = dt;
		d->rows[i].v[P_FREQ_HZ] = 1;
	}
	for (int f = 10; f <= 50; f += 10)
		for (int s = -1; s <= 1; s += 2, i++) {
			d->rows[i].dt_ms = 10 * s;
			d->rows[i].v[P_FREQ_HZ] = f;
		}
	for (i = 0; i < d->n; i++) {
		d->rows[i].sem = 0.04;
		d->rows[i].change = 1; /* placeholder so that datafile_row_analytic sees a valid row */
		double y = datafile_row_analytic(d, i, truth);
		d->rows[i].change = y + (r ? gsl_ran_gaussian(r, 0.04) : 0);
	}
}

/* Coverage: each parameter's interval holds the truth for about 95% of synthetic data sets. */
static void coverage(const int *ids, int n, const double *far, int seeds, int min_each)
{
	param_set truth, start;
	cortical_slices(&truth);
	start = truth;
	for (int k = 0; k < n; k++)
		start.v[ids[k]] = far[k];
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	int each[FIT_MAX] = {0}, failed = 0;
	char names[128] = "";
	for (int k = 0; k < n; k++)
		snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", k ? "," : "",
		         params_table[ids[k]].name);
	for (int s = 1; s <= seeds; s++) {
		gsl_rng_set(r, (unsigned long)s);
		datafile d;
		synthetic(&d, &truth, r);
		fit_result res;
		char err[256];
		if (fit_run(&d, 1, &start, ids, n, NULL, &res, err, sizeof err) != 0) {
			failed++;
			free(d.rows);
			continue;
		}
		for (int k = 0; k < n; k++) {
			double t = truth.v[ids[k]];
			each[k] += res.est[k].lo <= t && t <= res.est[k].hi;
		}
		free(d.rows);
	}
	gsl_rng_free(r);
	ok(failed == 0, "(%s) every synthetic fit runs", names);
	/* 95% intervals: each should cover about 0.95 seeds; the bound allows sampling error. */
	for (int k = 0; k < n; k++)
		ok(each[k] >= min_each, "(%s) %s inside its interval for %d of %d seeds (at least %d)", names,
		   params_table[ids[k]].name, each[k], seeds, min_each);
}

static void recovery(void)
{
	param_set truth, start;
	cortical_slices(&truth);
	int ids[3] = {P_GAMMA_D, P_GAMMA_P, P_THETA_P};
	start = truth;
	start.v[P_GAMMA_D] = 200;
	start.v[P_GAMMA_P] = 500;
	start.v[P_THETA_P] = 1.5;
	/* 40 seeds (CALCIUM_STDP_COVERAGE_SEEDS for more: bench/fit-coverage.sh runs 200): each parameter
	 * covered about 0.95 seeds; the bound is 2.5 binomial sd below (34 of 40). */
	const char *env = getenv("CALCIUM_STDP_COVERAGE_SEEDS");
	int seeds = env && atoi(env) > 0 ? atoi(env) : 40;
	int min_each = (int)floor(0.95 * seeds - 2.5 * sqrt(seeds * 0.95 * 0.05));
	coverage(ids, 3, (double[]){200, 500, 1.5}, seeds, min_each);
	coverage((int[]){P_GAMMA_D, P_GAMMA_P}, 2, (double[]){20, 3000}, seeds, min_each);
	coverage((int[]){P_THETA_D, P_THETA_P}, 2, (double[]){0.3, 4}, seeds, min_each);

	/* Without noise the fit lands on the truth. */
	datafile d;
	synthetic(&d, &truth, NULL);
	fit_result res;
	char err[256];
	int rc = fit_run(&d, 1, &start, ids, 3, NULL, &res, err, sizeof err);
	ok(rc == 0 && res.chi2 < 1e-8, "noise-free data: chi^2 %g, nearly 0", rc == 0 ? res.chi2 : NAN);
	if (rc == 0)
		for (int k = 0; k < 3; k++)
			is_near(res.est[k].value, truth.v[ids[k]], 1e-3 * truth.v[ids[k]],
			        "noise-free: %s recovered", params_table[ids[k]].name);
	free(d.rows);
}

/* The chi-square survival function for odd degrees of freedom in closed form (Abramowitz & Stegun
 * 26.4.4), to check the p-value without GSL. */
static double chisq_q_odd(double x, int k)
{
	double term = sqrt(2 * x / M_PI) * exp(-x / 2), sum = 0;
	for (int j = 1; j <= (k - 1) / 2; j++) {
		sum += term;
		term *= x / (2 * j + 1);
	}
	return erfc(sqrt(x / 2)) + sum;
}

static int progress_calls;
static double last_fraction;

static void count_progress(void *ctx, double fraction)
{
	(void)ctx;
	progress_calls++;
	last_fraction = fraction;
}

static int cancel_after_10(void *ctx)
{
	return ++*(int *)ctx > 10;
}

static void paper_data(void)
{
	char path[700], err[1024];
	snprintf(path, sizeof path, "%s/sjostrom2001-frequency.csv", data_dir);
	datafile d;
	if (!ok(datafile_load(path, &d, err, sizeof err) == 0, "the Sjostrom data load (%s)", err))
		return;
	param_set p;
	cortical_slices(&p);
	p.v[P_PROTOCOL] = PROTO_FREQUENCY;
	int ids[FIT_MAX];
	int n = fit_parse_names("gamma_d,gamma_p,theta_p", ids, err, sizeof err);
	ok(n == 3 && ids[0] == P_GAMMA_D && ids[2] == P_THETA_P, "the names parse in order");
	progress_calls = 0;
	fit_control c = {.progress = count_progress};
	fit_result r;
	int rc = fit_run(&d, 1, &p, ids, n, &c, &r, err, sizeof err);
	if (!ok(rc == 0, "the fit runs (%s)", rc ? err : ""))
		return;
	is_near(r.chi2_start, 5.19, 0.01, "chi^2 before: the paper's 5.19");
	ok(r.chi2 <= r.chi2_start, "chi^2 after %.4f is no worse than the paper's %.4f", r.chi2,
	   r.chi2_start);
	is_near(datafile_chi2(&d, &r.set), r.chi2, 1e-12, "the fitted set scores the reported chi^2");
	ok(r.rows == 10 && r.dof == 7, "10 rows, 7 degrees of freedom");
	is_near(r.p_value, chisq_q_odd(r.chi2, 7), 1e-9, "the p-value is P(chi^2_7 > chi^2)");
	ok(progress_calls > 3 && last_fraction == 1 && r.starts > 10,
	   "progress reported %d times, ending at 1; %d local searches", progress_calls, r.starts);
	for (int k = 0; k < 3; k++) {
		const fit_estimate *e = &r.est[k];
		ok(e->lo < e->value && e->value < e->hi && e->se > 0 && !e->limit && !e->flat,
		   "%s %.5g inside its interval [%.5g, %.5g], inside the range", params_table[e->id].name,
		   e->value, e->lo, e->hi);
		/* Each end of a profile interval: the other two re-minimised there give the minimum + 3.84.
		 */
		double ends[2] = {e->lo, e->hi};
		for (int side = 0; side < 2; side++) {
			param_set q = r.set;
			q.v[e->id] = ends[side];
			int others[2], m = 0;
			for (int j = 0; j < 3; j++)
				if (j != k)
					others[m++] = r.est[j].id;
			fit_result pr;
			char e2[256];
			int prc = fit_run(&d, 1, &q, others, 2, NULL, &pr, e2, sizeof e2);
			ok(prc == 0 && fabs(pr.chi2 - (r.chi2 + 3.841458820694124)) < 0.02,
			   "%s at its %s end %.5g: chi^2 re-minimised %.4f = %.4f + 3.84",
			   params_table[e->id].name, side ? "upper" : "lower", ends[side],
			   prc == 0 ? pr.chi2 : NAN, r.chi2);
		}
	}
	ok(r.set.v[P_TAU_CA_MS] == p.v[P_TAU_CA_MS] && r.set.v[P_PROTOCOL] == PROTO_FREQUENCY,
	   "parameters not fitted are left as they were");
	char text[2048];
	fit_format(&r, text, sizeof text);
	ok(strstr(text, "chi^2 5.195 before") && strstr(text, "7 degrees of freedom") &&
	       strstr(text, "gamma_p"),
	   "the report says chi^2 before and after, dof and every parameter");

	/* C_post and its dendritic scale act only through their product: the data fix only that. */
	n = fit_parse_names("c_post,c_post_scale", ids, err, sizeof err);
	p.v[P_C_POST_SCALE] = 0.8;
	rc = fit_run(&d, 1, &p, ids, n, NULL, &r, err, sizeof err);
	ok(rc == 0 && r.est[0].corr_with == 1 && r.est[1].corr_with == 0 && r.est[1].limit,
	   "c_post with c_post_scale: each strongly correlated with the other, c_post_scale's interval "
	   "reaches the range limit");
	if (rc == 0) {
		fit_format(&r, text, sizeof text);
		ok(strstr(text, "strongly correlated with c_post_scale (r = ") != NULL &&
		       strstr(text, "reaches the range limit") != NULL && !strstr(text, "not pinned down"),
		   "... and the report says so:\n%s", text);
	}

	/* A stop request ends the fit. */
	int polls = 0;
	fit_control stop = {.cancelled = cancel_after_10, .ctx = &polls};
	ok(fit_run(&d, 1, &p, ids, n, &stop, &r, err, sizeof err) == 1 && polls == 11,
	   "a cancelled fit stops at the next poll (%d) and reports nothing", polls);

	/* Three rows cannot fit three parameters. */
	d.n = 3;
	n = fit_parse_names("gamma_d,gamma_p,theta_p", ids, err, sizeof err);
	rc = fit_run(&d, 1, &p, ids, n, NULL, &r, err, sizeof err);
	ok(rc == -1, "3 rows, 3 parameters: refused");
	is_str(err, "3 data rows cannot fit 3 parameters: it takes at least 4 rows", "... saying why");
	d.n = 10;
	p.v[P_PROTOCOL] = PROTO_POISSON;
	ok(fit_run(&d, 1, &p, ids, n, NULL, &r, err, sizeof err) == -1 && strstr(err, "poisson"),
	   "a poisson set is refused (%s)", err);
	datafile_free(&d);
}

/* The thresholds' fit to Sjostrom's data has many local minima (the curve has a kink wherever a
 * threshold meets a calcium level); the global one, chi^2 3.98 at (1.0011, 1.3176), from far starts. */
static void global_minimum(void)
{
	char path[700], err[1024];
	snprintf(path, sizeof path, "%s/sjostrom2001-frequency.csv", data_dir);
	datafile d;
	if (!ok(datafile_load(path, &d, err, sizeof err) == 0, "the Sjostrom data load (%s)", err))
		return;
	param_set p;
	cortical_slices(&p);
	p.v[P_PROTOCOL] = PROTO_FREQUENCY;
	int ids[2] = {P_THETA_D, P_THETA_P};
	static const double far[4][2] = {{0.5, 2}, {0.02, 9.5}, {9.5, 0.02}, {5, 0.05}};
	for (int s = 0; s < 4; s++) {
		p.v[P_THETA_D] = far[s][0];
		p.v[P_THETA_P] = far[s][1];
		fit_result r;
		int rc = fit_run(&d, 1, &p, ids, 2, NULL, &r, err, sizeof err);
		ok(rc == 0 && fabs(r.chi2 - 3.984) < 0.002 && fabs(r.est[0].value - 1.0011) < 2e-4 &&
		       fabs(r.est[1].value - 1.3176) < 2e-4,
		   "from (%g, %g): chi^2 %.4f at (%.5f, %.5f), the global minimum 3.984 at (1.0011, 1.3176)",
		   far[s][0], far[s][1], rc == 0 ? r.chi2 : NAN, r.est[0].value, r.est[1].value);
		ok(rc == 0 && r.minima > 1, "... %d distinct minima found", r.minima);
	}
	/* A row whose chi^2 overflows is refused, not fitted. */
	d.rows[3].change = 1e300;
	fit_result r;
	char where[32];
	snprintf(where, sizeof where, ":%d: change 1e+300", d.rows[3].line);
	ok(fit_run(&d, 1, &p, ids, 2, NULL, &r, err, sizeof err) == -1 && strstr(err, where) &&
	       strstr(err, "not finite"),
	   "a data row of 1e300 is refused: %s", err);
	datafile_free(&d);
}

static void names(void)
{
	int ids[FIT_MAX];
	char err[256];
	ok(fit_parse_names("gamma_x", ids, err, sizeof err) == -1 && strstr(err, "did you mean 'gamma_d'"),
	   "an unknown name, with a suggestion: %s", err);
	ok(fit_parse_names("pairs", ids, err, sizeof err) == -1 && strstr(err, "'pairs' cannot be fitted"),
	   "a protocol parameter is refused: %s", err);
	ok(fit_parse_names("theta_p,theta_p", ids, err, sizeof err) == -1 && strstr(err, "named twice"),
	   "a repeat is refused: %s", err);
	ok(fit_parse_names(",", ids, err, sizeof err) == -1, "an empty list is refused: %s", err);
	ok(fit_parse_names("tau_ca_ms,c_pre,c_post,theta_d,theta_p,gamma_d,gamma_p,sigma,tau_s", ids, err,
	                   sizeof err) == -1 &&
	       strstr(err, "at most 8"),
	   "at most FIT_MAX: %s", err);
}

/* Two fits at once, as the explorer runs them on the threadpool: each gives what it gives alone. */
typedef struct fit_thread {
	const datafile *d;
	param_set p;
	fit_result r;
	int rc;
} fit_thread;

static void *fit_in_thread(void *arg)
{
	fit_thread *t = arg;
	int ids[2] = {P_GAMMA_P, P_THETA_P};
	char err[256];
	t->rc = fit_run(t->d, 1, &t->p, ids, 2, NULL, &t->r, err, sizeof err);
	return NULL;
}

static void threads(void)
{
	char path[700], err[1024];
	snprintf(path, sizeof path, "%s/sjostrom2001-frequency.csv", data_dir);
	datafile d;
	if (datafile_load(path, &d, err, sizeof err) < 0)
		return;
	fit_thread t[3];
	for (int i = 0; i < 3; i++) {
		t[i].d = &d;
		cortical_slices(&t[i].p);
		t[i].p.v[P_PROTOCOL] = PROTO_FREQUENCY;
	}
	fit_in_thread(&t[2]);
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, fit_in_thread, &t[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	ok(t[0].rc == 0 && t[1].rc == 0 && t[0].r.chi2 == t[2].r.chi2 && t[1].r.chi2 == t[2].r.chi2 &&
	       t[0].r.est[1].value == t[2].r.est[1].value,
	   "two fits on two threads at once give what one gives alone (chi^2 %.6g)", t[2].r.chi2);
	datafile_free(&d);
}

int main(int argc, char **argv)
{
	const char *dd = argc > 1 ? argv[1] : getenv("CALCIUM_STDP_DATA");
	snprintf(data_dir, sizeof data_dir, "%s", dd && dd[0] ? dd : "data");
	names();
	paper_data();
	global_minimum();
	threads();
	recovery();
	return tap_done();
}
