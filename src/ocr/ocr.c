/* ocr.c - Leptonica page preparation and Tesseract recognition.
 *
 * Per page: read it from the TIFF, make it 8-bit gray, take or estimate
 * its resolution, flatten the paper's background, tell which way up it
 * is (orient.c: from the binarised page, before anything is read), turn
 * it and undo the skew, binarise with Sauvola (local thresholds survive
 * yellowed, uneven paper where one global Otsu threshold does not),
 * clean (clean.c: leader dots, dust, the dot of dotted zeros), keep
 * seals out of what is read, recognise. Each step that changes the
 * page's geometry or ink on its own evidence (squaring, flattening,
 * seals by colour) stands aside unless the page reads better with it,
 * scored by well-formed words; when the prepared page still reads
 * poorly, the page as it came is read as plain Tesseract reads it and
 * the better kept. A page that still reads badly is marked unreadable,
 * for a person to look at. */
#include "internal.h"

#include "../sh/sh.h"
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
		return sh_fail(SH_ENOMEM, "out of memory");
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
		return sh_fail(SH_EIO, "cannot load the Tesseract language "
			       "'%s' (is tesseract-ocr-%s installed?)", o->lang,
			       o->lang);
	}
	TessBaseAPISetVariable(e->api, "debug_file", "/dev/null");
	for (int i = 0; i < o->nvars; i++)
		if (!TessBaseAPISetVariable(e->api, o->var_name[i],
					    o->var_value[i])) {
			int rc = sh_fail(SH_EINVAL, "Tesseract has no variable "
					 "'%s'", o->var_name[i]);
			ocr_engine_destroy(&e);
			return rc;
		}
	TessBaseAPISetPageSegMode(e->api, (TessPageSegMode)o->psm);
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

/* One pass over a colour page's pixels for the two things its colour
 * says before it turns gray, each marked in a 1 bpp mask (NULL when
 * there is none, or memory ran out).
 * Colour that is no ink, *tint: a pixel light in every channel yet
 * clearly tinted (its lowest channel over 120, its highest a fifth
 * above it) is a security background (the current forms' green or pink
 * guilloche), tinted paper or a colour cast; it is whitened only once
 * the sheet is found and the page's way up told, inside the sheet (a
 * yellow table cloth whitened first becomes part of the sheet). Ink is
 * dark in at least one channel: black and blue text, a red seal stay.
 * Ink of a seal's colour, *ink: a pixel clearly red (its red 60 over
 * its green and blue) or blue (its blue 50 over the others), and dark
 * enough in one channel to be ink rather than a tint (its lowest under
 * 170). Blue handwriting and a blue signature are in it too;
 * seal_regions keeps the seals. */
static void read_colour(PIX *rgb, PIX **tint, PIX **ink)
{
	int w = pixGetWidth(rgb), h = pixGetHeight(rgb), any_t = 0, any_i = 0;
	l_uint32 *sd = pixGetData(rgb);
	int swpl = pixGetWpl(rgb);
	PIX *mark = pixCreate(w, h, 1), *light = pixCreate(w, h, 1);
	l_uint32 *id = mark ? pixGetData(mark) : NULL, *td = light ? pixGetData(light) : NULL;
	int iwpl = mark ? pixGetWpl(mark) : 0, twpl = light ? pixGetWpl(light) : 0;

	for (int y = 0; y < h; y++) {
		l_uint32 *sl = sd + (size_t)y * swpl;
		for (int x = 0; x < w; x++) {
			l_int32 r, g, b;
			extractRGBValues(sl[x], &r, &g, &b);
			int lo = r < g ? (r < b ? r : b) : (g < b ? g : b);
			int hi = r > g ? (r > b ? r : b) : (g > b ? g : b);
			if (lo > 120 && hi * 5 > lo * 6) {
				if (td) {
					SET_DATA_BIT(td + (size_t)y * twpl, x);
					any_t = 1;
				}
			} else if (id && lo < 170 && (r - (g > b ? g : b) >= 60 ||
						      b - (r > g ? r : g) >= 50)) {
				SET_DATA_BIT(id + (size_t)y * iwpl, x);
				any_i = 1;
			}
		}
	}
	if (!any_i)
		pixDestroy(&mark);
	if (!any_t)
		pixDestroy(&light);
	*ink = mark;
	*tint = light;
}

/* The seals among a page's coloured ink (at dpi): groups of it, once
 * gaps under a millimetre are closed, 15 to 60 mm across both ways and
 * no more than twice as wide as tall or tall as wide (a seal is round or
 * square; a blue signature is long and a handwritten value a line): the
 * coloured ink in them. NULL when there is none; *count gets how many. */
