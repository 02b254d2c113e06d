/* cmd_merge.c - `sohoa merge`: the shard stores of a batch spread over
 * a cluster (ingest --shard) brought into the store, in the batch's
 * order, by this one writer. */
#include "cli.h"

#include "../ingest/ingest.h"
#include "../base/base.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sohoa merge [--batch NAME] [--report FILE.json] [--json] SHARD...\n"
	"  --batch NAME    merge only shards of this batch (default: the\n"
	"                  first shard's)\n"
	"  --report FILE   write the merged batch's report as JSON\n"
	"  --json          the report on stdout\n";

static const struct option options[] = {
	{ "batch", required_argument, NULL, 'b' },
	{ "report", required_argument, NULL, 'r' },
	{ "json", no_argument, NULL, 'J' },
	{ NULL, 0, NULL, 0 },
};

/* The summary on stderr: what was merged, each refused shard and why. */
static void summarize(const cli *c, json_t *report)
{
	json_t *r;
	size_t i;

	if (json_is_null(json_object_get(report, "batch")) ||
	    !json_object_get(report, "batch"))
		cli_info(c, "%s%s: nothing to merge (%zu shards merged before, "
			 "%zu refused)", *json_string_value(json_object_get(report,
					"cluster")) ? "batch " : "no batch",
			 json_string_value(json_object_get(report, "cluster")),
			 json_array_size(json_object_get(report, "shards")),
			 json_array_size(json_object_get(report, "refused")));
	else
	cli_info(c, "batch %s (%s): %zu shards merged, %zu refused: %lld files: "
		 "%lld stored, %lld duplicate, %lld rejected",
		 json_string_value(json_object_get(report, "batch")),
		 json_string_value(json_object_get(report, "cluster")),
		 json_array_size(json_object_get(report, "shards")),
		 json_array_size(json_object_get(report, "refused")),
		 json_integer_value(json_object_get(report, "total")),
		 json_integer_value(json_object_get(report, "stored")),
		 json_integer_value(json_object_get(report, "duplicates")),
		 json_integer_value(json_object_get(report, "rejected")));
	json_array_foreach(json_object_get(report, "shards"), i, r)
		if (json_is_true(json_object_get(r, "merged_before")))
			cli_info(c, "'%s' was merged before: nothing added",
				 json_string_value(json_object_get(r, "store")));
	json_array_foreach(json_object_get(report, "refused"), i, r)
		cli_error("refused '%s': %s",
			  json_string_value(json_object_get(r, "store")),
			  json_string_value(json_object_get(r, "reason")));
}

int cmd_merge(cli *c, int argc, char **argv)
{
	const char *batch = NULL, *report_path = NULL;
	ingest_opts o = { 0 };
	json_t *report = NULL;
	store *s = NULL;
	int opt, rc, json = 0, code = EXIT_FAIL;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'b': batch = optarg; break;
		case 'r': report_path = optarg; break;
		case 'J': json = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (optind >= argc)
		return cli_usage(usage);
	/* each record's review comes from the rules, as at ingest */
	if (cli_store_open_write(c, 1, 1, &s))
		return EXIT_FAIL;
	if (store_writer_lock(s)) {
		cli_error("%s", base_errmsg());
		goto out;
	}
	o.rules = c->rules;
	o.review_below = c->cfg.review_below;
	o.cancel = cli_interrupt(1);
	rc = ingest_merge(s, argv + optind, (size_t)(argc - optind), batch, &o,
			  &report);
	cli_interrupt(0);
	if (report) {
		summarize(c, report);
		if (json)
			cli_print_json(report);
		if (report_path) {
			char *text = json_dumps(report, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			if (!text || base_write_file_atomic(report_path, text, strlen(text))) {
				cli_error("cannot write the report '%s': %s", report_path,
					  text ? base_errmsg() : "out of memory");
				rc = rc ? rc : BASE_EIO;
			}
			free(text);
		}
	}
	if (rc == BASE_ECANCELED)
		cli_error("%s; run the same command again to finish it", base_errmsg());
	else if (rc && rc != BASE_EIO)
		cli_error("%s", base_errmsg());
	code = rc ? EXIT_FAIL : json_array_size(json_object_get(report, "refused"))
				? EXIT_PROBLEMS : EXIT_OK;
out:
	json_decref(report);
	store_close(&s);
	return code;
}
