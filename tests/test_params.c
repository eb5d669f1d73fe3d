/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The parameter table and strict value parsing. */
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "tap.h"

static int refuses(int id, const char *text, const char *phrase)
{
	char err[256] = "";
	double v = 12345;
	int rc = params_parse_value(id, text, &v, err, sizeof err);
	int good = rc == -1 && v == 12345 && strstr(err, params_table[id].name) && strstr(err, phrase);
	if (!good)
		tap_diag("'%s' gave rc %d, message '%s'", text, rc, err);
	return good;
}

int main(void)
{
	param_set p;
	params_defaults(&p);
	char err[512];
	ok(params_check_set(&p, err, sizeof err) == 0, "the defaults are valid");
	ok(p.v[P_THETA_P] == 1.3 && p.v[P_GAMMA_P] == 321.808 && p.v[P_DELAY_MS] == 13.7 &&
	       p.v[P_POINTS] == 41 && p.v[P_REPS] == 1000 && p.v[P_STEP_MS] == 0.1,
	   "the defaults are the seed's DP set and protocol");
	for (int i = 0; i < P_COUNT; i++) {
		const param_info *pi = &params_table[i];
		ok(pi->name && pi->section && pi->unit && pi->help && pi->min <= pi->def &&
		       pi->def <= pi->max && pi->step > 0 && pi->coarse >= pi->step &&
		       params_find(pi->name) == i,
		   "table row %s is complete and consistent", pi->name);
	}
	ok(params_find("theta") == -1, "unknown names are not found");
	is_str(params_suggest("thetap"), "theta_p", "a typo suggests the closest name");
	ok(params_suggest("completely_different") == NULL, "no suggestion for unrelated names");

	double v;
	ok(params_parse_value(P_THETA_P, " 1.25 ", &v, err, sizeof err) == 0 && v == 1.25, "plain value");
	ok(params_parse_value(P_GAMMA_D, "2e2", &v, err, sizeof err) == 0 && v == 200, "exponent");
	ok(refuses(P_TAU_CA_MS, "3 ms", "not a valid value"), "'3 ms' refused");
	ok(refuses(P_THETA_D, "abc", "not a valid value"), "'abc' refused");
	ok(refuses(P_THETA_D, "1.5e", "not a valid value"), "'1.5e' refused");
	ok(refuses(P_THETA_D, "1,3", "not a valid value"), "'1,3' refused");
	ok(refuses(P_THETA_D, "nan", "not a valid value"), "nan refused");
	ok(refuses(P_THETA_D, "inf", "not a valid value"), "inf refused");
	ok(refuses(P_THETA_D, "-inf", "not a valid value"), "-inf refused");
	ok(refuses(P_THETA_D, "0x10", "not a valid value"), "hex refused");
	ok(refuses(P_THETA_D, "", "not a valid value"), "empty refused");
	ok(refuses(P_THETA_D, "1e999", "not a valid value"), "overflow refused");
	ok(refuses(P_REPS, "0", "out of range"), "reps 0 refused");
	ok(refuses(P_REPS, "10.5", "whole number"), "fractional reps refused");
	ok(refuses(P_THETA_P, "11", "0.01 to 10"), "out of range names the range");
	/* The user's locale never changes how numbers read. */
	if (setlocale(LC_ALL, "de_DE.UTF-8"))
		ok(params_parse_value(P_THETA_P, "1.5", &v, err, sizeof err) == 0 && v == 1.5,
		   "1.5 parses in a German locale");
	else
		ok(1, "# SKIP no de_DE locale here");
	setlocale(LC_ALL, "C");

	ok(params_apply_assignment(&p, "theta_p=1.4", err, sizeof err) == 0 && p.v[P_THETA_P] == 1.4,
	   "NAME=VALUE assigns");
	ok(params_apply_assignment(&p, "thetap=1.4", err, sizeof err) == -1 && strstr(err, "theta_p"),
	   "unknown name suggests the right one: %s", err);
	ok(params_apply_assignment(&p, "theta_p", err, sizeof err) == -1 && strstr(err, "NAME=VALUE"),
	   "missing '=' refused");

	params_defaults(&p);
	p.v[P_DT_MIN_MS] = 50;
	p.v[P_DT_MAX_MS] = -50;
	ok(params_check_set(&p, err, sizeof err) == -1 && strstr(err, "dt_min_ms"),
	   "dt_min > dt_max refused");
	params_defaults(&p);
	p.v[P_STEP_MS] = 1;
	p.v[P_GAMMA_P] = 5000;
	p.v[P_GAMMA_D] = 5000;
	p.v[P_TAU_S] = 5;
	ok(params_check_set(&p, err, sizeof err) == -1 && strstr(err, "step_ms"),
	   "an unstable Euler step refused");

	/* Exact formatting reads back bit for bit. */
	int exact = 1;
	srand(3);
	for (int i = 0; i < 10000; i++) {
		double x = ldexp((double)rand() / RAND_MAX, rand() % 40 - 20) * (rand() % 2 ? 1 : -1);
		char buf[40];
		params_format_exact(x, buf, sizeof buf);
		exact &= strtod(buf, NULL) == x;
	}
	ok(exact, "params_format_exact round-trips 10000 random doubles");
	char buf[40];
	params_format_exact(0.1, buf, sizeof buf);
	is_str(buf, "0.1", "and stays short");

	params_defaults(&p);
	ok(params_dt_ms(&p, 0) == -100 && params_dt_ms(&p, 20) == 0 && params_dt_ms(&p, 21) == 5 &&
	       params_dt_ms(&p, 40) == 100,
	   "the default grid is -100, ..., 0, 5, ..., 100 ms");
	return tap_done();
}
