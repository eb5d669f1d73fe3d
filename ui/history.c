/* Undo and redo: a ring of parameter sets. */
#include "history.h"

#include <stdio.h>
#include <string.h>

static history_entry *at(history *h, int k)
{
	return &h->e[(h->first + k) % HISTORY_MAX];
}

void history_init(history *h, const param_set *p, const char *label)
{
	memset(h, 0, sizeof *h);
	h->n = 1;
	h->e[0].set = *p;
	h->e[0].param = -1;
	snprintf(h->e[0].label, sizeof h->e[0].label, "%s", label);
}

void history_push(history *h, const param_set *p, const char *label, int param)
{
	history_entry *top = at(h, h->cur);
	if (memcmp(&top->set, p, sizeof *p) == 0)
		return;
	h->n = h->cur + 1; /* what could be redone is gone */
	if (param >= 0 && top->param == param && h->cur > 0) {
		top->set = *p;
		return;
	}
	if (h->n == HISTORY_MAX) {
		h->first = (h->first + 1) % HISTORY_MAX;
		h->n--;
		h->cur--;
	}
	history_entry *e = at(h, h->n);
	e->set = *p;
	e->param = param;
	snprintf(e->label, sizeof e->label, "%s", label);
	h->cur = h->n++;
}

void history_seal(history *h)
{
	at(h, h->cur)->param = -1;
}

int history_undo(history *h, param_set *p, const char **label)
{
	if (h->cur == 0)
		return -1;
	history_entry *undone = at(h, h->cur);
	undone->param = -1;
	*label = undone->label;
	h->cur--;
	*p = at(h, h->cur)->set;
	return 0;
}

int history_redo(history *h, param_set *p, const char **label)
{
	if (h->cur + 1 >= h->n)
		return -1;
	h->cur++;
	history_entry *e = at(h, h->cur);
	*label = e->label;
	*p = e->set;
	return 0;
}
