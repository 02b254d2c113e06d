/* cmd_correct.c - `sohoa correct ID FIELD=VALUE...`: a person's
 * correction. Each value is checked for its field's kind, becomes the
 * current value with source "correction", and the history keeps the old
 * value, the new one, who and when, in the same transaction. */
#include "cli.h"

#include "../fields/fields.h"
#include "../base/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sohoa correct ID FIELD=VALUE...\n"
	"  e.g. sohoa correct HS-000123 ngay_sinh=15/03/1985 \"ho_ten=NGUYỄN VĂN AN\"\n"
	"       sohoa correct HS-000200 type=khai-sinh\n"
	"       sohoa correct HS-000300 \"chu_su_dung=NGUYỄN VĂN AN; TRẦN THỊ BÌNH\"\n";

struct change {
	fields_rules *rules;
	double review_below;
	char **pairs;
	int n;
	const char *id;
};

static int apply(json_t *meta, json_t *event, void *ctx)
{
	struct change *ch = ctx;
	json_t *changes = json_array();
	int rc = 0;

	for (int i = 0; rc == 0 && i < ch->n; i++) {
		char *eq = strchr(ch->pairs[i], '=');
		char name[64];
		json_t *value = NULL;
		snprintf(name, sizeof(name), "%.*s", (int)(eq - ch->pairs[i]), ch->pairs[i]);
		rc = fields_validate(ch->rules, json_string_value(json_object_get(meta, "type")),
				     name, eq + 1, &value);
		if (rc)
			break;
		fields_apply(meta, name, value, changes);
		json_decref(value);
	}
	json_object_set_new(event, "event", json_string("corrected"));
	json_object_set_new(event, "changes", changes);
	if (rc == 0) {
		/* the access-log entry goes in the change's own transaction:
		 * with it, or neither (as the site's corrections) */
		char detail[512] = "";
		size_t o = 0;
		for (int i = 0; i < ch->n && o < sizeof(detail); i++)
			o += (size_t)snprintf(detail + o, sizeof(detail) - o, "%s%.*s",
					      i ? "," : "", (int)strcspn(ch->pairs[i], "="),
					      ch->pairs[i]);
		json_t *log = json_array();
		json_array_append_new(log, cli_access_entry("correct", ch->id, NULL, detail));
		json_object_set_new(event, "access", log);
		/* its place in the review queue, as corrected */
		json_object_set_new(event, "review", fields_review_json(ch->rules, meta,
									 ch->review_below));
	}
	return rc;
}

int cmd_correct(cli *c, int argc, char **argv)
{
	struct change ch = { NULL, c->cfg.review_below, argv + 2, argc - 2, argv[1] };
	store *s = NULL;
	int rc, code = EXIT_FAIL;

	if (argc < 3)
		return cli_usage(usage);
	for (int i = 2; i < argc; i++)
		if (!strchr(argv[i], '=') || argv[i][0] == '=') {
			cli_error("'%s' is not FIELD=VALUE", argv[i]);
			return cli_usage(usage);
		}
	if (cli_store_open_write(c, 0, 1, &s))
		goto out;
	ch.rules = c->rules;
	rc = store_record_update(s, argv[1], apply, &ch);
	if (rc == BASE_EINVAL) {
		cli_error("%s; nothing was changed", base_errmsg());
		code = EXIT_USAGE;
	} else if (rc) {
		cli_error("%s", base_errmsg());
	} else {
		cli_info(c, "%s: %d field%s corrected", argv[1], ch.n, ch.n == 1 ? "" : "s");
		code = EXIT_OK;
	}
out:
	store_close(&s);
	return code;
}
