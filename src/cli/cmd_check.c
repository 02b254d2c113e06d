/* cmd_check.c - `sohoa check`: fixity of the whole store. Every original
 * is unpacked and hashed again and compared with the SHA-256 taken at
 * ingest. Damaged records are listed on stdout, one a line. */
#include "cli.h"

#include "../base/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] = "usage: sohoa check\n";

/* Returns 1 when the record is intact, 0 when damaged (printed). */
static int check_one(store *s, const char *id)
{
	char why[300];

	if (store_record_check(s, id, why, sizeof(why)) == 0)
		return 1;
	printf("%s: damaged: %s\n", id, why);
	return 0;
}

int cmd_check(cli *c, int argc, char **argv)
{
	char **ids = NULL;
	size_t n = 0, damaged = 0;
	int tty = isatty(STDERR_FILENO) && c->verbosity >= 0;
	store *s = NULL;
	int rc;

	(void)argv;
	if (argc != 1)
		return cli_usage(usage);
	if (cli_store_open(c, 0, &s))
		return EXIT_FAIL;
	rc = store_list_ids(s, &ids, &n);
	if (rc) {
		cli_error("%s", base_errmsg());
		store_close(&s);
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < n; i++) {
		damaged += !check_one(s, ids[i]);
		fflush(stdout);
		if (tty && (i % 16 == 15 || i + 1 == n))
			fprintf(stderr, "\r\033[Kcheck: %zu/%zu records", i + 1,
				n);
	}
	if (tty && n)
		fputc('\n', stderr);
	cli_info(c, "checked %zu records: %zu intact, %zu damaged", n,
		 n - damaged, damaged);
	/* exports killed part way (check only reads: it names them) */
	json_t *notes = NULL, *note;
	size_t k;
	if (store_note_list(s, "export:", &notes) == 0)
		json_array_foreach(notes, k, note) {
			const char *state = json_string_value(json_object_get(note, "state"));
			int complete = state && !strcmp(state, "complete");
			cli_error("an export to '%s' was interrupted (%s%s); the next "
				  "command that writes the store (sohoa export, "
				  "ingest, ...) settles it",
				  json_string_value(json_object_get(note, "out")),
				  complete ? "its package complete, its records not yet "
				  "marked" : "its partial folder ",
				  complete ? "" : json_string_value(json_object_get(note, "partial")));
		}
	json_decref(notes);
	store_ids_free(ids, n);
	store_close(&s);
	return damaged ? EXIT_PROBLEMS : EXIT_OK;
}
