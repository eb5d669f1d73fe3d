/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Careful saves (see inisave.h). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* mkostemp, O_CLOEXEC */
#endif

#include "inisave.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inifile.h"
#include "usertext.h"

/* Links followed before giving up, as the kernel's own limit (ELOOP). */
#define MAX_LINKS 40

/* A path as messages show it: whole (the user must see which file), control bytes escaped. */
typedef struct shown {
	char s[4 * INISAVE_PATHLEN + 4];
} shown;

static const char *show_path(const char *path, shown *b)
{
	return usertext_show(path, INISAVE_PATHLEN, b->s, sizeof b->s);
}

static int say(char *err, size_t errlen, int status, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return status;
}

/* The target of a save: the file to replace or create, and what is known about it. */
typedef struct target {
	char path[INISAVE_PATHLEN]; /* absolute, symbolic links followed */
	char dir[INISAVE_PATHLEN];  /* its directory */
	int exists;
	struct stat st; /* when it exists */
} target;

static const char *kind_of(mode_t m)
{
	return S_ISDIR(m)    ? "a directory"
	       : S_ISCHR(m)  ? "a character device"
	       : S_ISBLK(m)  ? "a block device"
	       : S_ISFIFO(m) ? "a FIFO (named pipe)"
	       : S_ISSOCK(m) ? "a socket"
	                     : "not a regular file";
}

/* dir + "/" + name into out; -1 when too long. */
static int join(const char *dir, const char *name, char *out)
{
	int n = snprintf(out, INISAVE_PATHLEN, "%s%s%s", dir,
	                 dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	return n < 0 || n >= INISAVE_PATHLEN ? -1 : 0;
}

/* Split t->path into t->dir (made canonical when it exists, for the message) and check it. */
static int set_dir(target *t, const char *user, char *err, size_t errlen)
{
	shown a;
	char *slash = strrchr(t->path, '/');
	const char *base = slash + 1;
	char dir[INISAVE_PATHLEN];
	if (slash == t->path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - t->path), t->path);
	char *real = realpath(dir, NULL);
	if (!real)
		return say(err, errlen, INISAVE_REFUSED, "%s: the folder %s: %s", show_path(user, &a), dir,
		           strerror(errno));
	struct stat ds;
	if (stat(real, &ds) != 0 || !S_ISDIR(ds.st_mode)) {
		free(real);
		return say(err, errlen, INISAVE_REFUSED, "%s: %s is not a folder", show_path(user, &a), dir);
	}
	char name[NAME_MAX + 1];
	int bad = strlen(base) >= sizeof name || strlen(real) >= sizeof t->dir;
	if (!bad) {
		memcpy(name, base, strlen(base) + 1);
		bad = join(real, name, t->path) < 0;
	}
	if (!bad)
		memcpy(t->dir, real, strlen(real) + 1);
	free(real);
	if (bad)
		return say(err, errlen, INISAVE_REFUSED, "%s: %s", show_path(user, &a),
		           strerror(ENAMETOOLONG));
	return INISAVE_OK;
}

