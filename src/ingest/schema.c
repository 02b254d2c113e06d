/* schema.c - the field catalogue as the index keeps it: the schema every
 * store is opened with (the index reads no rules, the fields module
 * knows no index; the pipeline that hands one's values to the other
 * joins them). */
#include "ingest.h"

#include <string.h>

void ingest_schema(const fields_catalogue *cat, index_field *f, int cap,
		   index_schema *out)
{
	static const char kind[] = { 0, 't', 'p', 'd' };

	*out = (index_schema){ f, 0 };
	for (int i = 0; i < fields_catalogue_fields(cat) && out->n < cap; i++) {
		const fields_field *c = fields_catalogue_field(cat, i);
		if (c->index == FIELDS_INDEX_NO)
			continue;
		int dates = 0;
		for (int t = 0; t < fields_catalogue_types(cat); t++)
			dates |= !strcmp(fields_catalogue_type(cat, t)->date, c->key);
		f[out->n++] = (index_field){ c->key, kind[c->index], c->code,
					     c->person, dates };
	}
}
