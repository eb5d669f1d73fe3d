/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The help view: every entry of the command table (keys.h), then what the picture shows, in a box
 * over the screen. It scrolls
 * when taller than the screen (Up/Down, the page keys); any other key or a click closes it. */
#include "ui.h"

#include <stdio.h>
#include <string.h>

#include "paint.h"

#define HELP_ROWS_MAX 128

/* After the keys, what the picture shows: its layers and the readout under the plot. An entry's
 * index k in a help line is -1 - its index here. */
static const struct {
	const char *what, *help;
} picture[] = {
    {"the picture:", "what the plot shows (the keys are above)"},
    {"filled cells", "the simulation: the change in strength at each point; the column of dots through "
                     "each is its 95% interval"},
    {"double line", "the analytic curve (the paper's Ornstein-Uhlenbeck approximation)"},
    {"sparse dots", "change = 1 (no change) across, dt = 0 up; the cursor's column, ^ under the axis"},
    {"*", "measured points, their bars the SEM"},
    {"1 2 3 4", "the points of pinned curves (i); their lines have patterns of their own"},
    {"the readout", "under the plot, at the cursor: the simulated change [its 95% interval], U (the share "
                    "of synapses started DOWN that end UP), D (started UP, end DOWN), n repetitions, "
                    "and the analytic change"},
};
#define NPICTURE (int)(sizeof picture / sizeof picture[0])

static const char *entry_keys(const ui *u, int k)
{
	return k >= 0 ? u->commands[k].keys : picture[-1 - k].what;
}

static const char *entry_help(const ui *u, int k)
{
	return k >= 0 ? u->commands[k].help : picture[-1 - k].help;
}

/* The table's documented rows, as indices into u->commands. */
static int help_rows(const ui *u, int *rows)
{
	return keys_help_rows(u->commands, u->ncommands < HELP_ROWS_MAX ? u->ncommands : HELP_ROWS_MAX, rows);
}

static int keys_width(const ui *u, const int *rows, int n)
{
	int kw = 0;
	for (int i = 0; i < n; i++)
		if ((int)strlen(u->commands[rows[i]].keys) > kw)
			kw = (int)strlen(u->commands[rows[i]].keys);
	for (int i = 0; i < NPICTURE; i++)
		if ((int)strlen(picture[i].what) > kw)
			kw = (int)strlen(picture[i].what);
	return kw;
}

/* The help box: wide enough for every key's text beside its keys (at least 80 columns) when the
 * screen allows, as tall as its lines or the screen allows (status and hints stay visible below
 * it). In a narrower box a text wraps between words; a box too narrow for two columns lists each
 * key on a line of its own with its text wrapped under it. */
static int help_width(const ui *u, const int *rows, int n)
{
	int want = 80;
	for (int i = 0; i < n; i++) {
		int need = keys_width(u, rows, n) + 6 + (int)strlen(u->commands[rows[i]].help);
		if (need > want)
			want = need;
	}
	return COLS - 4 < want ? COLS - 4 : want;
}

/* Whether a box w wide has the keys and their texts side by side. */
static int two_columns(int kw, int w)
{
	return kw + 4 + 24 <= w - 2;
}

/* One line of the box: entry k's keys and/or a part of its text. */
typedef struct help_line {
	int k;            /* index into u->commands */
	const char *what; /* a part of the text, or NULL for the keys alone */
	int len;          /* bytes of what on this line */
	int keys;         /* 1: the keys stand at the left of this line */
} help_line;

#define HELP_LINES_MAX 256

static int help_lines(const ui *u, const int *rows, int nrows, int w, help_line *out)
{
	int kw = keys_width(u, rows, nrows), n = 0, two = two_columns(kw, w);
	int tw = two ? w - kw - 6 : w - 6;
	if (tw < 8)
		tw = 8;
	for (int r = 0; r < nrows + NPICTURE && n < HELP_LINES_MAX; r++) {
		int k = r < nrows ? rows[r] : -1 - (r - nrows);
		if (r == nrows && n < HELP_LINES_MAX)
			out[n++] = (help_line){k, NULL, 0, 0}; /* a blank line before the picture */
		if (!two)
			out[n++] = (help_line){k, NULL, 0, 1};
		int first = 1;
		for (const char *s = entry_help(u, k); *s && n < HELP_LINES_MAX;) {
			int len = (int)strlen(s), take = len;
			if (len > tw) {
				for (take = tw; take > 0 && s[take] != ' '; take--)
					;
				if (take == 0)
					take = tw;
			}
			out[n++] = (help_line){k, s, take, two && first};
			first = 0;
			s += take;
			while (*s == ' ')
				s++;
		}
	}
	return n;
}