static PIX *seal_regions(PIX *ink, int dpi, int *count)
{
	int mm = dpi / 25 > 1 ? dpi / 25 : 1, lo = dpi * 15 / 25, hi = dpi * 60 / 25;
	PIX *closed = pixCloseSafeBrick(NULL, ink, mm, mm);
	PIX *big = closed ? pixSelectBySize(closed, lo, lo, 8, L_SELECT_IF_BOTH,
					    L_SELECT_IF_GTE, NULL) : NULL;
	PIX *small = big ? pixSelectBySize(big, hi, hi, 8, L_SELECT_IF_BOTH,
					   L_SELECT_IF_LTE, NULL) : NULL;
	PIX *wide = small ? pixSelectByWidthHeightRatio(small, 0.5f, 8, L_SELECT_IF_GTE, NULL) : NULL;
	PIX *round = wide ? pixSelectByWidthHeightRatio(wide, 2.0f, 8, L_SELECT_IF_LTE, NULL) : NULL;
	PIX *seal_ink = round ? pixAnd(NULL, ink, round) : NULL;
	l_int32 n = 0;

	*count = 0;
	if (seal_ink) {
		/* a seal's rings nest, and black letters over them cut them
		 * into arcs: counted once the boxes that overlap are merged */
		BOXA *b = pixConnComp(round, NULL, 8);
		BOXA *merged = b ? boxaCombineOverlaps(b, NULL) : NULL;
		n = merged ? boxaGetCount(merged) : 0;
		boxaDestroy(&merged);
		boxaDestroy(&b);
	}
	pixDestroy(&round);
	pixDestroy(&wide);
	pixDestroy(&small);
	pixDestroy(&big);
	pixDestroy(&closed);
	if (n == 0)
		pixDestroy(&seal_ink);
	*count = n;
	return seal_ink;
}

/* The page in gray as it is; a colour page's light tints into *tint
 * and its seal-coloured ink into *ink (NULL for any other page). */
static PIX *to_gray(PIX *raw, PIX **tint, PIX **ink)
{
	PIX *p8, *tmp = NULL;

	*ink = *tint = NULL;
	if (pixGetDepth(raw) == 16)
		raw = tmp = pixConvert16To8(raw, L_MS_BYTE);
	p8 = raw ? pixConvertTo8(raw, 0) : NULL;
	if (p8 && pixGetDepth(raw) == 32)
		read_colour(raw, tint, ink);
	pixDestroy(&tmp);
	return p8;
}

/* The paper's gray on a page whose background is flattened: the level
 * nine tenths of its pixels are darker than (a seal or a tint taken out
 * is set to it, not to pure white, which would leave a white disc on a
 * page whose paper stays gray). */
static int paper_level(PIX *gray)
{
	l_uint32 v = 255;

	if (pixGetDepth(gray) != 8 || pixGetRankValue(gray, 4, 0.9f, &v))
		return 255;
	return (int)v;
}

/* The TIFF's resolution when it is plausible (*tagged set), else
 * estimated from the page size: records are A4 or close to it, 210 mm
 * on the short side (the text's size decides later when it can). */
static int page_dpi(PIX *pix, int *tagged)
{
	int x = pixGetXRes(pix), w = pixGetWidth(pix), h = pixGetHeight(pix);
	int shortside = w < h ? w : h;
	double est = shortside / (210.0 / 25.4);

	*tagged = x >= 100 && x <= 1200 && fabs(x - est) / est < 0.5;
	return *tagged ? x : (int)(est + 0.5);
}

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
};

static void prepared_free(struct prepared *p)
{
	pixDestroy(&p->bin);
	pixDestroy(&p->feed);
	pixDestroy(&p->plain_feed);
	boxDestroy(&p->seal_box);
}

/* Sauvola's binarisation of gray with a window of 2 * wh + 1 pixels.
 * Over 250 dpi the thresholds are found on the page halved (the window
 * is a sixth of an inch, so they vary slowly) and applied to every
 * pixel: a quarter of the work, which was a fifth of a 300 dpi gray
 * page's time. Returns NULL when Leptonica fails. */
static PIX *sauvola(PIX *gray, int wh)
{
	int w = pixGetWidth(gray), h = pixGetHeight(gray);
	PIX *half, *th = NULL, *big = NULL, *full = NULL, *bin = NULL;

	if (wh < 20) {
		if (pixSauvolaBinarizeTiled(gray, wh, 0.34f, 1, 1, NULL, &bin))
			return NULL;
		return bin;
	}
	half = pixScaleAreaMap2(gray);
	if (half && pixSauvolaBinarize(half, wh / 2, 0.34f, 1, NULL, NULL, &th, NULL) == 0)
		big = pixScaleGrayLI(th, 2.0f, 2.0f);
	/* the doubled map may be a pixel short of an odd page */
	if (big)
		full = pixAddRepeatedBorder(big, 0, w - pixGetWidth(big),
					    0, h - pixGetHeight(big));
	if (full && pixGetWidth(full) == w && pixGetHeight(full) == h)
		bin = pixVarThresholdToBinary(gray, full);
	pixDestroy(&full);
	pixDestroy(&big);
	pixDestroy(&th);
	pixDestroy(&half);
	return bin;
}

