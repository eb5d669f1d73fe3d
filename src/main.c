/* calcium-stdp: command line, and dispatch to the explorer, --batch or --plot. */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <uv.h>

#include "batch.h"
#include "engine.h"
#include "explorer.h"
#include "help.h"
#include "inifile.h"
#include "params.h"
#include "textplot.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "dev"
#endif

enum { MODE_EXPLORER, MODE_BATCH, MODE_PLOT, MODE_LIST, MODE_SAVE };

typedef struct cli {
	int mode;
	int analytic, ascii, threads, present;
	int width, height;
	double freqs[TEXTPLOT_MAX_FREQS]; /* --freqs: extra curves of --plot */
	int nfreqs;
	sim_method method;
	const char *preset, *params_file, *save_file;
	const char **sets; /* NAME=VALUE in command-line order (also --reps, --seed) */
	int nsets;
} cli;

/* The range and default of parameter i as --help and the man page print them. */
static void range_texts(int i, char lo[32], char hi[32], char def[32])
{
	params_format_exact(params_table[i].min, lo, 32);
	params_format_exact(params_table[i].max, hi, 32);
	params_format_value(i, params_table[i].def, def, 32);
}

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "Usage: calcium-stdp [OPTION]...\n"
	    "Explore the Graupner & Brunel (2012) calcium-based plasticity model: the STDP curve\n"
	    "(change in synaptic strength against spike time difference) redraws live while you move\n"
	    "sliders. Without --batch or --plot it opens the interactive explorer (needs a terminal).\n"
	    "\n"
	    "Modes:\n"
	    "  -b, --batch            compute the curve and print CSV on stdout:\n"
	    "                         dt_ms,U,D,change,change_lo,change_hi,reps\n"
	    "      --plot             compute the curve and print it as a text plot on stdout\n"
	    "      --list-presets     list the parameter presets and exit\n"
	    "      --save FILE        write the effective parameters as an INI file and exit\n"
	    "\n"
	    "Parameters (precedence: defaults < --preset or --params < --set, --reps, --seed,\n"
	    "--protocol):\n"
	    "  -p, --preset NAME      start from a preset (case-insensitive; see --list-presets)\n"
	    "  -f, --params FILE      start from an INI parameter file\n"
	    "  -s, --set NAME=VALUE   set one parameter (repeatable; names below)\n"
	    "  -r, --reps N           repetitions per initial state and dt (same as --set reps=N)\n"
	    "      --seed N           random seed (same as --set seed=N)\n"
	    "      --protocol NAME    pairs (default; x is dt), frequency (pairs at fixed_dt_ms against\n"
	    "                         the frequency), burst (one pre spike, burst_spikes post spikes;\n"
	    "                         x is dt to the last), poisson (x is the post rate); same as\n"
	    "                         --set protocol=NAME\n"
	    "\n"
	    "Computation:\n"
	    "  -a, --analytic         the paper's analytic approximation instead of the simulation\n"
	    "  -t, --threads N        worker threads, 1 to 1024 (default: the available cores)\n"
	    "      --method NAME      Monte Carlo integrator: segments (default; exact composition of the\n"
	    "                         0.1 ms Euler-Maruyama steps), stepwise (every step with calcium above\n"
	    "                         a threshold) or reference (every step of the run, slow)\n"
	    "\n"
	    "Display:\n"
	    "      --ascii            ASCII plot even in a UTF-8 locale\n"
	    "      --present          start the explorer in presentation mode (for projectors: the\n"
	    "                         plot takes the screen, large labels, parameters on one line)\n"
	    "      --freqs LIST       --plot: also draw the analytic curves at these pairing\n"
	    "                         frequencies in Hz, over dt within +-T/2 (Fig. 4B), e.g.\n"
	    "                         --freqs 1,20,30,40,50\n"
	    "      --width N          --plot width in columns (default: the terminal's, or 80)\n"
	    "      --height N         --plot height in rows (default: the terminal's, or 24)\n"
	    "\n"
	    "  -h, --help             show this help and exit\n"
	    "  -V, --version          show the version and exit\n"
	    "\n"
	    "Parameter names (section, unit, range, default):\n");
	for (int i = 0; i < P_COUNT; i++) {
		const param_info *pi = &params_table[i];
		char lo[32], hi[32], def[32];
		range_texts(i, lo, hi, def);
		if (pi->names) {
			fprintf(f, "  %-16s [%s] default %s: %s\n", pi->name, pi->section, def, pi->help);
			continue;
		}
		fprintf(f, "  %-16s [%s] %s%s%s to %s, default %s: %s\n", pi->name, pi->section, pi->unit,
		        pi->unit[0] ? ", " : "", lo, hi, def, pi->help);
	}
	fprintf(f, "\nExit status: 0 on success, 1 on a failure while running, 2 on bad input.\n"
	           "Report bugs to the project's issue tracker.\n");
}

