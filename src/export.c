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
 * corrected noise term), one protocol function (the spike trains of one point of the curve), and the
 * read-out. A protocol or a model variant that the program gains is one more entry in a table below:
 * until then the exporter refuses it rather than write a script of another experiment. */

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
                                           "reps",
                                           "step_ms",
                                           "seed",
                                           NULL};

/* Python: def trains(x) -> (pre, post, steps). pre and post are (synapse, step) arrays of spike
 * steps, synapse None for a train every synapse shares; steps is the length of the run. */
typedef struct export_protocol {
	const char *name;   /* as the protocol parameter names it */
	const char *uses;   /* the [protocol] parameters it reads, space separated */
	const char *python; /* the function trains(x) */
} export_protocol;

/* Periodic protocols share one Python helper, periodic_trains, written once (see script_body). */
static const export_protocol protocols[] = {
    {"pairs", "pairs freq_hz dt_min_ms dt_max_ms points",
     "def trains(x):\n"
     "    \"\"\"pairs: a pre spike and a post spike x ms after it, pairs times at freq_hz.\"\"\"\n"
     "    return periodic_trains(x * 1e-3, 1.0 / float(freq_hz), 1, 0.0)\n"},
    {"frequency", "pairs fixed_dt_ms freq_min_hz freq_max_hz points",
     "def trains(x):\n"
     "    \"\"\"frequency: pairs at fixed_dt_ms, pairs times at x Hz.\"\"\"\n"
     "    return periodic_trains(float(fixed_dt_ms), 1.0 / x, 1, 0.0)\n"},
    {"burst", "pairs freq_hz dt_min_ms dt_max_ms points burst_spikes burst_isi_ms",
     "def trains(x):\n"
     "    \"\"\"burst: a pre spike and burst_spikes post spikes burst_isi_ms apart, the last x ms\n"
     "    after the pre spike, pairs times at freq_hz.\"\"\"\n"
     "    return periodic_trains(x * 1e-3, 1.0 / float(freq_hz), int(burst_spikes), float(burst_isi_ms))\n"},
    {"poisson", "rate_pre_hz rate_post_min_hz rate_post_max_hz duration_s points",
     "def trains(x):\n"
     "    \"\"\"poisson: every synapse has its own independent Poisson pre train (rate_pre_hz) and\n"
     "    post train (x Hz) for duration_s; intervals are exponential, each spike on the first\n"
     "    step after its time, spikes at or after duration_s dropped.\"\"\"\n"
     "    h, T = float(step_ms), float(duration_s)\n"
     "    steps = int(math.floor(T / h + 0.5))\n"
     "    return (poisson_steps(float(rate_pre_hz), T, h), poisson_steps(x, T, h), steps)\n"},
};

/* The model variants: the 2012 model is the only one so far. A variant is one more entry: its name,
 * a test on the set saying it is the one in use, and its equations. */
typedef struct export_model {
	const char *name;
	int (*applies)(const param_set *p);
	const char *equations; /* Brian2 equations of the NeuronGroup of synapses */
} export_model;

static int model_2012(const param_set *p)
{
	(void)p;
	return 1;
}

