/* test_tiffcheck.c - ingest_tiff_inspect on TIFFs written here with
 * libtiff: the modes and sizes it reports and the reasons it gives. */
#include "../../src/ingest/ingest.h"
#include "../../src/base/base.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>
#include <tiffio.h>
#include <unistd.h>

static const ingest_limits limits = { 30000, 300, (size_t)1 << 30 };
static char path[256];

static void write_gray(uint32_t w, uint32_t h, int pages, uint16_t comp,
		       float dpi, uint16_t unit)
{
	TIFF *t = TIFFOpen(path, "w");
	unsigned char *row = calloc(1, w);

	for (int p = 0; p < pages; p++) {
		TIFFSetField(t, TIFFTAG_IMAGEWIDTH, w);
		TIFFSetField(t, TIFFTAG_IMAGELENGTH, h);
		TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
		TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
		TIFFSetField(t, TIFFTAG_COMPRESSION, comp);
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
		TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 16);
		if (dpi > 0) {
			TIFFSetField(t, TIFFTAG_XRESOLUTION, dpi);
			TIFFSetField(t, TIFFTAG_YRESOLUTION, dpi);
			TIFFSetField(t, TIFFTAG_RESOLUTIONUNIT, unit);
		}
		for (uint32_t y = 0; y < h; y++) {
			memset(row, (int)(y * 7 + (uint32_t)p), w);
			TIFFWriteScanline(t, row, y, 0);
		}
		TIFFWriteDirectory(t);
	}
	TIFFClose(t);
	free(row);
}

static int inspect(json_t **pages, char *reason, size_t rlen, size_t cut)
{
	unsigned char *buf;
	size_t len;
	int rc = base_read_file(path, (size_t)1 << 30, &buf, &len);

	if (rc)
		return rc;
	if (cut && cut < len)
		len = cut;
	rc = ingest_tiff_inspect(buf, len, &limits, pages, reason, rlen);
	free(buf);
	return rc;
}

int main(void)
{
	json_t *pages = NULL;
	char reason[512];
	unsigned char junk[64] = "II*\0garbage";
	int rc;

	snprintf(path, sizeof(path), "%s/unit-%d.tif",
		 getenv("TMPROOT") ? getenv("TMPROOT") : "/tmp", (int)getpid());
	write_gray(300, 200, 3, COMPRESSION_LZW, 300, RESUNIT_INCH);
	rc = inspect(&pages, reason, sizeof(reason), 0);
	CHECK(rc == 0 && json_array_size(pages) == 3, "3-page gray LZW accepted");
	CHECK(json_integer_value(json_object_get(json_array_get(pages, 2), "width")) == 300 &&
	      json_integer_value(json_object_get(json_array_get(pages, 2), "height")) == 200,
	      "page size read");
	CHECK(!strcmp(json_string_value(json_object_get(json_array_get(pages, 0), "mode")), "gray") &&
	      !strcmp(json_string_value(json_object_get(json_array_get(pages, 0), "compression")), "LZW"),
	      "mode and compression named");
	CHECK(json_integer_value(json_object_get(json_array_get(pages, 0), "dpi")) == 300, "dpi from tags");
	json_decref(pages);

	write_gray(100, 100, 1, COMPRESSION_NONE, 118.11f, RESUNIT_CENTIMETER);
	rc = inspect(&pages, reason, sizeof(reason), 0);
	CHECK(rc == 0 && json_integer_value(json_object_get(json_array_get(pages, 0), "dpi")) == 300,
	      "dots per centimetre converted to dpi");
	json_decref(pages);
	write_gray(100, 100, 1, COMPRESSION_NONE, 0, 0);
	rc = inspect(&pages, reason, sizeof(reason), 0);
	CHECK(rc == 0 && json_is_null(json_object_get(json_array_get(pages, 0), "dpi")),
	      "missing resolution is null, not a guess");
	json_decref(pages);

	write_gray(400, 400, 2, COMPRESSION_NONE, 200, RESUNIT_INCH);
	rc = inspect(&pages, reason, sizeof(reason), 400 * 400 + 1000);
	CHECK(rc == BASE_EFORMAT && strstr(reason, "truncated at page"),
	      "a file cut in page 2 is truncated: %s", reason);
	CHECK(pages == NULL, "no pages returned on failure");
	rc = inspect(&pages, reason, sizeof(reason), 3);
	CHECK(rc == BASE_EFORMAT && !strcmp(reason, "not a TIFF file"), "3 bytes: %s", reason);
	rc = ingest_tiff_inspect(junk, sizeof(junk), &limits, &pages, reason, sizeof(reason));
	CHECK(rc == BASE_EFORMAT && (strstr(reason, "unreadable TIFF header") ||
				   strstr(reason, "truncated at page 1")),
	      "a TIFF signature with garbage after it: %s", reason);
	rc = ingest_tiff_inspect("", 0, &limits, &pages, reason, sizeof(reason));
	CHECK(rc == BASE_EFORMAT && !strcmp(reason, "empty file"), "empty: %s", reason);

	write_gray(3000, 20, 1, COMPRESSION_LZW, 200, RESUNIT_INCH);
	{
		ingest_limits small = { 2000, 300, (size_t)1 << 30 };
		unsigned char *buf;
		size_t len;
		base_read_file(path, (size_t)1 << 30, &buf, &len);
		rc = ingest_tiff_inspect(buf, len, &small, &pages, reason, sizeof(reason));
		CHECK(rc == BASE_ELIMIT && strstr(reason, "page 1 is 3000x20 pixels, over the limit"),
		      "side limit: %s", reason);
		small.max_side = 30000;
		small.max_megapixels = 0.05;
		rc = ingest_tiff_inspect(buf, len, &small, &pages, reason, sizeof(reason));
		CHECK(rc == BASE_ELIMIT, "megapixel limit: %s", reason);
		free(buf);
	}
	unlink(path);
	return unit_status();
}
