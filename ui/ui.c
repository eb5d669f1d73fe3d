/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The explorer's state behind ui.h's narrow interface: the current set and the engine run on it, the
 * rows the engine reports, the layout, the status line's message, the open views, undo and redo, and
 * what the plot is made of. Commands, views and job results change the state only through here;
 * nothing here draws. */
#include "ui.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inifile.h"
#include "inisave.h"
#include "readout.h"

/* How long a confirmation hides the status; an error stays until the next key. */
#define MESSAGE_MS 3000

/* ---- start and end ---- */

static history_state state_of(const ui *u)
{
	return (history_state){&u->params, &u->reference, u->preset};
}

ui *ui_new(void)
{
	ui *u = calloc(1, sizeof *u);
	if (!u)
		return NULL;
	snprintf(u->preset, sizeof u->preset, "defaults");
	params_defaults(&u->params);
	u->reference = u->params;
	u->show_analytic = 1;
	u->drag = -1;
	u->stdin_flags = -1;
	u->cursor = -1;
	u->reps_step = u->params.v[P_REPS];
	u->map.tol = CLASSIFY_TOLERANCE;
	u->views = views_new();
	u->data = calloc(1, sizeof *u->data);
	u->compare = calloc(1, sizeof *u->compare);
	u->compare_name = calloc(1, sizeof *u->compare_name);
	if (!u->views || !u->data || !u->compare || !u->compare_name) {
		ui_free(u);
		return NULL;
	}
	return u;
}

int ui_set_overlays(ui *u, const datafile *data, int ndata, int data_given, const param_set *compare,
                    const char (*names)[64], int ncompare)
{
	datafile *d = calloc((size_t)ndata + 1, sizeof *d);
	param_set *c = calloc((size_t)ncompare + 1, sizeof *c);
	char(*n)[64] = calloc((size_t)ncompare + 1, sizeof *n);
	if (!d || !c || !n) {
		free(d), free(c), free(n);
		return -1;
	}
	for (int i = 0; i < u->ndata; i++)
		datafile_free(&u->data[i]);
	if (u->ndata0)
		datafile_free(&u->data0);
	free(u->data);
	free(u->compare);
	free(u->compare_name);
	u->data = d;
	u->compare = c;
	u->compare_name = n;
	u->ndata = 0;
	for (int i = 0; i < ndata; i++) {
		if (datafile_copy(&data[i], &u->data[i]) < 0)
			return -1;
		u->ndata++;
	}
	u->data_given = data_given;
	if (u->ndata0)
		datafile_free(&u->data0);
	u->ndata0 = 0;
	if (!data_given && ndata > 0 && datafile_copy(&data[0], &u->data0) == 0)
		u->ndata0 = 1;
	for (int i = 0; i < ncompare; i++) {
		u->compare[i] = compare[i];
		memcpy(u->compare_name[i], names[i], sizeof u->compare_name[i]);
	}
	u->ncompare = ncompare;
	return 0;
}

void ui_begin(ui *u)
{
	snprintf(u->preset0, sizeof u->preset0, "%s", u->preset);
	history_init(&u->hist, state_of(u), "start");
}

void ui_free(ui *u)
{
	if (!u)
		return;
	for (int i = 0; i < u->nviews; i++)
		if (u->viewtab[i]->free)
			u->viewtab[i]->free(u);
	presets_free(u->presets, u->npresets);
	free(u->rows);
	free(u->px);
	free(u->py);
	free(u->plo);
	free(u->phi);
	free(u->ax);
	free(u->ay);
	free(u->fo);
	views_free(u->views);
	canvas_free(u->cv);
	free(u->map.cls);
	for (int i = 0; i < u->ndata; i++)
		datafile_free(&u->data[i]);
	if (u->ndata0)
		datafile_free(&u->data0);
	free(u->data);
	free(u->compare);
	free(u->compare_name);
	free(u->cmp_x);
	free(u->cmp_y);
	pins_clear(&u->pins);
	free(u->layers);
	free(u->legends);
	free(u->lbuf);
	free(u);
}

/* ---- changes, messages, the end ---- */

void ui_dirty(ui *u)
{
	u->dirty = 1;
	u->changed = 1;
}

