/* dewarp.c - a page whose lines bend (a bound register under an overhead
 * scanner curving toward its spine, a sheet that did not lie flat)
 * measured from its own text lines and flattened by moving each column
 * of pixels up or down.
 *
 * Leptonica's dewarpBuildPageModel wants a book page: fifteen or more
 * text lines each four fifths of the longest, fitted by one quadratic
 * a line. A form has few long lines (labels, values and dotted leaders
 * of every length, tables, a signature block), and a bend that is flat
 * over most of the page and steep near the binding, which no single
 * quadratic follows. So the model here assumes no shape beyond
 * smoothness: every run of text found (by its baseline, see
 * line_bottoms) is its own height plus one profile shared across the
 * page, a curve through 17 knots fitted to all of them at once by least
 * squares; the page's top, middle and bottom each get their own profile
 * when each holds enough lines (a bend is deeper at a register's top
 * and bottom than at its middle). Whether a page bends is asked of its
 * words, how it bends of its whole lines (ocr_dewarp_model says why). */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Knots across the page: ~13 mm apart on an A4 page, close enough to
 * follow a bend that is steep only near a binding. */
#define BINS 16 /* curl_model holds BINS + 1 edges */
/* Rounds of fitting the lines' heights and the shared profile. */
#define ROUNDS 8

/* One run of text's baseline points (x, y), its ends left out (the
 * closing that joins its letters rounds them). */
typedef struct line_pts {
	const float *x, *y;
	int n;
	double offset; /* the line's height once the profile is taken out */
} line_pts;

/* The knot interval x lies in. */
static int knot_of(double x, double bw)
{
	double t = x / bw;
	return t < 0 ? 0 : t >= BINS ? BINS - 1 : (int)t;
}

/* The profile's value at x: linear between knots bw apart. */
static double profile_at(const double *knot, double bw, double x)
{
	int k = knot_of(x, bw);
	double f = x / bw - k;
	return (1 - f) * knot[k] + f * knot[k + 1];
}

/* Which knot intervals the runs (words or lines) say something about:
 * those holding an interval's width of points or more, from three runs
 * or more. The points in intervals too few runs reach are left out: one
 * or two would tilt the page's edge. */
static void supported(line_pts *lines, int nl, double bw, int use[BINS])
{
	int words[BINS] = { 0 }, points[BINS] = { 0 };

	for (int i = 0; i < nl; i++) {
		int in[BINS] = { 0 };
		for (int j = 0; j < lines[i].n; j++)
			in[knot_of(lines[i].x[j], bw)]++;
		for (int b = 0; b < BINS; b++) {
			words[b] += in[b] >= 8;
			points[b] += in[b] >= 8 ? in[b] : 0;
		}
	}
	for (int b = 0; b < BINS; b++)
		use[b] = words[b] >= 3 && points[b] >= bw;
}

/* Fits every line as its own height plus one profile shared by all,
 * knot[0..BINS] (least squares, alternating between the heights and
 * the profile, points further than three spreads from the fit dropped
 * after the first rounds). The profile is kept smooth by a small
 * penalty on its second differences, which also carries it straight
 * on past the last line's end. Returns -1 when it cannot be solved. */
