/* cmd_report.c - `sohoa report [BATCH] [--json]`: a batch as the person
 * reading it in the morning wants it: what was stored, what came back
 * as a duplicate, what was refused and why, how long it took, what it
 * left for review and how big the store is now. */
#include "cli.h"

#include "../base/base.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: sohoa report [--json] [BATCH]\n"
	"  BATCH    a batch id (B-000007); the newest when not given\n"
	"  --json   the batch's summary, its rejected files and the store's size\n";

static long long num(json_t *j, const char *k)
{
	return (long long)json_integer_value(json_object_get(j, k));
}

/* The batch's rejected files, from the store's rejections (an entry
 * names the last batch that refused it). */
static json_t *rejects_of(store *s, const char *batch)
{
	json_t *all = NULL, *mine = json_array(), *r;
	size_t i;

	if (store_list_rejects(s, &all) == 0)
		json_array_foreach(all, i, r) {
			const char *b = json_string_value(json_object_get(r, "batch"));
			if (b && !strcmp(b, batch))
				json_array_append_new(mine, json_pack("{s:O?, s:O?}",
					"path", json_object_get(r, "path"),
					"reason", json_object_get(r, "reason")));
		}
	json_decref(all);
	return mine;
}

static void print_text(json_t *rep)
{
	double secs = json_number_value(json_object_get(rep, "seconds"));
	long long pages = num(rep, "pages"), stored = num(rep, "stored");
	json_t *list, *e;
	size_t i;

	printf("batch      %s, %s to %s, %d min %02d s, %lld workers%s\n",
	       json_string_value(json_object_get(rep, "batch")),
	       json_string_value(json_object_get(rep, "started")),
	       json_string_value(json_object_get(rep, "finished")),
	       (int)(secs / 60), (int)secs % 60, num(rep, "jobs"),
	       json_is_true(json_object_get(rep, "complete")) ? ""
	       : " (stopped before the end: run it again to finish)");
	printf("files      %lld: %lld stored, %lld duplicates, %lld rejected\n",
	       num(rep, "total"), stored, num(rep, "duplicates"),
	       num(rep, "rejected"));
	printf("pages      %lld, %.1f pages a minute\n", pages,
	       secs > 0 ? (double)pages * 60 / secs : 0.0);
	if (json_is_integer(json_object_get(rep, "review")))
		printf("review     %lld of the %lld stored need a person "
		       "(sohoa review)\n", num(rep, "review"), stored);
	list = json_object_get(rep, "rejected_files");
	if (json_array_size(list))
		printf("rejected\n");
	json_array_foreach(list, i, e) {
		fputs("  ", stdout);
		cli_print_text(json_string_value(json_object_get(e, "path")));
		fputs(": ", stdout);
		cli_print_text(json_string_value(json_object_get(e, "reason")));
		fputc('\n', stdout);
	}
	list = json_object_get(rep, "warnings");
	if (json_array_size(list))
		printf("warnings\n");
	json_array_foreach(list, i, e) {
		fputs("  ", stdout);
		cli_print_text(json_string_value(e));
		fputc('\n', stdout);
	}
	printf("store      %s, %.1f MB\n",
	       json_string_value(json_object_get(rep, "store")),
	       (double)num(rep, "store_bytes") / 1e6);
}

int cmd_report(cli *c, int argc, char **argv)
{
	char batch[STORE_ID_MAX];
	json_t *rep = NULL, *st = NULL;
	store *s = NULL;
	int json = 0, rc;

	if (cli_json_flag(argc, argv, usage, &json))
		return EXIT_USAGE;
	if (argc - optind > 1)
		return cli_usage(usage);
	if (cli_store_open(c, 0, &s))
		return EXIT_FAIL;
	if (optind < argc)
		snprintf(batch, sizeof(batch), "%s", argv[optind]);
	rc = optind < argc ? 0 : store_batch_last(s, batch);
	if (rc == 0)
		rc = store_batch_get(s, batch, &rep);
	if (rc == 0)
		rc = store_stats(s, &st);
	if (rc) {
		cli_error("%s", base_errmsg());
		json_decref(rep);
		store_close(&s);
		return EXIT_FAIL;
	}
	json_object_set_new(rep, "rejected_files", rejects_of(s, batch));
	json_object_set(rep, "store_bytes", json_object_get(st, "store_bytes"));
	store_close(&s);
	if (json)
		cli_print_json(rep);
	else
		print_text(rep);
	json_decref(rep);
	json_decref(st);
	return EXIT_OK;
}
