/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Taking a set elsewhere: the Brian2 script, the command line and the INI file of a set (see
 * export.h). */
#include "export.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "brian2_text.h"
#include "inifile.h"
#include "inisave.h"

/* ---- what the Brian2 script can express --------------------------------------------------------
 *
 * The script is the parameters (one line each, with units), the model (the 2012 equations with the
 * corrected noise term, or the 2020 deterministic weight model with its variants), one protocol
 * function (the spike trains of one point of the curve), and the read-out. A protocol or a model
 * variant that the program gains is one more entry in a table below: until then the exporter refuses
 * it rather than write a script of another experiment. */

/* The parameters the exporter knows. A parameter the program gains later is refused unless it has
 * its default value (which keeps the experiment the one this script simulates). */
static const char *const known_params[] = {"tau_ca_ms",
                                           "c_pre",
                                           "c_post",
                                           "theta_d",
                                           "theta_p",
                                           "gamma_d",
                                           "gamma_p",
                                           "sigma",
                                           "tau_s",
                                           "rho_star",
                                           "delay_ms",
                                           "c_post_scale",
                                           "efficacy",
                                           "std_u",
                                           "tau_rec_ms",
                                           "pre_scaled",
                                           "nl",
                                           "beta",
                                           "b",
                                           "protocol",
                                           "pairs",
                                           "freq_hz",
                                           "dt_min_ms",
                                           "dt_max_ms",
                                           "points",
                                           "burst_spikes",
                                           "burst_isi_ms",
                                           "fixed_dt_ms",
                                           "freq_min_hz",
                                           "freq_max_hz",
                                           "rate_pre_hz",
                                           "rate_post_min_hz",
                                           "rate_post_max_hz",
                                           "duration_s",
                                           "presentations",
                                           "interval_s",
                                           "readout_after_s",
                                           "rate_post_hz",
                                           "pair_prob",
                                           "reps",
                                           "step_ms",
                                           "seed",
                                           NULL};

/* Python, for the 2012 model: def trains(x) -> (pre, post, steps). pre and post are (synapse, step)
 * arrays of spike steps, synapse None for a train every synapse shares; steps is the length of the
 * run. For the weight model: def events(x) -> (trials, t_end), each trial a sorted list of (time,
 * kind) in exact times (kind 0 a presynaptic transient, 1 a postsynaptic spike), t_end the read-out
 * time. */
typedef struct export_protocol {
	const char *name;   /* as the protocol parameter names it */
	const char *uses;   /* the [protocol] parameters it reads, space separated */
	const char *python; /* the function trains(x) */
	const char *events; /* the function events(x) */
} export_protocol;

/* Periodic protocols share the Python helpers periodic_trains and periodic_events, random ones
 * poisson_steps, irregular_trains and random_events, written once (see the helpers below). */
