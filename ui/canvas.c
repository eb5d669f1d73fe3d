/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rasteriser behind the plot: see canvas.h for the dot layout of each mode. */
#include "canvas.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cell {
	unsigned char bits;   /* dots set: braille bits, or ASCII sub-rows (1 top, 2 middle, 4 bottom) */
	unsigned char dcolor; /* colour of the last dot drawn */
	unsigned char text;   /* ASCII character shown instead of the dots, 0 for none */
	unsigned char tcolor; /* colour of that text */
	unsigned char stroke; /* ASCII only: '|', '/' or '\\' of a sloping line through the cell, or 0 */
	unsigned char prio;   /* priority of the pen that owns the dots (0: plain calls) */
	unsigned char achar;  /* ASCII only: the owning pen's own character, or 0 */
	unsigned char mark;   /* 1 + colour role of a mark on the cell, 0 for none */
	unsigned char mglyph; /* the mark's character for text output */
	unsigned char box;    /* block mode: the owning pen's canvas_box, 0 for quadrants */
	unsigned char dir;    /* block mode: DIR_V, DIR_H of the lines drawn through the cell */
};

enum { DIR_V = 1, DIR_H = 2 };

struct canvas {
	int cols, rows;   /* size in cells */
	canvas_mode mode; /* fixed at creation */
	int dw, dh;       /* dots per cell across and down */
	int cx0, cy0;     /* clip rectangle in dots, inclusive; empty when cx0 > cx1 or cy0 > cy1 */
	int cx1, cy1;
	struct cell *cells; /* rows * cols, row-major */
};

/* Braille dot bits indexed [y % 4][x % 2], as in the Unicode braille block. */
static const unsigned char braille_bit[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};

/* Constant tables so that canvas_cell can hand out strings without a buffer: U+2800 + n is
 * E2, A0 + n / 64, 80 + n % 64 in UTF-8. */
/* clang-format off */
#define BR1(n)  {(char)0xE2, (char)(0xA0 + ((n) >> 6)), (char)(0x80 + ((n)&0x3F)), 0}
#define BR4(n)  BR1(n), BR1((n) + 1), BR1((n) + 2), BR1((n) + 3)
#define BR16(n) BR4(n), BR4((n) + 4), BR4((n) + 8), BR4((n) + 12)
#define BR64(n) BR16(n), BR16((n) + 16), BR16((n) + 32), BR16((n) + 48)
static const char braille_utf8[256][4] = {BR64(0), BR64(64), BR64(128), BR64(192)};

#define AS1(n)  {(char)(n), 0}
#define AS4(n)  AS1(n), AS1((n) + 1), AS1((n) + 2), AS1((n) + 3)
#define AS16(n) AS4(n), AS4((n) + 4), AS4((n) + 8), AS4((n) + 12)
#define AS64(n) AS16(n), AS16((n) + 16), AS16((n) + 32), AS16((n) + 48)
static const char ascii_utf8[128][2] = {AS64(0), AS64(64)};
/* Quadrants by dot bits (1 top left, 2 top right, 4 bottom left, 8 bottom right). */
static const char *const block_utf8[16] = {
    " ", "\u2598", "\u259D", "\u2580", "\u2596", "\u258C", "\u259E", "\u259B",
    "\u2597", "\u259A", "\u2590", "\u259C", "\u2584", "\u2599", "\u259F", "\u2588"};
/* Line characters by canvas_box: vertical, horizontal, top cap, bottom cap, cross. */
static const char *const box_utf8[CANVAS_BOX_COUNT][5] = {
    {"\u2502", "\u2500", "\u252C", "\u2534", "\u253C"}, /* unused: CANVAS_BOX_NONE */
    {"\u2502", "\u2500", "\u252C", "\u2534", "\u253C"}, /* │ ─ ┬ ┴ ┼ */
    {"\u254F", "\u254D", "\u2533", "\u253B", "\u254B"}, /* ╏ ╍ ┳ ┻ ╋ */
    {"\u250A", "\u2508", "\u252C", "\u2534", "\u253C"}, /* ┊ ┈ ┬ ┴ ┼ */
    {"\u254E", "\u254C", "\u252C", "\u2534", "\u253C"}, /* ╎ ╌ ┬ ┴ ┼ */
};
/* clang-format on */

