/* ocr.h - page preparation with Leptonica (orientation, deskew,
 * background normalisation, binarisation, cleaning) and Vietnamese
 * recognition with libtesseract, one engine per worker reused for every
 * page. Pages are read one at a time, so workers can share a record. */
#ifndef OCR_H
#define OCR_H

#include <jansson.h>
#include <stddef.h>

#define OCR_MAX_VARS 32

typedef struct ocr_opts {
	const char *lang;       /* "vie" */
	const char *tessdata;   /* NULL or "" for Tesseract's default */
	int psm;                /* page segmentation mode */
	double unreadable_below; /* a page read below this mean confidence
				  * (0-100) after orientation is unreadable */
	const char *user_words; /* a word list file, or NULL */
	const char *syllables;  /* the syllable model diacritics are chosen
				 * by ([ocr] syllables), or NULL: as read */
	/* further Tesseract variables, name and value */
	const char *var_name[OCR_MAX_VARS], *var_value[OCR_MAX_VARS];
	int nvars;
	/* a page's budget ([ocr] page_seconds, page_memory_mb; 0: none):
	 * a page whose pixels would need more memory is not read, one that
	 * takes longer is stopped; either is left unrecognised, for review */
	double page_seconds;
	double page_memory_mb;
} ocr_opts;

/* Where a page's time goes, in ocr_page.seconds. */
enum { OCR_T_PREPARE, OCR_T_ORIENT, OCR_T_RECOGNISE, OCR_T_ENCODE, OCR_T_N };

/* One recognised page. */
typedef struct ocr_page {
	/* {"n", "text", "confidence", "rotation", "skew", "dpi", "width",
	 *  "height", "orientation": {"lines", "updown", "sure", "sampled"},
	 *  "seals", "unreadable" (only when true),
	 *  "words": [{"t", "b": [x,y,w,h], "c", "l"}]}
	 * boxes are in the cleaned image's pixels; "l" is the line number */
	json_t *result;
	unsigned char *image;   /* the cleaned page, bilevel TIFF G4 */
	size_t image_len;
	char error[256];        /* "" or why the page has no text or is
				 * unreadable */
	double seconds[OCR_T_N];
} ocr_page;

typedef struct ocr_engine ocr_engine;

/* ocr_engine_create - loads Tesseract for o->lang (and its variables).
 * On error returns BASE_EIO or BASE_EINVAL (a variable Tesseract does not
 * know), naming the language or variable; *out stays NULL.
 * Notes: 1. call ocr_init() once first, before any thread starts.
 *        2. you own *out; ocr_engine_destroy() frees it. */
int ocr_engine_create(ocr_engine **out, const ocr_opts *o);
void ocr_engine_destroy(ocr_engine **e);

/* ocr_init - process-wide set-up (quiet Leptonica). Engines in parallel
 * workers also need OMP_THREAD_LIMIT=1 in the environment from the start
 * of the process: main() sees to that (libgomp reads it when loaded). */
void ocr_init(void);

/* ocr_page_read - prepares and recognises page n (from 0) of a
 * validated TIFF held in memory into *out, an element of an array you
 * allocated (zeroed) and free with ocr_pages_free(). Returns 0 when the page
 * has a result (.error may still say it is unreadable or empty), -1
 * when it has none (.error says why). Reads the TIFF, never writes it. */
int ocr_page_read(ocr_engine *e, const void *tiff, size_t len, int n,
		  ocr_page *out);

/* ocr_pages_free - frees an array of n pages that ocr_page_read()
 * filled (their results and images) and the array itself. */
void ocr_pages_free(ocr_page *pages, int n);

/* ocr_image_to_png - decodes a stored G4 page and encodes it as PNG,
 * scaled by scale (1.0 = as stored). You own *png (free()). */
int ocr_image_to_png(const void *g4, size_t len, double scale,
		     unsigned char **png, size_t *png_len);

/* ocr_versions - "tesseract 5.3.0, leptonica-1.82.0" as linked, into
 * out. */
void ocr_versions(char *out, size_t cap);

#endif
