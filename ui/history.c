/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Undo and redo: a ring of parameter states. */
#include "history.h"

#include <stdio.h>
#include <string.h>

static history_entry *at(history *h, int k)
{
	return &h->e[(h->first + k) % HISTORY_MAX];
}

static void fill(history_entry *e, history_state st, const char *label, int param)
{
	e->set = *st.set;
	e->reference = *st.reference;
	snprintf(e->ref_name, sizeof e->ref_name, "%s", st.ref_name);
	snprintf(e->label, sizeof e->label, "%s", label);
	e->param = param;
}

void history_init(history *h, history_state st, const char *label)
{
	memset(h, 0, sizeof *h);
	h->n = 1;
	fill(&h->e[0], st, label, -1);
}

void history_push(history *h, history_state st, const char *label, int param)
{
	history_entry *top = at(h, h->cur);
	if (memcmp(&top->set, st.set, sizeof *st.set) == 0 &&
	    memcmp(&top->reference, st.reference, sizeof *st.reference) == 0 &&
	    strcmp(top->ref_name, st.ref_name) == 0)
		return;
	h->n = h->cur + 1; /* what could be redone is gone */
	if (param >= 0 && top->param == param && h->cur > 0 &&
	    memcmp(&top->reference, st.reference, sizeof *st.reference) == 0) {
		fill(top, st, label, param);
		return;
	}
	if (h->n == HISTORY_MAX) {
		h->first = (h->first + 1) % HISTORY_MAX;
		h->n--;
		h->cur--;
	}
	fill(at(h, h->n), st, label, param);
	h->cur = h->n++;
}

void history_seal(history *h)
{
	at(h, h->cur)->param = -1;
}

const history_entry *history_undo(history *h, const char **label)
{
	if (h->cur == 0)
		return NULL;
	history_entry *undone = at(h, h->cur);
	undone->param = -1;
	*label = undone->label;
	h->cur--;
	history_seal(h);
	return at(h, h->cur);
}

const history_entry *history_redo(history *h, const char **label)
{
	if (h->cur + 1 >= h->n)
		return NULL;
	h->cur++;
	history_entry *e = at(h, h->cur);
	*label = e->label;
	history_seal(h);
	return e;
}
