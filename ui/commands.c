/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command table: every key of the explorer's main screen, its command's name and the function
 * that runs it (keys.h's rows; the help view, the hints line and the man page are made from this
 * table). A command changes the state through ui.h and never draws; what it asks to compute is
 * requested after the change (requests.c). The mouse on the main screen is decoded here too.
 *
 * To add a key: write its function below and add one row to commands_table. */
#include <config.h>

#include "commands.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "fit.h"
#include "inifile.h"
#include "inisave.h"

#define CTRL_KEY(c) ((c)&0x1f)
#define KEY_ESC     27

/* ---- sliders ---- */

static int selected_id(const ui *u)
{
	return u->vis[u->selected];
}

static void set_value(ui *u, int id, double v)
{
	if (v == u->params.v[id])
		return;
	param_set p = u->params;
	p.v[id] = v;
	ui_set_params(u, &p);
}

static void step_selected(ui *u, int dir, int coarse)
{
	int id = selected_id(u);
	const param_info *pi = &params_table[id];
	double v = sliders_step(id, u->params.v[id], dir, coarse);
	if (v == u->params.v[id]) {
		char lim[32];
		params_format_exact(dir > 0 ? pi->max : pi->min, lim, sizeof lim);
		ui_message(u, 0, "%s is at its %s (%s%s%s)", pi->name, dir > 0 ? "maximum" : "minimum", lim,
		           pi->unit[0] ? " " : "", pi->unit);
		return;
	}
	set_value(u, id, v);
}

static void select_up(ui *u)
{
	ui_select(u, u->selected - 1);
}
static void select_down(ui *u)
{
	ui_select(u, u->selected + 1);
}
static void select_first(ui *u)
{
	ui_select(u, 0);
}
static void select_last(ui *u)
{
	ui_select(u, u->nvis - 1);
}
static void page_up(ui *u)
{
	ui_select(u, u->selected - u->lay.rows_visible);
}
static void page_down(ui *u)
{
	ui_select(u, u->selected + u->lay.rows_visible);
}
static void step_down(ui *u)
{
	step_selected(u, -1, u->coarse);
}
static void step_up(ui *u)
{
	step_selected(u, +1, u->coarse);
}
static void coarse_down(ui *u)
{
	step_selected(u, -1, 1);
}
static void coarse_up(ui *u)
{
	step_selected(u, +1, 1);
}

static void fine_steps(ui *u)
{
	u->coarse = 0;
	ui_message(u, 0, "Left/Right: fine step");
}

static void coarse_steps(ui *u)
{
	u->coarse = 1;
	ui_message(u, 0, "Left/Right: coarse step");
}

static void value_typed(ui *u, const char *text)
{
	int id = selected_id(u);
	char err[256];
	double v;
	/* Validated exactly as --set is: on a bad value the old one stays. */
	if (params_parse_value(id, text, &v, err, sizeof err) < 0) {
		ui_message(u, 1, "%s", err);
		return;
	}
	param_set ps = u->params;
	ps.v[id] = v;
	ui_set_params(u, &ps);
}

static void type_value(ui *u)
{
	int id = selected_id(u);
	char label[96], val[64];
	const param_info *pi = &params_table[id];
	snprintf(label, sizeof label, " %s%s%s%s = ", pi->name, pi->unit[0] ? " (" : "", pi->unit,
	         pi->unit[0] ? ")" : "");
	params_format_value(id, u->params.v[id], val, sizeof val);
	ui_prompt_open(u, label, val, 0, value_typed);
}

static void reset_one(ui *u)
{
	int id = selected_id(u);
	set_value(u, id, u->reference.v[id]);
}

static void reset_all(ui *u)
{
	param_set p = u->params;
	for (int i = 0; i < sliders_count; i++)
		p.v[sliders_order[i]] = u->reference.v[sliders_order[i]];
	if (ui_set_params(u, &p) == 0)
		ui_message(u, 0, "every parameter as in %s", u->preset);
}

/* ---- the run ---- */

static void new_seed(ui *u)
{
	param_set p = u->params;
	p.v[P_SEED] = fmod(p.v[P_SEED] + 1, params_table[P_SEED].max + 1);
	if (ui_set_params(u, &p) == 0)
		ui_message(u, 0, "running again with seed %llu", (unsigned long long)p.v[P_SEED]);
}

