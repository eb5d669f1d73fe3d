/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Undo and redo of parameter changes: the order of states, merged slider steps, preset loads with
 * their reference, the bound. */
#include "history.h"
#include "tap.h"

static param_set with(double theta_p, double gamma_d)
{
	param_set p;
	params_defaults(&p);
	p.v[P_THETA_P] = theta_p;
	p.v[P_GAMMA_D] = gamma_d;
	return p;
}

static param_set ref;

static history_state state(const param_set *p)
{
	return (history_state){p, &ref, "DP"};
}

int main(void)
{
	history h;
	params_defaults(&ref);
	param_set p = with(1.3, 200);
	const char *label;
	const history_entry *e;
	history_init(&h, state(&p), "start");
	ok(!history_undo(&h, &label) && !history_redo(&h, &label), "nothing to undo or redo at the start");

	/* Three steps of theta_p make one entry; then gamma_d. */
	for (int i = 1; i <= 3; i++) {
		p = with(1.3 + 0.1 * i, 200);
		history_push(&h, state(&p), "theta_p", P_THETA_P);
	}
	p = with(1.6, 250);
	history_push(&h, state(&p), "gamma_d", P_GAMMA_D);
	ok(h.n == 3 && h.cur == 2, "three theta_p steps and a gamma_d step: two entries after the start");
	e = history_undo(&h, &label);
	ok(e && e->set.v[P_GAMMA_D] == 200 && e->set.v[P_THETA_P] == 1.6, "undo takes back gamma_d");
	is_str(label, "gamma_d", "and says what it undid");
	e = history_undo(&h, &label);
	ok(e && e->set.v[P_THETA_P] == 1.3, "undo takes back the whole theta_p run");
	ok(!history_undo(&h, &label), "then nothing is left to undo");
	e = history_redo(&h, &label);
	ok(e && e->set.v[P_THETA_P] == 1.6 && e->set.v[P_GAMMA_D] == 200, "redo brings theta_p back");
	is_str(label, "theta_p", "and says what it redid");

	/* A new change drops what could be redone. */
	p = with(1.6, 300);
	history_push(&h, state(&p), "fit", -1);
	ok(!history_redo(&h, &label), "a new change (a fit) drops the redo list");
	e = history_undo(&h, &label);
	ok(e && e->set.v[P_GAMMA_D] == 200 && strcmp(label, "fit") == 0, "undo takes back the fit");

	/* After an undo, a step of the slider changed last starts a new entry instead of rewriting the
	 * one undone to. */
	p = with(1.7, 200);
	history_push(&h, state(&p), "theta_p", P_THETA_P);
	e = history_undo(&h, &label);
	ok(e && e->set.v[P_THETA_P] == 1.6, "after an undo, a slider step is an entry of its own");

	/* A preset load: the reference and its name come back with the values. */
	param_set dpd = with(1.3, 250), dpd_ref = dpd;
	history_push(&h, (history_state){&dpd, &dpd_ref, "DPD"}, "preset DPD", -1);
	p = with(1.4, 250);
	history_push(&h, (history_state){&p, &dpd_ref, "DPD"}, "theta_p", P_THETA_P);
	e = history_undo(&h, &label);
	ok(e && strcmp(e->ref_name, "DPD") == 0 && e->set.v[P_THETA_P] == 1.3, "undo within the preset DPD");
	e = history_undo(&h, &label);
	ok(e && strcmp(e->ref_name, "DP") == 0 && e->reference.v[P_GAMMA_D] == ref.v[P_GAMMA_D] &&
	       strcmp(label, "preset DPD") == 0,
	   "undoing the preset load brings back DP as the reference");

	/* The same state again is not an entry. */
	int n = h.n;
	history_push(&h, state(&e->set), "again", -1);
	ok(h.n == n, "a change to the same state is not recorded");

	/* Bounded: the oldest go. */
	history_init(&h, state(&p), "start");
	for (int i = 0; i < HISTORY_MAX + 50; i++) {
		p = with(1.0 + 0.001 * i, 200);
		history_push(&h, state(&p), "preset", -1);
	}
	int undos = 0;
	const history_entry *last = NULL;
	while ((e = history_undo(&h, &label)) != NULL) {
		undos++;
		last = e;
	}
	ok(undos == HISTORY_MAX - 1, "at most %d entries are kept (%d undos)", HISTORY_MAX, undos);
	ok(last && fabs(last->set.v[P_THETA_P] - (1.0 + 0.001 * 50)) < 1e-12,
	   "the oldest kept is the 51st change");
	return tap_done();
}
