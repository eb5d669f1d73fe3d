/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Curses painting without the explorer's state (paint.h): everything is painted into stdscr, and
 * curses sends only the cells that changed. */
#include "paint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const paint_glyphs utf8_glyphs = {"─", "│", "┌", "┐", "└", "┘", "━", "●", "─", "├", "┤"};
static const paint_glyphs ascii_glyphs = {"-", "|", "+", "+", "+", "+", "=", "o", "-", "+", "+"};

const paint_glyphs *paint_glyphs_for(int utf8)
{
	return utf8 ? &utf8_glyphs : &ascii_glyphs;
}

/* Bytes of s that make its first width columns (ASCII or width-1 UTF-8 characters). */
static size_t bytes_for(const char *s, int width)
{
	int cols = 0;
	const char *p = s;
	while (*p && cols < width) {
		p++;
		while ((*p & 0xC0) == 0x80)
			p++;
		cols++;
	}
	return (size_t)(p - s);
}

size_t paint_cut(const char *s, int width)
{
	if (width <= 0)
		return 0;
	size_t n = bytes_for(s, width);
	if (!s[n] || s[n] == ' ' || n == 0)
		return n;
	/* The cut falls inside a word: end at the blank before it, if the part has one, without the
	 * punctuation that led to what is cut. */
	size_t b = n;
	while (b > 0 && s[b - 1] != ' ')
		b--;
	if (b == 0)
		return n;
	while (b > 0 && strchr(" ,;:(|=*-", s[b - 1]))
		b--;
	return b;
}

void paint_text(int y, int x, int width, const char *s, attr_t a)
{
	if (width <= 0)
		return;
	attrset(a);
	mvaddnstr(y, x, s, (int)paint_cut(s, width));
	attrset(A_NORMAL);
}

/* " title " in at most width columns, the title cut between words. */
static void paint_title(int y, int x, int width, const char *title, attr_t a)
{
	char t[300];
	size_t n = paint_cut(title, width - 2);
	if (width < 3 || n == 0)
		return;
	snprintf(t, sizeof t, " %.*s ", (int)n, title);
	paint_text(y, x, width, t, a);
}

void paint_box(int utf8, sliders_rect r, attr_t frame, const char *title, attr_t title_attr)
{
	const paint_glyphs *g = paint_glyphs_for(utf8);
	attrset(frame);
	for (int x = r.x + 1; x < r.x + r.w - 1; x++) {
		mvaddstr(r.y, x, g->h);
		mvaddstr(r.y + r.h - 1, x, g->h);
	}
	for (int y = r.y + 1; y < r.y + r.h - 1; y++) {
		mvaddstr(y, r.x, g->v);
		mvaddstr(y, r.x + r.w - 1, g->v);
	}
	mvaddstr(r.y, r.x, g->tl);
	mvaddstr(r.y, r.x + r.w - 1, g->tr);
	mvaddstr(r.y + r.h - 1, r.x, g->bl);
	mvaddstr(r.y + r.h - 1, r.x + r.w - 1, g->br);
	if (title)
		paint_title(r.y, r.x + 2, r.w - 4, title, title_attr);
	attrset(A_NORMAL);
}

void paint_over_box(int utf8, int x0, int y0, int w, int h, attr_t frame)
{
	const char *hz = utf8 ? "─" : "-", *vt = utf8 ? "│" : "|";
	for (int y = y0; y < y0 + h; y++) {
		int edge = y == y0 || y == y0 + h - 1;
		/* The rows it spans are blank across the screen: no word of what is under it shows cut
		 * at its edges. */
		attrset(A_NORMAL);
		mvhline(y, 0, ' ', COLS);
		attrset(frame);
		mvaddstr(y, x0, edge ? (utf8 ? (y == y0 ? "┌" : "└") : "+") : vt);
		for (int x = x0 + 1; edge && x < x0 + w - 1; x++)
			mvaddstr(y, x, hz);
		mvaddstr(y, x0 + w - 1, edge ? (utf8 ? (y == y0 ? "┐" : "┘") : "+") : vt);
	}
}

void paint_divider(int utf8, sliders_rect r, int y, const char *title, attr_t frame, attr_t title_attr)
{
	const paint_glyphs *g = paint_glyphs_for(utf8);
	attrset(frame);
	mvaddstr(y, r.x, g->ml);
	for (int x = r.x + 1; x < r.x + r.w - 1; x++)
		mvaddstr(y, x, g->h);
	mvaddstr(y, r.x + r.w - 1, g->mr);
	paint_title(y, r.x + 2, r.w - 4, title, title_attr);
}

/* Attributes that show on a blank cell: reverse video and underlines. Colour (the backgrounds are
 * all the terminal's or all the theme's), bold and dim change nothing on a blank. */
#define BLANK_VISIBLE (A_REVERSE | A_STANDOUT | A_UNDERLINE)
/* A stretch of unchanged cells at most this long between two changed ones is written over by curses
 * rather than jumped (moving the cursor costs as much: ncurses' inline cost for xterm's hpa). */
