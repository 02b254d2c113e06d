/* orient.c - which way up a page is, told before it is recognised.
 *
 * Sideways or not, by two signals that must agree, both taken on the
 * page's interior with its long straight runs (rules, frames) taken out:
 * the direction of the text lines (Leptonica's skew search, pixFindSkew,
 * scores how sharply the rows' ink peaks as the page is swept through
 * small angles; printed lines peak along their own direction only) and
 * the up/down marks on both axes (pixUpDownDetect: lines across have
 * clear ascenders and descenders, lines up and down next to none).
 * When they disagree or one is silent, a strip of the page is recognised
 * in each candidate turn and a turn is taken only when it reads clearly
 * better than the page as it lies.
 * Upright or upside down, on the page turned to run its lines across:
 * Leptonica's count of ascenders against descenders. The marks above
 * Vietnamese letters stand where ascenders stand, so they count for the
 * right way up; a half turn on the marks alone stands only when the page
 * reads well turned, or clearly better than as it lay (ocr_page_read).
 * The first thresholds (line ratio 1.5, up/down 3) come from 240 pages
 * of the generator's real layout; the agreement, the interior, the
 * rules taken out and the strip confirmations from real pages that the
 * first rule turned wrongly (shared/real sets 3 and 5, README "No step
 * may harm a page"). */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

#define LINES_SURE 1.5f  /* line score ratio that tells the axis */
#define UPDOWN_SURE 3.0f /* up/down statistic that needs no reading */
#define UPDOWN_AXIS 2.0f /* up/down statistic that says lines run across */

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

/* The band of bin (its lines across, as it would be read) 1/part of
 * its height high where half its ink lies above: the strip a candidate
 * turn is read on. NULL when Leptonica fails. */
static PIX *middle_strip(PIX *bin, int dpi, int part)
{
	int w = pixGetWidth(bin), h = pixGetHeight(bin);
	int band = h / part > dpi / 2 ? h / part : dpi / 2, y = 0, n;
	l_float32 total = 0, sum = 0, v = 0;
	NUMA *rows = pixCountPixelsByRow(bin, NULL);

	if (!rows)
		return NULL;
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
	BOX *b = boxCreate(0, y, w, band);
	PIX *strip = b ? pixClipRectangle(bin, b, NULL) : NULL;
	boxDestroy(&b);
	return strip;
}

/* How well the strip of bin turned by quads clockwise quarter turns
 * reads: its well-formed words (ocr_strip_quality), Tesseract's mean
 * confidence breaking ties. A strip a quarter of the page high tells
 * the axis (an eighth held too few words of a sparse invoice to tell
 * junk from text), an eighth up from down (its lines run across). */
static double strip_reads(ocr_engine *e, PIX *bin, int quads, int dpi, int part)
{
	PIX *turned = quads ? pixRotateOrth(bin, quads) : pixClone(bin);
	PIX *strip = turned ? middle_strip(turned, dpi, part) : NULL;
	double q = -1;

	if (strip)
		q = ocr_strip_quality(e, strip, dpi);
	pixDestroy(&strip);
	pixDestroy(&turned);
	return q;
}

/* Whether a strip turned, reading q well-formed words, reads clearly
 * better than as it lies (q0): three words and a quarter more. A page
 * stays as it lies unless its turn earns it. */
static int turn_reads_clearly_better(double q, double q0)
{
	return q >= q0 + 3 && q >= 1.25 * q0;
}

/* The inside of a page without its rules: a twelfth cut off each side,
 * so the sheet's edges, a scanner's border and labels down a margin do
 * not count as lines across or marks, and every straight run of ink a
 * third of an inch long or more taken out (a table's rules, a frame, an
 * underline: they peak like text lines in the skew search, a table's
 * columns up and down the page; no letter has such a run). A table page
 * of shared/real set 3 (lit_259nd p15) scored lines twice as sharp down
 * its rules as along its text before. */
static PIX *interior(PIX *bin, int dpi)
{
	int w = pixGetWidth(bin), h = pixGetHeight(bin), run = dpi / 3 > 8 ? dpi / 3 : 8;
	BOX *b = boxCreate(w / 12, h / 12, w - w / 6, h - h / 6);
	PIX *in = b ? pixClipRectangle(bin, b, NULL) : NULL;

	boxDestroy(&b);
	if (!in)
		return pixClone(bin);
	/* composite bricks: the same runs found, four to five times
	 * faster than one long brick on a 300 dpi page */
	PIX *down = pixOpenCompBrick(NULL, in, 1, run), *across = pixOpenCompBrick(NULL, in, run, 1);
	if (down)
		pixSubtract(in, in, down);
	if (across)
		pixSubtract(in, in, across);
	pixDestroy(&down);
	pixDestroy(&across);
	return in;
}

/* Which axis the lines say, from pixFindSkew's confidences along rows
 * (s0) and along columns (s1): 1 across, -1 sideways, 0 no answer. A
 * confidence of 0 is no answer rather than "no lines": Leptonica gives 0
 * when its best angle lies at the edge of the angles it searched (a
 * page tilted more than its range, a photo's keystone). */
static int lines_vote(float s0, float s1)
{
	if (s0 <= 0 || s1 <= 0)
		return 0;
	return s0 >= LINES_SURE * s1 ? 1 : s1 >= LINES_SURE * s0 ? -1 : 0;
}

