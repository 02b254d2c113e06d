/* cmd_review.c - `sohoa review`: records whose type or fields need a
 * person (unknown type, a required field missing, a field read with low
 * confidence), worst first. */
#include "cli.h"

#include "fields/fields.h"
#include "sh/sh.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "usage: sohoa review [--json] [--limit N]\n";

static const struct option options[] = {
	{ "json", no_argument, NULL, 'J' },
	{ "limit", required_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 },
};

static int by_score(const void *a, const void *b)
{
	double x = json_number_value(json_object_get(*(json_t *const *)a, "score"));
	double y = json_number_value(json_object_get(*(json_t *const *)b, "score"));

	return (x < y) - (x > y);
}

int cmd_review(cli *c, int argc, char **argv)
{
	fields_rules *rules = NULL;
	json_t **items = NULL, *out;
	char **ids = NULL;
	size_t n = 0, k = 0;
	long limit = 0;
	store *s = NULL;
	int opt, json = 0, unreadable = 0, code = EXIT_FAIL;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == 'J')
			json = 1;
		else if (opt == 'n' && (limit = atol(optarg)) > 0)
			;
		else
			return cli_usage(usage);
	}
	if (optind != argc)
		return cli_usage(usage);
	if (fields_rules_load(c->cfg.rules, &rules)) {
		cli_error("%s", sh_errmsg());
		return EXIT_FAIL;
	}
	if (cli_store_open(c, 0, &s))
		goto out;
	if (store_list_ids(s, &ids, &n)) {
		cli_error("%s", sh_errmsg());
		goto out;
	}
	items = calloc(n ? n : 1, sizeof(*items));
	for (size_t i = 0; items && i < n; i++) {
		json_t *meta = NULL, *problems;
		double score;
		if (store_record_get(s, ids[i], &meta, NULL)) {
			/* a damaged record is itself something to look at */
			cli_error("%s: cannot be read: %s", ids[i], sh_errmsg());
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
			items[k++] = json_pack("{s:s, s:O, s:f, s:o}", "id", ids[i],
					       "type", json_object_get(meta, "type"),
					       "score", score, "problems", problems);
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
	if (json) {
		cli_print_json(out);
	} else {
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
		cli_info(c, "%zu of %zu records need review", k, n);
	}
	json_decref(out);
	code = unreadable ? EXIT_PROBLEMS : EXIT_OK;
out:
	free(items);
	store_ids_free(ids, n);
	store_close(&s);
	fields_rules_destroy(&rules);
	return code;
}
