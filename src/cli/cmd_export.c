/* cmd_export.c - `sohoa export`: the records a query selects (or those
 * never exported, or all) as one BagIt bag, one E-ARK CSIP package
 * (--format csip) or the civil-status import (--format hotich). */
#include "cli.h"

#include "../export/export.h"
#include "../base/base.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char usage[] =
	"usage: sohoa export --out DIR [--format bag|csip|hotich] [--package sip|aip|dip]\n"
	"                    [--bag] [--new] [--json] [--progress] [QUERY...]\n"
	"  --out DIR     the folder to write; it must not exist\n"
	"  --format F    bag: a BagIt bag (default); csip: an E-ARK CSIP\n"
	"                information package; hotich: a PDF/A a registration and\n"
	"                a spreadsheet a register book, for the civil-status import\n"
	"  --package P   csip: SIP (default), AIP or DIP\n"
	"  --bag         csip: the package inside a BagIt bag\n"
	"  --new         only records not exported before\n"
	"  QUERY         a search (see `sohoa search`); none: every record\n"
	"  --json        the summary as JSON on stdout\n"
	"  --progress    draw the progress line even when not a terminal\n";

static const struct option options[] = {
	{ "out", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, 'F' },
	{ "package", required_argument, NULL, 'P' },
	{ "bag", no_argument, NULL, 'B' },
	{ "new", no_argument, NULL, 'N' },
	{ "json", no_argument, NULL, 'J' },
	{ "progress", no_argument, NULL, 'p' },
	{ NULL, 0, NULL, 0 },
};

struct progress {
	int on;
	double last;
};

static void show_progress(void *ctx, size_t done, size_t total)
{
	struct progress *pg = ctx;
	double now = base_monotonic();

	if (!pg->on || (done < total && now - pg->last < 0.5))
		return;
	pg->last = now;
	fprintf(stderr, "%sexport: %zu/%zu records%s", isatty(2) ? "\r\033[K"
		: "", done, total, isatty(2) && done < total ? "" : "\n");
}

static int by_id(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ids a query selects, every one of them, in id order. */
static int select_query(const cli *c, store *s, const char *query,
			char ***ids, size_t *n)
{
	index_query *q;
	index_result *r = NULL;
	json_t *st;
	int rc = index_query_parse(store_schema(s), query, &q);

	*ids = NULL;
	*n = 0;
	if (rc == 0)
		rc = store_stats(s, &st);
	if (rc == 0) {
		size_t all = (size_t)json_integer_value(json_object_get(st,
							"records"));
		json_decref(st);
		rc = store_search(s, q, &c->cfg.search, all ? all : 1, &r);
	}
	index_query_free(&q);
	if (rc)
		return rc;
	*ids = calloc(r->n + 1, sizeof(**ids));
	for (size_t i = 0; *ids && i < r->n; i++)
		(*ids)[(*n)++] = strdup(r->hits[i].id);
	index_result_free(&r);
	qsort(*ids, *n, sizeof(**ids), by_id);
	return 0;
}

/* Keeps the ids whose records were never exported. */
static void keep_new(store *s, char **ids, size_t *n)
{
	size_t k = 0;

	for (size_t i = 0; i < *n; i++) {
		json_t *meta = NULL;
		int fresh = store_record_get(s, ids[i], &meta, NULL) == 0 &&
			    !json_object_get(meta, "exported");
		json_decref(meta);
		if (fresh)
			ids[k++] = ids[i];
		else
			free(ids[i]);
	}
	*n = k;
}

int cmd_export(cli *c, int argc, char **argv)
{
	export_opts o = { 0 };
	struct progress pg = { isatty(2), 0 };
	int json = 0, fresh = 0, opt, rc, code;
	const char *format = "bag";
	char kind[8] = "SIP";
	char query[1026], sel[1100];
	size_t n = 0;
	char **ids = NULL;
	store *s = NULL;
	json_t *sum;

	while ((opt = getopt_long(argc, argv, "+", options, NULL)) != -1) {
		switch (opt) {
		case 'o': o.out = optarg; break;
		case 'F': format = optarg; break;
		case 'B': o.bag = 1; break;
		case 'P':
			if (strcasecmp(optarg, "sip") && strcasecmp(optarg, "aip") &&
			    strcasecmp(optarg, "dip")) {
				cli_error("--package '%s': sip, aip or dip", optarg);
				return EXIT_USAGE;
			}
			for (int i = 0; i < 3; i++)
				kind[i] = (char)toupper((unsigned char)optarg[i]);
			break;
		case 'N': fresh = 1; break;
		case 'J': json = 1; break;
		case 'p': pg.on = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (!o.out)
		return cli_usage(usage);
	if (strcmp(format, "bag") && strcmp(format, "csip") && strcmp(format, "hotich")) {
		cli_error("--format '%s': bag, csip or hotich", format);
		return EXIT_USAGE;
	}
	if (o.bag && strcmp(format, "csip")) {
		cli_error("--bag is for --format csip (a bag is the default format)");
		return EXIT_USAGE;
	}
	o.package = kind;
	o.settings = c->cfg.exports;
	o.schemas = c->cfg.schemas;
	o.review_below = c->cfg.review_below;
	code = cli_query_join(argv + optind, argc - optind, query, sizeof(query));
	if (code)
		return code;
	/* the columns and names every format writes, before the store */
	if (!(o.catalogue = cli_catalogue(c))) {
		cli_error("cannot export without the field catalogue: %s", base_errmsg());
		return EXIT_FAIL;
	}
	code = cli_store_open_write(c, 0, !strcmp(format, "hotich"), &s);
	if (code)
		return code;
	rc = *query ? select_query(c, s, query, &ids, &n)
		    : store_list_ids(s, &ids, &n);
	if (rc == 0 && fresh)
		keep_new(s, ids, &n);
	if (rc == 0 && n == 0) {
		cli_error("no records to export%s", fresh ? " (none is new)" : "");
		store_ids_free(ids, n);
		store_close(&s);
		return EXIT_FAIL;
	}
	snprintf(sel, sizeof(sel), "%s%s%s", *query ? query : "",
		 *query && fresh ? " " : "", fresh ? "--new" : *query ? "" : "all");
	o.selection = sel;
	o.organization = c->cfg.organization;
	o.rules = c->rules;
	o.progress = show_progress;
	o.progress_ctx = &pg;
	if (rc == 0)
		rc = !strcmp(format, "csip") ? export_csip(s, ids, n, &o, &sum)
		   : !strcmp(format, "hotich") ? export_hotich(s, ids, n, &o, &sum)
		   : export_bag(s, ids, n, &o, &sum);
	/* the access log's entry came with the records' marks */
	store_ids_free(ids, n);
	store_close(&s);
	if (rc) {
		cli_error("%s", base_errmsg());
		return rc == BASE_EEXIST ? EXIT_USAGE : cli_exit_for(rc);
	}
	if (json)
		cli_print_json(sum);
	cli_info(c, "%s '%s': %lld records, %lld files, %lld bytes%s in %.1f s",
		 !strcmp(format, "csip") ? (o.bag ? "package in a bag" : "package")
		 : !strcmp(format, "hotich") ? "civil-status import" : "bag", o.out,
		 json_integer_value(json_object_get(sum, "records")),
		 json_integer_value(json_object_get(sum, "files")),
		 json_integer_value(json_object_get(sum, "bytes")),
		 !strcmp(format, "bag") ? " of payload" : "",
		 json_real_value(json_object_get(sum, "seconds")));
	json_decref(sum);
	return EXIT_OK;
}
