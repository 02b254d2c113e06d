/* scan.c - turns a clean rendered page into what a scanner delivers:
 * aged paper, skew or a page fed sideways, blur, speckle, and the TIFF
 * encodings scanners write (CCITT G4, gray LZW, RGB JPEG); or into a
 * phone's photo of it (photo.c). */
#include "gen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

/* Yellowed, low-contrast paper: white becomes cream, black a soft grey. */
static void age_paper(cairo_surface_t *s)
{
	unsigned char *d = cairo_image_surface_get_data(s);
	int w = cairo_image_surface_get_width(s);
	int h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	static const int paper[3] = { 170, 214, 232 }; /* B, G, R */
	static const int ink[3] = { 70, 84, 98 };

	cairo_surface_flush(s);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			unsigned char *px = d + y * stride + x * 4;
			for (int c = 0; c < 3; c++)
				px[c] = (unsigned char)(ink[c] + (paper[c] - ink[c]) *
							px[c] / 255);
		}
	cairo_surface_mark_dirty(s);
}

/* The page as the scanner bed saw it: turned by rotation + skew degrees
 * about its centre, on a white lid. */
static cairo_surface_t *turn(cairo_surface_t *src, const conditions *c)
{
	int w = cairo_image_surface_get_width(src);
	int h = cairo_image_surface_get_height(src);
	int side = c->rotation == 90 || c->rotation == 270;
	int ow = side ? h : w, oh = side ? w : h;
	cairo_surface_t *out = cairo_image_surface_create(CAIRO_FORMAT_RGB24, ow, oh);
	cairo_t *cr = cairo_create(out);

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_translate(cr, ow / 2.0, oh / 2.0);
	cairo_rotate(cr, (c->rotation + c->skew) * M_PI / 180.0);
	cairo_translate(cr, -w / 2.0, -h / 2.0);
	cairo_set_source_surface(cr, src, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
	cairo_paint(cr);
	cairo_destroy(cr);
	return out;
}

void planes_from(planes *pl, cairo_surface_t *s, int color)
{
	unsigned char *d = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);

	cairo_surface_flush(s);
	pl->w = cairo_image_surface_get_width(s);
	pl->h = cairo_image_surface_get_height(s);
	pl->n = color ? 3 : 1;
	for (int c = 0; c < pl->n; c++)
		pl->p[c] = malloc((size_t)pl->w * pl->h);
	for (int y = 0; y < pl->h; y++)
		for (int x = 0; x < pl->w; x++) {
			unsigned char *px = d + y * stride + x * 4;
			size_t i = (size_t)y * pl->w + x;
			if (color) {
				pl->p[0][i] = px[2];
				pl->p[1][i] = px[1];
				pl->p[2][i] = px[0];
			} else {
				pl->p[0][i] = (unsigned char)((px[2] * 299 + px[1] * 587 +
							       px[0] * 114) / 1000);
			}
		}
}

static void planes_free(planes *pl)
{
	for (int c = 0; c < pl->n; c++)
		free(pl->p[c]);
}

/* A 3x3 box blur, `passes` times: an out-of-focus or worn-out scanner. */
static void blur(planes *pl, int passes)
{
	unsigned char *tmp = malloc((size_t)pl->w * pl->h);

	for (int c = 0; c < pl->n; c++)
		for (int k = 0; k < passes; k++) {
			unsigned char *p = pl->p[c];
			for (int y = 0; y < pl->h; y++)
				for (int x = 0; x < pl->w; x++) {
					int sum = 0, cnt = 0;
					for (int dy = -1; dy <= 1; dy++)
						for (int dx = -1; dx <= 1; dx++) {
							int yy = y + dy, xx = x + dx;
							if (yy < 0 || yy >= pl->h || xx < 0 || xx >= pl->w)
								continue;
							sum += p[(size_t)yy * pl->w + xx];
							cnt++;
						}
					tmp[(size_t)y * pl->w + x] = (unsigned char)(sum / cnt);
				}
			memcpy(p, tmp, (size_t)pl->w * pl->h);
		}
	free(tmp);
}

