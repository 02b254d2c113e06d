/* cmd_cluster.c - `sohoa cluster`: a batch spread over a Slurm cluster
 * (submit: its list and job array into a folder on shared storage, what
 * is missing submitted; status: what Slurm and the shard stores say,
 * --wait until no task is left pending or running). `sohoa merge` then
 * brings the shards into the store. */
#include "cli.h"

#include "../cluster/cluster.h"
#include "../ingest/ingest.h"
#include "../base/base.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: sohoa cluster submit --shards DIR [--tasks N] [--cpus C]\n"
	"                            [--partition P] [--json] [PATH...]\n"
	"       sohoa cluster status --shards DIR [--wait] [--json]\n"
	"  --shards DIR     the batch's folder, on storage every node reaches\n"
	"  --tasks N        array tasks, a shard store each (a new batch)\n"
	"  --cpus C         CPUs a task, its workers (default 1)\n"
	"  --partition P    the Slurm partition (default: the cluster's)\n"
	"  --wait           return when no task is pending or running\n"
	"  --json           the answer as JSON on stdout\n"
	"  PATH             files and folders, as ingest takes them; none to\n"
	"                   submit again what is missing of DIR's batch\n";

static const struct option options[] = {
	{ "shards", required_argument, NULL, 'd' },
	{ "tasks", required_argument, NULL, 't' },
	{ "cpus", required_argument, NULL, 'C' },
	{ "partition", required_argument, NULL, 'P' },
	{ "wait", no_argument, NULL, 'w' },
	{ "json", no_argument, NULL, 'J' },
	{ NULL, 0, NULL, 0 },
};

static void print_status(const cli *c, json_t *st)
{
	json_t *s;
	size_t i;

	printf("batch %s: %lld of %lld tasks finished, %lld pending or running\n",
	       json_string_value(json_object_get(st, "batch")),
	       (long long)json_integer_value(json_object_get(st, "finished")),
	       (long long)json_integer_value(json_object_get(st, "tasks")),
	       (long long)json_integer_value(json_object_get(st, "active")));
	json_array_foreach(json_object_get(st, "shards"), i, s) {
		const char *state = json_string_value(json_object_get(s, "state"));
		printf("shard %lld: %lld of %lld files stored%s, %s\n",
		       (long long)json_integer_value(json_object_get(s, "shard")),
		       (long long)json_integer_value(json_object_get(s, "records")),
		       (long long)json_integer_value(json_object_get(s, "files")),
		       json_is_true(json_object_get(s, "finished")) ? ", finished" : "",
		       state ? state : "not known to Slurm");
	}
	(void)c;
}

/* Absolute paths, for tasks that run elsewhere: into *abs (yours). */
static int absolute(char **files, size_t n)
{
	char buf[PATH_MAX];

	for (size_t i = 0; i < n; i++)
		if (realpath(files[i], buf)) {
			char *a = strdup(buf);
			if (!a)
				return -1;
			free(files[i]);
			files[i] = a;
		}
	return 0;
}

static int submit(cli *c, cluster_opts *o, char **paths, int npaths, int json)
{
	char **files = NULL, self[PATH_MAX], conf[PATH_MAX];
	size_t n = 0;
	json_t *out = NULL;
	int code = EXIT_FAIL;

	if (npaths && (ingest_collect(paths, npaths, &files, &n) ||
		       absolute(files, n))) {
		cli_error("%s", base_errmsg());
		goto out;
	}
	if (npaths && !n) {
		cli_error("no TIFF files in what was given");
		goto out;
	}
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[len > 0 ? len : 0] = 0;
	o->sohoa = self;
	if (c->cfg.loaded_from[0] && realpath(c->cfg.loaded_from, conf))
		o->config = conf;
	if (cluster_submit(o, files, n, &out)) {
		cli_error("%s", base_errmsg());
		goto out;
	}
	if (json) {
		cli_print_json(out);
	} else {
		const char *job = json_string_value(json_object_get(out, "job"));
		printf("batch %s in %s: ", json_string_value(json_object_get(out, "batch")),
		       o->dir);
		if (job)
			printf("job %s, %zu tasks submitted", job,
			       json_array_size(json_object_get(out, "submitted")));
		else
			printf("nothing missing");
		printf(" (%zu finished, %zu pending or running)\n",
		       json_array_size(json_object_get(out, "finished")),
		       json_array_size(json_object_get(out, "active")));
	}
	code = EXIT_OK;
out:
	json_decref(out);
	ingest_files_free(files, n);
	return code;
}

static int status(cli *c, cluster_opts *o, int wait, int json)
{
	json_t *st = NULL;

	for (;;) {
		if (cluster_status(o, &st)) {
			cli_error("%s", base_errmsg());
			return EXIT_FAIL;
		}
		if (!wait || !json_integer_value(json_object_get(st, "active")))
			break;
		json_decref(st);
		st = NULL;
		sleep(1);
	}
	if (json)
		cli_print_json(st);
	else
		print_status(c, st);
	int code = json_integer_value(json_object_get(st, "finished")) ==
		   json_integer_value(json_object_get(st, "tasks"))
		   ? EXIT_OK : EXIT_PROBLEMS;
	json_decref(st);
	return code;
}

int cmd_cluster(cli *c, int argc, char **argv)
{
	cluster_opts o = { .cpus = 1 };
	int opt, wait = 0, json = 0;
	const char *what = argc > 1 ? argv[1] : "";

	if (strcmp(what, "submit") && strcmp(what, "status"))
		return cli_usage(usage);
	argc--;
	argv++;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'd': o.dir = optarg; break;
		case 't':
			if ((o.tasks = atoi(optarg)) < 1 || o.tasks > 10000) {
				cli_error("--tasks wants 1..10000, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'C':
			if ((o.cpus = atoi(optarg)) < 1 || o.cpus > 256) {
				cli_error("--cpus wants 1..256, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'P': o.partition = optarg; break;
		case 'w': wait = 1; break;
		case 'J': json = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (!o.dir || (!strcmp(what, "status") && (optind < argc || o.tasks)) ||
	    (!strcmp(what, "submit") && wait))
		return cli_usage(usage);
	o.schema = cli_schema(c);
	return !strcmp(what, "submit")
		? submit(c, &o, argv + optind, argc - optind, json)
		: status(c, &o, wait, json);
}
