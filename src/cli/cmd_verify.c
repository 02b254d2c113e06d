/* cmd_verify.c - `sohoa verify`: one line a problem, exit 3 when the
 * bag or E-ARK package is incomplete, altered or not conformant. A
 * folder with METS.xml and no bagit.txt is a package; a bag whose
 * payload is one package (export --format csip --bag) is checked as
 * both. */
#include "cli.h"

#include "../export/export.h"
#include "../base/base.h"

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char usage[] =
	"usage: sohoa verify [--json] [-j N] DIR\n"
	"  DIR      a BagIt bag, an E-ARK CSIP package (METS.xml), or a bag\n"
	"           holding one package\n"
	"  -j N     hashing threads for a bag (default: the number of cores)\n";

static int exists(const char *dir, const char *name)
{
	char path[4700];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* The one folder of a bag's payload that is a package, into out. */
static int inner_package(const char *bag, char *out, size_t cap, char *name,
			 size_t ncap)
{
	char data[4100];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(data, sizeof(data), "%s/data", bag);
	if (!(d = opendir(data)))
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char sub[4400];
		snprintf(sub, sizeof(sub), "%s/%s", data, e->d_name);
		if (exists(sub, "METS.xml")) {
			snprintf(out, cap, "%s", sub);
			snprintf(name, ncap, "data/%s/", e->d_name);
			n++;
		}
	}
	closedir(d);
	return n == 1;
}

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
	double t0 = base_monotonic();
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
	const char *dir = argv[optind];
	json_t *notes = json_array();
	const char *kind = "bag";
	char pkg[4400], prefix[300];
	files = bytes = 0;
	if (!exists(dir, "bagit.txt") && exists(dir, "METS.xml")) {
		kind = "package";
		problems = json_array();
		rc = export_verify_package(dir, c->cfg.schemas, "", problems, notes,
					   &files, &bytes);
	} else {
		rc = export_verify(dir, jobs, &problems, notes, &files, &bytes);
		if (rc == 0 && inner_package(dir, pkg, sizeof(pkg), prefix, sizeof(prefix))) {
			size_t f2 = 0, b2 = 0;
			kind = "bag holding a package";
			rc = export_verify_package(pkg, c->cfg.schemas, prefix, problems,
						   notes, &f2, &b2);
		}
	}
	if (rc) {
		json_decref(notes);
		cli_error("%s", base_errmsg());
		return EXIT_FAIL;
	}
	if (json) {
		json_t *out = json_pack("{s:s, s:s, s:b, s:I, s:I, s:O, s:O}", "bag",
			argv[optind], "kind", kind, "valid", json_array_size(problems) == 0,
			"files", (json_int_t)files, "bytes", (json_int_t)bytes,
			"problems", problems, "notes", notes);
		cli_print_json(out);
		json_decref(out);
	} else {
		json_array_foreach(problems, i, p) {
			const char *r = json_string_value(json_object_get(p, "rule"));
			printf("%s: %s%s%s%s\n", json_string_value(json_object_get(p,
			       "file")), r ? "[" : "", r ? r : "", r ? "] " : "",
			       json_string_value(json_object_get(p, "problem")));
		}
		json_array_foreach(notes, i, p)
			cli_info(c, "note: %s: %s", json_string_value(json_object_get(p,
				 "file")), json_string_value(json_object_get(p, "problem")));
	}
	cli_info(c, "%s (%s): %s; %zu files, %zu bytes hashed in %.2f s",
		 argv[optind], kind, json_array_size(problems) ? "NOT valid" : "valid",
		 files, bytes, base_monotonic() - t0);
	rc = json_array_size(problems) ? EXIT_PROBLEMS : EXIT_OK;
	json_decref(problems);
	json_decref(notes);
	return rc;
}
