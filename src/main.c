/* SPDX-License-Identifier: GPL-3.0-or-later */
/* calcium-stdp's entry: the command line read (cli.c), then the chosen mode run: the explorer,
 * --batch or --plot (a curve, a map or a sweep), --fit, --save, --export, --merge, a lesson, or the
 * texts (--help, --version, --list-presets). */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <uv.h>

#include "batch.h"
#include "cli.h"
#include "export.h"
#include "lesson.h"
#include "engine.h"
#include "datafile.h"
#include "explorer.h"
#include "fit.h"
#include "help.h"
#include "inifile.h"
#include "inisave.h"
#include "merge.h"
#include "params.h"
#include "presets.h"
#include "sweep.h"
#include "textplot.h"
#include "usage.h"
#include "usertext.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "dev"
#endif

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
		printf("%-26s %s%s%s\n", list[i].name, list[i].description, list[i].user ? " (yours)" : "",
		       list[i].shadowed ? " (not found by --preset: a preset above has its name)" : "");
	presets_free(list, n);
	return 0;
}

/* defaults < preset or file < --set. The reference is the set before --set (for the explorer's marks). */
static int build_params(const cli *c, param_set *p, param_set *reference, char *name, size_t namelen,
                        char *path, size_t pathlen)
{
	char err[8192];
	params_defaults(p);
	snprintf(name, namelen, "defaults");
	path[0] = '\0';
	if (c->preset) {
		if (presets_find(c->preset, path, pathlen) < 0)
			return cli_fail("--preset: no preset named '%s' (--list-presets shows them)",
			            cli_show(c->preset));
		if (inifile_load(path, p, err, sizeof err) < 0)
			return cli_fail("%s", err);
		base_name(path, name, namelen);
	} else if (c->params_file) {
		if (inifile_load(c->params_file, p, err, sizeof err) < 0)
			return cli_fail("%s", err);
		base_name(c->params_file, name, namelen);
		snprintf(path, pathlen, "%s", c->params_file);
	}
	*reference = *p;
	for (int i = 0; i < c->nsets; i++) /* checked when read */
		if (params_parse_value(c->sets[i].id, c->sets[i].value, &p->v[c->sets[i].id], err,
		                       sizeof err) < 0)
			return cli_fail("%s: %s", c->sets[i].opt, err);
	if (params_check_set(p, err, sizeof err) < 0)
		return cli_fail("%s", err);
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

/* ---- measured data and compared sets --------------------------------------------------------- */

typedef struct extras {
	datafile *data; /* --data files, or the data set the preset names */
	int ndata;
	param_set *compare;       /* --compare sets: their [model] and [readout] on the run's protocol */
	char (*compare_name)[64]; /* their file names without ".ini" */
	int ncompare;
} extras;

static void extras_free(extras *x)
{
	for (int i = 0; i < x->ndata; i++)
		datafile_free(&x->data[i]);
	free(x->data);
	free(x->compare);
	free(x->compare_name);
}

/* --data files; without them, the data set that the preset or parameter file from names. Only for
 * the modes that use data. Returns 0, or 2 with a message. */
static int load_data(const cli *c, const char *from, extras *x)
{
	if (!(CLI_IN(c->mode) & (CLI_IN(CLI_MODE_EXPLORER) | CLI_IN(CLI_MODE_PLOT) | CLI_IN(CLI_MODE_FIT))))
		return 0;
	char *named = NULL, found[4096], err[1024];
	int n = c->ndata;
	if (n == 0 && from[0]) {
		if (!(named = inifile_data_name(from)))
			return cli_fail("%s", "out of memory");
		n = named[0] != '\0';
	}
	x->data = calloc((size_t)n + 1, sizeof *x->data);
	if (!x->data) {
		free(named);
		return cli_fail("%s", "out of memory");
	}
	for (int i = 0; i < n; i++) {
		const char *path = c->ndata ? c->data[i] : found;
		if (!c->ndata && datafile_find(named, from, found, sizeof found) < 0) {
			cli_fail("%s names the data set '%s', which was not found (in $CALCIUM_STDP_DATA and the "
			     "installed data sets)",
			     cli_show(from), cli_show(named));
			free(named);
			return 2;
		}
		if (datafile_load(path, &x->data[i], err, sizeof err) < 0) {
			free(named);
			return cli_fail("%s", err);
		}
		x->ndata++;
	}
	free(named);
	return 0;
}

/* --compare files: each loaded over the defaults; its [model] and [readout] values on the run's
 * protocol and simulation settings, so that every curve is the same experiment. */
static int load_compare(const cli *c, const param_set *p, extras *x)
{
	x->compare = calloc((size_t)c->ncompare + 1, sizeof *x->compare);
	x->compare_name = calloc((size_t)c->ncompare + 1, sizeof *x->compare_name);
	if (!x->compare || !x->compare_name)
		return cli_fail("%s", "out of memory");
	for (int i = 0; i < c->ncompare; i++) {
		char err[INIFILE_ERRLEN];
		param_set q;
		params_defaults(&q);
		if (inifile_load(c->compare[i], &q, err, sizeof err) < 0)
			return cli_fail("--compare: %s", err);
		param_set *r = &x->compare[i];
		*r = *p;
		for (int k = 0; k < P_COUNT; k++)
			if (strcmp(params_table[k].section, "model") == 0 ||
			    strcmp(params_table[k].section, "readout") == 0)
				r->v[k] = q.v[k];
		if (params_check_set(r, err, sizeof err) < 0)
			return cli_fail("--compare: %s with this run's protocol: %s", cli_show(c->compare[i]), err);
		base_name(c->compare[i], x->compare_name[i], sizeof x->compare_name[i]);
		x->ncompare++;
	}
	return 0;
}

static int run_headless(const cli *c, const param_set *p, const char *name, const extras *x)
{
	int n = (int)p->v[P_POINTS];
	batch_row *rows = calloc((size_t)n, sizeof *rows);
	if (!rows)
		return cli_fail("%s", "out of memory");
	batch_opts o = {.p = *p,
	                .threads = c->threads,
	                .analytic = c->analytic,
	                .method = c->method,
	                .progress = isatty(STDERR_FILENO),
	                .estimate = !c->analytic};
	char err[512];
	if (batch_compute(&o, rows, err, sizeof err) < 0) {
		free(rows);
		fprintf(stderr, "calcium-stdp: %s\n", err);
		/* Workers of a failed run may still be busy: exit without joining the threadpool. */
		fflush(stdout);
		fflush(stderr);
		_exit(1);
	}
	int rc = 0;
	if (c->mode == CLI_MODE_BATCH && x->ncompare == 0) {
		batch_write_csv(stdout, p, rows, n);
	} else if (c->mode == CLI_MODE_BATCH) {
		/* Every set's curve, one after the other, with a column naming the set. */
		batch_write_csv_named(stdout, p, name, rows, n, 1);
		for (int k = 0; k < x->ncompare; k++) {
			o.p = x->compare[k];
			if (batch_compute(&o, rows, err, sizeof err) < 0) {
				fprintf(stderr, "calcium-stdp: %s: %s\n", x->compare_name[k], err);
				fflush(stdout);
				fflush(stderr);
				_exit(1);
			}
			batch_write_csv_named(stdout, &x->compare[k], x->compare_name[k], rows, n, 0);
		}
	} else {
		textplot_extras e = {.freqs = c->freqs,
		                     .nfreqs = c->nfreqs,
		                     .data = x->data,
		                     .ndata = x->ndata,
		                     .compare = x->compare,
		                     .compare_name = (const char(*)[64])x->compare_name,
		                     .ncompare = x->ncompare};
		rc = textplot_print(stdout, p, rows, n, c->width, c->height,
		                    c->ascii ? 1 + CANVAS_ASCII : c->glyphs, c->analytic, &e);
		if (rc != 0)
			fprintf(stderr, "calcium-stdp: --plot: the plot could not be drawn (out of memory or a "
			                "write error)\n");
	}
	free(rows);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "calcium-stdp: writing the output failed: %s\n", strerror(errno));
		return 1;
	}
	return rc;
}

