/* Every key, once: the help screen lists them all, the hints line as many as fit, and the man page
 * prints this list. */
#include "help.h"

#include "ui.h"

#include <stdio.h>
#include <string.h>

const help_key help_keys[] = {
    {"Up/Down  k/j", "select a parameter"},
    {"Left/Right  h/l", "step it down / up (fine or coarse step, see [ ])"},
    {"H/L  Shift+Left/Right", "coarse step down / up"},
    {"[  ]", "Left/Right take the fine / the coarse step"},
    {"Enter", "type an exact value for the parameter"},
    {"r  R", "reset this parameter / all of them to the preset"},
    {"Home/End  g/G", "first / last parameter"},
    {"p", "pick a preset (Enter loads it, Esc cancels)"},
    {"s", "save the parameters as INI (asks for a name)"},
    {"e", "export the curve as CSV (asks for a name)"},
    {"n", "run again with a new seed"},
    {"+", "add repetitions (as many again as --reps)"},
    {"space", "pause / resume the simulation"},
    {"<  ,", "cursor one point left (or click on the plot)"},
    {">  .", "cursor one point right"},
    {"c", "calcium view at the cursor: thresholds, alphas"},
    {"v", "efficacy view: sample rho(t) from DOWN and UP"},
    {"m", "map of curve classes (theta_d x theta_p at first)"},
    {"in the map", "arrows move, Enter loads, x X y Y axes, Esc closes"},
    {"Esc", "close the view; again: leave presentation mode"},
    {"P  F5", "presentation mode: the plot fills the screen"},
    {"a", "analytic curve on / off"},
    {"f", "pairs: the curves at 1, 20, 30, 40, 50 Hz too (Fig. 4B)"},
    {"y", "y axis: fitted to the data / fixed 0.3 to 1.7 (to compare sets)"},
    {"b", "glyphs of the plot: braille, block, ascii"},
    {"u  U", "undo / redo a parameter change (sliders, presets, fits)"},
    {"i  I", "pin the current curve (up to 4 stay while sliders move) / clear pins"},
    {"t", "mark / unmark the selected parameter for the fit"},
    {"F", "fit the marked parameters to the data in the background (F again cancels)"},
    {"?  F1", "this help"},
    {"q  Ctrl-C", "quit (q asks first when the parameters are not saved)"},
    {"Ctrl-L", "repaint the whole screen"},
    {"mouse", "click a parameter; click or drag its bar to set it"},
    {"in a prompt", "Enter accepts, Esc or Ctrl-C cancels, Ctrl-U clears"},
};
const int help_nkeys = (int)(sizeof help_keys / sizeof help_keys[0]);

void help_print_man(FILE *f)
{
	for (int i = 0; i < help_nkeys; i++) {
		fputs(".TP\n.B ", f);
		/* Quoted, so that the blanks inside stay one argument; "  " separates alternatives. */
		fputc('"', f);
		for (const char *k = help_keys[i].keys; *k; k++) {
			if (k[0] == ' ' && k[1] == ' ') {
				fputs(", ", f);
				k++;
			} else if (*k == '\\') {
				fputs("\\e", f);
			} else if (*k == '-') {
				fputs("\\-", f);
			} else {
				fputc(*k, f);
			}
		}
		fputs("\"\n", f);
		fprintf(f, "%s.\n", help_keys[i].what);
	}
}

static int keys_width(void)
{
	int kw = 0;
	for (int i = 0; i < help_nkeys; i++)
		if ((int)strlen(help_keys[i].keys) > kw)
			kw = (int)strlen(help_keys[i].keys);
	return kw;
}

/* The help box: wide enough for every key's text beside its keys (at least 80 columns) when the
 * screen allows, as tall as its lines or the screen allows (status and hints stay visible below
 * it). In a narrower box a text wraps between words; a box too narrow for two columns lists each
 * key on a line of its own with its text wrapped under it. */
static int help_width(void)
{
	int want = 80;
	for (int i = 0; i < help_nkeys; i++) {
		int need = keys_width() + 6 + (int)strlen(help_keys[i].what);
		if (need > want)
			want = need;
	}
	return COLS - 4 < want ? COLS - 4 : want;
}

/* Whether a box w wide has the keys and their texts side by side. */
static int help_two_columns(int w)
{
	return keys_width() + 4 + 24 <= w - 2;
}

/* One line of the box: key k's keys and/or a part of its text. */
typedef struct help_line {
	int k;
	const char *what; /* a part of the text, or NULL for the keys alone */
	int len;          /* bytes of what on this line */
	int keys;         /* 1: the keys stand at the left of this line */
} help_line;

#define HELP_LINES_MAX 256