static void more_reps(ui *u)
{
	double max = params_table[P_REPS].max, now = u->params.v[P_REPS];
	double extra = u->reps_step;
	if ((int)u->params.v[P_EFFICACY] == EFFICACY_WEIGHT && !params_random_protocol(&u->params)) {
		ui_message(u, 1, "the weight model is exact on regular trains: no repetitions to add");
		return;
	}
	if (now + extra > max)
		extra = max - now;
	if (extra <= 0) {
		ui_message(u, 1, "reps is at its maximum (%.0f)", max);
		return;
	}
	u->params.v[P_REPS] = now + extra;
	u->reps_requested = (uint64_t)(now + extra);
	u->reps_total = u->reps_requested * (uint64_t)u->points;
	u->complete = 0;
	engine_more(u->eng, (uint64_t)extra);
	ui_message(u, 0, "%.0f more repetitions: %.0f per dt", extra, now + extra);
}

static void toggle_pause(ui *u)
{
	u->paused = !u->paused;
	engine_pause(u->eng, u->paused);
	ui_dirty(u);
}

/* ---- what is shown ---- */

static void cursor_left(ui *u)
{
	ui_cursor_set(u, u->cursor - 1);
}
static void cursor_right(ui *u)
{
	ui_cursor_set(u, u->cursor + 1);
}
static void show_calcium(ui *u)
{
	ui_side_toggle(u, "calcium");
}
static void show_efficacy(ui *u)
{
	ui_side_toggle(u, "efficacy");
}
static void open_map(ui *u)
{
	ui_view_open(u, "map");
}
static void open_presets(ui *u)
{
	ui_view_open(u, "presets");
}
static void open_help(ui *u)
{
	ui_view_open(u, "help");
}
static void toggle_present(ui *u)
{
	ui_present_toggle(u);
}

/* Back towards the plain screen, one step at a time. */
static void back(ui *u)
{
	if (u->side)
		ui_side_toggle(u, u->side->name);
	else if (u->present)
		ui_present_toggle(u);
}

static void toggle_analytic(ui *u)
{
	u->show_analytic = !u->show_analytic;
}

static void toggle_frequencies(ui *u)
{
	u->freq_overlay = !u->freq_overlay;
	u->analytic_stale = 1;
	if (u->freq_overlay && (int)u->params.v[P_PROTOCOL] != PROTO_PAIRS)
		ui_message(u, 1, "the frequency overlay is for the pairs protocol");
}

static void toggle_yrange(ui *u)
{
	u->yfixed = !u->yfixed;
}

static void cycle_glyphs(ui *u)
{
	canvas_mode m = ui_glyphs(u);
	if (!u->utf8) {
		ui_message(u, 1, "only ascii glyphs here: braille and blocks need a UTF-8 terminal");
		return;
	}
	m = m == CANVAS_BRAILLE ? CANVAS_BLOCK : m == CANVAS_BLOCK ? CANVAS_ASCII : CANVAS_BRAILLE;
	u->glyphs = 1 + (int)m;
	ui_message(u, 0, "glyphs: %s", canvas_mode_name(m));
}

/* W: the glyphs, theme, y scale and link rate in use become the next start's (config.h). */
static void remember(ui *u)
{
	config c = u->cfg;
	char path[4096], full[INISAVE_PATHLEN], err[INISAVE_PATHLEN + 256];
	c.glyphs = u->glyphs;
	c.yfixed = u->yfixed;
	if (config_path(path, sizeof path, 1) < 0) {
		ui_message(u, 1, "not remembered: no folder for config.ini (%s)", strerror(errno));
		return;
	}
	if (config_save(path, &c, full, sizeof full, err, sizeof err) < 0) {
		ui_message(u, 1, "not remembered: %s", err);
		return;
	}
	u->cfg = c;
	ui_message(u, 0, "remembered (glyphs, theme, y scale, link rate) in %s", full);
}

static void repaint(ui *u)
{
	u->repaint = 1;
}

/* ---- undo, pins, the fit ---- */

static void undo(ui *u)
{
	ui_undo(u);
}
static void redo(ui *u)
{
	ui_redo(u);
}

static void pin_curve(ui *u)
{
	int drop = u->pins.n == PINS_MAX;
	if (pins_add(&u->pins, &u->params, u->px, u->py, u->points, u->ax, u->ay, u->na) < 0) {
		ui_message(u, 1, "out of memory");
		return;
	}
	ui_message(u, 0, "pinned the curve (%d of %d%s); it stays while the sliders move", u->pins.n,
	           PINS_MAX, drop ? ", the oldest one dropped" : "");
}

