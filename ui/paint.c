/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Curses painting without the explorer's state (paint.h): everything is painted into stdscr, and
 * curses sends only the cells that changed. */
#include "paint.h"

#include <stdio.h>
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

void paint_canvas(const canvas *c, int x, int y, int rows, const attr_t *attr, int nattr, int bold)
{
	attr_t extra = bold ? A_BOLD : A_NORMAL;
#define ATTR(k) ((k) >= 0 && (k) < nattr ? attr[k] : A_NORMAL)
	for (int r = 0; r < rows && r < canvas_rows(c); r++) {
		move(y + r, x);
		for (int col = 0; col < canvas_cols(c); col++) {
			char g;
			int color, mark = canvas_cell_mark(c, col, r, &g);
			const char *s = canvas_cell(c, col, r, &color);
			int curve = canvas_cell_has_dots(c, col, r) &&
			            canvas_cell_prio(c, col, r) >= PLOT_PRIO_CURVES;
			if (mark >= 0 && !canvas_cell_is_text(c, col, r) &&
			    canvas_get_mode(c) == CANVAS_BLOCK && (!curve || g == 'o')) {
				/* Reversed quadrants are quadrants again: a block marker is a shape of its
				 * own, a disc at the point itself even on a curve (the curve goes on either
				 * side of it). */
				attrset((ATTR(mark) & ~(attr_t)A_DIM) | extra);
				s = g == 'o' ? "\u25CF" : "\u2588";
			} else if (mark >= 0 && !canvas_cell_is_text(c, col, r)) {
				attrset((ATTR(mark) & ~(attr_t)A_DIM) | A_REVERSE | extra);
			} else {
				attrset(ATTR(color) | extra);
			}
			addstr(s);
		}
	}
#undef ATTR
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
