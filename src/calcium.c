#include "calcium.h"

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
	out->repeats = (int)p->v[P_PAIRS];
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
	if ((int)p->v[P_PROTOCOL] == PROTO_POISSON)
		return -1;
	fill_protocol(p, shape_at(p, x), out);
	return 0;
}

int protocol_events(const param_set *p, double x, double *t_ms, int *kind, int cap)
{
	if ((int)p->v[P_PROTOCOL] == PROTO_POISSON)
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
	int pairs = (int)p->v[P_PAIRS];
	double first_post = s.dt_s - (s.nposts - 1) * s.isi_s;
	/* The seed's first pre spike is at 100 ms; it comes later only when a post spike of a very
	 * negative dt would otherwise fall before the start. */
	double t0 = 0.1 + (first_post < -0.1 ? -first_post - 0.1 : 0);
	uint64_t delay = (uint64_t)llround(p->v[P_DELAY_MS] * 1e-3 / h);
	int per = 1 + s.nposts;
	/* (step, kind) pairs, sorted together. */
	uint64_t *ev = malloc((size_t)pairs * per * 2 * sizeof *ev);
	if (!ev)
		return -1;
	size_t k = 0;
	for (int i = 0; i < pairs; i++) {
		double tp = t0 + i * s.period_s;
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
	uint64_t steps = (uint64_t)llround((t0 - 0.1 + pairs * s.period_s) / h);
	uint64_t tail = (uint64_t)ceil(10 * p->v[P_TAU_CA_MS] * 1e-3 / h);
	if (last + 1 + tail > steps)
		steps = last + 1 + tail;
	out->steps = steps;
	return 0;
}

/* Poisson: independent pre and post trains over duration_s, the post rate being x. */
static int train_poisson(const param_set *p, double rate_post, rng *r, spike_train *out)
{
	double h = p->v[P_STEP_MS] * 1e-3, T = p->v[P_DURATION_S];
	uint64_t steps = (uint64_t)llround(T / h);
	uint64_t delay = (uint64_t)llround(p->v[P_DELAY_MS] * 1e-3 / h);
	double rates[2] = {p->v[P_RATE_PRE_HZ], rate_post};
	spike_train tr[2] = {{0}, {0}};
	for (int w = 0; w < 2; w++) {
		double t = 0;
		for (;;) {
			/* 1 - u is in (0, 1]: the log is finite. */
			t += -log(1 - 0.5 * (rng_sym(r) + 1)) / rates[w];
			uint64_t s = first_step_after(t, h) + (w == 0 ? delay : 0);
			if (t >= T || s >= steps)
				break;
			if (train_push(&tr[w], s, w == 0 ? p->v[P_C_PRE] : calcium_c_post(p)) < 0)
				goto oom;
		}
	}
	/* Merge the two sorted trains. */
	for (uint32_t i = 0, j = 0; i < tr[0].n || j < tr[1].n;) {
		int take_pre = j >= tr[1].n || (i < tr[0].n && tr[0].step[i] <= tr[1].step[j]);
		spike_train *src = take_pre ? &tr[0] : &tr[1];
		uint32_t *idx = take_pre ? &i : &j;
		if (train_push(out, src->step[*idx], src->amp[*idx]) < 0)
			goto oom;
		(*idx)++;
	}
	out->steps = steps;
	spike_train_free(&tr[0]);
	spike_train_free(&tr[1]);
	return 0;
oom:
	spike_train_free(&tr[0]);
	spike_train_free(&tr[1]);
	return -1;
}

int spike_train_at(const param_set *p, double x, rng *r, spike_train *out)
{
	memset(out, 0, sizeof *out);
	int rc = (int)p->v[P_PROTOCOL] == PROTO_POISSON ? (r ? train_poisson(p, x, r, out) : -1)
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

static int sched_push(schedule *s, uint64_t steps, int hd, int hp)
{
	if (steps == 0)
		return 0;
	if (s->n && s->seg[s->n - 1].hd == hd && s->seg[s->n - 1].hp == hp) {
		s->seg[s->n - 1].steps += steps;
		return 0;
	}
	if (s->n == s->cap) {
		uint32_t cap = s->cap ? 2 * s->cap : 256;
		segment *g = realloc(s->seg, cap * sizeof *g);
		if (!g)
			return -1;
		s->seg = g;
		s->cap = cap;
	}
	s->seg[s->n++] = (segment){.steps = steps, .hd = (uint8_t)hd, .hp = (uint8_t)hp};
	return 0;
}

int schedule_build(const param_set *p, const spike_train *t, schedule *out)
{
	memset(out, 0, sizeof *out);
	double theta_d = p->v[P_THETA_D], theta_p = p->v[P_THETA_P];
	double quiet = theta_d < theta_p ? theta_d : theta_p;
	double r = 1 - p->v[P_STEP_MS] / p->v[P_TAU_CA_MS];
	double c = 0;
	uint64_t n = 0;
	uint32_t e = 0;
	out->steps = t->steps;
	while (n < t->steps) {
		if (!(c > quiet)) {
			/* Below both thresholds calcium only decays until the next transient: one gap up to
			 * and including the step that ends with it. */
			uint64_t end = e < t->n ? t->step[e] + 1 : t->steps;
			if (end > t->steps)
				end = t->steps;
			if (sched_push(out, end - n, 0, 0) < 0)
				goto oom;
			c *= pow(r, (double)(end - n));
			n = end;
		} else {
			int hd = c > theta_d, hp = c > theta_p;
			if (sched_push(out, 1, hd, hp) < 0)
				goto oom;
			out->active++;
			c *= r;
			n++;
		}
		while (e < t->n && t->step[e] < n) {
			if (t->step[e] == n - 1)
				c += t->amp[e];
			e++;
		}
	}
	return 0;
oom:
	schedule_free(out);
	return -1;
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