#define INLINE_CELLS 5

/* The first character of UTF-8 s (the canvas's glyphs are at most three bytes). */
static wchar_t utf8_char(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80)
		return u[0];
	if (u[0] < 0xE0)
		return (wchar_t)((u[0] & 0x1F) << 6 | (u[1] & 0x3F));
	return (wchar_t)((u[0] & 0x0F) << 12 | (u[1] & 0x3F) << 6 | (u[2] & 0x3F));
}

/* One cell of a canvas row on its way to the screen. */
struct out_cell {
	const char *s;
	attr_t a;
	attr_t on_screen; /* what the terminal is believed to show there (curses' curscr) */
	wchar_t shown;
	unsigned char free;    /* a blank whose attribute shows nothing: any such will do */
	unsigned char changed; /* differs from what is shown */
	unsigned char sent;    /* curses sends it: changed, or in a short stretch between changed ones */
};

/* The attributes of the blanks of one row, chosen so that the fewest attribute changes go out: a
 * blank that curses does not send keeps the attribute the screen has; one it sends takes the
 * attribute of the cell sent before it (the terminal's at that moment: *last, carried from row to
 * row, when *have_last), or of the next one, or else the plain one, the cheapest to go to. */
static void choose_blanks(struct out_cell *k, int n, attr_t *lastp, int *have_lastp)
{
	for (int i = 0; i < n; i++) {
		int shown_blank = k[i].shown == L' ' && !(k[i].on_screen & BLANK_VISIBLE);
		if (k[i].free && shown_blank)
			k[i].a = k[i].on_screen;
		k[i].changed = k[i].free ? !shown_blank : k[i].changed;
		k[i].sent = k[i].changed;
	}
	for (int i = 0, prev = -1; i < n; i++) {
		if (!k[i].changed)
			continue;
		if (prev >= 0 && i - prev - 1 <= INLINE_CELLS)
			for (int m = prev + 1; m < i; m++)
				k[m].sent = 1;
		prev = i;
	}
	attr_t last = *lastp;
	int have_last = *have_lastp;
	for (int i = 0; i < n; i++) {
		if (!k[i].sent)
			continue;
		if (k[i].free) {
			attr_t next = A_NORMAL;
			for (int m = i + 1; m < n && k[m].sent; m++)
				if (!k[m].free) {
					if (!(k[m].a & BLANK_VISIBLE))
						next = k[m].a;
					break;
				}
			k[i].a = have_last && !(last & BLANK_VISIBLE) ? last : next;
		}
		last = k[i].a;
		have_last = 1;
	}
	*lastp = last;
	*have_lastp = have_last;
}

void paint_canvas(const canvas *c, int x, int y, int rows, const attr_t *attr, int nattr, int bold)
{
	attr_t extra = bold ? A_BOLD : A_NORMAL;
	int cols = canvas_cols(c);
	struct out_cell *k = malloc((size_t)cols * sizeof *k);
	attr_t last = 0;
	int have_last = 0;
#define ATTR(n) ((n) >= 0 && (n) < nattr ? attr[n] : A_NORMAL)
	for (int r = 0; r < rows && r < canvas_rows(c); r++) {
		for (int col = 0; col < cols; col++) {
			char g;
			int color, mark = canvas_cell_mark(c, col, r, &g);
			const char *s = canvas_cell(c, col, r, &color);
			int curve = canvas_cell_has_dots(c, col, r) &&
			            canvas_cell_prio(c, col, r) >= PLOT_PRIO_CURVES;
			attr_t a;
			if (mark >= 0 && !canvas_cell_is_text(c, col, r) &&
			    canvas_get_mode(c) == CANVAS_BLOCK && (!curve || g == 'o')) {
				/* Reversed quadrants are quadrants again: a block marker is a shape of its
				 * own, a disc at the point itself even on a curve (the curve goes on either
				 * side of it). */
				a = (ATTR(mark) & ~(attr_t)A_DIM) | extra;
				s = g == 'o' ? "\u25CF" : "\u2588";
			} else if (mark >= 0 && !canvas_cell_is_text(c, col, r)) {
				a = (ATTR(mark) & ~(attr_t)A_DIM) | A_REVERSE | extra;
			} else {
				a = ATTR(color) | extra;
			}
			if (!k) { /* no memory for the row: as it comes */
				attrset(a);
				mvaddstr(y + r, x + col, s);
				continue;
			}
			cchar_t cc;
			wchar_t wch[CCHARW_MAX + 1] = {0};
			attr_t sa = 0;
			short pair = 0;
			k[col] = (struct out_cell){.s = s, .a = a, .shown = 0};
			if (mvwin_wch(curscr, y + r, x + col, &cc) != ERR &&
			    getcchar(&cc, wch, &sa, &pair, NULL) != ERR && !wch[1]) {
				k[col].shown = wch[0];
				k[col].on_screen = (sa & ~(attr_t)A_COLOR) | COLOR_PAIR(pair);
			}
			k[col].free = s[0] == ' ' && !s[1] && !(a & BLANK_VISIBLE);
			k[col].changed = k[col].shown != utf8_char(s) || k[col].on_screen != a;
		}
		if (!k)
			continue;
		choose_blanks(k, cols, &last, &have_last);
		move(y + r, x);
		for (int col = 0; col < cols; col++) {
			attrset(k[col].a);
			addstr(k[col].s);
		}
	}
#undef ATTR
	free(k);
	attrset(A_NORMAL);
}

