/* screen.c - a civil-status e-copy as a citizen sends it: a screenshot of
 * the document open in a phone's app. The screen (720 x 1600, 1080 x
 * 2340 or 1170 x 2532 pixels) holds a status bar (the time, signal and
 * battery in white on a dark or coloured band), the app's title bar, the
 * page between margins, under it the e-copy's QR code with a caption,
 * and the gesture bar; no resolution tag. The page's box on the screen
 * goes into the truth. */
#include "gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A QR-like code: 29 x 29 modules, the three finder squares in their
 * corners and the rest at random, as big as side pixels, at x, y. */
static void qr_code(cairo_t *cr, rng *r, double x, double y, double side)
{
	int n = 29;
	double m = side / n;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x - 2 * m, y - 2 * m, side + 4 * m, side + 4 * m);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			int fx = i < 8 ? 0 : i >= n - 8 ? n - 7 : -1;
			int fy = j < 8 ? 0 : j >= n - 8 ? n - 7 : -1;
			int on;
			if (fx >= 0 && fy >= 0 && !(fx && fy)) {
				int u = i - fx, v = j - fy;
				on = u < 7 && v < 7 && (u == 0 || u == 6 || v == 0 || v == 6 ||
					(u >= 2 && u <= 4 && v >= 2 && v <= 4));
			} else {
				on = rng_int(r, 0, 1);
			}
			if (on) {
				cairo_rectangle(cr, x + i * m, y + j * m, m, m);
				cairo_fill(cr);
			}
		}
}

static void text_at(cairo_t *cr, const char *font, int bold, double size,
		    double x, double y, const char *t)
{
	cairo_select_font_face(cr, font, CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	cairo_move_to(cr, x, y);
	cairo_show_text(cr, t);
}

int screenshot_page(cairo_surface_t *clean, const conditions *c, rng *r,
		    planes *out, json_t *truth)
{
	static const int sizes[][2] = { { 720, 1600 }, { 1080, 2340 }, { 1170, 2532 } };
	int pick = rng_int(r, 0, 2), sw = sizes[pick][0], sh = sizes[pick][1];
	int pw = cairo_image_surface_get_width(clean), ph = cairo_image_surface_get_height(clean);
	double u = sw / 360.0; /* the screen's density: pixels a dp */
	double bar = 24 * u, title = 56 * u, margin = rng_real(r, 8, 16) * u;
	static const double bars[][3] = { { 0.11, 0.11, 0.12 }, { 0.78, 0.06, 0.13 },
					  { 0.05, 0.33, 0.62 } };
	const double *bc = bars[rng_int(r, 0, 2)];
	(void)c;

	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, sw, sh);
	cairo_t *cr = cairo_create(s);
	double bg = rng_real(r, 0.90, 0.96);
	cairo_set_source_rgb(cr, bg, bg, bg);
	cairo_paint(cr);
	/* the status bar and the app's title bar */
	cairo_set_source_rgb(cr, bc[0], bc[1], bc[2]);
	cairo_rectangle(cr, 0, 0, sw, bar + title);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	char clock[8];
	snprintf(clock, sizeof(clock), "%d:%02d", rng_int(r, 6, 23), rng_int(r, 0, 59));
	text_at(cr, "Liberation Sans", 1, 13 * u, 16 * u, 17 * u, clock);
	for (int i = 0; i < 4; i++) { /* signal */
		cairo_rectangle(cr, sw - 80 * u + i * 4 * u, 17 * u - (i + 1) * 3 * u, 3 * u, (i + 1) * 3 * u);
		cairo_fill(cr);
	}
	cairo_rectangle(cr, sw - 50 * u, 8 * u, 22 * u, 10 * u); /* battery */
	cairo_set_line_width(cr, 1.2 * u);
	cairo_stroke(cr);
	cairo_rectangle(cr, sw - 48 * u, 10 * u, rng_real(r, 6, 18) * u, 6 * u);
	cairo_fill(cr);
	text_at(cr, "Liberation Sans", 0, 20 * u, 16 * u, bar + 36 * u, "\u2190");
	text_at(cr, "Liberation Sans", 1, 17 * u, 52 * u, bar + 35 * u, "Bản sao điện tử");
	/* the page between the margins */
	double top = bar + title + margin, k = (sw - 2 * margin) / pw;
	double pgh = ph * k;
	cairo_save(cr);
	cairo_translate(cr, margin, top);
	cairo_scale(cr, k, k);
	cairo_set_source_surface(cr, clean, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
	cairo_paint(cr);
	cairo_restore(cr);
	/* the QR code under it, its caption beside it */
	double qs = 96 * u, qy = top + pgh + 12 * u;
	if (qy + qs + 24 * u < sh) {
		qr_code(cr, r, margin + 8 * u, qy, qs);
		cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
		text_at(cr, "Liberation Sans", 0, 11 * u, margin + qs + 28 * u, qy + 30 * u,
			"Quét mã QR để xác thực bản sao");
	}
	/* the gesture bar */
	cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
	cairo_rectangle(cr, sw / 2.0 - 60 * u, sh - 10 * u, 120 * u, 4 * u);
	cairo_fill(cr);
	cairo_destroy(cr);
	planes_from(out, s, 1);
	cairo_surface_destroy(s);
	if (!out->p[0] || !out->p[1] || !out->p[2])
		return -1;
	if (truth)
		json_array_append_new(truth, json_pack("{s:[i, i], s:[f, f, f, f], s:f}",
			"screen", sw, sh, "page_box", round(margin), round(top),
			round(sw - 2 * margin), round(pgh),
			"page_dpi", round((sw - 2 * margin) / (PAGE_W / 25.4))));
	return 0;
}
