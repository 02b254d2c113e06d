/* ocr.c - Leptonica page preparation and Tesseract recognition.
 *
 * Per page: read it from the TIFF, make it 8-bit gray, take or estimate
 * its resolution, flatten the paper's background, find and undo the
 * skew, binarise with Sauvola (local thresholds survive yellowed,
 * uneven paper where one global Otsu threshold does not), clean (leader
 * dots, dust, the dot of dotted zeros), keep seals out of what is read,
 * recognise.
 * Orientation costs a Tesseract OSD pass, so it is asked only when the
 * page is landscape or the first recognition's mean confidence is low;
 * then the page is turned, prepared again and recognised again, and the
 * better reading is kept. */
#include "ocr.h"

#include "../sh/sh.h"

#include <leptonica/allheaders.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tesseract/capi.h>
#include <utf8proc.h>

struct ocr_engine {
	TessBaseAPI *api;
	TessBaseAPI *osd; /* loaded on first need */
	ocr_opts o;
};

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
	if (e->osd) {
		TessBaseAPIEnd(e->osd);
		TessBaseAPIDelete(e->osd);
	}
	free(e);
	*ep = NULL;
}

/* Any depth to 8-bit gray without a colormap. */
static PIX *to_gray(PIX *raw)
{
	PIX *p8, *tmp = NULL;

	if (pixGetDepth(raw) == 16)
		raw = tmp = pixConvert16To8(raw, L_MS_BYTE);
	p8 = raw ? pixConvertTo8(raw, 0) : NULL;
	pixDestroy(&tmp);
	return p8;
}

/* The TIFF's resolution when it is plausible, else estimated from the
 * page size: records are A4 or close to it, 210 mm on the short side. */
static int page_dpi(PIX *pix)
{
	int x = pixGetXRes(pix), w = pixGetWidth(pix), h = pixGetHeight(pix);
	int shortside = w < h ? w : h;
	double est = shortside / (210.0 / 25.4);

	if (x >= 100 && x <= 1200 && fabs(x - est) / est < 0.5)
		return x;
	return (int)(est + 0.5);
}

struct dot {
	int x, y, w, h, run;
};

static int cmp_dot(const void *a, const void *b)
{
	const struct dot *p = a, *q = b;

	return p->y != q->y ? p->y - q->y : p->x - q->x;
}

/* Older forms print dotted leader lines to write the values on. Read as
 * text they turn into rows of junk that swallow the values beside them,
 * so they go: runs of tiny components, evenly spaced on one baseline.
 * A diacritic dot (the dot below in "ộ") is never in such a run. */
static void remove_leader_dots(PIX *bin, BOXA *boxa, PIX *gray, int dpi)
{
	int n = boxa ? boxaGetCount(boxa) : 0, m = 0;
	int dotmax = (int)(dpi * 0.4 / 25.4 + 0.5);   /* 0.4 mm */
	int pitch = (int)(dpi * 1.8 / 25.4 + 0.5);    /* 1.8 mm */
	struct dot *d = calloc((size_t)(n ? n : 1), sizeof(*d));

	for (int i = 0; d && i < n; i++) {
		int x, y, w, h;
		boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
		if (w <= dotmax && h <= dotmax)
			d[m++] = (struct dot){ x + w / 2, y + h / 2, w, h, 0 };
	}
	if (d)
		qsort(d, (size_t)m, sizeof(*d), cmp_dot);
	/* a dot with two neighbours on its baseline within the pitch is in
	 * a run; then the run's two end dots join it */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; d && i < m; i++) {
			int near = 0, inrun = 0;
			for (int j = i - 1; j >= 0 && d[i].y - d[j].y <= 2; j--)
				if (abs(d[j].x - d[i].x) <= pitch)
					near++, inrun |= d[j].run;
			for (int j = i + 1; j < m && d[j].y - d[i].y <= 2; j++)
				if (abs(d[j].x - d[i].x) <= pitch)
					near++, inrun |= d[j].run;
			if (near >= 2 || (pass == 1 && near >= 1 && inrun))
				d[i].run = 1;
		}
	for (int i = 0; d && i < m; i++)
		if (d[i].run) {
			BOX *b = boxCreate(d[i].x - d[i].w / 2 - 1,
					   d[i].y - d[i].h / 2 - 1, d[i].w + 2,
					   d[i].h + 2);
			pixClearInRect(bin, b);
			if (gray)
				pixSetInRect(gray, b);
			boxDestroy(&b);
		}
	free(d);
}

