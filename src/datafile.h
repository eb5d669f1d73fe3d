/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Measured data: CSV files of changes in synaptic strength with their standard errors, read strictly
 * (every problem as FILE:LINE), and where each row sits on the model's curves.
 *
 * File format (a regular file of at most 4 MiB, UTF-8 with or without a byte order mark, lines ending in
 * LF, CR LF or CR): '#' lines are comments (the first ones name the source); blank lines are skipped; the
 * first other line is the header, a comma-separated list of column names; every following line is one
 * measurement with as many fields. Columns:
 *   change   (required) synaptic strength after/before, finite and > 0
 *   sem      (required) its standard error, finite and > 0
 *   dt_ms    spike time difference t_post - t_pre in ms
 *   freq_hz  pairing frequency in Hz
 *   any other numeric [protocol] parameter of the parameter table (pairs, burst_spikes, ...)
 * A column a file lacks takes the value of the parameter set it is compared with: dt_ms that of
 * fixed_dt_ms, the others their own parameter's. So a plain STDP curve is just dt_ms,change,sem. */
#ifndef CSTDP_DATAFILE_H
#define CSTDP_DATAFILE_H

#include <stddef.h>

#include "params.h"

typedef struct datafile_row {
	int line;          /* line of the file, from 1 */
	double change;     /* after/before */
	double sem;        /* its standard error, > 0 */
	double dt_ms;      /* NaN when the file has no dt_ms column */
	double v[P_COUNT]; /* protocol parameters the row gives; NaN where the file has no column */
} datafile_row;

typedef struct datafile {
	char *path;         /* as given */
	char *name;         /* file name without directory and ".csv", for legends and reports */
	char *source;       /* the first comment line without '#' and blanks, or "" */
	int n;              /* rows */
	datafile_row *rows; /* n rows in file order */
} datafile;

/* Find the data set called name: with a '/', a path (relative to the directory of the file `from`
 * names it in, when from is not NULL); otherwise NAME or NAME.csv in, first match wins, every
 * directory of $CALCIUM_STDP_DATA (colon separated), the installed data sets ($(pkgdatadir)/data),
 * and, only when the program runs from its build folder, the source tree's data/. Returns 0 with the
 * path, or -1 (not found, or the path does not fit in len). */
int datafile_find(const char *name, const char *from, char *path, size_t len);

/* Read path into *d. Returns 0, or -1 with "PATH:LINE: message" (or "PATH: message" for the file as
 * a whole: cannot open, no header, no rows) in err and *d empty. Free with datafile_free. */
int datafile_load(const char *path, datafile *d, char *err, size_t errlen);
void datafile_free(datafile *d);

/* A deep copy of src in *dst (for a job on another thread). 0, or -1 when out of memory (*dst
 * empty). */
int datafile_copy(const datafile *src, datafile *dst);

/* Row i as a point of the model: the parameter set that has the row's values (protocol pairs or
 * burst; a frequency set becomes pairs at the row's frequency) and the spike time difference dt_ms.
 * Returns 0, or -1 when base's protocol has no periodic pairing (poisson). */
int datafile_row_point(const datafile *d, int i, const param_set *base, param_set *q, double *dt_ms);

/* Whether row i lies on base's curve (the same frequency, pairs, dt ... as the curve, its x inside the
 * curve's range): 1 with its x (see params_x) in *x, or 0. */
int datafile_row_on_curve(const datafile *d, int i, const param_set *base, double *x);

/* The rows on base's curve as points to draw: x (see params_x), change, change -+ sem, in x[], y[],
 * lo[], hi[] (each d->n long); returns how many (the other rows are elsewhere: another frequency,
 * dt, pairs ... or outside the curve's range). */
int datafile_points(const datafile *d, const param_set *base, double *x, double *y, double *lo, double *hi);

/* The analytic change at row i of d under base (NaN for poisson). */
double datafile_row_analytic(const datafile *d, int i, const param_set *base);

/* Sum over rows of ((analytic change - change) / sem)^2: the chi^2 of base against the data. */
double datafile_chi2(const datafile *d, const param_set *base);

#endif