const char *canvas_mode_name(canvas_mode m)
{
	return m == CANVAS_BRAILLE ? "braille" : m == CANVAS_BLOCK ? "block" : "ascii";
}

int canvas_mode_parse(const char *name)
{
	static const canvas_mode all[] = {CANVAS_BRAILLE, CANVAS_BLOCK, CANVAS_ASCII};
	for (size_t i = 0; name && i < sizeof all / sizeof all[0]; i++)
		if (strcmp(name, canvas_mode_name(all[i])) == 0)
			return (int)all[i];
	return -1;
}

enum { SUB_TOP = 1, SUB_MID = 2, SUB_BOT = 4 };

canvas *canvas_new(int cols, int rows, canvas_mode mode)
{
	canvas *c;

	if (cols < 1 || rows < 1 || cols > CANVAS_MAX_SIDE || rows > CANVAS_MAX_SIDE)
		return NULL;
	if (mode != CANVAS_ASCII && mode != CANVAS_BRAILLE && mode != CANVAS_BLOCK)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->cells = calloc((size_t)cols * (size_t)rows, sizeof(*c->cells));
	if (!c->cells) {
		free(c);
		return NULL;
	}
	c->cols = cols;
	c->rows = rows;
	c->mode = mode;
	c->dw = mode == CANVAS_ASCII ? 1 : 2;
	c->dh = mode == CANVAS_BRAILLE ? 4 : mode == CANVAS_BLOCK ? 2 : 3;
	canvas_clip_reset(c);
	return c;
}

void canvas_free(canvas *c)
{
	if (!c)
		return;
	free(c->cells);
	free(c);
}

void canvas_clear(canvas *c)
{
	memset(c->cells, 0, (size_t)c->cols * (size_t)c->rows * sizeof(*c->cells));
}

int canvas_cols(const canvas *c)
{
	return c->cols;
}

int canvas_rows(const canvas *c)
{
	return c->rows;
}

canvas_mode canvas_get_mode(const canvas *c)
{
	return c->mode;
}

int canvas_dot_width(const canvas *c)
{
	return c->dw;
}

int canvas_dot_height(const canvas *c)
{
	return c->dh;
}

void canvas_clip(canvas *c, int x0, int y0, int x1, int y1)
{
	c->cx0 = x0 > 0 ? x0 : 0;
	c->cy0 = y0 > 0 ? y0 : 0;
	c->cx1 = x1 < c->cols * c->dw - 1 ? x1 : c->cols * c->dw - 1;
	c->cy1 = y1 < c->rows * c->dh - 1 ? y1 : c->rows * c->dh - 1;
}

void canvas_clip_reset(canvas *c)
{
	canvas_clip(c, 0, 0, c->cols * c->dw - 1, c->rows * c->dh - 1);
}

static int in_clip(const canvas *c, int x, int y)
{
	return x >= c->cx0 && x <= c->cx1 && y >= c->cy0 && y <= c->cy1;
}

static unsigned char dot_bit(const canvas *c, int x, int y)
{
	if (c->mode == CANVAS_BRAILLE)
		return braille_bit[y % 4][x % 2];
	if (c->mode == CANVAS_BLOCK)
		return (unsigned char)(1 << ((y % 2) * 2 + x % 2));
	return (unsigned char)(1 << (y % 3));
}

/* The plain calls' pen: priority 0, solid. */
static canvas_pen plain_pen(int color)
{
	return (canvas_pen){color, 0, 0, 0};
}

/* x, y already inside the clip. A pen of lower priority than the cell's owner draws nothing, a
 * higher one clears the cell first. */