/* Which axis the marks say: lines of text across the page have clear
 * ascenders and descenders (a large up/down statistic of either sign),
 * lines up and down it fewer (a statistic of 2 or more, a quarter over
 * the other axis's). 1, -1 or 0 as above. */
static int marks_vote(float u0, float u1)
{
	float a0 = fabsf(u0), a1 = fabsf(u1);

	if (a0 >= UPDOWN_AXIS && a0 >= 1.25f * a1)
		return 1;
	if (a1 >= UPDOWN_AXIS && a1 >= 1.25f * a0)
		return -1;
	return 0;
}

/* The signals on the page as it lies ([0]) and turned a quarter ([1]):
 * the lines' angle, pixFindSkew's confidence in it, the up/down mark. */
typedef struct signals {
	float angle[2], lines[2], marks[2];
} signals;

/* Lines and marks unsure: a strip read in the page as it lies, always
 * (it wins unless a turn reads clearly better), and in each other turn
 * the marks do not rule out clearly. */
static void turn_on_strips(ocr_engine *e, PIX *page, int dpi, const signals *g,
			   orientation *o)
{
	int cand[4], nc = 0, pick = 0;
	double best = -1, q0 = 0;

	cand[nc++] = 0;
	if (g->marks[0] < UPDOWN_SURE)
		cand[nc++] = 2;
	if (g->marks[1] > -UPDOWN_SURE)
		cand[nc++] = 1;
	if (g->marks[1] < UPDOWN_SURE)
		cand[nc++] = 3;
	for (int i = 0; i < nc; i++) {
		double q = strip_reads(e, page, cand[i], dpi, 4);
		if (cand[i] == 0)
			q0 = q;
		else if (q > best) {
			best = q;
			pick = cand[i];
		}
	}
	if (!turn_reads_clearly_better(best, q0))
		pick = 0;
	/* a strip is a quarter of the page: the turn it chose stands when
	 * the whole page turned reads well, or clearly better than as it
	 * lay (an upright invoice on pink cloth, shared/real set 5
	 * 11883-curled_color, read a strip better turned and the whole
	 * page no better) */
	if (pick) {
		o->confirm = 1;
		o->against.quads = 0;
		o->against.skew = g->angle[0];
		o->against.skew_conf = g->lines[0];
		o->against.updown = g->marks[0];
	}
	o->sure = 0;
	o->sampled = 1;
	o->quads = pick;
	o->skew = g->angle[pick % 2];
	o->skew_conf = g->lines[pick % 2];
	o->updown = pick >= 2 ? -g->marks[pick % 2] : g->marks[pick % 2];
}

void ocr_orient(ocr_engine *e, PIX *page, int dpi, orientation *o)
{
	PIX *bin, *side;
	float a0 = 0, a1 = 0, s0, s1, u0, u1;
	l_int32 ink = 0;
	signals g;

	*o = (orientation){ .sure = 1 };
	/* a page with next to no ink (blank, a few marks) stays as it is */
	pixCountPixels(page, &ink, NULL);
	if (ink < pixGetWidth(page) * pixGetHeight(page) / 1000)
		return;
	bin = interior(page, dpi);
	side = bin ? pixRotateOrth(bin, 1) : NULL;
	if (!side) {
		pixDestroy(&bin);
		return;
	}
	s0 = line_score(bin, &a0);
	s1 = line_score(side, &a1);
	u0 = updown(bin);
	u1 = updown(side);
	g = (signals){ { a0, a1 }, { s0, s1 }, { u0, u1 } };
	o->lines = s1 > 0 ? s0 / s1 : s0 > 0 ? 99 : 1;
	int lv = lines_vote(s0, s1), mv = marks_vote(u0, u1);
	/* the axis acted on only when the two signals agree; else a strip
	 * is read in each candidate turn (without an engine, as in the
	 * unit test, whichever signal spoke decides) */
	int axis = lv && mv ? (lv == mv ? lv : 0) : lv ? lv : mv;
	int unsure = !(lv && lv == mv);
	if (unsure && e) {
		turn_on_strips(e, page, dpi, &g, o);
		pixDestroy(&side);
		pixDestroy(&bin);
		return;
	}
	if (unsure)
		o->sure = 0;
	int sideways = axis < 0;
	PIX *across = sideways ? side : bin;
	o->quads = sideways;
	o->skew = sideways ? a1 : a0;
	o->skew_conf = sideways ? s1 : s0;
	o->updown = sideways ? u1 : u0;
	/* upright when the marks say so clearly; upside down when they say
	 * so clearly, to be confirmed by the page's own reading (the marks
	 * alone said "upside down" (-8) of an upright table of coordinates,
	 * digits, arrows and brackets, shared/real set 3, lit_2224 p6: read
	 * turned, it reads poorly, and the page as it lies is read too;
	 * ocr_page_read); between the two, a strip read both ways decides */
	if (o->updown >= UPDOWN_SURE) {
		/* as it lies */
	} else if (o->updown <= -UPDOWN_SURE) {
		o->quads += 2;
		o->confirm = !!e;
		o->against.quads = o->quads - 2;
		o->against.skew = o->skew;
		o->against.skew_conf = o->skew_conf;
		o->against.updown = o->updown;
	} else if (e) {
		o->sampled = 1;
		double up = strip_reads(e, across, 0, dpi, 8), down = strip_reads(e, across, 2, dpi, 8);
		if (turn_reads_clearly_better(down, up))
			o->quads += 2;
		o->sure = 0;
	}
	pixDestroy(&side);
	pixDestroy(&bin);
}
