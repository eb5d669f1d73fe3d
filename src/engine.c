/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The streaming engine: the Monte Carlo of one parameter set on libuv's threadpool, its generations,
 * and partial counts to the loop thread (see engine.h). */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include "engine.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "family.h"
#include "jobs.h"
#include "weight.h"
#include "wlanes.h"

/* At most one wake-up of the loop per this many nanoseconds from busy workers (a frame is 50 ms). */
#define NOTIFY_NS 5000000u
/* The worker that completes the coarse curve waits at most this long for the loop to take it. */
#define HANDOVER_NS 2000000u

/* One parameter set's run. The loop thread owns it; workers read p, the points and the failure flag,
 * and take units and deliver counts under lock. Freed when the engine, no worker slot and no
 * snapshot being handed out refer to it (refs: loop thread only). */
typedef struct gen {
	unsigned id;     /* generation number, compared with engine.current by workers */
	int refs;        /* the engine's reference plus one per slot that holds it (loop thread) */
	param_set p;     /* as started; read by workers, so never written again */
	param_set shown; /* p with the repetitions asked for now (engine_more), for snapshots */
	int points;
	double *dt_ms;       /* [points] */
	sim_point **sp;      /* [points], built by the first unit that needs it */
	uv_mutex_t *sp_lock; /* [points] */
	/* Under lock: the cursor over units (workers take their next unit themselves) and the
	 * mailbox (counts of finished units, read by the async callback). */
	uv_mutex_t lock;
	uint64_t requested;        /* repetitions per dt and initial state (engine_more raises it) */
	uint64_t *dispatched;      /* [points] repetitions taken by workers */
	int cursor;                /* round-robin position over dt */
	uint64_t *n, *ups, *downs; /* [points] */
	uint64_t done;             /* sum of n */
	uint64_t steps;            /* rho steps (the seed's count) of finished units */
	int dirty;                 /* something new since the last drain */
	uint64_t drained;          /* done as of the loop's last drain */
	uv_cond_t drained_cond;    /* signalled by each drain */
	int failed;                /* a unit failed: no more units, the run never completes */
	char err[256];             /* why */
	/* Wall time of the run, excluding pauses (loop thread). */
	uint64_t t_start, t_paused_total, t_pause_began;
	int completed_reported, failure_reported;
	/* The weight model (efficacy = weight): no Monte Carlo of rho. A regular protocol is one exact
	 * value a point (a unit of one "repetition"); a random one is trials in units of FAMILY_BLOCK,
	 * summed in the order they were handed out, so a fresh run gives family_curve's bits. */
	int weight, exact;
	struct wunit **wu; /* [points][wu_n]: the units handed out at each point, in trial order */
	int *wu_n, *wu_cap;
} gen;

/* One unit of a weight-model run: the sums of its trials' changes (the exact change when exact). */
typedef struct wunit {
	double sum, sumsq;
	uint32_t count;
	int done;
} wunit;

/* A worker slot: one uv_work_t in the threadpool at a time, which runs units of its generation
 * until none is left, the generation is stale or failed, or the engine pauses. */
typedef struct slot {
	uv_work_t req;
	engine *e;
	gen *g;
	int busy;
} slot;

struct engine {
	uv_loop_t *loop;
	uv_async_t async;
	uv_mutex_t async_lock; /* workers send only while async_open: never after uv_close */
	int async_open;
	atomic_uint current;          /* the running generation's id: workers of older ones stop */
	atomic_int paused;            /* workers take no new unit while set */
	_Atomic uint64_t last_notify; /* uv_hrtime of the workers' last wake-up of the loop */
	gen *g;                       /* the current generation, or NULL before the first engine_set_params */
	slot *slots;
	int nslots;
	unsigned block;
	sim_method method;
	engine_update_cb cb;
	void *user;
	int force; /* report once even if no unit finished (pause, more) */
	int closing;
	int async_closed;
	/* Scratch copies handed to the callback, so that it never sees the mailbox change. */
	uint64_t *snap_n, *snap_ups, *snap_downs;
	double *snap_change, *snap_lo, *snap_hi; /* the weight model's */
	int snap_cap;
};

static void dispatch(engine *e);
static void drain(engine *e);

void engine_prepare_threads(int threads)
{
	char buf[16];
	/* Jobs (analytic curves, views) get threads of their own: the engine's workers never starve
	 * them. */
	snprintf(buf, sizeof buf, "%d",
	         (threads < 1                    ? 1
	          : threads > ENGINE_MAX_WORKERS ? ENGINE_MAX_WORKERS
	                                         : threads) +
	             JOBS_THREADS);
	setenv("UV_THREADPOOL_SIZE", buf, 1);
}

