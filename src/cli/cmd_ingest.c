/* cmd_ingest.c - `sohoa ingest`: a scan batch into the store, with a
 * progress line, a summary on stderr and a JSON report. */
#include "cli.h"

#include "../ingest/ingest.h"
#include "../base/base.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
	"usage: sohoa ingest [-j N] [--report FILE.json|DIR/] [--progress] PATH...\n"
	"       sohoa ingest --nightly [-j N]\n"
	"       sohoa ingest --list FILE [--shard I/N] [-j N] [--report ...]\n"
	"  -j N            parallel workers (default: config, else cores)\n"
	"  --report FILE   write the batch report as JSON (into DIR/BATCH.json\n"
	"                  when FILE is a folder)\n"
	"  --progress      draw the progress line even when not a terminal\n"
	"  --nightly       the folders of [nightly] inbox, the report into\n"
	"                  [nightly] reports (what sohoa-nightly.service runs)\n"
	"  --list FILE     the files of a batch's list (sohoa cluster submit's)\n"
	"  --shard I/N     only share I (from 0) of N of the list, into a store\n"
	"                  marked as that shard (for sohoa merge)\n";

static const struct option options[] = {
	{ "jobs", required_argument, NULL, 'j' },
	{ "report", required_argument, NULL, 'r' },
	{ "progress", no_argument, NULL, 'p' },
	{ "nightly", no_argument, NULL, 'n' },
	{ "list", required_argument, NULL, 'l' },
	{ "shard", required_argument, NULL, 'S' },
	{ NULL, 0, NULL, 0 },
};

struct progress {
	int tty, forced;
	double last;
};

/* A few redraws a second on a terminal; a plain line a second when
 * --progress is given and stderr is a file or pipe. */
static void show_progress(void *ctx, const ingest_progress *p)
{
	struct progress *pg = ctx;
	double now = base_monotonic(), rate, eta;
	int last = p->done == p->total;

	if (!pg->tty && !pg->forced)
		return;
	if (!last && now - pg->last < (pg->tty ? 0.25 : 1.0))
		return;
	pg->last = now;
	rate = p->seconds > 0 ? (double)p->done / p->seconds : 0;
	eta = rate > 0 ? (double)(p->total - p->done) / rate : 0;
	fprintf(stderr, "%singest: %zu/%zu files, %ld pages, %zu rejected, "
		"%.1f files/s, ETA %.0fs%s", pg->tty ? "\r\033[K" : "",
		p->done, p->total, p->pages, p->rejected, rate, eta,
		pg->tty && !last ? "" : "\n");
}

static void summarize(const cli *c, json_t *report)
{
	json_t *files = json_object_get(report, "files"), *f;
	size_t i;

	cli_info(c, "batch %s: %lld files: %lld stored, %lld duplicate, "
		 "%lld rejected; %lld pages in %.1f s",
		 json_string_value(json_object_get(report, "batch")),
		 json_integer_value(json_object_get(report, "total")),
		 json_integer_value(json_object_get(report, "stored")),
		 json_integer_value(json_object_get(report, "duplicates")),
		 json_integer_value(json_object_get(report, "rejected")),
		 json_integer_value(json_object_get(report, "pages")),
		 json_real_value(json_object_get(report, "seconds")));
	json_array_foreach(files, i, f) {
		const char *st = json_string_value(json_object_get(f, "status"));
		if (st && !strcmp(st, "rejected"))
			cli_error("rejected '%s': %s",
				  json_string_value(json_object_get(f, "path")),
				  json_string_value(json_object_get(f, "reason")));
	}
}

/* The report into path, or into path/BATCH.json when path is a folder
 * (written atomically either way). */
static int write_report(const char *path, json_t *report)
{
	char *text = json_dumps(report, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	char into[4200];
	struct stat st;
	int rc;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(into, sizeof(into), "%s/%s.json", path,
			 json_string_value(json_object_get(report, "batch")));
		path = into;
	}
	if (!text) {
		cli_error("cannot encode the report");
		return -1;
	}
	rc = base_write_file_atomic(path, text, strlen(text));
	free(text);
	if (rc)
		cli_error("%s", base_errmsg());
	return rc;
}

/* --nightly: the configured inbox folders into inbox (none is a
 * setting to make), the reports folder made, and the report written
 * there unless --report says where. An exit code. */
static int nightly_setup(cli *c, char **inbox, int *ninbox,
			 const char **report_path)
{
	char *save = NULL;

	for (char *t = strtok_r(c->cfg.nightly_inbox, " ", &save); t && *ninbox < 64;
	     t = strtok_r(NULL, " ", &save))
		inbox[(*ninbox)++] = t;
	if (!*ninbox) {
		cli_error("--nightly: no [nightly] inbox in the configuration%s%s",
			  c->cfg.loaded_from[0] ? " " : "", c->cfg.loaded_from);
		return EXIT_USAGE;
	}
	if (mkdir(c->cfg.nightly_reports, 0750) && errno != EEXIST) {
		cli_error("cannot make the reports folder '%s': %s",
			  c->cfg.nightly_reports, strerror(errno));
		return EXIT_FAIL;
	}
	if (!*report_path)
		*report_path = c->cfg.nightly_reports;
	return EXIT_OK;
}

