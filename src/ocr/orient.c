/* orient.c - which way up a page is, told before it is recognised.
 *
 * Sideways or not, by the direction of the text lines: Leptonica's skew
 * search (pixFindSkew) scores how sharply the rows' ink peaks as the
 * page is swept through small angles; printed lines peak sharply along
 * their own direction only, so the page's score over the score of the
 * page turned a quarter is far above 1 for lines across the page and
 * far below for lines up and down it. The search gives the lines'
 * angle too, which deskewing uses.
 * Upright or upside down, on the page turned to run its lines across:
 * Leptonica's count of ascenders against descenders (pixUpDownDetect).
 * The marks above Vietnamese letters stand where ascenders stand, so
 * they count for the right way up. When that count is weak, a strip of
 * the page is recognised both ways and the surer reading decides.
 * Measured on 240 pages of the generator's real layout (200 and 300
 * dpi, bilevel, gray and colour, skewed and noisy): the line scores were
 * 2.9-18 across and 0.07-0.46 sideways; the up/down statistic never had
 * the wrong sign, and was under 3 on 1 page. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

#define LINES_SURE 1.5f  /* line score ratio that tells the axis */
#define UPDOWN_SURE 3.0f /* up/down statistic that needs no reading */

/* pixFindSkew's confidence and angle for bin as it lies. */
static float line_score(PIX *bin, float *angle)
{
	float a = 0, conf = 0;

	if (pixFindSkew(bin, &a, &conf))
		a = 0, conf = 0;
	*angle = a;
	return conf;
}

static float updown(PIX *bin)
{
	float conf = 0;

	if (pixUpDownDetect(bin, &conf, 0, 0, 0))
		conf = 0;
	return conf;
}

/* Tesseract's mean confidence reading pix as one block of text. */
static int read_confidence(ocr_engine *e, PIX *pix, int dpi)
{
	TessPageSegMode psm = TessBaseAPIGetPageSegMode(e->api);
	int conf = 0;

	TessBaseAPISetPageSegMode(e->api, PSM_SINGLE_BLOCK);
	TessBaseAPISetImage2(e->api, pix);
	TessBaseAPISetSourceResolution(e->api, dpi);
	if (TessBaseAPIRecognize(e->api, NULL) == 0)
		conf = TessBaseAPIMeanTextConf(e->api);
	TessBaseAPIClear(e->api);
	TessBaseAPISetPageSegMode(e->api, psm);
	return conf;
}

/* Whether bin (its lines across) reads better upside down: a strip an
 * eighth of the page high, where half the page's ink lies above it, is
 * recognised as it lies and turned half round. */
static int reads_upside_down(ocr_engine *e, PIX *bin, int dpi)
{
	int w = pixGetWidth(bin), h = pixGetHeight(bin);
	int band = h / 8 > dpi / 2 ? h / 8 : dpi / 2, y = 0, n, down = 0;
	l_float32 total = 0, sum = 0, v = 0;
	NUMA *rows = pixCountPixelsByRow(bin, NULL);
	BOX *b;
	PIX *strip, *turned;

	if (!rows)
		return 0;
	n = numaGetCount(rows);
	numaGetSum(rows, &total);
	for (y = 0; y < n && sum < total / 2; y++) {
		numaGetFValue(rows, y, &v);
		sum += v;
	}
	numaDestroy(&rows);
	y -= band / 2;
	if (y < 0)
		y = 0;
	if (y + band > h)
		band = h - y;
	b = boxCreate(0, y, w, band);
	strip = b ? pixClipRectangle(bin, b, NULL) : NULL;
	turned = strip ? pixRotateOrth(strip, 2) : NULL;
	if (strip && turned)
		down = read_confidence(e, turned, dpi) >
		       read_confidence(e, strip, dpi) + 5;
	pixDestroy(&turned);
	pixDestroy(&strip);
	boxDestroy(&b);
	return down;
}

void ocr_orient(ocr_engine *e, PIX *bin, int dpi, orientation *o)
{
	PIX *side = pixRotateOrth(bin, 1), *across;
	float a0 = 0, a1 = 0, s0, s1, u0, u1;
	l_int32 ink = 0;

	*o = (orientation){ .sure = 1 };
	if (!side)
		return;
	/* a page with next to no ink (blank, a few marks) stays as it is */
	pixCountPixels(bin, &ink, NULL);
	if (ink < pixGetWidth(bin) * pixGetHeight(bin) / 1000) {
		pixDestroy(&side);
		return;
	}
	s0 = line_score(bin, &a0);
	s1 = line_score(side, &a1);
	o->lines = s1 > 0 ? s0 / s1 : s0 > 0 ? 99 : 1;
	if (o->lines >= LINES_SURE || o->lines <= 1 / LINES_SURE) {
		int sideways = o->lines < 1;
		across = sideways ? side : bin;
		o->quads = sideways;
		o->skew = sideways ? a1 : a0;
		o->skew_conf = sideways ? s1 : s0;
		o->updown = updown(across);
	} else {
		/* lines unclear both ways: the way with the clearer marks */
		u0 = updown(bin);
		u1 = updown(side);
		o->quads = fabsf(u1) > fabsf(u0);
		across = o->quads ? side : bin;
		o->skew = o->quads ? a1 : a0;
		o->skew_conf = o->quads ? s1 : s0;
		o->updown = o->quads ? u1 : u0;
		o->sure = 0;
	}
	if (fabsf(o->updown) >= UPDOWN_SURE) {
		if (o->updown < 0)
			o->quads += 2;
	} else if (e) {
		o->sure = 0;
		o->sampled = 1;
		if (reads_upside_down(e, across, dpi))
			o->quads += 2;
	}
	pixDestroy(&side);
}
