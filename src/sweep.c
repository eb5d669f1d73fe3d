/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Grids, maps and sweeps over them, and the shards that split them (see sweep.h). */
#include "sweep.h"

#include <errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "batch.h"
#include "cost.h"
#include "engine.h"
#include "readout.h"
#include "wmap.h"

#define MAX_VALUES 100000
#define MAX_CELLS  (1ULL << 40)

int sweep_axis_parse(const char *text, int allow_log, sweep_axis *a, char *err, size_t errlen)
{
	const char *form = allow_log ? "NAME=FROM:TO:N[:log]" : "NAME=FROM:TO:N";
	char buf[256];
	if (strlen(text) >= sizeof buf) {
		snprintf(err, errlen, "'%.40s...': too long for %s", text, form);
		return -1;
	}
	snprintf(buf, sizeof buf, "%s", text);
	char *eq = strchr(buf, '=');
	if (!eq) {
		snprintf(err, errlen, "'%s': expected %s, e.g. theta_d=0.5:1.5:11", text, form);
		return -1;
	}
	*eq = 0;
	int id = params_find(buf);
	if (id < 0) {
		const char *near = params_suggest(buf);
		snprintf(err, errlen, "'%s': no parameter named '%s'%s%s%s", text, buf,
		         near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
		return -1;
	}
	if (params_table[id].names || id == P_SEED) {
		snprintf(err, errlen, "'%s': %s cannot be swept%s", text, buf,
		         id == P_SEED ? ": each cell's seed is derived from --seed and the cell"
		                      : ": it is a choice");
		return -1;
	}
	char *parts[5] = {0};
	int np = 0;
	for (char *save = NULL, *t = strtok_r(eq + 1, ":", &save); t && np < 5;
	     t = strtok_r(NULL, ":", &save))
		parts[np++] = t;
	if (np < 3 || np > (allow_log ? 4 : 3)) {
		snprintf(err, errlen, "'%s': expected %s, e.g. %s=%g:%g:11", text, form,
		         params_table[id].name, params_table[id].min, params_table[id].max);
		return -1;
	}
	*a = (sweep_axis){.param = id};
	if (params_parse_value(id, parts[0], &a->from, err, errlen) < 0 ||
	    params_parse_value(id, parts[1], &a->to, err, errlen) < 0)
		return -1;
	char *end;
	errno = 0;
	long n = strtol(parts[2], &end, 10);
	if (end == parts[2] || *end || errno || n < 1 || n > MAX_VALUES) {
		snprintf(err, errlen, "'%s': the number of values '%s' must be a whole number from 1 to %d",
		         text, parts[2], MAX_VALUES);
		return -1;
	}
	a->n = (int)n;
	if (np == 4) {
		if (strcmp(parts[3], "log") == 0) {
			a->log = 1;
		} else if (strcmp(parts[3], "lin") != 0) {
			snprintf(err, errlen, "'%s': the spacing '%s' is unknown: use lin or log", text,
			         parts[3]);
			return -1;
		}
	}
	if (a->log && (a->from <= 0 || a->to <= 0)) {
		snprintf(err, errlen, "'%s': log spacing needs FROM and TO above 0", text);
		return -1;
	}
	return 0;
}

double sweep_tidy(double v, int digits)
{
	char buf[40];
	snprintf(buf, sizeof buf, "%.*g", digits, v);
	return strtod(buf, NULL);
}

double sweep_axis_value(const sweep_axis *a, int i)
{
	double v;
	if (a->n <= 1 || i <= 0)
		v = a->from;
	else if (i >= a->n - 1)
		v = a->to;
	else if (a->log)
		v = sweep_tidy(a->from * pow(a->to / a->from, (double)i / (a->n - 1)), 15);
	else
		v = sweep_tidy((a->from * (a->n - 1 - i) + a->to * i) / (a->n - 1), 15);
	return params_table[a->param].integer ? round(v) : v;
}

int sweep_grid_add(sweep_grid *g, const sweep_axis *a, char *err, size_t errlen)
{
	if (g->naxes == SWEEP_MAX_AXES) {
		snprintf(err, errlen, "at most %d swept parameters", SWEEP_MAX_AXES);
		return -1;
	}
	for (int i = 0; i < g->naxes; i++)
		if (g->axis[i].param == a->param) {
			snprintf(err, errlen, "%s is swept twice", params_table[a->param].name);
			return -1;
		}
	if (sweep_cells(g) * (uint64_t)a->n > MAX_CELLS) {
		snprintf(err, errlen, "the grid would have more than 2^40 cells");
		return -1;
	}
	g->axis[g->naxes++] = *a;
	return 0;
}

uint64_t sweep_cells(const sweep_grid *g)
{
	uint64_t n = 1;
	for (int i = 0; i < g->naxes; i++)
		n *= (uint64_t)g->axis[i].n;
	return n;
}

/* splitmix64's finaliser (Steele, Lea & Flood 2014). src/rng.h has the same mix for the synapses'
 * streams; this one is kept here so that a cell's seed stays what it is whatever the kernel does. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t sweep_cell_seed(uint64_t seed, uint64_t cell)
{
	uint64_t k = mix64(seed * 0x9e3779b97f4a7c15ULL + 0x6a09e667f3bcc909ULL);
	k = mix64(k ^ (cell + 0x9e3779b97f4a7c15ULL));
	/* The seed parameter's range is 32 bits. */
	return k >> 32;
}

