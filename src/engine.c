#include "engine.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"

/* One parameter set's run. Owned by the loop thread; workers read params and sim points and write
 * only into the mailbox under its lock. Freed when the engine and no worker slot refer to it. */
typedef struct gen {
	unsigned id;     /* generation number, compared with engine.current by workers */
	int refs;        /* the engine's reference plus one per slot that holds it (loop thread) */
	param_set p;     /* as started; read by workers, so never written again */
	param_set shown; /* p with the repetitions asked for now (engine_more), for snapshots */
	int points;
	double *dt_ms;        /* [points] */
	sim_point **sp;       /* [points], built by the first unit that needs it */
	uv_mutex_t *sp_lock;  /* [points] */
	uint64_t requested;   /* repetitions per dt and initial state */
	uint64_t *dispatched; /* [points] repetitions handed to workers (loop thread) */
	int cursor;           /* round-robin position over dt (loop thread) */
	/* The mailbox: counts of finished units, written by workers, read by the async callback. */
	uv_mutex_t lock;
	uint64_t *n, *ups, *downs; /* [points] */
	uint64_t done;             /* sum of n */
	uint64_t steps;            /* rho steps (the seed's count) of finished units */
	int dirty;                 /* something new since the last drain */
	/* Wall time of the run, excluding pauses (loop thread). */
	uint64_t t_start, t_paused_total, t_pause_began;
	int completed_reported;
} gen;

/* A worker slot: one uv_work_t in the threadpool at a time. */
typedef struct slot {
	uv_work_t req;
	engine *e;
	gen *g;
	int busy;
	int dt;         /* which point */
	uint64_t first; /* first repetition */
	uint32_t count; /* repetitions in this unit */
} slot;

struct engine {
	uv_loop_t *loop;
	uv_async_t async;
	atomic_uint current; /* the running generation's id: workers of older ones stop */
	gen *g;              /* the current generation, or NULL before the first engine_set_params */
	slot *slots;
	int nslots;
	unsigned block;
	sim_method method;
	engine_update_cb cb;
	void *user;
	int paused;
	int force; /* report once even if no unit finished (pause, more) */
	int closing;
	int async_closed;
	/* Scratch copies handed to the callback, so that it never sees the mailbox change. */
	uint64_t *snap_n, *snap_ups, *snap_downs;
	int snap_cap;
};

static void dispatch(engine *e);
static void drain(engine *e);

void engine_prepare_threads(int threads)
{
	char buf[16];
	/* Jobs (analytic curves, views) get threads of their own: the engine's workers never starve
	 * them. */
	snprintf(buf, sizeof buf, "%d", (threads < 1 ? 1 : threads > 1024 ? 1024 : threads) + JOBS_THREADS);
	setenv("UV_THREADPOOL_SIZE", buf, 1);
}

