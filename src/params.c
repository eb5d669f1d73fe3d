/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one table of parameters, parameter sets, and strict parsing and checking of values (see
 * params.h). */
#include "params.h"
#include "usertext.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const protocol_names[] = {"pairs",     "frequency", "burst", "poisson",
                                             "irregular", "irregular-rate", NULL};
static const char *const efficacy_names[] = {"bistable", "weight", NULL};
static const char *const yes_no[] = {"no", "yes", NULL};

/* The rows leave their last members out on purpose (C11 6.7.9: they are zero); clang's -Wextra would
 * flag every row, also when a user's CFLAGS turn -Wextra on after configure's -Wno-. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* Defaults are the seed's DP set (Fig. 2C) with its protocol: 41 points over +-100 ms, 60 pairs at
 * 1 Hz, 1000 repetitions per initial state, 0.1 ms steps. */
const param_info params_table[P_COUNT] = {
    [P_TAU_CA_MS] = {"tau_ca_ms", "model", "ms", "tau_ca", 0, 20, 1, 500, 0.5, 5,
                     "calcium decay time constant"},
    [P_C_PRE] = {"c_pre", "model", "", "c_pre", 0, 1.0, 0, 10, 0.01, 0.1,
                 "calcium transient of a presynaptic spike (arrives delay_ms later)"},
    [P_C_POST] = {"c_post", "model", "", "c_post", 0, 2.0, 0, 10, 0.01, 0.1,
                  "calcium transient of a postsynaptic spike"},
    [P_THETA_D] = {"theta_d", "model", "", "theta_d", 0, 1.0, 0.01, 10, 0.01, 0.1,
                   "depression threshold on calcium"},
    [P_THETA_P] = {"theta_p", "model", "", "theta_p", 0, 1.3, 0.01, 10, 0.01, 0.1,
                   "potentiation threshold on calcium"},
    [P_GAMMA_D] = {"gamma_d", "model", "", "gamma_d", 0, 200, 0, 5000, 1, 10,
                   "depression rate while calcium is above theta_d"},
    [P_GAMMA_P] = {"gamma_p", "model", "", "gamma_p", 0, 321.808, 0, 5000, 1, 10,
                   "potentiation rate while calcium is above theta_p"},
    [P_SIGMA] = {"sigma", "model", "", "sigma", 0, 2.8284, 0, 20, 0.01, 0.1,
                 "noise amplitude: sigma * sqrt(tau) * sqrt(H(c - theta_d) + H(c - theta_p)) * xi"},
    [P_TAU_S] = {"tau_s", "model", "s", "tau_s", 0, 150, 1, 10000, 1, 10,
                 "time constant of the synaptic efficacy rho"},
    [P_RHO_STAR] = {"rho_star", "model", "", "rho_star", 0, 0.5, 0.01, 0.99, 0.01, 0.05,
                    "unstable fixed point of rho; the UP/DOWN boundary of the read-out"},
    [P_DELAY_MS] = {"delay_ms", "model", "ms", "delay_ms", 0, 13.7, 0, 100, 0.1, 1,
                    "delay of the presynaptic calcium transient"},
    [P_C_POST_SCALE] = {"c_post_scale", "model", "", "c_scale", 0, 1, 0.05, 1, 0.01, 0.1,
                        "scale of c_post: 1 at the soma, lower for distal synapses (dendritic location)"},
    [P_EFFICACY] = {"efficacy", "model", "", "efficacy", 1, EFFICACY_BISTABLE, 0, 1, 1, 1,
                    "bistable (2012: rho with noise, UP/DOWN read-out) or weight (2020: deterministic w, "
                    "change = w / w0)",
                    efficacy_names},
    [P_STD_U] = {"std_u", "model", "", "std_u", 0, 0, 0, 1, 0.01, 0.05,
                 "presynaptic short-term depression: fraction U of resources a spike uses (0: none)"},
    [P_TAU_REC_MS] = {"tau_rec_ms", "model", "ms", "tau_rec", 0, 100, 1, 10000, 1, 10,
                      "recovery time constant of the presynaptic depression"},
    [P_PRE_SCALED] = {"pre_scaled", "model", "", "pre_w", 1, 0, 0, 1, 1, 1,
                      "yes: the presynaptic transient is scaled by the current weight w (2020; weight "
                      "efficacy only)",
                      yes_no},
    [P_NL] = {"nl", "model", "", "nl", 0, 1, 1, 10, 0.1, 0.5,
              "nonlinear calcium factor: a post spike adds eta c_pre more (1: linear; eta from nl)"},
    [P_BETA] = {"beta", "readout", "", "beta", 0, 0.5, 0, 1, 0.01, 0.05,
                "fraction of synapses initially DOWN"},
    [P_B] = {"b", "readout", "", "b", 0, 5, 0.01, 100, 0.05, 0.5, "ratio of UP to DOWN synaptic weight"},
    [P_PROTOCOL] = {"protocol", "protocol", "", "protocol", 1, PROTO_PAIRS, 0, PROTO_COUNT - 1, 1, 1,
                    "pairs, frequency (pairs at fixed_dt_ms against frequency), burst, poisson, "
                    "irregular (x is dt) or irregular-rate (x is the common rate)",
                    protocol_names},
    [P_PAIRS] = {"pairs", "protocol", "", "pairs", 1, 60, 1, 1000, 1, 10, "number of pre/post spike pairs"},
    [P_FREQ_HZ] = {"freq_hz", "protocol", "Hz", "freq_hz", 0, 1, 0.01, 100, 0.1, 1, "pairing frequency"},
    [P_DT_MIN_MS] = {"dt_min_ms", "protocol", "ms", "dt_min", 0, -100, -1000, 1000, 1, 10,
                     "first spike time difference t_post - t_pre of the curve"},
    [P_DT_MAX_MS] = {"dt_max_ms", "protocol", "ms", "dt_max", 0, 100, -1000, 1000, 1, 10,
                     "last spike time difference of the curve"},
    [P_POINTS] = {"points", "protocol", "", "points", 1, 41, 1, 2001, 1, 10, "number of points of the curve"},
    [P_BURST_SPIKES] = {"burst_spikes", "protocol", "", "burst_n", 1, 2, 1, 10, 1, 1,
                        "post spikes per burst (burst protocol)"},
    [P_BURST_ISI_MS] = {"burst_isi_ms", "protocol", "ms", "isi_ms", 0, 11.5, 1, 100, 0.5, 5,
                        "interval between the post spikes of a burst"},
    [P_FIXED_DT_MS] = {"fixed_dt_ms", "protocol", "ms", "fixed_dt", 0, 10, -500, 500, 1, 10,
                       "dt of the frequency protocol"},
    [P_FREQ_MIN_HZ] = {"freq_min_hz", "protocol", "Hz", "freq_min", 0, 1, 0.1, 100, 0.1, 1,
                       "first frequency of the frequency protocol"},
    [P_FREQ_MAX_HZ] = {"freq_max_hz", "protocol", "Hz", "freq_max", 0, 50, 0.1, 100, 0.1, 1,
                       "last frequency of the frequency protocol"},
    [P_RATE_PRE_HZ] = {"rate_pre_hz", "protocol", "Hz", "rate_pre", 0, 10, 0.1, 100, 0.5, 5,
                       "presynaptic Poisson rate (poisson and irregular protocols)"},
    [P_RATE_POST_MIN_HZ] = {"rate_post_min_hz", "protocol", "Hz", "post_min", 0, 1, 0.1, 100, 0.5, 5,
                            "first postsynaptic Poisson rate of the curve (irregular-rate: common rate)"},
    [P_RATE_POST_MAX_HZ] = {"rate_post_max_hz", "protocol", "Hz", "post_max", 0, 40, 0.1, 100, 0.5, 5,
                            "last postsynaptic Poisson rate of the curve"},
    [P_DURATION_S] = {"duration_s", "protocol", "s", "duration", 0, 10, 0.1, 1000, 1, 10,
                      "length of the Poisson and irregular stimulation"},
    [P_PRESENTATIONS] = {"presentations", "protocol", "", "present", 1, 1, 1, 1000, 1, 10,
                         "presentations of the pairs (pairs and frequency protocols; 1: one train)"},
    [P_INTERVAL_S] = {"interval_s", "protocol", "s", "interval", 0, 10, 0.1, 10000, 1, 10,
                      "time from the start of one presentation to the next"},
    [P_READOUT_AFTER_S] = {"readout_after_s", "protocol", "s", "readout", 0, 10, 0, 1000, 1, 10,
                           "weight efficacy: read-out this long after the last spike (regular trains)"},
    [P_RATE_POST_HZ] = {"rate_post_hz", "protocol", "Hz", "r_post", 0, 10, 0, 100, 0.5, 5,
                        "postsynaptic rate of the irregular protocol (pairs included)"},
    [P_PAIR_PROB] = {"pair_prob", "protocol", "", "pair_p", 0, 1, 0, 1, 0.05, 0.1,
                     "irregular protocols: probability that a pre spike has a post spike dt later"},
    [P_REPS] = {"reps", "simulation", "", "reps", 1, 1000, 1, 1000000, 100, 1000,
                "repetitions per initial state (DOWN and UP) and dt; trials per point (weight efficacy, random trains)"},
    [P_STEP_MS] = {"step_ms", "simulation", "ms", "step_ms", 0, 0.1, 0.001, 1, 0.01, 0.1,
                   "integration time step"},
    [P_SEED] = {"seed", "simulation", "", "seed", 1, 1, 0, 4294967295.0, 1, 100,
                "random seed; one seed gives one curve, whatever the thread count"},
};

