/* internal.h - what the OCR module's files share. */
#ifndef OCR_INTERNAL_H
#define OCR_INTERNAL_H

#include "ocr.h"

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

typedef struct text_lm text_lm;

struct ocr_engine {
	TessBaseAPI *api;
	ocr_opts o;
	const text_lm *syllables; /* [ocr] syllables' model, or NULL */
	ETEXT_DESC *monitor;  /* the page's deadline, on every recognition */
	double deadline;      /* base_monotonic() seconds; 0: none */
	int over_time;        /* a recognition of this page was stopped */
};

/* Diacritics chosen from evidence (tones.c). ocr_syllables - the model
 * at path, read once a process and shared; NULL (the error set, naming
 * the file) when it cannot be read. ocr_tones_gather - the word at ri
 * (its NFC text word): its spellings with the other marks Tesseract saw
 * on its letters, the first as read (tw->n < 2: none to weigh).
 * ocr_tones_choose - for each of n words with spellings, the likeliest
 * kept (the model on its neighbours as read, the recogniser's
 * confidences): a changed word keeps what was read as "r", a close
 * runner-up is kept as "a". Returns the words changed. */
#define TONE_SYMBOLS 48
#define TONE_LETTERS 12
#define TONE_CANDS 64
#define TONE_CAND_MAX 64
typedef struct ocr_tone_word {
	int n;
	char cand[TONE_CANDS][TONE_CAND_MAX];
	double d[TONE_CANDS]; /* the confidence points given up */
} ocr_tone_word;
const text_lm *ocr_syllables(const char *path);
void ocr_tones_gather(TessResultIterator *ri, const char *word, ocr_tone_word *tw);
int ocr_tones_choose(const text_lm *m, json_t *words, ocr_tone_word *tw, size_t n);

/* ocr_clean - removes from bin (and whitens in gray, when not NULL) the
 * leader dots (faint: those too, of a photographed page, that only the
 * gray page shows), dust and the dots of dotted zeros, and returns the
 * seal strokes to keep out of recognition (NULL when the page has
 * none); *seals gets one more for each seal. */
PIX *ocr_clean(PIX *bin, PIX *gray, int dpi, int faint, int *seals);

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
	int confirm;   /* a turn the page's own reading must confirm (a
			  half turn on the marks alone, a turn chosen on
			  strips): kept only when the page reads well
			  turned, or clearly better than turned as below */
	struct {
		int quads;
		float skew, skew_conf, updown;
	} against;     /* the way up it is weighed against when confirm */
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

/* A page made ready for recognition. */
struct prepared {
	PIX *bin;   /* upright, straight, clean: what the store keeps */
	PIX *feed;  /* what recognition reads, NULL to read bin */
	float skew; /* the angle found, degrees anticlockwise */
	int seals;  /* seals kept out of feed */
	int colour_seals; /* seals found by their colour (seals: by shape) */
	curl_model curl; /* how its lines bent; curl.bent when flattened */
	BOX *seal_box;    /* where the seals found by colour are, or NULL */
	PIX *plain_feed;  /* with seals by colour: feed without them (the
			     shape rule's strokes all out), or NULL */
	int faint;        /* prepared with STEP_FAINT_LEADERS */
};

/* The preparation steps that change a page's ink or geometry on their
 * own evidence, each kept only when the page reads better with it;
 * and the faint leader dots, taken out of photographed pages. */
enum { STEP_FLATTEN = 1, STEP_COLOUR_SEALS = 2, STEP_FAINT_LEADERS = 4 };

/* prepare.c: the page in gray as it is, a colour page's light tints
 * into *tint and its seal-coloured ink into *ink (NULL for any other
 * page); the paper's gray level; the TIFF's resolution when plausible
 * (*tagged set), else one from the page's size; Sauvola's binarisation
 * with a window of 2 * wh + 1 pixels (NULL when Leptonica fails); a
 * page prepared as o says with the steps allowed (1 when a binary page
 * came out; p freed with ocr_prepared_free). */
PIX *ocr_to_gray(PIX *raw, PIX **tint, PIX **ink);
int ocr_paper_level(PIX *gray);
int ocr_page_dpi(PIX *pix, int *tagged);
PIX *ocr_sauvola(PIX *gray, int wh);
int ocr_prepare(PIX *norm, PIX *ink, const orientation *o, int dpi,
		int bilevel, int steps, struct prepared *p);
void ocr_prepared_free(struct prepared *p);

/* ocr.c: a reading (recognise: the result object, with "q" its
 * well-formed words read in blocks as they lie and "q60" those read at
 * confidence 60 or more; *thresholded, when not NULL, the page as
 * Tesseract binarised it), its mean confidence (-1: none), its
 * well-formed words (-1: none), whether it is poor for the letters on
 * bin (*letters caches their count, -1 when not counted), whether a
 * page has ink enough to be text, whether q is clearly better than q0,
 * and what was done to the page written into the reading. */
json_t *ocr_recognise(ocr_engine *e, PIX *pix, int dpi, PIX **thresholded);
/* ocr_read - ocr_recognise, or (words_kept 0) a reading only scored, its
 * words never kept: no diacritics weighed, no symbol choices asked of
 * Tesseract (they cost it a second beam over every line). */
json_t *ocr_read(ocr_engine *e, PIX *pix, int dpi, PIX **thresholded, int words_kept);
double ocr_confidence_of(json_t *r);
int ocr_reading_quality(json_t *r);
int ocr_poor_reading(json_t *r, PIX *bin, int dpi, BOXA **letters);
int ocr_lines_missed(json_t *r, PIX *bin, int dpi, BOXA **letters);
int ocr_has_ink(PIX *bin);
int ocr_clearly_better(int q, int q0);
void ocr_describe(json_t *res, int n, int dpi, const orientation *o,
		  const struct prepared *pg, int unreadable,
		  const char *dpi_from, const capture *cap);

#endif
