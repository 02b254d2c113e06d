/* cmd_show.c - `sohoa show`: one record, as text or JSON. */
#include "cli.h"

#include "sh/sh.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "usage: sohoa show [--json] ID\n";

static const struct option options[] = {
	{ "json", no_argument, NULL, 'J' },
	{ NULL, 0, NULL, 0 },
};

/* The documented shape of `show --json` (README): keys that later stages
 * fill (type, text, confidence, fields) are always present, null when
 * the record does not have them (one written by another tool). */
static json_t *record_view(store *s, const char *id, json_t *meta,
			   json_t *history)
{
	json_t *pages = json_array(), *p, *out, *ocr, *seals;
	size_t i;
	int rc;

	json_array_foreach(json_object_get(meta, "pages"), i, p) {
		json_t *q = json_deep_copy(p);
		/* no OCR is a normal answer; a damaged page is not */
		rc = store_page_get(s, id, (int)i + 1, &ocr);
		if (rc && rc != SH_ENOTFOUND)
			cli_error("%s page %zu: OCR result unreadable: %s", id,
				  i + 1, sh_errmsg());
		json_object_set(q, "text", ocr ? json_object_get(ocr, "text")
							 : json_null());
		json_object_set(q, "confidence", ocr ? json_object_get(ocr,
						"confidence") : json_null());
		/* how the page was found: turned and skewed on the scanner */
		json_object_set(q, "rotation", ocr ? json_object_get(ocr,
						"rotation") : json_null());
		json_object_set(q, "skew", ocr ? json_object_get(ocr, "skew")
						 : json_null());
		/* seals read around; null on a page stored before sohoa
		 * looked for them */
		seals = ocr ? json_object_get(ocr, "seals") : NULL;
		json_object_set(q, "seals", seals ? seals : json_null());
		/* how orientation was told (null before sohoa 0.15), and
		 * whether the page stayed unreadable once upright */
		json_object_set(q, "orientation", ocr && json_object_get(ocr,
			"orientation") ? json_object_get(ocr, "orientation")
				       : json_null());
		json_object_set(q, "unreadable", json_boolean(ocr &&
			json_is_true(json_object_get(ocr, "unreadable"))));
		/* what was done to a photographed page, and where its
		 * resolution came from (null before sohoa 0.15) */
		json_object_set(q, "capture", ocr && json_object_get(ocr, "capture")
				? json_object_get(ocr, "capture") : json_null());
		json_object_set(q, "dpi_from", ocr && json_object_get(ocr, "dpi_from")
				? json_object_get(ocr, "dpi_from") : json_null());
		if (ocr && json_integer_value(json_object_get(ocr, "dpi")) > 0)
			json_object_set(q, "ocr_dpi", json_object_get(ocr, "dpi"));
		/* what was done to a page only when it was */
		static const char *const done[] = { "enlarged", "colour_seals",
						    "dewarped", "reread", "declined",
						    "chosen", "why", "quality" };
		for (size_t k = 0; ocr && k < sizeof(done) / sizeof(*done); k++)
			if (json_object_get(ocr, done[k]))
				json_object_set(q, done[k], json_object_get(ocr, done[k]));
		json_decref(ocr);
		json_array_append_new(pages, q);
	}
	json_t *arch = json_object_get(meta, "archive");
	out = json_pack("{s:s, s:O?, s:O?, s:O?, s:O?, s:O?, s:O, s:o, s:O?, s:O?}",
			"id", id,
			"type", json_object_get(meta, "type"),
			"edition", json_object_get(meta, "edition"),
			"source", json_object_get(meta, "source"),
			"batch", json_object_get(meta, "batch"),
			"ingested", json_object_get(meta, "ingested"),
			"archive", arch ? arch : json_null(),
			"pages", pages,
			"fields", json_object_get(meta, "fields"),
			"history", history);
	/* who accepted it, and the version a save is checked against */
	if (out && json_object_get(meta, "reviewed"))
		json_object_set(out, "reviewed", json_object_get(meta, "reviewed"));
	if (out)
		json_object_set_new(out, "version", json_integer(json_integer_value(
			json_object_get(meta, "version")) > 0 ? json_integer_value(
			json_object_get(meta, "version")) : 1));
	if (out && json_object_get(meta, "updated"))
		json_object_set(out, "updated", json_object_get(meta, "updated"));
	return out;
}

/* The string at key k of o, or "-" when it has none. */
static const char *sv(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "-";
}

