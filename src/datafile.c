/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Measured data files. The CSV is read by hand: the format is a handful of plain numeric columns
 * and the point is the FILE:LINE message for every way a file can be wrong, which no packaged CSV
 * reader in Debian gives. */
#include "datafile.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analytic.h"
#include "datadir.h"
#include "presets.h"

#define MAX_COLUMNS 64
#define MAX_LINE    4096
#define MAX_FILE    (4 * 1024 * 1024) /* bytes: a data file is a table of measurements */

/* What a column holds. */
enum { COL_CHANGE = -1, COL_SEM = -2, COL_DT = -3 };

typedef struct reader {
	const char *path;
	char *err;
	size_t errlen;
	int failed;
} reader;

static int fail_at(reader *r, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(r->err, r->errlen, "%s:%d: %s", r->path, line, msg);
	else
		snprintf(r->err, r->errlen, "%s: %s", r->path, msg);
	r->failed = 1;
	return -1;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = 0;
	return s;
}

/* Split s at commas in place; at most cap fields. Returns the count, or cap + 1 if there are more. */
static int split(char *s, char **field, int cap)
{
	int n = 0;
	for (;;) {
		char *comma = strchr(s, ',');
		if (comma)
			*comma = 0;
		if (n == cap)
			return cap + 1;
		field[n++] = trim(s);
		if (!comma)
			return n;
		s = comma + 1;
	}
}

/* The meaning of a header name: COL_*, a protocol parameter's id, or -1000 with a message. */
static int column_kind(reader *r, int line, const char *name)
{
	if (strcmp(name, "change") == 0)
		return COL_CHANGE;
	if (strcmp(name, "sem") == 0)
		return COL_SEM;
	if (strcmp(name, "dt_ms") == 0)
		return COL_DT;
	int id = params_find(name);
	if (id >= 0 && strcmp(params_table[id].section, "protocol") == 0 && !params_table[id].names &&
	    id != P_DT_MIN_MS && id != P_DT_MAX_MS && id != P_POINTS && id != P_FIXED_DT_MS)
		return id;
	if (!name[0])
		fail_at(r, line, "empty column name in the header");
	else if (id >= 0)
		fail_at(
		    r, line,
		    "column '%s' cannot vary between rows: only change, sem, dt_ms and protocol parameters "
		    "such as freq_hz or pairs can be columns",
		    name);
	else
		fail_at(r, line,
		        "unknown column '%s': the columns are change, sem, dt_ms and protocol "
		        "parameters such as freq_hz or pairs",
		        name);
	return -1000;
}

static int parse_number(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || *end || errno == ERANGE || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int parse_header(reader *r, int line, char *text, int *kind, int *ncol)
{
	char *field[MAX_COLUMNS];
	int n = split(text, field, MAX_COLUMNS);
	if (n > MAX_COLUMNS)
		return fail_at(r, line, "more than %d columns", MAX_COLUMNS);
	int have_change = 0, have_sem = 0;
	for (int c = 0; c < n; c++) {
		kind[c] = column_kind(r, line, field[c]);
		if (kind[c] == -1000)
			return -1;
		for (int k = 0; k < c; k++)
			if (kind[k] == kind[c])
				return fail_at(r, line, "column '%s' appears twice", field[c]);
		have_change |= kind[c] == COL_CHANGE;
		have_sem |= kind[c] == COL_SEM;
	}
	if (!have_change || !have_sem)
		return fail_at(r, line, "missing column '%s' (the header needs change and sem)",
		               have_change ? "sem" : "change");
	*ncol = n;
	return 0;
}

static int parse_row(reader *r, int line, char *text, const int *kind, int ncol, datafile_row *row)
{
	char *field[MAX_COLUMNS];
	int n = split(text, field, MAX_COLUMNS);
	if (n != ncol)
		return fail_at(r, line, "%d fields where the header has %d columns", n, ncol);
	row->line = line;
	row->dt_ms = NAN;
	for (int i = 0; i < P_COUNT; i++)
		row->v[i] = NAN;
	for (int c = 0; c < ncol; c++) {
		const char *name = kind[c] == COL_CHANGE ? "change"
		                   : kind[c] == COL_SEM  ? "sem"
		                   : kind[c] == COL_DT   ? "dt_ms"
		                                         : params_table[kind[c]].name;
		double v;
		if (parse_number(field[c], &v) < 0)
			return fail_at(r, line, "%s: '%s' is not a number", name, field[c]);
		char err[256];
		switch (kind[c]) {
		case COL_CHANGE:
			if (v <= 0)
				return fail_at(
				    r, line, "change: %g is not a change in strength (after/before > 0)", v);
			row->change = v;
			break;
		case COL_SEM:
			if (v <= 0)
				return fail_at(r, line, "sem: %g must be greater than 0 (a standard error)",
				               v);
			row->sem = v;
			break;
		case COL_DT:
			/* The range of fixed_dt_ms, which the row's dt becomes for a frequency curve. */
			if (params_check_value(P_FIXED_DT_MS, v, err, sizeof err) < 0)
				return fail_at(r, line, "dt_ms: %g is outside -500 to 500 ms", v);
			row->dt_ms = v;
			break;
		default:
			if (params_check_value(kind[c], v, err, sizeof err) < 0)
				return fail_at(r, line, "%s", err);
			row->v[kind[c]] = v;
		}
	}
	return 0;
}

static void set_name(datafile *d, const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	if (n > 4 && strcmp(b + n - 4, ".csv") == 0)
		n -= 4;
	d->name = malloc(n + 1);
	if (d->name)
		snprintf(d->name, n + 1, "%.*s", (int)n, b);
}

static int readable_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, R_OK) == 0;
}

