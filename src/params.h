/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one table of parameters: every front end (command line, INI files, sliders, man page) reads
 * names, units, ranges and help from here. Units are in the names; values are stored in those units. */
#ifndef CSTDP_PARAMS_H
#define CSTDP_PARAMS_H

#include <stddef.h>

enum param_id {
	/* [model] */
	P_TAU_CA_MS,
	P_C_PRE,
	P_C_POST,
	P_THETA_D,
	P_THETA_P,
	P_GAMMA_D,
	P_GAMMA_P,
	P_SIGMA,
	P_TAU_S,
	P_RHO_STAR,
	P_DELAY_MS,
	P_C_POST_SCALE,
	P_EFFICACY,
	P_STD_U,
	P_TAU_REC_MS,
	P_PRE_SCALED,
	P_NL,
	/* [readout] */
	P_BETA,
	P_B,
	/* [protocol] */
	P_PROTOCOL,
	P_PAIRS,
	P_FREQ_HZ,
	P_DT_MIN_MS,
	P_DT_MAX_MS,
	P_POINTS,
	P_BURST_SPIKES,
	P_BURST_ISI_MS,
	P_FIXED_DT_MS,
	P_FREQ_MIN_HZ,
	P_FREQ_MAX_HZ,
	P_RATE_PRE_HZ,
	P_RATE_POST_MIN_HZ,
	P_RATE_POST_MAX_HZ,
	P_DURATION_S,
	P_PRESENTATIONS,
	P_INTERVAL_S,
	P_READOUT_AFTER_S,
	P_RATE_POST_HZ,
	P_PAIR_PROB,
	/* [simulation] */
	P_REPS,
	P_STEP_MS,
	P_SEED,
	P_COUNT
};

typedef struct param_info {
	const char *name;         /* key in INI files and --set, e.g. "theta_d" */
	const char *section;      /* INI section: "model", "readout", "protocol", "simulation" */
	const char *unit;         /* "ms", "s", "Hz" or "" */
	const char *label;        /* the name the panel shows: the name itself, or a short form of a
	                           * long one ("tau_ca" for tau_ca_ms) that --set accepts too */
	int integer;              /* 1: only whole numbers are valid */
	double def;               /* default: the seed's DP set and protocol */
	double min, max;          /* allowed closed range */
	double step;              /* fine slider step */
	double coarse;            /* coarse slider step */
	const char *help;         /* one line */
	const char *const *names; /* a choice: names of the values 0, 1, ... (NULL: a number) */
} param_info;

/* The protocols (values of the parameter "protocol"). */
enum protocol_kind {
	PROTO_PAIRS,     /* pre/post pairs; x is dt */
	PROTO_FREQUENCY, /* pairs at a fixed dt; x is the pairing frequency */
	PROTO_BURST,     /* one pre spike and a burst of post spikes; x is dt to the last post spike */
	PROTO_POISSON,   /* independent Poisson pre and post trains; x is the post rate */
	PROTO_IRREGULAR, /* Poisson pre spikes, each followed by a post spike dt later with probability
	                  * pair_prob, and independent post spikes; x is dt */
	PROTO_IRREGULAR_RATE, /* the same at fixed_dt_ms; x is the common pre and post rate */
	PROTO_COUNT
};

typedef struct param_set {
	double v[P_COUNT]; /* indexed by enum param_id, in the units of the table */
} param_set;

extern const param_info params_table[P_COUNT];

/* The efficacy dynamics (values of the parameter "efficacy"). */
enum efficacy_kind {
	EFFICACY_BISTABLE, /* 2012: rho with its double well and noise; UP/DOWN read-out */
	EFFICACY_WEIGHT,   /* 2020: deterministic weight w; change = w / w0 */
};

/* The initial weight of the deterministic model (and the weight eta is computed at). */
#define PARAMS_W0 0.5

/* The section names in file order, NULL-terminated. */
extern const char *const params_sections[];

void params_defaults(param_set *p);

/* Index of the parameter called name (exact, lower case), or -1. INI files use these names. */
int params_find(const char *name);

/* The same, also taking the panel's short names (label): for --set and typed names. */
int params_lookup(const char *name);

/* The known parameter name closest to name or to a short name (edit distance), for "did you mean"
 * messages; always the full name. */
const char *params_suggest(const char *name);

/* Parse text strictly as a value of parameter id: a whole finite number in C-locale syntax with
 * nothing after it but blanks, integral where the table says so, inside the range. Returns 0 and
 * stores the value, or -1 with a message naming the parameter and its range in err. */
int params_parse_value(int id, const char *text, double *out, char *err, size_t errlen);

/* Check one value against the table (range, integrality, finiteness). 0 or -1 with a message. */
int params_check_value(int id, double v, char *err, size_t errlen);

/* Check the relations between parameters (dt_min <= dt_max, a stable Euler step, ...). */
int params_check_set(const param_set *p, char *err, size_t errlen);

/* "NAME=VALUE" as given to --set: 0 and p updated, or -1 with a message. */
int params_apply_assignment(param_set *p, const char *assignment, char *err, size_t errlen);

/* A value as a person or a file writes it: the name of a choice, or params_format_exact. */
void params_format_value(int id, double v, char *buf, size_t len);

/* Format v the shortest way that reads back as exactly v (for files and display). */
void params_format_exact(double v, char *buf, size_t len);

/* The presentations of a regular protocol with pairs period_s apart: pairs per presentation and their
 * number. When the pairs of one presentation do not fit in interval_s (low frequencies), the
 * presentations join into one train of presentations x pairs pairs. */
void params_presentations(const param_set *p, double period_s, int *pairs, int *presentations);

/* 1 when the set's protocol draws random spike trains (poisson, irregular, irregular-rate). */
int params_random_protocol(const param_set *p);

/* The nonlinear calcium factor's eta: 0 for linear calcium (nl = 1); otherwise
 * (nl (c_post + a) - c_post) / a - 1, with a the presynaptic transient of a first spike at w0. */
double params_eta(const param_set *p);

/* The dt of grid point i in ms (pairs and burst protocols). */
double params_dt_ms(const param_set *p, int i);

/* The x of grid point i under the set's protocol: dt (ms) for pairs and bursts, the pairing
 * frequency (Hz) for frequency, the post rate (Hz) for poisson. */
double params_x(const param_set *p, int i);

/* The CSV column of x: "dt_ms", "freq_hz" or "rate_post_hz". */
const char *params_x_column(const param_set *p);

/* What x is, for axis labels: "dt = t_post - t_pre (ms)", "pairing frequency (Hz)", ... */
const char *params_x_label(const param_set *p);

#endif
