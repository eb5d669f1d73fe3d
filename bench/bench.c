/* make bench: the speed figures of calcium-stdp on this machine (medians of several runs). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "analytic.h"
#include "cost.h"
#include "engine.h"
#include "kernel.h"
#include "sweep.h"

#define MAX_RUNS    64
#define FIGURE_RUNS 25

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

typedef struct timing {
	engine *e;
	uint64_t t0, t_coarse, t_full;
	unsigned gen;
	int changes_left;
	double *coarse_ms, *full_ms;
	int k;
	param_set a, b;
	double steps_per_s;
} timing;

static void on_update(const engine_snapshot *s, void *user)
{
	timing *t = user;
	if (s->generation != t->gen)
		return;
	if (!t->t_coarse) {
		int coarse = 1;
		for (int i = 0; i < s->points; i++)
			coarse &= s->n[i] >= 32;
		if (coarse)
			t->t_coarse = uv_hrtime();
	}
	if (!s->complete)
		return;
	t->t_full = uv_hrtime();
	t->steps_per_s = s->steps_per_s;
	t->coarse_ms[t->k] = (t->t_coarse - t->t0) * 1e-6;
	t->full_ms[t->k] = (t->t_full - t->t0) * 1e-6;
	t->k++;
	if (--t->changes_left <= 0) {
		engine_close(t->e);
		return;
	}
	/* A parameter change, as a slider makes it: alternate two sets. */
	char err[256];
	t->t0 = uv_hrtime();
	t->t_coarse = 0;
	engine_set_params(t->e, t->k % 2 ? &t->b : &t->a, err, sizeof err);
	t->gen = s->generation + 1;
}

/* Runs the full curve `runs` times with `threads` workers, restarting by parameter changes. */
/* CPU time of the whole process so far (all threads), ms: on a shared machine it shows the work apart
 * from the waiting. */
static double cpu_ms(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-3;
}

static double last_cpu_ms; /* CPU per run of the last measure_reps */

static void measure_reps(int threads, int runs, double reps, double *coarse_ms, double *full_ms,
                         double *steps_per_s)
{
	double c0 = cpu_ms();
	uv_loop_t loop;
	uv_loop_init(&loop);
	timing t = {.changes_left = runs, .coarse_ms = coarse_ms, .full_ms = full_ms};
	params_defaults(&t.a);
	t.a.v[P_REPS] = reps;
	t.b = t.a;
	t.b.v[P_THETA_P] = 1.31;
	t.e = engine_new(&loop, threads, 0, SIM_SEGMENTS, on_update, &t);
	char err[256];
	t.t0 = uv_hrtime();
	t.gen = 1;
	engine_set_params(t.e, &t.a, err, sizeof err);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	*steps_per_s = t.steps_per_s;
	last_cpu_ms = (cpu_ms() - c0) / runs;
}

static void measure(int threads, int runs, double *coarse_ms, double *full_ms, double *steps_per_s)
{
	measure_reps(threads, runs, 1000, coarse_ms, full_ms, steps_per_s);
}

/* The kernel alone on one thread, each path this CPU has: the 41 points x 1000 repetitions in blocks
 * of 32, as the engine hands them out (ms, median of runs). */
static double kernel_ms(kernel_isa isa, int runs)
{
	param_set p;
	params_defaults(&p);
	sim_point *sp[41];
	for (int i = 0; i < 41; i++)
		sp[i] = sim_point_new(&p, i, SIM_SEGMENTS);
	kernel_force(isa);
	double ms[MAX_RUNS];
	for (int r = 0; r < runs; r++) {
		uint64_t t0 = uv_hrtime(), u = 0, d = 0;
		for (int i = 0; i < 41; i++)
			for (uint64_t f = 0; f < 1000; f += 32)
				sim_run_block(sp[i], 1, f, 32, NULL, 0, &u, &d);
		ms[r] = (uv_hrtime() - t0) * 1e-6;
	}
	for (int i = 0; i < 41; i++)
		sim_point_free(sp[i]);
	return median(ms, runs);
}

/* The plain reference (every 0.1 ms step for every synapse) on a sample, as steps per second. */
static double reference_rate(void)
{
	param_set p;
	params_defaults(&p);
	int idx[] = {10, 22, 30};
	uint64_t steps = 0;
	uint64_t t0 = uv_hrtime();
	for (int k = 0; k < 3; k++) {
		sim_point *sp = sim_point_new(&p, idx[k], SIM_REFERENCE);
		uint64_t u = 0, d = 0;
		sim_run_block(sp, 1, 0, 4, NULL, 0, &u, &d);
		steps += 8 * sim_point_steps(sp);
		sim_point_free(sp);
	}
	return steps / ((uv_hrtime() - t0) * 1e-9);
}

/* A map or sweep of the default set to /dev/null: wall and CPU seconds (the process's, all
 * threads), and the estimate's CPU seconds. */
typedef struct grid_run {
	double wall, cpu, est;
	uint64_t cells;
} grid_run;

