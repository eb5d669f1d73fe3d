/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target for inifile_load: the input is written to a file and loaded over the defaults.
 * Besides crashes and sanitizer reports, it aborts when the contract breaks: a refused file must
 * leave the set alone and say why; an accepted set must pass params_check_set and survive a save
 * and load unchanged.
 *
 * libFuzzer (params/ as the seed corpus; new inputs go to the first directory):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DFUZZ_WITH_LIBFUZZER -DINIFILE_CROSSCHECK \
 *     -Isrc -I/usr/include/iniparser src/params.c src/usertext.c src/inifile.c src/inisave.c \
 *     tests/fuzz_inifile.c \
 *     -liniparser -lm -o fuzz_inifile
 *   mkdir -p corpus && ./fuzz_inifile corpus params -max_total_time=180
 * Without libFuzzer (any compiler) it is a plain TAP program that runs each file named on the
 * command line once, and each file of each directory named, so CI can replay a corpus under ASan:
 *   ./fuzz_inifile params crash-1234 ...
 * Without arguments it replays the directories of $CALCIUM_STDP_PARAMS, so it can be a check
 * program.
 * INIFILE_CROSSCHECK makes inifile.c abort when its line scan and iniparser disagree on a value. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "inifile.h"
#include "inisave.h"
#include "params.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[1024], input[1100], saved[1100];

static void cleanup(void)
{
	unlink(input);
	unlink(saved);
	rmdir(dir);
}

/* One private directory per process, made on the first input. */
static void setup(void)
{
	if (dir[0])
		return;
	const char *t = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%.900s/fuzz_inifile.XXXXXX", t && t[0] ? t : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "fuzz_inifile: mkdtemp %s: %s\n", dir, strerror(errno));
		exit(2);
	}
	snprintf(input, sizeof input, "%s/input.ini", dir);
	snprintf(saved, sizeof saved, "%s/saved.ini", dir);
	atexit(cleanup);
}

static void write_input(const uint8_t *data, size_t size)
{
	int fd = open(input, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		abort();
	while (size > 0) {
		ssize_t w = write(fd, data, size);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			abort();
		data += w;
		size -= (size_t)w;
	}
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	write_input(data, size);

	param_set p, before;
	params_defaults(&p);
	before = p;
	char err[INIFILE_ERRLEN];
	memset(err, 'X', sizeof err);
	int r = inifile_load(input, &p, err, sizeof err);
	if (!memchr(err, '\0', sizeof err))
		abort(); /* err must always be a string */
	if (r != 0) {
		if (r != -1 || memcmp(&p, &before, sizeof p) != 0 || !err[0])
			abort();
		return 0;
	}

	char msg[512];
	if (params_check_set(&p, msg, sizeof msg) != 0)
		abort();
	if (inisave_params(saved, &p, "fuzz", 0, NULL, 0, err, sizeof err) != INISAVE_OK)
		abort();
	param_set back;
	params_defaults(&back);
	if (inifile_load(saved, &back, err, sizeof err) != 0 || memcmp(&back, &p, sizeof p) != 0)
		abort();
	return 0;
}

#ifndef FUZZ_WITH_LIBFUZZER

#include "tap.h"

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		tap_diag("%s: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		uint8_t *bigger = realloc(buf, cap * 2);
		if (!bigger) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = bigger;
		cap *= 2;
	}
	int bad = ferror(f);
	fclose(f);
	if (!buf || bad) {
		tap_diag("%s: cannot read", path);
		free(buf);
		return -1;
	}
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

/* A file, or every regular file of a directory. A broken contract aborts, which fails the test. */
static void run_arg(const char *arg)
{
	struct stat st;
	if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode)) {
		ok(run_file(arg) == 0, "%s", arg);
		return;
	}
	DIR *d = opendir(arg);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		char path[4096];
		snprintf(path, sizeof path, "%.2000s/%.1000s", arg, e->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			ok(run_file(path) == 0, "%s", path);
	}
	if (d)
		closedir(d);
}

/* TAP, so that make check can run it: without arguments it replays the directories of
 * $CALCIUM_STDP_PARAMS (the test environment points it at params/, the seed corpus), else "params". */
int main(int argc, char **argv)
{
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			run_arg(argv[i]);
	} else {
		const char *env = getenv("CALCIUM_STDP_PARAMS");
		char *list = strdup(env && env[0] ? env : "params");
		for (char *save = NULL, *dirname = list ? strtok_r(list, ":", &save) : NULL; dirname;
		     dirname = strtok_r(NULL, ":", &save))
			run_arg(dirname);
		free(list);
	}
	ok(tap_n > 0, "at least one input was run");
	return tap_done();
}

#endif
