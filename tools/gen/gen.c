/* gen.c - sohoa-gen: renders realistic scanned records of the four
 * document types with their ground truth, deterministic from a seed.
 *
 *   sohoa-gen --out DIR [--count N] [--seed S] [--type T] [--edition E]
 *             [--condition C,...] [--encoding E] [--dpi D] [--thumbs]
 *             [--no-images]
 *   sohoa-gen --out DIR --seeds        the committed sample batch */
#include "gen.h"

#include <errno.h>
#include <getopt.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

static const char usage[] =
	"usage: sohoa-gen --out DIR [--count N] [--seed S] [--type TYPE]\n"
	"                 [--edition current|old] [--condition C[,C...]]\n"
	"                 [--encoding g4|g4-black|gray|rgb-jpeg] [--dpi 200|300]\n"
	"                 [--skew DEGREES] [--perspective DEGREES] [--thumbs[=WIDTH]]\n"
	"                 [--no-images] [--seeds]\n"
	"                 [--layout fixed|real]\n"
	"layouts: fixed (the bench corpus' drawing), real (the real editions,\n"
	"         each record laid out at random: tt04-2020 tt15-2015 truoc-2016\n"
	"         trich-luc, ket-hon tt04-2020 truoc-2016, khai-tu trich-luc\n"
	"         truoc-2016, gcn tt23-2014)\n"
	"types: khai-sinh ket-hon khai-tu gcn\n"
	"conditions: clean skew rot90 rot180 rot270 blur noise yellow jpeg\n"
	"            wrap mixed-font typewriter no-dpi-tag guilloche (a green or\n"
	"            pink security background under the print, in colour)\n"
	"            curl (a bound page bending toward its spine)\n"
	"            screenshot (an e-copy open in a phone's app: status bar,\n"
	"            title bar, margins, a QR code, 720-1170 px wide, no tag)\n"
	"            seal-colour (a dense red, or blue, seal over the signature\n"
	"            and the signer's name, in colour)\n"
	"            photo (a phone's photo on a table: perspective, light falling\n"
	"            off, glare, 1-3 megapixels, no resolution tag; --perspective D\n"
	"            sets the camera's tilt, else 3-10 degrees)\n";

static const char *const types[] = { "khai-sinh", "ket-hon", "khai-tu", "gcn" };

/* The corpus cycles through these so every N covers every condition. */
static const char *const cycle[] = { "clean", "skew", "rot90", "blur",
	"noise", "yellow", "rot180", "jpeg", "wrap,mixed-font", "typewriter",
	"rot270", "skew,noise" };

/* The committed seeds/ batch: every type, both editions, a few of each
 * condition, small enough to keep in git. */
static const struct {
	const char *type, *edition, *cond, *encoding;
	int dpi;
} seeds_plan[] = {
	{ "khai-sinh", "current", "clean", "g4", 300 },
	{ "khai-sinh", "old", "typewriter,yellow", "gray", 200 },
	{ "khai-sinh", "current", "skew", "g4", 300 },
	{ "ket-hon", "current", "noise", "g4", 300 },
	{ "ket-hon", "old", "rot90", "g4", 200 },
	{ "khai-tu", "current", "blur", "g4", 300 },
	{ "khai-tu", "old", "jpeg,yellow", "rgb-jpeg", 200 },
	{ "gcn", "current", "wrap,mixed-font", "g4", 300 },
	{ "gcn", "current", "skew,noise", "g4", 200 },
	{ "khai-sinh", "current", "rot180,wrap", "g4", 300 },
};

struct opts {
	const char *out, *type, *edition, *cond, *encoding;
	int count, dpi, thumbs, no_images, seeds, has_skew, real;
	double skew, perspective;
	unsigned long seed;
};