static int fit_profile(line_pts *lines, int nl, double bw, double knot[BINS + 1],
		       int use[BINS])
{
	enum { K = BINS + 1 };
	double a[K * K], b[K], spread = 1e9;
	long total = 0;

	supported(lines, nl, bw, use);
	for (int i = 0; i < nl; i++)
		total += lines[i].n;
	/* the penalty a hundredth of a knot's share of the points */
	double lambda = 0.01 * (double)total / K + 1;
	memset(knot, 0, sizeof(*knot) * K);
	for (int round = 0; round < ROUNDS; round++) {
		double ss = 0;
		long used = 0;
		for (int i = 0; i < nl; i++) {
			double sum = 0;
			int cnt = 0;
			for (int j = 0; j < lines[i].n; j++) {
				if (!use[knot_of(lines[i].x[j], bw)])
					continue;
				double r = lines[i].y[j] - profile_at(knot, bw, lines[i].x[j]);
				if (round > 0 && fabs(r - lines[i].offset) > 3 * spread)
					continue;
				sum += r;
				cnt++;
			}
			if (cnt)
				lines[i].offset = sum / cnt;
		}
		memset(a, 0, sizeof(a));
		memset(b, 0, sizeof(b));
		for (int i = 0; i < nl; i++)
			for (int j = 0; j < lines[i].n; j++) {
				double x = lines[i].x[j], t = x / bw;
				int k = knot_of(x, bw);
				double f = t - k, r = lines[i].y[j] - lines[i].offset;
				if (!use[k] || fabs(r - profile_at(knot, bw, x)) > 3 * spread)
					continue;
				a[k * K + k] += (1 - f) * (1 - f);
				a[k * K + k + 1] += (1 - f) * f;
				a[(k + 1) * K + k] += (1 - f) * f;
				a[(k + 1) * K + k + 1] += f * f;
				b[k] += (1 - f) * r;
				b[k + 1] += f * r;
			}
		for (int k = 0; k + 2 < K; k++) {
			static const double d[3] = { 1, -2, 1 };
			for (int u = 0; u < 3; u++)
				for (int v = 0; v < 3; v++)
					a[(k + u) * K + k + v] += lambda * d[u] * d[v];
		}
		/* the heights and the profile trade a constant: a tiny pull
		 * toward zero fixes it */
		for (int k = 0; k < K; k++)
			a[k * K + k] += 1e-6 * lambda;
		/* Leptonica's Gauss-Jordan (single precision is plenty for 17
		 * knots whose entries are point counts) */
		float fa[K][K], fb[K], *rows[K];
		for (int k = 0; k < K; k++) {
			for (int j = 0; j < K; j++)
				fa[k][j] = (float)a[k * K + j];
			fb[k] = (float)b[k];
			rows[k] = fa[k];
		}
		if (gaussjordan(rows, fb, K))
			return -1;
		for (int k = 0; k < K; k++)
			knot[k] = fb[k];
		for (int i = 0; i < nl; i++)
			for (int j = 0; j < lines[i].n; j++) {
				double r = lines[i].y[j] - lines[i].offset -
					   profile_at(knot, bw, lines[i].x[j]);
				if (use[knot_of(lines[i].x[j], bw)] && fabs(r) <= 3 * spread) {
					ss += r * r;
					used++;
				}
			}
		spread = used ? sqrt(ss / used) : spread;
		if (spread < 0.5)
			spread = 0.5;
	}
	return 0;
}

/* The profile as m keeps it (relative to the page's middle column, in
 * the measured page's pixels times f); *depth gets how far the profile
 * strays from the straight line that fits it best, over the knot
 * intervals the lines support (a skew left over is a straight line, not
 * a bend; a curl toward a spine is not). Returns the bend: the widest
 * difference between the angles of two stretches of two intervals,
 * degrees (a single interval's angle is too noisy a letter's height
 * over 13 mm). */
static double keep_profile(const double knot[BINS + 1], const int use[BINS],
			   double bw, int f, float *disp, double *depth)
{
	double lo = 1e9, hi = -1e9, sx = 0, sy = 0, sxx = 0, sxy = 0;
	int n = 0;

	for (int k = 0; k + 1 < BINS; k++) {
		if (!use[k] || !use[k + 1])
			continue;
		double a = atan((knot[k + 2] - knot[k]) / (2 * bw)) * 180 / M_PI;
		lo = a < lo ? a : lo;
		hi = a > hi ? a : hi;
	}
	for (int k = 0; k <= BINS; k++) {
		disp[k] = (float)((knot[k] - knot[BINS / 2]) * f);
		if ((k < BINS && use[k]) || (k > 0 && use[k - 1])) {
			sx += k;
			sy += knot[k];
			sxx += (double)k * k;
			sxy += k * knot[k];
			n++;
		}
	}
	*depth = 0;
	double den = n * sxx - sx * sx;
	if (n >= 3 && den > 0) {
		double sl = (n * sxy - sx * sy) / den, c0 = (sy - sl * sx) / n;
		for (int k = 0; k <= BINS; k++)
			if ((k < BINS && use[k]) || (k > 0 && use[k - 1]))
				*depth = fmax(*depth, fabs(knot[k] - (c0 + sl * k)) * f);
	}
	return hi > lo ? hi - lo : 0;
}

