/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The streaming engine on the deterministic weight model (efficacy = weight): exact values on regular
 * trains, trials streamed as they finish on random ones; the completed curve is family_curve's, bit
 * for bit, whatever the thread count; partial snapshots grow; a parameter change drops the old run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "engine.h"
#include "family.h"
#include "inifile.h"
#include "tap.h"

#define MAXP 128

typedef struct watch {
	engine *e;
	unsigned gen, change_gen;
	int points, complete, updates, partial, shrank, stale, bad_interval, exact_flag, weight_flag;
	uint64_t n[MAXP];
	double change[MAXP], lo[MAXP], hi[MAXP];
	param_set change_to; /* when set (theta_p > 0), on the first update */
	int change_asked;
} watch;

static void on_update(const engine_snapshot *s, void *user)
{
	watch *w = user;
	w->updates++;
	if (w->change_gen && s->generation < w->change_gen)
		w->stale++;
	if (s->generation != w->gen) {
		memset(w->n, 0, sizeof w->n);
		w->gen = s->generation;
	}
	int some = 0, all = 1;
	for (int i = 0; i < s->points && i < MAXP; i++) {
		if (s->n[i] < w->n[i])
			w->shrank++;
		w->n[i] = s->n[i];
		w->change[i] = s->change[i];
		w->lo[i] = s->change_lo[i];
		w->hi[i] = s->change_hi[i];
		if (s->n[i] && !(s->change_lo[i] <= s->change[i] && s->change[i] <= s->change_hi[i]))
			w->bad_interval++;
		some |= s->n[i] > 0;
		all &= s->n[i] == s->reps_requested;
	}
	if (some && !all)
		w->partial++;
	w->points = s->points;
	w->complete = s->complete;
	w->exact_flag = s->exact;
	w->weight_flag = s->weight;
	if (w->change_to.v[P_THETA_P] > 0 && !w->change_asked) {
		char err[256];
		w->change_asked = 1;
		engine_set_params(w->e, &w->change_to, err, sizeof err);
		w->change_gen = s->generation + 1;
		return;
	}
	if (s->complete || s->failed)
		engine_close(w->e);
}

static int run(watch *w, const param_set *p, int threads)
{
	uv_loop_t loop;
	uv_loop_init(&loop);
	w->e = engine_new(&loop, threads, 0, SIM_SEGMENTS, on_update, w);
	char err[256];
	if (engine_set_params(w->e, p, err, sizeof err) != 0) {
		tap_diag("engine_set_params: %s", err);
		engine_close(w->e);
	}
	uv_run(&loop, UV_RUN_DEFAULT);
	return uv_loop_close(&loop);
}

static int load(const char *dir, const char *name, param_set *p)
{
	char path[4096], err[INIFILE_ERRLEN];
	snprintf(path, sizeof path, "%s/%s.ini", dir, name);
	params_defaults(p);
	if (inifile_load(path, p, err, sizeof err) < 0) {
		tap_diag("%s", err);
		return -1;
	}
	return 0;
}

/* The snapshot's last values equal family_curve's bit for bit (change, lo, hi). */
static int same_as_family(const watch *w, const param_set *p, double *maxdiff)
{
	family_point pt[MAXP];
	char err[256];
	*maxdiff = INFINITY;
	if (family_curve(p, 2, pt, err, sizeof err) < 0) {
		tap_diag("family_curve: %s", err);
		return 0;
	}
	int same = w->points == (int)p->v[P_POINTS];
	*maxdiff = 0;
	for (int i = 0; i < w->points; i++) {
		same &= memcmp(&pt[i].change, &w->change[i], sizeof(double)) == 0 &&
		        memcmp(&pt[i].lo, &w->lo[i], sizeof(double)) == 0 &&
		        memcmp(&pt[i].hi, &w->hi[i], sizeof(double)) == 0;
		*maxdiff = fmax(*maxdiff, fabs(pt[i].change - w->change[i]));
	}
	return same;
}

static void exact(const char *dir, const char *name)
{
	param_set p;
	if (load(dir, name, &p) < 0) {
		ok(0, "%s loads", name);
		return;
	}
	p.v[P_POINTS] = 40;
	watch w = {0};
	int rc = run(&w, &p, 2);
	double d = NAN;
	int same = same_as_family(&w, &p, &d);
	ok(rc == 0 && w.complete && w.weight_flag && w.exact_flag && same,
	   "%s (regular trains): the engine's %d exact points are family_curve's bit for bit (max |diff| %g)",
	   name, w.points, d);
	int one = 1;
	for (int i = 0; i < w.points; i++)
		one &= w.n[i] == 1 && w.lo[i] == w.change[i] && w.hi[i] == w.change[i];
	ok(one, "%s: each exact point counts once, with no interval", name);
}

static void random_trials(const char *dir, const char *name)
{
	param_set p;
	if (load(dir, name, &p) < 0) {
		ok(0, "%s loads", name);
		return;
	}
	p.v[P_POINTS] = 21;
	p.v[P_REPS] = 2000; /* 8 blocks a point */
	double d1 = NAN, d3 = NAN;
	watch a = {0}, b = {0};
	int ra = run(&a, &p, 1), rb = run(&b, &p, 3);
	int sa = same_as_family(&a, &p, &d1), sb = same_as_family(&b, &p, &d3);
	ok(ra == 0 && rb == 0 && a.complete && b.complete && !a.exact_flag && sa && sb,
	   "%s (random trains): 1 and 3 workers give family_curve's means and intervals bit for bit "
	   "(max |diff| %g, %g)",
	   name, d1, d3);
	ok(a.partial > 0 && a.shrank == 0 && a.bad_interval == 0 && b.bad_interval == 0,
	   "%s: trials stream in: %d partial snapshots of %d, none shrank, every interval holds its mean",
	   name, a.partial, a.updates);
	int counted = 1;
	for (int i = 0; i < a.points; i++)
		counted &= a.n[i] == 2000;
	ok(counted, "%s: every point has its 2000 trials", name);
}

/* A change of parameters while a weight run streams: the old generation's sums never reach the
 * callback, the new run completes with its own values. */
static void change(const char *dir)
{
	param_set p;
	if (load(dir, "graupner2016-linear", &p) < 0) {
		ok(0, "graupner2016-linear loads");
		return;
	}
	p.v[P_POINTS] = 11;
	p.v[P_REPS] = 20000;
	watch w = {0};
	w.change_to = p;
	w.change_to.v[P_REPS] = 500;
	w.change_to.v[P_THETA_P] = 2.2;
	int rc = run(&w, &p, 2);
	double d = NAN;
	int same = same_as_family(&w, &w.change_to, &d);
	ok(rc == 0 && w.complete && w.stale == 0 && same,
	   "a parameter change drops the running weight generation: no stale snapshot, the new curve "
	   "is the new set's (max |diff| %g)",
	   d);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("CALCIUM_STDP_PARAMS");
	if (!dir)
		dir = "params";
	engine_prepare_threads(3);
	exact(dir, "deperrois2020-visual");
	exact(dir, "deperrois2020-somatosensory-nonlinear");
	random_trials(dir, "graupner2016-nonlinear");
	change(dir);
	return tap_done();
}