/* A bound page's curl toward the spine, as an overhead book scanner
 * sees it: over the third of the page nearest the binding the lines
 * bend down by up to 2.5-4 mm, more the nearer the spine (a quadratic
 * rise), the page otherwise flat. The spine is on the left or the right;
 * the bend in mm and the side go into the truth. */
static void curl(planes *pl, rng *r, int dpi, json_t *truth)
{
	double depth = rng_real(r, 2.5, 4.0) * dpi / 25.4;
	int right = rng_int(r, 0, 1), w = pl->w, h = pl->h;
	double start = w / 3.0;
	unsigned char *col = malloc((size_t)h);

	for (int x = 0; col && x < w; x++) {
		double from_spine = right ? w - 1 - x : x;
		double t = from_spine < start ? (start - from_spine) / start : 0;
		double dy = depth * t * t;
		if (dy < 0.01)
			continue;
		for (int c = 0; c < pl->n; c++) {
			unsigned char *p = pl->p[c];
			for (int y = 0; y < h; y++) {
				double sy = y - dy;
				int y0 = (int)floor(sy);
				double f = sy - y0;
				int a = y0 < 0 ? 255 : p[(size_t)y0 * w + x];
				int b = y0 + 1 < 0 || y0 + 1 >= h ? 255 : p[(size_t)(y0 + 1) * w + x];
				col[y] = (unsigned char)((1 - f) * a + f * b + 0.5);
			}
			for (int y = 0; y < h; y++)
				p[(size_t)y * w + x] = col[y];
		}
	}
	free(col);
	if (truth)
		json_array_append_new(truth, json_pack("{s:f, s:s}", "curl_mm",
			round(depth * 25.4 / dpi * 10) / 10, "spine", right ? "right" : "left"));
}

/* Grain on every pixel and dark specks of dust here and there. */
static void speckle(planes *pl, rng *r, int dpi)
{
	size_t n = (size_t)pl->w * pl->h;
	size_t specks = n / 2500;
	int rad = dpi >= 300 ? 2 : 1;

	for (size_t i = 0; i < n; i++) {
		int g = (int)(rng_next(r) % 25) - 12;
		for (int c = 0; c < pl->n; c++) {
			int v = pl->p[c][i] + g;
			pl->p[c][i] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
		}
	}
	for (size_t k = 0; k < specks; k++) {
		int x = rng_int(r, rad, pl->w - rad - 1), y = rng_int(r, rad, pl->h - rad - 1);
		int v = rng_int(r, 0, 90);
		for (int dy = -rad + 1; dy < rad; dy++)
			for (int dx = -rad + 1; dx < rad; dx++)
				for (int c = 0; c < pl->n; c++)
					pl->p[c][(size_t)(y + dy) * pl->w + x + dx] = (unsigned char)v;
	}
}