static const export_protocol protocols[] = {
    {"pairs", "pairs freq_hz dt_min_ms dt_max_ms points presentations interval_s readout_after_s",
     "def trains(x):\n"
     "    \"\"\"pairs: a pre spike and a post spike x ms after it, pairs times at freq_hz.\"\"\"\n"
     "    return periodic_trains(x * 1e-3, 1.0 / float(freq_hz), 1, 0.0)\n",
     "def events(x):\n"
     "    \"\"\"pairs: a pre spike and a post spike x ms after it, pairs times at freq_hz.\"\"\"\n"
     "    return periodic_events(x * 1e-3, 1.0 / float(freq_hz), 1, 0.0)\n"},
    {"frequency", "pairs fixed_dt_ms freq_min_hz freq_max_hz points presentations interval_s readout_after_s",
     "def trains(x):\n"
     "    \"\"\"frequency: pairs at fixed_dt_ms, pairs times at x Hz.\"\"\"\n"
     "    return periodic_trains(float(fixed_dt_ms), 1.0 / x, 1, 0.0)\n",
     "def events(x):\n"
     "    \"\"\"frequency: pairs at fixed_dt_ms, pairs times at x Hz.\"\"\"\n"
     "    return periodic_events(float(fixed_dt_ms), 1.0 / x, 1, 0.0)\n"},
    {"burst",
     "pairs freq_hz dt_min_ms dt_max_ms points burst_spikes burst_isi_ms presentations interval_s "
     "readout_after_s",
     "def trains(x):\n"
     "    \"\"\"burst: a pre spike and burst_spikes post spikes burst_isi_ms apart, the last x ms\n"
     "    after the pre spike, pairs times at freq_hz.\"\"\"\n"
     "    return periodic_trains(x * 1e-3, 1.0 / float(freq_hz), int(burst_spikes), float(burst_isi_ms))\n",
     "def events(x):\n"
     "    \"\"\"burst: a pre spike and burst_spikes post spikes burst_isi_ms apart, the last x ms\n"
     "    after the pre spike, pairs times at freq_hz.\"\"\"\n"
     "    return periodic_events(x * 1e-3, 1.0 / float(freq_hz), int(burst_spikes), float(burst_isi_ms))\n"},
    {"poisson", "rate_pre_hz rate_post_min_hz rate_post_max_hz duration_s points",
     "def trains(x):\n"
     "    \"\"\"poisson: every synapse has its own independent Poisson pre train (rate_pre_hz) and\n"
     "    post train (x Hz) for duration_s; intervals are exponential, each spike on the first\n"
     "    step after its time, spikes at or after duration_s dropped.\"\"\"\n"
     "    h, T = float(step_ms), float(duration_s)\n"
     "    steps = int(math.floor(T / h + 0.5))\n"
     "    return (poisson_steps(float(rate_pre_hz), T, h), poisson_steps(x, T, h), steps)\n",
     "def events(x):\n"
     "    \"\"\"poisson: independent Poisson pre (rate_pre_hz) and post (x Hz) trains.\"\"\"\n"
     "    return random_events(float(rate_pre_hz), x, 0.0, 0.0)\n"},
    {"irregular", "rate_pre_hz rate_post_hz pair_prob dt_min_ms dt_max_ms points duration_s",
     "def trains(x):\n"
     "    \"\"\"irregular: pre spikes Poisson at rate_pre_hz, each followed by a post spike x ms later\n"
     "    with probability pair_prob, independent post spikes at rate_post_hz - pair_prob "
     "rate_pre_hz.\"\"\"\n"
     "    return irregular_trains(float(rate_pre_hz), float(rate_post_hz), x * 1e-3, float(pair_prob))\n",
     "def events(x):\n"
     "    \"\"\"irregular: pre spikes Poisson at rate_pre_hz, each followed by a post spike x ms later\n"
     "    with probability pair_prob, independent post spikes at rate_post_hz - pair_prob "
     "rate_pre_hz.\"\"\"\n"
     "    rind = float(rate_post_hz) - float(pair_prob) * float(rate_pre_hz)\n"
     "    return random_events(float(rate_pre_hz), rind, x * 1e-3, float(pair_prob))\n"},
    {"irregular-rate", "fixed_dt_ms pair_prob rate_post_min_hz rate_post_max_hz points duration_s",
     "def trains(x):\n"
     "    \"\"\"irregular-rate: the irregular trains at fixed_dt_ms, pre and post rate x Hz.\"\"\"\n"
     "    return irregular_trains(x, x, float(fixed_dt_ms), float(pair_prob))\n",
     "def events(x):\n"
     "    \"\"\"irregular-rate: the irregular trains at fixed_dt_ms, pre and post rate x Hz.\"\"\"\n"
     "    return random_events(x, x - float(pair_prob) * x, float(fixed_dt_ms), float(pair_prob))\n"},
};

/* The model variants. A variant is one more entry: its name, a test on the set saying it is the one
 * in use, its read-out (for the script's docstring), its equations, and the script's code before and
 * after the protocol's function (trains for the 2012 model, events for the weight model). */
typedef struct export_model {
	const char *name;
	int (*applies)(const param_set *p);
	const char *readout;   /* the docstring's paragraph on the read-out */
	const char *equations; /* the model's equations or event statements */
	const char *helpers;   /* Python before the protocol's function */
	int events;            /* 1: the protocol's events(x), 0: its trains(x) */
	const char *body;      /* Python after it */
} export_model;

/* The 2012 model: the bistable efficacy, without the 2020 variants (the program refuses them there). */
static int model_2012(const param_set *p)
{
	return (int)p->v[P_EFFICACY] == EFFICACY_BISTABLE && p->v[P_STD_U] == 0 && p->v[P_NL] == 1 &&
	       p->v[P_PRE_SCALED] == 0;
}

/* The deterministic weight model with any of its variants. */
static int model_2020(const param_set *p)
{
	return (int)p->v[P_EFFICACY] == EFFICACY_WEIGHT;
}

