/* capture.c - a page photographed rather than scanned: the sheet found
 * against its background, its perspective undone and the frame cropped
 * to it (a flatbed scan, where the page fills the frame, goes through
 * untouched); and a page's resolution read from the size of its
 * letters, for files whose own is missing or implausible. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The corners of cap mapped onto a cap->w x cap->h rectangle and the
 * frame cropped to it (pix any depth; a new PIX, yours; NULL on
 * failure). */
static PIX *square(PIX *pix, const capture *cap)
{
	int w = pixGetWidth(pix), h = pixGetHeight(pix), ow = cap->w, oh = cap->h;
	/* room for the squared sheet in the frame before cropping */
	PIX *room = ow > w || oh > h ? pixAddBorderGeneral(pix, 0, ow > w ? ow - w : 0,
				       0, oh > h ? oh - h : 0, pixGetDepth(pix) == 1 ? 0 : 255)
				     : pixClone(pix);
	PTA *ptas = ptaCreate(4), *ptad = ptaCreate(4);
	static const int dx[4] = { 0, 1, 1, 0 }, dy[4] = { 0, 0, 1, 1 };
	for (int i = 0; i < 4; i++) {
		ptaAddPt(ptas, cap->corners[i][0], cap->corners[i][1]);
		ptaAddPt(ptad, (float)(dx[i] * ow), (float)(dy[i] * oh));
	}
	PIX *warped = room ? pixProjectivePta(room, ptad, ptas, L_BRING_IN_WHITE) : NULL;
	BOX *crop = boxCreate(0, 0, ow, oh);
	PIX *sheet = warped ? pixClipRectangle(warped, crop, NULL) : NULL;
	boxDestroy(&crop);
	pixDestroy(&warped);
	pixDestroy(&room);
	ptaDestroy(&ptas);
	ptaDestroy(&ptad);
	return sheet;
}

/* The long side the sheet is looked for at. */
#define FIND_SIDE 800

/* Cross and dot products of homogeneous 3-vectors. */
static void cross3(const double a[3], const double b[3], double o[3])
{
	o[0] = a[1] * b[2] - a[2] * b[1];
	o[1] = a[2] * b[0] - a[0] * b[2];
	o[2] = a[0] * b[1] - a[1] * b[0];
}

