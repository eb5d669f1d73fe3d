/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fit report view: the last fit's report (u->report) in a box over the plot; any key or a click
 * closes it, and u also undoes the fit it reports. */
#include "ui.h"

#include <string.h>

#include "paint.h"

static void report_key(ui *u, int is_key, int ch)
{
	ui_view_close(u);
	if (!is_key && ch == 'u')
		ui_undo(u);
}

static void report_mouse(ui *u, const MEVENT *ev)
{
	if (ev->bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
		ui_view_close(u);
}

static void report_draw(ui *u, sliders_rect r, char *title, size_t len)
{
	(void)r;
	(void)title;
	(void)len;
	int lines = 1;
	for (const char *s = u->report; *s; s++)
		lines += *s == '\n';
	int w = COLS - 4 < 90 ? COLS - 4 : 90, h = lines + 2 < LINES - 2 ? lines + 2 : LINES - 2;
	int x0 = (COLS - w) / 2, y0 = (LINES - 2 - h) / 2;
	attr_t frame = ui_attr(u, CC_AXIS);
	paint_over_box(u->utf8, x0, y0, w, h, frame);
	attrset(ui_attr(u, UR_KEY));
	mvaddnstr(y0, x0 + 2, " fit ", w - 4);
	attrset(frame);
	mvaddnstr(y0 + h - 1, x0 + 2, " any key closes; u undoes the fit ", w - 4);
	attrset(A_NORMAL);
	const char *s = u->report;
	for (int i = 0; i < h - 2 && *s; i++) {
		size_t n = strcspn(s, "\n");
		mvaddnstr(y0 + 1 + i, x0 + 2, s, (int)n < w - 4 ? (int)n : w - 4);
		s += n + (s[n] == '\n');
	}
}

const ui_view view_report = {
    .name = "report",
    .place = UI_OVER,
    .key = report_key,
    .mouse = report_mouse,
    .draw = report_draw,
};