static int box_rows(int nlines)
{
	return nlines + 2 < LINES - 2 ? nlines + 2 : LINES - 2;
}

static void help_close(ui *u)
{
	u->help_first = 0;
}

static void help_key(ui *u, int is_key, int ch)
{
	help_line lines[HELP_LINES_MAX];
	int rows[HELP_ROWS_MAX], nrows = help_rows(u, rows);
	int n = help_lines(u, rows, nrows, help_width(u, rows, nrows), lines);
	int shown = box_rows(n) - 2, last = n - shown, step = 0;
	if (is_key)
		step = ch == KEY_DOWN    ? 1
		       : ch == KEY_UP    ? -1
		       : ch == KEY_NPAGE ? shown
		       : ch == KEY_PPAGE ? -shown
		                         : 0;
	else
		step = ch == 'j' ? 1 : ch == 'k' ? -1 : 0;
	/* Only a help taller than the screen scrolls; any other key closes it. */
	if (step == 0 || last <= 0) {
		ui_view_close(u);
		return;
	}
	int first = u->help_first + step;
	u->help_first = first < 0 ? 0 : first > last ? last : first;
	ui_dirty(u);
}

static void help_mouse(ui *u, const MEVENT *ev)
{
	if (ev->bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
		ui_view_close(u);
}

static void help_draw(ui *u, sliders_rect r, char *title, size_t len)
{
	(void)r;
	(void)title;
	(void)len;
	help_line lines[HELP_LINES_MAX];
	int rows[HELP_ROWS_MAX], nrows = help_rows(u, rows);
	int kw = keys_width(u, rows, nrows);
	/* Over the title, the panel and the plot: the status and hints lines stay visible. */
	int w = help_width(u, rows, nrows);
	int n = help_lines(u, rows, nrows, w, lines);
	int h = box_rows(n);
	int x0 = (COLS - w) / 2, y0 = (LINES - 2 - h) / 2;
	int shown = h - 2, first = u->help_first;
	if (first > n - shown)
		first = n - shown > 0 ? n - shown : 0;
	attr_t frame = ui_attr(u, CC_AXIS);
	paint_over_box(u->utf8, x0, y0, w, h, frame);
	paint_text(y0, x0 + 2, w - 4,
	           w - 4 >= 36 ? " calcium-stdp keys, and the picture " : " calcium-stdp keys ",
	           ui_attr(u, UR_KEY));
	attrset(frame);
	/* The longest wording of the footer that fits the border. */
	char more[3][96];
	snprintf(more[0], sizeof more[0], " %d-%d of %d: Up/Down scroll, any other key closes ", first + 1,
	         first + shown, n);
	snprintf(more[1], sizeof more[1], " %d-%d of %d: Up/Down ", first + 1, first + shown, n);
	snprintf(more[2], sizeof more[2], " %d-%d/%d ", first + 1, first + shown, n);
	if (shown < n) {
		int m = 0;
		while (m < 2 && (int)strlen(more[m]) > w - 4)
			m++;
		mvaddnstr(y0 + h - 1, x0 + 2, more[m], w - 4);
	} else {
		mvaddnstr(y0 + h - 1, x0 + 2, " any key closes this help ", w - 4);
	}
	int tx = two_columns(kw, w) ? x0 + 4 + kw : x0 + 4;
	for (int i = 0; i < shown && first + i < n; i++) {
		const help_line *l = &lines[first + i];
		if (l->keys) {
			attrset(ui_attr(u, UR_KEY));
			mvaddnstr(y0 + 1 + i, x0 + 2, entry_keys(u, l->k), w - 4);
		}
		if (l->what) {
			attrset(A_NORMAL);
			mvaddnstr(y0 + 1 + i, tx, l->what,
			          l->len < x0 + w - 2 - tx ? l->len : x0 + w - 2 - tx);
		}
	}
	attrset(A_NORMAL);
}

const ui_view view_help = {
    .name = "help",
    .place = UI_OVER,
    .close = help_close,
    .key = help_key,
    .mouse = help_mouse,
    .draw = help_draw,
};
