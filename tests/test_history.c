/* Undo and redo of parameter changes: the order of sets, merged slider steps, the bound. */
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

int main(void)
{
	history h;
	param_set p = with(1.3, 200), got;
	const char *label;
	history_init(&h, &p, "preset DP");
	ok(history_undo(&h, &got, &label) == -1 && history_redo(&h, &got, &label) == -1,
	   "nothing to undo or redo at the start");

	/* Three steps of theta_p make one entry; then gamma_d. */
	for (int i = 1; i <= 3; i++) {
		p = with(1.3 + 0.1 * i, 200);
		history_push(&h, &p, "theta_p", P_THETA_P);
	}
	p = with(1.6, 250);
	history_push(&h, &p, "gamma_d", P_GAMMA_D);
	ok(h.n == 3 && h.cur == 2, "three theta_p steps and a gamma_d step: two entries after the start");
	ok(history_undo(&h, &got, &label) == 0 && got.v[P_GAMMA_D] == 200 && got.v[P_THETA_P] == 1.6,
	   "undo takes back gamma_d");
	is_str(label, "gamma_d", "and says what it undid");
	ok(history_undo(&h, &got, &label) == 0 && got.v[P_THETA_P] == 1.3,
	   "undo takes back the whole theta_p run");
	ok(history_undo(&h, &got, &label) == -1, "then nothing is left to undo");
	ok(history_redo(&h, &got, &label) == 0 && got.v[P_THETA_P] == 1.6 && got.v[P_GAMMA_D] == 200,
	   "redo brings theta_p back");
	is_str(label, "theta_p", "and says what it redid");

	/* A new change drops what could be redone. */
	p = with(1.6, 300);
	history_push(&h, &p, "fit", -1);
	ok(history_redo(&h, &got, &label) == -1, "a new change (a fit) drops the redo list");
	ok(history_undo(&h, &got, &label) == 0 && got.v[P_GAMMA_D] == 200 && strcmp(label, "fit") == 0,
	   "undo takes back the fit");

	/* After an undo, steps of the same slider start a new entry instead of rewriting an old one. */
	history_redo(&h, &got, &label);
	p = with(1.7, 300);
	history_push(&h, &p, "theta_p", P_THETA_P);
	history_seal(&h);
	p = with(1.8, 300);
	history_push(&h, &p, "theta_p", P_THETA_P);
	ok(history_undo(&h, &got, &label) == 0 && got.v[P_THETA_P] == 1.7, "after a pause, a new entry");

	/* The same set again is not an entry. */
	int n = h.n;
	history_push(&h, &got, "preset", -1);
	ok(h.n == n, "a change to the same values is not recorded");

	/* Bounded: the oldest go. */
	history_init(&h, &p, "start");
	for (int i = 0; i < HISTORY_MAX + 50; i++) {
		p = with(1.0 + 0.001 * i, 200);
		history_push(&h, &p, "preset", -1);
	}
	int undos = 0;
	while (history_undo(&h, &got, &label) == 0)
		undos++;
	ok(undos == HISTORY_MAX - 1, "at most %d entries are kept (%d undos)", HISTORY_MAX, undos);
	is_near(got.v[P_THETA_P], 1.0 + 0.001 * 50, 1e-12, "the oldest kept is the 51st change");
	return tap_done();
}
