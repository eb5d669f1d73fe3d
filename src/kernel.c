/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which path of the lockstep kernel runs: chosen once from the CPU, or forced (CALCIUM_STDP_KERNEL, tests).
 */
#include "kernel.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef void (*kernel_fn)(const kernel_op *, uint32_t, uint64_t, double, uint64_t *, const kernel_lanes *);

void kernel_run_plain_c(const kernel_op *ops, uint32_t nops, uint64_t reps, double rho_star, uint64_t *draw,
                        const kernel_lanes *l);
#ifdef KERNEL_X86
void kernel_run_plain_fma(const kernel_op *ops, uint32_t nops, uint64_t reps, double rho_star, uint64_t *draw,
                          const kernel_lanes *l);
void kernel_run_sse2(const kernel_op *ops, uint32_t nops, uint64_t reps, double rho_star, uint64_t *draw,
                     const kernel_lanes *l);
void kernel_run_avx2(const kernel_op *ops, uint32_t nops, uint64_t reps, double rho_star, uint64_t *draw,
                     const kernel_lanes *l);
void kernel_run_avx512(const kernel_op *ops, uint32_t nops, uint64_t reps, double rho_star, uint64_t *draw,
                       const kernel_lanes *l);
#endif

static const char *const names[KERNEL_ISAS] = {"plain", "sse2", "avx2", "avx512"};

/* The path in use plus one; 0 until the first call chooses. */
static atomic_int chosen;

int kernel_available(kernel_isa isa)
{
	switch (isa) {
	case KERNEL_PLAIN:
		return 1;
#ifdef KERNEL_X86
	case KERNEL_SSE2:
		return __builtin_cpu_supports("sse2");
	case KERNEL_AVX2:
		return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
	case KERNEL_AVX512:
		return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
		       __builtin_cpu_supports("fma");
#endif
	default:
		return 0;
	}
}

const char *kernel_name(kernel_isa isa)
{
	return isa >= 0 && isa < KERNEL_ISAS ? names[isa] : "?";
}

int kernel_parse(const char *name)
{
	for (int i = 0; i < KERNEL_ISAS; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

kernel_isa kernel_current(void)
{
	int c = atomic_load_explicit(&chosen, memory_order_relaxed);
	if (c)
		return (kernel_isa)(c - 1);
	kernel_isa isa = KERNEL_PLAIN;
	for (int i = KERNEL_ISAS - 1; i > 0; i--)
		if (kernel_available((kernel_isa)i)) {
			isa = (kernel_isa)i;
			break;
		}
	/* Every path gives the same bits: the variable only chooses which one does the work. */
	const char *env = getenv("CALCIUM_STDP_KERNEL");
	int want = env ? kernel_parse(env) : -1;
	if (want >= 0 && kernel_available((kernel_isa)want))
		isa = (kernel_isa)want;
	atomic_store_explicit(&chosen, (int)isa + 1, memory_order_relaxed);
	return isa;
}

int kernel_force(kernel_isa isa)
{
	if (isa < 0 || isa >= KERNEL_ISAS || !kernel_available(isa))
		return -1;
	atomic_store_explicit(&chosen, (int)isa + 1, memory_order_relaxed);
	return 0;
}

#ifdef KERNEL_X86
/* The plain path: one instruction per fused multiply-add where the CPU has one (plain_fma: 0 not
 * known yet, 1 no, 2 yes). */
static atomic_int plain_fma;
#endif

void kernel_run_plain(const kernel_op *ops, uint32_t nops, uint64_t reps, double rho_star, uint64_t *draw,
                      const kernel_lanes *l)
{
#ifdef KERNEL_X86
	int f = atomic_load_explicit(&plain_fma, memory_order_relaxed);
	if (!f) {
		f = __builtin_cpu_supports("fma") ? 2 : 1;
		atomic_store_explicit(&plain_fma, f, memory_order_relaxed);
	}
	if (f == 2) {
		kernel_run_plain_fma(ops, nops, reps, rho_star, draw, l);
		return;
	}
#endif
	kernel_run_plain_c(ops, nops, reps, rho_star, draw, l);
}

void kernel_run(const kernel_op *ops, uint32_t nops, uint64_t reps, double rho_star, uint64_t *draw,
                const kernel_lanes *l)
{
	kernel_fn f = kernel_run_plain;
#ifdef KERNEL_X86
	switch (kernel_current()) {
	case KERNEL_SSE2:
		f = kernel_run_sse2;
		break;
	case KERNEL_AVX2:
		f = kernel_run_avx2;
		break;
	case KERNEL_AVX512:
		f = kernel_run_avx512;
		break;
	default:
		break;
	}
#endif
	f(ops, nops, reps, rho_star, draw, l);
}