void sweep_cell_params(const sweep_grid *g, uint64_t cell, const param_set *base, param_set *out)
{
	*out = *base;
	uint64_t rest = cell;
	for (int i = g->naxes - 1; i >= 0; i--) {
		const sweep_axis *a = &g->axis[i];
		out->v[a->param] = sweep_axis_value(a, (int)(rest % (uint64_t)a->n));
		rest /= (uint64_t)a->n;
	}
	out->v[P_SEED] = (double)sweep_cell_seed((uint64_t)base->v[P_SEED], cell);
}

int sweep_shard_parse(const char *text, sweep_shard *s, char *err, size_t errlen)
{
	char *end;
	errno = 0;
	long k = strtol(text, &end, 10);
	long n = 0;
	int good = end != text && *end == '/' && !errno;
	if (good) {
		const char *p = end + 1;
		n = strtol(p, &end, 10);
		good = end != p && !*end && !errno;
	}
	if (!good || n < 1 || n > 1000000 || k < 1 || k > n) {
		snprintf(err, errlen,
		         "--shard: '%s' is not valid: expected K/N with 1 <= K <= N <= 1000000, e.g. 2/3",
		         text);
		return -1;
	}
	s->k = (int)k;
	s->n = (int)n;
	return 0;
}

void sweep_shard_range(uint64_t cells, sweep_shard s, uint64_t *first, uint64_t *end)
{
	if (s.n < 1) {
		*first = 0;
		*end = cells;
		return;
	}
	/* cells * k / n without overflow: cells <= 2^40, n <= 10^6 < 2^20. */
	*first = cells * (uint64_t)(s.k - 1) / (uint64_t)s.n;
	*end = cells * (uint64_t)s.k / (uint64_t)s.n;
}

/* The analytic curve of p into rows (p's points of them). */
static void analytic_rows(const param_set *p, batch_row *rows)
{
	batch_opts o = {.p = *p, .analytic = 1};
	char err[8];
	/* Cannot fail: every cell was checked before the run. */
	if (batch_compute(&o, rows, err, sizeof err) < 0)
		memset(rows, 0, sizeof *rows * (size_t)p->v[P_POINTS]);
}

/* 0, or -1 when out of memory (*r untouched). */
static int classify_rows(const batch_row *rows, int n, int intervals, double tol, classify_result *r)
{
	double *buf = malloc(sizeof *buf * 4 * (size_t)(n ? n : 1));
	if (!buf)
		return -1;
	double *x = buf, *c = buf + n, *lo = buf + 2 * n, *hi = buf + 3 * n;
	for (int i = 0; i < n; i++) {
		x[i] = rows[i].dt_ms;
		c[i] = rows[i].change;
		lo[i] = rows[i].change_lo;
		hi[i] = rows[i].change_hi;
	}
	classify_curve(x, c, intervals ? lo : NULL, intervals ? hi : NULL, n, tol, r);
	free(buf);
	return 0;
}

int sweep_classify_analytic(const param_set *p, double tol, classify_result *r)
{
	int n = (int)p->v[P_POINTS];
	batch_row *rows = calloc((size_t)n, sizeof *rows);
	if (!rows || wmap_check_analytic(p, 1, NULL, 0) < 0) {
		free(rows);
		return -1;
	}
	analytic_rows(p, rows);
	int rc = classify_rows(rows, n, 0, tol, r);
	free(rows);
	return rc;
}

/* Counts up to this many repetitions are redrawn from tables (below); more, from the two-step draw. */
#define TABLE_REPS 10000

/* The distribution of a redrawn count: Binomial(n, q) with q ~ Beta(k + 1, n - k + 1), which is the
 * beta-binomial distribution. As a cumulative table (unnormalised), a draw costs one uniform and a
 * binary search instead of two gamma variates and a binomial, which were two thirds of a map cell's
 * time outside the kernel. The weights start at 1 at x = k (the distribution's mode, within one) and
 * follow the ratio of successive terms both ways, so they neither overflow nor lose the mass. They
 * stop at the first term below 1e-30 of the mode's on each side (a uniform double cannot tell the
 * rest apart): the table is cum[*bottom .. *top], the counts outside it have no weight, and cum[*top]
 * is the total. */
