/* prepare.c - a page made ready for recognition: gray with its colour
 * read (tints, seal-coloured ink), its resolution, turned and deskewed,
 * binarised with Sauvola, flattened where its lines bend, cleaned
 * (clean.c), its seals kept out of what is read. */
#include "internal.h"

#include <math.h>
#include <string.h>

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
PIX *ocr_to_gray(PIX *raw, PIX **tint, PIX **ink)
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
int ocr_paper_level(PIX *gray)
{
	l_uint32 v = 255;

	if (pixGetDepth(gray) != 8 || pixGetRankValue(gray, 4, 0.9f, &v))
		return 255;
	return (int)v;
}

/* The TIFF's resolution when it is plausible (*tagged set), else
 * estimated from the page size: records are A4 or close to it, 210 mm
 * on the short side (the text's size decides later when it can). */
int ocr_page_dpi(PIX *pix, int *tagged)
{
	int x = pixGetXRes(pix), w = pixGetWidth(pix), h = pixGetHeight(pix);
	int shortside = w < h ? w : h;
	double est = shortside / (210.0 / 25.4);

	*tagged = x >= 100 && x <= 1200 && fabs(x - est) / est < 0.5;
	return *tagged ? x : (int)(est + 0.5);
}


void ocr_prepared_free(struct prepared *p)
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
PIX *ocr_sauvola(PIX *gray, int wh)
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
	PIX *fbin = !flat ? NULL : bilevel ? pixConvertTo1(flat, 128) : ocr_sauvola(flat, wh);
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


/* Turns norm (the page's gray, its background flattened) as o says,
 * removes the skew, binarises and cleans into *p; flattens bent lines
 * and takes seals out by their colour when steps allows. Recognition
 * reads the cleaned gray page of a gray or colour scan (Tesseract reads
 * blurred and JPEG scans better from it) and the binary one of a
 * bilevel scan, either without its seals; the stored binary keeps them.
 * norm is left as it was. Returns whether a binary page came out. */
int ocr_prepare(PIX *norm, PIX *ink, const orientation *o, int dpi,
		   int bilevel, int steps, struct prepared *p)
{
	int skewed = o->skew_conf >= 2.5f && fabsf(o->skew) >= 0.1f;
	int wh = dpi / 12 < 8 ? 8 : dpi / 12;
	PIX *bin = NULL, *seals = NULL, *straight = NULL;

	memset(p, 0, sizeof(*p));
	p->skew = skewed ? o->skew : 0;
	p->faint = !!(steps & STEP_FAINT_LEADERS);
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
		else if (straight && !(bin = ocr_sauvola(straight, wh)))
			bin = pixConvertTo1(straight, 160);
		pixDestroy(&turned);
		pixDestroy(&g);
	}
	if (bin && (steps & STEP_FLATTEN))
		flatten(&bin, &straight, bilevel, dpi, wh, &p->curl);
	if (bin)
		seals = ocr_clean(bin, bilevel ? NULL : straight, dpi, p->faint,
				  &p->seals);
	PIX *by_colour = bin && !bilevel && ink && (steps & STEP_COLOUR_SEALS) ?
			 colour_seals(ink, o, p, straight, dpi) : NULL;
	if (bin && !bilevel) {
		int paper = ocr_paper_level(straight);
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
