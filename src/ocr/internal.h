/* internal.h - what the OCR module's files share. */
#ifndef OCR_INTERNAL_H
#define OCR_INTERNAL_H

#include "ocr.h"

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

struct ocr_engine {
	TessBaseAPI *api;
	ocr_opts o;
};

/* ocr_clean - removes from bin (and whitens in gray, when not NULL) the
 * leader dots, dust and the dots of dotted zeros, and returns the seal
 * strokes to keep out of recognition (NULL when the page has none);
 * *seals gets one more for each seal. */
PIX *ocr_clean(PIX *bin, PIX *gray, int dpi, int *seals);

/* ocr_seals - the seal strokes of a stored (clean) page, as above. */
PIX *ocr_seals(PIX *bin, int dpi, int *count);

/* Which way up a page is, found on its binarised, unturned scan. */
typedef struct orientation {
	int quads;     /* clockwise quarter turns that make it upright */
	float skew;    /* the lines' angle once turned, degrees */
	float lines;   /* text-line score along rows over along columns */
	float skew_conf; /* pixFindSkew's confidence in it */
	float updown;  /* Leptonica's up/down statistic once turned */
	int sure;      /* 0 when a strip had to be read to decide */
	int sampled;   /* a strip was recognised both ways */
} orientation;

/* ocr_orient - fills *o for the binary page bin at dpi. May recognise a
 * strip of it with e when the page's marks leave up and down unsure. */
void ocr_orient(ocr_engine *e, PIX *bin, int dpi, orientation *o);

#endif
