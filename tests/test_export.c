/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The exporter's parts that need no Brian2: the command line of a state, and what it refuses. (The
 * scripts' numbers are checked by brian2-roundtrip.test, their text by export-lesson.sh.) */
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "params.h"
#include "tap.h"

/* export_brian2 into memory: its return value, the text in *out (malloc'ed). */
static int brian2(const param_set *p, char **out, char *err, size_t errlen)
{
	size_t len = 0;
	*out = NULL;
	FILE *f = open_memstream(out, &len);
	if (!f)
		return -2;
	int rc = export_brian2(f, p, NULL, err, errlen);
	fclose(f);
	return rc;
}

int main(void)
{
	param_set d, p, ref;
	char buf[4096], err[1024], *text;
	params_defaults(&d);

	ok(export_command(&d, NULL, buf, sizeof buf) == 0 && strcmp(buf, "") == 0,
	   "the defaults: no options");
	p = d;
	p.v[P_THETA_P] = 1.45;
	p.v[P_PROTOCOL] = PROTO_POISSON;
	p.v[P_GAMMA_P] = 321.80800000000005;
	ok(export_command(&p, NULL, buf, sizeof buf) == 0, "a changed set");
	is_str(buf, "--set theta_p=1.45 --set gamma_p=321.80800000000005 --set protocol=poisson",
	       "one --set per change, in table order, values exact, choices by name");
	ref = d;
	ref.v[P_THETA_P] = 1.45;
	export_source src = {.preset = "DPD", .reference = &ref};
	ok(export_command(&p, &src, buf, sizeof buf) == 0, "from a preset");
	is_str(buf, "--preset DPD --set gamma_p=321.80800000000005 --set protocol=poisson",
	       "the preset, then only what differs from it");
	export_source file = {.params_file = "my set's file.ini", .reference = &d};
	ok(export_command(&d, &file, buf, sizeof buf) == 0, "from a file with blanks and a quote");
	is_str(buf, "--params 'my set'\\''s file.ini'", "the file name quoted for a shell");
	ok(export_command(&p, NULL, buf, 20) == -1, "a buffer too small: -1, not a cut command");

	for (int k = 0; k < PROTO_COUNT; k++) {
		p = d;
		p.v[P_PROTOCOL] = k;
		int rc = brian2(&p, &text, err, sizeof err);
		ok(rc == 0 && text && strstr(text, "def trains(x):") &&
		       strstr(text, "brian2_seed(int(seed))"),
		   "protocol %d: a script with its trains function", k);
		free(text);
	}
	/* The 2020 weight model with every variant on, on every protocol: its events and its columns. */
	for (int k = 0; k < PROTO_COUNT; k++) {
		p = d;
		p.v[P_PROTOCOL] = k;
		p.v[P_EFFICACY] = EFFICACY_WEIGHT;
		p.v[P_STD_U] = 0.4;
		p.v[P_PRE_SCALED] = 1;
		p.v[P_NL] = 2;
		err[0] = '\0';
		int rc = brian2(&p, &text, err, sizeof err);
		int random = k == PROTO_POISSON || k == PROTO_IRREGULAR || k == PROTO_IRREGULAR_RATE;
		ok(rc == 0 && text && strstr(text, "def events(x):") && !strstr(text, "def trains(x):") &&
		       strstr(text, "X_COLUMN + ',change,change_lo,change_hi,trials,method") &&
		       strstr(text, "efficacy = 'weight'") && strstr(text, "std_u = 0.4 ") &&
		       strstr(text, "nl = 2 ") && strstr(text, "pre_scaled = 'yes'") &&
		       strstr(text, random ? "RANDOM = True" : "RANDOM = False"),
		   "protocol %d, the weight model with depression, scaled and nonlinear calcium: a script "
		   "with "
		   "its events function%s%s",
		   k, err[0] ? ": " : "", err);
		free(text);
	}
	p = d;
	p.v[P_PROTOCOL] = PROTO_IRREGULAR;
	brian2(&p, &text, err, sizeof err);
	ok(text && strstr(text, "\npair_prob = 1 ") && strstr(text, "\nrate_post_hz = 10 * Hz ") &&
	       !strstr(text, "\npresentations = "),
	   "the irregular protocol's script has its parameters, and not the presentations'");
	free(text);
	p = d;
	p.v[P_PRESENTATIONS] = 15;
	brian2(&p, &text, err, sizeof err);
	ok(text && strstr(text, "\npresentations = 15 ") && strstr(text, "\ninterval_s = 10 * second "),
	   "the pairs protocol's script has its presentations");
	free(text);
	/* What no model of the script expresses: the 2012 model with a 2020 variant (the program has no
	 * such model either). */
	p = d;
	p.v[P_STD_U] = 0.4;
	err[0] = '\0';
	int refused = brian2(&p, &text, err, sizeof err);
	ok(refused == -1 && text && text[0] == '\0' && strstr(err, "cannot be exported to Brian2") &&
	       strstr(err, "std_u") && strstr(err, "efficacy = weight"),
	   "the bistable model with depression: refused, saying why, nothing written (%s)", err);
	free(text);
	p = d;
	p.v[P_PROTOCOL] = PROTO_COUNT; /* a protocol the exporter has no function for */
	err[0] = '\0';
	int rc = brian2(&p, &text, err, sizeof err);
	ok(rc == -1 && text && text[0] == '\0' && strstr(err, "cannot be exported to Brian2 yet"),
	   "a protocol without an export function: refused, nothing written (%s)", err);
	free(text);
	ok(export_parse_kind("brian2") == EXPORT_BRIAN2 && export_parse_kind("command") == EXPORT_COMMAND &&
	       export_parse_kind("ini") == EXPORT_INI && export_parse_kind("nest") == -1,
	   "the kinds by name");
	return tap_done();
}
