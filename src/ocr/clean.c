/* clean.c - what is on a binarised page but is no text: the dotted
 * leader lines of older forms, dust, the dot inside a typewriter's zero,
 * and seals stamped over the signer's name. Sizes are in millimetres at
 * the page's resolution. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

struct dot {
	int x, y, w, h, run;
};

static int cmp_dot(const void *a, const void *b)
{
	const struct dot *p = a, *q = b;

	return p->y != q->y ? p->y - q->y : p->x - q->x;
}

/* The runs of dots among boxa's components (dot_mm across at most):
 * cleared from bin, and in gray set to paper (-1: white). */
static void leader_runs(PIX *bin, BOXA *boxa, PIX *gray, int paper, int dpi,
			double dot_mm)
{
	int n = boxa ? boxaGetCount(boxa) : 0, m = 0;
	int dotmax = (int)(dpi * dot_mm / 25.4 + 0.5);
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
			if (gray && paper < 0)
				pixSetInRect(gray, b);
			else if (gray)
				pixSetInRectArbitrary(gray, b, (l_uint32)paper);
			boxDestroy(&b);
		}
	free(d);
}

/* Older forms print dotted leader lines to write the values on. Read as
 * text they turn into rows of junk that swallow the values beside them,
 * so they go: runs of tiny components (0.4 mm at most), evenly spaced
 * on one baseline. A diacritic dot (the dot below in "ộ") is never in
 * such a run. */
static void remove_leader_dots(PIX *bin, BOXA *boxa, PIX *gray, int dpi)
{
	leader_runs(bin, boxa, gray, -1, dpi, 0.4);
}

/* Leader dots too faint for the binarisation: a camera's blur spreads
 * each dot into a light gray disc, 0.5 to 0.7 mm across, that Sauvola's
 * threshold leaves out of bin but Tesseract's own threshold of the gray
 * page keeps as specks, read as junk after the values ("Mường rà tô
 * -.CóXVOEÌ"). The gray page thresholded just under its paper shows
 * them; their runs (up to 0.8 mm) are set to the paper in gray (white
 * would be specks of their own). Photographed pages only (faint). */
static void remove_faint_leaders(PIX *bin, PIX *gray, int dpi)
{
	int paper = ocr_paper_level(gray);
	PIX *faint = pixThresholdToBinary(gray, paper > 20 ? paper - 15 : 5);
	BOXA *boxa = faint ? pixConnCompBB(faint, 8) : NULL;

	leader_runs(bin, boxa, gray, paper, dpi, 0.8);
	boxaDestroy(&boxa);
	pixDestroy(&faint);
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

PIX *ocr_clean(PIX *bin, PIX *gray, int dpi, int faint, int *seals)
{
	/* one pass over the components serves every cleaning: a dot one
	 * clears counts as no ink for the next */
	BOXA *boxa = pixConnCompBB(bin, 8);
	PIX *strokes;

	remove_leader_dots(bin, boxa, gray, dpi);
	if (gray && faint)
		remove_faint_leaders(bin, gray, dpi);
	remove_specks(bin, boxa, gray, dpi);
	remove_zero_dots(bin, boxa, gray, dpi);
	strokes = find_seals(bin, boxa, dpi, seals);
	boxaDestroy(&boxa);
	return strokes;
}