const char *const params_sections[] = {"model", "readout", "protocol", "simulation", NULL};

void params_defaults(param_set *p)
{
	for (int i = 0; i < P_COUNT; i++)
		p->v[i] = params_table[i].def;
}

int params_find(const char *name)
{
	for (int i = 0; i < P_COUNT; i++)
		if (strcmp(params_table[i].name, name) == 0)
			return i;
	return -1;
}

int params_lookup(const char *name)
{
	int id = params_find(name);
	for (int i = 0; id < 0 && i < P_COUNT; i++)
		if (strcmp(params_table[i].label, name) == 0)
			id = i;
	return id;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return (size_t)-1;
	size_t row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *params_suggest(const char *name)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1;
	/* The panel's short names count too: "tau_Ca" is one step from "tau_ca", so tau_ca_ms. */
	for (int i = 0; i < P_COUNT; i++)
		for (int k = 0; k < 2; k++) {
			size_t d = edit_distance(name, k ? params_table[i].label : params_table[i].name);
			if (d < bestd) {
				bestd = d;
				best = params_table[i].name;
			}
		}
	/* Only suggest when the name is recognisably close: a short name must be nearly right. */
	size_t len = strlen(name);
	return bestd <= 3 && bestd <= len / 2 ? best : NULL;
}

