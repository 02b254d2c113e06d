/* ocr.c - the Tesseract engine and what a reading is worth.
 *
 * Per page (page.c): read it from the TIFF, make it 8-bit gray, take or
 * estimate its resolution, flatten the paper's background, tell which
 * way up it is (orient.c: from the binarised page, before anything is
 * read), turn it and undo the skew, binarise with Sauvola (local
 * thresholds survive yellowed, uneven paper where one global Otsu
 * threshold does not), clean (clean.c: leader dots, dust, the dot of
 * dotted zeros), keep seals out of what is read (prepare.c), recognise
 * (here). Each step that changes the page's geometry or ink on its own
 * evidence (squaring, flattening, seals by colour) stands aside unless
 * the page reads better with it, scored by well-formed words (here);
 * when the prepared page still reads poorly, the page as it came is
 * read as plain Tesseract reads it and the better kept. A page that
 * still reads badly is marked unreadable, for a person to look at. */
#include "internal.h"

#include "../base/base.h"
#include "../text/text.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

void ocr_init(void)
{
	setMsgSeverity(L_SEVERITY_NONE);
}

int ocr_engine_create(ocr_engine **out, const ocr_opts *o)
{
	/* init-only variables go through Init4; the rest through
	 * SetVariable, which says whether Tesseract knows the name */
	char *names[2], *values[2];
	int n = 0;
	ocr_engine *e = calloc(1, sizeof(*e));

	*out = NULL;
	if (!e)
		return base_fail(BASE_ENOMEM, "out of memory");
	e->o = *o;
	e->api = TessBaseAPICreate();
	e->monitor = TessMonitorCreate();
	if (o->user_words && *o->user_words) {
		names[n] = "user_words_file";
		values[n++] = (char *)o->user_words;
	}
	if (TessBaseAPIInit4(e->api, o->tessdata && *o->tessdata ? o->tessdata
			     : NULL, o->lang, OEM_LSTM_ONLY, NULL, 0, names,
			     values, (size_t)n, 0)) {
		ocr_engine_destroy(&e);
		return base_fail(BASE_EIO, "cannot load the Tesseract language "
			       "'%s' (is tesseract-ocr-%s installed?)", o->lang,
			       o->lang);
	}
	TessBaseAPISetVariable(e->api, "debug_file", "/dev/null");
	/* the symbol choices come from the best path and then from beams
	 * that leave out what was found (5 rounds by default); the marks
	 * tones.c weighs are found in the first three: on the transcribed
	 * pages 3 rounds left 62 words wrong in their marks alone, 5 left
	 * 60, 2 left 66, 0 left 135 (none weighed), for about 7%, 10.5% and
	 * 6.5% more recognition time than none (src/ocr/README.md) */
	TessBaseAPISetVariable(e->api, "lstm_choice_iterations", "3");
	for (int i = 0; i < o->nvars; i++)
		if (!TessBaseAPISetVariable(e->api, o->var_name[i],
					    o->var_value[i])) {
			int rc = base_fail(BASE_EINVAL, "Tesseract has no variable "
					 "'%s'", o->var_name[i]);
			ocr_engine_destroy(&e);
			return rc;
		}
	TessBaseAPISetPageSegMode(e->api, (TessPageSegMode)o->psm);
	if (o->syllables && *o->syllables && !strncmp(o->lang, "vie", 3)) {
		/* the marks the recogniser also saw on each letter (asked
		 * for on each reading, ocr_read) */
		if (!(e->syllables = ocr_syllables(o->syllables))) {
			ocr_engine_destroy(&e);
			return BASE_EIO;
		}
	}
	*out = e;
	return 0;
}

void ocr_engine_destroy(ocr_engine **ep)
{
	ocr_engine *e = ep ? *ep : NULL;

	if (!e)
		return;
	if (e->api) {
		TessBaseAPIEnd(e->api);
		TessBaseAPIDelete(e->api);
	}
	if (e->monitor)
		TessMonitorDelete(e->monitor);
	free(e);
	*ep = NULL;
}

