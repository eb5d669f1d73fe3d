/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A pure rasteriser: dots, lines and text into a grid of terminal cells, in one of three glyph sets.
 * No curses here: the explorer copies cells into a window, --plot prints rows.
 *
 *   braille - 2x4 dots a cell, U+2800 plus dot bits (the default in UTF-8 terminals)
 *   block   - 2x2 dots a cell, the quadrant characters U+2596..U+259F, half and full blocks: for
 *             fonts that draw braille poorly and for projectors
 *   ascii   - 1x3 dots a cell (three sub-rows) shown as one character:
 *             top '\''   middle '-'   bottom '.'   top+bottom ':'
 *             two or three adjacent sub-rows: '/' or '\\' after the slope of the line that drew
 *             them, '|' for a vertical one; or the pen's own character (see canvas_pen)
 * In braille and block a pen may ask for line characters instead (canvas_box, below).
 * An empty cell is " " in every set.
 *
 * Two ways of drawing. The plain calls (canvas_dot, canvas_line ...) merge dots and the last one
 * colours the cell. Pens (canvas_pen_*) carry a priority: a cell belongs to one pen priority at a
 * time, a higher one clears and takes it, a lower one leaves it alone, an equal one merges. So the
 * layers of a plot never blur each other, whatever order they are drawn in. Text always wins its
 * cell. Marks (canvas_mark) sit on top of a cell without hiding its dots: the explorer shows them
 * in reverse video, the text output as the mark's character. */
#ifndef CSTDP_CANVAS_H
#define CSTDP_CANVAS_H

#include <stddef.h>

typedef enum { CANVAS_ASCII, CANVAS_BRAILLE, CANVAS_BLOCK } canvas_mode;

/* The glyph set's name ("ascii", "braille", "block") and back (-1 for an unknown name). */
const char *canvas_mode_name(canvas_mode m);
int canvas_mode_parse(const char *name);

/* Roles, not colours: the front end maps them to whatever its terminal has. */
enum canvas_color {
	CC_DEFAULT,
	CC_AXIS,     /* axis lines and tick marks */
	CC_REF,      /* dashed reference lines (dt = 0, change = 1) */
	CC_SIM,      /* simulated points */
	CC_INTERVAL, /* their 95% intervals */
	CC_ANALYTIC, /* the analytic curve */
	CC_EXP,      /* experimental points and error bars */
	CC_LABEL,    /* tick labels, axis labels, legend text */
	CC_OVERLAY,  /* extra curves (other pairing frequencies, pinned curves) */
	CC_OVERLAY2, /* a second family of extra curves (compare sets) */
	CC_CURSOR,   /* the cursor's marks */
	CC_OVERLAY3, /* a third colour for extra curves, so that neighbours in a family differ */
	CC_COUNT
};

typedef struct canvas canvas;

/* Largest canvas accepted, in cells (far beyond any terminal). */
#define CANVAS_MAX_SIDE 4096

/* NULL on a bad size (< 1 or > CANVAS_MAX_SIDE) or no memory. Starts clear, clip = whole canvas. */
canvas *canvas_new(int cols, int rows, canvas_mode mode);
void canvas_free(canvas *c);
/* Remove all dots and text; the clip rectangle is kept. */
void canvas_clear(canvas *c);

int canvas_cols(const canvas *c);
int canvas_rows(const canvas *c);
canvas_mode canvas_get_mode(const canvas *c);
/* Dots per cell across and down: braille 2x4, block 2x2, ASCII 1x3. */
int canvas_dot_width(const canvas *c);
int canvas_dot_height(const canvas *c);

/* Restrict dots and lines (not text) to dots x0..x1, y0..y1 inclusive, intersected with the
 * canvas. An empty intersection draws nothing until the next canvas_clip_reset. */
void canvas_clip(canvas *c, int x0, int y0, int x1, int y1);
void canvas_clip_reset(canvas *c);

/* Dot coordinates, y = 0 at the top; outside the clip: ignored. */
void canvas_dot(canvas *c, int x, int y, int color);
/* 1 when the dot is set (text over it does not matter), 0 otherwise or outside the canvas. */
int canvas_dot_at(const canvas *c, int x, int y);
/* A dot only where its cell has no text and no dots of another colour: for background such as
 * reference lines, drawn last so that they never clutter the data. */
void canvas_dot_behind(canvas *c, int x, int y, int color);
/* Remove one dot (for markers that must stand out from what is under them). */
void canvas_undot(canvas *c, int x, int y);
/* Both end points included, any direction, clipped; any int values are safe. */
void canvas_line(canvas *c, int x0, int y0, int x1, int y1, int color);
/* The same in continuous dot coordinates (dot k covers [k, k+1)), for data mapped to the canvas.
 * A segment with a NaN or infinite coordinate is not drawn. */
