/* main.c - sohoa's entry point: global options and the command table. */
#include "cli/cli.h"

#include "fields/fields.h"
#include "base/base.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct command {
	const char *name;
	cmd_fn fn;
	const char *help;
} commands[] = {
	{ "ingest", cmd_ingest, "store a batch of TIFF scans" },
	{ "search", cmd_search, "find records: words, \"phrases\", field:value" },
	{ "show", cmd_show, "one record: source, pages, fields, history" },
	{ "original", cmd_original, "write a record's source file, bit-exact" },
	{ "page", cmd_page, "write a record's cleaned page image (PNG or TIFF)" },
	{ "export", cmd_export, "a BagIt bag of records for the dossier system" },
	{ "verify", cmd_verify, "is a bag complete and unaltered?" },
	{ "serve", cmd_serve, "the clerks' search page (HTTP)" },
	{ "review", cmd_review, "records whose fields need a person" },
	{ "correct", cmd_correct, "a person's correction of fields, kept in history" },
	{ "stats", cmd_stats, "counts and sizes of the store" },
	{ "check", cmd_check, "verify every stored original (fixity)" },
	{ "report", cmd_report, "a batch, for the person reading it in the morning" },
	{ "user", cmd_user, "accounts and roles: add, list, passwd, disable, token" },
	{ "log", cmd_log, "the access log: who viewed or changed which record" },
	{ "cluster", cmd_cluster, "a batch spread over a Slurm cluster: submit, status" },
	{ "merge", cmd_merge, "a cluster batch's shard stores into the store" },
};

static const char usage[] =
	"usage: sohoa [--store DIR] [-c CONFIG] [-q|-v] COMMAND [ARGS]\n"
	"\n"
	"  --store DIR    the store folder (else $SOHOA_STORE, else config)\n"
	"  -c CONFIG      settings file (else $SOHOA_CONFIG, else config/sohoa.conf\n"
	"                 in a source tree, else /etc/sohoa/sohoa.conf)\n"
	"  --version      versions of sohoa and of the libraries it uses\n"
	"  -q, -v         fewer or more messages on stderr\n"
	"\n"
	"commands:\n";

static const struct option options[] = {
	{ "store", required_argument, NULL, 's' },
	{ "config", required_argument, NULL, 'c' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int print_usage(FILE *f)
{
	fputs(usage, f);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fputs("\nexit codes: 0 success, 1 could not do the work, 2 usage "
	      "error, 3 finished but found problems\n", f);
	return f == stdout ? EXIT_OK : EXIT_USAGE;
}

int main(int argc, char **argv)
{
	cli c = { 0 };
	const char *config = NULL, *store = NULL;
	int opt, rc;

	/* Debian's libtesseract uses OpenMP, and libgomp reads its thread
	 * limit once, when it is loaded, before main. With one engine per
	 * worker, engines that each spawn threads fight over the cores (we
	 * measured 4x slower), so run again with the limit in place unless
	 * the caller chose one. */
	if (!getenv("OMP_THREAD_LIMIT")) {
		setenv("OMP_THREAD_LIMIT", "1", 1);
		execv("/proc/self/exe", argv);
		/* if that fails, go on: slower, not wrong */
	}
	conf_defaults(&c.cfg);
	while ((opt = getopt_long(argc, argv, "+s:c:qvh", options, NULL)) != -1) {
		switch (opt) {
		case 's': store = optarg; break;
		case 'c': config = optarg; break;
		case 'q': c.verbosity = -1; break;
		case 'v': c.verbosity = 1; break;
		case 'h': return print_usage(stdout);
		case 'V': return cli_version();
		default: return print_usage(stderr);
		}
	}
	if (optind >= argc)
		return print_usage(stderr);
	char found[4096];
	int must = conf_find(config, found, sizeof(found));
	rc = found[0] ? conf_load(&c.cfg, found, must) : 0;
	if (rc) {
		cli_error("%s", base_errmsg());
		return rc == BASE_EINVAL ? EXIT_USAGE : EXIT_FAIL;
	}
	if (!store)
		store = getenv("SOHOA_STORE");
	c.store_dir = store && *store ? store : c.cfg.store;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name))
			continue;
		argv += optind;
		argc -= optind;
		optind = 0; /* glibc: start over for the command's options */
		rc = commands[i].fn(&c, argc, argv);
		fields_rules_destroy(&c.rules);
		fields_catalogue_destroy(&c.catalogue);
		free(c.ix_fields);
		return rc;
	}
	cli_error("'%s' is not a sohoa command; see 'sohoa --help'",
		  argv[optind]);
	return EXIT_USAGE;
}