/* "m2" or "m?" right after a number is m²: the fast vie model has no
 * superscript two, and areas on land certificates are all in m². */
static int is_area_unit(const char *w)
{
	return w[0] == 'm' && (w[1] == '2' || w[1] == '?') && w[2] == '\0';
}

/* A copy of text with "<digit> m2" and "<digit> m?" made m². You own
 * the result; NULL when out of memory. */
static char *fix_area_units(const char *text)
{
	size_t n = strlen(text);
	char *out = malloc(n * 2 + 1), *o = out;

	if (!out)
		return NULL;
	for (const char *p = text; *p; p++) {
		if (p > text + 1 && is_area_unit((char[]){ p[0], p[1], 0 }) &&
		    p[-1] == ' ' && p[-2] >= '0' && p[-2] <= '9' &&
		    (p[2] == '\0' || strchr(" \n),.(", p[2]))) {
			memcpy(o, "m\xc2\xb2", 3);
			o += 3;
			p++;
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

static char *nfc(const char *s)
{
	return (char *)utf8proc_NFC((const utf8proc_uint8_t *)s);
}

/* Whether the iterator's block was read as it lies, left to right:
 * Tesseract turns a block, or reads lines, that run up and down, so a
 * page left sideways can read as well as an upright one; its words in
 * such blocks say nothing for the turn it was given. */
static int upright_block(const TessPageIterator *pi)
{
	TessOrientation o = ORIENTATION_PAGE_UP;
	TessWritingDirection wd;
	TessTextlineOrder tl;
	float angle;

	TessPageIteratorOrientation((TessPageIterator *)pi, &o, &wd, &tl, &angle);
	return o == ORIENTATION_PAGE_UP && wd == WRITING_DIRECTION_LEFT_TO_RIGHT;
}

/* Recognises pix (binary or gray); returns the page's result object
 * (NULL when the engine fails), with "q", its well-formed words read
 * in blocks as they lie (reading_quality), and "q60", those read at
 * confidence 60 or more (both taken off before it is stored); *thresholded (when not NULL) gets the page as Tesseract
 * binarised it. */
json_t *ocr_recognise(ocr_engine *e, PIX *pix, int dpi, PIX **thresholded)
{
	return ocr_read(e, pix, dpi, thresholded, 1);
}

json_t *ocr_read(ocr_engine *e, PIX *pix, int dpi, PIX **thresholded, int words_kept)
{
	TessResultIterator *ri;
	json_t *words = json_array(), *res;
	char *text, *t, *fixed, prev_last = 0;
	int line = -1, quality = 0, sure = 0;
	ocr_tone_word *tones = NULL;
	size_t tones_cap = 0;
	int weigh = e->syllables && words_kept;

	TessBaseAPISetImage2(e->api, pix);
	TessBaseAPISetSourceResolution(e->api, dpi);
	/* the symbol choices (a second beam over every line) only for a
	 * reading whose words may be kept */
	if (e->syllables)
		TessBaseAPISetVariable(e->api, "lstm_choice_mode", weigh ? "2" : "0");
	if (e->deadline > 0) {
		/* what is left of the page's time, for this reading */
		double left = e->deadline - base_monotonic();
		if (left <= 0) {
			e->over_time = 1;
			json_decref(words);
			return NULL;
		}
		TessMonitorSetDeadlineMSecs(e->monitor, (int)(left * 1000) + 1);
	}
	if (TessBaseAPIRecognize(e->api, e->deadline > 0 ? e->monitor : NULL)) {
		if (e->deadline > 0 && base_monotonic() >= e->deadline)
			e->over_time = 1;
		json_decref(words);
		return NULL;
	}
	ri = TessBaseAPIGetIterator(e->api);
	if (ri) {
		do {
			const TessPageIterator *pi =
				TessResultIteratorGetPageIteratorConst(ri);
			char *w = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
			int x1, y1, x2, y2;

			if (TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE))
				line++;
			/* (a word of white space alone is none) */
			if (w && w[strspn(w, " \t\r\n\f\v")] &&
			    TessPageIteratorBoundingBox(pi, RIL_WORD,
					&x1, &y1, &x2, &y2)) {
				char *wn = nfc(w);
				const char *word = wn ? wn : w;
				float c = TessResultIteratorConfidence(ri, RIL_WORD);
				if (upright_block(pi)) {
					quality += ocr_word_quality(e, word, c, 0);
					sure += ocr_word_quality(e, word, c, 60);
				}
				if (is_area_unit(word) && prev_last >= '0' &&
				    prev_last <= '9')
					word = "m\xc2\xb2";
				prev_last = word[strlen(word) - 1];
				json_array_append_new(words, json_pack(
					"{s:s, s:[i,i,i,i], s:f, s:i}", "t",
					word, "b", x1, y1, x2 - x1, y2 - y1,
					"c", round(TessResultIteratorConfidence(
						ri, RIL_WORD) * 10) / 10,
					"l", line < 0 ? 0 : line));
				size_t k = json_array_size(words) - 1;
				if (weigh && k >= tones_cap) {
					/* (the word's spellings, weighed
					 * once the page's words are read;
					 * out of memory, the page as read) */
					size_t cap = tones_cap ? tones_cap * 2 : 256;
					ocr_tone_word *g = realloc(tones, cap * sizeof(*g));
					weigh = g != NULL;
					tones = g ? g : tones;
					tones_cap = g ? cap : tones_cap;
				}
				if (weigh)
					ocr_tones_gather(ri, word, &tones[k]);
				free(wn);
			}
			TessDeleteText(w);
		} while (TessResultIteratorNext(ri, RIL_WORD));
		TessResultIteratorDelete(ri);
	}
	if (weigh && tones)
		ocr_tones_choose(e->syllables, words, tones, json_array_size(words));
	free(tones);
	text = TessBaseAPIGetUTF8Text(e->api);
	t = text ? nfc(text) : NULL;
	fixed = t ? fix_area_units(t) : NULL;
	free(t);
	t = fixed;
	res = json_pack("{s:s, s:i, s:o, s:i, s:i}", "text", t ? t : "", "confidence",
			json_array_size(words) ? TessBaseAPIMeanTextConf(e->api) : 0,
			"words", words, "q", quality, "q60", sure);
	free(t);
	TessDeleteText(text);
	if (thresholded)
		*thresholded = TessBaseAPIGetThresholdedImage(e->api);
	TessBaseAPIClear(e->api);
	return res;
}

double ocr_confidence_of(json_t *r)
{
	return r ? (double)json_integer_value(json_object_get(r, "confidence")) : -1;
}

int ocr_word_quality(const ocr_engine *e, const char *word, float conf, float min_conf)
{
	int vie = !strncmp(e->o.lang, "vie", 3), n = 0;

	if (conf < min_conf)
		return 0;
	char piece[128];
	size_t k = 0;

	for (const char *p = word;; p++) {
		/* pieces split at ASCII punctuation and spaces: "15/03/1985"
		 * is three numbers, "(Nam)," one word */
		if (*p && !ispunct((unsigned char)*p) && !isspace((unsigned char)*p)) {
			if (k + 1 < sizeof(piece))
				piece[k++] = *p;
			continue;
		}
		piece[k] = '\0';
		if (k > 0) {
			int digits = strspn(piece, "0123456789") == k;
			if (vie)
				n += digits || text_syllable(piece);
			else
				n += digits || (k >= 3 && conf >= 60);
		}
		k = 0;
		if (!*p)
			break;
	}
	return n;
}

/* A reading's worth: its well-formed words (ocr_word_quality) in blocks
 * Tesseract read as they lie (recognise counts them), the measure of
 * shared/real/noharm.py. A summed confidence ranked 657 junk
 * words at 31 above 348 words at 58; a count of well-formed words does
 * not count junk. -1 for no reading. */
int ocr_reading_quality(json_t *r)
{
	return r ? (int)json_integer_value(json_object_get(r, "q")) : -1;
}

double ocr_strip_quality(ocr_engine *e, PIX *strip, int dpi)
{
	TessPageSegMode psm = TessBaseAPIGetPageSegMode(e->api);

	TessBaseAPISetPageSegMode(e->api, PSM_SINGLE_BLOCK);
	json_t *r = ocr_read(e, strip, dpi, NULL, 0);
	TessBaseAPISetPageSegMode(e->api, psm);
	double q = r ? json_integer_value(json_object_get(r, "q60")) +
		       ocr_confidence_of(r) / 1000.0 : -1;
	json_decref(r);
	return q;
}

/* The page's letters: its marks at least 1 mm and under 8 mm tall
 * (neither specks nor diacritics nor rules), counted once a page into
 * *letters (NULL: not yet). Returns how many. */
static int letters_on(PIX *bin, int dpi, BOXA **letters)
{
	int tall = (int)(dpi / 25.4 + 0.5);

	if (!*letters) {
		BOXA *all = pixConnCompBB(bin, 8);
		*letters = boxaCreate(0);
		for (int i = 0; all && *letters && i < boxaGetCount(all); i++) {
			l_int32 x, y, w, h;
			boxaGetBoxGeometry(all, i, &x, &y, &w, &h);
			if (h >= tall && h < 8 * tall)
				boxaAddBox(*letters, boxaGetBox(all, i, L_CLONE), L_INSERT);
		}
		boxaDestroy(&all);
	}
	return *letters ? boxaGetCount(*letters) : 0;
}

/* A poor reading: a mean confidence under 85, or fewer well-formed words
 * than an eighth of the page's letters (a Vietnamese word is a syllable
 * of three or four letters, so a reading of under half the words its
 * letters make). *letters caches bin's letters (NULL: not found yet),
 * asked up to three times a page. */
int ocr_poor_reading(json_t *r, PIX *bin, int dpi, BOXA **letters)
{
	if (ocr_confidence_of(r) < 85)
		return 1;
	int n = letters_on(bin, dpi, letters);
	return n > 100 && ocr_reading_quality(r) * 8 < n;
}

/* Whether a reading left whole lines of the page out: Tesseract takes a
 * region it finds too speckled for text (the faint leader dots of a
 * photographed form the binarisation did not see) for a picture, and
 * reads no line of it, at a confidence as high as any. A letter of bin
 * whose middle lies in no word's box was not read; more than 40 of them
 * and a sixth of the page's letters is more than a signature, a seal's
 * broken rim and a handwritten note make. */
int ocr_lines_missed(json_t *r, PIX *bin, int dpi, BOXA **letters)
{
	int n = letters_on(bin, dpi, letters), missed = 0;
	json_t *words = json_object_get(r, "words"), *w;
	size_t k;

	if (n <= 100)
		return 0;
	/* the words' boxes drawn once, each letter's middle looked up */
	PIX *read = pixCreateTemplate(bin);
	if (!read)
		return 0;
	json_array_foreach(words, k, w) {
		json_t *b = json_object_get(w, "b");
		pixRasterop(read, (int)json_integer_value(json_array_get(b, 0)),
			    (int)json_integer_value(json_array_get(b, 1)),
			    (int)json_integer_value(json_array_get(b, 2)),
			    (int)json_integer_value(json_array_get(b, 3)),
			    PIX_SET, NULL, 0, 0);
	}
	for (int i = 0; i < n; i++) {
		l_int32 x, y, bw, bh;
		l_uint32 in = 0;
		boxaGetBoxGeometry(*letters, i, &x, &y, &bw, &bh);
		pixGetPixel(read, x + bw / 2, y + bh / 2, &in);
		missed += !in;
	}
	pixDestroy(&read);
	return missed > 40 && missed * 6 > n;
}

/* Whether a page that gave no words has ink enough to be text (more
 * than half a percent of it black): a blank sheet between records is no
 * unreadable page. */
int ocr_has_ink(PIX *bin)
{
	l_int32 n = 0;

	return pixCountPixels(bin, &n, NULL) == 0 &&
	       n > pixGetWidth(bin) * pixGetHeight(bin) / 200;
}

/* The page as it was read. */
void ocr_describe(json_t *res, int n, int dpi, const orientation *o,
		     const struct prepared *pg, int unreadable,
		     const char *dpi_from, const capture *cap)
{
	json_object_set_new(res, "dpi_from", json_string(dpi_from));
	if (cap->scale > 0)
		json_object_set_new(res, "enlarged", json_real(round(cap->scale * 100) / 100));
	if (cap->found) {
		json_t *c = json_array();
		for (int i = 0; i < 4; i++)
			json_array_append_new(c, json_pack("[f, f]",
				round(cap->corners[i][0] * 10) / 10,
				round(cap->corners[i][1] * 10) / 10));
		json_object_set_new(res, "capture", json_pack("{s:b, s:o, s:i, s:i}",
			"squared", 1, "corners", c, "width", cap->w, "height", cap->h));
	}
	json_object_set_new(res, "n", json_integer(n + 1));
	/* reported as found on the scan: turned clockwise by rotation
	 * degrees and skewed clockwise by skew degrees */
	json_object_set_new(res, "rotation", json_integer((4 - o->quads) % 4 * 90));
	json_object_set_new(res, "skew", json_real(round(-pg->skew * 100) / 100 + 0.0));
	json_object_set_new(res, "dpi", json_integer(dpi));
	json_object_set_new(res, "width", json_integer(pixGetWidth(pg->bin)));
	json_object_set_new(res, "height", json_integer(pixGetHeight(pg->bin)));
	json_object_set_new(res, "orientation", json_pack(
		"{s:f, s:f, s:b, s:b}", "lines", round(o->lines * 100) / 100,
		"updown", round(o->updown * 10) / 10, "sure", o->sure,
		"sampled", o->sampled));
	json_object_set_new(res, "seals", json_integer(pg->seals));
	if (pg->colour_seals)
		json_object_set_new(res, "colour_seals", json_integer(pg->colour_seals));
	if (pg->curl.bent)
		json_object_set_new(res, "dewarped", json_pack("{s:f, s:f, s:i}",
			"bend", round(pg->curl.bend * 100) / 100,
			"depth_mm", round(pg->curl.depth * 254.0 / dpi) / 10,
			"profiles", pg->curl.bands));
	if (unreadable)
		json_object_set_new(res, "unreadable", json_true());
}

/* Whether a reading of q well-formed words is better than one of q0 by
 * more than two readings of the same page differ by chance (a word or
 * two in a hundred on the real scans of shared/real set 3): 2% and 3
 * words more. */
int ocr_clearly_better(int q, int q0)
{
	return q >= q0 + 3 && q * 50 >= q0 * 51;
}

void ocr_pages_free(ocr_page *pages, int n)
{
	for (int i = 0; pages && i < n; i++) {
		json_decref(pages[i].result);
		lept_free(pages[i].image);
	}
	free(pages);
}

int ocr_image_to_png(const void *g4, size_t len, double scale,
		     unsigned char **png, size_t *png_len)
{
	PIX *pix = pixReadMemTiff(g4, len, 0), *out;
	l_uint8 *data = NULL;
	size_t n = 0;

	*png = NULL;
	*png_len = 0;
	if (!pix)
		return base_fail(BASE_ECORRUPT, "stored page image is damaged");
	/* scaling a bilevel page to gray keeps small print legible */
	out = scale < 0.999 ? pixScaleToGray(pix, (float)scale) : pixClone(pix);
	if (!out)
		out = pixScale(pix, (float)scale, (float)scale);
	pixDestroy(&pix);
	if (!out || pixWriteMemPng(&data, &n, out, 0)) {
		pixDestroy(&out);
		return base_fail(BASE_ECODEC, "cannot encode the page as PNG");
	}
	pixDestroy(&out);
	*png = malloc(n);
	if (!*png) {
		lept_free(data);
		return base_fail(BASE_ENOMEM, "out of memory");
	}
	memcpy(*png, data, n);
	*png_len = n;
	lept_free(data);
	return 0;
}

void ocr_versions(char *out, size_t cap)
{
	char *lept = getLeptonicaVersion();

	snprintf(out, cap, "tesseract %s, %s", TessVersion(), lept ? lept : "leptonica");
	lept_free(lept);
}
