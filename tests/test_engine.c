/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The streaming engine: determinism across threads and pauses, exact counts, growing snapshots,
 * cancellation on a parameter change, extending a run, and a clean shutdown. */
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "engine.h"
#include "tap.h"

#define MAXP 64

typedef struct watch {
	engine *e;
	uv_loop_t *loop;
	unsigned gen; /* generation of the last snapshot */
	uint64_t n[MAXP], ups[MAXP], downs[MAXP];
	int points, complete, updates, shrank, stale, miscounted;
	double theta_p; /* of the last snapshot */
	/* scripted actions */
	int pause_every;     /* pause on every k-th update and resume from a timer */
	int change_on_first; /* on the first update, switch to change_to */
	param_set change_to;
	unsigned changed_gen; /* generation after the change */
	uint64_t t_change, t_new_coarse;
	int close_on_update; /* engine_close at this update */
	int more_once;       /* engine_more(more_once) when the first run completes */
	int closed;
	int snapshot_kept; /* the snapshot read the same after a change inside the callback */
	uv_timer_t resume;
} watch;

static void resume_cb(uv_timer_t *t)
{
	watch *w = t->data;
	engine_pause(w->e, 0);
}

static void on_update(const engine_snapshot *s, void *user)
{
	watch *w = user;
	w->updates++;
	if (w->changed_gen && s->generation < w->changed_gen)
		w->stale++;
	if (s->generation != w->gen) {
		memset(w->n, 0, sizeof w->n);
		w->gen = s->generation;
	}
	uint64_t sum = 0;
	for (int i = 0; i < s->points; i++) {
		if (s->n[i] < w->n[i])
			w->shrank++;
		w->n[i] = s->n[i];
		w->ups[i] = s->ups[i];
		w->downs[i] = s->downs[i];
		sum += s->n[i];
		if (s->ups[i] > s->n[i] || s->downs[i] > s->n[i])
			w->miscounted++;
	}
	if (sum != s->reps_done)
		w->miscounted++;
	w->points = s->points;
	w->theta_p = s->params->v[P_THETA_P];
	w->complete = s->complete;
	if (w->changed_gen && s->generation == w->changed_gen && !w->t_new_coarse) {
		int coarse = 1;
		for (int i = 0; i < s->points; i++)
			coarse &= s->n[i] >= 32;
		if (coarse)
			w->t_new_coarse = uv_hrtime();
	}
	if (w->close_on_update && w->updates == w->close_on_update) {
		uv_timer_stop(&w->resume);
		engine_close(w->e);
		w->closed = 1;
		return;
	}
	if (w->change_on_first && !w->changed_gen) {
		char err[256];
		w->t_change = uv_hrtime();
		double tp = s->params->v[P_THETA_P], last = s->dt_ms[s->points - 1];
		engine_set_params(w->e, &w->change_to, err, sizeof err);
		w->changed_gen = s->generation + 1;
		/* The snapshot outlives the generation it came from until the callback returns (ASan
		 * would see a read of freed memory here otherwise). */
		w->snapshot_kept = s->params->v[P_THETA_P] == tp && s->dt_ms[s->points - 1] == last;
		return;
	}
	if (w->pause_every && !s->complete && w->updates % w->pause_every == 0 && !s->paused) {
		/* engine_pause reports at once, from inside this callback: that report may be the
		 * complete one, which closes the engine; then there is nothing to resume. */
		engine_pause(w->e, 1);
		if (!w->closed)
			uv_timer_start(&w->resume, resume_cb, 2, 0);
		return;
	}
	if (s->complete && w->more_once) {
		uint64_t extra = (uint64_t)w->more_once;
		w->more_once = 0;
		engine_more(w->e, extra);
		return;
	}
	if (s->complete && !w->closed) {
		uv_timer_stop(&w->resume);
		engine_close(w->e);
		w->closed = 1;
	}
}