/* A page whose lines bend (a bound page near its spine, a sheet that
 * did not lie flat) flattened: the bend measured on *bin, then the gray
 * page *straight (binarised again) or, for a bilevel scan, *bin itself
 * moved column by column. A flat page pays for the measuring only. */
static void flatten(PIX **bin, PIX **straight, int bilevel, int dpi, int wh,
		    curl_model *m)
{
	if (!ocr_dewarp_model(*bin, dpi, m))
		return;
	if (bilevel && !*straight) {
		PIX *flat = ocr_dewarp_apply(*bin, m);
		if (flat) {
			pixDestroy(bin);
			*bin = flat;
		} else {
			m->bent = 0;
		}
		return;
	}
	PIX *flat = ocr_dewarp_apply(*straight, m);
	PIX *fbin = !flat ? NULL : bilevel ? pixConvertTo1(flat, 128) : sauvola(flat, wh);
	if (!fbin) {
		pixDestroy(&flat);
		m->bent = 0;
		return;
	}
	pixDestroy(straight);
	*straight = flat;
	pixDestroy(bin);
	*bin = fbin;
}

/* The seals found by colour on the page as prepare turned, deskewed
 * and flattened it: ink (the coloured ink of the page as norm holds it)
 * moved as the page was, then seal_regions; NULL when there are none,
 * and p->colour_seals set. The page gray decides the sizes. */
static PIX *colour_seals(PIX *ink, const orientation *o, struct prepared *p,
			 PIX *page, int dpi)
{
	PIX *t = o->quads ? pixRotateOrth(ink, o->quads) : pixClone(ink), *u = NULL;
	if (t && p->skew != 0)
		u = pixRotate(t, p->skew * (float)M_PI / 180.0f, L_ROTATE_SAMPLING,
			      L_BRING_IN_WHITE, 0, 0);
	else if (t)
		u = pixClone(t);
	pixDestroy(&t);
	if (u && p->curl.bent) {
		t = ocr_dewarp_apply(u, &p->curl);
		pixDestroy(&u);
		u = t;
	}
	PIX *r = NULL;
	if (u && pixGetWidth(u) == pixGetWidth(page) && pixGetHeight(u) == pixGetHeight(page))
		r = seal_regions(u, dpi, &p->colour_seals);
	pixDestroy(&u);
	return r;
}

/* The preparation steps that change a page's ink or geometry on their
 * own evidence, each kept only when the page reads better with it. */
enum { STEP_FLATTEN = 1, STEP_COLOUR_SEALS = 2 };

/* Turns norm (the page's gray, its background flattened) as o says,
 * removes the skew, binarises and cleans into *p; flattens bent lines
 * and takes seals out by their colour when steps allows. Recognition
 * reads the cleaned gray page of a gray or colour scan (Tesseract reads
 * blurred and JPEG scans better from it) and the binary one of a
 * bilevel scan, either without its seals; the stored binary keeps them.
 * norm is left as it was. Returns whether a binary page came out. */