static int fail(const char *fmt, const char *a)
{
	fprintf(stderr, "calcium-stdp: ");
	fprintf(stderr, fmt, a);
	fprintf(stderr, "\n");
	return 2;
}

static int parse_count(const char *opt, const char *arg, int lo, int hi, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (end == arg || *end || errno || v < lo || v > hi) {
		fprintf(stderr, "calcium-stdp: %s: '%s' is not valid: must be a whole number from %d to %d\n",
		        opt, arg, lo, hi);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* "params/DP.ini" -> "DP". */
static void base_name(const char *path, char *name, size_t len)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	size_t n = strlen(b);
	if (n > 4 && strcmp(b + n - 4, ".ini") == 0)
		n -= 4;
	snprintf(name, len, "%.*s", (int)n, b);
}

static int list_presets(void)
{
	presets_entry *list;
	int n = presets_list(&list);
	if (n < 0) {
		fprintf(stderr, "calcium-stdp: cannot list the presets: out of memory\n");
		return 1;
	}
	if (n == 0)
		fprintf(stderr, "calcium-stdp: no presets found\n");
	for (int i = 0; i < n; i++)
		printf("%-26s %s%s\n", list[i].name, list[i].description, list[i].user ? " (yours)" : "");
	presets_free(list, n);
	return 0;
}

/* The parameter table as man page text, so that the man page comes from the one table. */
static void dump_params_man(void)
{
	const char *section = "";
	for (int i = 0; i < P_COUNT; i++) {
		const param_info *pi = &params_table[i];
		char lo[32], hi[32], def[32];
		range_texts(i, lo, hi, def);
		if (strcmp(section, pi->section) != 0) {
			section = pi->section;
			printf(".SS [%s]\n", section);
		}
		printf(".TP\n.B %s\n", pi->name);
		printf("%s.\n", pi->help);
		if (pi->names) {
			printf("One of");
			for (int k = 0; pi->names[k]; k++)
				printf("%s \\fB%s\\fR", k ? "," : "", pi->names[k]);
			printf("; default %s.\n", def);
			continue;
		}
		printf("%s%s%s to %s; default %s.\n", pi->integer ? "A whole number from " : "From ", lo, "",
		       hi, def);
		if (pi->unit[0])
			printf("Unit: %s.\n", pi->unit);
	}
}

/* One parameter a line, a choice's values after its name: what the shell completion offers. */
static void dump_params_names(void)
{
	for (int i = 0; i < P_COUNT; i++) {
		printf("%s", params_table[i].name);
		for (int k = 0; params_table[i].names && params_table[i].names[k]; k++)
			printf(" %s", params_table[i].names[k]);
		printf("\n");
	}
}

/* "1,20,30": pairing frequencies in Hz, each in freq_hz's range. */
static int parse_freqs(const char *arg, cli *c)
{
	char buf[256], err[256];
	snprintf(buf, sizeof buf, "%s", arg);
	c->nfreqs = 0;
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (c->nfreqs == TEXTPLOT_MAX_FREQS) {
			fprintf(stderr, "calcium-stdp: --freqs: at most %d frequencies\n",
			        TEXTPLOT_MAX_FREQS);
			return -1;
		}
		if (params_parse_value(P_FREQ_HZ, tok, &c->freqs[c->nfreqs], err, sizeof err) < 0) {
			fprintf(stderr, "calcium-stdp: --freqs: %s\n", err);
			return -1;
		}
		c->nfreqs++;
	}
	if (!c->nfreqs) {
		fprintf(stderr, "calcium-stdp: --freqs: expected a list like 1,20,30,40,50\n");
		return -1;
	}
	return 0;
}

