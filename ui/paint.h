/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Painting on the curses screen, knowing nothing of the explorer's state: text cut to a width,
 * boxes and dividers, a canvas copied to the screen, words wrapped, and the few phrases the screen
 * uses for a protocol or a range. Attributes come in as arguments. */
#ifndef CSTDP_PAINT_H
#define CSTDP_PAINT_H

#include <curses.h>
#include <stddef.h>

#include "canvas.h"
#include "params.h"
#include "plot.h"
#include "sliders.h"

/* Box drawing and bar glyphs, UTF-8 or ASCII. */
typedef struct paint_glyphs {
	const char *h, *v, *tl, *tr, *bl, *br; /* box */
	const char *fill, *knob, *rest;        /* slider bar */
	const char *ml, *mr;                   /* a divider's ends */
} paint_glyphs;

const paint_glyphs *paint_glyphs_for(int utf8);

/* The bytes of s that fit width columns (ASCII or width-1 UTF-8 characters), cut between words
 * when s has a blank before the cut (and without the punctuation before it). */
size_t paint_cut(const char *s, int width);
/* Text at (x, y), cut to width columns as paint_cut says. */
void paint_text(int y, int x, int width, const char *s, attr_t a);
/* The border of r in frame, its title (when not NULL) at the top left in title_attr. */
void paint_box(int utf8, sliders_rect r, attr_t frame, const char *title, attr_t title_attr);
/* A box over the screen with blank inside (the help, the fit report); the rows it spans are
 * blanked across the screen. */
void paint_over_box(int utf8, int x0, int y0, int w, int h, attr_t frame);
/* A line across r at row y with its title, joining r's borders. */
void paint_divider(int utf8, sliders_rect r, int y, const char *title, attr_t frame, attr_t title_attr);
/* Cells of c to the screen from (x, y): attr[] maps c's colours (and marks) to attributes; bold
 * adds A_BOLD everywhere (presenting). A marked cell (a point's marker) is drawn in reverse video
 * in the mark's colour, so that the curve through it still shows inside it. */
void paint_canvas(const canvas *c, int x, int y, int rows, const attr_t *attr, int nattr, int bold);
/* Words of s wrapped to width columns into lines[max]; returns the count. A word longer than
 * width is cut. */
int paint_wrap(const char *s, int width, char lines[][96], int max);
/* Words of s wrapped into the rectangle r, from line on; returns the next free line. */
int paint_wrapped(sliders_rect r, int line, const char *s, attr_t a);

/* A protocol in a few words: "60 pairs at 1 Hz", "75 pairs at dt = +10 ms". */
void paint_protocol(const param_set *p, char *buf, size_t len);
/* A parameter's range as the title and the info say it. */
void paint_range(const param_info *pi, char *buf, size_t len);

#endif