static void set_dot(canvas *c, int x, int y, const canvas_pen *p, unsigned char stroke, unsigned char dir,
                    int box)
{
	struct cell *k = &c->cells[(size_t)(y / c->dh) * (size_t)c->cols + (size_t)(x / c->dw)];
	int prio = p->prio < 0 ? 0 : p->prio > 255 ? 255 : p->prio;

	if (k->bits && prio < k->prio)
		return;
	if (k->bits && prio > k->prio) {
		k->bits = 0;
		k->stroke = 0;
	}
	if (!k->bits)
		k->dir = 0;
	k->box = (unsigned char)(c->mode != CANVAS_ASCII && box > 0 && box < CANVAS_BOX_COUNT ? box : 0);
	if (k->box)
		k->dir |= dir;
	k->prio = (unsigned char)prio;
	k->achar = (unsigned char)(p->ascii > 0x20 && p->ascii < 0x7F ? p->ascii : 0);
	k->bits |= dot_bit(c, x, y);
	k->dcolor = (unsigned char)(p->color >= 0 && p->color < CC_COUNT ? p->color : CC_DEFAULT);
	if (stroke)
		k->stroke = stroke;
}

void canvas_dot(canvas *c, int x, int y, int color)
{
	canvas_pen p = plain_pen(color);
	if (in_clip(c, x, y))
		set_dot(c, x, y, &p, 0, 0, 0);
}

void canvas_pen_dot(canvas *c, int x, int y, const canvas_pen *p)
{
	if (in_clip(c, x, y))
		set_dot(c, x, y, p, 0, 0, 0);
}

int canvas_dot_at(const canvas *c, int x, int y)
{
	if (x < 0 || y < 0 || x >= c->cols * c->dw || y >= c->rows * c->dh)
		return 0;
	return (c->cells[(size_t)(y / c->dh) * (size_t)c->cols + (size_t)(x / c->dw)].bits &
	        dot_bit(c, x, y)) != 0;
}

void canvas_dot_behind(canvas *c, int x, int y, int color)
{
	const struct cell *k;

	if (!in_clip(c, x, y))
		return;
	k = &c->cells[(size_t)(y / c->dh) * (size_t)c->cols + (size_t)(x / c->dw)];
	if (!k->text && (!k->bits || k->dcolor == color)) {
		canvas_pen p = plain_pen(color);
		set_dot(c, x, y, &p, 0, 0, 0);
	}
}

void canvas_undot(canvas *c, int x, int y)
{
	struct cell *k;

	if (!in_clip(c, x, y))
		return;
	k = &c->cells[(size_t)(y / c->dh) * (size_t)c->cols + (size_t)(x / c->dw)];
	k->bits &= (unsigned char)~dot_bit(c, x, y);
}

/* Which ASCII character a sloping line leaves in a cell where it sets two or three sub-rows: the
 * slant of its direction ('|' only for a vertical one). A cell with one sub-row keeps that
 * sub-row's character, so a shallow line reads as ".-'" steps and a steep one as slashes. */
static unsigned char ascii_stroke(double dx, double dy)
{
	if (dx == 0)
		return '|';
	if (dy == 0)
		return 0;
	return (dx > 0) == (dy < 0) ? '/' : '\\';
}

/* Liang-Barsky: shrink [*t0, *t1] to where p * t <= q holds. 0 when nothing is left. */
static int clip_edge(double p, double q, double *t0, double *t1)
{
	double r;

	if (p == 0)
		return q >= 0;
	r = q / p;
	if (p < 0) {
		if (r > *t1)
			return 0;
		if (r > *t0)
			*t0 = r;
	} else {
		if (r < *t0)
			return 0;
		if (r < *t1)
			*t1 = r;
	}
	return 1;
}

/* v as an int inside [lo, hi]; v is finite and near that range. */
static int clampi(double v, int lo, int hi)
{
	if (!(v >= lo))
		return lo;
	if (v > hi)
		return hi;
	return (int)v;
}