static void pins_off(ui *u)
{
	if (u->pins.n == 0) {
		ui_message(u, 1, "no pinned curves");
		return;
	}
	pins_clear(&u->pins);
	ui_message(u, 0, "pinned curves cleared");
}

static void fit_mark(ui *u)
{
	int id = selected_id(u);
	if (!fit_fittable(id)) {
		ui_message(u, 1, "%s cannot be fitted: only the continuous model and read-out parameters can",
		           params_table[id].name);
		return;
	}
	u->fit_mark[id] = !u->fit_mark[id];
	int n = 0;
	for (int i = 0; i < P_COUNT; i++)
		n += u->fit_mark[i];
	ui_message(u, 0, "%s %s the fit (%d marked; F fits)", params_table[id].name,
	           u->fit_mark[id] ? "joins" : "leaves", n);
}

/* Start the fit in the background (requests.c; its progress in the status line); when it finishes
 * the sliders move to the fit and the report is shown. A second press cancels a fit that runs. */
static void fit(ui *u)
{
	if (u->fit_job) {
		u->fit_wanted = -1;
		ui_message(u, 0, "fit cancelled");
		return;
	}
	if (u->ndata == 0) {
		ui_message(u, 1,
		           "no measured data to fit: start with --data FILE or a preset that names its data");
		return;
	}
	int n = 0;
	for (int i = 0; i < P_COUNT; i++)
		n += u->fit_mark[i];
	if (n == 0) {
		ui_message(u, 1, "no parameters marked for the fit: t marks the selected one");
		return;
	}
	u->fit_wanted = 1;
	ui_dirty(u);
}

/* ---- files ---- */

/* A bare name ("mine") becomes a preset in the user's folder ("mine.ini" there, so that p lists
 * it); anything with a slash is a path. */
static int save_path(const char *name, char *path, size_t len, char *err, size_t errlen)
{
	if (strchr(name, '/')) {
		snprintf(path, len, "%s", name);
		return 0;
	}
	if (name[0] == '.') {
		snprintf(err, errlen, "'%s': a preset name may not start with '.'", name);
		return -1;
	}
	char dir[4096];
	if (presets_user_dir(dir, sizeof dir, 1) < 0) {
		snprintf(err, errlen, "cannot make your preset folder: %s (give a path with a '/')",
		         strerror(errno));
		return -1;
	}
	size_t n = strlen(name);
	int has_ext = n > 4 && strcmp(name + n - 4, ".ini") == 0;
	if (snprintf(path, len, "%s/%s%s", dir, name, has_ext ? "" : ".ini") >= (int)len) {
		snprintf(err, errlen, "'%s': name too long", name);
		return -1;
	}
	return 0;
}

static void base_name(const char *path, char *out, size_t len)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	if (snprintf(out, len, "%s", b) >= (int)len)
		out[len - 1] = '\0'; /* a cut name is still a name */
	size_t n = strlen(out);
	if (n > 4 && strcmp(out + n - 4, ".ini") == 0)
		out[n - 4] = '\0';
}

/* Before a save or an export to path: ask (by a message: "again to confirm") before replacing a
 * file, before replacing a read-only one (then *flags gets INISAVE_FORCE: the user said so), and,
 * for a preset (builtin_name not NULL), before shadowing a built-in preset. what is "save" or
 * "export"; the confirmation is the same command with the same name. Returns 1 to go on, 0 when a
 * question or an error is shown. */