static void betabinom_table(unsigned n, double k, double *cum, unsigned *bottom_out, unsigned *top_out)
{
	double a = k + 1, b = n - k + 1;
	unsigned m = k <= 0 ? 0 : k >= n ? n : (unsigned)k, top = n, bottom = 0;
	cum[m] = 1;
	for (unsigned x = m; x < n; x++)
		if ((cum[x + 1] = cum[x] * ((n - x) * (x + a)) / ((x + 1.0) * (n - x - 1 + b))) < 1e-30) {
			top = x + 1;
			break;
		}
	for (unsigned x = m; x > 0; x--)
		if ((cum[x - 1] = cum[x] * (x * (n - x + b)) / ((n - x + 1.0) * (x - 1 + a))) < 1e-30) {
			bottom = x - 1;
			break;
		}
	for (unsigned x = bottom + 1; x <= top; x++)
		cum[x] += cum[x - 1];
	*bottom_out = bottom;
	*top_out = top;
}

/* A table's guide: GUIDE_N buckets of the uniform, each with the first count a draw in it can give,
 * so that a draw scans a count or two from there instead of a binary search's unpredictable
 * branches. */
#define GUIDE_N 64

/* The table of a count k of reps, kept for every cell that has that count again (a map's points often
 * have the same counts: none or all of them switching). */
typedef struct bb_table {
	double k;               /* the count it was made for, as betabinom_table takes it */
	unsigned bottom, len;   /* cum[0 .. len) is that of counts bottom .. bottom + len - 1 */
	unsigned guide[GUIDE_N];
	double cum[];
} bb_table;

static bb_table *bb_table_new(unsigned reps, double k, double *scratch)
{
	unsigned bottom, top;
	betabinom_table(reps, k, scratch, &bottom, &top);
	unsigned len = top - bottom + 1;
	bb_table *t = malloc(sizeof *t + sizeof t->cum[0] * len);
	if (!t)
		return NULL;
	t->k = k;
	t->bottom = bottom;
	t->len = len;
	memcpy(t->cum, scratch + bottom, sizeof t->cum[0] * len);
	unsigned x = 0;
	for (unsigned j = 0; j < GUIDE_N; j++) {
		/* The least u of bucket j: j / GUIDE_N times the total, rounded as a draw's u is. */
		double u = (j / (double)GUIDE_N) * t->cum[len - 1];
		while (x < len - 1 && t->cum[x] <= u)
			x++;
		t->guide[j] = x;
	}
	return t;
}

/* A redrawn count: the smallest whose running weight exceeds a uniform share of the total, the same
 * count a binary search over the table finds. */
static unsigned betabinom_draw(gsl_rng *g, const bb_table *t)
{
	double v = gsl_rng_uniform(g), u = v * t->cum[t->len - 1];
	unsigned x = t->guide[(unsigned)(v * GUIDE_N)];
	while (t->cum[x] <= u)
		x++;
	return t->bottom + x;
}

/* What class_share keeps from cell to cell: its generator, the tables of the counts seen so far and
 * what the readout makes of each count (its fraction and Wilson interval), for one number of
 * repetitions. */
typedef struct resampler {
	gsl_rng *g;
	unsigned reps;     /* what the tables are for */
	bb_table **tab;    /* [reps + 1] by count (the nearest whole number to k), or NULL */
	double *frac;      /* [reps + 1] count / reps, NaN until used */
	double *lo, *hi;   /* [reps + 1] its Wilson interval */
	double *scratch;   /* [reps + 1] betabinom_table's */
	double *buf;       /* [4 n] a resampled curve */
	const bb_table **tp; /* [2 n] each point's tables, up and down */
	int n;
} resampler;

static void resampler_clear(resampler *rs)
{
	if (rs->tab)
		for (unsigned v = 0; v <= rs->reps; v++)
			free(rs->tab[v]);
	free(rs->tab);
	free(rs->frac);
	free(rs->lo);
	free(rs->hi);
	free(rs->scratch);
	rs->tab = NULL;
	rs->frac = rs->lo = rs->hi = rs->scratch = NULL;
	rs->reps = 0;
}

static void resampler_free(resampler *rs)
{
	resampler_clear(rs);
	if (rs->g)
		gsl_rng_free(rs->g);
	free(rs->buf);
	free(rs->tp);
	memset(rs, 0, sizeof *rs);
}

/* Room for n points and tables of reps repetitions (tab: 0 for none); 0, or -1 when out of memory. */
static int resampler_reserve(resampler *rs, int n, int tab, unsigned reps)
{
	if (!rs->g && !(rs->g = gsl_rng_alloc(gsl_rng_mt19937)))
		return -1;
	if (n > rs->n) {
		free(rs->buf);
		free(rs->tp);
		rs->buf = malloc(sizeof *rs->buf * 4 * (size_t)n);
		rs->tp = malloc(sizeof *rs->tp * 2 * (size_t)n);
		rs->n = rs->buf && rs->tp ? n : 0;
		if (!rs->n)
			return -1;
	}
	if (!tab || (rs->tab && rs->reps == reps))
		return 0;
	resampler_clear(rs);
	size_t m = (size_t)reps + 1;
	rs->tab = calloc(m, sizeof *rs->tab);
	rs->frac = malloc(sizeof *rs->frac * m);
	rs->lo = malloc(sizeof *rs->lo * m);
	rs->hi = malloc(sizeof *rs->hi * m);
	rs->scratch = malloc(sizeof *rs->scratch * m);
	if (!rs->tab || !rs->frac || !rs->lo || !rs->hi || !rs->scratch) {
		resampler_clear(rs);
		return -1;
	}
	rs->reps = reps;
	for (size_t v = 0; v < m; v++)
		rs->frac[v] = NAN;
	return 0;
}