/* Follow path's symbolic links to the file a save must replace or create. */
static int resolve(const char *path, target *t, char *err, size_t errlen)
{
	shown a, b;
	memset(t, 0, sizeof *t);
	if (!path[0])
		return say(err, errlen, INISAVE_REFUSED, "the file name is empty");
	size_t n = strlen(path);
	if (path[n - 1] == '/')
		return say(err, errlen, INISAVE_REFUSED, "%s: the name ends with '/'", show_path(path, &a));
	/* What the name finally refers to, following every link: catches /dev/stdout (a link to
	 * /proc/self/fd/1, itself a "magic" link to a pipe or terminal that has no name to replace). */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return say(err, errlen, INISAVE_REFUSED, "%s: it is %s (left as it is)", show_path(path, &a),
		           kind_of(st.st_mode));
	if (path[0] == '/') {
		if (n >= sizeof t->path)
			return say(err, errlen, INISAVE_REFUSED, "%s: %s", show_path(path, &a),
			           strerror(ENAMETOOLONG));
		memcpy(t->path, path, n + 1);
	} else {
		char cwd[INISAVE_PATHLEN];
		if (!getcwd(cwd, sizeof cwd) || join(cwd, path, t->path) < 0)
			return say(err, errlen, INISAVE_REFUSED, "%s: %s", show_path(path, &a),
			           strerror(errno ? errno : ENAMETOOLONG));
	}
	for (int hops = 0;; hops++) {
		if (lstat(t->path, &t->st) != 0) {
			if (errno != ENOENT)
				return say(err, errlen, INISAVE_REFUSED, "%s: %s", show_path(t->path, &a),
				           strerror(errno));
			t->exists = 0;
			break;
		}
		if (!S_ISLNK(t->st.st_mode)) {
			t->exists = 1;
			break;
		}
		if (hops == MAX_LINKS)
			return say(err, errlen, INISAVE_REFUSED, "%s: %s", show_path(path, &a),
			           strerror(ELOOP));
		char link[INISAVE_PATHLEN];
		ssize_t k = readlink(t->path, link, sizeof link - 1);
		if (k < 0 || k == (ssize_t)sizeof link - 1)
			return say(err, errlen, INISAVE_REFUSED, "%s: cannot follow the link: %s",
			           show_path(t->path, &a), k < 0 ? strerror(errno) : strerror(ENAMETOOLONG));
		link[k] = '\0';
		if (link[0] == '/') {
			memcpy(t->path, link, (size_t)k + 1);
		} else {
			char *slash = strrchr(t->path, '/');
			char dir[INISAVE_PATHLEN];
			snprintf(dir, sizeof dir, "%.*s", (int)(slash - t->path + 1), t->path);
			if (join(dir, link, t->path) < 0)
				return say(err, errlen, INISAVE_REFUSED, "%s: %s", show_path(path, &a),
				           strerror(ENAMETOOLONG));
		}
		if (!t->path[0] || t->path[strlen(t->path) - 1] == '/')
			return say(err, errlen, INISAVE_REFUSED, "%s: the link points to %s",
			           show_path(path, &a), show_path(t->path, &b));
	}
	if (t->exists && !S_ISREG(t->st.st_mode))
		return say(err, errlen, INISAVE_REFUSED, "%s: it is %s (left as it is)",
		           show_path(t->path, &a), kind_of(t->st.st_mode));
	return set_dir(t, path, err, errlen);
}

/* Whether the user may write the existing target. Root may write anything: for root a file without
 * any write bit is the one that says "read-only", as editors treat it. */
static int writable(const target *t)
{
	if (geteuid() == 0)
		return (t->st.st_mode & 0222) != 0;
	return faccessat(AT_FDCWD, t->path, W_OK, AT_EACCESS) == 0 || errno != EACCES;
}

static int check_target(const target *t, unsigned flags, char *err, size_t errlen)
{
	shown a;
	if (!t->exists)
		return INISAVE_OK;
	if (t->st.st_nlink > 1)
		return say(err, errlen, INISAVE_REFUSED,
		           "%s: the file has %ju hard links and replacing it would split them "
		           "(left as it is)",
		           show_path(t->path, &a), (uintmax_t)t->st.st_nlink);
	if (!(flags & INISAVE_FORCE) && !writable(t))
		return say(err, errlen, INISAVE_READONLY, "%s: the file is read-only (left as it is)",
		           show_path(t->path, &a));
	return INISAVE_OK;
}

