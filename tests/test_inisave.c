/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Careful saves (inisave) and loads from one open file (inifile), as a user meets them: what is
 * replaced, what is refused and left alone, what keeps its owner and mode. Runs as root in CI:
 * device nodes are made with mknod in a private folder, owners are checked with a file given to
 * nobody, and the cases of a user without privileges run in a child that becomes nobody. Without
 * root those cases are skipped, saying so. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "inifile.h"
#include "inisave.h"
#include "params.h"
#include "presets.h"
#include "usertext.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

#define NOBODY 65534

static char dir[PATH_MAX];
static const char text[] = "new text\n";

static void at(char *buf, const char *name)
{
	snprintf(buf, PATH_MAX, "%.3000s/%s", dir, name);
}

static int put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	int r = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return r;
}

static char *slurp(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return buf;
}

/* Entries of dir besides . and .., to see that no temporary file was left. */
static int entries(const char *d)
{
	char cmd[PATH_MAX + 64];
	snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", d);
	FILE *f = popen(cmd, "r");
	int n = -1;
	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		pclose(f);
	}
	return n;
}

static int save(const char *path, unsigned flags, char *full, char *err)
{
	return inisave_write(path, text, sizeof text - 1, flags, full, PATH_MAX, err, 1024);
}

/* A path that is not a regular file is refused (exit status 2 on the command line) and left as it
 * was: same inode, same type. */
static void refused_node(const char *what, const char *path, const char *phrase)
{
	struct stat a, b;
	char err[1024], full[PATH_MAX];
	int had = lstat(path, &a) == 0;
	int before = entries(dir);
	int r = save(path, 0, full, err);
	ok(had && r == INISAVE_REFUSED && strstr(err, phrase) && lstat(path, &b) == 0 &&
	       a.st_ino == b.st_ino && (a.st_mode & S_IFMT) == (b.st_mode & S_IFMT) && entries(dir) == before,
	   "%s: refused and left as it is (%s)", what, err);
}

static void test_refused_nodes(void)
{
	char path[PATH_MAX];
	at(path, "null");
	if (mknod(path, S_IFCHR | 0666, makedev(1, 3)) == 0) {
		refused_node("a character device made with mknod", path, "it is a character device");
		unlink(path);
	} else {
		ok(1, "# SKIP mknod of a character device: %s (needs root)", strerror(errno));
	}
	at(path, "loop");
	if (mknod(path, S_IFBLK | 0600, makedev(7, 200)) == 0) {
		refused_node("a block device made with mknod", path, "it is a block device");
		unlink(path);
	} else {
		ok(1, "# SKIP mknod of a block device: %s (needs root)", strerror(errno));
	}
	at(path, "fifo");
	mkfifo(path, 0644);
	refused_node("a FIFO", path, "it is a FIFO");
	unlink(path);

	at(path, "sock");
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) < sizeof sa.sun_path)
		memcpy(sa.sun_path, path, strlen(path) + 1);
	if (strlen(path) < sizeof sa.sun_path && bind(s, (struct sockaddr *)&sa, sizeof sa) == 0)
		refused_node("a socket", path, "it is a socket");
	else
		ok(1, "# SKIP a socket: the folder's path is too long for a socket address");
	close(s);
	unlink(path);

	at(path, "folder");
	mkdir(path, 0755);
	refused_node("a directory", path, "it is a directory");
	rmdir(path);

	/* /dev/stdout is a link to /proc/self/fd/1, a link to a pipe here: nothing to replace. */
	int p[2], saved = dup(1);
	if (pipe(p) == 0) {
		fflush(stdout);
		dup2(p[1], 1);
		char err[1024], full[PATH_MAX];
		int r = save("/dev/stdout", 0, full, err);
		dup2(saved, 1);
		close(p[0]);
		close(p[1]);
		ok(r == INISAVE_REFUSED && strstr(err, "FIFO"), "/dev/stdout on a pipe: refused (%s)", err);
	}
	close(saved);
	/* The real device, for good measure: refused before anything is written. */
	struct stat a, b;
	char err[1024], full[PATH_MAX];
	stat("/dev/null", &a);
	int r = save("/dev/null", 0, full, err);
	ok(r == INISAVE_REFUSED && stat("/dev/null", &b) == 0 && S_ISCHR(b.st_mode) && a.st_ino == b.st_ino,
	   "/dev/null: refused, still the device");
}