/* The lines of ptaa whose mean height is in [y0, y1) into out (their
 * points borrowed from xs/ys, which hold every line's run after run);
 * returns how many, and in *span the knot intervals they support. */
static int lines_between(PTAA *ptaa, float **xs, float **ys, const float *ymean,
			 double y0, double y1, double bw, double ends, line_pts *out,
			 int *span)
{
	int nl = ptaaGetCount(ptaa), k = 0, use[BINS];

	for (int i = 0; i < nl; i++) {
		if (ymean[i] < y0 || ymean[i] >= y1)
			continue;
		PTA *pta = ptaaGetPta(ptaa, i, L_CLONE);
		/* the ends, ends of an interval each side, left out */
		int n = ptaGetCount(pta), trim = (int)(bw * ends);
		out[k] = n > 2 * trim ? (line_pts){ xs[i] + trim, ys[i] + trim,
			 n - 2 * trim, ymean[i] } : (line_pts){ xs[i], ys[i], 0, ymean[i] };
		ptaDestroy(&pta);
		k++;
	}
	supported(out, k, bw, use);
	*span = 0;
	for (int b = 0; b < BINS; b++)
		*span += use[b];
	return k;
}

/* The text lines of the 1 bpp page pixs (at dpi) as runs of points, one a
 * column: where each line's body ends below. Leptonica's own
 * dewarpGetTextlineCenters gives each column's mean height instead, and
 * on a form the mean moves: a value in capitals (names are written so)
 * stands taller than its label in small letters, and lifts the mean by
 * a third of the x-height wherever values sit, the same columns on
 * every line. The bottom of the letters' bodies, the baseline, does not
 * move with capitals. Marks under 0.6 mm (dots at dpi) are dropped,
 * then the lines are solidified as Leptonica does (a
 * small opening against noise, closings that join letters and then
 * words, an opening that drops ascenders, descenders and accents) and
 * anything with a vertical run of 50 pixels (a picture, a rule's
 * frame, a seal) left out. Returns NULL when there are none. */
static PTAA *line_bottoms(PIX *pixs, int dpi, int join)
{
	int w = pixGetWidth(pixs), dot = (int)(dpi * 0.6 / 25.4);
	int c1 = w / 80 > 15 ? w / 80 : 15, c2 = w / 30 > 40 ? w / 30 : 40;
	char seq[64];

	/* dots first: a form's dotted leaders run under its values and not
	 * under its labels, and would be joined into the line a little
	 * below the letters' baseline wherever values sit */
	PIX *undotted = pixSelectBySize(pixs, dot, dot, 8, L_SELECT_IF_EITHER,
					L_SELECT_IF_GT, NULL);
	if (join)
		snprintf(seq, sizeof(seq), "o1.3 + c%d.1 + o%d.1 + c%d.1", c1, c1, c2);
	else
		snprintf(seq, sizeof(seq), "o1.3 + c%d.1 + o%d.1", c1, c1);
	PIX *solid = undotted ? pixMorphSequence(undotted, seq, 0) : NULL;
	pixDestroy(&undotted);
	PIX *tall = solid ? pixMorphSequence(solid, "e1.50", 0) : NULL;
	if (tall) {
		pixSeedfillBinary(tall, tall, solid, 8);
		pixXor(tall, tall, solid);
	}
	PIXA *all = NULL, *kept = NULL;
	BOXA *boxa = tall ? pixConnComp(tall, &all, 8) : NULL;
	boxaDestroy(&boxa);
	pixDestroy(&tall);
	pixDestroy(&solid);
	if (all)
		kept = pixaSelectBySize(all, join ? 100 : 2 * c1, 4, L_SELECT_IF_BOTH,
					L_SELECT_IF_GT, NULL);
	pixaDestroy(&all);
	int n = kept ? pixaGetCount(kept) : 0;
	PTAA *ptaa = n ? ptaaCreate(n) : NULL;
	for (int i = 0; ptaa && i < n; i++) {
		int bx, by, bw, bh;
		pixaGetBoxGeometry(kept, i, &bx, &by, &bw, &bh);
		PIX *c = pixaGetPix(kept, i, L_CLONE);
		PTA *pta = ptaCreate(bw);
		l_uint32 *data = pixGetData(c);
		int wpl = pixGetWpl(c);
		for (int x = 0; x < bw; x++)
			for (int y = bh - 1; y >= 0; y--)
				if (GET_DATA_BIT(data + (size_t)y * wpl, x)) {
					ptaAddPt(pta, bx + x, by + y);
					break;
				}
		ptaaAddPta(ptaa, pta, L_INSERT);
		pixDestroy(&c);
	}
	pixaDestroy(&kept);
	return ptaa;
}