static void range_text(int id, char *buf, size_t len)
{
	const param_info *pi = &params_table[id];
	if (pi->names) {
		size_t n = (size_t)snprintf(buf, len, "one of");
		for (int k = 0; pi->names[k] && n < len; k++)
			n += (size_t)snprintf(buf + n, len - n, "%s %s", k ? "," : "", pi->names[k]);
		return;
	}
	char lo[32], hi[32];
	params_format_exact(pi->min, lo, sizeof lo);
	params_format_exact(pi->max, hi, sizeof hi);
	snprintf(buf, len, "%s %s to %s%s%s", pi->integer ? "a whole number from" : "a number from", lo, hi,
	         pi->unit[0] ? " " : "", pi->unit);
}

int params_check_value(int id, double v, char *err, size_t errlen)
{
	const param_info *pi = &params_table[id];
	if (!isfinite(v) || v < pi->min || v > pi->max || (pi->integer && v != floor(v))) {
		/* (the texts only for the message: a grid checks millions of sets) */
		char range[96], got[32];
		range_text(id, range, sizeof range);
		params_format_exact(v, got, sizeof got);
		if (pi->names) {
			snprintf(err, errlen, "%s: %s is not a valid choice: %s must be %s", pi->name, got,
			         pi->name, range);
			return -1;
		}
		snprintf(err, errlen, "%s: %s is out of range: %s must be %s", pi->name, got, pi->name,
		         range);
		return -1;
	}
	return 0;
}