static void gen_unref(gen *g)
{
	if (!g || --g->refs > 0)
		return;
	for (int i = 0; i < g->points; i++) {
		sim_point_free(g->sp[i]);
		uv_mutex_destroy(&g->sp_lock[i]);
		if (g->wu)
			free(g->wu[i]);
	}
	free(g->wu);
	free(g->wu_n);
	free(g->wu_cap);
	uv_cond_destroy(&g->drained_cond);
	uv_mutex_destroy(&g->lock);
	free(g->sp);
	free(g->sp_lock);
	free(g->dt_ms);
	free(g->dispatched);
	free(g->n);
	free(g->ups);
	free(g->downs);
	free(g);
}

static gen *gen_new(const param_set *p, unsigned id)
{
	gen *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	int n = (int)p->v[P_POINTS];
	g->id = id;
	g->refs = 1;
	g->p = *p;
	g->shown = *p;
	g->points = n;
	g->weight = (int)p->v[P_EFFICACY] == EFFICACY_WEIGHT;
	g->exact = g->weight && !params_random_protocol(p);
	/* An exact value is computed once: one "repetition" a point, whatever reps says. */
	g->requested = g->exact ? 1 : (uint64_t)p->v[P_REPS];
	g->dt_ms = calloc((size_t)n, sizeof *g->dt_ms);
	g->sp = calloc((size_t)n, sizeof *g->sp);
	g->sp_lock = calloc((size_t)n, sizeof *g->sp_lock);
	g->dispatched = calloc((size_t)n, sizeof *g->dispatched);
	g->n = calloc((size_t)n, sizeof *g->n);
	g->ups = calloc((size_t)n, sizeof *g->ups);
	g->downs = calloc((size_t)n, sizeof *g->downs);
	if (g->weight) {
		g->wu = calloc((size_t)n, sizeof *g->wu);
		g->wu_n = calloc((size_t)n, sizeof *g->wu_n);
		g->wu_cap = calloc((size_t)n, sizeof *g->wu_cap);
	}
	int wok = !g->weight || (g->wu && g->wu_n && g->wu_cap);
	int cond =
	    !g->dt_ms || !g->sp || !g->sp_lock || !g->dispatched || !g->n || !g->ups || !g->downs || !wok
	        ? -1
	        : uv_cond_init(&g->drained_cond);
	if (cond != 0) {
		free(g->dt_ms), free(g->sp), free(g->sp_lock), free(g->dispatched);
		free(g->n), free(g->ups), free(g->downs), free(g->wu), free(g->wu_n), free(g->wu_cap),
		    free(g);
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		g->dt_ms[i] = params_x(p, i);
		uv_mutex_init(&g->sp_lock[i]);
	}
	uv_mutex_init(&g->lock);
	g->t_start = uv_hrtime();
	return g;
}

/* Under g->lock: a slot for the weight model's next unit at point i (its index in *unit), -1 when
 * out of memory. */
static int weight_slot(gen *g, int i, uint32_t count, int *unit)
{
	if (g->wu_n[i] == g->wu_cap[i]) {
		int cap = g->wu_cap[i] ? 2 * g->wu_cap[i] : 8;
		wunit *a = realloc(g->wu[i], (size_t)cap * sizeof *a);
		if (!a)
			return -1;
		g->wu[i] = a;
		g->wu_cap[i] = cap;
	}
	*unit = g->wu_n[i]++;
	g->wu[i][*unit] = (wunit){.count = count};
	return 0;
}

/* Under g->lock: the next unit, round-robin over dt, so that every point gets a coarse estimate
 * before any gets a fine one. 0 when every repetition asked for is taken (or, for the weight model,
 * when no memory is left for one: the run fails). */
static int next_unit(gen *g, unsigned block, int *dt, uint64_t *first, uint32_t *count, int *unit)
{
	if (g->weight)
		block = g->exact ? 1 : FAMILY_BLOCK;
	for (int k = 0; k < g->points; k++) {
		int i = (g->cursor + k) % g->points;
		if (g->dispatched[i] < g->requested) {
			uint64_t left = g->requested - g->dispatched[i];
			*dt = i;
			*first = g->dispatched[i];
			*count = (uint32_t)(left < block ? left : block);
			if (g->weight && weight_slot(g, i, *count, unit) < 0) {
				g->failed = 1;
				snprintf(g->err, sizeof g->err, "out of memory");
				g->dirty = 1;
				return 0;
			}
			g->dispatched[i] += *count;
			g->cursor = (i + 1) % g->points;
			return 1;
		}
	}
	return 0;
}

