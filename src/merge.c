/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Parts of a map or a sweep with their provenance, and the merge that checks them (see merge.h). */
#include "merge.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "params.h"

#define TAG       "#calcium-stdp "
#define BEGIN_KEY TAG "part="
#define END_KEY   TAG "end="

/* FNV-1a, 64 bits: the checksum of a part's rows and the hash of a run's settings. */
#define FNV_START 0xcbf29ce484222325ULL
static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t count_lines(const char *s, size_t len)
{
	uint64_t n = 0;
	for (const char *p = s, *end = s + len; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		n++;
	return n;
}

/* ---- writing a part -------------------------------------------------------------------------- */

typedef struct writer {
	const sweep_opts *o;
	const char *version;
	FILE *out;
	int begun;
	uint64_t rows, sum;
} writer;

/* Everything but the seed and the grid that decides a run's numbers, hashed. */
static uint64_t run_hash(const sweep_opts *o)
{
	char buf[128];
	uint64_t h = FNV_START;
	int n = snprintf(buf, sizeof buf, "%s;%s;", o->map ? "map" : "sweep",
	                 o->analytic ? "analytic" : sim_method_name(o->method));
	h = fnv(h, buf, (size_t)n);
	if (o->map) {
		n = snprintf(buf, sizeof buf, "tolerance=%a;", o->tolerance);
		h = fnv(h, buf, (size_t)n);
	}
	for (int i = 0; i < P_COUNT; i++) {
		if (i == P_SEED)
			continue;
		n = snprintf(buf, sizeof buf, "%s=%a;", params_table[i].name, o->base.v[i]);
		h = fnv(h, buf, (size_t)n);
	}
	return h;
}

static void begin_line(writer *w)
{
	const sweep_opts *o = w->o;
	uint64_t first, end, total = sweep_cells(&o->grid);
	sweep_shard_range(total, o->shard, &first, &end);
	fprintf(w->out,
	        BEGIN_KEY "%d/%d cells=%" PRIu64 "-%" PRIu64 "/%" PRIu64
	                  " version=%s kind=%s seed=%.0f grid=",
	        o->shard.k, o->shard.n, first, end, total, w->version, o->map ? "map" : "sweep",
	        o->base.v[P_SEED]);
	for (int i = 0; i < o->grid.naxes; i++) {
		const sweep_axis *a = &o->grid.axis[i];
		char from[32], to[32];
		params_format_exact(a->from, from, sizeof from);
		params_format_exact(a->to, to, sizeof to);
		fprintf(w->out, "%s%s=%s:%s:%d%s", i ? ";" : "", params_table[a->param].name, from, to, a->n,
		        a->log ? ":log" : "");
	}
	/* What else decides the numbers, readable, so that the merge can say what differs. */
	fprintf(w->out, " method=%s", o->analytic ? "analytic" : sim_method_name(o->method));
	if (o->map) {
		char t[32];
		params_format_exact(o->tolerance, t, sizeof t);
		fprintf(w->out, " tolerance=%s", t);
	}
	fputs(" set=", w->out);
	int any = 0;
	for (int i = 0; i < P_COUNT; i++) {
		if (i == P_SEED || o->base.v[i] == params_table[i].def)
			continue;
		char v[64];
		params_format_value(i, o->base.v[i], v, sizeof v);
		fprintf(w->out, "%s%s=%s", any++ ? ";" : "", params_table[i].name, v);
	}
	fprintf(w->out, "%s run=%016" PRIx64 "\n", any ? "" : "defaults", run_hash(o));
	w->begun = 1;
}

static void on_write(void *user, const char *text, size_t len)
{
	writer *w = user;
	if (!w->begun)
		begin_line(w);
	w->rows += count_lines(text, len);
	w->sum = fnv(w->sum, text, len);
}

int merge_write_part(const sweep_opts *o, const char *version, FILE *out, char *err, size_t errlen)
{
	if (o->shard.n < 1)
		return sweep_run(o, out, err, errlen);
	writer w = {.o = o, .version = version, .out = out, .sum = FNV_START};
	sweep_opts q = *o;
	q.on_write = on_write;
	q.on_write_user = &w;
	int rc = sweep_run(&q, out, err, errlen);
	if (rc != 0)
		return rc;
	if (!w.begun) /* a part without cells (more parts than cells) */
		begin_line(&w);
	fprintf(out, END_KEY "%d/%d rows=%" PRIu64 " sum=%016" PRIx64 "\n", o->shard.k, o->shard.n, w.rows,
	        w.sum);
	if (fflush(out) != 0 || ferror(out)) {
		snprintf(err, errlen, "writing the output failed: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- reading parts --------------------------------------------------------------------------- */

/* One part as found in an input. */
typedef struct part {
	int input; /* index of its input */
	int k, n;  /* K/N */
	char *run; /* the first line's fields after cells=..., for comparing runs */
	uint64_t first, end, total;
	off_t data;    /* offset of its rows in the input */
	uint64_t len;  /* their bytes */
	uint64_t rows; /* their lines */
	uint64_t sum;
} part;

typedef struct merger {
	const char *const *paths;
	FILE **in;
	int nin;
	part *parts;
	size_t nparts, cap;
	char *err;
	size_t errlen;
} merger;

static const char *input_name(const merger *m, int i)
{
	return strcmp(m->paths[i], "-") == 0 ? "standard input" : m->paths[i];
}

static int refuse(merger *m, int input, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int refuse(merger *m, int input, const char *fmt, ...)
{
	int n = snprintf(m->err, m->errlen, "--merge: %s: ", input_name(m, input));
	va_list ap;
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < m->errlen)
		vsnprintf(m->err + n, m->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return MERGE_REFUSED;
}

/* The value of key (e.g. "cells=") among a line's space-separated fields, cut at the next space
 * into buf; NULL when absent. */
static const char *field(const char *line, const char *key, char *buf, size_t len)
{
	size_t kl = strlen(key);
	for (const char *p = line; p && *p; p = strchr(p, ' ')) {
		if (*p == ' ')
			p++;
		if (strncmp(p, key, kl) == 0) {
			size_t vl = strcspn(p + kl, " \n");
			if (vl >= len)
				return NULL;
			memcpy(buf, p + kl, vl);
			buf[vl] = 0;
			return buf;
		}
	}
	return NULL;
}

static int parse_kn(const char *s, int *k, int *n)
{
	char tail;
	return sscanf(s, "%d/%d%c", k, n, &tail) == 2 && *n >= 1 && *k >= 1 && *k <= *n ? 0 : -1;
}

/* The first line of a part into p (its K/N, cells and run); -1 when malformed. */
static int parse_begin(const char *line, part *p)
{
	char buf[64];
	if (!field(line, "part=", buf, sizeof buf) || parse_kn(buf, &p->k, &p->n) < 0)
		return -1;
	char tail;
	if (!field(line, "cells=", buf, sizeof buf) ||
	    sscanf(buf, "%" SCNu64 "-%" SCNu64 "/%" SCNu64 "%c", &p->first, &p->end, &p->total, &tail) != 3)
		return -1;
	const char *run = strstr(line, " version=");
	if (!run)
		return -1;
	p->run = strndup(run + 1, strcspn(run + 1, "\n"));
	return p->run ? 0 : -1;
}

static int add_part(merger *m, const part *p)
{
	if (m->nparts == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 16;
		part *np = realloc(m->parts, cap * sizeof *np);
		if (!np)
			return -1;
		m->parts = np;
		m->cap = cap;
	}
	m->parts[m->nparts++] = *p;
	return 0;
}

/* Every part in input i, each checked on its own. */
static int scan(merger *m, int i)
{
	FILE *f = m->in[i];
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	off_t at = 0;
	uint64_t lineno = 0;
	part cur = {0};
	int in_part = 0, nfound = 0, rc = 0;
	while ((got = getline(&line, &cap, f)) > 0) {
		lineno++;
		off_t next = at + got;
		int complete = line[got - 1] == '\n';
		if (!in_part) {
			if (strncmp(line, BEGIN_KEY, strlen(BEGIN_KEY)) != 0 || !complete) {
				rc = nfound == 0
				         ? refuse(m, i,
				                  "not a part of a sharded run: line 1 is not the "
				                  "'" BEGIN_KEY "K/N ...' line that --shard K/N writes first")
				         : refuse(m, i, "line %" PRIu64 ": text after the end of part %d/%d",
				                  lineno, cur.k, cur.n);
				goto out;
			}
			cur = (part){.input = i, .data = next, .sum = FNV_START};
			if (parse_begin(line, &cur) < 0) {
				free(cur.run);
				rc = refuse(m, i, "line %" PRIu64 ": a damaged '" BEGIN_KEY "' line", lineno);
				goto out;
			}
			uint64_t first, end;
			sweep_shard_range(cur.total, (sweep_shard){cur.k, cur.n}, &first, &end);
			if (first != cur.first || end != cur.end) {
				rc = refuse(m, i,
				            "line %" PRIu64 ": part %d/%d names cells %" PRIu64 "-%" PRIu64
				            ", not its own %" PRIu64 "-%" PRIu64 " of %" PRIu64 ": damaged",
				            lineno, cur.k, cur.n, cur.first, cur.end, first, end, cur.total);
				free(cur.run);
				goto out;
			}
			in_part = 1;
		} else if (complete && strncmp(line, END_KEY, strlen(END_KEY)) == 0) {
			char buf[64];
			int k, n;
			uint64_t rows, sum;
			char tail;
			if (!field(line, "end=", buf, sizeof buf) || parse_kn(buf, &k, &n) < 0 ||
			    !field(line, "rows=", buf, sizeof buf) ||
			    sscanf(buf, "%" SCNu64 "%c", &rows, &tail) != 1 ||
			    !field(line, "sum=", buf, sizeof buf) ||
			    sscanf(buf, "%" SCNx64 "%c", &sum, &tail) != 1 || k != cur.k || n != cur.n) {
				rc = refuse(m, i, "line %" PRIu64 ": a damaged end line for part %d/%d",
				            lineno, cur.k, cur.n);
			} else if (rows != cur.rows) {
				rc = refuse(m, i,
				            "part %d/%d is damaged: it has %" PRIu64
				            " row(s) where its end line says %" PRIu64,
				            cur.k, cur.n, cur.rows, rows);
			} else if (sum != cur.sum) {
				rc = refuse(
				    m, i,
				    "part %d/%d is damaged: its rows are not those that were written (the "
				    "checksum of its end line differs)",
				    cur.k, cur.n);
			} else if (add_part(m, &cur) < 0) {
				snprintf(m->err, m->errlen, "--merge: out of memory");
				rc = 1;
			}
			if (rc) {
				free(cur.run);
				goto out;
			}
			in_part = 0;
			nfound++;
		} else if (complete && strncmp(line, BEGIN_KEY, strlen(BEGIN_KEY)) == 0) {
			rc = refuse(m, i,
			            "part %d/%d is truncated: it stops after %" PRIu64
			            " rows, without its end line, "
			            "where another part begins (line %" PRIu64 ")",
			            cur.k, cur.n, cur.rows, lineno);
			free(cur.run);
			goto out;
		} else {
			if (!complete) {
				rc = refuse(
				    m, i,
				    "part %d/%d is truncated: it stops in the middle of a row, after %" PRIu64
				    " whole row(s) (the run was stopped, failed, or is still running)",
				    cur.k, cur.n, cur.rows);
				free(cur.run);
				goto out;
			}
			cur.rows++;
			cur.len += (uint64_t)got;
			cur.sum = fnv(cur.sum, line, (size_t)got);
		}
		at = next;
	}
	if (ferror(f)) {
		snprintf(m->err, m->errlen, "--merge: %s: reading failed: %s", input_name(m, i),
		         strerror(errno));
		rc = 1;
		if (in_part)
			free(cur.run);
	} else if (in_part) {
		rc = refuse(m, i,
		            "part %d/%d is truncated: it ends after %" PRIu64
		            " rows without its end line (the "
		            "run was stopped, failed, or is still running)",
		            cur.k, cur.n, cur.rows);
		free(cur.run);
	} else if (nfound == 0) {
		rc = refuse(m, i, "empty: no part in it");
	}
out:
	free(line);
	return rc;
}

static int by_k(const void *a, const void *b)
{
	const part *x = a, *y = b;
	return (x->k > y->k) - (x->k < y->k);
}

/* What differs between two runs' first lines, in words. */
/* The value of name in a "set=" list (name=value;...) into out; the default's text when absent. */
static void set_value(const char *list, const char *name, char *out, size_t len)
{
	size_t n = strlen(name);
	for (const char *p = list; p && *p; p = strchr(p, ';'), p = p ? p + 1 : NULL)
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			size_t vl = strcspn(p + n + 1, ";");
			snprintf(out, len, "%.*s", (int)vl, p + n + 1);
			return;
		}
	int id = params_find(name);
	char v[64] = "?";
	if (id >= 0)
		params_format_value(id, params_table[id].def, v, sizeof v);
	snprintf(out, len, "%s (the default)", v);
}

/* The first parameter whose value differs between two "set=" lists, in words; 0 when none. */
static int set_difference(const char *a, const char *b, char *buf, size_t len)
{
	for (int side = 0; side < 2; side++) {
		const char *list = side ? b : a;
		for (const char *p = list; p && *p; p = strchr(p, ';'), p = p ? p + 1 : NULL) {
			char name[64], va[128], vb[128];
			size_t nl = strcspn(p, "=;");
			if (nl == 0 || nl >= sizeof name)
				continue;
			memcpy(name, p, nl);
			name[nl] = 0;
			set_value(a, name, va, sizeof va);
			set_value(b, name, vb, sizeof vb);
			if (strcmp(va, vb) != 0) {
				snprintf(buf, len, "other parameters: %s is %s, not %s", name, va, vb);
				return 1;
			}
		}
	}
	return 0;
}

static void run_difference(const part *a, const part *b, char *buf, size_t len)
{
	static const char *const keys[] = {
	    "version=", "kind=", "seed=", "grid=", "method=", "tolerance=", "set=", "run="};
	static const char *const words[] = {"made by version", "a", "seed", "grid", "method", "tolerance"};
	if (a->n != b->n) {
		snprintf(buf, len, "it is one of %d parts, not %d", a->n, b->n);
		return;
	}
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		char va[4096], vb[4096];
		const char *x = field(a->run, keys[i], va, sizeof va),
		           *y = field(b->run, keys[i], vb, sizeof vb);
		if ((!x && !y) || (x && y && strcmp(x, y) == 0))
			continue;
		if (i == 1)
			snprintf(buf, len, "it is a %s, not a %s", x ? x : "?", y ? y : "?");
		else if (i == 6 && x && y && set_difference(x, y, buf, len))
			;
		else if (i >= 6)
			snprintf(buf, len, "other settings (run %s, not %s)", x ? x : "?", y ? y : "?");
		else
			snprintf(buf, len, "%s %s, not %s", words[i], x ? x : "?", y ? y : "?");
		return;
	}
	snprintf(buf, len, "its first line differs");
}

/* All parts of one run, each once, none missing. */
static int check_set(merger *m)
{
	part *ref = &m->parts[0];
	for (size_t j = 1; j < m->nparts; j++) {
		part *p = &m->parts[j];
		if (p->n == ref->n && strcmp(p->run, ref->run) == 0)
			continue;
		char why[1024];
		run_difference(p, ref, why, sizeof why);
		return refuse(m, p->input, "part %d/%d is of another run than part %d/%d of %s: %s", p->k,
		              p->n, ref->k, ref->n, input_name(m, ref->input), why);
	}
	qsort(m->parts, m->nparts, sizeof *m->parts, by_k);
	for (size_t j = 1; j < m->nparts; j++)
		if (m->parts[j].k == m->parts[j - 1].k) {
			const part *p = &m->parts[j];
			if (m->parts[j].input == m->parts[j - 1].input)
				return refuse(m, p->input, "part %d/%d is given twice (twice in this input)",
				              p->k, p->n);
			return refuse(m, p->input, "part %d/%d is given twice (also in %s)", p->k, p->n,
			              input_name(m, m->parts[j - 1].input));
		}
	int n = m->parts[0].n;
	if (m->nparts != (size_t)n) {
		char list[512] = "";
		size_t used = 0, j = 0;
		int missing = 0;
		for (int k = 1; k <= n; k++) {
			if (j < m->nparts && m->parts[j].k == k) {
				j++;
				continue;
			}
			if (missing++ < 8) {
				uint64_t first, end;
				sweep_shard_range(m->parts[0].total, (sweep_shard){k, n}, &first, &end);
				used += (size_t)snprintf(list + used, sizeof list - used,
				                         "%s%d/%d (cells %" PRIu64 "-%" PRIu64 ")",
				                         missing > 1 ? ", " : "", k, n, first, end);
			}
		}
		snprintf(m->err, m->errlen,
		         "--merge: %d of %d parts %s missing: %s%s; compute %s with --shard K/N and the same "
		         "options",
		         missing, n, missing == 1 ? "is" : "are", list, missing > 8 ? ", ..." : "",
		         missing == 1 ? "it" : "them");
		return MERGE_REFUSED;
	}
	return 0;
}

/* The rows of every part, in order, checked again on the way. */
static int copy_parts(merger *m, FILE *out)
{
	static char buf[1 << 16];
	for (size_t j = 0; j < m->nparts; j++) {
		const part *p = &m->parts[j];
		FILE *f = m->in[p->input];
		if (fseeko(f, p->data, SEEK_SET) != 0) {
			snprintf(m->err, m->errlen, "--merge: %s: cannot read it again: %s",
			         input_name(m, p->input), strerror(errno));
			return 1;
		}
		uint64_t left = p->len, sum = FNV_START;
		while (left) {
			size_t want = left < sizeof buf ? (size_t)left : sizeof buf;
			size_t got = fread(buf, 1, want, f);
			if (got != want) {
				snprintf(m->err, m->errlen,
				         "--merge: %s: part %d/%d became shorter while merging",
				         input_name(m, p->input), p->k, p->n);
				return 1;
			}
			sum = fnv(sum, buf, got);
			if (fwrite(buf, 1, got, out) != got) {
				snprintf(m->err, m->errlen, "--merge: writing the output failed: %s",
				         strerror(errno));
				return 1;
			}
			left -= got;
		}
		if (sum != p->sum) {
			snprintf(m->err, m->errlen, "--merge: %s: part %d/%d changed while merging",
			         input_name(m, p->input), p->k, p->n);
			return 1;
		}
	}
	if (fflush(out) != 0 || ferror(out)) {
		snprintf(m->err, m->errlen, "--merge: writing the output failed: %s", strerror(errno));
		return 1;
	}
	return 0;
}

/* Standard input into a temporary file, so that it can be read twice like the others. */
static FILE *spool_stdin(void)
{
	FILE *t = tmpfile();
	if (!t)
		return NULL;
	static char buf[1 << 16];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, stdin)) > 0)
		if (fwrite(buf, 1, got, t) != got) {
			fclose(t);
			return NULL;
		}
	if (ferror(stdin) || fflush(t) != 0 || fseeko(t, 0, SEEK_SET) != 0) {
		fclose(t);
		return NULL;
	}
	return t;
}

