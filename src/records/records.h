/* records.h - a record as the people who look for it see it: a search's
 * hits with the fields their type shows and a snippet of their text, and
 * a record's whole view. The terminal and the site both call these (the
 * shapes are `search --json` and `show --json`, README). */
#ifndef RECORDS_H
#define RECORDS_H

#include <jansson.h>
#include <stddef.h>

#include "../fields/fields.h"
#include "../index/index.h"
#include "../store/store.h"

/* records_search - parses query (the fields of the store's schema) and
 * runs it with ranking p: *out (yours) is {"query", "total", "partial",
 * "fuzzy", "hits": [{"id", "type", "score", "fuzzy", "fields" (the
 * type's summary in cat), "snippet", "reviewed"?, "partial"?,
 * "lacking"?}]}, at most limit hits. BASE_EINVAL, with the parser's
 * message, for a malformed query. */
int records_search(store *s, const fields_catalogue *cat,
		   const index_params *p, const char *query, size_t limit,
		   json_t **out);

/* records_view - record id's view (meta and history as the store gives
 * them; history is taken): its pages with what OCR found on each, its
 * fields, its history, version and review. Keys later stages fill are
 * always present, null when the record lacks them. A page whose OCR
 * result cannot be read is shown without it, and named in *problems
 * (yours, an array of strings; may be NULL). NULL when out of memory. */
json_t *records_view(store *s, const char *id, json_t *meta, json_t *history,
		     json_t **problems);

#endif
