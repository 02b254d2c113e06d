/* cli.c - helpers shared by the command functions. */
#include "cli.h"

#include "../export/export.h"
#include "../fields/fields.h"

#include "../ingest/ingest.h"
#include "../base/base.h"
#include "../text/text.h"

#include <getopt.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

/* One message line on stderr, its outside text (file names, queries)
 * made printable: a newline or an escape sequence in a name cannot
 * forge a line or rewrite the terminal. */
static void say(const char *fmt, va_list ap)
{
	char *line = NULL, *safe;

	if (vasprintf(&line, fmt, ap) < 0) {
		fputs("sohoa: out of memory for a message\n", stderr);
		return;
	}
	safe = text_printable(line);
	fprintf(stderr, "sohoa: %s\n", safe ? safe : "out of memory for a message");
	free(safe);
	free(line);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
}

void cli_info(const cli *c, const char *fmt, ...)
{
	va_list ap;

	if (c->verbosity < 0)
		return;
	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
}

void cli_print_text(const char *s)
{
	char *safe = text_printable(s ? s : "");

	fputs(safe ? safe : "?", stdout);
	free(safe);
}

int cli_usage(const char *usage)
{
	fputs(usage, stderr);
	return EXIT_USAGE;
}

int cli_json_flag(int argc, char **argv, const char *usage, int *json)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	*json = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt != 'J')
			return cli_usage(usage);
		*json = 1;
	}
	return EXIT_OK;
}

int cli_exit_for(int rc)
{
	switch (rc) {
	case BASE_OK: return EXIT_OK;
	case BASE_EINVAL: return EXIT_USAGE;
	case BASE_ECORRUPT: return EXIT_PROBLEMS;
	default: return EXIT_FAIL;
	}
}

const fields_catalogue *cli_catalogue(cli *c)
{
	if (c->catalogue)
		return c->catalogue;
	if (c->rules)
		return fields_rules_catalogue(c->rules);
	return fields_catalogue_load(c->cfg.rules, &c->catalogue) ? NULL
								   : c->catalogue;
}

const index_schema *cli_schema(cli *c)
{
	const fields_catalogue *cat;
	int n;

	if (c->ix_fields)
		return &c->schema;
	if (!(cat = cli_catalogue(c)))
		return NULL;
	n = fields_catalogue_fields(cat);
	c->ix_fields = calloc((size_t)n + 1, sizeof(*c->ix_fields));
	if (!c->ix_fields) {
		base_fail(BASE_ENOMEM, "out of memory");
		return NULL;
	}
	ingest_schema(cat, c->ix_fields, n, &c->schema);
	return &c->schema;
}

/* The schema for a store about to open; without a catalogue the store
 * opens all the same (its records, originals and log are there), and
 * the person is told what is missing. */
static const index_schema *schema_or_say(cli *c)
{
	const index_schema *sc = cli_schema(c);

	if (!sc)
		cli_error("warning: %s: fields cannot be searched by name",
			  base_errmsg());
	return sc;
}