static int parse_cli(int argc, char **argv, cli *c)
{
	enum {
		O_PLOT = 256,
		O_LIST,
		O_SAVE,
		O_SEED,
		O_PROTOCOL,
		O_METHOD,
		O_ASCII,
		O_WIDTH,
		O_HEIGHT,
		O_DUMP,
		O_PRESENT,
		O_FREQS
	};
	static const struct option longopts[] = {
	    {"batch", no_argument, NULL, 'b'},
	    {"plot", no_argument, NULL, O_PLOT},
	    {"list-presets", no_argument, NULL, O_LIST},
	    {"save", required_argument, NULL, O_SAVE},
	    {"preset", required_argument, NULL, 'p'},
	    {"params", required_argument, NULL, 'f'},
	    {"set", required_argument, NULL, 's'},
	    {"reps", required_argument, NULL, 'r'},
	    {"seed", required_argument, NULL, O_SEED},
	    {"protocol", required_argument, NULL, O_PROTOCOL},
	    {"analytic", no_argument, NULL, 'a'},
	    {"threads", required_argument, NULL, 't'},
	    {"method", required_argument, NULL, O_METHOD},
	    {"ascii", no_argument, NULL, O_ASCII},
	    {"present", no_argument, NULL, O_PRESENT},
	    {"freqs", required_argument, NULL, O_FREQS},
	    {"width", required_argument, NULL, O_WIDTH},
	    {"height", required_argument, NULL, O_HEIGHT},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {"dump-params", required_argument, NULL, O_DUMP},
	    {NULL, 0, NULL, 0},
	};
	/* --reps N and --seed N become "reps=N" and "seed=N" assignments, kept here. */
	static char shorthand[64][48];
	int nshort = 0;
	c->sets = calloc((size_t)argc, sizeof *c->sets);
	if (!c->sets)
		return fail("%s", "out of memory");
	int ch;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":bp:f:s:r:at:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			c->mode = MODE_BATCH;
			break;
		case O_PLOT:
			c->mode = MODE_PLOT;
			break;
		case O_LIST:
			c->mode = MODE_LIST;
			break;
		case O_SAVE:
			c->mode = MODE_SAVE;
			c->save_file = optarg;
			break;
		case 'p':
			c->preset = optarg;
			break;
		case 'f':
			c->params_file = optarg;
			break;
		case 's':
			c->sets[c->nsets++] = optarg;
			break;
		case 'r':
		case O_SEED:
		case O_PROTOCOL:
			if (nshort == 64 || strlen(optarg) > 32)
				return fail("'%s': value too long", optarg);
			snprintf(shorthand[nshort], sizeof shorthand[nshort], "%s=%s",
			         ch == 'r'      ? "reps"
			         : ch == O_SEED ? "seed"
			                        : "protocol",
			         optarg);
			c->sets[c->nsets++] = shorthand[nshort++];
			break;
		case 'a':
			c->analytic = 1;
			break;
		case 't':
			if (parse_count("--threads", optarg, 1, 1024, &c->threads) < 0)
				return 2;
			break;
		case O_METHOD: {
			int m = sim_method_parse(optarg);
			if (m < 0)
				return fail("--method: '%s' is unknown: use segments, stepwise or reference",
				            optarg);
			c->method = (sim_method)m;
			break;
		}
		case O_ASCII:
			c->ascii = 1;
			break;
		case O_PRESENT:
			c->present = 1;
			break;
		case O_FREQS:
			if (parse_freqs(optarg, c) < 0)
				return 2;
			break;
		case O_WIDTH:
			if (parse_count("--width", optarg, 40, 1000, &c->width) < 0)
				return 2;
			break;
		case O_HEIGHT:
			if (parse_count("--height", optarg, 12, 500, &c->height) < 0)
				return 2;
			break;
		case O_DUMP:
			/* For the build and the shell completion: the man page's parameter and key lists,
			 * the parameter names. */
			if (strcmp(optarg, "man") == 0)
				dump_params_man();
			else if (strcmp(optarg, "keys") == 0)
				help_print_man(stdout);
			else if (strcmp(optarg, "names") == 0)
				dump_params_names();
			else
				return fail("--dump-params: '%s' is unknown", optarg);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("calcium-stdp %s\n", PACKAGE_VERSION);
			exit(0);
		case ':':
			fprintf(stderr, "calcium-stdp: option '%s' needs a value (see --help)\n",
			        argv[optind - 1]);
			return 2;
		default:
			fprintf(stderr, "calcium-stdp: unknown option '%s' (see --help)\n", argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc)
		return fail("unexpected argument '%s' (see --help)", argv[optind]);
	if (c->preset && c->params_file)
		return fail("%s", "--preset and --params both give a starting set: use one");
	return 0;
}