/* The table of count k (of rs->reps), made on first use; NULL when out of memory. */
static const bb_table *resampler_table(resampler *rs, double k)
{
	double c = k <= 0 ? 0 : k >= rs->reps ? rs->reps : floor(k + 0.5);
	bb_table **t = &rs->tab[(size_t)c];
	if (*t && memcmp(&(*t)->k, &k, sizeof k) != 0) {
		free(*t);
		*t = NULL;
	}
	if (!*t)
		*t = bb_table_new(rs->reps, k, rs->scratch);
	return *t;
}

/* What readout_from_counts makes of count v, worked out once. */
static void count_readout(resampler *rs, unsigned v)
{
	if (!isnan(rs->frac[v]))
		return;
	rs->frac[v] = (double)v / (double)rs->reps;
	readout_wilson(v, rs->reps, READOUT_Z95, &rs->lo[v], &rs->hi[v]);
}

/* How sure a simulated cell's class is: the share of SWEEP_RESAMPLES resampled curves whose class is
 * the cell's. Each point's up and down counts are redrawn from binomials as a new run of as many
 * repetitions would give them: at probabilities drawn from what the counts say of U and D (Beta(k + 1,
 * n - k + 1)), so that the share answers "would another seed give this class", not only "does the
 * noise around this curve keep it". The stream is the cell's seed and index: a cell gives the same
 * share in every shard and run. 0, or -1 when out of memory. */
static int class_share(resampler *rs, const batch_row *rows, int n, const param_set *p, uint64_t cell,
                       double tol, classify_result *c)
{
	if ((int)p->v[P_EFFICACY] == EFFICACY_WEIGHT)
		return wmap_class_share(rows, n, (uint64_t)p->v[P_SEED], cell, tol, SWEEP_RESAMPLES, c);
	/* Tables when the points' repetitions are at most TABLE_REPS, else the two-step draw. A
	 * finished run's points all have the same repetitions, which the tables are kept for. */
	unsigned reps0 = n ? (unsigned)rows[0].reps : 0;
	int tab = reps0 > 0 && reps0 <= TABLE_REPS;
	for (int i = 0; i < n; i++)
		tab &= rows[i].reps == reps0;
	if (resampler_reserve(rs, n ? n : 1, tab, reps0) < 0)
		return -1;
	gsl_rng *g = rs->g;
	double *x = rs->buf, *ch = rs->buf + n, *lo = rs->buf + 2 * n, *hi = rs->buf + 3 * n;
	gsl_rng_set(g, (unsigned long)(p->v[P_SEED] * 2654435761.0) ^
	                   (unsigned long)(cell * 0x9e3779b97f4a7c15ULL));
	const double beta = p->v[P_BETA], bw = p->v[P_B];
	/* readout_from_counts's propagation of the intervals to the change, per cell. */
	double norm = beta + (1 - beta) * bw;
	double cu = beta * (bw - 1) / norm, cd = -(1 - beta) * (bw - 1) / norm;
	const bb_table **tu = rs->tp, **td = rs->tp + n;
	for (int i = 0; tab && i < n; i++) {
		x[i] = rows[i].dt_ms;
		tu[i] = resampler_table(rs, rows[i].U * reps0);
		td[i] = resampler_table(rs, rows[i].D * reps0);
		if (!tu[i] || !td[i])
			return -1;
	}
	int same = 0;
	for (int k = 0; k < SWEEP_RESAMPLES; k++) {
		for (int i = 0; tab && i < n; i++) {
			unsigned up = betabinom_draw(g, tu[i]), down = betabinom_draw(g, td[i]);
			count_readout(rs, up);
			count_readout(rs, down);
			/* readout_from_counts's change and interval, the interval's side only where
			 * classify_curve looks at it: the high end below 1 - tol, the low end above 1 + tol
			 * (the other end then stands in for the change itself, which classify_curve reads
			 * the same). */
			double U = rs->frac[up], D = rs->frac[down], cc = readout_change(U, D, beta, bw);
			ch[i] = lo[i] = hi[i] = cc;
			if (cc < 1.0 - tol) {
				double u_up = cu >= 0 ? cu * (rs->hi[up] - U) : -cu * (U - rs->lo[up]);
				double d_up = cd >= 0 ? cd * (rs->hi[down] - D) : -cd * (D - rs->lo[down]);
				hi[i] = cc + hypot(u_up, d_up);
			} else if (cc > 1.0 + tol) {
				double u_dn = cu >= 0 ? cu * (U - rs->lo[up]) : -cu * (rs->hi[up] - U);
				double d_dn = cd >= 0 ? cd * (D - rs->lo[down]) : -cd * (rs->hi[down] - D);
				lo[i] = cc - hypot(u_dn, d_dn);
			}
		}
		for (int i = 0; !tab && i < n; i++) {
			unsigned reps = (unsigned)rows[i].reps, up = 0, down = 0;
			if (reps) {
				double ku = rows[i].U * reps, kd = rows[i].D * reps;
				up = gsl_ran_binomial(g, gsl_ran_beta(g, ku + 1, reps - ku + 1), reps);
				down = gsl_ran_binomial(g, gsl_ran_beta(g, kd + 1, reps - kd + 1), reps);
			}
			readout ro;
			readout_from_counts(reps, up, down, beta, bw, &ro);
			x[i] = rows[i].dt_ms;
			ch[i] = ro.change;
			lo[i] = ro.change_lo;
			hi[i] = ro.change_hi;
		}
		classify_result r;
		classify_curve(x, ch, lo, hi, n, tol, &r);
		same += strcmp(r.name, c->name) == 0;
	}
	c->class_p = (double)same / SWEEP_RESAMPLES;
	return 0;
}

