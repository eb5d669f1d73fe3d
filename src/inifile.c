/* INI load and save for parameter sets, and the preset directories (see inifile.h).
 *
 * Loading reads the file twice: once here, line by line, for what iniparser does not tell (line
 * numbers, keys given twice, sections with ':' that crash its 4.1 getters, lines it would silently
 * mangle), and once by iniparser, which gives the value strings and its own syntax errors. Only
 * iniparser_getstring is used on its dictionary. The line scan mirrors iniparser 4.1's rules for
 * splitting a line into section, key and value, so both agree on what the file says. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "inifile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <iniparser.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CSTDP_PARAMS_DIRS
#define CSTDP_PARAMS_DIRS "params"
#endif

/* iniparser 4.1 fails the whole load on lines of 1023 bytes or more; refuse long lines first, with
 * our own message and a margin. */
#define MAX_LINE 1000 /* also in a message below */
/* A complete parameter file is about 3 KB; anything much bigger is the wrong file. */
#define MAX_FILE (1024 * 1024)
/* Problems kept for the report; the rest are only counted. */
#define MAX_PROBLEMS 200
/* Longest message kept for one problem (user text inside is cut shorter). */
#define MAX_MSG 400

/* ---- running in the C locale ---------------------------------------------------------------- */

/* strtod, printf and iniparser's isspace/tolower follow LC_NUMERIC and LC_CTYPE. A front end that
 * calls setlocale(LC_ALL, "") must still read "1.3" and write '.', so load and save switch this
 * thread to the C locale (uselocale is per thread) and back. */
typedef struct c_locale {
	locale_t c, old;
} c_locale;

static void c_locale_enter(c_locale *cl)
{
	cl->c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	cl->old = cl->c ? uselocale(cl->c) : (locale_t)0;
}

static void c_locale_leave(c_locale *cl)
{
	if (cl->c) {
		uselocale(cl->old);
		freelocale(cl->c);
	}
}

/* ---- small string helpers ------------------------------------------------------------------- */

/* Our own, locale-free versions of what iniparser does with isspace and tolower in the C locale. */
static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int to_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static void strip(const char **a, const char **b)
{
	while (*a < *b && is_space((unsigned char)**a))
		(*a)++;
	while (*b > *a && is_space((unsigned char)(*b)[-1]))
		(*b)--;
}

/* Copy [a, b) lower-cased into out (size MAX_LINE + 1; lines are shorter). */
static void copy_lower(const char *a, const char *b, char *out)
{
	size_t n = (size_t)(b - a);
	if (n > MAX_LINE)
		n = MAX_LINE;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)to_lower((unsigned char)a[i]);
	out[n] = '\0';
}

/* Length of the longest prefix of s (length n) of at most max bytes that does not split a UTF-8
 * sequence, so cut text stays valid where it was valid. */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

/* User text for a message: at most 40 bytes, "..." when cut. Control characters are replaced later,
 * when the message is stored. */
static void show(const char *s, char *out, size_t outlen)
{
	size_t n = strlen(s);
	size_t k = utf8_cut(s, n, 40);
	snprintf(out, outlen, "%.*s%s", (int)k, s, k < n ? "..." : "");
}

/* ---- the report: problems collected, then sorted by line ------------------------------------ */

typedef struct problem {
	int line; /* 0: the file as a whole */
	int seq;  /* order of discovery, to keep the sort stable */
	char *msg;
} problem;

typedef struct report {
	const char *path;
	problem *v;
	int n, cap;
	int dropped;   /* problems not kept (MAX_PROBLEMS or out of memory), still counted */
	int *synlines; /* lines iniparser called syntax errors, increasing */
	int nsyn, capsyn;
} report;

static int report_total(const report *r)
{
	return r->n + r->dropped;
}

static void report_add(report *r, int line, const char *fmt, ...)
{
	if (r->n >= MAX_PROBLEMS) {
		r->dropped++;
		return;
	}
	if (r->n == r->cap) {
		int cap = r->cap ? 2 * r->cap : 16;
		problem *v = realloc(r->v, (size_t)cap * sizeof *v);
		if (!v) {
			r->dropped++;
			return;
		}
		r->v = v;
		r->cap = cap;
	}
	char buf[MAX_MSG];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	/* One problem per line: no control characters from the file may break a line or a terminal. */
	for (char *c = buf; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	char *msg = strdup(buf);
	if (!msg) {
		r->dropped++;
		return;
	}
	r->v[r->n].line = line;
	r->v[r->n].seq = r->n;
	r->v[r->n].msg = msg;
	r->n++;
}

static void report_free(report *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->v[i].msg);
	free(r->v);
	free(r->synlines);
}