static int write_tiff(TIFF *t, planes *pl, const conditions *c, int pageno,
		      int pages)
{
	/* g4-black: bilevel written min-is-black (ink as 0 bits), as some
	 * scanners' drivers do */
	int black = !strcmp(c->encoding, "g4-black");
	int g4 = black || !strcmp(c->encoding, "g4"), jpeg = !strcmp(c->encoding, "rgb-jpeg");
	tmsize_t sl;
	unsigned char *row;
	int rc = 0;

	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, (uint32_t)pl->w);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, (uint32_t)pl->h);
	TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
	/* a photo has no resolution; some scanners write none either */
	if (!c->photo && !c->screenshot && !c->no_dpi_tag) {
		TIFFSetField(t, TIFFTAG_XRESOLUTION, (float)c->dpi);
		TIFFSetField(t, TIFFTAG_YRESOLUTION, (float)c->dpi);
		TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
	}
	TIFFSetField(t, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
	TIFFSetField(t, TIFFTAG_PAGENUMBER, (uint16_t)pageno, (uint16_t)pages);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, (uint16_t)(jpeg ? 3 : 1));
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, (uint16_t)(g4 ? 1 : 8));
	if (g4) {
		TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, black ? PHOTOMETRIC_MINISBLACK
				 : PHOTOMETRIC_MINISWHITE);
		TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, (uint32_t)pl->h);
	} else if (jpeg) {
		TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_JPEG);
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_YCBCR);
		TIFFSetField(t, TIFFTAG_JPEGQUALITY, c->jpeg ? 30 : 75);
		TIFFSetField(t, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
		TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 64);
	} else {
		TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
		TIFFSetField(t, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
		TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 64);
	}
	sl = TIFFScanlineSize(t);
	row = calloc(1, (size_t)sl);
	for (int y = 0; y < pl->h && rc == 0; y++) {
		size_t o = (size_t)y * pl->w;
		if (g4) {
			memset(row, 0, (size_t)sl);
			/* a scanner's fixed threshold, as in bilevel mode */
			for (int x = 0; x < pl->w; x++)
				if ((pl->p[0][o + x] < 150) != black)
					row[x / 8] |= (unsigned char)(0x80 >> (x % 8));
		} else if (jpeg) {
			for (int x = 0; x < pl->w; x++)
				for (int c2 = 0; c2 < 3; c2++)
					row[x * 3 + c2] = pl->p[pl->n == 3 ? c2 : 0][o + x];
		} else {
			memcpy(row, pl->p[0] + o, (size_t)pl->w);
		}
		if (TIFFWriteScanline(t, row, (uint32_t)y, 0) < 0)
			rc = -1;
	}
	free(row);
	return rc == 0 && TIFFWriteDirectory(t) ? 0 : -1;
}

static void write_thumb(planes *pl, const char *path, int width)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pl->w, pl->h);
	unsigned char *d = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	double k = (double)width / pl->w;
	cairo_surface_t *small = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width,
							    (int)(pl->h * k));
	cairo_t *cr;

	for (int y = 0; y < pl->h; y++)
		for (int x = 0; x < pl->w; x++) {
			size_t i = (size_t)y * pl->w + x;
			unsigned char *px = d + y * stride + x * 4;
			px[2] = pl->p[0][i];
			px[1] = pl->p[pl->n == 3 ? 1 : 0][i];
			px[0] = pl->p[pl->n == 3 ? 2 : 0][i];
		}
	cairo_surface_mark_dirty(s);
	cr = cairo_create(small);
	cairo_scale(cr, k, k);
	cairo_set_source_surface(cr, s, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
	cairo_paint(cr);
	cairo_destroy(cr);
	cairo_surface_write_to_png(small, path);
	cairo_surface_destroy(small);
	cairo_surface_destroy(s);
}

int scan_page(void *tif, cairo_surface_t *clean, const conditions *c,
	      rng *r, int pageno, int pages, const char *thumb)
{
	cairo_surface_t *turned;
	planes pl;
	int rc;

	if (c->yellow)
		age_paper(clean);
	if (c->photo) {
		if (photo_page(clean, c, r, &pl, c->capture))
			return -1;
	} else if (c->screenshot) {
		if (screenshot_page(clean, c, r, &pl, c->capture))
			return -1;
	} else {
		turned = c->rotation || fabs(c->skew) > 0.001 ? turn(clean, c)
			 : cairo_surface_reference(clean);
		planes_from(&pl, turned, !strcmp(c->encoding, "rgb-jpeg"));
		cairo_surface_destroy(turned);
	}
	if (c->curl && !c->photo)
		curl(&pl, r, c->dpi, c->capture);
	if (c->blur)
		blur(&pl, c->dpi >= 300 ? 2 : 1);
	if (c->noise)
		speckle(&pl, r, c->dpi);
	rc = write_tiff(tif, &pl, c, pageno, pages);
	if (thumb)
		write_thumb(&pl, thumb, c->thumb_width ? c->thumb_width : 420);
	planes_free(&pl);
	return rc;
}