int export_parse_kind(const char *name)
{
	if (strcmp(name, "brian2") == 0)
		return EXPORT_BRIAN2;
	if (strcmp(name, "command") == 0)
		return EXPORT_COMMAND;
	if (strcmp(name, "ini") == 0)
		return EXPORT_INI;
	return -1;
}

/* ---- the command line ------------------------------------------------------------------------ */

/* A file name for a shell: as it is when it is made of safe characters, else in single quotes. */
static int shell_word(const char *s, char *buf, size_t len)
{
	int plain = *s != '\0';
	for (const char *c = s; *c; c++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=./,:@%", *c))
			plain = 0;
	size_t n = 0;
	if (plain)
		return snprintf(buf, len, "%s", s) < (int)len ? 0 : -1;
	if (n + 1 >= len)
		return -1;
	buf[n++] = '\'';
	for (const char *c = s; *c; c++) {
		const char *piece = *c == '\'' ? "'\\''" : (char[2]){*c, 0};
		size_t k = strlen(piece);
		if (n + k + 1 >= len)
			return -1;
		memcpy(buf + n, piece, k);
		n += k;
	}
	if (n + 2 > len)
		return -1;
	buf[n++] = '\'';
	buf[n] = '\0';
	return 0;
}

static int append(char *buf, size_t len, size_t *used, const char *text)
{
	size_t k = strlen(text);
	if (*used + k + 1 > len)
		return -1;
	memcpy(buf + *used, text, k + 1);
	*used += k;
	return 0;
}

int export_command(const param_set *p, const export_source *src, char *buf, size_t len)
{
	param_set defaults;
	params_defaults(&defaults);
	const param_set *ref = src && src->reference ? src->reference : &defaults;
	size_t used = 0;
	char word[4200], piece[4300];
	if (len == 0)
		return -1;
	buf[0] = '\0';
	if (src && (src->preset || src->params_file)) {
		if (shell_word(src->preset ? src->preset : src->params_file, word, sizeof word) < 0)
			return -1;
		snprintf(piece, sizeof piece, "%s %s", src->preset ? "--preset" : "--params", word);
		if (append(buf, len, &used, piece) < 0)
			return -1;
	}
	for (int i = 0; i < P_COUNT; i++) {
		if (p->v[i] == ref->v[i])
			continue;
		char value[64];
		params_format_value(i, p->v[i], value, sizeof value);
		snprintf(piece, sizeof piece, "%s--set %s=%s", used ? " " : "", params_table[i].name, value);
		if (append(buf, len, &used, piece) < 0)
			return -1;
	}
	return 0;
}

/* ---- the Brian2 script ----------------------------------------------------------------------- */

static const export_protocol *find_protocol(const param_set *p)
{
	int k = (int)p->v[P_PROTOCOL];
	const char *name = NULL;
	for (int i = 0; params_table[P_PROTOCOL].names[i]; i++)
		if (i == k)
			name = params_table[P_PROTOCOL].names[i];
	for (size_t i = 0; name && i < sizeof protocols / sizeof protocols[0]; i++)
		if (strcmp(protocols[i].name, name) == 0)
			return &protocols[i];
	return NULL;
}

static int is_known(const char *name)
{
	for (int i = 0; known_params[i]; i++)
		if (strcmp(known_params[i], name) == 0)
			return 1;
	return 0;
}

/* Whether the word name is in the space-separated list. */
static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *s = list; (s = strstr(s, name)) != NULL; s += n)
		if ((s == list || s[-1] == ' ') && (s[n] == ' ' || s[n] == '\0'))
			return 1;
	return 0;
}

/* The Brian2 unit of a parameter, from its unit in the table. */
static const char *brian_unit(const char *unit)
{
	if (strcmp(unit, "ms") == 0)
		return "ms";
	if (strcmp(unit, "s") == 0)
		return "second";
	if (strcmp(unit, "Hz") == 0)
		return "Hz";
	return NULL;
}

static void write_param(FILE *f, int i, const param_set *p)
{
	const param_info *pi = &params_table[i];
	char value[64], line[128];
	if (pi->names) {
		params_format_value(i, p->v[i], value, sizeof value);
		snprintf(line, sizeof line, "%s = '%s'", pi->name, value);
	} else {
		params_format_exact(p->v[i], value, sizeof value);
		const char *u = brian_unit(pi->unit);
		if (pi->integer)
			snprintf(line, sizeof line, "%s = %s", pi->name, value);
		else if (u)
			snprintf(line, sizeof line, "%s = %s * %s", pi->name, value, u);
		else
			snprintf(line, sizeof line, "%s = %s", pi->name, value);
	}
	fprintf(f, "%-30s # %s\n", line,
	        i == P_SEED ? "random seed of Brian2's generator (its numbers are not the program's)"
	                    : pi->help);
}

