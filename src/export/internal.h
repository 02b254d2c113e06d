/* internal.h - what the export module's files share: the PDF writer,
 * the ALTO writer and a page's current words. */
#ifndef EXPORT_INTERNAL_H
#define EXPORT_INTERNAL_H

#include <jansson.h>

typedef struct export_pdf export_pdf;

/* export_pdf_create - a PDF/A-2b document titled title, its font
 * loaded. SH_EIO naming the font when it cannot be read. */
int export_pdf_create(export_pdf **out, const char *title);

/* export_pdf_page - adds a page: the bilevel image bits (1 = black,
 * rows of line_bytes, top first) at dpi, words (export_page_words) as
 * invisible text over their boxes. */
int export_pdf_page(export_pdf *p, const unsigned char *bits, int w, int h,
		    int line_bytes, int dpi, json_t *words);

/* export_pdf_finish - metadata, output intent and ID, and the file
 * written to path; seed makes the ID (the record id). */
int export_pdf_finish(export_pdf *p, const char *path, const char *seed);

/* export_pdf_destroy - frees p (NULL is fine) and sets it to NULL. */
void export_pdf_destroy(export_pdf **p);

/* export_alto - page page_no's ALTO 3.0 at path, measuring image
 * (w x h pixels). */
int export_alto(const char *path, const char *image, int page_no, int w,
		int h, json_t *words);

#endif