/* Dust on the glass becomes specks on the page. A speck is a tiny
 * component with no other ink within 0.6 mm: a diacritic's dot sits by
 * its letter and a colon's dots by the word before them, so they stay.
 * Dust by a word stays too, and reads as a colon or a stop glued to it
 * ("HỘI:CHỦ"), so on a dusty page (many lone specks) a component under
 * 0.3 mm goes wherever it is: print makes no dot that small (a stop or
 * a dot below is 0.4 mm and more at 10 pt) but dust does. */
static void remove_specks(PIX *bin, BOXA *boxa, PIX *gray, int dpi)
{
	int n = boxa ? boxaGetCount(boxa) : 0, lone = 0, nt = 0;
	int small = (int)(dpi * 0.35 / 25.4 + 0.5);
	int tiny = (int)(dpi * 0.28 / 25.4 + 0.5);
	int margin = (int)(dpi * 0.6 / 25.4 + 0.5);
	int dusty = (int)((double)pixGetWidth(bin) * pixGetHeight(bin) /
			  ((double)dpi * dpi) * 2); /* 2 a square inch */
	l_int32 *tab = makePixelSumTab8();
	BOX **near = calloc((size_t)(n ? n : 1), sizeof(*near));

	for (int i = 0; i < n; i++) {
		int x, y, w, h;
		l_int32 own = 0, around = 0;
		BOX *b, *big;

		boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
		if (w > small || h > small)
			continue;
		b = boxCreate(x, y, w, h);
		big = boxCreate(x - margin, y - margin, w + 2 * margin,
				h + 2 * margin);
		pixCountPixelsInRect(bin, b, &own, tab);
		pixCountPixelsInRect(bin, big, &around, tab);
		if (around == own) {
			pixClearInRect(bin, b);
			if (gray)
				pixSetInRect(gray, b);
			lone++;
		} else if (near && w <= tiny && h <= tiny) {
			near[nt++] = b;
			b = NULL;
		}
		boxDestroy(&big);
		boxDestroy(&b);
	}
	for (int i = 0; i < nt; i++) {
		if (lone >= dusty) {
			pixClearInRect(bin, near[i]);
			if (gray)
				pixSetInRect(gray, near[i]);
		}
		boxDestroy(&near[i]);
	}
	free(near);
	LEPT_FREE(tab);
}

/* Whether a ray from (x, y) by (dx, dy) meets ink within steps pixels. */
static int ink_within(PIX *bin, int x, int y, int dx, int dy, int steps)
{
	l_uint32 v = 0;

	for (int i = 1; i <= steps; i++)
		if (pixGetPixel(bin, x + i * dx, y + i * dy, &v) == 0 && v)
			return 1;
	return 0;
}

/* Typewriters and monospaced print mark the zero with a dot inside it,
 * and Tesseract reads that zero as 8 or 9 ("16/84/1921"). A dot is a
 * small component inside the box of a character-sized one whose ink
 * rings it on all four sides: it goes, and the zero reads as a zero.
 * No Vietnamese letter holds a dot inside its loop. */