/* A cleared watch on a fresh loop with its engine (the loop stays the caller's to run and close). */
static void watch_start(watch *w, uv_loop_t *loop, int threads, unsigned block)
{
	uv_loop_init(loop);
	w->loop = loop;
	uv_timer_init(loop, &w->resume);
	w->resume.data = w;
	w->e = engine_new(loop, threads, block, SIM_SEGMENTS, on_update, w);
}

/* Run the engine on a fresh loop until it is closed; returns uv_loop_close's result. */
static int run(watch *w, const param_set *p, int threads, unsigned block)
{
	uv_loop_t loop;
	watch_start(w, &loop, threads, block);
	char err[256];
	if (engine_set_params(w->e, p, err, sizeof err) != 0)
		tap_diag("engine_set_params: %s", err);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_close((uv_handle_t *)&w->resume, NULL);
	uv_run(&loop, UV_RUN_DEFAULT);
	return uv_loop_close(&loop);
}

/* The same counts computed without the engine, one block per point. */
static void direct(const param_set *p, uint64_t *ups, uint64_t *downs)
{
	int n = (int)p->v[P_POINTS];
	for (int i = 0; i < n; i++) {
		sim_point *sp = sim_point_new(p, i, SIM_SEGMENTS);
		ups[i] = downs[i] = 0;
		sim_run_block(sp, (uint64_t)p->v[P_SEED], 0, (uint32_t)p->v[P_REPS], NULL, 0, &ups[i],
		              &downs[i]);
		sim_point_free(sp);
	}
}

static int same(const watch *a, const uint64_t *ups, const uint64_t *downs, int n)
{
	return memcmp(a->ups, ups, n * sizeof *ups) == 0 && memcmp(a->downs, downs, n * sizeof *downs) == 0;
}