static grid_run run_grid(int map, int analytic, double reps, const char *a1, const char *a2, int threads)
{
	char err[512];
	sweep_opts o = {
	    .map = map, .analytic = analytic, .threads = threads, .method = SIM_SEGMENTS, .tolerance = 0.01};
	params_defaults(&o.base);
	o.base.v[P_REPS] = reps;
	sweep_axis a;
	sweep_axis_parse(a1, 1, &a, err, sizeof err);
	sweep_grid_add(&o.grid, &a, err, sizeof err);
	sweep_axis_parse(a2, 1, &a, err, sizeof err);
	sweep_grid_add(&o.grid, &a, err, sizeof err);
	grid_run g = {.cells = sweep_cells(&o.grid)};
	g.est = sweep_cost_cpu(&o, 0, g.cells);
	FILE *null = fopen("/dev/null", "w");
	double c0 = cpu_ms();
	uint64_t t0 = uv_hrtime();
	if (null && sweep_run(&o, null, err, sizeof err) != 0)
		fprintf(stderr, "bench: %s\n", err);
	g.wall = (uv_hrtime() - t0) * 1e-9;
	g.cpu = (cpu_ms() - c0) * 1e-3;
	if (null)
		fclose(null);
	return g;
}

/* A second job keeping one core busy, so that the estimates are seen on a loaded machine. */
static pid_t busy_start(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		volatile unsigned long x = 0;
		for (;;)
			x++;
	}
	return pid;
}

