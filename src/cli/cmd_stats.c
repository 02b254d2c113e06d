/* cmd_stats.c - `sohoa stats`: what the store holds and what it costs. */
#include "cli.h"

#include "../base/base.h"

#include <getopt.h>
#include <stdio.h>

static const char usage[] = "usage: sohoa stats [--json]\n";

static long long num(json_t *j, const char *k)
{
	return (long long)json_integer_value(json_object_get(j, k));
}

int cmd_stats(cli *c, int argc, char **argv)
{
	json_t *st = NULL;
	store *s = NULL;
	int json = 0, rc;

	if (cli_json_flag(argc, argv, usage, &json))
		return EXIT_USAGE;
	if (optind != argc)
		return cli_usage(usage);
	if (cli_store_open(c, 0, &s))
		return EXIT_FAIL;
	rc = store_stats(s, &st);
	store_close(&s);
	if (rc) {
		cli_error("%s", base_errmsg());
		return EXIT_FAIL;
	}
	if (json) {
		cli_print_json(st);
	} else {
		long long orig = num(st, "original_bytes");
		printf("records         %lld\n", num(st, "records"));
		printf("pages           %lld\n", num(st, "pages"));
		printf("rejected files  %lld\n", num(st, "rejected"));
		printf("batches         %lld\n", num(st, "batches"));
		printf("original bytes  %lld\n", orig);
		printf("packed bytes    %lld (%.1f%% of the originals)\n",
		       num(st, "packed_bytes"), orig ? 100.0 *
		       (double)num(st, "packed_bytes") / (double)orig : 0.0);
		printf("store bytes     %lld\n", num(st, "store_bytes"));
		printf("index bytes     %lld\n", num(st, "index_bytes"));
	}
	json_decref(st);
	return EXIT_OK;
}
