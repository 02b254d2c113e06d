/* render.c - a record's PDF/A, page images and ALTO from what the store
 * keeps: its cleaned pages and their current words. Nothing is
 * recognised again. */
#include "export.h"
#include "internal.h"

#include "../base/base.h"

#include <leptonica/allheaders.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The title of a record's PDF: its id, type and number (the field the
 * catalogue names for its type). */
static void title_of(json_t *meta, const fields_catalogue *cat,
		     const char *id, char *out, size_t cap)
{
	const char *type = json_string_value(json_object_get(meta, "type"));
	const fields_type_info *t = fields_catalogue_type_named(cat, type);
	const char *so = !t || !t->number[0] ? NULL :
		json_string_value(json_object_get(json_object_get(
			json_object_get(meta, "fields"), t->number), "value"));

	snprintf(out, cap, "%s%s%s%s%s", id, type ? " " : "", type ? type : "",
		 so ? " số " : "", so ? so : "");
}

static int page_one(store *s, const char *id, json_t *meta, int n,
		    const export_files *f, export_pdf *pdf, size_t *bytes)
{
	void *tif = NULL;
	size_t len = 0;
	PIX *pix = NULL, *one = NULL;
	json_t *page = NULL, *words = NULL;
	char path[4400], image[256];
	int rc = store_image_get(s, id, n, &tif, &len);

	if (rc == BASE_ENOTFOUND)
		rc = base_fail(BASE_ENOTFOUND, "%s page %d has no cleaned image "
			     "(stored with OCR off)", id, n);
	if (rc)
		goto out;
	pix = pixReadMemTiff(tif, len, 0);
	one = pix && pixGetDepth(pix) != 1 ? pixConvertTo1(pix, 128)
		: pix ? pixClone(pix) : NULL;
	if (!one) {
		rc = base_fail(BASE_ECORRUPT, "%s: page %d's stored image cannot be "
			     "read", id, n);
		goto out;
	}
	rc = store_page_get(s, id, n, &page);
	if (rc == BASE_ENOTFOUND)
		rc = 0;  /* a page that gave no words: its image alone */
	if (rc)
		goto out;
	words = export_page_words(meta, page, n);
	if (!words) {
		rc = base_fail(BASE_ENOMEM, "out of memory");
		goto out;
	}
	int w = (int)pixGetWidth(one), h = (int)pixGetHeight(one);
	/* the resolution ingest settled on (tag, or estimated) */
	int dpi = (int)json_integer_value(json_object_get(json_array_get(
			json_object_get(meta, "pages"), (size_t)n - 1), "dpi"));
	if (dpi < 50 || dpi > 2400)
		dpi = pixGetXRes(one) >= 50 ? pixGetXRes(one) : 300;
	snprintf(image, sizeof(image), f->image_ref ? f->image_ref : "page-%d.tif", n);
	if (f->image) {
		snprintf(path, sizeof(path), f->image, n);
		rc = base_write_file_atomic(path, tif, len);
		*bytes += len;
	}
	if (rc == 0 && f->alto) {
		snprintf(path, sizeof(path), f->alto, n);
		rc = export_alto(path, image, n, w, h, words);
	}
	if (rc == 0 && pdf) {
		PIX *be = pixEndianByteSwapNew(one);
		rc = be ? export_pdf_page(pdf, (const unsigned char *)pixGetData(be),
					  w, h, pixGetWpl(be) * 4, dpi, words)
			: base_fail(BASE_ENOMEM, "out of memory");
		pixDestroy(&be);
	}
out:
	json_decref(words);
	json_decref(page);
	pixDestroy(&one);
	pixDestroy(&pix);
	free(tif);
	return rc;
}

int export_render(store *s, const char *id, json_t *meta,
		  const fields_catalogue *cat, const export_files *f)
{
	int np = (int)json_array_size(json_object_get(meta, "pages")), rc = 0;
	export_pdf *pdf = NULL;
	char title[512];
	size_t bytes = 0;

	if (np == 0)
		return base_fail(BASE_ENOTFOUND, "%s has no pages", id);
	title_of(meta, cat, id, title, sizeof(title));
	if (f->pdf || f->pdf_bytes)
		rc = export_pdf_create(&pdf, title);
	for (int n = 1; rc == 0 && n <= np; n++)
		rc = page_one(s, id, meta, n, f, pdf, &bytes);
	if (rc == 0 && pdf) {
		unsigned char *doc = NULL;
		size_t len = 0;
		rc = export_pdf_finish(pdf, id, &doc, &len);
		if (rc == 0 && f->pdf) {
			rc = base_write_file_atomic(f->pdf, doc, len);
			free(doc);
		} else if (rc == 0) {
			*f->pdf_bytes = doc;
			*f->pdf_len = len;
		}
	}
	export_pdf_destroy(&pdf);
	if (rc) {  /* what was written of it goes */
		char path[8192];
		if (f->pdf)
			remove(f->pdf);
		for (int n = 1; n <= np; n++) {
			if (f->image) {
				snprintf(path, sizeof(path), f->image, n);
				remove(path);
			}
			if (f->alto) {
				snprintf(path, sizeof(path), f->alto, n);
				remove(path);
			}
		}
	}
	return rc;
}
