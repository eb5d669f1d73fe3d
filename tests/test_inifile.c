/* SPDX-License-Identifier: GPL-3.0-or-later */
/* INI load/save and presets: every preset loads with the paper's values, files round-trip to the same
 * doubles, every malformed file is refused with the right FILE:LINE message, saves are atomic.
 * Usage: test_inifile [PARAMS_DIR]; without it $CALCIUM_STDP_PARAMS (its first directory), then
 * "params". Temporary files go to a mkdtemp directory under $TMPDIR or /tmp. */
/* realpath is XSI */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif

#include "analytic.h"
#include "inifile.h"
#include "inisave.h"
#include "presets.h"
#include "paper_sets.h"
#include "params.h"
#include "tap.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Directories are kept shorter than PATH_MAX so that file names made from them always fit. */
#define DIRLEN 1024
static char tmpdir[DIRLEN];
static char params_dir[DIRLEN];

/* ---- helpers -------------------------------------------------------------------------------- */

/* Save p to path as the command line does; 0 or -1 as the old single-module interface did. */
static int save_set(const char *path, const param_set *p, const char *header, char *err, size_t errlen)
{
	return inisave_params(path, p, header, 0, NULL, 0, err, errlen) == INISAVE_OK ? 0 : -1;
}

static void tmp_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

static void tmp_dir(char *buf, const char *name)
{
	snprintf(buf, DIRLEN, "%.900s/%s", tmpdir, name);
}

static int write_bytes(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t n = fwrite(text, 1, len, f);
	return fclose(f) == 0 && n == len ? 0 : -1;
}

static int write_text(const char *path, const char *text)
{
	return write_bytes(path, text, strlen(text));
}

/* The whole file, malloc'ed, or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 20);
	size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

static void diag_lines(const char *label, const char *text)
{
	tap_diag("%s:", label);
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		int n = nl ? (int)(nl - text) : (int)strlen(text);
		tap_diag("  | %.*s", n, text);
		text = nl ? nl + 1 : NULL;
	}
}

static int count_lines(const char *s)
{
	if (!s[0])
		return 0;
	int n = 1;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Line k (0-based) of s into buf. */
static void nth_line(const char *s, int k, char *buf, size_t len)
{
	for (; k > 0 && s; k--) {
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	if (!s) {
		buf[0] = '\0';
		return;
	}
	const char *nl = strchr(s, '\n');
	snprintf(buf, len, "%.*s", nl ? (int)(nl - s) : (int)strlen(s), s);
}

/* Does err have a line starting with "PATH:LINE: " ("PATH: " for line 0) that contains phrase? */
static int has_problem(const char *err, const char *path, int line, const char *phrase)
{
	char want[PATH_MAX + 32];
	if (line > 0)
		snprintf(want, sizeof want, "%s:%d: ", path, line);
	else
		snprintf(want, sizeof want, "%s: ", path);
	for (int k = 0; k < count_lines(err); k++) {
		char l[INIFILE_ERRLEN];
		nth_line(err, k, l, sizeof l);
		if (strncmp(l, want, strlen(want)) == 0 && strstr(l + strlen(want), phrase))
			return 1;
	}
	return 0;
}

static int same_set(const param_set *a, const param_set *b)
{
	return memcmp(a->v, b->v, sizeof a->v) == 0;
}

static int first_difference(const param_set *a, const param_set *b)
{
	for (int i = 0; i < P_COUNT; i++)
		if (memcmp(&a->v[i], &b->v[i], sizeof a->v[i]) != 0)
			return i;
	return -1;
}

/* Write text (len bytes) to a file called name and load it over the defaults: it must fail, leave
 * the set alone, and report phrase at line (0: the whole file). */
static void refused_n(const char *name, const char *text, size_t len, int line, const char *phrase)
{
	char path[PATH_MAX], err[INIFILE_ERRLEN];
	tmp_path(path, sizeof path, name);
	write_bytes(path, text, len);
	param_set p, before;
	params_defaults(&p);
	before = p;
	int r = inifile_load(path, &p, err, sizeof err);
	if (!ok(r == -1 && same_set(&p, &before) && has_problem(err, path, line, phrase),
	        "%s: refused, line %d: %s", name, line, phrase))
		diag_lines("err", err);
}

static void refused(const char *name, const char *text, int line, const char *phrase)
{
	refused_n(name, text, strlen(text), line, phrase);
}

/* Load text over *p; 0 expected. */
static int load_text(const char *name, const char *text, param_set *p, char *err, size_t errlen)
{
	char path[PATH_MAX];
	tmp_path(path, sizeof path, name);
	write_text(path, text);
	return inifile_load(path, p, err, errlen);
}

static int count_entries(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL)
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	if (d)
		closedir(d);
	return n;
}

