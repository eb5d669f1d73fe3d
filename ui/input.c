/* Keys and the mouse. Every key is handled at once and only changes state; the simulation never
 * holds a key up (a parameter change restarts the engine in the background). */
#include "ui.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#define CTRL_KEY(c) ((c)&0x1f)
#define KEY_ESC     27

/* ---- the one-line editor of prompts (UTF-8 text, cursor on character boundaries) ---- */

static void prompt_open(ui *u, enum ui_prompt_kind kind, const char *label, const char *text)
{
	ui_prompt *p = &u->prompt;
	p->kind = kind;
	snprintf(p->label, sizeof p->label, "%s", label);
	snprintf(p->text, sizeof p->text, "%s", text);
	p->len = (int)strlen(p->text);
	p->cursor = p->len;
	u->mode = UI_PROMPT;
}

static int char_start(const char *s, int i)
{
	while (i > 0 && (s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static int next_char(const ui_prompt *p, int i)
{
	if (i >= p->len)
		return p->len;
	i++;
	while (i < p->len && (p->text[i] & 0xC0) == 0x80)
		i++;
	return i;
}

static void prompt_delete(ui_prompt *p, int from, int to)
{
	memmove(p->text + from, p->text + to, (size_t)(p->len - to) + 1);
	p->len -= to - from;
	if (p->cursor > to)
		p->cursor -= to - from;
	else if (p->cursor > from)
		p->cursor = from;
}

static void prompt_insert(ui_prompt *p, wchar_t wc)
{
	char mb[8];
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = wcrtomb(mb, wc, &st);
	if (n == (size_t)-1 || p->len + (int)n >= (int)sizeof p->text)
		return;
	memmove(p->text + p->cursor + n, p->text + p->cursor, (size_t)(p->len - p->cursor) + 1);
	memcpy(p->text + p->cursor, mb, n);
	p->len += (int)n;
	p->cursor += (int)n;
}

static void prompt_accept(ui *u)
{
	ui_prompt *p = &u->prompt;
	u->mode = UI_NORMAL;
	switch (p->kind) {
	case PROMPT_VALUE: {
		int id = u->vis[u->selected];
		char err[256];
		double v;
		/* Validated exactly as --set is: on a bad value the old one stays. */
		if (params_parse_value(id, p->text, &v, err, sizeof err) < 0) {
			ui_message(u, 1, "%s", err);
			return;
		}
		param_set ps = u->params;
		ps.v[id] = v;
		ui_set_params(u, &ps);
		break;
	}
	case PROMPT_SAVE:
		ui_save(u, p->text);
		break;
	case PROMPT_EXPORT:
		ui_export(u, p->text);
		break;
	case PROMPT_QUIT:
		break; /* answered by a key: see quit_key */
	}
}

/* Whether the parameters differ from the last loaded or saved ones (the "*" after the preset's
 * name): the sliders' parameters, not the repetitions or the seed, which + and n change freely. */
static int unsaved(const ui *u)
{
	for (int i = 0; i < sliders_count; i++)
		if (u->params.v[sliders_order[i]] != u->reference.v[sliders_order[i]])
			return 1;
	return 0;
}

/* q: quit at once, or ask first when the parameters have not been saved. */
static void quit_asking(ui *u)
{
	if (!unsaved(u)) {
		ui_quit(u, 0);
		return;
	}
	prompt_open(u, PROMPT_QUIT, " unsaved changes (s saves them): quit anyway? y/n ", "");
}

/* The answer to PROMPT_QUIT: y quits; anything else keeps the explorer open. */
static void quit_key(ui *u, int is_key, wint_t ch)
{
	u->mode = UI_NORMAL;
	if (!is_key && (ch == 'y' || ch == 'Y')) {
		ui_quit(u, 0);
		return;
	}
	ui_message(u, 0, "not quitting");
}

int input_interrupt(ui *u)
{
	if (u->mode != UI_PROMPT)
		return 0;
	u->mode = UI_NORMAL;
	ui_message(u, 0, "cancelled (Ctrl-C again quits)");
	ui_dirty(u);
	return 1;
}

static void prompt_key(ui *u, int is_key, wint_t ch)
{
	ui_prompt *p = &u->prompt;
	if (p->kind == PROMPT_QUIT) {
		quit_key(u, is_key, ch);
		return;
	}
	if (!is_key && ch >= ' ' && ch != 127) {
		prompt_insert(p, (wchar_t)ch);
		return;
	}
	switch (ch) {
	case '\r':
	case '\n':
	case KEY_ENTER:
		prompt_accept(u);
		break;
	case KEY_ESC:
		u->mode = UI_NORMAL;
		break;
	case KEY_BACKSPACE:
	case 127:
	case CTRL_KEY('H'):
		if (p->cursor > 0)
			prompt_delete(p, char_start(p->text, p->cursor - 1), p->cursor);
		break;
	case KEY_DC:
	case CTRL_KEY('D'):
		prompt_delete(p, p->cursor, next_char(p, p->cursor));
		break;
	case KEY_LEFT:
	case CTRL_KEY('B'):
		if (p->cursor > 0)
			p->cursor = char_start(p->text, p->cursor - 1);
		break;
	case KEY_RIGHT:
	case CTRL_KEY('F'):
		p->cursor = next_char(p, p->cursor);
		break;
	case KEY_HOME:
	case CTRL_KEY('A'):
		p->cursor = 0;
		break;
	case KEY_END:
	case CTRL_KEY('E'):
		p->cursor = p->len;
		break;
	case CTRL_KEY('U'):
		prompt_delete(p, 0, p->cursor);
		break;
	case CTRL_KEY('K'):
		prompt_delete(p, p->cursor, p->len);
		break;
	case CTRL_KEY('W'): {
		int i = p->cursor;
		while (i > 0 && p->text[i - 1] == ' ')
			i--;
		while (i > 0 && p->text[i - 1] != ' ' && p->text[i - 1] != '/')
			i--;
		prompt_delete(p, i, p->cursor);
		break;
	}
	default:
		break;
	}
}

/* ---- sliders ---- */

static void select_slider(ui *u, int i)
{
	if (i >= u->nvis)
		i = u->nvis - 1;
	if (i < 0)
		i = 0;
	u->selected = i;
	u->first = sliders_scroll(i, u->first, u->lay.rows_visible, u->nvis);
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
	int id = u->vis[u->selected];
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

static void open_value_prompt(ui *u)
{
	int id = u->vis[u->selected];
	char label[96], val[64];
	const param_info *pi = &params_table[id];
	snprintf(label, sizeof label, " %s%s%s%s = ", pi->name, pi->unit[0] ? " (" : "", pi->unit,
	         pi->unit[0] ? ")" : "");
	params_format_value(id, u->params.v[id], val, sizeof val);
	prompt_open(u, PROMPT_VALUE, label, val);
}

static void open_save_prompt(ui *u)
{
	char name[128];
	/* A bare name goes to the user's preset folder, where p finds it again. */
	snprintf(name, sizeof name, "%s%s", u->preset, strcmp(u->preset, "defaults") ? "-mine" : "");
	for (char *c = name; *c; c++)
		if (*c == '\'')
			*c = 'p';
	prompt_open(u, PROMPT_SAVE, " save as (a name for your presets, or a path): ", name);
}

static void open_export_prompt(ui *u)
{
	char name[160];
	snprintf(name, sizeof name, "calcium-stdp-%s-seed%llu.csv", u->preset, (unsigned long long)u->seed);
	for (char *c = name; *c; c++)
		if (*c == '/' || *c == ' ' || *c == '\'')
			*c = '_';
	prompt_open(u, PROMPT_EXPORT, " export CSV to: ", name);
}

static void reset_all(ui *u)
{
	param_set p = u->params;
	for (int i = 0; i < sliders_count; i++)
		p.v[sliders_order[i]] = u->reference.v[sliders_order[i]];
	if (ui_set_params(u, &p) == 0)
		ui_message(u, 0, "every parameter as in %s", u->preset);
}

static void normal_key(ui *u, int is_key, wint_t ch)
{
	int id = u->vis[u->selected];
	u->msg[0] = '\0';
	if (!is_key && ch > 127)
		return;
	switch (ch) {
	case KEY_UP:
	case 'k':
		select_slider(u, u->selected - 1);
		break;
	case KEY_DOWN:
	case 'j':
		select_slider(u, u->selected + 1);
		break;
	case KEY_HOME:
	case 'g':
		select_slider(u, 0);
		break;
	case KEY_END:
	case 'G':
		select_slider(u, u->nvis - 1);
		break;
	case KEY_PPAGE:
		select_slider(u, u->selected - u->lay.rows_visible);
		break;
	case KEY_NPAGE:
		select_slider(u, u->selected + u->lay.rows_visible);
		break;
	case KEY_LEFT:
	case 'h':
		step_selected(u, -1, u->coarse);
		break;
	case KEY_RIGHT:
	case 'l':
		step_selected(u, +1, u->coarse);
		break;
	case KEY_SLEFT:
	case 'H':
		step_selected(u, -1, 1);
		break;
	case KEY_SRIGHT:
	case 'L':
		step_selected(u, +1, 1);
		break;
	case '[':
		u->coarse = 0;
		ui_message(u, 0, "Left/Right: fine step");
		break;
	case ']':
		u->coarse = 1;
		ui_message(u, 0, "Left/Right: coarse step");
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
		open_value_prompt(u);
		break;
	case 'r':
		set_value(u, id, u->reference.v[id]);
		break;
	case 'R':
		reset_all(u);
		break;
	case 'p':
		ui_presets_open(u);
		break;
	case 's':
		open_save_prompt(u);
		break;
	case 'e':
		open_export_prompt(u);
		break;
	case 'n':
		ui_new_seed(u);
		break;
	case '+':
	case '=':
		ui_more_reps(u);
		break;
	case ' ':
		ui_toggle_pause(u);
		break;
	case '<':
	case ',':
		ui_cursor_set(u, u->cursor - 1);
		break;
	case '>':
	case '.':
		ui_cursor_set(u, u->cursor + 1);
		break;
	case 'c':
		ui_view_toggle(u, VIEWS_CALCIUM);
		break;
	case 'm':
		mapview_open(u);
		break;
	case 'v':
		ui_view_toggle(u, VIEWS_EFFICACY);
		break;
	case 'P':
	case KEY_F(5):
		ui_present_toggle(u);
		break;
	case KEY_ESC:
		/* Back towards the plain screen, one step at a time. */
		if (u->view != VIEWS_NONE)
			ui_view_toggle(u, u->view);
		else if (u->present)
			ui_present_toggle(u);
		break;
	case 'a':
		u->show_analytic = !u->show_analytic;
		break;
	case 'f':
		u->freq_overlay = !u->freq_overlay;
		u->analytic_stale = 1;
		if (u->freq_overlay && (int)u->params.v[P_PROTOCOL] != PROTO_PAIRS)
			ui_message(u, 1, "the frequency overlay is for the pairs protocol");
		break;
	case 'y':
		u->yfixed = !u->yfixed;
		break;
	case 'b':
		draw_cycle_glyphs(u);
		break;
	case 'u':
		ui_undo(u);
		break;
	case 'U':
		ui_redo(u);
		break;
	case 'i':
		ui_pin(u);
		break;
	case 'I':
		ui_pins_clear(u);
		break;
	case 't':
		ui_fit_mark(u);
		break;
	case 'F':
		ui_fit(u);
		break;
	case '?':
	case KEY_F(1):
		u->mode = UI_HELP;
		break;
	case 'q':
	case 'Q':
		quit_asking(u);
		return;
	case CTRL_KEY('L'):
		clearok(curscr, TRUE);
		break;
	default:
		break;
	}
}

static void presets_key(ui *u, int ch)
{
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
		ui_presets_pick(u);
		return;
	case KEY_ESC:
	case 'q':
	case 'p':
		ui_presets_close(u);
		return;
	default:
		return;
	}
	int vis = LINES - 8 < u->npresets ? LINES - 8 : u->npresets;
	u->preset_first = sliders_scroll(u->preset_sel, u->preset_first, vis, u->npresets);
}

/* ---- the mouse ---- */

static void mouse_event(ui *u)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return;
	if (u->mode == UI_HELP || u->mode == UI_REPORT) {
		if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
			u->mode = UI_NORMAL;
		return;
	}
	if (u->mode != UI_NORMAL || u->lay.too_small)
		return;
	int on_bar = 0;
	double frac = 0;
	if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
		u->msg[0] = '\0';
		int i = sliders_hit(&u->lay, u->first, u->nvis, ev.x, ev.y, &on_bar, &frac);
		if (i < 0) {
			/* On the plot: the cursor goes to the nearest point. */
			int k = draw_plot_point_at(u, ev.x, ev.y);
			if (k >= 0)
				ui_cursor_set(u, k);
			return;
		}
		select_slider(u, i);
		if (on_bar) {
			u->drag = ev.bstate & BUTTON1_PRESSED ? i : -1;
			set_value(u, u->vis[i], sliders_value_at(u->vis[i], frac));
		}
	} else if (u->drag >= 0 && (ev.bstate & (REPORT_MOUSE_POSITION | BUTTON1_RELEASED))) {
		int id = u->vis[u->drag];
		set_value(u, id, sliders_value_at(id, sliders_drag_fraction(&u->lay, ev.x)));
		if (ev.bstate & BUTTON1_RELEASED)
			u->drag = -1;
	} else if (ev.bstate & BUTTON4_PRESSED) {
		select_slider(u, u->selected - 1);
	} else if (ev.bstate & BUTTON5_PRESSED) {
		select_slider(u, u->selected + 1);
	}
}

/* ---- dispatch ---- */

static void key(ui *u, int is_key, wint_t ch)
{
	if (is_key && ch == KEY_RESIZE)
		return; /* resizeterm's echo of the SIGWINCH already handled */
	if (is_key && ch == KEY_MOUSE) {
		mouse_event(u);
	} else {
		switch (u->mode) {
		case UI_PROMPT:
			prompt_key(u, is_key, ch);
			break;
		case UI_HELP:
			help_keypress(u, is_key, (int)ch);
			break;
		case UI_PRESETS:
			presets_key(u, (int)ch);
			break;
		case UI_MAP:
			mapview_keypress(u, is_key, (int)ch);
			break;
		case UI_REPORT:
			/* Any key closes the report; u also undoes the fit it reports. */
			u->mode = UI_NORMAL;
			if (!is_key && ch == 'u')
				ui_undo(u);
			break;
		default:
			normal_key(u, is_key, ch);
			break;
		}
	}
	ui_dirty(u);
}

/* Whether fd 0 reports a hang-up: the terminal (or the SSH session) is gone. */
static int terminal_gone(void)
{
	struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
	if (poll(&pfd, 1, 0) < 0)
		return errno != EINTR;
	return (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

int input_drain(ui *u)
{
	int got = 0;
	/* A level-triggered poll does not fire again for bytes curses has already buffered. */
	while (!u->quitting) {
		wint_t ch;
		errno = 0;
		int r = wget_wch(stdscr, &ch);
		if (r == ERR) {
			if (errno == EIO || errno == EPIPE || errno == EBADF || errno == ENXIO)
				return -1;
			break;
		}
		got++;
		key(u, r == KEY_CODE_YES, ch);
	}
	if (!got && !u->quitting && terminal_gone())
		return -1;
	return 0;
}
