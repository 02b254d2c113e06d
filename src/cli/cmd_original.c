/* cmd_original.c - `sohoa original`: a record's source file, bit-exact,
 * checked against its SHA-256 before it is handed out. */
#include "cli.h"

#include "../base/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: sohoa original ID -o FILE    (FILE '-' writes to stdout)\n";

static int write_stdout(const void *data, size_t len)
{
	return fwrite(data, 1, len, stdout) == len && fflush(stdout) == 0
		? 0 : base_fail(BASE_EIO, "cannot write to stdout");
}

int cmd_original(cli *c, int argc, char **argv)
{
	const char *id = NULL, *out = NULL;
	json_t *meta = NULL;
	const char *want;
	char got[65];
	void *data = NULL;
	size_t len = 0;
	store *s = NULL;
	int rc, code = EXIT_FAIL;

	/* ID -o FILE, in either order */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!id && argv[i][0] != '-')
			id = argv[i];
		else
			return cli_usage(usage);
	}
	if (!id || !out)
		return cli_usage(usage);
	if (cli_store_open(c, 0, &s))
		return EXIT_FAIL;
	rc = store_record_get(s, id, &meta, NULL);
	if (rc == 0)
		rc = store_original_get(s, id, &data, &len);
	if (rc) {
		cli_error("%s", base_errmsg());
		code = rc == BASE_ECORRUPT ? EXIT_PROBLEMS : EXIT_FAIL;
		goto out;
	}
	want = json_string_value(json_object_get(json_object_get(meta,
						 "source"), "sha256"));
	if (base_sha256_hex(data, len, got)) {
		cli_error("record '%s': %s", id, base_errmsg());
		goto out;
	}
	if (!want || strcmp(want, got)) {
		cli_error("record '%s': stored original does not match its "
			  "SHA-256 (damaged store; see 'sohoa check')", id);
		code = EXIT_PROBLEMS;
		goto out;
	}
	rc = strcmp(out, "-") ? base_write_file_atomic(out, data, len)
			      : write_stdout(data, len);
	if (rc) {
		cli_error("%s", base_errmsg());
		goto out;
	}
	cli_info(c, "%s: %zu bytes written to '%s'", id, len, out);
	code = EXIT_OK;
out:
	free(data);
	json_decref(meta);
	store_close(&s);
	return code;
}
