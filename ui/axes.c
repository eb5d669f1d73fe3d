/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A plot's axes as numbers (axes.h): tick values and labels, and the ranges of data. */
#include "axes.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_TICKS 32

/* A range that can be mapped: finite ends and a finite, positive span. */
static int usable(double lo, double hi)
{
	return isfinite(lo) && isfinite(hi) && hi > lo && isfinite(hi - lo);
}

/* Widen [*lo, *hi] to include v when v is finite. */
static void include_range(double *lo, double *hi, double v)
{
	if (!isfinite(v))
		return;
	if (v < *lo)
		*lo = v;
	if (v > *hi)
		*hi = v;
}

void axes_span_add(axes_span *s, int n, const double *x, const double *y, const double *ylo,
                   const double *yhi, double xmin, double xmax)
{
	if (!x || !y)
		return;
	for (int i = 0; i < n; i++) {
		if (!isfinite(y[i]) || !(x[i] >= xmin && x[i] <= xmax))
			continue;
		include_range(&s->lo, &s->hi, y[i]);
		if (ylo)
			include_range(&s->lo, &s->hi, ylo[i]);
		if (yhi)
			include_range(&s->lo, &s->hi, yhi[i]);
	}
}

void axes_yrange(const axes_span *s, double dmin, double dmax, double *ymin, double *ymax)
{
	double lo = s->lo, hi = s->hi, step, pad, t[MAX_TICKS];

	if (lo == 1 && hi == 1) {
		*ymin = dmin;
		*ymax = dmax;
		return;
	}
	pad = 0.05 * (hi - lo);
	lo = fmin(lo - pad, 0.9);
	hi = fmax(hi + pad, 1.1);
	/* Round out on a step of about a tenth of the range: nice ends without wasting much room. Steps
	 * below 1 have whole reciprocals (0.2 -> 5): dividing by those gives exact decimals. */
	if (ticks_nice(lo, hi, 10, t, MAX_TICKS, &step) >= 1 && step > 0) {
		double inv = step < 1 ? round(1 / step) : 0;

		lo = inv ? floor(lo * inv + 1e-9) / inv : floor(lo / step + 1e-9) * step;
		hi = inv ? ceil(hi * inv - 1e-9) / inv : ceil(hi / step - 1e-9) * step;
	}
	if (!usable(lo, hi)) {
		lo = dmin;
		hi = dmax;
	}
	*ymin = lo;
	*ymax = hi;
}

void axes_xrange(const double *x, int n, double dmin, double dmax, double halfstep, double *xmin,
                 double *xmax)
{
	double lo = INFINITY, hi = -INFINITY, half;
	int i, m = 0;

	for (i = 0; x && i < n; i++) {
		if (!isfinite(x[i]))
			continue;
		include_range(&lo, &hi, x[i]);
		m++;
	}
	if (m == 0) {
		*xmin = dmin;
		*xmax = dmax;
		return;
	}
	half = m > 1 ? (hi - lo) / (m - 1) / 2 : 0;
	if (!(half > 0) || !isfinite(half))
		half = halfstep;
	if (usable(lo - half, hi + half)) {
		*xmin = lo - half;
		*xmax = hi + half;
	} else {
		*xmin = dmin;
		*xmax = dmax;
	}
}

/* m * 10^k computed so that, e.g., 3 * 0.1 comes out as the double nearest 0.3. */
static double scaled(double m, int k)
{
	return k >= 0 ? m * pow(10, k) : m / pow(10, -k);
}

int ticks_nice(double lo, double hi, int max_ticks, double *out, int cap, double *step)
{
	static const int mant[3] = {1, 2, 5};
	/* Accept ticks a hair outside [lo, hi]: lo/step is rarely exact in binary. */
	const double eps = 1e-9;
	int k, k0, i, n;
	double lg;

	if (step)
		*step = 0;
	if (!isfinite(lo) || !isfinite(hi) || !isfinite(hi - lo) || max_ticks < 1)
		return 0;
	if (lo > hi) {
		double t = lo;
		lo = hi;
		hi = t;
	}
	if (lo == hi) {
		if (out && cap > 0)
			out[0] = lo == 0 ? 0 : lo;
		if (step)
			*step = lo == 0 ? 1 : pow(10, floor(log10(fabs(lo))));
		return 1;
	}
	/* Start a decade below the step that would give max_ticks and go up. */
	lg = floor(log10((hi - lo) / max_ticks));
	k0 = (isfinite(lg) ? (int)lg : -330) - 1;
	for (k = k0; k < k0 + 40; k++) {
		for (i = 0; i < 3; i++) {
			double s = scaled(mant[i], k);
			double first = ceil(lo / s - eps), last = floor(hi / s + eps);
			double count = last - first + 1;

			/* Also refuses steps that under- or overflowed near the ends of double. */
			if (!(s > 0) || !isfinite(s) || !(count <= max_ticks))
				continue;
			n = count > 0 ? (int)count : 0;
			for (int j = 0; j < n && out && j < cap; j++) {
				double v = k >= 0 ? (first + j) * mant[i] * pow(10, k)
				                  : (first + j) * mant[i] / pow(10, -k);
				out[j] = v == 0 ? 0 : v; /* no -0 */
			}
			if (step)
				*step = s;
			return n;
		}
	}
	return 0;
}

/* Decimals needed to write multiples of step exactly: 0.2 -> 1, 0.25 -> 2, 50 -> 0. */
static int step_decimals(double step)
{
	int d;

	if (!isfinite(step) || step <= 0)
		return 6;
	for (d = 0; d < 12; d++) {
		double m = step * pow(10, d);
		if (fabs(m - round(m)) <= 1e-6 * m)
			return d;
	}
	return 12;
}

void ticks_format(double v, double step, char *buf, size_t len)
{
	int d = step_decimals(step);
	char *p;

	if (!buf || len == 0)
		return;
	snprintf(buf, len, "%.*f", d, v);
	/* A value that rounds to zero is written without its sign. */
	if (buf[0] == '-') {
		for (p = buf + 1; *p == '0' || *p == '.'; p++)
			;
		if (*p == '\0')
			memmove(buf, buf + 1, strlen(buf));
	}
}