static void gen_unref(gen *g)
{
	if (!g || --g->refs > 0)
		return;
	for (int i = 0; i < g->points; i++) {
		sim_point_free(g->sp[i]);
		uv_mutex_destroy(&g->sp_lock[i]);
	}
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
	g->requested = (uint64_t)p->v[P_REPS];
	g->dt_ms = calloc((size_t)n, sizeof *g->dt_ms);
	g->sp = calloc((size_t)n, sizeof *g->sp);
	g->sp_lock = calloc((size_t)n, sizeof *g->sp_lock);
	g->dispatched = calloc((size_t)n, sizeof *g->dispatched);
	g->n = calloc((size_t)n, sizeof *g->n);
	g->ups = calloc((size_t)n, sizeof *g->ups);
	g->downs = calloc((size_t)n, sizeof *g->downs);
	if (!g->dt_ms || !g->sp || !g->sp_lock || !g->dispatched || !g->n || !g->ups || !g->downs) {
		free(g->dt_ms), free(g->sp), free(g->sp_lock), free(g->dispatched);
		free(g->n), free(g->ups), free(g->downs), free(g);
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

/* The worker: build the point's calcium schedule if nobody has yet, then simulate the unit. */
static void work_cb(uv_work_t *req)
{
	slot *s = req->data;
	engine *e = s->e;
	gen *g = s->g;
	if (atomic_load(&e->current) != g->id)
		return;
	uv_mutex_lock(&g->sp_lock[s->dt]);
	if (!g->sp[s->dt])
		g->sp[s->dt] = sim_point_new(&g->p, s->dt, e->method);
	const sim_point *sp = g->sp[s->dt];
	uv_mutex_unlock(&g->sp_lock[s->dt]);
	if (!sp)
		return; /* out of memory: the unit stays undone, and the run never claims completion */
	uint64_t ups = 0, downs = 0;
	uint64_t seed = (uint64_t)g->p.v[P_SEED];
	if (sim_run_block(sp, seed, s->first, s->count, &e->current, g->id, &ups, &downs) != 0)
		return;
	uv_mutex_lock(&g->lock);
	g->n[s->dt] += s->count;
	g->ups[s->dt] += ups;
	g->downs[s->dt] += downs;
	g->done += s->count;
	g->steps += 2 * (uint64_t)s->count * sim_point_steps(sp);
	g->dirty = 1;
	uv_mutex_unlock(&g->lock);
	uv_async_send(&e->async);
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

/* The next unit of the current generation, round-robin over dt. 0 when every repetition is handed out. */
static int next_unit(engine *e, int *dt, uint64_t *first, uint32_t *count)
{
	gen *g = e->g;
	for (int k = 0; k < g->points; k++) {
		int i = (g->cursor + k) % g->points;
		if (g->dispatched[i] < g->requested) {
			uint64_t left = g->requested - g->dispatched[i];
			*dt = i;
			*first = g->dispatched[i];
			*count = (uint32_t)(left < e->block ? left : e->block);
			g->dispatched[i] += *count;
			g->cursor = (i + 1) % g->points;
			return 1;
		}
	}
	return 0;
}

static void dispatch(engine *e)
{
	if (!e->g || e->paused || e->closing)
		return;
	for (int i = 0; i < e->nslots; i++) {
		slot *s = &e->slots[i];
		if (s->busy)
			continue;
		if (!next_unit(e, &s->dt, &s->first, &s->count))
			return;
		s->g = e->g;
		s->g->refs++;
		s->busy = 1;
		if (uv_queue_work(e->loop, &s->req, work_cb, after_work_cb) != 0) {
			s->busy = 0;
			s->g->dispatched[s->dt] -= s->count;
			gen_unref(s->g);
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
		if (!a || !b || !c)
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
	uint64_t done = g->done, steps = g->steps;
	uv_mutex_unlock(&g->lock);
	uint64_t total = g->requested * (uint64_t)n;
	int complete = done >= total;
	if (!dirty && !(complete && !g->completed_reported))
		return;
	if (complete)
		g->completed_reported = 1;
	double el = elapsed_s(g, e->paused);
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
	    .paused = e->paused,
	    .params = &g->shown,
	};
	if (e->cb)
		e->cb(&s, e->user);
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
	if (uv_async_init(loop, &e->async, async_cb) != 0) {
		free(e->slots);
		free(e);
		return NULL;
	}
	e->async.data = e;
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
	for (int i = 0; i < e->nslots; i++)
		if (e->slots[i].busy)
			uv_cancel((uv_req_t *)&e->slots[i].req);
	gen_unref(e->g);
	e->g = g;
	if (e->paused)
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
	if (paused == e->paused)
		return;
	e->paused = paused;
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
	if (!g)
		return;
	uint64_t max = (uint64_t)params_table[P_REPS].max;
	g->requested = g->requested + extra > max ? max : g->requested + extra;
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
	free(e->snap_n);
	free(e->snap_ups);
	free(e->snap_downs);
	free(e->slots);
	free(e);
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
	for (int i = 0; i < e->nslots; i++)
		if (e->slots[i].busy)
			uv_cancel((uv_req_t *)&e->slots[i].req);
	uv_close((uv_handle_t *)&e->async, async_close_cb);
}