/* defaults < preset or file < --set. The reference is the set before --set (for the explorer's marks). */
static int build_params(const cli *c, param_set *p, param_set *reference, char *name, size_t namelen)
{
	char err[8192];
	params_defaults(p);
	snprintf(name, namelen, "defaults");
	if (c->preset) {
		char path[4096];
		if (presets_find(c->preset, path, sizeof path) < 0)
			return fail("--preset: no preset named '%s' (--list-presets shows them)", c->preset);
		if (inifile_load(path, p, err, sizeof err) < 0)
			return fail("%s", err);
		base_name(path, name, namelen);
	} else if (c->params_file) {
		if (inifile_load(c->params_file, p, err, sizeof err) < 0)
			return fail("%s", err);
		base_name(c->params_file, name, namelen);
	}
	*reference = *p;
	for (int i = 0; i < c->nsets; i++)
		if (params_apply_assignment(p, c->sets[i], err, sizeof err) < 0)
			return fail("%s", err);
	if (params_check_set(p, err, sizeof err) < 0)
		return fail("%s", err);
	return 0;
}

static void terminal_size(int *w, int *h)
{
	struct winsize ws;
	*w = 80;
	*h = 24;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40 &&
	    ws.ws_row >= 12) {
		*w = ws.ws_col;
		*h = ws.ws_row;
	}
}

static int run_headless(const cli *c, const param_set *p)
{
	int n = (int)p->v[P_POINTS];
	batch_row *rows = calloc((size_t)n, sizeof *rows);
	if (!rows)
		return fail("%s", "out of memory");
	batch_opts o = {.p = *p,
	                .threads = c->threads,
	                .analytic = c->analytic,
	                .method = c->method,
	                .progress = isatty(STDERR_FILENO)};
	char err[512];
	if (batch_compute(&o, rows, err, sizeof err) < 0) {
		free(rows);
		fprintf(stderr, "calcium-stdp: %s\n", err);
		return 1;
	}
	int rc = 0;
	if (c->mode == MODE_BATCH) {
		batch_write_csv(stdout, p, rows, n);
	} else {
		rc = textplot_print(stdout, p, rows, n, c->width, c->height, c->ascii, c->analytic, c->freqs,
		                    c->nfreqs);
	}
	free(rows);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "calcium-stdp: writing the output failed: %s\n", strerror(errno));
		return 1;
	}
	return rc;
}

int main(int argc, char **argv)
{
	/* LC_CTYPE only: numbers are always read and written in the C locale. */
	setlocale(LC_CTYPE, "");
	cli c = {.method = SIM_SEGMENTS};
	int rc = parse_cli(argc, argv, &c);
	if (rc != 0) {
		free(c.sets);
		return rc;
	}
	if (c.threads == 0)
		c.threads = (int)uv_available_parallelism();
	engine_prepare_threads(c.threads);
	param_set p, reference;
	char name[64];
	if (c.mode == MODE_LIST) {
		free(c.sets);
		return list_presets();
	}
	rc = build_params(&c, &p, &reference, name, sizeof name);
	if (rc != 0) {
		free(c.sets);
		return rc;
	}
	if (c.mode == MODE_SAVE) {
		char err[1024];
		free(c.sets);
		if (inifile_save(c.save_file, &p, "saved by calcium-stdp --save", err, sizeof err) < 0) {
			fprintf(stderr, "calcium-stdp: %s\n", err);
			return 1;
		}
		return 0;
	}
	if (c.mode == MODE_BATCH || c.mode == MODE_PLOT) {
		int w, h;
		terminal_size(&w, &h);
		if (!c.width)
			c.width = w;
		if (!c.height)
			c.height = h;
		rc = run_headless(&c, &p);
		free(c.sets);
		return rc;
	}
	free(c.sets);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "calcium-stdp: the explorer needs a terminal on stdin and stdout; "
		                "use --batch for CSV or --plot for a text plot\n");
		return 2;
	}
	explorer_opts eo = {.params = p,
	                    .reference = reference,
	                    .threads = c.threads,
	                    .ascii = c.ascii,
	                    .method = c.method,
	                    .present = c.present};
	snprintf(eo.preset_name, sizeof eo.preset_name, "%s", name);
	return explorer_run(&eo);
}
