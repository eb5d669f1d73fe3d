#include "calcium.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void protocol_pairs(const param_set *p, double dt_ms, protocol *out)
{
	double period = 1.0 / p->v[P_FREQ_HZ];
	double off = fmod((dt_ms - p->v[P_DELAY_MS]) * 1e-3, period);
	if (off < 0)
		off += period;
	memset(out, 0, sizeof *out);
	out->n = 2;
	out->period_s = period;
	out->repeats = (int)p->v[P_PAIRS];
	/* The delayed pre transient opens the period; the post transient follows (dt - D) mod T later. */
	out->t[0] = 0;
	out->amp[0] = p->v[P_C_PRE];
	out->t[1] = off;
	out->amp[1] = p->v[P_C_POST];
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

int spike_train_pairs(const param_set *p, double dt_ms, spike_train *out)
{
	memset(out, 0, sizeof *out);
	double h = p->v[P_STEP_MS] * 1e-3;
	double period = 1.0 / p->v[P_FREQ_HZ];
	double dt = dt_ms * 1e-3;
	int pairs = (int)p->v[P_PAIRS];
	/* The seed's first pre spike is at 100 ms; it comes later only when the post spike of a very
	 * negative dt would otherwise fall before the start. */
	double t0 = 0.1 + (dt < -0.1 ? -dt - 0.1 : 0);
	uint64_t delay = (uint64_t)llround(p->v[P_DELAY_MS] * 1e-3 / h);
	/* Pairs of (step, amp) are sorted together below, so build them interleaved in one array. */
	uint64_t *ev = malloc(2 * (size_t)pairs * 2 * sizeof *ev);
	if (!ev)
		return -1;
	for (int k = 0; k < pairs; k++) {
		double tp = t0 + k * period;
		ev[4 * k + 0] = first_step_after(tp, h) + delay;
		ev[4 * k + 1] = 0; /* pre */
		ev[4 * k + 2] = first_step_after(tp + dt, h);
		ev[4 * k + 3] = 1; /* post */
	}
	qsort(ev, 2 * (size_t)pairs, 2 * sizeof *ev, cmp_event);
	uint64_t last = 0;
	for (int i = 0; i < 2 * pairs; i++) {
		if (train_push(out, ev[2 * i], ev[2 * i + 1] ? p->v[P_C_POST] : p->v[P_C_PRE]) < 0) {
			free(ev);
			spike_train_free(out);
			return -1;
		}
		last = ev[2 * i];
	}
	free(ev);
	/* The seed runs pairs/f seconds (60 s); a longer run only when calcium from the last transient
	 * would not have decayed (10 tau_Ca) by then. */
	uint64_t steps = (uint64_t)llround((t0 - 0.1 + pairs * period) / h);
	uint64_t tail = (uint64_t)ceil(10 * p->v[P_TAU_CA_MS] * 1e-3 / h);
	if (last + 1 + tail > steps)
		steps = last + 1 + tail;
	out->steps = steps;
	return 0;
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