static void remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		chmod(path, 0700);
		DIR *d = opendir(path);
		struct dirent *e;
		while (d && (e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char sub[PATH_MAX];
			snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
			remove_tree(sub);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* splitmix64: a fixed, portable sequence for the random sets. */
static uint64_t rng_state = 0x5eed5eed12345678u;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static double rng_unit(void)
{
	return (double)(rng_next() >> 11) * 0x1.0p-53;
}

/* ---- the presets and their values ----------------------------------------------------------- */

/* The values are model.md section 3, from tests/paper_sets.h; how each file's description starts: */
static const char *const description_start[PAPER_SETS] = {
    "DP (Fig. 2C)", "DPD (Fig. 2)",       "DPD' (Fig. 2)",        "P (Fig. 2)",      "D (Fig. 2)",
    "D' (Fig. 2)",  "Hippocampal slices", "Hippocampal cultures", "Cortical slices",
};
#define NPRESETS PAPER_SETS

/* A valid set unlike the defaults in every value, to show that a file sets every key. */
static void other_set(param_set *p)
{
	for (int i = 0; i < P_COUNT; i++) {
		const param_info *pi = &params_table[i];
		p->v[i] = pi->integer ? pi->min + 1 : pi->min + (pi->max - pi->min) / 3;
	}
	p->v[P_DT_MIN_MS] = -7;
	p->v[P_DT_MAX_MS] = 9;
	p->v[P_STEP_MS] = 0.05;
	p->v[P_TAU_S] = 5000;
}

static void test_presets_load(void)
{
	for (int k = 0; k < NPRESETS; k++) {
		const paper_set *e = &paper_sets[k];
		char path[PATH_MAX], want_path[PATH_MAX], err[INIFILE_ERRLEN];
		snprintf(want_path, sizeof want_path, "%s/%s.ini", params_dir, e->name);
		int r = presets_find(e->name, path, sizeof path);
		is_str(r == 0 ? path : NULL, want_path, "presets_find(%s)", e->name);
		param_set p, want, other;
		paper_set_params(e, &want);
		params_defaults(&p);
		r = inifile_load(want_path, &p, err, sizeof err);
		if (!ok(r == 0, "%s loads", e->name))
			diag_lines("err", err);
		int d = first_difference(&p, &want);
		if (!ok(d < 0, "%s has the values of model.md section 3", e->name))
			tap_diag("%s = %.17g, want %.17g", params_table[d].name, p.v[d], want.v[d]);
		/* Complete: loading over a different set gives the same result. */
		other_set(&other);
		r = inifile_load(want_path, &other, err, sizeof err);
		ok(r == 0 && same_set(&other, &want), "%s sets every key", e->name);
		ok(params_check_set(&p, err, sizeof err) == 0, "%s passes params_check_set", e->name);

		/* Save, load back: the same doubles. */
		char saved[PATH_MAX];
		tmp_path(saved, sizeof saved, "roundtrip.ini");
		r = save_set(saved, &p, "description: round trip", err, sizeof err);
		if (!ok(r == 0, "%s saves", e->name))
			diag_lines("err", err);
		param_set back;
		params_defaults(&back);
		r = inifile_load(saved, &back, err, sizeof err);
		ok(r == 0 && same_set(&back, &p), "%s: save then load gives identical doubles", e->name);
	}
}

/* The analytic curve of each preset file, as loaded, on a 0.1 ms grid over +-100 ms: its extremes
 * are those of model.md section 6 (the protocol in the file counts too: 5 Hz, 200 pairs for the
 * hippocampal slices). NAN: no extreme to check (D is flat at 1 beyond 8.1 ms). */
static const struct extremes {
	const char *name;
	double max, at_max, min, at_min;
} curve[] = {
    {"DP", 1.243999, 5.1, 0.722019, -24.2},
    {"DPD", 1.210059, 4.6, 0.839380, -6.5},
    {"DPDprime", 1.268540, 2.2, 0.761133, -11.7},
    {"P", 1.267903, -8.6, 1.002652, -100},
    {"D", NAN, NAN, 0.637084, 0},
    {"Dprime", 0.924754, 100, 0.691795, -13.9},
    {"hippocampal-slices", 0.997882, 35.7, 0.701413, 19.8},
    {"hippocampal-cultures", 1.251076, 6.4, 0.741249, -0.7},
    {"cortical-slices", 1.178359, 4.6, 0.561311, -7.1},
};

static void test_presets_curves(void)
{
	for (size_t k = 0; k < sizeof curve / sizeof *curve; k++) {
		const struct extremes *c = &curve[k];
		char path[PATH_MAX], err[INIFILE_ERRLEN];
		snprintf(path, sizeof path, "%s/%s.ini", params_dir, c->name);
		param_set p;
		params_defaults(&p);
		if (!ok(inifile_load(path, &p, err, sizeof err) == 0, "%s loads for its curve", c->name))
			continue;
		double max = -INFINITY, min = INFINITY, at_max = NAN, at_min = NAN;
		for (int i = 0; i <= 2000; i++) {
			double dt = (i - 1000) / 10.0;
			analytic_point a;
			analytic_pair(&p, dt, &a);
			/* The first of equal values (P is symmetric). */
			if (a.change > max + 1e-12) {
				max = a.change;
				at_max = dt;
			}
			if (a.change < min - 1e-12) {
				min = a.change;
				at_min = dt;
			}
		}
		if (!isnan(c->max)) {
			is_near(max, c->max, 1e-5, "%s: maximum of the curve", c->name);
			is_near(at_max, c->at_max, 0.05, "%s: ... at dt = %+.1f ms", c->name, c->at_max);
		}
		is_near(min, c->min, 1e-5, "%s: minimum of the curve", c->name);
		is_near(at_min, c->at_min, 0.05, "%s: ... at dt = %+.1f ms", c->name, c->at_min);
	}
}

/* ---- random round trips --------------------------------------------------------------------- */

static void random_set(param_set *p)
{
	for (int i = 0; i < P_COUNT; i++) {
		const param_info *pi = &params_table[i];
		double u = rng_unit(), v;
		int kind = (int)(rng_next() % 8);
		if (kind == 0)
			v = pi->min;
		else if (kind == 1)
			v = pi->max;
		else if (pi->integer)
			v = floor(pi->min + u * (pi->max - pi->min + 1));
		else if (kind == 2)
			v = pi->min + u * u * u * (pi->max - pi->min); /* crowd small values: many digits */
		else
			v = pi->min + u * (pi->max - pi->min);
		if (v > pi->max)
			v = pi->max;
		if (v < pi->min)
			v = pi->min;
		p->v[i] = v;
	}
	/* The relations params_check_set asks for. */
	if (p->v[P_DT_MIN_MS] > p->v[P_DT_MAX_MS]) {
		double t = p->v[P_DT_MIN_MS];
		p->v[P_DT_MIN_MS] = p->v[P_DT_MAX_MS];
		p->v[P_DT_MAX_MS] = t;
	}
	if (p->v[P_STEP_MS] >= p->v[P_TAU_CA_MS])
		p->v[P_STEP_MS] = p->v[P_TAU_CA_MS] / 2;
	static const int ranges[][2] = {{P_FREQ_MIN_HZ, P_FREQ_MAX_HZ},
	                                {P_RATE_POST_MIN_HZ, P_RATE_POST_MAX_HZ}};
	for (int k = 0; k < 2; k++)
		if (p->v[ranges[k][0]] > p->v[ranges[k][1]]) {
			double t = p->v[ranges[k][0]];
			p->v[ranges[k][0]] = p->v[ranges[k][1]];
			p->v[ranges[k][1]] = t;
		}
	/* The bistable model takes none of the 2020 variants. */
	if (p->v[P_EFFICACY] == EFFICACY_BISTABLE) {
		p->v[P_STD_U] = 0;
		p->v[P_NL] = 1;
		p->v[P_PRE_SCALED] = 0;
	}
	if ((p->v[P_PRESENTATIONS] - 1) * p->v[P_INTERVAL_S] > 100000)
		p->v[P_INTERVAL_S] = 100000 / p->v[P_PRESENTATIONS];
	/* A burst must fit in one period. */
	while ((p->v[P_BURST_SPIKES] - 1) * p->v[P_BURST_ISI_MS] * 1e-3 >= 1 / p->v[P_FREQ_HZ])
		p->v[P_FREQ_HZ] /= 2;
	double slowest = p->v[P_PROTOCOL] == PROTO_FREQUENCY ? p->v[P_FREQ_MIN_HZ] : p->v[P_FREQ_HZ];
	if (p->v[P_PAIRS] / slowest > 100000)
		p->v[P_PAIRS] = floor(100000 * slowest);
	double rate = p->v[P_STEP_MS] * 1e-3 * (p->v[P_GAMMA_P] + p->v[P_GAMMA_D]);
	if (rate / p->v[P_TAU_S] >= 1)
		p->v[P_TAU_S] = fmin(params_table[P_TAU_S].max, rate * (1.5 + rng_unit()));
}

static void test_random_roundtrips(void)
{
	int bad_check = 0, bad_save = 0, bad_load = 0, bad_same = 0;
	char path[PATH_MAX], err[INIFILE_ERRLEN];
	tmp_path(path, sizeof path, "random.ini");
	for (int k = 0; k < 200; k++) {
		param_set p, back;
		random_set(&p);
		if (params_check_set(&p, err, sizeof err) != 0) {
			if (!bad_check++)
				tap_diag("set %d: %s", k, err);
			continue;
		}
		char header[64];
		snprintf(header, sizeof header, "description: random set %d", k);
		if (save_set(path, &p, header, err, sizeof err) != 0) {
			if (!bad_save++)
				tap_diag("set %d: %s", k, err);
			continue;
		}
		other_set(&back);
		if (inifile_load(path, &back, err, sizeof err) != 0) {
			if (!bad_load++)
				diag_lines("err", err);
			continue;
		}
		int d = first_difference(&p, &back);
		if (d >= 0 && !bad_same++)
			tap_diag("set %d: %s saved %.17g, loaded %.17g", k, params_table[d].name, p.v[d],
			         back.v[d]);
	}
	ok(bad_check == 0, "200 random sets pass params_check_set");
	ok(bad_save == 0, "200 random sets save");
	ok(bad_load == 0, "200 random sets load back");
	ok(bad_same == 0, "200 random sets: save then load gives identical doubles");
}

/* ---- accepted syntax ------------------------------------------------------------------------ */

static void test_accepted(void)
{
	char err[INIFILE_ERRLEN];
	param_set p, want;

	params_defaults(&p);
	want = p;
	ok(load_text("empty.ini", "", &p, err, sizeof err) == 0 && same_set(&p, &want),
	   "an empty file loads and changes nothing");
	ok(load_text("comments.ini", "; only\n# comments\n\n[model]\n[readout]\n", &p, err, sizeof err) ==
	           0 &&
	       same_set(&p, &want),
	   "comments and empty sections change nothing");

	/* Case, quotes, inline comments, CRLF, blanks, no final newline, a section given again. */
	const char *text = "[Model]\r\n"
	                   "Theta_P = \"1.4\" ; quoted\r\n"
	                   "GAMMA_D=300#comment\n"
	                   "\tsigma\t=\t3 \t\n"
	                   "[readout]\n"
	                   "b = '6'\n"
	                   "[model]\n"
	                   "c_pre = +1.5e0\n"
	                   "gamma_p = 2E2";
	params_defaults(&p);
	int r = load_text("syntax.ini", text, &p, err, sizeof err);
	if (!ok(r == 0, "case, quotes, comments, CRLF, repeated section, no final newline: loads"))
		diag_lines("err", err);
	params_defaults(&want);
	want.v[P_THETA_P] = 1.4;
	want.v[P_GAMMA_D] = 300;
	want.v[P_SIGMA] = 3;
	want.v[P_B] = 6;
	want.v[P_C_PRE] = 1.5;
	want.v[P_GAMMA_P] = 200;
	ok(same_set(&p, &want), "... with the values given");

	/* A partial file over a preset changes only its keys. */
	char dp[PATH_MAX];
	snprintf(dp, sizeof dp, "%s/DPD.ini", params_dir);
	params_defaults(&p);
	inifile_load(dp, &p, err, sizeof err);
	want = p;
	want.v[P_THETA_P] = 2;
	want.v[P_SEED] = 4294967295.0;
	r = load_text("partial.ini", "[model]\ntheta_p = 2\n[simulation]\nseed = 4294967295\n", &p, err,
	              sizeof err);
	ok(r == 0 && same_set(&p, &want), "a partial file over a preset changes only its keys");
}

/* ---- refused files -------------------------------------------------------------------------- */

static void test_refused(void)
{
	/* Malformed numbers. */
	refused("unit.ini", "[model]\ntau_ca_ms = 3 ms\n", 2, "'3 ms' is not a valid value");
	refused("abc.ini", "[model]\ntheta_p = abc\n", 2, "'abc' is not a valid value");
	refused("exp.ini", "[model]\ntheta_p = 1.5e\n", 2, "'1.5e' is not a valid value");
	refused("comma.ini", "[model]\ntheta_p = 1,3\n", 2, "'1,3' is not a valid value");
	refused("nan.ini", "[model]\ntheta_p = nan\n", 2, "'nan' is not a valid value");
	refused("NaN.ini", "; x\n[model]\ntheta_p = NaN\n", 3, "is not a valid value");
	refused("inf.ini", "[model]\ntheta_p = inf\n", 2, "'inf' is not a valid value");
	refused("minf.ini", "[protocol]\ndt_min_ms = -inf\n", 2, "'-inf' is not a valid value");
	refused("infinity.ini", "[model]\ntheta_p = infinity\n", 2, "is not a valid value");
	refused("hex.ini", "[model]\ntheta_p = 0x1p0\n", 2, "is not a valid value");
	refused("huge.ini", "[model]\ntheta_p = 1e999\n", 2, "is not a valid value");
	refused("empty-value.ini", "[model]\ntheta_p =\n", 2, "'' is not a valid value");
	refused("two-numbers.ini", "[model]\ntheta_p = 1.3 4\n", 2, "is not a valid value");
	refused("no-close-quote.ini", "[model]\ntheta_p = \"1.3\n", 2, "no closing quote");
	refused("after-quote.ini", "[model]\ntheta_p = \"1.3\" x\n", 2,
	        "unexpected text after the closing quote");

	/* Out of range, not whole. */
	refused("range.ini", "[model]\ntheta_p = 50\n", 2, "theta_p: 50 is out of range");
	refused("negative.ini", "[model]\ngamma_d = -1\n", 2, "is out of range");
	refused("whole.ini", "[protocol]\npairs = 2.5\n", 2, "pairs: 2.5 is out of range");
	refused("seed.ini", "[simulation]\nseed = 4294967296\n", 2, "is out of range");

	/* Names. */
	refused("section.ini", "[modle]\ntheta_p = 1.3\n", 1, "unknown section [modle]");
	refused("key.ini", "[model]\nthetap = 1.3\n", 2,
	        "unknown key 'thetap' in [model]; did you mean 'theta_p'?");
	refused("key-far.ini", "[model]\nwhatever_this_is = 1\n", 2,
	        "unknown key 'whatever_this_is' in [model]");
	refused("key-other.ini", "[model]\nbetta = 0.5\n", 2, "did you mean 'beta' (in [readout])?");
	refused("wrong-section.ini", "[model]\nbeta = 0.5\n", 2,
	        "'beta' belongs in section [readout], not [model]");
	refused("no-section.ini", "theta_p = 1.3\n[model]\n", 1, "outside any section: put it under [model]");
	refused("twice.ini", "[model]\ntheta_p = 1.3\ntheta_d = 1\ntheta_p = 1.4\n", 4,
	        "'theta_p' is given twice in [model] (first on line 2)");
	refused("twice-sections.ini", "[model]\ntheta_p = 1.3\n[readout]\nb = 5\n[model]\ntheta_p = 1.3\n", 6,
	        "given twice");
	refused("twice-earlier-bad.ini", "[model]\ntheta_p = abc\ntheta_p = 1.3\n", 2,
	        "'abc' is not a valid value");

	/* Syntax. */
	refused("bare.ini", "[model]\ntheta_p\n", 2, "syntax error");
	refused("no-key.ini", "[model]\n= 5\n", 2, "syntax error");
	refused("header-comment.ini", "[model] ; the model\ntheta_p = 1.3\n", 1, "syntax error");
	refused("empty-section.ini", "[model]\n[]\ntheta_p = 1.3\n", 2, "empty section name");
	refused("blank-section.ini", "[ ]\n", 1, "empty section name");
	refused("after-bracket.ini", "[model]x]\n", 1, "unexpected text after ']'");
	refused("last-line.ini", "[model]\nx", 2, "syntax error");

	/* CVE-2023-33461: such sections make 4.1's getters dereference NULL. */
	refused("cve.ini", "[model:theta_p]\n", 1, "':' is not allowed in section names");
	refused("cve2.ini", "[model]\ntheta_p = 1.3\n[model:theta_p]\nx = 1\n", 3, "[model:theta_p]");
	refused("cve3.ini", "[model:theta_p]\n[model]\ntheta_d = 1\n", 1, "':' is not allowed");
	refused("cve4.ini", "[:]\n[model:]\n", 2, "':' is not allowed");

	/* Lines iniparser would mangle. */
	char longline[1300];
	memset(longline, 'x', sizeof longline);
	memcpy(longline, "[model]\n; ", 10);
	memcpy(longline + sizeof longline - 2, "\n", 2);
	refused("long.ini", longline, 2, "longer than 1000 bytes");
	static const char nul[] = "[model]\ntheta_p = 1\0.3\n";
	refused_n("nul.ini", nul, sizeof nul - 1, 2, "NUL byte");
	refused("bom.ini", "\xEF\xBB\xBF[model]\ntheta_p = 1.3\n", 1, "byte order mark");
	refused("backslash.ini", "[model]\n; a comment \\\ntheta_p = 1.3\n", 2, "ends with '\\'");
	/* ... and the rest of such a file is still checked. */
	refused("backslash-more.ini", "[model]\n; a comment \\\ntheta_p = 50\n", 3, "out of range");

	/* Relations between parameters: no line. */
	refused("dt.ini", "[protocol]\ndt_min_ms = 50\ndt_max_ms = -50\n", 0,
	        "must not be greater than dt_max_ms");
	refused("euler.ini",
	        "[simulation]\nstep_ms = 1\n[model]\ngamma_d = 5000\ngamma_p = 5000\ntau_s = 1\n", 0,
	        "too large");

	/* Missing and unreadable files. */
	char path[PATH_MAX], err[INIFILE_ERRLEN], want[PATH_MAX + 64];
	tmp_path(path, sizeof path, "does-not-exist.ini");
	param_set p;
	params_defaults(&p);
	snprintf(want, sizeof want, "%s: cannot open: %s", path, strerror(ENOENT));
	is_str(inifile_load(path, &p, err, sizeof err) == -1 ? err : NULL, want,
	       "a missing file names strerror");
	snprintf(want, sizeof want, "%s: cannot open: %s", tmpdir, strerror(EISDIR));
	is_str(inifile_load(tmpdir, &p, err, sizeof err) == -1 ? err : NULL, want, "a directory is refused");
	tmp_path(path, sizeof path, "fifo.ini");
	snprintf(want, sizeof want, "%s: cannot open: not a regular file", path);
	is_str(mkfifo(path, 0600) == 0 && inifile_load(path, &p, err, sizeof err) == -1 ? err : NULL, want,
	       "a FIFO is refused without waiting for a writer");
}

/* Every problem at once, sorted by line, each once. */
static void test_all_problems(void)
{
	const char *text = "; many problems\n" /* 1 */
	                   "[model]\n"         /* 2 */
	                   "theta_p = abc\n"   /* 3 value */
	                   "thetap = 1\n"      /* 4 unknown key */
	                   "beta = 0.5\n"      /* 5 wrong section */
	                   "[modle]\n"         /* 6 unknown section */
	                   "x = 1\n"           /* 7 not reported: under a bad section */
	                   "[protocol]\n"      /* 8 */
	                   "pairs = 2.5\n"     /* 9 range */
	                   "bare\n"            /* 10 syntax */
	                   "[model]\n"         /* 11 */
	                   "theta_p = 1.4\n";  /* 12 twice */
	static const int lines[] = {3, 4, 5, 6, 9, 10, 12};
	static const char *const phrases[] = {"not a valid value",
	                                      "did you mean 'theta_p'",
	                                      "belongs in section [readout]",
	                                      "unknown section [modle]",
	                                      "out of range",
	                                      "syntax error",
	                                      "given twice"};
	char path[PATH_MAX], err[INIFILE_ERRLEN];
	tmp_path(path, sizeof path, "many.ini");
	write_text(path, text);
	param_set p;
	params_defaults(&p);
	int r = inifile_load(path, &p, err, sizeof err);
	int n = count_lines(err), good = r == -1 && n == 7;
	for (int k = 0; good && k < 7; k++) {
		char l[INIFILE_ERRLEN], want[PATH_MAX + 16];
		nth_line(err, k, l, sizeof l);
		snprintf(want, sizeof want, "%s:%d: ", path, lines[k]);
		good = strncmp(l, want, strlen(want)) == 0 && strstr(l, phrases[k]);
	}
	if (!ok(good, "seven problems reported at once, one per line, in line order"))
		diag_lines("err", err);
}

static void test_truncation(void)
{
	/* 300 unknown keys: more than the report keeps and than the buffer holds. */
	size_t cap = 300 * 16 + 16;
	char *text = malloc(cap), path[PATH_MAX], err[INIFILE_ERRLEN];
	size_t n = (size_t)snprintf(text, cap, "[model]\n");
	for (int i = 0; i < 300; i++)
		n += (size_t)snprintf(text + n, cap - n, "zz%d = 1\n", i);
	tmp_path(path, sizeof path, "many-keys.ini");
	write_text(path, text);
	free(text);

	param_set p;
	params_defaults(&p);
	int r = inifile_load(path, &p, err, sizeof err);
	int lines = count_lines(err), more = 0;
	char last[256];
	nth_line(err, lines - 1, last, sizeof last);
	int parsed = sscanf(last, "(and %d more problems)", &more);
	ok(r == -1 && strlen(err) < sizeof err && parsed == 1 && lines - 1 + more == 300,
	   "300 problems: whole lines, then '(and %d more problems)', %d in all", more, lines - 1 + more);
	ok(has_problem(err, path, 2, "unknown key 'zz0'"), "the first problem comes first");

	char small[10];
	memset(small, 'X', sizeof small);
	r = inifile_load(path, &p, small, sizeof small);
	ok(r == -1 && memchr(small, '\0', sizeof small) != NULL, "a 10-byte err buffer is cut safely");
	char one[1] = {'X'};
	r = inifile_load(path, &p, one, sizeof one);
	ok(r == -1 && one[0] == '\0', "a 1-byte err buffer holds the empty string");
	ok(inifile_load(path, &p, NULL, 0) == -1, "err may be NULL with errlen 0");
}

/* ---- saving --------------------------------------------------------------------------------- */

static void test_save(void)
{
	char path[PATH_MAX], err[INIFILE_ERRLEN];
	param_set p, back;
	params_defaults(&p);

	/* Complete and commented. */
	tmp_path(path, sizeof path, "full.ini");
	ok(save_set(path, &p, "description: all of it\nsecond line", err, sizeof err) == 0, "save");
	char *text = slurp(path);
	int all = text != NULL;
	for (int i = 0; all && i < P_COUNT; i++) {
		char key[64];
		snprintf(key, sizeof key, "\n%s = ", params_table[i].name);
		all = strstr(text, key) && strstr(text, params_table[i].help);
	}
	ok(all, "the saved file has every key with its help");
	ok(text && strstr(text, "; calcium decay time constant [ms, 1 to 500]\ntau_ca_ms = 20\n") &&
	       strstr(text, "[whole number, 1 to 1000]\npairs = 60\n") &&
	       strstr(text, "; description: all of it\n; second line\n"),
	   "units, ranges and the header comment are written");
	free(text);

	/* A hostile header still gives a loadable file. */
	char header[3000];
	static const char odd[] = "description: odd\r header\nends with a backslash \\\nlong ";
	memset(header, 'h', sizeof header);
	memcpy(header, odd, sizeof odd - 1);
	header[sizeof header - 1] = '\0';
	ok(save_set(path, &p, header, err, sizeof err) == 0, "save with an odd header");
	params_defaults(&back);
	if (!ok(inifile_load(path, &back, err, sizeof err) == 0 && same_set(&back, &p), "... loads back"))
		diag_lines("err", err);

	/* Permissions: a new file gets 0666 less the umask, an old one keeps its mode. */
	struct stat st;
	tmp_path(path, sizeof path, "mode-new.ini");
	save_set(path, &p, NULL, err, sizeof err);
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644, "a new file is 0644 under umask 022");
	chmod(path, 0640);
	save_set(path, &p, NULL, err, sizeof err);
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640, "a replaced file keeps its mode");

	/* Invalid sets are not saved. */
	param_set bad = p;
	bad.v[P_DT_MIN_MS] = 10;
	bad.v[P_DT_MAX_MS] = -10;
	tmp_path(path, sizeof path, "bad-set.ini");
	ok(save_set(path, &bad, NULL, err, sizeof err) == -1 && strstr(err, "dt_min_ms") &&
	       access(path, F_OK) != 0,
	   "a set params_check_set refuses is not saved");

	/* A missing directory. */
	char want[PATH_MAX + 128];
	tmp_path(path, sizeof path, "no-such-dir/x.ini");
	int r = save_set(path, &p, NULL, err, sizeof err);
	snprintf(want, sizeof want, "%s: ", path);
	ok(r == -1 && strncmp(err, want, strlen(want)) == 0 && strstr(err, strerror(ENOENT)),
	   "saving into a missing directory fails, naming the file and strerror");
	tap_diag("%s", err);

	/* A directory that is a file. */
	char file[DIRLEN];
	tmp_dir(file, "plain-file");
	write_text(file, "x");
	snprintf(path, sizeof path, "%s/x.ini", file);
	r = save_set(path, &p, NULL, err, sizeof err);
	ok(r == -1 && strstr(err, strerror(ENOTDIR)), "saving under a plain file fails: %s",
	   strerror(ENOTDIR));

	/* The target is a directory: refused before anything is written; nothing is left behind. */
	char box[DIRLEN];
	tmp_dir(box, "box");
	mkdir(box, 0700);
	snprintf(path, sizeof path, "%s/target.ini", box);
	mkdir(path, 0700);
	r = save_set(path, &p, NULL, err, sizeof err);
	struct stat tst;
	ok(r == -1 && strstr(err, "it is a directory") && stat(path, &tst) == 0 && S_ISDIR(tst.st_mode) &&
	       count_entries(box, ".") == 2,
	   "a directory as the target is refused and left alone, no temporary file");
	tap_diag("%s", err);

	/* Failed writes, links, devices, owners: tests/test_inisave.c. */
	const char *old = "[model]\ntheta_p = 2\n";

	/* A read-only directory (root may write anyway). */
	char ro[DIRLEN];
	tmp_dir(ro, "readonly");
	mkdir(ro, 0700);
	snprintf(path, sizeof path, "%s/old.ini", ro);
	write_text(path, old);
	chmod(ro, 0500);
	if (geteuid() == 0) {
		ok(1, "# SKIP read-only directory: running as root");
	} else {
		r = save_set(path, &p, NULL, err, sizeof err);
		text = slurp(path);
		ok(r == -1 && strstr(err, strerror(EACCES)) && text && strcmp(text, old) == 0 &&
		       count_entries(ro, ".") == 2,
		   "saving into a read-only directory fails cleanly, old file intact");
		tap_diag("%s", err);
		free(text);
	}
	chmod(ro, 0700);
}

