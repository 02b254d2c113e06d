/* cmd_log.c - `sohoa log`: the access log, read back: who viewed or
 * changed which record, searched what, failed to log in, oldest first. */
#include "cli.h"

#include "../base/base.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sohoa log [--user U] [--record ID] [--action A] [--since DATE]\n"
	"                 [--limit N] [--json]\n"
	"  --since DATE   2026-12-01 or 2026-12-01T09:00:00Z\n";

static const struct option options[] = {
	{ "user", required_argument, NULL, 'u' },
	{ "record", required_argument, NULL, 'r' },
	{ "action", required_argument, NULL, 'a' },
	{ "since", required_argument, NULL, 's' },
	{ "limit", required_argument, NULL, 'n' },
	{ "json", no_argument, NULL, 'J' },
	{ NULL, 0, NULL, 0 },
};

/* YYYY-MM-DD, optionally followed by a time. */
static int date_ok(const char *d)
{
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? d[i] != '-' : !(d[i] >= '0' && d[i] <= '9'))
			return 0;
	return d[10] == 0 || d[10] == 'T';
}

int cmd_log(cli *c, int argc, char **argv)
{
	store_access_filter f = { 0 };
	json_t *entries, *e;
	store *s = NULL;
	size_t i;
	int opt, json = 0;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'u': f.user = optarg; break;
		case 'r': f.record = optarg; break;
		case 'a': f.action = optarg; break;
		case 's': f.since = optarg; break;
		case 'n': f.limit = (size_t)atol(optarg); break;
		case 'J': json = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (optind != argc)
		return cli_usage(usage);
	if (f.since && !date_ok(f.since)) {
		cli_error("--since: '%s' is not a date (2026-12-01)", f.since);
		return EXIT_USAGE;
	}
	if (cli_store_open(c, 0, &s))
		return EXIT_FAIL;
	if (store_access_list(s, &f, &entries)) {
		cli_error("%s", base_errmsg());
		store_close(&s);
		return EXIT_FAIL;
	}
	if (json) {
		cli_print_json(entries);
	} else {
		json_array_foreach(entries, i, e) {
			const char *what = json_string_value(json_object_get(e, "record"));
			if (!what)
				what = json_string_value(json_object_get(e, "query"));
			char *line = NULL;
			if (asprintf(&line, "%s  %-12s %-16s %-10s %s%s%s",
				     json_string_value(json_object_get(e, "time")) ?: "",
				     json_string_value(json_object_get(e, "user")) ?: "-",
				     json_string_value(json_object_get(e, "action")) ?: "",
				     what ? what : "-",
				     json_string_value(json_object_get(e, "address")) ?: "",
				     json_object_get(e, "detail") ? "  " : "",
				     json_string_value(json_object_get(e, "detail")) ?: "") < 0)
				line = NULL;
			/* one entry a line, whatever a name or query held */
			cli_print_text(line ? line : "(out of memory)");
			fputc('\n', stdout);
			free(line);
		}
	}
	json_decref(entries);
	store_close(&s);
	return EXIT_OK;
}
