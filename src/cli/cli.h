/* cli.h - what the command functions share: the global options, exit
 * codes, messages on stderr and opening the store. */
#ifndef CLI_H
#define CLI_H

#include <jansson.h>
#include <signal.h>

#include "../conf/conf.h"
#include "../ocr/ocr.h"
#include "../store/store.h"

/* Exit codes, the same for every command (README, "Exit codes"). */
enum {
	EXIT_OK = 0,       /* success */
	EXIT_FAIL = 1,     /* could not do the work */
	EXIT_USAGE = 2,    /* usage error */
	EXIT_PROBLEMS = 3  /* finished, but found problems */
};

struct fields_rules;

typedef struct cli {
	conf cfg;
	struct fields_rules *rules; /* loaded by cli_store_open_write */
	/* the field catalogue when read apart from the rules, and the
	 * index's view of it (cli_catalogue, cli_schema) */
	struct fields_catalogue *catalogue;
	index_field *ix_fields;
	index_schema schema;
	const char *store_dir; /* --store, $SOHOA_STORE or the config */
	int verbosity;         /* -q: -1, default 0, -v: 1 */
} cli;

typedef int (*cmd_fn)(cli *c, int argc, char **argv);

int cmd_ingest(cli *c, int argc, char **argv);
int cmd_show(cli *c, int argc, char **argv);
int cmd_original(cli *c, int argc, char **argv);
int cmd_page(cli *c, int argc, char **argv);
int cmd_review(cli *c, int argc, char **argv);
int cmd_correct(cli *c, int argc, char **argv);
int cmd_stats(cli *c, int argc, char **argv);
int cmd_check(cli *c, int argc, char **argv);
int cmd_search(cli *c, int argc, char **argv);
int cmd_export(cli *c, int argc, char **argv);
int cmd_verify(cli *c, int argc, char **argv);
int cmd_serve(cli *c, int argc, char **argv);

/* cli_query_join - the words of a query given as arguments, joined by
 * spaces into out. EXIT_USAGE, said on stderr, when they do not fit. */
int cli_query_join(char **words, int n, char *out, size_t len);

/* cli_ocr_opts - the OCR settings of the config (pointers into c). */
void cli_ocr_opts(const cli *c, ocr_opts *o);

/* cli_version - the --version lines on stdout: sohoa's version and the
 * libraries' as linked. EXIT_OK. */
int cli_version(void);

int cmd_report(cli *c, int argc, char **argv);
int cmd_user(cli *c, int argc, char **argv);
int cmd_log(cli *c, int argc, char **argv);
int cmd_merge(cli *c, int argc, char **argv);
int cmd_cluster(cli *c, int argc, char **argv);

/* cli_error - "sohoa: <message>" on stderr, always; the message's
 * control characters and bytes that are not UTF-8 escaped (\xNN), as in
 * cli_info. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* cli_info - a diagnostic on stderr unless -q. */
void cli_info(const cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* cli_print_text - outside text (a name, a query, a log entry's detail)
 * on stdout, made printable (text_printable). */
void cli_print_text(const char *s);

/* cli_usage - prints usage to stderr and returns EXIT_USAGE. */
int cli_usage(const char *usage);

/* cli_json_flag - a command's options when --json is its only one: *json
 * set when it is given. EXIT_USAGE (usage printed) for any other. */
int cli_json_flag(int argc, char **argv, const char *usage, int *json);

/* cli_catalogue - the field catalogue in the rules' folder: the loaded
 * rules' own, else read once (freed by main); NULL when it cannot be
 * read, the reason in base_errmsg(). cli_schema - the fields of it the
 * index keeps. */
const struct fields_catalogue *cli_catalogue(cli *c);
const index_schema *cli_schema(cli *c);

/* cli_store_open - opens the configured store to read, printing the
 * error, with the catalogue's fields when it can be read (a command
 * that searches by field checks store_schema()). Returns an exit code;
 * on EXIT_OK *s is yours to store_close(). */
int cli_store_open(cli *c, int create, store **s);

/* cli_store_open_write - opens the store to write (create: make it when
 * missing): an older store is upgraded, and the field rules and their
 * catalogue are loaded (c->rules, freed by main) so that the index and
 * the review queue follow every record and correction. Without
 * need_rules, rules that cannot be read
 * are no error (an ingest without OCR stores no fields; the queue is
 * built again by the next write that has them). Returns an exit code,
 * the error printed. */
int cli_store_open_write(cli *c, int create, int need_rules, store **s);

/* cli_access_entry - an access-log entry for what the person at the
 * terminal did now (record, query, detail each left out when NULL), to
 * go in a store transaction with the change it records. Yours. */
json_t *cli_access_entry(const char *action, const char *record,
			 const char *query, const char *detail);

/* cli_access - an entry in the store's access log for what a person
 * did from the terminal (a correction, an export): the user is
 * base_user(), the address "terminal". A failure is a warning on stderr. */
void cli_access(const cli *c, store *s, const char *action, const char *record,
		const char *query, const char *detail);

/* cli_interrupt - with on, SIGINT and SIGTERM set the flag returned
 * (cleared now) instead of ending the process, for a long command that
 * stops cleanly between records; with !on, their defaults again. */
volatile sig_atomic_t *cli_interrupt(int on);

/* cli_exit_for - the exit code for a module error code. */
int cli_exit_for(int rc);

/* cli_print_json - j on stdout, indented, with a newline. */
void cli_print_json(json_t *j);

#endif