static void message_expired(uv_timer_t *t)
{
	ui *u = t->data;
	if (!u->msg_error && u->msg[0]) {
		u->msg[0] = '\0';
		ui_dirty(u);
	}
}

void ui_message(ui *u, int error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof u->msg, fmt, ap);
	va_end(ap);
	/* One line: a multi-line report (an INI file's problems) shows its first line. */
	char *nl = strchr(u->msg, '\n');
	if (nl)
		*nl = '\0';
	u->msg_error = error;
	if (!u->quitting && u->msg_timer.loop) {
		if (error)
			uv_timer_stop(&u->msg_timer);
		else
			uv_timer_start(&u->msg_timer, message_expired, MESSAGE_MS, 0);
	}
	ui_dirty(u);
}

void ui_quit(ui *u, int status)
{
	if (u->quit_asked)
		return;
	u->quit_asked = 1;
	u->quit_status = status;
}

/* ---- the curve's rows ---- */

static int ensure_rows(ui *u, int n)
{
	if (n <= u->rows_cap)
		return 0;
	batch_row *r = realloc(u->rows, (size_t)n * sizeof *r);
	if (r)
		u->rows = r;
	double **arrays[] = {&u->px, &u->py, &u->plo, &u->phi};
	int ok = r != NULL;
	for (int i = 0; i < 4; i++) {
		double *a = realloc(*arrays[i], (size_t)n * sizeof *a);
		if (a)
			*arrays[i] = a;
		ok = ok && a;
	}
	if (!ok)
		return -1;
	u->rows_cap = n;
	return 0;
}

/* A row with reps 0 is drawn only when its change is exact (the weight model on regular trains). */
static void set_row(ui *u, int i, const batch_row *r, int exact)
{
	int shown = r->reps || (exact && isfinite(r->change));
	u->rows[i] = *r;
	u->px[i] = r->dt_ms;
	u->py[i] = shown ? r->change : NAN;
	/* An exact value has no interval to draw. */
	u->plo[i] = shown && !exact ? r->change_lo : NAN;
	u->phi[i] = shown && !exact ? r->change_hi : NAN;
}

void ui_engine_update(const engine_snapshot *s, void *user)
{
	ui *u = user;
	if (u->quitting || ensure_rows(u, s->points) < 0)
		return;
	/* The counts of the units that finished stay; the failed unit is not among them. */
	if (s->failed)
		ui_message(u, 1, "the run stopped: %s", s->error);
	int was_complete = u->complete && u->generation == s->generation;
	const param_set *p = s->params;
	for (int i = 0; i < s->points && s->weight; i++) {
		/* The weight model: no U and D; reps 0 marks an exact value, as in --batch's CSV. */
		batch_row row = {
		    s->dt_ms[i],           NAN, NAN, s->change[i], s->change_lo[i], s->change_hi[i],
		    s->exact ? 0 : s->n[i]};
		set_row(u, i, &row, s->exact);
	}
	for (int i = 0; i < s->points && !s->weight; i++) {
		readout r;
		readout_from_counts(s->n[i], s->ups[i], s->downs[i], p->v[P_BETA], p->v[P_B], &r);
		batch_row row = {s->dt_ms[i], r.U, r.D, r.change, r.change_lo, r.change_hi, s->n[i]};
		set_row(u, i, &row, 0);
	}
	u->points = s->points;
	u->generation = s->generation;
	u->reps_requested = s->reps_requested;
	u->reps_done = s->reps_done;
	u->reps_total = s->reps_total;
	u->seed = s->seed;
	u->steps_per_s = s->steps_per_s;
	u->elapsed_s = s->elapsed_s;
	u->complete = s->complete;
	u->paused = s->paused;
	if (s->complete && !was_complete && u->dump_path)
		u->dump_pending = 1;
	ui_dirty(u);
}

/* ---- the current set ---- */

/* The sliders relevant to p's protocol, keeping the selected parameter selected when it stays. */
static void update_sliders(ui *u, const param_set *p)
{
	int id = u->nvis > 0 ? u->vis[u->selected] : -1;
	u->nvis = sliders_visible(p, u->vis, P_COUNT);
	int sel = u->selected < u->nvis ? u->selected : u->nvis - 1;
	for (int i = 0; i < u->nvis; i++)
		if (u->vis[i] == id)
			sel = i;
	u->selected = sel < 0 ? 0 : sel;
	ui_layout(u);
}