/* A growing text buffer: a cell's rows are formatted here, then written with one fwrite. */
typedef struct text {
	char *s;
	size_t len, cap;
	int failed;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int n = t->failed ? 0 : vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (t->failed || n < 0) {
			t->failed = 1;
			return;
		}
		if ((size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		size_t cap = t->cap * 2 + (size_t)n + 256;
		char *s = realloc(t->s, cap);
		if (!s) {
			t->failed = 1;
			return;
		}
		t->s = s;
		t->cap = cap;
	}
}

/* Each axis's values and their text, computed once: a map of 100 x 100 cells would otherwise format
 * and read back every value of every cell (sweep_tidy, params_format_exact), which cost more than
 * the analytic curves themselves. */
#define VALUE_TEXT 32
typedef struct axis_cache {
	double *v;  /* [n] sweep_axis_value */
	char *text; /* [n][VALUE_TEXT] params_format_exact of it */
} axis_cache;

typedef struct runner {
	const sweep_opts *o;
	axis_cache ax[SWEEP_MAX_AXES];
	int idx[SWEEP_MAX_AXES]; /* the current cell's value on each axis */
	FILE *out;
	char *err;
	size_t errlen;
	uint64_t first, end; /* the shard's cells */
	uint64_t cell;       /* the cell being computed */
	param_set p;         /* its parameters */
	batch_row *rows;     /* its curve */
	int rows_cap;
	text line;
	resampler rs; /* class_p's, kept from cell to cell */
	int status; /* 0, 1 stopped, -1 failed */
	uint64_t t_start, t_shown;
	int shown; /* a progress line is on the screen */
	/* The simulation's loop. */
	engine *e;
	uv_timer_t tick;  /* 50 ms: the stop flag and the progress line */
	uv_timer_t next;  /* starts the next cell outside the engine's callback */
	double cell_done; /* fraction of the running cell done */
	int closing;
} runner;

static void header(runner *r)
{
	const sweep_opts *o = r->o;
	for (int i = 0; i < o->grid.naxes; i++)
		put(&r->line, "%s,", params_table[o->grid.axis[i].param].name);
	if (o->map)
		put(&r->line, "class,change_min,x_at_min,change_max,x_at_max,class_p\n");
	else if ((int)o->base.v[P_EFFICACY] == EFFICACY_WEIGHT)
		/* The weight model has no U and D (an axis cannot change the model: it is a choice). */
		put(&r->line, "seed,%s,change,change_lo,change_hi,trials,method\n", params_x_column(&o->base));
	else
		put(&r->line, "seed,%s,U,D,change,change_lo,change_hi,reps\n", params_x_column(&o->base));
}

static int cache_axes(runner *r)
{
	const sweep_grid *g = &r->o->grid;
	for (int i = 0; i < g->naxes; i++) {
		int n = g->axis[i].n;
		r->ax[i].v = malloc(sizeof *r->ax[i].v * (size_t)n);
		r->ax[i].text = malloc((size_t)VALUE_TEXT * (size_t)n);
		if (!r->ax[i].v || !r->ax[i].text) {
			snprintf(r->err, r->errlen, "out of memory");
			return -1;
		}
		for (int k = 0; k < n; k++) {
			r->ax[i].v[k] = sweep_axis_value(&g->axis[i], k);
			params_format_exact(r->ax[i].v[k], r->ax[i].text + (size_t)k * VALUE_TEXT,
			                    VALUE_TEXT);
		}
	}
	return 0;
}

static void free_axes(runner *r)
{
	for (int i = 0; i < SWEEP_MAX_AXES; i++) {
		free(r->ax[i].v);
		free(r->ax[i].text);
	}
}

/* sweep_cell_params from the cached values (the same doubles), and the cell's index on each axis. */
static void cell_params(runner *r, uint64_t cell, param_set *out)
{
	const sweep_grid *g = &r->o->grid;
	*out = r->o->base;
	uint64_t rest = cell;
	for (int i = g->naxes - 1; i >= 0; i--) {
		const sweep_axis *a = &g->axis[i];
		r->idx[i] = (int)(rest % (uint64_t)a->n);
		out->v[a->param] = r->ax[i].v[r->idx[i]];
		rest /= (uint64_t)a->n;
	}
	out->v[P_SEED] = (double)sweep_cell_seed((uint64_t)r->o->base.v[P_SEED], cell);
}

/* The cell's rows into the line buffer. 0, or -1 with the error set. */
static int cell_rows(runner *r)
{
	const sweep_opts *o = r->o;
	char lead[SWEEP_MAX_AXES * (VALUE_TEXT + 1) + 1];
	size_t len = 0;
	for (int i = 0; i < o->grid.naxes; i++)
		len += (size_t)snprintf(lead + len, sizeof lead - len, "%s,",
		                        r->ax[i].text + (size_t)r->idx[i] * VALUE_TEXT);
	int n = (int)r->p.v[P_POINTS];
	if (o->map) {
		classify_result c;
		if (classify_rows(r->rows, n, !o->analytic, o->tolerance, &c) < 0 ||
		    (!o->analytic && class_share(&r->rs, r->rows, n, &r->p, r->cell, o->tolerance, &c) < 0)) {
			snprintf(r->err, r->errlen, "out of memory while classifying the cell at %s", lead);
			r->status = -1;
			return -1;
		}
		put(&r->line, "%s%s,%.6f,%.10g,%.6f,%.10g,%.3f\n", lead, c.name, c.change_min, c.x_at_min,
		    c.change_max, c.x_at_max, c.class_p);
		return 0;
	}
	for (int i = 0; i < n; i++) {
		char row[256];
		if ((int)r->p.v[P_EFFICACY] == EFFICACY_WEIGHT)
			batch_format_weight_row(row, sizeof row, &r->rows[i]);
		else
			batch_format_row(row, sizeof row, &r->rows[i]);
		put(&r->line, "%s%.0f,%s\n", lead, r->p.v[P_SEED], row);
	}
	return 0;
}

/* Write what is in the line buffer, whole, and flush it. */
static int emit(runner *r)
{
	if (r->o->on_write && !r->line.failed)
		r->o->on_write(r->o->on_write_user, r->line.s, r->line.len);
	int ok = !r->line.failed && fwrite(r->line.s, 1, r->line.len, r->out) == r->line.len &&
	         fflush(r->out) == 0;
	r->line.len = 0;
	if (!ok) {
		snprintf(r->err, r->errlen, "writing the output failed: %s",
		         r->line.failed ? "out of memory" : strerror(errno));
		r->status = -1;
	}
	return ok ? 0 : -1;
}

static void progress(runner *r, int last)
{
	if (!r->o->progress)
		return;
	uint64_t now = uv_hrtime();
	if (!last && now - r->t_shown < 200000000ULL)
		return;
	r->t_shown = now;
	if (last) {
		if (r->shown)
			fputs("\r\033[K", stderr);
		return;
	}
	uint64_t total = r->end - r->first, done = r->cell - r->first;
	double f = total ? ((double)done + r->cell_done) / (double)total : 1;
	double el = (double)(now - r->t_start) * 1e-9;
	char elapsed[48], left[48] = "?";
	batch_format_duration(el, elapsed, sizeof elapsed);
	if (f > 0)
		batch_format_duration(el * (1 - f) / f, left, sizeof left);
	fprintf(stderr, "\r\033[K%llu/%llu cells %5.1f%%  %s elapsed, %s left", (unsigned long long)done,
	        (unsigned long long)total, 100 * f, elapsed, left);
	r->shown = 1;
}

static int reserve_rows(runner *r)
{
	int n = (int)r->p.v[P_POINTS];
	if (n <= r->rows_cap)
		return 0;
	batch_row *rows = realloc(r->rows, sizeof *rows * (size_t)n);
	if (!rows) {
		snprintf(r->err, r->errlen, "out of memory");
		r->status = -1;
		return -1;
	}
	r->rows = rows;
	r->rows_cap = n;
	return 0;
}

/* Analytic cells take microseconds: their rows are written together, whole, at least every
 * EMIT_NS and when the buffer holds EMIT_BYTES (and at the end, or when stopped). */
#define EMIT_NS    100000000ULL
#define EMIT_BYTES (1u << 16)

static void run_analytic(runner *r)
{
	uint64_t emitted = uv_hrtime();
	for (r->cell = r->first; r->cell < r->end; r->cell++) {
		if (r->o->stop && *r->o->stop) {
			r->status = 1;
			break;
		}
		cell_params(r, r->cell, &r->p);
		if (reserve_rows(r) < 0)
			return;
		analytic_rows(&r->p, r->rows);
		if (cell_rows(r) < 0)
			return;
		if ((r->cell & 63) == 63 || r->line.len >= EMIT_BYTES) {
			uint64_t now = uv_hrtime();
			if (r->line.len >= EMIT_BYTES || now - emitted >= EMIT_NS) {
				if (emit(r) < 0)
					return;
				emitted = now;
			}
			r->cell_done = 0;
			progress(r, 0);
		}
	}
	if (r->line.len)
		emit(r);
}

static void finish_sim(runner *r)
{
	if (r->closing)
		return;
	r->closing = 1;
	engine_close(r->e);
	uv_close((uv_handle_t *)&r->tick, NULL);
	uv_close((uv_handle_t *)&r->next, NULL);
}

static void start_cell(uv_timer_t *t)
{
	runner *r = t->data;
	if (r->closing)
		return;
	if (r->o->stop && *r->o->stop)
		r->status = 1;
	if (r->cell == r->end || r->status) {
		finish_sim(r);
		return;
	}
	cell_params(r, r->cell, &r->p);
	r->cell_done = 0;
	if (reserve_rows(r) < 0 || engine_set_params(r->e, &r->p, r->err, r->errlen) < 0) {
		r->status = -1;
		finish_sim(r);
	}
}

static void on_update(const engine_snapshot *s, void *user)
{
	runner *r = user;
	if (r->closing)
		return;
	if (s->failed) {
		snprintf(r->err, r->errlen, "%s", s->error ? s->error : "a work unit failed");
		r->status = -1;
		finish_sim(r);
		return;
	}
	r->cell_done = s->reps_total ? (double)s->reps_done / (double)s->reps_total : 0;
	if (!s->complete)
		return;
	for (int i = 0; i < s->points && !wmap_rows(s, r->rows); i++) {
		readout ro;
		readout_from_counts(s->n[i], s->ups[i], s->downs[i], r->p.v[P_BETA], r->p.v[P_B], &ro);
		r->rows[i] =
		    (batch_row){s->dt_ms[i], ro.U, ro.D, ro.change, ro.change_lo, ro.change_hi, s->n[i]};
	}
	if (cell_rows(r) < 0 || emit(r) < 0) {
		finish_sim(r);
		return;
	}
	r->cell++;
	r->cell_done = 0;
	uv_timer_start(&r->next, start_cell, 0, 0);
}

static void on_tick(uv_timer_t *t)
{
	runner *r = t->data;
	if (r->o->stop && *r->o->stop) {
		r->status = 1;
		finish_sim(r);
		return;
	}
	progress(r, 0);
}

static void run_sim(runner *r)
{
	uv_loop_t loop;
	if (uv_loop_init(&loop) != 0) {
		snprintf(r->err, r->errlen, "cannot start the event loop");
		r->status = -1;
		return;
	}
	r->e = engine_new(&loop, r->o->threads, r->o->block, r->o->method, on_update, r);
	if (!r->e) {
		snprintf(r->err, r->errlen, "out of memory");
		r->status = -1;
		uv_loop_close(&loop);
		return;
	}
	uv_timer_init(&loop, &r->tick);
	uv_timer_init(&loop, &r->next);
	r->tick.data = r->next.data = r;
	uv_timer_start(&r->tick, on_tick, 50, 50);
	uv_timer_start(&r->next, start_cell, 0, 0);
	uv_run(&loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&loop) != 0 && r->status == 0) {
		snprintf(r->err, r->errlen, "internal error: event loop still busy at exit");
		r->status = -1;
	}
}

