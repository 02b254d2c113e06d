/* tiffcheck.c - validates a TIFF in memory with libtiff before anything
 * is decoded into an image: the gate that keeps hostile files out. */
#include "ingest.h"

#include "../base/base.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

/* libtiff's own allocations are capped too, so a hostile directory (a
 * million strips) cannot make it allocate without bound. */
#define TIFF_MAX_ALLOC ((tmsize_t)256 << 20)
#define TILE_MAX_BYTES ((tmsize_t)64 << 20)

struct membuf {
	const unsigned char *data;
	toff_t len, pos;
	char err[512]; /* first error libtiff reported */
};

static tmsize_t mem_read(thandle_t h, void *buf, tmsize_t n)
{
	struct membuf *m = (struct membuf *)h;
	toff_t left = m->pos < m->len ? m->len - m->pos : 0;

	if ((toff_t)n > left)
		n = (tmsize_t)left;
	memcpy(buf, m->data + m->pos, (size_t)n);
	m->pos += (toff_t)n;
	return n;
}

static tmsize_t mem_write(thandle_t h, void *buf, tmsize_t n)
{
	(void)h;
	(void)buf;
	(void)n;
	return -1; /* the input is never modified */
}

static toff_t mem_seek(thandle_t h, toff_t off, int whence)
{
	struct membuf *m = (struct membuf *)h;

	if (whence == SEEK_CUR)
		off += m->pos;
	else if (whence == SEEK_END)
		off += m->len;
	m->pos = off;
	return off;
}

static int mem_close(thandle_t h)
{
	(void)h;
	return 0;
}

static toff_t mem_size(thandle_t h)
{
	return ((struct membuf *)h)->len;
}

static int mem_map(thandle_t h, void **base, toff_t *size)
{
	struct membuf *m = (struct membuf *)h;

	*base = (void *)m->data;
	*size = m->len;
	return 1;
}

static void mem_unmap(thandle_t h, void *base, toff_t size)
{
	(void)h;
	(void)base;
	(void)size;
}

static int on_error(TIFF *tif, void *user, const char *module,
		    const char *fmt, va_list ap)
{
	struct membuf *m = user;

	(void)tif;
	(void)module;
	if (!m->err[0])
		vsnprintf(m->err, sizeof(m->err), fmt, ap);
	return 1;
}

static int on_warning(TIFF *tif, void *user, const char *module,
		      const char *fmt, va_list ap)
{
	(void)tif;
	(void)user;
	(void)module;
	(void)fmt;
	(void)ap;
	return 1; /* unknown tags and the like are not our business */
}

/* An unsigned number of size bytes at at, in the file's byte order. */
static uint64_t number_at(const struct membuf *m, uint64_t at, size_t size)
{
	int little = m->data[0] == 'I';
	uint64_t v = 0;

	for (size_t i = 0; i < size; i++)
		v |= (uint64_t)m->data[at + i] << (8 * (little ? i : size - 1 - i));
	return v;
}

/* The offset of the directory after the one at off, read from the file
 * itself (libtiff gives up on a loop without saying so); 0 at the end or
 * when it cannot be read. */
static uint64_t next_dir(const struct membuf *m, TIFF *tif, uint64_t off)
{
	int big = TIFFIsBigTIFF(tif);
	size_t csize = big ? 8 : 2, esize = big ? 20 : 12, osize = big ? 8 : 4;
	uint64_t count, at;

	if (off + csize > m->len)
		return 0;
	count = number_at(m, off, csize);
	at = off + csize + count * esize;
	if (count > m->len || at + osize > m->len)
		return 0;
	return number_at(m, at, osize);
}

/* libtiff words a missing range of bytes in several ways. */
static int looks_truncated(const char *msg)
{
	static const char *const signs[] = { "Read error", "Seek error",
		"Can not read", "Cannot read", "past end", "Not enough data",
		"Premature EOF", "beyond", "end of file", "EOF" };

	for (size_t i = 0; i < sizeof(signs) / sizeof(signs[0]); i++)
		if (strstr(msg, signs[i]))
			return 1;
	return 0;
}

