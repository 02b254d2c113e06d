/* mktiff.c - writes small TIFF files for tests: every encoding scanners
 * produce, multi-page, and the hostile and unsupported kinds ingest must
 * reject. The picture is a seeded pattern so each file's bytes differ.
 *
 *   mktiff OUT KIND [PAGES] [SEED] [WIDTH] [HEIGHT]
 *   KIND: g4 gray-lzw rgb-jpeg gray16 palette rgb-tiled huge cmyk blank */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

static uint32_t rng = 1;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* A page of "text lines": dark bars of random length on white. */
static int ink(uint32_t x, uint32_t y, uint32_t w, const uint32_t *len)
{
	uint32_t line = y / 24, in = y % 24;

	return in >= 6 && in < 18 && x > 40 && x < 40 + len[line % 64] % (w - 80)
	       && (x / 7 + line) % 5 != 0;
}

static void set_common(TIFF *t, uint32_t w, uint32_t h, int page, int pages)
{
	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, w);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, h);
	TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
	TIFFSetField(t, TIFFTAG_XRESOLUTION, 200.0);
	TIFFSetField(t, TIFFTAG_YRESOLUTION, 200.0);
	TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
	TIFFSetField(t, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
	TIFFSetField(t, TIFFTAG_PAGENUMBER, (uint16_t)page, (uint16_t)pages);
}

static int write_page(TIFF *t, const char *kind, uint32_t w, uint32_t h,
		      int page, int pages)
{
	uint32_t len[64];
	int bilevel = !strcmp(kind, "g4");
	int rgb = !strcmp(kind, "rgb-jpeg") || !strcmp(kind, "rgb-tiled");
	int g16 = !strcmp(kind, "gray16"), pal = !strcmp(kind, "palette");
	int cmyk = !strcmp(kind, "cmyk");
	int blank = !strcmp(kind, "blank"); /* gray, nothing printed */
	int spp = rgb ? 3 : cmyk ? 4 : 1, bps = bilevel ? 1 : g16 ? 16 : 8;
	tmsize_t row_bytes;
	unsigned char *row;

	for (int i = 0; i < 64; i++)
		len[i] = next();
	set_common(t, w, h, page, pages);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, bps);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, spp);
	if (bilevel) {
		TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
	} else if (rgb) {
		TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_JPEG);
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_YCBCR);
		TIFFSetField(t, TIFFTAG_JPEGQUALITY, 80);
		TIFFSetField(t, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
	} else if (cmyk) {
		TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_SEPARATED);
	} else if (pal) {
		uint16_t r[256], g[256], b[256];
		for (int i = 0; i < 256; i++)
			r[i] = g[i] = b[i] = (uint16_t)(i * 257);
		TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_PACKBITS);
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_PALETTE);
		TIFFSetField(t, TIFFTAG_COLORMAP, r, g, b);
	} else {
		TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
	}
	if (!strcmp(kind, "rgb-tiled")) {
		TIFFSetField(t, TIFFTAG_TILEWIDTH, 256);
		TIFFSetField(t, TIFFTAG_TILELENGTH, 256);
	} else {
		TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, rgb ? 16 : 64);
	}
	row_bytes = TIFFIsTiled(t) ? TIFFTileSize(t) : TIFFScanlineSize(t);
	row = calloc(1, (size_t)row_bytes);
	if (!row)
		return -1;
	if (TIFFIsTiled(t)) {
		for (uint32_t ty = 0; ty < h; ty += 256)
			for (uint32_t tx = 0; tx < w; tx += 256) {
				for (uint32_t y = 0; y < 256; y++)
					for (uint32_t x = 0; x < 256; x++) {
						unsigned char v = (unsigned char)((ink(tx + x, ty + y, w, len) ? 20 : 215) + next() % 40);
						memset(row + (y * 256 + x) * 3, v, 3);
					}
				if (TIFFWriteTile(t, row, tx, ty, 0, 0) < 0)
					return -1;
			}
		free(row);
		return TIFFWriteDirectory(t) ? 0 : -1;
	}
	for (uint32_t y = 0; y < h; y++) {
		memset(row, 0, (size_t)row_bytes);
		for (uint32_t x = 0; x < w; x++) {
			int on = !blank && ink(x, y, w, len);
			if (bilevel) {
				if (on)
					row[x / 8] |= (unsigned char)(0x80 >> (x % 8));
			} else if (g16) {
				uint16_t v = on ? 4000 : 60000;
				memcpy(row + 2 * x, &v, 2);
			} else {
				for (int s = 0; s < spp; s++)
					/* scanner noise, so files do not
					 * compress unrealistically well */
					row[x * spp + s] = cmyk ? (on ? 200 : 0)
						: blank ? 235
						: (unsigned char)((on ? 25 : 215 - s * 10) + next() % 32);
			}
		}
		if (TIFFWriteScanline(t, row, y, 0) < 0)
			return -1;
	}
	free(row);
	return TIFFWriteDirectory(t) ? 0 : -1;
}

/* A directory claiming 200000 x 200000 pixels with no image data. */
static int write_huge(TIFF *t)
{
	set_common(t, 200000, 200000, 0, 1);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
	TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
	TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
	TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 200000);
	/* a few bytes of "data" so the directory has its strip fields */
	static unsigned char junk[64];
	if (TIFFWriteRawStrip(t, 0, junk, sizeof(junk)) < 0)
		return -1;
	return TIFFWriteDirectory(t) ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *out, *kind;
	int pages = 1, rc = 0;
	uint32_t w = 640, h = 800;
	TIFF *t;

	if (argc < 3) {
		fprintf(stderr, "usage: mktiff OUT KIND [PAGES] [SEED] [W] [H]\n");
		return 2;
	}
	out = argv[1];
	kind = argv[2];
	if (argc > 3)
		pages = atoi(argv[3]);
	if (argc > 4)
		rng = (uint32_t)strtoul(argv[4], NULL, 10) * 2654435761u + 1;
	if (argc > 6) {
		w = (uint32_t)atoi(argv[5]);
		h = (uint32_t)atoi(argv[6]);
	}
	t = TIFFOpen(out, "w");
	if (!t)
		return 1;
	if (!strcmp(kind, "huge"))
		rc = write_huge(t);
	else
		for (int p = 0; p < pages && rc == 0; p++)
			rc = write_page(t, kind, w, h, p, pages);
	TIFFClose(t);
	if (rc)
		fprintf(stderr, "mktiff: cannot write '%s'\n", out);
	return rc ? 1 : 0;
}
