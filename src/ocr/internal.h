/* internal.h - what the OCR module's files share. */
#ifndef OCR_INTERNAL_H
#define OCR_INTERNAL_H

#include "ocr.h"

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

struct ocr_engine {
	TessBaseAPI *api;
	ocr_opts o;
	ETEXT_DESC *monitor;  /* the page's deadline, on every recognition */
	double deadline;      /* sh_monotonic() seconds; 0: none */
	int over_time;        /* a recognition of this page was stopped */
};

/* ocr_clean - removes from bin (and whitens in gray, when not NULL) the
 * leader dots, dust and the dots of dotted zeros, and returns the seal
 * strokes to keep out of recognition (NULL when the page has none);
 * *seals gets one more for each seal. */
PIX *ocr_clean(PIX *bin, PIX *gray, int dpi, int *seals);

/* ocr_word_quality - how many pieces of word (split at ASCII
 * punctuation) are well-formed: for Vietnamese a syllable the language
 * has (text_syllable) or a number; for another language a number or
 * three letters read at confidence 60 or more. 0 when the word was read
 * at a confidence under min_conf. */
int ocr_word_quality(const ocr_engine *e, const char *word, float conf, float min_conf);

/* ocr_strip_quality - strip (a band of a page) recognised by e as one
 * block: its well-formed words read at confidence 60 or more (a page
 * turned the wrong way reads as junk, and junk read with confidence is
 * rare), plus a thousandth of the mean confidence to break ties; -1
 * when the engine fails. */
double ocr_strip_quality(ocr_engine *e, PIX *strip, int dpi);

/* Which way up a page is, found on its binarised, unturned scan. */
typedef struct orientation {
	int quads;     /* clockwise quarter turns that make it upright */
	float skew;    /* the lines' angle once turned, degrees */
	float lines;   /* text-line score along rows over along columns */
	float skew_conf; /* pixFindSkew's confidence in it */
	float updown;  /* Leptonica's up/down statistic once turned */
	int sure;      /* 0 when a strip had to be read to decide */
	int sampled;   /* a strip (or the page) was recognised both ways */
	int confirm;   /* a half turn on the marks alone: kept only when
			  the page reads well turned, or better than as
			  it lies */
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

/* ocr_capture_apply - pix (any depth, the frame cap was found in)
 * squared and cropped as the sheet was (a new PIX, yours); NULL when cap
 * found no sheet or Leptonica fails. */
PIX *ocr_capture_apply(PIX *pix, const capture *cap);

/* ocr_dpi_from_text - the resolution of an upright binary page from its
 * letters' x-height (documents set at 13 pt); 0 when it has too few. */
int ocr_dpi_from_text(PIX *bin);

/* How a page's lines bend (dewarp.c): for each of up to three bands
 * down the page, how far each of 17 column edges across it lies below
 * the page's middle column, in pixels of the page measured. */
typedef struct curl_model {
	int w, h;             /* the page measured */
	int lines;            /* text lines found on it */
	int bands;            /* 1 or 3 profiles down the page; 0: none */
	float band_y[3];      /* each profile's row */
	float disp[3][17];    /* column edges' displacement, pixels */
	float bend;           /* widest difference of the lines' angles, degrees */
	float depth;          /* how far the lines stray from straight, pixels */
	int bent;             /* worth flattening */
} curl_model;

/* ocr_dewarp_model - measures in *m how the text lines of the upright,
 * deskewed binary page bin (at dpi) bend; returns m->bent: 1 when they
 * stray from straight lines by 0.35 mm or more, 0 otherwise
 * (also when the page has too few lines to say, or bin is not 1 bpp). */
int ocr_dewarp_model(PIX *bin, int dpi, curl_model *m);

/* ocr_dewarp_apply - pix (1 or 8 bpp, the size m was measured on) with
 * each column moved as m says, its lines flat (a new PIX, yours); NULL
 * when pix does not fit m or memory runs out. */
PIX *ocr_dewarp_apply(PIX *pix, const curl_model *m);

#endif
