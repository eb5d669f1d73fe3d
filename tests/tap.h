/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A minimal TAP producer for the unit tests: automake's tap-driver reads its output. */
#ifndef CSTDP_TAP_H
#define CSTDP_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;
	tap_n++;
	printf("%s %d - ", cond ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_ok((cond), __VA_ARGS__)

/* |got - want| <= tol, with the numbers in the diagnostic when it fails. */
#define is_near(got, want, tol, ...)                                                                         \
	do {                                                                                                 \
		double g_ = (got), w_ = (want), t_ = (tol);                                                  \
		if (!tap_ok(isfinite(g_) && fabs(g_ - w_) <= t_, __VA_ARGS__))                               \
			printf("#   got %.9g, want %.9g, tolerance %.3g\n", g_, w_, t_);                     \
	} while (0)

#define is_str(got, want, ...)                                                                               \
	do {                                                                                                 \
		const char *g_ = (got), *w_ = (want);                                                        \
		if (!tap_ok(g_ && w_ && strcmp(g_, w_) == 0, __VA_ARGS__))                                   \
			printf("#   got '%s', want '%s'\n", g_ ? g_ : "(null)", w_);                         \
	} while (0)

static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