static double dot3(const double a[3], const double b[3])
{
	return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static double dist2(const float a[2], const float b[2])
{
	return hypot(a[0] - b[0], a[1] - b[1]);
}

/* The sheet's width over its height, from its four corners in an image
 * of diagonal diag whose principal point is (u0, v0): Zhang and He's
 * rectangle reconstruction ("Whiteboard scanning and image enhancement",
 * 2007). The focal length comes from the two vanishing points when both
 * are finite and say something plausible; else (a camera tilted along
 * one axis only leaves one pair of edges parallel) it is a phone's: a
 * 26 mm-equivalent lens, 0.6 of the image's diagonal. Corners: TL, TR,
 * BR, BL. Returns 0 when the corners say nothing usable. */
static double true_aspect(const float c[4][2], double u0, double v0, double diag)
{
	double m1[3] = { c[0][0], c[0][1], 1 }, m2[3] = { c[1][0], c[1][1], 1 };
	double m3[3] = { c[3][0], c[3][1], 1 }, m4[3] = { c[2][0], c[2][1], 1 };
	double t[3], n2[3], n3[3];

	cross3(m1, m4, t);
	double a = dot3(t, m3), b = dot3(t, m2);
	cross3(m2, m4, t);
	double k2d = dot3(t, m3);
	cross3(m3, m4, t);
	double k3d = dot3(t, m2);
	if (fabs(k2d) < 1e-9 || fabs(k3d) < 1e-9)
		return 0;
	double k2 = a / k2d, k3 = b / k3d;
	for (int i = 0; i < 3; i++) {
		n2[i] = k2 * m2[i] - m1[i];
		n3[i] = k3 * m3[i] - m1[i];
	}
	double f2 = 0, phone = 0.6 * diag;
	if (fabs(n2[2] * n3[2]) > 1e-12)
		f2 = -((n2[0] * n3[0] - (n2[0] * n3[2] + n2[2] * n3[0]) * u0 +
			n2[2] * n3[2] * u0 * u0) +
		       (n2[1] * n3[1] - (n2[1] * n3[2] + n2[2] * n3[1]) * v0 +
			n2[2] * n3[2] * v0 * v0)) / (n2[2] * n3[2]);
	if (!(f2 > 0.09 * diag * diag && f2 < 9 * diag * diag))
		f2 = phone * phone;
	/* n' A^-T A^-1 n with A the camera matrix of focal f, centre u0,v0 */
	double q2 = ((n2[0] - u0 * n2[2]) * (n2[0] - u0 * n2[2]) +
		     (n2[1] - v0 * n2[2]) * (n2[1] - v0 * n2[2])) / f2 + n2[2] * n2[2];
	double q3 = ((n3[0] - u0 * n3[2]) * (n3[0] - u0 * n3[2]) +
		     (n3[1] - v0 * n3[2]) * (n3[1] - v0 * n3[2])) / f2 + n3[2] * n3[2];
	if (!(q2 > 0 && q3 > 0))
		return 0;
	return sqrt(q2 / q3);
}

/* The bright sheet's pixels at the finding scale: the largest bright
 * component once the frame is split at Otsu's threshold, with the
 * average gray inside and outside it. NULL when none. */
static PIX *sheet_mask(PIX *small, int *area, double *inside, double *outside)
{
	PIX *dark = NULL, *bright, *opened, *paper;
	PIXA *pixa = NULL;
	BOXA *boxa;
	int best = -1, best_n = 0;

	/* the print closed over first (a gray closing wider than a line of
	 * text at this scale): what is left is paper and what lies around */
	paper = pixCloseGray(small, 15, 15);
	if (!paper || pixOtsuAdaptiveThreshold(paper, pixGetWidth(paper),
			pixGetHeight(paper), 0, 0, 0.0f, NULL, &dark) || !dark) {
		pixDestroy(&paper);
		return NULL;
	}
	bright = pixInvert(NULL, dark);
	pixDestroy(&dark);
	/* thin bright bridges (a white cable, glare on the table) go */
	opened = bright ? pixOpenBrick(NULL, bright, 5, 5) : NULL;
	pixDestroy(&bright);
	boxa = opened ? pixConnComp(opened, &pixa, 8) : NULL;
	for (int i = 0; boxa && i < boxaGetCount(boxa); i++) {
		PIX *c = pixaGetPix(pixa, i, L_CLONE);
		l_int32 n = 0;
		pixCountPixels(c, &n, NULL);
		if (n > best_n) {
			best_n = n;
			best = i;
		}
		pixDestroy(&c);
	}
	PIX *mask = NULL;
	if (best >= 0) {
		/* the component back in the frame's coordinates */
		l_int32 x, y, w, h;
		PIX *c = pixaGetPix(pixa, best, L_CLONE);
		boxaGetBoxGeometry(boxa, best, &x, &y, &w, &h);
		mask = pixCreate(pixGetWidth(small), pixGetHeight(small), 1);
		pixRasterop(mask, x, y, w, h, PIX_SRC, c, 0, 0);
		pixDestroy(&c);
		l_float32 in = 0, out = 0;
		PIX *inv = pixInvert(NULL, mask);
		pixGetAverageMasked(paper, mask, 0, 0, 1, L_MEAN_ABSVAL, &in);
		pixGetAverageMasked(paper, inv, 0, 0, 1, L_MEAN_ABSVAL, &out);
		pixDestroy(&inv);
		*inside = in;
		*outside = out;
	}
	*area = best_n;
	pixDestroy(&paper);
	boxaDestroy(&boxa);
	pixaDestroy(&pixa);
	pixDestroy(&opened);
	return mask;
}

/* Whether the four corners c (TL, TR, BR, BL) in a w x h frame are a
 * sheet's: none further out than 5% of the frame beyond its edge (a
 * corner is where two straight edges seen over half their sides meet: a
 * sheet whose tip the photo cut off still has it, just outside; a page
 * that fills the frame has no edges to meet), every angle within 25
 * degrees of a right angle and
 * opposite sides within 0.7 of each other (a phone held over a desk
 * tilts less), and the bright region filling 0.95 of the
 * quadrilateral or more (a sheet is one; a lit patch of paper is not).
 * Real photos of a page on a desk (set 6 of shared/real) have angles
 * of about 88-92 degrees; real invoice photos (set 5) fill 0.97-0.98 of
 * their corners' quadrilateral. */
static int is_sheet(const float (*c)[2], int w, int h, double fill)
{
	double margin = 0.05 * (w > h ? w : h), quad = 0;

	for (int i = 0; i < 4; i++) {
		const float *p = c[i], *q = c[(i + 1) % 4], *r = c[(i + 3) % 4];
		if (p[0] < -margin || p[1] < -margin || p[0] > w + margin || p[1] > h + margin)
			return 0;
		double ax = q[0] - p[0], ay = q[1] - p[1], bx = r[0] - p[0], by = r[1] - p[1];
		double cosang = (ax * bx + ay * by) / (hypot(ax, ay) * hypot(bx, by) + 1e-9);
		if (fabs(cosang) > sin(25 * M_PI / 180))
			return 0;
		quad += (double)p[0] * q[1] - (double)q[0] * p[1];
	}
	double top = dist2(c[0], c[1]), bottom = dist2(c[3], c[2]);
	double left = dist2(c[0], c[3]), right = dist2(c[1], c[2]);
	if (fmin(top, bottom) < 0.7 * fmax(top, bottom) ||
	    fmin(left, right) < 0.7 * fmax(left, right))
		return 0;
	return quad != 0 && fill >= 0.95;
}

/* A line n . p = d (n a unit normal) through most of the n points
 * (x[i], y[i]): of the lines through 300 pairs of them (a fixed
 * sequence, so a page is read the same every time), the one with most
 * points within 2 pixels, refitted to those by least squares (their
 * principal axis). Outliers (a bright patch of desk running into the
 * sheet's edge, a dog-ear, a finger) leave it alone. Returns the share
 * of the points on the line, 0 when too few. */
static double fit_edge(const float *x, const float *y, int n, double line[3])
{
	unsigned seed = 12345;
	int best = 0;
	double bl[3] = { 0 };

	if (n < 20)
		return 0;
	for (int t = 0; t < 300; t++) {
		seed = seed * 1103515245u + 12345u;
		int i = (int)((seed >> 8) % (unsigned)n);
		seed = seed * 1103515245u + 12345u;
		int j = (int)((seed >> 8) % (unsigned)n);
		double dx = x[j] - x[i], dy = y[j] - y[i], len = hypot(dx, dy);
		if (len < 10)
			continue;
		double nx = -dy / len, ny = dx / len, d = nx * x[i] + ny * y[i];
		int in = 0;
		for (int k = 0; k < n; k++)
			in += fabs(nx * x[k] + ny * y[k] - d) <= 2;
		if (in > best) {
			best = in;
			bl[0] = nx, bl[1] = ny, bl[2] = d;
		}
	}
	double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
	int m = 0;
	for (int k = 0; k < n; k++)
		if (fabs(bl[0] * x[k] + bl[1] * y[k] - bl[2]) <= 2) {
			mx += x[k];
			my += y[k];
			m++;
		}
	if (m < 10)
		return 0;
	mx /= m;
	my /= m;
	for (int k = 0; k < n; k++)
		if (fabs(bl[0] * x[k] + bl[1] * y[k] - bl[2]) <= 2) {
			sxx += (x[k] - mx) * (x[k] - mx);
			syy += (y[k] - my) * (y[k] - my);
			sxy += (x[k] - mx) * (y[k] - my);
		}
	/* the normal is the direction of least spread */
	double ang = 0.5 * atan2(2 * sxy, sxx - syy) + M_PI / 2;
	line[0] = cos(ang);
	line[1] = sin(ang);
	line[2] = line[0] * mx + line[1] * my;
	return (double)m / n;
}

/* The four corners (TL, TR, BR, BL) of the sheet in mask. First guesses:
 * the mask's extreme points along the diagonals. Each edge is then a
 * line fitted to the outline's points near the side between two
 * guesses (within a tenth of its length), and the corners are where the
 * edges meet, each edge straight over half its side at least. The
 * extreme points alone were corners on generated photos
 * only: on real ones a lit patch of desk joins the sheet at one corner
 * and moves it off the page (shared/real set 6: by 18% and 37% of the
 * sheet's height). Returns 0 when an edge is not straight over most of
 * its side. */
static int sheet_corners(PIX *sheet, float c[4][2])
{
	/* the outline is the sheet's edge alone once its holes (print the
	 * closing left, a dark photo) are filled */
	PIX *holes = pixHolesByFilling(sheet, 4);
	PIX *mask = holes ? pixOr(NULL, holes, sheet) : pixClone(sheet);
	int w = pixGetWidth(mask), h = pixGetHeight(mask), wpl = pixGetWpl(mask), n = 0, ok = 1;
	l_uint32 *data = pixGetData(mask);
	double best[4] = { 1e18, -1e18, -1e18, 1e18 }, g[4][2] = { { 0 } };
	size_t cap = 4 * ((size_t)w + h);
	float *ox = malloc(sizeof(float) * 2 * cap), *oy = NULL;
	float *ex = malloc(sizeof(float) * 2 * cap), *ey = NULL;

	pixDestroy(&holes);
	if (!ox || !ex || !mask) {
		free(ox);
		free(ex);
		pixDestroy(&mask);
		return 0;
	}
	oy = ox + cap;
	ey = ex + cap;
	for (int y = 0; y < h; y++) {
		l_uint32 *line = data + (size_t)y * wpl;
		for (int x = 0; x < w; x++) {
			if (!GET_DATA_BIT(line, x))
				continue;
			double s = x + y, d = x - y;
			if (s < best[0]) { best[0] = s; g[0][0] = x; g[0][1] = y; }
			if (d > best[1]) { best[1] = d; g[1][0] = x; g[1][1] = y; }
			if (s > best[2]) { best[2] = s; g[2][0] = x; g[2][1] = y; }
			if (d < best[3]) { best[3] = d; g[3][0] = x; g[3][1] = y; }
			/* the outline: a sheet pixel beside a pixel that is not;
			 * where the sheet runs into the frame's edge that edge is
			 * the frame's, not the sheet's, and says nothing */
			int edge = x > 0 && y > 0 && x < w - 1 && y < h - 1 &&
				   (!GET_DATA_BIT(line, x - 1) || !GET_DATA_BIT(line, x + 1) ||
				    !GET_DATA_BIT(line - wpl, x) || !GET_DATA_BIT(line + wpl, x));
			if (edge && (size_t)n < cap) {
				ox[n] = (float)x;
				oy[n++] = (float)y;
			}
		}
	}
	/* three rounds: the corners each round gives are the next round's
	 * guesses, so a side whose guess ran off into a lit patch finds the
	 * whole of its edge the second time */
	double ln[4][3];
	for (int round = 0; round < 3 && ok; round++) {
		for (int i = 0; i < 4 && ok; i++) {
			const double *p = g[i], *q = g[(i + 1) % 4];
			double dx = q[0] - p[0], dy = q[1] - p[1], len = hypot(dx, dy);
			int m = 0;
			if (len < 20) {
				ok = 0;
				break;
			}
			for (int k = 0; k < n; k++) {
				double t = ((ox[k] - p[0]) * dx + (oy[k] - p[1]) * dy) / (len * len);
				double off = fabs((ox[k] - p[0]) * dy - (oy[k] - p[1]) * dx) / len;
				if (t > 0.05 && t < 0.95 && off < 0.1 * len) {
					ex[m] = ox[k];
					ey[m++] = oy[k];
				}
			}
			double fr = fit_edge(ex, ey, m, ln[i]);
			/* about a point of outline a pixel of edge; the last
			 * round wants half the side straight, the first a
			 * line at all */
			ok = fr * m >= (round == 2 ? 0.5 : 0.1) * len;
		}
		/* corner i is where edge i - 1 (ending there) meets edge i */
		for (int i = 0; i < 4 && ok; i++) {
			const double *a = ln[(i + 3) % 4], *b = ln[i];
			double det = a[0] * b[1] - a[1] * b[0];
			if (fabs(det) < 1e-6) {
				ok = 0;
				break;
			}
			g[i][0] = (a[2] * b[1] - a[1] * b[2]) / det;
			g[i][1] = (a[0] * b[2] - a[2] * b[0]) / det;
		}
	}
	for (int i = 0; i < 4 && ok; i++) {
		c[i][0] = (float)g[i][0];
		c[i][1] = (float)g[i][1];
	}
	free(ox);
	free(ex);
	pixDestroy(&mask);
	return ok;
}

/* The share of the quadrilateral c (TL, TR, BR, BL) that mask covers. */
static double fill_of(PIX *mask, const float c[4][2])
{
	int w = pixGetWidth(mask), h = pixGetHeight(mask), wpl = pixGetWpl(mask);
	l_uint32 *data = pixGetData(mask);
	double in = 0, all = 0;

	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			int inside = 1;
			for (int i = 0; i < 4 && inside; i++) {
				const float *p = c[i], *q = c[(i + 1) % 4];
				inside = (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]) >= 0;
			}
			if (!inside)
				continue;
			all++;
			in += GET_DATA_BIT(data + (size_t)y * wpl, x) != 0;
		}
	return all > 0 ? in / all : 0;
}