static void remove_zero_dots(PIX *bin, BOXA *boxa, PIX *gray, int dpi)
{
	int n = boxa ? boxaGetCount(boxa) : 0, nz = 0;
	int dot = (int)(dpi * 0.9 / 25.4 + 0.5);
	int chmin = (int)(dpi * 1.0 / 25.4), chmax = (int)(dpi * 5.0 / 25.4);
	BOX **z = calloc((size_t)(n ? n : 1), sizeof(*z));

	for (int i = 0; z && i < n; i++) {
		BOX *b = boxaGetBox(boxa, i, L_CLONE);
		if (b->w >= chmin && b->h >= chmin && b->w <= chmax &&
		    b->h <= chmax)
			z[nz++] = b;
		else
			boxDestroy(&b);
	}
	for (int i = 0; z && i < n; i++) {
		int x, y, w, h, cx, cy;

		boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
		if (w > dot || h > dot || w * h < 4)
			continue;
		cx = x + w / 2;
		cy = y + h / 2;
		for (int k = 0; k < nz; k++) {
			BOX *o = z[k];
			if (x <= o->x || y <= o->y || x + w >= o->x + o->w ||
			    y + h >= o->y + o->h)
				continue;
			if (ink_within(bin, x, cy, -1, 0, x - o->x) &&
			    ink_within(bin, x + w - 1, cy, 1, 0, o->x + o->w - x - w) &&
			    ink_within(bin, cx, y, 0, -1, y - o->y) &&
			    ink_within(bin, cx, y + h - 1, 0, 1, o->y + o->h - y - h)) {
				BOX *b = boxCreate(x, y, w, h);
				pixClearInRect(bin, b);
				if (gray)
					pixSetInRect(gray, b);
				boxDestroy(&b);
				break;
			}
		}
	}
	for (int k = 0; k < nz; k++)
		boxDestroy(&z[k]);
	free(z);
}

/* A line of len pixels through the origin at angle deg, as a structuring
 * element. */
static SEL *line_sel(int len, double deg)
{
	int half = len / 2;
	double c = cos(deg * M_PI / 180), s = sin(deg * M_PI / 180);
	SEL *sel = selCreate(2 * half + 1, 2 * half + 1, NULL);

	if (!sel)
		return NULL;
	selSetOrigin(sel, half, half);
	for (int i = -half; i <= half; i++)
		selSetElement(sel, half + (int)lround(i * s),
			      half + (int)lround(i * c), SEL_HIT);
	return sel;
}

#define SEAL_ANGLES 24

/* The strokes of one seal: its component m (placed at pad pixels from
 * each edge) opened by long lines at SEAL_ANGLES angles keeps the rings
 * and the signature's long curves, never a letter, whose strokes are
 * shorter. Where a letter crosses a ring or runs along it the ink is
 * thicker across the ring than the ring's own stroke: those pixels stay
 * (opened by a line across, a third longer than the stroke is wide).
 * Returns the pixels to take away, the size of m. */
static PIX *seal_strokes(PIX *m, int len)
{
	PIX *ring[SEAL_ANGLES] = { 0 }, *all, *edge = NULL, *back, *gone = NULL;
	l_int32 area = 0, rim = 0;
	int ok = 1, across;

	all = pixCreateTemplate(m);
	back = pixCreateTemplate(m);
	for (int j = 0; ok && j < SEAL_ANGLES; j++) {
		SEL *sel = line_sel(len, j * 180.0 / SEAL_ANGLES);
		PIX *open = sel ? pixOpen(NULL, m, sel) : NULL;
		/* with the pixel round it, as far as it is m's */
		ring[j] = open ? pixDilateBrick(NULL, open, 3, 3) : NULL;
		ok = ring[j] && pixAnd(ring[j], ring[j], m) && pixOr(all, all, ring[j]);
		pixDestroy(&open);
		selDestroy(&sel);
	}
	/* a band of width w and length l has w * l pixels, 2 * l of them
	 * on its edge */
	if (ok && (edge = pixExtractBoundary(all, 1)) &&
	    pixCountPixels(all, &area, NULL) == 0 &&
	    pixCountPixels(edge, &rim, NULL) == 0 && rim > 0) {
		across = (int)(2.0 * area / rim * 1.3) + 2;
		for (int j = 0; j < SEAL_ANGLES; j++) {
			SEL *sel = line_sel(across, j * 180.0 / SEAL_ANGLES + 90);
			PIX *thick = sel ? pixOpen(NULL, m, sel) : NULL;
			if (thick && pixAnd(thick, thick, ring[j]))
				pixOr(back, back, thick);
			pixDestroy(&thick);
			selDestroy(&sel);
		}
		gone = pixSubtract(NULL, all, back);
	}
	for (int j = 0; j < SEAL_ANGLES; j++)
		pixDestroy(&ring[j]);
	pixDestroy(&edge);
	pixDestroy(&back);
	pixDestroy(&all);
	return gone;
}