static int may_write(ui *u, const char *what, const char *path, const char *builtin_name, unsigned *flags)
{
	char full[INISAVE_PATHLEN], err[INISAVE_PATHLEN + 256], key[sizeof u->confirm_path];
	int exists = 0;
	int rc = inisave_check(path, 0, full, sizeof full, &exists, err, sizeof err);
	if (rc != INISAVE_OK && rc != INISAVE_READONLY) {
		ui_message(u, 1, "not %s: %s", strcmp(what, "save") == 0 ? "saved" : "exported", err);
		u->confirm_path[0] = '\0';
		return 0;
	}
	/* "defaults" names the built-in values (the explorer's title and the picker say it): a file
	 * of that name would read as them. */
	int shadows = builtin_name && !exists ? presets_builtin(builtin_name) : 0;
	if (builtin_name && !exists && !shadows &&
	    (strcmp(builtin_name, "defaults") == 0 || strcmp(builtin_name, "defaults.ini") == 0))
		shadows = 1;
	if (!exists && !shadows)
		return 1;
	if (snprintf(key, sizeof key, "%s:%s", what, full) >= (int)sizeof key)
		key[sizeof key - 1] = '\0'; /* still tells this file from others */
	if (strcmp(u->confirm_path, key) == 0) {
		u->confirm_path[0] = '\0';
		if (rc == INISAVE_READONLY)
			*flags |= INISAVE_FORCE;
		return 1;
	}
	snprintf(u->confirm_path, sizeof u->confirm_path, "%s", key);
	if (shadows)
		ui_message(u, 1,
		           "%s is the name of a built-in preset: %s for --preset (p lists both); %s again "
		           "with the same name to do so",
		           builtin_name, shadows == 1 ? "yours will come first" : "it stays first", what);
	else
		ui_message(u, 1, "%s exists%s: %s again with the same name to replace it", full,
		           rc == INISAVE_READONLY ? " and is read-only" : "", what);
	return 0;
}

static void save_to(ui *u, const char *name)
{
	char path[4096], full[INISAVE_PATHLEN], err[INISAVE_PATHLEN + 512], header[4400];
	while (*name == ' ')
		name++;
	if (!*name) {
		ui_message(u, 1, "not saved: no name given");
		return;
	}
	if (save_path(name, path, sizeof path, err, sizeof err) < 0) {
		ui_message(u, 1, "not saved: %s", err);
		return;
	}
	unsigned flags = 0;
	if (!may_write(u, "save", path, strchr(name, '/') ? NULL : name, &flags))
		return;
	snprintf(header, sizeof header, "description: %s as changed in the calcium-stdp explorer", u->preset);
	/* The data set shown goes with the file, as a preset's does (see inifile.h). */
	char *real = u->ndata == 1 ? realpath(u->data[0].path, NULL) : NULL;
	if (real) {
		size_t used = strlen(header);
		snprintf(header + used, sizeof header - used, "\ndata: %s", real);
		free(real);
	}
	if (inisave_params(path, &u->params, header, flags, full, sizeof full, err, sizeof err) !=
	    INISAVE_OK) {
		ui_message(u, 1, "not saved: %s", err);
		return;
	}
	/* The file is the new reference: the marks now show changes from it. */
	u->reference = u->params;
	base_name(path, u->preset, sizeof u->preset);
	ui_message(u, 0, "saved %s", full);
}

static void export_to(ui *u, const char *name)
{
	char full[INISAVE_PATHLEN], err[INISAVE_PATHLEN + 512];
	while (*name == ' ')
		name++;
	if (!*name) {
		ui_message(u, 1, "not exported: no file name given");
		return;
	}
	unsigned flags = 0;
	if (!may_write(u, "export", name, NULL, &flags))
		return;
	batch_row *rows = malloc((size_t)(u->points ? u->points : 1) * sizeof *rows);
	if (!rows) {
		ui_message(u, 1, "not exported: out of memory");
		return;
	}
	int n = 0;
	for (int i = 0; i < u->points; i++)
		if (u->rows[i].reps)
			rows[n++] = u->rows[i];
	if (n == 0) {
		free(rows);
		ui_message(u, 1, "not exported: no point has repetitions yet");
		return;
	}
	if (ui_write_csv(name, &u->params, rows, n, flags, full, sizeof full, err, sizeof err) != INISAVE_OK)
		ui_message(u, 1, "not exported: %s", err);
	else
		ui_message(u, 0, "exported %d points%s to %s", n, u->complete ? "" : " (run not complete)",
		           full);
	free(rows);
}

static void save_typed(ui *u, const char *text)
{
	save_to(u, text);
}
static void export_typed(ui *u, const char *text)
{
	export_to(u, text);
}

static void save(ui *u)
{
	char name[128];
	/* A bare name goes to the user's preset folder, where p finds it again. */
	snprintf(name, sizeof name, "%s-mine", u->preset);
	for (char *c = name; *c; c++)
		if (*c == '\'')
			*c = 'p';
	ui_prompt_open(u, " save as (a name for your presets, or a path): ", name, 0, save_typed);
}