PIX *ocr_capture_square(PIX *gray, capture *cap)
{
	int w = pixGetWidth(gray), h = pixGetHeight(gray), area = 0;
	double k = (double)FIND_SIDE / (w > h ? w : h), in = 0, out = 0;
	PIX *small, *mask;

	memset(cap, 0, sizeof(*cap));
	if (k > 1)
		k = 1;
	small = pixScale(gray, (float)k, (float)k);
	mask = small ? sheet_mask(small, &area, &in, &out) : NULL;
	int sw = small ? pixGetWidth(small) : 0, sh = small ? pixGetHeight(small) : 0;
	/* a capture: a sheet of a fifth of the frame at least, the frame
	 * showing a darker background around it (a page that fills a
	 * scanner's frame, its lid white, is one bright whole) */
	int capture = mask && area > sw * sh / 5 && area < sw * sh * 0.9 &&
		      in - out > 35;
	if (!capture) {
		pixDestroy(&mask);
		pixDestroy(&small);
		return NULL;
	}
	/* the corners: where the sheet's four edges, each a line fitted to
	 * the mask's outline on its side, meet */
	float pts[4][2];
	double inside = 0;
	int edges = sheet_corners(mask, pts);
	if (edges)
		inside = fill_of(mask, pts);
	pixDestroy(&mask);
	pixDestroy(&small);
	if (!edges) {
		memset(cap, 0, sizeof(*cap));
		return NULL;
	}
	for (int i = 0; i < 4; i++) {
		/* a pixel's centre, back at the frame's scale */
		cap->corners[i][0] = (float)((pts[i][0] + 0.5) / k);
		cap->corners[i][1] = (float)((pts[i][1] + 0.5) / k);
	}
	double top = dist2(cap->corners[0], cap->corners[1]);
	double bottom = dist2(cap->corners[3], cap->corners[2]);
	double left = dist2(cap->corners[0], cap->corners[3]);
	double right = dist2(cap->corners[1], cap->corners[2]);
	double aspect = true_aspect(cap->corners, w / 2.0, h / 2.0, hypot(w, h));
	double sides = (top + bottom) / (left + right);
	/* squared only when the corners make a sheet: else the page is read
	 * as it lies (a warp from points that are not corners loses half a
	 * page; a page left as photographed loses nothing) */
	if (!is_sheet(cap->corners, w, h, inside) ||
	    !(aspect > 0.4 && aspect < 2.5) || fabs(aspect - sides) / sides > 0.3) {
		memset(cap, 0, sizeof(*cap));
		return NULL;
	}
	int oh = (int)(left > right ? left : right), ow = (int)(oh * aspect + 0.5);
	if (ow < 64 || oh < 64)
		return NULL;
	cap->w = ow;
	cap->h = oh;
	PIX *sheet = square(gray, cap);
	if (!sheet)
		return NULL;
	cap->found = 1;
	return sheet;
}