/* Whether p shows other sliders than those shown: the model (the 2020 parameters act only in the
 * weight model, tau_rec only with depression) decides as well as the protocol. */
static int sliders_differ(const ui *u, const param_set *p)
{
	int ids[P_COUNT], n = sliders_visible(p, ids, P_COUNT);
	return n != u->nvis || memcmp(ids, u->vis, (size_t)n * sizeof *ids) != 0;
}

/* The cursor stays where it points along x; a new protocol (a new kind of x) starts it in the
 * middle. */
static void keep_cursor(ui *u, const param_set *old, const param_set *p)
{
	int n = (int)p->v[P_POINTS];
	if (old->v[P_PROTOCOL] != p->v[P_PROTOCOL] || u->cursor < 0 || u->cursor >= (int)old->v[P_POINTS])
		u->cursor = n / 2;
	else
		u->cursor = views_nearest(p, params_x(old, u->cursor));
}

/* "theta_p", "theta_p, gamma_d", "3 parameters": what changed from old to p; the one parameter that
 * did in *param (else -1). */
static void describe_change(const param_set *old, const param_set *p, char *buf, size_t len, int *param)
{
	int n = 0, first = -1, second = -1;
	for (int i = 0; i < P_COUNT; i++)
		if (old->v[i] != p->v[i]) {
			if (n == 0)
				first = i;
			else if (n == 1)
				second = i;
			n++;
		}
	*param = n == 1 ? first : -1;
	if (n == 0)
		snprintf(buf, len, "nothing");
	else if (n == 1)
		snprintf(buf, len, "%s", params_table[first].name);
	else if (n == 2)
		snprintf(buf, len, "%s, %s", params_table[first].name, params_table[second].name);
	else
		snprintf(buf, len, "%d parameters", n);
}

/* After ui_set_params accepted a set: record the change for undo (unless restoring one). */
static void record_change(ui *u, const param_set *old)
{
	if (u->history_quiet)
		return;
	char label[HISTORY_LABEL];
	int param;
	describe_change(old, &u->params, label, sizeof label, &param);
	if (u->change_label) {
		snprintf(label, sizeof label, "%s", u->change_label);
		param = -1;
	}
	history_push(&u->hist, state_of(u), label, param);
}

int ui_set_params(ui *u, const param_set *p)
{
	char err[512];
	if (u->quitting)
		return -1;
	if (engine_set_params(u->eng, p, err, sizeof err) < 0) {
		ui_message(u, 1, "%s", err);
		return -1;
	}
	int n = (int)p->v[P_POINTS];
	if (ensure_rows(u, n) < 0) {
		ui_message(u, 1, "out of memory");
		return -1;
	}
	keep_cursor(u, &u->params, p);
	int relayout = u->nvis == 0 || u->params.v[P_PROTOCOL] != p->v[P_PROTOCOL] || sliders_differ(u, p);
	param_set old = u->params;
	u->params = *p;
	record_change(u, &old);
	if (relayout)
		update_sliders(u, p);
	/* The old generation's points do not belong to the new parameters: start empty. */
	for (int i = 0; i < n; i++) {
		batch_row r = {params_x(p, i), NAN, NAN, NAN, NAN, NAN, 0};
		set_row(u, i, &r, 0);
	}
	u->points = n;
	u->reps_requested = (uint64_t)p->v[P_REPS];
	u->reps_done = 0;
	u->reps_total = u->reps_requested * (uint64_t)n;
	u->seed = (uint64_t)p->v[P_SEED];
	u->steps_per_s = 0;
	u->elapsed_s = 0;
	u->complete = 0;
	u->analytic_stale = 1;
	ui_dirty(u);
	return 0;
}

int ui_unsaved(const ui *u)
{
	for (int i = 0; i < sliders_count; i++)
		if (u->params.v[sliders_order[i]] != u->reference.v[sliders_order[i]])
			return 1;
	return 0;
}

