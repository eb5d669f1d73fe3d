/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Background jobs: results reach the loop thread, a newer job supersedes an older one in its slot
 * (the old one stops at its next poll and is reported as cancelled), failures carry their reason,
 * progress is visible while a job runs, and closing cancels everything and frees it. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "jobs.h"
#include "tap.h"

typedef struct task {
	int kind;             /* 0 sum, 1 spin until cancelled, 2 fail, 3 progress then wait for go */
	long n;               /* sum 1..n */
	long result;          /* worker's answer */
	atomic_int *go;       /* kind 3: released by the loop thread */
	atomic_int *started;  /* set when the work function starts */
	uint64_t cancelled_t; /* uv_hrtime when the worker saw the cancellation */
} task;

typedef struct tally {
	int calls, ok, failed, cancelled;
	long last_result;
	char err[256];
	uint64_t t_done;
} tally;

static int work(jobs_ctx *c, void *arg)
{
	task *t = arg;
	if (t->started)
		atomic_store(t->started, 1);
	switch (t->kind) {
	case 0:
		for (long i = 1; i <= t->n; i++)
			t->result += i;
		return 0;
	case 1:
		while (!jobs_cancelled(c))
			uv_sleep(1);
		t->cancelled_t = uv_hrtime();
		return 0;
	case 2:
		jobs_fail(c, "cannot allocate %d bytes", 42);
		jobs_fail(c, "a second reason is ignored");
		return -1;
	default:
		jobs_progress(c, 0.5);
		while (!atomic_load(t->go) && !jobs_cancelled(c))
			uv_sleep(1);
		return 0;
	}
}

static void done(int status, const char *err, void *arg, void *user)
{
	task *t = arg;
	tally *l = user;
	l->calls++;
	l->t_done = uv_hrtime();
	if (status == 0) {
		l->ok++;
		l->last_result = t->result;
	} else if (status < 0) {
		l->failed++;
		snprintf(l->err, sizeof l->err, "%s", err ? err : "(null)");
	} else {
		l->cancelled++;
	}
	free(t);
}

static task *new_task(int kind, long n)
{
	task *t = calloc(1, sizeof *t);
	t->kind = kind;
	t->n = n;
	return t;
}

static void run_until(uv_loop_t *loop, const int *flag)
{
	while (!*flag)
		uv_run(loop, UV_RUN_ONCE);
}

static void wait_started(atomic_int *s)
{
	while (!atomic_load(s))
		uv_sleep(1);
}

int main(void)
{
	uv_loop_t loop;
	uv_loop_init(&loop);
	jobs *j = jobs_new(&loop);
	ok(j != NULL, "jobs_new");

	/* A result reaches the done callback. */
	tally a = {0};
	unsigned g1 = jobs_submit(j, 0, "sum", work, done, new_task(0, 1000), &a);
	ok(g1 != 0, "a submit returns a generation");
	run_until(&loop, &a.calls);
	ok(a.ok == 1 && a.last_result == 500500, "the result reaches the loop thread (%ld)", a.last_result);
	ok(!jobs_busy(j, 0, NULL, NULL), "the slot is idle after its job is done");

	/* A newer job in the slot supersedes a running one: the old one stops at its next poll. */
	tally b = {0}, c = {0};
	atomic_int started = 0;
	task *spin = new_task(1, 0);
	spin->started = &started;
	jobs_submit(j, 1, "spin", work, done, spin, &b);
	wait_started(&started);
	uint64_t t0 = uv_hrtime();
	unsigned g2 = jobs_submit(j, 1, "sum", work, done, new_task(0, 10), &c);
	ok(g2 > g1, "generations grow");
	run_until(&loop, &b.calls);
	run_until(&loop, &c.calls);
	ok(b.cancelled == 1 && b.ok == 0, "the superseded job is reported as cancelled, not as a result");
	ok(c.ok == 1 && c.last_result == 55, "the newer job's result arrives");
	double ms = (double)(b.t_done - t0) * 1e-6;
	ok(ms < 200, "the superseded job ended %.1f ms after the new submit", ms);

	/* A failure carries its first reason. */
	tally d = {0};
	jobs_submit(j, 2, "fail", work, done, new_task(2, 0), &d);
	run_until(&loop, &d.calls);
	ok(d.failed == 1, "a failed job is reported as failed");
	is_str(d.err, "cannot allocate 42 bytes", "with the reason the worker gave first");

	/* Progress and what is computed are visible from the loop thread while the job runs. */
	tally e = {0};
	atomic_int go = 0, st = 0;
	task *prog = new_task(3, 0);
	prog->go = &go;
	prog->started = &st;
	jobs_submit(j, 3, "analytic curve", work, done, prog, &e);
	const char *what = NULL;
	double frac = 0;
	int busy = 0;
	for (int i = 0; i < 2000 && !(busy && frac > 0.4); i++) {
		uv_sleep(1);
		busy = jobs_busy(j, 3, &what, &frac);
	}
	ok(busy && what && strcmp(what, "analytic curve") == 0, "jobs_busy says what runs");
	is_near(frac, 0.5, 1e-6, "and how far it is");
	const char *any = NULL;
	ok(jobs_any_busy(j, &any, NULL) && any && strcmp(any, "analytic curve") == 0,
	   "jobs_any_busy finds it");
	atomic_store(&go, 1);
	run_until(&loop, &e.calls);
	ok(e.ok == 1 && !jobs_any_busy(j, NULL, NULL) && jobs_running(j) == 0, "then every slot is idle");

	/* jobs_cancel: the done callback still runs, with status 1. */
	tally f = {0};
	atomic_int st2 = 0;
	task *spin2 = new_task(1, 0);
	spin2->started = &st2;
	jobs_submit(j, 4, "spin", work, done, spin2, &f);
	wait_started(&st2);
	jobs_cancel(j, 4);
	run_until(&loop, &f.calls);
	ok(f.cancelled == 1, "jobs_cancel reports the job as cancelled");

	/* A bad slot fails at once, through the callback. */
	tally g = {0};
	ok(jobs_submit(j, JOBS_SLOTS, "x", work, done, new_task(0, 1), &g) == 0 && g.failed == 1,
	   "a submit to a slot that does not exist fails through done");

	/* Closing with running and queued jobs: each is reported once, then the loop closes. */
	tally h = {0};
	atomic_int st3 = 0;
	task *spin3 = new_task(1, 0);
	spin3->started = &st3;
	jobs_submit(j, 5, "spin", work, done, spin3, &h);
	for (int i = 0; i < 20; i++)
		jobs_submit(j, 6, "sum", work, done, new_task(0, 100000), &h);
	wait_started(&st3);
	jobs_close(j);
	uv_run(&loop, UV_RUN_DEFAULT);
	ok(h.calls == 21, "after jobs_close every job is reported once (%d of 21)", h.calls);
	ok(h.cancelled >= 20, "superseded and running jobs as cancelled (%d)", h.cancelled);
	ok(uv_loop_close(&loop) == 0, "the loop closes: nothing is left behind");

	/* Closing with nothing pending frees at once. */
	uv_loop_init(&loop);
	jobs *k = jobs_new(&loop);
	jobs_close(k);
	uv_run(&loop, UV_RUN_DEFAULT);
	ok(uv_loop_close(&loop) == 0, "closing idle jobs leaves the loop empty");
	return tap_done();
}