static const export_model models[] = {
    {"Graupner & Brunel 2012, with the corrected noise term", model_2012, brian2_text_bistable_readout,
     brian2_text_bistable_equations, brian2_text_bistable_helpers, 0, brian2_text_bistable_body},
    {"the deterministic weight model of Deperrois & Graupner 2020 (and Graupner et al. 2016)", model_2020,
     brian2_text_weight_readout, brian2_text_weight_equations, brian2_text_weight_helpers, 1, brian2_text_weight_body},
};

int export_brian2(FILE *f, const param_set *p, const export_source *src, char *err, size_t errlen)
{
	const export_protocol *proto = find_protocol(p);
	if (!proto) {
		char name[64], can[256] = "";
		params_format_value(P_PROTOCOL, p->v[P_PROTOCOL], name, sizeof name);
		size_t n = sizeof protocols / sizeof protocols[0];
		for (size_t i = 0; i < n; i++) {
			size_t used = strlen(can);
			snprintf(can + used, sizeof can - used, "%s%s",
			         i == 0       ? ""
			         : i + 1 == n ? " and "
			                      : ", ",
			         protocols[i].name);
		}
		snprintf(err, errlen,
		         "--export brian2: the protocol '%s' cannot be exported to Brian2 yet (%s can)", name,
		         can);
		return -1;
	}
	param_set defaults;
	params_defaults(&defaults);
	for (int i = 0; i < P_COUNT; i++)
		if (!is_known(params_table[i].name) && p->v[i] != defaults.v[i]) {
			char value[64];
			params_format_value(i, p->v[i], value, sizeof value);
			snprintf(
			    err, errlen,
			    "--export brian2: %s = %s cannot be exported to Brian2 yet (the script simulates "
			    "the models where %s has its default value)",
			    params_table[i].name, value, params_table[i].name);
			return -1;
		}
	const export_model *model = NULL;
	for (size_t i = 0; !model && i < sizeof models / sizeof models[0]; i++)
		if (models[i].applies(p))
			model = &models[i];
	if (!model) {
		/* No entry: say why the set is no model the script has (the 2012 model with a 2020
		 * variant is no model of the program either). */
		char why[512];
		if (params_check_set(p, why, sizeof why) < 0)
			snprintf(err, errlen, "--export brian2: this set cannot be exported to Brian2: %s",
			         why);
		else
			snprintf(err, errlen,
			         "--export brian2: this model variant cannot be exported to Brian2 yet");
		return -1;
	}
	char cmd[8192];
	if (export_command(p, src, cmd, sizeof cmd) < 0) {
		snprintf(err, errlen, "--export brian2: the command line of this set is too long");
		return -1;
	}
	const char *version = src && src->version ? src->version : "(unknown version)";
	const char *xcol = params_x_column(p);
	int xlo = P_DT_MIN_MS, xhi = P_DT_MAX_MS;
	if ((int)p->v[P_PROTOCOL] == PROTO_FREQUENCY)
		xlo = P_FREQ_MIN_HZ, xhi = P_FREQ_MAX_HZ;
	else if ((int)p->v[P_PROTOCOL] == PROTO_POISSON || (int)p->v[P_PROTOCOL] == PROTO_IRREGULAR_RATE)
		xlo = P_RATE_POST_MIN_HZ, xhi = P_RATE_POST_MAX_HZ;

	fprintf(
	    f,
	    "#!/usr/bin/env python3\n"
	    "\"\"\"The calcium-stdp curve of one parameter set and protocol (%s), simulated with Brian2.\n"
	    "\n"
	    "Written by calcium-stdp %s from the state\n"
	    "    calcium-stdp%s%s --export brian2\n"
	    "The program's own curve of the same set, for comparison (the same CSV columns):\n"
	    "    calcium-stdp%s%s --batch\n"
	    "\n"
	    "Model: %s.\n"
	    "%s"
	    "\n"
	    "Run: python3 THIS_FILE [-o CSV] [--target numpy] [--points 0,20,40]\n"
	    "Needs Brian2 (Debian: apt-get install python3-brian; tested with 2.5.1).\n"
	    "\"\"\"\n"
	    "import argparse\n"
	    "import math\n"
	    "import sys\n"
	    "\n"
	    "import numpy as np\n"
	    "from brian2 import (Hz, ms, second, defaultclock, prefs, BrianLogger, Network, NeuronGroup,\n"
	    "                    SpikeGeneratorGroup, Synapses)\n"
	    "from brian2 import seed as brian2_seed\n"
	    "\n"
	    "# ---- the parameters, named as calcium-stdp names them (calcium-stdp --help) --------------\n",
	    proto->name, version, cmd[0] ? " " : "", cmd, cmd[0] ? " " : "", cmd, model->name,
	    model->readout);
	const char *section = "";
	for (int i = 0; i < P_COUNT; i++) {
		const param_info *pi = &params_table[i];
		if (strcmp(pi->section, "protocol") == 0 && i != P_PROTOCOL &&
		    !in_list(proto->uses, pi->name))
			continue; /* read by other protocols only */
		if (strcmp(section, pi->section) != 0) {
			section = pi->section;
			fprintf(f, "# [%s]\n", section);
		}
		write_param(f, i, p);
	}
	fprintf(
	    f,
	    "\n"
	    "# The curve's x: %s\n"
	    "X_COLUMN = '%s'\n"
	    "X_LO, X_HI = round(float(%s / %s), 9), round(float(%s / %s), 9)\n"
	    "# %s\n"
	    "RANDOM = %s\n"
	    "\n"
	    "# ---- the model ---------------------------------------------------------------------------\n"
	    "%s",
	    params_x_label(p), xcol, params_table[xlo].name, brian_unit(params_table[xlo].unit),
	    params_table[xhi].name, brian_unit(params_table[xhi].unit),
	    params_random_protocol(p) ? "Random trains: every point is a mean over reps trials (or synapses)."
	                              : "Regular trains: the same spikes at every repetition.",
	    params_random_protocol(p) ? "True" : "False", model->equations);
	fputs(brian2_text_presentation_helper, f);
	fputs(model->helpers, f);
	fputs("\n", f);
	fputs(model->events ? proto->events : proto->python, f);
	fputs(model->body, f);
	return ferror(f) ? (snprintf(err, errlen, "--export brian2: writing failed"), -1) : 0;
}