/* A lesson's caption lines go under the boxes, across the screen: the boxes give up their rows. */
static void caption_room(ui *u)
{
	sliders_layout *l = &u->lay;
	int k = u->caption_rows;
	u->caption_rect = (sliders_rect){0, 0, 0, 0};
	if (k <= 0 || l->too_small || l->plot.h - k < 8)
		return;
	l->plot.h -= k;
	l->canvas.h -= k;
	u->caption_rect = (sliders_rect){0, l->plot.y + l->plot.h, l->cols, k};
	if (l->panel.h > 0) {
		l->panel.h -= k;
		if (l->rows_visible > l->panel.h - 2)
			l->rows_visible = l->panel.h - 2;
		if (l->info.h > 0 && l->info.y + l->info.h > l->panel.y + l->panel.h - 1)
			l->info.h = l->panel.y + l->panel.h - 1 - l->info.y;
		if (l->info.h < 2)
			l->info = (sliders_rect){0, 0, 0, 0};
	}
}

void ui_layout(ui *u)
{
	sliders_layout_compute(COLS, LINES, u->nvis, u->present, &u->lay);
	caption_room(u);
	u->first = sliders_scroll(u->selected, u->first, u->lay.rows_visible, u->nvis);
	/* The plot's canvas follows, sized to what it gets now. */
	u->analytic_stale = 1;
	ui_dirty(u);
}

attr_t ui_attr(const ui *u, int role)
{
	return role >= 0 && role < UR_COUNT ? u->attr[role] : A_NORMAL;
}

void ui_select(ui *u, int i)
{
	if (i >= u->nvis)
		i = u->nvis - 1;
	if (i < 0)
		i = 0;
	u->selected = i;
	u->first = sliders_scroll(i, u->first, u->lay.rows_visible, u->nvis);
	ui_dirty(u);
}

void ui_cursor_set(ui *u, int i)
{
	if (i >= u->points)
		i = u->points - 1;
	u->cursor = i < 0 ? 0 : i;
	ui_dirty(u);
}

void ui_present_toggle(ui *u)
{
	u->present = !u->present;
	ui_layout(u);
}

canvas_mode ui_glyphs(const ui *u)
{
	/* Braille and blocks need UTF-8 (and a font with them: --ascii and TERM=linux say no). */
	if (!u->utf8)
		return CANVAS_ASCII;
	return u->glyphs ? (canvas_mode)(u->glyphs - 1) : CANVAS_BRAILLE;
}

/* ---- views ---- */

static const ui_view *find_view(const ui *u, const char *name)
{
	for (int i = 0; i < u->nviews; i++)
		if (strcmp(u->viewtab[i]->name, name) == 0)
			return u->viewtab[i];
	return NULL;
}

void ui_view_close(ui *u)
{
	const ui_view *v = u->modal;
	u->modal = NULL;
	if (v && v->close)
		v->close(u);
	ui_dirty(u);
}

void ui_view_open(ui *u, const char *name)
{
	const ui_view *v = find_view(u, name);
	if (u->modal)
		ui_view_close(u);
	if (!v)
		return;
	u->modal = v;
	if (v->open)
		v->open(u);
	ui_dirty(u);
}

void ui_side_toggle(ui *u, const char *name)
{
	const ui_view *v = find_view(u, name);
	const ui_view *old = u->side;
	u->side = old == v ? NULL : v;
	if (old && old->close)
		old->close(u);
	if (u->side && u->side->open)
		u->side->open(u);
	if (!u->side)
		u->view = VIEWS_NONE;
	ui_dirty(u);
}

const ui_view *ui_plot_view(const ui *u)
{
	if (u->modal && u->modal->place == UI_AT_PLOT)
		return u->modal;
	return u->side;
}

void ui_prompt_open(ui *u, const char *label, const char *text, int yesno,
                    void (*accept)(ui *u, const char *text))
{
	ui_prompt *p = &u->prompt;
	snprintf(p->label, sizeof p->label, "%s", label);
	snprintf(p->text, sizeof p->text, "%s", text);
	p->len = (int)strlen(p->text);
	p->cursor = p->len;
	p->yesno = yesno;
	p->accept = accept;
	ui_view_open(u, "prompt");
}

/* A view's job: its work and argument, and who takes the result. */
typedef struct view_job {
	ui *u;
	const ui_view *v;
	jobs_work_fn work;
	void *arg;
} view_job;