static int apply_conditions(const char *list, conditions *c, rng *r)
{
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (!strcmp(t, "clean"))
			continue;
		else if (!strcmp(t, "skew"))
			c->skew = rng_real(r, 0.8, 3.0) * (rng_int(r, 0, 1) ? 1 : -1);
		else if (!strcmp(t, "rot90"))
			c->rotation = 90;
		else if (!strcmp(t, "rot180"))
			c->rotation = 180;
		else if (!strcmp(t, "rot270"))
			c->rotation = 270;
		else if (!strcmp(t, "blur"))
			c->blur = 1;
		else if (!strcmp(t, "noise"))
			c->noise = 1;
		else if (!strcmp(t, "yellow"))
			c->yellow = 1;
		else if (!strcmp(t, "jpeg"))
			c->jpeg = 1;
		else if (!strcmp(t, "wrap"))
			c->wrap = 1;
		else if (!strcmp(t, "mixed-font"))
			c->mixed_font = 1;
		else if (!strcmp(t, "typewriter"))
			c->typewriter = 1;
		else if (!strcmp(t, "dpi200"))
			c->dpi = 200;
		else if (!strcmp(t, "dpi300"))
			c->dpi = 300;
		else if (!strcmp(t, "photo"))
			c->photo = 1;
		else if (!strcmp(t, "no-dpi-tag"))
			c->no_dpi_tag = 1;
		else if (!strcmp(t, "guilloche"))
			c->guilloche = rng_int(r, 1, 2);
		else if (!strcmp(t, "curl"))
			c->curl = 1;
		else if (!strcmp(t, "screenshot"))
			c->screenshot = 1;
		else if (!strcmp(t, "seal-colour"))
			c->seal_colour = rng_int(r, 0, 3) ? 1 : 2;
		else {
			fprintf(stderr, "sohoa-gen: unknown condition '%s'\n", t);
			return -1;
		}
	}
	if (c->jpeg || c->photo || c->guilloche || c->screenshot || c->seal_colour)
		c->encoding = "rgb-jpeg";
	return 0;
}

static json_t *conditions_json(const conditions *c, const char *names)
{
	return json_pack("{s:s, s:i, s:f, s:i, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:s}",
			 "names", names, "dpi", c->dpi,
			 "skew", (double)(int)(c->skew * 100) / 100.0,
			 "rotation", c->rotation, "blur", c->blur,
			 "noise", c->noise, "yellow", c->yellow, "jpeg", c->jpeg,
			 "wrap", c->wrap, "mixed_font", c->mixed_font,
			 "typewriter", c->typewriter, "encoding", c->encoding);
}