static void export(ui *u)
{
	char name[160];
	snprintf(name, sizeof name, "calcium-stdp-%s-seed%llu.csv", u->preset, (unsigned long long)u->seed);
	for (char *c = name; *c; c++)
		if (*c == '/' || *c == ' ' || *c == '\'')
			*c = '_';
	ui_prompt_open(u, " export CSV to: ", name, 0, export_typed);
}

/* The Brian2 script of the set and protocol shown, and the command line that rebuilds the set. */
static void brian2_to(ui *u, const char *name)
{
	char full[INISAVE_PATHLEN], err[INISAVE_PATHLEN + 512], cmd[2048], path[4096];
	while (*name == ' ')
		name++;
	if (!*name) {
		ui_message(u, 1, "not exported: no file name given");
		return;
	}
	unsigned flags = 0;
	if (!may_write(u, "export", name, NULL, &flags))
		return;
	/* The command line names the preset when the set comes from one: its file's values, as
	 * --preset reads them, are what the --set options go from. */
	param_set ref;
	params_defaults(&ref);
	int named =
	    presets_find(u->preset, path, sizeof path) == 0 && inifile_load(path, &ref, err, sizeof err) == 0;
	export_source src = {named ? u->preset : NULL, NULL, named ? &ref : NULL, PACKAGE_VERSION};
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (!m) {
		ui_message(u, 1, "not exported: out of memory");
		return;
	}
	int rc = export_brian2(m, &u->params, &src, err, sizeof err);
	if (fclose(m) != 0 && rc == 0) {
		rc = -1;
		snprintf(err, sizeof err, "out of memory");
	}
	if (rc == 0 &&
	    inisave_write(name, text, len, flags, full, sizeof full, err, sizeof err) != INISAVE_OK)
		rc = -1;
	free(text);
	if (rc < 0) {
		ui_message(u, 1, "not exported: %s", err);
		return;
	}
	if (export_command(&u->params, &src, cmd, sizeof cmd) < 0)
		snprintf(cmd, sizeof cmd, "(too long to show)");
	ui_message(u, 0, "Brian2 script in %s; this set: calcium-stdp%s%s", full, cmd[0] ? " " : "", cmd);
}

static void brian2_typed(ui *u, const char *text)
{
	brian2_to(u, text);
}

static void export_brian2_key(ui *u)
{
	char name[160];
	snprintf(name, sizeof name, "calcium-stdp-%s.py", u->preset);
	for (char *c = name; *c; c++)
		if (*c == '/' || *c == ' ' || *c == '\'')
			*c = '_';
	ui_prompt_open(u, " export a Brian2 script to: ", name, 0, brian2_typed);
}

static void record_toggle(ui *u)
{
	if (u->record_toggle)
		u->record_toggle(u);
}
static void record_step(ui *u)
{
	if (u->record_step)
		u->record_step(u);
}

/* q: quit at once, or ask first when the parameters have not been saved. */
static void quit(ui *u)
{
	ui_quit_ask(u);
}

/* ---- the table ---- */

