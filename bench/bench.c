/* SPDX-License-Identifier: GPL-3.0-or-later */
/* make bench: the speed figures of calcium-stdp on this machine (medians of several runs). First what
 * a user times (the whole process of --batch, started and waited for), then the engine's own time
 * inside a process, each labelled as such; throughput in synapses simulated per second; every ratio
 * between runs on the same number of threads.
 *   bench/bench [RUNS [PROGRAM]]   PROGRAM: calcium-stdp to time as a process; BENCH_PYTHON: a python
 *                                  with Brian2 for bench/brian2_point.py (BENCH_BRIAN2 names it) */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "analytic.h"
#include "cost.h"
#include "engine.h"
#include "kernel.h"
#include "sweep.h"

#define MAX_RUNS 64
/* The Brian2 comparison when Brian2 is not installed: the last measurement, said as such. */
#define BRIAN2_DATE    "2026-12-07"
#define BRIAN2_MACHINE "a shared 2-core x86-64 (Xeon, AVX-512)"
#define BRIAN2_FIGURE                                                                                        \
	"  one point (dt = +10 ms), 1000 repetitions per state, one process on 1 thread, CPU: Brian2\n"      \
	"  2.5.1 (bench/brian2_point.py) 31.67 s, calcium-stdp --batch --threads 1 0.0041 s: x7785"
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

/* One process run to its end, its output to /dev/null: wall time from the fork to the wait, and the CPU
 * time (user + system, all its threads and children) the kernel counted for it, in ms. 0 on success. */
