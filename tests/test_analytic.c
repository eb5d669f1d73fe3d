/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The analytic approximation against the reference values of model.md section 6 (the authors'
 * analytic code, re-run), to 1e-5. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analytic.h"
#include "paper_sets.h"
#include "tap.h"

static void set_of(const char *name, param_set *p)
{
	paper_set_params(paper_set_find(name), p);
}

/* Extremes of the change on n points from lo to hi. */
static void extremes_grid(const param_set *p, double lo, double hi, int n, double *max, double *at_max,
                          double *min, double *at_min)
{
	*max = -INFINITY;
	*at_max = *at_min = NAN;
	*min = INFINITY;
	for (int i = 0; i < n; i++) {
		double dt = lo + (hi - lo) * i / (n - 1);
		analytic_point a;
		analytic_pair(p, dt, &a);
		if (a.change > *max + 1e-12) {
			*max = a.change;
			*at_max = dt;
		}
		if (a.change < *min - 1e-12) {
			*min = a.change;
			*at_min = dt;
		}
	}
}

static double change_at(const param_set *p, double dt)
{
	analytic_point a;
	analytic_pair(p, dt, &a);
	return a.change;
}

/* dt where the change crosses 1 between a and b (bisection). */
static double root(const param_set *p, double a, double b)
{
	double fa = change_at(p, a) - 1;
	for (int i = 0; i < 60; i++) {
		double m = 0.5 * (a + b), fm = change_at(p, m) - 1;
		if ((fm < 0) == (fa < 0)) {
			a = m;
			fa = fm;
		} else {
			b = m;
		}
	}
	return 0.5 * (a + b);
}

static void check_extremes_grid(const char *name, const param_set *p, double lo, double hi, int n,
                                double want_max, double want_at_max, double want_min, double want_at_min)
{
	double mx, amx, mn, amn;
	extremes_grid(p, lo, hi, n, &mx, &amx, &mn, &amn);
	if (!isnan(want_max)) {
		is_near(mx, want_max, 1e-5, "%s: maximum of the curve", name);
		is_near(amx, want_at_max, 0.051, "%s: maximum at %+.1f ms", name, want_at_max);
	}
	if (!isnan(want_min)) {
		is_near(mn, want_min, 1e-5, "%s: minimum of the curve", name);
		if (!isnan(want_at_min))
			is_near(amn, want_at_min, 0.051, "%s: minimum at %+.1f ms", name, want_at_min);
	}
}

/* Extremes on the 0.1 ms grid through analytic_at (the set's own protocol). */
static void check_extremes_at(const char *name, const param_set *p, double lo, double hi, double want_max,
                              double want_at_max, double want_min, double want_at_min)
{
	double mx = -INFINITY, amx = NAN, mn = INFINITY, amn = NAN;
	int n = (int)lround((hi - lo) / 0.1);
	for (int i = 0; i <= n; i++) {
		analytic_point a;
		double x = lo + i * 0.1;
		analytic_at(p, x, &a);
		if (a.change > mx + 1e-12)
			mx = a.change, amx = x;
		if (a.change < mn - 1e-12)
			mn = a.change, amn = x;
	}
	is_near(mx, want_max, 1e-5, "%s: maximum", name);
	is_near(amx, want_at_max, 0.051, "%s: maximum at %+.1f ms", name, want_at_max);
	is_near(mn, want_min, 1e-5, "%s: minimum", name);
	is_near(amn, want_at_min, 0.051, "%s: minimum at %+.1f ms", name, want_at_min);
}

/* On the 0.1 ms grid. */
static void check_extremes(const char *name, const param_set *p, double lo, double hi, double want_max,
                           double want_at_max, double want_min, double want_at_min)
{
	check_extremes_grid(name, p, lo, hi, (int)lround((hi - lo) / 0.1) + 1, want_max, want_at_max,
	                    want_min, want_at_min);
}