/* Under g->lock: a unit is left to take. */
static int units_left(const gen *g)
{
	if (g->failed)
		return 0;
	for (int i = 0; i < g->points; i++)
		if (g->dispatched[i] < g->requested)
			return 1;
	return 0;
}

static void notify(engine *e)
{
	uv_mutex_lock(&e->async_lock);
	if (e->async_open)
		uv_async_send(&e->async);
	uv_mutex_unlock(&e->async_lock);
}

static void fail(engine *e, gen *g, const char *fmt, double x);

/* One unit of the weight model: the exact change at point dt, or the sums of trials first ..
 * first + count - 1 (family_curve's own call, so the same bits). 0, or -1 with the run failed. */
static int weight_unit(engine *e, gen *g, int dt, uint64_t first, uint32_t count, double *sum, double *sumsq)
{
	if (g->exact) {
		double c;
		if (weight_regular(&g->p, g->dt_ms[dt], &c) < 0) {
			fail(e, g, "out of memory at x = %g", g->dt_ms[dt]);
			return -1;
		}
		if (!isfinite(c)) {
			fail(e, g, "the weight became non-finite at x = %g", g->dt_ms[dt]);
			return -1;
		}
		*sum = c;
		*sumsq = c * c;
		return 0;
	}
	wlanes_trials(&g->p, dt, g->dt_ms[dt], first, count, sum, sumsq);
	if (!isfinite(*sum) || !isfinite(*sumsq)) {
		fail(e, g, "no mean weight at x = %g (out of memory, or a non-finite weight)", g->dt_ms[dt]);
		return -1;
	}
	return 0;
}

static void fail(engine *e, gen *g, const char *fmt, double x)
{
	uv_mutex_lock(&g->lock);
	if (!g->failed) {
		g->failed = 1;
		snprintf(g->err, sizeof g->err, fmt, x);
		g->dirty = 1;
	}
	uv_mutex_unlock(&g->lock);
	notify(e);
}

/* The worker: take a unit, build the point's calcium schedule if nobody has yet, simulate, deliver
 * the counts and take the next unit in the same locked step; no round trip through the loop. */
