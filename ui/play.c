/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lessons in the explorer. Playing: each step is applied as a preset load is (its parameter set
 * through the undo history, the preset's data set with it), then its view, presentation mode,
 * cursor, pins and caption; a timed wait is a one-shot timer that any key ends. Going back a step
 * walks the undo history to the entry recorded when that step was entered, and applies the step
 * anew only when the history no longer holds it (the ring dropped it, or the explorer changed it
 * since). Recording: the state on the screen becomes the next step of a lesson file, written at
 * once (lesson.h's lesson_write_step), so that an interrupted recording keeps its steps. */
#include "play.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inifile.h"
#include "work.h"

/* Samples of a pinned step's analytic curve (Poisson trains: UI_POISSON_SAMPLES, each a Monte Carlo). */
#define PIN_SAMPLES 161

struct play {
	lesson l;
	int playing; /* the lesson plays (q leaves it) */
	int at;      /* the step shown */
	int *pos;    /* per step: the undo history's entry when it was entered, -1: none yet */
	uv_timer_t timer;
	int timer_init;
	int timed;       /* the timer runs for the step shown */
	int present_all; /* --present: every step in presentation mode */
	/* Recording. */
	FILE *rec;
	char rec_path[4096];
	lesson_step rec_prev; /* the last step written */
	int rec_n;            /* steps written */
};

static play *get_play(ui *u)
{
	if (!u->play) {
		u->play = calloc(1, sizeof *u->play);
		if (!u->play)
			return NULL;
	}
	play *pl = u->play;
	if (!pl->timer_init && !u->quitting) {
		uv_timer_init(&u->loop, &pl->timer);
		pl->timer.data = u;
		pl->timer_init = 1;
	}
	return pl;
}

/* ---- what the state is, as a step ---- */

static int view_is(const ui_view *v, const char *name)
{
	return v && strcmp(v->name, name) == 0;
}

/* The lesson view the screen shows. */
static enum lesson_view shown_view(const ui *u)
{
	if (view_is(u->modal, "map"))
		return LESSON_VIEW_MAP;
	if (view_is(u->side, "calcium"))
		return LESSON_VIEW_CALCIUM;
	if (view_is(u->side, "efficacy"))
		return LESSON_VIEW_EFFICACY;
	return LESSON_VIEW_CURVE;
}

/* The state on the screen as a step (no caption, waiting for a key). */
static void state_step(const ui *u, lesson_step *s)
{
	char path[4096];
	memset(s, 0, sizeof *s);
	s->params = u->params;
	if (presets_find(u->preset, path, sizeof path) == 0)
		snprintf(s->preset, sizeof s->preset, "%s", u->preset);
	s->view = shown_view(u);
	s->present = u->present;
	s->has_cursor = u->points > 0;
	s->cursor_x = params_x(&u->params, u->cursor);
	for (int k = 0; k < u->pins.n && k < LESSON_PINS_MAX; k++)
		s->pins[s->npins++].params = u->pins.p[k].set;
}

/* ---- the caption lines ---- */

static void set_rows(ui *u, int rows)
{
	if (u->caption_rows != rows) {
		u->caption_rows = rows;
		ui_layout(u);
	}
	ui_dirty(u);
}

static void heading(ui *u)
{
	play *pl = u->play;
	if (pl && pl->playing) {
		const lesson_step *s = &pl->l.steps[pl->at];
		char wait[48] = "";
		if (pl->timed)
			snprintf(wait, sizeof wait, " (on by itself in %g s)", s->wait_s);
		snprintf(u->caption[0], sizeof u->caption[0], "Lesson %d/%d%s: %s", pl->at + 1, pl->l.n, wait,
		         pl->l.title);
		snprintf(u->lesson_hints, sizeof u->lesson_hints, "%s",
		         u->utf8
		             ? "space/→ next step  ← back  q leave the lesson  h/l adjust  ? help"
		             : "space/Right next step  Left back  q leave the lesson  h/l adjust  ? help");
		for (int k = 0; k < LESSON_CAPTION_LINES; k++)
			snprintf(u->caption[1 + k], sizeof u->caption[1 + k], "%s",
			         k < s->ncaption ? s->caption[k] : "");
		set_rows(u, 1 + LESSON_CAPTION_LINES);
	} else if (pl && pl->rec) {
		u->lesson_hints[0] = '\0';
		snprintf(u->caption[0], sizeof u->caption[0],
		         "Recording: %d step%s (w adds this screen, W stops) to %.40s", pl->rec_n,
		         pl->rec_n == 1 ? "" : "s", pl->rec_path);
		set_rows(u, 1);
	} else {
		u->lesson_hints[0] = '\0';
		set_rows(u, 0);
	}
}

/* ---- playing ---- */

static void show_step(ui *u, int i, int back);

static void timer_cb(uv_timer_t *t)
{
	ui *u = t->data;
	play *pl = u->play;
	if (u->quitting || !pl || !pl->playing)
		return;
	/* A prompt or a box is open: the lesson goes on once it is closed. */
	if (u->modal && !view_is(u->modal, "map")) {
		uv_timer_start(&pl->timer, timer_cb, 1000, 0);
		return;
	}
	pl->timed = 0;
	if (pl->at + 1 < pl->l.n)
		show_step(u, pl->at + 1, 0);
	else
		heading(u);
}

static int same_set(const param_set *a, const param_set *b)
{
	return memcmp(a, b, sizeof *a) == 0;
}

/* The preset a step names (the defaults before any): its values and the file they came from. */
static void step_reference(const lesson_step *s, param_set *ref, char *name, size_t len, char *path,
                           size_t plen)
{
	char err[INIFILE_ERRLEN];
	params_defaults(ref);
	snprintf(name, len, "defaults");
	path[0] = '\0';
	if (s->preset[0] && presets_find(s->preset, path, plen) == 0 &&
	    inifile_load(path, ref, err, sizeof err) == 0)
		snprintf(name, len, "%s", s->preset);
	else
		path[0] = '\0';
}

/* The reference and its name as e has them; the preset's data set with it when the preset changes. */
static void take_reference(ui *u, const param_set *ref, const char *name, const char *path)
{
	char found[4096];
	if (strcmp(u->preset, name) != 0) {
		if (path && path[0])
			ui_preset_data(u, path);
		else if (presets_find(name, found, sizeof found) == 0)
			ui_preset_data(u, found);
	}
	u->reference = *ref;
	snprintf(u->preset, sizeof u->preset, "%s", name);
}

/* The step's parameters, recorded for undo as a preset load is. 0, or -1 when refused. */
static int apply_params(ui *u, int i)
{
	play *pl = u->play;
	const lesson_step *s = &pl->l.steps[i];
	param_set ref;
	char name[64], path[4096], label[HISTORY_LABEL];
	step_reference(s, &ref, name, sizeof name, path, sizeof path);
	if (!same_set(&u->params, &s->params)) {
		u->history_quiet = 1;
		int rc = ui_set_params(u, &s->params);
		u->history_quiet = 0;
		if (rc < 0)
			return -1;
	}
	take_reference(u, &ref, name, path);
	snprintf(label, sizeof label, "lesson step %d", i + 1);
	ui_record(u, label);
	pl->pos[i] = u->hist.cur;
	return 0;
}

/* Back to step i through the undo history: 1 when its entry still holds the step's set. */
static int restore_params(ui *u, int i)
{
	play *pl = u->play;
	history *h = &u->hist;
	const char *label;
	int target = pl->pos[i];
	if (target < 0)
		return 0;
	while (h->cur > target && history_undo(h, &label))
		;
	while (h->cur < target && history_redo(h, &label))
		;
	if (h->cur != target)
		return 0;
	const history_entry *e = &h->e[(h->first + h->cur) % HISTORY_MAX];
	if (!same_set(&e->set, &pl->l.steps[i].params))
		return 0;
	if (!same_set(&u->params, &e->set)) {
		u->history_quiet = 1;
		int rc = ui_set_params(u, &e->set);
		u->history_quiet = 0;
		if (rc < 0)
			return 0;
	}
	take_reference(u, &e->reference, e->ref_name, NULL);
	return 1;
}

static void show_view(ui *u, enum lesson_view v)
{
	if (v == LESSON_VIEW_MAP) {
		if (u->side)
			ui_side_toggle(u, u->side->name);
		if (!view_is(u->modal, "map"))
			ui_view_open(u, "map");
		return;
	}
	if (view_is(u->modal, "map"))
		ui_view_close(u);
	const char *want = v == LESSON_VIEW_CALCIUM    ? "calcium"
	                   : v == LESSON_VIEW_EFFICACY ? "efficacy"
	                                               : NULL;
	if (want && !view_is(u->side, want))
		ui_side_toggle(u, want);
	else if (!want && u->side)
		ui_side_toggle(u, u->side->name);
}

/* The step's pins: each its set's analytic curve (the explorer keeps PINS_MAX, the latest). */
static void show_pins(ui *u, const lesson_step *s)
{
	pins_clear(&u->pins);
	for (int k = 0; k < s->npins; k++) {
		const param_set *p = &s->pins[k].params;
		int n = (int)p->v[P_POINTS];
		int ns = (int)p->v[P_PROTOCOL] == PROTO_POISSON ? UI_POISSON_SAMPLES : PIN_SAMPLES;
		double x0 = params_x(p, 0), x1 = params_x(p, n - 1);
		double *ax = malloc((size_t)ns * sizeof *ax), *ay = malloc((size_t)ns * sizeof *ay);
		int rc = -1;
		if (ax && ay) {
			work_sample(p, 1, fmin(x0, x1), fmax(x0, x1), ns, ax, ay, NULL);
			rc = pins_add(&u->pins, p, NULL, NULL, 0, ax, ay, ns);
		}
		if (rc < 0)
			ui_message(u, 1, "lesson: out of memory for a pinned curve");
		free(ax);
		free(ay);
	}
}

/* CALCIUM_STDP_LESSON_LOG=PATH, for the tests: each step shown appends a line with how its
 * parameters came (from the undo history or applied anew), what the screen shows and every
 * parameter's exact value. */
static void log_step(const ui *u, int i, const char *how)
{
	const char *path = getenv("CALCIUM_STDP_LESSON_LOG");
	FILE *f = path && *path ? fopen(path, "a") : NULL;
	if (!f)
		return;
	char v[64];
	fprintf(f, "step %d %s: view=%s present=%d cursor=%d pins=%d preset=%s", i + 1, how,
	        lesson_view_name(shown_view(u)), u->present, u->cursor, u->pins.n, u->preset);
	for (int k = 0; k < P_COUNT; k++) {
		params_format_exact(u->params.v[k], v, sizeof v);
		fprintf(f, " %s=%s", params_table[k].name, v);
	}
	fputc('\n', f);
	fclose(f);
}

static void show_step(ui *u, int i, int back)
{
	play *pl = u->play;
	const lesson_step *s = &pl->l.steps[i];
	const char *how = "history";
	if (!back || !restore_params(u, i)) {
		how = "applied";
		if (apply_params(u, i) < 0)
			return; /* the reason is in the status line */
	}
	pl->at = i;
	show_view(u, s->view);
	if (u->present != (s->present || pl->present_all))
		ui_present_toggle(u);
	if (s->has_cursor)
		ui_cursor_set(u, views_nearest(&u->params, s->cursor_x));
	show_pins(u, s);
	uv_timer_stop(&pl->timer);
	pl->timed = s->wait_s > 0;
	if (pl->timed)
		uv_timer_start(&pl->timer, timer_cb, (uint64_t)ceil(s->wait_s * 1e3), 0);
	heading(u);
	log_step(u, i, how);
}

int play_start(ui *u, lesson *l)
{
	play *pl = get_play(u);
	int *pos = malloc((size_t)(l->n > 0 ? l->n : 1) * sizeof *pos);
	if (!pl || !pos || l->n == 0) {
		free(pos);
		lesson_free(l);
		return -1;
	}
	lesson_free(&pl->l);
	free(pl->pos);
	pl->l = *l;
	memset(l, 0, sizeof *l);
	pl->pos = pos;
	for (int i = 0; i < pl->l.n; i++)
		pl->pos[i] = -1;
	pl->playing = 1;
	pl->present_all = u->present;
	show_step(u, 0, 0);
	return 0;
}

int play_key(ui *u, int is_key, int ch)
{
	play *pl = u->play;
	if (!pl || !pl->playing)
		return 0;
	if (pl->timed) {
		uv_timer_stop(&pl->timer);
		pl->timed = 0;
		heading(u);
	}
	if (u->modal && !view_is(u->modal, "map"))
		return 0;
	if ((!is_key && ch == ' ') || (is_key && ch == KEY_RIGHT)) {
		u->msg[0] = '\0';
		if (pl->at + 1 < pl->l.n)
			show_step(u, pl->at + 1, 0);
		else
			ui_message(u, 0, "the end of the lesson: Left goes back, q leaves it");
		return 1;
	}
	if (is_key && ch == KEY_LEFT) {
		u->msg[0] = '\0';
		if (pl->at > 0)
			show_step(u, pl->at - 1, 1);
		else
			ui_message(u, 0, "the first step of the lesson: space goes on, q leaves it");
		return 1;
	}
	if (!is_key && (ch == 'q' || ch == 'Q')) {
		pl->playing = 0;
		heading(u);
		ui_message(u, 0, "left the lesson: the explorer is yours (q again quits)");
		return 1;
	}
	return 0;
}

/* ---- recording ---- */

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

static void record_to(ui *u, const char *name)
{
	play *pl = get_play(u);
	size_t n = strlen(name);
	trim(&name, &n);
	if (!pl || n == 0 || n >= sizeof pl->rec_path) {
		ui_message(u, 1, "not recording: %s", pl ? "no usable file name given" : "out of memory");
		return;
	}
	memcpy(pl->rec_path, name, n);
	pl->rec_path[n] = '\0';
	/* Never over another file: a recording starts a lesson of its own. */
	FILE *f = fopen(pl->rec_path, "wx");
	if (!f) {
		ui_message(u, 1, "not recording: %s: %s", pl->rec_path,
		           errno == EEXIST ? "exists (record to a new file)" : strerror(errno));
		return;
	}
	/* The title: the file's name without its folder and ending, in printable ASCII. */
	char title[LESSON_TITLE_MAX + 1];
	const char *b = strrchr(pl->rec_path, '/');
	snprintf(title, sizeof title, "%.*s", LESSON_TITLE_MAX, b ? b + 1 : pl->rec_path);
	char *dot = strrchr(title, '.');
	if (dot && dot != title)
		*dot = '\0';
	for (char *c = title; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
			*c = '_';
	fprintf(f,
	        "# Recorded in the calcium-stdp explorer: play it with calcium-stdp --lesson FILE.\n"
	        "# The format is in the man page (LESSONS).\ntitle %s\n",
	        title[0] ? title : "A recorded lesson");
	if (fflush(f) != 0) {
		ui_message(u, 1, "not recording: %s: %s", pl->rec_path, strerror(errno));
		fclose(f);
		remove(pl->rec_path);
		return;
	}
	pl->rec = f;
	pl->rec_n = 0;
	heading(u);
	ui_message(u, 0, "recording to %s: w adds the screen as a step, W stops", pl->rec_path);
}

static void record_stop(ui *u)
{
	play *pl = u->play;
	int bad = fclose(pl->rec) != 0;
	pl->rec = NULL;
	heading(u);
	if (pl->rec_n == 0) {
		remove(pl->rec_path);
		ui_message(u, 0, "nothing recorded: %s not kept", pl->rec_path);
	} else if (bad) {
		ui_message(u, 1, "recording: writing %s failed: %s", pl->rec_path, strerror(errno));
	} else {
		ui_message(u, 0, "recorded %d step%s: calcium-stdp --lesson %s plays them", pl->rec_n,
		           pl->rec_n == 1 ? "" : "s", pl->rec_path);
	}
}

void play_record_toggle(ui *u)
{
	play *pl = u->play;
	if (pl && pl->rec) {
		record_stop(u);
		return;
	}
	if (pl && pl->playing) {
		ui_message(u, 1, "a lesson plays: leave it (q) before recording one");
		return;
	}
	ui_prompt_open(u, " record a lesson to (a new file): ", "my.lesson", 0, record_to);
}

/* The caption typed for a step: up to two lines, "|" between them. */
static void step_typed(ui *u, const char *text)
{
	play *pl = u->play;
	if (!pl || !pl->rec)
		return;
	lesson_step st;
	state_step(u, &st);
	const char *t = text;
	size_t tn = strlen(text);
	trim(&t, &tn);
	for (int k = 0, more = tn > 0; more; k++) {
		size_t n = strcspn(t, "|");
		const char *part = t;
		more = t[n] == '|';
		t += n + more;
		trim(&part, &n);
		if (k == LESSON_CAPTION_LINES || n == 0 || n > LESSON_CAPTION_MAX) {
			ui_message(
			    u, 1, "not recorded: a caption is one or two lines (a | b) of 1 to %d characters",
			    LESSON_CAPTION_MAX);
			return;
		}
		for (size_t c = 0; c < n; c++)
			if ((unsigned char)part[c] < 0x20 || (unsigned char)part[c] > 0x7e) {
				ui_message(u, 1, "not recorded: a caption is printable ASCII");
				return;
			}
		memcpy(st.caption[k], part, n);
		st.caption[k][n] = '\0';
		st.ncaption = k + 1;
	}
	if (lesson_write_step(pl->rec, pl->rec_n ? &pl->rec_prev : NULL, &st) < 0 ||
	    fputc('\n', pl->rec) == EOF || fflush(pl->rec) != 0) {
		ui_message(u, 1, "recording: writing %s failed: %s", pl->rec_path, strerror(errno));
		return;
	}
	pl->rec_prev = st;
	pl->rec_n++;
	heading(u);
	ui_message(u, 0, "step %d recorded", pl->rec_n);
}

void play_record_step(ui *u)
{
	play *pl = u->play;
	if (!pl || !pl->rec) {
		ui_message(u, 1, "not recording: W starts a recording");
		return;
	}
	char label[96];
	snprintf(label, sizeof label,
	         " step %d's caption (a | b for two lines; empty: none): ", pl->rec_n + 1);
	ui_prompt_open(u, label, "", 0, step_typed);
}

/* ---- the end ---- */

void play_close(ui *u)
{
	play *pl = u->play;
	if (!pl)
		return;
	if (pl->timer_init && !uv_is_closing((uv_handle_t *)&pl->timer))
		uv_close((uv_handle_t *)&pl->timer, NULL);
	if (pl->rec) {
		fclose(pl->rec);
		pl->rec = NULL;
	}
}

void play_free(ui *u)
{
	play *pl = u->play;
	if (!pl)
		return;
	if (pl->rec)
		fclose(pl->rec);
	lesson_free(&pl->l);
	free(pl->pos);
	free(pl);
	u->play = NULL;
}
