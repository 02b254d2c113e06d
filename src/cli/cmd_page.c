/* cmd_page.c - `sohoa page`: a record's cleaned page image, as it was
 * recognised (upright, deskewed, bilevel): TIFF G4 as stored, or PNG. */
#include "cli.h"

#include "../ocr/ocr.h"
#include "../base/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char usage[] =
	"usage: sohoa page ID N -o FILE.png|FILE.tif [--scale S]\n"
	"  --scale S   PNG only: shrink by S (0.1-1), e.g. 0.25 for a thumbnail\n";

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && !strcasecmp(s + n - t, tail);
}

int cmd_page(cli *c, int argc, char **argv)
{
	const char *id = NULL, *num = NULL, *out = NULL;
	double scale = 1.0;
	void *img = NULL;
	unsigned char *png = NULL;
	size_t len = 0, png_len = 0;
	store *s = NULL;
	char *end;
	long n;
	int rc, code = EXIT_FAIL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--scale") && i + 1 < argc)
			scale = strtod(argv[++i], NULL);
		else if (!id)
			id = argv[i];
		else if (!num)
			num = argv[i];
		else
			return cli_usage(usage);
	}
	if (!id || !num || !out || scale < 0.1 || scale > 1)
		return cli_usage(usage);
	n = strtol(num, &end, 10);
	if (*end || n < 1 || n > 10000) {
		cli_error("page number '%s' is not a page (1, 2, ...)", num);
		return EXIT_USAGE;
	}
	if (!ends_with(out, ".png") && !ends_with(out, ".tif") &&
	    !ends_with(out, ".tiff")) {
		cli_error("'%s': the name must end in .png, .tif or .tiff", out);
		return EXIT_USAGE;
	}
	if (cli_store_open(c, 0, &s))
		return EXIT_FAIL;
	rc = store_image_get(s, id, (int)n, &img, &len);
	if (rc == BASE_ENOTFOUND) {
		json_t *meta = NULL;
		if (store_record_get(s, id, &meta, NULL) == 0)
			cli_error("record '%s' has no image of page %ld (pages "
				  "are kept when OCR runs at ingest)", id, n);
		else
			cli_error("%s", base_errmsg());
		json_decref(meta);
		goto out;
	}
	if (rc) {
		cli_error("%s", base_errmsg());
		goto out;
	}
	if (ends_with(out, ".png")) {
		rc = ocr_image_to_png(img, len, scale, &png, &png_len);
		if (rc == 0)
			rc = base_write_file_atomic(out, png, png_len);
	} else {
		rc = base_write_file_atomic(out, img, len);
	}
	if (rc) {
		cli_error("%s", base_errmsg());
		goto out;
	}
	code = EXIT_OK;
out:
	free(png);
	free(img);
	store_close(&s);
	return code;
}