static int help_lines(int w, help_line *out)
{
	int kw = keys_width(), n = 0, two = help_two_columns(w);
	int tw = two ? w - kw - 6 : w - 6;
	if (tw < 8)
		tw = 8;
	for (int k = 0; k < help_nkeys && n < HELP_LINES_MAX; k++) {
		if (!two)
			out[n++] = (help_line){k, NULL, 0, 1};
		int first = 1;
		for (const char *s = help_keys[k].what; *s && n < HELP_LINES_MAX;) {
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

static int help_rows(int nlines)
{
	return nlines + 2 < LINES - 2 ? nlines + 2 : LINES - 2;
}

void help_keypress(ui *u, int is_key, int ch)
{
	help_line lines[HELP_LINES_MAX];
	int n = help_lines(help_width(), lines);
	int shown = help_rows(n) - 2, last = n - shown, step = 0;
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
		u->mode = UI_NORMAL;
		u->help_first = 0;
		return;
	}
	int first = u->help_first + step;
	u->help_first = first < 0 ? 0 : first > last ? last : first;
}

void help_draw(ui *u)
{
	help_line lines[HELP_LINES_MAX];
	int kw = keys_width();
	/* Over the title, the panel and the plot: the status and hints lines stay visible. */
	int w = help_width();
	int n = help_lines(w, lines);
	int h = help_rows(n);
	int x0 = (COLS - w) / 2, y0 = (LINES - 2 - h) / 2;
	int shown = h - 2, first = u->help_first;
	if (first > n - shown)
		first = n - shown > 0 ? n - shown : 0;
	attr_t frame = screen_attr(u, CC_AXIS);
	const char *hz = u->utf8 ? "─" : "-", *vt = u->utf8 ? "│" : "|";
	for (int y = y0; y < y0 + h; y++) {
		attrset(frame);
		mvhline(y, x0, ' ', w);
		mvaddstr(y, x0, y == y0 || y == y0 + h - 1 ? (u->utf8 ? (y == y0 ? "┌" : "└") : "+") : vt);
		for (int x = x0 + 1; x < x0 + w - 1 && (y == y0 || y == y0 + h - 1); x++)
			mvaddstr(y, x, hz);
		mvaddstr(y, x0 + w - 1,
		         y == y0 || y == y0 + h - 1 ? (u->utf8 ? (y == y0 ? "┐" : "┘") : "+") : vt);
	}
	attrset(screen_attr(u, UR_KEY));
	mvaddnstr(y0, x0 + 2, " calcium-stdp keys ", w - 4);
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
	int tx = help_two_columns(w) ? x0 + 4 + kw : x0 + 4;
	for (int i = 0; i < shown && first + i < n; i++) {
		const help_line *l = &lines[first + i];
		if (l->keys) {
			attrset(screen_attr(u, UR_KEY));
			mvaddnstr(y0 + 1 + i, x0 + 2, help_keys[l->k].keys, w - 4);
		}
		if (l->what) {
			attrset(A_NORMAL);
			mvaddnstr(y0 + 1 + i, tx, l->what,
			          l->len < x0 + w - 2 - tx ? l->len : x0 + w - 2 - tx);
		}
	}
	attrset(A_NORMAL);
}

/* The hints line: the most used keys first, as many as fit; "? help" always. Presenting, the keys
 * that still work there. */
void help_draw_hints(ui *u, int y, int width)
{
	typedef struct hint {
		const char *key, *utf8, *what;
	} hint;
	static const hint normal[] = {
	    {"Up/Down", "↑↓", "select"}, {"Left/Right", "←→", "adjust"}, {"< >", NULL, "cursor"},
	    {"c", NULL, "calcium"},      {"v", NULL, "efficacy"},        {"P", NULL, "present"},
	    {"Enter", NULL, "type"},     {"[ ]", NULL, "fine/coarse"},   {"p", NULL, "presets"},
	    {"s", NULL, "save"},         {"e", NULL, "export"},          {"n", NULL, "seed"},
	    {"+", NULL, "reps"},         {"space", NULL, "pause"},       {"a", NULL, "analytic"},
	    {"y", NULL, "scale"},
	};
	static const hint present[] = {
	    {"Up/Down", "↑↓", "parameter"}, {"Left/Right", "←→", "change"}, {"P", NULL, "leave"},
	    {"< >", NULL, "cursor"},        {"c", NULL, "calcium"},         {"v", NULL, "efficacy"},
	    {"Enter", NULL, "type"},        {"p", NULL, "presets"},         {"space", NULL, "pause"},
	    {"a", NULL, "analytic"},        {"y", NULL, "scale"},
	};
	const hint *hints = u->present ? present : normal;
	int nh =
	    u->present ? (int)(sizeof present / sizeof present[0]) : (int)(sizeof normal / sizeof normal[0]);
	const char *tail_key[] = {"?", "q"}, *tail_what[] = {"help", "quit"};
	int tail = 0;
	for (int i = 0; i < 2; i++)
		tail += (int)(strlen(tail_key[i]) + strlen(tail_what[i])) + 3;
	int x = 1;
	for (int i = 0; i < nh; i++) {
		const char *k = u->utf8 && hints[i].utf8 ? hints[i].utf8 : hints[i].key;
		int kcols = u->utf8 && hints[i].utf8 ? 2 : (int)strlen(k);
		int need = kcols + 1 + (int)strlen(hints[i].what) + 2;
		if (x + need + tail > width)
			break;
		attrset(screen_attr(u, UR_KEY));
		mvaddstr(y, x, k);
		attrset(A_NORMAL);
		mvaddstr(y, x + kcols + 1, hints[i].what);
		x += need;
	}
	for (int i = 0; i < 2; i++) {
		attrset(screen_attr(u, UR_KEY));
		mvaddstr(y, x, tail_key[i]);
		attrset(A_NORMAL);
		mvaddstr(y, x + (int)strlen(tail_key[i]) + 1, tail_what[i]);
		x += (int)(strlen(tail_key[i]) + strlen(tail_what[i])) + 3;
	}
}