/* --save: refused targets exit 2 (bad input), failed writes 1. A file that lands in the user's preset
 * folder under a built-in preset's name is saved, with a warning that it now comes first. */
static int save(const cli *c, const param_set *p, const char *header)
{
	char err[2048], full[INISAVE_PATHLEN], dir[INISAVE_PATHLEN];
	int rc = inisave_params(c->save_file, p, header, 0, full, sizeof full, err, sizeof err);
	if (rc != INISAVE_OK) {
		fprintf(stderr, "calcium-stdp: --save: not saved: %s\n", err);
		return rc == INISAVE_FAILED ? 1 : 2;
	}
	char *slash = strrchr(full, '/'), *real = NULL;
	int b;
	if (slash && presets_user_dir(dir, sizeof dir, 0) == 0 && (real = realpath(dir, NULL)) != NULL &&
	    strlen(real) == (size_t)(slash - full) && strncmp(real, full, (size_t)(slash - full)) == 0 &&
	    (b = presets_builtin(slash + 1)) != 0)
		fprintf(stderr,
		        "calcium-stdp: warning: %s has the name of a built-in preset: %s for --preset "
		        "(--list-presets shows both)\n",
		        cli_show(slash + 1), b == 1 ? "yours now comes first" : "it still comes first");
	free(real);
	return 0;
}