static const char *mode_name(uint16_t photo, uint16_t bits, uint16_t spp,
			     char *other, size_t olen)
{
	switch (photo) {
	case PHOTOMETRIC_MINISWHITE:
	case PHOTOMETRIC_MINISBLACK:
		if (spp > 2)
			break;
		if (bits == 1)
			return "bilevel";
		if (bits == 2 || bits == 4 || bits == 8)
			return "gray";
		if (bits == 16)
			return "gray16";
		break;
	case PHOTOMETRIC_RGB:
	case PHOTOMETRIC_YCBCR:
		if (spp >= 3 && (bits == 8 || bits == 16))
			return "rgb";
		break;
	case PHOTOMETRIC_PALETTE:
		if (spp == 1 && bits >= 1 && bits <= 8)
			return "palette";
		break;
	}
	static const char *const names[] = { "white-is-zero gray",
		"black-is-zero gray", "RGB", "palette", "transparency mask",
		"CMYK", "YCbCr", "", "CIE L*a*b*" };
	snprintf(other, olen, "%s, %u bits x %u samples", photo < 9 &&
		 *names[photo] ? names[photo] : "unknown photometric", bits,
		 spp);
	return NULL;
}

static const char *compression_name(uint16_t c)
{
	const TIFFCodec *codec = TIFFFindCODEC(c);

	return codec ? codec->name : "unknown";
}

static double page_dpi(TIFF *tif)
{
	float x = 0;
	uint16_t unit = RESUNIT_INCH;

	if (!TIFFGetField(tif, TIFFTAG_XRESOLUTION, &x) || x <= 0)
		return 0;
	TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
	if (unit == RESUNIT_CENTIMETER)
		return x * 2.54;
	return unit == RESUNIT_NONE ? 0 : x;
}

/* Every strip or tile must lie inside the file: a scan cut short by a
 * full disk or an interrupted copy is named as truncated. */
static int extents_inside(TIFF *tif, toff_t len)
{
	int tiled = TIFFIsTiled(tif);
	uint32_t n = tiled ? TIFFNumberOfTiles(tif) : TIFFNumberOfStrips(tif);
	uint64_t *off = NULL, *cnt = NULL;

	if (!TIFFGetField(tif, tiled ? TIFFTAG_TILEOFFSETS
			  : TIFFTAG_STRIPOFFSETS, &off) ||
	    !TIFFGetField(tif, tiled ? TIFFTAG_TILEBYTECOUNTS
			  : TIFFTAG_STRIPBYTECOUNTS, &cnt) || !off || !cnt)
		return 0;
	for (uint32_t i = 0; i < n; i++)
		if (off[i] > len || cnt[i] > len - off[i])
			return 0;
	return 1;
}

/* Decodes the page piece by piece, into one row or one tile at a time,
 * so that memory stays bounded whatever the page size. */
static int decode_page(TIFF *tif, uint32_t h, uint16_t spp, uint16_t planar)
{
	void *buf;
	int ok = 1;

	if (TIFFIsTiled(tif)) {
		tmsize_t ts = TIFFTileSize(tif);
		uint32_t n = TIFFNumberOfTiles(tif);

		if (ts <= 0 || ts > TILE_MAX_BYTES || !(buf = malloc((size_t)ts)))
			return 0;
		for (uint32_t t = 0; ok && t < n; t++)
			ok = TIFFReadEncodedTile(tif, t, buf, ts) >= 0;
		free(buf);
		return ok;
	}
	if (TIFFScanlineSize(tif) <= 0 ||
	    !(buf = malloc((size_t)TIFFScanlineSize(tif))))
		return 0;
	for (uint16_t s = 0; ok && s < (planar == PLANARCONFIG_SEPARATE ?
					 spp : 1); s++)
		for (uint32_t row = 0; ok && row < h; row++)
			ok = TIFFReadScanline(tif, buf, row, s) >= 0;
	free(buf);
	return ok;
}

