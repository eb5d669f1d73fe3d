/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pinned curves. */
#include "pins.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double *copy(const double *a, int n)
{
	double *c = malloc((size_t)(n > 0 ? n : 1) * sizeof *c);
	if (c && n > 0)
		memcpy(c, a, (size_t)n * sizeof *c);
	return c;
}

static void pin_free(pin *p)
{
	free(p->x);
	free(p->y);
	free(p->ax);
	free(p->ay);
	memset(p, 0, sizeof *p);
}

int pins_add(pins *ps, const param_set *set, const double *x, const double *y, int n, const double *ax,
             const double *ay, int na)
{
	pin q = {.set = *set, .n = n, .na = na};
	q.x = copy(x, n);
	q.y = copy(y, n);
	q.ax = copy(ax, na);
	q.ay = copy(ay, na);
	if (!q.x || !q.y || !q.ax || !q.ay) {
		pin_free(&q);
		return -1;
	}
	/* A style no kept pin uses, so that every pin keeps its look while others come and go. */
	if (ps->n == PINS_MAX) {
		pin_free(&ps->p[0]);
		memmove(&ps->p[0], &ps->p[1], (PINS_MAX - 1) * sizeof ps->p[0]);
		ps->n--;
	}
	for (int s = 0; s < PINS_MAX; s++) {
		int used = 0;
		for (int i = 0; i < ps->n; i++)
			used |= ps->p[i].style == s;
		if (!used) {
			q.style = s;
			break;
		}
	}
	ps->p[ps->n++] = q;
	return 0;
}

void pins_clear(pins *ps)
{
	for (int i = 0; i < ps->n; i++)
		pin_free(&ps->p[i]);
	ps->n = 0;
}

void pins_label(const pin *p, const param_set *current, char *buf, size_t len)
{
	int shown = 0, more = 0;
	size_t at = 0;
	buf[0] = 0;
	for (int i = 0; i < P_COUNT; i++) {
		if (p->set.v[i] == current->v[i])
			continue;
		if (shown == 2) {
			more++;
			continue;
		}
		char a[32], b[32];
		params_format_value(i, p->set.v[i], a, sizeof a);
		params_format_value(i, current->v[i], b, sizeof b);
		int k = snprintf(buf + at, at < len ? len - at : 0, "%s%s %s -> %s", shown ? ", " : "",
		                 params_table[i].name, a, b);
		if (k > 0)
			at += (size_t)k;
		shown++;
	}
	if (more && at < len)
		snprintf(buf + at, len - at, " +%d more", more);
	if (!shown)
		snprintf(buf, len, "same parameters");
}