/* --fit: the report and its check by simulation on stdout; with --save, the fitted set goes there,
 * its header saying what was fitted to what (and naming the data set when there is one). */
static int run_fit(const cli *c, const param_set *p, const extras *x)
{
	if (x->ndata == 0)
		return cli_fail("%s",
		            "--fit needs measured data: --data FILE, or a preset or --params file with a "
		            "'; data: NAME' line");
	fit_result r;
	char err[2048];
	if (c->save_file) {
		/* The target is checked before the fit, so that a refused one costs no fit. */
		int st = inisave_check(c->save_file, 0, NULL, 0, NULL, err, sizeof err);
		if (st != INISAVE_OK) {
			fprintf(stderr, "calcium-stdp: --save: %s\n", err);
			return st == INISAVE_FAILED ? 1 : 2;
		}
	}
	int rc = batch_fit(stdout, x->data, x->ndata, p, c->fit_ids, c->nfit, c->threads, c->method, &r, err,
	                   sizeof err);
	if (rc != 0) {
		fflush(stdout);
		fprintf(stderr, "calcium-stdp: --fit: %s\n", err);
		return rc;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "calcium-stdp: writing the output failed: %s\n", strerror(errno));
		return 1;
	}
	if (!c->save_file)
		return 0;
	char header[4096], names[512] = "", *real = x->ndata == 1 ? realpath(x->data[0].path, NULL) : NULL;
	for (int k = 0; k < r.n; k++) {
		size_t used = strlen(names);
		snprintf(names + used, sizeof names - used, "%s%s", k ? "," : "",
		         params_table[r.est[k].id].name);
	}
	snprintf(header, sizeof header,
	         "description: fitted by calcium-stdp --fit %s: chi^2 %.4g (was %.4g) over %d rows\n"
	         "%s%s%s",
	         names, r.chi2, r.chi2_start, r.rows, real ? "data: " : "", real ? real : "",
	         real ? "\n" : "");
	free(real);
	if ((rc = save(c, &r.set, header)) == 0)
		fprintf(stderr, "calcium-stdp: the fitted set was saved to %s\n", cli_show(c->save_file));
	return rc;
}

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	interrupted = sig;
}

/* A map or a sweep: rows written whole as each cell finishes; Ctrl-C (or SIGTERM) stops after the
 * last whole row. */
static int run_grid(const cli *c, const param_set *p)
{
	sweep_opts o = {.base = *p,
	                .grid = c->grid,
	                .map = c->nmap > 0,
	                .tolerance = c->tolerance >= 0 ? c->tolerance : CLASSIFY_TOLERANCE,
	                .shard = c->shard,
	                .analytic = c->analytic,
	                .threads = c->threads,
	                .method = c->method,
	                .progress = isatty(STDERR_FILENO),
	                .estimate = 1,
	                .force = c->force,
	                .stop = &interrupted};
	struct sigaction sa = {.sa_handler = on_interrupt, .sa_flags = SA_RESTART};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	char err[2048];
	int rc = merge_write_part(&o, PACKAGE_VERSION, stdout, err, sizeof err);
	if (rc == SWEEP_BAD_GRID)
		return cli_fail("%s", err);
	if (rc < 0) {
		fprintf(stderr, "calcium-stdp: %s\n", err);
		/* Workers of a failed run may still be busy: exit without joining the threadpool. */
		fflush(stdout);
		fflush(stderr);
		_exit(1);
	}
	if (rc == 1) {
		fprintf(stderr,
		        "calcium-stdp: interrupted: the rows written are whole; the rest is missing\n");
		return 128 + interrupted;
	}
	return 0;
}