/* --shard I/N into *index and *of; an exit code. */
static int shard_arg(const char *arg, int *index, int *of)
{
	char tail;

	if (sscanf(arg, "%d/%d%c", index, of, &tail) != 2 || *of < 1 ||
	    *of > 100000 || *index < 0 || *index >= *of) {
		cli_error("--shard wants I/N with 0 <= I < N, not '%s'", arg);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* The files of --list, and of its shard when --shard is given (the
 * store marked as that shard): an exit code. */
static int listed(store *s, const char *path, int index, int of,
		  char ***files, size_t *count)
{
	ingest_list l;
	ingest_shard sh;

	if (ingest_list_read(path, &l)) {
		cli_error("%s", base_errmsg());
		return EXIT_FAIL;
	}
	if (of > 0 && (ingest_shard_of(&l, index, of, &sh) ||
		       ingest_shard_mark(s, &sh))) {
		cli_error("%s", base_errmsg());
		ingest_list_free(&l);
		return EXIT_FAIL;
	}
	/* the list's files become the caller's */
	*files = l.files;
	*count = l.count;
	l.files = NULL;
	l.count = 0;
	ingest_list_free(&l);
	if (of < 1)
		return EXIT_OK;
	/* the shard's share moved to the front, the rest freed */
	for (size_t i = 0; i < *count; i++) {
		if (i < sh.first || i >= sh.first + sh.count)
			free((*files)[i]);
		else
			(*files)[i - sh.first] = (*files)[i];
	}
	*count = sh.count;
	return EXIT_OK;
}

/* The batch run, interruptible, its report summed up and written: the
 * exit code (EXIT_PROBLEMS when a file was rejected). */
static int run(cli *c, store *s, char **files, size_t count,
	       const ingest_opts *o, const char *report_path)
{
	json_t *report = NULL;
	int rc, report_failed = 0, code;

	cli_interrupt(1);
	rc = ingest_run(s, files, count, o, &report);
	cli_interrupt(0);
	if (report) {
		summarize(c, report);
		if (report_path && write_report(report_path, report))
			report_failed = 1;
	}
	if (rc == BASE_ECANCELED)
		cli_error("%s; run the same command again to finish it",
			  base_errmsg());
	else if (rc)
		cli_error("%s", base_errmsg());
	if (rc || report_failed)
		code = EXIT_FAIL;
	else
		code = json_integer_value(json_object_get(report, "rejected"))
			? EXIT_PROBLEMS : EXIT_OK;
	json_decref(report);
	return code;
}

int cmd_ingest(cli *c, int argc, char **argv)
{
	const char *report_path = NULL, *list = NULL;
	struct progress pg = { isatty(STDERR_FILENO), 0, 0 };
	ingest_opts o = { 0 };
	ocr_opts ocr = { 0 };
	char **files = NULL;
	size_t count = 0;
	store *s = NULL;
	int opt, rc, code = EXIT_FAIL, nightly = 0, shard = -1, of = 0;
	char *inbox[64];
	int ninbox = 0;

	o.jobs = c->cfg.jobs;
	while ((opt = getopt_long(argc, argv, "j:", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			o.jobs = atoi(optarg);
			if (o.jobs < 1 || o.jobs > 256) {
				cli_error("-j wants 1..256 workers, not '%s'",
					  optarg);
				return EXIT_USAGE;
			}
			break;
		case 'r': report_path = optarg; break;
		case 'p': pg.forced = 1; break;
		case 'n': nightly = 1; break;
		case 'l': list = optarg; break;
		case 'S':
			if ((code = shard_arg(optarg, &shard, &of)))
				return code;
			break;
		default: return cli_usage(usage);
		}
	}
	if ((nightly && optind < argc) || (list && (nightly || optind < argc)) ||
	    (of && !list))
		return cli_usage(usage);
	if (nightly && (code = nightly_setup(c, inbox, &ninbox, &report_path)))
		return code;
	if (!nightly && !list && optind >= argc)
		return cli_usage(usage);
	if (c->verbosity < 0 && !pg.forced)
		pg.tty = 0;
	o.zstd_level = c->cfg.zstd_level;
	o.limits.max_side = c->cfg.max_side;
	o.limits.max_megapixels = c->cfg.max_megapixels;
	o.limits.max_file_bytes = c->cfg.max_file_bytes;
	o.progress = show_progress;
	o.progress_ctx = &pg;
	o.cancel = cli_interrupt(0);
	/* with OCR the rules must load (they do before a store is made) */
	if (cli_store_open_write(c, 1, c->cfg.ocr, &s))
		return EXIT_FAIL;
	if (c->cfg.ocr) {
		cli_ocr_opts(c, &ocr);
		o.ocr = &ocr;
		o.rules = c->rules;
		o.review_below = c->cfg.review_below;
	}
	rc = store_writer_lock(s);
	if (rc) {
		cli_error("%s", base_errmsg());
		goto out;
	}
	if (list) {
		if ((code = listed(s, list, shard, of, &files, &count)))
			goto out;
		code = EXIT_FAIL;
		rc = 0;
	} else {
		rc = nightly ? ingest_collect(inbox, ninbox, &files, &count)
			     : ingest_collect(argv + optind, argc - optind, &files,
					      &count);
	}
	if (rc) {
		cli_error("%s", base_errmsg());
		goto out;
	}
	code = run(c, s, files, count, &o, report_path);
out:
	ingest_files_free(files, count);
	store_close(&s);
	return code;
}