/* The profiles of the w x h page (measured at 1/f of m's size) through
 * the runs of ptaa, ends (a share of a knot interval) left out at either
 * end of each, into m: bands, disp, band_y, bend, depth. */
static void fit_model(PTAA *ptaa, int w, int h, int f, double ends, curl_model *m)
{
	m->lines = ptaaGetCount(ptaa);
	int nl = m->lines;
	float **xs = calloc((size_t)nl + 1, sizeof(*xs)), **ys = calloc((size_t)nl + 1, sizeof(*ys));
	float *ymean = calloc((size_t)nl + 1, sizeof(*ymean));
	line_pts *sel = calloc((size_t)nl + 1, sizeof(*sel));
	int ok = xs && ys && ymean && sel;
	for (int i = 0; ok && i < nl; i++) {
		PTA *pta = ptaaGetPta(ptaa, i, L_CLONE);
		int cnt = ptaGetCount(pta);
		xs[i] = malloc(sizeof(**xs) * (size_t)(cnt + 1));
		ys[i] = malloc(sizeof(**ys) * (size_t)(cnt + 1));
		ok = xs[i] && ys[i];
		for (int j = 0; ok && j < cnt; j++) {
			ptaGetPt(pta, j, &xs[i][j], &ys[i][j]);
			ymean[i] += ys[i][j] / cnt;
		}
		ptaDestroy(&pta);
	}
	/* three profiles down the page when each third has lines over
	 * most of its width, else one */
	double bw = (double)w / BINS, knot[BINS + 1], bend = 0;
	int span, cnt;
	m->bands = 3;
	for (int i = 0; ok && i < 3; i++)
		if (lines_between(ptaa, xs, ys, ymean, h * i / 3.0, h * (i + 1) / 3.0,
				  bw, ends, sel, &span) < 4 || span < BINS * 2 / 3)
			m->bands = 1;
	if (!ok || (m->bands == 1 && (lines_between(ptaa, xs, ys, ymean, 0, h, bw, ends, sel,
				       &span) < 4 || span < BINS / 2)))
		m->bands = 0;
	for (int i = 0; i < m->bands; i++) {
		double y0 = m->bands == 1 ? 0 : h * i / 3.0;
		double y1 = m->bands == 1 ? h : h * (i + 1) / 3.0;
		cnt = lines_between(ptaa, xs, ys, ymean, y0, y1, bw, ends, sel, &span);
		int use[BINS];
		if (fit_profile(sel, cnt, bw, knot, use)) {
			m->bands = 0;
			break;
		}
		double dep;
		double b = keep_profile(knot, use, bw, f, m->disp[i], &dep);
		m->depth = fmax(m->depth, (float)dep);
		m->band_y[i] = (float)((y0 + y1) / 2 * f);
		bend = b > bend ? b : bend;
	}
	for (int i = 0; xs && ys && i < nl; i++) {
		free(xs[i]);
		free(ys[i]);
	}
	free(xs);
	free(ys);
	free(ymean);
	free(sel);
	m->bend = (float)bend;
}

