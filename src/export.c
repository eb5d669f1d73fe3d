/* Taking a set elsewhere: the Brian2 script, the command line and the INI file of a set (see
 * export.h). */
#include "export.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The 2012 model's equations. */
static const char bistable_equations[] =
    "# Graupner & Brunel (2012), PNAS 109:3991, with the corrected noise term (PNAS\n"
    "# doi:10.1073/pnas.1220044110): sigma sqrt(tau) sqrt(H(c - theta_d) + H(c - theta_p)) xi, where the\n"
    "# article printed H(c - min(theta_d, theta_p)). H(x) = 1 for x > 0. rho is not clipped.\n"
    "# Brian2's 'heun' for this noise, which depends on calcium only, is the Euler-Maruyama scheme\n"
    "# calcium-stdp integrates: calcium decays by c (1 - step/tau_ca) a step, and rho's step uses the\n"
    "# calcium at the start of the step.\n"
    "MODEL = '''\n"
    "dc/dt = -c / tau_ca_ms : 1\n"
    "drho/dt = (-rho * (1 - rho) * (rho_star - rho)\n"
    "           + gamma_p * (1 - rho) * int(c > theta_p)\n"
    "           - gamma_d * rho * int(c > theta_d)\n"
    "           + sigma * sqrt(tau_s) * sqrt(int(c > theta_d) + int(c > theta_p)) * xi) / tau_s : 1\n"
    "'''\n";