static int inspect_page(TIFF *tif, struct membuf *m, int n,
			const ingest_limits *l, json_t *pages, char *reason,
			size_t rlen)
{
	uint32_t w = 0, h = 0;
	uint16_t bits = 1, spp = 1, photo = 0, comp = 1, planar = 1;
	char other[96];
	const char *mode;
	double dpi;

	if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w) ||
	    !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h) || !w || !h) {
		snprintf(reason, rlen, "page %d has no image size", n);
		return BASE_EFORMAT;
	}
	if ((long)w > l->max_side || (long)h > l->max_side ||
	    (double)w * h / 1e6 > l->max_megapixels) {
		snprintf(reason, rlen, "page %d is %ux%u pixels, over the "
			 "limit (%ld a side, %.0f megapixels)", n, w, h,
			 l->max_side, l->max_megapixels);
		return BASE_ELIMIT;
	}
	TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bits);
	TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
	TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &comp);
	TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
	if (!TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photo)) {
		snprintf(reason, rlen, "page %d has no photometric "
			 "interpretation", n);
		return BASE_EFORMAT;
	}
	mode = mode_name(photo, bits, spp, other, sizeof(other));
	if (!mode) {
		snprintf(reason, rlen, "page %d has an unsupported colour "
			 "mode (%s)", n, other);
		return BASE_EFORMAT;
	}
	if (!TIFFIsCODECConfigured(comp)) {
		snprintf(reason, rlen, "page %d uses compression %u, which "
			 "cannot be decoded here", n, comp);
		return BASE_EFORMAT;
	}
	if (!extents_inside(tif, m->len)) {
		snprintf(reason, rlen, "truncated at page %d", n);
		return BASE_EFORMAT;
	}
	if (comp == COMPRESSION_JPEG && photo == PHOTOMETRIC_YCBCR)
		TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
	if (!decode_page(tif, h, spp, planar)) {
		snprintf(reason, rlen, "page %d cannot be decoded: %s", n,
			 m->err[0] ? m->err : "damaged image data");
		return BASE_EFORMAT;
	}
	dpi = page_dpi(tif);
	json_array_append_new(pages, json_pack(
		"{s:i, s:i, s:i, s:o, s:s, s:i, s:s}", "n", n, "width", (int)w,
		"height", (int)h, "dpi",
		dpi > 0 ? json_integer((json_int_t)(dpi + 0.5)) : json_null(),
		"mode", mode, "bits", bits * (photo == PHOTOMETRIC_PALETTE ?
					      1 : spp),
		"compression", compression_name(comp)));
	return 0;
}

static int is_tiff_magic(const unsigned char *b, size_t len)
{
	return len >= 4 && ((b[0] == 'I' && b[1] == 'I' && (b[2] == 42 ||
			     b[2] == 43) && b[3] == 0) ||
			    (b[0] == 'M' && b[1] == 'M' && b[2] == 0 &&
			     (b[3] == 42 || b[3] == 43)));
}

