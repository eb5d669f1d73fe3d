/* SPDX-License-Identifier: GPL-3.0-or-later */
/* User text in messages (see usertext.h). */
#include "usertext.h"

#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 when s does not start one. Overlong forms
 * and surrogates count as invalid, as the terminal would show them as replacement characters. */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	size_t n;
	unsigned min;
	unsigned cp;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2, min = 0x80, cp = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3, min = 0x800, cp = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4, min = 0x10000, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	if (cp >= 0x80 && cp <= 0x9F) /* C1 controls, e.g. CSI */
		return 0;
	return n;
}

char *usertext_show(const char *s, size_t max, char *out, size_t outlen)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0, i = 0;
	out[0] = '\0';
	while (u[i]) {
		char esc[8];
		size_t n = utf8_len(u + i), elen;
		if (i + (n ? n : 1) > max) {
			if (o + 4 <= outlen)
				memcpy(out + o, "...", 4);
			return out;
		}
		if (n == 1 && (u[i] < 0x20 || u[i] == 0x7F || u[i] == '\\')) {
			const char *named = u[i] == '\n'   ? "\\n"
			                    : u[i] == '\t' ? "\\t"
			                    : u[i] == '\r' ? "\\r"
			                    : u[i] == 0x1B ? "\\e"
			                    : u[i] == '\\' ? "\\\\"
			                                   : NULL;
			if (named)
				snprintf(esc, sizeof esc, "%s", named);
			else
				snprintf(esc, sizeof esc, "\\x%02x", u[i]);
			elen = strlen(esc);
			n = 1;
		} else if (n == 0) {
			snprintf(esc, sizeof esc, "\\x%02x", u[i]);
			elen = 4;
			n = 1;
		} else {
			memcpy(esc, s + i, n);
			elen = n;
		}
		/* Room for this piece, and for "..." should the next one not fit. */
		if (o + elen + 4 > outlen) {
			if (o + 4 <= outlen)
				memcpy(out + o, "...", 4);
			return out;
		}
		memcpy(out + o, esc, elen);
		o += elen;
		out[o] = '\0';
		i += n;
	}
	return out;
}