/* The weight model's constants and event statements. */
static const char weight_equations[] =
    "# The deterministic weight model of Deperrois & Graupner (2020), PLoS Comput Biol 16:e1008265 (and\n"
    "# of Graupner, Wallisch & Ostojic (2016), J Neurosci 36:11238, without depression).\n"
    "# Calcium c = ca_presyn + ca_postsyn decays with tau_ca_ms between spikes, and the weight w follows\n"
    "#     tau_s dw/dt = gamma_p (1 - w) H(c - theta_p) - gamma_d w H(c - theta_d)\n"
    "# (no double well, no noise), from w = w0 = 0.5; change = w / w0 at the read-out.\n"
    "# A presynaptic spike's transient comes delay_ms after it and adds to ca_presyn\n"
    "#     c_pre [* w if pre_scaled = yes] [* std_u * x_n if std_u > 0, short-term depression:\n"
    "#     x_1 = 1, x_n = 1 - (1 - x_(n-1) (1 - std_u)) exp(-(t_n - t_(n-1)) / tau_rec_ms)];\n"
    "# a postsynaptic spike adds c_post * c_post_scale + eta * ca_presyn to ca_postsyn (nonlinear calcium:\n"
    "# eta = (nl (C_post + a) - C_post) / a - 1 with a = c_pre [* std_u] [* w0], 0 for nl = 1).\n"
    "# On a tie the presynaptic transient comes first.\n"
    "#\n"
    "# Exact event handling, not a time step: between two events calcium is c0 exp(-s / tau_ca), so it\n"
    "# stays above a threshold theta for tau_ca ln(c0 / theta), and w relaxes linearly over those\n"
    "# stretches: towards gamma_p / (gamma_p + gamma_d) while c > both thresholds, by the lower\n"
    "# threshold's term alone between them. Every spike is a Brian2 synapse of its own carrying its\n"
    "# exact time te (seconds); its on_pre statements bring the state from t_last to te in closed form\n"
    "# and then add the spike's transient. Brian2's clock (EVENT_DT) only orders the events, one per\n"
    "# step and target at most: the result does not depend on it.\n"
    "W0 = 0.5\n"
    "EVENT_DT = 1 * ms\n"
    "STATE = '''\n"
    "ca_presyn : 1   # presynaptic part of the calcium\n"
    "ca_postsyn : 1  # postsynaptic part\n"
    "x : 1           # depression variable at the last presynaptic spike\n"
    "w : 1           # the weight\n"
    "t_last : 1      # time of the last update (s)\n"
    "t_spike : 1     # time of the last presynaptic transient (s)\n"
    "had_spike : 1   # 1 once a presynaptic transient has come\n"
    "'''\n"
    "\n"
    "\n"
    "def nonlinear_eta():\n"
    "    post = float(c_post) * float(c_post_scale)\n"
    "    a = float(c_pre) * (float(std_u) if std_u > 0 else 1.0) * (W0 if pre_scaled == 'yes' else 1.0)\n"
    "    if nl == 1 or not a > 0:\n"
    "        return 0.0\n"
    "    return (float(nl) * (post + a) - post) / a - 1\n"
    "\n"
    "\n"
    "def model_code():\n"
    "    \"\"\"The constants and the on_pre statements of the three kinds of event.\"\"\"\n"
    "    g = float(gamma_p) + float(gamma_d)\n"
    "    ns = {'tau_ca': float(tau_ca_ms / second), 'tau_w': float(tau_s / second),\n"
    "          'gamma_p': float(gamma_p), 'gamma_d': float(gamma_d),\n"
    "          'th_lo': min(float(theta_d), float(theta_p)),\n"
    "          'th_hi': max(float(theta_d), float(theta_p)),\n"
    "          'w_bar': float(gamma_p) / g if g > 0 else 0.0, 'c_pre_amp': float(c_pre),\n"
    "          'c_post_amp': float(c_post) * float(c_post_scale), 'eta': nonlinear_eta(),\n"
    "          'std_u': float(std_u), 'tau_rec': float(tau_rec_ms / second)}\n"
    "    if float(theta_d) <= float(theta_p):\n"
    "        between = 'w = w * exp(-t_lo * gamma_d / tau_w)\\n'\n"
    "    else:\n"
    "        between = 'w = 1 - (1 - w) * exp(-t_lo * gamma_p / tau_w)\\n'\n"
    "    advance = ('L = te - t_last\\n'\n"
    "               'lc = log(clip(ca_presyn + ca_postsyn, th_lo, inf))\\n'\n"
    "               't_hi = clip(tau_ca * (lc - log(th_hi)), 0, L)\\n'\n"
    "               't_lo = clip(tau_ca * (lc - log(th_lo)), 0, L) - t_hi\\n'\n"
    "               'w = w_bar + (w - w_bar) * exp(-t_hi * (gamma_p + gamma_d) / tau_w)\\n'\n"
    "               + between +\n"
    "               'ca_presyn = ca_presyn * exp(-L / tau_ca)\\n'\n"
    "               'ca_postsyn = ca_postsyn * exp(-L / tau_ca)\\n'\n"
    "               't_last = te\\n')\n"
    "    amp = 'c_pre_amp'\n"
    "    if pre_scaled == 'yes':\n"
    "        amp += ' * w'\n"
    "    pre = advance\n"
    "    if std_u > 0:\n"
    "        pre += ('x = had_spike * (1 - (1 - x * (1 - std_u)) * exp(-(te - t_spike) / tau_rec))'\n"
    "                ' + (1 - had_spike)\\n')\n"
    "        amp += ' * std_u * x'\n"
    "    pre += 'had_spike = 1\\nt_spike = te\\nca_presyn = ca_presyn + ' + amp + '\\n'\n"
    "    post = advance + 'ca_postsyn = ca_postsyn + c_post_amp + eta * ca_presyn\\n'\n"
    "    return ns, {0: pre, 1: post, 2: advance}\n";

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

