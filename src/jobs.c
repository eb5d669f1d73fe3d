/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Background jobs on libuv's threadpool, with generations and cancellation (see jobs.h). */
#include "jobs.h"

#include <stdarg.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define PROGRESS_SCALE 1000000u

/* One submitted job. The loop thread owns everything but the atomics and err (written by the worker
 * before it returns, read by the loop after libuv's after-work callback: libuv orders the two). */
struct jobs_ctx {
	uv_work_t req;
	jobs *j;
	int slot;
	unsigned gen;
	jobs_work_fn work;
	jobs_done_fn done;
	void *arg, *user;
	const char *what;
	atomic_uint progress; /* fraction * PROGRESS_SCALE */
	atomic_int cancelled; /* set by the loop thread: superseded, cancelled or closing */
	int rc;               /* what work returned */
	int failed_msg;       /* err holds a message */
	char err[256];
};

struct jobs {
	uv_loop_t *loop;
	unsigned next_gen;
	jobs_ctx *current[JOBS_SLOTS]; /* the slot's newest job until it is done */
	int pending;                   /* jobs whose done callback has not run */
	int closing;
};

jobs *jobs_new(uv_loop_t *loop)
{
	jobs *j = calloc(1, sizeof *j);
	if (j)
		j->loop = loop;
	return j;
}

void jobs_lower_priority(void)
{
#ifdef __linux__
	/* Linux gives each thread its own nice value: the pool's threads yield to the loop thread,
	 * which must answer keys however busy they are. Once per thread. */
	static _Thread_local int done;
	if (!done) {
		done = 1;
		setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), JOBS_NICE);
	}
#endif
}

static void work_cb(uv_work_t *req)
{
	jobs_ctx *c = req->data;
	jobs_lower_priority();
	c->rc = atomic_load(&c->cancelled) ? 1 : c->work(c, c->arg);
}

static void after_work_cb(uv_work_t *req, int status)
{
	jobs_ctx *c = req->data;
	jobs *j = c->j;
	int st;
	if (status == UV_ECANCELED || atomic_load(&c->cancelled))
		st = 1;
	else if (c->rc != 0)
		st = -1;
	else
		st = 0;
	if (j->current[c->slot] == c)
		j->current[c->slot] = NULL;
	j->pending--;
	const char *err = NULL;
	if (st == -1)
		err = c->failed_msg ? c->err : "failed (no reason given)";
	c->done(st, err, c->arg, c->user);
	free(c);
	if (j->closing && j->pending == 0)
		free(j);
}

unsigned jobs_submit(jobs *j, int slot, const char *what, jobs_work_fn work, jobs_done_fn done, void *arg,
                     void *user)
{
	if (slot < 0 || slot >= JOBS_SLOTS || j->closing) {
		done(-1, j->closing ? "shutting down" : "no such job slot", arg, user);
		return 0;
	}
	jobs_ctx *c = calloc(1, sizeof *c);
	if (!c) {
		done(-1, "out of memory", arg, user);
		return 0;
	}
	jobs_cancel(j, slot);
	if (++j->next_gen == 0)
		j->next_gen = 1;
	c->req.data = c;
	c->j = j;
	c->slot = slot;
	c->gen = j->next_gen;
	c->work = work;
	c->done = done;
	c->arg = arg;
	c->user = user;
	c->what = what;
	atomic_init(&c->progress, 0);
	atomic_init(&c->cancelled, 0);
	int rc = uv_queue_work(j->loop, &c->req, work_cb, after_work_cb);
	if (rc != 0) {
		free(c);
		char msg[128];
		snprintf(msg, sizeof msg, "cannot queue %s: %s", what, uv_strerror(rc));
		done(-1, msg, arg, user);
		return 0;
	}
	j->current[slot] = c;
	j->pending++;
	return c->gen;
}

int jobs_cancelled(const jobs_ctx *c)
{
	return atomic_load_explicit(&c->cancelled, memory_order_relaxed);
}

void jobs_progress(jobs_ctx *c, double fraction)
{
	if (!(fraction >= 0))
		fraction = 0;
	if (fraction > 1)
		fraction = 1;
	atomic_store_explicit(&c->progress, (unsigned)(fraction * PROGRESS_SCALE), memory_order_relaxed);
}

void jobs_fail(jobs_ctx *c, const char *fmt, ...)
{
	if (c->failed_msg)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof c->err, fmt, ap);
	va_end(ap);
	c->failed_msg = 1;
}

int jobs_busy(const jobs *j, int slot, const char **what, double *fraction)
{
	if (slot < 0 || slot >= JOBS_SLOTS || !j->current[slot])
		return 0;
	const jobs_ctx *c = j->current[slot];
	if (what)
		*what = c->what;
	if (fraction)
		*fraction = (double)atomic_load_explicit(&c->progress, memory_order_relaxed) / PROGRESS_SCALE;
	return 1;
}

int jobs_any_busy(const jobs *j, const char **what, double *fraction)
{
	for (int s = 0; s < JOBS_SLOTS; s++)
		if (jobs_busy(j, s, what, fraction))
			return 1;
	return 0;
}

int jobs_running(const jobs *j)
{
	return j->pending;
}

void jobs_cancel(jobs *j, int slot)
{
	if (slot < 0 || slot >= JOBS_SLOTS || !j->current[slot])
		return;
	jobs_ctx *c = j->current[slot];
	atomic_store(&c->cancelled, 1);
	/* Queued: it never starts (UV_EBUSY when it runs already: it polls). */
	uv_cancel((uv_req_t *)&c->req);
	j->current[slot] = NULL;
}

void jobs_close(jobs *j)
{
	if (!j || j->closing)
		return;
	j->closing = 1;
	for (int s = 0; s < JOBS_SLOTS; s++)
		jobs_cancel(j, s);
	if (j->pending == 0)
		free(j);
}