int merge_parts(const char *const *paths, int n, FILE *out, char *err, size_t errlen)
{
	merger m = {.paths = paths, .nin = n, .err = err, .errlen = errlen};
	int rc = 0, stdin_used = 0;
	if (n < 1) {
		snprintf(err, errlen, "--merge: name the parts to merge (files, or - for standard input)");
		return MERGE_REFUSED;
	}
	m.in = calloc((size_t)n, sizeof *m.in);
	if (!m.in) {
		snprintf(err, errlen, "--merge: out of memory");
		return 1;
	}
	for (int i = 0; i < n && rc == 0; i++)
		if (strcmp(paths[i], "-") == 0 && stdin_used++)
			rc = refuse(&m, i, "named twice: standard input can be read once");
	for (int i = 0; i < n && rc == 0; i++) {
		if (strcmp(paths[i], "-") == 0) {
			m.in[i] = spool_stdin();
		} else {
			m.in[i] = fopen(paths[i], "rb");
		}
		if (!m.in[i]) {
			rc = refuse(&m, i, "cannot read it: %s", strerror(errno));
			break;
		}
		rc = scan(&m, i);
	}
	if (rc == 0)
		rc = check_set(&m);
	if (rc == 0)
		rc = copy_parts(&m, out);
	for (int i = 0; i < n; i++)
		if (m.in[i])
			fclose(m.in[i]);
	for (size_t j = 0; j < m.nparts; j++)
		free(m.parts[j].run);
	free(m.parts);
	free(m.in);
	return rc;
}
