/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Spike protocols and the calcium they produce: schedules of segments for the Monte Carlo, times above
 * threshold for the analytic curve (see calcium.h). */
#include "calcium.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

/* The pair or burst of one period: dt to the last post spike, the frequency, and the post spikes. */
typedef struct period_shape {
	double dt_s, period_s;
	int nposts;
	double isi_s;
} period_shape;

static period_shape shape_at(const param_set *p, double x)
{
	period_shape s = {x * 1e-3, 1.0 / p->v[P_FREQ_HZ], 1, 0};
	switch ((int)p->v[P_PROTOCOL]) {
	case PROTO_FREQUENCY:
		s.dt_s = p->v[P_FIXED_DT_MS] * 1e-3;
		s.period_s = 1.0 / x;
		break;
	case PROTO_BURST:
		s.nposts = (int)p->v[P_BURST_SPIKES];
		s.isi_s = p->v[P_BURST_ISI_MS] * 1e-3;
		break;
	default:
		break;
	}
	return s;
}

double calcium_c_post(const param_set *p)
{
	return p->v[P_C_POST] * p->v[P_C_POST_SCALE];
}

static void fill_protocol(const param_set *p, period_shape s, protocol *out)
{
	memset(out, 0, sizeof *out);
	out->period_s = s.period_s;
	/* Presentations: the approximation counts the time of stimulation only (calcium has decayed and
	 * rho only drifts in the long gaps between them). */
	out->repeats = (int)p->v[P_PAIRS] * (int)p->v[P_PRESENTATIONS];
	/* The delayed pre transient opens the period; post spike j comes (dt - (n-1-j) isi - D) mod T
	 * later. */
	out->t[0] = 0;
	out->amp[0] = p->v[P_C_PRE];
	out->n = 1;
	for (int j = 0; j < s.nposts && out->n < PROTOCOL_MAX_TRANSIENTS; j++) {
		double off =
		    fmod(s.dt_s - (s.nposts - 1 - j) * s.isi_s - p->v[P_DELAY_MS] * 1e-3, s.period_s);
		if (off < 0)
			off += s.period_s;
		out->t[out->n] = off;
		out->amp[out->n] = calcium_c_post(p);
		out->n++;
	}
}

void protocol_pairs(const param_set *p, double dt_ms, protocol *out)
{
	period_shape s = {dt_ms * 1e-3, 1.0 / p->v[P_FREQ_HZ], 1, 0};
	fill_protocol(p, s, out);
}

int protocol_at(const param_set *p, double x, protocol *out)
{
	if (params_random_protocol(p))
		return -1;
	fill_protocol(p, shape_at(p, x), out);
	return 0;
}

int protocol_events(const param_set *p, double x, double *t_ms, int *kind, int cap)
{
	if (params_random_protocol(p))
		return 0;
	period_shape s = shape_at(p, x);
	int n = 0;
	if (n < cap)
		t_ms[n] = 0, kind[n++] = 0;
	if (n < cap)
		t_ms[n] = p->v[P_DELAY_MS], kind[n++] = 1;
	for (int j = 0; j < s.nposts && n < cap; j++)
		t_ms[n] = (s.dt_s - (s.nposts - 1 - j) * s.isi_s) * 1e3, kind[n++] = 2;
	return n;
}

double calcium_steady(const param_set *p, double x, double t_ms)
{
	protocol pr;
	if (protocol_at(p, x, &pr) < 0)
		return NAN;
	double tau = p->v[P_TAU_CA_MS] * 1e-3, T = pr.period_s;
	/* Time since the pre transient, wrapped into the period. */
	double t = (t_ms - p->v[P_DELAY_MS]) * 1e-3;
	double c = 0;
	for (int m = 0; m < pr.n; m++) {
		double lag = fmod(t - pr.t[m], T);
		if (lag < 0)
			lag += T;
		c += pr.amp[m] * exp(-lag / tau);
	}
	return c / -expm1(-T / tau);
}

/* The first step n with n*h > t: the seed's threshold "t > spike time" on a clock of step h. Times that
 * fall on a step boundary up to rounding count as on it, so 100 ms gives step 1001 at h = 0.1 ms. */