/* ---- presets -------------------------------------------------------------------------------- */

static void test_presets(void)
{
	char env[2 * DIRLEN + 8], path[PATH_MAX], want[PATH_MAX], xdg[DIRLEN], first[DIRLEN];
	tmp_dir(xdg, "xdg");
	setenv("XDG_CONFIG_HOME", xdg, 1); /* keep the user's own presets out of the test */
	setenv("CALCIUM_STDP_PARAMS", params_dir, 1);

	static const struct {
		const char *asked, *file;
	} names[] = {{"dp", "DP.ini"},
	             {"Dp.INI", "DP.ini"},
	             {"dpd'", "DPDprime.ini"},
	             {"D'", "Dprime.ini"},
	             {"dprime", "Dprime.ini"},
	             {"p", "P.ini"},
	             {"Cortical-Slices", "cortical-slices.ini"}};
	for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
		snprintf(want, sizeof want, "%s/%s", params_dir, names[k].file);
		int r = presets_find(names[k].asked, path, sizeof path);
		is_str(r == 0 ? path : NULL, want, "presets_find(\"%s\")", names[k].asked);
	}
	errno = 0;
	ok(presets_find("nope", path, sizeof path) == -1 && errno == ENOENT, "an unknown preset: ENOENT");
	errno = 0;
	ok(presets_find("../DP", path, sizeof path) == -1 && errno == EINVAL, "a name with '/': EINVAL");
	errno = 0;
	ok(presets_find("", path, sizeof path) == -1 && errno == EINVAL, "an empty name: EINVAL");
	errno = 0;
	ok(presets_find("DP", path, 8) == -1 && errno == ENAMETOOLONG, "a short buffer: ENAMETOOLONG");

	/* $CALCIUM_STDP_PARAMS directories come first, in order, any case; empty entries skipped. */
	tmp_dir(first, "first");
	mkdir(first, 0700);
	snprintf(path, sizeof path, "%s/dp.ini", first);
	write_text(path, "; description: shadow\n[model]\ntheta_p = 1.25\n");
	snprintf(env, sizeof env, "::%s::%s:", first, params_dir);
	setenv("CALCIUM_STDP_PARAMS", env, 1);
	snprintf(want, sizeof want, "%s/dp.ini", first);
	is_str(presets_find("DP", path, sizeof path) == 0 ? path : NULL, want, "the first directory wins");

	/* Within one directory the exact spelling wins, else byte order. */
	snprintf(path, sizeof path, "%s/Foo.ini", first);
	write_text(path, "");
	snprintf(path, sizeof path, "%s/foo.ini", first);
	write_text(path, "");
	snprintf(want, sizeof want, "%s/foo.ini", first);
	is_str(presets_find("foo", path, sizeof path) == 0 ? path : NULL, want, "exact spelling first");
	snprintf(want, sizeof want, "%s/Foo.ini", first);
	is_str(presets_find("FOO", path, sizeof path) == 0 ? path : NULL, want,
	       "else the first in byte order");

	/* The user's directory, between the two lists. */
	char user[DIRLEN], expect_user[PATH_MAX];
	snprintf(expect_user, sizeof expect_user, "%s/calcium-stdp/params", xdg);
	ok(presets_user_dir(user, sizeof user, 1) == 0 && strcmp(user, expect_user) == 0 &&
	       access(user, W_OK) == 0,
	   "presets_user_dir creates $XDG_CONFIG_HOME/calcium-stdp/params");
	snprintf(path, sizeof path, "%s/Mine.ini", user);
	param_set p;
	params_defaults(&p);
	char err[INIFILE_ERRLEN];
	ok(save_set(path, &p, "description: my own\nsaved by the test", err, sizeof err) == 0,
	   "save a user preset");
	is_str(presets_find("mine", want, sizeof want) == 0 ? want : NULL, path, "presets_find finds it");

	/* XDG_CONFIG_HOME relative: ignored, ~/.config instead. */
	char home[DIRLEN], buf[PATH_MAX];
	tmp_dir(home, "home");
	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	setenv("HOME", home, 1);
	snprintf(want, sizeof want, "%s/.config/calcium-stdp/params", home);
	is_str(presets_user_dir(buf, sizeof buf, 0) == 0 ? buf : NULL, want,
	       "a relative XDG_CONFIG_HOME is ignored");
	setenv("XDG_CONFIG_HOME", xdg, 1);

	/* The list: shadowing, user marks, descriptions. */
	presets_entry *list;
	int n = presets_list(&list);
	ok(n >= NPRESETS + 2, "presets_list: %d entries", n);
	int dp_count = 0, mine_user = 0, shadow_ok = 0, shadowed_ok = 0, found = 0, desc_ok = 0;
	for (int i = 0; i < n; i++) {
		if (strcasecmp(list[i].name, "dp") == 0) {
			dp_count++;
			if (dp_count == 1)
				shadow_ok = strcmp(list[i].description, "shadow") == 0 && !list[i].user &&
				            !list[i].shadowed;
			else
				shadowed_ok = strcmp(list[i].name, "DP") == 0 && list[i].shadowed;
		}
		if (strcmp(list[i].name, "Mine") == 0)
			mine_user = list[i].user && strcmp(list[i].description, "my own") == 0;
		for (int k = 1; k < NPRESETS; k++)
			if (strcmp(list[i].name, paper_sets[k].name) == 0) {
				found++;
				snprintf(want, sizeof want, "%s/%s.ini", params_dir, paper_sets[k].name);
				desc_ok += strncmp(list[i].description, description_start[k],
				                   strlen(description_start[k])) == 0 &&
				           strcmp(list[i].path, want) == 0 && !list[i].user;
			}
	}
	ok(dp_count == 2 && shadow_ok && shadowed_ok,
	   "dp.ini in the first directory comes first; DP.ini is listed too, marked shadowed");
	ok(mine_user, "the user preset is marked as such, with its description");
	ok(found == NPRESETS - 1 && desc_ok == NPRESETS - 1,
	   "the other presets are listed with descriptions");
	presets_free(list, n);

	/* Without the shadow, DP's description. */
	setenv("CALCIUM_STDP_PARAMS", params_dir, 1);
	n = presets_list(&list);
	int dp_desc = 0;
	for (int i = 0; i < n; i++)
		if (strcmp(list[i].name, "DP") == 0)
			dp_desc = strncmp(list[i].description, "DP (Fig. 2C)", 12) == 0;
	ok(dp_desc, "DP's description is read");
	presets_free(list, n);
}