/* Cells of a grid's estimate: evenly spread over the range (the classes change across a map, and
 * with them the work). */
#define COST_SAMPLE_CELLS 16
/* What a cell costs besides its curve (the engine's new run, classifying and writing the row),
 * CPU seconds. */
#define COST_CELL_S 3e-5

double sweep_cost_cpu(const sweep_opts *o, uint64_t first, uint64_t end)
{
	uint64_t cells = end - first;
	if (cells == 0)
		return 0;
	uint64_t n = cells < COST_SAMPLE_CELLS ? cells : COST_SAMPLE_CELLS;
	double sum = 0;
	int used = 0;
	for (uint64_t k = 0; k < n; k++) {
		/* The first and last cell and evenly between them. */
		uint64_t c = first + (n > 1 ? k * (cells - 1) / (n - 1) : 0);
		param_set p;
		sweep_cell_params(&o->grid, c, &o->base, &p);
		char why[8];
		if (params_check_set(&p, why, sizeof why) < 0)
			continue; /* the check of every cell names it */
		double s = cost_curve_cpu(&p, o->method, o->analytic);
		if (s < 0)
			continue;
		sum += s;
		used++;
	}
	return used ? (sum / used + COST_CELL_S + cost_check_cpu()) * (double)cells : 0;
}