int cli_store_open(cli *c, int create, store **s)
{
	store_opts o = { .map_size = c->cfg.map_size, .create = create,
			 .schema = schema_or_say(c) };
	int rc = store_open(s, c->store_dir, &o);

	if (rc) {
		cli_error("%s", base_errmsg());
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* What needs a person in a record, for a store whose review queue is
 * built whole: what fields_review says with the config's threshold. */
static double queue_review(void *ctx, json_t *meta, json_t **problems)
{
	const cli *c = ctx;

	return fields_review(c->rules, meta, c->cfg.review_below, problems);
}

int cli_store_open_write(cli *c, int create, int need_rules, store **s)
{
	store_opts o = { .map_size = c->cfg.map_size, .create = create,
			 .write = 1, .queue_review = queue_review,
			 .queue_review_ctx = c };
	char norules[512] = "";
	int rc;

	if (!c->rules && fields_rules_load(c->cfg.rules, &c->rules)) {
		if (need_rules) {
			cli_error("%s", base_errmsg());
			return EXIT_FAIL;
		}
		snprintf(norules, sizeof(norules), "%s", base_errmsg());
		o.queue_review = NULL;
	}
	o.schema = schema_or_say(c);
	rc = store_open(s, c->store_dir, &o);
	if (rc) {
		/* (a queue to build wants the rules this writer could not read) */
		cli_error("%s%s%s", base_errmsg(), norules[0] ? "; " : "", norules);
		return EXIT_FAIL;
	}
	/* what an export killed part way left: recorded or cleaned now */
	json_t *said = NULL, *m;
	size_t i;
	if (export_recover(*s, &said))
		cli_error("warning: an interrupted export could not be settled: %s",
			  base_errmsg());
	json_array_foreach(said, i, m)
		cli_error("%s", json_string_value(m));
	json_decref(said);
	return EXIT_OK;
}

void cli_print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
}

void cli_ocr_opts(const cli *c, ocr_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->lang = c->cfg.ocr_lang;
	o->tessdata = c->cfg.tessdata;
	o->psm = c->cfg.psm;
	o->unreadable_below = c->cfg.unreadable_below;
	o->page_seconds = c->cfg.page_seconds;
	o->page_memory_mb = c->cfg.page_memory_mb;
	o->user_words = c->cfg.user_words;
	o->syllables = c->cfg.syllables;
	for (int i = 0; i < c->cfg.ntess && i < OCR_MAX_VARS; i++) {
		o->var_name[i] = c->cfg.tess_name[i];
		o->var_value[i] = c->cfg.tess_value[i];
		o->nvars++;
	}
}

int cli_query_join(char **words, int n, char *out, size_t len)
{
	size_t used = 0;

	out[0] = 0;
	for (int i = 0; i < n; i++) {
		if (used + strlen(words[i]) + 2 > len) {
			cli_error("bad query: longer than %zu bytes", len - 2);
			return EXIT_USAGE;
		}
		used += (size_t)snprintf(out + used, len - used, "%s%s",
					 used ? " " : "", words[i]);
	}
	return EXIT_OK;
}

#ifndef SOHOA_VERSION
#define SOHOA_VERSION "unknown"
#endif

int cli_version(void)
{
	char ocr[256], st[128], tiff[64];

	ocr_versions(ocr, sizeof(ocr));
	store_versions(st, sizeof(st));
	ingest_versions(tiff, sizeof(tiff));
	printf("sohoa %s\n", SOHOA_VERSION);
	printf("  %s, %s, %s\n", ocr, st, tiff);
	printf("  rules and word lists: %s (when the configuration has none)\n",
	       SOHOA_DATADIR);
	printf("  configuration: %s/sohoa/sohoa.conf (when not -c, $SOHOA_CONFIG "
	       "or config/sohoa.conf)\n", SOHOA_SYSCONFDIR);
	return EXIT_OK;
}

json_t *cli_access_entry(const char *action, const char *record,
			 const char *query, const char *detail)
{
	char now[32];
	json_t *e;

	base_now_iso(now);
	e = json_pack("{s:s, s:s, s:s, s:s}", "user", base_user(), "action",
		      action, "address", "terminal", "time", now);
	if (e && record)
		json_object_set_new(e, "record", json_string(record));
	if (e && query && *query)
		json_object_set_new(e, "query", json_string(query));
	if (e && detail)
		json_object_set_new(e, "detail", json_string(detail));
	return e;
}

void cli_access(const cli *c, store *s, const char *action, const char *record,
		const char *query, const char *detail)
{
	json_t *e = cli_access_entry(action, record, query, detail);

	(void)c;
	if (!e || store_access_add(s, e))
		cli_error("warning: the access log could not record this %s: %s",
			  action, base_errmsg());
	json_decref(e);
}

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

volatile sig_atomic_t *cli_interrupt(int on)
{
	interrupted = 0;
	signal(SIGINT, on ? on_interrupt : SIG_DFL);
	signal(SIGTERM, on ? on_interrupt : SIG_DFL);
	return &interrupted;
}