/* A seal stamped over the signer's name (on the left third of it, as
 * the rules have it) joins the name to its rings, and Tesseract takes
 * the whole as a picture and reads no name. Returns the page's seal
 * strokes (pixels to keep out of recognition, the size of bin) or NULL
 * when the page has none; *count gets one more for each seal. A seal is
 * a component 20 to 80 mm each way; a frame round the page is larger
 * and left alone. */
static PIX *find_seals(PIX *bin, BOXA *boxa, int dpi, int *count)
{
	int n = boxa ? boxaGetCount(boxa) : 0;
	int lo = (int)(dpi * 20 / 25.4), hi = (int)(dpi * 80 / 25.4);
	int len = (int)(dpi * 6 / 25.4);
	PIX *out = NULL;

	for (int i = 0; i < n; i++) {
		int x, y, w, h, pad = len;
		BOX *b;
		BOXA *cb = NULL;
		PIXA *cp = NULL;
		PIX *clip, *m, *gone;

		boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
		if (w < lo || h < lo || w > hi || h > hi)
			continue;
		/* the component alone, not the text inside its box */
		b = boxCreate(x, y, w, h);
		clip = pixClipRectangle(bin, b, NULL);
		boxDestroy(&b);
		cb = clip ? pixConnComp(clip, &cp, 8) : NULL;
		m = NULL;
		for (int k = 0; cb && k < boxaGetCount(cb); k++) {
			int cx, cy, cw, ch;
			boxaGetBoxGeometry(cb, k, &cx, &cy, &cw, &ch);
			if (cw == w && ch == h) {
				PIX *own = pixaGetPix(cp, k, L_CLONE);
				m = pixAddBorder(own, (l_uint32)pad, 0);
				pixDestroy(&own);
				break;
			}
		}
		gone = m ? seal_strokes(m, len) : NULL;
		if (gone && !out)
			out = pixCreateTemplate(bin);
		if (gone && out) {
			pixRasterop(out, x - pad, y - pad, w + 2 * pad,
				    h + 2 * pad, PIX_SRC | PIX_DST, gone, 0, 0);
			(*count)++;
		}
		pixDestroy(&gone);
		pixDestroy(&m);
		pixaDestroy(&cp);
		boxaDestroy(&cb);
		pixDestroy(&clip);
	}
	return out;
}

/* A page made ready for recognition. */
struct prepared {
	PIX *bin;   /* upright, straight, clean: what the store keeps */
	PIX *feed;  /* what recognition reads, NULL to read bin */
	float skew; /* the angle found, degrees anticlockwise */
	int seals;  /* seals kept out of feed */
};

static void prepared_free(struct prepared *p)
{
	pixDestroy(&p->bin);
	pixDestroy(&p->feed);
}

/* Turns gray by quads quarter turns, flattens the background, removes
 * the skew, binarises and cleans into *p. Recognition reads the
 * cleaned gray page of a gray or colour scan (Tesseract reads blurred
 * and JPEG scans better from it) and the binary one of a bilevel scan,
 * either without its seals; the stored binary keeps them. Returns
 * whether a binary page came out. */
