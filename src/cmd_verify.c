/* cmd_verify.c - `sohoa verify`: one line a problem, exit 3 when the
 * bag is incomplete or altered. */
#include "cli.h"

#include "export/export.h"
#include "sh/sh.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char usage[] =
	"usage: sohoa verify [--json] [-j N] DIR\n"
	"  -j N     hashing threads (default: the number of cores)\n";

static const struct option options[] = {
	{ "json", no_argument, NULL, 'J' },
	{ "jobs", required_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 },
};

int cmd_verify(cli *c, int argc, char **argv)
{
	int json = 0, opt, jobs = (int)sysconf(_SC_NPROCESSORS_ONLN), rc;
	size_t files, bytes, i;
	json_t *problems, *p;
	double t0 = sh_monotonic();
	char *end;

	while ((opt = getopt_long(argc, argv, "+j:", options, NULL)) != -1) {
		switch (opt) {
		case 'J': json = 1; break;
		case 'j':
			jobs = (int)strtol(optarg, &end, 10);
			if (*end || jobs < 1 || jobs > 16) {
				cli_error("-j wants a number from 1 to 16");
				return EXIT_USAGE;
			}
			break;
		default: return cli_usage(usage);
		}
	}
	if (optind != argc - 1)
		return cli_usage(usage);
	rc = export_verify(argv[optind], jobs, &problems, &files, &bytes);
	if (rc) {
		cli_error("%s", sh_errmsg());
		return EXIT_FAIL;
	}
	if (json) {
		json_t *out = json_pack("{s:s, s:b, s:I, s:I, s:O}", "bag",
			argv[optind], "valid", json_array_size(problems) == 0,
			"files",
			(json_int_t)files, "bytes", (json_int_t)bytes, "problems",
			problems);
		cli_print_json(out);
		json_decref(out);
	} else {
		json_array_foreach(problems, i, p)
			printf("%s: %s\n", json_string_value(json_object_get(p,
			       "file")), json_string_value(json_object_get(p,
			       "problem")));
	}
	cli_info(c, "%s: %s; %zu files, %zu bytes hashed in %.2f s",
		 argv[optind], json_array_size(problems) ? "NOT valid" : "valid",
		 files, bytes, sh_monotonic() - t0);
	rc = json_array_size(problems) ? EXIT_PROBLEMS : EXIT_OK;
	json_decref(problems);
	return rc;
}