/* A step that sets up a case: its failure is a failed test, never a case tested on the wrong files. */
static void setup(int rc, const char *what)
{
	if (rc != 0)
		ok(0, "set-up: %s (%s)", what, strerror(errno));
}

static void test_links(void)
{
	char target[PATH_MAX], link1[PATH_MAX], link2[PATH_MAX], full[PATH_MAX], err[1024];
	struct stat st;
	at(target, "real.ini");
	at(link1, "link.ini");
	at(link2, "link2.ini");
	put(target, "old\n");
	chmod(target, 0600);
	setup(symlink("real.ini", link1), "link.ini -> real.ini"); /* relative, from the link's folder */
	setup(symlink(link1, link2), "link2.ini -> link.ini");     /* a chain: absolute to the first */
	int r = save(link2, 0, full, err);
	char *got = slurp(target);
	ok(r == INISAVE_OK && got && strcmp(got, text) == 0,
	   "saving through two links writes the final target");
	ok(lstat(link1, &st) == 0 && S_ISLNK(st.st_mode) && lstat(link2, &st) == 0 && S_ISLNK(st.st_mode),
	   "the links stay links");
	ok(stat(target, &st) == 0 && (st.st_mode & 07777) == 0600, "the target keeps its mode 0600");
	is_str(full, target, "the full path written is the target's");

	/* A dangling link creates its target. */
	char dangling[PATH_MAX], missing[PATH_MAX];
	at(dangling, "dangling.ini");
	at(missing, "created.ini");
	setup(symlink("created.ini", dangling), "dangling.ini -> created.ini");
	r = save(dangling, 0, full, err);
	got = slurp(missing);
	ok(r == INISAVE_OK && got && strcmp(got, text) == 0 && lstat(dangling, &st) == 0 &&
	       S_ISLNK(st.st_mode),
	   "a dangling link: its target is created, the link stays");

	/* A loop of links. */
	char l1[PATH_MAX], l2[PATH_MAX];
	at(l1, "loop1");
	at(l2, "loop2");
	setup(symlink("loop2", l1), "loop1 -> loop2");
	setup(symlink("loop1", l2), "loop2 -> loop1");
	r = save(l1, 0, full, err);
	ok(r != INISAVE_OK && strstr(err, strerror(ELOOP)), "a loop of links is refused (%s)", err);

	/* A relative name says the absolute path. */
	char cwd[PATH_MAX];
	if (getcwd(cwd, sizeof cwd) && chdir(dir) == 0) {
		r = save("relative.ini", 0, full, err);
		char want[PATH_MAX];
		at(want, "relative.ini");
		ok(r == INISAVE_OK && strcmp(full, want) == 0, "a relative name: the full path is given (%s)",
		   full);
		if (chdir(cwd) != 0)
			tap_diag("chdir back: %s", strerror(errno));
	}
}

