/* search.c - a search's hits as people read them: each hit's type, the
 * fields its type shows (the catalogue's summary), a snippet of its
 * text around the words found. */
#include "records.h"

#include "../base/base.h"

#include <stdlib.h>
#include <string.h>

/* The fields a hit shows, by its type's summary in the catalogue: who,
 * and the numbers a clerk reads out. */
static json_t *hit_fields(const fields_catalogue *cat, json_t *meta)
{
	const fields_type_info *t = fields_catalogue_type_named(cat,
		json_string_value(json_object_get(meta, "type")));
	json_t *fields = json_object_get(meta, "fields"), *out = json_object();

	for (int f = 0; t && f < t->nsummary; f++) {
		json_t *v = json_object_get(json_object_get(fields, t->summary[f]),
					    "value");
		if (v)
			json_object_set(out, t->summary[f], v);
	}
	return out;
}

/* Every page's text of a record, one after the other. */
static char *record_text(store *s, const char *id, json_t *meta)
{
	size_t n = json_array_size(json_object_get(meta, "pages")), len = 0;
	char *text = NULL;

	for (size_t i = 1; i <= n; i++) {
		char *t = NULL;
		if (store_page_text(s, id, (int)i, &t) == 0) {
			size_t k = strlen(t);
			char *nt = realloc(text, len + k + 2);
			if (nt) {
				text = nt;
				memcpy(text + len, t, k);
				len += k;
				text[len++] = '\n';
				text[len] = 0;
			}
		}
		free(t);
	}
	return text;
}

int records_search(store *s, const fields_catalogue *cat,
		   const index_params *p, const char *query, size_t limit,
		   json_t **out)
{
	index_query *q;
	index_result *r;
	json_t *hits;
	int rc = index_query_parse(store_schema(s), query, &q);

	*out = NULL;
	if (rc == 0)
		rc = store_search(s, q, p, limit, &r);
	index_query_free(&q);
	if (rc)
		return rc;
	hits = json_array();
	for (size_t i = 0; i < r->n; i++) {
		json_t *meta = NULL;
		if (store_record_get(s, r->hits[i].id, &meta, NULL))
			continue;
		char *text = record_text(s, r->hits[i].id, meta);
		char *snip = index_snippet(text, r, 16);
		json_t *hit = json_pack("{s:s, s:O, s:f, s:b, s:o, s:s}",
			"id", r->hits[i].id, "type", json_object_get(meta, "type"),
			"score", (double)(long)(r->hits[i].score * 1000) / 1000,
			"fuzzy", r->hits[i].fuzzy > 0, "fields", hit_fields(cat, meta),
			"snippet", snip ? snip : "");
		if (json_object_get(meta, "reviewed"))
			json_object_set_new(hit, "reviewed", json_true());
		if (r->hits[i].partial) {
			/* the query's word as typed: checked UTF-8 by the parser's
			 * tokenizer, but a bad one must not lose the hit */
			json_t *lack = json_string(r->hits[i].lacking);
			json_object_set_new(hit, "partial", json_true());
			json_object_set_new(hit, "lacking", json_pack("[o?]", lack));
		}
		json_array_append_new(hits, hit);
		free(snip);
		free(text);
		json_decref(meta);
	}
	*out = json_pack("{s:s, s:I, s:I, s:b, s:o}", "query", query, "total",
			 (json_int_t)r->total, "partial", (json_int_t)r->partial,
			 "fuzzy", r->fuzzy, "hits", hits);
	index_result_free(&r);
	return 0;
}