static void work_cb(uv_work_t *req)
{
	slot *s = req->data;
	engine *e = s->e;
	gen *g = s->g;
	uint64_t seed = (uint64_t)g->p.v[P_SEED];
	jobs_lower_priority();
	int dt, have, unit = 0;
	uint64_t first;
	uint32_t count;
	uv_mutex_lock(&g->lock);
	have = atomic_load(&e->current) == g->id && !atomic_load(&e->paused) && !g->failed &&
	       next_unit(g, e->block, &dt, &first, &count, &unit);
	uv_mutex_unlock(&g->lock);
	while (have && g->weight) {
		double sum, sumsq;
		if (weight_unit(e, g, dt, first, count, &sum, &sumsq) < 0)
			return;
		if (atomic_load(&e->current) != g->id)
			return; /* a newer generation: its sums are dropped */
		uv_mutex_lock(&g->lock);
		g->wu[dt][unit].sum = sum;
		g->wu[dt][unit].sumsq = sumsq;
		g->wu[dt][unit].done = 1;
		g->n[dt] += count;
		g->done += count;
		g->steps += count; /* trials (exact: points) */
		g->dirty = 1;
		have = atomic_load(&e->current) == g->id && !atomic_load(&e->paused) && !g->failed &&
		       next_unit(g, e->block, &dt, &first, &count, &unit);
		uv_mutex_unlock(&g->lock);
		uint64_t now = uv_hrtime();
		if (!have || now - atomic_load(&e->last_notify) >= NOTIFY_NS) {
			atomic_store(&e->last_notify, now);
			notify(e);
		}
	}
	while (have) {
		uv_mutex_lock(&g->sp_lock[dt]);
		if (!g->sp[dt])
			g->sp[dt] = sim_point_new(&g->p, dt, e->method);
		const sim_point *sp = g->sp[dt];
		uv_mutex_unlock(&g->sp_lock[dt]);
		if (!sp) {
			fail(e, g, "cannot build the protocol at x = %g (out of memory?)", g->dt_ms[dt]);
			return;
		}
		uint64_t ups = 0, downs = 0;
		int rc = sim_run_block(sp, seed, first, count, &e->current, g->id, &ups, &downs);
		if (rc < 0) {
			fail(e, g, "the simulation failed at x = %g (out of memory or a non-finite value)",
			     g->dt_ms[dt]);
			return;
		}
		if (rc != 0)
			return; /* a newer generation: its counts are dropped */
		uv_mutex_lock(&g->lock);
		g->n[dt] += count;
		g->ups[dt] += ups;
		g->downs[dt] += downs;
		g->done += count;
		g->steps += 2 * (uint64_t)count * sim_point_steps(sp);
		g->dirty = 1;
		/* A unit of the first round over the points, once as many repetitions as that round
		 * has are done: the coarse curve may just have completed. */
		uint64_t round = (uint64_t)g->points * (e->block < g->requested ? e->block : g->requested);
		int coarse = first == 0 && g->done >= round;
		have = atomic_load(&e->current) == g->id && !atomic_load(&e->paused) && !g->failed &&
		       next_unit(g, e->block, &dt, &first, &count, &unit);
		uv_mutex_unlock(&g->lock);
		/* The loop wants fresh counts a few times a frame, not after every unit: woken for each
		 * of a thousand units of a few tens of microseconds, it took a third of a one-worker
		 * run in context switches. The unit that completes the first round over the points (the
		 * coarse curve, due on screen at once) and a worker that stops wake it at once, and
		 * after_work_cb drains again, so neither the first nor the last counts are late. */
		uint64_t now = uv_hrtime();
		if (!have || coarse || now - atomic_load(&e->last_notify) >= NOTIFY_NS) {
			atomic_store(&e->last_notify, now);
			notify(e);
		}
		/* With every core busy, the scheduler may leave the woken loop thread waiting for a
		 * worker's time slice, milliseconds. The worker that completed the coarse curve gives
		 * its core until the loop has taken the counts (tens of microseconds), at most
		 * HANDOVER_NS, once per run. */
		if (coarse && have) {
			uint64_t until = now + HANDOVER_NS;
			uv_mutex_lock(&g->lock);
			while (g->drained < round && atomic_load(&e->current) == g->id) {
				uint64_t t = uv_hrtime();
				if (t >= until ||
				    uv_cond_timedwait(&g->drained_cond, &g->lock, until - t) != 0)
					break;
			}
			uv_mutex_unlock(&g->lock);
		}
	}
}

static void maybe_free(engine *e);

static void after_work_cb(uv_work_t *req, int status)
{
	(void)status; /* a cancelled unit is simply not counted */
	slot *s = req->data;
	engine *e = s->e;
	s->busy = 0;
	gen_unref(s->g);
	s->g = NULL;
	if (e->closing) {
		maybe_free(e);
		return;
	}
	/* uv_async_send may have coalesced with a send whose callback already ran: drain here too. */
	drain(e);
	dispatch(e);
}

/* Start a worker in every free slot while the current generation has units left. */
static void dispatch(engine *e)
{
	gen *g = e->g;
	if (!g || atomic_load(&e->paused) || e->closing)
		return;
	uv_mutex_lock(&g->lock);
	int left = units_left(g);
	uv_mutex_unlock(&g->lock);
	if (!left)
		return;
	for (int i = 0; i < e->nslots; i++) {
		slot *s = &e->slots[i];
		if (s->busy)
			continue;
		s->g = g;
		g->refs++;
		s->busy = 1;
		if (uv_queue_work(e->loop, &s->req, work_cb, after_work_cb) != 0) {
			s->busy = 0;
			gen_unref(g);
			s->g = NULL;
			return;
		}
	}
}

static double elapsed_s(const gen *g, int paused)
{
	uint64_t now = paused ? g->t_pause_began : uv_hrtime();
	return (double)(now - g->t_start - g->t_paused_total) * 1e-9;
}

/* Under g->lock: the weight model's points from the units done so far, summed in trial order (all
 * of them done: family_curve's bits); NaN where none is. */
static void weight_points(const gen *g, double *change, double *lo, double *hi)
{
	for (int i = 0; i < g->points; i++) {
		double a = 0, b = 0;
		uint64_t trials = 0;
		for (int k = 0; k < g->wu_n[i]; k++)
			if (g->wu[i][k].done) {
				a += g->wu[i][k].sum;
				b += g->wu[i][k].sumsq;
				trials += g->wu[i][k].count;
			}
		family_point f = family_from_sums(g->dt_ms[i], a, b, trials);
		if (g->exact)
			f.lo = f.hi = f.change;
		change[i] = trials ? f.change : NAN;
		lo[i] = trials ? f.lo : NAN;
		hi[i] = trials ? f.hi : NAN;
	}
}

