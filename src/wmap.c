/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Simulated map and sweep cells of the weight model: rows and the class's certainty (see wmap.h). */
#include "wmap.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "family.h"
#include "wlanes.h"

int wmap_check_analytic(const param_set *p, int analytic, char *why, size_t len)
{
	int proto = (int)p->v[P_PROTOCOL];
	int weight = (int)p->v[P_EFFICACY] == EFFICACY_WEIGHT;
	if (!analytic || !params_random_protocol(p) || (!weight && proto == PROTO_POISSON))
		return 0;
	if (why && weight)
		snprintf(why, len,
		         "the weight model has no analytic approximation for random trains: leave out "
		         "--analytic (each cell is then the mean over reps trials)");
	else if (why)
		snprintf(why, len,
		         "the irregular protocols have no analytic approximation: leave out --analytic");
	return -1;
}

int wmap_classify_trials(const param_set *p, double tol, classify_result *r, int (*cancelled)(void *user),
                         void *user)
{
	int n = (int)p->v[P_POINTS];
	uint64_t reps = (uint64_t)p->v[P_REPS];
	double *buf = malloc(sizeof *buf * 4 * (size_t)(n ? n : 1));
	if (!buf)
		return -1;
	double *x = buf, *ch = buf + n, *lo = buf + 2 * n, *hi = buf + 3 * n;
	for (int i = 0; i < n; i++) {
		if (cancelled && cancelled(user)) {
			free(buf);
			return 1;
		}
		/* family_curve's blocks, so that the means are its bits. */
		double a = 0, b = 0;
		for (uint64_t first = 0; first < reps; first += FAMILY_BLOCK) {
			double s, q;
			uint64_t count = reps - first < FAMILY_BLOCK ? reps - first : FAMILY_BLOCK;
			wlanes_trials(p, i, params_x(p, i), first, count, &s, &q);
			a += s, b += q;
		}
		family_point f = family_from_sums(params_x(p, i), a, b, reps);
		if (!isfinite(f.change)) {
			free(buf);
			return -1;
		}
		x[i] = f.x, ch[i] = f.change, lo[i] = f.lo, hi[i] = f.hi;
	}
	classify_curve(x, ch, lo, hi, n, tol, r);
	r->class_p = NAN; /* not resampled here */
	free(buf);
	return 0;
}

int wmap_rows(const engine_snapshot *s, batch_row *rows)
{
	if (!s->weight)
		return 0;
	for (int i = 0; i < s->points; i++)
		rows[i] = (batch_row){
		    s->dt_ms[i],           NAN, NAN, s->change[i], s->change_lo[i], s->change_hi[i],
		    s->exact ? 0 : s->n[i]};
	return 1;
}

int wmap_class_share(const batch_row *rows, int n, uint64_t seed, uint64_t cell, double tol, int resamples,
                     classify_result *c)
{
	int exact = 1;
	for (int i = 0; i < n; i++)
		exact &= rows[i].reps == 0;
	if (exact) {
		c->class_p = 1;
		return 0;
	}
	double *buf = malloc(sizeof *buf * 4 * (size_t)(n ? n : 1));
	gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
	if (!buf || !g) {
		free(buf);
		if (g)
			gsl_rng_free(g);
		return -1;
	}
	double *x = buf, *ch = buf + n, *lo = buf + 2 * n, *hi = buf + 3 * n;
	gsl_rng_set(g, (unsigned long)(seed * 2654435761u) ^ (unsigned long)(cell * 0x9e3779b97f4a7c15ULL));
	int same = 0;
	for (int k = 0; k < resamples; k++) {
		for (int i = 0; i < n; i++) {
			/* The interval is mean -+ 1.959964 standard errors (family_from_sums). */
			double se = (rows[i].change_hi - rows[i].change_lo) / (2 * 1.959964);
			x[i] = rows[i].dt_ms;
			ch[i] = rows[i].change + (se > 0 ? gsl_ran_gaussian(g, se) : 0);
		}
		/* A resample is a curve of as many trials: its own intervals are as wide as the cell's. */
		for (int i = 0; i < n; i++) {
			double h = (rows[i].change_hi - rows[i].change_lo) / 2;
			lo[i] = ch[i] - h;
			hi[i] = ch[i] + h;
		}
		classify_result r;
		classify_curve(x, ch, lo, hi, n, tol, &r);
		same += strcmp(r.name, c->name) == 0;
	}
	c->class_p = (double)same / resamples;
	free(buf);
	gsl_rng_free(g);
	return 0;
}