/* NAME or NAME.csv in dir (dir of length dlen). */
static int find_in(const char *dir, size_t dlen, const char *name, char *path, size_t len)
{
	static const char *const ext[] = {"", ".csv"};
	if (dlen == 0)
		return -1;
	for (int k = 0; k < 2; k++) {
		int n = snprintf(path, len, "%.*s/%s%s", (int)dlen, dir, name, ext[k]);
		if (n > 0 && (size_t)n < len && readable_file(path))
			return 0;
	}
	return -1;
}

int datafile_find(const char *name, const char *from, char *path, size_t len)
{
	if (!name[0])
		return -1;
	if (strchr(name, '/')) {
		const char *slash = from ? strrchr(from, '/') : NULL;
		int n = name[0] == '/' || !slash
		            ? snprintf(path, len, "%s", name)
		            : snprintf(path, len, "%.*s/%s", (int)(slash - from), from, name);
		return n > 0 && (size_t)n < len ? 0 : -1;
	}
	const char *env = getenv("CALCIUM_STDP_DATA");
	for (const char *s = env; s && *s;) {
		size_t n = strcspn(s, ":");
		if (find_in(s, n, name, path, len) == 0)
			return 0;
		s += n + (s[n] == ':');
	}
	if (find_in(datadir_data(), strlen(datadir_data()), name, path, len) == 0)
		return 0;
#ifdef CSTDP_SOURCE_DATA /* not in a packaged program: see Makefile.am */
	if (presets_uninstalled() &&
	    find_in(CSTDP_SOURCE_DATA, strlen(CSTDP_SOURCE_DATA), name, path, len) == 0)
		return 0;
#endif
	return -1;
}

int datafile_load(const char *path, datafile *d, char *err, size_t errlen)
{
	memset(d, 0, sizeof *d);
	reader r = {path, err, errlen, 0};
	/* As the INI loader reads: opened once without waiting (a FIFO is refused, not waited on), a
	 * regular file of sensible size, read whole; a line's length is checked before it is used. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return fail_at(&r, 0, "cannot open: %s", strerror(errno));
	struct stat st;
	const char *why = NULL;
	if (fstat(fd, &st) != 0)
		why = strerror(errno);
	else if (S_ISDIR(st.st_mode))
		why = strerror(EISDIR);
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	else if (st.st_size > MAX_FILE)
		why = "larger than 4 MiB: not a data file";
	if (why) {
		close(fd);
		return fail_at(&r, 0, "cannot open: %s", why);
	}
	/* One byte more than the size, to notice a file that grew meanwhile. */
	size_t cap = (size_t)st.st_size + 1, size = 0;
	char *buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		return fail_at(&r, 0, "cannot read: out of memory");
	}
	while (size < cap) {
		ssize_t k = read(fd, buf + size, cap - size);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = errno;
			free(buf);
			close(fd);
			return fail_at(&r, 0, "cannot read: %s", strerror(e));
		}
		if (k == 0)
			break;
		size += (size_t)k;
	}
	close(fd);
	if (size == cap) {
		free(buf);
		return fail_at(&r, 0, "cannot read: the file changed while being read");
	}
	buf[size] = '\0';
	int line = 0, kind[MAX_COLUMNS], ncol = 0, have_header = 0, rcap = 0;
	char *at = buf, *end = buf + size;
	/* A UTF-8 byte order mark before the first line. */
	if (size >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		at += 3;
	while (!r.failed && at < end) {
		/* Lines end in LF, CR LF or CR. */
		char *e = at;
		while (e < end && *e != '\n' && *e != '\r')
			e++;
		char *next = e < end && *e == '\r' && e + 1 < end && e[1] == '\n' ? e + 2 : e + 1;
		line++;
		if (memchr(at, 0, (size_t)(e - at))) {
			fail_at(&r, line, "a NUL byte: this is not a text file");
			break;
		}
		if (e - at > MAX_LINE) {
			fail_at(&r, line, "line longer than %d bytes", MAX_LINE);
			break;
		}
		*e = '\0';
		char *s = trim(at);
		at = next;
		if (*s == '#') {
			if (!d->source && !have_header) {
				d->source = strdup(trim(s + 1));
				if (!d->source)
					fail_at(&r, 0, "out of memory");
			}
			continue;
		}
		if (!*s)
			continue;
		if (!have_header) {
			parse_header(&r, line, s, kind, &ncol);
			have_header = 1;
			continue;
		}
		if (d->n == rcap) {
			rcap = rcap ? 2 * rcap : 16;
			datafile_row *nr = realloc(d->rows, (size_t)rcap * sizeof *nr);
			if (!nr) {
				fail_at(&r, 0, "out of memory");
				break;
			}
			d->rows = nr;
		}
		if (parse_row(&r, line, s, kind, ncol, &d->rows[d->n]) == 0)
			d->n++;
	}
	free(buf);
	if (!r.failed && !have_header)
		fail_at(&r, 0, "no header line (expected e.g. dt_ms,change,sem)");
	else if (!r.failed && d->n == 0)
		fail_at(&r, 0, "no rows: the file has a header but no measurements");
	if (!r.failed) {
		d->path = strdup(path);
		set_name(d, path);
		if (!d->source)
			d->source = strdup("");
		if (!d->path || !d->name || !d->source)
			fail_at(&r, 0, "out of memory");
	}
	if (r.failed) {
		datafile_free(d);
		return -1;
	}
	return 0;
}