/* clang-format off */
/* The rows leave their last members out on purpose (C11 6.7.9: they are zero); clang's -Wextra would
 * flag every row, also when a user's CFLAGS turn -Wextra on after configure's -Wno-. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
const keys_command commands_table[] = {
    {"select-up", select_up, {KEY_UP, 'k'}, "Up/Down  k/j", "select a parameter",
     1, "Up/Down", "↑↓", "select", 1, "parameter"},
    {"select-down", select_down, {KEY_DOWN, 'j'}, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL},
    {"step-down", step_down, {KEY_LEFT, 'h'}, "Left/Right  h/l",
     "step it down / up (fine or coarse step, see [ ])", 2, "Left/Right", "←→", "adjust", 2, "change"},
    {"step-up", step_up, {KEY_RIGHT, 'l'}, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL},
    {"coarse-down", coarse_down, {KEY_SLEFT, 'H'}, "H/L  Shift+Left/Right", "coarse step down / up",
     0, NULL, NULL, NULL, 0, NULL},
    {"coarse-up", coarse_up, {KEY_SRIGHT, 'L'}, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL},
    {"fine-steps", fine_steps, {'['}, "[  ]", "Left/Right take the fine / the coarse step",
     8, "[ ]", NULL, "fine/coarse", 0, NULL},
    {"coarse-steps", coarse_steps, {']'}, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL},
    {"type-value", type_value, {'\r', '\n', KEY_ENTER}, "Enter", "type an exact value for the parameter",
     7, "Enter", NULL, "type", 7, NULL},
    {"reset", reset_one, {'r'}, "r  R", "reset this parameter / all of them to the preset",
     0, NULL, NULL, NULL, 0, NULL},
    {"reset-all", reset_all, {'R'}, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL},
    {"select-first", select_first, {KEY_HOME, 'g'}, "Home/End  g/G", "first / last parameter",
     0, NULL, NULL, NULL, 0, NULL},
    {"select-last", select_last, {KEY_END, 'G'}, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL},
    {"page-up", page_up, {KEY_PPAGE}, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL},
    {"page-down", page_down, {KEY_NPAGE}, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL},
    {"presets", open_presets, {'p'}, "p", "pick a preset (Enter loads it, Esc cancels)",
     9, "p", NULL, "presets", 8, NULL},
    {"save", save, {'s'}, "s", "save the parameters as INI (asks for a name)",
     10, "s", NULL, "save", 0, NULL},
    {"export", export, {'e'}, "e", "export the curve as CSV (asks for a name)",
     11, "e", NULL, "export", 0, NULL},
    {"export-brian2", export_brian2_key, {'B'}, "B",
     "export a Brian2 script of the set and protocol (asks for a name)",
     17, "B", NULL, "brian2", 0, NULL},
    {"new-seed", new_seed, {'n'}, "n", "run again with a new seed",
     12, "n", NULL, "seed", 0, NULL},
    {"more-reps", more_reps, {'+', '='}, "+", "add repetitions (as many again as --reps)",
     13, "+", NULL, "reps", 0, NULL},
    {"pause", toggle_pause, {' '}, "space", "pause / resume the simulation",
     14, "space", NULL, "pause", 9, NULL},
    {"cursor-left", cursor_left, {'<', ','}, "<  ,", "cursor one point left (or click on the plot)",
     3, "< >", NULL, "cursor", 4, NULL},
    {"cursor-right", cursor_right, {'>', '.'}, ">  .", "cursor one point right",
     0, NULL, NULL, NULL, 0, NULL},
    {"calcium", show_calcium, {'c'}, "c", "calcium view at the cursor: thresholds, alphas (weight model: x too)",
     4, "c", NULL, "calcium", 5, NULL},
    {"efficacy", show_efficacy, {'v'}, "v", "efficacy view: sample rho(t) from DOWN and UP (weight model: w(t))",
     5, "v", NULL, "efficacy", 6, NULL},
    {"map", open_map, {'m'}, "m", "map of curve classes (theta_d x theta_p at first)",
     0, NULL, NULL, NULL, 0, NULL},
    {NULL, NULL, {0}, "in the map", "arrows move, Enter loads, x X y Y axes, Esc or m closes, q quits",
     0, NULL, NULL, NULL, 0, NULL},
    /* The map's hints line (view_map.c reads these keys itself). */
    {NULL, NULL, {0}, NULL, NULL, 1, "arrows", NULL, "move", 0, NULL, "map"},
    {NULL, NULL, {0}, NULL, NULL, 2, "Enter", NULL, "load cell", 0, NULL, "map"},
    {NULL, NULL, {0}, NULL, NULL, 3, "x X y Y", NULL, "axes", 0, NULL, "map"},
    {NULL, NULL, {0}, NULL, NULL, KEYS_TAIL, "Esc m", NULL, "close", 0, NULL, "map"},
    {NULL, NULL, {0}, NULL, NULL, KEYS_TAIL + 1, "q", NULL, "quit", 0, NULL, "map"},
    {"back", back, {KEY_ESC}, "Esc", "close the view; again: leave presentation mode",
     0, NULL, NULL, NULL, 0, NULL},
    {"present", toggle_present, {'P', KEY_F(5)}, "P  F5", "presentation mode: the plot fills the screen",
     6, "P", NULL, "present", 3, "leave"},
    {"analytic", toggle_analytic, {'a'}, "a", "analytic curve on / off",
     15, "a", NULL, "analytic", 10, NULL},
    {"frequencies", toggle_frequencies, {'f'}, "f", "pairs: the curves at 1, 20, 30, 40, 50 Hz too (Fig. 4B)",
     0, NULL, NULL, NULL, 0, NULL},
    {"y-range", toggle_yrange, {'y'}, "y", "y axis: fitted to the data / fixed 0.3 to 1.7 (to compare sets)",
     16, "y", NULL, "scale", 11, NULL},
    {"glyphs", cycle_glyphs, {'b'}, "b", "glyphs of the plot: braille, block, ascii",
     0, NULL, NULL, NULL, 0, NULL},
    {"remember", remember, {'M'}, "M", "remember the glyphs, theme, y scale and link rate for the next start",
     0, NULL, NULL, NULL, 0, NULL},
    {"undo", undo, {'u'}, "u  U", "undo / redo a parameter change (sliders, presets, fits)",
     0, NULL, NULL, NULL, 0, NULL},
    {"redo", redo, {'U'}, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL},
    {"pin", pin_curve, {'i'}, "i  I", "pin the current curve (up to 4 stay while sliders move) / clear pins",
     0, NULL, NULL, NULL, 0, NULL},
    {"pins-clear", pins_off, {'I'}, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL},
    {"fit-mark", fit_mark, {'t'}, "t", "mark / unmark the selected parameter for the fit",
     0, NULL, NULL, NULL, 0, NULL},
    {"fit", fit, {'F'}, "F", "fit the marked parameters to the data in the background (F again cancels)",
     0, NULL, NULL, NULL, 0, NULL},
    {"record", record_toggle, {'W'}, "W  w",
     "record a lesson: W starts / stops, w adds the screen as a step",
     0, NULL, NULL, NULL, 0, NULL},
    {"record-step", record_step, {'w'}, NULL, NULL, 0, NULL, NULL, NULL, 0, NULL},
    {NULL, NULL, {0}, "in a lesson", "space or Right: next step, Left: back a step, q: leave the lesson",
     0, NULL, NULL, NULL, 0, NULL},
    {"help", open_help, {'?', KEY_F(1)}, "?  F1", "this help",
     KEYS_TAIL, "?", NULL, "help", KEYS_TAIL, NULL},
    {"quit", quit, {'q', 'Q'}, "q  Ctrl-C", "quit (q asks first when the parameters are not saved)",
     KEYS_TAIL + 1, "q", NULL, "quit", KEYS_TAIL + 1, NULL},
    {"repaint", repaint, {CTRL_KEY('L')}, "Ctrl-L", "repaint the whole screen",
     0, NULL, NULL, NULL, 0, NULL},
    {NULL, NULL, {0}, "mouse", "click a parameter; click or drag its bar to set it",
     0, NULL, NULL, NULL, 0, NULL},
    {NULL, NULL, {0}, "in a prompt", "Enter accepts, Esc or Ctrl-C cancels, Ctrl-U clears",
     0, NULL, NULL, NULL, 0, NULL},
};
/* clang-format on */
const int commands_count = (int)(sizeof commands_table / sizeof commands_table[0]);