/* ---- main ----------------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
	const char *env = getenv("CALCIUM_STDP_PARAMS");
	if (argc > 1)
		snprintf(params_dir, sizeof params_dir, "%.900s", argv[1]);
	else if (env && env[0])
		snprintf(params_dir, sizeof params_dir, "%.*s", (int)(strcspn(env, ":") % 900), env);
	else
		snprintf(params_dir, sizeof params_dir, "params");
	char probe[PATH_MAX + 16];
	snprintf(probe, sizeof probe, "%s/DP.ini", params_dir);
	if (access(probe, R_OK) != 0) {
		printf("Bail out! no presets in '%s': pass the params directory or set CALCIUM_STDP_PARAMS\n",
		       params_dir);
		return 1;
	}
	/* Absolute, so that paths in messages compare whatever the working directory. */
	char abs[PATH_MAX];
	if (realpath(params_dir, abs) && strlen(abs) < sizeof params_dir)
		memcpy(params_dir, abs, strlen(abs) + 1);

	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%.900s/test_inifile.XXXXXX", t && t[0] ? t : "/tmp");
	if (!mkdtemp(tmpdir)) {
		printf("Bail out! mkdtemp %s: %s\n", tmpdir, strerror(errno));
		return 1;
	}
	umask(022);
	/* Only these presets: the user's own and the installed ones must not interfere. */
	setenv("CALCIUM_STDP_PARAMS", params_dir, 1);
	char xdg[PATH_MAX + 8];
	snprintf(xdg, sizeof xdg, "%s/xdg", tmpdir);
	setenv("XDG_CONFIG_HOME", xdg, 1);

	test_presets_load();
	test_presets_curves();
	test_random_roundtrips();
	test_accepted();
	test_refused();
	test_all_problems();
	test_truncation();
	test_save();
	test_presets();

	remove_tree(tmpdir);
	return tap_done();
}
