/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Curve classes (Fig. 2): the ordered signs where a curve departs from 1 (see classify.h). */
#include "classify.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 'D', 'P' or 0 for a point within the tolerance (or unknown). */
static char point_sign(double c, double lo, double hi, double tol)
{
	if (!isfinite(c))
		return 0;
	if (hi < 1.0 - tol && c < 1.0 - tol)
		return 'D';
	if (lo > 1.0 + tol && c > 1.0 + tol)
		return 'P';
	return 0;
}

void classify_curve(const double *x, const double *change, const double *lo, const double *hi, int n,
                    double tol, classify_result *out)
{
	int len = 0;
	char last = 0;
	out->change_min = out->change_max = NAN;
	out->x_at_min = out->x_at_max = NAN;
	out->class_p = 1;
	for (int i = 0; i < n; i++) {
		double c = change[i];
		if (isfinite(c) && !(c >= out->change_min)) {
			out->change_min = c;
			out->x_at_min = x[i];
		}
		if (isfinite(c) && !(c <= out->change_max)) {
			out->change_max = c;
			out->x_at_max = x[i];
		}
		/* Without an interval the point is its own interval. */
		double l = lo && isfinite(lo[i]) ? lo[i] : c, h = hi && isfinite(hi[i]) ? hi[i] : c;
		char s = point_sign(c, l, h, tol);
		if (!s || s == last)
			continue;
		last = s;
		if (len < CLASSIFY_MAX - 2) {
			out->name[len++] = s;
		} else {
			out->name[CLASSIFY_MAX - 2] = '+';
			len = CLASSIFY_MAX - 1;
		}
	}
	if (len == 0)
		snprintf(out->name, sizeof out->name, "flat");
	else
		out->name[len] = 0;
}

int classify_parse_tolerance(const char *text, double *out, char *err, size_t errlen)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	while (end != text && (*end == ' ' || *end == '\t'))
		end++;
	if (end == text || *end || errno == ERANGE || !isfinite(v) || v < 0 || v > 1) {
		snprintf(err, errlen,
		         "tolerance: '%s' is not valid: must be a number from 0 to 1 (default %g)", text,
		         CLASSIFY_TOLERANCE);
		return -1;
	}
	*out = v;
	return 0;
}