static void test_permissions(void)
{
	char path[PATH_MAX], full[PATH_MAX], err[1024];
	struct stat st;

	/* Read-only: refused, also for root, unless forced. */
	at(path, "readonly.ini");
	put(path, "old\n");
	chmod(path, 0444);
	int r = save(path, 0, full, err);
	char *got = slurp(path);
	ok(r == INISAVE_READONLY && got && strcmp(got, "old\n") == 0 && strstr(err, "read-only"),
	   "a 0444 file is refused%s (%s)", geteuid() == 0 ? " although running as root" : "", err);
	r = save(path, INISAVE_FORCE, full, err);
	got = slurp(path);
	ok(r == INISAVE_OK && got && strcmp(got, text) == 0 && stat(path, &st) == 0 &&
	       (st.st_mode & 07777) == 0444,
	   "with INISAVE_FORCE (the user said so) it is replaced and stays 0444");

	/* A new file: 0666 less the umask. */
	at(path, "brand-new.ini");
	r = save(path, 0, full, err);
	ok(r == INISAVE_OK && stat(path, &st) == 0 && (st.st_mode & 0777) == 0644,
	   "a new file is 0644 under umask 022");

	/* Hard links would be split: refused. */
	char other[PATH_MAX];
	at(path, "linked.ini");
	at(other, "linked-too.ini");
	put(path, "old\n");
	setup(link(path, other), "a second hard link");
	r = save(path, 0, full, err);
	got = slurp(other);
	ok(r == INISAVE_REFUSED && got && strcmp(got, "old\n") == 0 && stat(path, &st) == 0 &&
	       st.st_nlink == 2,
	   "a file with two hard links is refused, both names intact (%s)", err);

	if (geteuid() != 0) {
		ok(1, "# SKIP owner and group kept: needs root to give a file to nobody");
		ok(1, "# SKIP a user without privileges: needs root to become nobody");
		ok(1, "# SKIP another user's group-writable file: needs root");
		return;
	}
	/* Root saving over a user's file: the file stays the user's. */
	at(path, "users.ini");
	put(path, "old\n");
	setup(chown(path, NOBODY, NOBODY), "the file given to nobody");
	chmod(path, 0640);
	r = save(path, 0, full, err);
	got = slurp(path);
	ok(r == INISAVE_OK && got && strcmp(got, text) == 0 && stat(path, &st) == 0 && st.st_uid == NOBODY &&
	       st.st_gid == NOBODY && (st.st_mode & 07777) == 0640,
	   "root saving over nobody's 0640 file: still nobody's, still 0640");

	/* A user without privileges: a folder nobody may write into, holding root's 0644 file, and
	 * root's group-writable file. */
	char box[PATH_MAX], mine[PATH_MAX], shared[PATH_MAX];
	at(box, "box");
	mkdir(box, 0777);
	chmod(box, 0777);
	chmod(dir, 0711);
	snprintf(mine, sizeof mine, "%.3000s/roots.ini", box);
	snprintf(shared, sizeof shared, "%.3000s/shared.ini", box);
	put(mine, "root's\n");
	put(shared, "shared\n");
	chmod(shared, 0666);
	pid_t pid = fork();
	if (pid == 0) {
		if (setgid(NOBODY) != 0 || setuid(NOBODY) != 0)
			_exit(99);
		int a = save(mine, 0, full, err);
		int b = save(shared, 0, full, err);
		_exit((a == INISAVE_READONLY ? 0 : 1) | (b == INISAVE_REFUSED ? 0 : 2));
	}
	int status = 0;
	waitpid(pid, &status, 0);
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 98;
	got = slurp(mine);
	ok(code != 99 && !(code & 1) && got && strcmp(got, "root's\n") == 0,
	   "as nobody: root's 0644 file is refused as read-only and unchanged (child status %d)", code);
	got = slurp(shared);
	ok(code != 99 && !(code & 2) && got && strcmp(got, "shared\n") == 0 && stat(shared, &st) == 0 &&
	       st.st_uid == 0,
	   "as nobody: root's 0666 file is refused rather than given to nobody");
	chmod(dir, 0700);
}

static void test_write_errors(void)
{
	char path[PATH_MAX], full[PATH_MAX], err[1024], sub[PATH_MAX];
	at(sub, "limits");
	mkdir(sub, 0700);
	snprintf(path, sizeof path, "%.3000s/old.ini", sub);
	put(path, "old\n");
	/* A file size limit makes the write fail (EFBIG), as a full disk does. */
	static char big[4096];
	memset(big, 'x', sizeof big);
	struct rlimit saved, lim;
	getrlimit(RLIMIT_FSIZE, &saved);
	lim = saved;
	lim.rlim_cur = 1024;
	signal(SIGXFSZ, SIG_IGN);
	setrlimit(RLIMIT_FSIZE, &lim);
	int r = inisave_write(path, big, sizeof big, 0, full, sizeof full, err, sizeof err);
	setrlimit(RLIMIT_FSIZE, &saved);
	char *got = slurp(path);
	ok(r == INISAVE_FAILED && strstr(err, strerror(EFBIG)) && strstr(err, "unchanged") && got &&
	       strcmp(got, "old\n") == 0 && entries(sub) == 1,
	   "a failed write: reported, the old file intact, no temporary file (%s)", err);

	/* A full disk: a 64 KiB tmpfs, when this system lets us mount one. */
	char small[PATH_MAX];
	at(small, "small");
	mkdir(small, 0700);
	if (mount("tmpfs", small, "tmpfs", 0, "size=64k") != 0) {
		ok(1, "# SKIP out of space on a small tmpfs: cannot mount one here (%s)", strerror(errno));
		rmdir(small);
		return;
	}
	snprintf(path, sizeof path, "%.3000s/old.ini", small);
	put(path, "old\n");
	static char huge[256 * 1024];
	memset(huge, 'y', sizeof huge);
	r = inisave_write(path, huge, sizeof huge, 0, full, sizeof full, err, sizeof err);
	got = slurp(path);
	ok(r == INISAVE_FAILED && strstr(err, strerror(ENOSPC)) && got && strcmp(got, "old\n") == 0 &&
	       entries(small) == 1,
	   "out of space: reported, the old file intact, no temporary file (%s)", err);
	umount(small);
	rmdir(small);
}

