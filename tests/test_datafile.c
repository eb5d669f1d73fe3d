/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Measured data files: the shipped data sets read as published, every malformed file is refused with
 * its FILE:LINE, rows land on the right curves, and the paper's cortical-slices set scores the chi^2
 * its own fit had. Usage: test_datafile [DATA_DIR] (default $CALCIUM_STDP_DATA, then "data"). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analytic.h"
#include "datafile.h"
#include "paper_sets.h"
#include "tap.h"

static char tmpdir[512], data_dir[512];

static const paper_set *paper(const char *name)
{
	for (int i = 0; i < PAPER_SETS; i++)
		if (strcmp(paper_sets[i].name, name) == 0)
			return &paper_sets[i];
	return NULL;
}

/* Write text to a temporary file and load it; the message (or "") in err. */
static int load_text(const char *name, const char *text, datafile *d, char *err, size_t errlen, char *path,
                     size_t plen)
{
	snprintf(path, plen, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		return -2;
	fputs(text, f);
	fclose(f);
	err[0] = 0;
	return datafile_load(path, d, err, errlen);
}

/* The file is refused with exactly "PATH:LINE: want" (or "PATH: want" when line is 0). */
static void refused(const char *name, const char *text, int line, const char *want)
{
	datafile d;
	char err[1024], path[700], full[1400];
	int rc = load_text(name, text, &d, err, sizeof err, path, sizeof path);
	if (line)
		snprintf(full, sizeof full, "%s:%d: %s", path, line, want);
	else
		snprintf(full, sizeof full, "%s: %s", path, want);
	ok(rc == -1 && d.n == 0 && d.rows == NULL, "%s: refused, nothing kept", name);
	is_str(err, full, "%s: the message names the file, the line and the problem", name);
	unlink(path);
}

static void bad_files(void)
{
	refused("missing-sem.csv", "# a source\ndt_ms,change\n10,1.2\n", 2,
	        "missing column 'sem' (the header needs change and sem)");
	refused("missing-change.csv", "dt_ms,sem\n10,0.1\n", 1,
	        "missing column 'change' (the header needs change and sem)");
	refused("nan.csv", "dt_ms,change,sem\n10,1.2,0.1\n\n# comment\n20,abc,0.1\n", 5,
	        "change: 'abc' is not a number");
	refused("trailing.csv", "dt_ms,change,sem\n10,1.2,0.1ms\n", 2, "sem: '0.1ms' is not a number");
	refused("empty-field.csv", "dt_ms,change,sem\n10,,0.1\n", 2, "change: '' is not a number");
	refused("inf.csv", "dt_ms,change,sem\n10,inf,0.1\n", 2, "change: 'inf' is not a number");
	refused("negative-sem.csv", "dt_ms,change,sem\n10,1.2,-0.1\n", 2,
	        "sem: -0.1 must be greater than 0 (a standard error)");
	refused("zero-sem.csv", "dt_ms,change,sem\n10,1.2,0.1\n-10,0.8,0\n", 3,
	        "sem: 0 must be greater than 0 (a standard error)");
	refused("no-rows.csv", "# only a header\ndt_ms,change,sem\n\n", 0,
	        "no rows: the file has a header but no measurements");
	refused("empty.csv", "# nothing at all\n", 0, "no header line (expected e.g. dt_ms,change,sem)");
	refused("fields.csv", "dt_ms,change,sem\n10,1.2\n", 2, "2 fields where the header has 3 columns");
	refused("unknown.csv", "dt_ms,change,sem,colour\n10,1.2,0.1,3\n", 1,
	        "unknown column 'colour': the columns are change, sem, dt_ms and protocol parameters such as "
	        "freq_hz or pairs");
	refused("model-column.csv", "theta_p,change,sem\n1.3,1.2,0.1\n", 1,
	        "column 'theta_p' cannot vary between rows: only change, sem, dt_ms and protocol parameters "
	        "such as freq_hz or pairs can be columns");
	refused("twice.csv", "dt_ms,change,sem,dt_ms\n10,1.2,0.1,10\n", 1, "column 'dt_ms' appears twice");
	refused("pairs-range.csv", "dt_ms,change,sem,pairs\n10,1.2,0.1,2.5\n", 2,
	        "pairs: 2.5 is out of range: pairs must be a whole number from 1 to 1000");
	refused("change-zero.csv", "dt_ms,change,sem\n10,0,0.1\n", 2,
	        "change: 0 is not a change in strength (after/before > 0)");
	char path[700];
	snprintf(path, sizeof path, "%s/absent.csv", tmpdir);
	datafile d;
	char err[1024], want[1400];
	snprintf(want, sizeof want, "%s: cannot open: %s", path, strerror(ENOENT));
	is_str(datafile_load(path, &d, err, sizeof err) == -1 ? err : NULL, want,
	       "a missing file is refused");
}

static void plain_curve(void)
{
	datafile d;
	char err[1024], path[700];
	int rc = load_text("curve.csv",
	                   "# my lab, 2026\r\n dt_ms , change , sem \r\n-20,0.8,0.05\r\n10,1.2,0.1\r\n", &d,
	                   err, sizeof err, path, sizeof path);
	ok(rc == 0, "a plain dt_ms,change,sem file with CRLF and blanks loads (%s)", err);
	if (rc)
		return;
	ok(d.n == 2 && d.rows[1].line == 4 && d.rows[1].dt_ms == 10 && d.rows[1].change == 1.2 &&
	       d.rows[1].sem == 0.1,
	   "its rows, with their lines");
	is_str(d.name, "curve", "named after the file");
	is_str(d.source, "my lab, 2026", "the first comment is the source");
	ok(isnan(d.rows[0].v[P_FREQ_HZ]), "a column the file lacks is left to the parameter set");
	param_set p, q;
	paper_set_params(paper("DP"), &p);
	double x, dt;
	ok(datafile_row_on_curve(&d, 0, &p, &x) && x == -20, "a pairs row sits on the pairs curve at its dt");
	p.v[P_DT_MIN_MS] = 0;
	ok(!datafile_row_on_curve(&d, 0, &p, &x), "... and not when the curve does not reach its dt");
	ok(datafile_row_point(&d, 1, &p, &q, &dt) == 0 && dt == 10 && q.v[P_FREQ_HZ] == p.v[P_FREQ_HZ],
	   "the row takes the set's frequency");
	analytic_point a;
	analytic_pair(&p, 10, &a);
	is_near(datafile_row_analytic(&d, 1, &p), a.change, 1e-15,
	        "its analytic change is the curve's at +10 ms");
	p.v[P_PROTOCOL] = PROTO_POISSON;
	ok(datafile_row_point(&d, 1, &p, &q, &dt) == -1 && isnan(datafile_row_analytic(&d, 1, &p)) &&
	       !datafile_row_on_curve(&d, 1, &p, &x),
	   "poisson curves have no place for pairing rows");
	datafile_free(&d);
	unlink(path);
}

static void sjostrom(void)
{
	char path[700], err[1024];
	snprintf(path, sizeof path, "%s/sjostrom2001-frequency.csv", data_dir);
	datafile d;
	int rc = datafile_load(path, &d, err, sizeof err);
	ok(rc == 0 && d.n == 10, "the Sjostrom et al. (2001) data: 10 rows (%s)", rc ? err : "");
	if (rc)
		return;
	ok(strstr(d.source, "Sjostrom") || strstr(d.source, "visual cortex"), "with its source");
	/* model.md section 5: (0.1 Hz, +10 ms, change - 1 = -0.04, SEM 0.05) first, (50, -10, 0.75, 0.19)
	 * last. */
	ok(d.rows[0].v[P_FREQ_HZ] == 0.1 && d.rows[0].dt_ms == 10 && d.rows[0].change == 0.96 &&
	       d.rows[0].sem == 0.05,
	   "first row as published");
	ok(d.rows[9].v[P_FREQ_HZ] == 50 && d.rows[9].dt_ms == -10 && d.rows[9].change == 1.75 &&
	       d.rows[9].sem == 0.19,
	   "last row as published");
	param_set p;
	paper_set_params(paper("cortical-slices"), &p);
	p.v[P_PROTOCOL] = PROTO_FREQUENCY;
	p.v[P_FIXED_DT_MS] = 10;
	p.v[P_FREQ_MIN_HZ] = 1;
	p.v[P_FREQ_MAX_HZ] = 50;
	/* model.md section 6, Fig. 4A: 1.25302 at 20 Hz, +10 ms; 0.63485 at 20 Hz, -10 ms. */
	is_near(datafile_row_analytic(&d, 4, &p), 1.25302, 5e-6, "20 Hz, +10 ms: the paper's analytic value");
	is_near(datafile_row_analytic(&d, 5, &p), 0.63485, 5e-6, "20 Hz, -10 ms: the paper's analytic value");
	int on = 0;
	double x;
	for (int i = 0; i < d.n; i++)
		on += datafile_row_on_curve(&d, i, &p, &x);
	ok(on == 4, "on the +10 ms curve from 1 to 50 Hz: 4 rows (10, 20, 40, 50 Hz), not %d", on);
	ok(datafile_row_on_curve(&d, 2, &p, &x) && x == 10, "the 10 Hz row at x = 10 Hz");
	double px[10], py[10], plo[10], phi[10];
	ok(datafile_points(&d, &p, px, py, plo, phi) == 4 && px[0] == 10 && py[0] == 1.14 &&
	       plo[0] == 1.14 - 0.10 && phi[3] == 1.56 + 0.26,
	   "the points to draw: x, change and change -+ sem");
	p.v[P_FIXED_DT_MS] = -10;
	p.v[P_FREQ_MIN_HZ] = 0.1;
	ok(datafile_points(&d, &p, px, py, plo, phi) == 5 && px[0] == 0.1 && py[0] == 0.71,
	   "at -10 ms from 0.1 Hz: the five -10 ms rows");
	/* The paper's fit: chi^2 5.19 over the ten points by the analytic curve. */
	is_near(datafile_chi2(&d, &p), 5.19, 0.01, "the paper's cortical-slices set: chi^2 5.19");
	datafile_free(&d);

	snprintf(path, sizeof path, "%s/markram1997-frequency.csv", data_dir);
	rc = datafile_load(path, &d, err, sizeof err);
	ok(rc == 0 && d.n == 7 && d.rows[3].dt_ms == -10, "the Markram et al. (1997) data: 7 rows (%s)",
	   rc ? err : "");
	if (rc == 0)
		datafile_free(&d);
}

/* Files that are not data files are refused before anything is read (a device that never ends, a FIFO
 * without a writer); a byte order mark and CR line endings are read. */
static void loader_checks(void)
{
	datafile d;
	char err[1024], path[700];
	ok(datafile_load("/dev/zero", &d, err, sizeof err) == -1 && strstr(err, "not a regular file"),
	   "/dev/zero is refused: %s", err);
	snprintf(path, sizeof path, "%s/fifo.csv", tmpdir);
	if (mkfifo(path, 0600) == 0) {
		ok(datafile_load(path, &d, err, sizeof err) == -1 && strstr(err, "not a regular file"),
		   "a FIFO is refused without waiting for a writer: %s", err);
		unlink(path);
	}
	ok(datafile_load(tmpdir, &d, err, sizeof err) == -1 && strstr(err, "directory"),
	   "a directory is refused: %s", err);
	static const char *const texts[] = {
	    "\xef\xbb\xbf# source\r\ndt_ms,change,sem\r\n10,1.2,0.1\r\n-10,0.8,0.2\r\n",
	    "# source\rdt_ms,change,sem\r10,1.2,0.1\r-10,0.8,0.2\r"};
	for (int k = 0; k < 2; k++) {
		int rc = load_text("lines.csv", texts[k], &d, err, sizeof err, path, sizeof path);
		ok(rc == 0 && d.n == 2 && d.rows[1].line == 4 && d.rows[1].sem == 0.2 &&
		       strcmp(d.source, "source") == 0,
		   "%s: read, 2 rows, the second on line 4 (%s)", k ? "CR line endings" : "a BOM and CR LF",
		   err);
		if (rc == 0)
			datafile_free(&d);
		unlink(path);
	}
}

int main(int argc, char **argv)
{
	const char *dd = argc > 1 ? argv[1] : getenv("CALCIUM_STDP_DATA");
	snprintf(data_dir, sizeof data_dir, "%s", dd && dd[0] ? dd : "data");
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%.400s/test_datafile.XXXXXX", t && t[0] ? t : "/tmp");
	if (!mkdtemp(tmpdir)) {
		printf("Bail out! mkdtemp %s: %s\n", tmpdir, strerror(errno));
		return 1;
	}
	bad_files();
	loader_checks();
	plain_curve();
	sjostrom();
	rmdir(tmpdir);
	return tap_done();
}