void datafile_free(datafile *d)
{
	free(d->path);
	free(d->name);
	free(d->source);
	free(d->rows);
	memset(d, 0, sizeof *d);
}

int datafile_copy(const datafile *src, datafile *dst)
{
	memset(dst, 0, sizeof *dst);
	dst->path = strdup(src->path);
	dst->name = strdup(src->name);
	dst->source = strdup(src->source);
	dst->rows = malloc((size_t)(src->n > 0 ? src->n : 1) * sizeof *dst->rows);
	if (!dst->path || !dst->name || !dst->source || !dst->rows) {
		datafile_free(dst);
		return -1;
	}
	memcpy(dst->rows, src->rows, (size_t)src->n * sizeof *dst->rows);
	dst->n = src->n;
	return 0;
}

int datafile_row_point(const datafile *d, int i, const param_set *base, param_set *q, double *dt_ms)
{
	const datafile_row *row = &d->rows[i];
	int proto = (int)base->v[P_PROTOCOL];
	if (proto == PROTO_POISSON)
		return -1;
	*q = *base;
	for (int k = 0; k < P_COUNT; k++)
		if (!isnan(row->v[k]))
			q->v[k] = row->v[k];
	if (proto == PROTO_FREQUENCY)
		q->v[P_PROTOCOL] = PROTO_PAIRS;
	*dt_ms = isnan(row->dt_ms) ? base->v[P_FIXED_DT_MS] : row->dt_ms;
	return 0;
}

static int inside(double x, double a, double b)
{
	double tol = 1e-9 * (fabs(a) + fabs(b) + 1);
	return x >= a - tol && x <= b + tol;
}

int datafile_row_on_curve(const datafile *d, int i, const param_set *base, double *x)
{
	const datafile_row *row = &d->rows[i];
	int proto = (int)base->v[P_PROTOCOL];
	if (proto == PROTO_POISSON)
		return 0;
	for (int k = 0; k < P_COUNT; k++) {
		if (isnan(row->v[k]) || (k == P_FREQ_HZ && proto == PROTO_FREQUENCY))
			continue;
		if (fabs(row->v[k] - base->v[k]) > 1e-9 * (fabs(base->v[k]) + 1))
			return 0;
	}
	double dt = isnan(row->dt_ms) ? base->v[P_FIXED_DT_MS] : row->dt_ms;
	if (proto == PROTO_FREQUENCY) {
		double f = isnan(row->v[P_FREQ_HZ]) ? base->v[P_FREQ_HZ] : row->v[P_FREQ_HZ];
		if (fabs(dt - base->v[P_FIXED_DT_MS]) > 1e-9 ||
		    !inside(f, base->v[P_FREQ_MIN_HZ], base->v[P_FREQ_MAX_HZ]))
			return 0;
		*x = f;
		return 1;
	}
	if (!inside(dt, base->v[P_DT_MIN_MS], base->v[P_DT_MAX_MS]))
		return 0;
	*x = dt;
	return 1;
}

int datafile_points(const datafile *d, const param_set *base, double *x, double *y, double *lo, double *hi)
{
	int n = 0;
	for (int i = 0; i < d->n; i++)
		if (datafile_row_on_curve(d, i, base, &x[n])) {
			y[n] = d->rows[i].change;
			lo[n] = y[n] - d->rows[i].sem;
			hi[n] = y[n] + d->rows[i].sem;
			n++;
		}
	return n;
}

double datafile_row_analytic(const datafile *d, int i, const param_set *base)
{
	param_set q;
	double dt;
	if (datafile_row_point(d, i, base, &q, &dt) < 0)
		return NAN;
	analytic_point a;
	analytic_at(&q, dt, &a);
	return a.change;
}

double datafile_chi2(const datafile *d, const param_set *base)
{
	double chi2 = 0;
	for (int i = 0; i < d->n; i++) {
		double r = (datafile_row_analytic(d, i, base) - d->rows[i].change) / d->rows[i].sem;
		chi2 += r * r;
	}
	return chi2;
}
