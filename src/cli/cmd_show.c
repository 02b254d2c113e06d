/* cmd_show.c - `sohoa show`: one record, as text or JSON. */
#include "cli.h"

#include "../records/records.h"
#include "../base/base.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "usage: sohoa show [--json] ID\n";

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
	int json = 0, rc;

	if (cli_json_flag(argc, argv, usage, &json))
		return EXIT_USAGE;
	if (argc - optind != 1)
		return cli_usage(usage);
	if (cli_store_open(c, 0, &s))
		return EXIT_FAIL;
	rc = store_record_get(s, argv[optind], &meta, &history);
	if (rc) {
		cli_error("%s", base_errmsg());
		store_close(&s);
		return EXIT_FAIL;
	}
	json_t *problems = NULL, *pr;
	size_t k;
	view = records_view(s, argv[optind], meta, history, &problems);
	store_close(&s);
	json_array_foreach(problems, k, pr)
		cli_error("%s", json_string_value(pr));
	json_decref(problems);
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