static void busy_stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	if (runs < 1 || runs > MAX_RUNS)
		runs = 5;
	engine_prepare_threads(2);
	param_set p;
	params_defaults(&p);
	double steps_total = 0;
	for (int i = 0; i < 41; i++) {
		sim_point *sp = sim_point_new(&p, i, SIM_SEGMENTS);
		steps_total += 2000.0 * sim_point_steps(sp);
		sim_point_free(sp);
	}
	kernel_isa best = kernel_current();
	/* The curve takes milliseconds and the machine's noise is of that order: many runs, at
	 * least FIGURE_RUNS, for a stable median. */
	int fr = runs < FIGURE_RUNS ? FIGURE_RUNS : runs;
	printf("calcium-stdp benchmark: DP preset, 41 points, 1000 repetitions per initial state,\n"
	       "0.1 ms steps (%.3g rho steps in the seed's count); medians of %d runs for the curves, of %d\n"
	       "for the kernel; kernel path %s\n\n",
	       steps_total, fr, runs, kernel_name(best));

	double c1[MAX_RUNS], f1[MAX_RUNS], c2[MAX_RUNS], f2[MAX_RUNS], sps1, sps2;
	measure(1, fr, c1, f1, &sps1);
	double cpu1 = last_cpu_ms;
	measure(2, fr, c2, f2, &sps2);
	double cpu2 = last_cpu_ms;
	double full1 = median(f1, fr), full2 = median(f2, fr);
	double coarse1 = median(c1, fr), coarse2 = median(c2, fr);
	printf(
	    "full curve, 1 thread                       %8.1f ms  (target <= 35 ms; CPU %.1f ms per run)\n",
	    full1, cpu1);
	printf("full curve, 2 threads                      %8.1f ms  (target <= 20 ms; speed-up x%.2f; CPU "
	       "%.1f ms)\n",
	       full2, full1 / full2, cpu2);
	printf("coarse curve after a change, 1 thread      %8.2f ms\n", coarse1);
	printf(
	    "coarse curve after a change, 2 threads     %8.2f ms  (>= 32 reps per point; target <= 3 ms)\n",
	    coarse2);

	/* 100,000 repetitions per point, once, scaled to 1,000,000. */
	double cb[1], fb[1], spsb;
	measure_reps(2, 1, 100000, cb, fb, &spsb);
	printf("100,000 repetitions per point, 2 threads   %8.2f s   (1,000,000: about %.1f s; target <= 25 "
	       "s)\n",
	       fb[0] * 1e-3, fb[0] * 1e-2);
	/* What --batch would have announced for that run (it speaks from 10 s up). */
	param_set pe;
	params_defaults(&pe);
	pe.v[P_REPS] = 100000;
	double bcpu = last_cpu_ms * 1e-3;
	double est = cost_curve_cpu(&pe, SIM_SEGMENTS, 0);
	printf("  its cost estimate                         %8.2f s of CPU, measured %.2f s of CPU (x%.2f)\n",
	       est, bcpu, est / bcpu);

	printf("\nthe kernel alone, 1 thread, 41 x 1000 x 2 synapses in blocks of 32 repetitions:\n");
	double plain_ms = 0;
	for (int k = 0; k < KERNEL_ISAS; k++) {
		if (!kernel_available((kernel_isa)k))
			continue;
		double ms = kernel_ms((kernel_isa)k, runs);
		if (k == KERNEL_PLAIN)
			plain_ms = ms;
		printf("  %-7s %8.1f ms  (x%.2f of plain C)\n", kernel_name((kernel_isa)k), ms,
		       plain_ms / ms);
	}
	kernel_force(best);
	printf("\n");

	double an[201];
	for (int r = 0; r < 201; r++) {
		uint64_t t0 = uv_hrtime();
		volatile double sink = 0;
		for (int k = 0; k < 10; k++)
			for (int i = 0; i < 41; i++) {
				analytic_point a;
				analytic_pair(&p, params_dt_ms(&p, i), &a);
				sink += a.change;
			}
		an[r] = (uv_hrtime() - t0) * 1e-6 / 10;
	}
	printf("analytic curve, 41 points                  %8.4f ms  (target <= 1 ms)\n", median(an, 201));

	/* Maps and sweeps: the cost of a cell, the estimates beside the measured CPU time, with a second
	 * job busy on one of the cores. */
	char rates[512];
	cost_describe(rates, sizeof rates);
	printf("cost model's rates (CPU): %s\n", rates);
	grid_run amap = run_grid(1, 1, 1000, "theta_d=0.6:1.4:100", "theta_p=1.1:2.5:100", 2);
	printf("analytic map, 100 x 100 cells              %8.3f s   (CPU %.3f s; target <= 0.2 s)\n",
	       amap.wall, amap.cpu);
	pid_t busy = busy_start();
	printf(
	    "\nwith a second job busy on one core (estimates in CPU time: the load does not change them):\n");
	grid_run mp = run_grid(1, 0, 1000, "theta_d=0.6:1.4:6", "theta_p=1.1:2.5:6", 2);
	printf("simulated map cell, 1000 repetitions       %8.1f ms of CPU  (36 cells, 2 threads; target <= "
	       "12 ms)\n",
	       mp.cpu / mp.cells * 1e3);
	printf("  a 100 x 100 map at this rate: %.0f s of CPU, about %.0f s on 2 cores\n",
	       mp.cpu / mp.cells * 1e4, mp.cpu / mp.cells * 1e4 / 2);
	printf("map 6 x 6, 1000 reps: estimate %7.2f s, measured %7.2f s of CPU  (x%.2f; wall %.2f s)\n",
	       mp.est, mp.cpu, mp.est / mp.cpu, mp.wall);
	grid_run sw = run_grid(0, 0, 500, "gamma_p=100:1000:6:log", "c_pre=0.8:1.2:3", 2);
	printf("sweep 6 x 3, 500 reps: estimate %6.2f s, measured %7.2f s of CPU  (x%.2f; wall %.2f s)\n",
	       sw.est, sw.cpu, sw.est / sw.cpu, sw.wall);
	param_set pc;
	params_defaults(&pc);
	pc.v[P_REPS] = 50000;
	double cest = cost_curve_cpu(&pc, SIM_SEGMENTS, 0);
	double cb2[1], fb2[1], spsb2;
	double c0 = cpu_ms();
	measure_reps(2, 1, 50000, cb2, fb2, &spsb2);
	double ccpu = (cpu_ms() - c0) * 1e-3;
	printf("curve, 50000 reps:     estimate %6.2f s, measured %7.2f s of CPU  (x%.2f; wall %.2f s)\n",
	       cest, ccpu, cest / ccpu, fb2[0] * 1e-3);
	param_set pp = pc;
	pp.v[P_PROTOCOL] = PROTO_POISSON;
	pp.v[P_REPS] = 200;
	double pest = cost_curve_cpu(&pp, SIM_SEGMENTS, 0);
	c0 = cpu_ms();
	{
		uv_loop_t loop;
		uv_loop_init(&loop);
		timing t = {.changes_left = 1, .coarse_ms = cb2, .full_ms = fb2};
		t.a = pp;
		t.b = pp;
		t.e = engine_new(&loop, 2, 0, SIM_SEGMENTS, on_update, &t);
		char err[256];
		t.t0 = uv_hrtime();
		t.gen = 1;
		engine_set_params(t.e, &t.a, err, sizeof err);
		uv_run(&loop, UV_RUN_DEFAULT);
		uv_loop_close(&loop);
	}
	double pcpu = (cpu_ms() - c0) * 1e-3;
	printf("Poisson curve, 200 reps: estimate %4.2f s, measured %7.2f s of CPU  (x%.2f; wall %.2f s)\n",
	       pest, pcpu, pest / pcpu, fb2[0] * 1e-3);
	busy_stop(busy);

	double ref = reference_rate();
	double fast1 = steps_total / (full1 * 1e-3), fast2 = steps_total / (full2 * 1e-3);
	printf("\nrho steps per second (seed's count), 1 thread  %9.3g\n", fast1);
	printf("rho steps per second (seed's count), 2 threads %9.3g\n", fast2);
	printf("plain reference (every step), 1 thread         %9.3g  (measured on 3 points x 4 reps)\n",
	       ref);
	printf("speed-up over --method reference, 1 thread     x%.0f\n", fast1 / ref);
	printf("speed-up over --method reference, 2 threads    x%.0f\n", fast2 / ref);
	printf("the plain reference would need about %.0f s for the full curve on 2 threads\n",
	       steps_total / ref / 2);
	printf("Brian2 2.5.1 (Cython) needs about 26 s per point on one core of this machine: x%.0f on 2 "
	       "threads\n",
	       26.0 * 41 / 2 / (full2 * 1e-3));
	return 0;
}