/* The part of the script every protocol shares. */
static const char bistable_helpers[] =
    "\n"
    "# ---- the spike trains -------------------------------------------------------------------------\n"
    "# Times are placed on the step grid as calcium-stdp places them: a spike at time t falls on the\n"
    "# first step n with n * step > t (times on a step boundary, up to rounding, count as on it), and\n"
    "# its calcium arrives at the end of that step (delay_ms later, in whole steps, for a pre spike).\n"
    "\n"
    "def first_step_after(t, h):\n"
    "    x = t / h\n"
    "    r = float(np.rint(x))\n"
    "    if abs(x - r) < 1e-6 * (1 + abs(r)):\n"
    "        x = r\n"
    "    return 0 if x < 0 else int(math.floor(x)) + 1\n"
    "\n"
    "\n"
    "def grid_steps(t, h):\n"
    "    \"\"\"first_step_after for an array of times (all positive).\"\"\"\n"
    "    x = t / h\n"
    "    r = np.rint(x)\n"
    "    x = np.where(np.abs(x - r) < 1e-6 * (1 + np.abs(r)), r, x)\n"
    "    return np.floor(x).astype(np.int64) + 1\n"
    "\n"
    "\n"
    "def periodic_trains(dt_s, period_s, nposts, isi_s):\n"
    "    \"\"\"pairs times: a pre spike and nposts post spikes, the last dt_s after it, every period_s;\n"
    "    with presentations, the next presentation of the pairs interval_s after the start of the one\n"
    "    before. The first pre spike is at 100 ms, later only when a post spike would come before\n"
    "    t = 0. The run lasts until the last presentation's pairs * period_s, longer only when calcium\n"
    "    from the last transient has not decayed (10 tau_ca_ms) by then. One train every synapse\n"
    "    shares.\"\"\"\n"
    "    h = float(step_ms)\n"
    "    first_post = dt_s - (nposts - 1) * isi_s\n"
    "    t0 = 0.1 + (-first_post - 0.1 if first_post < -0.1 else 0.0)\n"
    "    n, k = presentation_layout(period_s)\n"
    "    interval = float(interval_s / second)\n"
    "    pre, post = [], []\n"
    "    for i in range(k * n):\n"
    "        tp = t0 + (i // n) * interval + (i % n) * period_s\n"
    "        pre.append(first_step_after(tp, h))\n"
    "        for j in range(nposts):\n"
    "            post.append(first_step_after(tp + dt_s - (nposts - 1 - j) * isi_s, h))\n"
    "    delay = int(math.floor(float(delay_ms) / h + 0.5))\n"
    "    last = max(max(pre) + delay, max(post))\n"
    "    steps = int(math.floor((t0 - 0.1 + (k - 1) * interval + n * period_s) / h + 0.5))\n"
    "    tail = int(math.ceil(10 * float(tau_ca_ms) / h))\n"
    "    steps = max(steps, last + 1 + tail)\n"
    "    return (None, np.array(pre)), (None, np.array(post)), steps\n"
    "\n"
    "\n"
    "def poisson_times(rate, T):\n"
    "    \"\"\"A Poisson train of the given rate (Hz) in (0, T) for every synapse, as (synapse, time)\n"
    "    arrays.\"\"\"\n"
    "    n = 2 * int(reps)\n"
    "    if not rate > 0:\n"
    "        return np.zeros(0, dtype=np.int64), np.zeros(0)\n"
    "    k = int(rate * T + 10 * math.sqrt(rate * T) + 10)\n"
    "    t = np.cumsum(np.random.exponential(1.0 / rate, size=(n, k)), axis=1)\n"
    "    while (t[:, -1] < T).any():\n"
    "        more = np.cumsum(np.random.exponential(1.0 / rate, size=(n, k)), axis=1)\n"
    "        t = np.concatenate([t, t[:, -1:] + more], axis=1)\n"
    "    syn, col = np.nonzero(t < T)\n"
    "    return syn, t[syn, col]\n"
    "\n"
    "\n"
    "def poisson_steps(rate, T, h):\n"
    "    \"\"\"A Poisson train of the given rate (Hz) for every synapse, as (synapse, step) arrays.\"\"\"\n"
    "    syn, t = poisson_times(rate, T)\n"
    "    return syn, grid_steps(t, h)\n"
    "\n"
    "\n"
    "def irregular_trains(rate_pre, rate_post, dt_s, prob):\n"
    "    \"\"\"For every synapse over duration_s: pre spikes Poisson at rate_pre, each followed by a post\n"
    "    spike dt_s later with probability prob (kept when inside (0, duration_s)), and independent\n"
    "    post spikes Poisson at rate_post - prob rate_pre (none when that is not positive).\"\"\"\n"
    "    h, T = float(step_ms), float(duration_s)\n"
    "    steps = int(math.floor(T / h + 0.5))\n"
    "    syn, t = poisson_times(rate_pre, T)\n"
    "    tq = t + dt_s\n"
    "    keep = (np.random.random_sample(len(t)) < prob) & (tq > 0) & (tq < T)\n"
    "    isyn, it = poisson_times(max(rate_post - prob * rate_pre, 0.0), T)\n"
    "    post = grid_steps(np.concatenate([tq[keep], it]), h)\n"
    "    post_syn = np.concatenate([syn[keep], isyn])\n"
    "    return (syn, grid_steps(t, h)), (post_syn[post < steps], post[post < steps]), steps\n"
    "\n"
    "\n";