int main(void)
{
	engine_prepare_threads(8);
	param_set p;
	params_defaults(&p);
	p.v[P_REPS] = 100;
	p.v[P_POINTS] = 21;
	p.v[P_SEED] = 42;
	uint64_t ups[MAXP], downs[MAXP];
	direct(&p, ups, downs);

	int threads[] = {1, 2, 8};
	for (int k = 0; k < 3; k++) {
		watch w = {0};
		int rc = run(&w, &p, threads[k], 16);
		ok(rc == 0, "%d threads: the loop closes cleanly (uv_loop_close %d)", threads[k], rc);
		ok(w.complete && same(&w, ups, downs, 21),
		   "%d threads: the final curve equals the direct computation bit for bit", threads[k]);
		int all = 1;
		for (int i = 0; i < 21; i++)
			all &= w.n[i] == 100;
		ok(all && !w.miscounted, "%d threads: every point has exactly 100 repetitions", threads[k]);
		/* This small run may finish before the loop wakes once (the kernel takes well under a
		 * millisecond for it): one snapshot then. */
		ok(!w.shrank && w.updates >= 1, "%d threads: %d snapshots, counts only grow", threads[k],
		   w.updates);
	}

	watch w = {.pause_every = 3};
	run(&w, &p, 2, 8);
	ok(w.complete && same(&w, ups, downs, 21) && !w.shrank,
	   "paused and resumed every third update: the same curve");

	/* A parameter change while a huge run is in flight: the old generation stops and its results
	 * never reach the front end; the new one completes with the new parameters. */
	param_set big = p;
	big.v[P_REPS] = 1000000;
	memset(&w, 0, sizeof w);
	w.change_on_first = 1;
	w.change_to = p;
	w.change_to.v[P_THETA_P] = 1.4;
	uint64_t t0 = uv_hrtime();
	int rc = run(&w, &big, 2, 16);
	double total_s = (uv_hrtime() - t0) * 1e-9;
	uint64_t u2[MAXP], d2[MAXP];
	direct(&w.change_to, u2, d2);
	ok(rc == 0 && w.complete && w.theta_p == 1.4 && same(&w, u2, d2, 21),
	   "after a change mid-run the new generation completes with theta_p 1.4 (in %.2f s)", total_s);
	ok(w.stale == 0, "no snapshot of the old generation after the change (%d)", w.stale);
	ok(w.snapshot_kept,
	   "a change inside the callback leaves the snapshot's pointers valid until it returns");
	ok(w.t_new_coarse && (w.t_new_coarse - w.t_change) * 1e-9 < 5,
	   "the new coarse curve arrives %.1f ms after the change (old run of 10^6 repetitions dropped)",
	   w.t_new_coarse ? (w.t_new_coarse - w.t_change) * 1e-6 : -1.0);

	/* However fast the parameters change, at most one generation's units wait, stale units stop
	 * within milliseconds, and only the last set completes. */
	{
		uv_loop_t l2;
		memset(&w, 0, sizeof w);
		watch_start(&w, &l2, 2, 16);
		param_set q = big;
		char e2[256];
		for (int k = 0; k < 200; k++) {
			q.v[P_THETA_P] = 1.2 + 0.001 * k;
			engine_set_params(w.e, &q, e2, sizeof e2);
		}
		w.changed_gen = 200;
		ok(engine_stale_units(w.e) <= 2,
		   "200 changes in a row: at most the 2 running units are stale");
		/* Let the running units notice: the loop's after_work callbacks bring them back. */
		uint64_t t1 = uv_hrtime();
		while (engine_stale_units(w.e) > 0 && uv_hrtime() - t1 < 2000000000ULL)
			uv_run(&l2, UV_RUN_ONCE);
		double stop_ms = (uv_hrtime() - t1) * 1e-6;
		ok(engine_stale_units(w.e) == 0 && stop_ms < 200,
		   "stale units stopped %.2f ms after the last change", stop_ms);
		engine_close(w.e);
		uv_close((uv_handle_t *)&w.resume, NULL);
		uv_run(&l2, UV_RUN_DEFAULT);
		ok(uv_loop_close(&l2) == 0 && w.stale == 0,
		   "closed cleanly; no snapshot of a stale generation");
	}

	/* More repetitions extend a finished run: 100 then +60 equals a straight 160. */
	memset(&w, 0, sizeof w);
	w.more_once = 60;
	run(&w, &p, 2, 16);
	param_set p160 = p;
	p160.v[P_REPS] = 160;
	direct(&p160, u2, d2);
	ok(w.complete && w.n[0] == 160 && same(&w, u2, d2, 21),
	   "100 repetitions plus 60 more equal 160 at once");

	/* engine.h's promise for parameters where one synapse takes days (10^9 steps of Poisson
	 * trains): once the workers are inside a synapse, a change stops them within milliseconds, and
	 * closing does too. */
	{
		param_set costly = p;
		costly.v[P_PROTOCOL] = PROTO_POISSON;
		costly.v[P_DURATION_S] = 1000;
		costly.v[P_STEP_MS] = 0.001;
		costly.v[P_RATE_PRE_HZ] = 100;
		costly.v[P_RATE_POST_MIN_HZ] = 90;
		costly.v[P_RATE_POST_MAX_HZ] = 100;
		costly.v[P_TAU_CA_MS] = 500;
		uv_loop_t l3;
		memset(&w, 0, sizeof w);
		watch_start(&w, &l3, 2, 1);
		char e3[256];
		int set = engine_set_params(w.e, &costly, e3, sizeof e3);
		uv_sleep(100); /* the workers are deep inside their first synapse by now */
		int busy = engine_workers(w.e);
		costly.v[P_THETA_P] = 1.4;
		uint64_t t1 = uv_hrtime();
		engine_set_params(w.e, &costly, e3, sizeof e3);
		while (engine_stale_units(w.e) > 0 && uv_hrtime() - t1 < 5000000000ULL)
			uv_run(&l3, UV_RUN_ONCE);
		double stop_ms = (uv_hrtime() - t1) * 1e-6;
		/* One such synapse takes seconds: stopping well within one proves the polls inside it. The
		 * bound leaves room for a loaded machine (workers run at nice JOBS_NICE); idle it is below 1
		 * ms. */
		ok(set == 0 && busy == 2 && engine_stale_units(w.e) == 0 && stop_ms < 500,
		   "costly parameters: workers inside a synapse of 10^9 steps stop %.2f ms after a change",
		   stop_ms);
		uv_sleep(50);
		t1 = uv_hrtime();
		engine_close(w.e);
		uv_close((uv_handle_t *)&w.resume, NULL);
		uv_run(&l3, UV_RUN_DEFAULT);
		double close_ms = (uv_hrtime() - t1) * 1e-6;
		ok(uv_loop_close(&l3) == 0 && close_ms < 500 && !w.complete,
		   "and closing the engine mid-synapse returns the loop in %.2f ms", close_ms);
	}

	/* The worker that completes the coarse curve waits for the loop to take it, but not for a loop
	 * that is busy: with the loop blocked from the start, one worker still finishes the whole run
	 * (about 20 ms of work), so the first snapshot after the block is complete. A worker that waited
	 * for the loop would never complete during the block, however long; the block is four times
	 * what the same run takes here with the loop free (at least 300 ms), so that a slow or loaded
	 * machine (sanitizers, other jobs) does not turn a long run into a false failure. */
	{
		uv_loop_t l4;
		param_set dp = p;
		dp.v[P_REPS] = 1000;
		char e4[256];
		memset(&w, 0, sizeof w);
		watch_start(&w, &l4, 1, 0);
		uint64_t c0 = uv_hrtime();
		engine_set_params(w.e, &dp, e4, sizeof e4);
		while (!w.closed)
			uv_run(&l4, UV_RUN_ONCE);
		unsigned free_ms = (unsigned)((uv_hrtime() - c0) / 1000000);
		uv_close((uv_handle_t *)&w.resume, NULL);
		uv_run(&l4, UV_RUN_DEFAULT);
		uv_loop_close(&l4);
		unsigned block_ms = 4 * free_ms > 300 ? 4 * free_ms : 300;
		memset(&w, 0, sizeof w);
		watch_start(&w, &l4, 1, 0);
		engine_set_params(w.e, &dp, e4, sizeof e4);
		uv_sleep(block_ms);
		uv_run(&l4, UV_RUN_NOWAIT);
		int first_updates = w.updates, first_complete = w.complete;
		uint64_t first_done = 0;
		for (int i = 0; i < w.points; i++)
			first_done += w.n[i];
		/* on_update closes the engine once the run is complete. */
		while (!w.closed)
			uv_run(&l4, UV_RUN_ONCE);
		uv_close((uv_handle_t *)&w.resume, NULL);
		uv_run(&l4, UV_RUN_DEFAULT);
		ok(uv_loop_close(&l4) == 0 && first_updates == 1 && first_complete,
		   "a blocked loop does not hold the worker: after %u ms (the free run took %u) the first "
		   "snapshot has %llu of %d x %d repetitions",
		   block_ms, free_ms, (unsigned long long)first_done, w.points, (int)dp.v[P_REPS]);
	}

	/* Shutdown in the middle of a run. */
	memset(&w, 0, sizeof w);
	w.close_on_update = 2;
	t0 = uv_hrtime();
	rc = run(&w, &big, 2, 16);
	ok(rc == 0 && !w.complete, "closing mid-run: the loop closes cleanly in %.1f ms",
	   (uv_hrtime() - t0) * 1e-6);

	/* Invalid parameters are refused and change nothing. */
	uv_loop_t loop;
	uv_loop_init(&loop);
	engine *e = engine_new(&loop, 1, 0, SIM_SEGMENTS, NULL, NULL);
	param_set bad = p;
	bad.v[P_THETA_D] = -1;
	char err[256];
	ok(engine_set_params(e, &bad, err, sizeof err) == -1 && strstr(err, "theta_d"), "bad set refused: %s",
	   err);
	engine_close(e);
	uv_run(&loop, UV_RUN_DEFAULT);
	ok(uv_loop_close(&loop) == 0, "an idle engine closes cleanly");
	return tap_done();
}
