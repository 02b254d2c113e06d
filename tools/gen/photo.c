/* photo.c - a page as a phone photographs it on a table: a pinhole
 * camera tilted over the sheet (perspective), the sheet on a textured
 * background with a phone beside it, light falling off across the frame
 * and a glare spot, 1-3 megapixels, no resolution tag. The sheet's four
 * corners in the frame go into the truth. */
#include "gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Solves the 8x8 system a x = b in place (Gauss-Jordan, partial
 * pivoting); returns -1 when singular. */
static int solve8(double a[8][8], double b[8])
{
	for (int c = 0; c < 8; c++) {
		int p = c;
		for (int r = c + 1; r < 8; r++)
			if (fabs(a[r][c]) > fabs(a[p][c]))
				p = r;
		if (fabs(a[p][c]) < 1e-12)
			return -1;
		for (int k = 0; k < 8; k++) {
			double t = a[c][k];
			a[c][k] = a[p][k];
			a[p][k] = t;
		}
		double t = b[c];
		b[c] = b[p];
		b[p] = t;
		for (int r = 0; r < 8; r++) {
			if (r == c)
				continue;
			double f = a[r][c] / a[c][c];
			for (int k = c; k < 8; k++)
				a[r][k] -= f * a[c][k];
			b[r] -= f * b[c];
		}
	}
	for (int c = 0; c < 8; c++)
		b[c] /= a[c][c];
	return 0;
}

/* The homography h (h[8] = 1) taking the points s[i] to d[i]. */
static int homography(const double s[4][2], const double d[4][2], double h[9])
{
	double a[8][8] = { { 0 } }, b[8];

	for (int i = 0; i < 4; i++) {
		double x = s[i][0], y = s[i][1], u = d[i][0], v = d[i][1];
		double r1[8] = { x, y, 1, 0, 0, 0, -u * x, -u * y };
		double r2[8] = { 0, 0, 0, x, y, 1, -v * x, -v * y };
		memcpy(a[2 * i], r1, sizeof(r1));
		memcpy(a[2 * i + 1], r2, sizeof(r2));
		b[2 * i] = u;
		b[2 * i + 1] = v;
	}
	if (solve8(a, b))
		return -1;
	memcpy(h, b, sizeof(b));
	h[8] = 1;
	return 0;
}

static void apply(const double h[9], double x, double y, double *u, double *v)
{
	double w = h[6] * x + h[7] * y + h[8];

	*u = (h[0] * x + h[1] * y + h[2]) / w;
	*v = (h[3] * x + h[4] * y + h[5]) / w;
}

/* The inverse of a 3x3 matrix (adjugate over determinant). */
static void invert3(const double m[9], double o[9])
{
	double det = m[0] * (m[4] * m[8] - m[5] * m[7]) -
		     m[1] * (m[3] * m[8] - m[5] * m[6]) +
		     m[2] * (m[3] * m[7] - m[4] * m[6]);

	o[0] = (m[4] * m[8] - m[5] * m[7]) / det;
	o[1] = (m[2] * m[7] - m[1] * m[8]) / det;
	o[2] = (m[1] * m[5] - m[2] * m[4]) / det;
	o[3] = (m[5] * m[6] - m[3] * m[8]) / det;
	o[4] = (m[0] * m[8] - m[2] * m[6]) / det;
	o[5] = (m[2] * m[3] - m[0] * m[5]) / det;
	o[6] = (m[3] * m[7] - m[4] * m[6]) / det;
	o[7] = (m[1] * m[6] - m[0] * m[7]) / det;
	o[8] = (m[0] * m[4] - m[1] * m[3]) / det;
}

/* Where a camera tilted by tilt degrees (about the sheet's horizontal
 * axis), turned by yaw and rolled by roll, at distance dist mm and
 * focal length f pixels, sees the point (x, y) mm of the sheet (centred
 * on it). */
static void project(double x, double y, double tilt, double yaw, double roll,
		    double dist, double f, double cx, double cy, double *u,
		    double *v)
{
	double t = tilt * M_PI / 180, w = yaw * M_PI / 180, r = roll * M_PI / 180;
	/* tilt about x, then yaw about y, then roll about z */
	double y1 = y * cos(t), z1 = y * sin(t), x1 = x;
	double x2 = x1 * cos(w) + z1 * sin(w), z2 = -x1 * sin(w) + z1 * cos(w);
	double x3 = x2 * cos(r) - y1 * sin(r), y3 = x2 * sin(r) + y1 * cos(r);
	double z = z2 + dist;

	*u = cx + f * x3 / z;
	*v = cy + f * y3 / z;
}

static unsigned char clamp8(double v)
{
	return (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v + 0.5);
}

/* Bilinear sample of an RGB24 surface's channel c (0 R, 1 G, 2 B) at
 * (x, y); -1 outside. */
static double sample(const unsigned char *d, int w, int h, int stride,
		     double x, double y, int c)
{
	int x0 = (int)floor(x), y0 = (int)floor(y);
	double fx = x - x0, fy = y - y0;
	int off = 2 - c; /* BGRX in memory */

	if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h)
		return -1;
	const unsigned char *p = d + y0 * stride + x0 * 4 + off;
	return (1 - fy) * ((1 - fx) * p[0] + fx * p[4]) +
	       fy * ((1 - fx) * p[stride] + fx * p[stride + 4]);
}

