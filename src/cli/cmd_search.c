/* cmd_search.c - `sohoa search`: the query language over the index, as
 * text for a person or --json for scripts (and for `serve`). */
#include "cli.h"

#include "../records/records.h"
#include "../base/base.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sohoa search [--json] [--limit N] QUERY...\n"
	"  words (all required), \"a phrase\", field:value, field:\"a phrase\",\n"
	"  dates as ngay_sinh:1985, ngay_dang_ky:1990..1995, -word to exclude\n";

static const struct option options[] = {
	{ "json", no_argument, NULL, 'J' },
	{ "limit", required_argument, NULL, 'n' },
	{ NULL, 0, NULL, 0 },
};

static void print_value(json_t *v)
{
	size_t i;
	json_t *e;

	if (json_is_string(v)) {
		fputs(json_string_value(v), stdout);
		return;
	}
	json_array_foreach(v, i, e)
		printf("%s%s", i ? ", " : "", json_string_value(e));
}

static void print_hits(json_t *res)
{
	json_t *h, *v;
	const char *k;
	size_t i;

	json_array_foreach(json_object_get(res, "hits"), i, h) {
		json_t *type = json_object_get(h, "type");
		printf("%s  %-9s %6.2f%s ", json_string_value(json_object_get(h, "id")),
		       json_is_string(type) ? json_string_value(type) : "unknown",
		       json_real_value(json_object_get(h, "score")),
		       json_is_true(json_object_get(h, "partial")) ? "+"
		       : json_is_true(json_object_get(h, "fuzzy")) ? "~" : " ");
		int first = 1;
		json_object_foreach(json_object_get(h, "fields"), k, v) {
			printf("%s%s=", first ? " " : "  ", k);
			print_value(v);
			first = 0;
		}
		if (json_is_true(json_object_get(h, "partial")))
			printf("  (without '%s')", json_string_value(json_array_get(
				json_object_get(h, "lacking"), 0)));
		printf("\n    %s\n", json_string_value(json_object_get(h, "snippet")));
	}
}

int cmd_search(cli *c, int argc, char **argv)
{
	int json = 0, opt, rc, code;
	long limit = c->cfg.search_limit;
	char query[1026], *end;
	store *s = NULL;
	json_t *res;

	while ((opt = getopt_long(argc, argv, "+", options, NULL)) != -1) {
		switch (opt) {
		case 'J': json = 1; break;
		case 'n':
			limit = strtol(optarg, &end, 10);
			if (*end || limit < 1 || limit > 10000) {
				cli_error("--limit wants a number from 1 to 10000, "
					  "not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		default: return cli_usage(usage);
		}
	}
	if (optind >= argc)
		return cli_usage(usage);
	code = cli_query_join(argv + optind, argc - optind, query, sizeof(query));
	if (code == EXIT_OK)
		code = cli_store_open(c, 0, &s);
	if (code)
		return code;
	rc = records_search(s, cli_catalogue(c), &c->cfg.search, query,
			    (size_t)limit, &res);
	store_close(&s);
	if (rc) {
		cli_error("%s", base_errmsg());
		return cli_exit_for(rc);
	}
	if (json)
		cli_print_json(res);
	else
		print_hits(res);
	fflush(stdout); /* the hits, then the count after them */
	json_int_t total = json_integer_value(json_object_get(res, "total"));
	json_int_t partial = json_integer_value(json_object_get(res, "partial"));
	cli_info(c, "%lld record%s match%s%s", (long long)total,
		 total == 1 ? "" : "s", total == 1 ? "es" : "",
		 json_is_true(json_object_get(res, "fuzzy"))
		 ? " (near spellings included, marked ~)" : "");
	if (partial)
		cli_info(c, "%lld more hold all the words but one (marked +, "
			 "below the full matches)", (long long)partial);
	json_decref(res);
	return EXIT_OK;
}