/* A short CPU time as a person reads it: "22 ms", "65 us". */
static void format_short(double s, char *buf, size_t len)
{
	if (s >= 1)
		batch_format_duration(s, buf, len);
	else if (s >= 1e-3)
		snprintf(buf, len, "%.3g ms", s * 1e3);
	else
		snprintf(buf, len, "%.3g us", s * 1e6);
}

/* The cost, announced when over BATCH_WARN_S; -1 with err set when over a day without force. */
static int announce_cost(const sweep_opts *o, uint64_t first, uint64_t end, char *err, size_t errlen)
{
	uint64_t cells = end - first;
	int par = o->analytic ? 1 : o->threads;
	param_set p;
	sweep_cell_params(&o->grid, first, &o->base, &p);
	char why[8];
	/* A cheap run pays nothing: one cell's bound, with room for the others' being dearer. */
	if (cells == 0 || (params_check_set(&p, why, sizeof why) == 0 &&
	                   cost_curve_below(&p, o->method, o->analytic,
	                                    BATCH_WARN_S * (par < 1 ? 1 : par) / (4.0 * (double)cells))))
		return 0;
	double cpu = sweep_cost_cpu(o, first, end);
	double wall = cost_wall_s(cpu, par);
	if (wall < BATCH_WARN_S)
		return 0;
	const char *what = o->map ? "map" : "sweep";
	char total[48], cpu_text[48], cell[48], fewer[48];
	batch_format_duration(wall, total, sizeof total);
	batch_format_duration(cpu, cpu_text, sizeof cpu_text);
	format_short(cpu / (double)cells, cell, sizeof cell);
	fprintf(stderr,
	        "calcium-stdp: this %s is expected to take about %s on %d thread%s (%s of CPU: %llu "
	        "cells of %.0f points",
	        what, total, par, par == 1 ? "" : "s", cpu_text, (unsigned long long)cells, p.v[P_POINTS]);
	if (!o->analytic)
		fprintf(stderr, " x %.0f repetitions x 2 initial states", p.v[P_REPS]);
	fprintf(stderr, ", %s of CPU per cell).\n", cell);
	fprintf(stderr, "calcium-stdp: to make it shorter: fewer cells (N in NAME=FROM:TO:N), ");
	if (!o->analytic) {
		double r10 = fmax(1, floor(p.v[P_REPS] / 10));
		batch_format_duration(wall * r10 / p.v[P_REPS], fewer, sizeof fewer);
		fprintf(stderr, "fewer repetitions (--reps %.0f: about %s), --analytic, ", r10, fewer);
	}
	fprintf(stderr,
	        "fewer points (--set points=...), %sparts on other machines (--shard K/N, then "
	        "--merge).\n",
	        o->analytic ? "" : "more --threads, ");
	if (wall > COST_DAY_S && !o->force) {
		snprintf(err, errlen,
		         "this %s would take more than a day (about %s): make it smaller, split it with "
		         "--shard K/N over several machines, or give --force to run it all the same",
		         what, total);
		return -1;
	}
	return 0;
}

