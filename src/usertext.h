/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text that a user typed (an option's value, a file name, a line of a file) as shown in a message:
 * control bytes escaped so that they cannot move the cursor, change colours or break a line, and cut
 * to a readable length so that a mistyped 8 KB argument does not flood the terminal. */
#ifndef CSTDP_USERTEXT_H
#define CSTDP_USERTEXT_H

#include <stddef.h>

/* The length (in bytes of the original text) at which messages cut user text. */
#define USERTEXT_CUT 40
/* A buffer that always holds usertext_show(s, USERTEXT_CUT, ...): every byte may become 4 ("\x1b"),
 * plus "..." and the terminating NUL. */
#define USERTEXT_LEN (4 * USERTEXT_CUT + 4)

/* Copy s into out (size outlen > 0, always terminated) for a message: C0 and C1 control characters,
 * DEL and bytes that are not part of valid UTF-8 become \n, \t, \r, \e or \xHH; a backslash becomes
 * "\\" so that the escapes are unambiguous. After max bytes of s (never inside a UTF-8 sequence) the
 * rest is replaced by "...". Returns out. */
char *usertext_show(const char *s, size_t max, char *out, size_t outlen);

#endif