int main(void)
{
	param_set p;
	params_defaults(&p);

	/* The defaults are the seed's DP set. */
	static const double dp[][6] = {
	    {-100, 0.013998, 0.008616, 0.32923, 0.34171, 0.99168},
	    {-50, 0.015453, 0.008616, 0.28506, 0.42726, 0.90520},
	    {-20, 0.020172, 0.009678, 0.24439, 0.59800, 0.76426},
	    {-10, 0.023406, 0.012912, 0.36718, 0.54448, 0.88180},
	    {0, 0.027645, 0.017313, 0.48745, 0.47560, 1.00790},
	    {5, 0.025311, 0.019979, 0.66600, 0.30530, 1.24047},
	    {10, 0.023283, 0.018036, 0.64399, 0.31195, 1.22136},
	    {20, 0.020084, 0.014837, 0.58475, 0.32644, 1.17221},
	    {50, 0.015428, 0.010181, 0.42033, 0.33746, 1.05524},
	    {100, 0.013996, 0.008749, 0.34169, 0.33423, 1.00498},
	};
	for (size_t i = 0; i < sizeof dp / sizeof dp[0]; i++) {
		analytic_point a;
		analytic_pair(&p, dp[i][0], &a);
		is_near(a.alpha_d, dp[i][1], 1e-5, "DP %+g ms: alpha_d", dp[i][0]);
		is_near(a.alpha_p, dp[i][2], 1e-5, "DP %+g ms: alpha_p", dp[i][0]);
		is_near(a.U, dp[i][3], 1e-5, "DP %+g ms: U", dp[i][0]);
		is_near(a.D, dp[i][4], 1e-5, "DP %+g ms: D", dp[i][0]);
		is_near(a.change, dp[i][5], 1e-5, "DP %+g ms: change", dp[i][0]);
	}
	analytic_point a;
	analytic_pair(&p, 10, &a);
	is_near(a.rho_bar, 0.554846, 1e-5, "DP +10 ms: rho_bar");
	is_near(a.sigma_rho2, 0.0315988, 1e-6, "DP +10 ms: sigma_rho^2");
	is_near(a.tau_eff, 14.3394, 1e-3, "DP +10 ms: tau_eff");
	analytic_pair(&p, -20, &a);
	is_near(a.rho_bar, 0.435645, 1e-5, "DP -20 ms: rho_bar");
	is_near(a.sigma_rho2, 0.0334035, 1e-6, "DP -20 ms: sigma_rho^2");
	is_near(a.tau_eff, 20.9827, 1e-3, "DP -20 ms: tau_eff");

	/* Extremes on the 2001-point grid over +-100 ms. */
	check_extremes("DP", &p, -100, 100, 1.243999, 5.1, 0.722019, -24.2);
	is_near(root(&p, -5, 2), -0.163, 1e-3, "DP: change = 1 at -0.163 ms");
	set_of("DPD", &p);
	check_extremes("DPD", &p, -100, 100, 1.210059, 4.6, 0.839380, -6.5);
	is_near(root(&p, -2, 2), 0.073, 1e-3, "DPD: change = 1 at +0.073 ms");
	is_near(root(&p, 7, 12), 9.127, 1e-3, "DPD: change = 1 at +9.127 ms");
	is_near(change_at(&p, -45), 1, 1e-5, "DPD: 1 outside [-39.3, +48.5] (-45 ms)");
	is_near(change_at(&p, 60), 1, 1e-5, "DPD: 1 outside [-39.3, +48.5] (+60 ms)");
	set_of("DPDprime", &p);
	check_extremes("DPD'", &p, -100, 100, 1.268540, 2.2, 0.761133, -11.7);
	is_near(change_at(&p, -100), 0.94536, 1e-5, "DPD': 0.94536 at -100 ms");
	is_near(change_at(&p, 100), 0.94728, 1e-5, "DPD': 0.94728 at +100 ms");
	set_of("P", &p);
	check_extremes("P", &p, -100, 100, 1.267903, -8.6, 1.002652, NAN);
	is_near(change_at(&p, 0), 1.23764, 1e-5, "P: 1.23764 at 0 ms");
	is_near(change_at(&p, 8.6), 1.267903, 1e-5, "P: symmetric maximum at +8.6 ms");
	is_near(change_at(&p, -100), 1.002652, 1e-5, "P: minimum at -100 ms");
	is_near(change_at(&p, 100), 1.002652, 1e-5, "P: minimum at +100 ms");
	set_of("D", &p);
	check_extremes("D", &p, -100, 100, NAN, 0, 0.637084, 0);
	is_near(change_at(&p, 5), 0.99415, 1e-5, "D: 0.99415 at +5 ms");
	is_near(change_at(&p, -5), 0.99415, 1e-5, "D: 0.99415 at -5 ms");
	is_near(change_at(&p, 8.2), 1, 1e-9, "D: 1 where |dt| > 8.1 ms (+8.2)");
	is_near(change_at(&p, -8.2), 1, 1e-9, "D: 1 where |dt| > 8.1 ms (-8.2)");
	set_of("Dprime", &p);
	check_extremes("D'", &p, -100, 100, 0.924754, 100, 0.691795, -13.9);
	is_near(change_at(&p, 0), 0.78372, 1e-5, "D': 0.78372 at 0 ms");
	set_of("hippocampal-cultures", &p);
	check_extremes("hippocampal cultures", &p, -100, 100, 1.251076, 6.4, 0.741249, -0.7);
	is_near(change_at(&p, 10), 1.21194, 1e-5, "hippocampal cultures: 1.21194 at +10 ms");

	/* Fig. 3, hippocampal slices, 200 pairs at 5 Hz. */
	set_of("hippocampal-slices", &p);
	check_extremes("Fig. 3 pairs", &p, -100, 100, 0.997882, 35.7, 0.701413, 19.8);

	/* Fig. 3, one pre spike and a burst of 2 post spikes 11.5 ms apart, dt to the last, 5 Hz. */
	set_of("hippocampal-slices", &p);
	p.v[P_PROTOCOL] = PROTO_BURST;
	p.v[P_BURST_SPIKES] = 2;
	p.v[P_BURST_ISI_MS] = 11.5;
	p.v[P_PAIRS] = 100;
	check_extremes_at("Fig. 3 pre+burst N=100", &p, -100, 100, 1.767608, 18.8, 0.706546, 31.6);
	p.v[P_PAIRS] = 30;
	check_extremes_at("Fig. 3 pre+burst N=30", &p, -100, 100, 1.325411, 18.8, 0.918079, 31.6);

	/* Fig. 4A through the frequency protocol: x is the frequency, dt fixed. */
	set_of("cortical-slices", &p);
	p.v[P_PROTOCOL] = PROTO_FREQUENCY;
	p.v[P_FIXED_DT_MS] = 10;
	analytic_at(&p, 20, &a);
	is_near(a.change, 1.25302, 1e-5, "frequency protocol: 20 Hz at +10 ms");
	p.v[P_FIXED_DT_MS] = -10;
	analytic_at(&p, 30, &a);
	is_near(a.change, 1.18634, 1e-5, "frequency protocol: 30 Hz at -10 ms");

	/* Dendritic location: a distal synapse (smaller C_post) turns the high-frequency LTP at +10 ms
	 * into LTD, and has no change at 1 Hz. */
	p.v[P_FIXED_DT_MS] = 10;
	analytic_at(&p, 50, &a);
	double proximal = a.change;
	p.v[P_C_POST_SCALE] = 0.4;
	analytic_at(&p, 50, &a);
	double distal = a.change;
	analytic_at(&p, 1, &a);
	ok(proximal > 1.6 && distal < 0.9 && fabs(a.change - 1) < 1e-3,
	   "distal synapse (C_post x 0.4): 50 Hz, +10 ms goes from %.3f to %.3f; 1 Hz %.4f", proximal, distal,
	   a.change);

	/* Poisson trains: alpha by Monte Carlo against the shot-noise mean: the mean calcium is
	 * tau_Ca (r_pre C_pre + r_post C_post), and alpha grows with the post rate. */
	params_defaults(&p);
	p.v[P_PROTOCOL] = PROTO_POISSON;
	double ad1, ap1, ad2, ap2;
	analytic_poisson_alpha(&p, 1, &ad1, &ap1);
	analytic_poisson_alpha(&p, 30, &ad2, &ap2);
	ok(ad2 > ad1 && ap2 > ap1 && ad1 > ap1 && ad1 > 0,
	   "poisson alphas grow with the post rate (%.4f -> %.4f)", ad1, ad2);
	/* Without pre spikes' pile-up (C_pre = 0) and a slow post train, each post transient stands alone:
	 * alpha = r_post tau ln(C_post / theta) exactly. */
	p.v[P_C_PRE] = 0;
	analytic_poisson_alpha(&p, 0.5, &ad1, &ap1);
	is_near(ad1, 0.5 * 0.02 * log(2.0 / 1.0), 0.1 * 0.5 * 0.02 * log(2.0),
	        "poisson, isolated post transients: alpha_d = r tau ln(C_post/theta_d) within 10%%");
	p.v[P_C_PRE] = 1;
	analytic_at(&p, 20, &a);
	ok(isfinite(a.change) && a.U >= 0 && a.U <= 1, "poisson analytic change is finite (%.4f)", a.change);

	/* Fig. 4, cortical slices, 75 pairs: change at +-10 ms against frequency (4A). */
	set_of("cortical-slices", &p);
	static const double f4a[][3] = {
	    {1, 1.06133, 0.69076},  {5, 1.06159, 0.68988},  {10, 1.08300, 0.62138}, {20, 1.25302, 0.63485},
	    {30, 1.19171, 1.18634}, {40, 1.55263, 1.58507}, {50, 1.63681, 1.63681},
	};
	for (size_t i = 0; i < sizeof f4a / sizeof f4a[0]; i++) {
		p.v[P_FREQ_HZ] = f4a[i][0];
		is_near(change_at(&p, 10), f4a[i][1], 1e-5, "Fig. 4A: %g Hz, +10 ms", f4a[i][0]);
		is_near(change_at(&p, -10), f4a[i][2], 1e-5, "Fig. 4A: %g Hz, -10 ms", f4a[i][0]);
	}
	/* 4B: curves on 2001 points over +-T/2 (T = 1/f). */
	static const double f4b[][5] = {
	    {20, 1.371103, 1.8, 0.590314, -12.05},
	    {30, NAN, 0, 1.040363, 14.383},
	    {40, NAN, 0, 1.494928, 4.613},
	};
	p.v[P_FREQ_HZ] = 1;
	check_extremes("Fig. 4B 1 Hz", &p, -100, 100, 1.178359, 4.6, 0.561311, -7.1);
	for (size_t i = 0; i < sizeof f4b / sizeof f4b[0]; i++) {
		char name[32];
		snprintf(name, sizeof name, "Fig. 4B %g Hz", f4b[i][0]);
		p.v[P_FREQ_HZ] = f4b[i][0];
		double half = 500 / f4b[i][0];
		check_extremes_grid(name, &p, -half, half, 2001, f4b[i][1], f4b[i][2], f4b[i][3], f4b[i][4]);
	}
	p.v[P_FREQ_HZ] = 50;
	double mx, amx, mn, amn;
	extremes_grid(&p, -10, 10, 2001, &mx, &amx, &mn, &amn);
	ok(fabs(mx - 1.6368) < 1e-4 && mx - mn < 0.01, "Fig. 4B 50 Hz: flat at 1.6368 (%.6f..%.6f)", mn, mx);

	/* Edge cases: no threshold crossing gives no change; sigma = 0 is deterministic. */
	params_defaults(&p);
	p.v[P_C_PRE] = 0.3;
	p.v[P_C_POST] = 0.3;
	analytic_pair(&p, 10, &a);
	ok(a.alpha_d == 0 && a.alpha_p == 0 && a.U == 0 && a.D == 0 && a.change == 1,
	   "no crossing: U = D = 0, change = 1 (got U %g D %g change %g)", a.U, a.D, a.change);
	params_defaults(&p);
	p.v[P_SIGMA] = 0;
	analytic_pair(&p, 10, &a);
	ok((a.U == 0 || a.U == 1) && (a.D == 0 || a.D == 1) && isfinite(a.change),
	   "sigma = 0: U and D are 0 or 1 (U %g D %g)", a.U, a.D);
	params_defaults(&p);
	p.v[P_GAMMA_D] = 0;
	p.v[P_GAMMA_P] = 0;
	analytic_pair(&p, 10, &a);
	ok(isfinite(a.U) && isfinite(a.D) && a.U > 0 && a.U < 0.5,
	   "no drive, noise only: finite, U between 0 and 1/2 (U %g)", a.U);
	return tap_done();
}