int sweep_run(const sweep_opts *o, FILE *out, char *err, size_t errlen)
{
	runner r = {.o = o, .out = out, .err = err, .errlen = errlen};
	sweep_shard_range(sweep_cells(&o->grid), o->shard, &r.first, &r.end);
	if (o->estimate && announce_cost(o, r.first, r.end, err, errlen) < 0)
		return SWEEP_BAD_GRID;
	if (cache_axes(&r) < 0) {
		free_axes(&r);
		return -1;
	}
	/* Every cell first, so that a bad corner of the grid is found before hours of work. */
	for (uint64_t c = r.first; c < r.end; c++) {
		char why[1024];
		if ((c & 1023) == 0 && o->stop && *o->stop) {
			progress(&r, 1);
			free_axes(&r);
			return 1;
		}
		cell_params(&r, c, &r.p);
		if (params_check_set(&r.p, why, sizeof why) < 0 ||
		    wmap_check_analytic(&r.p, o->analytic, why, sizeof why) < 0) {
			char at[SWEEP_MAX_AXES * 48] = "";
			size_t len = 0;
			for (int i = 0; i < o->grid.naxes; i++) {
				char v[32];
				params_format_exact(r.p.v[o->grid.axis[i].param], v, sizeof v);
				len += (size_t)snprintf(at + len, sizeof at - len, "%s%s=%s", i ? " " : "",
				                        params_table[o->grid.axis[i].param].name, v);
			}
			snprintf(err, errlen, "the grid cell %s is not a valid set: %s", at, why);
			free_axes(&r);
			return SWEEP_BAD_GRID;
		}
	}
	r.t_start = uv_hrtime();
	if (o->shard.n < 1 || o->shard.k == 1) {
		header(&r);
		emit(&r);
	}
	r.cell = r.first;
	if (r.status == 0 && r.first < r.end) {
		if (o->analytic)
			run_analytic(&r);
		else
			run_sim(&r);
	}
	progress(&r, 1);
	free_axes(&r);
	free(r.rows);
	free(r.line.s);
	resampler_free(&r.rs);
	return r.status;
}
