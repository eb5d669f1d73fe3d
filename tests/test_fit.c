/* Fitting: synthetic data from the program's own analytic curve plus noise are recovered within the
 * reported intervals for most seeds; the paper's data are fitted at least as well as the paper's set;
 * what the data cannot pin down is flagged; bad requests are refused; a fit can be stopped.
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

static void recovery(void)
{
	param_set truth, start;
	cortical_slices(&truth);
	int ids[3] = {P_GAMMA_D, P_GAMMA_P, P_THETA_P};
	start = truth;
	start.v[P_GAMMA_D] = 200;
	start.v[P_GAMMA_P] = 500;
	start.v[P_THETA_P] = 1.5;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	int seeds = 40, all = 0, each[3] = {0, 0, 0}, failed = 0;
	fit_control c = {.starts = 24};
	for (int s = 1; s <= seeds; s++) {
		gsl_rng_set(r, (unsigned long)s);
		datafile d;
		synthetic(&d, &truth, r);
		fit_result res;
		char err[256];
		if (fit_run(&d, 1, &start, ids, 3, &c, &res, err, sizeof err) != 0) {
			failed++;
			free(d.rows);
			continue;
		}
		int in = 1;
		for (int k = 0; k < 3; k++) {
			double t = truth.v[ids[k]];
			int covered = res.est[k].lo <= t && t <= res.est[k].hi;
			each[k] += covered;
			in &= covered;
		}
		all += in;
		free(d.rows);
	}
	gsl_rng_free(r);
	tap_diag("synthetic data, %d seeds: all three parameters inside their 95%% intervals for %d; "
	         "gamma_d %d, gamma_p %d, theta_p %d",
	         seeds, all, each[0], each[1], each[2]);
	ok(failed == 0, "every synthetic fit runs");
	/* 95% intervals: each should cover about 38 of 40; allow sampling error (binomial sd about 1.4). */
	for (int k = 0; k < 3; k++)
		ok(each[k] >= 34, "%s inside its interval for %d of %d seeds (at least 34)",
		   params_table[ids[k]].name, each[k], seeds);
	ok(all >= 30, "all three inside for %d of %d seeds (at least 30)", all, seeds);

	/* Without noise the fit lands on the truth. */
	datafile d;
	synthetic(&d, &truth, NULL);
	fit_result res;
	char err[256];
	int rc = fit_run(&d, 1, &start, ids, 3, &c, &res, err, sizeof err);
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
	ok(progress_calls == r.starts && r.starts == 97 && last_fraction == 1,
	   "progress after every start (%d of %d), ending at 1", progress_calls, r.starts);
	for (int k = 0; k < 3; k++) {
		const fit_estimate *e = &r.est[k];
		ok(e->lo < e->value && e->value < e->hi && e->se > 0 && !e->loose,
		   "%s %.5g inside its interval [%.5g, %.5g], pinned down", params_table[e->id].name,
		   e->value, e->lo, e->hi);
		is_near(e->hi - e->value, 1.959963984540054 * e->se, 1e-9 * e->value,
		        "%s: interval is +-1.96 se", params_table[e->id].name);
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
	ok(rc == 0 && r.est[0].loose && r.est[1].loose,
	   "c_post with c_post_scale: both flagged as not pinned down");
	if (rc == 0) {
		fit_format(&r, text, sizeof text);
		ok(strstr(text, "not pinned down") != NULL, "... and the report says so");
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
	threads();
	recovery();
	return tap_done();
}
