/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The preset folders: where presets are found, and the list of them (see presets.h). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "presets.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datadir.h"
#include "inifile.h"

/* Fixed when compiling (Makefile.am): the installed presets, the source tree's, and the build folder
 * whose programs count as uninstalled. */
/* Without a build folder (a packaged program) the program never counts as uninstalled. */

int presets_user_dir(char *buf, size_t len, int create)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	int n;
	/* The XDG base directory spec says relative paths are to be ignored. */
	if (xdg && xdg[0] == '/') {
		n = snprintf(buf, len, "%s/calcium-stdp/params", xdg);
	} else {
		const char *home = getenv("HOME");
		if (!home || !home[0]) {
			errno = ENOENT;
			return -1;
		}
		n = snprintf(buf, len, "%s/.config/calcium-stdp/params", home);
	}
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (!create)
		return 0;
	/* mkdir -p, one component at a time. */
	for (char *c = buf + 1;; c++) {
		if (*c != '/' && *c != '\0')
			continue;
		char saved = *c;
		*c = '\0';
		int r = mkdir(buf, 0777);
		int e = errno;
		*c = saved;
		if (r != 0 && e != EEXIST) {
			errno = e;
			return -1;
		}
		if (!saved)
			break;
	}
	struct stat st;
	if (stat(buf, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/* Call fn on each search directory in order until it returns nonzero; that value, or 0. */
typedef int (*dir_fn)(const char *dir, int user, void *ctx);

static int each_in_list(const char *list, dir_fn fn, void *ctx)
{
	while (list && *list) {
		const char *colon = strchr(list, ':');
		size_t n = colon ? (size_t)(colon - list) : strlen(list);
		if (n > 0) {
			char *dir = strndup(list, n);
			if (!dir)
				return -1;
			int r = fn(dir, 0, ctx);
			free(dir);
			if (r)
				return r;
		}
		list = colon ? colon + 1 : NULL;
	}
	return 0;
}

int presets_uninstalled(void)
{
#ifndef CSTDP_BUILD_DIR
	return 0;
#else
	/* The folder of the running program, compared by identity (device and inode) so that links and
	 * spellings of the build folder do not matter. */
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0 || n == (ssize_t)sizeof exe - 1)
		return 0;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	struct stat a, b;
	return stat(exe[0] ? exe : "/", &a) == 0 && stat(CSTDP_BUILD_DIR, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
#endif
}

/* The search walks each directory once: the same folder named twice (CALCIUM_STDP_PARAMS pointing at
 * the source tree of an uninstalled build, say) would list every preset in it twice. */
typedef struct once_ctx {
	dir_fn fn;
	void *ctx;
	struct stat seen[16]; /* device and inode of the directories walked so far */
	int nseen;
} once_ctx;

static int once(const char *dir, int user, void *arg)
{
	once_ctx *o = arg;
	struct stat st;
	if (stat(dir, &st) == 0) {
		for (int i = 0; i < o->nseen; i++)
			if (o->seen[i].st_dev == st.st_dev && o->seen[i].st_ino == st.st_ino)
				return 0;
		if (o->nseen < (int)(sizeof o->seen / sizeof o->seen[0]))
			o->seen[o->nseen++] = st;
	}
	return o->fn(dir, user, o->ctx);
}

static int each_dir(dir_fn fn, void *ctx)
{
	once_ctx o = {.fn = fn, .ctx = ctx};
	int r = each_in_list(getenv("CALCIUM_STDP_PARAMS"), once, &o);
	if (r)
		return r;
	char user[4096];
	if (presets_user_dir(user, sizeof user, 0) == 0 && (r = once(user, 1, &o)) != 0)
		return r;
	if ((r = once(datadir_params(), 0, &o)) != 0)
		return r;
#ifdef CSTDP_SOURCE_PARAMS
	if (presets_uninstalled())
		return once(CSTDP_SOURCE_PARAMS, 0, &o);
#endif
	return 0;
}

static int is_regular(const char *dir, const char *name)
{
	char path[4096 + 256 + 2];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

typedef struct find_ctx {
	const char *want; /* "NAME.ini" */
	char *path;
	size_t len;
	int toolong;
} find_ctx;

static int find_in_dir(const char *dir, int user, void *vctx)
{
	(void)user;
	find_ctx *c = vctx;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	char best[256] = "";
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcasecmp(e->d_name, c->want) != 0 || !is_regular(dir, e->d_name))
			continue;
		/* The exact spelling wins; among other spellings the first in byte order, so the choice
		 * does not depend on the order readdir happens to return. */
		if (!best[0] || strcmp(e->d_name, c->want) == 0 ||
		    (strcmp(best, c->want) != 0 && strcmp(e->d_name, best) < 0))
			snprintf(best, sizeof best, "%s", e->d_name);
	}
	closedir(d);
	if (!best[0])
		return 0;
	int n = snprintf(c->path, c->len, "%s/%s", dir, best);
	if (n < 0 || (size_t)n >= c->len)
		c->toolong = 1;
	return 1;
}

int presets_find(const char *name, char *path, size_t len)
{
	if (!name || !name[0] || name[0] == '.' || strchr(name, '/')) {
		errno = EINVAL;
		return -1;
	}
	char want[256];
	size_t w = 0, n = strlen(name);
	if (n > 4 && strcasecmp(name + n - 4, ".ini") == 0)
		n -= 4;
	for (size_t i = 0; i < n; i++) {
		int prime = name[i] == '\'';
		size_t pl = prime ? 5 : 1;
		if (w + pl + 5 > sizeof want) {
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(want + w, prime ? "prime" : name + i, pl);
		w += pl;
	}
	memcpy(want + w, ".ini", 5);
	find_ctx c = {.want = want, .path = path, .len = len};
	int r = each_dir(find_in_dir, &c);
	if (r < 0) {
		errno = ENOMEM;
		return -1;
	}
	if (r == 0) {
		errno = ENOENT;
		return -1;
	}
	if (c.toolong) {
		if (len)
			path[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

typedef struct list_ctx {
	presets_entry *v;
	int n, cap;
	int nomem;
	int dir_index; /* of the folder being listed */
} list_ctx;

static int name_cmp(const void *pa, const void *pb)
{
	const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
	int c = strcasecmp(a, b);
	return c ? c : strcmp(a, b);
}

static int list_dir(const char *dir, int user, void *vctx)
{
	list_ctx *c = vctx;
	DIR *d = opendir(dir);
	if (!d) {
		c->dir_index++;
		return 0;
	}
	char **names = NULL;
	size_t nn = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.' || n <= 4 || strcasecmp(e->d_name + n - 4, ".ini") != 0 ||
		    !is_regular(dir, e->d_name))
			continue;
		if (nn == cap) {
			size_t nc = cap ? 2 * cap : 16;
			char **v = realloc(names, nc * sizeof *v);
			if (!v)
				goto nomem;
			names = v;
			cap = nc;
		}
		if (!(names[nn] = strdup(e->d_name)))
			goto nomem;
		nn++;
	}
	closedir(d);
	d = NULL;
	if (nn)
		qsort(names, nn, sizeof *names, name_cmp);
	for (size_t i = 0; i < nn; i++) {
		size_t n = strlen(names[i]) - 4;
		/* The same name (any case) in an earlier folder: --preset finds that one; listed all the
		 * same, so that a user's file never makes a built-in preset disappear. */
		int shadowed = 0, same_dir = 0;
		for (int j = 0; j < c->n; j++)
			if (strlen(c->v[j].name) == n && strncasecmp(c->v[j].name, names[i], n) == 0) {
				shadowed = 1;
				same_dir |= c->v[j].dir_index == c->dir_index;
			}
		if (same_dir)
			continue; /* "dp.ini" next to "DP.ini": presets_find takes one of them */
		if (c->n == c->cap) {
			int nc = c->cap ? 2 * c->cap : 16;
			presets_entry *v = realloc(c->v, (size_t)nc * sizeof *v);
			if (!v)
				goto nomem;
			c->v = v;
			c->cap = nc;
		}
		presets_entry *pe = &c->v[c->n];
		size_t pl = strlen(dir) + 1 + strlen(names[i]) + 1;
		pe->name = strndup(names[i], n);
		pe->path = malloc(pl);
		pe->description = NULL;
		pe->user = user;
		pe->shadowed = shadowed;
		pe->dir_index = c->dir_index;
		if (pe->path)
			snprintf(pe->path, pl, "%s/%s", dir, names[i]);
		if (pe->name && pe->path)
			pe->description = inifile_description(pe->path);
		if (!pe->name || !pe->path || !pe->description) {
			free(pe->name);
			free(pe->path);
			free(pe->description);
			goto nomem;
		}
		c->n++;
	}
	for (size_t i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	c->dir_index++;
	return 0;
nomem:
	if (d)
		closedir(d);
	for (size_t i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	c->nomem = 1;
	return 1;
}

int presets_list(presets_entry **out)
{
	list_ctx c = {0};
	*out = NULL;
	if (each_dir(list_dir, &c) < 0)
		c.nomem = 1;
	if (c.nomem) {
		presets_free(c.v, c.n);
		errno = ENOMEM;
		return -1;
	}
	if (c.n == 0) {
		free(c.v);
		return 0;
	}
	*out = c.v;
	return c.n;
}

void presets_free(presets_entry *list, int n)
{
	for (int i = 0; list && i < n; i++) {
		free(list[i].name);
		free(list[i].path);
		free(list[i].description);
	}
	free(list);
}

typedef struct builtin_ctx {
	find_ctx find;
	int after_user; /* the user's folder came already */
} builtin_ctx;

static int builtin_in_dir(const char *dir, int user, void *vctx)
{
	builtin_ctx *c = vctx;
	if (user) {
		c->after_user = 1;
		return 0;
	}
	return find_in_dir(dir, user, &c->find) ? (c->after_user ? 1 : 2) : 0;
}

int presets_builtin(const char *name)
{
	char want[256], path[4096];
	size_t n = strlen(name);
	if (n > 4 && strcasecmp(name + n - 4, ".ini") == 0)
		n -= 4;
	if (n == 0 || n + 5 > sizeof want || memchr(name, '/', n))
		return 0;
	memcpy(want, name, n);
	memcpy(want + n, ".ini", 5);
	builtin_ctx c = {.find = {.want = want, .path = path, .len = sizeof path}};
	int r = each_dir(builtin_in_dir, &c);
	return r > 0 ? r : 0;
}