static int write_json(const char *path, json_t *j)
{
	/* UTF-8 as it is: the truth files are read by people too */
	return json_dump_file(j, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}

/* One record: its pages into NAME.tif, its truth into NAME.json. */
static int make_record(const struct opts *o, const char *name,
		       const char *type, const char *edition,
		       const char *cond, conditions *c, rng *r)
{
	char path[4096], thumb[4096];
	page pages[2];
	json_t *gt, *lines = json_array(), *page_lines = json_array();
	TIFF *tif = NULL;
	int n, rc = 0;

	gt = json_pack("{s:s, s:s, s:s, s:{}, s:{}}", "id", name, "type", type,
		       "edition", edition, "fields", "printed");
	if (o->no_images)
		c->dpi = 20; /* layout only: the same lines, no pixels worth keeping */
	n = o->real ? form_render_real(r, type, strcmp(edition, "current") &&
				       strcmp(edition, "old") ? edition : NULL, c, pages, gt)
		    : form_render(r, type, edition, c, pages, gt);
	if (!o->no_images) {
		snprintf(path, sizeof(path), "%s/%s.tif", o->out, name);
		tif = TIFFOpen(path, "w");
		if (!tif) {
			fprintf(stderr, "sohoa-gen: cannot create '%s'\n", path);
			rc = -1;
		}
	}
	for (int i = 0; i < n; i++) {
		json_array_extend(lines, pages[i].lines);
		json_array_append(page_lines, pages[i].lines);
		if (tif && rc == 0) {
			snprintf(thumb, sizeof(thumb), "%s/%s-p%d.png", o->out, name, i + 1);
			rc = scan_page(tif, pages[i].surface, c, r, i, n,
				       o->thumbs ? thumb : NULL);
		}
		json_decref(pages[i].lines);
		cairo_surface_destroy(pages[i].surface);
	}
	if (tif)
		TIFFClose(tif);
	json_object_set_new(gt, "pages", json_integer(n));
	json_object_set_new(gt, "conditions", conditions_json(c, cond));
	if (c->capture)
		json_object_set(gt, "capture", c->capture);
	json_object_set_new(gt, "lines", lines);
	json_object_set_new(gt, "page_lines", page_lines);
	if (!o->no_images)
		json_object_set_new(gt, "file", json_sprintf("%s.tif", name));
	snprintf(path, sizeof(path), "%s/%s.json", o->out, name);
	if (rc == 0 && write_json(path, gt)) {
		fprintf(stderr, "sohoa-gen: cannot write '%s'\n", path);
		rc = -1;
	}
	json_decref(gt);
	return rc;
}

static int run(const struct opts *o)
{
	int total = o->seeds ? (int)(sizeof(seeds_plan) / sizeof(seeds_plan[0]))
			     : o->count;

	for (int i = 0; i < total; i++) {
		conditions c = { 300, 0, 0, 0, 0, 0, 0, 0, 0, 0, "g4", o->thumbs, 0, 0, 0, 0, 0, 0, 0, NULL };
		const char *type, *edition, *cond;
		char name[128];
		rng r;

		rng_seed(&r, (uint64_t)o->seed * 1000003u + (uint64_t)i);
		if (o->seeds) {
			type = seeds_plan[i].type;
			edition = seeds_plan[i].edition;
			cond = seeds_plan[i].cond;
			c.encoding = seeds_plan[i].encoding;
			c.dpi = seeds_plan[i].dpi;
		} else {
			int e = rng_int(&r, 0, 3);
			type = o->type ? o->type : types[i % 4];
			cond = o->cond ? o->cond : cycle[(i / 4 + i) % 12];
			c.dpi = o->dpi ? o->dpi : rng_int(&r, 0, 1) ? 300 : 200;
			c.encoding = o->encoding ? o->encoding
				     : e < 2 ? "g4" : e == 2 ? "gray" : "rgb-jpeg";
			edition = o->edition ? o->edition
				  : strstr(cond, "typewriter") || rng_int(&r, 0, 2) == 0
				  ? "old" : "current";
		}
		if (!strcmp(type, "gcn"))
			edition = "current";
		if (apply_conditions(cond, &c, &r))
			return 2;
		if (o->has_skew)
			c.skew = o->skew;
		c.perspective = o->perspective;
		if (c.photo || c.curl || c.screenshot)
			c.capture = json_array();
		snprintf(name, sizeof(name), "%s-%04d", type, i + 1);
		int bad = make_record(o, name, type, edition, cond, &c, &r);
		json_decref(c.capture);
		if (bad)
			return 1;
		if (!o->seeds && total >= 20 && (i + 1) % 10 == 0)
			fprintf(stderr, "sohoa-gen: %d/%d records\n", i + 1, total);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "count", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "type", required_argument, NULL, 't' },
		{ "edition", required_argument, NULL, 'e' },
		{ "condition", required_argument, NULL, 'c' },
		{ "encoding", required_argument, NULL, 'E' },
		{ "dpi", required_argument, NULL, 'd' },
		{ "thumbs", optional_argument, NULL, 'T' },
		{ "no-images", no_argument, NULL, 'N' },
		{ "seeds", no_argument, NULL, 'S' },
		{ "skew", required_argument, NULL, 'k' },
		{ "perspective", required_argument, NULL, 'P' },
		{ "layout", required_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { 0 };
	int opt;

	o.count = 1;
	o.seed = 7;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'o': o.out = optarg; break;
		case 'n': o.count = atoi(optarg); break;
		case 's': o.seed = strtoul(optarg, NULL, 10); break;
		case 't': o.type = optarg; break;
		case 'e': o.edition = optarg; break;
		case 'c': o.cond = optarg; break;
		case 'E': o.encoding = optarg; break;
		case 'd': o.dpi = atoi(optarg); break;
		case 'T': o.thumbs = optarg ? atoi(optarg) : 420; break;
		case 'N': o.no_images = 1; break;
		case 'S': o.seeds = 1; break;
		case 'k': o.skew = atof(optarg); o.has_skew = 1; break;
		case 'P': o.perspective = atof(optarg); break;
		case 'L':
			if (strcmp(optarg, "fixed") && strcmp(optarg, "real")) {
				fprintf(stderr, "sohoa-gen: unknown layout '%s'\n", optarg);
				return 2;
			}
			o.real = !strcmp(optarg, "real");
			break;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (!o.out || o.count < 1 || optind != argc) {
		fputs(usage, stderr);
		return 2;
	}
	if (o.type && strcmp(o.type, "khai-sinh") && strcmp(o.type, "ket-hon") &&
	    strcmp(o.type, "khai-tu") && strcmp(o.type, "gcn")) {
		fprintf(stderr, "sohoa-gen: unknown type '%s'\n", o.type);
		return 2;
	}
	if (o.encoding && strcmp(o.encoding, "g4") && strcmp(o.encoding, "g4-black") &&
	    strcmp(o.encoding, "gray") &&
	    strcmp(o.encoding, "rgb-jpeg")) {
		fprintf(stderr, "sohoa-gen: unknown encoding '%s'\n", o.encoding);
		return 2;
	}
	if (g_mkdir_with_parents(o.out, 0755) < 0) {
		fprintf(stderr, "sohoa-gen: cannot create '%s': %s\n", o.out,
			strerror(errno));
		return 1;
	}
	TIFFSetWarningHandler(NULL);
	return run(&o);
}
