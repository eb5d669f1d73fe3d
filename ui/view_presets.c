/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preset picker: the built-in presets and the user's, in a box over the screen; Enter loads
 * one (its model values, the repetitions and the seed stay), Esc cancels. */
#include "ui.h"

#include <stdio.h>
#include <string.h>

#include "inifile.h"
#include "paint.h"

static int shown_rows(const ui *u)
{
	return LINES - 8 < u->npresets ? LINES - 8 : u->npresets;
}

static void presets_open(ui *u)
{
	presets_free(u->presets, u->npresets);
	u->presets = NULL;
	u->npresets = presets_list(&u->presets);
	if (u->npresets <= 0) {
		u->npresets = 0;
		ui_message(u, 1, "no presets found (see --list-presets)");
		ui_view_close(u);
		return;
	}
	u->preset_sel = 0;
	for (int i = 0; i < u->npresets; i++)
		if (strcmp(u->presets[i].name, u->preset) == 0)
			u->preset_sel = i;
	u->preset_first = sliders_scroll(u->preset_sel, 0, shown_rows(u), u->npresets);
}

static void presets_close(ui *u)
{
	presets_free(u->presets, u->npresets);
	u->presets = NULL;
	u->npresets = 0;
}

static void pick(ui *u)
{
	char err[INIFILE_ERRLEN], name[64], path[4096], label[80];
	const presets_entry *e = &u->presets[u->preset_sel];
	/* As on the command line: defaults < preset. The run settings that have keys of their own
	 * (repetitions: +, seed: n) stay as they are: a preset is about the model. */
	param_set p;
	params_defaults(&p);
	int rc = inifile_load(e->path, &p, err, sizeof err);
	p.v[P_REPS] = u->params.v[P_REPS];
	p.v[P_SEED] = u->params.v[P_SEED];
	snprintf(name, sizeof name, "%s", e->name);
	snprintf(path, sizeof path, "%s", e->path);
	ui_view_close(u);
	if (rc < 0) {
		ui_message(u, 1, "%s", err);
		return;
	}
	/* Recorded for undo once the reference has changed too. */
	u->history_quiet = 1;
	rc = ui_set_params(u, &p);
	u->history_quiet = 0;
	if (rc < 0)
		return;
	u->reference = p;
	snprintf(u->preset, sizeof u->preset, "%s", name);
	snprintf(label, sizeof label, "preset %s", name);
	ui_record(u, label);
	ui_message(u, 0, "preset %s", name);
	ui_preset_data(u, path);
}

static void presets_key(ui *u, int is_key, int ch)
{
	(void)is_key;
	switch (ch) {
	case KEY_UP:
	case 'k':
		if (u->preset_sel > 0)
			u->preset_sel--;
		break;
	case KEY_DOWN:
	case 'j':
		if (u->preset_sel < u->npresets - 1)
			u->preset_sel++;
		break;
	case KEY_HOME:
	case 'g':
		u->preset_sel = 0;
		break;
	case KEY_END:
	case 'G':
		u->preset_sel = u->npresets - 1;
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
		pick(u);
		return;
	case 27: /* Esc */
	case 'q':
	case 'p':
		ui_view_close(u);
		return;
	default:
		return;
	}
	u->preset_first = sliders_scroll(u->preset_sel, u->preset_first, shown_rows(u), u->npresets);
	ui_dirty(u);
}

/* The picker over the plot. */
static void presets_draw(ui *u, sliders_rect screen, char *title, size_t len)
{
	(void)screen;
	(void)title;
	(void)len;
	int w = COLS - 8 < 76 ? COLS - 8 : 76;
	int vis = shown_rows(u);
	if (vis < 1)
		vis = 1;
	sliders_rect r = {(COLS - w) / 2, (LINES - (vis + 4)) / 2, w, vis + 4};
	/* Its rows blank across the screen: nothing under it shows cut at its edges. */
	attrset(A_NORMAL);
	for (int y = r.y; y < r.y + r.h; y++)
		mvhline(y, 0, ' ', COLS);
	const char *t = "presets: Up/Down choose, Enter load, Esc cancel";
	if ((int)strlen(t) + 6 > r.w)
		t = (int)strlen("presets: Enter load, Esc cancel") + 6 <= r.w
		        ? "presets: Enter load, Esc cancel"
		        : "presets";
	paint_box(u->utf8, r, ui_attr(u, CC_AXIS), t, ui_attr(u, CC_LABEL) | A_BOLD);
	if (u->npresets == 0)
		paint_text(r.y + 2, r.x + 2, r.w - 4, "no presets found", A_NORMAL);
	int nw = 4;
	for (int k = 0; k < u->npresets; k++)
		if ((int)strlen(u->presets[k].name) > nw)
			nw = (int)strlen(u->presets[k].name);
	if (nw > 24)
		nw = 24;
	for (int i = 0; i < vis && u->preset_first + i < u->npresets; i++) {
		int k = u->preset_first + i;
		const presets_entry *e = &u->presets[k];
		char line[512];
		snprintf(line, sizeof line, "%c %-*s  %s%s", k == u->preset_sel ? '>' : ' ', nw, e->name,
		         e->user ? "(yours) " : "", e->description);
		attr_t a = k == u->preset_sel ? ui_attr(u, UR_SELECTED) : A_NORMAL;
		if (k == u->preset_sel) {
			attrset(a);
			mvhline(r.y + 2 + i, r.x + 1, ' ', r.w - 2);
		}
		paint_text(r.y + 2 + i, r.x + 2, r.w - 4, line, a);
	}
}

const ui_view view_presets = {
    .name = "presets",
    .place = UI_OVER,
    .hides_selection = 1,
    .open = presets_open,
    .close = presets_close,
    .key = presets_key,
    .draw = presets_draw,
};