int paint_wrap(const char *s, int width, char lines[][96], int max)
{
	int n = 0;
	while (*s && n < max && width > 0) {
		while (*s == ' ')
			s++;
		int len = (int)strlen(s), take = len;
		if (len > width) {
			for (take = width; take > 0 && s[take] != ' '; take--)
				;
			if (take == 0)
				take = width;
		}
		if (take > 95)
			take = 95;
		snprintf(lines[n++], 96, "%.*s", take, s);
		s += take;
	}
	return n;
}

int paint_wrapped(sliders_rect r, int line, const char *s, attr_t a)
{
	while (*s && line < r.h) {
		int n = (int)strlen(s);
		if (n > r.w) {
			n = r.w;
			while (n > 0 && s[n] != ' ')
				n--;
			if (n == 0)
				n = r.w;
		}
		char buf[256];
		snprintf(buf, sizeof buf, "%.*s", n, s);
		paint_text(r.y + line++, r.x, r.w, buf, a);
		s += n;
		while (*s == ' ')
			s++;
	}
	return line;
}

void paint_protocol(const param_set *p, char *buf, size_t len)
{
	char a[32], b[32], c[32];
	params_format_exact(p->v[P_PAIRS], a, sizeof a);
	switch ((int)p->v[P_PROTOCOL]) {
	case PROTO_FREQUENCY:
		params_format_exact(p->v[P_FIXED_DT_MS], b, sizeof b);
		snprintf(buf, len, "%s pairs at dt = %s%s ms", a, p->v[P_FIXED_DT_MS] > 0 ? "+" : "", b);
		break;
	case PROTO_BURST:
		params_format_exact(p->v[P_BURST_SPIKES], b, sizeof b);
		params_format_exact(p->v[P_FREQ_HZ], c, sizeof c);
		snprintf(buf, len, "%s x 1 pre + %s post spikes at %s Hz", a, b, c);
		break;
	case PROTO_POISSON:
		params_format_exact(p->v[P_RATE_PRE_HZ], b, sizeof b);
		params_format_exact(p->v[P_DURATION_S], c, sizeof c);
		snprintf(buf, len, "Poisson trains, pre %s Hz, %s s", b, c);
		break;
	case PROTO_IRREGULAR:
	case PROTO_IRREGULAR_RATE: {
		/* x is dt (the rates fixed) or the common rate (dt fixed): the title names the other. */
		char d[32];
		params_format_exact(p->v[P_PAIR_PROB], d, sizeof d);
		params_format_exact(p->v[P_DURATION_S], c, sizeof c);
		if ((int)p->v[P_PROTOCOL] == PROTO_IRREGULAR) {
			params_format_exact(p->v[P_RATE_PRE_HZ], b, sizeof b);
			snprintf(buf, len, "irregular, pre %s Hz, p %s, %s s", b, d, c);
		} else {
			params_format_exact(p->v[P_FIXED_DT_MS], b, sizeof b);
			snprintf(buf, len, "irregular at dt = %s%s ms, p %s, %s s",
			         p->v[P_FIXED_DT_MS] > 0 ? "+" : "", b, d, c);
		}
		break;
	}
	default:
		params_format_exact(p->v[P_FREQ_HZ], b, sizeof b);
		snprintf(buf, len, "%s pairs at %s Hz", a, b);
		break;
	}
	/* Presentation trains: how many, and how far apart. */
	if (!params_random_protocol(p) && p->v[P_PRESENTATIONS] > 1) {
		size_t n = strlen(buf);
		params_format_exact(p->v[P_PRESENTATIONS], b, sizeof b);
		params_format_exact(p->v[P_INTERVAL_S], c, sizeof c);
		if (n < len)
			snprintf(buf + n, len - n, ", %s times every %s s", b, c);
	}
}

void paint_range(const param_info *pi, char *buf, size_t len)
{
	char lo[32], hi[32];
	if (pi->names) {
		size_t n = (size_t)snprintf(buf, len, "one of");
		for (int k = 0; pi->names[k] && n < len; k++)
			n += (size_t)snprintf(buf + n, len - n, "%s %s", k ? "," : "", pi->names[k]);
		return;
	}
	params_format_exact(pi->min, lo, sizeof lo);
	params_format_exact(pi->max, hi, sizeof hi);
	snprintf(buf, len, "%s to %s%s%s", lo, hi, pi->unit[0] ? " " : "", pi->unit);
}