int ingest_tiff_inspect(const void *buf, size_t len, const ingest_limits *l,
			json_t **pages, char *reason, size_t rlen)
{
	struct membuf m = { buf, len, 0, "" };
	TIFFOpenOptions *opts;
	TIFF *tif;
	int n = 0, rc = 0;
	uint64_t *offsets = NULL; /* each page's directory, to tell a loop */

	*pages = NULL;
	reason[0] = '\0';
	if (len == 0) {
		snprintf(reason, rlen, "empty file");
		return BASE_EFORMAT;
	}
	if (!is_tiff_magic(buf, len)) {
		snprintf(reason, rlen, "not a TIFF file");
		return BASE_EFORMAT;
	}
	opts = TIFFOpenOptionsAlloc();
	TIFFOpenOptionsSetMaxSingleMemAlloc(opts, TIFF_MAX_ALLOC);
	TIFFOpenOptionsSetErrorHandlerExtR(opts, on_error, &m);
	TIFFOpenOptionsSetWarningHandlerExtR(opts, on_warning, &m);
	/* "rm": no memory mapping games, just our reader. */
	tif = TIFFClientOpenExt("input", "rm", (thandle_t)&m, mem_read,
				mem_write, mem_seek, mem_close, mem_size,
				mem_map, mem_unmap, opts);
	TIFFOpenOptionsFree(opts);
	if (!tif) {
		snprintf(reason, rlen, "%s", looks_truncated(m.err)
			 ? "truncated at page 1" : "unreadable TIFF header");
		if (m.err[0] && !looks_truncated(m.err))
			snprintf(reason, rlen, "unreadable TIFF header: %s",
				 m.err);
		return BASE_EFORMAT;
	}
	*pages = json_array();
	offsets = calloc(10001, sizeof(*offsets));
	for (;;) {
		n++;
		m.err[0] = '\0';
		rc = inspect_page(tif, &m, n, l, *pages, reason, rlen);
		if (rc || TIFFLastDirectory(tif))
			break;
		m.err[0] = '\0';
		uint64_t here = TIFFCurrentDirOffset(tif), next = next_dir(&m, tif, here);
		if (next && (toff_t)next < m.len) {
			/* a page pointing back at one before it: a loop, not an end */
			int back = 0;
			for (int k = 0; offsets && k < n && k < 10000 && !back; k++)
				if (offsets[k] == next)
					back = k + 1;
			if (back) {
				snprintf(reason, rlen, "loop in the page directory: page "
					 "%d points back to page %d", n, back);
				rc = BASE_EFORMAT;
				break;
			}
		}
		if (offsets && n <= 10000)
			offsets[n - 1] = here;
		if (!TIFFReadDirectory(tif)) {
			if (looks_truncated(m.err) || !m.err[0])
				snprintf(reason, rlen, "truncated at page %d",
					 n + 1);
			else
				snprintf(reason, rlen, "page %d has an "
					 "unreadable directory: %s", n + 1,
					 m.err);
			rc = BASE_EFORMAT;
			break;
		}
		if (n >= 10000) {
			snprintf(reason, rlen, "more than 10000 pages");
			rc = BASE_ELIMIT;
			break;
		}
	}
	TIFFClose(tif);
	free(offsets);
	if (rc) {
		json_decref(*pages);
		*pages = NULL;
	}
	return rc;
}

void ingest_versions(char *out, size_t cap)
{
	/* "LIBTIFF, Version 4.5.0\nCopyright ...": the version */
	const char *v = strstr(TIFFGetVersion(), "Version ");

	snprintf(out, cap, "libtiff %.*s", v ? (int)strcspn(v + 8, "\n") : 1,
		 v ? v + 8 : "?");
}

static int quiet(TIFF *tif, void *user, const char *module, const char *fmt,
		 va_list ap)
{
	(void)tif;
	(void)user;
	(void)module;
	(void)fmt;
	(void)ap;
	return 1;
}

size_t ingest_tiff_pages(const char *path)
{
	TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();
	TIFF *tif;
	tdir_t n = 0;

	if (!opts)
		return 1;
	TIFFOpenOptionsSetMaxSingleMemAlloc(opts, TIFF_MAX_ALLOC);
	TIFFOpenOptionsSetErrorHandlerExtR(opts, quiet, NULL);
	TIFFOpenOptionsSetWarningHandlerExtR(opts, quiet, NULL);
	tif = TIFFOpenExt(path, "r", opts);
	TIFFOpenOptionsFree(opts);
	if (tif) {
		n = TIFFNumberOfDirectories(tif);
		TIFFClose(tif);
	}
	return n ? (size_t)n : 1;
}