static uint64_t first_step_after(double t, double h)
{
	double x = t / h;
	double r = nearbyint(x);
	if (fabs(x - r) < 1e-6 * (1 + fabs(r)))
		x = r;
	if (x < 0)
		return 0;
	return (uint64_t)floor(x) + 1;
}

static int train_push(spike_train *t, uint64_t step, double amp)
{
	if (t->n == t->cap) {
		uint32_t cap = t->cap ? 2 * t->cap : 256;
		uint64_t *s = realloc(t->step, cap * sizeof *s);
		if (!s)
			return -1;
		t->step = s;
		double *a = realloc(t->amp, cap * sizeof *a);
		if (!a)
			return -1;
		t->amp = a;
		t->cap = cap;
	}
	t->step[t->n] = step;
	t->amp[t->n] = amp;
	t->n++;
	return 0;
}

static int cmp_event(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Periodic protocols: each spike on the first step after its nominal time, as in the seed. */
static int train_periodic(const param_set *p, period_shape s, spike_train *out)
{
	double h = p->v[P_STEP_MS] * 1e-3;
	int pairs, npres;
	params_presentations(p, s.period_s, &pairs, &npres);
	double interval = p->v[P_INTERVAL_S];
	double first_post = s.dt_s - (s.nposts - 1) * s.isi_s;
	/* The seed's first pre spike is at 100 ms; it comes later only when a post spike of a very
	 * negative dt would otherwise fall before the start. */
	double t0 = 0.1 + (first_post < -0.1 ? -first_post - 0.1 : 0);
	uint64_t delay = (uint64_t)llround(p->v[P_DELAY_MS] * 1e-3 / h);
	int per = 1 + s.nposts;
	/* (step, kind) pairs, sorted together. */
	uint64_t *ev = malloc((size_t)npres * pairs * per * 2 * sizeof *ev);
	if (!ev)
		return -1;
	size_t k = 0;
	for (int pi = 0; pi < npres * pairs; pi++) {
		/* Presentation pi / pairs starts interval_s after the one before. */
		int i = pi % pairs;
		double tp = t0 + (pi / pairs) * interval + i * s.period_s;
		ev[k++] = first_step_after(tp, h) + delay;
		ev[k++] = 0;
		for (int j = 0; j < s.nposts; j++) {
			ev[k++] = first_step_after(tp + s.dt_s - (s.nposts - 1 - j) * s.isi_s, h);
			ev[k++] = 1;
		}
	}
	size_t n = k / 2;
	qsort(ev, n, 2 * sizeof *ev, cmp_event);
	uint64_t last = 0;
	out->period_events = (uint32_t)per;
	for (size_t i = 0; i < n; i++) {
		if (train_push(out, ev[2 * i], ev[2 * i + 1] ? calcium_c_post(p) : p->v[P_C_PRE]) < 0) {
			free(ev);
			return -1;
		}
		last = ev[2 * i];
	}
	free(ev);
	/* The seed runs pairs/f seconds (60 s); a longer run only when calcium from the last transient
	 * would not have decayed (10 tau_Ca) by then. */
	uint64_t steps = (uint64_t)llround((t0 - 0.1 + (npres - 1) * interval + pairs * s.period_s) / h);
	uint64_t tail = (uint64_t)ceil(10 * p->v[P_TAU_CA_MS] * 1e-3 / h);
	if (last + 1 + tail > steps)
		steps = last + 1 + tail;
	out->steps = steps;
	return 0;
}

/* Poisson: the next spike of train w (0 pre, 1 post) as the step of its transient. Each train is a
 * renewal process of exponential intervals; 1 - u is in (0, 1], so the log is finite. A spike at
 * time t >= 0 falls on the first step n with n h > t (a time of the continuous trains is on a step
 * boundary with probability 0: no rounding is forgiven, unlike first_step_after's). */
static void stream_draw_paired(calcium_stream *cs);

static inline uint64_t poisson_step(const calcium_stream *cs, double t)
{
	return (uint64_t)(t * cs->ih) + 1;
}

static void stream_draw(calcium_stream *cs, int w)
{
	if (w == 2) {
		stream_draw_paired(cs);
		return;
	}
	if (!(cs->rate[w] > 0)) {
		cs->next[w] = UINT64_MAX;
		return;
	}
	rng post = {.s = cs->post};
	rng *r = w == 0 ? cs->pre : &post;
	cs->t[w] += -log(1 - 0.5 * (rng_sym(r) + 1)) * cs->irate[w];
	uint64_t s = cs->t[w] < cs->T ? poisson_step(cs, cs->t[w]) + (w == 0 ? cs->delay : 0) : UINT64_MAX;
	cs->next[w] = s >= cs->steps ? UINT64_MAX : s;
	cs->post = post.s;
}

/* Irregular protocols: the next pre spike (replayed from the pre train's stream) that keeps its
 * paired post spike, dt later inside the run. */
static void stream_draw_paired(calcium_stream *cs)
{
	rng re = {.s = cs->replay}, coin = {.s = cs->coin};
	cs->next[2] = UINT64_MAX;
	while (cs->prob > 0 && cs->rate[0] > 0) {
		cs->t[2] += -log(1 - 0.5 * (rng_sym(&re) + 1)) * cs->irate[0];
		if (cs->t[2] >= cs->T)
			break;
		double u = 0.5 * (rng_sym(&coin) + 1), tq = cs->t[2] + cs->dt;
		if (u < cs->prob && tq > 0 && tq < cs->T) {
			uint64_t s = poisson_step(cs, tq);
			if (s < cs->steps) {
				cs->next[2] = s;
				break;
			}
		}
	}
	cs->replay = re.s;
	cs->coin = coin.s;
}

void calcium_stream_init(calcium_stream *cs, const param_set *p, double x, rng *r)
{
	memset(cs, 0, sizeof *cs);
	cs->h = p->v[P_STEP_MS] * 1e-3;
	cs->T = p->v[P_DURATION_S];
	cs->steps = (uint64_t)llround(cs->T / cs->h);
	cs->delay = (uint64_t)llround(p->v[P_DELAY_MS] * 1e-3 / cs->h);
	cs->rate[0] = p->v[P_RATE_PRE_HZ];
	cs->rate[1] = x;
	cs->amp[0] = p->v[P_C_PRE];
	cs->amp[1] = calcium_c_post(p);
	cs->r = 1 - p->v[P_STEP_MS] / p->v[P_TAU_CA_MS];
	cs->theta_d = p->v[P_THETA_D];
	cs->theta_p = p->v[P_THETA_P];
	cs->quiet = cs->theta_d < cs->theta_p ? cs->theta_d : cs->theta_p;
	cs->pre = r;
	cs->post = rng_mix64(rng_u64(r) ^ 0xbb67ae8584caa73bULL);
	cs->next[2] = UINT64_MAX;
	int proto = (int)p->v[P_PROTOCOL];
	if (proto == PROTO_IRREGULAR || proto == PROTO_IRREGULAR_RATE) {
		/* Pre spikes at rate_pre_hz (irregular) or x; each followed by a post spike dt later with
		 * probability pair_prob; independent post spikes at the rest of the post rate. */
		double rpre = proto == PROTO_IRREGULAR ? p->v[P_RATE_PRE_HZ] : x;
		double rpost = proto == PROTO_IRREGULAR ? p->v[P_RATE_POST_HZ] : x;
		cs->prob = p->v[P_PAIR_PROB];
		cs->dt = (proto == PROTO_IRREGULAR ? x : p->v[P_FIXED_DT_MS]) * 1e-3;
		cs->rate[0] = rpre;
		cs->rate[1] = fmax(0, rpost - cs->prob * rpre);
		cs->amp[2] = calcium_c_post(p);
		cs->replay = r->s;
		cs->coin = rng_mix64(r->s ^ 0x3c6ef372fe94f82bULL);
	}
	for (int w = 0; w < 2; w++)
		cs->irate[w] = cs->rate[w] > 0 ? 1 / cs->rate[w] : 0;
	cs->ih = 1 / cs->h;
	if (cs->prob > 0)
		stream_draw(cs, 2);
	stream_draw(cs, 0);
	stream_draw(cs, 1);
}

/* The train whose transient comes next (pre first on a tie, then the independent posts). */
static int stream_which(const calcium_stream *cs)
{
	int w = cs->next[0] <= cs->next[1] ? 0 : 1;
	return cs->next[2] < cs->next[w] ? 2 : w;
}

/* The next transient of the merged trains; UINT64_MAX when none is left. */
static uint64_t stream_peek(const calcium_stream *cs)
{
	return cs->next[stream_which(cs)];
}

static double stream_take(calcium_stream *cs)
{
	int w = stream_which(cs);
	stream_draw(cs, w);
	return cs->amp[w];
}

int calcium_stream_event(calcium_stream *cs, uint64_t *step, double *amp)
{
	*step = stream_peek(cs);
	if (*step == UINT64_MAX)
		return 0;
	*amp = stream_take(cs);
	return 1;
}

static int train_poisson(const param_set *p, double rate_post, rng *r, spike_train *out)
{
	calcium_stream cs;
	calcium_stream_init(&cs, p, rate_post, r);
	for (uint64_t s; (s = stream_peek(&cs)) != UINT64_MAX;)
		if (train_push(out, s, stream_take(&cs)) < 0)
			return -1;
	out->steps = cs.steps;
	return 0;
}

int spike_train_at(const param_set *p, double x, rng *r, spike_train *out)
{
	memset(out, 0, sizeof *out);
	int rc = params_random_protocol(p) ? (r ? train_poisson(p, x, r, out) : -1)
	                                                : train_periodic(p, shape_at(p, x), out);
	if (rc < 0)
		spike_train_free(out);
	return rc;
}

int spike_train_pairs(const param_set *p, double dt_ms, spike_train *out)
{
	memset(out, 0, sizeof *out);
	period_shape s = {dt_ms * 1e-3, 1.0 / p->v[P_FREQ_HZ], 1, 0};
	int rc = train_periodic(p, s, out);
	if (rc < 0)
		spike_train_free(out);
	return rc;
}

void spike_train_free(spike_train *t)
{
	free(t->step);
	free(t->amp);
	memset(t, 0, sizeof *t);
}

/* The walk through calcium with the seed's discretisation, a segment at a time; transients come from
 * a train (ev) or from Poisson streams (cs). */
typedef struct walk {
	double c, r, quiet, theta_d, theta_p;
	uint64_t n, steps, active;
	const spike_train *t; /* a train's transients, the next one at index e */
	uint32_t e;
	uint32_t mark;      /* a checkpoint after every mark-th transient of the train (0: none) */
	calcium_stream *cs; /* or the Poisson trains */
} walk;

static uint64_t walk_peek(const walk *w)
{
	if (w->cs)
		return stream_peek(w->cs);
	return w->e < w->t->n ? w->t->step[w->e] : UINT64_MAX;
}

/* Steps to take at once above threshold. Step by step, as the seed does, unless calcium stays in one
 * state for long (slow decay, small steps): then all but the last few steps before the state could
 * change or a transient comes are taken in one (c r^k instead of k products: the same up to
 * rounding), so the walk costs per transient, not per step. */
#define STRETCH_MIN   1024
#define STRETCH_GUARD 16
static uint64_t active_stretch(const walk *w, int hd, int hp)
{
	uint64_t ev = walk_peek(w);
	uint64_t room = (ev < w->steps ? ev : w->steps - 1) - w->n; /* steps before the transient's */
	if (room < STRETCH_MIN)
		return 1;
	double th = hd && hp ? fmax(w->theta_d, w->theta_p) : hd ? w->theta_d : w->theta_p;
	double kc = log(th / w->c) / log(w->r); /* c r^k falls to th at k = kc */
	if (!(kc > STRETCH_MIN + STRETCH_GUARD))
		return 1;
	uint64_t k = kc > (double)room + STRETCH_GUARD ? room : (uint64_t)kc - STRETCH_GUARD;
	return k < STRETCH_MIN ? 1 : k;
}

/* The next run of steps of one threshold state into *g: 1, or 0 at the end of the run. *brk is set
 * when the run stopped at a checkpoint (right after the transients of a step with a marked one). */
static int walk_segment(walk *w, segment *g, int *brk)
{
	int have = 0;
	*brk = 0;
	/* A stream hands its segments over after a bounded walk, so that its reader can look at a stop
	 * request even when calcium stays in one state for the whole run. */
	for (unsigned budget = w->cs ? 4096 : UINT_MAX; w->n < w->steps && budget; budget--) {
		int active = w->c > w->quiet;
		int hd = active && w->c > w->theta_d, hp = active && w->c > w->theta_p;
		if (have && (hd != g->hd || hp != g->hp))
			return 1;
		uint64_t k = 1;
		if (!active) {
			/* Below both thresholds calcium only decays until the next transient: one gap up to
			 * and including the step that ends with it. */
			uint64_t ev = walk_peek(w);
			uint64_t end = ev < w->steps ? ev + 1 : w->steps;
			k = end - w->n;
			w->c *= pow(w->r, (double)k);
		} else {
			k = active_stretch(w, hd, hp);
			w->c *= k > 1 ? pow(w->r, (double)k) : w->r;
			w->active += k;
		}
		w->n += k;
		if (!have)
			*g = (segment){.steps = 0, .hd = (uint8_t)hd, .hp = (uint8_t)hp};
		g->steps += k;
		have = 1;
		for (uint64_t ev; (ev = walk_peek(w)) < w->n;) {
			if (w->cs) {
				double amp = stream_take(w->cs);
				if (ev == w->n - 1)
					w->c += amp;
				continue;
			}
			if (ev == w->n - 1)
				w->c += w->t->amp[w->e];
			*brk |= w->mark && w->e % w->mark == 0;
			w->e++;
		}
		if (*brk)
			return 1;
		if (k == 1 && active) {
			/* Up to the next transient calcium only decays in this state: the same steps as the
			 * loop above would take one at a time (active_stretch gives 1 while the room and
			 * calcium shrink), without looking for transients at each. Each counts against the
			 * budget as one pass of the loop. */
			uint64_t ev = walk_peek(w), stop = ev < w->steps ? ev : w->steps;
			while (budget > 1 && w->n < stop) {
				int a = w->c > w->quiet;
				if (!a || (w->c > w->theta_d) != g->hd || (w->c > w->theta_p) != g->hp)
					break;
				w->c *= w->r;
				w->active++;
				w->n++;
				g->steps++;
				budget--;
			}
		}
	}
	return have;
}

static void walk_init(walk *w, const param_set *p, uint64_t steps)
{
	memset(w, 0, sizeof *w);
	w->theta_d = p->v[P_THETA_D];
	w->theta_p = p->v[P_THETA_P];
	w->quiet = w->theta_d < w->theta_p ? w->theta_d : w->theta_p;
	w->r = 1 - p->v[P_STEP_MS] / p->v[P_TAU_CA_MS];
	w->steps = steps;
}

int calcium_stream_next(calcium_stream *cs, segment *out)
{
	walk w;
	int brk;
	/* The walk's state lives in the stream between calls. */
	w = (walk){.c = cs->c,
	           .r = cs->r,
	           .quiet = cs->quiet,
	           .theta_d = cs->theta_d,
	           .theta_p = cs->theta_p,
	           .n = cs->n,
	           .steps = cs->steps,
	           .cs = cs};
	int rc = walk_segment(&w, out, &brk);
	cs->c = w.c;
	cs->n = w.n;
	return rc;
}

static int sched_push(schedule *s, segment g)
{
	if (s->n == s->cap) {
		uint32_t cap = s->cap ? 2 * s->cap : 256;
		segment *ng = realloc(s->seg, cap * sizeof *ng);
		if (!ng)
			return -1;
		s->seg = ng;
		s->cap = cap;
	}
	s->seg[s->n++] = g;
	return 0;
}

/* A checkpoint of the walk, right after the transients of a period's first step. */
typedef struct checkpoint {
	double c;
	uint64_t n, active;
	uint32_t e, seg;
} checkpoint;

#define REPEAT_HISTORY 4

/* If the walk at checkpoint b is in the state it was at a, and the train repeats the transients of
 * a .. b for the rest of the run, store the segments of a .. b once and jump over the copies. */
static int try_repeat(walk *w, schedule *s, const checkpoint *a, const checkpoint *b)
{
	const spike_train *t = w->t;
	if (memcmp(&a->c, &b->c, sizeof a->c) != 0 || b->seg == a->seg)
		return 0;
	uint32_t q = b->e - a->e;
	uint64_t d = b->n - a->n;
	if (q == 0 || q % w->mark != 0)
		return 0;
	/* The walk from a to b read transients a->e .. b->e - 1: each copy reads the next q, shifted by d. */
	uint32_t j = b->e;
	while (j < t->n && t->step[j] == t->step[j - q] + d && t->amp[j] == t->amp[j - q])
		j++;
	uint64_t copies = (j - b->e) / q;
	uint64_t room = (w->steps - b->n) / d;
	if (copies > room)
		copies = room;
	if (copies == 0)
		return 0;
	s->rep_first = a->seg;
	s->rep_n = b->seg - a->seg;
	s->rep_times = 1 + copies;
	w->n = b->n + copies * d;
	w->e = b->e + (uint32_t)copies * q;
	w->active += copies * (b->active - a->active);
	return 1;
}

int schedule_build_ex(const param_set *p, const spike_train *t, int repeat, schedule *out)
{
	memset(out, 0, sizeof *out);
	out->rep_times = 1;
	walk w;
	walk_init(&w, p, t->steps);
	w.t = t;
	w.mark = repeat ? t->period_events : 0;
	checkpoint hist[REPEAT_HISTORY];
	int nhist = 0, repeated = 0;
	segment g;
	int brk;
	while (walk_segment(&w, &g, &brk)) {
		/* walk_segment merges runs of one state except across a checkpoint, where a repeated block
		 * may start or end. */
		if (sched_push(out, g) < 0)
			goto oom;
		if (!brk || repeated)
			continue;
		checkpoint now = {w.c, w.n, w.active, w.e, out->n};
		for (int k = nhist - 1; k >= 0 && !repeated; k--)
			repeated = try_repeat(&w, out, &hist[k], &now);
		if (nhist == REPEAT_HISTORY)
			memmove(hist, hist + 1, (REPEAT_HISTORY - 1) * sizeof *hist), nhist--;
		hist[nhist++] = now;
	}
	out->steps = t->steps;
	out->active = w.active;
	return 0;
oom:
	schedule_free(out);
	return -1;
}

int schedule_build(const param_set *p, const spike_train *t, schedule *out)
{
	return schedule_build_ex(p, t, 1, out);
}

uint64_t schedule_length(const schedule *s)
{
	return s->n + (s->rep_times - 1) * s->rep_n;
}

const segment *schedule_at(const schedule *s, uint64_t i)
{
	if (i < (uint64_t)s->rep_first + s->rep_n)
		return &s->seg[i];
	uint64_t rep_end = s->rep_first + s->rep_times * s->rep_n;
	if (i < rep_end)
		return &s->seg[s->rep_first + (i - s->rep_first) % s->rep_n];
	return &s->seg[i - (s->rep_times - 1) * s->rep_n];
}

void schedule_free(schedule *s)
{
	free(s->seg);
	memset(s, 0, sizeof *s);
}

void calcium_trace(const param_set *p, const spike_train *t, uint64_t first, uint64_t n, double *c)
{
	double r = 1 - p->v[P_STEP_MS] / p->v[P_TAU_CA_MS];
	double x = 0;
	uint32_t e = 0;
	for (uint64_t i = 0; i < first + n; i++) {
		if (i >= first)
			c[i - first] = x;
		x *= r;
		while (e < t->n && t->step[e] == i)
			x += t->amp[e++];
	}
}