static int run_process(char *const argv[], double *wall_ms, double *cpu_ms_out)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) != pid)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*wall_ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) * 1e-6;
	*cpu_ms_out = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	              (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-3;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Medians of `runs` runs of a process; 0 on success. */
static int time_process(char *const argv[], int runs, double *wall_ms, double *cpu_ms_out)
{
	double w[MAX_RUNS], c[MAX_RUNS];
	for (int r = 0; r < runs; r++)
		if (run_process(argv, &w[r], &c[r]) != 0)
			return -1;
	*wall_ms = median(w, runs);
	*cpu_ms_out = median(c, runs);
	return 0;
}

/* The plain reference (every 0.1 ms step for every synapse) on a sample of 24 synapses, one thread:
 * synapses per second (through *steps_per_s, the steps it took per second). */
static double reference_rate(double *steps_per_s)
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
	double sec = (uv_hrtime() - t0) * 1e-9;
	*steps_per_s = steps / sec;
	return 3 * 8 / sec;
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
	const char *prog = argc > 2 ? argv[2] : NULL;
	engine_prepare_threads(2);
	param_set p;
	params_defaults(&p);
	const double synapses = 41 * 1000 * 2; /* the figure's work: 41 points x 1000 reps x 2 states */
	kernel_isa best = kernel_current();
	/* The curve takes milliseconds and the machine's noise is of that order: many runs, at
	 * least FIGURE_RUNS, for a stable median. */
	int fr = runs < FIGURE_RUNS ? FIGURE_RUNS : runs;
	printf(
	    "calcium-stdp benchmark: DP preset, 41 points, 1000 repetitions per initial state (82,000\n"
	    "synapses), 0.1 ms steps; medians of %d runs for the curves, of %d for the kernel; kernel path\n"
	    "%s. Throughput is synapses simulated per second (each a 60 s run of 60 pairs).\n\n",
	    fr, runs, kernel_name(best));

	/* What a user times: the whole process, started, run and waited for. */
	double pw[3] = {0}, pc[3] = {0};
	if (prog) {
		printf("the whole process, as a user times it (start, parameters, the curve, CSV out):\n");
		for (int t = 1; t <= 2; t++) {
			char threads[8];
			snprintf(threads, sizeof threads, "%d", t);
			char *cmd[] = {(char *)prog, "--batch", "--threads", threads, NULL};
			if (time_process(cmd, fr, &pw[t], &pc[t]) != 0) {
				fprintf(stderr, "bench: %s --batch --threads %d failed\n", prog, t);
				return 1;
			}
			printf("  calcium-stdp --batch --threads %d        wall %7.1f ms  CPU %7.1f ms  "
			       "%9.3g synapses/s"
			       "%s\n",
			       t, pw[t], pc[t], synapses / (pw[t] * 1e-3),
			       t == 2 ? "" : "  (target <= 35 ms)");
		}
		printf("  2 threads against 1, wall: x%.2f\n\n", pw[1] / pw[2]);
	}

	printf("the engine alone, inside one process (parameter set to the last count: what the explorer\n"
	       "waits for after a slider moves; no process start, no output):\n");
	double c1[MAX_RUNS], f1[MAX_RUNS], c2[MAX_RUNS], f2[MAX_RUNS], sps1, sps2;
	measure(1, fr, c1, f1, &sps1);
	double cpu1 = last_cpu_ms;
	measure(2, fr, c2, f2, &sps2);
	double cpu2 = last_cpu_ms;
	double full1 = median(f1, fr), full2 = median(f2, fr);
	double coarse1 = median(c1, fr), coarse2 = median(c2, fr);
	printf("  engine, full curve, 1 thread             %8.1f ms  CPU %5.1f ms  %9.3g synapses/s\n", full1,
	       cpu1, synapses / (full1 * 1e-3));
	printf("  engine, full curve, 2 threads            %8.1f ms  CPU %5.1f ms  %9.3g synapses/s  (target "
	       "<= 20 "
	       "ms; x%.2f of 1 thread)\n",
	       full2, cpu2, synapses / (full2 * 1e-3), full1 / full2);
	printf("  engine, coarse curve after a change, 1 thread  %8.2f ms\n", coarse1);
	printf(
	    "  engine, coarse curve after a change, 2 threads %8.2f ms  (>= 32 reps per point; target <= 3 "
	    "ms)\n",
	    coarse2);

	/* 100,000 repetitions per point, once, scaled to 1,000,000. */
	double cb[1], fb[1], spsb;
	measure_reps(2, 1, 100000, cb, fb, &spsb);
	printf(
	    "  engine, 100,000 repetitions per point, 2 threads %6.2f s  (1,000,000: about %.1f s; target <= "
	    "25 s)\n",
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
	printf("analytic curve, 41 points (engine)         %8.4f ms  (target <= 1 ms)\n", median(an, 201));

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
	param_set pcurve;
	params_defaults(&pcurve);
	pcurve.v[P_REPS] = 50000;
	double cest = cost_curve_cpu(&pcurve, SIM_SEGMENTS, 0);
	double cb2[1], fb2[1], spsb2;
	double c0 = cpu_ms();
	measure_reps(2, 1, 50000, cb2, fb2, &spsb2);
	double ccpu = (cpu_ms() - c0) * 1e-3;
	printf("curve, 50000 reps:     estimate %6.2f s, measured %7.2f s of CPU  (x%.2f; wall %.2f s)\n",
	       cest, ccpu, cest / ccpu, fb2[0] * 1e-3);
	param_set pp = pcurve;
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

	/* Against the plain reference integrator, both on one thread. */
	double ref_steps;
	double ref = reference_rate(&ref_steps);
	printf("\n--method reference (every 0.1 ms step of every synapse), 1 thread: %.3g synapses/s\n"
	       "  (%.3g steps/s, on 3 points x 4 repetitions x 2 states); the engine on 1 thread: x%.0f\n",
	       ref, ref_steps, synapses / (full1 * 1e-3) / ref);
	if (prog)
		printf("  the whole process on 1 thread: x%.0f\n", synapses / (pw[1] * 1e-3) / ref);

	/* Against Brian2 (the paper's example), both one process on one core: one point, CPU seconds. */
	const char *py = getenv("BENCH_PYTHON"), *script = getenv("BENCH_BRIAN2");
	if (prog && py && *py && script && *script) {
		char *one[] = {(char *)prog, "--batch",   "--threads", "1",        "--set", "dt_min=10",
		               "--set",      "dt_max=10", "--set",     "points=1", NULL};
		char *bri[] = {(char *)py, (char *)script, "1000", NULL};
		char *warm[] = {(char *)py, (char *)script, "10", NULL};
		double ow, oc, bw, bc;
		if (time_process(one, fr, &ow, &oc) == 0 && run_process(warm, &bw, &bc) == 0 &&
		    run_process(bri, &bw, &bc) == 0)
			printf("\none point (dt = +10 ms), 1000 repetitions per state, one process on 1 "
			       "thread, CPU:\n"
			       "  Brian2 (%s, compiled code cached)  %8.2f s (wall %.2f s, one run)\n"
			       "  calcium-stdp --batch --threads 1        %8.4f s (median of %d)\n"
			       "  calcium-stdp is x%.0f faster in CPU time\n",
			       script, bc * 1e-3, bw * 1e-3, oc * 1e-3, fr, bc / oc);
		else
			printf("\nBrian2: the run of %s with %s failed\n", script, py);
	} else {
		printf(
		    "\nBrian2: not measured here (no python3 with brian2: apt-get install python3-brian).\n"
		    "Measured on " BRIAN2_DATE " on " BRIAN2_MACHINE ":\n" BRIAN2_FIGURE "\n");
	}
	return 0;
}
