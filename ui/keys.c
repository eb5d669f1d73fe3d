/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command table's words: its lookup, the help screen's entries, the hints line and the man
 * page, all from one table (keys.h). No curses: the explorer draws what these return. */
#include "keys.h"

#include <string.h>

const keys_command *keys_find(const keys_command *t, int n, int ch)
{
	for (int i = 0; i < n; i++)
		for (int k = 0; k < KEYS_BOUND && t[i].key[k]; k++)
			if (t[i].key[k] == ch && t[i].run)
				return &t[i];
	return NULL;
}

int keys_help_rows(const keys_command *t, int n, int *out)
{
	int m = 0;
	for (int i = 0; i < n; i++)
		if (t[i].keys) {
			if (out)
				out[m] = i;
			m++;
		}
	return m;
}

static int rank_of(const keys_command *c, const char *view, int present)
{
	if (view ? !c->view || strcmp(c->view, view) != 0 : c->view != NULL)
		return 0;
	return present && !view ? c->present : c->hint;
}

/* The rows of t (of view) ranked in (lo, hi], in rank order, into idx; returns how many. */
static int ranked(const keys_command *t, int n, const char *view, int present, int lo, int hi, int *idx,
                  int max)
{
	int m = 0;
	for (int r = lo + 1; r <= hi && m < max; r++)
		for (int i = 0; i < n && m < max; i++)
			if (rank_of(&t[i], view, present) == r)
				idx[m++] = i;
	return m;
}

static keys_hint hint_of(const keys_command *c, int present, int utf8)
{
	keys_hint h;
	int wide = utf8 && c->hint_utf8;
	h.key = wide ? c->hint_utf8 : c->hint_key;
	h.key_cols = wide ? 2 : (int)strlen(h.key);
	h.what = present && c->present_what ? c->present_what : c->hint_what;
	h.x = 0;
	return h;
}

int keys_hints(const keys_command *t, int n, const char *view, int present, int utf8, int width,
               keys_hint *out)
{
	int body[KEYS_HINTS_MAX], tail[KEYS_HINTS_MAX];
	if (view && ranked(t, n, view, present, 0, 2 * KEYS_TAIL, body, KEYS_HINTS_MAX) == 0)
		view = NULL; /* a view without rows of its own: the plot's keys */
	if (view)
		present = 0;
	int nb = ranked(t, n, view, present, 0, KEYS_TAIL - 1, body, KEYS_HINTS_MAX);
	int nt = ranked(t, n, view, present, KEYS_TAIL - 1, 2 * KEYS_TAIL, tail, KEYS_HINTS_MAX);
	int tail_cols = 0, m = 0, x = 1;
	for (int i = 0; i < nt; i++) {
		keys_hint h = hint_of(&t[tail[i]], present, utf8);
		tail_cols += h.key_cols + (int)strlen(h.what) + 3;
	}
	for (int i = 0; i < nb && m < KEYS_HINTS_MAX; i++) {
		keys_hint h = hint_of(&t[body[i]], present, utf8);
		int need = h.key_cols + 1 + (int)strlen(h.what) + 2;
		if (x + need + tail_cols > width)
			break;
		h.x = x;
		out[m++] = h;
		x += need;
	}
	for (int i = 0; i < nt && m < KEYS_HINTS_MAX; i++) {
		keys_hint h = hint_of(&t[tail[i]], present, utf8);
		h.x = x;
		out[m++] = h;
		x += h.key_cols + (int)strlen(h.what) + 3;
	}
	return m;
}

void keys_print_man(const keys_command *t, int n, FILE *f)
{
	for (int i = 0; i < n; i++) {
		if (!t[i].keys)
			continue;
		fputs(".TP\n.B ", f);
		/* Quoted, so that the blanks inside stay one argument; "  " separates alternatives. */
		fputc('"', f);
		for (const char *k = t[i].keys; *k; k++) {
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
		fprintf(f, "%s.\n", t[i].help);
	}
}
