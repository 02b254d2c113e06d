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

/* A photographed page's sheet, found and squared (capture.c). */
typedef struct capture {
	int found;           /* a sheet on a background, squared */
	float corners[4][2]; /* TL, TR, BR, BL in the frame's pixels */
	int w, h;            /* the squared sheet's size */
	float scale;         /* a low-resolution page enlarged by this
				(any page, photographed or not); 0: not */
} capture;

/* ocr_capture_square - the sheet of a photographed page (gray, 8 bpp)
 * found against its darker background, its perspective undone and
 * cropped to it (a new PIX, yours), *cap saying where it was; NULL, and
 * cap->found 0, when the page fills its frame as a scan does. */
PIX *ocr_capture_square(PIX *gray, capture *cap);

/* ocr_dpi_from_text - the resolution of an upright binary page from its
 * letters' x-height (documents set at 13 pt); 0 when it has too few. */
int ocr_dpi_from_text(PIX *bin);

#endif