void commands_key(ui *u, int is_key, int ch)
{
	u->msg[0] = '\0';
	if (!is_key && ch > 127)
		return;
	const keys_command *c = keys_find(u->commands, u->ncommands, ch);
	if (c)
		c->run(u);
}

void commands_mouse(ui *u, const MEVENT *ev)
{
	int on_bar = 0;
	double frac = 0;
	if (u->lay.too_small)
		return;
	if (ev->bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
		u->msg[0] = '\0';
		int i = sliders_hit(&u->lay, u->first, u->nvis, ev->x, ev->y, &on_bar, &frac);
		if (i < 0) {
			/* On the plot: the cursor goes to the nearest point. */
			int k = ui_plot_point_at(u, ev->x, ev->y);
			if (k >= 0)
				ui_cursor_set(u, k);
			return;
		}
		ui_select(u, i);
		if (on_bar) {
			u->drag = ev->bstate & BUTTON1_PRESSED ? i : -1;
			set_value(u, u->vis[i], sliders_value_at(u->vis[i], frac));
		}
	} else if (u->drag >= 0 && (ev->bstate & (REPORT_MOUSE_POSITION | BUTTON1_RELEASED))) {
		int id = u->vis[u->drag];
		set_value(u, id, sliders_value_at(id, sliders_drag_fraction(&u->lay, ev->x)));
		if (ev->bstate & BUTTON1_RELEASED)
			u->drag = -1;
	} else if (ev->bstate & BUTTON4_PRESSED) {
		ui_select(u, u->selected - 1);
	} else if (ev->bstate & BUTTON5_PRESSED) {
		ui_select(u, u->selected + 1);
	}
}
