/* cmd_review.c - `sohoa review`: records whose type or fields need a
 * person (unknown type, a required field missing, a field read with low
 * confidence), worst first, from the store's review queue (a store from
 * before the queue, opened read-only, is read record by record). */
#include "cli.h"

#include "../fields/fields.h"
#include "../base/base.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sohoa review [--json] [--limit N] [--type T] [--batch B]\n"
	"                    [--problem missing|\"low confidence\"|\"readings disagree\"|\"unknown type\"]\n"
	"       sohoa review --scan [--json] [--limit N]\n"
	"  --scan   read every record instead of the queue (to check the queue)\n";

static const struct option options[] = {
	{ "json", no_argument, NULL, 'J' },
	{ "limit", required_argument, NULL, 'n' },
	{ "type", required_argument, NULL, 't' },
	{ "batch", required_argument, NULL, 'b' },
	{ "problem", required_argument, NULL, 'p' },
	{ "scan", no_argument, NULL, 's' },
	{ NULL, 0, NULL, 0 },
};

static int by_score(const void *a, const void *b)
{
	double x = json_number_value(json_object_get(*(json_t *const *)a, "score"));
	double y = json_number_value(json_object_get(*(json_t *const *)b, "score"));

	/* worst first, then by id: the queue's order */
	if (x != y)
		return (x < y) - (x > y);
	return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "id")),
		      json_string_value(json_object_get(*(json_t *const *)b, "id")));
}

static void print(const cli *c, json_t *out, size_t n)
{
	json_t *r, *p;
	size_t i, j;

	json_array_foreach(json_object_get(out, "records"), i, r) {
		printf("%s  %-9s ", json_string_value(json_object_get(r, "id")),
		       json_string_value(json_object_get(r, "type")));
		json_array_foreach(json_object_get(r, "problems"), j, p) {
			json_t *conf = json_object_get(p, "confidence");
			printf("%s%s %s", j ? "; " : "",
			       json_string_value(json_object_get(p, "field")),
			       json_string_value(json_object_get(p, "problem")));
			if (conf)
				printf(" (%.2f)", json_number_value(conf));
		}
		printf("\n");
	}
	if (n)
		cli_info(c, "%lld of %zu records need review",
			 (long long)json_integer_value(json_object_get(out, "total")), n);
	else
		cli_info(c, "%lld records need review",
			 (long long)json_integer_value(json_object_get(out, "total")));
}

/* Every record read and reviewed: a store without a queue. */
static int review_all(cli *c, store *s, long limit, json_t **outp, size_t *nrec)
{
	fields_rules *rules = NULL;
	json_t **items = NULL, *out;
	char **ids = NULL;
	size_t n = 0, k = 0;
	int unreadable = 0, code = EXIT_FAIL;

	if (fields_rules_load(c->cfg.rules, &rules)) {
		cli_error("%s", base_errmsg());
		return EXIT_FAIL;
	}
	if (store_list_ids(s, &ids, &n)) {
		cli_error("%s", base_errmsg());
		goto out;
	}
	items = calloc(n ? n : 1, sizeof(*items));
	for (size_t i = 0; items && i < n; i++) {
		json_t *meta = NULL, *problems;
		double score;
		if (store_record_get(s, ids[i], &meta, NULL)) {
			/* a damaged record is itself something to look at */
			cli_error("%s: cannot be read: %s", ids[i], base_errmsg());
			unreadable++;
			continue;
		}
		/* a record stored without OCR has nothing to review yet */
		if (json_is_null(json_object_get(meta, "type"))) {
			json_decref(meta);
			continue;
		}
		score = fields_review(rules, meta, c->cfg.review_below, &problems);
		if (score > 0)
			items[k++] = json_pack("{s:s, s:O, s:O?, s:f, s:o}", "id", ids[i],
					       "type", json_object_get(meta, "type"),
					       "batch", json_object_get(meta, "batch"),
					       "score", round(score * 100) / 100,
					       "problems", problems);
		else
			json_decref(problems);
		json_decref(meta);
	}
	qsort(items, k, sizeof(*items), by_score);
	out = json_pack("{s:I, s:[]}", "total", (json_int_t)k, "records");
	for (size_t i = 0; i < k; i++) {
		if (!limit || (long)i < limit)
			json_array_append(json_object_get(out, "records"), items[i]);
		json_decref(items[i]);
	}
	*outp = out;
	*nrec = n;
	code = unreadable ? EXIT_PROBLEMS : EXIT_OK;
out:
	free(items);
	store_ids_free(ids, n);
	fields_rules_destroy(&rules);
	return code;
}

int cmd_review(cli *c, int argc, char **argv)
{
	store_queue_filter f = { 0 };
	json_t *out = NULL;
	size_t n = 0;
	long limit = 0;
	store *s = NULL;
	int opt, json = 0, scan = 0, rc, code = EXIT_FAIL;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == 'J')
			json = 1;
		else if (opt == 'n' && (limit = atol(optarg)) > 0)
			;
		else if (opt == 't')
			f.type = optarg;
		else if (opt == 'b')
			f.batch = optarg;
		else if (opt == 'p')
			f.problem = optarg;
		else if (opt == 's')
			scan = 1;
		else
			return cli_usage(usage);
	}
	if (optind != argc || (scan && (f.type || f.batch || f.problem)))
		return cli_usage(usage);
	if (f.problem && strcmp(f.problem, "missing") && strcmp(f.problem, "low confidence") &&
	    strcmp(f.problem, "readings disagree") && strcmp(f.problem, "unknown type")) {
		cli_error("--problem: '%s' is not a problem", f.problem);
		return cli_usage(usage);
	}
	if (cli_store_open(c, 0, &s))
		return EXIT_FAIL;
	rc = scan ? BASE_ENOTFOUND : store_queue_list(s, &f, 0, (size_t)limit, &out);
	if (rc == BASE_ENOTFOUND && !f.type && !f.batch && !f.problem) {
		code = review_all(c, s, limit, &out, &n);
	} else if (rc) {
		cli_error("%s", base_errmsg());
	} else {
		json_t *st = NULL;
		json_object_del(out, "counts");
		if (store_stats(s, &st) == 0)
			n = (size_t)json_integer_value(json_object_get(st, "records"));
		json_decref(st);
		code = EXIT_OK;
	}
	if (out) {
		if (json)
			cli_print_json(out);
		else
			print(c, out, n);
	}
	json_decref(out);
	store_close(&s);
	return code;
}
