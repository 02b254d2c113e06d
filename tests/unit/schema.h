/* schema.h - the index's view of the repository's field catalogue
 * (config/fields/, or $RULES), as `sohoa` builds it (ingest_schema), for
 * the unit tests that open an index. */
#ifndef UNIT_SCHEMA_H
#define UNIT_SCHEMA_H

#include "../../src/ingest/ingest.h"

#include <stdio.h>
#include <stdlib.h>

static const index_schema *unit_schema(void)
{
	static fields_catalogue *cat;
	static index_field f[128];
	static index_schema s = { f, 0 };
	const char *dir = getenv("RULES") ? getenv("RULES") : "config/fields";

	if (cat)
		return &s;
	if (fields_catalogue_load(dir, &cat)) {
		fprintf(stderr, "unit_schema: no field catalogue in %s\n", dir);
		exit(2);
	}
	ingest_schema(cat, f, 128, &s);
	return &s;
}

#endif