/* Whether a dashed pen draws dot i of its line's longer axis. */
static int dash_on(const canvas_pen *p, int i)
{
	return p->dash == 0 || (p->dash >> (((i % 8) + 8) % 8) & 1);
}

/* (x, y) is inside the clip or on its edge, so the int conversions are safe. */
static void end_dot(canvas *c, double x, double y, const canvas_pen *p, unsigned char stroke, unsigned char dir,
                    int box, int major_x)
{
	int ix = clampi(floor(x), c->cx0 - 1, c->cx1 + 1), iy = clampi(floor(y), c->cy0 - 1, c->cy1 + 1);

	if (in_clip(c, ix, iy) && dash_on(p, major_x ? ix : iy))
		set_dot(c, ix, iy, p, stroke, dir, box);
}

/* Clipped first, then sampled at the centre of every column (or row, for steep lines) it spans,
 * in doubles: no integer overflow for any input, and the dots are those Bresenham would pick. */
void canvas_line_f(canvas *c, double x0, double y0, double x1, double y1, int color)
{
	canvas_pen p = plain_pen(color);
	canvas_pen_line_f(c, x0, y0, x1, y1, &p);
}

void canvas_pen_line_f(canvas *c, double x0, double y0, double x1, double y1, const canvas_pen *p)
{
	canvas_pen_line_box(c, x0, y0, x1, y1, p, CANVAS_BOX_NONE);
}

void canvas_pen_line_box(canvas *c, double x0, double y0, double x1, double y1, const canvas_pen *p, int box)
{
	double dx = x1 - x0, dy = y1 - y0, t0 = 0, t1 = 1, ax, ay, bx, by, lo, hi;
	unsigned char stroke = 0, dir = 0;
	int i, first, last;

	if (!isfinite(dx) || !isfinite(dy) || c->cx0 > c->cx1 || c->cy0 > c->cy1)
		return;
	if (!clip_edge(-dx, x0 - c->cx0, &t0, &t1) || !clip_edge(dx, c->cx1 + 1.0 - x0, &t0, &t1) ||
	    !clip_edge(-dy, y0 - c->cy0, &t0, &t1) || !clip_edge(dy, c->cy1 + 1.0 - y0, &t0, &t1))
		return;
	ax = x0 + t0 * dx;
	ay = y0 + t0 * dy;
	bx = x0 + t1 * dx;
	by = y0 + t1 * dy;
	if (c->mode == CANVAS_ASCII && (dx != 0 || dy != 0))
		stroke = ascii_stroke(dx, dy);
	if (dx != 0 || dy != 0)
		dir = fabs(dx) > fabs(dy) ? DIR_H : DIR_V;
	/* The end points themselves, so that a short segment is never lost; one on the far edge of
	 * the clip belongs to the next dot, which in_clip refuses. */
	end_dot(c, ax, ay, p, stroke, dir, box, fabs(dx) >= fabs(dy));
	end_dot(c, bx, by, p, stroke, dir, box, fabs(dx) >= fabs(dy));
	if (dx == 0 && dy == 0)
		return;
	if (fabs(dx) >= fabs(dy)) {
		lo = fmin(ax, bx);
		hi = fmax(ax, bx);
		first = clampi(ceil(lo - 0.5), c->cx0, c->cx1 + 1);
		last = clampi(floor(hi - 0.5), c->cx0 - 1, c->cx1);
		for (i = first; i <= last; i++) {
			double y = floor(y0 + (i + 0.5 - x0) * (dy / dx));
			if (y >= c->cy0 && y <= c->cy1 && dash_on(p, i))
				set_dot(c, i, (int)y, p, stroke, dir, box);
		}
	} else {
		lo = fmin(ay, by);
		hi = fmax(ay, by);
		first = clampi(ceil(lo - 0.5), c->cy0, c->cy1 + 1);
		last = clampi(floor(hi - 0.5), c->cy0 - 1, c->cy1);
		for (i = first; i <= last; i++) {
			double x = floor(x0 + (i + 0.5 - y0) * (dx / dy));
			if (x >= c->cx0 && x <= c->cx1 && dash_on(p, i))
				set_dot(c, (int)x, i, p, stroke, dir, box);
		}
	}
}