static int prepare(PIX *gray, int quads, int dpi, int bilevel,
		   struct prepared *p)
{
	PIX *turned = quads ? pixRotateOrth(gray, quads) : pixClone(gray);
	PIX *norm, *probe, *straight, *bin = NULL, *seals = NULL;
	float angle = 0, conf = 0;
	int wh = dpi / 12 < 8 ? 8 : dpi / 12;

	memset(p, 0, sizeof(*p));
	/* a bilevel scan has no background to flatten */
	norm = bilevel ? pixClone(turned) : pixBackgroundNormSimple(turned, NULL, NULL);
	/* a copy: the cleanings whiten the gray page, which must not be
	 * the caller's (it is prepared again when turned) */
	if (!norm)
		norm = pixCopy(NULL, turned);
	probe = pixConvertTo1(norm, 160);
	if (probe && pixFindSkew(probe, &angle, &conf) == 0 && conf >= 2.5 &&
	    fabsf(angle) >= 0.1f)
		straight = pixRotate(norm, angle * (float)M_PI / 180.0f,
				     L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
	else
		straight = pixClone(norm), angle = 0;
	p->skew = angle;
	if (bilevel)
		bin = pixConvertTo1(straight, 128);
	else if (pixSauvolaBinarizeTiled(straight, wh, 0.34f, 1, 1, NULL, &bin))
		bin = pixConvertTo1(straight, 160);
	if (bin) {
		/* one pass over the components serves every cleaning: a dot
		 * one clears counts as no ink for the next */
		BOXA *boxa = pixConnCompBB(bin, 8);
		PIX *g = bilevel ? NULL : straight;
		remove_leader_dots(bin, boxa, g, dpi);
		remove_specks(bin, boxa, g, dpi);
		remove_zero_dots(bin, boxa, g, dpi);
		seals = find_seals(bin, boxa, dpi, &p->seals);
		boxaDestroy(&boxa);
	}
	if (bin && !bilevel) {
		if (seals)
			pixSetMasked(straight, seals, 255);
		p->feed = pixClone(straight);
	} else if (seals) {
		p->feed = pixSubtract(NULL, bin, seals);
	}
	p->bin = bin;
	pixDestroy(&seals);
	pixDestroy(&probe);
	pixDestroy(&straight);
	pixDestroy(&norm);
	pixDestroy(&turned);
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

/* Recognises pix (binary or gray); returns the page's result object
 * (NULL when the engine fails). */
static json_t *recognise(ocr_engine *e, PIX *pix, int dpi)
{
	TessResultIterator *ri;
	json_t *words = json_array(), *res;
	char *text, *t, *fixed, prev_last = 0;
	int line = -1;

	TessBaseAPISetImage2(e->api, pix);
	TessBaseAPISetSourceResolution(e->api, dpi);
	if (TessBaseAPIRecognize(e->api, NULL)) {
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
	res = json_pack("{s:s, s:i, s:o}", "text", t ? t : "", "confidence",
			json_array_size(words) ? TessBaseAPIMeanTextConf(e->api) : 0,
			"words", words);
	free(t);
	TessDeleteText(text);
	TessBaseAPIClear(e->api);
	return res;
}

/* Tesseract's orientation and script detection. Returns the quarter
 * turns (clockwise) that make the page upright, or 0 when unsure. */
static int detect_quads(ocr_engine *e, PIX *bin, int dpi)
{
	int deg = 0;
	float oconf = 0, sconf = 0;
	const char *script = NULL;

	if (!e->osd) {
		e->osd = TessBaseAPICreate();
		if (TessBaseAPIInit3(e->osd, e->o.tessdata && *e->o.tessdata ?
				     e->o.tessdata : NULL, "osd")) {
			TessBaseAPIDelete(e->osd);
			e->osd = NULL;
			return 0;
		}
		TessBaseAPISetVariable(e->osd, "debug_file", "/dev/null");
	}
	TessBaseAPISetImage2(e->osd, bin);
	TessBaseAPISetSourceResolution(e->osd, dpi);
	if (!TessBaseAPIDetectOrientationScript(e->osd, &deg, &oconf, &script,
						&sconf) || oconf < 1.0f)
		deg = 0;
	TessBaseAPIClear(e->osd);
	/* deg is how far the page was turned clockwise (measured on our
	 * rotated test pages); pixRotateOrth turns clockwise too, so the
	 * way back is the rest of the full turn */
	return (4 - ((deg / 90) % 4 + 4) % 4) % 4;
}

static double confidence_of(json_t *r)
{
	return r ? (double)json_integer_value(json_object_get(r, "confidence")) : -1;
}

static void ocr_one(ocr_engine *e, const void *tiff, size_t len, int n,
		    ocr_page *out)
{
	PIX *raw = pixReadMemTiff(tiff, len, n), *gray = NULL;
	struct prepared pg = { 0 };
	int dpi, bilevel, quads = 0, osd = 0;
	json_t *res = NULL;

	if (!raw || !(gray = to_gray(raw))) {
		snprintf(out->error, sizeof(out->error), "page %d cannot be "
			 "read for OCR", n + 1);
		goto out;
	}
	dpi = page_dpi(raw);
	bilevel = pixGetDepth(raw) == 1;
	/* A landscape page is most likely a portrait form fed sideways. */
	if (prepare(gray, 0, dpi, bilevel, &pg) &&
	    pixGetWidth(gray) > pixGetHeight(gray) * 1.15) {
		quads = detect_quads(e, pg.bin, dpi);
		osd = 1;
		if (quads) {
			/* prepared again upright: the skew of sideways
			 * lines means nothing */
			prepared_free(&pg);
			prepare(gray, quads, dpi, bilevel, &pg);
		}
	}
	res = pg.bin ? recognise(e, pg.feed ? pg.feed : pg.bin, dpi) : NULL;
	if (!osd && pg.bin && confidence_of(res) < e->o.osd_below) {
		int q = detect_quads(e, pg.bin, dpi);
		struct prepared pg2;
		osd = 1;
		if (q && prepare(gray, q, dpi, bilevel, &pg2)) {
			json_t *res2 = recognise(e, pg2.feed ? pg2.feed : pg2.bin, dpi);
			if (confidence_of(res2) > confidence_of(res)) {
				json_decref(res);
				prepared_free(&pg);
				res = res2;
				pg = pg2;
				quads = q;
			} else {
				json_decref(res2);
				prepared_free(&pg2);
			}
		}
	}
	if (!res) {
		snprintf(out->error, sizeof(out->error), "page %d: the OCR "
			 "engine failed", n + 1);
		goto out;
	}
	json_object_set_new(res, "n", json_integer(n + 1));
	/* reported as found on the scan: turned clockwise by rotation
	 * degrees and skewed clockwise by skew degrees */
	json_object_set_new(res, "rotation", json_integer((4 - quads) % 4 * 90));
	json_object_set_new(res, "skew", json_real(round(-pg.skew * 100) / 100 + 0.0));
	json_object_set_new(res, "dpi", json_integer(dpi));
	json_object_set_new(res, "width", json_integer(pixGetWidth(pg.bin)));
	json_object_set_new(res, "height", json_integer(pixGetHeight(pg.bin)));
	json_object_set_new(res, "osd", json_boolean(osd));
	json_object_set_new(res, "seals", json_integer(pg.seals));
	if (json_array_size(json_object_get(res, "words")) == 0)
		snprintf(out->error, sizeof(out->error), "page %d: no text "
			 "found", n + 1);
	if (pixWriteMemTiff(&out->image, &out->image_len, pg.bin, IFF_TIFF_G4)) {
		out->image = NULL;
		out->image_len = 0;
		if (!out->error[0])
			snprintf(out->error, sizeof(out->error), "page %d: the "
				 "cleaned image could not be encoded (text kept)",
				 n + 1);
	}
	out->result = res;
out:
	prepared_free(&pg);
	pixDestroy(&gray);
	pixDestroy(&raw);
}

int ocr_document(ocr_engine *e, const void *tiff, size_t len, int npages,
		 ocr_page **pages)
{
	ocr_page *p = calloc((size_t)(npages > 0 ? npages : 1), sizeof(*p));

	*pages = NULL;
	if (!p)
		return sh_fail(SH_ENOMEM, "out of memory");
	for (int i = 0; i < npages; i++)
		ocr_one(e, tiff, len, i, &p[i]);
	*pages = p;
	return 0;
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

int ocr_render(ocr_engine *e, unsigned char *const *images,
	       const size_t *lens, int n, const char *pdf_base,
	       const char *alto_base, const char *title)
{
	TessResultRenderer *pdf, *alto;
	const char *datadir = TessBaseAPIGetDatapath(e->api);
	int rc = 0;

	/* the PDF renderer's invisible text uses Tesseract's glyphless
	 * font, pdf.ttf, from the language data folder */
	pdf = TessPDFRendererCreate(pdf_base, datadir, 0);
	alto = TessAltoRendererCreate(alto_base);
	if (!pdf || !alto) {
		TessDeleteResultRenderer(pdf);
		TessDeleteResultRenderer(alto);
		return sh_fail(SH_EIO, "cannot create '%s.pdf' or '%s.xml'",
			       pdf_base, alto_base);
	}
	TessResultRendererInsert(pdf, alto);
	if (!TessResultRendererBeginDocument(pdf, title))
		rc = sh_fail(SH_EIO, "cannot write '%s.pdf'", pdf_base);
	for (int i = 0; i < n && rc == 0; i++) {
		PIX *pix = images[i] ? pixReadMemTiff(images[i], lens[i], 0) : NULL;
		if (!pix) {
			rc = sh_fail(SH_ECORRUPT, "%s: page %d has no stored image",
				     title, i + 1);
			break;
		}
		/* the stored page is upright, deskewed and clean: recognise
		 * it as it is, so the text layer lies on the printed words,
		 * but for its seals (the PDF shows them) */
		int dpi = page_dpi(pix), nseals = 0;
		BOXA *boxa = pixConnCompBB(pix, 8);
		PIX *seals = find_seals(pix, boxa, dpi, &nseals);
		PIX *feed = seals ? pixSubtract(NULL, pix, seals) : pixClone(pix);
		boxaDestroy(&boxa);
		pixDestroy(&seals);
		TessBaseAPISetInputName(e->api, NULL);
		/* Tesseract takes the input image for its own */
		TessBaseAPISetInputImage(e->api, pixClone(pix));
		TessBaseAPISetImage2(e->api, feed ? feed : pix);
		TessBaseAPISetSourceResolution(e->api, dpi);
		if (TessBaseAPIRecognize(e->api, NULL) != 0 ||
		    !TessResultRendererAddImage(pdf, e->api))
			rc = sh_fail(SH_ECODEC, "%s: page %d could not be "
				     "rendered", title, i + 1);
		TessBaseAPIClear(e->api);
		pixDestroy(&feed);
		pixDestroy(&pix);
	}
	if (!TessResultRendererEndDocument(pdf) && rc == 0)
		rc = sh_fail(SH_EIO, "cannot finish '%s.pdf'", pdf_base);
	TessDeleteResultRenderer(pdf); /* deletes the chain */
	return rc;
}

void ocr_versions(char *out, size_t cap)
{
	char *lept = getLeptonicaVersion();

	snprintf(out, cap, "tesseract %s, %s", TessVersion(), lept ? lept : "leptonica");
	lept_free(lept);
}
