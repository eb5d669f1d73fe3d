/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lessons: reading and checking a lesson file into steps, and writing steps back (see lesson.h). */
#include "lesson.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inifile.h"
#include "presets.h"
#include "usertext.h"

#define LINE_MAX_BYTES 1024
#define FILE_MAX_BYTES (1 << 20)

static const char *const view_names[LESSON_VIEW_COUNT] = {
    [LESSON_VIEW_CURVE] = "curve",
    [LESSON_VIEW_CALCIUM] = "calcium",
    [LESSON_VIEW_EFFICACY] = "efficacy",
    [LESSON_VIEW_MAP] = "map",
};

const char *lesson_view_name(enum lesson_view v)
{
	return v >= 0 && v < LESSON_VIEW_COUNT ? view_names[v] : NULL;
}

/* The parser's state: the step being built and where its parts came from. */
typedef struct parser {
	const char *path;
	int line;
	char *err;
	size_t errlen;
	lesson_step cur; /* the state so far; becomes a step at each wait */
	int set_line;    /* the last line of this step that changed the parameters, 0: none */
	int cursor_line; /* the line that placed the cursor */
	int pending;     /* lines since the last wait that a wait has to close */
	int title_line;
	lesson *out;
	int cap;
} parser;

static int fail(parser *ps, int line, const char *fmt, ...)
{
	char msg[LESSON_ERRLEN];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errlen, "%s:%d: %s", ps->path, line, msg);
	return -1;
}

/* Text for a message: user text cut and made printable. */
static const char *shown(const char *s, char *buf, size_t len)
{
	return usertext_show(s, USERTEXT_CUT, buf, len);
}