static int view_job_work(jobs_ctx *c, void *arg)
{
	const view_job *j = arg;
	return j->work(c, j->arg);
}

/* jobs.h's done callback: the result to the view that asked. */
static void view_job_done(int status, const char *err, void *arg, void *user)
{
	view_job *j = arg;
	(void)user;
	j->v->result(j->u, status, err, j->arg);
	free(j);
}

unsigned ui_job_submit(ui *u, const ui_view *v, int slot, const char *what, jobs_work_fn work, void *arg)
{
	view_job *j = malloc(sizeof *j);
	if (!j) {
		v->result(u, -1, "out of memory", arg);
		return 0;
	}
	*j = (view_job){u, v, work, arg};
	return jobs_submit(u->jobs, slot, what, view_job_work, view_job_done, j, u);
}

/* ---- undo, presets' data ---- */

/* The answer to the quit question: y quits; anything else keeps the explorer open. */
static void quit_answer(ui *u, const char *text)
{
	if (strcmp(text, "y") == 0)
		ui_quit(u, 0);
	else
		ui_message(u, 0, "not quitting");
}

void ui_quit_ask(ui *u)
{
	if (!ui_unsaved(u)) {
		ui_quit(u, 0);
		return;
	}
	ui_prompt_open(u, " unsaved changes (s saves them): quit anyway? y/n ", "", 1, quit_answer);
}

void ui_record(ui *u, const char *label)
{
	history_push(&u->hist, state_of(u), label, -1);
}

void ui_preset_data(ui *u, const char *path)
{
	if (u->data_given)
		return;
	char *name = inifile_data_name(path), found[4096], err[1024];
	datafile d;
	/* The preset's own data set, or none: the last preset's does not belong to this one. */
	for (int i = 0; i < u->ndata; i++)
		datafile_free(&u->data[i]);
	u->ndata = 0;
	if (name && name[0]) {
		if (datafile_find(name, path, found, sizeof found) < 0)
			ui_message(u, 1, "the preset's data set '%s' was not found", name);
		else if (datafile_load(found, &d, err, sizeof err) < 0)
			ui_message(u, 1, "%s", err);
		else
			u->data[u->ndata++] = d;
	}
	free(name);
}

static void restore(ui *u, const history_entry *e, const char *verb, const char *label)
{
	u->history_quiet = 1;
	int rc = ui_set_params(u, &e->set);
	u->history_quiet = 0;
	if (rc < 0)
		return;
	/* Back to another preset: its data set comes back with it; back to the start's (which may be
	 * no preset, or a file's): the start's. */
	char path[4096];
	if (strcmp(u->preset, e->ref_name) != 0 && !u->data_given) {
		if (strcmp(e->ref_name, u->preset0) == 0) {
			for (int i = 0; i < u->ndata; i++)
				datafile_free(&u->data[i]);
			u->ndata = 0;
			if (u->ndata0 && datafile_copy(&u->data0, &u->data[0]) == 0)
				u->ndata = 1;
		} else if (presets_find(e->ref_name, path, sizeof path) == 0) {
			ui_preset_data(u, path);
		}
	}
	u->reference = e->reference;
	snprintf(u->preset, sizeof u->preset, "%s", e->ref_name);
	ui_message(u, 0, "%s: %s", verb, label);
}

void ui_undo(ui *u)
{
	const char *label;
	const history_entry *e = history_undo(&u->hist, &label);
	if (!e)
		ui_message(u, 1, "nothing to undo");
	else
		restore(u, e, "undone", label);
}

void ui_redo(ui *u)
{
	const char *label;
	const history_entry *e = history_redo(&u->hist, &label);
	if (!e)
		ui_message(u, 1, "nothing to redo");
	else
		restore(u, e, "redone", label);
}

/* ---- what the plot is made of ---- */

const param_set *ui_curve_params(const ui *u)
{
	return u->alt_curve ? &u->alt : &u->params;
}

int ui_curve_rect(const ui *u, sliders_rect *r)
{
	const ui_view *v = ui_plot_view(u);
	sliders_rect own;
	*r = u->lay.canvas;
	if (!v || !v->split)
		return 1;
	return v->split(u, u->lay.canvas, r, &own);
}

