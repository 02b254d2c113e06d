/* cmd_serve.c - `sohoa serve`: the clerks' search page until Ctrl-C or
 * SIGTERM; one line a request on stderr. */
#include "cli.h"

#include "../serve/serve.h"
#include "../base/base.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: sohoa serve [--listen ADDR:PORT]\n"
	"  --listen ADDR:PORT   default [serve] listen, 127.0.0.1:8080; an\n"
	"                       address beyond loopback needs accounts\n"
	"                       (sohoa user add NAME --role admin)\n";

static const struct option options[] = {
	{ "listen", required_argument, NULL, 'l' },
	{ NULL, 0, NULL, 0 },
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void log_request(const char *line)
{
	fprintf(stderr, "%s\n", line);
}

int cmd_serve(cli *c, int argc, char **argv)
{
	serve_opts o = { 0 };
	struct sigaction sa = { 0 };
	store *s = NULL;
	int opt, rc, code;

	o.listen = c->cfg.serve_listen;
	while ((opt = getopt_long(argc, argv, "+", options, NULL)) != -1) {
		switch (opt) {
		case 'l': o.listen = optarg; break;
		default: return cli_usage(usage);
		}
	}
	if (optind != argc)
		return cli_usage(usage);
	code = cli_store_open_write(c, 0, 1, &s);
	if (code)
		return code;
	base_malloc_keep();
	if (c->cfg.serve_token[0])
		cli_error("warning: [serve] token is no longer used: people log in "
			  "with accounts (sohoa user add), scripts with "
			  "'sohoa user token NAME'");
	o.rules = c->rules;
	o.session_ttl = c->cfg.serve_session_hours * 3600;
	o.review_below = c->cfg.review_below;
	o.threads = c->cfg.serve_threads;
	o.search = &c->cfg.search;
	o.stop = &stop;
	o.log = c->verbosity >= 0 ? log_request : NULL;
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	cli_info(c, "serving %s on http://%s/ (Ctrl-C stops)", store_dir(s),
		 o.listen);
	rc = serve_run(s, &o);
	store_close(&s);
	if (rc) {
		cli_error("%s", base_errmsg());
		return rc == BASE_EINVAL ? EXIT_USAGE : EXIT_FAIL;
	}
	return EXIT_OK;
}
