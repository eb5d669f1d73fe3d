/* SPDX-License-Identifier: GPL-3.0-or-later */
/* From switching counts to U, D and the change, with 95% intervals (see readout.h). */
#include "readout.h"

#include <math.h>

double readout_change(double U, double D, double beta, double b)
{
	return ((1 - U) * beta + D * (1 - beta) + b * (U * beta + (1 - D) * (1 - beta))) /
	       (beta + (1 - beta) * b);
}

void readout_wilson(uint64_t k, uint64_t n, double z, double *lo, double *hi)
{
	if (n == 0) {
		*lo = *hi = NAN;
		return;
	}
	double nn = (double)n, ph = (double)k / nn, z2 = z * z;
	double centre = (ph + z2 / (2 * nn)) / (1 + z2 / nn);
	double half = z * sqrt(ph * (1 - ph) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
	*lo = fmax(0, centre - half);
	*hi = fmin(1, centre + half);
}

void readout_from_counts(uint64_t n, uint64_t ups, uint64_t downs, double beta, double b, readout *r)
{
	const double z = READOUT_Z95;
	if (n == 0) {
		*r = (readout){NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
		return;
	}
	r->U = (double)ups / (double)n;
	r->D = (double)downs / (double)n;
	readout_wilson(ups, n, z, &r->U_lo, &r->U_hi);
	readout_wilson(downs, n, z, &r->D_lo, &r->D_hi);
	r->change = readout_change(r->U, r->D, beta, b);
	/* change is linear in U and D; the two counts are independent, so the asymmetric Wilson
	 * half-widths, scaled by the slopes, add in quadrature on each side. */
	double norm = beta + (1 - beta) * b;
	double cu = beta * (b - 1) / norm, cd = -(1 - beta) * (b - 1) / norm;
	double u_dn = cu >= 0 ? cu * (r->U - r->U_lo) : -cu * (r->U_hi - r->U);
	double u_up = cu >= 0 ? cu * (r->U_hi - r->U) : -cu * (r->U - r->U_lo);
	double d_dn = cd >= 0 ? cd * (r->D - r->D_lo) : -cd * (r->D_hi - r->D);
	double d_up = cd >= 0 ? cd * (r->D_hi - r->D) : -cd * (r->D - r->D_lo);
	r->change_lo = r->change - hypot(u_dn, d_dn);
	r->change_hi = r->change + hypot(u_up, d_up);
}
