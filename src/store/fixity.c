/* fixity.c - is a stored record what was stored? Its metadata, each
 * page's result, text and image read (each read verifies the value's
 * SHA-256, schema 5), and the original unpacked (zstd's own checksum)
 * and hashed again against the SHA-256 taken at ingest; `sohoa check`
 * and the site's check both ask it. */
#include "internal.h"

#include "../base/base.h"

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
	json_int_t pages = json_integer_value(json_object_get(json_object_get(meta,
							 "source"), "pages"));
	for (int k = 1; rc == 0 && k <= pages; k++) {
		json_t *result = NULL;
		char *text = NULL;
		void *image = NULL;
		size_t ilen;
		/* a page never read has none of them: not damage */
		if ((rc = store_page_get(s, id, k, &result)) == BASE_ENOTFOUND)
			rc = 0;
		if (rc == 0 && (rc = store_page_text(s, id, k, &text)) == BASE_ENOTFOUND)
			rc = 0;
		if (rc == 0 && (rc = store_image_get(s, id, k, &image, &ilen)) == BASE_ENOTFOUND)
			rc = 0;
		json_decref(result);
		free(text);
		free(image);
	}
	if (rc) {
		/* the caller names the record (and the store) already */
		const char *m = base_errmsg();
		char prefix[STORE_ID_MAX + 16];
		snprintf(prefix, sizeof(prefix), "record '%s': ", id);
		if (!strncmp(m, "store '", 7) && strstr(m, "': "))
			m = strstr(m, "': ") + 3;
		if (!strncmp(m, prefix, strlen(prefix)))
			m += strlen(prefix);
		snprintf(why, len, "%s", m);
		free(data);
		json_decref(meta);
		return BASE_ECORRUPT;
	}
	want = json_string_value(json_object_get(json_object_get(meta, "source"),
						 "sha256"));
	if ((rc = base_sha256_hex(data, n, got))) {
		snprintf(why, len, "%s", base_errmsg());
		free(data);
		json_decref(meta);
		return rc;
	}
	rc = !want || strcmp(got, want) ? BASE_ECORRUPT : 0;
	if (rc)
		snprintf(why, len, "original's SHA-256 is %s, stored at ingest as %s",
			 got, want ? want : "(missing)");
	free(data);
	json_decref(meta);
	return rc;
}