/* The 2012 model's script after its protocol's trains(x). */
static const char bistable_body[] =
    "\n"
    "\n"
    "# ---- one point of the curve ----------------------------------------------------------------------\n"
    "\n"
    "def feed(synapses, train, transient, delay, name):\n"
    "    \"\"\"Brian2 objects adding transient to the calcium of the synapses at the train's steps (its\n"
    "    pre or post spikes). A SpikeGeneratorGroup takes one spike per neuron and step, so a synapse's\n"
    "    second spike in one step (Poisson trains) comes from a copy of its source neuron.\"\"\"\n"
    "    syn, steps = train\n"
    "    if len(steps) == 0:\n"
    "        return []\n"
    "    n = len(synapses)\n"
    "    if syn is None:\n"
    "        source = SpikeGeneratorGroup(1, np.zeros(len(steps), dtype=int), steps * step_ms, name=name)\n"
    "        link = Synapses(source, synapses, on_pre='c += transient', delay=delay,\n"
    "                        namespace={'transient': transient}, name=name + '_syn')\n"
    "        link.connect()\n"
    "        return [source, link]\n"
    "    order = np.lexsort((steps, syn))\n"
    "    syn, steps = syn[order], steps[order]\n"
    "    same = np.r_[False, (syn[1:] == syn[:-1]) & (steps[1:] == steps[:-1])]\n"
    "    run_start = np.flatnonzero(~same)[np.cumsum(~same) - 1]\n"
    "    copy = np.arange(len(steps)) - run_start\n"
    "    copies = int(copy.max()) + 1\n"
    "    source = SpikeGeneratorGroup(copies * n, copy * n + syn, steps * step_ms, name=name)\n"
    "    link = Synapses(source, synapses, on_pre='c += transient', delay=delay,\n"
    "                    namespace={'transient': transient}, name=name + '_syn')\n"
    "    link.connect(i=np.arange(copies * n), j=np.arange(copies * n) % n)\n"
    "    return [source, link]\n"
    "\n"
    "\n"
    "def simulate(x):\n"
    "    \"\"\"rho at the end of the run for reps synapses started DOWN (rho = 0), then reps started "
    "UP.\"\"\"\n"
    "    pre, post, steps = trains(x)\n"
    "    n = 2 * int(reps)\n"
    "    synapses = NeuronGroup(n, MODEL, method='heun', name='synapses')\n"
    "    synapses.c = 0\n"
    "    synapses.rho = np.r_[np.zeros(n // 2), np.ones(n // 2)]\n"
    "    net = Network(synapses)\n"
    "    # The pre transient's delay in whole steps, rounded half away from zero as the program does\n"
    "    # (Brian2 rounds a delay half to even).\n"
    "    delay = int(math.floor(float(delay_ms) / float(step_ms) + 0.5)) * step_ms\n"
    "    net.add(feed(synapses, pre, float(c_pre), delay, 'pre'))\n"
    "    net.add(feed(synapses, post, float(c_post) * float(c_post_scale), 0 * ms, 'post'))\n"
    "    net.run(steps * step_ms)\n"
    "    return np.asarray(synapses.rho[:])\n"
    "\n"
    "\n"
    "# ---- the read-out, as calcium-stdp's ---------------------------------------------------------\n"
    "\n"
    "def wilson(k, n, z=1.959963984540054):\n"
    "    ph = k / n\n"
    "    centre = (ph + z * z / (2 * n)) / (1 + z * z / n)\n"
    "    half = z * math.sqrt(ph * (1 - ph) / n + z * z / (4 * n * n)) / (1 + z * z / n)\n"
    "    return max(0.0, centre - half), min(1.0, centre + half)\n"
    "\n"
    "\n"
    "def readout(rho):\n"
    "    \"\"\"U: the DOWN-started synapses that end UP (rho > rho_star); D: the UP-started that end DOWN\n"
    "    (rho < rho_star); change = after/before with beta and b; a 95% interval from the Wilson\n"
    "    intervals of U and D.\"\"\"\n"
    "    n = int(reps)\n"
    "    if not np.isfinite(rho).all():\n"
    "        raise SystemExit('a synapse\\'s rho is not finite: no result')\n"
    "    ups = int(np.sum(rho[:n] > rho_star))\n"
    "    downs = int(np.sum(rho[n:] < rho_star))\n"
    "    U, D = ups / n, downs / n\n"
    "    norm = beta + (1 - beta) * b\n"
    "    change = ((1 - U) * beta + D * (1 - beta) + b * (U * beta + (1 - D) * (1 - beta))) / norm\n"
    "    U_lo, U_hi = wilson(ups, n)\n"
    "    D_lo, D_hi = wilson(downs, n)\n"
    "    cu, cd = beta * (b - 1) / norm, -(1 - beta) * (b - 1) / norm\n"
    "    u_dn = cu * (U - U_lo) if cu >= 0 else -cu * (U_hi - U)\n"
    "    u_up = cu * (U_hi - U) if cu >= 0 else -cu * (U - U_lo)\n"
    "    d_dn = cd * (D - D_lo) if cd >= 0 else -cd * (D_hi - D)\n"
    "    d_up = cd * (D_hi - D) if cd >= 0 else -cd * (D - D_lo)\n"
    "    return U, D, change, change - math.hypot(u_dn, d_dn), change + math.hypot(u_up, d_up)\n"
    "\n"
    "\n"
    "def grid(i, lo, hi):\n"
    "    n = int(points)\n"
    "    if n <= 1:\n"
    "        return lo\n"
    "    return hi if i == n - 1 else lo + (hi - lo) * i / (n - 1)\n"
    "\n"
    "\n"
    "def main():\n"
    "    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])\n"
    "    parser.add_argument('-o', '--output', help='CSV file (default: standard output)')\n"
    "    parser.add_argument('--target', default=None,\n"
    "                        help=\"Brian2 code generation target: numpy, cython (default: Brian2's)\")\n"
    "    parser.add_argument('--points', default=None,\n"
    "                        help='only these points of the curve, by index from 0 (e.g. 0,20,40)')\n"
    "    args = parser.parse_args()\n"
    "    if args.target:\n"
    "        prefs.codegen.target = args.target\n"
    "    defaultclock.dt = step_ms\n"
    "    brian2_seed(int(seed))\n"
    "    which = range(int(points))\n"
    "    if args.points:\n"
    "        which = [int(k) for k in args.points.split(',')]\n"
    "    out = open(args.output, 'w') if args.output else sys.stdout\n"
    "    out.write(X_COLUMN + ',U,D,change,change_lo,change_hi,reps\\n')\n"
    "    for i in which:\n"
    "        x = grid(i, X_LO, X_HI)\n"
    "        print(f'{X_COLUMN} = {x:g}: point {i + 1} of {int(points)}', file=sys.stderr)\n"
    "        U, D, change, lo, hi = readout(simulate(x))\n"
    "        out.write('%.10g,%.6f,%.6f,%.6f,%.6f,%.6f,%d\\n' % (x, U, D, change, lo, hi, "
    "int(reps)))\n"
    "        out.flush()\n"
    "    if out is not sys.stdout:\n"
    "        out.close()\n"
    "\n"
    "\n"
    "if __name__ == '__main__':\n"
    "    main()\n";