/* Copy the mailbox and hand the copy to the front end. */
static void drain(engine *e)
{
	gen *g = e->g;
	if (!g || e->closing)
		return;
	int n = g->points;
	if (e->snap_cap < n) {
		uint64_t *a = realloc(e->snap_n, (size_t)n * sizeof *a);
		if (a)
			e->snap_n = a;
		uint64_t *b = realloc(e->snap_ups, (size_t)n * sizeof *b);
		if (b)
			e->snap_ups = b;
		uint64_t *c = realloc(e->snap_downs, (size_t)n * sizeof *c);
		if (c)
			e->snap_downs = c;
		double **w[] = {&e->snap_change, &e->snap_lo, &e->snap_hi};
		int wok = 1;
		for (int k = 0; k < 3; k++) {
			double *d = realloc(*w[k], (size_t)n * sizeof *d);
			if (d)
				*w[k] = d;
			wok = wok && d;
		}
		if (!a || !b || !c || !wok)
			return;
		e->snap_cap = n;
	}
	uv_mutex_lock(&g->lock);
	int dirty = g->dirty || e->force;
	g->dirty = 0;
	e->force = 0;
	memcpy(e->snap_n, g->n, (size_t)n * sizeof *g->n);
	memcpy(e->snap_ups, g->ups, (size_t)n * sizeof *g->ups);
	memcpy(e->snap_downs, g->downs, (size_t)n * sizeof *g->downs);
	if (g->weight)
		weight_points(g, e->snap_change, e->snap_lo, e->snap_hi);
	uint64_t done = g->done, steps = g->steps;
	int failed = g->failed;
	g->drained = done;
	uv_cond_broadcast(&g->drained_cond);
	uv_mutex_unlock(&g->lock);
	uint64_t total = g->requested * (uint64_t)n;
	int complete = !failed && done >= total;
	if (!dirty && !(complete && !g->completed_reported) && !(failed && !g->failure_reported))
		return;
	if (complete)
		g->completed_reported = 1;
	if (failed)
		g->failure_reported = 1;
	int paused = atomic_load(&e->paused);
	double el = elapsed_s(g, paused);
	engine_snapshot s = {
	    .generation = g->id,
	    .points = n,
	    .dt_ms = g->dt_ms,
	    .n = e->snap_n,
	    .ups = e->snap_ups,
	    .downs = e->snap_downs,
	    .reps_requested = g->requested,
	    .reps_done = done,
	    .reps_total = total,
	    .seed = (uint64_t)g->p.v[P_SEED],
	    .steps_per_s = el > 0 ? (double)steps / el : 0,
	    .elapsed_s = el,
	    .complete = complete,
	    .paused = paused,
	    .failed = failed,
	    .error = failed ? g->err : NULL,
	    .params = &g->shown,
	    .weight = g->weight,
	    .exact = g->exact,
	    .change = g->weight ? e->snap_change : NULL,
	    .change_lo = g->weight ? e->snap_lo : NULL,
	    .change_hi = g->weight ? e->snap_hi : NULL,
	};
	/* The callback may start a new generation or close the engine: g stays alive until it
	 * returns, so that every pointer in s does. */
	g->refs++;
	if (e->cb)
		e->cb(&s, e->user);
	gen_unref(g);
}

/* A worker waiting to hand the coarse curve over stops waiting: its generation is no longer current. */
static void wake_handover(gen *g)
{
	if (!g)
		return;
	uv_mutex_lock(&g->lock);
	uv_cond_broadcast(&g->drained_cond);
	uv_mutex_unlock(&g->lock);
}

static void async_cb(uv_async_t *h)
{
	drain(h->data);
}

