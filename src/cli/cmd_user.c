/* cmd_user.c - `sohoa user`: the accounts of the site and the review
 * station (add, list, passwd, disable, token). A password is asked on
 * the terminal without echo, or read as one line from standard input,
 * so that scripts can make accounts. */
#include "cli.h"

#include "../base/base.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static const char usage[] =
	"usage: sohoa user add NAME --role viewer|reviewer|admin\n"
	"       sohoa user list [--json]\n"
	"       sohoa user passwd NAME\n"
	"       sohoa user disable NAME\n"
	"       sohoa user token NAME [--days N] [--write]\n"
	"                                  a new API token (the old one stops):\n"
	"                                  read-only and good for 90 days unless\n"
	"                                  --write (all NAME's role may) or --days\n"
	"  the password is asked on the terminal, else read as one line from\n"
	"  standard input; 8 characters or more\n";

static const struct option options[] = {
	{ "role", required_argument, NULL, 'r' },
	{ "json", no_argument, NULL, 'J' },
	{ "days", required_argument, NULL, 'd' },
	{ "write", no_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 },
};

/* One line into buf without its newline, echo off on a terminal.
 * EXIT_OK, or EXIT_FAIL with the error said. */
static int read_password(const char *prompt, char *buf, size_t len)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;

	if (tty) {
		fputs(prompt, stderr);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	char *got = fgets(buf, (int)len, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!got) {
		cli_error("no password given on standard input");
		return EXIT_FAIL;
	}
	buf[strcspn(buf, "\r\n")] = 0;
	return EXIT_OK;
}

static int ask_new_password(char *pw, size_t len)
{
	char again[256];

	if (read_password("Mật khẩu / password: ", pw, len))
		return EXIT_FAIL;
	if (isatty(STDIN_FILENO)) {
		if (read_password("Nhập lại / again: ", again, sizeof(again)))
			return EXIT_FAIL;
		if (strcmp(pw, again)) {
			cli_error("the two passwords differ; nothing was changed");
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

static int list(store *s, int json)
{
	json_t *users, *u;
	size_t i;

	if (store_user_list(s, &users)) {
		cli_error("%s", base_errmsg());
		return EXIT_FAIL;
	}
	if (json) {
		cli_print_json(users);
	} else {
		json_array_foreach(users, i, u)
			printf("%-20s %-9s %s%s\n",
			       json_string_value(json_object_get(u, "name")),
			       json_string_value(json_object_get(u, "role")),
			       json_is_true(json_object_get(u, "disabled")) ? "disabled" : "enabled",
			       json_is_true(json_object_get(u, "token")) ? ", API token" : "");
	}
	json_decref(users);
	return EXIT_OK;
}

int cmd_user(cli *c, int argc, char **argv)
{
	const char *role = NULL, *verb, *name;
	char pw[256], token[65], expires[32];
	store *s = NULL;
	int opt, json = 0, rc = 0, code = EXIT_FAIL, days = 0, full = 0;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == 'r')
			role = optarg;
		else if (opt == 'J')
			json = 1;
		else if (opt == 'd' && (days = atoi(optarg)) >= 1 && days <= 3660)
			;
		else if (opt == 'w')
			full = 1;
		else if (opt == 'd') {
			cli_error("--days wants 1 to 3660, not '%s'", optarg);
			return EXIT_USAGE;
		} else
			return cli_usage(usage);
	}
	if (optind >= argc)
		return cli_usage(usage);
	verb = argv[optind];
	name = optind + 1 < argc ? argv[optind + 1] : NULL;
	if (!strcmp(verb, "list") ? optind + 1 != argc :
	    (!name || optind + 2 != argc || (!strcmp(verb, "add") != (role != NULL))))
		return cli_usage(usage);
	if (strcmp(verb, "add") && strcmp(verb, "list") && strcmp(verb, "passwd") &&
	    strcmp(verb, "disable") && strcmp(verb, "token")) {
		cli_error("'%s' is not a user command", verb);
		return cli_usage(usage);
	}
	if ((days || full) && strcmp(verb, "token"))
		return cli_usage(usage);
	if (role && !store_role_of(role)) {
		cli_error("'%s' is not a role (viewer, reviewer, admin)", role);
		return EXIT_USAGE;
	}
	if (cli_store_open_write(c, 0, 0, &s))
		return EXIT_FAIL;
	if (!strcmp(verb, "list")) {
		code = list(s, json);
		goto out;
	}
	if (!strcmp(verb, "add") || !strcmp(verb, "passwd")) {
		if ((code = ask_new_password(pw, sizeof(pw))))
			goto out;
		rc = !strcmp(verb, "add") ? store_user_add(s, name, role, pw)
					  : store_user_passwd(s, name, pw);
		explicit_bzero(pw, sizeof(pw));
	} else if (!strcmp(verb, "disable")) {
		rc = store_user_disable(s, name);
	} else {
		rc = store_user_token(s, name, days ? days : 90, full, token, expires);
	}
	if (rc) {
		cli_error("%s", base_errmsg());
		code = cli_exit_for(rc);
		goto out;
	}
	if (!strcmp(verb, "token")) {
		printf("%s\n", token);
		cli_info(c, "user %s: a %s token, good until %s", name,
			 full ? "full" : "read-only", expires);
	}
	else
		cli_info(c, "user %s: %s", name, !strcmp(verb, "add") ? "added" :
			 !strcmp(verb, "passwd") ? "password changed" : "disabled");
	code = EXIT_OK;
out:
	store_close(&s);
	return code;
}
