/* view.c - a record's whole view, the shape of `show --json`. */
#include "records.h"

#include "../base/base.h"

/* The documented shape of `show --json` (README): keys that later stages
 * fill (type, text, confidence, fields) are always present, null when
 * the record does not have them (one written by another tool). */
json_t *records_view(store *s, const char *id, json_t *meta, json_t *history,
		     json_t **problems)
{
	json_t *pages = json_array(), *p, *out, *ocr, *seals;
	size_t i;
	int rc;

	json_array_foreach(json_object_get(meta, "pages"), i, p) {
		json_t *q = json_deep_copy(p);
		/* no OCR is a normal answer; a damaged page is not */
		rc = store_page_get(s, id, (int)i + 1, &ocr);
		if (rc && rc != BASE_ENOTFOUND && problems) {
			if (!*problems)
				*problems = json_array();
			json_array_append_new(*problems, json_sprintf(
				"%s page %zu: OCR result unreadable: %s", id,
				i + 1, base_errmsg()));
		}
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