void canvas_line_f(canvas *c, double x0, double y0, double x1, double y1, int color);

/* A pen: how a layer draws. dash is a pattern of 8 bits repeated along the line's longer axis
 * (bit k on: dot k % 8 drawn); 0 or 0xFF is solid. ascii: the character the layer's cells show in
 * ASCII (0: the sub-row characters). prio: see above; 0 behaves like the plain calls. */
typedef struct canvas_pen {
	int color;
	int prio;
	unsigned char dash;
	char ascii;
} canvas_pen;

/* Line characters instead of dots or quadrants, for lines that must not look like curves (in
 * block mode quadrants would make every layer the same blocks): canvas_pen_line_box draws with a
 * pen as canvas_pen_line_f does, and a cell it owns shows a vertical or horizontal stroke after
 * the direction of the lines drawn through it, a cap where a horizontal line meets a vertical one
 * that goes on below or above it, a cross where both go on (or a cap, a stroke after where its
 * dots lie when another layer took the cells around it).
 *                    vertical  horizontal  caps (top, bottom)  cross
 *   CANVAS_BOX_SOLID     │         ─         ┬ ┴                ┼
 *   CANVAS_BOX_DASHED    ╏         ╍         ┳ ┻                ╋   (heavy, two dashes)
 *   CANVAS_BOX_DOTTED    ┊         ┈         ┬ ┴                ┼   (light, four dashes)
 *   CANVAS_BOX_DASH2     ╎         ╌         ┬ ┴                ┼   (light, two dashes)
 * Braille draws them so too (for lines that must not look like dots); ASCII ignores it. */
enum canvas_box { CANVAS_BOX_NONE, CANVAS_BOX_SOLID, CANVAS_BOX_DASHED, CANVAS_BOX_DOTTED, CANVAS_BOX_DASH2,
	          CANVAS_BOX_COUNT };
/* box: a canvas_box; CANVAS_BOX_NONE (or another value) draws as canvas_pen_line_f. */
void canvas_pen_line_box(canvas *c, double x0, double y0, double x1, double y1, const canvas_pen *p, int box);

void canvas_pen_dot(canvas *c, int x, int y, const canvas_pen *p);
void canvas_pen_line_f(canvas *c, double x0, double y0, double x1, double y1, const canvas_pen *p);
/* The priority of the pen that owns the cell's dots (0 when it has none or was drawn plainly). */
int canvas_cell_prio(const canvas *c, int col, int row);
/* Whether the cell has any dots (text over them does not matter). */
int canvas_cell_has_dots(const canvas *c, int col, int row);

/* Mark a cell (a point's marker) in colour role color; glyph is what text output shows there.
 * Outside the canvas: ignored. canvas_cell_mark gives the role, or -1 for an unmarked cell, and
 * the glyph (glyph may be NULL). */
void canvas_mark(canvas *c, int col, int row, int color, char glyph);
int canvas_cell_mark(const canvas *c, int col, int row, char *glyph);

/* ASCII text in whole cells from (col, row) rightwards, cut at the canvas edge; other bytes show as
 * '?'. Text cells (spaces included) hide any dots in them. */
void canvas_text(canvas *c, int col, int row, const char *s, int color);

/* One cell as UTF-8 (a braille char, an ASCII char, or " ") and its colour (color may be NULL).
 * The string is static and constant; outside the canvas: " " and CC_DEFAULT. */
const char *canvas_cell(const canvas *c, int col, int row, int *color);
/* Whether the cell shows text rather than dots. */
int canvas_cell_is_text(const canvas *c, int col, int row);
/* A whole row as a UTF-8 string (no colours, no marks: the cells as canvas_cell gives them),
 * trailing blanks kept, always terminated when len > 0;
 * cut at a character boundary when buf is short. At most cols * 3 + 1 bytes are needed. */
void canvas_row_utf8(const canvas *c, int row, char *buf, size_t len);
/* The same for text output, where marks cannot be shown as reverse video: a marked cell that is
 * not text shows its mark's glyph. */
void canvas_row_text(const canvas *c, int row, char *buf, size_t len);

/* Whether text len cells long at (start, r) hides nothing: no text in or beside it (a blank of air
 * either side), no mark in it, and no dots (strict) or none of a priority at or above prio. */
int canvas_text_free(const canvas *c, int start, int r, int len, int prio, int strict);

#endif