static int prepare(PIX *norm, PIX *ink, const orientation *o, int dpi,
		   int bilevel, int steps, struct prepared *p)
{
	int skewed = o->skew_conf >= 2.5f && fabsf(o->skew) >= 0.1f;
	int wh = dpi / 12 < 8 ? 8 : dpi / 12;
	PIX *bin = NULL, *seals = NULL, *straight = NULL;

	memset(p, 0, sizeof(*p));
	p->skew = skewed ? o->skew : 0;
	if (bilevel && !skewed) {
		/* a bilevel scan is turned as it is (a copy: the cleanings
		 * clear dots in it) */
		bin = o->quads ? pixRotateOrth(norm, o->quads) : pixCopy(NULL, norm);
	} else {
		/* a skewed bilevel page is turned in gray, so the rotation's
		 * area map keeps its strokes smooth */
		PIX *g = bilevel ? pixConvertTo8(norm, 0) : pixClone(norm);
		PIX *turned = !g ? NULL : o->quads ? pixRotateOrth(g, o->quads) : pixClone(g);
		if (turned && skewed)
			straight = pixRotate(turned, o->skew * (float)M_PI / 180.0f,
					     L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
		else if (turned)
			/* a copy: the cleanings whiten the gray page */
			straight = o->quads ? pixClone(turned) : pixCopy(NULL, turned);
		if (straight && bilevel)
			bin = pixConvertTo1(straight, 128);
		else if (straight && !(bin = sauvola(straight, wh)))
			bin = pixConvertTo1(straight, 160);
		pixDestroy(&turned);
		pixDestroy(&g);
	}
	if (bin && (steps & STEP_FLATTEN))
		flatten(&bin, &straight, bilevel, dpi, wh, &p->curl);
	if (bin)
		seals = ocr_clean(bin, bilevel ? NULL : straight, dpi, &p->seals);
	PIX *by_colour = bin && !bilevel && ink && (steps & STEP_COLOUR_SEALS) ?
			 colour_seals(ink, o, p, straight, dpi) : NULL;
	if (bin && !bilevel) {
		int paper = paper_level(straight);
		/* a seal found by its colour is taken out exactly, the black
		 * letters over it kept (the strokes found by shape would take
		 * the letters its rings touch with them); strokes found by
		 * shape elsewhere (a signature) still go */
		if (by_colour) {
			/* the page as the shape rule alone leaves it, for
			 * keep_seals_that_help to weigh the colour against */
			p->plain_feed = pixCopy(NULL, straight);
			if (p->plain_feed && seals)
				pixSetMasked(p->plain_feed, seals, paper);
			pixSetMasked(straight, by_colour, paper);
			pixClipToForeground(by_colour, NULL, &p->seal_box);
			if (seals) {
				PIX *near = pixDilateCompBrick(NULL, by_colour, dpi / 8 | 1, dpi / 8 | 1);
				if (near)
					pixSubtract(seals, seals, near);
				pixDestroy(&near);
			}
		}
		if (seals)
			pixSetMasked(straight, seals, paper);
		p->feed = pixClone(straight);
	} else if (seals) {
		p->feed = pixSubtract(NULL, bin, seals);
	}
	p->bin = bin;
	pixDestroy(&by_colour);
	pixDestroy(&seals);
	pixDestroy(&straight);
	return bin != NULL;
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
static json_t *recognise(ocr_engine *e, PIX *pix, int dpi, PIX **thresholded)
{
	TessResultIterator *ri;
	json_t *words = json_array(), *res;
	char *text, *t, *fixed, prev_last = 0;
	int line = -1, quality = 0, sure = 0;

	TessBaseAPISetImage2(e->api, pix);
	TessBaseAPISetSourceResolution(e->api, dpi);
	if (e->deadline > 0) {
		/* what is left of the page's time, for this reading */
		double left = e->deadline - sh_monotonic();
		if (left <= 0) {
			e->over_time = 1;
			json_decref(words);
			return NULL;
		}
		TessMonitorSetDeadlineMSecs(e->monitor, (int)(left * 1000) + 1);
	}
	if (TessBaseAPIRecognize(e->api, e->deadline > 0 ? e->monitor : NULL)) {
		if (e->deadline > 0 && sh_monotonic() >= e->deadline)
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
			if (w && *w && TessPageIteratorBoundingBox(pi, RIL_WORD,
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
				free(wn);
			}
			TessDeleteText(w);
		} while (TessResultIteratorNext(ri, RIL_WORD));
		TessResultIteratorDelete(ri);
	}
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

static double confidence_of(json_t *r)
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
static int reading_quality(json_t *r)
{
	return r ? (int)json_integer_value(json_object_get(r, "q")) : -1;
}

double ocr_strip_quality(ocr_engine *e, PIX *strip, int dpi)
{
	TessPageSegMode psm = TessBaseAPIGetPageSegMode(e->api);

	TessBaseAPISetPageSegMode(e->api, PSM_SINGLE_BLOCK);
	json_t *r = recognise(e, strip, dpi, NULL);
	TessBaseAPISetPageSegMode(e->api, psm);
	double q = r ? json_integer_value(json_object_get(r, "q60")) +
		       confidence_of(r) / 1000.0 : -1;
	json_decref(r);
	return q;
}

/* The page's letters: its marks at least 1 mm and under 8 mm tall
 * (neither specks nor diacritics nor rules). */
static int letters_on(PIX *bin, int dpi)
{
	int tall = (int)(dpi / 25.4 + 0.5), letters = 0;
	BOXA *boxa = pixConnCompBB(bin, 8);

	for (int i = 0; boxa && i < boxaGetCount(boxa); i++) {
		l_int32 x, y, w, h;
		boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
		letters += h >= tall && h < 8 * tall;
	}
	boxaDestroy(&boxa);
	return letters;
}

/* A poor reading: a mean confidence under 85, or fewer well-formed words
 * than an eighth of the page's letters (a Vietnamese word is a syllable
 * of three or four letters, so a reading of under half the words its
 * letters make). *letters caches the count of bin's letters (-1: not
 * counted yet), asked up to twice a page. */
static int poor_reading(json_t *r, PIX *bin, int dpi, int *letters)
{
	if (confidence_of(r) < 85)
		return 1;
	if (*letters < 0)
		*letters = letters_on(bin, dpi);
	return *letters > 100 && reading_quality(r) * 8 < *letters;
}

/* Whether a page that gave no words has ink enough to be text (more
 * than half a percent of it black): a blank sheet between records is no
 * unreadable page. */
static int has_ink(PIX *bin)
{
	l_int32 n = 0;

	return pixCountPixels(bin, &n, NULL) == 0 &&
	       n > pixGetWidth(bin) * pixGetHeight(bin) / 200;
}

/* The page as it was read. */
static void describe(json_t *res, int n, int dpi, const orientation *o,
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
static int clearly_better(int q, int q0)
{
	return q >= q0 + 3 && q * 50 >= q0 * 51;
}

/* A seal found by its colour kept out of recognition only when that
 * loses no word: the seal's neighbourhood (its box grown by 10 mm, the
 * signer's name below it included) is read from the page prepared with
 * it taken out and from the page prepared without (the shape rule
 * alone), and the colour kept when the first reads as many well-formed
 * words there or more (what it takes out is ink of a seal's colour: red
 * or blue words, a red heading, would be lost, and are seen here; read
 * alone, the neighbourhood reads the name under a seal either way, but
 * on the whole page the seal joined to the name makes Tesseract take
 * both for a picture, which is why the colour goes). Two small reads
 * instead of a second reading of the whole page: elsewhere the two
 * pages are one, and prepare keeps the page without (plain_feed), so
 * nothing is prepared twice. pg's feed becomes that page when the
 * colour is declined (its name then goes into declined). */
static void keep_seals_that_help(ocr_engine *e, int dpi, struct prepared *pg,
				 json_t *declined)
{
	l_int32 bx, by, bw, bh;
	int grow = dpi * 10 / 25, better = 0;

	if (!pg->colour_seals || !pg->seal_box || !pg->feed || !pg->plain_feed ||
	    boxGetGeometry(pg->seal_box, &bx, &by, &bw, &bh))
		return;
	BOX *near = boxCreate(bx - grow, by - grow, bw + 2 * grow, bh + 2 * grow);
	PIX *with = near ? pixClipRectangle(pg->feed, near, NULL) : NULL;
	PIX *without = near ? pixClipRectangle(pg->plain_feed, near, NULL) : NULL;
	if (with && without) {
		json_t *r1 = recognise(e, with, dpi, NULL), *r0 = recognise(e, without, dpi, NULL);
		/* words read at confidence 60 or more: junk around a seal's
		 * rings reads as digits and letters, with little confidence */
		better = json_integer_value(json_object_get(r1, "q60")) >=
			 json_integer_value(json_object_get(r0, "q60"));
		json_decref(r1);
		json_decref(r0);
	}
	pixDestroy(&with);
	pixDestroy(&without);
	boxDestroy(&near);
	if (better) {
		pixDestroy(&pg->plain_feed);
		return;
	}
	json_array_append_new(declined, json_string("colour seals"));
	pixDestroy(&pg->feed);
	pg->feed = pg->plain_feed;
	pg->plain_feed = NULL;
	pg->colour_seals = 0;
	boxDestroy(&pg->seal_box);
}

/* A flattened page kept only when it reads clearly better than the
 * page prepared the same way unflattened (read too); a tie goes to the
 * page as it was ("flattening" then goes into declined). Returns the
 * reading kept; *pg is the page it was read from. */
static json_t *keep_flattening_if_it_helps(ocr_engine *e, PIX *norm, PIX *ink,
					   const orientation *o, int dpi, int bilevel,
					   struct prepared *pg, json_t *res, json_t *declined)
{
	struct prepared plain;

	if (!pg->curl.bent || !res ||
	    !prepare(norm, ink, o, dpi, bilevel, pg->colour_seals ? STEP_COLOUR_SEALS : 0, &plain))
		return res;
	json_t *res2 = recognise(e, plain.feed ? plain.feed : plain.bin, dpi, NULL);
	if (clearly_better(reading_quality(res), reading_quality(res2))) {
		json_decref(res2);
		prepared_free(&plain);
		return res;
	}
	json_array_append_new(declined, json_string("flattening"));
	json_decref(res);
	prepared_free(pg);
	*pg = plain;
	pixDestroy(&pg->plain_feed);
	return res2;
}

/* The page as it came in, only greyed: what plain Tesseract reads (it
 * binarises the page itself, by Otsu's threshold), *bin getting the page
 * it binarised. NULL when the engine fails. */
static json_t *read_as_it_came(ocr_engine *e, PIX *raw, int dpi, PIX **bin)
{
	PIX *g = pixGetDepth(raw) == 1 && !pixGetColormap(raw) ? pixClone(raw)
		 : pixConvertTo8(raw, 0);
	json_t *r = g ? recognise(e, g, dpi, bin) : NULL;

	pixDestroy(&g);
	if (r && !*bin) {
		json_decref(r);
		r = NULL;
	}
	return r;
}

/* Whether page n's pixels would need more memory than the page budget
 * (about 8 bytes a pixel: the decoded page and the working copies of
 * its gray, flattened, binarised and turned forms, measured on a blank
 * 17000 x 17000 page: 2.3 GB); read from its header, before decoding. */
static int over_memory(ocr_engine *e, const void *tiff, size_t len, int n,
		       ocr_page *out)
{
	l_int32 w = 0, h = 0, bps, spp, res, cmap, format;
	double need;

	if (e->o.page_memory_mb <= 0 ||
	    readHeaderMemTiff(tiff, len, n, &w, &h, &bps, &spp, &res, &cmap,
			      &format))
		return 0;
	need = (double)w * (double)h * 8 / (1 << 20);
	if (need <= e->o.page_memory_mb)
		return 0;
	snprintf(out->error, sizeof(out->error), "page %d: %d x %d pixels would "
		 "need about %.0f MB to read, over the page budget of %.0f MB "
		 "([ocr] page_memory_mb): left unrecognised, for review", n + 1,
		 w, h, need, e->o.page_memory_mb);
	return 1;
}

int ocr_page_read(ocr_engine *e, const void *tiff, size_t len, int n,
		  ocr_page *out)
{
	double t0 = sh_monotonic(), t1, t2, t3;
	PIX *raw = NULL, *gray = NULL, *norm = NULL;
	PIX *probe = NULL, *ink = NULL, *tint = NULL;
	struct prepared pg = { 0 };
	orientation o = { 0 };
	int dpi = 0, bilevel, unreadable;
	json_t *res = NULL, *declined = json_array();

	memset(out, 0, sizeof(*out));
	e->over_time = 0;
	e->deadline = e->o.page_seconds > 0 ? t0 + e->o.page_seconds : 0;
	if (!over_memory(e, tiff, len, n, out))
		raw = pixReadMemTiff(tiff, len, n);
	bilevel = raw && pixGetDepth(raw) == 1 && !pixGetColormap(raw);
	if (!raw || (!bilevel && !(gray = to_gray(raw, &tint, &ink)))) {
		if (!out->error[0])
			snprintf(out->error, sizeof(out->error), "page %d cannot be "
				 "read for OCR", n + 1);
		goto out;
	}
	int tagged = 0, raw_dpi;
	const char *dpi_from;
	capture cap = { 0 };
	dpi = raw_dpi = page_dpi(raw, &tagged);
	if (!bilevel) {
		/* a photographed sheet: found, squared, cropped; its
		 * resolution is then the text's, whatever the file says */
		PIX *sheet = ocr_capture_square(gray, &cap);
		/* a seal's colour and the tints, read before the colour
		 * went, move with the page from here on */
		if (sheet && ink) {
			PIX *sq = ocr_capture_apply(ink, &cap);
			pixDestroy(&ink);
			ink = sq;
		}
		if (sheet && tint) {
			PIX *sq = ocr_capture_apply(tint, &cap);
			pixDestroy(&tint);
			tint = sq;
		}
		if (sheet) {
			pixDestroy(&gray);
			gray = sheet;
			tagged = 0;
			dpi = page_dpi(gray, &tagged);
			tagged = 0;
		}
	}
	dpi_from = tagged ? "tag" : "page size";
	if (bilevel) {
		/* a bilevel scan has no background to flatten and is its
		 * own probe */
		norm = pixClone(raw);
		probe = pixClone(raw);
	} else {
		norm = pixBackgroundNormSimple(gray, NULL, NULL);
		if (!norm)
			norm = pixClone(gray);
		probe = pixConvertTo1(norm, 160);
	}
	/* no plausible resolution in the file: the letters' size says it
	 * (measured again once the page is known to lie sideways) */
	int from_text = !tagged && probe ? ocr_dpi_from_text(probe) : 0;
	if (from_text >= 60 && from_text <= 1200) {
		dpi = from_text;
		dpi_from = "text";
	}
	/* a page under 150 dpi (a phone's megapixel or two over a whole
	 * sheet) is enlarged to about 300 before anything is read off it:
	 * Tesseract and the up/down marks want strokes of a few pixels */
	if (!bilevel && probe && dpi >= 40 && dpi < 150) {
		float f = 300.0f / (float)dpi;
		PIX *up = pixScaleGrayLI(norm, f > 3 ? 3 : f, f > 3 ? 3 : f);
		if (up) {
			cap.scale = f > 3 ? 3 : f;
			pixDestroy(&norm);
			norm = up;
			PIX *big = ink ? pixScaleToSize(ink, pixGetWidth(up), pixGetHeight(up)) : NULL;
			pixDestroy(&ink);
			ink = big;
			big = tint ? pixScaleToSize(tint, pixGetWidth(up), pixGetHeight(up)) : NULL;
			pixDestroy(&tint);
			tint = big;
			pixDestroy(&probe);
			probe = pixConvertTo1(norm, 160);
			dpi = (int)(dpi * cap.scale + 0.5);
		}
	}
	t1 = sh_monotonic();
	/* the budget between steps too: a step itself runs to its end */
	if (e->deadline > 0 && t1 >= e->deadline)
		e->over_time = 1;
	if (probe && !e->over_time)
		ocr_orient(e, probe, dpi, &o);
	if (!strcmp(dpi_from, "text") && o.quads % 2) {
		/* measured again on the page as it reads; kept only when it
		 * agrees within half with the first (a page already enlarged
		 * from one measure is not measured into another) */
		PIX *up = pixRotateOrth(probe, o.quads);
		int again = up ? ocr_dpi_from_text(up) : 0;
		if (again >= 60 && again <= 1200 && again * 3 > dpi * 2 && again * 2 < dpi * 3)
			dpi = again;
		pixDestroy(&up);
	}
	/* the tints whitened now, inside the sheet and once the page's way
	 * up is known, to the paper's level */
	if (tint && pixGetWidth(tint) == pixGetWidth(norm) && pixGetHeight(tint) == pixGetHeight(norm))
		pixSetMasked(norm, tint, paper_level(norm));
	t2 = sh_monotonic();
	if (e->deadline > 0 && t2 >= e->deadline)
		e->over_time = 1;
	if (!e->over_time)
		prepare(norm, ink, &o, dpi, bilevel, STEP_FLATTEN | STEP_COLOUR_SEALS, &pg);
	t3 = sh_monotonic();
	out->seconds[OCR_T_PREPARE] = (t1 - t0) + (t3 - t2);
	out->seconds[OCR_T_ORIENT] = t2 - t1;
	keep_seals_that_help(e, dpi, &pg, declined);
	res = pg.bin ? recognise(e, pg.feed ? pg.feed : pg.bin, dpi, NULL) : NULL;
	res = keep_flattening_if_it_helps(e, norm, ink, &o, dpi, bilevel, &pg, res, declined);
	int letters = -1;
	/* a half turn on the marks alone that reads poorly: the page as
	 * it lay is read too, and the turn kept only when it reads clearly
	 * better (the marks alone took an upright table of digits for upside
	 * down); the half turn that reads well is confirmed by it */
	int confirm = o.confirm && pg.bin && res && poor_reading(res, pg.bin, dpi, &letters);
	if (confirm || (!o.sure && pg.bin && confidence_of(res) < e->o.unreadable_below)) {
		/* unsure which way up, and it reads badly: the other way up
		 * is read too and the better reading kept */
		orientation o2 = o;
		struct prepared pg2;
		o2.quads = (o.quads + 2) % 4;
		o2.confirm = 0;
		/* the steps the page kept the first way up, and only those:
		 * they were weighed on this page already */
		int kept = (pg.curl.bent ? STEP_FLATTEN : 0) | (pg.colour_seals ? STEP_COLOUR_SEALS : 0);
		if (prepare(norm, ink, &o2, dpi, bilevel, kept, &pg2)) {
			o.sampled = o2.sampled = 1;
			pixDestroy(&pg2.plain_feed);
			json_t *res2 = recognise(e, pg2.feed ? pg2.feed : pg2.bin, dpi, NULL);
			int q = reading_quality(res), q2 = reading_quality(res2);
			/* (the letters are the same either way up) */
			if (confirm ? !clearly_better(q, q2) : q2 > q) {
				json_decref(res);
				prepared_free(&pg);
				res = res2;
				pg = pg2;
				o = o2;
			} else {
				json_decref(res2);
				prepared_free(&pg2);
			}
		}
	}
	/* a gray page read poorly from its normalised gray (low confidence,
	 * or few well-formed words for the letters on it) is read again
	 * from the other preparation, the page binarised, and the reading
	 * with more well-formed words kept */
	int reread = 0;
	if (res && pg.bin && pg.feed && !bilevel && poor_reading(res, pg.bin, dpi, &letters)) {
		int wh = dpi / 12 < 8 ? 8 : dpi / 12;
		PIX *bfeed = sauvola(pg.feed, wh);
		json_t *res2 = bfeed ? recognise(e, bfeed, dpi, NULL) : NULL;
		reread = 1;
		if (reading_quality(res2) > reading_quality(res)) {
			json_decref(res);
			res = res2;
			reread = 2;
		} else {
			json_decref(res2);
		}
		pixDestroy(&bfeed);
	}
	/* the page as it came is always a candidate: when the prepared
	 * page still reads poorly, the page only greyed is read as plain
	 * Tesseract reads it, and the reading with more well-formed words
	 * kept (a bilevel page left where it lay was still cleaned: the
	 * points of a table of decimals went with the dust) */
	const char *chosen = NULL, *why = NULL;
	if (res && pg.bin && poor_reading(res, pg.bin, dpi, &letters)) {
		PIX *abin = NULL;
		json_t *res2 = read_as_it_came(e, raw, raw_dpi, &abin);
		int q1 = reading_quality(res), q2 = reading_quality(res2);
		/* a tie goes to the page as it came: a step earns its place */
		if (res2 && q2 >= q1) {
			json_decref(res);
			prepared_free(&pg);
			/* nothing done to it: no skew, bend or seal to report */
			memset(&pg, 0, sizeof(pg));
			pg.bin = abin;
			res = res2;
			o = (orientation){ .sure = o.sure, .lines = o.lines, .updown = o.updown };
			memset(&cap, 0, sizeof(cap));
			dpi = raw_dpi;
			chosen = "as it came";
		} else {
			json_decref(res2);
			pixDestroy(&abin);
			chosen = "prepared";
		}
		why = q2 >= q1 ? "the prepared page read poorly; the page as it came read as many well-formed words or more"
			       : "the prepared page read poorly; the page as it came read fewer well-formed words";
		if (res)
			json_object_set_new(res, "quality", json_pack("{s:i, s:i}",
				"prepared", q1, "as_it_came", q2));
	}
	out->seconds[OCR_T_RECOGNISE] = sh_monotonic() - t3;
	if (!res || e->over_time) {
		if (e->over_time)
			snprintf(out->error, sizeof(out->error), "page %d: over "
				 "its time budget of %g s ([ocr] page_seconds): "
				 "left unrecognised, for review", n + 1,
				 e->o.page_seconds);
		else
			snprintf(out->error, sizeof(out->error), "page %d: the OCR "
				 "engine failed", n + 1);
		json_decref(res);
		res = NULL;
		goto out;
	}
	if (reread)
		json_object_set_new(res, "reread", json_string(reread == 2 ?
				    "binarised page kept" : "gray page kept"));
	if (chosen) {
		json_object_set_new(res, "chosen", json_string(chosen));
		json_object_set_new(res, "why", json_string(why));
	}
	if (json_array_size(declined))
		json_object_set(res, "declined", declined);
	unreadable = confidence_of(res) < e->o.unreadable_below &&
		     (json_array_size(json_object_get(res, "words")) > 0 ||
		      has_ink(pg.bin));
	describe(res, n, dpi, &o, &pg, unreadable, dpi_from, &cap);
	if (json_array_size(json_object_get(res, "words")) == 0)
		snprintf(out->error, sizeof(out->error), unreadable ?
			 "page %d: no text could be read from its ink, even "
			 "once upright: left for review" : "page %d: no text "
			 "found", n + 1);
	else if (unreadable)
		snprintf(out->error, sizeof(out->error), "page %d reads at "
			 "confidence %.0f once upright (found turned %d°): "
			 "left for review", n + 1, confidence_of(res),
			 (4 - o.quads) % 4 * 90);
	t3 = sh_monotonic();
	if (pixWriteMemTiff(&out->image, &out->image_len, pg.bin, IFF_TIFF_G4)) {
		out->image = NULL;
		out->image_len = 0;
		if (!out->error[0])
			snprintf(out->error, sizeof(out->error), "page %d: the "
				 "cleaned image could not be encoded (text kept)",
				 n + 1);
	}
	out->seconds[OCR_T_ENCODE] = sh_monotonic() - t3;
	json_object_del(res, "q");
	json_object_del(res, "q60");
	out->result = res;
out:
	json_decref(declined);
	prepared_free(&pg);
	pixDestroy(&tint);
	pixDestroy(&ink);
	pixDestroy(&probe);
	pixDestroy(&norm);
	pixDestroy(&gray);
	pixDestroy(&raw);
	return out->result ? 0 : -1;
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
		return sh_fail(SH_ECORRUPT, "stored page image is damaged");
	/* scaling a bilevel page to gray keeps small print legible */
	out = scale < 0.999 ? pixScaleToGray(pix, (float)scale) : pixClone(pix);
	if (!out)
		out = pixScale(pix, (float)scale, (float)scale);
	pixDestroy(&pix);
	if (!out || pixWriteMemPng(&data, &n, out, 0)) {
		pixDestroy(&out);
		return sh_fail(SH_ECODEC, "cannot encode the page as PNG");
	}
	pixDestroy(&out);
	*png = malloc(n);
	if (!*png) {
		lept_free(data);
		return sh_fail(SH_ENOMEM, "out of memory");
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