int photo_page(cairo_surface_t *clean, const conditions *c, rng *r,
	       planes *out, json_t *truth)
{
	int pw = cairo_image_surface_get_width(clean);
	int ph = cairo_image_surface_get_height(clean);
	double mp = rng_real(r, 1.0, 3.0) * 1e6;
	int fw = (int)sqrt(mp * 3 / 4), fh = fw * 4 / 3;
	double tilt = c->perspective > 0 ? c->perspective : rng_real(r, 3, 10);
	double yaw = rng_real(r, -3, 3), roll = rng_real(r, -4, 4);
	/* a phone's 26 mm-equivalent lens: a focal length of 0.6 of the
	 * frame's diagonal; held as far as the sheet should fill it */
	double fill = rng_real(r, 0.72, 0.86), f = 0.6 * hypot(fw, fh);
	double dist = f * PAGE_H / (fill * fh);
	/* the principal point at the frame's centre, as in a camera; the
	 * sheet lies off the axis by a little */
	double cx = fw / 2.0, cy = fh / 2.0;
	double offx = rng_real(r, -0.04, 0.04) * PAGE_W, offy = rng_real(r, -0.03, 0.03) * PAGE_H;
	double s[4][2] = { { 0, 0 }, { pw, 0 }, { pw, ph }, { 0, ph } }, d[4][2];
	double h[9], inv[9];

	if (tilt * (rng_int(r, 0, 1) ? 1 : -1) < 0)
		tilt = -tilt;
	for (int i = 0; i < 4; i++)
		project(s[i][0] / pw * PAGE_W - PAGE_W / 2 + offx,
			s[i][1] / ph * PAGE_H - PAGE_H / 2 + offy,
			tilt, yaw, roll, dist, f, cx, cy, &d[i][0], &d[i][1]);
	if (homography(s, d, h))
		return -1;
	invert3(h, inv);
	/* the page scaled near its size in the frame first, so that the
	 * sampling below does not alias */
	double k = fill * fh / ph * 1.1;
	int sw = (int)(pw * k), sh = (int)(ph * k);
	cairo_surface_t *small = cairo_image_surface_create(CAIRO_FORMAT_RGB24, sw, sh);
	cairo_t *cr = cairo_create(small);
	cairo_scale(cr, k, k);
	cairo_set_source_surface(cr, clean, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
	cairo_paint(cr);
	cairo_destroy(cr);
	cairo_surface_flush(small);
	const unsigned char *sd = cairo_image_surface_get_data(small);
	int sstride = cairo_image_surface_get_stride(small);

	out->w = fw;
	out->h = fh;
	out->n = 3;
	for (int ch = 0; ch < 3; ch++)
		out->p[ch] = malloc((size_t)fw * fh);
	/* the table: a colour, slow variation, grain */
	double table[3] = { rng_real(r, 90, 150), rng_real(r, 70, 120), rng_real(r, 50, 95) };
	double gdir = rng_real(r, 0, 2 * M_PI), fall = rng_real(r, 0.25, 0.4);
	double gx = cos(gdir), gy = sin(gdir);
	double glx = cx + rng_real(r, -0.25, 0.25) * fw, gly = cy + rng_real(r, -0.3, 0.3) * fh;
	double glr = rng_real(r, 0.06, 0.12) * fw, glare = rng_real(r, 0.35, 0.6);
	/* a phone lying beside the sheet, in a corner of the frame */
	int corner = rng_int(r, 0, 3);
	int phx0 = corner & 1 ? fw - fw / 7 : -fw / 20, phy0 = corner & 2 ? fh - fh / 5 : -fh / 30;
	int phx1 = phx0 + fw / 6, phy1 = phy0 + fh / 4;
	for (int y = 0; y < fh; y++)
		for (int x = 0; x < fw; x++) {
			double u, v, px[3];
			apply(inv, x + 0.5, y + 0.5, &u, &v);
			int on = sample(sd, sw, sh, sstride, u * k, v * k, 0) >= 0;
			for (int ch = 0; ch < 3; ch++)
				px[ch] = on ? sample(sd, sw, sh, sstride, u * k, v * k, ch)
				     : table[ch] + 12 * sin(x * 0.013 + ch) * cos(y * 0.007);
			if (!on && x >= phx0 && x < phx1 && y >= phy0 && y < phy1)
				px[0] = px[1] = px[2] = 28;
			/* light falling off across the frame, and a glare */
			double t = ((x - fw / 2.0) * gx + (y - fh / 2.0) * gy) /
				   (fw > fh ? fw : fh) + 0.5;
			double lit = 1 - fall * (t < 0 ? 0 : t > 1 ? 1 : t);
			double gd = ((x - glx) * (x - glx) + (y - gly) * (y - gly)) / (2 * glr * glr);
			double g = glare * exp(-gd);
			int grain = (int)(rng_next(r) % 9) - 4;
			size_t i = (size_t)y * fw + x;
			for (int ch = 0; ch < 3; ch++)
				out->p[ch][i] = clamp8(px[ch] * lit + (255 - px[ch] * lit) * g + grain);
		}
	cairo_surface_destroy(small);
	if (truth) {
		json_t *corners = json_array();
		for (int i = 0; i < 4; i++)
			json_array_append_new(corners, json_pack("[f, f]",
				round(d[i][0] * 10) / 10, round(d[i][1] * 10) / 10));
		json_array_append_new(truth, json_pack("{s:o, s:f, s:i, s:i}",
			"corners", corners, "tilt", round(fabs(tilt) * 10) / 10,
			"frame_width", fw, "frame_height", fh));
	}
	return 0;
}