engine *engine_new(uv_loop_t *loop, int threads, unsigned block, sim_method method, engine_update_cb cb,
                   void *user)
{
	engine *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	if (threads < 1)
		threads = 1;
	if (threads > ENGINE_MAX_WORKERS)
		threads = ENGINE_MAX_WORKERS;
	e->slots = calloc((size_t)threads, sizeof *e->slots);
	if (!e->slots) {
		free(e);
		return NULL;
	}
	for (int i = 0; i < threads; i++) {
		e->slots[i].req.data = &e->slots[i];
		e->slots[i].e = e;
	}
	e->nslots = threads;
	e->loop = loop;
	/* 32 repetitions per unit: one round over the default 41 points gives the coarse curve. */
	e->block = block ? block : 32;
	if (e->block > SIM_BLOCK_MAX)
		e->block = SIM_BLOCK_MAX;
	e->method = method;
	e->cb = cb;
	e->user = user;
	atomic_init(&e->current, 0);
	atomic_init(&e->paused, 0);
	if (uv_mutex_init(&e->async_lock) != 0) {
		free(e->slots);
		free(e);
		return NULL;
	}
	if (uv_async_init(loop, &e->async, async_cb) != 0) {
		uv_mutex_destroy(&e->async_lock);
		free(e->slots);
		free(e);
		return NULL;
	}
	e->async.data = e;
	e->async_open = 1;
	return e;
}

/* Replace the current generation; in-flight units of the old one stop at their next poll, queued
 * ones are cancelled, so at most one generation's work is ever waiting. */
static int start_gen(engine *e, const param_set *p)
{
	unsigned id = atomic_load(&e->current) + 1;
	gen *g = gen_new(p, id);
	if (!g)
		return -1;
	atomic_store(&e->current, id);
	wake_handover(e->g);
	for (int i = 0; i < e->nslots; i++)
		if (e->slots[i].busy)
			uv_cancel((uv_req_t *)&e->slots[i].req);
	gen_unref(e->g);
	e->g = g;
	if (atomic_load(&e->paused))
		g->t_pause_began = g->t_start;
	dispatch(e);
	return 0;
}

int engine_set_params(engine *e, const param_set *p, char *err, size_t errlen)
{
	if (params_check_set(p, err, errlen) < 0)
		return -1;
	if (start_gen(e, p) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

void engine_pause(engine *e, int paused)
{
	paused = !!paused;
	if (paused == atomic_load(&e->paused))
		return;
	atomic_store(&e->paused, paused);
	if (e->g) {
		if (paused)
			e->g->t_pause_began = uv_hrtime();
		else
			e->g->t_paused_total += uv_hrtime() - e->g->t_pause_began;
		e->force = 1;
	}
	if (!paused)
		dispatch(e);
	drain(e);
}

void engine_reseed(engine *e, uint64_t seed)
{
	if (!e->g)
		return;
	/* The repetitions asked for now, including any added by engine_more. */
	param_set p = e->g->shown;
	p.v[P_SEED] = (double)seed;
	start_gen(e, &p);
}

void engine_more(engine *e, uint64_t extra)
{
	gen *g = e->g;
	if (!g || g->exact)
		return; /* an exact value is computed once */
	uint64_t max = (uint64_t)params_table[P_REPS].max;
	uv_mutex_lock(&g->lock);
	g->requested = g->requested + extra > max ? max : g->requested + extra;
	uv_mutex_unlock(&g->lock);
	g->shown.v[P_REPS] = (double)g->requested;
	g->completed_reported = 0;
	e->force = 1;
	dispatch(e);
	drain(e);
}

static void async_close_cb(uv_handle_t *h)
{
	engine *e = h->data;
	e->async_closed = 1;
	maybe_free(e);
}

static void maybe_free(engine *e)
{
	if (!e->async_closed)
		return;
	for (int i = 0; i < e->nslots; i++)
		if (e->slots[i].busy)
			return;
	gen_unref(e->g);
	uv_mutex_destroy(&e->async_lock);
	free(e->snap_n);
	free(e->snap_ups);
	free(e->snap_downs);
	free(e->snap_change);
	free(e->snap_lo);
	free(e->snap_hi);
	free(e->slots);
	free(e);
}

int engine_workers(const engine *e)
{
	int n = 0;
	for (int i = 0; i < e->nslots; i++)
		n += e->slots[i].busy;
	return n;
}

int engine_stale_units(const engine *e)
{
	int n = 0;
	for (int i = 0; i < e->nslots; i++)
		n += e->slots[i].busy && e->slots[i].g != e->g;
	return n;
}

void engine_close(engine *e)
{
	if (e->closing)
		return;
	e->closing = 1;
	atomic_fetch_add(&e->current, 1);
	wake_handover(e->g);
	for (int i = 0; i < e->nslots; i++)
		if (e->slots[i].busy)
			uv_cancel((uv_req_t *)&e->slots[i].req);
	/* Workers that are still running must not send on a closing handle. */
	uv_mutex_lock(&e->async_lock);
	e->async_open = 0;
	uv_mutex_unlock(&e->async_lock);
	uv_close((uv_handle_t *)&e->async, async_close_cb);
}