int ui_plot_canvas(ui *u, int w, int h)
{
	canvas_mode mode = ui_glyphs(u);
	if (u->cv && canvas_cols(u->cv) == w && canvas_rows(u->cv) == h && canvas_get_mode(u->cv) == mode)
		return 0;
	canvas_free(u->cv);
	u->cv = canvas_new(w, h, mode);
	u->analytic_stale = 1;
	return u->cv ? 0 : -1;
}

/* The longest legend texts that fit in cols (the plot drops entries that do not). */
static void legend_labels(plot_data *d, int cols)
{
	static const char *const sets[][2] = {
	    {"simulation, 95% interval", "analytic (OU approximation)"},
	    {"simulation, 95% CI", "analytic (OU)"},
	    {"simulation", "analytic"},
	    {"sim", "analytic"},
	};
	int k;
	for (k = 0; k < 3; k++) {
		int need = 2 + (int)strlen(sets[k][0]);
		if (d->show_analytic)
			need += 3 + 4 + (int)strlen(sets[k][1]);
		/* The plot starts a legend that is too wide for beside the y labels at column 0. */
		if (need <= cols)
			break;
	}
	d->sim_label = sets[k][0];
	d->analytic_label = sets[k][1];
}

void ui_plot_base(const ui *u, plot_data *d, int cols)
{
	memset(d, 0, sizeof *d);
	d->n = u->points;
	d->x = u->px;
	d->y = u->py;
	d->lo = u->plo;
	d->hi = u->phi;
	d->xlabel = params_x_label(&u->params);
	d->show_analytic = u->show_analytic;
	legend_labels(d, cols);
	if (u->alt_label)
		d->analytic_label = u->alt_label;
	if ((int)u->params.v[P_EFFICACY] == EFFICACY_WEIGHT) {
		/* The deterministic weight model: its points are exact on regular trains (no approximation
		 * to draw beside them, as in --plot), means over trials on random ones (none exists). The
		 * map's cursor cell is a second exact curve. */
		int random = params_random_protocol(&u->params);
		d->sim_label =
		    random ? "mean over trials, 95% interval" : "exact (deterministic weight model)";
		if (!u->alt_curve || random)
			d->show_analytic = 0;
		else
			d->analytic_label = "exact at the map cursor";
	} else if ((int)u->params.v[P_PROTOCOL] == PROTO_IRREGULAR ||
	           (int)u->params.v[P_PROTOCOL] == PROTO_IRREGULAR_RATE) {
		d->show_analytic = 0; /* irregular pairs have no approximation to draw (as in --plot) */
	}
	d->cursor_col = -1;
	if (u->cursor >= 0 && u->cursor < u->points) {
		d->cursor_col = u->cursor;
		d->cursor_x = u->px[u->cursor];
	}
	plot_xrange_for(u->px, u->points, &d->xmin, &d->xmax);
}

int ui_plot_point_at(const ui *u, int x, int y)
{
	const sliders_rect *r = &u->cv_rect;
	plot_layout pl;
	if (r->w <= 0 || x < r->x || x >= r->x + r->w || y < r->y || y >= r->y + r->h)
		return -1;
	plot_layout_for(&u->shown, r->w, r->h, &pl);
	int col = x - r->x, row = y - r->y;
	/* The area and the axis under it. */
	if (col < pl.left || col >= pl.left + pl.width || row < pl.top || row > pl.top + pl.height)
		return -1;
	double dx = plot_x_of_col(&u->shown, r->w, r->h, col);
	if (!isfinite(dx) || u->points < 1)
		return -1;
	return views_nearest(&u->params, dx);
}

/* ---- files ---- */

int ui_write_csv(const char *path, const param_set *p, const batch_row *rows, int n, unsigned flags,
                 char *full, size_t fulllen, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int bad = !f;
	if (f) {
		batch_write_csv(f, p, rows, n);
		bad = ferror(f);
		bad |= fclose(f) != 0;
	}
	if (bad) {
		free(text);
		snprintf(err, errlen, "%s: out of memory", path);
		return INISAVE_FAILED;
	}
	int rc = inisave_write(path, text, len, flags, full, fulllen, err, errlen);
	free(text);
	return rc;
}
