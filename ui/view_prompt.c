/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The prompt view: a one-line editor in the status line (UTF-8 text, the cursor on character
 * boundaries), or a y/n question answered by the next key. Whoever opened it (ui_prompt_open) says
 * what the answer does; Esc or Ctrl-C cancels. */
#include "ui.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "paint.h"

#define CTRL_KEY(c) ((c)&0x1f)
#define KEY_ESC     27

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

/* Closed first: the answer may open another view or quit. */
static void answer(ui *u, const char *text)
{
	void (*accept)(ui *, const char *) = u->prompt.accept;
	char copy[UI_TEXT_MAX];
	snprintf(copy, sizeof copy, "%s", text);
	ui_view_close(u);
	if (accept)
		accept(u, copy);
}

static void prompt_key(ui *u, int is_key, int ich)
{
	ui_prompt *p = &u->prompt;
	wint_t ch = (wint_t)ich;
	ui_dirty(u);
	if (p->yesno) {
		answer(u, !is_key && (ch == 'y' || ch == 'Y') ? "y" : "");
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
		answer(u, p->text);
		break;
	case KEY_ESC:
		ui_view_close(u);
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

/* Ctrl-C cancels the prompt (a second one then quits). */
static int prompt_interrupt(ui *u)
{
	ui_view_close(u);
	ui_message(u, 0, "cancelled (Ctrl-C again quits)");
	return 1;
}

/* In the status line r, the terminal's cursor left at the insertion point. */
static void prompt_draw(ui *u, sliders_rect r, char *title, size_t len)
{
	(void)title;
	(void)len;
	const ui_prompt *p = &u->prompt;
	int lw = (int)strlen(p->label);
	/* Columns before the cursor, counting UTF-8 characters. */
	int ccol = 0;
	for (int i = 0; i < p->cursor; i++)
		ccol += (p->text[i] & 0xC0) != 0x80;
	int avail = r.w - lw - 2;
	int skip = ccol > avail ? ccol - avail : 0;
	const char *s = p->text;
	for (int k = 0; k < skip; k++) {
		s++;
		while ((*s & 0xC0) == 0x80)
			s++;
	}
	paint_text(r.y, r.x, r.w, p->label, ui_attr(u, UR_KEY));
	paint_text(r.y, r.x + lw, avail + 1, s, A_NORMAL);
	move(r.y, r.x + lw + ccol - skip);
}

const ui_view view_prompt = {
    .name = "prompt",
    .place = UI_AT_STATUS,
    .key = prompt_key,
    .interrupt = prompt_interrupt,
    .draw = prompt_draw,
};