/* The parse sees the file that was opened and checked, even when the name is given to a FIFO
 * meanwhile (the old code reopened the name and blocked on the FIFO for good). */
static void test_load_one_open(void)
{
	char path[PATH_MAX], moved[PATH_MAX], err[INIFILE_ERRLEN];
	at(path, "swap.ini");
	at(moved, "swap-moved.ini");
	put(path, "[model]\ntheta_p = 1.25\n");
	int fd = open(path, O_RDONLY);
	rename(path, moved);
	mkfifo(path, 0644);
	param_set p;
	params_defaults(&p);
	alarm(10); /* a hang fails the test instead of stalling make check */
	int r = inifile_load_fd(fd, path, &p, err, sizeof err);
	alarm(0);
	close(fd);
	ok(r == 0 && p.v[P_THETA_P] == 1.25,
	   "a FIFO swapped in after the open is never read: the opened file is parsed");
	params_defaults(&p);
	alarm(10);
	r = inifile_load(path, &p, err, sizeof err);
	alarm(0);
	ok(r == -1 && strstr(err, "not a regular file"), "loading the FIFO itself: refused at once (%s)",
	   err);
	alarm(10);
	char *d = inifile_description(path);
	alarm(0);
	ok(d && !d[0], "the description reader does not block on a FIFO either");
	free(d);
	unlink(path);
	unlink(moved);
}

static void test_usertext(void)
{
	char out[USERTEXT_LEN];
	is_str(usertext_show("a\033[31mb\n\\", USERTEXT_CUT, out, sizeof out), "a\\e[31mb\\n\\\\",
	       "escape, newline and backslash are escaped");
	is_str(usertext_show("\xc2\x9b"
	                     "x\xff",
	                     USERTEXT_CUT, out, sizeof out),
	       "\\xc2\\x9bx\\xff", "a C1 control (CSI) and a stray byte are escaped");
	is_str(usertext_show("caf\xc3\xa9", USERTEXT_CUT, out, sizeof out), "caf\xc3\xa9",
	       "UTF-8 text stays");
	char longtext[100];
	memset(longtext, 'z', sizeof longtext - 1);
	longtext[sizeof longtext - 1] = '\0';
	usertext_show(longtext, USERTEXT_CUT, out, sizeof out);
	ok(strlen(out) == USERTEXT_CUT + 3 && strcmp(out + USERTEXT_CUT, "...") == 0,
	   "cut at %d bytes with ...", USERTEXT_CUT);
	is_str(usertext_show("\xc3\xa9\xc3\xa9", 3, out, sizeof out), "\xc3\xa9...",
	       "never inside a character");
}

int main(void)
{
	const char *t = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%.900s/test_inisave.XXXXXX", t && t[0] ? t : "/tmp");
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp %s: %s\n", dir, strerror(errno));
		return 1;
	}
	char real[PATH_MAX];
	if (realpath(dir, real))
		snprintf(dir, sizeof dir, "%s", real);
	umask(022);
	test_refused_nodes();
	test_links();
	test_permissions();
	test_write_errors();
	test_load_one_open();
	test_usertext();
	char cmd[2 * PATH_MAX + 32];
	snprintf(cmd, sizeof cmd, "chmod -R u+w '%.3000s'; rm -rf '%.3000s'", dir, dir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", dir);
	return tap_done();
}