static int problem_cmp(const void *pa, const void *pb)
{
	const problem *a = pa, *b = pb;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The path as shown in messages: a file name may hold newlines too. */
static char *printable_path(const char *path)
{
	char *s = strdup(path);
	if (s)
		for (char *c = s; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
	return s;
}

/* Room kept for the closing "(and N more problems)" line. */
#define MORE_NOTE 40

static void report_render(report *r, char *err, size_t errlen)
{
	if (!err || errlen == 0)
		return;
	err[0] = '\0';
	qsort(r->v, (size_t)r->n, sizeof *r->v, problem_cmp);
	char *path = printable_path(r->path);
	const char *ppath = path ? path : "(file)";
	size_t used = 0;
	int shown = 0, total = report_total(r);
	for (int i = 0; i < r->n; i++) {
		char num[16] = "";
		if (r->v[i].line > 0)
			snprintf(num, sizeof num, "%d:", r->v[i].line);
		size_t need = (used ? 1 : 0) + strlen(ppath) + 1 + strlen(num) + 1 + strlen(r->v[i].msg);
		size_t reserve = i + 1 < total ? MORE_NOTE : 0;
		if (used + need + reserve + 1 > errlen) {
			if (shown == 0) {
				/* Not even one whole line fits: show its beginning, cut between characters.
				 */
				size_t fl = need + 1;
				char *full = malloc(fl);
				if (full) {
					snprintf(full, fl, "%s:%s %s", ppath, num, r->v[i].msg);
					used = utf8_cut(full, strlen(full), errlen - 1);
					memcpy(err, full, used);
					err[used] = '\0';
					free(full);
					shown = 1;
				}
			}
			break;
		}
		used += (size_t)snprintf(err + used, errlen - used, "%s%s:%s %s", used ? "\n" : "", ppath,
		                         num, r->v[i].msg);
		shown++;
	}
	if (shown < total && used + 1 < errlen)
		snprintf(err + used, errlen - used, "%s(and %d more problem%s)", used ? "\n" : "",
		         total - shown, total - shown == 1 ? "" : "s");
	free(path);
}

/* ---- capturing iniparser's messages ---------------------------------------------------------- */

/* iniparser's callback has no context argument: the report of the load running in this thread. */
static _Thread_local report *capture;

static void add_synline(report *r, int line)
{
	if (r->nsyn == r->capsyn) {
		int cap = r->capsyn ? 2 * r->capsyn : 16;
		int *v = realloc(r->synlines, (size_t)cap * sizeof *v);
		if (!v)
			return; /* only costs a duplicate message */
		r->synlines = v;
		r->capsyn = cap;
	}
	r->synlines[r->nsyn++] = line;
}

static int is_synline(const report *r, int line)
{
	int lo = 0, hi = r->nsyn;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (r->synlines[mid] == line)
			return 1;
		if (r->synlines[mid] < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

#define SYNTAX_MSG "syntax error: expected NAME = VALUE, [SECTION] or a ; comment"

/* 4.1 formats "iniparser: syntax error in FILE (LINE):\n-> TEXT\n"; we know FILE, so the line number
 * is found without guessing where a file name with " (" in it ends. Anything else is kept whole. */
static int capture_error(const char *fmt, ...)
{
	report *r = capture;
	if (!r)
		return 0; /* another user of iniparser: stay silent all the same */
	char buf[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	static const char prefix[] = "iniparser: syntax error in ";
	size_t pl = sizeof prefix - 1, fl = strlen(r->path);
	if (strncmp(buf, prefix, pl) == 0 && strncmp(buf + pl, r->path, fl) == 0 &&
	    strncmp(buf + pl + fl, " (", 2) == 0) {
		char *end;
		long line = strtol(buf + pl + fl + 2, &end, 10);
		if (end != buf + pl + fl + 2 && *end == ')' && line > 0 && line < 1000000000) {
			/* Increasing: iniparser reads the file in order. */
			if (r->nsyn == 0 || r->synlines[r->nsyn - 1] < line) {
				add_synline(r, (int)line);
				report_add(r, (int)line, SYNTAX_MSG);
			}
			return 0;
		}
	}
	size_t n = strlen(buf);
	while (n > 0 && is_space((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	report_add(r, 0, "%s", buf);
	return 0;
}

/* ---- reading the file ----------------------------------------------------------------------- */

static char *read_file(const char *path, size_t *len, report *r)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. It changes nothing for regular files. */
	int fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		report_add(r, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		report_add(r, 0, "cannot open: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		/* iniparser opens the file again by name: a pipe would be read once, or block. */
		report_add(r, 0, "cannot open: %s",
		           S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file");
		close(fd);
		return NULL;
	}
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		report_add(r, 0, "cannot open: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	if (st.st_size > MAX_FILE) {
		report_add(r, 0, "file is larger than %d bytes: not a parameter file", MAX_FILE);
		fclose(f);
		return NULL;
	}
	/* One byte more than the size, to notice a file that grew meanwhile. */
	size_t cap = (size_t)st.st_size + 1;
	char *buf = malloc(cap + 1);
	if (!buf) {
		report_add(r, 0, "cannot read: %s", strerror(ENOMEM));
		fclose(f);
		return NULL;
	}
	size_t n = fread(buf, 1, cap, f);
	int e = ferror(f) ? (errno ? errno : EIO) : 0;
	fclose(f);
	if (e || n == cap) {
		report_add(r, 0, "cannot read: %s", e ? strerror(e) : "the file changed while being read");
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Lines iniparser must not see: it would stop at a NUL, give up on long lines, and join a line
 * ending in '\' to the next one (silently eating a key after a comment). The problem with the line
 * [s, e), or NULL. */
static const char *raw_problem(const char *s, const char *e)
{
	if (memchr(s, '\0', (size_t)(e - s)))
		return "the line contains a NUL byte: not a text file?";
	if (e - s > MAX_LINE)
		return "the line is longer than 1000 bytes";
	strip(&s, &e);
	if (e > s && e[-1] == '\\')
		return "the line ends with '\\': continued lines are not supported";
	return NULL;
}

/* Report the lines iniparser must not see; 1 if any. */
static int check_raw_lines(const char *buf, size_t len, report *r)
{
	int bad = 0, lineno = 0;
	const char *s = buf, *end = buf + len;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		const char *msg = raw_problem(s, e);
		lineno++;
		/* Some editors start UTF-8 files with a byte order mark; iniparser would take it for text. */
		if (lineno == 1 && !msg && e - s >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			msg = "the file starts with a UTF-8 byte order mark: save it without one";
		if (msg) {
			report_add(r, lineno, "%s", msg);
			bad = 1;
		}
		s = nl ? nl + 1 : end;
	}
	return bad;
}

/* ---- the line scan -------------------------------------------------------------------------- */

enum { SEC_NONE = -1, SEC_BAD = -2 };

typedef struct scan {
	int first_line[P_COUNT];  /* where a key was first given in its right section, or 0 */
	int last_line[P_COUNT];   /* and last (iniparser keeps the last value) */
	const char *val[P_COUNT]; /* the last value as iniparser would read it, in the buffer */
	size_t vlen[P_COUNT];
	int reported[P_COUNT]; /* the last value's line has a problem already (quotes) */
} scan;

static int section_index(const char *name)
{
	for (int i = 0; params_sections[i]; i++)
		if (strcmp(params_sections[i], name) == 0)
			return i;
	return -1;
}

/* The value of a "key = value" line after the '=', exactly as iniparser 4.1 takes it apart with
 * sscanf: "..." or '...' with at least one character inside, otherwise everything up to a ; or #,
 * stripped, with "" and '' meaning empty. [a, b) is the rest of the stripped line after '='.
 * iniparser ignores a missing closing quote and anything after the closing quote; we call both a
 * problem, returned as a message (NULL when fine). */
static const char *split_value(const char *a, const char *b, const char **va, size_t *vn)
{
	while (a < b && is_space((unsigned char)*a))
		a++;
	if (b - a >= 2 && (*a == '"' || *a == '\'') && a[1] != *a) {
		const char *q = memchr(a + 1, *a, (size_t)(b - a - 1));
		*va = a + 1;
		*vn = (size_t)((q ? q : b) - (a + 1));
		if (!q)
			return "the value has no closing quote";
		for (q++; q < b && is_space((unsigned char)*q); q++)
			;
		if (q < b && *q != ';' && *q != '#')
			return "unexpected text after the closing quote";
		return NULL;
	}
	const char *e = a;
	while (e < b && *e != ';' && *e != '#')
		e++;
	const char *x = a, *y = e;
	strip(&x, &y);
	if (y - x == 2 && (strncmp(x, "\"\"", 2) == 0 || strncmp(x, "''", 2) == 0))
		y = x;
	*va = x;
	*vn = (size_t)(y - x);
	return NULL;
}

/* Parse the value text [v, v + n) of parameter id strictly; report a problem at line. */
static int check_value(report *r, int line, int id, const char *v, size_t n, double *out)
{
	char text[MAX_LINE + 1], msg[MAX_MSG];
	if (n > MAX_LINE)
		n = MAX_LINE;
	memcpy(text, v, n);
	text[n] = '\0';
	if (params_parse_value(id, text, out, msg, sizeof msg) < 0) {
		report_add(r, line, "%s", msg);
		return -1;
	}
	return 0;
}

static void key_problem(report *r, int lineno, int cur, const char *key)
{
	char k[64];
	show(key, k, sizeof k);
	int id = params_find(key);
	if (cur == SEC_NONE) {
		if (id >= 0)
			report_add(r, lineno, "'%s' is outside any section: put it under [%s]", k,
			           params_table[id].section);
		else
			report_add(r, lineno, "unknown key '%s' outside any section", k);
		return;
	}
	if (id >= 0) {
		report_add(r, lineno, "'%s' belongs in section [%s], not [%s]", k, params_table[id].section,
		           params_sections[cur]);
		return;
	}
	const char *s = params_suggest(key);
	if (!s) {
		report_add(r, lineno, "unknown key '%s' in [%s]", k, params_sections[cur]);
		return;
	}
	const char *ssec = params_table[params_find(s)].section;
	if (strcmp(ssec, params_sections[cur]) == 0)
		report_add(r, lineno, "unknown key '%s' in [%s]; did you mean '%s'?", k, params_sections[cur],
		           s);
	else
		report_add(r, lineno, "unknown key '%s' in [%s]; did you mean '%s' (in [%s])?", k,
		           params_sections[cur], s, ssec);
}

static void scan_section(report *r, int lineno, const char *a, const char *b, int *cur)
{
	/* Like iniparser: the name ends at the first ']'. */
	const char *close = memchr(a + 1, ']', (size_t)(b - a - 1));
	const char *na = a + 1, *nb = close;
	strip(&na, &nb);
	char name[MAX_LINE + 1], shown[64];
	copy_lower(na, nb, name);
	show(name, shown, sizeof shown);
	*cur = SEC_BAD; /* keys under a bad header are not reported one by one */
	if (close != b - 1)
		report_add(r, lineno, "unexpected text after ']' in the section header");
	else if (!name[0])
		report_add(r, lineno, "empty section name");
	else if (strchr(name, ':'))
		/* iniparser stores [a:b] like key b of section a, with no value: its 4.1 getters crash. */
		report_add(r, lineno, "invalid section name [%s]: ':' is not allowed in section names",
		           shown);
	else if ((*cur = section_index(name)) < 0) {
		*cur = SEC_BAD;
		report_add(r, lineno,
		           "unknown section [%s] (the sections are [model], [readout], [protocol], "
		           "[simulation])",
		           shown);
	}
}

static void scan_lines(const char *buf, size_t len, report *r, scan *sc)
{
	int cur = SEC_NONE, lineno = 0;
	const char *s = buf, *end = buf + len;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *a = s, *b = nl ? nl : end;
		lineno++;
		s = nl ? nl + 1 : end;
		if (raw_problem(a, b) || (lineno == 1 && b - a >= 3 && memcmp(a, "\xEF\xBB\xBF", 3) == 0))
			continue; /* reported already */
		strip(&a, &b);
		if (a == b || *a == '#' || *a == ';')
			continue;
		if (*a == '[' && b[-1] == ']' && b - a >= 2) {
			scan_section(r, lineno, a, b, &cur);
			continue;
		}
		const char *eq = memchr(a, '=', (size_t)(b - a));
		if (!eq || eq == a) {
			if (!is_synline(r, lineno))
				report_add(r, lineno, SYNTAX_MSG);
			continue;
		}
		const char *ka = a, *kb = eq;
		strip(&ka, &kb);
		char key[MAX_LINE + 1];
		copy_lower(ka, kb, key);
		if (cur == SEC_BAD)
			continue;
		int id = params_find(key);
		if (cur == SEC_NONE || id < 0 ||
		    strcmp(params_table[id].section, params_sections[cur]) != 0) {
			key_problem(r, lineno, cur, key);
			continue;
		}
		if (sc->first_line[id]) {
			report_add(r, lineno, "'%s' is given twice in [%s] (first on line %d)", key,
			           params_sections[cur], sc->first_line[id]);
			/* iniparser keeps only this later value: check the one before it here. */
			double x;
			if (!sc->reported[id])
				check_value(r, sc->last_line[id], id, sc->val[id], sc->vlen[id], &x);
		} else {
			sc->first_line[id] = lineno;
		}
		sc->last_line[id] = lineno;
		const char *msg = split_value(eq + 1, b, &sc->val[id], &sc->vlen[id]);
		sc->reported[id] = msg != NULL;
		if (msg)
			report_add(r, lineno, "%s", msg);
	}
}

/* ---- load ----------------------------------------------------------------------------------- */

int inifile_load(const char *path, param_set *p, char *err, size_t errlen)
{
	report r = {.path = path};
	scan sc;
	memset(&sc, 0, sizeof sc);
	c_locale cl;
	c_locale_enter(&cl);
	if (err && errlen)
		err[0] = '\0';

	size_t len = 0;
	char *buf = read_file(path, &len, &r);
	dictionary *d = NULL;
	if (buf) {
		int raw_bad = check_raw_lines(buf, len, &r);
		if (!raw_bad) {
			/* Ours for good: the default callback prints to stderr, under a curses screen too. */
			iniparser_set_error_callback(capture_error);
			capture = &r;
			d = iniparser_load(path);
			capture = NULL;
			if (!d && r.nsyn == 0 && report_total(&r) == 0)
				report_add(&r, 0, "iniparser could not read the file");
		}
		scan_lines(buf, len, &r, &sc);
	}

	param_set cand = *p;
	int value_errors = 0;
	for (int id = 0; id < P_COUNT && buf; id++) {
		if (!sc.last_line[id])
			continue;
		if (sc.reported[id]) {
			value_errors++;
			continue;
		}
		const char *v = NULL;
		if (d) {
			char key[64];
			snprintf(key, sizeof key, "%s:%s", params_table[id].section, params_table[id].name);
			v = iniparser_getstring(d, key, NULL);
		}
#ifdef INIFILE_CROSSCHECK
		/* For the fuzzer: in a file without problems the line scan and iniparser must agree. */
		if (d && report_total(&r) == 0 &&
		    (!v || strlen(v) != sc.vlen[id] || strncmp(v, sc.val[id], sc.vlen[id]) != 0))
			abort();
#endif
		/* Without a dictionary (a syntax error elsewhere) the value is checked all the same. */
		if (check_value(&r, sc.last_line[id], id, v ? v : sc.val[id], v ? strlen(v) : sc.vlen[id],
		                &cand.v[id]) < 0)
			value_errors++;
	}
	/* Relations between parameters mean something only when every value was read. */
	if (buf && !value_errors) {
		char msg[MAX_MSG];
		if (params_check_set(&cand, msg, sizeof msg) < 0)
			report_add(&r, 0, "%s", msg);
	}

	int ret = report_total(&r) ? -1 : 0;
	if (ret == 0)
		*p = cand;
	else
		report_render(&r, err, errlen);
	if (d)
		iniparser_freedict(d);
	free(buf);
	report_free(&r);
	c_locale_leave(&cl);
	return ret;
}

/* ---- save ----------------------------------------------------------------------------------- */

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || errlen == 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Header text as comment lines: control characters blanked, long lines split (a loaded line may be
 * at most MAX_LINE bytes), and no line ending in '\', which iniparser would join to the next line. */
static void write_comment(FILE *f, const char *text)
{
	while (text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		char line[MAX_LINE];
		do {
			size_t k = utf8_cut(text, n, 900);
			if (k == 0 && n > 0)
				k = n < 900 ? n : 900; /* not UTF-8 at all: cut anywhere */
			memcpy(line, text, k);
			line[k] = '\0';
			for (char *c = line; *c; c++)
				if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
					*c = ' ';
			size_t m = k;
			while (m > 0 && is_space((unsigned char)line[m - 1]))
				line[--m] = '\0';
			fprintf(f, ";%s%s%s\n", m ? " " : "", line, m && line[m - 1] == '\\' ? " ." : "");
			text += k;
			n -= k;
		} while (n > 0);
		text = nl ? nl + 1 : NULL;
	}
}

static void write_contents(FILE *f, const param_set *p, const char *header)
{
	if (header && header[0]) {
		write_comment(f, header);
		fprintf(f, ";\n");
	}
	fprintf(f, "; calcium-stdp parameters (Graupner & Brunel 2012 calcium-based plasticity model).\n"
	           "; Values are in the units given above each key; ranges are closed. A key left out\n"
	           "; keeps the value it had before the file was loaded.\n");
	for (int s = 0; params_sections[s]; s++) {
		fprintf(f, "\n[%s]\n", params_sections[s]);
		for (int i = 0; i < P_COUNT; i++) {
			const param_info *pi = &params_table[i];
			if (strcmp(pi->section, params_sections[s]) != 0)
				continue;
			char lo[32], hi[32], v[32];
			params_format_exact(pi->min, lo, sizeof lo);
			params_format_exact(pi->max, hi, sizeof hi);
			params_format_value(i, p->v[i], v, sizeof v);
			if (pi->names) {
				fprintf(f, "; %s\n%s = %s\n", pi->help, pi->name, v);
				continue;
			}
			fprintf(f, "; %s [%s%s%s%s to %s]\n%s = %s\n", pi->help, pi->unit,
			        pi->unit[0] ? ", " : "", pi->integer ? "whole number, " : "", lo, hi,
			        pi->name, v);
		}
	}
}

/* The process umask without changing it (umask() would, for all threads, for a moment). */
static mode_t current_umask(void)
{
	mode_t m = 022;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return m;
	char line[256];
	while (fgets(line, sizeof line, f)) {
		unsigned int u;
		if (sscanf(line, "Umask: %o", &u) == 1) {
			m = (mode_t)(u & 0777);
			break;
		}
	}
	fclose(f);
	return m;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int inifile_save(const char *path, const param_set *p, const char *header_comment, char *err, size_t errlen)
{
	char msg[MAX_MSG];
	if (err && errlen)
		err[0] = '\0';
	if (params_check_set(p, msg, sizeof msg) < 0) {
		set_err(err, errlen, "%s: not saved: %s", path, msg);
		return -1;
	}
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	if (!base[0]) {
		set_err(err, errlen, "%s: cannot save: %s", path, strerror(path[0] ? EISDIR : ENOENT));
		return -1;
	}
	size_t dl = slash ? (size_t)(slash - path) : 1;
	char *dir = malloc(dl + 2);
	char *tmp = malloc(dl + strlen(base) + 16);
	if (!dir || !tmp) {
		free(dir);
		free(tmp);
		set_err(err, errlen, "%s: cannot save: %s", path, strerror(ENOMEM));
		return -1;
	}
	if (!slash)
		strcpy(dir, ".");
	else if (dl == 0)
		strcpy(dir, "/");
	else {
		memcpy(dir, path, dl);
		dir[dl] = '\0';
	}
	/* Hidden, and not ending in .ini, so presets_list never shows a leftover. */
	sprintf(tmp, "%s/.%s.XXXXXX", dl == 0 && slash ? "" : dir, base);

	/* The whole text first, in the C locale; then one write that either works or fails cleanly. */
	char *text = NULL;
	size_t tlen = 0;
	FILE *mf = open_memstream(&text, &tlen);
	if (!mf) {
		set_err(err, errlen, "%s: cannot save: %s", path, strerror(errno));
		free(dir);
		free(tmp);
		return -1;
	}
	c_locale cl;
	c_locale_enter(&cl);
	write_contents(mf, p, header_comment);
	c_locale_leave(&cl);
	int bad = ferror(mf);
	if (fclose(mf) != 0 || bad || !text) {
		set_err(err, errlen, "%s: cannot save: %s", path, strerror(ENOMEM));
		free(text);
		free(dir);
		free(tmp);
		return -1;
	}

	int ret = -1, e;
	int fd = mkstemp(tmp);
	if (fd < 0) {
		e = errno;
		set_err(err, errlen, "%s: cannot create a temporary file in %s: %s", path, dir, strerror(e));
		goto out;
	}
	struct stat st;
	mode_t mode = stat(path, &st) == 0 ? (st.st_mode & 07777) : (0666 & ~current_umask());
	if (fchmod(fd, mode) != 0 || write_all(fd, text, tlen) != 0 || fsync(fd) != 0) {
		e = errno;
		close(fd);
		unlink(tmp);
		set_err(err, errlen, "%s: cannot write %s: %s", path, tmp, strerror(e));
		goto out;
	}
	if (close(fd) != 0) {
		e = errno;
		unlink(tmp);
		set_err(err, errlen, "%s: cannot write %s: %s", path, tmp, strerror(e));
		goto out;
	}
	if (rename(tmp, path) != 0) {
		e = errno;
		unlink(tmp);
		set_err(err, errlen, "%s: cannot replace the file: %s", path, strerror(e));
		goto out;
	}
	/* The rename is durable only once the directory is. Some file systems cannot sync a directory
	 * (EINVAL): nothing more can be done there. */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd < 0 || (fsync(dfd) != 0 && errno != EINVAL)) {
		e = errno;
		if (dfd >= 0)
			close(dfd);
		set_err(err, errlen, "%s: written, but syncing the directory %s failed: %s", path, dir,
		        strerror(e));
		goto out;
	}
	close(dfd);
	ret = 0;
out:
	free(text);
	free(dir);
	free(tmp);
	return ret;
}

/* ---- presets -------------------------------------------------------------------------------- */

int presets_user_dir(char *buf, size_t len, int create)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	int n;
	/* The XDG base directory spec says relative paths are to be ignored. */
	if (xdg && xdg[0] == '/') {
		n = snprintf(buf, len, "%s/calcium-stdp/params", xdg);
	} else {
		const char *home = getenv("HOME");
		if (!home || !home[0]) {
			errno = ENOENT;
			return -1;
		}
		n = snprintf(buf, len, "%s/.config/calcium-stdp/params", home);
	}
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (!create)
		return 0;
	/* mkdir -p, one component at a time. */
	for (char *c = buf + 1;; c++) {
		if (*c != '/' && *c != '\0')
			continue;
		char saved = *c;
		*c = '\0';
		int r = mkdir(buf, 0777);
		int e = errno;
		*c = saved;
		if (r != 0 && e != EEXIST) {
			errno = e;
			return -1;
		}
		if (!saved)
			break;
	}
	struct stat st;
	if (stat(buf, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/* Call fn on each search directory in order until it returns nonzero; that value, or 0. */
typedef int (*dir_fn)(const char *dir, int user, void *ctx);

static int each_in_list(const char *list, dir_fn fn, void *ctx)
{
	while (list && *list) {
		const char *colon = strchr(list, ':');
		size_t n = colon ? (size_t)(colon - list) : strlen(list);
		if (n > 0) {
			char *dir = strndup(list, n);
			if (!dir)
				return -1;
			int r = fn(dir, 0, ctx);
			free(dir);
			if (r)
				return r;
		}
		list = colon ? colon + 1 : NULL;
	}
	return 0;
}

static int each_dir(dir_fn fn, void *ctx)
{
	int r = each_in_list(getenv("CALCIUM_STDP_PARAMS"), fn, ctx);
	if (r)
		return r;
	char user[4096];
	if (presets_user_dir(user, sizeof user, 0) == 0 && (r = fn(user, 1, ctx)) != 0)
		return r;
	return each_in_list(CSTDP_PARAMS_DIRS, fn, ctx);
}

static int is_regular(const char *dir, const char *name)
{
	char path[4096 + 256 + 2];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

typedef struct find_ctx {
	const char *want; /* "NAME.ini" */
	char *path;
	size_t len;
	int toolong;
} find_ctx;

static int find_in_dir(const char *dir, int user, void *vctx)
{
	(void)user;
	find_ctx *c = vctx;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	char best[256] = "";
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcasecmp(e->d_name, c->want) != 0 || !is_regular(dir, e->d_name))
			continue;
		/* The exact spelling wins; among other spellings the first in byte order, so the choice
		 * does not depend on the order readdir happens to return. */
		if (!best[0] || strcmp(e->d_name, c->want) == 0 ||
		    (strcmp(best, c->want) != 0 && strcmp(e->d_name, best) < 0))
			snprintf(best, sizeof best, "%s", e->d_name);
	}
	closedir(d);
	if (!best[0])
		return 0;
	int n = snprintf(c->path, c->len, "%s/%s", dir, best);
	if (n < 0 || (size_t)n >= c->len)
		c->toolong = 1;
	return 1;
}

int presets_find(const char *name, char *path, size_t len)
{
	if (!name || !name[0] || name[0] == '.' || strchr(name, '/')) {
		errno = EINVAL;
		return -1;
	}
	char want[256];
	size_t w = 0, n = strlen(name);
	if (n > 4 && strcasecmp(name + n - 4, ".ini") == 0)
		n -= 4;
	for (size_t i = 0; i < n; i++) {
		int prime = name[i] == '\'';
		size_t pl = prime ? 5 : 1;
		if (w + pl + 5 > sizeof want) {
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(want + w, prime ? "prime" : name + i, pl);
		w += pl;
	}
	memcpy(want + w, ".ini", 5);
	find_ctx c = {.want = want, .path = path, .len = len};
	int r = each_dir(find_in_dir, &c);
	if (r < 0) {
		errno = ENOMEM;
		return -1;
	}
	if (r == 0) {
		errno = ENOENT;
		return -1;
	}
	if (c.toolong) {
		if (len)
			path[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* The "; description:" line of the leading comment block, or "" (also when unreadable). */
static char *read_description(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[MAX_LINE + 2];
	char *desc = NULL;
	while (f && !desc && fgets(line, sizeof line, f)) {
		const char *a = line, *b = line + strlen(line);
		strip(&a, &b);
		if (a == b)
			continue;
		if (*a != ';' && *a != '#')
			break; /* the leading comment block is over */
		a++;
		while (a < b && is_space((unsigned char)*a))
			a++;
		static const char tag[] = "description:";
		if ((size_t)(b - a) < sizeof tag - 1 || strncasecmp(a, tag, sizeof tag - 1) != 0)
			continue;
		a += sizeof tag - 1;
		strip(&a, &b);
		desc = strndup(a, (size_t)(b - a));
		if (desc)
			for (char *c = desc; *c; c++)
				if ((unsigned char)*c < 0x20 || *c == 0x7f)
					*c = ' ';
	}
	if (f)
		fclose(f);
	return desc ? desc : strdup("");
}

typedef struct list_ctx {
	presets_entry *v;
	int n, cap;
	int nomem;
} list_ctx;

static int name_cmp(const void *pa, const void *pb)
{
	const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
	int c = strcasecmp(a, b);
	return c ? c : strcmp(a, b);
}

static int list_dir(const char *dir, int user, void *vctx)
{
	list_ctx *c = vctx;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	char **names = NULL;
	size_t nn = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.' || n <= 4 || strcasecmp(e->d_name + n - 4, ".ini") != 0 ||
		    !is_regular(dir, e->d_name))
			continue;
		if (nn == cap) {
			size_t nc = cap ? 2 * cap : 16;
			char **v = realloc(names, nc * sizeof *v);
			if (!v)
				goto nomem;
			names = v;
			cap = nc;
		}
		if (!(names[nn] = strdup(e->d_name)))
			goto nomem;
		nn++;
	}
	closedir(d);
	d = NULL;
	if (nn)
		qsort(names, nn, sizeof *names, name_cmp);
	for (size_t i = 0; i < nn; i++) {
		size_t n = strlen(names[i]) - 4;
		int hidden = 0;
		for (int j = 0; j < c->n && !hidden; j++)
			hidden = strlen(c->v[j].name) == n && strncasecmp(c->v[j].name, names[i], n) == 0;
		if (hidden)
			continue;
		if (c->n == c->cap) {
			int nc = c->cap ? 2 * c->cap : 16;
			presets_entry *v = realloc(c->v, (size_t)nc * sizeof *v);
			if (!v)
				goto nomem;
			c->v = v;
			c->cap = nc;
		}
		presets_entry *pe = &c->v[c->n];
		size_t pl = strlen(dir) + 1 + strlen(names[i]) + 1;
		pe->name = strndup(names[i], n);
		pe->path = malloc(pl);
		pe->description = NULL;
		pe->user = user;
		if (pe->path)
			snprintf(pe->path, pl, "%s/%s", dir, names[i]);
		if (pe->name && pe->path)
			pe->description = read_description(pe->path);
		if (!pe->name || !pe->path || !pe->description) {
			free(pe->name);
			free(pe->path);
			free(pe->description);
			goto nomem;
		}
		c->n++;
	}
	for (size_t i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	return 0;
nomem:
	if (d)
		closedir(d);
	for (size_t i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	c->nomem = 1;
	return 1;
}

int presets_list(presets_entry **out)
{
	list_ctx c = {0};
	*out = NULL;
	if (each_dir(list_dir, &c) < 0)
		c.nomem = 1;
	if (c.nomem) {
		presets_free(c.v, c.n);
		errno = ENOMEM;
		return -1;
	}
	if (c.n == 0) {
		free(c.v);
		return 0;
	}
	*out = c.v;
	return c.n;
}

void presets_free(presets_entry *list, int n)
{
	for (int i = 0; list && i < n; i++) {
		free(list[i].name);
		free(list[i].path);
		free(list[i].description);
	}
	free(list);
}