/* Both models: how presentations lay out the pairs (params_presentations). */
static const char presentation_helper[] =
    "\n"
    "# ---- presentations -------------------------------------------------------------------------------\n"
    "\n"
    "def presentation_layout(period_s):\n"
    "    \"\"\"Pairs per presentation and presentations (pairs, frequency and burst protocols); when a\n"
    "    presentation's pairs do not fit in interval_s, the presentations join into one train.\"\"\"\n"
    "    n, k = int(pairs), int(presentations)\n"
    "    if k > 1 and n * period_s >= float(interval_s / second):\n"
    "        n, k = n * k, 1\n"
    "    return n, k\n"
    "\n";

/* The weight model's trains, in exact times (weight_regular, wlanes). */
static const char weight_helpers[] =
    "\n"
    "# ---- the spike trains, in exact times ------------------------------------------------------------\n"
    "# events(x) gives a list of trials, each a list of (time, kind) sorted (kind 0: a presynaptic\n"
    "# transient, already delay_ms after its spike; 1: a postsynaptic spike; so a tie puts the\n"
    "# presynaptic one first), and the read-out time.\n"
    "\n"
    "def periodic_events(dt_s, period_s, nposts, isi_s):\n"
    "    \"\"\"Presentation a (from 0) starts at 0.1 s + a interval_s; pair j of it has its pre spike at\n"
    "    start + j period_s and nposts post spikes, the last dt_s after it, isi_s apart. One trial; the\n"
    "    read-out readout_after_s after the last event.\"\"\"\n"
    "    n, k = presentation_layout(period_s)\n"
    "    delay, interval = float(delay_ms / second), float(interval_s / second)\n"
    "    ev = []\n"
    "    for a in range(k):\n"
    "        for j in range(n):\n"
    "            tp = 0.1 + a * interval + j * period_s\n"
    "            ev.append((tp + delay, 0))\n"
    "            for i in range(nposts):\n"
    "                ev.append((tp + dt_s - (nposts - 1 - i) * isi_s, 1))\n"
    "    ev.sort()\n"
    "    return [ev], ev[-1][0] + float(readout_after_s / second)\n"
    "\n"
    "\n"
    "def poisson_times(rate, T):\n"
    "    \"\"\"A Poisson train of the given rate (Hz) in (0, T).\"\"\"\n"
    "    if not rate > 0:\n"
    "        return np.empty(0)\n"
    "    k = int(rate * T + 10 * math.sqrt(rate * T) + 10)\n"
    "    t = np.cumsum(np.random.exponential(1.0 / rate, size=k))\n"
    "    while t[-1] < T:\n"
    "        t = np.concatenate([t, t[-1] + np.cumsum(np.random.exponential(1.0 / rate, size=k))])\n"
    "    return t[t < T]\n"
    "\n"
    "\n"
    "def random_events(rate_pre, rate_ind, dt_s, prob):\n"
    "    \"\"\"reps trials over (0, duration_s): pre spikes Poisson at rate_pre, each followed by a post\n"
    "    spike dt_s later with probability prob, independent post spikes Poisson at rate_ind; spikes\n"
    "    and transients outside (0, duration_s) dropped; the read-out at duration_s.\"\"\"\n"
    "    T, delay = float(duration_s / second), float(delay_ms / second)\n"
    "    trials = []\n"
    "    for _ in range(int(reps)):\n"
    "        pre = poisson_times(rate_pre, T)\n"
    "        tq = pre + dt_s\n"
    "        keep = (np.random.random_sample(len(pre)) < prob) & (tq > 0) & (tq < T)\n"
    "        post = np.concatenate([tq[keep], poisson_times(max(rate_ind, 0.0), T)])\n"
    "        ta = pre + delay\n"
    "        ta = ta[ta < T]\n"
    "        trials.append(sorted([(t, 0) for t in ta.tolist()] + [(t, 1) for t in post.tolist()]))\n"
    "    return trials, T\n"
    "\n"
    "\n";