int inisave_check(const char *path, unsigned flags, char *full, size_t fulllen, int *exists, char *err,
                  size_t errlen)
{
	target t;
	if (err && errlen)
		err[0] = '\0';
	int rc = resolve(path, &t, err, errlen);
	if (rc == INISAVE_OK)
		rc = check_target(&t, flags, err, errlen);
	if (full && fulllen)
		snprintf(full, fulllen, "%s", t.path[0] ? t.path : path);
	if (exists)
		*exists = t.exists;
	return rc;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The process umask without changing it (umask() would, for all threads, for a moment). */
static mode_t current_umask(void)
{
	mode_t m = 022;
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return m;
	char line[256];
	while (fgets(line, sizeof line, f)) {
		unsigned int u;
		if (sscanf(line, "Umask: %o", &u) == 1) {
			m = (mode_t)(u & 0777);
			break;
		}
	}
	fclose(f);
	return m;
}

/* Give the temporary file the old file's owner, group and mode (or a new file's mode). */
static int take_over(int fd, const target *t, char *err, size_t errlen)
{
	shown a;
	if (!t->exists)
		return fchmod(fd, 0666 & ~current_umask()) == 0
		           ? INISAVE_OK
		           : say(err, errlen, INISAVE_FAILED, "%s: %s", show_path(t->path, &a),
		                 strerror(errno));
	struct stat ts;
	if (fstat(fd, &ts) != 0)
		return say(err, errlen, INISAVE_FAILED, "%s: %s", show_path(t->path, &a), strerror(errno));
	/* chown first: it clears the set-user-ID and set-group-ID bits that fchmod then sets. */
	if ((ts.st_uid != t->st.st_uid || ts.st_gid != t->st.st_gid) &&
	    fchown(fd, t->st.st_uid, t->st.st_gid) != 0)
		return say(err, errlen, INISAVE_REFUSED,
		           "%s: its owner and group (%ju:%ju) cannot be kept: %s (left as it is)",
		           show_path(t->path, &a), (uintmax_t)t->st.st_uid, (uintmax_t)t->st.st_gid,
		           strerror(errno));
	if (fchmod(fd, t->st.st_mode & 07777) != 0)
		return say(err, errlen, INISAVE_FAILED, "%s: %s", show_path(t->path, &a), strerror(errno));
	return INISAVE_OK;
}

/* The target must still be what was checked: nobody put a link, a FIFO or another file there. */
static int unchanged(const target *t)
{
	struct stat now;
	if (lstat(t->path, &now) != 0)
		return !t->exists && errno == ENOENT;
	return t->exists && S_ISREG(now.st_mode) && now.st_dev == t->st.st_dev && now.st_ino == t->st.st_ino;
}

int inisave_write(const char *path, const void *data, size_t len, unsigned flags, char *full, size_t fulllen,
                  char *err, size_t errlen)
{
	shown a, b;
	target t;
	if (err && errlen)
		err[0] = '\0';
	if (full && fulllen)
		snprintf(full, fulllen, "%s", path);
	int rc = resolve(path, &t, err, errlen);
	if (rc == INISAVE_OK)
		rc = check_target(&t, flags, err, errlen);
	if (rc != INISAVE_OK)
		return rc;
	if (full && fulllen)
		snprintf(full, fulllen, "%s", t.path);
	const char *keep = t.exists ? "; the file is unchanged" : "";

	/* Hidden, and not ending in .ini, so that presets_list never shows a leftover. */
	char tmp[INISAVE_PATHLEN + 216];
	const char *base = strrchr(t.path, '/') + 1;
	snprintf(tmp, sizeof tmp, "%s/.%.200s.XXXXXX", strcmp(t.dir, "/") == 0 ? "" : t.dir, base);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return say(err, errlen, INISAVE_FAILED, "%s: cannot create a temporary file in %s: %s%s",
		           show_path(t.path, &a), show_path(t.dir, &b), strerror(errno), keep);
	rc = take_over(fd, &t, err, errlen);
	if (rc != INISAVE_OK) {
		close(fd);
		unlink(tmp);
		return rc;
	}
	if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return say(err, errlen, INISAVE_FAILED, "%s: %s%s", show_path(t.path, &a), strerror(e), keep);
	}
	if (close(fd) != 0) {
		int e = errno;
		unlink(tmp);
		return say(err, errlen, INISAVE_FAILED, "%s: %s%s", show_path(t.path, &a), strerror(e), keep);
	}
	if (!unchanged(&t)) {
		unlink(tmp);
		return say(err, errlen, INISAVE_REFUSED,
		           "%s: the file was replaced by something else meanwhile", show_path(t.path, &a));
	}
	if (rename(tmp, t.path) != 0) {
		int e = errno;
		unlink(tmp);
		return say(err, errlen, INISAVE_FAILED, "%s: %s%s", show_path(t.path, &a), strerror(e), keep);
	}
	/* The rename is durable only once the directory is. Some file systems cannot sync a directory
	 * (EINVAL): nothing more can be done there. */
	int dfd = open(t.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || (fsync(dfd) != 0 && errno != EINVAL)) {
		int e = errno;
		if (dfd >= 0)
			close(dfd);
		return say(err, errlen, INISAVE_FAILED,
		           "%s: written, but syncing the folder %s failed (the file may not survive a "
		           "crash): %s",
		           show_path(t.path, &a), show_path(t.dir, &b), strerror(e));
	}
	close(dfd);
	return INISAVE_OK;
}

int inisave_params(const char *path, const param_set *p, const char *header_comment, unsigned flags,
                   char *full, size_t fulllen, char *err, size_t errlen)
{
	char msg[512];
	shown a;
	if (full && fulllen)
		snprintf(full, fulllen, "%s", path);
	if (params_check_set(p, msg, sizeof msg) < 0)
		return say(err, errlen, INISAVE_REFUSED, "%s: %s", show_path(path, &a), msg);
	size_t len;
	char *text = inifile_format(p, header_comment, &len);
	if (!text)
		return say(err, errlen, INISAVE_FAILED, "%s: %s", show_path(path, &a), strerror(ENOMEM));
	int rc = inisave_write(path, text, len, flags, full, fulllen, err, errlen);
	free(text);
	return rc;
}
