/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Calcium and the spike protocol against closed forms and the seed's step placement. */
#include <math.h>
#include <stdlib.h>

#include "analytic.h"
#include "calcium.h"
#include "tap.h"

int main(void)
{
	param_set p;
	params_defaults(&p);

	/* The seed's event steps at dt = +10 ms, h = 0.1 ms: pre spike at 100.1 ms (step 1001), its
	 * transient 137 steps later; post at 110.1 ms (step 1101); both repeated every 10000 steps. */
	spike_train t;
	ok(spike_train_pairs(&p, 10, &t) == 0, "pair train builds");
	ok(t.n == 120, "60 pairs give 120 transients (%u)", t.n);
	ok(t.steps == 600000, "the run lasts 60 s = 600000 steps (%llu)", (unsigned long long)t.steps);
	ok(t.step[0] == 1101 && t.amp[0] == 2.0, "first: post transient at step 1101 (%llu, amp %g)",
	   (unsigned long long)t.step[0], t.amp[0]);
	ok(t.step[1] == 1138 && t.amp[1] == 1.0, "second: delayed pre transient at step 1138 (%llu, amp %g)",
	   (unsigned long long)t.step[1], t.amp[1]);
	ok(t.step[118] == 591101 && t.step[119] == 591138, "the last pair: steps 591101 and 591138");

	/* Calcium decays by the Euler factor (1 - h/tau_Ca) per step and jumps by C at the end of the
	 * transient's step: the trace equals the closed form sum of C (1 - h/tau)^(n - s - 1). */
	double c[3000];
	calcium_trace(&p, &t, 1000, 3000, c);
	double r = 1 - 0.1 / 20, worst = 0;
	for (int i = 0; i < 3000; i++) {
		uint64_t n = 1000 + (uint64_t)i;
		double want = 0;
		for (uint32_t k = 0; k < t.n && t.step[k] < n; k++)
			want += t.amp[k] * pow(r, (double)(n - t.step[k] - 1));
		worst = fmax(worst, fabs(c[i] - want));
	}
	ok(worst < 1e-12, "calcium trace equals the closed form (max error %.2g)", worst);
	ok(c[101] == 0 && c[102] == 2.0, "c is 0 at the start of step 1101 and 2 at the start of 1102");

	/* The schedule: the steps above each threshold equal those counted on the trace. */
	schedule s;
	ok(schedule_build(&p, &t, &s) == 0, "schedule builds");
	uint64_t total = 0, above_d = 0, above_p = 0;
	for (uint64_t i = 0; i < schedule_length(&s); i++) {
		const segment *g = schedule_at(&s, i);
		total += g->steps;
		above_d += g->hd ? g->steps : 0;
		above_p += g->hp ? g->steps : 0;
	}
	double *full = malloc(600000 * sizeof *full);
	calcium_trace(&p, &t, 0, 600000, full);
	uint64_t want_d = 0, want_p = 0;
	for (int i = 0; i < 600000; i++) {
		want_d += full[i] > 1.0;
		want_p += full[i] > 1.3;
	}
	free(full);
	ok(total == 600000, "segments cover the run (%llu steps)", (unsigned long long)total);
	ok(above_d == want_d && above_p == want_p, "steps above theta_d/theta_p: %llu/%llu, trace %llu/%llu",
	   (unsigned long long)above_d, (unsigned long long)above_p, (unsigned long long)want_d,
	   (unsigned long long)want_p);
	/* ... and their fraction is the analytic alpha, up to the Euler decay and step rounding. */
	analytic_point a;
	analytic_pair(&p, 10, &a);
	is_near(above_d / 600000.0, a.alpha_d, 3e-4, "fraction above theta_d matches alpha_d");
	is_near(above_p / 600000.0, a.alpha_p, 3e-4, "fraction above theta_p matches alpha_p");
	ok(s.n < 20 && s.rep_times == 59,
	   "calcium repeats from the second pair on: %u segments stored, a block of %u repeated %llu times",
	   s.n, s.rep_n, (unsigned long long)s.rep_times);
	ok(s.active == want_d, "the steps above threshold are counted over the repeats (%llu)",
	   (unsigned long long)s.active);
	schedule_free(&s);
	spike_train_free(&t);

	/* The repeated schedule is the walked one: every step in the same threshold state, for pairs at
	 * every dt, bursts, and frequencies whose period is not a whole number of steps. */
	static const struct {
		int protocol;
		double x, freq, tau_ca;
	} cases[] = {{PROTO_PAIRS, -100, 1, 20},   {PROTO_PAIRS, -20, 1, 20},  {PROTO_PAIRS, 0, 1, 20},
	             {PROTO_PAIRS, 10, 1, 20},     {PROTO_PAIRS, 100, 1, 20},  {PROTO_PAIRS, 10, 3, 20},
	             {PROTO_PAIRS, 10, 7, 80},     {PROTO_BURST, 20, 5, 20},   {PROTO_FREQUENCY, 30, 1, 20},
	             {PROTO_FREQUENCY, 33, 1, 60}, {PROTO_PAIRS, 10, 50, 200}, {PROTO_PAIRS, -5, 0.5, 500}};
	int mismatches = 0, repeated = 0;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		param_set q = p;
		q.v[P_PROTOCOL] = cases[k].protocol;
		q.v[P_FREQ_HZ] = cases[k].freq;
		q.v[P_TAU_CA_MS] = cases[k].tau_ca;
		q.v[P_FIXED_DT_MS] = 10;
		schedule a, b;
		if (spike_train_at(&q, cases[k].x, NULL, &t) < 0 || schedule_build_ex(&q, &t, 0, &a) < 0 ||
		    schedule_build_ex(&q, &t, 1, &b) < 0) {
			mismatches++;
			continue;
		}
		repeated += b.rep_times > 1;
		/* Walk both runs step state by step state. */
		uint64_t ia = 0, ib = 0, la = 0, lb = 0;
		const segment *ga = NULL, *gb = NULL;
		int same = a.steps == b.steps && a.active == b.active && a.rep_times == 1;
		while (same) {
			if (!la && ia < schedule_length(&a))
				ga = schedule_at(&a, ia++), la = ga->steps;
			if (!lb && ib < schedule_length(&b))
				gb = schedule_at(&b, ib++), lb = gb->steps;
			if (!la || !lb) {
				same = !la && !lb;
				break;
			}
			same = ga->hd == gb->hd && ga->hp == gb->hp;
			uint64_t m = la < lb ? la : lb;
			la -= m, lb -= m;
		}
		if (!same) {
			mismatches++;
			tap_diag("case %zu: the repeated schedule differs from the walked one", k);
		}
		schedule_free(&a);
		schedule_free(&b);
		spike_train_free(&t);
	}
	ok(mismatches == 0, "repeated schedules equal the walked ones step for step (%zu protocols)",
	   sizeof cases / sizeof cases[0]);
	ok(repeated >= 9,
	   "and %d of them repeat a period (not: 7 Hz and 33 Hz, whose step pattern takes more than 4 "
	   "periods, and 50 Hz with tau_Ca 200 ms, which does not settle within 60 pairs)",
	   repeated);

	/* dt = -100 ms: the post spike at 0.1 ms (step 1), as in the seed. */
	ok(spike_train_pairs(&p, -100, &t) == 0 && t.step[0] == 1 && t.steps == 600000,
	   "dt -100 ms: first post at step 1, run 600000 steps");
	spike_train_free(&t);
	/* A very negative dt moves the pre spike later instead of before the start. */
	ok(spike_train_pairs(&p, -300, &t) == 0 && t.step[0] == 1, "dt -300 ms: first post still at step 1");
	spike_train_free(&t);

	/* alpha for a single transient per period: tau ln(c/theta) / T in closed form. */
	protocol pr = {.n = 1, .t = {0}, .amp = {2.0}, .period_s = 1, .repeats = 1};
	double c0 = 2.0 / (1 - exp(-1 / 0.02));
	is_near(analytic_alpha(&pr, 0.02, 1.0), 0.02 * log(c0 / 1.0), 1e-12, "alpha of one transient");
	/* At a high rate the transients pile up: 100 Hz, C = 1, tau 20 ms never falls below 1.5. */
	pr.amp[0] = 1.0;
	pr.period_s = 0.01;
	is_near(analytic_alpha(&pr, 0.02, 1.0), 1.0, 1e-12, "alpha is 1 when calcium never falls below");
	return tap_done();
}