/* The chosen mode, with a command line that parse_cli accepted. */
static int run(cli *c)
{
	switch (c->mode) {
	case CLI_MODE_HELP:
		usage_print(stdout);
		return 0;
	case CLI_MODE_VERSION:
		printf("calcium-stdp %s\n"
		       "License GPL-3.0-or-later: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
		       "This is free software: you are free to change and redistribute it.\n"
		       "There is NO WARRANTY, to the extent permitted by law.\n",
		       PACKAGE_VERSION);
		return 0;
	case CLI_MODE_DUMP: /* for the build and the shell completion: the man page's generated parts */
		if (strcmp(c->dump, "man") == 0)
			usage_params_man();
		else if (strcmp(c->dump, "keys") == 0)
			help_print_man(stdout);
		else if (strcmp(c->dump, "names") == 0)
			usage_params_names();
		else
			usage_modes_man();
		return 0;
	case CLI_MODE_LIST:
		return list_presets();
	case CLI_MODE_LESSON: /* checked here, played by the explorer below */
		if (c->check || lesson_main(c->lesson_file, 0) != 0)
			return c->check ? lesson_main(c->lesson_file, 1) : 2;
		break;
	case CLI_MODE_MERGE: {
		char err[4096];
		int rc = merge_parts((const char *const *)c->merge, c->nmerge, stdout, err, sizeof err);
		if (rc != 0)
			fprintf(stderr, "calcium-stdp: %s\n", err);
		return rc;
	}
	default:
		break;
	}
	if (c->threads == 0)
		c->threads = (int)uv_available_parallelism();
	engine_prepare_threads(c->threads);
	param_set p, reference;
	char name[64], from[4096];
	int rc = build_params(c, &p, &reference, name, sizeof name, from, sizeof from);
	if (rc != 0)
		return rc;
	if (c->mode == CLI_MODE_SAVE)
		return save(c, &p, "saved by calcium-stdp --save");
	if (c->mode == CLI_MODE_EXPORT)
		return export_run(c->export_kind, c->export_file, &p,
		                  &(export_source){c->preset, c->params_file, &reference, PACKAGE_VERSION});
	extras x = {0};
	if ((rc = load_data(c, from, &x)) != 0 || (rc = load_compare(c, &p, &x)) != 0) {
		extras_free(&x);
		return rc;
	}
	if (c->mode == CLI_MODE_FIT) {
		rc = run_fit(c, &p, &x);
		extras_free(&x);
		return rc;
	}
	if (c->mode == CLI_MODE_BATCH || c->mode == CLI_MODE_PLOT) {
		int w, h;
		terminal_size(&w, &h);
		if (!c->width)
			c->width = w;
		if (!c->height)
			c->height = h;
		if (c->nmap || c->nsweep)
			rc = run_grid(c, &p);
		else
			rc = run_headless(c, &p, name, &x);
		extras_free(&x);
		return rc;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		extras_free(&x);
		fprintf(stderr, "calcium-stdp: the explorer needs a terminal on stdin and stdout; "
		                "use --batch for CSV or --plot for a text plot\n");
		return 2;
	}
	explorer_opts eo = {.params = p,
	                    .reference = reference,
	                    .threads = c->threads,
	                    .ascii = c->ascii,
	                    .glyphs = c->glyphs,
	                    .theme = c->theme,
	                    .method = c->method,
	                    .present = c->present,
	                    .tolerance = c->tolerance >= 0 ? c->tolerance : CLASSIFY_TOLERANCE,
	                    .data = x.data,
	                    .ndata = x.ndata,
	                    .data_given = c->ndata > 0,
	                    .compare = x.compare,
	                    .compare_name = (const char(*)[64])x.compare_name,
	                    .ncompare = x.ncompare,
	                    .link_rate = c->link_rate,
	                    .lesson = c->mode == CLI_MODE_LESSON ? c->lesson_file : NULL};
	snprintf(eo.preset_name, sizeof eo.preset_name, "%s", name);
	rc = explorer_run(&eo);
	extras_free(&x);
	return rc;
}

/* A closed standard descriptor would be taken by the next file opened (and libuv aborts on one):
 * each of 0, 1 and 2 that is closed is opened on /dev/null. Returns which were closed (bit fd). */
static unsigned std_fds_valid(void)
{
	unsigned closed = 0;
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			closed |= 1u << fd;
			if (open("/dev/null", fd ? O_WRONLY : O_RDONLY) < 0)
				_exit(1);
		}
	return closed;
}

/* Whether the mode's result goes to standard output (so that a closed one is an error, not output
 * thrown away): all but --save, --export to a file, and the explorer and a lesson played in it
 * (which need a terminal). */
static int writes_stdout(const cli *c)
{
	if (c->mode == CLI_MODE_EXPLORER || c->mode == CLI_MODE_SAVE ||
	    (c->mode == CLI_MODE_LESSON && !c->check))
		return 0;
	if (c->mode == CLI_MODE_EXPORT && c->export_file && strcmp(c->export_file, "-") != 0)
		return 0;
	return 1;
}

int main(int argc, char **argv)
{
	unsigned closed = std_fds_valid();
	/* LC_CTYPE only: numbers are always read and written in the C locale. */
	setlocale(LC_CTYPE, "");
	cli c = {.method = SIM_SEGMENTS, .tolerance = -1, .link_rate = -1};
	int rc = cli_parse(argc, argv, &c);
	if (rc == 0 && (closed & 2u) && writes_stdout(&c))
		rc = cli_fail("standard output is closed: %s has nowhere to write its result",
		              c.mode_opt ? c.mode_opt : "the explorer") - 1;
	if (rc == 0)
		rc = run(&c);
	cli_free(&c);
	return rc;
}