/* Caption and title text: printable ASCII, at most max characters. */
static int check_text(parser *ps, const char *what, const char *text, size_t max)
{
	for (const char *c = text; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
			return fail(ps, ps->line, "%s: only printable ASCII characters (found byte 0x%02x)",
			            what, (unsigned char)*c);
	if (strlen(text) > max)
		return fail(ps, ps->line, "%s is %zu characters long: at most %zu fit the screen", what,
		            strlen(text), max);
	if (!*text)
		return fail(ps, ps->line, "%s: the text is missing", what);
	return 0;
}

static int do_set(parser *ps, char *args)
{
	char buf[USERTEXT_LEN], err[512];
	int any = 0;
	for (char *save = NULL, *tok = strtok_r(args, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		char *eq = strchr(tok, '=');
		if (!eq || eq == tok)
			return fail(ps, ps->line, "set: '%s' is not NAME=VALUE (for example set theta_p=1.4)",
			            shown(tok, buf, sizeof buf));
		*eq = '\0';
		int id = params_lookup(tok);
		if (id < 0) {
			const char *s = params_suggest(tok);
			return fail(ps, ps->line, "set: unknown parameter '%s'%s%s%s",
			            shown(tok, buf, sizeof buf), s ? "; did you mean '" : "", s ? s : "",
			            s ? "'?" : "");
		}
		if (params_parse_value(id, eq + 1, &ps->cur.params.v[id], err, sizeof err) < 0)
			return fail(ps, ps->line, "set: %s", err);
		any = 1;
	}
	if (!any)
		return fail(ps, ps->line, "set: nothing to set (set NAME=VALUE [NAME=VALUE ...])");
	ps->set_line = ps->line;
	return 0;
}

static int do_preset(parser *ps, const char *name)
{
	char path[4096], buf[USERTEXT_LEN], err[INIFILE_ERRLEN];
	if (!*name || strchr(name, ' ') || strchr(name, '\t'))
		return fail(ps, ps->line, "preset: one preset name expected (calcium-stdp --list-presets)");
	if (presets_find(name, path, sizeof path) < 0)
		return fail(ps, ps->line, "preset: no preset named '%s' (calcium-stdp --list-presets)",
		            shown(name, buf, sizeof buf));
	param_set p;
	params_defaults(&p);
	if (inifile_load(path, &p, err, sizeof err) < 0)
		return fail(ps, ps->line, "preset: %s", err);
	ps->cur.params = p;
	snprintf(ps->cur.preset, sizeof ps->cur.preset, "%s", name);
	ps->set_line = ps->line;
	return 0;
}

/* A whole finite number and nothing else. */
static int parse_number(const char *s, double *out)
{
	char *end;
	errno = 0;
	if (!*s || strchr(s, 'x') || strchr(s, 'X') || strchr(s, 'n') || strchr(s, 'N') || strchr(s, 'i') ||
	    strchr(s, 'I'))
		return -1;
	double v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int do_wait(parser *ps, const char *arg)
{
	char buf[USERTEXT_LEN];
	double s = 0;
	if (strcmp(arg, "key") != 0) {
		char num[64];
		size_t n = strlen(arg);
		if (n == 0 || n >= sizeof num)
			return fail(ps, ps->line, "wait: expected 'wait key' or 'wait SECONDS'");
		memcpy(num, arg, n + 1);
		if (num[n - 1] == 's')
			num[n - 1] = '\0';
		if (parse_number(num, &s) < 0 || s <= 0 || s > LESSON_WAIT_MAX_S)
			return fail(ps, ps->line,
			            "wait: '%s' is not 'key' or a number of seconds above 0 and at most %d",
			            shown(arg, buf, sizeof buf), LESSON_WAIT_MAX_S);
	}
	/* The step is complete: its set must be one the program runs, its cursor on its curve. */
	char err[512];
	if (params_check_set(&ps->cur.params, err, sizeof err) < 0)
		return fail(ps, ps->set_line ? ps->set_line : ps->line,
		            "the parameters of this step are invalid: %s", err);
	if (ps->cur.has_cursor) {
		int n = (int)ps->cur.params.v[P_POINTS];
		double lo = params_x(&ps->cur.params, 0), hi = params_x(&ps->cur.params, n - 1);
		if (ps->cur.cursor_x < fmin(lo, hi) || ps->cur.cursor_x > fmax(lo, hi))
			return fail(
			    ps,
			    ps->cursor_line == ps->line || ps->set_line < ps->cursor_line ? ps->cursor_line
			                                                                  : ps->line,
			    "the cursor (%g, from line %d) is outside this step's curve, %g to %g: move it "
			    "with 'cursor X'",
			    ps->cur.cursor_x, ps->cursor_line, fmin(lo, hi), fmax(lo, hi));
	}
	for (int k = 0; k < ps->cur.npins; k++)
		if (params_check_set(&ps->cur.pins[k].params, err, sizeof err) < 0)
			return fail(ps, ps->line, "pin '%s': its parameters are invalid: %s",
			            ps->cur.pins[k].label, err);
	ps->cur.wait_s = s;
	ps->cur.line = ps->line;
	if (ps->out->n == ps->cap) {
		int cap = ps->cap ? 2 * ps->cap : 16;
		lesson_step *st = realloc(ps->out->steps, (size_t)cap * sizeof *st);
		if (!st)
			return fail(ps, ps->line, "out of memory");
		ps->out->steps = st;
		ps->cap = cap;
	}
	ps->out->steps[ps->out->n++] = ps->cur;
	/* What carries over: the parameters, the view, the cursor, the pins; the caption is the step's. */
	ps->cur.ncaption = 0;
	memset(ps->cur.caption, 0, sizeof ps->cur.caption);
	ps->set_line = 0;
	ps->pending = 0;
	return 0;
}

static int do_line(parser *ps, char *line)
{
	char buf[USERTEXT_LEN];
	/* Strip the end of line and blanks around. */
	size_t n = strlen(line);
	while (n && strchr(" \t\r", line[n - 1]))
		line[--n] = '\0';
	while (*line == ' ' || *line == '\t')
		line++;
	if (!*line || *line == '#')
		return 0;
	char *args = line + strcspn(line, " \t");
	if (*args) {
		*args++ = '\0';
		while (*args == ' ' || *args == '\t')
			args++;
	}
	const char *word = line;
	if (strcmp(word, "title") == 0) {
		if (ps->title_line)
			return fail(ps, ps->line, "title: the lesson already has a title (line %d)",
			            ps->title_line);
		if (check_text(ps, "title", args, LESSON_TITLE_MAX) < 0)
			return -1;
		snprintf(ps->out->title, sizeof ps->out->title, "%s", args);
		ps->title_line = ps->line;
		return 0;
	}
	ps->pending = 1;
	if (strcmp(word, "set") == 0)
		return do_set(ps, args);
	if (strcmp(word, "preset") == 0)
		return do_preset(ps, args);
	if (strcmp(word, "wait") == 0)
		return do_wait(ps, args);
	if (strcmp(word, "view") == 0) {
		for (int v = 0; v < LESSON_VIEW_COUNT; v++)
			if (strcmp(args, view_names[v]) == 0) {
				ps->cur.view = (enum lesson_view)v;
				return 0;
			}
		return fail(ps, ps->line, "view: '%s' is unknown: use curve, calcium, efficacy or map",
		            shown(args, buf, sizeof buf));
	}
	if (strcmp(word, "present") == 0) {
		if (strcmp(args, "on") != 0 && strcmp(args, "off") != 0)
			return fail(ps, ps->line, "present: expected 'present on' or 'present off'");
		ps->cur.present = strcmp(args, "on") == 0;
		return 0;
	}
	if (strcmp(word, "cursor") == 0) {
		double x;
		if (parse_number(args, &x) < 0)
			return fail(ps, ps->line,
			            "cursor: '%s' is not a number (the curve's x: dt in ms, or Hz)",
			            shown(args, buf, sizeof buf));
		ps->cur.has_cursor = 1;
		ps->cur.cursor_x = x;
		ps->cursor_line = ps->line;
		return 0;
	}
	if (strcmp(word, "pin") == 0) {
		if (ps->cur.npins == LESSON_PINS_MAX)
			return fail(ps, ps->line,
			            "pin: at most %d pinned curves at once ('unpin' removes them)",
			            LESSON_PINS_MAX);
		if (*args && check_text(ps, "pin", args, LESSON_CAPTION_MAX) < 0)
			return -1;
		lesson_pin *pin = &ps->cur.pins[ps->cur.npins++];
		pin->params = ps->cur.params;
		snprintf(pin->label, sizeof pin->label, "%s", args);
		return 0;
	}
	if (strcmp(word, "unpin") == 0) {
		if (*args)
			return fail(ps, ps->line,
			            "unpin takes nothing after it: it removes every pinned curve");
		ps->cur.npins = 0;
		return 0;
	}
	if (strcmp(word, "caption") == 0) {
		if (ps->cur.ncaption == LESSON_CAPTION_LINES)
			return fail(ps, ps->line, "caption: a step shows at most %d caption lines",
			            LESSON_CAPTION_LINES);
		if (check_text(ps, "caption", args, LESSON_CAPTION_MAX) < 0)
			return -1;
		snprintf(ps->cur.caption[ps->cur.ncaption++], LESSON_CAPTION_MAX + 1, "%s", args);
		return 0;
	}
	return fail(ps, ps->line,
	            "'%s' is not a lesson step: use title, preset, set, view, present, cursor, pin, unpin, "
	            "caption or wait",
	            shown(word, buf, sizeof buf));
}

void lesson_free(lesson *l)
{
	free(l->steps);
	memset(l, 0, sizeof *l);
}

int lesson_parse(const char *text, size_t len, const char *path, lesson *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	parser ps = {.path = path, .err = err, .errlen = errlen, .out = out};
	params_defaults(&ps.cur.params);
	const char *base = strrchr(path, '/');
	snprintf(out->title, sizeof out->title, "%s", base ? base + 1 : path);
	char line[LINE_MAX_BYTES + 2];
	size_t i = 0;
	while (i < len) {
		ps.line++;
		size_t n = 0;
		while (i < len && text[i] != '\n') {
			if (text[i] == '\0') {
				fail(&ps, ps.line, "a NUL byte: a lesson is a text file");
				goto bad;
			}
			if (n < LINE_MAX_BYTES + 1)
				line[n++] = text[i];
			i++;
		}
		i++; /* the newline */
		if (n > LINE_MAX_BYTES) {
			fail(&ps, ps.line, "the line is longer than %d bytes", LINE_MAX_BYTES);
			goto bad;
		}
		line[n] = '\0';
		if (do_line(&ps, line) < 0)
			goto bad;
	}
	if (ps.pending) {
		fail(&ps, ps.line, "the last step has no 'wait': end it with 'wait key' or 'wait SECONDS'");
		goto bad;
	}
	if (out->n == 0) {
		fail(&ps, ps.line ? ps.line : 1,
		     "no steps: a lesson needs at least one step ending in 'wait'");
		goto bad;
	}
	return 0;
bad:
	lesson_free(out);
	return -1;
}

int lesson_load(const char *path, lesson *out, char *err, size_t errlen)
{
	char buf[USERTEXT_LEN];
	memset(out, 0, sizeof *out);
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", shown(path, buf, sizeof buf), strerror(errno));
		return -1;
	}
	char *text = malloc(FILE_MAX_BYTES + 1);
	if (!text) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", shown(path, buf, sizeof buf));
		return -1;
	}
	size_t len = fread(text, 1, FILE_MAX_BYTES + 1, f);
	int bad = ferror(f);
	fclose(f);
	if (bad || len > FILE_MAX_BYTES) {
		free(text);
		snprintf(err, errlen, "%s: %s", shown(path, buf, sizeof buf),
		         bad ? "cannot be read" : "longer than 1 MiB: not a lesson");
		return -1;
	}
	int rc = lesson_parse(text, len, shown(path, buf, sizeof buf), out, err, errlen);
	free(text);
	return rc;
}

/* "set" lines taking the parameters from *from to *to, a few assignments a line; *from becomes *to. */
static void write_sets(FILE *f, param_set *from, const param_set *to)
{
	int on_line = 0;
	for (int k = 0; k < P_COUNT; k++) {
		if (from->v[k] == to->v[k])
			continue;
		char v[64];
		params_format_value(k, to->v[k], v, sizeof v);
		fprintf(f, "%s%s=%s", on_line ? " " : "set ", params_table[k].name, v);
		if (++on_line == 4) {
			fputc('\n', f);
			on_line = 0;
		}
	}
	if (on_line)
		fputc('\n', f);
	*from = *to;
}

static int same_pin(const lesson_pin *a, const lesson_pin *b)
{
	return memcmp(a->params.v, b->params.v, sizeof a->params.v) == 0 && strcmp(a->label, b->label) == 0;
}

int lesson_write_step(FILE *f, const lesson_step *prev, const lesson_step *cur)
{
	lesson_step start;
	if (!prev) {
		memset(&start, 0, sizeof start);
		params_defaults(&start.params);
		prev = &start;
	}
	param_set p = prev->params;
	/* Another preset: named, and the sets go on from its values (when it cannot be read now, the
	 * sets alone still give the parameters exactly). */
	if (cur->preset[0] && strcmp(cur->preset, prev->preset) != 0) {
		char path[4096], err[INIFILE_ERRLEN];
		param_set q;
		params_defaults(&q);
		if (presets_find(cur->preset, path, sizeof path) == 0 &&
		    inifile_load(path, &q, err, sizeof err) == 0) {
			fprintf(f, "preset %s\n", cur->preset);
			p = q;
		}
	}
	/* Pins: those of prev that cur keeps in front stay; otherwise every pin is made again. */
	int keep = prev->npins <= cur->npins ? prev->npins : 0;
	for (int k = 0; k < keep; k++)
		if (!same_pin(&prev->pins[k], &cur->pins[k]))
			keep = 0;
	if (keep == 0 && prev->npins > 0)
		fprintf(f, "unpin\n");
	for (int k = keep; k < cur->npins; k++) {
		write_sets(f, &p, &cur->pins[k].params);
		fprintf(f, "pin%s%s\n", cur->pins[k].label[0] ? " " : "", cur->pins[k].label);
	}
	write_sets(f, &p, &cur->params);
	if (cur->view != prev->view)
		fprintf(f, "view %s\n", view_names[cur->view]);
	if (cur->present != prev->present)
		fprintf(f, "present %s\n", cur->present ? "on" : "off");
	if (cur->has_cursor && (!prev->has_cursor || cur->cursor_x != prev->cursor_x)) {
		char x[64];
		params_format_exact(cur->cursor_x, x, sizeof x);
		fprintf(f, "cursor %s\n", x);
	}
	for (int k = 0; k < cur->ncaption; k++)
		fprintf(f, "caption %s\n", cur->caption[k]);
	if (cur->wait_s > 0) {
		char s[64];
		params_format_exact(cur->wait_s, s, sizeof s);
		fprintf(f, "wait %s\n", s);
	} else {
		fprintf(f, "wait key\n");
	}
	return ferror(f) ? -1 : 0;
}

int lesson_write(FILE *f, const lesson *l)
{
	fprintf(f, "title %s\n", l->title);
	for (int i = 0; i < l->n; i++) {
		fputc('\n', f);
		if (lesson_write_step(f, i ? &l->steps[i - 1] : NULL, &l->steps[i]) < 0)
			return -1;
	}
	return ferror(f) ? -1 : 0;
}

/* What changed from one state to the next, for the summary. */
static void summary(FILE *f, const lesson *l)
{
	param_set prev;
	params_defaults(&prev);
	fprintf(f, "%s: %d steps\n", l->title, l->n);
	for (int i = 0; i < l->n; i++) {
		const lesson_step *s = &l->steps[i];
		fprintf(f, "step %d (line %d): view %s%s", i + 1, s->line, view_names[s->view],
		        s->present ? ", presentation" : "");
		if (s->has_cursor)
			fprintf(f, ", cursor %g", s->cursor_x);
		if (s->npins)
			fprintf(f, ", %d pinned", s->npins);
		for (int k = 0; k < P_COUNT; k++)
			if (s->params.v[k] != prev.v[k]) {
				char v[64];
				params_format_value(k, s->params.v[k], v, sizeof v);
				fprintf(f, ", %s=%s", params_table[k].name, v);
			}
		if (s->wait_s > 0)
			fprintf(f, ", then %g s\n", s->wait_s);
		else
			fprintf(f, ", then a key\n");
		for (int k = 0; k < s->ncaption; k++)
			fprintf(f, "  | %s\n", s->caption[k]);
		prev = s->params;
	}
}

int lesson_main(const char *path, int check)
{
	lesson l;
	char err[LESSON_ERRLEN];
	if (lesson_load(path, &l, err, sizeof err) < 0) {
		fprintf(stderr, "calcium-stdp: %s\n", err);
		return 2;
	}
	int rc = 0;
	if (check) {
		summary(stdout, &l);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "calcium-stdp: writing the output failed: %s\n", strerror(errno));
			rc = 1;
		}
	}
	lesson_free(&l);
	return rc;
}