static int parse_choice(int id, const char *s, double *out)
{
	const char *const *names = params_table[id].names;
	size_t n = strlen(s);
	while (n && strchr(" \t\r\n", s[n - 1]))
		n--;
	for (int k = 0; names[k]; k++)
		if (strlen(names[k]) == n && strncasecmp(names[k], s, n) == 0) {
			*out = k;
			return 0;
		}
	return -1;
}

int params_parse_value(int id, const char *text, double *out, char *err, size_t errlen)
{
	const param_info *pi = &params_table[id];
	char range[96];
	range_text(id, range, sizeof range);
	const char *s = text;
	while (*s == ' ' || *s == '\t')
		s++;
	if (pi->names && parse_choice(id, s, out) == 0)
		return 0;
	/* Only plain decimal syntax: strtod would also take hex, "inf", "nan" and "infinity". */
	int digits = 0;
	for (const char *c = s; *c && *c != ' ' && *c != '\t' && *c != '\r' && *c != '\n'; c++) {
		if (*c >= '0' && *c <= '9')
			digits++;
		else if (!strchr("+-.eE", *c))
			goto bad;
	}
	if (!digits)
		goto bad;
	errno = 0;
	char *end;
	double v = strtod(s, &end);
	if (end == s)
		goto bad;
	while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
		end++;
	if (*end != '\0')
		goto bad;
	if (errno == ERANGE || !isfinite(v))
		goto bad;
	if (params_check_value(id, v, err, errlen) < 0)
		return -1;
	*out = v;
	return 0;
bad:;
	char shown[USERTEXT_LEN];
	snprintf(err, errlen, "%s: '%s' is not a valid value: %s must be %s", pi->name,
	         usertext_show(text, USERTEXT_CUT, shown, sizeof shown), pi->name, range);
	return -1;
}

/* The 2016/2020 variants: what each efficacy model takes, and presentations that fit. */
static int check_family(const param_set *p, char *err, size_t errlen)
{
	if ((int)p->v[P_EFFICACY] == EFFICACY_BISTABLE) {
		const char *what = p->v[P_PRE_SCALED] != 0 ? "pre_scaled = yes"
		                   : p->v[P_STD_U] != 0    ? "std_u above 0 (short-term depression)"
		                   : p->v[P_NL] != 1       ? "nl other than 1 (nonlinear calcium)"
		                                           : NULL;
		if (what) {
			snprintf(err, errlen,
			         "%s needs the deterministic weight model: set efficacy = weight (the bistable "
			         "model takes pre_scaled = no, std_u = 0 and nl = 1)",
			         what);
			return -1;
		}
	}
	if ((p->v[P_PRESENTATIONS] - 1) * p->v[P_INTERVAL_S] > 100000) {
		snprintf(err, errlen, "%g presentations every %g s: the protocol may last at most 100000 s",
		         p->v[P_PRESENTATIONS], p->v[P_INTERVAL_S]);
		return -1;
	}
	return 0;
}

