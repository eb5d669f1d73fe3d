/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Curves of the deterministic weight model, exact or means over trials spread over threads (see
 * family.h). */
#include "family.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

#include "weight.h"
#include "wlanes.h"

typedef struct work {
	const param_set *p;
	uint64_t reps, blocks; /* trials per point, blocks per point */
	uint64_t units;        /* points * blocks */
	atomic_uint_fast64_t next;
	double *sum, *sumsq; /* [units] */
} work;

static void worker(void *arg)
{
	work *w = arg;
	for (uint64_t u; (u = atomic_fetch_add(&w->next, 1)) < w->units;) {
		int i = (int)(u / w->blocks);
		uint64_t first = (u % w->blocks) * FAMILY_BLOCK;
		uint64_t count = w->reps - first < FAMILY_BLOCK ? w->reps - first : FAMILY_BLOCK;
		wlanes_trials(w->p, i, params_x(w->p, i), first, count, &w->sum[u], &w->sumsq[u]);
	}
}

family_point family_from_sums(double x, double sum, double sumsq, uint64_t trials)
{
	double m = sum / (double)trials;
	double var = trials > 1 ? fmax(0, (sumsq - sum * m) / (double)(trials - 1)) : 0;
	double h = 1.959964 * sqrt(var / (double)trials);
	return (family_point){x, m, m - h, m + h, trials};
}

static int random_curve(const param_set *p, int threads, family_point *out, char *err, size_t errlen)
{
	int n = (int)p->v[P_POINTS];
	work w = {.p = p, .reps = (uint64_t)p->v[P_REPS]};
	w.blocks = (w.reps + FAMILY_BLOCK - 1) / FAMILY_BLOCK;
	w.units = w.blocks * (uint64_t)n;
	atomic_init(&w.next, 0);
	w.sum = malloc(w.units * sizeof *w.sum);
	w.sumsq = malloc(w.units * sizeof *w.sumsq);
	if (threads < 1)
		threads = 1;
	if ((uint64_t)threads > w.units)
		threads = (int)w.units;
	uv_thread_t *tid = malloc((size_t)threads * sizeof *tid);
	int started = 0;
	if (w.sum && w.sumsq && tid)
		for (; started < threads - 1; started++)
			if (uv_thread_create(&tid[started], worker, &w) != 0)
				break;
	if (w.sum && w.sumsq && tid)
		worker(&w);
	for (int k = 0; k < started; k++)
		uv_thread_join(&tid[k]);
	free(tid);
	if (!w.sum || !w.sumsq || !tid) {
		free(w.sum);
		free(w.sumsq);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		double a = 0, b = 0;
		for (uint64_t k = 0; k < w.blocks; k++)
			a += w.sum[i * w.blocks + k], b += w.sumsq[i * w.blocks + k];
		out[i] = family_from_sums(params_x(p, i), a, b, w.reps);
		if (!isfinite(out[i].change)) {
			free(w.sum);
			free(w.sumsq);
			snprintf(err, errlen,
			         "no mean weight at %s = %g (out of memory, or a non-finite weight)",
			         params_x_column(p), params_x(p, i));
			return -1;
		}
	}
	free(w.sum);
	free(w.sumsq);
	return 0;
}

int family_curve(const param_set *p, int threads, family_point *out, char *err, size_t errlen)
{
	if (params_check_set(p, err, errlen) < 0)
		return -1;
	if (params_random_protocol(p))
		return random_curve(p, threads, out, err, errlen);
	for (int i = 0; i < (int)p->v[P_POINTS]; i++) {
		double x = params_x(p, i), c;
		if (weight_regular(p, x, &c) < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (!isfinite(c)) {
			snprintf(err, errlen, "the weight became non-finite at %s = %g", params_x_column(p),
			         x);
			return -1;
		}
		out[i] = (family_point){x, c, c, c, 0};
	}
	return 0;
}
