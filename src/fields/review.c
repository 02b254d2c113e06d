/* review.c - what a person must look at, and checking what they type. */
#include "fields.h"
#include "internal.h"

#include "../base/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add(json_t *problems, const char *field, const char *what,
		json_t *conf)
{
	json_t *p = json_pack("{s:s, s:s}", "field", field, "problem", what);

	if (conf)
		json_object_set(p, "confidence", conf);
	json_array_append_new(problems, p);
}

double fields_review(const fields_rules *r, json_t *meta, double below,
		     json_t **problems)
{
	const char *type = json_string_value(json_object_get(meta, "type"));
	const rule_type *t = type ? fields_rules_type(r, type) : NULL;
	json_t *fields = json_object_get(meta, "fields");
	const rule_edition *e = fields_edition_named(t, json_string_value(
		json_object_get(meta, "edition")));
	double score = 0;
	size_t i;
	json_t *v;

	*problems = json_array();
	/* a page that read badly even once upright: its words, and so the
	 * fields on it, are not to be trusted unseen */
	json_array_foreach(json_object_get(meta, "unreadable_pages"), i, v) {
		char page[32];
		snprintf(page, sizeof(page), "page %lld", (long long)json_integer_value(v));
		add(*problems, page, "unreadable page", NULL);
		score += 20;
	}
	if (!t) {
		add(*problems, "type", "unknown type", NULL);
		return score + 100;
	}
	for (int i = 0; i < t->nfields; i++) {
		const rule_field *f = &t->field[i];
		json_t *v = json_object_get(fields, f->name), *c;
		if (f->name[0] == '_')
			continue;
		if (!v) {
			if (fields_required(e, f)) {
				add(*problems, f->name, "missing", NULL);
				score += 10;
			}
			continue;
		}
		c = json_object_get(v, "confidence");
		if (json_array_size(json_object_get(v, "readings")) > 1) {
			/* two readings of the value disagree: a person picks
			 * (a correction replaces the field, readings and all) */
			add(*problems, f->name, "readings disagree", c);
			score += 5;
		} else if (json_number_value(c) < below) {
			add(*problems, f->name, "low confidence", c);
			score += 1 + (below - json_number_value(c)) * 10;
		}
	}
	/* fields the rules do not name but extraction gives (an owner's
	 * details beside the list of names) are doubted as read */
	const char *name;
	json_object_foreach(fields, name, v) {
		int ruled = 0;
		for (int i = 0; i < t->nfields && !ruled; i++)
			ruled = !strcmp(t->field[i].name, name);
		json_t *c = json_object_get(v, "confidence");
		if (!ruled && json_is_number(c) && json_number_value(c) < below) {
			add(*problems, name, "low confidence", c);
			score += 1 + (below - json_number_value(c)) * 10;
		}
	}
	return score;
}

int fields_validate(const fields_rules *r, const char *type,
		    const char *field, const char *value, json_t **out)
{
	const rule_type *t;
	const rule_field *f = NULL;
	char buf[1024];

	*out = NULL;
	if (!strcmp(field, "type")) {
		if (!fields_rules_type(r, value))
			return base_fail(BASE_EINVAL, "type: '%s' is not a type "
				       "(khai-sinh, ket-hon, khai-tu, gcn)", value);
		*out = json_string(value);
		return 0;
	}
	t = type ? fields_rules_type(r, type) : NULL;
	if (!t)
		return base_fail(BASE_EINVAL, "the record's type is not known: "
			       "correct type=... first");
	for (int i = 0; i < t->nfields; i++)
		if (!strcmp(t->field[i].name, field) && field[0] != '_')
			f = &t->field[i];
	if (!f)
		return base_fail(BASE_EINVAL, "%s has no field '%s'", type, field);
	if (!strcmp(f->kind, "list")) {
		json_t *list = json_array();
		const char *p = value;
		while (*p) {
			size_t n = strcspn(p, ";");
			snprintf(buf, sizeof(buf), "%.*s", (int)n, p);
			if (fields_normalise("name", buf, NULL) > 0)
				json_array_append_new(list, json_string(buf));
			p += n + (p[n] == ';');
		}
		if (!json_array_size(list)) {
			json_decref(list);
			return base_fail(BASE_EINVAL, "%s: give at least one name "
				       "(several separated by ';')", field);
		}
		*out = list;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", value);
	if (fields_normalise(f->kind, buf, NULL) <= 0)
		return base_fail(BASE_EINVAL, "%s: '%s' is not a %s%s", field, value,
			       !strcmp(f->kind, "sex") ? "sex (Nam or Nữ)" : f->kind,
			       !strcmp(f->kind, "date") ? " (15/03/1985 or 1985-03-15)" : "");
	*out = json_string(buf);
	return 0;
}

void fields_apply(json_t *meta, const char *field, json_t *value,
		  json_t *changes)
{
	json_t *fields = json_object_get(meta, "fields"), *old;

	if (!strcmp(field, "type")) {
		old = json_object_get(meta, "type");
		json_array_append_new(changes, json_pack("{s:s, s:O, s:O}", "field",
				      "type", "old", old ? old : json_null(), "new", value));
		json_object_set(meta, "type", value);
		return;
	}
	if (!json_is_object(fields)) {
		fields = json_object();
		json_object_set_new(meta, "fields", fields);
	}
	old = json_object_get(json_object_get(fields, field), "value");
	json_array_append_new(changes, json_pack("{s:s, s:O, s:O}", "field",
			      field, "old", old ? old : json_null(), "new", value));
	/* the person's value replaces the reading and its readings; the
	 * box stays: where on the page the value is printed (the export
	 * lays the corrected value over those words) */
	json_t *box = json_incref(json_object_get(json_object_get(fields, field), "box"));
	json_t *now = json_pack("{s:O, s:f, s:s}", "value", value, "confidence",
				1.0, "source", "correction");
	if (box)
		json_object_set_new(now, "box", box);
	json_object_set_new(fields, field, now);
}

json_t *fields_review_json(const fields_rules *r, json_t *meta, double below)
{
	json_t *problems = NULL;
	double score = fields_review(r, meta, below, &problems);

	return json_pack("{s:f, s:o}", "score", score,
			 "problems", problems ? problems : json_array());
}