int params_check_set(const param_set *p, char *err, size_t errlen)
{
	for (int i = 0; i < P_COUNT; i++)
		if (params_check_value(i, p->v[i], err, errlen) < 0)
			return -1;
	if (p->v[P_FREQ_MIN_HZ] > p->v[P_FREQ_MAX_HZ]) {
		snprintf(err, errlen, "freq_min_hz (%g) must not be greater than freq_max_hz (%g)",
		         p->v[P_FREQ_MIN_HZ], p->v[P_FREQ_MAX_HZ]);
		return -1;
	}
	if (p->v[P_RATE_POST_MIN_HZ] > p->v[P_RATE_POST_MAX_HZ]) {
		snprintf(err, errlen, "rate_post_min_hz (%g) must not be greater than rate_post_max_hz (%g)",
		         p->v[P_RATE_POST_MIN_HZ], p->v[P_RATE_POST_MAX_HZ]);
		return -1;
	}
	if (p->v[P_PROTOCOL] == PROTO_BURST &&
	    (p->v[P_BURST_SPIKES] - 1) * p->v[P_BURST_ISI_MS] * 1e-3 >= 1 / p->v[P_FREQ_HZ]) {
		snprintf(err, errlen, "a burst of %g spikes %g ms apart does not fit in one period of %g Hz",
		         p->v[P_BURST_SPIKES], p->v[P_BURST_ISI_MS], p->v[P_FREQ_HZ]);
		return -1;
	}
	if (p->v[P_DT_MIN_MS] > p->v[P_DT_MAX_MS]) {
		snprintf(err, errlen, "dt_min_ms (%g) must not be greater than dt_max_ms (%g)",
		         p->v[P_DT_MIN_MS], p->v[P_DT_MAX_MS]);
		return -1;
	}
	/* The Euler step of rho must not overshoot: h (gamma_p + gamma_d) / tau < 1. */
	double k = p->v[P_STEP_MS] * 1e-3 * (p->v[P_GAMMA_P] + p->v[P_GAMMA_D]) / p->v[P_TAU_S];
	if (k >= 1) {
		snprintf(err, errlen,
		         "step_ms %g is too large for gamma_p + gamma_d = %g and tau_s = %g: "
		         "(step_ms / 1000) * (gamma_p + gamma_d) / tau_s must be below 1",
		         p->v[P_STEP_MS], p->v[P_GAMMA_P] + p->v[P_GAMMA_D], p->v[P_TAU_S]);
		return -1;
	}
	/* Euler decay of calcium must stay positive. */
	if (p->v[P_STEP_MS] >= p->v[P_TAU_CA_MS]) {
		snprintf(err, errlen, "step_ms (%g) must be smaller than tau_ca_ms (%g)", p->v[P_STEP_MS],
		         p->v[P_TAU_CA_MS]);
		return -1;
	}
	if (check_family(p, err, errlen) < 0)
		return -1;
	double fmin = p->v[P_PROTOCOL] == PROTO_FREQUENCY ? p->v[P_FREQ_MIN_HZ] : p->v[P_FREQ_HZ];
	if (p->v[P_PAIRS] / fmin > 100000) {
		snprintf(err, errlen, "pairs / frequency is %g s: the protocol may last at most 100000 s",
		         p->v[P_PAIRS] / fmin);
		return -1;
	}
	return 0;
}

int params_apply_assignment(param_set *p, const char *assignment, char *err, size_t errlen)
{
	char shown[USERTEXT_LEN];
	const char *eq = strchr(assignment, '=');
	if (!eq) {
		snprintf(err, errlen, "--set '%s': expected NAME=VALUE",
		         usertext_show(assignment, USERTEXT_CUT, shown, sizeof shown));
		return -1;
	}
	char name[64];
	size_t n = (size_t)(eq - assignment);
	if (n == 0 || n >= sizeof name) {
		snprintf(err, errlen, "--set '%s': expected NAME=VALUE",
		         usertext_show(assignment, USERTEXT_CUT, shown, sizeof shown));
		return -1;
	}
	memcpy(name, assignment, n);
	name[n] = '\0';
	int id = params_lookup(name);
	if (id < 0) {
		const char *s = params_suggest(name);
		snprintf(err, errlen, "unknown parameter '%s'%s%s%s (--help lists them)",
		         usertext_show(name, USERTEXT_CUT, shown, sizeof shown), s ? "; did you mean '" : "",
		         s ? s : "", s ? "'?" : "");
		return -1;
	}
	double v;
	if (params_parse_value(id, eq + 1, &v, err, errlen) < 0)
		return -1;
	p->v[id] = v;
	return 0;
}