static void print_text(json_t *v)
{
	json_t *src = json_object_get(v, "source"), *p, *ev;
	json_int_t bytes = json_integer_value(json_object_get(src, "bytes"));
	const char *type = json_string_value(json_object_get(v, "type"));
	size_t i;

	printf("%s  %s%s%s\n", sv(v, "id"),
	       type ? type : "(type not yet known)",
	       json_is_string(json_object_get(v, "edition")) ? ", edition " : "",
	       json_is_string(json_object_get(v, "edition")) ? sv(v, "edition") : "");
	printf("source    %s\n", sv(src, "path"));
	printf("sha256    %s\n",
	       sv(src, "sha256"));
	printf("bytes     %lld\n", (long long)bytes);
	printf("batch     %s, ingested %s\n",
	       sv(v, "batch"),
	       sv(v, "ingested"));
	printf("pages     %zu\n", json_array_size(json_object_get(v, "pages")));
	json_array_foreach(json_object_get(v, "pages"), i, p) {
		json_t *dpi = json_object_get(p, "dpi");
		printf("  %3lld  %lldx%lld  ",
		       json_integer_value(json_object_get(p, "n")),
		       json_integer_value(json_object_get(p, "width")),
		       json_integer_value(json_object_get(p, "height")));
		if (json_is_integer(dpi))
			printf("%4lld dpi  ", json_integer_value(dpi));
		else
			printf("   ? dpi  ");
		printf("%-8s %s",
		       sv(p, "mode"),
		       sv(p, "compression"));
		if (json_is_integer(json_object_get(p, "confidence")))
			printf("  OCR confidence %lld, rotation %lld, skew %.2f",
			       json_integer_value(json_object_get(p, "confidence")),
			       json_integer_value(json_object_get(p, "rotation")),
			       json_number_value(json_object_get(p, "skew")));
		printf("\n");
	}
	json_array_foreach(json_object_get(v, "pages"), i, p) {
		const char *text = json_string_value(json_object_get(p, "text"));
		if (!text)
			continue;
		printf("text of page %zu\n", i + 1);
		for (const char *l = text; *l;) {
			size_t n = strcspn(l, "\n");
			if (n)
				printf("  | %.*s\n", (int)n, l);
			l += n + (l[n] == '\n');
		}
	}
	if (json_object_size(json_object_get(v, "fields"))) {
		const char *name;
		json_t *f;
		printf("fields\n");
		json_object_foreach(json_object_get(v, "fields"), name, f) {
			json_t *val = json_object_get(f, "value");
			char *txt = json_is_string(val) ? strdup(json_string_value(val))
				    : json_dumps(val, JSON_ENCODE_ANY);
			printf("  %-18s %s  (%.2f, %s)\n", name, txt ? txt : "",
			       json_number_value(json_object_get(f, "confidence")),
			       sv(f, "source"));
			free(txt);
			/* two readings that disagree: both, for the person */
			if (json_array_size(json_object_get(f, "readings")) > 1) {
				txt = json_dumps(json_object_get(f, "readings"), JSON_ENCODE_ANY);
				printf("  %-18s readings disagree: %s\n", "", txt ? txt : "");
				free(txt);
			}
		}
	}
	printf("history\n");
	json_array_foreach(json_object_get(v, "history"), i, ev) {
		const char *b = json_string_value(json_object_get(ev, "batch"));
		printf("  %s  %-10s %s%s%s\n",
		       sv(ev, "time"),
		       sv(ev, "user"),
		       sv(ev, "event"),
		       b ? "  batch " : "", b ? b : "");
	}
}

int cmd_show(cli *c, int argc, char **argv)
{
	json_t *meta = NULL, *history = NULL, *view;
	store *s = NULL;
	int opt, json = 0, rc;

	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt != 'J')
			return cli_usage(usage);
		json = 1;
	}
	if (argc - optind != 1)
		return cli_usage(usage);
	if (cli_store_open(c, 0, &s))
		return EXIT_FAIL;
	rc = store_record_get(s, argv[optind], &meta, &history);
	if (rc) {
		cli_error("%s", sh_errmsg());
		store_close(&s);
		return EXIT_FAIL;
	}
	view = record_view(s, argv[optind], meta, history);
	store_close(&s);
	if (!view) {
		cli_error("%s: out of memory", argv[optind]);
		json_decref(history);
		json_decref(meta);
		return EXIT_FAIL;
	}
	if (json)
		cli_print_json(view);
	else
		print_text(view);
	json_decref(view);
	json_decref(history);
	json_decref(meta);
	return EXIT_OK;
}
