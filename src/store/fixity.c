/* fixity.c - is a stored original what was ingested? Unpacked (zstd's
 * own checksum) and hashed again against the SHA-256 taken at ingest;
 * `sohoa check` and the site's check both ask it. */
#include "internal.h"

#include "../sh/sh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_record_check(store *s, const char *id, char *why, size_t len)
{
	json_t *meta = NULL;
	const char *want;
	void *data = NULL;
	size_t n = 0;
	char got[65];
	int rc = store_record_get(s, id, &meta, NULL);

	if (rc == 0)
		rc = store_original_get(s, id, &data, &n);
	if (rc) {
		snprintf(why, len, "%s", sh_errmsg());
		json_decref(meta);
		return SH_ECORRUPT;
	}
	want = json_string_value(json_object_get(json_object_get(meta, "source"),
						 "sha256"));
	sh_sha256_hex(data, n, got);
	rc = !want || strcmp(got, want) ? SH_ECORRUPT : 0;
	if (rc)
		snprintf(why, len, "original's SHA-256 is %s, stored at ingest as %s",
			 got, want ? want : "(missing)");
	free(data);
	json_decref(meta);
	return rc;
}