PIX *ocr_capture_apply(PIX *pix, const capture *cap)
{
	return pix && cap->found ? square(pix, cap) : NULL;
}



/* The height of the page's capital letters and ascenders, in pixels,
 * from the heights of its letter-sized components: running text makes
 * two peaks, the x-height of the lower-case letters and, about 1.3 to
 * 1.5 times it, the cap height (capitals, b d h k l); a page of capitals
 * (a land certificate's names) can make the second the taller. 0 when
 * the page has too few letters to say. */
static double cap_height(PIX *bin)
{
	BOXA *boxa = pixConnCompBB(bin, 8);
	int n = boxa ? boxaGetCount(boxa) : 0, maxh = pixGetHeight(bin) / 40;
	int *hist = calloc((size_t)maxh + 3, sizeof(*hist)), total = 0;
	double cap = 0;

	for (int i = 0; hist && i < n; i++) {
		l_int32 x, y, w, h;
		boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
		/* letters: neither specks nor rules, nor a run of joined
		 * letters much wider than tall */
		if (h < 4 || h > maxh || w > 3 * h || w * 5 < h)
			continue;
		hist[h]++;
		total++;
	}
	boxaDestroy(&boxa);
	if (!hist || total < 150 || maxh < 12) {
		free(hist);
		return 0;
	}
	/* smoothed over neighbouring heights; the peak in [lo, hi] */
#define SM(h) (hist[(h) - 1] + 2 * hist[h] + hist[(h) + 1])
	int top = 0;
	for (int h = 5; h < maxh; h++)
		if (SM(h) > (top ? SM(top) : 0))
			top = h;
	int below = 0, above = 0;
	for (int h = (int)(top / 1.75); h <= (int)(top / 1.2) && h < maxh; h++)
		if (h >= 5 && SM(h) > (below ? SM(below) : 0))
			below = h;
	for (int h = (int)(top * 1.2 + 0.5); h <= (int)(top * 1.75) && h < maxh; h++)
		if (SM(h) > (above ? SM(above) : 0))
			above = h;
	int peak;
	if (below && SM(below) * 4 >= SM(top))
		peak = top;           /* the taller peak is the capitals' */
	else if (above && SM(above) * 6 >= SM(top))
		peak = above;         /* the x-height's, and its capitals */
	else
		peak = 0;
	if (peak) {
		/* the peak's centre of mass over its three heights */
		double num = (peak - 1) * hist[peak - 1] + peak * hist[peak] +
			     (peak + 1) * hist[peak + 1];
		double den = hist[peak - 1] + hist[peak] + hist[peak + 1];
		cap = den > 0 ? num / den : peak;
	} else {
		/* one peak: the x-height, capitals about 1.4 times it */
		cap = top * 1.4;
	}
#undef SM
	free(hist);
	return cap;
}

int ocr_dpi_from_text(PIX *bin)
{
	double ch = cap_height(bin);

	/* Vietnamese administrative documents and forms are set at 12 to
	 * 14 pt (Nghị định 30/2020/NĐ-CP: body text 13-14 pt); the cap
	 * height of their faces is 0.66 em (Times New Roman, Liberation
	 * Serif) to 0.73 em (DejaVu, Arial): at 13 pt and 0.69 em, 3.16 mm */
	if (ch <= 0)
		return 0;
	return (int)(ch / (13.0 * 25.4 / 72 * 0.69) * 25.4 + 0.5);
}