/* The weight model's script after its protocol's events(x). */
static const char weight_body[] =
    "\n"
    "\n"
    "# ---- the points of the curve ---------------------------------------------------------------------\n"
    "\n"
    "def simulate(xs):\n"
    "    \"\"\"The weight at the read-out of every trial of every x in xs (one Brian2 run for all): a list\n"
    "    of arrays, one per x.\"\"\"\n"
    "    when, kind, target, first, counts = [], [], [], [], []\n"
    "    n = 0\n"
    "    for xv in xs:\n"
    "        trials, t_end = events(xv)\n"
    "        counts.append(len(trials))\n"
    "        for ev in trials:\n"
    "            first.append(ev[0][0] if ev else t_end)\n"
    "            when += [e[0] for e in ev] + [t_end]\n"
    "            kind += [e[1] for e in ev] + [2]\n"
    "            target += [n] * (len(ev) + 1)\n"
    "            n += 1\n"
    "    when, kind, target = np.array(when), np.array(kind), np.array(target)\n"
    "    first = np.array(first)\n"
    "    # Dispatch steps: the event's time from the target's first event, then one step more than the\n"
    "    # event before it when two would share a step, so that each target sees its events in order.\n"
    "    step = np.floor((when - first[target]) / float(EVENT_DT / second)).astype(np.int64) + 1\n"
    "    start = np.r_[0, np.flatnonzero(np.diff(target)) + 1]\n"
    "    rank = np.arange(len(when)) - np.repeat(start, np.diff(np.r_[start, len(when)]))\n"
    "    step = step - rank\n"
    "    for a, b in zip(start, np.r_[start[1:], len(when)]):\n"
    "        step[a:b] = np.maximum.accumulate(step[a:b])\n"
    "    step = step + rank\n"
    "    ns, code = model_code()\n"
    "    state = NeuronGroup(n, STATE, name='synapses')\n"
    "    state.w = W0\n"
    "    state.x = 1\n"
    "    state.t_last = first\n"
    "    source = SpikeGeneratorGroup(len(when), np.arange(len(when)), step * EVENT_DT, name='spikes')\n"
    "    net = Network(state, source)\n"
    "    for k, name in ((0, 'pre_events'), (1, 'post_events'), (2, 'readout_events')):\n"
    "        which = np.flatnonzero(kind == k)\n"
    "        if len(which) == 0:\n"
    "            continue\n"
    "        link = Synapses(source, state, 'te : 1', on_pre=code[k], namespace=ns, name=name)\n"
    "        link.connect(i=which, j=target[which])\n"
    "        link.te = when[np.asarray(link.i[:])]\n"
    "        net.add(link)\n"
    "    net.run((int(step.max()) + 1) * EVENT_DT)\n"
    "    w = np.asarray(state.w[:])\n"
    "    if not np.isfinite(w).all():\n"
    "        raise SystemExit('a weight is not finite: no result')\n"
    "    out, k = [], 0\n"
    "    for c in counts:\n"
    "        out.append(w[k:k + c])\n"
    "        k += c\n"
    "    return out\n"
    "\n"
    "\n"
    "def grid(i, lo, hi):\n"
    "    n = int(points)\n"
    "    if n <= 1:\n"
    "        return lo\n"
    "    return hi if i == n - 1 else lo + (hi - lo) * i / (n - 1)\n"
    "\n"
    "\n"
    "def main():\n"
    "    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])\n"
    "    parser.add_argument('-o', '--output', help='CSV file (default: standard output)')\n"
    "    parser.add_argument('--target', default=None,\n"
    "                        help=\"Brian2 code generation target: numpy, cython (default: Brian2's)\")\n"
    "    parser.add_argument('--points', default=None,\n"
    "                        help='only these points of the curve, by index from 0 (e.g. 0,20,40)')\n"
    "    args = parser.parse_args()\n"
    "    if args.target:\n"
    "        prefs.codegen.target = args.target\n"
    "    # Each target takes at most one event per step (see simulate): the order Brian2 warns about\n"
    "    # cannot arise, and the loop over events it falls back on is the intended one.\n"
    "    BrianLogger.suppress_name('base')\n"
    "    BrianLogger.suppress_name('numpy_generator')\n"
    "    defaultclock.dt = EVENT_DT\n"
    "    brian2_seed(int(seed))\n"
    "    which = range(int(points))\n"
    "    if args.points:\n"
    "        which = [int(k) for k in args.points.split(',')]\n"
    "    xs = [grid(i, X_LO, X_HI) for i in which]\n"
    "    print(f'{X_COLUMN}: {len(xs)} points of {int(points)} in one run', file=sys.stderr)\n"
    "    ws = simulate(xs)\n"
    "    out = open(args.output, 'w') if args.output else sys.stdout\n"
    "    out.write(X_COLUMN + ',change,change_lo,change_hi,trials,method\\n')\n"
    "    for x, w in zip(xs, ws):\n"
    "        c = w / W0\n"
    "        if RANDOM:\n"
    "            # The mean over trials and its 95% interval, as calcium-stdp's.\n"
    "            m = float(np.mean(c))\n"
    "            sd = float(np.std(c, ddof=1)) if len(c) > 1 else 0.0\n"
    "            h = 1.959964 * sd / math.sqrt(len(c))\n"
    "            out.write('%.10g,%.9f,%.9f,%.9f,%d,mean\\n' % (x, m, m - h, m + h, len(c)))\n"
    "        else:\n"
    "            m = float(c[0])\n"
    "            out.write('%.10g,%.9f,%.9f,%.9f,0,exact\\n' % (x, m, m, m))\n"
    "        out.flush()\n"
    "    if out is not sys.stdout:\n"
    "        out.close()\n"
    "\n"
    "\n"
    "if __name__ == '__main__':\n"
    "    main()\n";

/* The models' read-out paragraphs. */
static const char bistable_readout[] =
    "Read-out: reps synapses start DOWN (rho = 0) and as many UP (rho = 1) at every point;\n"
    "U and D are the fractions that switch, and change = after/before for a fraction beta\n"
    "initially DOWN and a weight ratio b = w_UP / w_DOWN.\n";
static const char weight_readout[] =
    "Read-out: change = w / w0 (w0 = 0.5), exact on regular trains (readout_after_s after the\n"
    "last spike), the mean over reps trials on random ones (at duration_s), with its 95% interval.\n";

static const export_model models[] = {
    {"Graupner & Brunel 2012, with the corrected noise term", model_2012, bistable_readout,
     bistable_equations, bistable_helpers, 0, bistable_body},
    {"the deterministic weight model of Deperrois & Graupner 2020 (and Graupner et al. 2016)", model_2020,
     weight_readout, weight_equations, weight_helpers, 1, weight_body},
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
	fputs(presentation_helper, f);
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