/* ---- the command line's --export ---------------------------------------------------------------- */

static int write_out(const char *file, const char *text, size_t len, const char *what)
{
	if (!file || strcmp(file, "-") == 0) {
		if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
			fprintf(stderr, "calcium-stdp: --export %s: writing the output failed: %s\n", what,
			        strerror(errno));
			return 1;
		}
		return 0;
	}
	char err[2048];
	int rc = inisave_write(file, text, len, 0, NULL, 0, err, sizeof err);
	if (rc != INISAVE_OK) {
		fprintf(stderr, "calcium-stdp: --export %s: not saved: %s\n", what, err);
		return rc == INISAVE_FAILED ? 1 : 2;
	}
	return 0;
}

int export_run(int kind, const char *file, const param_set *p, const export_source *src)
{
	char *text = NULL, err[1024];
	size_t len = 0;
	int rc = 0;
	if (kind == EXPORT_INI) {
		text = inifile_format(p, "saved by calcium-stdp --export ini", &len);
		if (!text) {
			fprintf(stderr, "calcium-stdp: --export ini: out of memory\n");
			return 1;
		}
		rc = write_out(file, text, len, "ini");
		free(text);
		return rc;
	}
	FILE *m = open_memstream(&text, &len);
	if (!m) {
		fprintf(stderr, "calcium-stdp: --export: out of memory\n");
		return 1;
	}
	if (kind == EXPORT_COMMAND) {
		char cmd[8192];
		if (export_command(p, src, cmd, sizeof cmd) < 0) {
			fclose(m);
			free(text);
			fprintf(stderr, "calcium-stdp: --export command: the command line is too long\n");
			return 1;
		}
		fprintf(m, "calcium-stdp%s%s\n", cmd[0] ? " " : "", cmd);
	} else if (export_brian2(m, p, src, err, sizeof err) < 0) {
		fclose(m);
		free(text);
		fprintf(stderr, "calcium-stdp: %s\n", err);
		return 2;
	}
	if (fclose(m) != 0) {
		free(text);
		fprintf(stderr, "calcium-stdp: --export: out of memory\n");
		return 1;
	}
	rc = write_out(file, text, len, kind == EXPORT_COMMAND ? "command" : "brian2");
	free(text);
	return rc;
}