void canvas_line(canvas *c, int x0, int y0, int x1, int y1, int color)
{
	/* Dot centres, so that both end points are drawn exactly. */
	canvas_line_f(c, x0 + 0.5, y0 + 0.5, x1 + 0.5, y1 + 0.5, color);
}

void canvas_text(canvas *c, int col, int row, const char *s, int color)
{
	long long x = col;

	if (!s || row < 0 || row >= c->rows)
		return;
	for (; *s && x < c->cols; s++) {
		unsigned char ch = (unsigned char)*s;
		struct cell *k;

		/* One '?' per UTF-8 character: continuation bytes take no cell. */
		if (ch >= 0x80 && ch < 0xC0)
			continue;
		if (x >= 0) {
			k = &c->cells[(size_t)row * (size_t)c->cols + (size_t)x];
			k->text = ch >= 0x20 && ch < 0x7F ? ch : '?';
			k->tcolor = (unsigned char)(color >= 0 && color < CC_COUNT ? color : CC_DEFAULT);
		}
		x++;
	}
}

int canvas_cell_prio(const canvas *c, int col, int row)
{
	if (col < 0 || row < 0 || col >= c->cols || row >= c->rows)
		return 0;
	const struct cell *k = &c->cells[(size_t)row * (size_t)c->cols + (size_t)col];
	return k->bits ? k->prio : 0;
}

int canvas_cell_has_dots(const canvas *c, int col, int row)
{
	if (col < 0 || row < 0 || col >= c->cols || row >= c->rows)
		return 0;
	return c->cells[(size_t)row * (size_t)c->cols + (size_t)col].bits != 0;
}

void canvas_mark(canvas *c, int col, int row, int color, char glyph)
{
	if (col < 0 || row < 0 || col >= c->cols || row >= c->rows)
		return;
	struct cell *k = &c->cells[(size_t)row * (size_t)c->cols + (size_t)col];
	k->mark = (unsigned char)(1 + (color >= 0 && color < CC_COUNT ? color : CC_DEFAULT));
	k->mglyph = (unsigned char)(glyph > 0x20 && glyph < 0x7F ? glyph : ' ');
}

int canvas_cell_mark(const canvas *c, int col, int row, char *glyph)
{
	if (glyph)
		*glyph = ' ';
	if (col < 0 || row < 0 || col >= c->cols || row >= c->rows)
		return -1;
	const struct cell *k = &c->cells[(size_t)row * (size_t)c->cols + (size_t)col];
	if (!k->mark)
		return -1;
	if (glyph)
		*glyph = (char)k->mglyph;
	return k->mark - 1;
}

static char ascii_glyph(const struct cell *k)
{
	if (k->achar)
		return (char)k->achar;
	switch (k->bits & 7) {
	case 0:
		return ' ';
	case SUB_TOP:
		return '\'';
	case SUB_MID:
		return '-';
	case SUB_BOT:
		return '.';
	case SUB_TOP | SUB_BOT:
		return ':';
	default:
		return k->stroke ? (char)k->stroke : '|';
	}
}

/* Whether the cell at (col, row) carries a vertical line of box style box. */
static int box_vertical_at(const canvas *c, int col, int row, unsigned char box)
{
	if (row < 0 || row >= c->rows)
		return 0;
	const struct cell *k = &c->cells[(size_t)row * (size_t)c->cols + (size_t)col];
	return k->bits && !k->text && k->box == box && (k->dir & DIR_V);
}