void params_format_value(int id, double v, char *buf, size_t len)
{
	const char *const *names = params_table[id].names;
	if (names && v >= 0 && v == floor(v)) {
		for (int k = 0; names[k]; k++)
			if (k == (int)v) {
				snprintf(buf, len, "%s", names[k]);
				return;
			}
	}
	params_format_exact(v, buf, len);
}

void params_format_exact(double v, char *buf, size_t len)
{
	/* The shortest %.*g that reads back as the same double, without an exponent where a person
	 * would not write one (10, not 1e+01). */
	int plain = v == 0 || (fabs(v) >= 1e-4 && fabs(v) < 1e15);
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v && (!plain || !strchr(buf, 'e')))
			return;
	}
}

static double grid(const param_set *p, int i, double lo, double hi)
{
	int n = (int)p->v[P_POINTS];
	if (n <= 1)
		return lo;
	/* Exact ends, and 5 ms steps come out as whole numbers for the default grid. */
	if (i == n - 1)
		return hi;
	return lo + (hi - lo) * i / (n - 1);
}

double params_dt_ms(const param_set *p, int i)
{
	return grid(p, i, p->v[P_DT_MIN_MS], p->v[P_DT_MAX_MS]);
}

void params_presentations(const param_set *p, double period_s, int *pairs, int *presentations)
{
	*pairs = (int)p->v[P_PAIRS];
	*presentations = (int)p->v[P_PRESENTATIONS];
	if (*presentations > 1 && *pairs * period_s >= p->v[P_INTERVAL_S]) {
		*pairs *= *presentations;
		*presentations = 1;
	}
}

int params_random_protocol(const param_set *p)
{
	int proto = (int)p->v[P_PROTOCOL];
	return proto == PROTO_POISSON || proto == PROTO_IRREGULAR || proto == PROTO_IRREGULAR_RATE;
}

double params_eta(const param_set *p)
{
	if (p->v[P_NL] == 1)
		return 0;
	double post = p->v[P_C_POST] * p->v[P_C_POST_SCALE];
	double a = p->v[P_C_PRE] * (p->v[P_STD_U] > 0 ? p->v[P_STD_U] : 1) *
	           (p->v[P_PRE_SCALED] != 0 ? PARAMS_W0 : 1);
	if (!(a > 0))
		return 0;
	return (p->v[P_NL] * (post + a) - post) / a - 1;
}

double params_x(const param_set *p, int i)
{
	switch ((int)p->v[P_PROTOCOL]) {
	case PROTO_FREQUENCY:
		return grid(p, i, p->v[P_FREQ_MIN_HZ], p->v[P_FREQ_MAX_HZ]);
	case PROTO_POISSON:
	case PROTO_IRREGULAR_RATE:
		return grid(p, i, p->v[P_RATE_POST_MIN_HZ], p->v[P_RATE_POST_MAX_HZ]);
	default:
		return params_dt_ms(p, i);
	}
}

const char *params_x_label(const param_set *p)
{
	switch ((int)p->v[P_PROTOCOL]) {
	case PROTO_FREQUENCY:
		return "pairing frequency (Hz)";
	case PROTO_POISSON:
		return "postsynaptic rate (Hz)";
	case PROTO_IRREGULAR_RATE:
		return "pre and post rate (Hz)";
	case PROTO_BURST:
		return "dt = t_post(last of burst) - t_pre (ms)";
	default:
		return "dt = t_post - t_pre (ms)";
	}
}

const char *params_x_column(const param_set *p)
{
	switch ((int)p->v[P_PROTOCOL]) {
	case PROTO_FREQUENCY:
		return "freq_hz";
	case PROTO_POISSON:
		return "rate_post_hz";
	case PROTO_IRREGULAR_RATE:
		return "rate_hz";
	default:
		return "dt_ms";
	}
}
