/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Saving files like a careful editor: parameter files (--save, the explorer's s) and exported curves
 * (the explorer's e) go through the same rules.
 *
 * - The target is a regular file or does not exist yet. Directories, devices, FIFOs and sockets are
 *   refused and left as they are (a --save /dev/null must not replace the device node).
 * - A symbolic link is followed (a chain of them too) and its final target is replaced; the link
 *   stays a link. A dangling link creates its target.
 * - The replacement is atomic: a temporary file in the target's directory is written, synced, given
 *   the old file's owner, group and mode, and renamed over the target, then the directory is synced.
 *   A write that fails (no space left, an I/O error, a file size limit) leaves the old file intact
 *   and no temporary file behind.
 * - A file without write permission is refused, also for root (for whom the permission bits are
 *   what says "read-only"), unless the caller passes INISAVE_FORCE because the user said so.
 * - A file with more than one hard link is refused: replacing it would split the links.
 * - An existing file keeps its owner and group; when they cannot be kept (a user replacing another
 *   user's group-writable file), the file is refused rather than given away.
 * A new file gets mode 0666 less the umask. */
#ifndef CSTDP_INISAVE_H
#define CSTDP_INISAVE_H

#include <stddef.h>

#include "params.h"

/* The outcome of a save. The command line exits 1 on INISAVE_FAILED and 2 on the refusals. */
enum {
	INISAVE_OK = 0,
	INISAVE_FAILED = -1,  /* writing failed (no space, I/O error, no temporary file): nothing changed */
	INISAVE_REFUSED = -2, /* the target is no regular file, has hard links, or its owner cannot be kept */
	INISAVE_READONLY = -3, /* the target has no write permission; INISAVE_FORCE replaces it anyway */
};

/* Flags. */
#define INISAVE_FORCE 1u /* replace a file without write permission: the user said so explicitly */

/* The longest target path handled (the resolved, absolute path). */
#define INISAVE_PATHLEN 4096

/* What a save to path would do, without writing: the resolved absolute path of the file that would
 * be written in full (size fulllen, may be NULL), and in *exists whether it exists (may be NULL).
 * Returns INISAVE_OK or one of the refusals, with a message naming the file in err. */
int inisave_check(const char *path, unsigned flags, char *full, size_t fulllen, int *exists, char *err,
                  size_t errlen);

/* Save len bytes of data to path under the rules above. full (may be NULL) receives the absolute
 * path written. Returns INISAVE_OK, or a negative INISAVE_ status with a message naming the file and
 * the problem in err ("the file is unchanged" when one existed). */
int inisave_write(const char *path, const void *data, size_t len, unsigned flags, char *full, size_t fulllen,
                  char *err, size_t errlen);

/* Save the parameter set p as an INI file (inifile_format's text; header_comment as there) under
 * the rules above. Refuses a set that params_check_set refuses (INISAVE_REFUSED). */
int inisave_params(const char *path, const param_set *p, const char *header_comment, unsigned flags,
                   char *full, size_t fulllen, char *err, size_t errlen);

#endif
