/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading and checking INI parameter files, and writing their text (see inifile.h).
 *
 * The file is opened once and read into memory; every check and both parses see those bytes. They
 * are parsed twice: once here, line by line, for what iniparser does not tell (line numbers, keys
 * given twice, sections with ':' that crash its 4.1 getters, lines it would silently mangle), and
 * once by iniparser, which gives the value strings and its own syntax errors. Only
 * iniparser_getstring is used on its dictionary. The line scan mirrors iniparser 4.1's rules for
 * splitting a line into section, key and value, so both agree on what the file says. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memfd_create */
#endif

#include "inifile.h"

#include <errno.h>
#include <fcntl.h>
#include <iniparser.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "usertext.h"

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
	const char *parsed; /* the name iniparser opened (our private copy), in its messages */
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

/* The path as shown in messages: whole, but a file name may hold newlines and escapes too. */
static char *printable_path(const char *path)
{
	size_t n = 4 * strlen(path) + 4;
	char *s = malloc(n);
	return s ? usertext_show(path, n, s, n) : NULL;
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
	const char *name = r->parsed ? r->parsed : r->path;
	size_t pl = sizeof prefix - 1, fl = strlen(name);
	if (strncmp(buf, prefix, pl) == 0 && strncmp(buf + pl, name, fl) == 0 &&
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

/* Open path for reading, once: O_NONBLOCK so that opening a FIFO does not wait for a writer (it is
 * refused after fstat), O_NOCTTY so that a terminal device never becomes ours. */
static int open_once(const char *path)
{
	return open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
}

/* The whole file behind fd, checked to be a regular file of sensible size, read from that fd. */
static char *read_fd(int fd, size_t *len, report *r)
{
	struct stat st;
	if (fstat(fd, &st) != 0) {
		report_add(r, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		report_add(r, 0, "cannot open: %s",
		           S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file");
		return NULL;
	}
	if (st.st_size > MAX_FILE) {
		report_add(r, 0, "file is larger than %d bytes: not a parameter file", MAX_FILE);
		return NULL;
	}
	/* One byte more than the size, to notice a file that grew meanwhile. */
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf) {
		report_add(r, 0, "cannot read: %s", strerror(ENOMEM));
		return NULL;
	}
	while (n < cap) {
		ssize_t k = read(fd, buf + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			report_add(r, 0, "cannot read: %s", strerror(errno));
			free(buf);
			return NULL;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	if (n == cap) {
		report_add(r, 0, "cannot read: the file changed while being read");
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

/* ---- iniparser on a private copy ------------------------------------------------------------ */

/* iniparser 4.1 loads only by name: it has no entry point for a FILE, a descriptor or a buffer
 * (iniparser_load_file came in 4.2). Giving it the user's path would open the file a second time,
 * and what it parses might not be what was checked: a FIFO swapped in meanwhile blocks it for good.
 * So it parses a private copy of the bytes already read: an anonymous memory file (memfd_create),
 * sealed against any change, that iniparser opens as /proc/self/fd/N. No other process can reach or
 * replace it. Where /proc is missing the copy goes to a fresh mkdtemp folder (mode 0700), removed
 * right after. */
static dictionary *parse_copy(const char *buf, size_t len, report *r)
{
	char name[64], dir[4096] = "";
	int fd = memfd_create("calcium-stdp-ini", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd >= 0) {
		snprintf(name, sizeof name, "/proc/self/fd/%d", fd);
		if (access(name, R_OK) != 0) {
			close(fd);
			fd = -1;
		}
	}
	if (fd < 0) {
		const char *t = getenv("TMPDIR");
		snprintf(dir, sizeof dir, "%.4000s/calcium-stdp.XXXXXX", t && t[0] == '/' ? t : "/tmp");
		if (!mkdtemp(dir)) {
			report_add(r, 0, "cannot read: no private copy for the parser: %s", strerror(errno));
			return NULL;
		}
		static _Thread_local char tmpname[4200];
		snprintf(tmpname, sizeof tmpname, "%s/copy.ini", dir);
		fd = open(tmpname, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			report_add(r, 0, "cannot read: no private copy for the parser: %s", strerror(errno));
			rmdir(dir);
			return NULL;
		}
		r->parsed = tmpname;
	} else {
		r->parsed = name;
	}
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	dictionary *d = NULL;
	if (off < len) {
		report_add(r, 0, "cannot read: no private copy for the parser: %s", strerror(errno));
	} else {
		if (!dir[0])
			fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);
		/* Ours for good: the default callback prints to stderr, under a curses screen too. */
		iniparser_set_error_callback(capture_error);
		capture = r;
		d = iniparser_load(r->parsed);
		capture = NULL;
	}
	if (dir[0]) {
		unlink(r->parsed);
		rmdir(dir);
	}
	close(fd);
	r->parsed = NULL;
	return d;
}

/* ---- load ----------------------------------------------------------------------------------- */

int inifile_load(const char *path, param_set *p, char *err, size_t errlen)
{
	int fd = open_once(path);
	if (fd < 0) {
		report r = {.path = path};
		report_add(&r, 0, "cannot open: %s", strerror(errno));
		report_render(&r, err, errlen);
		report_free(&r);
		return -1;
	}
	int rc = inifile_load_fd(fd, path, p, err, errlen);
	close(fd);
	return rc;
}

int inifile_load_fd(int fd, const char *path, param_set *p, char *err, size_t errlen)
{
	report r = {.path = path};
	scan sc;
	memset(&sc, 0, sizeof sc);
	c_locale cl;
	c_locale_enter(&cl);
	if (err && errlen)
		err[0] = '\0';

	size_t len = 0;
	char *buf = read_fd(fd, &len, &r);
	dictionary *d = NULL;
	if (buf) {
		int raw_bad = check_raw_lines(buf, len, &r);
		if (!raw_bad) {
			d = parse_copy(buf, len, &r);
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

/* ---- the text of a file --------------------------------------------------------------------- */

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

char *inifile_format(const param_set *p, const char *header_comment, size_t *len)
{
	char *text = NULL;
	size_t tlen = 0;
	FILE *mf = open_memstream(&text, &tlen);
	if (!mf)
		return NULL;
	c_locale cl;
	c_locale_enter(&cl);
	write_contents(mf, p, header_comment);
	c_locale_leave(&cl);
	int bad = ferror(mf);
	if (fclose(mf) != 0 || bad || !text) {
		free(text);
		return NULL;
	}
	*len = tlen;
	return text;
}

/* ---- the header fields ---------------------------------------------------------------------- */

/* The value of the first "; TAG: value" line of the leading comment block (tag with its colon). */
static char *header_field(const char *path, const char *tag)
{
	/* Opened once and checked, as for loading: a FIFO put in the preset folder must not block. */
	int fd = open_once(path);
	struct stat st;
	FILE *f = NULL;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		f = fdopen(fd, "r");
	if (!f && fd >= 0)
		close(fd);
	char line[MAX_LINE + 2];
	char *desc = NULL;
	size_t tlen = strlen(tag);
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
		if ((size_t)(b - a) < tlen || strncasecmp(a, tag, tlen) != 0)
			continue;
		a += tlen;
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

char *inifile_description(const char *path)
{
	return header_field(path, "description:");
}

char *inifile_data_name(const char *path)
{
	return header_field(path, "data:");
}