static const export_model models[] = {
    {"Graupner & Brunel 2012, with the corrected noise term", model_2012,
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
     "'''\n"},
};

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
static const char script_body[] =
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
    "def periodic_trains(dt_s, period_s, nposts, isi_s):\n"
    "    \"\"\"pairs times: a pre spike and nposts post spikes, the last dt_s after it, every period_s.\n"
    "    The first pre spike is at 100 ms, later only when a post spike would come before t = 0. The run\n"
    "    lasts pairs * period_s, longer only when calcium from the last transient has not decayed\n"
    "    (10 tau_ca_ms) by then. One train every synapse shares.\"\"\"\n"
    "    h = float(step_ms)\n"
    "    first_post = dt_s - (nposts - 1) * isi_s\n"
    "    t0 = 0.1 + (-first_post - 0.1 if first_post < -0.1 else 0.0)\n"
    "    pre, post = [], []\n"
    "    for i in range(int(pairs)):\n"
    "        tp = t0 + i * period_s\n"
    "        pre.append(first_step_after(tp, h))\n"
    "        for j in range(nposts):\n"
    "            post.append(first_step_after(tp + dt_s - (nposts - 1 - j) * isi_s, h))\n"
    "    delay = int(math.floor(float(delay_ms) / h + 0.5))\n"
    "    last = max(max(pre) + delay, max(post))\n"
    "    steps = int(math.floor((t0 - 0.1 + int(pairs) * period_s) / h + 0.5))\n"
    "    tail = int(math.ceil(10 * float(tau_ca_ms) / h))\n"
    "    steps = max(steps, last + 1 + tail)\n"
    "    return (None, np.array(pre)), (None, np.array(post)), steps\n"
    "\n"
    "\n"
    "def poisson_steps(rate, T, h):\n"
    "    \"\"\"A Poisson train of the given rate (Hz) for every synapse, as (synapse, step) arrays.\"\"\"\n"
    "    n = 2 * int(reps)\n"
    "    k = int(rate * T + 10 * math.sqrt(rate * T) + 10)\n"
    "    t = np.cumsum(np.random.exponential(1.0 / rate, size=(n, k)), axis=1)\n"
    "    while (t[:, -1] < T).any():\n"
    "        more = np.cumsum(np.random.exponential(1.0 / rate, size=(n, k)), axis=1)\n"
    "        t = np.concatenate([t, t[:, -1:] + more], axis=1)\n"
    "    syn, col = np.nonzero(t < T)\n"
    "    x = t[syn, col] / h\n"
    "    r = np.rint(x)\n"
    "    x = np.where(np.abs(x - r) < 1e-6 * (1 + np.abs(r)), r, x)\n"
    "    return syn, np.floor(x).astype(np.int64) + 1\n"
    "\n"
    "\n"
    "%s"
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
    "    link.connect(i=np.arange(copies * n), j=np.arange(copies * n) %% n)\n"
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
    "    (rho < rho_star); change = after/before with beta and b; a 95%% interval from the Wilson\n"
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
    "        out.write('%%.10g,%%.6f,%%.6f,%%.6f,%%.6f,%%.6f,%%d\\n' %% (x, U, D, change, lo, hi, "
    "int(reps)))\n"
    "        out.flush()\n"
    "    if out is not sys.stdout:\n"
    "        out.close()\n"
    "\n"
    "\n"
    "if __name__ == '__main__':\n"
    "    main()\n";

int export_brian2(FILE *f, const param_set *p, const export_source *src, char *err, size_t errlen)
{
	const export_protocol *proto = find_protocol(p);
	if (!proto) {
		char name[64];
		params_format_value(P_PROTOCOL, p->v[P_PROTOCOL], name, sizeof name);
		snprintf(
		    err, errlen,
		    "--export brian2: the protocol '%s' cannot be exported to Brian2 yet (pairs, frequency, "
		    "burst and poisson can)",
		    name);
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
			    "the 2012 model, where %s has its default value)",
			    params_table[i].name, value, params_table[i].name);
			return -1;
		}
	const export_model *model = NULL;
	for (size_t i = 0; !model && i < sizeof models / sizeof models[0]; i++)
		if (models[i].applies(p))
			model = &models[i];
	if (!model) {
		snprintf(err, errlen, "--export brian2: this model variant cannot be exported to Brian2 yet");
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
	else if ((int)p->v[P_PROTOCOL] == PROTO_POISSON)
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
	    "Read-out: reps synapses start DOWN (rho = 0) and as many UP (rho = 1) at every point;\n"
	    "U and D are the fractions that switch, and change = after/before for a fraction beta\n"
	    "initially DOWN and a weight ratio b = w_UP / w_DOWN.\n"
	    "\n"
	    "Run: python3 THIS_FILE [-o CSV] [--target numpy] [--points 0,20,40]\n"
	    "Needs Brian2 (Debian: apt-get install python3-brian; tested with 2.5.1).\n"
	    "\"\"\"\n"
	    "import argparse\n"
	    "import math\n"
	    "import sys\n"
	    "\n"
	    "import numpy as np\n"
	    "from brian2 import (Hz, ms, second, defaultclock, prefs, Network, NeuronGroup,\n"
	    "                    SpikeGeneratorGroup, Synapses)\n"
	    "from brian2 import seed as brian2_seed\n"
	    "\n"
	    "# ---- the parameters, named as calcium-stdp names them (calcium-stdp --help) --------------\n",
	    proto->name, version, cmd[0] ? " " : "", cmd, cmd[0] ? " " : "", cmd, model->name);
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
	    "\n"
	    "# ---- the model ---------------------------------------------------------------------------\n"
	    "%s",
	    params_x_label(p), xcol, params_table[xlo].name, brian_unit(params_table[xlo].unit),
	    params_table[xhi].name, brian_unit(params_table[xhi].unit), model->equations);
	fprintf(f, script_body, proto->python);
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