/* A line character for a cell of a box pen (canvas.h). */
static const char *box_glyph(const canvas *c, int col, int row, const struct cell *k)
{
	const char *const *g = box_utf8[k->box];
	int dir = k->dir;

	if (!dir) /* lone dots: blocks: a column of them is vertical, a row horizontal; braille: vertical */
		dir = c->mode == CANVAS_BLOCK && (k->bits & 0x5) && (k->bits & 0xA) &&
		              !((k->bits & 0x3) && (k->bits & 0xC))
		          ? DIR_H
		          : DIR_V;
	if (dir == DIR_V)
		return g[0];
	if (dir == DIR_H)
		return g[1];
	int up = box_vertical_at(c, col, row - 1, k->box), down = box_vertical_at(c, col, row + 1, k->box);
	if (up != down)
		return down ? g[2] : g[3];
	if (up)
		return g[4];
	/* Neither neighbour goes on (another layer took it): in blocks a full row of dots is the
	 * cap, a dot in the other row the start of the vertical line. */
	if (c->mode != CANVAS_BLOCK)
		return g[1];
	if ((k->bits & 3) == 3 && (k->bits & 12) && (k->bits & 12) != 12)
		return g[2];
	if ((k->bits & 12) == 12 && (k->bits & 3) && (k->bits & 3) != 3)
		return g[3];
	return g[1];
}

const char *canvas_cell(const canvas *c, int col, int row, int *color)
{
	const struct cell *k;

	if (color)
		*color = CC_DEFAULT;
	if (col < 0 || row < 0 || col >= c->cols || row >= c->rows)
		return " ";
	k = &c->cells[(size_t)row * (size_t)c->cols + (size_t)col];
	if (k->text) {
		if (color)
			*color = k->tcolor;
		return ascii_utf8[k->text & 0x7F];
	}
	if (!k->bits)
		return " ";
	if (color)
		*color = k->dcolor;
	if (k->box)
		return box_glyph(c, col, row, k);
	if (c->mode == CANVAS_BRAILLE)
		return braille_utf8[k->bits];
	if (c->mode == CANVAS_BLOCK)
		return block_utf8[k->bits & 15];
	return ascii_utf8[(unsigned char)ascii_glyph(k)];
}

int canvas_cell_is_text(const canvas *c, int col, int row)
{
	if (col < 0 || row < 0 || col >= c->cols || row >= c->rows)
		return 0;
	return c->cells[(size_t)row * (size_t)c->cols + (size_t)col].text != 0;
}

static void row_out(const canvas *c, int row, char *buf, size_t len, int marks)
{
	size_t used = 0;
	int col;

	if (!buf || len == 0)
		return;
	buf[0] = '\0';
	if (row < 0 || row >= c->rows)
		return;
	for (col = 0; col < c->cols; col++) {
		const struct cell *k = &c->cells[(size_t)row * (size_t)c->cols + (size_t)col];
		const char *s = marks && k->mark && !k->text ? ascii_utf8[k->mglyph & 0x7F]
		                                             : canvas_cell(c, col, row, NULL);
		size_t n = strlen(s);

		if (used + n + 1 > len)
			break;
		memcpy(buf + used, s, n);
		used += n;
	}
	buf[used] = '\0';
}

void canvas_row_utf8(const canvas *c, int row, char *buf, size_t len)
{
	row_out(c, row, buf, len, 0);
}

void canvas_row_text(const canvas *c, int row, char *buf, size_t len)
{
	row_out(c, row, buf, len, 1);
}

int canvas_text_free(const canvas *c, int start, int r, int len, int prio, int strict)
{
	for (int j = -1; j <= len; j++) {
		int col = start + j;
		/* One blank of air either side from other labels. */
		if (canvas_cell_is_text(c, col, r))
			return 0;
		if (j < 0 || j == len)
			continue;
		if (canvas_cell_mark(c, col, r, NULL) >= 0)
			return 0;
		if (canvas_cell_has_dots(c, col, r) && (strict || canvas_cell_prio(c, col, r) >= prio))
			return 0;
	}
	return 1;
}