int ocr_dewarp_model(PIX *bin, int dpi, curl_model *m)
{
	memset(m, 0, sizeof(*m));
	if (!bin || pixGetDepth(bin) != 1)
		return 0;
	m->w = pixGetWidth(bin);
	m->h = pixGetHeight(bin);
	/* the lines are found at 150 dpi or so: a quarter of the work at
	 * 300, the x-height still a dozen pixels */
	int f = dpi >= 250 ? 2 : 1;
	PIX *small = f == 2 ? pixReduceRankBinary2(bin, 1, NULL) : pixClone(bin);
	if (!small)
		return 0;
	int w = pixGetWidth(small), h = pixGetHeight(small);
	/* whether the page bends is asked of its words, each its own
	 * height: a form's values often sit a little above or below their
	 * labels' baseline, a step where labels end that a whole line
	 * would take for a bend. How it bends is then measured on whole
	 * lines, which carry the bend further than words do. */
	PTAA *words = line_bottoms(small, dpi / f, 0);
	if (words)
		fit_model(words, w, h, f, 0.1, m);
	ptaaDestroy(&words);
	/* lines straying from straight by 0.35 mm or more, a thirteenth
	 * of a 13 pt line: a flat page's baselines stray by a tenth of a
	 * millimetre or so (at most 0.13 mm on the 10 seeds/ scans and 55
	 * flat generator pages of seeds 62-63, 0.19 mm on 10 photographed
	 * ones, seed 64), the curled pages of seed 61 by 0.36 mm and more */
	m->bent = m->bands > 0 && m->depth >= dpi * 0.35 / 25.4;
	if (m->bent) {
		PTAA *lines = line_bottoms(small, dpi / f, 1);
		curl_model whole = *m;
		memset(whole.disp, 0, sizeof(whole.disp));
		whole.bands = 0;
		whole.depth = 0;
		if (lines)
			fit_model(lines, w, h, f, 0.25, &whole);
		ptaaDestroy(&lines);
		if (whole.bands > 0)
			*m = whole;
	}
	pixDestroy(&small);
	return m->bent;
}

/* Each column's displacement at each of the model's bands, by linear
 * interpolation between band edges' values at the bands' centres. */
static float *column_shifts(const curl_model *m, int w)
{
	float *c = malloc(sizeof(*c) * (size_t)w * (size_t)m->bands);
	double bw = (double)w / BINS;

	for (int i = 0; c && i < m->bands; i++)
		for (int x = 0; x < w; x++) {
			double t = x / bw;
			int b = (int)t;
			if (b >= BINS)
				b = BINS - 1;
			double fr = t - b;
			c[(size_t)i * w + x] = (float)((1 - fr) * m->disp[i][b] + fr * m->disp[i][b + 1]);
		}
	return c;
}

/* The displacement at column x, row y: the bands' values blended by y. */
static float shift_at(const curl_model *m, const float *c, int w, int x, int y)
{
	if (m->bands == 1 || y <= m->band_y[0])
		return c[x];
	for (int i = 0; i + 1 < m->bands; i++)
		if (y <= m->band_y[i + 1]) {
			float t = (y - m->band_y[i]) / (m->band_y[i + 1] - m->band_y[i]);
			return (1 - t) * c[(size_t)i * w + x] + t * c[(size_t)(i + 1) * w + x];
		}
	return c[(size_t)(m->bands - 1) * w + x];
}

PIX *ocr_dewarp_apply(PIX *pix, const curl_model *m)
{
	int w = pix ? pixGetWidth(pix) : 0, h = pix ? pixGetHeight(pix) : 0;
	int d = pix ? pixGetDepth(pix) : 0;

	if (!pix || !m->bands || (d != 1 && d != 8) || pixGetColormap(pix) ||
	    w != m->w || h != m->h)
		return NULL;
	float *c = column_shifts(m, w);
	PIX *out = c ? pixCreateTemplate(pix) : NULL;
	if (!out) {
		free(c);
		return NULL;
	}
	if (d == 8)
		pixSetAll(out);
	l_uint32 *sd = pixGetData(pix), *dd = pixGetData(out);
	int swpl = pixGetWpl(pix);
	for (int y = 0; y < h; y++) {
		l_uint32 *dl = dd + (size_t)y * swpl;
		for (int x = 0; x < w; x++) {
			float sy = y + shift_at(m, c, w, x, y);
			int y0 = (int)floorf(sy);
			if (d == 1) {
				int yn = (int)lrintf(sy);
				if (yn >= 0 && yn < h && GET_DATA_BIT(sd + (size_t)yn * swpl, x))
					SET_DATA_BIT(dl, x);
				continue;
			}
			float fr = sy - y0;
			int a = y0 >= 0 && y0 < h ? GET_DATA_BYTE(sd + (size_t)y0 * swpl, x) : 255;
			int b = y0 + 1 >= 0 && y0 + 1 < h ?
				GET_DATA_BYTE(sd + (size_t)(y0 + 1) * swpl, x) : 255;
			SET_DATA_BYTE(dl, x, (int)((1 - fr) * a + fr * b + 0.5f));
		}
	}
	free(c);
	return out;
}
